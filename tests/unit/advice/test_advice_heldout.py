"""Held-out sets stay frozen and private: only checksums are read here. The first nineteen
(heldout/ to heldout19/) are retired into development data; the current one (named by
held_out_sets.HELD_OUT_PATH, added by the lead) is never opened and need not be in the checkout."""

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from linkwell.advice import accuracy, held_out_sets
from linkwell.advice.accuracy import LabelledCase, Prediction, score_cases
from linkwell.advice.classifier import DEVELOPMENT_SETS
from linkwell.settings import PROJECT_ROOT

HELD_OUT = PROJECT_ROOT / "tests" / "fixtures" / "advice" / "heldout"
FROZEN_FOLDERS = ["heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                  "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12",
                  "heldout13", "heldout14", "heldout15", "heldout16",
                  "heldout17", "heldout18", "heldout19", "heldout20", "heldout21",
                  "heldout22"]


@pytest.mark.parametrize("folder", FROZEN_FOLDERS)
def test_held_out_files_are_as_frozen(folder):
    frozen = HELD_OUT.parent / folder
    sums = (frozen / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    recorded = dict(reversed(line.split()) for line in sums if line.strip())
    assert "heldout.jsonl" in recorded
    for name, digest in recorded.items():
        assert hashlib.sha256((frozen / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("retired", accuracy.RETIRED_SETS, ids=lambda r: r.copy)
def test_each_retired_copy_the_model_learns_from_is_the_frozen_file(retired):
    copy = PROJECT_ROOT / "src" / "linkwell" / "advice" / "data" / retired.copy
    frozen = PROJECT_ROOT / retired.path
    assert copy.read_bytes() == frozen.read_bytes()
    assert "RETIRED" in (frozen.parent / "README.md").read_text(encoding="utf-8")
    assert accuracy.is_retired(frozen)
    assert accuracy.held_out_number(retired.path) == retired.number


def test_the_held_out_path_names_a_frozen_set_by_its_number():
    assert accuracy.is_held_out(accuracy.HELD_OUT_PATH)
    assert accuracy.held_out_number(Path("tests/fixtures/advice/heldout3/heldout.jsonl")) == 3
    assert accuracy.held_out_number(Path("tests/fixtures/advice/heldout")) == 1


def test_the_held_out_path_is_the_set_after_the_last_retired_one():
    last = max(r.number for r in accuracy.RETIRED_SETS)
    assert accuracy.held_out_number(accuracy.HELD_OUT_PATH) == last + 1
    assert all(r.path != accuracy.HELD_OUT_PATH for r in accuracy.RETIRED_SETS)


@pytest.mark.parametrize("folder", FROZEN_FOLDERS)
def test_per_case_results_are_refused_for_a_held_out_set(tmp_path, folder):
    (tmp_path / folder).mkdir()
    path = tmp_path / folder / "heldout.jsonl"
    path.write_text(json.dumps({
        "text": "bailiffs tomorrow", "primary": "debt", "secondary": [], "urgent": True,
        "deadline_date": None, "today": "2026-12-04"}) + "\n", encoding="utf-8")
    assert accuracy.is_held_out(path)
    with pytest.raises(ValueError, match="never shown"):
        accuracy.mistakes(path)


def test_the_model_never_trains_on_the_held_out_set(monkeypatch):
    opened: list[str] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    from linkwell.advice.classifier import load_training

    load_training()
    assert opened and "heldout.jsonl" not in opened  # the retired set is read from its copy


def test_aggregates_follow_the_labels():
    today = date(2026, 12, 4)

    def case(primary, secondary, urgent, deadline):
        return LabelledCase("t", primary, tuple(secondary), urgent, deadline, True, today)

    cases = [case("housing", ["debt"], True, date(2026, 12, 8)),
             case("debt", [], False, None),
             case("employment", ["discrimination"], True, date(2027, 2, 19)),
             case("other", [], False, None)]
    predictions = [
        Prediction(("housing", "debt"), True, date(2026, 12, 8), (date(2026, 12, 8),)),
        Prediction(("debt",), True, None, ()),
        Prediction(("discrimination",), False, date(2027, 2, 20),
                   (date(2027, 2, 20), date(2027, 2, 19))),
        Prediction((), False, None, ()),
    ]
    result = score_cases("t", cases, predictions)
    assert result.top1_accuracy == 0.5
    assert result.secondary_recall == 1.0
    assert result.urgent_recall == 0.5
    assert result.false_alarm_rate == 0.5
    assert result.deadline_accuracy == 0.5
    assert result.deadline_any_accuracy == 1.0
    assert result.confusion["employment"]["discrimination"] == 1
    assert result.confusion["other"]["none"] == 1


def test_the_report_names_the_held_out_command_and_never_a_case():
    today = date(2026, 12, 4)
    cases = [LabelledCase("secret text of a person", "housing", (), True, today, True, today)]
    scored = score_cases("t", cases, [Prediction(("housing",), True, today, (today,))])
    page = accuracy.enquiry_report(scored, [scored] * 20, scored,
                                   Path("tests/fixtures/advice/heldout21/heldout.jsonl"))
    assert "HELD-OUT set 21 (frozen" in page and "tuned on after it was scored" in page
    assert "retired second held-out set" in page and "0.802" in page  # its scored run
    assert "retired third held-out set" in page and "after them (39ef34d)" in page
    assert "retired fourth held-out set" in page and "after them (181daa2)" in page
    assert "before this round's rule changes (213b502)" in page
    assert "retired fifth held-out set" in page and "after them (2eeb9d2)" in page
    assert "retired sixth held-out set" in page and "after them (7cc0b17)" in page
    assert "before this round's rule changes (481cb2c)" in page
    assert "retired seventh held-out set" in page and "after them (243ada4)" in page
    assert "before this round's rule changes (5909f7f)" in page
    assert "retired eighth held-out set" in page and "after them (75246ff)" in page
    assert "before this round's rule changes (1dab19d)" in page
    assert "retired ninth held-out set" in page and "after them (3704fc8)" in page
    assert "before this round's rule changes (31d05a6)" in page
    assert "retired tenth held-out set" in page and "after them (7b90cda)" in page
    assert "before this round's rule changes (3704fc8)" in page
    assert "retired eleventh held-out set" in page and "after them (39a5ef6)" in page
    assert "before this round's rule changes (7b90cda)" in page
    assert "before this round's rule changes (39a5ef6)" in page
    assert "retired twelfth held-out set" in page
    assert "with the main-problem model (34f5d55)" in page
    assert "before this round's rule changes (34f5d55)" in page
    assert "retired thirteenth held-out set" in page
    assert "after the deadline round and fixes found walking /advice (bf620a4)" in page
    assert "retired fourteenth held-out set" in page
    assert "baseline: with the learned urgency check both ways (ff2fa46)" in page
    assert "baseline: set 13 retired, before any rule change of that round (d5f6f97)" in page
    assert "retired fifteenth held-out set" in page
    assert "baseline: before any rule change of that round, set 14 not yet retired (c0898e6)" \
        in page
    assert "retired sixteenth held-out set" in page
    assert "retired seventeenth held-out set" in page
    assert "retired eighteenth held-out set" in page
    assert "retired nineteenth held-out set" in page
    assert "retired twentieth held-out set" in page
    assert "after the round tuned on retired sets 18 and 19 and on development batches by " \
        "writers BJ to BU (e3f1c61)" in page
    assert "after the round tuned on retired set 17 and on development batches by writers BH " \
        "and BI (9af8c2b)" in page
    assert "diagnostic: set 16 retired into the model's training, before this round's rule " \
        "changes (638e7ef)" in page
    assert "baseline: before any rule change of that round, set 16 not yet retired (e89f1ca)" \
        in page
    assert "secret text" not in page
    missing = accuracy.enquiry_report(scored, [scored] * 20, None, None)
    assert "Not scored in this run" in missing and "HELD-OUT set 21" in missing


def test_every_scored_run_the_record_holds_gives_the_five_published_figures():
    # The page prints each run's figures by the names triage is scored under.
    scored = score_cases("t", [], [])
    assert [label for label, *_rest in scored.targets()] == list(held_out_sets.MEASURES)
    for retired in held_out_sets.RETIRED_SETS:
        assert retired.runs and all(set(v) == set(held_out_sets.MEASURES)
                                    for _name, v in retired.runs)


def test_a_run_missing_a_figure_is_refused_naming_the_set():
    with pytest.raises(ValueError, match="retired set 3 must give exactly the figures"):
        held_out_sets._runs([{"run": "x", "top-1 accuracy": 0.9}], "retired set 3")


def test_the_model_learns_from_every_retired_copy_and_never_the_current_set():
    copies = {retired.copy for retired in held_out_sets.RETIRED_SETS}
    assert copies <= set(DEVELOPMENT_SETS)
    numbers = [retired.number for retired in held_out_sets.RETIRED_SETS]
    assert numbers == list(range(1, len(numbers) + 1))
