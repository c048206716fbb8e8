"""Working days and calendar months: the *Common rules* of ``indicators.md``.

A **working day** is Monday to Friday and not an England-and-Wales bank holiday
(Welsh bank holidays are the England-and-Wales ones). ``WD(a, b)`` is the number
of working days ``d`` with ``a < d <= b`` (and ``-WD(b, a)`` when ``b < a``).
"b within N working days of a" means ``b >= a`` and ``WD(a, b) <= N``. "The Nth
working day after a" is the working day ``d`` with ``WD(a, d) == N``. ``a + k
months`` is the same day number k calendar months later, clamped to the last day
of that month.

Three forms of the same rules are offered:

* scalar functions on :class:`datetime.date` (``wd``, ``is_working_day`` …), O(1)
  through a precomputed table, for code that calls them millions of times;
* polars expressions over ``Date`` columns (``wd_expr`` …), nulls propagating;
* numpy helpers over arrays of days since 1970-01-01 or ``datetime64[D]``
  (``wd_days`` …) and the table itself, :data:`WORKDAY_INDEX`.

The table covers :data:`FIRST_DATE` (1900-01-01) to :data:`LAST_DATE`
(2100-12-31). Scalar and numpy forms raise :class:`ValueError` for a date
outside it; the polars forms give null there instead (except where the answer
does not depend on holidays: ``within_working_days_expr`` is False when
``b < a``, and ``add_months_expr`` works for any date).
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "WORKDAY_DAYS",
    "WORKDAY_INDEX",
    "WORKDAY_INDEX_FIRST_DAY",
    "add_months",
    "add_months_expr",
    "bank_holidays",
    "is_working_day",
    "is_working_day_days",
    "nth_working_day_after",
    "nth_working_day_after_days",
    "nth_working_day_after_expr",
    "wd",
    "wd_days",
    "wd_expr",
    "within_working_days",
    "within_working_days_expr",
]

#: First and last dates of the precomputed table (the supported range).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_FIRST_ORDINAL = FIRST_DATE.toordinal()
_SIZE = LAST_DATE.toordinal() - _FIRST_ORDINAL + 1


@lru_cache(maxsize=32)
def bank_holidays(first_year: int = 1990, last_year: int = 2040) -> frozenset[date]:
    """England-and-Wales bank holidays in the years ``first_year`` to ``last_year`` inclusive.

    Taken from the ``holidays`` package (country GB, subdivision England), so it
    includes one-off days (1999-12-31, 2002-06-03, 2011-04-29, 2012-06-05,
    2022-06-03, 2022-09-19, 2023-05-08), substitute days and moved days
    (spring bank holiday 2002-06-04 and 2012-06-04, early May 1995-05-08 and
    2020-05-08). Only days that are actually off work are included: a nominal
    holiday on a Saturday or Sunday (Christmas Day 2010) is not, its substitute
    Monday or Tuesday is.
    """
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    calendar_ = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(d for d in calendar_ if d.weekday() < 5)


def _build_table() -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Cumulative working-day counts over the supported range, and the working days themselves."""
    days = np.arange(_SIZE, dtype=np.int64) + (_FIRST_ORDINAL - _EPOCH_ORDINAL)
    # 1970-01-01 was a Thursday: (epoch day + 3) % 7 gives Monday = 0 … Sunday = 6.
    working = (days + 3) % 7 < 5
    holiday_days = np.array(
        sorted(d.toordinal() - _EPOCH_ORDINAL for d in bank_holidays(FIRST_DATE.year, LAST_DATE.year)),
        dtype=np.int64,
    )
    working[holiday_days - days[0]] = False
    index = np.cumsum(working, dtype=np.int32)
    index.flags.writeable = False
    workdays = days[working].astype(np.int32)
    workdays.flags.writeable = False
    return index, workdays


#: ``WORKDAY_INDEX[i]`` is the number of working days in ``[FIRST_DATE, FIRST_DATE + i days]``,
#: so ``WD(a, b) = WORKDAY_INDEX[b - FIRST_DATE] - WORKDAY_INDEX[a - FIRST_DATE]`` (in days).
#: ``WORKDAY_DAYS`` lists every working day of the range, ascending, as days since 1970-01-01.
WORKDAY_INDEX, WORKDAY_DAYS = _build_table()
#: ``FIRST_DATE`` as days since 1970-01-01 (the unit of polars ``Date`` and numpy ``datetime64[D]``).
WORKDAY_INDEX_FIRST_DAY = _FIRST_ORDINAL - _EPOCH_ORDINAL

# Plain Python lists: indexing them is several times faster than indexing numpy arrays.
_CUM: list[int] = WORKDAY_INDEX.tolist()
_WORKDAY_ORDINALS: list[int] = (WORKDAY_DAYS.astype(np.int64) + _EPOCH_ORDINAL).tolist()


def _out_of_range(d: date) -> ValueError:
    return ValueError(
        f"date {d.isoformat()} is outside {FIRST_DATE.isoformat()}–{LAST_DATE.isoformat()}, the range of working-day arithmetic"
    )


def _position(d: date) -> int:
    i = d.toordinal() - _FIRST_ORDINAL
    if 0 <= i < _SIZE:
        return i
    raise _out_of_range(d)


# --------------------------------------------------------------------- scalars


def is_working_day(d: date) -> bool:
    """True when ``d`` is Monday to Friday and not an England-and-Wales bank holiday."""
    i = _position(d)
    return _CUM[i] != (_CUM[i - 1] if i else 0)


def wd(a: date, b: date) -> int:
    """``WD(a, b)``: the number of working days ``d`` with ``a < d <= b``; ``-WD(b, a)`` when ``b < a``."""
    return _CUM[_position(b)] - _CUM[_position(a)]


def within_working_days(a: date, b: date, n: int) -> bool:
    """True when ``b >= a`` and ``WD(a, b) <= n`` ("b within n working days of a")."""
    if b < a:
        return False
    return _CUM[_position(b)] - _CUM[_position(a)] <= n


def nth_working_day_after(a: date, n: int) -> date:
    """The working day ``d`` with ``WD(a, d) == n``.

    Defined for every integer ``n``: ``n = 0`` gives the last working day on or
    before ``a`` (``a`` itself when it is a working day), negative ``n`` counts back.
    """
    k = _CUM[_position(a)] - 1 + n
    if 0 <= k < len(_WORKDAY_ORDINALS):
        return date.fromordinal(_WORKDAY_ORDINALS[k])
    raise ValueError(
        f"the working day {n} after {a.isoformat()} is outside {FIRST_DATE.isoformat()}–{LAST_DATE.isoformat()}"
    )


def add_months(d: date, k: int) -> date:
    """``d + k months``: the same day number k calendar months later (k may be negative), clamped to month end."""
    months = d.year * 12 + (d.month - 1) + k
    year, month0 = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"{d.isoformat()} + {k} months is outside the calendar")
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


# ------------------------------------------------------------------ polars


@lru_cache(maxsize=1)
def _holiday_list() -> list[date]:
    return sorted(bank_holidays(FIRST_DATE.year, LAST_DATE.year))


def _in_range(e: pl.Expr) -> pl.Expr:
    return e.is_between(pl.lit(FIRST_DATE), pl.lit(LAST_DATE))


def wd_expr(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``WD(a, b)`` over ``Date`` expressions (Int32); null when either is null or outside the supported range."""
    # polars' business_day_count counts start <= d < end; shifting both ends by one day gives a < d <= b.
    # Only its forward (start <= end) meaning is relied on; b < a is computed as -WD(b, a).
    holidays_ = _holiday_list()
    a1 = a.dt.offset_by("1d")
    b1 = b.dt.offset_by("1d")
    both = _in_range(a) & _in_range(b)
    return (
        pl.when(both & (b >= a))
        .then(pl.business_day_count(a1, b1, holidays=holidays_))
        .when(both)
        .then(-pl.business_day_count(b1, a1, holidays=holidays_))
    )


def within_working_days_expr(a: pl.Expr, b: pl.Expr, n: int) -> pl.Expr:
    """Boolean: ``b >= a`` and ``WD(a, b) <= n``; null when ``a`` or ``b`` is null (False when ``b < a``)."""
    return (b >= a) & (wd_expr(a, b) <= n)


def nth_working_day_after_expr(a: pl.Expr, n: int) -> pl.Expr:
    """The working day ``d`` with ``WD(a, d) == n`` (as :func:`nth_working_day_after`); null when out of range."""
    # Rolling a non-working day back to the last working day before it, then adding n
    # working days, is exactly the table rule WORKDAYS[index(a) - 1 + n].
    result = a.dt.add_business_days(n, holidays=_holiday_list(), roll="backward")
    return pl.when(_in_range(a) & _in_range(result)).then(result)


def add_months_expr(d: pl.Expr, k: int) -> pl.Expr:
    """``d + k months`` over a ``Date`` expression, clamped to month end (polars ``offset_by`` clamps)."""
    return d.dt.offset_by(f"{int(k)}mo")


# ------------------------------------------------------------------- numpy

DayArray = npt.NDArray[np.int64] | npt.NDArray[np.datetime64]


def _to_positions(days: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], bool]:
    """Positions in the table of an array of epoch days or ``datetime64``; also whether it was ``datetime64``."""
    arr = np.asarray(days)
    is_datetime = arr.dtype.kind == "M"
    epoch = arr.astype("datetime64[D]").astype(np.int64) if is_datetime else arr.astype(np.int64)
    pos = epoch - WORKDAY_INDEX_FIRST_DAY
    if pos.size and (pos.min() < 0 or pos.max() >= _SIZE):
        raise ValueError(
            f"dates outside {FIRST_DATE.isoformat()}–{LAST_DATE.isoformat()}, the range of working-day arithmetic"
        )
    return pos, is_datetime


def is_working_day_days(days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Element-wise :func:`is_working_day` over epoch days (days since 1970-01-01) or ``datetime64``."""
    pos, _ = _to_positions(days)
    previous = np.where(pos > 0, WORKDAY_INDEX[np.maximum(pos - 1, 0)], 0)
    return np.asarray(WORKDAY_INDEX[pos] != previous)


def wd_days(a: npt.ArrayLike, b: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Element-wise ``WD(a, b)`` over epoch days or ``datetime64`` (broadcasting as numpy does)."""
    pa, _ = _to_positions(a)
    pb, _ = _to_positions(b)
    return WORKDAY_INDEX[pb].astype(np.int64) - WORKDAY_INDEX[pa]


def nth_working_day_after_days(a: npt.ArrayLike, n: npt.ArrayLike) -> DayArray:
    """Element-wise :func:`nth_working_day_after`; epoch days in, epoch days out (``datetime64[D]`` in, out)."""
    pa, is_datetime = _to_positions(a)
    k = WORKDAY_INDEX[pa].astype(np.int64) - 1 + np.asarray(n, dtype=np.int64)
    if k.size and (k.min() < 0 or k.max() >= WORKDAY_DAYS.size):
        raise ValueError(f"a result falls outside {FIRST_DATE.isoformat()}–{LAST_DATE.isoformat()}")
    out = WORKDAY_DAYS[k].astype(np.int64)
    return out.astype("datetime64[D]") if is_datetime else out
