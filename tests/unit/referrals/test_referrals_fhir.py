"""FHIR R4 mapping: exported resources parse with fhir.resources R4B and import back."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from fhir.resources.R4B.bundle import Bundle

from linkwell.errors import InvalidInput
from linkwell.referrals import fhir

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PERSON = SimpleNamespace(id=7, given_name="Ada", family_name="Okafor",
                         birth_date=date(1950, 3, 15), nhs_number="9434765919", sex="female",
                         phone="020 7946 0000", email=None, postcode="SE13 5AA",
                         language="Yoruba")
REFERRAL = SimpleNamespace(id=3, person_id=7, person=PERSON, version=2, status="in-progress",
                           created_at=NOW, reasons=["loneliness", "debt"], notes="Lives alone",
                           referrer_organization_id=None, source="gp",
                           consent_recorded_at=NOW)
ONWARD = SimpleNamespace(id=11, version=3, status="rejected", sent_at=NOW,
                         organization_id="org-1", service_id="svc-1", reason="loneliness",
                         decline_reason="no-capacity", attended=None, outcome_note=None)


def _bundle():
    return fhir.bundle([fhir.patient(PERSON), fhir.service_request(REFERRAL),
                        fhir.consent(REFERRAL), fhir.referral_task(REFERRAL, NOW),
                        fhir.onward_task(ONWARD, 7, 3, NOW, "Befriending")], timestamp=NOW)


def test_export_parses_with_r4b_models():
    bundle = Bundle.model_validate(_bundle())
    patient, request, consent, task, onward = (e.resource for e in bundle.entry)
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert request.status == "active" and request.code.coding[0].code == "871731000000106"
    assert consent.provision.type == "permit"
    assert task.status == "in-progress" and task.meta.versionId == "2"
    assert onward.owner.reference == "Organization/org-1"
    assert onward.statusReason.coding[0].code == "no-capacity"


def test_import_round_trip_keeps_person_reasons_source_and_consent():
    [item] = fhir.parse_referrals(_bundle())
    assert item["person"]["nhs_number"] == "9434765919"
    assert item["person"]["birth_date"] == date(1950, 3, 15)
    assert item["person"]["language"] == "Yoruba"
    assert (item["reasons"], item["source"], item["consent_to_share"]) == (
        ["loneliness", "debt"], "gp", True)


def test_import_without_consent_resource_means_no_consent():
    data = fhir.bundle([fhir.patient(PERSON), fhir.service_request(REFERRAL)])
    assert fhir.parse_referrals(data)[0]["consent_to_share"] is False


@pytest.mark.parametrize("data", [
    {"resourceType": "Patient"},
    {"resourceType": "Bundle", "type": "collection", "entry": []},
    {"resourceType": "Bundle", "type": "nonsense"},
])
def test_import_bad_bundle_is_invalid_input(data):
    with pytest.raises(InvalidInput):
        fhir.parse_referrals(data)


def test_the_referrer_organisation_carries_its_ods_code_for_gp_systems():
    from_practice = SimpleNamespace(**{**vars(REFERRAL), "referrer_organization_id": "org-9"})
    request = Bundle.model_validate(fhir.bundle(
        [fhir.service_request(from_practice, "G85001")], timestamp=NOW)).entry[0].resource
    assert request.requester.reference == "Organization/org-9"
    assert request.requester.identifier.system == (
        "https://fhir.nhs.uk/Id/ods-organization-code")
    assert request.requester.identifier.value == "G85001"
    assert "identifier" not in fhir.service_request(from_practice)["requester"]

