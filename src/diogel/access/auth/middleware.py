"""Rate limits per client IP, the absolute session limit, and the admin's own sign-in page closed.

:class:`RateLimitMiddleware` counts requests per client IP in fixed one-minute
windows in the table of :class:`.models.RateCount` (shared by every process; one atomic statement
per request): sign-in POSTs (``/accounts/login…``) and every
``/api/v1/`` request. Over the limit: HTTP 429 with ``Retry-After`` (a plain
page, or JSON for the API). Limits: ``settings.DIOGEL_RATE_LIMITS``.

:class:`SessionLimitMiddleware` (after ``AuthenticationMiddleware``) ends a
session :data:`settings.DIOGEL_SESSION_ABSOLUTE_SECONDS` after sign-in however
active it is (the idle limit is ``SESSION_COOKIE_AGE`` with
``SESSION_SAVE_EVERY_REQUEST``), and sends ``/admin/login/`` to Diogel's own
sign-in, so that no sign-in skips two-factor, lockout or the audit trail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services

Rule = tuple[str, str, int, int]  # (name, path prefix, requests, seconds)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``DIOGEL_TRUSTED_PROXIES`` proxies the address the
    outermost trusted proxy saw (counted from the right of ``X-Forwarded-For``, which clients can forge on the left)."""
    proxies = int(getattr(settings, "DIOGEL_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _rules() -> list[Rule]:
    limits: dict[str, tuple[int, int]] = settings.DIOGEL_RATE_LIMITS
    rules: list[Rule] = []
    if "sign_in" in limits:
        rules.append(("sign_in", "/accounts/login", *limits["sign_in"]))
    if "api" in limits:
        rules.append(("api", "/api/v1/", *limits["api"]))
    return rules


_COUNT_SQL = (
    "INSERT INTO diogel_rate_count (key, slot, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN diogel_rate_count.slot = excluded.slot THEN diogel_rate_count.hits + 1 ELSE 1 END, "
    "slot = excluded.slot "
    "RETURNING hits"
)
_PRUNE_SQL = "DELETE FROM diogel_rate_count WHERE key LIKE %s AND slot < %s"


def over_limit(name: str, ip: str, limit: int, seconds: int) -> int:
    """Count one request; return 0 if allowed, else the seconds until the window ends.

    One atomic statement counts the request (no lost updates between processes); the first request of a new
    window also deletes that limit's rows of windows before the previous one."""
    now = time.time()
    window = int(now // seconds)
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [f"{name}:{ip}", window])
        count = int(cursor.fetchone()[0])
        if count == 1:
            cursor.execute(_PRUNE_SQL, [f"{name}:%", window - 1])
    if count <= limit:
        return 0
    return max(1, int((window + 1) * seconds - now))


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, prefix, limit, seconds in _rules():
            if not request.path.startswith(prefix) or (name == "sign_in" and request.method != "POST"):
                continue
            wait = over_limit(name, client_ip(request), limit, seconds)
            if wait:
                return self._refuse(request, name, wait)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, name: str, wait: int) -> HttpResponse:
        response: HttpResponse
        if name == "api":
            response = JsonResponse({"detail": _("Too many requests. Try again in a minute.")}, status=429)
        else:
            response = render(request, "registration/too_many_requests.html", status=429)
        response["Retry-After"] = str(wait)
        return response


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == reverse("admin:login"):
            query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
            return HttpResponseRedirect(f"{reverse('login')}?{query}")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(services.SESSION_AUTH_AT)
            now = int(time.time())
            if started is None:
                request.session[services.SESSION_AUTH_AT] = now  # a session made without the sign-in view
            elif now - int(started) > settings.DIOGEL_SESSION_ABSOLUTE_SECONDS:
                services.sign_out(request, reason="session expired")
        return self.get_response(request)
