"""The person's plan (the personalised care and support plan): no I/O.

NHS England's personalised care model and the PRSB Social Prescribing Standard ask for one
place that shows what matters to the person, their strengths and needs on a scale, goals and
progress, agreed actions, every contact, onward referrals with what the provider said, and
measures. Everything here is built from rows already kept as history (assessments, goal
progress, task and appointment versions, status events): an amendment is a new entry, so the
plan never shows a value that overwrote another.

Two views are built from the same facts: the link worker's plan (everything, in true time
order) and "My plan" for the person, in plain English, without staff notes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from linkwell.casework.domain import LONDON

# Goal progress as agreed with the person (a four-point scale with labelled points).
GOAL_PROGRESS = {1: "Not started", 2: "Started", 3: "Getting there", 4: "Achieved"}

# Onward referral statuses in the person's words.
PLAIN_STATUS = {
    "requested": "sent, waiting for them to reply",
    "received": "they have it and will be in touch",
    "accepted": "they have said yes",
    "in-progress": "you have started going",
    "on-hold": "on hold",
    "completed": "finished",
    "rejected": "they could not take it on",
    "cancelled": "cancelled",
    "failed": "it did not go ahead",
}


@dataclass(frozen=True)
class NeedScore:
    code: str
    display: str
    score: int
    label: str


@dataclass(frozen=True)
class Progress:
    at: datetime
    progress: int
    note: str

    @property
    def label(self) -> str:
        return GOAL_PROGRESS[self.progress]


@dataclass
class GoalView:
    id: int
    description: str
    need: str | None
    agreed_at: datetime
    progress: list[Progress] = field(default_factory=list)

    @property
    def latest(self) -> Progress | None:
        return self.progress[-1] if self.progress else None


@dataclass(frozen=True)
class Action:
    """An agreed action: a task on the episode."""

    title: str
    due_date: date
    done: bool
    created_at: datetime


@dataclass(frozen=True)
class Meeting:
    starts_at: datetime
    kind: str
    place: str
    outcome: str


@dataclass(frozen=True)
class OnwardStep:
    sent_at: datetime
    service: str
    organization: str
    status: str
    status_label: str
    provider_note: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class MeasureResult:
    measured_on: date
    instrument: str
    score: float | None
    band: str | None


@dataclass(frozen=True)
class Entry:
    """One line of the plan's history."""

    at: datetime
    kind: str  # what-matters | needs | goal | progress | action | appointment | contact |
    #            onward | onward-update | measure | episode
    title: str
    text: str = ""
    by: str = ""
    day_only: bool = False  # only the day is known: a measure is dated, not timed

    @property
    def when(self) -> str:
        return uk(self.at, "%d %b %Y") if self.day_only else uk(self.at)


@dataclass
class Plan:
    person_name: str
    what_matters: str
    what_matters_at: datetime | None
    needs: list[NeedScore]
    goals: list[GoalView]
    actions: list[Action]
    meetings: list[Meeting]
    onward: list[OnwardStep]
    measures: list[MeasureResult]
    history: list[Entry]

    @property
    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if not a.done]

    @property
    def strengths(self) -> list[NeedScore]:
        return [n for n in self.needs if n.score <= 2]

    @property
    def concerns(self) -> list[NeedScore]:
        return [n for n in self.needs if n.score >= 3]

    def upcoming(self, now: datetime) -> list[Meeting]:
        return [m for m in self.meetings if m.starts_at >= now and m.outcome == "booked"]


def start_of_day(day: date) -> datetime:
    """When an event known only by its day sorts: the start of that day, UK time."""
    return datetime.combine(day, time(0), tzinfo=LONDON)


def in_time_order(entries: list[Entry]) -> list[Entry]:
    """Oldest first, as things happened; ties keep the order they were recorded in."""
    return sorted(entries, key=lambda e: e.at)


def uk(at: datetime, fmt: str = "%d %b %Y %H:%M") -> str:
    return at.astimezone(LONDON).strftime(fmt)


def plain_text(plan: Plan, now: datetime) -> str:
    """"My plan" as plain text, for the copy sent by e-mail (GOV.UK Notify's
    ``((plan))`` personalisation): plain English, no staff notes, no codes."""
    lines = [f"My plan, {uk(now, '%d %B %Y')}", ""]
    lines += ["What matters to me", plan.what_matters or "Not written down yet.", ""]
    if plan.needs:
        lines.append("How things are")
        lines += [f"- {n.display}: {n.label.lower()}" for n in plan.needs]
        lines.append("")
    lines.append("What I am working towards")
    lines += ([f"- {g.description}"
               + (f" ({g.latest.label.lower()})" if g.latest else "") for g in plan.goals]
              or ["Nothing agreed yet."])
    lines += ["", "What we agreed to do"]
    lines += ([f"- {a.title}, by {a.due_date:%d %B %Y}" for a in plan.open_actions]
              or ["Nothing outstanding."])
    upcoming = plan.upcoming(now)
    if upcoming:
        lines += ["", "My appointments"]
        lines += [f"- {uk(m.starts_at, '%A %d %B at %H:%M')}, {m.kind}"
                  + (f", {m.place}" if m.place else "") for m in upcoming]
    if plan.onward:
        lines += ["", "Services I have been put in touch with"]
        lines += [f"- {o.service} ({o.organization}): {PLAIN_STATUS.get(o.status, o.status)}"
                  + (f". They said: {o.provider_note}" if o.provider_note else "")
                  for o in plan.onward]
    return "\n".join(lines).strip() + "\n"
