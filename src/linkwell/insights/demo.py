"""Demo referral activity for the dashboard: a year of referrals into two more PCN teams
from six demo practices, with contacts, appointments (some not attended), goals, needs,
onward referrals, closures and declines, so a commissioner sees every measure unsuppressed.

Rows are written in a few bulk flushes (not through the commands, one by one) so the step
takes about a second; the people are fictional (no NHS number, no contact details). The demo
link worker's own team (Lewisham North PCN) is left alone, so her caseload stays readable.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth import commands as accounts
from linkwell.auth.demo import DEMO_PASSWORD
from linkwell.auth.models import Team
from linkwell.auth.roles import Role
from linkwell.casework.models import Appointment
from linkwell.commissioning import commands as commissioning_commands
from linkwell.directory.models import Organization, OrganizationIdentifier, Service
from linkwell.directory.organisations import ODS_SCHEME
from linkwell.geo.models import Lsoa
from linkwell.referrals.models import (
    Episode,
    EpisodeContact,
    Goal,
    Need,
    NeedsAssessment,
    OnwardReferral,
    Person,
    Referral,
    StatusEvent,
)

TEAMS = (("Lewisham Central PCN", "E09000023"), ("Deptford and New Cross PCN", "E09000023"))
PRACTICES = (("X26101", "Demo Medical Centre"), ("X26102", "Demo Park Surgery"),
             ("X26103", "Demo Road Practice"), ("X26104", "Demo Green Surgery"),
             ("X26105", "Demo Hill Health Centre"), ("X26106", "Demo Riverside Practice"))
BOROUGHS = ("E09000023", "E09000028", "E09000011")  # Lewisham, Southwark, Greenwich
SOURCES = ("gp", "gp", "gp", "hospital", "council", "vcs", "self")
REASONS = ("loneliness", "debt", "housing", "mental-wellbeing", "physical-activity", "food",
           "employment", "digital")
NEEDS = ("loneliness", "money", "housing", "mental-wellbeing", "physical-activity")
ETHNICITIES = ("White British", "Black African", "Black Caribbean", "Indian", "Other White",
               "Mixed", None)
REFERRALS = 360
FIRST_NAMES = ("Sam", "Alex", "Jo", "Kim", "Lou", "Ash", "Ray", "Pat", "Max", "Viv")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


PROGRAMME = "lewisham-social-prescribing-demo"


def _delivery_programme(session: Session, today: date) -> None:
    """A demo programme that pays for delivering the service (so cost per person has a
    delivery cost) beside one review, which is research and kept out of it."""
    on = {"valid_from": today - timedelta(days=365), "note": "Demo data"}
    commissioning_commands.create_programme(
        session, slug=PROGRAMME, title="Lewisham social prescribing service (demo)",
        strategy="Demo", **on)
    for title, kind, value in (("Link worker posts (3 whole-time equivalent)", "service",
                                "108000"),
                               ("Grants to befriending and debt advice providers", "grant",
                                "24000"),
                               ("Review of link worker caseloads", "review", "8000")):
        commissioning_commands.save_commission(session, PROGRAMME, title=title, kind=kind,
                              status="in_progress", value=value, **on)


def create_demo_activity(session: Session, *, today: date, seed: int = 2019) -> str:
    """Add the activity inside the caller's transaction (once); returns a summary."""
    if session.scalar(select(Team.id).where(Team.name == TEAMS[0][0])) is not None:
        return "already there"
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    teams = [accounts.create_team(session, by=None, name=name, kind="pcn", lad_code=lad,
                                 caseload_capacity=120) for name, lad in TEAMS]
    workers = [accounts.create_user(session, by=None, email=f"linkworker{i}@linkwell.example",
                                   display_name=f"Demo Link-Worker {i}",
                                   roles=[Role.LINK_WORKER], password=DEMO_PASSWORD,
                                   team_id=team.id)
               for i, team in enumerate(teams, start=2)]
    practices = []
    for code, name in PRACTICES:
        org = Organization(id=f"insights-demo-{code.lower()}", name=name,
                           description=f"{name} (demo GP practice)")
        session.add(org)
        session.add(OrganizationIdentifier(id=f"insights-demo-ods-{code.lower()}",
                                           organization_id=org.id, identifier_scheme=ODS_SCHEME,
                                           identifier_type="ODS", identifier=code))
        practices.append(org.id)
    services = list(session.execute(select(Service.id, Service.organization_id)
                                    .order_by(Service.id).limit(12)))
    lsoas = {lad: list(session.scalars(select(Lsoa.lsoa11cd).where(Lsoa.lad_code == lad)
                                       .order_by(Lsoa.lsoa11cd)))
             for lad in BOROUGHS}
    session.flush()

    people, referrals = [], []
    for i in range(REFERRALS):
        lad = rng.choice(BOROUGHS)
        people.append(Person(
            given_name=rng.choice(FIRST_NAMES), family_name=f"Demo-{i + 1:03d}",
            birth_date=date(1936 + rng.randint(0, 70), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(("female", "female", "male")),
            lsoa11cd=rng.choice(lsoas[lad]) if lsoas[lad] else None, lad_code=lad,
            ethnicity=rng.choice(ETHNICITIES), match_key=f"insights-demo-{i}"))
    session.add_all(people)
    session.flush()
    for i, person in enumerate(people):
        created = _at(today - timedelta(days=rng.randint(1, 365)), rng.randint(8, 17))
        fate = rng.random()
        status = "requested" if fate < 0.12 else "rejected" if fate < 0.24 else "accepted"
        if status == "requested":  # still waiting: referred in the last few weeks
            created = _at(today - timedelta(days=rng.randint(1, 40)), 10)
        source = rng.choice(SOURCES)
        referrals.append(Referral(
            person_id=person.id, team_id=teams[i % 2].id, source=source,
            referrer_organization_id=rng.choice(practices) if source == "gp" else None,
            reasons=rng.sample(REASONS, rng.randint(1, 2)), consent_to_share=True,
            consent_recorded_at=created, status=status, created_at=created))
    session.add_all(referrals)
    session.flush()

    episodes = []
    for i, referral in enumerate(referrals):
        if referral.status == "rejected":
            session.add(StatusEvent(
                object_type="referral", object_id=referral.id, person_id=referral.person_id,
                from_status="requested", to_status="rejected",
                reason=rng.choice(("declined", "no-contact", "referred-elsewhere", "other")),
                occurred_at=referral.created_at + timedelta(days=rng.randint(1, 10))))
        elif referral.status == "accepted":
            opened = referral.created_at + timedelta(days=rng.randint(1, 12))
            closure = rng.choice((None, None, "goals-met", "goals-met", "declined",
                                  "no-contact", "moved-away"))
            if opened.date() + timedelta(days=60) > today:
                closure = None
            episodes.append(Episode(
                person_id=referral.person_id, referral_id=referral.id,
                team_id=referral.team_id, link_worker_id=workers[i % 2].id, opened_at=opened,
                closed_at=opened + timedelta(days=rng.randint(45, 120)) if closure else None,
                closure_reason=closure))
    session.add_all(episodes)
    session.flush()

    appointments = missed = onward = 0
    for episode in episodes:
        opened = episode.opened_at
        end = episode.closed_at or _at(today, 0)
        if rng.random() < 0.9:
            first = opened + timedelta(days=rng.randint(0, 6), hours=2)
            for extra in (0, 14, 35):
                if first + timedelta(days=extra) < end:
                    session.add(EpisodeContact(episode_id=episode.id, mode="telephone",
                                               duration_minutes=rng.choice((15, 30, 45)),
                                               occurred_at=first + timedelta(days=extra)))
        for week in range(rng.randint(1, 4)):
            starts = opened + timedelta(days=7 + 10 * week, hours=1)
            if starts >= end:
                break
            outcome = rng.choice(("attended", "attended", "attended", "did-not-attend"))
            session.add(Appointment(episode_id=episode.id, link_worker_id=episode.link_worker_id,
                                    starts_at=starts, ends_at=starts + timedelta(minutes=45),
                                    kind=rng.choice(("in-person", "phone")), outcome=outcome))
            appointments += 1
            missed += outcome == "did-not-attend"
        if rng.random() < 0.8:
            session.add(Goal(episode_id=episode.id, description="Agreed goal",
                             agreed_at=opened + timedelta(days=rng.randint(7, 20))))
            assessment = NeedsAssessment(episode_id=episode.id)
            session.add(assessment)
            session.flush()
            for domain in rng.sample(NEEDS, 3):
                session.add(Need(assessment_id=assessment.id, domain=domain,
                                 score=rng.randint(1, 5)))
        for _ in range(rng.choice((0, 1, 1, 2))):
            if not services:
                break
            service_id, organization_id = rng.choice(services)
            sent = opened + timedelta(days=rng.randint(14, 30))
            state = rng.choice(("requested", "accepted", "completed", "completed", "rejected"))
            session.add(OnwardReferral(
                episode_id=episode.id, service_id=service_id, organization_id=organization_id,
                reason="loneliness", status=state, sent_at=sent,
                responded_at=None if state == "requested" else sent + timedelta(
                    days=rng.randint(1, 12))))
            onward += 1
    session.flush()
    _delivery_programme(session, today)
    return (f"{len(referrals)} referrals into {len(teams)} PCN teams from {len(practices)} "
            f"practices, {len(episodes)} episodes, {appointments} appointments ({missed} not "
            f"attended), {onward} onward referrals; see /insights as commissioner@")
