"""Build :mod:`.records` from the case model, for one child or many, in a fixed number of queries.

:func:`child_records` takes a queryset of children and prefetches every table
the rules read (19 queries in all, whatever the number of children: the children, 17 prefetched
tables and the IRO allocations);
:func:`due_for_children` adds the computation. :func:`today` is re-exported from
:mod:`diogel.clock`, the one place "today" is decided.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

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

__all__ = ["PREFETCH", "QUERIES", "child_record", "child_records", "due_for_child", "due_for_children", "today"]


#: Everything the rules read, one query per table.
PREFETCH: tuple[str | Prefetch[str], ...] = (
    "referrals",
    "assessments",
    "strategy_discussions",
    "section47_enquiries",
    Prefetch("conferences", queryset=m.ConferenceSubject.objects.order_by("strategy_date", "pk")),
    Prefetch(
        "registrations",
        queryset=m.Registration.objects.prefetch_related("core_group_meetings", "reviews"),
    ),
    "visits",
    "episodes",
    "lac_reviews",
    "care_plans",
    "care_leaver_contacts",
    "health_assessments",
    "gp_registrations",
    "permanence_plans",
    "pathway_assessments",
)


def _record(child: m.Child, iro: tuple[IROAllocationRec, ...] = ()) -> ChildRecord:
    strategy = list(child.strategy_discussions.all())
    referral_of_strategy = {s.pk: s.referral_id for s in strategy}
    s47_start: dict[int, date] = {}
    conference_decided: set[int] = set()
    for enquiry in child.section47_enquiries.all():
        sd = enquiry.strategy_discussion_id
        if sd is None:
            continue
        if enquiry.outcome == m.Section47Enquiry.Outcome.CONFERENCE:
            conference_decided.add(sd)
        ref = referral_of_strategy.get(sd)
        if ref is not None and (ref not in s47_start or enquiry.start_date < s47_start[ref]):
            s47_start[ref] = enquiry.start_date
    return ChildRecord(
        id=child.pk,
        ref=child.child_ref,
        date_of_birth=child.date_of_birth,
        date_of_death=child.date_of_death,
        referrals=tuple(
            ReferralRec(
                id=r.pk,
                referral_date=r.referral_date,
                decision_date=r.decision_date,
                decision=r.decision,
                closure_date=r.closure_date,
                s47_start=s47_start.get(r.pk),
            )
            for r in child.referrals.all()
        ),
        assessments=tuple(
            AssessmentRec(
                id=a.pk,
                referral_id=a.referral_id,
                assessment_type=a.assessment_type,
                start_date=a.start_date,
                completed_date=a.completed_date,
            )
            for a in child.assessments.all()
        ),
        strategy_discussions=tuple(
            StrategyRec(
                id=s.pk, held_on=s.held_on, referral_id=s.referral_id, conference_decided=s.pk in conference_decided
            )
            for s in strategy
        ),
        conferences=tuple(
            ConferenceRec(
                id=c.pk,
                conference_type=c.conference_type,
                strategy_date=c.strategy_date,
                conference_date=c.conference_date,
            )
            for c in child.conferences.all()
        ),
        registrations=tuple(
            RegistrationRec(
                id=g.pk,
                start_date=g.start_date,
                end_date=g.end_date,
                first_core_group=g.first_core_group,
                core_groups=tuple(sorted(c.held_on for c in g.core_group_meetings.all())),
                reviews=tuple(sorted(r.review_date for r in g.reviews.all() if r.review_date is not None)),
            )
            for g in child.registrations.all()
        ),
        visits=tuple(
            VisitRec(id=v.pk, visit_date=v.visit_date, visit_type=v.visit_type, seen_alone=v.seen_alone == "Y")
            for v in child.visits.all()
        ),
        episodes=tuple(
            EpisodeRec(
                id=e.pk,
                decom=e.decom,
                dec=e.dec,
                rne=e.rne,
                legal_status=e.legal_status,
                placement=e.placement,
                pl_post=e.pl_post,
            )
            for e in child.episodes.all()
        ),
        lac_reviews=tuple(LACReviewRec(id=r.pk, review_date=r.review_date) for r in child.lac_reviews.all()),
        plans=tuple(
            PlanRec(id=p.pk, plan_type=p.plan_type, start_date=p.start_date, end_date=p.end_date)
            for p in child.care_plans.all()
        ),
        care_leaver_contacts=tuple(
            CareLeaverRec(
                id=c.pk,
                birthday_19=c.birthday_19,
                in_touch=c.in_touch,
                activity=c.activity,
                accommodation=c.accommodation,
            )
            for c in child.care_leaver_contacts.all()
        ),
        health_assessments=tuple(
            HealthAssessmentRec(id=h.pk, assessed_on=h.assessed_on, episode_id=h.episode_id)
            for h in child.health_assessments.all()
        ),
        gp_registrations=tuple(
            GPRegistrationRec(id=g.pk, registered_on=g.registered_on) for g in child.gp_registrations.all()
        ),
        iro_allocations=iro,
        permanence_plans=tuple(
            PermanencePlanRec(id=p.pk, recorded_on=p.recorded_on, outcome=p.outcome)
            for p in child.permanence_plans.all()
        ),
        pathway_assessments=tuple(
            PathwayAssessmentRec(id=p.pk, completed_on=p.completed_on) for p in child.pathway_assessments.all()
        ),
    )


#: Queries of :func:`child_records`, whatever the number of children.
QUERIES = 19


def child_records(children: QuerySet[m.Child]) -> list[ChildRecord]:
    """The records of every child of ``children`` (in its order), in :data:`QUERIES` queries.

    IRO allocations (``diogel.access.models.IROAssignment``, rule 18) have no
    reverse accessor on the child, so they are read in one query of their own.
    """
    found = list(children.prefetch_related(*PREFETCH))
    iro: dict[int, list[IROAllocationRec]] = {}
    allocations = IROAssignment.objects.filter(child_id__in=[c.pk for c in found]).order_by("started_on", "pk")
    for a in allocations.values_list("pk", "child_id", "started_on", "ended_on"):
        iro.setdefault(a[1], []).append(IROAllocationRec(id=a[0], started_on=a[2], ended_on=a[3]))
    return [_record(c, tuple(iro.get(c.pk, ()))) for c in found]


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
