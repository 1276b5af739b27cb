"""Casework rules with no I/O: tasks, appointments, the diary's week, messages to the person.

Times are stored in UTC and shown in UK time (``LONDON``): a diary week and "tomorrow's
appointments" are UK calendar days, whatever the server's clock zone.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import phonenumbers

from linkwell.errors import Conflict, InvalidInput
from linkwell.labelled import Labelled

LONDON = ZoneInfo("Europe/London")
TITLE_MAX = 200
PLACE_MAX = 200
LONGEST_APPOINTMENT = timedelta(hours=8)


class AppointmentKind(Labelled):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in-person"


class AppointmentOutcome(Labelled):
    BOOKED = "booked"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did-not-attend"
    CANCELLED = "cancelled"


def field_error(field: str, message: str) -> InvalidInput:
    """One bad field, named so that forms show it inline and the API lists it."""
    return InvalidInput(message, errors=[{"field": field, "message": message}])


def validated(**checks):
    """Run every field's check and report every bad field at once (a form shows them all);
    returns the checked values by name."""
    values, errors = {}, []
    for name, check in checks.items():
        try:
            values[name] = check()
        except InvalidInput as exc:
            errors += exc.errors or [{"field": name, "message": exc.detail}]
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    return values


def check_title(title: str) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise field_error("title", "Enter what needs doing")
    if len(text) > TITLE_MAX:
        raise field_error("title", f"The task must be {TITLE_MAX} characters or fewer")
    return text


def check_due_date(due: date | None, today: date) -> date:
    if due is None:
        raise field_error("due_date", "Enter a real due date")
    if abs((due - today).days) > 366 * 2:
        raise field_error("due_date", "The due date must be within two years of today")
    return due


def check_kind(kind: str) -> AppointmentKind:
    try:
        return AppointmentKind(kind)
    except ValueError:
        raise field_error("kind", "Choose phone, video or in person") from None


def check_outcome(outcome: str) -> AppointmentOutcome:
    try:
        return AppointmentOutcome(outcome)
    except ValueError:
        raise field_error("outcome", "Choose attended, did not attend or cancelled") from None


def check_place(place: str, kind: AppointmentKind | None) -> str:
    text = " ".join((place or "").split())
    if kind is AppointmentKind.IN_PERSON and not text:
        raise field_error("place", "Enter where you will meet")
    if len(text) > PLACE_MAX:
        raise field_error("place", f"The place must be {PLACE_MAX} characters or fewer")
    return text


def check_times(starts_at: datetime | None, ends_at: datetime | None) -> tuple[datetime, datetime]:
    if starts_at is None:
        raise field_error("starts_at", "Enter the date and time the appointment starts")
    if ends_at is None:
        raise field_error("ends_at", "Enter the time the appointment ends")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise field_error("starts_at", "Give the times with their offset from UTC")
    if ends_at <= starts_at:
        raise field_error("ends_at", "The appointment must end after it starts")
    if ends_at - starts_at > LONGEST_APPOINTMENT:
        raise field_error("ends_at", "An appointment can last at most 8 hours")
    return starts_at.astimezone(UTC), ends_at.astimezone(UTC)


def today() -> date:
    """Today in the UK (the diary's and caseload's day)."""
    return datetime.now(UTC).astimezone(LONDON).date()


def uk_datetime(day: date, clock: time) -> datetime:
    """A UK wall-clock time (as a form gives it) as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=LONDON)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


WARNINGS = {
    "past": "This appointment is in the past.",
    "overlap": "This overlaps another appointment in the same link worker's diary.",
}


def booking_warnings(starts_at: datetime, now: datetime, clashes: int) -> list[str]:
    """Warning codes (``WARNINGS``), not refusals: a past appointment may be recorded after
    the fact, and a double booking may be intended (a joint visit)."""
    warnings = []
    if starts_at < now:
        warnings.append("past")
    if clashes:
        warnings.append("overlap")
    return warnings


def check_version(expected: int | None, current: int) -> None:
    if expected is not None and expected != current:
        raise Conflict("Someone else changed this since you opened it; reload and try again")


# --- The diary's week ---------------------------------------------------------------------

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str | None, today: date) -> "Week":
        if not text:
            year, number, _ = today.isocalendar()
            return cls(year, number)
        match = _WEEK.match(text.strip())
        if not match:
            raise field_error("week", "Give the week as YYYY-Www, for example 2026-W49")
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise field_error("week", f"{year} has no week {number}") from None
        return cls(year, number)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def shifted(self, weeks: int) -> "Week":
        year, number, _ = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return Week(year, number)

    def bounds(self) -> tuple[datetime, datetime]:
        """The week's start and end in UTC (Monday 00:00 to the next Monday, UK time)."""
        start = uk_datetime(self.monday, time())
        end = uk_datetime(self.monday + timedelta(days=7), time())
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def uk_day_bounds(day: date) -> tuple[datetime, datetime]:
    return (uk_datetime(day, time()).astimezone(UTC),
            uk_datetime(day + timedelta(days=1), time()).astimezone(UTC))


# --- Messages to the person ---------------------------------------------------------------

class Channel(Labelled):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"


class MessageKind(Labelled):
    APPOINTMENT_REMINDER = "appointment_reminder"
    MEASURE_LINK = "measure_link", "Wellbeing questions to fill in"
    PLAN_COPY = "plan_copy", "A copy of my plan"


class MessageStatus(StrEnum):
    """The outbox's states. ``queued`` → ``sending`` (claimed by one sender) → ``sent``
    (Notify accepted it; its id is kept) → ``delivered`` or a failure Notify reports.
    A send that fails puts the row back to ``queued`` with the error, to retry."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    TECHNICAL_FAILURE = "technical-failure"

    @property
    def is_final(self) -> bool:
        return self in (MessageStatus.DELIVERED, MessageStatus.PERMANENT_FAILURE,
                        MessageStatus.TEMPORARY_FAILURE, MessageStatus.TECHNICAL_FAILURE)


# Notify's own statuses, as the API reports them, to ours.
NOTIFY_STATUSES = {
    "created": MessageStatus.SENT, "sending": MessageStatus.SENT,
    "pending": MessageStatus.SENT, "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(address: str | None) -> str:
    text = (address or "").strip()
    if not text:
        raise field_error("email", "The person has no e-mail address recorded")
    if not _EMAIL.match(text) or len(text) > 254:
        raise field_error("email", "The e-mail address is not valid: it needs a name, an @ "
                                   "and a domain, like name@example.com")
    return text


def check_mobile(number: str | None) -> str:
    """A UK mobile number in E.164 form; text messages go only to mobiles."""
    text = (number or "").strip()
    if not text:
        raise field_error("phone", "The person has no phone number recorded")
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise field_error("phone", "The phone number is not a real phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise field_error("phone", "The phone number is not a real phone number")
    if phonenumbers.number_type(parsed) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise field_error("phone", "Text messages can only go to a mobile phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class ConsentRefused(InvalidInput):
    """A message the person has not agreed to receive on that channel."""

    status = 409
    title = "No consent for this channel"


# contact_preference (referrals.domain.CONTACT_PREFERENCES) to the channel it asks for.
PREFERRED_CHANNEL = {"email": Channel.EMAIL, "text": Channel.SMS}


def choose_channel(*, preference: str | None, consents: dict[Channel, bool],
                   email: str | None, phone: str | None,
                   channel: Channel | None = None) -> tuple[Channel, str]:
    """The channel and address a message goes to, or a refusal saying why.

    The person must have agreed to messages on the channel (``consents``); without a
    channel asked for, their contact preference chooses among those they agreed to.
    """
    agreed = [c for c in (Channel.EMAIL, Channel.SMS) if consents.get(c)]
    if channel is None:
        if not agreed:
            raise ConsentRefused("The person has not agreed to e-mails or text messages",
                                 errors=[{"field": "consent", "message": "none recorded"}])
        preferred = PREFERRED_CHANNEL.get(preference or "")
        channel = preferred if preferred in agreed else agreed[0]
    elif channel not in agreed:
        raise ConsentRefused(f"The person has not agreed to {channel.label.lower()}s",
                             errors=[{"field": "consent", "message": f"no {channel.value}"}])
    if channel is Channel.EMAIL:
        return channel, check_email(email)
    return channel, check_mobile(phone)


def reminder_reference(appointment_id: int, starts_at: datetime) -> str:
    """Stable per appointment and time: a moved appointment gets a new reminder, a re-run of
    ``send-due`` never a second one."""
    return f"appointment-{appointment_id}-{starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def uk_when(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y at %H:%M}"
