"""The MVIS extract over a million episodes.

Writes about 1.25 million referred people (a million of them with an episode, with needs,
onward referrals, closures and declines) into a scratch SQLite database with Core bulk
inserts, then times ``queries.mvis_counts`` + ``domain.mvis_rows`` (the work of
``linkwell report mvis``) over four months. Target: <= 30 s. BENCH_MVIS_PEOPLE changes the
size.
"""

import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from tests.gprecord_factories import insert_mvis_cohort

from linkwell.db import make_engine, make_sessionmaker
from linkwell.gprecord import domain, queries
from linkwell.migrate import upgrade
from linkwell.referrals.models import Episode

PEOPLE = int(os.environ.get("BENCH_MVIS_PEOPLE", "1250000"))
TARGET_SECONDS = 30


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="linkwell-bench-mvis-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    loading = time.perf_counter()
    with engine.begin() as connection:
        insert_mvis_cohort(connection, people=PEOPLE, seed=5, start=start, days=120)
    loaded = time.perf_counter() - loading
    with make_sessionmaker(engine)() as session:
        episodes = session.scalar(select(func.count()).select_from(Episode))
        began = time.perf_counter()
        rows = domain.mvis_rows(queries.mvis_counts(session, start,
                                                    datetime(2026, 5, 1, tzinfo=UTC)))
        seconds = time.perf_counter() - began
    engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    verdict = "meets" if seconds <= TARGET_SECONDS else "MISSES"
    print(f"{episodes:,} episodes ({PEOPLE:,} people, loaded in {loaded:.0f} s): MVIS extract "
          f"of {len(rows)} rows in {seconds:.1f} s; target <= {TARGET_SECONDS} s: {verdict}")


if __name__ == "__main__":
    main()
