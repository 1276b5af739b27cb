"""The one form-error pattern, over HTTP: an empty or invalid form comes back (422) as it was
filled in, with a summary, the field's own message and "Error:" in the title; pages the
accessibility audit found wanting (sign-in link, /docs, the statement)."""

import re

from linkwell.auth.models import User
from linkwell.db import make_sessionmaker
from referrals_factories import accept, make_team, submit

HTML = {"accept": "text/html"}


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_an_empty_team_form_shows_the_error_beside_the_field(client, login):
    login("admin")
    response = client.post("/admin/teams", data={"name": "", "kind": "pcn",
                                                 "lad_code": "E09000023"}, headers=HTML)
    assert response.status_code == 422
    assert _title(response.text).startswith("Error: ")
    assert '<a href="#name">Enter the team&#39;s name.</a>' in response.text
    assert 'id="name-error"' in response.text
    assert 'aria-describedby="name-error"' in response.text
    assert 'value="E09000023"' in response.text  # what was entered stays


def test_an_empty_new_user_names_every_missing_field(client, login):
    login("admin")
    response = client.post("/admin/users/new", data={}, headers=HTML)
    assert response.status_code == 422
    for field in ("display_name", "email"):
        assert f'id="{field}-error"' in response.text
    assert 'id="roles-error"' in response.text
    assert 'href="#role-' in response.text  # the summary links to the first role's box


def test_an_empty_sign_in_says_what_is_missing(client):
    response = client.post("/login", data={"email": "", "password": "",
                                           "csrf_token": _csrf(client)}, headers=HTML)
    assert response.status_code == 422
    assert _title(response.text).startswith("Error: ")
    assert 'id="email-error"' in response.text and 'id="password-error"' in response.text


def test_the_referral_form_links_the_date_of_birth_to_its_day(client, login):
    login("referrer")
    response = client.post("/referrals/new", data={"given_name": "Ada"}, headers=HTML)
    assert response.status_code == 422
    assert '<a href="#birth_day">' in response.text
    assert re.search(r'<fieldset class="nhsuk-fieldset" role="group" '
                     r'aria-describedby="birth_date-hint birth_date-error">', response.text)
    assert 'value="Ada"' in response.text


def test_an_empty_goal_shows_the_person_record_with_the_form_open(client, login, app):
    with make_sessionmaker(app.state.engine)() as session:
        team = make_team(session)
    worker = login("link_worker", team_id=team.id)
    with make_sessionmaker(app.state.engine)() as session:
        referral = submit(session, None)
        me = session.get(User, worker.id)
        session.commit()
        episode = accept(session, me, referral)
        episode_id, person_id = episode.id, episode.person_id
    response = client.post(f"/episodes/{episode_id}/goals", data={"description": ""},
                           headers=HTML)
    assert response.status_code == 422
    assert _title(response.text).startswith("Error: ")
    assert f"/episodes/{episode_id}/goals" in response.text  # the record, not a bare page
    assert 'details class="nhsuk-details" open' in response.text
    assert 'id="description-error"' in response.text
    assert client.get(f"/people/{person_id}", headers=HTML).status_code == 200


def test_sign_in_page_links_to_the_self_referral_form(client):
    assert 'href="/refer-yourself"' in client.get("/login").text


def test_api_docs_page_has_a_language_a_heading_and_no_inline_script(client):
    html = client.get("/docs").text
    assert '<html lang="en">' in html and "<h1>" in html and "<main" in html
    assert not re.search(r"<script>(?!\s*</script>)", html)
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_the_accessibility_statement_is_linked_from_every_page(client):
    assert 'href="/accessibility"' in client.get("/find").text
    statement = client.get("/accessibility").text
    assert "Accessibility statement for Linkwell" in statement
    assert "This statement was prepared on" in statement


def _csrf(client) -> str:
    from conftest import csrf_token

    return csrf_token(client)


def test_declining_without_a_reason_shows_the_referral_again(client, login, app):
    with make_sessionmaker(app.state.engine)() as session:
        team = make_team(session)
    login("link_worker", team_id=team.id)
    with make_sessionmaker(app.state.engine)() as session:
        referral = submit(session, None)
        referral_id, version = referral.id, referral.version
    response = client.post(f"/referrals/{referral_id}/decline",
                           data={"version": str(version), "reason": ""}, headers=HTML)
    assert response.status_code == 422
    assert '<a href="#decline-reason">Choose why the referral is declined</a>' in response.text
    assert 'id="decline-reason-error"' in response.text
    assert client.get(f"/referrals/{referral_id}", headers=HTML).text.count("Requested") >= 1
