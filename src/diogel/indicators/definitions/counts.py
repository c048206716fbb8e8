"""Counts at the snapshot (or in the year) and the rates per 10,000 children aged 0-17 built on them.

A rate per 10,000 has the same units as its count; the engine divides by
``population.AGE_0_17`` of the LA and year (blank value without it).
"""

from __future__ import annotations

import polars as pl

from diogel.indicators.common import CHILD, LA, YEAR, Context, Row, UnitsFn, iso, snapshot, table_units
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind

_G = Group.COUNTS
_KEY = [LA, CHILD, YEAR]


def _lac(ctx: Context) -> pl.LazyFrame:
    return ctx.looked_after.lazy().with_columns(NUM=pl.lit(True), WHY=pl.lit("looked after"))


def _cp(ctx: Context) -> pl.LazyFrame:
    return ctx.registered.lazy().with_columns(NUM=pl.lit(True), WHY=pl.lit("registered"))


def _cin(ctx: Context) -> pl.LazyFrame:
    """Children looked after, registered, or with an open IA/S47 referral at the snapshot (built once)."""
    return ctx.memo("children in need", _children_in_need)


def _children_in_need(ctx: Context) -> pl.LazyFrame:
    close = pl.col("CLOSURE_DATE")
    referred = (
        ctx.per_year(
            ctx.t("referrals").select(LA, CHILD, "DECISION", "REFERRAL_DATE", "CLOSURE_DATE"),
            "REFERRAL_DATE",
            "CLOSURE_DATE",
        )
        .filter((pl.col("REFERRAL_DATE") <= snapshot()).fill_null(False) & (close.is_null() | (close > snapshot())))
        .filter(pl.col("DECISION").is_in(["IA", "S47"]).fill_null(False))
        .select(_KEY)
        .unique()
        .with_columns(WHY=pl.lit("open referral (IA or S47)"))
    )
    found = pl.concat([_lac(ctx).select(*_KEY, "WHY"), _cp(ctx).select(*_KEY, "WHY"), referred], how="vertical")
    if not ctx.explain:  # the number needs only the children, not why each is in need
        return found.select(_KEY).unique().with_columns(NUM=pl.lit(True))
    return found.group_by(_KEY).agg(pl.col("WHY").unique().sort().str.join(", ")).with_columns(NUM=pl.lit(True))


def _child_label(r: Row) -> str:
    return f"child {r['CHILD']}"


def _why(r: Row) -> str:
    return f"at {iso(r['SNAPSHOT'])}: {r['WHY']}"


def _at_snapshot(fn: UnitsFn) -> UnitsFn:
    return lambda ctx: fn(ctx).with_columns(SNAPSHOT=snapshot())


def _count(id_: str, en: str, cy: str, den: str, dcy: str, definition: str, units: UnitsFn) -> Indicator:
    return Indicator(
        id=id_,
        code=None,
        title_en=en,
        title_cy=cy,
        description_en=den,
        description_cy=dcy,
        kind=Kind.COUNT,
        better=Better.NEITHER,
        group=_G,
        unit=UnitKind.CHILD,
        definition=definition,
        units=_at_snapshot(units),
        label=_child_label,
        reason=_why,
    )


def _rate(id_: str, en: str, cy: str, den: str, dcy: str, units: UnitsFn) -> Indicator:
    return Indicator(
        id=id_,
        code=None,
        title_en=en,
        title_cy=cy,
        description_en=den,
        description_cy=dcy,
        kind=Kind.RATE_10K,
        better=Better.NEITHER,
        group=_G,
        unit=UnitKind.CHILD,
        definition="`10000 × count / AGE_0_17` from `population` for `YEAR = Y`; blank without it.",
        units=_at_snapshot(units),
        label=_child_label,
        reason=_why,
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="REFERRALS",
        code=None,
        title_en="Referrals",
        title_cy="Atgyfeiriadau",
        description_en="Number of referrals received in the year.",
        description_cy="Nifer yr atgyfeiriadau a dderbyniwyd yn y flwyddyn.",
        kind=Kind.COUNT,
        better=Better.NEITHER,
        group=_G,
        unit=UnitKind.REFERRAL,
        definition="Count of referrals with REFERRAL_DATE in the year.",
        units=table_units("referrals", "REFERRAL_DATE", num=pl.lit(True)),
        label=lambda r: f"referral {r['REFERRAL_ID']}",
        reason=lambda r: f"received {iso(r['REFERRAL_DATE'])}",
    ),
    _count(
        "LAC_SNAPSHOT",
        "Children looked after at 31 March",
        "Plant sy'n derbyn gofal ar 31 Mawrth",
        "Number of children looked after on 31 March at the end of the year.",
        "Nifer y plant sy'n derbyn gofal ar 31 Mawrth ar ddiwedd y flwyddyn.",
        "Count of children looked after at the snapshot.",
        _lac,
    ),
    _count(
        "CP_SNAPSHOT",
        "Children on the child protection register at 31 March",
        "Plant ar y gofrestr amddiffyn plant ar 31 Mawrth",
        "Number of children on the child protection register on 31 March at the end of the year.",
        "Nifer y plant ar y gofrestr amddiffyn plant ar 31 Mawrth ar ddiwedd y flwyddyn.",
        "Count of children with a registration open at the snapshot.",
        _cp,
    ),
    _count(
        "CIN_SNAPSHOT",
        "Children in need at 31 March",
        "Plant mewn angen ar 31 Mawrth",
        "Number of children in need on 31 March at the end of the year: looked after, registered, or with an open referral.",
        "Nifer y plant mewn angen ar 31 Mawrth ar ddiwedd y flwyddyn: yn derbyn gofal, ar y gofrestr, neu ag atgyfeiriad agored.",
        "Count of distinct children in need at the snapshot: looked after, or registered, or with a referral with "
        "DECISION `IA` or `S47`, `REFERRAL_DATE ≤ snapshot` and (CLOSURE_DATE blank or `> snapshot`).",
        _cin,
    ),
    _rate(
        "LAC_RATE_10K",
        "Children looked after per 10,000",
        "Plant sy'n derbyn gofal fesul 10,000",
        "Children looked after on 31 March per 10,000 children aged 0-17.",
        "Plant sy'n derbyn gofal ar 31 Mawrth fesul 10,000 o blant 0-17 oed.",
        _lac,
    ),
    _rate(
        "CP_RATE_10K",
        "Children on the register per 10,000",
        "Plant ar y gofrestr fesul 10,000",
        "Children on the child protection register on 31 March per 10,000 children aged 0-17.",
        "Plant ar y gofrestr amddiffyn plant ar 31 Mawrth fesul 10,000 o blant 0-17 oed.",
        _cp,
    ),
    _rate(
        "CIN_RATE_10K",
        "Children in need per 10,000",
        "Plant mewn angen fesul 10,000",
        "Children in need on 31 March per 10,000 children aged 0-17.",
        "Plant mewn angen ar 31 Mawrth fesul 10,000 o blant 0-17 oed.",
        _cin,
    ),
)
