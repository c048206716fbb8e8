"""Benchmark of the indicator engine: time and peak memory.

    .venv/bin/python benchmarks/indicators.py [--scales 1 10] [--workdir /tmp/diogel-bench]

Measures, each in a fresh subprocess (so peak memory is that case's alone):

* the floor: reading merely the columns the indicators need from Parquet;
* all indicators, one year (2008), 22 LAs + WALES, at each scale, from Parquet and from CSV;
* the 10-year series 2005-2014 at scale 1 from Parquet.

Data comes from ``diogel.synth.generate(seed, scale, years)`` when the
generator is installed; otherwise from a crude vectorised stand-in below
(valid enough for the engine, not for the validator), and it says so. Loading
bypasses validation (the engine's cost is what is measured): Parquet and CSV
are read with polars and typed by ``diogel.dataset.io.to_typed``-equivalent
casting in :func:`diogel.indicators.common.ensure_tables`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from diogel.dataset.schema import TABLE_ORDER, TABLES, la_codes

SEED = 20080401


def _dates(rng: np.random.Generator, n: int, first: dt.date, days: int) -> pl.Series:
    return pl.Series(rng.integers(0, days, n), dtype=pl.Int32) + (first - dt.date(1970, 1, 1)).days


def standin(scale: int, seed: int = SEED) -> dict[str, pl.DataFrame]:
    """A synthetic dataset of about 1.5 million rows × ``scale`` (used only when diogel.synth is missing)."""
    rng = np.random.default_rng(seed)
    las = np.array(sorted(la_codes()))
    n_child = 200_000 * scale
    la = las[rng.integers(0, len(las), n_child)]
    child = np.array([f"C{i}" for i in range(n_child)])
    first = dt.date(2004, 4, 1)
    span = 11 * 365

    def pick(n: int) -> np.ndarray:
        return rng.integers(0, n_child, n)

    def frame(name: str, cols: dict[str, object]) -> pl.DataFrame:
        out = pl.DataFrame(cols)
        for c in out.columns:
            if out.schema[c] == pl.Int32 and TABLES[name].column(c).type.value == "date":
                out = out.with_columns(pl.col(c).cast(pl.Date))
        return out

    t: dict[str, pl.DataFrame] = {"children": pl.DataFrame({"LA": la, "CHILD": child})}
    n_ref = 400_000 * scale
    who = pick(n_ref)
    ref = _dates(rng, n_ref, first, span)
    t["referrals"] = frame("referrals", {
        "LA": la[who], "CHILD": child[who], "REFERRAL_ID": [f"R{i}" for i in range(n_ref)], "REFERRAL_DATE": ref,
        "DECISION_DATE": ref + pl.Series(rng.integers(0, 5, n_ref), dtype=pl.Int32),
        "DECISION": rng.choice(["NFA", "INFO", "IA", "S47"], n_ref),
        "CLOSURE_DATE": ref + pl.Series(rng.integers(0, 400, n_ref), dtype=pl.Int32),
    })  # fmt: skip
    ia = rng.random(n_ref) < 0.6
    n_ass = int(ia.sum())
    t["assessments"] = frame("assessments", {
        "LA": la[who][ia], "CHILD": child[who][ia], "ASSESSMENT_ID": [f"A{i}" for i in range(n_ass)],
        "REFERRAL_ID": t["referrals"]["REFERRAL_ID"].filter(pl.Series(ia)),
        "TYPE": rng.choice(["INITIAL", "CORE"], n_ass, p=[0.75, 0.25]), "START_DATE": ref.filter(pl.Series(ia)),
        "COMPLETED_DATE": ref.filter(pl.Series(ia)) + pl.Series(rng.integers(0, 60, n_ass), dtype=pl.Int32),
        "SEEN": rng.choice(["Y", "N"], n_ass), "SEEN_ALONE": rng.choice(["Y", "N"], n_ass),
    })  # fmt: skip
    n_cp = 20_000 * scale
    cw = pick(n_cp)
    start = _dates(rng, n_cp, first, span)
    t["cp_conferences"] = frame("cp_conferences", {
        "LA": la[cw], "CHILD": child[cw], "CONFERENCE_ID": [f"F{i}" for i in range(n_cp)], "TYPE": ["INITIAL"] * n_cp,
        "STRATEGY_DATE": start - pl.Series(rng.integers(0, 25, n_cp), dtype=pl.Int32), "CONFERENCE_DATE": start,
    })  # fmt: skip
    aw = rng.integers(0, n_cp, 3 * n_cp)
    t["conference_agencies"] = pl.DataFrame({
        "LA": la[cw][aw], "CONFERENCE_ID": t["cp_conferences"]["CONFERENCE_ID"].gather(aw),
        "AGENCY": rng.choice(["HEALTH", "POLICE", "EDUCATION"], 3 * n_cp),
        "ATTENDED": rng.choice(["Y", "N"], 3 * n_cp), "REPORT_PROVIDED": rng.choice(["Y", "N"], 3 * n_cp),
    })  # fmt: skip
    end = start + pl.Series(rng.integers(30, 700, n_cp), dtype=pl.Int32)
    t["cp_registrations"] = frame("cp_registrations", {
        "LA": la[cw], "CHILD": child[cw], "REGISTRATION_ID": [f"G{i}" for i in range(n_cp)], "START_DATE": start,
        "FIRST_CORE_GROUP": start + pl.Series(rng.integers(0, 20, n_cp), dtype=pl.Int32), "END_DATE": end,
    })  # fmt: skip
    rw = rng.integers(0, n_cp, 3 * n_cp)
    t["cp_reviews"] = frame("cp_reviews", {
        "LA": la[cw][rw], "CHILD": child[cw][rw], "REGISTRATION_ID": t["cp_registrations"]["REGISTRATION_ID"].gather(rw),
        "REVIEW_DATE": start.gather(rw) + pl.Series(rng.integers(60, 700, 3 * n_cp), dtype=pl.Int32),
    })  # fmt: skip
    # Episodes: per looked-after child one chain of 1-6 contiguous episodes.
    n_lac = 30_000 * scale
    lw = rng.choice(n_child, n_lac, replace=False)
    k = rng.integers(1, 7, n_lac)
    owner = np.repeat(lw, k)
    dur = rng.integers(20, 400, owner.size)
    first_day = np.repeat(rng.integers(0, span, n_lac), k)
    offset = np.cumsum(dur) - np.repeat(np.cumsum(dur)[np.cumsum(k) - 1] - np.add.reduceat(dur, np.cumsum(k) - k), k)
    decom = first_day + offset - dur
    is_first = np.zeros(owner.size, bool)
    is_first[np.cumsum(k) - k] = True
    is_last = np.zeros(owner.size, bool)
    is_last[np.cumsum(k) - 1] = True
    base = (first - dt.date(1970, 1, 1)).days
    t["episodes"] = pl.DataFrame({
        "LA": la[owner], "CHILD": child[owner],
        "DECOM": pl.Series(decom + base, dtype=pl.Int32).cast(pl.Date),
        "RNE": np.where(is_first, "S", rng.choice(["P", "L", "T", "B"], owner.size)),
        "LS": rng.choice(["C2", "C2", "V2", "V3"], owner.size),
        "PLACE": rng.choice(["F1", "F2", "R1", "T1"], owner.size),
        "DEC": pl.Series(np.where(is_last & (rng.random(owner.size) < 0.5), -1, decom + dur + base), dtype=pl.Int32)
        .replace(-1, None).cast(pl.Date),
        "PL_POST": rng.choice(["CF1", "CF2", "SA1"], owner.size),
    })  # fmt: skip
    for name, n_rows, date_col in (("lac_reviews", 8, "REVIEW_DATE"), ("visits", 12, "VISIT_DATE"),
                                   ("social_worker_episodes", 3, "SW_DECOM"), ("school_changes", 1, "CHANGE_DATE"),
                                   ("care_plans", 1, "START_DATE")):  # fmt: skip
        w = lw[rng.integers(0, n_lac, n_rows * n_lac)]
        cols: dict[str, object] = {"LA": la[w], "CHILD": child[w], date_col: _dates(rng, w.size, first, span)}
        if name == "lac_reviews":
            cols["REVIEW_CODE"] = rng.choice(["PN0", "PN1", "PN5", "PN7"], w.size)
        if name == "visits":
            cols["TYPE"] = rng.choice(["LAC", "CP"], w.size)
        if name == "social_worker_episodes":
            cols["SW_ID"] = [f"SW{i}" for i in rng.integers(0, 3000, w.size)]
        if name == "school_changes":
            cols["TRANSITIONAL"] = rng.choice(["Y", "N"], w.size)
        if name == "care_plans":
            cols["PLAN_ID"] = [f"P{i}" for i in range(w.size)]
            cols["PLAN_TYPE"] = rng.choice(["CARE_PLAN", "PATHWAY_PLAN"], w.size)
        t[name] = frame(name, cols)
    t["care_leavers"] = frame("care_leavers", {
        "LA": la[lw], "CHILD": child[lw], "BIRTHDAY_19": _dates(rng, n_lac, first, span),
        "IN_TOUCH": rng.choice(["YES", "NO", "DIED"], n_lac), "ACTIV": rng.choice(["F1", "G4"], n_lac),
        "ACCOM": rng.choice(["B1", "B2"], n_lac),
    })  # fmt: skip
    t["education_outcomes"] = pl.DataFrame({
        "LA": la[lw], "CHILD": child[lw], "ACADEMIC_YEAR": rng.integers(2004, 2015, n_lac),
        "POINTS": rng.random(n_lac) * 400, "NO_QUALIFICATION": rng.choice(["Y", "N"], n_lac),
    })  # fmt: skip
    n_fb = 50_000 * scale
    t["feedback"] = frame("feedback", {
        "LA": las[rng.integers(0, 22, n_fb)], "RESPONSE_DATE": _dates(rng, n_fb, first, span),
        "QUESTION": rng.choice(["SAFE", "HOME_HAPPY", "KNOW_WHO", "LISTENED", "RESPECT"], n_fb),
        "ANSWER": rng.choice(["YES", "NO", "SOMETIMES"], n_fb),
    })  # fmt: skip
    t["population"] = pl.DataFrame(
        {"LA": np.repeat(las, 11), "YEAR": np.tile(np.arange(2004, 2015), 22), "AGE_0_17": [30000] * 22 * 11}
    )
    return t


def make_data(scale: int, workdir: Path) -> tuple[Path, str]:
    """Write the scale's dataset as Parquet and CSV under ``workdir``; return its folder and its origin."""
    from diogel.dataset.io import write_tables
    from diogel.indicators.common import ensure_tables

    folder = workdir / f"scale{scale}"
    origin_file = folder / "ORIGIN"
    if origin_file.exists():
        return folder, origin_file.read_text()
    try:
        from diogel.synth.generate import generate

        tables, origin = generate(SEED, scale, (2005, 2014)), "diogel.synth.generate"
    except (ImportError, AttributeError):
        tables, origin = standin(scale), "stand-in generator (diogel.synth.generate not available)"
    typed = ensure_tables(tables)
    write_tables(typed, folder / "parquet", "parquet")
    write_tables(typed, folder / "csv", "csv")
    origin_file.write_text(origin)
    return folder, origin


def _read(folder: Path, fmt: str) -> dict[str, pl.DataFrame]:
    from diogel.dataset.io import _POLARS_TYPE

    out: dict[str, pl.DataFrame] = {}
    for name in TABLE_ORDER:
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            out[name] = pl.read_parquet(path)
        else:
            schema = {c.name: _POLARS_TYPE[c.type] for c in TABLES[name].columns}
            out[name] = pl.read_csv(path, schema_overrides=schema)
    return out


def case(kind: str, folder: Path, fmt: str, years: list[int]) -> None:
    """Run one measurement in this process and print it as JSON."""
    from diogel.indicators.engine import evaluate

    t0 = time.perf_counter()
    if kind == "floor":
        needed = {
            n: [c.name for c in TABLES[n].columns if c.name not in ("UPN", "ETHNIC", "URN", "HOME_POST")]
            for n in TABLE_ORDER
        }
        rows = sum(pl.read_parquet(folder / f"{n}.parquet", columns=cols).height for n, cols in needed.items())
        results = 0
    else:
        tables = _read(folder, fmt)
        rows = sum(f.height for f in tables.values())
        results = len(evaluate(tables, years))
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "results": results, "seconds": round(seconds, 3), "peak_mb": round(peak_mb)}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    p.add_argument("--workdir", type=Path, default=Path("/tmp/diogel-bench"))
    p.add_argument("--case", nargs=4, metavar=("KIND", "FOLDER", "FMT", "YEARS"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.case:
        kind, folder, fmt, years = args.case
        case(kind, Path(folder), fmt, [int(y) for y in years.split(",")])
        return
    plan: list[tuple[str, int, str, list[int]]] = []
    for scale in args.scales:
        plan += [("floor", scale, "parquet", [2008]), ("all", scale, "parquet", [2008]), ("all", scale, "csv", [2008])]
        if scale == 1:
            plan.append(("series", 1, "parquet", list(range(2005, 2015))))
    for kind, scale, fmt, years in plan:
        folder, origin = make_data(scale, args.workdir)
        cmd = [sys.executable, __file__, "--case", kind, str(folder / fmt), fmt, ",".join(map(str, years))]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        label = {
            "floor": "read needed columns",
            "all": "all indicators, 1 year",
            "series": "all indicators, 2005-2014",
        }[kind]
        print(f"scale {scale:>2} {fmt:<7} {label:<27} {out['seconds']:>7.3f} s  {out['peak_mb']:>6} MB peak"
              f"  ({out['rows']:,} rows; {origin})")  # fmt: skip


if __name__ == "__main__":
    main()
