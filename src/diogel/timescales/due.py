"""What is due, due soon, overdue, done or done late for one child: pure functions over :mod:`.records`.

:func:`due_items` applies every rule of :mod:`.rules` (the version in force on
each trigger's date) to a :class:`~.records.ChildRecord` as known on
``today`` and returns one :class:`DueItem` per thing that fell or falls due:
done ones included (the child's record shows the history), pending ones last
in each chain. :func:`outstanding` keeps what a caseload shows.

Shared readings (see ``docs/timescales.md``):

* a chain (core groups, CP reviews, CP visits, LAC reviews, statutory visits,
  pathway plan reviews) runs as in *Reviews due* of ``indicators.md``: the
  k-th event held inside the case satisfies the k-th item, and the next item
  is due at the interval after the date the event was held;
* an event dated when its case is not open (before the start, on or after the
  end) is ignored;
* when the case ends (de-registration, end of the period of care, referral
  closed, the child's death) an item not yet satisfied whose deadline is on or
  after the end is dropped (it never fell due while the case was open); one
  whose deadline passed before the end stays ``overdue`` with ``ended_on`` set.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from diogel.dataset.schema import SHORT_BREAK_LEGAL_STATUS, TEMPORARY_PLACEMENT
from diogel.workdays import add_months, wd

from .records import ChildRecord, EpisodeRec, as_at
from .rules import ByRule, Interval, Rule, Satisfier, Trigger, rule_in_force, soon_is_working_days

__all__ = [
    "LONG_TERM_PLACEMENTS",
    "About",
    "DueItem",
    "Status",
    "due_items",
    "outstanding",
    "placement_of",
    "placements",
    "status_of",
]

#: "Due soon" thresholds: working days for working-day rules, calendar days for the others.
SOON_WORKING_DAYS = 2
SOON_DAYS = 7
#: Placements meant to last until the child is 18: SSDA903 long-term fostering (rule 14's 3 months).
LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})
#: An eligible child has been looked after 13 weeks since age 14 (rule 20).
ELIGIBLE_DAYS = 13 * 7
_PLACEMENT_CHANGE = frozenset({"P", "T", "B", "U"})


class Status(models.TextChoices):
    DUE = "due", _("due")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    DONE = "done", _("done")
    DONE_LATE = "done_late", _("done late")
    NO_DATA = "no_data", _("no data recorded yet")


#: The statuses of something still to do.
OPEN_STATUSES = frozenset({Status.DUE, Status.DUE_SOON, Status.OVERDUE})


@dataclass(frozen=True)
class About:
    """What an item is about: ``kind`` is one of referral, assessment, strategy_discussion,
    conference, registration, period_of_care (id of its first episode), placement (id of its
    episode), pathway_plan, child; ``id`` the record's id."""

    kind: str
    id: int


@dataclass(frozen=True)
class DueItem:
    """One thing that falls due for a child under one rule."""

    rule: Rule
    child: int
    about: About
    trigger_date: date
    due: date
    #: The last day on time: ``due``, or the end of the reporting window (rule 22).
    deadline: date
    status: Status
    satisfied_on: date | None = None
    #: The end of the case the item belongs to, when it has ended.
    ended_on: date | None = None
    #: Position in its chain (1 = the first item: first core group, first review …).
    sequence: int = 1

    @property
    def confidence(self) -> str:
        return self.rule.confidence

    @property
    def satisfier(self) -> Satisfier:
        """The key of what would satisfy the item (the web layer links it to the form that records it)."""
        return self.rule.satisfied_by

    @property
    def is_breach(self) -> bool:
        """Overdue or done late under a rule that is read (R, R2), not inferred (I: guidance only)."""
        return self.status in (Status.OVERDUE, Status.DONE_LATE) and not self.rule.is_guidance

    @property
    def is_open(self) -> bool:
        """Still to do in a case that has not ended."""
        return self.status in OPEN_STATUSES and self.ended_on is None


def _new_item(
    rule: Rule,
    child: int,
    about: About,
    trigger_date: date,
    due: date,
    deadline: date,
    status: Status,
    satisfied_on: date | None,
    ended_on: date | None,
    sequence: int,
) -> DueItem:
    """``DueItem(...)`` with the same fields, at half the cost: a frozen dataclass's ``__init__`` sets
    each field through ``object.__setattr__``; this fills the new instance's ``__dict__`` in one call (a child
    with a long history has hundreds of items). ``tests/timescales`` checks it against the constructor."""
    item = object.__new__(DueItem)
    item.__dict__.update(
        rule=rule,
        child=child,
        about=about,
        trigger_date=trigger_date,
        due=due,
        deadline=deadline,
        status=status,
        satisfied_on=satisfied_on,
        ended_on=ended_on,
        sequence=sequence,
    )
    return item


def status_of(rule: Rule, deadline: date, *, done: bool, satisfied_on: date | None, today: date) -> Status:
    """The status of an item of ``rule`` with ``deadline`` on ``today``."""
    if not rule.recordable:
        return Status.NO_DATA
    if done:
        return Status.DONE if satisfied_on is None or satisfied_on <= deadline else Status.DONE_LATE
    if today > deadline:
        return Status.OVERDUE
    if soon_is_working_days(rule):
        soon = wd(today, deadline) <= SOON_WORKING_DAYS
    else:
        soon = (deadline - today).days <= SOON_DAYS
    return Status.DUE_SOON if soon else Status.DUE


def _earliest(*dates: date | None) -> date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _open_on(d: date, start: date, end: date | None) -> bool:
    """The case (start, end) is open on ``d``: ``start <= d`` and (no end or ``end > d``)."""
    return start <= d and (end is None or end > d)


class _Builder:
    """Collects the items of one child."""

    def __init__(self, child: ChildRecord, today: date) -> None:
        self.child = child
        self.today = today
        self.items: list[DueItem] = []

    def add(
        self,
        rule: Rule | None,
        *,
        about: About,
        trigger: date,
        ended_on: date | None,
        satisfied_on: date | None = None,
        done: bool | None = None,
        due: date | None = None,
        sequence: int = 1,
    ) -> DueItem | None:
        if rule is None:
            return None
        if due is None:
            if not isinstance(rule.interval, Interval):
                raise TypeError(f"rule {rule.number} is due by another rule: pass its due date")
            due = rule.interval.after(trigger)
        deadline = rule.window.after(due) if rule.window is not None else due
        is_done = satisfied_on is not None if done is None else done
        if not is_done and ended_on is not None and ended_on <= deadline:
            return None  # the case ended before it fell due
        item = _new_item(
            rule,
            self.child.id,
            about,
            trigger,
            due,
            deadline,
            status_of(rule, deadline, done=is_done, satisfied_on=satisfied_on, today=self.today),
            satisfied_on,
            ended_on,
            sequence,
        )
        self.items.append(item)
        return item

    def chain(
        self,
        *,
        numbers: Callable[[int], int],
        about: About,
        start: date,
        events: Iterable[date],
        ended_on: date | None,
        interval_for: Callable[[Rule, date], Interval] | None = None,
    ) -> None:
        """Items of a chain: the first due at ``numbers(0)``'s interval after ``start``, each later one
        at ``numbers(k)``'s interval after the k-th event; the next after the last event is pending."""
        trigger = start
        pending: list[date | None] = [*sorted(set(events)), None]
        for k, event in enumerate(pending):
            rule = rule_in_force(numbers(k), trigger)
            if rule is None or isinstance(rule.interval, ByRule):
                return
            interval = interval_for(rule, trigger) if interval_for is not None else rule.interval
            self.add(
                rule,
                about=about,
                trigger=trigger,
                due=interval.after(trigger),
                satisfied_on=event,
                ended_on=ended_on,
                sequence=k + 1,
            )
            if event is None:
                return
            trigger = event


def due_items(child: ChildRecord, today: date) -> list[DueItem]:
    """Every item of every rule for ``child`` as known on ``today``, by deadline then rule number."""
    known = as_at(child, today)
    b = _Builder(known, today)
    _referrals(b)
    _conferences(b)
    _registrations(b)
    _looked_after(b)
    _leaving_care(b)
    return sorted(b.items, key=lambda i: (i.deadline, i.rule.number, i.about.kind, i.about.id, i.sequence))


def outstanding(items: Iterable[DueItem]) -> list[DueItem]:
    """What a caseload shows: due, due soon or overdue, in cases that have not ended."""
    return [i for i in items if i.is_open]


# ------------------------------------------------------------- referrals (1–3)


def _referrals(b: _Builder) -> None:
    child = b.child
    dod = child.date_of_death
    by_referral: dict[int, list[tuple[str, date | None]]] = {}
    for a in child.assessments:
        by_referral.setdefault(a.referral_id, []).append((a.assessment_type, a.completed_date))
    closures = {r.id: r.closure_date for r in child.referrals}

    for ref in child.referrals:
        received = ref.referral_date
        if received is None:
            continue
        about = About("referral", ref.id)
        ended = _earliest(ref.closure_date, dod)
        b.add(rule_in_force(1, received), about=about, trigger=received, satisfied_on=ref.decision_date, ended_on=ended)

        rule2 = rule_in_force(2, received)
        if rule2 is None:
            continue
        assessments = by_referral.get(ref.id, [])
        if rule2.satisfied_by is Satisfier.INITIAL_ASSESSMENT:
            qualifying = [done for kind, done in assessments if kind == "INITIAL"]
            applies = ref.decision == "IA" or bool(qualifying)
        else:  # the single assessment: any assessment of the referral
            qualifying = [done for _kind, done in assessments]
            applies = ref.decision in ("IA", "S47") or bool(qualifying)
        if not applies:
            continue
        start = received
        if rule2.trigger is Trigger.REFERRAL_OR_S47 and ref.s47_start is not None:
            start = ref.s47_start
        b.add(
            rule2,
            about=about,
            trigger=start,
            satisfied_on=_earliest(*qualifying),
            ended_on=ended,
        )

    for a in child.assessments:
        if a.assessment_type != "CORE" or a.start_date is None:
            continue
        b.add(
            rule_in_force(3, a.start_date),  # None from 6 April 2016: replaced by the single assessment
            about=About("assessment", a.id),
            trigger=a.start_date,
            satisfied_on=a.completed_date,
            ended_on=_earliest(closures.get(a.referral_id), dod),
        )


# ------------------------------------------------------ initial conferences (4)


def _conferences(b: _Builder) -> None:
    child = b.child
    dod = child.date_of_death
    initial = [c for c in child.conferences if c.conference_type == "INITIAL" and c.strategy_date is not None]
    covered: date | None = None  # strategy discussions up to here led to a recorded conference
    for c in initial:
        assert c.strategy_date is not None
        b.add(
            rule_in_force(4, c.strategy_date),
            about=About("conference", c.id),
            trigger=c.strategy_date,
            satisfied_on=c.conference_date,
            ended_on=dod,
        )
        reach = max(c.strategy_date, c.conference_date or c.strategy_date)
        covered = reach if covered is None else max(covered, reach)

    # A conference decided on but not yet recorded: due 15 working days after the last strategy discussion.
    later = [
        s for s in child.strategy_discussions if s.held_on is not None and (covered is None or s.held_on > covered)
    ]
    if not any(s.conference_decided for s in later):
        return
    last = max(later, key=lambda s: (s.held_on or date.min, s.id))
    assert last.held_on is not None
    closures = {r.id: r.closure_date for r in child.referrals}
    closure = closures.get(last.referral_id) if last.referral_id is not None else None
    b.add(
        rule_in_force(4, last.held_on),
        about=About("strategy_discussion", last.id),
        trigger=last.held_on,
        ended_on=_earliest(closure, dod),
    )


# -------------------------------------------------------- registrations (5–9)


def _registrations(b: _Builder) -> None:
    child = b.child
    cp_visits = sorted({v.visit_date for v in child.visits if v.visit_type == "CP" and v.seen_alone and v.visit_date})
    for reg in child.registrations:
        start, end = reg.start_date, reg.end_date
        if start is None:
            continue
        about = About("registration", reg.id)
        ended = _earliest(end, b.child.date_of_death)

        def inside(dates: Iterable[date | None], start: date = start, end: date | None = end) -> list[date]:
            return [d for d in dates if d is not None and _open_on(d, start, end)]

        b.chain(
            numbers=lambda k: 5 if k == 0 else 6,
            about=about,
            start=start,
            events=inside([reg.first_core_group, *reg.core_groups]),
            ended_on=ended,
        )
        b.chain(
            numbers=lambda k: 7 if k == 0 else 8, about=about, start=start, events=inside(reg.reviews), ended_on=ended
        )
        b.chain(numbers=lambda k: 9, about=about, start=start, events=_between(cp_visits, start, end), ended_on=ended)


# ------------------------------------------------------ looked after (10–19)


@dataclass(frozen=True)
class _Period:
    start: date
    end: date | None
    episodes: tuple[EpisodeRec, ...]


def _care_episodes(child: ChildRecord) -> list[EpisodeRec]:
    """Episodes without short breaks (LS V3/V4, ignored by every looked-after rule), by DECOM."""
    eps = [e for e in child.episodes if e.decom is not None and e.legal_status not in SHORT_BREAK_LEGAL_STATUS]
    return sorted(eps, key=lambda e: (e.decom or date.min, e.id))


def periods_of_care(child: ChildRecord) -> list[_Period]:
    """Chains of episodes starting with RNE S, each starting on the DEC of the one before."""
    chains: list[list[EpisodeRec]] = []
    for e in _care_episodes(child):
        if chains and e.rne != "S" and chains[-1][-1].dec == e.decom:
            chains[-1].append(e)
        else:
            chains.append([e])
    return [
        _Period(start=c[0].decom, end=c[-1].dec, episodes=tuple(c))  # type: ignore[arg-type]
        for c in chains
        if c[0].rne == "S"
    ]


def _placements(period: _Period) -> list[tuple[EpisodeRec, date, date | None]]:
    """(episode, start, end) of each placement of a period.

    A placement starts with the first episode that is not a temporary absence
    (PLACE T0–T4) and with each later change of placement (RNE P, T, B, U),
    except a return from temporary absence to the same PLACE and PL_POST. It
    ends when the next one starts, or with the period.
    """
    starts: list[EpisodeRec] = []
    last: EpisodeRec | None = None
    after_absence = False
    for e in period.episodes:
        if e.placement in TEMPORARY_PLACEMENT:
            after_absence = last is not None
            continue
        if last is None:
            starts.append(e)
        elif e.rne in _PLACEMENT_CHANGE:
            returning = after_absence and (e.placement, e.pl_post) == (last.placement, last.pl_post)
            if not returning:
                starts.append(e)
        last, after_absence = e, False
    ends: list[date | None] = [s.decom for s in starts[1:]] + [period.end]
    return [(s, s.decom, end) for s, end in zip(starts, ends, strict=True)]  # type: ignore[misc]


def placements(child: ChildRecord) -> list[tuple[EpisodeRec, date, date | None]]:
    """(first episode, start, end) of every placement of every period of care of ``child`` (rules 11–14)."""
    return [p for period in periods_of_care(child) for p in _placements(period)]


def placement_of(found: Sequence[tuple[EpisodeRec, date, date | None]], episode: EpisodeRec) -> int | None:
    """The id of the episode that starts the placement ``episode`` belongs to (None: not in a placement)."""
    return _placement_of(found, episode.decom) if episode.decom is not None else None


def _placement_of(placements: Sequence[tuple[EpisodeRec, date, date | None]], d: date) -> int | None:
    """The episode id that starts the placement open on ``d`` (start ≤ d, and no end or end > d)."""
    for episode, p_start, p_end in placements:
        if _open_on(d, p_start, p_end):
            return episode.id
    return None


def _health_assessed(child: ChildRecord, placements: Sequence[tuple[EpisodeRec, date, date | None]]) -> dict[int, date]:
    """The first health assessment that counts for each of ``placements``, by the id of the episode that starts it.

    An assessment recorded *for* an episode counts for the placement that
    episode belongs to, when done from that placement's start up to and
    including its last day (the day of the move); any other assessment counts
    for the placement the child was in on the day it was done. An assessment
    done before a placement starts never counts for it.
    """
    if not child.health_assessments:
        return {}
    bounds = {e.id: (p_start, p_end) for e, p_start, p_end in placements}
    decom = {e.id: e.decom for e in child.episodes}
    first: dict[int, date] = {}
    for h in child.health_assessments:
        d = h.assessed_on
        if d is None:
            continue
        linked_start = decom.get(h.episode_id) if h.episode_id is not None else None
        linked = _placement_of(placements, linked_start) if linked_start is not None else None
        counts_for: int | None = None
        if linked is not None:
            p_start, p_end = bounds[linked]
            if p_start <= d and (p_end is None or d <= p_end):
                counts_for = linked
        if counts_for is None:
            counts_for = _placement_of(placements, d)
        if counts_for is not None and (counts_for not in first or d < first[counts_for]):
            first[counts_for] = d
    return first


def _between(ordered: Sequence[date], start: date, end: date | None) -> Sequence[date]:
    """The dates of ``ordered`` (ascending) on which the case (start, end) is open: ``start <= d < end``."""
    return ordered[bisect_left(ordered, start) : len(ordered) if end is None else bisect_left(ordered, end)]


def _iro_allocated(child: ChildRecord, start: date, end: date | None) -> date | None:
    """The day an IRO was first allocated to the period of care (start, end), at the earliest its start.

    An allocation counts when it is open on some day of the period: it starts
    before the period ends and has not ended before the period starts. One
    made earlier and still open (say, for a previous period) counts from the
    period's first day.
    """
    days = [
        max(a.started_on, start)
        for a in child.iro_allocations
        if a.started_on is not None
        and (end is None or a.started_on < end)
        and (a.ended_on is None or a.ended_on >= start)
    ]
    return min(days) if days else None


def _looked_after(b: _Builder) -> None:
    child = b.child
    dod = child.date_of_death
    care_plans = [(p.start_date, p.end_date) for p in child.plans if p.plan_type == "CARE_PLAN" and p.start_date]
    reviews = sorted({r.review_date for r in child.lac_reviews if r.review_date is not None})
    lac_visits = sorted({v.visit_date for v in child.visits if v.visit_type == "LAC" and v.visit_date is not None})
    gp_registrations = [g.registered_on for g in child.gp_registrations if g.registered_on is not None]
    permanence_plans = [p.recorded_on for p in child.permanence_plans if p.recorded_on is not None]

    for period in periods_of_care(child):
        start, end = period.start, period.end
        about = About("period_of_care", period.episodes[0].id)
        ended = _earliest(end, dod)

        # 10: a care plan in place at the start, else the first made during the period.
        in_place = [s for s, e in care_plans if s <= start and (e is None or e >= start)]
        made_later = [s for s, _e in care_plans if s > start and _open_on(s, start, end)]
        plan_date = max(in_place) if in_place else _earliest(*made_later)
        b.add(rule_in_force(10, start), about=about, trigger=start, satisfied_on=plan_date, ended_on=ended)

        # 15–17: reviews of this period.
        held = list(_between(reviews, start, end))
        b.chain(
            numbers=lambda k: 15 if k == 0 else 16 if k == 1 else 17,
            about=about,
            start=start,
            events=held,
            ended_on=ended,
        )
        # 18, 19: due with the first and the second review.
        first_rule = rule_in_force(15, start)
        if first_rule is not None and isinstance(first_rule.interval, Interval):
            first_due = first_rule.interval.after(start)
            b.add(
                rule_in_force(18, start),
                about=about,
                trigger=start,
                due=first_due,
                satisfied_on=_iro_allocated(child, start, end),
                ended_on=ended,
            )
            second_trigger = held[0] if held else first_due
            second_rule = rule_in_force(16, second_trigger)
            if second_rule is not None and isinstance(second_rule.interval, Interval):
                second_due = second_rule.interval.after(second_trigger)
                permanence = _earliest(*(d for d in permanence_plans if _open_on(d, start, end)))
                b.add(
                    rule_in_force(19, start),
                    about=about,
                    trigger=start,
                    due=second_due,
                    satisfied_on=permanence,
                    ended_on=ended,
                )

        # 11–14: per placement.
        placements = _placements(period)
        health = _health_assessed(child, placements)
        for episode, p_start, p_end in placements:
            p_about = About("placement", episode.id)
            p_ended = _earliest(p_end, dod)
            b.add(
                rule_in_force(11, p_start),
                about=p_about,
                trigger=p_start,
                satisfied_on=health.get(episode.id),
                ended_on=p_ended,
            )
            gp = _earliest(*(d for d in gp_registrations if _open_on(d, p_start, p_end)))
            b.add(rule_in_force(12, p_start), about=p_about, trigger=p_start, satisfied_on=gp, ended_on=p_ended)
            long_term = episode.placement in LONG_TERM_PLACEMENTS
            anniversary = add_months(p_start, 12)

            def interval_for(
                rule: Rule, trigger: date, long_term: bool = long_term, anniversary: date = anniversary
            ) -> Interval:
                if rule.long_term_interval is not None and long_term and trigger >= anniversary:
                    return rule.long_term_interval
                assert isinstance(rule.interval, Interval)
                return rule.interval

            b.chain(
                numbers=lambda k: 13 if k == 0 else 14,
                about=p_about,
                start=p_start,
                events=_between(lac_visits, p_start, p_end),
                ended_on=p_ended,
                interval_for=interval_for,
            )


# ------------------------------------------------------- leaving care (20–22)


def eligible_from(child: ChildRecord, today: date) -> date | None:
    """The day an eligible child's pathway assessment clock starts (rule 20), or None.

    The first day ``d`` from the 16th birthday and before the 18th on which the
    child is looked after and has been looked after at least 13 weeks (91 days,
    ``d`` included) since the 14th birthday; usually the 16th birthday itself.
    Episodes still open count up to ``today``.
    """
    dob = child.date_of_birth
    if dob is None:
        return None
    b14, b16, b18 = add_months(dob, 14 * 12), add_months(dob, 16 * 12), add_months(dob, 18 * 12)
    counted = 0
    for e in _care_episodes(child):
        assert e.decom is not None
        s = max(e.decom, b14)
        stop = min(e.dec or today + timedelta(days=1), b18, today + timedelta(days=1))
        if s >= stop:
            continue
        d = max(s, b16, s + timedelta(days=max(0, ELIGIBLE_DAYS - counted - 1)))
        if d < stop:
            return d
        counted += (stop - s).days
    return None


def _leaving_care(b: _Builder) -> None:
    child = b.child
    dod = child.date_of_death
    about_child = About("child", child.id)
    eligible = eligible_from(child, b.today)
    if eligible is not None and child.date_of_birth is not None:
        # Any pathway assessment completed from the 16th birthday counts, even before the 13 weeks are reached.
        b16 = add_months(child.date_of_birth, 16 * 12)
        assessed = _earliest(
            *(p.completed_on for p in child.pathway_assessments if p.completed_on and p.completed_on >= b16)
        )
        b.add(rule_in_force(20, eligible), about=about_child, trigger=eligible, satisfied_on=assessed, ended_on=dod)

    pathway = sorted(
        (p for p in child.plans if p.plan_type == "PATHWAY_PLAN" and p.start_date is not None),
        key=lambda p: (p.start_date, p.id),
    )
    if pathway:
        first, last = pathway[0], pathway[-1]
        assert first.start_date is not None
        b.chain(
            numbers=lambda k: 21,
            about=About("pathway_plan", first.id),
            start=first.start_date,
            events=[p.start_date for p in pathway[1:] if p.start_date is not None],
            ended_on=_earliest(last.end_date, dod),
        )

    if child.date_of_birth is None:
        return
    care_leaver = eligible is not None or bool(pathway) or bool(child.care_leaver_contacts)
    birthday_19 = add_months(child.date_of_birth, 19 * 12)
    rule = rule_in_force(22, birthday_19)
    if not care_leaver or rule is None or rule.window is None:
        return
    if b.today < add_months(birthday_19, -rule.window.amount):
        return  # the reporting window has not opened
    contacted = any(c.in_touch or c.activity or c.accommodation for c in child.care_leaver_contacts)
    b.add(rule, about=about_child, trigger=birthday_19, done=contacted, ended_on=dod)


def items_by_rule(items: Sequence[DueItem]) -> dict[int, list[DueItem]]:
    """``items`` grouped by rule number (handy for a child's record page and for tests)."""
    grouped: dict[int, list[DueItem]] = {}
    for item in items:
        grouped.setdefault(item.rule.number, []).append(item)
    return grouped
