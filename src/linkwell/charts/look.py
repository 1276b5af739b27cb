"""The one look every Linkwell chart shares, and what every chart carries (pure, no I/O).

A chart is a ``Chart``: inline SVG markup with ``role="img"``, a ``<title>`` and a ``<desc>``
(named by ``aria-labelledby``), an HTML legend (so it never overlaps the plot's labels and
reads at the page's own size), and a captioned data table with the same figures.

Text never shrinks below 12 px: every SVG is drawn on a viewBox ``VIEW_WIDTH`` units wide,
no wider than the narrowest content column (a 320 px screen less the page margins), with
text of at least ``FONT_SIZE`` units. Scaled to fit any wider column, text only grows;
``.lw-chart`` in ``web/static/linkwell.css`` caps how wide a chart is drawn.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

VIEW_WIDTH = 280  # user units; ≤ the content width at 320 px (320 − 2 × 16 px margins)
FONT_SIZE = 12  # user units, so ≥ 12 px whenever the chart is drawn ≥ VIEW_WIDTH px wide
CHARACTER_WIDTH = 6.7  # user units: about the average character at FONT_SIZE
FONT = 'font-family="Arial, Helvetica, sans-serif"'
INK, QUIET, GRID, BACKGROUND = "#212b32", "#4c6272", "#d8dde0", "#ffffff"
# NHS.UK blue, dark pink, green and purple: each ≥ 4.5:1 on white; shapes tell them apart too.
COLOURS = ("#005eb8", "#7c2855", "#007f3b", "#330072")
SHAPES = ("circle", "square", "diamond", "triangle")
@dataclass(frozen=True)
class Table:
    """The figures behind a chart: a caption, column headings and rows of display text."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    svg: Markup
    table: Table
    legend: tuple[tuple[str, str, str], ...] = field(default=())  # (name, colour, shape)
    caption: str = ""

    def __html__(self) -> str:
        return str(figure(self))


def _text(value) -> Markup:
    return escape(value)


def svg_open(chart_id: str, title: str, description: str, height: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" focusable="false" '
            f'viewBox="0 0 {VIEW_WIDTH} {height:.0f}" {FONT} font-size="{FONT_SIZE}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{_text(title)}</title>'
            f'<desc id="{chart_id}-desc">{_text(description)}</desc>')


def fit_width(label: str) -> float:
    """About how wide ``label`` is drawn at ``FONT_SIZE``, in user units."""
    return round(len(label) * CHARACTER_WIDTH, 1)


def fit(label: str, room: float = VIEW_WIDTH - 8) -> str:
    """A label cut to the room it has (about 6.7 units a character at 12 units); the full
    label is in the description and the table."""
    most = int(room / CHARACTER_WIDTH)
    return label if len(label) <= most else label[:most - 1].rstrip() + "…"


def text(x: float, y: float, content, *, anchor: str = "start", fill: str = INK,
         bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{weight}>'
            f"{_text(content)}</text>")


def marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    """A point marker; white outline so touching markers stay apart."""
    edge = f'fill="{colour}" stroke="{BACKGROUND}" stroke-width="1"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {edge}/>'
    if shape == "square":
        s = size * 0.9
        return (f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" '
                f'height="{2 * s:.1f}" {edge}/>')
    if shape == "diamond":
        s = size * 1.25
        return (f'<polygon points="{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} '
                f'{x - s:.1f},{y:.1f}" {edge}/>')
    s = size * 1.2
    return (f'<polygon points="{x:.1f},{y - s:.1f} {x + s:.1f},{y + s * 0.8:.1f} '
            f'{x - s:.1f},{y + s * 0.8:.1f}" {edge}/>')


def ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round tick values from low to high, at most ``most`` of them."""
    span = (high - low) or 1
    steps = [m * 10 ** e for e in range(-3, 8) for m in (1, 2, 5)]
    step = next(s for s in steps if span / s <= most - 1)
    first = -(-low // step) * step
    out, value = [], first
    while value <= high + step * 1e-9:
        out.append(round(value, 6))
        value += step
    return out


def number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _legend(chart: Chart) -> str:
    if not chart.legend:
        return ""
    items = "".join(
        f'<li><svg viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
        f"{marker(shape, 7, 7, colour, 5)}</svg>{_text(name)}</li>"
        for name, colour, shape in chart.legend)
    return f'<ul class="lw-chart__legend" aria-hidden="true">{items}</ul>'


def table_html(table: Table, table_id: str = "") -> Markup:
    """An NHS.UK responsive table: it folds into cards on a phone, so it never scrolls."""
    numeric = table.numeric or (False,) * len(table.head)
    ident = f' id="{table_id}"' if table_id else ""
    head = "".join(
        f'<th class="nhsuk-table__header{" nhsuk-table__header--numeric" if n else ""}" '
        f'scope="col">{_text(h)}</th>' for h, n in zip(table.head, numeric, strict=True))
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="nhsuk-table__cell{" nhsuk-table__cell--numeric" if n else ""}">'
            f'<span class="nhsuk-table-responsive__heading" aria-hidden="true">{_text(h)} '
            f"</span>{_text(c)}</td>"
            for h, c, n in zip(table.head, row, numeric, strict=True))
        body.append(f'<tr role="row" class="nhsuk-table__row">{cells}</tr>')
    return Markup(  # noqa: S704 - every text part is escaped above
        f'<table role="table" class="nhsuk-table-responsive"{ident}>'
        f'<caption class="nhsuk-table__caption nhsuk-table__caption--s">{_text(table.caption)}'
        f'</caption><thead role="rowgroup" class="nhsuk-table__head"><tr role="row">{head}'
        f'</tr></thead><tbody class="nhsuk-table__body">{"".join(body)}</tbody></table>')


def figure(chart: Chart, *, with_table: bool = True) -> Markup:
    """The chart, its legend and caption, then (unless the page already shows the same figures
    in a table of its own) its data table."""
    caption = chart.caption or chart.title
    parts = [f'<figure class="lw-chart" id="{chart.chart_id}">', str(chart.svg), _legend(chart),
             f'<figcaption class="nhsuk-body-s">{_text(caption)}</figcaption></figure>']
    if with_table:
        parts.append(str(table_html(chart.table, f"{chart.chart_id}-table")))
    return Markup("".join(parts))  # noqa: S704 - built from escaped parts


def empty(chart_id: str, title: str, table: Table, reason: str) -> Chart:
    """A chart with nothing to draw says so in words, and still has its (empty) table."""
    return Chart(chart_id, title, reason, Markup(""), table, caption=f"{title}: {reason}")


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def series_style(index: int) -> tuple[str, str]:
    return COLOURS[index % len(COLOURS)], SHAPES[index % len(SHAPES)]


def describe(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in pairs)
