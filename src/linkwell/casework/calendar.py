"""A link worker's appointments as an iCalendar feed (RFC 5545), with the ``icalendar``
library.

A calendar application keeps what it fetches outside Linkwell, so the feed carries no
name: each event says its kind and place and links back to the record, which needs signing in.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.auth.models import User
from linkwell.casework.domain import AppointmentKind, AppointmentOutcome
from linkwell.casework.models import Appointment
from linkwell.referrals.models import Episode

PAST = timedelta(days=30)
AHEAD = timedelta(days=365)


def feed(session: Session, owner: User, *, now: datetime,
         public_link: Callable[[str], str]) -> bytes:
    rows = session.execute(
        select(Appointment, Episode.person_id).join(Episode, Episode.id == Appointment.episode_id)
        .where(Appointment.link_worker_id == owner.id, Appointment.starts_at >= now - PAST,
               Appointment.starts_at < now + AHEAD)
        .order_by(Appointment.starts_at)).all()
    cal = Calendar()
    cal.add("prodid", "-//Linkwell//Casework diary//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Linkwell appointments")
    host = public_link("/").split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    for a, person_id in rows:
        event = Event()
        event.add("uid", f"appointment-{a.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        event.add("sequence", a.version - 1)
        event.add("summary", f"{AppointmentKind(a.kind).label} appointment (Linkwell)")
        if a.place:
            event.add("location", a.place)
        event.add("url", public_link(f"/people/{person_id}"))
        event.add("status", "CANCELLED" if a.outcome == AppointmentOutcome.CANCELLED
                  else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
