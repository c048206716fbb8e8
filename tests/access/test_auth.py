"""Authentication hardening: TOTP (RFC 6238), two-step sign-in, lockout, no enumeration, audit,
rate limits, session limits, security headers on the sign-in pages, the demo accounts and ``diogel totp``."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.utils import timezone

from diogel.access import services as access_services
from diogel.access.auth import sealing, services, totp
from diogel.access.auth.cli import _totp
from diogel.access.auth.models import SignInFailure, SignInThrottle, TOTPDevice
from diogel.access.roles import Role
from diogel.audit import AuditEvent, SystemActor
from diogel.audit.chain import verify
from diogel.audit.models import AuditEntry
from diogel.cases.models import LocalAuthority, PartnerAgency
from diogel.errors import UserError

PASSWORD = "a long enough password"
WRONG = "Enter the username or password wrongly"

# ---- TOTP: RFC 6238 appendix B (8 digits; SHA1/SHA256/SHA512 seeds) -------------------------------------------

SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("t", "sha1", "sha256", "sha512"), RFC6238)
def test_rfc6238_vectors(t: int, sha1: str, sha256: str, sha512: str) -> None:
    for algorithm, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp.code_at(SEEDS[algorithm], t, digits=8, algorithm=algorithm) == expected


def test_rfc4226_hotp_vectors() -> None:
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(SEEDS["sha1"], i) for i in range(10)] == expected


def test_match_accepts_one_step_either_side_and_refuses_replay() -> None:
    key = SEEDS["sha1"]
    t = 1111111111.0
    now = totp.step_at(t)
    for offset in (-1, 0, 1):
        assert totp.match(key, totp.hotp(key, now + offset), unix_time=t) == now + offset
    for offset in (-2, 2):
        assert totp.match(key, totp.hotp(key, now + offset), unix_time=t) is None
    code = totp.hotp(key, now)
    assert totp.match(key, code[:3] + " " + code[3:], unix_time=t) == now  # as apps show it
    assert totp.match(key, code, unix_time=t, after_step=now) is None  # already used
    assert totp.match(key, "12345", unix_time=t) is None
    assert totp.match(key, "１２３４５６", unix_time=t) is None  # non-ASCII digits


def test_secrets_uri_and_decoding() -> None:
    secret = totp.generate_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert len(totp.decode_secret(secret)) == 20
    assert totp.decode_secret(totp.group(secret).lower()) == totp.decode_secret(secret)
    uri = totp.provisioning_uri(secret, account="sam.jones")
    assert uri.startswith("otpauth://totp/Diogel:sam.jones?")
    assert f"secret={secret}" in uri and "issuer=Diogel" in uri and "period=30" in uri and "digits=6" in uri
    with pytest.raises(totp.BadSecretError):
        totp.decode_secret("not base32!")


def test_sealed_secret_round_trip_and_tamper_detection(settings: Any) -> None:
    settings.DIOGEL_TOTP_KEY = "k" * 40
    sealed = sealing.seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed.startswith("v1:")
    assert sealing.seal("JBSWY3DPEHPK3PXP") != sealed  # fresh nonce
    assert sealing.unseal(sealed) == "JBSWY3DPEHPK3PXP"
    raw = bytearray(sealing.base64.urlsafe_b64decode(sealed[3:]))
    raw[20] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.unseal("v1:" + sealing.base64.urlsafe_b64encode(bytes(raw)).decode())
    settings.DIOGEL_TOTP_KEY = "m" * 40
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed)


def test_cli_prints_the_current_code(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    secret = totp.generate_secret()
    assert _totp(argparse.Namespace(secret=secret)) == 0
    printed = capsys.readouterr().out
    code = printed.split()[0]
    assert re.fullmatch(r"\d{6}", code)
    assert totp.match(totp.decode_secret(secret), code) is not None
    with pytest.raises(UserError):
        _totp(argparse.Namespace(secret="!!"))


# ---- the web flow -------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.DIOGEL_TOTP_KEY = "test-key-" + "x" * 32


def _user(username: str = "sam.jones", role: Role | None = None) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    if role is not None:
        la = LocalAuthority.objects.get(code="W06000015")
        if role == Role.INSPECTOR:
            today = timezone.localdate()
            access_services.membership_grant(
                actor=SystemActor("test"), user=user, role=role, window=(today, today + timedelta(days=3)), sample=[]
            )
            return user
        team = la.teams.create(name="Duty") if role == Role.TEAM_MANAGER else None
        agency = PartnerAgency.objects.create(kind="HEALTH", name="Health", la=la) if role == Role.PARTNER else None
        access_services.membership_grant(
            actor=SystemActor("test"), user=user, role=role, la=la, team=team, agency=agency
        )
    return user


def user_la() -> LocalAuthority:
    return LocalAuthority.objects.get(code="W06000015")


def _post_password(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


class _Entry:
    """An audit entry with its ``detail`` typed as a dict (it is JSON in the database)."""

    def __init__(self, entry: AuditEntry) -> None:
        self.actor_id = entry.actor_id
        self.detail: dict[str, Any] = entry.detail or {}


def _events(event: AuditEvent) -> list[_Entry]:
    return [_Entry(e) for e in AuditEntry.objects.filter(event=event)]


def _code_now(secret: str, offset_steps: int = 0) -> str:
    return totp.code_at(totp.decode_secret(secret), time.time() + offset_steps * totp.STEP)


@pytest.mark.django_db
def test_password_only_role_signs_in_and_out_with_audit() -> None:
    user = _user(role=Role.WG_ANALYST)
    client = Client()
    response = _post_password(client, "sam.jones", next="/performance/")
    assert response.status_code == 302 and response["Location"] == "/performance/"
    assert client.get("/").status_code == 200
    [login] = _events(AuditEvent.LOGIN)
    assert login.actor_id == user.pk and login.detail["two_factor"] is False
    assert client.post("/accounts/logout/").status_code == 302
    [logout] = _events(AuditEvent.LOGOUT)
    assert logout.actor_id == user.pk
    assert client.get("/").status_code == 302
    assert verify().ok


@pytest.mark.django_db
def test_next_must_be_on_this_site() -> None:
    _user()
    response = _post_password(Client(), "sam.jones", next="https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(services.TWO_FACTOR_ROLES))
def test_case_content_roles_need_two_factor(role: Role) -> None:
    user = _user(role=role)
    assert services.needs_two_factor(user)
    client = Client()
    assert _post_password(client, "sam.jones")["Location"] == "/accounts/login/enrol/"
    assert "Ask your administrator" in client.get("/accounts/login/enrol/").content.decode()  # no link: no set-up


@pytest.mark.django_db
def test_who_needs_two_factor() -> None:
    assert not services.needs_two_factor(_user("nobody"))
    assert not services.needs_two_factor(_user("board", Role.WG_ANALYST))
    staff = _user("staff")
    staff.is_staff = True  # type: ignore[attr-defined]
    assert services.needs_two_factor(staff)
    assert {
        Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.PARTNER, Role.INSPECTOR, Role.PERFORMANCE_OFFICER
    } <= services.TWO_FACTOR_ROLES  # fmt: skip


@pytest.mark.django_db
def test_enrolment_through_a_link_then_codes_are_needed_and_never_replayed() -> None:
    """Set-up needs an administrator's one-time link (tests/access/test_auth_two_factor.py); with one, the key is
    shown until a code confirms it, then never again, and every code works once."""
    user = _user(role=Role.SOCIAL_WORKER)
    admin = _user("admin")
    access_services.membership_grant(actor=SystemActor("test"), user=admin, role=Role.LA_ADMIN, la=user_la())
    token = services.setup_link_issue(actor=admin, user=user, la=user_la()).token
    client = Client()
    assert client.get(f"/accounts/login/setup/{token}/")["Location"] == "/accounts/login/setup/"
    response = client.post("/accounts/login/setup/", {"username": "sam.jones", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/enrol/"
    assert client.get("/").status_code == 302  # not signed in between the steps
    page = client.get("/accounts/login/enrol/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert f"otpauth://totp/Diogel:sam.jones?secret={secret}" in page.replace("&amp;", "&")
    assert secret not in TOTPDevice.objects.get(user_id=user.pk).sealed_secret  # stored encrypted
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    wrong = client.post("/accounts/login/enrol/", {"code": "000000" if _code_now(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "The code is not right" in wrong.content.decode()
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert len(_events(AuditEvent.TOTP_FAILED)) == 1
    code = _code_now(secret)
    response = client.post("/accounts/login/enrol/", {"code": code})
    assert response.status_code == 200 and "Your recovery codes" in response.content.decode()  # shown once
    assert client.get("/").status_code == 200  # signed in
    assert len(_events(AuditEvent.TOTP_ENROLLED)) == 1
    assert _events(AuditEvent.LOGIN)[0].detail["two_factor"] is True
    client.post("/accounts/logout/")

    # Once confirmed, the secret is never shown again: the enrol page sends you to the code page.
    again = Client()
    assert _post_password(again, "sam.jones")["Location"] == "/accounts/login/code/"
    assert again.get("/accounts/login/enrol/")["Location"] == "/accounts/login/code/"
    assert secret not in again.get("/accounts/login/code/").content.decode()
    # The code just used is refused (replay), whoever sends it.
    replay = again.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200 and "The code is not right" in replay.content.decode()
    # The next step's code is accepted (±1 step).
    assert again.post("/accounts/login/code/", {"code": _code_now(secret, +1)}).status_code == 302
    assert again.get("/").status_code == 200
    assert verify().ok


@pytest.mark.django_db
def test_code_page_without_password_step_goes_back_to_sign_in() -> None:
    assert Client().get("/accounts/login/code/")["Location"] == "/accounts/login/"
    assert Client().post("/accounts/login/code/", {"code": "123456"})["Location"] == "/accounts/login/"


@pytest.mark.django_db
def test_pending_step_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _user(role=Role.IRO)
    services.enrol_confirmed(actor=SystemActor("test"), user=user)
    client = Client()
    _post_password(client, "sam.jones")
    later = time.time() + services.PENDING_FOR.total_seconds() + 1
    monkeypatch.setattr("diogel.access.auth.views.time.time", lambda: later)
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


# ---- lockout and enumeration ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_answer() -> None:
    _user()
    pages = []
    for username in ("sam.jones", "nobody-by-this-name"):
        response = _post_password(Client(), username, "wrong password")
        assert response.status_code == 200
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        pages.append(re.sub(r'"X-CSRFToken": "[^"]+"', "", body))
    assert pages[0].replace("sam.jones", "X") == pages[1].replace("nobody-by-this-name", "X")
    failed = _events(AuditEvent.LOGIN_FAILED)
    assert [e.detail["username"] for e in failed] == ["sam.jones", "nobody-by-this-name"]
    assert [e.detail["reason"] for e in failed] == ["wrong password", "unknown username"]


@pytest.mark.django_db
def test_the_hasher_runs_for_unknown_users(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls: list[str] = []
    original = MD5PasswordHasher.encode

    def encode(self: MD5PasswordHasher, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", encode)
    _post_password(Client(), "nobody-by-this-name", "guess")
    assert calls == ["guess"]


@pytest.mark.django_db
@pytest.mark.parametrize("known", [True, False])
def test_five_failures_lock_the_username_for_15_minutes(known: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if known:
        _user()
    client = Client()
    for _ in range(services.LOCK_AFTER):
        assert _post_password(client, "sam.jones", "wrong").status_code == 200
    assert services.is_locked("sam.jones") and services.is_locked(" SAM.JONES")
    [locked] = _events(AuditEvent.ACCOUNT_LOCKED)
    assert locked.detail["username"] == "sam.jones" and locked.detail["failures"] == 5
    # While locked, even the right password gets the wrong-password answer.
    page = _post_password(client, "sam.jones").content.decode()
    assert "The username or password is not right." in page
    assert client.get("/").status_code == 302
    assert _events(AuditEvent.LOGIN_FAILED)[-1].detail["reason"] == "locked"
    assert len(_events(AuditEvent.ACCOUNT_LOCKED)) == 1  # recorded, the lock not extended
    # 15 minutes later the right password works again.
    later = timezone.now() + services.LOCK_FOR + timedelta(seconds=1)
    monkeypatch.setattr("diogel.access.auth.services.timezone.now", lambda: later)
    response = _post_password(client, "sam.jones")
    if known:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
    assert verify().ok


@pytest.mark.django_db
def test_failures_older_than_15_minutes_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    _user()
    start = timezone.now()
    for i in range(services.LOCK_AFTER - 1):
        monkeypatch.setattr("diogel.access.auth.services.timezone.now", lambda i=i: start + timedelta(minutes=i))
        _post_password(Client(), "sam.jones", "wrong")
    late = start + timedelta(minutes=16)
    monkeypatch.setattr("diogel.access.auth.services.timezone.now", lambda: late)
    monkeypatch.setattr("diogel.access.auth.services.is_locked", lambda username, now=late: False)
    _post_password(Client(), "sam.jones", "wrong")
    assert SignInThrottle.objects.get(username="sam.jones").locked_until is None  # only 4 within 15 minutes
    assert SignInFailure.objects.filter(username="sam.jones").count() == 5


@pytest.mark.django_db
def test_a_successful_sign_in_resets_the_count() -> None:
    _user()
    for _ in range(services.LOCK_AFTER - 1):
        _post_password(Client(), "sam.jones", "wrong")
    assert _post_password(Client(), "sam.jones").status_code == 302
    _post_password(Client(), "sam.jones", "wrong")
    assert not services.is_locked("sam.jones")


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock() -> None:
    user = _user(role=Role.SOCIAL_WORKER)
    secret = services.enrol_confirmed(actor=SystemActor("test"), user=user)
    client = Client()
    _post_password(client, "sam.jones")
    bad = "000000" if _code_now(secret) != "000000" else "111111"
    for _ in range(services.LOCK_AFTER - 1):
        assert client.post("/accounts/login/code/", {"code": bad}).status_code == 200
    last = client.post("/accounts/login/code/", {"code": bad})
    assert "The username or password is not right." in last.content.decode()  # back to the start
    assert services.is_locked("sam.jones")
    assert len(_events(AuditEvent.TOTP_FAILED)) == services.LOCK_AFTER
    assert len(_events(AuditEvent.ACCOUNT_LOCKED)) == 1
    assert _post_password(client, "sam.jones").status_code == 200  # locked: no second step


# ---- rate limits, sessions, headers ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_posts_are_rate_limited_per_ip(settings: Any) -> None:
    settings.DIOGEL_RATE_LIMITS = {"sign_in": (3, 60), "api": (2, 60)}
    client = Client()
    statuses = [_post_password(client, f"user{i}", "x").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = _post_password(client, "user9", "x")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert "Content-Security-Policy" in response
    assert client.get("/accounts/login/").status_code == 200  # reading the page is not limited
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert _post_password(other, "user1", "x").status_code == 200  # another address has its own count


@pytest.mark.django_db
def test_api_is_rate_limited_with_json(settings: Any) -> None:
    settings.DIOGEL_RATE_LIMITS = {"sign_in": (3, 60), "api": (2, 60)}
    client = Client()
    assert [client.get("/api/v1/openapi.json").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Too many requests. Try again in a minute."}


def test_client_ip_behind_trusted_proxies(settings: Any, rf: Any) -> None:
    from diogel.access.auth.middleware import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1")
    settings.DIOGEL_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"  # X-Forwarded-For is ignored unless a proxy is trusted
    settings.DIOGEL_TRUSTED_PROXIES = 1
    assert client_ip(request) == "1.2.3.4"  # the forged left-hand entry is not believed


@pytest.mark.django_db
def test_session_settings_and_cookies(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY and settings.DIOGEL_SESSION_ABSOLUTE_SECONDS == 8 * 3600
    _user()
    client = Client()
    _post_password(client, "sam.jones")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_idle_session_expires_after_30_minutes() -> None:
    from django.contrib.sessions.models import Session

    _user()
    client = Client()
    _post_password(client, "sam.jones")
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.expire_date - timezone.now() <= timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_session_ends_8_hours_after_sign_in_however_active(monkeypatch: pytest.MonkeyPatch) -> None:
    _user()
    client = Client()
    _post_password(client, "sam.jones")
    assert client.get("/").status_code == 200
    later = time.time() + 8 * 3600 + 1
    monkeypatch.setattr("diogel.access.auth.middleware.time.time", lambda: later)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    [logout] = _events(AuditEvent.LOGOUT)
    assert logout.detail == {"reason": "session expired"}


@pytest.mark.django_db
def test_admin_sign_in_goes_through_diogel_sign_in() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert Client().post("/admin/login/", {"username": "a", "password": "b"}).status_code == 302


@pytest.mark.django_db
def test_logout_needs_post_and_csrf() -> None:
    _user()
    client = Client(enforce_csrf_checks=True)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/login/", {"username": "sam.jones", "password": PASSWORD}).status_code == 403


@pytest.mark.django_db
def test_csp_on_sign_in_and_two_factor_pages() -> None:
    user = _user(role=Role.SOCIAL_WORKER)
    client = Client()
    pages = [client.get("/accounts/login/")]
    _post_password(client, "sam.jones")
    pages.append(client.get("/accounts/login/enrol/"))
    services.enrol_confirmed(actor=SystemActor("test"), user=user)
    _post_password(client, "sam.jones")
    pages.append(client.get("/accounts/login/code/"))
    for response in pages:
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        body = response.content.decode()
        assert "<script>" not in body and "style=" not in body and " onclick=" not in body
        assert response["Cache-Control"].startswith("max-age=0")  # never_cache


# ---- demo accounts --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_accounts_are_enrolled_and_can_sign_in() -> None:
    from diogel.access.demo import ensure_demo_accounts

    accounts = {a.username: a for a in ensure_demo_accounts()}
    assert accounts["demo-social-worker"].totp_secret
    assert not accounts["demo-wg-analyst"].totp_secret and not accounts["demo-board-member"].totp_secret
    sw = accounts["demo-social-worker"]
    client = Client()
    assert _post_password(client, sw.username, sw.password)["Location"] == "/accounts/login/code/"
    code, _seconds = totp.now_code(sw.totp_secret)
    assert client.post("/accounts/login/code/", {"code": code})["Location"] == "/"
    again = {a.username: a for a in ensure_demo_accounts()}
    assert again["demo-social-worker"].totp_secret != sw.totp_secret  # fresh each run
    assert TOTPDevice.objects.filter(confirmed_at__isnull=False).count() == sum(
        1 for a in again.values() if a.totp_secret
    )
    assert verify().ok
