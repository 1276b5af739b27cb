"""Commands against a real database (SQLite and PostgreSQL): the loop, safety and access."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from conftest import make_user
from linkwell.audit.models import AuditEvent
from linkwell.auth import policy
from linkwell.errors import Conflict, Forbidden, InvalidInput, PreconditionFailed
from linkwell.notifications.models import Notification
from linkwell.referrals import commands, domain, onward_commands, queries
from linkwell.referrals.models import (
    Episode,
    OnwardReferral,
    Person,
    PossibleDuplicate,
    Referral,
    StatusEvent,
)
from referrals_factories import (
    VALID_NHS,
    accept,
    make_organization,
    make_service,
    make_team,
    referral_request,
    submit,
)


@pytest.fixture
def world(session):
    """A team in Lewisham with a link worker, a referrer, and a provider with one service."""
    team = make_team(session)
    other_team = make_team(session, name="Greenwich PCN", lad_code="E09000011")
    org = make_organization(session)
    other_org = make_organization(session, name="Other charity")
    service = make_service(session, org)
    return {
        "team": team, "org": org, "service": service, "other_org": other_org,
        "referrer": make_user(session, "referrer", password=None),
        "other_referrer": make_user(session, "referrer", password=None),
        "worker": make_user(session, "link_worker", team_id=team.id, password=None),
        "other_worker": make_user(session, "link_worker", team_id=other_team.id,
                                  password=None),
        "provider": make_user(session, "provider", organization_id=org.id, password=None),
        "other_provider": make_user(session, "provider", organization_id=other_org.id,
                                    password=None),
        "commissioner": make_user(session, "commissioner", password=None),
    }


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_submit_referral_records_status_event_with_snomed_code(session, world):
    referral = submit(session, world["referrer"])
    assert referral.status == "requested" and referral.version == 1
    event = session.scalars(select(StatusEvent)).one()
    assert (event.to_status, event.snomed_code) == ("requested", "871731000000106")
    assert session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "referral")) == "create"


def test_submit_referral_routes_to_team_by_borough_when_postcode_known(session, world):
    referral = submit(session, world["referrer"])
    person = session.get(Person, referral.person_id)
    if person.lad_code is None:  # reference data not loaded in the test database
        assert referral.team_id == world["team"].id  # first team as fallback
    else:
        assert referral.team_id == session.scalar(
            select(sa.text("id")).select_from(sa.text("team")).where(
                sa.text("lad_code = :l")).params(l=person.lad_code))


def test_submit_referral_same_idempotency_key_returns_original(session, world):
    with session.begin():
        first, created = commands.submit_referral(
            session, by=world["referrer"], request=referral_request(), idempotency_key="k-1")
    with session.begin():
        again, created_again = commands.submit_referral(
            session, by=world["referrer"], request=referral_request(), idempotency_key="k-1")
    assert created and not created_again and again.id == first.id
    assert count(session, Referral) == 1 and count(session, Person) == 1


def test_submit_referral_concurrent_retries_create_one(session_factory, world):
    results, errors = [], []
    barrier = threading.Barrier(4)

    def post():
        with session_factory() as s:
            barrier.wait()
            try:
                with s.begin():
                    referral, _ = commands.submit_referral(
                        s, by=world["referrer"], request=referral_request(),
                        idempotency_key="same-key")
                results.append(referral.id)
            except Exception as exc:  # SQLite may report a busy database; never a duplicate
                errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Referral)) == 1
    assert len(set(results)) == 1 and results


def test_submit_referral_same_nhs_number_flags_duplicate_without_merging(session, world):
    first = submit(session, world["referrer"])
    second = submit(session, world["referrer"], given_name="Adaeze", postcode="SE1 7PB")
    flag = session.scalars(select(PossibleDuplicate)).one()
    assert (flag.person_id, flag.duplicate_of_id, flag.reason) == (
        second.person_id, first.person_id, "nhs_number")
    assert count(session, Person) == 2


def test_submit_referral_same_name_dob_postcode_flags_duplicate(session, world):
    submit(session, world["referrer"], nhs_number=None)
    submit(session, world["referrer"], nhs_number=None, given_name=" ada ", postcode="se135aa")
    assert session.scalars(select(PossibleDuplicate.reason)).one() == "name_dob_postcode"


@pytest.mark.parametrize("change", [
    {"nhs_number": "9434765918"},
    {"birth_date": date.today() + timedelta(days=1)},
    {"postcode": "not a postcode"},
    {"consent": False},
    {"notes": "x" * 5000},
    {"reasons": ()},
    {"reasons": ("astrology",)},
])
def test_submit_referral_bad_input_writes_nothing(session, world, change):
    with pytest.raises(InvalidInput), session.begin():
        commands.submit_referral(session, by=world["referrer"],
                                 request=referral_request(**change))
    assert count(session, Person) == 0 and count(session, Referral) == 0
    assert count(session, StatusEvent) == 0 and count(session, AuditEvent) == 4 + 3  # users, teams


def test_submit_referral_provider_cannot_refer(session, world):
    with pytest.raises(Forbidden), session.begin():
        commands.submit_referral(session, by=world["provider"], request=referral_request())


def test_accept_referral_opens_episode_and_stale_version_is_refused(session, world):
    referral = submit(session, world["referrer"])
    episode = accept(session, world["worker"], referral)
    assert episode.link_worker_id == world["worker"].id
    assert session.get(Referral, referral.id).status == "accepted"
    with pytest.raises((PreconditionFailed, Conflict)), session.begin():
        commands.accept_referral(session, by=world["worker"], referral_id=referral.id,
                                 version=1)


def test_accept_referral_second_actor_with_old_version_gets_412(session_factory, world):
    with session_factory() as s:
        referral = submit(s, world["referrer"])
    with session_factory() as a, session_factory() as b:
        with a.begin():
            commands.decline_referral(a, by=world["worker"], referral_id=referral.id,
                                      version=1, reason="declined")
        with pytest.raises(PreconditionFailed), b.begin():
            commands.accept_referral(b, by=world["worker"], referral_id=referral.id, version=1)
    with session_factory() as s:
        assert s.get(Referral, referral.id).status == "rejected"
        assert s.scalar(select(func.count()).select_from(Episode)) == 0


def test_decline_referral_declined_records_snomed_declined(session, world):
    referral = submit(session, world["referrer"])
    with session.begin():
        commands.decline_referral(session, by=world["worker"], referral_id=referral.id,
                                  version=1, reason="declined")
    event = session.scalars(select(StatusEvent).order_by(StatusEvent.id.desc())).first()
    assert (event.to_status, event.snomed_code) == ("rejected", "871711000000103")


def test_closed_loop_provider_responses_reach_the_link_worker(session, world):
    referral = submit(session, world["referrer"])
    episode = accept(session, world["worker"], referral)
    with session.begin():
        commands.record_contact(session, by=world["worker"], episode_id=episode.id,
                                occurred_at=datetime.now(UTC) - timedelta(hours=1),
                                mode="telephone", duration_minutes=30)
        commands.record_needs_assessment(session, by=world["worker"], episode_id=episode.id,
                                         what_matters_to_me="Seeing people",
                                         scores={"loneliness": 5, "debt": 2})
        commands.agree_goal(session, by=world["worker"], episode_id=episode.id,
                            description="Join a group", domain_code="loneliness")
        onward = onward_commands.send_onward_referral(
            session, by=world["worker"], episode_id=episode.id,
            service_id=world["service"].id, reason="loneliness", summary="Prefers mornings")
    assert status_of(session, referral.id) == "in-progress"
    for action in ("accept", "attended", "complete"):
        with session.begin():
            onward = onward_commands.respond_to_onward_referral(
                session, by=world["provider"], onward_referral_id=onward.id,
                version=onward.version, action=action, outcome_note="Joined the group")
    assert (onward.status, onward.attended, onward.outcome_note) == (
        "completed", True, "Joined the group")
    record = queries.person_record(session, by=world["worker"], person_id=referral.person_id,
                                   settings=_settings())
    session.commit()
    assert record.onward[0].onward.status == "completed"
    events = session.execute(select(StatusEvent.from_status, StatusEvent.to_status).where(
        StatusEvent.object_type == "onward_referral", StatusEvent.object_id == onward.id)
        .order_by(StatusEvent.id)).all()
    assert domain.status_from_events([tuple(e) for e in events]) == onward.status
    session.rollback()
    with session.begin():
        commands.close_episode(session, by=world["worker"], episode_id=episode.id,
                               version=None, reason="goals-met")
    assert status_of(session, referral.id) == "completed"


def status_of(session, referral_id) -> str:
    with session.begin():
        return session.get(Referral, referral_id).status


def _settings():
    from linkwell.settings import Settings

    return Settings(database_url="sqlite://")


def _onward(session, world):
    referral = submit(session, world["referrer"])
    episode = accept(session, world["worker"], referral)
    with session.begin():
        return onward_commands.send_onward_referral(
            session, by=world["worker"], episode_id=episode.id,
            service_id=world["service"].id, reason="loneliness")


def test_provider_decline_needs_coded_reason(session, world):
    onward = _onward(session, world)
    with pytest.raises(InvalidInput), session.begin():
        onward_commands.respond_to_onward_referral(session, by=world["provider"],
                                                   onward_referral_id=onward.id, version=1,
                                                   action="decline", reason="busy")
    with session.begin():
        onward = onward_commands.respond_to_onward_referral(
            session, by=world["provider"], onward_referral_id=onward.id, version=1,
            action="decline", reason="no-capacity")
    assert (onward.status, onward.decline_reason) == ("rejected", "no-capacity")


def test_provider_illegal_transition_is_conflict(session, world):
    onward = _onward(session, world)
    with pytest.raises(Conflict, match="'requested' to 'completed'"), session.begin():
        onward_commands.respond_to_onward_referral(session, by=world["provider"],
                                                   onward_referral_id=onward.id, version=1,
                                                   action="complete")


def test_concurrent_provider_responses_never_lose_an_update(session_factory, world):
    with session_factory() as s:
        onward = _onward(s, world)
    outcomes = []
    barrier = threading.Barrier(2)

    def respond(action, reason):
        with session_factory() as s:
            barrier.wait()
            try:
                with s.begin():
                    onward_commands.respond_to_onward_referral(
                        s, by=world["provider"], onward_referral_id=onward.id, version=1,
                        action=action, reason=reason)
                outcomes.append(action)
            except (PreconditionFailed, Conflict, sa.exc.OperationalError):
                outcomes.append("refused")

    threads = [threading.Thread(target=respond, args=a)
               for a in (("accept", None), ("decline", "no-capacity"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("refused") == 1
    with session_factory() as s:
        stored = s.get(OnwardReferral, onward.id)
        events = s.scalar(select(func.count()).select_from(StatusEvent).where(
            StatusEvent.object_type == "onward_referral"))
    assert stored.version == 2 and events == 2


def test_other_provider_cannot_see_or_answer_onward_referral(session, world):
    onward = _onward(session, world)
    with pytest.raises(policy.Refused), session.begin():
        onward_commands.respond_to_onward_referral(session, by=world["other_provider"],
                                                   onward_referral_id=onward.id, version=1,
                                                   action="accept")
    rows = queries.inbox(session, by=world["other_provider"], settings=_settings())
    session.rollback()
    assert rows == []
    assert [r.onward.id for r in queries.inbox(session, by=world["provider"],
                                               settings=_settings())] == [onward.id]
    session.rollback()


def test_policy_boundaries_for_person_record(session, world):
    referral = submit(session, world["referrer"])
    allowed = {"referrer": True, "worker": True, "other_referrer": False,
               "other_worker": False, "provider": False, "commissioner": False}
    for who, expected in allowed.items():
        try:
            queries.person_record(session, by=world[who], person_id=referral.person_id,
                                  settings=_settings())
            seen = True
        except policy.Refused:
            seen = False
        session.rollback()
        assert seen is expected, who


def test_status_event_log_is_append_only(session, world):
    submit(session, world["referrer"])
    with pytest.raises(sa.exc.DatabaseError), session.begin():
        session.execute(sa.update(StatusEvent).values(to_status="completed"))
    with pytest.raises(sa.exc.DatabaseError), session.begin():
        session.execute(sa.delete(StatusEvent))


def test_notifications_are_queued_without_personal_data(session, world):
    onward = _onward(session, world)
    notes = session.scalars(select(Notification).order_by(Notification.id)).all()
    recipients = {n.recipient for n in notes}
    assert world["worker"].email in recipients and world["provider"].email in recipients
    assert world["other_worker"].email not in recipients
    for note in notes:
        assert "Ada" not in note.body and "Okafor" not in note.body and VALID_NHS not in note.body
    assert any(f"/inbox/{onward.id}" in n.body for n in notes)


def test_caseload_views_and_stale_flags(session, world):
    new = submit(session, world["referrer"], given_name="Bea", nhs_number=None)
    active = submit(session, world["referrer"], given_name="Cyd", nhs_number=None)
    episode = accept(session, world["worker"], active)
    with session.begin():
        onward_commands.send_onward_referral(session, by=world["worker"], episode_id=episode.id,
                                             service_id=world["service"].id, reason="loneliness")
    later = datetime.now(UTC) + timedelta(weeks=8)

    def names(view, by="worker", now=None):
        rows = queries.caseload(session, by=world[by], settings=_settings(), view=view,
                                now=now)
        session.rollback()
        return [r.name for r in rows]

    assert names("new") == ["Bea Okafor"]
    assert names("active") == ["Cyd Okafor"]
    assert names("waiting") == ["Cyd Okafor"]
    assert names("follow-up") == []
    assert names("follow-up", now=later) == ["Cyd Okafor"]
    assert names("active", by="other_worker") == []
    assert new.id != active.id


def test_update_service_capacity_only_own_organisation(session, world):
    with session.begin():
        onward_commands.update_service_capacity(session, by=world["provider"],
                                                service_id=world["service"].id, status="paused",
                                                waiting_time_days=21)
    with pytest.raises(policy.Refused), session.begin():
        onward_commands.update_service_capacity(session, by=world["other_provider"],
                                                service_id=world["service"].id, status="open",
                                                waiting_time_days=0)


def test_send_onward_referral_unknown_service_is_refused(session, world):
    referral = submit(session, world["referrer"])
    episode = accept(session, world["worker"], referral)
    with pytest.raises(InvalidInput), session.begin():
        onward_commands.send_onward_referral(session, by=world["worker"], episode_id=episode.id,
                                             service_id="no-such-service", reason="loneliness")
    assert count(session, OnwardReferral) == 0
