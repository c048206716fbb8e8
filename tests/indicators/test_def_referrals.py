"""Referrals and assessments: REF_DECIDED_1WD, REREFERRAL_12M, IA_7WD, IA_LATE_AVG_WD, IA_SEEN,
IA_SEEN_ALONE, CA_35WD, CA_LATE_AVG_WD — expected values worked out by hand from indicators.md.

Rules used throughout (indicators.md, Common rules):
- WD(a, b) = number of working days d with a < d <= b (Mon-Fri, not an England-and-Wales bank holiday).
- "b within N working days of a" means b >= a and WD(a, b) <= N.
- Year Y runs 1 April Y .. 31 March Y+1 inclusive.
- a - 12 months: same day number 12 months earlier, clamped to the month's last day.
Weekdays were checked against a printed calendar; bank holidays are listed beside each count.
"""

from __future__ import annotations

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run, run_all

# --------------------------------------------------------------------------
# REF_DECIDED_1WD
# --------------------------------------------------------------------------


def test_ref_decided_1wd_2008_bank_holidays_and_blank() -> None:
    """2008-09: Friday before the May and August bank holidays, Christmas, same day, blank decision,
    decision on a bank holiday, referrals on the year boundaries."""
    ds = Dataset(la=CARDIFF)
    # R1 Fri 2008-05-02 -> Tue 05-06: d in (2nd, 6th]: Sat 3, Sun 4, Mon 5 (early May BH) excluded,
    #    Tue 6 counts -> WD = 1 -> within.
    ds.referral("C1", "R1", "2008-05-02", decision_date="2008-05-06", decision="IA")
    # R2 Fri 2008-05-02 -> Wed 05-07: Tue 6, Wed 7 -> WD = 2 -> not within.
    ds.referral("C2", "R2", "2008-05-02", decision_date="2008-05-07", decision="IA")
    # R3 decided the same day: b >= a and WD = 0 -> within.
    ds.referral("C3", "R3", "2008-05-02", decision_date="2008-05-02", decision="NFA")
    # R4 no decision date -> not within (but still in the denominator).
    ds.referral("C4", "R4", "2008-05-02")
    # R5 Fri 2008-08-22 -> Tue 08-26: Sat, Sun, Mon 25 (summer BH) excluded, Tue 26 -> WD = 1 -> within.
    ds.referral("C5", "R5", "2008-08-22", decision_date="2008-08-26", decision="INFO")
    # R6 Wed 2008-12-24 -> Mon 12-29: Thu 25, Fri 26 (Christmas, Boxing Day), Sat 27, Sun 28 excluded,
    #    Mon 29 -> WD = 1 -> within.
    ds.referral("C6", "R6", "2008-12-24", decision_date="2008-12-29", decision="IA")
    # R7 Tue 2008-12-23 -> Mon 12-29: Wed 24, Mon 29 -> WD = 2 -> not within.
    ds.referral("C7", "R7", "2008-12-23", decision_date="2008-12-29", decision="IA")
    # R8 dated 2008-03-31: previous year -> not in the denominator at all.
    ds.referral("C8", "R8", "2008-03-31", decision_date="2008-04-01", decision="IA")
    # R9 Tue 2009-03-31 (last day of the year) -> Wed 2009-04-01: WD = 1 -> within; the decision
    #    falling after the year end does not matter.
    ds.referral("C9", "R9", "2009-03-31", decision_date="2009-04-01", decision="IA")
    # R10 Fri 2008-05-23 -> Mon 05-26 (spring BH): Sat, Sun, Mon 26 all excluded -> WD = 0 -> within.
    ds.referral("C10", "R10", "2008-05-23", decision_date="2008-05-26", decision="IA")
    # R11 dated 2009-04-01: next year -> not in the denominator.
    ds.referral("C11", "R11", "2009-04-01", decision_date="2009-04-01", decision="IA")
    # Denominator: R1 R2 R3 R4 R5 R6 R7 R9 R10 = 9; numerator: R1 R3 R5 R6 R9 R10 = 6.
    check(run(ds, "REF_DECIDED_1WD", 2008), 6, 9, 100 * 6 / 9)


def test_ref_decided_1wd_easter_and_christmas_2009() -> None:
    """2009-10: referral on Thursday 2009-04-09 before Good Friday 10 April / Easter Monday 13 April;
    Christmas 2009 with the substitute Boxing Day on Monday 28 December."""
    ds = Dataset(la=CARDIFF)
    # Thu 04-09 -> Tue 04-14: Fri 10 (Good Friday), Sat, Sun, Mon 13 (Easter Monday) excluded; Tue 14
    #    -> WD = 1 -> within.
    ds.referral("C1", "R1", "2009-04-09", decision_date="2009-04-14", decision="IA")
    # Thu 04-09 -> Wed 04-15: Tue 14, Wed 15 -> WD = 2 -> not within.
    ds.referral("C2", "R2", "2009-04-09", decision_date="2009-04-15", decision="IA")
    # Thu 2009-12-24 -> Tue 12-29: Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (substitute Boxing Day)
    #    excluded; Tue 29 -> WD = 1 -> within.
    ds.referral("C3", "R3", "2009-12-24", decision_date="2009-12-29", decision="IA")
    # Thu 2009-12-24 -> Wed 12-30: Tue 29, Wed 30 -> WD = 2 -> not within.
    ds.referral("C4", "R4", "2009-12-24", decision_date="2009-12-30", decision="IA")
    # Denominator 4, numerator R1 R3 = 2.
    check(run(ds, "REF_DECIDED_1WD", 2009), 2, 4, 50.0)


def test_ref_decided_1wd_christmas_2010_substitute_days() -> None:
    """2010-11: Christmas Day and Boxing Day 2010 fell at a weekend: Mon 27 and Tue 28 December are
    the bank holidays; New Year's Day 2011 (Saturday) moved to Monday 3 January."""
    ds = Dataset(la=CARDIFF)
    # Fri 2010-12-24 -> Wed 12-29: Sat 25, Sun 26, Mon 27 (BH), Tue 28 (BH) excluded; Wed 29 -> WD 1 -> within.
    ds.referral("C1", "R1", "2010-12-24", decision_date="2010-12-29", decision="IA")
    # Fri 2010-12-24 -> Thu 12-30: Wed 29, Thu 30 -> WD 2 -> not within.
    ds.referral("C2", "R2", "2010-12-24", decision_date="2010-12-30", decision="IA")
    # Fri 2010-12-31 -> Tue 2011-01-04: Sat 1, Sun 2, Mon 3 (BH) excluded; Tue 4 -> WD 1 -> within.
    ds.referral("C3", "R3", "2010-12-31", decision_date="2011-01-04", decision="IA")
    # Denominator 3, numerator R1 R3 = 2.
    check(run(ds, "REF_DECIDED_1WD", 2010), 2, 3, 100 * 2 / 3)


def test_ref_decided_1wd_royal_wedding_2011() -> None:
    """2011-12: Easter 2011 and the one-off bank holiday of Friday 2011-04-29 (then May Day 2 May)."""
    ds = Dataset(la=CARDIFF)
    # Thu 2011-04-21 -> Tue 04-26: Fri 22 (Good Friday), Sat, Sun, Mon 25 (Easter Monday) excluded; Tue 26
    #    -> WD 1 -> within.
    ds.referral("C1", "R1", "2011-04-21", decision_date="2011-04-26", decision="IA")
    # Thu 2011-04-28 -> Tue 05-03: Fri 29 (one-off royal wedding BH), Sat 30, Sun 1, Mon 2 (early May BH)
    #    excluded; Tue 3 -> WD 1 -> within.
    ds.referral("C2", "R2", "2011-04-28", decision_date="2011-05-03", decision="IA")
    # Thu 2011-04-28 -> Wed 05-04: Tue 3, Wed 4 -> WD 2 -> not within.
    ds.referral("C3", "R3", "2011-04-28", decision_date="2011-05-04", decision="IA")
    # Denominator 3, numerator 2.
    check(run(ds, "REF_DECIDED_1WD", 2011), 2, 3, 100 * 2 / 3)


def test_ref_decided_1wd_jubilee_2012() -> None:
    """2012-13: the spring bank holiday moved to Mon 2012-06-04 and the one-off Tue 2012-06-05;
    Mon 2012-05-28 (the usual last-Monday-of-May date) was an ordinary working day."""
    ds = Dataset(la=CARDIFF)
    # Fri 2012-06-01 -> Wed 06-06: Sat 2, Sun 3, Mon 4 (BH), Tue 5 (BH) excluded; Wed 6 -> WD 1 -> within.
    ds.referral("C1", "R1", "2012-06-01", decision_date="2012-06-06", decision="IA")
    # Fri 2012-06-01 -> Thu 06-07: Wed 6, Thu 7 -> WD 2 -> not within.
    ds.referral("C2", "R2", "2012-06-01", decision_date="2012-06-07", decision="IA")
    # Fri 2012-05-25 -> Tue 05-29: Sat, Sun excluded; Mon 28 is a working day in 2012, Tue 29 -> WD 2
    #    -> not within.
    ds.referral("C3", "R3", "2012-05-25", decision_date="2012-05-29", decision="IA")
    # Denominator 3, numerator 1.
    check(run(ds, "REF_DECIDED_1WD", 2012), 1, 3, 100 / 3)


def test_ref_decided_1wd_wales_sums_and_empty_la() -> None:
    """WALES sums numerators and denominators; an LA present in children with no referral gives 0/0/None."""
    ds = Dataset(la=CARDIFF)
    # Cardiff: Mon 2008-06-02 -> Tue 06-03, WD 1 -> within; Mon 06-02 -> Wed 06-04, WD 2 -> not.
    ds.referral("C1", "R1", "2008-06-02", decision_date="2008-06-03", decision="IA")
    ds.referral("C2", "R2", "2008-06-02", decision_date="2008-06-04", decision="IA")
    # Swansea: Mon 2008-06-02 decided the same day -> within.
    ds.referral("C1", "R1", "2008-06-02", decision_date="2008-06-02", decision="IA", la=SWANSEA)
    # Newport: a child with no referral at all.
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "REF_DECIDED_1WD", 2008)
    check(res[CARDIFF], 1, 2, 50.0)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res[NEWPORT], 0, 0, None)
    # WALES: (1 + 1 + 0) / (2 + 1 + 0) = 2/3.
    check(res["WALES"], 2, 3, 100 * 2 / 3)


def test_ref_decided_1wd_referral_on_weekend_or_bank_holiday() -> None:
    """WD(a, b) counts days after a, so a referral received on a non-working day still has one working day."""
    ds = Dataset(la=CARDIFF)
    # Sat 2008-05-03 -> Tue 05-06: Sun 4, Mon 5 (BH) out; Tue 6 -> WD 1 -> within.
    ds.referral("C1", "R1", "2008-05-03", decision_date="2008-05-06", decision="IA")
    # Mon 2008-05-05 (BH) -> Wed 05-07: Tue 6, Wed 7 -> WD 2 -> not within.
    ds.referral("C2", "R2", "2008-05-05", decision_date="2008-05-07", decision="IA")
    # Sun 2008-05-04 -> Mon 05-05 (BH): WD 0 -> within.
    ds.referral("C3", "R3", "2008-05-04", decision_date="2008-05-05", decision="IA")
    check(run(ds, "REF_DECIDED_1WD", 2008), 2, 3, 100 * 2 / 3)


def test_ref_decided_1wd_two_years_in_one_call() -> None:
    """evaluate(years=[2008, 2009]) gives each year its own referrals."""
    from diogel.indicators.engine import evaluate

    from .builder import pick

    ds = Dataset(la=CARDIFF)
    # 2008-09: Tue 2009-03-31 -> Thu 2009-04-02: Wed 1, Thu 2 -> WD 2 -> not within.
    ds.referral("C1", "R1", "2009-03-31", decision_date="2009-04-02", decision="IA")
    # 2009-10: Wed 2009-04-01 -> Thu 04-02: WD 1 -> within.
    ds.referral("C2", "R2", "2009-04-01", decision_date="2009-04-02", decision="IA")
    results = evaluate(ds.tables(), years=[2008, 2009], indicators=["REF_DECIDED_1WD"])
    check(pick(results, "REF_DECIDED_1WD", CARDIFF, 2008), 0, 1, 0.0)
    check(pick(results, "REF_DECIDED_1WD", CARDIFF, 2009), 1, 1, 100.0)
    check(pick(results, "REF_DECIDED_1WD", "WALES", 2009), 1, 1, 100.0)


# --------------------------------------------------------------------------
# REREFERRAL_12M
# --------------------------------------------------------------------------


def test_rereferral_12m_boundaries_and_two_las() -> None:
    """Earlier referral exactly 12 months before (included), the same day (excluded: e < REFERRAL_DATE),
    one day more than 12 months (excluded); a child is (LA, CHILD): the same id in another LA is
    another child."""
    ds = Dataset(la=CARDIFF)
    # C1: 2008-06-10 - 12 months = 2007-06-10 <= e = 2007-06-10 < 2008-06-10 -> R2 in numerator.
    #     R1 (2007) is not in the year.
    ds.referral("C1", "R1", "2007-06-10", decision="IA")
    ds.referral("C1", "R2", "2008-06-10", decision="IA")
    # C2: two referrals the same day: e < REFERRAL_DATE fails both ways -> neither in numerator.
    ds.referral("C2", "R3", "2008-07-01", decision="IA")
    ds.referral("C2", "R4", "2008-07-01", decision="IA")
    # C3: e = 2007-06-09 < 2007-06-10 (the 12-month bound) -> R6 not in numerator.
    ds.referral("C3", "R5", "2007-06-09", decision="IA")
    ds.referral("C3", "R6", "2008-06-10", decision="IA")
    # C4: R7 2008-09-01 has nothing before it -> no; R8 2008-10-01 has R7 one month before -> yes.
    ds.referral("C4", "R7", "2008-09-01", decision="IA")
    ds.referral("C4", "R8", "2008-10-01", decision="IA")
    # C5: the earlier referral closed with NFA still counts ("another referral", any decision).
    ds.referral("C5", "R9", "2008-02-01", decision="NFA")
    ds.referral("C5", "R10", "2008-05-01", decision="IA")
    # Swansea child with the same id C1: referral 2008-06-01. Its own history is empty, so not in the
    # numerator (Cardiff's C1 referral of 2007-06-10 belongs to another child).
    ds.referral("C1", "S1", "2008-06-01", decision="IA", la=SWANSEA)
    res = run_all(ds, "REREFERRAL_12M", 2008)
    # Cardiff denominator: R2 R3 R4 R6 R7 R8 R10 = 7; numerator: R2 R8 R10 = 3.
    check(res[CARDIFF], 3, 7, 100 * 3 / 7)
    check(res[SWANSEA], 0, 1, 0.0)
    # WALES: 3 / 8.
    check(res["WALES"], 3, 8, 37.5)


def test_rereferral_12m_29_february_2008() -> None:
    """2008-09: 2009-02-28 - 12 months = 2008-02-28, so an earlier referral on 2008-02-29 is within;
    2009-03-01 - 12 months = 2008-03-01, so 2008-02-29 is not."""
    ds = Dataset(la=CARDIFF)
    ds.referral("C1", "R1", "2008-02-29", decision="IA")
    ds.referral("C1", "R2", "2009-02-28", decision="IA")  # 2008-02-28 <= 2008-02-29 < 2009-02-28 -> yes
    ds.referral("C2", "R3", "2008-02-29", decision="IA")
    ds.referral("C2", "R4", "2009-03-01", decision="IA")  # 2008-03-01 > 2008-02-29 -> no
    # Denominator R2 R4 = 2 (R1, R3 are in 2007-08); numerator R2 = 1.
    check(run(ds, "REREFERRAL_12M", 2008), 1, 2, 50.0)


def test_rereferral_12m_29_february_2012_clamps() -> None:
    """2011-12: 2012-02-29 - 12 months = 2011-02-29, clamped to 2011-02-28: a referral on 2011-02-28 is
    within, one on 2011-02-27 is not."""
    ds = Dataset(la=CARDIFF)
    ds.referral("C1", "R1", "2011-02-28", decision="IA")
    ds.referral("C1", "R2", "2012-02-29", decision="IA")  # 2011-02-28 <= 2011-02-28 -> yes
    ds.referral("C2", "R3", "2011-02-27", decision="IA")
    ds.referral("C2", "R4", "2012-02-29", decision="IA")  # 2011-02-27 < 2011-02-28 -> no
    # Denominator R2 R4 = 2 (R1, R3 fall in 2010-11); numerator 1.
    check(run(ds, "REREFERRAL_12M", 2011), 1, 2, 50.0)


# --------------------------------------------------------------------------
# Initial assessments: IA_7WD, IA_LATE_AVG_WD, IA_SEEN, IA_SEEN_ALONE
# --------------------------------------------------------------------------


def _initial_assessments() -> Dataset:
    """Cardiff: five INITIAL assessments completed in 2008-09 plus four that must be left out;
    Swansea: one late; Newport: a child with no assessment."""
    ds = Dataset(la=CARDIFF)
    for child, rid, rdate in [
        ("C1", "R1", "2008-05-02"),
        ("C2", "R2", "2008-05-02"),
        ("C3", "R3", "2008-05-02"),
        ("C4", "R4", "2008-03-20"),
        ("C5", "R5", "2008-12-19"),
        ("C6", "R6", "2008-06-02"),
        ("C7", "R7", "2009-03-20"),
        ("C8", "R8", "2008-03-03"),
        ("C9", "R9", "2008-06-02"),
    ]:
        ds.referral(child, rid, rdate, decision="IA")
    # A1 Fri 05-02 -> Tue 05-13: Mon 5 (BH) out; 6,7,8,9 = 4; 12, 13 -> WD 6 -> within.
    ds.assessment("C1", "A1", "R1", "INITIAL", start_date="2008-05-06", completed_date="2008-05-13", seen="Y",
                  seen_alone="Y")  # fmt: skip
    # A2 -> Wed 05-14: WD 7, exactly the 7th working day -> within (not late: late means above 7).
    ds.assessment("C2", "A2", "R2", "INITIAL", start_date="2008-05-06", completed_date="2008-05-14", seen="Y",
                  seen_alone="N")  # fmt: skip
    # A3 -> Thu 05-15: WD 8 -> not within, late with 8. (Counted from START_DATE 05-06 it would be
    #    7,8,9,12,13,14,15 = 7 and wrongly within: the measure runs from the REFERRAL_DATE.)
    ds.assessment("C3", "A3", "R3", "INITIAL", start_date="2008-05-06", completed_date="2008-05-15", seen="N",
                  seen_alone="N")  # fmt: skip
    # A4 referral Thu 2008-03-20 (previous year) completed Wed 2008-04-02 (in the year): Fri 21 (Good
    #    Friday), Sat, Sun, Mon 24 (Easter Monday) out; 25,26,27,28 = 4; Mon 31 = 5; Tue 1 Apr = 6;
    #    Wed 2 Apr = 7 -> within. SEEN blank.
    ds.assessment("C4", "A4", "R4", "INITIAL", start_date="2008-03-25", completed_date="2008-04-02")
    # A5 referral Fri 2008-12-19 completed Tue 2009-01-06: 22,23,24 = 3; 25, 26 (BH) out; 29,30,31 = 6;
    #    Thu 1 Jan (BH) out; Fri 2 Jan = 7; Mon 5 = 8; Tue 6 = 9 -> late with 9. SEEN Y, SEEN_ALONE blank.
    ds.assessment("C5", "A5", "R5", "INITIAL", start_date="2008-12-22", completed_date="2009-01-06", seen="Y")
    # Left out of every IA measure:
    # A6 is a CORE assessment;
    ds.assessment("C6", "A6", "R6", "CORE", start_date="2008-06-02", completed_date="2008-06-20", seen="Y",
                  seen_alone="Y")  # fmt: skip
    # A7 completed 2009-04-01 (next year);
    ds.assessment("C7", "A7", "R7", "INITIAL", start_date="2009-03-23", completed_date="2009-04-01", seen="Y",
                  seen_alone="Y")  # fmt: skip
    # A8 completed 2008-03-31 (previous year);
    ds.assessment("C8", "A8", "R8", "INITIAL", start_date="2008-03-04", completed_date="2008-03-31", seen="Y",
                  seen_alone="Y")  # fmt: skip
    # A9 not completed.
    ds.assessment("C9", "A9", "R9", "INITIAL", start_date="2008-06-03", seen="Y", seen_alone="Y")
    # Swansea: referral Mon 2008-06-02 completed Mon 06-16: 3-6 = 4; 9-13 = 9; 16 = 10 -> late with 10.
    ds.referral("C1", "R1", "2008-06-02", decision="IA", la=SWANSEA)
    ds.assessment("C1", "A1", "R1", "INITIAL", la=SWANSEA, start_date="2008-06-03", completed_date="2008-06-16",
                  seen="Y", seen_alone="Y")  # fmt: skip
    ds.child("N1", la=NEWPORT)
    return ds


def test_ia_7wd() -> None:
    """Completed on the 7th working day is within; Easter 2008 across 1 April; START_DATE is not used."""
    res = run_all(_initial_assessments(), "IA_7WD", 2008)
    # Cardiff denominator A1..A5 = 5; numerator A1 (6), A2 (7), A4 (7) = 3.
    check(res[CARDIFF], 3, 5, 60.0)
    check(res[SWANSEA], 0, 1, 0.0)
    check(res[NEWPORT], 0, 0, None)
    # WALES 3 / 6.
    check(res["WALES"], 3, 6, 50.0)


def test_ia_7wd_referral_on_bank_holiday() -> None:
    """Referral received on the spring bank holiday Mon 2008-05-26."""
    ds = Dataset(la=CARDIFF)
    ds.referral("C1", "R1", "2008-05-26", decision="IA")
    ds.referral("C2", "R2", "2008-05-26", decision="IA")
    # -> Wed 06-04: Tue 27-Fri 30 = 4; Mon 2, Tue 3, Wed 4 Jun = 7 -> within.
    ds.assessment("C1", "A1", "R1", "INITIAL", start_date="2008-05-27", completed_date="2008-06-04")
    # -> Thu 06-05 = 8 -> not within; late with 8.
    ds.assessment("C2", "A2", "R2", "INITIAL", start_date="2008-05-27", completed_date="2008-06-05")
    check(run(ds, "IA_7WD", 2008), 1, 2, 50.0)
    check(run(ds, "IA_LATE_AVG_WD", 2008), 8, 1, 8.0)


def test_ia_late_avg_wd() -> None:
    """Only assessments above 7 working days count; exactly 7 is not late."""
    res = run_all(_initial_assessments(), "IA_LATE_AVG_WD", 2008)
    # Cardiff: A3 (8) and A5 (9): sum 17 over 2 -> 8.5.
    check(res[CARDIFF], 17, 2, 8.5)
    # Swansea: 10 over 1.
    check(res[SWANSEA], 10, 1, 10.0)
    # Newport: no late assessment: 0 over 0, value blank.
    check(res[NEWPORT], 0, 0, None)
    # WALES: 27 / 3 = 9.
    check(res["WALES"], 27, 3, 9.0)


def test_ia_seen() -> None:
    """SEEN = Y over INITIAL assessments completed in the year; blank SEEN is not Y."""
    res = run_all(_initial_assessments(), "IA_SEEN", 2008)
    # Cardiff: A1 Y, A2 Y, A3 N, A4 blank, A5 Y -> 3 of 5.
    check(res[CARDIFF], 3, 5, 60.0)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res["WALES"], 4, 6, 100 * 4 / 6)


def test_ia_seen_alone() -> None:
    """SEEN_ALONE = Y over INITIAL assessments completed in the year."""
    res = run_all(_initial_assessments(), "IA_SEEN_ALONE", 2008)
    # Cardiff: A1 Y, A2 N, A3 N, A4 blank, A5 blank -> 1 of 5.
    check(res[CARDIFF], 1, 5, 20.0)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res["WALES"], 2, 6, 100 * 2 / 6)


# --------------------------------------------------------------------------
# Core assessments: CA_35WD, CA_LATE_AVG_WD
# --------------------------------------------------------------------------


def _core_assessments() -> Dataset:
    ds = Dataset(la=CARDIFF)
    rows = [
        # K1 start Mon 2008-06-02 -> Mon 07-21: seven full weeks with no bank holiday:
        #    Jun 3-6 = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, Jun 30-Jul 4 = 24, 7-11 = 29, 14-18 = 34,
        #    Mon 21 = 35 -> within (exactly 35).
        ("K1", "2008-06-02", "2008-07-21"),
        # K2 -> Tue 07-22 = 36 -> late with 36.
        ("K2", "2008-06-02", "2008-07-22"),
        # K3 start Mon 2008-07-21 -> Tue 09-09: Jul 22-25 = 4, Jul 28-Aug 1 = 9, Aug 4-8 = 14, 11-15 = 19,
        #    18-22 = 24, Mon 25 Aug (BH) out, 26-29 = 28, Sep 1-5 = 33, Mon 8 = 34, Tue 9 = 35 -> within.
        ("K3", "2008-07-21", "2008-09-09"),
        # K4 -> Wed 09-10 = 36 -> late with 36.
        ("K4", "2008-07-21", "2008-09-10"),
        # K5 start Mon 2008-12-01 -> Fri 2009-01-30: Dec 2-5 = 4, 8-12 = 9, 15-19 = 14, 22-24 = 17,
        #    25/26 (BH) out, 29-31 = 20, 1 Jan (BH) out, Fri 2 Jan = 21, 5-9 = 26, 12-16 = 31,
        #    19-23 = 36, 26-30 = 41 -> late with 41.
        ("K5", "2008-12-01", "2009-01-30"),
        # K6 completed 2009-04-01 -> next year, left out.
        ("K6", "2009-02-02", "2009-04-01"),
        # K8 completed the day it started: WD 0 -> within.
        ("K8", "2008-10-01", "2008-10-01"),
    ]
    for i, (aid, start, done) in enumerate(rows):
        child, rid = f"C{i}", f"R{i}"
        ds.referral(child, rid, start, decision="IA")
        ds.assessment(child, aid, rid, "CORE", start_date=start, completed_date=done)
    # K9: an INITIAL assessment taking 40 working days must not count in CORE measures
    #    (Mon 2008-06-02 -> Mon 07-28 would be 40).
    ds.referral("C9", "R9", "2008-06-02", decision="IA")
    ds.assessment("C9", "K9", "R9", "INITIAL", start_date="2008-06-02", completed_date="2008-07-28")
    # K10: CORE not yet completed -> left out.
    ds.referral("C10", "R10", "2008-06-02", decision="IA")
    ds.assessment("C10", "K10", "R10", "CORE", start_date="2008-06-02")
    return ds


def test_ca_35wd() -> None:
    """CORE assessments: exactly 35 working days is within, across the August bank holiday and Christmas."""
    # Denominator K1 K2 K3 K4 K5 K8 = 6; numerator K1 K3 K8 = 3.
    check(run(_core_assessments(), "CA_35WD", 2008), 3, 6, 50.0)


def test_ca_late_avg_wd() -> None:
    """Only CORE assessments above 35 working days: K2 36, K4 36, K5 41."""
    # Sum 36 + 36 + 41 = 113 over 3 -> 37.666...
    check(run(_core_assessments(), "CA_LATE_AVG_WD", 2008), 113, 3, 113 / 3)


def test_rereferral_children_list() -> None:
    """The child-level list names every referral in the denominator and whether it is in the numerator
    (same data as test_rereferral_12m_boundaries_and_two_las)."""
    from diogel.indicators.engine import children

    ds = Dataset(la=CARDIFF)
    ds.referral("C1", "R1", "2007-06-10", decision="IA")
    ds.referral("C1", "R2", "2008-06-10", decision="IA")  # in (exactly 12 months)
    ds.referral("C2", "R3", "2008-07-01", decision="IA")  # out (same day)
    ds.referral("C2", "R4", "2008-07-01", decision="IA")  # out (same day)
    ds.referral("C4", "R7", "2008-09-01", decision="IA")  # out (first)
    ds.referral("C4", "R8", "2008-10-01", decision="IA")  # in
    ds.child("N1", la=NEWPORT)
    units = children(ds.tables(), "REREFERRAL_12M", CARDIFF, 2008)
    # Four referrals of the year: C1 in, C2 out twice, C4 one out and one in.
    assert sorted((u.child, u.in_numerator) for u in units) == [
        ("C1", True),
        ("C2", False),
        ("C2", False),
        ("C4", False),
        ("C4", True),
    ]
    assert children(ds.tables(), "REREFERRAL_12M", NEWPORT, 2008) == []
