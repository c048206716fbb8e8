"""Two-factor sign-in, set-up through an administrator's link, recovery codes and lockout in Chromium, in English
and Welsh, axe-clean, at 360 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from diogel.access import services as access_services
from diogel.access.auth import services, totp
from diogel.access.clock import today
from diogel.access.roles import Role
from diogel.audit import AuditEvent, SystemActor
from diogel.audit.models import AuditEntry
from diogel.cases.models import LocalAuthority

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
SWITCH_LABEL = {"cy": "Cymraeg", "en": "English"}


def needs_code(user: AbstractBaseUser) -> AbstractBaseUser:
    """Make `user` an inspector (a role that sees case content; the only one needing no LA rows,
    which the live-server tests' database flush removes)."""
    on = today()
    access_services.membership_grant(
        actor=SystemActor("test"), user=user, role=Role.INSPECTOR, window=(on, on + timedelta(days=3)), sample=[]
    )
    return user


def open_sign_in(page: Page, lang: str) -> None:
    page.goto("/accounts/login/")
    if lang != "en":
        with page.expect_navigation():
            page.get_by_role("button", name=SWITCH_LABEL[lang], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def give_password(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def code_for(secret: str) -> str:
    code, _seconds = totp.now_code(secret)
    return code


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_sign_in_with_password_and_code(
    page: Page, lang: str, user: AbstractBaseUser, check_a11y: A11y, check_reflow: A11y
) -> None:
    secret = services.enrol_confirmed(actor=SystemActor("test"), user=needs_code(user))
    open_sign_in(page, lang)
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/code/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    field = page.locator("#id_code")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    check_reflow(page)
    check_a11y(page)
    # A wrong code: an error summary linked to the field, and the field marked invalid.
    field.fill("000000" if code_for(secret) != "000000" else "111111")
    with page.expect_navigation():
        field.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    check_reflow(page)
    check_a11y(page)
    page.locator("#id_code").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page).to_have_url("/")
    expect(page.locator(".site-header")).to_contain_text("sam.jones")
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN, actor_id=user.pk).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.TOTP_FAILED, actor_id=user.pk).count() == 1


def sign_in_with_code(page: Page, username: str, password: str, secret: str) -> None:
    give_password(page, username, password)
    expect(page).to_have_url("/accounts/login/code/")
    page.locator("#id_code").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".logout button").click()
    expect(page).to_have_url("/accounts/login/")


@pytest.mark.parametrize(("lang", "viewport"), [("en", "desktop"), ("cy", "phone")])
def test_admin_issues_a_link_user_sets_up_keeps_recovery_codes_and_signs_in_with_one(
    page: Page, lang: str, user: AbstractBaseUser, check_a11y: A11y, check_reflow: A11y, django_user_model: Any
) -> None:
    """Two-factor is set up only through an administrator's one-time link (no longer at the first sign-in)."""
    la, _created = LocalAuthority.objects.get_or_create(
        code="W06000015", defaults={"name_en": "Cardiff", "name_cy": "Caerdydd"}
    )
    system = SystemActor("test")
    access_services.membership_grant(actor=system, user=user, role=Role.SOCIAL_WORKER, la=la)
    admin = django_user_model.objects.create(username="ali.admin", password=user.password)  # same password
    access_services.membership_grant(actor=system, user=admin, role=Role.LA_ADMIN, la=la)
    admin_secret = services.enrol_confirmed(actor=system, user=admin)

    # Without a link, sam.jones cannot set up two-factor: a page says to ask the administrator.
    open_sign_in(page, lang)
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/enrol/")
    expect(page.locator("#totp-secret")).to_have_count(0)
    check_reflow(page)
    check_a11y(page)

    # The administrator issues a one-time link from the LA administration pages.
    page.goto("/accounts/login/")
    sign_in_with_code(page, "ali.admin", PASSWORD, admin_secret)
    page.goto(f"/access/admin/{la.pk}/two-factor/")
    check_reflow(page)
    check_a11y(page)
    with page.expect_navigation():
        page.locator(f"a[href='/access/admin/{la.pk}/two-factor/{user.pk}/']").click()
    with page.expect_navigation():
        page.locator("#au-issue").click()
    link = page.locator("#setup-link").inner_text().strip()
    assert re.fullmatch(r"http://[^/]+/accounts/login/setup/[A-Za-z0-9_-]{43}/", link)
    check_reflow(page)  # the long link wraps at 360 px
    check_a11y(page)
    sign_out(page)

    # sam.jones opens the link, gives the password, sets up the app and is shown ten recovery codes once.
    page.goto(link)
    expect(page).to_have_url("/accounts/login/setup/")  # the token is no longer in the address
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_a11y(page)
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/enrol/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    expect(page.locator("a.totp-uri")).to_have_attribute("href", re.compile(r"^otpauth://totp/Diogel:sam\.jones\?"))
    check_reflow(page)
    check_a11y(page)
    page.locator("#id_code").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}", c) for c in codes)
    check_reflow(page)
    check_a11y(page)
    with page.expect_navigation():
        page.locator(".button-link").click()
    expect(page).to_have_url("/")
    sign_out(page)

    # Later, without the phone: the password, then a recovery code instead of the app's code.
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/code/")
    with page.expect_navigation():
        page.locator("a[href='/accounts/login/recovery/']").click()
    field = page.locator("#id_recovery_code")
    field.fill("0000-0000-0000" if "0000-0000-0000" not in codes else "1111-1111-1111")
    with page.expect_navigation():
        field.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    check_reflow(page)
    check_a11y(page)
    field.fill(codes[0].upper())
    with page.expect_navigation():
        field.press("Enter")
    expect(page).to_have_url("/")
    expect(page.locator(".messages")).to_contain_text("9")
    check_a11y(page)
    assert AuditEntry.objects.filter(event=AuditEvent.TOTP_SETUP_LINK_ISSUED, actor_id=admin.pk).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.TOTP_ENROLLED, actor_id=user.pk).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.RECOVERY_CODE_USED, actor_id=user.pk).count() == 1

    # The code is used up; the user's own two-factor page makes new codes for a current app code.
    page.goto("/accounts/two-factor/")
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_lockout_after_five_failures(page: Page, lang: str, user: AbstractBaseUser, check_a11y: A11y) -> None:
    open_sign_in(page, lang)
    texts = []
    for _ in range(services.LOCK_AFTER):
        give_password(page, "sam.jones", "not the password")
        expect(page.locator(".error-summary")).to_be_visible()
        texts.append(page.locator(".error-summary").inner_text())
    # Locked: the right password now gets the very same answer, and no session.
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.inner_text() == texts[0] == texts[-1]
    expect(page.locator("#id_username")).to_have_value("sam.jones")
    check_a11y(page)
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    assert services.is_locked("sam.jones")
    assert AuditEntry.objects.filter(event=AuditEvent.ACCOUNT_LOCKED).count() == 1
