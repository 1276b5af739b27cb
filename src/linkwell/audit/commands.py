"""Writing the audit trail: ``record`` adds one event in the caller's transaction, ``actor``
says who acted. The only writes to ``audit_event``; reads are in ``queries``."""

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linkwell.audit.models import AuditEvent

ACTIONS = frozenset(
    {"read", "create", "update", "transition", "delete", "export", "import", "denied",
     "login", "login_failed", "logout", "locked"}
)
# Built once: a plain INSERT of one row, without the unit of work's bookkeeping for an
# object nobody reads back (every request writes at least one of these).
_INSERT = insert(AuditEvent.__table__)


def actor(by, source_ip: str | None = None) -> dict:
    """Who acted and from where, as ``record`` takes them: a signed-in user (its first role
    names the capacity it acted in), or nobody for the public and the system."""
    return {"actor_id": by.id if by else None,
            "actor_role": str(by.primary_role) if by and by.primary_role else None,
            "source_ip": source_ip}


def record(
    session: Session,
    *,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    actor_id: int | None = None,
    actor_role: str | None = None,
    source_ip: str | None = None,
    detail: dict | None = None,
) -> None:
    """Write an audit event in the caller's transaction, so it commits or rolls back with it.

    ``detail`` holds codes and ids (a status, a field name), never names, notes or addresses.
    Refusals of access are recorded by the caller in their own transaction (see auth).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.execute(_INSERT, {
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "actor_id": actor_id,
        "actor_role": actor_role,
        "source_ip": source_ip,
        "detail": detail or {},
    })
