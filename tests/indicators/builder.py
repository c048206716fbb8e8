"""Build small typed CSD tables by hand for the indicator tests.

Rows are given as plain strings, exactly as they would appear in a CSV of the
Children's Services Dataset; the column names and types come from
:mod:`diogel.dataset.schema`, so nothing here re-declares the standard::

    ds = Dataset(la="W06000015")
    ds.child("C1", dob="2000-05-01")
    ds.referral("C1", "R1", "2008-05-02", decision_date="2008-05-06", decision="IA")
    tables = ds.tables()

Every table of ``schema.TABLES`` is present in ``tables()`` (empty when no row
was added), with its columns in schema order: DATE as ``pl.Date``, INTEGER as
``pl.Int64``, NUMBER as ``pl.Float64``, STRING and FLAG as ``pl.String`` and
``None`` for a blank. A row for a child not yet in ``children`` adds the child
(with no other details), so that every (LA, CHILD) resolves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from diogel.dataset.schema import TABLES, ColumnType

CARDIFF = "W06000015"
SWANSEA = "W06000011"
NEWPORT = "W06000022"

_POLARS_TYPE: dict[ColumnType, Any] = {
    ColumnType.STRING: pl.String,
    ColumnType.FLAG: pl.String,
    ColumnType.DATE: pl.Date,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.NUMBER: pl.Float64,
}


def _convert(kind: ColumnType, raw: str | None) -> object:
    if raw is None or raw == "":
        return None
    if kind is ColumnType.DATE:
        return dt.date.fromisoformat(raw)
    if kind is ColumnType.INTEGER:
        return int(raw)
    if kind is ColumnType.NUMBER:
        return float(raw)
    return raw


def frame(table: str, rows: Iterable[Mapping[str, str | None]]) -> pl.DataFrame:
    """A typed polars frame of ``table`` from rows of strings (missing columns blank)."""
    spec = TABLES[table]
    names = spec.column_names
    data: dict[str, list[object]] = {n: [] for n in names}
    for row in rows:
        unknown = set(row) - set(names)
        if unknown:
            raise KeyError(f"{table}: unknown column(s) {sorted(unknown)}")
        for col in spec.columns:
            data[col.name].append(_convert(col.type, row.get(col.name)))
    schema = {c.name: _POLARS_TYPE[c.type] for c in spec.columns}
    return pl.DataFrame(data, schema=schema)


class Dataset:
    """Rows of every CSD table, for one default LA (``la=`` on any call overrides it)."""

    def __init__(self, la: str = CARDIFF) -> None:
        self.la = la
        self.rows: dict[str, list[dict[str, str | None]]] = {name: [] for name in TABLES}

    # -- generic ---------------------------------------------------------
    def add(self, table: str, **cols: str | None) -> None:
        """Add one row to ``table``; ``LA`` defaults to the dataset's LA."""
        row: dict[str, str | None] = {"LA": self.la, **cols}
        if TABLES[table].has_child and table != "children" and row.get("CHILD"):
            self._ensure_child(str(row["LA"]), str(row["CHILD"]))
        self.rows[table].append(row)

    def _ensure_child(self, la: str, child: str) -> None:
        if not any(r["LA"] == la and r["CHILD"] == child for r in self.rows["children"]):
            self.rows["children"].append({"LA": la, "CHILD": child})

    def tables(self) -> dict[str, pl.DataFrame]:
        return {name: frame(name, self.rows[name]) for name in TABLES}

    # -- one helper per table -------------------------------------------
    def child(self, child: str, *, la: str | None = None, **cols: str | None) -> None:
        la = la or self.la
        for r in self.rows["children"]:
            if r["LA"] == la and r["CHILD"] == child:
                r.update(cols)
                return
        self.rows["children"].append({"LA": la, "CHILD": child, **cols})

    def referral(
        self, child: str, referral_id: str, referral_date: str, *, la: str | None = None, **cols: str | None
    ) -> None:
        self.add(
            "referrals",
            LA=la or self.la,
            CHILD=child,
            REFERRAL_ID=referral_id,
            REFERRAL_DATE=referral_date,
            **_upper(cols),
        )

    def assessment(
        self,
        child: str,
        assessment_id: str,
        referral_id: str,
        type: str,
        *,
        la: str | None = None,
        **cols: str | None,
    ) -> None:
        self.add(
            "assessments",
            LA=la or self.la,
            CHILD=child,
            ASSESSMENT_ID=assessment_id,
            REFERRAL_ID=referral_id,
            TYPE=type,
            **_upper(cols),
        )

    def conference(
        self, child: str, conference_id: str, type: str, *, la: str | None = None, **cols: str | None
    ) -> None:
        self.add(
            "cp_conferences", LA=la or self.la, CHILD=child, CONFERENCE_ID=conference_id, TYPE=type, **_upper(cols)
        )

    def agency(self, conference_id: str, agency: str, *, la: str | None = None, **cols: str | None) -> None:
        self.add("conference_agencies", LA=la or self.la, CONFERENCE_ID=conference_id, AGENCY=agency, **_upper(cols))

    def registration(
        self, child: str, registration_id: str, start_date: str, *, la: str | None = None, **cols: str | None
    ) -> None:
        self.add(
            "cp_registrations",
            LA=la or self.la,
            CHILD=child,
            REGISTRATION_ID=registration_id,
            START_DATE=start_date,
            **_upper(cols),
        )

    def cp_review(self, child: str, registration_id: str, review_date: str, *, la: str | None = None) -> None:
        self.add("cp_reviews", LA=la or self.la, CHILD=child, REGISTRATION_ID=registration_id, REVIEW_DATE=review_date)

    def episode(
        self, child: str, decom: str, rne: str, *, la: str | None = None, ls: str = "C2", **cols: str | None
    ) -> None:
        """An episode; LS defaults to C2 (a care order), never a short break unless asked."""
        self.add("episodes", LA=la or self.la, CHILD=child, DECOM=decom, RNE=rne, LS=ls, **_upper(cols))

    def care_plan(
        self,
        child: str,
        plan_id: str,
        plan_type: str,
        start_date: str,
        *,
        la: str | None = None,
        **cols: str | None,
    ) -> None:
        self.add(
            "care_plans",
            LA=la or self.la,
            CHILD=child,
            PLAN_ID=plan_id,
            PLAN_TYPE=plan_type,
            START_DATE=start_date,
            **_upper(cols),
        )

    def lac_review(self, child: str, review_date: str, *, la: str | None = None, code: str | None = None) -> None:
        self.add("lac_reviews", LA=la or self.la, CHILD=child, REVIEW_DATE=review_date, REVIEW_CODE=code)

    def school_change(self, child: str, change_date: str, transitional: str, *, la: str | None = None) -> None:
        self.add("school_changes", LA=la or self.la, CHILD=child, CHANGE_DATE=change_date, TRANSITIONAL=transitional)

    def education(self, child: str, academic_year: str, *, la: str | None = None, **cols: str | None) -> None:
        self.add("education_outcomes", LA=la or self.la, CHILD=child, ACADEMIC_YEAR=academic_year, **_upper(cols))

    def care_leaver(self, child: str, birthday_19: str, *, la: str | None = None, **cols: str | None) -> None:
        self.add("care_leavers", LA=la or self.la, CHILD=child, BIRTHDAY_19=birthday_19, **_upper(cols))

    def sw_episode(
        self, child: str, sw_id: str, sw_decom: str, sw_dec: str | None = None, *, la: str | None = None
    ) -> None:
        self.add("social_worker_episodes", LA=la or self.la, CHILD=child, SW_ID=sw_id, SW_DECOM=sw_decom, SW_DEC=sw_dec)

    def visit(self, child: str, visit_date: str, type: str, *, la: str | None = None, **cols: str | None) -> None:
        self.add("visits", LA=la or self.la, CHILD=child, VISIT_DATE=visit_date, TYPE=type, **_upper(cols))

    def feedback(
        self,
        child: str | None,
        response_date: str,
        question: str,
        answer: str,
        *,
        la: str | None = None,
    ) -> None:
        self.add(
            "feedback", LA=la or self.la, CHILD=child, RESPONSE_DATE=response_date, QUESTION=question, ANSWER=answer
        )

    def population(self, year: str, age_0_17: str, *, la: str | None = None) -> None:
        self.add("population", LA=la or self.la, YEAR=year, AGE_0_17=age_0_17)


def _upper(cols: Mapping[str, str | None]) -> dict[str, str | None]:
    """Keyword arguments in snake case (``decision_date=``) to CSD column names."""
    return {k.upper(): v for k, v in cols.items()}


def pick(results: Iterable[Any], indicator: str, la: str, year: int) -> Any:
    """The one result for (indicator, la, year); fails unless there is exactly one."""
    found = [r for r in results if r.indicator == indicator and r.la == la and r.year == year]
    assert len(found) == 1, f"expected one result for {indicator} {la} {year}, got {len(found)}"
    return found[0]


def run(ds: Dataset, indicator: str, year: int, la: str | None = None) -> Any:
    """Evaluate one indicator for one year on ``ds`` and return the result for ``la`` (default: ds.la)."""
    from diogel.indicators.engine import evaluate

    return pick(evaluate(ds.tables(), years=[year], indicators=[indicator]), indicator, la or ds.la, year)


def run_all(ds: Dataset, indicator: str, year: int) -> dict[str, Any]:
    """Evaluate one indicator for one year; results keyed by LA (``WALES`` included)."""
    from diogel.indicators.engine import evaluate

    out: dict[str, Any] = {}
    for r in evaluate(ds.tables(), years=[year], indicators=[indicator]):
        if r.indicator == indicator and r.year == year:
            assert r.la not in out, f"two results for {indicator} {r.la} {year}"
            out[r.la] = r
    return out


def check(result: Any, numerator: float | None, denominator: float | None, value: float | None) -> None:
    """Exact numerator and denominator, value to floating-point tolerance (None means blank)."""
    import pytest

    got = (result.numerator, result.denominator, result.value)
    assert result.numerator == numerator, f"numerator: got {got}"
    assert result.denominator == denominator, f"denominator: got {got}"
    if value is None:
        assert result.value is None, f"value: got {got}"
    else:
        assert result.value == pytest.approx(value), f"value: got {got}"
