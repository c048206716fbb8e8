"""Reading and writing Children's Services Dataset folders.

A dataset is a folder with one CSV (or Parquet) file per table of
:mod:`diogel.dataset.schema`. This module reads such a folder *as it is*
(:func:`read_raw`: every value a string, nothing fixed or dropped, so that
:mod:`diogel.dataset.validate` can say exactly what is wrong and where),
turns a raw dataset into typed polars frames (:func:`to_typed`), does both
with validation in between (:func:`load`), and writes tables back out with
deterministic bytes (:func:`write_tables`).

Everything goes through polars' native readers and writers: a Wales-sized
dataset (millions of rows) is never touched row by row in Python.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from diogel.dataset import findings as fnd
from diogel.dataset.findings import DatasetInvalid, Finding
from diogel.dataset.schema import TABLE_ORDER, TABLES, ColumnType, Table
from diogel.errors import UserError

__all__ = [
    "DatasetInvalid",
    "RawDataset",
    "RawTable",
    "empty_tables",
    "load",
    "read_raw",
    "read_tables",
    "to_typed",
    "write_tables",
]

FIRST_DATA_ROW = 2  # the header is row 1, so the frame's row i is file row i + 2

_POLARS_TYPE: dict[ColumnType, type[pl.DataType]] = {
    ColumnType.STRING: pl.String,
    ColumnType.FLAG: pl.String,
    ColumnType.DATE: pl.Date,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.NUMBER: pl.Float64,
}

# What a value must look like to parse; the validator uses the same patterns.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_PATTERN = r"^[+-]?\d+$"
NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


@dataclass(frozen=True)
class RawTable:
    """One table as read: every column a string, exactly the columns of the file.

    ``file`` is the source file name (``episodes.csv``), or ``None`` when the
    table was absent. Row ``i`` of ``frame`` is row ``i + 2`` of the file.
    ``header`` is the file's header as written (duplicates included).
    """

    name: str
    file: str | None
    frame: pl.DataFrame
    header: tuple[str, ...] = ()

    def file_name(self) -> str:
        """The name findings use: the source file, or ``<table>.csv`` when absent."""
        return self.file or f"{self.name}.csv"


@dataclass
class RawDataset:
    """Every table of the schema as read from one folder, plus problems met while reading."""

    directory: Path
    tables: dict[str, RawTable]
    findings: list[Finding] = field(default_factory=list)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _empty_raw(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema=dict.fromkeys(table.column_names, pl.String))


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns)


def _first_bad_row(path: Path, width: int) -> int | None:
    """The first row (header = 1) whose number of fields differs from the header's (error path only)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if row and len(row) != width:
                return number
    return None


def _read_header(path: Path) -> tuple[str, ...]:
    """The header row as written (polars renames duplicate names, we want to report them)."""
    with path.open("rb") as fh:
        first = fh.readline()
    text = first.decode("utf-8-sig").rstrip("\r\n")
    return tuple(next(csv.reader(_io.StringIO(text)), []))


def _read_csv(table: Table, path: Path) -> tuple[RawTable | None, list[Finding]]:
    name = path.name
    try:
        header = _read_header(path)
    except UnicodeDecodeError:
        return None, [fnd.make(name, 1, None, "CSD-F001", fnd.ERROR, "the header is not UTF-8 text")]
    if not header or header == ("",):
        return None, [fnd.make(name, None, None, "CSD-F001", fnd.ERROR, "the file is empty (it has no header row)")]
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8", raise_if_empty=False)
    except pl.exceptions.ComputeError as exc:
        text = str(exc)
        if "utf-8" in text.lower() or "utf8" in text.lower():
            return None, [
                fnd.make(name, None, None, "CSD-F001", fnd.ERROR, "the file is not UTF-8 text (save it as CSV UTF-8)")
            ]
        row = _first_bad_row(path, len(header))
        if row is not None:
            return None, [
                fnd.make(
                    name,
                    row,
                    None,
                    "CSD-F001",
                    fnd.ERROR,
                    f"this row does not have the {len(header)} fields of the header, so the file cannot be read",
                )
            ]
        return None, [fnd.make(name, None, None, "CSD-F001", fnd.ERROR, "the file cannot be read as CSV")]
    except (pl.exceptions.PolarsError, OSError) as exc:
        return None, [fnd.make(name, None, None, "CSD-F001", fnd.ERROR, f"the file cannot be read ({exc})")]
    if len(set(header)) == len(header) and len(header) == frame.width:
        frame.columns = list(header)
    return RawTable(table.name, name, _blank_to_null(frame), header), []


def _float_text(expr: pl.Expr) -> pl.Expr:
    """Floats as canonical shortest text: ``12.0`` → ``12``, ``0.1`` → ``0.1``, ``-0.0`` → ``0``."""
    text = expr.cast(pl.String).str.replace(r"\.0$", "").str.replace(r"^\.0e", "e")
    return pl.when(text == "-0").then(pl.lit("0")).otherwise(text)


def _to_strings(frame: pl.DataFrame) -> pl.DataFrame:
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            exprs.append(col)
        elif dtype == pl.Date:
            exprs.append(col.dt.to_string("%Y-%m-%d").alias(name))
        elif dtype.is_float():
            exprs.append(_float_text(col).alias(name))
        else:
            exprs.append(col.cast(pl.String).alias(name))
    return frame.select(exprs)


def _read_parquet(table: Table, path: Path) -> tuple[RawTable | None, list[Finding]]:
    name = path.name
    try:
        frame = pl.read_parquet(path)
        frame = _blank_to_null(_to_strings(frame))
    except (pl.exceptions.PolarsError, OSError) as exc:
        return None, [fnd.make(name, None, None, "CSD-F001", fnd.ERROR, f"the file cannot be read as Parquet ({exc})")]
    return RawTable(table.name, name, frame, tuple(frame.columns)), []


def read_raw(directory: Path) -> RawDataset:
    """Read every table of the schema from ``directory``, all values as strings.

    A table with no file is an empty table. A table with both a CSV and a
    Parquet file, a file that cannot be read, and (as a warning) a file that is
    not part of the dataset are reported in ``RawDataset.findings``.
    """
    directory = Path(directory)
    if not directory.exists():
        raise UserError(f"the folder {directory} does not exist")
    if not directory.is_dir():
        raise UserError(f"{directory} is not a folder")
    try:
        present = {p.name: p for p in directory.iterdir() if p.is_file()}
    except OSError as exc:
        raise UserError(f"the folder {directory} cannot be read ({exc.strerror})") from exc

    tables: dict[str, RawTable] = {}
    findings: list[Finding] = []
    for name in TABLE_ORDER:
        table = TABLES[name]
        csv_path, pq_path = present.get(f"{name}.csv"), present.get(f"{name}.parquet")
        raw: RawTable | None = None
        if csv_path is not None and pq_path is not None:
            findings.append(
                fnd.make(
                    f"{name}.csv",
                    None,
                    None,
                    "CSD-F002",
                    fnd.ERROR,
                    f"both {name}.csv and {name}.parquet are present; keep only one",
                )
            )
        elif csv_path is not None:
            raw, found = _read_csv(table, csv_path)
            findings += found
        elif pq_path is not None:
            raw, found = _read_parquet(table, pq_path)
            findings += found
        tables[name] = raw or RawTable(name, None, _empty_raw(table), table.column_names)

    known = {f"{n}.{ext}" for n in TABLE_ORDER for ext in ("csv", "parquet")}
    for extra in sorted(set(present) - known):
        if extra.lower().endswith((".csv", ".parquet")):
            findings.append(
                fnd.make(
                    extra,
                    None,
                    None,
                    "CSD-F003",
                    fnd.WARNING,
                    "this file is not a table of the dataset and was ignored (is the name misspelt?)",
                )
            )
    return RawDataset(directory, tables, findings)


def read_tables(
    directory: Path,
    schemas: Mapping[str, Mapping[str, pl.DataType]],
    filters: Mapping[str, pl.Expr] | None = None,
) -> dict[str, pl.DataFrame]:
    """Read only the columns of ``schemas`` (table → column → type) of a dataset folder, straight into those types.

    No validation and no raw strings: for a folder already known to be valid (one written by
    :func:`write_tables`, or validated before), when only some columns are wanted, in compact
    types (``pl.Categorical`` or ``pl.Enum`` for codes and identifiers). Each file is read in
    batches by polars' streaming engine: a batch is parsed (CSV) or decoded (Parquet) with its
    text as strings, the rows of ``filters[table]`` are kept (an expression over the columns as
    read, before any cast), and the batch is cast to the types, so that a Categorical column never
    exists as a whole string column; the files are read together. Blank is null. A table with no
    file, and a column the file lacks, are blank; a value that does not parse is an error. Tables
    not in ``schemas`` are not read.
    """
    directory = Path(directory)
    out: dict[str, pl.DataFrame] = {}
    scans: dict[str, pl.LazyFrame] = {}
    for name, schema in schemas.items():
        csv_path, pq_path = directory / f"{name}.csv", directory / f"{name}.parquet"
        compact = {c for c, t in schema.items() if isinstance(t, (pl.Categorical, pl.Enum))}
        scan: pl.LazyFrame | None = None
        if csv_path.is_file():
            present = set(_read_header(csv_path))
            as_read = {c: (pl.String() if c in compact else t) for c, t in schema.items() if c in present}
            scan = pl.scan_csv(csv_path, schema_overrides=as_read, raise_if_empty=False)
        elif pq_path.is_file():
            scan = pl.scan_parquet(pq_path)
            present = set(scan.collect_schema().names())
        if scan is None or not present & set(schema):
            out[name] = pl.DataFrame(schema=dict(schema))
            continue
        scan = scan.select(c for c in schema if c in present)
        if filters and name in filters:
            scan = scan.filter(filters[name])
        scans[name] = scan.select(
            pl.col(c).cast(t) if c in present else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()
        )
    # All files at once: the small tables are read while the large ones are, on every core.
    for name, frame in zip(scans, pl.collect_all(list(scans.values()), engine="streaming"), strict=True):
        out[name] = frame
    return {name: out[name] for name in schemas}


# --------------------------------------------------------------------------
# Typing
# --------------------------------------------------------------------------


def typed_expr(name: str, ctype: ColumnType) -> pl.Expr:
    """The expression that turns the string column ``name`` into its schema type (bad values → null)."""
    col = pl.col(name)
    if ctype == ColumnType.DATE:
        return pl.when(col.str.contains(DATE_PATTERN)).then(col.str.to_date("%Y-%m-%d", strict=False)).alias(name)
    if ctype == ColumnType.INTEGER:
        return col.str.strip_chars("+").cast(pl.Int64, strict=False).alias(name)
    if ctype == ColumnType.NUMBER:
        return pl.when(col.str.contains(NUMBER_PATTERN)).then(col.cast(pl.Float64, strict=False)).alias(name)
    return col.cast(pl.String).alias(name)


def _typed_table(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    exprs: list[pl.Expr] = []
    for column in table.columns:
        target = _POLARS_TYPE[column.type]
        if column.name not in frame.columns:
            exprs.append(pl.lit(None, dtype=target).alias(column.name))
        elif frame.schema[column.name] == pl.String:
            exprs.append(typed_expr(column.name, column.type))
        else:
            exprs.append(pl.col(column.name).cast(target, strict=False))
    return frame.select(exprs)


def to_typed(raw: RawDataset) -> dict[str, pl.DataFrame]:
    """Every schema table, columns in schema order and of their schema type.

    Meant for a dataset that has passed validation: a value that does not
    parse becomes null here (the validator is what reports it); columns the
    schema does not know are dropped and missing ones are null.
    """
    return {name: _typed_table(TABLES[name], raw.tables[name].frame) for name in TABLE_ORDER}


def load(directory: Path) -> dict[str, pl.DataFrame]:
    """Read, validate and type a dataset; raise :class:`DatasetInvalid` if it has any error."""
    from diogel.dataset.validate import validate

    raw = read_raw(directory)
    found = validate(raw)
    if fnd.errors(found):
        raise DatasetInvalid(str(directory), found)
    return to_typed(raw)


def empty_tables() -> dict[str, pl.DataFrame]:
    """Every schema table, typed, with no rows."""
    return {
        name: pl.DataFrame(schema={c.name: _POLARS_TYPE[c.type] for c in TABLES[name].columns}) for name in TABLE_ORDER
    }


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the schema's columns in schema order (missing ones blank)."""
    table = TABLES[name]
    extra = [c for c in frame.columns if c not in table.column_names]
    if extra:
        raise ValueError(f"table {name} has columns the schema does not know: {', '.join(extra)}")
    return frame.select(
        pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c) for c in table.column_names
    )


def write_tables(tables: Mapping[str, pl.DataFrame], directory: Path, fmt: Literal["csv", "parquet"] = "csv") -> None:
    """Write every schema table to ``directory`` as ``<table>.csv`` or ``<table>.parquet``.

    Tables missing from ``tables`` are written empty (a header-only CSV).
    Output bytes depend only on the data: schema column order, rows in the
    order given, ISO dates, blank for null, ``\\n`` line ends, integers
    without ``.0`` and floats in their shortest round-trip form. CSV keeps
    string columns exactly as given (so a converter can carry a bad value
    through for the validator to report); Parquet stores the schema types.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not tables of the dataset: {', '.join(unknown)}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}")
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"the folder {directory} cannot be created ({exc.strerror})") from exc
    empty = empty_tables()
    for name in TABLE_ORDER:
        frame = _conform(name, tables.get(name, empty[name]))
        path = directory / f"{name}.{fmt}"
        try:
            if fmt == "csv":
                _to_strings(frame).write_csv(path, line_terminator="\n", null_value="", quote_style="necessary")
            else:
                _typed_table(TABLES[name], frame).write_parquet(
                    path, compression="zstd", compression_level=3, statistics=False, use_pyarrow=False
                )
        except OSError as exc:
            raise UserError(f"{path} cannot be written ({exc.strerror})") from exc
