"""HSDS 3.0 serialisation and parsing (pure): shapes validate against the official schemas."""

import copy
import io
import json
from datetime import UTC, date, datetime, time

import pytest

from hsds_schemas import HSDS, assert_valid
from linkwell.directory import feeds, hsds
from linkwell.directory.models import CostOption, Service
from linkwell.directory.standard import IMPORT_ORDER, TABLES


def _example(name: str) -> dict:
    path = HSDS / "examples" / name
    if not path.exists():
        pytest.skip("the HSDS 3.0 examples are not beside the project")
    return json.loads(path.read_text())


def _graph_of(obj: dict) -> hsds.Graph:
    parsed = hsds.parse_service(obj)
    assert parsed.errors == []
    return hsds.Graph({t: list(rows.values()) for t, rows in parsed.rows.items()})


SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def test_standard_import_order_covers_every_table():
    assert sorted(IMPORT_ORDER) == sorted(TABLES)


def test_standard_fields_are_the_model_columns():
    from linkwell.db import Base

    for name, spec in TABLES.items():
        columns = set(Base.metadata.tables[name].columns.keys())
        fields = {hsds.column_of(name, f) for f in spec.field_names}
        assert columns == fields, name


def test_service_full_example_round_trips_and_validates():
    example = _example("service_full.json")
    graph = _graph_of(example)

    out = hsds.service_full(graph, SERVICE_ID)

    assert_valid("compiled/service.json", out)
    assert out["assured_date"] == "2005-01-01"
    assert out["last_modified"] == "2023-03-15T10:30:45.123Z"
    assert out["cost_options"][0]["amount"] == 35
    assert out["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == \
        example["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    assert out["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"] == \
        example["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"]


def test_service_full_reparses_to_the_same_rows():
    graph = _graph_of(_example("service_full.json"))
    first = hsds.service_full(graph, SERVICE_ID)

    again = hsds.service_full(_graph_of(copy.deepcopy(first)), SERVICE_ID)

    assert again == first


def test_service_list_item_has_organization_and_program_only():
    graph = _graph_of(_example("service_full.json"))

    item = hsds.service_list_item(graph, SERVICE_ID)

    assert_valid("compiled/service_list.json", item)
    assert set(item) >= {"id", "name", "status", "organization", "program"}
    assert "phones" not in item and "locations" not in item["organization"]


def test_organization_and_service_at_location_shapes_validate():
    graph = _graph_of(_example("service_full.json"))
    organization_id = graph.rows["service"][SERVICE_ID]["organization_id"]
    link_id = next(iter(graph.rows["service_at_location"]))

    organization = hsds.organization_full(graph, organization_id)

    assert_valid("compiled/organization.json", organization)
    assert [s["id"] for s in organization["services"]] == [SERVICE_ID]
    assert_valid("compiled/organization_list.json",
                 hsds.organization_list_item(graph, organization_id))
    assert_valid("compiled/service_at_location.json",
                 hsds.service_at_location_full(graph, link_id))
    assert_valid("compiled/service_at_location_list.json",
                 hsds.service_at_location_list_item(graph, link_id))


def test_organization_and_taxonomy_term_shapes_parse_back():
    graph = _graph_of(_example("service_full.json"))
    organization_id = graph.rows["service"][SERVICE_ID]["organization_id"]
    term_id = next(iter(graph.rows["taxonomy_term"]))
    organization = hsds.organization_full(graph, organization_id)
    term = hsds.taxonomy_term_item(graph, term_id)

    parsed_organization = hsds.parse("organization", organization)
    parsed_term = hsds.parse("taxonomy_term", term)

    assert parsed_organization.errors == [] and parsed_term.errors == []
    again = hsds.Graph({t: list(r.values()) for t, r in parsed_organization.rows.items()})
    again.add("service", list(graph.rows["service"].values()))
    assert hsds.organization_full(again, organization_id) == organization
    assert parsed_term.rows["taxonomy"] == graph.rows["taxonomy"]


def test_taxonomy_shapes_validate():
    graph = _graph_of(_example("service_full.json"))
    term_id = next(iter(graph.rows["taxonomy_term"]))
    taxonomy = next(iter(graph.rows["taxonomy"].values()))

    term = hsds.taxonomy_term_item(graph, term_id)

    assert_valid("taxonomy_term.json", term)
    assert term["taxonomy_detail"]["id"] == taxonomy["id"]
    assert_valid("taxonomy.json", hsds.taxonomy_item(taxonomy))


def test_unknown_values_are_omitted_not_null():
    row = hsds.empty_row("service") | {"id": SERVICE_ID, "name": "Lunch club",
                                        "status": "active", "organization_id": SERVICE_ID}
    graph = hsds.Graph({"service": [row]})

    out = hsds.service_full(graph, SERVICE_ID)

    assert None not in out.values()
    assert "description" not in out and "organization" not in out
    assert out["phones"] == []
    assert_valid("compiled/service.json", out)


def test_page_envelope_counts_pages():
    envelope = hsds.page([{"id": "a"}], total_items=51, page_number=2, size=25)

    assert envelope["total_pages"] == 3
    assert not envelope["first_page"] and not envelope["last_page"]
    assert hsds.page([], total_items=0, page_number=1, size=25)["empty"] is True


def test_parse_service_names_record_and_field_of_each_problem():
    service = {"id": SERVICE_ID, "name": 5, "status": "open", "minimum_age": "12",
               "assured_date": "01/02/2024", "email": "not-an-email",
               "organization": {"id": "not-a-uuid", "name": "X", "description": "Y"},
               "phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}]}

    errors = {(e.table, e.record_id, e.field) for e in hsds.parse_service(service).errors}

    assert errors == {
        ("service", SERVICE_ID, "name"),
        ("service", SERVICE_ID, "status"),
        ("service", SERVICE_ID, "minimum_age"),
        ("service", SERVICE_ID, "assured_date"),
        ("service", SERVICE_ID, "email"),
        ("service", SERVICE_ID, "organization_id"),  # taken from the broken organization
        ("organization", "not-a-uuid", "id"),
        ("phone", "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number"),
    }


def test_parse_service_fills_links_from_nesting():
    service = _example("service_full.json")
    for phone in service["phones"]:
        phone.pop("service_id", None)
    service.pop("organization_id", None)

    parsed = hsds.parse_service(service)

    assert parsed.errors == []
    phone_id = service["phones"][0]["id"]
    assert parsed.rows["phone"][phone_id]["service_id"] == SERVICE_ID
    assert parsed.rows["service"][SERVICE_ID]["organization_id"] == service["organization"]["id"]
    attribute = next(iter(parsed.rows["attribute"].values()))
    assert attribute["link_id"] == SERVICE_ID


def test_parse_service_refuses_non_objects():
    assert hsds.parse_service([1, 2]).errors[0].message == "must be a JSON object"


def test_parse_cell_reads_csv_conventions():
    amount = TABLES["cost_option"].field("amount")
    name = TABLES["organization"].field("name")
    age = TABLES["service"].field("minimum_age")
    opens = TABLES["schedule"].field("opens_at")

    assert hsds.parse_cell("cost_option", amount, "35") == 3500
    assert hsds.parse_cell("cost_option", amount, "2.5") == 250
    assert hsds.parse_cell("organization", name, "") == ""
    assert hsds.parse_cell("service", age, "") is None
    assert hsds.parse_cell("schedule", opens, "10:00:00") == time(10, 0)
    with pytest.raises(hsds.FieldError, match="whole number of pence"):
        hsds.parse_cell("cost_option", amount, "0.125")
    with pytest.raises(hsds.FieldError, match="number"):
        hsds.parse_cell("service", age, "twelve")


def test_format_cell_writes_what_was_read():
    service = TABLES["service"]
    row = {"minimum_age": 12.0, "assured_date": date(2005, 1, 1),
           "last_modified": datetime(2023, 3, 15, 10, 30, 45, 123000, tzinfo=UTC)}

    assert hsds.format_cell("service", service.field("minimum_age"), row) == "12"
    assert hsds.format_cell("service", service.field("assured_date"), row) == "2005-01-01"
    assert hsds.format_cell("service", service.field("last_modified"), row) == \
        "2023-03-15T10:30:45.123Z"
    assert hsds.format_cell("service", service.field("name"), row) == ""


def test_datetime_without_zone_is_refused():
    with pytest.raises(hsds.FieldError, match="time zone"):
        hsds.parse_value("service", TABLES["service"].field("last_modified"),
                         "2023-03-15T10:30:45")


def test_money_column_is_pence_in_the_model():
    assert "amount_pence" in CostOption.__table__.columns
    assert Service.__table__.c.organization_id.foreign_keys


# --- Feeds --------------------------------------------------------------------------------------

def test_iter_json_items_streams_across_small_chunks(monkeypatch):
    monkeypatch.setattr(feeds, "CHUNK", 7)
    text = '[\n {"id": "a", "n": 12345},\n {"id": "b", "s": "x]y"},\n 42\n]\n'

    items = list(feeds.iter_json_items(io.StringIO(text), "feed.json"))

    assert [(p, line, i) for p, line, i in items] == [
        (0, 2, {"id": "a", "n": 12345}), (1, 3, {"id": "b", "s": "x]y"}), (2, 4, 42)]


def test_iter_json_items_reads_an_hsds_page():
    page = json.dumps({"total_items": 1, "contents": [{"id": "a"}]})

    assert list(feeds.iter_json_items(io.StringIO(page), "page.json")) == [(0, 1, {"id": "a"})]


@pytest.mark.parametrize(("text", "message"), [
    ('[{"id": 1},\n{"id": 2,,}]', "feed.json line 2 column 10"),
    ('[\n  {"id": "a"},\n  {"id": }\n]', "feed.json line 3 column 10"),
    ('[{"id": 1}\n{"id": 2}]', "feed.json line 2: expected ','"),
    ('[{"id": 1},', "unexpected end of file"),
    ("", "empty file"),
    ('"services"', "expected a JSON array"),
])
@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_iter_json_items_names_where_json_is_broken(text, message, chunk, monkeypatch):
    monkeypatch.setattr(feeds, "CHUNK", chunk)

    with pytest.raises(feeds.FeedError, match=message):
        list(feeds.iter_json_items(io.StringIO(text), "feed.json"))


def test_iter_csv_rows_reports_field_errors_with_line():
    text = ("id,organization_id,name,status,minimum_age\n"
            f"{SERVICE_ID},{SERVICE_ID},Club,active,12\n"
            f"{SERVICE_ID},,Club,shut,old\n")

    rows = list(feeds.iter_csv_rows(io.StringIO(text), "service", "services.csv"))

    assert rows[0][1]["minimum_age"] == 12.0 and rows[0][2] == []
    assert {(e.field, e.where) for e in rows[1][2]} == {
        ("organization_id", "services.csv line 3"), ("status", "services.csv line 3"),
        ("minimum_age", "services.csv line 3")}


@pytest.mark.parametrize(("text", "message"), [
    ('id,name\n"a,b\n', "services.csv line 2: unexpected end of data"),
    ('"id,name\n', "services.csv line 1: unexpected end of data"),
    ("id,name\na,b,c\n", "services.csv line 2: 3 values where the header has 2"),
    ("name\nx\n", "no 'id' column"),
])
def test_iter_csv_rows_names_where_csv_is_broken(text, message):
    with pytest.raises(feeds.FeedError, match=message):
        list(feeds.iter_csv_rows(io.StringIO(text), "service", "services.csv"))


def test_iter_csv_rows_of_an_empty_file_is_empty():
    assert list(feeds.iter_csv_rows(io.StringIO(""), "service", "services.csv")) == []


def test_write_csv_rows_uses_the_standard_columns():
    stream = io.StringIO()

    feeds.write_csv_rows(stream, "taxonomy", [{"id": "t", "name": "N", "description": "D",
                                               "uri": None, "version": "1"}])

    assert stream.getvalue() == "id,name,description,uri,version\nt,N,D,,1\n"


@pytest.mark.parametrize("descriptor", [None, "../../datapackage.json", "{}", "[1]"])
def test_table_paths_fall_back_to_the_standard_names(descriptor):
    assert feeds.table_paths(descriptor)["service"] == "services.csv"


def test_table_paths_follow_a_datapackage():
    descriptor = json.dumps({"resources": [{"name": "service", "path": "data/svc.csv"}]})

    assert feeds.table_paths(descriptor)["service"] == "data/svc.csv"


def test_datapackage_descriptor_lists_fields():
    descriptor = feeds.datapackage_descriptor(["service"])

    fields = descriptor["resources"][0]["schema"]["fields"]
    assert {"name": "assured_date", "type": "date"} in fields
