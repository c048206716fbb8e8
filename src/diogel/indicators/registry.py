"""The registry: every indicator of ``shared/spec/indicators.md`` as one frozen declaration.

An :class:`Indicator` pairs what a person reads (id, legacy code, English and
Welsh title and description, kind, which direction is better, group, unit,
the spec's definition) with how its units are found (``units``: a function
from a :class:`~diogel.indicators.common.Context` to a lazy frame of units) and
how one unit is described to a team manager (``label`` and ``reason``).

The declarations themselves live in ``definitions/`` by group;
:data:`REGISTRY` collects them in spec order and :func:`check` verifies the
whole at import time (unique ids, every spec id present, Welsh present …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from diogel.indicators.common import UnitsFn


class Kind(StrEnum):
    RATE = "rate"
    AVERAGE = "average"
    COUNT = "count"
    RATE_10K = "rate per 10,000"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Group(StrEnum):
    """The groups of the spec, in its order."""

    REFERRALS = "Referrals and assessments"
    CHILD_PROTECTION = "Child protection"
    LOOKED_AFTER = "Looked-after children"
    CARE_LEAVERS = "Care leavers"
    VOICE = "Children's voice and partnership"
    COUNTS = "Counts and rates at the snapshot"

    @property
    def welsh(self) -> str:
        return _GROUP_CY[self]


_GROUP_CY = {
    Group.REFERRALS: "Atgyfeiriadau ac asesiadau",
    Group.CHILD_PROTECTION: "Amddiffyn plant",
    Group.LOOKED_AFTER: "Plant sy'n derbyn gofal",
    Group.CARE_LEAVERS: "Pobl ifanc sy'n gadael gofal",
    Group.VOICE: "Llais plant a gwaith partneriaeth",
    Group.COUNTS: "Cyfrifon a chyfraddau ar ddyddiad y cipolwg",
}


class UnitKind(StrEnum):
    """What one unit of the denominator (or of the count) is."""

    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    CONFERENCE = "conference"
    REGISTRATION = "registration"
    REVIEW = "review"
    EPISODE = "episode"
    CHILD = "child"
    CARE_LEAVER = "care leaver (OC3 row)"
    OUTCOME = "education outcome row"
    ANSWER = "questionnaire answer"
    INVITATION = "agency invitation"


Row = Mapping[str, Any]


@dataclass(frozen=True)
class Indicator:
    """One indicator: its metadata and how its units are found and explained.

    ``units(ctx)`` returns a lazy frame with ``LA``, ``CHILD`` (null when the
    unit has no child), ``YEAR``, ``NUM`` (in the numerator; for averages:
    counted) and, for averages, ``VAL`` (the amount averaged), plus whatever
    columns ``label`` and ``reason`` read. ``per_10k`` is True for the rates per
    10,000, whose units are those of the count they divide.
    """

    id: str
    code: str | None
    title_en: str
    title_cy: str
    description_en: str
    description_cy: str
    kind: Kind
    better: Better
    group: Group
    unit: UnitKind
    definition: str
    units: UnitsFn
    label: Callable[[Row], str]
    reason: Callable[[Row], str]


# The ids of indicators.md, in its order (the start-up check holds the registry to this list).
SPEC_IDS: tuple[str, ...] = (
    "REF_DECIDED_1WD", "REREFERRAL_12M", "IA_7WD", "IA_LATE_AVG_WD", "IA_SEEN", "IA_SEEN_ALONE", "CA_35WD",
    "CA_LATE_AVG_WD",
    "ICPC_15WD", "CORE_GROUP_10WD", "CP_REVIEWS_ON_TIME", "CP_REREGISTRATION", "CP_DURATION_AVG_DAYS",
    "LAC_CARE_PLAN_AT_PLACEMENT", "LAC_3PLUS_PLACEMENTS", "LAC_SCHOOL_CHANGE", "LAC_REVIEWS_ON_TIME",
    "LAC_REVIEW_PARTICIPATION", "LAC_VISITED_6W", "LAC_SW_CHANGES", "LAC_NO_QUALIFICATION", "LAC_QUAL_POINTS_AVG",
    "CL_IN_TOUCH_19", "CL_ACCOM_19", "CL_EET_19", "CL_PATHWAY_PLAN_19",
    "FEEDBACK_SAFE", "FEEDBACK_HOME_HAPPY", "FEEDBACK_KNOW_WHO", "FEEDBACK_LISTENED", "FEEDBACK_RESPECT",
    "ICPC_AGENCY_REPORTS", "ICPC_AGENCY_ATTENDANCE",
    "REFERRALS", "LAC_SNAPSHOT", "CP_SNAPSHOT", "CIN_SNAPSHOT", "LAC_RATE_10K", "CP_RATE_10K", "CIN_RATE_10K",
)  # fmt: skip


class RegistryError(Exception):
    """The registry is inconsistent: a defect in Diogel, found at start-up."""


def check(indicators: tuple[Indicator, ...]) -> None:
    """Verify the registry as a whole; raise :class:`RegistryError` listing every problem."""
    problems: list[str] = []
    ids = [i.id for i in indicators]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate ids: {', '.join(dupes)}")
    missing = [i for i in SPEC_IDS if i not in ids]
    if missing:
        problems.append(f"spec ids not declared: {', '.join(missing)}")
    extra = [i for i in ids if i not in SPEC_IDS]
    if extra:
        problems.append(f"ids not in the spec: {', '.join(extra)}")
    codes = [i.code for i in indicators if i.code]
    dup_codes = sorted({c for c in codes if codes.count(c) > 1})
    if dup_codes:
        problems.append(f"duplicate legacy codes: {', '.join(dup_codes)}")
    for ind in indicators:
        for name in ("title_en", "title_cy", "description_en", "description_cy", "definition"):
            if not getattr(ind, name).strip():
                problems.append(f"{ind.id}: {name} is empty")
        if ind.title_cy.strip() == ind.title_en.strip() or ind.description_cy.strip() == ind.description_en.strip():
            problems.append(f"{ind.id}: the Welsh text is a copy of the English")
        if ind.kind in (Kind.COUNT, Kind.RATE_10K) and ind.group is not Group.COUNTS:
            problems.append(f"{ind.id}: a {ind.kind} belongs in the group {Group.COUNTS}")
        if ind.kind is Kind.AVERAGE and "Average" not in ind.definition:
            problems.append(f"{ind.id}: an average whose definition does not say so")
    if problems:
        raise RegistryError("indicator registry: " + "; ".join(problems))


def _collect() -> tuple[Indicator, ...]:
    from diogel.indicators.definitions import (
        care_leavers,
        child_protection,
        counts,
        looked_after,
        referrals,
        voice,
    )

    found: list[Indicator] = []
    for module in (referrals, child_protection, looked_after, care_leavers, voice, counts):
        found.extend(module.INDICATORS)
    return tuple(found)


REGISTRY: tuple[Indicator, ...] = _collect()
check(REGISTRY)
BY_ID: dict[str, Indicator] = {i.id: i for i in REGISTRY}
