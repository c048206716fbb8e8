"""The authorisation matrix: every role against every kind of child, through both entry points.

For each (user, child) pair the expected answer comes from :data:`VISIBLE`;
``visible_children`` (lists, search) and ``get_child_for`` (one record) must
agree with it, and a refusal must be indistinguishable from a missing child.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from diogel.access.errors import NotFound
from diogel.access.models import Membership
from diogel.access.sections import ALL_SECTIONS, Section
from diogel.access.visibility import can_see_section, get_child_for, sections_for, visible_children
from diogel.audit.chain import verify
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child

from .world import World, build

pytestmark = pytest.mark.django_db

CHILDREN = ("own", "team", "other_team", "other_la", "sealed", "unallocated", "ended", "awaiting")
VISIBLE: dict[str, set[str]] = {
    "sw": {"own", "team", "sealed"},  # named on the seal
    "manager": {"own", "team", "awaiting"},  # awaiting: an open case with no worker, to be allocated
    "iro": {"other_team"},  # assigned to other_team, sealed (not named) and other_la (not their LA)
    "admin": set(),
    "partner": {"own", "other_team"},  # other_la: no agreement there; sealed: not named
    "partner_expired": set(),
    "perf": set(),
    "perf_granted": {"own", "team", "other_team", "unallocated", "ended", "awaiting"},
    "board": set(),
    "wg": set(),
    "inspector": {"other_team", "other_la"},
    "inspector_expired": set(),
    "nobody": set(),
    "revoked": set(),
}
PARTNER_SECTIONS = {"partner": {Section.REFERRALS, Section.HEALTH}}


@pytest.fixture
def world() -> World:
    return build()


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_visible_children_matrix(world: World, who: str) -> None:
    seen = set(visible_children(world.users[who]).values_list("child_ref", flat=True))
    assert seen == VISIBLE[who]


@pytest.mark.parametrize(("who", "child"), [(w, c) for w in sorted(VISIBLE) for c in CHILDREN])
def test_get_child_for_matrix(world: World, who: str, child: str) -> None:
    user, target = world.users[who], world.children[child]
    section = sorted(PARTNER_SECTIONS.get(who, ALL_SECTIONS))[0]
    before = AuditEntry.objects.count()
    if child in VISIBLE[who]:
        assert get_child_for(user, target.pk, section=section) == target
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None
        assert (entry.event, entry.child_id, entry.actor_id) == (AuditEvent.CHILD_VIEWED, target.pk, user.pk)
    else:
        with pytest.raises(NotFound) as refused:
            get_child_for(user, target.pk, section=section)
        assert str(refused.value) == "No such record."
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None
        assert (entry.event, entry.child_id) == (AuditEvent.ACCESS_REFUSED, target.pk)
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_sections_matrix(world: World, who: str) -> None:
    for child in CHILDREN:
        expected = PARTNER_SECTIONS.get(who, ALL_SECTIONS) if child in VISIBLE[who] else frozenset()
        assert sections_for(world.users[who], world.children[child]) == expected, child


def test_partner_refused_a_section_outside_the_agreement_as_if_missing(world: World) -> None:
    partner, own = world.users["partner"], world.children["own"]
    assert can_see_section(partner, own, Section.HEALTH)
    assert not can_see_section(partner, own, Section.CHILD_PROTECTION)
    with pytest.raises(NotFound) as not_allowed:
        get_child_for(partner, own.pk, section=Section.CHILD_PROTECTION)
    missing_id = (Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    with pytest.raises(NotFound) as missing:
        get_child_for(partner, missing_id, section=Section.HEALTH)
    assert str(not_allowed.value) == str(missing.value)
    with pytest.raises(NotFound):
        get_child_for(partner, "not-a-number", section=Section.HEALTH)
    with pytest.raises(ValueError):
        can_see_section(partner, own, "gossip")


def test_unknown_role_and_inactive_user_see_nothing(world: World) -> None:
    sw = world.users["sw"]
    Membership.objects.filter(user_id=world.users["manager"].pk).update(role="GHOST")
    assert not visible_children(world.users["manager"]).exists()
    sw.is_active = False
    sw.save()
    assert not visible_children(sw).exists()
    assert not visible_children(None).exists()


def test_every_look_is_in_an_intact_chain(world: World) -> None:
    with transaction.atomic():
        get_child_for(world.users["sw"], world.children["own"].pk, section=Section.REFERRALS)
    assert verify().ok
