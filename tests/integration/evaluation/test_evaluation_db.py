"""The database mode end to end on SQLite and PostgreSQL: a simulated cohort inserted by
``demo-data --people``, read back by ``load_from_db`` and evaluated, from the CLI and as a
stored run."""

import json

import pytest
from sqlalchemy import delete, func, select, update

from conftest import invoke_cli
from evaluation_factories import add_lsoas, simulated_cohort
from linkwell.errors import InvalidInput, NotFound
from linkwell.evaluation import runs
from linkwell.evaluation.db_inputs import load_from_db, measurements_from_db, people_from_db
from linkwell.evaluation.engine import evaluate
from linkwell.outcomes.models import Instrument, Measure
from linkwell.referrals.models import Episode, Person, Referral

PEOPLE = 400


@pytest.fixture
def cohort(session):
    summary = simulated_cohort(session, people=PEOPLE, seed=5)
    assert summary.startswith(f"{PEOPLE} simulated people")
    return session


def test_simulated_cohort_is_marked_and_on_nobodys_caseload(cohort):
    from conftest import make_user
    from linkwell.referrals.queries import CASELOAD_VIEWS, caseload
    from linkwell.settings import Settings
    from referrals_factories import make_team

    session = cohort
    assert session.scalar(select(func.count()).select_from(Referral)
                          .where(Referral.source == "simulated")) == PEOPLE
    session.commit()
    team = make_team(session, name="Lewisham PCN", lad_code="E09000023")
    worker = make_user(session, "link_worker", team_id=team.id, password=None)
    unrouted = make_user(session, "link_worker", password=None)  # sees unrouted referrals
    for by in (worker, unrouted):
        with session.begin():
            for view in CASELOAD_VIEWS:
                assert caseload(session, by=by, settings=Settings(secret_key="x" * 32),
                                view=view) == []
    assert session.scalar(select(func.count()).select_from(Person)
                          .where(Person.nhs_number.is_not(None))) == 0
    assert set(session.scalars(select(Measure.source).distinct())) == {"simulated"}


def test_people_from_db_gives_age_at_referral_and_completion(cohort):
    people = people_from_db(cohort)
    assert len(people) == PEOPLE
    assert people["age"].between(11, 104).all()
    completed = cohort.scalar(select(func.count()).select_from(Episode)
                              .where(Episode.closure_reason == "goals-met"))
    assert people["episode_completed"].sum() == completed > 0


def test_ons4_measures_become_four_items(cohort):
    frame = measurements_from_db(cohort)
    ons = frame[frame["instrument"].str.startswith("ons4_")]
    counts = ons.groupby(["episode_id", "timepoint"])["instrument"].nunique()
    # Every baseline answered all four; the simulation loses follow-ups item by item.
    assert len(counts) and (counts.xs("baseline", level="timepoint") == 4).all()
    assert counts.between(1, 4).all()


def test_measures_read_without_any_ons4(cohort):
    """With no ONS4 measure recorded (only whole-scale instruments), the timepoints still
    read as categories (they failed: the empty ONS4 part made the codes Python objects)."""
    session = cohort
    ons4 = session.scalar(select(Instrument.id).where(Instrument.key == "ons4"))
    session.execute(delete(Measure).where(Measure.instrument_id == ons4))
    session.commit()
    frame = measurements_from_db(session)
    assert len(frame) and not frame["instrument"].str.startswith("ons4_").any()
    assert set(frame["timepoint"]) <= {"baseline", "follow_up"}


def test_closure_measure_stands_in_only_where_there_is_no_follow_up(cohort):
    session = cohort
    follow_ups = session.scalars(select(Measure).where(Measure.timepoint == "follow_up")
                                 .order_by(Measure.id).limit(2)).all()
    lone, doubled = follow_ups
    session.execute(update(Measure).where(Measure.id == lone.id).values(timepoint="closure"))
    extra = {c.name: getattr(doubled, c.name) for c in Measure.__table__.columns
             if c.name != "id"}
    session.add(Measure(**dict(extra, timepoint="closure")))
    session.commit()
    frame = measurements_from_db(session)
    assert "closure" not in set(frame["timepoint"])
    mine = frame[frame["episode_id"] == lone.episode_id]
    assert (mine["timepoint"] == "follow_up").sum() >= 1
    assert len(frame[(frame["episode_id"] == doubled.episode_id)
                     & (frame["timepoint"] == "follow_up")]) == len(
        frame[(frame["episode_id"] == doubled.episode_id)
              & (frame["timepoint"] == "baseline")])


def test_load_from_db_feeds_the_engine_with_a_note_on_simulation(cohort):
    frames = load_from_db(cohort)
    result = evaluate(frames, audience="commissioner", with_psm=False)
    assert result["reach"]["totals"]["people"] == PEOPLE
    assert result["outcomes"]["swemwbs"]["n_paired"] >= 10
    assert any("simulated" in note for note in result["notes"])
    assert result["cost"] == {"available": False, "reason": "no funding data supplied"}


def test_load_from_db_explains_what_is_missing(session):
    with pytest.raises(InvalidInput, match="geo load"):
        load_from_db(session)
    session.rollback()
    add_lsoas(session)
    with pytest.raises(NotFound, match="No referrals"):
        load_from_db(session)


def test_evaluate_db_cli_writes_json(cohort, database_url, tmp_path, monkeypatch):
    out = tmp_path / "out.json"
    result = invoke_cli(monkeypatch, "evaluate", "--db", "--json", str(out), "--audience",
                        "public", database_url=database_url)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["audience"] == "public" and data["reach"]["totals"]["people"] == PEOPLE


def test_evaluate_db_refuses_files_beside_it(tmp_path, monkeypatch):
    result = invoke_cli(monkeypatch, "evaluate", "--db", "--people", "p.csv", "--json",
                        str(tmp_path / "o.json"))
    assert result.exit_code == 2 and "give no files" in result.output


def test_a_stored_run_is_shown_per_audience(cohort, session_factory):
    from conftest import make_user

    evaluator = make_user(cohort, "evaluator")
    cohort.commit()
    with cohort.begin():
        run, created = runs.start(cohort, by=evaluator)
    assert created
    with cohort.begin():
        again, created_again = runs.start(cohort, by=evaluator)
    assert again.id == run.id and not created_again  # one run at a time
    runs.execute(session_factory, run.id)
    with session_factory() as fresh:
        done, pending = runs.latest(fresh)
        assert done.id == run.id and pending is None
        full = runs.result_for(fresh, run.id, "evaluator")
        shown = runs.result_for(fresh, run.id, "public")
    assert full["reach"]["totals"]["people"] == PEOPLE
    assert shown["audience"] == "public"
    assert all(isinstance(r["people"], str) or r["people"] % 5 == 0
               for r in shown["reach"]["by_imd_decile"])


def test_a_failed_run_keeps_its_reason(session, session_factory):
    from conftest import make_user

    admin = make_user(session, "admin")
    session.commit()
    with session.begin():
        run, _ = runs.start(session, by=admin)
    runs.execute(session_factory, run.id)
    with session_factory() as fresh:
        done, pending = runs.latest(fresh)
    assert done is None and pending.status == "failed" and "geo load" in pending.error


def test_demo_data_stores_a_run_in_its_own_transaction(cohort):
    with cohort.begin():
        run = runs.run_now(cohort)
    assert run.status == "done" and run.requested_by_id is None
    assert run.result["reach"]["totals"]["people"] == PEOPLE
    assert {"read", "reach", "outcomes"} <= set(run.timings)


def test_real_referrals_are_never_routed_to_the_simulated_team(cohort):
    from conftest import make_user
    from referrals_factories import submit

    referrer = make_user(cohort, "referrer", password=None)
    cohort.commit()
    referral = submit(cohort, referrer, postcode=None)  # no borough: the first team would do
    assert referral.team_id is None  # the simulated cohort's team is never chosen


def test_a_run_cut_off_by_a_restart_does_not_block_the_next(session):
    from datetime import UTC, datetime, timedelta

    from conftest import make_user
    from linkwell.evaluation.models import EvaluationRun

    evaluator = make_user(session, "evaluator")
    session.commit()
    with session.begin():
        session.add(EvaluationRun(requested_by_id=evaluator.id, status="running",
                                  requested_at=datetime.now(UTC) - timedelta(hours=2)))
    with session.begin():
        run, created = runs.start(session, by=evaluator)
    assert created
    old = session.scalars(select(runs.EvaluationRun).order_by(runs.EvaluationRun.id)).first()
    assert old.status == "failed" and "cut off" in old.error
    assert runs.is_running(run) and not runs.is_running(old)


def test_cost_uses_delivery_cost_only(session):
    """Issue 22: research, evaluation and review commissions never enter cost per person."""
    from linkwell.commissioning import commands
    from linkwell.commissioning import demo as commissioning_demo
    from linkwell.evaluation.db_inputs import funding_from_db

    with session.begin():
        commissioning_demo.load_demo(session)
    session.rollback()
    funding, notes = funding_from_db(session, None)
    assert funding is None
    assert any("no delivery cost" in note for note in notes)
    assert any("left out" in note for note in notes)
    session.rollback()
    with session.begin():
        commands.save_commission(session, commissioning_demo.SLUG, title="Link worker posts",
                                 kind="service", status="commissioned", value="120000")
    funding, notes = funding_from_db(session, None)
    assert list(funding["total_pence"]) == [12_000_000]
    assert "Link worker posts" in funding["label"].iloc[0]
