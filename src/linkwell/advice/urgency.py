"""Urgency read from the person's own words: what makes a case urgent, and by when.

Each trigger is data a reviewer can read: the words that show it (a regular expression on the
normalised text), the category it belongs to, the reason shown, and, where the law attaches a
date, the time limit that turns a date written next to those words into a deadline ("hearing
... this coming Tuesday" → the hearing date; "PIP stopped, letter dated the 2nd" → one month
later for a mandatory reconsideration). Pure: ``today`` is a parameter.

Words denied just before a trigger ("no section 21 yet", "not been sacked") do not count.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache, partial

from linkwell.advice import early_conciliation
from linkwell.advice.dates import DateMention, find_dates
from linkwell.advice.deadlines import Deadline
from linkwell.advice.rules import Hit
from linkwell.advice.rules import match as phrases
from linkwell.advice.text import normalise
from linkwell.advice.time_limits import (
    BENEFIT_APPEAL,
    EMPLOYMENT_CLAIM,
    EMPLOYMENT_ENDS,
    EXCLUSION_REVIEW,
    FAR_AHEAD_DAYS,
    HEARING,
    MANDATORY_RECONSIDERATION,
    WAGES_CLAIM,
    Limit,
)
from linkwell.advice.trigger_words import Trigger
from linkwell.advice.triggers import TRIGGERS

# How far from the trigger words a date may be written and still belong to them.
DATE_WINDOW = 110
# When no date of the right kind (ahead for an event, behind for a decision) is written in the
# trigger's sentence, the nearest exact one of that kind within this reach is taken instead:
# people give the date in the next sentence ("... permanently excluded. The head's letter is
# dated 25 November") or far along a run-on one. It always ranks below a date close by.
WIDE_WINDOW = 450
_SENTENCE_END = re.compile(r"[.!?;\n]")
# (With the usual misspellings of a denial written without its apostrophe: "havnt", "dosnt".)
_NEGATION = re.compile(
    r"\b(?:not|never|without|havent|hasnt|hadnt|isnt|wasnt|arent|aint|dont|doesnt|didnt|wont|"
    r"havnt|hvnt|hasent|dosnt|dosent|doesent|dident|didint|wasent|isent|"
    r"yet to|no sign of|in case|might(?! be\b)|if|nobody\w*|no ?one\w*|nothing|difference between|"
    r"news|story|article|in general|hypothetical\w*|curious|"
    # A question put the other way round: "could the landlord try to evict me if I do?".
    r"(?:can|could|would|will) (?:they|he|she|the \w+|my \w+)|"
    # Not wanting it to come to that: "I don't want this to end in a permanent exclusion".
    r"(?:dont|do not) want (?:this |it |that |him |her )?to (?:end (?:up )?(?:in|with)|"
    r"lead to|turn into|come to)|"
    # A fear of what may happen, to whoever ("worried he'll be evicted"), is not the event
    # ("hell", "well": "he'll", "we'll" written without apostrophes).
    r"(?:worried|afraid|scared|concerned|fear\w*) (?:that )?(?:(?:they|he|she|we|i|you|it)"
    r"(?:ll| will| might| may| could| would)?|hell|shell|well|ill|youll|itll))\b"
    r"(?:[^\w,.;:!?]+\w+){0,2}[^\w,.;:!?]*$")
_NO_BEFORE = re.compile(r"\bno\W*$")
# A route only wondered about is still the one the decision leaves: "we might need a judicial
# review", "if judicial review is possible".
_WONDERED = re.compile(r"\b(?:might|may|if|in case|whether)\b(?:\W+\w+){0,3}\W*$")
# A denial carries across "or" to what follows it in its clause: "nobody has threatened court or
# bailiffs", "nobody's said anything or sacked me".
_DENIED_BEFORE_OR = re.compile(r"\b(?:not|never|nobody\w*|no ?one\w*|nothing|havent|hasnt|"
                               r"hadnt|didnt|dont|doesnt|isnt|wasnt|wont)\b[^.!?;,]{0,40}\bor\s+$")
# A hearing or claim settled, adjourned without a new date or put on hold: not urgent unless a
# date still ahead is given ("adjourned generally on terms", "suspended possession order").
_SETTLED = re.compile(r"\b(?:adjourn\w*|postpone\w*|vacated|on terms|"
                      r"suspended (?:possession )?order|"
                      r"settled (?:with|out of court|before|by (?:consent|agreement))|"
                      r"struck out|withdrawn the claim|claim was withdrawn)")
_SETTLED_TRIGGERS = frozenset({"hearing", "tribunal_date", "possession_claim", "eviction_warrant",
                               "debt_court"})
# A debt already paid: its court claim or bailiffs are history ("I paid it off in 2022").
_PAID = re.compile(r"\b(?:paid (?:it |them |that |everything |the lot )?(?:all )?(?:off|in full)|"
                   r"(?:all|fully) paid(?: off)?|cleared (?:it|the debt)|pay everything)")
_PAID_TRIGGERS = frozenset({"debt_court", "bailiffs"})
# Words inside a match that deny it: "PIP form, no decision yet".
_DENIED_INSIDE = re.compile(r"\bno (?:decision|letter|notice|date)\b|"
                            r"\bstill (?:waiting|not heard)|\b(?:havent|have not|not) heard\b|"
                            r"\b(?:doesnt|does not|dont|do not|wont|will not|isnt|is not|not) "
                            r"(?:\w+ )?(?:expir\w*|run out|running out|end)\b|"
                            r"(?:worried|afraid|scared|"
                            r"concerned) (?:that )?they(?:ll| will| might| may| could| would)\b|"
                            r"\bnot (?:yet )?(?:had|got|received|been given) (?:a |the |any )?"
                            r"(?:decision|letter|notice)")





@dataclass(frozen=True)
class Signal:
    """A trigger found in the text, and the deadline it gives when a date is written with it."""

    trigger: Trigger
    deadline: Deadline | None
    urgent: bool  # False when the date shows it is long over or still far off
    # Found by its category alone (no words of its own), dated from the latest act written.
    by_category: bool = False


def negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` deny what follows ("nothing is wrong right now")."""
    before = text[max(0, start - 40):start]
    return bool(_NEGATION.search(before) or _NO_BEFORE.search(before)
                or _DENIED_BEFORE_OR.search(text, max(0, start - 60), start))


def _sentence(text: str, at: int) -> tuple[int, int]:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    end = _SENTENCE_END.search(text, at)
    return (starts[-1] if starts else 0), (end.start() if end else len(text))


def _about_another_problem(text: str, at: int, category: str,
                           read: Callable[[str], list[Hit]]) -> bool:
    """Whether the sentence at ``at`` names another problem ("the hearing to take the flat
    back") and nothing of ``category``; ``read`` finds a sentence's phrases."""
    lo, hi = _sentence(text, at)
    hits = read(text[lo:hi])
    return any(h.sub_issue and h.category != category for h in hits) \
        and not any(h.category == category for h in hits)


# "I lost my job last month and now the landlord has served notice": in one sentence, a date
# before "and now" (or ", now") dates what happened before, not what the words after it name.
_AND_NOW = re.compile(r"(?:\band|\bbut|,)\s+now\b")


def _nearest_date(text: str, match: re.Match, mentions: list[DateMention],
                  penalty: Callable[[DateMention], int], *,
                  wide: date | None = None) -> tuple[int, DateMention] | None:
    """The date nearest the trigger words; ``wide`` (today) widens the search (WIDE_WINDOW)."""
    lo, hi = _sentence(text, match.start())
    best: tuple[int, int, DateMention] | None = None
    for mention in mentions:
        if penalty(mention) >= WRONG_WAY:
            continue
        if wide is not None:
            # "He showed it to me today" far from "tribunal" is not the hearing date; "the
            # letter is dated today" is the decision's.
            if not mention.exact or penalty(mention) > 0 \
                    or mention.past == wide and penalty(mention) >= 0:
                continue
        else:
            # (A date inside the trigger's own words is never outside: "slept in my car. no
            # where to go tonite" is one match across the full stop.)
            outside = (mention.end <= lo - 1 or mention.start >= hi + 1) \
                and not match.start() <= mention.start < match.end()
            # Outside the sentence only when it follows close by ("hearing. It's on the 8th").
            if outside and not (mention.start >= match.end()
                                and mention.start - match.end() <= 30):
                continue
        if mention.start >= match.end():
            distance, side = mention.start - match.end(), 0
        elif mention.end <= match.start():
            between = text[mention.end:match.start()]
            if _AND_NOW.search(between) and not _SENTENCE_END.search(between):
                continue
            distance, side = match.start() - mention.end, 1
        else:
            distance, side = 0, 0
        if distance > (WIDE_WINDOW if wide is not None else DATE_WINDOW):
            continue
        distance = DATE_WINDOW + distance // 10 + min(0, penalty(mention)) if wide is not None \
            else distance + penalty(mention)
        if best is None or (distance, side) < best[:2]:
            best = (distance, side, mention)
    return (best[0], best[2]) if best else None


INEXACT_PENALTY = 40
_PART_OF_MONTH = re.compile(r"(?:early|mid|late)\b")
# A date that names no more than a year ("last year", "back in 2027").
_YEAR_ONLY = re.compile(r"\byear\b|\b20\d\d$")
# A year or month that says how old a debt is, not when something happens ("a letter from
# bailiffs about council tax arrears from 2024", "council tax from 2026", "of last year").
_DEBT_SINCE = re.compile(r"\b(?:arrears|debts?|owed|owing|bills?|council tax) (?:(?:from|since|"
                         r"for|of|back to|going back to) )?(?:the )?$")
# "Got court papers today", "this afternoon the ward told me": today is usually when a letter
# came or the person was told, not when the event is.
_RECEIVED_TODAY = frozenset({"today", "this morning", "this afternoon"})
_SERVED_AFTER = re.compile(r"\W+(?:\w+\W+){0,2}?(?:served|received|handed|given|got)\b")


def _over(mention: DateMention, limit: Limit, today: date) -> bool:
    """A past date for an event, or a future one for a decision."""
    return limit.prefer_future and mention.future < today \
        or not limit.prefer_future and mention.past > today


# The words just before a date that say it is the one a time limit runs from ("Date of
# service: 3 December", "a letter dated 6 November", "the council wrote to me on 12 October").
_ANCHOR = re.compile(r"(?:date of service|served(?: on)?|dated|letter of|issued on|decision of|"
                     r"received(?: it)?(?: on)?|wrote to (?:me|us|him|her)(?: on)?|"
                     r"(?:the )?date (?:on|at) (?:the )?(?:top|it|the letter)(?: of it)? "
                     r"(?:is|was))\W{0,3}$")
ANCHOR_BONUS = 25
# "Not entitled to Carer's Allowance from 14 April": when a benefit decision takes effect, not
# the decision's date, which the month to ask for a reconsideration runs from.
_TAKES_EFFECT = re.compile(r"\b(?:entitled|stopped|ended|ends|removed|reduced|suspended|"
                           r"disallowed|award\w*|paid|payable)\b(?:\W+\w+){0,4}?\W+from\W{0,3}$")
# "The arrears are £2,140 as at 01.10.32": a statement's date, no decision's.
_AS_AT = re.compile(r"\bas (?:at|of)\W{0,3}$")
# The days to reply to a court claim run from when it came ("it arrived in the post on the
# 24th", "received by post on Monday"), not from the date printed on it.
_CAME = re.compile(r"(?:date of service|served(?: on)?|(?:received|arrived|came|"
                   r"delivered(?: to (?:me|us|my \w+|our \w+))?|handed (?:\w+ ){0,6}?)(?: it)?"
                   # "I received a claim form by post on ...": what came, between.
                   r"(?: (?:a|an|the) (?:\w+ ){0,2}?(?:form|papers?|letter|pack|envelope))?"
                   r"(?: by post| in the post)?(?: on)?)\W{0,3}$")
# ... or just after it: "On Thursday 19 February I received by post a claim form".
_CAME_AFTER = re.compile(r"\W{0,3}(?:i|we|he|she|they) (?:received|got)\b")
# Words someone said, just before a date in them: "the doorman said no Travellers tonight".
_REPORTED = re.compile(r"\b(?:said|says|say|saying|told (?:me|us|him|her|them)|shouted)\W+"
                       r"(?:\w+\W+){0,4}$")
# A complaint about an act, and the reply to it, come after the act and date none: "I
# complained on 2 November and their reply of 19 January said ...". A complaint dates no
# decision either (a reply may be the decision itself).
_WORDS_BEFORE_DATE = r"\b(?:\W+(?!and\b|but\b|then\b)\w+){0,3}\W*$"
_COMPLAINT = re.compile(r"\bcomplain\w*" + _WORDS_BEFORE_DATE)
_AFTER_THE_ACT = re.compile(r"\b(?:complain\w*|repl(?:y|ied|ies)|respon(?:se|ded)|wrote back|"
                            r"acas|conciliation|certificate|grievance|"
                            r"answer(?:ed|s)? (?:me|us|him|her)|"
                            r"apolog\w*|(?:i|we) (?:wrote|sent|emailed))"
                            r"\b(?:[^\w.!?\n]+(?!and\b|but\b|then\b)\w+){0,8}[^\w.!?\n]*$")
# An internal appeal comes after the act and moves no time limit from it: "the appeal meeting
# on the 20th", "the outcome letter, which I received yesterday". Nor do the words that restate
# the act at the appeal ("they upheld the dismissal") date it. Both marks stay in their
# sentence: "a parking ticket, worth appealing?" dates no act in the next one.
# ("I appealed and was told on 20 February that the dismissal stood": the outcome's date.)
_APPEAL_STAGE = re.compile(
    r"\b(?:appeal\w*|outcome|upheld|uphold\w*)"
    r"(?:[^\w.!?\n]+(?!and\b(?! (?:(?:was|were|got) (?:told|a letter|an email)|"
    r"(?:was |were )?(?:rejected|dismissed|refused|upheld))\b)|but\b|then\b)\w+){0,12}"
    r"[^\w.!?\n]*$")
# An act dated by when it takes effect ("terminate with effect from 31 July"), not the letter.
_EFFECTIVE = re.compile(r"\b(?:with effect from|effective(?: from)?|takes? effect (?:from|on))"
                        r"\W{0,3}$")
_RESTATED = re.compile(r"\b(?:upheld|uphold\w*|confirm\w*|against) (?:the |my |his |her )?$")
# A date after the time limit's words is the person's reckoning of the limit, no act: "there's
# a six month limit, I counted and I think it was yesterday".
_RECKONED = re.compile(r"\b(?:limit|deadline)\b[^.!?;\n]*$")
# A date that means the other way round is never taken.
WRONG_WAY = 10_000


def _other_way(mention: DateMention, limit: Limit, today: date) -> bool:
    """A two-way date ("in October", "Christmas", "15 Jan") whose reading of the kind the limit
    wants is far off while the other reading is close: it means the other one."""
    if mention.past == mention.future:
        return False
    ahead, behind = (mention.future - today).days, (today - mention.past).days
    if limit.prefer_future:
        return ahead > FAR_AHEAD_DAYS and behind <= FAR_AHEAD_DAYS
    return behind > 2 * FAR_AHEAD_DAYS and 0 <= ahead <= FAR_AHEAD_DAYS


def _reading(mention: DateMention, limit: Limit, today: date) -> date:
    prefer = limit.prefer_future != _other_way(mention, limit, today)
    return mention.reading(prefer)


# Words that mark a date stand just before it: the marks above are read in this many
# characters before the date, not in the whole text before it (a long text has many dates).
MARK_REACH = 80


def _just_before(mark: re.Pattern, text: str, at: int) -> re.Match | None:
    return mark.search(text, max(0, at - MARK_REACH), at)


def _unlikely(mention: DateMention, limit: Limit, today: date, text: str = "") -> int:
    """A past date for an event, or a future one for a decision, is a weaker reading."""
    if _over(mention, limit, today):
        return DATE_WINDOW
    if _other_way(mention, limit, today):
        # "Christmas coming" is not last Christmas's decision; "came out of hospital in
        # October" is a discharge that happened, read as such (below), not next October's.
        return DATE_WINDOW if limit.prefer_future else WRONG_WAY
    if limit.from_the_act and text and _just_before(_RECKONED, text, mention.start):
        return WRONG_WAY
    # Before the marks below: a reply to a complaint is "dated" too ("their final response,
    # dated 1 December"), and an internal appeal's date is no act either.
    after = _AFTER_THE_ACT if limit.from_the_act else _COMPLAINT
    if not limit.prefer_future and text \
            and after.search(text, max(0, mention.start - 60), mention.start):
        return DATE_WINDOW
    if limit.from_the_act and text \
            and _APPEAL_STAGE.search(text, max(0, mention.start - 60), mention.start):
        return DATE_WINDOW
    if limit.from_the_act and text and _just_before(_EFFECTIVE, text, mention.start):
        return -2 * ANCHOR_BONUS
    if limit.from_receipt and text and (_just_before(_CAME, text, mention.start)
                                        or _CAME_AFTER.match(text, mention.end)):
        return -2 * ANCHOR_BONUS
    if not limit.prefer_future and text and _just_before(_ANCHOR, text, mention.start):
        return -ANCHOR_BONUS
    if limit.from_decision_not_effect and text \
            and _just_before(_TAKES_EFFECT, text, mention.start):
        return DATE_WINDOW
    if not limit.prefer_future and text and _just_before(_AS_AT, text, mention.start):
        return WRONG_WAY
    if not limit.prefer_future and text and mention.text in ("today", "tonight"):
        # "Last Friday the manager said today is your last day": told on that day. So is
        # "tonight" in what someone said ("On Boxing Day ... the doorman said no Travellers
        # tonight"), however far back that day is dated.
        lo = 0 if _REPORTED.search(text, 0, mention.start) else _sentence(text, mention.start)[0]
        if _day_gone_by_in(text[lo:mention.start], today):
            return DATE_WINDOW // 2
    if limit.prefer_future and mention.text in _RECEIVED_TODAY:
        # "I have today been personally served with a petition": never the hearing day.
        if _SERVED_AFTER.match(text, mention.end):
            return WRONG_WAY
        return DATE_WINDOW // 2
    # "Dismissed on 14 August ... the appeal was upheld in October": a day before a month.
    return 0 if mention.exact else INEXACT_PENALTY


@lru_cache(maxsize=256)
def _day_gone_by_in(text: str, today: date) -> bool:
    """Whether ``text`` dates a day before today. Cached: every trigger asks it again of the
    same words before the same "today", and a long text has many triggers."""
    return any(m.exact and m.past < today for m in find_dates(text, today))


def signals(text: str, today: date, categories: set[str]) -> list[Signal]:
    """Every trigger in ``text`` (already-found ``categories`` gate some), with deadlines."""
    normal = normalise(text)
    mentions = find_dates(normal, today)
    found: list[Signal] = []
    # Each sentence's phrases are read once however many triggers fall in it (a long pasted
    # text with no full stop is one sentence), and forgotten when the call returns.
    read_sentence = cache(phrases)
    for trigger in TRIGGERS:
        if trigger.needs and not trigger.needs & categories:
            continue
        if trigger.with_words is not None and not trigger.with_words.search(normal):
            continue
        if trigger.without_words is not None and trigger.without_words.search(normal):
            continue
        hit = denied = False
        best: tuple[int, DateMention] | None = None
        limit = trigger.limit
        for match in trigger.pattern.finditer(normal):
            if (negated(normal, match.start()) and not (
                    trigger.names_route
                    and _WONDERED.search(normal, max(0, match.start() - 40), match.start()))) \
                    or _DENIED_INSIDE.search(match.group(0)):
                denied = True
                continue
            if trigger.shared_words and _about_another_problem(normal, match.start(),
                                                               trigger.category, read_sentence):
                continue
            hit = True
            if limit is None:
                break
            if limit.from_the_act and _RESTATED.search(normal, max(0, match.start() - 30),
                                                       match.start()):
                continue
            unlikely = partial(_unlikely, limit=limit, today=today, text=normal)
            nearest = _nearest_date(normal, match, mentions, unlikely)
            if nearest is None or nearest[0] >= DATE_WINDOW:
                nearest = _nearest_date(normal, match, mentions, unlikely, wide=today) or nearest
            elif not limit.prefer_future:
                # "Not in school since September. The refusal letter is dated 1 March": a
                # marked exact date written after the trigger's first words (unmarked too
                # when the sentence gives only a year: "an EHCP assessment last year. Then a
                # letter on 12 October, no plan"; not "last week"), also inside
                # its words ("assessment in September. The council wrote to me on 25 November
                # refusing") beats a month in its sentence (one written before is another
                # letter's); so does a date marked more surely than a nearer one, marked or not,
                # as the one the limit runs from ("dated 19 November ... received by post on
                # the 23rd"; "found it on Sunday ... it came Tuesday last week").
                dated = _nearest_date(normal, match, mentions, unlikely, wide=today)
                # Written before the trigger, a letter's marked date still beats a vague
                # "last week" ("the letter's dated the 31st of October but ... only dropped it
                # round last week, it says they've decided not to issue a plan").
                if dated is not None and (dated[1].start >= match.start()
                                          or unlikely(dated[1]) < 0
                                          and nearest[1].text.startswith("last ")) \
                        and (unlikely(dated[1]) < 0 or unlikely(dated[1]) == 0
                             and _YEAR_ONLY.search(nearest[1].text)) \
                        and (not nearest[1].exact
                             or unlikely(dated[1]) < min(0, unlikely(nearest[1]))):
                    nearest = (nearest[0], dated[1])
            if nearest is None:
                continue
            distance, mention = nearest
            if not mention.exact and (trigger.dated_only
                                      or _DEBT_SINCE.search(normal, 0, mention.start)):
                continue  # a trigger that only counts with its date needs the day itself
            if best is None or distance < best[0]:
                best = (distance, mention)
        if not hit and not trigger.on_category:
            if denied:  # only denied or asked about: says the case is not urgent on this count
                found.append(Signal(trigger, None, False))
            continue
        # Named as a route, the decision is dated by a day, not by the month the route was
        # talked of ("a solicitor we spoke to in August mentioned judicial review").
        # Nor by an older date nearer the route's words whose time is long gone ("a decision
        # two years ago ... judicial review"): the latest act written is the one still open.
        if trigger.names_route and best is not None and (not best[1].exact or limit is not None
                and not limit.still_live(limit.compute(_reading(best[1], limit, today)), today)):
            best = None
        if best is None and limit is not None and (trigger.on_category
                                                   or trigger.names_route and hit):
            # Found by category alone, or by words too far from any date ("On 3 March ...
            # [a long account] ... is this discrimination?"): the time limit runs from the
            # latest act described.
            acts = [m for m in mentions if m.exact and _unlikely(m, limit, today, normal) <= 0]
            # With no day written, part of a month ("early October last year") dates the act
            # approximately; a whole month, season or year says too little.
            acts = acts or [m for m in mentions if not m.exact and _PART_OF_MONTH.match(m.text)
                            and _unlikely(m, limit, today) == INEXACT_PENALTY]
            if acts:
                best = (0, max(acts, key=lambda m: m.reading(limit.prefer_future)))
        deadline: Deadline | None = None
        urgent = trigger.urgent
        if best is not None and limit is not None:
            mention = best[1]
            day = limit.compute(_reading(mention, limit, today))
            urgent = urgent and limit.still_live(day, today)
            # A decision is never dated after today: a date still ahead ("housing benefit
            # stopped ... leave by the end of the month") is another thing's, or when the
            # decision takes effect, and a time limit counted from it would be invented. A year
            # alone ahead ("my permission is until 2033") says it is far off, and no day.
            year_ahead = limit.prefer_future and not mention.exact \
                and _YEAR_ONLY.search(mention.text) is not None
            if (limit.prefer_future or mention.past <= today) and not year_ahead:
                deadline = Deadline(limit.what, day, trigger.category, limit.basis,
                                    always_urgent=limit.always_urgent,
                                    exact=limit.exact and mention.exact,
                                    late_route=limit.late_route)
        elif trigger.dated_only:
            urgent = False
        settled = trigger.id in _SETTLED_TRIGGERS and _SETTLED.search(normal) \
            or trigger.id in _PAID_TRIGGERS and _PAID.search(normal)
        if settled and (deadline is None or deadline.date < today):
            urgent = False  # adjourned, on terms or suspended, with no date still ahead
        found.append(Signal(trigger, deadline, urgent, by_category=not hit))
    found = _after_conciliation(found, normal, mentions, today)
    return _meeting_before_review(_hearing_before_reply(_latest_act(_claim_already_in(
        _appeal_after_reconsideration(_decision_dated_once(found)), normal))), today)


def _after_conciliation(found: list[Signal], text: str, mentions: list[DateMention],
                        today: date) -> list[Signal]:
    """A tribunal limit moved by the ACAS early conciliation the text dates (both days)."""
    days = early_conciliation.conciliation(text, mentions, today)
    if days is None:
        return found
    moved = []
    for s in found:
        if s.deadline is not None and s.trigger.limit in (EMPLOYMENT_CLAIM, WAGES_CLAIM):
            ends = early_conciliation.extended(s.deadline.date, days)
            s = Signal(s.trigger, replace(s.deadline, what=early_conciliation.WHAT, date=ends,
                                          basis=early_conciliation.BASIS),
                       s.trigger.urgent and s.trigger.limit.still_live(ends, today),
                       s.by_category)
        moved.append(s)
    return moved


def _decision_dated_once(found: list[Signal]) -> list[Signal]:
    """A decision "challenged" in a sentence of its own is dated only when no other words
    dated it: those words sit by its date ("headed Decision date: 31/10/2031"), the challenge
    by any day ("did not open my post until 11 December ... to challenge the decision")."""
    if not any(s.deadline is not None and s.trigger.limit is MANDATORY_RECONSIDERATION
               and s.trigger.id != "benefit_decision_challenged" for s in found):
        return found
    return [Signal(s.trigger, None, s.urgent, s.by_category)
            if s.trigger.id == "benefit_decision_challenged" else s for s in found]


def _hearing_before_reply(found: list[Signal]) -> list[Signal]:
    """Once a hearing date is given, it is the date that matters, not the reply to the claim."""
    if not any(s.trigger.limit is HEARING and s.deadline is not None for s in found):
        return found
    return [Signal(s.trigger, None, s.urgent) if s.trigger.id == "debt_court" else s
            for s in found]


def _meeting_before_review(found: list[Signal], today: date) -> list[Signal]:
    """With the governors' meeting still ahead, no review date runs yet: the 15 school days for
    an independent review start from the governors' decision."""
    if not any(s.trigger.id == "governors_meeting" and s.deadline is not None
               and s.deadline.date >= today for s in found):
        return found
    return [Signal(s.trigger, None, s.urgent, s.by_category)
            if s.trigger.limit is EXCLUSION_REVIEW else s for s in found]


def _appeal_after_reconsideration(found: list[Signal]) -> list[Signal]:
    """Once a mandatory reconsideration notice is dated, the decision before it has been
    looked at again: the month to ask for a reconsideration of it is spent. A decision dated
    after the notice is another one and keeps its month (the two limits are both a calendar
    month, so the deadlines are in the order of the dates they run from)."""
    appeals = [s.deadline.date for s in found
               if s.deadline is not None and s.trigger.limit is BENEFIT_APPEAL]
    if not appeals:
        return found
    return [Signal(s.trigger, None, s.urgent, s.by_category)
            if s.deadline is not None and s.trigger.limit is MANDATORY_RECONSIDERATION
            and s.deadline.date <= max(appeals) else s for s in found]


# The employment tribunal claim is already in ("I presented a claim of unfair dismissal to the
# Employment Tribunal in May", "I put in an employment tribunal claim back in the summer").
_CLAIM_IN = re.compile(
    r"\b(?:presented|submitted|put in|lodged|issued|filed|brought|sent (?:in|off)) (?:a |an |my "
    r"|the |our |his |her )?(?:(?:employment )?tribunal claim|et1?\b|"
    r"claim(?: \w+){0,6}? (?:to|with|at|in) the employment tribunal)|"
    # "I am the claimant in an unfair dismissal claim", "the Employment Tribunal has listed".
    r"\b(?:i am|im) the claimant\b|\bemployment tribunal (?:has|have) listed\b")


def _claim_already_in(found: list[Signal], text: str) -> list[Signal]:
    """With the tribunal claim made, its time limit is met: the acts at work it is about date
    no deadline and make nothing urgent (a hearing listed still does)."""
    if not _CLAIM_IN.search(text):
        return found
    return [Signal(s.trigger, None, False, s.by_category)
            if s.trigger.limit in (EMPLOYMENT_CLAIM, EMPLOYMENT_ENDS) else s for s in found]


def _latest_act(found: list[Signal]) -> list[Signal]:
    """Acts at work in a series run to one time limit from the last of them ("racist comments
    for months ... yesterday I was dismissed", "... and tomorrow is my last day"): keep only
    the latest date's deadline."""
    at_work = (EMPLOYMENT_CLAIM, EMPLOYMENT_ENDS)
    dated = [s for s in found if s.deadline is not None and s.trigger.limit in at_work]
    if len(dated) < 2:
        return found
    # A date found for discrimination by category alone is only the latest date written ("the
    # baby came at the end of October"): a dismissal the person dates comes first.
    worded = [s for s in dated if not s.by_category]
    latest = max(worded or dated, key=lambda s: s.deadline.date)
    return [s if s.deadline is None or s.trigger.limit not in at_work or s is latest
            else Signal(s.trigger, None, s.urgent, s.by_category) for s in found]
