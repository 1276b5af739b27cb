"""Every Open Referral UK 3.0 endpoint, with every parameter, checked against the official
HSDS 3.0 compiled schemas, on both engines.

The Open Referral UK profile's schemas (OpenReferralUK/uk-profile ``schema/compiled``) keep a
subset of HSDS's fields with the same types, formats and required fields, and allow others;
so an object valid against HSDS is valid against the profile. Where ORUK's specification
differs is which schema an endpoint answers with: it checks ``/service_at_locations/{id}``
against ``service.json``, so that answer is checked against both.
"""

import itertools
import json
from datetime import UTC, datetime

import pytest

from hsds_schemas import PAGE_FIELDS, oruk_validators, problems
from linkwell.directory.models import Service
from search_fixtures import BEFRIEND, BENEFITS, CITIZENS, HOME, ORG, TAXONOMY, add_all, uid

MINIMAL_FIELDS = {"id", "name", "status", "last_modified"}


@pytest.fixture(scope="module")
def schemas():
    return oruk_validators()


@pytest.fixture
def api(client, app):
    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
        session.get(Service, BEFRIEND).last_modified = datetime(2026, 11, 1, 10, tzinfo=UTC)
        session.get(Service, CITIZENS).last_modified = datetime(2026, 3, 1, 9, tzinfo=UTC)
    return client


def check_list(api, schemas, path, params, kind) -> tuple[list[str], list[dict]]:
    """Fetch one list answer; return what is wrong with it and its items."""
    where = f"{path} {params}"
    response = api.get(path, params=params)
    if response.status_code != 200:
        return [f"{where}: {response.status_code} {response.text[:200]}"], []
    wrong = []
    if response.headers.get("access-control-allow-origin") != "*":
        wrong.append(f"{where}: no CORS header")
    if params.get("format") == "ndjson":
        if not response.headers["content-type"].startswith("application/x-ndjson"):
            wrong.append(f"{where}: content-type {response.headers['content-type']}")
        items = [json.loads(line) for line in response.text.splitlines()]
    else:
        body = response.json()
        if set(body) != PAGE_FIELDS:
            wrong.append(f"{where}: envelope fields {sorted(body)}")
        wrong += problems(schemas["page"], body, where)
        items = body["contents"]
    if not items:
        wrong.append(f"{where}: nothing to check (no items)")
    for item in items:
        wrong += problems(schemas[kind], item, where)
    return wrong, items


# Each filter alone finds something in the fixture directory; the last finds one service
# with all of them at once.
SERVICE_FILTERS = [
    {}, {"search": "befriending"}, {"search": "benifits"}, {"taxonomy_term_id": BENEFITS},
    {"taxonomy_id": TAXONOMY}, {"organization_id": ORG}, {"minimum_age": 20},
    {"maximum_age": 20}, {"postcode": HOME}, {"postcode": HOME, "proximity": 2000},
    {"day": "TU"}, {"day": "TU", "start_time": "10:00", "end_time": "12:00"},
    {"modified_after": "2026-06-01T00:00:00Z"}, {"modified_after": "2026-06-01"},
    {"page": 2, "per_page": 2},
    {"search": "benefits", "taxonomy_term_id": BENEFITS, "taxonomy_id": TAXONOMY,
     "organization_id": ORG, "minimum_age": 20, "maximum_age": 20, "postcode": HOME,
     "proximity": 2000, "day": "TU", "start_time": "10:00", "end_time": "12:00",
     "modified_after": "2026-01-01T00:00:00+00:00", "page": 1, "per_page": 10,
     "format": "json"},
]
# No format is json; ``format=json`` itself is asked for with every filter at once.
FORMATS = [{}, {"format": "ndjson"}]


def test_oruk_services_every_parameter_validates(api, schemas):
    wrong = []
    shapes = [({}, "service_list"), ({"minimal": "true"}, "service_list"),
              ({"full": "true"}, "service"), ({"minimal": "false"}, "service_list")]
    for filters, (shape, kind), output in itertools.product(SERVICE_FILTERS, shapes, FORMATS):
        params = {**filters, **shape, **output}
        if (shape.get("minimal") == "true" and params.get("page") == 2
                and params.get("format") != "ndjson"):
            # minimal puts every match on the first page, so the second is empty.
            body = api.get("/oruk/services", params=params).json()
            wrong += problems(schemas["page"], body, params)
            wrong += [] if body["empty"] and body["total_pages"] == 1 else [f"{params}: {body}"]
            continue
        found, items = check_list(api, schemas, "/oruk/services", params, kind)
        wrong += found
        if shape.get("minimal") == "true":
            wrong += [f"{params}: minimal item has {sorted(item)}" for item in items
                      if not set(item) <= MINIMAL_FIELDS]
    assert not wrong, wrong


def test_oruk_service_at_locations_every_parameter_validates(api, schemas):
    wrong = []
    shapes = [({"full": "false"}, "service_at_location_list"),
              ({"full": "true"}, "service_at_location")]
    for filters, (shape, kind), output in itertools.product(SERVICE_FILTERS, shapes, FORMATS):
        if filters.get("day") or filters.get("maximum_age") or filters.get("per_page") == 2:
            # Those services have no location in the fixtures beyond the one page checked.
            filters = {k: v for k, v in filters.items() if k != "page"}
        wrong += check_list(api, schemas, "/oruk/service_at_locations",
                            {**filters, **shape, **output}, kind)[0]
    assert not wrong, wrong


def test_oruk_organizations_every_parameter_validates(api, schemas):
    wrong = []
    for search, full, full_service, paging, output in itertools.product(
            [{}, {"search": "community"}], [{}, {"full": "true"}],
            [{}, {"full_service": "true"}], [{}, {"page": 1, "per_page": 1}], FORMATS):
        kind = "organization" if full or full_service else "organization_list"
        params = {**search, **full, **full_service, **paging, **output}
        found, items = check_list(api, schemas, "/oruk/organizations", params, kind)
        wrong += found
        if full_service:
            wrong += [f"{params}: services not fully nested" for item in items
                      for service in item["services"] if "schedules" not in service]
    assert not wrong, wrong


def test_oruk_taxonomies_and_terms_every_parameter_validates(api, schemas):
    wrong = []
    for search, paging, output in itertools.product(
            [{}, {"search": "needs"}], [{}, {"page": 1, "per_page": 1}], FORMATS):
        wrong += check_list(api, schemas, "/oruk/taxonomies",
                            {**search, **paging, **output}, "taxonomy")[0]
    for filters, paging, output in itertools.product(
            [{}, {"search": "advice"}, {"taxonomy_id": TAXONOMY}, {"top_only": "true"},
             {"parent_id": uid("money")},
             {"search": "advice", "taxonomy_id": TAXONOMY, "parent_id": uid("money")}],
            [{}, {"page": 1, "per_page": 1}], FORMATS):
        wrong += check_list(api, schemas, "/oruk/taxonomy_terms",
                            {**filters, **paging, **output}, "taxonomy_term")[0]
    assert not wrong, wrong


def test_oruk_single_objects_validate_including_service_at_location(api, schemas):
    wrong = []
    singles = [
        ("/oruk/", {}, ["root"]),
        (f"/oruk/services/{BEFRIEND}", {}, ["service"]),
        (f"/oruk/organizations/{ORG}", {}, ["organization"]),
        (f"/oruk/organizations/{ORG}", {"full_service": "true"}, ["organization"]),
        (f"/oruk/taxonomies/{TAXONOMY}", {}, ["taxonomy"]),
        (f"/oruk/taxonomy_terms/{BENEFITS}", {}, ["taxonomy_term"]),
        # HSDS describes it as service_at_location.json; ORUK's specification as service.json.
        (f"/oruk/service_at_locations/{uid(f'sal-{BEFRIEND}')}", {},
         ["service_at_location", "service"]),
    ]
    for path, params, kinds in singles:
        response = api.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["access-control-allow-origin"] == "*"
        for kind in kinds:
            wrong += problems(schemas[kind], response.json(), f"{path} {params} as {kind}")
    assert not wrong, wrong
    full = api.get(f"/oruk/organizations/{ORG}", params={"full_service": "true"}).json()
    assert all("schedules" in service for service in full["services"])


def test_oruk_every_page_of_a_listing_validates(api, schemas):
    """As ORUK's validator does: the first, a middle and the last page."""
    first = api.get("/oruk/services", params={"per_page": 2}).json()
    assert first["total_pages"] == 3
    seen = []
    for number in range(1, first["total_pages"] + 1):
        body = api.get("/oruk/services", params={"per_page": 2, "page": number}).json()
        assert not problems(schemas["page"], body, number)
        assert body["first_page"] == (number == 1) and body["last_page"] == (number == 3)
        seen += [item["id"] for item in body["contents"]]
    assert len(seen) == len(set(seen)) == first["total_items"]


def test_oruk_modified_after_keeps_only_later_changes(api):
    def ids(params):
        return [s["id"] for s in api.get("/oruk/services", params=params).json()["contents"]]

    assert ids({"modified_after": "2026-11-01T10:00:00Z"}) == [BEFRIEND]  # on or after
    assert ids({"modified_after": "2026-11-01T10:00:01Z"}) == []
    assert set(ids({"modified_after": "2026-01-01"})) == {BEFRIEND, CITIZENS}
    # Eleven in the morning in Paris is ten in London (UTC) in November.
    assert ids({"modified_after": "2026-11-01T11:00:00+01:00"}) == [BEFRIEND]
    links = api.get("/oruk/service_at_locations",
                    params={"modified_after": "2026-06-01"}).json()["contents"]
    assert [link["service_id"] for link in links] == [BEFRIEND]


def test_oruk_minimal_gives_every_service_in_one_page(api):
    body = api.get("/oruk/services", params={"minimal": "true"}).json()
    assert body["total_items"] == 6 and body["size"] == 6 and body["total_pages"] == 1
    by_id = {item["id"]: item for item in body["contents"]}
    assert by_id[BEFRIEND] == {"id": BEFRIEND, "name": "Lewisham Befriending Scheme",
                               "status": "active", "last_modified": "2026-11-01T10:00:00Z"}


def test_oruk_ndjson_streams_every_result_unpaginated(api):
    paged = api.get("/oruk/services", params={"per_page": 1}).json()
    response = api.get("/oruk/services", params={"format": "ndjson", "per_page": 1})
    lines = response.text.splitlines()
    assert len(lines) == paged["total_items"] == 6
    assert {json.loads(line)["id"] for line in lines} == {
        item["id"] for item in api.get("/oruk/services").json()["contents"]}


def test_oruk_full_services_are_fully_nested(api):
    body = api.get("/oruk/services", params={"full": "true", "search": "befriending"}).json()
    scheme = next(item for item in body["contents"] if item["id"] == BEFRIEND)
    assert scheme["phones"][0]["number"] == "020 7946 0000"
    assert scheme["stale"] is False


@pytest.mark.parametrize(("path", "params"), [
    ("/oruk/services", {"format": "xml"}),
    ("/oruk/services", {"minimal": "true", "full": "true"}),
    ("/oruk/services", {"modified_after": "last tuesday"}),
    ("/oruk/services", {"modified_after": "2026-13-01"}),
    ("/oruk/service_at_locations", {"format": "csv"}),
    ("/oruk/service_at_locations", {"modified_after": "soon"}),
    ("/oruk/organizations", {"format": "ndjson2"}),
    ("/oruk/organizations", {"full": "maybe"}),
    ("/oruk/taxonomies", {"format": "yaml"}),
    ("/oruk/taxonomy_terms", {"format": ""}),
])
def test_oruk_bad_output_parameters_are_problems(api, path, params):
    response = api.get(path, params=params)
    if params.get("format") == "":
        assert response.status_code == 200  # an empty format is the default, json
        return
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["access-control-allow-origin"] == "*"
