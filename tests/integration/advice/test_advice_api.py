import logging
from datetime import date, timedelta

import pytest

from advice_fixtures import CA_DEBT, CA_PAUSED, HACKNEY_DEBT, HOME, LC_HOUSING, add_advice_directory

DONE_WHEN = ("my landlord gave me a section 21 and I'm behind on council tax, "
             "the bailiffs are coming")


@pytest.fixture
def directory(session):
    with session.begin():
        add_advice_directory(session)


def test_triage_api_done_when_example(client, directory):
    today = date.today()
    response = client.post("/api/advice/triage", json={
        "text": DONE_WHEN, "postcode": "se13 5aa",
        "answers": {"notice_received": "yes", "notice_type": "section_21",
                    "notice_end_date": (today + timedelta(days=40)).isoformat(),
                    "bailiff_stage": "letter",
                    "enforcement_notice_date": (today - timedelta(days=2)).isoformat()}})
    assert response.status_code == 200
    data = response.json()
    assert {c["code"] for c in data["categories"]} == {"housing", "debt"}
    assert data["urgent"] is True
    whats = [d["what"] for d in data["deadlines"]]
    assert "Earliest date bailiffs can visit" in whats
    assert "Date your notice says you must leave by" in whats
    assert data["deadlines"][0]["urgent"] is True  # urgent ones first
    for deadline in data["deadlines"]:
        date.fromisoformat(deadline["date"])
    assert any("prevention duty" in note for note in data["notes"])
    assert data["legal_aid"] == "likely_in_scope"
    assert data["level"] in ("specialist_casework", "legal_representation")
    ids = [p["service_id"] for p in data["providers"]]
    assert LC_HOUSING in ids and CA_DEBT in ids and HACKNEY_DEBT in ids
    assert ids[-1] == CA_PAUSED  # paused services come last
    law_centre = next(p for p in data["providers"] if p["service_id"] == LC_HOUSING)
    assert law_centre["legal_aid_provider"] is True
    assert any("legal aid" in r for r in law_centre["reasons"])
    assert any("Serves Lewisham" in r for r in law_centre["reasons"])
    hackney = next(p for p in data["providers"] if p["service_id"] == HACKNEY_DEBT)
    assert any("other boroughs" in r for r in hackney["reasons"])


def test_triage_api_never_routes_to_services_outside_advice(client, directory):
    data = client.post("/api/advice/triage",
                       json={"text": "I'm lonely and would like to meet people",
                             "postcode": HOME}).json()
    assert all("befriend" not in p["name"].lower() for p in data["providers"])


def test_triage_api_language_is_a_reason(client, directory):
    data = client.post("/api/advice/triage", json={
        "text": "landlord is evicting me", "postcode": HOME, "language": "Polish"}).json()
    assert data["providers"][0]["service_id"] == LC_HOUSING
    assert "Works in Polish" in data["providers"][0]["reasons"]


def test_triage_api_empty_text_is_a_clear_422(client):
    for body in ({"text": ""}, {"text": "   "}, {}):
        response = client.post("/api/advice/triage", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "text"


def test_triage_api_bad_answers_and_postcode_are_422(client):
    response = client.post("/api/advice/triage", json={
        "text": "evicted", "answers": {"hearing_date": "next week"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers.hearing_date"
    response = client.post("/api/advice/triage", json={"text": "evicted", "postcode": "nowhere"})
    assert response.status_code == 422


def test_triage_api_unknown_postcode_is_a_note_not_an_error(client, directory):
    data = client.post("/api/advice/triage",
                       json={"text": "bailiffs about council tax", "postcode": "ZZ9 9ZZ"}).json()
    assert any("postcode" in note for note in data["notes"])
    assert data["providers"]


def test_triage_api_long_text_is_capped_and_says_so(client):
    data = client.post("/api/advice/triage",
                       json={"text": "my PIP was stopped and I can't pay. " * 300}).json()
    assert any("5,000" in note for note in data["notes"])


def test_triage_api_non_english_routes_to_a_generalist(client, directory):
    data = client.post("/api/advice/triage",
                       json={"text": "Komornik przyszedł do mnie wczoraj i zabrał samochód",
                             "postcode": HOME}).json()
    assert data["categories"] == []
    assert data["level"] == "general_advice"
    assert any("could not read" in note for note in data["notes"])


def test_triage_api_empty_directory_says_so(client):
    data = client.post("/api/advice/triage", json={"text": "bailiffs"}).json()
    assert data["providers"] == []
    assert any("No advice providers" in note for note in data["notes"])


def test_triage_api_never_logs_the_description(client, directory, caplog):
    secret = "Mrs Zebedee Quartermaine of 12 Hypothetical Road was evicted"
    with caplog.at_level(logging.DEBUG):
        client.post("/api/advice/triage", json={"text": secret, "postcode": HOME})
        client.post("/api/advice/triage", json={"text": secret, "answers": {"x": "y"}})
    assert "Quartermaine" not in caplog.text


def test_triage_api_is_documented_in_openapi(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/advice/triage"]["post"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] \
        .endswith("/TriageOut")
    assert "/advice" not in spec["paths"]  # pages stay out of the API description
