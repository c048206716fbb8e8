"""Every step of signing in and out; each writes its audit entry in the same transaction.

Signing in is two steps for a user who must use two-factor authentication
(:func:`needs_two_factor`): :func:`check_password` then :func:`check_code` (or
:func:`use_recovery_code`). Django's ``login()`` is called only by
:func:`complete_sign_in`, after the last step, so a half-signed-in user holds no
authenticated session.

Two-factor is set up only through a one-time link an LA administrator issues
(:func:`setup_link_issue`, or :func:`two_factor_reset` after a lost phone):
:func:`enrolment_secret` and :func:`confirm_enrolment` refuse without a valid
link for the user, so someone who has only the password cannot enrol their own
device. Enrolment creates the recovery codes (:mod:`.recovery` says how they are
kept); :func:`recovery_codes_regenerate` replaces them for a current TOTP code.

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

from django.contrib.auth import SESSION_KEY, authenticate, get_user_model, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError
from diogel.access.models import Membership
from diogel.access.roles import CASE_CONTENT_ROLES, Role
from diogel.access.visibility import active_memberships
from diogel.audit import AuditEvent, SystemActor
from diogel.cases.models import LocalAuthority, Worker
from diogel.errors import UserError

from . import recovery, sealing, totp
from .models import RecoveryCode, SetUpLink, SignInFailure, SignInThrottle, TOTPDevice

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

Actor = AbstractBaseUser | SystemActor


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


def enrolment_secret(user: AbstractBaseUser, *, token: str) -> str:
    """The secret to show while ``user`` sets up two-factor through the link ``token`` (created once; never shown
    once confirmed). :class:`PermissionError` without a valid link for ``user``, or once set up."""
    with transaction.atomic():
        if not _valid_links(token).filter(user_id=user.pk).exists():
            raise PermissionError("two-factor is set up only through a valid set-up link")
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


@dataclass(frozen=True)
class Enrolled:
    """Two-factor is set up: the recovery codes to show once (only their keyed hashes are kept)."""

    recovery_codes: list[str]


def confirm_enrolment(request: HttpRequest, user: AbstractBaseUser, code: str, *, token: str) -> Enrolled | bool | None:
    """Set-up through the link ``token``: a right code confirms the device (TOTP_ENROLLED), uses up the link and
    creates the recovery codes, all in one transaction. False if the code is wrong, None if the username is now
    locked (as :func:`check_code`); :class:`PermissionError` if the link is no longer valid."""
    if is_locked(user.get_username()):
        _register_failure(
            user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="locked"
        )
        return None
    with transaction.atomic():
        link = _valid_links(token).select_for_update().filter(user_id=user.pk).first()
        if link is None:
            raise PermissionError("the set-up link is no longer valid")
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed_at__isnull=True).first()
        if device is not None and _use_code(device, code):
            now = timezone.now()
            device.confirmed_at = now
            device.save(update_fields=["confirmed_at"])
            link.used_at = now
            link.save(update_fields=["used_at"])
            audit.record(actor=user, event=AuditEvent.TOTP_ENROLLED, obj=device, detail={"set_up_link": link.pk})
            return Enrolled(_new_recovery_codes(user))
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


# ---- set-up links and resets (LA administrators) -------------------------------------------------------------

SETUP_LINK_VALID_FOR = timedelta(hours=72)
SESSION_SETUP = "diogel_setup"  # the token of the set-up link this browser opened, until set-up is done
REASON_MAX = 500


@dataclass(frozen=True)
class IssuedLink:
    """A new set-up link: ``token`` is shown to the administrator once; only its hash is stored."""

    link: SetUpLink
    token: str


def _valid_links(token: str) -> QuerySet[SetUpLink]:
    """The link with this token, if it is unused, not withdrawn, not expired and its user is active."""
    if not token:
        return SetUpLink.objects.none()
    return SetUpLink.objects.filter(
        token_hash=recovery.hash_token(token),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        user__is_active=True,
    )


def has_device(user: AbstractBaseUser) -> bool:
    """Whether ``user`` has set up two-factor (a confirmed device)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def no_setup_link(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Audit that ``user`` gave the right password but has no device and no valid set-up link (not counted
    towards the lock: the password was right; the person is told to ask their administrator)."""
    with transaction.atomic():
        audit.record(
            actor=AnonymousUser(),
            event=AuditEvent.LOGIN_FAILED,
            obj=user,
            detail={"username": user.get_username(), "reason": "two-factor not set up, no set-up link",
                    "ip": client_ip(request)},
        )  # fmt: skip


def setup_link_for(token: str) -> SetUpLink | None:
    """The valid set-up link with this token whose user has not yet set up two-factor, or None."""
    link = _valid_links(token).select_related("user").first()
    if link is None or TOTPDevice.objects.filter(user_id=link.user_id, confirmed_at__isnull=False).exists():
        return None
    return link


def is_person_of(user: AbstractBaseUser, la: LocalAuthority) -> bool:
    """Whether ``user`` belongs to ``la``: holds or held a role in it, or is one of its workers."""
    return (
        Membership.objects.filter(user_id=user.pk, la=la).exists()
        or Worker.objects.filter(user_id=user.pk, la=la).exists()
    )


def _check_admin(actor: Actor, user: AbstractBaseUser, la: LocalAuthority) -> None:
    """``actor`` may manage ``user``'s two-factor in ``la``: an administrator of ``la``, ``user`` a person of
    ``la`` who is not the actor and not a system administrator (their two-factor is another system
    administrator's business)."""
    if isinstance(actor, SystemActor):
        return
    if actor.pk == user.pk:
        raise NotAllowedError(
            _("You cannot set up or reset your own two-factor authentication: ask another administrator.")
        )
    trusted = bool(getattr(actor, "is_superuser", False) and actor.is_active)
    admin = trusted or any(m.role == Role.LA_ADMIN and m.la_id == la.pk for m in active_memberships(actor))
    if not admin or not is_person_of(user, la) or not user.is_active:
        raise NotAllowedError(_("You cannot manage this person's two-factor authentication."))
    if not trusted and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)):
        raise NotAllowedError(
            _("The two-factor authentication of a system administrator is managed by another system administrator.")
        )


def _issue(actor: Actor, user: AbstractBaseUser, la: LocalAuthority) -> IssuedLink:
    now = timezone.now()
    withdrawn = SetUpLink.objects.filter(user_id=user.pk, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=True).delete()  # a secret shown earlier dies
    token = recovery.new_token()
    link = SetUpLink.objects.create(
        user_id=user.pk,
        token_hash=recovery.hash_token(token),
        created_at=now,
        created_by_id=None if isinstance(actor, SystemActor) else actor.pk,
        created_by_label=actor.label if isinstance(actor, SystemActor) else actor.get_username(),
        expires_at=now + SETUP_LINK_VALID_FOR,
    )
    audit.record(
        actor=actor,
        event=AuditEvent.TOTP_SETUP_LINK_ISSUED,
        obj=link,
        la=la,
        detail={"for": user.get_username(), "expires": link.expires_at, "withdrawn": withdrawn},
    )
    return IssuedLink(link, token)


@transaction.atomic
def setup_link_issue(*, actor: Actor, user: AbstractBaseUser, la: LocalAuthority) -> IssuedLink:
    """A one-time set-up link for ``user`` (valid :data:`SETUP_LINK_VALID_FOR`); earlier unused links are withdrawn.

    For a person of ``la`` who must use two-factor and has not set it up (else: reset it first).
    """
    _check_admin(actor, user, la)
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one issue or reset at a time
    if TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists():
        raise UserError(
            _("%(person)s has already set up two-factor authentication. If they have lost their device, reset it.")
            % {"person": user.get_username()}
        )
    if not needs_two_factor(user):
        raise UserError(
            _(
                "%(person)s does not need two-factor authentication: none of their roles sees children's records. "
                "Give them such a role first."
            )
            % {"person": user.get_username()}
        )
    return _issue(actor, user, la)


def end_sessions(user: AbstractBaseUser) -> int:
    """Delete every unexpired session of ``user`` (signed in, or between the password and the code); how many.

    Sessions are rows of Django's database session store (the default engine), decoded one by one: a
    reset is rare, and this also ends sessions that were not made by the sign-in view.
    """
    uid = str(user.pk)
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        pending = data.get(SESSION_PENDING) or {}
        if str(data.get(SESSION_KEY, "")) == uid or str(pending.get("user", "")) == uid:
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: AbstractBaseUser, la: LocalAuthority, reason: str) -> IssuedLink:
    """Remove ``user``'s device and recovery codes, end their sessions, and issue a new set-up link (TOTP_RESET,
    then TOTP_SETUP_LINK_ISSUED). For a lost or replaced phone; ``reason`` is required."""
    _check_admin(actor, user, la)
    reason = reason.strip()
    if not reason:
        raise UserError(_("Give the reason for the reset."))
    if len(reason) > REASON_MAX:
        raise UserError(_("Keep the reason to %(max)d characters or fewer.") % {"max": REASON_MAX})
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    devices, _detail = TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).delete()
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    codes, _detail = RecoveryCode.objects.filter(user_id=user.pk).delete()
    sessions = end_sessions(user)
    audit.record(
        actor=actor,
        event=AuditEvent.TOTP_RESET,
        obj=user,
        la=la,
        detail={
            "for": user.get_username(),
            "reason": reason,
            "device_removed": devices > 0,
            "recovery_codes_removed": codes,
            "sessions_ended": sessions,
        },
    )
    return _issue(actor, user, la)


@dataclass(frozen=True)
class TwoFactorStatus:
    """What an administrator (or the user) sees of someone's two-factor set-up."""

    needed: bool
    confirmed_at: datetime | None
    link_expires_at: datetime | None
    link_issued_by: str
    recovery_codes_left: int


def two_factor_status(user: AbstractBaseUser) -> TwoFactorStatus:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    link = (
        SetUpLink.objects.filter(
            user_id=user.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    return TwoFactorStatus(
        needed=needs_two_factor(user),
        confirmed_at=device.confirmed_at if device is not None else None,
        link_expires_at=link.expires_at if link is not None and device is None else None,
        link_issued_by=link.created_by_label if link is not None and device is None else "",
        recovery_codes_left=RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count(),
    )


# ---- recovery codes ------------------------------------------------------------------------------------------


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace ``user``'s recovery codes by :data:`recovery.COUNT` new ones (RECOVERY_CODES_CREATED); the codes
    are returned to be shown once, and only their keyed hashes are stored."""
    replaced, _detail = RecoveryCode.objects.filter(user_id=user.pk).delete()
    now = timezone.now()
    codes = [recovery.generate_code() for _ in range(recovery.COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user_id=user.pk, code_hash=recovery.hash_code(user.pk, recovery.normalise_code(c)), created_at=now)
        for c in codes
    )
    audit.record(
        actor=user, event=AuditEvent.RECOVERY_CODES_CREATED, detail={"count": len(codes), "replaced": replaced}
    )
    return codes


def use_recovery_code(request: HttpRequest, user: AbstractBaseUser, code: str) -> bool | None:
    """Step 2 with a recovery code instead of a TOTP code: True if it is one of ``user``'s unused codes (it is
    used up, RECOVERY_CODE_USED), False if not (a TOTP_FAILED that counts towards the lock, like a wrong code),
    None if the username is now locked."""
    if is_locked(user.get_username()):
        _register_failure(
            user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="locked"
        )
        return None
    normal = recovery.normalise_code(code)
    if normal:
        with transaction.atomic():
            found = (
                RecoveryCode.objects.select_for_update()
                .filter(user_id=user.pk, code_hash=recovery.hash_code(user.pk, normal), used_at__isnull=True)
                .first()
            )
            if found is not None:
                found.used_at = timezone.now()
                found.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()
                audit.record(
                    actor=user,
                    event=AuditEvent.RECOVERY_CODE_USED,
                    obj=found,
                    detail={"left": left, "ip": client_ip(request)},
                )
                return True
    locked = _register_failure(
        user.get_username(), user=user, request=request, event=AuditEvent.TOTP_FAILED, reason="wrong recovery code"
    )
    return None if locked else False


def recovery_codes_regenerate(request: HttpRequest, code: str, *, actor: AbstractBaseUser) -> list[str] | bool | None:
    """New recovery codes for the signed-in ``actor``, who proves they hold the device with a current TOTP code:
    the new codes (the old ones stop working), False if the code is wrong (counted towards the lock), None if
    the username is now locked (the caller ends the session)."""
    username = actor.get_username()
    if is_locked(username):
        _register_failure(username, user=actor, request=request, event=AuditEvent.TOTP_FAILED, reason="locked")
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=actor.pk, confirmed_at__isnull=False).first()
        if device is not None and _use_code(device, code):
            return _new_recovery_codes(actor)
    locked = _register_failure(
        username, user=actor, request=request, event=AuditEvent.TOTP_FAILED, reason="wrong code (recovery codes)"
    )
    return None if locked else False
