"""Reports are built once per run, audience and format, stored, listed and served from the store."""


import pytest
from sqlalchemy import func, select

from conftest import invoke_cli
from evaluation_factories import simulated_cohort
from linkwell.audit.models import AuditEvent
from linkwell.evaluation import runs
from linkwell.evaluation.models import EvaluationReport


@pytest.fixture
def run_id(session):
    simulated_cohort(session, people=300, seed=11)
    with session.begin():
        return runs.run_now(session).id


def _stored(session) -> list[tuple]:
    session.expire_all()
    return list(session.execute(select(EvaluationReport.audience, EvaluationReport.kind)
                                .order_by(EvaluationReport.id)))


def _built(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "evaluation_report"))


def test_the_report_page_is_built_once_and_then_served_from_the_store(client, login, session,
                                                                      run_id):
    login("commissioner")
    first = client.get(f"/evaluation/runs/{run_id}/report")
    again = client.get(f"/evaluation/runs/{run_id}/report")
    assert first.status_code == again.status_code == 200
    assert first.text == again.text
    assert 'class="nhsuk-back-link" href="/evaluation"' in first.text
    assert _stored(session) == [("commissioner", "body")]
    assert _built(session) == 1


def test_each_audience_gets_its_own_stored_report(client, login, session, run_id):
    login("evaluator")
    client.get(f"/evaluation/runs/{run_id}/report.html")
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token")
    login("commissioner")
    document = client.get(f"/evaluation/runs/{run_id}/report.html")
    assert document.headers["content-disposition"] == \
        f'attachment; filename="evaluation-{run_id}.html"'
    assert document.text.startswith("<!DOCTYPE html>") and "<style>" in document.text
    assert "&lt;10" in document.text  # the commissioner's copy is suppressed
    assert _stored(session) == [("evaluator", "html"), ("commissioner", "html")]


def test_stored_reports_are_listed_for_download(client, login, session, run_id):
    login("commissioner")
    client.get(f"/evaluation/runs/{run_id}/report.html")
    page = client.get("/evaluation").text
    assert "Stored reports" in page
    assert f'href="/evaluation/runs/{run_id}/report.html">Run {run_id} as HTML' in page


def test_an_unknown_run_stores_nothing(client, login, session):
    login("evaluator")
    assert client.get("/evaluation/runs/99/report.html").status_code == 404
    assert _stored(session) == []


def test_the_cli_builds_and_stores_a_report_once(session, run_id, database_url, monkeypatch):
    args = ["evaluate", "report", str(run_id), "--audience", "public", "--no-pdf"]
    first = invoke_cli(monkeypatch, *args, database_url=database_url)
    again = invoke_cli(monkeypatch, *args)
    unknown = invoke_cli(monkeypatch, "evaluate", "report", "99", "--no-pdf")
    assert first.exit_code == again.exit_code == 0, first.output
    assert "Stored the html report of run" in first.output
    assert _stored(session) == [("public", "body"), ("public", "html")]
    assert _built(session) == 2  # the second call found them stored
    assert unknown.exit_code != 0 and _stored(session) == [("public", "body"), ("public", "html")]
