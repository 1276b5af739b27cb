"""Cost per person from the cost of delivering the service only (no I/O).

A programme's commissions are delivery (link worker posts, grants to providers) or research
(research, evaluation, review), the cost category of ``commissioning`` (migration 0021). Only
delivery cost enters cost per person; research and review commissions are shown beside it,
apart. A combined value counts as delivery only when every commission it covers is delivery.
"""

from dataclasses import dataclass

from linkwell.commissioning.domain import CostCategory, ProgrammeState
from linkwell.commissioning.money import Money, format_pence
from linkwell.evaluation.disclosure import THRESHOLD, Audience


@dataclass(frozen=True)
class ProgrammeCost:
    title: str
    delivery_pence: int
    delivery_unknown: int  # delivery commissions whose value is not yet known
    research_pence: int
    research_unknown: int


def programme_cost(state: ProgrammeState) -> ProgrammeCost:
    """Known delivery and research cost of a programme's commissions, each counted once."""
    sums = {CostCategory.DELIVERY: [0, 0], CostCategory.RESEARCH: [0, 0]}

    def add(category: CostCategory, amount) -> None:
        if isinstance(amount, Money):
            sums[category][0] += amount.pence
        else:
            sums[category][1] += 1

    for commission in state.commissions:
        if commission.combined_value_id is None:
            add(commission.cost_category, commission.value)
    for combined in state.combined_values:
        members = state.members(combined.id)
        if members:
            delivery = all(c.cost_category == CostCategory.DELIVERY for c in members)
            add(CostCategory.DELIVERY if delivery else CostCategory.RESEARCH, combined.amount)
    (dp, du), (rp, ru) = sums[CostCategory.DELIVERY], sums[CostCategory.RESEARCH]
    return ProgrammeCost(state.title, dp, du, rp, ru)


def cost_rows(programmes: list[ProgrammeCost]) -> list[dict]:
    return [{"group": p.title, "delivery": format_pence(p.delivery_pence),
             "delivery_unknown": p.delivery_unknown,
             "research": format_pence(p.research_pence), "research_unknown": p.research_unknown}
            for p in programmes]


WHAT_IS_IN = (
    "Delivery cost is the known value of every commission recorded as delivering the service "
    "(link worker posts, grants to providers) across the programmes below. Research, "
    "evaluation and review commissions are left out, as are funding allocations not yet "
    "commissioned, commissions of unknown value, and costs borne by GP practices, providers "
    "or volunteers.")


def per_person(programmes: list[ProgrammeCost], *, reached: int, completing: int,
               whole_service: bool, audience: Audience) -> dict:
    """Delivery cost per person reached (referred, counted once) and per person completing
    (an episode closed with goals met), with the sentence that says what is in them."""
    delivery = sum(p.delivery_pence for p in programmes)
    unknown = sum(p.delivery_unknown for p in programmes)
    out = {"delivery": format_pence(delivery), "reached": None, "completing": None,
           "people_reached": reached, "people_completing": completing,
           "included": WHAT_IS_IN, "why_not": None}
    if not delivery:
        out["why_not"] = ("No delivery cost is recorded: no programme has a commission for "
                          "delivering the service with a known value.")
    elif not whole_service:
        out["why_not"] = ("Cost per person is shown for the whole service only (no filters): "
                          "delivery cost is recorded per programme, not per period, borough, "
                          "PCN, practice, team or source.")
    else:
        hidden = audience != "evaluator"
        if reached and not (hidden and reached < THRESHOLD):
            out["reached"] = format_pence(round(delivery / reached))
        if completing and not (hidden and completing < THRESHOLD):
            out["completing"] = format_pence(round(delivery / completing))
        if unknown:
            out["included"] += (f" {unknown} delivery commission{'s' if unknown > 1 else ''} "
                                "of unknown value could not be counted, so these figures are "
                                "too low.")
    return out
