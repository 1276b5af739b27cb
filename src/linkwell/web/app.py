"""The FastAPI application: routers from every area, static assets, and error mapping."""

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from linkwell.auth.policy import Refused
from linkwell.auth.web import AuthMiddleware, audit_refused
from linkwell.db import make_engine, make_lookup_sessionmaker, make_sessionmaker
from linkwell.errors import LinkwellError, NotAuthenticated
from linkwell.operations.faults import DatabaseFaultMiddleware
from linkwell.operations.idempotency import IdempotencyMiddleware
from linkwell.operations.logs import RequestLogMiddleware
from linkwell.settings import Settings, get_settings
from linkwell.web.navigation import navigation
from linkwell.web.security import InputLimits, SecurityHeaders
from linkwell.web.templating import PACKAGE_DIR, templates

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, errors: list | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith(("/oruk", "/api", "/fhir"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Linkwell",
        summary="Social prescribing and specialist social-welfare advice",
        version="0.1.0",
        docs_url=None,  # our own page (below): FastAPI's has inline script and CDN assets
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.lookup_sessionmaker = make_lookup_sessionmaker(app.state.engine)
    templates.env.globals["navigation"] = navigation

    app.mount(
        "/static/nhsuk",
        StaticFiles(directory=settings.node_modules / "nhsuk-frontend" / "dist" / "nhsuk"),
        name="nhsuk",
    )
    app.mount("/static/build", StaticFiles(directory=settings.node_modules / ".build"),
              name="build")  # CSS built by `make install` (Makefile: NHSUK_SCSS)
    app.mount(
        "/static/htmx",
        StaticFiles(directory=settings.node_modules / "htmx.org" / "dist"),
        name="htmx",
    )
    app.mount("/static/app", StaticFiles(directory=PACKAGE_DIR / "web" / "static"), name="app")
    app.mount("/static/swagger",
              StaticFiles(directory=settings.node_modules / "swagger-ui-dist"), name="swagger")

    @app.exception_handler(LinkwellError)
    async def _domain_error(request: Request, exc: LinkwellError):
        if isinstance(exc, Refused):  # every policy refusal, from any area, audited here
            await run_in_threadpool(audit_refused, request, exc)
        if isinstance(exc, NotAuthenticated) and _wants_html(request):
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        if _wants_html(request):
            return templates.TemplateResponse(
                request, "error.html", {"status": exc.status, "title": exc.title,
                                        "detail": exc.detail}, status_code=exc.status
            )
        return problem(exc.status, exc.title, exc.detail, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "Invalid input", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if _wants_html(request):
            return templates.TemplateResponse(
                request, "error.html",
                {"status": exc.status_code, "title": str(exc.detail), "detail": ""},
                status_code=exc.status_code,
            )
        return problem(exc.status_code, str(exc.detail), str(exc.detail))

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception):
        """Any unexpected error: a complete 500 answer with nothing from the exception in it
        (the traceback goes to the log), instead of a dropped connection."""
        log.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "Internal server error", "Something went wrong on our side. "
                       "Nothing was saved by this request; try again later.")

    @app.get("/", include_in_schema=False)
    async def home():
        return RedirectResponse("/find", status_code=303)

    @app.get("/docs", include_in_schema=False)
    async def api_docs(request: Request):
        """Swagger UI inside the site's own page (language, heading, landmarks), from files
        this server serves and started by a static script, so the strict CSP holds."""
        return templates.TemplateResponse(request, "api_docs.html",
                                          {"openapi_url": app.openapi_url})

    @app.get("/accessibility", include_in_schema=False)
    async def accessibility_statement(request: Request):
        return templates.TemplateResponse(request, "accessibility.html", {
            "contact": request.app.state.settings.accessibility_contact})

    for router in _routers():
        app.include_router(router)
    app.add_middleware(IdempotencyMiddleware)  # inside AuthMiddleware: keys are per user
    app.add_middleware(InputLimits, settings=settings)  # inside AuthMiddleware: limits by role
    app.add_middleware(AuthMiddleware)
    app.add_middleware(DatabaseFaultMiddleware)
    app.add_middleware(SecurityHeaders, production=settings.production)
    app.add_middleware(RequestLogMiddleware)
    return app


def _routers():
    """Each area's web module exposes ``router``; adding an area is one line here."""
    from linkwell.advice import web as advice_web
    from linkwell.auth import web as auth_web
    from linkwell.casework import caseload_pages
    from linkwell.casework import web as casework_web
    from linkwell.commissioning import web as commissioning_web
    from linkwell.directory import admin as directory_admin
    from linkwell.directory import oruk as directory_oruk
    from linkwell.directory import web as directory_web
    from linkwell.evaluation import web as evaluation_web
    from linkwell.gprecord import web as gprecord_web
    from linkwell.insights import web as insights_web
    from linkwell.operations import web as operations_web
    from linkwell.outcomes import web as outcomes_web
    from linkwell.referrals import api as referrals_api
    from linkwell.referrals import fhir_api as referrals_fhir
    from linkwell.referrals import pages as referrals_pages
    from linkwell.referrals import provider_pages

    # Routes are matched in order: the busiest APIs are tried first, the small /oruk router
    # (a dozen routes) before the referrals routers (about fifty).
    return [directory_oruk.router, referrals_api.router, referrals_fhir.router,
            referrals_pages.router, caseload_pages.router, provider_pages.router,
            advice_web.router, auth_web.router,
            commissioning_web.router, directory_web.router, evaluation_web.router,
            outcomes_web.router, directory_admin.router, operations_web.router,
            casework_web.router, gprecord_web.router, insights_web.router]
