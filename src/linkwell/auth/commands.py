"""Commands for accounts (the writes): each takes ``by`` (who acts), runs in the caller's
transaction and writes an audit event. The web layer opens the transaction; nothing here
commits. The reads (who holds a session or token, a user by email) are in ``queries``."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import invitations, policy
from linkwell.auth.models import ApiToken, Invitation, LoginSession, Team, User, UserRole
from linkwell.auth.passwords import hash_password, needs_rehash, rehash, verify_password
from linkwell.auth.queries import normalise_email
from linkwell.auth.roles import Role
from linkwell.auth.tokens import new_token, token_hash
from linkwell.db import get_or_not_found, utcnow
from linkwell.directory.models import Organization
from linkwell.errors import Conflict, InvalidInput
from linkwell.settings import Settings


def _roles(roles) -> list[Role]:
    try:
        parsed = sorted({Role(r) for r in roles})
    except ValueError as exc:
        raise InvalidInput(f"Unknown role: {exc}", field="roles") from exc
    if not parsed:
        raise InvalidInput("Choose at least one role.", field="roles")
    return parsed


def _check_team_and_organisation(session: Session, team_id: int | None,
                                 organization_id: str | None) -> None:
    """Refuse ids that name nothing, before anything is written (0 or "" means none)."""
    if team_id and session.get(Team, team_id) is None:
        raise InvalidInput("No such team.", field="team_id")
    if organization_id and session.get(Organization, organization_id) is None:
        raise InvalidInput("No such organisation: choose one from the list.",
                           field="organization_id")


def create_user(
    session: Session, *, by: User | None, email: str, display_name: str, roles,
    password: str | None = None, organization_id: str | None = None, team_id: int | None = None,
    source_ip: str | None = None,
) -> User:
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    if not display_name:
        raise InvalidInput("Enter the person's name.", field="display_name")
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("A user with that email address already exists.", field="email")
    _check_team_and_organisation(session, team_id, organization_id)
    user = User(email=email, display_name=display_name, organization_id=organization_id,
                team_id=team_id,
                password_hash=hash_password(password, personal=(email, display_name))
                if password else None,
                role_rows=[UserRole(role=r.value) for r in _roles(roles)])
    session.add(user)
    session.flush()
    audit.record(session, action="create", object_type="user", object_id=user.id,
                 detail={"roles": sorted(r.value for r in user.roles)},
                 **audit.actor(by, source_ip))
    return user


def update_user(
    session: Session, *, by: User, user_id: int, roles=None, active: bool | None = None,
    team_id: int | None = None, organization_id: str | None = None,
    source_ip: str | None = None,
) -> User:
    user = get_or_not_found(session, User, user_id, "No such user.")
    changed = []
    if roles is not None:
        wanted = {r.value for r in _roles(roles)}
        if wanted != {r.role for r in user.role_rows}:
            user.role_rows = [UserRole(role=r) for r in sorted(wanted)]
            changed.append("roles")
    if active is not None and active != user.active:
        if not active and user.id == by.id:
            raise Conflict("You cannot deactivate your own account.")
        user.active = active
        changed.append("active")
        if not active:
            session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    _check_team_and_organisation(session, team_id, organization_id)
    if team_id is not None and team_id != user.team_id:
        user.team_id = team_id or None
        changed.append("team_id")
    if organization_id is not None and organization_id != user.organization_id:
        user.organization_id = organization_id or None
        changed.append("organization_id")
    audit.record(session, action="update", object_type="user", object_id=user.id,
                 detail={"fields": changed}, **audit.actor(by, source_ip))
    return user


def set_password(session: Session, *, by: User, user: User, password: str,
                 source_ip: str | None = None) -> None:
    """A new password (an administrator's reset or the user's own change) ends every session
    the user has, so whoever knew the old one is signed out too."""
    user.password_hash = hash_password(password, personal=(user.email, user.display_name))
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    audit.record(session, action="update", object_type="user", object_id=user.id,
                 detail={"fields": ["password"]}, **audit.actor(by, source_ip))


def create_team(session: Session, *, by: User | None, name: str, kind: str = "pcn",
                lad_code: str | None = None, caseload_capacity: int | None = None,
                source_ip: str | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter the team's name.", field="name")
    if kind not in {"pcn", "borough", "other"}:
        raise InvalidInput("A team is a Primary Care Network (pcn), a borough team or other.",
                           field="kind")
    if caseload_capacity is not None and caseload_capacity < 0:
        raise InvalidInput("Caseload capacity cannot be negative.", field="caseload_capacity")
    if session.scalar(select(Team.id).where(Team.name == name)):
        raise Conflict("A team with that name already exists.", field="name")
    team = Team(name=name, kind=kind, lad_code=lad_code or None,
                caseload_capacity=caseload_capacity)
    session.add(team)
    session.flush()
    audit.record(session, action="create", object_type="team", object_id=team.id,
                 **audit.actor(by, source_ip))
    return team


@dataclass(frozen=True)
class SignInResult:
    """What happened at the sign-in form. Failures are committed too (audit).

    How often anyone may try is the web layer's rate limits' business (per address, and per
    account from one address); nothing here locks an account, so nobody can lock a user out.
    """

    user: User | None = None
    token: str | None = None
    failure: str | None = None  # "credentials" | "totp_required" | "totp"


def sign_in(session: Session, *, email: str, password: str, totp_code: str | None,
            settings: Settings, source_ip: str | None, now: datetime | None = None
            ) -> SignInResult:
    now = now or utcnow()
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        audit.record(session, action="login_failed", object_type="user",
                     object_id=user.id if user is not None else None, source_ip=source_ip,
                     detail={"reason": "credentials" if user is not None
                             else "unknown_account"})
        return SignInResult(failure="credentials")
    if user.totp_secret:
        if not totp_code:
            return SignInResult(failure="totp_required")
        if not pyotp.TOTP(user.totp_secret).verify(totp_code.strip(), valid_window=1):
            audit.record(session, action="login_failed", object_type="user",
                         object_id=user.id, source_ip=source_ip, detail={"reason": "totp"})
            return SignInResult(failure="totp")
    if needs_rehash(user.password_hash):
        user.password_hash = rehash(password)
    token = new_token()
    session.add(LoginSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                             expires_at=now + timedelta(hours=settings.session_hours)))
    audit.record(session, action="login", object_type="user", object_id=user.id,
                 **audit.actor(user, source_ip))
    return SignInResult(user=user, token=token)


def sign_out(session: Session, *, token: str, source_ip: str | None = None) -> None:
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    if row is not None:
        audit.record(session, action="logout", object_type="user", object_id=row.user_id,
                     actor_id=row.user_id, source_ip=source_ip)
        session.delete(row)


def issue_api_token(session: Session, *, by: User | None, user_id: int, name: str,
                    source_ip: str | None = None) -> str:
    get_or_not_found(session, User, user_id, "No such user.")
    token = new_token()
    session.add(ApiToken(token_hash=token_hash(token), user_id=user_id, name=name.strip()))
    audit.record(session, action="create", object_type="api_token", object_id=user_id,
                 **audit.actor(by, source_ip))
    return token


def revoke_api_token(session: Session, *, by: User | None, token_id: int,
                     source_ip: str | None = None) -> ApiToken:
    """Stop a token working at once (it is kept, revoked, so the audit trail still names it)."""
    row = get_or_not_found(session, ApiToken, token_id, "No such API token.")
    if not row.revoked:
        row.revoked = True
        audit.record(session, action="update", object_type="api_token", object_id=row.id,
                     detail={"fields": ["revoked"]}, **audit.actor(by, source_ip))
    return row


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Linkwell")


def enable_totp(session: Session, *, by: User, secret: str, code: str,
                source_ip: str | None = None) -> None:
    """Turn on the second factor only once the person has shown their app produces codes."""
    if not pyotp.TOTP(secret).verify((code or "").strip(), valid_window=1):
        raise InvalidInput("That code is not right. Enter the 6-digit code your app shows now.",
                           field="code")
    by.totp_secret = secret
    audit.record(session, action="update", object_type="user", object_id=by.id,
                 detail={"fields": ["totp"]}, **audit.actor(by, source_ip))


# --- Invitations to an organisation ------------------------------------------------------------

def invite(session: Session, *, by: User, organization_id: str, email: str,
           source_ip: str | None = None, now: datetime | None = None) -> str:
    """Invite ``email`` to join the organisation as a provider; returns the single-use token
    for the caller to send (it is stored only as a hash). Refused unless ``by`` may manage
    the organisation; an address that already has an account is told to sign in instead."""
    get_or_not_found(session, Organization, organization_id, "No such organisation.")
    if not policy.can_manage_organisation(by, organization_id):
        raise policy.Refused("organization", organization_id)
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("That e-mail address already has a Linkwell account: ask an "
                       "administrator to link it to the organisation.",
                       errors=[{"field": "email", "message": "That e-mail address already "
                                "has a Linkwell account"}])
    now = now or utcnow()
    token = new_token()
    invitation = Invitation(token_hash=token_hash(token), organization_id=organization_id,
                            email=email, invited_by_id=by.id, created_at=now,
                            expires_at=invitations.expires_at(now))
    session.add(invitation)
    session.flush()
    audit.record(session, action="create", object_type="invitation", object_id=invitation.id,
                 detail={"organization_id": organization_id}, **audit.actor(by, source_ip))
    return token



def accept_invitation(session: Session, *, token: str, email: str, display_name: str,
                      password: str, source_ip: str | None = None,
                      now: datetime | None = None) -> User:
    """Create the invited person's provider account. The invitation is claimed with a
    conditional UPDATE, so of two uses of one link at the same moment only one succeeds."""
    now = now or utcnow()
    email = normalise_email(email)
    invitation = session.scalar(select(Invitation).where(
        Invitation.token_hash == token_hash(token or "")))
    state = None if invitation is None else invitations.InvitationState(
        invitation.email, invitation.expires_at, invitation.accepted_at)
    reason = invitations.refusal(state, email=email, now=now)
    if reason:
        raise InvalidInput(reason, errors=[{"field": "email" if invitation and "address" in reason
                                            else "token", "message": reason}])
    claimed = session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise InvalidInput("This invitation has already been used. Sign in with the account "
                           "it created.")
    user = create_user(session, by=None, email=email, display_name=display_name,
                       roles=[Role.PROVIDER], password=password,
                       organization_id=invitation.organization_id, source_ip=source_ip)
    session.execute(update(Invitation).where(Invitation.id == invitation.id)
                    .values(user_id=user.id).execution_options(synchronize_session=False))
    audit.record(session, action="update", object_type="invitation", object_id=invitation.id,
                 detail={"accepted": True}, **audit.actor(user, source_ip))
    return user
