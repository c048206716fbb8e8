"""Sign-in (password, then a TOTP code or first-time set-up) and sign-out pages.

Between the two steps the session holds only the pending user's id, the time
and where to go next (``services.SESSION_PENDING``), for at most
``services.PENDING_FOR``; the user is not signed in until the code is right.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import services, totp
from .forms import CodeForm, PasswordForm


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> tuple[AbstractBaseUser, str] | None:
    pending: dict[str, Any] | None = request.session.get(services.SESSION_PENDING)
    if not pending or time.time() - float(pending.get("at", 0)) > services.PENDING_FOR.total_seconds():
        request.session.pop(services.SESSION_PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        return None
    return user, str(pending.get("next", ""))


def _sign_in_page(request: HttpRequest, form: PasswordForm, next_url: str, *, failed: bool) -> HttpResponse:
    return render(request, "registration/login.html", {"form": form, "next": next_url, "failed": failed})


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method != "POST":
        if request.user.is_authenticated:
            return HttpResponseRedirect(_safe_next(request, next_url))
        return _sign_in_page(request, PasswordForm(), next_url, failed=False)
    form = PasswordForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, form, next_url, failed=True)
    result = services.check_password(request, form.cleaned_data["username"], form.cleaned_data["password"])
    if result.user is None:
        return _sign_in_page(request, PasswordForm(initial={"username": form.cleaned_data["username"]}), next_url,
                             failed=True)  # fmt: skip
    if not result.two_factor:
        services.complete_sign_in(request, result.user, two_factor=False)
        return HttpResponseRedirect(_safe_next(request, next_url))
    request.session.cycle_key()
    request.session[services.SESSION_PENDING] = {"user": result.user.pk, "at": time.time(), "next": next_url}
    return redirect("login-code" if result.enrolled else "login-enrol")


def _code_step(request: HttpRequest, *, enrol: bool) -> HttpResponse:
    pending = _pending_user(request)
    if pending is None:
        return redirect("login")
    user, next_url = pending
    secret = ""
    if enrol:
        try:
            secret = services.enrolment_secret(user)
        except PermissionError:
            return redirect("login-code")
    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            check = services.confirm_enrolment if enrol else services.check_code
            outcome = check(request, user, form.cleaned_data["code"])
            if outcome is True:
                request.session.pop(services.SESSION_PENDING, None)
                services.complete_sign_in(request, user, two_factor=True)
                return HttpResponseRedirect(_safe_next(request, next_url))
            if outcome is None:  # locked: start again, with the answer a wrong password gets
                request.session.pop(services.SESSION_PENDING, None)
                return _sign_in_page(request, PasswordForm(initial={"username": user.get_username()}), next_url,
                                     failed=True)  # fmt: skip
            error = _("The code is not right. Enter the code your app shows now.")
        else:
            error = str(form.errors["code"][0])
    context: dict[str, Any] = {"form": form, "error": error}
    if enrol:
        context |= {
            "secret": totp.group(secret),
            "uri": totp.provisioning_uri(secret, account=user.get_username()),
        }
    return render(request, "registration/enrol.html" if enrol else "registration/two_factor.html", context)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=False)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=True)


@csrf_protect
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
