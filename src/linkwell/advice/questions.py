"""The guided questionnaire: short questions, as data, keyed by problem category.

Only questions for the categories spotted are asked, and follow-ups appear once the answer
they depend on is given (a notice type only after "yes, I have a notice"). Some answers are
evidence in their own right: choosing "section 21" says housing/section_21 as surely as
writing it.
"""

from dataclasses import dataclass, field
from datetime import date

from linkwell.errors import InvalidInput

YES_NO = (("yes", "Yes"), ("no", "No"), ("not_sure", "I'm not sure"))


@dataclass(frozen=True)
class Question:
    id: str
    category: str  # a category code, or "any" for questions everyone is asked
    text: str
    kind: str  # "choice" | "date"
    options: tuple[tuple[str, str], ...] = ()
    hint: str | None = None
    # Show only when another answer has one of these values.
    show_if: tuple[str, frozenset[str]] | None = None
    # option value -> (category, sub_issue, weight) evidence that choosing it gives.
    signals: dict[str, tuple[str, str | None, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {"id": self.id, "category": self.category, "text": self.text, "kind": self.kind}
        if self.options:
            out["options"] = [{"value": v, "label": label} for v, label in self.options]
        if self.hint:
            out["hint"] = self.hint
        return out


def _when(question_id: str, *values: str) -> tuple[str, frozenset[str]]:
    return question_id, frozenset(values)


QUESTIONS: tuple[Question, ...] = (
    Question("no_food_or_shelter_tonight", "any",
             "Are you without food, or without a safe place to sleep, tonight?", "choice",
             YES_NO, signals={"yes": ("housing", "homelessness", 0.5)}),
    # --- housing ---
    Question("housing_tenure", "housing", "Do you rent or own your home?", "choice", (
        ("rent_private", "I rent from a private landlord or letting agent"),
        ("rent_council", "I rent from the council"),
        ("rent_housing_association", "I rent from a housing association"),
        ("lodger", "I live with my landlord (I am a lodger)"),
        ("temporary", "The council has put me in temporary accommodation"),
        ("own", "I own it, with or without a mortgage"),
        ("no_home", "I have nowhere to live"),
    ), signals={"no_home": ("housing", "homelessness", 0.9),
                "temporary": ("housing", "temporary_accommodation", 0.7)}),
    Question("notice_received", "housing",
             "Has your landlord given you a written notice to leave?", "choice", YES_NO,
             signals={"yes": ("housing", "possession_eviction", 0.8)}),
    Question("notice_type", "housing", "What kind of notice is it?", "choice", (
        ("section_21", "Section 21 (Form 6A, no reason given)"),
        ("section_8", "Section 8 (Form 3, gives reasons such as rent arrears)"),
        ("notice_to_quit", "Notice to quit (council, housing association or lodger)"),
        ("not_sure", "I'm not sure"),
    ), hint="It usually says at the top of the first page.",
        show_if=_when("notice_received", "yes"),
        signals={"section_21": ("housing", "section_21", 0.95),
                 "section_8": ("housing", "section_8", 0.95),
                 "notice_to_quit": ("housing", "possession_eviction", 0.9)}),
    Question("notice_served_date", "housing", "When were you given the notice?", "date",
             show_if=_when("notice_received", "yes")),
    Question("notice_end_date", "housing", "What date does the notice say you must leave by?",
             "date", show_if=_when("notice_received", "yes")),
    Question("court_papers", "housing",
             "Have you received papers from the court about your home?", "choice", YES_NO,
             signals={"yes": ("housing", "possession_eviction", 0.95)}),
    Question("hearing_date", "housing", "When is the court hearing?", "date",
             show_if=_when("court_papers", "yes")),
    Question("eviction_date", "housing",
             "Have court bailiffs given you an eviction date? If so, when is it?", "date",
             show_if=_when("court_papers", "yes")),
    Question("must_leave_date", "housing",
             "If you have been told to leave where you are staying, by what date?", "date",
             hint="For example the date family or friends say you must go."),
    # --- welfare benefits ---
    Question("benefit_decision_date", "welfare_benefits",
             "What date is on the benefit decision letter?", "date",
             hint="The letter saying your benefit was refused, stopped, cut or sanctioned."),
    Question("mr_requested", "welfare_benefits",
             "Have you asked for a mandatory reconsideration (for the decision to be looked at "
             "again)?", "choice", YES_NO,
             signals={"yes": ("welfare_benefits", "mandatory_reconsideration", 0.8)}),
    Question("mr_notice_date", "welfare_benefits",
             "What date is on the mandatory reconsideration notice?", "date",
             show_if=_when("mr_requested", "yes")),
    # --- debt ---
    Question("bailiff_stage", "debt", "Are bailiffs (enforcement agents) involved?", "choice", (
        ("none", "No"),
        ("letter", "I have a letter from bailiffs (a notice of enforcement)"),
        ("visited", "Bailiffs have come to my home"),
    ), signals={"letter": ("debt", "enforcement_agents", 0.95),
                "visited": ("debt", "enforcement_agents", 0.95)}),
    Question("enforcement_notice_date", "debt", "What date is on the bailiffs' letter?", "date",
             show_if=_when("bailiff_stage", "letter")),
    Question("bailiff_visit_date", "debt", "When have the bailiffs said they will come (back)?",
             "date", show_if=_when("bailiff_stage", "letter", "visited")),
    Question("priority_debts", "debt",
             "Do you owe council tax, rent, mortgage, gas, electricity or court fines?",
             "choice", YES_NO, signals={"yes": ("debt", "priority_debt", 0.8)}),
    Question("debt_court_papers", "debt",
             "Have you had a court claim form or a summons about a debt?", "choice", YES_NO,
             signals={"yes": ("debt", "court_claim_ccj", 0.8)}),
    Question("debt_hearing_date", "debt", "When is the court hearing about the debt?", "date",
             show_if=_when("debt_court_papers", "yes")),
    # --- employment ---
    Question("employment_act_date", "employment",
             "When were you dismissed, or when did the problem at work last happen?", "date"),
    Question("acas_started", "employment",
             "Have you started ACAS early conciliation?", "choice", YES_NO,
             signals={"yes": ("employment", "tribunal_claim", 0.8)}),
    # --- immigration ---
    Question("leave_expiry_date", "immigration",
             "When does your current permission to stay in the UK (leave) end?", "date"),
    Question("immigration_decision_date", "immigration",
             "If the Home Office refused an application or claim, what date is on the decision?",
             "date"),
    Question("nrpf_condition", "immigration",
             "Does your visa or permission say 'no recourse to public funds'?", "choice", YES_NO,
             signals={"yes": ("immigration", "nrpf", 0.95)}),
    # --- community care ---
    Question("care_assessed", "community_care",
             "Has the council assessed your (or the person you care for's) care needs?",
             "choice", YES_NO),
    Question("care_decision_date", "community_care",
             "If the council made a decision about care or support, what date is on it?", "date"),
    # --- education ---
    Question("ehcp_decision_date", "education",
             "If the council refused an EHC needs assessment or plan, or issued a plan you "
             "disagree with, what date is on the decision letter?", "date"),
    Question("exclusion_type", "education", "Has your child been excluded from school?",
             "choice", (
                 ("permanent", "Yes, permanently"),
                 ("suspension", "Yes, for a fixed number of days (suspension)"),
                 ("no", "No"),
             ), signals={"permanent": ("education", "exclusion", 0.95),
                         "suspension": ("education", "exclusion", 0.9)}),
    # --- discrimination ---
    Question("discrimination_context", "discrimination", "Where did it happen?", "choice", (
        ("work", "At work, or applying for a job"),
        ("services", "In a shop, service, housing, school or public body"),
    ), signals={"work": ("employment", None, 0.6)}),
    Question("discrimination_act_date", "discrimination", "When did it (last) happen?", "date"),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def parse_answers(raw: dict[str, str] | None) -> dict[str, str | date]:
    """Check answers against the questions: known ids, listed options, ISO dates.

    Empty answers are dropped (a form sends every field); anything else that does not fit
    is refused with the field named, so nothing is silently ignored.
    """
    answers: dict[str, str | date] = {}
    errors = []
    for key, value in (raw or {}).items():
        question = BY_ID.get(key)
        if question is None:
            errors.append({"field": f"answers.{key}", "message": "unknown question"})
            continue
        value = "" if value is None else str(value).strip()
        if not value:
            continue
        if question.kind == "date":
            try:
                answers[key] = date.fromisoformat(value)
            except ValueError:
                errors.append({"field": f"answers.{key}",
                               "message": "enter a real date as YYYY-MM-DD"})
        elif value in {v for v, _label in question.options}:
            answers[key] = value
        else:
            errors.append({"field": f"answers.{key}", "message": "not one of the options"})
    if errors:
        raise InvalidInput("Some answers could not be used", errors=errors)
    return answers


def _visible(question: Question, answers: dict) -> bool:
    if question.show_if is None:
        return True
    depends_on, values = question.show_if
    return answers.get(depends_on) in values


def questions_for(categories: list[str], answers: dict) -> list[Question]:
    """The questions to show for these categories, in order, with follow-ups where due."""
    wanted = {"any", *categories}
    return [q for q in QUESTIONS if q.category in wanted and _visible(q, answers)]


def answer_signals(answers: dict) -> list[tuple[str, str | None, float, Question, str]]:
    """(category, sub_issue, weight, question, value) for every answer that is evidence."""
    out = []
    for key, value in answers.items():
        question = BY_ID[key]
        if isinstance(value, str) and value in question.signals:
            category, sub, weight = question.signals[value]
            out.append((category, sub, weight, question, value))
    return out
