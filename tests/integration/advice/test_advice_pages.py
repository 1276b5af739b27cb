import pytest
from sqlalchemy import select

from advice_fixtures import LC_HOUSING, add_advice_directory
from conftest import csrf_token, make_user, sign_in
from linkwell.advice.models import AdviceTriage
from linkwell.directory.models import Service
from linkwell.referrals.models import OnwardReferral
from referrals_factories import accept, make_team, submit

DONE_WHEN = ("my landlord gave me a section 21 and I'm behind on council tax, "
             "the bailiffs are coming")


@pytest.fixture
def directory(session):
    with session.begin():
        add_advice_directory(session)


def test_advice_page_is_public_and_in_the_menu(client):
    response = client.get("/advice")
    assert response.status_code == 200
    assert "Tell us what's happening" in response.text
    assert 'href="/advice"' in response.text


def test_advice_page_shows_the_result(client, directory):
    response = client.post("/advice", data={"text": DONE_WHEN, "postcode": "SE13 5AA",
                                            "csrf_token": csrf_token(client)})
    assert response.status_code == 200
    page = response.text
    assert "This is urgent" in page
    assert "Housing" in page and "Debt" in page
    assert "Likely to be covered by legal aid" in page
    assert "indication, not legal advice" in page
    assert "Lewisham Law Centre" in page
    assert "Send warm referral" not in page  # only link workers refer
    assert 'name="a_notice_received"' in page  # adaptive questions follow


def test_advice_page_empty_text_shows_an_error(client):
    response = client.post("/advice", data={"text": " ", "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert 'href="#text"' in response.text


def test_advice_page_bad_answer_keeps_the_questions(client):
    response = client.post("/advice", data={"text": "landlord evicting me",
                                            "a_notice_received": "maybe",
                                            "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert 'href="#a_notice_received"' in response.text
    assert 'name="a_notice_received"' in response.text


@pytest.fixture
def episode(session, directory):
    team = make_team(session)
    worker = make_user(session, "link_worker", team_id=team.id)
    referrer = make_user(session, "referrer", password=None)
    referral = submit(session, referrer, reasons=("housing",))
    found = accept(session, worker, referral)
    return {"episode": found, "worker": worker, "team": team}


def test_warm_referral_needs_consent_then_attaches_the_triage(client, session, episode):
    sign_in(client, episode["worker"].email)
    episode_id = episode["episode"].id
    page = client.get(f"/episodes/{episode_id}/advice")
    assert page.status_code == 200
    result = client.post(f"/episodes/{episode_id}/advice",
                         data={"text": DONE_WHEN, "postcode": "SE13 5AA",
                               "csrf_token": csrf_token(client)})
    assert "Send warm referral" in result.text

    form = {"text": DONE_WHEN, "service_id": LC_HOUSING, "a_notice_received": "yes",
            "csrf_token": csrf_token(client)}
    refused = client.post(f"/episodes/{episode_id}/advice/referrals", data=form,
                          follow_redirects=False)
    assert refused.status_code == 422
    assert session.scalars(select(OnwardReferral)).all() == []
    # Says what is missing, on the triage page, with what was typed and found kept.
    assert "tick that the person agrees" in refused.text
    assert "section 21" in refused.text and "Send warm referral" in refused.text
    assert "Invalid input" not in refused.text

    sent = client.post(f"/episodes/{episode_id}/advice/referrals",
                       data={**form, "consent": "yes"}, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/people/{episode['episode'].person_id}?saved=onward"
    session.expire_all()
    onward = session.scalars(select(OnwardReferral)).one()
    assert onward.service_id == LC_HOUSING
    assert onward.reason == "housing"
    assert "Housing" in onward.summary and "Urgent: yes" in onward.summary
    attachment = onward.attachments[0]
    assert attachment["title"] == "Advice triage summary"
    assert {c["code"] for c in attachment["categories"]} == {"housing", "debt"}
    assert attachment["answers"] == {"notice_received": "yes"}
    assert "section 21" in attachment["text"]
    saved = session.scalars(select(AdviceTriage)).one()
    assert saved.episode_id == episode_id and saved.urgent


def test_advice_page_of_another_teams_episode_is_not_found(client, session, episode):
    other_team = make_team(session, name="Greenwich PCN", lad_code="E09000011")
    outsider = make_user(session, "link_worker", team_id=other_team.id)
    sign_in(client, outsider.email)
    response = client.get(f"/episodes/{episode['episode'].id}/advice")
    assert response.status_code == 404


def test_advice_page_for_episodes_needs_a_link_worker(client, episode):
    response = client.get(f"/episodes/{episode['episode'].id}/advice",
                          headers={"accept": "application/json"})
    assert response.status_code == 401


def test_advice_page_puts_the_urgent_case_first_in_plain_words(client, directory):
    from datetime import date, timedelta

    from linkwell.advice.dates import british

    response = client.post("/advice", data={
        "text": "court hearing to evict us tomorrow and bailiffs about council tax",
        "postcode": "SE13 5AA", "csrf_token": csrf_token(client)})
    page = response.text
    assert page.index("This is urgent") < page.index("What we think the problem is")
    assert "What to do today" in page
    # The home at risk is the main problem, before the debt behind it (writers' labels).
    assert "We think this is mainly about housing, and it may also involve debt" in page
    assert "% sure" not in page
    assert british(date.today() + timedelta(days=1)) in page  # "Saturday 5 December 2026"
    assert " miles away" in page and " km" not in page
    names = [line for line in page.splitlines() if 'class="nhsuk-card__heading"' in line]
    assert len(names) == len(set(names))  # no listing twice


def test_a_provider_named_after_its_organisation_names_it_once(client, session, directory):
    # As /find does: "Housing advice — Lewisham Law Centre" above "Lewisham Law Centre" said
    # the organisation twice on each card (seen in the demo at 375 px).
    with session.begin():
        session.get(Service, LC_HOUSING).name = "Housing advice — Lewisham Law Centre"
    response = client.post("/advice", data={"text": DONE_WHEN, "postcode": "SE13 5AA",
                                            "csrf_token": csrf_token(client)})
    heading = response.text.split('class="nhsuk-card__heading', 1)[1].split("</h4>", 1)[0]
    assert heading.endswith(">Housing advice")
    card = response.text.split("Housing advice", 1)[1].split("<ul", 1)[0]
    assert card.count("Lewisham Law Centre") == 1
