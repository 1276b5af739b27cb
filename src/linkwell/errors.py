"""The exception hierarchy every area extends, mapped to HTTP problems in one place.

Domain code raises these (never FastAPI's HTTPException); ``linkwell.web.app`` turns them into
``application/problem+json`` responses (RFC 9457) and the CLI into a clear message.
"""


class LinkwellError(Exception):
    """Base for errors that a user can act on. ``detail`` must never contain personal data."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict] | None = None,
                 field: str | None = None):
        """``field``: the form field the error is about (``errors`` for several), so a page
        can show the message beside it (``linkwell.web.forms``)."""
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or ([{"field": field, "message": detail}] if field else [])


class InvalidInput(LinkwellError):
    status = 422
    title = "Invalid input"


def rejected_lines(nothing_was: str, rejected: list[dict]) -> InvalidInput:
    """A file checked line by line is refused whole: each rejected line ({"line", "reason"})
    named with its reason, in line order. ``nothing_was``: "imported", "converted"..."""
    rejected = sorted(rejected, key=lambda r: r["line"])
    return InvalidInput(
        f"Nothing was {nothing_was}: {len(rejected)} line{'s' if len(rejected) > 1 else ''} "
        "rejected", errors=[{"field": "file", "line": r["line"],
                             "message": f"Line {r['line']}: {r['reason']}"} for r in rejected])


class NotFound(LinkwellError):
    status = 404
    title = "Not found"


class Conflict(LinkwellError):
    status = 409
    title = "Conflict"


class PreconditionFailed(LinkwellError):
    """An ``If-Match`` version no longer matches: someone else changed the record first."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(LinkwellError):
    status = 428
    title = "Precondition required"


class NotAuthenticated(LinkwellError):
    status = 401
    title = "Not signed in"


class Forbidden(LinkwellError):
    status = 403
    title = "Forbidden"


class TooManyRequests(LinkwellError):
    status = 429
    title = "Too many requests"
