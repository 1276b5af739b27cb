"""The JSON shapes of ``POST /api/advice/triage``: request and response, for OpenAPI."""

from pydantic import BaseModel, Field


class TriageIn(BaseModel):
    text: str | None = Field(None, description="The person's description in their own words "
                                               "(required; capped at 5,000 characters).")
    answers: dict[str, str] = Field(default_factory=dict,
                                    description="Answers to the guided questions, by id; "
                                                "dates as YYYY-MM-DD.")
    postcode: str | None = Field(None, description="To find advice providers nearby.")
    language: str | None = Field(None, description="Preferred language, e.g. 'Polish'.")


class EvidenceOut(BaseModel):
    source: str = Field(description="phrase | answer | model")
    text: str
    weight: float | None = None
    sub_issue: str | None = None
    note: str | None = None


class CategoryOut(BaseModel):
    code: str = Field(description="debt, welfare_benefits, housing, employment, immigration, "
                                  "community_care, education, discrimination or other")
    label: str
    confidence: float = Field(ge=0, le=1)
    sub_issues: list[str]
    sub_issue_labels: list[str]
    evidence: list[EvidenceOut]
    legal_aid: str
    legal_aid_reason: str


class DeadlineOut(BaseModel):
    what: str
    date: str = Field(description="YYYY-MM-DD")
    category: str
    date_text: str = Field(description='The date written out, e.g. "Tuesday 8 December 2026"')
    days_left: int
    passed: bool
    urgent: bool
    exact: bool = Field(description="False when the date is approximate (school holidays, "
                                    "'next week')")
    certainty: str = Field(description="exact | approximate")
    late_route: str | None = Field(description="When the date has passed: what can still be "
                                               "done, if anything")
    basis: str = Field(description="The legal rule the date comes from")


class OptionOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str
    category: str
    text: str
    kind: str = Field(description="choice | date")
    options: list[OptionOut] = Field(default_factory=list)
    hint: str | None = None


class LinkOut(BaseModel):
    text: str
    href: str


class ProviderOut(BaseModel):
    service_id: str
    name: str
    organization: str | None
    categories: list[str]
    distance_miles: float | None = Field(description="Miles, one decimal place (the unit "
                                                     "used across the site)")
    capacity: str | None = Field(description="open | paused | null (not published)")
    waiting_time_days: int | None
    languages: list[str]
    legal_aid_provider: bool
    url: str | None
    email: str | None
    score: float
    reasons: list[str]


class TriageOut(BaseModel):
    categories: list[CategoryOut] = Field(description="Most confident first")
    summary: str = Field(description='In plain words, e.g. "We think this is mainly about '
                                     'housing, and it may also involve debt."')
    understood: bool = Field(description="False when the text could not be read as English")
    urgent: bool
    urgent_reasons: list[str]
    what_to_do_today: list[str] = Field(description="For an urgent case: the first steps, "
                                                    "most pressing first")
    deadlines: list[DeadlineOut] = Field(description="Urgent first, then by date")
    level: str = Field(description="self_help | general_advice | specialist_casework | "
                                   "legal_representation")
    level_reason: str
    legal_aid: str = Field(description="likely_in_scope | possibly_in_scope | "
                                       "likely_out_of_scope | unknown: an indication, not "
                                       "legal advice")
    legal_aid_reason: str
    legal_aid_note: str
    questions: list[QuestionOut]
    self_help: list[LinkOut]
    notes: list[str]
    providers: list[ProviderOut]
