"""The public accountability pages, downloads and the commissioners' editing pages over HTTP."""

import csv
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa

from linkwell.audit.models import AuditEvent
from linkwell.auth.roles import Role
from linkwell.commissioning import commands, demo, queries
from linkwell.commissioning import models as m

SLUG = demo.SLUG
WELFARE = "Review of the current provision of social welfare legal advice in London"
HTML = {"accept": "text/html"}


@pytest.fixture
def seeded(app):
    with app.state.sessionmaker() as session, session.begin():
        demo.load_demo(session)
    return app


def state(app, as_of=None):
    with app.state.sessionmaker() as session:
        return queries.programme_state(session, SLUG, as_of)


def hact_id(app):
    return next(c.id for c in state(app).commissions
                if c.title == "Look at the role of housing associations")


def test_programme_list_links_to_the_public_page(client, seeded):
    response = client.get("/accountability")
    assert response.status_code == 200
    assert f'href="/accountability/{SLUG}"' in response.text
    assert 'href="/accountability"' in response.text  # the public menu entry


def test_public_page_as_of_17_january_2019(client, seeded):
    response = client.get(f"/accountability/{SLUG}?as_of=2019-01-17")
    assert response.status_code == 200
    page = response.text
    assert "The position as of 17 January 2019." in page
    assert "£86,000" in page
    assert WELFARE in page and "Not yet known" in page
    assert "Work not yet linked to a commitment" in page
    assert "Due in spring 2019 (1 March to 31 May 2019)." in page
    assert "Overdue" not in page
    assert f"/accountability/{SLUG}/data.csv?as_of=2019-01-17" in page
    assert "Changes recorded after 17 January 2019" in page
    assert "Nothing has changed since then." in page


def test_public_page_today_marks_reports_overdue(client, seeded):
    page = client.get(f"/accountability/{SLUG}").text
    assert "(today)" in page
    assert "£86,000" in page
    assert "Overdue" in page


@pytest.mark.parametrize(("as_of", "status"), [
    ("2019-01-16", 404), ("17/01/2019", 422), ("2999-01-01", 422),
])
def test_public_page_refuses_dates_it_cannot_answer_for(client, seeded, as_of, status):
    response = client.get(f"/accountability/{SLUG}?as_of={as_of}", headers=HTML)
    assert response.status_code == status
    assert client.get(f"/accountability/{SLUG}/data.json?as_of={as_of}").headers[
        "content-type"] == "application/problem+json"


def test_unknown_programme_is_not_found(client, seeded):
    assert client.get("/accountability/no-such-programme").status_code == 404


def test_answer_view_reads_as_a_reply(client, seeded):
    response = client.get(f"/accountability/{SLUG}/answer?as_of=2019-01-17")
    assert response.status_code == 200
    page = response.text
    assert "The answer as of 17 January 2019" in page
    for heading in ("How much funding was allocated to each commitment",
                    "What work was commissioned", "When the results will be reported"):
        assert heading in page
    assert "work commissioned has a known value of £86,000" in page
    assert f"The value of one commission is not yet known: {WELFARE}." in page


def test_json_download_as_of_17_january_2019(client, seeded):
    response = client.get(f"/accountability/{SLUG}/data.json?as_of=2019-01-17")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert (data["known_total_pence"], data["unknown_value_count"]) == (8_600_000, 1)
    assert [len(c["commissions"]) for c in data["commitments"]] == [3, 2]
    assert len(data["unlinked_commissions"]) == 3


def test_csv_download_has_a_row_per_commission(client, seeded):
    response = client.get(f"/accountability/{SLUG}/data.csv?as_of=2019-01-17")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8
    welfare = next(r for r in rows if r["title"] == WELFARE)
    assert (welfare["value_pence"], welfare["value"], welfare["status"]) == (
        "", "not yet known", "in_procurement")
    hact = next(r for r in rows if r["supplier"] == demo.HACT)
    assert (hact["value_pence"], hact["report_date_start"], hact["report_state"]) == (
        "1000000", "2019-03-01", "due")


def test_csv_cells_cannot_run_as_formulas(client, seeded):
    with seeded.state.sessionmaker() as session, session.begin():
        commands.save_commission(session, SLUG, title="=HYPERLINK(\"http://x\")", kind="grant",
                                 status="planned")
    rows = list(csv.DictReader(io.StringIO(client.get(f"/accountability/{SLUG}/data.csv").text)))
    assert any(r["title"].startswith("'=") for r in rows)


def test_commissioner_pages_need_sign_in_and_the_role(client, seeded, login):
    assert client.get("/commissioning").status_code == 401
    response = client.get("/commissioning", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    login(Role.REFERRER)
    assert client.get("/commissioning").status_code == 403


def test_commissioner_sees_overdue_report_dates(client, seeded, login):
    login(Role.COMMISSIONER)
    page = client.get("/commissioning").text
    assert page.count("Overdue") == 4
    assert f'href="/commissioning/{SLUG}"' in page
    manage = client.get(f"/commissioning/{SLUG}").text
    assert "Cost figures for evaluation" in manage and "£86,000" in manage


def test_commissioner_edit_is_versioned_audited_and_public(client, seeded, login):
    user = login(Role.COMMISSIONER, display_name="Casey Commissioner")
    hact = hact_id(seeded)
    form = client.get(f"/commissioning/{SLUG}/commissions/{hact}")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    response = client.post(f"/commissioning/{SLUG}/commissions/{hact}", data={
        "title": "Look at the role of housing associations", "kind": "review",
        "status": "reported", "supplier": demo.HACT, "value": "£12,500",
        "report_due": "spring 2019", "valid_from": "2019-06-10", "version": "1",
        "change_note": "Final invoice",
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    now = next(c for c in state(seeded).commissions if c.id == hact)
    assert (now.value.pence, now.status.value) == (1_250_000, "reported")
    then = next(c for c in state(seeded, date(2019, 1, 17)).commissions if c.id == hact)
    assert then.value.pence == 1_000_000
    history = client.get(f"/commissioning/{SLUG}/commissions/{hact}/history").text
    assert "Version 2" in history and "Casey Commissioner" in history
    assert "Final invoice" in history
    assert "£12,500" in history and demo.HACT in history
    with seeded.state.sessionmaker() as session:
        event = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.object_type == "commission", AuditEvent.action == "update")).one()
    assert (event.actor_id, event.actor_role, event.object_id) == (user.id, "commissioner",
                                                                   str(hact))
    assert "£88,500" in client.get(f"/accountability/{SLUG}").text
    past = client.get(f"/accountability/{SLUG}?as_of=2019-01-17").text
    assert "£86,000" in past
    assert ("10 June 2019: commission \u201cLook at the role of housing associations\u201d "
            "changed (status, value)") in past


def test_commissioner_post_without_csrf_token_is_refused(client, seeded, login):
    login(Role.COMMISSIONER)
    del client.headers["X-CSRF-Token"]
    hact = hact_id(seeded)
    response = client.post(f"/commissioning/{SLUG}/commissions/{hact}", data={
        "title": "Changed", "kind": "review", "status": "reported"})
    assert response.status_code == 403
    assert next(c for c in state(seeded).commissions if c.id == hact).title != "Changed"


def test_invalid_edit_shows_the_form_again_with_what_was_typed(client, seeded, login):
    login(Role.COMMISSIONER)
    hact = hact_id(seeded)
    with seeded.state.sessionmaker() as session:
        versions = session.scalar(sa.select(sa.func.count()).select_from(m.CommissionVersion))
    for value, supplier, message in (("-500", demo.HACT, "cannot be negative"),
                                     ("500", "Unheard Of Ltd", "not on the list of suppliers")):
        response = client.post(f"/commissioning/{SLUG}/commissions/{hact}", data={
            "title": "My careful new title", "kind": "review", "status": "reported",
            "supplier": supplier, "value": value, "version": "1"})
        assert response.status_code == 422
        assert message in response.text
        assert 'value="My careful new title"' in response.text
    with seeded.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            m.CommissionVersion)) == versions


def test_stale_form_is_refused_with_a_conflict(client, seeded, login):
    login(Role.COMMISSIONER)
    hact = hact_id(seeded)
    data = {"title": "Housing", "kind": "review", "status": "in_progress", "version": "1"}
    assert client.post(f"/commissioning/{SLUG}/commissions/{hact}", data=data,
                       follow_redirects=False).status_code == 303
    response = client.post(f"/commissioning/{SLUG}/commissions/{hact}",
                           data=data | {"status": "reported"})
    assert response.status_code == 409
    assert "changed by someone else" in response.text


def test_new_commission_can_be_left_unlinked(client, seeded, login):
    login(Role.ADMIN)
    response = client.post(f"/commissioning/{SLUG}/commissions/new", data={
        "title": "Pilot in two boroughs", "kind": "pilot", "status": "planned", "value": ""},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    pilot = next(c for c in state(seeded).commissions if c.title == "Pilot in two boroughs")
    assert pilot.commitment_ids == frozenset() and not pilot.value.is_known
    data = client.get(f"/accountability/{SLUG}/data.json").json()
    assert data["unknown_value_count"] == 2
    assert "Pilot in two boroughs" in [c["title"] for c in data["unlinked_commissions"]]


def test_supplier_is_added_explicitly_then_usable(client, seeded, login):
    login(Role.COMMISSIONER)
    assert client.post("/commissioning/suppliers", data={"name": "Acme Research"},
                       follow_redirects=False).status_code == 303
    duplicate = client.post("/commissioning/suppliers", data={"name": "acme research"})
    assert duplicate.status_code == 409 and "already on the list" in duplicate.text
    hact = hact_id(seeded)
    assert client.post(f"/commissioning/{SLUG}/commissions/{hact}", data={
        "title": "Housing", "kind": "review", "status": "commissioned",
        "supplier": "Acme Research"}, follow_redirects=False).status_code == 303


def test_output_upload_is_published_with_its_file(client, seeded, login):
    login(Role.COMMISSIONER)
    hact = hact_id(seeded)
    response = client.post(f"/commissioning/{SLUG}/outputs/new", data={
        "title": "Housing associations and social prescribing", "commission_id": str(hact),
        "published": "June 2019", "valid_from": "2019-06-30"},
        files={"file": ("report.pdf", b"%PDF-1.4 report", "application/pdf")},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    output = next(o for o in state(seeded).outputs if o.commission_id == hact)
    page = client.get(f"/accountability/{SLUG}").text
    link = f"/accountability/{SLUG}/outputs/{output.id}/file"
    assert link in page
    download = client.get(link)
    assert download.content == b"%PDF-1.4 report"
    assert download.headers["content-type"] == "application/pdf"


def test_commissioner_can_add_an_allocation_and_withdraw_a_commission(client, seeded, login):
    login(Role.COMMISSIONER)
    first = state(seeded).commitments[0].id
    assert client.post(f"/commissioning/{SLUG}/allocations/new", data={
        "description": "Evaluation budget", "amount": "50,000", "status": "allocated",
        "period": "2018/19", "commitment_ids": [str(first)], "valid_from": "2019-02-01"},
        follow_redirects=False).status_code == 303
    data = client.get(f"/accountability/{SLUG}/data.json").json()
    assert data["commitments"][0]["allocated_known_total_pence"] == 5_000_000
    hact = hact_id(seeded)
    assert client.post(f"/commissioning/{SLUG}/commissions/{hact}/withdraw",
                       data={"reason": "Entered twice", "version": "1"},
                       follow_redirects=False).status_code == 303
    assert client.get(f"/accountability/{SLUG}/data.json").json()[
        "known_total_pence"] == 7_600_000
    assert client.get(f"/accountability/{SLUG}/data.json?as_of=2019-01-17").json()[
        "known_total_pence"] == 8_600_000


def test_commissioner_adds_a_programme(client, seeded, login):
    login(Role.COMMISSIONER)
    response = client.post("/commissioning/programmes", data={
        "slug": "his-2019-20", "title": "Social prescribing (2019/20)",
        "strategy": "Health Inequality Strategy", "period": "2019/20"}, follow_redirects=False)
    assert response.status_code == 303
    assert "Social prescribing (2019/20)" in client.get("/accountability").text
    refused = client.post("/commissioning/programmes", data={
        "slug": "bad slug!", "title": "X", "strategy": "Y", "period": "2019/20"})
    assert refused.status_code == 422 and "letters, digits and hyphens" in refused.text
    assert 'value="bad slug!"' in refused.text
