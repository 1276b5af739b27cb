"""Sending 1,000 queued reminders to a local GOV.UK Notify stand-in, with a crash midway.

A sender process is killed (SIGKILL) after about 425 messages (in the middle of a batch)
have reached the stand-in; a second run recovers the rows it left ``sending`` (asking Notify
by reference) and sends the rest. Prints the time taken and checks that every reference
reached Notify exactly once.
Target: <= 30 s, no duplicates.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from linkwell.casework import outbox
from linkwell.casework.models import PersonMessage
from linkwell.db import make_engine, make_sessionmaker
from linkwell.migrate import upgrade
from linkwell.referrals.models import Person
from linkwell.settings import Settings

TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
MESSAGES, KILL_AFTER = 1000, 425  # mid-batch (batches of 50)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def _settings(url: str, notify_url: str) -> Settings:
    from notify_standin import API_KEY

    return Settings(database_url=url, secret_key="bench-secret", notify_api_key=API_KEY,
                    notify_base_url=notify_url,
                    notify_template_appointment_reminder_sms=TEMPLATE)


def _build(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        person = Person(given_name="Bench", family_name="Person", birth_date=date(1960, 1, 1),
                        match_key="bench", phone="07911123456")
        session.add(person)
        session.flush()
        now = datetime.now(UTC)
        session.execute(insert(PersonMessage), [
            {"person_id": person.id, "kind": "appointment_reminder", "channel": "sms",
             "recipient": "+447911123456", "personalisation": {"name": "Bench", "when": "x"},
             "reference": f"bench-{i}", "status": "queued", "attempts": 0, "created_at": now}
            for i in range(MESSAGES)])
    engine.dispose()


def child(url: str, notify_url: str) -> None:
    """The sender that gets killed: sends everything it can until it is stopped."""
    outbox.send_queued(make_sessionmaker(make_engine(url)), _settings(url, notify_url), batch=50)


def main() -> None:
    from notify_standin import NotifyStandIn

    with tempfile.TemporaryDirectory() as folder, NotifyStandIn() as stand_in:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/reminders.db"
        _build(url)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bench.casework_reminders", "--child",
                                    url, stand_in.url])
        while len(stand_in.notifications) < KILL_AFTER and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        at_crash = len(stand_in.notifications)
        sessions = make_sessionmaker(make_engine(url))
        with sessions() as session:
            left = session.scalar(select(func.count()).where(PersonMessage.status == "sending"))
        run = outbox.send_queued(sessions, _settings(url, stand_in.url), batch=50,
                                 claim_timeout=timedelta(0))
        elapsed = time.perf_counter() - started
        counts = stand_in.by_reference()
        with sessions() as session:
            unsent = session.scalar(select(func.count()).where(PersonMessage.status == "queued"))
    duplicates = sum(1 for n in counts.values() if n > 1)
    print(f"killed the sender after {at_crash} sends ({left} rows left 'sending'); "
          f"the next run checked {run.recovered} with Notify and sent {run.sent}")
    print(f"{len(counts)} of {MESSAGES} references reached Notify, {duplicates} more than once, "
          f"{unsent} still queued; {elapsed:.1f} s in all (target <= 30 s) "
          f"{'OK' if elapsed <= 30 and not duplicates and len(counts) == MESSAGES else 'FAILED'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
