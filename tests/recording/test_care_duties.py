"""The flows behind timescale rules 11, 12, 18, 19 and 20: health assessment, GP registration, IRO allocation,
permanence plan and pathway assessment — services (each refusal, audit in the same transaction), pages
(bad input keeps what was typed) and the API (201, 400 with nothing saved, 403/404)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.models import IROAssignment
from diogel.access.roles import Role
from diogel.access.services import membership_grant
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child, Episode, GPRegistration, HealthAssessment, PathwayAssessment, PermanencePlan
from diogel.recording import services as s
from diogel.recording.links import flow_url
from diogel.timescales.due import Status
from diogel.timescales.from_models import due_for_child
from diogel.workdays import add_months

from .conftest import SYSTEM, World, client_for, d, in_care

pytestmark = pytest.mark.django_db
API = "/api/v1/recording/children"


def fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {k: [m for e in v for m in e.messages] for k, v in error.value.error_dict.items()}


def created(obj: Any) -> AuditEntry:
    [entry] = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return entry


def moved(child: Child, on: Any, placement: str = "U4") -> Episode:
    """Change of placement on ``on`` (X1 then RNE P), as the placement_change service would record it."""
    Episode.objects.filter(child=child, dec__isnull=True).update(dec=on, rec="X1")
    return Episode.objects.create(la=child.la, child=child, decom=on, rne="P", legal_status="C2", placement=placement)


# --- health assessment -------------------------------------------------------------------------------


def test_health_assessment_recorded_with_audit_and_satisfies_rule_11(world: World, child: Child) -> None:
    sw = world.users["sw"]
    first = in_care(child, d(-40))
    assert [i.status for i in due_for_child(child) if i.rule.number == 11] == [Status.OVERDUE]
    h = s.health_assessment_record(child, actor=sw, assessed_on=d(-30), episode=first.pk)
    assert (h.assessed_on, h.episode_id, h.la_id, h.version) == (d(-30), first.pk, child.la_id, 1)
    entry = created(h)
    assert (entry.event, entry.child_id, entry.actor_id) == (AuditEvent.RECORD_CREATED, child.pk, sw.pk)
    [item] = [i for i in due_for_child(child) if i.rule.number == 11]
    assert (item.satisfied_on, item.status in (Status.DONE, Status.DONE_LATE)) == (d(-30), True)


def test_health_assessment_refusals_save_nothing(world: World, child: Child) -> None:
    sw = world.users["sw"]
    child.date_of_birth = d(-400)
    child.save()
    with pytest.raises(ValidationError) as not_in_care:
        s.health_assessment_record(child, actor=sw, assessed_on=d(-1))
    assert "not looked after" in fields(not_in_care)["assessed_on"][0]
    first = in_care(child, d(-60))
    second = moved(child, d(-20))
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"assessed_on": None}, "assessed_on", "Enter this."),
        ({"assessed_on": d(1)}, "assessed_on", "The date must not be in the future."),
        ({"assessed_on": d(-401)}, "assessed_on", "before the child's date of birth"),
        ({"assessed_on": d(-70)}, "assessed_on", "not looked after"),
        ({"assessed_on": d(-10), "episode": first.pk}, "assessed_on", "outside the placement you chose"),
        ({"assessed_on": d(-30), "episode": second.pk}, "assessed_on", "outside the placement you chose"),
        ({"assessed_on": d(-10), "episode": 10**9}, "episode", "Choose one of this child's placements."),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ValidationError) as e:
            s.health_assessment_record(child, actor=sw, **kwargs)
        assert message in " ".join(fields(e).get(field, [])), (kwargs, fields(e))
    # Another child's episode is not one of this child's placements.
    other = world.children["team"]
    theirs = in_care(other, d(-30))
    with pytest.raises(ValidationError) as e:
        s.health_assessment_record(child, actor=sw, assessed_on=d(-10), episode=theirs.pk)
    assert "episode" in fields(e)
    assert HealthAssessment.objects.count() == 0
    # The day of the move is the last day of the old placement: it may be recorded for either.
    assert s.health_assessment_record(child, actor=sw, assessed_on=d(-20), episode=first.pk).episode_id == first.pk


def test_who_may_record_health(world: World, child: Child) -> None:
    in_care(child, d(-10))
    with pytest.raises(NotAllowedError):  # the health partner sees the health section but does not record
        s.health_assessment_record(child, actor=world.users["partner"], assessed_on=d(-1))
    with pytest.raises(NotFound):  # not visible at all
        s.gp_registration_record(child, actor=world.users["perf"], registered_on=d(-1))
    with pytest.raises(NotFound):
        s.gp_registration_record(world.children["other_la"], actor=world.users["sw"], registered_on=d(-1))
    assert s.gp_registration_record(child, actor=world.users["manager"], registered_on=d(-1)).pk
    assert HealthAssessment.objects.count() == 0 and GPRegistration.objects.count() == 1


# --- GP registration ---------------------------------------------------------------------------------


def test_gp_registration(world: World, child: Child) -> None:
    sw = world.users["sw"]
    in_care(child, d(-30))
    g = s.gp_registration_record(child, actor=sw, registered_on=d(-25), practice="  Meddygfa'r Bont  ")
    assert (g.registered_on, g.practice) == (d(-25), "Meddygfa'r Bont")
    assert created(g).after["practice"] == "Meddygfa'r Bont"
    with pytest.raises(ValidationError) as e:
        s.gp_registration_record(child, actor=sw, registered_on=d(-31), practice="x" * 201)
    assert set(fields(e)) == {"registered_on", "practice"}
    assert GPRegistration.objects.count() == 1


# --- permanence plan ---------------------------------------------------------------------------------


def test_permanence_plan(world: World, child: Child) -> None:
    sw = world.users["sw"]
    with pytest.raises(ValidationError) as e:
        s.permanence_plan_record(child, actor=sw, recorded_on=d(0), outcome="ADOPTION")
    assert "not looked after" in fields(e)["recorded_on"][0]
    in_care(child, d(-90))
    for kwargs, field in (
        ({"recorded_on": d(0), "outcome": "MAYBE"}, "outcome"),
        ({"recorded_on": d(0), "outcome": ""}, "outcome"),
        ({"recorded_on": d(0), "outcome": "OTHER", "summary": "  "}, "summary"),
        ({"recorded_on": d(0), "outcome": "LTF", "summary": "x" * 501}, "summary"),
        ({"recorded_on": d(2), "outcome": "LTF"}, "recorded_on"),
    ):
        with pytest.raises(ValidationError) as e:
            s.permanence_plan_record(child, actor=sw, **kwargs)
        assert field in fields(e), kwargs
    assert PermanencePlan.objects.count() == 0
    plan = s.permanence_plan_record(child, actor=sw, recorded_on=d(-5), outcome="OTHER", summary="Staying put")
    assert (plan.outcome, plan.summary, created(plan).actor_id) == ("OTHER", "Staying put", sw.pk)
    [item] = [i for i in due_for_child(child) if i.rule.number == 19]
    assert item.satisfied_on == d(-5)


# --- pathway assessment ------------------------------------------------------------------------------


def test_pathway_assessment(world: World, child: Child) -> None:
    sw = world.users["sw"]
    with pytest.raises(Exception, match="date of birth is not recorded"):
        s.pathway_assessment_record(child, actor=sw, completed_on=d(0))
    child.date_of_birth = add_months(d(-100), -16 * 12)  # 16 a hundred days ago
    child.save()
    with pytest.raises(ValidationError) as never:
        s.pathway_assessment_record(child, actor=sw, completed_on=d(0))
    assert "had not been looked after" in fields(never)["completed_on"][0]
    in_care(child, d(-400))
    with pytest.raises(ValidationError) as young:
        s.pathway_assessment_record(child, actor=sw, completed_on=d(-101))
    assert "aged 16 or over" in fields(young)["completed_on"][0]
    with pytest.raises(ValidationError):
        s.pathway_assessment_record(child, actor=sw, completed_on=d(1))
    assert PathwayAssessment.objects.count() == 0
    done = s.pathway_assessment_record(child, actor=sw, completed_on=d(-100))
    assert created(done).child_id == child.pk
    # Eligible on the 16th birthday (looked after 300 days by then); due 3 months later; done that day.
    [item] = [i for i in due_for_child(child) if i.rule.number == 20]
    assert (item.trigger_date, item.status, item.satisfied_on) == (d(-100), Status.DONE, d(-100))


# --- IRO allocation ----------------------------------------------------------------------------------


def test_team_manager_allocates_an_iro(world: World, child: Child) -> None:
    manager, iro = world.users["manager"], world.users["iro"]
    in_care(child, d(-20))
    [item] = [i for i in due_for_child(child) if i.rule.number == 18]
    assert item.satisfied_on is None
    a = s.iro_allocate(child, actor=manager, iro=iro.pk, started_on=d(-15))
    assert (a.user_id, a.child_id, a.started_on, a.ended_on) == (iro.pk, child.pk, d(-15), None)
    entry = created(a)
    assert (entry.event, entry.actor_id, entry.child_id) == (AuditEvent.ROLE_GRANTED, manager.pk, child.pk)
    [item] = [i for i in due_for_child(child) if i.rule.number == 18]
    assert (item.satisfied_on, item.status) == (d(-15), Status.DONE)  # 20 working days from d(-20) are ahead
    # Allocating the same IRO again is refused; another IRO replaces them from the new date.
    with pytest.raises(ValidationError) as again:
        s.iro_allocate(child, actor=manager, iro=iro.pk, started_on=d(-1))
    assert "already the child's IRO" in fields(again)["iro"][0]
    other = type(iro).objects.create_user("iro2", first_name="Siân", last_name="Evans")
    membership_grant(actor=SYSTEM, user=other, role=Role.IRO, la=world.la_a)
    with pytest.raises(ValidationError) as early:
        s.iro_allocate(child, actor=manager, iro=other.pk, started_on=d(-16))
    assert "cannot start before" in fields(early)["started_on"][0]
    b = s.iro_allocate(child, actor=manager, iro=other.pk, started_on=d(-2))
    a.refresh_from_db()
    assert (a.ended_on, b.started_on, b.ended_on) == (d(-2), d(-2), None)
    revoked = AuditEntry.objects.get(event=AuditEvent.ROLE_REVOKED, object_id=str(a.pk))
    assert revoked.actor_id == manager.pk and revoked.after["ended_on"] == d(-2).isoformat()


def test_iro_allocation_refusals(world: World, child: Child) -> None:
    manager = world.users["manager"]
    with pytest.raises(ValidationError) as not_in_care:
        s.iro_allocate(child, actor=manager, iro=world.users["iro"].pk, started_on=d(0))
    assert "not looked after" in fields(not_in_care)["started_on"][0]
    in_care(child, d(-20))
    for iro in (world.users["sw"].pk, None, 10**9):  # not an IRO of the LA; missing; no such user
        with pytest.raises(ValidationError) as e:
            s.iro_allocate(child, actor=manager, iro=iro, started_on=d(0))
        assert "iro" in fields(e)
    with pytest.raises(ValidationError) as future:
        s.iro_allocate(child, actor=manager, iro=world.users["iro"].pk, started_on=d(3))
    assert "started_on" in fields(future)
    with pytest.raises(NotAllowedError):  # a social worker sees the child but does not allocate
        s.iro_allocate(child, actor=world.users["sw"], iro=world.users["iro"].pk, started_on=d(0))
    with pytest.raises(NotFound):  # a team manager of another team does not see the child
        s.iro_allocate(world.children["other_team"], actor=manager, iro=world.users["iro"].pk, started_on=d(0))
    assert not IROAssignment.objects.filter(child=child).exists()


# --- links from due items ----------------------------------------------------------------------------


def test_due_items_link_to_the_new_flows(world: World, child: Child) -> None:
    first = in_care(child, d(-40))
    base = f"/record/children/{child.pk}/"
    assert (
        flow_url("health_assessment", child.pk, "placement", first.pk) == f"{base}health-assessment/?episode={first.pk}"
    )
    assert flow_url("gp_registration", child.pk, "placement", first.pk) == f"{base}gp-registration/"
    assert flow_url("iro_allocation", child.pk, "period_of_care", first.pk) == f"{base}iro/"
    assert flow_url("permanence_plan", child.pk, "period_of_care", first.pk) == f"{base}permanence-plan/"
    assert flow_url("pathway_assessment", child.pk, "child", child.pk) == f"{base}pathway-assessment/"


# --- pages -------------------------------------------------------------------------------------------


def test_health_assessment_page_prefills_the_placement_and_keeps_bad_input(world: World, child: Child) -> None:
    first = in_care(child, d(-40))
    second = moved(child, d(-10))
    client = client_for(world, "sw")
    page = client.get(f"/record/children/{child.pk}/health-assessment/?episode={first.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{first.pk}" selected>' in html and f'<option value="{second.pk}">' in html
    bad = client.post(
        f"/record/children/{child.pk}/health-assessment/",
        {"assessed_on": d(-5).isoformat(), "episode": str(first.pk)},
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "outside the placement you chose" in text
    assert f'value="{d(-5).isoformat()}"' in text and f'<option value="{first.pk}" selected>' in text
    assert HealthAssessment.objects.count() == 0
    good = client.post(f"/record/children/{child.pk}/health-assessment/", {"assessed_on": d(-5).isoformat()})
    assert good.status_code == 302 and HealthAssessment.objects.get().episode_id is None


def test_iro_page_lists_the_las_iros_and_is_refused_to_social_workers(world: World, child: Child) -> None:
    in_care(child, d(-20))
    page = client_for(world, "manager").get(f"/record/children/{child.pk}/iro/")
    assert page.status_code == 200 and f'<option value="{world.users["iro"].pk}">iro</option>' in page.content.decode()
    assert client_for(world, "sw").get(f"/record/children/{child.pk}/iro/").status_code == 403
    posted = client_for(world, "manager").post(
        f"/record/children/{child.pk}/iro/", {"iro": "", "started_on": "31/02/2020"}
    )
    text = posted.content.decode()
    assert posted.status_code == 200 and 'value="31/02/2020"' in text and "error" in text
    assert not IROAssignment.objects.filter(child=child).exists()


def test_permanence_page_keeps_the_summary_on_error(world: World, child: Child) -> None:
    in_care(child, d(-20))
    client = client_for(world, "sw")
    posted = client.post(
        f"/record/children/{child.pk}/permanence-plan/",
        {"recorded_on": d(-30).isoformat(), "outcome": "SGO", "summary": "With her aunt in Bangor"},
    )
    text = posted.content.decode()
    assert posted.status_code == 200 and "not looked after" in text and "With her aunt in Bangor" in text
    assert PermanencePlan.objects.count() == 0


def test_hub_lists_the_new_flows_by_role(world: World, child: Child) -> None:
    in_care(child, d(-20))
    sw_hub = client_for(world, "sw").get(f"/record/children/{child.pk}/").content.decode()
    tm_hub = client_for(world, "manager").get(f"/record/children/{child.pk}/").content.decode()
    for path in ("health-assessment/", "gp-registration/", "permanence-plan/", "pathway-assessment/"):
        assert path in sw_hub and path in tm_hub
    assert "/iro/" not in sw_hub and "/iro/" in tm_hub


# --- API ---------------------------------------------------------------------------------------------


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_api_records_each_new_flow(world: World, child: Child) -> None:
    child.date_of_birth = add_months(d(-10), -16 * 12)
    child.save()
    first = in_care(child, d(-200))
    sw, manager = client_for(world, "sw"), client_for(world, "manager")
    base = f"{API}/{child.pk}"
    for client, path, body, kind in (
        (sw, "health-assessment", {"assessed_on": d(-190).isoformat(), "episode": first.pk}, "cases.healthassessment"),
        (sw, "gp-registration", {"registered_on": d(-195).isoformat(), "practice": "Bont"}, "cases.gpregistration"),
        (sw, "permanence-plan", {"recorded_on": d(-100).isoformat(), "outcome": "LTF"}, "cases.permanenceplan"),
        (sw, "pathway-assessment", {"completed_on": d(-5).isoformat()}, "cases.pathwayassessment"),
        (manager, "iro", {"iro": world.users["iro"].pk, "started_on": d(-199).isoformat()}, "access.iroassignment"),
    ):
        response = post(client, f"{base}/{path}", body)
        assert response.status_code == 201, (path, response.content)
        assert response.json()["type"] == kind
    listing = sw.get(base).json()
    assert {"health_assessment", "gp_registration", "permanence_plan", "pathway_assessment"} <= {
        f["name"] for f in listing["flows"]
    }
    assert "iro_allocation" not in {f["name"] for f in listing["flows"]}
    # Every one of rules 11, 12, 18, 19 and 20 is now satisfied.
    satisfied = {i.rule.number: i.satisfied_on for i in due_for_child(child) if i.rule.number in (11, 12, 18, 19, 20)}
    assert satisfied == {11: d(-190), 12: d(-195), 18: d(-199), 19: d(-100), 20: d(-5)}


def test_api_bad_input_is_400_and_saves_nothing(world: World, child: Child) -> None:
    in_care(child, d(-20))
    sw = client_for(world, "sw")
    base = f"{API}/{child.pk}"
    bad = post(sw, f"{base}/health-assessment", {"assessed_on": d(-30).isoformat()})
    assert bad.status_code == 400 and "assessed_on" in bad.json()["errors"]
    typo = post(sw, f"{base}/gp-registration", {"registered_on": "yesterday"})
    assert typo.status_code == 400 and "registered_on" in typo.json()["errors"]
    other = post(sw, f"{base}/permanence-plan", {"recorded_on": d(0).isoformat(), "outcome": "OTHER"})
    assert other.status_code == 400 and "summary" in other.json()["errors"]
    iro = post(
        client_for(world, "manager"), f"{base}/iro", {"iro": world.users["sw"].pk, "started_on": d(0).isoformat()}
    )
    assert iro.status_code == 400 and "iro" in iro.json()["errors"]
    assert HealthAssessment.objects.count() == GPRegistration.objects.count() == PermanencePlan.objects.count() == 0
    assert not IROAssignment.objects.filter(child=child).exists()


@pytest.mark.parametrize(
    ("user", "path", "status"),
    [
        ("partner", "health-assessment", 403),  # sees the health section, records nothing
        ("partner", "permanence-plan", 404),  # does not see the looked-after section
        ("sw", "iro", 403),
        ("iro", "iro", 404),  # the IRO does not cover this child
        ("inspector", "gp-registration", 404),
        ("perf", "pathway-assessment", 404),
    ],
)
def test_api_who_may_record(world: World, child: Child, user: str, path: str, status: int) -> None:
    in_care(child, d(-20))
    body = {"assessed_on": d(0).isoformat(), "registered_on": d(0).isoformat(), "recorded_on": d(0).isoformat(),
            "completed_on": d(0).isoformat(), "started_on": d(0).isoformat(), "outcome": "LTF",
            "iro": world.users["iro"].pk}  # fmt: skip
    response = post(client_for(world, user), f"{API}/{child.pk}/{path}", body)
    assert response.status_code == status, response.content
    assert not HealthAssessment.objects.exists() and not IROAssignment.objects.filter(child=child).exists()


def test_inspector_with_the_child_in_sample_reads_but_does_not_record(world: World) -> None:
    child = world.children["other_team"]
    in_care(child, d(-20) - timedelta(days=1))
    response = post(
        client_for(world, "inspector"), f"{API}/{child.pk}/health-assessment", {"assessed_on": d(0).isoformat()}
    )
    assert response.status_code == 403
    assert not HealthAssessment.objects.exists()
