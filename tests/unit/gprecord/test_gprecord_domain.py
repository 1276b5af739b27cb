"""The message back to the GP: a FHIR R4 document Bundle that parses, meets each declared
UK Core profile's required elements, and carries the verified SNOMED CT codes."""

import base64
import importlib
import json
from datetime import UTC, datetime

import pytest

from gprecord_factories import VALID_NHS, message_facts
from linkwell.gprecord import codes, domain
from linkwell.referrals import domain as referrals_domain

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# Elements each declared profile requires (cardinality 1..): the base resource's and the
# UK Core profile's; the NHS number identifier is what a GP system matches on.
REQUIRED = {
    "Bundle": ["identifier", "type", "timestamp", "entry"],
    "Composition": ["status", "type", "subject", "date", "author", "title"],
    "Patient": ["identifier"],
    "Organization": ["identifier", "name"],
    "Observation": ["status", "code", "subject"],
    "ServiceRequest": ["status", "intent", "subject", "code"],
    "Binary": ["contentType", "data"],
}


def _resources(bundle):
    yield bundle
    for entry in bundle["entry"]:
        yield entry["resource"]


def _parse(resource: dict):
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    return getattr(module, name).model_validate(resource)


@pytest.mark.parametrize("kind,outcome", [("closure", "goals-met"), ("declined", "declined")])
def test_bundle_every_resource_parses_and_meets_its_profile(kind, outcome):
    facts = message_facts(kind=kind, outcome=outcome)
    bundle = domain.build_bundle(facts, domain.render_pdf(facts), now=NOW)
    assert bundle["type"] == "document"
    assert bundle["entry"][0]["resource"]["resourceType"] == "Composition"
    for resource in _resources(bundle):
        _parse(resource)
        name = resource["resourceType"]
        missing = [e for e in REQUIRED[name] if not resource.get(e)]
        assert missing == [], f"{name} lacks {missing}"
        if name != "Binary":
            assert resource["meta"]["profile"] == [domain.UK_CORE + name]
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    for section in bundle["entry"][0]["resource"]["section"]:
        for ref in section["entry"]:
            assert ref["reference"] in urls


def test_bundle_patient_carries_the_nhs_number_and_the_practice():
    facts = message_facts()
    bundle = domain.build_bundle(facts, b"%PDF-1.4", now=NOW)
    patient = next(r for r in _resources(bundle) if r["resourceType"] == "Patient")
    assert patient["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number",
                                      "value": VALID_NHS}]
    practice = next(r for r in _resources(bundle) if r["resourceType"] == "Organization")
    assert practice["identifier"][0]["value"] == "X26"


def test_bundle_codes_the_referral_and_the_decline_in_snomed_ct():
    facts = message_facts(kind="declined", outcome="declined", needs=(), support=())
    text = json.dumps(domain.build_bundle(facts, b"%PDF", now=NOW))
    assert codes.snomed("referral").code in text
    assert codes.snomed("declined").code in text
    closure = json.dumps(domain.build_bundle(message_facts(), b"%PDF", now=NOW))
    assert codes.snomed("declined").code not in closure


def test_bundle_local_codes_use_the_projects_own_code_systems():
    bundle = domain.build_bundle(message_facts(), b"%PDF", now=NOW)
    systems = {c["system"] for r in _resources(bundle) for c in _codings(r)}
    assert "http://snomed.info/sct" in systems
    for system in systems - {"http://snomed.info/sct", "http://loinc.org"}:
        assert system.startswith(codes.local_system_base())
        assert "nhs.uk" not in system


def _codings(value):
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for item in value.values():
            yield from _codings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _codings(item)


def test_bundle_pdf_binary_is_a_readable_pdf():
    facts = message_facts()
    bundle = domain.build_bundle(facts, domain.render_pdf(facts), now=NOW)
    binary = next(r for r in _resources(bundle) if r["resourceType"] == "Binary")
    pdf = base64.b64decode(binary["data"])
    assert binary["contentType"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_codes_every_snomed_concept_cites_a_published_source():
    events = codes.snomed_events()
    assert set(events) == {"referral", "declined"}
    for concept in events.values():
        assert concept.code.isdigit() and concept.display
        assert concept.sources and all(s.startswith("https://") for s in concept.sources)


def test_codes_referrals_domain_reads_the_same_data():
    assert referrals_domain.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING.code == \
        codes.snomed("referral").code
    assert referrals_domain.CLOSURE_REASONS["declined"].snomed == codes.snomed("declined").code


@pytest.mark.parametrize("kwargs,expected", [
    ({"nhs_number": None, "practice_ods": "X26", "practice_known": True, "mailbox": "M"},
     "no NHS number"),
    ({"nhs_number": VALID_NHS, "practice_ods": None, "practice_known": False, "mailbox": None},
     "not recorded"),
    ({"nhs_number": VALID_NHS, "practice_ods": "Q99", "practice_known": False,
      "mailbox": None}, "Unknown GP practice ODS code Q99"),
    ({"nhs_number": VALID_NHS, "practice_ods": "X26", "practice_known": True, "mailbox": None},
     "no MESH mailbox"),
])
def test_blocker_holds_a_message_that_cannot_safely_go(kwargs, expected):
    assert expected in domain.blocker(**kwargs)


def test_blocker_lets_a_complete_message_go():
    assert domain.blocker(nhs_number=VALID_NHS, practice_ods="X26", practice_known=True,
                          mailbox="X26ABC2") is None


def test_backoff_doubles():
    assert [domain.backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]


def test_pdf_renders_names_outside_latin1_without_failing():
    pdf = domain.render_pdf(message_facts(given_name="Zoë 李", what_matters="a – b “c”"))
    assert pdf.startswith(b"%PDF-")
