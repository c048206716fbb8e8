"""The JSON API: ``/api/v1/``, OpenAPI document at ``/api/v1/openapi.json``.

One NinjaAPI; each area contributes a router from its own ``api.py``. Handlers
call the same services (writes) and query functions (reads, with visibility)
as the HTML pages, and are authenticated by the session (with CSRF for writes).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from diogel.access.errors import NotAllowedError, NotFound
from diogel.errors import UserError

api = NinjaAPI(
    title="Diogel API",
    version="1",
    description="Children's social services in Wales: case records and performance. "
    "Every request is made as the signed-in user and sees only what that user may see.",
    auth=django_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    # "Not found" and "not allowed" are the same answer.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NotAllowedError)
def _not_allowed(request: HttpRequest, exc: NotAllowedError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "The request is too large."}, status=413)


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _mount() -> None:
    from diogel.caseload.api import router as caseload
    from diogel.performance.api import router as performance
    from diogel.record.api import router as record
    from diogel.recording.api import router as recording

    api.add_router("/caseload", caseload)
    api.add_router("/children", record)
    api.add_router("/recording", recording)
    api.add_router("/performance", performance)


_mount()
