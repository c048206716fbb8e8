"""Care leavers at 19: CL_IN_TOUCH_19, CL_ACCOM_19, CL_EET_19, CL_PATHWAY_PLAN_19 — expected values
worked out by hand from indicators.md (year 2008-09: BIRTHDAY_19 from 2008-04-01 to 2009-03-31)."""

from __future__ import annotations

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run_all


def _care_leavers() -> Dataset:
    ds = Dataset(la=CARDIFF)
    # L1 in touch, F1 (EET), B1 (suitable); pathway plan open since 2007 (END blank) -> in every numerator.
    ds.care_leaver("L1", "2008-05-01", in_touch="YES", activ="F1", accom="B1")
    ds.care_plan("L1", "P1", "PATHWAY_PLAN", "2007-05-01")
    # L2 not in touch (NO): in CL_IN_TOUCH_19's denominator only.
    ds.care_leaver("L2", "2008-06-01", in_touch="NO", activ="G4", accom="0")
    # L3 DIED: left out of every care-leaver measure.
    ds.care_leaver("L3", "2008-07-01", in_touch="DIED")
    # L4 in touch, G5 (not EET), X2 (unsuitable); pathway plan ending ON the birthday (END >= it) -> plan yes.
    ds.care_leaver("L4", "2008-08-01", in_touch="YES", activ="G5", accom="X2")
    ds.care_plan("L4", "P4", "PATHWAY_PLAN", "2008-01-01", end_date="2008-08-01")
    # L5 in touch, P3 (EET), ACCOM 0 (not "ends in 1"); pathway plan starting the day after -> no.
    ds.care_leaver("L5", "2008-09-01", in_touch="YES", activ="P3", accom="0")
    ds.care_plan("L5", "P5", "PATHWAY_PLAN", "2008-09-02")
    # L6 in touch, ACTIV 0 (not EET), X1 (suitable); only a CARE_PLAN open -> plan no.
    ds.care_leaver("L6", "2008-10-01", in_touch="YES", activ="0", accom="X1")
    ds.care_plan("L6", "P6", "CARE_PLAN", "2008-01-01")
    # L7 birthday 2009-04-01, L8 2008-03-31: outside the year -> left out.
    ds.care_leaver("L7", "2009-04-01", in_touch="YES", activ="F1", accom="B1")
    ds.care_leaver("L8", "2008-03-31", in_touch="YES", activ="F1", accom="B1")
    # L9 refused contact (REFU): in CL_IN_TOUCH_19's denominator only.
    ds.care_leaver("L9", "2008-11-01", in_touch="REFU")
    # L10 birthday on the last day of the year, in touch, F2 (EET), ACCOM blank (not suitable);
    #     pathway plan ended the day before the birthday -> no.
    ds.care_leaver("L10", "2009-03-31", in_touch="YES", activ="F2")
    ds.care_plan("L10", "P10", "PATHWAY_PLAN", "2008-01-01", end_date="2009-03-30")
    # Swansea: one care leaver in touch, G6, C1 (suitable), pathway plan from the birthday itself.
    ds.care_leaver("L1", "2008-06-15", la=SWANSEA, in_touch="YES", activ="G6", accom="C1")
    ds.care_plan("L1", "P1", "PATHWAY_PLAN", "2008-06-15", la=SWANSEA)
    ds.child("N1", la=NEWPORT)
    return ds


def test_cl_in_touch_19() -> None:
    """Denominator: birthday in the year and IN_TOUCH not DIED; numerator IN_TOUCH = YES."""
    res = run_all(_care_leavers(), "CL_IN_TOUCH_19", 2008)
    # Cardiff denominator L1 L2 L4 L5 L6 L9 L10 = 7; numerator L1 L4 L5 L6 L10 = 5.
    check(res[CARDIFF], 5, 7, 100 * 5 / 7)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 6, 8, 75.0)


def test_cl_accom_19() -> None:
    """Denominator: in touch; numerator ACCOM ends in 1 (0, X2 and blank do not)."""
    res = run_all(_care_leavers(), "CL_ACCOM_19", 2008)
    # Cardiff denominator L1 L4 L5 L6 L10 = 5; numerator L1 (B1), L6 (X1) = 2.
    check(res[CARDIFF], 2, 5, 40.0)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 3, 6, 50.0)


def test_cl_eet_19() -> None:
    """Denominator: in touch; numerator ACTIV in F1 P1 F2 P2 F3 P3 (G4-G6 and 0 are not EET)."""
    res = run_all(_care_leavers(), "CL_EET_19", 2008)
    # Cardiff numerator L1 (F1), L5 (P3), L10 (F2) = 3 of 5.
    check(res[CARDIFF], 3, 5, 60.0)
    check(res[SWANSEA], 0, 1, 0.0)
    check(res["WALES"], 3, 6, 50.0)


def test_cl_pathway_plan_19() -> None:
    """Denominator: in touch; numerator a PATHWAY_PLAN open on the birthday (START <= it, END blank or >= it)."""
    res = run_all(_care_leavers(), "CL_PATHWAY_PLAN_19", 2008)
    # Cardiff numerator L1 (open), L4 (ends on the birthday) = 2 of 5.
    check(res[CARDIFF], 2, 5, 40.0)
    # Swansea plan starts on the birthday (START <= it) -> yes.
    check(res[SWANSEA], 1, 1, 100.0)
    check(res["WALES"], 3, 6, 50.0)
