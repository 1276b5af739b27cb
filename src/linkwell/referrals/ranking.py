"""How service suggestions are ranked for one person: pure scoring, no I/O.

The score mixes how well a service meets the person's needs (weighted by how pressing each
need is), how near it is, whether it is open to referrals and how long people wait, how often
it accepts referrals, and whether it works in the person's language. Every suggestion carries
the plain-English reasons a link worker can check and explain to the person.
"""

from dataclasses import dataclass, field

WEIGHTS = {"need": 0.45, "distance": 0.25, "capacity": 0.10, "waiting": 0.05,
           "acceptance": 0.10, "language": 0.05}


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


def acceptance_rate(accepted: int, decided: int) -> float:
    """Laplace-smoothed, so a new service starts at 0.5 rather than 0 or 1."""
    return (accepted + 1) / (decided + 2)


def score(candidate: Candidate, needs: dict[str, int], needs_labels: dict[str, str],
          language: str | None) -> Suggestion:
    total_need = sum(needs.values()) or 1
    met = sorted(candidate.needs_met, key=lambda n: -needs.get(n, 0))
    need_part = sum(needs.get(n, 0) for n in met) / total_need
    reasons = [f"Meets {', '.join(needs_labels.get(n, n).lower() for n in met)}"]
    if candidate.distance_m is None:
        distance_part = 0.5
        reasons.append("No fixed location (phone, online or outreach)")
    else:
        km = candidate.distance_m / 1000
        distance_part = 1 / (1 + km / 3)
        reasons.append(f"{km:.1f} km from the person's postcode")
    if candidate.capacity_status == "paused":
        capacity_part = 0.0
        reasons.append("Paused: not taking referrals now")
    elif candidate.capacity_status == "open":
        capacity_part = 1.0
        reasons.append("Open to referrals")
    else:
        capacity_part = 0.7
    if candidate.waiting_time_days is None:
        waiting_part = 0.5
    else:
        waiting_part = 1 / (1 + candidate.waiting_time_days / 14)
        reasons.append(f"Waiting time about {candidate.waiting_time_days} days")
    rate = acceptance_rate(candidate.accepted, candidate.decided)
    if candidate.decided:
        reasons.append(f"Accepted {candidate.accepted} of {candidate.decided} referrals")
    language_part = 0.0
    if language and candidate.speaks_language:
        language_part = 1.0
        reasons.append(f"Works in {language}")
    total = (WEIGHTS["need"] * need_part + WEIGHTS["distance"] * distance_part
             + WEIGHTS["capacity"] * capacity_part + WEIGHTS["waiting"] * waiting_part
             + WEIGHTS["acceptance"] * rate + WEIGHTS["language"] * language_part)
    return Suggestion(candidate.service_id, candidate.name, candidate.organization_id,
                      round(total, 4), reasons, met, candidate.distance_m,
                      candidate.capacity_status)


def rank(candidates: list[Candidate], needs: dict[str, int], needs_labels: dict[str, str],
         language: str | None, limit: int) -> list[Suggestion]:
    scored = [score(c, needs, needs_labels, language) for c in candidates]
    scored.sort(key=lambda s: (-s.score, s.name, s.service_id))
    return scored[:limit]
