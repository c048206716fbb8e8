"""The episode rules of the dataset's *Validity* section, vectorised.

For each child, episodes are put in order of DECOM (then DEC, then file row)
and compared with the ones before:

- CSD-E001 (error): an episode starts before an earlier episode of the child
  has ended (episodes are half-open, ``[DECOM, DEC)``; an open one never ends);
- CSD-E002 (error): a period of care (an episode that does not start on the DEC
  of the episode before) does not start with RNE ``S``;
- CSD-E003 (error): an episode followed the same day by another has a REC other
  than ``X1``;
- CSD-W020 (warning): REC ``X1`` but no episode of the child starts on its DEC;
- CSD-W021 (warning): RNE ``S`` on an episode that continues the one before.

Short breaks (LS V3/V4) take part like every other episode: the spec applies
its validity rules to all episodes (only indicators ignore short breaks), a
child on short breaks alone simply has periods of care starting with RNE ``S``,
and a short-break episode that ends with X1 when the child then comes into
care (RNE ``L``/``T``) is an ordinary, lawful SSDA903 chain that leaving short
breaks out would wrongly refuse. Episodes with a blank or unreadable DECOM,
LA or CHILD are left out (they are reported by other rules).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from diogel.dataset import findings as fnd
from diogel.dataset.findings import Finding

ROW = "_row"
CHILD_KEY = ["LA", "CHILD"]
NEVER = dt.date(9999, 12, 31)
NEEDED = {"LA", "CHILD", "DECOM", "DEC", "RNE", "REC"}


def _date(c: str) -> pl.Expr:
    col = pl.col(c)
    return pl.when(col.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(col.str.to_date("%Y-%m-%d", strict=False))


def ordered_episodes(w: pl.DataFrame) -> pl.DataFrame:
    """Episodes with parsed dates, in child and date order, each with facts about its neighbours."""
    eps = (
        w.select(ROW, "LA", "CHILD", "RNE", "REC", _date("DECOM").alias("start"), _date("DEC").alias("end"))
        .filter(pl.col("start").is_not_null() & pl.col("LA").is_not_null() & pl.col("CHILD").is_not_null())
        .sort(["LA", "CHILD", "start", "end", ROW], nulls_last=True)
    )
    return eps.with_columns(
        pl.col("end").shift(1).over(CHILD_KEY).alias("prev_end"),
        pl.col("REC").shift(1).over(CHILD_KEY).alias("prev_rec"),
        pl.col(ROW).shift(1).over(CHILD_KEY).alias("prev_row"),
        pl.col("start").shift(-1).over(CHILD_KEY).alias("next_start"),
        pl.col("end").fill_null(NEVER).cum_max().shift(1).over(CHILD_KEY).alias("latest_end"),
    ).with_columns(
        pl.col("prev_row").is_null().alias("first"),
        (pl.col("prev_row").is_not_null() & (pl.col("start") < pl.col("latest_end"))).alias("overlap"),
    )


def _ends(d: dt.date) -> str:
    return "is still open" if d == NEVER else f"ends {d.isoformat()}"


def episode_findings(w: pl.DataFrame, file: str, present: set[str]) -> list[Finding]:
    if w.height == 0 or not present >= NEEDED:
        return []
    eps = ordered_episodes(w)
    out: list[Finding] = []

    for r in eps.filter(pl.col("overlap")).iter_rows(named=True):
        out.append(
            fnd.make(
                file,
                r[ROW],
                "DECOM",
                "CSD-E001",
                fnd.ERROR,
                f"episode starts ({r['start']}) while an earlier episode of child {r['CHILD']} "
                f"{_ends(r['latest_end'])}; a child's episodes must not overlap",
            )
        )

    continues = ~pl.col("first") & ~pl.col("overlap") & (pl.col("start") == pl.col("prev_end"))
    starts = ~pl.col("overlap") & ~continues.fill_null(False)
    for r in eps.filter(starts & (pl.col("RNE").fill_null("") != "S")).iter_rows(named=True):
        out.append(
            fnd.make(
                file,
                r[ROW],
                "RNE",
                "CSD-E002",
                fnd.ERROR,
                f"a period of care starts here ({r['start']}) but RNE is {_show(r['RNE'])}, "
                "not S (started to be looked after)",
            )
        )

    same_day = continues.fill_null(False) & (pl.col("prev_rec").fill_null("") != "X1")
    for r in eps.filter(same_day).sort("prev_row").iter_rows(named=True):
        out.append(
            fnd.make(
                file,
                r["prev_row"],
                "REC",
                "CSD-E003",
                fnd.ERROR,
                f"episode ends ({r['prev_end']}) on the day the child's next episode (row {r[ROW]}) starts, "
                f"so REC must be X1, not {_show(r['prev_rec'])}",
            )
        )

    dangling = (pl.col("REC") == "X1") & (
        pl.col("end").is_null() | (pl.col("next_start") != pl.col("end")).fill_null(True)
    )
    for r in eps.filter(dangling).iter_rows(named=True):
        out.append(
            fnd.make(
                file,
                r[ROW],
                "REC",
                "CSD-W020",
                fnd.WARNING,
                "REC is X1 (a new episode begins the same day) but no episode of the child starts on DEC",
            )
        )

    for r in eps.filter(continues.fill_null(False) & (pl.col("RNE") == "S")).iter_rows(named=True):
        out.append(
            fnd.make(
                file,
                r[ROW],
                "RNE",
                "CSD-W021",
                fnd.WARNING,
                f"RNE is S (started to be looked after) but the episode continues the one on row {r['prev_row']}",
            )
        )
    return sorted(out, key=lambda f: (f.rule, f.row or 0))


def _show(value: object) -> str:
    return "blank" if value is None else f"'{value}'"
