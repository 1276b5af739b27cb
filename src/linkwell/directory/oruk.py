"""The Open Referral UK API (HSDS 3.0) under ``/oruk``: open, read-only, CORS for everyone.

Paths, parameters and response shapes follow the Open Referral UK 3.0 profile's
``openapi.json`` and the HSDS 3.0 one it narrows: lists are the ``Page`` envelope around
``contents``; single objects are the compiled schemas. Filters beyond HSDS's
(``minimum_age``/``maximum_age``, ``day``/``start_time``/``end_time``) are Open Referral UK's.
Every list answers ``format=ndjson`` with every result, one JSON object a line, unpaginated.
Service list items carry two extension fields: ``distance`` (metres from ``postcode``, when one
is given) and ``stale`` (nobody has confirmed the listing within the directory's freshness
window). ``docs/oruk-conformance.md`` lists each endpoint, parameter and validator check.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute

from linkwell.directory import queries
from linkwell.directory.listing_cache import encode, service_list_items
from linkwell.directory.search import search_service_ids, search_services
from linkwell.directory.search_query import (
    Page,
    SearchQuery,
    page_slice,
    parse_datetime,
    parse_day,
    parse_time,
    validate,
)
from linkwell.errors import InvalidInput, LinkwellError, NotFound
from linkwell.web.deps import PageNumber, Session, SessionDep

# The root names the Open Referral UK profile, not bare HSDS: ORUK's validator reads
# ``version`` ("HSDS-UK-3.0" -> 3.0) to choose ORUK's own 3.0 specification, and falls back
# to ``openapi_url``; both lead to the same document.
HSDS_VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
CORS = {"Access-Control-Allow-Origin": "*"}
JSON = "application/json"
NDJSON = "application/x-ndjson"
FORMATS = ("json", "ndjson")
# Objects read and written per round trip while streaming ``format=ndjson``.
NDJSON_BATCH = 250
PROBLEM = "application/problem+json"
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
PageParam = Annotated[PageNumber, Query(description="Page number of paginated result.")]
PerPageParam = Annotated[int, Query(description="Number of results requested in a single page "
                                                "(1 to 100).")]
SearchParam = Annotated[str | None, Query(description="Full text search.")]
FormatParam = Annotated[str | None, Query(
    alias="format", description="json (the default, paginated) or ndjson: every result, one "
                                "JSON object a line, without pagination.")]
FullParam = Annotated[bool, Query(description="Return fully nested items.")]
FullServiceParam = Annotated[bool, Query(
    description="Fully nested organization whose services are fully nested too.")]


def _format(value: str | None) -> str:
    text = (value or "json").strip().lower()
    if text not in FORMATS:
        raise InvalidInput("format must be json or ndjson",
                           errors=[{"loc": ["query", "format"], "msg": "not json or ndjson"}])
    return text


def _ndjson(request: Request, ids: Sequence[str],
            build: Callable[[Session, Sequence[str]], list[dict]]) -> StreamingResponse:
    """Every object, one a line, read a batch at a time so memory holds one batch."""
    def lines() -> Iterator[str]:
        with _session(request) as session:
            for start in range(0, len(ids), NDJSON_BATCH):
                yield "".join(encode(item) + "\n"
                              for item in build(session, ids[start:start + NDJSON_BATCH]))

    return StreamingResponse(lines(), media_type=NDJSON, headers=CORS)


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
    modified_after: Annotated[str | None, Query(
        description="Services modified at or after this RFC 3339 date-time.")] = None,
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
        modified_after=parse_datetime(modified_after, "modified_after"),
        page=page, per_page=per_page,
    ))


# Parsing the query is pure, so it runs on the event loop rather than in a worker thread.
ServiceQuery = Annotated[SearchQuery, Depends(_service_query)]


def _paging(page: int, per_page: int) -> None:
    validate(SearchQuery(page=page, per_page=per_page))


@router.get("/", summary="Information about this API and its relationship with HSDS")
def api_information() -> Response:
    return _json({"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL})


def _extensions(distance_m: float | None, stale: bool) -> str:
    distance = "" if distance_m is None else f',"distance":{round(distance_m)}'
    return f'{distance},"stale":{"true" if stale else "false"}'


def _page_body(total: int, page: int, per_page: int, contents: list[str]) -> Response:
    """The Page envelope around items already encoded."""
    envelope = Page(total, page, per_page, contents).envelope()
    del envelope["contents"]
    body = f'{encode(envelope)[:-1]},"contents":[{",".join(contents)}]}}'
    return Response(body, media_type=JSON, headers=CORS)


@router.get("/services", summary="Paginated listings of services")
def list_services(
    request: Request, query: ServiceQuery,
    minimal: Annotated[bool, Query(
        description="Just each service's id and last_modified (with the name and status "
                    "every service carries), every match in one page.")] = False,
    full: FullParam = False, format_: FormatParam = None,
) -> Response:
    output = _format(format_)
    if minimal and full:
        raise InvalidInput("minimal and full cannot both be asked for",
                           errors=[{"loc": ["query", "minimal"], "msg": "conflicts with full"}])
    build = (queries.services_minimal_json if minimal else
             queries.services_json if full else queries.service_list_json)
    if output == "ndjson" or minimal:
        with _session(request) as session:
            ids = search_service_ids(session, query, stale_after_days=_stale_after_days(request))
            if output == "json":
                # Every match in one page, as the standard asks of ``minimal``.
                contents = [encode(item) for item in build(session, ids)]
                return _page_body(len(ids), 1, max(1, len(ids)),
                                  contents if query.page == 1 else [])
        return _ndjson(request, ids, build)
    with _session(request) as session:
        result = search_services(session, query, stale_after_days=_stale_after_days(request),
                                 details=False)
        ids = [hit.service_id for hit in result.hits]
        if full:
            encoded = {item["id"]: encode(item) for item in build(session, ids)}
        else:
            encoded = service_list_items(session, ids)
    # Each item with this search's extension fields added before its closing brace.
    contents = [f"{encoded[hit.service_id][:-1]}{_extensions(hit.distance_m, hit.stale)}}}"
                for hit in result.hits if hit.service_id in encoded]
    return _page_body(result.total_items, query.page, query.per_page, contents)


@router.get("/services/{id}", summary="A fully nested service")
def get_service(id: str, session: SessionDep) -> Response:
    return _json(_one(queries.services_json(session, [id]), "service"))


def _one(items: list[dict], kind: str) -> dict:
    if not items:
        raise NotFound(f"No {kind} has that id.")
    return items[0]


def _listing(request: Request, session: Session, statement, page: int, per_page: int,
             output: str, build: Callable[[Session, Sequence[str]], list[dict]]) -> Response:
    """One page of ``statement``'s ids built into objects, or all of them as ndjson."""
    _paging(page, per_page)
    if output == "ndjson":
        return _ndjson(request, queries.all_ids(session, statement), build)
    total, ids = queries.page_of_ids(session, statement, page, per_page)
    return _json(Page(total, page, per_page, build(session, ids)).envelope())


@router.get("/organizations", summary="Paginated list of organizations")
def list_organizations(
    request: Request, session: SessionDep, search: SearchParam = None,
    full_service: FullServiceParam = False, full: FullParam = False,
    page: PageParam = 1, per_page: PerPageParam = PER_PAGE, format_: FormatParam = None,
) -> Response:
    statement = queries.organization_ids(search)

    def build(s: Session, ids: Sequence[str]) -> list[dict]:
        return queries.organizations_json(s, ids, full=full, full_services=full_service)

    return _listing(request, session, statement, page, per_page, _format(format_), build)


@router.get("/organizations/{id}", summary="A fully nested organization")
def get_organization(id: str, session: SessionDep,
                     full_service: FullServiceParam = False) -> Response:
    return _json(_one(queries.organizations_json(session, [id], full_services=full_service),
                      "organization"))


@router.get("/taxonomies", summary="Paginated listing of taxonomies")
def list_taxonomies(request: Request, session: SessionDep, search: SearchParam = None,
                    page: PageParam = 1, per_page: PerPageParam = PER_PAGE,
                    format_: FormatParam = None) -> Response:
    statement = queries.taxonomy_ids(search)
    return _listing(request, session, statement, page, per_page, _format(format_),
                    queries.taxonomies_json)


@router.get("/taxonomies/{id}", summary="A taxonomy")
def get_taxonomy(id: str, session: SessionDep) -> Response:
    return _json(_one(queries.taxonomies_json(session, [id]), "taxonomy"))


@router.get("/taxonomy_terms", summary="Paginated listing of taxonomy terms")
def list_taxonomy_terms(
    request: Request, session: SessionDep, search: SearchParam = None,
    taxonomy_id: Annotated[str | None, Query(description="Terms of this taxonomy.")] = None,
    parent_id: Annotated[str | None, Query(description="Terms with this parent.")] = None,
    top_only: Annotated[bool, Query(description="Only terms without a parent.")] = False,
    page: PageParam = 1, per_page: PerPageParam = PER_PAGE, format_: FormatParam = None,
) -> Response:
    output = _format(format_)
    if taxonomy_id and not queries.taxonomy_exists(session, taxonomy_id):
        raise InvalidInput("taxonomy_id is not a known id in this directory",
                           errors=[{"loc": ["query", "taxonomy_id"], "msg": "unknown id"}])
    statement = queries.taxonomy_term_ids(search, taxonomy_id=taxonomy_id,
                                          parent_id=parent_id, top_only=top_only)
    return _listing(request, session, statement, page, per_page, output,
                    queries.taxonomy_terms_json)


@router.get("/taxonomy_terms/{id}", summary="A taxonomy term")
def get_taxonomy_term(id: str, session: SessionDep) -> Response:
    return _json(_one(queries.taxonomy_terms_json(session, [id]), "taxonomy term"))


@router.get("/service_at_locations", summary="Paginated listings of service_at_location")
def list_service_at_locations(
    request: Request, query: ServiceQuery, full: FullParam = False,
    format_: FormatParam = None,
) -> Response:
    """The services the search finds, best first, each at each of its locations."""
    output = _format(format_)
    with _session(request) as session:
        service_ids = search_service_ids(session, query,
                                         stale_after_days=_stale_after_days(request))
        links = queries.service_at_location_ids(session, service_ids)

        def build(s: Session, ids: Sequence[str]) -> list[dict]:
            return queries.service_at_locations_json(s, ids, full=full)

        if output == "ndjson":
            return _ndjson(request, links, build)
        contents = build(session, page_slice(links, query.page, query.per_page))
    return _json(Page(len(links), query.page, query.per_page, contents).envelope())


@router.get("/service_at_locations/{id}", summary="A fully nested service_at_location")
def get_service_at_location(id: str, session: SessionDep) -> Response:
    """The fully nested service_at_location (HSDS ``service_at_location.json``), also carrying
    its service's ``name`` and ``status``: Open Referral UK's specification checks this
    answer against ``service.json``, which requires them."""
    item = _one(queries.service_at_locations_json(session, [id]), "service_at_location")
    service = item.get("service") or {}
    for name in ("name", "status"):
        if name in service:
            item.setdefault(name, service[name])
    return _json(item)


@router.options("/{path:path}", include_in_schema=False)
def preflight() -> Response:
    return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET",
                                              "Access-Control-Allow-Headers": "*",
                                              "Access-Control-Max-Age": "86400"})
