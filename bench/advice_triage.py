"""Advice triage latency, in process: loading the model once, then triaging descriptions.

Times the first-use loading (the shipped model's arrays, data/model.npz, and the vocabulary
of the labelled and development sets), then ``triage`` over every labelled description and
development enquiry (short to long: phrase rules, model, urgency triggers and date reading)
and over descriptions at the 5,000-character cap. Targets: loading <= 2 s; p95 <= 20 ms for
ordinary descriptions and <= 250 ms at the cap (one request at a time; the web app serves
triage in a thread pool).
"""

import os
import statistics
import time
from datetime import date

from linkwell.advice.classifier import default_model, load_training
from linkwell.advice.triage import MAX_CHARS, known_words, triage

TODAY = date(2026, 12, 4)
TARGET_P95_MS = 20.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(label: str, timings_ms: list[float]) -> None:
    print(f"{label:<40} n={len(timings_ms):4d}   p50 {statistics.median(timings_ms):7.2f} ms   "
          f"p95 {_percentile(timings_ms, 0.95):7.2f} ms   max {max(timings_ms):7.2f} ms")


def _time(texts: list[str], clock=time.perf_counter) -> list[float]:
    timings = []
    for text in texts:
        start = clock()
        triage(text, today=TODAY)
        timings.append((clock() - start) * 1000)
    return timings


def main() -> None:
    default_model.cache_clear()
    known_words.cache_clear()
    start = time.perf_counter()
    default_model()
    known_words()
    print(f"load the model and the vocabulary of the labelled and development sets: "
          f"{time.perf_counter() - start:.2f} s")
    texts = [row.text for row in load_training()]
    _time(texts[:20])  # warm the caches a running server would have
    timings = _time(texts)
    _report("triage each description (wall clock)", timings)
    # CPU time of this process: what triage costs, whatever else the machine is running.
    cpu = _time(texts, time.process_time)
    _report("triage each description (CPU time)", cpu)
    for label, values in (("wall-clock", timings), ("CPU-time", cpu)):
        p95 = _percentile(values, 0.95)
        print(f"{label} p95 {p95:.2f} ms: {'meets' if p95 <= TARGET_P95_MS else 'MISSES'} "
              f"the {TARGET_P95_MS:.0f} ms target")
    long_texts = [(t + " ") * (MAX_CHARS // len(t) + 1) for t in texts[::20]]
    _report(f"triage at the {MAX_CHARS:,}-character cap", _time(long_texts))
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
