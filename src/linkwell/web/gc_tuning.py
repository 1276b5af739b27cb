"""Garbage-collector settings for a serving process, applied once after start-up.

Long-lived start-up objects (models, templates, routes) need no collecting, so they are frozen
out of the collector's view. A page such as the caseload allocates tens of thousands of
objects, so the default young-generation threshold (700) collects many times per request and
soon triggers full collections, the 50-300 ms pauses seen in the caseload's latency tail (see
docs/referrals.md). Young collections every 50,000 allocations, and a full one after 20 x 100
of those, keep pauses out of requests at the cost of a little more memory between them.
"""

import atexit
import gc

THRESHOLDS = (50_000, 20, 100)


def settle_after_start_up() -> None:
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    # Frozen objects are not released at exit; extension modules (DuckDB) then report leaks.
    atexit.register(gc.unfreeze)
