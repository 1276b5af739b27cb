"""Facts for a message back to the GP, for tests and the benchmark."""

import uuid
from datetime import UTC, date, datetime

from linkwell.gprecord import domain

VALID_NHS = "9434765919"


def message_facts(**overrides) -> domain.MessageFacts:
    facts = {
        "local_id": str(uuid.uuid4()), "kind": "closure", "nhs_number": VALID_NHS,
        "given_name": "Ada", "family_name": "Okafor", "birth_date": date(1950, 3, 15),
        "sex": "female", "postcode": "SE13 5AA", "practice_ods": "X26",
        "practice_name": "Test Practice", "referral_id": 1, "referral_source": "gp",
        "referral_reasons": ("loneliness", "debt"),
        "referred_at": datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        "ended_at": datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "outcome": "goals-met",
        "author": "Sam Link, social prescribing link worker",
        "what_matters": "Getting out of the house – and café trips",
        "needs": (domain.Need("loneliness", 4), domain.Need("debt", 3)),
        "support": (domain.SupportOffered("Befriending calls", "Lewisham Befriending",
                                          "completed", datetime(2026, 1, 20, tzinfo=UTC),
                                          True),),
        "goals": (("Join a walking group", True), ("Sort out the council tax debt", False)),
    }
    facts.update(overrides)
    return domain.MessageFacts(**facts)


# --- A cohort for the MVIS extract: rows written straight to the tables, facts returned --------

PRACTICES = (("A81001", "P1", "U11111"), ("A81002", "P2", "U11111"), ("A81003", "P3", "U22222"))
SOURCES = ("gp", "hospital", "council", "vcs", "self")
NEEDS = ("loneliness", "mental-wellbeing", "debt", "housing", "food")
OUTCOMES = ("goals-met", "no-contact", "moved-away", "declined", "referred-elsewhere")


def insert_mvis_cohort(connection, *, people: int, seed: int, start: datetime,
                       days: int = 120, batch: int = 50_000) -> list[dict]:
    """Insert ``people`` referred people (about 80% with an episode) with Core bulk inserts,
    and return one dict of facts per person, from which a test counts independently."""
    import random
    from datetime import timedelta

    from sqlalchemy import insert

    from linkwell.directory.models import Organization, Service
    from linkwell.gprecord.models import GpPractice, GpRegistration
    from linkwell.referrals.models import (
        Episode,
        Need,
        NeedsAssessment,
        OnwardReferral,
        Person,
        Referral,
        StatusEvent,
    )

    rng = random.Random(seed)
    connection.execute(insert(GpPractice.__table__), [
        {"ods_code": ods, "name": name, "pcn_code": pcn, "mesh_mailbox": None,
         "updated_at": start} for ods, name, pcn in PRACTICES])
    connection.execute(insert(Organization.__table__), [
        {"id": "org-mvis", "name": "Org", "description": "Org"}])
    connection.execute(insert(Service.__table__), [
        {"id": "svc-mvis", "organization_id": "org-mvis", "name": "Svc", "status": "active"}])
    facts: list[dict] = []
    tables: dict = {t: [] for t in (Person, GpRegistration, Referral, StatusEvent, Episode,
                                    NeedsAssessment, Need, OnwardReferral)}
    need_id = event_id = 0

    def flush() -> None:
        for model, rows in tables.items():
            if rows:
                connection.execute(insert(model.__table__), rows)
                rows.clear()

    for pid in range(1, people + 1):
        created = start + timedelta(days=rng.randrange(-10, days + 10),
                                    seconds=rng.randrange(86_400))
        fact = {"person": pid, "created": created, "source": rng.choice(SOURCES),
                "practice": rng.choice((*PRACTICES, None)), "declined_at": None,
                "needs": {}, "assessed": None, "onward": None, "closed": None, "outcome": None}
        tables[Person].append({"id": pid, "given_name": "A", "family_name": "B",
                               "birth_date": date(1960, 1, 1), "match_key": f"k{pid}",
                               "interpreter_needed": False, "created_at": created})
        if fact["practice"]:
            tables[GpRegistration].append({"person_id": pid,
                                           "practice_ods": fact["practice"][0],
                                           "recorded_at": created})
        tables[Referral].append({"id": pid, "person_id": pid, "source": fact["source"],
                                 "reasons": [], "notes": "", "consent_to_share": True,
                                 "consent_recorded_at": created, "status": "requested",
                                 "version": 1, "created_at": created})
        roll = rng.random()
        if roll < 0.15:
            fact["declined_at"] = created + timedelta(days=1)
            event_id += 1
            tables[StatusEvent].append({"id": event_id, "object_type": "referral",
                                        "object_id": pid, "person_id": pid,
                                        "from_status": "requested", "to_status": "rejected",
                                        "occurred_at": fact["declined_at"],
                                        "reason": "declined"})
        elif roll < 0.95:
            tables[Episode].append({"id": pid, "person_id": pid, "referral_id": pid,
                                    "opened_at": created, "version": 1, "closed_at": None,
                                    "closure_reason": None})
            fact["assessed"] = created + timedelta(days=2)
            tables[NeedsAssessment].append({"id": pid, "episode_id": pid,
                                            "assessed_at": fact["assessed"],
                                            "what_matters_to_me": ""})
            for domain_code in rng.sample(NEEDS, rng.randint(1, 3)):
                need_id += 1
                score = rng.randint(1, 5)
                fact["needs"][domain_code] = score
                tables[Need].append({"id": need_id, "assessment_id": pid,
                                     "domain": domain_code, "score": score})
            if rng.random() < 0.5:
                fact["onward"] = (created + timedelta(days=3), rng.choice(NEEDS))
                tables[OnwardReferral].append({
                    "id": pid, "episode_id": pid, "service_id": "svc-mvis",
                    "organization_id": "org-mvis", "reason": fact["onward"][1],
                    "summary": "", "attachments": [], "status": "requested", "version": 1,
                    "sent_at": fact["onward"][0]})
            if rng.random() < 0.6:
                fact["closed"] = created + timedelta(days=rng.randrange(5, 60))
                fact["outcome"] = rng.choice(OUTCOMES)
                tables[Episode][-1].update(closed_at=fact["closed"],
                                           closure_reason=fact["outcome"])
        facts.append(fact)
        if pid % batch == 0:
            flush()
    flush()
    return facts
