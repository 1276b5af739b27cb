"""Insights writes, each one transaction the caller opens, each audited: a community outcome,
an import of system outcomes (all lines or none), a monthly e-mail subscription, and queuing
the monthly e-mail in the staff notification outbox."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.errors import InvalidInput, rejected_lines
from linkwell.insights import outcomes, pseudonyms
from linkwell.insights.models import CommunityOutcome, InsightsSubscription, SystemOutcome
from linkwell.notifications import outbox as notifications
from linkwell.referrals.models import Person, Referral
from linkwell.settings import get_settings


def record_community_outcome(session: Session, *, by: User, team_id: int | None, kind: str,
                             count: str | int, month: str, description: str = "",
                             today: date, source_ip: str | None = None) -> CommunityOutcome:
    if not policy.can_record_community_outcome(by, team_id):
        raise policy.Refused("team", team_id)
    kind, number, first = outcomes.check_community(kind, count, month, today)
    row = CommunityOutcome(team_id=team_id, kind=kind, count=number, month=first,
                           description=(description or "").strip()[:500], recorded_by_id=by.id)
    session.add(row)
    session.flush()
    audit.record(session, action="create", object_type="community_outcome", object_id=row.id,
                 detail={"team_id": team_id, "kind": kind, "count": number,
                         "month": first.isoformat()}, **audit.actor(by, source_ip))
    return row


@dataclass(frozen=True)
class Imported:
    lines: int
    people: int

    def __str__(self) -> str:
        """What the page and the command line say: "Imported 1 line for 1 person."."""
        lines = "1 line" if self.lines == 1 else f"{self.lines:,} lines"
        people = "1 person" if self.people == 1 else f"{self.people:,} people"
        return f"Imported {lines} for {people}."


def import_system_outcomes(session: Session, *, by: User | None, text: str, today: date,
                           pseudonym_key: str = "", source_ip: str | None = None) -> Imported:
    """Import a practice's counts, each line naming the person by NHS number or by pseudonym
    (made under ``pseudonym_key``). Every line is checked first; if any is rejected (unknown
    person, bad period, duplicate in the file or of an earlier import) nothing is written and
    InvalidInput lists each rejected line with its reason. ``by`` None: the command line."""
    if by is not None and not policy.can_import_system_outcomes(by):
        raise policy.Refused("system_outcome", "import")
    parsed = outcomes.parse_system_csv(text, today)
    if parsed.column == "pseudonym" and not pseudonym_key:
        raise rejected_lines("imported", [{"line": 1, "reason": "This service has no pseudonym key "
                  "(LINKWELL_PSEUDONYM_KEY), so pseudonyms cannot be matched: send NHS "
                  "numbers, or ask the administrator to set the key"}])
    people = _referred_people(session, parsed, pseudonym_key)
    referred = dict(session.execute(
        select(Referral.person_id, func.min(Referral.created_at))
        .where(Referral.person_id.in_(people.values())).group_by(Referral.person_id))
        .all()) if people else {}
    rows, rejected = [], list(parsed.rejected)
    for line in parsed.lines:
        person = people.get(line.person)
        if person is None or person not in referred:
            rejected.append({"line": line.number, "reason": (
                "No referred person has this pseudonym (was it made with this service's key?)"
                if parsed.column == "pseudonym" else "No referred person has this NHS number")})
            continue
        relative = outcomes.relative_to(line, referred[person].date())
        if relative is None:
            rejected.append({"line": line.number, "reason": "Bad period: it contains the "
                                                            "date of the first referral"})
            continue
        rows.append((line, person, relative))
    if rows:
        existing = set(session.execute(
            select(SystemOutcome.person_id, SystemOutcome.measure, SystemOutcome.period_start,
                   SystemOutcome.period_end)
            .where(tuple_(SystemOutcome.person_id, SystemOutcome.measure).in_(
                {(p, line.measure) for line, p, _ in rows}))).all())
        for line, person, _ in rows:
            if (person, line.measure, line.start, line.end) in existing:
                rejected.append({"line": line.number, "reason": "Already imported"})
    if rejected or not rows:
        raise rejected_lines("imported", rejected or [
            {"line": 1, "reason": "The file has no lines to import"}])
    actor = by.id if by is not None else None
    session.add_all(SystemOutcome(person_id=person, measure=line.measure,
                                  period_start=line.start, period_end=line.end,
                                  relative=relative, count=line.count, imported_by_id=actor)
                    for line, person, relative in rows)
    session.flush()
    result = Imported(len(rows), len({p for _, p, _ in rows}))
    audit.record(session, action="import", object_type="system_outcome", object_id="csv",
                 detail={"lines": result.lines, "people": result.people},
                 **audit.actor(by, source_ip))
    return result


def _referred_people(session: Session, parsed: outcomes.Parsed, key: str) -> dict[str, int]:
    """Each NHS number or pseudonym in the file that names a person: pseudonyms are matched by
    making the pseudonym of every person with an NHS number and a referral (never stored)."""
    wanted = {line.person for line in parsed.lines}
    if not wanted:
        return {}
    alive = select(Person.nhs_number, Person.id).where(Person.merged_into_id.is_(None))
    if parsed.column == "nhs_number":
        return dict(session.execute(alive.where(Person.nhs_number.in_(sorted(wanted)))).all())
    named = session.execute(alive.where(
        Person.nhs_number.is_not(None),
        Person.id.in_(select(Referral.person_id)))).all()
    found = {}
    for number, person in named:
        try:
            name = pseudonyms.pseudonym(number, key)
        except InvalidInput:
            continue  # a number stored before its check digit was checked matches nothing
        if name in wanted:
            found[name] = person
    return found


def set_subscription(session: Session, *, by: User, subscribed: bool,
                     source_ip: str | None = None) -> None:
    """Ask for (or stop) the dashboard by e-mail each month."""
    if not policy.can_subscribe_to_insights(by):
        raise policy.Refused("insights_subscription", by.id)
    current = session.get(InsightsSubscription, by.id)
    if subscribed and current is None:
        session.add(InsightsSubscription(user_id=by.id))
    elif not subscribed and current is not None:
        session.execute(delete(InsightsSubscription).where(
            InsightsSubscription.user_id == by.id))
    else:
        return
    audit.record(session, action="update", object_type="insights_subscription",
                 object_id=by.id, detail={"subscribed": subscribed},
                 **audit.actor(by, source_ip))


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def queue_monthly(session: Session, *, today: date, headline) -> int:
    """Queue last month's dashboard for every active subscriber still allowed to read it and
    not yet sent it, through the staff notification outbox; returns how many were queued.
    ``headline(first, last)`` gives the subject line's figures (suppressed as on the page)."""
    first, last = last_month(today)
    due = session.execute(
        select(InsightsSubscription, User).join(User, User.id == InsightsSubscription.user_id)
        .where(User.active.is_(True))
        .where((InsightsSubscription.last_sent.is_(None))
               | (InsightsSubscription.last_sent < first))
        .order_by(User.id)).all()
    due = [(s, u) for s, u in due if u.has_role(Role.COMMISSIONER, Role.ADMIN)]
    if not due:
        return 0
    subject = f"Linkwell insights for {first:%B %Y}: {headline(first, last)}"[:200]
    link = get_settings().public_link(f"/insights?from={first}&to={last}")
    for subscription, user in due:
        notifications.queue(session, [user.email], subject, link)
        subscription.last_sent = first
    audit.record(session, action="create", object_type="insights_email",
                 object_id=first.isoformat(), detail={"recipients": len(due)},
                 **audit.actor(None))
    return len(due)
