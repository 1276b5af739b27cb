"""The fixed problem categories and their sub-issues, as data.

Codes are part of the API (``categories[].code`` and ``sub_issues``) and never change; labels
are the plain-English words shown to residents.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SubIssue:
    code: str
    label: str


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    sub_issues: tuple[SubIssue, ...]

    def sub_issue(self, code: str) -> SubIssue:
        return next(s for s in self.sub_issues if s.code == code)


def _subs(*pairs: tuple[str, str]) -> tuple[SubIssue, ...]:
    return tuple(SubIssue(code, label) for code, label in pairs)


CATEGORIES: tuple[Category, ...] = (
    Category("debt", "Debt", _subs(
        ("council_tax_arrears", "Council tax arrears"),
        ("priority_debt", "Priority debt (council tax, rent, mortgage, energy, fines)"),
        ("non_priority_debt", "Non-priority debt (credit cards, loans, catalogues, overdrafts)"),
        ("enforcement_agents", "Bailiffs (enforcement agents)"),
        ("energy_arrears", "Gas, electricity or water arrears"),
        ("mortgage_arrears", "Mortgage arrears"),
        ("magistrates_fines", "Magistrates' court fines"),
        ("court_claim_ccj", "Court claim or county court judgment"),
        ("insolvency", "Bankruptcy or debt relief order"),
        ("payday_loans", "Payday or high-cost loans"),
    )),
    Category("welfare_benefits", "Welfare benefits", _subs(
        ("universal_credit", "Universal Credit"),
        ("pip", "Personal Independence Payment (PIP)"),
        ("esa", "Employment and Support Allowance (ESA)"),
        ("sanctions", "Benefit sanction"),
        ("overpayments", "Benefit overpayment"),
        ("mandatory_reconsideration", "Mandatory reconsideration"),
        ("tribunal_appeal", "Benefit appeal to the tribunal"),
        ("upper_tribunal", "Appeal to the Upper Tribunal on a point of law"),
        ("housing_benefit", "Housing Benefit or the housing element"),
        ("council_tax_reduction", "Council Tax Reduction"),
        ("carers_allowance", "Carer's Allowance"),
        ("disability_benefits", "Disability benefits (DLA, Attendance Allowance)"),
        ("pension_credit", "Pension Credit"),
        ("benefit_cap", "Benefit cap"),
        ("work_capability", "Work capability assessment"),
        ("child_benefit", "Child Benefit"),
        ("benefit_stopped", "Benefit stopped, suspended or claim closed"),
    )),
    Category("housing", "Housing", _subs(
        ("possession_eviction", "Possession or eviction"),
        ("section_21", "Section 21 (no-fault) notice"),
        ("section_8", "Section 8 notice"),
        ("rent_arrears", "Rent arrears"),
        ("disrepair", "Disrepair, damp or mould"),
        ("homelessness", "Homelessness"),
        ("deposit", "Tenancy deposit"),
        ("illegal_eviction", "Illegal eviction or harassment by a landlord"),
        ("allocation", "Housing register, transfer or overcrowding"),
        ("temporary_accommodation", "Temporary accommodation"),
    )),
    Category("employment", "Employment", _subs(
        ("dismissal", "Dismissal or unfair dismissal"),
        ("unpaid_wages", "Unpaid wages or holiday pay"),
        ("redundancy", "Redundancy"),
        ("sick_pay", "Sick pay"),
        ("maternity_rights", "Maternity or parental rights at work"),
        ("contract_hours", "Contract, hours or zero-hours work"),
        ("grievance_disciplinary", "Grievance or disciplinary"),
        ("tribunal_claim", "Employment tribunal claim"),
    )),
    Category("immigration", "Immigration", _subs(
        ("asylum", "Asylum"),
        ("leave_to_remain", "Leave to remain or visa"),
        ("nrpf", "No recourse to public funds (NRPF)"),
        ("eu_settlement", "EU Settlement Scheme"),
        ("citizenship", "Citizenship or naturalisation"),
        ("detention_removal", "Detention or removal"),
        ("family_reunion", "Family visas or family reunion"),
        ("trafficking", "Trafficking or modern slavery"),
    )),
    Category("community_care", "Community care", _subs(
        ("care_assessment", "Needs assessment or care package"),
        ("carers_assessment", "Carer's assessment"),
        ("section_17_children", "Support for children in need (section 17)"),
        ("adaptations", "Home adaptations or equipment"),
        ("mental_health_aftercare", "Mental health aftercare (section 117)"),
        ("care_charges", "Care charges"),
        ("destitution_support", "Support for destitute adults (Care Act)"),
    )),
    Category("education", "Education", _subs(
        ("special_educational_needs", "Special educational needs (EHCP)"),
        ("exclusion", "School exclusion"),
        ("admissions", "School admissions"),
        ("school_transport", "School transport"),
        ("attendance", "School attendance"),
        ("bullying", "Bullying at school"),
    )),
    Category("discrimination", "Discrimination", _subs(
        ("disability", "Disability discrimination"),
        ("race", "Race discrimination"),
        ("sex_pregnancy", "Sex, pregnancy or maternity discrimination"),
        ("religion", "Religion or belief discrimination"),
        ("age", "Age discrimination"),
        ("sexual_orientation_gender", "Sexual orientation or gender reassignment discrimination"),
        ("reasonable_adjustments", "Reasonable adjustments"),
        ("harassment", "Harassment or victimisation"),
    )),
    Category("other", "Something else", _subs(
        ("family", "Family or relationship breakdown"),
        ("consumer", "Consumer problem"),
        ("neighbours", "Neighbours"),
        ("general", "General enquiry"),
    )),
)

CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)
BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
