"""A listing's weekly opening times as a provider edits them: one opening and closing time a
day (pure: no I/O).

The form has a row per day; HSDS stores WEEKLY ``schedule`` rows with ``byday``, ``opens_at``
and ``closes_at``. Days with the same times share one row, as feeds usually write them
("MO,WE,FR 10:00–16:00"), so what a provider saves exports as a feed would have it.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import time

from linkwell.directory.search_query import DAY_NAMES, DAYS

_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")

WeeklyHours = dict[str, tuple[time, time]]
"""Day code (HSDS ``byday``: MO…SU) → (opens_at, closes_at); a day not in it is closed."""


def field_names(day: str) -> tuple[str, str]:
    return f"opens_{day}", f"closes_{day}"


def from_schedules(schedules: Iterable[Mapping]) -> WeeklyHours:
    """The weekly hours that WEEKLY schedule rows describe (other rows are left alone)."""
    hours: WeeklyHours = {}
    for schedule in schedules:
        if (schedule.get("freq") or "").upper() != "WEEKLY":
            continue
        opens, closes = schedule.get("opens_at"), schedule.get("closes_at")
        if opens is None or closes is None:
            continue
        for code in (schedule.get("byday") or "").split(","):
            day = code.strip()[-2:].upper()
            if day in DAYS and day not in hours:
                hours[day] = (opens, closes)
    return hours


def as_form(hours: WeeklyHours) -> dict[str, str]:
    values = {}
    for day in DAYS:
        opens_field, closes_field = field_names(day)
        opens, closes = hours.get(day, (None, None))
        values[opens_field] = opens.strftime("%H:%M") if opens else ""
        values[closes_field] = closes.strftime("%H:%M") if closes else ""
    return values


def _clock(text: str) -> time | None:
    found = _CLOCK.fullmatch(text.strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def from_form(values: Mapping[str, str]) -> tuple[WeeklyHours, list[dict]]:
    """The form's times, and a field error for each day that cannot be read."""
    hours: WeeklyHours = {}
    errors = []
    for day, name in zip(DAYS, DAY_NAMES, strict=True):
        opens_field, closes_field = field_names(day)
        opens_text = (values.get(opens_field) or "").strip()
        closes_text = (values.get(closes_field) or "").strip()
        if not opens_text and not closes_text:
            continue
        if not opens_text or not closes_text:
            missing = opens_field if not opens_text else closes_field
            errors.append({"field": missing, "message": f"Enter both times for {name}, or "
                           "neither if it is closed"})
            continue
        opens, closes = _clock(opens_text), _clock(closes_text)
        if opens is None or closes is None:
            bad = opens_field if opens is None else closes_field
            errors.append({"field": bad, "message": f"Enter {name}'s times on the 24-hour "
                           "clock, like 09:30 or 17:00"})
            continue
        if closes <= opens:
            errors.append({"field": closes_field, "message": f"{name}'s closing time must be "
                           "after its opening time"})
            continue
        hours[day] = (opens, closes)
    return hours, errors


def as_schedule_rows(hours: WeeklyHours) -> list[dict]:
    """HSDS schedule fields, one row per set of days with the same times, in week order."""
    grouped: dict[tuple[time, time], list[str]] = {}
    for day in DAYS:
        if day in hours:
            grouped.setdefault(hours[day], []).append(day)
    return [{"freq": "WEEKLY", "byday": ",".join(days), "opens_at": opens, "closes_at": closes}
            for (opens, closes), days in grouped.items()]


def describe(hours: WeeklyHours) -> str:
    """One line for the change history: "MO 10:00-13:00; TU closed…" reads well enough."""
    return "; ".join(f"{day} {hours[day][0]:%H:%M}-{hours[day][1]:%H:%M}" if day in hours
                     else f"{day} closed" for day in DAYS)


def languages_from_form(text: str) -> tuple[list[str], list[dict]]:
    """"English, Polish, British Sign Language" → names, or an error naming what is wrong."""
    names, seen = [], set()
    for part in re.split(r"[,;\n]", text or ""):
        name = " ".join(part.split())
        if not name:
            continue
        if len(name) > 60 or not re.fullmatch(r"[A-Za-z][A-Za-z '()-]*", name):
            return [], [{"field": "languages", "message": "Write each language's name, "
                         "separated by commas, like English, Polish, British Sign Language"}]
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name[0].upper() + name[1:])
    if len(names) > 30:
        return [], [{"field": "languages", "message": "List at most 30 languages"}]
    return names, []
