"""Correcting a visit in a real browser, in Welsh at 360 px: from the child's recording page to the
correction form (filled with the saved values), a refused date shown on the field, then saved; axe-clean
and without sideways scrolling at every step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import LocalAuthority, Registration, Visit
from diogel.clock import today
from diogel.dataset import schema

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]


@pytest.fixture
def world_visit(transactional_db: None) -> tuple[AbstractBaseUser, int, int]:
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    child = world.children["own"]
    Registration.objects.create(la=child.la, child=child, registration_ref="G1", start_date=today() - timedelta(20),
                                category="NEG")  # fmt: skip
    visit = Visit.objects.create(la=child.la, child=child, visit_date=today() - timedelta(3), visit_type="CP",
                                 seen_alone="Y")  # fmt: skip
    return world.users["sw"], child.pk, visit.pk


@pytest.mark.parametrize("viewport", ["phone"])
def test_correct_a_visit_in_welsh_at_360_px(
    page: Page, world_visit: tuple[AbstractBaseUser, int, int], login: Login, check_a11y: A11y,
    check_reflow: A11y,
) -> None:  # fmt: skip
    user, child_id, visit_id = world_visit
    login(page, user)
    page.goto(f"/record/children/{child_id}/")
    switch_language(page, "cy")
    link = page.locator(f'a[href="/record/children/{child_id}/correct/visit/{visit_id}/"]')
    expect(link).to_have_count(1)
    check_reflow(page)
    check_a11y(page)
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    saved = (today() - timedelta(3)).isoformat()
    expect(page.locator("#id_visit_date")).to_have_value(saved)
    expect(page.locator('input[name="seen_alone"][value="Y"]')).to_be_checked()
    check_reflow(page)
    check_a11y(page)
    # A date when the child was not on the register: refused on the field, what was typed is kept.
    too_early = (today() - timedelta(40)).isoformat()
    page.fill("#id_visit_date", too_early)
    page.select_option("#id_visit_type", "")
    page.fill("#id_reason", "Dyddiad anghywir")
    page.locator("form.recording-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#field-visit_date.field-error")).to_have_count(1)
    expect(page.locator("#id_visit_date")).to_have_value(too_early)
    expect(page.locator("#id_reason")).to_have_value("Dyddiad anghywir")
    check_reflow(page)
    check_a11y(page)
    # The right date this time.
    corrected = (today() - timedelta(2)).isoformat()
    page.fill("#id_visit_date", corrected)
    page.locator("form.recording-form button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/record/')[0]}/record/children/{child_id}/")
    expect(page.locator(".messages")).to_have_count(1)
    check_a11y(page)
    visit = Visit.objects.get(pk=visit_id)
    assert (visit.visit_date.isoformat() if visit.visit_date else None, visit.version) == (corrected, 2)
    entry = AuditEntry.objects.filter(event=AuditEvent.RECORD_CHANGED, object_id=str(visit_id)).latest("seq")
    assert entry.detail["reason"] == "Dyddiad anghywir"
