"""The outbox: a message queued with the event, held when it cannot safely go, and sent over
NHS England's mesh-sandbox (a separate process) exactly once to the registered practice."""

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from conftest import invoke_cli, make_user
from linkwell.codes import clinical as codes
from linkwell.db import utcnow
from linkwell.gprecord import commands as gp
from linkwell.gprecord.mesh import Mesh
from linkwell.gprecord.models import GpMessage
from linkwell.referrals import commands
from mesh_sandbox_server import mesh_sandbox  # noqa: F401 - the session fixture
from referrals_factories import VALID_NHS, accept, make_team, submit


@pytest.fixture
def world(session):
    team = make_team(session)
    return {"worker": make_user(session, "link_worker", team_id=team.id, password=None),
            "referrer": make_user(session, "referrer", password=None),
            "admin": make_user(session, "admin", password=None)}


def _close(session, world, *, nhs_number=VALID_NHS, reason="goals-met"):
    referral = submit(session, world["referrer"], nhs_number=nhs_number)
    episode = accept(session, world["worker"], referral)
    with session.begin():
        commands.close_episode(session, by=world["worker"], episode_id=episode.id,
                               version=episode.version, reason=reason)
    return referral


def _messages(session):
    """The outbox as it is now, detached so the test's next transaction can begin."""
    session.expire_all()
    rows = list(session.scalars(select(GpMessage).order_by(GpMessage.id)))
    for row in rows:
        session.expunge(row)
    session.rollback()
    return rows


def _practices(session, world):
    with session.begin():
        gp.save_practice(session, by=world["admin"], ods_code="X26", name="Test Practice",
                         mesh_mailbox="X26ABC2", pcn_code="U00001", pcn_name="Test PCN")
        gp.save_practice(session, by=world["admin"], ods_code="X27", name="Other Practice",
                         mesh_mailbox="X26ABC3")


def _queued_for_x26(session, world, *, reason="goals-met"):
    """The practices, then a closed episode whose person is registered with X26: its message
    queued, ready to send."""
    _practices(session, world)
    referral = _close(session, world, reason=reason)
    with session.begin():
        gp.register(session, person_id=referral.person_id, practice_ods="X26")
        gp.recheck_waiting(session)
    return referral


def test_closing_an_episode_queues_a_message_in_the_same_transaction(session, world):
    _practices(session, world)
    referral = submit(session, world["referrer"])
    with session.begin():
        gp.register(session, person_id=referral.person_id, practice_ods="X26")
    _close_referral = accept(session, world["worker"], referral)
    with session.begin():
        commands.close_episode(session, by=world["worker"], episode_id=_close_referral.id,
                               version=_close_referral.version, reason="goals-met")
    [message] = _messages(session)
    assert (message.kind, message.status, message.mailbox) == ("closure", "queued", "X26ABC2")


def test_declining_queues_a_declined_message(session, world):
    referral = submit(session, world["referrer"])
    with session.begin():
        commands.decline_referral(session, by=world["worker"], referral_id=referral.id,
                                  version=referral.version, reason="declined")
    [message] = _messages(session)
    assert message.kind == "declined"


def test_a_person_with_no_nhs_number_is_flagged_and_held(session, world):
    _close(session, world, nhs_number=None)
    [message] = _messages(session)
    assert message.status == "waiting"
    assert "no NHS number" in message.alert


def test_an_unknown_ods_code_holds_the_message_until_the_practice_is_added(session, world):
    referral = _close(session, world)
    with session.begin():
        gp.register(session, person_id=referral.person_id, practice_ods="Y99")
        gp.recheck_waiting(session)
    [message] = _messages(session)
    assert message.status == "waiting" and "Unknown GP practice ODS code Y99" in message.alert
    with session.begin():
        gp.save_practice(session, by=world["admin"], ods_code="Y99", name="New", mesh_mailbox=None)
    [message] = _messages(session)
    assert message.status == "waiting" and "no MESH mailbox" in message.alert
    with session.begin():
        gp.save_practice(session, by=world["admin"], ods_code="Y99", name="New",
                         mesh_mailbox="X26ABC3")
    [message] = _messages(session)
    assert (message.status, message.alert, message.mailbox) == ("queued", None, "X26ABC3")


def test_only_an_administrator_maintains_practice_mailboxes(session, world):
    with pytest.raises(Exception, match="not found"), session.begin():
        gp.save_practice(session, by=world["worker"], ods_code="X26", name="P",
                         mesh_mailbox="X26ABC2")


def _mesh(settings, sandbox):
    return Mesh(settings.model_copy(update={"mesh_url": sandbox.url,
                                            "mesh_mailbox": "X26ABC1"}))


def test_send_delivers_the_bundle_to_the_registered_practice_once(
        session, session_factory, settings, world, mesh_sandbox):  # noqa: F811
    _queued_for_x26(session, world)
    mesh = _mesh(settings, mesh_sandbox)
    report = gp.send_outbox(session_factory, mesh)
    assert report.sent == 1
    [message] = _messages(session)
    assert message.status == "sent" and message.mesh_message_id

    [(headers, body)] = mesh_sandbox.take_inbox("X26ABC2")
    assert mesh_sandbox.take_inbox("X26ABC3") == []  # never to the wrong practice
    assert headers["workflowid"] == "GPFED_CONSULT_REPORT"
    assert headers["localid"] == message.local_id
    bundle = json.loads(body)
    assert bundle["type"] == "document"
    resources = [e["resource"] for e in bundle["entry"]]
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    assert patient["identifier"][0] == {"system": "https://fhir.nhs.uk/Id/nhs-number",
                                        "value": VALID_NHS}
    assert codes.snomed("referral").code in body.decode()
    binary = next(r for r in resources if r["resourceType"] == "Binary")
    assert base64.b64decode(binary["data"]).startswith(b"%PDF-")

    assert gp.send_outbox(session_factory, mesh).sent == 0  # nothing is sent twice
    assert gp.track_acknowledgements(session_factory, mesh) == 1
    assert _messages(session)[0].status == "acknowledged"
    mesh.close()


def test_a_crash_after_sending_is_recovered_without_a_second_send(
        session, session_factory, settings, world, mesh_sandbox):  # noqa: F811
    _queued_for_x26(session, world)
    mesh = _mesh(settings, mesh_sandbox)
    gp.send_outbox(session_factory, mesh)
    # The process died after MESH took the message but before the outcome was committed.
    with session.begin():
        session.execute(update(GpMessage).values(
            status="sending", mesh_message_id=None, claimed_at=utcnow() - timedelta(hours=1)))
    report = gp.send_outbox(session_factory, mesh)
    assert (report.recovered, report.sent) == (1, 0)
    [message] = _messages(session)
    assert message.status == "sent" and message.mesh_message_id
    assert len(mesh_sandbox.take_inbox("X26ABC2")) == 1
    mesh.close()


def test_a_mesh_outage_is_retried_with_backoff(session, session_factory, settings, world):
    _queued_for_x26(session, world)
    mesh = Mesh(settings.model_copy(update={"mesh_url": "http://127.0.0.1:9"}))
    report = gp.send_outbox(session_factory, mesh)
    assert report.retried == 1
    [message] = _messages(session)
    assert message.status == "queued" and message.attempts == 1
    assert message.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert "MESH send failed" in message.alert
    mesh.close()


def test_the_gp_send_command_delivers_the_outbox(
        session, database_url, monkeypatch, world, mesh_sandbox):  # noqa: F811
    _queued_for_x26(session, world, reason="declined")
    result = invoke_cli(monkeypatch, "gp", "send", database_url=database_url,
                        mesh_url=mesh_sandbox.url)
    assert result.exit_code == 0, result.output
    assert "Sent 1," in result.output
    [(_headers, body)] = mesh_sandbox.take_inbox("X26ABC2")
    assert codes.snomed("declined").code in body.decode()


# --- A person with no NHS number: matched on demographics, or flagged -------------------------

def _registered(session, world, *, practice, **person):
    referral = submit(session, world["referrer"], sex="female", **person)
    with session.begin():
        gp.register(session, person_id=referral.person_id, practice_ods=practice)
    return referral


def _close_unregistered_then_register(session, world, practice):
    """Close an episode for a person with no NHS number (same name, birth date, postcode
    and sex as the factories' person), then record their registered practice."""
    referral = submit(session, world["referrer"], nhs_number=None, sex="female")
    episode = accept(session, world["worker"], referral)
    with session.begin():
        gp.register(session, person_id=referral.person_id, practice_ods=practice)
        commands.close_episode(session, by=world["worker"], episode_id=episode.id,
                               version=episode.version, reason="goals-met")
    return referral


def test_no_nhs_number_is_matched_on_demographics_and_sent_to_that_practice(
        session, session_factory, settings, world, mesh_sandbox):  # noqa: F811
    _practices(session, world)
    known = _registered(session, world, practice="X26")  # the same person, with NHS number
    _close_unregistered_then_register(session, world, "X26")
    [message] = _messages(session)
    assert (message.status, message.alert) == ("queued", None)
    assert (message.nhs_number, message.nhs_number_source, message.matched_person_id) == (
        VALID_NHS, "demographics", known.person_id)

    mesh = _mesh(settings, mesh_sandbox)
    assert gp.send_outbox(session_factory, mesh).sent == 1
    mesh.close()
    [(_headers, body)] = mesh_sandbox.take_inbox("X26ABC2")
    assert mesh_sandbox.take_inbox("X26ABC3") == []
    patient = next(e["resource"] for e in json.loads(body)["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    assert patient["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number",
                                      "value": VALID_NHS}]


@pytest.mark.parametrize("others,expected", [
    ([("X27", VALID_NHS)], "registered with a different GP practice"),
    ([("X26", VALID_NHS), ("X26", "4010232137")], "different NHS numbers"),
])
def test_a_doubtful_match_is_flagged_and_nothing_is_sent(
        session, session_factory, settings, world, mesh_sandbox, others,  # noqa: F811
        expected):
    _practices(session, world)
    for practice, nhs_number in others:
        _registered(session, world, practice=practice, nhs_number=nhs_number)
    _close_unregistered_then_register(session, world, "X26")
    [message] = _messages(session)
    assert message.status == "waiting" and expected in message.alert
    assert message.nhs_number is None
    mesh = _mesh(settings, mesh_sandbox)
    assert gp.send_outbox(session_factory, mesh).sent == 0
    mesh.close()
    assert mesh_sandbox.take_inbox("X26ABC2") == [] and mesh_sandbox.take_inbox("X26ABC3") == []


def test_a_recorded_nhs_number_replaces_a_demographic_match(session, world):
    from linkwell.referrals.models import Person

    _practices(session, world)
    _registered(session, world, practice="X26")
    referral = _close_unregistered_then_register(session, world, "X26")
    with session.begin():
        session.get(Person, referral.person_id).nhs_number = "4010232137"
        gp.recheck_waiting(session)
        [message] = session.scalars(select(GpMessage)).all()
        gp._check(session, message)  # as the sender does before each send
    [message] = _messages(session)
    assert (message.nhs_number, message.nhs_number_source, message.matched_person_id) == (
        "4010232137", "recorded", None)
