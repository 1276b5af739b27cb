"""Finding and adding organisations (both engines): search, paging, validation, audit."""

import pytest
import sqlalchemy as sa

from conftest import make_user
from linkwell.audit.models import AuditEvent
from linkwell.auth.roles import Role
from linkwell.directory import organisations
from linkwell.directory.models import Organization, OrganizationIdentifier
from linkwell.errors import InvalidInput
from referrals_factories import make_organization, make_service


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN)


def _add(session, admin, **fields):
    with session.begin():
        return organisations.add_organisation(session, by=admin, **fields)


def test_add_organisation_with_an_ods_code_is_found_by_name_or_code_and_audited(session,
                                                                                 admin):
    added = _add(session, admin, name="Lewisham Medical Centre", ods_code=" g85 001",
                 email="Practice@Example.NHS.uk", website="https://lewisham.example")
    by_code, more = organisations.find_organisations(session, "G85001")
    assert [(o.id, o.name, o.ods_code, o.services) for o in by_code] == [
        (added.id, "Lewisham Medical Centre", "G85001", 0)]
    assert more is False
    assert [o.id for o in organisations.find_organisations(session, "medical")[0]] == [added.id]
    assert session.get(Organization, added.id).email == "practice@example.nhs.uk"
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "organization")).one()
    assert (event.action, event.object_id, event.actor_id) == ("create", added.id, admin.id)


@pytest.mark.parametrize("fields, field", [
    ({"name": " "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "A practice", "ods_code": "G8-5001"}, "ods_code"),
    ({"name": "A practice", "ods_code": "G8500123"}, "ods_code"),
    ({"name": "A practice", "email": "not an address"}, "email"),
    ({"name": "A practice", "website": "javascript:alert(1)"}, "website"),
])
def test_bad_fields_are_refused_and_nothing_is_written(session, admin, fields, field):
    with pytest.raises(InvalidInput) as refused:
        _add(session, admin, **fields)
    assert field in {e["field"] for e in refused.value.errors}
    assert session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(OrganizationIdentifier)) == 0


def test_an_ods_code_already_in_the_directory_is_refused(session, admin):
    _add(session, admin, name="Lewisham Medical Centre", ods_code="G85001")
    with pytest.raises(InvalidInput, match="already in the directory"):
        _add(session, admin, name="Another practice", ods_code="g85001")


def test_found_organisations_come_by_name_a_page_at_a_time_with_service_counts(session):
    made = {name: make_organization(session, name)
            for name in ("Cedar Trust", "ash Community Group", "Birch Befriending")}
    make_service(session, made["Birch Befriending"], "Befriending calls")
    first, more = organisations.find_organisations(session, limit=2)
    assert [o.name for o in first] == ["ash Community Group", "Birch Befriending"]
    assert more is True and first[1].services == 1
    rest, more = organisations.find_organisations(session, limit=2, offset=2)
    assert [o.name for o in rest] == ["Cedar Trust"] and more is False


def test_the_current_choice_leads_the_list_when_a_search_leaves_it_out(session):
    cedar = make_organization(session, "Cedar Trust").id
    make_organization(session, "Ash Community Group")
    found, _ = organisations.find_organisations(session, "ash")
    assert [o.name for o in organisations.with_current(session, found, cedar)] == [
        "Cedar Trust", "Ash Community Group"]
    assert organisations.with_current(session, found, None) == found
