"""``diogel indicators``: compute the national indicators from a dataset folder or the database.

    diogel indicators --dataset DIR --year 2008 [--la CODE] [--indicator ID ...]
                      [--format json|csv|xlsx] [--output FILE]
    diogel indicators --dataset DIR --years 2005-2014
    diogel indicators --dataset DIR --year 2008 --indicator IA_7WD --la W06000015 --children
    diogel indicators --from-db --year 2008

Prints one record per (indicator, LA) plus WALES with the fields ``indicator,
la, year, numerator, denominator, value``; with ``--children`` the units behind
one LA's number instead. Every problem a user can cause ends in a
:class:`~diogel.errors.UserError` (one line, exit 2).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import polars as pl

from diogel.errors import UserError

RESULT_FIELDS: tuple[str, ...] = ("indicator", "la", "year", "numerator", "denominator", "value")
UNIT_FIELDS: tuple[str, ...] = ("indicator", "la", "year", "child", "unit", "in_numerator", "reason")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "indicators",
        help="compute the national indicators for each LA and Wales",
        description="Compute the national indicators (shared/spec/indicators.md) for every LA and WALES.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", metavar="DIR", type=Path, help="a dataset folder (CSV or Parquet)")
    source.add_argument("--from-db", action="store_true", help="read the case records in the database")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", type=int, metavar="Y", help="the financial year Y (2008 means 2008-09)")
    when.add_argument("--years", metavar="A-B", help="a series of years, e.g. 2005-2014")
    p.add_argument("--la", metavar="CODE", help="only this LA (ONS code) or WALES")
    p.add_argument("--indicator", metavar="ID", nargs="+", action="extend", help="only these indicators (default: all)")
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="output format (default json)")
    p.add_argument("--output", metavar="FILE", type=Path, help="write to FILE instead of the screen")
    p.add_argument(
        "--children",
        action="store_true",
        help="list the units behind one number (needs one --indicator, one --la and one --year)",
    )
    p.set_defaults(handler=run)


def parse_years(args: argparse.Namespace) -> list[int]:
    if args.years is None:
        return [int(args.year)]
    m = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", args.years)
    if not m or int(m[1]) > int(m[2]):
        raise UserError(f"--years must look like 2005-2014 (first year not after the last), not {args.years!r}")
    return list(range(int(m[1]), int(m[2]) + 1))


def data_years(tables: Mapping[str, pl.DataFrame]) -> list[int]:
    """The financial years the dataset covers: every year from its first dated record to its last.

    Dates of every table but ``children`` (whose dates of birth say nothing about
    the years recorded) count, and so do population years and academic years.
    The range has no gaps: a year with no new event can still have children looked
    after or registered at its snapshot.
    """
    from diogel.indicators.common import fy

    found: set[int] = set()
    for name, frame in tables.items():
        if name == "children" or frame.height == 0:
            continue
        dates = [c for c, t in frame.schema.items() if t == pl.Date]
        if dates:
            years = frame.select(pl.concat_list([fy(pl.col(c)) for c in dates]).explode().drop_nulls().unique())
            found.update(int(y) for y in years.to_series().to_list())
    for name, column in (("education_outcomes", "ACADEMIC_YEAR"), ("population", "YEAR")):
        numbered = tables.get(name)
        if numbered is not None and numbered.height:
            found.update(int(y) for y in numbered.get_column(column).drop_nulls().unique().to_list())
    return list(range(min(found), max(found) + 1)) if found else []


def load_tables(args: argparse.Namespace) -> dict[str, pl.DataFrame]:
    if args.from_db:
        from diogel.cli import django_setup

        django_setup()
        from diogel.dataset.db import export_dataset

        return export_dataset()
    from diogel.dataset.io import DatasetInvalid, load

    directory: Path = args.dataset
    if not directory.is_dir():
        raise UserError(f"the dataset folder {directory} does not exist")
    try:
        return load(directory)
    except DatasetInvalid as exc:
        # The findings first (every error, one per line), then the one-line summary; no numbers.
        for finding in exc.findings:
            if finding.severity == "error":
                print(finding.message, file=sys.stderr)
        raise


def check_request(
    tables: Mapping[str, pl.DataFrame], years: Sequence[int], la: str | None, indicators: Sequence[str] | None
) -> None:
    """UserError naming the valid choices for an unknown indicator or LA, or a year outside the data."""
    from diogel.indicators.engine import WALES, choose, las_present

    choose(indicators)
    present = las_present(tables)
    if la is not None and la not in [*present, WALES]:
        raise UserError(f"LA {la} is not in this dataset; choose from: {', '.join([*present, WALES])}")
    valid = data_years(tables)
    outside = [y for y in years if y not in valid]
    if outside:
        if not valid:
            raise UserError("the dataset has no dated records, so no year can be computed")
        raise UserError(f"year {outside[0]} is outside the data; choose from {valid[0]}-{valid[-1]}")


def run(args: argparse.Namespace) -> int:
    years = parse_years(args)
    if args.children:
        if not args.indicator or len(args.indicator) != 1 or not args.la or len(years) != 1:
            raise UserError("--children needs exactly one --indicator, one --la and one --year")
        if args.la == "WALES":
            raise UserError("--children lists the units of one LA; give an LA code, not WALES")
    if args.format == "xlsx" and args.output is None:
        raise UserError("--format xlsx needs --output FILE")
    tables = load_tables(args)
    check_request(tables, years, args.la, args.indicator)
    from diogel.indicators import engine
    from diogel.indicators.common import ensure_tables

    # Only the columns and rows the engine reads, in compact types; the frames as loaded are released.
    tables = ensure_tables(tables, years)

    records: list[dict[str, Any]]
    if args.children:
        units = engine.children(tables, args.indicator[0], args.la, years[0])
        records, fields = [asdict(u) for u in units], UNIT_FIELDS
    else:
        las = [args.la] if args.la else None
        results = engine.evaluate(tables, years, indicators=args.indicator, las=las)
        records, fields = [asdict(r) for r in results], RESULT_FIELDS
    write(records, fields, args.format, args.output)
    return 0


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    return value


def render(records: Sequence[Mapping[str, Any]], fields: Sequence[str], fmt: str) -> str:
    """``records`` as JSON (an array of objects) or CSV (header row; blank for null; Y/N for booleans)."""
    if fmt == "json":
        return json.dumps([{f: r[f] for f in fields} for r in records], ensure_ascii=False, indent=1) + "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    for r in records:
        writer.writerow([_cell(r[f]) for f in fields])
    return buf.getvalue()


def write(records: Sequence[Mapping[str, Any]], fields: Sequence[str], fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        assert output is not None
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "indicators"
        sheet.append(list(fields))
        for r in records:
            sheet.append([r[f] if not isinstance(r[f], bool) else ("Y" if r[f] else "N") for f in fields])
        _save(output, lambda path: book.save(path))
        return
    text = render(records, fields, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        _save(output, lambda path: path.write_text(text, encoding="utf-8"))


def _save(output: Path, save: Any) -> None:
    try:
        save(output)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
