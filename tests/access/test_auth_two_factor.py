"""Two-factor set-up only through an administrator's one-time link, resets, and recovery codes.

Replaces the old "first sign-in enrols with only the password" flow: a user with no device and no
valid link is told to ask their administrator, and no secret is ever created for them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from access.test_auth import PASSWORD, _code_now, _events, _post_password, _user
from diogel.access import services as access_services
from diogel.access.auth import recovery, services
from diogel.access.auth.models import RecoveryCode, SetUpLink, TOTPDevice
from diogel.access.errors import NotAllowedError
from diogel.access.roles import Role
from diogel.audit import AuditEvent, SystemActor
from diogel.audit.chain import verify
from diogel.audit.models import AuditEntry
from diogel.cases.models import LocalAuthority
from diogel.errors import UserError

CARDIFF = "W06000015"
SWANSEA = "W06000011"
ENROL = "/accounts/login/enrol/"
SETUP = "/accounts/login/setup/"
CODES = re.compile(r"<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.DIOGEL_TOTP_KEY = "test-key-" + "x" * 32


def _la(code: str = CARDIFF) -> LocalAuthority:
    return LocalAuthority.objects.get(code=code)


def _admin(username: str = "admin", code: str = CARDIFF) -> AbstractBaseUser:
    admin = _user(username)
    access_services.membership_grant(actor=SystemActor("test"), user=admin, role=Role.LA_ADMIN, la=_la(code))
    return admin


def _secret(page: str) -> str:
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert found is not None, page
    return found.group(1).replace(" ", "")


def _enrol(client: Client, token: str, username: str = "sam.jones") -> tuple[str, list[str]]:
    """Open the link, give the password, set up the app: (secret, recovery codes shown)."""
    opened = client.get(f"/accounts/login/setup/{token}/")
    assert opened.status_code == 302 and opened["Location"] == SETUP  # the token leaves the address
    assert client.post(SETUP, {"username": username, "password": PASSWORD})["Location"] == ENROL
    secret = _secret(client.get(ENROL).content.decode())
    done = client.post(ENROL, {"code": _code_now(secret)})
    assert done.status_code == 200
    codes = CODES.findall(done.content.decode())
    return secret, codes


def _entries(event: AuditEvent) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("seq"))


# ---- set-up links ----------------------------------------------------------------------------------------------


def test_without_a_link_a_new_user_cannot_enrol_and_is_told_to_ask_their_administrator() -> None:
    user = _user(role=Role.SOCIAL_WORKER)
    client = Client()
    assert _post_password(client, "sam.jones")["Location"] == ENROL
    page = client.get(ENROL)
    body = page.content.decode()
    assert page.status_code == 200 and "Ask your administrator to set up two-factor authentication" in body
    assert "totp-secret" not in body and "otpauth://" not in body
    assert not TOTPDevice.objects.filter(user_id=user.pk).exists()  # no secret was even made
    assert client.get("/").status_code == 302  # not signed in
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"  # the pending step is gone
    [failed] = _events(AuditEvent.LOGIN_FAILED)
    assert failed.detail["reason"] == "two-factor not set up, no set-up link"
    assert not services.is_locked("sam.jones")


def test_a_link_enrols_once_is_stored_hashed_and_gives_ten_recovery_codes() -> None:
    admin = _admin()
    user = _user(role=Role.SOCIAL_WORKER)
    issued = services.setup_link_issue(actor=admin, user=user, la=_la())
    row = SetUpLink.objects.get(user_id=user.pk)
    assert issued.token not in str(row.__dict__)  # only the hash is stored
    assert row.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert len(issued.token) >= 43  # 256 bits
    assert row.expires_at - row.created_at == timedelta(hours=72)
    [entry] = _entries(AuditEvent.TOTP_SETUP_LINK_ISSUED)
    assert entry.actor_id == admin.pk and entry.la_id == _la().pk
    assert entry.detail is not None and entry.detail["for"] == "sam.jones"

    client = Client()
    secret, codes = _enrol(client, issued.token)
    assert len(codes) == recovery.COUNT == len(set(codes)) == 10
    assert client.get("/").status_code == 200  # signed in
    row.refresh_from_db()
    assert row.used_at is not None
    assert TOTPDevice.objects.get(user_id=user.pk).confirmed_at is not None
    stored = list(RecoveryCode.objects.filter(user_id=user.pk).values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:  # kept as keyed hashes, never in clear
        assert all(code not in h and code.replace("-", "") not in h for h in stored)
        assert recovery.hash_code(user.pk, recovery.normalise_code(code)) in stored
    [enrolled] = _events(AuditEvent.TOTP_ENROLLED)
    assert enrolled.detail["set_up_link"] == row.pk
    [created] = _events(AuditEvent.RECOVERY_CODES_CREATED)
    assert created.actor_id == user.pk and created.detail == {"count": 10, "replaced": 0}
    assert _events(AuditEvent.LOGIN)[0].detail["two_factor"] is True
    client.post("/accounts/logout/")

    # Single use: the same link now says it cannot be used, and sign-in asks for the app's code.
    again = Client()
    page = again.get(f"/accounts/login/setup/{issued.token}/")
    assert page.status_code == 200 and "This set-up link cannot be used" in page.content.decode()
    assert _post_password(again, "sam.jones")["Location"] == "/accounts/login/code/"
    assert again.get(ENROL)["Location"] == "/accounts/login/code/"
    assert again.post("/accounts/login/code/", {"code": _code_now(secret, +1)}).status_code == 302
    assert verify().ok


def test_a_link_expires_after_72_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _user(role=Role.IRO)
    issued = services.setup_link_issue(actor=_admin(), user=user, la=_la())
    start = timezone.now()
    monkeypatch.setattr("diogel.access.auth.services.timezone.now", lambda: start + timedelta(hours=71, minutes=59))
    assert services.setup_link_for(issued.token) is not None
    monkeypatch.setattr("diogel.access.auth.services.timezone.now", lambda: start + timedelta(hours=72, seconds=1))
    assert services.setup_link_for(issued.token) is None
    page = Client().get(f"/accounts/login/setup/{issued.token}/")
    assert "This set-up link cannot be used" in page.content.decode()


def test_a_link_opened_before_expiry_cannot_be_finished_after_it() -> None:
    user = _user(role=Role.IRO)
    issued = services.setup_link_issue(actor=_admin(), user=user, la=_la())
    client = Client()
    client.get(f"/accounts/login/setup/{issued.token}/")
    client.post(SETUP, {"username": "sam.jones", "password": PASSWORD})
    secret = _secret(client.get(ENROL).content.decode())
    SetUpLink.objects.filter(user_id=user.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.post(ENROL, {"code": _code_now(secret)})
    assert "Ask your administrator to set up two-factor authentication" in page.content.decode()
    assert TOTPDevice.objects.get(user_id=user.pk).confirmed_at is None


def test_a_new_link_withdraws_the_earlier_one_and_its_secret() -> None:
    admin = _admin()
    user = _user(role=Role.SOCIAL_WORKER)
    first = services.setup_link_issue(actor=admin, user=user, la=_la())
    client = Client()
    client.get(f"/accounts/login/setup/{first.token}/")
    client.post(SETUP, {"username": "sam.jones", "password": PASSWORD})
    shown = _secret(client.get(ENROL).content.decode())  # someone saw this secret
    second = services.setup_link_issue(actor=admin, user=user, la=_la())
    assert services.setup_link_for(first.token) is None and services.setup_link_for(second.token) is not None
    assert not TOTPDevice.objects.filter(user_id=user.pk).exists()  # the secret shown with the first link is gone
    secret, _codes = _enrol(Client(), second.token)
    assert secret != shown
    detail = _entries(AuditEvent.TOTP_SETUP_LINK_ISSUED)[-1].detail
    assert detail is not None and detail["for"] == "sam.jones" and detail["withdrawn"] == 1


def test_a_link_for_another_account_does_not_enrol_it() -> None:
    admin = _admin()
    _user(role=Role.SOCIAL_WORKER)
    other = _user("alex.evans", role=Role.IRO)
    issued = services.setup_link_issue(actor=admin, user=other, la=_la())
    client = Client()
    client.get(f"/accounts/login/setup/{issued.token}/")
    page = client.post(SETUP, {"username": "sam.jones", "password": PASSWORD})
    body = page.content.decode()
    assert page.status_code == 200 and "This set-up link was issued for another account" in body
    assert 'value="sam.jones"' in body  # what was typed is kept
    assert client.get(ENROL)["Location"] == "/accounts/login/"
    assert not TOTPDevice.objects.exists()


def test_a_wrong_password_on_the_set_up_page_counts_towards_the_lock() -> None:
    user = _user(role=Role.SOCIAL_WORKER)
    issued = services.setup_link_issue(actor=_admin(), user=user, la=_la())
    client = Client()
    client.get(f"/accounts/login/setup/{issued.token}/")
    for _ in range(services.LOCK_AFTER):
        page = client.post(SETUP, {"username": "sam.jones", "password": "wrong"})
        assert "The username or password is not right" in page.content.decode()
    assert services.is_locked("sam.jones")
    assert (
        "The username or password is not right"
        in client.post(SETUP, {"username": "sam.jones", "password": PASSWORD}).content.decode()
    )


@pytest.mark.parametrize("who", ["other_la_admin", "social_worker", "self"])
def test_only_an_administrator_of_the_users_la_may_issue_a_link(who: str) -> None:
    user = _user(role=Role.LA_ADMIN)  # sam.jones administers Cardiff
    actor = {
        "other_la_admin": lambda: _admin("swansea.admin", SWANSEA),
        "social_worker": lambda: _user("colleague", Role.SOCIAL_WORKER),
        "self": lambda: user,
    }[who]()
    before = AuditEntry.objects.count()
    with pytest.raises(NotAllowedError):
        services.setup_link_issue(actor=actor, user=user, la=_la())
    with pytest.raises(NotAllowedError):
        services.two_factor_reset(actor=actor, user=user, la=_la(), reason="lost phone")
    # Naming their own LA does not help an administrator of another LA: the user is not a person of it.
    if who == "other_la_admin":
        with pytest.raises(NotAllowedError):
            services.setup_link_issue(actor=actor, user=user, la=_la(SWANSEA))
    assert not SetUpLink.objects.exists() and AuditEntry.objects.count() == before


def test_a_system_administrators_two_factor_is_not_the_la_administrators() -> None:
    staff = _user(role=Role.SOCIAL_WORKER)
    staff.is_staff = True  # type: ignore[attr-defined]
    staff.save()
    with pytest.raises(NotAllowedError):
        services.setup_link_issue(actor=_admin(), user=staff, la=_la())


def test_a_link_is_refused_for_someone_set_up_or_not_needing_two_factor() -> None:
    admin = _admin()
    user = _user(role=Role.SOCIAL_WORKER)
    services.enrol_confirmed(actor=SystemActor("test"), user=user)
    with pytest.raises(UserError, match="already set up two-factor"):
        services.setup_link_issue(actor=admin, user=user, la=_la())
    analyst = _user("analyst", role=Role.PERFORMANCE_OFFICER)
    access_services.membership_revoke(
        actor=SystemActor("test"),
        membership=analyst.memberships.get(),  # type: ignore[attr-defined]
    )
    with pytest.raises(UserError, match="does not need two-factor"):
        services.setup_link_issue(actor=admin, user=analyst, la=_la())
    assert not SetUpLink.objects.exists()


# ---- reset -----------------------------------------------------------------------------------------------------


def test_reset_removes_the_device_and_codes_ends_every_session_and_issues_a_new_link() -> None:
    admin = _admin()
    user = _user(role=Role.SOCIAL_WORKER)
    signed_in = Client()
    secret, codes = _enrol(signed_in, services.setup_link_issue(actor=admin, user=user, la=_la()).token)
    assert signed_in.get("/").status_code == 200
    forced = Client()
    forced.force_login(user)  # type: ignore[arg-type]  # a session not made by the sign-in view is ended too
    half_way = Client()
    _post_password(half_way, "sam.jones")  # between the password and the code
    bystander = Client()
    bystander.force_login(admin)  # type: ignore[arg-type]
    assert Session.objects.count() == 4

    with pytest.raises(UserError):
        services.two_factor_reset(actor=admin, user=user, la=_la(), reason="   ")
    assert TOTPDevice.objects.filter(user_id=user.pk).exists() and Session.objects.count() == 4

    issued = services.two_factor_reset(actor=admin, user=user, la=_la(), reason="Lost phone on a home visit")
    assert not TOTPDevice.objects.filter(user_id=user.pk).exists()
    assert not RecoveryCode.objects.filter(user_id=user.pk).exists()
    assert signed_in.get("/").status_code == 302 and forced.get("/").status_code == 302
    assert half_way.post("/accounts/login/code/", {"code": _code_now(secret, +1)})["Location"] == "/accounts/login/"
    assert bystander.get("/").status_code == 200  # only the user's sessions
    [reset] = _entries(AuditEvent.TOTP_RESET)
    assert reset.actor_id == admin.pk and reset.la_id == _la().pk
    assert reset.detail == {
        "for": "sam.jones",
        "reason": "Lost phone on a home visit",
        "device_removed": True,
        "recovery_codes_removed": 10,
        "sessions_ended": 3,
    }
    assert _entries(AuditEvent.TOTP_SETUP_LINK_ISSUED)[-1].seq == reset.seq + 1
    # The old recovery codes and app are dead; sign-in now leads to the ask-your-administrator page …
    again = Client()
    assert _post_password(again, "sam.jones")["Location"] == ENROL
    assert "Ask your administrator" in again.get(ENROL).content.decode()
    # … until the new link is used.
    new_secret, new_codes = _enrol(Client(), issued.token)
    assert new_secret != secret and not set(new_codes) & set(codes)
    assert verify().ok


# ---- recovery codes --------------------------------------------------------------------------------------------


def _enrolled_with_codes() -> tuple[AbstractBaseUser, str, list[str]]:
    user = _user(role=Role.SOCIAL_WORKER)
    client = Client()
    secret, codes = _enrol(client, services.setup_link_issue(actor=_admin(), user=user, la=_la()).token)
    client.post("/accounts/logout/")
    return user, secret, codes


def _time_passes(user: AbstractBaseUser) -> None:
    """As if a minute had passed since the last code: the current one is new again (no replay otherwise)."""
    TOTPDevice.objects.filter(user_id=user.pk).update(last_step=None)


def test_a_recovery_code_signs_in_once() -> None:
    user, _, codes = _enrolled_with_codes()
    client = Client()
    _post_password(client, "sam.jones", next="/caseload/")
    code_page = client.get("/accounts/login/code/").content.decode()
    assert 'href="/accounts/login/recovery/"' in code_page
    typed = codes[3].upper().replace("-", " ")  # as people type it
    response = client.post("/accounts/login/recovery/", {"recovery_code": typed})
    assert response.status_code == 302 and response["Location"] == "/caseload/"
    home = client.get("/caseload/", follow=True).content.decode()
    assert "You signed in with a recovery code. You have 9 recovery codes left." in home
    [used] = _entries(AuditEvent.RECOVERY_CODE_USED)
    assert used.actor_id == user.pk and used.detail is not None and used.detail["left"] == 9
    assert RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=False).count() == 1
    client.post("/accounts/logout/")

    again = Client()
    _post_password(again, "sam.jones")
    refused = again.post("/accounts/login/recovery/", {"recovery_code": codes[3]})
    body = refused.content.decode()
    assert refused.status_code == 200 and "The recovery code is not right, or has been used already." in body
    assert 'aria-invalid="true"' in body and f'value="{codes[3]}"' in body
    assert _events(AuditEvent.TOTP_FAILED)[-1].detail["reason"] == "wrong recovery code"
    assert again.get("/").status_code == 302
    # An unused code still works.
    assert again.post("/accounts/login/recovery/", {"recovery_code": codes[4]}).status_code == 302


def test_a_malformed_recovery_code_gets_a_message_on_the_field_and_is_not_counted() -> None:
    _enrolled_with_codes()
    client = Client()
    _post_password(client, "sam.jones")
    page = client.post("/accounts/login/recovery/", {"recovery_code": "12345"})
    assert "Enter a recovery code as it was shown" in page.content.decode()
    assert _events(AuditEvent.TOTP_FAILED) == []
    assert "Enter one of your recovery codes." in client.post("/accounts/login/recovery/", {}).content.decode()


def test_wrong_recovery_codes_count_towards_the_lock() -> None:
    _, _, codes = _enrolled_with_codes()
    client = Client()
    _post_password(client, "sam.jones")
    wrong = "0000-0000-0000"
    assert wrong not in codes
    for _ in range(services.LOCK_AFTER - 1):
        assert client.post("/accounts/login/recovery/", {"recovery_code": wrong}).status_code == 200
    last = client.post("/accounts/login/recovery/", {"recovery_code": wrong})
    assert "The username or password is not right." in last.content.decode()  # locked: back to the start
    assert services.is_locked("sam.jones")
    assert len(_events(AuditEvent.ACCOUNT_LOCKED)) == 1
    assert _post_password(client, "sam.jones").status_code == 200  # locked: no second step
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_recovery_code_page_without_the_password_step_goes_back_to_sign_in() -> None:
    assert Client().get("/accounts/login/recovery/")["Location"] == "/accounts/login/"
    assert Client().post("/accounts/login/recovery/", {"recovery_code": "x"})["Location"] == "/accounts/login/"


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones() -> None:
    user, secret, codes = _enrolled_with_codes()
    client = Client()
    _post_password(client, "sam.jones")
    _time_passes(user)
    assert client.post("/accounts/login/code/", {"code": _code_now(secret)}).status_code == 302
    _time_passes(user)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "You have 10 unused recovery codes." in page
    wrong = client.post("/accounts/two-factor/", {"code": "000000" if _code_now(secret) != "000000" else "111111"})
    assert "The code is not right" in wrong.content.decode() and 'aria-invalid="true"' in wrong.content.decode()
    assert _events(AuditEvent.TOTP_FAILED)[-1].detail["reason"] == "wrong code (recovery codes)"
    bad = client.post("/accounts/two-factor/", {"code": "12"})
    assert "Enter the 6-digit code from your authenticator app." in bad.content.decode()
    made = client.post("/accounts/two-factor/", {"code": _code_now(secret)})
    new = CODES.findall(made.content.decode())
    assert len(new) == 10 and not set(new) & set(codes)
    assert "Your old codes no longer work." in made.content.decode()
    assert _entries(AuditEvent.RECOVERY_CODES_CREATED)[-1].detail == {"count": 10, "replaced": 10}
    assert RecoveryCode.objects.filter(user_id=user.pk).count() == 10
    client.post("/accounts/logout/")
    again = Client()
    _post_password(again, "sam.jones")
    assert again.post("/accounts/login/recovery/", {"recovery_code": codes[0]}).status_code == 200  # old: dead
    assert again.post("/accounts/login/recovery/", {"recovery_code": new[0]}).status_code == 302


def test_wrong_codes_on_the_two_factor_page_lock_and_sign_out() -> None:
    user, secret, _codes = _enrolled_with_codes()
    client = Client()
    _post_password(client, "sam.jones")
    _time_passes(user)
    assert client.post("/accounts/login/code/", {"code": _code_now(secret)}).status_code == 302
    bad = "000000" if _code_now(secret) != "000000" else "111111"
    for _ in range(services.LOCK_AFTER - 1):
        assert client.post("/accounts/two-factor/", {"code": bad}).status_code == 200
    assert client.post("/accounts/two-factor/", {"code": bad})["Location"] == "/accounts/login/"
    assert services.is_locked("sam.jones") and client.get("/").status_code == 302
    assert _events(AuditEvent.LOGOUT)[-1].detail == {"reason": "locked after wrong two-factor codes"}


def test_two_factor_page_for_password_only_users_and_anonymous() -> None:
    _user("analyst", Role.WG_ANALYST)
    client = Client()
    _post_password(client, "analyst")
    page = client.get("/accounts/two-factor/").content.decode()
    assert "you sign in with your password only" in page and '<form method="post" novalidate>' not in page
    assert Client().get("/accounts/two-factor/")["Location"].startswith("/accounts/login/")


def test_set_up_and_recovery_pages_have_csp_and_no_cache() -> None:
    user = _user(role=Role.SOCIAL_WORKER)
    issued = services.setup_link_issue(actor=_admin(), user=user, la=_la())
    client = Client()
    client.get(f"/accounts/login/setup/{issued.token}/")
    pages = [client.get(SETUP)]
    client.post(SETUP, {"username": "sam.jones", "password": PASSWORD})
    pages.append(client.get(ENROL))
    pages.append(client.get("/accounts/login/recovery/"))
    pages.append(Client().get("/accounts/login/setup/nonsense/"))
    for response in pages:
        assert response.status_code == 200
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "style=" not in response.content.decode() and "<script>" not in response.content.decode()
        assert response["Cache-Control"].startswith("max-age=0")


# ---- HSTS ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "31536000 False False"),
        ({"DIOGEL_HSTS_SECONDS": "600", "DIOGEL_HSTS_INCLUDE_SUBDOMAINS": "1"}, "600 True False"),
        ({"DIOGEL_HSTS_SECONDS": "0"}, "0 False False"),
        ({"DIOGEL_DEBUG": "1"}, "0 False False"),
    ],
)
def test_hsts_is_on_for_a_year_unless_debug(env: dict[str, str], expected: str) -> None:
    import os
    import subprocess
    import sys

    script = (
        "import diogel.config.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DIOGEL_HSTS", "DIOGEL_DEBUG"))}
    out = subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == expected
