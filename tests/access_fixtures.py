"""Helpers for the access and audit tests: every GET route of the app, and users signed in
without the password form (a session row per user, as a sign-in would write)."""

from datetime import timedelta

from fastapi.routing import iter_route_contexts

from linkwell.auth.models import LoginSession
from linkwell.auth.tokens import new_token, token_hash
from linkwell.db import utcnow

SESSION_COOKIE = "linkwell_session"

# GET routes that show nothing about a person supported, each with the reason. Every other
# GET route must audit its reads (test_web_audit) and keep to the policy (test_access_property).
_DIRECTORY = "the public service directory: organisations and services, no people"
_OWN = "the signed-in user's own account"
_STAFF = ("staff accounts and teams, not people supported; administrators only, and every "
          "change to them is audited")
_PROGRAMME = "programmes, money and published outcomes: aggregates, no people"
_AGGREGATE = "evaluation results: aggregates with small numbers suppressed (disclosure.py)"
_FORM = "an empty form or a static page"
_INSTRUMENT = "questionnaire definitions, not anyone's answers"

NO_PERSONAL_DATA = {
    "/openapi.json": "the API's description", "/docs": "the API's description",
    "/redoc": "the API's description",
    "/": "a redirect to /find",
    **{path: _DIRECTORY for path in (
        "/oruk/", "/oruk/services", "/oruk/services/{id}", "/oruk/organizations",
        "/oruk/organizations/{id}", "/oruk/taxonomies", "/oruk/taxonomies/{id}",
        "/oruk/taxonomy_terms", "/oruk/taxonomy_terms/{id}", "/oruk/service_at_locations",
        "/oruk/service_at_locations/{id}", "/find", "/find/results", "/services/{service_id}",
        "/admin/organisations", "/admin/organisations/options", "/admin/duplicates",
        "/admin/data-quality", "/provider/services", "/provider/services/{service_id}/edit",
        "/provider/places/{location_id}/edit")},
    **{path: "whether the process and its database answer: no data at all"
       for path in ("/healthz", "/readyz")},
    "/calendar/{secret}.ics": ("a link worker's diary feed by its secret address: times, kinds "
                               "and places of appointments, no names; each fetch is audited "
                               "(tests/integration/casework)"),
    "/inbox/capacity": "the provider's own services and their waiting times, no people",
    **{path: _FORM for path in (
        "/referrals/new", "/refer-yourself", "/refer-yourself/done", "/advice", "/login",
        "/measure/thank-you", "/invitations/accept", "/accessibility",
        "/insights/community-outcomes/new", "/insights/system-outcomes")},
    "/measure/{token}": "the person's own blank questionnaire, by their one-time link",
    **{path: _OWN for path in ("/account", "/account/two-factor")},
    **{path: _STAFF for path in (
        "/admin/users", "/admin/users/new", "/admin/users/{user_id}", "/admin/teams")},
    "/organisations/{organization_id}/invitations": (
        "invitations to an organisation's staff: their work e-mail addresses, not people "
        "supported; only that organisation's providers and administrators, and each "
        "invitation is audited"),
    "/admin/audit": "the audit trail, which names objects by type and id only (ADR 0003)",
    **{path: _PROGRAMME for path in (
        "/accountability", "/accountability/{slug}", "/accountability/{slug}/answer",
        "/accountability/{slug}/data.json", "/accountability/{slug}/data.csv",
        "/accountability/{slug}/outputs/{output_id}/file", "/commissioning",
        "/commissioning/{slug}", "/commissioning/{slug}/{kind}/new",
        "/commissioning/{slug}/{kind}/{entity_id}",
        "/commissioning/{slug}/{kind}/{entity_id}/history")},
    **{path: _AGGREGATE for path in (
        "/evaluation", "/evaluation/status", "/evaluation/runs/{run_id}/report",
        "/evaluation/runs/{run_id}/result.json", "/evaluation/runs/{run_id}/report.pdf",
        "/evaluation/runs/{run_id}/report.html",
        "/mvis", "/insights/{key}.csv", "/insights/charts/{chart}.json")},
    **{path: _INSTRUMENT for path in ("/fhir/Questionnaire/{key}", "/admin/instruments")},
    "/fhir/CodeSystem/{code_system_id}": "Linkwell's own code systems: codes, no people",
}


def personal_data_routes(app) -> list[str]:
    return [path for path in get_routes(app) if path not in NO_PERSONAL_DATA]


def get_routes(app) -> list[str]:
    """The path of every GET route the application serves, walked from ``app.routes``
    (routers included in routers too), in the order they are matched."""
    paths = []
    for route in iter_route_contexts(app.routes):
        if route.methods and "GET" in route.methods and route.endpoint is not None:
            paths.append(route.path)
    return paths


def signed_in(session, user) -> str:
    """A session token for ``user``; send it as the ``linkwell_session`` cookie."""
    token = new_token()
    with session.begin():
        session.add(LoginSession(token_hash=token_hash(token), user_id=user.id,
                                 expires_at=utcnow() + timedelta(hours=1)))
    return token


def use(client, token: str | None) -> None:
    """Make ``client``'s next requests as the holder of ``token`` (None: signed out)."""
    client.cookies.delete(SESSION_COOKIE)
    if token is not None:
        client.cookies.set(SESSION_COOKIE, token)
