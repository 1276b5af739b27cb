"""Level of help and the legal aid indication: rules a reviewer can read line by line.

Legal aid scope follows the Legal Aid, Sentencing and Punishment of Offenders Act 2012
(Schedule 1, Part 1) as it applies in England. It is an indication for routing, not legal
advice: eligibility also needs a means test and a merits test.
"""

import re
from dataclasses import dataclass

LEVELS = ("self_help", "general_advice", "specialist_casework", "legal_representation")
LEGAL_AID = ("likely_out_of_scope", "possibly_in_scope", "likely_in_scope")

LEGAL_AID_CAVEAT = (
    "This is an indication, not legal advice. Legal aid also depends on your income and "
    "savings (people on some benefits, such as Universal Credit, often qualify) and on the "
    "merits of the case; an adviser will check.")

# Sub-issues that are legal problems needing a specialist even without a dated deadline.
SPECIALIST_SUB_ISSUES = frozenset({
    "possession_eviction", "section_21", "section_8", "illegal_eviction", "homelessness",
    "disrepair", "temporary_accommodation", "enforcement_agents", "mortgage_arrears",
    "court_claim_ccj", "insolvency", "sanctions", "overpayments", "mandatory_reconsideration",
    "tribunal_appeal", "upper_tribunal", "work_capability", "dismissal", "tribunal_claim",
    "asylum", "nrpf", "detention_removal", "trafficking", "leave_to_remain", "eu_settlement",
    "care_assessment", "section_17_children", "mental_health_aftercare", "destitution_support",
    "special_educational_needs", "exclusion",
})
# Sub-issues where good information is often enough on its own.
SELF_HELP_SUB_ISSUES = frozenset({
    "non_priority_debt", "payday_loans", "carers_allowance", "pension_credit", "child_benefit",
    "council_tax_reduction", "disability_benefits", "citizenship", "admissions",
    "school_transport", "deposit", "general", "consumer", "neighbours",
})
# Sub-issues that usually mean a court or tribunal already has the case.
REPRESENTATION_SUB_ISSUES = frozenset({"upper_tribunal", "detention_removal"})


@dataclass(frozen=True)
class Indication:
    value: str
    reason: str


@dataclass(frozen=True)
class ScopeRule:
    """Words that bring a problem into legal aid scope, with the provision and where we
    checked it (GOV.UK and Legal Aid Agency guidance, December 2026)."""

    id: str
    categories: frozenset[str]  # the problems it applies to; empty: every problem reported
    pattern: re.Pattern
    indication: Indication
    source: str


GOV_UK_WHAT_YOU_CAN_GET = "https://www.gov.uk/legal-aid/what-you-can-get"
SCOPE_RULES: tuple[ScopeRule, ...] = (
    ScopeRule(
        "domestic_abuse_ilr", frozenset({"immigration"}), re.compile(
            r"domestic (?:abuse|violence)|\bdv\b|\babus(?:e|ive|ed|ing)\b|"
            r"(?:husband|wife|partner|ex) (?:hits?|hit|beats?|beat|abused?|attacked|hurts?)|"
            r"coercive|controlling behaviour|(?:fled|fleeing|escaped) (?:from )?(?:my|an|the) "
            r"(?:husband|wife|partner|abus\w*)|refuge"),
        Indication("likely_in_scope", "Applications for indefinite leave to remain by victims "
                   "of domestic abuse are in scope (LASPO 2012 Sch. 1 Pt 1 para. 28, widened by "
                   "the Legal Aid: Domestic Abuse (Miscellaneous Amendments) Order 2025)."),
        "LASPO 2012 Sch. 1 Pt 1 para. 28; the LASPO 2012 (Legal Aid: Domestic Abuse) "
        "(Miscellaneous Amendments) Order 2025, which brings every application for settlement "
        "as a victim of domestic abuse under the Immigration Rules into scope (Commons "
        "committee debate 22 April 2025, Lords Grand Committee 6 May 2025); GOV.UK 'What you "
        "can get' (protection from abuse); Legal Action Group, 'Legal aid for immigration "
        "cases'"),
    ScopeRule(
        "separated_child", frozenset({"immigration"}), re.compile(
            r"unaccompanied|separated (?:child|children|minor|from (?:my|his|her) "
            r"(?:parents|family))|"
            r"\b(?:1[0-7]) ?(?:years? old|yrs? old|yo)\b|\b(?:im|i am|he is|she is|hes|shes|aged) "
            r"1[0-7]\b|foster (?:care|carer|home|family)|(?:in|into) (?:local authority |council )?"
            r"care\b(?! home)|looked after child|no parents? (?:here|in the uk)|"
            r"(?:came|arrived) (?:here )?(?:alone|on (?:my|his|her) own) (?:as a child|aged)"),
        Indication("likely_in_scope", "Immigration and citizenship applications and appeals "
                   "for separated migrant children (under 18 and not cared for by a parent) are "
                   "in scope (LASPO 2012 Sch. 1 Pt 1 para. 31A, since 25 October 2019)."),
        "GOV.UK, 'Civil news: eligibility changes for separated migrant children' "
        "(https://www.gov.uk/government/news/civil-news-eligibility-changes-for-separated-"
        "migrant-children); LASPO (Legal Aid for Separated Children) (Miscellaneous "
        "Amendments) Order 2019"),
    ScopeRule(
        "judicial_review", frozenset(), re.compile(r"judicial review|\bjr\b"),
        Indication("likely_in_scope", "Judicial review of a council's or the government's "
                   "decision is in scope (LASPO 2012 Sch. 1 Pt 1 para. 19)."),
        f"LASPO 2012 Sch. 1 Pt 1 para. 19; GOV.UK 'What you can get' ({GOV_UK_WHAT_YOU_CAN_GET}): "
        "challenging the way the government has made a decision about you"),
    ScopeRule(
        "mental_health_tribunal", frozenset(), re.compile(
            r"mental health (?:review )?tribunal|sectioned|detained under (?:the )?mental health|"
            r"section (?:2|3|37) (?:of the )?mental health act|on a section \d"),
        Indication("likely_in_scope", "Mental Health Act cases, including representation at "
                   "the mental health tribunal, are in scope without a means test (LASPO 2012 "
                   "Sch. 1 Pt 1 para. 5)."),
        f"LASPO 2012 Sch. 1 Pt 1 para. 5; GOV.UK 'What you can get' ({GOV_UK_WHAT_YOU_CAN_GET}): "
        "representation at a mental health tribunal"),
    ScopeRule(
        "home_at_risk_debt", frozenset({"debt"}), re.compile(
            r"order for sale|force (?:the )?sale|repossess\w*|mortgage|bankruptcy petition|"
            r"petition(?:ed|ing)? (?:for|to make) (?:me|us) bankrupt|make (?:me|us) bankrupt"),
        Indication("likely_in_scope", "Debt is in scope where the home is at risk: mortgage "
                   "possession, an order for sale of the home, or a creditor's bankruptcy "
                   "petition where the home is part of the estate (LASPO 2012 Sch. 1 Pt 1 "
                   "para. 33). Arrears of council tax, rent or loans alone are not."),
        "LASPO 2012 Sch. 1 Pt 1 para. 33; GOV.UK 'What you can get' (homelessness or losing "
        "your home)"),
)


def scope_signals(text: str) -> frozenset[str]:
    """The scope rules whose words are in the (normalised) text."""
    return frozenset(rule.id for rule in SCOPE_RULES if rule.pattern.search(text))


def legal_aid_for(code: str, sub_issues: set[str],
                  signals: frozenset[str] = frozenset()) -> Indication:
    """Legal aid scope for one problem category (LASPO 2012 Sch. 1 Part 1).

    ``signals`` are the ``SCOPE_RULES`` found in the text; the most favourable answer wins,
    and of equals the scope rule, whose reason names the provision.
    """
    base = _category_scope(code, sub_issues)
    for rule in SCOPE_RULES:
        if rule.id in signals and (not rule.categories or code in rule.categories) \
                and LEGAL_AID.index(rule.indication.value) >= LEGAL_AID.index(base.value):
            # As favourable and more specific: its reason names the provision.
            base = rule.indication
    return base


def _category_scope(code: str, sub_issues: set[str]) -> Indication:
    if code == "housing":
        if sub_issues & {"possession_eviction", "section_21", "section_8", "illegal_eviction",
                         "homelessness", "temporary_accommodation"}:
            return Indication("likely_in_scope", "Possession, eviction and homelessness are "
                              "in scope (loss of home, homelessness).")
        if "disrepair" in sub_issues:
            return Indication("possibly_in_scope", "Disrepair is in scope only where it "
                              "causes a serious risk of harm to health or safety.")
        if sub_issues & {"deposit", "allocation"}:
            return Indication("likely_out_of_scope", "Deposit and housing register problems "
                              "are generally outside legal aid.")
        return Indication("possibly_in_scope", "Housing problems are in scope when the home "
                          "is at risk or in serious disrepair.")
    if code == "debt":
        if "mortgage_arrears" in sub_issues:
            return next(r.indication for r in SCOPE_RULES if r.id == "home_at_risk_debt")
        return Indication("likely_out_of_scope", "Most debt advice is outside legal aid "
                          "(council tax, rent and loan arrears alone are not in scope); free "
                          "debt advice is available from Citizens Advice and debt charities.")
    if code == "welfare_benefits":
        if "upper_tribunal" in sub_issues:
            return Indication("possibly_in_scope", "Appeals on a point of law to the Upper "
                              "Tribunal (and above) are in scope.")
        return Indication("likely_out_of_scope", "Most welfare benefits advice is outside "
                          "legal aid, except appeals on a point of law to the Upper Tribunal.")
    if code == "immigration":
        if sub_issues & {"asylum", "trafficking", "detention_removal"}:
            return Indication("likely_in_scope", "Asylum, immigration detention and "
                              "trafficking cases are in scope.")
        if "nrpf" in sub_issues:
            return Indication("possibly_in_scope", "Support from the council for people with "
                              "no recourse to public funds is a community care matter, which "
                              "is in scope; the visa application itself usually is not.")
        return Indication("likely_out_of_scope", "Most non-asylum immigration applications are "
                          "outside legal aid (except indefinite leave for victims of domestic "
                          "abuse and applications by separated children); exceptional case "
                          "funding may be possible.")
    if code == "community_care":
        return Indication("likely_in_scope", "Community care (council care and support, "
                          "including for destitute families) is in scope.")
    if code == "education":
        if "special_educational_needs" in sub_issues:
            return Indication("likely_in_scope", "Special educational needs are in scope.")
        return Indication("likely_out_of_scope", "Education problems other than special "
                          "educational needs are generally outside legal aid, unless there "
                          "is discrimination.")
    if code == "discrimination":
        return Indication("likely_in_scope", "Claims under the Equality Act 2010 are in scope.")
    if code == "employment":
        return Indication("likely_out_of_scope", "Employment problems are outside legal aid "
                          "unless they involve discrimination.")
    return Indication("likely_out_of_scope", "This kind of problem is generally outside "
                      "legal aid.")


def overall_legal_aid(per_category: dict[str, Indication]) -> Indication:
    """The most favourable indication across the problems: one in-scope problem is enough."""
    if not per_category:
        return Indication("likely_out_of_scope", "We could not tell what the problem is.")
    return max(per_category.values(), key=lambda i: LEGAL_AID.index(i.value))


def level_of_help(*, understood: bool, categories: list[tuple[str, set[str]]],
                  legal_aid: Indication, has_deadlines: bool, urgent: bool,
                  court_or_tribunal: bool, confident: bool) -> Indication:
    """The level of help needed, the first rule that applies giving the reason."""
    if not understood:
        return Indication("general_advice", "We could not read the description, so a "
                          "general adviser should talk it through with you.")
    subs = set().union(*(s for _c, s in categories)) if categories else set()
    codes = [c for c, _s in categories]
    if court_or_tribunal or subs & REPRESENTATION_SUB_ISSUES:
        return Indication("legal_representation", "A court or tribunal is involved, so you "
                          "may need someone to represent you.")
    if not confident or codes == ["other"]:
        return Indication("general_advice", "A general adviser can find out more about the "
                          "problem and refer you on if needed.")
    if urgent:
        return Indication("specialist_casework", "This is urgent: a specialist adviser should "
                          "act for you now.")
    if has_deadlines:
        return Indication("specialist_casework", "There is a legal time limit, so a "
                          "specialist adviser should take the case on.")
    if subs & SPECIALIST_SUB_ISSUES:
        return Indication("specialist_casework", "This is a legal problem that a specialist "
                          "adviser can challenge or resolve for you.")
    if len(codes) > 1:
        return Indication("specialist_casework", "Several problems are linked; a specialist "
                          "adviser can deal with them together.")
    if legal_aid.value == "likely_in_scope":
        return Indication("specialist_casework", "This may be covered by legal aid, so a "
                          "specialist adviser should look at it.")
    if subs and subs <= SELF_HELP_SUB_ISSUES:
        return Indication("self_help", "Good information is often enough for this; an "
                          "adviser is there if you get stuck.")
    return Indication("general_advice", "A general adviser can help you sort this out.")
