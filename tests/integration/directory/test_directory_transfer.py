"""Import and export of the directory on both engines: lossless, idempotent, all or nothing."""

import copy
import csv
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select, text

from hsds_schemas import HSDS, SCHEMA_DIR, assert_valid
from linkwell.db import transaction
from linkwell.directory import queries, transfer
from linkwell.directory.feeds import FeedError
from linkwell.directory.search_index import reindex_services
from linkwell.directory.standard import TABLES
from linkwell.errors import InvalidInput

EXAMPLE_CSV = HSDS / "examples" / "csv"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


@pytest.fixture
def example_csv() -> Path:
    if not (EXAMPLE_CSV / "services.csv").exists():
        pytest.skip("the HSDS 3.0 examples are not beside the project")
    return EXAMPLE_CSV


def _count(session, name: str) -> int:
    return session.execute(select(func.count()).select_from(queries.table(name))).scalar_one()


def _counts(session_factory) -> dict[str, int]:
    with session_factory() as session:
        return {name: _count(session, name) for name in TABLES}


def _child(n: int, k: int) -> str:
    """The id of the k-th nested record of service number n."""
    return f"00000000-{n:04d}-4000-8000-{k:012d}"


def _service(n: int, *, name: str = "Lunch club", phones: int = 1,
             term_id: str | None = None) -> dict:
    """Service number n: a small compiled HSDS service with an organization and a location."""
    service_id = _uuid(n)
    service = {
        "id": service_id, "name": name, "status": "active",
        "assured_date": "2025-01-31", "last_modified": "2025-01-31T09:00:00Z",
        "organization": {"id": ORGANIZATION_ID, "name": "Riverside Community Association",
                         "description": "Community centre"},
        "phones": [{"id": _child(n, i), "number": f"020 7946 0{i:03d}"}
                   for i in range(1, phones + 1)],
        "service_at_locations": [{
            "id": _child(n, 100),
            "location": {"id": _child(n, 200), "location_type": "physical",
                         "latitude": 51.5, "longitude": -0.1,
                         "addresses": [{"id": _child(n, 300), "address_1": "1 High St",
                                        "city": "London", "state_province": "Greater London",
                                        "postal_code": "SE1 1AA", "country": "GB",
                                        "address_type": "physical"}]},
        }],
        "schedules": [{"id": _child(n, 400), "freq": "WEEKLY", "byday": "MO,WE",
                       "opens_at": "10:00:00", "closes_at": "12:00:00"}],
        "cost_options": [{"id": _child(n, 500), "amount": 2.5, "currency": "GBP"}],
    }
    if term_id:
        service["attributes"] = [{"id": _child(n, 600), "taxonomy_term_id": term_id}]
    return service


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _items(services: list[dict]) -> list[tuple[str, dict]]:
    return [(f"feed.json item {i + 1}", s) for i, s in enumerate(services)]


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return list(csv.reader(stream))


# --- CSV datapackage ----------------------------------------------------------------------------

def test_example_datapackage_round_trips_losslessly(session_factory, example_csv, tmp_path):
    with transaction(session_factory) as session:
        report = transfer.import_package(session, example_csv)
    assert report.error_count == 0

    with transaction(session_factory) as session:
        transfer.export_package(session, tmp_path)

    compared = 0
    for source in sorted(example_csv.glob("*.csv")):
        original = _read_csv(source)
        exported = _read_csv(tmp_path / source.name)
        header = original[0]
        exported_by_name = [dict(zip(exported[0], row, strict=True)) for row in exported[1:]]
        assert len(exported_by_name) == len(original) - 1, source.name
        for row, out in zip(original[1:], exported_by_name, strict=True):
            for name, value in zip(header, row, strict=True):
                assert out[name] == value, f"{source.name} {name}"
                compared += 1
    assert compared > 150
    services = _read_csv(tmp_path / "services.csv")
    assert services[1][services[0].index("assured_date")] == "2005-01-01"
    assert json.loads((tmp_path / "datapackage.json").read_text())["resources"]


def test_example_datapackage_reimport_is_idempotent(session_factory, example_csv):
    with transaction(session_factory) as session:
        transfer.import_package(session, example_csv)
    first = _counts(session_factory)

    with transaction(session_factory) as session:
        transfer.import_package(session, example_csv)

    assert _counts(session_factory) == first
    assert first["service"] == 1 and first["attribute"] == 1


def test_datapackage_without_descriptor_uses_standard_names(session_factory, example_csv,
                                                            tmp_path):
    for name in ("organizations.csv", "services.csv"):
        (tmp_path / name).write_bytes((example_csv / name).read_bytes())
    (tmp_path / "datapackage.json").write_text("not json")

    with transaction(session_factory) as session:
        report = transfer.import_package(session, tmp_path)

    assert report.written["service"] == 1


def test_csv_row_errors_write_nothing(session_factory, example_csv, tmp_path):
    for source in example_csv.glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    with (tmp_path / "attributes.csv").open("a") as stream:
        stream.write(f"{_uuid(9)},{SERVICE_ID},{_uuid(8)},,service,\n")

    with pytest.raises(InvalidInput) as caught, transaction(session_factory) as session:
        transfer.import_package(session, tmp_path)

    [error] = caught.value.errors
    assert error["id"] == _uuid(9) and error["field"] == "taxonomy_term_id"
    assert error["where"] == "attributes.csv line 3"
    assert _counts(session_factory)["service"] == 0


def test_csv_skip_invalid_keeps_valid_rows(session_factory, example_csv, tmp_path):
    for source in example_csv.glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    with (tmp_path / "services.csv").open("a") as stream:
        stream.write(f"{_uuid(7)},{_uuid(6)},,Orphan,,,,,active" + "," * 14 + "\n")

    with transaction(session_factory) as session:
        report = transfer.import_package(session, tmp_path, skip_invalid=True)

    assert report.records_refused == 1
    assert report.errors[0].field == "organization_id"
    assert _counts(session_factory)["service"] == 1


def test_malformed_csv_names_file_and_line(session_factory, tmp_path):
    (tmp_path / "organizations.csv").write_text(f'id,name,description\n{_uuid(1)},"Open\n')

    with pytest.raises(FeedError, match="organizations.csv line"), \
            transaction(session_factory) as session:
        transfer.import_package(session, tmp_path)


def test_empty_folder_is_refused(session_factory, tmp_path):
    with pytest.raises(FeedError, match="no HSDS CSV files"), \
            transaction(session_factory) as session:
        transfer.import_package(session, tmp_path)


def test_datapackage_path_outside_the_folder_is_refused(session_factory, tmp_path):
    descriptor = {"resources": [{"name": "service", "path": "../services.csv"}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))

    with pytest.raises(FeedError, match="outside the package"), \
            transaction(session_factory) as session:
        transfer.import_package(session, tmp_path)


# --- JSON services ------------------------------------------------------------------------------

def _with_term(session_factory) -> None:
    with transaction(session_factory) as session:
        transfer.RowWriter(session, transfer.ImportReport()).upsert("taxonomy_term", [
            {"id": TERM_ID, "code": "debt", "name": "Debt", "description": "Debt advice",
             "parent_id": None, "taxonomy": None, "language": None, "taxonomy_id": None,
             "term_uri": None}])


def test_json_import_is_idempotent_and_exports_valid_hsds(session_factory, tmp_path):
    _with_term(session_factory)
    services = [_service(1000 + i, term_id=TERM_ID) for i in range(3)]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(services))

    for _ in range(2):
        with transaction(session_factory) as session:
            transfer.import_services(session, transfer.iter_json_file(path))

    counts = _counts(session_factory)
    assert counts["service"] == 3 and counts["organization"] == 1 and counts["phone"] == 3
    with transaction(session_factory) as session:
        assert transfer.export_services_json(session, tmp_path / "out.json") == 3
    exported = json.loads((tmp_path / "out.json").read_text())
    if (SCHEMA_DIR / "compiled").exists():  # the official schemas, when beside the project
        for service in exported:
            assert_valid("compiled/service.json", service)
    assert exported[0]["cost_options"][0]["amount"] == 2.5
    assert exported[0]["attributes"][0]["taxonomy_term"]["code"] == "debt"


def test_json_reimport_updates_and_removes_what_the_feed_dropped(session_factory):
    service_id = _uuid(2000)
    with transaction(session_factory) as session:
        transfer.import_services(session, _items([_service(2000, phones=3)]))

    with transaction(session_factory) as session:
        transfer.import_services(session, _items([_service(2000, name="Lunch & chat",
                                                           phones=1)]))

    with session_factory() as session:
        [service] = queries.services_json(session, [service_id])
    assert service["name"] == "Lunch & chat"
    assert [p["number"] for p in service["phones"]] == ["020 7946 0001"]
    assert _counts(session_factory)["location"] == 1


def test_json_errors_name_record_and_field_and_write_nothing(session_factory):
    good = _service(3000)
    bad = _service(3001, term_id=_uuid(999))
    bad["schedules"][0]["opens_at"] = "ten"

    with pytest.raises(InvalidInput) as caught, transaction(session_factory) as session:
        transfer.import_services(session, _items([good, bad]))

    # A record with errors of its own is not checked for links as well.
    problems = [(e["table"], e["id"], e["field"], e["where"]) for e in caught.value.errors]
    assert problems == [("schedule", _child(3001, 400), "opens_at",
                         "feed.json item 2")]
    assert "nothing was imported" in caught.value.detail
    assert _counts(session_factory)["service"] == 0


def test_unknown_taxonomy_term_is_a_record_error(session_factory):
    bad = _service(3101, term_id=_uuid(999))

    with pytest.raises(InvalidInput) as caught, transaction(session_factory) as session:
        transfer.import_services(session, _items([_service(3100), bad]))

    [error] = caught.value.errors
    assert (error["table"], error["id"], error["field"]) == (
        "attribute", _child(3101, 600), "taxonomy_term_id")
    assert _uuid(999) in error["message"]
    assert _counts(session_factory)["organization"] == 0


def test_json_skip_invalid_commits_only_valid_services(session_factory):
    bad = _service(3201)
    del bad["status"]

    with transaction(session_factory) as session:
        report = transfer.import_services(session, _items([_service(3200), bad]),
                                          skip_invalid=True)

    assert (report.records_read, report.records_refused) == (2, 1)
    assert report.errors[0].field == "status"
    with session_factory() as session:
        assert session.execute(select(queries.table("service").c.id)).scalars().all() == [
            _uuid(3200)]


def test_malformed_json_names_file_and_line(session_factory, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": "a"},\n  {"id": }\n]')

    with pytest.raises(FeedError, match="broken.json line 3"), \
            transaction(session_factory) as session:
        transfer.import_services(session, transfer.iter_json_file(path))


# --- ORUK API -----------------------------------------------------------------------------------

class _Api(BaseHTTPRequestHandler):
    services: dict[str, dict] = {}

    def do_GET(self):  # noqa: N802 - the http.server hook
        url = urlsplit(self.path)
        ids = sorted(self.services)
        if url.path == "/api/services":
            query = parse_qs(url.query)
            number, size = int(query["page"][0]), int(query["per_page"][0])
            chunk = ids[(number - 1) * size:number * size]
            total_pages = -(-len(ids) // size)
            body = {"total_items": len(ids), "total_pages": total_pages, "page_number": number,
                    "size": size, "first_page": number == 1,
                    "last_page": number >= total_pages, "empty": not chunk,
                    "contents": [{"id": i, "name": self.services[i]["name"]} for i in chunk]}
        elif url.path.startswith("/api/services/") and url.path[14:] in self.services:
            body = self.services[url.path[14:]]
        else:
            self.send_response(404)
            self.end_headers()
            return
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def oruk_api():
    _Api.services = {s["id"]: s for s in (_service(4000 + i) for i in range(5))}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    thread.join(timeout=5)


def test_api_import_pages_through_services(session_factory, oruk_api):
    with httpx.Client() as client, transaction(session_factory) as session:
        report = transfer.import_services(
            session, transfer.iter_api_services(client, oruk_api, per_page=2))

    assert report.records_read == 5
    assert _counts(session_factory)["service"] == 5


def test_api_error_names_the_url(session_factory, oruk_api):
    with httpx.Client() as client, pytest.raises(FeedError, match="/nowhere/services"), \
            transaction(session_factory) as session:
        transfer.import_services(session, transfer.iter_api_services(client,
                                                                     oruk_api + "/nowhere"))


# --- Reading back -------------------------------------------------------------------------------

def test_store_shapes_validate_with_format_checking(session_factory, example_csv):
    with transaction(session_factory) as session:
        transfer.import_package(session, example_csv)

    with session_factory() as session:
        [full] = queries.services_json(session, [SERVICE_ID, _uuid(1)])
        [item] = queries.service_list_json(session, [SERVICE_ID])
        [organization] = queries.organizations_json(session, [ORGANIZATION_ID])
        [organization_item] = queries.organizations_json(session, [ORGANIZATION_ID], full=False)
        link_id = full["service_at_locations"][0]["id"]
        [link] = queries.service_at_locations_json(session, [link_id])
        [link_item] = queries.service_at_locations_json(session, [link_id], full=False)
        [term] = queries.taxonomy_terms_json(session, [TERM_ID])
        [taxonomy] = queries.taxonomies_json(session, ["5c4d79d7-cc55-470e-9f1f-8cad074e4892"])

    assert_valid("compiled/service.json", full)
    assert_valid("compiled/service_list.json", item)
    assert_valid("compiled/organization.json", organization)
    assert_valid("compiled/organization_list.json", organization_item)
    assert_valid("compiled/service_at_location.json", link)
    assert_valid("compiled/service_at_location_list.json", link_item)
    assert full["service_at_locations"][0]["location"]["addresses"][0]["address_1"] == \
        "1-30 Main Street"
    assert term["code"] == "code" and "taxonomy_detail" not in term
    assert taxonomy["name"] == "name"


def test_stale_services_lists_old_and_never_assured(session_factory):
    old, fresh, never = (_service(5000 + i) for i in range(3))
    old["assured_date"], fresh["assured_date"] = "2020-01-01", "2025-06-01"
    del never["assured_date"]
    with transaction(session_factory) as session:
        transfer.import_services(session, _items([old, fresh, never]))

    from datetime import date

    with session_factory() as session:
        stale = queries.stale_services(session, today=date(2025, 7, 1), after_days=365)

    assert [(s.id, s.assured_date) for s in stale] == [
        (never["id"], None), (old["id"], date(2020, 1, 1))]
    assert stale[0].organization_name == "Riverside Community Association"


def test_export_of_an_example_service_reimports_the_same(session_factory, example_csv,
                                                          tmp_path):
    with transaction(session_factory) as session:
        transfer.import_package(session, example_csv)
        transfer.export_services_json(session, tmp_path / "services.json")
    before = json.loads((tmp_path / "services.json").read_text())

    with transaction(session_factory) as session:
        transfer.import_services(session, transfer.iter_json_file(tmp_path / "services.json"))
        transfer.export_services_json(session, tmp_path / "again.json")

    assert json.loads((tmp_path / "again.json").read_text()) == copy.deepcopy(before)


def test_json_reimport_removes_what_the_feed_dropped_from_every_table_a_service_owns(
        session_factory):
    """The service object is the whole truth about its own rows; a row it no longer lists but
    another service of the feed now does is moved, not removed; providers' edits recorded
    here (metadata by a Linkwell user) and shared records (locations) stay."""
    _with_term(session_factory)
    first, second = _service(2100, phones=2, term_id=TERM_ID), _service(2101)
    first.update({
        "service_areas": [{"id": _child(2100, 700), "name": "Lewisham"}],
        "languages": [{"id": _child(2100, 710), "name": "Welsh", "code": "cy"}],
        "funding": [{"id": _child(2100, 720), "source": "Council grant"}],
        "required_documents": [{"id": _child(2100, 730), "document": "Proof of address"}],
        "contacts": [{"id": _child(2100, 740), "name": "Sam Jones"}],
        "metadata": [{"id": _child(2100, 750), "resource_id": _uuid(2100),
                      "resource_type": "service", "last_action_date": "2025-01-31",
                      "last_action_type": "update", "field_name": "name",
                      "previous_value": "Lunch", "replacement_value": "Lunch club",
                      "updated_by": "Riverside feed"}],
    })
    with transaction(session_factory) as session:
        transfer.import_services(session, _items([first, second]))
        transfer.RowWriter(session, transfer.ImportReport()).upsert("metadata", [{
            "id": _child(2100, 760), "resource_id": _uuid(2100), "resource_type": "service",
            "last_action_date": date(2025, 2, 1), "last_action_type": "update",
            "field_name": "email",
            "previous_value": "", "replacement_value": "club@example.org",
            "updated_by": "linkwell-user:7"}])
    moved = first["phones"][1]
    bare = {k: v for k, v in first.items()
            if k not in ("service_areas", "languages", "funding", "required_documents",
                         "contacts", "metadata", "attributes", "schedules", "cost_options",
                         "service_at_locations")}
    bare["phones"] = [first["phones"][0]]
    second["phones"] = [*second["phones"], moved]

    with transaction(session_factory) as session:
        transfer.import_services(session, _items([bare, second]))

    t = queries.table
    with session_factory() as session:
        def ids(name, column, owner):
            return set(session.scalars(select(t(name).c.id).where(t(name).c[column] == owner)))

        assert ids("phone", "service_id", _uuid(2100)) == {first["phones"][0]["id"]}
        assert ids("phone", "service_id", _uuid(2101)) == {_child(2101, 1), moved["id"]}
        for name in ("schedule", "service_area", "service_at_location", "language", "funding",
                     "cost_option", "required_document", "contact"):
            assert ids(name, "service_id", _uuid(2100)) == set(), name
        assert ids("attribute", "link_id", _uuid(2100)) == set()
        assert ids("metadata", "resource_id", _uuid(2100)) == {_child(2100, 760)}
        assert ids("schedule", "service_id", _uuid(2101)) == {_child(2101, 400)}
        assert _count(session, "location") == 2


def test_a_large_reindex_leaves_statistics_for_the_next_syncs_lookups(session_factory):
    """Without statistics PostgreSQL takes ``service_id IN (a batch of ids)`` for most of the
    table and scans all of it; SQLite's planner likewise reads ``sqlite_stat1``."""
    with transaction(session_factory) as session:
        transfer.import_services(session, _items([_service(2200 + n) for n in range(3)]))
        reindex_services(session)  # all services: a large re-index, as after an import

    with session_factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            analysed = "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'"
        else:
            analysed = "SELECT DISTINCT tbl FROM sqlite_stat1"
        tables = set(session.scalars(text(analysed)))
    assert {"phone", "schedule", "service_at_location", "service"} <= tables


def test_reimporting_rewrites_only_the_rows_that_changed(session_factory):
    """A sync re-reads every row of a changed service; those the feed gives as they are here
    keep their stored version (PostgreSQL: the same ``xmin``; SQLite: no row changed)."""
    service = _service(2300, phones=2)
    with transaction(session_factory) as session:
        transfer.import_services(session, _items([service]))
    service["name"] = "Lunch & chat"

    with transaction(session_factory) as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        version = ("SELECT id, xmin::text FROM phone UNION ALL SELECT id, xmin::text FROM service"
                   if postgres else "SELECT total_changes(), NULL")
        before = session.execute(text(version)).all()
        transfer.import_services(session, _items([service]))
        after = session.execute(text(version)).all()

    if postgres:  # only the service got a new row version
        assert {id_ for id_, xmin in set(after) - set(before)} == {_uuid(2300)}
    else:
        assert after[0][0] - before[0][0] == 1
