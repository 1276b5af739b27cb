"""Every read of outcomes: an episode's and a person's measures, one measure, a self-completion
link by its token, each team's measurement schedule, and what is due on a caseload.

A read of a person's measures checks access through ``linkwell.auth.policy`` (via the referrals
area's ``load_episode``) and writes a ``read`` audit event in the caller's transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.tokens import token_hash
from linkwell.db import utcnow
from linkwell.errors import Conflict, LinkwellError, NotFound
from linkwell.outcomes.models import Instrument, Measure, MeasurementSchedule, SelfCompletionLink
from linkwell.outcomes.schedule import DueMeasure, Schedule, TakenMeasure, Timepoint, due_measures
from linkwell.referrals.models import Episode, EpisodeContact
from linkwell.referrals.queries import load_episode


class LinkExpired(LinkwellError):
    status = 410
    title = "Link expired"


# --- Measures ----------------------------------------------------------------------------------

def _read(session: Session, by: User, object_type: str, object_id, source_ip: str | None,
          **detail) -> None:
    audit.record(session, action="read", object_type=object_type, object_id=object_id,
                 detail=detail, **audit.actor(by, source_ip))


def episode_measures(session: Session, *, by: User, episode_id: int,
                     source_ip: str | None = None) -> list[Measure]:
    load_episode(session, by=by, episode_id=episode_id)
    measures = list(session.scalars(select(Measure).where(Measure.episode_id == episode_id)
                                    .order_by(Measure.measured_on, Measure.id)))
    _read(session, by, "episode_measures", episode_id, source_ip, count=len(measures))
    return measures


def person_measures(session: Session, *, by: User, episode_id: int,
                    source_ip: str | None = None) -> list[Measure]:
    """Every measure of the episode's person, across the episodes this user may see."""
    episode = load_episode(session, by=by, episode_id=episode_id)
    measures = list(session.scalars(
        select(Measure).join(Episode, Episode.id == Measure.episode_id)
        .where(Episode.person_id == episode.person_id, policy.casework_condition(by, Episode))
        .order_by(Measure.measured_on, Measure.id)))
    _read(session, by, "person_measures", episode_id, source_ip, count=len(measures))
    return measures


def measure_for(session: Session, *, by: User, measure_id: int,
                source_ip: str | None = None) -> Measure:
    """One completed questionnaire, for the link workers of its episode's team."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise policy.Refused("measure", measure_id)
    load_episode(session, by=by, episode_id=measure.episode_id)
    _read(session, by, "measure", measure_id, source_ip, episode_id=measure.episode_id)
    return measure


# --- Self-completion links ---------------------------------------------------------------------

def open_link(session: Session, token: str, *, now: datetime | None = None
              ) -> SelfCompletionLink:
    """The link behind a token, if it can still be used; otherwise a clear refusal."""
    now = now or utcnow()
    link = session.scalar(select(SelfCompletionLink)
                          .where(SelfCompletionLink.token_hash == token_hash(token)))
    if link is None:
        raise NotFound("This link is not recognised. Check it was copied in full, or ask your "
                       "link worker for a new one.")
    if link.used_at is not None:
        raise Conflict("This questionnaire has already been submitted. Thank you: there is "
                       "nothing more to do.")
    if link.expires_at <= now:
        raise LinkExpired("This link has expired. Ask your link worker for a new one.")
    return link


# --- Schedules and what is due --------------------------------------------------------------

def schedule_for_team(session: Session, team_id: int | None) -> Schedule:
    """The team's schedule, else the default row, else the built-in default."""
    rows = session.scalars(select(MeasurementSchedule).where(
        (MeasurementSchedule.team_id == team_id) | MeasurementSchedule.team_id.is_(None))).all()
    row = next((r for r in rows if r.team_id == team_id and team_id is not None),
               next((r for r in rows if r.team_id is None), None))
    if row is None:
        return Schedule()
    return Schedule(instruments=tuple(row.instruments),
                    baseline_within_days=row.baseline_within_days,
                    follow_up_from_weeks=row.follow_up_from_weeks,
                    follow_up_to_weeks=row.follow_up_to_weeks, at_closure=row.at_closure,
                    closure_within_days=row.closure_within_days)


@dataclass(frozen=True)
class EpisodeDue:
    episode_id: int
    due: list[DueMeasure]

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.due if d.overdue)


def due_for_episodes(session: Session, episodes: Iterable[Episode], *, today: date | None = None
                     ) -> dict[int, EpisodeDue]:
    """Due and overdue measures for a caseload, in three queries whatever its size.

    The caller has already decided which episodes the user may see (the caseload query).
    """
    today = today or utcnow().date()
    episodes = list(episodes)
    ids = [e.id for e in episodes]
    if not ids:
        return {}
    first_contacts = dict(session.execute(
        select(EpisodeContact.episode_id, func.min(EpisodeContact.occurred_at))
        .where(EpisodeContact.episode_id.in_(ids)).group_by(EpisodeContact.episode_id)).all())
    taken: dict[int, list[TakenMeasure]] = {i: [] for i in ids}
    for episode_id, key, timepoint, on in session.execute(
        select(Measure.episode_id, Instrument.key, Measure.timepoint, Measure.measured_on)
        .join(Instrument, Instrument.id == Measure.instrument_id)
        .where(Measure.episode_id.in_(ids))
    ):
        taken[episode_id].append(TakenMeasure(key, Timepoint(timepoint), on))
    schedules: dict[int | None, Schedule] = {}
    result = {}
    for episode in episodes:
        if episode.team_id not in schedules:
            schedules[episode.team_id] = schedule_for_team(session, episode.team_id)
        first = first_contacts.get(episode.id)
        result[episode.id] = EpisodeDue(episode.id, due_measures(
            schedules[episode.team_id],
            first_contact=first.date() if first else None,
            closed_on=episode.closed_at.date() if episode.closed_at else None,
            taken=taken[episode.id], today=today))
    return result
