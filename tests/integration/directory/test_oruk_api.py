"""The Open Referral UK API, checked against the official HSDS 3.0 schemas on both engines."""

import pytest

from hsds_schemas import PAGE_FIELDS, oruk_validators, problems
from search_fixtures import (
    BEFRIEND,
    BENEFITS,
    CITIZENS,
    ORG,
    TAXONOMY,
    YOUTH,
    add_all,
    uid,
)


@pytest.fixture(scope="module")
def schemas():
    return oruk_validators()


@pytest.fixture
def api(client, app):
    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
    return client


def valid(validator, body) -> None:
    assert problems(validator, body) == []


def page_of(schemas, kind, response) -> dict:
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == PAGE_FIELDS
    valid(schemas["page"], body)
    assert body["contents"], "an empty page proves nothing about item shapes"
    for item in body["contents"]:
        valid(schemas[kind], item)
    return body


def test_oruk_root_describes_the_oruk_profile(api, schemas):
    response = api.get("/oruk/")
    assert response.status_code == 200
    valid(schemas["root"], response.json())
    assert response.json() == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": "https://openreferraluk.org/specifications/3.0/openapi.json",
    }


def test_oruk_services_list_validates(api, schemas):
    body = page_of(schemas, "service_list", api.get("/oruk/services", params={"per_page": 4}))
    assert body["total_items"] == 6 and body["total_pages"] == 2 and body["size"] == 4
    assert body["first_page"] and not body["last_page"] and not body["empty"]


def test_oruk_services_search_with_every_filter_validates(api, schemas):
    response = api.get("/oruk/services", params={
        "search": "benifits", "taxonomy_term_id": BENEFITS, "taxonomy_id": TAXONOMY,
        "minimum_age": 20, "maximum_age": 20, "postcode": "se13 5aa", "proximity": "2000",
        "day": "TU", "start_time": "10:00", "end_time": "12:00", "page": 1, "per_page": 10})
    body = page_of(schemas, "service_list", response)
    assert [s["id"] for s in body["contents"]] == [CITIZENS]
    assert body["contents"][0]["distance"] == pytest.approx(1000, abs=10)
    assert body["contents"][0]["stale"] is False


def test_oruk_services_nearest_first(api, schemas):
    body = page_of(schemas, "service_list", api.get(
        "/oruk/services", params={"postcode": "SE13 5AA", "proximity": 2000}))
    assert [s["id"] for s in body["contents"]][:2] == [BEFRIEND, YOUTH]


def test_oruk_service_validates(api, schemas):
    response = api.get(f"/oruk/services/{BEFRIEND}")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    valid(schemas["service"], body)
    assert body["phones"][0]["number"] == "020 7946 0000"
    assert body["schedules"][0]["byday"] == "MO,WE"


def test_oruk_organizations_validate(api, schemas):
    page_of(schemas, "organization_list", api.get("/oruk/organizations", params={
        "search": "community"}))
    response = api.get(f"/oruk/organizations/{ORG}")
    assert response.status_code == 200
    valid(schemas["organization"], response.json())


def test_oruk_taxonomies_validate(api, schemas):
    page_of(schemas, "taxonomy", api.get("/oruk/taxonomies"))
    valid(schemas["taxonomy"], api.get(f"/oruk/taxonomies/{TAXONOMY}").json())
    body = page_of(schemas, "taxonomy_term", api.get(
        "/oruk/taxonomy_terms", params={"taxonomy_id": TAXONOMY, "top_only": "true"}))
    assert {t["name"] for t in body["contents"]} == {"Money", "Loneliness"}
    valid(schemas["taxonomy_term"], api.get(f"/oruk/taxonomy_terms/{BENEFITS}").json())


def test_oruk_service_at_locations_validate(api, schemas):
    body = page_of(schemas, "service_at_location_list", api.get(
        "/oruk/service_at_locations", params={"postcode": "SE13 5AA", "proximity": 2000}))
    assert body["contents"][0]["service_id"] == BEFRIEND
    response = api.get(f"/oruk/service_at_locations/{uid(f'sal-{BEFRIEND}')}")
    assert response.status_code == 200
    valid(schemas["service_at_location"], response.json())


def test_oruk_page_beyond_the_last_is_empty(api, schemas):
    response = api.get("/oruk/services", params={"page": 50})
    body = response.json()
    valid(schemas["page"], body)
    assert body["empty"] and body["contents"] == [] and body["last_page"]


@pytest.mark.parametrize(
    ("params", "status"),
    [({"postcode": "not a postcode", "proximity": 1000}, 422),
     ({"postcode": "ZZ1 1ZZ"}, 404),
     ({"per_page": 0}, 422), ({"per_page": 101}, 422), ({"per_page": "ten"}, 422),
     ({"page": 0}, 422), ({"page": "two"}, 422), ({"page": "1.5"}, 422), ({"page": "-1"}, 422),
     ({"minimum_age": -3}, 422), ({"maximum_age": "old"}, 422),
     ({"taxonomy_term_id": "nope"}, 422), ({"taxonomy_id": "nope"}, 422),
     ({"proximity": 500}, 422), ({"postcode": "SE13 5AA", "proximity": "far"}, 422),
     ({"day": "someday"}, 422), ({"day": "MO", "start_time": "25:00"}, 422),
     ({"start_time": "09:00"}, 422)],
)
def test_oruk_bad_input_is_a_problem(api, params, status):
    response = api.get("/oruk/services", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    "search",
    ['"', "befriend*", "NEAR(tea cup)", "'; DROP TABLE service; --", "<script>x</script>",
     "a" * 5000, "%", "_", "\\"],
)
def test_oruk_search_never_fails_on_odd_text(api, schemas, search):
    response = api.get("/oruk/services", params={"search": search})
    assert response.status_code == 200
    valid(schemas["page"], response.json())
    assert api.get("/oruk/organizations", params={"search": search}).status_code == 200


def test_oruk_unknown_ids_are_404_problems(api):
    for path in ("services", "organizations", "taxonomies", "taxonomy_terms",
                 "service_at_locations"):
        response = api.get(f"/oruk/{path}/{uid('missing')}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["access-control-allow-origin"] == "*"


def test_oruk_preflight_allows_any_origin(api):
    response = api.options("/oruk/services", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
