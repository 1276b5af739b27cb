"""``Idempotency-Key`` on every state-changing call of the JSON APIs (``/api``, ``/fhir``).

A client whose answer was lost (a dropped connection, a restarted server) sends the same
request again with the same key and gets the answer the first one got, instead of a 412 for
an ``If-Match`` version it has itself moved on, or a second note, goal or onward referral.

One pure ASGI middleware, inside ``AuthMiddleware`` (keys belong to the signed-in user, as a
referral's creation already scopes them), keeps the first successful answer in the same
``idempotency_key`` table. The key is claimed inside the request's own unit of work (the
request session commits the claim with the change: ``claim_with``), and the answer is written
onto the claim before it is sent, so any answer a client saw can be replayed. A server killed
between the commit and writing the answer leaves a claim without one: its replay is told,
with 409, that the request was carried out and its answer lost, rather than being run again.
A failed call's claim is removed, so it can be corrected and sent again with the same key.
A referral's creation claims its key in its own command (the row carries ``referral_id``):
such a key is passed on to the route, which replays it from the database. Anonymous calls are
passed on untouched: a stored answer is only ever given back to the account it was given to.
"""

import asyncio
import hashlib
import logging

from sqlalchemy import delete, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from linkwell.db import utcnow
from linkwell.errors import Conflict
from linkwell.operations.faults import is_database_fault
from linkwell.operations.models import IdempotencyKey
from linkwell.web.middleware import HttpMiddleware, replay

log = logging.getLogger("linkwell.idempotency")
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIXES = ("/api/", "/fhir/", "/fhir")
MAX_STORED_BYTES = 1_000_000
REPLAYED_HEADERS = ("content-type", "etag", "location")
KEY_LENGTH = 100  # the column's width; longer keys are cut, as a referral's creation does
CLAIM_STATE = "idempotency_claim"  # in the ASGI scope's state, read by ``claim_with``
IN_FLIGHT_WAIT_SECONDS = 2.0  # a claim without an answer may be a request still answering

_KEYS = IdempotencyKey.__table__
_STORE = {
    name: dialect.insert(_KEYS).on_conflict_do_nothing(index_elements=["scope", "key"])
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
# The same, saying whether it inserted: a key another transaction holds (or is committing,
# which this one then waits for) gives no row back.
_CLAIM = {name: statement.returning(_KEYS.c.id) for name, statement in _STORE.items()}


def _lookup(factory: sessionmaker, owner: str, key: str):
    with factory() as session:
        return session.execute(select(
            IdempotencyKey.request, IdempotencyKey.request_hash, IdempotencyKey.status_code,
            IdempotencyKey.response_headers, IdempotencyKey.response_body,
        ).where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)).first()


def claim_with(session: Session, state) -> None:
    """Claim the request's key in the first transaction ``session`` commits (the request's
    unit of work), so the change and its claim are committed together or not at all."""
    claim = getattr(state, CLAIM_STATE, None)
    if claim is None:
        return

    def claim_once(committing: Session) -> None:
        if claim["claimed"]:
            return
        claimed = committing.scalar(_CLAIM[committing.get_bind().dialect.name],
                                    {**claim_values(claim), "created_at": utcnow()})
        if claimed is None and committing.scalar(select(_KEYS.c.referral_id).where(
                _KEYS.c.scope == claim["scope"], _KEYS.c.key == claim["key"])) is None:
            # The same request, sent twice at once, got here first: this one's change is
            # rolled back rather than made twice.
            raise Conflict("This request is being carried out twice at once; "
                           "send it again in a moment.")
        claim["claimed"] = claimed is not None

    event.listen(session, "before_commit", claim_once)


def _ours(claim: dict):
    """The claim row this request wrote (not a creation's, not an answered one)."""
    return ((_KEYS.c.scope == claim["scope"]) & (_KEYS.c.key == claim["key"])
            & (_KEYS.c.request == claim["request"]) & _KEYS.c.status_code.is_(None)
            & _KEYS.c.referral_id.is_(None))


def _store(factory: sessionmaker, claim: dict, answer: dict) -> None:
    with factory() as session, session.begin():
        done = session.execute(update(_KEYS).where(_ours(claim)).values(**answer)) \
            if claim["claimed"] else None
        if done is None or done.rowcount == 0:  # the route committed through no request session
            session.execute(_STORE[session.get_bind().dialect.name],
                            {**claim_values(claim), **answer, "created_at": utcnow()})


def _release(factory: sessionmaker, claim: dict) -> None:
    with factory() as session, session.begin():
        session.execute(delete(_KEYS).where(_ours(claim)))


def claim_values(claim: dict) -> dict:
    return {k: claim[k] for k in ("scope", "key", "request", "request_hash")}


class IdempotencyMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in METHODS or not scope["path"].startswith(PREFIXES):
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
        waited = 0.0
        while (stored is not None and stored.request is not None
               and stored.status_code is None and waited < IN_FLIGHT_WAIT_SECONDS):
            await asyncio.sleep(0.1)  # claimed: the first request may still be answering
            waited += 0.1
            stored = await run_in_threadpool(_lookup, factory, owner, key)
        if stored is not None and stored.request is not None:
            if (stored.request, stored.request_hash) != (request, digest):
                await _problem(scope, receive, send, 422, "Invalid input",
                               "This Idempotency-Key was already used for a different "
                               "request; use a new key for each new request.")
            elif stored.status_code is None:
                await _problem(scope, receive, send, 409, "Conflict",
                               "This request was already carried out, but its answer was "
                               "lost when the server stopped; read the resource to see its "
                               "current state.")
            else:
                await _replay(stored, send)
            return
        claim = {"scope": owner, "key": key, "request": request, "request_hash": digest,
                 "claimed": False}
        scope.setdefault("state", {})[CLAIM_STATE] = claim

        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        status = messages[0]["status"] if messages else 500
        answer = b"".join(m.get("body", b"") for m in messages[1:])
        try:
            if 200 <= status < 300 and len(answer) <= MAX_STORED_BYTES:
                headers = Headers(raw=messages[0].get("headers", []))
                await run_in_threadpool(_store, factory, claim, {
                    "status_code": status, "response_body": answer.decode("utf-8", "replace"),
                    "response_headers": {h: headers[h] for h in REPLAYED_HEADERS
                                         if h in headers}})
            elif claim["claimed"]:
                await run_in_threadpool(_release, factory, claim)
        except Exception as error:
            if not is_database_fault(error):
                raise
            # The change (if any) is committed; only its replay is affected. Answer anyway.
            log.warning("idempotent answer not kept: %s", type(error).__name__)
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
    body = b"".join(chunks)
    return body, replay(body, receive)


async def _replay(stored, send: Send) -> None:
    headers = [(name.encode(), value.encode())
               for name, value in (stored.response_headers or {}).items()]
    headers.append((b"idempotent-replayed", b"true"))
    body = (stored.response_body or "").encode()
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": stored.status_code,
                "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _problem(scope: Scope, receive: Receive, send: Send, status: int, title: str,
                   detail: str) -> None:
    response = JSONResponse({"type": "about:blank", "title": title, "status": status,
                             "detail": detail},
                            status_code=status, media_type="application/problem+json")
    await response(scope, receive, send)
