"""HL7 FHIR R4 for referrals, following the SDOH Clinical Care closed-loop referral pattern.

- Person -> ``Patient`` (NHS number under https://fhir.nhs.uk/Id/nhs-number).
- Referral -> ``ServiceRequest`` coded SNOMED CT 871731000000106 "Referral to social
  prescribing service", plus a ``Task`` that tracks it through the state machine; its
  ``requester`` names the referrer's organisation with its ODS code when it has one.
- Consent to share -> ``Consent`` (opt-in, patient privacy).
- Onward referral -> ``Task`` whose ``owner`` is the service's ``Organization``; status,
  ``statusReason`` (decline reason) and ``output`` (outcome note) close the loop.

Export builds plain dicts (the JSON); import parses with ``fhir.resources`` R4B models so a
malformed resource is refused before anything is written.
"""

from datetime import date, datetime

from linkwell import codes
from linkwell.codes import clinical as coded
from linkwell.codes import languages, ukcore
from linkwell.errors import InvalidInput
from linkwell.referrals import domain
from linkwell.referrals.domain import SNOMED, Status

NHS_NUMBER_SYSTEM = ukcore.NHS_NUMBER_SYSTEM
ODS_ORGANIZATION_CODE = ukcore.ODS_SYSTEM  # UK Core naming system
TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"

# ServiceRequest.status (request-status) for each Task status the referral can be in.
SERVICE_REQUEST_STATUS = {
    Status.DRAFT: "draft", Status.REQUESTED: "active", Status.RECEIVED: "active",
    Status.ACCEPTED: "active", Status.IN_PROGRESS: "active", Status.ON_HOLD: "on-hold",
    Status.COMPLETED: "completed", Status.REJECTED: "revoked", Status.CANCELLED: "revoked",
    Status.FAILED: "revoked",
}


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _snomed(event: str) -> dict:
    concept = coded.snomed(event)  # verified, with its sources, in codes/data/clinical.json
    return {"system": SNOMED, "code": concept.code, "display": concept.display}


def _coding(kind: str, code: domain.Code) -> dict:
    if code.snomed:
        return {"system": SNOMED, "code": code.snomed, "display": code.display}
    # Linkwell's own code systems, at this deployment's address (never an nhs.uk one)
    return {"system": coded.local_system(kind), "code": code.code, "display": code.display}


def patient(person) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": f"person-{person.id}",
        "meta": ukcore.meta("Patient"),
        "name": [{"use": "official", "family": person.family_name,
                  "given": [person.given_name]}],
        "birthDate": person.birth_date.isoformat(),
    }
    if person.nhs_number:
        resource["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    if person.sex:
        resource["gender"] = person.sex  # stored as FHIR AdministrativeGender (codes.sex)
    telecom = []
    if person.phone:
        telecom.append({"system": "phone", "value": person.phone})
    if person.email:
        telecom.append({"system": "email", "value": person.email})
    if telecom:
        resource["telecom"] = telecom
    if person.postcode:
        resource["address"] = [{"use": "home", "postalCode": person.postcode}]
    if person.language:
        resource["communication"] = [{"language": languages.concept(person.language),
                                      "preferred": True}]
    return resource


def service_request(referral, requester_ods_code: str | None = None) -> dict:
    resource = {
        "resourceType": "ServiceRequest",
        "id": f"referral-{referral.id}",
        "meta": ukcore.meta("ServiceRequest", versionId=str(referral.version)),
        "status": SERVICE_REQUEST_STATUS[Status(referral.status)],
        "intent": "order",
        "category": [
            {"coding": [_snomed("social-service-category")]},
            {"coding": [_coding("referral-source", domain.RECORDED_SOURCES[referral.source])]},
        ],
        "code": {"coding": [_coding("referral", domain.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING)]},
        "subject": {"reference": f"Patient/person-{referral.person_id}"},
        "authoredOn": _instant(referral.created_at),
        "reasonCode": [{"coding": [_coding("reason", domain.REFERRAL_REASONS[r])]}
                       for r in referral.reasons],
        "supportingInfo": [{"reference": f"Consent/consent-{referral.id}"}],
    }
    if referral.notes:
        resource["note"] = [{"text": referral.notes}]
    if referral.referrer_organization_id:
        resource["requester"] = {"reference":
                                 f"Organization/{referral.referrer_organization_id}"}
        if requester_ods_code:
            # The code a GP system knows the practice by, whatever our own ids are.
            resource["requester"]["identifier"] = {"system": ODS_ORGANIZATION_CODE,
                                                   "value": requester_ods_code}
    return resource


def consent(referral) -> dict:
    return {
        "resourceType": "Consent",
        "id": f"consent-{referral.id}",
        "meta": ukcore.meta("Consent"),
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0",
                                  "display": "Patient Consent"}]}],
        "patient": {"reference": f"Patient/person-{referral.person_id}"},
        "dateTime": _instant(referral.consent_recorded_at),
        "policyRule": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
        "provision": {"type": "permit", "purpose": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"}]},
    }


def _task(task_id: str, row, *, referral_id: int, person_id: int, authored: datetime,
          last_modified: datetime, description: str | None = None) -> dict:
    """What both kinds of Task say: an order to fulfil one referral, for one person."""
    resource = {
        "resourceType": "Task",
        "id": task_id,
        "meta": ukcore.meta("Task", versionId=str(row.version)),
        "status": row.status,
        "intent": "order",
        "code": {"coding": [{"system": TASK_CODE_SYSTEM, "code": "fulfill"}]},
        "description": description,
        "focus": {"reference": f"ServiceRequest/referral-{referral_id}"},
        "for": {"reference": f"Patient/person-{person_id}"},
        "authoredOn": _instant(authored),
        "lastModified": _instant(last_modified),
    }
    if description is None:
        del resource["description"]
    return resource


def referral_task(referral, last_modified: datetime) -> dict:
    return _task(f"referral-task-{referral.id}", referral, referral_id=referral.id,
                 person_id=referral.person_id, authored=referral.created_at,
                 last_modified=last_modified)


def onward_task(onward, person_id: int, referral_id: int, last_modified: datetime,
                service_name: str | None = None) -> dict:
    resource = _task(
        f"onward-{onward.id}", onward, referral_id=referral_id, person_id=person_id,
        authored=onward.sent_at, last_modified=last_modified,
        description=f"Referral to {service_name}" if service_name else None)
    resource.update({
        "owner": {"reference": f"Organization/{onward.organization_id}"},
        "reasonCode": {"coding": [_coding("reason", domain.REFERRAL_REASONS[onward.reason])]},
        "input": [{"type": {"text": "HealthcareService"},
                   "valueReference": {"reference": f"HealthcareService/{onward.service_id}"}}],
    })
    if onward.decline_reason:
        resource["statusReason"] = {"coding": [_coding(
            "decline-reason", domain.DECLINE_REASONS[onward.decline_reason])]}
    if onward.attended is False:
        resource["businessStatus"] = {"text": "Did not attend"}
    elif onward.attended:
        resource["businessStatus"] = {"text": "Attended"}
    if onward.outcome_note:
        resource["output"] = [{"type": {"text": "Outcome"}, "valueString": onward.outcome_note}]
    return resource


def bundle(resources: list[dict], *, kind: str = "collection",
           timestamp: datetime | None = None) -> dict:
    result = {"resourceType": "Bundle", "meta": ukcore.meta("Bundle"), "type": kind,
              "entry": [{"fullUrl": f"urn:linkwell:{r['resourceType']}/{r['id']}",
                         "resource": r} for r in resources]}
    if kind == "searchset":
        result["total"] = len(resources)
    if timestamp is not None:
        result["timestamp"] = _instant(timestamp)
    return result


# --- Import ----------------------------------------------------------------------------------

def parse_referrals(data: dict) -> list[dict]:
    """Read a Bundle (or a single ServiceRequest with a contained Patient) into the fields of
    ``commands.ReferralRequest``; one dict per ServiceRequest. Nothing is written here."""
    from fhir.resources.R4B.bundle import Bundle

    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidInput("Send a FHIR R4 Bundle with Patient and ServiceRequest resources")
    try:
        parsed = Bundle.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(f"Not a valid FHIR R4 Bundle: {str(exc)[:300]}") from None
    by_ref: dict[str, object] = {}
    requests = []
    consents: dict[str, object] = {}
    for entry in parsed.entry or []:
        resource = entry.resource
        kind = resource.get_resource_type()
        for name in filter(None, (entry.fullUrl, f"{kind}/{resource.id}" if resource.id
                                  else None)):
            by_ref[name] = resource
        if kind == "ServiceRequest":
            requests.append(resource)
        elif kind == "Consent" and resource.patient is not None:
            consents[resource.patient.reference] = resource
    if not requests:
        raise InvalidInput("The Bundle has no ServiceRequest")
    results = []
    for request in requests:
        subject = request.subject.reference if request.subject else None
        person = by_ref.get(subject)
        if person is None or person.get_resource_type() != "Patient":
            raise InvalidInput(f"ServiceRequest {request.id}: its subject is not a Patient in "
                               "the Bundle")
        results.append({"person": _person_fields(person), "reasons": _reasons(request),
                        "source": _source(request),
                        "notes": "\n".join(n.text for n in (request.note or []) if n.text),
                        "consent_to_share": _consented(consents.get(subject))})
    return results


def _person_fields(resource) -> dict:
    name = (resource.name or [None])[0]
    nhs = next((i.value for i in resource.identifier or []
                if i.system == NHS_NUMBER_SYSTEM), None)
    telecom = {t.system: t.value for t in resource.telecom or []}
    postcode = next((a.postalCode for a in resource.address or [] if a.postalCode), None)
    language = next((languages.name_from(c.language.text, next(
        (coding.code for coding in c.language.coding or [] if coding.system == languages.SYSTEM),
        None)) for c in resource.communication or [] if c.language), None)
    birth = resource.birthDate
    if birth is None:
        raise InvalidInput("Patient.birthDate is required")
    return {
        "given_name": " ".join(name.given or []) if name else "",
        "family_name": (name.family or "") if name else "",
        "birth_date": birth if isinstance(birth, date) else date.fromisoformat(str(birth)),
        "nhs_number": nhs, "postcode": postcode, "phone": telecom.get("phone"),
        "email": telecom.get("email"), "language": language,
        "sex": resource.gender if resource.gender in codes.sex() else None,
    }


def _reasons(request) -> list[str]:
    by_display = {c.snomed or c.code: key for key, c in domain.REFERRAL_REASONS.items()}
    reasons = []
    for concept in request.reasonCode or []:
        for coding in concept.coding or []:
            if coding.code in domain.REFERRAL_REASONS:
                reasons.append(coding.code)
            elif coding.code in by_display:
                reasons.append(by_display[coding.code])
    return reasons or ["other"]


def _source(request) -> str:
    for concept in request.category or []:
        for coding in concept.coding or []:
            if coding.system == coded.local_system("referral-source") \
                    and coding.code in domain.REFERRAL_SOURCES:
                return coding.code
    return "gp"


def _consented(resource) -> bool:
    if resource is None or resource.status != "active":
        return False
    provision = resource.provision
    return provision is None or provision.type in (None, "permit")


def batch_response(locations: list[str]) -> dict:
    """The answer to an imported batch: where each referral was created, in order."""
    return {"resourceType": "Bundle", "meta": ukcore.meta("Bundle"), "type": "batch-response",
            "entry": [{"response": {"status": "201 Created", "location": location}}
                      for location in locations]}
