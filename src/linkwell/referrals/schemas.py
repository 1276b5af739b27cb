"""JSON shapes of the referrals API (documented in the generated OpenAPI spec)."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from linkwell.web.deps import Id


class PersonIn(BaseModel):
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    birth_date: date
    nhs_number: str | None = Field(None, description="10 digits, modulus-11 checked")
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_preference: str | None = Field(None, description="phone | text | email | post")
    language: str | None = None
    interpreter_needed: bool = False
    accessibility_needs: str | None = None
    sex: str | None = Field(None, description="female | male | other | unknown")
    ethnicity: str | None = None


class ReferralIn(BaseModel):
    person: PersonIn
    source: str = Field("gp", description="gp | hospital | council | vcs | self")
    reasons: list[str] = Field(description="needs domain codes, or 'other'")
    notes: str = ""
    consent_to_share: bool = Field(description="the person agreed to share their details")


class StatusEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    occurred_at: datetime
    reason: str | None
    snomed_code: str | None


class ReferralOut(BaseModel):
    id: int
    person_id: int
    status: str
    version: int
    source: str
    reasons: list[str]
    team_id: int | None
    created_at: datetime
    events: list[StatusEventOut] = []


class AcceptIn(BaseModel):
    link_worker_id: Id | None = None


class DeclineIn(BaseModel):
    reason: str = Field(description="a closure reason code, e.g. 'declined'")


class HoldIn(BaseModel):
    reason: str = Field(max_length=60)


class AssignIn(BaseModel):
    link_worker_id: Id


class EpisodeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    referral_id: int
    team_id: int | None
    link_worker_id: int | None
    opened_at: datetime
    last_contact_at: datetime | None
    closed_at: datetime | None
    closure_reason: str | None
    version: int


class ContactIn(BaseModel):
    occurred_at: datetime
    mode: str
    duration_minutes: int
    note: str = ""


class NeedsAssessmentIn(BaseModel):
    what_matters_to_me: str = ""
    scores: dict[str, int] = Field(description="needs domain code -> 1 (no concern) .. 5")


class GoalIn(BaseModel):
    description: str
    domain: str | None = None


class OnwardReferralIn(BaseModel):
    service_id: str
    reason: str
    summary: str = ""
    attachments: list[dict] = []


class OnwardReferralOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    episode_id: int
    service_id: str
    organization_id: str
    reason: str
    status: str
    version: int
    sent_at: datetime
    responded_at: datetime | None
    decline_reason: str | None
    outcome_note: str | None
    attended: bool | None


class ResponseIn(BaseModel):
    reason: str | None = None
    outcome_note: str | None = None


class CloseIn(BaseModel):
    reason: str


class CapacityIn(BaseModel):
    status: str = Field(description="open | paused")
    waiting_time_days: int | None = None


class SuggestionOut(BaseModel):
    service_id: str
    name: str
    organization_id: str
    score: float
    reasons: list[str]
    needs_met: list[str]
    distance_m: float | None
    capacity_status: str | None


class CaseloadRowOut(BaseModel):
    person_id: int
    name: str
    referral_id: int
    referral_status: str
    episode_id: int | None
    link_worker_id: int | None
    opened_at: datetime | None
    last_contact_at: datetime | None
    waiting_on_provider: int
    provider_overdue: int
    contact_overdue: bool
