"""The services: validation with field messages, nothing saved on failure, audit in the same transaction,
optimistic versions, SSDA903 episode semantics, and who may record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from diogel.access import services as access
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.sections import Section
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import (
    Assessment,
    CareLeaverContact,
    Child,
    ConferenceInvitation,
    ConferenceSubject,
    CoreGroupMeeting,
    Episode,
    FeedbackAnswer,
    LookedAfterReview,
    Referral,
    Registration,
    SchoolChange,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from diogel.recording import services as s
from diogel.recording.services import _common

from .conftest import SYSTEM, World, d, in_care, referral, registered

pytestmark = pytest.mark.django_db


def fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {k: [m for e in v for m in e.messages] for k, v in error.value.error_dict.items()}


def entries(obj: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq"))


# --- referrals ------------------------------------------------------------------------------------


def test_referral_recorded_then_decided_with_audit(world: World, child: Child) -> None:
    sw = world.users["sw"]
    r = s.referral_record(child, actor=sw, referral_date=d(-2), source="POLICE")
    assert r.referral_ref.startswith("REF-") and r.version == 1
    decided = s.referral_decide(child, r.pk, actor=sw, version=1, decision="NFA", decision_date=d(-1))
    assert (decided.decision, decided.decision_date, decided.closure_date, decided.version) == ("NFA", d(-1), d(-1), 2)
    created, changed = entries(r)
    assert created.event == AuditEvent.RECORD_CREATED and created.child_id == child.pk and created.actor_id == sw.pk
    assert changed.event == AuditEvent.RECORD_CHANGED
    assert changed.before["decision"] == "" and changed.after == {
        "decision": "NFA", "decision_date": d(-1).isoformat(), "closure_date": d(-1).isoformat(), "version": 2
    }  # fmt: skip


def test_decision_before_referral_is_refused_on_the_field_and_nothing_changes(world: World, child: Child) -> None:
    r = referral(child, d(-2))
    with pytest.raises(ValidationError) as e:
        s.referral_decide(child, r.pk, actor=world.users["sw"], version=1, decision="XX", decision_date=d(-3))
    got = fields(e)
    assert "The decision cannot be before the referral was received" in got["decision_date"][0]
    assert got["decision"] == ["“XX” is not a known code here."]
    r.refresh_from_db()
    assert (r.decision, r.version) == ("", 1)
    assert entries(r) == []


def test_future_dates_are_refused(world: World, child: Child) -> None:
    with pytest.raises(ValidationError) as e:
        s.referral_record(child, actor=world.users["sw"], referral_date=d(1), source="POLICE")
    assert fields(e) == {"referral_date": ["The date must not be in the future."]}
    assert not Referral.objects.exclude(child__child_ref="awaiting").exists()


def test_stale_decision_is_refused_and_shows_what_changed(world: World, child: Child) -> None:
    r = referral(child, d(-5))
    s.referral_decide(child, r.pk, actor=world.users["manager"], version=1, decision="IA", decision_date=d(-4))
    with pytest.raises(s.StaleEditError) as e:
        s.referral_decide(child, r.pk, actor=world.users["sw"], version=1, decision="NFA", decision_date=d(-3))
    assert e.value.current == 2
    changed = {c.field: (c.before, c.after, c.who) for c in e.value.changes}
    assert changed["decision"] == ("", "IA", "manager")
    r.refresh_from_db()
    assert (r.decision, r.version) == ("IA", 2)


def test_audit_failure_rolls_back_the_change(world: World, child: Child, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(_common.audit, "record", broken)
    with pytest.raises(RuntimeError):
        s.referral_record(child, actor=world.users["sw"], referral_date=d(0), source="HEALTH")
    assert not Referral.objects.exclude(child__child_ref="awaiting").exists()


# --- who may record --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "child_name", "outcome"),
    [
        ("sw", "own", None),
        ("sw", "team", None),
        ("manager", "own", None),
        ("sw", "other_team", NotFound),
        ("sw", "other_la", NotFound),
        ("manager", "sealed", NotFound),
        ("inspector", "other_team", NotAllowedError),  # sees it, read-only
        ("inspector", "own", NotFound),
        ("iro", "other_team", NotAllowedError),  # IROs record reviews, not referrals
        ("partner", "own", NotAllowedError),  # sees referrals under its agreement, records none
        ("perf_granted", "own", NotAllowedError),
        ("admin", "own", NotFound),
        ("board", "own", NotFound),
        ("wg", "own", NotFound),
        ("revoked", "own", NotFound),
        ("nobody", "own", NotFound),
    ],
)
def test_who_may_record_a_referral(world: World, user: str, child_name: str, outcome: type[Exception] | None) -> None:
    target = world.children[child_name]
    call = lambda: s.referral_record(target, actor=world.users[user], referral_date=d(0), source="POLICE")  # noqa: E731
    if outcome is None:
        call()
        assert Referral.objects.filter(child=target).count() == 1
    else:
        with pytest.raises(outcome):
            call()
        assert not Referral.objects.exclude(child__child_ref="awaiting").exists()


def test_iro_records_the_review_of_an_assigned_child(world: World) -> None:
    child = world.children["other_team"]
    in_care(child, d(-60))
    review = s.lac_review_record(child, actor=world.users["iro"], review_date=d(-1), participation="PN1")
    assert review.participation == "PN1"
    with pytest.raises(NotAllowedError):
        s.lac_review_record(child, actor=world.users["inspector"], review_date=d(-1), participation="PN1")


def test_partner_records_a_school_change_only_where_the_agreement_opens_education(world: World) -> None:
    child, partner = world.children["own"], world.users["partner"]
    with pytest.raises(NotFound):  # the health agreement opens referrals and health only
        s.school_change_record(child, actor=partner, change_date=d(-1), transitional=False)
    access.agreement_create(
        actor=SYSTEM, la=child.la, agency_kind="HEALTH", sections=[Section.EDUCATION], purpose="Education",
        starts_on=d(-1), expires_on=d(10), signed_for_la_by="Director", signed_for_agency_by="Chief",
    )  # fmt: skip
    change = s.school_change_record(child, actor=partner, change_date=d(-1), transitional=False)
    assert change.transitional == "N"
    assert SchoolChange.objects.count() == 1


def test_break_glass_is_for_reading_only(world: World) -> None:
    child = world.children["other_team"]
    access.break_glass_request(actor=world.users["sw"], child_id=child.pk, reason="Police at the door")
    with pytest.raises(NotAllowedError):
        s.referral_record(child, actor=world.users["sw"], referral_date=d(0), source="POLICE")


# --- assessments -----------------------------------------------------------------------------------


def test_assessment_in_one_go_and_completion(world: World, child: Child) -> None:
    sw = world.users["sw"]
    r = referral(child, d(-10), decision="IA", decision_date=d(-9))
    done = s.assessment_start(child, actor=sw, referral_id=r.pk, assessment_type="INITIAL", start_date=d(-9),
                              completed_date=d(-3), seen=True, seen_alone=False)  # fmt: skip
    assert (done.seen, done.seen_alone) == ("Y", "N")
    core = s.assessment_start(child, actor=sw, referral_id=r.pk, assessment_type="CORE", start_date=d(-3))
    with pytest.raises(ValidationError) as e:
        s.assessment_complete(child, core.pk, actor=sw, version=1, completed_date=d(-4), seen=False, seen_alone=True)
    got = fields(e)
    assert set(got) == {"completed_date", "seen_alone"}
    core = s.assessment_complete(child, core.pk, actor=sw, version=1, completed_date=d(0), seen=True, seen_alone=True)
    assert (core.completed_date, core.version) == (d(0), 2)


def test_assessment_of_a_closed_referral_is_refused(world: World, child: Child) -> None:
    r = referral(child, d(-10), decision="NFA", decision_date=d(-9))
    with pytest.raises(ValidationError) as e:
        s.assessment_start(child, actor=world.users["sw"], referral_id=r.pk, assessment_type="INITIAL",
                           start_date=d(-1))  # fmt: skip
    assert "referral" in fields(e)
    assert not Assessment.objects.exists()


# --- child protection ------------------------------------------------------------------------------


def test_protection_journey(world: World, child: Child) -> None:
    sw, iro = world.users["sw"], world.users["manager"]
    with pytest.raises(ValidationError) as e:
        s.conference_record(child, actor=sw, conference_date=d(-20), outcome="NOT_REGISTER")
    assert "Record the strategy discussion first" in fields(e)["conference_date"][0]
    discussion = s.strategy_discussion_record(child, actor=sw, held_on=d(-30))
    assert Section47Enquiry.objects.get().strategy_discussion == discussion
    with pytest.raises(ValidationError) as e:
        s.conference_record(child, actor=sw, conference_date=d(-31), outcome="REGISTER", category="NEG")
    assert "cannot be before the strategy discussion" in fields(e)["conference_date"][0]
    subject = s.conference_record(
        child, actor=iro, conference_date=d(-20), outcome="REGISTER", category="NEG",
        invitations=[s.Invitation("HEALTH", True, True), s.Invitation("POLICE", False, True)],
    )  # fmt: skip
    assert (subject.strategy_date, subject.conference_type) == (d(-30), "INITIAL")
    assert sorted(ConferenceInvitation.objects.values_list("agency", "attended", "report_provided")) == [
        ("HEALTH", "Y", "Y"), ("POLICE", "N", "Y")
    ]  # fmt: skip
    reg = Registration.objects.get()
    assert (reg.start_date, reg.category, reg.conference_subject) == (d(-20), "NEG", subject)
    with pytest.raises(ValidationError) as e:  # double registration
        s.registration_start(child, actor=sw, start_date=d(-10), category="PHY")
    assert "already on the child protection register" in fields(e)["start_date"][0]
    assert Registration.objects.count() == 1
    s.core_group_record(child, actor=sw, held_on=d(-12))
    s.core_group_record(child, actor=sw, held_on=d(-2))
    reg.refresh_from_db()
    assert (reg.first_core_group, CoreGroupMeeting.objects.count()) == (d(-12), 2)
    s.cp_review_record(child, actor=sw, review_date=d(-1))
    with pytest.raises(ValidationError):
        s.registration_end(child, actor=sw, version=reg.version, end_date=d(-25))
    ended = s.registration_end(child, actor=sw, version=reg.version, end_date=d(0))
    assert ended.end_date == d(0)
    assert StrategyDiscussion.objects.count() == 1 and ConferenceSubject.objects.count() == 1


# --- looked after ----------------------------------------------------------------------------------


def test_episodes_follow_ssda903(world: World, child: Child) -> None:
    sw = world.users["sw"]
    first = s.care_start(child, actor=sw, decom=d(-100), legal_status="V2", placement="U1", place_provider="PR1")
    assert first.rne == "S"
    with pytest.raises(ValidationError) as e:
        s.care_start(child, actor=sw, decom=d(-50), legal_status="C1", placement="U1")
    assert "overlaps" in fields(e)["decom"][0]
    moved = s.placement_change(child, actor=sw, version=1, changed_on=d(-80), placement="U3", reason="CARPL")
    first.refresh_from_db()
    assert (first.dec, first.rec, first.version) == (d(-80), "X1", 2)
    assert (moved.decom, moved.rne, moved.legal_status, moved.reason_place_change) == (d(-80), "P", "V2", "CARPL")
    same = s.placement_change(child, actor=sw, version=1, changed_on=d(-70), placement="U4", reason="PLACE",
                              same_carer=True)  # fmt: skip
    assert same.rne == "B"
    both = s.placement_change(child, actor=sw, version=1, changed_on=d(-60), placement="K2", reason="CHILD",
                              legal_status="C2")  # fmt: skip
    assert (both.rne, both.legal_status) == ("T", "C2")
    status = s.legal_status_change(child, actor=sw, version=1, changed_on=d(-40), legal_status="E1")
    assert (status.rne, status.placement, status.legal_status) == ("L", "K2", "E1")
    with pytest.raises(ValidationError) as e:
        s.episode_end(child, actor=sw, version=1, dec=d(-41), rec="E11")
    assert "cannot end before it starts" in fields(e)["dec"][0]
    with pytest.raises(ValidationError) as e:
        s.episode_end(child, actor=sw, version=1, dec=d(-1), rec="X1")
    assert "rec" in fields(e)
    ended = s.episode_end(child, actor=sw, version=1, dec=d(-1), rec="E11")
    assert (ended.dec, ended.rec) == (d(-1), "E11")
    assert Episode.objects.filter(child=child, dec__isnull=True).count() == 0
    assert Episode.objects.filter(child=child).count() == 5


def test_stale_placement_change_keeps_the_episode(world: World, child: Child) -> None:
    in_care(child, d(-30))
    with pytest.raises(s.StaleEditError):
        s.placement_change(child, actor=world.users["sw"], version=7, changed_on=d(-1), placement="U3", reason="CARPL")
    assert Episode.objects.get().dec is None


def test_plans_replace_the_open_one(world: World, child: Child) -> None:
    sw = world.users["sw"]
    first = s.plan_start(child, actor=sw, plan_type="PATHWAY_PLAN", start_date=d(-200))
    second = s.plan_start(child, actor=sw, plan_type="PATHWAY_PLAN", start_date=d(-10))
    first.refresh_from_db()
    assert (first.end_date, second.end_date) == (d(-10), None)


def test_lac_review_needs_the_child_in_care_and_the_right_participation(world: World, child: Child) -> None:
    sw = world.users["sw"]
    with pytest.raises(ValidationError) as e:
        s.lac_review_record(child, actor=sw, review_date=d(-1), participation="PN1")
    assert fields(e) == {"review_date": ["The child was not looked after on this date."]}
    in_care(child, d(-30))
    child.date_of_birth = d(-365 * 2)
    child.save()
    with pytest.raises(ValidationError) as e:
        s.lac_review_record(child, actor=sw, review_date=d(-1), participation="PN1")
    assert "participation" in fields(e)
    s.lac_review_record(child, actor=sw, review_date=d(-1), participation="PN0")
    assert LookedAfterReview.objects.count() == 1


# --- visits, leaving care, voice -------------------------------------------------------------------


def test_visit_type_follows_the_childs_status(world: World, child: Child) -> None:
    sw = world.users["sw"]
    with pytest.raises(ValidationError) as e:
        s.visit_record(child, actor=sw, visit_date=d(0), seen_alone=True)
    assert "visit_date" in fields(e)
    registered(child, d(-10))
    visit = s.visit_record(child, actor=sw, visit_date=d(0), seen_alone=True)
    assert (visit.visit_type, visit.seen_alone, visit.worker.worker_ref) == ("CP", "Y", "SW1")  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as e:
        s.visit_record(child, actor=sw, visit_date=d(0), seen_alone=None, visit_type="LAC")
    assert set(fields(e)) == {"seen_alone", "visit_type"}
    assert Visit.objects.count() == 1


def test_care_leaver_contact_at_19(world: World, child: Child) -> None:
    sw = world.users["sw"]
    child.date_of_birth = d(-365 * 19 - 10)
    child.save()
    with pytest.raises(ValidationError) as e:
        s.care_leaver_contact_record(child, actor=sw, in_touch="YES", activity="F3")
    assert "accommodation_type" in fields(e)
    contact = s.care_leaver_contact_record(child, actor=sw, in_touch="YES", activity="F3", accommodation_type="U",
                                           accommodation_suitable=True)  # fmt: skip
    assert (contact.accommodation, contact.activity) == ("U1", "F3")
    assert CareLeaverContact.objects.count() == 1


def test_anonymous_answers_are_kept_without_the_child_even_in_the_audit(world: World, child: Child) -> None:
    answers = s.feedback_record(child, actor=world.users["sw"], answers={"SAFE": "YES", "RESPECT": "SOMETIMES"},
                                anonymous=True)  # fmt: skip
    assert [a.child_id for a in answers] == [None, None]
    assert all(e.child_id is None and e.la_id == child.la_id for a in answers for e in entries(a))
    with pytest.raises(ValidationError):
        s.feedback_record(child, actor=world.users["sw"], answers={"SAFE": "MAYBE"})
    assert FeedbackAnswer.objects.count() == 2
