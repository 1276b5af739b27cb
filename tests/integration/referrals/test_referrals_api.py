"""The JSON API, pages and /fhir over HTTP, on both engines: roles, ETags, idempotency."""

from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from conftest import csrf_token, make_user, sign_in
from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import Person, Referral
from referrals_factories import make_organization, make_service, make_team, referral_json


@pytest.fixture
def clients(app):
    """``as_role(role, **user_fields)`` -> (signed-in TestClient, user)."""
    with ExitStack() as stack:
        def as_role(role, **fields):
            client = stack.enter_context(TestClient(app))
            with app.state.sessionmaker() as session:
                user = make_user(session, role, **fields)
            assert sign_in(client, user.email).status_code == 303
            return client, user
        yield as_role


@pytest.fixture
def loop(app, clients):
    """A team, a provider organisation with a service, and one user per role."""
    with app.state.sessionmaker() as session:
        team = make_team(session)
        org = make_organization(session)
        other_org = make_organization(session, name="Elsewhere")
        service = make_service(session, org, codes=("loneliness-befriending", "debt"))
    roles = {
        "referrer": ("referrer", {}),
        "worker": ("link_worker", {"team_id": team.id}),
        "provider": ("provider", {"organization_id": org.id}),
        "other_provider": ("provider", {"organization_id": other_org.id}),
        "commissioner": ("commissioner", {}),
    }
    return Loop(clients, roles, {"team": team, "org": org, "service": service})


class Loop(dict):
    """Signs each role in on first use only (argon2 makes signing in deliberately slow)."""

    def __init__(self, clients, roles, items):
        super().__init__(items)
        self.clients, self.roles = clients, roles

    def __missing__(self, key):
        role, fields = self.roles[key]
        self[key] = self.clients(role, **fields)
        return self[key]


def _audit_count(app, action, object_type=None) -> int:
    with app.state.sessionmaker() as session:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        if object_type:
            query = query.where(AuditEvent.object_type == object_type)
        return session.scalar(query)


def _create(loop, key=None, **overrides):
    client = loop["referrer"][0]
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/referrals", json=referral_json(**overrides), headers=headers)


def test_api_referral_create_then_retry_with_same_key_returns_original(app, loop):
    first = _create(loop, key="abc-123")
    again = _create(loop, key="abc-123")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.headers["ETag"] == '"1"'
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 1


@pytest.mark.parametrize(("person", "status"), [
    ({"nhs_number": "1234567890"}, 422),
    ({"birth_date": "2999-01-01"}, 422),
    ({"birth_date": "not a date"}, 422),
])
def test_api_referral_bad_person_is_422_and_nothing_written(app, loop, person, status):
    response = _create(loop, person=person)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_api_transitions_need_if_match_and_refuse_stale_versions(loop):
    referral = _create(loop).json()
    worker = loop["worker"][0]
    assert worker.post(f"/api/referrals/{referral['id']}/accept").status_code == 428
    stale = worker.post(f"/api/referrals/{referral['id']}/accept", headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    accepted = worker.post(f"/api/referrals/{referral['id']}/accept",
                           headers={"If-Match": '"1"'})
    assert accepted.status_code == 201, accepted.text
    again = worker.post(f"/api/referrals/{referral['id']}/accept",
                        headers={"If-Match": '"2"'})
    assert again.status_code == 409 and "'accepted' to 'accepted'" in again.json()["detail"]


def test_api_closed_loop_and_fhir_poll(loop):
    referral = _create(loop).json()
    worker, provider = loop["worker"][0], loop["provider"][0]
    episode = worker.post(f"/api/referrals/{referral['id']}/accept",
                          headers={"If-Match": '"1"'}).json()
    assert worker.post(f"/api/episodes/{episode['id']}/needs-assessments", json={
        "what_matters_to_me": "Company", "scores": {"loneliness": 5}}).status_code == 201
    suggestions = worker.get(f"/api/episodes/{episode['id']}/suggestions").json()
    assert suggestions[0]["service_id"] == loop["service"].id
    assert any("Meets loneliness" in r for r in suggestions[0]["reasons"])
    onward = worker.post(f"/api/episodes/{episode['id']}/onward-referrals", json={
        "service_id": loop["service"].id, "reason": "loneliness",
        "summary": "Warm handover"}).json()
    bundle = provider.get("/fhir/Task", params={
        "owner": f"Organization/{loop['org'].id}", "status": "requested"})
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("application/fhir+json")
    from fhir.resources.R4B.bundle import Bundle

    parsed = Bundle.model_validate(bundle.json())
    assert [e.resource.id for e in parsed.entry] == [f"onward-{onward['id']}"]
    accepted = provider.post(f"/api/onward-referrals/{onward['id']}/accept",
                             headers={"If-Match": '"1"'})
    assert accepted.status_code == 200 and accepted.headers["ETag"] == '"2"'
    record = worker.get(f"/api/people/{referral['person_id']}").json()
    assert record["onward_referrals"][0]["status"] == "accepted"
    assert any("accepted" in t["text"] for t in record["timeline"])
    other = loop["other_provider"][0]
    assert other.get("/fhir/Task").json().get("entry", []) == []


def test_api_other_provider_gets_404_and_the_refusal_is_audited(app, loop):
    referral = _create(loop).json()
    worker = loop["worker"][0]
    episode = worker.post(f"/api/referrals/{referral['id']}/accept",
                          headers={"If-Match": '"1"'}).json()
    onward = worker.post(f"/api/episodes/{episode['id']}/onward-referrals", json={
        "service_id": loop["service"].id, "reason": "loneliness"}).json()
    other = loop["other_provider"][0]
    before = _audit_count(app, "denied", "onward_referral")
    assert other.get(f"/api/onward-referrals/{onward['id']}").status_code == 404
    assert other.post(f"/api/onward-referrals/{onward['id']}/accept",
                      headers={"If-Match": '"1"'}).status_code == 404
    assert other.get(f"/fhir/Task/onward-{onward['id']}").status_code == 404
    assert _audit_count(app, "denied", "onward_referral") == before + 3


@pytest.mark.parametrize(("who", "path", "status"), [
    ("provider", "/api/people/{person}", 403),
    ("commissioner", "/api/people/{person}", 403),
    ("commissioner", "/api/caseload", 403),
    ("commissioner", "/fhir/Task", 403),
    ("provider", "/api/referrals/{referral}", 403),
    ("referrer", "/api/caseload", 403),
])
def test_api_other_roles_urls_are_refused_and_audited(app, loop, who, path, status):
    referral = _create(loop).json()
    before = _audit_count(app, "denied")
    url = path.format(person=referral["person_id"], referral=referral["id"])
    assert loop[who][0].get(url).status_code == status
    assert _audit_count(app, "denied") == before + 1


def test_api_another_referrers_referral_is_404(app, loop, clients):
    referral = _create(loop).json()
    other, _ = clients("referrer")
    before = _audit_count(app, "denied", "referral")
    assert other.get(f"/api/referrals/{referral['id']}").status_code == 404
    assert other.get(f"/api/people/{referral['person_id']}").status_code == 404
    assert _audit_count(app, "denied", "referral") == before + 1


def test_api_reading_a_person_is_audited(app, loop):
    referral = _create(loop).json()
    before = _audit_count(app, "read", "person")
    assert loop["worker"][0].get(f"/api/people/{referral['person_id']}").status_code == 200
    assert _audit_count(app, "read", "person") == before + 1


def test_api_not_signed_in_is_401(client):
    assert client.get("/api/caseload").status_code == 401


def test_fhir_export_parses_with_r4b_and_imports_back(app, loop):
    from fhir.resources.R4B.bundle import Bundle

    referral = _create(loop).json()
    referrer = loop["referrer"][0]
    exported = referrer.get(f"/fhir/ServiceRequest/referral-{referral['id']}/$export")
    assert exported.status_code == 200
    bundle = Bundle.model_validate(exported.json())
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds == ["Patient", "ServiceRequest", "Consent", "Task"]
    patient = bundle.entry[0].resource
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert bundle.entry[1].resource.code.coding[0].code == "871731000000106"
    imported = referrer.post("/fhir", json=exported.json())
    assert imported.status_code == 200, imported.text
    location = imported.json()["entry"][0]["response"]["location"]
    new_id = int(location.rsplit("-", 1)[1])
    copy = referrer.get(f"/api/referrals/{new_id}").json()
    assert copy["reasons"] == referral["reasons"] and copy["source"] == referral["source"]
    with app.state.sessionmaker() as session:
        people = session.scalars(select(Person).order_by(Person.id)).all()
        assert (people[1].nhs_number, people[1].birth_date) == (people[0].nhs_number,
                                                               people[0].birth_date)


def test_fhir_export_names_the_referring_practice_by_its_ods_code(app, clients):
    from fhir.resources.R4B.bundle import Bundle

    from linkwell.directory import organisations

    with app.state.sessionmaker() as session:
        make_team(session)
        admin = make_user(session, "admin")
        with session.begin():
            practice = organisations.add_organisation(
                session, by=admin, name="Lewisham Medical Centre", ods_code="G85001")
    referrer, _ = clients("referrer", organization_id=practice.id)
    referral = referrer.post("/api/referrals", json=referral_json()).json()
    exported = referrer.get(f"/fhir/ServiceRequest/referral-{referral['id']}/$export")
    request = Bundle.model_validate(exported.json()).entry[1].resource
    assert request.requester.reference == f"Organization/{practice.id}"
    assert (request.requester.identifier.system, request.requester.identifier.value) == (
        "https://fhir.nhs.uk/Id/ods-organization-code", "G85001")


def test_fhir_import_malformed_bundle_is_422_and_writes_nothing(app, loop):
    referrer = loop["referrer"][0]
    response = referrer.post("/fhir", json={"resourceType": "Bundle", "type": "batch",
                                            "entry": [{"resource": {"resourceType": "Patient",
                                                                    "birthDate": "nope"}}]})
    assert response.status_code == 422
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_page_forged_csrf_token_is_403(app, loop):
    referrer = loop["referrer"][0]
    referrer.headers.pop("X-CSRF-Token")
    response = referrer.post("/referrals/new", data={"csrf_token": "forged", "given_name": "A"})
    assert response.status_code == 403
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_page_script_in_free_text_is_escaped(loop):
    referral = _create(loop, notes="<script>alert(1)</script>",
                       person={"given_name": "<b>Bo</b>"}).json()
    page = loop["referrer"][0].get(f"/referrals/{referral['id']}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;Bo&lt;/b&gt;" in page.text


def test_self_referral_form_token_prevents_duplicates_and_honeypot_writes_nothing(app, client):
    form = client.get("/refer-yourself")
    assert form.status_code == 200
    token = form.text.split('name="form_token" value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token(client), "form_token": token, "given_name": "Sam",
            "family_name": "Lee", "birth_day": "2", "birth_month": "4", "birth_year": "1980",
            "postcode": "SE13 5AA", "reasons": ["loneliness"], "consent_to_share": "yes"}
    first = client.post("/refer-yourself", data=data, follow_redirects=False)
    second = client.post("/refer-yourself", data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    robot = client.post("/refer-yourself", data={**data, "form_token": "x" * 20,
                                                 "website": "http://spam"},
                        follow_redirects=False)
    assert robot.status_code == 303
    with app.state.sessionmaker() as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.source == "self" and referral.referrer_id is None


def test_self_referral_form_without_consent_shows_error(app, client):
    token = client.get("/refer-yourself").text.split('name="form_token" value="')[1][:22]
    response = client.post("/refer-yourself", data={
        "csrf_token": csrf_token(client), "form_token": token, "given_name": "Sam",
        "family_name": "Lee", "birth_day": "2", "birth_month": "4", "birth_year": "1980",
        "reasons": ["loneliness"]})
    assert response.status_code == 422 and "There is a problem" in response.text


def test_caseload_page_lists_team_people(loop):
    _create(loop)
    page = loop["worker"][0].get("/caseload?view=new")
    assert page.status_code == 200 and "Ada Okafor" in page.text


def test_openapi_documents_the_referrals_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/referrals", "/api/referrals/{referral_id}/accept", "/fhir/Task",
            "/api/onward-referrals/{onward_id}/{action}"} <= set(paths)


def test_api_hold_and_resume_return_to_previous_status(loop):
    referral = _create(loop).json()
    worker = loop["worker"][0]
    worker.post(f"/api/referrals/{referral['id']}/accept", headers={"If-Match": '"1"'})
    held = worker.post(f"/api/referrals/{referral['id']}/hold", json={"reason": "in hospital"},
                       headers={"If-Match": '"2"'})
    assert held.status_code == 200 and held.json()["status"] == "on-hold"
    resumed = worker.post(f"/api/referrals/{referral['id']}/resume",
                          headers={"If-Match": held.headers["ETag"]})
    assert resumed.status_code == 200 and resumed.json()["status"] == "accepted"
    assert [e["to_status"] for e in resumed.json()["events"]] == [
        "requested", "accepted", "on-hold", "accepted"]


def test_api_assign_link_worker_needs_current_episode_etag(loop, clients):
    referral = _create(loop).json()
    worker = loop["worker"][0]
    colleague, colleague_user = clients("link_worker", team_id=loop["team"].id)
    episode = worker.post(f"/api/referrals/{referral['id']}/accept",
                          headers={"If-Match": '"1"'})
    etag = worker.get(f"/api/episodes/{episode.json()['id']}").headers["ETag"]
    assert etag == episode.headers["ETag"]
    url = f"/api/episodes/{episode.json()['id']}/link-worker"
    moved = worker.post(url, json={"link_worker_id": colleague_user.id},
                        headers={"If-Match": etag})
    assert moved.status_code == 200 and moved.json()["link_worker_id"] == colleague_user.id
    stale = colleague.post(url, json={"link_worker_id": colleague_user.id},
                           headers={"If-Match": etag})
    assert stale.status_code == 412


def test_person_page_hold_and_resume_forms(loop):
    referral = _create(loop).json()
    worker = loop["worker"][0]
    worker.post(f"/api/referrals/{referral['id']}/accept", headers={"If-Match": '"1"'})
    page = worker.get(f"/people/{referral['person_id']}")
    assert "Put on hold" in page.text
    held = worker.post(f"/referrals/{referral['id']}/hold",
                       data={"version": "2", "reason": "in hospital"}, follow_redirects=True)
    assert "Resume support" in held.text and "On hold" in held.text
    resumed = worker.post(f"/referrals/{referral['id']}/resume", data={"version": "3"},
                          follow_redirects=True)
    assert "Put on hold" in resumed.text


def test_api_self_referral_answers_only_a_reference(app, client):
    body = referral_json(source="gp")
    first = client.post("/api/self-referrals", json=body,
                        headers={"Idempotency-Key": "self-1", "X-CSRF-Token": csrf_token(client)})
    again = client.post("/api/self-referrals", json=body,
                        headers={"Idempotency-Key": "self-1", "X-CSRF-Token": csrf_token(client)})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() == {"reference": first.json()["reference"],
                                            "received": True}
    with app.state.sessionmaker() as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.source == "self"
