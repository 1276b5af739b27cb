from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from linkwell.commissioning.domain import (
    Allocation,
    AllocationStatus,
    CombinedValue,
    Commission,
    CommissionKind,
    CommissionStatus,
    Commitment,
    ProgrammeState,
)
from linkwell.commissioning.money import UNKNOWN, Money
from linkwell.commissioning.totals import (
    Total,
    allocation_units,
    attributable,
    commission_units,
    shared,
    total,
    unattributed,
)

C1, C2 = Commitment(1, 1, "first"), Commitment(2, 2, "second")


def commission(id, value=UNKNOWN, *, combined=None, commitments=()):
    return Commission(id, f"work {id}", CommissionKind.REVIEW, CommissionStatus.COMMISSIONED,
                      value, combined_value_id=combined, commitment_ids=frozenset(commitments))


def state(*commissions, combined=(), allocations=()):
    return ProgrammeState("p", "P", date(2019, 1, 17), commitments=(C1, C2),
                          combined_values=tuple(combined), commissions=tuple(commissions),
                          allocations=tuple(allocations))


def test_total_counts_known_values_and_unknown_items_separately():
    s = state(commission(1, Money(1_000_000)), commission(2), commission(3, Money(50)))
    result = total(commission_units(s))
    assert result == Total(Money(1_000_050), 1)
    assert result.describe() == "£10,000.50 and 1 item of unknown value"


def test_total_of_nothing_known_says_so():
    assert total(commission_units(state(commission(1), commission(2)))).describe() == (
        "no known value and 2 items of unknown value")


def test_combined_value_is_counted_once_for_all_its_parts():
    s = state(commission(1, combined=7, commitments=[2]), commission(2, combined=7),
              commission(3, Money(100)), combined=[CombinedValue(7, "both", Money(3_600_000))])
    result = total(commission_units(s))
    assert result.known_pence == 3_600_100
    assert result.unknown_count == 0


def test_combined_parts_with_their_own_stated_values_are_not_double_counted():
    s = state(commission(1, Money(1_000_000), combined=7), commission(2, combined=7),
              combined=[CombinedValue(7, "both", Money(3_600_000))])
    assert total(commission_units(s)).known_pence == 3_600_000


def test_combined_value_spanning_a_commitment_and_unlinked_work_is_shared_not_attributed():
    s = state(commission(1, combined=7, commitments=[2]), commission(2, combined=7),
              combined=[CombinedValue(7, "both", Money(3_600_000))])
    units = commission_units(s)
    assert attributable(units, 2) == []
    assert [u.amount for u in shared(units, 2)] == [Money(3_600_000)]
    assert len(unattributed(units)) == 1


def test_combined_value_wholly_within_one_commitment_is_attributed_to_it():
    s = state(commission(1, combined=7, commitments=[1]), commission(2, combined=7,
                                                                     commitments=[1]),
              combined=[CombinedValue(7, "both", Money(3_600_000))])
    assert total(attributable(commission_units(s), 1)).known_pence == 3_600_000


def test_commission_serving_two_commitments_is_shared_by_both():
    s = state(commission(1, Money(500), commitments=[1, 2]))
    units = commission_units(s)
    assert attributable(units, 1) == attributable(units, 2) == []
    assert shared(units, 1) == shared(units, 2) != []


def test_combined_value_without_commissions_adds_nothing():
    s = state(combined=[CombinedValue(7, "orphan", Money(100))])
    assert total(commission_units(s)) == Total(Money(0), 0)


def test_allocations_total_with_unknown_amounts():
    s = state(allocations=[
        Allocation(1, "a", Money(2_000_000), AllocationStatus.ALLOCATED,
                   commitment_ids=frozenset({1})),
        Allocation(2, "b", UNKNOWN, AllocationStatus.PLANNED, commitment_ids=frozenset({1})),
        Allocation(3, "c", Money(5), AllocationStatus.SPENT, commitment_ids=frozenset({1, 2})),
    ])
    units = allocation_units(s)
    assert total(attributable(units, 1)) == Total(Money(2_000_000), 1)
    assert total(units) == Total(Money(2_000_005), 1)


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 10**9)), st.booleans(),
                          st.sampled_from([(), (1,), (2,), (1, 2)])), max_size=12),
       st.integers(0, 10**9))
def test_programme_total_is_the_combined_once_plus_every_standalone_known_value(rows, combined):
    commissions = [
        commission(i, UNKNOWN if pence is None else Money(pence),
                   combined=9 if in_group else None, commitments=links)
        for i, (pence, in_group, links) in enumerate(rows)
    ]
    s = state(*commissions, combined=[CombinedValue(9, "group", Money(combined))])
    result = total(commission_units(s))
    standalone = [c for c in commissions if c.combined_value_id is None]
    grouped = len(standalone) < len(commissions)
    assert result.known_pence == sum(c.value.pence for c in standalone if c.value.is_known) + (
        combined if grouped else 0)
    assert result.unknown_count == sum(1 for c in standalone if not c.value.is_known)
    # Every unit is either attributed to exactly one commitment or left unattributed.
    units = commission_units(s)
    assert len(units) == len(attributable(units, 1)) + len(attributable(units, 2)) + len(
        unattributed(units))
