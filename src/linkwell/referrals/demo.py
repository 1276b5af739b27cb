"""Demo referrals at every stage of the loop, made through the real commands.

Needs the demo users (``linkwell.auth.demo``) and a directory: the GP refers, the link worker
accepts, assesses and refers on to the demo provider's services, and the provider answers, so a
newcomer signing in as each demo role finds something to do.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth.models import User
from linkwell.directory.models import Service
from linkwell.referrals import commands, onward_commands
from linkwell.referrals.commands import PersonDetails, ReferralRequest
from linkwell.referrals.models import Episode, Person

LINK_WORKER = "linkworker@linkwell.example"
REFERRER = "gp@linkwell.example"
PROVIDER = "provider@linkwell.example"


@dataclass(frozen=True)
class DemoPerson:
    given_name: str
    family_name: str
    birth_date: date
    postcode: str
    nhs_number: str | None
    reasons: tuple[str, ...]
    stage: str  # new | assessed | referred-on | accepted | attended | closed | self


# NHS numbers from the 999 range are never issued to real people.
PEOPLE = (
    DemoPerson("Ada", "Okafor", date(1948, 3, 15), "SE13 5AA", "9990000018",
               ("loneliness",), "new"),
    DemoPerson("Ben", "Hughes", date(1961, 7, 2), "SE13 6AD", "9990000026",
               ("debt", "mental-wellbeing"), "referred-on"),
    DemoPerson("Chioma", "Eze", date(1979, 11, 23), "SE4 1UN", None,
               ("loneliness", "physical-activity"), "accepted"),
    DemoPerson("Dev", "Sharma", date(1955, 1, 9), "SE6 4RU", "9990000034",
               ("food",), "attended"),
    DemoPerson("Elena", "Popescu", date(1990, 5, 30), "SE8 4BX", None,
               ("employment",), "closed"),
    DemoPerson("Femi", "Adeyemi", date(1972, 9, 12), "SE14 6AF", None,
               ("mental-wellbeing",), "assessed"),
    DemoPerson("Grace", "Lee", date(1984, 2, 28), "SE10 9HT", None,
               ("digital",), "self"),
)


def create_demo_referrals(session: Session, *, today: date) -> str:
    users = {email: session.scalar(select(User).where(User.email == email))
             for email in (LINK_WORKER, REFERRER, PROVIDER)}
    if any(user is None for user in users.values()):
        return "skipped: run the demo users step first"
    worker, gp, provider = users[LINK_WORKER], users[REFERRER], users[PROVIDER]
    services = list(session.scalars(
        select(Service).where(Service.organization_id == provider.organization_id)
        .order_by(Service.name).limit(3))) if provider.organization_id else []
    if not services:
        return "skipped: the demo provider has no services in the directory"
    start = datetime.combine(today, time(9), tzinfo=UTC) - timedelta(days=30)
    made = 0
    for index, who in enumerate(PEOPLE):
        at = start + timedelta(days=index)
        request = ReferralRequest(
            person=PersonDetails(given_name=who.given_name, family_name=who.family_name,
                                 birth_date=who.birth_date, postcode=who.postcode,
                                 nhs_number=who.nhs_number, phone="020 7946 0" + f"{index:03d}",
                                 contact_preference="phone"),
            source="self" if who.stage == "self" else "gp", reasons=list(who.reasons),
            notes="Demo referral: not a real person.", consent_to_share=True)
        referral, _ = commands.submit_referral(
            session, by=None if who.stage == "self" else gp, request=request, now=at)
        made += 1
        if who.stage in ("new", "self"):
            continue
        _follow(session, who, referral, worker, provider, services[index % len(services)], at)
    return f"{made} people referred, followed around the loop as {LINK_WORKER}"


def _follow(session, who, referral, worker, provider, service, at) -> None:
    episode = commands.accept_referral(session, by=worker, referral_id=referral.id,
                                       version=referral.version, now=at + timedelta(hours=2))
    commands.record_contact(session, by=worker, episode_id=episode.id,
                            occurred_at=at + timedelta(days=1), mode="telephone",
                            duration_minutes=40, now=at + timedelta(days=1, hours=1))
    commands.record_needs_assessment(
        session, by=worker, episode_id=episode.id,
        what_matters_to_me="Demo: getting out of the house and feeling less worried.",
        scores={reason: 4 for reason in who.reasons}, now=at + timedelta(days=1, hours=1))
    commands.agree_goal(session, by=worker, episode_id=episode.id,
                        description="Demo: try one new activity a week",
                        domain_code=who.reasons[0], now=at + timedelta(days=1, hours=1))
    if who.stage == "assessed":
        return
    onward = onward_commands.send_onward_referral(
        session, by=worker, episode_id=episode.id, service_id=service.id,
        reason=who.reasons[0], summary="Demo: would like a call in the morning.",
        now=at + timedelta(days=2))
    steps = {"referred-on": [], "accepted": ["accept"], "attended": ["accept", "attended"],
             "closed": ["accept", "attended", "complete"]}[who.stage]
    for offset, action in enumerate(steps, start=3):
        onward = onward_commands.respond_to_onward_referral(
            session, by=provider, onward_referral_id=onward.id, version=onward.version,
            action=action, outcome_note="Demo: came every week.",
            now=at + timedelta(days=offset))
    if who.stage == "closed":
        commands.close_episode(session, by=worker, episode_id=episode.id, version=None,
                               reason="goals-met", now=at + timedelta(days=8))


def demo_episode(session: Session, who: DemoPerson) -> Episode | None:
    """The demo person's episode, for the steps that add to it (casework, outcomes)."""
    return session.scalar(
        select(Episode).join(Person, Person.id == Episode.person_id)
        .where(Person.given_name == who.given_name, Person.family_name == who.family_name,
               Person.birth_date == who.birth_date))
