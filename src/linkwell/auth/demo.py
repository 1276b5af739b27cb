"""Demo accounts, one per role, so a newcomer can follow a referral around the whole loop."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth import commands as auth_commands
from linkwell.auth.models import Team, User
from linkwell.auth.roles import Role

DEMO_PASSWORD = "linkwell-demo-2026"  # noqa: S105 - printed for the demo, never for production


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str
    note: str


def create_demo_users(session: Session, *, provider_organization_id: str | None,
                      borough_code: str = "E09000023") -> list[DemoLogin]:
    """Create the demo team and one account per role; returns the logins to print.

    The provider account works for ``provider_organization_id`` (a directory organisation), so
    onward referrals to that organisation's services appear in its inbox.
    """
    team = session.scalar(select(Team).where(Team.name == "Lewisham North PCN"))
    if team is None:
        team = auth_commands.create_team(session, by=None, name="Lewisham North PCN", kind="pcn",
                                         lad_code=borough_code, caseload_capacity=250)
    accounts = [
        (Role.ADMIN, "admin@linkwell.example", "Alex Admin", {}, "manages users and teams"),
        (Role.LINK_WORKER, "linkworker@linkwell.example", "Lee Link-Worker",
         {"team_id": team.id}, "caseload of Lewisham North PCN"),
        (Role.REFERRER, "gp@linkwell.example", "Dr Gita Patel", {}, "refers from a GP practice"),
        (Role.PROVIDER, "provider@linkwell.example", "Priya Provider",
         {"organization_id": provider_organization_id}, "staff of a directory organisation"),
        (Role.COMMISSIONER, "commissioner@linkwell.example", "Chris Commissioner", {},
         "aggregates and accountability"),
        (Role.EVALUATOR, "evaluator@linkwell.example", "Eve Evaluator", {},
         "unsuppressed aggregates"),
    ]
    logins = []
    for role, email, name, fields, note in accounts:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            auth_commands.create_user(session, by=None, email=email, display_name=name,
                                      roles=[role], password=DEMO_PASSWORD, **fields)
        logins.append(DemoLogin(role, email, DEMO_PASSWORD, note))
    return logins
