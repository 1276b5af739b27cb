"""The one scorer for ranking directory services for a person: pure arithmetic, no I/O.

Two uses rank services with it, each with its own named weights: routing an advice triage to
advice providers (``advice.ranking``) and suggesting services for an onward referral
(``referrals.ranking``). Every part is a number from 0 (worst) to 1 (best); the score is the
weighted sum of the parts, less a penalty for a listing nobody has checked. The uses keep only
what is theirs: which facts they know about a candidate, the reasons they show, and the order
rules on top of the score. The reasons both show about distance, capacity and waiting are
worded once, here.
"""

from dataclasses import dataclass, replace

from linkwell.directory.search_query import describe_distance

NEAR_KM = 3.0  # nearness halves at this distance
WAIT_DAYS = 14.0  # so does the waiting-time part at this wait


@dataclass(frozen=True)
class Weights:
    """How much each part counts in one use."""

    need: float  # share of the person's needs (or problems) the service meets
    distance: float
    capacity: float  # open to referrals
    waiting: float
    acceptance: float = 0.0  # how often it accepts referrals
    language: float = 0.0  # works in the person's language
    legal_aid: float = 0.0  # can offer legal aid for a problem in scope
    eligibility: float = 0.0  # serves the person's borough
    stale: float = 0.0  # taken off when nobody has checked the listing for a year
    unlocated: float = 0.5  # the distance part of a service with no fixed location
    not_said: float = 0.7  # the capacity part of a service that has not said
    stale_waiting_unknown: bool = False  # a stale listing's waiting time counts as unknown


ONWARD_REFERRAL = Weights(need=0.45, distance=0.25, capacity=0.10, waiting=0.05,
                          acceptance=0.10, language=0.05)
ADVICE_ROUTING = Weights(need=0.40, distance=0.22, capacity=0.12, waiting=0.08, language=0.08,
                         legal_aid=0.10, eligibility=0.05, stale=0.05, unlocated=0.4,
                         not_said=0.6, stale_waiting_unknown=True)
# An urgent problem: waiting counts for more, and distance for less.
ADVICE_ROUTING_URGENT = replace(ADVICE_ROUTING, distance=0.15, waiting=0.15)


def acceptance_rate(accepted: int, decided: int) -> float:
    """Laplace-smoothed, so a new service starts at 0.5 rather than 0 or 1."""
    return (accepted + 1) / (decided + 2)


def need_share(met: set[str], needs: dict[str, float]) -> float:
    """The share of the person's needs (each weighted: how pressing, how confident) met."""
    return sum(needs.get(n, 0) for n in met) / (sum(needs.values()) or 1)


def score(weights: Weights, *, need: float, distance_m: float | None,
          capacity_status: str | None, waiting_time_days: int | None, stale: bool = False,
          acceptance: float = 0.0, language: bool = False, legal_aid: bool = False,
          eligible: bool = False) -> float:
    """The weighted score of one service for one person."""
    nearness = (weights.unlocated if distance_m is None
                else 1 / (1 + distance_m / 1000 / NEAR_KM))
    capacity = {"open": 1.0, "paused": 0.0}.get(capacity_status or "", weights.not_said)
    if waiting_time_days is None or (stale and weights.stale_waiting_unknown):
        waiting = 0.5
    else:
        waiting = 1 / (1 + waiting_time_days / WAIT_DAYS)
    return (weights.need * need + weights.distance * nearness + weights.capacity * capacity
            + weights.waiting * waiting + weights.acceptance * acceptance
            + weights.language * language + weights.legal_aid * legal_aid
            + weights.eligibility * eligible - (weights.stale if stale else 0.0))


def distance_reason(distance_m: float | None) -> str:
    if distance_m is None:
        return "No fixed location (phone, online or outreach)"
    return f"{describe_distance(distance_m)} away"


def capacity_reason(capacity_status: str | None) -> str:
    if capacity_status == "open":
        return "Open to referrals"
    if capacity_status == "paused":
        return "Paused: not taking referrals now"
    return "Has not said whether it is taking referrals"


def service_reasons(distance_m: float | None, capacity_status: str | None,
                    waiting_time_days: int | None) -> list[str]:
    """What both uses say of every candidate, in this order: where it is, whether it is open
    to referrals, and how long people wait (``None``: not known, so not said)."""
    reasons = [distance_reason(distance_m), capacity_reason(capacity_status)]
    if waiting_time_days is not None:
        reasons.append(waiting_reason(waiting_time_days))
    return reasons


def waiting_reason(waiting_time_days: int) -> str:
    if waiting_time_days == 0:
        return "No waiting list"
    return f"Waiting time about {waiting_time_days} day{'s' if waiting_time_days != 1 else ''}"
