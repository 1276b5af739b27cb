"""Reads for accounts: who holds a sign-in session or an API token (looked up on every
request), a user by email, the API tokens. Nothing here writes."""

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from linkwell.auth import policy
from linkwell.auth.models import ApiToken, Invitation, LoginSession, Team, User
from linkwell.auth.tokens import token_hash
from linkwell.db import get_or_not_found, utcnow
from linkwell.errors import InvalidInput, NotFound


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        raise InvalidInput("Enter an email address in the correct format, like name@example.org",
                           field="email")
    return email


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


def user(session: Session, user_id: int) -> User:
    """An account by id, for the administrator's pages."""
    return get_or_not_found(session, User, user_id, "No such user.")


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.display_name)))


def teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def teams_with_member_counts(session: Session) -> list[tuple[Team, int]]:
    """Every team with how many accounts belong to it, by name."""
    return [(row[0], row[1]) for row in session.execute(
        select(Team, func.count(User.id)).outerjoin(User, User.team_id == Team.id)
        .group_by(Team.id).order_by(Team.name))]


def accounts_per_organisation(session: Session, organization_ids: list[str]) -> dict[str, int]:
    """How many accounts each of these organisations has (those with none are left out)."""
    if not organization_ids:
        return {}
    return dict(session.execute(
        select(User.organization_id, func.count()).where(
            User.organization_id.in_(organization_ids))
        .group_by(User.organization_id)).all())


def pending_invitations(session: Session, *, by: User, organization_id: str,
                        now: datetime | None = None) -> list[Invitation]:
    """Invitations to the organisation not yet used and not expired, newest first; not one
    to an address that has an account by now (an invitation sent twice, one accepted)."""
    if not policy.can_manage_organisation(by, organization_id):
        raise policy.Refused("organization", organization_id)
    now = now or utcnow()
    return list(session.scalars(select(Invitation).where(
        Invitation.organization_id == organization_id, Invitation.accepted_at.is_(None),
        Invitation.expires_at > now, ~select(User.id).where(
            User.email == Invitation.email).exists()).order_by(Invitation.id.desc())))


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    """The invitation a link's token is for (only the token's hash is stored), or ``None``."""
    if not token:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
