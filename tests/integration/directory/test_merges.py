"""Proposing duplicates, merging them with referrals kept, redirects, undo, and the queue."""

import pytest
from sqlalchemy import select

from conftest import csrf_token, make_user
from linkwell.directory import merges
from linkwell.directory.models import (
    Address,
    DirectoryMerge,
    DuplicateCandidate,
    Location,
    OrganizationIdentifier,
    Phone,
    Service,
    ServiceAtLocation,
)
from linkwell.directory.search_index import ServiceSearch
from linkwell.errors import Conflict
from linkwell.referrals.models import OnwardReferral
from referrals_factories import (
    accept,
    make_organization,
    make_service,
    make_team,
    new_id,
    submit,
)


@pytest.fixture
def world(session):
    team = make_team(session)
    millfield = make_organization(session, "Millfield Community Association")
    millfield_again = make_organization(session, "Millfield Community Assoc")
    other = make_organization(session, "Lewisham Food Bank")
    club = make_service(session, millfield, "Friendship club")
    club_again = make_service(session, millfield_again, "Friendship Club")
    food = make_service(session, other, "Food parcels")
    with session.begin():
        for service in (club, club_again):
            session.add(Phone(id=new_id(), service_id=service.id, number="020 7946 0011"))
        session.add(Phone(id=new_id(), service_id=food.id, number="020 7946 0011"))
        for org in (millfield, millfield_again):
            session.add(OrganizationIdentifier(
                id=new_id(), organization_id=org.id, identifier_scheme="GB-CHC",
                identifier_type="Charity number", identifier="1099999"))
        location = Location(id=new_id(), location_type="physical", organization_id=other.id)
        session.add(location)
        session.flush()
        session.add(Address(id=new_id(), location_id=location.id, address_1="1 High St",
                            city="London", state_province="London", postal_code="SE13 5AA",
                            country="GB", address_type="physical"))
    worker = make_user(session, "link_worker", team_id=team.id, password=None)
    referrer = make_user(session, "referrer", password=None)
    admin = make_user(session, "admin", password=None)
    referral_ids = []
    for given in ("Ada", "Bo"):
        referral = submit(session, referrer, given_name=given)
        episode = accept(session, worker, referral)
        with session.begin():
            onward = OnwardReferral(episode_id=episode.id, service_id=club_again.id,
                                    organization_id=millfield_again.id, reason="loneliness",
                                    status="requested")
            session.add(onward)
            session.flush()
            referral_ids.append(onward.id)
    return {"millfield": millfield, "millfield_again": millfield_again, "club": club,
            "club_again": club_again, "food": food, "admin": admin, "onward": referral_ids}


def test_find_duplicates_proposes_look_alikes_with_evidence(session, world):
    with session.begin():
        counts = merges.find_duplicates(session)
    assert counts == {"organization": 1, "service": 1}
    pairs = {(c.kind, frozenset((c.first_id, c.second_id))): c for c in session.scalars(
        select(DuplicateCandidate))}
    organisation = pairs[("organization", frozenset((world["millfield"].id,
                                                     world["millfield_again"].id)))]
    assert "Same charity number: 1099999" in organisation.evidence
    service = pairs[("service", frozenset((world["club"].id, world["club_again"].id)))]
    assert "Same phone: 02079460011" in service.evidence and service.score == 100
    # Food parcels shares the phone but not the name: not proposed.


def test_merge_keeps_every_referral_redirects_and_undoes(session, world, client):
    admin, club, again = world["admin"], world["club"], world["club_again"]
    with session.begin():
        merges.find_duplicates(session)
        record = merges.merge(session, by=admin, kind="service", survivor_id=club.id,
                              merged_id=again.id)
    onward = list(session.scalars(select(OnwardReferral).where(
        OnwardReferral.id.in_(world["onward"]))))
    assert {o.service_id for o in onward} == {club.id}
    assert {o.organization_id for o in onward} == {world["millfield"].id}
    assert session.get(Service, again.id).status == "inactive"
    assert session.scalar(select(ServiceSearch.status).where(
        ServiceSearch.service_id == again.id)) == "inactive"
    assert merges.resolve(session, "service", again.id) == club.id
    response = client.get(f"/services/{again.id}", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == f"/services/{club.id}"
    assert session.scalar(select(DuplicateCandidate.status).where(
        DuplicateCandidate.kind == "service")) == "merged"
    with pytest.raises(Conflict):
        merges.merge(session, by=admin, kind="service", survivor_id=world["food"].id,
                     merged_id=again.id)
    session.rollback()

    with session.begin():
        merges.undo(session, by=admin, merge_id=record.id)
    session.expire_all()
    onward = list(session.scalars(select(OnwardReferral).where(
        OnwardReferral.id.in_(world["onward"]))))
    assert {(o.service_id, o.organization_id) for o in onward} == {
        (again.id, world["millfield_again"].id)}
    assert session.get(Service, again.id).status == "active"
    assert merges.resolve(session, "service", again.id) == again.id
    assert client.get(f"/services/{again.id}", follow_redirects=False).status_code == 200
    with pytest.raises(Conflict):
        merges.undo(session, by=admin, merge_id=record.id)
    session.rollback()


def test_merging_organisations_moves_services_and_undoes(session, world):
    admin = world["admin"]
    with session.begin():
        record = merges.merge(session, by=admin, kind="organization",
                              survivor_id=world["millfield"].id,
                              merged_id=world["millfield_again"].id)
    assert session.get(Service, world["club_again"].id).organization_id == world["millfield"].id
    assert set(record.moved["onward_referrals"]) == set(world["onward"])
    with session.begin():
        merges.undo(session, by=admin, merge_id=record.id)
    session.expire_all()
    assert (session.get(Service, world["club_again"].id).organization_id
            == world["millfield_again"].id)
    assert {session.get(OnwardReferral, i).organization_id for i in world["onward"]} == {
        world["millfield_again"].id}


def test_duplicates_queue_page_merges_and_dismisses(session, world, client, login):
    with session.begin():
        merges.find_duplicates(session)
    login("admin")
    page = client.get("/admin/duplicates")
    assert page.status_code == 200
    assert "Same charity number: 1099999" in page.text and "Same phone: 02079460011" in page.text
    organisation, service = sorted(session.scalars(select(DuplicateCandidate)),
                                   key=lambda c: c.kind)
    response = client.post(f"/admin/duplicates/{organisation.id}",
                           data={"decision": "dismiss", "csrf_token": csrf_token(client)},
                           follow_redirects=False)
    assert response.status_code == 303
    response = client.post(f"/admin/duplicates/{service.id}", data={
        "decision": "merge", "survivor_id": world["club"].id,
        "csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert {c.kind: c.status for c in session.scalars(select(DuplicateCandidate))} == {
        "organization": "dismissed", "service": "merged"}
    merge = session.scalar(select(DirectoryMerge))
    assert "Undo" in client.get("/admin/duplicates").text
    response = client.post(f"/admin/merges/{merge.id}/undo",
                           data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 303
    # A dismissed pair is not proposed again.
    session.rollback()
    with session.begin():
        assert merges.find_duplicates(session)["organization"] == 0


def test_duplicates_queue_is_for_administrators_only(client, login):
    login("provider")
    assert client.get("/admin/duplicates").status_code == 403


def test_merging_two_services_that_both_have_open_referrals_keeps_every_one(session, world):
    """Both services of a pair are in use: the survivor's own referrals stay, the merged one's
    join them, and undoing moves back only those that came across."""
    admin, club, again = world["admin"], world["club"], world["club_again"]
    with session.begin():
        episode_id = session.get(OnwardReferral, world["onward"][0]).episode_id
        own = OnwardReferral(episode_id=episode_id, service_id=club.id,
                             organization_id=world["millfield"].id, reason="loneliness",
                             status="requested")
        session.add(own)
    with session.begin():
        record = merges.merge(session, by=admin, kind="service", survivor_id=club.id,
                              merged_id=again.id)
    every = [own.id, *world["onward"]]
    session.expire_all()
    assert {session.get(OnwardReferral, i).service_id for i in every} == {club.id}
    assert {session.get(OnwardReferral, i).status for i in every} == {"requested"}
    session.rollback()
    with session.begin():
        merges.undo(session, by=admin, merge_id=record.id)
    session.expire_all()
    assert session.get(OnwardReferral, own.id).service_id == club.id
    assert {session.get(OnwardReferral, i).service_id for i in world["onward"]} == {again.id}


def test_services_of_one_organisation_are_compared_by_their_own_names(session):
    """A feed's service names often end with the organisation's ("Community choir — Marsh
    Lane Community Association"): compared whole, any two of its services at one place look
    90% alike. Compared without it, a choir and a garden are told apart; the same service
    listed twice is still found."""
    marsh = make_organization(session, "Marsh Lane Community Association")
    names = ("Community choir — Marsh Lane Community Association",
             "Community garden — Marsh Lane Community Association",
             "Community garden — Marsh Lane Community Association")
    services = [make_service(session, marsh, name) for name in names]
    with session.begin():
        location = Location(id=new_id(), location_type="physical", organization_id=marsh.id)
        session.add(location)
        session.flush()
        session.add(Address(id=new_id(), location_id=location.id, address_1="1 Marsh Lane",
                            city="London", state_province="London", postal_code="E17 9RG",
                            country="GB", address_type="physical"))
        for service in services:
            session.add(ServiceAtLocation(id=new_id(), service_id=service.id,
                                          location_id=location.id))
    with session.begin():
        merges.find_duplicates(session)
    proposed = [frozenset((c.first_id, c.second_id)) for c in session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.kind == "service"))]
    assert proposed == [frozenset((services[1].id, services[2].id))]


def test_the_provider_inbox_names_its_own_services_without_the_organisation(session, world,
                                                                           client, login):
    """On the provider's own inbox, "Friendship Club — Millfield Community Assoc" in every
    row says the organisation again and again: each service by its own name there."""
    again = world["club_again"]
    with session.begin():
        session.get(Service, again.id).name = "Friendship Club — Millfield Community Assoc"
    login("provider", organization_id=world["millfield_again"].id)
    html = client.get("/inbox").text
    main = html[html.index("<main"):]
    assert "Friendship Club" in main and "Millfield Community Assoc" not in main
