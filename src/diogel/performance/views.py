"""The performance pages. Thin: figures come from :mod:`.queries`, downloads are audited by :mod:`.services`.

Every page: sign-in required; a refusal or an unknown LA, indicator or region is
one plain "not found" page (404), a year without figures a page naming the
years there are (404); never a trace.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diogel.access.errors import NotFound
from diogel.indicators.engine import WALES

from . import charts, present, queries, services, tables
from .downloads import Table, to_csv, to_xlsx
from .funnel import Position
from .queries import Cell, NoResultsError, TrendPoint

View = Callable[..., HttpResponse]

# Rendered bodies of the LA and indicator pages, per process, keyed by everything they depend on (the result
# set, the LA, the year, the language and what the actor may see): a new result set gives new keys, so nothing
# stale is ever served. Bounded; the oldest entry goes first.
_MEMO_SIZE = 256
_memo: OrderedDict[tuple[object, ...], Any] = OrderedDict()
_memo_lock = threading.Lock()


def _memoised(key: tuple[object, ...], build: Callable[[], Any]) -> Any:
    key = (*key, get_language())
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    value = build()
    with _memo_lock:
        _memo[key] = value
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return value


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def page(view: View) -> View:
    @functools.wraps(view)
    @login_required
    @require_GET
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.maybe_refresh_in_background()
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return render(request, "performance/problem.html", {"not_found": True}, status=404)
        except NoResultsError as exc:
            years = [(y, present.year_label(y)) for y in exc.years]
            return render(request, "performance/problem.html", {"message": str(exc), "years": years}, status=404)

    return wrapper


def _computed(rs: Any) -> str:
    return date_format(localtime(rs.computed_at), "DATETIME_FORMAT")


def _cell_text(kind: Any, cell: Cell) -> dict[str, str]:
    if cell.suppressed:
        return {"value": present.SUPPRESSED, "numerator": present.SUPPRESSED, "denominator": present.SUPPRESSED}
    return {
        "value": present.value(kind, cell.value) if cell.value is not None else "–",
        "numerator": present.number(cell.numerator),
        "denominator": present.number(cell.denominator),
    }


def _series(la: str, trend: list[TrendPoint]) -> list[charts.Series]:
    return [
        charts.Series(present.la_name(la), [(t.year, t.la.value) for t in trend], "la"),
        charts.Series(present.la_name(WALES), [(t.year, t.wales.value) for t in trend], "wales"),
    ]


def _trend_words(kind: Any, la: str, trend: list[TrendPoint]) -> str:
    def span(getter: Callable[[TrendPoint], Cell]) -> str:
        known = [(t.year, getter(t).value) for t in trend if getter(t).value is not None]
        if not known:
            return _("no figures")
        (y0, v0), (y1, v1) = known[0], known[-1]
        return _("%(first)s in %(y0)s, %(last)s in %(y1)s") % {
            "first": present.value(kind, v0),
            "y0": present.year_label(y0),
            "last": present.value(kind, v1),
            "y1": present.year_label(y1),
        }

    return _("%(la)s: %(la_span)s. Wales: %(wales_span)s.") % {
        "la": present.la_name(la),
        "la_span": span(lambda t: t.la),
        "wales_span": span(lambda t: t.wales),
    }


def _years(years: list[int]) -> list[tuple[int, str]]:
    return [(y, present.year_label(y)) for y in reversed(years)]


def _download(request: HttpRequest, table: Table, fmt: str, params: dict[str, Any]) -> HttpResponse:
    if fmt not in FORMATS:
        raise NotFound()
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    services.performance_download(actor=request.user, table=table.name, fmt=fmt, params=params, rows=len(table.rows))
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response


# --- pages ------------------------------------------------------------------------------------------


@page
def index(request: HttpRequest) -> HttpResponse:
    scope = queries.scope_for(request.user)
    las = [(c, present.la_name(c)) for c in queries.la_choices(request.user)]
    rs = queries.current_set()
    return render(
        request,
        "performance/index.html",
        {
            "las": las,
            "national": scope.national,
            "regions": scope.regions,
            "computed": _computed(rs) if rs else None,
        },
    )


@page
def la_page(request: HttpRequest, la: str) -> HttpResponse:
    o = queries.la_overview(request.user, la, request.GET.get("year"))
    body = _memoised(("la", o.result_set.pk, o.result_set.computed_at, la, o.year, o.suppressed), lambda: _la_body(o))
    return render(
        request,
        "performance/la.html",
        {
            "o": o,
            "la_name": present.la_name(la),
            "year_label": present.year_label(o.year),
            "years": _years(o.years),
            "body": body,
            "computed": _computed(o.result_set),
        },
    )


def _la_body(o: queries.LAOverview) -> SafeString:
    la = o.la
    groups = []
    for group, rows in o.groups:
        items = []
        for r in rows:
            uid = f"s-{r.indicator.id.lower()}"
            label = _trend_words(r.indicator.kind, la, r.trend)
            items.append(
                {
                    "ind": r.indicator,
                    "title": present.title(r.indicator),
                    "better": present.better_text(r.indicator.better),
                    "kind": present.kind_text(r.indicator.kind),
                    "la": _cell_text(r.indicator.kind, r.la),
                    "wales": _cell_text(r.indicator.kind, r.wales),
                    "spark": charts.sparkline(uid, label, _series(la, r.trend)),
                    "trend": [
                        (
                            present.year_label(t.year),
                            _cell_text(r.indicator.kind, t.la)["value"],
                            _cell_text(r.indicator.kind, t.wales)["value"],
                        )
                        for t in r.trend
                    ],
                }
            )
        groups.append((present.group_name(group), items))
    html = render_to_string("performance/_la_body.html", {"o": o, "la_name": present.la_name(la), "groups": groups})
    return mark_safe(html)


def position_text(p: Position | None) -> str:
    if p is None:
        return ""
    if p is Position.WITHIN:
        return _("within the %(level)s limits") % {"level": "95%"}
    above = p in (Position.HIGH_95, Position.HIGH_998)
    level = "95%" if p in (Position.HIGH_95, Position.LOW_95) else "99.8%"
    if above:
        return _("above the %(level)s limit") % {"level": level}
    return _("below the %(level)s limit") % {"level": level}


@page
def indicator_page(request: HttpRequest, la: str, indicator: str) -> HttpResponse:
    d = queries.indicator_detail(request.user, la, indicator, request.GET.get("year"))
    key = (
        "indicator",
        d.result_set.pk,
        d.result_set.computed_at,
        la,
        d.indicator.id,
        d.year,
        tuple(sorted(d.scope.full_las)),
        d.may_list,
    )
    return render(request, "performance/indicator.html", _memoised(key, lambda: _indicator_context(d)))


def _with_body(context: dict[str, Any]) -> dict[str, Any]:
    """The context, plus the page body rendered once (the charts and the 23-row table)."""
    context["body"] = mark_safe(render_to_string("performance/_indicator_body.html", context))
    return context


def _indicator_context(d: queries.IndicatorDetail) -> dict[str, Any]:
    """Everything the indicator page shows; depends on the result set, the LA, the year, the language and
    which LAs the actor sees unsuppressed (the memo key), never on anything else about the actor."""
    la = d.la
    kind = d.indicator.kind
    title = present.title(d.indicator)
    trend_chart = charts.trend(
        "trend",
        _("Trend of %(indicator)s") % {"indicator": title},
        _trend_words(kind, la, d.trend),
        _series(la, d.trend),
        kind,
    )
    funnel_chart = None
    if d.has_funnel and d.wales.value is not None:
        points = [
            charts.FunnelPoint(present.la_name(c.la), c.cell.denominator or 0, c.cell.value, c.own)
            for c in d.comparison
            if c.cell.value is not None and c.cell.denominator
        ]
        outside = [present.la_name(c.la) for c in d.comparison if c.position in (Position.HIGH_998, Position.LOW_998)]
        own = next(c for c in d.comparison if c.own)
        desc = _(
            "Each local authority's value against its denominator, with the all-Wales rate of %(wales)s "
            "and its 95%% and 99.8%% control limits. %(la)s is %(position)s. Outside the 99.8%% limits: %(outside)s."
        ) % {
            "wales": present.value(kind, d.wales.value),
            "la": present.la_name(la),
            "position": position_text(own.position) or _("not plotted"),
            "outside": ", ".join(outside) or _("none"),
        }
        funnel_chart = charts.funnel_plot(
            "funnel", _("Funnel plot of %(indicator)s, %(year)s") % {"indicator": title, "year": present.year_label(d.year)},
            desc, d.wales.value, points,
        )  # fmt: skip
    comparison = [
        {
            "code": c.la,
            "name": present.la_name(c.la),
            "own": c.own,
            "cell": _cell_text(kind, c.cell),
            "position": position_text(c.position),
        }
        for c in d.comparison
    ]
    return _with_body(
        {
            "d": d,
            "title": title,
            "description": present.description(d.indicator),
            "better": present.better_text(d.indicator.better),
            "kind": present.kind_text(kind),
            "la_name": present.la_name(la),
            "year_label": present.year_label(d.year),
            "years": _years(d.years),
            "computed": _computed(d.result_set),
            "la_cell": _cell_text(kind, d.la_cell),
            "wales": _cell_text(kind, d.wales),
            "trend_chart": trend_chart,
            "trend": [
                (present.year_label(t.year), _cell_text(kind, t.la)["value"], _cell_text(kind, t.wales)["value"])
                for t in d.trend
            ],
            "funnel_chart": funnel_chart,
            "comparison": comparison,
            "any_suppressed": any(c.cell.suppressed for c in d.comparison),
        }
    )


@page
def child_list_page(request: HttpRequest, la: str, indicator: str) -> HttpResponse:
    c = queries.child_list(request.user, la, indicator, request.GET.get("year"))
    context = {
        "c": c,
        "title": present.title(c.indicator),
        "la_name": present.la_name(la),
        "year_label": present.year_label(c.year),
    }
    template = "performance/_children.html" if getattr(request, "htmx", False) else "performance/children.html"
    return render(request, template, context)


@page
def national_page(request: HttpRequest) -> HttpResponse:
    n = queries.national(request.user, request.GET.get("year"))
    groups = [
        (
            present.group_name(g),
            [
                (r.indicator, present.title(r.indicator), [_cell_text(r.indicator.kind, c)["value"] for c in r.cells])
                for r in rows
            ],
        )
        for g, rows in n.groups
    ]
    return render(
        request,
        "performance/national.html",
        {
            "n": n,
            "year_label": present.year_label(n.year),
            "years": _years(n.years),
            "computed": _computed(n.result_set),
            "las": [(c, present.la_name(c)) for c in (*n.las, WALES)],
            "groups": groups,
        },
    )


@page
def board_page(request: HttpRequest, region: str) -> HttpResponse:
    b = queries.board_view(request.user, region, request.GET.get("year"))

    def rows(ts: list[queries.BoardTable]) -> list[tuple[Any, str, list[str]]]:
        return [
            (t.indicator, present.title(t.indicator), [_cell_text(t.indicator.kind, c)["value"] for c in t.cells])
            for t in ts
        ]

    return render(
        request,
        "performance/board.html",
        {
            "b": b,
            "region_name": b.region.name,
            "year_label": present.year_label(b.year),
            "years": _years(b.years),
            "computed": _computed(b.result_set),
            "columns": [present.la_name(c) for c in b.las] + [b.region.name, present.la_name(WALES)],
            "partnership": rows(b.partnership),
            "protection": rows(b.protection),
            "agencies": [
                (
                    a.agency,
                    _cell_text(queries.Kind.COUNT, a.invited)["value"],
                    [_cell_text(queries.Kind.RATE, c)["value"] for c in a.cells],
                )
                for a in b.agencies
            ],
            "partnership_titles": [present.title(t.indicator) for t in b.partnership],
        },
    )


# --- downloads --------------------------------------------------------------------------------------


@page
def la_download(request: HttpRequest, la: str, fmt: str) -> HttpResponse:
    o = queries.la_overview(request.user, la, request.GET.get("year"))
    return _download(request, tables.la_table(o), fmt, {"la": la, "year": o.year})


@page
def indicator_download(request: HttpRequest, la: str, indicator: str, fmt: str) -> HttpResponse:
    d = queries.indicator_detail(request.user, la, indicator, request.GET.get("year"))
    return _download(request, tables.indicator_table(d), fmt, {"la": la, "indicator": indicator, "year": d.year})


@page
def child_list_download(request: HttpRequest, la: str, indicator: str, fmt: str) -> HttpResponse:
    c = queries.child_list(request.user, la, indicator, request.GET.get("year"))
    return _download(request, tables.child_table(c), fmt, {"la": la, "indicator": indicator, "year": c.year})


@page
def national_download(request: HttpRequest, fmt: str) -> HttpResponse:
    n = queries.national(request.user, request.GET.get("year"))
    return _download(request, tables.national_table(n), fmt, {"year": n.year})


@page
def board_download(request: HttpRequest, region: str, fmt: str) -> HttpResponse:
    b = queries.board_view(request.user, region, request.GET.get("year"))
    return _download(request, tables.board_table(b), fmt, {"region": region, "year": b.year})
