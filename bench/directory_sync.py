"""Directory sync: ``linkwell directory sync`` of 50,000 changed services from a local ORUK feed.

The feed is the demo directory (synthetic geography, as ``directory_import``) exported as
compiled services and served by ``tests/oruk_feed_standin.py`` over HTTP on loopback, 100
services a page with ``full=true``. A first sync fills a fresh SQLite database; then 1 in 100
services get a provider's edit of their email here, the feed changes every service (a new
description and email, a later ``last_modified``), and the second sync, the one measured,
reads all of them with ``modified_after``, holds the edited emails for review and writes the
rest. Both syncs run the real command in a child process, so the stand-in (in this process)
does not share its interpreter; elapsed and CPU time of the child are printed (on
PostgreSQL the server's own CPU time is not in it). Target: 50,000 changed services in at most
60 s, on each engine.

Environment: ``LINKWELL_BENCH_SERVICES`` (default 50000); ``BENCH_ENGINES`` (default
``sqlite,postgresql``): the PostgreSQL database is a scratch one made beside ``BENCH_PG_URL``
(default the test server's ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and dropped;
``BENCH_PROFILE=PATH`` writes the second sync's cProfile to ``PATH.<engine>.prof``.
"""

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench.directory_import import _synthetic_geography  # noqa: E402
from linkwell.db import make_engine, make_sessionmaker, transaction  # noqa: E402
from linkwell.directory.feeds import iter_json_items  # noqa: E402
from linkwell.directory.models import FeedChange, Metadata, Service  # noqa: E402
from linkwell.migrate import upgrade  # noqa: E402
from oruk_feed_standin import OrukFeedStandIn  # noqa: E402

EDITED_ONE_IN = 100
ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _make_feed(folder: Path, services: int) -> Path:
    from linkwell.directory.demo import create_directory
    from linkwell.directory.transfer import export_services_json

    url = f"sqlite:///{folder / 'source.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    lsoas, postcodes = _synthetic_geography()
    with transaction(factory) as session:
        session.add_all(lsoas + postcodes)
    with transaction(factory) as session:
        create_directory(session, services=services, seed=51, today=date(2026, 1, 1))
    with transaction(factory) as session:
        export_services_json(session, folder / "services.json")
    engine.dispose()
    return folder / "services.json"


def _services(path: Path):
    with path.open(encoding="utf-8") as stream:
        for _, _, item in iter_json_items(stream, path.name):
            yield item


class _CpuWatch:
    """CPU time of the sync's processes and how long they waited for a CPU that other
    processes held (the scheduler's run-queue time, ``/proc/PID/task/*/schedstat``), read
    every 0.2 s while they run: the child and, on PostgreSQL, the server's backends for the
    database. On a shared, busy machine, elapsed minus the child's wait is nearer what the
    sync takes on an idle one."""

    def __init__(self, pid: int, database_url: str):
        self.pid = pid
        self.database = (None if database_url.startswith("sqlite")
                         else database_url.rsplit("/", 1)[1])
        self.child: dict[str, tuple[int, int]] = {}
        self.server: dict[str, tuple[int, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "_CpuWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        admin = sa.create_engine(ADMIN_URL) if self.database else None
        backends: set[int] = set()
        try:
            while not self._stop.wait(0.2):
                _read_schedstat(self.pid, self.child)
                if admin is not None:
                    with admin.connect() as connection:
                        backends.update(connection.execute(sa.text(
                            "SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                            {"name": self.database}).scalars())
                    for pid in backends:
                        _read_schedstat(pid, self.server)
        finally:
            if admin is not None:
                admin.dispose()

    def figures(self) -> str:
        def seconds(readings, which):
            return sum(r[which] for r in readings.values()) / 1e9
        text = f"waited {seconds(self.child, 1):.1f} s for a CPU"
        if self.database:
            text += (f"; server CPU {seconds(self.server, 0):.1f} s, waited "
                     f"{seconds(self.server, 1):.1f} s")
        return text


def _read_schedstat(pid: int, into: dict[str, tuple[int, int]]) -> None:
    """Keep the latest (CPU ns, run-queue wait ns) of every thread of ``pid``."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                on_cpu, waiting, _ = stat.read().split()
        except (OSError, ValueError):
            continue
        into[f"{pid}/{task}"] = (int(on_cpu), int(waiting))


def _sync(url: str, database_url: str, profile: Path | None = None
          ) -> tuple[float, float, str, str]:
    env = {**os.environ, "LINKWELL_DATABASE_URL": database_url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "linkwell")]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), *command]
    with subprocess.Popen([*command, "directory", "sync", url], env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child, \
            _CpuWatch(child.pid, database_url) as watch:
        stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise SystemExit(f"sync failed: {stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, stdout.strip(), watch.figures()


@contextmanager
def _database(engine: str, folder: Path) -> Iterator[str]:
    """A migrated, empty database on the engine, dropped afterwards."""
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'target.db'}"
        upgrade(url)
        yield url
        return
    name = f"linkwell_bench_sync_{os.getpid()}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def main() -> None:
    services = int(os.environ.get("LINKWELL_BENCH_SERVICES", "50000"))
    engines = [e.strip() for e in os.environ.get("BENCH_ENGINES", "sqlite,postgresql")
               .split(",") if e.strip()]
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = _make_feed(folder, services)
        print(f"feed of {services} services made in {time.perf_counter() - started:.1f} s")
        feed = OrukFeedStandIn(_services(path), max_per_page=100).start()
        try:
            for engine in engines:
                with _database(engine, folder) as database_url:
                    print(f"-- {engine}")
                    _first_and_second_sync(feed, path, database_url, services)
        finally:
            feed.stop()


def _first_and_second_sync(feed: OrukFeedStandIn, path: Path, database_url: str,
                           services: int) -> None:
    feed.put(_services(path))  # as first made: another engine's run changed it
    elapsed, cpu, said, waits = _sync(feed.url, database_url)
    print(f"first sync (all new): {elapsed:.1f} s (CPU {cpu:.1f} s; {waits}; {_load()}): "
          f"{said}")

    engine = make_engine(database_url)
    with transaction(make_sessionmaker(engine)) as session:
        ids = list(session.scalars(select(Service.id).order_by(Service.id)))
        edited = set(ids[::EDITED_ONE_IN])
        for service_id in edited:
            session.add(Metadata(
                id=str(uuid.uuid4()), resource_id=service_id, resource_type="service",
                last_action_date=date.today(), last_action_type="edited",
                field_name="email", previous_value="", replacement_value="x",
                updated_by="linkwell-user:1"))
    changed_at = (datetime.now(UTC) + timedelta(minutes=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    feed.put({**s, "description": f"{s.get('description', '')} (updated)",
              "email": f"changed-{s['id'][:8]}@example.org",
              "last_modified": changed_at} for s in _services(path))

    profile = os.environ.get("BENCH_PROFILE")
    elapsed, cpu, said, waits = _sync(feed.url, database_url, profile and Path(
        f"{profile}.{database_url.split(':', 1)[0].split('+')[0]}.prof"))
    with make_sessionmaker(engine)() as session:
        held = len(session.scalars(select(FeedChange.id)).all())
    engine.dispose()
    print(f"second sync ({services} changed services, {held} emails held for review): "
          f"{elapsed:.1f} s elapsed (CPU {cpu:.1f} s; {waits}; {_load()}), "
          f"{services / elapsed:.0f} services/s; target 60 s for 50,000")
    print(f"  {said}")


if __name__ == "__main__":
    main()
