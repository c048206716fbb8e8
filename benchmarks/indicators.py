"""Benchmark of the indicator engine: time and peak memory.

    .venv/bin/python benchmarks/indicators.py [--scales 1 10] [--repeat N] [--workdir /tmp/diogel-bench]

Measures, each in a fresh subprocess (so peak memory is that case's alone), ``--repeat`` times:

* the floor: reading merely the columns the indicators need (``ENGINE_COLUMNS``) from Parquet,
  as stored (strings), each table released once read;
* all indicators, one year (2008), 22 LAs + WALES, at each scale, from Parquet and from CSV;
* the 10-year series 2005-2014 at scale 1 from Parquet.

Data comes from ``diogel.synth.generate(seed, scale, years)``. Loading bypasses validation (the
engine's cost is what is measured): :func:`diogel.dataset.io.read_tables` reads the same columns
as the floor, only the rows the engine can use (``row_filters``: the visits near a snapshot), with
LA, CHILD and codes as Categorical (``engine_schema``). Each case prints wall and CPU time
(``time.process_time``, all threads), in total and for reading alone, the peak RSS
(``ru_maxrss``), the rows kept and the load average of the machine when the case started.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from diogel.dataset.schema import TABLE_ORDER

SEED = 20080401


def make_data(scale: int, workdir: Path) -> tuple[Path, str]:
    """Write the scale's dataset as Parquet and CSV under ``workdir``; return its folder and its origin."""
    from diogel.dataset.io import write_tables

    folder = workdir / f"scale{scale}"
    origin_file = folder / "ORIGIN"
    if origin_file.exists():
        return folder, origin_file.read_text()
    from diogel.synth import generate

    tables, origin = generate(seed=SEED, scale=scale, years=(2005, 2014)), f"diogel synth, seed {SEED}"
    write_tables(tables, folder / "parquet", "parquet")
    write_tables(tables, folder / "csv", "csv")
    origin_file.write_text(origin)
    return folder, origin


def needed(name: str) -> list[str]:
    """The columns of table ``name`` the engine reads (``ENGINE_COLUMNS``; the floor reads the same)."""
    from diogel.indicators.common import ENGINE_COLUMNS

    return list(ENGINE_COLUMNS[name])


def _read(folder: Path, years: list[int]) -> dict[str, pl.DataFrame]:
    """The needed columns and rows, read straight into the engine's types (codes, LA and CHILD as Categorical)."""
    from diogel.dataset.io import read_tables
    from diogel.indicators.common import engine_schema, row_filters

    return read_tables(folder, {name: engine_schema(name) for name in TABLE_ORDER}, row_filters(years))


def case(kind: str, folder: Path, fmt: str, years: list[int]) -> None:
    """Run one measurement in this process and print it as JSON."""
    from diogel.indicators.engine import evaluate

    load = round(os.getloadavg()[0], 1)
    t0, c0 = time.perf_counter(), time.process_time()
    if kind == "floor":
        rows = sum(pl.read_parquet(folder / f"{n}.parquet", columns=needed(n)).height for n in TABLE_ORDER)
        results = 0
        t1, c1 = time.perf_counter(), time.process_time()
    else:
        tables = _read(folder, years)
        rows = sum(f.height for f in tables.values())
        t1, c1 = time.perf_counter(), time.process_time()
        results = len(evaluate(tables, years))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"rows": rows, "results": results, "seconds": round(seconds, 3), "cpu": round(cpu, 3)}
    out |= {"read": round(t1 - t0, 3), "read_cpu": round(c1 - c0, 3), "peak_mb": round(peak_mb), "load": load}
    print(json.dumps(out))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    p.add_argument("--repeat", type=int, default=1, help="run each case this many times")
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
    for kind, scale, fmt, years in [c for c in plan for _ in range(args.repeat)]:
        folder, origin = make_data(scale, args.workdir)
        cmd = [sys.executable, __file__, "--case", kind, str(folder / fmt), fmt, ",".join(map(str, years))]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        label = {
            "floor": "read needed columns",
            "all": "all indicators, 1 year",
            "series": "all indicators, 2005-2014",
        }[kind]
        print(f"scale {scale:>2} {fmt:<7} {label:<27} {out['seconds']:>7.3f} s wall {out['cpu']:>7.3f} s CPU"
              f"  (read {out['read']:.3f} s wall {out['read_cpu']:.3f} s CPU)  {out['peak_mb']:>6} MB peak"
              f"  ({out['rows']:,} rows; load {out['load']}; {origin})", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
