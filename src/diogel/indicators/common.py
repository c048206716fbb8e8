"""The building blocks the indicator definitions share (the *Common rules* of ``indicators.md``).

Everything here is a polars expression or a function from frames to frames, so
that every year asked for is computed in one pass over the data:

* year windows: :func:`fy` (the financial year a date falls in), :func:`year_start`,
  :func:`snapshot`;
* :class:`Context`: the typed tables as lazy frames plus the derived frames many
  indicators need, each computed once (episodes without short breaks, periods of
  care, children looked after at each snapshot, placements counted per child);
* the *Reviews due* algorithm (:func:`reviews_due`);
* *Counting placements* (:meth:`Context.placements`);
* small helpers that write the "why" sentences of ``diogel indicators --children``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from diogel.dataset.schema import SHORT_BREAK_LEGAL_STATUS, TABLE_ORDER, TABLES, TEMPORARY_PLACEMENT, ColumnType
from diogel.workdays import bank_holidays, wd

Row = Mapping[str, Any]

LA, CHILD, YEAR = "LA", "CHILD", "YEAR"
CHILD_KEY = [LA, CHILD]


# --------------------------------------------------------------------------- years


def fy(date: pl.Expr) -> pl.Expr:
    """The financial year ``Y`` (1 April Y – 31 March Y+1) a date falls in; null for a null date."""
    return (date.dt.year() - (date.dt.month() < 4).cast(pl.Int32)).cast(pl.Int32)


def year_start(year: pl.Expr | None = None) -> pl.Expr:
    """1 April of the financial year in the ``YEAR`` column (or ``year``)."""
    y = pl.col(YEAR) if year is None else year
    return pl.date(y, 4, 1)


def snapshot(year: pl.Expr | None = None) -> pl.Expr:
    """The snapshot, 31 March ``Y+1``, of the financial year in the ``YEAR`` column (or ``year``)."""
    y = pl.col(YEAR) if year is None else year
    return pl.date(y + 1, 3, 31)


def in_year(date: pl.Expr) -> pl.Expr:
    """``date`` falls in the financial year of the ``YEAR`` column (inclusive bounds)."""
    return date.is_between(year_start(), snapshot(), closed="both").fill_null(False)


#: The columns of each table the engine reads: every measure, label and reason. No other column is
#: kept (or needs to be read): ``CHILD`` of ``cp_reviews`` (the registration's child is used), the
#: details of ``children`` (only its LAs count), a referral's SOURCE and PRIMARY_NEED, a conference's
#: OUTCOME, a registration's CATEGORY, the episode columns but DECOM, DEC, RNE, LS, PLACE, PL_POST,
#: and a visit's SEEN_ALONE.
ENGINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("LA",),
    "referrals": ("LA", "CHILD", "REFERRAL_ID", "REFERRAL_DATE", "DECISION_DATE", "DECISION", "CLOSURE_DATE"),
    "assessments": (
        "LA", "CHILD", "ASSESSMENT_ID", "REFERRAL_ID", "TYPE", "START_DATE", "COMPLETED_DATE", "SEEN", "SEEN_ALONE",
    ),
    "cp_conferences": ("LA", "CHILD", "CONFERENCE_ID", "TYPE", "STRATEGY_DATE", "CONFERENCE_DATE"),
    "conference_agencies": ("LA", "CONFERENCE_ID", "AGENCY", "ATTENDED", "REPORT_PROVIDED"),
    "cp_registrations": ("LA", "CHILD", "REGISTRATION_ID", "START_DATE", "FIRST_CORE_GROUP", "END_DATE"),
    "cp_reviews": ("LA", "REGISTRATION_ID", "REVIEW_DATE"),
    "episodes": ("LA", "CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "PL_POST"),
    "care_plans": ("LA", "CHILD", "PLAN_ID", "PLAN_TYPE", "START_DATE", "END_DATE"),
    "lac_reviews": ("LA", "CHILD", "REVIEW_DATE", "REVIEW_CODE"),
    "school_changes": ("LA", "CHILD", "CHANGE_DATE", "TRANSITIONAL"),
    "education_outcomes": ("LA", "CHILD", "ACADEMIC_YEAR", "POINTS", "NO_QUALIFICATION"),
    "care_leavers": ("LA", "CHILD", "BIRTHDAY_19", "IN_TOUCH", "ACTIV", "ACCOM"),
    "social_worker_episodes": ("LA", "CHILD", "SW_ID", "SW_DECOM", "SW_DEC"),
    "visits": ("LA", "CHILD", "VISIT_DATE", "TYPE"),
    "feedback": ("LA", "CHILD", "RESPONSE_DATE", "QUESTION", "ANSWER"),
    "population": ("LA", "YEAR", "AGE_0_17"),
}  # fmt: skip

#: Columns kept as ``pl.String``, not Categorical: record identifiers (nearly one value per row, so a
#: Categorical would store every string once more in polars' global categories, and building it costs
#: several times the reading), and ACCOM, which the engine applies a string function to.
TEXT_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("referrals", "REFERRAL_ID"),
        ("assessments", "ASSESSMENT_ID"),
        ("assessments", "REFERRAL_ID"),
        ("cp_conferences", "CONFERENCE_ID"),
        ("conference_agencies", "CONFERENCE_ID"),
        ("cp_registrations", "REGISTRATION_ID"),
        ("cp_reviews", "REGISTRATION_ID"),
        ("care_plans", "PLAN_ID"),
        ("care_leavers", "ACCOM"),
    }
)


def engine_dtype(table: str, column: str) -> pl.DataType:
    """The type the engine works with for ``table.column``.

    Dates, integers and numbers as the schema says; :data:`TEXT_COLUMNS` ``pl.String``. Every other
    column (LA, CHILD, codes, flags, SW_ID, PL_POST) is ``pl.Categorical``: 4 bytes a row instead of
    a 16-byte string view, with polars' global categories, so that a join or comparison between two
    tables' categoricals is a comparison of the strings, a comparison with a string literal is too,
    and sorting is lexical (by the strings), as for ``pl.String``.
    """
    ctype = TABLES[table].column(column).type
    if ctype == ColumnType.DATE:
        return pl.Date()
    if ctype == ColumnType.INTEGER:
        return pl.Int64()
    if ctype == ColumnType.NUMBER:
        return pl.Float64()
    return pl.String() if (table, column) in TEXT_COLUMNS else pl.Categorical()


def engine_schema(table: str) -> dict[str, pl.DataType]:
    """Column name → engine type of the columns of ``table`` the engine reads (:data:`ENGINE_COLUMNS`)."""
    return {c: engine_dtype(table, c) for c in ENGINE_COLUMNS[table]}


def row_filters(years: Sequence[int]) -> dict[str, pl.Expr]:
    """For each table listed, the rows that can change a result for ``years``; no other row can.

    Only ``visits``, the largest table, read by one measure (LAC_VISITED_6W): a visit of TYPE
    ``LAC`` from 41 days before to the snapshot of a year asked for. The expression reads the
    columns as loaded (String or Categorical, Date) and is null for a blank, so a blank row is dropped.
    Tables cut this way (``read_tables(..., filters=row_filters(years))``) serve only those years.
    """
    windows = [
        pl.col("VISIT_DATE").is_between(dt.date(y + 1, 3, 31) - dt.timedelta(days=41), dt.date(y + 1, 3, 31))
        for y in sorted({int(y) for y in years})
    ]
    visits = (pl.col("TYPE") == "LAC") & pl.any_horizontal(windows) if windows else pl.lit(False)
    return {"visits": visits}


def ensure_tables(tables: Mapping[str, pl.DataFrame], years: Sequence[int] | None = None) -> dict[str, pl.DataFrame]:
    """Every schema table as the engine reads it: the :data:`ENGINE_COLUMNS`, of their :func:`engine_dtype`.

    A missing table is empty and a missing column blank. A frame already in that form (from
    :func:`diogel.dataset.io.read_tables`, or an earlier call) is used as it is, not copied.
    With ``years``, the rows of :func:`row_filters` only (kept before the cast, which is then cheaper).
    """
    filters = row_filters(years) if years is not None else {}
    out: dict[str, pl.DataFrame] = {}
    for name in TABLE_ORDER:
        schema = engine_schema(name)
        frame = tables.get(name)
        if frame is None:
            out[name] = pl.DataFrame(schema=schema)
            continue
        where = filters.get(name)
        if where is not None and set(where.meta.root_names()) <= set(frame.columns):
            frame, where = frame.filter(where), None  # before the cast, which then has fewer rows
        if frame.schema != schema:
            exprs = [
                (pl.col(c) if frame.schema[c] == dtype else pl.col(c).cast(dtype))
                if c in frame.columns
                else pl.lit(None, dtype=dtype).alias(c)
                for c, dtype in schema.items()
            ]
            frame = frame.select(exprs)
        out[name] = frame if where is None else frame.filter(where)
    return out


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """The data an evaluation works on: typed tables and the derived frames, each built once.

    ``years`` are the financial years asked for. ``explain`` is True when the
    units are wanted for ``--children`` (definitions then add the detail their
    reasons need, which a plain evaluation skips).
    """

    tables: Mapping[str, pl.DataFrame]
    years: Sequence[int]
    explain: bool = False
    _lazy: dict[str, pl.LazyFrame] = field(default_factory=dict)
    _memo: dict[str, pl.DataFrame] = field(default_factory=dict)

    def memo(self, name: str, build: Callable[[Context], pl.LazyFrame]) -> pl.LazyFrame:
        """A derived frame shared by several indicators, built (collected) once per evaluation."""
        if name not in self._memo:
            self._memo[name] = build(self).collect()
        return self._memo[name].lazy()

    def t(self, name: str) -> pl.LazyFrame:
        """The table ``name`` as a lazy frame."""
        if name not in self._lazy:
            self._lazy[name] = self.tables[name].lazy()
        return self._lazy[name]

    @cached_property
    def years_frame(self) -> pl.LazyFrame:
        return pl.LazyFrame({YEAR: list(self.years)}, schema={YEAR: pl.Int32})

    @cached_property
    def span(self) -> tuple[dt.date, dt.date]:
        """1 April of the first year asked for and the snapshot of the last one (1 April 1 – 31 March 2 if none)."""
        first, last = (min(self.years), max(self.years)) if self.years else (1, 1)
        return dt.date(first, 4, 1), dt.date(last + 1, 3, 31)

    def dated_in_span(self, date: pl.Expr) -> pl.Expr:
        """``date`` falls in :attr:`span`: a cheap filter on a raw table before ``YEAR`` is computed."""
        return date.is_between(*self.span, closed="both").fill_null(False)

    def open_in_span(self, start: pl.Expr, end: pl.Expr) -> pl.Expr:
        """A record open from ``start`` to ``end`` (blank: still open) may be open during :attr:`span`.

        ``start ≤ last snapshot`` and (``end`` blank or ``end > first 1 April``): a cheap
        pre-filter, true of every row that :func:`looked_after_on` a snapshot,
        :func:`overlaps_year` or is open on a date of a year asked for.
        """
        first, last = self.span
        return (start <= last).fill_null(False) & (end.is_null() | (end > first))

    def only_years(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Keep the rows whose ``YEAR`` is one of the years asked for."""
        return frame.filter(pl.col(YEAR).is_in(list(self.years)))

    def per_year(self, frame: pl.LazyFrame, open_from: str | None = None, open_to: str | None = None) -> pl.LazyFrame:
        """``frame`` repeated once per year asked for, with a ``YEAR`` column.

        With ``open_from`` and ``open_to`` (the columns a record is open between, a blank
        ``open_to`` meaning still open), a row is repeated only for the years asked for in which
        it can be open: from the year of ``open_from`` to the year of the day before
        ``open_to`` (none when ``open_from`` is blank). Every year at whose snapshot the
        row is open, or that it overlaps (:func:`looked_after_on`, :func:`overlaps_year`),
        is among them; the caller's filter still decides.
        """
        if open_from is None or open_to is None or not self.years:
            return frame.join(self.years_frame, how="cross")
        first, last = min(self.years), max(self.years)
        lo = pl.max_horizontal(fy(pl.col(open_from)), pl.lit(first, dtype=pl.Int32))
        day_before_end = pl.col(open_to) - pl.duration(days=1)
        hi = pl.min_horizontal(fy(day_before_end).fill_null(last), pl.lit(last, dtype=pl.Int32))
        return self.only_years(
            frame.filter(self.open_in_span(pl.col(open_from), pl.col(open_to)))  # cheap, before the years
            .with_columns(_LO=lo, _HI=hi)
            .filter(pl.col("_LO") <= pl.col("_HI"))
            .with_columns(pl.int_ranges("_LO", pl.col("_HI") + 1, dtype=pl.Int32).alias(YEAR))
            .explode(YEAR)
            .drop("_LO", "_HI")
        )

    @cached_property
    def episodes(self) -> pl.DataFrame:
        """Episodes without short breaks (LS V3/V4) or a blank DECOM, in (LA, CHILD, DECOM) order.

        Only the columns the measures read: LA, CHILD, DECOM, DEC, RNE, PLACE, PL_POST.
        """
        return (
            self.t("episodes")
            .filter(~pl.col("LS").is_in(sorted(SHORT_BREAK_LEGAL_STATUS)).fill_null(False))
            .filter(pl.col("DECOM").is_not_null())
            .select(LA, CHILD, "DECOM", "DEC", "RNE", "PLACE", "PL_POST")
            .sort([LA, CHILD, "DECOM"], maintain_order=True)
            .collect()
        )

    @cached_property
    def periods(self) -> pl.DataFrame:
        """Periods of care: LA, CHILD, PERIOD (a number, unique over all children), PERIOD_START, PERIOD_END (null if open).

        A period starts at an episode with RNE ``S``; each later episode that starts
        on the DEC of the one before (and is not itself RNE ``S``) continues it. Any
        other episode breaks the chain: the episodes from it up to the next ``S``
        belong to no period (this happens only when short breaks were removed).
        """
        # Episodes are sorted by (LA, CHILD, DECOM): comparing with the row before (no window
        # over string keys) marks the first episode of each chain; a running sum numbers chains.
        # A chain's end is the DEC of its last row (the row before the next chain's first row).
        same_child = (pl.col(LA) == pl.col(LA).shift(1)) & (pl.col(CHILD) == pl.col(CHILD).shift(1))
        continues = same_child & (pl.col("RNE") != "S") & (pl.col("DECOM") == pl.col("DEC").shift(1))
        row = pl.int_range(pl.len())
        last_row_of_chain = pl.when(pl.col("_FIRST").shift(-1).fill_null(True)).then(row).backward_fill()
        return (
            self.episodes.lazy()
            .with_columns(_FIRST=~continues.fill_null(False))
            .with_columns(_SEG=pl.col("_FIRST").cast(pl.Int32).cum_sum(), _END=pl.col("DEC").gather(last_row_of_chain))
            .filter(pl.col("_FIRST") & (pl.col("RNE") == "S"))
            .select(
                LA,
                CHILD,
                pl.col("_SEG").alias("PERIOD"),
                pl.col("DECOM").alias("PERIOD_START"),
                pl.col("_END").alias("PERIOD_END"),
            )
            .collect()
        )

    @cached_property
    def looked_after(self) -> pl.DataFrame:
        """(LA, CHILD, YEAR) for each child looked after at the snapshot of each year asked for."""
        return (
            self.per_year(self.episodes.lazy().select(LA, CHILD, "DECOM", "DEC"), "DECOM", "DEC")
            .filter(looked_after_on(snapshot()))
            .select(LA, CHILD, YEAR)
            .unique()
            .collect()
        )

    @cached_property
    def registered(self) -> pl.DataFrame:
        """(LA, CHILD, YEAR) for each child with a registration open at the snapshot of each year."""
        start, end = pl.col("START_DATE"), pl.col("END_DATE")
        return (
            self.per_year(
                self.t("cp_registrations").select(LA, CHILD, "START_DATE", "END_DATE"), "START_DATE", "END_DATE"
            )
            .filter((start <= snapshot()).fill_null(False) & (end.is_null() | (end > snapshot())))
            .select(LA, CHILD, YEAR)
            .unique()
            .collect()
        )

    @cached_property
    def placements(self) -> pl.DataFrame:
        """Placements counted in each year per child (*Counting placements*): LA, CHILD, YEAR, PLACEMENTS.

        With ``explain`` a column ``COUNTED`` lists the episodes counted ("2008-04-02 F1").
        """
        temp = pl.col("PLACE").is_in(sorted(TEMPORARY_PLACEMENT)).fill_null(False)
        group = [LA, CHILD, YEAR]
        eps = (
            self.per_year(self.episodes.lazy(), "DECOM", "DEC")
            .filter(overlaps_year(pl.col("DECOM"), pl.col("DEC")))
            .sort([*group, "DECOM"], maintain_order=True)
            .with_columns(_TEMP=temp)
        )
        # The rows are in (LA, CHILD, YEAR, DECOM) order; a group (a child's episodes in one year) is
        # compared row by row with no window over string keys: _NEW marks its first row, _FIRST is
        # that row's position. For each episode: the last non-temporary episode before it in the
        # group (_KEPT, by position, so that a blank PLACE or PL_POST of that episode is compared as
        # blank), whether the episode just before it was temporary, and whether it is the first
        # non-temporary one (_RANK = 1).
        row = pl.int_range(pl.len())
        new_group = (row == 0) | pl.any_horizontal(pl.col(c).ne_missing(pl.col(c).shift(1)) for c in group)
        eps = eps.with_columns(_NEW=new_group).with_columns(_FIRST=pl.when(pl.col("_NEW")).then(row).forward_fill())
        kept = ~pl.col("_TEMP")
        kept_so_far = kept.cast(pl.Int32).cum_sum()
        last_kept = pl.when(kept).then(row).when(pl.col("_NEW")).then(-1).forward_fill()  # -1: none yet
        eps = eps.with_columns(
            _PREV_TEMP=pl.when(~pl.col("_NEW")).then(pl.col("_TEMP").shift(1)).fill_null(False),
            _RANK=kept_so_far - pl.when(pl.col("_NEW")).then(kept_so_far - kept.cast(pl.Int32)).forward_fill(),
            _KEPT=pl.when(~pl.col("_NEW")).then(last_kept.shift(1)),
        )
        kept_row = pl.when(pl.col("_KEPT") >= 0).then(pl.col("_KEPT"))
        eps = eps.with_columns(
            _LAST_PLACE=pl.col("PLACE").gather(kept_row), _LAST_POST=pl.col("PL_POST").gather(kept_row)
        )
        differs = pl.col("PLACE").ne_missing(pl.col("_LAST_PLACE")) | pl.col("PL_POST").ne_missing(pl.col("_LAST_POST"))
        counts = (
            pl.when(pl.col("_TEMP"))
            .then(False)
            .when(pl.col("_RANK") == 1)
            .then(True)
            .otherwise(pl.col("RNE").is_in(["S", "P", "T"]).fill_null(False) & (~pl.col("_PREV_TEMP") | differs))
        )
        eps = eps.with_columns(_COUNTS=counts)
        aggs: list[pl.Expr] = [pl.col("_COUNTS").sum().cast(pl.Int64).alias("PLACEMENTS")]
        if self.explain:
            label = pl.concat_str(
                pl.col("DECOM").dt.to_string("%Y-%m-%d"), pl.lit(" "), pl.col("PLACE").cast(pl.String).fill_null("?")
            )
            aggs.append(label.filter(pl.col("_COUNTS")).str.join("; ").alias("COUNTED"))
        firsts = [pl.col(c).first() for c in group]
        return eps.group_by("_FIRST").agg(*firsts, *aggs).drop("_FIRST").collect()


def looked_after_on(d: pl.Expr) -> pl.Expr:
    """The episode row (DECOM, DEC) is open on ``d``: ``DECOM ≤ d`` and (DEC blank or ``DEC > d``)."""
    return (pl.col("DECOM") <= d).fill_null(False) & (pl.col("DEC").is_null() | (pl.col("DEC") > d))


def overlaps_year(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """``start ≤ snapshot`` and (``end`` blank or ``end > 1 April Y``), for the ``YEAR`` column."""
    return (start <= snapshot()).fill_null(False) & (end.is_null() | (end > year_start()))


# --------------------------------------------------------------------------- reviews due

ReviewRule = Callable[[pl.Expr, pl.Expr], pl.Expr]
"""``rule(held, k)``: the due date of review ``k + 1`` given review ``k`` (1-based) was held on ``held``."""


def reviews_due(
    containers: pl.LazyFrame,
    reviews: pl.LazyFrame,
    key: Sequence[str],
    first_due: pl.Expr,
    next_due: ReviewRule,
    *,
    until: dt.date | None = None,
) -> pl.LazyFrame:
    """The *Reviews due* units of every registration or period of care, for every year.

    ``containers`` has the columns of ``key`` plus ``CHILD``, ``OPEN_START`` and
    ``OPEN_END`` (the container is open on ``d`` when ``OPEN_START ≤ d`` and
    (``OPEN_END`` blank or ``OPEN_END > d``)); ``reviews`` has ``key`` and
    ``REVIEW_DATE``. ``first_due`` is an expression over the container's
    columns. Returns LA, CHILD, YEAR, NUM and the detail columns HELD (date held,
    null for a review due but not held by the snapshot) and DUE.

    Reviews held when the container is not open are dropped first. Review ``k``
    (1-based, in date order) is due on ``first_due`` for ``k = 1`` and on
    ``next_due(date of review k-1, k-1)`` after that; it is on time when held on
    or before that date. A review due in year Y that was not held by the
    snapshot of Y, while the container was open on the due date, is a unit of
    Y outside the numerator.

    With ``until`` (the last snapshot asked for), reviews held after it are left out first:
    they change no unit of a year ending by then (a review's number and due date depend on
    the reviews before it only; "not held by the snapshot" is as true of a review held after
    it as of none), only the LATER detail, which is then blank.
    """
    key = list(key)
    start, end = pl.col("OPEN_START"), pl.col("OPEN_END")

    def is_open(d: pl.Expr) -> pl.Expr:
        return (start <= d).fill_null(False) & (end.is_null() | (end > d))

    # _C numbers the containers (one number per value of ``key``): the reviews are sorted by
    # (_C, REVIEW_DATE) and compared with the row before and after, with no window over string keys.
    c = containers.with_columns(_FIRST_DUE=first_due, _C=pl.struct(_as_text(containers, key)).rank("dense"))
    same_before = (pl.col("_C") == pl.col("_C").shift(1)).fill_null(False)
    same_after = (pl.col("_C") == pl.col("_C").shift(-1)).fill_null(False)
    row = pl.int_range(pl.len())
    kept = pl.col("REVIEW_DATE").is_not_null()
    if until is not None:
        kept &= pl.col("REVIEW_DATE") <= until
    held = (
        reviews.filter(kept)
        .join(c, on=key, how="inner")
        .filter(is_open(pl.col("REVIEW_DATE")))
        .sort(["_C", "REVIEW_DATE"])
        .with_columns(
            _K=row - pl.when(~same_before).then(row).forward_fill() + 1,
            _PREV=pl.when(same_before).then(pl.col("REVIEW_DATE").shift(1)),
            _NEXT=pl.when(same_after).then(pl.col("REVIEW_DATE").shift(-1)),
        )
    )
    held = held.with_columns(
        DUE=pl.when(pl.col("_K") == 1).then(pl.col("_FIRST_DUE")).otherwise(next_due(pl.col("_PREV"), pl.col("_K") - 1))
    )
    held_units = held.select(
        LA,
        CHILD,
        fy(pl.col("REVIEW_DATE")).alias(YEAR),
        (pl.col("REVIEW_DATE") <= pl.col("DUE")).fill_null(False).alias("NUM"),
        pl.col("REVIEW_DATE").alias("HELD"),
        "DUE",
        pl.lit(None, dtype=pl.Date).alias("LATER"),
    )
    # Every due date: the first one (next review = the first held), and one after each review held.
    first_review = held.filter(pl.col("_K") == 1).select("_C", pl.col("REVIEW_DATE").alias("_NEXT"))
    due_first = c.join(first_review, on="_C", how="left").with_columns(DUE=pl.col("_FIRST_DUE"))
    due_later = held.with_columns(DUE=next_due(pl.col("REVIEW_DATE"), pl.col("_K")))
    dues = pl.concat([due_first.select(_due_cols(key)), due_later.select(_due_cols(key))], how="vertical")
    missed = (
        dues.filter(pl.col("DUE").is_not_null())
        .with_columns(fy(pl.col("DUE")).alias(YEAR))
        .filter(is_open(pl.col("DUE")))
        .filter(pl.col("_NEXT").is_null() | (pl.col("_NEXT") > snapshot()))
        .select(
            LA,
            CHILD,
            YEAR,
            pl.lit(False).alias("NUM"),
            pl.lit(None, dtype=pl.Date).alias("HELD"),
            "DUE",
            pl.col("_NEXT").alias("LATER"),
        )
    )
    return pl.concat([held_units, missed], how="vertical")


def _as_text(frame: pl.LazyFrame, columns: Sequence[str]) -> list[pl.Expr]:
    """The columns with each Categorical cast to String, to rank them by their text."""
    schema = frame.collect_schema()
    return [pl.col(c).cast(pl.String) if isinstance(schema[c], pl.Categorical) else pl.col(c) for c in columns]


def _due_cols(key: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*key, LA, CHILD, "OPEN_START", "OPEN_END", "DUE", "_NEXT"]))


def review_reason(row: Row) -> str:
    """Why a *Reviews due* unit is or is not in the numerator."""
    due, held, later = row["DUE"], row["HELD"], row.get("LATER")
    if held is None:
        after = f" (held late on {iso(later)})" if later is not None else ""
        return f"due {iso(due)}, not held by the snapshot{after}"
    verdict = "on time" if row["NUM"] else "late"
    return f"held {iso(held)}, due {iso(due)}: {verdict}"


def review_label(row: Row) -> str:
    return f"review {iso(row['HELD'])}" if row["HELD"] is not None else f"review due {iso(row['DUE'])}"


# --------------------------------------------------------------------------- explaining


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d is not None else "blank"


def flag(value: object) -> str:
    return "blank" if value is None else str(value)


def working_days_text(a: dt.date | None, b: dt.date | None) -> str:
    """``1 working day (5 May bank holiday)``: WD(a, b) and the bank holidays it skipped."""
    if a is None or b is None:
        return "cannot be counted (a date is blank)"
    if b < a:
        return "before the start"
    n = wd(a, b)
    skipped = sorted(d for d in bank_holidays(a.year, b.year) if a < d <= b)
    note = ""
    if skipped:
        names = ", ".join(f"{d.day} {d.strftime('%B')}" for d in skipped)
        note = f" ({names} bank holiday{'s' if len(skipped) > 1 else ''})"
    return f"{n} working day{'' if n == 1 else 's'}{note}"


# --------------------------------------------------------------------------- declarative units

UnitsFn = Callable[[Context], pl.LazyFrame]
Prepare = Callable[[Context, pl.LazyFrame], pl.LazyFrame]


def within(a: str, b: str, n: int) -> pl.Expr:
    """Column ``b`` within ``n`` working days of column ``a`` (False when either is blank)."""
    return fast_within(pl.col(a), pl.col(b), n)


def table_units(
    table: str,
    date: str | None = None,
    *,
    year: pl.Expr | None = None,
    where: pl.Expr | None = None,
    num: pl.Expr,
    value: pl.Expr | None = None,
    prepare: Prepare | None = None,
) -> UnitsFn:
    """Units that are rows of ``table``, declared rather than programmed.

    A row is a unit of year Y when ``date`` falls in Y (or ``year`` equals Y)
    and ``where`` holds; it is in the numerator when ``num`` holds (blank
    counts as not). ``value`` is the amount averaged, for averages. ``prepare``
    may add columns first (a joined date, an earlier record …); it receives the
    rows already restricted to the years asked for, with ``YEAR`` set.
    """
    if (date is None) == (year is None):
        raise ValueError("give exactly one of date= and year=")
    year_expr = fy(pl.col(date)) if date is not None else year

    def units(ctx: Context) -> pl.LazyFrame:
        assert year_expr is not None
        frame = ctx.t(table)
        if date is not None:
            frame = frame.filter(ctx.dated_in_span(pl.col(date)))
        if where is not None:
            frame = frame.filter(where.fill_null(False))
        frame = ctx.only_years(frame.with_columns(year_expr.cast(pl.Int32).alias(YEAR)))
        if prepare is not None:
            frame = prepare(ctx, frame)
        extra = [value.alias("VAL")] if value is not None else []
        frame = frame.with_columns(num.fill_null(False).alias("NUM"), *extra)
        if CHILD not in frame.collect_schema().names():
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(CHILD))
        return frame

    return units


# --------------------------------------------------------------------------- fast working days
#
# The same rules as diogel.workdays.wd_expr / within_working_days_expr / nth_working_day_after_expr
# (and built from its table, WORKDAY_INDEX), but as a gather into that table instead of polars'
# business-day functions with a 1,300-date holiday list: several times faster on millions of rows.
# tests/indicators/test_engine.py checks they agree with diogel.workdays on every day of 2000-2020.


def _day(d: pl.Expr) -> pl.Expr:
    """Position of a date in WORKDAY_INDEX; null outside the table's range."""
    from diogel.workdays import WORKDAY_INDEX, WORKDAY_INDEX_FIRST_DAY

    pos = d.cast(pl.Int32) - WORKDAY_INDEX_FIRST_DAY
    return pl.when((pos >= 0) & (pos < len(WORKDAY_INDEX))).then(pos)


def _index_series() -> pl.Series:
    from diogel.workdays import WORKDAY_INDEX

    return pl.Series("WI", WORKDAY_INDEX, dtype=pl.Int32)


def fast_wd(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``WD(a, b)`` (Int32); null when either date is null or outside the working-day table."""
    table = pl.lit(_index_series())
    return table.gather(_day(b)) - table.gather(_day(a))


def fast_within(a: pl.Expr, b: pl.Expr, n: int) -> pl.Expr:
    """``b ≥ a`` and ``WD(a, b) ≤ n``; False when either is blank."""
    return ((b >= a) & (fast_wd(a, b) <= n)).fill_null(False)


def fast_nth_working_day_after(a: pl.Expr, n: int) -> pl.Expr:
    """The working day ``d`` with ``WD(a, d) = n``; null when out of range."""
    from diogel.workdays import WORKDAY_DAYS

    days = pl.lit(pl.Series("WD", WORKDAY_DAYS, dtype=pl.Int32))
    k = pl.lit(_index_series()).gather(_day(a)) - 1 + n
    k = pl.when((k >= 0) & (k < len(WORKDAY_DAYS))).then(k)
    return days.gather(k).cast(pl.Date)
