"""Engine mechanics: LAs without units, WALES sums, blank values, series = single years,
``children`` adding up to ``evaluate``, the registry check and the generated docs.

The per-indicator numbers are hand-worked in ``test_def_*.py``; here the data
is a seeded random dataset (so the checks meet blank dates, short breaks,
temporary placements, several periods of care …) and every assertion is a
relation that must hold whatever the data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from pathlib import Path

import polars as pl
import pytest

from diogel.indicators import docs
from diogel.indicators.engine import WALES, children, evaluate
from diogel.indicators.registry import REGISTRY, SPEC_IDS, Indicator, Kind, RegistryError, check

from .builder import CARDIFF, NEWPORT, SWANSEA, Dataset

ROOT = Path(__file__).resolve().parents[2]
SPEC = Path("/work/shared/spec/indicators.md")
YEARS = [2007, 2008, 2009]


def _d(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def _s(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def random_dataset(seed: int, n: int = 40) -> Dataset:
    """A varied dataset for CARDIFF and SWANSEA; NEWPORT has one child and a 2008 population only."""
    rng = random.Random(seed)
    ds = Dataset()
    base = dt.date(2006, 1, 1)
    for la in (CARDIFF, SWANSEA):
        for i in range(n):
            c = f"C{i}"
            ds.child(c, la=la)
            for j in range(rng.randrange(4)):
                rid = f"R{i}_{j}"
                ref = _d(rng, base, 1500)
                dec = ref + dt.timedelta(days=rng.randrange(6)) if rng.random() < 0.9 else None
                ds.referral(
                    c, rid, ref.isoformat(), la=la, decision_date=_s(dec), decision=rng.choice(["NFA", "IA", "S47"]),
                    closure_date=_s(ref + dt.timedelta(days=rng.randrange(400))) if rng.random() < 0.6 else None,
                )  # fmt: skip
                if rng.random() < 0.6:
                    done = ref + dt.timedelta(days=rng.randrange(20)) if rng.random() < 0.9 else None
                    ds.assessment(c, f"A{i}_{j}", rid, "INITIAL", la=la, start_date=ref.isoformat(),
                                  completed_date=_s(done), seen=rng.choice("YN"), seen_alone=rng.choice(["Y", "N", None]))  # fmt: skip
                if rng.random() < 0.3:
                    st = ref + dt.timedelta(days=rng.randrange(30))
                    done = st + dt.timedelta(days=rng.randrange(80)) if rng.random() < 0.9 else None
                    ds.assessment(
                        c, f"K{i}_{j}", rid, "CORE", la=la, start_date=st.isoformat(), completed_date=_s(done)
                    )
            if rng.random() < 0.4:
                strat = _d(rng, base, 1400)
                conf = strat + dt.timedelta(days=rng.randrange(30))
                ds.conference(c, f"CF{i}", rng.choice(["INITIAL", "INITIAL", "TRANSFER_IN"]), la=la,
                              strategy_date=strat.isoformat(), conference_date=conf.isoformat(), outcome="REGISTER")  # fmt: skip
                for ag in rng.sample(["HEALTH", "POLICE", "EDUCATION"], rng.randrange(4)):
                    ds.agency(
                        f"CF{i}", ag, la=la, attended=rng.choice("YN"), report_provided=rng.choice(["Y", "N", None])
                    )
                start = conf
                for k in range(rng.randrange(1, 3)):
                    end = start + dt.timedelta(days=rng.randrange(60, 600)) if rng.random() < 0.7 else None
                    reg = f"G{i}_{k}"
                    ds.registration(c, reg, start.isoformat(), la=la, category="NEG", end_date=_s(end),
                                    first_core_group=_s(start + dt.timedelta(days=rng.randrange(25))))  # fmt: skip
                    for _ in range(rng.randrange(4)):
                        ds.cp_review(c, reg, _d(rng, start - dt.timedelta(days=20), 700).isoformat(), la=la)
                    if end is None:
                        break
                    start = end + dt.timedelta(days=rng.randrange(1, 500))
            if rng.random() < 0.5:
                d = _d(rng, base, 1300)
                for _period in range(rng.randrange(1, 3)):
                    rne = "S"
                    for _ep in range(rng.randrange(1, 6)):
                        dec = d + dt.timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.8 else None
                        ds.episode(c, d.isoformat(), rne, la=la, ls=rng.choice(["C2", "C2", "V2", "V3", "V4"]),
                                   place=rng.choice(["F1", "F2", "T1", "R1", "T0"]), pl_post=rng.choice(["CF1", "CF2", None]),
                                   dec=_s(dec), rec="X1" if dec else None)  # fmt: skip
                        if dec is None:
                            break
                        d, rne = dec, rng.choice("PTLBU")
                    else:
                        d = d + dt.timedelta(days=rng.randrange(30, 300))
                        continue
                    break
                ds.care_plan(c, f"P{i}", "CARE_PLAN", _d(rng, base, 1400).isoformat(), la=la)
                ds.care_plan(c, f"W{i}", "PATHWAY_PLAN", _d(rng, base, 1400).isoformat(), la=la)
                for _ in range(rng.randrange(6)):
                    ds.lac_review(
                        c, _d(rng, base, 1500).isoformat(), la=la, code=rng.choice(["PN0", "PN1", "PN7", None])
                    )
                    ds.visit(c, _d(rng, dt.date(2008, 1, 1), 900).isoformat(), rng.choice(["LAC", "CP"]), la=la)
                    ds.sw_episode(c, f"SW{rng.randrange(5)}", _d(rng, base, 1500).isoformat(), la=la)
                ds.school_change(c, _d(rng, base, 1500).isoformat(), rng.choice("YN"), la=la)
                ds.education(c, str(rng.choice(YEARS)), la=la, points=rng.choice(["12.5", None, "300"]),
                             no_qualification=rng.choice("YN"))  # fmt: skip
                ds.care_leaver(c, _d(rng, dt.date(2007, 4, 1), 1000).isoformat(), la=la,
                               in_touch=rng.choice(["YES", "NO", "DIED", None]), activ=rng.choice(["F1", "G4"]),
                               accom=rng.choice(["B1", "B2", "0"]))  # fmt: skip
            ds.feedback(rng.choice([c, None]), _d(rng, base, 1500).isoformat(), rng.choice(["SAFE", "HOME_HAPPY", "KNOW_WHO", "LISTENED", "RESPECT"]),
                        rng.choice(["YES", "NO"]), la=la)  # fmt: skip
        ds.population("2008", "50000", la=la)
    ds.population("2007", "49000", la=CARDIFF)  # SWANSEA has no 2007 population
    ds.child("N1", la=NEWPORT)
    ds.population("2008", "30000", la=NEWPORT)
    return ds


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return random_dataset(7).tables()


@pytest.fixture(scope="module")
def results(tables: dict[str, pl.DataFrame]) -> list:
    return evaluate(tables, YEARS)


def test_one_result_per_indicator_la_year(results: list) -> None:
    # 40 indicators × (3 LAs in children + WALES) × 3 years, no duplicates.
    keys = [(r.indicator, r.la, r.year) for r in results]
    assert len(keys) == len(set(keys)) == 40 * 4 * 3


def test_la_without_units_gets_zero_rows(results: list) -> None:
    # NEWPORT is in `children` only: every indicator has numerator 0; rates and averages have
    # denominator 0 and a blank value; counts are 0 with a blank denominator; a rate per 10,000
    # is 0 per 30,000 in 2008 and blank (no population) in the other years.
    kinds = {i.id: i.kind for i in REGISTRY}
    for r in (r for r in results if r.la == NEWPORT):
        assert r.numerator == 0, r
        if kinds[r.indicator] is Kind.COUNT:
            assert (r.denominator, r.value) == (None, 0.0), r
        elif kinds[r.indicator] is Kind.RATE_10K:
            assert (r.denominator, r.value) == ((30000, 0.0) if r.year == 2008 else (None, None)), r
        else:
            assert (r.denominator, r.value) == (0, None), r


def test_wales_is_the_sum_of_the_las(results: list) -> None:
    kinds = {i.id: i.kind for i in REGISTRY}
    for ind in REGISTRY:
        for year in YEARS:
            las = [r for r in results if r.indicator == ind.id and r.year == year and r.la != WALES]
            (wales,) = [r for r in results if r.indicator == ind.id and r.year == year and r.la == WALES]
            assert wales.numerator == pytest.approx(sum(r.numerator for r in las))
            dens = [r.denominator for r in las]
            if kinds[ind.id] is Kind.COUNT or None in dens:
                # counts have no denominator; a rate per 10,000 is blank when any LA lacks population
                assert wales.denominator is None
            else:
                assert wales.denominator == sum(d for d in dens if d is not None)


def test_values_follow_numerator_and_denominator(results: list) -> None:
    factor = {Kind.RATE: 100.0, Kind.AVERAGE: 1.0, Kind.RATE_10K: 10000.0}
    kinds = {i.id: i.kind for i in REGISTRY}
    for r in results:
        kind = kinds[r.indicator]
        if kind is Kind.COUNT:
            assert r.value == r.numerator
        elif not r.denominator:
            assert r.value is None
        else:
            assert r.value == pytest.approx(factor[kind] * r.numerator / r.denominator)


def test_data_reaches_every_kind(results: list) -> None:
    # Guard against the relations above holding vacuously: the random data must give a
    # non-zero denominator to every rate and average in CARDIFF or SWANSEA in some year.
    for ind in REGISTRY:
        if ind.kind in (Kind.RATE, Kind.AVERAGE):
            assert any(r.denominator for r in results if r.indicator == ind.id and r.la != NEWPORT), ind.id
    # 2007 population exists for CARDIFF only, so the 2007 WALES rate per 10,000 is blank.
    (w,) = [r for r in results if r.indicator == "LAC_RATE_10K" and r.la == WALES and r.year == 2007]
    assert w.denominator is None and w.value is None
    (w8,) = [r for r in results if r.indicator == "LAC_RATE_10K" and r.la == WALES and r.year == 2008]
    assert w8.denominator == 50000 + 50000 + 30000
    assert w8.value == pytest.approx(10000 * w8.numerator / 130000)


def test_series_equals_single_years(tables: dict[str, pl.DataFrame], results: list) -> None:
    single = [r for y in YEARS for r in evaluate(tables, [y])]
    assert sorted(single, key=dataclasses.astuple) == sorted(results, key=dataclasses.astuple)


def test_filters_restrict_records_not_wales(tables: dict[str, pl.DataFrame], results: list) -> None:
    picked = evaluate(tables, [2008], indicators=["IA_7WD", "LAC_SNAPSHOT"], las=[SWANSEA, WALES])
    expected = [
        r for r in results if r.indicator in ("IA_7WD", "LAC_SNAPSHOT") and r.year == 2008 and r.la in (SWANSEA, WALES)
    ]
    assert picked == expected


@pytest.mark.parametrize("ind", REGISTRY, ids=lambda i: i.id)
def test_children_add_up_to_the_number(tables: dict[str, pl.DataFrame], results: list, ind: Indicator) -> None:
    for la in (CARDIFF, SWANSEA, NEWPORT):
        for year in (2008, 2009):
            (r,) = [r for r in results if (r.indicator, r.la, r.year) == (ind.id, la, year)]
            units = children(tables, ind.id, la, year)
            inside = [u for u in units if u.in_numerator]
            assert all(u.reason and u.unit and (u.la, u.year) == (la, year) for u in units)
            if ind.kind is Kind.RATE:
                assert (len(inside), len(units)) == (r.numerator, r.denominator)
            elif ind.kind is Kind.AVERAGE:
                assert len(inside) == r.denominator
            else:
                assert len(units) == len(inside) == r.numerator


def test_empty_dataset_gives_wales_zeros() -> None:
    out = evaluate(Dataset().tables(), [2008])
    assert {r.la for r in out} == {WALES}
    assert len(out) == len(REGISTRY)
    assert all(r.numerator == 0 for r in out)


def test_registry_matches_the_spec() -> None:
    # Every backticked id in a table row of indicators.md is declared, and nothing else.
    text = SPEC.read_text(encoding="utf-8")
    spec_ids = []
    for line in text.splitlines():
        if line.startswith("| `"):
            spec_ids += re.findall(r"`([A-Z0-9_]+)`", line.split("|")[1])
    assert spec_ids == list(SPEC_IDS)
    assert [i.id for i in REGISTRY] == list(SPEC_IDS)


def test_registry_check_rejects_problems() -> None:
    first = REGISTRY[0]
    with pytest.raises(RegistryError, match="duplicate ids: REF_DECIDED_1WD"):
        check((*REGISTRY, first))
    with pytest.raises(RegistryError, match="spec ids not declared: REF_DECIDED_1WD"):
        check(REGISTRY[1:])
    no_welsh = dataclasses.replace(first, title_cy="")
    with pytest.raises(RegistryError, match="REF_DECIDED_1WD: title_cy is empty"):
        check((no_welsh, *REGISTRY[1:]))
    copied = dataclasses.replace(first, description_cy=first.description_en)
    with pytest.raises(RegistryError, match="copy of the English"):
        check((copied, *REGISTRY[1:]))
    check(REGISTRY)  # the real registry passes


def test_docs_are_not_stale() -> None:
    # Regenerate with: .venv/bin/python -m diogel.indicators.docs docs/indicators
    assert docs.stale(ROOT / "docs" / "indicators") == []


def test_docs_notice_a_change(tmp_path: Path) -> None:
    docs.write(tmp_path)
    assert docs.stale(tmp_path) == []
    (tmp_path / "IA_7WD.md").write_text("edited by hand", encoding="utf-8")
    assert docs.stale(tmp_path) == ["IA_7WD.md"]


def test_fast_working_days_agree_with_workdays() -> None:
    # The engine's gather-based WD and "Nth working day after" must equal diogel.workdays on
    # every day of 2007-2013 (bank holidays, the 2011 royal wedding, the 2012 jubilee) for
    # gaps of 0-60 days and N in {1, 7, 20}.
    from diogel.indicators.common import fast_nth_working_day_after, fast_wd
    from diogel.workdays import nth_working_day_after, wd

    starts = [dt.date(2007, 1, 1) + dt.timedelta(days=i) for i in range(0, 7 * 365, 3)]
    pairs = [(a, a + dt.timedelta(days=g)) for a in starts for g in (0, 1, 4, 9, 30, 60)]
    frame = pl.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]})
    got = frame.select(
        w=fast_wd(pl.col("a"), pl.col("b")),
        n1=fast_nth_working_day_after(pl.col("a"), 1),
        n20=fast_nth_working_day_after(pl.col("a"), 20),
    )
    assert got["w"].to_list() == [wd(a, b) for a, b in pairs]
    assert got["n1"].to_list() == [nth_working_day_after(a, 1) for a, _ in pairs]
    assert got["n20"].to_list() == [nth_working_day_after(a, 20) for a, _ in pairs]
