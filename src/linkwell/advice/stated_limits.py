"""Time limits a letter states in its own words ("you may ask for a review within 21 days",
"reply within 30 days of the date of this letter"), counted from the date the person gives
for the letter: pure.

Triage uses one only when no rule of its own dated anything: a letter's limit for a parking
charge, a housing register review or a complaint to the Ombudsman is still the date an
adviser needs, though no rule here knows that kind of letter. So is a deadline the person
names ("the closing date was 31 October", "appeals have to be lodged by 31 March").
"""

import re
from dataclasses import dataclass
from datetime import date

from linkwell.advice.calendar_words import as_number, shift, working_day
from linkwell.advice.dates import DateMention, find_dates
from linkwell.advice.school_days import school_days_after
from linkwell.advice.text import normalise

_COUNT = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(days?|weeks?|months?)"
# "within 21 days", "21 days from the date of the letter", "you have 14 days to reply".
_STATED = re.compile(
    rf"\bwithin (?:the next )?{_COUNT} (?:calendar |working |clear |school )?{_UNIT}\b|"
    rf"\b{_COUNT} {_UNIT} (?:from|of) (?:the date|receiv|when|the day|the letter|the notice)|"
    # "50% off if paid in 14 days": a discount's limit, as a penalty charge notice states it.
    rf"\b(?:paid|pay)(?: £?[\d,.]+)? in {_COUNT} {_UNIT}\b|"
    # "The offer remains open for three weeks".
    rf"\bopen for {_COUNT} {_UNIT}\b|"
    # "It say I must tell who was the driver in 28 days".
    rf"\b(?:must|have to|has to|need to) (?:\w+ ){{1,6}}?in {_COUNT} {_UNIT}\b|"
    rf"\b(?:have|has|had|got|given|gives|allow(?:s|ed)?|says?|said) (?:me |us |you |him |her |"
    # (any "N days to" do something: reply, pay, say who was driving, give the car back)
    rf"them )?{_COUNT} {_UNIT} to \w+")
# A limit counted back from a hearing the text dates: "file and serve written evidence not less
# than 7 days before the hearing", "no later than 14 days before the hearing".
_BEFORE_HEARING = re.compile(
    rf"\b(?:not less than|at least|no later than|not later than|by) {_COUNT} (?:clear )?"
    rf"{_UNIT} before the (?:final )?(?:hearing|trial)\b")
# "Within 21 days" states a limit only after something to do ("ask for a review within 21
# days", "if you do not pay within 7 days"), or counted from the letter; "it developed a fault
# within three weeks" tells what happened.
_TO_DO = re.compile(r"\b(?:must|should|have to|has to|need to|can|may|able to|pay|paid|reply|"
                    r"send (?:it|them|the form) back|"
                    r"respond|appeal|request|ask|return|apply|complain|refer|reject|challenge|"
                    r"submit|lodge|contact|object|review|reviewed|reconsider\w*)\b"
                    r"[^.!?;:]{0,80}$")
_COUNTED_FROM = re.compile(r" (?:of|from) (?:the date|receiv|being notified|the day|the letter|"
                           r"the notice|this letter|this notice|the decision|getting back|"
                           r"(?:your |our )?return)")
# The date a letter bears: a limit it states counts from it.
_LETTERS_DATE = re.compile(r"\b(?:dated|wrote (?:to (?:me|us|him|her) )?on|"
                           r"date on (?:the|this) (?:letter|notice) (?:is|was))"
                           r"(?: the)? $")
# A limit counted from when the letter came ("14 days from the date of service"): the date it
# came ("I received a claim form by post on Tuesday 10 June") counts, not the date it bears.
_FROM_RECEIPT = re.compile(r"\b(?:of|from) (?:the date of service|service|receiv|receipt|when you "
                           r"(?:got|received))")
# A limit counted from when the person was told ("within twelve months of the day you first
# had notice of the matter"): the day they were informed ("On 9 October 2036 I was informed").
_FROM_NOTICE = re.compile(r"\b(?:of|from) (?:the day |when )?(?:you|they|i|we) (?:first )?"
                          r"(?:had notice|(?:were|was) (?:informed|notified|told))|"
                          r"\bof being (?:informed|notified|told)")
_NOTIFIED_AFTER = re.compile(r"^[^.!?;]{0,12}\b(?:i|we|he|she|they) (?:was|were) "
                             r"(?:informed|notified|told)\b")
# A court claim form's days run from service (CPR 10.3, 15.4), however its notes put it:
# "I must respond within 14 days" counts from the day the form came.
_CLAIM_FORM = re.compile(r"\b(?:claim form|response pack|county court business centre|ccbc)\b")
_RECEIPT = re.compile(r"\b(?:received|receive|recieved|recieve|arrived|came|served|delivered|got)\b"
                      r"(?:(?!\b(?:issued|dated)\b)[^.!?;]){0,40}$")
# "On Thursday 19 February I received by post a claim form": the day before the words.
_RECEIPT_AFTER = re.compile(r"^[^.!?;]{0,12}\b(?:i|we|he|she) (?:received|got)\b")
# A date in the same sentence, before the limit or close after it, is the letter's.
_REACH = 200


@dataclass(frozen=True)
class StatedLimit:
    """The end of a limit the text states, and the date it was counted from."""

    ends: date
    counted_from: date
    # Counted from a date the text marks: the date the letter bears ("dated 18 March"), the day
    # it came ("received it on 9 July") or the hearing it counts back from. The letter's own
    # limit for certain, not a day the person first read it.
    from_marked_date: bool = False


def _count(match: re.Match) -> tuple[int, str] | None:
    count, unit = [g for g in match.groups() if g is not None]
    number = as_number(count)
    return (number, unit.rstrip("s")) if number else None


def _ends(start: date, count: int, unit: str, kind: str) -> date:
    """The limit's last day: "20 working days" skip weekends and bank holidays, "20 school
    days" the typical school holidays too (approximate, as every school-day count here)."""
    if unit == "day" and kind == "school":
        return school_days_after(start, count)
    if not (kind == "working" and unit == "day"):
        return shift(start, count, unit)
    for _ in range(count):
        start = working_day(start, 1)
    return start


def _letters_date(text: str, mentions: list[DateMention], today: date) -> date | None:
    """The first exact date gone by that the text marks as the letter's ("letter dated ...")."""
    for m in mentions:
        if m.exact and m.past <= today and _LETTERS_DATE.search(text, max(0, m.start - 40),
                                                                 m.start):
            return m.past
    return None


def _from(text: str, at: int, mentions: list[DateMention], today: date,
          from_receipt: bool = False, from_notice: bool = False) -> tuple[date, bool] | None:
    """The exact date gone by nearest the limit's words, within reach of them; one the text
    marks as the letter's ("dated 31 December") before any other ("with Christmas and then
    ..."). With none, the letter's date wherever it is written, else today: "this morning" is
    more often when the person read the letter ("dated 28.2.34 ... until this morning"). Also
    whether the date is one marked as the letter's. Counted from receipt, the day it came
    wherever it is written comes first; counted from notice, the day the person was told."""
    marks = ((_RECEIPT, _RECEIPT_AFTER),) if from_receipt else ()
    marks += ((None, _NOTIFIED_AFTER),) if from_notice else ()
    for before, after in marks:
        marked = [m for m in mentions if m.exact and m.past <= today
                  and (before is not None and before.search(text, max(0, m.start - 60), m.start)
                       or after.search(text[m.end:m.end + 40]))]
        if marked:
            return marked[0].past, True
    within = [m for m in mentions if m.exact
              and (at - _REACH <= m.end <= at or at <= m.start <= at + _REACH // 2)]
    near = [m for m in within if m.past < today]
    dated = [m for m in near if _LETTERS_DATE.search(text, max(0, m.start - 40), m.start)]
    if dated or near:
        nearest = min(dated or near, key=lambda m: min(abs(at - m.end), abs(m.start - at)))
        return nearest.past, bool(dated)
    letters = _letters_date(text, mentions, today)
    if letters is not None:
        return letters, True
    return (today, False) if any(m.past == today for m in within) else None


def _before_hearing(text: str, today: date) -> StatedLimit | None:
    """A limit counted back from the hearing day written nearest to it."""
    match = _BEFORE_HEARING.search(text)
    counted = _count(match) if match else None
    if counted is None:
        return None
    ahead = [m for m in find_dates(text, today) if m.exact and m.future >= today]
    if not ahead:
        return None
    hearing = min(ahead, key=lambda m: min(abs(match.start() - m.end), abs(m.start - match.end())))
    number, unit = counted
    return StatedLimit(shift(hearing.future, number, unit, -1), hearing.future, True)


def stated_limit(text: str, today: date) -> StatedLimit | None:
    """The first time limit stated with a date to count it from, or None."""
    normal = normalise(text)
    before = _before_hearing(normal, today)
    if before is not None:
        return before
    mentions: list[DateMention] | None = None  # read only once a limit is stated
    for match in _STATED.finditer(normal):
        if match.group(0).startswith("within") and not (
                _TO_DO.search(normal, max(0, match.start() - 100), match.start())
                or _COUNTED_FROM.match(normal, match.end())):
            continue
        counted = _count(match)
        if mentions is None:
            mentions = find_dates(normal, today)
        from_receipt = _FROM_RECEIPT.search(normal, match.start(), match.end() + 30) \
            or _CLAIM_FORM.search(normal)
        from_notice = _FROM_NOTICE.search(normal, match.end(), match.end() + 60)
        start = _from(normal, match.start(), mentions, today, bool(from_receipt),
                      from_notice is not None)
        if counted is None or start is None:
            continue
        day, marked = start
        kind = next((k for k in ("working", "school") if k in match.group(0)), "")
        return StatedLimit(_ends(day, *counted, kind), day, marked)
    return None


# Words that make the date after them a deadline: "the deadline was", "the closing date is",
# "has to be lodged by", "pay by", "get my tax return in by".
_DEADLINE_WORDS = re.compile(
    r"(?:\b(?:deadline|closing date|cut ?off(?: date)?|last date|due date)"
    r"(?: (?:is|was|of|on|for (?:\w+ ){0,2}?(?:is |was )?))?|"
    # "it closes sunday", "my tax return is due today"
    r"\b(?:it|application|applications|form|return|payment) (?:closes|is due|was due)(?: on)?|"
    # "pay an extra £300 'deposit top-up' by Friday"
    r"\b(?:pay|paid)\b[^.!?;,]{1,40}? by|"
    r"\b(?:pay|paid|lodged?|submit(?:ted)?|returned|return (?:it|them|the form)|sen[dt] (?:it|"
    r"them|the form)|appl(?:y|ied)|appealed|reply|respond|register(?:ed)?|"
    # "get my tax return in by", "wants a form back by"
    r"(?:it|them|forms?|return|application|papers?) (?:in|back)|complet(?:e|ed)|filed?) "
    r"(?:by|no later than|not later than))(?: the)? $")
# Said of a deadline gone by: "the deadline was", "I missed", "didn't get it in by".
_GONE_BY = re.compile(r"\b(?:was|were|missed(?! (?:the |my |\w+ )?(?:instalments?|payments?))|"
                      r"passed|didnt|did not|forgot|too late)\b")
_STILL_OPEN = re.compile(r"\b(?:closes|is due|is)\b")
_LEAD = re.compile(r"^(?:by|on|the) ")
# A named deadline further off than this either way is not this case's.
_NAMED_REACH_DAYS = 366


def named_deadline(text: str, today: date) -> date | None:
    """The date the person names as a deadline: the soonest still ahead (today counting), else
    the latest gone by; None when no deadline is named with its day."""
    normal = normalise(text)
    named = []
    for m in find_dates(normal, today):
        # (A mention may start with the space before it: " sunday".)
        start = m.start + len(m.text) - len(m.text.lstrip())
        lead = _LEAD.match(m.text.lstrip())
        before = normal[max(0, start - 60):start] + (lead.group(0) if lead else "")
        words = _DEADLINE_WORDS.search(before)
        if not m.exact or not words:
            continue
        # "It closes Sunday" is ahead however the sentence began ("forgot to do it, ...").
        sentence = normal[max(normal.rfind(c, 0, m.start) for c in ".!?;") + 1:m.start]
        gone = _GONE_BY.search(sentence) and not _STILL_OPEN.search(words.group(0))
        day = m.past if gone else m.future
        if abs((day - today).days) <= _NAMED_REACH_DAYS:
            named.append(day)
    ahead = [d for d in named if d >= today]
    return min(ahead) if ahead else max(named, default=None)
