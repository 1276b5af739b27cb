"""The outcomes framework: system outcomes imported all or nothing (command line and upload),
community outcomes recorded by link workers, both on the dashboard as counted by hand; and
the monthly e-mail queued once a month in the staff notification outbox."""

from datetime import date

import pytest
from sqlalchemy import func, select

from conftest import _free_port, invoke_cli, make_settings, make_user, notify_settings
from insights_factories import NOW, months_around, nhs_number, referred_people, seed
from linkwell.audit.models import AuditEvent
from linkwell.errors import InvalidInput
from linkwell.insights import commands, domain, pseudonyms, queries
from linkwell.insights.models import CommunityOutcome, SystemOutcome
from linkwell.notifications import outbox
from linkwell.notifications.models import Notification

TODAY = NOW.date()
KEY = "the key this service shares with its practices"


@pytest.fixture
def settings(database_url):
    return make_settings(database_url, pseudonym_key=KEY)


def test_a_csv_with_any_bad_line_imports_nothing_and_names_each_line(session):
    seed(session, n=60)
    (_, good, referred), = referred_people(session, 1)
    csv_text = ("nhs_number,measure,period,count\n"
                f"{good},gp-appointments,{months_around(referred, True)},3\n"
                f"{nhs_number(900)},gp-appointments,2025-01/2025-02,1\n"
                f"{good},gp-appointments,{referred:%Y-%m}/{referred:%Y-%m},2\n")
    with pytest.raises(InvalidInput) as caught, session.begin():
        commands.import_system_outcomes(session, by=None, text=csv_text, today=TODAY)
    assert [e["message"] for e in caught.value.errors] == [
        "Line 3: No referred person has this NHS number",
        "Line 4: Bad period: it contains the date of the first referral"]
    assert session.scalar(select(func.count()).select_from(SystemOutcome)) == 0


def test_the_dashboard_compares_before_and_after_for_people_with_both(session):
    seed(session)
    people = referred_people(session, 14)
    lines = ["nhs_number,measure,period,count"]
    for i, (_, number, referred) in enumerate(people):
        lines.append(f"{number},gp-appointments,{months_around(referred, True)},{4 + i % 3}")
        if i < 12 and referred < date(2026, 5, 1):
            lines.append(f"{number},gp-appointments,{months_around(referred, False)},{i % 2}")
    with session.begin():
        result = commands.import_system_outcomes(session, by=None, text="\n".join(lines),
                                                 today=TODAY)
    assert result.lines == len(lines) - 1
    with pytest.raises(InvalidInput) as again, session.begin():  # the same file twice
        commands.import_system_outcomes(session, by=None, text="\n".join(lines), today=TODAY)
    assert all(e["message"].endswith("Already imported") for e in again.value.errors)
    both = [(i, p) for i, p in enumerate(people) if i < 12 and p[2] < date(2026, 5, 1)]
    d = domain.build(queries.frames(session), domain.Filters(), "evaluator", NOW)
    row = next(t for t in d.tables if t.key == "system_outcomes").rows[0]
    assert row["people"] == len(both)
    assert row["per_month_before"] == pytest.approx(sum(4 + i % 3 for i, _ in both)
                                                    / (2 * len(both)))
    assert row["per_month_after"] == pytest.approx(sum(i % 2 for i, _ in both) / len(both))


def test_an_administrator_uploads_and_sees_each_rejected_line(client, login, session):
    seed(session, n=60)
    (_, good, referred), = referred_people(session, 1)
    login("admin")
    assert 'href="/insights/system-outcomes"' in client.get("/insights").text
    bad = f"nhs_number,measure,period,count\n{good},dentist,2025-01/2025-02,1\n"
    page = client.post("/insights/system-outcomes",
                       files={"file": ("counts.csv", bad.encode(), "text/csv")})
    assert page.status_code == 400 and "Nothing was imported" in page.text
    assert "Line 2: Unknown measure" in page.text
    good_csv = (f"nhs_number,measure,period,count\n"
                f"{good},ae-attendances,{months_around(referred, True)},1\n")
    page = client.post("/insights/system-outcomes",
                       files={"file": ("counts.csv", good_csv.encode(), "text/csv")})
    assert page.status_code == 200 and "Imported 1 line for 1 person." in page.text
    with client.app.state.sessionmaker() as check:
        assert check.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "system_outcome", AuditEvent.action == "import")) == 1


@pytest.mark.parametrize("role", ["commissioner", "link_worker"])
def test_only_administrators_import_system_outcomes(client, login, role):
    login(role)
    assert client.get("/insights/system-outcomes").status_code == 403


def test_the_command_line_import_reports_rejected_lines(session, tmp_path, monkeypatch,
                                                        database_url):
    seed(session, n=60)
    path = tmp_path / "counts.csv"
    path.write_text("nhs_number,measure,period,count\n1234567890,gp-appointments,"
                    "2025-01/2025-02,1\n")
    result = invoke_cli(monkeypatch, "insights", "import-system-outcomes", str(path),
                        database_url=database_url)
    assert result.exit_code == 2
    assert "Line 2: Not a valid NHS number" in result.output


def test_a_pseudonym_file_imports_counts_without_nhs_numbers(session):
    seed(session, n=60)
    (pid, good, referred), = referred_people(session, 1)
    unknown = pseudonyms.pseudonym(nhs_number(900), KEY)
    period = months_around(referred, True)
    named = f"{pseudonyms.pseudonym(good, KEY)},gp-appointments,{period},3\n"
    with pytest.raises(InvalidInput) as caught, session.begin():
        commands.import_system_outcomes(
            session, by=None, text=f"pseudonym,measure,period,count\n{named}"
                                   f"{unknown},gp-appointments,{period},1\n",
            today=TODAY, pseudonym_key=KEY)
    assert [e["message"] for e in caught.value.errors] == [
        "Line 3: No referred person has this pseudonym (was it made with this service's key?)"]
    with session.begin():
        assert session.scalar(select(func.count()).select_from(SystemOutcome)) == 0
    with session.begin():
        result = commands.import_system_outcomes(
            session, by=None, text=f"pseudonym,measure,period,count\n{named}", today=TODAY,
            pseudonym_key=KEY)
    assert (result.lines, result.people) == (1, 1)
    assert session.scalar(select(SystemOutcome.person_id)) == pid


def test_a_pseudonym_file_is_refused_whole_when_no_key_is_set(session):
    seed(session, n=60)
    (_, good, referred), = referred_people(session, 1)
    text_ = (f"pseudonym,measure,period,count\n{pseudonyms.pseudonym(good, KEY)},"
             f"gp-appointments,{months_around(referred, True)},3\n")
    with pytest.raises(InvalidInput) as caught, session.begin():
        commands.import_system_outcomes(session, by=None, text=text_, today=TODAY,
                                        pseudonym_key="")
    assert [e["message"] for e in caught.value.errors] == [
        "Line 1: This service has no pseudonym key (LINKWELL_PSEUDONYM_KEY), so pseudonyms "
        "cannot be matched: send NHS numbers, or ask the administrator to set the key"]
    assert session.scalar(select(func.count()).select_from(SystemOutcome)) == 0


def test_an_administrator_uploads_a_pseudonym_file(client, login, session):
    seed(session, n=60)
    (_, good, referred), = referred_people(session, 1)
    login("admin")
    assert "pseudonym" in client.get("/insights/system-outcomes").text
    both = (f"nhs_number,pseudonym,measure,period,count\n{good},x,ae-attendances,"
            f"{months_around(referred, True)},1\n")
    page = client.post("/insights/system-outcomes",
                       files={"file": ("counts.csv", both.encode(), "text/csv")})
    assert page.status_code == 400 and "both nhs_number and pseudonym columns" in page.text
    named = (f"pseudonym,measure,period,count\n{pseudonyms.pseudonym(good, KEY)},"
             f"ae-attendances,{months_around(referred, True)},1\n")
    page = client.post("/insights/system-outcomes",
                       files={"file": ("counts.csv", named.encode(), "text/csv")})
    assert page.status_code == 200 and "Imported 1 line for 1 person." in page.text


def test_a_practice_computes_pseudonyms_on_the_command_line(tmp_path, monkeypatch):
    one = invoke_cli(monkeypatch, "insights", "pseudonym", "999 000 0018", pseudonym_key=KEY)
    source = tmp_path / "counts.csv"
    source.write_text("nhs_number,measure,period,count\n"
                      "9990000018,gp-appointments,2025-01/2025-02,1\n")
    target = tmp_path / "pseudonymised.csv"
    converted = invoke_cli(monkeypatch, "insights", "pseudonym", "--file", str(source),
                           "--output", str(target))
    source.write_text("nhs_number,measure,period,count\n1234567890,gp-appointments,"
                      "2025-01/2025-02,1\n")
    bad = invoke_cli(monkeypatch, "insights", "pseudonym", "--file", str(source),
                     "--output", str(tmp_path / "bad.csv"))
    monkeypatch.delenv("LINKWELL_PSEUDONYM_KEY")
    no_key = invoke_cli(monkeypatch, "insights", "pseudonym", "9990000018")
    name = pseudonyms.pseudonym("9990000018", KEY)
    assert one.exit_code == 0 and one.output.strip() == name
    assert converted.exit_code == 0, converted.output
    assert target.read_text() == (f"pseudonym,measure,period,count\n"
                                  f"{name},gp-appointments,2025-01/2025-02,1\n")
    assert bad.exit_code == 2 and "Line 2: Not a valid NHS number" in bad.output
    assert "1234567890" not in bad.output and not (tmp_path / "bad.csv").exists()
    assert no_key.exit_code == 2 and "LINKWELL_PSEUDONYM_KEY is not set" in no_key.output


def test_a_link_worker_records_a_community_outcome_and_it_is_counted(client, login, session):
    seeded = seed(session, n=60)
    team = seeded.teams["North PCN"]
    login("link_worker", team_id=team.id)
    page = client.post("/insights/community-outcomes/new",
                       data={"kind": "picnic", "count": "0", "month": "soon"})
    assert page.status_code == 400 and "Choose new groups or volunteers" in page.text
    for count in ("3", "4"):
        response = client.post("/insights/community-outcomes/new", follow_redirects=False,
                               data={"kind": "volunteers-recruited", "count": count,
                                     "month": f"{TODAY:%Y-%m}"})
        assert response.status_code == 303
    with client.app.state.sessionmaker() as check:
        assert check.scalar(select(func.count()).select_from(CommunityOutcome)) == 2
        assert check.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "community_outcome")) == 2
    session.expire_all()
    d = domain.build(queries.frames(session), domain.Filters(pcn=team.id), "evaluator", NOW)
    rows = {r["code"]: r["count"] for r in next(
        t for t in d.tables if t.key == "community_outcomes").rows}
    assert rows == {"new-group": 0, "volunteers-recruited": 7}
    other = domain.build(queries.frames(session), domain.Filters(
        pcn=seeded.teams["South PCN"].id), "evaluator", NOW)
    assert {r["count"] for r in next(t for t in other.tables
                                     if t.key == "community_outcomes").rows} == {0}


def test_the_monthly_email_goes_once_to_subscribed_commissioners(client, login, session):
    seed(session)
    commissioner = login("commissioner")
    assert client.post("/insights/subscription", data={"monthly": "1"},
                       follow_redirects=False).status_code == 303
    make_user(session, "commissioner")  # not subscribed
    with session.begin():
        subject = {}

        def headline(first, last):
            d = queries.dashboard(session, domain.Filters(date_from=first, date_to=last),
                                  "commissioner", NOW)
            subject["text"] = domain.headline(d)
            return subject["text"]

        assert commands.queue_monthly(session, today=TODAY, headline=headline) == 1
    with session.begin():
        assert commands.queue_monthly(session, today=TODAY, headline=headline) == 0
    with session.begin():
        notes = session.scalars(select(Notification)).all()
    assert [n.recipient for n in notes] == [commissioner.email]
    assert notes[0].subject.startswith("Linkwell insights for May 2026: ")
    assert subject["text"] in notes[0].subject
    assert "/insights?from=2026-05-01&to=2026-05-31" in notes[0].body
    assert client.post("/insights/subscription", data={"monthly": "0"},
                       follow_redirects=False).status_code == 303
    with session.begin():
        assert commands.queue_monthly(session, today=date(2026, 8, 1),
                                      headline=headline) == 0


def test_the_monthly_email_goes_through_notify_when_it_is_configured(
        session, session_factory, database_url, notify_standin):
    seed(session, n=60)
    commissioner = make_user(session, "commissioner")
    with session.begin():
        commands.set_subscription(session, by=commissioner, subscribed=True)
        assert commands.queue_monthly(session, today=TODAY,
                                      headline=lambda first, last: "12 referrals") == 1
    template = "5a1d9f7c-3c55-4d0e-8f59-0c7b1e6a2b44"
    settings = notify_settings(database_url, notify_standin, smtp_port=_free_port(),
                               notify_template_staff_email=template)
    assert outbox.send_pending(session_factory, settings) == (1, 0)
    sent, = notify_standin.notifications.values()
    assert (sent["recipient"], sent["template"]["id"]) == (commissioner.email, template)
    assert sent["personalisation"]["subject"] == "Linkwell insights for May 2026: 12 referrals"
    assert "/insights?from=2026-05-01&to=2026-05-31" in sent["personalisation"]["body"]
