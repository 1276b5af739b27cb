"""The /find map's drawing time: CPU p50/p95/max for a page of 20 places over London.

Reads the borough boundaries from ../shared/data/london (LINKWELL_GEO_DATA_PATH) and draws
``charts.point_map`` for random searches: an origin somewhere in London, a distance of 1, 2,
5 or 10 miles, and 20 places spread across it or crowded into a few hundred metres (the worst
case for placing markers, at each of the four zoom levels). Drawing is pure, so CPU time is
what the page pays, whatever else the machine is doing.
"""

import json
import os
import random
import statistics
import time
from pathlib import Path

from linkwell.charts import BoroughShape, MapPoint, Origin, point_map
from linkwell.settings import get_settings

PAGES = 200
SEED = 20
METRES_PER_MILE = 1609.344
M_LAT = 1 / 111_195  # degrees of latitude per metre
M_LON = 1 / 69_280  # degrees of longitude per metre at 51.5 N


def _shapes(path: Path) -> list[BoroughShape]:
    features = json.loads(path.read_text())["features"]
    return [BoroughShape(f["properties"]["LAD22CD"], f["properties"]["LAD22NM"], f["geometry"])
            for f in features]


def _page(rng: random.Random, crowded: bool) -> tuple[Origin, list[MapPoint]]:
    miles = rng.choice((1, 2, 5, 10))
    lat, lon = rng.uniform(51.40, 51.60), rng.uniform(-0.25, 0.10)
    spread = 150 if crowded else miles * METRES_PER_MILE / 2
    points = [MapPoint(lat + rng.gauss(0, spread) * M_LAT, lon + rng.gauss(0, spread) * M_LON,
                       f"Service {n}", n) for n in range(1, 21)]
    return Origin(lat, lon, "your postcode", miles * METRES_PER_MILE), points


def _report(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    print(f"{label:<28} CPU p50 {statistics.median(ordered):6.1f} ms   "
          f"p95 {ordered[int(0.95 * len(ordered))]:6.1f} ms   max {ordered[-1]:6.1f} ms")


def main() -> None:
    source = Path(get_settings().geo_data_path) / "boroughs.geojson"
    if not source.exists():
        print(f"skipped: no borough boundaries at {source}")
        return
    shapes = _shapes(source)
    rng = random.Random(SEED)
    for crowded in (False, True):
        timings = []
        for _ in range(PAGES):
            origin, points = _page(rng, crowded)
            start = time.process_time()
            point_map(shapes, title="Map", points=points, origin=origin)
            timings.append((time.process_time() - start) * 1000)
        _report(f"{PAGES} pages, {'crowded' if crowded else 'spread'}", timings)
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
