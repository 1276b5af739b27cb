"""Horizontal bar charts, the funnel, and estimates with confidence intervals (pure, no I/O).

Bars run across the page with their label on the line above, so a long label never squeezes
the bar and the chart reads on a phone. A value that is suppressed (``"<10"``, ``"c"``) or
missing draws no bar and shows its text instead: never a zero.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from linkwell.charts.look import (
    GRID,
    INK,
    QUIET,
    VIEW_WIDTH,
    Chart,
    Table,
    empty,
    fit,
    marker,
    number,
    series_style,
    svg_open,
    text,
    ticks,
)

PAD, VALUE_ROOM = 4, 56  # room on the right for the value's text
LINE = 16  # a 12-unit label's line
BAR = 12


@dataclass(frozen=True)
class Bars:
    """One series of bars: a value (or None, shown as ``texts[i]``) per category."""

    name: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...] = ()


def _text_of(bars: Bars, i: int, value_format) -> str:
    if bars.texts:
        return bars.texts[i]
    value = bars.values[i]
    return "no figure" if value is None else value_format(value)


def bar_chart(categories: Sequence[str], series: Sequence[Bars], *, chart_id: str, title: str,
              category_heading: str, caption: str = "",
              value_format: Callable[[float], str] = number) -> Chart:
    """One row per category; several series draw one bar each under the category's label."""
    table = Table(title, (category_heading, *(s.name for s in series)), tuple(
        (c, *(_text_of(s, i, value_format) for s in series)) for i, c in enumerate(categories)),
        (False, *(True for _ in series)))
    drawn = [v for s in series for v in s.values if v is not None]
    if not drawn:
        return empty(chart_id, title, table, "no figures to draw (none, or all suppressed)")
    top = max(max(drawn), 0) or 1
    scale = (VIEW_WIDTH - 2 * PAD - VALUE_ROOM) / top
    row = LINE + len(series) * (BAR + 2) + 8
    height = PAD + row * len(categories)
    desc = "; ".join(f"{c}: " + ", ".join(f"{s.name} {_text_of(s, i, value_format)}"
                                          for s in series) for i, c in enumerate(categories))
    parts = [svg_open(chart_id, title, desc + ".", height)]
    for i, category in enumerate(categories):
        y = PAD + i * row
        parts.append(text(PAD, y + 12, fit(category)))
        for k, s in enumerate(series):
            colour, _ = series_style(k)
            by = y + LINE + k * (BAR + 2)
            value = s.values[i]
            width = 0 if value is None else max(value, 0) * scale
            if width:
                parts.append(f'<rect x="{PAD}" y="{by:.1f}" width="{width:.1f}" '
                             f'height="{BAR}" fill="{colour}"/>')
            parts.append(text(PAD + width + 4, by + 10, _text_of(s, i, value_format),
                              fill=INK if value is not None else QUIET))
    parts.append("</svg>")
    legend = tuple((s.name, *series_style(k)) for k, s in enumerate(series)) \
        if len(series) > 1 else ()
    return Chart(chart_id, title, desc + ".", Markup("".join(parts)), table,  # noqa: S704
                 tuple((n, c, "square") for n, c, _ in legend), caption)


def funnel_chart(stages: Sequence[tuple[str, int | None, str]], *, chart_id: str, title: str,
                 caption: str = "") -> Chart:
    """Stages in order (label, count or None when suppressed, display text); each bar is
    centred and its label says what share of the first stage reached it."""
    first = stages[0][1] if stages and isinstance(stages[0][1], int) and stages[0][1] else None
    shares = [f"{100 * v / first:.0f}%" if first and isinstance(v, int) else "–"
              for _, v, _ in stages]
    table = Table(title, ("Stage", "People", "Share of those referred"),
                  tuple((label, shown, share) for (label, _, shown), share
                        in zip(stages, shares, strict=True)), (False, True, True))
    if not first:
        return empty(chart_id, title, table, "no figures to draw (none, or all suppressed)")
    row, inner = LINE + BAR + 14, VIEW_WIDTH - 2 * PAD
    height = PAD + row * len(stages)
    desc = "; ".join(f"{label}: {shown}" + (f" ({share} of those referred)" if share != "–"
                                            else "")
                     for (label, _, shown), share in zip(stages, shares, strict=True))
    parts = [svg_open(chart_id, title, desc + ".", height)]
    colour, _ = series_style(0)
    for i, ((label, value, shown), share) in enumerate(zip(stages, shares, strict=True)):
        y = PAD + i * row
        parts.append(text(PAD, y + 12, fit(f"{label}: {shown}" + (
            f" ({share})" if share != "–" else ""))))
        width = inner * max(value, 0) / first if isinstance(value, int) else 0
        if width:
            parts.append(f'<rect x="{PAD + (inner - width) / 2:.1f}" y="{y + LINE:.1f}" '
                         f'width="{width:.1f}" height="{BAR + 4}" fill="{colour}"/>')
        else:
            parts.append(f'<line x1="{PAD}" x2="{VIEW_WIDTH - PAD}" y1="{y + LINE + 8}" '
                         f'y2="{y + LINE + 8}" stroke="{GRID}" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return Chart(chart_id, title, desc + ".", Markup("".join(parts)), table,  # noqa: S704
                 caption=caption)


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% confidence interval; ``series`` picks colour and shape."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    series: int = 0


def interval_chart(rows: Sequence[Estimate], *, chart_id: str, title: str, axis_label: str,
                   series_names: Sequence[str] = (), caption: str = "",
                   value_format: Callable[[float], str] = number) -> Chart:
    """Estimates as markers with horizontal 95% CI whiskers and a line at zero."""
    def ci(r: Estimate) -> str:
        return "–" if r.low is None or r.high is None else \
            f"{value_format(r.low)} to {value_format(r.high)}"

    table = Table(title, ("Group", "Estimate", "95% CI"), tuple(
        (r.label, "–" if r.value is None else value_format(r.value), ci(r)) for r in rows),
        (False, True, False))
    drawn = [r for r in rows if r.value is not None]
    if not drawn:
        return empty(chart_id, title, table, "no estimates to draw (too few people)")
    ends = [v for r in drawn for v in (r.value, r.low, r.high) if v is not None] + [0.0]
    low, high = min(ends), max(ends)
    if high == low:
        high = low + 1
    marks = ticks(low, high, 4)
    low, high = min(low, marks[0]), max(high, marks[-1])
    left, right = PAD + 6, VIEW_WIDTH - PAD - 6

    def x_of(v: float) -> float:
        return left + (right - left) * (v - low) / (high - low)

    row = LINE + 14
    plot_bottom = PAD + row * len(rows)
    height = plot_bottom + 36
    desc = "; ".join(f"{r.label}: {'no estimate' if r.value is None else value_format(r.value)}"
                     + (f" (95% CI {ci(r)})" if ci(r) != "–" else "") for r in rows)
    parts = [svg_open(chart_id, title, desc + ".", height)]
    for tick in marks:
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{PAD}" y2="{plot_bottom}" '
                     f'stroke="{INK if tick == 0 else GRID}"/>')
        parts.append(text(x, plot_bottom + 14, value_format(tick), anchor="middle", fill=QUIET))
    parts.append(text(VIEW_WIDTH / 2, plot_bottom + 30, axis_label, anchor="middle", fill=QUIET))
    for i, r in enumerate(rows):
        y = PAD + i * row
        parts.append(text(PAD, y + 12, fit(r.label)))
        colour, shape = series_style(r.series)
        cy = y + LINE + 6
        if r.value is None:
            parts.append(text(x_of(0) + 4, cy + 4, "no estimate", fill=QUIET))
            continue
        if r.low is not None and r.high is not None:
            parts.append(f'<line x1="{x_of(r.low):.1f}" x2="{x_of(r.high):.1f}" y1="{cy:.1f}" '
                         f'y2="{cy:.1f}" stroke="{colour}" stroke-width="2"/>')
        parts.append(marker(shape, x_of(r.value), cy, colour))
    parts.append("</svg>")
    legend = tuple((name, *series_style(k)) for k, name in enumerate(series_names))
    return Chart(chart_id, title, desc + ".", Markup("".join(parts)), table,  # noqa: S704
                 legend, caption)
