"""The administrator's organisation pages and the user form's organisation choice."""

import sqlalchemy as sa

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.directory.models import Organization
from referrals_factories import make_organization


def _count(app, model) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_only_administrators_see_organisations(client, login):
    assert client.get("/admin/organisations", follow_redirects=False).status_code == 401
    login(Role.LINK_WORKER)
    assert client.get("/admin/organisations").status_code == 403
    assert client.get("/admin/organisations/options").status_code == 403


def test_admin_adds_a_gp_practice_then_a_user_there(client, login, app):
    login(Role.ADMIN)
    response = client.post("/admin/organisations", data={
        "name": "Lewisham Medical Centre", "ods_code": "G85001"}, follow_redirects=False)
    assert response.status_code == 303
    organisation_id = response.headers["location"].split("organization_id=")[1]
    form = client.get(response.headers["location"])
    assert f'<option value="{organisation_id}" selected>Lewisham Medical Centre (G85001)' in (
        form.text)
    listed = client.get("/admin/organisations", params={"search": "g85001"})
    assert "Lewisham Medical Centre" in listed.text
    created = client.post("/admin/users/new", data={
        "display_name": "Dr Ada", "email": "ada@practice.example", "roles": "referrer",
        "organization_id": organisation_id}, follow_redirects=False)
    assert created.status_code == 303
    with app.state.sessionmaker() as session:
        user = session.scalars(sa.select(User).where(User.email == "ada@practice.example")).one()
        assert user.organization_id == organisation_id


def test_a_bad_organisation_is_refused_with_the_form_shown_again(client, login, app):
    login(Role.ADMIN)
    response = client.post("/admin/organisations", data={"name": "", "ods_code": "G8-5"})
    assert response.status_code == 422
    assert "Enter the organisation&#39;s name" in response.text
    assert 'href="#ods_code"' in response.text
    assert _count(app, Organization) == 0


def test_the_user_form_refuses_an_organisation_or_team_that_does_not_exist(client, login,
                                                                           app):
    login(Role.ADMIN)
    before = _count(app, User)
    for field, value in (("organization_id", "no-such-organisation"), ("team_id", "999"),
                         ("team_id", "not-a-number")):
        response = client.post("/admin/users/new", data={
            "display_name": "Sam", "email": "sam@example.org", "roles": "referrer",
            field: value})
        assert response.status_code == 422, (field, value)
    assert _count(app, User) == before


def test_organisation_search_keeps_the_current_choice(client, login, app):
    admin = login(Role.ADMIN)
    with app.state.sessionmaker() as session:
        cedar = make_organization(session, "Cedar Trust")
        make_organization(session, "Ash Community Group")
    options = client.get("/admin/organisations/options", params={
        "organisation_search": "ash", "organization_id": cedar.id}).text
    assert options.index("Cedar Trust") < options.index("Ash Community Group")
    assert f'value="{cedar.id}" selected' in options
    page = client.get(f"/admin/users/{admin.id}", params={"organisation_search": "zzz"})
    assert "Cedar Trust" not in page.text and "Ash Community Group" not in page.text


def test_organisations_come_a_page_at_a_time_keeping_the_search(client, login, app):
    login(Role.ADMIN)
    with app.state.sessionmaker() as session:
        for n in range(30):
            make_organization(session, f"Community Group {n:02d}")
    first = client.get("/admin/organisations", params={"search": "community group"})
    assert "Community Group 24" in first.text and "Community Group 25" not in first.text
    assert 'href="/admin/organisations?page=2&amp;search=community%20group"' in first.text
    assert "nhsuk-pagination-item--previous" not in first.text
    second = client.get("/admin/organisations", params={"search": "community group",
                                                        "page": "2"})
    assert "Community Group 29" in second.text
    assert 'href="/admin/organisations?page=1&amp;search=community%20group"' in second.text
    assert "nhsuk-pagination-item--next" not in second.text
