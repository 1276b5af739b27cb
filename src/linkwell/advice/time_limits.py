"""Time limits: how a date written next to an urgent situation becomes a deadline (the hearing
date itself, a month after a decision, three months less a day after a dismissal, ...). Moved out
of ``triggers.py``, whose triggers name them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from linkwell.advice.calendar_words import add_months
from linkwell.advice.school_days import school_days_after

# An event this far ahead is not yet urgent ("my visa expires in March 2028"); one that passed
# this long ago is over ("the hearing last year"); a time limit that ran out this long ago (and
# beyond any late route) belongs to an old case.
FAR_AHEAD_DAYS = 92
EVENT_OVER_DAYS = 31
LIMIT_LONG_GONE_DAYS = 92


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
    # Which of several written dates the limit runs from (urgency reads these words round it):
    from_receipt: bool = False  # when papers came or were served, not the date printed on them
    from_decision_not_effect: bool = False  # "not entitled from 14 April" dates no decision
    from_the_act: bool = False  # a reply or response to a complaint dates no act, as a complaint

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


# A hearing ten weeks or more away leaves time to prepare: the enquiry writers marked none of
# those urgent (a final hearing listed months ahead), and nearly every nearer one urgent.
HEARING = Limit("Court or tribunal hearing", "Date given for the hearing", _same,
                prefer_future=True, always_urgent=True, urgent_within=69)
EVICTION = Limit("Eviction by court bailiffs", "Date given for the eviction; an application "
                 "to suspend the warrant must be made before then", _same, prefer_future=True,
                 always_urgent=True)
LEAVE_BY = Limit("Told to leave by", "Date on the notice or given to you; "
                 "only a court order and court bailiffs can evict a tenant", _same,
                 prefer_future=True, always_urgent=True)
HOMELESSNESS_REVIEW = Limit(
    "Ask the council to review its homelessness decision by", "21 days from the decision "
    "(Housing Act 1996 s.202)", _days(21), prefer_future=False,
    late_route="The council can still accept a late review request, and a county court "
               "appeal may follow a review: ask an adviser now.")
MANDATORY_RECONSIDERATION = Limit(
    "Ask for a mandatory reconsideration by", "One calendar month from the date of the "
    "decision letter", _months(1), prefer_future=False, from_decision_not_effect=True,
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
    "and extends the limit", _employment_limit, prefer_future=False, from_the_act=True,
    late_route="A late claim is accepted only if it was not reasonably practicable to claim "
               "in time (unfair dismissal) or it is just and equitable (discrimination).",
    late_days=31)
EMPLOYMENT_ENDS = Limit(
    "Start ACAS early conciliation by (employment tribunal time limit)", "Three months less "
    "one day from the day the employment ends (a fixed-term contract not renewed or a "
    "redundancy taking effect is a dismissal); ACAS early conciliation must come first",
    _employment_limit, prefer_future=True)
WAGES_CLAIM = Limit(
    "Start ACAS early conciliation about the unpaid wages by", "Three months less one day "
    "from the payday the wages were not paid (Employment Rights Act 1996 s.23, unlawful "
    "deduction from wages); ACAS early conciliation must come first and extends the limit",
    _employment_limit, prefer_future=False)
IMMIGRATION_APPEAL = Limit(
    "Appeal the Home Office refusal by", "14 days after the decision was sent, for an appeal "
    "from inside the UK where there is a right of appeal", _days(14), prefer_future=False,
    late_route="The tribunal can extend time for a late appeal if there is a good reason: "
               "apply with the reasons now.")
EXCLUSION_REVIEW = Limit(
    "Ask for the exclusion to be reviewed by (about)", "15 school days from the notice of the "
    "decision, counted without typical London school holidays; your school's term dates may "
    "differ, so check them and ask early", _school_days, prefer_future=False,
    exact=False)
EHCP_APPEAL = Limit(
    "Appeal to the SEND tribunal by", "Two months from the decision letter (or one month from "
    "a mediation certificate if later); mediation advice must be considered first",
    _months(2), prefer_future=False,
    late_route="The SEND tribunal can accept a late appeal in some cases: ask an adviser.")


RENT_INCREASE_CHALLENGE = Limit(
    "Apply to the tribunal about the rent increase by", "Before the new rent takes effect: the "
    "First-tier Tribunal (Property Chamber) decides the rent if you apply before the date in "
    "the landlord's notice (Housing Act 1988 s.13-14, as amended by the Renters' Rights Act "
    "2025)", lambda day: day - timedelta(days=1), prefer_future=True)
SERVICES_CLAIM = Limit(
    "Start a discrimination claim in the county court by", "Six months less one day from the "
    "act complained of (Equality Act 2010 s.118), for goods, services, housing and education "
    "outside work", _six_months_less_a_day, prefer_future=False, urgent_within=42,
    from_the_act=True,
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
SECTION_3_TRIBUNAL = Limit(
    "Apply to the mental health tribunal by", "Within the first six months of detention under "
    "section 3 of the Mental Health Act 1983 (s.66(2)(b), counting the day of admission); a "
    "renewed detention brings a new chance to apply", _six_months_less_a_day,
    prefer_future=False, urgent_within=28, late_days=1)
COURT_CLAIM_REPLY = Limit(
    "Reply to the court claim by", "14 days from receiving the claim form (28 if you send "
    "the acknowledgment of service); otherwise the claimant can ask for judgment",
    _days(14), prefer_future=False, from_receipt=True,
    late_route="If judgment has been entered, you can apply to the court to set it aside: "
               "do it quickly, with the reason for the delay.")
STATUTORY_DEMAND = Limit(
    "Apply to the court to set aside the statutory demand by", "18 days from the day it was "
    "served (Insolvency (England and Wales) Rules 2016, rule 10.4(4)); otherwise a bankruptcy "
    "petition can follow", _days(18), prefer_future=False, from_receipt=True,
    late_route="The court can give permission to apply late: ask an adviser today.")
RIGHT_TO_REJECT = Limit(
    "Reject the faulty goods for a full refund by", "The short-term right to reject: 30 days "
    "from delivery or from when you took the goods (Consumer Rights Act 2015 s.22); after it, "
    "a repair or replacement comes first", _days(30), prefer_future=False, from_receipt=True)
PARKING_DISCOUNT = Limit(
    "Pay the parking penalty at the discount, or challenge it, by", "14 days from the date "
    "of the penalty charge notice: the discount period for a council parking ticket (Civil "
    "Enforcement of Parking Contraventions (England) General Regulations 2007); a challenge "
    "made in it usually keeps the discount open", _days(14), prefer_future=False)
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
APPEAL_MEETING = Limit("Your appeal meeting at work", "Date the employer gave; you may bring a "
                       "colleague or union representative. The tribunal time limit still runs "
                       "from the dismissal, whatever the appeal decides", _same,
                       prefer_future=True)
CONSULTATION_MEETING = _event("Redundancy consultation meeting", "Date of the meeting "
                              "given by the employer")
DISCIPLINARY_HEARING = Limit("Disciplinary hearing at work", "Date the employer gave; you may "
                             "bring a colleague or union representative (Employment Relations "
                             "Act 1999 s.10)", _same, prefer_future=True)
CARE_REVIEW = Limit("Care and support review meeting", "Date the council gave for the review; "
                    "support cannot be cut without a reassessment of needs", _same,
                    prefer_future=True)
CURTAILMENT = Limit("Your shortened permission to stay ends", "Leave cut short "
                    "(curtailed) usually ends 60 days after the Home Office letter",
                    _days(60), prefer_future=False)
MOVE_ON_PERIOD = Limit("Home Office asylum support ends", "Asylum support and accommodation end "
                       "28 days after the letter granting status (the move-on period): ask the "
                       "council for homelessness help and claim Universal Credit now",
                       _days(28), prefer_future=False, always_urgent=True)
GOVERNORS_MEETING = _event("Governors' meeting about the exclusion", "Date given for the "
                           "meeting; send the governors any written statement before it")
