"""Children's voice and partnership: FEEDBACK_SAFE, FEEDBACK_HOME_HAPPY, FEEDBACK_KNOW_WHO,
FEEDBACK_LISTENED, FEEDBACK_RESPECT, ICPC_AGENCY_REPORTS, ICPC_AGENCY_ATTENDANCE — expected values
worked out by hand from indicators.md (year 2008-09)."""

from __future__ import annotations

import pytest

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run_all

QUESTIONS = ["SAFE", "HOME_HAPPY", "KNOW_WHO", "LISTENED", "RESPECT"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_feedback(question: str) -> None:
    """Rows for that QUESTION with RESPONSE_DATE in the year; numerator ANSWER = YES. Anonymous answers
    (CHILD blank) count; other questions' answers do not."""
    ds = Dataset(la=CARDIFF)
    ds.feedback("C1", "2008-04-01", question, "YES")  # first day of the year -> yes
    ds.feedback("C2", "2008-06-01", question, "NO")  # denominator only
    ds.feedback("C3", "2008-07-01", question, "SOMETIMES")  # denominator only
    ds.feedback(None, "2009-03-31", question, "YES")  # anonymous, last day -> yes
    ds.feedback("C4", "2009-04-01", question, "YES")  # next year -> left out
    ds.feedback("C5", "2008-03-31", question, "YES")  # previous year -> left out
    for other in QUESTIONS:
        if other != question:
            ds.feedback("C6", "2008-09-01", other, "YES")  # another question -> left out
    ds.feedback("C1", "2008-05-01", question, "YES", la=SWANSEA)
    ds.feedback(None, "2008-05-02", question, "YES", la=SWANSEA)
    ds.feedback("C2", "2008-05-03", question, "NO", la=SWANSEA)
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, f"FEEDBACK_{question}", 2008)
    # Cardiff: 4 rows in the year (YES, NO, SOMETIMES, YES) -> 2 of 4.
    check(res[CARDIFF], 2, 4, 50.0)
    # Swansea: YES, YES, NO -> 2 of 3.
    check(res[SWANSEA], 2, 3, 100 * 2 / 3)
    check(res[NEWPORT], 0, 0, None)
    # WALES: 4 of 7.
    check(res["WALES"], 4, 7, 100 * 4 / 7)


def _agencies() -> Dataset:
    ds = Dataset(la=CARDIFF)
    # K1: INITIAL conference 2008-06-10 about two siblings (two cp_conferences rows, one CONFERENCE_ID);
    #     three agencies invited -> 3 rows, not 6.
    for c in ("C1", "C2"):
        ds.conference(c, "K1", "INITIAL", strategy_date="2008-06-02", conference_date="2008-06-10")
    ds.agency("K1", "HEALTH", attended="Y", report_provided="Y")
    ds.agency("K1", "POLICE", attended="N", report_provided="Y")
    ds.agency("K1", "EDUCATION", attended="Y", report_provided="N")
    # K2: TRANSFER_IN in the year -> its agencies are left out.
    ds.conference("C3", "K2", "TRANSFER_IN", conference_date="2008-07-01")
    ds.agency("K2", "HEALTH", attended="Y", report_provided="Y")
    # K3: INITIAL held 2009-04-02 (next year) -> left out.
    ds.conference("C4", "K3", "INITIAL", strategy_date="2009-03-25", conference_date="2009-04-02")
    ds.agency("K3", "HEALTH", attended="Y", report_provided="Y")
    # K4: INITIAL 2008-09-01; HOUSING with both flags blank -> denominator only.
    ds.conference("C5", "K4", "INITIAL", strategy_date="2008-08-20", conference_date="2008-09-01")
    ds.agency("K4", "HOUSING")
    # Swansea reuses the id K1 (ids are per LA) for an INITIAL conference of 2007-06-10 (previous year):
    # its POLICE row must not be matched with Cardiff's K1 -> left out.
    ds.conference("C1", "K1", "INITIAL", la=SWANSEA, strategy_date="2007-06-01", conference_date="2007-06-10")
    ds.agency("K1", "POLICE", la=SWANSEA, attended="Y", report_provided="Y")
    # Swansea K9: INITIAL 2008-05-06, HEALTH attended without a report.
    ds.conference("C2", "K9", "INITIAL", la=SWANSEA, strategy_date="2008-04-28", conference_date="2008-05-06")
    ds.agency("K9", "HEALTH", la=SWANSEA, attended="Y", report_provided="N")
    ds.child("N1", la=NEWPORT)
    return ds


def test_icpc_agency_reports() -> None:
    """Agency rows of INITIAL conferences held in the year; numerator REPORT_PROVIDED = Y."""
    res = run_all(_agencies(), "ICPC_AGENCY_REPORTS", 2008)
    # Cardiff: K1 HEALTH Y, POLICE Y, EDUCATION N; K4 HOUSING blank -> 2 of 4.
    check(res[CARDIFF], 2, 4, 50.0)
    # Swansea: K9 HEALTH N -> 0 of 1.
    check(res[SWANSEA], 0, 1, 0.0)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 2, 5, 40.0)


def test_icpc_agency_attendance() -> None:
    """The same rows; numerator ATTENDED = Y."""
    res = run_all(_agencies(), "ICPC_AGENCY_ATTENDANCE", 2008)
    # Cardiff: K1 HEALTH Y, POLICE N, EDUCATION Y; K4 HOUSING blank -> 2 of 4.
    check(res[CARDIFF], 2, 4, 50.0)
    # Swansea: K9 HEALTH Y -> 1 of 1.
    check(res[SWANSEA], 1, 1, 100.0)
    check(res["WALES"], 3, 5, 60.0)


def test_feedback_la_absent_from_children() -> None:
    """Results are for every LA present in `children`, and WALES sums over those LAs (indicators.md,
    Common rules): anonymous answers of an LA with no row in `children` give it no result and do not
    enter WALES."""
    ds = Dataset(la=CARDIFF)
    ds.feedback("C1", "2008-06-01", "SAFE", "YES")  # Cardiff: 1 of 1 (adds child C1 to children)
    ds.feedback(None, "2008-06-01", "SAFE", "NO", la=NEWPORT)  # Newport: no child row at all
    res = run_all(ds, "FEEDBACK_SAFE", 2008)
    assert NEWPORT not in res
    check(res[CARDIFF], 1, 1, 100.0)
    check(res["WALES"], 1, 1, 100.0)
