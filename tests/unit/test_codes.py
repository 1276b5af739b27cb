"""Code lists as data: each loads, cites its standard, and is the one every user reads."""

import pytest

from linkwell import codes
from linkwell.evaluation import inputs, simulate
from linkwell.referrals import domain

CONCEPTS = [path.stem for path in codes.FOLDER.glob("*.json")]


@pytest.mark.parametrize("concept", CONCEPTS)
def test_each_code_list_has_unique_codes_a_system_and_a_source(concept):
    found = codes.code_list(concept)
    assert found.concept == concept
    assert len(set(found.codes)) == len(found.codes) > 0
    assert found.system and found.sources


def test_sex_codes_are_fhir_administrative_gender():
    from fhir.resources.R4B.patient import Patient

    for code in codes.sex().codes:
        assert Patient(gender=code).gender == code
    assert "prefer not to say" not in codes.sex()


def test_every_user_of_the_sex_list_reads_the_one_list():
    assert tuple(domain.SEXES) == codes.sex().codes
    assert codes.sex().codes == inputs.SEXES
    assert tuple(simulate.SEXES) == codes.sex().codes
    assert domain.SEXES["unknown"].display == "Prefer not to say"


def test_a_simulated_source_is_recorded_but_never_requestable():
    assert "simulated" in domain.RECORDED_SOURCES
    assert "simulated" not in domain.REFERRAL_SOURCES
    assert set(domain.REFERRAL_SOURCES) | {"simulated"} == set(codes.referral_source().codes)


def test_simulated_ethnicities_are_the_nhs_groups_or_not_stated():
    groups = {c.extra["group"] for c in codes.ethnicity().items}
    assert set(simulate.ETHNICITIES) - {""} <= groups
