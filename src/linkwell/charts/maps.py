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

from linkwell.charts.look import (
    BACKGROUND,
    FONT,
    INK,
    QUIET,
    VIEW_WIDTH,
    Chart,
    Table,
    empty,
    fit_width,
    number,
    svg_open,
)
from linkwell.charts.markers import (
    FONT_SIZE,
    HEIGHT,
    METRES_PER_DEGREE_LAT,
    Box,
    Located,
    Place,
    Room,
    combine,
    place,
)

# Below / at or above the threshold: ≥ 3:1 against white and against each other (unit-tested).
BELOW_FILL, ABOVE_FILL = "#3d8fd1", "#003087"
NO_DATA_HATCH = "#425563"  # hatching on white for "no figure"
PLAIN_FILL = "#f0f4f5"  # boroughs drawn only for context (no values)
OUTLINE = "#212b32"
PADDING = 6


@dataclass(frozen=True, slots=True)
class BoroughShape:
    """An area to draw: its code (LAD or LSOA), name and GeoJSON Polygon/MultiPolygon (WGS84)."""

    lad_code: str
    name: str
    geometry: Mapping


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A numbered place on a map, matching the numbered list beside it."""

    lat: float
    lon: float
    label: str
    number: int


def _polygons(geometry: Mapping) -> list:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a Polygon or MultiPolygon geometry, not {kind!r}")


class Projection:
    """Longitudes and latitudes to user units: fitted to ``width`` (the height follows), or,
    given a ``height`` too, fitted inside both and centred."""

    def __init__(self, lons: list[float], lats: list[float], width: float = VIEW_WIDTH,
                 height: float | None = None, padding: float = PADDING):
        min_lon, max_lon = min(lons), max(lons)
        min_lat, max_lat = min(lats), max(lats)
        span = 0.01  # keeps a single point or a tiny area from dividing by zero
        if max_lon - min_lon < span:
            min_lon, max_lon = (min_lon + max_lon - span) / 2, (min_lon + max_lon + span) / 2
        if max_lat - min_lat < span:
            min_lat, max_lat = (min_lat + max_lat - span) / 2, (min_lat + max_lat + span) / 2
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        self.min_lon, self.max_lat = min_lon, max_lat
        self.scale = (width - 2 * padding) / ((max_lon - min_lon) * self.kx)
        self.x0 = self.y0 = padding
        if height is None:
            self.height = round((max_lat - min_lat) * self.scale + 2 * padding)
        else:
            self.scale = min(self.scale, (height - 2 * padding) / (max_lat - min_lat))
            self.x0 = (width - (max_lon - min_lon) * self.kx * self.scale) / 2
            self.y0 = (height - (max_lat - min_lat) * self.scale) / 2
            self.height = round(height)

    @property
    def metres_per_unit(self) -> float:
        return METRES_PER_DEGREE_LAT / self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.min_lon) * self.kx * self.scale + self.x0
        y = (self.max_lat - lat) * self.scale + self.y0
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


def _project(shapes: Sequence[BoroughShape], points: Sequence["Dot"]):
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


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a search was made from (drawn as a ring), and how far it reached (a circle)."""

    lat: float
    lon: float
    label: str
    radius_m: float


ZOOM_LEVELS = (1, 2, 4, 8)  # the zoom buttons' steps; map.js uses the placement of the level below
BOUNDARY = "#768692"  # ≥ 3:1 against the boroughs' fill (unit-tested)
MARKER_FILL, MARKER_TEXT, MARKER_EDGE = "#005eb8", "#ffffff", "#ffffff"
ORIGIN_SIZE = 18
MILES = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20)
METRES_PER_MILE = 1609.344
SCALE_BAR_MOST = 90  # user units
SCALE_BAR_BOX = Box(54, VIEW_WIDTH - 17, 100, 26)  # room kept for it in the first view
NAMED_SHARE = 0.06  # an area is named when at least this share of the first view is its
NAME_REACH = 30  # user units a name may move from its area's middle to find room


@dataclass(frozen=True, slots=True)
class ScaleBar:
    miles: float
    length: float  # user units

    @classmethod
    def fitting(cls, metres_per_unit: float) -> "ScaleBar":
        """The longest round distance that fits in ``SCALE_BAR_MOST`` units."""
        lengths = [(m, m * METRES_PER_MILE / metres_per_unit) for m in MILES]
        fits = [(m, length) for m, length in lengths if length <= SCALE_BAR_MOST]
        miles, length = fits[-1] if fits else lengths[0]
        return cls(miles, round(length, 1))

    @property
    def text(self) -> str:
        return "1 mile" if self.miles == 1 else f"{self.miles:g} miles"

    def svg(self, size: float) -> str:
        miles = " ".join(f"{m:g}" for m in MILES)
        return (f'<g class="lw-map__scale" transform="translate(8 {size - 8})" '
                f'data-miles="{miles}" data-most="{SCALE_BAR_MOST}" aria-hidden="true">'
                f'<rect x="-4" y="-26" width="100" height="30" fill="{BACKGROUND}" '
                f'opacity="0.85"/>'
                f'<path d="M0,-6V0H{_n(self.length)}V-6" fill="none" stroke="{INK}" '
                f'stroke-width="1.5"/>'
                f'<text x="0" y="-10" fill="{INK}">{escape(self.text)}</text></g>')


def point_map(boroughs: Iterable[BoroughShape], *, title: str, points: Sequence[MapPoint],
              chart_id: str = "map", origin: Origin | None = None,
              href: str = "#result-{number}") -> Markup:
    """Numbered places over borough outlines: the directory's search map, which
    ``web/static/map.js`` lets people zoom and pan.

    Results at the same place share one marker that lists their numbers; each marker links to
    the first of its results in the list beside the map (``href``), so without script the map
    still leads to the list, which is its text alternative. The first view fits the search
    circle (or the places) in a square; markers keep their size at every zoom, and are placed
    for each of ``ZOOM_LEVELS`` so that none covers another (``charts.markers.place``).
    """
    places = combine([Located(p.lat, p.lon, p.number, p.label) for p in points])
    if not places:
        raise ValueError("nothing to draw: no numbered points")
    lons, lats = [p.lon for p in places], [p.lat for p in places]
    if origin is not None:
        reach_lat = origin.radius_m / METRES_PER_DEGREE_LAT
        reach_lon = reach_lat / math.cos(math.radians(origin.lat))
        lons += [origin.lon - reach_lon, origin.lon + reach_lon]
        lats += [origin.lat - reach_lat, origin.lat + reach_lat]
    project = Projection(lons, lats, VIEW_WIDTH, VIEW_WIDTH, padding=HEIGHT / 2 + 4)
    size = VIEW_WIDTH
    anchors = [project(p.lon, p.lat) for p in places]
    home = project(origin.lon, origin.lat) if origin is not None else None
    scale_bar = ScaleBar.fitting(project.metres_per_unit)
    offsets = []
    for level in ZOOM_LEVELS:
        fixed = [Box(home[0] * level, home[1] * level, ORIGIN_SIZE, ORIGIN_SIZE)] if home else []
        if level == 1:
            fixed.append(SCALE_BAR_BOX)
        offsets.append(place([(x * level, y * level) for x, y in anchors],
                             [p.width for p in places], width=size * level,
                             height=size * level, obstacles=fixed))
    body = [f'<svg xmlns="http://www.w3.org/2000/svg" role="group" class="lw-map__svg" '
            f'viewBox="0 0 {size} {size}" {FONT} font-size="{FONT_SIZE}" '
            f'aria-labelledby="{chart_id}-title" data-zoom-levels="'
            f'{" ".join(str(level) for level in ZOOM_LEVELS)}" '
            f'data-metres-per-unit="{project.metres_per_unit:.3f}">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<rect width="{size}" height="{size}" fill="{BACKGROUND}"/>'
            f'<g class="lw-map__layer">'
            f'<g class="lw-map__boroughs" aria-hidden="true" fill="{PLAIN_FILL}" '
            f'stroke="{BOUNDARY}" stroke-width="1">']
    in_view = []
    for shape in sorted(boroughs, key=lambda b: b.lad_code):
        polygons = _polygons(shape.geometry)
        if _in_view(polygons, project, size):
            in_view.append((shape.name, polygons))
            body.append(f'<path d="{_path(polygons, project)}" fill-rule="evenodd" '
                        f'vector-effect="non-scaling-stroke" '
                        f'data-lad-code="{escape(shape.lad_code)}">'
                        f"<title>{escape(shape.name)}</title></path>")
    body.append("</g>")
    if origin is not None and home is not None:
        body.append(f'<circle class="lw-map__reach" cx="{_n(home[0])}" cy="{_n(home[1])}" '
                    f'r="{origin.radius_m / project.metres_per_unit:.1f}" fill="none" '
                    f'stroke="{QUIET}" stroke-width="1.5" stroke-dasharray="5 4" '
                    f'vector-effect="non-scaling-stroke" aria-hidden="true"/>')
    body.append("</g>")
    taken = [Box(x + dx, y + dy, p.width, HEIGHT)
             for p, (x, y), (dx, dy) in zip(places, anchors, offsets[0], strict=True)]
    taken.append(SCALE_BAR_BOX)
    if home is not None:
        taken.append(Box(home[0], home[1], ORIGIN_SIZE, ORIGIN_SIZE))
    body.append('<g class="lw-map__names" aria-hidden="true">')
    body += [f'<text class="lw-map__name" data-x="{_n(x)}" data-y="{_n(y)}" '
             f'transform="translate({_n(x)} {_n(y)})" y="4.2" text-anchor="middle" '
             f'fill="{QUIET}" stroke="{BACKGROUND}" stroke-width="3" paint-order="stroke">'
             f"{escape(name)}</text>"
             for name, x, y in _area_names(in_view, project, size, taken)]
    body.append("</g>")
    if origin is not None and home is not None:
        body.append(f'<g class="lw-map__origin" data-x="{_n(home[0])}" data-y="{_n(home[1])}" '
                    f'transform="translate({_n(home[0])} {_n(home[1])})" aria-hidden="true">'
                    f"<title>{escape(origin.label)}</title>"
                    f'<circle r="7" fill="{BACKGROUND}" stroke="{INK}" stroke-width="3"/>'
                    f'<circle r="2.5" fill="{INK}"/></g>')
    body.append('<g class="lw-map__markers">')
    for place_, (x, y), *levels in zip(places, anchors, *offsets, strict=True):
        body.append(_marker(place_, x, y, levels, href))
    body.append("</g>")
    body.append(scale_bar.svg(size))
    body.append("</svg>")
    return Markup("".join(body))  # noqa: S704 - every text part is escaped above


def _area_names(areas, project: Projection, size: float, taken: list[Box]
                ) -> list[tuple[str, float, float]]:
    """Where to write each area's name: at the middle of the part of it in view, or close by
    where no marker, other name, the searcher's ring or the scale bar is. Areas with little
    in view, or no room near their middle, go unnamed."""
    names = []
    for name, polygons in sorted(areas, key=lambda a: a[0]):
        parts = [_clip([project(c[0], c[1]) for c in polygon[0]], size) for polygon in polygons]
        weighted = [(area, x, y) for area, x, y in map(_centroid, parts) if area > 0]
        total = sum(area for area, _, _ in weighted)
        if total < NAMED_SHARE * size * size:
            continue
        x = sum(area * x for area, x, _ in weighted) / total
        y = sum(area * y for area, _, y in weighted) / total
        width = fit_width(name)
        spot = Room(taken, width, size, size).spot_near(x, y, NAME_REACH)
        if spot is not None:
            names.append((name, round(x + spot[0], 1), round(y + spot[1], 1)))
            taken.append(Box(x + spot[0], y + spot[1], width, HEIGHT))
    return names


def _clip(ring: list[tuple[float, float]], size: float) -> list[tuple[float, float]]:
    """The ring cut to the square view (Sutherland–Hodgman, one edge of the view at a time)."""
    edges = [(lambda p: p[0] >= 0, 0, 0.0), (lambda p: p[0] <= size, 0, size),
             (lambda p: p[1] >= 0, 1, 0.0), (lambda p: p[1] <= size, 1, size)]
    for inside, axis, value in edges:
        if not ring:
            break
        cut = []
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if inside(b):
                if not inside(a):
                    cut.append(_cross(a, b, axis, value))
                cut.append(b)
            elif inside(a):
                cut.append(_cross(a, b, axis, value))
        ring = cut
    return ring


def _cross(a, b, axis: int, value: float) -> tuple[float, float]:
    t = (value - a[axis]) / (b[axis] - a[axis])
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centre of a polygon (shoelace); zero area for fewer than three corners."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return 0.0, 0.0, 0.0
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def _in_view(polygons, project: Projection, size: float) -> bool:
    lons = [c[0] for polygon in polygons for ring in polygon for c in ring]
    lats = [c[1] for polygon in polygons for ring in polygon for c in ring]
    west, north = project(min(lons), max(lats))
    east, south = project(max(lons), min(lats))
    return west <= size and east >= 0 and north <= size and south >= 0


def _marker(place_: Place, x: float, y: float, levels: list[tuple[float, float]],
            href: str) -> str:
    dx, dy = levels[0]
    names = "; ".join(f"{n}: {label}" for n, label in zip(place_.numbers, place_.labels,
                                                         strict=True))
    name = names if len(place_.numbers) == 1 else f"{names} (at the same place)"
    width = place_.width
    badge = (f'<circle r="{HEIGHT / 2:g}"' if width == HEIGHT else
             f'<rect x="{_n(-width / 2)}" y="{-HEIGHT / 2:g}" width="{_n(width)}" '
             f'height="{HEIGHT}" rx="{HEIGHT / 2:g}"')
    return (f'<a class="lw-map__marker" href="{escape(href.format(number=place_.numbers[0]))}" '
            f'aria-label="{escape(name)}" data-numbers="{" ".join(map(str, place_.numbers))}" '
            f'data-x="{_n(x)}" data-y="{_n(y)}" '
            f'data-offsets="{" ".join(f"{_n(ox)},{_n(oy)}" for ox, oy in levels)}" '
            f'transform="translate({_n(x + dx)} {_n(y + dy)})">'
            f"<title>{escape(name)}</title>"
            f'<line class="lw-map__leader" x1="{_n(-dx)}" y1="{_n(-dy)}" x2="0" y2="0" '
            f'stroke="{INK}" stroke-width="1.5"/>'
            f'<circle class="lw-map__place" cx="{_n(-dx)}" cy="{_n(-dy)}" r="3" fill="{INK}"/>'
            f'{badge} class="lw-map__badge" fill="{MARKER_FILL}" stroke="{MARKER_EDGE}" '
            f'stroke-width="1.5"/>'
            f'<text class="lw-map__number" y="{FONT_SIZE * 0.36:.1f}" text-anchor="middle" '
            f'font-size="{FONT_SIZE}" font-weight="bold" fill="{MARKER_TEXT}">'
            f"{escape(place_.text)}</text></a>")


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
    polygons, project = _project(shapes, dots)

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
