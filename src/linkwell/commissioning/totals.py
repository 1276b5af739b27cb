"""Totals that say what is known and what is not.

A figure is counted through a *unit*: a single commission (or allocation) with its own value, or a
combined value together with every commission it covers. Counting units rather than commissions
counts a combined figure once, and a unit is attributed to a commitment only when everything it
covers serves that commitment alone; otherwise it is reported as shared, never split by guesswork.
"""

from dataclasses import dataclass

from linkwell.commissioning.domain import CombinedValue, ProgrammeState
from linkwell.commissioning.money import Amount, Money

UNLINKED = None


@dataclass(frozen=True)
class Unit:
    amount: Amount
    titles: tuple[str, ...]
    scope: frozenset[int | None]
    combined: CombinedValue | None = None

    @property
    def is_linked_only_to_one(self) -> bool:
        return len(self.scope) == 1 and UNLINKED not in self.scope


@dataclass(frozen=True)
class Total:
    known: Money
    unknown_count: int

    @property
    def known_pence(self) -> int:
        return self.known.pence

    def describe(self) -> str:
        """"£86,000", "£30,000 and 1 item of unknown value", "no known value"."""
        known = str(self.known) if self.known.pence else "no known value"
        if not self.unknown_count:
            return known
        items = "item" if self.unknown_count == 1 else "items"
        return f"{known} and {self.unknown_count} {items} of unknown value"


def total(units: list[Unit]) -> Total:
    known = sum((u.amount for u in units if isinstance(u.amount, Money)), Money(0))
    return Total(known, sum(1 for u in units if not u.amount.is_known))


def _scope(commitment_ids: frozenset[int]) -> frozenset[int | None]:
    return frozenset(commitment_ids) if commitment_ids else frozenset({UNLINKED})


def commission_units(state: ProgrammeState) -> list[Unit]:
    units = [
        Unit(c.value, (c.title,), _scope(c.commitment_ids))
        for c in state.commissions
        if c.combined_value_id is None
    ]
    for combined in state.combined_values:
        members = state.members(combined.id)
        if members:
            scope = frozenset().union(*(_scope(m.commitment_ids) for m in members))
            units.append(Unit(combined.amount, tuple(m.title for m in members), scope, combined))
    return units


def allocation_units(state: ProgrammeState) -> list[Unit]:
    return [Unit(a.amount, (a.description,), _scope(a.commitment_ids)) for a in state.allocations]


def attributable(units: list[Unit], commitment_id: int) -> list[Unit]:
    """Units whose whole value serves this commitment and nothing else."""
    return [u for u in units if u.scope == {commitment_id}]


def shared(units: list[Unit], commitment_id: int) -> list[Unit]:
    """Units that serve this commitment together with other commitments or unlinked work."""
    return [u for u in units if commitment_id in u.scope and len(u.scope) > 1]


def unattributed(units: list[Unit]) -> list[Unit]:
    """Units that no single commitment can claim: unlinked, or shared across commitments."""
    return [u for u in units if not u.is_linked_only_to_one]
