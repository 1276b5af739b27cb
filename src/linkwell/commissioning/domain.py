"""The state of a programme at one date, as plain values, and the rules an edit must satisfy.

Persistence rebuilds a ``ProgrammeState`` from version rows for any "as of" date; totals and the
plain-English answer are computed from it, so they read the same on the web, in CSV/JSON and on
the command line.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from linkwell.commissioning.money import UNKNOWN, Amount, Money
from linkwell.commissioning.periods import Period
from linkwell.errors import InvalidInput


class CommissionKind(StrEnum):
    REVIEW = "review"
    EVALUATION = "evaluation"
    PILOT = "pilot"
    GRANT = "grant"
    SERVICE = "service"  # delivering the service itself, e.g. link worker posts


class CostCategory(StrEnum):
    """What a commission's money pays for. Only delivery cost enters cost per person: research,
    evaluation and review commissions are kept apart from it."""

    DELIVERY = "delivery"  # delivering the service: link worker posts, grants to providers
    RESEARCH = "research"  # research, evaluation and review


def default_cost_category(kind: "CommissionKind") -> CostCategory:
    """Service contracts and grants to providers deliver the service; reviews, evaluations
    and pilots are research unless recorded otherwise."""
    return (CostCategory.DELIVERY if kind in (CommissionKind.SERVICE, CommissionKind.GRANT)
            else CostCategory.RESEARCH)


class CommissionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROCUREMENT = "in_procurement"
    COMMISSIONED = "commissioned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def has_reported(self) -> bool:
        return self in (CommissionStatus.REPORTED, CommissionStatus.PUBLISHED)


class AllocationStatus(StrEnum):
    PLANNED = "planned"
    ALLOCATED = "allocated"
    SPENT = "spent"


def choice(enum: type[StrEnum], value: str, what: str):
    """Read a status or type from a form, naming the allowed values when it is not one."""
    try:
        return enum(str(value).strip().lower().replace(" ", "_"))
    except ValueError:
        allowed = ", ".join(m.value.replace("_", " ") for m in enum)
        raise InvalidInput(f"{value!r} is not a {what}: use one of {allowed}") from None


@dataclass(frozen=True)
class Commitment:
    id: int
    number: int
    text: str
    period: Period | None = None
    owner: str | None = None
    version: int = 1


@dataclass(frozen=True)
class Allocation:
    id: int
    description: str
    amount: Amount
    status: AllocationStatus
    period: Period | None = None
    commitment_ids: frozenset[int] = frozenset()
    version: int = 1


@dataclass(frozen=True)
class CombinedValue:
    """One figure stated for several commissions together ("£36,000 combined")."""

    id: int
    label: str
    amount: Money
    version: int = 1


@dataclass(frozen=True)
class Commission:
    id: int
    title: str
    kind: CommissionKind
    status: CommissionStatus
    value: Amount = UNKNOWN
    supplier: str | None = None
    combined_value_id: int | None = None
    started: Period | None = None
    report_due: Period | None = None
    commitment_ids: frozenset[int] = frozenset()
    version: int = 1
    cost_category: CostCategory = CostCategory.RESEARCH


@dataclass(frozen=True)
class Output:
    """A published report or document: a link, an uploaded file, or both."""

    id: int
    title: str
    commission_id: int | None = None
    published: Period | None = None
    url: str | None = None
    file_id: int | None = None
    note: str = ""
    version: int = 1


@dataclass(frozen=True)
class ProgrammeState:
    slug: str
    title: str
    as_of: date
    strategy: str = ""
    period: Period | None = None
    owner: str | None = None
    commitments: tuple[Commitment, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    combined_values: tuple[CombinedValue, ...] = ()
    commissions: tuple[Commission, ...] = ()
    outputs: tuple[Output, ...] = ()
    version: int = 1

    def commitment(self, commitment_id: int) -> Commitment:
        return next(c for c in self.commitments if c.id == commitment_id)

    def combined_value(self, combined_id: int) -> CombinedValue:
        return next(c for c in self.combined_values if c.id == combined_id)

    def members(self, combined_id: int) -> tuple[Commission, ...]:
        return tuple(c for c in self.commissions if c.combined_value_id == combined_id)

    def outputs_of(self, commission_id: int) -> tuple[Output, ...]:
        return tuple(o for o in self.outputs if o.commission_id == commission_id)


# -- rules ------------------------------------------------------------------------------------

def check_report_after_start(started: Period | None, report_due: Period | None) -> None:
    """A report cannot be due before the work it reports on has started."""
    if started and report_due and report_due.end < started.start:
        raise InvalidInput(
            f"the report date ({report_due.describe()}) is before the commission starts "
            f"({started.describe()})"
        )


def check_combined_parts(combined: CombinedValue, members: list[Commission]) -> None:
    """Stated values of the parts of a combined figure may not add up to more than the whole."""
    known = sum(m.value.pence for m in members if isinstance(m.value, Money))
    if known > combined.amount.pence:
        raise InvalidInput(
            f"the commissions sharing the combined value {combined.label!r} add up to "
            f"{Money(known)}, more than the combined value of {combined.amount}"
        )


def check_text(value: str | None, what: str, *, max_length: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InvalidInput(f"{what} is required")
    if len(text) > max_length:
        raise InvalidInput(f"{what} must be {max_length} characters or fewer")
    return text


def check_url(url: str | None) -> str | None:
    """Outputs link to public pages only: http(s), nothing that could run script."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")) or len(url) > 500:
        raise InvalidInput("a link must be a web address starting https://, "
                           "500 characters at most")
    return url


def parse_as_of(text: str | None, *, today: date) -> date | None:
    """An "as of" date from a query or option: ISO form, not in the future."""
    if text is None or not str(text).strip():
        return None
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date in the form YYYY-MM-DD") from None
    if day > today:
        raise InvalidInput("the answer can only be given as of today or an earlier date")
    return day
