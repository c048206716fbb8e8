"""The request id: one id per web request (or command), copied onto every audit entry it causes.

:class:`RequestIdMiddleware` sets it for a web request (from a well-formed
``X-Request-ID`` header set by the proxy, or a fresh one) and echoes it in the
response; commands may call :func:`request_scope`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("diogel_request_id", default="")
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_scope(request_id: str | None = None) -> Iterator[str]:
    """Run a block with ``request_id`` (a fresh one if not given) as the current request id."""
    rid = request_id if request_id and _WELL_FORMED.match(request_id) else uuid.uuid4().hex
    token = _request_id.set(rid)
    try:
        yield rid
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    """Gives each request an id (``request.request_id``) that audit entries carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope(request.headers.get("X-Request-ID")) as rid:
            request.request_id = rid  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response
