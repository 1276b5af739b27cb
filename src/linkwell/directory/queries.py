"""Reading the directory from the database into HSDS JSON, in a few set-based queries.

Each ``*_json`` function loads the rows the nested shape needs for a whole page of ids at once
(one query per table, never one per object) and hands them to :mod:`linkwell.directory.hsds`,
the only serialiser. They return JSON-ready dicts in the order of the ids given (unknown ids
are left out):

- :func:`services_json` -> full services (``/services/{id}``)
- :func:`service_list_json` -> ``service_list`` items
- :func:`organizations_json` -> full organizations, or list items with ``full=False``
- :func:`service_at_locations_json` -> full or list items
- :func:`taxonomy_terms_json`, :func:`taxonomies_json`

:func:`service_graph` and friends return the :class:`~linkwell.directory.hsds.Graph` itself for
callers that want to serialise differently. :func:`stale_services` lists what needs checking.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Select, Table, func, or_, select
from sqlalchemy.orm import Session

from linkwell.db import Base
from linkwell.directory import hsds
from linkwell.directory.hsds import Graph, Row
from linkwell.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

IN_CHUNK = 500

SERVICE_OWNED = ("phone", "schedule", "service_area", "service_at_location", "language",
                 "funding", "cost_option", "required_document", "contact")
LOCATION_OWNED = ("language", "address", "contact", "accessibility", "phone", "schedule")


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def rows_where(session: Session, table_name: str, column: str, values: Iterable) -> list[Row]:
    """Rows whose ``column`` is one of ``values``, fetched in chunks of bound parameters."""
    t = table(table_name)
    wanted = sorted({v for v in values if v is not None})
    out: list[Row] = []
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        result = session.execute(select(t).where(t.c[column].in_(chunk)))
        keys = tuple(result.keys())
        out.extend(dict(zip(keys, r, strict=True)) for r in result)
    return out


def _ids(graph: Graph, table_name: str) -> set[str]:
    return set(graph.rows.get(table_name, {}))


def _add_location_details(session: Session, graph: Graph, location_ids: set[str]) -> None:
    for name in LOCATION_OWNED:
        graph.add(name, rows_where(session, name, "location_id", location_ids))


def _add_attributes_and_metadata(session: Session, graph: Graph) -> None:
    """Attributes (with their taxonomy terms and taxonomies) and metadata of every object."""
    object_ids = {i for rows in list(graph.rows.values()) for i in rows}
    graph.add("attribute", rows_where(session, "attribute", "link_id", object_ids))
    term_ids = {a["taxonomy_term_id"] for a in graph.rows["attribute"].values()}
    graph.add("taxonomy_term", rows_where(session, "taxonomy_term", "id", term_ids))
    taxonomy_ids = {t["taxonomy_id"] for t in graph.rows["taxonomy_term"].values()}
    graph.add("taxonomy", rows_where(session, "taxonomy", "id", taxonomy_ids))
    object_ids = {i for rows in list(graph.rows.values()) for i in rows}
    graph.add("metadata", rows_where(session, "metadata", "resource_id", object_ids))


def _add_phones_of_contacts(session: Session, graph: Graph) -> None:
    graph.add("phone", rows_where(session, "phone", "contact_id", _ids(graph, "contact")))
    graph.add("language", rows_where(session, "language", "phone_id", _ids(graph, "phone")))


def service_graph(session: Session, service_ids: Sequence[str]) -> Graph:
    """Everything a full service needs: organization, locations, phones, schedules, terms..."""
    graph = Graph()
    services = rows_where(session, "service", "id", service_ids)
    graph.add("service", services)
    ids = [s["id"] for s in services]
    organization_ids = {s["organization_id"] for s in services}
    graph.add("organization", rows_where(session, "organization", "id", organization_ids))
    for name in ("funding", "contact", "phone", "program", "organization_identifier"):
        graph.add(name, rows_where(session, name, "organization_id", organization_ids))
    graph.add("program", rows_where(session, "program", "id", {s["program_id"] for s in services}))
    for name in SERVICE_OWNED:
        graph.add(name, rows_where(session, name, "service_id", ids))
    service_at_location_ids = _ids(graph, "service_at_location")
    for name in ("contact", "phone", "schedule"):
        graph.add(name, rows_where(session, name, "service_at_location_id",
                                   service_at_location_ids))
    location_ids = {s["location_id"] for s in graph.rows["service_at_location"].values()}
    graph.add("location", rows_where(session, "location", "id", location_ids))
    _add_location_details(session, graph, location_ids)
    _add_phones_of_contacts(session, graph)
    _add_attributes_and_metadata(session, graph)
    return graph


@cache
def _service_list_statement():
    """Built once: services joined to their organizations and programs, and which columns
    belong to which table."""
    service, organization, program = table("service"), table("organization"), table("program")
    statement = select(service, organization, program).select_from(
        service.outerjoin(organization, organization.c.id == service.c.organization_id)
        .outerjoin(program, program.c.id == service.c.program_id))
    parts = [(t.name, tuple(t.c.keys())) for t in (service, organization, program)]
    return statement, service.c.id, parts


def service_list_graph(session: Session, service_ids: Sequence[str]) -> Graph:
    """Services with their organizations and programs, read in one joined query: a page of
    API results costs one round trip rather than three."""
    statement, service_id, parts = _service_list_statement()
    found: dict[str, list[Row]] = {name: [] for name, _ in parts}
    wanted = sorted(set(service_ids))
    for start in range(0, len(wanted), IN_CHUNK):
        for row in session.connection().execute(
                statement.where(service_id.in_(wanted[start:start + IN_CHUNK]))):
            offset = 0
            for name, keys in parts:
                values = dict(zip(keys, row[offset:offset + len(keys)], strict=True))
                offset += len(keys)
                if values["id"] is not None:
                    found[name].append(values)
    return Graph(found)


def organization_graph(session: Session, organization_ids: Sequence[str]) -> Graph:
    graph = Graph()
    graph.add("organization", rows_where(session, "organization", "id", organization_ids))
    ids = _ids(graph, "organization")
    for name in ("funding", "contact", "phone", "location", "program", "organization_identifier"):
        graph.add(name, rows_where(session, name, "organization_id", ids))
    _add_location_details(session, graph, _ids(graph, "location"))
    _add_phones_of_contacts(session, graph)
    _add_attributes_and_metadata(session, graph)
    graph.add("service", rows_where(session, "service", "organization_id", ids))
    return graph


def service_at_location_graph(session: Session, ids: Sequence[str], *, full: bool) -> Graph:
    graph = Graph()
    links = rows_where(session, "service_at_location", "id", ids)
    graph.add("service_at_location", links)
    location_ids = {s["location_id"] for s in links}
    graph.add("location", rows_where(session, "location", "id", location_ids))
    if full:
        link_ids = [s["id"] for s in links]
        for name in ("contact", "phone", "schedule"):
            graph.add(name, rows_where(session, name, "service_at_location_id", link_ids))
        _add_location_details(session, graph, location_ids)
        _add_phones_of_contacts(session, graph)
        _add_attributes_and_metadata(session, graph)
    services = rows_where(session, "service", "id", {s["service_id"] for s in links})
    graph.add("service", services)
    graph.add("organization", rows_where(session, "organization", "id",
                                         {s["organization_id"] for s in services}))
    graph.add("program", rows_where(session, "program", "id", {s["program_id"] for s in services}))
    return graph


def _in_order(ids: Sequence[str], present: dict, build) -> list[dict]:
    return [build(i) for i in ids if i in present]


def services_json(session: Session, service_ids: Sequence[str]) -> list[dict]:
    graph = service_graph(session, service_ids)
    return _in_order(service_ids, graph.rows["service"],
                     lambda i: hsds.service_full(graph, i))


def service_list_json(session: Session, service_ids: Sequence[str]) -> list[dict]:
    graph = service_list_graph(session, service_ids)
    return _in_order(service_ids, graph.rows["service"],
                     lambda i: hsds.service_list_item(graph, i))


# The fields of a ``minimal`` service: its id and when it last changed (what a harvester
# compares), with the name and status that every HSDS service object must carry.
MINIMAL_SERVICE_FIELDS = ("id", "name", "status", "last_modified")


def services_minimal_json(session: Session, service_ids: Sequence[str]) -> list[dict]:
    rows = {r["id"]: r for r in rows_where(session, "service", "id", service_ids)}

    def build(service_id: str) -> dict:
        item = hsds.scalars("service", rows[service_id])
        return {name: item[name] for name in MINIMAL_SERVICE_FIELDS if name in item}

    return _in_order(service_ids, rows, build)


def organizations_json(session: Session, organization_ids: Sequence[str], *,
                       full: bool = True, full_services: bool = False) -> list[dict]:
    """Organizations as list items, fully nested (``full``), or fully nested with each of
    their services fully nested too (``full_services``, the standard's ``full_service``)."""
    if full or full_services:
        graph = organization_graph(session, organization_ids)
        build = hsds.organization_full
    else:
        graph = Graph({"organization": rows_where(session, "organization", "id",
                                                  organization_ids)})
        build = hsds.organization_list_item
    items = _in_order(organization_ids, graph.rows["organization"], lambda i: build(graph, i))
    if full_services:
        service_ids = [s["id"] for item in items for s in item["services"]]
        services = {s["id"]: s for s in services_json(session, service_ids)}
        for item in items:
            item["services"] = [services[s["id"]] for s in item["services"]]
    return items


def service_at_locations_json(session: Session, ids: Sequence[str], *,
                              full: bool = True) -> list[dict]:
    graph = service_at_location_graph(session, ids, full=full)
    build = hsds.service_at_location_full if full else hsds.service_at_location_list_item
    return _in_order(ids, graph.rows["service_at_location"], lambda i: build(graph, i))


def taxonomy_terms_json(session: Session, term_ids: Sequence[str]) -> list[dict]:
    graph = Graph({"taxonomy_term": rows_where(session, "taxonomy_term", "id", term_ids)})
    taxonomy_ids = {t["taxonomy_id"] for t in graph.rows["taxonomy_term"].values()}
    graph.add("taxonomy", rows_where(session, "taxonomy", "id", taxonomy_ids))
    return _in_order(term_ids, graph.rows["taxonomy_term"],
                     lambda i: hsds.taxonomy_term_item(graph, i))


def taxonomies_json(session: Session, taxonomy_ids: Sequence[str]) -> list[dict]:
    rows = {r["id"]: r for r in rows_where(session, "taxonomy", "id", taxonomy_ids)}
    return _in_order(taxonomy_ids, rows, lambda i: hsds.taxonomy_item(rows[i]))


# --- Freshness --------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaleService:
    id: str
    name: str
    assured_date: date | None
    organization_id: str
    organization_name: str


def stale_services(session: Session, *, today: date, after_days: int) -> list[StaleService]:
    """Services never assured, or last assured more than ``after_days`` before ``today``.

    Ordered by organisation, then oldest assurance first, so each provider's list reads as a
    to-do list.
    """
    cutoff = today - timedelta(days=after_days)
    result = session.execute(
        select(Service.id, Service.name, Service.assured_date, Organization.id,
               Organization.name)
        .join(Organization, Organization.id == Service.organization_id)
        .where(or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
        .order_by(Organization.name, Organization.id, Service.assured_date.is_not(None),
                  Service.assured_date, Service.name)
    )
    return [StaleService(*row) for row in result]


# --- The /oruk listings: which ids, in the standard's order ----------------------------------
# A listing is a statement of ids, paged or streamed by ``page_of_ids``/``all_ids``; the API
# passes it along without building any SQL itself.

# More ids than this are filtered in Python rather than sent as bound parameters.
IN_LIMIT = 5_000


def _name_search(column, search: str | None) -> list:
    words = (search or "").strip()
    return [func.lower(column).contains(words.lower(), autoescape=True)] if words else []


def organization_ids(search: str | None) -> Select:
    return (select(Organization.id).where(*_name_search(Organization.name, search))
            .order_by(func.lower(Organization.name), Organization.id))


def taxonomy_ids(search: str | None) -> Select:
    return (select(Taxonomy.id).where(*_name_search(Taxonomy.name, search))
            .order_by(func.lower(Taxonomy.name), Taxonomy.id))


def taxonomy_exists(session: Session, taxonomy_id: str) -> bool:
    return session.get(Taxonomy, taxonomy_id) is not None


def taxonomy_term_ids(search: str | None, *, taxonomy_id: str | None = None,
                      parent_id: str | None = None, top_only: bool = False) -> Select:
    conditions = _name_search(TaxonomyTerm.name, search)
    if taxonomy_id:
        conditions.append(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id:
        conditions.append(TaxonomyTerm.parent_id == parent_id)
    if top_only:
        conditions.append(TaxonomyTerm.parent_id.is_(None))
    return (select(TaxonomyTerm.id).where(*conditions)
            .order_by(func.lower(TaxonomyTerm.name), TaxonomyTerm.id))


def page_of_ids(session: Session, statement: Select, page: int, per_page: int
                ) -> tuple[int, list[str]]:
    """How many ids the listing has, and those on ``page``."""
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    ids = list(session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return total, ids


def all_ids(session: Session, statement: Select) -> list[str]:
    return list(session.scalars(statement))


def service_at_location_ids(session: Session, service_ids: Sequence[str]) -> list[str]:
    """The service_at_location ids of these services, in the services' order."""
    order = {service_id: i for i, service_id in enumerate(service_ids)}
    statement = select(ServiceAtLocation.id, ServiceAtLocation.service_id)
    if len(service_ids) <= IN_LIMIT:
        statement = statement.where(ServiceAtLocation.service_id.in_(service_ids))
    links = sorted((order[service], sal) for sal, service in session.execute(statement)
                   if service in order)
    return [sal for _, sal in links]
