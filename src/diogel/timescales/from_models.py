"""Build :mod:`.records` from the case model, for one child or many, in a fixed number of queries.

:func:`child_records` takes a queryset of children and reads every table the
rules read (19 queries at most, whatever the number of children: the children
and the 18 tables of :data:`TABLES`, 17 of the case model and the IRO allocations
of :mod:`diogel.access`); :func:`due_for_children`
adds the computation. :func:`today` is re-exported from :mod:`diogel.clock`, the
one place "today" is decided.

The tables are read as plain rows of the columns the rules need, in SQL built
once per table from the models' metadata, not as model instances through
``prefetch_related``: building a Django model for every visit and review row (and
compiling 17 querysets) was most of the cost of "what is due" on a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.db import connections, models, router
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from diogel.access.models import IROAssignment
from diogel.cases import models as m
from diogel.clock import today

from .due import DueItem, due_items
from .records import (
    AssessmentRec,
    CareLeaverRec,
    ChildRecord,
    ConferenceRec,
    EpisodeRec,
    GPRegistrationRec,
    HealthAssessmentRec,
    IROAllocationRec,
    LACReviewRec,
    PathwayAssessmentRec,
    PermanencePlanRec,
    PlanRec,
    ReferralRec,
    RegistrationRec,
    StrategyRec,
    VisitRec,
)

__all__ = ["QUERIES", "TABLES", "Table", "child_record", "child_records", "due_for_child", "due_for_children", "today"]

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """One table the rules read: the ``columns`` (field names) of ``model``'s rows whose ``key`` (a foreign
    key's field name: ``child`` or ``registration``) is one of the ids asked for, in ``order`` then by id."""

    name: str
    model: type[models.Model]
    columns: tuple[str, ...]
    key: str = "child"
    order: tuple[str, ...] = ()


#: Everything the rules read besides the children: one query per table. Each row is (key, *columns).
TABLES: tuple[Table, ...] = (
    Table(
        "referrals",
        m.Referral,
        ("id", "referral_date", "decision_date", "decision", "closure_date"),
        order=("referral_date", "referral_ref"),
    ),
    Table(
        "assessments",
        m.Assessment,
        ("id", "referral", "assessment_type", "start_date", "completed_date"),
        order=("start_date", "assessment_ref"),
    ),
    Table("strategy_discussions", m.StrategyDiscussion, ("id", "held_on", "referral")),
    Table("section47_enquiries", m.Section47Enquiry, ("strategy_discussion", "outcome", "start_date")),
    Table(
        "conferences",
        m.ConferenceSubject,
        ("id", "conference_type", "strategy_date", "conference_date"),
        order=("strategy_date",),
    ),
    Table(
        "registrations",
        m.Registration,
        ("id", "start_date", "end_date", "first_core_group"),
        order=("start_date", "registration_ref"),
    ),
    Table("core_groups", m.CoreGroupMeeting, ("held_on",), key="registration"),
    Table("cp_reviews", m.CPReview, ("review_date",), key="registration"),
    Table("visits", m.Visit, ("id", "visit_date", "visit_type", "seen_alone")),
    Table(
        "episodes",
        m.Episode,
        ("id", "decom", "dec", "rne", "legal_status", "placement", "pl_post"),
        order=("decom",),
    ),
    Table("lac_reviews", m.LookedAfterReview, ("id", "review_date")),
    Table("care_plans", m.CarePlan, ("id", "plan_type", "start_date", "end_date"), order=("start_date", "plan_ref")),
    Table(
        "care_leaver_contacts",
        m.CareLeaverContact,
        ("id", "birthday_19", "in_touch", "activity", "accommodation"),
    ),
    Table("health_assessments", m.HealthAssessment, ("id", "assessed_on", "episode"), order=("assessed_on",)),
    Table("gp_registrations", m.GPRegistration, ("id", "registered_on"), order=("registered_on",)),
    Table("permanence_plans", m.PermanencePlan, ("id", "recorded_on", "outcome"), order=("recorded_on",)),
    Table("pathway_assessments", m.PathwayAssessment, ("id", "completed_on"), order=("completed_on",)),
    Table("iro_allocations", IROAssignment, ("id", "started_on", "ended_on"), order=("started_on",)),
)
_BY_NAME = {t.name: t for t in TABLES}

#: Queries of :func:`child_records`, whatever the number of children: the children and one per table.
QUERIES = 1 + len(TABLES)


@cache
def _select(table: Table, alias: str) -> tuple[str, str]:
    """``SELECT key, columns FROM table WHERE key IN (`` and ``) ORDER BY …``: the SQL around the ids."""
    qn = connections[alias].ops.quote_name
    meta = table.model._meta

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, models.Field) and field.concrete and field.column, (table.name, name)
        return qn(field.column)

    key = column(table.key)
    head = "SELECT {} FROM {} WHERE {} IN (".format(
        ", ".join([key, *(column(c) for c in table.columns)]), qn(meta.db_table), key
    )
    tail = ") ORDER BY {}".format(", ".join([key, *(column(c) for c in table.order), column("id")]))
    return head, tail


class _Reader:
    """Reads tables through one cursor per database (opening a cursor for each query costs as much as a small
    query)."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.cursors: dict[str, CursorWrapper] = {}

    def rows(self, table: Table, ids: Sequence[int]) -> dict[int, list[Row]]:
        """The rows of ``table`` whose key is in ``ids``, by key (no query when ``ids`` is empty)."""
        if not ids:
            return {}
        alias = router.db_for_read(table.model)
        cursor = self.cursors.get(alias)
        if cursor is None:
            cursor = self.cursors[alias] = self.stack.enter_context(connections[alias].cursor())
        head, tail = _select(table, alias)
        cursor.execute(head + ", ".join(["%s"] * len(ids)) + tail, list(ids))
        by_key: dict[int, list[Row]] = {}
        for row in cursor.fetchall():
            by_key.setdefault(row[0], []).append(row[1:])
        return by_key


def _build(
    child: Row,
    tables: dict[str, dict[int, list[Row]]],
    core_groups: dict[int, list[Row]],
    reviews: dict[int, list[Row]],
) -> ChildRecord:
    """One child's record from its row (id, ref, date of birth, date of death) and the rows of :data:`TABLES`."""
    pk = child[0]

    def rows(name: str) -> list[Row]:
        return tables[name].get(pk, [])

    strategy = rows("strategy_discussions")
    referral_of_strategy = {s[0]: s[2] for s in strategy}
    s47_start: dict[int, date] = {}
    conference_decided: set[int] = set()
    for sd, outcome, started in rows("section47_enquiries"):
        if sd is None:
            continue
        if outcome == m.Section47Enquiry.Outcome.CONFERENCE:
            conference_decided.add(sd)
        ref = referral_of_strategy.get(sd)
        if ref is not None and (ref not in s47_start or started < s47_start[ref]):
            s47_start[ref] = started
    return ChildRecord(
        id=pk,
        ref=child[1],
        date_of_birth=child[2],
        date_of_death=child[3],
        referrals=tuple(ReferralRec(r[0], r[1], r[2], r[3], r[4], s47_start.get(r[0])) for r in rows("referrals")),
        assessments=tuple(AssessmentRec(*a) for a in rows("assessments")),
        strategy_discussions=tuple(StrategyRec(s[0], s[1], s[2], s[0] in conference_decided) for s in strategy),
        conferences=tuple(ConferenceRec(*c) for c in rows("conferences")),
        registrations=tuple(
            RegistrationRec(
                g[0],
                g[1],
                g[2],
                g[3],
                tuple(sorted(c[0] for c in core_groups.get(g[0], ()))),
                tuple(sorted(r[0] for r in reviews.get(g[0], ()) if r[0] is not None)),
            )
            for g in rows("registrations")
        ),
        visits=tuple(VisitRec(v[0], v[1], v[2], v[3] == "Y") for v in rows("visits")),
        episodes=tuple(EpisodeRec(*e) for e in rows("episodes")),
        lac_reviews=tuple(LACReviewRec(*r) for r in rows("lac_reviews")),
        plans=tuple(PlanRec(*p) for p in rows("care_plans")),
        care_leaver_contacts=tuple(CareLeaverRec(*c) for c in rows("care_leaver_contacts")),
        health_assessments=tuple(HealthAssessmentRec(*h) for h in rows("health_assessments")),
        gp_registrations=tuple(GPRegistrationRec(*g) for g in rows("gp_registrations")),
        iro_allocations=tuple(IROAllocationRec(*a) for a in rows("iro_allocations")),
        permanence_plans=tuple(PermanencePlanRec(*p) for p in rows("permanence_plans")),
        pathway_assessments=tuple(PathwayAssessmentRec(*p) for p in rows("pathway_assessments")),
    )


def child_records(children: QuerySet[m.Child]) -> list[ChildRecord]:
    """The records of every child of ``children`` (in its order), in at most :data:`QUERIES` queries.

    One query reads the children, then one each table of :data:`TABLES` (the
    core groups and reviews of the registrations found; none when there is no
    child, or no registration).
    """
    found: list[Row] = list(children.values_list("pk", "child_ref", "date_of_birth", "date_of_death"))
    ids = [c[0] for c in found]
    with ExitStack() as stack:
        reader = _Reader(stack)
        tables = {t.name: reader.rows(t, ids) for t in TABLES if t.key == "child"}
        registrations = [g[0] for rows in tables["registrations"].values() for g in rows]
        core_groups = reader.rows(_BY_NAME["core_groups"], registrations)
        reviews = reader.rows(_BY_NAME["cp_reviews"], registrations)
    return [_build(c, tables, core_groups, reviews) for c in found]


def child_record(child: m.Child | int) -> ChildRecord:
    """The record of one child (a ``Child`` or its primary key)."""
    pk = child.pk if isinstance(child, m.Child) else child
    found = child_records(m.Child.objects.filter(pk=pk))
    if not found:
        raise m.Child.DoesNotExist(f"no child with id {pk}")
    return found[0]


def due_for_children(children: QuerySet[m.Child], on: date | None = None) -> dict[int, list[DueItem]]:
    """Every child's items (``due_items``) as known ``on`` (default :func:`today`), by child id."""
    day = on if on is not None else today()
    return {r.id: due_items(r, day) for r in child_records(children)}


def due_for_child(child: m.Child | int, on: date | None = None) -> list[DueItem]:
    """One child's items as known ``on`` (default :func:`today`)."""
    return due_items(child_record(child), on if on is not None else today())
