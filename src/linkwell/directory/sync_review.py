"""Which of a feed's changes a sync applies and which wait for an administrator: pure rules.

A field of a service is **owned locally** when a provider edited it here (an HSDS ``metadata``
row by ``linkwell-user:<id>``) and it does not hold a feed value an administrator accepted.
An incoming value for such a field that differs from the local one is **held** for review;
every other field is **applied** as the feed gives it. A value an administrator already chose
to keep local against is **kept** without asking again, and a feed never makes a listing look
less recently checked than a provider's own confirmation (``assured_date``).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# The fields providers edit (``listings.FIELDS``) and confirm (``assured_date``).
REVIEWED_FIELDS = ("name", "description", "eligibility_description", "fees_description",
                   "application_process", "url", "email", "phone", "minimum_age",
                   "maximum_age", "assured_date")
ACCEPTED = "accepted from feed"  # metadata.last_action_type of an accepted feed change
LOCAL_CHANGE = "linkwell-user:"  # metadata.updated_by prefix of changes made in Linkwell


class Decision(StrEnum):
    APPLY = "apply"  # the feed's value replaces the local one
    HOLD = "hold"  # not applied: kept as a pending change for an administrator
    KEEP = "keep"  # not applied, and nobody needs asking again


@dataclass(frozen=True)
class FieldHistory:
    """What happened to one field of one service here: whether a provider edited it (HSDS
    ``metadata``), and the feed value an administrator last accepted for it, if any."""

    edited_here: bool = False
    accepted: bool = False
    accepted_value: str | None = None

    def owned_locally(self, local) -> bool:
        """Edited here, and not since replaced by an accepted feed value: the local value is
        still the accepted one, so nobody has edited it after the acceptance. (Metadata keeps
        dates, not times, so the values decide, not the order of the rows.)"""
        return self.edited_here and not (
            self.accepted and as_text(local) == self.accepted_value)


def as_text(value) -> str | None:
    """A field's value as the review page shows and compares it: ages as whole numbers,
    dates ISO, empty text as unknown."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def decide(field: str, *, local, incoming, history: FieldHistory,
           kept_against: frozenset[str | None] = frozenset()) -> Decision:
    """What a sync does with the feed's value of one field of one service."""
    local, incoming = as_text(local), as_text(incoming)
    if local == incoming or not history.owned_locally(local):
        return Decision.APPLY
    if field == "assured_date":
        # ISO dates compare as text; a missing incoming date is older than any.
        return Decision.APPLY if (incoming or "") > (local or "") else Decision.KEEP
    if incoming in kept_against:
        return Decision.KEEP
    return Decision.HOLD
