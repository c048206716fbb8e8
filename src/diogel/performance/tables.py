"""The download tables of each page, built from the same query results the page shows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from diogel.indicators.engine import WALES
from diogel.indicators.registry import REGISTRY

from . import present
from .downloads import Table, Value, cell_values, value_only
from .queries import BoardView, ChildList, IndicatorDetail, LAOverview, National


def la_table(o: LAOverview) -> Table:
    rows: list[list[Value]] = []
    for group, items in o.groups:
        for r in items:
            rows.append(
                [
                    present.group_name(group),
                    r.indicator.id,
                    r.indicator.code or "",
                    present.title(r.indicator),
                    *cell_values(r.la),
                    value_only(r.wales),
                    present.better_text(r.indicator.better),
                ]
            )
    return Table(
        name=f"performance-{o.la}-{o.year}",
        title=f"{present.la_name(o.la)} {present.year_label(o.year)}",
        headers=[
            _("Group"),
            _("Indicator"),
            _("Code"),
            _("Title"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Wales"),
            _("Direction"),
        ],
        rows=rows,
        indicators=list(REGISTRY),
        suppressed=o.suppressed,
    )


def indicator_table(d: IndicatorDetail) -> Table:
    rows: list[list[Value]] = [
        [c.la, present.la_name(c.la), *cell_values(c.cell), c.position.value if c.position else ""]
        for c in d.comparison
    ]
    rows.append([WALES, present.la_name(WALES), *cell_values(d.wales), ""])
    return Table(
        name=f"{d.indicator.id}-{d.year}",
        title=f"{present.title(d.indicator)} {present.year_label(d.year)}",
        headers=[
            _("LA code"),
            _("Local authority"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Funnel position"),
        ],
        rows=rows,
        indicators=[d.indicator],
        suppressed=any(c.cell.suppressed for c in d.comparison),
    )


def national_table(n: National) -> Table:
    rows: list[list[Value]] = []
    for _group, items in n.groups:
        for r in items:
            rows.append([r.indicator.id, present.title(r.indicator), *(value_only(c) for c in r.cells)])
    return Table(
        name=f"performance-wales-{n.year}",
        title=" ".join((_("All local authorities"), present.year_label(n.year))),
        headers=[_("Indicator"), _("Title"), *(present.la_name(c) for c in (*n.las, WALES))],
        rows=rows,
        indicators=list(REGISTRY),
        suppressed=True,
    )


def board_table(b: BoardView) -> Table:
    rows: list[list[Value]] = []
    for t in (*b.partnership, *b.protection):
        rows.append([t.indicator.id, present.title(t.indicator), *(value_only(c) for c in t.cells)])
    rows.append([])
    rows.append([_("Agency"), _("Invited"), *(present.title(t.indicator) for t in b.partnership)])
    for a in b.agencies:
        rows.append([a.agency, value_only(a.invited), *(value_only(c) for c in a.cells)])
    return Table(
        name=f"performance-{b.region.slug}-{b.year}",
        title=f"{b.region.name} {present.year_label(b.year)}",
        headers=[
            _("Indicator"),
            _("Title"),
            *(present.la_name(c) for c in b.las),
            b.region.name,
            present.la_name(WALES),
        ],
        rows=rows,
        indicators=[t.indicator for t in (*b.partnership, *b.protection)],
        suppressed=True,
    )


def child_table(c: ChildList) -> Table:
    rows: list[list[Value]] = [
        [u.child_label, u.unit, _("yes") if u.in_numerator else _("no"), u.reason] for u in c.units
    ]
    return Table(
        name=f"{c.indicator.id}-{c.la}-{c.year}-children",
        title=f"{present.title(c.indicator)} {present.la_name(c.la)} {present.year_label(c.year)}",
        headers=[_("Child"), _("Unit"), _("In the numerator"), _("Reason")],
        rows=rows,
        indicators=[c.indicator],
    )
