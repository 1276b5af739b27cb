"""Accountability answer latency: rebuilding a programme "as of" a date from its version rows.

Builds, on a scratch SQLite database, a programme far larger than any real one (20 commitments,
400 commissions each edited 5 times, 20 combined values, 100 allocations), then times
``programme_state`` + ``build_answer`` + JSON as of today and as of an early date, and the cost
of one saved edit. Targets: answer p95 <= 250 ms; one edit p95 <= 100 ms (without a combined
value) on a developer laptop.
"""

import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from linkwell.commissioning import commands, queries
from linkwell.commissioning.answer import build_answer
from linkwell.db import make_engine, make_sessionmaker
from linkwell.migrate import upgrade

START = date(2019, 1, 17)
SLUG = "bench-programme"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(label: str, timings_ms: list[float]) -> None:
    print(f"{label:<44} n={len(timings_ms):4d}   p50 {statistics.median(timings_ms):7.2f} ms   "
          f"p95 {_percentile(timings_ms, 0.95):7.2f} ms   max {max(timings_ms):7.2f} ms")


def _build(factory) -> list[float]:
    edits = []
    with factory() as session, session.begin():
        commands.create_programme(session, slug=SLUG, title="Benchmark", strategy="Bench",
                                  valid_from=START)
        commitments = [commands.save_commitment(session, SLUG, text=f"Commitment {n}",
                                                valid_from=START) for n in range(20)]
        combined = [commands.save_combined_value(session, SLUG, label=f"Combined {n}",
                                                 amount=100_000, valid_from=START)
                    for n in range(20)]
        for n in range(100):
            commands.save_allocation(session, SLUG, description=f"Allocation {n}",
                                     amount=None if n % 7 == 0 else 5_000,
                                     commitment_ids=[commitments[n % 20]], valid_from=START)
    for n in range(400):
        with factory() as session, session.begin():
            commission_id = None
            for v in range(5):
                start = time.perf_counter()
                commission_id = commands.save_commission(
                    session, SLUG, commission_id=commission_id, title=f"Commission {n}",
                    kind="review", status=["planned", "commissioned", "in_progress",
                                           "reported", "published"][v],
                    value=None if n % 11 == 0 else 1_000 + v,
                    combined_value_id=combined[n % 20] if n < 40 else None,
                    report_due="spring 2020", commitment_ids=[commitments[n % 20]] if n % 5
                    else [], valid_from=START + timedelta(days=60 * v))
                if n >= 40:
                    edits.append((time.perf_counter() - start) * 1000)
    return edits


def _answers(factory, as_of: date, runs: int = 30) -> list[float]:
    timings = []
    for _ in range(runs):
        with factory() as session:
            start = time.perf_counter()
            build_answer(queries.programme_state(session, SLUG, as_of)).to_json()
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        start = time.perf_counter()
        edits = _build(factory)
        print(f"build 400 commissions x 5 versions: {time.perf_counter() - start:.1f} s")
        _report("save one commission version", edits)
        _report("answer + JSON as of today (400 live)", _answers(factory, queries.today()))
        _report("answer + JSON as of 2019-01-17", _answers(factory, START))
        engine.dispose()
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
