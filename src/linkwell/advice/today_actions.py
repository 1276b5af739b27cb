"""What a person can do today about each urgent situation, by trigger: the first steps shown on
the /advice results page before an adviser calls back (moved out of ``urgency.py``). Pure data;
every trigger that can be urgent has one (tests/unit/advice/test_advice_today_actions.py).
"""

# A benefit decision, however it was found: Housing Benefit and Council Tax Reduction are the
# council's decisions, not the DWP's.
RECONSIDERATION_TODAY = ("Ask for the decision to be looked at again (a mandatory "
                         "reconsideration) in writing within a month of the decision letter, "
                         "and keep a copy: ask the DWP for most benefits, the council for "
                         "Housing Benefit or Council Tax Reduction.")
# The mandatory reconsideration went against the person, however they said it ("the MR was
# refused", "they looked at it again and said no again"): the next step is the tribunal.
APPEAL_TO_TRIBUNAL_TODAY = ("Send the tribunal appeal (form SSCS1) before the date shown, "
                            "with a copy of the mandatory reconsideration notice.")

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
    "benefit_appeal": APPEAL_TO_TRIBUNAL_TODAY,
    "reconsideration_refused": APPEAL_TO_TRIBUNAL_TODAY,
    "tribunal_date": "Send the tribunal any evidence now and go to the hearing.",
    "benefit_decision": RECONSIDERATION_TODAY,
    "benefit_look_again": RECONSIDERATION_TODAY,
    "overpayment": "Ask for the overpayment decision to be reconsidered before the date "
                   "shown; ask for repayments to be paused meanwhile.",
    "no_income": "Ask the jobcentre for a hardship payment or an advance, and contact your "
                 "council's local welfare scheme or a food bank today.",
    **dict.fromkeys(("dismissal", "dismissal_words", "termination", "resignation",
                     "contract_ended", "employment_ends"),
                    "Contact ACAS for early conciliation before the date shown: it must come "
                    "before an employment tribunal claim."),
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
    "separated_child": "Ask the council's children's services to look after the child, and "
                       "get an immigration lawyer: legal aid covers a separated child's claim.",
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
    **dict.fromkeys(("ehcp_refusal", "ehc_request_refused"),
                    "Get the mediation certificate and appeal to the SEND tribunal before the "
                    "date shown."),
    "possession_notice": "Do not move out yet: only a court can order you to leave. Ask an "
                         "adviser to check the notice, and contact the council's housing "
                         "options team.",
    "judicial_review": "Ask a public law solicitor today (legal aid may pay) to send the "
                       "pre-action letter: the claim must be started promptly.",
    "asylum_support_ends": "Claim Universal Credit now and ask the council's housing options "
                           "team for help as homeless before your support ends.",
    "bailiffs_indirect": "Do not let the bailiffs in; contact the creditor or the bailiffs' "
                         "company today to offer a payment plan, and ask a debt adviser for "
                         "help.",
    "statutory_demand": "Apply to the court to set the demand aside (form IAA) before the date "
                        "shown, and get debt advice today: a bankruptcy petition can follow.",
    "benefit_decision_challenged": RECONSIDERATION_TODAY,
    "service_discrimination": "Write down what happened, when and who saw it, and ask the "
                              "Equality Advisory and Support Service or an adviser about a "
                              "claim before the date shown.",
    "wages_owed": "Ask your employer in writing for the wages owed, and ask the jobcentre or "
                  "your council's local welfare scheme for help with money today.",
    "redundancy_consultation": "Ask in writing for the selection criteria and your scores, "
                               "and put your objections at the consultation meeting.",
    "age_dispute": "Ask the council's children's services to treat the young person as a "
                   "child while their age is assessed, and get specialist advice today.",
    "section_3_detention": "Ask the ward staff for a mental health solicitor (legal aid is "
                           "free for this) to apply to the tribunal before the six months end.",
    "mental_health_detention": "Ask the ward staff for a mental health solicitor (legal aid "
                               "is free for this) to apply to the tribunal before the date "
                               "shown.",
    "school_appeal_hearing": "Send the appeal panel any evidence now (why this school, and "
                             "any medical or social reasons) and go to the hearing.",
    "governors_meeting": "Send the governors your written account before the meeting, and "
                         "ask to see the school's evidence.",
    "no_education": "Write to the council's education department asking for a school place "
                    "or other full-time education now: it must arrange it.",
}
