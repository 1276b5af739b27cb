"""Every read of personal data is audited, and every refusal is audited once (issue #13,
finding 4; issue #15, item 1).

The walk goes over ``app.routes`` itself: a new GET route fails here until it either writes a
``read`` (or ``export``) audit event naming what it showed, or is added to
``access_fixtures.NO_PERSONAL_DATA`` with the reason it shows nothing about a person.
"""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from access_fixtures import NO_PERSONAL_DATA, get_routes, signed_in, use
from conftest import make_user
from linkwell.audit.models import AuditEvent
from linkwell.casework import commands as casework_commands
from linkwell.gprecord import commands as gprecord_commands
from linkwell.outcomes import commands as outcomes_commands
from linkwell.referrals import commands, onward_commands
from referrals_factories import accept, make_organization, make_service, make_team, submit

QUERY = {"/episodes/{episode_id}/measures/new": "?instrument=ons4"}
TRY_AS = ("worker", "provider", "referrer", "admin")  # the first who may open it is used


@pytest.fixture
def seeded(session):
    """One person, referred, accepted, with casework, an onward referral and a measure."""
    team = make_team(session)
    org = make_organization(session)
    service = make_service(session, org)
    users = {"worker": make_user(session, "link_worker", team_id=team.id, password=None),
             "provider": make_user(session, "provider", organization_id=org.id, password=None),
             "referrer": make_user(session, "referrer", password=None),
             "admin": make_user(session, "admin", password=None)}
    referral = submit(session, users["referrer"])
    episode = accept(session, users["worker"], referral)
    worker = users["worker"]
    with session.begin():
        commands.record_contact(session, by=worker, episode_id=episode.id,
                                occurred_at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                                mode="telephone", duration_minutes=30)
        commands.agree_goal(session, by=worker, episode_id=episode.id, description="Walk")
        onward = onward_commands.send_onward_referral(session, by=worker, episode_id=episode.id,
                                                      service_id=service.id, reason="loneliness")
        measure = outcomes_commands.record_measure(
            session, by=worker, episode_id=episode.id, instrument="ons4", timepoint="baseline",
            measured_on=date.today(), answers={"life_satisfaction": 6, "worthwhile": 7,
                                               "happiness": 5, "anxiety": 3})
        task, _ = casework_commands.add_task(session, by=worker, episode_id=episode.id,
                                             title="Call back", due_date=date.today())
        booking = casework_commands.book_appointment(
            session, by=worker, episode_id=episode.id, kind="phone",
            starts_at=datetime(2026, 1, 6, 10, tzinfo=UTC),
            ends_at=datetime(2026, 1, 6, 10, 30, tzinfo=UTC))
        message = gprecord_commands.queue_message(session, referral=referral, reason="declined")
    return {"users": users,
            "tokens": {name: signed_in(session, user) for name, user in users.items()},
            "params": {"person_id": referral.person_id, "referral_id": referral.id,
                       "episode_id": episode.id, "onward_id": onward.id,
                       "measure_id": measure.id, "task_id": task.id,
                       "appointment_id": booking.appointment.id, "message_id": message.id}}


def _last_event_id(session) -> int:
    session.commit()
    return session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def _reads_since(session, after: int, user) -> list[AuditEvent]:
    session.commit()
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.id > after, AuditEvent.actor_id == user.id,
        AuditEvent.action.in_(("read", "export")))))


def test_the_allow_list_names_only_routes_that_exist(app):
    assert set(NO_PERSONAL_DATA) <= set(get_routes(app))


def test_every_get_route_with_personal_data_audits_the_read(app, client, session, seeded):
    walked = [p for p in get_routes(app) if p not in NO_PERSONAL_DATA]
    assert len(walked) >= 20, walked  # the walk found the routers, not just the app's own
    failures = []
    for path in walked:
        names = re.findall(r"{(\w+)}", path)
        missing = [n for n in names if n not in seeded["params"]]
        if missing:
            failures.append(f"{path}: seed a value for {missing} or allow-list the route")
            continue
        url = path.format(**seeded["params"]) + QUERY.get(path, "")
        for name in TRY_AS:
            use(client, seeded["tokens"][name])
            before = _last_event_id(session)
            response = client.get(url, follow_redirects=False)
            if response.status_code == 200:
                break
        else:
            failures.append(f"{path}: no seeded user could open it")
            continue
        events = _reads_since(session, before, seeded["users"][name])
        if not events:
            failures.append(f"{path}: read by {name} without an audit event")
        elif names and str(seeded["params"][names[-1]]) not in {e.object_id for e in events}:
            failures.append(f"{path}: audited, but not as the {names[-1]} it showed "
                            f"({[(e.object_type, e.object_id) for e in events]})")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(("area", "url"), [
    ("referrals", "/api/referrals/{referral_id}"),
    ("outcomes", "/episodes/{episode_id}/measures"),
    ("advice", "/episodes/{episode_id}/advice"),
])
def test_a_refusal_in_each_area_is_audited_once(client, session, seeded, area, url):
    other_team = make_team(session, "Another PCN", "E09000011")
    outsider = make_user(session, "link_worker", team_id=other_team.id, password=None)
    use(client, signed_in(session, outsider))
    before = _last_event_id(session)

    response = client.get(url.format(**seeded["params"]), headers={"accept": "text/html"})

    assert response.status_code == 404
    session.commit()
    denied = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [(e.action, e.actor_id, e.detail["reason"]) for e in denied] == [
        ("denied", outsider.id, "policy")]
    assert denied[0].object_id == str(seeded["params"][re.findall(r"{(\w+)}", url)[0]])


def test_a_route_that_lets_a_refusal_escape_is_audited_by_the_error_handler(app, session):
    """A new route needs no refusal handling of its own: ``policy.Refused`` raised anywhere
    is answered 404 and audited once, in its own transaction, by the ``LinkwellError``
    handler (issue #15, item 1)."""
    from fastapi.testclient import TestClient

    from linkwell.auth.policy import Refused

    @app.get("/test-only/refuses/{thing_id}")
    def refuses(thing_id: int):
        raise Refused("thing", thing_id)

    before = _last_event_id(session)
    with TestClient(app) as client:
        response = client.get("/test-only/refuses/41")

    assert response.status_code == 404
    assert response.json()["detail"] == "thing 41 was not found"
    session.commit()
    denied = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [(e.action, e.object_type, e.object_id, e.detail["reason"], e.detail["path"])
            for e in denied] == [("denied", "thing", "41", "policy", "/test-only/refuses/41")]
