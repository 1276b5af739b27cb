"""NHS England's common outcomes framework on the dashboard, without I/O: the rules for a
community outcome a link worker records, the system-outcomes CSV a practice supplies (read
line by line, every bad line named with its reason), and the figures with how confident
each is.

Person outcomes come from the wellbeing instruments (``outcomes``); community outcomes are
new groups started and volunteers recruited; system outcomes are GP appointments and A&E
attendances over a period before and after the person's first referral.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from linkwell.errors import InvalidInput
from linkwell.insights.pseudonyms import clean_pseudonym
from linkwell.referrals.domain import clean_nhs_number

COMMUNITY_KINDS = {"new-group": "New groups started",
                   "volunteers-recruited": "Volunteers recruited"}
SYSTEM_MEASURES = {"gp-appointments": "GP appointments", "ae-attendances": "A&E attendances"}
HEADER = ("nhs_number", "measure", "period", "count")
# A practice may name people by pseudonym instead (``pseudonyms``): the same file otherwise.
PSEUDONYM_HEADER = ("pseudonym", *HEADER[1:])
MAX_LINES = 50_000
MAX_COUNT = 1000
PERIOD = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")


def month_start(text: str, field_name: str = "month") -> date:
    """A month as YYYY-MM, kept as its first day."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise InvalidInput("Enter the month as YYYY-MM, for example 2026-04",
                           errors=[{"field": field_name,
                                    "message": "Enter the month as YYYY-MM, for example "
                                               "2026-04"}])
    return date(int(match[1]), int(match[2]), 1)


def check_community(kind: str, count: str | int, month: str, today: date) -> tuple:
    """The kind, count and month of a community outcome; every bad field named at once."""
    errors = []
    if kind not in COMMUNITY_KINDS:
        errors.append({"field": "kind", "message": "Choose new groups or volunteers"})
    text = str(count).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        errors.append({"field": "count", "message": f"Enter a whole number from 1 to "
                                                    f"{MAX_COUNT}"})
    first = None
    try:
        first = month_start(month)
        if first > today:
            errors.append({"field": "month", "message": "The month must not be in the "
                                                        "future"})
    except InvalidInput as exc:
        errors += exc.errors
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    return kind, int(text), first


@dataclass(frozen=True)
class Line:
    number: int
    person: str  # the NHS number or the pseudonym, as the file's first column says
    measure: str
    start: date
    end: date  # the last day of the period's last month
    count: int


@dataclass
class Parsed:
    column: str = HEADER[0]  # nhs_number or pseudonym
    lines: list[Line] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # {"line": n, "reason": text}


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def parse_system_csv(text: str, today: date) -> Parsed:
    """Read the CSV (header nhs_number,measure,period,count, or pseudonym in place of
    nhs_number; period YYYY-MM/YYYY-MM, the months inclusive). Each bad line is rejected with
    its reason; duplicates in the file too."""
    out = Parsed()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(h.strip().lower() for h in next(reader, []))
    if HEADER[0] in header and PSEUDONYM_HEADER[0] in header:
        out.rejected.append({"line": 1, "reason": "The file has both nhs_number and "
                                                  "pseudonym columns: send one of them"})
        return out
    if header not in (HEADER, PSEUDONYM_HEADER):
        out.rejected.append({"line": 1, "reason": "The first line must be the header "
                             f"{','.join(HEADER)} or {','.join(PSEUDONYM_HEADER)}"})
        return out
    out.column = header[0]
    seen: dict[tuple, int] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_LINES + 1:
            out.rejected.append({"line": number, "reason": f"More than {MAX_LINES:,} lines: "
                                                           "split the file"})
            break
        if not any(cell.strip() for cell in row):
            continue
        reason, line = _line(number, row, today, out.column)
        if reason:
            out.rejected.append({"line": number, "reason": reason})
            continue
        key = (line.person, line.measure, line.start, line.end)
        if key in seen:
            out.rejected.append({"line": number, "reason": f"Duplicate of line {seen[key]}"})
            continue
        seen[key] = number
        out.lines.append(line)
    return out


def _person(raw: str, column: str) -> tuple[str | None, str | None]:
    """(reason, the NHS number or pseudonym)"""
    if column == PSEUDONYM_HEADER[0]:
        found = clean_pseudonym(raw)
        return (None, found) if found else (
            "Not a valid pseudonym: 64 hexadecimal characters (HMAC-SHA256)", None)
    try:
        found = clean_nhs_number(raw)
    except InvalidInput:
        found = None
    return (None, found) if found else ("Not a valid NHS number", None)


def _line(number: int, row: list[str], today: date,
          column: str) -> tuple[str | None, Line | None]:
    if len(row) != len(HEADER):
        return f"Expected {len(HEADER)} values, found {len(row)}", None
    raw_person, measure, period, count = (cell.strip() for cell in row)
    reason, person = _person(raw_person, column)
    if reason:
        return reason, None
    if measure not in SYSTEM_MEASURES:
        return f"Unknown measure {measure[:30]!r}: use {' or '.join(SYSTEM_MEASURES)}", None
    match = PERIOD.match(period)
    if not match or not (1 <= int(match[2]) <= 12 and 1 <= int(match[4]) <= 12):
        return "Bad period: use YYYY-MM/YYYY-MM, for example 2025-01/2025-06", None
    start = date(int(match[1]), int(match[2]), 1)
    end = _month_end(int(match[3]), int(match[4]))
    if end < start:
        return "Bad period: it ends before it starts", None
    if end >= today.replace(day=1):
        return "Bad period: it has not ended yet", None
    if not count.isdigit() or int(count) > MAX_COUNT:
        return f"The count must be a whole number from 0 to {MAX_COUNT}", None
    return None, Line(number, person, measure, start, end, int(count))


def relative_to(line: Line, referred_on: date) -> str | None:
    """before or after the first referral; None when the period contains it."""
    if line.end < referred_on:
        return "before"
    if line.start > referred_on:
        return "after"
    return None


SYSTEM_CONFIDENCE = (
    "Low: counts before and after referral for the same people, with no comparison group, so "
    "a change may be regression to the mean or would have happened anyway; only people with "
    "both periods counted are compared, per month of period.")
COMMUNITY_CONFIDENCE = ("Moderate: counted by link workers as they happen; not checked "
                        "against the groups' own records.")


def community_rows(frame, team_ids: set[int] | None, first: date | None,
                   last: date | None) -> list[dict]:
    """New groups and volunteers by kind, for the teams and months the filters select (a
    month counts when it overlaps the period)."""
    keep = frame
    if team_ids is not None:
        keep = keep[keep["team_id"].isin(team_ids)]
    if first is not None:
        keep = keep[keep["month"] >= first.replace(day=1)]
    if last is not None:
        keep = keep[keep["month"] <= last]
    totals = keep.groupby("kind")["count"].sum() if len(keep) else {}
    return [{"group": label, "code": kind, "count": int(totals.get(kind, 0)),
             "records": int((keep["kind"] == kind).sum()) if len(keep) else 0}
            for kind, label in COMMUNITY_KINDS.items()]


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def system_rows(frame, people) -> list[dict]:
    """For each measure, the people referred in the filters (an array of ids) with counts
    both before and after their first referral: mean per person per month before and after,
    and the change."""
    if len(frame):
        frame = frame[frame["person_id"].isin(people)]
    rows = []
    for measure, label in SYSTEM_MEASURES.items():
        mine = frame[frame["measure"] == measure]
        per = {}
        for relative in ("before", "after"):
            part = mine[mine["relative"] == relative]
            months = [_months(a, b) for a, b in zip(part["period_start"], part["period_end"],
                                                    strict=True)]
            per[relative] = part.assign(months=months).groupby("person_id")[
                ["count", "months"]].sum()
        both = per["before"].index.intersection(per["after"].index)
        before = per["before"].loc[both]
        after = per["after"].loc[both]
        rate_before = float(before["count"].sum() / before["months"].sum()) if len(both) \
            else None
        rate_after = float(after["count"].sum() / after["months"].sum()) if len(both) else None
        rows.append({"group": label, "code": measure, "people": len(both),
                     "per_month_before": rate_before, "per_month_after": rate_after,
                     "change_per_month": None if rate_before is None
                     else rate_after - rate_before})
    return rows
