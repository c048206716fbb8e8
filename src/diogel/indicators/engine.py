"""The indicator engine: evaluates the registry on typed tables with polars.

:func:`evaluate` gives one :class:`Result` per (indicator, LA, year) for every
LA present in ``children`` (zeros where it has no units) and for ``WALES``
(sums over those LAs), every year asked for computed in one pass.
:func:`children` lists the units behind one number, with the reason each is
or is not in the numerator, so that a team manager can check it against the
record.

Both work on the same unit frames (``Indicator.units``), so the list always
adds up to the number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from diogel.errors import UserError
from diogel.indicators.common import CHILD, LA, YEAR, Context, ensure_tables
from diogel.indicators.registry import BY_ID, REGISTRY, Indicator, Kind

WALES = "WALES"


@dataclass(frozen=True)
class Result:
    indicator: str
    la: str
    year: int
    numerator: int | float
    denominator: int | float | None
    value: float | None


@dataclass(frozen=True)
class Unit:
    """One unit of a denominator (or of a count).

    ``unit`` names it ("referral R123", "review 2009-01-05", "episode 2008-04-01");
    for averages ``in_numerator`` means "counted" and ``reason`` gives the value.
    """

    indicator: str
    la: str
    year: int
    child: str | None
    unit: str
    in_numerator: bool
    reason: str


def choose(indicators: Sequence[str] | None) -> list[Indicator]:
    """The registry entries for ``indicators`` (all, in spec order, when None); UserError for an unknown id."""
    if indicators is None:
        return list(REGISTRY)
    unknown = [i for i in indicators if i not in BY_ID]
    if unknown:
        raise UserError(f"unknown indicator {unknown[0]}; choose from: {', '.join(BY_ID)}")
    return [BY_ID[i] for i in dict.fromkeys(indicators)]


def las_present(tables: Mapping[str, pl.DataFrame]) -> list[str]:
    """The LAs present in ``children``, sorted."""
    children_ = tables.get("children")
    if children_ is None or children_.height == 0:
        return []
    return sorted(children_.get_column(LA).drop_nulls().unique().to_list())


def _aggregate(ind: Indicator, ctx: Context) -> pl.LazyFrame:
    """Numerator and denominator per (LA, YEAR) from the indicator's units."""
    units = ind.units(ctx)
    if ind.kind is Kind.AVERAGE:
        aggs = [
            pl.col("VAL").filter(pl.col("NUM")).sum().alias("N"),
            pl.col("NUM").sum().cast(pl.Int64).alias("D"),
        ]
    elif ind.kind is Kind.RATE:
        aggs = [pl.col("NUM").sum().cast(pl.Int64).alias("N"), pl.len().cast(pl.Int64).alias("D")]
    else:
        aggs = [pl.col("NUM").sum().cast(pl.Int64).alias("N"), pl.lit(None, dtype=pl.Int64).alias("D")]
    return units.select(LA, YEAR, "NUM", *(["VAL"] if ind.kind is Kind.AVERAGE else [])).group_by(LA, YEAR).agg(aggs)


def _population(tables: Mapping[str, pl.DataFrame], las: list[str], years: Sequence[int]) -> dict[tuple[str, int], int]:
    pop = tables["population"].filter(pl.col(LA).is_in(las) & pl.col("YEAR").is_in(list(years)))
    out: dict[tuple[str, int], int] = {}
    for la, year, n in pop.select(LA, "YEAR", "AGE_0_17").drop_nulls().iter_rows():
        out[(la, int(year))] = int(n)
    return out


def _value(kind: Kind, n: int | float, d: int | float | None) -> float | None:
    if kind is Kind.COUNT:
        return float(n)
    if d is None or d == 0:
        return None
    if kind is Kind.RATE:
        return 100.0 * n / d
    if kind is Kind.RATE_10K:
        return 10000.0 * n / d
    return n / d


def evaluate(
    tables: Mapping[str, pl.DataFrame],
    years: Sequence[int],
    *,
    indicators: Sequence[str] | None = None,
    las: Sequence[str] | None = None,
) -> list[Result]:
    """Every requested indicator for every LA of ``children`` and WALES, for each year.

    ``las`` restricts the records returned (``"WALES"`` may be among them); WALES
    is always the sum over every LA present. Results are in registry order, then
    year, then LA (WALES last).
    """
    chosen = choose(indicators)
    years = sorted({int(y) for y in years})
    full = ensure_tables(tables, years)
    all_las = las_present(full)
    ctx = Context(full, years)
    frames = pl.collect_all([_aggregate(ind, ctx) for ind in chosen])
    wanted = set(all_las) | {WALES} if las is None else set(las)
    population = _population(full, all_las, years) if any(i.kind is Kind.RATE_10K for i in chosen) else {}
    results: list[Result] = []
    for ind, frame in zip(chosen, frames, strict=True):
        found = {(la, int(y)): (n, d) for la, y, n, d in frame.select(LA, YEAR, "N", "D").iter_rows()}
        zero: int | float = 0.0 if ind.kind is Kind.AVERAGE and frame.schema["N"].is_float() else 0
        for year in years:
            total_n: int | float = zero
            total_d: int | float | None = None if ind.kind is Kind.COUNT else 0
            for la in all_las:
                n, d = found.get((la, year), (zero, None if ind.kind is Kind.COUNT else 0))
                n = zero if n is None else n
                if ind.kind is Kind.RATE_10K:
                    d = population.get((la, year))
                total_n += n
                if total_d is not None:
                    total_d = None if d is None else total_d + d
                if la in wanted:
                    results.append(Result(ind.id, la, year, n, d, _value(ind.kind, n, d)))
            if ind.kind is Kind.RATE_10K and not all_las:
                total_d = None
            if WALES in wanted:
                results.append(Result(ind.id, WALES, year, total_n, total_d, _value(ind.kind, total_n, total_d)))
    return results


def children(tables: Mapping[str, pl.DataFrame], indicator: str, la: str, year: int) -> list[Unit]:
    """The units behind one LA's number for one year, each with whether and why it is in the numerator."""
    ind = choose([indicator])[0]
    full = ensure_tables(tables, [int(year)])
    ctx = Context(full, [int(year)], explain=True)
    frame = ind.units(ctx).filter((pl.col(LA) == la) & (pl.col(YEAR) == int(year))).collect()
    units = [
        Unit(
            indicator=ind.id,
            la=la,
            year=int(year),
            child=row.get(CHILD),
            unit=ind.label(row),
            in_numerator=bool(row["NUM"]),
            reason=ind.reason(row),
        )
        for row in frame.iter_rows(named=True)
    ]
    units.sort(key=lambda u: (u.child or "", u.unit))
    return units
