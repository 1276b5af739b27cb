"""Referral throughput on PostgreSQL: 20 concurrent API clients against uvicorn.

Creates a scratch PostgreSQL database (beside BENCH_PG_URL, default the test server's
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), serves the app with uvicorn
(BENCH_WORKERS processes, default 2), and runs 20 clients that arrive one by one over two
seconds; for the BENCH_SECONDS that follow (default 20, the part measured) each client in
turn creates a referral (``POST /api/referrals`` with an Idempotency-Key), retries one in
ten of those posts with the same key, and accepts the referral (``If-Match``). Prints operations
(creations + transitions) per second and latency percentiles, then counts rows to prove that
nothing was lost or duplicated. Targets: >= 200 operations/s on 2 cores, p95 <= 150 ms.

The load generator shares the machine's cores, so the run also reports the CPU time spent by
each party (this process, the uvicorn processes, the PostgreSQL backends serving the scratch
database), read from ``/proc`` (Linux), with each worker process's share: a keep-alive
connection stays with the process that accepted it, so clients that all connect in the same
instant can land on one worker and leave the other idle (see docs/referrals.md).
"""

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

import httpx
import sqlalchemy as sa

from linkwell.auth import commands as accounts
from linkwell.db import make_engine, make_sessionmaker
from linkwell.migrate import upgrade

ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CLIENTS = 20
RAMP_SECONDS = 2.0  # clients start one by one over this long; the figures start after it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (0 for any that has gone)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _stolen_and_total() -> tuple[int, int]:
    """Ticks the hypervisor gave to other guests (steal), and all ticks, across the machine's
    cores: a run on a shared host can lose a third of its CPU this way."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return ticks[7], sum(ticks[:8])


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (uvicorn's supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _backends(url: str) -> tuple[list[int], int]:
    """Process ids of the PostgreSQL backends connected to the scratch database, and how many
    connections were ever opened to it (a pool too small for the load opens and closes them
    all the time, which costs far more than the queries)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        pids = list(conn.scalars(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")))
        opened = conn.scalar(sa.text(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"))
    engine.dispose()
    return pids, opened


def _body(n: int) -> dict:
    return {"person": {"given_name": f"Bench{n}", "family_name": "Person",
                       "birth_date": f"19{40 + n % 60:02d}-0{1 + n % 9}-1{n % 9}"},
            "source": "gp", "reasons": ["loneliness"], "notes": "", "consent_to_share": True}


class Tally:
    """Every referral made (for the count check) and, for the figures, the operations that
    started inside the measured window."""

    def __init__(self, window_start: float, window_end: float):
        self.window_start, self.window_end = window_start, window_end
        self.latencies: list[float] = []
        self.created: set[int] = set()
        self.accepted: set[int] = set()
        self.retries_ok = 0
        self.errors: list[str] = []

    def measured(self, started: float) -> None:
        if started >= self.window_start:
            self.latencies.append(time.perf_counter() - started)


class _Http:
    """A minimal HTTP/1.1 keep-alive client: the load generator shares the server's two
    cores, so it does no more per request than write the bytes and read the answer."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc):
        self.writer.close()

    async def post(self, path: str, headers: dict[str, str], body: dict | None = None
                   ) -> tuple[int, dict | None]:
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        length = next(int(line.split(":", 1)[1]) for line in head[1:]
                      if line.lower().startswith("content-length:"))
        answer = await self.reader.readexactly(length)
        return status, json.loads(answer) if answer else None


async def _client(port: int, tokens: dict, tally: Tally, seed: int) -> None:
    referrer = {"Authorization": f"Bearer {tokens['referrer']}"}
    worker = {"Authorization": f"Bearer {tokens['worker']}"}
    # Clients arrive over the ramp, as real ones do, rather than in one instant in which the
    # first worker process to wake accepts every connection.
    await asyncio.sleep(seed * RAMP_SECONDS / CLIENTS)
    async with _Http("127.0.0.1", port) as http:
        n = seed
        while time.perf_counter() < tally.window_end:
            n += CLIENTS
            key = str(uuid.uuid4())
            started = time.perf_counter()
            status, created = await http.post("/api/referrals",
                                              {**referrer, "Idempotency-Key": key}, _body(n))
            tally.measured(started)
            if status != 201:
                tally.errors.append(f"create {status}")
                continue
            referral_id = created["id"]
            tally.created.add(referral_id)
            if n % 10 == 0:
                status, again = await http.post("/api/referrals",
                                                 {**referrer, "Idempotency-Key": key}, _body(n))
                if status == 200 and again["id"] == referral_id:
                    tally.retries_ok += 1
                else:
                    tally.errors.append(f"retry {status}")
            started = time.perf_counter()
            status, _ = await http.post(f"/api/referrals/{referral_id}/accept",
                                        {**worker, "If-Match": '"1"'})
            tally.measured(started)
            if status == 201:
                tally.accepted.add(referral_id)
            else:
                tally.errors.append(f"accept {status}")


def _setup(url: str) -> dict:
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        team = accounts.create_team(session, by=None, name="Bench PCN", kind="pcn",
                                    lad_code="E09000023")
        referrer = accounts.create_user(session, by=None, email="gp@bench.example",
                                        display_name="GP", roles=["referrer"])
        worker = accounts.create_user(session, by=None, email="lw@bench.example",
                                      display_name="LW", roles=["link_worker"], team_id=team.id)
        tokens = {"referrer": accounts.issue_api_token(session, by=None, user_id=referrer.id,
                                                       name="bench"),
                  "worker": accounts.issue_api_token(session, by=None, user_id=worker.id,
                                                     name="bench")}
    engine.dispose()
    return tokens


def _count(url: str, tally: Tally) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        def one(sql: str) -> int:
            return conn.execute(sa.text(sql)).scalar_one()

        referrals = one("SELECT count(*) FROM referral")
        accepted = one("SELECT count(*) FROM referral WHERE status = 'accepted'")
        episodes = one("SELECT count(*) FROM episode")
        events = one("SELECT count(*) FROM status_event")
        keys = one("SELECT count(*) FROM idempotency_key")
        dup_keys = one("SELECT count(*) FROM (SELECT scope, key FROM idempotency_key "
                       "GROUP BY scope, key HAVING count(*) > 1) d")
        dup_episodes = one("SELECT count(*) FROM (SELECT referral_id FROM episode "
                           "GROUP BY referral_id HAVING count(*) > 1) d")
    engine.dispose()
    checks = {
        "referrals == successful creations": referrals == len(tally.created),
        "accepted == successful accepts": accepted == len(tally.accepted) == episodes,
        "status events == creations + accepts":
            events == len(tally.created) + len(tally.accepted),
        "one idempotency key per referral": keys == referrals and dup_keys == 0,
        "no duplicated episodes": dup_episodes == 0,
    }
    print(f"count check: {referrals} referrals, {accepted} accepted, {episodes} episodes, "
          f"{events} status events, {keys} idempotency keys")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")


def main() -> None:
    name = f"linkwell_bench_{os.getpid()}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        print(f"skipped: PostgreSQL not reachable at {ADMIN_URL} ({exc.orig})")
        return
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    server = None
    try:
        tokens = _setup(url)
        port = _free_port()
        env = {**os.environ, "LINKWELL_DATABASE_URL": url,
               "LINKWELL_SECRET_KEY": "bench-secret-key-not-for-production"}
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "uvicorn", "linkwell.web.asgi:app", "--port", str(port),
             "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"],
            env=env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        servers = _descendants(server.pid)
        window_start = time.perf_counter() + RAMP_SECONDS
        tally = Tally(window_start, window_start + SECONDS)
        snapshots = []

        def snapshot() -> dict:
            backends, opened = _backends(url)
            return {"at": time.perf_counter(), "generator": time.process_time(),
                    "workers": {pid: _cpu_seconds([pid]) for pid in servers},
                    "backends": {pid: _cpu_seconds([pid]) for pid in backends},
                    "opened": opened, "steal": _stolen_and_total(),
                    "load": os.getloadavg()[0]}

        async def probe() -> None:
            for moment in (tally.window_start, tally.window_end):
                await asyncio.sleep(max(0.0, moment - time.perf_counter()))
                snapshots.append(await asyncio.to_thread(snapshot))

        async def run() -> None:
            await asyncio.gather(probe(), *(_client(port, tokens, tally, seed)
                                            for seed in range(CLIENTS)))

        asyncio.run(run())
        before, after = snapshots
        elapsed = after["at"] - before["at"]
        per_worker = sorted((after["workers"][pid] - cpu for pid, cpu
                             in before["workers"].items()), reverse=True)
        cpu = {"load generator": after["generator"] - before["generator"],
               "uvicorn": sum(per_worker),
               "PostgreSQL": sum(cpu - before["backends"].get(pid, 0.0)
                                 for pid, cpu in after["backends"].items())}
        operations = len(tally.latencies)
        ms = [v * 1000 for v in tally.latencies]
        print(f"{CLIENTS} clients (arriving over {RAMP_SECONDS:.0f} s), {WORKERS} uvicorn "
              f"workers, measured over {elapsed:.1f} s: {operations / elapsed:.0f} "
              "operations/s (creations + transitions; target 200/s)")
        print(f"latency: p50 {statistics.median(ms):.0f} ms, p95 {_percentile(ms, 0.95):.0f} ms,"
              f" p99 {_percentile(ms, 0.99):.0f} ms (target p95 150 ms); "
              f"{tally.retries_ok} retries answered with the original; "
              f"{len(tally.errors)} errors {sorted(set(tally.errors))[:5]}")
        total = sum(cpu.values())
        print(f"CPU per operation: {total / operations * 1000:.1f} ms ("
              + ", ".join(f"{name} {seconds / operations * 1000:.1f} ms, "
                          f"{seconds / total:.0%}" for name, seconds in cpu.items())
              + f"); {total / elapsed:.2f} of 2 cores busy with the run; load average "
              f"{before['load']:.2f} at the start, {after['load']:.2f} at the end")
        stolen = ((after["steal"][0] - before["steal"][0])
                  / max(1, after["steal"][1] - before["steal"][1]))
        # Keep-alive connections stay with the worker that accepted them: an uneven split
        # leaves one worker's interpreter saturated while the other idles.
        print("uvicorn CPU by worker process: "
              + ", ".join(f"{seconds:.1f} s" for seconds in per_worker if seconds > 0.05)
              + f"; CPU stolen by the hypervisor: {stolen:.0%}")
        print(f"PostgreSQL connections: {len(after['backends'])} open at the end, "
              f"{after['opened']} opened in all")
        server.terminate()
        server.wait(timeout=20)
        server = None
        _count(url, tally)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
