"""The JSON API: ``/api/v1/``, OpenAPI document at ``/api/v1/openapi.json``.

One NinjaAPI; each area contributes a router from its own ``api.py``. Handlers
call the same services (writes) and query functions (reads, with visibility)
as the HTML pages, and are authenticated by the session (with CSRF for writes).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import django_auth
from ninja.types import DictStrAny

from diogel.access.errors import NotAllowedError, NotFound
from diogel.errors import UserError

NUL_REFUSED = "Text must not contain NUL characters."


def _has_nul(data: object) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class NoNulParser(Parser):
    """JSON bodies and query parameters with a NUL character are refused (400): PostgreSQL's text columns
    cannot hold one (it was an HTTP 500 on search and note writes), and no field of the API needs one."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if _has_nul(data):
            raise HttpError(400, NUL_REFUSED)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> DictStrAny:
        if any(_has_nul([key, *values]) for key, values in data.lists()):
            raise HttpError(400, NUL_REFUSED)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Diogel API",
    version="1",
    description="Children's social services in Wales: case records and performance. "
    "Every request is made as the signed-in user and sees only what that user may see.",
    auth=django_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
    parser=NoNulParser(),
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
    from diogel.intake.api import router as intake
    from diogel.performance.api import router as performance
    from diogel.record.api import router as record
    from diogel.recording.api import router as recording
    from diogel.recording.corrections_api import router as corrections

    api.add_router("/caseload", caseload)
    api.add_router("/children", record)
    api.add_router("/recording", recording)
    api.add_router("/intake", intake)
    api.add_router("/recording", corrections)
    api.add_router("/performance", performance)


_mount()
