"""Money in integer pence, with "not yet known" as its own state rather than zero.

A commission whose value has not been stated must never add £0 to a total: totals report the
known sum and, separately, how many items are of unknown value.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from linkwell.errors import InvalidInput


@dataclass(frozen=True, order=True)
class Money:
    """A known, non-negative amount in pence."""

    pence: int

    def __post_init__(self) -> None:
        if isinstance(self.pence, bool) or not isinstance(self.pence, int):
            raise InvalidInput(f"an amount must be a whole number of pence, not {self.pence!r}")
        if self.pence < 0:
            raise InvalidInput("an amount cannot be negative")

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.pence + other.pence)

    def __str__(self) -> str:
        return format_pence(self.pence)

    @property
    def is_known(self) -> bool:
        return True


class UnknownAmount:
    """The single "value not yet known" marker; it has no numeric value and cannot be added."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __str__(self) -> str:
        return "not yet known"

    @property
    def is_known(self) -> bool:
        return False


UNKNOWN = UnknownAmount()
Amount = Money | UnknownAmount
NUMBER = re.compile(r"^\d+(\.\d+)?$")
MAX_PENCE = 10**15  # £10 trillion: anything larger is a typing error
UNKNOWN_WORDS = frozenset({"", "unknown", "not known", "not yet known", "not stated", "tbc"})


def format_pence(pence: int) -> str:
    """"£36,000" for whole pounds, "£36,000.50" otherwise."""
    pounds, rest = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    if rest:
        return f"{sign}£{pounds:,}.{rest:02d}"
    return f"{sign}£{pounds:,}"


def parse_amount(text: str | int | None) -> Amount:
    """Read "£36,000", "36000", "36000.50" or a blank / "unknown" as an amount.

    Refuses negative, non-numeric and sub-penny amounts with a message a commissioner can act on.
    """
    if text is None:
        return UNKNOWN
    cleaned = str(text).strip()
    if cleaned.lower() in UNKNOWN_WORDS:
        return UNKNOWN
    cleaned = cleaned.replace(",", "").replace(" ", "")
    cleaned = re.sub(r"^(-?)£", r"\1", cleaned)
    if cleaned.startswith("-") and NUMBER.match(cleaned[1:]):
        raise InvalidInput(f"{text!r}: an amount cannot be negative")
    if not NUMBER.match(cleaned):
        raise InvalidInput(f"{text!r} is not an amount of money, such as £36,000")
    pence = Decimal(cleaned) * 100
    if pence != pence.to_integral_value():
        raise InvalidInput(f"{text!r}: an amount cannot have fractions of a penny")
    if pence > MAX_PENCE:
        raise InvalidInput(f"{text!r} is more than any programme could hold; check the figure")
    return Money(int(pence))


def amount_from_pence(pence: int | None) -> Amount:
    return UNKNOWN if pence is None else Money(pence)


def amount_to_pence(amount: Amount) -> int | None:
    return amount.pence if isinstance(amount, Money) else None
