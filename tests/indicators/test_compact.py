"""The engine's compact tables: Categorical codes and keys, only the columns and rows it reads.

The engine works on the :data:`~diogel.indicators.common.ENGINE_COLUMNS` of each table, with LA,
CHILD, codes and flags as ``pl.Categorical`` (``ensure_tables``), and a folder can be read straight
into that form (``diogel.dataset.io.read_tables``). Nothing of this may change a number or a
reason: comparisons with a string, joins between tables typed separately, sorting (by the text,
not by the order in which polars first met a string), blanks, and the visits left out before the
cast are checked here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from diogel.dataset.io import read_tables, write_tables
from diogel.dataset.schema import TABLE_ORDER
from diogel.indicators.common import ENGINE_COLUMNS, engine_schema, ensure_tables, row_filters
from diogel.indicators.engine import children, evaluate

from .builder import CARDIFF, SWANSEA, Dataset
from .test_engine import YEARS, random_dataset


def _categorical(tables: dict[str, pl.DataFrame], reverse: bool) -> dict[str, pl.DataFrame]:
    """Every String column cast to Categorical, table by table (each on its own, as separate sources would)."""
    out = {}
    for name, frame in tables.items():
        if reverse:  # rows in reverse order while the categories are first met: physical order ≠ text order
            frame = frame.reverse()
        frame = frame.with_columns(pl.col(pl.String).cast(pl.Categorical))
        out[name] = frame.reverse() if reverse else frame
    return out


def test_engine_types_and_columns() -> None:
    full = ensure_tables(Dataset().tables())
    assert list(full) == list(TABLE_ORDER)
    assert {n: tuple(f.columns) for n, f in full.items()} == ENGINE_COLUMNS
    assert full["visits"].schema == pl.Schema(
        {"LA": pl.Categorical(), "CHILD": pl.Categorical(), "VISIT_DATE": pl.Date(), "TYPE": pl.Categorical()}
    )
    # identifiers (one value a row) and ACCOM (a string function reads it) stay String
    assert full["referrals"].schema["REFERRAL_ID"] == pl.String
    assert full["care_leavers"].schema["ACCOM"] == pl.String
    assert full["education_outcomes"].schema["POINTS"] == pl.Float64
    # a frame already in the engine's form is used as it is
    again = ensure_tables(full)
    assert all(again[n] is full[n] for n in TABLE_ORDER)


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "reversed categories"])
def test_categorical_input_gives_the_same_results_and_reasons(reverse: bool) -> None:
    tables = random_dataset(11).tables()
    expected = evaluate(tables, YEARS)
    compact = _categorical(tables, reverse)
    assert evaluate(compact, YEARS) == expected
    for ind in ("LAC_3PLUS_PLACEMENTS", "LAC_SW_CHANGES", "CP_REVIEWS_ON_TIME", "LAC_REVIEWS_ON_TIME", "IA_7WD"):
        for la in (CARDIFF, SWANSEA):
            assert children(compact, ind, la, 2008) == children(tables, ind, la, 2008)


def _looked_after(ds: Dataset, child: str) -> None:
    ds.episode(child, "2007-01-01", "S", place="F1")


def test_social_workers_listed_by_their_text() -> None:
    # "SW9z" is met first by polars (physical order SW9z, SW10z, SW11z); the reason lists by text.
    pl.Series(["SW9z", "SW10z", "SW11z"], dtype=pl.Categorical)
    ds = Dataset()
    _looked_after(ds, "C1")
    ds.sw_episode("C1", "SW9z", "2008-04-01", "2008-06-01")
    ds.sw_episode("C1", "SW10z", "2008-06-01", "2008-09-01")
    ds.sw_episode("C1", "SW11z", "2008-09-01")
    tables = _categorical(ds.tables(), reverse=False)
    (unit,) = children(tables, "LAC_SW_CHANGES", CARDIFF, 2008)
    assert unit.in_numerator
    assert unit.reason == "looked after on 2009-03-31; 3 social worker(s) in the year (SW10z, SW11z, SW9z)"


def test_care_plan_chosen_by_its_text() -> None:
    # Two care plans in place on the first placement: the reason names the first by text, P10y.
    pl.Series(["P9y", "P10y"], dtype=pl.Categorical)
    ds = Dataset()
    ds.episode("C1", "2008-05-01", "S", place="F1")
    ds.care_plan("C1", "P9y", "CARE_PLAN", "2008-04-01")
    ds.care_plan("C1", "P10y", "CARE_PLAN", "2008-04-20")
    tables = _categorical(ds.tables(), reverse=False)
    (unit,) = children(tables, "LAC_CARE_PLAN_AT_PLACEMENT", CARDIFF, 2008)
    assert unit.reason == "started to be looked after 2008-05-01; care plan P10y in place (from 2008-04-01)"


def test_codes_outside_the_lists_and_blanks() -> None:
    # A code no list has (never met by polars) compares as unequal, not as an error; blank is blank.
    ds = Dataset()
    ds.referral("C1", "R1", "2008-05-02", decision_date="2008-05-02", decision="QQ-not-a-code")
    ds.assessment(
        "C1", "A1", "R1", "INITIAL", start_date="2008-05-02", completed_date="2008-05-06", seen="Y", seen_alone=None
    )
    ds.assessment("C1", "A2", "R1", "ZZ-not-a-type", start_date="2008-05-02", completed_date="2008-05-06", seen="Y")
    ds.lac_review("C1", "2008-06-01", code="PN99-not-a-code")
    ds.lac_review("C1", "2008-07-01", code=None)
    for tables in (ds.tables(), _categorical(ds.tables(), reverse=False)):
        got = {r.indicator: (r.numerator, r.denominator) for r in evaluate(tables, [2008], las=[CARDIFF])}
        assert got["IA_SEEN"] == (1, 1)  # only A1 is INITIAL
        assert got["IA_SEEN_ALONE"] == (0, 1)  # blank SEEN_ALONE is not Y
        assert got["CIN_SNAPSHOT"] == (0, None)  # QQ is neither IA nor S47
        assert got["LAC_REVIEW_PARTICIPATION"] == (0, 2)  # both are "other than PN0", neither PN1-PN6
        reasons = [u.reason for u in children(tables, "LAC_REVIEW_PARTICIPATION", CARDIFF, 2008)]
        assert reasons == ["held 2008-06-01, participation PN99-not-a-code", "held 2008-07-01, participation blank"]


def test_joins_between_tables_typed_separately(tmp_path: Path) -> None:
    # referrals read from a file as Categorical, assessments built in memory as String: the
    # assessment finds its referral's date: 2 May 2008 to 14 May is 7 working days (5 May a bank
    # holiday), to 15 May 8.
    ds = Dataset()
    ds.referral("C1", "R1", "2008-05-02", decision="IA")
    ds.assessment("C1", "A1", "R1", "INITIAL", start_date="2008-05-02", completed_date="2008-05-14")
    ds.assessment("C1", "A2", "R1", "INITIAL", start_date="2008-05-02", completed_date="2008-05-15")
    write_tables(ds.tables(), tmp_path, "csv")
    read = read_tables(tmp_path, {"referrals": engine_schema("referrals"), "children": engine_schema("children")})
    assert read["referrals"].schema["LA"] == pl.Categorical
    mixed = {**ds.tables(), **read}
    (r,) = evaluate(mixed, [2008], indicators=["IA_7WD"], las=[CARDIFF])
    assert (r.numerator, r.denominator) == (1, 2)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_tables_equals_ensure_tables(tmp_path: Path, fmt: str) -> None:
    tables = random_dataset(5).tables()
    write_tables(tables, tmp_path, fmt)  # type: ignore[arg-type]
    read = read_tables(tmp_path, {n: engine_schema(n) for n in TABLE_ORDER})
    expected = ensure_tables(tables)
    for name in TABLE_ORDER:
        assert read[name].schema == expected[name].schema, name
        assert (
            read[name]
            .with_columns(pl.col(pl.Categorical).cast(pl.String))
            .equals(expected[name].with_columns(pl.col(pl.Categorical).cast(pl.String)))
        ), name
    assert read["episodes"]["PL_POST"].null_count() > 0  # blanks are null, not ""
    assert evaluate(read, YEARS) == evaluate(tables, YEARS)


def test_read_tables_missing_files_columns_and_filters(tmp_path: Path) -> None:
    (tmp_path / "visits.csv").write_text(
        "LA,CHILD,VISIT_DATE,TYPE\n"
        f"{CARDIFF},C1,2009-02-17,LAC\n"  # 42 days before the 2008 snapshot: left out
        f"{CARDIFF},C1,2009-02-18,LAC\n"  # 41 days before: kept
        f"{CARDIFF},C2,2009-03-31,LAC\n"  # the snapshot: kept
        f"{CARDIFF},C3,2009-04-01,LAC\n"  # after it: left out
        f"{CARDIFF},C4,2009-03-01,CP\n"  # not LAC: left out
        f"{CARDIFF},C5,,LAC\n"  # blank date: left out
        f"{CARDIFF},C6,2010-03-31,\n"  # blank TYPE: left out
        f"{CARDIFF},C7,2010-03-01,LAC\n",  # in the window of 2009 only
        encoding="utf-8",
    )
    schemas = {"visits": engine_schema("visits"), "feedback": engine_schema("feedback")}
    read = read_tables(tmp_path, schemas, row_filters([2008]))
    assert read["visits"].rows() == [
        (CARDIFF, "C1", dt.date(2009, 2, 18), "LAC"),
        (CARDIFF, "C2", dt.date(2009, 3, 31), "LAC"),
    ]
    assert read["feedback"].height == 0 and read["feedback"].schema == engine_schema("feedback")
    both = read_tables(tmp_path, schemas, row_filters([2008, 2009]))
    assert both["visits"]["CHILD"].to_list() == ["C1", "C2", "C7"]
    unfiltered = read_tables(tmp_path, schemas)
    assert unfiltered["visits"].height == 8
    assert unfiltered["visits"]["TYPE"].null_count() == 1


def test_visits_left_out_change_nothing() -> None:
    tables = random_dataset(7).tables()
    full = evaluate(tables, YEARS)
    kept = ensure_tables(tables, YEARS)["visits"]
    assert 0 < kept.height < tables["visits"].height
    assert evaluate({**tables, "visits": kept}, YEARS) == full
    one = [dataclasses.astuple(r) for r in evaluate(tables, [2008])]
    assert one == [dataclasses.astuple(r) for r in full if r.year == 2008]
    # years with a gap: the rows left out before the years (visits, early referrals, late reviews)
    # are chosen from the first and last year asked for, and change nothing in either
    gap = [dataclasses.astuple(r) for r in evaluate(tables, [2007, 2009])]
    assert gap == [dataclasses.astuple(r) for r in full if r.year in (2007, 2009)]


def test_visits_without_the_filtered_columns() -> None:
    # A visits frame lacking TYPE (blank, so no LAC visit) is filtered after the blank column is added.
    tables = random_dataset(7).tables()
    tables["visits"] = tables["visits"].drop("TYPE")
    (r,) = evaluate(tables, [2008], indicators=["LAC_VISITED_6W"], las=[CARDIFF])
    assert r.numerator == 0 and r.denominator > 0
    assert ensure_tables(tables, [2008])["visits"].height == 0
