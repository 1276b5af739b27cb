"""Measures, versions, one-time links and schedules in the database (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from linkwell.audit.models import AuditEvent
from linkwell.auth.policy import Refused
from linkwell.auth.roles import Role
from linkwell.errors import Conflict, Forbidden, InvalidInput, NotFound
from linkwell.outcomes import commands, queries
from linkwell.outcomes.models import InstrumentVersion, Measure, SelfCompletionLink
from linkwell.outcomes.schedule import Schedule, Timepoint
from outcomes_factories import make_episode, make_link_worker, make_team

SWEMWBS = {"1": 3, "2": 4, "3": 2, "6": 5, "7": 3, "9": 4, "11": 4}
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LOCAL = {
    "key": "confidence", "shortName": "Confidence", "name": "Confidence check",
    "options": [{"value": 1, "label": "No"}, {"value": 2, "label": "Sometimes"},
                {"value": 3, "label": "Yes"}],
    "items": [{"linkId": "meet", "text": "I feel confident meeting people"}],
    "scoring": {"rule": "single_item", "missingItems": "no_total", "meaningfulChange": 1},
}


@pytest.fixture
def team(session):
    return make_team(session)


@pytest.fixture
def worker(session, team):
    return make_link_worker(session, team.id)


@pytest.fixture
def episode(session, team):
    return make_episode(session, team_id=team.id)


def record(session, worker, episode, timepoint, on, answers=SWEMWBS, instrument="swemwbs"):
    with session.begin():
        return commands.record_measure(session, by=worker, episode_id=episode.id,
                                       instrument=instrument, timepoint=timepoint,
                                       measured_on=on, answers=answers, today=TODAY)


def test_record_measure_stores_answers_scores_and_version(session, worker, episode):
    measure = record(session, worker, episode, "baseline", date(2026, 1, 5))
    stored = session.get(Measure, measure.id)
    # SWEMWBS has no published cut points, so its score carries no band.
    assert (stored.raw_score, stored.metric_score, stored.band) == (25, 22.35, None)
    assert stored.complete is True
    assert stored.answers == SWEMWBS
    assert stored.version.instrument.key == "swemwbs"
    assert stored.version.version == "2"
    assert stored.source == "link_worker" and stored.entered_by_id == worker.id
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_type == "measure"))
    assert event.detail["timepoint"] == "baseline"
    assert "answers" not in event.detail


def test_record_incomplete_measure_keeps_it_without_a_total(session, worker, episode):
    measure = record(session, worker, episode, "baseline", date(2026, 1, 5),
                     answers={**SWEMWBS, "6": None})
    stored = session.get(Measure, measure.id)
    assert (stored.complete, stored.raw_score, stored.metric_score) == (False, None, None)
    assert stored.answers["6"] is None


def test_follow_up_before_baseline_is_refused_and_nothing_written(session, worker, episode):
    with pytest.raises(Conflict, match="baseline before a follow-up"):
        record(session, worker, episode, "follow_up", date(2026, 3, 1))
    assert session.scalar(select(func.count()).select_from(Measure)) == 0


def test_follow_up_dated_before_the_baseline_is_refused(session, worker, episode):
    record(session, worker, episode, "baseline", date(2026, 2, 1))
    with pytest.raises(Conflict, match="before the baseline"):
        record(session, worker, episode, "follow_up", date(2026, 1, 20))


def test_second_baseline_is_refused(session, worker, episode):
    record(session, worker, episode, "baseline", date(2026, 1, 5))
    with pytest.raises(Conflict, match="already has a swemwbs baseline"):
        record(session, worker, episode, "baseline", date(2026, 1, 6))


def test_out_of_range_answer_is_refused_naming_the_item(session, worker, episode):
    with pytest.raises(InvalidInput, match="linkId '9'"):
        record(session, worker, episode, "baseline", date(2026, 1, 5),
               answers={**SWEMWBS, "9": 7})
    assert session.scalar(select(func.count()).select_from(Measure)) == 0


def test_measure_in_the_future_is_refused(session, worker, episode):
    with pytest.raises(InvalidInput, match="future"):
        record(session, worker, episode, "baseline", TODAY + timedelta(days=1))


def test_unknown_timepoint_is_refused(session, worker, episode):
    with pytest.raises(InvalidInput, match="timepoint must be one of"):
        record(session, worker, episode, "midway", date(2026, 1, 5))


def test_link_worker_of_another_team_cannot_record(session, episode):
    other = make_link_worker(session, make_team(session).id)
    with pytest.raises(Refused):
        record(session, other, episode, "baseline", date(2026, 1, 5))


def test_self_completion_link_is_one_time(session, worker, episode):
    with session.begin():
        link, token = commands.create_self_completion_link(
            session, by=worker, episode_id=episode.id, instrument="swemwbs",
            timepoint="baseline", now=NOW)
    assert link.token_hash != token and len(link.token_hash) == 64
    with session.begin():
        measure = commands.submit_self_completion(session, token=token, answers=SWEMWBS,
                                                  now=NOW)
    assert (measure.source, measure.entered_by_id, measure.metric_score) == ("self", None,
                                                                             22.35)
    with pytest.raises(Conflict, match="already been submitted"), session.begin():
        commands.submit_self_completion(session, token=token, answers=SWEMWBS, now=NOW)
    assert session.scalar(select(func.count()).select_from(Measure)) == 1
    assert session.get(SelfCompletionLink, link.id).measure_id == measure.id


def test_self_completion_link_expires(session, worker, episode):
    with session.begin():
        _, token = commands.create_self_completion_link(
            session, by=worker, episode_id=episode.id, instrument="ons4",
            timepoint="baseline", now=NOW)
    with pytest.raises(queries.LinkExpired), session.begin():
        commands.submit_self_completion(session, token=token, now=NOW + timedelta(days=15),
                                        answers={"life_satisfaction": 5, "worthwhile": 5,
                                                 "happiness": 5, "anxiety": 5})
    assert session.scalar(select(func.count()).select_from(Measure)) == 0


def test_self_completion_bad_answer_leaves_the_link_unspent(session, worker, episode):
    with session.begin():
        link, token = commands.create_self_completion_link(
            session, by=worker, episode_id=episode.id, instrument="swemwbs",
            timepoint="baseline", now=NOW)
    with pytest.raises(InvalidInput), session.begin():
        commands.submit_self_completion(session, token=token, answers={**SWEMWBS, "1": 0},
                                        now=NOW)
    session.expire_all()
    assert session.get(SelfCompletionLink, link.id).used_at is None


def test_unknown_token_is_not_found(session):
    with pytest.raises(NotFound, match="not recognised"):
        queries.open_link(session, "no-such-token")


def test_link_for_a_follow_up_before_baseline_is_refused(session, worker, episode):
    with pytest.raises(Conflict, match="baseline before"), session.begin():
        commands.create_self_completion_link(session, by=worker, episode_id=episode.id,
                                             instrument="swemwbs", timepoint="follow_up",
                                             now=NOW)


def test_local_instrument_edit_makes_a_new_version_and_keeps_history(session, worker,
                                                                      episode):
    admin = make_link_worker_admin(session)
    with session.begin():
        first = commands.save_local_instrument(session, by=admin, definition=LOCAL)
    measure = record(session, worker, episode, "baseline", date(2026, 1, 5),
                     answers={"meet": 2}, instrument="confidence")
    edited = {**LOCAL, "items": [{"linkId": "meet", "text": "I feel sure meeting people"}]}
    with session.begin():
        second = commands.save_local_instrument(session, by=admin, definition=edited)
    assert (first.version, second.version) == ("1", "2")
    session.expire_all()
    kept = session.get(InstrumentVersion, first.id)
    assert kept.definition["items"][0]["text"] == "I feel confident meeting people"
    assert session.get(Measure, measure.id).instrument_version_id == first.id
    session.rollback()
    with session.begin():
        assert commands.current_version(session, "confidence").id == second.id
        again = commands.save_local_instrument(session, by=admin, definition=edited)
    assert again.id == second.id


def test_local_instrument_cannot_replace_a_validated_one(session):
    admin = make_link_worker_admin(session)
    with pytest.raises(Conflict, match="validated instrument"), session.begin():
        commands.save_local_instrument(session, by=admin, definition={**LOCAL, "key": "wemwbs"})


def test_local_instrument_invalid_definition_is_refused(session):
    admin = make_link_worker_admin(session)
    with pytest.raises(InvalidInput, match="linkId must be unique"), session.begin():
        commands.save_local_instrument(session, by=admin, definition={
            **LOCAL, "scoring": {**LOCAL["scoring"], "rule": "sum"},
            "items": LOCAL["items"] * 2})


def test_only_an_administrator_defines_instruments(session, worker):
    with pytest.raises(Forbidden), session.begin():
        commands.save_local_instrument(session, by=worker, definition=LOCAL)


def test_builtin_sync_is_idempotent(session):
    with session.begin():
        commands.sync_builtin_instruments(session)
        commands.sync_builtin_instruments(session)
    assert session.scalar(select(func.count()).select_from(InstrumentVersion)) == 5


def test_due_for_episodes_baseline_then_follow_up(session, worker, team):
    fresh = make_episode(session, team_id=team.id, first_contact_on=date(2026, 1, 5))
    no_contact = make_episode(session, team_id=team.id, first_contact_on=None)
    due = queries.due_for_episodes(session, [fresh, no_contact], today=date(2026, 1, 5))
    assert [(d.instrument, d.timepoint) for d in due[fresh.id].due] == [
        ("ons4", Timepoint.BASELINE), ("swemwbs", Timepoint.BASELINE)]
    assert due[no_contact.id].due == []
    session.rollback()
    record(session, worker, fresh, "baseline", date(2026, 1, 5))
    later = queries.due_for_episodes(session, [fresh], today=date(2026, 4, 1))[fresh.id]
    swemwbs = [d for d in later.due if d.instrument == "swemwbs"]
    assert [(d.timepoint, d.due_from, d.due_by) for d in swemwbs] == [
        (Timepoint.FOLLOW_UP, date(2026, 3, 2), date(2026, 3, 30))]
    assert swemwbs[0].overdue is True
    assert later.overdue == 3  # ONS4 baseline and follow-up, SWEMWBS follow-up


def test_team_schedule_replaces_the_default(session, team):
    admin = make_link_worker_admin(session)
    with session.begin():
        commands.set_schedule(session, by=admin, team_id=team.id,
                              schedule=Schedule(instruments=("ucla3",), follow_up_from_weeks=6,
                                                follow_up_to_weeks=10))
    assert queries.schedule_for_team(session, team.id).instruments == ("ucla3",)
    assert queries.schedule_for_team(session, None) == Schedule()
    session.rollback()
    with pytest.raises(InvalidInput, match="Unknown instrument"), session.begin():
        commands.set_schedule(session, by=admin, team_id=None,
                              schedule=Schedule(instruments=("phq9",)))


def make_link_worker_admin(session):
    from conftest import make_user

    return make_user(session, Role.ADMIN)
