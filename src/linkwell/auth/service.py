"""Commands for accounts: each takes ``by`` (who acts), runs in the caller's transaction and
writes an audit event. The web layer opens the transaction; nothing here commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, joinedload

from linkwell import audit
from linkwell.auth.models import ApiToken, LoginSession, Team, User, UserRole
from linkwell.auth.passwords import hash_password, needs_rehash, rehash, verify_password
from linkwell.auth.roles import Role
from linkwell.auth.tokens import new_token, token_hash
from linkwell.db import utcnow
from linkwell.directory.models import Organization
from linkwell.errors import Conflict, InvalidInput, NotFound
from linkwell.settings import Settings


def _roles(roles) -> list[Role]:
    try:
        parsed = sorted({Role(r) for r in roles})
    except ValueError as exc:
        raise InvalidInput(f"Unknown role: {exc}", field="roles") from exc
    if not parsed:
        raise InvalidInput("Choose at least one role.", field="roles")
    return parsed


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        raise InvalidInput("Enter an email address in the correct format, like name@example.org",
                           field="email")
    return email


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
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
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


# Who is asking is looked up on every request, so these two statements are built once (with
# the roles joined in, one round trip) rather than composed per call.
_USER_FOR_SESSION = (
    select(User, LoginSession.expires_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .options(joinedload(User.role_rows))
    .where(LoginSession.token_hash == bindparam("token_hash"))
)
_USER_FOR_API_TOKEN = (
    select(User).join(ApiToken, ApiToken.user_id == User.id)
    .options(joinedload(User.role_rows))
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked.is_(False),
           User.active.is_(True))
)


def user_for_session(session: Session, token: str, now: datetime | None = None) -> User | None:
    now = now or utcnow()
    row = session.execute(_USER_FOR_SESSION, {"token_hash": token_hash(token)}).unique().first()
    if row is None or row.expires_at <= now or not row.User.active:
        return None
    return row.User


def issue_api_token(session: Session, *, by: User | None, user_id: int, name: str,
                    source_ip: str | None = None) -> str:
    if session.get(User, user_id) is None:
        raise NotFound("No such user.")
    token = new_token()
    session.add(ApiToken(token_hash=token_hash(token), user_id=user_id, name=name.strip()))
    audit.record(session, action="create", object_type="api_token", object_id=user_id,
                 **audit.actor(by, source_ip))
    return token


def revoke_api_token(session: Session, *, by: User | None, token_id: int,
                     source_ip: str | None = None) -> ApiToken:
    """Stop a token working at once (it is kept, revoked, so the audit trail still names it)."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("No such API token.")
    if not row.revoked:
        row.revoked = True
        audit.record(session, action="update", object_type="api_token", object_id=row.id,
                     detail={"fields": ["revoked"]}, **audit.actor(by, source_ip))
    return row


def api_tokens(session: Session, *, user_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """Every API token (never its value, which is not stored) with its user's email."""
    query = (select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
             .order_by(ApiToken.id))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [(row.ApiToken, row.email) for row in session.execute(query)]


def user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound("No user has that email address.")
    return user


def user_for_api_token(session: Session, token: str) -> User | None:
    return session.scalars(_USER_FOR_API_TOKEN,
                           {"token_hash": token_hash(token)}).unique().first()


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
