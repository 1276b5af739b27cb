"""How service suggestions for an onward referral are ranked: pure, no I/O.

The score is the directory's one scorer (``directory.ranking``) with the ``ONWARD_REFERRAL``
weights: how well a service meets the person's needs (weighted by how pressing each need is),
how near it is, whether it is open to referrals and how long people wait, how often it accepts
referrals, and whether it works in the person's language. Every suggestion carries the
plain-English reasons a link worker can check and explain to the person.
"""

from dataclasses import dataclass, field

from linkwell.directory import ranking as scorer


@dataclass
class Candidate:
    service_id: str
    name: str
    organization_id: str
    needs_met: set[str]
    distance_m: float | None
    capacity_status: str | None
    waiting_time_days: int | None
    accepted: int = 0
    decided: int = 0
    speaks_language: bool = False


@dataclass
class Suggestion:
    service_id: str
    name: str
    organization_id: str
    score: float
    reasons: list[str] = field(default_factory=list)
    needs_met: list[str] = field(default_factory=list)
    distance_m: float | None = None
    capacity_status: str | None = None


def score(candidate: Candidate, needs: dict[str, int], needs_labels: dict[str, str],
          language: str | None) -> Suggestion:
    met = sorted(candidate.needs_met, key=lambda n: -needs.get(n, 0))
    reasons = [f"Meets {', '.join(needs_labels.get(n, n).lower() for n in met)}"]
    reasons += scorer.service_reasons(candidate.distance_m, candidate.capacity_status,
                                      candidate.waiting_time_days)
    if candidate.decided:
        reasons.append(f"Accepted {candidate.accepted} of {candidate.decided} referrals")
    speaks = bool(language) and candidate.speaks_language
    if speaks:
        reasons.append(f"Works in {language}")
    total = scorer.score(
        scorer.ONWARD_REFERRAL, need=scorer.need_share(candidate.needs_met, needs),
        distance_m=candidate.distance_m, capacity_status=candidate.capacity_status,
        waiting_time_days=candidate.waiting_time_days,
        acceptance=scorer.acceptance_rate(candidate.accepted, candidate.decided), language=speaks)
    return Suggestion(candidate.service_id, candidate.name, candidate.organization_id,
                      round(total, 4), reasons, met, candidate.distance_m,
                      candidate.capacity_status)


def rank(candidates: list[Candidate], needs: dict[str, int], needs_labels: dict[str, str],
         language: str | None, limit: int) -> list[Suggestion]:
    scored = [score(c, needs, needs_labels, language) for c in candidates]
    scored.sort(key=lambda s: (-s.score, s.name, s.service_id))
    return scored[:limit]
