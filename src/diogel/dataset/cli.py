"""``diogel dataset``: validate, import, export and convert Children's Services Datasets.

Sub-commands: ``validate DIR``, ``import DIR``, ``export DIR``, ``schemas DIR``
and ``from-ssda903 SRC_DIR --la CODE --out DIR``. Heavy modules are imported
inside the handlers so that ``diogel --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diogel.dataset.findings import Finding

DEFAULT_PER_RULE = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("dataset", help="validate, import, export and convert datasets")
    ds = p.add_subparsers(dest="dataset_command", metavar="SUBCOMMAND", required=True)

    v = ds.add_parser("validate", help="check a dataset folder against the standard")
    v.add_argument("directory", type=Path, metavar="DIR")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument(
        "--max-per-rule",
        type=int,
        default=DEFAULT_PER_RULE,
        metavar="N",
        help=f"print at most N findings of each rule (default {DEFAULT_PER_RULE}; 0 = all); all are counted",
    )
    v.set_defaults(handler=run_validate)

    i = ds.add_parser("import", help="validate a dataset folder and load it into the database")
    i.add_argument("directory", type=Path, metavar="DIR")
    i.add_argument("--actor", default="diogel-cli", help="who is recorded as having imported it")
    i.set_defaults(handler=run_import)

    e = ds.add_parser("export", help="write the database's records as a dataset folder")
    e.add_argument("directory", type=Path, metavar="DIR")
    e.add_argument("--la", metavar="CODE", help="only this local authority")
    e.add_argument("--format", choices=("csv", "parquet"), default="csv")
    e.set_defaults(handler=run_export)

    s = ds.add_parser("schemas", help="write the Frictionless Table Schemas and datapackage.json")
    s.add_argument("directory", type=Path, metavar="DIR")
    s.set_defaults(handler=run_schemas)

    c = ds.add_parser("from-ssda903", help="convert an LA's SSDA903 CSV files into a dataset folder")
    c.add_argument("source", type=Path, metavar="SRC_DIR")
    c.add_argument("--la", required=True, metavar="CODE", help="ONS code of the LA the return belongs to")
    c.add_argument("--out", required=True, type=Path, metavar="DIR")
    c.set_defaults(handler=run_from_ssda903)


def print_findings(found: Sequence[Finding], fmt: str, per_rule: int) -> None:
    """Findings (at most ``per_rule`` of each rule in text form) and a summary line."""
    counts = Counter(f.rule for f in found)
    n_err = sum(1 for f in found if f.severity == "error")
    n_warn = len(found) - n_err
    if fmt == "json":
        print(
            json.dumps(
                {
                    "errors": n_err,
                    "warnings": n_warn,
                    "by_rule": dict(sorted(counts.items())),
                    "findings": [f.to_dict() for f in found],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    shown: Counter[str] = Counter()
    ordered = sorted(found, key=lambda f: (f.severity != "error", f.rule))
    for f in ordered:
        shown[f.rule] += 1
        if per_rule <= 0 or shown[f.rule] <= per_rule:
            print(f"{f.severity.upper()} {f.rule} {f.message}")
    for rule, n in sorted(counts.items()):
        if 0 < per_rule < n:
            print(f"… {rule}: {n - per_rule} more not shown ({n} in all)")
    print(f"{n_err} error(s), {n_warn} warning(s)")


def run_validate(args: argparse.Namespace) -> int:
    from diogel.dataset.io import read_raw
    from diogel.dataset.validate import validate

    found = validate(read_raw(args.directory))
    print_findings(found, args.format, args.max_per_rule)
    return 1 if any(f.severity == "error" for f in found) else 0


def run_import(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup
    from diogel.dataset.io import load

    tables = load(args.directory)
    django_setup()
    from diogel.dataset import db

    summary = db.import_dataset(tables, actor=args.actor)
    rows = getattr(summary, "rows", {})
    detail = ", ".join(f"{name} {n}" for name, n in rows.items() if n)
    print(f"imported {sum(rows.values())} rows from {args.directory}" + (f" ({detail})" if detail else ""))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup
    from diogel.dataset.io import write_tables
    from diogel.dataset.ssda903 import check_la

    la = check_la(args.la) if args.la else None
    django_setup()
    from diogel.dataset import db

    tables = db.export_dataset(la=la)
    write_tables(tables, args.directory, args.format)
    print(f"wrote {sum(t.height for t in tables.values())} rows in {len(tables)} tables to {args.directory}")
    return 0


def run_schemas(args: argparse.Namespace) -> int:
    from diogel.dataset.frictionless import write_schemas

    written = write_schemas(args.directory)
    print(f"wrote {len(written)} files to {args.directory}")
    return 0


def run_from_ssda903(args: argparse.Namespace) -> int:
    from diogel.dataset.ssda903 import from_ssda903

    report = from_ssda903(args.source, args.la, args.out)
    print("\n".join(report.lines()))
    print(f"now check it with: diogel dataset validate {args.out}")
    return 0
