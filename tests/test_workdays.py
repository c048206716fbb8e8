"""Tests of ``diogel.workdays``: the working-day and month rules of ``indicators.md`` (Common rules).

Expected values are worked out by hand from the calendar; the reasoning is in the
comments. The bank holidays 2005–2015 are written out by hand (from the
published England-and-Wales lists), not taken from the ``holidays`` package.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diogel import workdays as w
from diogel.workdays import (
    add_months,
    add_months_expr,
    bank_holidays,
    is_working_day,
    nth_working_day_after,
    nth_working_day_after_expr,
    wd,
    wd_expr,
    within_working_days,
    within_working_days_expr,
)

D = date

# England-and-Wales bank holidays 2005–2015, by hand. Where the nominal day is a
# weekend, only the substitute weekday is listed (that is the day off work).
HAND_HOLIDAYS_2005_2015: frozenset[date] = frozenset(
    {
        # 2005: 1 Jan Sat -> Mon 3 Jan; Easter Sunday 27 Mar; 25 Dec Sun -> Tue 27 Dec, Boxing Day Mon 26.
        D(2005, 1, 3), D(2005, 3, 25), D(2005, 3, 28), D(2005, 5, 2), D(2005, 5, 30), D(2005, 8, 29),
        D(2005, 12, 26), D(2005, 12, 27),
        # 2006: 1 Jan Sun -> Mon 2 Jan; Easter 16 Apr; Christmas Mon, Boxing Day Tue.
        D(2006, 1, 2), D(2006, 4, 14), D(2006, 4, 17), D(2006, 5, 1), D(2006, 5, 29), D(2006, 8, 28),
        D(2006, 12, 25), D(2006, 12, 26),
        # 2007: Easter 8 Apr.
        D(2007, 1, 1), D(2007, 4, 6), D(2007, 4, 9), D(2007, 5, 7), D(2007, 5, 28), D(2007, 8, 27),
        D(2007, 12, 25), D(2007, 12, 26),
        # 2008 (leap year): Easter 23 Mar.
        D(2008, 1, 1), D(2008, 3, 21), D(2008, 3, 24), D(2008, 5, 5), D(2008, 5, 26), D(2008, 8, 25),
        D(2008, 12, 25), D(2008, 12, 26),
        # 2009: Easter 12 Apr; Boxing Day Sat -> Mon 28 Dec.
        D(2009, 1, 1), D(2009, 4, 10), D(2009, 4, 13), D(2009, 5, 4), D(2009, 5, 25), D(2009, 8, 31),
        D(2009, 12, 25), D(2009, 12, 28),
        # 2010: New Year Fri 1 Jan; Easter 4 Apr; Christmas Sat and Boxing Day Sun -> Mon 27, Tue 28.
        D(2010, 1, 1), D(2010, 4, 2), D(2010, 4, 5), D(2010, 5, 3), D(2010, 5, 31), D(2010, 8, 30),
        D(2010, 12, 27), D(2010, 12, 28),
        # 2011: 1 Jan Sat -> Mon 3 Jan; Easter 24 Apr; royal wedding Fri 29 Apr; early May Mon 2 May;
        # Christmas Sun -> Tue 27, Boxing Day Mon 26.
        D(2011, 1, 3), D(2011, 4, 22), D(2011, 4, 25), D(2011, 4, 29), D(2011, 5, 2), D(2011, 5, 30),
        D(2011, 8, 29), D(2011, 12, 26), D(2011, 12, 27),
        # 2012 (leap year): 1 Jan Sun -> Mon 2 Jan; Easter 8 Apr; spring bank holiday moved to Mon 4 Jun,
        # Diamond Jubilee Tue 5 Jun.
        D(2012, 1, 2), D(2012, 4, 6), D(2012, 4, 9), D(2012, 5, 7), D(2012, 6, 4), D(2012, 6, 5),
        D(2012, 8, 27), D(2012, 12, 25), D(2012, 12, 26),
        # 2013: Easter 31 Mar.
        D(2013, 1, 1), D(2013, 3, 29), D(2013, 4, 1), D(2013, 5, 6), D(2013, 5, 27), D(2013, 8, 26),
        D(2013, 12, 25), D(2013, 12, 26),
        # 2014: Easter 20 Apr.
        D(2014, 1, 1), D(2014, 4, 18), D(2014, 4, 21), D(2014, 5, 5), D(2014, 5, 26), D(2014, 8, 25),
        D(2014, 12, 25), D(2014, 12, 26),
        # 2015: Easter 5 Apr; Boxing Day Sat -> Mon 28 Dec.
        D(2015, 1, 1), D(2015, 4, 3), D(2015, 4, 6), D(2015, 5, 4), D(2015, 5, 25), D(2015, 8, 31),
        D(2015, 12, 25), D(2015, 12, 28),
    }
)  # fmt: skip


def naive_is_working_day(d: date) -> bool:
    """Independent reference for 2005–2015: weekday and not in the hand-written list."""
    assert D(2005, 1, 1) <= d <= D(2015, 12, 31)
    return d.weekday() < 5 and d not in HAND_HOLIDAYS_2005_2015


def naive_wd(a: date, b: date) -> int:
    """Independent reference: count day by day, a < d <= b (negated when b < a)."""
    if b < a:
        return -naive_wd(b, a)
    return sum(naive_is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


# ------------------------------------------------------------ bank holidays


def test_bank_holidays_2005_2015_match_the_hand_written_list() -> None:
    # 8 a year, plus the royal wedding (2011) and the Diamond Jubilee (2012): 11 * 8 + 2 = 90.
    assert len(HAND_HOLIDAYS_2005_2015) == 90
    got = bank_holidays(2005, 2015)
    assert sorted(got - HAND_HOLIDAYS_2005_2015) == []
    assert sorted(HAND_HOLIDAYS_2005_2015 - got) == []


def test_default_range_includes_one_offs_and_moved_days() -> None:
    got = bank_holidays()
    one_offs = {
        D(1999, 12, 31),  # millennium
        D(2002, 6, 3),  # Golden Jubilee (spring bank holiday moved to Tue 4 June)
        D(2002, 6, 4),
        D(2011, 4, 29),  # royal wedding
        D(2012, 6, 4),  # spring bank holiday moved from Mon 28 May
        D(2012, 6, 5),  # Diamond Jubilee
        D(2020, 5, 8),  # early May moved to Friday, VE day 75
        D(2022, 6, 2),  # spring bank holiday moved to Thursday
        D(2022, 6, 3),  # Platinum Jubilee
        D(2022, 9, 19),  # state funeral
        D(2023, 5, 8),  # coronation
    }
    assert one_offs <= got
    # The days those moved holidays would normally have fallen on are ordinary working days.
    for normal in (D(2002, 5, 27), D(2012, 5, 28), D(2020, 5, 4), D(2022, 5, 30)):
        assert normal not in got
        assert is_working_day(normal)
    assert min(got).year == 1990 and max(got).year == 2040


def test_bank_holidays_are_weekdays_only() -> None:
    # Christmas 2010 fell on a Saturday: the day off was Monday 27 December, not the 25th.
    assert D(2010, 12, 25) not in bank_holidays(2010, 2010)
    assert all(d.weekday() < 5 for d in bank_holidays(1990, 2040))


def test_wales_and_england_have_the_same_holidays() -> None:
    import holidays

    wales = holidays.country_holidays("GB", subdiv="WLS", years=range(1990, 2041))
    assert frozenset(d for d in wales if d.weekday() < 5) == bank_holidays(1990, 2040)


def test_bank_holidays_rejects_reversed_years() -> None:
    with pytest.raises(ValueError, match="after"):
        bank_holidays(2010, 2009)


# ------------------------------------------------------------ working days


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2009, 5, 22), True),  # Friday
        (D(2009, 5, 23), False),  # Saturday
        (D(2009, 5, 24), False),  # Sunday
        (D(2009, 5, 25), False),  # spring bank holiday Monday
        (D(2009, 5, 26), True),  # Tuesday
        (D(2011, 4, 29), False),  # royal wedding, a Friday
        (D(2012, 6, 5), False),  # Diamond Jubilee, a Tuesday
        (D(2012, 5, 28), True),  # the spring bank holiday that moved to 4 June
        (D(2008, 2, 29), True),  # leap day, a Friday
        (D(2012, 2, 29), True),  # leap day, a Wednesday
        (D(2010, 12, 27), False),  # substitute for Christmas on Saturday
        (D(2010, 12, 29), True),
    ],
)
def test_is_working_day(d: date, expected: bool) -> None:
    assert is_working_day(d) is expected


def test_every_day_2005_2015_agrees_with_the_hand_list() -> None:
    d = D(2005, 1, 1)
    while d <= D(2015, 12, 31):
        assert is_working_day(d) == naive_is_working_day(d), d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Friday before the spring bank holiday Monday 25 May 2009: Sat, Sun, Mon (holiday) do not count.
        (D(2009, 5, 22), D(2009, 5, 25), 0),
        (D(2009, 5, 22), D(2009, 5, 26), 1),  # Tuesday is the first working day after
        (D(2009, 5, 23), D(2009, 5, 26), 1),  # from the Saturday: still only Tuesday
        # Easter 2011: Thu 21 Apr to Tue 3 May. Not counted: 22 (Good Friday), 23-24, 25 (Easter Monday),
        # 29 (royal wedding), 30 Apr-1 May, 2 May (early May). Counted: 26, 27, 28 Apr and 3 May = 4.
        (D(2011, 4, 21), D(2011, 5, 3), 4),
        # Christmas and New Year 2010-11: Fri 24 Dec to Tue 4 Jan. Not counted: 25-26 weekend, 27-28
        # substitutes, 1-2 Jan weekend, 3 Jan substitute. Counted: 29, 30, 31 Dec and 4 Jan = 4.
        (D(2010, 12, 24), D(2011, 1, 4), 4),
        # Christmas 2015: Thu 24 Dec to Tue 29 Dec: 25 (Fri, holiday), 26-27 weekend, 28 (Boxing Day
        # substitute); only Tue 29 counts.
        (D(2015, 12, 24), D(2015, 12, 29), 1),
        # Leap day 2008 (Fri): Thu 28 Feb to Mon 3 Mar = Fri 29, Mon 3 = 2.
        (D(2008, 2, 28), D(2008, 3, 3), 2),
        # Leap day 2012 (Wed): Mon 27 Feb to Thu 1 Mar = Tue 28, Wed 29, Thu 1 = 3.
        (D(2012, 2, 27), D(2012, 3, 1), 3),
        # Without a leap day: Mon 28 Feb 2011 to Tue 1 Mar 2011 = 1.
        (D(2011, 2, 28), D(2011, 3, 1), 1),
        # a == b is 0, whether or not a is a working day.
        (D(2009, 5, 26), D(2009, 5, 26), 0),
        (D(2009, 5, 25), D(2009, 5, 25), 0),
        # b < a: -WD(b, a).
        (D(2011, 5, 3), D(2011, 4, 21), -4),
        (D(2009, 5, 26), D(2009, 5, 22), -1),
        # Financial year 2008-09 (1 Apr 2008 Tue .. 31 Mar 2009 Tue, 365 days): 52 weeks give 260 weekdays,
        # plus Tue 31 Mar = 261; minus the weekday holidays in it: 5 May, 26 May, 25 Aug, 25 Dec, 26 Dec,
        # 1 Jan (Easter 2008 was in March, Easter 2009 in April) = 255.
        (D(2008, 3, 31), D(2009, 3, 31), 255),
    ],
)
def test_wd_hand_worked(a: date, b: date, expected: int) -> None:
    assert wd(a, b) == expected
    assert naive_wd(a, b) == expected  # the reference agrees, so the hand working is checked twice


@pytest.mark.parametrize(
    ("a", "b", "n", "expected"),
    [
        # Referral Fri 22 May 2009, decision Tue 26 May: WD = 1 (see above), so within 1 working day.
        (D(2009, 5, 22), D(2009, 5, 26), 1, True),
        # Decision Wed 27 May: WD = 2, not within 1.
        (D(2009, 5, 22), D(2009, 5, 27), 1, False),
        # Same day: WD = 0 <= 0.
        (D(2009, 5, 22), D(2009, 5, 22), 0, True),
        # Easter 2011: WD = 4, the boundary is inclusive.
        (D(2011, 4, 21), D(2011, 5, 3), 4, True),
        (D(2011, 4, 21), D(2011, 5, 3), 3, False),
        # b < a is never "within", even though WD(a, b) = -4 <= 0.
        (D(2011, 5, 3), D(2011, 4, 21), 0, False),
        (D(2011, 5, 3), D(2011, 4, 21), 100, False),
        # One day before, across a weekend: WD = -1 but b < a, so False.
        (D(2009, 5, 26), D(2009, 5, 25), 5, False),
    ],
)
def test_within_working_days(a: date, b: date, n: int, expected: bool) -> None:
    assert within_working_days(a, b, n) is expected


@pytest.mark.parametrize(
    ("a", "n", "expected"),
    [
        (D(2011, 1, 8), 1, D(2011, 1, 10)),  # from Saturday: the Monday
        (D(2011, 1, 9), 1, D(2011, 1, 10)),  # from Sunday: the Monday
        (D(2011, 1, 7), 1, D(2011, 1, 10)),  # from Friday: the Monday
        (D(2011, 5, 2), 1, D(2011, 5, 3)),  # from the early May bank holiday: Tuesday
        (D(2011, 4, 22), 1, D(2011, 4, 26)),  # from Good Friday: skip the weekend and Easter Monday
        (D(2011, 4, 21), 4, D(2011, 5, 3)),  # the Easter 2011 span above, WD = 4
        # 20th working day after Mon 20 Dec 2010: 21,22,23,24 Dec (1-4); 27,28 holidays; 29,30,31 (5-7);
        # 3 Jan holiday; 4-7 Jan (8-11); 10-14 Jan (12-16); 17,18,19,20 Jan (17-20).
        (D(2010, 12, 20), 20, D(2011, 1, 20)),
        # 20th working day after Fri 24 Dec 2010: 29,30,31 (1-3); 4-7 (4-7); 10-14 (8-12); 17-21 (13-17);
        # 24, 25, 26 Jan (18-20).
        (D(2010, 12, 24), 20, D(2011, 1, 26)),
        # n = 0: the last working day on or before a.
        (D(2011, 1, 10), 0, D(2011, 1, 10)),
        (D(2011, 1, 8), 0, D(2011, 1, 7)),
        # n = -1 from Tue 4 Jan 2011: WD(4 Jan, d) = -1 means one working day (4 Jan) in (d, 4 Jan],
        # so d is the working day before it: Fri 31 Dec 2010 (3 Jan, 1-2 Jan are not working days).
        (D(2011, 1, 4), -1, D(2010, 12, 31)),
    ],
)
def test_nth_working_day_after(a: date, n: int, expected: date) -> None:
    got = nth_working_day_after(a, n)
    assert got == expected
    # The defining property: a working day at WD n from a.
    assert is_working_day(got)
    assert wd(a, got) == n


@pytest.mark.parametrize(
    ("d", "k", "expected"),
    [
        (D(2009, 1, 31), 1, D(2009, 2, 28)),  # clamped: February 2009 has 28 days
        (D(2008, 1, 31), 1, D(2008, 2, 29)),  # leap year
        (D(2008, 2, 29), 12, D(2009, 2, 28)),  # no 29 February 2009
        (D(2008, 2, 29), 48, D(2012, 2, 29)),  # four years on there is one
        (D(2008, 2, 29), 1, D(2008, 3, 29)),  # the same day number, not the month end
        (D(2008, 3, 31), -1, D(2008, 2, 29)),  # negative k, clamped
        (D(2008, 5, 31), -3, D(2008, 2, 29)),
        (D(2012, 2, 29), -12, D(2011, 2, 28)),
        (D(2008, 8, 31), 1, D(2008, 9, 30)),  # 30-day month
        (D(2009, 12, 15), 1, D(2010, 1, 15)),  # across a year end
        (D(2010, 1, 15), -1, D(2009, 12, 15)),
        (D(2009, 11, 30), 3, D(2010, 2, 28)),
        (D(2009, 7, 17), 0, D(2009, 7, 17)),
        (D(2009, 7, 17), -25, D(2007, 6, 17)),  # 25 months back: 2 years and 1 month
    ],
)
def test_add_months(d: date, k: int, expected: date) -> None:
    assert add_months(d, k) == expected


# ------------------------------------------------------------ range and table


def test_out_of_range_dates_raise_a_clear_error() -> None:
    for bad in (D(1899, 12, 31), D(2101, 1, 1)):
        with pytest.raises(ValueError, match="outside 1900-01-01–2100-12-31"):
            is_working_day(bad)
        with pytest.raises(ValueError, match="outside"):
            wd(D(2009, 1, 1), bad)
    with pytest.raises(ValueError, match="outside"):
        within_working_days(D(2009, 1, 1), D(2101, 1, 1), 5)
    # When b < a the answer is False whatever the holidays, so no table look-up (and no error) is needed.
    assert within_working_days(D(2009, 1, 1), D(1899, 12, 31), 5) is False
    # The result of nth_working_day_after must also be in range: 2100-12-31 is a Friday, and the next
    # working day (Mon 3 Jan 2101) is not in the table.
    with pytest.raises(ValueError, match="outside"):
        nth_working_day_after(D(2100, 12, 31), 1)
    # Boundaries themselves work.
    assert wd(w.FIRST_DATE, w.LAST_DATE) > 0


def test_workday_index_gives_wd_by_subtraction() -> None:
    first = w.FIRST_DATE
    a, b = D(2010, 12, 24), D(2011, 1, 4)
    assert int(w.WORKDAY_INDEX[(b - first).days] - w.WORKDAY_INDEX[(a - first).days]) == 4
    # The first-day constant is in days since 1970-01-01: 1900-01-01 is 25567 days before it
    # (70 years of 365 days plus 17 leap days: 1904, 1908, ..., 1968).
    assert w.WORKDAY_INDEX_FIRST_DAY == -25567


def test_numpy_helpers() -> None:
    a = np.array(["2010-12-24", "2011-04-21", "2011-05-03", "2011-01-08"], dtype="datetime64[D]")
    b = np.array(["2011-01-04", "2011-05-03", "2011-04-21", "2011-01-08"], dtype="datetime64[D]")
    # Same hand-worked values as above: 4, 4, -4, and 0 for a == b.
    assert w.wd_days(a, b).tolist() == [4, 4, -4, 0]
    # Epoch-day integers work too and give the same answers.
    assert w.wd_days(a.astype(np.int64), b.astype(np.int64)).tolist() == [4, 4, -4, 0]
    # Fri 24 Dec 2010 working; Thu 21 Apr 2011 working; Tue 3 May working; Sat 8 Jan not.
    assert w.is_working_day_days(a).tolist() == [True, True, True, False]
    got = w.nth_working_day_after_days(a, np.array([20, 4, 1, 1]))
    assert got.dtype == np.dtype("datetime64[D]")
    assert got.tolist() == [D(2011, 1, 26), D(2011, 5, 3), D(2011, 5, 4), D(2011, 1, 10)]
    with pytest.raises(ValueError, match="outside"):
        w.wd_days(np.array(["1899-01-01"], dtype="datetime64[D]"), a[:1])


# ------------------------------------------------------------ properties

in_range_dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2015, 12, 31))


@settings(max_examples=300, deadline=None)
@given(in_range_dates, in_range_dates, in_range_dates)
def test_wd_matches_day_by_day_count_and_is_additive(a: date, b: date, c: date) -> None:
    assert wd(a, b) == naive_wd(a, b)
    assert wd(a, b) == -wd(b, a)
    assert wd(a, b) + wd(b, c) == wd(a, c)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2005, 3, 1), max_value=D(2015, 10, 31)), st.integers(min_value=-20, max_value=40))
def test_nth_working_day_after_is_the_unique_working_day_at_that_distance(a: date, n: int) -> None:
    d = nth_working_day_after(a, n)
    assert naive_is_working_day(d)
    assert naive_wd(a, d) == n
    # Unique: no other working day within a week either side is at the same distance.
    for delta in range(-10, 11):
        other = d + timedelta(days=delta)
        if delta and naive_is_working_day(other):
            assert naive_wd(a, other) != n


# ------------------------------------------------------------ polars forms vs scalar

pair_dates = st.one_of(st.none(), st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(pair_dates, pair_dates), min_size=1, max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=-5, max_value=40),
    st.integers(min_value=-30, max_value=30),
)
def test_polars_forms_match_scalar_forms(pairs: list[tuple[date | None, date | None]], n: int, m: int, k: int) -> None:
    df = pl.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]}, schema={"a": pl.Date, "b": pl.Date})
    out = df.select(
        wd=wd_expr(pl.col("a"), pl.col("b")),
        within=within_working_days_expr(pl.col("a"), pl.col("b"), n),
        nth=nth_working_day_after_expr(pl.col("a"), m),
        months=add_months_expr(pl.col("a"), k),
    )
    for (a, b), row in zip(pairs, out.iter_rows(named=True), strict=True):
        if a is None or b is None:
            assert row["wd"] is None
            assert row["within"] is None
        else:
            assert row["wd"] == wd(a, b)
            assert row["within"] == within_working_days(a, b, n)
        if a is None:
            assert row["nth"] is None
            assert row["months"] is None
        else:
            assert row["nth"] == nth_working_day_after(a, m)
            assert row["months"] == add_months(a, k)


def test_polars_forms_hand_worked_and_out_of_range() -> None:
    df = pl.DataFrame(
        {
            "a": [D(2010, 12, 24), D(2011, 5, 3), D(1850, 1, 1), D(2009, 1, 31), None],
            "b": [D(2011, 1, 4), D(2011, 4, 21), D(2009, 1, 1), D(2009, 1, 31), D(2009, 1, 1)],
        }
    )
    out = df.select(
        wd=wd_expr(pl.col("a"), pl.col("b")),
        within=within_working_days_expr(pl.col("a"), pl.col("b"), 4),
        nth=nth_working_day_after_expr(pl.col("a"), 1),
        months=add_months_expr(pl.col("a"), 1),
    )
    # Row 1: 4 (Christmas 2010 above), within 4; next working day after Fri 24 Dec is Wed 29 Dec.
    # Row 2: b < a: -4, not within. Row 3: 1850 is outside the table, so null (months still work).
    # Row 4: Sat 31 Jan 2009 to itself: 0; next working day Mon 2 Feb; + 1 month clamps to 28 Feb.
    assert out["wd"].to_list() == [4, -4, None, 0, None]
    assert out["within"].to_list() == [True, False, None, True, None]
    assert out["nth"].to_list() == [D(2010, 12, 29), D(2011, 5, 4), None, D(2009, 2, 2), None]
    assert out["months"].to_list() == [D(2011, 1, 24), D(2011, 6, 3), D(1850, 2, 1), D(2009, 2, 28), None]
    assert out.schema["wd"] == pl.Int32
