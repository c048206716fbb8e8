"""Two-factor sign-in, first-time set-up and lockout in Chromium, in English and Welsh, axe-clean, at 360 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from diogel.access import services as access_services
from diogel.access.auth import services, totp
from diogel.access.clock import today
from diogel.access.roles import Role
from diogel.audit import AuditEvent, SystemActor
from diogel.audit.models import AuditEntry

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


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_first_sign_in_sets_up_two_factor(
    page: Page, user: AbstractBaseUser, check_a11y: A11y, check_reflow: A11y
) -> None:
    needs_code(user)
    open_sign_in(page, "en")
    give_password(page, "sam.jones", PASSWORD)
    expect(page).to_have_url("/accounts/login/enrol/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    expect(page.locator("a.totp-uri")).to_have_attribute("href", re.compile(r"^otpauth://totp/Diogel:sam\.jones\?"))
    check_reflow(page)  # the long key and link wrap at 360 px
    check_a11y(page)
    page.locator("#id_code").fill(code_for(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url("/")
    assert AuditEntry.objects.filter(event=AuditEvent.TOTP_ENROLLED, actor_id=user.pk).count() == 1


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
