"""Demo casework: tasks and appointments for the people the demo link worker still works with."""

from datetime import date

from sqlalchemy import func, select

from linkwell.casework.demo import create_demo_casework
from linkwell.casework.models import Appointment, Task
from linkwell.casework.queries import caseload_flags
from referrals_factories import demo_referrals


def test_demo_link_workers_have_todays_and_overdue_items(session):
    today = date(2026, 3, 2)
    demo_referrals(session, today)
    with session.begin():
        summary = create_demo_casework(session, today=today)
    assert summary.startswith("tasks and appointments for 4 people")
    episodes = list(session.scalars(select(Task.episode_id).distinct()))
    assert len(episodes) == 4  # every open episode: assessed, referred on, accepted, attended
    assert session.scalar(select(func.count()).select_from(Appointment)) == 8
    flags = caseload_flags(session, episodes, today=today)
    assert all(f.overdue_tasks == 1 and f.tasks_today == 1 and f.appointments_today == 1
               for f in flags.values()) and len(flags) == 4


def test_demo_casework_without_the_demo_worker_is_skipped(session):
    with session.begin():
        assert create_demo_casework(session, today=date(2026, 3, 2)).startswith("skipped")
