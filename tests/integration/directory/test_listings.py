"""Providers keeping their listings current: one-click confirmation, edits that are checked,
versioned, audited and searchable at once; the administrator's data-quality queue."""

import re
from datetime import time

import pytest
from sqlalchemy import select

from conftest import csrf_token
from linkwell.audit.models import AuditEvent
from linkwell.directory.models import (
    Language,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
)
from linkwell.directory.search import search_services
from linkwell.directory.search_index import ServiceSearch
from linkwell.directory.search_query import SearchQuery
from search_fixtures import BEFRIEND, DEBT_DROP_IN, ORG, TODAY, add_all, uid


@pytest.fixture
def site(client, app):
    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
        session.add(Organization(id=uid("other-org"), name="Other", description="Other"))
        session.flush()
        session.add(Service(id=uid("silent"), organization_id=uid("other-org"),
                            name="Silent club", status="active"))
    return client


def form(client, page_html: str, **changes) -> dict:
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page_html))
    for name in ("description", "eligibility_description", "application_process"):
        found = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page_html)
        values[name] = found.group(1) if found else ""
    values.update(changes, csrf_token=csrf_token(client))
    return values


def test_provider_confirms_a_listing_in_one_click(site, app, login):
    provider = login("provider", organization_id=ORG)
    page = site.get("/provider/services")
    assert page.status_code == 200 and "Debt Advice Drop-in" in page.text
    assert "Needs checking" in page.text
    response = site.post(f"/provider/services/{DEBT_DROP_IN}/confirm",
                         data={"csrf_token": csrf_token(site)}, follow_redirects=False)
    assert response.status_code == 303
    with app.state.sessionmaker() as session:
        assert session.get(Service, DEBT_DROP_IN).assured_date == TODAY
        assert session.scalar(select(ServiceSearch.assured_date).where(
            ServiceSearch.service_id == DEBT_DROP_IN)) == TODAY
        change = session.scalar(select(Metadata).where(Metadata.resource_id == DEBT_DROP_IN))
        assert change.field_name == "assured_date" and change.last_action_type == "confirmed"
        assert change.updated_by == f"linkwell-user:{provider.id}"
        assert session.scalar(select(AuditEvent.detail).where(
            AuditEvent.object_id == DEBT_DROP_IN)) == {"confirmed": TODAY.isoformat()}


def test_provider_edit_is_versioned_audited_and_found_by_search(site, app, login):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/services/{BEFRIEND}/edit")
    assert page.status_code == 200
    response = site.post(f"/provider/services/{BEFRIEND}/edit", data=form(
        site, page.text, name="Lewisham Befriending Scheme", description="Weekly walks",
        phone="020 7946 0999", url="https://example.org/walks"), follow_redirects=False)
    assert response.status_code == 303, response.text
    with app.state.sessionmaker() as session:
        service = session.get(Service, BEFRIEND)
        assert service.description == "Weekly walks" and service.last_modified is not None
        assert session.scalar(select(Phone.number).where(Phone.service_id == BEFRIEND)) == (
            "020 7946 0999")
        fields = set(session.scalars(select(Metadata.field_name).where(
            Metadata.resource_id == BEFRIEND)))
        assert fields == {"description", "phone", "url"}
        found = search_services(session, SearchQuery(text="walks"), stale_after_days=365)
        assert [hit.service_id for hit in found.hits] == [BEFRIEND]
        assert session.scalar(select(AuditEvent.detail).where(
            AuditEvent.object_id == BEFRIEND))["fields"] == ["description", "url", "phone"]


def test_provider_edits_opening_times_and_languages_as_hsds_rows(site, app, login):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/services/{BEFRIEND}/edit")
    assert 'id="opens_MO"' in page.text and 'id="languages"' in page.text
    closed_all_week = {f"{part}_{day}": "" for part in ("opens", "closes")
                       for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")}
    response = site.post(f"/provider/services/{BEFRIEND}/edit", data=form(
        site, page.text, **{**closed_all_week, "opens_TU": "10:00", "closes_TU": "12:30",
                            "opens_TH": "10:00", "closes_TH": "12:30", "opens_SA": "9:00",
                            "closes_SA": "11:00"}, languages="English, Polish, Somali"),
        follow_redirects=False)
    assert response.status_code == 303, response.text
    with app.state.sessionmaker() as session:
        rows = session.execute(select(Schedule.byday, Schedule.opens_at, Schedule.closes_at)
                               .where(Schedule.service_id == BEFRIEND,
                                      Schedule.freq == "WEEKLY")
                               .order_by(Schedule.byday)).all()
        assert [(r.byday, r.opens_at, r.closes_at) for r in rows] == [
            ("SA", time(9), time(11)), ("TU,TH", time(10), time(12, 30))]
        languages = session.scalars(select(Language.name).where(
            Language.service_id == BEFRIEND).order_by(Language.name)).all()
        assert languages == ["English", "Polish", "Somali"]
        changed = set(session.scalars(select(Metadata.field_name).where(
            Metadata.resource_id == BEFRIEND)))
        assert {"schedule", "language"} <= changed
    shown = site.get(f"/services/{BEFRIEND}").text
    assert "Tuesday and Thursday" in shown and "10:00 to 12:30" in shown and "Somali" in shown
    again = site.get(f"/provider/services/{BEFRIEND}/edit").text
    assert 'id="opens_TU" name="opens_TU" type="text" inputmode="numeric" autocomplete="off" ' \
        'value="10:00"' in again


def test_a_day_with_one_time_is_refused_with_that_fields_error(site, app, login):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/services/{BEFRIEND}/edit")
    response = site.post(f"/provider/services/{BEFRIEND}/edit",
                         data=form(site, page.text, opens_FR="10:00", closes_FR=""))
    assert response.status_code == 422
    assert 'href="#closes_FR"' in response.text and 'id="closes_FR-error"' in response.text
    with app.state.sessionmaker() as session:
        assert session.scalar(select(Metadata).where(Metadata.resource_id == BEFRIEND)) is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"url": "javascript:alert(1)"}, "url"), ({"url": "example.org"}, "url"),
    ({"email": "nobody"}, "email"), ({"phone": "call us"}, "phone"),
    ({"phone": "123"}, "phone"), ({"minimum_age": "old"}, "minimum_age"),
    ({"minimum_age": "40", "maximum_age": "30"}, "maximum_age"), ({"name": ""}, "name"),
    ({"opens_MO": "25:00", "closes_MO": "26:00"}, "opens_MO"),
    ({"opens_TU": "9am", "closes_TU": "17:00"}, "opens_TU"),
    ({"opens_WE": "17:00", "closes_WE": "09:00"}, "closes_WE"),
    ({"languages": "<script>"}, "languages"),
])
def test_provider_edit_refuses_bad_fields_and_changes_nothing(site, app, login, changes, field):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/services/{BEFRIEND}/edit")
    response = site.post(f"/provider/services/{BEFRIEND}/edit",
                         data=form(site, page.text, description="Changed", **changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and "There is a problem" in response.text
    assert f'<a href="#{field}">' in response.text  # the summary leads to the field
    assert "<title>Error: Edit listing" in response.text
    with app.state.sessionmaker() as session:
        assert session.get(Service, BEFRIEND).description.startswith("Volunteers visit")
        assert session.scalar(select(Metadata).where(Metadata.resource_id == BEFRIEND)) is None


def test_provider_edit_from_an_old_version_is_refused(site, app, login):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/services/{BEFRIEND}/edit")
    first = form(site, page.text, description="First change")
    assert site.post(f"/provider/services/{BEFRIEND}/edit", data=first,
                     follow_redirects=False).status_code == 303
    stale = form(site, page.text, description="Second change")
    response = site.post(f"/provider/services/{BEFRIEND}/edit", data=stale)
    assert response.status_code == 409 and "Someone else changed this listing" in response.text
    with app.state.sessionmaker() as session:
        assert session.get(Service, BEFRIEND).description == "First change"


def test_providers_cannot_touch_other_organisations_listings(site, login):
    login("provider", organization_id=ORG)
    assert site.get(f"/provider/services/{uid('silent')}/edit").status_code == 404
    assert site.post(f"/provider/services/{uid('silent')}/confirm",
                     data={"csrf_token": csrf_token(site)}).status_code == 404
    login("referrer")
    assert site.get("/provider/services").status_code == 403


def test_data_quality_queue_lists_stale_and_unreachable_listings(site, login):
    login("admin")
    page = site.get("/admin/data-quality")
    assert page.status_code == 200
    stale, unreachable = page.text.split("No phone, email or website")
    assert "Debt Advice Drop-in" in stale and "Telephone Befriending" in stale
    assert "Silent club" in unreachable and "Debt Advice Drop-in" not in unreachable
    assert "pairs waiting in the duplicates queue" in page.text


def test_your_listings_names_the_organisation_once_and_tells_alike_listings_apart(
        site, app, login):
    """A feed's names often carry the organisation ("Food bank — Oakfield Food Network") and
    one organisation runs the same service at several places: the page names the
    organisation once, above, and each listing by its own name and where it happens."""
    with app.state.sessionmaker() as session, session.begin():
        for service_id in (BEFRIEND, DEBT_DROP_IN):
            session.get(Service, service_id).name = "Drop-in — Lewisham Community Trust"
    login("provider", organization_id=ORG)
    html = site.get("/provider/services").text
    main = html[html.index("<main"):]
    assert main.count("Lewisham Community Trust") == 1
    assert "— Lewisham Community Trust" not in main
    assert "Drop-in</a>" in main
    # two "Drop-in"s, told apart by where they are
    assert "Lewisham Befriending Scheme hall" in main and "Debt Advice Drop-in hall" in main


def test_providers_and_administrators_reach_the_directory_pages_from_the_menu(site, login):
    """A provider signs in to the referrals inbox: "Your listings" must be one click away,
    not an address to remember. An administrator reaches the data-quality queue, and from it
    the duplicates queue, the feed changes to review and the organisations."""
    login("provider", organization_id=ORG)
    inbox = site.get("/inbox").text
    assert 'href="/provider/services"' in inbox[:inbox.index("<main")]
    login("admin")
    home = site.get("/admin/users").text
    assert 'href="/admin/data-quality"' in home[:home.index("<main")]
    quality = site.get("/admin/data-quality").text
    for page in ("/admin/duplicates", "/admin/feed-changes", "/admin/organisations"):
        assert f'href="{page}"' in quality


def test_the_capacity_page_names_the_organisation_once(site, app, login):
    """"Education law advice — Lewisham Law Centre" three times over on one organisation's
    own page: each service by its own name, the organisation once, above."""
    with app.state.sessionmaker() as session, session.begin():
        session.get(Service, BEFRIEND).name = "Befriending — Lewisham Community Trust"
    login("provider", organization_id=ORG)
    html = site.get("/inbox/capacity").text
    main = html[html.index("<main"):]
    assert "— Lewisham Community Trust" not in main
    assert main.count("Lewisham Community Trust") == 1
    assert '<h2 class="nhsuk-card__heading">Befriending</h2>' in main
