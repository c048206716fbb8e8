"""Security headers for every response.

A strict Content-Security-Policy: scripts, styles, images and fonts only from
the app itself, no inline script or style (no ``unsafe-inline``), no framing.
Templates therefore never use ``<script>`` bodies, ``style=""`` attributes or
``on*=`` handlers; behaviour comes from ``static/`` files and HTMX attributes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages about children must not be kept by shared computers' caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


NUL_REFUSED = "Text must not contain NUL characters."


class RejectNulMiddleware:
    """Refuse (400) a query string or form with a NUL character: no field needs one, and PostgreSQL's text
    columns cannot hold one (it would otherwise be a server error deep in a query). JSON API bodies are
    checked by the API's own parser (``diogel.api``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for data in (request.GET, request.POST if request.method == "POST" else None):
            if data is not None and any("\x00" in k or any("\x00" in v for v in vs) for k, vs in data.lists()):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": NUL_REFUSED}, status=400)
                return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")
        return self.get_response(request)
