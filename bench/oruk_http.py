"""Open Referral UK API throughput: locust, 50 concurrent clients, against uvicorn over HTTP.

Serves the app with uvicorn (a separate process on 127.0.0.1, BENCH_WORKERS worker processes,
default 2; several readers are fine on SQLite) over the 50,000-service demo directory, then runs
locust headless with 50 users on ``GET /oruk/services?search=...&postcode=...&proximity=2000``
with varied words and postcodes, for BENCH_SECONDS (default 20) in each of two runs:

1. capacity: no think time, so the 50 clients keep the server saturated; the figure is
   requests/s (target >= 300). Latency here is only the queue: with 50 clients always waiting,
   the mean is 50 / (requests/s) whatever the server does. It runs first, on a server that has
   kept nothing yet (see ``directory.listing_cache``).
2. latency at the target load: the same 50 clients together asking for 300 requests/s, each
   starting requests at random moments 6 times a second on average (a Poisson process, as
   independent clients do); the figures are the p50/p95 they see (target p95 <= 100 ms).

The load generator shares the machine's cores with the server, as it would on a 2-core box.
Each run also prints the server's CPU time per request (uvicorn and its workers), the figure
that other work on the machine disturbs least.
"""

import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from sqlalchemy import select

from bench._directory_db import SEED, directory_database
from linkwell.db import make_engine, make_sessionmaker
from linkwell.geo.models import Postcode

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
USERS = 50
TARGET_RATE = 300
# (what the run measures, requests/s each user starts; None: one after another, no pause).
RUNS = (("capacity, no think time", None),
        (f"at {TARGET_RATE} requests/s", TARGET_RATE / USERS))
WORDS = ("befriending", "benefits advice", "debt", "food bank", "health walks", "choir",
         "housing", "carers", "peer support", "digital skills")

LOCUSTFILE = '''
import random
import time
from locust import FastHttpUser, task

POSTCODES = {postcodes!r}
WORDS = {words!r}
RATE = {rate!r}


class Searcher(FastHttpUser):
    def wait_time(self):
        """Start the next request at once, or, at a set RATE, at the next moment of a Poisson
        process: independent clients arrive at random, not in step (a fixed interval lets all
        50 users fall into bursts that only the load generator makes)."""
        if RATE is None:
            return 0
        now = time.monotonic()
        self.next_start = getattr(self, "next_start", now) + random.expovariate(RATE)
        return max(0.0, self.next_start - now)

    @task
    def search(self):
        self.client.get("/oruk/services", name="/oruk/services?search&postcode&proximity",
                        params={{"search": random.choice(WORDS),
                                 "postcode": random.choice(POSTCODES), "proximity": "2000"}})
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("uvicorn exited before it was ready")
        try:
            if httpx.get(f"{base}/oruk/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("uvicorn did not start within 60 s")


def _server_cpu(server: subprocess.Popen) -> dict[int, float]:
    """CPU seconds used so far by uvicorn and each of its worker processes, by process id."""
    process = psutil.Process(server.pid)
    return {p.pid: p.cpu_times().user + p.cpu_times().system
            for p in [process, *process.children(recursive=True)]}


def main() -> None:
    url = directory_database()
    if url is None:
        print("skipped: no London reference data (../shared/data/london)")
        return
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        postcodes = session.scalars(select(Postcode.postcode)).all()
    engine.dispose()
    rng = random.Random(SEED)  # noqa: S311 - benchmark sampling
    sample = [rng.choice(postcodes) for _ in range(500)]

    load = os.getloadavg()[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LINKWELL_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "linkwell.web.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(WORKERS), "--log-level", "warning",
         "--no-access-log"],
        env=env)
    print(f"load average before the runs: {load:.1f} on {os.cpu_count()} cores "
          "(other processes on the machine slow every figure)")
    try:
        _wait_until_up(base, server)
        for label, rate in RUNS:
            _run_locust(base, server, sample, label, rate)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run_locust(base: str, server: subprocess.Popen, postcodes: list[str], label: str,
                rate: float | None) -> None:
    cpu_started = _server_cpu(server)
    with tempfile.TemporaryDirectory() as folder:
        locustfile = Path(folder) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE.format(postcodes=postcodes, words=WORDS, rate=rate))
        prefix = Path(folder) / "stats"
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
             "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time",
             f"{SECONDS}s", "--host", base, "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            check=True, capture_output=True)
        cpu_now = _server_cpu(server)
        # A keep-alive connection stays with the worker that accepted it: an idle worker
        # beside a busy one means the users' connections landed unevenly.
        by_process = sorted((cpu - cpu_started.get(pid, 0.0) for pid, cpu in cpu_now.items()),
                            reverse=True)
        server_cpu = sum(by_process)
        with open(f"{prefix}_stats.csv", newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    served = f"{float(total['Requests/s']):.0f} requests/s"
    latency = f"p50 {total['50%']} ms, p95 {total['95%']} ms"
    if rate is None:
        figures = f"{served} (target >= {TARGET_RATE}), {latency} (the queue of {USERS} clients)"
    else:
        figures = f"{served} asked for, {latency} (target p95 <= 100 ms)"
    print(f"{label}: {USERS} locust users, {WORKERS} uvicorn workers, {SECONDS} s: {figures}, "
          f"{requests} requests, {total['Failure Count']} failures")
    if requests:
        print(f"  server CPU time: {server_cpu / requests * 1000:.1f} ms per request; by "
              "process: " + ", ".join(f"{cpu:.1f} s" for cpu in by_process if cpu > 0.05))
