"""The Open Referral UK API (HSDS 3.0) under ``/oruk``: open, read-only, CORS for everyone.

Paths, parameters and response shapes follow ``schema/openapi.json`` of HSDS 3.0: lists are
the ``Page`` envelope around ``contents``; single objects are the compiled schemas. Filters
beyond the standard's (``minimum_age``/``maximum_age``, ``day``/``start_time``/``end_time``)
are Open Referral UK's. Service list items carry two extension fields: ``distance`` (metres
from ``postcode``, when one is given) and ``stale`` (nobody has confirmed the listing within
the directory's freshness window).
"""

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell.directory import store
from linkwell.directory.listing_cache import encode, service_list_items
from linkwell.directory.models import Organization, ServiceAtLocation, Taxonomy, TaxonomyTerm
from linkwell.directory.query import Page, SearchQuery, page_slice, parse_day, parse_time, validate
from linkwell.directory.search import search_service_ids, search_services
from linkwell.errors import InvalidInput, LinkwellError, NotFound
from linkwell.web.deps import PageNumber, get_session

HSDS_VERSION = "3.0"
PROFILE = "https://openreferraluk.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
CORS = {"Access-Control-Allow-Origin": "*"}
JSON = "application/json"
PROBLEM = "application/problem+json"
# More ids than this are filtered in Python rather than sent as bound parameters.
IN_LIMIT = 5_000
PER_PAGE = 20


def _json(body, status: int = 200) -> Response:
    return Response(encode(body), status_code=status, media_type=JSON, headers=CORS)


def _problem(status: int, title: str, detail: str, errors: list | None = None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status_code=status, media_type=PROBLEM, headers=CORS)


class OpenRoute(APIRoute):
    """Every answer, errors included, carries ``Access-Control-Allow-Origin: *``.

    Errors are turned into problems here rather than by the app's handlers, which would drop
    the header; the body is the same ``application/problem+json`` they produce.
    """

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def open_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except LinkwellError as exc:
                return _problem(exc.status, exc.title, exc.detail, exc.errors)
            except RequestValidationError as exc:
                errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"),
                           "type": e.get("type")} for e in exc.errors()]
                detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                   for e in errors)
                return _problem(422, "Invalid input", detail, errors)
            response.headers.update(CORS)
            return response

        return open_handler


router = APIRouter(prefix="/oruk", tags=["Open Referral UK"], route_class=OpenRoute)
SessionDep = Annotated[Session, Depends(get_session)]
PageParam = Annotated[PageNumber, Query(description="Page number of paginated result.")]
PerPageParam = Annotated[int, Query(description="Number of results requested in a single page "
                                                "(1 to 100).")]
SearchParam = Annotated[str | None, Query(description="Full text search.")]


def _stale_after_days(request: Request) -> int:
    return request.app.state.settings.stale_after_days


def _session(request: Request) -> Session:
    """The search routes open their session in the handler's own thread: as a dependency it
    would cost two more hops to the thread pool per request."""
    return request.app.state.sessionmaker()


async def _service_query(
    search: SearchParam = None,
    taxonomy_term_id: Annotated[str | None, Query(
        description="Services with this taxonomy term (or a narrower one).")] = None,
    taxonomy_id: Annotated[str | None, Query(
        description="Services with any term of this taxonomy.")] = None,
    organization_id: Annotated[str | None, Query(
        description="Services this organization provides.")] = None,
    minimum_age: Annotated[int | None, Query(
        description="Services whose minimum age is at most this (or unset).")] = None,
    maximum_age: Annotated[int | None, Query(
        description="Services whose maximum age is at least this (or unset).")] = None,
    postcode: Annotated[str | None, Query(
        description="Measure distance from this postcode's centroid.")] = None,
    proximity: Annotated[float | None, Query(
        description="Only services within this many metres of the postcode.")] = None,
    day: Annotated[str | None, Query(description="Open on this day (MO..SU).")] = None,
    start_time: Annotated[str | None, Query(description="Open at this time (HH:MM).")] = None,
    end_time: Annotated[str | None, Query(description="Open until this time (HH:MM).")] = None,
    page: PageParam = 1,
    per_page: PerPageParam = PER_PAGE,
) -> SearchQuery:
    return validate(SearchQuery(
        text=search, taxonomy_term_id=taxonomy_term_id or None,
        taxonomy_id=taxonomy_id or None, organization_id=organization_id or None,
        minimum_age=minimum_age, maximum_age=maximum_age,
        postcode=postcode if postcode and postcode.strip() else None,
        proximity_m=proximity, day=parse_day(day),
        start_time=parse_time(start_time, "start_time"),
        end_time=parse_time(end_time, "end_time"),
        page=page, per_page=per_page,
    ))


# Parsing the query is pure, so it runs on the event loop rather than in a worker thread.
ServiceQuery = Annotated[SearchQuery, Depends(_service_query)]


def _paging(page: int, per_page: int) -> None:
    validate(SearchQuery(page=page, per_page=per_page))


@router.get("/", summary="Information about this API and its relationship with HSDS")
def api_information() -> Response:
    return _json({"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL})


@router.get("/services", summary="Paginated listings of services")
def list_services(request: Request, query: ServiceQuery) -> Response:
    with _session(request) as session:
        result = search_services(session, query, stale_after_days=_stale_after_days(request),
                                 details=False)
        encoded = service_list_items(session, [hit.service_id for hit in result.hits])
    contents = []
    for hit in result.hits:
        if hit.service_id in encoded:
            # The kept item with this search's extension fields added before its closing brace.
            distance = ("" if hit.distance_m is None
                        else f',"distance":{round(hit.distance_m)}')
            stale = "true" if hit.stale else "false"
            contents.append(f'{encoded[hit.service_id][:-1]}{distance},"stale":{stale}}}')
    envelope = Page(result.total_items, query.page, query.per_page, contents).envelope()
    del envelope["contents"]
    body = f'{encode(envelope)[:-1]},"contents":[{",".join(contents)}]}}'
    return Response(body, media_type=JSON, headers=CORS)


@router.get("/services/{id}", summary="A fully nested service")
def get_service(id: str, session: SessionDep) -> Response:
    return _json(_one(store.services_json(session, [id]), "service"))


def _one(items: list[dict], kind: str) -> dict:
    if not items:
        raise NotFound(f"No {kind} has that id.")
    return items[0]


def _name_search(column, search: str | None) -> list:
    words = (search or "").strip()
    return [func.lower(column).contains(words.lower(), autoescape=True)] if words else []


def _page_of_ids(session: Session, statement, page: int, per_page: int) -> tuple[int, list[str]]:
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    ids = list(session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return total, ids


@router.get("/organizations", summary="Paginated list of organizations")
def list_organizations(
    session: SessionDep, search: SearchParam = None,
    full_service: Annotated[bool, Query(description="Nest full organization details.")] = False,
    page: PageParam = 1, per_page: PerPageParam = PER_PAGE,
) -> Response:
    _paging(page, per_page)
    statement = (select(Organization.id).where(*_name_search(Organization.name, search))
                 .order_by(func.lower(Organization.name), Organization.id))
    total, ids = _page_of_ids(session, statement, page, per_page)
    contents = store.organizations_json(session, ids, full=full_service)
    return _json(Page(total, page, per_page, contents).envelope())


@router.get("/organizations/{id}", summary="A fully nested organization")
def get_organization(id: str, session: SessionDep) -> Response:
    return _json(_one(store.organizations_json(session, [id]), "organization"))


@router.get("/taxonomies", summary="Paginated listing of taxonomies")
def list_taxonomies(session: SessionDep, search: SearchParam = None, page: PageParam = 1,
                    per_page: PerPageParam = PER_PAGE) -> Response:
    _paging(page, per_page)
    statement = (select(Taxonomy.id).where(*_name_search(Taxonomy.name, search))
                 .order_by(func.lower(Taxonomy.name), Taxonomy.id))
    total, ids = _page_of_ids(session, statement, page, per_page)
    return _json(Page(total, page, per_page, store.taxonomies_json(session, ids)).envelope())


@router.get("/taxonomies/{id}", summary="A taxonomy")
def get_taxonomy(id: str, session: SessionDep) -> Response:
    return _json(_one(store.taxonomies_json(session, [id]), "taxonomy"))


@router.get("/taxonomy_terms", summary="Paginated listing of taxonomy terms")
def list_taxonomy_terms(
    session: SessionDep, search: SearchParam = None,
    taxonomy_id: Annotated[str | None, Query(description="Terms of this taxonomy.")] = None,
    parent_id: Annotated[str | None, Query(description="Terms with this parent.")] = None,
    top_only: Annotated[bool, Query(description="Only terms without a parent.")] = False,
    page: PageParam = 1, per_page: PerPageParam = PER_PAGE,
) -> Response:
    _paging(page, per_page)
    conditions = _name_search(TaxonomyTerm.name, search)
    if taxonomy_id:
        if session.get(Taxonomy, taxonomy_id) is None:
            raise InvalidInput("taxonomy_id is not a known id in this directory",
                               errors=[{"loc": ["query", "taxonomy_id"], "msg": "unknown id"}])
        conditions.append(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id:
        conditions.append(TaxonomyTerm.parent_id == parent_id)
    if top_only:
        conditions.append(TaxonomyTerm.parent_id.is_(None))
    statement = (select(TaxonomyTerm.id).where(*conditions)
                 .order_by(func.lower(TaxonomyTerm.name), TaxonomyTerm.id))
    total, ids = _page_of_ids(session, statement, page, per_page)
    return _json(Page(total, page, per_page, store.taxonomy_terms_json(session, ids)).envelope())


@router.get("/taxonomy_terms/{id}", summary="A taxonomy term")
def get_taxonomy_term(id: str, session: SessionDep) -> Response:
    return _json(_one(store.taxonomy_terms_json(session, [id]), "taxonomy term"))


@router.get("/service_at_locations", summary="Paginated listings of service_at_location")
def list_service_at_locations(
    request: Request, query: ServiceQuery,
    full: Annotated[bool, Query(description="Return fully nested items.")] = False,
) -> Response:
    """The services the search finds, best first, each at each of its locations."""
    with _session(request) as session:
        service_ids = search_service_ids(session, query,
                                         stale_after_days=_stale_after_days(request))
        order = {service_id: i for i, service_id in enumerate(service_ids)}
        statement = select(ServiceAtLocation.id, ServiceAtLocation.service_id)
        if len(service_ids) <= IN_LIMIT:
            statement = statement.where(ServiceAtLocation.service_id.in_(service_ids))
        links = sorted((order[service], sal) for sal, service in session.execute(statement)
                       if service in order)
        ids = [sal for _, sal in page_slice(links, query.page, query.per_page)]
        contents = store.service_at_locations_json(session, ids, full=full)
    return _json(Page(len(links), query.page, query.per_page, contents).envelope())


@router.get("/service_at_locations/{id}", summary="A fully nested service_at_location")
def get_service_at_location(id: str, session: SessionDep) -> Response:
    return _json(_one(store.service_at_locations_json(session, [id]), "service_at_location"))


@router.options("/{path:path}", include_in_schema=False)
def preflight() -> Response:
    return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET",
                                              "Access-Control-Allow-Headers": "*",
                                              "Access-Control-Max-Age": "86400"})
