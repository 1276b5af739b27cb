"""The ``--db`` mode: the evaluation's inputs read from Linkwell's own tables.

Each reader returns a frame in the columns of the file contract (``inputs.py``), so the
database and files share one checker and one engine. Only what an aggregate analysis needs
leaves the database: internal ids, sex, age at referral, ethnicity, home LSOA, dates and
scores — never names, NHS numbers or postcodes.
"""

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from linkwell.auth.models import Team
from linkwell.directory.models import Attribute, Location, Service, ServiceAtLocation, TaxonomyTerm
from linkwell.errors import InvalidInput, NotFound
from linkwell.evaluation.inputs import EvaluationInput, load
from linkwell.geo.models import Lsoa
from linkwell.geo.queries import borough_shapes
from linkwell.outcomes.models import Instrument, Measure
from linkwell.referrals.domain import NEED_TAXONOMY_CODES
from linkwell.referrals.models import Episode, Person, Referral

LSOA_FIELDS = ("lsoa11cd", "lad_code", "lad_name", "imd_decile", "population_total",
               "population_0_15", "population_16_59", "population_60_plus", "centroid_lat",
               "centroid_lon")
# An episode counts as completed when the link worker closed it because the goals were met.
COMPLETED_CLOSURES = ("goals-met",)
# Outcomes instruments scored whole; ONS4 is evaluated item by item (see ``instruments.py``).
WHOLE_INSTRUMENTS = ("wemwbs", "swemwbs", "ucla3")
ONS4_ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
MEASURE_TIMEPOINTS = ("baseline", "follow_up", "closure")  # Measure.timepoint
SIMULATED = "simulated"  # Referral.source and Measure.source of ``demo-data --people``


def lsoa_from_db(session: Session) -> pd.DataFrame:
    """The loaded LSOA reference data, in the columns ``inputs.load(lsoa=...)`` expects."""
    columns = [getattr(Lsoa, name) for name in LSOA_FIELDS]
    rows = session.execute(select(*columns).order_by(Lsoa.lsoa11cd)).all()
    return pd.DataFrame(rows, columns=list(LSOA_FIELDS))


def boroughs_from_db(session: Session) -> dict | None:
    """Borough boundaries as a GeoJSON FeatureCollection (None before any are loaded)."""
    shapes = borough_shapes(session)
    if not shapes:
        return None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"LAD22CD": s.lad_code, "LAD22NM": s.name},
         "geometry": s.geometry} for s in shapes]}


def _as_text(column):
    """Dates and timestamps cross as text and are parsed in bulk by pandas: per-row Python
    date objects would cost a minute for a million referrals."""
    return cast(column, String)


def _driver_rows(session: Session, statement) -> list[tuple]:
    """Rows straight from the driver's cursor. The statements here hold only constants from
    this module, so they are compiled with literal values; skipping SQLAlchemy's per-row
    result processing turns a minute into seconds for a million referrals."""
    sql = str(statement.compile(bind=session.get_bind(),
                                compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _timestamps(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, utc=True, format="ISO8601")


def _age_at(birth: pd.Series, on: pd.Series) -> np.ndarray:
    """Whole years of age on a date (birthday not yet reached that year counts one less)."""
    before_birthday = (on.dt.month < birth.dt.month) | ((on.dt.month == birth.dt.month)
                                                        & (on.dt.day < birth.dt.day))
    return (on.dt.year - birth.dt.year - before_birthday.astype(int)).to_numpy()


def people_from_db(session: Session) -> pd.DataFrame:
    """One row per referral: the people file's columns, and whether the episode completed."""
    completed = Episode.closure_reason.in_(COMPLETED_CLOSURES) & Episode.closed_at.is_not(None)
    rows = _driver_rows(session, (
        select(Referral.person_id, Person.sex, _as_text(Person.birth_date), Person.ethnicity,
               Person.lsoa11cd, _as_text(Referral.created_at),
               func.coalesce(completed, False))
        .join(Person, Person.id == Referral.person_id)
        .outerjoin(Episode, Episode.referral_id == Referral.id)
        .order_by(Referral.id)))
    frame = pd.DataFrame.from_records(rows, columns=["person_id", "sex", "birth_date", "ethnicity",
                                        "lsoa11cd", "created_at", "episode_completed"])
    referred_on = _timestamps(frame["created_at"]).dt.tz_localize(None).dt.normalize()
    birth = pd.to_datetime(frame["birth_date"], format="ISO8601")
    return pd.DataFrame({
        "person_id": frame["person_id"],
        "sex": frame["sex"].fillna(""),
        "age": _age_at(birth, referred_on),
        "ethnicity": frame["ethnicity"].fillna(""),
        "lsoa11cd": frame["lsoa11cd"].fillna(""),
        "referred_on": referred_on,
        "episode_completed": frame["episode_completed"].astype(bool),
    })


def measurements_from_db(session: Session) -> pd.DataFrame:
    """Complete measures as the measurements file's rows. A measure at closure stands in as
    the follow-up for an episode and instrument that has no scheduled follow-up.

    Instruments and timepoints cross as small integers (categoricals here): millions of
    repeated strings would dominate the read."""
    keys = dict(session.execute(select(Instrument.id, Instrument.key)).all())
    wanted = {i: k for i, k in keys.items() if k in (*WHOLE_INSTRUMENTS, "ons4")}
    if not wanted:
        return pd.DataFrame(columns=["person_id", "episode_id", "instrument", "timepoint",
                                     "measured_on", "score"])
    timepoint = case({t: i for i, t in enumerate(MEASURE_TIMEPOINTS)}, value=Measure.timepoint,
                     else_=-1)
    base = (select(Episode.person_id, Measure.episode_id, Measure.instrument_id, timepoint,
                   _as_text(Measure.measured_on))
            .join(Episode, Episode.id == Measure.episode_id)
            .where(Measure.complete.is_(True)))
    columns = ["person_id", "episode_id", "instrument_id", "timepoint", "measured_on"]
    whole = pd.DataFrame.from_records(_driver_rows(session, base.add_columns(
        func.coalesce(Measure.metric_score, Measure.raw_score)).where(
        Measure.instrument_id.in_([i for i, k in wanted.items() if k != "ons4"]))),
        columns=[*columns, "score"])
    whole["instrument"] = whole.pop("instrument_id").map(wanted)
    # ONS4 items are read out of the JSON in SQL (json_extract / #>>) rather than per row.
    item_columns = [Measure.item_scores[(item, "score")].as_float() for item in ONS4_ITEMS]
    ons = pd.DataFrame.from_records(_driver_rows(session, base.add_columns(*item_columns).where(
        Measure.instrument_id.in_([i for i, k in wanted.items() if k == "ons4"]))),
        columns=columns + list(ONS4_ITEMS)).drop(columns="instrument_id")
    items = ons.melt(id_vars=columns[:2] + columns[3:], value_vars=list(ONS4_ITEMS),
                     var_name="instrument", value_name="score")
    items["instrument"] = "ons4_" + items["instrument"]
    frame = pd.concat([whole, items], ignore_index=True)
    # An empty part (no ONS4 measure, or none of the others) leaves its columns as objects.
    frame = frame.astype({"timepoint": np.int64, "score": float})
    frame = frame[frame["score"].notna() & (frame["timepoint"] >= 0)]
    frame["instrument"] = frame["instrument"].astype("category")
    follow_up, closure = (MEASURE_TIMEPOINTS.index(t) for t in ("follow_up", "closure"))
    key = ["episode_id", "instrument"]
    followed = frame.loc[frame["timepoint"] == follow_up, key].drop_duplicates()
    at_closure = (frame["timepoint"] == closure).to_numpy()
    has_follow_up = frame.set_index(key).index.isin(pd.MultiIndex.from_frame(followed))
    frame = frame[~at_closure | ~has_follow_up].copy()
    frame["timepoint"] = pd.Categorical.from_codes(
        np.where(frame["timepoint"] == closure, follow_up, frame["timepoint"]),
        categories=list(MEASURE_TIMEPOINTS))
    frame["measured_on"] = pd.to_datetime(frame["measured_on"], format="ISO8601")
    return frame[["person_id", "episode_id", "instrument", "timepoint", "measured_on",
                  "score"]].reset_index(drop=True)


def services_from_db(session: Session) -> pd.DataFrame:
    """Each service location with a needs domain its taxonomy terms serve (the access analysis
    measures distance to the nearest one per domain)."""
    domain_of = {code: need for need, codes in NEED_TAXONOMY_CODES.items() for code in codes}
    rows = session.execute(
        select(Service.id, TaxonomyTerm.code, Location.latitude, Location.longitude,
               Service.status)
        .join(Attribute, (Attribute.link_id == Service.id) & (Attribute.link_entity == "service"))
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(TaxonomyTerm.code.in_(list(domain_of)), Location.latitude.is_not(None),
               Location.longitude.is_not(None))).all()
    frame = pd.DataFrame(rows, columns=["service_id", "code", "latitude", "longitude",
                                        "status"])
    frame["need_category"] = frame.pop("code").map(domain_of)
    return frame.drop_duplicates().reset_index(drop=True)


def capacity_from_db(session: Session) -> pd.DataFrame:
    """Caseload places per borough, from the teams that record them."""
    rows = session.execute(
        select(Team.lad_code, func.sum(Team.caseload_capacity))
        .where(Team.lad_code.is_not(None), Team.caseload_capacity.is_not(None))
        .group_by(Team.lad_code).order_by(Team.lad_code)).all()
    return pd.DataFrame(rows, columns=["lad_code", "caseload_places"])


def funding_from_db(session: Session, programme: str | None,
                    as_of: date | None = None) -> tuple[pd.DataFrame | None, list[str]]:
    """The programme's known delivery cost (commissions recorded as delivering the service:
    link worker posts, grants to providers) as the cost analysis's funding line, and notes on
    what it leaves out. Research, evaluation and review commissions never enter it. Without
    ``programme``, the only programme if there is one."""
    from linkwell.commissioning import models as cm
    from linkwell.commissioning.queries import programme_delivery_cost

    if programme is None:
        slugs = session.scalars(select(cm.Programme.slug).order_by(cm.Programme.slug)).all()
        if len(slugs) != 1:
            return None, ([f"Cost not estimated: {len(slugs)} programmes are recorded; name "
                           "one with --programme."] if slugs else [])
        programme = slugs[0]
    cost = programme_delivery_cost(session, programme, as_of)
    notes = [f"Cost is the known delivery cost of programme '{programme}' (commissions "
             "recorded as delivering the service); people are every referral in the "
             "database."]
    if cost.research_known_pence:
        notes.append(f"Research, evaluation and review commissions of that programme "
                     f"(£{cost.research_known_pence / 100:,.0f}) are left out of the costs.")
    if cost.unknown_count:
        unknown = cost.unknown_count
        notes.append(f"{unknown} delivery value{'s' if unknown > 1 else ''} of that "
                     f"programme {'are' if unknown > 1 else 'is'} not known, so the costs are "
                     "lower bounds.")
    if not cost.known_pence:
        return None, [*notes, "Cost not estimated: no delivery cost is recorded for the "
                              "programme."]
    return pd.DataFrame({"label": ["Delivery: " + "; ".join(cost.titles)],
                         "total_pence": [cost.known_pence]}), notes


def load_from_db(session: Session, *, programme: str | None = None,
                 as_of: date | None = None) -> EvaluationInput:
    """Every input the database holds, checked as files are."""
    lsoa = lsoa_from_db(session)
    if lsoa.empty:
        raise InvalidInput("No LSOA reference data in the database: run `linkwell geo load` "
                           "(or `linkwell geo fetch`) first.")
    people = people_from_db(session)
    if people.empty:
        raise NotFound("No referrals in the database to evaluate.")
    services, capacity = services_from_db(session), capacity_from_db(session)
    funding, notes = funding_from_db(session, programme, as_of)
    frames = load(people=people, measurements=measurements_from_db(session), lsoa=lsoa,
                  services=None if services.empty else services,
                  capacity=None if capacity.empty else capacity, funding=funding,
                  boroughs=boroughs_from_db(session))
    simulated = session.scalar(select(func.count()).select_from(Referral)
                               .where(Referral.source == SIMULATED))
    if simulated:
        notes.append(f"{simulated:,} of the referrals are simulated demo data "
                     "(`linkwell demo-data --people`), not real people.")
    frames.notes.extend(notes)
    return frames
