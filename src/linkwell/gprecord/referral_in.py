"""The standard's referral to social prescribing services, in: a FHIR R4 ``ServiceRequest``
with the person (and their consent) as contained resources. No I/O: it is checked item by
item, each problem naming its FHIR path, and then read by the referrals area's one FHIR
reader (``referrals.fhir.parse_referrals``) so the two ways in cannot drift apart."""

import json
import uuid

from pydantic import ValidationError

from linkwell.codes import clinical as coded
from linkwell.codes import ukcore
from linkwell.errors import InvalidInput
from linkwell.referrals import fhir as referrals_fhir

# Where a referral field's problem lies in the inbound ServiceRequest.
FIELD_PATHS = {
    "nhs_number": "ServiceRequest.contained[Patient].identifier",
    "birth_date": "ServiceRequest.contained[Patient].birthDate",
    "given_name": "ServiceRequest.contained[Patient].name.given",
    "family_name": "ServiceRequest.contained[Patient].name.family",
    "postcode": "ServiceRequest.contained[Patient].address.postalCode",
    "email": "ServiceRequest.contained[Patient].telecom",
    "phone": "ServiceRequest.contained[Patient].telecom",
    "reasons": "ServiceRequest.reasonCode",
    "source": "ServiceRequest.category",
    "consent_to_share": "ServiceRequest.contained[Consent]",
}


def _error(path: str, message: str) -> dict:
    return {"field": path, "message": message}


def parse(data: object) -> tuple[dict, str]:
    """The referral's fields (as ``parse_referrals`` gives them) and the GP practice's ODS
    code, or InvalidInput whose errors name each FHIR path at fault."""
    from fhir.resources.R4B.servicerequest import ServiceRequest

    if not isinstance(data, dict) or data.get("resourceType") != "ServiceRequest":
        raise InvalidInput("Send a FHIR R4 ServiceRequest", errors=[
            _error("ServiceRequest.resourceType", "must be ServiceRequest")])
    try:
        ServiceRequest.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("The ServiceRequest is not valid FHIR R4", errors=[
            _error(".".join(["ServiceRequest", *(str(p) for p in e["loc"]
                                                  if p != "__root__")]), e["msg"][:200])
            for e in exc.errors()[:20]]) from None
    contained = {c.get("id"): c for c in data.get("contained") or [] if isinstance(c, dict)}
    errors = []
    code = (data.get("code") or {}).get("coding") or []
    referral = coded.snomed("referral")
    if not any(c.get("system") == coded.snomed_system() and c.get("code") == referral.code
               for c in code):
        errors.append(_error("ServiceRequest.code",
                             f"must carry SNOMED CT {referral.code} ({referral.display})"))
    subject = ((data.get("subject") or {}).get("reference") or "")
    patient = contained.get(subject[1:]) if subject.startswith("#") else None
    if patient is None or patient.get("resourceType") != "Patient":
        errors.append(_error("ServiceRequest.subject",
                             "must reference the contained Patient (#id)"))
        raise InvalidInput("The referral does not name its person", errors=errors)
    path = "ServiceRequest.contained[Patient]"
    if not patient.get("name"):
        errors.append(_error(f"{path}.name", "the person's name is required"))
    if not patient.get("birthDate"):
        errors.append(_error(f"{path}.birthDate", "the date of birth is required"))
    practice_ods = next((i.get("value") for gp in patient.get("generalPractitioner") or []
                         for i in [gp.get("identifier") or {}]
                         if i.get("system") == ukcore.ODS_SYSTEM and i.get("value")), None)
    if not practice_ods:
        errors.append(_error(f"{path}.generalPractitioner",
                             "the registered GP practice's ODS code "
                             f"({ukcore.ODS_SYSTEM}) is required"))
    if not data.get("reasonCode"):
        errors.append(_error("ServiceRequest.reasonCode", "the reason for referral is required"))
    if errors:
        raise InvalidInput("The referral is missing items the standard requires", errors=errors)
    try:
        [fields] = referrals_fhir.parse_referrals(_as_bundle(data, contained))
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, errors=[_error("ServiceRequest", exc.detail)]) from None
    return fields, practice_ods.strip().upper()


def _as_bundle(data: dict, contained: dict) -> dict:
    """The ServiceRequest and its contained resources as the Bundle the referrals reader
    takes: '#id' references become the entries' urn:uuid full URLs."""
    text = json.dumps({k: v for k, v in data.items() if k != "contained"})
    parts = [json.dumps(c) for c in contained.values()]
    urls = {}
    for local_id in contained:
        urls[local_id] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'#{local_id}')}"
        text = text.replace(f'"#{local_id}"', f'"{urls[local_id]}"')
        parts = [p.replace(f'"#{local_id}"', f'"{urls[local_id]}"') for p in parts]
    entries = [{"fullUrl": urls[local_id], "resource": json.loads(part)}
               for local_id, part in zip(contained, parts, strict=True)]
    entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": json.loads(text)})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _outcome(issues: list[dict]) -> dict:
    return {"resourceType": "OperationOutcome", "meta": ukcore.meta("OperationOutcome"),
            "issue": issues}


def operation_outcome(exc: InvalidInput) -> dict:
    """The FHIR answer to a refused referral: one issue per field, its path in
    ``expression`` (never the submitted values, which may be personal data)."""
    issues = [{"severity": "error", "code": "invalid", "diagnostics": e.get("message", ""),
               "expression": [FIELD_PATHS.get(e.get("field", ""), e.get("field") or
                                              "ServiceRequest")]}
              for e in exc.errors] or [{"severity": "error", "code": "invalid",
                                        "diagnostics": exc.detail}]
    return _outcome(issues)


def received(location: str) -> dict:
    return _outcome([{"severity": "information", "code": "informational",
                      "diagnostics": f"Referral received as {location}"}])


def not_found(what: str) -> dict:
    return _outcome([{"severity": "error", "code": "not-found",
                      "diagnostics": f"{what} is not known here"}])
