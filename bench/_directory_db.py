"""A scratch database with London geography and the demo directory, built once per run.

``directory_search``, ``directory_duplicates`` and ``oruk_http`` need 50,000 services;
building them takes minutes, so the first caller builds the database and later callers in the
same ``python -m bench`` run reuse it. BENCH_SERVICES sets the size; BENCH_DIRECTORY_URL names
an existing, indexed database to use instead (handy when re-running one benchmark).
``engines()`` reads BENCH_ENGINES (default ``sqlite,postgresql``) for the benchmarks that
measure both; a PostgreSQL database is made beside BENCH_PG_URL (default the test server's)
and dropped at exit.
"""

import atexit
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.demo import create_directory
from linkwell.directory.search_index import reindex_services
from linkwell.geo.loading import load_reference_data
from linkwell.migrate import upgrade
from linkwell.settings import get_settings

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
SEED = 2019
ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_built: dict[tuple[int, str], str] = {}


def engines() -> list[str]:
    return [e.strip() for e in os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
            if e.strip()]


def geo_data() -> Path | None:
    folder = Path(os.environ.get("LINKWELL_GEO_DATA_PATH", get_settings().geo_data_path))
    return folder if (folder / "lsoa2011.csv").exists() else None


def directory_database(services: int = SERVICES, engine: str = "sqlite") -> str | None:
    """URL of a database on ``engine`` holding ``services`` demo services, or None without
    geo data."""
    if os.environ.get("BENCH_DIRECTORY_URL"):
        return os.environ["BENCH_DIRECTORY_URL"]
    if (services, engine) in _built:
        return _built[services, engine]
    geo = geo_data()
    if geo is None:
        return None
    url = _sqlite_database() if engine == "sqlite" else _postgres_database(services)
    upgrade(url)
    bind = make_engine(url)
    started = time.perf_counter()
    load_reference_data(bind, geo)
    print(f"geography loaded into {engine} in {time.perf_counter() - started:.1f} s")
    with make_sessionmaker(bind)() as session, session.begin():
        started = time.perf_counter()
        print(create_directory(session, services=services, seed=SEED, today=date.today()))
        print(f"directory generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        indexed = reindex_services(session)
        print(f"search index built for {indexed:,} services in "
              f"{time.perf_counter() - started:.1f} s")
    bind.dispose()
    _built[services, engine] = url
    return url


def on_each_engine(measure) -> None:
    """Build the demo directory on each engine in turn and run ``measure(url)`` on it."""
    for engine in engines():
        url = directory_database(engine=engine)
        if url is None:
            print("skipped: no London reference data (../shared/data/london)")
            return
        print(f"-- {engine}")
        measure(url)


def _sqlite_database() -> str:
    folder = tempfile.mkdtemp(prefix="linkwell-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return f"sqlite:///{folder}/directory.db"


def _postgres_database(services: int) -> str:
    name = f"linkwell_bench_directory_{os.getpid()}_{services}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    drop = sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with admin.connect() as connection:
        connection.execute(drop)
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def _drop() -> None:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()

    atexit.register(_drop)
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
