"""``linkwell demo-data``: fill the database with plausible demo data, the same for a seed.

Composition point: each area adds one step to :data:`STEPS`, in dependency order (the
directory first, then users, referrals, casework, outcomes, commissioning). A step takes the
session and the shared :class:`DemoOptions` and returns a one-line summary; all steps run in
one transaction, so a failed step leaves the database as it was. ``--people N`` adds a simulated
cohort for the evaluation (``linkwell.evaluation.demo``).
"""

import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

import typer
from sqlalchemy.orm import Session

from linkwell.db import make_engine, make_sessionmaker, transaction
from linkwell.settings import get_settings


@dataclass(frozen=True)
class DemoOptions:
    services: int
    seed: int
    today: date
    people: int = 0
    with_outcomes: bool = False
    progress: Callable[[int], None] | None = field(default=None, compare=False)


def _directory(session: Session, options: DemoOptions) -> str:
    from linkwell.directory.demo import create_directory
    from linkwell.directory.merges import find_duplicates
    from linkwell.directory.search_index import reindex_services

    summary = create_directory(session, services=options.services, seed=options.seed,
                               today=options.today)
    indexed = reindex_services(session)
    proposed = find_duplicates(session)
    return (f"{summary}; {indexed} services in the search index; "
            f"{proposed['organization']} look-alike organisations and {proposed['service']} "
            "look-alike services to review at /admin/duplicates")


def _users(session: Session, options: DemoOptions) -> str:
    from sqlalchemy import func, select

    from linkwell.auth.demo import create_demo_users
    from linkwell.directory.models import Organization, Service

    # The demo provider works for the organisation with the most services, so its inbox fills.
    provider_org = session.scalar(
        select(Organization.id).join(Service, Service.organization_id == Organization.id)
        .group_by(Organization.id, Organization.name)
        .order_by(func.count(Service.id).desc(), Organization.name).limit(1))
    logins = create_demo_users(session, provider_organization_id=provider_org)
    lines = [f"{len(logins)} demo accounts (password {logins[0].password}):"]
    lines += [f"    {login.role.label:<13} {login.email:<32} {login.note}" for login in logins]
    return "\n".join(lines)


def _commissioning(session: Session, options: DemoOptions) -> str:
    from linkwell.commissioning.demo import load_demo

    return load_demo(session)


def _referrals(session: Session, options: DemoOptions) -> str:
    from linkwell.referrals.demo import create_demo_referrals

    return create_demo_referrals(session, today=options.today)


def _casework(session: Session, options: DemoOptions) -> str:
    from linkwell.casework.demo import create_demo_casework

    return create_demo_casework(session, today=options.today)


def _insights_activity(session: Session, options: DemoOptions) -> str:
    from linkwell.insights.demo import create_demo_activity

    return create_demo_activity(session, today=options.today, seed=options.seed)


def _gp_practices(session: Session, options: DemoOptions) -> str:
    from linkwell.gprecord.demo import create_demo_practices

    return create_demo_practices(session)


def _outcomes(session: Session, options: DemoOptions) -> str:
    from linkwell.outcomes.demo import create_demo_measures

    return create_demo_measures(session, today=options.today)


def _simulated_cohort(session: Session, options: DemoOptions) -> str:
    from linkwell.evaluation.demo import create_simulated_cohort

    if not options.people:
        return "none (add some with --people N --with-outcomes)"
    return create_simulated_cohort(session, people=options.people,
                                   with_outcomes=options.with_outcomes, seed=options.seed,
                                   progress=options.progress)


def _evaluation(session: Session, options: DemoOptions) -> str:
    from linkwell.evaluation import runs

    if not (options.people and options.with_outcomes):
        return "not run (needs --people N --with-outcomes)"
    run = runs.run_now(session)
    if run.status != runs.DONE:
        return f"failed: {run.error}"
    return f"run {run.id} stored; see /evaluation as evaluator@ or commissioner@"


DemoStep = Callable[[Session, DemoOptions], str]
STEPS: list[tuple[str, DemoStep]] = [
    ("directory", _directory),
    ("users", _users),
    ("commissioning", _commissioning),
    ("referrals", _referrals),
    ("casework", _casework),
    ("referral activity for insights", _insights_activity),
    ("gp practices", _gp_practices),
    ("outcomes", _outcomes),
    ("simulated cohort", _simulated_cohort),
    ("evaluation", _evaluation),
]


def run(session: Session, options: DemoOptions) -> list[str]:
    """Run every step in the caller's transaction; returns each step's summary."""
    return [f"{name}: {step(session, options)}" for name, step in STEPS]


def demo_data(
    services: int = typer.Option(2000, "--services", min=1,
                                 help="How many directory services to create."),
    seed: int = typer.Option(2019, "--seed", help="The same seed gives the same data."),
    people: int = typer.Option(0, "--people", min=0,
                               help="Also simulate this many referred people (for the "
                                    "evaluation), marked as simulated."),
    with_outcomes: bool = typer.Option(False, "--with-outcomes",
                                       help="Give the simulated people episodes and wellbeing "
                                            "measures with a known effect."),
) -> None:
    """Create demo data (needs the geography tables: run `linkwell geo load` first)."""
    engine = make_engine(get_settings().database_url)
    try:
        bar = (typer.progressbar(length=people, label="Simulated people", file=sys.stderr)
               if people else nullcontext())
        with bar, transaction(make_sessionmaker(engine)) as session:
            summaries = run(session, DemoOptions(services=services, seed=seed,
                                                 today=date.today(), people=people,
                                                 with_outcomes=with_outcomes,
                                                 progress=bar.update if people else None))
    finally:
        engine.dispose()
    for summary in summaries:
        typer.echo(summary)
