"""What the referral routers share: role dependencies, the unit of work and ETags. The
routers themselves are the JSON API (``api.py``), FHIR (``fhir_api.py``), the referral pages
(``pages.py``), the provider's pages (``provider_pages.py``) and, in casework, the caseload
and person record (``casework/caseload_pages.py``).

Handlers stay thin: each runs one unit of work (``with session.begin()``) around one command
or query, so a refusal or a bad value leaves nothing half-written. A refusal by
``auth.policy`` is answered as 404 and audited by the application's error handler. The API's
state changes take ``If-Match`` with the version from the ``ETag`` (412 when stale, 428 when
missing).
"""

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Header, Request

from linkwell.auth.roles import Role
from linkwell.auth.web import require_roles
from linkwell.errors import InvalidInput, PreconditionRequired
from linkwell.web.deps import Session, form_int

T = TypeVar("T")

REFERRERS = require_roles(Role.REFERRER, Role.LINK_WORKER, Role.ADMIN)
CASEWORK = require_roles(Role.LINK_WORKER)
CASE_READERS = require_roles(Role.REFERRER, Role.LINK_WORKER, Role.ADMIN)
SETTLER_ROLES = frozenset({Role.LINK_WORKER, Role.ADMIN})  # decide possible duplicates
SETTLERS = require_roles(*SETTLER_ROLES)
PROVIDERS = require_roles(Role.PROVIDER, Role.ADMIN)
LOOP = require_roles(Role.PROVIDER, Role.LINK_WORKER, Role.ADMIN)
# The version a state change expects, as the client last read it in the ETag (``if_match``).
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def run(request: Request, session: Session, work: Callable[[], T]) -> T:
    """The unit of work and nothing more: ``work`` runs in one transaction, committed, or
    rolled back on any error. It handles no refusal: a ``policy.Refused`` goes on to the
    ``LinkwellError`` handler in ``web/app.py``, which audits it as it does for every route.
    (``request`` is not used; it keeps the call sites alike.)"""
    with session.begin():
        return work()


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(value: str | None) -> int:
    """The version an API client last saw; state changes must say which one."""
    if value is None:
        raise PreconditionRequired("Send If-Match with the ETag you last read")
    version = form_int(value.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise InvalidInput("If-Match must be an ETag such as \"3\"")
    return version

