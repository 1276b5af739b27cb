"""The demo's referral activity gives a commissioner every measure on /insights, unsuppressed
by the "too few" notice, under the PCN filter too, and the CSV agrees with plain SQL counts."""

import csv
import io
from datetime import date

from sqlalchemy import text

from linkwell.auth.demo import create_demo_users
from linkwell.auth.models import Team
from linkwell.commissioning.money import format_pence
from linkwell.insights.demo import TEAMS, create_demo_activity
from referrals_factories import make_organization, make_service

TODAY = date(2026, 6, 30)


def _demo(session):
    org = make_organization(session)
    for i in range(4):
        make_service(session, org, name=f"Demo service {i}")
    with session.begin():
        create_demo_users(session, provider_organization_id=org.id)
        summary = create_demo_activity(session, today=TODAY)
    return summary


def test_the_demo_activity_is_made_once(session):
    assert "referrals into 2 PCN teams" in _demo(session)
    with session.begin():
        assert create_demo_activity(session, today=TODAY) == "already there"


def test_a_commissioner_sees_every_measure_filters_by_pcn_and_the_csv_agrees(
        client, login, session):
    _demo(session)
    login("commissioner")
    page = client.get("/insights")
    assert page.status_code == 200
    assert "Fewer than 10 people" not in page.text
    for heading in ("Referrals in, by source", "Referrals in, by practice", "From referral to",
                    "Reasons for declines", "Appointments attended and missed",
                    "Did-not-attend rate", "Days from referral to first appointment",
                    "Caseload per link worker", "Waiting list", "Onward referrals by service"):
        assert heading in page.text, heading
    assert "Not shown:" not in page.text  # every summary figure has enough people behind it
    people = session.execute(text("SELECT COUNT(DISTINCT person_id) FROM referral")).scalar()
    completing = session.execute(text(
        "SELECT COUNT(DISTINCT person_id) FROM episode WHERE closure_reason = 'goals-met'"
    )).scalar()
    assert "£132,000" in page.text  # link worker posts and grants, not the £8,000 review
    assert format_pence(round(13_200_000 / people)) in page.text
    assert format_pence(round(13_200_000 / completing)) in page.text
    pcn = session.query(Team).filter_by(name=TEAMS[0][0]).one().id
    filtered = client.get(f"/insights?pcn={pcn}")
    assert filtered.status_code == 200 and "In summary" in filtered.text
    response = client.get(f"/insights/by_source.csv?pcn={pcn}")
    rows = {r[1]: r[2] for r in list(csv.reader(io.StringIO(response.text)))[1:]}
    expected = dict(session.execute(text(
        "SELECT source, COUNT(*) FROM referral WHERE team_id = :team GROUP BY source"),
        {"team": pcn}).all())
    assert {code: int(n) for code, n in rows.items() if n.isdigit()} == {
        code: n for code, n in expected.items() if n >= 10}
    assert all(n.isdigit() or code in {c for c, m in expected.items() if m < 10}
               for code, n in rows.items())
    attendance = list(csv.reader(io.StringIO(client.get(
        f"/insights/attendance.csv?pcn={pcn}").text)))[1]
    held, attended, missed = session.execute(text(
        "SELECT COUNT(*), SUM(CASE WHEN outcome = 'attended' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN outcome = 'did-not-attend' THEN 1 ELSE 0 END) FROM appointment "
        "JOIN episode ON episode.id = appointment.episode_id "
        "JOIN referral ON referral.id = episode.referral_id WHERE referral.team_id = :team "
        "AND outcome IN ('attended', 'did-not-attend')"), {"team": pcn}).one()
    assert attendance[1:4] == [str(held), str(attended), str(missed)]
    assert float(attendance[4]) == round(missed / held, 4)
