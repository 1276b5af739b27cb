"""Referral rules with no I/O: statuses and their transitions, coded lists, working days.

Statuses are the HL7 FHIR R4 ``Task.status`` values as the SDOH Clinical Care closed-loop
referral pattern uses them. One explicit table says which change is allowed; everything else
is refused with a message naming both ends, so a user (or another system) knows what happened.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import nhs_number

from linkwell import codes
from linkwell.codes import clinical as coded
from linkwell.errors import Conflict, InvalidInput
from linkwell.labelled import Labelled

SNOMED = coded.snomed_system()


class Status(Labelled):
    """FHIR R4 TaskStatus (http://hl7.org/fhir/task-status) values used in the loop."""

    DRAFT = "draft"
    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        return self in FINAL


FINAL = frozenset({Status.REJECTED, Status.COMPLETED, Status.CANCELLED, Status.FAILED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.REQUESTED, Status.CANCELLED}),
    Status.REQUESTED: frozenset({Status.RECEIVED, Status.ACCEPTED, Status.REJECTED,
                                 Status.CANCELLED}),
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.ON_HOLD, Status.CANCELLED,
                                Status.FAILED, Status.COMPLETED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.FAILED, Status.ON_HOLD,
                                   Status.CANCELLED}),
    Status.ON_HOLD: frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.CANCELLED}),
    Status.REJECTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.FAILED: frozenset(),
}


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: str, target: str) -> Status:
    """Return ``target`` as a Status if the table allows it, else raise Conflict (409)."""
    try:
        current_status, target_status = Status(current), Status(target)
    except ValueError as exc:
        raise InvalidInput(f"unknown status: {exc}") from exc
    if not can_transition(current_status, target_status):
        allowed = ", ".join(sorted(TRANSITIONS[current_status])) or "none (it is final)"
        raise Conflict(
            f"cannot move from '{current_status}' to '{target_status}'; "
            f"allowed from '{current_status}': {allowed}"
        )
    return target_status


def status_from_events(transitions: list[tuple[str | None, str]]) -> Status:
    """Replay an ordered event log of (from, to) pairs; the status column is only a cache.

    Every step must be legal and follow on from the last one, so a corrupted log is noticed.
    """
    current: Status | None = None
    for from_status, to_status in transitions:
        if current is None:
            current = Status(to_status)
            continue
        if from_status != current:
            raise Conflict(f"event log out of order: expected from '{current}', got "
                           f"'{from_status}'")
        current = check_transition(current, to_status)
    if current is None:
        raise InvalidInput("no status events")
    return current


# --- Coded lists ---------------------------------------------------------------------------
# SNOMED CT UK edition concepts that NHS England asks GP systems to record for social
# prescribing, read from the one code file (codes/data/clinical.json) that cites a published
# source for each.


@dataclass(frozen=True)
class Code:
    code: str
    display: str
    snomed: str | None = None


def _snomed_code(event: str) -> Code:
    concept = coded.snomed(event)
    return Code(concept.code, concept.display, concept.code)


SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = _snomed_code("referral")
SNOMED_SOCIAL_PRESCRIBING_DECLINED = _snomed_code("declined")


def _codes(*items: tuple[str, str] | tuple[str, str, str]) -> dict[str, Code]:
    return {item[0]: Code(*item) for item in items}


# Every source a stored referral can have (``linkwell.codes``), and those a referral may be
# made with: not the demo's simulated cohort (``linkwell demo-data``).
RECORDED_SOURCES = _codes(*((c.code, c.label) for c in codes.referral_source().items))
REFERRAL_SOURCES = _codes(*((c.code, c.label)
                            for c in codes.referral_source().where("requestable", True, True)))

NEEDS_DOMAINS = _codes(
    ("loneliness", "Loneliness or isolation"), ("mental-wellbeing", "Mental wellbeing"),
    ("physical-activity", "Physical activity"), ("debt", "Debt and money"),
    ("benefits", "Welfare benefits"), ("housing", "Housing"), ("employment", "Employment"),
    ("carers", "Carers"), ("food", "Food"), ("digital", "Digital inclusion"),
    ("legal", "Legal and immigration"),
)

# A reason for referral is a needs domain as the referrer sees it, plus "other".
REFERRAL_REASONS = {**NEEDS_DOMAINS, "other": Code("other", "Something else")}

CONTACT_MODES = _codes(
    ("face-to-face", "Face to face"), ("telephone", "Telephone"), ("video", "Video call"),
    ("home-visit", "Home visit"), ("text", "Text or e-mail"),
)

CLOSURE_REASONS = _codes(
    ("goals-met", "Goals met"),
    ("declined", "Person declined social prescribing", SNOMED_SOCIAL_PRESCRIBING_DECLINED.snomed),
    ("no-contact", "Could not be contacted"), ("moved-away", "Moved out of area"),
    ("referred-elsewhere", "Needs better met by another service"), ("died", "Died"),
    ("other", "Other"),
)

DECLINE_REASONS = _codes(
    ("no-capacity", "No capacity"), ("not-eligible", "Person not eligible"),
    ("out-of-area", "Out of area"), ("person-declined", "Person declined the service"),
    ("unable-to-contact", "Unable to contact the person"), ("other", "Other"),
)

# The reasons a referral may be declined before any support (triage): a referral that never
# started cannot have met its goals, and "Died" is recorded by closing the episode.
TRIAGE_DECLINE_REASONS = {key: CLOSURE_REASONS[key] for key in
                          ("declined", "no-contact", "moved-away", "referred-elsewhere", "other")}


def closure_reasons_for(status: str) -> dict[str, Code]:
    """The coded reasons valid for a referral in ``status``: before acceptance only the
    triage reasons; once support has started, every closure reason."""
    if status in (Status.REQUESTED, Status.RECEIVED, Status.DRAFT):
        return TRIAGE_DECLINE_REASONS
    return CLOSURE_REASONS


# The needs scale's labelled points (PRSB: strengths and needs on a scale).
NEED_SCALE = {1: "No concern", 2: "A small concern", 3: "Some concern",
              4: "A serious concern", 5: "Urgent"}

CONTACT_PREFERENCES = _codes(
    ("phone", "Telephone"), ("text", "Text message"), ("email", "E-mail"), ("post", "Letter"),
)

SEXES = _codes(*((c.code, c.label) for c in codes.sex().items))


def require_code(codes: dict[str, Code], value: str, field: str) -> str:
    if value not in codes:
        raise InvalidInput(f"{field}: '{value}' is not one of {', '.join(codes)}",
                           errors=[{"field": field, "message": "not an allowed code"}])
    return value


# --- Person details --------------------------------------------------------------------------

NOTES_MAX = 4000


def clean_nhs_number(text: str | None) -> str | None:
    """Digits only, checked with the modulus-11 check digit; None when not given."""
    if text is None or not text.strip():
        return None
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if len(digits) != 10 or not digits.isdigit() or not nhs_number.is_valid(digits):
        raise InvalidInput("NHS number is not valid: it must be 10 digits with a correct "
                           "check digit", errors=[{"field": "nhs_number",
                                                   "message": "invalid NHS number"}])
    return digits


def check_birth_date(birth_date: date, today: date) -> date:
    if birth_date > today:
        raise InvalidInput("Date of birth must not be in the future",
                           errors=[{"field": "birth_date", "message": "in the future"}])
    if birth_date.year < today.year - 130:
        raise InvalidInput("Date of birth is too long ago",
                           errors=[{"field": "birth_date", "message": "too long ago"}])
    return birth_date


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_text(value: str | None, field: str, limit: int = NOTES_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters",
                           errors=[{"field": field, "message": "too long"}])
    return value


def duplicate_key(given_name: str, family_name: str, birth_date: date,
                  postcode: str | None) -> str:
    """Name + date of birth + postcode, normalised: the 'likely the same person' test."""
    def norm(s: str | None) -> str:
        return "".join(ch for ch in (s or "").casefold() if ch.isalnum())
    return f"{norm(given_name)}|{norm(family_name)}|{birth_date.isoformat()}|{norm(postcode)}"


# --- Working days (England and Wales) --------------------------------------------------------

def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


# Royal proclamations that moved or added a bank holiday (gov.uk/bank-holidays):
# VE day 75 (early May moved to Fri 8 May 2020); Platinum Jubilee (spring moved to Thu 2 June
# and Fri 3 June added, 2022); the Queen's state funeral (19 Sept 2022); the King's coronation
# (8 May 2023). Later proclamations must be added here.
_MOVED = {
    (2020, "early-may"): date(2020, 5, 8),
    (2022, "spring"): date(2022, 6, 2),
}
_EXTRA = frozenset({date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)})


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays, with weekend substitutes (Banking and Financial
    Dealings Act 1971 plus the proclamations listed in ``_MOVED`` and ``_EXTRA``)."""
    days: set[date] = set()
    new_year = date(year, 1, 1)
    days.add(new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    easter = easter_sunday(year)
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days.add(_MOVED.get((year, "early-may"), _first_monday(year, 5)))
    days.add(_MOVED.get((year, "spring"), _last_monday(year, 5)))
    days.add(_last_monday(year, 8))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Mon 27 and Tue 28
        days |= {date(year, 12, 27), date(year, 12, 28)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Mon 26, Christmas substitute Tue 27
        days |= {boxing, date(year, 12, 27)}
    elif boxing.weekday() == 5:  # Friday Christmas: Boxing Day moves to Mon 28
        days |= {christmas, date(year, 12, 28)}
    else:
        days |= {christmas, boxing}
    days |= {d for d in _EXTRA if d.year == year}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def provider_response_overdue(sent_at: datetime, now: datetime, working_days: int) -> bool:
    """True once a whole ``working_days`` working days have passed without a response."""
    return now.date() > add_working_days(sent_at.date(), working_days)


def contact_overdue(last_contact: datetime, now: datetime, gap_weeks: int) -> bool:
    return now - last_contact > timedelta(weeks=gap_weeks)


# --- Needs and the directory -----------------------------------------------------------------
# A service meets a need when one of its HSDS attributes points to a taxonomy term whose
# ``code`` is listed here for that needs domain: the Linkwell taxonomy's codes
# (``linkwell.directory.taxonomy``) first, then common codes used by other directories.
NEED_TAXONOMY_CODES: dict[str, tuple[str, ...]] = {
    "loneliness": ("loneliness-befriending", "loneliness", "befriending", "social-isolation"),
    "mental-wellbeing": ("mental-wellbeing", "mental-health", "wellbeing"),
    "physical-activity": ("physical-activity", "exercise", "sport"),
    "debt": ("debt", "debt-advice", "money-advice"),
    "benefits": ("welfare-benefits", "benefits", "benefits-advice"),
    "housing": ("housing", "housing-advice", "homelessness"),
    "employment": ("employment", "employment-support"),
    "carers": ("carers", "carer-support"),
    "food": ("food", "food-bank"),
    "digital": ("digital-inclusion", "digital-skills"),
    "legal": ("immigration", "discrimination", "community-care", "education", "legal-advice"),
}


def taxonomy_codes_for(needs: list[str]) -> dict[str, str]:
    """Taxonomy term code -> the needs domain it serves."""
    return {code: need for need in needs for code in NEED_TAXONOMY_CODES.get(need, (need,))}
