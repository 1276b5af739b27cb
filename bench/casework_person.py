"""The person's record and plan with a long history, on SQLite. Target: p95 <= 100 ms each.

Builds a scratch database with one person in support holding 200 contacts (with notes), 50
tasks, 20 onward referrals (half answered by the provider), 10 needs assessments, 5 goals with
progress and 20 appointments, all made through the real commands; then times
``GET /people/{id}`` and ``GET /people/{id}/plan`` rendered through the app, with the
garbage-collector settings ``linkwell.web.asgi`` applies after start-up. Set
BENCH_DATABASE_URL to an empty PostgreSQL database to measure there instead.
"""

import gc
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from bench.casework_diary import _percentile
from linkwell.auth import commands as accounts
from linkwell.auth.models import Team
from linkwell.auth.tokens import csrf_token_for
from linkwell.casework import commands as casework
from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.models import Organization, Service
from linkwell.migrate import upgrade
from linkwell.referrals import commands, onward_commands
from linkwell.settings import Settings
from linkwell.web.gc_tuning import settle_after_start_up

CONTACTS, TASKS, ONWARD, APPOINTMENTS, RUNS = 200, 50, 20, 20, 60
PASSWORD = "bench-password-not-secret"  # noqa: S105 - scratch database


def _build(url: str) -> int:
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    with sessions() as session, session.begin():
        team = Team(name="Bench PCN", kind="pcn", lad_code="E09000023", caseload_capacity=500)
        session.add(team)
        session.flush()
        worker = accounts.create_user(session, by=None, email="person@example.org",
                                      display_name="Person Bench", roles=["link_worker"],
                                      password=PASSWORD, team_id=team.id)
        provider = accounts.create_user(session, by=None, email="provider@example.org",
                                        display_name="Provider Bench", roles=["provider"],
                                        password=PASSWORD)
        organization = Organization(id=str(uuid.uuid4()), name="Bench services",
                                    description="Bench")
        session.add(organization)
        services = [Service(id=str(uuid.uuid4()), organization_id=organization.id,
                            name=f"Service {i}", status="active") for i in range(ONWARD)]
        session.flush()
        session.add_all(services)
        session.flush()
        provider.organization_id = organization.id
        request = commands.ReferralRequest(
            person=commands.PersonDetails(given_name="Long", family_name="History",
                                          birth_date=date(1955, 5, 5), postcode="SE13 5AA",
                                          email="long@example.org"),
            source="gp", reasons=["loneliness", "debt"], consent_to_share=True)
        referral, _ = commands.submit_referral(session, by=worker, request=request,
                                               now=now - timedelta(days=400))
        session.flush()
        episode = commands.accept_referral(session, by=worker, referral_id=referral.id,
                                           version=referral.version,
                                           now=now - timedelta(days=399))
        for i in range(CONTACTS):
            commands.record_contact(session, by=worker, episode_id=episode.id,
                                    occurred_at=now - timedelta(days=398 - i * 1.9),
                                    mode="telephone", duration_minutes=20,
                                    note=f"Contact {i}: talked about the week ahead. " * 3)
        for i in range(10):
            commands.record_needs_assessment(
                session, by=worker, episode_id=episode.id,
                what_matters_to_me=f"Version {i}: getting out of the house.",
                scores={"loneliness": 1 + i % 5, "debt": 5 - i % 5, "housing": 3})
        for i in range(5):
            goal = commands.agree_goal(session, by=worker, episode_id=episode.id,
                                       description=f"Goal {i}", domain_code="loneliness")
            for step in (1, 2, 3):
                casework.record_goal_progress(session, by=worker, goal_id=goal.id,
                                              progress=step, note=f"Step {step}")
        for i in range(TASKS):
            casework.add_task(session, by=worker, episode_id=episode.id,
                              title=f"Task {i}", due_date=date.today() + timedelta(days=i - 25))
        for i in range(APPOINTMENTS):
            start = now + timedelta(days=i - 10, hours=1)
            casework.book_appointment(session, by=worker, episode_id=episode.id,
                                      starts_at=start, ends_at=start + timedelta(minutes=30),
                                      kind="phone")
        for i, service in enumerate(services):
            session.flush()
            onward = onward_commands.send_onward_referral(
                session, by=worker, episode_id=episode.id, service_id=service.id,
                reason="loneliness", summary="Bench", now=now - timedelta(days=300 - i))
            if i % 2:
                for action in ("accept", "attended", "complete"):
                    onward = onward_commands.respond_to_onward_referral(
                        session, by=provider, onward_referral_id=onward.id,
                        version=onward.version, action=action, outcome_note="Came weekly")
        person_id = episode.person_id
    engine.dispose()
    return person_id


def main() -> None:
    from linkwell.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/person.db"
        started = time.perf_counter()
        person_id = _build(url)
        print(f"built a person with {CONTACTS} contacts, {TASKS} tasks, {ONWARD} onward "
              f"referrals in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        app = create_app(Settings(database_url=url, secret_key="bench-secret"))
        thresholds = gc.get_threshold()
        settle_after_start_up()
        results = {}
        with TestClient(app) as client:
            client.get("/login")
            token = csrf_token_for(client.cookies["linkwell_browser"], "bench-secret")
            client.post("/login", data={"email": "person@example.org", "password": PASSWORD,
                                        "code": "", "csrf_token": token})
            for path in (f"/people/{person_id}", f"/people/{person_id}/plan"):
                first = client.get(path)
                assert first.status_code == 200 and "Contact 199" in first.text, path
                times, cpu = [], []
                for _ in range(RUNS):
                    t0, c0 = time.perf_counter(), time.process_time()
                    response = client.get(path)
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    assert response.status_code == 200
                results[path] = times, cpu
        app.state.engine.dispose()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    for path, (times, cpu) in results.items():
        p95 = _percentile(times, 0.95)
        print(f"GET {path.replace(str(person_id), '{id}')}: median "
              f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms (target <= 100 ms) "
              f"{'OK' if p95 <= 100 else 'OVER'}; CPU per request median "
              f"{statistics.median(cpu):.1f} ms, p95 {_percentile(cpu, 0.95):.1f} ms")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
