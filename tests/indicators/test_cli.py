"""``diogel indicators``: formats, series, ``--children``, errors, and ``--from-db`` = ``--dataset``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from diogel.cli import main
from diogel.dataset.io import write_tables
from diogel.indicators.engine import evaluate

from .builder import CARDIFF, SWANSEA, Dataset


def small() -> Dataset:
    """Two LAs; hand-worked numbers below refer to these rows."""
    ds = Dataset()
    # Cardiff, 2008-09: R1 received Fri 2008-05-02, decided Tue 2008-05-06. Mon 5 May 2008 was the
    # early May bank holiday, so WD = 1 (only 6 May counts): within 1 working day.
    ds.referral("C1", "R1", "2008-05-02", decision_date="2008-05-06", decision="IA")
    # R2 received Tue 2008-09-02, decided Tue 2008-09-09: WD = 5 (3, 4, 5, 8, 9 Sept): not within.
    ds.referral("C2", "R2", "2008-09-02", decision_date="2008-09-09", decision="NFA")
    # Swansea, 2009-10: one referral decided the same day (WD = 0): within.
    ds.referral("C3", "R3", "2009-06-01", decision_date="2009-06-01", decision="NFA", la=SWANSEA)
    # C1 looked after from 2008-06-01, still at both snapshots.
    ds.episode("C1", "2008-06-01", "S", place="F1")
    ds.population("2008", "40000")
    return ds


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    write_tables(small().tables(), tmp_path / "ds")
    return tmp_path / "ds"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["indicators", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_one_record_per_la_plus_wales(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--dataset", str(dataset), "--year", "2008", "--indicator", "REF_DECIDED_1WD")
    assert code == 0
    records = json.loads(out)
    assert [list(r) for r in records] == [["indicator", "la", "year", "numerator", "denominator", "value"]] * 3
    by_la = {r["la"]: (r["numerator"], r["denominator"], r["value"]) for r in records}
    # Cardiff 1 of 2 = 50%; Swansea has no 2008 referral (0 of 0, blank); Wales 1 of 2.
    assert by_la == {CARDIFF: (1, 2, 50.0), SWANSEA: (0, 0, None), "WALES": (1, 2, 50.0)}


def test_csv_count_and_rate_per_10k(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--dataset", str(dataset), "--year", "2008", "--la", CARDIFF,
        "--indicator", "LAC_SNAPSHOT", "LAC_RATE_10K", "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["indicator", "la", "year", "numerator", "denominator", "value"]
    # One child looked after at 2009-03-31; a count has a blank denominator; 10000 × 1 / 40000 = 0.25.
    assert rows[1:] == [
        ["LAC_SNAPSHOT", CARDIFF, "2008", "1", "", "1.0"],
        ["LAC_RATE_10K", CARDIFF, "2008", "1", "40000", "0.25"],
    ]


def test_series_equals_engine(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--dataset", str(dataset), "--years", "2008-2009", "--indicator", "REFERRALS")
    assert code == 0
    got = [(r["la"], r["year"], r["numerator"]) for r in json.loads(out)]
    # LAs in code order (Swansea W06000011 before Cardiff W06000015), WALES last, year by year.
    # 2008: Swansea 0, Cardiff 2, Wales 2; 2009: Swansea 1, Cardiff 0, Wales 1.
    assert got == [(SWANSEA, 2008, 0), (CARDIFF, 2008, 2), ("WALES", 2008, 2),
                   (SWANSEA, 2009, 1), (CARDIFF, 2009, 0), ("WALES", 2009, 1)]  # fmt: skip
    assert len(evaluate(small().tables(), [2008, 2009], indicators=["REFERRALS"])) == len(got)


def test_xlsx(dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    code, out, _ = run(capsys, "--dataset", str(dataset), "--year", "2008", "--format", "xlsx", "--output", str(target))
    assert (code, out) == (0, "")
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("indicator", "la", "year", "numerator", "denominator", "value")
    assert len(rows) == 1 + 40 * 3  # 40 indicators × (2 LAs + WALES)
    assert ("REF_DECIDED_1WD", CARDIFF, 2008, 1, 2, 50.0) in rows


def test_children_explains_with_dates(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--dataset", str(dataset), "--year", "2008", "--indicator", "REF_DECIDED_1WD", "--la", CARDIFF,
        "--children",
    )  # fmt: skip
    assert code == 0
    units = json.loads(out)
    assert [(u["child"], u["unit"], u["in_numerator"], u["reason"]) for u in units] == [
        ("C1", "referral R1", True, "referral 2008-05-02, decision 2008-05-06: 1 working day (5 May bank holiday)"),
        ("C2", "referral R2", False, "referral 2008-09-02, decision 2008-09-09: 5 working days"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2008", "--indicator", "NOPE"], "unknown indicator NOPE; choose from: REF_DECIDED_1WD, "),
        (
            ["--year", "2008", "--la", "W06000099"],
            f"LA W06000099 is not in this dataset; choose from: {SWANSEA}, {CARDIFF}, WALES",
        ),
        (["--year", "2003"], "year 2003 is outside the data; choose from 2008-2009"),
        (["--years", "2010-2008"], "--years must look like 2005-2014"),
        (
            ["--year", "2008", "--children", "--indicator", "IA_7WD"],
            "--children needs exactly one --indicator, one --la",
        ),
        (["--year", "2008", "--format", "xlsx"], "--format xlsx needs --output FILE"),
    ],
)
def test_bad_requests_are_one_line(
    dataset: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--dataset", str(dataset), *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_invalid_dataset_gives_findings_and_no_numbers(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = dataset / "referrals.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2008-09-09", "2008-13-09"), encoding="utf-8")
    code, out, err = run(capsys, "--dataset", str(dataset), "--year", "2008")
    assert (code, out) == (2, "")
    # The finding names the file, the row (R2 is the second data row, file row 3) and the column.
    assert "referrals.csv row 3 DECISION_DATE" in err
    assert "was not loaded" in err and "Traceback" not in err


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--dataset", str(tmp_path / "nowhere"), "--year", "2008")
    assert code == 2 and "does not exist" in err


@pytest.mark.django_db(transaction=False)
def test_from_db_equals_dataset(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from diogel.dataset.db import import_dataset

    import_dataset(small().tables())
    code, from_db, _ = run(capsys, "--from-db", "--years", "2008-2009")
    assert code == 0
    code, from_dir, _ = run(capsys, "--dataset", str(dataset), "--years", "2008-2009")
    assert code == 0
    assert json.loads(from_db) == json.loads(from_dir)
    assert pl.DataFrame(json.loads(from_db)).height == 40 * 3 * 2


def test_a_year_without_new_events_inside_the_data_is_computed() -> None:
    """Registrations start in 2005 and 2007 and stay open: 2006 has no dated event of its own,
    but it lies between the first and last records, and its snapshot (31 March 2007) counts
    the 2005 registration. So 2006 is a valid year, and 2004 (before any record) is not."""
    from diogel.indicators.cli import data_years
    from diogel.indicators.engine import evaluate

    ds = Dataset(la=CARDIFF)
    ds.registration("C1", "REG1", "2005-06-01")
    ds.registration("C2", "REG2", "2007-06-01")
    tables = ds.tables()
    assert data_years(tables) == [2005, 2006, 2007]
    [cardiff] = [r for r in evaluate(tables, years=[2006], indicators=["CP_SNAPSHOT"]) if r.la == CARDIFF]
    assert cardiff.numerator == 1  # only C1 is registered on 31 March 2007
