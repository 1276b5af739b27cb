"""Look-alike organisations and services: which pairs are proposed, with what evidence."""

from linkwell.directory.duplicates import Record, name_key, phone_key, propose, website_key


def test_keys_ignore_what_does_not_identify():
    assert name_key("The Millfield Community Association Ltd") == "millfield community association"
    assert name_key("Age UK & Friends") == "age and friends"
    assert phone_key("+44 (0)20 7946 0000") == phone_key("020 7946 0000") == "02079460000"
    assert phone_key("12") is None
    assert website_key("HTTPS://www.Example.org/club/") == "example.org/club"
    assert website_key("") is None


def test_propose_needs_a_shared_identifier_and_alike_names():
    records = [
        Record("a", "Millfield Community Association", postcodes=frozenset({"SE135AA"}),
               phones=frozenset({"02079460000"})),
        Record("b", "Millfield Community Assoc.", phones=frozenset({"02079460000"})),
        Record("c", "Millfield Community Association", postcodes=frozenset({"N11AA"})),
        Record("d", "Lewisham Food Bank", phones=frozenset({"02079460000"})),
        Record("e", "Community Association Millfield", postcodes=frozenset({"SE135AA"})),
        Record("f", "Charity A", charity_numbers=frozenset({"1234567"})),
        Record("g", "Charity A (Lewisham)", charity_numbers=frozenset({"1234567"})),
    ]
    proposals = {(p.first_id, p.second_id): p for p in propose(records)}
    # Same phone and alike names; same postcode and the same words in another order;
    # same charity number.
    assert set(proposals) == {("a", "b"), ("a", "e"), ("f", "g")}
    assert "Same phone: 02079460000" in proposals[("a", "b")].evidence
    assert "Same postcode: SE13 5AA" in proposals[("a", "e")].evidence
    assert proposals[("a", "e")].score == 100
    assert proposals[("f", "g")].evidence[-1] == "Same charity number: 1234567"


def test_propose_ignores_values_too_many_share():
    switchboard = frozenset({"02079460000"})
    records = [Record(str(i), "Friendship club", phones=switchboard) for i in range(100)]
    assert propose(records) == []


def test_propose_links_a_group_once_rather_than_every_pair():
    website = frozenset({"example.org/lunch"})
    records = [Record(f"id-{i:02d}", "Lunch club", websites=website) for i in range(30)]
    proposals = propose(records)
    assert len(proposals) == 29
    linked = {p.first_id for p in proposals} | {p.second_id for p in proposals}
    assert linked == {r.id for r in records}


def test_an_organisations_own_sessions_at_different_times_are_not_proposed():
    """One provider runs "Community choir, Mondays from 14:00" and "Community choir, Mondays
    from 09:30" at its hall: its own sessions look alike by nature. A re-listing at the same
    times is proposed, and so is another provider's look-alike at that postcode."""
    hall, two, half_nine = frozenset({"SE135AA"}), frozenset({"MO 14:00"}), frozenset({"MO 9:30"})
    records = [
        Record("a", "Community choir, Mondays from 14:00", postcodes=hall, organization_id="o1",
               schedules=two),
        Record("b", "Community choir, Mondays from 09:30", postcodes=hall, organization_id="o1",
               schedules=half_nine, phones=frozenset({"02079460000"})),
        Record("c", "Community choir, Mondays from 14:00 (2)", postcodes=hall,
               organization_id="o1", schedules=two, phones=frozenset({"02079460000"})),
        Record("d", "Community choir, Mondays from 14:30", postcodes=hall, organization_id="o2",
               schedules=frozenset({"MO 14:30"})),
    ]

    proposals = {(p.first_id, p.second_id) for p in propose(records)}

    assert ("b", "c") not in proposals  # not even with the provider's one phone number
    assert ("a", "b") not in proposals
    assert ("a", "c") in proposals
    assert any("d" in pair for pair in proposals)
