"""The closed loop's writes: onward referrals from an episode to a provider's service (FHIR
Task), the provider's answers, their cancellation, and the provider keeping its service's
capacity current. Same shape as ``commands``: ``(session, *, by, …, source_ip)`` in the
caller's one unit of work, access through ``linkwell.auth.policy``, audited, status changes
through ``commands._transition``.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User, UserRole
from linkwell.auth.roles import Role
from linkwell.db import utcnow
from linkwell.directory.models import Service, ServiceCapacity
from linkwell.errors import Forbidden, InvalidInput
from linkwell.notifications import outbox
from linkwell.referrals import domain
from linkwell.referrals.commands import (
    _link,
    _log,
    _notify_link_worker,
    _open_episode,
    _transition,
)
from linkwell.referrals.domain import Status
from linkwell.referrals.models import (
    OnwardReferral,
    StatusEvent,
)


def load_onward_referral(session: Session, *, by: User, onward_referral_id: int
                         ) -> OnwardReferral:
    onward = session.get(OnwardReferral, onward_referral_id)
    if onward is None or not policy.can_view_onward_referral(by, onward, onward.episode.team_id):
        raise policy.Refused("onward_referral", onward_referral_id)
    return onward


def send_onward_referral(session: Session, *, by: User, episode_id: int, service_id: str,
                         reason: str, summary: str = "", attachments: list[dict] | None = None,
                         source_ip: str | None = None, now: datetime | None = None
                         ) -> OnwardReferral:
    """Refer the person on to a directory service (a FHIR Task owned by its organisation).

    Other areas (advice triage) call this to make a warm referral with a summary attached;
    ``attachments`` are small JSON objects such as ``{"title": ..., "text": ...}``.
    """
    now = now or utcnow()
    episode = _open_episode(session, by, episode_id)
    service = session.get(Service, str(service_id))
    if service is None:
        raise InvalidInput(f"There is no service with id {service_id}",
                           errors=[{"field": "service_id", "message": "unknown service"}])
    domain.require_code(domain.REFERRAL_REASONS, reason, "reason")
    attachments = list(attachments or [])
    if len(attachments) > 10 or any(
            not isinstance(a, dict) or len(str(a)) > domain.NOTES_MAX for a in attachments):
        raise InvalidInput("Attach at most 10 small documents",
                           errors=[{"field": "attachments", "message": "too many or too big"}])
    onward = OnwardReferral(
        episode_id=episode.id, service_id=service.id, organization_id=service.organization_id,
        reason=reason, summary=domain.check_text(summary, "summary"), attachments=attachments,
        status=Status.REQUESTED, version=1, sent_at=now, created_by_id=by.id)
    session.add(onward)
    session.flush()
    _log(session, StatusEvent(
        object_type="onward_referral", object_id=onward.id, person_id=episode.person_id,
        from_status=None, to_status=Status.REQUESTED, actor_id=by.id,
        actor_role=str(by.primary_role) if by.primary_role else None, occurred_at=now,
        reason=reason))
    audit.record(session, action="create", object_type="onward_referral", object_id=onward.id,
                 detail={"episode_id": episode.id, "service_id": service.id},
                 **audit.actor(by, source_ip))
    outbox.queue(session, _provider_emails(session, service),
                        "A new referral is waiting", _link(f"/inbox/{onward.id}"))
    return onward


def _provider_emails(session: Session, service: Service) -> list[str]:
    staff = list(session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PROVIDER, User.active.is_(True),
               User.organization_id == service.organization_id)))
    return staff or ([service.email] if service.email else [])


# Provider responses: the action, the status it moves to, and what else it records.
PROVIDER_ACTIONS = {
    "receive": Status.RECEIVED,
    "accept": Status.ACCEPTED,
    "decline": Status.REJECTED,
    "attended": Status.IN_PROGRESS,
    "did-not-attend": Status.FAILED,
    "complete": Status.COMPLETED,
}


def respond_to_onward_referral(session: Session, *, by: User, onward_referral_id: int,
                               version: int | None, action: str, reason: str | None = None,
                               outcome_note: str | None = None, source_ip: str | None = None,
                               now: datetime | None = None) -> OnwardReferral:
    """The provider's side of the loop: receive, accept, decline (with a reason), attended,
    did not attend, completed (with a short outcome note). The link worker sees it at once."""
    now = now or utcnow()
    onward = load_onward_referral(session, by=by, onward_referral_id=onward_referral_id)
    if not policy.can_respond_to_onward_referral(by, onward):
        raise Forbidden("Only the receiving organisation can respond to this referral.")
    if action not in PROVIDER_ACTIONS:
        raise InvalidInput(f"Unknown action '{action}'; use one of "
                           f"{', '.join(PROVIDER_ACTIONS)}")
    values: dict = {}
    if onward.responded_at is None and action != "receive":
        values["responded_at"] = now
    if action == "decline":
        values["decline_reason"] = domain.require_code(domain.DECLINE_REASONS, reason or "",
                                                       "reason")
    elif action == "attended":
        values["attended"] = True
    elif action == "did-not-attend":
        values["attended"] = False
        reason = "did-not-attend"
    elif action == "complete":
        values["outcome_note"] = domain.check_text(outcome_note, "outcome_note", 1000) or None
    _transition(session, onward, to=PROVIDER_ACTIONS[action], by=by, expected_version=version,
                person_id=onward.episode.person_id, now=now,
                reason=reason if action in ("decline", "did-not-attend") else action,
                values=values, source_ip=source_ip)
    _notify_link_worker(session, onward.episode, "A referral you sent has been updated",
                        f"/people/{onward.episode.person_id}")
    return onward


def cancel_onward_referral(session: Session, *, by: User, onward_referral_id: int,
                           version: int | None, source_ip: str | None = None,
                           now: datetime | None = None) -> OnwardReferral:
    onward = load_onward_referral(session, by=by, onward_referral_id=onward_referral_id)
    if not policy.can_manage_caseload(by, onward.episode.team_id):
        raise policy.Refused("onward_referral", onward_referral_id)
    _transition(session, onward, to=Status.CANCELLED, by=by, expected_version=version,
                person_id=onward.episode.person_id, now=now or utcnow(), reason="cancelled",
                source_ip=source_ip)
    service = session.get(Service, onward.service_id)
    outbox.queue(session, _provider_emails(session, service),
                        "A referral to your service was cancelled", _link(f"/inbox/{onward.id}"))
    return onward


def update_service_capacity(session: Session, *, by: User, service_id: str, status: str,
                            waiting_time_days: int | None, source_ip: str | None = None
                            ) -> ServiceCapacity:
    """Open or pause a service and say how long people wait; suggestions read it at once."""
    service = session.get(Service, str(service_id))
    if service is None or not policy.can_edit_service_capacity(by, service.organization_id):
        raise policy.Refused("service", service_id)
    if status not in ("open", "paused"):
        raise InvalidInput("Capacity is 'open' or 'paused'",
                           errors=[{"field": "status", "message": "open or paused"}])
    if waiting_time_days is not None and not 0 <= int(waiting_time_days) <= 3650:
        raise InvalidInput("Waiting time must be 0 to 3650 days",
                           errors=[{"field": "waiting_time_days", "message": "out of range"}])
    capacity = session.get(ServiceCapacity, service.id)
    if capacity is None:
        capacity = ServiceCapacity(service_id=service.id)
        session.add(capacity)
    capacity.status = status
    capacity.waiting_time_days = None if waiting_time_days is None else int(waiting_time_days)
    capacity.updated_at = utcnow()
    session.flush()
    audit.record(session, action="update", object_type="service_capacity",
                 object_id=service.id, detail={"status": status,
                                               "waiting_time_days": waiting_time_days},
                 **audit.actor(by, source_ip))
    return capacity
