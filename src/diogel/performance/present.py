"""How figures are written for a person: in the page's language, numbers grouped, rates as percentages."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diogel.dataset import schema
from diogel.indicators.engine import WALES
from diogel.indicators.registry import Better, Group, Indicator, Kind

SUPPRESSED = "[c]"  # the statistical convention for "confidential" (explained on every page)


def welsh() -> bool:
    return (get_language() or "en").startswith("cy")


def title(ind: Indicator) -> str:
    return ind.title_cy if welsh() else ind.title_en


def description(ind: Indicator) -> str:
    return ind.description_cy if welsh() else ind.description_en


def group_name(group: Group) -> str:
    return group.welsh if welsh() else str(group.value)


_LA_NAMES = {la.code: (la.name_en, la.name_cy) for la in schema.local_authorities()}


def la_name(code: str) -> str:
    if code == WALES:
        return _("Wales")
    names = _LA_NAMES.get(code)
    if names is None:
        return code
    return names[1] if welsh() else names[0]


def year_label(year: int) -> str:
    """The financial year as "2013-14"."""
    return f"{year}-{(year + 1) % 100:02d}"


def better_text(better: Better) -> str:
    if better is Better.HIGHER:
        return _("Higher is better")
    if better is Better.LOWER:
        return _("Lower is better")
    return _("Neither higher nor lower is better")


def kind_text(kind: Kind) -> str:
    return {
        Kind.RATE: _("percentage"),
        Kind.AVERAGE: _("average"),
        Kind.COUNT: _("count"),
        Kind.RATE_10K: _("rate per 10,000 children"),
    }[kind]


def number(x: float | None, decimals: int = 0) -> str:
    if x is None:
        return ""
    if decimals == 0 and float(x) != int(x):
        decimals = 1
    return number_format(round(float(x), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def value(kind: Kind, v: float | None) -> str:
    """A value as read on a page: "45.3%", "12.4", "1,234"; blank when there is none."""
    if v is None:
        return ""
    if kind is Kind.RATE:
        return number(v, 1) + "%"
    if kind is Kind.COUNT:
        return number(v, 0)
    return number(v, 1)
