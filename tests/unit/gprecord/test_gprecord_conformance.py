"""Conformance of every FHIR resource Linkwell emits: the message back to the GP (Bundle,
Composition, Patient, Organization, ServiceRequest, Observation, Binary), the referral
answers (OperationOutcome), the local code systems (CodeSystem) and the referrals export
(Bundle, Patient, ServiceRequest, Consent, Task).

- The base FHIR R4 cardinalities are enforced by parsing with ``fhir.resources`` (its models
  are generated from the base StructureDefinitions; a missing 1.. element is refused).
- The UK Core constraints are read from the profiles' own StructureDefinitions, committed
  under tests/fixtures/fhir/ukcore (see its README for source and licence), not from a hand
  list: for each element of the differential, ``min``/``max``, fixed values, and required
  bindings, within slices found by their discriminator.
"""

import importlib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from gprecord_factories import message_facts
from linkwell.codes import clinical as codes
from linkwell.codes import ukcore
from linkwell.errors import InvalidInput
from linkwell.gprecord import domain, referral_in
from linkwell.referrals import fhir as referrals_fhir

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CODE_SYSTEMS = "https://linkwell.example.org/fhir/CodeSystem/"
PROFILES_DIR = Path(__file__).parents[2] / "fixtures" / "fhir" / "ukcore"
NS = {"f": "http://hl7.org/fhir"}
BCP47 = "urn:ietf:bcp:47"


# --- The UK Core StructureDefinitions, read -------------------------------------------------

def _value(element, name):
    node = element.find(f"f:{name}", NS)
    return None if node is None else node.get("value")


def _fixed(element):
    for child in element:
        tag = child.tag.split("}")[1]
        if tag.startswith(("fixed", "pattern")) and child.get("value") is not None:
            return child.get("value")
    return None


def _load_profiles() -> dict[str, dict]:
    profiles = {}
    for path in sorted(PROFILES_DIR.glob("UKCore-*.xml")):
        root = ET.parse(path).getroot()
        elements = {}
        for element in root.findall("f:differential/f:element", NS):
            binding = element.find("f:binding", NS)
            discriminator = element.find("f:slicing/f:discriminator", NS)
            type_profile = element.find("f:type/f:profile", NS)
            elements[element.get("id")] = {
                "min": int(_value(element, "min") or 0), "max": _value(element, "max"),
                "fixed": _fixed(element),
                "binding": None if binding is None else (
                    _value(binding, "strength"), _value(binding, "valueSet")),
                "discriminator": None if discriminator is None else (
                    _value(discriminator, "type"), _value(discriminator, "path")),
                "type_profile": None if type_profile is None else type_profile.get("value"),
            }
        profiles[_value(root, "url")] = {"type": _value(root, "type"), "elements": elements}
    return profiles


PROFILES = _load_profiles()


def _segments(element_id: str) -> list[tuple[str, str | None]]:
    return [(part.split(":")[0], part.split(":")[1] if ":" in part else None)
            for part in element_id.split(".")]


def _slice_filter(elements: dict, parent_id: str, slice_name: str):
    """Which items of a sliced element belong to the slice: by the discriminator's value (the
    slice's fixed value at the discriminator path), or an extension's url."""
    slicing = elements.get(parent_id, {}).get("discriminator")
    is_extension = parent_id.endswith(("extension", "modifierExtension"))
    if slicing is None and is_extension:
        slicing = ("value", "url")  # extensions are sliced by url (FHIR R4 Extension)
    if slicing and slicing[0] == "value":
        fixed = elements.get(f"{parent_id}:{slice_name}.{slicing[1]}", {}).get("fixed")
        if fixed is not None:
            return lambda item: isinstance(item, dict) and item.get(slicing[1]) == fixed
    url = elements.get(f"{parent_id}:{slice_name}", {}).get("type_profile")
    if url is None and is_extension:
        url = slice_name  # an extension defined inline is named by its slice
    if url is not None:
        return lambda item: isinstance(item, dict) and item.get("url") == url
    raise AssertionError(f"cannot tell which items are in slice {parent_id}:{slice_name}")


def _children(nodes: list, name: str) -> list:
    out = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        if name.endswith("[x]"):
            values = [v for k, v in node.items() if k.startswith(name[:-3])]
        else:
            values = [node[name]] if name in node else []
        for value in values:
            out.extend(value if isinstance(value, list) else [value])
    return out


def _per_parent(resource: dict, elements: dict, element_id: str) -> list[list]:
    """For each instance of the element's parent, the element's values within it."""
    segments = _segments(element_id)
    parents: list = [resource]
    walked = segments[0][0]
    for name, slice_name in segments[1:-1]:
        parents = _children(parents, name)
        if slice_name:
            parents = list(filter(_slice_filter(elements, f"{walked}.{name}", slice_name),
                                  parents))
            walked += f".{name}:{slice_name}"
        else:
            walked += f".{name}"
    name, slice_name = segments[-1]
    groups = []
    for parent in parents:
        values = _children([parent], name)
        if slice_name:
            values = list(filter(_slice_filter(elements, f"{walked}.{name}", slice_name),
                                 values))
        groups.append(values)
    return groups


def violations(resource: dict) -> list[str]:
    """What the resource's declared UK Core profile requires and it lacks."""
    found = []
    for url in resource.get("meta", {}).get("profile", []):
        profile = PROFILES.get(url)
        if profile is None:
            found.append(f"declares {url}, which is not among the committed profiles")
            continue
        if profile["type"] != resource["resourceType"]:
            found.append(f"declares {url}, a profile of {profile['type']}")
            continue
        elements = profile["elements"]
        for element_id, rule in elements.items():
            if "." not in element_id:
                continue
            for values in _per_parent(resource, elements, element_id):
                if len(values) < rule["min"]:
                    found.append(f"{element_id}: {len(values)} < min {rule['min']}")
                if rule["max"] not in (None, "*") and len(values) > int(rule["max"]):
                    found.append(f"{element_id}: {len(values)} > max {rule['max']}")
                for value in values:
                    if rule["fixed"] is not None and value != rule["fixed"]:
                        found.append(f"{element_id}: {value!r} is not {rule['fixed']!r}")
                    if rule["binding"] and rule["binding"][0] == "required":
                        found.extend(_binding_problem(element_id, value, rule["binding"][1]))
    return found


def _binding_problem(element_id: str, value, value_set: str) -> list[str]:
    """A required binding: a coded value from the value set. Membership is checked where the
    value set is a whole code system (all-languages: BCP-47); other expansions are not
    committed, so there a coding is required but not looked up."""
    codings = value.get("coding", []) if isinstance(value, dict) else []
    if not codings:
        return [f"{element_id}: required binding to {value_set} but no coding"]
    if value_set == "http://hl7.org/fhir/ValueSet/all-languages" and not any(
            c.get("system") == BCP47 for c in codings):
        return [f"{element_id}: required binding to {value_set} but no {BCP47} coding"]
    return []


def _parse(resource: dict):
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    return getattr(module, name).model_validate(resource)


def _with_contained(resource: dict):
    yield resource
    for entry in resource.get("entry", []):
        if "resource" in entry:  # a batch-response's entries carry only a response
            yield from _with_contained(entry["resource"])


def _check(resource: dict) -> None:
    _parse(resource)  # base R4 cardinality and types
    for item in _with_contained(resource):
        if item["resourceType"] in ukcore.PROFILED:
            assert item["meta"]["profile"] == [ukcore.profile(item["resourceType"])], item
        else:
            assert "profile" not in item.get("meta", {}), item
        assert violations(item) == [], (item["resourceType"], violations(item))


# --- The checker can fail ---------------------------------------------------------------------

def test_the_committed_profiles_are_the_ones_linkwell_declares():
    assert {PROFILES[url]["type"] for url in PROFILES} == set(ukcore.PROFILED)
    assert all(ukcore.profile(t) in PROFILES for t in ukcore.PROFILED)


def test_the_checker_finds_a_broken_nhs_number_and_ods_code():
    patient = {"resourceType": "Patient", "meta": ukcore.meta("Patient"),
               "identifier": [{"system": ukcore.NHS_NUMBER_SYSTEM},
                              {"system": ukcore.NHS_NUMBER_SYSTEM, "value": "9434765919"}]}
    assert "Patient.identifier:nhsNumber.value: 0 < min 1" in violations(patient)
    assert "Patient.identifier:nhsNumber: 2 > max 1" in violations(patient)
    practice = {"resourceType": "Organization", "meta": ukcore.meta("Organization"),
                "identifier": [{"system": ukcore.ODS_SYSTEM}]}
    assert violations(practice) == ["Organization.identifier:odsOrganisationCode.value: "
                                    "0 < min 1"]
    spoken = {"resourceType": "Patient", "meta": ukcore.meta("Patient"),
              "communication": [{"language": {"text": "Yoruba"}}]}
    assert violations(spoken) == ["Patient.communication.language: required binding to "
                                  "http://hl7.org/fhir/ValueSet/all-languages but no coding"]
    wrong = {"resourceType": "Task", "meta": ukcore.meta("Patient")}
    assert "a profile of Patient" in violations(wrong)[0]


def test_parsing_enforces_the_base_cardinality():
    with pytest.raises(ValueError, match="type"):
        _parse({"resourceType": "Composition", "status": "final", "date": "2026-01-01",
                "author": [{"display": "x"}], "title": "t"})


# --- Everything Linkwell emits ------------------------------------------------------------------

@pytest.mark.parametrize("kind,outcome", [("closure", "goals-met"), ("declined", "declined")])
def test_the_message_back_to_the_gp_conforms(kind, outcome):
    facts = message_facts(kind=kind, outcome=outcome)
    bundle = domain.build_bundle(facts, domain.render_pdf(facts), now=NOW,
                                 code_systems=CODE_SYSTEMS)
    _check(bundle)
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert types == {"Composition", "Patient", "Organization", "ServiceRequest",
                     "Observation", "Binary"}
    [patient] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "Patient"]
    assert patient["identifier"] == [{"system": ukcore.NHS_NUMBER_SYSTEM,
                                      "value": facts.nhs_number}]


def test_the_referral_answers_conform():
    refused = referral_in.operation_outcome(InvalidInput("bad", errors=[
        {"field": "nhs_number", "message": "invalid NHS number"}]))
    for outcome in (refused, referral_in.received("ServiceRequest/referral-1"),
                    referral_in.not_found("CodeSystem/x")):
        _check(outcome)


def test_the_local_code_systems_conform():
    for kind in codes.local_code_systems():
        _check(domain.code_system(kind, CODE_SYSTEMS))


NOW_REFERRAL = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _referral_export(language: str | None):
    person = SimpleNamespace(id=7, given_name="Ada", family_name="Okafor",
                             birth_date=datetime(1950, 3, 15).date(), nhs_number="9434765919",
                             sex="female", phone=None, email=None, postcode="SE13 5AA",
                             language=language)
    referral = SimpleNamespace(id=3, person_id=7, person=person, version=2, status="accepted",
                               created_at=NOW_REFERRAL, reasons=["loneliness"], notes="",
                               referrer_organization_id=None, source="gp",
                               consent_recorded_at=NOW_REFERRAL)
    onward = SimpleNamespace(id=11, version=1, status="requested", sent_at=NOW_REFERRAL,
                             organization_id="org-1", service_id="svc-1", reason="loneliness",
                             decline_reason=None, attended=None, outcome_note=None)
    return referrals_fhir.bundle(
        [referrals_fhir.patient(person), referrals_fhir.service_request(referral),
         referrals_fhir.consent(referral), referrals_fhir.referral_task(referral, NOW_REFERRAL),
         referrals_fhir.onward_task(onward, 7, 3, NOW_REFERRAL, "Befriending")],
        timestamp=NOW_REFERRAL)


def test_the_referrals_export_conforms():
    bundle = _referral_export(language=None)
    _check(bundle)
    verified = {c.code for c in codes.snomed_events().values()}
    sent = set(_snomed_codes(bundle))
    assert sent and sent <= verified


def _snomed_codes(value):
    if isinstance(value, dict):
        if value.get("system") == "http://snomed.info/sct":
            yield value["code"]
        for item in value.values():
            yield from _snomed_codes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _snomed_codes(item)


@pytest.mark.parametrize(("language", "tag"), [
    ("Yoruba", "yo"), ("british sign language", "bfi"), ("Farsi", "fa"),
    ("Gibberish", "und")])
def test_a_spoken_language_is_sent_as_a_bcp47_tag_with_the_words_entered(language, tag):
    bundle = _referral_export(language=language)
    _check(bundle)
    [patient] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "Patient"]
    sent = patient["communication"][0]["language"]
    assert sent["coding"][0]["code"] == tag and sent["text"] == language


def test_an_inbound_language_code_without_text_is_recorded_by_its_name():
    from fhir.resources.patient import Patient

    resource = Patient.model_validate({
        "resourceType": "Patient", "birthDate": "1950-03-15",
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                    "code": "pl"}]}}]})
    assert referrals_fhir._person_fields(resource)["language"] == "Polish"


def test_the_answer_to_an_imported_batch_conforms():
    _check(referrals_fhir.batch_response(["ServiceRequest/referral-1",
                                          "ServiceRequest/referral-2"]))


@pytest.mark.parametrize("key", ["wemwbs", "swemwbs", "ons4", "ucla3"])
def test_questionnaires_and_their_responses_conform_to_base_r4(key):
    """UK Core has no Questionnaire or QuestionnaireResponse profile: they declare none and
    are checked against the base R4 definitions."""
    from linkwell.outcomes.fhir import questionnaire, questionnaire_response
    from linkwell.outcomes.instruments import get_instrument

    definition = get_instrument(key)
    _check(questionnaire(definition, base_url="https://linkwell.example"))
    answers = {item.link_id: definition.options_for(item)[0].value for item in definition.items}
    _check(questionnaire_response(definition, answers, base_url="https://linkwell.example",
                                  authored=NOW_REFERRAL, response_id="m-1",
                                  subject_reference="Patient/7"))
