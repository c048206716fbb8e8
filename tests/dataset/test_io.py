"""Reading and writing dataset folders: CSV and Parquet alike, round trips and deterministic bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from diogel.dataset.io import empty_tables, read_raw, to_typed, write_tables
from diogel.dataset.schema import TABLE_ORDER, TABLES
from diogel.errors import UserError

from .helpers import LA, write_dataset


def test_csv_and_parquet_read_identically(tmp_path: Path) -> None:
    typed = to_typed(read_raw(write_dataset(tmp_path / "csv")))
    write_tables(typed, tmp_path / "pq", "parquet")
    again = to_typed(read_raw(tmp_path / "pq"))
    for name in TABLE_ORDER:
        assert again[name].equals(typed[name]), name


def test_round_trip_and_deterministic_bytes(tmp_path: Path) -> None:
    typed = to_typed(read_raw(write_dataset(tmp_path / "src")))
    write_tables(typed, tmp_path / "a")
    write_tables(to_typed(read_raw(tmp_path / "a")), tmp_path / "b")
    write_tables(typed, tmp_path / "p1", "parquet")
    write_tables(typed, tmp_path / "p2", "parquet")
    for name in TABLE_ORDER:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()
        assert (tmp_path / "p1" / f"{name}.parquet").read_bytes() == (tmp_path / "p2" / f"{name}.parquet").read_bytes()
    # The hand-written source (helpers.py) is already in canonical form, so writing gives it back byte for byte.
    assert (tmp_path / "a" / "episodes.csv").read_bytes() == (tmp_path / "src" / "episodes.csv").read_bytes()


def test_number_formats(tmp_path: Path) -> None:
    # 12.0 is written "12" (no spurious .0), 185.5 stays, 0.1 keeps its shortest form; dates ISO; null blank.
    frame = pl.DataFrame(
        {
            "LA": [LA, LA, LA],
            "CHILD": ["C1", "C2", "C3"],
            "ACADEMIC_YEAR": [2008, 2009, None],
            "POINTS": [12.0, 185.5, 0.1],
            "NO_QUALIFICATION": ["N", None, "Y"],
        }
    )
    kids = pl.DataFrame({"LA": [LA], "CHILD": ["C1"], "DOB": [dt.date(2001, 2, 3)]})
    write_tables({"education_outcomes": frame, "children": kids}, tmp_path)
    assert (tmp_path / "education_outcomes.csv").read_text() == (
        f"LA,CHILD,ACADEMIC_YEAR,POINTS,NO_QUALIFICATION\n{LA},C1,2008,12,N\n{LA},C2,2009,185.5,\n{LA},C3,,0.1,Y\n"
    )
    assert (
        tmp_path / "children.csv"
    ).read_text() == f"LA,CHILD,SEX,DOB,ETHNIC,UPN,DISABILITY,DOD\n{LA},C1,,2001-02-03,,,,\n"
    # A table not given is written header-only.
    assert (tmp_path / "visits.csv").read_text() == "LA,CHILD,VISIT_DATE,TYPE,SEEN_ALONE\n"


def test_bom_crlf_and_blank_to_null(tmp_path: Path) -> None:
    (tmp_path / "visits.csv").write_bytes(
        b'\xef\xbb\xbfLA,CHILD,VISIT_DATE,TYPE,SEEN_ALONE\r\nW06000015,C1,2009-05-01,LAC,""\r\n'
    )
    raw = read_raw(tmp_path)
    frame = raw.tables["visits"].frame
    assert frame.columns == list(TABLES["visits"].column_names)
    assert frame.row(0) == ("W06000015", "C1", "2009-05-01", "LAC", None)
    assert raw.tables["visits"].file == "visits.csv"
    # An absent table is empty, with the schema's columns, all strings.
    assert raw.tables["episodes"].frame.height == 0
    assert raw.tables["episodes"].file is None


def test_typed_columns(tmp_path: Path) -> None:
    typed = to_typed(read_raw(write_dataset(tmp_path)))
    assert typed["population"].schema["YEAR"] == pl.Int64
    assert typed["children"].schema["DOB"] == pl.Date
    assert typed["children"].schema["DISABILITY"] == pl.String
    assert typed["population"].row(0) == (LA, 2009, 70000)
    assert set(empty_tables()) == set(TABLE_ORDER)
    assert all(t.height == 0 for t in empty_tables().values())


def test_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        read_raw(tmp_path / "nowhere")


def test_unknown_column_refused_when_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NOPE"):
        write_tables({"visits": pl.DataFrame({"NOPE": [1]})}, tmp_path)
