"""Pages of the web application that are not part of one area of the journey."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """A trivial signed-in page: the whole middleware stack (session, user) and the base template, no view work.

    The floor of ``benchmarks/web.py``: what any practitioner page costs before it does anything.
    """
    return render(request, "web/ping.html")
