"""What each person's home shows: query functions that start from :mod:`diogel.access.visibility`.

Every function takes the acting user, narrows :func:`visible_children` (never
widens it), computes what is due with :mod:`diogel.timescales` in a fixed number
of queries, and records one ``CHILD_LIST_VIEWED`` audit entry naming the
children listed. Other LAs' children and sealed records therefore never appear
unless visibility lets the actor see them.

- :func:`home_tabs`: the tabs of the home page, one per kind of work the user has;
- :func:`my_caseload`: a social worker's children, overdue first, then due soon;
- :func:`team_view`: a team manager's team: load per worker, the team's children,
  the unallocated children the manager may see, the workers to allocate to;
- :func:`iro_schedule`: reviews (and initial conferences) due in the next 8 weeks,
  and overdue ones, for the children an IRO chairs;
- :func:`partner_children`, :func:`inspection_sample`: plain lists.

An allocation is *current* on day ``d`` when ``start_date <= d`` and (no
``end_date`` or ``end_date > d``): the end date is the day the next worker
took over (see :mod:`.services`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, DateField, Min, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, Least
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogel import audit
from diogel.access.errors import NotFound
from diogel.access.roles import Role
from diogel.access.visibility import (
    Rule,
    active_memberships,
    inspector_rule,
    iro_rule,
    partner_rule,
    visible_children,
)
from diogel.audit.events import AuditEvent
from diogel.cases.models import Allocation, Child, Episode, Referral, Registration, Team, Worker
from diogel.dataset.schema import SHORT_BREAK_LEGAL_STATUS
from diogel.timescales.due import DueItem, Status, due_items, outstanding
from diogel.timescales.from_models import child_records, today
from diogel.timescales.records import ChildRecord, as_at

from .links import due_url, record_url

User = AbstractBaseUser | AnonymousUser

#: The IRO's schedule looks this far ahead.
IRO_HORIZON = timedelta(weeks=8)
#: Unallocated children shown per page of the team view (oldest open case first).
UNALLOCATED_PAGE = 25
#: Rules an IRO (or conference chair) holds: initial conference, CP reviews, looked-after reviews.
IRO_RULES = frozenset({4, 7, 8, 15, 16, 17})

_STATUS_RANK = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.DUE: 2}

LEGAL_STATUS_LABELS: dict[str, Promise] = {
    "C1": _("interim care order"),
    "C2": _("full care order"),
    "D1": _("freeing order"),
    "E1": _("placement order"),
    "J1": _("remanded to the local authority"),
    "J2": _("detained under PACE"),
    "J3": _("youth rehabilitation order with residence"),
    "L1": _("police protection"),
    "L2": _("emergency protection order"),
    "L3": _("child assessment order"),
    "V1": _("accommodated by agreement"),
    "V2": _("accommodated by agreement"),
    "V3": _("short breaks"),
    "V4": _("short breaks"),
}


class Tab:
    """Kinds of home tab (also the ``?tab=`` value)."""

    CASELOAD = "caseload"
    TEAM = "team"
    IRO = "reviews"
    PARTNER = "partner"
    INSPECTION = "inspection"
    PERFORMANCE = "performance"
    ADMIN = "admin"


# --------------------------------------------------------------------------- data shown


@dataclass(frozen=True)
class Due:
    """One outstanding item as a person sees it: what, by when, how late, and the link that records it."""

    item: DueItem
    url: str

    @property
    def what(self) -> Promise:
        return self.item.rule.what

    @property
    def status(self) -> Status:
        return self.item.status

    @property
    def deadline(self) -> date:
        return self.item.deadline

    @property
    def is_overdue(self) -> bool:
        return self.item.status == Status.OVERDUE

    @property
    def is_due_soon(self) -> bool:
        return self.item.status == Status.DUE_SOON

    @property
    def is_guidance(self) -> bool:
        """An inferred rule: shown as guidance, never as a breach."""
        return self.item.rule.is_guidance

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.item.rule.number,
            "what": str(self.what),
            "status": str(self.status),
            "due": self.item.due,
            "deadline": self.deadline,
            "trigger_date": self.item.trigger_date,
            "guidance": self.is_guidance,
            "breach": self.item.is_breach,
            "satisfied_by": str(self.item.satisfier),
            "url": self.url,
        }


@dataclass(frozen=True)
class Card:
    """One child on a list: who, how old, legal status and register, what is outstanding."""

    child_id: int
    ref: str
    name: str
    date_of_birth: date | None
    age: int | None
    legal_status: str
    looked_after: bool
    registered: bool
    items: tuple[Due, ...]
    url: str
    worker_id: int | None = None
    worker_name: str = ""
    allocation_id: int | None = None
    allocation_version: int | None = None

    @property
    def legal_status_label(self) -> Promise | str:
        return LEGAL_STATUS_LABELS.get(self.legal_status, self.legal_status)

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.items if d.is_overdue)

    @property
    def due_soon(self) -> int:
        return sum(1 for d in self.items if d.is_due_soon)

    @property
    def sort_key(self) -> tuple[int, date, str]:
        """Overdue first, then due soon, then the rest; within each, the earliest deadline."""
        first = min((_STATUS_RANK[d.status], d.deadline) for d in self.items) if self.items else (3, date.max)
        return (first[0], first[1], self.name.casefold())

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.child_id,
            "ref": self.ref,
            "name": self.name,
            "date_of_birth": self.date_of_birth,
            "age": self.age,
            "legal_status": self.legal_status,
            "looked_after": self.looked_after,
            "registered": self.registered,
            "worker": {"id": self.worker_id, "name": self.worker_name} if self.worker_id else None,
            "allocation": {"id": self.allocation_id, "version": self.allocation_version}
            if self.allocation_id
            else None,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "items": [d.as_json() for d in self.items],
            "url": self.url,
        }


@dataclass(frozen=True)
class HomeTab:
    key: str
    label: Promise | str
    #: The team of a team-manager tab.
    team_id: int | None = None

    @property
    def param(self) -> str:
        return f"{self.key}-{self.team_id}" if self.team_id is not None else self.key


@dataclass(frozen=True)
class WorkerLoad:
    worker_id: int
    name: str
    children: int
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class WorkerChoice:
    worker_id: int
    name: str
    team_name: str


@dataclass(frozen=True)
class TeamView:
    team_id: int
    team_name: str
    la_id: int
    loads: tuple[WorkerLoad, ...]
    cards: tuple[Card, ...]
    unallocated: tuple[Card, ...]
    choices: tuple[WorkerChoice, ...] = field(default=())
    #: Every unallocated child the manager may see (``unallocated`` is one page of them).
    unallocated_total: int = 0
    page: int = 1
    pages: int = 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


@dataclass(frozen=True)
class ReviewEntry:
    """One review (or initial conference) on an IRO's schedule."""

    card: Card
    due: Due


# --------------------------------------------------------------------------- helpers


def _age(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _name(child: Child) -> str:
    return f"{child.given_name} {child.family_name}".strip() or child.child_ref


def _current_allocations(on: date) -> QuerySet[Allocation]:
    """Allocations current on ``on`` (start on or before, end after: the end date is the handover day)."""
    return Allocation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gt=on)
    )


def _status_now(rec: ChildRecord, on: date) -> tuple[str, bool, bool]:
    """(legal status code, looked after, on the register) as known on ``on``."""
    known = as_at(rec, on)
    legal = ""
    looked_after = False
    for e in sorted(known.episodes, key=lambda e: (e.decom or date.min, e.id)):
        if e.decom is not None and e.decom <= on and (e.dec is None or e.dec > on):
            legal = e.legal_status
            looked_after = e.legal_status not in SHORT_BREAK_LEGAL_STATUS
    registered = any(
        g.start_date is not None and g.start_date <= on and (g.end_date is None or g.end_date > on)
        for g in known.registrations
    )
    return legal, looked_after, registered


def _dues(items: Iterable[DueItem]) -> tuple[Due, ...]:
    shown = sorted(outstanding(items), key=lambda i: (_STATUS_RANK[i.status], i.deadline, i.rule.number))
    return tuple(Due(item=i, url=due_url(i)) for i in shown)


def _cards(
    children: QuerySet[Child],
    on: date,
    *,
    allocations: dict[int, Allocation] | None = None,
    with_items: bool = True,
) -> list[Card]:
    """Cards for ``children`` (an already-visible queryset): 1 query, plus 14 with the items."""
    kids = list(children.only("pk", "child_ref", "given_name", "family_name", "date_of_birth", "la_id"))
    if not kids:
        return []
    ids = [c.pk for c in kids]
    records = {r.id: r for r in child_records(Child.objects.filter(pk__in=ids))} if with_items else {}
    allocations = allocations or {}
    cards = []
    for child in kids:
        rec = records.get(child.pk)
        legal, looked_after, registered = _status_now(rec, on) if rec is not None else ("", False, False)
        alloc = allocations.get(child.pk)
        cards.append(
            Card(
                child_id=child.pk,
                ref=child.child_ref,
                name=_name(child),
                date_of_birth=child.date_of_birth,
                age=_age(child.date_of_birth, on),
                legal_status=legal,
                looked_after=looked_after,
                registered=registered,
                items=_dues(due_items(rec, on)) if rec is not None else (),
                url=record_url(child.pk),
                worker_id=alloc.worker_id if alloc else None,
                worker_name=str(alloc.worker) if alloc else "",
                allocation_id=alloc.pk if alloc else None,
                allocation_version=alloc.version if alloc else None,
            )
        )
    return sorted(cards, key=lambda c: c.sort_key)


def _audit_list(actor: User, kind: str, cards: Sequence[Card], **detail: object) -> None:
    """One audit entry per list shown, naming every child on it."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            event=AuditEvent.CHILD_LIST_VIEWED,
            detail={"list": kind, "children": sorted(c.child_id for c in cards), **detail},
        )


def _narrowed(actor: User, role: Role, rule: Rule, on: date) -> QuerySet[Child]:
    """The actor's visible children that ``rule`` gives for their memberships of ``role`` (never more)."""
    q = Q(pk__in=[])
    for m in active_memberships(actor):
        if m.role == role:
            q |= rule(m, on)
    return visible_children(actor).filter(q)


# --------------------------------------------------------------------------- the home page


def home_tabs(actor: User) -> list[HomeTab]:
    """The tabs of ``actor``'s home, in a fixed order, one per kind of work (one per team for managers)."""
    memberships = active_memberships(actor)
    roles = {m.role for m in memberships}
    tabs: list[HomeTab] = []
    if Role.SOCIAL_WORKER in roles:
        tabs.append(HomeTab(Tab.CASELOAD, _("My caseload")))
    manager_teams = sorted({m.team_id for m in memberships if m.role == Role.TEAM_MANAGER and m.team_id is not None})
    if manager_teams:
        names = dict(Team.objects.filter(pk__in=manager_teams).values_list("pk", "name"))
        for team_id in manager_teams:
            label = _("Team") if len(manager_teams) == 1 else names.get(team_id, str(team_id))
            tabs.append(HomeTab(Tab.TEAM, label, team_id=team_id))
    if Role.IRO in roles:
        tabs.append(HomeTab(Tab.IRO, _("Review schedule")))
    if Role.PARTNER in roles:
        tabs.append(HomeTab(Tab.PARTNER, _("Children we work with")))
    if Role.INSPECTOR in roles:
        tabs.append(HomeTab(Tab.INSPECTION, _("Inspection sample")))
    if roles & {Role.PERFORMANCE_OFFICER, Role.BOARD_MEMBER, Role.WG_ANALYST}:
        tabs.append(HomeTab(Tab.PERFORMANCE, _("Performance")))
    if Role.LA_ADMIN in roles:
        tabs.append(HomeTab(Tab.ADMIN, _("Administration")))
    return tabs


def my_caseload(actor: User) -> list[Card]:
    """The children allocated now to ``actor`` as a worker, that ``actor`` may see; overdue first."""
    if not actor.is_authenticated:
        return []
    on = today()
    mine = _current_allocations(on).filter(worker__user_id=actor.pk)
    allocations = {a.child_id: a for a in mine.select_related("worker")}
    children = visible_children(actor).filter(pk__in=list(allocations))
    cards = _cards(children, on, allocations=allocations)
    _audit_list(actor, Tab.CASELOAD, cards)
    return cards


def managed_team(actor: User, team_id: int | str) -> Team:
    """The team ``team_id`` if ``actor`` manages it now; otherwise :class:`NotFound`."""
    try:
        pk = int(team_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    for m in active_memberships(actor):
        if m.role == Role.TEAM_MANAGER and m.team_id == pk:
            team = Team.objects.select_related("la").filter(pk=pk, la_id=m.la_id).first()
            if team is not None:
                return team
    raise NotFound()


def worker_choices(la_id: int) -> tuple[WorkerChoice, ...]:
    """The active workers of the LA with a team and an account, by team then name (whom to allocate to)."""
    workers = (
        Worker.objects.filter(la_id=la_id, active=True, team__isnull=False, team__active=True)
        .select_related("team")
        .order_by("team__name", "name", "worker_ref")
    )
    return tuple(WorkerChoice(w.pk, str(w), w.team.name if w.team else "") for w in workers)


def _case_opened(on: date) -> Coalesce:
    """When the child's oldest case open on ``on`` opened (referral, period of care or registration)."""

    def first(model: type, field_name: str, end: str) -> Coalesce:
        rows = (
            model._default_manager.filter(child_id=OuterRef("pk"), **{f"{field_name}__lte": on})  # type: ignore[attr-defined]
            .filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": on}))
            .order_by()
            .values("child_id")
            .annotate(first=Min(field_name))
            .values("first")
        )
        return Coalesce(Subquery(rows, output_field=DateField()), Value(date.max), output_field=DateField())

    return Coalesce(
        Least(
            first(Referral, "referral_date", "closure_date"),
            first(Episode, "decom", "dec"),
            first(Registration, "start_date", "end_date"),
        ),
        Value(date.max),
        output_field=DateField(),
    )


def _page_number(page: int | str | None) -> int:
    try:
        return max(1, int(page or 1))
    except (TypeError, ValueError):
        return 1


def _waiting_page(waiting: QuerySet[Child], on: date, wanted: int) -> tuple[int, int, int, list[int]]:
    """(total, page number, pages, the page's child ids) of ``waiting``, oldest open case first.

    One query: the page, with the total counted over the same rows (``COUNT(*) OVER ()``), so the visibility
    rules are evaluated once. Only a page past the end needs a second query, for the last page."""

    def page_of(number: int) -> list[tuple[int, int]]:
        start = (number - 1) * UNALLOCATED_PAGE
        return list(
            waiting.annotate(opened=_case_opened(on), total=Window(Count("pk")))
            .order_by("opened", "pk")
            .values_list("pk", "total")[start : start + UNALLOCATED_PAGE]
        )

    rows = page_of(wanted)
    if rows:
        total = rows[0][1]
        return total, wanted, max(1, -(-total // UNALLOCATED_PAGE)), [pk for pk, _total in rows]
    total = waiting.count() if wanted > 1 else 0
    pages = max(1, -(-total // UNALLOCATED_PAGE))
    if total == 0:
        return 0, 1, 1, []
    return total, pages, pages, [pk for pk, _total in page_of(pages)]


def team_view(actor: User, team_id: int | str, page: int | str | None = 1) -> TeamView:
    """The team ``team_id`` as its manager sees it (:class:`NotFound` for anyone else).

    Load per worker counts the children the manager may see (a sealed record the
    manager is not named on is counted nowhere); "unallocated" lists the children
    of the team's LA that the manager may see and that have no current allocation,
    :data:`UNALLOCATED_PAGE` at a time (page ``page``, oldest open case first; a page
    past the end gives the last page), with their total in ``unallocated_total``.
    """
    team = managed_team(actor, team_id)
    on = today()
    workers = list(Worker.objects.filter(team_id=team.pk, active=True).order_by("name", "worker_ref"))
    visible = visible_children(actor).filter(la_id=team.la_id)
    current = _current_allocations(on).filter(la_id=team.la_id)
    allocations = {
        a.child_id: a
        for a in current.filter(worker__team_id=team.pk, child__in=visible).select_related("worker").order_by("pk")
    }
    waiting = visible.exclude(pk__in=current.values("child_id"))
    total, number, pages, unallocated_ids = _waiting_page(waiting, on, _page_number(page))
    every = _cards(Child.objects.filter(pk__in=[*allocations, *unallocated_ids]), on, allocations=allocations)
    cards = [c for c in every if c.child_id in allocations]
    by_id = {c.child_id: c for c in every if c.child_id not in allocations}
    unallocated = [by_id[pk] for pk in unallocated_ids if pk in by_id]
    loads = []
    for w in workers:
        theirs = [c for c in cards if c.worker_id == w.pk]
        loads.append(
            WorkerLoad(
                worker_id=w.pk,
                name=str(w),
                children=len(theirs),
                overdue=sum(c.overdue for c in theirs),
                due_soon=sum(c.due_soon for c in theirs),
            )
        )
    _audit_list(actor, Tab.TEAM, [*cards, *unallocated], team=team.pk)
    return TeamView(
        team_id=team.pk,
        team_name=team.name,
        la_id=team.la_id,
        loads=tuple(loads),
        cards=tuple(cards),
        unallocated=tuple(unallocated),
        choices=worker_choices(team.la_id),
        unallocated_total=total,
        page=number,
        pages=pages,
    )


def iro_schedule(actor: User) -> list[ReviewEntry]:
    """Reviews and initial conferences overdue or due within 8 weeks for the children ``actor`` chairs."""
    on = today()
    children = _narrowed(actor, Role.IRO, iro_rule, on)
    horizon = on + IRO_HORIZON
    entries = [
        ReviewEntry(card=card, due=d)
        for card in _cards(children, on)
        for d in card.items
        if d.item.rule.number in IRO_RULES and d.deadline <= horizon
    ]
    entries.sort(key=lambda e: (_STATUS_RANK[e.due.status], e.due.deadline, e.card.name.casefold()))
    _audit_list(actor, Tab.IRO, [e.card for e in entries])
    return entries


def partner_children(actor: User) -> list[Card]:
    """The children the partner's agency is involved with (name and age only: no case content)."""
    on = today()
    children = _narrowed(actor, Role.PARTNER, partner_rule, on)
    cards = sorted(_cards(children, on, with_items=False), key=lambda c: c.name.casefold())
    _audit_list(actor, Tab.PARTNER, cards)
    return cards


def inspection_sample(actor: User) -> list[Card]:
    """The inspector's sample, during the inspection window, with what is outstanding."""
    on = today()
    children = _narrowed(actor, Role.INSPECTOR, inspector_rule, on)
    cards = _cards(children, on)
    _audit_list(actor, Tab.INSPECTION, cards)
    return cards
