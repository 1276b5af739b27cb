"""School days: the unit in which school exclusion time limits are counted."""

from datetime import date, timedelta


def school_days_after(start: date, count: int) -> date:
    """``count`` school days (Monday to Friday) after ``start``. Holidays are not known and
    would only move the date later, so this is the earliest the limit can end: a deadline tool
    must never make someone late."""
    day, left = start, count
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
