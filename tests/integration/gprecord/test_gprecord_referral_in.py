"""The standard's referral in: a FHIR R4 ServiceRequest with the person and consent
contained; a malformed one is answered with an OperationOutcome naming each field."""

import copy

from sqlalchemy import select

from linkwell.gprecord.models import GpRegistration
from linkwell.referrals.models import Person, Referral
from referrals_factories import VALID_NHS

SERVICE_REQUEST = {
    "resourceType": "ServiceRequest", "status": "active", "intent": "order",
    "contained": [
        {"resourceType": "Patient", "id": "pat",
         "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": VALID_NHS}],
         "name": [{"family": "Okafor", "given": ["Ada"]}], "birthDate": "1950-03-15",
         "address": [{"postalCode": "SE13 5AA"}],
         "generalPractitioner": [{"identifier": {
             "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "X26"}}]},
        {"resourceType": "Consent", "id": "consent", "status": "active",
         "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                               "code": "patient-privacy"}]},
         "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
         "patient": {"reference": "#pat"},
         "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                    "code": "OPTIN"}]},
         "provision": {"type": "permit"}},
    ],
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "871731000000106"}]},
    "subject": {"reference": "#pat"},
    "reasonCode": [{"coding": [{"system": "https://referrer.example.org/fhir/CodeSystem/need",
                                "code": "loneliness"}]}],
    "supportingInfo": [{"reference": "#consent"}],
}


def test_a_standard_referral_is_accepted_with_the_gp_practice(client, app, login):
    login("referrer")
    response = client.post("/fhir/ServiceRequest", json=SERVICE_REQUEST)
    assert response.status_code == 201, response.text
    assert response.headers["location"].startswith("ServiceRequest/referral-")
    with app.state.sessionmaker() as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.reasons == ["loneliness"]
        person = session.get(Person, referral.person_id)
        assert person.nhs_number == VALID_NHS
        assert session.get(GpRegistration, person.id).practice_ods == "X26"


def _expressions(response) -> set[str]:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return {e for issue in body["issue"] for e in issue["expression"]}


def test_missing_items_are_each_named_in_an_operation_outcome(client, app, login):
    login("referrer")
    bad = copy.deepcopy(SERVICE_REQUEST)
    patient = bad["contained"][0]
    del patient["birthDate"], patient["generalPractitioner"]
    bad["code"]["coding"][0]["code"] = "12345"
    bad["reasonCode"] = []
    response = client.post("/fhir/ServiceRequest", json=bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert _expressions(response) == {
        "ServiceRequest.code", "ServiceRequest.contained[Patient].birthDate",
        "ServiceRequest.contained[Patient].generalPractitioner", "ServiceRequest.reasonCode"}
    with app.state.sessionmaker() as session:
        assert session.scalars(select(Referral)).all() == []


def test_invalid_fhir_names_the_element(client, login):
    login("referrer")
    bad = copy.deepcopy(SERVICE_REQUEST)
    bad["intent"] = 42
    response = client.post("/fhir/ServiceRequest", json=bad)
    assert response.status_code == 422
    assert any(e.startswith("ServiceRequest.intent") for e in _expressions(response))


def test_an_invalid_nhs_number_names_the_patient_identifier(client, login):
    login("referrer")
    bad = copy.deepcopy(SERVICE_REQUEST)
    bad["contained"][0]["identifier"][0]["value"] = "1234567890"
    response = client.post("/fhir/ServiceRequest", json=bad)
    assert response.status_code == 422
    assert "ServiceRequest.contained[Patient].identifier" in _expressions(response)
    assert "1234567890" not in response.text
