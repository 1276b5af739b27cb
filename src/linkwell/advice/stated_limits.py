"""Time limits a letter states in its own words ("you may ask for a review within 21 days",
"reply within 30 days of the date of this letter"), counted from the date the person gives
for the letter: pure.

Triage uses one only when no rule of its own dated anything: a letter's limit for a parking
charge, a housing register review or a complaint to the Ombudsman is still the date an
adviser needs, though no rule here knows that kind of letter.
"""

import re
from dataclasses import dataclass
from datetime import date

from linkwell.advice.calendar_words import as_number, shift, working_day
from linkwell.advice.dates import DateMention, find_dates
from linkwell.advice.text import normalise

_COUNT = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(days?|weeks?|months?)"
# "within 21 days", "21 days from the date of the letter", "you have 14 days to reply".
_STATED = re.compile(
    rf"\bwithin (?:the next )?{_COUNT} (?:calendar |working |clear )?{_UNIT}\b|"
    rf"\b{_COUNT} {_UNIT} (?:from|of) (?:the date|receiv|when|the day|the letter|the notice)|"
    # "50% off if paid in 14 days": a discount's limit, as a penalty charge notice states it.
    rf"\b(?:paid|pay) in {_COUNT} {_UNIT}\b|"
    rf"\b(?:have|has|got|given|gives|allow(?:s|ed)?|says?|said) (?:me |us |you |him |her |them )?"
    rf"{_COUNT} {_UNIT} to (?:reply|respond|pay|appeal|ask|request|return|apply|complain|"
    r"challenge|object|refer)")
# "Within 21 days" states a limit only after something to do ("ask for a review within 21
# days", "if you do not pay within 7 days"), or counted from the letter; "it developed a fault
# within three weeks" tells what happened.
_TO_DO = re.compile(r"\b(?:must|should|have to|has to|need to|can|may|able to|pay|paid|reply|"
                    r"respond|appeal|request|ask|return|apply|complain|refer|reject|challenge|"
                    r"submit|lodge|contact|object|review|reviewed|reconsider\w*)\b"
                    r"[^.!?;:]{0,80}$")
_COUNTED_FROM = re.compile(r" (?:of|from) (?:the date|receiv|being notified|the day|the letter|"
                           r"the notice|this letter|this notice|the decision)")
# A date in the same sentence, before the limit or close after it, is the letter's.
_REACH = 200


@dataclass(frozen=True)
class StatedLimit:
    """The end of a limit the text states, and the date it was counted from."""

    ends: date
    counted_from: date


def _count(match: re.Match) -> tuple[int, str] | None:
    count, unit = [g for g in match.groups() if g is not None]
    number = as_number(count)
    return (number, unit.rstrip("s")) if number else None


def _ends(start: date, count: int, unit: str, working: bool) -> date:
    """The limit's last day: "20 working days" skip weekends and bank holidays."""
    if not (working and unit == "day"):
        return shift(start, count, unit)
    for _ in range(count):
        start = working_day(start, 1)
    return start


def _from(text: str, at: int, mentions: list[DateMention], today: date) -> date | None:
    """The exact date gone by (or today) nearest the limit's words, within reach of them."""
    near = [m for m in mentions if m.exact and m.past <= today
            and (at - _REACH <= m.end <= at or at <= m.start <= at + _REACH // 2)]
    if not near:
        return None
    return min(near, key=lambda m: min(abs(at - m.end), abs(m.start - at))).past


def stated_limit(text: str, today: date) -> StatedLimit | None:
    """The first time limit stated with a date to count it from, or None."""
    normal = normalise(text)
    mentions: list[DateMention] | None = None  # read only once a limit is stated
    for match in _STATED.finditer(normal):
        if match.group(0).startswith("within") and not (
                _TO_DO.search(normal, max(0, match.start() - 100), match.start())
                or _COUNTED_FROM.match(normal, match.end())):
            continue
        counted = _count(match)
        if mentions is None:
            mentions = find_dates(normal, today)
        start = _from(normal, match.start(), mentions, today)
        if counted is None or start is None:
            continue
        return StatedLimit(_ends(start, *counted, "working" in match.group(0)), start)
    return None
