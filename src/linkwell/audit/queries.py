"""Reading the audit trail: the administrator's filtered, newest-first view. Events hold
codes and ids only, so reading them is not itself audited."""

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from linkwell.audit.models import AuditEvent


def events(session: Session, *, object_type: str = "", object_id: str = "",
           actor_id: int | None = None, any_actor: bool = True, action: str = "",
           offset: int = 0, limit: int = 50) -> list[AuditEvent]:
    """Events matching every filter given, newest first. ``any_actor=False`` with no
    ``actor_id`` asks for an actor nobody can be, and so matches nothing."""
    query = select(AuditEvent)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if not any_actor:
        query = query.where(AuditEvent.actor_id == actor_id if actor_id is not None
                            else false())
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).offset(offset)
                                .limit(limit)))
