"""The front door in a real browser: from the home page, search, see the possible matches (one hidden), create
the child and the referral, land on the record with the next step. In English at desktop and in Welsh at 360 px,
axe-clean and without sideways scrolling; bad input shows the error summary and keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.cases.models import Child, LocalAuthority
from diogel.clock import today
from diogel.dataset import schema

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]
DOB = date(2015, 3, 14)
TEXT = {
    "en": {"new": "New referral", "search": "Search", "create": "None of these is the child: create a new record",
           "save": "Save the new child and the referral", "hidden": "1 possible match in records you cannot open",
           "done": "New record created for this child", "next": "Next: record the decision on the referral"},
    "cy": {"new": "Atgyfeiriad newydd", "search": "Chwilio", "create": "Nid yw'r plentyn yn un o'r rhain: creu cofnod newydd",
           "save": "Cadw'r plentyn newydd a'r atgyfeiriad", "hidden": "1 cyfatebiaeth bosibl mewn cofnodion na allwch eu hagor",
           "done": "Crëwyd cofnod newydd i'r plentyn hwn", "next": "Nesaf: cofnodi'r penderfyniad ar yr atgyfeiriad"},
}  # fmt: skip


@pytest.fixture
def social_worker(transactional_db: None) -> AbstractBaseUser:
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    for kind, given in (("own", "Siân"), ("other_team", "Sian")):
        Child.objects.filter(pk=world.children[kind].pk).update(
            given_name=given, family_name="Ap-Rhys", sex="2", date_of_birth=DOB
        )
    return world.users["sw"]


@pytest.mark.parametrize(("lang", "viewport"), [("en", "desktop"), ("cy", "phone")])
def test_the_whole_journey(
    page: Page, lang: str, viewport: str, social_worker: AbstractBaseUser, login: Login, check_a11y: A11y,
    check_reflow: A11y,
) -> None:  # fmt: skip
    t = TEXT[lang]
    login(page, social_worker)
    page.goto("/")
    if lang != "en":
        switch_language(page, lang)
    page.get_by_role("link", name=t["new"]).click()
    expect(page.locator("h1")).to_have_text(t["new"])
    check_reflow(page)
    check_a11y(page)
    page.fill("#id_family_name", "ap rhys")
    page.fill("#id_date_of_birth", DOB.isoformat())
    page.get_by_role("button", name=t["search"], exact=True).click()
    expect(page.locator(".intake-hidden")).to_contain_text(t["hidden"])
    expect(page.locator("table.intake-matches tbody tr")).to_have_count(1)
    check_reflow(page)
    check_a11y(page)
    page.get_by_role("button", name=t["create"]).click()
    expect(page.locator("#id_family_name")).to_have_value("ap rhys")
    page.fill("#id_family_name", "Pritchard")
    page.fill("#id_given_name", "Elis")
    page.fill("#id_date_of_birth", date(2019, 5, 2).isoformat())
    page.check("#id_sex_0")
    page.select_option("#id_source", "POLICE")
    expect(page.locator("#id_referral_date")).to_have_value(today().isoformat())
    check_reflow(page)
    check_a11y(page)
    page.get_by_role("button", name=t["save"]).click()
    expect(page.locator(".messages")).to_contain_text(t["done"])
    expect(page.get_by_role("link", name=t["next"])).to_be_visible()
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_bad_input_shows_the_error_summary_and_keeps_the_answers(
    page: Page, social_worker: AbstractBaseUser, login: Login, check_a11y: A11y
) -> None:
    login(page, social_worker)
    page.goto("/intake/new/")
    page.fill("#id_family_name", "Pritchard")
    page.fill("#id_date_of_birth", date(today().year + 1, 1, 1).isoformat())
    page.check("#id_sex_1")
    page.select_option("#id_source", "HEALTH")
    page.get_by_role("button", name="Save the new child and the referral").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The date of birth must not be in the future")
    expect(page.locator("#id_family_name")).to_have_value("Pritchard")
    expect(page.locator("#id_sex_1")).to_be_checked()
    check_a11y(page)
    assert not Child.objects.filter(family_name="Pritchard").exists()
