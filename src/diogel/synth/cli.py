"""``diogel synth``: write (and optionally load) a synthetic Wales."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from diogel.errors import UserError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("synth", help="generate a synthetic, valid Children's Services Dataset for the 22 LAs")
    p.add_argument("--out", type=Path, required=True, help="folder to write the dataset to")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed and arguments, same bytes)")
    p.add_argument("--scale", type=float, default=1.0, help="size: 1 is Wales-sized, 10 roughly England-sized")
    p.add_argument("--years", default="2005-2014", help="financial years, e.g. 2005-2014 or 2012")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    p.add_argument("--load", action="store_true", help="also import the dataset into the database")
    p.set_defaults(handler=run)


def parse_years(text: str) -> tuple[int, int]:
    """``2005-2014`` → (2005, 2014); ``2012`` → (2012, 2012)."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not m:
        raise UserError(f"--years must look like 2005-2014 or 2012, not {text!r}")
    first = int(m.group(1))
    return first, int(m.group(2) or first)


def run(args: argparse.Namespace) -> int:
    from diogel.dataset.io import write_tables
    from diogel.synth.generate import generate

    years = parse_years(args.years)
    started = time.perf_counter()
    tables = generate(args.seed, args.scale, years)
    write_tables(tables, args.out, args.format)
    rows = sum(t.height for t in tables.values())
    print(f"wrote {rows} rows in {len(tables)} tables to {args.out} in {time.perf_counter() - started:.1f} s")
    if args.load:
        from diogel.cli import django_setup

        django_setup()
        from diogel.dataset.db import import_dataset

        import_dataset(tables, actor="system:synth")
        print("loaded into the database")
    return 0
