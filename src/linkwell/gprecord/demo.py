"""Demo GP practices with the MESH sandbox's test mailboxes, and the demo people registered
with them, so closing an episode in the demo puts a message in the outbox at once."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.gprecord import commands
from linkwell.gprecord.models import GpPractice
from linkwell.referrals.demo import PEOPLE
from linkwell.referrals.models import Person

# The sandbox's bundled mailboxes (ODS X26); the second practice has none, to show the alert.
PRACTICES = (
    ("X26", "Demo Surgery (MESH sandbox practice)", "X26ABC2", "U00001", "Demo PCN"),
    ("X27", "Demo Health Centre (no mailbox yet)", None, "U00001", "Demo PCN"),
)


def create_demo_practices(session: Session) -> str:
    for ods, name, mailbox, pcn_code, pcn_name in PRACTICES:
        session.add(GpPractice(ods_code=ods, name=name, mesh_mailbox=mailbox,
                               pcn_code=pcn_code, pcn_name=pcn_name))
    session.flush()
    names = {(p.given_name, p.family_name) for p in PEOPLE}
    people = [p for p in session.scalars(select(Person).order_by(Person.id))
              if (p.given_name, p.family_name) in names]
    for index, person in enumerate(people):  # every third with the practice with no mailbox
        practice = PRACTICES[1] if index % 3 == 2 else PRACTICES[0]
        commands.register(session, person_id=person.id, practice_ods=practice[0])
    released = commands.recheck_waiting(session)
    return (f"{len(PRACTICES)} practices, {len(people)} demo people registered; "
            f"{released} messages ready to send (`linkwell gp send` with the MESH sandbox), "
            "see /admin/gp-messages")
