"""A small, hand-made typed dataset touching every table and column of the standard.

Two LAs (Anglesey W06000001 and Gwynedd W06000002) and the same CHILD "C1" in
both, so that "unique within an LA" is exercised; blanks (None) in optional
columns of every type; two siblings sharing a conference; an SW_ID used by
two children; an anonymous feedback answer. Frames are built with polars
directly (the typed-frame convention: schema order, Date / Int64 / Float64 /
String), so these tests do not depend on ``diogel.dataset.io``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from diogel.dataset.schema import TABLES, ColumnType

AB = "W06000001"
GW = "W06000002"

_DTYPES: dict[ColumnType, Any] = {
    ColumnType.DATE: pl.Date,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.NUMBER: pl.Float64,
    ColumnType.STRING: pl.String,
    ColumnType.FLAG: pl.String,
}


def frame(table: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """A typed frame of ``table`` from rows given in schema column order."""
    t = TABLES[table]
    return pl.DataFrame(rows, schema={c.name: _DTYPES[c.type] for c in t.columns}, orient="row")


def d(text: str) -> date:
    return date.fromisoformat(text)


def typed_dataset() -> dict[str, pl.DataFrame]:
    rows: dict[str, list[tuple[Any, ...]]] = {
        "children": [
            (AB, "C1", "1", d("2001-05-02"), "WBRI", "A123456789012", "N", None),
            (AB, "C2", "2", d("2003-07-09"), None, None, "Y", None),
            (AB, "C3", "9", None, "WOTH", None, None, d("2012-01-01")),
            (GW, "C1", "2", d("1990-01-31"), "MWBC", None, "N", None),
        ],
        "referrals": [
            (AB, "C1", "R1", d("2009-04-01"), "POLICE", d("2009-04-02"), "S47", "N1", None),
            (AB, "C2", "R2", d("2009-04-01"), "HEALTH", d("2009-04-01"), "IA", "N2", d("2010-01-01")),
            (AB, "C3", "R3", d("2009-06-01"), None, None, None, None, None),
            (GW, "C1", "R1", d("2008-02-01"), "ANONYMOUS", d("2008-02-05"), "NFA", "N9", d("2008-02-05")),
        ],
        "assessments": [
            (AB, "C1", "A1", "R1", "INITIAL", d("2009-04-02"), d("2009-04-10"), "Y", "N"),
            (AB, "C1", "A2", "R1", "CORE", d("2009-04-11"), None, None, None),
            (AB, "C2", "A3", "R2", "INITIAL", d("2009-04-01"), d("2009-04-01"), "N", "N"),
        ],
        "cp_conferences": [
            (AB, "C1", "K1", "INITIAL", d("2009-04-03"), d("2009-04-20"), "REGISTER"),
            (AB, "C2", "K1", "INITIAL", d("2009-04-03"), d("2009-04-20"), "NOT_REGISTER"),
            (GW, "C1", "K1", "TRANSFER_IN", None, d("2008-03-01"), None),
        ],
        "conference_agencies": [
            (AB, "K1", "HEALTH", "Y", "Y"),
            (AB, "K1", "POLICE", "N", None),
            (GW, "K1", "EDUCATION", "Y", "N"),
        ],
        "cp_registrations": [
            (AB, "C1", "G1", d("2009-04-20"), "NEG", d("2009-04-30"), d("2010-04-20")),
            (AB, "C1", "G2", d("2011-01-05"), "MUL", None, None),
            (GW, "C1", "G1", d("2008-03-01"), "EMO", d("2008-03-10"), None),
        ],
        "cp_reviews": [
            (AB, "C1", "G1", d("2009-07-20")),
            (AB, "C1", "G1", d("2010-01-20")),
            (GW, "C1", "G1", None),
        ],
        "episodes": [
            # C1 of Anglesey: a period of care of two episodes, the second starting on the DEC of the first.
            (
                AB,
                "C1",
                d("2010-05-01"),
                "S",
                "C2",
                "N1",
                "U1",
                "PR1",
                d("2010-08-01"),
                "X1",
                None,
                "LL65",
                "LL77",
                "SC1",
            ),
            (AB, "C1", d("2010-08-01"), "P", "C2", "N1", "P1", "PR0", None, None, "CARPL", None, None, None),
            (AB, "C2", d("2009-01-01"), "S", "V2", "N2", "H5", "PR4", d("2009-01-01"), "E8", None, None, None, None),
            (GW, "C1", d("2007-01-01"), "S", "E1", "N1", "A3", None, d("2008-01-31"), "E11", None, "LL55", None, None),
        ],
        "care_plans": [
            (AB, "C1", "P1", "CARE_PLAN", d("2010-05-01"), None),
            (AB, "C1", "P2", "CP_PLAN", d("2009-04-20"), d("2010-04-20")),
            (GW, "C1", "P1", "PATHWAY_PLAN", None, None),
        ],
        "lac_reviews": [(AB, "C1", d("2010-05-20"), "PN1"), (AB, "C1", d("2010-05-20"), "PN1"), (GW, "C1", None, None)],
        "school_changes": [(AB, "C1", d("2010-09-01"), "N"), (GW, "C1", d("2001-09-01"), None)],
        "education_outcomes": [(AB, "C1", 2016, 212.5, "N"), (GW, "C1", 2005, None, "Y"), (AB, "C2", None, 0.0, None)],
        "care_leavers": [(GW, "C1", d("2009-01-31"), "YES", "F1", "B1"), (AB, "C3", None, "NO", None, None)],
        "social_worker_episodes": [
            (AB, "C1", "SW7", d("2009-04-02"), d("2010-01-01")),
            (AB, "C2", "SW7", d("2009-04-02"), None),
            (GW, "C1", "SW7", None, None),
        ],
        "visits": [(AB, "C1", d("2010-05-08"), "LAC", "Y"), (AB, "C1", d("2009-05-01"), "CP", None)],
        "feedback": [
            (AB, "C1", d("2011-02-01"), "SAFE", "YES"),
            (AB, None, d("2011-02-01"), "LISTENED", "SOMETIMES"),
            (GW, None, None, None, None),
        ],
        "population": [(AB, 2009, 14000), (GW, 2009, None), (GW, 2010, 24100)],
    }
    return {name: frame(name, rows.get(name, [])) for name in TABLES}


def canonical(df: pl.DataFrame) -> pl.DataFrame:
    """The frame sorted by all its columns, so that frames equal up to row order compare equal."""
    return df.sort(df.columns, nulls_last=False)
