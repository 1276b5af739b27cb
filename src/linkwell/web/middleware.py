"""What Linkwell's pure ASGI middlewares share (they are not ``BaseHTTPMiddleware``, so a
response streams through them untouched): acting on HTTP requests only, and handing a request
body one of them has read back to the app.
"""

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware(ABC):
    """A middleware for HTTP requests: anything else (lifespan, websockets) goes straight to
    the app. A subclass writes ``handle``, and may take settings after ``app``."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """What the middleware does with an HTTP request (each subclass's own)."""


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app ``body`` (already read from ``receive``) as one
    message, then whatever ``receive`` gives next (a disconnect)."""
    delivered = False

    async def again() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
