import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from linkwell.audit import record
from linkwell.audit.models import AuditEvent


def test_audit_event_is_recorded_with_the_callers_transaction(session):
    with session.begin():
        record(session, action="read", object_type="person", object_id=7, actor_id=3,
               actor_role="link_worker", source_ip="127.0.0.1")
    event = session.scalars(sa.select(AuditEvent)).one()
    assert (event.action, event.object_type, event.object_id) == ("read", "person", "7")
    assert event.occurred_at.tzinfo is not None


def test_audit_event_rolls_back_with_a_failed_change(session):
    with pytest.raises(RuntimeError), session.begin():
        record(session, action="update", object_type="person", object_id=1)
        raise RuntimeError("the change failed")
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'create'",
    "DELETE FROM audit_event",
])
def test_audit_trail_refuses_update_and_delete(session, statement):
    with session.begin():
        record(session, action="read", object_type="person", object_id=1)
    with pytest.raises(DBAPIError, match="append-only"), session.begin():
        session.execute(sa.text(statement))
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1


def test_unknown_audit_action_is_refused(session):
    with pytest.raises(ValueError, match="unknown audit action"):
        record(session, action="peek", object_type="person")
