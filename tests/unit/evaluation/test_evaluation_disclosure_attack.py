"""Issue 22: the disclosure attack on every protected release recovers no count below 10 and,
in a public release, no exact count. The cohort is built to hold the issue's leaks: a decile
under 10 beside its quintile, an instrument with 4 people lost to follow-up, 3 people of sex
"other", small groups inside published boroughs."""

import numpy as np
import pandas as pd
import pytest
from disclosure_attack import attack
from evaluation_lsoa import make_lsoa_frame

from linkwell.evaluation.engine import evaluate
from linkwell.evaluation.inputs import load
from linkwell.evaluation.simulate import simulate

pytestmark = pytest.mark.slow  # three evaluations of a 1,500-person cohort, about 40 s


def _cohort():
    lsoa = make_lsoa_frame()
    data = simulate(lsoa, 1500, seed=22, comparison=300)
    people, measurements = data.people.copy(), data.measurements.copy()
    decile = people["lsoa11cd"].map(lsoa.set_index("lsoa11cd")["imd_decile"])
    keep = (decile != 1) | (np.cumsum(decile == 1) <= 7)  # 7 people in decile 1
    people = people[keep.to_numpy()]
    people["sex"] = np.where(people["sex"].isin(["other", "unknown"]), "male", people["sex"])
    people.iloc[[5, 50, 500], people.columns.get_loc("sex")] = "other"
    measurements = measurements[measurements["person_id"].isin(people["person_id"])]
    ucla = measurements["instrument"] == "ucla3"
    followed = set(measurements.loc[ucla & (measurements["timepoint"] == "follow_up"),
                                    "person_id"])
    lost = sorted(set(measurements.loc[ucla, "person_id"]) - followed)[:4]
    measurements = measurements[~ucla | measurements["person_id"].isin(followed | set(lost))]
    return load(people=people, measurements=measurements, lsoa=lsoa,
                comparison=data.comparison, funding=data.funding, services=data.services,
                capacity=data.capacity)


@pytest.fixture(scope="module")
def releases():
    frames = _cohort()
    return {audience: evaluate(frames, audience=audience, with_psm=False)
            for audience in ("evaluator", "commissioner", "public")}


def test_cohort_holds_the_issue_leaks(releases):
    truth = releases["evaluator"]
    deciles = {r["imd_decile"]: r["people"] for r in truth["reach"]["by_imd_decile"]}
    assert 0 < deciles[1] < 10
    ucla = truth["outcomes"]["ucla3"]
    assert ucla["n_baseline"] - ucla["n_paired"] == 4
    sexes = {r["sex"]: r["people"] for r in truth["reach"]["by_sex"]}
    assert sexes["other"] == 3


@pytest.mark.parametrize("audience", ["commissioner", "public"])
@pytest.mark.parametrize("part", ["reach", "outcomes", "cost", "comparison"])
def test_attack_recovers_nothing(releases, audience, part):
    findings = [f for f in attack(releases[audience], releases["evaluator"])
                if _part(f) == part]
    assert findings == []


def _part(finding: str) -> str:
    head = finding.split()[0]
    if head in ("referrals", "people", "completed_episodes") and "funding" not in finding:
        return "reach"
    if "funding" in finding or finding.startswith("improved"):
        return "cost"
    if " did " in finding or " psm " in finding:
        return "comparison"
    return "outcomes"


@pytest.mark.parametrize("audience", ["commissioner", "public"])
def test_small_group_hides_only_what_it_must(releases, audience):
    """3 people of sex "other" once hid the whole female outcomes row."""
    rows = {r["sex"]: r for r in releases[audience]["outcomes"]["wemwbs"]["by"]["sex"]}
    assert rows["other"]["mean_change"] is None
    assert rows["female"]["mean_change"] is not None
    assert rows["female"]["ci95"] is not None or rows["male"]["ci95"] is not None


def test_public_shares_are_over_the_true_total(releases):
    """Males were shown as 100% once "other" was hidden."""
    true = {r["sex"]: r["people_share"] for r in releases["evaluator"]["reach"]["by_sex"]}
    for audience in ("commissioner", "public"):
        shares = {r["sex"]: r["people_share"] for r in releases[audience]["reach"]["by_sex"]}
        assert shares["other"] is None
        assert shares["female"] == pytest.approx(true["female"], abs=0.01)


def test_means_are_over_the_same_people(releases):
    wemwbs = releases["evaluator"]["outcomes"]["wemwbs"]
    assert wemwbs["mean_follow_up"] - wemwbs["mean_baseline"] == pytest.approx(
        wemwbs["mean_change"], abs=1e-9)


@pytest.mark.parametrize("audience", ["commissioner", "public"])
def test_nothing_describes_fewer_than_10_people_lost(releases, audience):
    """The mean baseline score and mean age of the 4 people lost on UCLA-3 were published."""
    entry = releases[audience]["attrition"]["ucla3"]
    assert entry["baseline_comparison"]["n_lost"] == "<10"
    assert "baseline_score" not in entry["baseline_comparison"]
    assert "age" not in entry["baseline_comparison"]
    assert set(entry["sensitivity"]) == {"complete_case"}
    assert releases[audience]["outcomes"]["ucla3"]["n_baseline"] in ("<10", "c")
    truth = releases["evaluator"]["attrition"]["ucla3"]["baseline_comparison"]
    assert truth["baseline_score"]["mean_lost"] is not None  # the evaluator sees them


@pytest.mark.parametrize("audience", ["commissioner", "public"])
def test_cost_hides_fewer_than_10_people_lost(audience):
    """People assessed - people paired gave the people lost on the cost's measure."""
    from disclosure_attack import Attack, attack_cost

    from linkwell.evaluation.cost import cost
    from linkwell.evaluation.engine import protect_cost

    funding = pd.DataFrame({"total_pence": [9_000_000], "low_pence": [9_000_000],
                            "high_pence": [9_000_000]})
    truth = cost(funding, people=900, completed_episodes=None,
                 treated=np.array([300, 500, 6]), comparison=np.array([100, 300, 0]))
    shown = protect_cost(truth, None, audience)
    block = shown["per_person_improved"]
    assert block["n_lost"] == "<10" and block["n_people_assessed"] == "c"
    a = Attack({"audience": audience, "cost": shown}, {"cost": truth, "reach": {"totals": {}}})
    attack_cost(a)
    assert a.findings == []
