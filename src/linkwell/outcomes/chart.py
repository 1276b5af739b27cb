"""Server-rendered inline SVG line charts of a person's scores over time (pure).

No JavaScript: the chart works on any phone and in print. Each series has its own colour and
marker shape (never colour alone), and the SVG carries a title and a text description; the
page shows the same values in a table beside it.
"""

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

# NHS.UK palette: blue, dark pink, green, warm yellow; shapes keep series distinct in mono.
COLOURS = ("#005eb8", "#7c2855", "#007f3b", "#ae2573")
SHAPES = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[date, float], ...]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                f'fill="{colour}"/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5.5:.1f} {x + 5.5:.1f},{y:.1f} '
                f'{x:.1f},{y + 5.5:.1f} {x - 5.5:.1f},{y:.1f}" fill="{colour}"/>')
    return (f'<polygon points="{x:.1f},{y - 5.5:.1f} {x + 5:.1f},{y + 4:.1f} '
            f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>')


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if span / s <= 7)
    first = -(-low // step) * step
    ticks = []
    value = first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


def line_chart(series: list[Series], *, y_min: float, y_max: float, title: str,
               chart_id: str, width: int = 640, height: int = 280) -> Markup:
    """One chart; x is the date measured, y the score on the instrument's full range."""
    left, right, top, bottom = 44, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    dates = sorted({d for s in series for d, _ in s.points})
    if not dates:
        return Markup("")
    first, last = dates[0], dates[-1]
    days = (last - first).days

    def x_of(day: date) -> float:
        if days == 0:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / days

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lw-chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    described = "; ".join(
        f"{s.name}: " + ", ".join(f"{v:g} on {d:%d %b %Y}" for d, v in s.points)
        for s in series if s.points)
    parts.append(f'<desc id="{chart_id}-desc">{escape(described)}</desc>')
    for tick in _ticks(y_min, y_max):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#d8dde0" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#4c6272">{tick:g}</text>')
    for day in dates if len(dates) <= 6 else [dates[0], dates[len(dates) // 2], dates[-1]]:
        parts.append(f'<text x="{x_of(day):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                     f'font-size="12" fill="#4c6272">{day:%d %b %y}</text>')
    for index, s in enumerate(series):
        colour, shape = COLOURS[index % len(COLOURS)], SHAPES[index % len(SHAPES)]
        coords = [(x_of(d), y_of(v)) for d, v in s.points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         'stroke-width="2.5"/>')
        parts.extend(_marker(shape, x, y, colour) for x, y in coords)
        legend_x = left + (index % 2) * (plot_w / 2)
        legend_y = height - 22 + (index // 2) * 16 - (8 if len(series) > 2 else 0)
        parts.append(_marker(shape, legend_x + 5, legend_y - 4, colour))
        parts.append(f'<text x="{legend_x + 16:.1f}" y="{legend_y:.1f}" font-size="12" '
                     f'fill="#212b32">{escape(s.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part above is escaped
