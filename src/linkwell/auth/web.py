"""Who is asking: the sign-in cookie, CSRF tokens, role checks, and the account pages.

Every router protects itself with ``Depends(require_roles(...))`` and, on state-changing
routes, ``Depends(csrf_protect)``. Refusals are audited here, in their own transaction: a
role refusal by ``require_roles``, a policy refusal (``policy.Refused``, from any area) by
``audit_refused``, which the application's error handler calls.
"""

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import Receive, Scope, Send

from linkwell import audit
from linkwell.audit import queries as audit_queries
from linkwell.auth import commands as auth_commands
from linkwell.auth import queries as auth_queries
from linkwell.auth.models import User
from linkwell.auth.policy import Refused
from linkwell.auth.ratelimit import RateLimiter
from linkwell.auth.roles import Role
from linkwell.auth.tokens import csrf_token_for, csrf_token_valid, new_token
from linkwell.directory import organisations
from linkwell.errors import Forbidden, InvalidInput, LinkwellError, NotAuthenticated
from linkwell.web import forms
from linkwell.web.deps import Id, PageNumber, Session, SessionDep, client_ip, form_int
from linkwell.web.middleware import HttpMiddleware
from linkwell.web.templating import templates

SESSION_COOKIE = "linkwell_session"
BROWSER_COOKIE = "linkwell_browser"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Where each role starts after signing in, most specific first.
ROLE_HOME: list[tuple[Role, str]] = [
    (Role.ADMIN, "/admin/users"),
    (Role.LINK_WORKER, "/caseload"),
    (Role.PROVIDER, "/inbox"),
    (Role.REFERRER, "/referrals/new"),
    (Role.COMMISSIONER, "/commissioning"),
    (Role.EVALUATOR, "/evaluation"),
]
SKIP_PREFIXES = ("/static/", "/oruk")



@dataclass(frozen=True)
class LoginLimits:
    """Per address: 30 sign-in attempts in five minutes, whatever the account. Per account
    from one address: ``login_max_failures`` failed attempts in ``login_throttle_minutes``.
    The second is keyed by the e-mail address as typed, whether or not an account has it, so
    its answer says nothing about which accounts exist; and it never stops the account's owner
    signing in from another address (no lockout that a stranger can trigger)."""

    address: RateLimiter
    account: RateLimiter


def _login_limits(request: Request) -> LoginLimits:
    state = request.app.state
    if not hasattr(state, "login_limits"):
        settings = state.settings
        state.login_limits = LoginLimits(
            address=RateLimiter(limit=30, window_seconds=300),
            account=RateLimiter(limit=settings.login_max_failures,
                                window_seconds=settings.login_throttle_minutes * 60))
    return state.login_limits


TOO_MANY_ATTEMPTS = "Too many sign-in attempts. Wait a few minutes and try again."


class AuthMiddleware(HttpMiddleware):
    """Sets ``request.state.user``, ``csrf_token`` and ``api_call`` for every request.

    A request with ``Authorization: Bearer`` is an API call, signed in by its token alone;
    any other is a browser's, signed in by its session cookie and given a browser cookie that
    its CSRF token is derived from.

    A pure ASGI middleware (not BaseHTTPMiddleware) so public API traffic pays nothing: the
    database is only asked when a session cookie or bearer token is present.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope.setdefault("state", {})
        state["user"] = None
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            # An API call: the credential is in a header no other site can make a browser
            # send, so it needs no CSRF token and gets no browser cookie.
            state["api_call"] = True
            state["browser_id"], state["csrf_token"] = None, ""
            state["user"] = await run_in_threadpool(
                _load, request, auth_queries.user_for_api_token, bearer[7:].strip())
            await self.app(scope, receive, send)
            return
        state["api_call"] = False
        settings = request.app.state.settings
        browser_id = request.cookies.get(BROWSER_COOKIE)
        new_browser = not browser_id
        if new_browser:
            browser_id = new_token()
        state["browser_id"] = browser_id
        state["csrf_token"] = csrf_token_for(browser_id, settings.secret_key)
        session_token = request.cookies.get(SESSION_COOKIE)
        if session_token:
            state["user"] = await run_in_threadpool(
                _load, request, auth_queries.user_for_session, session_token)

        if not new_browser:
            await self.app(scope, receive, send)
            return
        cookie = _cookie_header(BROWSER_COOKIE, browser_id, settings.production, max_age=None)

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _load(request: Request, loader, token: str) -> User | None:
    with request.app.state.lookup_sessionmaker() as session:
        user = loader(session, token)
        if user is not None:
            session.expunge(user)
        return user


def _cookie_header(name: str, value: str, secure: bool, max_age: int | None) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def optional_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


def require_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise NotAuthenticated("Sign in to continue.")
    return user


def audit_denied(request: Request, *, object_type: str, object_id=None, reason: str) -> None:
    """Record a refusal in its own transaction, so it survives the error response."""
    user = optional_user(request)
    with request.app.state.sessionmaker() as session, session.begin():
        audit.record(session, action="denied", object_type=object_type, object_id=object_id,
                     detail={"reason": reason, "method": request.method,
                             "path": request.url.path}, **audit.actor(user, client_ip(request)))


def audit_refused(request: Request, refused: Refused) -> None:
    """A refusal by ``auth.policy``; the application's error handler calls this for every
    one, after the request's own unit of work has rolled back."""
    audit_denied(request, object_type=refused.object_type, object_id=str(refused.object_id),
                 reason="policy")


def require_roles(*roles: Role):
    """Dependency: the signed-in user, who must hold one of ``roles``."""
    allowed = frozenset(roles)

    # Async, so the check (no I/O: the user and roles were loaded by the middleware) does not
    # wait for a worker thread; only the audit of a refusal writes to the database.
    async def dependency(request: Request) -> User:
        user = require_user(request)
        if not user.roles & allowed:
            await run_in_threadpool(audit_denied, request, object_type="route", reason="role")
            raise Forbidden("Your account does not have access to this page.")
        return user

    return dependency


async def csrf_protect(request: Request) -> None:
    """Refuse state-changing requests that do not carry this browser's CSRF token."""
    if request.method not in UNSAFE_METHODS or getattr(request.state, "api_call", False):
        return
    submitted = request.headers.get("x-csrf-token")
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        submitted = (await request.form()).get("csrf_token")
    settings = request.app.state.settings
    if not csrf_token_valid(submitted, getattr(request.state, "browser_id", None),
                            settings.secret_key):
        await run_in_threadpool(audit_denied, request, object_type="route", reason="csrf")
        raise Forbidden("This form has expired or did not come from Linkwell. "
                        "Go back, reload the page and try again.")


def home_for(user: User) -> str:
    for role, path in ROLE_HOME:
        if role in user.roles:
            return path
    return "/"


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None):
    return templates.TemplateResponse(request, "auth/login.html",
                                      {"next": _safe_next(next), "errors": {}, "email": ""})


@router.post("/login", dependencies=[Depends(csrf_protect)])
def login(
    request: Request,
    session: SessionDep,
    email: str = Form(""),
    password: str = Form(""),
    code: str = Form(""),
    next: str = Form(""),
):
    empty = forms.missing({"email": email, "password": password},
                          {"email": "Enter your email address", "password": "Enter your password"})
    if empty:
        return forms.invalid(request, "auth/login.html",
                             {"next": _safe_next(next), "email": email}, empty)
    settings = request.app.state.settings
    ip = client_ip(request)
    limits = _login_limits(request)
    account_key = f"{email.strip().lower()} {ip}"
    if not limits.address.allow(ip or "unknown") or limits.account.blocked(account_key):
        with session.begin():
            audit.record(session, action="denied", object_type="user", source_ip=ip,
                         detail={"reason": "rate_limited", "path": "/login"})
        return _login_error(request, email, next, TOO_MANY_ATTEMPTS, status=429)
    with session.begin():
        result = auth_commands.sign_in(session, email=email, password=password,
                                       totp_code=code or None, settings=settings, source_ip=ip)
    if result.failure in ("credentials", "totp"):
        limits.account.record(account_key)
    if result.failure == "totp_required":
        return _login_error(request, email, next, "Enter the 6-digit code from your "
                            "authenticator app.", status=401, need_code=True, field="code")
    if result.failure == "totp":
        return _login_error(request, email, next, "That code is not right. Enter the 6-digit "
                            "code your app shows now.", status=401, need_code=True, field="code")
    if result.failure:
        return _login_error(request, email, next, "Email address or password not recognised.",
                            status=401)
    response = RedirectResponse(_safe_next(next) or home_for(result.user), status_code=303)
    secure = settings.production
    response.headers.append("set-cookie", _cookie_header(
        SESSION_COOKIE, result.token, secure, max_age=settings.session_hours * 3600))
    # A fresh browser id on sign-in, so a CSRF token planted before sign-in is worthless.
    response.headers.append("set-cookie", _cookie_header(BROWSER_COOKIE, new_token(), secure,
                                                         max_age=None))
    return response


def _login_error(request, email, next, message, *, status, need_code=False, field="email"):
    return forms.invalid(request, "auth/login.html",
                         {"next": _safe_next(next), "email": email, "need_code": need_code},
                         {field: message}, status=status)


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request, session: SessionDep):
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with session.begin():
            auth_commands.sign_out(session, token=token, source_ip=client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: User = Depends(require_user)):
    return templates.TemplateResponse(request, "auth/account.html", {"account": user})


@router.get("/account/two-factor", response_class=HTMLResponse)
def two_factor_page(request: Request, user: User = Depends(require_user)):
    secret = auth_commands.new_totp_secret()
    return templates.TemplateResponse(
        request, "auth/two_factor.html",
        {"secret": secret, "uri": auth_commands.totp_uri(user, secret), "errors": {}})


@router.post("/account/two-factor", dependencies=[Depends(csrf_protect)])
def two_factor(request: Request, session: SessionDep, secret: str = Form(...), code: str = Form(""),
               user: User = Depends(require_user)):
    try:
        with session.begin():
            me = auth_queries.user(session, user.id)
            auth_commands.enable_totp(session, by=me, secret=secret, code=code,
                                      source_ip=client_ip(request))
    except InvalidInput as exc:
        return forms.invalid(request, "auth/two_factor.html",
                             {"secret": secret, "uri": auth_commands.totp_uri(user, secret)},
                             forms.field_errors(exc, default="code"))
    return RedirectResponse("/account", status_code=303)


# --- Administration: users, teams, audit trail ---------------------------------------------

admin_only = require_roles(Role.ADMIN)


def _form_page(request, template, context, status=200):
    return templates.TemplateResponse(request, template, context, status_code=status)


def _organisations(session: Session, search: str, current: str | None
                   ) -> list[tuple[str, str]]:
    """The organisation choices: those matching the search (the first 50 by name without
    one), led by the current choice."""
    found, _ = organisations.find_organisations(session, search)
    return [(o.id, o.label) for o in organisations.with_current(session, found, current)]


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    users = auth_queries.users(session)
    return _form_page(request, "auth/admin_users.html", {"users": users})


def _team_id(value: str) -> int:
    """The chosen team's id, 0 for none; a value no form offers is bad input, not a crash."""
    if not value:
        return 0
    team_id = form_int(value)
    if team_id is None:
        raise InvalidInput("Choose a team from the list.")
    return team_id


def _user_form_context(session: Session, request: Request, current_org: str | None,
                       **extra) -> dict:
    teams = auth_queries.teams(session)
    search = request.query_params.get("organisation_search", "").strip()[:100]
    return {"roles": list(Role), "team_options": [(t.id, t.name) for t in teams],
            "organisations": _organisations(session, search, current_org),
            "organisation_search": search, "errors": {}, **extra}


NEW_USER_REQUIRED = {"display_name": "Enter the person's name",
                     "email": "Enter an email address, like name@example.org",
                     "roles": "Choose at least one role"}


@router.get("/admin/users/new", response_class=HTMLResponse)
def admin_new_user_page(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    # Arriving from the organisations page, the new user's organisation is already chosen.
    chosen = request.query_params.get("organization_id", "")
    return _form_page(request, "auth/admin_user_new.html", _user_form_context(
        session, request, chosen, values={"organization_id": chosen}))


@router.post("/admin/users/new", dependencies=[Depends(csrf_protect)])
async def admin_new_user(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    form = await request.form()
    values = {k: form.get(k, "") for k in ("email", "display_name", "password", "team_id",
                                            "organization_id")}
    empty = forms.missing({**values, "roles": form.getlist("roles")}, NEW_USER_REQUIRED)
    if empty:
        return _form_page(request, "auth/admin_user_new.html", _user_form_context(
            session, request, values["organization_id"], values=values, errors=empty), 422)
    try:
        with session.begin():
            user = auth_commands.create_user(
                session, by=admin, email=values["email"], display_name=values["display_name"],
                roles=form.getlist("roles"), password=values["password"] or None,
                team_id=_team_id(values["team_id"]) or None,
                organization_id=values["organization_id"] or None,
                source_ip=client_ip(request))
    except LinkwellError as exc:
        return _form_page(request, "auth/admin_user_new.html", _user_form_context(
            session, request, values["organization_id"], values=values,
            errors=forms.field_errors(exc, default="email")), status=exc.status)
    return RedirectResponse(f"/admin/users/{user.id}", status_code=303)


# Which field of the user page a refusal without one is shown beside, by the form sent.
ACCOUNT_FORM_FIELDS = {"password": "password", "api_token": "token_name"}


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def admin_user_page(request: Request, user_id: Id, session: SessionDep,
                    admin: User = Depends(admin_only)):
    user = auth_queries.user(session, user_id)
    return _form_page(request, "auth/admin_user.html",
                      _user_form_context(session, request, user.organization_id, account=user,
                                         api_token=None))


@router.post("/admin/users/{user_id}", dependencies=[Depends(csrf_protect)])
async def admin_update_user(request: Request, user_id: Id, session: SessionDep,
                            admin: User = Depends(admin_only)):
    form = await request.form()
    action = form.get("action", "save")
    api_token = None
    try:
        with session.begin():
            me = auth_queries.user(session, admin.id)
            if action == "password":
                target = auth_queries.user(session, user_id)
                auth_commands.set_password(session, by=me, user=target,
                                           password=form.get("password", ""),
                                           source_ip=client_ip(request))
            elif action == "api_token":
                api_token = auth_commands.issue_api_token(
                    session, by=me, user_id=user_id, name=form.get("token_name") or "API client",
                    source_ip=client_ip(request))
            else:
                auth_commands.update_user(
                    session, by=me, user_id=user_id, roles=form.getlist("roles"),
                    active=form.get("active") == "yes",
                    team_id=_team_id(form.get("team_id", "")),
                    organization_id=form.get("organization_id", ""),
                    source_ip=client_ip(request))
    except LinkwellError as exc:
        user = auth_queries.user(session, user_id)  # no such user: that NotFound instead
        return _form_page(request, "auth/admin_user.html", _user_form_context(
            session, request, user.organization_id, account=user, api_token=None,
            errors=forms.field_errors(exc, default=ACCOUNT_FORM_FIELDS.get(action, "roles"))),
            status=exc.status)
    if api_token:
        account = auth_queries.user(session, user_id)
        return _form_page(request, "auth/admin_user.html", _user_form_context(
            session, request, account.organization_id, account=account, api_token=api_token))
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.get("/admin/teams", response_class=HTMLResponse)
def admin_teams(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    return _teams_page(request, session, {}, {})


def _teams_page(request, session, values, errors, status=200):
    teams = auth_queries.teams_with_member_counts(session)
    return _form_page(request, "auth/admin_teams.html",
                      {"teams": teams, "values": values, "errors": errors}, status)


@router.post("/admin/teams", dependencies=[Depends(csrf_protect)])
def admin_create_team(request: Request, session: SessionDep, name: str = Form(""),
                      kind: str = Form("pcn"), lad_code: str = Form(""),
                      caseload_capacity: str = Form(""),
                      admin: User = Depends(admin_only)):
    values = {"name": name, "kind": kind, "lad_code": lad_code,
              "caseload_capacity": caseload_capacity}
    capacity = form_int(caseload_capacity, maximum=100_000)
    if caseload_capacity.strip() and capacity is None:
        return _teams_page(request, session, values, {
            "caseload_capacity": "Caseload capacity must be a whole number up to 100,000."}, 422)
    try:
        with session.begin():
            auth_commands.create_team(session, by=admin, name=name, kind=kind, lad_code=lad_code,
                                      caseload_capacity=capacity, source_ip=client_ip(request))
    except LinkwellError as exc:
        return _teams_page(request, session, values, forms.field_errors(exc, default="name"),
                           exc.status)
    return RedirectResponse("/admin/teams", status_code=303)


AUDIT_PAGE_SIZE = 50


@router.get("/admin/audit", response_class=HTMLResponse)
def admin_audit(request: Request, session: SessionDep, object_type: str = "", object_id: str = "",
                actor_id: str = "", action: str = "", page: PageNumber = 1,
                admin: User = Depends(admin_only)):
    events = audit_queries.events(
        session, object_type=object_type, object_id=object_id,
        actor_id=form_int(actor_id), any_actor=not actor_id,  # a bad id matches nothing
        action=action, offset=(page - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE + 1)
    filters = {"object_type": object_type, "object_id": object_id, "actor_id": actor_id,
               "action": action}
    query_string = "&".join(f"{k}={quote(v)}" for k, v in filters.items() if v)
    return _form_page(request, "auth/admin_audit.html", {
        "events": events[:AUDIT_PAGE_SIZE], "page": page,
        "has_more": len(events) > AUDIT_PAGE_SIZE, "filters": filters,
        "query_string": query_string,
        "action_options": [(a, a) for a in sorted(audit.commands.ACTIONS)]})


def login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
