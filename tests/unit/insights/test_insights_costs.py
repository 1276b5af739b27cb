"""Cost per person uses delivery cost only, and says what is in it."""

from datetime import date

from linkwell.commissioning.domain import (
    CombinedValue,
    Commission,
    CommissionKind,
    CommissionStatus,
    CostCategory,
    ProgrammeState,
)
from linkwell.commissioning.money import UNKNOWN, Money
from linkwell.insights.costs import per_person, programme_cost


def _commission(i, kind, value, category, combined=None):
    return Commission(id=i, title=f"c{i}", kind=CommissionKind(kind),
                      status=CommissionStatus.COMMISSIONED, value=value,
                      combined_value_id=combined, cost_category=CostCategory(category))


def test_research_and_review_are_kept_apart_and_a_mixed_combined_value_is_not_delivery():
    state = ProgrammeState(
        slug="p", title="P", as_of=date(2026, 1, 1),
        combined_values=(CombinedValue(id=1, label="both", amount=Money(500_00)),),
        commissions=(
            _commission(1, "service", Money(100_000_00), "delivery"),
            _commission(2, "grant", UNKNOWN, "delivery"),
            _commission(3, "review", Money(86_000_00), "research"),
            _commission(4, "grant", UNKNOWN, "delivery", combined=1),
            _commission(5, "review", UNKNOWN, "research", combined=1)))
    cost = programme_cost(state)
    assert (cost.delivery_pence, cost.delivery_unknown) == (100_000_00, 1)
    assert (cost.research_pence, cost.research_unknown) == (86_500_00, 0)


def test_cost_per_person_divides_delivery_cost_and_says_what_it_leaves_out():
    state = ProgrammeState(slug="p", title="P", as_of=date(2026, 1, 1), commissions=(
        _commission(1, "service", Money(10_000_00), "delivery"),
        _commission(2, "review", Money(90_000_00), "research")))
    out = per_person([programme_cost(state)], reached=40, completing=8, whole_service=True,
                     audience="commissioner")
    assert out["reached"] == "£250" and out["completing"] is None  # 8 people: not shown
    assert "Research, evaluation and review commissions are left out" in out["included"]
    assert per_person([programme_cost(state)], reached=40, completing=8, whole_service=True,
                      audience="evaluator")["completing"] == "£1,250"
    filtered = per_person([programme_cost(state)], reached=40, completing=8,
                          whole_service=False, audience="commissioner")
    assert filtered["reached"] is None and "whole service only" in filtered["why_not"]
    assert "No delivery cost" in per_person([], reached=40, completing=8, whole_service=True,
                                            audience="commissioner")["why_not"]
