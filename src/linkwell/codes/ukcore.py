"""HL7 UK Core (FHIR R4) profiles and the NHS identifier systems every resource Linkwell emits
declares. No Linkwell imports: the referrals area's FHIR export and gprecord's messages use it.

The profiles' own definitions (tests/fixtures/fhir/ukcore, from NHS England's
FHIR-R4-UKCORE-STAGING-MAIN) are what the conformance tests check each resource against."""

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
BASE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
# Resource types Linkwell emits that UK Core profiles. Binary and CodeSystem have no UK Core
# profile: they declare none and are checked against the base R4 definition only.
PROFILED = ("Bundle", "Composition", "Consent", "Observation", "OperationOutcome",
            "Organization", "Patient", "ServiceRequest", "Task")


def profile(resource_type: str) -> str:
    if resource_type not in PROFILED:
        raise KeyError(f"no UK Core profile for {resource_type}")
    return BASE + resource_type


def meta(resource_type: str, **extra: str) -> dict:
    """``meta`` declaring the resource's UK Core profile (plus e.g. ``versionId``)."""
    return {**extra, "profile": [profile(resource_type)]}
