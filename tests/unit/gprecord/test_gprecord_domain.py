"""The message back to the GP: a FHIR R4 document Bundle that parses and carries the verified
SNOMED CT codes; the local code systems; matching a person with no NHS number. (Conformance
to the UK Core profiles: test_gprecord_conformance.)"""

import base64
import importlib
import json
from datetime import UTC, date, datetime

import pytest

from gprecord_factories import VALID_NHS, message_facts
from linkwell.codes import clinical as codes
from linkwell.gprecord import domain
from linkwell.referrals import domain as referrals_domain

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

CODE_SYSTEMS = "https://linkwell.example.org/fhir/CodeSystem/"


def _resources(bundle):
    yield bundle
    for entry in bundle["entry"]:
        yield entry["resource"]


def _parse(resource: dict):
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    return getattr(module, name).model_validate(resource)


@pytest.mark.parametrize("kind,outcome", [("closure", "goals-met"), ("declined", "declined")])
def test_bundle_is_a_document_whose_sections_point_at_its_entries(kind, outcome):
    facts = message_facts(kind=kind, outcome=outcome)
    bundle = build(facts, domain.render_pdf(facts))
    assert bundle["type"] == "document"
    assert bundle["entry"][0]["resource"]["resourceType"] == "Composition"
    for resource in _resources(bundle):
        _parse(resource)
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    for section in bundle["entry"][0]["resource"]["section"]:
        for ref in section.get("entry", []):
            assert ref["reference"] in urls


def test_the_plan_goals_are_in_the_document_and_the_pdf():
    facts = message_facts()
    composition = build(facts)["entry"][0]["resource"]
    [plan] = [s for s in composition["section"]
              if s["title"] == "Personalised care and support plan"]
    assert "Join a walking group (achieved)" in plan["text"]["div"]
    assert ("Goal", "Sort out the council tax debt: not achieved") in \
        domain.summary_lines(facts)


def build(facts, pdf=b"%PDF-1.4"):
    return domain.build_bundle(facts, pdf, now=NOW, code_systems=CODE_SYSTEMS)


def test_bundle_patient_carries_the_nhs_number_and_the_practice():
    facts = message_facts()
    bundle = build(facts)
    patient = next(r for r in _resources(bundle) if r["resourceType"] == "Patient")
    assert patient["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number",
                                      "value": VALID_NHS}]
    practice = next(r for r in _resources(bundle) if r["resourceType"] == "Organization")
    assert practice["identifier"][0]["value"] == "X26"


def test_bundle_codes_the_referral_and_the_decline_in_snomed_ct():
    facts = message_facts(kind="declined", outcome="declined", needs=(), support=())
    text = json.dumps(build(facts))
    assert codes.snomed("referral").code in text
    assert codes.snomed("declined").code in text
    closure = json.dumps(build(message_facts()))
    assert codes.snomed("declined").code not in closure


def test_bundle_local_codes_are_in_the_deployments_code_systems_which_define_them():
    bundle = build(message_facts(referral_reasons=("loneliness", "other")))
    codings = [c for r in _resources(bundle) for c in _codings(r)]
    assert "http://snomed.info/sct" in {c["system"] for c in codings}
    local = [c for c in codings if c["system"] not in ("http://snomed.info/sct",
                                                       "http://loinc.org")]
    assert local
    for coding in local:
        assert coding["system"].startswith(CODE_SYSTEMS) and "nhs.uk" not in coding["system"]
        system = domain.code_system(coding["system"].removeprefix(CODE_SYSTEMS), CODE_SYSTEMS)
        assert system["url"] == coding["system"]
        assert {"code": coding["code"], "display": coding["display"]} in system["concept"]


def test_every_local_code_system_parses_as_a_complete_fhir_code_system():
    from fhir.resources.R4B.codesystem import CodeSystem

    for kind in codes.local_code_systems():
        resource = domain.code_system(kind, CODE_SYSTEMS)
        CodeSystem.model_validate(resource)
        assert resource["url"] == CODE_SYSTEMS + kind
        assert resource["count"] == len(resource["concept"]) > 0
    assert domain.code_system("no-such-system", CODE_SYSTEMS) is None


def test_the_code_system_base_is_the_deployments_public_address():
    from linkwell.settings import Settings

    public = Settings(public_url="https://sp.example.nhs.test/")
    assert codes.local_system_base(public) == "https://sp.example.nhs.test/fhir/CodeSystem/"
    assert codes.local_system("need", codes.local_system_base(public)) == \
        "https://sp.example.nhs.test/fhir/CodeSystem/need"
    with pytest.raises(KeyError):
        codes.local_system("made-up", "https://x/")


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
    bundle = build(facts, domain.render_pdf(facts))
    binary = next(r for r in _resources(bundle) if r["resourceType"] == "Binary")
    pdf = base64.b64decode(binary["data"])
    assert binary["contentType"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_codes_every_snomed_concept_cites_a_published_source():
    events = codes.snomed_events()
    assert set(events) == {"referral", "declined", "social-service-category"}
    for concept in events.values():
        assert concept.code.isdigit() and concept.display
        assert concept.sources and all(s.startswith(("https://", "http://hl7.org/"))
                                       for s in concept.sources)
    # The standard's other coded events have no verified concept: said why, sent locally.
    assert {"offered", "support-offered", "need", "closure-reason"} <= set(codes.not_verified())


def test_every_snomed_code_in_a_bundle_is_a_verified_one():
    verified = {c.code for c in codes.snomed_events().values()}
    for kind, outcome in (("closure", "goals-met"), ("declined", "declined")):
        bundle = build(message_facts(kind=kind, outcome=outcome))
        sent = {c["code"] for r in _resources(bundle) for c in _codings(r)
                if c["system"] == "http://snomed.info/sct"}
        assert sent and sent <= verified


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


# --- A person with no NHS number -----------------------------------------------------------

def _who(person_id=1, **overrides):
    values = {"given_name": "Ada", "family_name": "Okafor", "birth_date": date(1950, 3, 15),
              "postcode": "SE13 5AA", "sex": "female", "nhs_number": None,
              "practice_ods": "X26"}
    values.update(overrides)
    return domain.Demographics(person_id, **values)


def test_match_finds_the_one_record_with_all_five_items_at_the_same_practice():
    other = _who(2, given_name="ADA ", family_name="Okafor", postcode="se135aa",
                 nhs_number=VALID_NHS)
    found, reason = domain.match_demographics(_who(), [other, _who(3, nhs_number="4010232137",
                                                                 sex="male")])
    assert (found.person_id, found.nhs_number, reason) == (2, VALID_NHS, None)
    # A match with no registration of its own does not contradict the person's practice.
    found, _ = domain.match_demographics(_who(), [_who(2, nhs_number=VALID_NHS,
                                                       practice_ods=None)])
    assert found.nhs_number == VALID_NHS


@pytest.mark.parametrize("person,candidates,expected", [
    (_who(sex=None), [_who(2, sex=None, nhs_number=VALID_NHS)], "sex not recorded"),
    (_who(sex="unknown"), [_who(2, nhs_number=VALID_NHS)], "sex not recorded"),
    (_who(postcode=None), [_who(2, postcode=None, nhs_number=VALID_NHS)],
     "postcode not recorded"),
    (_who(), [], "no other record matches"),
    (_who(), [_who(2)], "no other record matches"),  # the match has no NHS number either
    (_who(), [_who(2, nhs_number=VALID_NHS, birth_date=date(1950, 3, 16))],
     "no other record matches"),
    (_who(), [_who(2, nhs_number=VALID_NHS, sex="male")], "no other record matches"),
    (_who(), [_who(2, nhs_number=VALID_NHS), _who(3, nhs_number="4010232137")],
     "different NHS numbers"),
    (_who(practice_ods=None), [_who(2, nhs_number=VALID_NHS)], "practice is not recorded"),
    (_who(), [_who(2, nhs_number=VALID_NHS, practice_ods="Y99")], "different GP practice"),
])
def test_anything_short_of_a_safe_match_is_flagged(person, candidates, expected):
    found, reason = domain.match_demographics(person, candidates)
    assert found is None and expected in reason
    assert "Ada" not in reason and "Okafor" not in reason and VALID_NHS not in reason


def test_a_record_never_matches_itself():
    found, reason = domain.match_demographics(_who(nhs_number=None),
                                              [_who(1, nhs_number=VALID_NHS)])
    assert found is None and "no other record" in reason
