"""Looked-after children: LAC_CARE_PLAN_AT_PLACEMENT, LAC_3PLUS_PLACEMENTS, LAC_SCHOOL_CHANGE,
LAC_REVIEWS_ON_TIME, LAC_REVIEW_PARTICIPATION, LAC_VISITED_6W, LAC_SW_CHANGES, LAC_NO_QUALIFICATION,
LAC_QUAL_POINTS_AVG — expected values worked out by hand from indicators.md.

Rules used (indicators.md): looked after on d = an episode with DECOM <= d and (DEC blank or DEC > d);
episodes with LS V3/V4 (short breaks) do not exist for any of these measures; the snapshot of 2008-09
is 2009-03-31. A period of care is a chain of episodes starting with RNE S, each starting on the DEC
of the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run, run_all


@dataclass(frozen=True)
class Ep:
    """One episode (LS C2 unless told; never a short break unless told)."""

    decom: str
    rne: str
    place: str = "U1"
    dec: str | None = None
    rec: str | None = None
    ls: str = "C2"
    pl_post: str | None = None


def add_episodes(ds: Dataset, child: str, eps: list[Ep], la: str | None = None) -> None:
    for e in eps:
        ds.episode(child, e.decom, e.rne, la=la, ls=e.ls, place=e.place, dec=e.dec, rec=e.rec, pl_post=e.pl_post)


# --------------------------------------------------------------------------
# LAC_CARE_PLAN_AT_PLACEMENT
# --------------------------------------------------------------------------


def test_lac_care_plan_at_placement() -> None:
    """First placements (RNE S, DECOM in the year) with a CARE_PLAN open on DECOM (START <= DECOM,
    END blank or >= DECOM); other plan types, short breaks and P episodes do not count."""
    ds = Dataset(la=CARDIFF)
    # C1: S 2008-05-01, care plan from 2008-05-01 (START = DECOM) -> yes.
    add_episodes(ds, "C1", [Ep("2008-05-01", "S")])
    ds.care_plan("C1", "P1", "CARE_PLAN", "2008-05-01")
    # C2: S 2008-06-01, care plan only from 2008-06-02 -> no.
    add_episodes(ds, "C2", [Ep("2008-06-01", "S")])
    ds.care_plan("C2", "P2", "CARE_PLAN", "2008-06-02")
    # C3: S 2008-07-01, care plan 2008-01-01 .. 2008-07-01 (END = DECOM, END >= DECOM) -> yes.
    add_episodes(ds, "C3", [Ep("2008-07-01", "S")])
    ds.care_plan("C3", "P3", "CARE_PLAN", "2008-01-01", end_date="2008-07-01")
    # C4: S 2008-08-01, care plan ended 2008-07-31 -> no.
    add_episodes(ds, "C4", [Ep("2008-08-01", "S")])
    ds.care_plan("C4", "P4", "CARE_PLAN", "2008-01-01", end_date="2008-07-31")
    # C5: S 2008-09-01 with only a PATHWAY_PLAN -> no.
    add_episodes(ds, "C5", [Ep("2008-09-01", "S")])
    ds.care_plan("C5", "P5", "PATHWAY_PLAN", "2008-08-01")
    # C6: a short break (LS V3) starting 2008-10-01 with a care plan -> ignored altogether.
    add_episodes(ds, "C6", [Ep("2008-10-01", "S", ls="V3", dec="2008-10-03", rec="E8")])
    ds.care_plan("C6", "P6", "CARE_PLAN", "2008-09-01")
    # C7: S in 2007, P on 2008-05-01 (a change of placement, not a first placement) -> left out.
    add_episodes(ds, "C7", [Ep("2007-05-01", "S", dec="2008-05-01", rec="X1"), Ep("2008-05-01", "P", "U2")])
    ds.care_plan("C7", "P7", "CARE_PLAN", "2007-05-01")
    # C8: two periods of care in the year: S 2008-04-01 (first day of the year) .. 2008-06-01, then S
    #     2008-12-01. Care plan 2008-03-01 .. 2008-05-01 covers the first only -> 2 units, 1 yes.
    add_episodes(ds, "C8", [Ep("2008-04-01", "S", dec="2008-06-01", rec="E8"), Ep("2008-12-01", "S")])
    ds.care_plan("C8", "P8", "CARE_PLAN", "2008-03-01", end_date="2008-05-01")
    # C9: S 2009-04-01 (next year) and C10: S 2008-03-31 (previous year) -> left out.
    add_episodes(ds, "C9", [Ep("2009-04-01", "S")])
    ds.care_plan("C9", "P9", "CARE_PLAN", "2009-04-01")
    add_episodes(ds, "C10", [Ep("2008-03-31", "S")])
    ds.care_plan("C10", "P10", "CARE_PLAN", "2008-03-31")
    # Swansea's child C2 (another child: same id, other LA) has a care plan from 2008-01-01; it must not
    # count for Cardiff's C2. Swansea has no first placement -> 0/0.
    ds.care_plan("C2", "P2", "CARE_PLAN", "2008-01-01", la=SWANSEA)
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "LAC_CARE_PLAN_AT_PLACEMENT", 2008)
    check(res[SWANSEA], 0, 0, None)
    # Denominator C1 C2 C3 C4 C5 C8a C8b = 7; numerator C1 C3 C8a = 3.
    check(res[CARDIFF], 3, 7, 100 * 3 / 7)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 3, 7, 100 * 3 / 7)


# --------------------------------------------------------------------------
# LAC_3PLUS_PLACEMENTS
# --------------------------------------------------------------------------

# Each case: the child's episodes, and whether the child is in the numerator (True/False) or not
# looked after at the snapshot 2009-03-31 (None: not in the denominator).
PLACEMENT_CASES: dict[str, tuple[list[Ep], bool | None]] = {
    # S, P, P in the year: 1 + 1 + 1 = 3 -> yes.
    "three_placements": (
        [
            Ep("2008-05-01", "S", "U1", "2008-07-01", "X1"),
            Ep("2008-07-01", "P", "U2", "2008-09-01", "X1"),
            Ep("2008-09-01", "P", "U3"),
        ],
        True,
    ),
    # S, L (legal status only), P: 1 + 0 + 1 = 2 -> no.
    "legal_status_change_not_a_placement": (
        [
            Ep("2008-05-01", "S", "U1", "2008-07-01", "X1"),
            Ep("2008-07-01", "L", "U1", "2008-09-01", "X1", ls="C1"),
            Ep("2008-09-01", "P", "U2"),
        ],
        False,
    ),
    # Same-carer moves: S, B, U: 1 + 0 + 0 = 1 -> no.
    "same_carer_moves_B_U": (
        [
            Ep("2008-05-01", "S", "U1", "2008-07-01", "X1"),
            Ep("2008-07-01", "B", "U2", "2008-09-01", "X1"),
            Ep("2008-09-01", "U", "U3", ls="C1"),
        ],
        False,
    ),
    # First episode started 2008-01-01 and ends 2008-06-01 > 1 April: it overlaps the year and counts 1;
    # then P, P -> 3 -> yes.
    "episode_crossing_1_april": (
        [
            Ep("2008-01-01", "S", "U1", "2008-06-01", "X1"),
            Ep("2008-06-01", "P", "U2", "2008-10-01", "X1"),
            Ep("2008-10-01", "P", "U3"),
        ],
        True,
    ),
    # First episode ends exactly 2008-04-01: overlap needs DEC > 1 April -> not in the year. The P of
    # 2008-04-01 is then the first remaining episode (1), the P of 10-01 adds 1 -> 2 -> no.
    "episode_ending_on_1_april_not_in_year": (
        [
            Ep("2008-01-01", "S", "U1", "2008-04-01", "X1"),
            Ep("2008-04-01", "P", "U2", "2008-10-01", "X1"),
            Ep("2008-10-01", "P", "U3"),
        ],
        False,
    ),
    # S U1 (CF14) = 1; T1 temporary skipped; back to U1 in CF14, the same PLACE and PL_POST as the last
    # remaining episode before the temporary one -> 0; P U2 -> 1. Total 2 -> no.
    "temporary_then_same_placement": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "X1", pl_post="CF14"),
            Ep("2008-06-01", "P", "T1", "2008-06-15", "X1", pl_post="LL11"),
            Ep("2008-06-15", "P", "U1", "2008-09-01", "X1", pl_post="CF14"),
            Ep("2008-09-01", "P", "U2", pl_post="CF23"),
        ],
        False,
    ),
    # Two temporary episodes in a row (T0, T2) then back to U1 in CF14: same as before them -> 0. Total 2.
    "two_temporaries_then_same_placement": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "X1", pl_post="CF14"),
            Ep("2008-06-01", "P", "T0", "2008-06-10", "X1"),
            Ep("2008-06-10", "P", "T2", "2008-06-20", "X1"),
            Ep("2008-06-20", "P", "U1", "2008-09-01", "X1", pl_post="CF14"),
            Ep("2008-09-01", "P", "U2", pl_post="CF23"),
        ],
        False,
    ),
    # As above but the return is to U1 in CF23: PL_POST differs -> counts. 1 + 1 + 1 = 3 -> yes.
    "temporary_then_different_postcode": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "X1", pl_post="CF14"),
            Ep("2008-06-01", "P", "T2", "2008-06-15", "X1", pl_post="LL11"),
            Ep("2008-06-15", "P", "U1", "2008-09-01", "X1", pl_post="CF23"),
            Ep("2008-09-01", "P", "U2", pl_post="CF5"),
        ],
        True,
    ),
    # Return to U4 in the same CF14: PLACE differs -> counts. 3 -> yes.
    "temporary_then_different_place": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "X1", pl_post="CF14"),
            Ep("2008-06-01", "P", "T3", "2008-06-15", "X1", pl_post="LL11"),
            Ep("2008-06-15", "P", "U4", "2008-09-01", "X1", pl_post="CF14"),
            Ep("2008-09-01", "P", "U2", pl_post="CF5"),
        ],
        True,
    ),
    # Period of care ends 2008-06-01 and a new one starts (RNE S) 2008-08-01 in the same placement type:
    # S = 1, S = 1, P = 1 -> 3 -> yes.
    "period_ends_and_restarts": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "E8"),
            Ep("2008-08-01", "S", "U1", "2008-10-01", "X1"),
            Ep("2008-10-01", "P", "U2"),
        ],
        True,
    ),
    # A short break (V3) with RNE S is ignored; then S, P -> 2 -> no.
    "short_break_ignored": (
        [
            Ep("2008-05-01", "S", "U1", "2008-05-03", "E8", ls="V3"),
            Ep("2008-06-01", "S", "U2", "2008-07-01", "X1"),
            Ep("2008-07-01", "P", "U3"),
        ],
        False,
    ),
    # Three placements but the last episode ends ON the snapshot: not looked after (DEC > d fails).
    "ceased_on_snapshot_not_in_denominator": (
        [
            Ep("2008-05-01", "S", "U1", "2008-07-01", "X1"),
            Ep("2008-07-01", "P", "U2", "2008-09-01", "X1"),
            Ep("2008-09-01", "P", "U3", "2009-03-31", "E8"),
        ],
        None,
    ),
    # Started on the snapshot: looked after (DECOM <= d), one placement -> no.
    "started_on_snapshot": ([Ep("2009-03-31", "S", "U1")], False),
    # The third placement starts 2009-04-01: DECOM > snapshot, outside the year -> 2 -> no.
    "third_placement_after_year": (
        [
            Ep("2008-05-01", "S", "U1", "2008-10-01", "X1"),
            Ep("2008-10-01", "P", "U2", "2009-04-01", "X1"),
            Ep("2009-04-01", "P", "U3"),
        ],
        False,
    ),
    # Temporary placement with PL_POST blank before and after, same PLACE U1: nothing differs -> 0.
    # S = 1, back to U1 = 0, P U2 = 1 -> 2 -> no.
    "temporary_then_same_placement_postcodes_blank": (
        [
            Ep("2008-05-01", "S", "U1", "2008-06-01", "X1"),
            Ep("2008-06-01", "P", "T4", "2008-06-15", "X1"),
            Ep("2008-06-15", "P", "U1", "2008-09-01", "X1"),
            Ep("2008-09-01", "P", "U2"),
        ],
        False,
    ),
    # RNE T (legal status and placement) counts: S, T, P -> 3 -> yes.
    "rne_T_counts": (
        [
            Ep("2008-05-01", "S", "U1", "2008-07-01", "X1"),
            Ep("2008-07-01", "T", "U2", "2008-09-01", "X1", ls="C1"),
            Ep("2008-09-01", "P", "U3", ls="C1"),
        ],
        True,
    ),
}


@pytest.mark.parametrize("name", list(PLACEMENT_CASES))
def test_lac_3plus_placements_case(name: str) -> None:
    """One child at a time (see the comment beside each case)."""
    eps, expected = PLACEMENT_CASES[name]
    ds = Dataset(la=CARDIFF)
    add_episodes(ds, "C1", eps)
    r = run(ds, "LAC_3PLUS_PLACEMENTS", 2008)
    if expected is None:
        check(r, 0, 0, None)
    elif expected:
        check(r, 1, 1, 100.0)
    else:
        check(r, 0, 1, 0.0)


def test_lac_3plus_placements_all_together() -> None:
    """All the cases as children of one LA, plus WALES."""
    ds = Dataset(la=CARDIFF)
    for i, (eps, _) in enumerate(PLACEMENT_CASES.values()):
        add_episodes(ds, f"C{i}", eps)
    # Swansea: one child with S, P, P -> in the numerator.
    add_episodes(ds, "C1", PLACEMENT_CASES["three_placements"][0], la=SWANSEA)
    res = run_all(ds, "LAC_3PLUS_PLACEMENTS", 2008)
    # Cardiff: 16 cases, one not looked after -> denominator 15; numerator: three_placements,
    # episode_crossing_1_april, temporary_then_different_postcode, temporary_then_different_place,
    # period_ends_and_restarts, rne_T_counts = 6.
    check(res[CARDIFF], 6, 15, 40.0)
    check(res[SWANSEA], 1, 1, 100.0)
    check(res["WALES"], 7, 16, 100 * 7 / 16)


# --------------------------------------------------------------------------
# LAC_SCHOOL_CHANGE
# --------------------------------------------------------------------------


def test_lac_school_change() -> None:
    """Non-transitional change in the year on a date when looked after (short breaks do not count)."""
    ds = Dataset(la=CARDIFF)
    # C1 looked after from 2008-04-01, change 2008-09-01 N -> yes.
    add_episodes(ds, "C1", [Ep("2008-04-01", "S")])
    ds.school_change("C1", "2008-09-01", "N")
    # C2 looked after from 2008-10-01; change 2008-09-01 N was before care -> no.
    add_episodes(ds, "C2", [Ep("2008-10-01", "S")])
    ds.school_change("C2", "2008-09-01", "N")
    # C3 looked after, change 2008-09-01 TRANSITIONAL Y -> no.
    add_episodes(ds, "C3", [Ep("2007-01-01", "S")])
    ds.school_change("C3", "2008-09-01", "Y")
    # C4 looked after since 2007, change 2008-03-31 N (previous year) -> no.
    add_episodes(ds, "C4", [Ep("2007-01-01", "S")])
    ds.school_change("C4", "2008-03-31", "N")
    # C5 looked after 2008-06-01 .. 2008-08-01 and from 2008-10-01; changes on 2008-09-01 (between
    # periods) and on 2008-08-01 (the DEC: not looked after, DEC > d fails) -> no.
    add_episodes(ds, "C5", [Ep("2008-06-01", "S", dec="2008-08-01", rec="E8"), Ep("2008-10-01", "S")])
    ds.school_change("C5", "2008-09-01", "N")
    ds.school_change("C5", "2008-08-01", "N")
    # C6 on a short break (V3) over 2008-09-01, looked after from 2008-11-01 -> the change on
    # 2008-09-01 was not while looked after -> no.
    add_episodes(ds, "C6", [Ep("2008-08-30", "S", dec="2008-09-02", rec="E8", ls="V3"), Ep("2008-11-01", "S")])
    ds.school_change("C6", "2008-09-01", "N")
    # C7 ceased 2009-03-31 (not looked after at the snapshot) -> not in the denominator.
    add_episodes(ds, "C7", [Ep("2008-04-01", "S", dec="2009-03-31", rec="E8")])
    ds.school_change("C7", "2008-09-01", "N")
    # C8 looked after from 2008-10-01, change on 2008-10-01 (DECOM <= d) -> yes.
    add_episodes(ds, "C8", [Ep("2008-10-01", "S")])
    ds.school_change("C8", "2008-10-01", "N")
    # C9 looked after 2008-04-01 .. 2008-08-01 and again from 2008-10-01; change 2008-07-01 N during the
    #    first period (looked after on that date) -> yes.
    add_episodes(ds, "C9", [Ep("2008-04-01", "S", dec="2008-08-01", rec="E8"), Ep("2008-10-01", "S")])
    ds.school_change("C9", "2008-07-01", "N")
    # C10 looked after, change with TRANSITIONAL blank -> not N -> no.
    add_episodes(ds, "C10", [Ep("2007-01-01", "S")])
    ds.add("school_changes", CHILD="C10", CHANGE_DATE="2008-09-01")
    # Denominator C1..C6, C8, C9, C10 = 9; numerator C1, C8, C9 = 3.
    check(run(ds, "LAC_SCHOOL_CHANGE", 2008), 3, 9, 100 * 3 / 9)


# --------------------------------------------------------------------------
# LAC_REVIEWS_ON_TIME
# --------------------------------------------------------------------------


@dataclass
class ReviewCase:
    """A child's episodes and LAC review dates, evaluated for ``year``."""

    episodes: list[Ep]
    reviews: list[str] = field(default_factory=list)
    numerator: int = 0
    denominator: int = 0
    year: int = 2008


LAC_REVIEW_CASES: dict[str, ReviewCase] = {
    # Start Fri 2008-05-02. 20th working day after: Mon 5 May (BH) out; 6-9 = 4; 12-16 = 9; 19-23 = 14;
    # Mon 26 (BH) out; 27-30 = 18; Mon 2 Jun = 19; Tue 3 Jun = 20 -> first due 2008-06-03.
    # Held 06-03 (on time); second due 06-03 + 3 months = 09-03, held 09-03 (on time); third due
    # 2009-03-03, held 2009-03-04 (late). 3 held, 2 on time.
    "first_on_20th_wd_then_3_and_6_months": ReviewCase(
        [Ep("2008-05-02", "S")], ["2008-06-03", "2008-09-03", "2009-03-04"], 2, 3
    ),
    # Same start; first held 06-04 (late: due 06-03); second due 09-04, held early 09-01 (on time);
    # third due 2009-03-01, not held, open -> missed. 2 held + 1 missed = 3, 1 on time.
    "late_first_early_second_then_missed": ReviewCase([Ep("2008-05-02", "S")], ["2008-06-04", "2008-09-01"], 1, 3),
    # Period 1 Mon 2008-04-07 .. 2008-04-25: first due (8-11 = 4, 14-18 = 9, 21-25 = 14, 28 Apr-2 May = 19,
    # Mon 5 May BH, Tue 6 May = 20) 2008-05-06, period not open then -> not due.
    # Period 2 starts (RNE S) Mon 2008-12-01, the schedule restarts: 2-5 = 4, 8-12 = 9, 15-19 = 14,
    # 22-24 = 17, 25/26 (BH) out, 29-31 = 20 -> due 2008-12-31, held that day (on time); second due
    # 2008-12-31 + 3 months = 2009-03-31 (the snapshot), not held, open -> missed. 1 held + 1 missed, 1 on time.
    "period_ends_and_restarts": ReviewCase(
        [Ep("2008-04-07", "S", dec="2008-04-25", rec="E8"), Ep("2008-12-01", "S")], ["2008-12-31"], 1, 2
    ),
    # Period started Mon 2008-02-18 (previous year): 19-22 Feb = 4, 25-29 = 9, 3-7 Mar = 14, 10-14 = 19,
    # Mon 17 Mar = 20 -> due 2008-03-17, held then (previous year, not counted). Second due 2008-06-17,
    # held 06-20 (late); third due 2008-12-20, held 12-19 (on time); fourth due 2009-06-19 (next year).
    # 2 held in the year, 1 on time.
    "period_crossing_1_april": ReviewCase([Ep("2008-02-18", "S")], ["2008-03-17", "2008-06-20", "2008-12-19"], 1, 2),
    # Period Mon 2008-06-02 .. 2008-06-20; a review on 2008-06-25 is when not looked after -> ignored.
    # First due (3-6 = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, Mon 30 = 20) 2008-06-30: not open -> not due.
    "review_when_not_looked_after_ignored": ReviewCase(
        [Ep("2008-06-02", "S", dec="2008-06-20", rec="E8")], ["2008-06-25"], 0, 0
    ),
    # Only a short break (V3): it does not exist, so no period of care; the review is ignored.
    "short_break_only": ReviewCase(
        [Ep("2008-05-02", "S", ls="V3", dec="2008-05-04", rec="E8"), Ep("2008-07-01", "S", ls="V4")],
        ["2008-06-03"],
        0,
        0,
    ),
    # Period starts S Fri 2008-05-02 and continues with a P episode on 2008-05-20: the period's start is
    # still 05-02 -> first due 2008-06-03; held 06-04 -> late (counting from the P episode, 05-20, would
    # give a due date of 06-18 and wrongly "on time"). Second due 2008-09-04, not held -> missed. 0 of 2.
    "placement_change_does_not_restart": ReviewCase(
        [Ep("2008-05-02", "S", "U1", "2008-05-20", "X1"), Ep("2008-05-20", "P", "U2")], ["2008-06-04"], 0, 2
    ),
    # Start Mon 2008-11-03: 4-7 = 4, 10-14 = 9, 17-21 = 14, 24-28 = 19, Mon 1 Dec = 20 -> due 2008-12-01.
    # Held Sun 2008-11-30 (early, on time); second due 2008-11-30 + 3 months = 2009-02-30 -> clamped to
    # 2009-02-28; held 2009-03-02 -> late. 2 held, 1 on time.
    "second_due_clamped_to_28_february": ReviewCase([Ep("2008-11-03", "S")], ["2008-11-30", "2009-03-02"], 1, 2),
    # Start Mon 2008-09-01: 2-5 = 4, 8-12 = 9, 15-19 = 14, 22-26 = 19, Mon 29 = 20 -> due 2008-09-29, held
    # (on time). Second due 2008-12-29; period open until 2009-01-15 (> 12-29), not held -> missed. 1 of 2.
    "missed_while_open_then_ceased": ReviewCase(
        [Ep("2008-09-01", "S", dec="2009-01-15", rec="E8")], ["2008-09-29"], 1, 2
    ),
    # Start Mon 2008-09-01 -> first due 2008-09-29 (as above); period open until 2008-10-15 but no review
    # while open; the review of 2008-10-20 is after the period ended -> ignored, so the one due 09-29 was
    # never held -> missed. 0 of 1.
    "held_only_after_period_ended_so_missed": ReviewCase(
        [Ep("2008-09-01", "S", dec="2008-10-15", rec="E8")], ["2008-10-20"], 0, 1
    ),
    # Period 1: Mon 2008-04-07 .. 2008-06-30, first due 2008-05-06 (worked out above), held then (on time);
    # second due 2008-08-06, period closed -> not due. Period 2 starts Mon 2008-09-01: the schedule
    # restarts, first due 2008-09-29 (as above); held 2008-09-25 -> on time (carrying period 1's schedule
    # on, due 08-06, would call it late). Third: 2008-09-25 + 3 months = 2008-12-25 due, held 2008-12-24
    # -> on time; next due 2009-06-24 (next year). 3 held, 3 on time.
    "schedule_restarts_with_new_period": ReviewCase(
        [Ep("2008-04-07", "S", dec="2008-06-30", rec="E8"), Ep("2008-09-01", "S")],
        ["2008-05-06", "2008-09-25", "2008-12-24"],
        3,
        3,
    ),
    # Start 2008-09-01, ceased on 2008-09-29, the first due date: not open on it -> not due.
    "ceased_on_due_date": ReviewCase([Ep("2008-09-01", "S", dec="2008-09-29", rec="E8")], [], 0, 0),
    # Start Mon 2009-03-02: 3-6 = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, Mon 30 = 20 -> due 2009-03-30, in the
    # year; held only 2009-04-02 (after the snapshot) -> missed in 2008-09. 0 of 1.
    "due_at_year_end_held_after_snapshot": ReviewCase([Ep("2009-03-02", "S")], ["2009-04-02"], 0, 1),
    # 2009-10, Easter 2009. Start Mon 2009-03-23: 24-27 = 4; 30, 31 = 6; 1-3 Apr = 9; 6-9 = 13;
    # Fri 10 (Good Friday), Mon 13 (Easter Monday) out; 14-17 = 17; 20, 21, 22 = 20 -> due Wed 2009-04-22;
    # held 04-22 (on time; ignoring Easter would give 04-20 and "late"). Second due 2009-07-22, held then
    # (on time). Third due 2010-01-22, held 2010-01-21 (on time). Fourth due 2010-07-21 (next year). 3 of 3.
    "easter_2009_first_review": ReviewCase(
        [Ep("2009-03-23", "S")], ["2009-04-22", "2009-07-22", "2010-01-21"], 3, 3, year=2009
    ),
}


@pytest.mark.parametrize("name", list(LAC_REVIEW_CASES))
def test_lac_reviews_on_time_case(name: str) -> None:
    """One child at a time (see the comment beside each case)."""
    case = LAC_REVIEW_CASES[name]
    ds = Dataset(la=CARDIFF)
    add_episodes(ds, "C1", case.episodes)
    for r in case.reviews:
        ds.lac_review("C1", r, code="PN1")
    value = None if case.denominator == 0 else 100 * case.numerator / case.denominator
    check(run(ds, "LAC_REVIEWS_ON_TIME", case.year), case.numerator, case.denominator, value)


def test_lac_reviews_on_time_2008_together_and_wales() -> None:
    """The 2008-09 cases as children of one LA; Swansea and WALES."""
    ds = Dataset(la=CARDIFF)
    num = den = 0
    for i, case in enumerate(c for c in LAC_REVIEW_CASES.values() if c.year == 2008):
        add_episodes(ds, f"C{i}", case.episodes)
        for r in case.reviews:
            ds.lac_review(f"C{i}", r, code="PN1")
        num += case.numerator
        den += case.denominator
    # The hand-worked per-case values above sum to 2+1+1+1+0+0+0+1+1+0+3+0+0 = 10 over
    # 3+3+2+2+0+0+2+2+2+1+3+0+1 = 21 (checked here so the sum is not taken on trust).
    assert (num, den) == (10, 21)
    # Swansea: start 2008-05-02, first review 2008-06-03 (on time, the 20th working day, see above).
    # Second due 2008-09-03, not held, open -> missed: 1 of 2.
    add_episodes(ds, "C1", [Ep("2008-05-02", "S")], la=SWANSEA)
    ds.lac_review("C1", "2008-06-03", la=SWANSEA, code="PN2")
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "LAC_REVIEWS_ON_TIME", 2008)
    check(res[CARDIFF], 10, 21, 100 * 10 / 21)
    check(res[SWANSEA], 1, 2, 50.0)
    check(res[NEWPORT], 0, 0, None)
    # WALES 11 / 23.
    check(res["WALES"], 11, 23, 100 * 11 / 23)


# --------------------------------------------------------------------------
# LAC_REVIEW_PARTICIPATION
# --------------------------------------------------------------------------


def test_lac_review_participation() -> None:
    """Reviews held in the year other than PN0; numerator PN1-PN6 (PN7 did not take part)."""
    ds = Dataset(la=CARDIFF)
    add_episodes(ds, "C1", [Ep("2007-01-01", "S")])
    ds.lac_review("C1", "2008-05-01", code="PN0")  # under 4: left out
    ds.lac_review("C1", "2008-06-01", code="PN1")  # yes
    ds.lac_review("C1", "2008-07-01", code="PN3")  # yes
    ds.lac_review("C1", "2008-08-01", code="PN6")  # yes
    ds.lac_review("C1", "2008-09-01", code="PN7")  # denominator only
    ds.lac_review("C1", "2008-03-31", code="PN2")  # previous year: left out
    ds.lac_review("C1", "2009-04-01", code="PN4")  # next year: left out
    ds.lac_review("C1", "2009-03-31", code="PN5")  # last day of the year: yes
    # Denominator PN1 PN3 PN6 PN7 PN5 = 5; numerator 4.
    check(run(ds, "LAC_REVIEW_PARTICIPATION", 2008), 4, 5, 80.0)


def test_lac_review_participation_every_review_row() -> None:
    """The definition takes the `lac_reviews` rows held in the year; it sets no condition on episodes,
    so a review of a child with no (non-short-break) episode still counts (literal reading)."""
    ds = Dataset(la=CARDIFF)
    ds.lac_review("C1", "2008-06-01", code="PN4")  # C1 has no episode at all -> yes
    ds.lac_review("C2", "2008-06-01", code="PN7")  # denominator only
    check(run(ds, "LAC_REVIEW_PARTICIPATION", 2008), 1, 2, 50.0)


# --------------------------------------------------------------------------
# LAC_VISITED_6W
# --------------------------------------------------------------------------


def test_lac_visited_6w_window_2008() -> None:
    """The 42 days up to and including 2009-03-31 are 2009-02-18 .. 2009-03-31 (Feb 18-28 = 11 days,
    March = 31 days, 42 in all)."""
    ds = Dataset(la=CARDIFF)
    for c in ("C1", "C2", "C3", "C4", "C5"):
        add_episodes(ds, c, [Ep("2008-01-01", "S")])
    ds.visit("C1", "2009-02-18", "LAC")  # first day of the window -> yes
    ds.visit("C2", "2009-02-17", "LAC")  # 43rd day back -> no
    ds.visit("C3", "2009-03-31", "LAC")  # the snapshot -> yes
    ds.visit("C4", "2009-04-01", "LAC")  # after the snapshot -> no
    ds.visit("C5", "2009-03-01", "CP")  # wrong TYPE -> no
    # C6 ceased on the snapshot: not looked after -> not in the denominator.
    add_episodes(ds, "C6", [Ep("2008-01-01", "S", dec="2009-03-31", rec="E8")])
    ds.visit("C6", "2009-03-20", "LAC")
    # C7 started on the snapshot: looked after, no visit -> denominator only.
    add_episodes(ds, "C7", [Ep("2009-03-31", "S")])
    # C8 on a short break (V3) at the snapshot only: not looked after -> not in the denominator.
    add_episodes(ds, "C8", [Ep("2009-03-30", "S", ls="V3")])
    ds.visit("C8", "2009-03-30", "LAC")
    # Denominator C1..C5, C7 = 6; numerator C1, C3 = 2.
    check(run(ds, "LAC_VISITED_6W", 2008), 2, 6, 100 * 2 / 6)


def test_lac_visited_6w_window_leap_year_2011() -> None:
    """Snapshot 2012-03-31: 41 days back is 2012-02-19 (Feb 19-29 = 11 days + 31 = 42), so a visit on
    2012-02-19 is in and one on 2012-02-18 is out."""
    ds = Dataset(la=CARDIFF)
    for c in ("C1", "C2"):
        add_episodes(ds, c, [Ep("2011-01-01", "S")])
    ds.visit("C1", "2012-02-19", "LAC")
    ds.visit("C2", "2012-02-18", "LAC")
    check(run(ds, "LAC_VISITED_6W", 2011), 1, 2, 50.0)


# --------------------------------------------------------------------------
# LAC_SW_CHANGES
# --------------------------------------------------------------------------


def test_lac_sw_changes() -> None:
    """3+ distinct SW_ID among social worker episodes overlapping the year
    (SW_DECOM <= 2009-03-31 and (SW_DEC blank or SW_DEC > 2008-04-01))."""
    ds = Dataset(la=CARDIFF)
    for c in ("C1", "C2", "C3", "C4", "C5", "C6"):
        add_episodes(
            ds, c, [Ep("2007-01-01", "S")] if c != "C6" else [Ep("2007-01-01", "S", dec="2009-03-31", rec="E8")]
        )
    # C1: A ended exactly 2008-04-01 -> does not overlap; B, C -> 2 -> no.
    ds.sw_episode("C1", "A", "2007-01-01", "2008-04-01")
    ds.sw_episode("C1", "B", "2008-04-01", "2008-10-01")
    ds.sw_episode("C1", "C", "2008-10-01")
    # C2: A ended 2008-04-02 -> overlaps; A, B, C -> 3 -> yes.
    ds.sw_episode("C2", "A", "2007-01-01", "2008-04-02")
    ds.sw_episode("C2", "B", "2008-04-02", "2008-10-01")
    ds.sw_episode("C2", "C", "2008-10-01")
    # C3: A, B, A again -> 2 distinct -> no.
    ds.sw_episode("C3", "A", "2008-04-01", "2008-06-01")
    ds.sw_episode("C3", "B", "2008-06-01", "2008-09-01")
    ds.sw_episode("C3", "A", "2008-09-01")
    # C4: C starts on the snapshot (SW_DECOM <= snapshot) -> A, B, C -> yes.
    ds.sw_episode("C4", "A", "2008-04-01", "2008-06-01")
    ds.sw_episode("C4", "B", "2008-06-01", "2009-03-31")
    ds.sw_episode("C4", "C", "2009-03-31")
    # C5: C starts 2009-04-01 -> does not overlap -> 2 -> no.
    ds.sw_episode("C5", "A", "2008-04-01", "2008-06-01")
    ds.sw_episode("C5", "B", "2008-06-01", "2009-04-01")
    ds.sw_episode("C5", "C", "2009-04-01")
    # C6 not looked after at the snapshot (ceased on it): left out despite 3 social workers.
    for sw, a, b in (("A", "2008-04-01", "2008-06-01"), ("B", "2008-06-01", "2008-09-01"), ("C", "2008-09-01", None)):
        ds.sw_episode("C6", sw, a, b)
    # Denominator C1..C5 = 5; numerator C2, C4 = 2.
    check(run(ds, "LAC_SW_CHANGES", 2008), 2, 5, 40.0)


# --------------------------------------------------------------------------
# LAC_NO_QUALIFICATION, LAC_QUAL_POINTS_AVG
# --------------------------------------------------------------------------


def _education() -> Dataset:
    ds = Dataset(la=CARDIFF)
    ds.education("C1", "2008", points="120.5", no_qualification="N")
    ds.education("C2", "2008", points="0", no_qualification="Y")
    ds.education("C3", "2008", no_qualification="Y")  # POINTS blank
    ds.education("C4", "2008", points="45")  # NO_QUALIFICATION blank
    ds.education("C5", "2007", points="300", no_qualification="Y")  # other year
    ds.education("C6", "2009", points="10", no_qualification="Y")  # other year
    ds.education("C1", "2008", points="200", no_qualification="N", la=SWANSEA)
    ds.child("N1", la=NEWPORT)
    return ds


def test_lac_no_qualification() -> None:
    """Rows with ACADEMIC_YEAR = 2008; numerator NO_QUALIFICATION = Y (blank is not Y)."""
    res = run_all(_education(), "LAC_NO_QUALIFICATION", 2008)
    # Cardiff: C1 N, C2 Y, C3 Y, C4 blank -> 2 of 4.
    check(res[CARDIFF], 2, 4, 50.0)
    check(res[SWANSEA], 0, 1, 0.0)
    check(res[NEWPORT], 0, 0, None)
    check(res["WALES"], 2, 5, 40.0)


def test_lac_qual_points_avg() -> None:
    """Average POINTS over 2008 rows with POINTS not blank (0 is a score, blank is left out)."""
    res = run_all(_education(), "LAC_QUAL_POINTS_AVG", 2008)
    # Cardiff: 120.5 + 0 + 45 = 165.5 over 3 = 55.1666...
    check(res[CARDIFF], 165.5, 3, 165.5 / 3)
    check(res[SWANSEA], 200, 1, 200.0)
    check(res[NEWPORT], 0, 0, None)
    # WALES: 365.5 over 4 = 91.375.
    check(res["WALES"], 365.5, 4, 91.375)


def test_lac_3plus_placements_children_list() -> None:
    """The child-level list names the children looked after at the snapshot, and only them."""
    from diogel.indicators.engine import children

    ds = Dataset(la=CARDIFF)
    add_episodes(ds, "A", PLACEMENT_CASES["three_placements"][0])  # in the numerator
    add_episodes(ds, "B", PLACEMENT_CASES["temporary_then_same_placement"][0])  # denominator only
    add_episodes(ds, "C", PLACEMENT_CASES["ceased_on_snapshot_not_in_denominator"][0])  # not listed
    units = children(ds.tables(), "LAC_3PLUS_PLACEMENTS", CARDIFF, 2008)
    assert sorted((u.child, u.in_numerator) for u in units) == [("A", True), ("B", False)]


def test_lac_visited_6w_visit_before_care_counts() -> None:
    """The definition asks only for a LAC visit in the 42 days up to the snapshot; it does not require
    the child to have been looked after on the visit date (literal reading of indicators.md)."""
    ds = Dataset(la=CARDIFF)
    # Looked after from 2009-03-20; LAC-type visit 2009-03-01 (inside 2009-02-18 .. 2009-03-31) -> yes.
    add_episodes(ds, "C1", [Ep("2009-03-20", "S")])
    ds.visit("C1", "2009-03-01", "LAC")
    check(run(ds, "LAC_VISITED_6W", 2008), 1, 1, 100.0)
