"""Periods as commissioners speak of them: "2018/19", "Q1 2019/20", "spring 2019", exact dates.

A report "due spring 2019" is known only to a season; storing it as 1 March 2019 would invent
precision, so a period keeps its own precision and exposes the first and last day it covers.
Financial years run 1 April to 31 March (HM Treasury); quarters are financial-year quarters
(Q1 = April to June); seasons are meteorological (spring = March to May, as the Met Office uses).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache, total_ordering

from linkwell.errors import InvalidInput


class PeriodKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    FINANCIAL_YEAR = "financial_year"
    YEAR = "year"


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
SEASONS = ("spring", "summer", "autumn", "winter")


def format_date(day: date) -> str:
    """GOV.UK style: "17 January 2019" (no leading zero)."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@total_ordering
@dataclass(frozen=True)
class Period:
    """A span of whole days, first and last day inclusive, with the label it was given."""

    kind: PeriodKind
    start: date
    end: date
    label: str

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: "Period") -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.kind, self.start, self.end) == (other.kind, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.kind, self.start, self.end))

    @property
    def is_exact(self) -> bool:
        return self.kind is PeriodKind.DAY

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def ended_before(self, day: date) -> bool:
        return self.end < day

    def span(self) -> str:
        """The days covered, in words: "1 March to 31 May 2019"; a day names itself."""
        if self.is_exact:
            return format_date(self.start)
        if self.start.year == self.end.year:
            first = f"{self.start.day} {calendar.month_name[self.start.month]}"
        else:
            first = format_date(self.start)
        return f"{first} to {format_date(self.end)}"

    def describe(self) -> str:
        """The label with its span where the label alone could be misread ("spring 2019")."""
        if self.kind not in (PeriodKind.SEASON, PeriodKind.QUARTER, PeriodKind.FINANCIAL_YEAR):
            return self.label
        return f"{self.label} ({self.span()})"

    # -- constructors -----------------------------------------------------------------------

    @classmethod
    def day(cls, day: date) -> "Period":
        return cls(PeriodKind.DAY, day, day, format_date(day))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(PeriodKind.MONTH, date(year, month, 1), _month_end(year, month),
                   f"{calendar.month_name[month]} {year}")

    @classmethod
    def financial_year(cls, start_year: int) -> "Period":
        return cls(PeriodKind.FINANCIAL_YEAR, date(start_year, 4, 1),
                   date(start_year + 1, 3, 31), _financial_year_label(start_year))

    @classmethod
    def quarter(cls, number: int, start_year: int) -> "Period":
        if number not in (1, 2, 3, 4):
            raise InvalidInput(f"a financial quarter is Q1 to Q4, not Q{number}")
        first_month = 4 + 3 * (number - 1)
        year = start_year + (first_month - 1) // 12
        first_month = (first_month - 1) % 12 + 1
        last = _month_end(year, first_month + 2)
        return cls(PeriodKind.QUARTER, date(year, first_month, 1), last,
                   f"Q{number} {_financial_year_label(start_year)}")

    @classmethod
    def season(cls, name: str, year: int) -> "Period":
        """``year`` is the year the season starts in; winter runs December to February."""
        name = name.lower()
        if name == "winter":
            return cls(PeriodKind.SEASON, date(year, 12, 1), _month_end(year + 1, 2),
                       f"winter {_financial_year_label(year)}")
        first, last = SEASON_MONTHS[name]
        return cls(PeriodKind.SEASON, date(year, first, 1), _month_end(year, last),
                   f"{name} {year}")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31), str(year))


def _two_years(first: str, second: str, text: str) -> int:
    start = int(first)
    following = int(second)
    expected = start + 1 if len(second) == 4 else (start + 1) % 100
    if following != expected:
        raise InvalidInput(f"{text!r}: the second year must follow the first, as in 2018/19")
    return start


_FY = r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})"
PATTERNS = [
    (re.compile(rf"^{_FY}$"), lambda m, t: Period.financial_year(_two_years(*m.groups(), t))),
    (re.compile(rf"^(?:fy\s*)?q([1-4])\s+{_FY}$"),
     lambda m, t: Period.quarter(int(m[1]), _two_years(m[2], m[3], t))),
    (re.compile(rf"^winter\s+{_FY}$"), lambda m, t: Period.season("winter",
                                                                 _two_years(*m.groups(), t))),
    (re.compile(r"^(spring|summer|autumn)\s+(\d{4})$"),
     lambda m, t: Period.season(m[1], int(m[2]))),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
     lambda m, t: Period.day(date(int(m[1]), int(m[2]), int(m[3])))),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"),
     lambda m, t: Period.day(date(int(m[3]), int(m[2]), int(m[1])))),
    (re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$"),
     lambda m, t: Period.day(date(int(m[3]), _month_number(m[2], t), int(m[1])))),
    (re.compile(r"^([a-z]+)\s+(\d{4})$"),
     lambda m, t: Period.month(int(m[2]), _month_number(m[1], t))),
    (re.compile(r"^(\d{4})$"), lambda m, t: Period.year(int(m[1]))),
]


def _month_number(name: str, text: str) -> int:
    try:
        return MONTHS[name]
    except KeyError:
        raise InvalidInput(f"{text!r}: {name!r} is not a month") from None


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """Read a period as people write it; refuse anything ambiguous rather than guess.

    Cached: periods are immutable, and stored labels repeat across thousands of versions.

    "winter 2019" is refused (it could mean either winter touching 2019); write "winter 2018/19".
    """
    cleaned = " ".join(str(text).strip().lower().replace("\u2013", "-").split())
    if not cleaned:
        raise InvalidInput("a period is required, for example 2018/19, spring 2019 or 2019-01-17")
    if re.fullmatch(r"winter\s+\d{4}", cleaned):
        raise InvalidInput(f"{text!r} is ambiguous: write the two years, as in winter 2018/19")
    for pattern, build in PATTERNS:
        match = pattern.match(cleaned)
        if match:
            try:
                return build(match, text)
            except ValueError as exc:
                raise InvalidInput(f"{text!r} is not a real date: {exc}") from None
    raise InvalidInput(
        f"{text!r} is not a period Linkwell understands: use a financial year (2018/19), "
        "a quarter (Q1 2019/20), a season (spring 2019), a month (December 2018) "
        "or a date (2019-01-17)"
    )


def parse_optional_period(text: str | None) -> Period | None:
    if text is None or not str(text).strip():
        return None
    return parse_period(text)
