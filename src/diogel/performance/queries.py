"""Reads of the performance area: every page and API handler gets its figures here, for one actor.

Each function starts from :func:`diogel.performance.scope.scope_for` (which LAs'
figures the actor may see, and how), reads the current
:class:`~.models.ResultSet` and never touches the indicator engine, except
:func:`child_list`, which lists the units behind one number for the LA's own
staff, through :func:`diogel.access.visibility.visible_children`.

Refusals: an LA outside the actor's view, an unknown LA or indicator, a
region the actor does not belong to raise :class:`~diogel.access.errors.NotFound`
(the same answer for "no such thing" and "not yours"); a year without results
raises :class:`NoResultsError` (a :class:`~diogel.errors.UserError`, shown as a page).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotFound
from diogel.access.visibility import sealed_from, visible_children
from diogel.audit.events import AuditEvent
from diogel.cases.models import Child, LocalAuthority
from diogel.dataset import schema
from diogel.dataset.db import export_dataset
from diogel.errors import UserError
from diogel.indicators import engine
from diogel.indicators.engine import WALES
from diogel.indicators.registry import BY_ID, REGISTRY, Group, Indicator, Kind

from . import funnel
from .models import AgencyResult, IndicatorResult, ResultSet
from .regions import BY_SLUG, Region
from .scope import Scope, scope_for
from .suppression import is_small

User = AbstractBaseUser | AnonymousUser | None
T = TypeVar("T")
LA_CODES = tuple(la.code for la in schema.local_authorities())


class NoResultsError(UserError):
    """No stored results (yet), or none for the year asked for."""

    def __init__(self, message: str, years: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.years = list(years)


# --- the current result set -------------------------------------------------------------------------

CACHE_SECONDS = 2.0
_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, ResultSet | None]] = {}


def forget_current() -> None:
    with _cache_lock:
        _cache.clear()


def current_set(*, use_cache: bool = True) -> ResultSet | None:
    """The newest complete result set (looked up at most every ``CACHE_SECONDS`` per process)."""
    now = time.monotonic()
    if use_cache:
        with _cache_lock:
            hit = _cache.get("current")
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    rs = ResultSet.objects.filter(status=ResultSet.Status.COMPLETE).order_by("-pk").first()
    if rs is not None:  # "nothing yet" is not remembered: the first set is served as soon as it exists
        with _cache_lock:
            _cache["current"] = (now, rs)
    return rs


def _require_set() -> ResultSet:
    rs = current_set()
    if rs is None:
        raise NoResultsError(
            _("The performance figures have not been computed yet. Please try again in a few minutes.")
        )
    return rs


def _year(rs: ResultSet, year: int | str | None) -> int:
    years = [int(y) for y in rs.years]
    if not years:
        raise NoResultsError(_("There are no data to compute performance figures from yet."))
    if year in (None, ""):
        return years[-1]
    try:
        y = int(str(year)[:4])
    except ValueError:
        y = -1
    if y not in years:
        raise NoResultsError(_("There are no figures for the year you asked for."), years)
    return y


_data_memo: OrderedDict[tuple[object, ...], object] = OrderedDict()
_data_lock = threading.Lock()
DATA_MEMO_SIZE = 512


def _memo(key: tuple[object, ...], build: Callable[[], T]) -> T:
    """Figures built from one result set never change: keep the last few hundred per process."""
    with _data_lock:
        if key in _data_memo:
            _data_memo.move_to_end(key)
            return cast(T, _data_memo[key])
    value = build()
    with _data_lock:
        _data_memo[key] = value
        while len(_data_memo) > DATA_MEMO_SIZE:
            _data_memo.popitem(last=False)
    return value


def _trend_years(rs: ResultSet, year: int) -> list[int]:
    """The (up to) 10 years of data ending with ``year``: the trend drawn beside a figure."""
    return [int(v) for v in rs.years if int(v) <= year][-10:]


# --- cells ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure as the actor may see it: all of it, or nothing when suppressed (or missing)."""

    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool = False
    missing: bool = False

    @staticmethod
    def of(kind: Kind, row: IndicatorResult | None, *, suppress: bool) -> Cell:
        if row is None:
            return Cell(None, None, None, missing=True)
        if suppress and is_small(kind, row.numerator, row.denominator):
            return Cell(None, None, None, suppressed=True)
        return Cell(row.numerator, row.denominator, row.value)

    @staticmethod
    def summed(kind: Kind, n: float, d: float | None, *, suppress: bool) -> Cell:
        v = engine._value(kind, n, d)
        if suppress and is_small(kind, n, d):
            return Cell(None, None, None, suppressed=True)
        return Cell(n, d, v)


def _rows(rs: ResultSet, **filters: object) -> list[IndicatorResult]:
    return list(
        IndicatorResult.objects.filter(result_set=rs, **filters).only(
            "indicator", "la", "year", "numerator", "denominator", "value"
        )
    )


def _index(rows: Iterable[IndicatorResult]) -> dict[tuple[str, str, int], IndicatorResult]:
    return {(r.indicator, r.la, r.year): r for r in rows}


def _la_in(scope: Scope, la: str) -> str:
    if la not in scope.las:
        raise NotFound()
    return la


def _indicator(indicator_id: str) -> Indicator:
    ind = BY_ID.get(indicator_id)
    if ind is None:
        raise NotFound()
    return ind


# --- the LA page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    year: int
    la: Cell
    wales: Cell


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    la: Cell
    wales: Cell
    trend: list[TrendPoint]


@dataclass(frozen=True)
class LAOverview:
    la: str
    year: int
    years: list[int]
    result_set: ResultSet
    suppressed: bool
    groups: list[tuple[Group, list[IndicatorRow]]]
    scope: Scope


def la_choices(actor: User) -> list[str]:
    """The LAs whose page ``actor`` may open, in ONS order."""
    scope = scope_for(actor)
    return [c for c in LA_CODES if c in scope.las]


def la_overview(actor: User, la: str, year: int | str | None = None) -> LAOverview:
    """Every indicator for ``la`` in ``year``, with Wales beside it and the trend over every year."""
    scope = scope_for(actor)
    _la_in(scope, la)
    rs = _require_set()
    y = _year(rs, year)
    suppress = scope.suppressed(la)
    return LAOverview(
        la, y, [int(v) for v in rs.years], rs, suppress,
        _memo(("la", rs.pk, rs.computed_at, la, y, suppress), lambda: _la_groups(rs, la, y, suppress)), scope,
    )  # fmt: skip


def _la_groups(rs: ResultSet, la: str, y: int, suppress: bool) -> list[tuple[Group, list[IndicatorRow]]]:
    years = _trend_years(rs, y)
    index = _index(_rows(rs, la__in=[la, WALES], year__in=years))
    groups: dict[Group, list[IndicatorRow]] = defaultdict(list)
    for ind in REGISTRY:
        trend = [
            TrendPoint(
                t,
                Cell.of(ind.kind, index.get((ind.id, la, t)), suppress=suppress),
                Cell.of(ind.kind, index.get((ind.id, WALES, t)), suppress=suppress),
            )
            for t in years
        ]
        groups[ind.group].append(
            IndicatorRow(
                ind,
                Cell.of(ind.kind, index.get((ind.id, la, y)), suppress=suppress),
                Cell.of(ind.kind, index.get((ind.id, WALES, y)), suppress=suppress),
                trend,
            )
        )
    return [(g, groups[g]) for g in Group]


# --- the indicator page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    la: str
    cell: Cell
    position: funnel.Position | None
    own: bool


@dataclass(frozen=True)
class IndicatorDetail:
    indicator: Indicator
    la: str
    year: int
    years: list[int]
    result_set: ResultSet
    trend: list[TrendPoint]
    la_cell: Cell
    wales: Cell
    comparison: list[Comparison]
    has_funnel: bool
    may_list: bool
    scope: Scope


def indicator_detail(actor: User, la: str, indicator_id: str, year: int | str | None = None) -> IndicatorDetail:
    """One indicator for ``la``: its trend and Wales's, and the 22 LAs compared (a funnel plot for rates)."""
    scope = scope_for(actor)
    _la_in(scope, la)
    ind = _indicator(indicator_id)
    rs = _require_set()
    y = _year(rs, year)
    years = _trend_years(rs, y)
    index = _memo(("indicator", rs.pk, rs.computed_at, ind.id), lambda: _index(_rows(rs, indicator=ind.id)))
    suppress_own = scope.suppressed(la)
    trend = [
        TrendPoint(
            t,
            Cell.of(ind.kind, index.get((ind.id, la, t)), suppress=suppress_own),
            Cell.of(ind.kind, index.get((ind.id, WALES, t)), suppress=suppress_own),
        )
        for t in years
    ]
    wales = Cell.of(ind.kind, index.get((ind.id, WALES, y)), suppress=suppress_own)
    has_funnel = ind.kind is Kind.RATE and wales.value is not None
    comparison = []
    for code in LA_CODES:
        cell = Cell.of(ind.kind, index.get((ind.id, code, y)), suppress=scope.suppressed(code))
        pos = None
        if has_funnel and cell.value is not None and cell.denominator and wales.value is not None:
            pos = funnel.position(cell.value, wales.value, cell.denominator)
        comparison.append(Comparison(code, cell, pos, code == la))
    return IndicatorDetail(
        ind,
        la,
        y,
        [int(v) for v in rs.years],
        rs,
        trend,
        Cell.of(ind.kind, index.get((ind.id, la, y)), suppress=suppress_own),
        wales,
        comparison,
        has_funnel,
        la in scope.list_las,
        scope,
    )


# --- the national view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalRow:
    indicator: Indicator
    cells: list[Cell]  # in LA_CODES order, then Wales


@dataclass(frozen=True)
class National:
    year: int
    years: list[int]
    result_set: ResultSet
    las: tuple[str, ...]
    groups: list[tuple[Group, list[NationalRow]]]


def national(actor: User, year: int | str | None = None) -> National:
    """Every LA side by side for every indicator, small numbers suppressed (Welsh Government analysts)."""
    scope = scope_for(actor)
    if not scope.national:
        raise NotFound()
    rs = _require_set()
    y = _year(rs, year)
    index = _index(_rows(rs, year=y))
    groups: dict[Group, list[NationalRow]] = defaultdict(list)
    for ind in REGISTRY:
        cells = [
            Cell.of(ind.kind, index.get((ind.id, code, y)), suppress=scope.suppressed(code))
            for code in (*LA_CODES, WALES)
        ]
        groups[ind.group].append(NationalRow(ind, cells))
    return National(y, [int(v) for v in rs.years], rs, LA_CODES, [(g, groups[g]) for g in Group])


# --- the board view ---------------------------------------------------------------------------------

CP_BOARD_INDICATORS = tuple(
    i.id for i in REGISTRY if i.group is Group.CHILD_PROTECTION or i.id in ("CP_SNAPSHOT", "CP_RATE_10K")
)
PARTNERSHIP_INDICATORS = ("ICPC_AGENCY_REPORTS", "ICPC_AGENCY_ATTENDANCE")


@dataclass(frozen=True)
class AgencyRow:
    agency: str
    invited: Cell  # the denominator, as a count
    cells: list[Cell]  # one per partnership indicator


@dataclass(frozen=True)
class BoardTable:
    indicator: Indicator
    cells: list[Cell]  # region LAs, then the region, then Wales


@dataclass(frozen=True)
class BoardView:
    region: Region
    year: int
    years: list[int]
    result_set: ResultSet
    las: tuple[str, ...]
    agencies: list[AgencyRow]
    partnership: list[BoardTable]
    protection: list[BoardTable]
    regions: tuple[Region, ...]


def board_view(actor: User, region_slug: str, year: int | str | None = None) -> BoardView:
    """Partnership measures by agency and child protection measures for one region's LAs (suppressed)."""
    scope = scope_for(actor)
    region = BY_SLUG.get(region_slug)
    if region is None or region not in scope.regions:
        raise NotFound()
    rs = _require_set()
    y = _year(rs, year)
    wanted = (*PARTNERSHIP_INDICATORS, *CP_BOARD_INDICATORS)
    index = _index(_rows(rs, year=y, indicator__in=wanted, la__in=[*region.las, WALES]))

    def table(ind_id: str) -> BoardTable:
        ind = BY_ID[ind_id]
        cells = [Cell.of(ind.kind, index.get((ind_id, la, y)), suppress=scope.suppressed(la)) for la in region.las]
        rows = [index.get((ind_id, la, y)) for la in region.las]
        n = sum(r.numerator for r in rows if r is not None)
        d: float | None = None
        if ind.kind is not Kind.COUNT:
            ds = [r.denominator if r is not None else None for r in rows]
            d = None if any(v is None for v in ds) else sum(v for v in ds if v is not None)
        region_cell = Cell.summed(ind.kind, n, d, suppress=True)
        wales = Cell.of(ind.kind, index.get((ind_id, WALES, y)), suppress=True)
        return BoardTable(ind, [*cells, region_cell, wales])

    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a in AgencyResult.objects.filter(result_set=rs, year=y, la__in=region.las):
        s = sums[(a.agency, a.indicator)]
        s[0] += a.numerator
        s[1] += a.denominator
    agencies = []
    for agency in sorted({a for a, _i in sums}):
        invited = sums[(agency, PARTNERSHIP_INDICATORS[0])][1]
        agencies.append(
            AgencyRow(
                agency,
                Cell.summed(Kind.COUNT, invited, None, suppress=True),
                [
                    Cell.summed(Kind.RATE, sums[(agency, i)][0], sums[(agency, i)][1], suppress=True)
                    for i in PARTNERSHIP_INDICATORS
                ],
            )
        )
    return BoardView(
        region,
        y,
        [int(v) for v in rs.years],
        rs,
        region.las,
        agencies,
        [table(i) for i in PARTNERSHIP_INDICATORS],
        [table(i) for i in CP_BOARD_INDICATORS],
        scope.regions,
    )


# --- the child-level list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedUnit:
    unit: str
    in_numerator: bool
    reason: str
    child_label: str  # the CHILD reference, a pseudonym, or "" for units without a child
    child_id: int | None  # for the link to the record; None when pseudonymised or no child
    pseudonymised: bool


@dataclass(frozen=True)
class ChildList:
    indicator: Indicator
    la: str
    year: int
    units: list[ListedUnit]
    hidden: int  # units about children the actor may not see (sealed, not theirs)
    pseudonymised: bool
    numerator: int = field(default=0)


def pseudonym(la: str, child_ref: str) -> str:
    """A stable pseudonym for a child within this deployment (HMAC of the reference with the secret key)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{la}/{child_ref}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:10].upper()


def child_list(actor: User, la: str, indicator_id: str, year: int | str | None = None) -> ChildList:
    """The units behind ``la``'s number, for the LA's own staff; audited as a list of children viewed.

    Identifiable rows (with links) only for children in ``visible_children(actor)``;
    a performance officer without the identifiable grant sees the other rows
    under pseudonyms, sealed records never. Everyone else: NotFound.
    """
    scope = scope_for(actor)
    if actor is None or la not in scope.list_las:
        raise NotFound()
    ind = _indicator(indicator_id)
    rs = _require_set()
    y = _year(rs, year)
    units = engine.children(export_dataset(la=la), ind.id, la, y)
    refs = {u.child for u in units if u.child}
    visible = dict(visible_children(actor).filter(la__code=la, child_ref__in=refs).values_list("child_ref", "pk"))
    pseudo = la in scope.pseudonymised_las
    sealed: set[str] = set()
    if pseudo:
        sealed = set(
            Child.objects.filter(la__code=la, pk__in=sealed_from(actor).values("child_id")).values_list(
                "child_ref", flat=True
            )
        )
    listed: list[ListedUnit] = []
    hidden = 0
    for u in units:
        if not u.child:
            listed.append(ListedUnit(u.unit, u.in_numerator, u.reason, "", None, False))
        elif u.child in visible:
            listed.append(ListedUnit(u.unit, u.in_numerator, u.reason, u.child, visible[u.child], False))
        elif pseudo and u.child not in sealed:
            listed.append(
                ListedUnit(
                    _pseudo(u.unit.split(" ")[0], u.child),
                    u.in_numerator,
                    _pseudo(u.reason, u.child),
                    pseudonym(la, u.child),
                    None,
                    True,
                )
            )
        else:
            hidden += 1
    with transaction.atomic():
        audit.record(
            actor=actor,
            event=AuditEvent.CHILD_LIST_VIEWED,
            la=LocalAuthority.objects.filter(code=la).first(),
            detail={
                "area": "performance",
                "indicator": ind.id,
                "year": y,
                "shown": len(listed),
                "hidden": hidden,
                "pseudonymised": sum(1 for x in listed if x.pseudonymised),
            },
        )
    return ChildList(ind, la, y, listed, hidden, pseudo, sum(1 for x in listed if x.in_numerator))


def _pseudo(text: str, child_ref: str) -> str:
    """``text`` with the child's own reference taken out (pseudonymised rows keep only the kind of unit)."""
    return text.replace(child_ref, "…")
