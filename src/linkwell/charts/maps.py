"""Maps as SVG: borough outlines with numbered points, and choropleths of a rate against a
threshold (pure, dependency-free, deterministic).

An equirectangular projection with longitude scaled by cos(mid-latitude) is accurate enough at
city scale and needs no GIS library or tile server. Each area is one ``<path>`` with a
``<title>`` (its name and value); points are circles with a ``<title>``.

Colours: WCAG 1.4.11 asks graphics that carry meaning to differ by 3:1 from what is next to
them. Only two fills can each reach 3:1 against a white page *and* against each other (a
third would need a luminance below zero), so a choropleth has two classes, split at a
threshold that means something (the overall rate, or reach equal to need), and areas with no
figure are hatched. The exact figures are in the chart's table.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from linkwell.charts.look import BACKGROUND, INK, VIEW_WIDTH, Chart, Table, empty, number, svg_open

# Below / at or above the threshold: ≥ 3:1 against white and against each other (unit-tested).
BELOW_FILL, ABOVE_FILL = "#3d8fd1", "#003087"
NO_DATA_HATCH = "#425563"  # hatching on white for "no figure"
PLAIN_FILL = "#f0f4f5"  # boroughs drawn only for context (no values)
OUTLINE = "#212b32"
POINT_FILL, POINT_STROKE = "#ffeb3b", "#212b32"
PADDING = 6
MARKER_RADIUS = 9.5  # holds a 12-unit number


@dataclass(frozen=True, slots=True)
class BoroughShape:
    """An area to draw: its code (LAD or LSOA), name and GeoJSON Polygon/MultiPolygon (WGS84)."""

    lad_code: str
    name: str
    geometry: Mapping


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A point drawn on top of the areas, e.g. a service location in search results."""

    lat: float
    lon: float
    label: str
    # Drawn inside a larger marker when given, matching a numbered list beside the map.
    number: int | None = None


def _polygons(geometry: Mapping) -> list:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a Polygon or MultiPolygon geometry, not {kind!r}")


class Projection:
    def __init__(self, lons: list[float], lats: list[float], width: float = VIEW_WIDTH):
        min_lon, max_lon = min(lons), max(lons)
        min_lat, max_lat = min(lats), max(lats)
        span = 0.01  # keeps a single point or a tiny area from dividing by zero
        if max_lon - min_lon < span:
            min_lon, max_lon = (min_lon + max_lon - span) / 2, (min_lon + max_lon + span) / 2
        if max_lat - min_lat < span:
            min_lat, max_lat = (min_lat + max_lat - span) / 2, (min_lat + max_lat + span) / 2
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        self.min_lon, self.max_lat = min_lon, max_lat
        self.scale = (width - 2 * PADDING) / ((max_lon - min_lon) * self.kx)
        self.height = round((max_lat - min_lat) * self.scale + 2 * PADDING)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.min_lon) * self.kx * self.scale + PADDING
        y = (self.max_lat - lat) * self.scale + PADDING
        return round(x, 1), round(y, 1)


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _path(polygons, project: Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for lon, lat, *_ in ring:
                point = project(lon, lat)
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{_n(x)},{_n(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _project(shapes: Sequence[BoroughShape], points: Sequence[MapPoint]):
    polygons = {s.lad_code: _polygons(s.geometry) for s in shapes}
    lons = [c[0] for p in polygons.values() for poly in p for ring in poly for c in ring]
    lats = [c[1] for p in polygons.values() for poly in p for ring in poly for c in ring]
    lons += [p.lon for p in points]
    lats += [p.lat for p in points]
    if not lons:
        raise ValueError("nothing to draw: no boundaries and no points")
    return polygons, Projection(lons, lats)


HATCH = (f'<defs><pattern id="{{id}}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
         f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BACKGROUND}"/>'
         f'<line x1="0" y1="0" x2="0" y2="6" stroke="{NO_DATA_HATCH}" stroke-width="2"/>'
         f"</pattern></defs>")


def point_map(boroughs: Iterable[BoroughShape], *, title: str, points: Sequence[MapPoint],
              chart_id: str = "map") -> Markup:
    """Borough outlines for context with numbered points on top (the directory's search map);
    the page beside it lists the same numbered points, which is its text alternative."""
    shapes = sorted(boroughs, key=lambda b: b.lad_code)
    polygons, project = _project(shapes, points)
    body = [f'<g class="boroughs" stroke="{OUTLINE}" stroke-width="0.5" fill="{PLAIN_FILL}">']
    body += [f'<path d="{_path(polygons[s.lad_code], project)}" fill-rule="evenodd" '
             f'data-lad-code="{escape(s.lad_code)}"><title>{escape(s.name)}</title></path>'
             for s in shapes]
    body.append(f'</g><g class="points" fill="{POINT_FILL}" stroke="{POINT_STROKE}">')
    for point in points:
        x, y = project(point.lon, point.lat)
        if point.number is None:
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" stroke-width="1.5">'
                        f"<title>{escape(point.label)}</title></circle>")
            continue
        body.append(f'<g class="marker"><title>{point.number}. {escape(point.label)}</title>'
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{MARKER_RADIUS}" stroke-width="1.5"/>'
                    f'<text x="{_n(x)}" y="{_n(y + 4.2)}" text-anchor="middle" '
                    f'font-weight="bold" stroke="none" fill="{INK}">{point.number}</text></g>')
    body.append("</g></svg>")
    description = "; ".join(f"{p.number}. {p.label}" if p.number else p.label for p in points)
    return Markup(svg_open(chart_id, title, description, project.height)  # noqa: S704
                  + "".join(body))


def choropleth(areas: Iterable[BoroughShape], values: Mapping[str, float | None], *,
               chart_id: str, title: str, threshold: float, below: str, above: str,
               value_heading: str, caption: str = "",
               value_format: Callable[[float], str] = number,
               texts: Mapping[str, str] | None = None) -> Chart:
    """Areas at or above ``threshold`` dark, below it lighter, with no figure hatched.
    ``texts`` gives what the table shows for an area without a number (e.g. "<10")."""
    shapes = sorted(areas, key=lambda b: b.name)
    texts = texts or {}

    def shown(code: str) -> str:
        value = values.get(code)
        return value_format(value) if value is not None else texts.get(code, "no figure")

    def klass(code: str) -> str:
        value = values.get(code)
        return "No figure" if value is None else (above if value >= threshold else below)

    table = Table(title, ("Area", value_heading, "Class"),
                  tuple((s.name, shown(s.lad_code), klass(s.lad_code)) for s in shapes),
                  (False, True, False))
    if not shapes:
        return empty(chart_id, title, table, "no boundaries to draw")
    polygons, project = _project(shapes, ())
    description = "; ".join(f"{s.name}: {shown(s.lad_code)} ({klass(s.lad_code).lower()})"
                            for s in shapes)
    body = [svg_open(chart_id, title, description + ".", project.height),
            HATCH.replace("{id}", chart_id),
            f'<rect width="{VIEW_WIDTH}" height="{project.height}" fill="{BACKGROUND}"/>',
            f'<g class="areas" stroke="{OUTLINE}" stroke-width="0.6">']
    for s in shapes:
        value = values.get(s.lad_code)
        fill = f"url(#{chart_id}-hatch)" if value is None else (
            ABOVE_FILL if value >= threshold else BELOW_FILL)
        body.append(f'<path d="{_path(polygons[s.lad_code], project)}" fill="{fill}" '
                    f'fill-rule="evenodd" data-lad-code="{escape(s.lad_code)}">'
                    f"<title>{escape(s.name)}: {escape(shown(s.lad_code))}</title></path>")
    body.append("</g></svg>")
    legend = [(above, ABOVE_FILL, "square"), (below, BELOW_FILL, "square")]
    if any(values.get(s.lad_code) is None for s in shapes):
        legend.append(("No figure (hatched)", NO_DATA_HATCH, "square"))
    return Chart(chart_id, title, description + ".", Markup("".join(body)),  # noqa: S704
                 table, tuple(legend), caption)


@dataclass(frozen=True, slots=True)
class Dot:
    """A small area drawn at its centroid (LSOAs have no boundaries in the reference data)."""

    lat: float
    lon: float
    name: str
    value: float | None  # None: no figure (too few people, or hidden)


def dot_map(boroughs: Iterable[BoroughShape], dots: Sequence[Dot], *, chart_id: str,
            title: str, threshold: float, below: str, above: str, table: Table,
            caption: str = "", value_format: Callable[[float], str] = number) -> Chart:
    """Small areas as dots over borough outlines, classed like ``choropleth``; a dot with no
    figure is a hollow ring. The caller's ``table`` holds the figures it may show."""
    if not dots:
        return empty(chart_id, title, table, "no small areas to draw")
    shapes = sorted(boroughs, key=lambda b: b.lad_code)
    polygons, project = _project(shapes, [MapPoint(d.lat, d.lon, d.name) for d in dots])

    def klass(dot: Dot) -> str:
        return "no figure" if dot.value is None else (
            above.lower() if dot.value >= threshold else below.lower())

    counts = {k: sum(1 for d in dots if klass(d) == k)
              for k in (above.lower(), below.lower(), "no figure")}
    description = (f"{len(dots)} small areas: " + ", ".join(f"{n} {k}" for k, n in
                                                          counts.items() if n) + ".")
    body = [svg_open(chart_id, title, description, project.height),
            f'<rect width="{VIEW_WIDTH}" height="{project.height}" fill="{BACKGROUND}"/>',
            f'<g class="boroughs" stroke="{OUTLINE}" stroke-width="0.6" fill="{BACKGROUND}">']
    body += [f'<path d="{_path(polygons[s.lad_code], project)}" fill-rule="evenodd">'
             f"<title>{escape(s.name)}</title></path>" for s in shapes]
    body.append('</g><g class="dots">')
    for dot in dots:
        x, y = project(dot.lon, dot.lat)
        label = f"{dot.name}: " + ("no figure" if dot.value is None else
                                   f"{value_format(dot.value)} ({klass(dot)})")
        if dot.value is None:
            paint = f'fill="{BACKGROUND}" stroke="{NO_DATA_HATCH}" stroke-width="1"'
        else:
            paint = f'fill="{ABOVE_FILL if dot.value >= threshold else BELOW_FILL}"'
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.6" {paint}>'
                    f"<title>{escape(label)}</title></circle>")
    body.append("</g></svg>")
    legend = [(above, ABOVE_FILL, "circle"), (below, BELOW_FILL, "circle")]
    if counts["no figure"]:
        legend.append(("No figure (ring)", NO_DATA_HATCH, "circle"))
    return Chart(chart_id, title, description, Markup("".join(body)),  # noqa: S704
                 table, tuple(legend), caption)
