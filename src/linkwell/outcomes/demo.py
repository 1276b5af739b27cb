"""Demo outcome measures for the demo referrals, entered through the real commands.

Needs the demo referrals (``linkwell.referrals.demo``). Every demo person on the caseload has a
SWEMWBS and ONS4 baseline from their first contact; those further along (attended their onward
service, or closed) have a second measure that shows change, so their record shows a chart.
The demo compresses time: the follow-up is dated today rather than 8 to 12 weeks on.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth.models import User
from linkwell.outcomes import commands
from linkwell.referrals.demo import LINK_WORKER, PEOPLE, demo_episode
from linkwell.referrals.models import EpisodeContact

# SWEMWBS items (1-5) and ONS4 (0-10; anxiety: lower is better): low wellbeing at baseline,
# as is usual for people referred to social prescribing, better after the activity.
SWEMWBS_BASELINE = {"1": 2, "2": 3, "3": 2, "6": 3, "7": 2, "9": 3, "11": 2}
SWEMWBS_LATER = {"1": 3, "2": 4, "3": 3, "6": 4, "7": 3, "9": 4, "11": 3}
ONS4_BASELINE = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 4, "anxiety": 7}
ONS4_LATER = {"life_satisfaction": 6, "worthwhile": 7, "happiness": 6, "anxiety": 4}
FURTHER_ALONG = {"attended", "closed"}


def _shifted(answers: dict[str, int], by: int, low: int, high: int) -> dict[str, int]:
    """Vary the demo people a little so their charts differ."""
    return {k: min(high, max(low, v + by)) for k, v in answers.items()}


def create_demo_measures(session: Session, *, today: date) -> str:
    worker = session.scalar(select(User).where(User.email == LINK_WORKER))
    if worker is None:
        return "skipped: run the demo users and referrals steps first"
    baselines = later = 0
    for index, who in enumerate(PEOPLE):
        episode = demo_episode(session, who)
        if episode is None:
            continue
        first_contact = session.scalar(select(EpisodeContact.occurred_at)
                                       .where(EpisodeContact.episode_id == episode.id)
                                       .order_by(EpisodeContact.occurred_at).limit(1))
        baseline_on = (first_contact or episode.opened_at).date()
        shift = index % 3 - 1
        for key, answers, low, high in (("swemwbs", SWEMWBS_BASELINE, 1, 5),
                                        ("ons4", ONS4_BASELINE, 0, 10)):
            commands.record_measure(session, by=worker, episode_id=episode.id, instrument=key,
                                    timepoint="baseline", measured_on=baseline_on,
                                    answers=_shifted(answers, shift, low, high), today=today)
            baselines += 1
        if who.stage not in FURTHER_ALONG:
            continue
        timepoint, measured_on = (("closure", episode.closed_at.date()) if episode.closed_at
                                  else ("follow_up", today))
        for key, answers, low, high in (("swemwbs", SWEMWBS_LATER, 1, 5),
                                        ("ons4", ONS4_LATER, 0, 10)):
            commands.record_measure(session, by=worker, episode_id=episode.id, instrument=key,
                                    timepoint=timepoint, measured_on=measured_on,
                                    answers=_shifted(answers, shift, low, high), today=today)
            later += 1
    return f"{baselines} baseline and {later} later measures entered as {LINK_WORKER}"
