"""Every recording flow through the JSON API, one declaration per flow (``CASES``).

For each flow: a good body is 201 with the record's id, and the record holds the values sent, with an audit
entry about the child; one representative bad input is 400 naming the field, and saves nothing; a user who
can read the child but not record (an inspector) gets 403; a user who cannot see the child gets 404.
The OpenAPI document lists an operation for every flow of ``FLOWS``, and every flow of ``FLOWS`` must
have a declaration here (or be named, with a reason, in ``NOT_YET_IN_API_TESTS``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client

from diogel.access import services as access
from diogel.access.models import IROAssignment
from diogel.access.roles import Role
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import (
    Assessment,
    CareLeaverContact,
    CarePlan,
    Child,
    ConferenceInvitation,
    ConferenceSubject,
    CoreGroupMeeting,
    CPReview,
    Episode,
    FeedbackAnswer,
    GPRegistration,
    HealthAssessment,
    LookedAfterReview,
    PathwayAssessment,
    PermanencePlan,
    Referral,
    Registration,
    SchoolChange,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from diogel.clock import today
from diogel.recording.flows import FLOWS
from diogel.workdays import add_months

from .conftest import SYSTEM, World, client_for, d, in_care, referral, registered

pytestmark = pytest.mark.django_db
API = "/api/v1/recording"
#: The audit events of a write (allocating an IRO is a role granted).
WRITES = (AuditEvent.RECORD_CREATED, AuditEvent.RECORD_CHANGED, AuditEvent.ROLE_GRANTED, AuditEvent.ROLE_REVOKED)

#: Flows of FLOWS that have no declaration in CASES yet, each with the reason. Keep it empty when you can:
#: a flow listed here is not proved to work through the API by this file.
NOT_YET_IN_API_TESTS: dict[str, str] = {}


# --- preconditions: what must exist before each flow can be recorded ----------------------------------------


def _nothing(child: Child) -> Model | None:
    return None


def _decided_referral(child: Child) -> Model:
    return referral(child, d(-10), decision="IA", decision_date=d(-9))


def _open_assessment(child: Child) -> Model:
    r = referral(child, d(-10), decision="IA", decision_date=d(-9))
    return Assessment.objects.create(la=child.la, child=child, referral=r, assessment_ref=f"A{child.pk}",
                                     assessment_type="INITIAL", start_date=d(-8))  # fmt: skip


def _strategy_discussion(child: Child) -> Model:
    return StrategyDiscussion.objects.create(la=child.la, child=child, held_on=d(-12))


def _open_enquiry(child: Child) -> Model:
    discussion = StrategyDiscussion.objects.create(la=child.la, child=child, held_on=d(-12))
    return Section47Enquiry.objects.create(la=child.la, child=child, strategy_discussion=discussion,
                                           start_date=d(-12))  # fmt: skip


def _registered(child: Child) -> Model:
    return registered(child, d(-30))


def _in_care(child: Child) -> Model:
    return in_care(child, d(-40))


def _aged(child: Child, years: int) -> None:
    child.date_of_birth = add_months(today(), -12 * years) - timedelta(days=10)
    child.save(update_fields=["date_of_birth"])


def _aged_17_in_care(child: Child) -> Model:
    _aged(child, 17)
    return in_care(child, d(-40))


NEW_IRO = "new_iro"


def _in_care_and_an_iro_free(child: Child) -> Model:
    """In care, and an IRO of the child's LA who is not the child's IRO yet (``NEW_IRO``)."""
    iro = get_user_model().objects.create_user(NEW_IRO, first_name="Nia", last_name="Evans")
    access.membership_grant(actor=SYSTEM, user=iro, role=Role.IRO, la=child.la)
    return in_care(child, d(-40))


def _new_iro() -> int:
    return int(get_user_model().objects.get(username=NEW_IRO).pk)


def _aged_19(child: Child) -> Model | None:
    _aged(child, 19)
    return None


# --- what each saved record must hold ---------------------------------------------------------------------


def _referral_recorded(r: Referral, child: Child, prior: Model | None) -> None:
    assert (r.child_id, r.referral_date, r.source, r.primary_need) == (child.pk, d(-2), "EDUCATION", "N4")


def _referral_decided(r: Referral, child: Child, prior: Model | None) -> None:
    assert prior is not None and r.pk == prior.pk
    assert (r.decision, r.decision_date, r.primary_need, r.version) == ("S47", d(-1), "N1", 2)


def _assessment_started(a: Assessment, child: Child, prior: Model | None) -> None:
    assert prior is not None and a.referral_id == prior.pk and a.child_id == child.pk
    assert (a.assessment_type, a.start_date, a.completed_date, a.seen, a.seen_alone) == ("CORE", d(-5), d(-1), "Y", "N")


def _assessment_completed(a: Assessment, child: Child, prior: Model | None) -> None:
    assert prior is not None and a.pk == prior.pk
    assert (a.completed_date, a.seen, a.seen_alone, a.version) == (d(-1), "Y", "Y", 2)


def _discussion_recorded(s: StrategyDiscussion, child: Child, prior: Model | None) -> None:
    assert prior is not None and (s.child_id, s.held_on, s.referral_id) == (child.pk, d(-2), prior.pk)
    enquiry = Section47Enquiry.objects.get(strategy_discussion=s)
    assert enquiry.start_date == d(-2) and enquiry.end_date is None


def _enquiry_completed(e: Section47Enquiry, child: Child, prior: Model | None) -> None:
    assert prior is not None and e.pk == prior.pk
    assert (e.end_date, e.outcome, e.version) == (d(-1), "CONFERENCE", 2)


def _conference_recorded(s: ConferenceSubject, child: Child, prior: Model | None) -> None:
    assert prior is not None
    assert (s.child_id, s.conference_date, s.outcome, s.strategy_discussion_id) == (
        child.pk,
        d(-2),
        "REGISTER",
        prior.pk,
    )
    invited = {
        (i.agency, i.attended, i.report_provided)
        for i in ConferenceInvitation.objects.filter(conference_id=s.conference_id)
    }
    assert invited == {("HEALTH", "Y", "N"), ("POLICE", "N", "Y")}
    reg = Registration.objects.get(child=child)
    assert (reg.start_date, reg.category, reg.conference_subject_id) == (d(-2), "PHY", s.pk)


def _registration_recorded(r: Registration, child: Child, prior: Model | None) -> None:
    assert (r.child_id, r.start_date, r.category, r.end_date) == (child.pk, d(-3), "EMO", None)


def _core_group_recorded(m: CoreGroupMeeting, child: Child, prior: Model | None) -> None:
    assert prior is not None and (m.registration_id, m.held_on) == (prior.pk, d(-4))
    assert Registration.objects.get(pk=prior.pk).first_core_group == d(-4)


def _cp_review_recorded(r: CPReview, child: Child, prior: Model | None) -> None:
    assert prior is not None and (r.child_id, r.registration_id, r.review_date) == (child.pk, prior.pk, d(-2))


def _deregistered(r: Registration, child: Child, prior: Model | None) -> None:
    assert prior is not None and r.pk == prior.pk and (r.end_date, r.version) == (d(-1), 2)


def _care_started(e: Episode, child: Child, prior: Model | None) -> None:
    got = (e.child_id, e.decom, e.rne, e.legal_status, e.placement, e.place_provider, e.cin, e.dec)
    assert got == (child.pk, d(-7), "S", "C2", "U1", "PR1", "N1", None)


def _placement_changed(e: Episode, child: Child, prior: Model | None) -> None:
    assert prior is not None and e.pk != prior.pk
    closed = Episode.objects.get(pk=prior.pk)
    assert (closed.dec, closed.rec) == (d(-2), "X1")
    got = (e.decom, e.rne, e.placement, e.reason_place_change, e.place_provider, e.legal_status, e.dec)
    assert got == (d(-2), "P", "U3", "CARPL", "PR4", "C2", None)


def _legal_status_changed(e: Episode, child: Child, prior: Model | None) -> None:
    assert prior is not None and e.pk != prior.pk
    assert (Episode.objects.get(pk=prior.pk).dec, Episode.objects.get(pk=prior.pk).rec) == (d(-3), "X1")
    assert (e.decom, e.rne, e.legal_status, e.placement, e.dec) == (d(-3), "L", "C1", "U1", None)


def _care_ended(e: Episode, child: Child, prior: Model | None) -> None:
    assert prior is not None and e.pk == prior.pk and (e.dec, e.rec) == (d(-1), "E11")


def _care_plan(p: CarePlan, child: Child, prior: Model | None) -> None:
    assert (p.child_id, p.plan_type, p.start_date, p.end_date) == (child.pk, "CARE_PLAN", d(-2), None)


def _pathway_plan(p: CarePlan, child: Child, prior: Model | None) -> None:
    assert (p.child_id, p.plan_type, p.start_date, p.end_date) == (child.pk, "PATHWAY_PLAN", d(-6), None)


def _lac_review(r: LookedAfterReview, child: Child, prior: Model | None) -> None:
    assert (r.child_id, r.review_date, r.participation) == (child.pk, d(-1), "PN1")


def _visit(v: Visit, child: Child, prior: Model | None) -> None:
    assert (v.child_id, v.visit_date, v.visit_type, v.seen_alone) == (child.pk, d(-1), "CP", "Y")


def _school_change(s: SchoolChange, child: Child, prior: Model | None) -> None:
    assert (s.child_id, s.change_date, s.transitional) == (child.pk, d(-5), "N")


def _care_leaver_contact(c: CareLeaverContact, child: Child, prior: Model | None) -> None:
    assert (c.child_id, c.in_touch, c.activity, c.accommodation) == (child.pk, "YES", "F3", "U1")


def _health_assessment(h: HealthAssessment, child: Child, prior: Model | None) -> None:
    assert prior is not None and (h.child_id, h.assessed_on, h.episode_id) == (child.pk, d(-3), prior.pk)


def _gp_registration(g: GPRegistration, child: Child, prior: Model | None) -> None:
    assert (g.child_id, g.registered_on, g.practice) == (child.pk, d(-3), "Meddygfa Glan yr Afon")


def _permanence_plan(p: PermanencePlan, child: Child, prior: Model | None) -> None:
    assert (p.child_id, p.recorded_on, p.outcome, p.summary) == (child.pk, d(-2), "SGO", "With her grandmother")


def _iro_allocated(a: IROAssignment, child: Child, prior: Model | None) -> None:
    assert (a.child_id, a.user_id, a.started_on, a.ended_on) == (child.pk, _new_iro(), d(-1), None)


def _pathway_assessment(p: PathwayAssessment, child: Child, prior: Model | None) -> None:
    assert (p.child_id, p.completed_on) == (child.pk, d(-3))


def _wellbeing(a: FeedbackAnswer, child: Child, prior: Model | None) -> None:
    saved = {(x.question, x.answer) for x in FeedbackAnswer.objects.filter(child=child, response_date=today())}
    assert a.child_id == child.pk and saved == {("SAFE", "YES"), ("HOME_HAPPY", "SOMETIMES"), ("LISTENED", "NO")}


# --- the declarations --------------------------------------------------------------------------------------


Body = Callable[[Child, Any], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """How to record one flow through the API, and how to get it wrong."""

    body: Body  # (child, prior) → the JSON body of a good request
    saved: Callable[[Any, Child, Any], None]  # asserts the saved record (from the 201's id) holds the values
    bad: dict[str, Any]  # replaces keys of the good body (None removes the key): one representative mistake
    bad_field: str  # the field the 400 must name
    counted: tuple[type[Model], ...]  # tables a refused request must leave alone; the first: the record answered
    setup: Callable[[Child], Model | None] = _nothing  # the preconditions; returns the record a flow edits/follows
    user: str = "sw"
    child: str = "own"


def _v(prior: Any) -> int:
    return int(prior.version)


CASES: dict[str, Case] = {
    "referral_record": Case(
        lambda c, p: {"referral_date": d(-2).isoformat(), "source": "EDUCATION", "primary_need": "N4"},
        _referral_recorded, {"referral_date": d(3).isoformat()}, "referral_date", (Referral,),
    ),
    "referral_decide": Case(
        lambda c, p: {"version": _v(p), "decision": "S47", "decision_date": d(-1).isoformat(), "primary_need": "N1"},
        _referral_decided, {"decision_date": d(-30).isoformat()}, "decision_date", (Referral,),
        setup=lambda c: referral(c, d(-3)),
    ),
    "assessment_start": Case(
        lambda c, p: {"referral": p.pk, "assessment_type": "CORE", "start_date": d(-5).isoformat(),
                      "completed_date": d(-1).isoformat(), "seen": True, "seen_alone": False},
        _assessment_started, {"assessment_type": "PARTIAL"}, "assessment_type", (Assessment,),
        setup=_decided_referral,
    ),
    "assessment_complete": Case(
        lambda c, p: {"version": _v(p), "completed_date": d(-1).isoformat(), "seen": True, "seen_alone": True},
        _assessment_completed, {"seen": False}, "seen_alone", (Assessment,), setup=_open_assessment,
    ),
    "strategy_discussion": Case(
        lambda c, p: {"held_on": d(-2).isoformat(), "referral": p.pk, "start_enquiry": True},
        _discussion_recorded, {"held_on": "not a date"}, "held_on", (StrategyDiscussion, Section47Enquiry),
        setup=lambda c: referral(c, d(-5)),
    ),
    "enquiry_complete": Case(
        lambda c, p: {"version": _v(p), "end_date": d(-1).isoformat(), "outcome": "CONFERENCE"},
        _enquiry_completed, {"outcome": "MAYBE"}, "outcome", (Section47Enquiry,), setup=_open_enquiry,
    ),
    "conference": Case(
        lambda c, p: {"conference_date": d(-2).isoformat(), "outcome": "REGISTER", "category": "PHY",
                      "invitations": [{"agency": "HEALTH", "attended": True},
                                      {"agency": "POLICE", "report_provided": True}]},
        _conference_recorded, {"category": None}, "category",
        (ConferenceSubject, ConferenceInvitation, Registration), setup=_strategy_discussion,
    ),
    "registration": Case(
        lambda c, p: {"start_date": d(-3).isoformat(), "category": "EMO"},
        _registration_recorded, {"category": "BLUE"}, "category", (Registration,),
    ),
    "core_group": Case(
        lambda c, p: {"held_on": d(-4).isoformat()},
        _core_group_recorded, {"held_on": d(-31).isoformat()}, "held_on", (CoreGroupMeeting, Registration),
        setup=_registered,
    ),
    "cp_review": Case(
        lambda c, p: {"review_date": d(-2).isoformat()},
        _cp_review_recorded, {"review_date": d(1).isoformat()}, "review_date", (CPReview,), setup=_registered,
    ),
    "deregistration": Case(
        lambda c, p: {"version": _v(p), "end_date": d(-1).isoformat()},
        _deregistered, {"end_date": d(-40).isoformat()}, "end_date", (Registration,), setup=_registered,
    ),
    "care_start": Case(
        lambda c, p: {"decom": d(-7).isoformat(), "legal_status": "C2", "placement": "U1", "place_provider": "PR1",
                      "cin": "N1"},
        _care_started, {"placement": "ZZ"}, "placement", (Episode,),
    ),
    "placement_change": Case(
        lambda c, p: {"version": _v(p), "changed_on": d(-2).isoformat(), "placement": "U3", "reason": "CARPL",
                      "same_carer": False, "place_provider": "PR4"},
        _placement_changed, {"reason": None}, "reason", (Episode,), setup=_in_care,
    ),
    "legal_status_change": Case(
        lambda c, p: {"version": _v(p), "changed_on": d(-3).isoformat(), "legal_status": "C1"},
        _legal_status_changed, {"changed_on": d(-50).isoformat()}, "changed_on", (Episode,), setup=_in_care,
    ),
    "episode_end": Case(
        lambda c, p: {"version": _v(p), "dec": d(-1).isoformat(), "rec": "E11"},
        _care_ended, {"rec": "X1"}, "rec", (Episode,), setup=_in_care,
    ),
    "care_plan": Case(
        lambda c, p: {"start_date": d(-2).isoformat()},
        _care_plan, {"start_date": d(2).isoformat()}, "start_date", (CarePlan,), setup=_in_care,
    ),
    "health_assessment": Case(
        lambda c, p: {"assessed_on": d(-3).isoformat(), "episode": p.pk},
        _health_assessment, {"assessed_on": d(-60).isoformat()}, "assessed_on", (HealthAssessment,),
        setup=_in_care,
    ),
    "gp_registration": Case(
        lambda c, p: {"registered_on": d(-3).isoformat(), "practice": "Meddygfa Glan yr Afon"},
        _gp_registration, {"practice": "x" * 201}, "practice", (GPRegistration,), setup=_in_care,
    ),
    "permanence_plan": Case(
        lambda c, p: {"recorded_on": d(-2).isoformat(), "outcome": "SGO", "summary": "With her grandmother"},
        _permanence_plan, {"outcome": "OTHER", "summary": None}, "summary", (PermanencePlan,), setup=_in_care,
    ),
    "iro_allocation": Case(
        lambda c, p: {"iro": _new_iro(), "started_on": d(-1).isoformat()},
        _iro_allocated, {"started_on": d(1).isoformat()}, "started_on", (IROAssignment,),
        setup=_in_care_and_an_iro_free, user="manager",
    ),
    "pathway_assessment": Case(
        lambda c, p: {"completed_on": d(-3).isoformat()},
        _pathway_assessment, {"completed_on": d(-800).isoformat()}, "completed_on", (PathwayAssessment,),
        setup=_aged_17_in_care,
    ),
    "pathway_plan": Case(
        lambda c, p: {"start_date": d(-6).isoformat()},
        _pathway_plan, {"start_date": None}, "start_date", (CarePlan,),
    ),
    "lac_review": Case(
        lambda c, p: {"review_date": d(-1).isoformat(), "participation": "PN1"},
        _lac_review, {"participation": "PN9"}, "participation", (LookedAfterReview,), setup=_in_care,
        user="iro", child="other_team",
    ),
    "visit": Case(
        lambda c, p: {"visit_date": d(-1).isoformat(), "seen_alone": True, "visit_type": "CP"},
        _visit, {"seen_alone": None}, "seen_alone", (Visit,), setup=_registered,
    ),
    "school_change": Case(
        lambda c, p: {"change_date": d(-5).isoformat(), "transitional": False},
        _school_change, {"transitional": None}, "transitional", (SchoolChange,),
    ),
    "care_leaver_contact": Case(
        lambda c, p: {"in_touch": "YES", "activity": "F3", "accommodation_type": "U", "accommodation_suitable": True},
        _care_leaver_contact, {"activity": None}, "activity", (CareLeaverContact,), setup=_aged_19,
    ),
    "wellbeing": Case(
        lambda c, p: {"answers": {"SAFE": "YES", "HOME_HAPPY": "SOMETIMES", "LISTENED": "NO"}},
        _wellbeing, {"answers": {"SAFE": "MAYBE"}}, "safe", (FeedbackAnswer,), user="iro", child="other_team",
    ),
}  # fmt: skip


# --- the tests ---------------------------------------------------------------------------------------------


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def url(name: str, child: Child, prior: Model | None) -> str:
    flow = FLOWS[name]
    target = {"target_id": prior.pk} if flow.by_id and prior is not None else {}
    return API + flow.api_path.format(child_id=child.pk, **target)


def writes(child: Child) -> int:
    """Writes audited (about any child: allocating an IRO does not name the child)."""
    return AuditEntry.objects.filter(event__in=WRITES).count()


def snapshot(case: Case, child: Child, prior: Model | None) -> tuple[Any, ...]:
    """What a refused request must leave as it was: the rows of the flow's tables, the writes audited for the
    child, and the record it would edit (its version and every column)."""
    rows = tuple(model._default_manager.count() for model in case.counted)
    edited = None
    if prior is not None:
        prior_now = type(prior)._default_manager.get(pk=prior.pk)
        edited = {f.attname: getattr(prior_now, f.attname) for f in prior_now._meta.concrete_fields}
    return rows, writes(child), edited


def test_every_flow_has_an_api_declaration() -> None:
    missing = set(FLOWS) - set(CASES) - set(NOT_YET_IN_API_TESTS)
    assert not missing, f"flows without an API test: add them to CASES in {__name__}: {sorted(missing)}"
    assert not set(CASES) - set(FLOWS), "CASES names flows that do not exist"
    stale = set(NOT_YET_IN_API_TESTS) & set(CASES)
    assert not stale, f"remove from NOT_YET_IN_API_TESTS, they are tested now: {sorted(stale)}"
    assert set(NOT_YET_IN_API_TESTS) <= set(FLOWS), "NOT_YET_IN_API_TESTS names flows that do not exist"


@pytest.mark.parametrize("name", list(CASES))
def test_recorded_with_the_values_sent_and_audited(world: World, name: str) -> None:
    case = CASES[name]
    child = world.children[case.child]
    prior = case.setup(child)
    response = post(client_for(world, case.user), url(name, child, prior), case.body(child, prior))
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["type"] == case.counted[0]._meta.label_lower  # the browser test finds the saved record by it
    saved = apps.get_model(out["type"])._default_manager.get(pk=out["id"])
    case.saved(saved, child, prior)
    assert out["version"] == getattr(saved, "version", None)
    entries = AuditEntry.objects.filter(object_type=out["type"], object_id=str(out["id"]), event__in=WRITES)
    assert entries.exists(), "no audit entry for the saved record"
    assert entries.filter(child=child).exists(), "the audit entry does not name the child"


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_400_naming_the_field_and_saves_nothing(world: World, name: str) -> None:
    case = CASES[name]
    child = world.children[case.child]
    prior = case.setup(child)
    body = {k: v for k, v in {**case.body(child, prior), **case.bad}.items() if v is not None}
    before = snapshot(case, child, prior)
    response = post(client_for(world, case.user), url(name, child, prior), body)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert case.bad_field in errors and all(errors[case.bad_field]), errors
    assert snapshot(case, child, prior) == before


@pytest.mark.parametrize("name", list(CASES))
def test_a_reader_who_may_not_record_is_refused_with_403(world: World, name: str) -> None:
    case = CASES[name]
    child = world.children["other_team"]  # in the inspector's sample: visible, read-only
    prior = case.setup(child)
    before = snapshot(case, child, prior)
    response = post(client_for(world, "inspector"), url(name, child, prior), case.body(child, prior))
    assert response.status_code == 403, response.content
    assert snapshot(case, child, prior) == before


@pytest.mark.parametrize("name", list(CASES))
def test_a_user_who_cannot_see_the_child_gets_404(world: World, name: str) -> None:
    case = CASES[name]
    child = world.children["other_la"]  # another local authority's child: the social worker cannot see it
    prior = case.setup(child)
    before = snapshot(case, child, prior)
    response = post(client_for(world, "sw"), url(name, child, prior), case.body(child, prior))
    assert response.status_code == 404, response.content
    assert snapshot(case, child, prior) == before


def test_the_openapi_document_lists_every_flow() -> None:
    document = Client().get("/api/v1/openapi.json")
    assert document.status_code == 200
    operations = {
        op["operationId"]: (path, method)
        for path, item in document.json()["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    for name, flow in FLOWS.items():
        assert f"recording_{name}" in operations, f"no API operation for the flow {name}"
        assert operations[f"recording_{name}"] == (API + flow.api_path, "post"), name
