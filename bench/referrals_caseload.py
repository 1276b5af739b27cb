"""Caseload page for a link worker with 300 active people, on SQLite.

Builds a scratch database with one team, 300 open episodes (each with a contact, half with an
onward referral waiting on a provider), 100 closed and 50 new referrals, all made through the
real commands. Times ``queries.caseload`` in process and ``GET /caseload`` rendered through
the app (server time, measured around the ASGI call), with the garbage-collector settings
``linkwell.web.asgi`` applies after start-up (``linkwell.web.gc_tuning``), and counts the full
garbage collections that fell in the timed requests. Target: p95 <= 100 ms.
Set BENCH_DATABASE_URL to an empty PostgreSQL database to measure there instead.
"""

import gc
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from linkwell.auth import commands as accounts
from linkwell.auth.tokens import csrf_token_for
from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.models import Organization, Service
from linkwell.migrate import upgrade
from linkwell.referrals import commands, onward_commands, queries
from linkwell.settings import Settings

ACTIVE, CLOSED, NEW = 300, 100, 50
RUNS = 60
PASSWORD = "bench-password-not-secret"  # noqa: S105 - scratch database


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _request(i: int) -> commands.ReferralRequest:
    return commands.ReferralRequest(
        person=commands.PersonDetails(given_name=f"Person{i}", family_name=f"Family{i % 97}",
                                      birth_date=date(1940 + i % 60, 1 + i % 12, 1 + i % 28)),
        source="gp", reasons=["loneliness"], consent_to_share=True)


def build(factory) -> str:
    now = datetime.now(UTC)
    with factory() as session, session.begin():
        team = accounts.create_team(session, by=None, name="Bench PCN", kind="pcn",
                                    lad_code="E09000023")
        worker = accounts.create_user(session, by=None, email="lw@bench.example",
                                      display_name="Bench Worker", roles=["link_worker"],
                                      password=PASSWORD, team_id=team.id)
        referrer = accounts.create_user(session, by=None, email="gp@bench.example",
                                        display_name="Bench GP", roles=["referrer"])
        org = Organization(id=str(uuid.uuid4()), name="Bench org", description="-")
        session.add(org)
        session.flush()
        services = [Service(id=str(uuid.uuid4()), organization_id=org.id, name=f"Service {n}",
                            status="active") for n in range(20)]
        session.add_all(services)
        session.flush()
        for i in range(ACTIVE + CLOSED + NEW):
            at = now - timedelta(days=90 - i % 80)
            referral, _ = commands.submit_referral(session, by=referrer, request=_request(i),
                                                   now=at)
            if i >= ACTIVE + CLOSED:
                continue
            episode = commands.accept_referral(session, by=worker, referral_id=referral.id,
                                               version=1, now=at)
            commands.record_contact(session, by=worker, episode_id=episode.id,
                                    occurred_at=at + timedelta(days=1), mode="telephone",
                                    duration_minutes=30, now=now)
            if i % 2 == 0:
                onward_commands.send_onward_referral(
                    session, by=worker, episode_id=episode.id, service_id=services[i % 20].id,
                    reason="loneliness", now=at + timedelta(days=2))
            if i >= ACTIVE:
                commands.close_episode(session, by=worker, episode_id=episode.id, version=None,
                                       reason="goals-met", now=now)
    return worker.email


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        started = time.perf_counter()
        email = build(factory)
        print(f"{ACTIVE} active, {CLOSED} closed, {NEW} new referrals made in "
              f"{time.perf_counter() - started:.1f} s")
        settings = Settings(database_url=url, secret_key="bench-secret-key")
        with factory() as session:
            worker = accounts.sign_in(session, email=email, password=PASSWORD, totp_code=None,
                                      settings=settings, source_ip=None).user
            session.commit()
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter_ns()
                rows = queries.caseload(session, by=worker, settings=settings, view="active",
                                        sort="name")
                session.rollback()
                timings.append((time.perf_counter_ns() - started) / 1e6)
        print(f"queries.caseload (active, {len(rows)} people): p50 "
              f"{statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms")

        from linkwell.web.app import create_app
        from linkwell.web.gc_tuning import settle_after_start_up

        app = create_app(settings)
        # As linkwell.web.asgi does after start-up, so the page is timed as it is served.
        thresholds = gc.get_threshold()
        settle_after_start_up()
        pauses: list[float] = []
        started_gc: list[float] = []

        def watch(phase: str, info: dict) -> None:
            if info["generation"] == 2:
                if phase == "start":
                    started_gc.append(time.perf_counter())
                else:
                    pauses.append((time.perf_counter() - started_gc.pop()) * 1000)

        gc.callbacks.append(watch)
        with TestClient(app) as client:
            client.get("/login")
            token = csrf_token_for(client.cookies.get("linkwell_browser"), settings.secret_key)
            client.post("/login", data={"email": email, "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
            for view in ("active", "follow-up"):
                timings = []
                for _ in range(RUNS):
                    started = time.perf_counter_ns()
                    response = client.get(f"/caseload?view={view}&sort=last-contact")
                    timings.append((time.perf_counter_ns() - started) / 1e6)
                    assert response.status_code == 200
                print(f"GET /caseload?view={view} (rendered page): p50 "
                      f"{statistics.median(timings):.1f} ms, p95 "
                      f"{_percentile(timings, 0.95):.1f} ms (target p95 100 ms)")
        gc.callbacks.remove(watch)
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        print(f"full (generation 2) garbage collections while serving: {len(pauses)}"
              + (f", longest {max(pauses):.0f} ms" if pauses else ""))
        app.state.engine.dispose()
        engine.dispose()
