"""Triage: from a person's words (and answers) to categories, urgency, deadlines and level.

Pure: no I/O beyond reading the packaged labelled set once, no logging of the text (it is
personal data), and ``today`` is a parameter so every date can be tested.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from linkwell.advice import deadlines as deadline_rules
from linkwell.advice import urgency
from linkwell.advice.categories import BY_CODE
from linkwell.advice.classifier import ProblemModel, default_model, load_training, vocabulary
from linkwell.advice.dates import british, find_dates
from linkwell.advice.language import is_english
from linkwell.advice.levels import (
    LEGAL_AID_CAVEAT,
    Indication,
    legal_aid_for,
    level_of_help,
    overall_legal_aid,
    scope_signals,
)
from linkwell.advice.questions import Question, answer_signals, parse_answers, questions_for
from linkwell.advice.rules import RULE_VOCABULARY
from linkwell.advice.selfhelp import CRISIS_NOTE, FIND_LEGAL_AID, Link, links_for
from linkwell.advice.spotting import (
    THRESHOLD,
    CategoryScore,
    Evidence,
    explain_model,
    score,
    select,
)
from linkwell.advice.stated_limits import named_deadline, stated_limit
from linkwell.advice.text import normalise, tokens
from linkwell.advice.time_limits import EVENT_OVER_DAYS, FAR_AHEAD_DAYS
from linkwell.advice.today_actions import TODAY_ACTIONS
from linkwell.errors import InvalidInput

MAX_CHARS = 5_000

# Words that make a case urgent whatever its category: (phrase, reason shown).
URGENT_PHRASES: tuple[tuple[str, str], ...] = (
    ("no food", "No food"), ("nothing to eat", "No food"), ("cant buy food", "No food"),
    ("nowhere to sleep", "Nowhere to sleep"), ("nowhere to stay tonight", "Nowhere to sleep"),
    ("sleeping rough", "Sleeping rough"), ("on the streets", "Sleeping rough"),
    ("nowhere to go tonight", "Nowhere to sleep"),
    ("changed the locks", "Locked out of home"), ("locked me out", "Locked out of home"),
    ("locked us out", "Locked out of home"),
    ("court tomorrow", "Court hearing imminent"), ("hearing tomorrow", "Court hearing imminent"),
    ("at the door now", "Someone at the door now"), ("at my door now", "Someone at the door now"),
    ("banging on the door", "Someone at the door now"),
)
# The urgency safety net, both ways (ADR 0023). When no rule finds anything urgent, a text
# that reads like the enquiries writers labelled urgent is flagged for an adviser to check (the
# reason says it is not a rule's). When only rules reading the words found something and the
# text reads very unlike any urgent enquiry, it is not marked urgent and a note says what was
# noticed (`_reads_calm` says when not). Both thresholds were chosen on each retired held-out
# set triaged as it was while still held out (docs/advice.md): the calm one the highest at
# which no set lost an urgent case, the urgent one the lowest at which no set's false alarms
# rose by more than 0.02.
LEARNED_URGENT_THRESHOLD = 0.75
LEARNED_CALM_THRESHOLD = 0.05
CALM_UNLESS_DUE_DAYS = 14
# Too few words for the check to read: 7% of the enquiries it learned from are that short.
CALM_NEEDS_WORDS = 20
LEARNED_URGENT_REASON = ("Check for a date: this reads like cases that needed action within "
                         "days (a learned check, not a rule; an adviser should confirm)")
CONTACT_TODAY = ("Contact one of the advice services below today and say it is urgent; "
                 "take any letters or court papers with you.")
CRISIS_PHRASES = ("kill myself", "end my life", "suicide", "suicidal", "self harm",
                  "hurt myself", "want to die")
DESTITUTION_WORDS = ("destitute", "destitution", "no money", "no food", "cant buy food",
                     "nowhere to go", "nowhere to live", "no support")


@dataclass
class TriageResult:
    understood: bool
    categories: list[CategoryScore]
    urgent: bool
    urgent_reasons: list[str]
    deadlines: list[deadline_rules.Deadline]
    level: Indication
    legal_aid: Indication
    legal_aid_by_category: dict[str, Indication]
    questions: list[Question]
    answers: dict
    self_help: list[Link]
    today: date
    notes: list[str] = field(default_factory=list)
    providers: list[dict] = field(default_factory=list)
    actions_today: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What we think, in plain words: never a percentage."""
        if not self.understood or not self.categories:
            return "We could not tell what the problem is from the description."
        first, *others = [c.label.lower() for c in self.categories]
        if self.categories[0].confidence < THRESHOLD:
            return f"We are not sure, but this might be about {first}."
        also = ""
        if others:
            listed = ", ".join(others[:-1]) + (" and " if len(others) > 1 else "") + others[-1]
            also = f", and it may also involve {listed}"
        return f"We think this is mainly about {first}{also}."

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.categories]

    def as_dict(self) -> dict:
        """The JSON shape of ``POST /api/advice/triage`` and ``linkwell advice triage --json``."""
        return {
            "summary": self.summary(),
            "categories": [{
                "code": c.code, "label": c.label, "confidence": round(c.confidence, 2),
                "sub_issues": c.sub_issues,
                "sub_issue_labels": [BY_CODE[c.code].sub_issue(s).label for s in c.sub_issues],
                "evidence": [e.as_dict() for e in c.evidence],
                "legal_aid": self.legal_aid_by_category[c.code].value,
                "legal_aid_reason": self.legal_aid_by_category[c.code].reason,
            } for c in self.categories],
            "understood": self.understood,
            "urgent": self.urgent,
            "urgent_reasons": self.urgent_reasons,
            "what_to_do_today": self.actions_today,
            "deadlines": [d.as_dict(self.today) for d in self.deadlines],
            "level": self.level.value,
            "level_reason": self.level.reason,
            "legal_aid": self.legal_aid.value,
            "legal_aid_reason": self.legal_aid.reason,
            "legal_aid_note": LEGAL_AID_CAVEAT,
            "questions": [q.as_dict() for q in self.questions if q.id not in self.answers],
            "self_help": [{"text": link.text, "href": link.href} for link in self.self_help],
            "notes": self.notes,
            "providers": self.providers,
        }


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Words that count as English for the language check: rule words and the labelled set."""
    return RULE_VOCABULARY | vocabulary(load_training())


def _contains(joined: str, phrase: str) -> bool:
    return f" {phrase} " in joined


def triage(text: str | None, answers: dict | None = None, *, today: date,
           model: ProblemModel | None = None) -> TriageResult:
    """Triage one description. Raises InvalidInput for an empty text or unusable answers."""
    if text is None or not text.strip():
        raise InvalidInput("Tell us what is happening: the description is empty.",
                           errors=[{"field": "text", "message": "Enter a description"}])
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"Your description was longer than {MAX_CHARS:,} characters, so we read "
                     f"only the first {MAX_CHARS:,}. Put the most important things first.")
    parsed = parse_answers(answers)
    joined = " " + " ".join(tokens(text)) + " "
    understood = is_english(text, known_words())

    chosen: list[CategoryScore] = []
    confident = False
    if understood:
        model = model or default_model()
        extra = [(category, Evidence("answer", f"{q.text} {dict(q.options)[value]}", weight, sub))
                 for category, sub, weight, q, value in answer_signals(parsed)]
        chosen = select(score(text, model.probabilities(text), extra),
                        model.main_problem(text))
        for category in chosen:
            explain_model(text, model, category)
        confident = chosen[0].confidence >= THRESHOLD
        if not confident:
            notes.append("We are not sure what the problem is from the description; the answers "
                         "below, or a general adviser, can help pin it down.")
    else:
        notes.append("We could not read this description as English, so we have not guessed "
                     "the problem. A general adviser can help, with an interpreter if needed.")
    codes = [c.code for c in chosen]
    subs = {s for c in chosen for s in c.sub_issues}

    found = urgency.signals(text, today, set(codes)) if understood else []
    deadlines, deadline_notes = deadline_rules.compute(
        codes, parsed, today, dated={s.trigger.category for s in found if s.deadline})
    notes.extend(deadline_notes)
    # A trigger whose words were found but were long over, far off, denied or only asked about.
    quiet = {s.trigger.id for s in found if not s.urgent}
    reasons = _urgent_reasons(joined, subs, parsed, deadlines, today, understood, quiet)
    actions: list[str] = []
    for signal in found:
        deadline = signal.deadline
        if deadline is not None and not any(d.date == deadline.date for d in deadlines):
            deadlines.append(deadline)
            # "A court or tribunal hearing: Tuesday 8 December ...", not "...: court or
            # tribunal hearing Tuesday ..." when the trigger's reason says what the date is.
            if deadline.what.lower() in signal.trigger.reason.lower():
                reason = f"{signal.trigger.reason}: {_when(deadline, today, say_what=False)}"
            else:
                when = _when(deadline, today)
                reason = f"{signal.trigger.reason}: {when[0].lower()}{when[1:]}"
        else:
            reason = signal.trigger.reason
        if signal.urgent and reason not in reasons:
            reasons.append(reason)
        action = TODAY_ACTIONS.get(signal.trigger.id)
        if signal.urgent and action and action not in actions:
            actions.append(action)
    if not deadlines and understood and codes:
        mentioned = _deadline_named(text, today, codes[0]) or _limit_stated(text, today, codes[0]) \
            or _date_mentioned(text, today, codes[0])
        if mentioned is not None:
            deadlines.append(mentioned)
    elif understood and codes:
        stated = _limit_stated(text, today, codes[0], letters_own=True)
        if stated is not None and not any(d.date == stated.date for d in deadlines):
            deadlines.append(stated)
    crisis = any(_contains(joined, p) for p in CRISIS_PHRASES)
    if crisis:
        reasons.insert(0, "Risk to life or safety")
        notes.insert(0, CRISIS_NOTE)
    # When understood, ``model`` was set above (the shipped one unless a test passed its own).
    probability = model.urgent_probability(text) if understood else None
    if probability is not None and not reasons and probability >= LEARNED_URGENT_THRESHOLD:
        reasons.append(LEARNED_URGENT_REASON)
    elif reasons and not crisis and not parsed \
            and _reads_calm(text, probability, deadlines, today):
        noticed = "; ".join(reason.rstrip(".") for reason in reasons)
        notes.append(f"We noticed: {noticed}. The rest of what you wrote reads like "
                     "situations that did not need action within days, so we have not marked "
                     "this urgent. If something is due soon, tell the adviser straight away.")
        reasons, actions = [], []
    if reasons:
        actions.append(CONTACT_TODAY)
    deadlines.sort(key=shown_first(today, codes[0] if codes else None))

    in_scope = scope_signals(normalise(text))
    by_category = {c.code: legal_aid_for(c.code, set(c.sub_issues), in_scope)
                   for c in chosen}
    legal_aid = overall_legal_aid(by_category) if understood else Indication(
        "unknown", "We could not read the description, so we cannot say.")
    court = parsed.get("court_papers") == "yes" or bool(parsed.get("hearing_date")) \
        or bool(parsed.get("eviction_date")) or bool(parsed.get("debt_hearing_date"))
    level = level_of_help(
        understood=understood, categories=[(c.code, set(c.sub_issues)) for c in chosen],
        legal_aid=legal_aid, has_deadlines=bool(deadlines), urgent=bool(reasons),
        court_or_tribunal=court, confident=confident)
    links = links_for(codes) if understood else links_for(["other"])
    if legal_aid.value in ("likely_in_scope", "possibly_in_scope"):
        links.append(FIND_LEGAL_AID)
    return TriageResult(
        understood=understood, categories=chosen, urgent=bool(reasons),
        urgent_reasons=reasons, deadlines=deadlines, level=level, legal_aid=legal_aid,
        legal_aid_by_category=by_category, questions=questions_for(codes, parsed),
        answers=parsed, self_help=_unique(links), today=today, notes=_unique(notes),
        actions_today=actions)


def _reads_calm(text: str, probability: float | None,
                deadlines: list[deadline_rules.Deadline], today: date) -> bool:
    """The words read very unlike any urgent enquiry, there are enough of them to tell, and no
    time limit is due soon. (Answers given and a risk to life are ruled out by the caller.)"""
    return (probability is not None and probability < LEARNED_CALM_THRESHOLD
            and len(text.split()) >= CALM_NEEDS_WORDS
            and not any(0 <= (d.date - today).days <= CALM_UNLESS_DUE_DAYS
                        for d in deadlines))


# A date the person wrote that no rule placed: the soonest exact one still ahead, within this
# many days, is shown so an adviser checks what is due then (it makes nothing urgent).
MENTIONED_DATE_DAYS = 92


def _limit_stated(text: str, today: date, category: str,
                  letters_own: bool = False) -> deadline_rules.Deadline | None:
    """A time limit the letter states, from the letter's date: when no rule dated anything,
    or (``letters_own``) beside the rules' dates when counted from a date the text marks: the
    date the letter bears ("dated 18 March ... 30 days from the date of this letter"), the day
    it came, or a hearing it counts back from."""
    limit = stated_limit(text, today)
    if limit is None or letters_own and not limit.from_marked_date:
        return None
    return deadline_rules.Deadline(
        "The time limit your letter gives ends", limit.ends, category,
        f"Counted from {british(limit.counted_from)}, the date you gave, by the time limit you "
        "quoted; check it against the letter itself")


def _deadline_named(text: str, today: date, category: str) -> deadline_rules.Deadline | None:
    """When no rule dated anything: the date the person calls the deadline ("the closing date
    was 31 October"), before any limit counted or other date written."""
    named = named_deadline(text, today)
    if named is None:
        return None
    return deadline_rules.Deadline(
        "The deadline you mention", named, category,
        "You wrote this date as the deadline; check it against the letter or the rules "
        "that set it", late_route="Ask an adviser whether a late application or request "
        "can still be made.")


def _date_mentioned(text: str, today: date, category: str) -> deadline_rules.Deadline | None:
    """When no rule dated anything: the soonest exact date written that is still ahead."""
    ahead = sorted(m.future for m in find_dates(text, today)
                   if m.exact and 0 < (m.future - today).days <= MENTIONED_DATE_DAYS
                   # "Christmas is coming" names a season, not a day (Christmas Day does)
                   and m.text.strip().lower() != "christmas"
                   # a two-way date ("Monday", "the 2nd") may be one gone by: left alone
                   and (m.past == m.future or (today - m.past).days > MENTIONED_DATE_DAYS))
    if not ahead:
        return None
    return deadline_rules.Deadline(
        "A date in your message: check what is due then", ahead[0], category,
        "You wrote this date; no time limit we know of was found next to it, so an adviser "
        "should check what it is for")


def _unique(items: list) -> list:
    """The same link or note once, in its first place."""
    return list(dict.fromkeys(items))


def _when(deadline: deadline_rules.Deadline, today: date, *, say_what: bool = True) -> str:
    """ "Court hearing Tuesday 8 December 2026, in 4 days", or that it has passed (and what can
    still be done); without what the date is for when the sentence has said it already."""
    days = deadline.days_left(today)
    about = "" if deadline.exact else "about "
    what = f"{deadline.what} " if say_what else ""
    if days < 0:
        late = f" {deadline.late_route}" if deadline.late_route else ""
        return f"{what}{about}{british(deadline.date)} has passed.{late}"
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    return f"{what}{about}{british(deadline.date)}, {when}"


def most_pressing(deadline: deadline_rules.Deadline, today: date) -> tuple:
    """Sort key: dates still ahead, soonest first (those more than FAR_AHEAD_DAYS away after
    a limit passed within a month that has a late route); then dates passed, latest first."""
    days = deadline.days_left(today)
    if days < 0:
        # Just passed with a late route still open ("the appeal date was last week, a late
        # appeal may be allowed") comes before a limit still months away.
        return (1 if deadline.late_route and -days <= 31 else 3, -days)
    return (0 if days <= FAR_AHEAD_DAYS else 2, days)


def shown_first(today: date, main: str | None) -> Callable[[deadline_rules.Deadline], tuple]:
    """Sort key for the deadlines shown: those still live (ahead within FAR_AHEAD_DAYS, or
    passed within a month) first, the main problem's among them first unless another is due
    within URGENT_WITHIN_DAYS; then the most pressing, as for the dates not live. "The
    deadline" is the one for what the person mainly wrote about (as independent writers read
    it), and a date a fortnight away still leads."""
    def key(deadline: deadline_rules.Deadline) -> tuple:
        days = deadline.days_left(today)
        live = -EVENT_OVER_DAYS <= days <= FAR_AHEAD_DAYS
        due_soon = 0 <= days <= deadline_rules.URGENT_WITHIN_DAYS
        return (not live, live and deadline.category != main and not due_soon,
                most_pressing(deadline, today))
    return key


def _urgent_reasons(joined: str, subs: set[str], answers: dict,
                    deadlines: list[deadline_rules.Deadline], today: date,
                    understood: bool, quiet: set[str] = frozenset()) -> list[str]:
    reasons: list[str] = []

    def add(reason: str) -> None:
        if reason not in reasons:
            reasons.append(reason)

    for deadline in deadlines:
        if deadline.is_urgent(today):
            add(_when(deadline, today))
    if "enforcement_agents" in subs and "bailiffs" not in quiet \
            or answers.get("bailiff_stage") in ("letter", "visited"):
        add("Bailiffs (enforcement agents) are involved")
    if "illegal_eviction" in subs and "illegal_eviction" not in quiet:
        add("Possible illegal eviction")
    if answers.get("no_food_or_shelter_tonight") == "yes":
        add("No food or safe place to sleep tonight")
    if understood:
        for phrase, reason in URGENT_PHRASES:
            at = joined.find(f" {phrase} ")
            if at >= 0 and not urgency.negated(joined, at + 1):
                add(reason)
        if "nrpf" in subs and any(_contains(joined, w) for w in DESTITUTION_WORDS):
            add("No recourse to public funds and destitute")
    if answers.get("court_papers") == "yes" and not answers.get("hearing_date"):
        add("Court papers received: check the dates on them now")
    return reasons
