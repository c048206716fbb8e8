"""Conversion of an SSDA903 return (one LA's CSV files) into a CSD folder.

The SSDA903 tables that have a CSD table are converted:

============================  =========================  ==========================================
SSDA903 file                  CSD table                  what changes
============================  =========================  ==========================================
``header.csv``                ``children``               LA added; MOTHER, MC_DOB dropped
``episodes.csv``              ``episodes``               LA added
``reviews.csv``               ``lac_reviews``            REVIEW → REVIEW_DATE; DOB dropped
``oc3.csv``                   ``care_leavers``           BIRTHDAY_19 = DOB + 19 years; DOB dropped
``sw_episodes.csv``           ``social_worker_episodes`` DOB, SW_REASON dropped
============================  =========================  ==========================================

Every value is trimmed of stray spaces; dates written ``DD/MM/YYYY`` become
ISO ``YYYY-MM-DD``. Nothing else is fixed: a value that cannot be converted
(a date that is not a date, a code not in the list) is carried over exactly
as it is, so that :func:`diogel.dataset.validate.validate` reports it. A
child born on 29 February has BIRTHDAY_19 on 28 February (the spec's rule for
adding months clamps to the end of the month, and 19 years is 228 months).
Other SSDA903 files (AD1, missing, OC2, placed for adoption, previous
permanence, UASC) have no CSD table and are listed as not converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from diogel.dataset.io import write_tables
from diogel.dataset.schema import TABLES, la_codes
from diogel.errors import UserError

# SSDA903 file → (CSD table, {903 column: CSD column}); unlisted 903 columns are dropped.
CONVERTED: dict[str, tuple[str, dict[str, str]]] = {
    "header.csv": ("children", {c: c for c in ("CHILD", "SEX", "DOB", "ETHNIC", "UPN")}),
    "episodes.csv": ("episodes", {c: c for c in TABLES["episodes"].column_names if c != "LA"}),
    "reviews.csv": ("lac_reviews", {"CHILD": "CHILD", "REVIEW": "REVIEW_DATE", "REVIEW_CODE": "REVIEW_CODE"}),
    "oc3.csv": ("care_leavers", {"CHILD": "CHILD", "IN_TOUCH": "IN_TOUCH", "ACTIV": "ACTIV", "ACCOM": "ACCOM"}),
    "sw_episodes.csv": (
        "social_worker_episodes",
        {"CHILD": "CHILD", "SW_ID": "SW_ID", "SW_DECOM": "SW_DECOM", "SW_DEC": "SW_DEC"},
    ),
}
NOT_CONVERTED = (
    "ad1.csv",
    "missing.csv",
    "oc2.csv",
    "placed_for_adoption.csv",
    "previous_permanence.csv",
    "uasc.csv",
)
DATE_COLUMNS = {"DOB", "DECOM", "DEC", "REVIEW", "SW_DECOM", "SW_DEC"}
UK_DATE = r"^\d{1,2}/\d{1,2}/\d{4}$"


@dataclass
class ConversionReport:
    """What :func:`from_ssda903` did, for a person to read."""

    la: str
    out: Path
    rows: dict[str, int] = field(default_factory=dict)  # CSD table → rows written
    converted_from: dict[str, str] = field(default_factory=dict)  # CSD table → 903 file
    not_converted: list[str] = field(default_factory=list)  # 903 files with no CSD table
    ignored: list[str] = field(default_factory=list)  # files that are not 903 tables
    absent: list[str] = field(default_factory=list)  # convertible 903 files not found
    dropped_columns: dict[str, list[str]] = field(default_factory=dict)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)
    dates_converted: int = 0
    dates_carried: dict[str, int] = field(default_factory=dict)  # "file COLUMN" → values kept as they were
    trimmed: int = 0

    def lines(self) -> list[str]:
        out = [f"SSDA903 → CSD for LA {self.la}, written to {self.out}"]
        for table, rows in self.rows.items():
            out.append(f"  {self.converted_from[table]} → {table}.csv: {rows} rows")
        for name, cols in sorted(self.dropped_columns.items()):
            out.append(f"  {name}: columns with no CSD column, not carried over: {', '.join(cols)}")
        for name, cols in sorted(self.missing_columns.items()):
            out.append(f"  {name}: columns missing from the file, left blank: {', '.join(cols)}")
        out.append(f"  {self.dates_converted} dates converted from DD/MM/YYYY to YYYY-MM-DD")
        for where, n in sorted(self.dates_carried.items()):
            out.append(f"  {where}: {n} values are not DD/MM/YYYY dates and were carried over unchanged")
        if self.trimmed:
            out.append(f"  {self.trimmed} values had stray spaces removed")
        if self.not_converted:
            out.append(f"  not converted (no CSD table): {', '.join(self.not_converted)}")
        if self.absent:
            out.append(f"  not found: {', '.join(self.absent)}")
        if self.ignored:
            out.append(f"  ignored (not SSDA903 tables): {', '.join(self.ignored)}")
        return out


def check_la(la: str) -> str:
    """``la`` if it is one of the 22 codes, else a :class:`UserError` listing them."""
    codes = sorted(la_codes())
    if la not in codes:
        raise UserError(f"{la!r} is not a Welsh local authority code; use one of {', '.join(codes)}")
    return la


def read_903(path: Path) -> pl.DataFrame:
    """A 903 CSV with every value a trimmed string (BOM and spaces in the header removed; blank → null)."""
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8", raise_if_empty=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UserError(f"{path.name} cannot be read as a UTF-8 CSV file ({str(exc).splitlines()[0]})") from exc
    frame.columns = [c.lstrip("\ufeff").strip() for c in frame.columns]
    return frame


def _trim(frame: pl.DataFrame, report: ConversionReport) -> pl.DataFrame:
    changed = frame.select(
        pl.sum_horizontal((pl.col(c).is_not_null() & (pl.col(c) != pl.col(c).str.strip_chars())).sum())
        for c in frame.columns
    )
    if frame.width:
        report.trimmed += int(sum(changed.row(0)))
    trimmed = frame.with_columns(pl.col(c).str.strip_chars() for c in frame.columns)
    return trimmed.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns
    )


def iso_date(c: str) -> pl.Expr:
    """``DD/MM/YYYY`` → ``YYYY-MM-DD``; anything else unchanged."""
    col = pl.col(c)
    parsed = col.str.to_date("%d/%m/%Y", strict=False)
    return (
        pl.when(col.str.contains(UK_DATE) & parsed.is_not_null()).then(parsed.dt.to_string("%Y-%m-%d")).otherwise(col)
    )


def _dates(frame: pl.DataFrame, name: str, report: ConversionReport) -> pl.DataFrame:
    for c in sorted(DATE_COLUMNS & set(frame.columns)):
        col = pl.col(c)
        ok = col.str.contains(UK_DATE) & col.str.to_date("%d/%m/%Y", strict=False).is_not_null()
        counts = frame.select(ok.sum().alias("ok"), (col.is_not_null() & ~ok).sum().alias("bad")).row(0)
        report.dates_converted += int(counts[0])
        if counts[1]:
            report.dates_carried[f"{name} {c}"] = int(counts[1])
        frame = frame.with_columns(iso_date(c).alias(c))
    return frame


def _birthday_19(dob: pl.Expr) -> pl.Expr:
    """DOB + 19 years (29 February → 28 February); a DOB that is not a date is carried over as it is."""
    parsed = pl.when(dob.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(dob.str.to_date("%Y-%m-%d", strict=False))
    return pl.when(parsed.is_not_null()).then(parsed.dt.offset_by("19y").dt.to_string("%Y-%m-%d")).otherwise(dob)


def convert_file(path: Path, la: str, report: ConversionReport) -> pl.DataFrame:
    """One 903 file as its CSD table (all strings)."""
    table, mapping = CONVERTED[path.name]
    frame = _dates(_trim(read_903(path), report), path.name, report)
    dropped = [c for c in frame.columns if c not in mapping and not (table == "care_leavers" and c == "DOB")]
    if dropped:
        report.dropped_columns[path.name] = dropped
    missing = [c for c in mapping if c not in frame.columns]
    if table == "care_leavers" and "DOB" not in frame.columns:
        missing.append("DOB")
    if missing:
        report.missing_columns[path.name] = missing
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)
    exprs = [pl.lit(la).alias("LA"), *(pl.col(src).alias(dst) for src, dst in mapping.items())]
    if table == "care_leavers":
        exprs.append(_birthday_19(pl.col("DOB")).alias("BIRTHDAY_19"))
    out = frame.select(exprs)
    return out.select(c for c in TABLES[table].column_names if c in out.columns)


def from_ssda903(src: Path, la: str, out: Path) -> ConversionReport:
    """Convert the SSDA903 CSV files in ``src`` for LA ``la`` into a CSD folder ``out``."""
    check_la(la)
    src, out = Path(src), Path(out)
    if not src.is_dir():
        raise UserError(f"the folder {src} does not exist")
    report = ConversionReport(la=la, out=out)
    files = {p.name.lower(): p for p in src.iterdir() if p.is_file() and p.suffix.lower() == ".csv"}
    tables: dict[str, pl.DataFrame] = {}
    for name, (table, _) in CONVERTED.items():
        if name not in files:
            report.absent.append(name)
            continue
        tables[table] = convert_file(files[name].with_name(files[name].name), la, report)
        report.rows[table] = tables[table].height
        report.converted_from[table] = name
    report.not_converted = sorted(n for n in files if n in NOT_CONVERTED)
    report.ignored = sorted(n for n in files if n not in NOT_CONVERTED and n not in CONVERTED)
    write_tables(tables, out, "csv")
    return report
