"""Property: for generated typed datasets T, export_dataset() after import_dataset(T) equals T up to row order.

The generator covers the tables whose rows have no rules *between* rows beyond
unique keys (children, referrals, the per-child event tables, feedback,
population), with every column's whole range: every code, blanks, Welsh and
other non-ASCII text, extreme dates and numbers. The hand-made dataset in
``test_dataset_db`` covers the linked tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from diogel.dataset import db
from diogel.dataset.schema import TABLE_ORDER, TABLES, ColumnType

from .dataset import canonical, frame
from .test_dataset_db import _wipe

pytestmark = pytest.mark.django_db

LAS = ("W06000001", "W06000022")
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=10)
DATES = st.none() | st.dates(date(1900, 1, 1), date(2099, 12, 31))


def _value(table: str, column: str) -> st.SearchStrategy[Any]:
    col = TABLES[table].column(column)
    if col.codes is not None:
        return st.none() | st.sampled_from(sorted(col.codes))
    if col.pattern is not None:  # ACCOM
        return st.none() | st.from_regex(col.pattern, fullmatch=True)
    if col.type is ColumnType.DATE:
        return DATES
    if col.type is ColumnType.INTEGER:
        return st.none() | st.integers(-(2**31), 2**31 - 1)
    if col.type is ColumnType.NUMBER:
        return st.none() | st.floats(allow_nan=False, allow_infinity=False)
    return st.none() | TEXT


def _rows(table: str, children: list[tuple[str, str]], fixed: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    """Rows of ``table`` for existing children; the first ``fixed`` columns (LA, CHILD) come from ``children``."""
    rest = TABLES[table].column_names[fixed:]
    row = st.tuples(st.sampled_from(children), st.tuples(*(_value(table, c) for c in rest)))
    return st.lists(row, max_size=6).map(lambda rows: [(*k, *v) for k, v in rows])


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    refs = draw(st.lists(st.tuples(st.sampled_from(LAS), TEXT), min_size=1, max_size=6, unique=True))
    children = [
        (la, ref, *draw(st.tuples(*(_value("children", c) for c in TABLES["children"].column_names[2:]))))
        for la, ref in refs
    ]
    tables: dict[str, list[tuple[Any, ...]]] = {"children": children}
    keys = [(la, ref) for la, ref in refs]
    for name in ("visits", "lac_reviews", "school_changes", "education_outcomes", "care_leavers"):
        tables[name] = draw(_rows(name, keys, 2))
    # Feedback may be anonymous: CHILD blank.
    tables["feedback"] = draw(_rows("feedback", [*keys, *((la, None) for la in LAS)], 2))
    # Referrals: unique REFERRAL_ID within the LA, decision and closure not before the referral.
    referrals = []
    for i, (la, ref) in enumerate(draw(st.lists(st.sampled_from(keys), max_size=5))):
        start = draw(DATES)
        later = st.none() if start is None else st.none() | st.dates(start, date(2099, 12, 31))
        referrals.append(
            (la, ref, f"R{i}", start, draw(_value("referrals", "SOURCE")), draw(later),
             draw(_value("referrals", "DECISION")), draw(_value("referrals", "PRIMARY_NEED")), draw(later))
        )  # fmt: skip
    tables["referrals"] = referrals
    years = draw(st.lists(st.tuples(st.sampled_from(LAS), st.integers(1990, 2040)), max_size=4, unique=True))
    tables["population"] = [(la, y, draw(_value("population", "AGE_0_17"))) for la, y in years]
    return {name: frame(name, tables.get(name, [])) for name in TABLE_ORDER}


@settings(max_examples=20, deadline=None)
@given(datasets())
def test_export_after_import_equals_the_dataset(data: dict[str, pl.DataFrame]) -> None:
    _wipe()  # examples share the test's transaction
    db.import_dataset(data)
    out = db.export_dataset()
    for name in TABLE_ORDER:
        assert_frame_equal(canonical(out[name]), canonical(data[name]), check_dtypes=True, check_exact=True)
