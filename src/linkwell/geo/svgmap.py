"""Borough maps as SVG strings: pure, dependency-free and deterministic.

An equirectangular projection with longitude scaled by cos(mid-latitude) is accurate enough at
city scale and needs no GIS library or tile server. Each borough is one ``<path>`` with a
``<title>`` (its name and value) and points are ``<circle>`` elements with a ``<title>``.
The root has ``role="img"`` and an ``aria-label``; because assistive technology treats an image
as one object, pages showing a choropleth should also offer the figures as a table.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# ColorBrewer "Blues" (sequential, colour-blind safe); NHS.UK greys for "no data" and outlines.
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA_FILL = "#d8dde0"
PLAIN_FILL = "#e8edee"
OUTLINE = "#768692"
POINT_FILL = "#ffeb3b"
POINT_STROKE = "#212b32"
PADDING = 10
LEGEND_ROW = 20


@dataclass(frozen=True, slots=True)
class BoroughShape:
    """A borough to draw: its LAD code, name and GeoJSON Polygon/MultiPolygon (WGS84)."""

    lad_code: str
    name: str
    geometry: Mapping


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A point drawn on top of the boroughs, e.g. a service location in search results."""

    lat: float
    lon: float
    label: str
    # Drawn inside a larger marker when given, matching a numbered list beside the map.
    number: int | None = None


def _format_value(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


def _polygons(geometry: Mapping) -> list[list[list[Sequence[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a Polygon or MultiPolygon geometry, not {kind!r}")


class _Projection:
    def __init__(self, lons: list[float], lats: list[float], width: int):
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


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _path(polygons, project: _Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for lon, lat, *_ in ring:
                point = project(lon, lat)
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) < 3:
                continue
            parts.append("M" + "L".join(f"{_number(x)},{_number(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _classes(values: Iterable[float], count: int) -> list[tuple[float, float]]:
    """Equal-interval class bounds over the values (one class when they are all equal)."""
    values = list(values)
    low, high = min(values), max(values)
    if high == low:
        return [(low, high)]
    step = (high - low) / count
    return [(low + i * step, high if i == count - 1 else low + (i + 1) * step)
            for i in range(count)]


def _class_of(value: float, bounds: list[tuple[float, float]]) -> int:
    for index, (_, upper) in enumerate(bounds):
        if value <= upper:
            return index
    return len(bounds) - 1


def _palette(count: int) -> list[str]:
    if count == 1:
        return [PALETTE[2]]
    return [PALETTE[round(i * (len(PALETTE) - 1) / (count - 1))] for i in range(count)]


def render_map(
    boroughs: Iterable[BoroughShape],
    *,
    title: str,
    values: Mapping[str, float] | None = None,
    value_label: str = "",
    value_format: Callable[[float], str] = _format_value,
    points: Sequence[MapPoint] = (),
    width: int = 640,
    classes: int = 5,
) -> str:
    """Render boroughs (and optional points) to an SVG document string.

    ``values`` maps LAD code to a number and turns the map into a choropleth with
    ``classes`` equal-interval bands (2 to 5) and a legend headed ``value_label``; boroughs
    without a value are grey and listed as "No data".
    """
    if not 2 <= classes <= len(PALETTE):
        raise ValueError(f"classes must be from 2 to {len(PALETTE)}")
    shapes = sorted(boroughs, key=lambda b: b.lad_code)
    polygons = {shape.lad_code: _polygons(shape.geometry) for shape in shapes}
    lons = [c[0] for p in polygons.values() for poly in p for ring in poly for c in ring]
    lats = [c[1] for p in polygons.values() for poly in p for ring in poly for c in ring]
    lons += [point.lon for point in points]
    lats += [point.lat for point in points]
    if not lons:
        raise ValueError("nothing to draw: no borough boundaries and no points")
    project = _Projection(lons, lats, width)

    mapped = {s.lad_code: values[s.lad_code] for s in shapes if values and s.lad_code in values}
    bounds = _classes(mapped.values(), classes) if mapped else []
    colours = _palette(len(bounds)) if bounds else []
    missing = values is not None and len(mapped) < len(shapes)

    body = ['<g class="boroughs" stroke="' + OUTLINE + '" stroke-width="0.5">']
    for shape in shapes:
        label = shape.name
        if values is None:
            fill = PLAIN_FILL
        elif shape.lad_code in mapped:
            value = mapped[shape.lad_code]
            fill = colours[_class_of(value, bounds)]
            label = f"{shape.name}: {value_format(value)}"
        else:
            fill = NO_DATA_FILL
            label = f"{shape.name}: no data"
        body.append(
            f'<path d="{_path(polygons[shape.lad_code], project)}" fill="{fill}" '
            f'fill-rule="evenodd" data-lad-code={quoteattr(shape.lad_code)}>'
            f"<title>{escape(label)}</title></path>"
        )
    body.append("</g>")

    if points:
        body.append(f'<g class="points" fill="{POINT_FILL}" stroke="{POINT_STROKE}">')
        for point in points:
            x, y = project(point.lon, point.lat)
            if point.number is None:
                body.append(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4">'
                            f"<title>{escape(point.label)}</title></circle>")
                continue
            # Sized to the map, which pages shrink to a column: readable at a third of 960px.
            radius = max(9.0, width / 40)
            body.append(
                f'<g class="marker"><title>{point.number}. {escape(point.label)}</title>'
                f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(radius)}"/>'
                f'<text x="{_number(x)}" y="{_number(y + radius * 0.42)}" '
                f'text-anchor="middle" font-family="Arial, sans-serif" '
                f'font-size="{_number(radius * 1.2)}" font-weight="bold" stroke="none" '
                f'fill="{POINT_STROKE}">{point.number}</text></g>')
        body.append("</g>")

    height = project.height
    if values is not None:
        rows = [(colour, f"{value_format(low)} to {value_format(high)}")
                for colour, (low, high) in zip(colours, bounds, strict=True)]
        if missing:
            rows.append((NO_DATA_FILL, "No data"))
        top = height
        body.append(f'<g class="legend" font-family="Arial, sans-serif" font-size="12" '
                    f'transform="translate({PADDING},{top})">')
        body.append(f'<text x="0" y="12" font-weight="bold">{escape(value_label)}</text>')
        for index, (colour, text) in enumerate(rows):
            y = LEGEND_ROW * (index + 1)
            body.append(f'<rect x="0" y="{y}" width="16" height="14" fill="{colour}" '
                        f'stroke="{OUTLINE}" stroke-width="0.5"/>'
                        f'<text x="22" y="{y + 12}">{escape(text)}</text>')
        body.append("</g>")
        height += LEGEND_ROW * (len(rows) + 1) + PADDING

    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>")
    return head + "".join(body) + "</svg>"
