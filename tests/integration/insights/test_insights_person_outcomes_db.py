"""Person outcomes on /insights from the database: WEMWBS pairs of the filtered referrals'
episodes agree with the seeded scores (mean change and t-based 95% CI computed here), fewer
than 10 people show the suppression notice to commissioners, and the CSV is the table."""

import csv
import io
import statistics

import pytest
from scipy import stats

from insights_factories import NOW, seed, seed_measures
from linkwell.evaluation.disclosure import SUPPRESSED
from linkwell.insights import domain, queries


@pytest.fixture
def measured(session):
    seeded = seed(session)
    return seeded, seed_measures(session)


def _row(session, audience, **filters):
    dashboard = domain.build(queries.frames(session), domain.Filters(**filters), audience, NOW)
    table = next(t for t in dashboard.tables if t.key == "person_outcomes")
    assert "Confidence:" in table.definition and "95% confidence interval" in table.definition
    return next(r for r in table.rows if r["code"] == "wemwbs")


def _expected(seeded, scores, keep) -> tuple[int, float, float, float]:
    changes = [scores[f["id"]][1] - scores[f["id"]][0] for f in seeded.referrals
               if f["id"] in scores and f["source"] != "simulated" and keep(f)]
    n, mean = len(changes), statistics.fmean(changes)
    half = stats.t.ppf(0.975, n - 1) * statistics.stdev(changes) / n ** 0.5
    return n, mean, mean - half, mean + half


def test_person_outcomes_agree_with_the_seeded_scores(session, measured):
    seeded, scores = measured
    n, mean, low, high = _expected(seeded, scores, lambda f: True)
    row = _row(session, "commissioner")
    assert row["n_paired"] == n and n >= 10
    assert row["mean_change"] == pytest.approx(mean, abs=1e-9)
    assert (row["ci95_low"], row["ci95_high"]) == (pytest.approx(low, abs=1e-9),
                                                   pytest.approx(high, abs=1e-9))
    north = seeded.teams["North PCN"].id
    n, mean, low, high = _expected(seeded, scores, lambda f: f["team"] == "North PCN")
    row = _row(session, "evaluator", pcn=north)
    assert row["n_paired"] == n
    assert row["mean_change"] == pytest.approx(mean, abs=1e-9)
    assert row["ci95_low"] == pytest.approx(low, abs=1e-9)


def test_fewer_than_10_people_show_the_suppression_notice(session):
    seeded = seed(session)
    scores = seed_measures(session, share=0.04)  # a handful of the episodes measured
    measured = sum(1 for f in seeded.referrals if f["id"] in scores
                   and f["source"] != "simulated")
    assert 0 < measured < 10
    row = _row(session, "commissioner")
    assert row["n_paired"] == SUPPRESSED
    assert all(row[k] is None for k in ("mean_baseline", "mean_follow_up", "mean_change",
                                        "ci95_low", "ci95_high"))
    assert _row(session, "evaluator")["n_paired"] == measured


def test_the_csv_is_the_table_as_shown(client, login, session, measured):
    login("commissioner")
    response = client.get("/insights/person_outcomes.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Instrument", "People with a baseline and a follow-up",
                       "Mean at baseline", "Mean at follow-up", "Mean change", "95% CI from",
                       "95% CI to"]
    wemwbs = next(r for r in rows[1:] if r[0].startswith("Warwick-Edinburgh"))
    assert int(wemwbs[1]) == _row(session, "commissioner")["n_paired"]
    page = client.get("/insights").text
    assert "Person outcomes: wellbeing before and after" in page and "Confidence:" in page
