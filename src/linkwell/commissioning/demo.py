"""The seed case: the two social prescribing commitments asked about on 17 January 2019.

Every fact is recorded exactly as the Mayor's answer stated it, effective 17 January 2019, and
nothing more: no invented suppliers, dates or values. A commission is linked to a commitment only
where the wording makes the link plain; the rest stay visibly unlinked.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.commissioning import commands, queries
from linkwell.commissioning import models as m

SLUG = "his-social-prescribing-2018-19"
ANSWERED_ON = date(2019, 1, 17)
SOURCE = ("As stated in the Mayor's answer to the London Assembly, Mayor's Question Time, "
          "17 January 2019")
COMMITMENTS = (
    "Fund work in 2018/19 to support the development of effective evaluation and outcomes "
    "measurement and the further development of sustainable social prescribing models",
    "Fund work in 2018/19 to explore how digital solutions might support the effective "
    "roll-out of social prescribing, and how to obtain the more specialist social welfare "
    "advice people need but is increasingly difficult to access.",
)
HACT = "Housing Association Charitable Trust (HACT)"


def load_demo(session: Session) -> str:
    """Add the demo programme inside the caller's transaction (once); returns a summary."""
    if session.scalar(select(m.Programme).where(m.Programme.slug == SLUG)):
        return f"programme {SLUG} was already there"
    on = {"valid_from": ANSWERED_ON, "note": SOURCE}
    commands.create_programme(
        session, slug=SLUG, title="Health Inequality Strategy \u2014 social prescribing (2018/19)",
        strategy="Health Inequality Strategy", period="2018/19", **on)
    evaluation, digital_and_advice = (
        commands.save_commitment(session, SLUG, number=n, text=text, period="2018/19", **on)
        for n, text in enumerate(COMMITMENTS, start=1)
    )
    if not session.scalar(select(m.Supplier).where(m.Supplier.name == HACT)):
        commands.create_supplier(session, HACT)
    reviews = commands.save_combined_value(
        session, SLUG, label="Reviews of the digital landscape and of the role of the voluntary "
        "sector (combined)", amount="36000", **on)

    def commission(title, **fields):
        fields.setdefault("kind", "review")
        fields.setdefault("status", "commissioned")
        commands.save_commission(session, SLUG, title=title, **fields, **on)

    commission("Review of the digital landscape", status="published", combined_value_id=reviews,
               commitment_ids=[digital_and_advice])
    commission("Review of the role of the voluntary sector", status="published",
               combined_value_id=reviews)
    commission("Internal review of the role of local government", value="10000")
    for n in (1, 2, 3):
        commission(f"Project to inform the evaluation work programme ({n} of 3)",
                   kind="evaluation", value="10000", report_due="spring 2019",
                   commitment_ids=[evaluation])
    commission("Look at the role of housing associations", supplier=HACT, value="10000",
               report_due="spring 2019")
    commission("Review of the current provision of social welfare legal advice in London",
               status="in_procurement", value=None, commitment_ids=[digital_and_advice])
    commands.save_output(session, SLUG, title="Draft Vision for Social Prescribing",
                         published="December 2018", note="Out for feedback",
                         valid_from=ANSWERED_ON, change_note=SOURCE)
    state = queries.programme_state(session, SLUG, ANSWERED_ON)
    return (f"programme {SLUG}: {len(state.commitments)} commitments and "
            f"{len(state.commissions)} commissions as stated on 17 January 2019")
