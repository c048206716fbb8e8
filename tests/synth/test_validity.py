"""The generated dataset is valid (no errors) and keeps the standard's structural rules."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from diogel.dataset.io import read_raw, write_tables
from diogel.dataset.schema import TABLE_ORDER, TABLES, local_authorities
from diogel.dataset.validate import validate


def test_written_dataset_validates_without_errors(small: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    write_tables(small, tmp_path, "csv")
    findings = validate(read_raw(tmp_path))
    errors = [f.message for f in findings if f.severity == "error"]
    assert errors == [], errors[:5]


def test_every_table_has_schema_columns_and_every_la_is_present(small: dict[str, pl.DataFrame]) -> None:
    codes = [la.code for la in local_authorities()]
    for name in TABLE_ORDER:
        assert small[name].columns == list(TABLES[name].column_names), name
    for name in ("children", "referrals", "episodes", "population", "cp_registrations"):
        assert sorted(small[name]["LA"].unique().to_list()) == codes, name


def test_periods_of_care_start_with_s_and_episodes_do_not_overlap(small: dict[str, pl.DataFrame]) -> None:
    ep = small["episodes"].sort("LA", "CHILD", "DECOM", maintain_order=True)
    prev = ep.with_columns(
        pl.col("DEC").shift(1).over("LA", "CHILD").alias("PREV_DEC"),
        pl.col("REC").shift(1).over("LA", "CHILD").alias("PREV_REC"),
    )
    # An episode that does not continue the previous one (starts on a later day, or is a child's first)
    # begins a new period of care and must have RNE S; one that continues it must not.
    starts_period = pl.col("PREV_DEC").is_null() | (pl.col("DECOM") != pl.col("PREV_DEC"))
    assert prev.filter(starts_period & (pl.col("RNE") != "S")).height == 0
    assert prev.filter(~starts_period & (pl.col("RNE") == "S")).height == 0
    # No overlap: each episode starts on or after the previous one's end, and the previous one has ended.
    assert prev.filter(pl.col("PREV_DEC").is_not_null() & (pl.col("DECOM") < pl.col("PREV_DEC"))).height == 0
    n_children = ep.select("LA", "CHILD").unique().height
    assert prev.filter(pl.col("PREV_DEC").is_null()).height == n_children  # only the first has no predecessor
    # Same-day successors are announced by X1 on the episode before.
    assert prev.filter(~starts_period & (pl.col("PREV_REC") != "X1")).height == 0


def test_decisions_and_assessments_follow_their_referral(small: dict[str, pl.DataFrame]) -> None:
    r = small["referrals"]
    assert r.filter(pl.col("DECISION_DATE") < pl.col("REFERRAL_DATE")).height == 0
    assert r.filter(pl.col("CLOSURE_DATE") < pl.col("REFERRAL_DATE")).height == 0
    a = small["assessments"].join(r, on=["LA", "CHILD", "REFERRAL_ID"], how="left")
    assert a.filter(pl.col("REFERRAL_DATE").is_null()).height == 0  # every assessment's referral is the child's
    assert a.filter(pl.col("START_DATE") < pl.col("REFERRAL_DATE")).height == 0
    # Only IA and S47 referrals are assessed.
    assert set(a["DECISION"].unique().to_list()) <= {"IA", "S47"}


def test_pn0_exactly_for_under_fours(small: dict[str, pl.DataFrame]) -> None:
    rv = small["lac_reviews"].join(small["children"].select("LA", "CHILD", "DOB"), on=["LA", "CHILD"])
    # Age 4 is reached on the 4th birthday; offset_by("4y") is that birthday (29 Feb → 28 Feb).
    under4 = pl.col("REVIEW_DATE") < pl.col("DOB").dt.offset_by("4y")
    assert rv.filter(under4 & (pl.col("REVIEW_CODE") != "PN0")).height == 0
    assert rv.filter(~under4 & (pl.col("REVIEW_CODE") == "PN0")).height == 0
    assert rv.filter(under4).height > 0  # the rule was actually exercised


def test_siblings_share_conferences_and_nothing_is_after_the_extract(small: dict[str, pl.DataFrame]) -> None:
    conf = small["cp_conferences"]
    sizes = conf.group_by("LA", "CONFERENCE_ID").len()
    assert sizes.filter(pl.col("len") >= 2).height > 0  # at least one sibling group conferenced together
    assert conf.filter(pl.col("CONFERENCE_DATE") < pl.col("STRATEGY_DATE")).height == 0
    extract = pl.date(2013, 3, 31)  # the 2012-13 snapshot closes the requested years
    for name, col in (("referrals", "REFERRAL_DATE"), ("episodes", "DECOM"), ("visits", "VISIT_DATE")):
        assert small[name].filter(pl.col(col) > extract).height == 0, name
    # Cases open at the extract stay open: some episodes and registrations have no end.
    assert small["episodes"]["DEC"].null_count() > 0
    assert small["cp_registrations"]["END_DATE"].null_count() > 0


def test_history_before_the_first_year(small: dict[str, pl.DataFrame]) -> None:
    # Years 2011-2012 requested: care began years earlier for some children, so the first
    # year starts from a stock, not from an empty Wales.
    ep = small["episodes"].filter(pl.col("RNE") == "S")
    assert ep.filter(pl.col("DECOM") < pl.date(2005, 4, 1)).height > 0
    assert small["referrals"].filter(pl.col("REFERRAL_DATE") < pl.date(2011, 4, 1)).height > 0
