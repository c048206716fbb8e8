"""Child protection: ICPC_15WD, CORE_GROUP_10WD, CP_REVIEWS_ON_TIME, CP_REREGISTRATION,
CP_DURATION_AVG_DAYS — expected values worked out by hand from indicators.md.

WD(a, b) counts working days d with a < d <= b; "within N" means b >= a and WD <= N.
Months: a + k months keeps the day number, clamped to the month's last day.
Reviews due: first due START_DATE + 3 months, then (date held) + 6 months; the registration is open
on d when START_DATE <= d and (END_DATE blank or END_DATE > d); denominator = reviews held in the year
(while open) + reviews due in the year, open on the due date and not held by the snapshot;
numerator = reviews held in the year on or before their due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run, run_all

# --------------------------------------------------------------------------
# ICPC_15WD
# --------------------------------------------------------------------------


def test_icpc_15wd() -> None:
    """One row per child (siblings count twice); exactly 15 working days is within; TRANSFER_IN and
    conferences outside the year are left out; Easter 2008 between strategy and conference."""
    ds = Dataset(la=CARDIFF)
    # K1 siblings C1, C2: strategy Fri 2008-05-02 -> conference Fri 05-23: Mon 5 (BH) out; 6-9 = 4;
    #    12-16 = 9; 19-23 = 14 -> within; two rows -> 2 in denominator and numerator.
    for c in ("C1", "C2"):
        ds.conference(c, "K1", "INITIAL", strategy_date="2008-05-02", conference_date="2008-05-23", outcome="REGISTER")
    # K2: Fri 05-02 -> Tue 05-27: 14 by Fri 23; Sat, Sun, Mon 26 (spring BH) out; Tue 27 = 15 -> within.
    ds.conference("C3", "K2", "INITIAL", strategy_date="2008-05-02", conference_date="2008-05-27")
    # K3: Fri 05-02 -> Wed 05-28 = 16 -> not within.
    ds.conference("C4", "K3", "INITIAL", strategy_date="2008-05-02", conference_date="2008-05-28")
    # K4 TRANSFER_IN in the year -> left out (it would be within 1 day).
    ds.conference("C5", "K4", "TRANSFER_IN", strategy_date="2008-06-02", conference_date="2008-06-03")
    # K5 INITIAL held 2009-04-01 (next year) -> left out.
    ds.conference("C6", "K5", "INITIAL", strategy_date="2009-03-30", conference_date="2009-04-01")
    # K6 strategy Fri 2008-03-14 -> conference Tue 2008-04-01 (in the year): 17-20 = 4; Fri 21 (Good
    #    Friday) and Mon 24 (Easter Monday) out; 25-28 = 8; Mon 31 = 9; Tue 1 Apr = 10 -> within.
    ds.conference("C7", "K6", "INITIAL", strategy_date="2008-03-14", conference_date="2008-04-01")
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "ICPC_15WD", 2008)
    # Denominator: K1 x2, K2, K3, K6 = 5; numerator: K1 x2, K2, K6 = 4.
    check(res[CARDIFF], 4, 5, 80.0)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 4, 5, 80.0)


# --------------------------------------------------------------------------
# CORE_GROUP_10WD
# --------------------------------------------------------------------------


def test_core_group_10wd() -> None:
    """Christmas 2008, Easter 2009 after a registration on the last day of the year, blank core group."""
    ds = Dataset(la=CARDIFF)
    # G1 start Mon 2008-12-15 -> Wed 12-31: 16-19 = 4; 22,23,24 = 7; 25, 26 (BH) out; 29,30,31 = 10 -> within.
    ds.registration("C1", "G1", "2008-12-15", first_core_group="2008-12-31")
    # G2 start Mon 2008-12-15 -> Fri 2009-01-02: 10 by 31 Dec; 1 Jan (BH) out; Fri 2 = 11 -> not within.
    ds.registration("C2", "G2", "2008-12-15", first_core_group="2009-01-02")
    # G3 no first core group recorded -> not within (blank is never within).
    ds.registration("C3", "G3", "2008-06-02")
    # G4 registered 2008-03-31 (previous year) -> left out.
    ds.registration("C4", "G4", "2008-03-31", first_core_group="2008-04-01")
    # G5 start Tue 2009-03-31 (in the year) -> Tue 2009-04-14: Apr 1,2,3 = 3; 6-9 = 7; Fri 10 (Good Friday)
    #    and Mon 13 (Easter Monday) out; Tue 14 = 8 -> within.
    ds.registration("C5", "G5", "2009-03-31", first_core_group="2009-04-14")
    # G6 core group on the day of registration: WD 0 -> within.
    ds.registration("C6", "G6", "2008-05-02", first_core_group="2008-05-02")
    # Denominator G1 G2 G3 G5 G6 = 5; numerator G1 G5 G6 = 3.
    check(run(ds, "CORE_GROUP_10WD", 2008), 3, 5, 60.0)


# --------------------------------------------------------------------------
# CP_REVIEWS_ON_TIME
# --------------------------------------------------------------------------


@dataclass
class CPCase:
    """One registration (child C1, REGISTRATION_ID G1) with its reviews, evaluated for 2008-09."""

    start: str
    end: str | None
    reviews: list[str] = field(default_factory=list)
    numerator: int = 0
    denominator: int = 0


CP_CASES: dict[str, CPCase] = {
    # Due 2008-07-15 (start + 3 months); held that day -> on time; next due 2009-01-15; held 2009-01-20
    # -> late; next due 2009-07-20 (next year). 2 held, 1 on time.
    "held_on_due_date_then_late": CPCase("2008-04-15", None, ["2008-07-15", "2009-01-20"], 1, 2),
    # 2008-11-30 + 3 months = 2009-02-30 -> clamped 2009-02-28; held 2009-03-02 -> late (an unclamped
    # roll-over to 2 March would wrongly call it on time).
    "due_clamped_to_28_feb_held_2_march": CPCase("2008-11-30", None, ["2009-03-02"], 0, 1),
    # Same due date 2009-02-28, held on it -> on time.
    "due_clamped_to_28_feb_held_on_it": CPCase("2008-11-30", None, ["2009-02-28"], 1, 1),
    # Due 2008-11-01, never held, registration open to the snapshot -> 1 missed review in the denominator.
    "missed_never_held": CPCase("2008-08-01", None, [], 0, 1),
    # Due 2008-09-10 but END_DATE 2008-09-10: open needs END_DATE > d -> not open -> not due.
    "ends_on_due_date": CPCase("2008-06-10", "2008-09-10", [], 0, 0),
    # Ended 2008-09-05 before the due date; a "review" on 2008-09-20 is held when not open -> ignored.
    "review_after_end_ignored": CPCase("2008-06-10", "2008-09-05", ["2008-09-20"], 0, 0),
    # Due 2008-08-01 held on it (on time); next due 2009-02-01, registration open until 2009-03-01
    # (END_DATE 03-01 > 02-01) and not held -> missed. 2 in denominator, 1 on time.
    "missed_while_open_then_ended": CPCase("2008-05-01", "2009-03-01", ["2008-08-01"], 1, 2),
    # Due 2009-03-20 in the year, held only 2009-04-02 (after the snapshot): not held by the snapshot,
    # open on the due date -> 1 in denominator, 0 on time.
    "due_in_year_held_after_snapshot": CPCase("2008-12-20", None, ["2009-04-02"], 0, 1),
    # Due 2008-01-01, held 2008-01-05 (previous year, late); next due 2008-07-05, held 2008-07-01 (on time,
    # early); next due 2009-01-01, held 2009-01-01 (on time). In the year: 2 held, both on time.
    "started_previous_year": CPCase("2007-10-01", None, ["2008-01-05", "2008-07-01", "2009-01-01"], 2, 2),
    # Due 2008-09-01 (open: END 2008-10-01 > 09-01), not held while open; the review of 2008-10-05 is
    # after the END_DATE -> ignored, so the review due 09-01 was never held -> missed. 0 of 1.
    "held_only_after_end_so_missed": CPCase("2008-06-01", "2008-10-01", ["2008-10-05"], 0, 1),
    # Review held on the END_DATE: not open (END_DATE > d fails) -> ignored; due 2008-07-01 not open.
    "review_on_end_date_ignored": CPCase("2008-04-01", "2008-06-01", ["2008-06-01"], 0, 0),
    # Due 2008-03-10 (previous year), held 2008-04-10 in the year -> late, counts in the denominator;
    # next due 2008-10-10, held that day -> on time. 2 held, 1 on time.
    "late_review_due_last_year": CPCase("2007-12-10", None, ["2008-04-10", "2008-10-10"], 1, 2),
    # 2008-12-31 + 3 months = 2009-03-31, the snapshot: due in the year, open, not held -> missed.
    "due_on_snapshot_missed": CPCase("2008-12-31", None, [], 0, 1),
    # 2009-01-01 + 3 months = 2009-04-01: due next year -> nothing.
    "due_after_year": CPCase("2009-01-01", None, [], 0, 0),
    # Early review 2008-05-01 (due 2008-07-01) -> on time; next due 2008-11-01 (from the date HELD);
    # held 2008-12-01 -> late; next due 2009-06-01. 2 held, 1 on time. (A fixed schedule from the
    # start date, 07-01 then 2009-01-01, would wrongly call 12-01 on time.)
    "early_review_moves_schedule": CPCase("2008-04-01", None, ["2008-05-01", "2008-12-01"], 1, 2),
}


@pytest.mark.parametrize("name", list(CP_CASES))
def test_cp_reviews_on_time_case(name: str) -> None:
    """One registration at a time (see the comment beside each case)."""
    case = CP_CASES[name]
    ds = Dataset(la=CARDIFF)
    ds.registration("C1", "G1", case.start, end_date=case.end)
    for r in case.reviews:
        ds.cp_review("C1", "G1", r)
    value = None if case.denominator == 0 else 100 * case.numerator / case.denominator
    check(run(ds, "CP_REVIEWS_ON_TIME", 2008), case.numerator, case.denominator, value)


def test_cp_reviews_on_time_all_cases_together_and_wales() -> None:
    """All cases in one LA (one child each) sum; a second LA and WALES."""
    ds = Dataset(la=CARDIFF)
    for i, case in enumerate(CP_CASES.values()):
        ds.registration(f"C{i}", f"G{i}", case.start, end_date=case.end)
        for r in case.reviews:
            ds.cp_review(f"C{i}", f"G{i}", r)
    # Swansea: registration G1 (Cardiff has a G1 too, for another child: ids are unique within an LA
    # only) start 2008-04-15, review 2008-07-16 (due 07-15 -> late) -> 1 held, 0 on time;
    ds.registration("C1", "G1", "2008-04-15", la=SWANSEA)
    ds.cp_review("C1", "G1", "2008-07-16", la=SWANSEA)
    # next due 2009-01-16, not held, open -> missed: Swansea 0 / 2.
    res = run_all(ds, "CP_REVIEWS_ON_TIME", 2008)
    # Cardiff: numerators 1+0+1+0+0+0+1+0+2+0+0+1+0+0+1 = 7; denominators 2+1+1+1+0+0+2+1+2+1+0+2+1+0+2 = 16.
    check(res[CARDIFF], 7, 16, 100 * 7 / 16)
    check(res[SWANSEA], 0, 2, 0.0)
    # WALES 7 / 18.
    check(res["WALES"], 7, 18, 100 * 7 / 18)


# --------------------------------------------------------------------------
# CP_REREGISTRATION
# --------------------------------------------------------------------------


def test_cp_reregistration_boundaries_and_two_las() -> None:
    """Earlier END_DATE exactly 12 months before START_DATE (in), one day more (out), on the same day
    (in: e <= START_DATE), 29 February 2008; a child is (LA, CHILD)."""
    ds = Dataset(la=CARDIFF)
    # C1: earlier END 2007-06-10 = 2008-06-10 - 12 months -> in.
    ds.registration("C1", "G1", "2007-01-01", end_date="2007-06-10")
    ds.registration("C1", "G2", "2008-06-10")
    # C2: END 2007-06-09 < 2007-06-10 -> out.
    ds.registration("C2", "G3", "2007-01-01", end_date="2007-06-09")
    ds.registration("C2", "G4", "2008-06-10")
    # C3: G5 starts in the year with no earlier registration -> out; G6 starts on G5's END_DATE
    #     (2008-07-01 <= 2008-07-01) -> in.
    ds.registration("C3", "G5", "2008-05-01", end_date="2008-07-01")
    ds.registration("C3", "G6", "2008-07-01")
    # C4: START 2009-02-28 - 12 months = 2008-02-28 <= END 2008-02-29 -> in.
    ds.registration("C4", "G7", "2007-06-01", end_date="2008-02-29")
    ds.registration("C4", "G8", "2009-02-28")
    # Swansea C1 registered 2008-06-01 with no earlier registration of its own -> out (Cardiff C1's
    # END 2007-06-10 belongs to another child).
    ds.registration("C1", "G1", "2008-06-01", la=SWANSEA)
    res = run_all(ds, "CP_REREGISTRATION", 2008)
    # Cardiff denominator G2 G4 G5 G6 G8 = 5; numerator G2 G6 G8 = 3.
    check(res[CARDIFF], 3, 5, 60.0)
    check(res[SWANSEA], 0, 1, 0.0)
    check(res["WALES"], 3, 6, 50.0)


def test_cp_reregistration_29_february_2012_clamps() -> None:
    """2011-12: 2012-02-29 - 12 months = 2011-02-29 -> clamped 2011-02-28: an END_DATE of 2011-02-28 is in,
    2011-02-27 is out."""
    ds = Dataset(la=CARDIFF)
    ds.registration("C1", "G1", "2010-06-01", end_date="2011-02-28")
    ds.registration("C1", "G2", "2012-02-29")  # in
    ds.registration("C2", "G3", "2010-06-01", end_date="2011-02-27")
    ds.registration("C2", "G4", "2012-02-29")  # out
    # Denominator G2 G4 = 2 (G1, G3 started in 2010-11); numerator 1.
    check(run(ds, "CP_REREGISTRATION", 2011), 1, 2, 50.0)


# --------------------------------------------------------------------------
# CP_DURATION_AVG_DAYS
# --------------------------------------------------------------------------


def test_cp_duration_avg_days() -> None:
    """Average calendar days END_DATE - START_DATE over registrations ending in the year."""
    ds = Dataset(la=CARDIFF)
    # D1 2008-01-01 -> 2008-04-01: Jan 31 + Feb 29 (leap year) + Mar 31 = 91 days; ends in the year.
    ds.registration("C1", "D1", "2008-01-01", end_date="2008-04-01")
    # D2 2008-04-01 -> 2009-03-31: 2008-04-01 -> 2009-04-01 is 365 days (no 29 Feb between), minus 1 = 364.
    ds.registration("C2", "D2", "2008-04-01", end_date="2009-03-31")
    # D3 starts and ends the same day: 0 days (still counted).
    ds.registration("C3", "D3", "2008-05-01", end_date="2008-05-01")
    # Left out: ends 2009-04-01 (next year), ends 2008-03-31 (previous year), still open.
    ds.registration("C4", "D4", "2008-05-01", end_date="2009-04-01")
    ds.registration("C5", "D5", "2007-05-01", end_date="2008-03-31")
    ds.registration("C6", "D6", "2008-05-01")
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "CP_DURATION_AVG_DAYS", 2008)
    # Sum 91 + 364 + 0 = 455 over 3 = 151.666...
    check(res[CARDIFF], 455, 3, 455 / 3)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 455, 3, 455 / 3)
