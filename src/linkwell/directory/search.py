"""The one directory search behind the Open Referral UK API and the "Find support" pages.

Free text runs on the database's own full-text engine (FTS5 with the porter stemmer on SQLite,
``english`` text search on PostgreSQL; see ``search_index``), so "befriend" finds
"befriending" and "benefits" finds "benefit". A word that matches nothing is swapped for the
closest word in the index vocabulary ("benifits" -> "benefit"). Distance uses the indexed
location latitude/longitude in a bounding box first, then the exact haversine distance.
Ordering (fresh before stale, then relevance blended with nearness) is ``query.rank``.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from linkwell.db import utcnow
from linkwell.directory.models import (
    UUID_LENGTH,
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from linkwell.directory.query import (
    Hit,
    SearchQuery,
    closest_term,
    fts5_match,
    is_stale,
    page_slice,
    rank,
    relevance,
    validate,
    websearch_text,
)
from linkwell.directory.search_index import (
    SearchTerm,
    ServiceSearch,
    ServiceSearchPoint,
    lat_band,
)
from linkwell.directory.stemming import stem
from linkwell.errors import InvalidInput
from linkwell.geo.distance import EARTH_RADIUS_M, bounding_box
from linkwell.geo.queries import PostcodeLocation, lookup_postcode

ACTIVE = "active"
PG_CONFIG = literal_column("'english'::regconfig")
PG_DOCUMENT = literal_column("service_search.fts_document")
ID_BATCH = 5_000


@dataclass
class SearchHit:
    """One service in the results, with what a results list shows about it."""

    service_id: str
    name: str
    organization_name: str | None
    description: str | None
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
    point_id: int


@dataclass
class _Plan:
    """A validated query turned into SQL filters, an origin and the words to match."""

    query: SearchQuery
    today: date
    stale_after_days: int
    origin: PostcodeLocation | None
    near: dict[str, _Near] | None
    filters: list
    terms: list[str]
    stems: list[str]
    corrections: dict[str, str]

    @property
    def stale_before(self) -> date:
        return self.today - timedelta(days=self.stale_after_days)

    @property
    def ranked(self) -> bool:
        return bool(self.terms) or self.origin is not None


def _plan(session: Session, query: SearchQuery, stale_after_days: int,
          today: date | None) -> _Plan:
    validate(query)
    today = today or utcnow().date()
    origin = lookup_postcode(session, query.postcode) if query.postcode else None
    near: dict[str, _Near] | None = None
    if origin is not None and query.proximity_m:
        near = _within(session, origin, query.proximity_m)
    filters = _filters(session, query, today, near)
    terms, wanted, corrections = _corrected_terms(session, query.terms)
    return _Plan(query, today, stale_after_days, origin, near, filters, terms, wanted,
                 corrections)


def search_services(session: Session, query: SearchQuery, *, stale_after_days: int,
                    today: date | None = None) -> SearchResult:
    """Services matching ``query``, one page of them, best first.

    Raises InvalidInput for a query that cannot be answered (including unknown taxonomy ids
    and malformed postcodes) and NotFound for a well-formed postcode that is not known.
    """
    plan = _plan(session, query, stale_after_days, today)
    if not plan.ranked:
        return _by_name(session, plan)
    ranked, near = _ranked(session, plan)
    chosen = page_slice(ranked, query.page, query.per_page)
    details = _details(session, [h.service_id for h in chosen])
    names = _location_names(session, [near[h.service_id].point_id for h in chosen
                                      if h.service_id in near])
    page = []
    for hit in chosen:
        organization_name, description = details[hit.service_id]
        point = near.get(hit.service_id)
        page.append(SearchHit(
            hit.service_id, hit.name, organization_name, description, hit.assured_date,
            hit.stale, hit.distance_m,
            names.get(point.point_id) if point else None,
            point.latitude if point else None,
            point.longitude if point else None,
        ))
    return SearchResult(len(ranked), query.page, query.per_page, page, plan.origin,
                        plan.corrections)


def search_service_ids(session: Session, query: SearchQuery, *, stale_after_days: int,
                       today: date | None = None) -> list[str]:
    """Every matching service id, best first (``page``/``per_page`` are ignored)."""
    plan = _plan(session, query, stale_after_days, today)
    if not plan.ranked:
        return list(session.scalars(
            select(ServiceSearch.service_id).where(*plan.filters).order_by(*_by_name_order(plan))))
    return [hit.service_id for hit in _ranked(session, plan)[0]]


def _ranked(session: Session, plan: _Plan) -> tuple[list[Hit], dict[str, _Near]]:
    rows = _candidates(session, plan, any_term=False)
    if not rows and len(plan.terms) > 1:
        rows = _candidates(session, plan, any_term=True)
    near = plan.near
    if near is not None:
        rows = [row for row in rows if row[0] in near]
    if plan.origin is not None and near is None:
        near = _nearest_points(session, plan.origin, [row[0] for row in rows])
    near = near or {}
    hits = [
        Hit(service_id, name, relevance,
            near[service_id].distance_m if service_id in near else None, assured,
            is_stale(assured, today=plan.today, stale_after_days=plan.stale_after_days))
        for service_id, name, assured, relevance in rows
    ]
    return rank(hits, proximity_m=plan.query.proximity_m), near


# --- Filters ---------------------------------------------------------------------------------

def _filters(session: Session, query: SearchQuery, today: date,
             near: dict[str, "_Near"] | None) -> list:
    few = near is not None and len(near) <= ID_BATCH
    filters = [ServiceSearch.status == ACTIVE]
    if query.taxonomy_term_id is not None:
        terms = _term_and_descendants(session, query.taxonomy_term_id)
        filters.append(_has(
            select(Attribute.link_id).where(Attribute.link_entity == "service",
                                            Attribute.taxonomy_term_id.in_(terms)),
            Attribute.link_id, few))
    if query.taxonomy_id is not None:
        if session.get(Taxonomy, query.taxonomy_id) is None:
            raise _unknown("taxonomy_id")
        filters.append(_has(
            select(Attribute.link_id)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .where(Attribute.link_entity == "service",
                   TaxonomyTerm.taxonomy_id == query.taxonomy_id),
            Attribute.link_id, few))
    if query.organization_id is not None:
        filters.append(_has(
            select(Service.id).where(Service.organization_id == query.organization_id),
            Service.id, few))
    if query.minimum_age is not None:
        filters.append(or_(ServiceSearch.minimum_age.is_(None),
                           ServiceSearch.minimum_age <= query.minimum_age))
    if query.maximum_age is not None:
        filters.append(or_(ServiceSearch.maximum_age.is_(None),
                           ServiceSearch.maximum_age >= query.maximum_age))
    if query.day is not None:
        filters.append(or_(*(_has(branch, column, few)
                             for branch, column in _open_services(query, today))))
    if few:
        # Larger sets are applied after the query (``_ranked``): bound parameters are finite.
        filters.append(_among(session, list(near)))
    return filters


def _among(session: Session, service_ids: list[str]):
    """``service_id`` in a list passed as one parameter (a JSON array on SQLite, an array on
    PostgreSQL), so a thousand ids cost one bind rather than a thousand."""
    if _is_postgresql(session):
        return ServiceSearch.service_id == func.any(
            literal(service_ids, ARRAY(String(UUID_LENGTH))))
    return ServiceSearch.service_id.in_(
        select(literal_column("value")).select_from(func.json_each(json.dumps(service_ids))))


def _has(statement: Select, service_id, few: bool):
    """``service_id IN (statement)``; when a postcode has left only a few services, a
    correlated EXISTS per service instead, so the database probes its index a few hundred
    times rather than listing every service with, say, a common taxonomy term."""
    if few:
        return statement.where(service_id == ServiceSearch.service_id).exists()
    return ServiceSearch.service_id.in_(statement)


def _unknown(name: str) -> InvalidInput:
    return InvalidInput(f"{name} is not a known id in this directory",
                        errors=[{"loc": ["query", name], "msg": "unknown id"}])


def _term_and_descendants(session: Session, term_id: str) -> list[str]:
    """A need chosen from the taxonomy includes its narrower terms ("Money" -> "Debt")."""
    if session.get(TaxonomyTerm, term_id) is None:
        raise _unknown("taxonomy_term_id")
    found, frontier = [term_id], [term_id]
    while frontier and len(found) < 10_000:
        frontier = [t for t in session.scalars(
            select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id.in_(frontier)))
            if t not in found]
        found += frontier
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

def _points(session: Session, statement: Select, origin: PostcodeLocation,
            radius_m: float | None) -> dict[str, _Near]:
    rows = session.connection().execute(statement).all()
    if not rows:
        return {}
    lats = np.fromiter((r[1] for r in rows), float, len(rows))
    lons = np.fromiter((r[2] for r in rows), float, len(rows))
    distances = _haversine_m(origin.lat, origin.lon, lats, lons)
    near: dict[str, _Near] = {}
    for (service_id, lat, lon, point_id), distance in zip(rows, distances.tolist(), strict=True):
        if radius_m is not None and distance > radius_m:
            continue
        best = near.get(service_id)
        if best is None or distance < best.distance_m:
            near[service_id] = _Near(distance, lat, lon, point_id)
    return near


def _haversine_m(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """``geo.distance.haversine_m`` for many points at once (a postcode's 2 km holds ~1,000)."""
    phi1, phi2 = math.radians(lat), np.radians(lats)
    a = (np.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lons - lon) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


_POINTS = select(ServiceSearchPoint.service_id, ServiceSearchPoint.latitude,
                 ServiceSearchPoint.longitude, ServiceSearchPoint.id)


def _within(session: Session, origin: PostcodeLocation, radius_m: float) -> dict[str, _Near]:
    """Services with a location within ``radius_m``: the box's latitude bands, each a short
    longitude range in the covering index, then the exact distance."""
    box = bounding_box(origin.lat, origin.lon, radius_m)
    bands = list(range(lat_band(box.min_lat), lat_band(box.max_lat) + 1))
    statement = _POINTS.where(ServiceSearchPoint.lat_band.in_(bands),
                              ServiceSearchPoint.longitude.between(box.min_lon, box.max_lon),
                              ServiceSearchPoint.latitude.between(box.min_lat, box.max_lat))
    return _points(session, statement, origin, radius_m)


def _nearest_points(session: Session, origin: PostcodeLocation,
                    service_ids: Sequence[str]) -> dict[str, _Near]:
    near: dict[str, _Near] = {}
    for i in range(0, len(service_ids), ID_BATCH):
        batch = list(service_ids[i : i + ID_BATCH])
        near.update(_points(session, _POINTS.where(ServiceSearchPoint.service_id.in_(batch)),
                            origin, None))
    return near


def _location_names(session: Session, points: list[int]) -> dict[int, str | None]:
    """Names of the nearest locations, for the page of results only."""
    if not points:
        return {}
    return dict(session.execute(
        select(ServiceSearchPoint.id, Location.name)
        .join(Location, Location.id == ServiceSearchPoint.location_id)
        .where(ServiceSearchPoint.id.in_(points))).all())


# --- Text ------------------------------------------------------------------------------------

def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _term_found(session: Session, term: str) -> bool:
    if _is_postgresql(session):
        return bool(session.scalar(
            text("SELECT numnode(plainto_tsquery('english'::regconfig, :t)) = 0 OR EXISTS ("
                 "SELECT 1 FROM service_search "
                 "WHERE fts_document @@ plainto_tsquery('english'::regconfig, :t))"),
            {"t": term}))
    return session.scalar(
        text("SELECT 1 FROM service_fts WHERE service_fts MATCH :m LIMIT 1"),
        {"m": fts5_match([term])}) is not None


def _corrected_terms(session: Session, terms: list[str]
                     ) -> tuple[list[str], list[str], dict[str, str]]:
    """Swap each word that occurs nowhere in the index for its closest index term, if any.

    Returns the words for the engine, their stems (an index term is a stem already) and the
    corrections made.
    """
    corrected, wanted, corrections = [], [], {}
    for term in terms:
        word_stem = stem(term)
        if len(term) >= 4 and term.isalpha() and not _term_found(session, term):
            vocabulary = session.scalars(
                select(SearchTerm.term).where(
                    SearchTerm.term.like(term[0] + "%"),
                    func.length(SearchTerm.term).between(len(term) - 3, len(term) + 2)))
            replacement = closest_term(term, vocabulary)
            if replacement is not None:
                corrections[term] = replacement
                term = word_stem = replacement
        corrected.append(term)
        wanted.append(word_stem)
    return corrected, wanted, corrections


def _candidates(session: Session, plan: "_Plan", *,
                any_term: bool) -> list[tuple[str, str, date | None, float | None]]:
    """(service_id, name, assured_date, relevance) of every service passing the filters.

    The engine's full-text index finds the services with the words, except on SQLite when a
    postcode has narrowed the search to a few hundred services: their stored stems are then
    compared with ``LIKE``, which costs less than FTS5 listing every service that says
    "advice".
    """
    columns = [ServiceSearch.service_id, ServiceSearch.name, ServiceSearch.assured_date,
               ServiceSearch.stems]
    terms, wanted = plan.terms, plan.stems
    if not terms:
        statement = select(*columns).where(*plan.filters)
    elif _is_postgresql(session):
        tsquery = func.websearch_to_tsquery(PG_CONFIG, websearch_text(terms, any_term=any_term))
        statement = select(*columns).where(PG_DOCUMENT.op("@@")(tsquery), *plan.filters)
    elif plan.near is not None and len(plan.near) <= ID_BATCH:
        # Stems are stored as " n:stem t:stem ..."; each wanted stem may be in any field.
        padded = " " + func.coalesce(ServiceSearch.stems, "") + " "
        found = [padded.like(f"% _:{wanted_stem} %") for wanted_stem in wanted]
        statement = select(*columns).where(or_(*found) if any_term else and_(*found),
                                           *plan.filters)
    else:
        fts = (text("SELECT rowid FROM service_fts WHERE service_fts MATCH :match")
               .bindparams(match=fts5_match(terms, any_term=any_term))
               .columns(rowid=Integer))
        statement = select(*columns).where(ServiceSearch.id.in_(fts), *plan.filters)
    return [(service_id, name, assured,
             relevance(wanted, set((stored or "").split())) if terms else None)
            for service_id, name, assured, stored in session.connection().execute(statement)]


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
        select(ServiceSearch.service_id, ServiceSearch.name, ServiceSearch.organization_name,
               ServiceSearch.description, ServiceSearch.assured_date, _stale_flag(plan))
        .where(*plan.filters)
        .order_by(*_by_name_order(plan))
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
    )
    hits = [SearchHit(sid, name, org, description, assured, bool(is_old))
            for sid, name, org, description, assured, is_old in rows]
    return SearchResult(total, query.page, query.per_page, hits, None, plan.corrections)


def _details(session: Session, service_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    if not service_ids:
        return {}
    rows = session.execute(
        select(ServiceSearch.service_id, ServiceSearch.organization_name,
               ServiceSearch.description).where(ServiceSearch.service_id.in_(service_ids)))
    return {sid: (org, description) for sid, org, description in rows}


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
