"""The message back to the GP, with no I/O: an HL7 FHIR R4 document Bundle (Composition,
Patient, coded entries, the readable rendering as a PDF Binary) built from plain facts.

It follows the PRSB Social Prescribing Standard v1.1 'message back to GP and referrer':
the referral (ServiceRequest coded 'Referral to social prescribing service'), needs and
concerns (Observation), support offered (ServiceRequest for each onward referral) and the
outcome at discharge or the decline (Observation). UK Core profiles are declared in
``meta.profile``; SNOMED CT concepts come from ``linkwell.codes.clinical``; everything
Linkwell codes itself is under its own code systems, at the deployment's address
(``code_systems``, from ``clinical.local_system_base``), which serves them
(``code_system``)."""

import base64
from dataclasses import dataclass, field
from datetime import date, datetime

from fpdf import FPDF

from linkwell import codes
from linkwell.codes import clinical as coded
from linkwell.codes import ukcore
from linkwell.referrals import domain as referrals_domain

NHS_NUMBER_SYSTEM = ukcore.NHS_NUMBER_SYSTEM
ODS_SYSTEM = ukcore.ODS_SYSTEM
LOINC = "http://loinc.org"
# GP Connect Send Document: the MESH workflow for a consultation report to the GP practice.
WORKFLOW_ID = "GPFED_CONSULT_REPORT"
KINDS = ("closure", "declined")


@dataclass(frozen=True)
class Need:
    domain: str
    score: int


@dataclass(frozen=True)
class SupportOffered:
    service: str
    organisation: str
    status: str
    sent_at: datetime
    attended: bool | None


@dataclass(frozen=True)
class MessageFacts:
    """Everything the message says, read from the record by ``queries.message_facts``."""

    local_id: str
    kind: str  # closure | declined
    nhs_number: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str | None
    postcode: str | None
    practice_ods: str
    practice_name: str
    referral_id: int
    referral_source: str
    referral_reasons: tuple[str, ...]
    referred_at: datetime
    ended_at: datetime
    outcome: str  # a closure reason code
    author: str
    what_matters: str = ""
    needs: tuple[Need, ...] = ()
    support: tuple[SupportOffered, ...] = field(default_factory=tuple)
    goals: tuple[tuple[str, bool], ...] = ()  # the care and support plan: (goal, achieved)


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _snomed(event: str) -> dict:
    concept = coded.snomed(event)
    return {"system": coded.snomed_system(), "code": concept.code, "display": concept.display}


def _local(kind: str, code: str, display: str, code_systems: str) -> dict:
    return {"system": coded.local_system(kind, code_systems), "code": code, "display": display}


def _label(table: dict, code: str) -> str:
    item = table.get(code)
    return item.display if item else code


def outcome_coding(outcome: str, code_systems: str) -> list[dict]:
    """The outcome at discharge: the local closure reason, plus SNOMED CT where one is
    verified (a decline)."""
    codings = [_local("closure-reason", outcome,
                      _label(referrals_domain.CLOSURE_REASONS, outcome), code_systems)]
    if outcome == "declined":
        codings.insert(0, _snomed("declined"))
    return codings


def title(kind: str) -> str:
    return ("Social prescribing declined" if kind == "declined"
            else "Social prescribing: summary at the end of support")


def build_bundle(facts: MessageFacts, pdf: bytes, *, now: datetime, code_systems: str) -> dict:
    """The document Bundle as JSON-ready dicts; ``facts.local_id`` is its identifier and
    ``code_systems`` where this deployment's own code systems live."""
    if facts.kind not in KINDS:
        raise ValueError(f"unknown message kind {facts.kind!r}")
    uid = facts.local_id

    def local(kind: str, code: str, table: dict) -> dict:
        return _local(kind, code, _label(table, code), code_systems)

    def full_url(n: int) -> str:
        return f"urn:uuid:{uid[:-4]}{n:04x}"

    patient_ref, practice_ref = full_url(1), full_url(2)
    patient = {
        "resourceType": "Patient", "meta": ukcore.meta("Patient"),
        "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": facts.nhs_number}],
        "name": [{"use": "official", "family": facts.family_name,
                  "given": [facts.given_name]}],
        "birthDate": facts.birth_date.isoformat(),
        "generalPractitioner": [{"reference": practice_ref}],
    }
    if facts.sex in codes.sex():
        patient["gender"] = facts.sex
    if facts.postcode:
        patient["address"] = [{"postalCode": facts.postcode}]
    practice = {
        "resourceType": "Organization", "meta": ukcore.meta("Organization"),
        "identifier": [{"system": ODS_SYSTEM, "value": facts.practice_ods}],
        "name": facts.practice_name,
    }
    subject = {"reference": patient_ref}
    referral = {
        "resourceType": "ServiceRequest", "meta": ukcore.meta("ServiceRequest"),
        "status": "revoked" if facts.kind == "declined" else "completed",
        "intent": "order", "subject": subject, "authoredOn": _instant(facts.referred_at),
        "code": {"coding": [_snomed("referral")]},
        "category": [{"coding": [_snomed("social-service-category")]},
                     {"coding": [local("referral-source", facts.referral_source,
                                       referrals_domain.RECORDED_SOURCES)]}],
        "reasonCode": [{"coding": [local("reason", r, referrals_domain.REFERRAL_REASONS)]}
                       for r in facts.referral_reasons],
    }
    outcome = {
        "resourceType": "Observation", "meta": ukcore.meta("Observation"),
        "status": "final", "subject": subject, "effectiveDateTime": _instant(facts.ended_at),
        "code": {"coding": outcome_coding(facts.outcome, code_systems)},
    }
    entries: list[tuple[str, dict]] = [(patient_ref, patient), (practice_ref, practice),
                                       (full_url(3), referral), (full_url(4), outcome)]
    needs_refs, support_refs = [], []
    for need in facts.needs:
        ref = full_url(16 + len(entries))
        entries.append((ref, {
            "resourceType": "Observation", "meta": ukcore.meta("Observation"),
            "status": "final", "subject": subject, "effectiveDateTime": _instant(facts.ended_at),
            "code": {"coding": [local("need", need.domain, referrals_domain.NEEDS_DOMAINS)]},
            "valueInteger": need.score,
        }))
        needs_refs.append(ref)
    offered_code, offered_display = coded.support_offered()
    for item in facts.support:
        ref = full_url(16 + len(entries))
        entries.append((ref, {
            "resourceType": "ServiceRequest",
            "meta": ukcore.meta("ServiceRequest"),
            "status": "completed" if item.attended else "active", "intent": "order",
            "subject": subject, "authoredOn": _instant(item.sent_at),
            "code": {"coding": [_local("support-offered", offered_code, offered_display,
                                       code_systems)],
                     "text": f"{item.service} ({item.organisation})"},
        }))
        support_refs.append(ref)
    binary_ref = full_url(5)
    entries.append((binary_ref, {"resourceType": "Binary", "contentType": "application/pdf",
                                 "data": base64.b64encode(pdf).decode("ascii")}))

    def section(heading: str, refs: list[str], text: str) -> dict:
        result = {"title": heading, "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{_xml(text)}</div>'}}
        if refs:
            result["entry"] = [{"reference": r} for r in refs]
        return result

    sections = [section("Referral details", [full_url(3)],
                        f"Referred on {facts.referred_at:%d %B %Y}."),
                section("Outcome", [full_url(4)],
                        _label(referrals_domain.CLOSURE_REASONS, facts.outcome))]
    if needs_refs:
        sections.append(section("Needs and concerns", needs_refs,
                                "; ".join(_label(referrals_domain.NEEDS_DOMAINS, n.domain)
                                          for n in facts.needs)))
    if support_refs:
        sections.append(section("Support offered", support_refs,
                                "; ".join(s.service for s in facts.support)))
    if facts.goals:
        sections.append(section("Personalised care and support plan", [], "; ".join(
            f"{goal} ({'achieved' if achieved else 'not achieved'})"
            for goal, achieved in facts.goals)))
    sections.append(section("Readable summary (PDF)", [binary_ref], "The same summary as a PDF."))
    composition = {
        "resourceType": "Composition", "meta": ukcore.meta("Composition"),
        "status": "final", "type": {"coding": [{"system": LOINC, "code": "34133-9",
                                                "display": "Summary of episode note"}]},
        "subject": subject, "date": _instant(now), "title": title(facts.kind),
        "author": [{"display": facts.author}], "custodian": {"display": "Linkwell"},
        "section": sections,
    }
    composition_ref = full_url(0)
    return {
        "resourceType": "Bundle", "meta": ukcore.meta("Bundle"),
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uid}"},
        "type": "document", "timestamp": _instant(now),
        "entry": [{"fullUrl": composition_ref, "resource": composition}]
        + [{"fullUrl": ref, "resource": res} for ref, res in entries],
    }


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_lines(facts: MessageFacts) -> list[tuple[str, str]]:
    """The readable rendering's content, heading by heading, shared by the PDF and pages."""
    lines = [
        ("Person", f"{facts.given_name} {facts.family_name}, born "
                   f"{facts.birth_date:%d %B %Y}, NHS number {facts.nhs_number}"),
        ("GP practice", f"{facts.practice_name} ({facts.practice_ods})"),
        ("Referral", f"Received {facts.referred_at:%d %B %Y} from "
                     f"{_label(referrals_domain.REFERRAL_SOURCES, facts.referral_source)}"),
        ("Coded", "; ".join(f"{c['display']} (SNOMED CT {c['code']})"
                            for c in [_snomed("referral")] + outcome_coding(facts.outcome, "")
                            if c["system"] == coded.snomed_system())),
        ("Outcome", f"{_label(referrals_domain.CLOSURE_REASONS, facts.outcome)} on "
                    f"{facts.ended_at:%d %B %Y}"),
    ]
    if facts.what_matters:
        lines.append(("What matters to me", facts.what_matters))
    for need in facts.needs:
        lines.append(("Need or concern", f"{_label(referrals_domain.NEEDS_DOMAINS, need.domain)}"
                                         f" (score {need.score} of 5)"))
    for item in facts.support:
        attended = {True: "attended", False: "did not attend", None: "attendance not known"}
        lines.append(("Support offered", f"{item.service}, {item.organisation}: "
                                         f"{attended[item.attended]}"))
    for goal, achieved in facts.goals:
        lines.append(("Goal", f"{goal}: {'achieved' if achieved else 'not achieved'}"))
    lines.append(("Recorded by", facts.author))
    return lines


def render_pdf(facts: MessageFacts) -> bytes:
    """A one-page A4 summary with the core fonts (no files, no browser). Lines are wrapped
    here, word by word, and written with ``cell``: fpdf2's ``multi_cell`` line breaker is
    several times slower, and a thousand messages must build within the minute."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2000, 1, 1))
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("Helvetica", "B", 16)
    for line in _wrap(pdf, _latin1(title(facts.kind)), width):
        pdf.cell(width, 9, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for heading, text in summary_lines(facts):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 6, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for line in _wrap(pdf, _latin1(text), width):
            pdf.cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]


_TYPOGRAPHY = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                             "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u00a0": " "})


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1 only: typographic dashes and quotes become their
    plain forms, anything else is shown as '?'."""
    return text.translate(_TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1")


# --- Linkwell's own code systems, served at their URLs ----------------------------------------

def _local_tables() -> dict[str, dict]:
    """Each local code system read from the referrals area's coded lists (the others list
    their concepts in codes/data/clinical.json)."""
    return {"closure-reason": referrals_domain.CLOSURE_REASONS,
            "decline-reason": referrals_domain.DECLINE_REASONS,
            "need": referrals_domain.NEEDS_DOMAINS,
            "reason": referrals_domain.REFERRAL_REASONS,
            "referral-source": referrals_domain.RECORDED_SOURCES}


def code_system(kind: str, code_systems: str) -> dict | None:
    """The FHIR R4 CodeSystem resource for one of Linkwell's local code systems, its ``url``
    the one its codes carry; None for an unknown id."""
    about = coded.local_code_systems().get(kind)
    if about is None:
        return None
    table = _local_tables().get(kind)
    concepts = ([{"code": c.code, "display": c.display} for c in table.values()]
                if table is not None else about["concepts"])
    return {
        "resourceType": "CodeSystem", "id": kind, "url": coded.local_system(kind, code_systems),
        "name": "Linkwell" + "".join(part.title() for part in kind.split("-")),
        "title": about["title"], "status": "active", "experimental": False,
        "publisher": "Linkwell", "description": about["description"],
        "caseSensitive": True, "content": "complete", "count": len(concepts),
        "concept": concepts,
    }


# --- A person with no NHS number: matched on demographics, or flagged -----------------------

@dataclass(frozen=True)
class Demographics:
    """What a person record says, for matching: never logged, never in an alert."""

    person_id: int
    given_name: str
    family_name: str
    birth_date: date
    postcode: str | None
    sex: str | None
    nhs_number: str | None = None
    practice_ods: str | None = None


MATCH_ITEMS = ("family name", "given name", "date of birth", "postcode", "sex")
MATCHABLE_SEXES = ("female", "male", "other")


def _norm(text: str | None) -> str:
    return "".join(ch for ch in (text or "").casefold() if ch.isalnum())


def _items(d: Demographics) -> tuple:
    return (_norm(d.family_name), _norm(d.given_name), d.birth_date, _norm(d.postcode),
            d.sex if d.sex in MATCHABLE_SEXES else "")


def match_demographics(person: Demographics, candidates: list[Demographics]
                       ) -> tuple[Demographics | None, str | None]:
    """The one other record that is this person, for their NHS number, or why there is none.

    A match needs all five items (family name, given name, date of birth, postcode, sex)
    recorded on both and equal (names and postcode compared without case, spaces or
    punctuation), exactly one NHS number among the records that match, and the same
    registered practice: the person's own registration must be recorded, and a matching
    record registered elsewhere is a conflict. Anything less is flagged for an administrator,
    so a message never goes to the wrong practice. The reason names no personal data."""
    mine = _items(person)
    missing = [name for name, value in zip(MATCH_ITEMS, mine, strict=True) if not value]
    if missing:
        return None, ("The person has no NHS number and cannot be matched on demographics: "
                      f"{', '.join(missing)} not recorded. Trace the NHS number (PDS) and "
                      "record it.")
    same = [c for c in candidates if c.person_id != person.person_id and c.nhs_number
            and _items(c) == mine]
    numbers = {c.nhs_number for c in same}
    if not numbers:
        return None, ("The person has no NHS number and no other record matches their "
                      "demographics: trace the NHS number (PDS) and record it.")
    if len(numbers) > 1:
        return None, ("The person has no NHS number and records with different NHS numbers "
                      "match their demographics: trace the NHS number (PDS) and record it.")
    if not person.practice_ods:
        return None, ("The person has no NHS number and their registered GP practice is not "
                      "recorded: a demographic match alone never chooses the practice.")
    if any(c.practice_ods and c.practice_ods != person.practice_ods for c in same):
        return None, ("The person has no NHS number and the record matching their "
                      "demographics is registered with a different GP practice: check the "
                      "registration and the NHS number.")
    return same[0], None


# --- Sending: retries and the decision whether a message may go ------------------------------

MAX_ATTEMPTS = 6


def backoff_seconds(attempts: int) -> int:
    """1, 2, 4, 8, 16 minutes after successive failures."""
    return 60 * 2 ** max(0, attempts - 1)


def blocker(*, nhs_number: str | None, practice_ods: str | None, practice_known: bool,
            mailbox: str | None) -> str | None:
    """Why a message cannot be sent yet, for the administrator (never personal data), or
    None. Nothing is ever sent on a guess: no NHS number, no registered practice, an unknown
    ODS code and a practice with no mailbox all hold the message."""
    if not nhs_number:
        return "The person has no NHS number: trace it (PDS) and record it, then resend."
    if not practice_ods:
        return "The person's registered GP practice is not recorded."
    if not practice_known:
        return (f"Unknown GP practice ODS code {practice_ods}: add the practice and its MESH "
                "mailbox.")
    if not mailbox:
        return f"GP practice {practice_ods} has no MESH mailbox recorded."
    return None


# --- The MVIS extract, protected as the evaluation protects what commissioners see ------------

MVIS_COLUMNS = ("month", "practice_ods", "pcn_code", "measure", "category", "people")


def mvis_rows(counts: list[tuple[str, str, str, str, str, int]], audience: str = "commissioner"
              ) -> list[dict]:
    """Each measure as a table of (month, practice, PCN) rows by category with a 'Total'
    category, small numbers suppressed by ``evaluation.disclosure`` (primary and secondary
    suppression along each row), then flattened to one CSV row per cell."""
    import pandas as pd

    from linkwell.evaluation.disclosure import protect_table

    out: list[dict] = []
    measures = sorted({c[3] for c in counts})
    for measure in measures:
        frame = pd.DataFrame([c for c in counts if c[3] == measure], columns=MVIS_COLUMNS)
        table = frame.pivot_table(index=["month", "practice_ods", "pcn_code"],
                                  columns="category", values="people", aggfunc="sum",
                                  fill_value=0)
        table.index = [tuple(i) for i in table.index]
        protected = protect_table(table, audience, row_totals=True, column_totals=False)
        for (month, ods, pcn), row in protected.iterrows():
            for category, value in row.items():
                out.append({"month": month, "practice_ods": ods, "pcn_code": pcn,
                            "measure": measure, "category": category,
                            "people": value if isinstance(value, str) else int(value)})
    return out
