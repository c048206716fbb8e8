"""Which children an actor may see, and which sections of each: the one place this is decided.

Every entry point (web views, API, exports, search) obtains children only through
:func:`visible_children` (lists, search, duplicate checks) and
:func:`get_child_for` (one child's record, audited). The rules:

- **Default deny.** No user, an inactive user, no active membership, or a role
  without a rule below: nothing.
- **One rule per role** (:data:`ROLE_RULES`), each turning a membership into a
  filter on ``Child``; a person with several memberships sees the union.
- **Break-glass.** An active grant adds that one child, while the holder still has
  a break-glass role in the child's LA.
- **Sealed records** are removed from everything above unless the actor is one of
  the seal's named users; break-glass never opens them.
- **Sections.** Social workers, managers, IROs, inspectors and break-glass see
  every section; partners see the sections of the information-sharing agreements
  in force between the child's LA and their kind of agency.

**Per-request memo.** Inside :func:`request_memo` (opened by ``diogel.web.middleware.VisibilityMemoMiddleware``
around each GET or HEAD request, which changes no membership) an actor's memberships and the teams of their
worker records are read once instead of at every call. The memo lives in a context variable that is new for each
request (and each thread), keyed by the user; outside it (writes, commands, tests calling these functions
directly) nothing is remembered. The rules and their meaning are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from diogel import audit
from diogel.audit.events import AuditEvent
from diogel.cases.models import Allocation, Child, ConferenceSubject, Episode, Referral, Registration, Worker

from .clock import today
from .errors import NotFound
from .models import (
    BreakGlassGrant,
    InformationSharingAgreement,
    IROAssignment,
    Membership,
    PartnerInvolvement,
    SealedRecord,
)
from .roles import BREAK_GLASS_ROLES, Role
from .sections import ALL_SECTIONS

User = AbstractBaseUser | AnonymousUser
NOTHING = Q(pk__in=[])
Rule = Callable[[Membership, date], Q]
T = TypeVar("T")

_memo: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("diogel_visibility_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    """Remember, until the block ends, what the rules read about the actor (memberships, worker teams).

    Only for a block that changes no membership, worker or team (a GET request): a change inside the block
    would not be seen by a later call in the same block. Blocks nest; each starts empty."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remembered(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    value: T = memo[key]
    return value


def active_memberships(actor: User | None) -> list[Membership]:
    """The actor's unrevoked memberships; none for anonymous or inactive users."""
    if actor is None or not actor.is_authenticated or not getattr(actor, "is_active", False):
        return []
    pk = actor.pk
    found = _remembered(
        ("memberships", pk),
        lambda: list(
            Membership.objects.filter(user_id=pk, revoked_at__isnull=True).select_related("agency").order_by("pk")
        ),
    )
    return list(found)


def _open_allocations(m: Membership, on: date) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=on),
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        la_id=m.la_id,
    )


def social_worker_rule(m: Membership, on: date) -> Q:
    """Children allocated now to the worker, or to any worker of the worker's team(s), in the LA."""
    team_ids = _remembered(
        ("worker_teams", m.user_id, m.la_id),
        lambda: list(
            Worker.objects.filter(user_id=m.user_id, la_id=m.la_id, team__isnull=False).values_list(
                "team_id", flat=True
            )
        ),
    )
    team_ids = [*team_ids]
    if m.team_id is not None:
        team_ids.append(m.team_id)
    allocations = _open_allocations(m, on).filter(Q(worker__user_id=m.user_id) | Q(worker__team_id__in=team_ids))
    return Q(la_id=m.la_id, pk__in=allocations.values("child_id"))


def awaiting_allocation(la_id: int | None, on: date) -> Q:
    """Children of the LA with an open case (a referral not closed, a period of care, a registration)
    and no worker allocated now: the managers of the LA's teams must be able to find and allocate them.

    Written with ``EXISTS`` on each table (not joins of the three multi-valued relations, whose product grew with
    every referral, episode and registration of every child of the LA), so it costs one index probe per table
    per child."""
    child = OuterRef("pk")
    open_referral = Referral.objects.filter(child_id=child, referral_date__lte=on).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gt=on)
    )
    open_episode = Episode.objects.filter(child_id=child, decom__lte=on).filter(Q(dec__isnull=True) | Q(dec__gt=on))
    open_registration = Registration.objects.filter(child_id=child, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )
    allocated = Allocation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=on),
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        child_id=child,
        la_id=la_id,
    )
    return (
        Q(la_id=la_id)
        & (Q(Exists(open_referral)) | Q(Exists(open_episode)) | Q(Exists(open_registration)))
        & ~Q(Exists(allocated))
    )


def team_manager_rule(m: Membership, on: date) -> Q:
    """Children allocated now to a worker of the managed team, and the LA's open cases awaiting allocation."""
    if m.team_id is None:
        return NOTHING
    allocations = _open_allocations(m, on).filter(worker__team_id=m.team_id)
    return Q(la_id=m.la_id, pk__in=allocations.values("child_id")) | awaiting_allocation(m.la_id, on)


def iro_rule(m: Membership, on: date) -> Q:
    """Children whose reviews the IRO chairs: current assignments, and conferences they chaired for a child
    still on the register."""
    assigned = IROAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), user_id=m.user_id, started_on__lte=on
    ).values("child_id")
    chaired = ConferenceSubject.objects.filter(
        conference__chair__user_id=m.user_id, child__registrations__end_date__isnull=True
    ).values("child_id")
    return Q(la_id=m.la_id) & (Q(pk__in=assigned) | Q(pk__in=chaired))


def partner_rule(m: Membership, on: date) -> Q:
    """Children the practitioner's agency is actively involved with, in LAs with an agreement in force."""
    assert m.agency is not None
    las = [
        a.la_id
        for a in InformationSharingAgreement.objects.filter(
            agency_kind=m.agency.kind, starts_on__lte=on, expires_on__gte=on
        )
        if a.section_set()
    ]
    involved = PartnerInvolvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), agency_id=m.agency_id, started_on__lte=on
    ).values("child_id")
    return Q(la_id__in=las, pk__in=involved)


def performance_officer_rule(m: Membership, on: date) -> Q:
    """Identifiable children of the LA only when granted; otherwise pseudonymised statistics, not records."""
    return Q(la_id=m.la_id) if m.identifiable else NOTHING


def inspector_rule(m: Membership, on: date) -> Q:
    """The named sample, during the inspection window only."""
    if m.window_start is None or m.window_end is None or not (m.window_start <= on <= m.window_end):
        return NOTHING
    return Q(pk__in=Membership.sample.through.objects.filter(membership_id=m.pk).values("child_id"))


def no_case_content(m: Membership, on: date) -> Q:
    """LA administrators, board members and Welsh Government analysts: no child records."""
    return NOTHING


ROLE_RULES: dict[str, Rule] = {
    Role.SOCIAL_WORKER: social_worker_rule,
    Role.TEAM_MANAGER: team_manager_rule,
    Role.IRO: iro_rule,
    Role.LA_ADMIN: no_case_content,
    Role.PARTNER: partner_rule,
    Role.PERFORMANCE_OFFICER: performance_officer_rule,
    Role.BOARD_MEMBER: no_case_content,
    Role.WG_ANALYST: no_case_content,
    Role.INSPECTOR: inspector_rule,
}


def _rule_for(m: Membership, on: date) -> Q:
    rule = ROLE_RULES.get(m.role)
    return rule(m, on) if rule is not None else NOTHING


def _break_glass_q(actor: User, memberships: list[Membership]) -> Q:
    assert actor.pk is not None
    las = {m.la_id for m in memberships if m.role in BREAK_GLASS_ROLES and m.la_id is not None}
    if not las:
        return NOTHING
    now = timezone.now()
    grants = BreakGlassGrant.objects.filter(user_id=actor.pk, starts_at__lte=now, expires_at__gt=now)
    return Q(la_id__in=las, pk__in=grants.values("child_id"))


def sealed_from(actor: User) -> QuerySet[SealedRecord]:
    """Open seals the actor is not named on."""
    assert actor.pk is not None
    return SealedRecord.objects.filter(unsealed_at__isnull=True).exclude(named_users__id=actor.pk)


def _combine(qs: list[Q]) -> Q:
    combined = NOTHING
    for q in qs:
        combined |= q
    return combined


def visible_children(actor: User | None) -> QuerySet[Child]:
    """Every child ``actor`` may see: the only source of children for lists, search and duplicate checks."""
    return _visible_children(actor, active_memberships(actor))


def _visible_children(actor: User | None, memberships: list[Membership]) -> QuerySet[Child]:
    if actor is None or not memberships:
        return Child.objects.none()
    on = today()
    q = _combine([_rule_for(m, on) for m in memberships] + [_break_glass_q(actor, memberships)])
    return Child.objects.filter(q).exclude(pk__in=sealed_from(actor).values("child_id"))


def sections_for(actor: User | None, child: Child) -> frozenset[str]:
    """The sections of ``child``'s record ``actor`` may see (empty: the child is not visible at all)."""
    memberships = active_memberships(actor)
    if actor is None or not memberships or sealed_from(actor).filter(child_id=child.pk).exists():
        return frozenset()
    on = today()
    candidates = Child.objects.filter(pk=child.pk)
    full = [_rule_for(m, on) for m in memberships if m.role != Role.PARTNER] + [_break_glass_q(actor, memberships)]
    if candidates.filter(_combine(full)).exists():
        return ALL_SECTIONS
    sections: set[str] = set()
    for m in memberships:
        if m.role == Role.PARTNER and candidates.filter(partner_rule(m, on)).exists():
            assert m.agency is not None
            for agreement in InformationSharingAgreement.objects.filter(
                la_id=child.la_id, agency_kind=m.agency.kind, starts_on__lte=on, expires_on__gte=on
            ):
                sections |= agreement.section_set()
    return frozenset(sections)


def can_see_section(actor: User | None, child: Child, section: str) -> bool:
    if section not in ALL_SECTIONS:
        raise ValueError(f"unknown record section {section!r}")
    return section in sections_for(actor, child)


def get_child_for(actor: User | None, child_id: int | str, *, section: str) -> Child:
    """The child ``child_id`` for ``actor`` to look at ``section`` of, recording the look in the audit trail.

    Raises :class:`~.errors.NotFound`, identically, when there is no such child
    and when the actor may not see it or that section (the refusal is audited too).
    """
    if section not in ALL_SECTIONS:
        raise ValueError(f"unknown record section {section!r}")
    child, _sections = open_child_for(actor, child_id, lambda _sections: section)
    return child


def open_child_for(
    actor: User | None, child_id: int | str, choose: Callable[[frozenset[str]], str]
) -> tuple[Child, frozenset[str]]:
    """The child ``child_id`` and the sections ``actor`` may see of it, the look at section
    ``choose(sections)`` recorded in the audit trail, as :func:`get_child_for` does; one evaluation of the
    visibility rules (:func:`sections_for` is needed only for partners, who may see part of a record).

    Raises :class:`~.errors.NotFound` (audited) when there is no such child, when the actor may not see it,
    and when the chosen section is not one the actor may see.
    """
    try:
        pk = int(child_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    memberships = active_memberships(actor)
    with transaction.atomic():
        child = _visible_children(actor, memberships).select_related("la").filter(pk=pk).first()
        sections: frozenset[str] = frozenset()
        if child is not None:
            # Visible through a full-record rule or break-glass unless the actor is a partner: visible_children
            # and sections_for apply the same rules and the same seals, so only partners need sections_for.
            partner = any(m.role == Role.PARTNER for m in memberships)
            sections = sections_for(actor, child) if partner else ALL_SECTIONS
        section = choose(sections)
        if section not in ALL_SECTIONS:
            raise ValueError(f"unknown record section {section!r}")
        if child is not None and section in sections:
            audit.record(actor=actor, event=AuditEvent.CHILD_VIEWED, obj=child, detail={"section": section})
            return child, sections
        audit.record(
            actor=actor,
            event=AuditEvent.ACCESS_REFUSED,
            child=Child.objects.filter(pk=pk).first(),
            detail={"child_id": pk, "section": section},
        )
    raise NotFound()
