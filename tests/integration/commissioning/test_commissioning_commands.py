"""Persistence on both engines: the seed case, versions, as-of reconstruction, validation."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from linkwell.audit.models import AuditEvent
from linkwell.commissioning import commands, demo, queries
from linkwell.commissioning import models as m
from linkwell.commissioning.answer import build_answer
from linkwell.errors import Conflict, InvalidInput, NotFound

SLUG = demo.SLUG
ANSWERED = date(2019, 1, 17)
WELFARE = "Review of the current provision of social welfare legal advice in London"


@pytest.fixture
def seeded(session):
    with session.begin():
        demo.load_demo(session)
    return session


@contextmanager
def work(session):
    """One unit of work, after ending the read transaction a previous query began."""
    session.rollback()
    with session.begin():
        yield


def commission_id(session, title):
    return next(c.id for c in queries.programme_state(session, SLUG).commissions
                if c.title == title)


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_answer_as_of_17_january_2019(seeded):
    answer = build_answer(queries.programme_state(seeded, SLUG, ANSWERED))
    assert answer.commissioned.known_pence == 8_600_000
    assert [c.title for c in answer.unknown_value] == [WELFARE]
    assert sorted(c.title for c in answer.unlinked) == [
        "Internal review of the role of local government",
        "Look at the role of housing associations",
        "Review of the role of the voluntary sector",
    ]
    text = answer.to_text()
    assert "work commissioned has a known value of £86,000" in text
    assert f"The value of one commission is not yet known: {WELFARE}." in text
    assert "Three commissions are not linked to a commitment" in text
    assert "Draft Vision for Social Prescribing: Published in December 2018. Out for feedback." \
        in text
    project = answer.report_for(commission_id(seeded, "Project to inform the evaluation work "
                                                       "programme (1 of 3)"))
    assert project.text == "Due in spring 2019 (1 March to 31 May 2019)."


def test_seed_commitments_are_verbatim_and_linked_only_where_clear(seeded):
    state = queries.programme_state(seeded, SLUG, ANSWERED)
    assert [c.text for c in state.commitments] == list(demo.COMMITMENTS)
    evaluation, digital = (c.id for c in state.commitments)
    links = {c.title: c.commitment_ids for c in state.commissions}
    assert links["Review of the digital landscape"] == {digital}
    assert links[WELFARE] == {digital}
    assert all(links[f"Project to inform the evaluation work programme ({n} of 3)"]
               == {evaluation} for n in (1, 2, 3))
    answer = build_answer(state)
    assert answer.commitments[0].commissioned.known_pence == 3_000_000
    assert answer.commitments[1].commissioned.unknown_count == 1


def test_seed_answer_as_of_today_keeps_the_figures_and_marks_reports_overdue(seeded):
    answer = build_answer(queries.programme_state(seeded, SLUG))
    assert answer.as_of == queries.today()
    assert answer.commissioned.known_pence == 8_600_000
    assert answer.commissioned.unknown_count == 1
    text = answer.to_text()
    assert "work commissioned has a known value of £86,000" in text
    assert f"The value of one commission is not yet known: {WELFARE}." in text
    assert "Three commissions are not linked to a commitment" in text
    overdue = [r.title for r in answer.reports if r.state == "overdue"]
    assert len(overdue) == 4
    assert "Look at the role of housing associations" in overdue


def test_seed_is_not_recorded_before_the_answer_date(seeded):
    with pytest.raises(NotFound):
        queries.programme_state(seeded, SLUG, ANSWERED - timedelta(days=1))


def test_seed_loads_once(seeded):
    before = count(seeded, m.CommissionVersion)
    with work(seeded):
        assert "already there" in demo.load_demo(seeded)
    assert count(seeded, m.CommissionVersion) == before == 8


def test_later_fact_changes_today_but_not_the_past(seeded):
    welfare = commission_id(seeded, WELFARE)
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=welfare, title=WELFARE,
                                 kind="review", status="commissioned", value="£25,000",
                                 commitment_ids=[c.id for c in queries.programme_state(
                                     seeded, SLUG).commitments if c.number == 2],
                                 valid_from=date(2019, 6, 1), note="contract signed",
                                 expected_version=1, actor=commands.Actor(42, "commissioner"))
    then = build_answer(queries.programme_state(seeded, SLUG, ANSWERED))
    now = build_answer(queries.programme_state(seeded, SLUG))
    assert (then.commissioned.known_pence, then.commissioned.unknown_count) == (8_600_000, 1)
    assert (now.commissioned.known_pence, now.commissioned.unknown_count) == (11_100_000, 0)
    versions = queries.history(seeded, SLUG, "commission", welfare)
    assert [(v.version, v.values["value_pence"], v.changed_by) for v in versions] == [
        (1, None, None), (2, 2_500_000, 42)]
    event = seeded.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "commission", AuditEvent.object_id == str(welfare))
        .order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.detail["version"]) == ("update", 42, 2)
    assert set(event.detail["fields"]) == {"status", "value_pence"}


def test_correction_with_the_same_effective_date_wins(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact,
                                 title="Look at the role of housing associations", kind="review",
                                 status="commissioned", value="12000", valid_from=ANSWERED,
                                 supplier=demo.HACT, report_due="spring 2019",
                                 note="typing error corrected")
    state = queries.programme_state(seeded, SLUG, ANSWERED)
    assert next(c for c in state.commissions if c.id == hact).value.pence == 1_200_000
    assert len(queries.history(seeded, SLUG, "commission", hact)) == 2


def test_saving_without_changes_adds_no_version(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact,
                                 title="Look at the role of housing associations", kind="review",
                                 status="commissioned", value="10000", valid_from=ANSWERED,
                                 supplier=demo.HACT, report_due="spring 2019")
    assert len(queries.history(seeded, SLUG, "commission", hact)) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"value": "-10"}, "cannot be negative"),
    ({"value": "ten thousand"}, "not an amount of money"),
    ({"supplier": "Acme Consulting"}, "not on the list of suppliers"),
    ({"started": "Q1 2019/20", "report_due": "2019-03-01"}, "before the commission starts"),
    ({"report_due": "winter 2019"}, "ambiguous"),
    ({"kind": "consultancy"}, "not a type of commission"),
    ({"status": "finished"}, "not a commission status"),
    ({"valid_from": date.today() + timedelta(days=2)}, "cannot be in the future"),
    ({"valid_from": date(2018, 1, 1)}, "had not been recorded by 2018-01-01"),
])
def test_bad_commission_edit_is_refused_and_nothing_is_written(seeded, change, message):
    hact = commission_id(seeded, "Look at the role of housing associations")
    versions, events = count(seeded, m.CommissionVersion), count(seeded, AuditEvent)
    fields = dict(title="Look at the role of housing associations", kind="review",
                  status="commissioned", value="10000", supplier=demo.HACT,
                  report_due="spring 2019", valid_from=date(2019, 2, 1)) | change
    with pytest.raises(InvalidInput, match=message), work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact, **fields)
    assert (count(seeded, m.CommissionVersion), count(seeded, AuditEvent)) == (versions, events)
    assert queries.programme_state(seeded, SLUG).commissions == queries.programme_state(
        seeded, SLUG).commissions


def test_parts_exceeding_their_combined_value_are_refused(seeded):
    state = queries.programme_state(seeded, SLUG)
    digital = commission_id(seeded, "Review of the digital landscape")
    combined = state.combined_values[0].id
    with pytest.raises(InvalidInput, match="more than the combined value"), work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=digital,
                                 title="Review of the digital landscape", kind="review",
                                 status="published", value="40000", combined_value_id=combined,
                                 valid_from=date(2019, 2, 1))
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=digital,
                                 title="Review of the digital landscape", kind="review",
                                 status="published", value="20000", combined_value_id=combined,
                                 valid_from=date(2019, 2, 1))
    with pytest.raises(InvalidInput, match="more than the combined value"), work(seeded):
        commands.save_combined_value(seeded, SLUG, combined_value_id=combined, label="reviews",
                                     amount="15000", valid_from=date(2019, 3, 1))
    assert queries.programme_state(seeded, SLUG).combined_values[0].amount.pence == 3_600_000


def test_stale_edit_is_refused_with_a_conflict(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    fields = dict(title="Look at the role of housing associations", kind="review",
                  status="in_progress", value="10000", supplier=demo.HACT,
                  valid_from=date(2019, 2, 1))
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact, expected_version=1, **fields)
    with pytest.raises(Conflict, match="changed by someone else"), work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact, expected_version=1,
                                 **fields | {"status": "reported"})


def test_unknown_supplier_can_be_used_once_created(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    with work(seeded):
        commands.create_supplier(seeded, "Acme Consulting")
    with pytest.raises(Conflict), work(seeded):
        commands.create_supplier(seeded, "acme consulting")
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact, title="Housing", kind="review",
                                 status="commissioned", supplier="Acme Consulting")
    assert next(c for c in queries.programme_state(seeded, SLUG).commissions
                if c.id == hact).supplier == "Acme Consulting"


def test_withdrawn_commission_leaves_the_answer_but_keeps_its_history(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    with work(seeded):
        commands.withdraw(seeded, SLUG, "commission", hact, valid_from=date(2019, 3, 1),
                          note="entered twice")
    assert hact in {c.id for c in queries.programme_state(seeded, SLUG, ANSWERED).commissions}
    assert hact not in {c.id for c in queries.programme_state(seeded, SLUG).commissions}
    assert [v.withdrawn for v in queries.history(seeded, SLUG, "commission", hact)] == [False,
                                                                                       True]
    assert queries.programme_funding(seeded, SLUG).known_total_pence == 7_600_000


@pytest.mark.parametrize("statement", [
    "UPDATE commission_version SET value_pence = 0",
    "DELETE FROM commission_version",
    "DELETE FROM commission_link",
])
def test_version_tables_are_append_only(seeded, statement):
    with pytest.raises(DBAPIError, match="append-only"), work(seeded):
        seeded.execute(sa.text(statement))
    assert count(seeded, m.CommissionVersion) == 8


def test_programme_funding_for_evaluation(seeded):
    funding = queries.programme_funding(seeded, SLUG, ANSWERED)
    assert funding == queries.Funding(8_600_000, 1, 0, 0)
    with work(seeded):
        commands.save_allocation(seeded, SLUG, description="Social prescribing budget 2018/19",
                                 amount="£100,000", status="allocated", period="2018/19",
                                 valid_from=date(2019, 2, 1))
    assert queries.programme_funding(seeded, SLUG).allocated_known_total_pence == 10_000_000


def test_report_dates_lists_overdue_reports(seeded):
    found = queries.report_dates(seeded, on=date(2019, 6, 1))
    assert len(found) == 4 and all(r.overdue for r in found)
    upcoming = queries.report_dates(seeded, on=date(2019, 1, 17))
    assert len(upcoming) == 4 and not any(r.overdue for r in upcoming)


def test_output_with_an_uploaded_file(seeded):
    hact = commission_id(seeded, "Look at the role of housing associations")
    with work(seeded):
        file_id = commands.store_file(seeded, filename="../../report.pdf",
                                      media_type="application/pdf", content=b"%PDF-1.4 test")
        commands.save_output(seeded, SLUG, title="Housing associations report",
                             commission_id=hact, published="June 2019", file_id=file_id,
                             valid_from=date(2019, 6, 30))
    row = queries.output_file(seeded, file_id)
    assert (row.filename, row.size, row.content) == ("report.pdf", 13, b"%PDF-1.4 test")
    state = queries.programme_state(seeded, SLUG)
    assert [o.title for o in state.outputs_of(hact)] == ["Housing associations report"]
    with pytest.raises(InvalidInput, match="upload a PDF"), work(seeded):
        commands.store_file(seeded, filename="x.exe", media_type="application/x-msdownload",
                            content=b"MZ")


def test_output_needs_a_date_link_or_file(seeded):
    with pytest.raises(InvalidInput, match="publication date, a link or a file"), \
            work(seeded):
        commands.save_output(seeded, SLUG, title="Something")
    with pytest.raises(InvalidInput, match="https://"), work(seeded):
        commands.save_output(seeded, SLUG, title="Something", url="javascript:alert(1)")


def test_changes_after_a_date_name_what_changed(seeded):
    assert queries.changes(seeded, SLUG, after=ANSWERED) == []
    hact = commission_id(seeded, "Look at the role of housing associations")
    first = queries.programme_state(seeded, SLUG).commitments[0].id
    with work(seeded):
        commands.save_commission(seeded, SLUG, commission_id=hact,
                                 title="Look at the role of housing associations", kind="review",
                                 status="reported", value="10000", supplier=demo.HACT,
                                 report_due="spring 2019", commitment_ids=[first],
                                 valid_from=date(2019, 6, 1))
        commands.save_allocation(seeded, SLUG, description="Evaluation budget", amount="1",
                                 valid_from=date(2019, 7, 1))
    found = queries.changes(seeded, SLUG, after=ANSWERED)
    assert [(c.valid_from, c.object_type, c.action, c.fields) for c in found] == [
        (date(2019, 6, 1), "commission", "changed", ("status", "commitments")),
        (date(2019, 7, 1), "allocation", "added", ()),
    ]
    assert queries.changes(seeded, SLUG, after=date(2019, 6, 1))[0].title == "Evaluation budget"
    assert len(queries.changes(seeded, SLUG, after=date(2018, 1, 1))) == 12 + 2


def test_delivery_cost_is_kept_apart_from_research_and_review(seeded):
    """Issue 22: cost per person uses the cost of delivering the service only. The seed
    programme's commissions are all reviews and evaluation projects: no delivery cost."""
    seed = queries.programme_delivery_cost(seeded, SLUG)
    assert (seed.known_pence, seed.unknown_count) == (0, 0)
    assert seed.research_known_pence == 8_600_000
    assert {c.cost_category.value for c in queries.programme_state(seeded, SLUG).commissions} \
        == {"research"}

    with work(seeded):
        commands.save_commission(seeded, SLUG, title="Link worker posts 2019/20", kind="service",
                                 status="commissioned", value="120000")
        commands.save_commission(seeded, SLUG, title="Grants to community providers",
                                 kind="grant", status="commissioned", value="30000")
        commands.save_commission(seeded, SLUG, title="Link worker training (not yet costed)",
                                 kind="pilot", cost_category="delivery", status="planned")
        commands.save_commission(seeded, SLUG, title="Evaluation of the grants", kind="grant",
                                 cost_category="research", status="planned", value="5000")
    cost = queries.programme_delivery_cost(seeded, SLUG)
    assert cost.known_pence == 15_000_000
    assert cost.unknown_count == 1
    assert cost.research_known_pence == 8_600_000 + 500_000
    assert "Evaluation of the grants" not in cost.titles


def test_cost_category_must_be_known(seeded):
    with pytest.raises(InvalidInput, match="what the money pays for"), work(seeded):
        commands.save_commission(seeded, SLUG, title="Posts", kind="service",
                                 status="planned", cost_category="overheads")
