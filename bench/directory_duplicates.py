"""Duplicate detection over the 50,000-service demo directory (target: 60 s), on each engine
of BENCH_ENGINES (default ``sqlite,postgresql``; see ``_directory_db``).

Times ``merges.find_duplicates``: reading what identifies every organisation and service
(names, postcodes, phones, websites, charity numbers), proposing look-alike pairs with
``rapidfuzz``, and writing the proposals, in one transaction that is rolled back.
"""

import os
import time

from bench._directory_db import on_each_engine
from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory import merges
from linkwell.directory.duplicates import propose

TARGET_S = 60


def main() -> None:
    on_each_engine(_measure)


def _measure(url: str) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        started, cpu = time.perf_counter(), time.process_time()
        services = merges.service_records(session)
        organizations = merges.organization_records(session)
        read_s = time.perf_counter() - started
        proposed = time.perf_counter()
        pairs = len(propose(services)) + len(propose(organizations))
        propose_s = time.perf_counter() - proposed
        session.rollback()
        started_all = time.perf_counter()
        counts = merges.find_duplicates(session)
        total_s = time.perf_counter() - started_all
        cpu_s = time.process_time() - cpu
        session.rollback()
    engine.dispose()
    print(f"{len(services):,} services and {len(organizations):,} organisations read in "
          f"{read_s:.1f} s; {pairs:,} look-alike pairs proposed in {propose_s:.1f} s")
    print(f"find_duplicates (read, propose, write {counts}): {total_s:.1f} s elapsed "
          f"(target {TARGET_S} s); {cpu_s:.1f} s of CPU for both passes; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
