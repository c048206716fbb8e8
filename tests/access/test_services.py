"""Services: each change is refused to the wrong actor, takes effect on visibility and is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from diogel.access import services
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.models import BreakGlassGrant, Notification, PartnerInvolvement
from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.access.visibility import get_child_for, visible_children
from diogel.audit.chain import verify
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child
from diogel.errors import UserError

from .world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build()


def _last() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def test_break_glass_opens_one_child_notifies_and_awaits_review(world: World) -> None:
    sw, manager, child = world.users["sw"], world.users["manager"], world.children["other_team"]
    assert not visible_children(sw).filter(pk=child.pk).exists()
    grant = services.break_glass_request(actor=sw, child_id=child.pk, reason="Police at the door, out of hours")
    assert grant.expires_at - grant.starts_at == timedelta(hours=24)
    assert get_child_for(sw, child.pk, section=Section.CHILD_PROTECTION) == child
    entry = AuditEntry.objects.get(event=AuditEvent.BREAK_GLASS_GRANTED)
    assert (entry.actor_id, entry.child_id) == (sw.pk, child.pk)
    # other_team's worker has no account and A2 has no manager; the own child's manager is told for "own"
    services.break_glass_request(actor=world.users["iro"], child_id=world.children["own"].pk, reason="Review")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"sw", "manager"}
    # the manager's queue holds both; the requester cannot close their own
    assert [g.child.child_ref for g in services.break_glass_queue(actor=manager)] == ["other_team", "own"]
    with pytest.raises(NotAllowedError):
        services.break_glass_review(actor=sw, grant=grant, justified=True)
    services.break_glass_review(actor=manager, grant=grant, justified=False, note="Not an emergency")
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.NOT_JUSTIFIED
    assert grant.expires_at <= timezone.now()
    assert not visible_children(sw).filter(pk=child.pk).exists()
    assert _last().event == AuditEvent.BREAK_GLASS_REVIEWED
    assert verify().ok


@pytest.mark.parametrize(
    ("who", "child", "reason"),
    [
        ("manager", "sealed", "x"),  # sealed: never by break-glass
        ("sw", "other_la", "x"),  # another LA
        ("partner", "team", "x"),  # a role without break-glass
        ("admin", "team", "x"),
        ("sw", "team", "  "),  # no reason
    ],
)
def test_break_glass_refused(world: World, who: str, child: str, reason: str) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(UserError if not reason.strip() else NotFound):
        services.break_glass_request(actor=world.users[who], child_id=world.children[child].pk, reason=reason)
    assert not BreakGlassGrant.objects.exists()
    assert AuditEntry.objects.count() == before


def test_expired_break_glass_no_longer_opens(world: World) -> None:
    sw, child = world.users["sw"], world.children["other_team"]
    grant = services.break_glass_request(actor=sw, child_id=child.pk, reason="Emergency", hours=1)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        starts_at=grant.starts_at - timedelta(hours=2), expires_at=grant.starts_at - timedelta(hours=1)
    )
    assert not visible_children(sw).filter(pk=child.pk).exists()


def test_ending_involvement_removes_partner_access_and_is_audited(world: World) -> None:
    partner, child = world.users["partner"], world.children["own"]
    inv = PartnerInvolvement.objects.get(child=child, agency__kind="HEALTH")
    with pytest.raises(NotFound):  # the partner cannot end it (an LA admin or the child's worker can)
        services.involvement_end(actor=world.users["iro"], involvement=inv)
    services.involvement_end(actor=world.users["sw"], involvement=inv, ended_on=inv.started_on)
    assert not visible_children(partner).filter(pk=child.pk).exists()
    entry = _last()
    assert (entry.event, entry.child_id, entry.before, entry.after) == (
        AuditEvent.INVOLVEMENT_ENDED,
        child.pk,
        {"ended_on": None},
        {"ended_on": inv.started_on.isoformat()},
    )


def test_seal_and_unseal_by_la_admin_only(world: World) -> None:
    child = world.children["team"]
    with pytest.raises(NotFound):
        services.record_seal(actor=world.users["sw"], child=child, reason="HIGH_PROFILE", named_users=[])  # type: ignore[arg-type]
    services.record_seal(actor=world.users["admin"], child=child, reason="HIGH_PROFILE", named_users=[])  # type: ignore[arg-type]
    assert not visible_children(world.users["sw"]).filter(pk=child.pk).exists()
    assert not visible_children(world.users["perf_granted"]).filter(pk=child.pk).exists()
    assert _last().event == AuditEvent.RECORD_SEALED
    services.record_unseal(actor=world.users["admin"], child=child)
    assert visible_children(world.users["sw"]).filter(pk=child.pk).exists()
    assert _last().event == AuditEvent.RECORD_UNSEALED


def test_role_changes_are_limited_to_own_la_and_audited(world: World) -> None:
    admin, target = world.users["admin"], world.users["nobody"]
    assert world.la_a is not None and world.la_b is not None
    with pytest.raises(NotAllowedError):
        services.membership_grant(actor=admin, user=target, role=Role.SOCIAL_WORKER, la=world.la_b)
    with pytest.raises(NotAllowedError):
        services.membership_grant(actor=admin, user=target, role=Role.WG_ANALYST)
    with pytest.raises(UserError):
        services.membership_grant(actor=admin, user=target, role=Role.TEAM_MANAGER, la=world.la_a)
    m = services.membership_grant(
        actor=admin, user=target, role=Role.PERFORMANCE_OFFICER, la=world.la_a, identifiable=True
    )
    assert (
        services.membership_grant(
            actor=admin, user=target, role=Role.PERFORMANCE_OFFICER, la=world.la_a, identifiable=True
        )
        == m
    )  # idempotent: no second membership, no second entry
    entry = _last()
    assert entry.after is not None
    assert (entry.event, entry.actor_id, entry.after["role"]) == (
        AuditEvent.ROLE_GRANTED,
        admin.pk,
        "PERFORMANCE_OFFICER",
    )
    assert visible_children(target).count() == Child.objects.filter(la=world.la_a).count() - 1  # less the sealed one
    services.membership_revoke(actor=admin, membership=m)
    assert not visible_children(target).exists()
    assert _last().event == AuditEvent.ROLE_REVOKED
    assert verify().ok


def test_agreement_sections_must_be_known(world: World) -> None:
    assert world.la_a is not None
    with pytest.raises(UserError, match="Unknown sections"):
        services.agreement_create(
            actor=world.users["admin"], la=world.la_a, agency_kind="EDUCATION", purpose="Attendance",
            sections=["referrals", "gossip"], starts_on=timezone.localdate(), expires_on=timezone.localdate(),
            signed_for_la_by="Director", signed_for_agency_by="Head",
        )  # fmt: skip
