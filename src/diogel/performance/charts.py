"""Charts drawn by the server as SVG: no script, no CDN, readable at 360 px, with a text alternative.

Every chart is ``<svg role="img" aria-labelledby=...>`` with a ``<title>`` and a
``<desc>`` that says in words what the chart shows; the page puts the data
table behind it next to it. Colours and line styles come from CSS classes in
``static/performance/performance.css`` (the Content-Security-Policy forbids
``style`` attributes); lines differ by dash pattern as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from diogel.indicators.registry import Kind

from . import funnel, present

W, H = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 12, 40


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[int, float | None]]  # (year, value)
    css: str  # "la" or "wales"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        m = 10 ** (len(str(int(v))) - 1) * step if v >= 1 else step / 10
        if m >= v:
            return float(m)
    return float(v)


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    step = (hi - lo) / n
    return [lo + i * step for i in range(n + 1)]


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg(uid: str, title: str, desc: str, body: str, w: int = W, h: int = H, css: str = "chart") -> SafeString:
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" focusable="false">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        css,
        w,
        h,
        uid,
        uid,
        uid,
        title,
        uid,
        desc,
        mark_safe(body),
    )


def trend(uid: str, title: str, desc: str, series: Sequence[Series], kind: Kind) -> SafeString:
    """A line chart of values over financial years (gaps where a value is blank or suppressed)."""
    years = sorted({y for s in series for y, _v in s.points})
    values = [v for s in series for _y, v in s.points if v is not None]
    if not years:
        return _svg(uid, title, desc, "")
    top = 100.0 if kind is Kind.RATE and max(values, default=0) > 50 else _nice_max(max(values, default=1.0) * 1.05)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + (pw * (years.index(year) / max(1, len(years) - 1)))

    def y(v: float) -> float:
        return TOP + ph * (1 - v / top)

    parts = []
    for t in _ticks(0, top):
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT, W - RIGHT, f"{y(t):.1f}", f"{y(t):.1f}", LEFT - 4, f"{y(t) + 4:.1f}", present.value(kind, t),
            )
        )  # fmt: skip
    every = 1 if len(years) <= 6 else 2
    for i, yr in enumerate(years):
        if i % every == 0 or i == len(years) - 1:
            parts.append(
                format_html(
                    '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x(yr):.1f}", H - BOTTOM + 16, present.year_label(yr)[2:],
                )
            )  # fmt: skip
    for s in series:
        run: list[tuple[float, float]] = []
        runs: list[list[tuple[float, float]]] = []
        for yr, v in s.points:
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((x(yr), y(v)))
        if run:
            runs.append(run)
        for r in runs:
            parts.append(format_html('<polyline class="line {}" points="{}"/>', s.css, _path(r)))
            for px, py in r:
                parts.append(
                    format_html('<circle class="dot {}" cx="{}" cy="{}" r="3"/>', s.css, f"{px:.1f}", f"{py:.1f}")
                )
    return _svg(uid, title, desc, "".join(parts))


def sparkline(uid: str, label: str, series: Sequence[Series]) -> SafeString:
    """A small trend without axes, beside a figure: the LA solid, Wales dashed."""
    w, h, pad = 120, 36, 3
    values = [v for s in series for _y, v in s.points if v is not None]
    years = sorted({y for s in series for y, _v in s.points})
    if not values or len(years) < 2:
        return _svg(uid, label, label, "", w, h, "spark")
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    parts = []
    for s in series:
        pts = [
            (pad + (w - 2 * pad) * years.index(yr) / (len(years) - 1), h - pad - (h - 2 * pad) * (v - lo) / span)
            for yr, v in s.points
            if v is not None
        ]
        if len(pts) >= 2:
            parts.append(format_html('<polyline class="line {}" points="{}"/>', s.css, _path(pts)))
    return _svg(uid, label, label, "".join(parts), w, h, "spark")


@dataclass(frozen=True)
class FunnelPoint:
    name: str
    n: float
    value: float
    own: bool


def funnel_plot(uid: str, title: str, desc: str, p_percent: float, points: Sequence[FunnelPoint]) -> SafeString:
    """Value against denominator, with the all-Wales rate and its 95% and 99.8% limits."""
    w, h = W, 280
    pw, ph = w - LEFT - RIGHT, h - TOP - BOTTOM
    n_max = max([pt.n for pt in points] + [10.0]) * 1.05
    lines = funnel.curves(p_percent, max(1.0, n_max / 200), n_max)
    ys = [pt.value for pt in points] + [p_percent]
    ys += [c.lo998 for c in lines[len(lines) // 4 :]] + [c.hi998 for c in lines[len(lines) // 4 :]]
    lo = max(0.0, (min(ys) // 10) * 10)
    hi = min(100.0, (max(ys) // 10 + 1) * 10)

    def x(n: float) -> float:
        return LEFT + pw * n / n_max

    def y(v: float) -> float:
        return TOP + ph * (1 - (min(max(v, lo), hi) - lo) / (hi - lo))

    parts = [
        format_html(
            '<clipPath id="{}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>', uid, LEFT, TOP, pw, ph
        )
    ]
    for t in _ticks(lo, hi):
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT, w - RIGHT, f"{y(t):.1f}", f"{y(t):.1f}", LEFT - 4, f"{y(t) + 4:.1f}", present.value(Kind.RATE, t),
            )
        )  # fmt: skip
    for t in _ticks(0, n_max):
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{x(t):.1f}", h - BOTTOM + 16, present.number(round(t)),
            )
        )  # fmt: skip
    parts.append(
        format_html(
            '<text class="legend" x="{}" y="{}" text-anchor="middle">{}</text>', LEFT + pw / 2, h - 6,
            _("Denominator (number of units)"),
        )
    )  # fmt: skip
    inner = [
        format_html(
            '<line class="line wales" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            LEFT,
            w - RIGHT,
            f"{y(p_percent):.1f}",
            f"{y(p_percent):.1f}",
        )
    ]
    for attr, css in (("lo95", "limit95"), ("hi95", "limit95"), ("lo998", "limit998"), ("hi998", "limit998")):
        inner.append(
            format_html(
                '<polyline class="line {}" points="{}"/>', css, _path([(x(c.n), y(getattr(c, attr))) for c in lines])
            )
        )
    for pt in sorted(points, key=lambda p: p.own):
        inner.append(
            format_html(
                '<circle class="{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
                "point own" if pt.own else "point", f"{x(pt.n):.1f}", f"{y(pt.value):.1f}", 6 if pt.own else 4,
                f"{pt.name}: {present.value(Kind.RATE, pt.value)}, {present.number(pt.n)}",
            )
        )  # fmt: skip
        if pt.own:
            inner.append(
                format_html(
                    '<text class="legend own" x="{}" y="{}" text-anchor="{}">{}</text>',
                    f"{x(pt.n) + (-8 if x(pt.n) > w / 2 else 8):.1f}", f"{y(pt.value) - 8:.1f}",
                    "end" if x(pt.n) > w / 2 else "start", pt.name,
                )
            )  # fmt: skip
    parts.append(format_html('<g clip-path="url(#{}-clip)">{}</g>', uid, mark_safe("".join(inner))))
    return _svg(uid, title, desc, "".join(parts), w, h)


def esc(text: str) -> str:
    return str(escape(text))
