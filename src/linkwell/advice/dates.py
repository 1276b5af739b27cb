"""Dates written in a person's own words, resolved against ``today``: pure, no I/O.

People write "this coming Tuesday", "tomorrow", "end of next month", "10 weeks ago", "on the
2nd", "12th Jan" or "08/12/2026". Each is found with its place in the text, so a rule can take
the date written next to the words it cares about ("hearing ... next Tuesday").

A few phrases point two ways: a bare weekday or "the 2nd" can be the last one or the next one.
Such mentions carry both readings and the rule that uses them chooses: a hearing or an
eviction lies ahead, a decision letter or a dismissal lies behind. A small parser of our own
is used rather than ``dateparser``: these phrases need that choice, "next Tuesday" must mean
the coming Tuesday (the common British reading), and every rule here is a tested line.
"""

import calendar
import re
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from linkwell.advice import weekdays
from linkwell.advice.calendar_words import (
    add_months,
    as_number,
    day_month_readings,
    day_of_month,
    end_of_month,
    month_number,
    nth_readings,
    shift,
    weekday_number,
    working_day,
)
from linkwell.advice.date_patterns import PATTERNS
from linkwell.advice.festivals import (
    christmas_to_new_year,
    clocks_change,
    easter_day,
    holiday,
    named_yearly,
    term_edge,
    weekday_by_break,
)


@dataclass(frozen=True)
class DateMention:
    """A date found in the text: where it is, and its reading(s).

    ``past``/``future`` are the readings when the words allow both (a bare weekday, "the
    2nd"); otherwise both are the same date. ``exact`` is False for "next week", "a few
    days ago" and the like.
    """

    start: int
    end: int
    past: date
    future: date
    exact: bool
    text: str

    def reading(self, prefer_future: bool) -> date:
        return self.future if prefer_future else self.past


# A bare year further than this from today is more likely a number than a date.
RECENT_YEARS = 10
# A day and month with no year, then "last year" (or "next year", "this year"): that day then.
_OTHER_YEAR = re.compile(r"\s+(last|next|this)\s+year\b", re.IGNORECASE)
_DAY_OF_A_YEAR = {"day_month", "month_day", "day_month_word", "month_day_word", "holiday",
                  "named_yearly"}


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date written in ``text``, in order of appearance, resolved against ``today``."""
    return list(_find_dates(text, today))


@lru_cache(maxsize=64)
def _find_dates(text: str, today: date) -> tuple[DateMention, ...]:
    """Cached: triage reads the same text's dates for its triggers, a deadline the person
    names and a limit the letter states."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    kinds: dict[int, str] = {}  # the handler that read the date starting at each place
    for pattern, handler in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            readings = _HANDLERS[handler](m, today)
            if readings is None:
                continue
            past, future, exact = readings
            end = m.end()
            other_year = _OTHER_YEAR.match(text, end) if handler in _DAY_OF_A_YEAR else None
            if other_year and exact:  # "on 14 February last year": that day, a year back
                step = {"last": -1, "this": 0, "next": 1}[other_year[1].lower()]
                try:
                    past = future = past.replace(year=today.year + step)
                except ValueError:  # 29 February
                    continue
                end = other_year.end()
                # "last year" read alone before (a rough date) is part of this one.
                found = [f for f in found if not m.end() <= f.start < end]
                taken = [t for t in taken if not m.end() <= t[0] < end]
            found.append(DateMention(m.start(), end, past, future, exact, text[m.start():end]))
            taken.append((m.start(), end))
            kinds[m.start()] = handler
    found.sort(key=lambda d: d.start)
    return tuple(_days_of_named_months(_in_the_past_tense(_without_glosses(found, text), text),
                                       kinds, text))


# "On Monday 26 August 2030 (the bank holiday)": a day named in brackets after a date is that
# date again, not a second one.
_GLOSS = re.compile(r"\s*\(\s*$")
# So is a named day after a comma: "on Tuesday 6 May 2031, the day after the bank holiday", "on
# 1 September, the Saturday, he called me in".
_NAMED_GLOSS = re.compile(r"\s*[,\u2014\u2013-]\s*(?:it was\s+)?(?:the|a)\s+"
                          r"(?:(?:(?:day|(?:mon|tues|wednes|thurs|fri|satur|sun)day) "
                          r"(?:after|before) )?(?:the )?(?:\w+ )?"
                          r"(?:bank holiday|easter|christmas|boxing day|new year)|(?:mon|tues|"
                          r"wednes|thurs|fri|satur|sun)day)\s*", re.IGNORECASE)
# A month, then its day later in the sentence: "in December I tried to book him ... and on the
# 14th the manager rang" is 14 December, not the 14th of this month or the next.
# (Not a day still to come: "status in December ... he has to leave the hotel on the 16th".)
_SAME_SENTENCE_REACH = 150
_RESTATED_DAY_REACH = 30
_BREAKS_THE_LINK = re.compile(r"[.!?;\n]|\b(?:has to|have to|must|will|going to|gonna|due to|"
                             r"need to)\b")


# "The emergency credit went on Wednesday", "the hearing was on Monday": a day either way
# ("Wednesday") after a verb in the past tense is the one behind. (Not reported words: "they
# said it was on Monday" may be a day to come.)
_PAST_TENSE_ON = re.compile(r"\b(?:went|ran out|came|happened|stopped|started|arrived|"
                            r"finished|ended|died|went off|was|were)\s+(?:on\s+)?$",
                            re.IGNORECASE)
_SAID_EARLIER = re.compile(r"\b(?:said|says|told|tells|saying|letter|email)\b[^.!?;\n]*$",
                       re.IGNORECASE)


def _in_the_past_tense(found: list[DateMention], text: str) -> list[DateMention]:
    return [replace(m, future=m.past) if m.past != m.future and m.text.lower().startswith("on ")
            and _PAST_TENSE_ON.search(text, max(0, m.start - 20), m.start)
            and not _SAID_EARLIER.search(text, max(0, m.start - 60), m.start) else m
            for m in found]


def _without_glosses(found: list[DateMention], text: str) -> list[DateMention]:
    return [m for i, m in enumerate(found)
            if not (i and found[i - 1].exact
                    and (_GLOSS.fullmatch(text, found[i - 1].end, m.start)
                         or _NAMED_GLOSS.fullmatch(text, found[i - 1].end, m.end)))]


def _days_of_named_months(found: list[DateMention], kinds: dict[int, str],
                          text: str) -> list[DateMention]:
    month: DateMention | None = None
    read: list[DateMention] = []
    for m in found:
        kind = kinds.get(m.start)
        # (A weekday's day only close after: "back in January, it was Sunday the 17th".)
        if kind in ("ordinal", "weekday_ordinal") and month is not None \
                and m.start - month.end <= (_SAME_SENTENCE_REACH if kind == "ordinal"
                                            else _RESTATED_DAY_REACH) \
                and not _BREAKS_THE_LINK.search(text, month.end, m.start):
            day = int(re.search(r"\d+", m.text)[0])
            with suppress(ValueError):  # "the 31st" of a shorter month stays as it was read
                m = DateMention(m.start, m.end, month.past.replace(day=day),
                                month.future.replace(day=day), True, m.text)
        # "In January last year, 10 January": the day of the month just named, in its year.
        elif kind in ("day_month", "month_day") and month is not None \
                and kinds.get(month.start) in ("month_last_year", "month_this_year") \
                and m.start - month.end <= _RESTATED_DAY_REACH \
                and m.past.month == month.past.month \
                and not re.search(r"\d{4}", m.text):
            with suppress(ValueError):
                day = m.past.replace(year=month.past.year)
                m = DateMention(m.start, m.end, day, day, True, m.text)
        month = m if kind in ("month_only", "month_last_year", "month_this_year") else month
        read.append(m)
    return read


def _iso(m: re.Match, today: date):
    try:
        day = date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None
    return day, day, True


def _numeric(m: re.Match, today: date):
    year = int(m[3])
    year = year + 2000 if year < 100 else year
    try:
        day = date(year, int(m[2]), int(m[1]))  # British order: day/month/year
    except ValueError:
        return None
    return day, day, True


def _numeric_no_year(m: re.Match, today: date):
    day, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        return None
    readings = day_month_readings(today, day, month, None)
    return None if readings is None else (*readings, True)


def _day_month_h(m: re.Match, today: date):
    month = month_number(m[3])
    if month is None:
        return None
    readings = day_month_readings(today, int(m[2]), month, int(m[4]) if m[4] else None)
    return None if readings is None else (*readings, True)


def _year_then_day(m: re.Match, today: date):
    month = month_number(m[3])
    try:
        day = date(int(m[1]), month, int(m[2])) if month else None
    except ValueError:
        return None
    return (day, day, True) if day else None


def _month_day(m: re.Match, today: date):
    month = month_number(m[1])
    if month is None:
        return None
    readings = day_month_readings(today, int(m[2]), month, int(m[3]) if m[3] else None)
    return None if readings is None else (*readings, True)


def _month_then_day(m: re.Match, today: date):
    month = month_number(m[2])
    readings = None if month is None else day_month_readings(today, int(m[3]), month, None)
    if readings is None:
        return None
    past, future = readings
    # "Last October" and "back in June" lie behind.
    return past, past if m[1].lower() != "in" else future, True


def _span(m: re.Match) -> tuple[int, str] | None:
    text = m.group(0).lower()
    if "fortnight" in text and not re.search(r"\d|two|three|four", text.split("fortnight")[0]):
        return 1, "fortnight"
    count = as_number(m[1]) if m[1] else None
    unit = m[2].lower() if m[2] else None
    unit = "week" if unit == "wk" else unit
    if count is None or unit is None:
        return None
    return count, unit


_AMOUNT_BEFORE = re.compile(r"[£$]\d[\d,.]*\s*$")


def _ago(m: re.Match, today: date):
    if _AMOUNT_BEFORE.search(m.string, 0, m.start()):
        return None  # "taking £85 a month back": a rate of deduction
    span = _span(m)
    if span is None:
        return None
    count, unit = span
    start = today + timedelta(days={"tomorrow": 1, "yesterday": -1}.get((m[4] or "").lower(), 0))
    day = shift(start, count, unit, -1)
    vague = m.group(0).lower().startswith(("a few", "few"))
    return day, day, not vague


def _in(m: re.Match, today: date):
    span = _span(m)
    if span is None:
        return None
    count, unit = span
    day = shift(today, count, unit, 1)
    vague = "within" in m.group(0).lower() or "few" in m.group(0).lower()
    return day, day, not vague


def _after_tomorrow(m: re.Match, today: date):
    day = today + timedelta(days=2)
    return day, day, True


def _ordinal_of_month(m: re.Match, today: date, number: int | None = None,
                      which: str | None = None):
    number, which = number or int(m[1]), which or m[2]
    first = add_months(today.replace(day=1), {"this": 0, "next": 1, "last": -1}[which.lower()])
    if number > calendar.monthrange(first.year, first.month)[1]:
        return None
    day = first.replace(day=number)
    return day, day, True


def _part_of_month(m: re.Match, today: date):
    month = month_number(m[2])
    if month is None:
        return None
    day_of_month = {"early": 5, "mid": 15, "late": 25}[m[1].lower()]
    readings = day_month_readings(today, day_of_month, month, None)
    return None if readings is None else (*readings, False)


def _any_day_now(m: re.Match, today: date):
    return today, today, False


def _before_yesterday(m: re.Match, today: date):
    day = today - timedelta(days=2)
    return day, day, True


def _named_day(m: re.Match, today: date):
    word = m[1].lower()
    if word.startswith(("tom", "tmr", "2moro")):
        day = today + timedelta(days=1)
    elif word.startswith(("yest", "yday", "last")):
        day = today - timedelta(days=1)
    else:
        day = today
    return day, day, True


def _end_of_month_h(m: re.Match, today: date):
    offset = {"this": 0, "the": 0, "next": 1, "last": -1}[m[2].lower()]
    day = end_of_month(add_months(today.replace(day=1), offset))
    if m[1]:  # "the last working day of the month"
        day = working_day(day + timedelta(days=1), -1)
    return day, day, True


def _first_working_day(m: re.Match, today: date):
    if m[1]:  # "of next month", "of this month"
        first = add_months(today.replace(day=1), 1 if m[1].lower() == "next" else 0)
        day = working_day(first - timedelta(days=1), 1)
        return day, day, True
    month = month_number(m[2])
    readings = None if month is None else day_month_readings(today, 1, month, None)
    if readings is None:
        return None
    past, future = (working_day(first - timedelta(days=1), 1) for first in readings)
    return past, future, True


def _end_of_named_month(m: re.Match, today: date):
    month = month_number(m[2])
    if month is None:
        return None
    year = today.year if month >= today.month else today.year + 1
    past_year = today.year if month <= today.month else today.year - 1
    past, future = (end_of_month(date(y, month, 1)) for y in (past_year, year))
    if m[1]:  # "the last working day of August"
        past, future = (working_day(d + timedelta(days=1), -1) for d in (past, future))
    return past, future, True


def _relative_year(m: re.Match, today: date):
    day = add_months(today, 12 if m[1].lower() == "next" else -12)
    return day, day, False


def _month_year(m: re.Match, today: date):
    month = month_number(m[1])
    if month is None:
        return None
    day = date(int(m[2]), month, 1)
    return day, day, False


def _month_only(m: re.Match, today: date):
    month = month_number(m[1])
    if month is None:
        return None
    year = today.year if month <= today.month else today.year - 1
    past = date(year, month, 1)
    # "last March" and "back in March" lie behind: no reading ahead. ("Since March" is left
    # two-way: it says how long something has gone on, and a time limit seldom runs from it.)
    behind = re.match(r"(?:last|back)\b", m[0].strip(), re.IGNORECASE)
    future = past if month == today.month or behind else date(
        today.year if month > today.month else today.year + 1, month, 1)
    return past, future, False


def _month_this_year(m: re.Match, today: date):
    month = month_number(m[1] or m[2])
    if month is None:
        return None
    day = date(today.year, month, 1)
    return day, day, False


def _month_last_year(m: re.Match, today: date):
    month = month_number(m[1] or m[2])
    if month is None:
        return None
    day = date(today.year - 1, month, 1)
    return day, day, False


_SEASON_MONTH = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}


def _season(m: re.Match, today: date):
    """The middle of the last such season (and of the next one): a rough date."""
    month = _SEASON_MONTH[m[1].lower()]
    this = date(today.year, month, 15)
    past = this if this <= today else date(today.year - 1, month, 15)
    future = this if this >= today else date(today.year + 1, month, 15)
    if m.group(0).lower().startswith("last"):
        future = past
    return past, future, False


def _year(m: re.Match, today: date):
    day = date(int(m[1]), 7, 1)
    return day, day, False


def _recent_year(m: re.Match, today: date):
    """A bare year is a date only within ten years of today; else it is more likely a number."""
    return _year(m, today) if abs(int(m[1]) - today.year) <= RECENT_YEARS else None


def _ordinal(m: re.Match, today: date):
    readings = nth_readings(today, int(m[1]))
    return None if readings is None else (*readings, True)


def _weekday_ordinal(m: re.Match, today: date):
    if m[4]:  # "Tues 6th of next month": that month's day
        return _ordinal_of_month(m, today, int(m[2] or m[3]), m[4])
    readings = nth_readings(today, int(m[2] or m[3]))
    if readings is None:
        return None
    past, future = readings
    weekday = weekday_number(m[1])
    # The weekday says which month's day is meant, when only one reading falls on it.
    if future.weekday() == weekday != past.weekday():
        past = future
    elif past.weekday() == weekday != future.weekday():
        future = past
    return past, future, True


def _ordinal_word(m: re.Match, today: date):
    day = day_of_month(m[m.lastindex])
    readings = None if day is None else nth_readings(today, day)
    return None if readings is None else (*readings, True)


def _day_month_word(m: re.Match, today: date):
    month, day = month_number(m[3]), day_of_month(m[2])
    if month is None or day is None:
        return None
    readings = day_month_readings(today, day, month, int(m[4]) if m[4] else None)
    return None if readings is None else (*readings, True)


def _month_day_word(m: re.Match, today: date):
    month, day = month_number(m[1]), day_of_month(m[2])
    if month is None or day is None:
        return None
    readings = day_month_readings(today, day, month, int(m[3]) if m[3] else None)
    return None if readings is None else (*readings, True)


def _span_from_day(m: re.Match, today: date):
    start = today + timedelta(days={"today": 0, "yesterday": -1}.get(m[3].lower(), 1))
    sign = -1 if start < today else 1
    if m[1] is None:  # "a fortnight today"
        day = start + sign * timedelta(weeks=2)
    else:
        span = _span(m)
        if span is None:
            return None
        day = shift(start, *span, sign)
    return day, day, True


def _this_time_next(m: re.Match, today: date):
    day = shift(today, 1, m[1].lower(), 1)
    return day, day, True


def _start_of_next_month(m: re.Match, today: date):
    """Roughly the start of next month; a change "from next month" starts on its first day."""
    day = add_months(today.replace(day=1), 1)
    return day, day, m[1] is not None


_HANDLERS = {
    "iso": _iso, "numeric": _numeric, "numeric_no_year": _numeric_no_year,
    "day_month": _day_month_h, "month_day": _month_day, "month_then_day": _month_then_day,
    "ago": _ago, "in": _in,
    "after_tomorrow": _after_tomorrow, "weekday_week": weekdays.weekday_week,
    "ordinal_of_month": _ordinal_of_month, "part_of_month": _part_of_month,
    "end_of_week": weekdays.end_of_week, "before_yesterday": _before_yesterday,
    "any_day_now": _any_day_now,
    "named_day": _named_day, "weekday": weekdays.weekday, "end_of_month": _end_of_month_h,
    "end_of_named_month": _end_of_named_month, "relative_week": weekdays.relative_week,
    "ordinal": _ordinal, "weekday_ordinal": _weekday_ordinal,
    "relative_year": _relative_year, "month_year": _month_year,
    "year": _year, "recent_year": _recent_year, "holiday": holiday, "easter": easter_day,
    "weekday_by_break": weekday_by_break, "year_then_day": _year_then_day,
    "term_edge": term_edge, "first_working_day": _first_working_day,
    "short_weekday": weekdays.short_weekday,
    "month_only": _month_only,
    "month_last_year": _month_last_year, "month_this_year": _month_this_year, "season": _season,
    "ordinal_word": _ordinal_word, "day_month_word": _day_month_word,
    "month_day_word": _month_day_word, "weeks_on_weekday": weekdays.weeks_on_weekday,
    "weekday_weeks": weekdays.weekday_weeks, "span_from_day": _span_from_day,
    "weekday_after_next": weekdays.weekday_after_next, "week_after_next": weekdays.week_after_next,
    "this_time_next": _this_time_next, "weekday_next_week": weekdays.weekday_in_week(1),
    "end_of_next_week": weekdays.end_of_next_week,
    "weekday_last_week": weekdays.weekday_in_week(-1),
    "weekday_this_week": weekdays.weekday_in_week(0),
    "start_of_next_month": _start_of_next_month, "named_yearly": named_yearly,
    "christmas_to_new_year": christmas_to_new_year,
    "nth_weekday": weekdays.nth_weekday_of_month, "weeks_last_weekday": weekdays.weeks_last_weekday,
    "weekday_before_last": weekdays.weekday_before_last, "clocks_change": clocks_change,
}


def british(day: date) -> str:
    """A date as people in Britain write it out: "Sunday 20 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"
