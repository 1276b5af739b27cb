"""Weekdays and weeks in people's words ("on Friday", "Tuesday week", "three weeks last
Thursday", "Thursday last week", "the last Friday of the month"), resolved against ``today``:
the handlers ``dates.find_dates`` calls for them (moved out of ``dates.py``). Pure.
"""

import re
from datetime import date, timedelta

from linkwell.advice.calendar_words import (
    add_months,
    as_number,
    coming_weekday,
    last_weekday,
    month_number,
    nth_weekday,
    shift,
    weekday_number,
    yearly_readings,
)


def weekday_week(m: re.Match, today: date):
    weekday = weekday_number(m[1] or m[2])
    if weekday is None:
        return None
    day = coming_weekday(today, weekday) + timedelta(days=7)
    return day, day, True


def end_of_week(m: re.Match, today: date):
    day = coming_weekday(today, 4, include_today=True)  # Friday
    return day, day, False


# A weekday said to be some days back, just after it: "On Friday evening, three days ago".
_AGO_AFTER = re.compile(r"(?:\W+\w+)?\W+(?:\w+\s+)?days?\s+ago\b")


def weekday(m: re.Match, today: date):
    weekday = weekday_number(m[2])
    if weekday is None:
        return None
    qualifier = (m[1] or "").lower().split()
    after = (m[3] or "").lower()
    if after == "just gone" or "last" in qualifier or "since" in qualifier:
        day = last_weekday(today, weekday)
        if after == "week" and "last" in qualifier:
            day = last_weekday(today, weekday)
        return day, day, True
    if "next" in qualifier and after == "week":
        day = coming_weekday(today, weekday) + timedelta(days=7)
        return day, day, True
    if qualifier and qualifier[0] in ("next", "coming", "this"):
        day = coming_weekday(today, weekday, include_today=qualifier[0] == "this" and
                      len(qualifier) == 1)
        return day, day, True
    if _AGO_AFTER.match(m.string, m.end()):  # "on Friday evening, three days ago now"
        day = last_weekday(today, weekday)
        return day, day, True
    # "on Tuesday", "by Friday", bare "Monday": either way; the rule chooses.
    return _either_way(today, weekday)


def _either_way(today: date, weekday: int):
    return last_weekday(today, weekday), coming_weekday(today, weekday), True


def relative_week(m: re.Match, today: date):
    which, unit = m[1].lower(), m[2].lower()
    sign = -1 if which == "last" else 1
    day = shift(today, 1, unit, sign)
    return day, day, False


_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
        "4th": 4, "last": -1, "final": -1}


def nth_weekday_of_month(m: re.Match, today: date):
    """"The last Friday of the month", "the first Monday in December"."""
    n, weekday = _NTH[m[1].lower()], weekday_number(m[2])
    if m[3]:
        first = add_months(today.replace(day=1),
                           {"this": 0, "the": 0, "next": 1, "last": -1}[m[3].lower()])
        day = nth_weekday(first.year, first.month, weekday, n)
        return day, day, True
    month = month_number(m[4])
    return (*yearly_readings(today, lambda y: nth_weekday(y, month, weekday, n)), True)


def _weeks(text: str, count: str | None) -> int:
    """How many weeks "a fortnight", "two weeks" or "a week" is."""
    number = as_number(count) if count else 1
    return (number or 1) * (2 if "fortnight" in text.lower() else 1)


def weeks_on_weekday(m: re.Match, today: date):
    """"Two weeks on Friday": counted on from the coming weekday; "it'll be six weeks on Friday
    since they took him off the rota": counted back from it."""
    weekday = weekday_number(m[2])
    if weekday is None:
        return None
    weeks = timedelta(weeks=_weeks(m.group(0), m[1]))
    day = coming_weekday(today, weekday) + (-weeks if m[0].lower().endswith("since") else weeks)
    return day, day, True


def weekday_weeks(m: re.Match, today: date):
    weekday = weekday_number(m[1])
    if weekday is None:
        return None
    day = coming_weekday(today, weekday) + timedelta(weeks=_weeks(m[2], None))
    return day, day, True


def weeks_last_weekday(m: re.Match, today: date):
    day = last_weekday(today, weekday_number(m[2])) - timedelta(weeks=_weeks(m[0], m[1]))
    return day, day, True


def weekday_before_last(m: re.Match, today: date):
    day = last_weekday(today, weekday_number(m[1] or m[2])) - timedelta(weeks=1)
    return day, day, True


def weekday_after_next(m: re.Match, today: date):
    weekday = weekday_number(m[1])
    if weekday is None:
        return None
    day = coming_weekday(today, weekday) + timedelta(days=7)
    return day, day, True


def week_after_next(m: re.Match, today: date):
    day = today + timedelta(weeks=2)
    return day, day, False


def _next_week_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def weekday_in_week(weeks_ahead: int):
    """The handler for a weekday in a calendar week (Monday to Sunday) ``weeks_ahead`` of this
    one: "Tuesday next week" (1), "Tuesday of this week" (0), "Thursday last week" (-1)."""
    def handler(m: re.Match, today: date):
        weekday = weekday_number(next((g for g in m.groups() if g), ""))
        if weekday is None:
            return None
        day = _next_week_monday(today) + timedelta(weeks=weeks_ahead - 1, days=weekday)
        return day, day, True
    return handler


def end_of_next_week(m: re.Match, today: date):
    day = _next_week_monday(today) + timedelta(days=4)  # its Friday
    return day, day, False


def short_weekday(m: re.Match, today: date):
    """"Sat night": the last Saturday or the next (the rule chooses)."""
    return _either_way(today, weekday_number(m[1]))
