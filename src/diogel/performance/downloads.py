"""Every table of the performance pages as CSV or XLSX (openpyxl); XLSX adds a sheet of definitions.

A table is headers and rows of plain values; suppressed figures are written
as ``[c]``, blanks as empty cells. The CSV carries the table only (one table
per file, as spreadsheets expect); the XLSX has the table on its first sheet
and, on a second sheet "Definitions", every indicator in it with its id,
legacy code, title, description, kind, direction and the spec's definition,
then the suppression rule when it applied.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from diogel.indicators.registry import Indicator

from . import present

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    name: str  # file name stem, ASCII
    title: str
    headers: list[str]
    rows: list[list[Value]]
    indicators: Sequence[Indicator] = field(default_factory=list)
    suppressed: bool = False


def cell_values(cell: object) -> list[Value]:
    """Numerator, denominator, value of a :class:`~.queries.Cell` as cells of a download."""
    if getattr(cell, "suppressed", False):
        return [present.SUPPRESSED] * 3
    return [getattr(cell, "numerator", None), getattr(cell, "denominator", None), getattr(cell, "value", None)]


def value_only(cell: object) -> Value:
    if getattr(cell, "suppressed", False):
        return present.SUPPRESSED
    return getattr(cell, "value", None)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets then read Welsh letters right


def definition_rows(table: Table) -> list[list[Value]]:
    rows: list[list[Value]] = [
        [_("Indicator"), _("Code"), _("Title"), _("Description"), _("Kind"), _("Direction"), _("Definition")]
    ]
    for ind in table.indicators:
        rows.append(
            [
                ind.id,
                ind.code or "",
                present.title(ind),
                present.description(ind),
                present.kind_text(ind.kind),
                present.better_text(ind.better),
                ind.definition,
            ]
        )
    if table.suppressed:
        rows.append([])
        rows.append([present.SUPPRESSED, _("Suppressed: the numerator or the denominator is between 1 and 4.")])
    return rows


def to_xlsx(table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Table")[:31]
    ws.append([table.title])
    ws["A1"].font = Font(bold=True)
    ws.append(table.headers)
    for c in ws[2]:
        c.font = Font(bold=True)
    for row in table.rows:
        ws.append(row)
    defs = wb.create_sheet(_("Definitions")[:31])
    for row in definition_rows(table):
        defs.append(row)
    for c in defs[1]:
        c.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
