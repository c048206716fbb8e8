"""Allocating and reassigning: who may, what is validated, the handover day, optimistic locking, the audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from access.world import SYSTEM, World
from diogel.access import services as access_services
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.roles import Role
from diogel.audit.chain import verify
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.caseload.services import allocation_assign, allocation_reassign
from diogel.cases.models import Allocation, Referral, Team, Worker
from diogel.errors import UserError

from .builders import D
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def worker(ref: str, world: World) -> Worker:
    return Worker.objects.get(la=world.la_a, worker_ref=ref)


def current(world: World, child: str) -> Allocation:
    return Allocation.objects.get(child=world.children[child], end_date__isnull=True)


def token(world: World, child: str) -> dict[str, int]:
    """The current allocation as a manager's page saw it (id and version); zeros when there is none."""
    a = Allocation.objects.filter(child=world.children[child], end_date__isnull=True).first()
    return {"allocation_id": a.pk, "expected_version": a.version} if a else {"allocation_id": 0, "expected_version": 0}


@pytest.fixture
def managers_see_unallocated(world: World) -> None:
    """Give "unallocated" and "ended" an open referral: open cases with no worker are what a manager
    sees and allocates (diogel.access.visibility.awaiting_allocation)."""
    for ref in ("unallocated", "ended"):
        child = world.children[ref]
        Referral.objects.create(la=child.la, child=child, referral_ref=f"R-{ref}", referral_date=D(2012, 3, 1))


def test_reassign_ends_the_current_allocation_on_the_handover_day(world: World) -> None:
    old = current(world, "team")
    new = allocation_reassign(
        world.children["team"], worker("SW1", world), actor=world.users["manager"],
        allocation_id=old.pk, expected_version=old.version, start=D(2012, 3, 12),
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.end_date, old.version) == (D(2012, 3, 12), 2)
    assert (new.worker_id, new.start_date, new.end_date, new.version) == (
        worker("SW1", world).pk,
        D(2012, 3, 12),
        None,
        1,
    )
    changed, created = AuditEntry.objects.order_by("-seq")[1], AuditEntry.objects.order_by("-seq")[0]
    assert changed.event == AuditEvent.RECORD_CHANGED and changed.object_id == str(old.pk)
    assert changed.before["end_date"] is None and changed.after["end_date"] == "2012-03-12"
    assert created.event == AuditEvent.RECORD_CREATED and created.after["worker"] == worker("SW1", world).pk
    assert {changed.actor_id, created.actor_id} == {world.users["manager"].pk}
    assert created.child_id == world.children["team"].pk
    assert verify().ok


def test_reassign_defaults_to_today_and_moves_the_child_between_caseloads(world: World) -> None:
    from diogel.caseload.queries import my_caseload

    allocation_reassign(
        str(world.children["team"].pk),  # ids as the form and the API send them
        worker("SW1", world).pk,
        actor=world.users["manager"],
        **token(world, "team"),
    )
    assert current(world, "team").start_date == TODAY
    assert "team" in [c.ref for c in my_caseload(world.users["sw"])]


def test_reassign_to_another_team_of_the_la(world: World) -> None:
    new = allocation_reassign(
        world.children["own"], worker("SW3", world), actor=world.users["manager"], **token(world, "own")
    )
    assert new.worker.team == Team.objects.get(name="A2")


def test_a_form_opened_before_another_reassignment_is_refused(world: World) -> None:
    seen = token(world, "team")
    allocation_reassign(world.children["team"], worker("SW1", world), actor=world.users["manager"], **seen)
    # The new allocation has version 1 too: the id tells the two apart.
    with pytest.raises(UserError, match="Someone else has changed"):
        allocation_reassign(world.children["team"], worker("SW3", world), actor=world.users["manager"], **seen)
    assert current(world, "team").worker == worker("SW1", world)


def test_stale_version_writes_nothing(world: World) -> None:
    before = (Allocation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(UserError, match="Someone else has changed"):
        allocation_reassign(
            world.children["team"], worker("SW1", world), actor=world.users["manager"],
            allocation_id=current(world, "team").pk, expected_version=7,
        )  # fmt: skip
    assert (Allocation.objects.count(), AuditEntry.objects.count()) == before
    assert current(world, "team").end_date is None


@pytest.mark.parametrize(
    ("target", "start", "field", "message"),
    [
        ("SW2", None, "worker", "already allocated to this worker"),
        ("SW1", D(2012, 3, 15), "start", "cannot start in the future"),
        ("SW1", D(2012, 2, 13), "start", "after the current allocation began"),  # it began 2012-02-13
    ],
)
def test_reassign_validation(world: World, target: str, start: date | None, field: str, message: str) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as e:
        allocation_reassign(
            world.children["team"],
            worker(target, world),
            actor=world.users["manager"],
            start=start,
            **token(world, "team"),
        )
    assert message in " ".join(e.value.message_dict[field])
    assert AuditEntry.objects.count() == before


def test_worker_of_another_la_is_refused(world: World) -> None:
    other = Worker.objects.get(la=world.la_b)
    with pytest.raises(ValidationError) as e:
        allocation_reassign(world.children["team"], other, actor=world.users["manager"], **token(world, "team"))
    assert "worker" in e.value.message_dict


def test_inactive_worker_is_refused(world: World) -> None:
    w = worker("SW1", world)
    w.active = False
    w.save()
    with pytest.raises(ValidationError):
        allocation_reassign(world.children["team"], w, actor=world.users["manager"], **token(world, "team"))


@pytest.mark.parametrize("who", ["sw", "inspector", "perf_granted"])
def test_people_who_see_the_child_but_do_not_manage_the_team_are_not_allowed(world: World, who: str) -> None:
    child = "team" if who != "inspector" else "other_team"
    with pytest.raises(NotAllowedError):
        allocation_reassign(world.children[child], worker("SW1", world), actor=world.users[who], **token(world, child))


@pytest.mark.parametrize("child", ["other_team", "other_la", "sealed", "unallocated", "ended"])
def test_children_the_manager_cannot_see_are_not_found(world: World, child: str) -> None:
    with pytest.raises(NotFound):
        allocation_reassign(
            world.children[child], worker("SW1", world), actor=world.users["manager"], **token(world, child)
        )
    with pytest.raises(NotFound):
        allocation_assign(world.children[child], worker("SW1", world), actor=world.users["manager"])


def test_missing_child_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        allocation_assign(999_999, worker("SW1", world), actor=world.users["manager"])
    with pytest.raises(NotFound):
        allocation_assign("x", worker("SW1", world), actor=world.users["manager"])


def test_assigning_an_allocated_child_asks_for_a_reassignment(world: World) -> None:
    with pytest.raises(UserError, match="reassign"):
        allocation_assign(world.children["team"], worker("SW1", world), actor=world.users["manager"])


def test_assign_unallocated_child(world: World, managers_see_unallocated: None) -> None:
    child = world.children["unallocated"]
    a = allocation_assign(child, worker("SW2", world), actor=world.users["manager"], start=D(2012, 3, 13))
    assert (a.child_id, a.start_date, a.end_date) == (child.pk, D(2012, 3, 13), None)
    entry = AuditEntry.objects.order_by("-seq")[0]
    assert (entry.event, entry.child_id, entry.after["start_date"]) == (
        AuditEvent.RECORD_CREATED,
        child.pk,
        "2012-03-13",
    )
    with pytest.raises(UserError, match="reassign"):
        allocation_assign(child, worker("SW1", world), actor=world.users["manager"])


def test_assign_only_to_a_worker_of_the_managers_team(world: World, managers_see_unallocated: None) -> None:
    with pytest.raises(NotAllowedError):
        allocation_assign(world.children["unallocated"], worker("SW3", world), actor=world.users["manager"])
    assert not Allocation.objects.filter(child=world.children["unallocated"]).exists()


def test_assign_after_an_ended_allocation_must_not_overlap(world: World, managers_see_unallocated: None) -> None:
    ended = world.children["ended"]  # allocated until yesterday (end date 2012-03-13)
    with pytest.raises(ValidationError) as e:
        allocation_assign(ended, worker("SW2", world), actor=world.users["manager"], start=D(2012, 3, 1))
    assert "start" in e.value.message_dict
    assert allocation_assign(ended, worker("SW2", world), actor=world.users["manager"]).start_date == TODAY


def test_manager_of_another_la_cannot_allocate(world: World, managers_see_unallocated: None) -> None:
    team_b = Team.objects.get(name="B1")
    user = world.users["nobody"]
    access_services.membership_grant(actor=SYSTEM, user=user, role=Role.TEAM_MANAGER, la=world.la_b, team=team_b)
    with pytest.raises(NotFound):
        allocation_assign(world.children["unallocated"], worker("SW1", world), actor=user)


def test_team_view_pages_the_unallocated_children(
    world: World, managers_see_unallocated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diogel.caseload import queries

    monkeypatch.setattr(queries, "UNALLOCATED_PAGE", 2)
    team = Team.objects.get(name="A1")
    first = queries.team_view(world.users["manager"], team.pk)
    assert (first.unallocated_total, first.page, first.pages, first.previous_page, first.next_page) == (
        3,
        1,
        2,
        None,
        2,
    )
    assert len(first.unallocated) == 2
    second = queries.team_view(world.users["manager"], team.pk, "2")
    assert (second.page, second.previous_page, second.next_page, len(second.unallocated)) == (2, 1, None, 1)
    shown = [c.ref for c in (*first.unallocated, *second.unallocated)]
    assert sorted(shown) == ["awaiting", "ended", "unallocated"]
    # Oldest open case first: "unallocated" and "ended" were referred on 1 March 2012, "awaiting" two days ago.
    assert shown[-1] == "awaiting"
    assert queries.team_view(world.users["manager"], team.pk, "99").page == 2  # past the end: the last page
    assert queries.team_view(world.users["manager"], team.pk, "nonsense").page == 1
