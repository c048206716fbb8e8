"""Per-request memo of what the visibility rules read about the signed-in person.

A page asks "what may this person see?" several times (the record, its siblings, whether they may write, the
navigation); each time :mod:`diogel.access.visibility` would read their memberships again. Around a GET or
HEAD request, which changes no membership, :class:`VisibilityMemoMiddleware` opens
:func:`diogel.access.visibility.request_memo`, so they are read once. The memo is new for each request (a
context variable, so never shared between threads, requests or users) and gone when the response is made;
requests that may change memberships (POST, PUT, …) run without it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from diogel.access.visibility import request_memo

SAFE_METHODS = frozenset({"GET", "HEAD"})


class VisibilityMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with request_memo():
            return self.get_response(request)
