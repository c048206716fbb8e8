"""Generate a synthetic Wales: :func:`generate` returns every CSD table as a typed frame.

Per LA, in ONS code order and each from its own PCG64 stream derived from the
seed: referrals and child protection (:mod:`~diogel.synth.referrals`), then care
(:mod:`~diogel.synth.care`). The volumes and rates each LA works to are set here
from the published all-Wales targets (:mod:`~diogel.synth.targets`) and the LA's
profile (:mod:`~diogel.synth.profiles`). Anything dated after the extract date
(the last requested year's 31 March snapshot) is censored: open cases stay open.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from diogel.dataset.schema import TABLE_ORDER, TABLES, ColumnType, local_authorities
from diogel.errors import UserError
from diogel.synth.care import CareModel
from diogel.synth.profiles import Profile, calibrate, draw_profiles, shares
from diogel.synth.rand import Stream
from diogel.synth.referrals import ReferralModel
from diogel.synth.state import LAState, Years
from diogel.synth.targets import target
from diogel.synth.workcal import FIRST_YEAR, LAST_YEAR

CARE_HISTORY = 18  # years of care simulated before the first requested year
REFERRAL_HISTORY = 4  # years of referrals and child protection before it

# Calibrated on the published figures: (rate name, indicator, profile offset, weights).
CALIBRATED = (
    ("decide_1wd", "REF_DECIDED_1WD", "decide_1wd", "referral"),
    ("ia_7wd", "IA_7WD", "ia_7wd", "referral"),
    ("ca_35wd", "CA_35WD", "ca_35wd", "referral"),
    ("rereferral", "REREFERRAL_12M", "rereferral", "referral"),
    ("care_plan", "LAC_CARE_PLAN_AT_PLACEMENT", "care_plan", "lac"),
    ("no_qual", "LAC_NO_QUALIFICATION", "no_qual", "lac"),
    ("in_touch", "CL_IN_TOUCH_19", "in_touch", "lac"),
    ("eet", "CL_EET_19", "eet", "lac"),
)
# Points added to a target where the mechanism falls short of it (fallbacks, year-end lags).
LIFT = {"rereferral": 0.9}
# Not published: an all-Wales mean (per cent) chosen to be plausible for the era.
FIXED = (
    ("seen", 80.0, "seen", "referral"),
    ("seen_alone", 55.0, "seen_alone", "referral"),
    ("icpc_15wd", 84.0, "icpc_15wd", "cp"),
    ("core_group_10wd", 86.0, "core_group_10wd", "cp"),
    ("cp_review", 91.0, "cp_review", "cp"),
    ("agency_attend", 78.0, "agency", "cp"),
    ("agency_report", 62.0, "agency", "cp"),
    ("accom", 90.0, "accom", "lac"),
    ("pathway", 88.0, "pathway", "lac"),
)
# Mechanism parameters tuned so that the indicator they drive lands on its target.
REVIEW_ON_TIME_LIFT = 0.4  # on-time chance per review, in points above the target rate
MOVES_PER_YEAR = 0.49  # placement moves a year, at the 10 % "3 or more placements" level
SCHOOL_CHANGE_AT_MOVE = 0.33  # chance a move changes school, at the 14 % school-change level


def _rates(profiles: list[Profile], scale: float, ys: Years) -> list[dict[str, dict[int, float]]]:
    las = local_authorities()
    kids = [la.children_2009 for la in las]
    weights = {
        kind: shares([k * p.mult(f"{kind}_rate") for k, p in zip(kids, profiles, strict=True)])
        for kind in ("referral", "lac", "cp")
    }
    out: list[dict[str, dict[int, float]]] = [{} for _ in las]
    for y in range(ys.care_from - 1, ys.last + 2):
        volumes = {
            "referrals": (target("REFERRALS", y), "referral"),
            "lac_stock": (target("LAC_SNAPSHOT", y), "lac"),
            "cp_stock": (target("CP_SNAPSHOT", y), "cp"),
        }
        for name, (total, kind) in volumes.items():
            for i, w in enumerate(weights[kind]):
                out[i].setdefault(name, {})[y] = total * w * scale
        probs = [(n, target(ind, y) + LIFT.get(n, 0.0), o, k) for n, ind, o, k in CALIBRATED] + list(FIXED)
        for name, pct, off, kind in probs:
            ps = calibrate(pct / 100, [p.off(off) for p in profiles], weights[kind])
            for i, prob in enumerate(ps):
                out[i].setdefault(name, {})[y] = prob
                out[i].setdefault(name + "@wales", {})[y] = pct / 100
        reviews = calibrate(
            min(99.0, target("LAC_REVIEWS_ON_TIME", y) + REVIEW_ON_TIME_LIFT) / 100,
            [p.off("lac_review") for p in profiles],
            weights["lac"],
        )
        moves = MOVES_PER_YEAR * target("LAC_3PLUS_PLACEMENTS", y) / 10.0
        school = SCHOOL_CHANGE_AT_MOVE * target("LAC_SCHOOL_CHANGE", y) / 14.0
        # Shares of the snapshot stock, met by quota (placements.py); LAs differ as their move rates do.
        three_plus = calibrate(
            target("LAC_3PLUS_PLACEMENTS", y) / 100,
            [1.5 * math.log(p.mult("moves")) for p in profiles],
            weights["lac"],
        )
        school_share = calibrate(
            target("LAC_SCHOOL_CHANGE", y) / 100,
            [1.5 * math.log(p.mult("school_change")) for p in profiles],
            weights["lac"],
        )
        for i, prof in enumerate(profiles):
            out[i].setdefault("lac_review@wales", {})[y] = (
                min(99.0, target("LAC_REVIEWS_ON_TIME", y) + REVIEW_ON_TIME_LIFT) / 100
            )
            out[i].setdefault("three_plus", {})[y] = three_plus[i]
            out[i].setdefault("school_share", {})[y] = school_share[i]
            out[i].setdefault("lac_review", {})[y] = reviews[i]
            out[i].setdefault("moves", {})[y] = moves * prof.mult("moves")
            out[i].setdefault("school_change", {})[y] = min(0.95, school * prof.mult("school_change"))
            out[i].setdefault("sw_turnover", {})[y] = prof.mult("sw_turnover")
            out[i].setdefault("feedback", {})[y] = 1.0 + 0.1 * prof.off("feedback")
    return out


def generate(seed: int, scale: float, years: tuple[int, int]) -> dict[str, pl.DataFrame]:
    """The synthetic Wales for ``years`` (first and last financial year), sized ``scale`` × Wales."""
    first, last = years
    if not (math.isfinite(scale) and 0 < scale <= 50):
        raise UserError(f"the scale must be a number above 0 and at most 50, not {scale}")
    if first > last:
        raise UserError(f"the first year ({first}) is after the last ({last})")
    if first - CARE_HISTORY < FIRST_YEAR or last + 2 > LAST_YEAR:
        raise UserError(f"years must lie between {FIRST_YEAR + CARE_HISTORY} and {LAST_YEAR - 2}")
    if seed < 0:
        raise UserError(f"the seed must be zero or a positive whole number, not {seed}")
    ys = Years(first, last, care_from=first - CARE_HISTORY, referrals_from=first - REFERRAL_HISTORY)
    profiles = draw_profiles(seed)
    rates = _rates(profiles, scale, ys)
    per_la: list[dict[str, pl.DataFrame]] = []
    quotas: dict[tuple[str, int], float] = {}  # shared: all-Wales counts hit their expected values
    phase = Stream(np.random.SeedSequence([seed, 2]))
    for i, la in enumerate(local_authorities()):
        st = LAState(la.code, i + 1, Stream(np.random.SeedSequence([seed, 1, i])), ys, rates[i], quotas=quotas)
        st.phase = phase
        refs = ReferralModel(st)
        refs.run()
        CareModel(st, refs).run()
        _population(st, la.children_2009 * scale, profiles[i])
        per_la.append(_frames(st))
    tables = {name: pl.concat([t[name] for t in per_la], how="vertical") for name in TABLE_ORDER}
    return _censor(tables, ys)


def _population(st: LAState, children: float, profile: Profile) -> None:
    drift = 0.004 * profile.off("feedback") - 0.002  # a stable, LA-specific gentle trend
    for y in range(st.years.referrals_from, st.years.last + 1):
        st.rows["population"].append([y, max(1, round(children * (1 + drift * (y - 2009))))])


_POLARS = {
    ColumnType.STRING: pl.String,
    ColumnType.FLAG: pl.String,
    ColumnType.DATE: pl.Int32,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.NUMBER: pl.Float64,
}


def _frames(st: LAState) -> dict[str, pl.DataFrame]:
    out = {}
    for name in TABLE_ORDER:
        cols = TABLES[name].columns[1:]
        frame = pl.DataFrame(st.rows[name], schema={c.name: _POLARS[c.type] for c in cols}, orient="row")
        frame = frame.with_columns(
            [pl.lit(st.la).alias("LA")] + [pl.col(c.name).cast(pl.Date) for c in cols if c.type == ColumnType.DATE]
        ).select(TABLES[name].column_names)
        if "CHILD" in frame.columns and name != "feedback":
            frame = frame.sort("CHILD", maintain_order=True)
        out[name] = frame
    return out


def _censor(t: dict[str, pl.DataFrame], ys: Years) -> dict[str, pl.DataFrame]:
    """Cut everything at the extract date: later events vanish, later ends become blank."""
    x = pl.date(ys.last + 1, 3, 31)

    def blank(col: str, *also: str) -> list[pl.Expr]:
        late = pl.col(col) > x
        return [pl.when(late).then(None).otherwise(pl.col(c)).alias(c) for c in (col, *also)]

    t["children"] = t["children"].with_columns(blank("DOD"))
    t["referrals"] = t["referrals"].with_columns(blank("DECISION_DATE", "DECISION") + blank("CLOSURE_DATE"))
    t["assessments"] = t["assessments"].filter(pl.col("START_DATE") <= x).with_columns(blank("COMPLETED_DATE"))
    t["cp_conferences"] = t["cp_conferences"].filter(pl.col("CONFERENCE_DATE") <= x)
    held = t["cp_conferences"].select("LA", "CONFERENCE_ID").unique()
    t["conference_agencies"] = t["conference_agencies"].join(held, on=["LA", "CONFERENCE_ID"], how="semi")
    t["cp_registrations"] = (
        t["cp_registrations"]
        .filter(pl.col("START_DATE") <= x)
        .with_columns(blank("FIRST_CORE_GROUP") + blank("END_DATE"))
    )
    t["episodes"] = t["episodes"].filter(pl.col("DECOM") <= x).with_columns(blank("DEC", "REC"))
    t["care_plans"] = t["care_plans"].filter(pl.col("START_DATE") <= x).with_columns(blank("END_DATE"))
    t["social_worker_episodes"] = (
        t["social_worker_episodes"].filter(pl.col("SW_DECOM") <= x).with_columns(blank("SW_DEC"))
    )
    for name, col in (
        ("cp_reviews", "REVIEW_DATE"),
        ("lac_reviews", "REVIEW_DATE"),
        ("school_changes", "CHANGE_DATE"),
        ("visits", "VISIT_DATE"),
        ("feedback", "RESPONSE_DATE"),
        ("care_leavers", "BIRTHDAY_19"),
    ):
        t[name] = t[name].filter(pl.col(col) <= x)
    return t
