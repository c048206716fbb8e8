"""The child's record in a real browser: search, the record, the chronology, who is involved, the access log and
the case note form, in English and Welsh, at 360 px and on a desktop, axe-clean and without sideways scrolling;
the chronology filter (an HTMX swap that moves focus to the count), the autosaved draft of a case note, and a
search that finds a child by name but never a sealed record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect

from access.world import build
from diogel.cases import models as m
from diogel.clock import today
from diogel.dataset import schema
from diogel.record.models import CaseNote, NoteDraft

from .test_sign_in_and_home import switch_language

pytestmark = pytest.mark.browser

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]
VISITS = 3
AUTOSAVE_MS = 20_000  # the autosave fires 2 s after typing stops; generous for two workers on two cores


@dataclass
class Record:
    sw: AbstractBaseUser  # allocated worker of "own"; named on the sealed record
    manager: AbstractBaseUser  # team manager of "own" (sees the access log); not named on the sealed record
    child_id: int
    sealed_id: int


@pytest.fixture
def record(transactional_db: None) -> Record:
    for la in schema.local_authorities():  # a transactional test starts from empty tables
        m.LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    world = build()
    own, sealed = world.children["own"], world.children["sealed"]
    on = today()
    own.given_name, own.family_name, own.date_of_birth = "Megan", "Jones", on.replace(year=on.year - 9) - timedelta(10)
    own.save()
    sealed.given_name, sealed.family_name = "Megan", "Cudd"  # same given name: a search for "Megan" must not show it
    sealed.save()
    referral = m.Referral.objects.create(
        la=own.la, child=own, referral_ref="REF-1", referral_date=on - timedelta(90), decision_date=on - timedelta(89),
        decision="IA", source="1A",
    )  # fmt: skip
    m.Assessment.objects.create(
        la=own.la, child=own, referral=referral, assessment_ref="A-1", assessment_type="INITIAL",
        start_date=on - timedelta(88), completed_date=on - timedelta(80), seen="Y",
    )  # fmt: skip
    m.Episode.objects.create(
        la=own.la, child=own, decom=on - timedelta(200), legal_status="C2", placement="U1", rne="S"
    )
    worker = m.Worker.objects.get(la=own.la, worker_ref="SW1")
    m.Visit.objects.bulk_create(
        m.Visit(la=own.la, child=own, visit_date=on - timedelta(10 + i), visit_type="LAC", worker=worker)
        for i in range(VISITS)
    )
    return Record(world.users["sw"], world.users["manager"], own.pk, sealed.pk)


def _open(page: Page, path: str, lang: str) -> None:
    page.goto(path)
    if lang != "en":
        switch_language(page, lang)
    expect(page.locator("h1")).to_have_count(1)


PAGES = {
    "search": "/children/?q=Megan",
    "child": "/children/{id}/",
    "chronology": "/children/{id}/chronology/",
    "involved": "/children/{id}/involved/",
    "access_log": "/children/{id}/access-log/",  # team managers only
    "note_new": "/children/{id}/notes/new/",
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("name", list(PAGES))
def test_record_pages(
    page: Page, name: str, lang: str, record: Record, login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    login(page, record.manager if name == "access_log" else record.sw)
    _open(page, PAGES[name].format(id=record.child_id), lang)
    check_reflow(page)
    check_a11y(page)


def _filter_visits(page: Page, record: Record) -> None:
    """Open the chronology, tick "visits" and apply the filter: an HTMX request, not a page load."""
    page.goto(f"/children/{record.child_id}/chronology/")
    expect(page.locator("#chronology-count")).not_to_have_text(f"{VISITS} events")
    page.evaluate("window.__sameDocument = true")  # survives an HTMX swap, not a page load
    page.get_by_text("Filter the chronology").click()
    page.get_by_label("visits", exact=True).check()
    with page.expect_response(lambda r: "/chronology/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#chronology-count")).to_have_text(f"{VISITS} events")


def _bad_range(page: Page) -> None:
    page.get_by_label("From").fill("2024-05-01")
    page.get_by_label("To").fill("2024-04-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".error-summary")).to_contain_text("The end of the range must not be before its start.")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_chronology_filter_swaps_the_results(
    page: Page, record: Record, login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    login(page, record.sw)
    _filter_visits(page, record)
    assert page.evaluate("window.__sameDocument === true"), "the filter reloaded the page instead of swapping"
    assert "type=visit" in page.url  # hx-push-url: the filtered view can be bookmarked and shared
    expect(page.locator("table.chronology tbody tr")).to_have_count(VISITS)
    expect(page.locator("table.chronology")).not_to_contain_text("Referral received")
    check_reflow(page)
    check_a11y(page)
    _bad_range(page)  # the error summary comes back in the swap
    assert page.evaluate("window.__sameDocument === true")
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_chronology_filter_moves_focus_to_the_count_and_the_error_summary(
    page: Page, record: Record, login: Login
) -> None:
    login(page, record.sw)
    _filter_visits(page, record)
    expect(page.locator("#chronology-count")).to_be_focused(timeout=3000)  # a screen reader hears how many match
    _bad_range(page)
    expect(page.locator(".error-summary")).to_be_focused(timeout=3000)


@pytest.mark.parametrize("viewport", ["phone"])
def test_chronology_print_view(page: Page, record: Record, login: Login) -> None:
    login(page, record.sw)
    page.goto(f"/children/{record.child_id}/chronology/")
    expect(page.locator(".print-only")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".print-only")).to_be_visible()
    expect(page.locator(".print-only")).to_contain_text("Printed by sw")
    expect(page.locator(".filters")).to_be_hidden()
    expect(page.locator(".record-actions")).to_be_hidden()
    expect(page.locator("table.chronology tbody tr").first).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_note_draft_is_autosaved_restored_and_published(
    page: Page, record: Record, login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    login(page, record.sw)
    page.goto(f"/children/{record.child_id}/notes/new/")
    text = page.get_by_label("Note", exact=True)
    with page.expect_response(lambda r: r.url.endswith("/notes/draft/"), timeout=AUTOSAVE_MS) as saved:
        text.press_sequentially("Saw Megan at school; she was cheerful.")
    assert saved.value.status == 200
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    assert NoteDraft.objects.filter(child_id=record.child_id).exists()
    # Coming back: the text is there and the page says the draft was kept.
    page.reload()
    expect(text).to_have_value("Saw Megan at school; she was cheerful.")
    expect(page.get_by_text("We kept the note you were writing")).to_be_visible()
    check_reflow(page)
    check_a11y(page)
    # Publishing: back to the chronology, the note is in it, the draft is gone.
    page.get_by_role("button", name="Save the note").click()
    expect(page).to_have_url(f"{page.url.split('/children/')[0]}/children/{record.child_id}/chronology/")
    expect(page.locator("table.chronology")).to_contain_text("Saw Megan at school; she was cheerful.")
    assert CaseNote.objects.filter(child_id=record.child_id).count() == 1
    assert not NoteDraft.objects.filter(child_id=record.child_id).exists()
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_search_finds_by_name_and_never_shows_a_sealed_record(
    page: Page, record: Record, login: Login, check_a11y: A11y
) -> None:
    login(page, record.manager)  # not named on the sealed record
    page.goto("/children/")
    page.get_by_label("Name or identifier").fill("megan")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-title")).to_have_text("1 child")
    results = page.locator("table.stack tbody")
    expect(results.get_by_role("link", name="Megan Jones")).to_be_visible()
    expect(page.get_by_text("Cudd")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("Name or identifier").fill("Cudd")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-title")).to_have_text("0 children")
    expect(page.get_by_text("No children match.")).to_be_visible()
    # Nor by opening the sealed record's address: not found, as for a child that does not exist.
    # (page.request: a 404 navigation would log a console error, which the harness counts as a problem)
    assert page.request.get(f"/children/{record.sealed_id}/").status == 404
    # Found by name, opened from the results.
    page.goto("/children/?q=Jones")
    page.get_by_role("link", name="Megan Jones").click()
    expect(page.locator("h1")).to_have_text("Megan Jones")
