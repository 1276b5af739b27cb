"""School days: the unit in which school exclusion time limits are counted.

Schools are closed in the holidays, and people count those days out ("excluded yesterday: 15
school days, not counting Christmas"). Term dates differ by school and borough, so the
calendar below is APPROXIMATE: typical London state-school holidays (the pattern most London
boroughs publish, half-terms and the Christmas, Easter and summer breaks, with bank holidays)
for the school years 2025-26 to 2027-28; the Christmas 2026 break (19 December 2026 to 4
January 2027) and the Christmas 2027 one (breaking up on Friday 17 December 2027, back on
Tuesday 4 January 2028) are also the ones the enquiry writers were told to assume. Outside
those years only weekends are known, which gives the earliest date the limit can end. A limit
counted in school days is therefore always shown as approximate ("about"), with its basis
saying to check the school's own dates.
"""

from datetime import date, timedelta

# (first day closed, last day closed), both inclusive.
SCHOOL_HOLIDAYS: tuple[tuple[date, date], ...] = (
    (date(2025, 10, 27), date(2025, 10, 31)),  # autumn half-term 2025
    (date(2025, 12, 20), date(2026, 1, 4)),    # Christmas 2025
    (date(2026, 2, 16), date(2026, 2, 20)),    # February half-term 2026
    (date(2026, 3, 30), date(2026, 4, 10)),    # Easter 2026 (Good Friday 3 April)
    (date(2026, 5, 4), date(2026, 5, 4)),      # early May bank holiday 2026
    (date(2026, 5, 25), date(2026, 5, 29)),    # May half-term 2026
    (date(2026, 7, 22), date(2026, 9, 2)),     # summer 2026
    (date(2026, 10, 26), date(2026, 10, 30)),  # autumn half-term 2026
    (date(2026, 12, 19), date(2027, 1, 4)),    # Christmas 2026
    (date(2027, 2, 15), date(2027, 2, 19)),    # February half-term 2027
    (date(2027, 3, 26), date(2027, 4, 9)),     # Easter 2027 (Good Friday 26 March)
    (date(2027, 5, 3), date(2027, 5, 3)),      # early May bank holiday 2027
    (date(2027, 5, 31), date(2027, 6, 4)),     # May half-term 2027
    (date(2027, 7, 22), date(2027, 9, 1)),     # summer 2027
    (date(2027, 10, 25), date(2027, 10, 29)),  # autumn half-term 2027
    (date(2027, 12, 18), date(2028, 1, 3)),    # Christmas 2027
    (date(2028, 2, 14), date(2028, 2, 18)),    # February half-term 2028
    (date(2028, 4, 3), date(2028, 4, 17)),     # Easter 2028 (Good Friday 14 April)
    (date(2028, 5, 1), date(2028, 5, 1)),      # early May bank holiday 2028
    (date(2028, 5, 29), date(2028, 6, 2)),     # May half-term 2028
    (date(2028, 7, 21), date(2028, 9, 1)),     # summer 2028
)


def is_school_holiday(day: date) -> bool:
    """Whether ``day`` falls in a typical London school holiday (approximate)."""
    return any(first <= day <= last for first, last in SCHOOL_HOLIDAYS)


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
