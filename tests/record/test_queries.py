"""Queries of the child's record: visibility, sealed records, and the audit of views, searches and exports."""

from __future__ import annotations

import pytest
from django.db import transaction

from access.world import World
from diogel.access.errors import NotFound
from diogel.access.sections import Section
from diogel.audit.chain import verify
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases import models as m
from diogel.record import queries
from diogel.record.chronology import EventType, Filters

from .conftest import history, registered

pytestmark = pytest.mark.django_db


def refs(page: object) -> set[str]:
    return {c.child_ref for c in page}  # type: ignore[attr-defined]


def test_search_sees_only_visible_children_and_never_sealed_ones(world: World) -> None:
    u = world.users
    # The world grows (colleagues add children to it): check what matters, not the whole set.
    assert {"own", "team", "sealed"} <= refs(queries.children_search(u["sw"]))  # named on the seal
    assert {"own", "team"} <= refs(queries.children_search(u["manager"]))
    assert {"sealed", "other_la", "other_team"}.isdisjoint(refs(queries.children_search(u["manager"])))
    assert {"own", "team", "other_team", "unallocated", "ended"} <= refs(queries.children_search(u["perf_granted"]))
    assert {"sealed", "other_la"}.isdisjoint(refs(queries.children_search(u["perf_granted"])))
    for name in ("admin", "board", "wg", "nobody", "revoked", "perf", "partner_expired"):
        assert refs(queries.children_search(u[name])) == set(), name
    # Searching for a sealed child by its identifier finds nothing for anyone not named on the seal.
    assert refs(queries.children_search(u["perf_granted"], q="sealed")) == set()
    assert refs(queries.children_search(u["iro"], q="sealed")) == set()


def test_search_by_name_identifier_and_date_of_birth(world: World, own: m.Child) -> None:
    sw = world.users["sw"]
    assert refs(queries.children_search(sw, q="megan")) == {"own"}
    assert refs(queries.children_search(sw, q="Jones Megan")) == {"own"}
    assert refs(queries.children_search(sw, q="tea")) == {"team"}
    assert refs(queries.children_search(sw, dob=own.date_of_birth)) == {"own"}
    assert refs(queries.children_search(sw, q="megan", dob=own.date_of_birth.replace(year=2001))) == set()


def test_search_is_audited_as_a_search_and_a_plain_list_as_a_list(world: World) -> None:
    sw = world.users["sw"]
    queries.children_search(sw, q="own")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.event == AuditEvent.SEARCH and entry.actor_id == sw.pk
    assert entry.detail == {"q": "own", "dob": None, "page": 1, "results": 1}
    queries.children_search(sw)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.event == AuditEvent.CHILD_LIST_VIEWED
    assert verify().ok


def test_opening_the_record_is_audited_and_refusal_is_not_found(world: World, own: m.Child) -> None:
    u = world.users
    overview = queries.child_overview(u["sw"], own.pk)
    assert overview.child == own
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.event == AuditEvent.CHILD_VIEWED and entry.child_id == own.pk
    for name, child in (("manager", "sealed"), ("iro", "own"), ("admin", "own"), ("sw", "other_la")):
        with pytest.raises(NotFound):
            queries.child_overview(u[name], world.children[child].pk)
        refused = AuditEntry.objects.order_by("-seq").first()
        assert refused is not None and refused.event == AuditEvent.ACCESS_REFUSED
    with pytest.raises(NotFound):
        queries.child_overview(u["sw"], 999_999)
    with pytest.raises(NotFound):
        queries.child_overview(u["sw"], "not-a-number")


def test_partner_sees_only_the_sections_of_the_agreement(world: World, own: m.Child) -> None:
    history(own, events=2)
    registered(own)
    overview = queries.child_overview(world.users["partner"], own.pk)
    assert overview.sections == {Section.REFERRALS, Section.HEALTH}
    assert [b.section for b in overview.blocks] == [Section.REFERRALS, Section.HEALTH]
    assert not overview.header.looked_after_visible and not overview.header.protection_visible
    assert overview.header.due is None
    assert not overview.can_write  # no chronology section: notes live in the chronology
    # The chronology itself is closed to them.
    with pytest.raises(NotFound):
        queries.child_chronology(world.users["partner"], own.pk, Filters())


def test_chronology_keeps_to_visible_sections_and_filters(world: World, own: m.Child) -> None:
    history(own, events=3)
    registered(own)
    _c, _s, timeline = queries.child_chronology(world.users["sw"], own.pk, Filters())
    types = {e.type for e in timeline.entries}
    assert {EventType.REFERRAL, EventType.ASSESSMENT, EventType.LOOKED_AFTER, EventType.VISIT} <= types
    assert {EventType.CHILD_PROTECTION, EventType.ALLOCATION, EventType.INVOLVEMENT} <= types
    dates = [e.on for e in timeline.entries]
    assert dates == sorted(dates, reverse=True)
    _c, _s, only = queries.child_chronology(world.users["sw"], own.pk, Filters(types=frozenset({"visit"})))
    assert {e.type for e in only.entries} == {"visit"} and len(only.entries) == 3
    health = next(k for k, _n in timeline.agencies if k != "la")
    _c, _s, by_agency = queries.child_chronology(world.users["sw"], own.pk, Filters(agency=health))
    assert {e.agency_key for e in by_agency.entries} == {health}
    first = min(dates)
    _c, _s, ranged = queries.child_chronology(
        world.users["sw"], own.pk, Filters(date_from=first, date_to=first, newest_first=False)
    )
    assert ranged.entries and {e.on for e in ranged.entries} == {first}


def test_export_is_audited_as_an_export(world: World, own: m.Child) -> None:
    history(own, events=2)
    queries.chronology_export(world.users["sw"], own.pk, Filters(types=frozenset({"visit"})))
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.event == AuditEvent.EXPORT and entry.child_id == own.pk
    assert entry.detail["what"] == "chronology" and entry.detail["entries"] == 2
    assert entry.detail["types"] == ["visit"]


# Team managers: the children of their team; LA administrators: every child of their LA. A sealed record's
# log only for the users named on the seal (neither of these).
ACCESS_LOG_ALLOWED = {("manager", "own"), ("manager", "team")} | {("admin", c) for c in ("own", "team", "other_team")}


@pytest.mark.parametrize("user", ["sw", "manager", "iro", "admin", "partner", "perf_granted", "inspector", "wg"])
@pytest.mark.parametrize("child", ["own", "team", "other_team", "sealed", "other_la"])
def test_access_log_is_for_the_childs_managers_and_la_administrators(world: World, user: str, child: str) -> None:
    if (user, child) in ACCESS_LOG_ALLOWED:
        found, page = queries.access_log(world.users[user], world.children[child].pk)
        assert found == world.children[child]
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None and entry.event == AuditEvent.CHILD_VIEWED and entry.detail == {"view": "access_log"}
        assert page.object_list[0] == entry  # the look at the log is in the log
    else:
        with pytest.raises(NotFound):
            queries.access_log(world.users[user], world.children[child].pk)
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None and entry.event == AuditEvent.ACCESS_REFUSED


def test_access_log_lists_who_looked(world: World, own: m.Child) -> None:
    queries.child_overview(world.users["sw"], own.pk)
    _child, page = queries.access_log(world.users["manager"], own.pk)
    labels = [e.actor_label for e in page]
    assert "sw" in labels and "manager" in labels
    _child, entries = queries.access_log_export(world.users["admin"], own.pk)
    assert entries[-1].event == AuditEvent.EXPORT
    with transaction.atomic():
        assert verify().ok
