"""Plain records of one child's case: what :mod:`diogel.timescales.due` computes from.

They mirror the case model (and the dataset's columns) but hold only what the
rules read, so the computation is testable without a database. Ids are the
case model's primary keys (any hashable id will do in tests); codes are the
dataset's codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from typing import Any, TypeVar, get_type_hints


@dataclass(frozen=True)
class ReferralRec:
    id: int
    referral_date: date | None
    decision_date: date | None = None
    decision: str = ""  # NFA, INFO, IA, S47 or blank
    closure_date: date | None = None
    #: Start of the earliest section 47 enquiry that followed this referral (2016 single assessment clock).
    s47_start: date | None = None


@dataclass(frozen=True)
class AssessmentRec:
    id: int
    referral_id: int
    assessment_type: str  # INITIAL or CORE
    start_date: date | None
    completed_date: date | None = None


@dataclass(frozen=True)
class StrategyRec:
    """A strategy discussion; ``conference_decided`` when an enquiry it started decided on a conference."""

    id: int
    held_on: date | None
    referral_id: int | None = None
    conference_decided: bool = False


@dataclass(frozen=True)
class ConferenceRec:
    """One child's row of an initial (or transfer-in) conference: ``cp_conferences``."""

    id: int
    conference_type: str  # INITIAL or TRANSFER_IN
    strategy_date: date | None
    conference_date: date | None = None


@dataclass(frozen=True)
class RegistrationRec:
    id: int
    start_date: date | None
    end_date: date | None = None
    first_core_group: date | None = None
    core_groups: tuple[date, ...] = ()
    reviews: tuple[date, ...] = ()


@dataclass(frozen=True)
class VisitRec:
    id: int
    visit_date: date | None
    visit_type: str  # LAC or CP
    seen_alone: bool = False


@dataclass(frozen=True)
class EpisodeRec:
    id: int
    decom: date | None
    dec: date | None = None
    rne: str = "S"
    legal_status: str = ""
    placement: str = ""
    pl_post: str = ""


@dataclass(frozen=True)
class LACReviewRec:
    id: int
    review_date: date | None


@dataclass(frozen=True)
class PlanRec:
    id: int
    plan_type: str  # CARE_PLAN, PATHWAY_PLAN, CP_PLAN, CIN_PLAN
    start_date: date | None
    end_date: date | None = None


@dataclass(frozen=True)
class CareLeaverRec:
    id: int
    birthday_19: date | None
    in_touch: str = ""
    activity: str = ""
    accommodation: str = ""


@dataclass(frozen=True)
class HealthAssessmentRec:
    """A health assessment (rule 11); ``episode_id`` names the placement it was for, when recorded."""

    id: int
    assessed_on: date | None
    episode_id: int | None = None


@dataclass(frozen=True)
class GPRegistrationRec:
    """A GP registration (rule 12)."""

    id: int
    registered_on: date | None


@dataclass(frozen=True)
class IROAllocationRec:
    """An independent reviewing officer allocated from ``started_on`` to ``ended_on`` (rule 18)."""

    id: int
    started_on: date | None
    ended_on: date | None = None


@dataclass(frozen=True)
class PermanencePlanRec:
    """A permanence plan (rule 19); ``outcome`` is the plan in brief."""

    id: int
    recorded_on: date | None
    outcome: str = ""


@dataclass(frozen=True)
class PathwayAssessmentRec:
    """A completed pathway assessment (rule 20)."""

    id: int
    completed_on: date | None


@dataclass(frozen=True)
class ChildRecord:
    """Everything the rules read about one child."""

    id: int
    ref: str = ""
    date_of_birth: date | None = None
    date_of_death: date | None = None
    referrals: tuple[ReferralRec, ...] = ()
    assessments: tuple[AssessmentRec, ...] = ()
    strategy_discussions: tuple[StrategyRec, ...] = ()
    conferences: tuple[ConferenceRec, ...] = ()
    registrations: tuple[RegistrationRec, ...] = ()
    visits: tuple[VisitRec, ...] = ()
    episodes: tuple[EpisodeRec, ...] = ()
    lac_reviews: tuple[LACReviewRec, ...] = ()
    plans: tuple[PlanRec, ...] = ()
    care_leaver_contacts: tuple[CareLeaverRec, ...] = ()
    health_assessments: tuple[HealthAssessmentRec, ...] = ()
    gp_registrations: tuple[GPRegistrationRec, ...] = ()
    iro_allocations: tuple[IROAllocationRec, ...] = ()
    permanence_plans: tuple[PermanencePlanRec, ...] = ()
    pathway_assessments: tuple[PathwayAssessmentRec, ...] = ()
    #: Not read by the rules; free for the caller (e.g. the child's name for a caseload).
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# The date that says a record exists at all: a record dated after "today" has not happened yet.
_EVENT_DATE: dict[type, str] = {
    ReferralRec: "referral_date",
    AssessmentRec: "start_date",
    StrategyRec: "held_on",
    ConferenceRec: "strategy_date",
    RegistrationRec: "start_date",
    VisitRec: "visit_date",
    EpisodeRec: "decom",
    LACReviewRec: "review_date",
    PlanRec: "start_date",
    HealthAssessmentRec: "assessed_on",
    GPRegistrationRec: "registered_on",
    IROAllocationRec: "started_on",
    PermanencePlanRec: "recorded_on",
    PathwayAssessmentRec: "completed_on",
    # CareLeaverRec is kept whatever its date: contact may be recorded before the 19th birthday.
}

R = TypeVar("R")


@cache
def _dated(kind: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of a record type that hold a date, and those that hold a tuple of dates (by annotation)."""
    hints = get_type_hints(kind)
    dates = tuple(f.name for f in fields(kind) if hints[f.name] in (date, date | None))
    tuples = tuple(f.name for f in fields(kind) if hints[f.name] == tuple[date, ...])
    return dates, tuples


def _blank_future(rec: R, today: date) -> R:
    """``rec`` with every date after ``today`` blanked (and future dates dropped from tuples of dates)."""
    changes: dict[str, Any] = {}
    for f in fields(rec):  # type: ignore[arg-type]
        value = getattr(rec, f.name)
        if isinstance(value, date) and value > today:
            changes[f.name] = None
        elif isinstance(value, tuple) and value and all(isinstance(v, date) for v in value):
            kept = tuple(v for v in value if v <= today)
            if kept != value:
                changes[f.name] = kept
    return replace(rec, **changes) if changes else rec  # type: ignore[type-var]


def _happened(rec: object, today: date) -> bool:
    """``rec``'s own date is known and not after ``today`` (a record with no own date always counts)."""
    name = _EVENT_DATE.get(type(rec))
    own = getattr(rec, name) if name else today
    return own is not None and own <= today


def _known(records: tuple[R, ...], today: date) -> tuple[R, ...]:
    """The records of one kind as known on ``today`` (see :func:`as_at`): ``records`` itself when nothing changes."""
    if not records:
        return records
    kind: type = type(records[0])
    name = _EVENT_DATE.get(kind)
    dates, tuples = _dated(kind)
    kept: list[R] = []
    changed = False
    for rec in records:
        if type(rec) is not kind:  # a tuple of mixed kinds (a test may build one): the general path
            return tuple(_blank_future(r, today) for r in records if _happened(r, today))
        if name is not None:
            own = getattr(rec, name)
            if own is None or own > today:
                changed = True
                continue
        later = False
        for f in dates:
            d = getattr(rec, f)
            if d is not None and d > today:
                later = True
        for f in tuples:
            for d in getattr(rec, f):
                if d > today:
                    later = True
        if later:
            rec = _blank_future(rec, today)
            changed = True
        kept.append(rec)
    return tuple(kept) if changed else records


def as_at(child: ChildRecord, today: date) -> ChildRecord:
    """The child's record as known on ``today``: what is dated later has not happened yet.

    A record whose own date (a referral's REFERRAL_DATE, a visit's date …) is
    after ``today`` or blank is left out; any other date after ``today`` (a
    decision, an end date, a completion) is blanked. In demo mode, with a
    configured "today" inside the synthetic data, this keeps the future out.
    The record itself is returned when nothing is dated after ``today``.
    """
    changes: dict[str, Any] = {}
    for name in _RECORD_TUPLES:
        value = getattr(child, name)
        kept = _known(value, today)
        if kept is not value:
            changes[name] = kept
    if child.date_of_death is not None and child.date_of_death > today:
        changes["date_of_death"] = None
    return replace(child, **changes) if changes else child


#: The fields of :class:`ChildRecord` that hold tuples of records.
_RECORD_TUPLES: tuple[str, ...] = tuple(f.name for f in fields(ChildRecord) if str(f.type).startswith("tuple["))
