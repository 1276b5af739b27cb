"""FastAPI dependencies shared by every area's routers."""

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from linkwell.operations.idempotency import claim_with
from linkwell.settings import Settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session per request; routers open ``with session.begin():`` for each unit of work.

    Opening a session does no I/O, and neither does closing one whose units of work have all
    ended, so neither waits for a worker thread; a session still holding a connection is
    closed in one (closing it rolls back over the network).
    """
    session = request.app.state.sessionmaker()
    claim_with(session, request.state)  # an Idempotency-Key commits with the unit of work
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
