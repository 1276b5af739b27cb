"""Time limits: pure date arithmetic from the answers, with ``today`` passed in.

Each rule names its legal basis. Where the law sets a time limit that the answers cannot pin
down (a section 8 notice's period depends on its grounds), we say so rather than guess; where
two readings are possible we give the earlier date, because a deadline tool must never make
someone late.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from linkwell.advice.calendar_words import add_months
from linkwell.advice.dates import british

URGENT_WITHIN_DAYS = 14
HOMELESSNESS_PREVENTION_DAYS = 56
# Renters' Rights Act 2025: no section 21 notice may be served in England from this date;
# a notice served before it supports a court claim only if issued by SECTION_21_LAST_CLAIM.
SECTION_21_ABOLISHED = date(2026, 5, 1)
SECTION_21_LAST_CLAIM = date(2026, 7, 31)


@dataclass(frozen=True)
class Deadline:
    what: str
    date: date
    category: str
    basis: str
    always_urgent: bool = False
    exact: bool = True  # False when the date is approximate ("next week", school holidays)
    late_route: str | None = None  # what can still be done once the date has passed

    def days_left(self, today: date) -> int:
        return (self.date - today).days

    def is_urgent(self, today: date) -> bool:
        return self.always_urgent or self.days_left(today) <= URGENT_WITHIN_DAYS

    def as_dict(self, today: date) -> dict:
        days = self.days_left(today)
        return {"what": self.what, "date": self.date.isoformat(),
                "date_text": british(self.date), "category": self.category,
                "days_left": days, "passed": days < 0, "urgent": self.is_urgent(today),
                "exact": self.exact, "certainty": "exact" if self.exact else "approximate",
                "late_route": self.late_route if days < 0 else None, "basis": self.basis}


def earliest_bailiff_visit(notice: date) -> date:
    """First day bailiffs may visit after a notice of enforcement: seven clear days later.

    Sundays do not count (Taking Control of Goods Regulations 2013, reg. 6); bank holidays
    do not count either, so the real date can only be later than this one.
    """
    day, clear = notice, 0
    while clear < 7:
        day += timedelta(days=1)
        if day.weekday() != calendar.SUNDAY:
            clear += 1
    day += timedelta(days=1)
    while day.weekday() == calendar.SUNDAY:
        day += timedelta(days=1)
    return day


def compute(categories: list[str], answers: dict, today: date, *,
            dated: set[str] = frozenset()) -> tuple[list[Deadline], list[str]]:
    """Deadlines the answers allow, soonest first, and notes about limits we cannot date
    (not for the ``dated`` categories, whose deadline the person's words already gave)."""
    deadlines: list[Deadline] = []
    notes: list[str] = []
    cats = set(categories)
    get = answers.get

    # --- housing ---
    if get("hearing_date"):
        deadlines.append(Deadline("Court hearing about your home", get("hearing_date"),
                                  "housing", "Date given for the possession hearing",
                                  always_urgent=True))
    if get("eviction_date"):
        deadlines.append(Deadline("Eviction by court bailiffs", get("eviction_date"), "housing",
                                  "Date on the notice of eviction (warrant of possession); "
                                  "an application to suspend it must be made before then",
                                  always_urgent=True))
    if get("notice_end_date"):
        deadlines.append(Deadline("Date your notice says you must leave by",
                                  get("notice_end_date"), "housing",
                                  "You do not have to leave on this date; only a court order "
                                  "and court bailiffs can evict a tenant"))
    notice_type, served = get("notice_type"), get("notice_served_date")
    if notice_type == "section_21":
        _section_21(served, today, deadlines, notes)
    elif notice_type == "section_8" and not get("notice_end_date"):
        notes.append("A section 8 notice's period depends on the grounds it uses (from "
                     "immediately to several months), so we cannot work out its end date from "
                     "when it was served: check the date written on the notice.")
    leave_by = get("must_leave_date") or get("notice_end_date")
    if leave_by is not None:
        if get("must_leave_date"):
            deadlines.append(Deadline("Told to leave where you are staying by", leave_by,
                                      "housing", "Date you were told to leave"))
        days = (leave_by - today).days
        if 0 <= days <= HOMELESSNESS_PREVENTION_DAYS:
            notes.append(f"You may become homeless within {HOMELESSNESS_PREVENTION_DAYS} days: "
                         "the council must now help you try to keep your home or find another "
                         "(the prevention duty, Housing Act 1996 s.195). Contact the council's "
                         "housing options team now.")
        elif days > HOMELESSNESS_PREVENTION_DAYS:
            deadlines.append(Deadline(
                "From this date the council must help prevent your homelessness",
                leave_by - timedelta(days=HOMELESSNESS_PREVENTION_DAYS), "housing",
                "Threatened with homelessness within 56 days (Housing Act 1996 s.175(4), "
                "prevention duty s.195)"))

    # --- welfare benefits ---
    if get("benefit_decision_date") and get("mr_requested") != "yes":
        decided = get("benefit_decision_date")
        deadlines.append(Deadline("Ask for a mandatory reconsideration by",
                                  add_months(decided, 1), "welfare_benefits",
                                  "One calendar month from the date of the decision"))
        if add_months(decided, 1) < today <= add_months(decided, 13):
            notes.append("The month for a mandatory reconsideration has passed, but a late "
                         "request can be accepted up to 13 months after the decision if there "
                         "is a good reason: ask an adviser now.")
    if get("mr_notice_date"):
        deadlines.append(Deadline("Appeal to the benefits tribunal by",
                                  add_months(get("mr_notice_date"), 1), "welfare_benefits",
                                  "One calendar month from the date of the mandatory "
                                  "reconsideration notice (form SSCS1)"))

    # --- debt ---
    if get("enforcement_notice_date"):
        deadlines.append(Deadline("Earliest date bailiffs can visit",
                                  earliest_bailiff_visit(get("enforcement_notice_date")), "debt",
                                  "Seven clear days after the notice of enforcement, not "
                                  "counting Sundays or bank holidays"))
    if get("bailiff_visit_date"):
        deadlines.append(Deadline("Bailiffs' visit", get("bailiff_visit_date"), "debt",
                                  "Date the bailiffs gave", always_urgent=True))
    if get("debt_hearing_date"):
        deadlines.append(Deadline("Court hearing about a debt", get("debt_hearing_date"), "debt",
                                  "Date given for the hearing", always_urgent=True))

    # --- employment and discrimination at work ---
    acted = get("employment_act_date")
    if acted is None and get("discrimination_context") == "work":
        acted = get("discrimination_act_date")
    if acted is not None:
        deadlines.append(Deadline(
            "Start ACAS early conciliation by (employment tribunal time limit)",
            add_months(acted, 3) - timedelta(days=1), "employment",
            "Three months less one day from the dismissal or act complained of; ACAS early "
            "conciliation must be started before a tribunal claim, and starting it extends "
            "the time limit"))
        if get("acas_started") != "yes":
            notes.append("You must contact ACAS for early conciliation before you can make an "
                         "employment tribunal claim; do it before the date shown.")
    if get("discrimination_context") == "services" and get("discrimination_act_date"):
        deadlines.append(Deadline(
            "Start a discrimination claim in the county court by",
            add_months(get("discrimination_act_date"), 6) - timedelta(days=1),
            "discrimination", "Six months less one day from the act (Equality Act 2010 s.118)"))

    # --- immigration ---
    if get("leave_expiry_date"):
        deadlines.append(Deadline(
            "Apply to extend or switch your leave before it ends", get("leave_expiry_date"),
            "immigration", "Applying before your leave ends keeps your rights while the Home "
            "Office decides (Immigration Act 1971 s.3C)"))
    if get("immigration_decision_date"):
        deadlines.append(Deadline(
            "Appeal a Home Office refusal by", get("immigration_decision_date")
            + timedelta(days=14), "immigration",
            "14 days after the decision was sent, for an appeal from inside the UK where there "
            "is a right of appeal (shorter if you are detained)"))

    # --- community care and education ---
    if get("care_decision_date"):
        deadlines.append(Deadline(
            "Outer limit to challenge a council decision by judicial review",
            add_months(get("care_decision_date"), 3), "community_care",
            "Claims must be made promptly and in any event within three months (CPR 54.5); "
            "a complaint to the council comes first"))
    if get("ehcp_decision_date"):
        deadlines.append(Deadline(
            "Appeal to the SEND tribunal by", add_months(get("ehcp_decision_date"), 2),
            "education", "Two months from the decision letter, or one month from a mediation "
            "certificate if that is later; mediation advice must be considered first"))
    if get("exclusion_type") == "permanent":
        notes.append("After a permanent exclusion the governors must meet to consider it; you "
                     "can ask for an independent review within 15 school days of their "
                     "decision.")
    if "employment" in cats and acted is None and "employment" not in dated:
        notes.append("Employment tribunal claims usually have to be started (through ACAS) "
                     "within three months less one day of the dismissal or problem: tell us "
                     "the date to work it out.")
    if "welfare_benefits" in cats and not get("benefit_decision_date") \
            and not get("mr_notice_date") and "welfare_benefits" not in dated:
        notes.append("To challenge a benefit decision, ask for a mandatory reconsideration "
                     "within one month of the decision letter: tell us its date to work it "
                     "out.")
    deadlines.sort(key=lambda d: d.date)
    return deadlines, notes


def _section_21(served, today: date, deadlines: list[Deadline], notes: list[str]) -> None:
    if served is None:
        notes.append("A section 21 notice must give at least two months. Since 1 May 2026 "
                     "landlords in England can no longer serve section 21 notices (Renters' "
                     "Rights Act 2025); a notice served before then supported a court claim "
                     "only until 31 July 2026. Tell us the date you were given it.")
        return
    if served >= SECTION_21_ABOLISHED:
        notes.append("Your section 21 notice is dated on or after 1 May 2026, when section 21 "
                     "was abolished in England (Renters' Rights Act 2025): it is very likely "
                     "not valid. Get advice before you leave.")
        return
    deadlines.append(Deadline(
        "Earliest date your section 21 notice can end", add_months(served, 2), "housing",
        "A section 21 notice must give at least two months (Housing Act 1988 s.21)"))
    last_claim = min(add_months(served, 6), SECTION_21_LAST_CLAIM)
    deadlines.append(Deadline(
        "Last date your landlord can start court action on this notice", last_claim, "housing",
        "Six months from service or 31 July 2026, whichever is earlier (Housing Act 1988 "
        "s.21(4D); Renters' Rights Act 2025 transitional rules)"))
    if today > last_claim:
        notes.append("The time for your landlord to go to court on this section 21 notice "
                     "has passed: unless they started a court claim in time, the notice can "
                     "no longer be used.")
