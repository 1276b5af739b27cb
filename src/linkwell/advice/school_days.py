"""School days: the unit in which school exclusion time limits are counted.

Schools are closed in the holidays, and people count those days out ("excluded yesterday: 15
school days, not counting Christmas"). Term dates differ by school and borough, so the
holidays below are APPROXIMATE: the usual pattern of English (London) state schools, worked
out for any year by rule rather than listed:

- October half-term: the week beginning on the last Monday of October.
- Christmas: from the Saturday after the Friday that falls on 16-22 December, back on the
  first weekday on or after 4 January that is not a bank holiday.
- February half-term: the week beginning on the Monday that falls on 12-18 February.
- Easter: the fortnight (two Monday-to-Friday weeks) from the Monday on or after 29 March, or,
  when Easter is late, the fortnight that ends on the Friday before Easter Monday; Good Friday
  and Easter Monday are closed wherever they fall.
- The early May bank holiday (first Monday of May).
- May half-term: the week beginning on the spring bank holiday (last Monday of May).
- Summer: from 22 July, back on the first weekday on or after 2 September; when that is a
  Monday, on the Tuesday (the Monday is a staff training day, as in 2029).

For the school years 2025-26 to 2027-28 this gives the holidays of the table it replaced, the
ones the enquiry writers were told to assume, except for three days: Monday 4 January 2027 is
kept closed as the writers were told (the Christmas 2026 break ran to 4 January); Wednesday 2
September 2026 is open here (the table had the autumn term start on Thursday 3 September) and
Friday 21 July 2028 is open here (the table broke up on Thursday 20 July 2028). A limit
counted in school days is therefore always shown as approximate ("about"), with its basis
saying to check the school's own dates.
"""

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from linkwell.advice.calendar_words import bank_holidays

# The Christmas 2026 break the enquiry writers were told to assume ran to Monday 4 January
# 2027; the rule alone would have schools open that day.
TOLD_CLOSED = frozenset({date(2027, 1, 4)})


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _weekday_on_or_after(day: date, closed: frozenset[date] = frozenset()) -> date:
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def half_terms(year: int) -> tuple[tuple[date, date], ...]:
    """The February, May and October half-term weeks of calendar ``year``, Monday to Friday."""
    weeks = (_monday_on_or_after(date(year, 2, 12)), _last_monday(year, 5),
             _last_monday(year, 10))
    return tuple((monday, monday + timedelta(days=4)) for monday in weeks)


@lru_cache(maxsize=64)
def school_holidays(year: int) -> tuple[tuple[date, date], ...]:
    """The typical school holidays that touch calendar ``year``: (first day closed, last day
    closed), both inclusive."""
    spans: list[tuple[date, date]] = []
    # The end of the Christmas break that began the December before.
    back = _weekday_on_or_after(date(year, 1, 4), bank_holidays(year))
    spans.append((date(year, 1, 1), back - timedelta(days=1)))
    february, may, october = half_terms(year)
    spans.append(february)
    easter_monday = easter(year) + timedelta(days=1)
    start = max(_monday_on_or_after(date(year, 3, 29)), easter_monday - timedelta(days=14))
    spans.append((start, start + timedelta(days=11)))
    spans += [(easter_monday - timedelta(days=3),) * 2, (easter_monday,) * 2]
    early_may = _monday_on_or_after(date(year, 5, 1))
    spans.append((early_may, early_may))
    spans.append(may)
    autumn = _weekday_on_or_after(date(year, 9, 2))
    autumn += timedelta(days=autumn.weekday() == 0)  # a Monday start is a training day
    spans.append((date(year, 7, 22), autumn - timedelta(days=1)))
    spans.append(october)
    breaking_up = date(year, 12, 16) + timedelta(days=(4 - date(year, 12, 16).weekday()) % 7)
    spans.append((breaking_up + timedelta(days=1), date(year, 12, 31)))
    return tuple(spans)


def is_school_holiday(day: date) -> bool:
    """Whether ``day`` falls in a typical school holiday (approximate)."""
    return day in TOLD_CLOSED or any(
        first <= day <= last for first, last in school_holidays(day.year))


def school_days_after(start: date, count: int) -> date:
    """``count`` school days after ``start``: Monday to Friday, outside the typical school
    holidays above. Approximate (a school's own dates may differ), so callers show the date
    as "about" and say to check it."""
    day, left = start, count
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_school_holiday(day):
            left -= 1
    return day
