"""``linkwell demo-data --people N [--with-outcomes]``: a simulated cohort in the database, so
the evaluation (``linkwell evaluate --db``, ``/evaluation``) has something realistic to chew on.

The cohort comes from ``simulate`` (known effect by IMD quintile, realistic attrition) and is
bulk-inserted in chunks: people, their referrals and, with outcomes, an episode each and the
wellbeing measures. Every row is marked as simulated (``Referral.source`` and ``Measure.source``
are ``simulated``), belongs to the "Simulated cohort" team, which has no link workers (a
referral with no team would be on every link worker's list), and carries no real name, NHS
number or contact details.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from linkwell.auth.models import SIMULATED_TEAM_KIND, Team
from linkwell.evaluation.db_inputs import ONS4_ITEMS, SIMULATED, lsoa_from_db
from linkwell.evaluation.simulate import simulate
from linkwell.outcomes.commands import current_version, sync_builtin_instruments
from linkwell.outcomes.models import Measure
from linkwell.referrals.domain import Status
from linkwell.referrals.models import Episode, Person, Referral

CHUNK = 20_000  # people per insert batch: bounded memory whatever N is
EPISODE_DAYS = 160  # a completed episode closes after its follow-up measures
SWEMWBS_METRIC = "swemwbs"  # simulated SWEMWBS scores are on the metric scale already
SIMULATED_TEAM = "Simulated cohort (evaluation demo)"

Progress = Callable[[int], None]


def _chunks(n: int) -> Iterator[slice]:
    for start in range(0, n, CHUNK):
        yield slice(start, min(start + CHUNK, n))


def _birth_date(referred_on: date, age: int, days_before: int) -> date:
    """A birth date that makes the person exactly ``age`` on the referral date."""
    try:
        anniversary = referred_on.replace(year=referred_on.year - age)
    except ValueError:  # 29 February
        anniversary = referred_on.replace(year=referred_on.year - age, day=28)
    return anniversary - timedelta(days=days_before)


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


class _Ids:
    """Ids for bulk inserts, allocated after the table's highest: executemany then runs in
    large batches (RETURNING would force one statement per row on SQLite). PostgreSQL's
    sequence is moved past them afterwards."""

    def __init__(self, session: Session, table):
        self.session, self.table = session, table
        self.next = (session.scalar(select(func.max(table.c.id))) or 0) + 1

    def insert(self, rows: list[dict]) -> np.ndarray:
        ids = np.arange(self.next, self.next + len(rows), dtype=np.int64)
        for row, row_id in zip(rows, ids.tolist(), strict=True):
            row["id"] = row_id
        self.session.execute(insert(self.table), rows)
        self.next += len(rows)
        return ids

    def sync_sequence(self) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            name = self.table.name
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {name}))"))


def _measure(episode_id: int, version: tuple[int, int], timepoint: str, measured_on: date,
             now: datetime, **scores) -> dict:
    """A complete simulated Measure row; ``scores`` sets raw, metric or item scores."""
    return {"episode_id": episode_id, "instrument_id": version[0],
            "instrument_version_id": version[1], "timepoint": timepoint,
            "measured_on": measured_on, "answers": {}, "complete": True, "raw_score": None,
            "metric_score": None, "band": None, "item_scores": {}, "source": SIMULATED,
            "entered_by_id": None, "created_at": now, **scores}


def _measure_rows(frame: pd.DataFrame, episode_of: dict[str, int],
                  versions: dict[str, tuple[int, int]], now: datetime) -> list[dict]:
    """One Measure row per episode, instrument and timepoint; the ONS4 items become one
    ONS4 measure with item scores, as a link worker would have entered it."""
    rows = []
    whole = frame[~frame["instrument"].str.startswith("ons4_")]
    for person, instrument, timepoint, measured_on, score in whole[
            ["person_id", "instrument", "timepoint", "measured_on", "score"]].itertuples(
            index=False):
        scores = ({"metric_score": float(score)} if instrument == SWEMWBS_METRIC
                  else {"raw_score": int(score)})
        rows.append(_measure(episode_of[person], versions[instrument], timepoint, measured_on,
                             now, **scores))
    ons = frame[frame["instrument"].str.startswith("ons4_")]
    if not ons.empty:
        wide = ons.assign(item=ons["instrument"].str.removeprefix("ons4_")).pivot_table(
            index=["person_id", "timepoint"], columns="item", values="score", aggfunc="first")
        dates = ons.groupby(["person_id", "timepoint"])["measured_on"].first()
        for (person, timepoint), scores in wide.iterrows():
            items = {item: {"score": int(scores[item]), "band": None} for item in ONS4_ITEMS
                     if item in scores and not pd.isna(scores[item])}
            rows.append(_measure(episode_of[person], versions["ons4"], timepoint,
                                 dates[(person, timepoint)], now, item_scores=items))
    return rows


def _referral_status(completed: bool, with_outcomes: bool) -> str:
    """Without outcomes a simulated referral is still waiting; with them it is under way or,
    once the episode completed, done."""
    if not with_outcomes:
        return Status.REQUESTED.value
    return (Status.COMPLETED if completed else Status.IN_PROGRESS).value


def _simulated_team(session: Session) -> int:
    """The team that holds the simulated cohort: nobody works in it, no referral is routed to
    it and it records no capacity, so it changes no caseload and no capacity figure."""
    team_id = session.scalar(select(Team.id).where(Team.name == SIMULATED_TEAM))
    if team_id is None:
        team = Team(name=SIMULATED_TEAM, kind=SIMULATED_TEAM_KIND, lad_code=None,
                    caseload_capacity=None)
        session.add(team)
        session.flush()
        team_id = team.id
    return team_id


def create_simulated_cohort(session: Session, *, people: int, with_outcomes: bool, seed: int,
                            progress: Progress | None = None) -> str:
    """Insert ``people`` simulated people and referrals (and episodes and measures)."""
    lsoa = lsoa_from_db(session)
    if lsoa.empty:
        return "skipped: no LSOA reference data (run `linkwell geo load` first)"
    data = simulate(lsoa, people, seed=seed, with_extras=False)
    cohort = data.people.merge(lsoa[["lsoa11cd", "lad_code", "centroid_lat", "centroid_lon"]],
                               on="lsoa11cd", how="left")
    cohort["referred_on"] = pd.to_datetime(cohort["referred_on"]).dt.date
    rng = np.random.default_rng(seed + 1)
    days_before = rng.integers(1, 365, len(cohort))
    measurements = data.measurements
    measurements["measured_on"] = pd.to_datetime(measurements["measured_on"]).dt.date
    by_person = measurements.groupby("person_id", sort=False).indices if with_outcomes else {}
    versions = {}
    if with_outcomes:
        sync_builtin_instruments(session)
        for key in ("wemwbs", "swemwbs", "ucla3", "ons4"):
            version = current_version(session, key)
            versions[key] = (version.instrument_id, version.id)
        for item in ONS4_ITEMS:
            versions[f"ons4_{item}"] = versions["ons4"]
    now = datetime.now(UTC)
    team_id = _simulated_team(session)
    ids = {model: _Ids(session, model.__table__) for model in (Person, Referral, Episode,
                                                                Measure)}
    measures = episodes = 0
    for part in _chunks(len(cohort)):
        chunk = cohort.iloc[part]
        records = list(chunk[["person_id", "sex", "age", "ethnicity", "lsoa11cd", "lad_code",
                              "centroid_lat", "centroid_lon", "referred_on",
                              "episode_completed"]].itertuples(index=False))
        person_ids = ids[Person].insert([{
            "given_name": "Simulated", "family_name": f"Person {r.person_id}",
            "birth_date": _birth_date(r.referred_on, int(r.age), int(before)),
            "nhs_number": None, "postcode": None, "lsoa11cd": r.lsoa11cd, "lad_code": r.lad_code,
            "latitude": None if pd.isna(r.centroid_lat) else float(r.centroid_lat),
            "longitude": None if pd.isna(r.centroid_lon) else float(r.centroid_lon),
            "interpreter_needed": False, "sex": r.sex, "ethnicity": r.ethnicity or None,
            "match_key": f"{SIMULATED}|{r.person_id}", "created_at": _at_nine(r.referred_on)}
            for r, before in zip(records, days_before[part], strict=True)])
        referral_ids = ids[Referral].insert([{
            "person_id": int(person_id), "referrer_id": None, "team_id": team_id,
            "source": SIMULATED, "reasons": ["mental-wellbeing"], "notes": "",
            "consent_to_share": True, "consent_recorded_at": _at_nine(r.referred_on),
            "status": _referral_status(r.episode_completed, with_outcomes),
            "version": 1, "created_at": _at_nine(r.referred_on)}
            for person_id, r in zip(person_ids, records, strict=True)])
        if with_outcomes:
            episode_ids = ids[Episode].insert([{
                "person_id": int(person_id), "referral_id": int(referral_id),
                "team_id": team_id, "link_worker_id": None, "opened_at": _at_nine(r.referred_on),
                "last_contact_at": _at_nine(r.referred_on + timedelta(days=30)),
                "closed_at": _at_nine(r.referred_on + timedelta(days=EPISODE_DAYS))
                if r.episode_completed else None,
                "closure_reason": "goals-met" if r.episode_completed else None, "version": 1}
                for person_id, referral_id, r in zip(person_ids, referral_ids, records,
                                                     strict=True)])
            episodes += len(episode_ids)
            episode_of = dict(zip(chunk["person_id"], episode_ids.tolist(), strict=True))
            rows = [by_person[p] for p in chunk["person_id"] if p in by_person]
            if rows:
                taken = measurements.iloc[np.concatenate(rows)]
                measure_rows = _measure_rows(taken, episode_of, versions, now)
                ids[Measure].insert(measure_rows)
                measures += len(measure_rows)
        if progress:
            progress(len(chunk))
    for allocator in ids.values():
        allocator.sync_sequence()
    summary = f"{len(cohort)} simulated people and referrals"
    if with_outcomes:
        summary += f", {episodes} episodes, {measures} wellbeing measures"
    return summary + " (marked 'simulated'; in a team with no link workers)"
