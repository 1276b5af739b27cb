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
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from linkwell.advice.dates import DateMention, add_months, find_dates, school_days_after
from linkwell.advice.deadlines import Deadline
from linkwell.advice.text import normalise

# How far from the trigger words a date may be written and still belong to them.
DATE_WINDOW = 110
# When no date of the right kind (ahead for an event, behind for a decision) is written in the
# trigger's sentence, the nearest exact one of that kind within this reach is taken instead:
# people give the date in the next sentence ("... permanently excluded. The head's letter is
# dated 25 November") or far along a run-on one. It always ranks below a date close by.
WIDE_WINDOW = 450
_SENTENCE_END = re.compile(r"[.!?;\n]")
_NEGATION = re.compile(
    r"\b(?:not|never|without|havent|hasnt|hadnt|isnt|wasnt|arent|dont|doesnt|didnt|wont|"
    r"yet to|no sign of|in case|might|if|nobody\w*|no ?one\w*|nothing|difference between|"
    r"news|story|article|in general|hypothetical\w*|curious|"
    r"(?:worried|afraid|scared|concerned|fear\w*) (?:that )?they(?:ll| will| might| may| could| "
    r"would)?)\b(?:[^\w,.;:!?]+\w+){0,2}[^\w,.;:!?]*$")
# An event this far ahead is not yet urgent ("my visa expires in March 2028"); one that passed
# this long ago is over ("the hearing last year"); a time limit that ran out this long ago (and
# beyond any late route) belongs to an old case.
FAR_AHEAD_DAYS = 92
EVENT_OVER_DAYS = 31
LIMIT_LONG_GONE_DAYS = 92
_NO_BEFORE = re.compile(r"\bno\W*$")
# A hearing or claim settled, adjourned without a new date or put on hold: not urgent unless a
# date still ahead is given ("adjourned generally on terms", "suspended possession order").
_SETTLED = re.compile(r"\b(?:adjourn\w*|postpone\w*|vacated|on terms|suspended possession order|"
                      r"settled (?:with|out of court|before)|"
                      r"struck out|withdrawn the claim|claim was withdrawn)")
_SETTLED_TRIGGERS = frozenset({"hearing", "tribunal_date", "possession_claim", "eviction_warrant",
                               "debt_court"})
# A debt already paid: its court claim or bailiffs are history ("I paid it off in 2022").
_PAID = re.compile(r"\b(?:paid (?:it |them |that |everything |the lot )?(?:off|in full)|"
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
class Limit:
    """How a date next to a trigger becomes a deadline."""

    what: str
    basis: str
    compute: Callable[[date], date]
    prefer_future: bool  # an event lies ahead; a decision or a dismissal lies behind
    exact: bool = True
    always_urgent: bool = False
    late_route: str | None = None
    late_days: int = 0  # how long after the deadline the late route stays open
    urgent_within: int = 0  # a deadline further ahead than this is not yet urgent (0: default)

    def still_live(self, deadline: date, today: date) -> bool:
        """Whether a deadline on this date still makes the case urgent today."""
        days = (deadline - today).days
        if days > (self.urgent_within or FAR_AHEAD_DAYS):
            return False
        if days >= 0:
            return True
        if self.prefer_future:
            return -days <= EVENT_OVER_DAYS
        # A late route stays open for its own time and no longer ("13 months at most").
        return -days <= (self.late_days or LIMIT_LONG_GONE_DAYS)


@dataclass(frozen=True)
class Trigger:
    id: str
    category: str
    reason: str
    pattern: re.Pattern
    limit: Limit | None = None
    urgent: bool = True
    # The trigger counts only when one of these categories was found (empty: always).
    needs: frozenset[str] = frozenset()
    # When True, finding a ``needs`` category is itself the trigger; the pattern then only
    # places the words a date may be written next to.
    on_category: bool = False
    # ... and, when set, only when these words are also somewhere in the text.
    with_words: re.Pattern | None = None
    # The trigger does not count when these words are anywhere in the text.
    without_words: re.Pattern | None = None
    # Urgent only when a date is written with it (a meeting ahead), not on the words alone.
    dated_only: bool = False


def _same(day: date) -> date:
    return day


def _months(n: int) -> Callable[[date], date]:
    return lambda day: add_months(day, n)


def _days(n: int) -> Callable[[date], date]:
    return lambda day: day + timedelta(days=n)


def _employment_limit(day: date) -> date:
    return add_months(day, 3) - timedelta(days=1)


def _school_days(day: date) -> date:
    return school_days_after(day, 15)


def _six_months_less_a_day(day: date) -> date:
    return add_months(day, 6) - timedelta(days=1)


HEARING = Limit("Court or tribunal hearing", "Date given for the hearing", _same,
                prefer_future=True, always_urgent=True)
EVICTION = Limit("Eviction by court bailiffs", "Date given for the eviction; an application "
                 "to suspend the warrant must be made before then", _same, prefer_future=True,
                 always_urgent=True)
LEAVE_BY = Limit("Date you have been told to leave by", "Date on the notice or given to you; "
                 "only a court order and court bailiffs can evict a tenant", _same,
                 prefer_future=True, always_urgent=True)
HOMELESSNESS_REVIEW = Limit(
    "Ask the council to review its homelessness decision by", "21 days from the decision "
    "(Housing Act 1996 s.202)", _days(21), prefer_future=False,
    late_route="The council can still accept a late review request, and a county court "
               "appeal may follow a review: ask an adviser now.")
MANDATORY_RECONSIDERATION = Limit(
    "Ask for a mandatory reconsideration by", "One calendar month from the date of the "
    "decision letter", _months(1), prefer_future=False,
    late_route="A late mandatory reconsideration can be accepted up to 13 months after the "
               "decision if there is a good reason for the delay.")
BENEFIT_APPEAL = Limit(
    "Appeal to the benefits tribunal by", "One calendar month from the date of the mandatory "
    "reconsideration notice (form SSCS1)", _months(1), prefer_future=False,
    late_route="A late appeal can be accepted up to 13 months after the mandatory "
               "reconsideration notice if the tribunal allows it.", late_days=365)
EMPLOYMENT_CLAIM = Limit(
    "Start ACAS early conciliation by (employment tribunal time limit)", "Three months less "
    "one day from the dismissal or act complained of; ACAS early conciliation must come first "
    "and extends the limit", _employment_limit, prefer_future=False,
    late_route="A late claim is accepted only if it was not reasonably practicable to claim "
               "in time (unfair dismissal) or it is just and equitable (discrimination).",
    late_days=31)
IMMIGRATION_APPEAL = Limit(
    "Appeal the Home Office refusal by", "14 days after the decision was sent, for an appeal "
    "from inside the UK where there is a right of appeal", _days(14), prefer_future=False,
    late_route="The tribunal can extend time for a late appeal if there is a good reason: "
               "apply with the reasons now.")
EXCLUSION_REVIEW = Limit(
    "Ask for the exclusion to be reviewed by (about)", "15 school days from the notice of the "
    "decision; school holidays move the date, so check it", _school_days, prefer_future=False,
    exact=False)
EHCP_APPEAL = Limit(
    "Appeal to the SEND tribunal by", "Two months from the decision letter (or one month from "
    "a mediation certificate if later); mediation advice must be considered first",
    _months(2), prefer_future=False,
    late_route="The SEND tribunal can accept a late appeal in some cases: ask an adviser.")


SERVICES_CLAIM = Limit(
    "Start a discrimination claim in the county court by", "Six months less one day from the "
    "act complained of (Equality Act 2010 s.118), for goods, services, housing and education "
    "outside work", _six_months_less_a_day, prefer_future=False, urgent_within=42,
    late_route="The court can allow a late claim if it is just and equitable: ask an adviser.")
JUDICIAL_REVIEW = Limit(
    "Start a judicial review claim by (at the latest)", "Promptly, and in any event within "
    "three months of the decision (Civil Procedure Rules 54.5); a pre-action letter comes "
    "first", _months(3), prefer_future=False, always_urgent=True,
    late_route="The court rarely extends time for judicial review: get advice today.")
MENTAL_HEALTH_TRIBUNAL = Limit(
    "Apply to the mental health tribunal by", "Within 14 days of detention under section 2 "
    "of the Mental Health Act 1983 (counting the day of detention)", _days(13),
    prefer_future=False, always_urgent=True)
COURT_CLAIM_REPLY = Limit(
    "Reply to the court claim by", "14 days from receiving the claim form (28 if you send "
    "the acknowledgment of service); otherwise the claimant can ask for judgment",
    _days(14), prefer_future=False,
    late_route="If judgment has been entered, you can apply to the court to set it aside: "
               "do it quickly, with the reason for the delay.")
SOMEWHERE_TONIGHT = Limit(
    "Somewhere safe to stay tonight", "Homeless tonight: the council must give interim "
    "accommodation when it has reason to believe you may be homeless, eligible and in "
    "priority need (Housing Act 1996 s.188); under-18s are owed help by children's services "
    "(Children Act 1989 s.20)", _same, prefer_future=True, always_urgent=True)


def _event(what: str, basis: str) -> Limit:
    return Limit(what, basis, _same, prefer_future=True, always_urgent=True)


DISCONNECTION = _event("Disconnection date", "Date the supplier gave")
BAILIFF_VISIT = _event("Bailiffs' visit", "Date the bailiffs gave")
REMOVAL = _event("Removal date", "Date in the removal directions")
LEAVE_EXPIRY = _event("Your permission to stay ends", "Apply before your leave ends to keep "
                      "your rights while the Home Office decides (Immigration Act 1971 s.3C)")
DISCHARGE = _event("Discharge from hospital", "Date given for discharge")
REPOSSESSION = _event("Repossession date", "Date given by the lender or court")
SCHOOL_TRANSPORT = _event("Date the school transport stops", "Date in the council's "
                          "letter; ask for a review of the decision before then")
CARE_CUT = _event("Date the cut to care takes effect", "Date in the council's letter; ask "
                  "for the decision to be reviewed before then")
MOVE_TO_UC = Limit("Claim Universal Credit by", "Date in the DWP's migration notice; claim "
                   "by then so the old benefits move across with transitional protection",
                   _same, prefer_future=True)
CONSULTATION_MEETING = _event("Redundancy consultation meeting", "Date of the meeting "
                              "given by the employer")
CURTAILMENT = Limit("Your shortened permission to stay ends", "Leave cut short "
                    "(curtailed) usually ends 60 days after the Home Office letter",
                    _days(60), prefer_future=False)


def _t(id_: str, category: str, reason: str, pattern: str, limit: Limit | None = None, *,
       needs: tuple[str, ...] = (), with_words: str | None = None,
       without_words: str | None = None, on_category: bool = False,
       dated_only: bool = False, urgent: bool = True) -> Trigger:
    return Trigger(id_, category, reason, re.compile(pattern), limit, urgent=urgent,
                   needs=frozenset(needs),
                   on_category=on_category,
                   with_words=re.compile(with_words) if with_words else None,
                   without_words=re.compile(without_words) if without_words else None,
                   dated_only=dated_only)


_BENEFIT = (r"(?:universal credit|\buc\b|\bpip\b|\besa\b|\bdla\b|benefit|housing benefit|"
            r"carers? allowance|pension credit|attendance allowance|council tax reduction|"
            r"\bjsa\b|child benefit|tax credits?)")
# Benefits decided by the DWP or HMRC, challenged by mandatory reconsideration (not the
# council's own council tax reduction scheme, which has its own appeal route).
_DWP_BENEFIT = _BENEFIT.replace("council tax reduction|", "")

TRIGGERS: tuple[Trigger, ...] = (
    # --- housing ---------------------------------------------------------------------------
    _t("hearing", "housing", "A court or tribunal hearing",
       r"\b(?:(?<!disciplinary )(?<!grievance )(?<!appeal )(?<!keep )(?<!been )(?<!kept )"
       r"(?:hearing|hearin\b)(?! aid)(?! impair)(?! (?:on|in) the (?:news|radio|tv))"
       r"(?! about| that| from)|court date|listed for|court on|court (?:hearing|case))\b",
       HEARING),
    _t("possession_claim", "housing", "Possession proceedings have started",
       r"\b(?:possession (?:order|claim|proceedings)|court papers|claim form|n5b?\b|"
       r"papers from the court|court letter|letter from the court|taking (?:me|us) to court|"
       r"taken (?:me|us) to court|gone to court|applied to (?:the )?court)",
       with_words=r"evict|possession|landlord|rent|tenan|flat|house|home|mortgage"),
    _t("eviction_warrant", "housing", "Eviction threatened or under way",
       r"\b(?:warrant|bailiffs? (?:are )?(?:coming )?to evict|eviction (?:date|notice)|"
       r"evicted|evicting|evict (?:me|us|my|our)|notice of eviction|date of eviction|"
       r"being evicted|be evicted|evict|eviction)\b", EVICTION),
    _t("notice", "housing", "A notice to leave the home has been served",
       r"\b(?:notice to leave|given (?:me|us|my \w+) (?:a |his |her |their )?notice|"
       r"served (?:me |us )?(?:with )?(?:a |an )?notice|gave (?:me|us) notice|"
       r"(?:two|2) months notice|(?:get|move|be) out by|leave by|vacate|"
       r"out of the (?:flat|house|property|room) by|told (?:me|us|him|her) to (?:leave|go|get out)|"
       r"(?:asked|wants?) (?:me|us) to leave|must leave|i must leave|wants? (?:me|us) (?:out|gone)|"
       r"(?:told|tells?|said|says) (?:me|us|i|we)\W+(?:\w+\W+){0,3}?(?:(?:got|have|need) to|"
       r"gotta|must) (?:go|leave|move out|be out)\b|"
       r"(?:ive|i have|weve|we have|i|we) (?:got |need )?to (?:be out|move out|get out)\b|"
       r"(?:must|have to|got to|need to) (?:go |get |move )?out (?:of|by|on)\b|"
       r"got to leave|gotta leave|(?:must|have to|need to) go out (?:from|of)\b|"
       r"(?:have|has|need|needs) to (?:leave|be out of) (?:my|our|the|his|"
       r"her|their) (?:\w+s )?(?:place|flat|house|home|room|hostel|accommodation)|"
       r"(?:have|has|need) to leave (?:by|on|before)\b)", LEAVE_BY,
       with_words=r"landlord|tenan|flat|house|home|\brent|property|room|council|hostel|hotel|"
                  r"accommodation|letting|\bagent|lodg|evict|\bplace|staying"),
    _t("possession_notice", "housing", "A notice to leave the home has been served",
       r"\b(?:section (?:21|8)|s ?21 notice|s ?8 notice|notice to quit|"
       r"notice seeking possession|eviction notice)\b", LEAVE_BY),
    _t("homeless", "housing", "Homeless or about to be",
       r"\b(?:homeless(?! (?:hostel|charity|service|project|team|shelter|people|centre|"
       r"outreach|unit|application|officer|duty|register|list))|sleeping rough|sleep rough|"
       r"rough sleep\w*|on the streets|"
       r"(?:sleep\w*|living|live|be|end up|ending up) on the street|"
       r"no ?where (?:else )?to (?:stay|sleep|go|live)|"
       r"(?:got|have|with|left with|be) no ?where(?: else)?(?! (?:with|near|fast|so far))\b|"
       r"(?:have|got|need) to (?:be out|leave|get out) (?:by )?(?:tonight|today)|"
       r"cant (?:stay|sleep) (?:there|here) (?:again )?tonight|"
       r"(?:put|kicked|thrown|chucked) out (?:by|of (?:home|the house))|sofa ?surf\w*|"
       r"sleeping (?:in|on) (?:my|the|a|our) (?:car|floor|sofa|couch|settee)|"
       r"(?:kicked|thrown) (?:me |us |him |her )?out(?! (?:of )?(?:the |my |a )?(?:gym|class|"
       r"club|shop|school|college|course|pub|bar|restaurant|job|group|team|meeting|lesson))|"
       r"(?:dont|do not|dunno) (?:know|no) where (?:to|i can|we can) (?:go|stay|sleep)|"
       r"threw (?:me|us|him|her) out|put (?:me|us|him|her) out|chucked (?:me |us )?out|"
       r"night shelter|no fixed abode|sleeping (?:on|in) (?:the |a )?(?:night )?bus\w*|"
       r"sleeping (?:in|at) (?:a |the )?(?:park|station|tent|stairwell|mosque|church)|"
       r"(?:in|sleep\w* in|living in) (?:the|my|our) car (?:tonight|now)|"
       r"(?:tonight|tomorrow) .{0,30}(?:street|nowhere)|"
       r"cant stay (?:here )?(?:much |any )?longer)"),
    _t("homelessness_decision", "housing", "A council homelessness decision can be challenged",
       r"\b(?:intentionally homeless|homeless intentionally|"
       r"(?:not|isnt|arent|wasnt|no) (?:in )?priority need|"
       r"no local connection|not eligible for (?:help|housing|assistance)|"
       r"(?:council|they) (?:have |has )?(?:decided|said) (?:i|we|im|were|she|he) (?:am |are |is )?"
       r"(?:not|intentional)|(?:refused|declined) to (?:help|house|accept))",
       HOMELESSNESS_REVIEW),
    _t("illegal_eviction", "housing", "Possible illegal eviction",
       r"\b(?:changed the locks?|change(?:d)? (?:the |our |my )?locks?|"
       r"locked (?:me|us|him|her) out|"
       r"lock(?:ed)? (?:me|us) out|threw (?:my|our) (?:stuff|things|belongings)|"
       r"(?:put|thrown|threw|left) (?:all )?(?:my|our) (?:stuff|things|belongings) "
       r"(?:outside|out|in the street)|illegal(?:ly)? evict\w*|cut off (?:the )?(?:power|electric|"
       r"gas|water) to (?:get|force)|(?:wont|will not|wouldnt) let (?:me|us) (?:back )?in|"
       r"(?:stuff|things|belongings) (?:in (?:bin )?bags )?(?:outside|on the street)|"
       r"(?:key|keys) (?:is |are )?(?:not|doesnt|dont|wont|no longer) (?:work|fit|open)\w*)"),
    _t("homeless_tonight", "housing", "Nowhere safe to stay tonight",
       r"\b(?:(?:cant|can not|cannot|not allowed to|wont be able to) (?:stay|come home|come back|"
       r"sleep|go home)\W+(?:\w+\W+){0,4}?(?:tonight|tonite|2nite)|"
       r"(?:after|from|by) (?:tonight|tonite)|"
       r"no ?where (?:safe )?to (?:stay|sleep|go) (?:tonight|tonite)|"
       r"(?:slept|sleeping|sleep|been) (?:in|on) (?:the|my|our|a) (?:car|street|streets|bus|park)"
       r"\W+(?:\w+\W+){0,10}?(?:tonight|tonite|2nite)|"
       r"where (?:am i|are we|do i|do we|can i|can we|will i|will we|shall i|is (?:he|she)) "
       r"(?:meant to |supposed to |going to |gonna |to )?(?:sleep|stay|go)\w* "
       r"(?:\w+ )?(?:tonight|tonite|2nite)|"
       r"(?:sleep\w*|stay\w*) (?:\w+ ){0,3}(?:tonight|tonite) .{0,20}(?:street|nowhere|park|"
       r"station|bus))", SOMEWHERE_TONIGHT),
    _t("young_person_out", "housing", "A young person under 18 put out of home",
       r"\b(?:(?:im|i am|i m|is|aged?|age|turned) 1[4-7]\b|1[4-7] (?:year|yr)s? old)",
       with_words=r"(?:told|tells?|threw|thrown|kicked|chucked|put) (?:me|him|her|them) out|"
                  r"(?:told|tells?) (?:me|him|her) (?:to )?(?:get out|leave)|cant come home|"
                  r"can not come home|cannot come home|bin bags|nowhere to (?:go|stay|sleep)|"
                  r"where to go|cant stay"),
    _t("repossession", "housing", "The lender is taking action to repossess the home",
       r"\brepossess\w*", REPOSSESSION),
    _t("judicial_review", "housing", "A decision only judicial review can challenge: the time "
       "limit is short",
       r"\b(?:judicial review|\bjr\b|no (?:right of )?appeal|(?:no|not a) (?:statutory )?review "
       r"(?:route|process|right)|cannot be appealed|cant be appealed)",
       JUDICIAL_REVIEW, with_words=r"judicial review|\bjr\b"),
    # --- debt --------------------------------------------------------------------------------
    _t("debt_court", "debt", "A court claim about a debt",
       r"\b(?:county court|ccj|court claim|money claim|claim form|summons|"
       r"(?:taking|take|took|taken) (?:me|us) to court|court papers|court letter|"
       r"letter from the court|papers from the court)", COURT_CLAIM_REPLY,
       needs=("debt",)),
    _t("bailiffs", "debt", "Bailiffs (enforcement agents) are involved",
       r"\b(?:bai?l+i?f+s?|bailiffs?|bail(?:e|i)ffs?|enforcement (?:agents?|officers?)|"
       r"notice of enforcement|high court enforcement|enforcement notice|enforcement "
       r"(?:company|firm)|take control of (?:my |our |the )?goods|"
       r"(?:come|coming) (?:round )?(?:and|to) take (?:\w+ )?(?:goods|car|belongings|things)|"
       r"(?:marston|equita|bristow|jbw|newlyn|rossendales)\b)", BAILIFF_VISIT),
    _t("bailiffs_indirect", "debt", "Bailiffs (enforcement agents) are involved",
       r"\b(?:(?:men|man|people|officers?|guys?) (?:from|sent by) the (?:court|council)|"
       r"court (?:men|officers))",
       BAILIFF_VISIT),
    _t("disconnection", "debt", "Gas, electricity or water cut off or about to be",
       r"\b(?:disconnect\w*|cut (?:me |us |the \w+ )?off|cut off|(?:meter|metre|key|card)s? "
       r"(?:has |is |have )?(?:run|ran|gone|going) (?:out|dry)|nothing to top (?:it )?up|"
       r"run out of (?:gas|electric\w*|credit)|"
       r"ran out of (?:gas|electric\w*|credit)|(?:meter|metre)s? (?:is |are |has been |been )?"
       r"(?:on|in|onto|into) (?:the )?emerg\w*|(?:gas|electric\w*|power|credit) "
       r"(?:has )?(?:ran|run|gone) out|emerg\w* credit|no (?:gas|electric|electricity|power|"
       r"lights?) "
       r"(?:at all|since|for|in|left)|emergency credit|self[- ]?disconnect\w*|"
       r"cant (?:afford to )?top (?:it )?up|(?:meter|key|card) (?:has|with) no (?:credit|money|"
       r"gas|electric)|no credit (?:on|left)|no money (?:for|to) (?:the )?(?:meter|top up|gas|"
       r"electric)|(?:got|have|had|with) no (?:gas|electric|electricity|power|heating or)\b|"
       r"(?:gas|electric|electricity|power) (?:has |is )?(?:gone|off)|sitting in the dark)",
       DISCONNECTION, with_words=r"\bgas\b|electric|water|power|meter|metre|energy|"
                                 r"supplier|heating|lights|credit|octopus|british gas|edf|"
                                 r"eon|ovo|thames water"),
    _t("loan_shark", "debt", "Threats from an illegal lender",
       r"\b(?:loan shark|illegal lender|illegal money ?lend\w*|unlicensed lender|"
       r"do (?:me|us|him|her) in\b|"
       r"(?:hurt|harm|kill|beat|batter|break|smash|stab|burn) "
       r"(?:me|my|us|our|him|her|you|your)\b|"
       r"sort (?:me|us|him|her|you|my \w+|your \w+) out|"
       r"(?:come|coming) (?:after|for) (?:me|us|my)\b|"
       r"knows? where (?:i|we|my \w+|you) (?:live|lives|go|goes)|threaten\w*|or else\b|"
       r"(?:his|their) (?:friends|mates|boys|people) (?:will|gonna|going to) (?:come|visit|find)|"
       r"(?:keeps?|kept|took|taken|has got|holding|has) my (?:passport|bank card|card|id|"
       r"documents)|not (?:from )?a (?:bank|proper (?:company|lender))|"
       r"(?:hes|he is|she is|its) not a proper (?:company|lender|business))",
       with_words=r"borrow|lent|loan|owe|pay (?:him|her|them) back|debt|interest"),
    _t("insolvency_hearing", "debt", "A bankruptcy or charging-order hearing",
       r"\b(?:bankruptcy (?:petition|hearing)|petition(?:ed)? (?:for|to make) (?:me|us) "
       r"bankrupt|charging order|order for sale|statutory demand)", HEARING),
    # --- welfare benefits -------------------------------------------------------------------
    _t("benefit_appeal", "welfare_benefits", "Time to appeal to the benefits tribunal",
       r"\b(?:mandatory reconsideration|reconsideration|\bmr\b|mrn)\b.{0,60}?"
       r"(?:refused|turned down|upheld|rejected|not changed|no change|came back|unchanged|"
       r"keeping|kept|confirm\w*|maintain\w*|uphold\w*|"
       r"stayed the same|same decision|still(?! waiting| not heard| no)|failed|lost|kept)|"
       r"(?:refused|turned down|rejected|lost|said no|no (?:on|to))\W+(?:\w+\W+){0,3}"
       r"(?:mandatory )?reconsideration",
       BENEFIT_APPEAL, needs=("welfare_benefits",)),
    _t("tribunal_date", "welfare_benefits", "A benefits tribunal hearing",
       r"\b(?:tribunal|appeal hearing|listed|(?<!keep )(?<!been )(?<!kept )"
       r"hearing(?! (?:on|in) the (?:news|radio|tv))(?! about| that| from))\b",
       HEARING, needs=("welfare_benefits",), with_words=r"tribunal|appeal|hearing"),
    _t("benefit_decision", "welfare_benefits", "A benefit decision that can be challenged",
       rf"(?:{_DWP_BENEFIT}[^.!?;\n]{{0,80}}?\b(?:stopped|refused|turned down|rejected|cut|"
       r"suspended|ended|end|decision|decided|points|not entitled|disallowed|reduced|removed|"
       r"going to stop|(?:will|to) be stopped|(?:wont|wouldnt|will not|would not|not going to|"
       r"refus\w* to) pay|"
       r"taken away|found (?:me )?fit|fit for work|fit to work|dropped|lower rate|"
       r"no longer|wont get|turned me down|denied|nil award|"
       r"zero|downgraded|capped|closed|unfit for work|not fit for work)|"
       r"\b(?:stopped|refused|turned down|rejected|cut|suspended|disallowed|reduced|"
       r"denied|scored)\b[^.!?;\n]{0,40}?"
       rf"{_DWP_BENEFIT}|\bdecision\b[^.!?;\n]{{0,40}}?{_DWP_BENEFIT}|"
       r"\b(?:0|zero|no|nil) points?\b|\bfit for work\b|"
       r"\bdecision letter\b|\bsanction\w*|\bsantion\w*|\bsancshun\w*|"
       r"\bstop (?:my|our|his|her|the) (?:money|payments?|benefits?|claim))",
       MANDATORY_RECONSIDERATION, needs=("welfare_benefits",),
       # The reconsideration was already asked for: its own month no longer runs.
       without_words=r"(?:asked for|requested|put in|sent|submitted|applied for|done|did|"
                     r"made|waiting (?:on|for)) (?:a |the |my |an )?(?:mandatory )?"
                     r"reconsideration"),
    _t("benefit_move", "welfare_benefits", "A benefit ends and a new claim must be made",
       r"\b(?:claim|move to|apply for|switch to|moved to|migrat\w* to) (?:universal credit|uc)\b"
       r"(?:\W+\w+){0,3}?\W+(?:before|by)\b|migration notice",
       MOVE_TO_UC, needs=("welfare_benefits",), urgent=False),
    _t("overpayment", "welfare_benefits", "An overpayment decision that can be challenged",
       r"\b(?:letter|decision|wrote|notice|told)\W+(?:\w+\W+){0,16}?(?:overpa\w*|paid too much)|"
       r"(?:overpa\w*|paid too much)\W+(?:\w+\W+){0,12}?(?:letter|decision)",
       MANDATORY_RECONSIDERATION, needs=("welfare_benefits",)),
    _t("no_income", "welfare_benefits", "Benefits stopped with no income",
       r"\b(?:no money (?:at all|coming in|left)|no income|nothing coming in|not a penny|"
       r"penniless|no money for food|nothing for food|food ?bank|"
       r"(?:nothing|no money|0|zero) (?:left )?in (?:the|my) (?:bank|account)|"
       r"cant (?:afford|buy) (?:food|to eat)|"
       r"nothing to eat|not eaten|no food)", needs=("welfare_benefits",)),
    # --- employment ---------------------------------------------------------------------------
    _t("dismissal", "employment", "Dismissed: the employment tribunal time limit is short",
       r"\b(?:dismiss(?:ed|al)|dismiss (?:me|you|him|her|us|them)\b|sacked|sacking|fired|"
       r"(?:got|given|get|had) the sack|"
       r"let (?:me|him|her|us) go\b(?!\s+(?:on|to|out|home|in|for|with|and|back|outside))|"
       r"(?:been|was|were|got|get|getting|being) let go|let go (?:from|by|of (?:me|him|her|us))|"
       r"lost (?:my|his|her) job|laid off|la(?:id|y) (?:me|him|her|us) off|"
       r"made (?:me |us |him |her )?redundant|(?:we|i|he|she|they) (?:were|was|are|am|have been|"
       r"had been|been|are being|am being) (?:\w+ )?redundant|"
       r"push(?:ed)? (?:me |him |her )?out of (?:my|his|her|the) job|"
       r"(?:stopped|stop) going in (?:because|as|cos)|"
       r"terminated|termination|constructive\w*|forced (?:me )?(?:out|to resign)|"
       r"had to resign|resigned because|no longer employed|got rid of (?:me|him|her)|"
       r"told (?:me|him|her) not to come back|finished (?:me|him|her) (?:up|off)?|"
       r"gave me the boot|dissmiss\w*|dismised|sakked)",
       EMPLOYMENT_CLAIM, needs=("employment", "discrimination")),
    _t("dismissal_words", "employment", "Dismissed: the employment tribunal time limit is short",
       r"\b(?:(?:dont|do not|not to|no need to|(?:dont|do not) need to|(?:dont|do not) have to)"
       r" (?:bother )?(?:to )?(?:come|coming|turn up|return) (?:in|back|again|any ?more)|"
       r"dont need you|(?:is|was|be) (?:your|my|his|her|their) last (?:day|shift)|"
       r"no more work for (?:me|him|her)|i am finish|letting (?:me|him|her|us) go)",
       EMPLOYMENT_CLAIM, with_words=r"work|job|employ|boss|manager|shift|supervisor|company|"
                                    r"firm|agency|contract|payroll|hr\b|staff|warehouse|shop"),
    _t("work_discrimination", "employment", "Discrimination at work: the tribunal time limit "
       "is short",
       r"\b(?:discriminat\w*|racis\w*|sexis\w*|harass\w*|because (?:i am|im|i was|of my) "
       r"(?:pregnant|black|disabled|muslim|gay|trans|a woman|age|disability|race|religion)|"
       r"reasonable adjustments?|homophob\w*|transphob\w*)",
       EMPLOYMENT_CLAIM, needs=("discrimination",), on_category=True,
       with_words=r"\bwork\b(?! with| part| full)|\bworking\b|\bjob|employ|boss|"
                  r"(?:my|line) (?:\w+ )?manager "
                  r"(?:at work|said|told|says|say|calls?|called|keeps?)|\bshift|my colleague|"
                  r"colleagues at work|"
                  r"\bhr\b|supervisor|promotion|team leader|payroll"),
    _t("service_discrimination", "discrimination", "Discrimination outside work: the county "
       "court time limit is six months",
       r"\b(?:discriminat\w*|racis\w*|because (?:i am|im|i was|of my) (?:black|disabled|muslim|"
       r"gay|trans|a woman|age|disability|race|religion))",
       SERVICES_CLAIM, needs=("discrimination",), on_category=True, dated_only=True,
       without_words=r"\bwork\b(?! with)|\bworking\b|\bjobs?\b|employ|boss|manager|\bshift|"
                     r"colleague|\bhr\b|supervisor|promotion|payroll|recruit\w*|interview"),
    _t("work_harassment", "employment", "Harassment at work: the tribunal time limit is short",
       r"\b(?:sexual(?:ly)? harass\w*|touching me|groping|groped|sexual comments|"
       r"(?:harass\w*|bully\w*) (?:me )?at work)", EMPLOYMENT_CLAIM, needs=("employment",),
       with_words=r"\bwork|job|boss|manager|supervisor|colleague|shift|warehouse|shop|office"),
    _t("wages_unpaid", "employment", "Wages unpaid and no money to live on",
       r"\b(?:not (?:pay|paid|paying) (?:me|my (?:wages|salary|pay))|"
       r"(?:hasnt|havent|has not|have not|didnt|did not) (?:been )?pa(?:y|id) (?:me|us)\b|"
       r"no (?:wages|salary|pay) for|owes? (?:me|us) (?:\w+ )?(?:weeks?|months?)|"
       r"(?:wages|salary|pay) (?:is |are |has been |have been )?(?:late|unpaid|not paid))",
       with_words=r"no money|cant pay|cannot pay|can not pay|behind|struggl|nothing left|"
                  r"broke|skint|food"),
    _t("wages_owed", "employment", "Wages unpaid and no money to live on",
       r"\b(?:(?:not|havent|hasnt|have not|has not|never) (?:had|got|been given|received) "
       r"(?:anything|a penny|any (?:pay|wages|money)|paid)|(?:money|pay|wages) (?:is|are) coming)",
       needs=("employment",),
       with_words=r"no money|cant pay|cannot pay|behind|struggl|nothing left|borrow\w*|skint|"
                  r"food|arrears"),
    _t("redundancy_consultation", "employment", "A redundancy consultation meeting is coming up",
       r"\b(?:consultation|redundancy) meeting", CONSULTATION_MEETING,
       needs=("employment",), dated_only=True),
    # --- immigration -------------------------------------------------------------------------
    _t("leave_expiring", "immigration", "Permission to stay is running out",
       r"\b(?:(?:visa|(?<!to )(?<!must )(?<!and )(?<!or )(?<!will )(?<!should )(?<!i )(?<!we )"
       r"leave(?! (?:at|by|before|the|after|school|home|work|college|uni|it|them|now))|"
       r"permission|status|(?:permission|right) to stay|pre-settled status)\W+(?:\w+\W+){0,6}?"
       r"(?:expir\w*|runs? out|running out|ends?|ending|finish\w*|is up|will end|"
       r"(?:is |valid )?(?:until|till|up to)\b))", LEAVE_EXPIRY, needs=("immigration",)),
    _t("immigration_refusal", "immigration", "A Home Office refusal: the appeal window is "
       "short",
       r"\b(?:refus\w*|rejected|turned down|denied|refuse|say no|said no|says no)\b",
       IMMIGRATION_APPEAL,
       needs=("immigration",),
       without_words=r"\bvisit(?:or)? visa|tourist visa|visa to visit",
       with_words=r"home office|visa|leave|asylum|application|settle|citizen|spouse|partner|"
                  r"ilr|indefinite"),
    _t("curtailment", "immigration", "Permission to stay cut short",
       r"\b(?:curtail\w*|cut short|cut to 60 days|shortened)", CURTAILMENT,
       needs=("immigration",)),
    # The removal itself dates the deadline; being detained (when, where) does not.
    _t("removal", "immigration", "Removal or detention",
       r"\b(?:removal(?! centre)|remove (?:me|us|him|her)|removed|deport\w*|"
       r"on a plane|flights?\b|flown|"
       r"(?:fly|flying) (?:me|us|him|her|them) |send (?:me|us|him|her) back)", REMOVAL,
       needs=("immigration",)),
    _t("detention", "immigration", "Removal or detention",
       r"\b(?:detain\w*|detention|reporting centre|removal centre|harmondsworth|colnbrook|"
       r"brook house|yarls wood|tinsley house|derwentside|"
       r"picked (?:\w+ )?up at (?:his|her|my|the) reporting)",
       needs=("immigration",)),
    _t("undocumented_destitute", "immigration", "No status and no money",
       r"\b(?:no money(?: at all)?|destitute|penniless|nowhere to (?:live|stay|sleep)|"
       r"staying with (?:different|various) (?:people|friends)|sofa ?surf\w*|no food)",
       needs=("immigration",),
       with_words=r"overstay\w*|no (?:status|papers|leave|visa)\b|undocumented|"
                  r"and (?:i )?stayed|(?:visa|leave) (?:ran out|expired|ended)"),
    _t("nrpf_destitute", "immigration", "No recourse to public funds and no money",
       r"\b(?:nrpf|no recourse)\b",
       with_words=r"no money|destitute|cant afford|no food|nothing|cant pay|penniless|"
                  r"food ?bank|no income|homeless|nowhere|struggling|skint|broke"),
    _t("age_dispute", "immigration", "A child treated as an adult after an age dispute",
       r"\b(?:age (?:assess\w*|dispute\w*)|(?:say|says|said|decided|think|thinks) (?:that )?"
       r"(?:i am|im|he is|hes|she is|shes) (?:over 18|an adult|1[89]|2\d)\b|"
       r"treated (?:me |him |her )?as an adult)",
       with_words=r"\b(?:i am|im|he is|hes|she is|shes|says (?:he|she) is|aged?) 1[4-7]\b|"
                  r"\b1[4-7] (?:years? old|yrs?)|child|minor|under 18"),
    # --- other -------------------------------------------------------------------------------
    _t("criminal_court", "other", "A criminal court date",
       r"\b(?:magistrates?(?:s)? court|crown court|criminal court|charged with|"
       r"(?:court )?summons to (?:the )?magistrates)", HEARING,
       with_words=r"police|charged|offence|caution|arrest|insurance|licence|driving|speeding|"
                  r"summons|prosecut"),
    # --- community care ----------------------------------------------------------------------
    _t("mental_health_detention", "community_care", "Detained under the Mental Health Act: "
       "the tribunal time limit is short",
       r"\b(?:section (?:2|two)\b|sectioned|detained under)",
       MENTAL_HEALTH_TRIBUNAL, with_words=r"mental health|hospital|sectioned|psychiatr"),
    _t("discharge", "community_care", "Discharge from hospital without care in place",
       r"\b(?:discharg\w*|sent home from hospital|send(?:ing)? (?:\w+ ){0,2}home|"
       r"let (?:him|her|me) home|coming home from hospital|out of hospital|leave hospital|"
       r"leaving hospital|home from hospital|"
       r"(?:go|goes|going|come|comes|coming|be sent|sent|send \w+) home "
       r"(?:on|tomorrow|today|this|next|by|at the weekend|any (?:day|time)|soon))", DISCHARGE,
       with_words=r"hospital|ward\b|discharg"),
    _t("care_cut", "community_care", "A care package cut",
       r"\b(?:care package|care hours|carers? hours|support hours|personal budget|"
       r"direct payments?|care plan|home care|care visits?|carers visits?|visits|support|"
       r"care|carers?|hours|package)\b.{0,60}?"
       r"\b(?:cut\w*|reduc\w*|stopped|withdrawn|taken away|halved|ended|removed|slashed|"
       r"dropp\w*|lowered|decreas\w*|"
       r"cancelled|went down|gone down|come down|down from|suspend\w*|(?:will|going to) stop|"
       r"stop from|going from|pulled out|"
       r"only (?:come|coming|once|twice|two times|one time|\d+ (?:times?|visits?|hours?)))|"
       r"\b(?:cut\w*|reduc\w*|stopped|withdrawn|halved|slashed|cancelled|suspend\w*)\b.{0,40}?"
       r"\b(?:care|carers?|support|personal budget|direct payments?|visits|"
       r"(?:dads?|mums?|his|her|their|my husbands|my wifes) hours|"
       r"(?:care|support|one[ -]to[ -]one|1[ -]to[ -]1) hours|hours of (?:care|support))\b",
       CARE_CUT, with_words=r"social services|social worker|social care|care package|"
                            r"\bcarers?\b|care plan|personal budget|direct payments?|"
                            r"day centre|one to one|supported living|home care|\bcare\b"),
    _t("no_care", "community_care", "Nobody to give the care needed",
       r"\b(?:(?:nobody|no one|no-one) (?:is )?(?:coming|comes|to help|has come)|"
       r"no care (?:in place|at all)|(?:cannot|cant|can not|unable to) (?:get "
       r"(?:out of bed|up|to the toilet)|transfer)|not eating(?: properly)?|"
       r"(?:agency|carers?|personal assistants?|pas?) (?:has |have )?(?:pulled out|walked out|"
       r"stopped coming|not turned up|left)|needs? help (?:getting up|to get up|with the toilet)|"
       r"(?:lying|lie|lay|lain) on the floor|self[- ]neglect\w*|getting confused|"
       r"(?:found|find|finding) (?:her|him|them|mum|dad|my \w+) on the floor|"
       r"on the floor (?:all (?:the )?night|overnight|for hours)|"
       r"(?:fell|fallen|falls?|falling) (?:\w+ )?(?:twice|again|(?:two|three|four|several|\d+) "
       r"times)|keeps? falling)",
       with_words=r"\bcare\b|carers?\b|social services|social worker|council|agency|"
                  r"assessment|dementia|disab|stroke|wheelchair|\bms\b|elderly|personal "
                  r"assistant"),
    _t("carer_breakdown", "community_care", "A carer who cannot cope",
       r"(?<!he )(?<!they )(?<!son )\b(?:cant cope|can not cope|cannot cope|not coping|"
       r"unable to cope|struggling to cope|"
       r"breaking point|end of my tether|wits end|breaking down|break down|burn(?:t|ed) out|"
       r"burnout|on my knees|falling apart|exhausted|at breaking|cant do this any ?more|"
       r"cant carry on|cant go on|no respite|collapse\w*|cant do it (?:all )?any ?more|"
       r"drowning|(?:no longer|not) able to cope|cannot do (?:it |this )?any ?more|"
       r"cant do (?:it |this )?any ?more|cant keep (?:going|doing this|up)|cannot (?:go on|"
       r"carry on|keep going|continue)|cant continue|at the end of my rope|"
       r"crying all the time|(?:not|never) sleeping|so tired)",
       with_words=r"\bcare|caring|carer|look after|looking after|dementia|disab|alzheimer|"
                  r"autis|social services|social worker"),
    # --- education -------------------------------------------------------------------------
    _t("permanent_exclusion", "education", "A permanent exclusion",
       r"\b(?:permanent(?:ly)? exclu\w*|perm(?:anent)? ex\w*|expelled|exclude(?:d)? "
       r"(?:him|her|my \w+) permanently|excluded for good|kicked (?:him|her|my \w+) out of "
       r"school|permanently excluded|perm\w* exclu\w*|exclu\w* (?:\w+ )?perm\w*)",
       EXCLUSION_REVIEW),
    _t("ehcp_refusal", "education", "An EHCP refusal can be appealed",
       r"\b(?:ehcp|ehc plan|ehc needs|education,? health (?:and|&) care|needs assessment|"
       r"statutory assessment)\b.{0,80}?(?:refus\w*|turned down|rejected|declined|wont|"
       r"will not|not to|decided against|said no|no to)|"
       r"(?:refus\w*|turned down|rejected|declined|said no|(?:wont|will not|not to) "
       r"(?:do|carry out|assess|issue|give|agree))\b.{0,60}?"
       r"(?:ehcp|ehc plan|education,? health (?:and|&) care|assess\w*)|"
       r"(?:final )?(?:ehcp|ehc plan)\W+(?:\w+\W+){0,12}?(?:names?|named)\b|"
       r"(?:plan|ehcp) (?:was |is |has been )?(?:issued|finalised|finalized)", EHCP_APPEAL,
       needs=("education",)),
    _t("informal_exclusion", "education", "Kept out of school without a formal exclusion",
       r"\b(?:until further notice|not to (?:send|bring) (?:\w+ ){0,3}(?:back|in)\b|"
       r"(?:unofficial|informal|illegal) exclu\w*|off[- ]?roll\w*|"
       r"(?:collect|pick) (?:him|her|them|my \w+) (?:up )?(?:\w+ ){0,2}?(?:at|by|before) "
       r"(?:lunch\w*|midday|noon|\d+ ?(?:pm|oclock))|"
       r"(?:part[- ]time|reduced|shortened) timetable|"
       r"sen(?:t|ds) (?:him|her|them|my \w+) home (?:early|every|again|at lunch))",
       with_words=r"school|college|head ?teacher|academy"),
    _t("no_education", "education", "A child out of education",
       r"\b(?:no (?:education|schooling|tuition)(?: at all)?|"
       r"(?:missing|missed|out of) (?:\w+ )?(?:education|school) (?:for|since)|"
       r"(?:hasnt|has not|havent|have not|not) been (?:in|to|at) school (?:for|since)|"
       r"(?:prosecut\w*|fined?|court) (?:\w+ ){0,4}?(?:attendance|not attending|non[- ]attendance)|"
       r"(?:attendance|non[- ]attendance)\W+(?:\w+\W+){0,4}?prosecut\w*|"
       r"prosecute (?:her|him|me|us|them) for)",
       with_words=r"school|college|education|ehcp|pupil"),
    _t("school_transport", "education", "School transport withdrawn",
       r"\b(?:school )?transport\W+(?:\w+\W+){0,6}?(?:withdrawn|stopped|cut|removed|taken away|"
       r"ended|ending|stop\w*)|(?:withdrawn|stopped|cut|removed|ended) (?:\w+ ){0,4}?(?:school )?"
       r"transport", SCHOOL_TRANSPORT, with_words=r"school|college"),
)
BY_ID = {t.id: t for t in TRIGGERS}


@dataclass(frozen=True)
class Signal:
    """A trigger found in the text, and the deadline it gives when a date is written with it."""

    trigger: Trigger
    deadline: Deadline | None
    urgent: bool  # False when the date shows it is long over or still far off


def negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` deny what follows ("nothing is wrong right now")."""
    before = text[max(0, start - 40):start]
    return bool(_NEGATION.search(before) or _NO_BEFORE.search(before))


def _sentence(text: str, at: int) -> tuple[int, int]:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    end = _SENTENCE_END.search(text, at)
    return (starts[-1] if starts else 0), (end.start() if end else len(text))


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
            # "He showed it to me today" far from "tribunal" is not the hearing date.
            if not mention.exact or penalty(mention) > 0 or mention.past == wide:
                continue
        else:
            outside = mention.end <= lo - 1 or mention.start >= hi + 1
            # Outside the sentence only when it follows close by ("hearing. It's on the 8th").
            if outside and not (mention.start >= match.end()
                                and mention.start - match.end() <= 30):
                continue
        if mention.start >= match.end():
            distance, side = mention.start - match.end(), 0
        elif mention.end <= match.start():
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
# A year or month that says how old a debt is, not when something happens ("a letter from
# bailiffs about council tax arrears from 2024").
_DEBT_SINCE = re.compile(r"\b(?:arrears|debts?|owed|owing|bills?) (?:(?:from|since|for|back to|"
                         r"going back to) )?(?:the )?$")
# "Got court papers today": today is usually when a letter came, not when the event is.
_RECEIVED_TODAY = frozenset({"today", "this morning"})


def _over(mention: DateMention, limit: Limit, today: date) -> bool:
    """A past date for an event, or a future one for a decision."""
    return limit.prefer_future and mention.future < today \
        or not limit.prefer_future and mention.past > today


# The words just before a date that say it is the one a time limit runs from ("Date of
# service: 3 December", "a letter dated 6 November").
_ANCHOR = re.compile(r"(?:date of service|served(?: on)?|dated|letter of|issued on|decision of|"
                     r"received(?: it)?(?: on)?)\W{0,3}$")
ANCHOR_BONUS = 25
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


def _unlikely(mention: DateMention, limit: Limit, today: date, text: str = "") -> int:
    """A past date for an event, or a future one for a decision, is a weaker reading."""
    if _over(mention, limit, today):
        return DATE_WINDOW
    if _other_way(mention, limit, today):
        # "Christmas coming" is not last Christmas's decision; "came out of hospital in
        # October" is a discharge that happened, read as such (below), not next October's.
        return DATE_WINDOW if limit.prefer_future else WRONG_WAY
    if not limit.prefer_future and text and _ANCHOR.search(text, 0, mention.start):
        return -ANCHOR_BONUS
    if not limit.prefer_future and text and mention.text == "today":
        # "Last Friday the manager said today is your last day": told on that day.
        lo, _hi = _sentence(text, mention.start)
        if any(m.exact and m.past < today for m in find_dates(text[lo:mention.start], today)):
            return DATE_WINDOW // 2
    if limit.prefer_future and mention.text in _RECEIVED_TODAY:
        return DATE_WINDOW // 2
    # "Dismissed on 14 August ... the appeal was upheld in October": a day before a month.
    return 0 if mention.exact else INEXACT_PENALTY


def signals(text: str, today: date, categories: set[str]) -> list[Signal]:
    """Every trigger in ``text`` (already-found ``categories`` gate some), with deadlines."""
    normal = normalise(text)
    mentions = find_dates(normal, today)
    found: list[Signal] = []
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
            if negated(normal, match.start()) or _DENIED_INSIDE.search(match.group(0)):
                denied = True
                continue
            hit = True
            if limit is None:
                break
            unlikely = partial(_unlikely, limit=limit, today=today, text=normal)
            nearest = _nearest_date(normal, match, mentions, unlikely)
            if nearest is None or nearest[0] >= DATE_WINDOW:
                nearest = _nearest_date(normal, match, mentions, unlikely, wide=today) or nearest
            if nearest is None:
                continue
            distance, mention = nearest
            if not mention.exact and _DEBT_SINCE.search(normal, 0, mention.start):
                continue
            if best is None or distance < best[0]:
                best = (distance, mention)
        if not hit and not trigger.on_category:
            if denied:  # only denied or asked about: says the case is not urgent on this count
                found.append(Signal(trigger, None, False))
            continue
        if best is None and limit is not None and trigger.on_category and not hit:
            # Found by category alone: the time limit runs from the latest act described.
            acts = [m for m in mentions if m.exact and not _unlikely(m, limit, today)]
            if acts:
                best = (0, max(acts, key=lambda m: m.reading(limit.prefer_future)))
        deadline: Deadline | None = None
        urgent = trigger.urgent
        if best is not None and limit is not None:
            mention = best[1]
            day = limit.compute(_reading(mention, limit, today))
            deadline = Deadline(limit.what, day, trigger.category, limit.basis,
                                always_urgent=limit.always_urgent,
                                exact=limit.exact and mention.exact, late_route=limit.late_route)
            urgent = urgent and limit.still_live(day, today)
        elif trigger.dated_only:
            urgent = False
        settled = trigger.id in _SETTLED_TRIGGERS and _SETTLED.search(normal) \
            or trigger.id in _PAID_TRIGGERS and _PAID.search(normal)
        if settled and (deadline is None or deadline.date < today):
            urgent = False  # adjourned, on terms or suspended, with no date still ahead
        found.append(Signal(trigger, deadline, urgent))
    return _hearing_before_reply(_latest_act(found))


def _hearing_before_reply(found: list[Signal]) -> list[Signal]:
    """Once a hearing date is given, it is the date that matters, not the reply to the claim."""
    if not any(s.trigger.limit is HEARING and s.deadline is not None for s in found):
        return found
    return [Signal(s.trigger, None, s.urgent) if s.trigger.id == "debt_court" else s
            for s in found]


def _latest_act(found: list[Signal]) -> list[Signal]:
    """Acts at work in a series run to one time limit from the last of them ("racist comments
    for months ... yesterday I was dismissed"): keep only the latest date's deadline."""
    dated = [s for s in found if s.deadline is not None and s.trigger.limit is EMPLOYMENT_CLAIM]
    if len(dated) < 2:
        return found
    latest = max(dated, key=lambda s: s.deadline.date)
    return [s if s.deadline is None or s.trigger.limit is not EMPLOYMENT_CLAIM or s is latest
            else Signal(s.trigger, None, s.urgent) for s in found]


# What to do today, by trigger: first steps a person can take before an adviser calls back.
TODAY_ACTIONS: dict[str, str] = {
    "hearing": "Go to the hearing even if you have no adviser yet: ask for the free duty "
               "adviser at the court, and send the court any evidence before the day.",
    "possession_claim": "Fill in and return the defence form in the court papers within 14 "
                        "days, and get advice on it now.",
    "eviction_warrant": "Do not leave your home unless a court has ordered it and court "
                        "bailiffs come: ask an adviser today whether you can stop it.",
    "notice": "Do not move out yet: only a court can order you to leave. Ask an adviser to "
              "check the notice, and contact the council's housing options team.",
    "homeless": "Contact the council's housing options team today and ask for help as "
                "homeless (out of hours, use its emergency number).",
    "homelessness_decision": "Ask the council in writing for a review of its decision, "
                             "before the date shown.",
    "illegal_eviction": "Call the police (101, or 999 if in danger) and the council's tenancy "
                        "relations officer: locking you out without a court order is a crime.",
    "repossession": "Contact the lender today to offer what you can pay, and get advice "
                    "before the hearing.",
    "debt_court": "Reply to the court claim within 14 days (admit, defend or offer to pay) "
                  "so a judgment is not made in your absence.",
    "bailiffs": "Do not let the bailiffs in; contact the creditor or the bailiffs' company "
                "today to offer a payment plan, and ask a debt adviser for help.",
    "disconnection": "Call your supplier today: tell them if anyone at home is vulnerable, "
                     "and ask for emergency or friendly-hours credit.",
    "loan_shark": "If you are threatened, call 999. The Stop Loan Sharks team can help in "
                  "confidence: you do not have to repay an illegal lender.",
    "insolvency_hearing": "Get advice before the hearing date and go to the hearing.",
    "benefit_appeal": "Send the tribunal appeal (form SSCS1) before the date shown.",
    "tribunal_date": "Send the tribunal any evidence now and go to the hearing.",
    "benefit_decision": "Ask the DWP for a mandatory reconsideration in writing before the "
                        "date shown, and keep a copy.",
    "overpayment": "Ask for the overpayment decision to be reconsidered before the date "
                   "shown; ask for repayments to be paused meanwhile.",
    "no_income": "Ask the jobcentre for a hardship payment or an advance, and contact your "
                 "council's local welfare scheme or a food bank today.",
    "dismissal": "Contact ACAS for early conciliation before the date shown: it must come "
                 "before an employment tribunal claim.",
    "dismissal_words": "Contact ACAS for early conciliation before the date shown: it must "
                       "come before an employment tribunal claim.",
    "work_discrimination": "Write down what happened and when, and contact ACAS for early "
                           "conciliation within three months less one day of it.",
    "work_harassment": "Write down what happened and when, report it in writing, and contact "
                       "ACAS for early conciliation within three months less one day of the "
                       "last incident.",
    "wages_unpaid": "Ask your employer in writing for the wages owed; contact ACAS, and the "
                    "jobcentre or your council's welfare scheme for money meanwhile.",
    "homeless_tonight": "Go to the council's housing options team today (out of hours, its "
                        "emergency number) and ask for somewhere to stay tonight.",
    "young_person_out": "Call the council's children's services today: a young person under "
                        "18 with nowhere to stay must be helped by them.",
    "undocumented_destitute": "Ask the council's social care team for support and get "
                              "immigration advice today: help can be given while status is "
                              "sorted out.",
    "criminal_court": "Ask for the duty solicitor at the court, or a criminal defence "
                      "solicitor now: legal aid may cover it.",
    "no_care": "Call adult social care today, say there is nobody to give the care needed and "
               "ask for an urgent assessment.",
    "informal_exclusion": "Ask the school in writing for the legal basis: a child can only be "
                          "sent home by a formal exclusion, with a letter.",
    "school_transport": "Ask the council in writing to review the transport decision before "
                        "it takes effect.",
    "leave_expiring": "Apply to extend or switch before your permission ends, so your rights "
                      "continue while the Home Office decides.",
    "immigration_refusal": "Check the refusal letter for an appeal right and lodge any "
                           "appeal before the date shown.",
    "curtailment": "Make a new application before the shortened permission ends.",
    "removal": "Get an immigration lawyer today: legal aid can cover detention and removal.",
    "detention": "Get an immigration lawyer today: legal aid can cover detention and "
                 "removal.",
    "nrpf_destitute": "Ask the council's children's or adult social care team for support; "
                      "an adviser can apply to lift the no recourse condition.",
    "discharge": "Tell the ward that there is no care in place and ask for a needs "
                 "assessment before discharge.",
    "care_cut": "Ask the council in writing for the assessment behind the cut and a review, "
                "before it takes effect.",
    "carer_breakdown": "Call adult social care today, say you cannot cope and ask for a "
                       "carer's assessment and emergency respite.",
    "permanent_exclusion": "Ask the governors to review the exclusion, in writing, before "
                           "the date shown.",
    "ehcp_refusal": "Get the mediation certificate and appeal to the SEND tribunal before "
                    "the date shown.",
}
