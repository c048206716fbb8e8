"""One test per error rule of the spec's *Validity* section, plus the valid case and some warnings.

Each test spoils the hand-made valid dataset of ``helpers.py`` in one place and
asserts the exact finding (file, row, column, rule, severity, message). Row
numbers count the header as row 1, so the n-th data line is row n + 1.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from diogel.dataset.findings import DatasetInvalid, Finding
from diogel.dataset.io import load, read_raw
from diogel.dataset.validate import validate

from .helpers import LA, VALID, replace_row, with_rows, write_dataset


def findings(tmp_path: Path, changes: dict[str, list[str]]) -> list[Finding]:
    return validate(read_raw(write_dataset(tmp_path / "ds", changes)))


def only(found: list[Finding], rule: str) -> list[Finding]:
    return [f for f in found if f.rule == rule]


def test_valid_dataset_has_no_findings(tmp_path: Path) -> None:
    assert findings(tmp_path, {}) == []


def test_valid_dataset_loads_typed(tmp_path: Path) -> None:
    tables = load(write_dataset(tmp_path / "ds"))
    # Two episodes of C1, the second starting 2009-06-01 (see helpers.py).
    assert tables["episodes"]["DECOM"].to_list()[1].isoformat() == "2009-06-01"
    assert tables["education_outcomes"].schema["POINTS"] == pl.Float64


def test_unknown_column(tmp_path: Path) -> None:
    lines = ["LA,CHILD,VISIT_DATE,TYPE,SEEN_ALONE,SEENALONE", f"{LA},C1,2009-05-01,LAC,Y,Y"]
    [f] = findings(tmp_path, {"visits": lines})
    assert (f.file, f.row, f.column, f.rule, f.severity) == ("visits.csv", 1, "SEENALONE", "CSD-C002", "error")


def test_required_column_missing(tmp_path: Path) -> None:
    # SW_ID is marked required in the schema; its absence is an error.
    lines = ["LA,CHILD,SW_DECOM,SW_DEC", f"{LA},C1,2009-01-06,2010-01-15"]
    [f] = findings(tmp_path, {"social_worker_episodes": lines})
    assert f.message == "social_worker_episodes.csv row 1 SW_ID: required column is missing"
    assert (f.rule, f.severity) == ("CSD-C001", "error")


def test_any_listed_column_missing_is_an_error(tmp_path: Path) -> None:
    # REVIEW_CODE may be blank in a row, but the column itself must be in the file.
    lines = ["LA,CHILD,REVIEW_DATE", f"{LA},C1,2009-04-25"]
    [f] = findings(tmp_path, {"lac_reviews": lines})
    assert (f.column, f.rule, f.severity) == ("REVIEW_CODE", "CSD-C001", "error")


def test_columns_the_spec_calls_optional_may_be_absent(tmp_path: Path) -> None:
    # children.UPN and children.DOD are "optional" in the spec: a file without them is fine.
    lines = ["LA,CHILD,SEX,DOB,ETHNIC,DISABILITY", f"{LA},C1,1,1992-06-10,WBRI,N", f"{LA},C2,2,2005-02-01,MWBC,Y"]
    assert findings(tmp_path, {"children": lines}) == []


def test_duplicate_column(tmp_path: Path) -> None:
    lines = ["LA,CHILD,CHANGE_DATE,TRANSITIONAL,TRANSITIONAL", f"{LA},C1,2009-09-01,N,N"]
    [f] = findings(tmp_path, {"school_changes": lines})
    assert (f.row, f.column, f.rule, f.severity) == (1, "TRANSITIONAL", "CSD-C003", "error")


def test_code_not_in_list(tmp_path: Path) -> None:
    # Row 3 is the second episode; PLACE 'U9' is not an SSDA903 placement code.
    row = f"{LA},C1,2009-06-01,P,C2,N1,U9,PR1,2010-01-15,E8,CARPL,CF1 1,CF3 3,SC123"
    [f] = findings(tmp_path, replace_row("episodes", 2, row))
    assert f.message.startswith("episodes.csv row 3 PLACE: 'U9' is not in the code list (")
    assert (f.rule, f.severity) == ("CSD-V001", "error")


def test_accommodation_pattern(tmp_path: Path) -> None:
    [f] = findings(tmp_path, replace_row("care_leavers", 1, f"{LA},C1,2011-06-10,YES,F1,01"))
    assert f.message == "care_leavers.csv row 2 ACCOM: '01' is not a valid code (a letter and 1 or 2, or 0)"


def test_date_does_not_parse(tmp_path: Path) -> None:
    # 2009-02-30 has the right shape but is not a day of the calendar.
    [f] = findings(tmp_path, replace_row("visits", 1, f"{LA},C1,2009-02-30,LAC,Y"))
    assert f.message == "visits.csv row 2 VISIT_DATE: '2009-02-30' is not a valid date (dates are written YYYY-MM-DD)"
    assert (f.rule, f.severity) == ("CSD-V002", "error")


def test_uk_date_does_not_parse(tmp_path: Path) -> None:
    [f] = findings(tmp_path, replace_row("visits", 1, f"{LA},C1,01/05/2009,LAC,Y"))
    assert (f.row, f.column, f.rule) == (2, "VISIT_DATE", "CSD-V002")


def test_integer_does_not_parse(tmp_path: Path) -> None:
    [f] = findings(tmp_path, replace_row("population", 1, f"{LA},2009,70000.5"))
    assert f.message == "population.csv row 2 AGE_0_17: '70000.5' is not a whole number"
    assert f.rule == "CSD-V003"


def test_number_does_not_parse(tmp_path: Path) -> None:
    [f] = findings(tmp_path, replace_row("education_outcomes", 1, f"{LA},C2,2020,12,5,N"))
    # The extra comma makes 6 fields for 5 columns: the file cannot be read at all.
    assert (f.file, f.rule, f.severity) == ("education_outcomes.csv", "CSD-F001", "error")
    [g] = findings(tmp_path / "b", replace_row("education_outcomes", 1, f"{LA},C2,2020,twelve,N"))
    assert g.message == "education_outcomes.csv row 2 POINTS: 'twelve' is not a number"
    assert g.rule == "CSD-V004"


def test_la_not_one_of_the_22(tmp_path: Path) -> None:
    # W06000007 is not used (the ONS codes skip 7 and 17); the population row refers to no child.
    [f] = findings(tmp_path, with_rows("population", "W06000007,2010,100"))
    assert f.message.startswith("population.csv row 3 LA: 'W06000007' is not the code of one of the 22")
    assert (f.rule, f.severity) == ("CSD-V005", "error")


def test_end_before_start(tmp_path: Path) -> None:
    # The spec's own example: DEC 2009-03-01 before DECOM 2009-04-02 (the child's only episode).
    lines = [
        VALID["episodes"][0],
        f"{LA},C1,2009-04-02,S,C2,N1,U1,PR1,2009-03-01,E8,,,,",
    ]
    found = findings(tmp_path, {"episodes": lines})
    errors = [f for f in found if f.severity == "error"]
    assert [f.message for f in errors] == [
        "episodes.csv row 2 DEC: episode ends (2009-03-01) before it starts (2009-04-02)"
    ]
    assert errors[0].rule == "CSD-D001"


@pytest.mark.parametrize(
    ("table", "index", "row", "column"),
    [
        ("referrals", 1, f"{LA},C1,R1,2009-01-05,POLICE,2009-01-04,IA,N1,2010-01-20", "DECISION_DATE"),
        ("referrals", 1, f"{LA},C1,R1,2009-01-05,POLICE,2009-01-06,IA,N1,2009-01-01", "CLOSURE_DATE"),
        ("assessments", 1, f"{LA},C1,A1,R1,INITIAL,2009-01-06,2009-01-05,Y,N", "COMPLETED_DATE"),
        ("cp_conferences", 1, f"{LA},C1,K1,INITIAL,2009-01-21,2009-01-20,REGISTER", "CONFERENCE_DATE"),
        ("cp_registrations", 1, f"{LA},C1,G1,2009-01-20,NEG,2009-01-19,2009-04-01", "FIRST_CORE_GROUP"),
        ("cp_registrations", 1, f"{LA},C1,G1,2009-01-20,NEG,2009-01-28,2009-01-01", "END_DATE"),
        ("care_plans", 1, f"{LA},C1,P1,CARE_PLAN,2009-04-10,2009-04-09", "END_DATE"),
        ("social_worker_episodes", 1, f"{LA},C1,SW1,2009-01-06,2009-01-05", "SW_DEC"),
    ],
)
def test_every_date_order(tmp_path: Path, table: str, index: int, row: str, column: str) -> None:
    found = [f for f in findings(tmp_path, replace_row(table, index, row)) if f.severity == "error"]
    assert [(f.file, f.row, f.column, f.rule) for f in found] == [(f"{table}.csv", 2, column, "CSD-D001")]


def test_child_not_in_children(tmp_path: Path) -> None:
    [f] = findings(tmp_path, with_rows("visits", f"{LA},C7,2009-05-01,LAC,Y"))
    assert f.message == f"visits.csv row 3 CHILD: child C7 of LA {LA} is not in children.csv"
    assert (f.rule, f.severity) == ("CSD-R001", "error")


def test_child_of_another_la_is_not_in_children(tmp_path: Path) -> None:
    # C1 exists in W06000015 only; the same identifier in Swansea is another (unknown) child.
    [f] = findings(tmp_path, with_rows("visits", "W06000011,C1,2009-05-01,LAC,Y"))
    assert (f.row, f.rule) == (3, "CSD-R001")


def test_blank_child_allowed_only_in_feedback(tmp_path: Path) -> None:
    # helpers.py's feedback row already has a blank CHILD and gives nothing; a blank CHILD in visits does.
    [f] = findings(tmp_path, with_rows("visits", f"{LA},,2009-05-01,LAC,Y"))
    assert f.message == "visits.csv row 3 CHILD: CHILD is blank; every row must name a child of children.csv"


def test_duplicate_child(tmp_path: Path) -> None:
    [f] = findings(tmp_path, with_rows("children", f"{LA},C1,1,1992-06-10,WBRI,,N,"))
    assert f.message == "children.csv row 4 CHILD: CHILD C1 is used again in the same LA (first on row 2)"
    assert (f.rule, f.severity) == ("CSD-K001", "error")


def test_same_id_in_two_las_is_not_a_duplicate(tmp_path: Path) -> None:
    changes = {
        **with_rows("children", "W06000011,C1,1,2000-01-01,WBRI,,N,"),
        **with_rows("referrals", "W06000011,C1,R1,2009-01-05,POLICE,2009-01-06,NFA,N1,2009-01-06"),
    }
    assert findings(tmp_path, changes) == []


def test_duplicate_conference_child(tmp_path: Path) -> None:
    # A conference about siblings is one row per child; the same child twice is a duplicate.
    [f] = findings(tmp_path, with_rows("cp_conferences", f"{LA},C1,K1,INITIAL,2009-01-07,2009-01-20,REGISTER"))
    assert (
        f.message
        == "cp_conferences.csv row 3 CONFERENCE_ID: CONFERENCE_ID + CHILD K1 + C1 is used again in the same LA (first on row 2)"
    )


def test_blank_key(tmp_path: Path) -> None:
    [f] = findings(tmp_path, with_rows("care_plans", f"{LA},C1,,CARE_PLAN,2009-04-10,"))
    assert f.message == "care_plans.csv row 3 PLAN_ID: PLAN_ID is blank, so this row cannot be identified"
    assert (f.rule, f.severity) == ("CSD-K002", "error")


def test_reference_does_not_resolve(tmp_path: Path) -> None:
    [f] = findings(tmp_path, with_rows("cp_reviews", f"{LA},C1,G9,2009-03-20"))
    assert (
        f.message == f"cp_reviews.csv row 3 REGISTRATION_ID: registration G9 is not in cp_registrations.csv for LA {LA}"
    )
    assert (f.rule, f.severity) == ("CSD-R002", "error")


def test_conference_reference_does_not_resolve(tmp_path: Path) -> None:
    [f] = findings(tmp_path, with_rows("conference_agencies", f"{LA},K2,POLICE,N,N"))
    assert (f.file, f.row, f.column, f.rule) == ("conference_agencies.csv", 3, "CONFERENCE_ID", "CSD-R002")


def test_assessment_of_another_childs_referral(tmp_path: Path) -> None:
    # R2 is C2's referral; an assessment of C1 cannot hang on it.
    [f] = findings(tmp_path, with_rows("assessments", f"{LA},C1,A2,R2,INITIAL,2009-02-06,2009-02-07,Y,Y"))
    assert f.message == "assessments.csv row 3 REFERRAL_ID: referral R2 belongs to another child, not to child C1"
    assert (f.rule, f.severity) == ("CSD-R003", "error")


def test_overlapping_episodes(tmp_path: Path) -> None:
    # C2: an open episode from 2009-05-01, then another from 2009-07-01 while the first is still open.
    changes = with_rows(
        "episodes",
        f"{LA},C2,2009-05-01,S,V3,N1,U1,PR1,,,,,,",
        f"{LA},C2,2009-07-01,S,C2,N1,U1,PR1,,,,,,",
    )
    [f] = findings(tmp_path, changes)
    assert f.message == (
        "episodes.csv row 5 DECOM: episode starts (2009-07-01) while an earlier episode of child C2 "
        "is still open; a child's episodes must not overlap"
    )
    assert (f.rule, f.severity) == ("CSD-E001", "error")


def test_period_of_care_not_starting_with_s(tmp_path: Path) -> None:
    # C1's episodes of helpers.py end 2010-01-15; a new one on 2010-03-01 starts a new period of care.
    [f] = findings(tmp_path, with_rows("episodes", f"{LA},C1,2010-03-01,L,C2,N1,U1,PR1,,,,,,"))
    assert f.message == (
        "episodes.csv row 4 RNE: a period of care starts here (2010-03-01) but RNE is 'L', "
        "not S (started to be looked after)"
    )
    assert (f.rule, f.severity) == ("CSD-E002", "error")


def test_same_day_successor_without_x1(tmp_path: Path) -> None:
    # The first episode ends 2009-06-01 and the next starts that day: REC must be X1, here E8.
    row = f"{LA},C1,2009-04-01,S,C2,N1,U1,PR1,2009-06-01,E8,,CF1 1,CF2 2,"
    [f] = findings(tmp_path, replace_row("episodes", 1, row))
    assert f.message == (
        "episodes.csv row 2 REC: episode ends (2009-06-01) on the day the child's next episode (row 3) starts, "
        "so REC must be X1, not 'E8'"
    )
    assert (f.rule, f.severity) == ("CSD-E003", "error")


def test_short_break_then_care_is_one_lawful_chain(tmp_path: Path) -> None:
    # C2 is on short breaks (V4, RNE S) then comes into care the day the agreement ends (X1, RNE L):
    # an ordinary SSDA903 chain that must not be refused.
    changes = with_rows(
        "episodes",
        f"{LA},C2,2009-05-01,S,V4,N1,U1,PR1,2009-08-01,X1,,,,",
        f"{LA},C2,2009-08-01,L,C2,N1,U1,PR1,,,,,,",
    )
    assert findings(tmp_path, changes) == []


def test_file_not_utf8(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "ds")
    (directory / "visits.csv").write_bytes(
        f"LA,CHILD,VISIT_DATE,TYPE,SEEN_ALONE\n{LA},C1,2009-05-01,LAC,\xd1\n".encode("latin-1")
    )
    found = validate(read_raw(directory))
    assert [(f.file, f.rule, f.severity) for f in found] == [("visits.csv", "CSD-F001", "error")]


def test_csv_and_parquet_of_one_table(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "ds")
    pl.read_csv(directory / "visits.csv", infer_schema=False).write_parquet(directory / "visits.parquet")
    [f] = validate(read_raw(directory))
    assert (f.file, f.row, f.rule, f.severity) == ("visits.csv", None, "CSD-F002", "error")


def test_every_finding_at_once_and_load_refuses(tmp_path: Path) -> None:
    changes = {
        **with_rows("visits", f"{LA},C7,2009-05-01,LAC,Y"),
        **replace_row("population", 1, f"{LA},2009,lots"),
    }
    directory = write_dataset(tmp_path / "ds", changes)
    assert sorted(f.rule for f in validate(read_raw(directory))) == ["CSD-R001", "CSD-V003"]
    with pytest.raises(DatasetInvalid) as caught:
        load(directory)
    assert len(caught.value.findings) == 2
    assert "has 2 error(s)" in str(caught.value)


def test_warnings_do_not_block(tmp_path: Path) -> None:
    # A review on 2010-06-01 is after C1 left care (2010-01-15): a warning, and the dataset still loads.
    directory = write_dataset(tmp_path / "ds", with_rows("lac_reviews", f"{LA},C1,2010-06-01,PN1"))
    [f] = validate(read_raw(directory))
    assert (f.row, f.rule, f.severity) == (3, "CSD-W011", "warning")
    assert load(directory)["lac_reviews"].height == 2


def test_care_leaver_without_care_and_wrong_birthday(tmp_path: Path) -> None:
    # C2 (born 2005-02-01) was never looked after, and 2024-02-02 is not their 19th birthday (2024-02-01).
    found = findings(tmp_path, with_rows("care_leavers", f"{LA},C2,2024-02-02,YES,F1,B1"))
    assert sorted((f.rule, f.row) for f in found) == [("CSD-W010", 3), ("CSD-W014", 3)]
    assert all(f.severity == "warning" for f in found)
