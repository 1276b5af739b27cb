"""The one directory search behind the Open Referral UK API and the "Find support" pages.

Free text runs on the database's own full-text engine (FTS5 with the porter stemmer on SQLite,
``english`` text search on PostgreSQL; see ``search_index``), so "befriend" finds
"befriending" and "benefits" finds "benefit". A word that matches nothing is swapped for the
closest word in the index vocabulary ("benifits" -> "benefit"). Distance uses the indexed
location latitude/longitude in a bounding box first, then the exact haversine distance.
Ordering (fresh before stale, then relevance blended with nearness) is ``query.rank``.
What each engine does differently (and its speed-ups) is in ``dialects``; nothing here
branches on the engine.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from sqlalchemy import Select, and_, bindparam, case, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from linkwell.db import utcnow
from linkwell.directory.dialects import dialect_of
from linkwell.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from linkwell.directory.point_index import Details, ServiceRow, held_point_index
from linkwell.directory.presentation import summary
from linkwell.directory.revision_cache import kept
from linkwell.directory.search_index import ACTIVE, SearchTerm, ServiceSearch, ServiceSearchPoint
from linkwell.directory.search_query import (
    Hit,
    SearchQuery,
    checked_since,
    closest_term,
    page_slice,
    rank,
    relevance_of,
    stale_check,
    validate,
)
from linkwell.directory.stemming import stem
from linkwell.errors import InvalidInput
from linkwell.geo.distance import bounding_box, haversine_many_m
from linkwell.geo.queries import PostcodeLocation, lookup_place

ID_BATCH = 5_000


@dataclass
class SearchHit:
    """One service in the results, with what a results list shows about it."""

    service_id: str
    name: str
    organization_name: str | None
    summary: str | None  # the start of the description (``presentation.summary``)
    assured_date: date | None
    stale: bool
    distance_m: float | None = None
    location_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class SearchResult:
    total_items: int
    page_number: int
    per_page: int
    hits: list[SearchHit]
    origin: PostcodeLocation | None = None
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def total_pages(self) -> int:
        return -(-self.total_items // self.per_page)


@dataclass
class _Near:
    distance_m: float
    latitude: float
    longitude: float
    location_id: str


@dataclass
class _Plan:
    """A validated query turned into SQL filters, an origin and the words to match."""

    query: SearchQuery
    today: date
    stale_after_days: int
    origin: PostcodeLocation | None
    filters: list
    needs: list[str]  # a chosen taxonomy term and its narrower ones, near a postcode
    terms: list[str]
    stems: list[str]
    corrections: dict[str, str]

    @property
    def stale_before(self) -> date:
        return checked_since(today=self.today, stale_after_days=self.stale_after_days)

    @property
    def ranked(self) -> bool:
        return bool(self.terms) or self.origin is not None

    @property
    def within(self) -> bool:
        return self.origin is not None and bool(self.query.proximity_m)


def _plan(session: Session, query: SearchQuery, stale_after_days: int,
          today: date | None) -> _Plan:
    validate(query)
    today = today or utcnow().date()
    origin = lookup_place(session, query.postcode) if query.postcode else None
    terms = query.terms
    within = origin is not None and bool(query.proximity_m)
    filters, needs = _filters(session, query, today, within=within, words=bool(terms))
    return _Plan(query, today, stale_after_days, origin, filters, needs, terms,
                 [stem(term) for term in terms], {})


def search_services(session: Session, query: SearchQuery, *, stale_after_days: int,
                    today: date | None = None, details: bool = True) -> SearchResult:
    """Services matching ``query``, one page of them, best first.

    ``details=False`` leaves out what only a results page shows (organisation name,
    description, nearest location), for callers that read the services themselves.
    Raises InvalidInput for a query that cannot be answered (including unknown taxonomy ids
    and malformed postcodes) and NotFound for a well-formed postcode that is not known.
    """
    plan = _plan(session, query, stale_after_days, today)
    if not plan.ranked:
        return _by_name(session, plan)
    ranked, near = _ranked(session, plan)
    chosen = page_slice(ranked, query.page, query.per_page)
    if details:
        described = _details(session, {h.service_id: near[h.service_id].location_id
                                       if h.service_id in near else None for h in chosen})
    page = []
    for hit in chosen:
        point = near.get(hit.service_id)
        name, organization_name, summary_text, location_name = (
            described[hit.service_id] if details else (hit.name, None, None, None))
        page.append(SearchHit(
            hit.service_id, name, organization_name, summary_text, hit.assured_date,
            hit.stale, hit.distance_m, location_name,
            point.latitude if point else None,
            point.longitude if point else None,
        ))
    return SearchResult(len(ranked), query.page, query.per_page, page, plan.origin,
                        plan.corrections)


def search_widening(session: Session, query: SearchQuery, *, radii_m: Sequence[float],
                    stale_after_days: int, today: date | None = None
                    ) -> tuple[SearchResult, float | None]:
    """``search_services``; when it finds nothing within ``proximity``, the same search within
    each wider radius of ``radii_m`` in turn, until one finds something.

    Returns the result and the radius it was widened to (None when it was not).
    """
    result = search_services(session, query, stale_after_days=stale_after_days, today=today)
    if result.total_items or query.postcode is None or query.proximity_m is None:
        return result, None
    for radius in sorted(radii_m):
        if radius > query.proximity_m:
            wider = search_services(session, replace(query, proximity_m=radius, page=1),
                                    stale_after_days=stale_after_days, today=today)
            if wider.total_items:
                return wider, radius
    return result, None


def search_service_ids(session: Session, query: SearchQuery, *, stale_after_days: int,
                       today: date | None = None) -> list[str]:
    """Every matching service id, best first (``page``/``per_page`` are ignored)."""
    plan = _plan(session, query, stale_after_days, today)
    if not plan.ranked:
        return list(session.scalars(
            select(ServiceSearch.service_id).where(*plan.filters).order_by(*_by_name_order(plan))))
    return [hit.service_id for hit in _ranked(session, plan)[0]]


def _ranked(session: Session, plan: _Plan) -> tuple[list[Hit], dict[str, _Near]]:
    """Services with every word; failing that, with typos corrected; failing that, with any
    word. A search that finds something has no word missing from the index, so the index
    is asked about single words only when nothing was found."""
    rows, near = _matches(session, plan, any_term=False)
    if not rows and plan.terms:
        plan.terms, plan.stems, plan.corrections = _corrected_terms(session, plan.terms)
        if plan.corrections:
            rows, near = _matches(session, plan, any_term=False)
    if not rows and len(plan.terms) > 1:
        rows, near = _matches(session, plan, any_term=True)
    relevance = relevance_of(plan.stems) if plan.terms else None
    stale = stale_check(today=plan.today, stale_after_days=plan.stale_after_days)
    hits = [
        Hit(service_id, name,
            relevance(stored) if relevance else None,
            near[service_id].distance_m if service_id in near else None, assured,
            stale(assured))
        for _, service_id, name, assured, stored in rows
    ]
    return rank(hits, proximity_m=plan.query.proximity_m), near


def _matches(session: Session, plan: _Plan, *,
             any_term: bool) -> tuple[list[ServiceRow], dict[str, _Near]]:
    if plan.within:
        return _matches_within(session, plan, any_term=any_term)
    rows = dialect_of(session).services_with_words(session, plan.terms, plan.filters,
                                                   any_term=any_term)
    near = {} if plan.origin is None else _nearest_points(session, plan.origin, rows)
    return rows, near


# --- Filters ---------------------------------------------------------------------------------

def _filters(session: Session, query: SearchQuery, today: date, *, within: bool,
             words: bool) -> tuple[list, list[str]]:
    """SQL conditions for everything but the words and the distance, and the taxonomy terms
    a search near a postcode checks on its points (``_within_statement`` holds those, and
    the status).

    With words near a postcode, only the few services nearby that have them reach these
    filters, and a probe of the index for each is cheapest then.
    """
    correlated = within and words
    filters = [] if within else [ServiceSearch.status == ACTIVE]
    needs: list[str] = []
    if query.taxonomy_term_id is not None:
        terms = _term_and_descendants(session, query.taxonomy_term_id)
        if within:
            needs = terms
        else:
            filters.append(ServiceSearch.service_id.in_(
                select(Attribute.link_id).where(Attribute.link_entity == "service",
                                                Attribute.taxonomy_term_id.in_(terms))))
    if query.taxonomy_id is not None:
        if session.get(Taxonomy, query.taxonomy_id) is None:
            raise _unknown("taxonomy_id")
        filters.append(_has(
            select(Attribute.link_id)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(Attribute.link_entity == "service",
                   TaxonomyTerm.taxonomy_id == query.taxonomy_id),
            Attribute.link_id, correlated))
    if query.organization_id is not None:
        filters.append(_has(
            select(Service.id).where(Service.organization_id == query.organization_id),
            Service.id, correlated))
    if query.modified_after is not None:
        filters.append(_has(
            select(Service.id).where(Service.last_modified >= query.modified_after),
            Service.id, correlated))
    if query.minimum_age is not None:
        filters.append(or_(ServiceSearch.minimum_age.is_(None),
                           ServiceSearch.minimum_age <= query.minimum_age))
    if query.maximum_age is not None:
        filters.append(or_(ServiceSearch.maximum_age.is_(None),
                           ServiceSearch.maximum_age >= query.maximum_age))
    if query.day is not None:
        filters.append(or_(*(_has(branch, column, correlated)
                             for branch, column in _open_services(query, today))))
    return filters, needs


def _has(statement: Select, service_id, correlated: bool):
    """``service_id IN (statement)``, or a correlated EXISTS per service when only a few
    services reach this filter, so the database probes its index a few dozen times rather
    than listing every service with, say, a common taxonomy term."""
    if correlated:
        return statement.where(service_id == ServiceSearch.service_id).exists()
    return ServiceSearch.service_id.in_(statement)


def _unknown(name: str) -> InvalidInput:
    return InvalidInput(f"{name} is not a known id in this directory",
                        errors=[{"loc": ["query", name], "msg": "unknown id"}])


def _term_tree() -> Select:
    tree = (select(TaxonomyTerm.id).where(TaxonomyTerm.id == bindparam("term_id"))
            .cte("tree", recursive=True))
    tree = tree.union(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == tree.c.id))
    return select(tree.c.id)


_TERM_TREE = _term_tree()


def _term_and_descendants(session: Session, term_id: str) -> list[str]:
    """A need chosen from the taxonomy includes its narrower terms ("Money" -> "Debt"), found
    in one recursive query (``UNION`` stops at a cycle) and kept until the directory's next
    revision (every import and edit re-indexes, which counts one)."""
    trees = kept(session).setdefault("term_trees", {})
    found = trees.get(term_id)
    if found is None:
        found = list(session.connection().scalars(_TERM_TREE, {"term_id": term_id}))
        if not found:
            raise _unknown("taxonomy_term_id")
        trees[term_id] = found
    return found


def _open_services(query: SearchQuery, today: date) -> list[tuple[Select, object]]:
    """Ways a service can be open for the visit: a weekly schedule on the service, on its
    service_at_location, or on its location; each as (query of service ids, id column).

    ``byday`` holds iCalendar day codes ("MO,WE"); no two codes share letters in a way that
    makes ``LIKE '%MO%'`` match the wrong day.
    """
    conditions = [
        Schedule.byday.like(f"%{query.day}%"),
        or_(Schedule.freq.is_(None), Schedule.freq == "WEEKLY"),
        or_(Schedule.valid_from.is_(None), Schedule.valid_from <= today),
        or_(Schedule.valid_to.is_(None), Schedule.valid_to >= today),
    ]
    if query.start_time is not None:
        conditions.append(Schedule.opens_at <= query.start_time)
        if query.end_time is not None:
            conditions.append(Schedule.closes_at >= query.end_time)
        else:
            conditions.append(Schedule.closes_at > query.start_time)
    where = and_(*conditions)
    return [
        (select(Schedule.service_id).where(where), Schedule.service_id),
        (select(ServiceAtLocation.service_id).join(
            Schedule, Schedule.service_at_location_id == ServiceAtLocation.id).where(where),
         ServiceAtLocation.service_id),
        (select(ServiceAtLocation.service_id).join(
            Schedule, Schedule.location_id == ServiceAtLocation.location_id).where(where),
         ServiceAtLocation.service_id),
    ]


# --- Distance --------------------------------------------------------------------------------

def _nearest(origin: PostcodeLocation, points: Sequence[tuple],
             radius_m: float | None) -> dict[object, _Near]:
    """Per key, its nearest point within ``radius_m``, from (key, lat, lon, location_id)."""
    if not points:
        return {}
    lats = np.fromiter((p[1] for p in points), float, len(points))
    lons = np.fromiter((p[2] for p in points), float, len(points))
    distances = haversine_many_m(origin.lat, origin.lon, lats, lons).tolist()
    near: dict[object, _Near] = {}
    for (key, lat, lon, location_id), distance in zip(points, distances, strict=True):
        if radius_m is not None and distance > radius_m:
            continue
        best = near.get(key)
        if best is None or distance < best.distance_m:
            near[key] = _Near(distance, lat, lon, location_id)
    return near


def _matches_within(session: Session, plan: _Plan, *,
                    any_term: bool) -> tuple[list[ServiceRow], dict[str, _Near]]:
    """Services with a location within the radius that pass the filters and have the words:
    the engine finds the points in the box around the circle (``dialects``), then the exact
    distance is computed for the few rows left."""
    origin, radius = plan.origin, plan.query.proximity_m
    rows, points = dialect_of(session).points_in_box(
        session, bounding_box(origin.lat, origin.lon, radius), terms=plan.terms,
        stems=plan.stems, needs=plan.needs, filters=plan.filters, any_term=any_term)
    near = _nearest(origin, points, radius)
    return [row for row in rows if row[1] in near], near


def _nearest_points(session: Session, origin: PostcodeLocation,
                    rows: Sequence[ServiceRow]) -> dict[str, _Near]:
    """Each service's nearest location, however far: to rank by distance without a radius."""
    service_of = {row[0]: row[1] for row in rows}
    points = []
    search_ids = list(service_of)
    for i in range(0, len(search_ids), ID_BATCH):
        points += session.connection().execute(
            select(ServiceSearchPoint.search_id, ServiceSearchPoint.latitude,
                   ServiceSearchPoint.longitude, ServiceSearchPoint.location_id)
            .where(ServiceSearchPoint.search_id.in_(search_ids[i : i + ID_BATCH]))).all()
    return {service_of[search_id]: found
            for search_id, found in _nearest(origin, points, None).items()}


# --- Text ------------------------------------------------------------------------------------

def _vocabulary(session: Session, shortest: int, longest: int) -> list[str]:
    """The index's terms of a length in the range, sorted, from the vocabulary kept by this
    process until the next re-index (a few thousand words, read once)."""
    ranges = kept(session).setdefault("vocabulary", {})
    if not ranges:
        ranges["all"] = list(session.scalars(select(SearchTerm.term).order_by(SearchTerm.term)))
    found = ranges.get((shortest, longest))
    if found is None:
        found = ranges[(shortest, longest)] = [
            term for term in ranges["all"] if shortest <= len(term) <= longest]
    return found


def _corrected_terms(session: Session, terms: list[str]
                     ) -> tuple[list[str], list[str], dict[str, str]]:
    """Swap each word that occurs nowhere in the index for its closest index term, if any.

    Returns the words for the engine, their stems (an index term is a stem already) and the
    corrections made.
    """
    dialect = dialect_of(session)
    corrected, wanted, corrections = [], [], {}
    for term in terms:
        word_stem = stem(term)
        if len(term) >= 4 and term.isalpha() and not dialect.has_word(session, term):
            replacement = closest_term(term, _vocabulary(session, len(term) - 3, len(term) + 2))
            if replacement is not None:
                corrections[term] = replacement
                term = word_stem = replacement
        corrected.append(term)
        wanted.append(word_stem)
    return corrected, wanted, corrections


# --- Paging without ranking ------------------------------------------------------------------

def _stale_flag(plan: _Plan):
    return case((or_(ServiceSearch.assured_date.is_(None),
                     ServiceSearch.assured_date < plan.stale_before), 1), else_=0)


def _by_name_order(plan: _Plan) -> list:
    return [_stale_flag(plan), func.lower(ServiceSearch.name), ServiceSearch.service_id]


def _by_name(session: Session, plan: _Plan) -> SearchResult:
    """No words and no postcode: fresh listings first, then alphabetical, paged in SQL."""
    query = plan.query
    total = (session.scalar(select(func.count()).select_from(ServiceSearch)
                            .where(*plan.filters)) or 0)
    rows = session.execute(
        select(ServiceSearch.service_id, Service.name, ServiceSearch.organization_name,
               ServiceSearch.description, ServiceSearch.assured_date, _stale_flag(plan))
        .join(Service, Service.id == ServiceSearch.service_id)
        .where(*plan.filters)
        .order_by(*_by_name_order(plan))
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
    )
    hits = [SearchHit(sid, name, org, summary(description), assured, bool(is_old))
            for sid, name, org, description, assured, is_old in rows]
    return SearchResult(total, query.page, query.per_page, hits, None, plan.corrections)


def _details(session: Session, nearest: dict[str, str | None]) -> dict[str, Details]:
    """What a results page shows of each service (``nearest``: service id -> the id of its
    nearest location, or None): its own name, organisation, the start of its description and
    the nearest location's name. From the point index when this process holds it (a search
    near a postcode has just used it), so such a search reads nothing else; the rest from
    the database."""
    held = held_point_index(session)
    found = held.details(nearest) if held is not None else {}
    missing = {service_id: place for service_id, place in nearest.items()
               if service_id not in found}
    return found | _details_from_database(session, missing) if missing else found


# A results page's services and their nearest places, in one round trip (``UNION ALL``):
# on PostgreSQL each round trip is a noticeable share of a search's time. Built once, like
# ``dialects._within_statement``: constructing it cost as much as running it.
_DETAILS = union_all(
    select(literal("service"), ServiceSearch.service_id, Service.name,
           ServiceSearch.organization_name, ServiceSearch.description)
    .join(Service, Service.id == ServiceSearch.service_id)
    .where(ServiceSearch.service_id.in_(bindparam("services", expanding=True))),
    select(literal("place"), Location.id, Location.name, null(), null())
    .where(Location.id.in_(bindparam("places", expanding=True))),
)


def _details_from_database(session: Session, nearest: dict[str, str | None]
                           ) -> dict[str, Details]:
    """``_details`` read from the database (the index's ``name`` also holds the alternate
    name, to be searched, not shown, so the service's own name is read)."""
    if not nearest:
        return {}
    described, place_names = {}, {}
    for kind, id_, name, organization, description in session.connection().execute(
            _DETAILS, {"services": list(nearest),
                       "places": [place for place in nearest.values() if place]}):
        if kind == "service":
            described[id_] = (name, organization, summary(description))
        else:
            place_names[id_] = name
    return {service_id: (*described[service_id], place_names.get(place))
            for service_id, place in nearest.items() if service_id in described}


# --- What people can search for --------------------------------------------------------------

@dataclass(frozen=True)
class Need:
    id: str
    name: str
    parent_id: str | None


def needs(session: Session) -> list[Need]:
    """Taxonomy terms that at least one service has, with their broader terms, in tree order."""
    used = select(Attribute.id).where(Attribute.taxonomy_term_id == TaxonomyTerm.id,
                                      Attribute.link_entity == "service").exists()
    rows = {t.id: t for t in session.execute(
        select(TaxonomyTerm.id, TaxonomyTerm.name, TaxonomyTerm.parent_id).where(used))}
    missing = {t.parent_id for t in rows.values() if t.parent_id and t.parent_id not in rows}
    while missing:
        found = list(session.execute(
            select(TaxonomyTerm.id, TaxonomyTerm.name, TaxonomyTerm.parent_id)
            .where(TaxonomyTerm.id.in_(missing))))
        rows.update({t.id: t for t in found})
        missing = {t.parent_id for t in found if t.parent_id and t.parent_id not in rows}
    children: dict[str | None, list] = {}
    for term in rows.values():
        parent = term.parent_id if term.parent_id in rows else None
        children.setdefault(parent, []).append(term)
    ordered: list[Need] = []

    def walk(parent: str | None, depth: int) -> None:
        for term in sorted(children.get(parent, []), key=lambda t: t.name.lower()):
            ordered.append(Need(term.id, "– " * depth + term.name, parent))
            if depth < 5:
                walk(term.id, depth + 1)

    walk(None, 0)
    return ordered
