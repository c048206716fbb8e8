"""Child protection (SCC/014, SCC/015, SCC/034, PM27, PM28)."""

from __future__ import annotations

import polars as pl

from diogel.indicators.common import (
    CHILD,
    CHILD_KEY,
    LA,
    Context,
    Row,
    iso,
    review_label,
    review_reason,
    reviews_due,
    table_units,
    within,
    working_days_text,
)
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind
from diogel.workdays import add_months_expr

_G = Group.CHILD_PROTECTION


def _cp_review_units(ctx: Context) -> pl.LazyFrame:
    """*Reviews due* per registration: first 3 months after START_DATE, then 6 months after each review."""
    # Only registrations open at some time in the years asked for can have a review held or due in them.
    containers = (
        ctx.t("cp_registrations")
        .filter(ctx.open_in_span(pl.col("START_DATE"), pl.col("END_DATE")))
        .select(
            LA,
            CHILD,
            "REGISTRATION_ID",
            pl.col("START_DATE").alias("OPEN_START"),
            pl.col("END_DATE").alias("OPEN_END"),
        )
    )
    reviews = ctx.t("cp_reviews").select(LA, "REGISTRATION_ID", "REVIEW_DATE")
    units = reviews_due(
        containers,
        reviews,
        key=[LA, "REGISTRATION_ID"],
        first_due=add_months_expr(pl.col("OPEN_START"), 3),
        next_due=lambda held, k: add_months_expr(held, 6),
        until=None if ctx.explain else ctx.span[1],  # the LATER detail is read only by reasons
    )
    return ctx.only_years(units)


def _with_earlier_registration(ctx: Context, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add WINDOW_START (START_DATE − 12 months) and EARLIER_END: the latest END_DATE of another
    registration of the child with WINDOW_START ≤ END_DATE ≤ START_DATE (null when none)."""
    frame = frame.with_columns(WINDOW_START=add_months_expr(pl.col("START_DATE"), -12))
    others = (
        ctx.t("cp_registrations")
        .filter(pl.col("END_DATE").is_not_null())
        .select(*CHILD_KEY, pl.col("REGISTRATION_ID").alias("_OTHER"), pl.col("END_DATE").alias("_END"))
    )
    matches = (
        frame.select(*CHILD_KEY, "REGISTRATION_ID", "START_DATE", "WINDOW_START")
        .join(others, on=CHILD_KEY, how="inner")
        .filter(
            (pl.col("_OTHER") != pl.col("REGISTRATION_ID"))
            & (pl.col("_END") >= pl.col("WINDOW_START"))
            & (pl.col("_END") <= pl.col("START_DATE"))
        )
        .group_by(LA, "REGISTRATION_ID")
        .agg(EARLIER_END=pl.col("_END").max())
    )
    return frame.join(matches, on=[LA, "REGISTRATION_ID"], how="left")


def _registration(r: Row) -> str:
    return f"registration {r['REGISTRATION_ID']}"


def _rereg_reason(r: Row) -> str:
    window = f"{iso(r['WINDOW_START'])} to {iso(r['START_DATE'])}"
    if r["NUM"]:
        return (
            f"registered {iso(r['START_DATE'])}; an earlier registration ended {iso(r['EARLIER_END'])}, within {window}"
        )
    return f"registered {iso(r['START_DATE'])}; no earlier registration ended within {window}"


def _duration_reason(r: Row) -> str:
    if not r["NUM"]:
        return f"ended {iso(r['END_DATE'])}, start blank: not counted"
    return f"registered {iso(r['START_DATE'])} to {iso(r['END_DATE'])}: {r['VAL']} days, counted"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="ICPC_15WD",
        code="SCC/014",
        title_en="Initial conferences within 15 working days",
        title_cy="Cynadleddau cychwynnol o fewn 15 diwrnod gwaith",
        description_en="Percentage of initial child protection conferences in the year held within 15 working days of the strategy discussion.",
        description_cy="Canran y cynadleddau amddiffyn plant cychwynnol yn y flwyddyn a gynhaliwyd o fewn 15 diwrnod gwaith i'r drafodaeth strategaeth.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CONFERENCE,
        definition="`cp_conferences` rows of TYPE INITIAL with CONFERENCE_DATE in the year (one per child); "
        "numerator: CONFERENCE_DATE within 15 working days of STRATEGY_DATE.",
        units=table_units(
            "cp_conferences",
            "CONFERENCE_DATE",
            where=pl.col("TYPE") == "INITIAL",
            num=within("STRATEGY_DATE", "CONFERENCE_DATE", 15),
        ),
        label=lambda r: f"conference {r['CONFERENCE_ID']}",
        reason=lambda r: (
            f"strategy discussion {iso(r['STRATEGY_DATE'])}, conference {iso(r['CONFERENCE_DATE'])}: "
            f"{working_days_text(r['STRATEGY_DATE'], r['CONFERENCE_DATE'])}"
        ),
    ),
    Indicator(
        id="CORE_GROUP_10WD",
        code="SCC/015",
        title_en="First core groups within 10 working days",
        title_cy="Grwpiau craidd cyntaf o fewn 10 diwrnod gwaith",
        description_en="Percentage of registrations in the year whose first core group met within 10 working days of registration.",
        description_cy="Canran y cofrestriadau yn y flwyddyn y cyfarfu eu grŵp craidd cyntaf o fewn 10 diwrnod gwaith i'r cofrestru.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.REGISTRATION,
        definition="Registrations with START_DATE in the year; numerator: FIRST_CORE_GROUP within 10 working days "
        "of START_DATE.",
        units=table_units("cp_registrations", "START_DATE", num=within("START_DATE", "FIRST_CORE_GROUP", 10)),
        label=_registration,
        reason=lambda r: (
            f"registered {iso(r['START_DATE'])}, first core group {iso(r['FIRST_CORE_GROUP'])}: "
            f"{working_days_text(r['START_DATE'], r['FIRST_CORE_GROUP'])}"
        ),
    ),
    Indicator(
        id="CP_REVIEWS_ON_TIME",
        code="SCC/034",
        title_en="Child protection reviews on time",
        title_cy="Adolygiadau amddiffyn plant mewn pryd",
        description_en="Percentage of child protection reviews held or due in the year that were held on time.",
        description_cy="Canran yr adolygiadau amddiffyn plant a gynhaliwyd neu a oedd yn ddyledus yn y flwyddyn a gynhaliwyd mewn pryd.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.REVIEW,
        definition="See *Reviews due*: first review due 3 months after START_DATE, each later one 6 months after the "
        'review before it; the registration is "open" on `d` when `START_DATE ≤ d` and (END_DATE blank or '
        "`END_DATE > d`).",
        units=_cp_review_units,
        label=review_label,
        reason=review_reason,
    ),
    Indicator(
        id="CP_REREGISTRATION",
        code="PM27",
        title_en="Re-registrations within 12 months",
        title_cy="Ailgofrestriadau o fewn 12 mis",
        description_en="Percentage of registrations in the year of a child whose earlier registration had ended in the 12 months before.",
        description_cy="Canran y cofrestriadau yn y flwyddyn o blentyn yr oedd ei gofrestriad blaenorol wedi dod i ben yn ystod y 12 mis blaenorol.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.REGISTRATION,
        definition="Registrations with START_DATE in the year; numerator: the child has an earlier registration "
        "whose END_DATE `e` satisfies `START_DATE − 12 months ≤ e ≤ START_DATE`.",
        units=table_units(
            "cp_registrations",
            "START_DATE",
            prepare=_with_earlier_registration,
            num=pl.col("EARLIER_END").is_not_null(),
        ),
        label=_registration,
        reason=_rereg_reason,
    ),
    Indicator(
        id="CP_DURATION_AVG_DAYS",
        code="PM28",
        title_en="Average time on the register",
        title_cy="Amser cyfartalog ar y gofrestr",
        description_en="Average number of days on the child protection register of the registrations that ended in the year.",
        description_cy="Nifer cyfartalog y dyddiau ar y gofrestr amddiffyn plant ar gyfer y cofrestriadau a ddaeth i ben yn y flwyddyn.",
        kind=Kind.AVERAGE,
        better=Better.NEITHER,
        group=_G,
        unit=UnitKind.REGISTRATION,
        definition="Average of `END_DATE − START_DATE` (calendar days) over registrations with END_DATE in the year.",
        units=table_units(
            "cp_registrations",
            "END_DATE",
            value=(pl.col("END_DATE") - pl.col("START_DATE")).dt.total_days().cast(pl.Int64),
            num=pl.col("START_DATE").is_not_null(),
        ),
        label=_registration,
        reason=_duration_reason,
    ),
)
