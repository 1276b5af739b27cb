"""Days named for a festival, a custom or the calendar ("Christmas Eve", "the Tuesday after
Easter", "Mothering Sunday", "the day the clocks change"), resolved against ``today``: the
handlers ``dates.find_dates`` calls for them (moved out of ``dates.py``). Pure.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter

from linkwell.advice.calendar_words import (
    bank_holidays,
    day_month_readings,
    nearest_bank_holiday,
    nth_weekday,
    weekday_number,
    working_day,
    yearly_readings,
)
from linkwell.advice.school_days import half_terms, is_school_holiday, school_holidays

_HOLIDAYS = {"christmas eve": (24, 12), "christmas day": (25, 12), "christmas": (25, 12),
             "xmas": (25, 12), "xmas eve": (24, 12), "xmas day": (25, 12),
             "boxing day": (26, 12), "new years eve": (31, 12),
             "new year eve": (31, 12), "new years day": (1, 1), "new year day": (1, 1),
             "new year": (1, 1), "new years": (1, 1),
             "valentines day": (14, 2), "valentine day": (14, 2), "valentines": (14, 2),
             "valentine": (14, 2), "bonfire night": (5, 11), "guy fawkes night": (5, 11),
             "guy fawkes": (5, 11), "halloween": (31, 10)}


def holiday(m: re.Match, today: date):
    name = " ".join(m[3].lower().split())
    if name.startswith("new year") and name.endswith("bank holiday"):
        name = "new years day"
    if name.startswith("new year") and not name.endswith(("day", "eve")) and not m[2]:
        return None  # "in the new year" is no day; "the day after New Year" is
    if name == "the bank holiday":
        readings = nearest_bank_holiday(today)
    else:
        readings = day_month_readings(today, *_HOLIDAYS[name], None)
    if readings is None:
        return None
    step = {"after": 1, "before": -1}.get((m[2] or "").lower(), 0)
    if m[1]:
        return working_day(readings[0], step), working_day(readings[1], step), True
    return readings[0] + timedelta(days=step), readings[1] + timedelta(days=step), True


def christmas_to_new_year(m: re.Match, today: date):
    """"Between Christmas and New Year": some day of that week, not Christmas Day itself (a
    day written with it, "the 27th", says which)."""
    readings = day_month_readings(today, 28, 12, None)
    return None if readings is None else (readings[0], readings[1], False)


# Days from Easter Sunday of the named day.
_EASTER_DAYS = {"good friday": -2, "easter saturday": -1, "easter sunday": 0, "easter day": 0,
                "easter": 0, "easter monday": 1, "easter bank holiday": 1}


def easter_day(m: re.Match, today: date):
    """Good Friday, Easter Monday, "the Tuesday after Easter", "the day after Easter Monday",
    "the first working day after Easter" (past the bank holiday): moved by Easter each year.
    Bare "Easter" is the Sunday, approximate ("the tenancy ends at Easter")."""
    # Groups: what comes before ("the Tuesday", "the first working day"), its weekday,
    # "after" or "before", and the Easter day named.
    name = " ".join(m[4].lower().split())
    lead = " ".join((m[1] or "").lower().split())
    step = 1 if (m[3] or "").lower() == "after" else -1

    def named(year: int) -> date:
        day = easter(year) + timedelta(days=_EASTER_DAYS[name])
        if lead.endswith("working day"):
            return working_day(day, step)
        if lead == "day":  # "the day after"
            return day + timedelta(days=step)
        if lead:
            weekday = weekday_number(lead)
            if step == 1:
                return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)
            return day - timedelta(days=(day.weekday() - weekday - 1) % 7 + 1)
        return day

    return (*yearly_readings(today, named), bool(m[3]) or name != "easter")


# Days named for a custom or a festival, by year: moved by Easter, or the nth weekday of a
# month (the bank holidays of England and Wales), or fixed.
_NAMED_DAYS: dict[str, Callable[[int], date]] = {
    "mothering sunday": lambda y: easter(y) - timedelta(days=21),
    "palm sunday": lambda y: easter(y) - timedelta(days=7),
    "shrove tuesday": lambda y: easter(y) - timedelta(days=47),
    "ash wednesday": lambda y: easter(y) - timedelta(days=46),
    "remembrance sunday": lambda y: nth_weekday(y, 11, 6, 2),
    "remembrance day": lambda y: date(y, 11, 11),
    "fathers day": lambda y: nth_weekday(y, 6, 6, 3),
    "early may bank holiday": lambda y: nth_weekday(y, 5, 0, 1),
    "spring bank holiday": lambda y: nth_weekday(y, 5, 0, -1),
    "august bank holiday": lambda y: nth_weekday(y, 8, 0, -1),
}
_SAME_DAY = {"mothers day": "mothering sunday", "pancake day": "shrove tuesday",
             "armistice day": "remembrance day", "may bank holiday": "early may bank holiday",
             "late may bank holiday": "spring bank holiday",
             "summer bank holiday": "august bank holiday",
             "bank holiday monday in august": "august bank holiday",
             "bank holiday monday at the end of may": "spring bank holiday",
             "bank holiday monday in late may": "spring bank holiday",
             "bank holiday monday at the start of may": "early may bank holiday",
             "bank holiday monday at the beginning of may": "early may bank holiday",
             "bank holiday monday in early may": "early may bank holiday"}


def named_yearly(m: re.Match, today: date):
    name = " ".join(m[2].lower().replace("'", "").split())
    step = timedelta(days={"after": 1, "before": -1}.get((m[1] or "").lower(), 0))
    named = _NAMED_DAYS[_SAME_DAY.get(name, name)]
    return (*yearly_readings(today, lambda year: named(year) + step), True)


def clocks_change(m: re.Match, today: date):
    """British Summer Time starts on the last Sunday in March and ends on the last in October:
    "the day the clocks go forward" is the March one, "go back" the October one, and "the day
    the clocks change" the last change and the next."""
    way = " ".join(m[1].lower().split())
    months = (3,) if way in ("go forward", "spring forward") else \
        (10,) if way in ("go back", "fall back") else (3, 10)
    changes = sorted(nth_weekday(y, month, 6, -1) for y in range(today.year - 1, today.year + 2)
                     for month in months)
    return (max(d for d in changes if d <= today), min(d for d in changes if d >= today), True)


def weekday_by_break(m: re.Match, today: date):
    """"The Thursday before the bank holiday", "the Monday after half term": that weekday
    beside the last such break and beside the next one (the rule chooses)."""
    weekday = weekday_number(m[1])
    if weekday is None:
        return None
    after, which = m[2].lower() == "after", m[3].lower()
    years = (today.year - 1, today.year, today.year + 1)
    broke_up = which.endswith("broke up")  # a school holiday that has begun: behind only
    if which.endswith("bank holiday"):
        named = which.removesuffix("bank holiday").split()
        breaks = [(day, day) for y in years for day in bank_holidays(y)
                  if not named or _is_named_bank_holiday(day, " ".join(named))]
    elif broke_up:
        breaks = [span for y in years for span in school_holidays(y)
                  if (span[1] - span[0]).days >= 4 and span[0] <= today]
    else:
        breaks = [week for y in years for week in half_terms(y)]
    days = sorted(_beside(first, last, weekday, after) for first, last in breaks)
    past = [d for d in days if d <= today]
    coming = past[-1:] if broke_up else [d for d in days if d >= today]
    if not past or not coming:
        return None
    return past[-1], coming[0], True


def _is_named_bank_holiday(day: date, name: str) -> bool:
    """Whether a bank holiday is the one named ("the August bank holiday", "the May one": the
    early May one), by the named days' own rules; "the Easter one" is Good Friday or Easter
    Monday."""
    if name == "easter":
        return day.month in (3, 4)
    named = f"{name} bank holiday"
    return day == _NAMED_DAYS[_SAME_DAY.get(named, named)](day.year)


def _beside(first: date, last: date, weekday: int, after: bool) -> date:
    if after:
        return last + timedelta(days=(weekday - last.weekday() - 1) % 7 + 1)
    return first - timedelta(days=(first.weekday() - weekday - 1) % 7 + 1)


# The month a named term's (or holiday's) edge holiday starts in: the autumn term ends at
# Christmas and starts after the summer; the spring term ends at Easter and starts after
# Christmas; the summer term ends in July and starts after Easter. (Key: name, first day.)
_TERM_BREAKS = {("summer", False): (7,), ("christmas", False): (12,), ("easter", False): (3, 4),
                ("autumn", False): (12,), ("spring", False): (3, 4),
                ("autumn", True): (7,), ("spring", True): (12,), ("summer", True): (3, 4)}


def term_edge(m: re.Match, today: date):
    """"The last day of term", "the day the kids broke up", "the first day of term", "the day
    the schools go back": the school day beside the last long holiday and the next one (by
    ``school_days``' typical London dates, so approximate)."""
    first_day = bool(m[1])
    named = re.search(r"summer|autumn|spring|christmas|easter", m[0], re.IGNORECASE)
    months = _TERM_BREAKS[named[0].lower(), first_day] if named else range(1, 13)
    years = (today.year - 1, today.year, today.year + 1)
    days = []
    for start, end in (span for y in years for span in school_holidays(y)
                       if (span[1] - span[0]).days >= 4 and span[0].month in months):
        day, step = (end, 1) if first_day else (start, -1)
        day += timedelta(days=step)
        while day.weekday() >= 5 or is_school_holiday(day):
            day += timedelta(days=step)
        days.append(day)
    days.sort()
    past = [d for d in days if d <= today]
    behind_only = re.search(r"broke|went|were", m[0], re.IGNORECASE)  # a break that has begun
    coming = past[-1:] if behind_only else [d for d in days if d >= today]
    if not past or not coming:
        return None
    return past[-1], coming[0], False
