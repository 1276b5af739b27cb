"""How advice providers are ranked for one triage: pure scoring with reasons, no I/O.

The score is the directory's one scorer (``directory.ranking``) with the ``ADVICE_ROUTING``
weights (``ADVICE_ROUTING_URGENT`` when the case is urgent, where waiting counts for more).
It mixes how much of the person's problem a provider covers (weighted by the triage
confidence of each category), distance, whether it is open to referrals and how long people
wait, whether it can offer legal aid when the problem looks in scope, and whether it works in
the person's language. Paused services, and services whose eligibility names only other
boroughs, are listed after the rest whatever their score: a referral they cannot take helps
nobody.
"""

from dataclasses import dataclass, field

from linkwell.advice.categories import BY_CODE
from linkwell.directory import ranking as scorer
from linkwell.directory.search_query import METRES_PER_MILE


@dataclass
class Candidate:
    service_id: str
    name: str
    organization_name: str | None
    categories_met: set[str]
    distance_m: float | None
    capacity_status: str | None
    waiting_time_days: int | None
    languages: list[str] = field(default_factory=list)
    legal_aid: str | None = None  # why we think it offers legal aid, or None
    stale: bool = False
    eligibility: str | None = None
    url: str | None = None
    email: str | None = None
    # True: eligibility names the person's borough; False: it names only other boroughs.
    serves_borough: bool | None = None
    borough: str | None = None


@dataclass
class Provider:
    candidate: Candidate
    score: float
    reasons: list[str]

    def as_dict(self) -> dict:
        c = self.candidate
        return {
            "service_id": c.service_id, "name": c.name, "organization": c.organization_name,
            "categories": sorted(c.categories_met),
            "distance_miles": None if c.distance_m is None
            else round(c.distance_m / METRES_PER_MILE, 1),
            "capacity": c.capacity_status, "waiting_time_days": c.waiting_time_days,
            "languages": c.languages, "legal_aid_provider": c.legal_aid is not None,
            "url": c.url, "email": c.email, "score": round(self.score, 3),
            "reasons": self.reasons,
        }


def score(candidate: Candidate, confidences: dict[str, float], *,
          legal_aid_categories: set[str], urgent: bool, language: str | None) -> Provider:
    """``legal_aid_categories``: the person's problems that look in scope for legal aid."""
    met = sorted(candidate.categories_met, key=lambda c: -confidences.get(c, 0))
    reasons = ["Advises on " + ", ".join(BY_CODE[c].label.lower() for c in met)]
    # A waiting time on a listing nobody has checked for a year says nothing.
    reasons += scorer.service_reasons(candidate.distance_m, candidate.capacity_status,
                                      None if candidate.stale else candidate.waiting_time_days)
    legal_aid = bool(candidate.legal_aid and candidate.categories_met & legal_aid_categories)
    if legal_aid:
        reasons.append(f"Can offer legal aid ({candidate.legal_aid})")
    if candidate.serves_borough is True:
        reasons.append(f"Serves {candidate.borough}, where you are")
    elif candidate.serves_borough is False:
        reasons.append(f"May only serve other boroughs, not {candidate.borough}")
    speaks = bool(language) and any(language.casefold() == n.casefold()
                                    for n in candidate.languages)
    if speaks:
        reasons.append(f"Works in {language}")
    if candidate.stale:
        reasons.append("Listing not checked for over a year: confirm before referring")
    if candidate.eligibility:
        reasons.append(f"Check eligibility: {candidate.eligibility}")
    total_score = scorer.score(
        scorer.ADVICE_ROUTING_URGENT if urgent else scorer.ADVICE_ROUTING,
        need=scorer.need_share(candidate.categories_met, confidences),
        distance_m=candidate.distance_m, capacity_status=candidate.capacity_status,
        waiting_time_days=candidate.waiting_time_days, stale=candidate.stale,
        language=speaks, legal_aid=legal_aid, eligible=candidate.serves_borough is True)
    return Provider(candidate, total_score, reasons)


def rank(candidates: list[Candidate], confidences: dict[str, float], *,
         legal_aid_categories: set[str], urgent: bool, language: str | None,
         limit: int) -> list[Provider]:
    """Best first: open and eligible before paused or other boroughs' services, then by
    score, then by name for a stable order."""
    scored = [score(c, confidences, legal_aid_categories=legal_aid_categories, urgent=urgent,
                    language=language) for c in candidates]
    scored.sort(key=lambda p: (p.candidate.capacity_status == "paused",
                               p.candidate.serves_borough is False, -p.score,
                               p.candidate.name, p.candidate.service_id))
    # One listing per service as people see it: the same name from the same organisation
    # (listed once per problem or per site) is shown once, at its best place.
    seen: set[tuple[str, str]] = set()
    unique = []
    for provider in scored:
        key = (provider.candidate.name.casefold(),
               (provider.candidate.organization_name or "").casefold())
        if key not in seen:
            seen.add(key)
            unique.append(provider)
    return unique[:limit]
