"""The pages of the child's record through the Django test client: content, filters, export, notes, roles."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from pytest_django.fixtures import DjangoAssertNumQueries

from access.world import World
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases import models as m
from diogel.record import services
from diogel.record.models import CaseNote, NoteDraft

from .conftest import d, history, in_need, looked_after, registered, sibling_of

pytestmark = pytest.mark.django_db
AsUser = Callable[[str], Client]


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# --- the header ------------------------------------------------------------------------------------


def test_header_of_a_looked_after_child(as_user: AsUser, world: World, own: m.Child) -> None:
    looked_after(own)
    sibling_of(own, world.children["team"])
    sibling_of(own, world.children["other_la"])
    page = text(as_user("sw").get(f"/children/{own.pk}/"))
    assert "<h1>Megan Jones</h1>" in page
    assert "9 years old" in page
    assert "C2 — full care order" in page
    assert "U1 — foster placement with a relative or friend" in page
    assert "Not registered" in page
    assert "SW1" in page  # the allocated worker (no name recorded: the SW_ID)
    assert f'href="/children/{world.children["team"].pk}/"' in page  # a sibling they may see, linked
    assert "A sibling whose record you cannot see" in page  # the other LA's child: not named
    assert "What is due" in page


def test_header_of_a_registered_child(as_user: AsUser, own: m.Child) -> None:
    registered(own)
    page = text(as_user("sw").get(f"/children/{own.pk}/"))
    assert "NEG — neglect" in page
    assert "On the child protection register." in page
    assert "Not looked after" in page


def test_header_of_a_child_in_need(as_user: AsUser, own: m.Child) -> None:
    ref = in_need(own)
    page = text(as_user("sw").get(f"/children/{own.pk}/"))
    assert f"Episode of need open since {ref.referral_date.day} " in page
    assert "Not looked after" in page and "Not registered" in page


def test_header_in_welsh(as_user: AsUser, own: m.Child) -> None:
    looked_after(own)
    client = as_user("sw")
    client.cookies["django_language"] = "cy"
    page = text(client.get(f"/children/{own.pk}/"))
    assert '<html lang="cy">' in page
    assert "Statws cyfreithiol" in page  # legal status
    assert "gorchymyn gofal llawn" in page  # full care order


def test_partner_sees_only_agreed_sections(as_user: AsUser, own: m.Child) -> None:
    looked_after(own)
    in_need(own)
    page = text(as_user("partner").get(f"/children/{own.pk}/"))
    assert "Referrals" in page and "Health" in page
    assert "Legal status" not in page and "Looked after" not in page
    assert as_user("partner").get(f"/children/{own.pk}/chronology/").status_code == 404


# --- authorisation over roles ----------------------------------------------------------------------

RECORD_PAGES = ["/children/{id}/", "/children/{id}/involved/"]
CHRONOLOGY_PAGES = ["/children/{id}/chronology/", "/children/{id}/chronology.csv"]
# Who may open the child "own" (allocated to sw): see tests/access/test_visibility.py.
SEES_OWN = {"sw", "manager", "perf_granted", "partner"}
SEES_OWN_CHRONOLOGY = {"sw", "manager", "perf_granted"}
ROLES = ["sw", "manager", "iro", "admin", "partner", "partner_expired", "perf", "perf_granted", "board", "wg",
         "inspector", "inspector_expired", "nobody", "revoked"]  # fmt: skip


@pytest.mark.parametrize("user", ROLES)
def test_every_page_refuses_as_not_found(as_user: AsUser, world: World, user: str) -> None:
    own = world.children["own"].pk
    client = as_user(user)
    for url in RECORD_PAGES:
        assert client.get(url.format(id=own)).status_code == (200 if user in SEES_OWN else 404), url
    for url in CHRONOLOGY_PAGES:
        assert client.get(url.format(id=own)).status_code == (200 if user in SEES_OWN_CHRONOLOGY else 404), url
    # Sealed and other-LA children look exactly like children that do not exist.
    for child in ("sealed", "other_la"):
        pk = world.children[child].pk
        expected = 200 if (user, child) in {("sw", "sealed"), ("inspector", "other_la")} else 404
        assert client.get(f"/children/{pk}/").status_code == expected, child
    assert client.get("/children/999999/").status_code == 404
    expected_log = 200 if user in {"manager", "admin"} else 404
    assert client.get(f"/children/{own}/access-log/").status_code == expected_log


def test_pages_need_sign_in(world: World) -> None:
    own = world.children["own"].pk
    for url in ("/children/", f"/children/{own}/", f"/children/{own}/chronology/", f"/children/{own}/notes/new/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("user", "status"), [("sw", 200), ("manager", 200), ("perf_granted", 403)])
def test_only_practitioners_write_notes(as_user: AsUser, world: World, user: str, status: int) -> None:
    own = world.children["own"].pk
    assert as_user(user).get(f"/children/{own}/notes/new/").status_code == status
    response = as_user(user).post(f"/children/{own}/notes/new/", {"occurred_on": d(0).isoformat(), "text": "x"})
    assert response.status_code == (302 if status == 200 else 403)


# --- search ----------------------------------------------------------------------------------------


def test_search_page(as_user: AsUser, own: m.Child) -> None:
    page = text(as_user("sw").get("/children/", {"q": "megan"}))
    assert "Megan Jones" in page and "1 child" in page
    assert "0 children" in text(as_user("manager").get("/children/", {"q": "sealed"}))
    bad = text(as_user("sw").get("/children/", {"dob": "2020-02-31"}))
    assert 'class="error-summary"' in bad and 'href="#id_dob"' in bad
    assert 'value="2020-02-31"' in bad  # what was typed is kept


def test_search_page_query_count_is_fixed(
    as_user: AsUser, world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = as_user("perf_granted")
    client.get("/children/")  # session and language warm-up
    with django_assert_num_queries(14):
        assert client.get("/children/").status_code == 200
    for i in range(30):
        m.Child.objects.create(la=world.la_a, child_ref=f"extra{i}")
    with django_assert_num_queries(14):
        assert client.get("/children/").status_code == 200


# --- chronology ------------------------------------------------------------------------------------


def test_chronology_filters_and_htmx(as_user: AsUser, own: m.Child) -> None:
    history(own, events=3)
    client = as_user("sw")
    page = text(client.get(f"/children/{own.pk}/chronology/"))
    assert "Referral received" in page and "Statutory visit (looked after)" in page
    assert "Record a visit" in page or "Statutory visit" in page
    only_visits = text(client.get(f"/children/{own.pk}/chronology/", {"type": "visit"}))
    assert "3 events" in only_visits and "Referral received" not in only_visits
    partial = client.get(f"/children/{own.pk}/chronology/", {"type": "referral"}, headers={"HX-Request": "true"})
    body = text(partial)
    assert "<html" not in body and 'id="chronology-body"' in body and "Referral received" in body
    bad = text(client.get(f"/children/{own.pk}/chronology/", {"date_from": "2024-05-01", "date_to": "2024-04-01"}))
    assert 'class="error-summary"' in bad and 'href="#id_date_to"' in bad
    assert "The end of the range must not be before its start." in bad


def test_chronology_rows_in_welsh(as_user: AsUser, world: World, own: m.Child) -> None:
    """The rows (built in Python, see record_tags.chronology_rows) in Welsh: labels, dates, types, own notes."""
    history(own, events=1)
    services.note_publish(actor=world.users["sw"], child_id=own.pk, occurred_on=d(-1), text="<b>nodyn</b>")
    client = as_user("sw")
    client.cookies["django_language"] = "cy"
    page = text(client.get(f"/children/{own.pk}/chronology/", headers={"accept-language": "cy"}))
    assert 'data-label="Dyddiad"' in page and 'data-label="Asiantaeth"' in page
    assert "Cofnodwyd gan sw" in page  # "Recorded by"
    assert '>Newid<span class="visually-hidden"> y nodyn hwn</span></a>' in page  # "Change this note"
    assert "&lt;b&gt;nodyn&lt;/b&gt;" in page and "<b>nodyn" not in page  # escaped as the template escaped
    with translation.override("cy"):
        month = date_format(d(-1), "F")
    with translation.override("en"):
        assert month != date_format(d(-1), "F")  # a Welsh name
    assert f"{d(-1).day} {month} {d(-1).year}</time>" in page


def test_chronology_print_view(as_user: AsUser, own: m.Child) -> None:
    page = text(as_user("sw").get(f"/children/{own.pk}/chronology/"))
    assert "record/record.css" in page  # holds the @media print rules
    assert 'class="print-only"' in page and "Printed by sw" in page
    assert "data-print" in page and "<script>" not in page and "onclick" not in page and 'style="' not in page


def test_chronology_csv_for_court(as_user: AsUser, world: World, own: m.Child) -> None:
    history(own, events=2)
    services.note_publish(actor=world.users["sw"], child_id=own.pk, occurred_on=d(-1), text="=HYPERLINK(bad)")
    response = as_user("sw").get(f"/children/{own.pk}/chronology.csv", {"order": "oldest"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="chronology-own-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Date", "Type of event", "Event", "Details", "Agency", "Recorded by"]
    dates = [r[0] for r in rows[1:]]
    assert dates == sorted(dates)
    assert any(r[3] == "'=HYPERLINK(bad)" for r in rows)  # never a live formula in a spreadsheet
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.event == AuditEvent.EXPORT


@pytest.mark.parametrize("events", [10, 200])
def test_chronology_query_count_is_fixed(
    as_user: AsUser, own: m.Child, events: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    history(own, events=events)
    registered(own)
    client = as_user("sw")
    client.get(f"/children/{own.pk}/chronology/")
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        response = client.get(f"/children/{own.pk}/chronology/")
    assert text(response).count("Statutory visit (looked after)") == events


#: The signed-in floor (session read and saved: 4, user, notification badge: 6), memberships (read once for the
#: request), the worker's teams, the child (visibility applied), the audit entry (5), one query per source
#: table of the chronology (18: one of them, core groups, through the registration) and whether the recording
#: flows' links may be shown: memberships are not read again.
CHRONOLOGY_QUERIES = 32


def records_queries() -> int:
    """The queries of ``child_records`` (what is due: the timescales area, a colleague's), measured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogel.timescales.from_models import child_records

    with CaptureQueriesContext(connection) as ctx:
        child_records(m.Child.objects.all())
    return len(ctx.captured_queries)


@pytest.mark.parametrize("extra", [0, 20])
def test_record_page_query_count_is_fixed(
    as_user: AsUser, own: m.Child, extra: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    history(own, events=extra)
    registered(own)
    client = as_user("sw")
    client.get(f"/children/{own.pk}/")
    with django_assert_num_queries(RECORD_QUERIES + records_queries()):
        assert client.get(f"/children/{own.pk}/").status_code == 200


#: The floor (6), memberships, the worker's teams, the child, the audit entry (5), episodes, registrations,
#: referrals, the allocation, siblings, the blocks' assessments, CP reviews, looked-after reviews, schools,
#: health notes, care-leaver contacts, the draft (12); plus what is due (:func:`records_queries`).
RECORD_QUERIES = 26


# --- involved and access log -----------------------------------------------------------------------


def test_involved_page(as_user: AsUser, world: World, own: m.Child) -> None:
    world.users["manager"].email = "manager@example.org"
    world.users["manager"].save()
    page = text(as_user("sw").get(f"/children/{own.pk}/involved/"))
    assert "Allocated social worker, A1" in page
    assert "Team manager" in page and "mailto:manager@example.org" in page
    assert "Health board" in page and "Police force" in page


def test_access_log_page(as_user: AsUser, own: m.Child) -> None:
    as_user("sw").get(f"/children/{own.pk}/")
    page = text(as_user("manager").get(f"/children/{own.pk}/access-log/"))
    assert "viewed a child&#x27;s record" in page or "viewed a child's record" in page
    assert ">sw<" in page
    response = as_user("admin").get(f"/children/{own.pk}/access-log.csv")
    assert response.status_code == 200 and "sw" in response.content.decode("utf-8-sig")


# --- notes -----------------------------------------------------------------------------------------


def test_draft_autosave_and_restore(as_user: AsUser, world: World, own: m.Child) -> None:
    client = as_user("sw")
    form = text(client.get(f"/children/{own.pk}/notes/new/"))
    assert f'hx-post="/children/{own.pk}/notes/draft/"' in form and "hx-trigger=" in form
    response = client.post(
        f"/children/{own.pk}/notes/draft/", {"occurred_on": d(-1).isoformat(), "text": "Half a thought"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200 and "Draft saved at" in text(response)
    draft = NoteDraft.objects.get(author=world.users["sw"], child=own)
    assert draft.text == "Half a thought"
    # Coming back later (another session, another device): the draft is restored.
    again = text(as_user("sw").get(f"/children/{own.pk}/notes/new/"))
    assert "Half a thought" in again and "We kept the note you were writing" in again
    assert "Continue your unfinished note" in text(client.get(f"/children/{own.pk}/"))
    # Not someone else's draft.
    assert "Half a thought" not in text(as_user("manager").get(f"/children/{own.pk}/notes/new/"))
    # Publishing removes the draft.
    client.post(f"/children/{own.pk}/notes/new/", {"occurred_on": d(-1).isoformat(), "text": "A whole thought"})
    assert not NoteDraft.objects.filter(child=own).exists()
    assert CaseNote.objects.get(child=own).text == "A whole thought"


def test_draft_after_sign_out_says_so_and_saves_nothing(world: World, own: m.Child) -> None:
    response = Client().post(f"/children/{own.pk}/notes/draft/", {"text": "typed"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "signed out" in text(response)
    assert not NoteDraft.objects.exists()


def test_draft_refused_where_the_record_is_not_visible(as_user: AsUser, world: World) -> None:
    response = as_user("manager").post(f"/children/{world.children['sealed'].pk}/notes/draft/", {"text": "x"})
    assert response.status_code == 404 and not NoteDraft.objects.exists()


def test_failed_save_keeps_what_was_typed(as_user: AsUser, own: m.Child) -> None:
    client = as_user("sw")
    typed = "Visited at home; Megan said <she> was fine & happy"
    response = client.post(f"/children/{own.pk}/notes/new/", {"occurred_on": d(5).isoformat(), "text": typed})
    page = text(response)
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'href="#id_occurred_on"' in page
    assert "The date must not be in the future." in page
    assert "Visited at home; Megan said &lt;she&gt; was fine &amp; happy" in page
    assert not CaseNote.objects.exists()
    empty = text(client.post(f"/children/{own.pk}/notes/new/", {"occurred_on": "", "text": "  "}))
    assert "Write the note." in empty and "Enter the date of what the note records." in empty
    assert not CaseNote.objects.exists()


def test_stale_edit_is_refused_showing_what_changed(as_user: AsUser, world: World, own: m.Child) -> None:
    sw = world.users["sw"]
    note = services.note_publish(actor=sw, child_id=own.pk, occurred_on=d(-3), text="First words")
    client = as_user("sw")
    form = text(client.get(f"/children/{own.pk}/notes/{note.pk}/edit/"))
    assert 'name="version" value="1"' in form
    # Meanwhile, on the phone:
    services.note_edit(actor=sw, child_id=own.pk, note_id=note.pk, version=1, occurred_on=d(-3), text="Phone words")
    response = client.post(
        f"/children/{own.pk}/notes/{note.pk}/edit/",
        {"occurred_on": d(-3).isoformat(), "text": "Desk words", "version": "1"},
    )
    page = text(response)
    assert response.status_code == 409
    assert "changed this note after you opened it" in page and "What changed" in page
    assert "Phone words" in page  # what the other save says now
    assert "Desk words" in page  # what they typed is kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    note.refresh_from_db()
    assert note.text == "Phone words" and note.version == 2
    ok = client.post(
        f"/children/{own.pk}/notes/{note.pk}/edit/",
        {"occurred_on": d(-3).isoformat(), "text": "Desk words", "version": "2"},
    )
    assert ok.status_code == 302
    note.refresh_from_db()
    assert note.text == "Desk words" and note.version == 3


def test_only_the_author_edits_a_note(as_user: AsUser, world: World, own: m.Child) -> None:
    note = services.note_publish(actor=world.users["sw"], child_id=own.pk, occurred_on=d(-1), text="mine")
    response = as_user("manager").post(
        f"/children/{own.pk}/notes/{note.pk}/edit/",
        {"occurred_on": d(-1).isoformat(), "text": "theirs", "version": "1"},
    )
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.text == "mine"
    assert as_user("iro").get(f"/children/{own.pk}/notes/{note.pk}/edit/").status_code == 404


def test_notes_are_audited_and_shown_in_the_chronology(as_user: AsUser, world: World, own: m.Child) -> None:
    client = as_user("sw")
    client.post(f"/children/{own.pk}/notes/new/", {"occurred_on": d(-2).isoformat(), "text": "Spoke to school"})
    note = CaseNote.objects.get()
    created = AuditEntry.objects.filter(event=AuditEvent.RECORD_CREATED, object_id=str(note.pk)).get()
    assert created.child_id == own.pk and created.after["text"] == "Spoke to school"
    page = text(client.get(f"/children/{own.pk}/chronology/", {"type": "note"}))
    assert "Spoke to school" in page and f"/children/{own.pk}/notes/{note.pk}/edit/" in page
