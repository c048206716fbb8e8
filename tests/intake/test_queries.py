"""The check for existing records: visible matches listed, hidden ones only counted, the search audited."""

from __future__ import annotations

import pytest

from access.world import World
from diogel.access.errors import NotAllowedError
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.intake.matching import Criteria
from diogel.intake.queries import find_matches

from .conftest import DOB


def test_visible_match_listed_hidden_match_counted_other_la_ignored(world: World) -> None:
    c = world.children
    found = find_matches(
        world.users["sw"], Criteria(family_name="ap rhys", given_name="SIAN", date_of_birth=DOB, sex="2")
    )
    # own (visible), other_team (LA A, another team: hidden); other_la is LA B; sealed is a boy.
    assert [x.pk for x in found.visible] == [c["own"].pk]
    assert (found.visible_count, found.hidden, found.la) == (1, 1, world.la_a)


def test_date_of_birth_alone_finds_nameless_records(world: World) -> None:
    c = world.children
    sw = find_matches(world.users["sw"], Criteria(date_of_birth=DOB))
    # own, other_team, sealed (nameless, on the date alone); sw is named on the seal and allocated.
    assert {x.pk for x in sw.visible} == {c["own"].pk, c["sealed"].pk} and sw.hidden == 1
    manager = find_matches(world.users["manager"], Criteria(date_of_birth=DOB))
    # The manager of A1 sees own (allocated in A1); other_team and the sealed record are hidden.
    assert [x.pk for x in manager.visible] == [c["own"].pk] and manager.hidden == 2


def test_the_search_is_audited_with_the_hidden_count_but_no_hidden_child(world: World) -> None:
    find_matches(world.users["sw"], Criteria(family_name="Ap-Rhys", date_of_birth=DOB, sex="2"))
    entry = AuditEntry.objects.filter(event=AuditEvent.SEARCH).latest("seq")
    assert world.la_a is not None and isinstance(entry.detail, dict)
    assert entry.actor_id == world.users["sw"].pk and entry.la_id == world.la_a.pk and entry.child_id is None
    assert entry.detail["family_name"] == "Ap-Rhys" and entry.detail["date_of_birth"] == DOB.isoformat()
    assert (entry.detail["results"], entry.detail["hidden_matches"]) == (1, 1)
    # What was searched for and how many matched: nothing that identifies the hidden child.
    assert set(entry.detail) == {
        "search", "family_name", "given_name", "date_of_birth", "unborn", "approximate_age", "sex", "results",
        "hidden_matches",
    }  # fmt: skip


@pytest.mark.parametrize("who", ["iro", "partner", "perf_granted", "inspector", "board", "nobody"])
def test_only_social_workers_and_managers_search(world: World, who: str) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(NotAllowedError):
        find_matches(world.users[who], Criteria(date_of_birth=DOB))
    assert AuditEntry.objects.count() == before
