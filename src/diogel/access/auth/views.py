"""Sign-in (password, then a TOTP code or a recovery code), set-up through an administrator's link,
the user's own two-factor page, and sign-out.

Between the two steps the session holds only the pending user's id, the time
and where to go next (``services.SESSION_PENDING``), for at most
``services.PENDING_FOR``; the user is not signed in until the code is right.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import services, totp
from .forms import CodeForm, PasswordForm, RecoveryCodeForm


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


def _code_step(request: HttpRequest) -> HttpResponse:
    pending = _pending_user(request)
    if pending is None:
        return redirect("login")
    user, next_url = pending
    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            outcome = services.check_code(request, user, form.cleaned_data["code"])
            if outcome is True:
                request.session.pop(services.SESSION_PENDING, None)
                services.complete_sign_in(request, user, two_factor=True)
                return HttpResponseRedirect(_safe_next(request, next_url))
            if outcome is None:
                return _locked(request, user, next_url)
            error = _("The code is not right. Enter the code your app shows now.")
        else:
            error = str(form.errors["code"][0])
    return render(request, "access_auth/two_factor.html", {"form": form, "error": error})


def _locked(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> HttpResponse:
    """Locked while giving a code: start again, with the answer a wrong password gets."""
    request.session.pop(services.SESSION_PENDING, None)
    return _sign_in_page(request, PasswordForm(initial={"username": user.get_username()}), next_url, failed=True)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    return _code_step(request)


# ---- set-up through a link issued by an administrator ---------------------------------------------------------


def _setup_invalid(request: HttpRequest) -> HttpResponse:
    request.session.pop(services.SESSION_SETUP, None)
    return render(request, "access_auth/setup_invalid.html")


@never_cache
@require_http_methods(["GET"])
def setup_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link itself: the token moves into the session and out of the address (so that it is not left in
    the history or sent on in a Referer), as Django's password reset does."""
    if services.setup_link_for(token) is None:
        return _setup_invalid(request)
    request.session[services.SESSION_SETUP] = token
    return redirect("login-setup")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Step 1 of set-up: the password of the account the link was issued for."""
    token = str(request.session.get(services.SESSION_SETUP, ""))
    link = services.setup_link_for(token)
    if link is None:
        return _setup_invalid(request)
    form = PasswordForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            error = _("The username or password is not right. Try again.")
        else:
            result = services.check_password(request, form.cleaned_data["username"], form.cleaned_data["password"])
            if result.user is None:
                error = _("The username or password is not right. Try again.")
            elif result.user.pk != link.user_id:
                error = _(
                    "This set-up link was issued for another account. Sign in with the account it is for, "
                    "or ask your administrator."
                )
            elif not result.two_factor:  # no longer needs two-factor (a role was revoked): an ordinary sign-in
                request.session.pop(services.SESSION_SETUP, None)
                services.complete_sign_in(request, result.user, two_factor=False)
                return HttpResponseRedirect(_safe_next(request, ""))
            else:
                request.session.cycle_key()
                request.session[services.SESSION_PENDING] = {"user": result.user.pk, "at": time.time(), "next": ""}
                return redirect("login-enrol")
        form = PasswordForm(initial={"username": request.POST.get("username", "")[:150]})
    return render(request, "access_auth/setup.html", {"form": form, "error": error})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Step 2 of set-up: the key for the app, then a code from it; then the recovery codes, once.

    Only with a valid set-up link for this user in the session: without one, a page saying to ask an
    administrator (someone who has only the password cannot enrol their own device)."""
    pending = _pending_user(request)
    if pending is None:
        return redirect("login")
    user, next_url = pending
    token = str(request.session.get(services.SESSION_SETUP, ""))
    link = services.setup_link_for(token)
    if link is None or link.user_id != user.pk:
        if services.has_device(user):
            return redirect("login-code")
        request.session.pop(services.SESSION_PENDING, None)
        services.no_setup_link(request, user)
        return render(request, "access_auth/no_setup_link.html")
    try:
        secret = services.enrolment_secret(user, token=token)
    except PermissionError:  # the link was used up or withdrawn a moment ago
        return _setup_invalid(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.confirm_enrolment(request, user, form.cleaned_data["code"], token=token)
            except PermissionError:
                return _setup_invalid(request)
            if isinstance(outcome, services.Enrolled):
                request.session.pop(services.SESSION_PENDING, None)
                request.session.pop(services.SESSION_SETUP, None)
                services.complete_sign_in(request, user, two_factor=True)
                return _recovery_codes_page(request, outcome.recovery_codes, next_url, first=True)
            if outcome is None:
                request.session.pop(services.SESSION_SETUP, None)
                return _locked(request, user, next_url)
            error = _("The code is not right. Enter the code your app shows now.")
        else:
            error = str(form.errors["code"][0])
    context = {
        "form": form,
        "error": error,
        "secret": totp.group(secret),
        "uri": totp.provisioning_uri(secret, account=user.get_username()),
    }
    return render(request, "access_auth/enrol.html", context)


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str, *, first: bool) -> HttpResponse:
    """The recovery codes, shown once in the answer to the request that made them (never stored in clear)."""
    context = {"codes": codes, "next": _safe_next(request, next_url), "first": first}
    return render(request, "access_auth/recovery_codes.html", context)


# ---- recovery codes -------------------------------------------------------------------------------------------


@sensitive_post_parameters("recovery_code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """Step 2 with a recovery code instead of the app's code."""
    pending = _pending_user(request)
    if pending is None:
        return redirect("login")
    user, next_url = pending
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            outcome = services.use_recovery_code(request, user, form.cleaned_data["recovery_code"])
            if outcome is True:
                request.session.pop(services.SESSION_PENDING, None)
                services.complete_sign_in(request, user, two_factor=True)
                left = services.two_factor_status(user).recovery_codes_left
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. You have %(left)d recovery code left.",
                        "You signed in with a recovery code. You have %(left)d recovery codes left.",
                        left,
                    )
                    % {"left": left}
                    + " "
                    + _(
                        "If you have lost your phone, ask your administrator to reset your two-factor "
                        "authentication; otherwise create new recovery codes on your two-factor page."
                    ),
                )
                return HttpResponseRedirect(_safe_next(request, next_url))
            if outcome is None:
                return _locked(request, user, next_url)
            error = _("The recovery code is not right, or has been used already.")
        else:
            error = str(form.errors["recovery_code"][0])
    return render(request, "access_auth/recovery.html", {"form": form, "error": error})


@login_required
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own two-factor page: the state of it, and new recovery codes for a current code."""
    user: Any = request.user
    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            outcome = services.recovery_codes_regenerate(request, form.cleaned_data["code"], actor=user)
            if isinstance(outcome, list):
                return _recovery_codes_page(request, outcome, reverse("two-factor"), first=False)
            if outcome is None:  # locked: whoever holds this session does not hold the phone
                services.sign_out(request, reason="locked after wrong two-factor codes")
                return redirect("login")
            error = _("The code is not right. Enter the code your app shows now.")
        else:
            error = str(form.errors["code"][0])
    context = {"form": form, "error": error, "status": services.two_factor_status(user)}
    return render(request, "access_auth/two_factor_settings.html", context)


@csrf_protect
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
