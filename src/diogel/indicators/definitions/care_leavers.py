"""Care leavers at their 19th birthday (SCC/033d/e/f, SCC/041a)."""

from __future__ import annotations

import polars as pl

from diogel.dataset.schema import EET_ACTIVITY
from diogel.indicators.common import CHILD_KEY, LA, Context, Row, iso, table_units
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind

_G = Group.CARE_LEAVERS
_IN_TOUCH = pl.col("IN_TOUCH") == "YES"


def _with_pathway_plan(ctx: Context, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add PLAN: a PATHWAY_PLAN of the young person open on BIRTHDAY_19 (null when none)."""
    plans = (
        ctx.t("care_plans")
        .filter(pl.col("PLAN_TYPE") == "PATHWAY_PLAN")
        .select(*CHILD_KEY, "PLAN_ID", "START_DATE", "END_DATE")
    )
    found = (
        frame.select(*CHILD_KEY, "BIRTHDAY_19")
        .unique()
        .join(plans, on=CHILD_KEY, how="inner")
        .filter(
            (pl.col("START_DATE") <= pl.col("BIRTHDAY_19"))
            & (pl.col("END_DATE").is_null() | (pl.col("END_DATE") >= pl.col("BIRTHDAY_19")))
        )
        .group_by(LA, "CHILD", "BIRTHDAY_19")
        .agg(PLAN=pl.col("PLAN_ID").cast(pl.String).sort().first())
    )
    return frame.join(found, on=[*CHILD_KEY, "BIRTHDAY_19"], how="left")


def _label(r: Row) -> str:
    return f"19th birthday {iso(r['BIRTHDAY_19'])}"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="CL_IN_TOUCH_19",
        code="SCC/033d",
        title_en="Care leavers in touch at 19",
        title_cy="Pobl ifanc sy'n gadael gofal mewn cysylltiad yn 19 oed",
        description_en="Percentage of young people formerly looked after with whom the authority was in touch at their 19th birthday.",
        description_cy="Canran y bobl ifanc a fu'n derbyn gofal yr oedd yr awdurdod mewn cysylltiad â nhw ar eu pen-blwydd yn 19 oed.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CARE_LEAVER,
        definition="`care_leavers` rows with BIRTHDAY_19 in the year and IN_TOUCH not `DIED`; numerator: "
        "IN_TOUCH = YES.",
        units=table_units(
            "care_leavers", "BIRTHDAY_19", where=pl.col("IN_TOUCH").ne_missing(pl.lit("DIED")), num=_IN_TOUCH
        ),
        label=_label,
        reason=lambda r: f"IN_TOUCH = {r['IN_TOUCH'] or 'blank'}",
    ),
    Indicator(
        id="CL_ACCOM_19",
        code="SCC/033e",
        title_en="Care leavers in suitable accommodation at 19",
        title_cy="Pobl ifanc sy'n gadael gofal mewn llety addas yn 19 oed",
        description_en="Percentage of young people formerly looked after, in touch at 19, who were in suitable accommodation.",
        description_cy="Canran y bobl ifanc a fu'n derbyn gofal, ac a oedd mewn cysylltiad yn 19 oed, a oedd mewn llety addas.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CARE_LEAVER,
        definition="Rows with BIRTHDAY_19 in the year and IN_TOUCH = YES; numerator: ACCOM ends in `1` (suitable).",
        units=table_units("care_leavers", "BIRTHDAY_19", where=_IN_TOUCH, num=pl.col("ACCOM").str.ends_with("1")),
        label=_label,
        reason=lambda r: f"in touch, ACCOM = {r['ACCOM'] or 'blank'}",
    ),
    Indicator(
        id="CL_EET_19",
        code="SCC/033f",
        title_en="Care leavers in education, training or employment at 19",
        title_cy="Pobl ifanc sy'n gadael gofal mewn addysg, hyfforddiant neu gyflogaeth yn 19 oed",
        description_en="Percentage of young people formerly looked after, in touch at 19, who were in education, training or employment.",
        description_cy="Canran y bobl ifanc a fu'n derbyn gofal, ac a oedd mewn cysylltiad yn 19 oed, a oedd mewn addysg, hyfforddiant neu gyflogaeth.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CARE_LEAVER,
        definition="Same rows; numerator: ACTIV in F1, P1, F2, P2, F3, P3.",
        units=table_units(
            "care_leavers", "BIRTHDAY_19", where=_IN_TOUCH, num=pl.col("ACTIV").is_in(sorted(EET_ACTIVITY))
        ),
        label=_label,
        reason=lambda r: f"in touch, ACTIV = {r['ACTIV'] or 'blank'}",
    ),
    Indicator(
        id="CL_PATHWAY_PLAN_19",
        code="SCC/041a",
        title_en="Care leavers with a pathway plan at 19",
        title_cy="Pobl ifanc sy'n gadael gofal â chynllun llwybr yn 19 oed",
        description_en="Percentage of young people formerly looked after, in touch at 19, who had a pathway plan on their birthday.",
        description_cy="Canran y bobl ifanc a fu'n derbyn gofal, ac a oedd mewn cysylltiad yn 19 oed, a oedd â chynllun llwybr ar eu pen-blwydd.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.CARE_LEAVER,
        definition="Same rows; numerator: a `PATHWAY_PLAN` open on BIRTHDAY_19 (START_DATE ≤ it, END_DATE blank or "
        "≥ it).",
        units=table_units(
            "care_leavers",
            "BIRTHDAY_19",
            where=_IN_TOUCH,
            prepare=_with_pathway_plan,
            num=pl.col("PLAN").is_not_null(),
        ),
        label=_label,
        reason=lambda r: (
            f"in touch; pathway plan {r['PLAN']} open on the birthday"
            if r["NUM"]
            else "in touch; no pathway plan open on the birthday"
        ),
    ),
)
