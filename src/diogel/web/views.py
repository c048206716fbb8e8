"""Pages of the web application that are not part of one area of the journey."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
