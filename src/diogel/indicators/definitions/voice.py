"""Children's voice (well-being questionnaire answers) and partnership (agencies at initial conferences)."""

from __future__ import annotations

import polars as pl

from diogel.indicators.common import LA, YEAR, Context, Row, UnitsFn, fy, iso, table_units
from diogel.indicators.registry import Better, Group, Indicator, Kind, UnitKind

_G = Group.VOICE

# QUESTION code → (id suffix, English statement, Welsh statement)
_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("SAFE", "I feel safe", "Rwy'n teimlo'n ddiogel"),
    ("HOME_HAPPY", "I live in a home where I am happy", "Rwy'n byw mewn cartref lle rydw i'n hapus"),
    (
        "KNOW_WHO",
        "I know who to speak to about my care and support",
        "Rwy'n gwybod â phwy i siarad am fy ngofal a'm cymorth",
    ),
    (
        "LISTENED",
        "My views about my care and support have been listened to",
        "Mae rhywun wedi gwrando ar fy marn am fy ngofal a'm cymorth",
    ),
    ("RESPECT", "I have been treated with respect", "Rwyf wedi cael fy nhrin â pharch"),
)


def _feedback(question: str, en: str, cy: str) -> Indicator:
    return Indicator(
        id=f"FEEDBACK_{question}",
        code=None,
        title_en=f"“{en}”",
        title_cy=f"“{cy}”",
        description_en=f"Percentage of answers in the year to “{en}” that were yes.",
        description_cy=f"Canran yr atebion yn y flwyddyn i “{cy}” a oedd yn gadarnhaol.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.ANSWER,
        definition="`feedback` rows for that QUESTION with RESPONSE_DATE in the year; numerator: ANSWER = YES.",
        units=table_units(
            "feedback", "RESPONSE_DATE", where=pl.col("QUESTION") == question, num=pl.col("ANSWER") == "YES"
        ),
        label=lambda r: f"answer {iso(r['RESPONSE_DATE'])}",
        reason=lambda r: f"answered {r['ANSWER'] or 'blank'}",
    )


def _agency_units(column: str) -> UnitsFn:
    def units(ctx: Context) -> pl.LazyFrame:
        # A conference is held on the earliest CONFERENCE_DATE among its INITIAL rows (siblings share one id).
        conferences = (
            ctx.t("cp_conferences")
            .filter((pl.col("TYPE") == "INITIAL") & pl.col("CONFERENCE_DATE").is_not_null())
            .group_by(LA, "CONFERENCE_ID")
            .agg(CONFERENCE_DATE=pl.col("CONFERENCE_DATE").min())
            .with_columns(fy(pl.col("CONFERENCE_DATE")).alias(YEAR))
        )
        return ctx.only_years(
            ctx.t("conference_agencies").join(conferences, on=[LA, "CONFERENCE_ID"], how="inner")
        ).with_columns(NUM=(pl.col(column) == "Y").fill_null(False), CHILD=pl.lit(None, dtype=pl.String))

    return units


def _agency_label(r: Row) -> str:
    return f"conference {r['CONFERENCE_ID']} agency {r['AGENCY'] or 'blank'}"


INDICATORS: tuple[Indicator, ...] = (
    *(_feedback(q, en, cy) for q, en, cy in _QUESTIONS),
    Indicator(
        id="ICPC_AGENCY_REPORTS",
        code=None,
        title_en="Agency reports to initial conferences",
        title_cy="Adroddiadau asiantaethau i gynadleddau cychwynnol",
        description_en="Percentage of agencies invited to initial child protection conferences in the year that provided a report.",
        description_cy="Canran yr asiantaethau a wahoddwyd i gynadleddau amddiffyn plant cychwynnol yn y flwyddyn a ddarparodd adroddiad.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.INVITATION,
        definition="`conference_agencies` rows whose CONFERENCE_ID is an INITIAL conference held in the year; "
        "numerator: REPORT_PROVIDED = Y.",
        units=_agency_units("REPORT_PROVIDED"),
        label=_agency_label,
        reason=lambda r: f"conference {iso(r['CONFERENCE_DATE'])}, REPORT_PROVIDED = {r['REPORT_PROVIDED'] or 'blank'}",
    ),
    Indicator(
        id="ICPC_AGENCY_ATTENDANCE",
        code=None,
        title_en="Agency attendance at initial conferences",
        title_cy="Presenoldeb asiantaethau mewn cynadleddau cychwynnol",
        description_en="Percentage of agencies invited to initial child protection conferences in the year that attended.",
        description_cy="Canran yr asiantaethau a wahoddwyd i gynadleddau amddiffyn plant cychwynnol yn y flwyddyn a oedd yn bresennol.",
        kind=Kind.RATE,
        better=Better.HIGHER,
        group=_G,
        unit=UnitKind.INVITATION,
        definition="The same rows; numerator: ATTENDED = Y.",
        units=_agency_units("ATTENDED"),
        label=_agency_label,
        reason=lambda r: f"conference {iso(r['CONFERENCE_DATE'])}, ATTENDED = {r['ATTENDED'] or 'blank'}",
    ),
)
