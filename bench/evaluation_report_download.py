"""Downloading a stored evaluation report: target p95 <= 50 ms (issue 19).

Builds a scratch SQLite database with a demo-sized simulated cohort (5,000 people, as
``make demo``), runs the evaluation, builds and stores the commissioner's report once (page
body, HTML document and PDF, timed: that is what every request used to cost), then times
``GET /evaluation/runs/{id}/report.pdf``, ``report.html`` and the report page, signed in as a
commissioner, through the whole application (sessions, CSRF, audit, routing).

Run: ``python -m bench evaluation_report_download`` (needs Chromium at /usr/bin/chromium).
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from linkwell.auth import commands as accounts
from linkwell.auth.tokens import csrf_token_for
from linkwell.db import make_engine, make_sessionmaker
from linkwell.evaluation import commands, runs
from linkwell.evaluation.demo import create_simulated_cohort
from linkwell.migrate import upgrade
from linkwell.settings import Settings

PEOPLE, RUNS, TARGET_MS = 5_000, 50, 50
PASSWORD = "bench-password-not-secret"  # noqa: S105 - scratch database
EMAIL = "commissioner@bench.example"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _prepare(factory) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"
                           / "evaluation"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"
                           / "evaluation"))
    from test_evaluation_db import _add_lsoas

    with factory() as session:
        _add_lsoas(session)
        with session.begin():
            create_simulated_cohort(session, people=PEOPLE, with_outcomes=True, seed=3)
            accounts.create_user(session, by=None, email=EMAIL, display_name="Commissioner",
                                 roles=["commissioner"], password=PASSWORD)
        with session.begin():
            run = runs.run_now(session)
        for kind in ("body", "html", "pdf"):
            with session.begin():
                stored = commands.build_report(session, run_id=run.id, audience="commissioner",
                                               kind=kind, by=None)
            print(f"built and stored the {kind} once: {stored.seconds * 1000:.0f} ms, "
                  f"{len(stored.content):,} bytes")
        return run.id


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        run_id = _prepare(make_sessionmaker(engine))
        settings = Settings(database_url=url, secret_key="bench-secret-key")
        from linkwell.web.app import create_app

        app = create_app(settings)
        with TestClient(app) as client:
            client.get("/login")
            token = csrf_token_for(client.cookies.get("linkwell_browser"), settings.secret_key)
            client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
            for path in ("report.pdf", "report.html", "report"):
                timings = []
                for _ in range(RUNS):
                    started = time.perf_counter_ns()
                    response = client.get(f"/evaluation/runs/{run_id}/{path}")
                    timings.append((time.perf_counter_ns() - started) / 1e6)
                    assert response.status_code == 200, response.status_code
                print(f"GET /evaluation/runs/{{id}}/{path} from the store "
                      f"({len(response.content):,} bytes): p50 {statistics.median(timings):.1f} "
                      f"ms, p95 {_percentile(timings, 0.95):.1f} ms (target p95 {TARGET_MS} ms)")
        app.state.engine.dispose()
        engine.dispose()


if __name__ == "__main__":
    main()
