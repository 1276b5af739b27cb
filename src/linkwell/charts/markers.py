"""Numbered markers on a map: which results share a place, what each marker says, and where
each is drawn so that no marker covers another (pure, deterministic).

A marker is drawn at its place when there is room. Where markers crowd, the later ones (the
list's lower-ranked results) move out along rings around their place to the nearest free
spot, and the map draws a leader line back to the place. Placement runs once per zoom level
the map offers: zooming in spreads places apart, so markers return towards their places.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

METRES_PER_DEGREE_LAT = 111_195
SAME_PLACE_M = 25  # closer than this is one building: one marker lists every number there
FONT_SIZE = 13  # user units, bold
HEIGHT = 24  # ≥ 24 CSS px whenever the map is drawn at least its viewBox wide (WCAG 2.5.8)
# Average advance widths of Arial Bold, in ems, for what a marker can say.
_ADVANCE = {",": 0.278, " ": 0.278, "–": 0.556}
_DIGIT = 0.556
RING_STEP = 4  # user units between the rings of candidate spots
RING_SPOTS = 16  # candidate spots on each ring, starting north and going clockwise


@dataclass(frozen=True, slots=True)
class Located:
    """One numbered result at a place."""

    lat: float
    lon: float
    number: int
    label: str


@dataclass(frozen=True, slots=True)
class Place:
    """Every result at one place, in list order; drawn as one marker."""

    lat: float
    lon: float
    numbers: tuple[int, ...]
    labels: tuple[str, ...]

    @property
    def text(self) -> str:
        return marker_text(self.numbers)

    @property
    def width(self) -> float:
        return marker_width(self.text)


def _metres(a: Located | Place, b: Located) -> float:
    kx = math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot((a.lat - b.lat), (a.lon - b.lon) * kx) * METRES_PER_DEGREE_LAT


def combine(located: Sequence[Located], within_m: float = SAME_PLACE_M) -> list[Place]:
    """Results closer than ``within_m`` to a place's first result share its marker. Places
    come in the order of their first number, so the best result's place is placed first."""
    groups: list[list[Located]] = []
    for item in sorted(located, key=lambda r: r.number):
        home = next((g for g in groups if _metres(g[0], item) < within_m), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return [Place(g[0].lat, g[0].lon, tuple(r.number for r in g), tuple(r.label for r in g))
            for g in groups]


def marker_text(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` reads "1–3, 7": runs of three or more are shortened with a dash."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return ", ".join(parts)


def marker_width(text: str) -> float:
    """A circle for one or two digits; a pill as wide as the text (and padding) beyond that."""
    if len(text) <= 2:
        return float(HEIGHT)
    return max(float(HEIGHT), round(sum(_ADVANCE.get(c, _DIGIT) for c in text) * FONT_SIZE + 10, 1))


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle by its centre and size, in the map's user units."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: "Box", gap: float = 0) -> bool:
        return (abs(self.x - other.x) < (self.width + other.width) / 2 + gap
                and abs(self.y - other.y) < (self.height + other.height) / 2 + gap)

    def inside(self, width: float, height: float, margin: float) -> bool:
        return (self.x - self.width / 2 >= margin and self.x + self.width / 2 <= width - margin
                and self.y - self.height / 2 >= margin
                and self.y + self.height / 2 <= height - margin)


@cache
def _spots(reach: float) -> tuple[tuple[float, float], ...]:
    """The anchor itself, then rings around it out to ``reach``."""
    spots = [(0.0, 0.0)]
    for ring in range(1, int(reach // RING_STEP) + 1):
        radius = ring * RING_STEP
        for i in range(RING_SPOTS):
            angle = 2 * math.pi * i / RING_SPOTS
            spots.append((round(radius * math.sin(angle), 1), round(-radius * math.cos(angle), 1)))
    return tuple(spots)


def place(anchors: Sequence[tuple[float, float]], widths: Sequence[float], *, width: float,
          height: float, obstacles: Sequence[Box] = (), gap: float = 2, margin: float = 2
          ) -> list[tuple[float, float]]:
    """Each marker's offset from its anchor so that no two markers, and no marker and an
    obstacle (the searcher's own place, the scale bar), come within ``gap`` of each other,
    and every marker lies inside ``width`` × ``height``.

    Markers are placed in the order given, each at the first free spot on rings around its
    anchor. Should the rings find none, every spot of the map is tried, nearest first; a map
    too full for even that keeps the spot that covers the least of the others.
    """
    taken: list[Box] = list(obstacles)
    offsets = []
    for (x, y), w in zip(anchors, widths, strict=True):
        room = Room(taken, w, width, height, gap, margin)
        chosen = room.spot_near(x, y, max(width, height)) or room.least_covering(x, y)
        taken.append(Box(x + chosen[0], y + chosen[1], w, HEIGHT))
        offsets.append(chosen)
    return offsets


class Room:
    """Where a box ``box_width`` wide (and ``HEIGHT`` high) fits among boxes already placed."""

    def __init__(self, taken: Sequence[Box], box_width: float, width: float, height: float,
                 gap: float = 2, margin: float = 2):
        self.half_w, self.half_h = box_width / 2, HEIGHT / 2
        self.width, self.height, self.gap, self.margin = width, height, gap, margin
        # How close, on each axis, another box's centre may come to this one's.
        self.reach = [(t.x, t.y, (t.width + box_width) / 2 + gap, (t.height + HEIGHT) / 2 + gap)
                      for t in taken]

    def free(self, cx: float, cy: float) -> bool:
        if not (self.margin <= cx - self.half_w and cx + self.half_w <= self.width - self.margin
                and self.margin <= cy - self.half_h
                and cy + self.half_h <= self.height - self.margin):
            return False
        return all(abs(cx - tx) >= rx or abs(cy - ty) >= ry for tx, ty, rx, ry in self.reach)

    def spot_near(self, x: float, y: float, reach: float) -> tuple[float, float] | None:
        """The first free offset on rings around (x, y) out to ``reach``, or None."""
        return next(((dx, dy) for dx, dy in _spots(reach) if self.free(x + dx, y + dy)), None)

    def least_covering(self, x: float, y: float) -> tuple[float, float]:
        """The nearest free offset anywhere in the room, else the one covering least of the
        boxes already placed (so none hides another wholly)."""
        grid = [(gx - x, gy - y)
                for gx in _steps(self.margin + self.half_w, self.width - self.margin - self.half_w)
                for gy in _steps(self.margin + self.half_h,
                                 self.height - self.margin - self.half_h)]
        grid.sort(key=lambda d: (math.hypot(*d), d))
        spot = next(((dx, dy) for dx, dy in grid if self.free(x + dx, y + dy)), None)
        if spot is None:
            spot = min(grid or [(0.0, 0.0)], key=lambda d: (self._covered(x + d[0], y + d[1]),
                                                            math.hypot(*d)))
        return round(spot[0], 1), round(spot[1], 1)

    def _covered(self, cx: float, cy: float) -> float:
        return sum(max(0.0, rx - abs(cx - tx)) * max(0.0, ry - abs(cy - ty))
                   for tx, ty, rx, ry in self.reach)


def _steps(low: float, high: float, step: float = 2) -> list[float]:
    count = int((high - low) // step)
    return [low + i * step for i in range(count + 1)] if high >= low else []
