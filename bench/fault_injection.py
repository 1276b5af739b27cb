"""Fault injection on PostgreSQL: nothing acknowledged is lost or duplicated when the server
process is killed or the database restarts, and a database restart is answered only with 503s.

A private PostgreSQL instance (initdb into a temporary folder as the postgres user, on a free
port) so that the shared test server is never restarted. ``linkwell serve`` runs under a
small supervisor loop here (as systemd's ``Restart=always`` would: restarted whenever it
exits). BENCH_CLIENTS clients (default 20) each create referrals (``Idempotency-Key``) and
accept each one (``If-Match`` and its own ``Idempotency-Key``), retrying the same request with
the same key after a connection error or a 503 (waiting ``Retry-After``, at most one second
here). Every answer is written to the clients' own log. Meanwhile, on a timeline of about
ninety seconds: the server is SIGKILLed twice (and restarted), and PostgreSQL is restarted
once (``pg_ctl restart -m fast``).

Afterwards the database is compared with the log: every referral whose creation was
acknowledged exists once (by its key, which each referral carries in its notes), every
acknowledged accept left its referral accepted with one episode, and every answer received
while PostgreSQL was restarting was either a success that had started before it or a 503
with ``Retry-After``. Prints the figures; exit status 1 if any check fails.
"""

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import sqlalchemy as sa

from linkwell.auth import commands as accounts
from linkwell.db import make_engine, make_sessionmaker
from linkwell.migrate import upgrade

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
# Seconds from the start of the clients: (when, what).
TIMELINE = [(15.0, "kill server"), (40.0, "restart database"), (62.0, "kill server")]
RUN_SECONDS = float(os.environ.get("BENCH_SECONDS", "85"))
LINKWELL = str(Path(sys.executable).with_name("linkwell"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A throw-away PostgreSQL cluster owned by the postgres user."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="linkwell-fault-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/linkwell"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _ctl(self, action: str) -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                          str(self.dir / "server.log"), "-w", "-m", "fast",
                          "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
                          action)

    def __enter__(self):
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                          "-U", "postgres", "-E", "UTF8", "--locale=C")
        self._ctl("start")
        admin = sa.create_engine(self.url.rsplit("/", 1)[0] + "/postgres",
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE linkwell"))
        admin.dispose()
        return self

    def restart(self) -> None:
        self._ctl("restart")

    def __exit__(self, *exc):
        try:
            self._ctl("stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Supervised:
    """``linkwell serve`` restarted whenever it exits, as under systemd."""

    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None
        self.starts, self.kills, self.refused_starts = 0, 0, 0
        self.running = True

    def _start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [LINKWELL, "serve", "--port", str(self.port)], env=self.env,
                stdout=subprocess.DEVNULL, stderr=log)
        self.starts += 1

    async def supervise(self) -> None:
        self._start()
        while self.running:
            await asyncio.sleep(0.2)
            if self.process.poll() is not None and self.running:
                if self.process.returncode == 1:
                    self.refused_starts += 1  # the start-up check found no database
                self._start()

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean shutdown, requests in flight are cut off
        self.kills += 1

    def stop(self) -> None:
        self.running = False
        self.process.terminate()
        self.process.wait(timeout=20)


class Log:
    """The clients' own record of what they were told."""

    def __init__(self):
        self.created: dict[str, int] = {}     # creation key -> referral id acknowledged
        self.accepted: dict[str, int] = {}    # accept key -> referral id acknowledged
        self.answers: list[tuple[float, float, int, bool]] = []  # sent, received, status, RA
        self.transport_errors = 0
        self.accepts_confirmed_by_reading = 0
        self.unexpected: Counter = Counter()


async def _send(http: httpx.AsyncClient, log: Log, method: str, path: str,
                headers: dict, body: dict | None, stop_at: float) -> httpx.Response | None:
    """Send until answered with something other than a 503 or a dropped connection."""
    while time.monotonic() < stop_at + 60:
        sent = time.monotonic()
        try:
            response = await http.request(method, path, headers=headers, json=body)
        except httpx.TransportError:
            log.transport_errors += 1
            await asyncio.sleep(0.3)
            continue
        log.answers.append((sent, time.monotonic(), response.status_code,
                            "retry-after" in response.headers))
        if response.status_code == 503:
            await asyncio.sleep(min(1.0, float(response.headers.get("retry-after", "1"))))
            continue
        if response.status_code == 409 and "twice at once" in response.text:
            await asyncio.sleep(0.2)  # our own retry met the first attempt still running
            continue
        return response
    return None


async def _client(base: str, tokens: dict, log: Log, number: int, stop_at: float) -> None:
    referrer = {"Authorization": f"Bearer {tokens['referrer']}"}
    worker = {"Authorization": f"Bearer {tokens['worker']}"}
    await asyncio.sleep(number * 0.05)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            key = f"c{number}-r{n}"
            body = {"person": {"given_name": f"Fault{number}", "family_name": f"N{n}",
                               "birth_date": "1960-01-01"},
                    "source": "gp", "reasons": ["loneliness"], "notes": key,
                    "consent_to_share": True}
            made = await _send(http, log, "POST", "/api/referrals",
                               {**referrer, "Idempotency-Key": key}, body, stop_at)
            if made is None or made.status_code not in (200, 201):
                log.unexpected[f"create {made.status_code if made else 'gave up'}"] += 1
                continue
            referral_id = made.json()["id"]
            log.created[key] = referral_id
            accept_key = f"{key}-accept"
            accepted = await _send(http, log, "POST", f"/api/referrals/{referral_id}/accept",
                                   {**worker, "If-Match": '"1"', "Idempotency-Key": accept_key},
                                   None, stop_at)
            if accepted is not None and accepted.status_code == 201:
                log.accepted[accept_key] = referral_id
            elif accepted is not None and (accepted.status_code == 409 and "already carried"
                                           in accepted.text or accepted.status_code == 412):
                # Committed, but the server died before keeping its answer (409 says so; a
                # 412 would mean the claim was lost with it): read it back.
                current = await _send(http, log, "GET", f"/api/referrals/{referral_id}",
                                      referrer, None, stop_at)
                if current is not None and current.json()["status"] == "accepted":
                    log.accepted[accept_key] = referral_id
                    log.accepts_confirmed_by_reading += 1
                else:
                    log.unexpected[f"accept {accepted.status_code}"] += 1
            else:
                log.unexpected[f"accept {accepted.status_code if accepted else 'gave up'}"] += 1


def _setup(url: str) -> dict:
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        team = accounts.create_team(session, by=None, name="Fault PCN", kind="pcn",
                                    lad_code="E09000023")
        referrer = accounts.create_user(session, by=None, email="gp@fault.example",
                                        display_name="GP", roles=["referrer"])
        worker = accounts.create_user(session, by=None, email="lw@fault.example",
                                      display_name="LW", roles=["link_worker"], team_id=team.id)
        tokens = {"referrer": accounts.issue_api_token(session, by=None, user_id=referrer.id,
                                                       name="fault"),
                  "worker": accounts.issue_api_token(session, by=None, user_id=worker.id,
                                                     name="fault")}
    engine.dispose()
    return tokens


def _compare(url: str, log: Log) -> dict[str, bool]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT r.id, r.notes, r.status, count(e.id) AS episodes FROM referral r "
            "LEFT JOIN episode e ON e.referral_id = r.id GROUP BY r.id, r.notes, r.status"
        )).all()
    engine.dispose()
    by_key = Counter(row.notes for row in rows)
    status = {row.id: (row.status, row.episodes) for row in rows}
    lost = [k for k, rid in log.created.items() if by_key[k] == 0 or rid not in status]
    duplicated = [k for k, count in by_key.items() if count > 1]
    lost_accepts = [k for k, rid in log.accepted.items()
                    if status.get(rid, ("", 0))[0] != "accepted"]
    double_episodes = [rid for rid, (_, episodes) in status.items() if episodes > 1]
    accepted = sum(1 for state, _ in status.values() if state == "accepted")
    print(f"database: {len(rows)} referrals, {accepted} accepted; clients' log: "
          f"{len(log.created)} creations and {len(log.accepted)} "
          f"accepts acknowledged ({log.accepts_confirmed_by_reading} accepts confirmed by "
          "reading back after a 409 'already carried out')")
    print(f"lost referrals {len(lost)}, duplicated referrals {len(duplicated)}, "
          f"lost accepts {len(lost_accepts)}, referrals with two episodes "
          f"{len(double_episodes)}")
    return {"0 referrals lost": not lost, "0 referrals duplicated": not duplicated,
            "0 accepts lost": not lost_accepts, "0 episodes duplicated": not double_episodes}


def main() -> None:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        print("skipped: needs root and runuser to run a private PostgreSQL as postgres")
        return
    with PrivatePostgres() as pg, tempfile.TemporaryDirectory() as tmp:
        tokens = _setup(pg.url)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "LINKWELL_DATABASE_URL": pg.url,
               "LINKWELL_SECRET_KEY": "fault-injection-secret-key"}
        server = Supervised(env, port, Path(tmp) / "server.log")
        log = Log()
        restart_window: list[float] = []

        async def faults(started: float) -> None:
            for at, what in TIMELINE:
                await asyncio.sleep(max(0.0, started + at - time.monotonic()))
                if what == "kill server":
                    server.kill()
                    print(f"{at:5.1f} s  SIGKILL linkwell serve", flush=True)
                else:
                    began = time.monotonic()
                    await asyncio.to_thread(pg.restart)
                    restart_window[:] = [began, time.monotonic()]
                    print(f"{at:5.1f} s  PostgreSQL restarted in "
                          f"{restart_window[1] - began:.1f} s", flush=True)

        async def run() -> None:
            supervisor = asyncio.create_task(server.supervise())
            async with httpx.AsyncClient() as probe:
                for _ in range(600):
                    try:
                        if (await probe.get(f"{base}/readyz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
            started = time.monotonic()
            stop_at = started + RUN_SECONDS
            await asyncio.gather(faults(started), *(
                _client(base, tokens, log, number, stop_at) for number in range(CLIENTS)))
            server.stop()
            supervisor.cancel()

        asyncio.run(run())
        checks = _compare(pg.url, log)

        # Answers to requests in flight while PostgreSQL restarted (sent before it came back,
        # answered after it began going down), until the pool reconnected (a second later).
        began, back = restart_window
        during = [(status, retry_after) for sent, received, status, retry_after in log.answers
                  if received >= began and sent <= back + 1.0]
        kinds = Counter(status for status, _ in during)
        not_503 = [s for s, ra in during if not (200 <= s < 300 or (s == 503 and ra))]
        checks["only 503 with Retry-After during the database restart"] = (
            not not_503 and kinds[503] > 0)
        checks["no answer the clients could not use"] = not log.unexpected
        statuses = Counter(status for _, _, status, _ in log.answers)
        print(f"answers during the database restart: {dict(sorted(kinds.items()))}")
        print(f"all answers: {dict(sorted(statuses.items()))}; connections refused or cut "
              f"(server killed or starting): {log.transport_errors}; unexpected "
              f"{dict(log.unexpected)}")
        print(f"server starts {server.starts} (killed {server.kills}, refused to start "
              f"{server.refused_starts} times while the database was away)")
        for name, ok in checks.items():
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        if not all(checks.values()):
            sys.exit(1)


if __name__ == "__main__":
    main()
