"""What the synthetic Wales is calibrated to: the published all-Wales figures.

The values are those of ``shared/data/wales_published_figures.csv`` (Welsh
Government releases and the WLGA/ADSS Cymru factfile), keyed by indicator and
financial year. Between published years a target is interpolated linearly;
before the first and after the last it is held flat.
"""

from __future__ import annotations

from bisect import bisect_right

PUBLISHED: dict[str, dict[int, float]] = {
    "REF_DECIDED_1WD": {2007: 93, 2008: 95},
    "LAC_CARE_PLAN_AT_PLACEMENT": {2007: 92, 2008: 92},
    "LAC_REVIEWS_ON_TIME": {2007: 89.8, 2008: 91.4},
    "LAC_3PLUS_PLACEMENTS": {2007: 10.3, 2008: 9.7, 2009: 10, 2010: 9},
    "LAC_SCHOOL_CHANGE": {2007: 14.4, 2008: 13.5},
    "LAC_NO_QUALIFICATION": {2005: 18.1, 2006: 14, 2008: 12.1},
    "LAC_SNAPSHOT": {
        2006: 4647, 2007: 4635, 2008: 4695, 2009: 5160, 2010: 5411,
        2011: 5719, 2012: 5763, 2013: 5743, 2014: 5609,
    },
    "CP_SNAPSHOT": {2007: 2320, 2008: 2510, 2009: 2728, 2012: 2950, 2014: 2936},
    "CIN_SNAPSHOT": {2007: 23581, 2009: 25045},
    "IA_7WD": {2011: 69, 2012: 73, 2013: 72},
    "CA_35WD": {2011: 73, 2012: 77, 2013: 81},
    "REREFERRAL_12M": {2011: 30, 2012: 27, 2013: 22},
    "REFERRALS": {2012: 39800, 2013: 35300},
    "CL_IN_TOUCH_19": {2010: 93},
    "CL_EET_19": {2010: 48},
}  # fmt: skip


def target(indicator: str, year: int) -> float:
    """The all-Wales value to aim at in ``year`` (interpolated, held flat outside the data)."""
    points = PUBLISHED[indicator]
    years = sorted(points)
    if year <= years[0]:
        return points[years[0]]
    if year >= years[-1]:
        return points[years[-1]]
    i = bisect_right(years, year)
    y0, y1 = years[i - 1], years[i]
    return points[y0] + (points[y1] - points[y0]) * (year - y0) / (y1 - y0)
