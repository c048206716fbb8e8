"""What each role's home shows, what is due for hand-built children, and what it costs in queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from access.world import World
from diogel.access.errors import NotFound
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.caseload import queries
from diogel.caseload.links import due_url
from diogel.cases import models as m
from diogel.timescales.due import Status

from .builders import (
    D,
    allocate,
    looked_after,
    many_children,
    referral_awaiting_decision,
    referral_for_initial_assessment,
    registered,
)
from .conftest import TODAY
from .test_query_counts import records_queries

pytestmark = pytest.mark.django_db


def refs(cards: list[queries.Card]) -> list[str]:
    return [c.ref for c in cards]


def tab_keys(world: World, who: str) -> list[str]:
    return [t.param for t in queries.home_tabs(world.users[who])]


# --------------------------------------------------------------------------- who sees what


def test_tabs_by_role(world: World) -> None:
    team_a1 = m.Team.objects.get(name="A1").pk
    assert tab_keys(world, "sw") == ["caseload"]
    assert tab_keys(world, "manager") == [f"team-{team_a1}"]
    assert tab_keys(world, "iro") == ["reviews"]
    assert tab_keys(world, "partner") == ["partner"]
    assert tab_keys(world, "inspector") == ["inspection"]
    for who in ("perf", "perf_granted", "board", "wg"):
        assert tab_keys(world, who) == ["performance"]
    assert tab_keys(world, "admin") == ["admin"]
    assert tab_keys(world, "nobody") == []
    assert tab_keys(world, "revoked") == []


def test_several_memberships_give_several_tabs(world: World) -> None:
    from access.world import SYSTEM
    from diogel.access import services
    from diogel.access.roles import Role

    team_a1 = m.Team.objects.get(name="A1")
    services.membership_grant(actor=SYSTEM, user=world.users["sw"], role=Role.IRO, la=world.la_a)
    services.membership_grant(actor=SYSTEM, user=world.users["sw"], role=Role.TEAM_MANAGER, la=world.la_a, team=team_a1)
    assert tab_keys(world, "sw") == ["caseload", f"team-{team_a1.pk}", "reviews"]


def test_social_worker_sees_only_their_own_allocations(world: World) -> None:
    # "team" is a colleague's child (visible, not on my caseload); "ended" was allocated until yesterday;
    # "sealed" is mine and I am named on the seal; other_la and other_team never appear.
    assert sorted(refs(queries.my_caseload(world.users["sw"]))) == ["own", "sealed"]


def test_caseload_is_empty_for_people_who_are_not_workers(world: World) -> None:
    for who in ("manager", "iro", "partner", "perf_granted", "inspector", "nobody", "revoked"):
        assert queries.my_caseload(world.users[who]) == [], who


def test_team_view_of_the_manager(world: World) -> None:
    team_a1 = m.Team.objects.get(name="A1")
    view = queries.team_view(world.users["manager"], team_a1.pk)
    assert sorted(refs(list(view.cards))) == ["own", "team"]  # not "sealed": the manager is not named on the seal
    loads = {w.name: w.children for w in view.loads}
    assert loads == {"SW1": 1, "SW2": 1, "SW9": 0}
    # "awaiting" has an open referral and no worker; "unallocated" and "ended" have no open case.
    assert refs(list(view.unallocated)) == ["awaiting"]
    assert {c.name for c in view.choices} >= {"SW1", "SW2", "SW3"}
    assert all(c.worker_id != m.Worker.objects.get(la=world.la_b).pk for c in view.choices)


@pytest.mark.parametrize("who", ["sw", "iro", "partner", "admin", "perf_granted", "nobody"])
def test_team_view_is_not_found_for_anyone_but_its_manager(world: World, who: str) -> None:
    team_a1 = m.Team.objects.get(name="A1")
    with pytest.raises(NotFound):
        queries.team_view(world.users[who], team_a1.pk)


def test_team_view_of_another_team_is_not_found(world: World) -> None:
    for team in m.Team.objects.exclude(name="A1"):
        with pytest.raises(NotFound):
            queries.team_view(world.users["manager"], team.pk)
    with pytest.raises(NotFound):
        queries.team_view(world.users["manager"], "nonsense")


def test_unallocated_children_come_from_visibility(world: World) -> None:
    """A manager sees the LA's open cases with no worker (diogel.access.visibility.awaiting_allocation);
    another LA's and a sealed one never appear, nor a child with no open case."""
    from access.world import SYSTEM
    from diogel.access import services

    def open_case(la: m.LocalAuthority, ref: str) -> m.Child:
        child = m.Child.objects.create(la=la, child_ref=ref)
        m.Referral.objects.create(la=la, child=child, referral_ref=f"R-{ref}", referral_date=D(2012, 3, 1))
        return child

    open_case(world.la_b, "awaiting_b")
    sealed = open_case(world.la_a, "sealed_awaiting")
    services.record_seal(actor=SYSTEM, child=sealed, reason="ADOPTION", named_users=[])
    view = queries.team_view(world.users["manager"], m.Team.objects.get(name="A1").pk)
    assert sorted(refs(list(view.unallocated))) == ["awaiting"]


def test_iro_schedule_only_for_children_they_chair(world: World) -> None:
    # The IRO chairs other_team (their LA), sealed (not named) and other_la (another LA): only other_team counts.
    for ref in ("other_team", "sealed", "other_la", "own"):
        looked_after(world.children[ref], D(2012, 2, 20))
    entries = queries.iro_schedule(world.users["iro"])
    assert {e.card.ref for e in entries} == {"other_team"}
    first = entries[0]
    # Rule 15: the first looked-after review, 20 working days after 20 February 2012.
    assert (first.due.item.rule.number, first.due.deadline, first.due.status) == (15, D(2012, 3, 19), Status.DUE)
    assert all(e.due.item.rule.number in queries.IRO_RULES for e in entries)


def test_iro_schedule_looks_eight_weeks_ahead_and_keeps_overdue(world: World) -> None:
    child = world.children["other_team"]
    looked_after(child, D(2011, 6, 1))  # first review due 29 June 2011: overdue
    m.LookedAfterReview.objects.create(la_id=child.la_id, child=child, review_date=D(2011, 6, 20))
    # Second review due 20 September 2011 (3 months after the first): overdue.
    entries = queries.iro_schedule(world.users["iro"])
    assert [(e.due.item.rule.number, e.due.deadline, e.due.status) for e in entries] == [
        (16, D(2011, 9, 20), Status.OVERDUE)
    ]
    m.LookedAfterReview.objects.create(la_id=child.la_id, child=child, review_date=D(2012, 1, 10))
    # Next review 10 July 2012: beyond 8 weeks from 14 March, so nothing is listed.
    assert queries.iro_schedule(world.users["iro"]) == []


def test_partner_sees_their_agency_children_without_case_content(world: World) -> None:
    registered(world.children["own"], D(2012, 3, 1))
    cards = queries.partner_children(world.users["partner"])
    assert refs(cards) == ["other_team", "own"]
    assert all(c.items == () and not c.registered for c in cards)
    assert queries.partner_children(world.users["partner_expired"]) == []


def test_inspector_sees_their_sample(world: World) -> None:
    assert sorted(refs(queries.inspection_sample(world.users["inspector"]))) == ["other_la", "other_team"]
    assert queries.inspection_sample(world.users["inspector_expired"]) == []


def test_every_list_is_audited_with_the_children_on_it(world: World) -> None:
    before = AuditEntry.objects.count()
    cards = queries.my_caseload(world.users["sw"])
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None and AuditEntry.objects.count() == before + 1
    assert entry.event == AuditEvent.CHILD_LIST_VIEWED and entry.actor_id == world.users["sw"].pk
    assert entry.detail == {"list": "caseload", "children": sorted(c.child_id for c in cards)}


# --------------------------------------------------------------------------- what is due


def test_due_and_overdue_for_hand_built_children(world: World) -> None:
    own = world.children["own"]
    own.date_of_birth = D(2004, 3, 15)
    own.save()
    referral_awaiting_decision(own, D(2012, 3, 12))  # rule 1: decision due 13 March → overdue
    referral_for_initial_assessment(own, D(2012, 3, 5))  # rule 2: initial assessment due 14 March → due soon
    registered(own, D(2012, 3, 1))  # rules 5, 9: due 15 March (soon); rule 7: review due 1 June
    worker = m.Worker.objects.get(user=world.users["sw"])
    lac = m.Child.objects.create(la=world.la_a, child_ref="lac", date_of_birth=D(1999, 1, 1))
    allocate(lac, worker, D(2011, 12, 1))
    looked_after(lac, D(2012, 1, 2), "C2")  # rules 10, 13, 15 overdue

    cards = queries.my_caseload(world.users["sw"])
    assert refs(cards) == ["lac", "own", "sealed"]  # overdue first (earliest first), then nothing due

    card = cards[1]
    assert (card.age, card.registered, card.looked_after) == (7, True, False)
    assert [(d.item.rule.number, d.status, d.deadline) for d in card.items] == [
        (1, Status.OVERDUE, D(2012, 3, 13)),
        (2, Status.DUE_SOON, D(2012, 3, 14)),
        (5, Status.DUE_SOON, D(2012, 3, 15)),
        (9, Status.DUE_SOON, D(2012, 3, 15)),
        (7, Status.DUE, D(2012, 6, 1)),
    ]
    assert (card.overdue, card.due_soon) == (1, 3)
    assert all(d.url == due_url(d.item) for d in card.items)
    referral = m.Referral.objects.get(child=own, decision="")
    assert card.items[0].url == reverse(
        "recording:referral_decide", kwargs={"child_id": own.pk, "target_id": referral.pk}
    )

    lac_card = cards[0]
    assert (lac_card.age, lac_card.looked_after, lac_card.legal_status) == (13, True, "C2")
    overdue = [(d.item.rule.number, d.deadline) for d in lac_card.items if d.is_overdue]
    # GP registration (12) and health assessment (11): 10 and 14 working days after Mon 2 Jan 2012 (a bank holiday
    # itself): 16 and 20 January; IRO (18) with the first review (15).
    assert overdue == [(10, D(2012, 1, 2)), (13, D(2012, 1, 9)), (12, D(2012, 1, 16)), (11, D(2012, 1, 20)),
                       (15, D(2012, 1, 30)), (18, D(2012, 1, 30))]  # fmt: skip
    # Inferred rules are guidance, never breaches; rules 10 (R2), 11 and 12 (R) are breaches.
    assert [d.item.is_breach for d in lac_card.items if d.is_overdue] == [True, False, True, True, False, False]


def test_nothing_dated_after_today_counts(world: World, settings: object) -> None:
    referral_awaiting_decision(world.children["own"], D(2012, 3, 20))  # received next week
    own = next(c for c in queries.my_caseload(world.users["sw"]) if c.ref == "own")
    assert own.items == ()


def test_items_without_a_flow_link_to_the_childs_record(world: World) -> None:
    child = world.children["own"]
    looked_after(child, D(2012, 3, 1))  # rule 11 (health assessment) has no data and is not shown
    card = next(c for c in queries.my_caseload(world.users["sw"]) if c.ref == child.child_ref)
    assert card.url == f"/children/{child.pk}/"
    assert {d.url.split("?")[0] for d in card.items} >= {f"/record/children/{child.pk}/visit/"}


# --------------------------------------------------------------------------- queries do not grow with the caseload


# Called directly (no request, so no per-request memo), plus what is due (test_query_counts.records_queries).
CASELOAD_QUERIES = 9  # memberships, allocations, memberships, team ids, children, 5 audit (4 + 5)
TEAM_QUERIES = 13  # memberships, team, workers, memberships, allocations, one page of the unallocated with their total, children, choices, 5 audit


@pytest.mark.parametrize("n", [1, 30])
def test_caseload_query_count_is_fixed(world: World, n: int, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    worker = m.Worker.objects.get(user=world.users["sw"])
    many_children(world.la_a, worker, n, TODAY)
    with django_assert_num_queries(CASELOAD_QUERIES + records_queries()):
        cards = queries.my_caseload(world.users["sw"])
    assert len(cards) == n + 2


@pytest.mark.parametrize("n", [1, 30])
def test_team_view_query_count_is_fixed(
    world: World, n: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    worker = m.Worker.objects.get(user=world.users["sw"])
    many_children(world.la_a, worker, n, TODAY)
    team = m.Team.objects.get(name="A1")
    with django_assert_num_queries(TEAM_QUERIES + records_queries()):
        view = queries.team_view(world.users["manager"], team.pk)
    assert len(view.cards) == n + 2


def test_today_is_fixed(fixed_today: date) -> None:
    assert fixed_today == D(2012, 3, 14)
