"""The recording pages in a real browser: visit, conference and the child's well-being page, in English and
Welsh, at 360 px and desktop, axe-clean and without sideways scrolling; a bad date shows the error summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.cases.models import LocalAuthority, Registration, StrategyDiscussion
from diogel.clock import today
from diogel.dataset import schema

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]


@pytest.fixture
def world_child(transactional_db: None) -> tuple[AbstractBaseUser, int]:
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    child = world.children["own"]
    Registration.objects.create(la=child.la, child=child, registration_ref="G1", start_date=today() - timedelta(20),
                                category="NEG")  # fmt: skip
    StrategyDiscussion.objects.create(la=child.la, child=child, held_on=today() - timedelta(30))
    return world.users["sw"], child.pk


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("flow", ["visit", "conference", "wellbeing", ""])
def test_recording_pages(
    page: Page, lang: str, flow: str, world_child: tuple[AbstractBaseUser, int], login: Login,
    check_a11y: A11y, check_reflow: A11y,
) -> None:  # fmt: skip
    user, child_id = world_child
    login(page, user)
    path = f"/record/children/{child_id}/" + (f"{flow}/" if flow else "")
    page.goto(path)
    if lang != "en":
        switch_language(page, lang)
    expect(page.locator("h1")).to_have_count(1)
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_bad_date_shows_the_error_summary_and_keeps_the_answer(
    page: Page, world_child: tuple[AbstractBaseUser, int], login: Login, check_a11y: A11y
) -> None:
    user, child_id = world_child
    login(page, user)
    page.goto(f"/record/children/{child_id}/visit/")
    page.fill("#id_visit_date", (today() + timedelta(days=3)).isoformat())
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The date must not be in the future.")
    expect(page.get_by_label("Yes")).to_be_checked()
    check_a11y(page)
