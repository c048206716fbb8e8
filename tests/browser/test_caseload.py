"""The home by role in a real browser: a social worker's caseload and a manager's team view,
in English and Welsh, at 360 px and on a desktop, axe-clean and without sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.cases import models as m

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser
A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]


@pytest.fixture
def users(settings: Any, transactional_db: None) -> dict[str, AbstractBaseUser]:
    settings.DIOGEL_TODAY = "2012-03-14"
    for code in ("W06000001", "W06000002"):  # a transactional test's flush removes the migration's LAs
        m.LocalAuthority.objects.get_or_create(code=code, defaults={"name_en": code, "name_cy": code})
    world = build()
    own = world.children["own"]
    m.Referral.objects.create(la=own.la, child=own, referral_ref="R1", referral_date=date(2012, 3, 12))
    m.Registration.objects.create(la=own.la, child=own, registration_ref="G1", start_date=date(2012, 3, 1))
    return world.users


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_caseload(
    page: Page, lang: str, users: dict[str, AbstractBaseUser], login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    login(page, users["sw"])
    page.goto("/caseload/")
    if lang != "en":
        switch_language(page, lang)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".cl-card")).to_have_count(2)
    expect(page.locator(".cl-due-overdue")).to_have_count(1)
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_team_view_and_reassign(
    page: Page, lang: str, users: dict[str, AbstractBaseUser], login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    login(page, users["manager"])
    page.goto("/caseload/")
    if lang != "en":
        switch_language(page, lang)
    expect(page.locator("table.cl-load tbody tr")).to_have_count(3)
    check_reflow(page)
    check_a11y(page)
    card = page.locator(".cl-card").filter(has_text="team").first
    card.locator("summary").click()
    card.locator("select").select_option(label="SW1")
    card.locator("button[type=submit]").click()
    expect(page.locator(".cl-saved")).to_be_visible()
    check_reflow(page)
    check_a11y(page)
