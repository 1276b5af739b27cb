"""A database that cannot answer is a 503 with ``Retry-After``, at one place for every route.

A pure ASGI middleware outside every other, so that a fault in the sign-in lookup (which runs
in ``AuthMiddleware``, before any route's exception handler) is answered the same way as one
in a route. Each unit of work runs in ``with session.begin()``, so when the database goes away
mid-request the transaction is rolled back by the engine and nothing is half-written; the
client is told to retry, which with an ``Idempotency-Key`` is always safe.
"""

import logging

from sqlalchemy import exc as sa_exc
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from linkwell.web.middleware import HttpMiddleware

log = logging.getLogger("linkwell.database")
RETRY_AFTER_SECONDS = 5
PROBLEM = "application/problem+json"
TITLE = "Service unavailable"
DETAIL = "The database is not answering. Nothing was changed; try again shortly."


def is_database_fault(error: BaseException) -> bool:
    """Faults of the database or its connection pool, rather than of the request."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError
                      | sa_exc.TimeoutError | sa_exc.DisconnectionError)


def _wants_html(scope: Scope) -> bool:
    request = Request(scope)
    return ("text/html" in request.headers.get("accept", "")
            and not scope["path"].startswith(("/oruk", "/api", "/fhir")))


class DatabaseFaultMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started or not is_database_fault(error):
                raise
            cause = getattr(error, "orig", None) or error
            log.warning("database unavailable: %s", type(cause).__name__)
            await _unavailable(scope)(scope, receive, send)


def _unavailable(scope: Scope):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if _wants_html(scope):
        from linkwell.web.templating import templates

        return templates.TemplateResponse(
            Request(scope), "error.html", {"status": 503, "title": TITLE, "detail": DETAIL},
            status_code=503, headers=headers)
    body = {"type": "about:blank", "title": TITLE, "status": 503, "detail": DETAIL}
    return JSONResponse(body, status_code=503, media_type=PROBLEM, headers=headers)
