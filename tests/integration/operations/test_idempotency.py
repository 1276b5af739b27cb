"""Idempotency-Key on every state-changing API call: a replay gets the first answer."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from conftest import make_user, sign_in
from linkwell.referrals.models import Episode, Goal, Referral
from referrals_factories import make_team, referral_json


@pytest.fixture
def people(app):
    """A referrer's and a link worker's signed-in clients, and a second link worker's."""
    with app.state.sessionmaker() as session:
        team = make_team(session)
        users = {"referrer": make_user(session, "referrer"),
                 "worker": make_user(session, "link_worker", team_id=team.id),
                 "colleague": make_user(session, "link_worker", team_id=team.id)}
    clients = {}
    for name, user in users.items():
        clients[name] = TestClient(app)
        assert sign_in(clients[name], user.email).status_code == 303
    yield clients
    for client in clients.values():
        client.close()


def _count(app, model) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(model))


def _accept(client, referral_id, key=None, version="1"):
    headers = {"If-Match": f'"{version}"'} | ({"Idempotency-Key": key} if key else {})
    return client.post(f"/api/referrals/{referral_id}/accept", headers=headers)


def test_replayed_accept_returns_the_original_success(app, people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    first = _accept(people["worker"], referral["id"], key="accept-1")
    again = _accept(people["worker"], referral["id"], key="accept-1")
    assert first.status_code == 201, first.text
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, Episode) == 1


def test_accept_sent_again_without_a_key_is_still_refused_as_stale(people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    assert _accept(people["worker"], referral["id"]).status_code == 201
    assert _accept(people["worker"], referral["id"]).status_code == 412


def test_replayed_goal_is_written_once(app, people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    episode = _accept(people["worker"], referral["id"]).json()
    goal = {"description": "Join a walking group"}
    first = people["worker"].post(f"/api/episodes/{episode['id']}/goals", json=goal,
                                  headers={"Idempotency-Key": "goal-1"})
    again = people["worker"].post(f"/api/episodes/{episode['id']}/goals", json=goal,
                                  headers={"Idempotency-Key": "goal-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert _count(app, Goal) == 1


def test_a_key_reused_for_another_request_is_422_and_writes_nothing(app, people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    episode = _accept(people["worker"], referral["id"], key="k").json()
    other = people["worker"].post(f"/api/episodes/{episode['id']}/goals",
                                  json={"description": "Sleep better"},
                                  headers={"Idempotency-Key": "k"})
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert _count(app, Goal) == 0


def test_a_refused_call_is_not_kept_and_can_be_retried(people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    assert _accept(people["worker"], referral["id"], key="k2", version="9").status_code == 412
    assert _accept(people["worker"], referral["id"], key="k2").status_code == 201


def test_keys_belong_to_one_account(app, people):
    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()
    assert _accept(people["worker"], referral["id"], key="same").status_code == 201
    # The colleague's request with the same key is their own: it runs, and is stale.
    assert _accept(people["colleague"], referral["id"], key="same").status_code == 412


def test_creation_replays_keep_their_own_answer(app, people):
    first = people["referrer"].post("/api/referrals", json=referral_json(),
                                    headers={"Idempotency-Key": "create-1"})
    again = people["referrer"].post("/api/referrals", json=referral_json(),
                                    headers={"Idempotency-Key": "create-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert _count(app, Referral) == 1


def test_a_change_whose_answer_was_lost_is_not_made_again(app, people, monkeypatch):
    """As when the server dies between committing an accept and keeping its answer: the key
    was claimed with the change, so the replay is told it was carried out (409), not run
    again and refused as stale (412)."""
    from sqlalchemy.exc import OperationalError

    from linkwell.operations import idempotency

    referral = people["referrer"].post("/api/referrals", json=referral_json()).json()

    def lost(*args):
        raise OperationalError("UPDATE idempotency_key", {}, Exception("server gone"))

    monkeypatch.setattr(idempotency, "_store", lost)
    monkeypatch.setattr(idempotency, "IN_FLIGHT_WAIT_SECONDS", 0.2)
    assert _accept(people["worker"], referral["id"], key="lost-1").status_code == 201
    monkeypatch.undo()
    monkeypatch.setattr(idempotency, "IN_FLIGHT_WAIT_SECONDS", 0.2)

    again = _accept(people["worker"], referral["id"], key="lost-1")
    assert again.status_code == 409
    assert "already carried out" in again.json()["detail"]
    assert _count(app, Episode) == 1
