"""Hardening every request and response passes through, whatever the route.

- ``InputLimits`` refuses a body larger than the limit (413) before the app reads it, and text
  that carries control characters (422) in the path, the query string, a form or JSON body.
- ``server_options`` tells uvicorn whose ``X-Forwarded-For`` to believe.
- ``SecurityHeaders`` adds the Content-Security-Policy and the other browser protections to
  every response, and ``Cache-Control: no-store`` wherever personal data may be in it.

Both are pure ASGI middleware, so the public APIs pay no more than a header lookup.
"""

import json
import re
from urllib.parse import parse_qsl

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linkwell.settings import Settings
from linkwell.web.middleware import HttpMiddleware, replay

PROBLEM = "application/problem+json"

# Scripts and styles from this server only, and no inline script or style at all: a stored
# script that slipped past escaping still cannot run. Nothing may frame the pages.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HSTS = "max-age=31536000; includeSubDomains"
# Responses under these prefixes can hold personal data even for a caller with no session
# (an API token's reader): never kept by a browser or a shared cache.
NO_STORE_PREFIXES = ("/api", "/fhir")
UPLOAD_PATHS = ("/commissioning/",)

# C0 control characters other than tab, line feed and carriage return, and the lone UTF-16
# surrogates JSON can escape (no database can store either).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def server_options(settings: Settings) -> dict:
    """uvicorn's options for believing ``X-Forwarded-For``/``-Proto``: only from the proxies
    in ``LINKWELL_TRUSTED_PROXIES``, and from nobody when there are none (uvicorn's own
    default believes any process on the same machine)."""
    return {"proxy_headers": bool(settings.trusted_proxies),
            "forwarded_allow_ips": list(settings.trusted_proxies)}


class SecurityHeaders(HttpMiddleware):
    """Browser protections on every response; ``no-store`` for anything personal.

    The rule for caching is decided once here: every response to a signed-in user (a session
    cookie or an API token named someone) and every ``/api`` and ``/fhir`` response. A route
    that sets its own Content-Security-Policy (a stand-alone report) keeps it.
    """

    def __init__(self, app: ASGIApp, *, production: bool):
        super().__init__(app)
        self.production = production

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                headers["x-frame-options"] = "DENY"
                headers["x-content-type-options"] = "nosniff"
                headers["referrer-policy"] = "same-origin"
                if self.production:
                    headers["strict-transport-security"] = HSTS
                if _personal(scope):
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _personal(scope: Scope) -> bool:
    state = scope.get("state") or {}
    return state.get("user") is not None or scope["path"].startswith(NO_STORE_PREFIXES)


class InputLimits(HttpMiddleware):
    """A body size limit and a refusal of control characters, before any route sees input.

    The body is read in chunks up to the limit (``LINKWELL_MAX_BODY_BYTES``) and handed on
    whole, so a 50 MB body is refused after its first megabyte instead of being read. Signed-in
    users posting to ``UPLOAD_PATHS`` (published commissioning documents, up to 20 MiB) get
    ``LINKWELL_MAX_UPLOAD_BYTES``; this runs after ``AuthMiddleware`` has named the user.
    """

    def __init__(self, app: ASGIApp, *, settings: Settings):
        super().__init__(app)
        self.max_body = settings.max_body_bytes
        self.max_upload = settings.max_upload_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        signed_in = (scope.get("state") or {}).get("user") is not None
        limit = (self.max_upload if signed_in and scope["path"].startswith(UPLOAD_PATHS)
                 else self.max_body)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, 413, "Request too large",
                          f"A request body may be at most {limit} bytes.")
            return
        if _has_forbidden(scope["path"]) or _has_forbidden_in_query(
                scope.get("query_string", b"")):
            await _refuse(scope, send, 422, "Invalid input", CONTROL_DETAIL)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _refuse(scope, send, 413, "Request too large",
                              f"A request body may be at most {limit} bytes.")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _body_has_forbidden(headers.get(b"content-type", b""), body):
            await _refuse(scope, send, 422, "Invalid input", CONTROL_DETAIL)
            return

        await self.app(scope, replay(body, receive), send)


CONTROL_DETAIL = ("Text may not contain control characters (other than tabs and line breaks) "
                  "or unpaired surrogates.")


def _has_forbidden(text: str) -> bool:
    return FORBIDDEN_CHARACTERS.search(text) is not None


def _has_forbidden_in_query(query: bytes) -> bool:
    if not query:
        return False
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                      errors="surrogateescape")
    return any(_has_forbidden(k) or _has_forbidden(v) for k, v in pairs)


def _body_has_forbidden(content_type: bytes, body: bytes) -> bool:
    """Control characters in a JSON or URL-encoded form body (multipart file contents are
    the upload's own business and are checked by whatever parses them)."""
    kind = content_type.split(b";")[0].strip().lower()
    if kind == b"application/x-www-form-urlencoded":
        return _has_forbidden_in_query(body)
    if kind == b"application/json" or kind.endswith(b"+json"):
        try:
            value = json.loads(body)
        except ValueError:
            return False  # not JSON: the route's own parser answers that
        return _json_has_forbidden(value)
    return False


def _json_has_forbidden(value) -> bool:
    if isinstance(value, str):
        return _has_forbidden(value)
    if isinstance(value, dict):
        return any(_has_forbidden(k) or _json_has_forbidden(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_forbidden(v) for v in value)
    return False


async def _refuse(scope: Scope, send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status,
                       "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM.encode()),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
