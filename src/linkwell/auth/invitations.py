"""Invitations to join an organisation (pure: no I/O).

A directory stays current only if the organisations in it can keep their own entries, and an
organisation with no Linkwell users cannot be reached. An administrator, or a provider of the
organisation, invites a person by e-mail; the link works once, for that address, for
``VALID_FOR`` days. Each refusal says why, so the person knows whom to ask.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

VALID_FOR = timedelta(days=7)
ACCEPT_PATH = "/invitations/accept"


@dataclass(frozen=True)
class InvitationState:
    email: str
    expires_at: datetime
    accepted_at: datetime | None


def expires_at(created_at: datetime) -> datetime:
    return created_at + VALID_FOR


def accept_link(token: str) -> str:
    """The path of the link sent by e-mail. The token is in the query string, which the
    request log never records (the path is logged)."""
    return f"{ACCEPT_PATH}?token={token}"


def refusal(invitation: InvitationState | None, *, email: str, now: datetime) -> str | None:
    """Why this invitation cannot be used by ``email`` now, or ``None`` when it can."""
    if invitation is None:
        return ("This invitation link is not valid. Check you copied the whole link from the "
                "e-mail, or ask for a new invitation.")
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Sign in with the account it created."
    if now >= invitation.expires_at:
        return (f"This invitation expired on {invitation.expires_at:%-d %B %Y}. Ask the person "
                "who invited you to send a new one.")
    if email != invitation.email:
        return ("This invitation was sent to a different e-mail address. Use the address it "
                "was sent to, or ask for an invitation to yours.")
    return None
