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
    }
    facts.update(overrides)
    return domain.MessageFacts(**facts)
