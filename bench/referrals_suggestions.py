"""Service suggestions for one person over a 50,000-service directory, on SQLite.

Builds a scratch database with London geography (``../shared/data/london`` or
LINKWELL_GEO_DATA_PATH) and the demo directory (BENCH_SERVICES, default 50,000), adds 5,000
past onward referrals so acceptance rates are computed for real, then times
``suggestions.suggest`` for people at random London postcodes with one to three needs.
Target: p95 <= 50 ms.
"""

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.demo import create_directory
from linkwell.directory.models import Service
from linkwell.geo.loading import load_reference_data
from linkwell.geo.models import Postcode
from linkwell.migrate import upgrade
from linkwell.referrals import domain, suggestions
from linkwell.referrals.models import Episode, OnwardReferral, Person, Referral
from linkwell.settings import get_settings

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
PEOPLE = 300
HISTORY = 5000
SEED = 2019


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _history(session, rng: random.Random) -> None:
    """Past onward referrals, accepted or declined, so acceptance rates are real queries."""
    now = datetime.now(UTC)
    person = Person(given_name="Bench", family_name="Person", birth_date=date(1960, 1, 1),
                    match_key="bench", created_at=now)
    session.add(person)
    session.flush()
    referral = Referral(person_id=person.id, source="gp", reasons=["loneliness"], notes="",
                        consent_to_share=True, consent_recorded_at=now, status="in-progress",
                        version=1, created_at=now)
    session.add(referral)
    session.flush()
    episode = Episode(person_id=person.id, referral_id=referral.id, opened_at=now, version=1)
    session.add(episode)
    session.flush()
    services = session.execute(select(Service.id, Service.organization_id)).all()
    rows = []
    for _ in range(HISTORY):
        service_id, org = rng.choice(services)
        rows.append({"episode_id": episode.id, "service_id": service_id,
                     "organization_id": org, "reason": "loneliness", "summary": "",
                     "attachments": [], "version": 2, "sent_at": now,
                     "status": rng.choice(["accepted", "completed", "rejected"])})
    session.execute(insert(OnwardReferral), rows)


def main() -> None:
    geo = Path(os.environ.get("LINKWELL_GEO_DATA_PATH", get_settings().geo_data_path))
    if not (geo / "lsoa2011.csv").exists():
        print(f"skipped: no London reference data at {geo}")
        return
    rng = random.Random(SEED)  # noqa: S311 - benchmark sampling
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        load_reference_data(engine, geo)
        factory = make_sessionmaker(engine)
        with factory() as session, session.begin():
            started = time.perf_counter()
            print(create_directory(session, services=SERVICES, seed=SEED, today=date.today()))
            print(f"directory generated in {time.perf_counter() - started:.1f} s")
            _history(session, rng)
        needs_domains = list(domain.NEEDS_DOMAINS)
        languages = [None, None, None, "Somali", "Polish", "Bengali"]
        with factory() as session:
            points = session.execute(select(Postcode.lat, Postcode.lon)).all()
            timings, found = [], []
            for _ in range(PEOPLE):
                lat, lon = rng.choice(points)
                needs = {d: rng.randint(2, 5) for d in rng.sample(needs_domains,
                                                                   rng.randint(1, 3))}
                started = time.perf_counter_ns()
                ranked = suggestions.suggest(session, needs=needs, birth_date=date(1958, 6, 1),
                                             lat=lat, lon=lon, language=rng.choice(languages),
                                             limit=10)
                timings.append((time.perf_counter_ns() - started) / 1e6)
                found.append(len(ranked))
        print(f"suggestions over {SERVICES:,} services, {PEOPLE} people: "
              f"p50 {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms "
              f"(target p95 50 ms); median {statistics.median(found):.0f} suggestions")
        engine.dispose()
