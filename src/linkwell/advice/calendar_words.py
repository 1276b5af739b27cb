"""The words people use for days, months and counts, and the calendar steps every reading of a
date in words shares (``dates.py`` reads the phrases; ``date_patterns.py`` finds them): pure.
"""

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

WEEKDAYS = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
# ("sat", "sun" and "wed" are also words: only a date pattern that needs a day after them
# uses them.)
_WEEKDAY_SHORT = {"mon": 0, "tues": 1, "wed": 2, "weds": 2, "thur": 3, "thurs": 3, "fri": 4,
                  "sat": 5, "sun": 6, "wensday": 2, "wendsday": 2}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# Months as people misspell them in a hurry ("26 novembr", "febuary").
MISSPELT_MONTHS = {"janury": 1, "januray": 1, "febuary": 2, "feburary": 2, "febury": 2,
                   "apirl": 4, "agust": 8, "augst": 8, "septmber": 9, "setember": 9,
                   "septemeber": 9, "ocotber": 10, "octobr": 10, "novembr": 11, "novmber": 11,
                   "novemeber": 11, "decembr": 12, "decemeber": 12, "decmber": 12}
MONTHS.update(MISSPELT_MONTHS)
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "couple of": 2, "a couple of": 2, "couple": 2, "a couple": 2, "few": 3, "a few": 3}


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                  "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
                  "twentieth")
# "the fourteenth", "twenty-first", "thirty first": a day of the month in words.
ORDINALS = {word: i for i, word in enumerate(_ORDINAL_WORDS, 1)}
ORDINALS.update({f"twenty {word}": 20 + i for i, word in enumerate(_ORDINAL_WORDS[:9], 1)})
ORDINALS.update({"thirtieth": 30, "thirty first": 31})


# A day and month with no year that fell within this many days is read as this year's.
RECENT_PAST_DAYS = 92


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def shift(day: date, count: int, unit: str, sign: int = 1) -> date:
    """``count`` days, weeks, fortnights, months or years on from ``day`` (back when ``sign``
    is -1); a month from a day the month lacks ends on its last day."""
    if unit == "day":
        return day + timedelta(days=sign * count)
    if unit == "week":
        return day + timedelta(weeks=sign * count)
    if unit == "fortnight":
        return day + timedelta(weeks=sign * 2 * count)
    if unit == "month":
        return add_months(day, sign * count)
    return add_months(day, sign * 12 * count)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def weekday_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    if word.endswith("s") and word[:-1] in WEEKDAYS:  # "on tuesdays" is rare; "tuesday's"
        return WEEKDAYS[word[:-1]]
    return _WEEKDAY_SHORT.get(word)


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def as_number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def day_of_month(word: str) -> int | None:
    """A day of the month written as 14, 14th or fourteenth."""
    word = re.sub(r"[\s-]+", " ", word.lower().strip())
    digits = re.match(r"(\d{1,2})(?:st|nd|rd|th)?$", word)
    return int(digits[1]) if digits else ORDINALS.get(word)


def coming_weekday(today: date, weekday: int, *, include_today: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def last_weekday(today: date, weekday: int) -> date:
    back = (today.weekday() - weekday) % 7 or 7
    return today - timedelta(days=back)


def nth_readings(today: date, day: int) -> tuple[date, date] | None:
    """The 2nd: this month's (past reading) and the next one on or after today (future)."""
    def make(year: int, month: int) -> date | None:
        if day > calendar.monthrange(year, month)[1]:
            return None
        return date(year, month, day)

    this = make(today.year, today.month)
    prev_month = add_months(today.replace(day=1), -1)
    next_month = add_months(today.replace(day=1), 1)
    if this is None:
        return None
    past = this if this <= today else make(prev_month.year, prev_month.month) or this
    future = this if this >= today else make(next_month.year, next_month.month) or this
    return past, future


def day_month_readings(today: date, day: int, month: int,
                       year: int | None) -> tuple[date, date] | None:
    """12 January: with no year, the last one (past) and the next one (future)."""
    try:
        if year is not None:
            fixed = date(year, month, day)
            return fixed, fixed
        this = date(today.year, month, day)
    except ValueError:
        return None
    leap = month == 2 and day == 29
    past = this if this <= today or leap else date(today.year - 1, month, day)
    # A date a few weeks gone is that date, not next year's: "the hearing on 12 November".
    recent = timedelta(days=0) <= today - this <= timedelta(days=RECENT_PAST_DAYS)
    future = this if this >= today or recent or leap else date(today.year + 1, month, day)
    return past, future


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The nth ``weekday`` of a month (n = -1: the last): "the second Tuesday of May"."""
    if n < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def yearly_readings(today: date, on: Callable[[int], date]) -> tuple[date, date]:
    """A day that comes once a year (``on`` gives it for a year): the last one (past) and
    the next one (future), where one within RECENT_PAST_DAYS is still the one meant."""
    this = on(today.year)
    past = this if this <= today else on(today.year - 1)
    recent = timedelta(days=0) <= today - this <= timedelta(days=RECENT_PAST_DAYS)
    future = this if this >= today or recent else on(today.year + 1)
    return past, future


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales's bank holidays by rule (Banking and Financial Dealings Act 1971 and
    the usual proclamations): courts, councils and the DWP are shut on them. A holiday at a
    weekend moves to the next weekday not already a holiday (Christmas on a Saturday: Monday
    27 and Tuesday 28 December). One-off days a proclamation adds are not known here."""
    sunday = easter(year)
    fixed = [date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)]
    days = {sunday - timedelta(days=2), sunday + timedelta(days=1),
            nth_weekday(year, 5, 0, 1), nth_weekday(year, 5, 0, -1), nth_weekday(year, 8, 0, -1)}
    for day in fixed:
        while day.weekday() >= 5 or day in days:
            day += timedelta(days=1)
        days.add(day)
    return frozenset(days)


def nearest_bank_holiday(today: date) -> tuple[date, date]:
    """"The bank holiday": the last one and the next one; when one is under half as far away as
    the other, that one is meant both ways ("out the day after the bank holiday, so today")."""
    last = max(d for y in (today.year - 1, today.year) for d in bank_holidays(y) if d <= today)
    coming = min(d for y in (today.year, today.year + 1) for d in bank_holidays(y) if d > today)
    if 2 * (today - last) < coming - today:
        return last, last
    if 2 * (coming - today) < today - last:
        return coming, coming
    return last, coming


def working_day(day: date, step: int) -> date:
    """The first working day (not a weekend or bank holiday) ``step`` (+1 or -1) days on."""
    day += timedelta(days=step)
    while day.weekday() >= 5 or day in bank_holidays(day.year):
        day += timedelta(days=step)
    return day
