"""FastAPI dependencies shared by every area's routers."""

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from linkwell.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; routers open ``with session.begin():`` for each unit of work."""
    with request.app.state.sessionmaker() as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
