"""Validation of a Children's Services Dataset: the *Validity* section of ``spec/dataset.md``.

:func:`validate` takes a :class:`~diogel.dataset.io.RawDataset` (every value
still a string, so nothing is lost) and returns every finding at once. The
errors are exactly the spec's list; everything else noticed is a warning.
The rules come from the declarations of :mod:`diogel.dataset.schema` (code
lists, patterns, date orders, keys, references) plus the episode rules in
:mod:`diogel.dataset.episode_rules`; warnings are in :mod:`diogel.dataset.warning_rules`. All checks are vectorised polars; Python
only formats the rows found. Rule codes are documented in ``docs/dataset.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from diogel.dataset import findings as fnd
from diogel.dataset.episode_rules import episode_findings
from diogel.dataset.findings import Finding
from diogel.dataset.io import DATE_PATTERN, INTEGER_PATTERN, NUMBER_PATTERN, RawDataset, RawTable
from diogel.dataset.schema import TABLE_ORDER, TABLES, ColumnType, Table, la_codes
from diogel.dataset.warning_rules import warning_findings

ROW = "_row"

# The spec's duplicate-key error names these keys only (population YEAR is a warning).
ERROR_KEYS: dict[str, tuple[str, ...]] = {
    "children": ("CHILD",),
    "referrals": ("REFERRAL_ID",),
    "assessments": ("ASSESSMENT_ID",),
    "cp_registrations": ("REGISTRATION_ID",),
    "care_plans": ("PLAN_ID",),
    "cp_conferences": ("CONFERENCE_ID", "CHILD"),
}

ORDER_PHRASES: dict[tuple[str, str], str] = {
    ("episodes", "DEC"): "episode ends ({e}) before it starts ({s})",
    ("social_worker_episodes", "SW_DEC"): "allocation ends ({e}) before it starts ({s})",
    ("referrals", "DECISION_DATE"): "decision ({e}) is before the referral was received ({s})",
    ("referrals", "CLOSURE_DATE"): "closed ({e}) before the referral was received ({s})",
    ("assessments", "COMPLETED_DATE"): "assessment completed ({e}) before it started ({s})",
    ("cp_conferences", "CONFERENCE_DATE"): "conference ({e}) is before its strategy discussion ({s})",
    ("cp_registrations", "END_DATE"): "de-registered ({e}) before being registered ({s})",
    ("cp_registrations", "FIRST_CORE_GROUP"): "first core group ({e}) is before registration ({s})",
    ("care_plans", "END_DATE"): "plan ends ({e}) before it starts ({s})",
}

NOUN = {
    "REFERRAL_ID": "referral",
    "REGISTRATION_ID": "registration",
    "CONFERENCE_ID": "conference",
}


def show(value: object) -> str:
    return "blank" if value is None else f"'{value}'"


def working_frame(raw: RawTable) -> pl.DataFrame:
    """The raw frame with exactly the schema's columns (missing ones null) and the file row number."""
    table = TABLES[raw.name]
    frame = raw.frame
    return frame.select(
        *(pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c) for c in table.column_names),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW),
    )


# --------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------


def column_findings(raw: RawTable) -> list[Finding]:
    """Missing and unknown columns (CSD-C001..C004)."""
    if raw.file is None:
        return []
    table, name, out = TABLES[raw.name], raw.file, []
    header = list(raw.header) or list(raw.frame.columns)
    seen: set[str] = set()
    for col in header:
        if col in seen:
            out.append(
                fnd.make(name, 1, col, "CSD-C003", fnd.ERROR, "this column appears more than once in the header")
            )
        elif col not in table.column_names:
            out.append(
                fnd.make(
                    name,
                    1,
                    col,
                    "CSD-C002",
                    fnd.ERROR,
                    f"unknown column (the columns of {raw.name} are {', '.join(table.column_names)})",
                )
            )
        seen.add(col)
    for column in table.columns:
        if column.name in seen:
            continue
        if not column.optional:
            # Every column the standard lists must be present, even if all its values are blank;
            # only the columns the spec calls optional (UPN, DOD) may be left out.
            out.append(fnd.make(name, 1, column.name, "CSD-C001", fnd.ERROR, "required column is missing"))
    return out


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


def value_findings(table: Table, w: pl.DataFrame, file: str, present: set[str]) -> list[Finding]:
    """Codes, patterns, dates and numbers that do not parse, LA codes (CSD-V001..V005)."""
    out: list[Finding] = []
    for column in table.columns:
        c = column.name
        if c not in present:
            continue
        col = pl.col(c)
        if c == "LA":
            bad = w.filter(~col.is_in(sorted(la_codes())) | col.is_null())
            out += [
                fnd.make(
                    file,
                    r[ROW],
                    c,
                    "CSD-V005",
                    fnd.ERROR,
                    f"{show(r[c])} is not the code of one of the 22 Welsh local authorities (W06000001 … W06000024)",
                )
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
            continue
        if column.codes is not None:
            codes = sorted(column.codes)
            bad = w.filter(col.is_not_null() & ~col.is_in(codes))
            listed = ", ".join(codes) if len(codes) <= 12 else f"{', '.join(codes[:12])} …"
            out += [
                fnd.make(file, r[ROW], c, "CSD-V001", fnd.ERROR, f"{show(r[c])} is not in the code list ({listed})")
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
        if column.pattern is not None:
            bad = w.filter(col.is_not_null() & ~col.str.contains(column.pattern))
            out += [
                fnd.make(
                    file,
                    r[ROW],
                    c,
                    "CSD-V001",
                    fnd.ERROR,
                    f"{show(r[c])} is not a valid code (a letter and 1 or 2, or 0)",
                )
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
        if column.type == ColumnType.DATE:
            ok = col.str.contains(DATE_PATTERN) & col.str.to_date("%Y-%m-%d", strict=False).is_not_null()
            bad = w.filter(col.is_not_null() & ~ok.fill_null(False))
            out += [
                fnd.make(
                    file,
                    r[ROW],
                    c,
                    "CSD-V002",
                    fnd.ERROR,
                    f"{show(r[c])} is not a valid date (dates are written YYYY-MM-DD)",
                )
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
        elif column.type == ColumnType.INTEGER:
            ok = col.str.contains(INTEGER_PATTERN) & col.cast(pl.Int64, strict=False).is_not_null()
            bad = w.filter(col.is_not_null() & ~ok.fill_null(False))
            out += [
                fnd.make(file, r[ROW], c, "CSD-V003", fnd.ERROR, f"{show(r[c])} is not a whole number")
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
        elif column.type == ColumnType.NUMBER:
            bad = w.filter(col.is_not_null() & ~col.str.contains(NUMBER_PATTERN))
            out += [
                fnd.make(file, r[ROW], c, "CSD-V004", fnd.ERROR, f"{show(r[c])} is not a number")
                for r in bad.select(ROW, c).iter_rows(named=True)
            ]
    return out


def parsed_date(c: str) -> pl.Expr:
    col = pl.col(c)
    return pl.when(col.str.contains(DATE_PATTERN)).then(col.str.to_date("%Y-%m-%d", strict=False))


def date_order_findings(table: Table, w: pl.DataFrame, file: str, present: set[str]) -> list[Finding]:
    """An end date before its start date (CSD-D001)."""
    out: list[Finding] = []
    for order in table.date_orders:
        if order.end not in present or order.start not in present:
            continue
        bad = w.filter(parsed_date(order.end) < parsed_date(order.start))
        phrase = ORDER_PHRASES.get((table.name, order.end), "{end} ({e}) is before {start} ({s})")
        out += [
            fnd.make(
                file,
                r[ROW],
                order.end,
                "CSD-D001",
                fnd.ERROR,
                phrase.format(end=order.end, start=order.start, e=r[order.end], s=r[order.start]),
            )
            for r in bad.select(ROW, order.end, order.start).iter_rows(named=True)
        ]
    return out


# --------------------------------------------------------------------------
# Keys and references
# --------------------------------------------------------------------------


def key_findings(name: str, w: pl.DataFrame, file: str, present: set[str]) -> list[Finding]:
    """Duplicate or blank keys (CSD-K001, CSD-K002)."""
    keys = ERROR_KEYS.get(name)
    if keys is None or not all(k in present for k in (*keys, "LA")):
        return []
    out: list[Finding] = []
    # A blank CHILD is reported by CSD-R001 for every table but children; here only the identifying column.
    own = [k for k in keys if k != "CHILD" or name == "children"]
    for k in own:
        blank = w.filter(pl.col(k).is_null())
        out += [
            fnd.make(file, r[ROW], k, "CSD-K002", fnd.ERROR, f"{k} is blank, so this row cannot be identified")
            for r in blank.select(ROW).iter_rows(named=True)
        ]
    group = ["LA", *keys]
    dup = w.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in group)).with_columns(
        pl.col(ROW).min().over(group).alias("_first")
    )
    dup = dup.filter(pl.col(ROW) != pl.col("_first"))
    key_text = " + ".join(keys)
    out += [
        fnd.make(
            file,
            r[ROW],
            keys[0],
            "CSD-K001",
            fnd.ERROR,
            f"{key_text} {' + '.join(str(r[k]) for k in keys)} is used again in the same LA (first on row {r['_first']})",
        )
        for r in dup.select(ROW, "_first", *keys).iter_rows(named=True)
    ]
    return out


def child_findings(
    table: Table, w: pl.DataFrame, file: str, present: set[str], children: pl.DataFrame | None
) -> list[Finding]:
    """(LA, CHILD) not in children, blank CHILD (CSD-R001)."""
    if not table.has_child or table.name == "children" or children is None or not {"LA", "CHILD"} <= present:
        return []
    rows = w.filter(pl.col("CHILD").is_not_null()) if table.child_optional else w
    missing = rows.join(children, on=["LA", "CHILD"], how="anti", nulls_equal=False)
    out: list[Finding] = []
    for r in missing.select(ROW, "LA", "CHILD").iter_rows(named=True):
        text = (
            "CHILD is blank; every row must name a child of children.csv"
            if r["CHILD"] is None
            else f"child {r['CHILD']} of LA {r['LA']} is not in children.csv"
        )
        out.append(fnd.make(file, r[ROW], "CHILD", "CSD-R001", fnd.ERROR, text))
    return out


def reference_findings(
    table: Table, w: pl.DataFrame, file: str, present: set[str], work: dict[str, pl.DataFrame]
) -> list[Finding]:
    """References that do not resolve within the LA, or name another child's row (CSD-R002, CSD-R003)."""
    out: list[Finding] = []
    for ref in table.references:
        target = work.get(ref.target)
        if target is None or not {ref.column, "LA"} <= present:
            continue
        noun = NOUN.get(ref.column, ref.target)
        keys = target.select("LA", pl.col(ref.key).alias(ref.column), "CHILD" if ref.same_child else pl.lit(None))
        keys = keys.filter(pl.col(ref.column).is_not_null())
        unresolved = w.join(keys.select("LA", ref.column).unique(), on=["LA", ref.column], how="anti")
        for r in unresolved.select(ROW, "LA", ref.column).iter_rows(named=True):
            text = (
                f"{ref.column} is blank, so it names no {noun}"
                if r[ref.column] is None
                else f"{noun} {r[ref.column]} is not in {ref.target}.csv for LA {r['LA']}"
            )
            out.append(fnd.make(file, r[ROW], ref.column, "CSD-R002", fnd.ERROR, text))
        if ref.same_child and "CHILD" in present:
            resolved = w.join(keys.select("LA", ref.column).unique(), on=["LA", ref.column], how="semi")
            other = resolved.join(
                keys.select("LA", ref.column, "CHILD").unique(), on=["LA", ref.column, "CHILD"], how="anti"
            )
            out += [
                fnd.make(
                    file,
                    r[ROW],
                    ref.column,
                    "CSD-R003",
                    fnd.ERROR,
                    f"{noun} {r[ref.column]} belongs to another child, not to child {r['CHILD']}",
                )
                for r in other.select(ROW, ref.column, "CHILD").iter_rows(named=True)
            ]
    return out


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def validate(raw: RawDataset) -> list[Finding]:
    """Every finding about ``raw``: reading problems, then per table, then across tables."""
    out: list[Finding] = list(raw.findings)
    work: dict[str, pl.DataFrame] = {}
    present: dict[str, set[str]] = {}
    for name in TABLE_ORDER:
        rt = raw.tables[name]
        out += column_findings(rt)
        work[name] = working_frame(rt)
        present[name] = set(rt.frame.columns) & set(TABLES[name].column_names)

    ch = work["children"]
    children = (
        ch.select("LA", "CHILD").filter(pl.col("CHILD").is_not_null()).unique()
        if {"LA", "CHILD"} <= present["children"]
        else None
    )
    for name in TABLE_ORDER:
        table, w, file, cols = TABLES[name], work[name], raw.tables[name].file_name(), present[name]
        if w.height == 0:
            continue
        out += value_findings(table, w, file, cols)
        out += date_order_findings(table, w, file, cols)
        out += key_findings(name, w, file, cols)
        out += child_findings(table, w, file, cols, children)
        out += reference_findings(table, w, file, cols, work)
    out += episode_findings(work["episodes"], raw.tables["episodes"].file_name(), present["episodes"])
    out += warning_findings(raw, work, present)
    return out


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Number of findings per rule code, in code order."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return dict(sorted(counts.items()))
