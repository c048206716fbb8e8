"""The commonest recordings take three screens or fewer, counted in a real browser.

A "screen" is a page the browser navigates to. Each journey starts where the
practitioner starts their day (their home page, which lists what is due), follows
the due item's link to the form, and submits it: home → form → done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Frame, Page, expect

from access.world import build
from diogel.cases.models import Child, Episode, LocalAuthority, LookedAfterReview, Referral, Registration, Visit
from diogel.clock import today
from diogel.dataset import schema

pytestmark = pytest.mark.browser

Login = Callable[[Page, AbstractBaseUser], None]


@dataclass
class Journey:
    user: AbstractBaseUser
    child: Child


def _world() -> dict[str, AbstractBaseUser | Child]:
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    return {**world.users, **world.children}


def _count_screens(page: Page) -> list[str]:
    screens: list[str] = []

    def on_navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            screens.append(frame.url)

    page.on("framenavigated", on_navigated)
    return screens


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_visit_in_three_screens(page: Page, login: Login, transactional_db: None) -> None:
    w = _world()
    child = w["own"]
    assert isinstance(child, Child)
    # Registered 20 days ago with no visit since: the visit to a registered child is overdue (rule 9).
    Registration.objects.create(
        la=child.la, child=child, registration_ref="G1", start_date=today() - timedelta(20), category="NEG"
    )
    login(page, w["sw"])  # type: ignore[arg-type]
    screens = _count_screens(page)
    page.goto("/")  # 1: home, with the overdue visit
    page.locator("main a[href*='/visit/']").first.click()  # 2: the form, date and type filled in
    page.get_by_label("Yes").first.check()
    page.locator("main form button[type=submit]").last.click()  # 3: back on the record, recorded
    expect(page.locator("main")).to_contain_text("Visit recorded")
    assert Visit.objects.filter(child=child).count() == 1
    assert 2 <= len(screens) <= 3, screens  # at least the form and the result are real pages


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_referral_decision_in_three_screens(page: Page, login: Login, transactional_db: None) -> None:
    w = _world()
    child = w["own"]
    assert isinstance(child, Child)
    referral = Referral.objects.create(
        la=child.la, child=child, referral_ref="R1", referral_date=today() - timedelta(1), source="POLICE"
    )
    login(page, w["sw"])  # type: ignore[arg-type]
    screens = _count_screens(page)
    page.goto("/")  # 1: home, with the decision due
    page.locator("main a[href*='/decision/']").first.click()  # 2: the decision form
    page.locator("input[name=decision][value=IA]").check()
    page.locator("main form button[type=submit]").last.click()  # 3: done
    expect(page.locator("main")).to_contain_text("Decision recorded")
    referral.refresh_from_db()
    assert referral.decision == "IA"
    assert 2 <= len(screens) <= 3, screens  # at least the form and the result are real pages


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_looked_after_review_in_three_screens(page: Page, login: Login, transactional_db: None) -> None:
    w = _world()
    child = w["other_team"]  # the IRO chairs this child's reviews
    assert isinstance(child, Child)
    Episode.objects.create(
        la=child.la, child=child, decom=today() - timedelta(40), rne="S", legal_status="C2", placement="U1"
    )
    login(page, w["iro"])  # type: ignore[arg-type]
    screens = _count_screens(page)
    page.goto("/")  # 1: the IRO's review schedule: the first review is overdue (20 working days)
    page.locator("main a[href*='/lac-review/']").first.click()  # 2: the review form
    page.locator("input[name=participation][value=PN1]").check()
    page.locator("main form button[type=submit]").last.click()  # 3: done
    expect(page.locator("main")).to_contain_text("recorded")
    assert LookedAfterReview.objects.filter(child=child).count() == 1
    assert 2 <= len(screens) <= 3, screens  # at least the form and the result are real pages
