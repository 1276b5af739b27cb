"""Demo tasks and appointments for the demo referrals, made through the casework commands.

Needs the demo referrals (``linkwell.referrals.demo``). Every demo person the link worker is
still working with (accepted, not closed) gets tasks and appointments around ``today``, so the
caseload and the diary show today's and overdue items.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth.models import User
from linkwell.casework import commands
from linkwell.casework.domain import uk_datetime
from linkwell.referrals.demo import LINK_WORKER, PEOPLE, demo_episode


def create_demo_casework(session: Session, *, today: date) -> str:
    worker = session.scalar(select(User).where(User.email == LINK_WORKER))
    if worker is None:
        return "skipped: run the demo users and referrals steps first"
    people = 0
    for who in PEOPLE:
        episode = None if who.stage in ("new", "self") else demo_episode(session, who)
        if episode is None or episode.closed_at is not None:
            continue
        _working_day(session, worker, episode.id, today, episode.opened_at)
        people += 1
    return f"tasks and appointments for {people} people on {LINK_WORKER}'s caseload"


def _working_day(session, worker, episode_id: int, today: date, opened: datetime) -> None:
    """Two tasks (one overdue, one due today) and two appointments (today and tomorrow), made
    the day after the episode opened, as a link worker would make them."""
    made = opened + timedelta(days=1)
    commands.add_task(session, by=worker, episode_id=episode_id, title="Demo: follow-up call",
                      due_date=today - timedelta(days=2), now=made)
    commands.add_task(session, by=worker, episode_id=episode_id, title="Demo: six-week review",
                      due_date=today, now=made)
    hour = 10 + episode_id % 6  # one an hour, so the demo diary has no clashes
    for day, kind, place in ((today, "phone", ""),
                             (today + timedelta(days=1), "in-person", "Demo: the library")):
        starts = uk_datetime(day, time(hour))
        commands.book_appointment(session, by=worker, episode_id=episode_id, starts_at=starts,
                                  ends_at=starts + timedelta(minutes=30), kind=kind,
                                  place=place, now=made)
