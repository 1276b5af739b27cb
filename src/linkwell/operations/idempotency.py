"""``Idempotency-Key`` on every state-changing call of the JSON APIs (``/api``, ``/fhir``).

A client whose answer was lost (a dropped connection, a restarted server) sends the same
request again with the same key and gets the answer the first one got, instead of a 412 for
an ``If-Match`` version it has itself moved on, or a second note, goal or onward referral.

One pure ASGI middleware, inside ``AuthMiddleware`` (keys belong to the signed-in user, as a
referral's creation already scopes them), keeps the first successful answer in the same
``idempotency_key`` table. The answer is stored before it is sent, so any answer a client saw
can be replayed. A referral's creation claims its key inside its own transaction (the row
carries ``referral_id`` and no stored answer): such a key is passed on to the route, which
replays it from the database. Anonymous calls are passed on untouched: a stored answer is
only ever given back to the account it was given to.
"""

import hashlib
import logging

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linkwell.operations.faults import is_database_fault
from linkwell.referrals.models import IdempotencyKey

log = logging.getLogger("linkwell.idempotency")
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIXES = ("/api/", "/fhir/", "/fhir")
MAX_STORED_BYTES = 1_000_000
REPLAYED_HEADERS = ("content-type", "etag", "location")
KEY_LENGTH = 100  # the column's width; longer keys are cut, as a referral's creation does

_KEYS = IdempotencyKey.__table__
_STORE = {
    name: dialect.insert(_KEYS).on_conflict_do_nothing(index_elements=["scope", "key"])
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def _lookup(factory: sessionmaker, owner: str, key: str):
    with factory() as session:
        return session.execute(select(
            IdempotencyKey.request, IdempotencyKey.request_hash, IdempotencyKey.status_code,
            IdempotencyKey.response_headers, IdempotencyKey.response_body,
        ).where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)).first()


def _store(factory: sessionmaker, values: dict) -> None:
    with factory() as session, session.begin():
        session.execute(_STORE[session.get_bind().dialect.name], values)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in METHODS
                or not scope["path"].startswith(PREFIXES)):
            await self.app(scope, receive, send)
            return
        key = (Headers(scope=scope).get("idempotency-key") or "").strip()[:KEY_LENGTH]
        user = scope.get("state", {}).get("user")
        if not key or user is None:
            await self.app(scope, receive, send)
            return
        body, receive = await _buffered(receive)
        owner = f"user:{user.id}"
        request = f"{scope['method']} {scope['path']}"[:300]
        digest = hashlib.sha256(body).hexdigest()
        factory = scope["app"].state.sessionmaker
        stored = await run_in_threadpool(_lookup, factory, owner, key)
        if stored is not None and stored.status_code is not None:
            if (stored.request, stored.request_hash) != (request, digest):
                await _key_reused(scope, receive, send)
                return
            await _replay(stored, send)
            return

        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        status = messages[0]["status"] if messages else 500
        answer = b"".join(m.get("body", b"") for m in messages[1:])
        if 200 <= status < 300 and len(answer) <= MAX_STORED_BYTES:
            headers = Headers(raw=messages[0].get("headers", []))
            values = {"scope": owner, "key": key, "request": request, "request_hash": digest,
                      "status_code": status, "response_body": answer.decode("utf-8", "replace"),
                      "response_headers": {h: headers[h] for h in REPLAYED_HEADERS
                                           if h in headers}}
            try:
                await run_in_threadpool(_store, factory, values)
            except Exception as error:
                if not is_database_fault(error):
                    raise
                # The change is committed; only its replay is lost. Say so, and answer.
                log.warning("idempotent answer not stored: %s", type(error).__name__)
        for message in messages:
            await send(message)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that gives it to the app again."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body, sent = b"".join(chunks), False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, again


async def _replay(stored, send: Send) -> None:
    headers = [(name.encode(), value.encode())
               for name, value in (stored.response_headers or {}).items()]
    headers.append((b"idempotent-replayed", b"true"))
    body = (stored.response_body or "").encode()
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": stored.status_code,
                "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _key_reused(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(
        {"type": "about:blank", "title": "Invalid input", "status": 422,
         "detail": "This Idempotency-Key was already used for a different request; "
                   "use a new key for each new request."},
        status_code=422, media_type="application/problem+json")
    await response(scope, receive, send)
