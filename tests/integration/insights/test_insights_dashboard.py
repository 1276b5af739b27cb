"""``/insights``: the figures agree with counts made independently from the seeded facts,
suppression holds under every filter, and only the roles that run or fund the service see it."""

import csv
import io
import statistics
from collections import Counter

import numpy as np
import pytest

from insights_factories import NOW, seed
from linkwell.audit.models import AuditEvent
from linkwell.evaluation.disclosure import CONFIDENTIAL, SUPPRESSED, THRESHOLD
from linkwell.insights import domain, queries


@pytest.fixture
def seeded(session):
    return seed(session)


def _build(session, audience="evaluator", **filters):
    return domain.build(queries.frames(session), domain.Filters(**filters), audience, NOW)


def _rows(dashboard, key, value="referrals"):
    table = next(t for t in dashboard.tables if t.key == key)
    return {r["code"] if "code" in r else r["group"]: r[value] for r in table.rows}


def test_figures_agree_with_independent_counts(session, seeded):
    real = [f for f in seeded.referrals if f["source"] != "simulated"]
    d = _build(session)

    assert d.referred == len(real)
    assert _rows(d, "by_source") == Counter(f["source"] for f in real)
    assert _rows(d, "by_practice") == Counter(f["practice"] or "not recorded" for f in real)
    assert _rows(d, "by_pcn") == Counter(f["team"] for f in real if f["team_kind"] == "pcn")
    assert _rows(d, "by_reason") == Counter(r for f in real for r in f["reasons"])
    assert _rows(d, "by_need") == Counter(n for f in real for n in f["needs"])
    funnel = _rows(d, "funnel", "people")
    assert funnel == {
        "referred": len(real),
        "contacted": sum(f["first_contact"] is not None for f in real),
        "accepted": sum(f["accepted"] for f in real),
        "plan_agreed": sum(f["goal"] for f in real),
        "onward_referral": sum(f["onward"] > 0 for f in real),
        "completed": sum(f["closure"] == "goals-met" for f in real),
        "declined": sum(f["status"] == "rejected" or f["closure"] == "declined" for f in real)}
    declines = Counter(f["decline_reason"] for f in real if f["status"] == "rejected")
    declines["declined"] += sum(f["closure"] == "declined" for f in real)
    assert _rows(d, "decline_reasons") == declines
    days = [(f["first_contact"] - f["created_at"]).total_seconds() / 86400 for f in real
            if f["first_contact"]]
    assert d.first_contact["n"] == len(days)
    assert d.first_contact["median"] == pytest.approx(statistics.median(days))
    assert d.first_contact["p90"] == pytest.approx(float(np.percentile(days, 90)))
    to_appointment = [(f["first_appointment"] - f["created_at"]).total_seconds() / 86400
                      for f in real if f["first_appointment"]]
    assert d.first_appointment["n"] == len(to_appointment)
    assert d.first_appointment["median"] == pytest.approx(statistics.median(to_appointment))
    assert d.first_appointment["p90"] == pytest.approx(float(np.percentile(to_appointment,
                                                                           90)))
    attended = sum(f["attended"] for f in real)
    missed = sum(f["did_not_attend"] for f in real)
    assert missed and attended
    row = next(t for t in d.tables if t.key == "attendance").rows[0]
    assert (row["attended"], row["did_not_attend"]) == (attended, missed)
    assert row["dna_rate"] == pytest.approx(missed / (attended + missed))
    waiting = [f for f in real if f["status"] == "requested"]
    assert d.waiting_summary["n"] == len(waiting)
    caseload = _rows(d, "caseload", "open_episodes")
    assert caseload == {name: sum(f["open"] for f in real if f["team"] == name)
                        for name in ("North PCN", "South PCN", "Borough team")}
    sent = Counter(o["service"] for o in seeded.onward
                   if o["referral"] in {f["id"] for f in real})
    onward = next(t for t in d.tables if t.key == "onward").rows
    assert {r["group"]: r["sent"] for r in onward} == sent
    assert sum(r["referrals"] for r in d.trend) == len(real)
    quintiles = next(t for t in d.tables if t.key == "equity_by_imd_quintile").rows
    people = Counter({})
    first = {}
    for f in real:
        first.setdefault(f["person_id"], f)
    people.update((f["decile"] + 1) // 2 for f in first.values())
    assert {r["imd_quintile"]: r["people"] for r in quintiles} == people
    assert d.inequality["people"]["sii"] is not None


def test_filters_select_the_same_referrals_as_counting_by_hand(session, seeded):
    north = seeded.teams["North PCN"]
    practice = seeded.practices[0]
    d = _build(session, pcn=north.id, practice=practice, date_from=(NOW.date().replace(
        month=3, day=1)))
    expected = [f for f in seeded.referrals if f["team"] == "North PCN"
                and f["practice"] == practice and f["created_at"].date() >= NOW.date().replace(
                    month=3, day=1)]
    assert d.referred == len(expected)


def test_simulated_referrals_only_when_the_evaluator_asks(session, seeded):
    assert _build(session, include_simulated=True).referred == len(seeded.referrals)
    assert _build(session).referred < len(seeded.referrals)


def _numbers_under_threshold(dashboard) -> list:
    found = []
    for table in dashboard.tables:
        for row in table.rows:
            for key in table.counts:
                value = row.get(key)
                if isinstance(value, int) and 0 < value < THRESHOLD:
                    found.append((table.key, key, value))
    return found


@pytest.mark.parametrize("filters", [{}, {"source": "self"}, {"team": "South PCN"},
                                     {"practice": 1, "source": "gp"}])
def test_no_count_under_ten_is_shown_to_a_commissioner_under_any_filter(session, seeded,
                                                                        filters):
    filters = dict(filters)  # the parameter is shared by both engines' runs
    if "team" in filters:
        filters = {"team": seeded.teams[filters["team"]].id}
    if "practice" in filters:
        filters["practice"] = seeded.practices[filters["practice"]]
    d = _build(session, audience="commissioner", **filters)
    assert not _numbers_under_threshold(d)
    shown = [row[key] for t in d.tables for row in t.rows for key in t.counts]
    assert d.too_few or SUPPRESSED in shown or CONFIDENTIAL in shown or all(
        v is None or v == 0 or v >= THRESHOLD for v in shown)


def test_a_filter_leaving_fewer_than_ten_people_shows_the_notice_not_numbers(
        client, login, session, seeded):
    login("commissioner")
    day = min(f["created_at"] for f in seeded.referrals if f["source"] != "simulated")
    page = client.get(f"/insights?from={day.date()}&to={day.date()}")
    assert page.status_code == 200
    assert "Fewer than 10 people match these filters" in page.text
    assert "In summary" not in page.text
    assert client.get(f"/insights/funnel.csv?from={day.date()}&to={day.date()}"
                      ).status_code == 404


def test_a_period_with_no_data_says_so(client, login, seeded):
    login("commissioner")
    page = client.get("/insights?from=2020-01-01&to=2020-01-31")
    assert "There are no referrals for these filters" in page.text
    assert "In summary" not in page.text


def test_commissioner_sees_suppressed_page_and_csv_matches_it(client, login, session, seeded):
    login("commissioner")
    pcn = seeded.teams["North PCN"].id
    page = client.get(f"/insights?pcn={pcn}")
    assert page.status_code == 200
    assert "How this is counted" in page.text and "<title id=\"chart-funnel-title\">" in page.text
    response = client.get(f"/insights/by_source.csv?pcn={pcn}")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    expected = _build(session, audience="commissioner", pcn=pcn)
    table = next(t for t in expected.tables if t.key == "by_source")
    assert rows[0] == [heading for _, heading in table.columns]
    assert [r[2] for r in rows[1:]] == [str(r["referrals"]) for r in table.rows]
    assert all(v in (SUPPRESSED, CONFIDENTIAL) or int(v) >= THRESHOLD
               for r in rows[1:] for v in [r[2]])
    chart = client.get(f"/insights/charts/funnel.json?pcn={pcn}").json()
    assert chart["audience"] == "commissioner"
    assert [s["people"] for s in chart["data"]] == [r["people"] for r in expected.funnel]
    with client.app.state.sessionmaker() as check:
        actions = {(e.action, e.object_id) for e in check.query(AuditEvent).filter_by(
            object_type="insights")}
    assert {("read", "dashboard"), ("export", "by_source"), ("export", "chart:funnel")
            } <= actions


def test_evaluator_sees_unsuppressed_figures(client, login, session, seeded):
    login("evaluator")
    chart = client.get("/insights/charts/trend.json").json()
    assert chart["audience"] == "evaluator"
    assert all(isinstance(r["referrals"], int) for r in chart["data"])


@pytest.mark.parametrize("role", ["link_worker", "provider", "referrer"])
def test_other_roles_are_refused(client, login, role):
    login(role)
    assert client.get("/insights").status_code == 403
    assert client.get("/insights/by_source.csv").status_code == 403


def test_the_public_is_sent_to_sign_in(client):
    assert client.get("/insights", follow_redirects=False).status_code in (303, 401)


def test_bad_filters_are_named_on_the_page(client, login, seeded):
    login("commissioner")
    page = client.get("/insights?from=yesterday&to=2026-01-01&source=nobody")
    assert page.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in page.text and "Choose a source" in page.text
    assert client.get("/insights/by_source.csv?from=bad").status_code == 422
    assert client.get("/insights/nothing.csv").status_code == 404
