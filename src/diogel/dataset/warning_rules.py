"""Warnings: what the validator notices that the spec does not make an error.

Warnings are reported with the same detail as errors but never block loading:

- CSD-W001 a blank in a column the schema marks required, where no error rule
  covers the blank (SW_ID; population YEAR);
- CSD-W002 a blank date without which the row means little (an episode with no
  DECOM, a referral with no REFERRAL_DATE …);
- CSD-W003 an INITIAL conference with no STRATEGY_DATE (the spec requires it);
- CSD-W010 a care leaver with no care history (no episode other than short breaks);
- CSD-W011 a looked-after review outside every episode of the child;
- CSD-W012 an episode that starts before the child's date of birth;
- CSD-W013 an episode that starts on or after the child's 18th birthday;
- CSD-W014 BIRTHDAY_19 that is not the 19th birthday of the child's DOB;
- CSD-W015 a date of death before the date of birth;
- CSD-W016 two population rows for one LA and YEAR.
"""

from __future__ import annotations

import polars as pl

from diogel.dataset import findings as fnd
from diogel.dataset.findings import Finding
from diogel.dataset.io import RawDataset
from diogel.dataset.schema import SHORT_BREAK_LEGAL_STATUS, TABLE_ORDER, TABLES

ROW = "_row"
KEY = ["LA", "CHILD"]

# Columns the schema marks required whose blanks no error rule reports.
BLANK_WARNED: dict[str, tuple[str, ...]] = {"social_worker_episodes": ("SW_ID",), "population": ("YEAR",)}

KEY_DATES: dict[str, str] = {
    "children": "DOB",
    "referrals": "REFERRAL_DATE",
    "assessments": "START_DATE",
    "cp_conferences": "CONFERENCE_DATE",
    "cp_registrations": "START_DATE",
    "cp_reviews": "REVIEW_DATE",
    "episodes": "DECOM",
    "care_plans": "START_DATE",
    "lac_reviews": "REVIEW_DATE",
    "school_changes": "CHANGE_DATE",
    "care_leavers": "BIRTHDAY_19",
    "social_worker_episodes": "SW_DECOM",
    "visits": "VISIT_DATE",
    "feedback": "RESPONSE_DATE",
}


def _date(c: str) -> pl.Expr:
    col = pl.col(c)
    return pl.when(col.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(col.str.to_date("%Y-%m-%d", strict=False))


def _has(present: dict[str, set[str]], table: str, *cols: str) -> bool:
    return set(cols) <= present[table]


def warning_findings(raw: RawDataset, work: dict[str, pl.DataFrame], present: dict[str, set[str]]) -> list[Finding]:
    out: list[Finding] = []
    files = {n: raw.tables[n].file_name() for n in TABLE_ORDER}

    for name, cols in BLANK_WARNED.items():
        for c in cols:
            if _has(present, name, c):
                for r in work[name].filter(pl.col(c).is_null()).select(ROW).iter_rows(named=True):
                    out.append(fnd.make(files[name], r[ROW], c, "CSD-W001", fnd.WARNING, f"{c} is blank"))

    for name, c in KEY_DATES.items():
        if _has(present, name, c):
            for r in work[name].filter(pl.col(c).is_null()).select(ROW).iter_rows(named=True):
                desc = TABLES[name].column(c).description.rstrip(".").lower()
                out.append(fnd.make(files[name], r[ROW], c, "CSD-W002", fnd.WARNING, f"blank ({desc} is not known)"))

    if _has(present, "cp_conferences", "TYPE", "STRATEGY_DATE"):
        w = work["cp_conferences"].filter((pl.col("TYPE") == "INITIAL") & pl.col("STRATEGY_DATE").is_null())
        out += [
            fnd.make(
                files["cp_conferences"],
                r[ROW],
                "STRATEGY_DATE",
                "CSD-W003",
                fnd.WARNING,
                "blank, but an INITIAL conference needs the date of its strategy discussion",
            )
            for r in w.select(ROW).iter_rows(named=True)
        ]

    out += _care_history(work, present, files)
    out += _ages(work, present, files)

    if _has(present, "population", "LA", "YEAR"):
        pop = work["population"].filter(pl.col("YEAR").is_not_null())
        dup = pop.with_columns(pl.col(ROW).min().over(["LA", "YEAR"]).alias("_first")).filter(
            pl.col(ROW) != pl.col("_first")
        )
        out += [
            fnd.make(
                files["population"],
                r[ROW],
                "YEAR",
                "CSD-W016",
                fnd.WARNING,
                f"a second population figure for LA {r['LA']} and year {r['YEAR']} (first on row {r['_first']})",
            )
            for r in dup.select(ROW, "LA", "YEAR", "_first").iter_rows(named=True)
        ]
    return out


def _episodes(work: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return (
        work["episodes"]
        .select("LA", "CHILD", "LS", _date("DECOM").alias("start"), _date("DEC").alias("end"))
        .filter(pl.col("start").is_not_null())
    )


def _care_history(work: dict[str, pl.DataFrame], present: dict[str, set[str]], files: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []
    if not _has(present, "episodes", "LA", "CHILD", "DECOM", "DEC", "LS"):
        return out
    eps = _episodes(work)
    if _has(present, "care_leavers", "LA", "CHILD"):
        cared = eps.filter(~pl.col("LS").fill_null("").is_in(sorted(SHORT_BREAK_LEGAL_STATUS))).select(KEY).unique()
        lone = work["care_leavers"].filter(pl.col("CHILD").is_not_null()).join(cared, on=KEY, how="anti")
        out += [
            fnd.make(
                files["care_leavers"],
                r[ROW],
                "CHILD",
                "CSD-W010",
                fnd.WARNING,
                f"care leaver {r['CHILD']} has no episode of care (other than short breaks) in episodes",
            )
            for r in lone.select(ROW, "CHILD").iter_rows(named=True)
        ]
    if _has(present, "lac_reviews", "LA", "CHILD", "REVIEW_DATE"):
        reviews = work["lac_reviews"].select(ROW, "LA", "CHILD", _date("REVIEW_DATE").alias("d"))
        reviews = reviews.filter(pl.col("d").is_not_null() & pl.col("CHILD").is_not_null())
        inside = (
            reviews.join(eps.select([*KEY, "start", "end"]), on=KEY, how="inner")
            .filter((pl.col("start") <= pl.col("d")) & (pl.col("end").is_null() | (pl.col("d") <= pl.col("end"))))
            .select(ROW)
            .unique()
        )
        outside = reviews.join(inside, on=ROW, how="anti").sort(ROW)
        out += [
            fnd.make(
                files["lac_reviews"],
                r[ROW],
                "REVIEW_DATE",
                "CSD-W011",
                fnd.WARNING,
                f"review on {r['d']} is outside every episode of care of child {r['CHILD']}",
            )
            for r in outside.iter_rows(named=True)
        ]
    return out


def _ages(work: dict[str, pl.DataFrame], present: dict[str, set[str]], files: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []
    if not _has(present, "children", "LA", "CHILD", "DOB"):
        return out
    kids = work["children"].select([*KEY, _date("DOB").alias("dob")]).filter(pl.col("dob").is_not_null())
    kids = kids.unique(subset=KEY, keep="first")
    if _has(present, "children", "DOD"):
        bad = work["children"].with_columns(_date("DOB").alias("dob"), _date("DOD").alias("dod"))
        bad = bad.filter(pl.col("dod") < pl.col("dob"))
        out += [
            fnd.make(
                files["children"],
                r[ROW],
                "DOD",
                "CSD-W015",
                fnd.WARNING,
                f"date of death ({r['dod']}) is before date of birth ({r['dob']})",
            )
            for r in bad.select(ROW, "dob", "dod").iter_rows(named=True)
        ]
    if _has(present, "episodes", "LA", "CHILD", "DECOM"):
        eps = (
            work["episodes"]
            .select(ROW, "LA", "CHILD", _date("DECOM").alias("start"))
            .join(kids, on=KEY, how="inner")
            .filter(pl.col("start").is_not_null())
        )
        for r in eps.filter(pl.col("start") < pl.col("dob")).sort(ROW).iter_rows(named=True):
            out.append(
                fnd.make(
                    files["episodes"],
                    r[ROW],
                    "DECOM",
                    "CSD-W012",
                    fnd.WARNING,
                    f"episode starts ({r['start']}) before the child was born ({r['dob']})",
                )
            )
        adult = pl.col("start") >= pl.col("dob").dt.offset_by("18y")
        for r in eps.filter(adult).sort(ROW).iter_rows(named=True):
            out.append(
                fnd.make(
                    files["episodes"],
                    r[ROW],
                    "DECOM",
                    "CSD-W013",
                    fnd.WARNING,
                    f"episode starts ({r['start']}) when the child is 18 or over (born {r['dob']})",
                )
            )
    if _has(present, "care_leavers", "LA", "CHILD", "BIRTHDAY_19"):
        cl = (
            work["care_leavers"]
            .select(ROW, "LA", "CHILD", _date("BIRTHDAY_19").alias("b19"))
            .join(kids, on=KEY, how="inner")
            .filter(pl.col("b19").is_not_null())
        )
        due = pl.col("dob").dt.offset_by("19y")  # 29 Feb → 28 Feb; 1 March is accepted too
        feb29 = (pl.col("dob").dt.month() == 2) & (pl.col("dob").dt.day() == 29)
        ok = (pl.col("b19") == due) | (feb29 & (pl.col("b19") == due.dt.offset_by("1d")))
        for r in cl.filter(~ok).sort(ROW).iter_rows(named=True):
            out.append(
                fnd.make(
                    files["care_leavers"],
                    r[ROW],
                    "BIRTHDAY_19",
                    "CSD-W014",
                    fnd.WARNING,
                    f"{r['b19']} is not the 19th birthday of child {r['CHILD']} (born {r['dob']})",
                )
            )
    return out
