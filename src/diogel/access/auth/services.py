"""Every step of signing in and out; each writes its audit entry in the same transaction.

Signing in is two steps for a user who must use two-factor authentication
(:func:`needs_two_factor`): :func:`check_password` then :func:`check_code` (or
:func:`confirm_enrolment` the first time). Django's ``login()`` is called only
by :func:`complete_sign_in`, after the last step, so a half-signed-in user holds
no authenticated session.

Lockout: :data:`LOCK_AFTER` failures (wrong password, unknown username or wrong
code) for one username within :data:`WINDOW` lock that username for
:data:`LOCK_FOR`. A locked username gets the same answer as a wrong password,
and the password hasher runs for every attempt, so neither the message nor the
time taken says whether an account exists or is locked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from diogel import audit
from diogel.access.models import Membership
from diogel.access.roles import CASE_CONTENT_ROLES, Role
from diogel.audit import AuditEvent

from . import sealing, totp
from .models import SignInFailure, SignInThrottle, TOTPDevice

LOCK_AFTER = 5
WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
KEEP_FAILURES = timedelta(days=1)

#: Roles whose holders must use two-factor authentication: every role that can see case content
#: (performance officers included, identifiable grant or not), and LA administrators, who can grant roles.
TWO_FACTOR_ROLES = frozenset(CASE_CONTENT_ROLES | {Role.LA_ADMIN})

SESSION_AUTH_AT = "diogel_auth_at"  # when the sign-in completed (unix seconds): the absolute limit
SESSION_TWO_FACTOR = "diogel_two_factor"  # True when the sign-in used a TOTP code
SESSION_PENDING = "diogel_pending"  # between the password and the code: {"user", "at", "next"}
PENDING_FOR = timedelta(minutes=5)


def username_key(username: str) -> str:
    """The username as lockout counts it: trimmed and case-folded, so "Sam" and "sam " count together."""
    return username.strip().casefold()[:150]


def client_ip(request: HttpRequest) -> str:
    from .middleware import client_ip as ip

    return ip(request)


def needs_two_factor(user: AbstractBaseUser) -> bool:
    """Whether ``user`` must give a TOTP code: any current membership of :data:`TWO_FACTOR_ROLES`, or staff."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user_id=user.pk, role__in=TWO_FACTOR_ROLES, revoked_at__isnull=True).exists()


def is_locked(username: str, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return SignInThrottle.objects.filter(username=username_key(username), locked_until__gt=now).exists()


def _register_failure(
    username: str, *, user: AbstractBaseUser | None, request: HttpRequest, event: AuditEvent, reason: str
) -> bool:
    """Audit one failure and count it; lock the username at the LOCK_AFTER-th. True if it is (now) locked."""
    key = username_key(username)
    now = timezone.now()
    with transaction.atomic():
        throttle, _created = SignInThrottle.objects.get_or_create(username=key)
        throttle = SignInThrottle.objects.select_for_update().get(pk=throttle.pk)
        detail: dict[str, Any] = {"username": username[:150], "reason": reason, "ip": client_ip(request)}
        actor: Any = user if event == AuditEvent.TOTP_FAILED else AnonymousUser()
        audit.record(actor=actor, event=event, obj=user, detail=detail)
        if throttle.locked_until is not None and throttle.locked_until > now:
            return True  # already locked: recorded, not counted (the lock is not extended)
        SignInFailure.objects.create(username=key, at=now)
        SignInFailure.objects.filter(at__lt=now - KEEP_FAILURES).delete()
        since = max(now - WINDOW, throttle.counted_from) if throttle.counted_from else now - WINDOW
        failures = SignInFailure.objects.filter(username=key, at__gt=since).count()
        if failures < LOCK_AFTER:
            return False
        throttle.locked_until = now + LOCK_FOR
        throttle.counted_from = throttle.locked_until  # after the lock, counting starts afresh
        throttle.save(update_fields=["locked_until", "counted_from"])
        audit.record(
            actor=AnonymousUser(),
            event=AuditEvent.ACCOUNT_LOCKED,
            obj=user,
            detail={"username": username[:150], "failures": failures, "until": throttle.locked_until},
        )
        return True


@dataclass(frozen=True)
class PasswordResult:
    """The outcome of the password step: ``user`` is None on any failure (wrong, unknown, locked, inactive)."""

    user: AbstractBaseUser | None
    two_factor: bool = False
    enrolled: bool = False


def check_password(request: HttpRequest, username: str, password: str) -> PasswordResult:
    """Step 1. The hasher runs whether or not the account exists or is locked (equal time, equal answer)."""
    locked = is_locked(username)
    user = authenticate(request, username=username, password=password)  # hashes a dummy for unknown users
    if user is None or locked:
        known = get_user_model().objects.filter(username=username).first()
        reason = "locked" if locked else ("wrong password" if known is not None else "unknown username")
        _register_failure(username, user=known, request=request, event=AuditEvent.LOGIN_FAILED, reason=reason)
        return PasswordResult(None)
    if not needs_two_factor(user):
        return PasswordResult(user)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    return PasswordResult(user, two_factor=True, enrolled=device is not None)


def complete_sign_in(request: HttpRequest, user: AbstractBaseUser, *, two_factor: bool) -> None:
    """The last step: a new authenticated session (new key), its start time, the LOGIN entry, the count reset."""
    with transaction.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
        request.session[SESSION_AUTH_AT] = int(time.time())
        request.session[SESSION_TWO_FACTOR] = two_factor
        SignInThrottle.objects.filter(username=username_key(user.get_username())).update(counted_from=timezone.now())
        audit.record(actor=user, event=AuditEvent.LOGIN, detail={"two_factor": two_factor, "ip": client_ip(request)})


def sign_out(request: HttpRequest, *, reason: str = "") -> None:
    """End the session (LOGOUT entry if someone was signed in); ``reason`` e.g. "session expired"."""
    user = getattr(request, "user", None)
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            audit.record(actor=user, event=AuditEvent.LOGOUT, detail={"reason": reason} if reason else None)
        logout(request)


# ---- two-factor ---------------------------------------------------------------------------------------------


def _key(device: TOTPDevice) -> bytes:
    return totp.decode_secret(sealing.unseal(device.sealed_secret))


def enrolment_secret(user: AbstractBaseUser) -> str:
    """The secret to show while ``user`` sets up two-factor (created once; never shown once confirmed)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk).first()
        if device is not None and device.confirmed_at is not None:
            raise PermissionError("two-factor is already set up: the secret is never shown again")
        if device is None:
            device = TOTPDevice.objects.create(
                user_id=user.pk, sealed_secret=sealing.seal(totp.generate_secret()), created_at=timezone.now()
            )
        return sealing.unseal(device.sealed_secret)


def _use_code(device: TOTPDevice, code: str) -> bool:
    step = totp.match(_key(device), code, after_step=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


def check_code(request: HttpRequest, user: AbstractBaseUser, code: str) -> bool | None:
    """Step 2: True if right (not yet used), False if wrong, None if the username is now locked."""
    if is_locked(user.get_username()):
        _register_failure(
            user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="locked"
        )
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed_at__isnull=False).first()
        if device is not None and _use_code(device, code):
            return True
    locked = _register_failure(
        user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="wrong code"
    )
    return None if locked else False


def confirm_enrolment(request: HttpRequest, user: AbstractBaseUser, code: str) -> bool | None:
    """First sign-in: a right code confirms the device (TOTP_ENROLLED). Same answers as :func:`check_code`."""
    if is_locked(user.get_username()):
        _register_failure(
            user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="locked"
        )
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed_at__isnull=True).first()
        if device is not None and _use_code(device, code):
            device.confirmed_at = timezone.now()
            device.save(update_fields=["confirmed_at"])
            audit.record(actor=user, event=AuditEvent.TOTP_ENROLLED, obj=device)
            return True
    locked = _register_failure(
        user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="wrong code (set-up)"
    )
    return None if locked else False


def enrol_confirmed(*, actor: audit.SystemActor, user: AbstractBaseUser) -> str:
    """Give ``user`` a new, already confirmed secret and return it (the demo accounts; a reset by an administrator).

    Replaces any earlier device: codes from the old secret stop working.
    """
    secret = totp.generate_secret()
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        device = TOTPDevice.objects.create(
            user_id=user.pk, sealed_secret=sealing.seal(secret), created_at=timezone.now(), confirmed_at=timezone.now()
        )
        audit.record(actor=actor, event=AuditEvent.TOTP_ENROLLED, obj=device, detail={"for": user.get_username()})
    return secret
