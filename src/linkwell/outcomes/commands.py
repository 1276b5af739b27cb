"""Every change to outcomes, as one small command each, in the caller's unit of work.

Commands take the session first and keyword-only arguments naming who acts (``by``; ``None``
for a person completing their own one-time link), check access through
``linkwell.auth.policy`` (via the referrals area's ``load_episode``), and write an audit event
that names objects by id and codes only. Scoring is delegated to the pure ``scoring`` module.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.tokens import new_token, token_hash
from linkwell.db import utcnow
from linkwell.errors import Conflict, Forbidden, InvalidInput, NotFound
from linkwell.outcomes import queries
from linkwell.outcomes.instruments import (
    InstrumentDefinition,
    builtin_instruments,
    parse_definition,
)
from linkwell.outcomes.models import (
    Instrument,
    InstrumentVersion,
    Measure,
    MeasurementSchedule,
    SelfCompletionLink,
)
from linkwell.outcomes.schedule import (
    Schedule,
    TakenMeasure,
    Timepoint,
    check_sequence,
)
from linkwell.outcomes.scoring import score
from linkwell.referrals.commands import load_episode
from linkwell.referrals.models import Episode

LINK_VALID_DAYS = 14


# --- Instruments and their versions ---------------------------------------------------------

def definition_of(version: InstrumentVersion) -> InstrumentDefinition:
    return parse_definition(version.definition)


def _latest(session: Session, instrument_id: int) -> InstrumentVersion | None:
    return session.scalars(
        select(InstrumentVersion).where(InstrumentVersion.instrument_id == instrument_id)
        .order_by(InstrumentVersion.id.desc()).limit(1)
    ).first()


def _stored(definition: InstrumentDefinition) -> dict:
    return definition.model_dump(mode="json", by_alias=True, exclude_none=True)


def sync_builtin_instruments(session: Session) -> None:
    """Store each shipped instrument version once; a changed definition must bump its version.

    Concurrent first calls race on the unique keys; the loser's savepoint rolls back and the
    winner's rows are used.
    """
    for key, definition in builtin_instruments().items():
        instrument = session.scalar(select(Instrument).where(Instrument.key == key))
        if instrument is not None:
            stored = session.scalar(select(InstrumentVersion).where(
                InstrumentVersion.instrument_id == instrument.id,
                InstrumentVersion.version == definition.version))
            if stored is not None:
                if stored.definition != _stored(definition):
                    raise Conflict(f"the shipped {key} definition changed without a new "
                                   f"version; stored version {definition.version} is kept")
                continue
        try:
            with session.begin_nested():
                if instrument is None:
                    instrument = Instrument(key=key, local=False)
                    session.add(instrument)
                    session.flush()
                session.add(InstrumentVersion(instrument_id=instrument.id,
                                              version=definition.version,
                                              definition=_stored(definition)))
        except IntegrityError:
            continue


def current_version(session: Session, key: str) -> InstrumentVersion:
    """The latest version of an instrument, shipped or local."""
    sync_builtin_instruments(session)
    instrument = session.scalar(select(Instrument).where(Instrument.key == key))
    version = _latest(session, instrument.id) if instrument else None
    if version is None:
        raise NotFound(f"Unknown instrument {key!r}")
    return version


def list_instruments(session: Session) -> list[InstrumentVersion]:
    """The current version of every instrument, shipped ones first."""
    sync_builtin_instruments(session)
    latest = (select(func.max(InstrumentVersion.id))
              .group_by(InstrumentVersion.instrument_id).scalar_subquery())
    versions = session.scalars(
        select(InstrumentVersion).where(InstrumentVersion.id.in_(latest))).all()
    order = {key: index for index, key in enumerate(builtin_instruments())}
    return sorted(versions, key=lambda v: (order.get(v.instrument.key, len(order)),
                                           v.instrument.key))


def save_local_instrument(session: Session, *, by: User, definition: dict,
                          source_ip: str | None = None) -> InstrumentVersion:
    """Add a local instrument, or a new version of one; earlier versions are never changed.

    The document is validated first (``parse_definition``); the stored version number is
    assigned here, so an edit can never overwrite the version that responses point at.
    """
    if Role.ADMIN not in by.roles:
        raise Forbidden("Only an administrator can define instruments")
    parsed = parse_definition(definition)
    if parsed.key in builtin_instruments():
        raise Conflict(f"{parsed.key!r} is a validated instrument and cannot be redefined; "
                       "choose another key")
    instrument = session.scalar(select(Instrument).where(Instrument.key == parsed.key)
                                .with_for_update())
    if instrument is None:
        instrument = Instrument(key=parsed.key, local=True)
        session.add(instrument)
        session.flush()
        number = 1
    else:
        latest = _latest(session, instrument.id)
        if latest is not None and definition_of(latest).model_copy(
                update={"version": parsed.version}) == parsed:
            return latest
        number = session.scalar(select(func.count()).where(
            InstrumentVersion.instrument_id == instrument.id)) + 1
    stored = parsed.model_copy(update={"version": str(number)})
    version = InstrumentVersion(instrument_id=instrument.id, version=str(number),
                                definition=_stored(stored), created_by_id=by.id)
    session.add(version)
    session.flush()
    audit.record(session, action="create" if number == 1 else "update",
                 object_type="instrument", object_id=instrument.id,
                 detail={"key": parsed.key, "version": str(number)}, **audit.actor(by, source_ip))
    return version


# --- Measures -------------------------------------------------------------------------------

def _taken(session: Session, episode_id: int) -> list[TakenMeasure]:
    rows = session.execute(
        select(Instrument.key, Measure.timepoint, Measure.measured_on)
        .join(Instrument, Instrument.id == Measure.instrument_id)
        .where(Measure.episode_id == episode_id)
    ).all()
    return [TakenMeasure(key, Timepoint(timepoint), on) for key, timepoint, on in rows]


def _timepoint(value: str) -> Timepoint:
    try:
        return Timepoint(value)
    except ValueError:
        raise InvalidInput(f"timepoint must be one of: {', '.join(t.value for t in Timepoint)}",
                           errors=[{"field": "timepoint", "message": "unknown"}]) from None


def _record(session: Session, *, episode: Episode, version: InstrumentVersion,
            timepoint: str, measured_on: date, answers: dict, by: User | None,
            source: str, today: date, source_ip: str | None) -> Measure:
    point = _timepoint(timepoint)
    if measured_on > today:
        raise InvalidInput("A measure cannot be dated in the future",
                           errors=[{"field": "measured_on", "message": "in the future"}])
    if measured_on < episode.opened_at.date():
        raise InvalidInput("A measure cannot be dated before the episode began",
                           errors=[{"field": "measured_on", "message": "before the episode"}])
    # Lock the episode so two measures cannot both become its baseline.
    session.execute(select(Episode.id).where(Episode.id == episode.id).with_for_update())
    definition = definition_of(version)
    check_sequence(point, measured_on, instrument=definition.key,
                   taken=_taken(session, episode.id))
    result = score(definition, answers)
    measure = Measure(
        episode_id=episode.id, instrument_id=version.instrument_id,
        instrument_version_id=version.id, timepoint=str(point), measured_on=measured_on,
        answers={i.link_id: answers.get(i.link_id) for i in definition.items},
        complete=result.complete, raw_score=result.raw, metric_score=result.metric,
        band=result.band,
        item_scores={i.link_id: {"score": i.score, "band": i.band} for i in result.items},
        source=source, entered_by_id=by.id if by else None,
    )
    session.add(measure)
    session.flush()
    audit.record(session, action="create", object_type="measure", object_id=measure.id,
                 detail={"episode_id": episode.id, "instrument": definition.key,
                         "version": definition.version, "timepoint": str(point),
                         "source": source},
                 **audit.actor(by, source_ip))
    return measure


def record_measure(session: Session, *, by: User, episode_id: int, instrument: str,
                   timepoint: str, measured_on: date, answers: dict[str, int | None],
                   source_ip: str | None = None, today: date | None = None) -> Measure:
    """A link worker enters a completed form (e.g. during a contact, or from paper)."""
    episode = load_episode(session, by=by, episode_id=episode_id)
    version = current_version(session, instrument)
    return _record(session, episode=episode, version=version, timepoint=timepoint,
                   measured_on=measured_on, answers=answers, by=by, source="link_worker",
                   today=today or utcnow().date(), source_ip=source_ip)


def create_self_completion_link(session: Session, *, by: User, episode_id: int,
                                instrument: str, timepoint: str, now: datetime | None = None,
                                valid_days: int = LINK_VALID_DAYS,
                                source_ip: str | None = None) -> tuple[SelfCompletionLink, str]:
    """A one-time link for the person; returns the row and the token (shown once, never
    stored: only its hash is kept)."""
    now = now or utcnow()
    episode = load_episode(session, by=by, episode_id=episode_id)
    if episode.closed_at is not None and timepoint != Timepoint.CLOSURE:
        raise Conflict("This episode is closed; only a closure measure can be sent")
    version = current_version(session, instrument)
    point = _timepoint(timepoint)
    check_sequence(point, now.date(), instrument=version.instrument.key,
                   taken=_taken(session, episode.id))
    token = new_token()
    link = SelfCompletionLink(token_hash=token_hash(token), episode_id=episode.id,
                              instrument_version_id=version.id, timepoint=str(point),
                              created_by_id=by.id, created_at=now,
                              expires_at=now + timedelta(days=valid_days))
    session.add(link)
    session.flush()
    audit.record(session, action="create", object_type="self_completion_link",
                 object_id=link.id, detail={"episode_id": episode.id,
                                            "instrument": version.instrument.key,
                                            "timepoint": str(point)},
                 **audit.actor(by, source_ip))
    return link, token


def submit_self_completion(session: Session, *, token: str, answers: dict[str, int | None],
                           now: datetime | None = None,
                           source_ip: str | None = None) -> Measure:
    """Record the person's own answers; the link is spent by compare-and-set, so a second
    submission (a double click, a resent form) is refused and nothing is recorded twice."""
    now = now or utcnow()
    link = queries.open_link(session, token, now=now)
    spent = session.execute(
        update(SelfCompletionLink)
        .where(SelfCompletionLink.id == link.id, SelfCompletionLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise Conflict("This questionnaire has already been submitted. Thank you: there is "
                       "nothing more to do.")
    episode = session.get(Episode, link.episode_id)
    measure = _record(session, episode=episode, version=link.version,
                      timepoint=link.timepoint, measured_on=now.date(), answers=answers,
                      by=None, source="self", today=now.date(), source_ip=source_ip)
    session.execute(update(SelfCompletionLink).where(SelfCompletionLink.id == link.id)
                    .values(measure_id=measure.id).execution_options(synchronize_session=False))
    return measure


# --- Schedules and what is due --------------------------------------------------------------

def set_schedule(session: Session, *, by: User, team_id: int | None, schedule: Schedule,
                 source_ip: str | None = None) -> MeasurementSchedule:
    if Role.ADMIN not in by.roles:
        raise Forbidden("Only an administrator can change a measurement schedule")
    known = {v.instrument.key for v in list_instruments(session)}
    unknown = [k for k in schedule.instruments if k not in known]
    if unknown:
        raise InvalidInput(f"Unknown instrument(s) in the schedule: {', '.join(unknown)}")
    row = session.scalar(select(MeasurementSchedule).where(
        MeasurementSchedule.team_id.is_(None) if team_id is None
        else MeasurementSchedule.team_id == team_id))
    if row is None:
        row = MeasurementSchedule(team_id=team_id)
        session.add(row)
    row.instruments = list(schedule.instruments)
    row.baseline_within_days = schedule.baseline_within_days
    row.follow_up_from_weeks = schedule.follow_up_from_weeks
    row.follow_up_to_weeks = schedule.follow_up_to_weeks
    row.at_closure = schedule.at_closure
    row.closure_within_days = schedule.closure_within_days
    row.updated_at = utcnow()
    session.flush()
    audit.record(session, action="update", object_type="measurement_schedule",
                 object_id=row.id, detail={"team_id": team_id}, **audit.actor(by, source_ip))
    return row
