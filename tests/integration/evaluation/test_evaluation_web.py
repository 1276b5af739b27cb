"""``/evaluation``: who may see it, who may run it, and what each audience is shown."""


import pytest

from evaluation_factories import simulated_cohort


@pytest.fixture
def cohort(session):
    simulated_cohort(session, people=300, seed=11)


def test_link_workers_and_the_public_cannot_see_the_evaluation(client, login):
    assert client.get("/evaluation", follow_redirects=False).status_code in (303, 401)
    login("link_worker")
    assert client.get("/evaluation").status_code == 403


def test_before_any_run_the_page_says_so(client, login):
    login("commissioner")
    page = client.get("/evaluation")
    assert page.status_code == 200
    assert "No evaluation has been run yet" in page.text
    assert "Run the evaluation" not in page.text  # commissioners read, they do not run


def test_commissioner_cannot_start_a_run(client, login):
    login("commissioner")
    assert client.post("/evaluation/runs").status_code == 403


def test_a_run_needs_the_csrf_token(client, login):
    login("evaluator")
    del client.headers["X-CSRF-Token"]
    assert client.post("/evaluation/runs").status_code == 403


def test_evaluator_runs_it_and_each_audience_sees_its_own_figures(client, login, cohort, app):
    login("evaluator")
    started = client.post("/evaluation/runs", follow_redirects=False)
    assert started.status_code == 303  # the TestClient runs the background task before returning
    page = client.get("/evaluation")
    assert "unsuppressed aggregates" in page.text
    assert "Short WEMWBS" in page.text and "simulated demo data" in page.text
    evaluator_json = client.get("/evaluation/runs/1/result.json").json()
    assert evaluator_json["audience"] == "evaluator"
    assert evaluator_json["reach"]["totals"]["people"] == 300
    small = [r for r in evaluator_json["reach"]["by_age_band"] if 0 < r["people"] < 10]
    assert small  # the 0-15 band of 300 simulated people is small: something to suppress

    client.cookies.clear()
    client.headers.pop("X-CSRF-Token")
    login("commissioner")
    shown = client.get("/evaluation/runs/1/result.json").json()
    assert shown["audience"] == "commissioner"
    by_band = {r["age_band"]: r["people"] for r in shown["reach"]["by_age_band"]}
    assert all(by_band[r["age_band"]] in ("<10", "c") for r in small)
    assert "Counts under 10 are shown" in client.get("/evaluation").text
    report = client.get("/evaluation/runs/1/report")
    assert report.status_code == 200 and "Methods" in report.text


def test_an_unknown_run_is_404(client, login):
    login("evaluator")
    assert client.get("/evaluation/runs/99/report").status_code == 404


def test_status_panel_reloads_the_page_when_nothing_is_running(client, login):
    login("admin")
    response = client.get("/evaluation/status")
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
