"""The dashboard's reads: one frame per referral, per onward referral, per need and per open
episode, in the columns ``domain`` computes from.

Only what an aggregate needs leaves the database (ids, codes, dates, sex, ethnicity, LSOA):
never names, NHS numbers, postcodes or notes. Dates cross as text and are parsed in bulk,
as the evaluation's ``--db`` reader does.
"""

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from linkwell.auth.models import Team
from linkwell.casework.domain import AppointmentOutcome
from linkwell.casework.models import Appointment
from linkwell.charts import BoroughShape, Chart
from linkwell.commissioning import queries as commissioning_queries
from linkwell.commissioning.models import CombinedValueVersion, CommissionVersion
from linkwell.directory.models import Organization, OrganizationIdentifier, Service
from linkwell.directory.organisations import ODS_SCHEME
from linkwell.evaluation.db_inputs import lsoa_from_db, measurements_from_db
from linkwell.evaluation.disclosure import Audience
from linkwell.geo.models import Lsoa
from linkwell.insights import charts
from linkwell.insights.costs import ProgrammeCost, programme_cost
from linkwell.insights.domain import Dashboard, Filters, Frames, build, prepare
from linkwell.insights.models import CommunityOutcome, InsightsSubscription, SystemOutcome
from linkwell.outcomes.models import Measure
from linkwell.referrals.domain import Status
from linkwell.referrals.models import (
    Episode,
    EpisodeContact,
    Goal,
    Need,
    NeedsAssessment,
    OnwardReferral,
    Person,
    Referral,
    StatusEvent,
)

REFERRAL_COLUMNS = [
    "referral_id", "person_id", "created_at", "source", "status", "reasons", "team_id", "team_name",
    "team_kind", "practice", "sex", "birth_date", "ethnicity", "lsoa11cd", "lad_code",
    "imd_decile", "episode_id", "opened_at", "link_worker_id", "closed_at", "closure_reason",
    "first_contact_at", "first_goal_at", "onward_referrals", "decline_reason",
    "first_appointment_at", "attended", "did_not_attend"]
ONWARD_COLUMNS = ["referral_id", "service", "provider", "status", "sent_at", "responded_at"]


def _text(column):
    return cast(column, String)


def _labelled(columns: list[str], *expressions):
    """A SELECT whose columns carry the frame's names (two subqueries may share one)."""
    return select(*(e.label(name) for e, name in zip(expressions, columns, strict=True)))


def _frame(session: Session, statement, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(statement).all(), columns=columns)


def _times(frame: pd.DataFrame, *columns: str) -> None:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")


def referrals(session: Session) -> pd.DataFrame:
    """One row per referral with its funnel dates, the practice that referred (ODS code)
    and the person's characteristics at referral."""
    first_contact = (select(EpisodeContact.episode_id,
                            func.min(EpisodeContact.occurred_at).label("at"))
                     .group_by(EpisodeContact.episode_id).subquery())
    first_goal = (select(Goal.episode_id, func.min(Goal.agreed_at).label("at"))
                  .group_by(Goal.episode_id).subquery())
    onward = (select(OnwardReferral.episode_id, func.count().label("n"))
              .group_by(OnwardReferral.episode_id).subquery())
    practice = (select(OrganizationIdentifier.organization_id,
                       func.min(OrganizationIdentifier.identifier).label("ods"))
                .where(OrganizationIdentifier.identifier_scheme == ODS_SCHEME)
                .group_by(OrganizationIdentifier.organization_id).subquery())
    held = Appointment.outcome == AppointmentOutcome.ATTENDED.value
    missed = Appointment.outcome == AppointmentOutcome.DID_NOT_ATTEND.value
    appointment = (select(Appointment.episode_id,
                          func.min(case((held, Appointment.starts_at))).label("first"),
                          func.sum(case((held, 1), else_=0)).label("attended"),
                          func.sum(case((missed, 1), else_=0)).label("missed"))
                   .group_by(Appointment.episode_id).subquery())
    declined = (select(StatusEvent.object_id, func.max(StatusEvent.reason).label("reason"))
                .where(StatusEvent.object_type == "referral",
                       StatusEvent.to_status == Status.REJECTED.value)
                .group_by(StatusEvent.object_id).subquery())
    statement = (
        _labelled(REFERRAL_COLUMNS, Referral.id, Referral.person_id,
                  _text(Referral.created_at), Referral.source, Referral.status, Referral.reasons,
                  Referral.team_id, Team.name, Team.kind, practice.c.ods,
                  Person.sex, _text(Person.birth_date), Person.ethnicity, Person.lsoa11cd,
                  func.coalesce(Lsoa.lad_code, Person.lad_code), Lsoa.imd_decile, Episode.id,
                  _text(Episode.opened_at), Episode.link_worker_id, _text(Episode.closed_at),
                  Episode.closure_reason, _text(first_contact.c.at), _text(first_goal.c.at),
                  func.coalesce(onward.c.n, 0), declined.c.reason, _text(appointment.c.first),
                  func.coalesce(appointment.c.attended, 0),
                  func.coalesce(appointment.c.missed, 0))
        .join(Person, Person.id == Referral.person_id)
        .outerjoin(Lsoa, Lsoa.lsoa11cd == Person.lsoa11cd)
        .outerjoin(Team, Team.id == Referral.team_id)
        .outerjoin(practice, practice.c.organization_id == Referral.referrer_organization_id)
        .outerjoin(Episode, Episode.referral_id == Referral.id)
        .outerjoin(first_contact, first_contact.c.episode_id == Episode.id)
        .outerjoin(first_goal, first_goal.c.episode_id == Episode.id)
        .outerjoin(onward, onward.c.episode_id == Episode.id)
        .outerjoin(declined, declined.c.object_id == Referral.id)
        .outerjoin(appointment, appointment.c.episode_id == Episode.id)
        .order_by(Referral.id))
    frame = _frame(session, statement, REFERRAL_COLUMNS)
    _times(frame, "created_at", "opened_at", "closed_at", "first_contact_at", "first_goal_at",
           "first_appointment_at")
    frame["birth_date"] = pd.to_datetime(frame["birth_date"], format="ISO8601")
    frame["imd_decile"] = frame["imd_decile"].astype("Int64")
    for column in ("onward_referrals", "attended", "did_not_attend"):
        frame[column] = frame[column].astype("int64")
    return frame


def onward_referrals(session: Session) -> pd.DataFrame:
    """One row per onward referral, keyed by the referral it came from (for the filters)."""
    statement = (
        _labelled(ONWARD_COLUMNS, Episode.referral_id, Service.name, Organization.name,
                  OnwardReferral.status, _text(OnwardReferral.sent_at),
                  _text(OnwardReferral.responded_at))
        .join(Episode, Episode.id == OnwardReferral.episode_id)
        .join(Service, Service.id == OnwardReferral.service_id)
        .join(Organization, Organization.id == OnwardReferral.organization_id)
        .order_by(OnwardReferral.id))
    frame = _frame(session, statement, ONWARD_COLUMNS)
    _times(frame, "sent_at", "responded_at")
    return frame


def needs(session: Session) -> pd.DataFrame:
    """The needs domains scored at each episode's first assessment, keyed by referral."""
    first = (select(NeedsAssessment.episode_id, func.min(NeedsAssessment.id).label("id"))
             .group_by(NeedsAssessment.episode_id).subquery())
    statement = (select(Episode.referral_id, Need.domain, Need.score)
                 .join(first, first.c.id == Need.assessment_id)
                 .join(Episode, Episode.id == first.c.episode_id)
                 .order_by(Need.id))
    return _frame(session, statement, ["referral_id", "domain", "score"])


def teams(session: Session) -> pd.DataFrame:
    """Every team with its kind and caseload capacity (the filters' choices and capacity)."""
    return _frame(session, select(Team.id, Team.name, Team.kind, Team.caseload_capacity,
                                  Team.lad_code).order_by(Team.name),
                  ["team_id", "name", "kind", "caseload_capacity", "lad_code"])


def subscribed(session: Session, user_id: int) -> bool:
    """Whether the user asked for the dashboard by e-mail each month."""
    return session.get(InsightsSubscription, user_id) is not None


def community_outcomes(session: Session) -> pd.DataFrame:
    return _frame(session, select(CommunityOutcome.team_id, CommunityOutcome.kind,
                                  CommunityOutcome.month, CommunityOutcome.count),
                  ["team_id", "kind", "month", "count"])


def system_outcomes(session: Session) -> pd.DataFrame:
    """Counts per person and period (person ids only: no NHS numbers leave the database)."""
    return _frame(session, select(SystemOutcome.person_id, SystemOutcome.measure,
                                  SystemOutcome.period_start, SystemOutcome.period_end,
                                  SystemOutcome.relative, SystemOutcome.count),
                  ["person_id", "measure", "period_start", "period_end", "relative", "count"])


def lsoa(session: Session) -> pd.DataFrame:
    """The LSOA reference data (population at need for the equity comparison)."""
    return lsoa_from_db(session)


def programme_costs(session: Session) -> list[ProgrammeCost]:
    """Each programme's delivery and research cost as it stands today."""
    return [programme_cost(commissioning_queries.programme_state(session, p.slug))
            for p in commissioning_queries.programmes(session)]


def borough_names(session: Session) -> dict[str, str]:
    rows = session.execute(select(Lsoa.lad_code, func.min(Lsoa.lad_name))
                           .group_by(Lsoa.lad_code)).all()
    return {code: name for code, name in rows}


def fingerprint(session: Session) -> tuple:
    """Changes whenever a row the dashboard reads is added or changes status (or an
    instrument measure is added or completed): the key under which a serving process may
    keep the frames it read."""
    return tuple(session.execute(select(*(
        select(func.max(column)).scalar_subquery()
        for column in (Referral.id, StatusEvent.id, Episode.id, EpisodeContact.id, Goal.id,
                       Need.id, OnwardReferral.id, Appointment.id)),
        select(func.coalesce(func.sum(Appointment.version), 0)).scalar_subquery(),
        select(func.max(CommissionVersion.id)).scalar_subquery(),
        select(func.max(CommunityOutcome.id)).scalar_subquery(),
        select(func.max(SystemOutcome.id)).scalar_subquery(),
        select(func.max(CombinedValueVersion.id)).scalar_subquery(),
        select(func.max(Measure.id)).scalar_subquery(),
        select(func.count()).select_from(Measure).where(Measure.complete.is_(True))
        .scalar_subquery(),
        select(func.count()).select_from(Episode).where(Episode.closed_at.is_not(None))
        .scalar_subquery())).one())


_KEPT: dict[tuple, Frames] = {}
_BUILT: dict[tuple, Dashboard] = {}
_CHARTS: dict[tuple, Chart | None] = {}
_NOT_KEPT = object()
BUILT_KEPT = 64  # dashboards kept per state of the data (filters x audience x hour)
PRECOMPUTED: tuple[Audience, ...] = ("commissioner", "evaluator")


def frames(session: Session, now: datetime | None = None) -> Frames:
    """The dashboard's frames, read once per change of the data (``fingerprint``) and kept
    by the serving process: a filter change then costs only the computation in memory. When
    they are read, the first view (no filters) is computed for each audience and kept, so the
    page most people open is served precomputed."""
    engine = session.get_bind()
    key = (id(engine), str(engine.url), fingerprint(session))
    kept = _KEPT.get(key)
    if kept is None:
        kept = prepare(Frames(referrals=referrals(session), onward=onward_referrals(session),
                              needs=needs(session), teams=teams(session), lsoa=lsoa(session),
                              borough_names=borough_names(session),
                              costs=programme_costs(session),
                              community=community_outcomes(session),
                              system=system_outcomes(session),
                              measures=measurements_from_db(session)))
        _KEPT.clear()
        _BUILT.clear()
        _CHARTS.clear()
        _KEPT[key] = kept
        if now is not None:
            precompute(kept, now)
    return kept


def precompute(kept: Frames, now: datetime) -> None:
    """Compute the first view (no filters) for every audience and keep it."""
    for audience in PRECOMPUTED:
        served(kept, Filters(), audience, now)


def served(kept: Frames, filters: Filters, audience: Audience, now: datetime) -> Dashboard:
    """The dashboard for the filters from kept frames; the same filters and audience within
    the same hour, on unchanged data, are served as computed. Waiting times are measured from
    the start of the hour, so a kept dashboard is never more than an hour behind the clock."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = (id(kept), filters, audience, hour)
    built = _BUILT.get(key)
    if built is None:
        built = build(kept, filters, audience, hour)
        if len(_BUILT) >= BUILT_KEPT:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = built
    return built


def lsoa_chart(kept: Frames, filters: Filters, audience: Audience,
               shapes: Sequence[BoroughShape]) -> Chart | None:
    """The reach-by-neighbourhood map for the filters, kept like the dashboards: it counts
    the people of every selected referral by LSOA, a quarter of a second at a million."""
    key = (id(kept), filters, audience, tuple(s.lad_code for s in shapes))
    chart = _CHARTS.get(key, _NOT_KEPT)
    if chart is _NOT_KEPT:
        chart = charts.lsoa_map(kept, filters, audience, shapes)
        if len(_CHARTS) >= BUILT_KEPT:
            _CHARTS.clear()  # one step, safe beside another request's thread
        _CHARTS[key] = chart
    return chart


def dashboard(session: Session, filters: Filters, audience: Audience,
              now: datetime) -> Dashboard:
    """The dashboard for the filters, as the page and the exports show it."""
    return served(frames(session, now), filters, audience, now)
