"""Benchmarks of the dataset side: synth, validate, import.

Prints wall time and peak memory (max RSS of a fresh child process) for:

- ``diogel synth`` at scale 1 and scale 10 (Parquet; scale 10 is skipped with ``--quick``);
- validating the scale-1 dataset (CSV and Parquet);
- importing the scale-1 dataset into SQLite and into PostgreSQL (``--pg-url``).

Each step runs in its own process so that peak memory is that step's alone.
Data goes to ``benchmarks/data/`` (ignored by git). Record the figures in
``docs/benchmarks.md``.

    .venv/bin/python benchmarks/dataset.py [--quick] [--pg-url postgres://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def measure(label: str, code: str, env: dict[str, str] | None = None) -> float:
    """Run ``code`` in a fresh Python process; print and return its wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        print(f"{label:<48} FAILED\n{proc.stderr[-2000:]}")
        return elapsed
    note = "" if peak_mb > before / 1024 else " (peak not above an earlier step's)"
    print(f"{label:<48} {elapsed:8.2f} s   peak {peak_mb:8.0f} MB{note}", flush=True)
    return elapsed


def synth(scale: float, out: Path, fmt: str) -> str:
    return (
        "from pathlib import Path\n"
        "from diogel.synth import generate\n"
        "from diogel.dataset.io import write_tables\n"
        f"write_tables(generate(seed=1, scale={scale}, years=(2005, 2014)), Path({str(out)!r}), {fmt!r})\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip scale 10")
    parser.add_argument(
        "--pg-url",
        default="",
        help="PostgreSQL server URL; the benchmark creates and drops its own database diogel_bench",
    )
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    s1_csv, s1_parquet, s10 = DATA / "s1-csv", DATA / "s1-parquet", DATA / "s10-parquet"

    print(f"Diogel dataset benchmarks on {os.cpu_count()} cores\n")
    measure("synth scale 1 -> CSV", synth(1, s1_csv, "csv"))
    measure("synth scale 1 -> Parquet", synth(1, s1_parquet, "parquet"))
    if not args.quick:
        measure("synth scale 10 -> Parquet", synth(10, s10, "parquet"))

    validate = (
        "from pathlib import Path\n"
        "from diogel.dataset.io import read_raw\n"
        "from diogel.dataset.validate import validate\n"
        "raw = read_raw(Path({path!r}))\n"
        "errors = [f for f in validate(raw) if f.severity == 'error']\n"
        "assert not errors, errors[:3]\n"
    )
    measure("validate scale 1 (CSV)", validate.format(path=str(s1_csv)))
    measure("validate scale 1 (Parquet)", validate.format(path=str(s1_parquet)))

    load = (
        "from pathlib import Path\n"
        "from diogel.cli import django_setup\n"
        "django_setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from diogel.dataset.io import load\n"
        "from diogel.dataset.db import import_dataset\n"
        f"import_dataset(load(Path({str(s1_parquet)!r})), actor='benchmark')\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{tmp}/bench.sqlite3"
        measure("import scale 1 into SQLite (incl. migrate)", load, {"DATABASE_URL": sqlite_url})
    if args.pg_url:
        # A database of its own, dropped and created afresh: the given one is only used to connect.
        reset = (
            "import psycopg\n"
            f"with psycopg.connect({args.pg_url!r}, autocommit=True) as c:\n"
            "    c.execute('DROP DATABASE IF EXISTS diogel_bench')\n"
            "    c.execute('CREATE DATABASE diogel_bench')\n"
        )
        subprocess.run([sys.executable, "-c", reset], check=True)
        bench_url = args.pg_url.rsplit("/", 1)[0] + "/diogel_bench"
        measure("import scale 1 into PostgreSQL (incl. migrate)", load, {"DATABASE_URL": bench_url})


if __name__ == "__main__":
    main()
