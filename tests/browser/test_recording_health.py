"""Recording a health assessment (timescale rule 11) in a real browser: on a 360 px phone, in Welsh, axe-clean
and without sideways scrolling. A date before the placement chosen shows the error summary and keeps what was
typed; a good one is saved, with the Welsh confirmation, and the item leaves the child's outstanding list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.cases.models import Episode, HealthAssessment, LocalAuthority
from diogel.clock import today
from diogel.dataset import schema
from diogel.timescales.due import outstanding
from diogel.timescales.from_models import due_for_child

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]


@pytest.fixture
def placed_child(transactional_db: None) -> tuple[AbstractBaseUser, int, int]:
    """The social worker, their child in care for 30 days, and the child's placement (episode) id."""
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    child = world.children["own"]
    episode = Episode.objects.create(la=child.la, child=child, decom=today() - timedelta(days=30), rne="S",
                                     legal_status="C2", placement="U4")  # fmt: skip
    return world.users["sw"], child.pk, episode.pk


@pytest.mark.parametrize("viewport", ["phone"])
def test_record_a_health_assessment_in_welsh_on_a_phone(
    page: Page, placed_child: tuple[AbstractBaseUser, int, int], login: Login, check_a11y: A11y,
    check_reflow: A11y,
) -> None:  # fmt: skip
    user, child_id, episode_id = placed_child
    assert [i.rule.number for i in outstanding(due_for_child(child_id))].count(11) == 1
    login(page, user)
    page.goto(f"/record/children/{child_id}/health-assessment/?episode={episode_id}")
    switch_language(page, "cy")
    expect(page.locator("h1")).to_have_text("Cofnodi asesiad iechyd")
    expect(page.locator("#id_episode")).to_have_value(str(episode_id))  # the due item's placement, chosen
    check_reflow(page)
    check_a11y(page)

    too_early = (today() - timedelta(days=31)).isoformat()
    page.fill("#id_assessed_on", too_early)
    page.get_by_role("button", name="Cadw").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nid oedd y plentyn yn derbyn gofal ar y dyddiad hwn")
    expect(page.locator("#id_assessed_on")).to_have_value(too_early)
    expect(page.locator("#id_episode")).to_have_value(str(episode_id))
    check_reflow(page)
    check_a11y(page)
    assert not HealthAssessment.objects.exists()

    done = (today() - timedelta(days=5)).isoformat()
    page.fill("#id_assessed_on", done)
    page.get_by_role("button", name="Cadw").click()
    expect(page.get_by_text("Asesiad iechyd wedi'i gofnodi.")).to_be_visible()
    check_a11y(page)
    saved = HealthAssessment.objects.get()
    assert (saved.assessed_on.isoformat(), saved.episode_id) == (done, episode_id)
    assert 11 not in [i.rule.number for i in outstanding(due_for_child(child_id))]
