"""A scratch SQLite database with London geography and the demo directory, built once per run.

``directory_search`` and ``oruk_http`` both need 50,000 services; building them takes minutes,
so the first caller builds the database and later callers in the same ``python -m bench`` run
reuse it. BENCH_SERVICES sets the size; BENCH_DIRECTORY_URL names an existing, indexed
database to use instead (handy when re-running one benchmark).
"""

import atexit
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.demo import create_directory
from linkwell.directory.search_index import reindex_services
from linkwell.geo.loading import load_reference_data
from linkwell.migrate import upgrade
from linkwell.settings import get_settings

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
SEED = 2019
_built: dict[int, str] = {}


def geo_data() -> Path | None:
    folder = Path(os.environ.get("LINKWELL_GEO_DATA_PATH", get_settings().geo_data_path))
    return folder if (folder / "lsoa2011.csv").exists() else None


def directory_database(services: int = SERVICES) -> str | None:
    """URL of a SQLite database holding ``services`` demo services, or None without geo data."""
    if os.environ.get("BENCH_DIRECTORY_URL"):
        return os.environ["BENCH_DIRECTORY_URL"]
    if services in _built:
        return _built[services]
    geo = geo_data()
    if geo is None:
        return None
    folder = tempfile.mkdtemp(prefix="linkwell-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    url = f"sqlite:///{folder}/directory.db"
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    load_reference_data(engine, geo)
    print(f"geography loaded in {time.perf_counter() - started:.1f} s")
    with make_sessionmaker(engine)() as session, session.begin():
        started = time.perf_counter()
        print(create_directory(session, services=services, seed=SEED, today=date.today()))
        print(f"directory generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        indexed = reindex_services(session)
        print(f"search index built for {indexed:,} services in "
              f"{time.perf_counter() - started:.1f} s")
    engine.dispose()
    _built[services] = url
    return url
