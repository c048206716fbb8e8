"""Corrections: an entry saved earlier is changed with its version and a reason, audited before/after, with
the rules of recording it; a stale version saves nothing and lists what changed; only those who may record
that kind of entry for the child may correct it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from diogel.access.errors import NotAllowedError, NotFound
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import (
    CareLeaverContact,
    CarePlan,
    Child,
    CoreGroupMeeting,
    CPReview,
    LookedAfterReview,
    Registration,
    SchoolChange,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from diogel.recording import services
from diogel.recording.flows import FLOWS
from diogel.recording.services._common import StaleEditError
from diogel.recording.services.corrections import KINDS, correct
from diogel.workdays import add_months

from .conftest import SYSTEM, World, client_for, d, in_care, registered

pytestmark = pytest.mark.django_db
API = "/api/v1/recording/children"


def page(child: Child, kind: str, pk: int) -> str:
    return reverse("recording:correct", kwargs={"child_id": child.pk, "kind": kind, "target_id": pk})


def put(client: Client, child: Child, kind: str, pk: int, body: dict[str, Any]) -> Any:
    return client.put(f"{API}/{child.pk}/records/{kind}/{pk}", json.dumps(body), content_type="application/json")


def last_change(obj: Model) -> AuditEntry:
    return AuditEntry.objects.filter(
        event=AuditEvent.RECORD_CHANGED, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).latest("seq")


# --- one entry of every kind, recorded through its own service, and a correction of it ---------------

Setup = Callable[[World, Child], Model]


def _visit(w: World, c: Child) -> Model:
    registered(c, d(-30))
    return services.visit_record(c, actor=w.users["sw"], visit_date=d(-5), seen_alone=True)


def _direct_visit(c: Child) -> Visit:
    """A visit on a child the social worker does not cover (made directly, as a dataset import would)."""
    registered(c, d(-30))
    return Visit.objects.create(la=c.la, child=c, visit_date=d(-5), visit_type="CP", seen_alone="Y")


def _strategy(w: World, c: Child) -> Model:
    return services.strategy_discussion_record(c, actor=w.users["sw"], held_on=d(-10))


def _core_group(w: World, c: Child) -> Model:
    registered(c, d(-30))
    return services.core_group_record(c, actor=w.users["sw"], held_on=d(-10))


def _cp_review(w: World, c: Child) -> Model:
    registered(c, d(-30))
    return services.cp_review_record(c, actor=w.users["sw"], review_date=d(-5))


def _lac_review(w: World, c: Child) -> Model:
    in_care(c, d(-100))
    return services.lac_review_record(c, actor=w.users["sw"], review_date=d(-5), participation="PN1")


def _care_plan(w: World, c: Child) -> Model:
    in_care(c, d(-100))
    return services.plan_start(c, actor=w.users["sw"], plan_type="CARE_PLAN", start_date=d(-20))


def _pathway_plan(w: World, c: Child) -> Model:
    return services.plan_start(c, actor=w.users["sw"], plan_type="PATHWAY_PLAN", start_date=d(-20))


def _school_change(w: World, c: Child) -> Model:
    return services.school_change_record(c, actor=w.users["sw"], change_date=d(-10), transitional=True)


def _nineteen(c: Child) -> None:
    c.date_of_birth = add_months(d(-10), -12 * 19)
    c.save(update_fields=["date_of_birth"])


def _care_leaver(w: World, c: Child) -> Model:
    _nineteen(c)
    return services.care_leaver_contact_record(c, actor=w.users["sw"], in_touch="NO")


#: kind → (set up an entry, the correction, the model fields it must then hold)
CASES: dict[str, tuple[Setup, dict[str, Any], dict[str, Any]]] = {
    "visit": (_visit, {"visit_date": d(-3), "seen_alone": False}, {"visit_date": d(-3), "seen_alone": "N"}),
    "strategy-discussion": (_strategy, {"held_on": d(-8)}, {"held_on": d(-8)}),
    "core-group": (_core_group, {"held_on": d(-12)}, {"held_on": d(-12)}),
    "cp-review": (_cp_review, {"review_date": d(-6)}, {"review_date": d(-6)}),
    "lac-review": (_lac_review, {"participation": "PN2"}, {"participation": "PN2", "review_date": d(-5)}),
    "care-plan": (_care_plan, {"start_date": d(-18)}, {"start_date": d(-18)}),
    "pathway-plan": (_pathway_plan, {"start_date": d(-19)}, {"start_date": d(-19)}),
    "school-change": (_school_change, {"transitional": False}, {"transitional": "N", "change_date": d(-10)}),
    "care-leaver-contact": (
        _care_leaver,
        {"in_touch": "YES", "activity": "F1", "accommodation_type": "B", "accommodation_suitable": True},
        {"in_touch": "YES", "activity": "F1", "accommodation": "B1"},
    ),
}


def test_every_kind_is_tested_and_matches_its_recording_flow() -> None:
    assert set(CASES) == set(KINDS)
    for kind in KINDS.values():
        flow = FLOWS[kind.flow]
        assert (kind.section, kind.allowed) == (flow.section, flow.allowed), kind.slug
        assert set(kind.fields) <= set(flow.form.base_fields), kind.slug


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_correction_saves_and_audits_before_after_and_the_reason(world: World, child: Child, kind: str) -> None:
    setup, values, expected = CASES[kind]
    entry = setup(world, child)
    before = {name: getattr(entry, name) for name in expected}
    saved = correct(child, kind, entry.pk, actor=world.users["manager"], version=1, reason="Typed it wrong", **values)
    saved.refresh_from_db()
    assert saved.version == 2  # type: ignore[attr-defined]
    assert {name: getattr(saved, name) for name in expected} == expected
    entry_audit = last_change(saved)
    assert entry_audit.detail["reason"] == "Typed it wrong"
    assert entry_audit.actor_id == world.users["manager"].pk  # a manager corrects a worker's entry
    changed = {k for k, v in expected.items() if before[k] != v}
    assert changed and changed <= set(entry_audit.after) and entry_audit.after["version"] == 2
    for name in changed:
        assert entry_audit.before[name] != entry_audit.after[name]


def test_dates_copied_from_an_entry_follow_it(world: World, child: Child) -> None:
    sw = world.users["sw"]
    meeting = _core_group(world, child)
    correct(child, "core-group", meeting.pk, actor=sw, version=1, reason="wrong day", held_on=d(-20))
    reg = Registration.objects.get(child=child)
    assert reg.first_core_group == d(-20) and last_change(reg).detail["reason"] == "wrong day"
    discussion = _strategy(world, child)
    correct(child, "strategy-discussion", discussion.pk, actor=sw, version=1, reason="wrong day", held_on=d(-12))
    assert Section47Enquiry.objects.get(strategy_discussion=discussion).start_date == d(-12)
    plan = _care_plan(world, child)
    newer = services.plan_start(child, actor=sw, plan_type="CARE_PLAN", start_date=d(-5))
    correct(child, "care-plan", newer.pk, actor=sw, version=1, reason="wrong day", start_date=d(-7))
    plan.refresh_from_db()
    assert plan.end_date == d(-7)
    with pytest.raises(ValidationError) as refused:  # not before the plan it replaced, not after its successor
        correct(child, "care-plan", newer.pk, actor=sw, version=2, reason="x", start_date=d(-25))
    assert "start_date" in refused.value.error_dict
    with pytest.raises(ValidationError) as late:
        correct(child, "care-plan", plan.pk, actor=sw, version=plan.version, reason="x", start_date=d(-6))
    assert "start_date" in late.value.error_dict


# --- stale versions ---------------------------------------------------------------------------------


def test_stale_version_saves_nothing_and_lists_the_other_change(world: World, child: Child) -> None:
    visit = _visit(world, child)
    correct(child, "visit", visit.pk, actor=world.users["manager"], version=1, reason="date", visit_date=d(-4))
    with pytest.raises(StaleEditError) as stale:
        correct(child, "visit", visit.pk, actor=world.users["sw"], version=1, reason="alone", seen_alone=False)
    assert stale.value.current == 2
    assert [(c.field, c.before, c.after, c.who) for c in stale.value.changes] == [
        ("visit_date", d(-5).isoformat(), d(-4).isoformat(), "manager")
    ]
    visit.refresh_from_db()
    assert (visit.version, visit.seen_alone) == (2, "Y")


def test_stale_version_is_409_on_the_api(world: World, child: Child) -> None:
    visit = _visit(world, child)
    client = client_for(world, "sw")
    first = put(client, child, "visit", visit.pk, {"version": 1, "reason": "date", "visit_date": d(-4).isoformat()})
    assert first.status_code == 200, first.content
    assert first.json() == {"id": visit.pk, "type": "cases.visit", "version": 2}
    stale = put(client, child, "visit", visit.pk, {"version": 1, "reason": "alone", "seen_alone": False})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["changes"][0]["field"] == "visit_date"
    assert body["changes"][0]["after"] == d(-4).isoformat()
    assert Visit.objects.get().seen_alone == "Y"


def test_stale_page_shows_the_changes_and_keeps_the_input_then_a_second_save_goes_through(
    world: World, child: Child
) -> None:
    visit = _visit(world, child)
    correct(child, "visit", visit.pk, actor=world.users["manager"], version=1, reason="date", visit_date=d(-4))
    client = client_for(world, "sw")
    form = {"version": "1", "visit_date": d(-2).isoformat(), "seen_alone": "N", "visit_type": "CP",
            "reason": "My typo"}  # fmt: skip
    response = client.post(page(child, "visit", visit.pk), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This record was changed by someone else" in html and "visit_date" in html and "manager" in html
    assert f'value="{d(-2).isoformat()}"' in html and "My typo" in html and 'name="version" value="2"' in html
    visit.refresh_from_db()
    assert visit.visit_date == d(-4)
    again = client.post(page(child, "visit", visit.pk), {**form, "version": "2"})
    assert again.status_code == 302 and again["Location"] == reverse("recording:child", args=[child.pk])
    visit.refresh_from_db()
    assert (visit.visit_date, visit.version) == (d(-2), 3)


# --- validation: the rules of recording the entry ---------------------------------------------------


def test_a_visit_moved_outside_care_and_registration_is_refused_on_the_field(world: World, child: Child) -> None:
    visit = _visit(world, child)  # registered from d(-30)
    client = client_for(world, "sw")
    form = {"version": "1", "visit_date": d(-40).isoformat(), "seen_alone": "Y", "visit_type": "", "reason": "typo"}
    html = client.post(page(child, "visit", visit.pk), form).content.decode()
    assert "The child was neither looked after nor registered on this date." in html
    assert 'id="field-visit_date"' in html and "field-error" in html and f'value="{d(-40).isoformat()}"' in html
    typed = client.post(page(child, "visit", visit.pk), {**form, "visit_type": "LAC"}).content.decode()
    assert "The child was not looked after on this date." in typed
    future = put(client_for(world, "sw"), child, "visit", visit.pk,
                 {"version": 1, "reason": "typo", "visit_date": d(1).isoformat()})  # fmt: skip
    assert future.status_code == 400
    assert future.json()["errors"] == {"visit_date": ["The date must not be in the future."]}
    visit.refresh_from_db()
    assert (visit.visit_date, visit.version) == (d(-5), 1)


def test_the_same_rules_as_recording(world: World, child: Child) -> None:
    sw = world.users["sw"]
    child.date_of_birth = d(-365 * 10)
    child.save(update_fields=["date_of_birth"])
    review = _lac_review(world, child)
    with pytest.raises(ValidationError) as by_recording:
        services.lac_review_record(child, actor=sw, review_date=d(-4), participation="PN0")
    with pytest.raises(ValidationError) as by_correction:
        correct(child, "lac-review", review.pk, actor=sw, version=1, reason="x", participation="PN0")
    assert by_recording.value.message_dict == by_correction.value.message_dict
    with pytest.raises(ValidationError) as outside:
        correct(child, "lac-review", review.pk, actor=sw, version=1, reason="x", review_date=d(-200))
    assert outside.value.message_dict == {"review_date": ["The child was not looked after on this date."]}
    assert LookedAfterReview.objects.get().version == 1


def test_within_the_registration_even_after_it_ended(world: World, child: Child) -> None:
    review = _cp_review(world, child)
    services.registration_end(child, actor=world.users["sw"], version=1, end_date=d(-3))
    with pytest.raises(ValidationError) as before:
        correct(child, "cp-review", review.pk, actor=world.users["sw"], version=1, reason="x", review_date=d(-31))
    with pytest.raises(ValidationError) as after:
        correct(child, "cp-review", review.pk, actor=world.users["sw"], version=1, reason="x", review_date=d(-1))
    assert "review_date" in before.value.error_dict and "review_date" in after.value.error_dict
    assert CPReview.objects.get().review_date == d(-5)


def test_a_reason_is_needed_and_a_no_change_is_refused(world: World, child: Child) -> None:
    change = _school_change(world, child)
    client = client_for(world, "sw")
    no_reason = put(client, child, "school-change", change.pk, {"version": 1, "reason": "  ", "transitional": False})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    same = put(client, child, "school-change", change.pk, {"version": 1, "reason": "why", "transitional": True})
    assert same.status_code == 400 and "Nothing has changed" in same.content.decode()
    other = put(client, child, "school-change", change.pk, {"version": 1, "reason": "why", "held_on": "2020-01-01"})
    assert other.status_code == 400 and "held_on" in other.json()["errors"]
    no_version = put(client, child, "school-change", change.pk, {"reason": "why", "transitional": False})
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    assert SchoolChange.objects.get().version == 1


def test_care_leaver_contact_rules(world: World, child: Child) -> None:
    contact = _care_leaver(world, child)
    client = client_for(world, "sw")
    partial = put(client, child, "care-leaver-contact", contact.pk,
                  {"version": 1, "reason": "x", "in_touch": "YES", "activity": "F1", "accommodation_type": "B"})  # fmt: skip
    assert partial.status_code == 400 and "accommodation_suitable" in partial.json()["errors"]
    assert CareLeaverContact.objects.get().in_touch == "NO"
    form = client.get(page(child, "care-leaver-contact", contact.pk)).content.decode()
    checked = re.findall(r'<input type="radio" name="in_touch" value="(\w+)"[^>]*checked', form)
    assert checked == ["NO"]


# --- who may correct --------------------------------------------------------------------------------


def test_who_may_correct(world: World) -> None:
    own, other_team, other_la = (world.children[k] for k in ("own", "other_team", "other_la"))
    visit = _visit(world, own)
    team_visit = _direct_visit(other_team)
    la_visit = _direct_visit(other_la)
    review = services.cp_review_record(other_team, actor=world.users["iro"], review_date=d(-4))
    body = {"version": 1, "reason": "x", "seen_alone": False}
    inspector = client_for(world, "inspector")  # sees other_team, never records
    assert inspector.get(page(other_team, "visit", team_visit.pk)).status_code == 403
    assert put(inspector, other_team, "visit", team_visit.pk, body).status_code == 403
    sw = client_for(world, "sw")
    assert sw.get(page(other_la, "visit", la_visit.pk)).status_code == 404
    assert put(sw, other_la, "visit", la_visit.pk, body).status_code == 404
    assert sw.get(page(own, "visit", team_visit.pk)).status_code == 404  # another child's entry
    assert sw.get(page(own, "no-such-kind", visit.pk)).status_code == 404
    partner = client_for(world, "partner")  # health agreement: referrals and health only
    assert partner.get(page(own, "visit", visit.pk)).status_code == 404
    assert put(partner, own, "visit", visit.pk, body).status_code == 404
    with pytest.raises(NotFound):
        correct(own, "visit", visit.pk, actor=world.users["partner"], version=1, reason="x", seen_alone=False)
    iro = client_for(world, "iro")  # chairs reviews: corrects a CP review, not a visit
    assert iro.get(page(other_team, "visit", team_visit.pk)).status_code == 403
    with pytest.raises(NotAllowedError):
        correct(other_team, "visit", team_visit.pk, actor=world.users["iro"], version=1, reason="x", seen_alone=False)
    ok = put(iro, other_team, "cp-review", review.pk, {"version": 1, "reason": "x", "review_date": d(-3).isoformat()})
    assert ok.status_code == 200, ok.content
    assert Visit.objects.filter(version=1).count() == 3


def test_the_recording_page_lists_entries_with_correct_links_only_for_those_who_may(world: World) -> None:
    own, other_team = world.children["own"], world.children["other_team"]
    visit = _visit(world, own)
    older = services.visit_record(own, actor=world.users["sw"], visit_date=d(-20), seen_alone=False)
    html = client_for(world, "sw").get(reverse("recording:child", args=[own.pk])).content.decode()
    assert "Correct an entry" in html
    assert html.index(page(own, "visit", visit.pk)) < html.index(page(own, "visit", older.pk))  # newest first
    for i in range(12):
        services.school_change_record(own, actor=world.users["sw"], change_date=d(-100 - i), transitional=True)
    listed = client_for(world, "sw").get(reverse("recording:child", args=[own.pk])).content.decode()
    assert listed.count("/correct/") == 10 and page(own, "visit", visit.pk) in listed
    team_visit = _direct_visit(other_team)
    review = services.cp_review_record(other_team, actor=world.users["iro"], review_date=d(-4))
    inspector = client_for(world, "inspector").get(reverse("recording:child", args=[other_team.pk])).content.decode()
    assert "Correct an entry" not in inspector and "/correct/" not in inspector
    iro = client_for(world, "iro").get(reverse("recording:child", args=[other_team.pk])).content.decode()
    assert page(other_team, "cp-review", review.pk) in iro and page(other_team, "visit", team_visit.pk) not in iro


def test_the_correction_page_is_prefilled_and_saves_with_a_message(world: World, child: Child) -> None:
    visit = _visit(world, child)
    client = client_for(world, "sw")
    html = client.get(page(child, "visit", visit.pk)).content.decode()
    assert f'value="{d(-5).isoformat()}"' in html and 'name="version" value="1"' in html
    assert "Why are you correcting this?" in html
    done = client.post(page(child, "visit", visit.pk), {"version": "1", "visit_date": d(-5).isoformat(),
                       "seen_alone": "N", "visit_type": "CP", "reason": "Was not alone"}, follow=True)  # fmt: skip
    assert "Correction saved: Visit." in done.content.decode()
    assert last_change(Visit.objects.get()).detail["reason"] == "Was not alone"
    empty = client.post(page(child, "visit", visit.pk), {"version": "2", "visit_date": "", "seen_alone": "N",
                                                         "visit_type": "CP", "reason": ""})  # fmt: skip
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()


def test_entries_of_other_models_without_a_child_column(world: World, child: Child) -> None:
    meeting = _core_group(world, child)
    other = world.children["other_team"]
    with pytest.raises(NotFound):
        correct(other, "core-group", meeting.pk, actor=SYSTEM, version=1, reason="x", held_on=d(-9))
    assert CoreGroupMeeting.objects.get().version == 1
    assert StrategyDiscussion.objects.count() == 0 and CarePlan.objects.count() == 0
