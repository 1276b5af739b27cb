"""A seeded database for the dashboard's tests, and the facts it was built from.

Rows are written directly (not through the commands) so that hundreds of referrals with
dates in the past take a second; the returned ``Seeded`` records each referral's facts as
plain Python, for counts computed independently of the dashboard's code.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from conftest import make_user
from linkwell.auth.models import Team
from linkwell.casework.models import Appointment
from linkwell.directory.models import OrganizationIdentifier
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
from referrals_factories import make_organization, make_service, new_id

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
BOROUGHS = (("E09000023", "Lewisham"), ("E09000028", "Southwark"))
SOURCES = ("gp", "hospital", "council", "vcs", "self")


@dataclass
class Seeded:
    referrals: list[dict] = field(default_factory=list)
    onward: list[dict] = field(default_factory=list)
    teams: dict = field(default_factory=dict)  # name -> Team
    practices: tuple = ()


def seed(session, *, n: int = 240, random_seed: int = 19) -> Seeded:
    rng = random.Random(random_seed)
    out = Seeded()
    worker = make_user(session, "link_worker")
    with session.begin():
        for (lad, name), base in zip(BOROUGHS, (1, 6), strict=True):
            for i in range(10):
                session.add(Lsoa(lsoa11cd=f"{lad[:3]}{base}{i:05d}", name=f"{name} {i:03d}",
                                 lad_code=lad, lad_name=name, imd_decile=i + 1,
                                 population_total=1500, population_0_15=300,
                                 population_16_59=900, population_60_plus=300))
        teams = [Team(name="North PCN", kind="pcn", lad_code=BOROUGHS[0][0],
                      caseload_capacity=40),
                 Team(name="South PCN", kind="pcn", lad_code=BOROUGHS[1][0],
                      caseload_capacity=30),
                 Team(name="Borough team", kind="borough", lad_code=BOROUGHS[0][0],
                      caseload_capacity=20),
                 Team(name="Simulated", kind="simulated")]
        session.add_all(teams)
        session.flush()
        out.teams = {t.name: t for t in teams}
    practices = []
    for code in ("G85001", "G85002", "G85003"):
        org = make_organization(session, name=f"Practice {code}")
        with session.begin():
            session.add(OrganizationIdentifier(id=new_id(), organization_id=org.id,
                                               identifier_scheme="GB-NHS",
                                               identifier_type="ODS", identifier=code))
        practices.append((org.id, code))
    out.practices = tuple(code for _, code in practices)
    provider = make_organization(session, name="Befriending Ltd")
    services = [make_service(session, provider, name="Befriending calls"),
                make_service(session, provider, name="Debt advice", codes=("debt-advice",))]
    with session.begin():
        for i in range(n):
            simulated = i % 17 == 0
            team = teams[3] if simulated else rng.choice(teams[:3])
            lad, _ = rng.choice(BOROUGHS)
            decile = rng.choice(range(10))
            lsoa = f"{lad[:3]}{1 if lad == BOROUGHS[0][0] else 6}{decile:05d}"
            created = NOW - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 20))
            practice = rng.choice([*practices, (None, None)])
            person = Person(given_name="P", family_name=str(i),
                            birth_date=date(1940 + rng.randint(0, 70), 1 + i % 12, 1),
                            sex=rng.choice(("female", "male")), lsoa11cd=lsoa, lad_code=lad,
                            ethnicity=rng.choice(("White British", "Black African", None)),
                            match_key=f"p{i}")
            session.add(person)
            session.flush()
            source = "simulated" if simulated else rng.choice(SOURCES)
            reasons = rng.sample(["loneliness", "debt", "housing"], rng.randint(1, 2))
            fate = rng.random()
            status = ("requested" if fate < 0.2 else "rejected" if fate < 0.3 else "accepted")
            referral = Referral(person_id=person.id, source=source, reasons=reasons,
                                team_id=team.id, referrer_organization_id=practice[0],
                                consent_to_share=True, consent_recorded_at=created,
                                status=status, created_at=created)
            session.add(referral)
            session.flush()
            fact = {"id": referral.id, "person_id": person.id, "created_at": created,
                    "source": source, "team": team.name, "team_kind": team.kind,
                    "practice": practice[1], "lad_code": lad, "decile": decile + 1,
                    "reasons": reasons, "status": status, "accepted": False,
                    "first_contact": None, "first_appointment": None, "attended": 0,
                    "did_not_attend": 0, "goal": False, "onward": 0, "closure": None,
                    "decline_reason": None, "needs": [], "open": False}
            if status == "rejected":
                reason = rng.choice(("no-contact", "other", "declined"))
                session.add(StatusEvent(object_type="referral", object_id=referral.id,
                                        person_id=person.id, from_status="requested",
                                        to_status="rejected", reason=reason,
                                        occurred_at=created + timedelta(days=2)))
                fact["decline_reason"] = reason
            if status == "accepted":
                opened = created + timedelta(days=rng.randint(0, 10))
                episode = Episode(person_id=person.id, referral_id=referral.id,
                                  team_id=team.id, link_worker_id=worker.id, opened_at=opened)
                closure = rng.choice((None, None, "goals-met", "declined", "no-contact"))
                if closure:
                    episode.closed_at = opened + timedelta(days=30)
                    episode.closure_reason = closure
                session.add(episode)
                session.flush()
                fact.update(accepted=True, closure=closure, open=closure is None)
                if rng.random() < 0.8:
                    contact = created + timedelta(days=rng.randint(0, 20), hours=3)
                    for extra in (0, 5):
                        session.add(EpisodeContact(episode_id=episode.id, mode="telephone",
                                                   duration_minutes=20, occurred_at=contact
                                                   + timedelta(days=extra)))
                    fact["first_contact"] = contact
                for week in range(rng.choice((0, 1, 2, 3))):
                    starts = opened + timedelta(days=7 * week + 1, hours=10)
                    outcome = rng.choice(("attended", "attended", "did-not-attend",
                                          "cancelled", "booked"))
                    session.add(Appointment(episode_id=episode.id, link_worker_id=worker.id,
                                            starts_at=starts,
                                            ends_at=starts + timedelta(minutes=45),
                                            kind="in-person", outcome=outcome))
                    if outcome == "attended":
                        fact["attended"] += 1
                        if fact["first_appointment"] is None:
                            fact["first_appointment"] = starts
                    elif outcome == "did-not-attend":
                        fact["did_not_attend"] += 1
                if rng.random() < 0.6:
                    session.add(Goal(episode_id=episode.id, description="g",
                                     agreed_at=opened + timedelta(days=3)))
                    fact["goal"] = True
                    assessment = NeedsAssessment(episode_id=episode.id)
                    session.add(assessment)
                    session.flush()
                    for domain in ("loneliness", "debt"):
                        score = rng.randint(1, 5)
                        session.add(Need(assessment_id=assessment.id, domain=domain,
                                         score=score))
                        if score >= 3:
                            fact["needs"].append(domain)
                for _ in range(rng.choice((0, 0, 1, 2))):
                    service = rng.choice(services)
                    sent = opened + timedelta(days=4)
                    state = rng.choice(("requested", "accepted", "completed", "rejected"))
                    responded = None if state == "requested" else sent + timedelta(
                        days=rng.randint(1, 9))
                    session.add(OnwardReferral(
                        episode_id=episode.id, service_id=service.id,
                        organization_id=provider.id, reason="loneliness", status=state,
                        sent_at=sent, responded_at=responded))
                    fact["onward"] += 1
                    out.onward.append({"referral": referral.id, "service": service.name,
                                       "status": state, "sent": sent,
                                       "responded": responded})
            out.referrals.append(fact)
    return out


def seed_measures(session, *, share: float = 0.85, random_seed: int = 23
                  ) -> dict[int, tuple[int, int]]:
    """WEMWBS at baseline (a day after the episode opened) and at follow-up (90 days on) for
    about ``share`` of the seeded episodes, complete and entered by a link worker; returns
    each measured referral's (baseline, follow-up) scores by referral id."""
    from sqlalchemy import select

    from linkwell.outcomes.commands import current_version, sync_builtin_instruments
    from linkwell.outcomes.models import Measure
    rng = random.Random(random_seed)
    scores = {}
    with session.begin():
        sync_builtin_instruments(session)
        version = current_version(session, "wemwbs")
        for episode_id, referral_id, opened in session.execute(
                select(Episode.id, Episode.referral_id, Episode.opened_at).order_by(Episode.id)):
            if rng.random() > share:
                continue
            pair = (rng.randint(14, 60), rng.randint(14, 70))
            for timepoint, score, days in (("baseline", pair[0], 1), ("follow_up", pair[1], 90)):
                session.add(Measure(
                    episode_id=episode_id, instrument_id=version.instrument_id,
                    instrument_version_id=version.id, timepoint=timepoint,
                    measured_on=(opened + timedelta(days=days)).date(), answers={},
                    complete=True, raw_score=score, metric_score=None, band=None,
                    item_scores={}, source="link_worker", entered_by_id=None))
            scores[referral_id] = pair
    return scores


def nhs_number(n: int) -> str:
    """A valid NHS number (modulus 11) from the 999 range, never issued to real people."""
    while True:
        digits = f"999{n:06d}"
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)
        n += 1


def referred_people(session, count):
    """Give ``count`` real referred people an NHS number; returns (number, referred on)."""
    with session.begin():
        rows = session.execute(
            select(Person.id, func.min(Referral.created_at)).join(
                Referral, Referral.person_id == Person.id).where(Referral.source != "simulated")
            .group_by(Person.id).order_by(Person.id).limit(count)).all()
        out = []
        for i, (pid, referred) in enumerate(rows):
            number = nhs_number(100 + i * 3)
            session.execute(text("UPDATE person SET nhs_number = :n WHERE id = :id"),
                            {"n": number, "id": pid})
            out.append((pid, number, referred.date()))
    return out


def months_around(day: date, before: bool) -> str:
    """A system-outcomes period (``YYYY-MM/YYYY-MM``) wholly before, or wholly after, ``day``."""
    if before:
        end = day.replace(day=1) - timedelta(days=1)
        start = (end.replace(day=1) - timedelta(days=1)).replace(day=1)
    else:
        start = (day.replace(day=28) + timedelta(days=5)).replace(day=1)
        end = start
    return f"{start:%Y-%m}/{end:%Y-%m}"
