"""Referrals and assessments (SCC/006, SCC/010, SCC/042a/b, SCC/011a/b, SCC/043a/b)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from diogel.indicators.common import (
    CHILD_KEY,
    LA,
    Context,
    Row,
    fast_wd,
    fy,
    iso,
    table_units,
    within,
    working_days_text,
)
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind
from diogel.workdays import add_months_expr

_G = Group.REFERRALS
_INITIAL = pl.col("TYPE") == "INITIAL"
_CORE = pl.col("TYPE") == "CORE"


def _with_referral_date(ctx: Context, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add the REFERRAL_DATE of each assessment's referral (same LA, same REFERRAL_ID)."""
    dated = ctx.memo("initial assessments with referral dates", _initial_with_referral)
    return frame.join(dated, on=[LA, "ASSESSMENT_ID"], how="left")


def _initial_with_referral(ctx: Context) -> pl.LazyFrame:
    """(LA, ASSESSMENT_ID, REFERRAL_DATE) of every INITIAL assessment completed in the years asked for."""
    refs = ctx.t("referrals").select(LA, "REFERRAL_ID", "REFERRAL_DATE")
    wanted = ctx.only_years(
        ctx.t("assessments")
        .filter(ctx.dated_in_span(pl.col("COMPLETED_DATE")) & _INITIAL)
        .with_columns(fy(pl.col("COMPLETED_DATE")).alias("YEAR"))
    )
    return (
        wanted.select(LA, "ASSESSMENT_ID", "REFERRAL_ID")
        .join(refs, on=[LA, "REFERRAL_ID"], how="left")
        .select(LA, "ASSESSMENT_ID", "REFERRAL_DATE")
    )


_NONE = dt.date(1800, 1, 1)  # "no earlier referral", while filling ties


def _rereferral_units(ctx: Context) -> pl.LazyFrame:
    """Referrals in the year with PREVIOUS, the child's latest referral dated strictly before this one.

    One sort of all referrals by (LA, CHILD, REFERRAL_DATE): PREVIOUS is the date of the row
    before when it is the same child with an earlier date; rows tied on a date take the value
    of the first row of the tie.
    """
    date = pl.col("REFERRAL_DATE")
    same_child = (pl.col(LA) == pl.col(LA).shift(1)) & (pl.col("CHILD") == pl.col("CHILD").shift(1))
    tie = same_child & (date == date.shift(1))
    previous = pl.when(tie).then(None).when(same_child).then(date.shift(1)).otherwise(pl.lit(_NONE)).forward_fill()
    # Referrals after the last snapshot asked for are no one's PREVIOUS: they are left out before sorting.
    # Without ``explain`` (only NUM is read), so are those before 1 April of the year before the first
    # year asked for: they can be no one's PREVIOUS within 12 months (WINDOW_START is on or after it).
    kept = date.is_not_null() & (date <= ctx.span[1])
    if not ctx.explain:
        kept &= date >= dt.date(ctx.span[0].year - 1, 4, 1)
    frame = (
        ctx.t("referrals")
        .filter(kept)
        .sort([*CHILD_KEY, "REFERRAL_DATE"])
        .with_columns(PREVIOUS=previous)
        .filter(ctx.dated_in_span(date))
        .with_columns(PREVIOUS=pl.col("PREVIOUS").replace(_NONE, None), YEAR=fy(date))
    )
    return (
        ctx.only_years(frame)
        .with_columns(WINDOW_START=add_months_expr(date, -12))
        .with_columns(NUM=(pl.col("PREVIOUS") >= pl.col("WINDOW_START")).fill_null(False))
    )


def _referral(r: Row) -> str:
    return f"referral {r['REFERRAL_ID']}"


def _assessment(r: Row) -> str:
    return f"assessment {r['ASSESSMENT_ID']} (referral {r['REFERRAL_ID']})"


def _decided_reason(r: Row) -> str:
    if r["DECISION_DATE"] is None:
        return f"referral {iso(r['REFERRAL_DATE'])}, no decision recorded"
    return (
        f"referral {iso(r['REFERRAL_DATE'])}, decision {iso(r['DECISION_DATE'])}: "
        f"{working_days_text(r['REFERRAL_DATE'], r['DECISION_DATE'])}"
    )


def _rereferral_reason(r: Row) -> str:
    window = f"{iso(r['WINDOW_START'])} to before {iso(r['REFERRAL_DATE'])}"
    if r["NUM"]:
        return f"referral {iso(r['REFERRAL_DATE'])}; earlier referral {iso(r['PREVIOUS'])} is within {window}"
    last = f" (latest earlier referral {iso(r['PREVIOUS'])})" if r["PREVIOUS"] is not None else ""
    return f"referral {iso(r['REFERRAL_DATE'])}; no earlier referral from {window}{last}"


def _ia_reason(r: Row) -> str:
    return (
        f"referral {iso(r['REFERRAL_DATE'])}, completed {iso(r['COMPLETED_DATE'])}: "
        f"{working_days_text(r['REFERRAL_DATE'], r['COMPLETED_DATE'])}"
    )


def _ca_reason(r: Row) -> str:
    return (
        f"started {iso(r['START_DATE'])}, completed {iso(r['COMPLETED_DATE'])}: "
        f"{working_days_text(r['START_DATE'], r['COMPLETED_DATE'])}"
    )


def _late_reason(start: str, limit: int) -> Callable[[Row], str]:
    def reason(r: Row) -> str:
        base = _ia_reason(r) if start == "REFERRAL_DATE" else _ca_reason(r)
        verdict = f"counted, value {r['VAL']}" if r["NUM"] else f"not counted (not above {limit})"
        return f"{base}; {verdict}"

    return reason


def _seen_reason(column: str) -> Callable[[Row], str]:
    return lambda r: f"completed {iso(r['COMPLETED_DATE'])}, {column} = {r[column] or 'blank'}"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="REF_DECIDED_1WD",
        code="SCC/006",
        title_en="Referrals decided within 1 working day",
        title_cy="Atgyfeiriadau y penderfynwyd arnynt o fewn 1 diwrnod gwaith",
        description_en="Percentage of referrals received in the year on which a decision was made within 1 working day.",
        description_cy="Canran yr atgyfeiriadau a dderbyniwyd yn y flwyddyn y gwnaed penderfyniad arnynt o fewn 1 diwrnod gwaith.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.REFERRAL,
        definition="Referrals with REFERRAL_DATE in the year; numerator: DECISION_DATE within 1 working day of "
        "REFERRAL_DATE (no decision counts as not within).",
        units=table_units("referrals", "REFERRAL_DATE", num=within("REFERRAL_DATE", "DECISION_DATE", 1)),
        label=_referral,
        reason=_decided_reason,
    ),
    Indicator(
        id="REREFERRAL_12M",
        code="SCC/010",
        title_en="Re-referrals within 12 months",
        title_cy="Ail-atgyfeiriadau o fewn 12 mis",
        description_en="Percentage of referrals in the year of a child who had already been referred in the 12 months before.",
        description_cy="Canran yr atgyfeiriadau yn y flwyddyn o blentyn a oedd eisoes wedi'i atgyfeirio yn ystod y 12 mis blaenorol.",
        kind=Kind.RATE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.REFERRAL,
        definition="Referrals with REFERRAL_DATE in the year; numerator: the same child has another referral dated "
        "`e` with `REFERRAL_DATE − 12 months ≤ e < REFERRAL_DATE`.",
        units=_rereferral_units,
        label=_referral,
        reason=_rereferral_reason,
    ),
    Indicator(
        id="IA_7WD",
        code="SCC/042a",
        title_en="Initial assessments within 7 working days",
        title_cy="Asesiadau cychwynnol o fewn 7 diwrnod gwaith",
        description_en="Percentage of initial assessments completed in the year within 7 working days of the referral.",
        description_cy="Canran yr asesiadau cychwynnol a gwblhawyd yn y flwyddyn o fewn 7 diwrnod gwaith i'r atgyfeiriad.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="INITIAL assessments with COMPLETED_DATE in the year; numerator: COMPLETED_DATE within 7 working "
        "days of its referral's REFERRAL_DATE.",
        units=table_units(
            "assessments",
            "COMPLETED_DATE",
            where=_INITIAL,
            prepare=_with_referral_date,
            num=within("REFERRAL_DATE", "COMPLETED_DATE", 7),
        ),
        label=_assessment,
        reason=_ia_reason,
    ),
    Indicator(
        id="IA_LATE_AVG_WD",
        code="SCC/042b",
        title_en="Average time of late initial assessments",
        title_cy="Amser cyfartalog asesiadau cychwynnol hwyr",
        description_en="Average number of working days taken by the initial assessments that took longer than 7 working days.",
        description_cy="Nifer cyfartalog y diwrnodau gwaith a gymerodd yr asesiadau cychwynnol a gymerodd fwy na 7 diwrnod gwaith.",
        kind=Kind.AVERAGE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="Average of `WD(REFERRAL_DATE, COMPLETED_DATE)` over the INITIAL assessments completed in the year "
        "for which it is above 7.",
        units=table_units(
            "assessments",
            "COMPLETED_DATE",
            where=_INITIAL,
            prepare=_with_referral_date,
            value=fast_wd(pl.col("REFERRAL_DATE"), pl.col("COMPLETED_DATE")).cast(pl.Int64),
            num=fast_wd(pl.col("REFERRAL_DATE"), pl.col("COMPLETED_DATE")) > 7,
        ),
        label=_assessment,
        reason=_late_reason("REFERRAL_DATE", 7),
    ),
    Indicator(
        id="IA_SEEN",
        code="SCC/011a",
        title_en="Children seen during the initial assessment",
        title_cy="Plant a welwyd yn ystod yr asesiad cychwynnol",
        description_en="Percentage of initial assessments completed in the year during which the social worker saw the child.",
        description_cy="Canran yr asesiadau cychwynnol a gwblhawyd yn y flwyddyn pan welodd y gweithiwr cymdeithasol y plentyn.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="INITIAL assessments completed in the year; numerator: SEEN = Y.",
        units=table_units("assessments", "COMPLETED_DATE", where=_INITIAL, num=pl.col("SEEN") == "Y"),
        label=_assessment,
        reason=_seen_reason("SEEN"),
    ),
    Indicator(
        id="IA_SEEN_ALONE",
        code="SCC/011b",
        title_en="Children seen alone during the initial assessment",
        title_cy="Plant a welwyd ar eu pen eu hunain yn ystod yr asesiad cychwynnol",
        description_en="Percentage of initial assessments completed in the year during which the social worker saw the child alone.",
        description_cy="Canran yr asesiadau cychwynnol a gwblhawyd yn y flwyddyn pan welodd y gweithiwr cymdeithasol y plentyn ar ei ben ei hun.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="INITIAL assessments completed in the year; numerator: SEEN_ALONE = Y.",
        units=table_units("assessments", "COMPLETED_DATE", where=_INITIAL, num=pl.col("SEEN_ALONE") == "Y"),
        label=_assessment,
        reason=_seen_reason("SEEN_ALONE"),
    ),
    Indicator(
        id="CA_35WD",
        code="SCC/043a",
        title_en="Core assessments within 35 working days",
        title_cy="Asesiadau craidd o fewn 35 diwrnod gwaith",
        description_en="Percentage of core assessments completed in the year within 35 working days of their start.",
        description_cy="Canran yr asesiadau craidd a gwblhawyd yn y flwyddyn o fewn 35 diwrnod gwaith i'w dechrau.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="CORE assessments with COMPLETED_DATE in the year; numerator: COMPLETED_DATE within 35 working "
        "days of START_DATE.",
        units=table_units("assessments", "COMPLETED_DATE", where=_CORE, num=within("START_DATE", "COMPLETED_DATE", 35)),
        label=_assessment,
        reason=_ca_reason,
    ),
    Indicator(
        id="CA_LATE_AVG_WD",
        code="SCC/043b",
        title_en="Average time of late core assessments",
        title_cy="Amser cyfartalog asesiadau craidd hwyr",
        description_en="Average number of working days taken by the core assessments that took longer than 35 working days.",
        description_cy="Nifer cyfartalog y diwrnodau gwaith a gymerodd yr asesiadau craidd a gymerodd fwy na 35 diwrnod gwaith.",
        kind=Kind.AVERAGE,
        better=Better.LOWER,
        group=_G,
        unit=UnitKind.ASSESSMENT,
        definition="Average of `WD(START_DATE, COMPLETED_DATE)` over the CORE assessments completed in the year for "
        "which it is above 35.",
        units=table_units(
            "assessments",
            "COMPLETED_DATE",
            where=_CORE,
            value=fast_wd(pl.col("START_DATE"), pl.col("COMPLETED_DATE")).cast(pl.Int64),
            num=fast_wd(pl.col("START_DATE"), pl.col("COMPLETED_DATE")) > 35,
        ),
        label=_assessment,
        reason=_late_reason("START_DATE", 35),
    ),
)
