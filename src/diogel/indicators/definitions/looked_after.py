"""Looked-after children (SCC/001a, SCC/004, SCC/002, SCC/021, SCC/037 and the measures without a code).

Every measure here reads episodes through :attr:`Context.episodes`, from which
short breaks (LS V3/V4) are already removed.
"""

from __future__ import annotations

import polars as pl

from diogel.indicators.common import (
    CHILD,
    CHILD_KEY,
    LA,
    YEAR,
    Context,
    Row,
    fast_nth_working_day_after,
    fy,
    iso,
    looked_after_on,
    overlaps_year,
    review_label,
    review_reason,
    reviews_due,
    snapshot,
    table_units,
)
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind
from diogel.workdays import add_months_expr

_G = Group.LOOKED_AFTER
_KEY = [LA, CHILD, YEAR]


def _at_snapshot(ctx: Context) -> pl.LazyFrame:
    """One unit per child looked after at the snapshot of each year asked for."""
    return ctx.looked_after.lazy()


# --- SCC/001a -----------------------------------------------------------------------


def _care_plan_units(ctx: Context) -> pl.LazyFrame:
    starts = ctx.only_years(
        ctx.episodes.lazy()
        .filter(ctx.dated_in_span(pl.col("DECOM")) & (pl.col("RNE") == "S"))
        .with_columns(fy(pl.col("DECOM")).alias(YEAR))
    ).select(LA, CHILD, YEAR, "DECOM")
    plans = (
        ctx.t("care_plans")
        .filter(pl.col("PLAN_TYPE") == "CARE_PLAN")
        .select(*CHILD_KEY, "PLAN_ID", "START_DATE", "END_DATE")
    )
    found = (
        starts.join(plans, on=CHILD_KEY, how="inner")
        .filter(
            (pl.col("START_DATE") <= pl.col("DECOM"))
            & (pl.col("END_DATE").is_null() | (pl.col("END_DATE") >= pl.col("DECOM")))
        )
        .group_by(*CHILD_KEY, "DECOM")
        .agg(PLAN=pl.col("PLAN_ID").cast(pl.String).sort().first(), PLAN_START=pl.col("START_DATE").min())
    )
    return starts.join(found, on=[*CHILD_KEY, "DECOM"], how="left").with_columns(NUM=pl.col("PLAN").is_not_null())


def _care_plan_reason(r: Row) -> str:
    if r["NUM"]:
        return f"started to be looked after {iso(r['DECOM'])}; care plan {r['PLAN']} in place (from {iso(r['PLAN_START'])})"
    return f"started to be looked after {iso(r['DECOM'])}; no care plan in place on that date"


# --- SCC/004 ------------------------------------------------------------------------


def _placements_units(ctx: Context) -> pl.LazyFrame:
    return (
        _at_snapshot(ctx)
        .join(ctx.placements.lazy(), on=_KEY, how="left")
        .with_columns(pl.col("PLACEMENTS").fill_null(0))
        .with_columns(NUM=pl.col("PLACEMENTS") >= 3)
    )


def _placements_reason(r: Row) -> str:
    counted = f": {r['COUNTED']}" if r.get("COUNTED") else ""
    return f"looked after on {iso(r['SNAPSHOT'])}; {r['PLACEMENTS']} placement(s) counted in the year{counted}"


# --- SCC/002 ------------------------------------------------------------------------


def _school_change_units(ctx: Context) -> pl.LazyFrame:
    changes = ctx.only_years(
        ctx.t("school_changes")
        .filter(ctx.dated_in_span(pl.col("CHANGE_DATE")) & (pl.col("TRANSITIONAL") == "N"))
        .with_columns(fy(pl.col("CHANGE_DATE")).alias(YEAR))
        .select(*CHILD_KEY, YEAR, "CHANGE_DATE")
    )
    looked_after_then = (
        changes.join(ctx.episodes.lazy().select(*CHILD_KEY, "DECOM", "DEC"), on=CHILD_KEY, how="inner")
        .filter(looked_after_on(pl.col("CHANGE_DATE")))
        .group_by(_KEY)
        .agg(CHANGE=pl.col("CHANGE_DATE").min())
    )
    return (
        _at_snapshot(ctx).join(looked_after_then, on=_KEY, how="left").with_columns(NUM=pl.col("CHANGE").is_not_null())
    )


# --- SCC/021 ------------------------------------------------------------------------


def _lac_review_units(ctx: Context) -> pl.LazyFrame:
    """*Reviews due* per period of care: 20th working day, then 3 months, then 6 months."""
    # Only periods open at some time in the years asked for can have a review held or due in them.
    periods = ctx.periods.lazy().filter(ctx.open_in_span(pl.col("PERIOD_START"), pl.col("PERIOD_END")))
    containers = periods.select(
        LA, CHILD, "PERIOD", pl.col("PERIOD_START").alias("OPEN_START"), pl.col("PERIOD_END").alias("OPEN_END")
    )
    reviews = (
        ctx.t("lac_reviews")
        .select(*CHILD_KEY, "REVIEW_DATE")
        .join(periods.select(*CHILD_KEY, "PERIOD"), on=CHILD_KEY, how="inner")
        .select("PERIOD", "REVIEW_DATE")
    )
    units = reviews_due(
        containers,
        reviews,
        key=["PERIOD"],  # PERIOD tells every period of every child apart
        first_due=fast_nth_working_day_after(pl.col("OPEN_START"), 20),
        next_due=lambda held, k: pl.when(k == 1).then(add_months_expr(held, 3)).otherwise(add_months_expr(held, 6)),
        until=None if ctx.explain else ctx.span[1],  # the LATER detail is read only by reasons
    )
    return ctx.only_years(units)


# --- visits, social workers ----------------------------------------------------------


def _visit_units(ctx: Context) -> pl.LazyFrame:
    visits = (
        ctx.t("visits")
        .filter(ctx.dated_in_span(pl.col("VISIT_DATE")))
        .filter(pl.col("TYPE") == "LAC")
        .with_columns(fy(pl.col("VISIT_DATE")).alias(YEAR))
        .filter(pl.col("VISIT_DATE") >= snapshot().dt.offset_by("-41d"))
        .group_by(_KEY)
        .agg(LAST_VISIT=pl.col("VISIT_DATE").max())
    )
    return _at_snapshot(ctx).join(visits, on=_KEY, how="left").with_columns(NUM=pl.col("LAST_VISIT").is_not_null())


def _sw_units(ctx: Context) -> pl.LazyFrame:
    sw = ctx.per_year(
        ctx.t("social_worker_episodes").select(*CHILD_KEY, "SW_ID", "SW_DECOM", "SW_DEC"), "SW_DECOM", "SW_DEC"
    ).filter(overlaps_year(pl.col("SW_DECOM"), pl.col("SW_DEC")))
    workers = pl.col("SW_ID").drop_nulls()
    aggs = [workers.n_unique().alias("WORKERS")]
    if ctx.explain:  # the reason lists the workers, by their text
        aggs.append(workers.cast(pl.String).unique().sort().alias("SW_IDS"))
    sw = sw.group_by(_KEY).agg(aggs)
    return (
        _at_snapshot(ctx)
        .join(sw, on=_KEY, how="left")
        .with_columns(pl.col("WORKERS").fill_null(0))
        .with_columns(NUM=pl.col("WORKERS") >= 3)
    )


def _sw_reason(r: Row) -> str:
    ids = ", ".join(r["SW_IDS"] or [])
    return f"looked after on {iso(r['SNAPSHOT'])}; {r['WORKERS']} social worker(s) in the year" + (
        f" ({ids})" if ids else ""
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="LAC_CARE_PLAN_AT_PLACEMENT",
        code="SCC/001a",
        title_en="Care plan by the first placement",
        title_cy="Cynllun gofal erbyn y lleoliad cyntaf",
        description_en="Percentage of children who started to be looked after in the year who had a care plan by their first placement.",
        description_cy="Canran y plant a ddechreuodd dderbyn gofal yn y flwyddyn a oedd â chynllun gofal erbyn eu lleoliad cyntaf.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.EPISODE,
        definition="Episodes with RNE `S` and DECOM in the year (first placements); numerator: the child has a "
        "`CARE_PLAN` with `START_DATE ≤ DECOM` and (END_DATE blank or `END_DATE ≥ DECOM`).",
        units=_care_plan_units,
        label=lambda r: f"episode {iso(r['DECOM'])}",
        reason=_care_plan_reason,
    ),
    Indicator(
        id="LAC_3PLUS_PLACEMENTS",
        code="SCC/004",
        title_en="Three or more placements in the year",
        title_cy="Tri lleoliad neu fwy yn y flwyddyn",
        description_en="Percentage of children looked after at 31 March who had three or more placements during the year.",
        description_cy="Canran y plant sy'n derbyn gofal ar 31 Mawrth a gafodd dri lleoliad neu fwy yn ystod y flwyddyn.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.CHILD,
        definition="Children looked after at the snapshot; numerator: 3 or more placements in the year (see "
        "*Counting placements*).",
        units=lambda ctx: _placements_units(ctx).with_columns(SNAPSHOT=snapshot()),
        label=lambda r: f"child {r['CHILD']}",
        reason=_placements_reason,
    ),
    Indicator(
        id="LAC_SCHOOL_CHANGE",
        code="SCC/002",
        title_en="Changes of school that were not a normal transition",
        title_cy="Newidiadau ysgol nad oeddent yn bontio arferol",
        description_en="Percentage of children looked after at 31 March who changed school in the year other than at a normal transition.",
        description_cy="Canran y plant sy'n derbyn gofal ar 31 Mawrth a newidiodd ysgol yn ystod y flwyddyn heblaw ar adeg pontio arferol.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.CHILD,
        definition="Children looked after at the snapshot; numerator: a school change with TRANSITIONAL = N, "
        "CHANGE_DATE in the year, on a date when the child was looked after.",
        units=lambda ctx: _school_change_units(ctx).with_columns(SNAPSHOT=snapshot()),
        label=lambda r: f"child {r['CHILD']}",
        reason=lambda r: (
            f"looked after on {iso(r['SNAPSHOT'])}; "
            + (
                f"non-transitional school change on {iso(r['CHANGE'])} while looked after"
                if r["NUM"]
                else "no non-transitional school change in the year while looked after"
            )
        ),
    ),
    Indicator(
        id="LAC_REVIEWS_ON_TIME",
        code="SCC/021",
        title_en="Looked-after reviews on time",
        title_cy="Adolygiadau plant sy'n derbyn gofal mewn pryd",
        description_en="Percentage of looked-after children's reviews held or due in the year that were held on time.",
        description_cy="Canran adolygiadau plant sy'n derbyn gofal a gynhaliwyd neu a oedd yn ddyledus yn y flwyddyn a gynhaliwyd mewn pryd.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.REVIEW,
        definition="*Reviews due*, per period of care: first review due on the 20th working day after the period's "
        'start, the second 3 months after the first, each later one 6 months after the one before; "open on d" = '
        "looked after on d within that period.",
        units=_lac_review_units,
        label=review_label,
        reason=review_reason,
    ),
    Indicator(
        id="LAC_REVIEW_PARTICIPATION",
        code=None,
        title_en="Children taking part in their reviews",
        title_cy="Plant yn cymryd rhan yn eu hadolygiadau",
        description_en="Percentage of looked-after children's reviews in the year (of children aged 4 or over) in which the child took part.",
        description_cy="Canran adolygiadau plant sy'n derbyn gofal yn y flwyddyn (plant 4 oed neu hŷn) y cymerodd y plentyn ran ynddynt.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.REVIEW,
        definition="LAC reviews held in the year with REVIEW_CODE other than PN0; numerator: REVIEW_CODE PN1 to PN6.",
        units=table_units(
            "lac_reviews",
            "REVIEW_DATE",
            where=pl.col("REVIEW_CODE").ne_missing(pl.lit("PN0")),
            num=pl.col("REVIEW_CODE").is_in([f"PN{i}" for i in range(1, 7)]),
        ),
        label=lambda r: f"review {iso(r['REVIEW_DATE'])}",
        reason=lambda r: f"held {iso(r['REVIEW_DATE'])}, participation {r['REVIEW_CODE'] or 'blank'}",
    ),
    Indicator(
        id="LAC_VISITED_6W",
        code=None,
        title_en="Visited in the last 6 weeks",
        title_cy="Ymweliad yn ystod y 6 wythnos diwethaf",
        description_en="Percentage of children looked after at 31 March who had a statutory visit in the 6 weeks up to that date.",
        description_cy="Canran y plant sy'n derbyn gofal ar 31 Mawrth a gafodd ymweliad statudol yn ystod y 6 wythnos hyd at y dyddiad hwnnw.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CHILD,
        definition="Children looked after at the snapshot; numerator: a visit of TYPE `LAC` in the 42 days up to and "
        "including the snapshot.",
        units=lambda ctx: _visit_units(ctx).with_columns(SNAPSHOT=snapshot(), WINDOW=snapshot().dt.offset_by("-41d")),
        label=lambda r: f"child {r['CHILD']}",
        reason=lambda r: (
            f"looked after on {iso(r['SNAPSHOT'])}; "
            + (
                f"last LAC visit {iso(r['LAST_VISIT'])}, within {iso(r['WINDOW'])} to {iso(r['SNAPSHOT'])}"
                if r["NUM"]
                else f"no LAC visit from {iso(r['WINDOW'])} to {iso(r['SNAPSHOT'])}"
            )
        ),
    ),
    Indicator(
        id="LAC_SW_CHANGES",
        code=None,
        title_en="Three or more social workers in the year",
        title_cy="Tri gweithiwr cymdeithasol neu fwy yn y flwyddyn",
        description_en="Percentage of children looked after at 31 March who had three or more social workers during the year.",
        description_cy="Canran y plant sy'n derbyn gofal ar 31 Mawrth a gafodd dri gweithiwr cymdeithasol neu fwy yn ystod y flwyddyn.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.CHILD,
        definition="Children looked after at the snapshot; numerator: 3 or more distinct SW_ID among their social "
        "worker episodes that overlap the year.",
        units=lambda ctx: _sw_units(ctx).with_columns(SNAPSHOT=snapshot()),
        label=lambda r: f"child {r['CHILD']}",
        reason=_sw_reason,
    ),
    Indicator(
        id="LAC_NO_QUALIFICATION",
        code=None,
        title_en="Leaving school with no qualification",
        title_cy="Gadael yr ysgol heb gymhwyster",
        description_en="Percentage of looked-after children in their last year of compulsory schooling who left with no qualification.",
        description_cy="Canran y plant sy'n derbyn gofal yn eu blwyddyn olaf o addysg orfodol a adawodd heb gymhwyster.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.OUTCOME,
        definition="`education_outcomes` rows with ACADEMIC_YEAR = Y; numerator: NO_QUALIFICATION = Y.",
        units=table_units("education_outcomes", year=pl.col("ACADEMIC_YEAR"), num=pl.col("NO_QUALIFICATION") == "Y"),
        label=lambda r: f"outcome {r['ACADEMIC_YEAR']}/{(r['ACADEMIC_YEAR'] + 1) % 100:02d}",
        reason=lambda r: f"NO_QUALIFICATION = {r['NO_QUALIFICATION'] or 'blank'}",
    ),
    Indicator(
        id="LAC_QUAL_POINTS_AVG",
        code="SCC/037",
        title_en="Average qualifications point score",
        title_cy="Sgôr pwyntiau cymwysterau cyfartalog",
        description_en="Average external qualifications point score of looked-after children in their last year of compulsory schooling.",
        description_cy="Sgôr pwyntiau cyfartalog cymwysterau allanol plant sy'n derbyn gofal yn eu blwyddyn olaf o addysg orfodol.",
        kind=Kind.AVERAGE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.OUTCOME,
        definition="Average POINTS over `education_outcomes` rows with ACADEMIC_YEAR = Y and POINTS not blank.",
        units=table_units(
            "education_outcomes",
            year=pl.col("ACADEMIC_YEAR"),
            value=pl.col("POINTS"),
            num=pl.col("POINTS").is_not_null(),
        ),
        label=lambda r: f"outcome {r['ACADEMIC_YEAR']}/{(r['ACADEMIC_YEAR'] + 1) % 100:02d}",
        reason=lambda r: f"{r['VAL']} points, counted" if r["NUM"] else "points blank, not counted",
    ),
)
