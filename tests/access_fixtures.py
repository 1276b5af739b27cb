"""Helpers for the access and audit tests: every GET route of the app, and users signed in
without the password form (a session row per user, as a sign-in would write)."""

from datetime import timedelta

from fastapi.routing import iter_route_contexts

from linkwell.auth.models import LoginSession
from linkwell.auth.tokens import new_token, token_hash
from linkwell.db import utcnow

SESSION_COOKIE = "linkwell_session"


def get_routes(app) -> list[str]:
    """The path of every GET route the application serves, walked from ``app.routes``
    (routers included in routers too), in the order they are matched."""
    paths = []
    for route in iter_route_contexts(app.routes):
        if route.methods and "GET" in route.methods and route.endpoint is not None:
            paths.append(route.path)
    return paths


def signed_in(session, user) -> str:
    """A session token for ``user``; send it as the ``linkwell_session`` cookie."""
    token = new_token()
    with session.begin():
        session.add(LoginSession(token_hash=token_hash(token), user_id=user.id,
                                 expires_at=utcnow() + timedelta(hours=1)))
    return token


def use(client, token: str | None) -> None:
    """Make ``client``'s next requests as the holder of ``token`` (None: signed out)."""
    client.cookies.delete(SESSION_COOKIE)
    if token is not None:
        client.cookies.set(SESSION_COOKIE, token)
