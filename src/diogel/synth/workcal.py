"""Working days as plain integers, for the generator's inner loops.

The generator works with dates as day numbers (days since 1970-01-01) so that a
whole Wales is simulated with integer arithmetic. This module turns the
working-day rules of ``indicators.md`` (Monday to Friday, not an England-and-Wales
bank holiday) into two lookup lists built once per process:

* ``cum[d - FIRST]`` — the number of working days ``<= d``, so
  ``WD(a, b) = cum[b] - cum[a]`` (working days ``d`` with ``a < d <= b``);
* ``workdays[k]`` — the ``(k+1)``-th working day, so the Nth working day after
  ``a`` is ``workdays[cum[a] + n - 1]``.

Bank holidays come from :func:`diogel.workdays.bank_holidays` (the project's one definition).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from functools import cache

import numpy as np

EPOCH = dt.date(1970, 1, 1)
FIRST_YEAR = 1975
LAST_YEAR = 2040
FIRST = (dt.date(FIRST_YEAR, 1, 1) - EPOCH).days
LAST = (dt.date(LAST_YEAR, 12, 31) - EPOCH).days


def day(d: dt.date) -> int:
    """The day number of a date."""
    return (d - EPOCH).days


def ymd(y: int, m: int, d: int) -> int:
    """The day number of year ``y``, month ``m``, day ``d``."""
    return (dt.date(y, m, d) - EPOCH).days


def date_of(n: int) -> dt.date:
    """The date of a day number."""
    return EPOCH + dt.timedelta(days=n)


class Calendar:
    """Working-day arithmetic on day numbers between 1975 and 2040."""

    def __init__(self, working: np.ndarray) -> None:
        cum = np.cumsum(working.astype(np.int64))
        self.working: list[bool] = working.tolist()
        self.cum: list[int] = cum.tolist()
        self.workdays: list[int] = (np.flatnonzero(working) + FIRST).tolist()

    def is_working(self, d: int) -> bool:
        return self.working[d - FIRST]

    def wd(self, a: int, b: int) -> int:
        """Working days ``x`` with ``a < x <= b`` (negative when ``b < a``)."""
        return self.cum[b - FIRST] - self.cum[a - FIRST]

    def nth_after(self, a: int, n: int) -> int:
        """The Nth working day after ``a`` (n >= 1); ``a`` itself when n is 0 and it is a working day."""
        if n <= 0:
            return a if self.working[a - FIRST] else self.workdays[self.cum[a - FIRST]]
        return self.workdays[self.cum[a - FIRST] + n - 1]

    def next_working(self, a: int) -> int:
        """``a`` if it is a working day, else the first working day after it."""
        return self.nth_after(a, 0)


def financial_year(d: int) -> int:
    """The financial year (1 April Y to 31 March Y+1) of a day number."""
    date = date_of(d)
    return date.year if date.month >= 4 else date.year - 1


@cache
def add_months(d: int, k: int) -> int:
    """``d + k`` months, clamped to the end of the month (indicators.md, Common rules)."""
    date = date_of(d)
    m0 = date.month - 1 + k
    y, m = date.year + m0 // 12, m0 % 12 + 1
    return day(dt.date(y, m, min(date.day, monthrange(y, m)[1])))


def _working_mask() -> np.ndarray:
    days = np.arange(FIRST, LAST + 1)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday: (0 + 3) % 7 == 3 == Thursday (Mon = 0)
    mask = weekday < 5
    for h in _bank_holidays():
        n = day(h) - FIRST
        if 0 <= n < mask.size:
            mask[n] = False
    return mask


def _bank_holidays() -> list[dt.date]:
    from diogel.workdays import bank_holidays

    return sorted(bank_holidays(FIRST_YEAR, LAST_YEAR))


@cache
def calendar() -> Calendar:
    """The process-wide calendar (built once, about 24,000 days)."""
    return Calendar(_working_mask())
