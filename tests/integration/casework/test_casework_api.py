"""Tasks and appointments through the JSON API and the pages: access, audit, idempotency,
versions kept, warnings, 422s and the diary, feed and caseload flags."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select, text

from linkwell.audit.models import AuditEvent
from linkwell.auth.roles import Role
from linkwell.casework.domain import LONDON, Week
from referrals_factories import accept, make_team, submit

FUTURE = datetime.now(UTC) + timedelta(days=3)


def _episode(app, login, **user):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    worker = login(Role.LINK_WORKER, team_id=team.id, **user)
    with app.state.sessionmaker() as session:
        referral = submit(session, None)
        episode = accept(session, worker, referral)
    return worker, episode, team


def _appointment(start=FUTURE, minutes=45, **extra):
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=minutes))
            .isoformat(), "kind": "in-person", "place": "Lewisham library", **extra}


def test_tasks_are_added_listed_and_retried_safely(client, app, login):
    _worker, episode, _team = _episode(app, login)
    body = {"title": "Follow-up call", "due_date": (date.today() + timedelta(days=7))
            .isoformat()}
    first = client.post(f"/api/episodes/{episode.id}/tasks", json=body,
                        headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.text
    again = client.post(f"/api/episodes/{episode.id}/tasks", json=body,
                        headers={"Idempotency-Key": "k-1"})
    # The replay gets the first answer again (the shared Idempotency-Key middleware).
    assert again.status_code == 201 and again.json() == first.json()
    listed = client.get(f"/api/episodes/{episode.id}/tasks").json()
    assert [t["title"] for t in listed] == ["Follow-up call"]
    with app.state.sessionmaker() as session:
        actions = session.execute(select(AuditEvent.action, AuditEvent.object_type)).all()
    assert ("create", "task") in actions and ("read", "episode_tasks") in actions


def test_a_task_edit_keeps_the_version_before(client, app, login):
    _worker, episode, _team = _episode(app, login)
    created = client.post(f"/api/episodes/{episode.id}/tasks",
                          json={"title": "Review", "due_date": "2026-12-20"})
    task_id = created.json()["id"]
    assert client.patch(f"/api/tasks/{task_id}", json={"done": True}).status_code == 428
    done = client.patch(f"/api/tasks/{task_id}", json={"done": True},
                        headers={"If-Match": created.headers["ETag"]})
    assert done.status_code == 200 and done.json()["done"] is True
    stale = client.patch(f"/api/tasks/{task_id}", json={"title": "Other"},
                         headers={"If-Match": created.headers["ETag"]})
    assert stale.status_code == 409
    versions = client.get(f"/api/tasks/{task_id}/versions").json()
    assert [(v["version"], v["done"]) for v in versions] == [(1, False), (2, True)]


def test_version_rows_cannot_be_changed(app, client, login):
    _worker, episode, _team = _episode(app, login)
    client.post(f"/api/episodes/{episode.id}/tasks", json={"title": "A", "due_date": "2026-12-20"})
    with app.state.sessionmaker() as session:
        try:
            with session.begin():
                session.execute(text("UPDATE task_version SET title = 'B'"))
            changed = True
        except Exception:  # noqa: BLE001 - either engine's trigger error
            changed = False
    assert not changed


def test_bad_bodies_get_clear_422s(client, app, login):
    _worker, episode, _team = _episode(app, login)
    missing = client.post(f"/api/episodes/{episode.id}/tasks", json={"title": "x"})
    assert missing.status_code == 422
    assert missing.headers["content-type"] == "application/problem+json"
    assert "due_date" in missing.json()["detail"]
    naive = client.post(f"/api/episodes/{episode.id}/appointments",
                        json=_appointment() | {"starts_at": "2026-12-08T10:00:00"})
    assert naive.status_code == 422
    backwards = client.post(f"/api/episodes/{episode.id}/appointments",
                            json=_appointment(minutes=-30))
    assert backwards.status_code == 422 and "end after" in backwards.json()["detail"]
    kind = client.post(f"/api/episodes/{episode.id}/appointments",
                       json=_appointment(kind="carrier pigeon"))
    assert kind.status_code == 422


def test_past_and_overlapping_appointments_are_booked_with_warnings(client, app, login):
    _worker, episode, _team = _episode(app, login)
    first = client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment(),
                        headers={"Idempotency-Key": "a-1"})
    assert first.status_code == 201 and first.json()["warnings"] == []
    assert client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment(),
                       headers={"Idempotency-Key": "a-1"}).json() == first.json()
    overlap = client.post(f"/api/episodes/{episode.id}/appointments",
                          json=_appointment(FUTURE + timedelta(minutes=30)))
    assert overlap.status_code == 201
    assert any("overlaps" in w for w in overlap.json()["warnings"])
    past = client.post(f"/api/episodes/{episode.id}/appointments",
                       json=_appointment(datetime.now(UTC) - timedelta(days=2)))
    assert any("past" in w for w in past.json()["warnings"])
    assert len(client.get(f"/api/episodes/{episode.id}/appointments").json()) == 3


def test_attendance_is_recorded_as_a_new_version(client, app, login):
    _worker, episode, _team = _episode(app, login)
    past = client.post(f"/api/episodes/{episode.id}/appointments",
                       json=_appointment(datetime.now(UTC) - timedelta(hours=3)))
    changed = client.patch(f"/api/appointments/{past.json()['id']}",
                           json={"outcome": "did-not-attend"},
                           headers={"If-Match": past.headers["ETag"]})
    assert changed.status_code == 200 and changed.json()["outcome"] == "did-not-attend"
    versions = client.get(f"/api/appointments/{past.json()['id']}/versions").json()
    assert [v["outcome"] for v in versions] == ["booked", "did-not-attend"]


def test_another_teams_link_worker_gets_404_and_it_is_audited(client, app, login):
    _worker, episode, _team = _episode(app, login)
    with app.state.sessionmaker() as session:
        other = make_team(session, name="Other PCN")
    login(Role.LINK_WORKER, team_id=other.id)
    assert client.get(f"/api/episodes/{episode.id}/tasks").status_code == 404
    assert client.post(f"/api/episodes/{episode.id}/appointments",
                       json=_appointment()).status_code == 404
    with app.state.sessionmaker() as session:
        denied = session.scalars(select(AuditEvent.object_type)
                                 .where(AuditEvent.action == "denied")).all()
    assert denied.count("episode") == 2


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/episodes/{episode_id}/tasks"])
    assert {"get", "post"} <= set(paths["/api/episodes/{episode_id}/appointments"])


def test_pages_add_a_task_and_book_with_errors_and_a_banner(client, app, login):
    _worker, episode, _team = _episode(app, login)
    form = client.get(f"/episodes/{episode.id}/tasks/new")
    assert form.status_code == 200
    bad = client.post(f"/episodes/{episode.id}/tasks", data={"title": "", "due_date": ""})
    assert bad.status_code == 422
    assert "There is a problem" in bad.text and "nhsuk-error-message" in bad.text
    ok = client.post(f"/episodes/{episode.id}/tasks",
                     data={"title": "Ring the food bank", "due_date": date.today().isoformat()},
                     follow_redirects=True)
    assert "Task added" in ok.text and "Ring the food bank" in ok.text
    bad = client.post(f"/episodes/{episode.id}/appointments",
                      data={"date": "2026-02-30", "start_time": "10:00", "end_time": "11:00",
                            "kind": "phone"})
    assert bad.status_code == 422 and "Enter a real date" in bad.text
    day = (datetime.now(LONDON) - timedelta(days=1)).date().isoformat()
    booked = client.post(f"/episodes/{episode.id}/appointments",
                         data={"date": day, "start_time": "10:00", "end_time": "10:30",
                               "kind": "phone", "place": ""}, follow_redirects=True)
    assert "Appointment booked" in booked.text and "in the past" in booked.text
    caseload = client.get("/caseload")
    assert "Due today" in caseload.text


def test_pages_mark_a_task_done_and_record_an_outcome_against_the_version_shown(
        client, app, login):
    _worker, episode, _team = _episode(app, login)
    task = client.post(f"/api/episodes/{episode.id}/tasks",
                       json={"title": "Ring", "due_date": "2026-12-20"}).json()
    stale = client.post(f"/tasks/{task['id']}/done", data={"version": task["version"] + 1})
    assert stale.status_code == 409
    done = client.post(f"/tasks/{task['id']}/done", data={"version": task["version"]},
                       follow_redirects=False)
    assert done.status_code == 303 and "saved=task-done" in done.headers["location"]
    # Not a version at all (a superscript digit, an overlong number): read as none given.
    assert client.post(f"/tasks/{task['id']}/done",
                       data={"version": "\u00b2", "done": "no"},
                       follow_redirects=False).status_code == 303
    booked = client.post(f"/api/episodes/{episode.id}/appointments",
                         json=_appointment()).json()
    stale = client.post(f"/appointments/{booked['id']}/outcome",
                        data={"version": booked["version"] + 1, "outcome": "attended"})
    assert stale.status_code == 409
    recorded = client.post(f"/appointments/{booked['id']}/outcome",
                           data={"version": booked["version"], "outcome": "cancelled"},
                           follow_redirects=False)
    assert recorded.status_code == 303 and "saved=outcome" in recorded.headers["location"]


def test_pages_refuse_a_form_without_the_csrf_token(client, app, login):
    _worker, episode, _team = _episode(app, login)
    client.headers.pop("X-CSRF-Token")
    refused = client.post(f"/episodes/{episode.id}/tasks",
                          data={"title": "x", "due_date": "2026-12-20"})
    assert refused.status_code == 403


def test_the_diary_shows_the_week_and_overdue_tasks(client, app, login):
    _worker, episode, _team = _episode(app, login)
    client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment())
    client.post(f"/api/episodes/{episode.id}/tasks",
                json={"title": "Late letter", "due_date": (date.today() - timedelta(days=2))
                      .isoformat()})
    week = Week.parse(None, FUTURE.astimezone(LONDON).date())
    page = client.get(f"/diary?week={week}")
    assert page.status_code == 200
    assert "Lewisham library" in page.text and "Late letter" in page.text
    assert "Overdue" in page.text
    assert client.get("/diary?week=nonsense").status_code == 200
    assert "Task overdue" in client.get("/caseload").text


def test_the_calendar_feed_is_secret_and_revocable(client, app, login):
    _worker, episode, _team = _episode(app, login)
    client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment())
    made = client.post("/diary/feed")
    assert made.status_code == 201
    url = made.text.split('<code id="feed-url">')[1].split("</code>")[0]
    path = url.removeprefix("http://127.0.0.1:8000")
    renewed = client.post("/diary/feed").text.split('<code id="feed-url">')[1].split("</code>")[0]
    client.cookies.clear()
    assert client.get(path).status_code == 404  # revoked by the new address
    path = renewed.removeprefix("http://127.0.0.1:8000")
    feed = client.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["location"]) == "Lewisham library"
    assert "Ada" not in feed.text  # no names leave the system in a feed
    with app.state.sessionmaker() as session:
        stored = session.execute(text("SELECT secret_hash FROM calendar_feed")).scalar()
    assert stored not in path and path.split("/")[-1].removesuffix(".ics") not in stored
    assert client.get("/calendar/made-up.ics").status_code == 404


def test_a_colleagues_diary_opens_but_another_teams_does_not(client, app, login):
    worker, episode, team = _episode(app, login)
    client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment())
    client.post(f"/api/episodes/{episode.id}/appointments",
                json=_appointment(FUTURE + timedelta(minutes=15)))
    week = Week.parse(None, FUTURE.astimezone(LONDON).date())
    login(Role.LINK_WORKER, team_id=team.id)  # a colleague
    shared = client.get(f"/diary?week={week}&worker={worker.id}")
    assert shared.status_code == 200 and shared.text.count("Overlaps") == 2
    with app.state.sessionmaker() as session:
        other = make_team(session, name="Other PCN")
    login(Role.LINK_WORKER, team_id=other.id)
    assert client.get(f"/diary?week={week}&worker={worker.id}").status_code == 404


def test_a_cancelled_appointment_frees_the_time(client, app, login):
    _worker, episode, _team = _episode(app, login)
    first = client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment())
    cancelled = client.patch(f"/api/appointments/{first.json()['id']}",
                             json={"outcome": "cancelled"},
                             headers={"If-Match": first.headers["ETag"]})
    assert cancelled.status_code == 200
    again = client.post(f"/api/episodes/{episode.id}/appointments", json=_appointment())
    assert again.json()["warnings"] == []
    early = client.patch(f"/api/appointments/{again.json()['id']}",
                         json={"outcome": "attended"}, headers={"If-Match": '"1"'})
    assert early.status_code == 422 and "once the appointment has started" in early.text
