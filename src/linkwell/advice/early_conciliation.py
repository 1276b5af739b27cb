"""ACAS early conciliation and the employment tribunal time limit (Employment Rights Act 1996
s.207B): pure.

Conciliation must come before a tribunal claim, and it moves the limit. The days from the day
after ACAS was contacted (Day A) to the day the certificate was issued (Day B) do not count;
and a limit that would then end within a month of Day B ends a month after Day B instead. A
person who writes both days ("contacted ACAS on 5 June ... the certificate was issued on 16
June") is past the first step: what matters now is the last day to make the claim (form ET1).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from linkwell.advice.dates import DateMention

# Words just before a date that say it is the day ACAS was contacted, or the certificate's day.
_CONTACTED = re.compile(r"\b(?:acas|early conciliation)\b[^.!?;\n]{0,60}$")
_CERTIFICATE = re.compile(r"\bcertificate\b[^.!?;\n]{0,40}$")
_REACH = 80

WHAT = "Make the employment tribunal claim (ET1) by"
BASIS = ("The time limit as ACAS early conciliation extends it (Employment Rights Act 1996 "
         "s.207B): the conciliation days do not count, and a limit ending within a month of "
         "the certificate ends a month after it")


@dataclass(frozen=True)
class Conciliation:
    contacted: date  # Day A
    certified: date  # Day B


def conciliation(text: str, mentions: list[DateMention], today: date) -> Conciliation | None:
    """Day A and Day B when the text gives both, exactly and in the past."""
    if "certificate" not in text:  # most texts: no need to look at each date
        return None
    contacted = certified = None
    for m in mentions:
        if not m.exact or m.past > today:
            continue
        before = text[max(0, m.start - _REACH):m.start]
        if _CERTIFICATE.search(before):
            certified = m.past
        elif _CONTACTED.search(before) and contacted is None:
            contacted = m.past
    if contacted is None or certified is None or certified < contacted:
        return None
    return Conciliation(contacted, certified)


def extended(limit_ends: date, days: Conciliation) -> date:
    """The last day to claim once conciliation has run; unchanged when ACAS was contacted only
    after the limit had ended."""
    if days.contacted > limit_ends:
        return limit_ends
    stopped = limit_ends + timedelta(days=(days.certified - days.contacted).days)
    month_after = days.certified + relativedelta(months=1)
    return month_after if days.contacted <= stopped <= month_after else stopped
