"""FastAPI dependencies shared by every area's routers.

``Session`` and ``SessionDep`` are here so that web modules can name the request's session in
their signatures without importing SQLAlchemy (an import-linter contract forbids that).
"""

from collections.abc import AsyncIterator
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from linkwell.operations.idempotency import claim_with
from linkwell.settings import Settings

# Every id and page number a route takes from a path or query string is one of these bounded
# integers, so a number no id column can hold is a 422, never a crash in the driver. Ids are
# INTEGER columns (32 bits on PostgreSQL; SQLite's 64 bits hold the same range), so MAX_ID is
# 2^31 - 1. MAX_PAGE keeps ``(page - 1) * page_size`` far inside a 64-bit OFFSET.
MAX_ID = 2**31 - 1
MAX_PAGE = 1_000_000
Id = Annotated[int, Ge(1), Le(MAX_ID)]
PageNumber = Annotated[int, Ge(1), Le(MAX_PAGE)]


def form_int(value, maximum: int = MAX_ID) -> int | None:
    """A whole number a form or header sent as text, or None when it is not one (ASCII digits
    only: ``"²".isdigit()`` is true but ``int("²")`` fails) or is more than an id column holds.
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > maximum:
        return None
    return int(text)


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


SessionDep = Annotated[Session, Depends(get_session)]
