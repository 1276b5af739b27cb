"""The casework API's bodies and answers (Pydantic v2), as the OpenAPI document shows them."""

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from linkwell.casework.domain import AppointmentKind, AppointmentOutcome


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, examples=["Follow-up call"])
    due_date: date
    assigned_to_id: int | None = Field(None, description="A link worker in the episode's "
                                                         "team; the episode's by default")


class TaskChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None
    done: bool | None = None
    assigned_to_id: int | None = None


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    episode_id: int
    title: str
    due_date: date
    done: bool
    assigned_to_id: int | None
    version: int


class TaskVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    title: str
    due_date: date
    done: bool
    assigned_to_id: int | None
    recorded_at: datetime
    changed_by_id: int | None


class AppointmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime = Field(examples=["2026-12-08T10:00:00+00:00"])
    ends_at: AwareDatetime = Field(examples=["2026-12-08T10:45:00+00:00"])
    kind: AppointmentKind
    place: str = Field("", max_length=200)
    link_worker_id: int | None = None


class AppointmentChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    kind: AppointmentKind | None = None
    place: str | None = Field(None, max_length=200)
    outcome: AppointmentOutcome | None = None


class AppointmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    episode_id: int
    link_worker_id: int | None
    starts_at: datetime
    ends_at: datetime
    kind: str
    place: str
    outcome: str
    version: int
    warnings: list[str] = Field(default_factory=list, description="Booked, but in the past "
                                                                   "or overlapping another")


class AppointmentVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    starts_at: datetime
    ends_at: datetime
    kind: str
    place: str
    outcome: str
    link_worker_id: int | None
    recorded_at: datetime
    changed_by_id: int | None


class DeliveryReceipt(BaseModel):
    """The fields Linkwell reads from GOV.UK Notify's delivery receipt (it sends more)."""

    id: str
    reference: str | None = None
    status: str
