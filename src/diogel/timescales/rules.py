"""The timescale rules of ``shared/spec/timescales.md`` as dated, frozen declarations.

Each :class:`Rule` is one row of the spec's table as it stood in one period:
its number, what falls due (English, translatable, with a Welsh draft for the
catalogue), the trigger, the interval, what satisfies it, the confidence and
the dates it is in force. Two sets are declared:

* :data:`SET_2008` — the set of the dataset's era, applied to every trigger
  before 6 April 2016 (no older set is declared, so it also covers triggers
  before 2008);
* :data:`SET_2016` — built as *changes* to the 2008 set, in force for triggers
  from 6 April 2016 (Social Services and Well-being (Wales) Act 2014).

A rule is chosen by **the date of its trigger** (:func:`rule_in_force`): a
referral received on 5 April 2016 is held to the 7-working-day initial
assessment, one received on 6 April to the 42-working-day single assessment.
:func:`check` verifies the whole at import: every number 1–22 in the first
set, no number twice in a set, sets that meet without gap or overlap, Welsh
present, every reference to another rule resolvable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogel.workdays import add_months, nth_working_day_after

__all__ = [
    "ALL_RULES",
    "RULE_NUMBERS",
    "RULE_SETS",
    "SET_2008",
    "SET_2016",
    "ByRule",
    "Confidence",
    "Interval",
    "Rule",
    "RuleError",
    "RuleSet",
    "Satisfier",
    "Trigger",
    "Unit",
    "check",
    "rule_in_force",
    "rule_set_on",
]

#: The rules of the spec's table are numbered 1 to 22.
RULE_NUMBERS: tuple[int, ...] = tuple(range(1, 23))


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class Confidence(StrEnum):
    """How sure we are of a rule. ``I`` (inferred) is shown as guidance, never as a breach."""

    R = "R"  # read in the regulation or procedure
    R2 = "R2"  # read in a council or guidance document
    I = "I"  # inferred  # noqa: E741


class Trigger(models.TextChoices):
    """What starts the clock."""

    REFERRAL = "referral", _("referral received")
    REFERRAL_OR_S47 = "referral_or_s47", _("referral received, or the start of section 47 enquiries")
    CORE_ASSESSMENT_START = "core_assessment_start", _("core assessment started")
    STRATEGY_DISCUSSION = "strategy_discussion", _("(last) strategy discussion")
    REGISTRATION = "registration", _("registration at conference")
    PREVIOUS_CORE_GROUP = "previous_core_group", _("previous core group")
    PREVIOUS_CP_REVIEW = "previous_cp_review", _("previous child protection review")
    PREVIOUS_CP_VISIT = "previous_cp_visit", _("previous visit with the child seen alone, or registration")
    PERIOD_OF_CARE_START = "period_of_care_start", _("start of the period of care")
    PLACEMENT_START = "placement_start", _("placement start")
    PREVIOUS_LAC_VISIT = "previous_lac_visit", _("previous statutory visit")
    FIRST_LAC_REVIEW = "first_lac_review", _("first looked-after review")
    PREVIOUS_LAC_REVIEW = "previous_lac_review", _("previous looked-after review")
    ELIGIBLE_AT_16 = "eligible_at_16", _("16th birthday of an eligible child")
    PREVIOUS_PATHWAY_PLAN = "previous_pathway_plan", _("previous pathway plan or review")
    BIRTHDAY_19 = "birthday_19", _("19th birthday")


class Satisfier(models.TextChoices):
    """What satisfies a rule: the key the web layer turns into a link that records it."""

    REFERRAL_DECISION = "referral_decision", _("record the decision on the referral")
    INITIAL_ASSESSMENT = "initial_assessment", _("complete the initial assessment")
    SINGLE_ASSESSMENT = "single_assessment", _("complete the assessment")
    CORE_ASSESSMENT = "core_assessment", _("complete the core assessment")
    INITIAL_CONFERENCE = "initial_conference", _("record the initial child protection conference")
    CORE_GROUP = "core_group", _("record a core group meeting")
    CP_REVIEW = "cp_review", _("record a child protection review conference")
    CP_VISIT_SEEN_ALONE = "cp_visit_seen_alone", _("record a visit with the child seen alone")
    CARE_PLAN = "care_plan", _("record the care plan")
    HEALTH_ASSESSMENT = "health_assessment", _("record the health assessment")
    GP_REGISTRATION = "gp_registration", _("record the GP registration")
    LAC_VISIT = "lac_visit", _("record a statutory visit")
    LAC_REVIEW = "lac_review", _("record a looked-after review")
    IRO_ALLOCATION = "iro_allocation", _("allocate an independent reviewing officer")
    PERMANENCE_PLAN = "permanence_plan", _("record the permanence plan")
    PATHWAY_ASSESSMENT = "pathway_assessment", _("complete the pathway assessment")
    PATHWAY_PLAN_REVIEW = "pathway_plan_review", _("record the pathway plan review")
    CARE_LEAVER_CONTACT = "care_leaver_contact", _("record contact at 19 (in touch, activity, accommodation)")


#: What the case model cannot record yet: items of these rules have the status ``no_data``. Empty since the
#: health assessment, GP registration, IRO allocation, permanence plan and pathway assessment are recorded.
UNRECORDABLE: frozenset[Satisfier] = frozenset()


@dataclass(frozen=True)
class Interval:
    """``amount`` of ``unit`` after a trigger date."""

    amount: int
    unit: Unit

    def after(self, start: date) -> date:
        """The due date for a trigger on ``start`` (working days through :mod:`diogel.workdays`)."""
        if self.unit is Unit.WORKING_DAYS:
            return nth_working_day_after(start, self.amount)
        if self.unit is Unit.DAYS:
            return start + timedelta(days=self.amount)
        if self.unit is Unit.WEEKS:
            return start + timedelta(weeks=self.amount)
        return add_months(start, self.amount)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class ByRule:
    """Due when rule ``number`` (of the same case) falls due: "before the first review", "by the second"."""

    number: int

    def __str__(self) -> str:
        return f"when rule {self.number} falls due"


@dataclass(frozen=True)
class Rule:
    """One row of the table, as in force from ``in_force_from`` to ``in_force_until`` (inclusive; None = open).

    ``long_term_interval`` (rule 14 only) replaces ``interval`` for a trigger
    after the first anniversary of the placement when the placement is meant
    to last until the child is 18. ``window`` (rule 22 only) is the reporting
    window either side of the due date: the item is on time up to ``due +
    window``.
    """

    number: int
    what: Promise
    what_cy: str
    trigger: Trigger
    interval: Interval | ByRule
    satisfied_by: Satisfier
    confidence: Confidence
    in_force_from: date | None
    in_force_until: date | None
    long_term_interval: Interval | None = None
    window: Interval | None = None
    note: str = ""

    @property
    def recordable(self) -> bool:
        """False when the case model has nowhere to record what satisfies the rule yet."""
        return self.satisfied_by not in UNRECORDABLE

    @property
    def is_guidance(self) -> bool:
        """Inferred rules are shown as guidance, never as a breach."""
        return self.confidence is Confidence.I

    def in_force_on(self, d: date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= d) and (
            self.in_force_until is None or d <= self.in_force_until
        )


@dataclass(frozen=True)
class RuleSet:
    """The rules in force for triggers from ``starts`` to ``ends`` (inclusive; None = open)."""

    key: str
    starts: date | None
    ends: date | None
    rules: tuple[Rule, ...]

    def get(self, number: int) -> Rule | None:
        return next((r for r in self.rules if r.number == number), None)


class RuleError(Exception):
    """The rule declarations are inconsistent: a defect in Diogel, found at import."""


WD = Unit.WORKING_DAYS
_END_2008 = date(2016, 4, 5)
_START_2016 = date(2016, 4, 6)


def _r(
    number: int,
    what: Promise,
    what_cy: str,
    trigger: Trigger,
    interval: Interval | ByRule,
    satisfied_by: Satisfier,
    confidence: Confidence,
    **extra: object,
) -> Rule:
    return Rule(
        number=number,
        what=what,
        what_cy=what_cy,
        trigger=trigger,
        interval=interval,
        satisfied_by=satisfied_by,
        confidence=confidence,
        in_force_from=None,
        in_force_until=_END_2008,
        **extra,  # type: ignore[arg-type]
    )


C, T, S = Confidence, Trigger, Satisfier

_RULES_2008: tuple[Rule, ...] = (
    _r(1, _("decision on a referral"), "penderfyniad ar atgyfeiriad",
       T.REFERRAL, Interval(1, WD), S.REFERRAL_DECISION, C.R2),
    _r(2, _("initial assessment"), "asesiad cychwynnol",
       T.REFERRAL, Interval(7, WD), S.INITIAL_ASSESSMENT, C.R2,
       note="referrals decided IA, or with an INITIAL assessment recorded"),
    _r(3, _("core assessment"), "asesiad craidd",
       T.CORE_ASSESSMENT_START, Interval(35, WD), S.CORE_ASSESSMENT, C.I),
    _r(4, _("initial child protection conference"), "cynhadledd amddiffyn plant gychwynnol",
       T.STRATEGY_DISCUSSION, Interval(15, WD), S.INITIAL_CONFERENCE, C.R2),
    _r(5, _("first core group"), "cyfarfod cyntaf y grŵp craidd",
       T.REGISTRATION, Interval(10, WD), S.CORE_GROUP, C.I),
    _r(6, _("later core group"), "cyfarfod dilynol y grŵp craidd",
       T.PREVIOUS_CORE_GROUP, Interval(6, Unit.WEEKS), S.CORE_GROUP, C.I),
    _r(7, _("first child protection review"), "adolygiad amddiffyn plant cyntaf",
       T.REGISTRATION, Interval(3, Unit.MONTHS), S.CP_REVIEW, C.I),
    _r(8, _("later child protection review"), "adolygiad amddiffyn plant dilynol",
       T.PREVIOUS_CP_REVIEW, Interval(6, Unit.MONTHS), S.CP_REVIEW, C.I),
    _r(9, _("visit to a registered child (seen alone)"), "ymweliad â phlentyn ar y gofrestr (wedi'i weld ar ei ben ei hun)",
       T.PREVIOUS_CP_VISIT, Interval(10, WD), S.CP_VISIT_SEEN_ALONE, C.I),
    _r(10, _("care plan"), "cynllun gofal",
       T.PERIOD_OF_CARE_START, Interval(0, Unit.DAYS), S.CARE_PLAN, C.R2,
       note="before the first placement: a plan in place on the day the period of care starts"),
    _r(11, _("health assessment"), "asesiad iechyd",
       T.PLACEMENT_START, Interval(14, WD), S.HEALTH_ASSESSMENT, C.R),
    _r(12, _("GP registration"), "cofrestru gyda meddyg teulu",
       T.PLACEMENT_START, Interval(10, WD), S.GP_REGISTRATION, C.R),
    _r(13, _("first statutory visit"), "ymweliad statudol cyntaf",
       T.PLACEMENT_START, Interval(1, Unit.WEEKS), S.LAC_VISIT, C.I),
    _r(14, _("later statutory visit"), "ymweliad statudol dilynol",
       T.PREVIOUS_LAC_VISIT, Interval(6, Unit.WEEKS), S.LAC_VISIT, C.I,
       long_term_interval=Interval(3, Unit.MONTHS)),
    _r(15, _("first looked-after review"), "adolygiad cyntaf plentyn sy'n derbyn gofal",
       T.PERIOD_OF_CARE_START, Interval(20, WD), S.LAC_REVIEW, C.I),
    _r(16, _("second looked-after review"), "ail adolygiad plentyn sy'n derbyn gofal",
       T.FIRST_LAC_REVIEW, Interval(3, Unit.MONTHS), S.LAC_REVIEW, C.I),
    _r(17, _("later looked-after review"), "adolygiad dilynol plentyn sy'n derbyn gofal",
       T.PREVIOUS_LAC_REVIEW, Interval(6, Unit.MONTHS), S.LAC_REVIEW, C.I),
    _r(18, _("independent reviewing officer"), "swyddog adolygu annibynnol",
       T.PERIOD_OF_CARE_START, ByRule(15), S.IRO_ALLOCATION, C.I,
       note="the spec reads the duty in the 2016 regulations (R); for earlier triggers it is inferred"),
    _r(19, _("permanence plan"), "cynllun sefydlogrwydd",
       T.PERIOD_OF_CARE_START, ByRule(16), S.PERMANENCE_PLAN, C.R2),
    _r(20, _("pathway assessment"), "asesiad llwybr",
       T.ELIGIBLE_AT_16, Interval(3, Unit.MONTHS), S.PATHWAY_ASSESSMENT, C.R),
    _r(21, _("pathway plan review"), "adolygiad o'r cynllun llwybr",
       T.PREVIOUS_PATHWAY_PLAN, Interval(6, Unit.MONTHS), S.PATHWAY_PLAN_REVIEW, C.R),
    _r(22, _("care leaver contact at 19"), "cysylltiad â'r person ifanc sy'n gadael gofal yn 19 oed",
       T.BIRTHDAY_19, Interval(0, Unit.DAYS), S.CARE_LEAVER_CONTACT, C.R2,
       window=Interval(3, Unit.MONTHS)),
)  # fmt: skip


def _from_2016(rule: Rule, **changes: object) -> Rule:
    """The 2016 version of a 2008 rule: the same, with ``changes``."""
    return replace(rule, in_force_from=_START_2016, in_force_until=None, **changes)  # type: ignore[arg-type]


_BY_NUMBER_2008 = {r.number: r for r in _RULES_2008}
# The column "from 6 April 2016" of the spec, as changes to the 2008 set.
_CHANGES_2016: dict[int, dict[str, object] | None] = {
    1: {},
    2: {
        "what": _("single assessment"),
        "what_cy": "asesiad sengl",
        "trigger": T.REFERRAL_OR_S47,
        "interval": Interval(42, WD),
        "satisfied_by": S.SINGLE_ASSESSMENT,
        "note": "42 working days from the referral, or from the start of section 47 enquiries",
    },
    3: None,  # replaced by rule 2
    4: {"confidence": C.R},
    5: {"confidence": C.R},
    6: {"confidence": C.R},
    7: {"confidence": C.R},
    8: {"confidence": C.R},
    9: {"confidence": C.R},
    10: {
        "interval": Interval(10, WD),
        "confidence": C.R,
        "note": "before the first placement, or within 10 working days where that is not practicable",
    },
    11: {"confidence": C.I, "note": "the spec gives no 2016 reading ('—'): kept, as guidance"},
    12: {},
    13: {"confidence": C.R},
    14: {"confidence": C.R},
    15: {"confidence": C.R},
    16: {"confidence": C.R},
    17: {"confidence": C.R},
    18: {"confidence": C.R, "note": ""},
    19: {},
    20: {},
    21: {"confidence": C.I},
    22: {},
}
_RULES_2016: tuple[Rule, ...] = tuple(
    _from_2016(_BY_NUMBER_2008[n], **changes) for n, changes in _CHANGES_2016.items() if changes is not None
)

SET_2008 = RuleSet(key="2008", starts=None, ends=_END_2008, rules=_RULES_2008)
SET_2016 = RuleSet(key="2016", starts=_START_2016, ends=None, rules=_RULES_2016)
#: Every set, oldest first.
RULE_SETS: tuple[RuleSet, ...] = (SET_2008, SET_2016)
#: Every rule version of every set.
ALL_RULES: tuple[Rule, ...] = tuple(r for s in RULE_SETS for r in s.rules)


def check(sets: tuple[RuleSet, ...]) -> None:
    """Verify the rule sets as a whole; raise :class:`RuleError` listing every problem."""
    problems: list[str] = []
    if not sets:
        raise RuleError("timescale rules: no rule set declared")
    first = sets[0]
    if first.starts is not None:
        problems.append(f"the first set ({first.key}) must apply to every earlier trigger")
    if sets[-1].ends is not None:
        problems.append(f"the last set ({sets[-1].key}) must stay in force")
    for before, after in pairwise(sets):
        if before.ends is None or after.starts is None or after.starts - before.ends != timedelta(days=1):
            problems.append(f"sets {before.key} and {after.key} do not meet day to day")
    missing = [n for n in RULE_NUMBERS if first.get(n) is None]
    if missing:
        problems.append(f"rules missing from set {first.key}: {missing}")
    for rule_set in sets:
        numbers = [r.number for r in rule_set.rules]
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        if dupes:
            problems.append(f"set {rule_set.key}: numbers declared twice: {dupes}")
        unknown = sorted(n for n in numbers if n not in RULE_NUMBERS)
        if unknown:
            problems.append(f"set {rule_set.key}: numbers not in the spec: {unknown}")
        for rule in rule_set.rules:
            where = f"set {rule_set.key} rule {rule.number}"
            if (rule.in_force_from, rule.in_force_until) != (rule_set.starts, rule_set.ends):
                problems.append(f"{where}: its dates are not its set's")
            if not str(rule.what).strip() or not rule.what_cy.strip():
                problems.append(f"{where}: English or Welsh text empty")
            elif rule.what_cy.strip() == str(rule.what).strip():
                problems.append(f"{where}: the Welsh text is a copy of the English")
            if isinstance(rule.interval, ByRule):
                target = rule_set.get(rule.interval.number)
                if target is None or isinstance(target.interval, ByRule):
                    problems.append(f"{where}: refers to rule {rule.interval.number}, not a dated rule of its set")
            if rule.long_term_interval is not None and isinstance(rule.interval, ByRule):
                problems.append(f"{where}: a long-term variant needs an interval")
    if problems:
        raise RuleError("timescale rules: " + "; ".join(problems))


check(RULE_SETS)


def rule_set_on(d: date) -> RuleSet:
    """The set in force for a trigger on ``d``."""
    for rule_set in RULE_SETS:
        if (rule_set.starts is None or rule_set.starts <= d) and (rule_set.ends is None or d <= rule_set.ends):
            return rule_set
    raise AssertionError(f"no rule set for {d}")  # check() guarantees the sets cover every date


#: (starts, ends, rules by number) of each set, oldest first: :func:`rule_in_force` is called for every item.
_INDEX: tuple[tuple[date | None, date | None, dict[int, Rule]], ...] = tuple(
    (s.starts, s.ends, {r.number: r for r in s.rules}) for s in RULE_SETS
)


def rule_in_force(number: int, trigger_date: date) -> Rule | None:
    """Rule ``number`` as in force for a trigger on ``trigger_date``; None where the set has no such rule."""
    for starts, ends, by_number in _INDEX:
        if (starts is None or starts <= trigger_date) and (ends is None or trigger_date <= ends):
            return by_number.get(number)
    raise AssertionError(f"no rule set for {trigger_date}")  # check() guarantees the sets cover every date


def _soon_is_working_days(rule: Rule) -> bool:
    interval = rule.interval
    if isinstance(interval, ByRule):
        target = rule_in_force(interval.number, rule.in_force_from or date.min)
        interval = target.interval if target is not None else interval
    return isinstance(interval, Interval) and interval.unit is Unit.WORKING_DAYS


#: :func:`soon_is_working_days` of every declared rule version, by identity (a rule's hash would translate ``what``).
_SOON_IN_WORKING_DAYS: dict[int, bool] = {id(r): _soon_is_working_days(r) for r in ALL_RULES}


def soon_is_working_days(rule: Rule) -> bool:
    """Whether "due soon" is counted in working days (2) rather than calendar days (7) for ``rule``."""
    known = _SOON_IN_WORKING_DAYS.get(id(rule))
    return known if known is not None else _soon_is_working_days(rule)
