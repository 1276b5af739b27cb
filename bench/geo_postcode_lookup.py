"""Postcode lookup latency: p50/p95 over 10,000 random London postcodes on SQLite.

Loads ../shared/data/london (LINKWELL_GEO_DATA_PATH) into a scratch SQLite database, then
times ``lookup_postcode`` for randomly chosen postcodes typed in lower case without the space:
first with an empty cache (each lookup queries the database), then again with the cache warm.
Target: <= 1 ms per lookup.
"""

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from linkwell.db import make_engine, make_sessionmaker
from linkwell.geo.loading import load_reference_data
from linkwell.geo.models import Postcode
from linkwell.geo.queries import clear_postcode_cache, lookup_postcode
from linkwell.migrate import upgrade
from linkwell.settings import get_settings

SAMPLE = 10_000
SEED = 20_190_926  # IoD 2019 publication date


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _time_lookups(session, spellings: list[str]) -> list[float]:
    timings = []
    for text in spellings:
        start = time.perf_counter_ns()
        lookup_postcode(session, text)
        timings.append((time.perf_counter_ns() - start) / 1_000)
    return timings


def _report(label: str, timings: list[float]) -> None:
    print(f"{label:<34} p50 {statistics.median(timings):7.1f} us   "
          f"p95 {_percentile(timings, 0.95):7.1f} us   p99 {_percentile(timings, 0.99):7.1f} us"
          f"   max {max(timings):8.1f} us")


def main() -> None:
    source = Path(get_settings().geo_data_path)
    if not (source / "lsoa2011.csv").exists():
        print(f"skipped: no reference data at {source}")
        return
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-") as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        start = time.perf_counter()
        summary = load_reference_data(engine, source)
        print(f"load {summary.postcodes:,} postcodes, {summary.lsoas:,} LSOAs, "
              f"{summary.boroughs} boroughs into SQLite: {time.perf_counter() - start:.1f} s")
        with make_sessionmaker(engine)() as session:
            postcodes = session.scalars(select(Postcode.postcode)).all()
            sample = random.Random(SEED).sample(postcodes, SAMPLE)
            spellings = [p.replace(" ", "").lower() for p in sample]
            clear_postcode_cache()
            _report(f"lookup x{SAMPLE:,}, cache empty", _time_lookups(session, spellings))
            _report(f"lookup x{SAMPLE:,}, cache warm", _time_lookups(session, spellings))
        print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        engine.dispose()


if __name__ == "__main__":
    main()
