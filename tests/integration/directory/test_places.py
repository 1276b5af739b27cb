"""Providers change where a service is delivered: the address, a postcode that exists, and
access details; every service at the place moves with it."""

import re

import pytest
from sqlalchemy import select

from conftest import csrf_token
from linkwell.audit.models import AuditEvent
from linkwell.directory.models import Accessibility, Address, Location, Metadata, Organization
from linkwell.directory.search import search_services
from linkwell.directory.search_query import SearchQuery
from search_fixtures import BEFRIEND, HOME, ORG, OTHER_POSTCODE, add_all, uid

PLACE = uid(f"loc-{BEFRIEND}")


@pytest.fixture
def site(client, app):
    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
        session.add(Organization(id=uid("other-org"), name="Other", description="Other"))
    return client


def _form(client, page_html: str, **changes) -> dict:
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page_html))
    found = re.search(r'name="accessibility"[^>]*>([^<]*)</textarea>', page_html)
    values["accessibility"] = found.group(1) if found else ""
    values.update(changes, csrf_token=csrf_token(client))
    return values


def test_provider_moves_a_place_and_search_measures_from_the_new_postcode(site, app, login):
    with app.state.sessionmaker() as session:
        before = search_services(session, SearchQuery(postcode=HOME, proximity_m=1000),
                                 stale_after_days=365)
    assert BEFRIEND in [hit.service_id for hit in before.hits]
    login("provider", organization_id=ORG)
    edit = site.get(f"/provider/services/{BEFRIEND}/edit")
    assert f'href="/provider/places/{PLACE}/edit"' in edit.text
    page = site.get(f"/provider/places/{PLACE}/edit")
    assert page.status_code == 200
    response = site.post(f"/provider/places/{PLACE}/edit", data=_form(
        site, page.text, address_1="12 Rushey Green", city="London",
        postal_code=OTHER_POSTCODE.lower().replace(" ", ""),
        accessibility="Step-free entrance; hearing loop at reception"),
        follow_redirects=False)
    assert response.status_code == 303, response.text
    with app.state.sessionmaker() as session:
        location = session.get(Location, PLACE)
        assert (round(location.latitude, 4), round(location.longitude, 4)) == (51.437, -0.02)
        address = session.scalars(select(Address).where(Address.location_id == PLACE)).one()
        assert (address.address_1, address.postal_code) == ("12 Rushey Green", OTHER_POSTCODE)
        assert session.scalars(select(Accessibility.description).where(
            Accessibility.location_id == PLACE)).one().startswith("Step-free")
        fields = set(session.scalars(select(Metadata.field_name).where(
            Metadata.resource_id == PLACE)))
        assert {"address_1", "city", "postal_code", "accessibility"} <= fields
        assert session.scalar(select(AuditEvent.detail).where(
            AuditEvent.object_type == "location"))["services"] == 1
        near_home = search_services(session, SearchQuery(postcode=HOME, proximity_m=1000),
                                    stale_after_days=365)
    assert BEFRIEND not in [hit.service_id for hit in near_home.hits]  # it moved ~2.2 km


@pytest.mark.parametrize(("changes", "field"), [
    ({"postal_code": "ZZ99 9ZZ"}, "postal_code"), ({"postal_code": "not one"}, "postal_code"),
    ({"postal_code": ""}, "postal_code"), ({"address_1": ""}, "address_1"),
    ({"city": ""}, "city")])
def test_a_bad_address_is_refused_field_by_field_and_nothing_changes(site, app, login,
                                                                      changes, field):
    login("provider", organization_id=ORG)
    page = site.get(f"/provider/places/{PLACE}/edit")
    values = {"address_1": "1 High Street", "city": "London", "postal_code": HOME, **changes}
    response = site.post(f"/provider/places/{PLACE}/edit", data=_form(site, page.text,
                                                                       **values))
    assert response.status_code == 422
    assert f'href="#{field}"' in response.text and f'id="{field}-error"' in response.text
    assert "<title>Error: Change a place" in response.text
    assert "Error: Error:" not in response.text
    with app.state.sessionmaker() as session:
        assert session.scalar(select(Metadata).where(Metadata.resource_id == PLACE)) is None


def test_another_organisations_provider_cannot_change_the_place(site, login):
    login("provider", organization_id=uid("other-org"))
    assert site.get(f"/provider/places/{PLACE}/edit").status_code == 404
    assert site.post(f"/provider/places/{PLACE}/edit", data={
        "address_1": "x", "city": "y", "postal_code": HOME}).status_code == 404
