"""What a directory search asks for, and how hits are ordered: pure logic, no I/O.

One :class:`SearchQuery` serves the Open Referral UK API and the public pages, so both answer
the same question the same way. Free text is reduced to plain word tokens here, before any
engine sees it: full-text syntax (quotes, ``*``, ``NEAR(``, ``OR``), SQL and HTML in a search
box are just characters that are not letters or digits, and are dropped.
"""

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from rapidfuzz import fuzz, process

from linkwell.errors import InvalidInput

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
PER_PAGE_MAX = 100
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
METRES_PER_MILE = 1609.344

# Words that carry no meaning in a need ("advice for older people"); the FTS5 porter
# tokenizer keeps them, so removing them here makes both engines see the same terms.
STOP_WORDS = frozenset({
    "a", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from",
    "get", "have", "help", "i", "in", "into", "is", "it", "me", "my", "near", "need", "of",
    "on", "or", "our", "so", "some", "that", "the", "their", "there", "these", "this", "to",
    "up", "want", "we", "with", "you", "your",
})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


@dataclass(frozen=True)
class SearchQuery:
    """One search. ``None`` means "no filter"; ages are the age of the person to be helped."""

    text: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    postcode: str | None = None
    proximity_m: float | None = None
    day: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    # Only services whose ``last_modified`` is at or after this instant (UTC).
    modified_after: datetime | None = None
    page: int = 1
    per_page: int = 50

    @property
    def terms(self) -> list[str]:
        return search_terms(self.text)


def search_terms(text: str | None) -> list[str]:
    """Lower-case word tokens of a free-text search, without stop words or syntax."""
    if not text:
        return []
    terms: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word[:MAX_TERM_LENGTH]
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def fts5_match(terms: Sequence[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string, never an operator."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " AND ").join(quoted)


def websearch_text(terms: Sequence[str], *, any_term: bool = False) -> str:
    """Text for PostgreSQL ``websearch_to_tsquery``: bare words, joined by ``or`` if asked."""
    return (" or " if any_term else " ").join(terms)


def _crude_stem(word: str) -> str:
    """Strip common English endings, only to compare a typo with stemmed index terms."""
    for suffix in ("ings", "ing", "ies", "es", "ed", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def closest_term(word: str, vocabulary: Iterable[str], *, cutoff: float = 0.75) -> str | None:
    """The index term a mistyped word most likely meant ("benifits" -> "benefit", "venefits"
    -> "benefit"), if any: the best normalised edit similarity (``rapidfuzz`` ratio) of the
    word or its crude stem, at least ``cutoff``. Ties go to the term first in ``vocabulary``
    (give it sorted for the alphabetically first)."""
    choices = vocabulary if isinstance(vocabulary, list) else list(vocabulary)
    best: tuple[str, float] | None = None
    for query in dict.fromkeys((word, _crude_stem(word))):
        found = process.extractOne(query, choices, scorer=fuzz.ratio,
                                   score_cutoff=cutoff * 100)
        if found is not None and (best is None or found[1] > best[1]
                                  or (found[1] == best[1] and found[0] < best[0])):
            best = (found[0], found[1])
    return None if best is None else best[0]


def parse_day(value: str | None) -> str | None:
    """An iCalendar ``BYDAY`` code (as HSDS schedules use) from "MO", "mon" or "Monday"."""
    if value is None or value.strip() == "":
        return None
    text = value.strip().upper()
    for code, name in zip(DAYS, DAY_NAMES, strict=True):
        if text == code or (len(text) >= 3 and name.upper().startswith(text)):
            return code
    raise InvalidInput(
        "day must be a day of the week such as MO or Monday",
        errors=[{"loc": ["query", "day"], "msg": "not a day of the week"}],
    )


def parse_time(value: str | None, name: str) -> time | None:
    """A 24-hour clock time ``HH:MM`` (seconds optional)."""
    if value is None or value.strip() == "":
        return None
    match = _TIME.match(value.strip())
    if not match:
        raise InvalidInput(
            f"{name} must be a time such as 09:30",
            errors=[{"loc": ["query", name], "msg": "not a time HH:MM"}],
        )
    hours, minutes, seconds = match.groups()
    return time(int(hours), int(minutes), int(seconds or 0))


def parse_datetime(value: str | None, name: str) -> datetime | None:
    """An RFC 3339 date-time ("2026-11-01T09:00:00Z"), or a date meaning its midnight in UTC.

    A date-time without an offset is taken to be UTC, as HSDS ``last_modified`` values are.
    """
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), time(0))
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{name} must be a date-time such as 2026-11-01T09:00:00Z, or a date",
            errors=[{"loc": ["query", name], "msg": "not an RFC 3339 date-time"}],
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def validate(query: SearchQuery) -> SearchQuery:
    """Refuse a search that cannot be answered, with a message naming the bad parameter."""
    problems = []
    if query.page < 1:
        problems.append(("page", "page must be 1 or more"))
    if not 1 <= query.per_page <= PER_PAGE_MAX:
        problems.append(("per_page", f"per_page must be between 1 and {PER_PAGE_MAX}"))
    for name in ("minimum_age", "maximum_age"):
        age = getattr(query, name)
        if age is not None and not 0 <= age <= 130:
            problems.append((name, f"{name} must be an age in years between 0 and 130"))
    if (query.minimum_age is not None and query.maximum_age is not None
            and query.minimum_age > query.maximum_age):
        problems.append(("minimum_age", "minimum_age must not be above maximum_age"))
    if query.proximity_m is not None:
        if not 0 < query.proximity_m <= 100_000:
            problems.append(("proximity", "proximity must be between 1 and 100000 metres"))
        if query.postcode is None:
            problems.append(("postcode", "proximity needs a postcode to measure from"))
    if (query.start_time or query.end_time) and query.day is None:
        problems.append(("day", "start_time and end_time need a day"))
    if query.start_time and query.end_time and query.end_time <= query.start_time:
        problems.append(("end_time", "end_time must be after start_time"))
    if problems:
        raise InvalidInput(
            "; ".join(message for _, message in problems),
            errors=[{"loc": ["query", name], "msg": message} for name, message in problems],
        )
    return query


def checked_since(*, today: date, stale_after_days: int) -> date:
    """The start of the window within which a listing must have been checked to be fresh."""
    return today - timedelta(days=stale_after_days)


def stale_check(*, today: date, stale_after_days: int) -> Callable[[date | None], bool]:
    """Whether a listing nobody has checked within the window (or ever), by its
    ``assured_date``, may be out of date; the window's start worked out once, for ranking
    hundreds of hits."""
    since = checked_since(today=today, stale_after_days=stale_after_days)
    return lambda assured_date: assured_date is None or assured_date < since


def is_stale(assured_date: date | None, *, today: date, stale_after_days: int) -> bool:
    """A listing nobody has checked within the window (or ever) may be out of date."""
    return stale_check(today=today, stale_after_days=stale_after_days)(assured_date)


# Relevance weights per indexed field; the index stores each field's stems as "<initial>:stem".
FIELD_WEIGHTS = {"name": 10.0, "taxonomy_terms": 5.0, "organization_name": 3.0,
                 "description": 1.0}
_PREFIXES = tuple((field[0] + ":", weight) for field, weight in FIELD_WEIGHTS.items())


def relevance_of(query_stems: Sequence[str]) -> Callable[[str | None], float]:
    """How relevant a service is to these query stems: the field-weighted count of them found
    in the index's ``stems`` ("n:stem t:stem ...", space-separated), a word in the name
    counting ten times one in the description. The same on both engines, so the two rank
    alike. What to look for is worked out once per search, not once per service (a search
    near a postcode can rank hundreds)."""
    wanted = [(f" {prefix}{q} ", weight) for q in query_stems for prefix, weight in _PREFIXES]

    def relevance(indexed: str | None) -> float:
        padded = f" {indexed or ''} "
        return sum(weight for needle, weight in wanted if needle in padded)

    return relevance


@dataclass
class Hit:
    """A service that matched, with what the ranking needs and what the reader is told."""

    service_id: str
    name: str
    relevance: float | None = None
    distance_m: float | None = None
    assured_date: date | None = None
    stale: bool = False
    score: float = field(default=0.0, compare=False)


def rank(hits: list[Hit], *, proximity_m: float | None) -> list[Hit]:
    """Order hits: fresh before stale; then by a blend of relevance and nearness.

    Relevance (``relevance``, larger is better) is scaled to 0..1 against the best hit, and
    nearness is 1 at the postcode falling to 0 at the search radius (or the furthest hit).
    With both, relevance weighs 0.6 and nearness 0.4, so a strong match a little further away
    still beats a weak match next door.
    """
    best = max((h.relevance for h in hits if h.relevance is not None), default=None)
    far = proximity_m or max((h.distance_m for h in hits if h.distance_m is not None), default=0)
    by_relevance = 0.6 if best is not None else 0.0
    by_nearness = 0.4 if far else 0.0
    weight = by_relevance + by_nearness
    for hit in hits:
        score = 0.0
        if by_relevance:
            score += by_relevance * ((hit.relevance or 0.0) / best if best > 0 else 1.0)
        if by_nearness:
            score += by_nearness * (0.0 if hit.distance_m is None
                                    else max(0.0, 1 - hit.distance_m / far))
        hit.score = score / weight if weight else 0.0
    return sorted(
        hits,
        key=lambda h: (
            h.stale,
            -round(h.score, 9),
            math.inf if h.distance_m is None else h.distance_m,
            h.name.lower(),
            h.service_id,
        ),
    )


@dataclass(frozen=True)
class Page:
    """The Open Referral paging envelope (HSDS 3.0 ``Page``) around one page of results."""

    total_items: int
    page_number: int
    per_page: int
    contents: list

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_items / self.per_page)

    def envelope(self) -> dict:
        return {
            "total_items": self.total_items,
            "total_pages": self.total_pages,
            "page_number": self.page_number,
            "size": len(self.contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= self.total_pages,
            "empty": not self.contents,
            "contents": self.contents,
        }


def page_slice(items: Sequence, page: int, per_page: int) -> Sequence:
    start = (page - 1) * per_page
    return items[start : start + per_page]


def describe_distance(metres: float | None) -> str | None:
    """Distance as people in the UK say it: miles, one decimal place."""
    if metres is None:
        return None
    miles = metres / METRES_PER_MILE
    if miles < 0.1:
        return "less than 0.1 miles"
    return f"{miles:.1f} miles"
