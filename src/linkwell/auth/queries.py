"""Reads for accounts: who holds a sign-in session or an API token (looked up on every
request), a user by email, the API tokens. Nothing here writes."""

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from linkwell.auth.models import ApiToken, LoginSession, User
from linkwell.auth.tokens import token_hash
from linkwell.db import utcnow
from linkwell.errors import InvalidInput, NotFound


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        raise InvalidInput("Enter an email address in the correct format, like name@example.org")
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
