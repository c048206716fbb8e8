"""Counts and rates at the snapshot: REFERRALS, LAC_SNAPSHOT, CP_SNAPSHOT, CIN_SNAPSHOT, LAC_RATE_10K,
CP_RATE_10K, CIN_RATE_10K — expected values worked out by hand from indicators.md (year 2008-09,
snapshot 2009-03-31). Counts have numerator = value = count and a blank denominator.
"""

from __future__ import annotations

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset, check, run, run_all


def test_referrals_count() -> None:
    """Referrals dated in the year, whatever the decision; an LA without referrals counts 0."""
    ds = Dataset(la=CARDIFF)
    ds.referral("C1", "R1", "2008-04-01", decision="IA")  # first day -> counts
    ds.referral("C2", "R2", "2009-03-31", decision="S47")  # last day -> counts
    ds.referral("C3", "R3", "2008-06-01", decision="NFA")  # NFA still a referral -> counts
    ds.referral("C4", "R4", "2008-03-31", decision="IA")  # previous year
    ds.referral("C5", "R5", "2009-04-01", decision="IA")  # next year
    ds.referral("C1", "R1", "2008-10-01", decision="INFO", la=SWANSEA)  # counts for Swansea
    ds.child("N1", la=NEWPORT)
    res = run_all(ds, "REFERRALS", 2008)
    check(res[CARDIFF], 3, None, 3)
    check(res[SWANSEA], 1, None, 1)
    check(res[NEWPORT], 0, None, 0)
    check(res["WALES"], 4, None, 4)


def _lac(ds: Dataset, child: str, decom: str, rne: str = "S", dec: str | None = None, rec: str | None = None,
         ls: str = "C2", la: str | None = None) -> None:  # fmt: skip
    ds.episode(child, decom, rne, la=la, ls=ls, place="U1", dec=dec, rec=rec)


def _snapshot_dataset() -> Dataset:
    """Cardiff children for the snapshot counts (see each line), population 20000 for 2008."""
    ds = Dataset(la=CARDIFF)
    # Looked after at 2009-03-31 (DECOM <= d and (DEC blank or DEC > d)), short breaks ignored:
    _lac(ds, "L1", "2008-01-01")  # open -> yes
    _lac(ds, "L2", "2008-01-01", dec="2009-03-31", rec="E8")  # DEC on the snapshot -> no
    _lac(ds, "L3", "2009-03-31")  # DECOM on the snapshot -> yes
    _lac(ds, "L4", "2008-01-01", dec="2009-01-01", rec="X1")  # two episodes -> yes, once
    _lac(ds, "L4", "2009-01-01", rne="P")
    _lac(ds, "L5", "2009-03-01", ls="V3")  # short break only -> no
    _lac(ds, "L6", "2009-03-01", ls="V4")  # short break only -> no
    _lac(ds, "L7", "2009-04-01")  # starts after the snapshot -> no
    _lac(ds, "L8", "2008-01-01", dec="2009-04-01", rec="E8")  # ceases after the snapshot -> yes
    # -> LAC_SNAPSHOT: L1 L3 L4 L8 = 4.
    # Registered at the snapshot (START <= d and (END blank or END > d)):
    ds.registration("P1", "G1", "2009-03-31")  # starts on it -> yes
    ds.registration("P2", "G2", "2008-01-01", end_date="2009-03-31")  # ends on it -> no
    ds.registration("P3", "G3", "2008-01-01")  # open -> yes
    ds.registration("P4", "G4", "2007-01-01", end_date="2007-06-01")  # P4 ended once ...
    ds.registration("P4", "G5", "2008-06-01")  # ... and is registered again -> yes, once
    ds.registration("P5", "G6", "2009-04-01")  # starts after -> no
    ds.registration("P6", "G7", "2008-01-01", end_date="2009-04-01")  # ends after -> yes
    # -> CP_SNAPSHOT: P1 P3 P4 P6 = 4.
    # Children in need: looked after, or registered, or an IA/S47 referral with REFERRAL_DATE <= d and
    # (CLOSURE_DATE blank or > d). Distinct children:
    # L1 L3 L4 L8 (looked after) + P1 P3 P4 P6 (registered) = 8 so far; then
    ds.referral("N1", "R1", "2008-06-01", decision="IA")  # open IA -> yes (9)
    ds.referral("N2", "R2", "2008-06-01", decision="S47", closure_date="2009-04-01")  # closes after -> yes (10)
    ds.referral("N3", "R3", "2008-06-01", decision="IA", closure_date="2009-03-31")  # closed on it -> no
    ds.referral("N4", "R4", "2008-06-01", decision="NFA")  # NFA -> no
    ds.referral("N5", "R5", "2008-06-01", decision="INFO")  # INFO -> no
    ds.referral("N6", "R6", "2009-04-01", decision="IA")  # referred after the snapshot -> no
    ds.referral("N7", "R7", "2008-06-01", decision="IA")  # two open referrals ...
    ds.referral("N7", "R8", "2008-09-01", decision="S47")  # ... one child (11)
    # L1 is also registered and has an open IA referral: still one child.
    ds.registration("L1", "G8", "2008-05-01")
    ds.referral("L1", "R9", "2008-04-15", decision="IA")
    # L5 (short break only) with an NFA referral: not in need.
    ds.referral("L5", "R10", "2008-06-01", decision="NFA")
    # -> CIN_SNAPSHOT: L1 L3 L4 L8 P1 P3 P4 P6 N1 N2 N7 = 11.
    # (CP_SNAPSHOT gains L1 through G8: P1 P3 P4 P6 L1 = 5.)
    ds.population("2008", "20000")
    ds.population("2007", "40000")  # another year's estimate, not used for 2008
    return ds


def test_lac_snapshot() -> None:
    """DEC on the snapshot: not looked after; DECOM on it: looked after; short breaks do not count."""
    check(run(_snapshot_dataset(), "LAC_SNAPSHOT", 2008), 4, None, 4)


def test_cp_snapshot() -> None:
    """Distinct children with a registration open at the snapshot: P1 P3 P4 P6 and L1 = 5."""
    check(run(_snapshot_dataset(), "CP_SNAPSHOT", 2008), 5, None, 5)


def test_cin_snapshot() -> None:
    """A child looked after AND registered AND with an open IA referral counts once; NFA/INFO do not count."""
    check(run(_snapshot_dataset(), "CIN_SNAPSHOT", 2008), 11, None, 11)


def test_rates_per_10k_cardiff() -> None:
    """10000 x count / AGE_0_17 of YEAR 2008 (20000, not 2007's 40000)."""
    ds = _snapshot_dataset()
    # LAC 4 -> 10000 * 4 / 20000 = 2.0.
    check(run(ds, "LAC_RATE_10K", 2008), 4, 20000, 2.0)
    # CP 5 -> 2.5.
    check(run(ds, "CP_RATE_10K", 2008), 5, 20000, 2.5)
    # CIN 11 -> 5.5.
    check(run(ds, "CIN_RATE_10K", 2008), 11, 20000, 5.5)


def test_rates_per_10k_wales() -> None:
    """WALES sums counts and populations over the LAs."""
    ds = _snapshot_dataset()
    # Swansea: one child looked after, registered and in need; population 10000 -> 1.0 each.
    _lac(ds, "S1", "2008-05-01", la=SWANSEA)
    ds.registration("S1", "G1", "2008-05-01", la=SWANSEA)
    ds.population("2008", "10000", la=SWANSEA)
    for ind, cardiff_count in (("LAC_RATE_10K", 4), ("CP_RATE_10K", 5), ("CIN_RATE_10K", 11)):
        res = run_all(ds, ind, 2008)
        check(res[SWANSEA], 1, 10000, 1.0)
        check(res[CARDIFF], cardiff_count, 20000, 10000 * cardiff_count / 20000)
        # WALES: (count + 1) / 30000 * 10000, e.g. LAC 5 / 30000 * 10000 = 1.666...
        check(res["WALES"], cardiff_count + 1, 30000, 10000 * (cardiff_count + 1) / 30000)


def test_rate_blank_without_population() -> None:
    """No population row for the year -> the rate's value is blank (count 1 looked after)."""
    ds = Dataset(la=NEWPORT)
    _lac(ds, "C1", "2008-05-01")
    ds.population("2009", "15000")  # another year only
    r = run(ds, "LAC_RATE_10K", 2008)
    assert r.value is None


def test_child_level_lists_agree_with_results() -> None:
    """For rates, the child-level list has one unit per denominator member and marks exactly the
    numerator's units (checked on the hand-built datasets of the other test modules)."""
    from diogel.indicators.engine import children, evaluate

    from .test_def_care_leavers import _care_leavers
    from .test_def_referrals import _core_assessments, _initial_assessments
    from .test_def_voice import _agencies

    cases = [
        (_initial_assessments(), ["IA_7WD", "IA_SEEN", "IA_SEEN_ALONE"]),
        (_core_assessments(), ["CA_35WD"]),
        (_care_leavers(), ["CL_IN_TOUCH_19", "CL_ACCOM_19", "CL_EET_19", "CL_PATHWAY_PLAN_19"]),
        (_agencies(), ["ICPC_AGENCY_REPORTS", "ICPC_AGENCY_ATTENDANCE"]),
    ]
    for ds, indicators in cases:
        tables = ds.tables()
        for r in evaluate(tables, years=[2008], indicators=indicators):
            if r.la == "WALES":
                continue
            units = children(tables, r.indicator, r.la, 2008)
            assert len(units) == r.denominator, (r, units)
            assert sum(u.in_numerator for u in units) == r.numerator, (r, units)
