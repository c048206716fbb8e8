"""JSON API of the performance area, mounted under /api/v1/performance (session auth).

The same query functions as the pages, so the same scope and suppression:
suppressed figures come back as ``null`` with ``suppressed: true``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from . import queries

router = Router(tags=["performance"])


class CellOut(Schema):
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool


class IndicatorOut(Schema):
    indicator: str
    la: CellOut
    wales: CellOut


class LAOut(Schema):
    la: str
    year: int
    years: list[int]
    computed_at: str
    results: list[IndicatorOut]


class ComparisonOut(Schema):
    la: str
    cell: CellOut
    position: str | None


class IndicatorDetailOut(Schema):
    indicator: str
    la: str
    year: int
    computed_at: str
    trend: list[dict[str, object]]
    comparison: list[ComparisonOut]
    wales: CellOut


def _cell(c: queries.Cell) -> CellOut:
    return CellOut(numerator=c.numerator, denominator=c.denominator, value=c.value, suppressed=c.suppressed)


def _year(year: int | None) -> int | None:
    return year


@router.get("/la/{la}", response=LAOut)
def la_results(request: HttpRequest, la: str, year: int | None = None) -> LAOut:
    o = queries.la_overview(request.user, la, _year(year))
    return LAOut(
        la=o.la,
        year=o.year,
        years=o.years,
        computed_at=o.result_set.computed_at.isoformat(),
        results=[
            IndicatorOut(indicator=r.indicator.id, la=_cell(r.la), wales=_cell(r.wales))
            for _g, rows in o.groups
            for r in rows
        ],
    )


@router.get("/la/{la}/{indicator}", response=IndicatorDetailOut)
def indicator_results(request: HttpRequest, la: str, indicator: str, year: int | None = None) -> IndicatorDetailOut:
    d = queries.indicator_detail(request.user, la, indicator, _year(year))
    return IndicatorDetailOut(
        indicator=d.indicator.id,
        la=d.la,
        year=d.year,
        computed_at=d.result_set.computed_at.isoformat(),
        trend=[{"year": t.year, "la": _cell(t.la).dict(), "wales": _cell(t.wales).dict()} for t in d.trend],
        comparison=[
            ComparisonOut(la=c.la, cell=_cell(c.cell), position=c.position.value if c.position else None)
            for c in d.comparison
        ],
        wales=_cell(d.wales),
    )
