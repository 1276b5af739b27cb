"""Routing a triage to advice providers in the directory.

Each problem category maps to a term of the Linkwell taxonomy (``directory.taxonomy``); the
directory's own search finds active services with that term near the postcode, and one more
query reads what ranking needs (capacity, languages, legal aid signs, eligibility). The pure
``ranking`` module orders them and says why.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from linkwell.advice import ranking
from linkwell.advice.triage import TriageResult
from linkwell.directory import taxonomy
from linkwell.directory.models import (
    Attribute,
    Language,
    Organization,
    Service,
    ServiceCapacity,
    TaxonomyTerm,
)
from linkwell.directory.search import search_services
from linkwell.directory.search_query import SearchQuery
from linkwell.errors import NotFound
from linkwell.geo.models import Borough

CATEGORY_TERMS = {
    "debt": "debt", "welfare_benefits": "welfare-benefits", "housing": "housing",
    "employment": "employment", "immigration": "immigration",
    "community_care": "community-care", "education": "education",
    "discrimination": "discrimination", "other": "advice",
}
# An HSDS attribute with one of these taxonomy term codes marks a legal aid contract.
LEGAL_AID_TERM_CODES = ("legal-aid", "legal-aid-contract")
RADIUS_M = 10_000
PER_CATEGORY = 50


def find_providers(session: Session, result: TriageResult, *, postcode: str | None,
                   language: str | None, stale_after_days: int, limit: int = 5
                   ) -> tuple[list[ranking.Provider], list[str]]:
    """Ranked providers for a triage and notes for the person (unknown postcode, none found)."""
    notes: list[str] = []
    codes = result.codes or ["other"]
    confidences = {c.code: c.confidence for c in result.categories} or {"other": 1.0}
    wanted = {CATEGORY_TERMS[c]: c for c in codes}
    present = set(session.scalars(select(TaxonomyTerm.code).where(
        TaxonomyTerm.id.in_([taxonomy.term_id(t) for t in wanted]))))
    if not present:
        return [], ["No advice providers are listed in the directory for this yet."]

    origin_ok = postcode
    borough: str | None = None
    candidates: dict[str, ranking.Candidate] = {}
    for term_code, category in wanted.items():
        if term_code not in present:
            continue
        query = SearchQuery(taxonomy_term_id=taxonomy.term_id(term_code), postcode=origin_ok,
                            proximity_m=RADIUS_M if origin_ok else None,
                            per_page=PER_CATEGORY)
        try:
            found = search_services(session, query, stale_after_days=stale_after_days)
        except NotFound:
            notes.append("We could not find that postcode, so providers are not sorted by "
                         "distance.")
            origin_ok = None
            found = search_services(session, SearchQuery(
                taxonomy_term_id=taxonomy.term_id(term_code), per_page=PER_CATEGORY),
                stale_after_days=stale_after_days)
        if origin_ok and not found.hits:
            found = search_services(session, SearchQuery(
                taxonomy_term_id=taxonomy.term_id(term_code), postcode=origin_ok,
                per_page=PER_CATEGORY), stale_after_days=stale_after_days)
        if found.origin is not None:
            borough = found.origin.lad_name
        for hit in found.hits:
            candidate = candidates.get(hit.service_id)
            if candidate is None:
                candidates[hit.service_id] = ranking.Candidate(
                    hit.service_id, hit.name, hit.organization_name, {category},
                    hit.distance_m, None, None, stale=hit.stale)
            else:
                candidate.categories_met.add(category)
    if not candidates:
        return [], notes + ["No advice providers for this problem are listed nearby."]
    _add_details(session, candidates)
    if borough:
        _match_borough(session, candidates, borough)
    in_scope = {code for code, indication in result.legal_aid_by_category.items()
                if indication.value in ("likely_in_scope", "possibly_in_scope")}
    providers = ranking.rank(list(candidates.values()), confidences,
                             legal_aid_categories=in_scope, urgent=result.urgent,
                             language=language, limit=limit)
    return providers, notes


def categories_of_service(session: Session, service_id: str) -> set[str]:
    """The advice categories a directory service is tagged with."""
    by_term = {term: category for category, term in CATEGORY_TERMS.items()}
    codes = session.scalars(
        select(TaxonomyTerm.code).join(Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.link_entity == "service", Attribute.link_id == service_id))
    return {by_term[c] for c in codes if c in by_term}


def _match_borough(session: Session, candidates: dict[str, ranking.Candidate],
                   borough: str) -> None:
    """Read borough names in each service's eligibility ("live, work or study in Hackney")."""
    names = [n for n in session.scalars(select(Borough.name)) if n]
    for candidate in candidates.values():
        text = (candidate.eligibility or "").casefold()
        mentioned = {n for n in names if n.casefold() in text}
        if mentioned:
            candidate.borough = borough
            candidate.serves_borough = borough in mentioned


def _add_details(session: Session, candidates: dict[str, ranking.Candidate]) -> None:
    ids = list(candidates)
    rows = session.execute(
        select(Service.id, Service.organization_id, Organization.name,
               Service.eligibility_description, Service.url, Service.email,
               ServiceCapacity.status, ServiceCapacity.waiting_time_days)
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .where(Service.id.in_(ids)))
    organization_of: dict[str, str] = {}
    for sid, org_id, org_name, eligibility, url, email, status, waiting in rows:
        candidate = candidates[sid]
        organization_of[sid] = org_id
        candidate.capacity_status, candidate.waiting_time_days = status, waiting
        candidate.eligibility, candidate.url, candidate.email = eligibility, url, email
        if org_name and "law centre" in org_name.casefold():
            candidate.legal_aid = "a Law Centre; Law Centres usually hold legal aid contracts"
    for sid, name in session.execute(
            select(Language.service_id, Language.name).where(Language.service_id.in_(ids))
            .order_by(Language.name)):
        if name:
            candidates[sid].languages.append(name)
    linked = session.execute(
        select(Attribute.link_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(TaxonomyTerm.code.in_(LEGAL_AID_TERM_CODES),
               or_(Attribute.link_id.in_(ids),
                   Attribute.link_id.in_(list(set(organization_of.values()))))))
    marked = {link_id for (link_id,) in linked}
    for sid, candidate in candidates.items():
        if sid in marked or organization_of.get(sid) in marked:
            candidate.legal_aid = "listed with a legal aid contract"
