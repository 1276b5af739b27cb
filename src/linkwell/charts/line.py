"""Line (trend) charts: scores over time on the person record, referrals by month on the
dashboard, a rate by IMD quintile in the evaluation (pure, no I/O).

Each series has its own colour *and* marker shape. Where two series have the same value at the
same point their markers would hide each other, so they are set side by side (a small
horizontal offset) and the description and table list both.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from linkwell.charts.look import (
    GRID,
    QUIET,
    VIEW_WIDTH,
    Chart,
    Table,
    empty,
    marker,
    number,
    series_style,
    svg_open,
    text,
    ticks,
)

X = date | str | int | float
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 10, 26
DODGE = 7.0  # units between markers of equal value at the same x


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[X, float], ...]


def _x_label(value: X, spread_days: int) -> str:
    if isinstance(value, date):
        return f"{value:%b %Y}" if spread_days > 62 else f"{value:%d %b}"
    return str(value)


def _long_label(value: X) -> str:
    return f"{value:%d %b %Y}" if isinstance(value, date) else str(value)


def line_chart(series: Sequence[Series], *, chart_id: str, title: str, y_min: float | None = None,
               y_max: float | None = None, x_heading: str = "Date", y_heading: str = "Value",
               caption: str = "", value_format: Callable[[float], str] = number,
               height: int = 190) -> Chart:
    """x is a date (placed in time) or a category (placed in order of first appearance)."""
    xs: list[X] = []
    for s in series:
        xs.extend(x for x, _ in s.points if x not in xs)
    in_order = sorted(xs) if all(isinstance(x, date) for x in xs) else xs
    table = Table(title, (x_heading, *(s.name for s in series)), tuple(
        (_long_label(x), *(next((value_format(v) for px, v in s.points if px == x), "–")
                           for s in series)) for x in in_order),
        (False, *(True for _ in series)))
    if not xs:
        return empty(chart_id, title, table, "no values to draw")
    values = [v for s in series for _, v in s.points]
    low = min(values) if y_min is None else y_min
    high = max(values) if y_max is None else y_max
    if y_min is None:
        low = min(0, low)
    if high == low:
        high = low + 1
    plot_w, plot_h = VIEW_WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    dated = all(isinstance(x, date) for x in xs)
    if dated:
        ordered = sorted(xs)
        first, last = ordered[0], ordered[-1]
        days = (last - first).days

        def x_of(x) -> float:
            return LEFT + plot_w / 2 if days == 0 else LEFT + plot_w * (x - first).days / days
    else:
        ordered = xs
        slot = {x: i for i, x in enumerate(xs)}
        days = 0

        def x_of(x) -> float:
            return LEFT + plot_w / 2 if len(xs) == 1 else LEFT + plot_w * slot[x] / (len(xs) - 1)

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = [svg_open(chart_id, title, _description(series, value_format), height)]
    for tick in ticks(low, high):
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{VIEW_WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(text(LEFT - 4, y + 4, value_format(tick), anchor="end", fill=QUIET))
    # At most three x labels (first, middle, last) fit 12-unit text across the narrow viewBox.
    shown = ordered if len(ordered) <= 2 else [ordered[0], ordered[len(ordered) // 2], ordered[-1]]
    for i, x in enumerate(shown):
        anchor = "start" if i == 0 and len(shown) > 1 else (
            "end" if i == len(shown) - 1 and len(shown) > 1 else "middle")
        parts.append(text(x_of(x), height - 8, _x_label(x, days), anchor=anchor, fill=QUIET))
    # Equal values at the same x: offset each series' marker so none hides another.
    groups: dict[tuple[X, float], list[int]] = {}
    for index, s in enumerate(series):
        for x, v in s.points:
            groups.setdefault((x, round(v, 6)), []).append(index)

    def dodge(index: int, x: X, v: float) -> float:
        same = groups[(x, round(v, 6))]
        return (same.index(index) - (len(same) - 1) / 2) * DODGE if len(same) > 1 else 0.0

    for index, s in enumerate(series):
        colour, shape = series_style(index)
        pts = sorted(s.points, key=lambda p: ordered.index(p[0]))
        coords = [(x_of(x) + dodge(index, x, v), y_of(v)) for x, v in pts]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         'stroke-width="2"/>')
        parts.extend(marker(shape, x, y, colour) for x, y in coords)
    parts.append("</svg>")
    legend = tuple((s.name, *series_style(i)) for i, s in enumerate(series)) \
        if len(series) > 1 else ()
    return Chart(chart_id, title, _description(series, value_format),
                 Markup("".join(parts)), table, legend, caption)  # noqa: S704 - escaped parts


def _description(series: Sequence[Series], value_format) -> str:
    return "; ".join(f"{s.name}: " + ", ".join(f"{value_format(v)} ({_long_label(x)})"
                                                for x, v in s.points)
                     for s in series if s.points) + ". The figures are also in the table."
