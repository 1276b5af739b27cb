"""Honest measurement of issue spotting: stratified k-fold cross-validation.

In each fold the model is trained on everything else it learns from and the other folds, so
no description is scored by a model that saw it. The phrase rules are fixed for all folds;
they were written by people who had read the labelled set, which the published report says
plainly.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

from linkwell.advice.categories import CODES
from linkwell.advice.classifier import LabelledDescription, load_labelled, load_training
from linkwell.advice.held_out_sets import (
    HELD_OUT_EARLIER_RUNS,
    HELD_OUT_PATH,
    MEASURES,
    RETIRED_SETS,
)
from linkwell.advice.spotting import GUESS_FLOOR, SECONDARY_THRESHOLD, THRESHOLD, score, select
from linkwell.advice.training import train

TARGET = 0.9
FOLDS = 5
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
            "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")


@dataclass(frozen=True)
class CategoryMetrics:
    code: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    examples: int
    folds: int
    top1_accuracy: float
    top: list[CategoryMetrics]  # the main (first-listed) category
    multi: list[CategoryMetrics]  # every category reported
    micro_precision: float
    micro_recall: float
    micro_f1: float
    # The statistical model alone (no phrase rules): free of any rule-writing bias.
    model_only_top1: float

    def meets_target(self) -> bool:
        return self.top1_accuracy >= TARGET and all(
            m.precision >= TARGET and m.recall >= TARGET for m in self.top)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cross_validate(examples: list[LabelledDescription] | None = None,
                   folds: int = FOLDS) -> Evaluation:
    """Predict every description with a model that did not train on it; score the results.

    Each fold's model trains on everything else the shipped model learns from (the enquiry
    sets) and the other folds, as the shipped model would, never on the fold itself."""
    examples = examples if examples is not None else load_labelled()
    texts = {e.text for e in examples}
    base = [e for e in load_training() if e.text not in texts]
    main_labels = [e.labels[0] for e in examples]
    predicted: list[list[str]] = [[] for _ in examples]
    model_top: list[str] = ["" for _ in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(examples, main_labels):
        model = train(base + [examples[i] for i in train_idx])
        held_out = [examples[i].text for i in test_idx]
        for i, probabilities in zip(test_idx, model.probabilities_many(held_out), strict=True):
            text = examples[i].text
            predicted[i] = [c.code for c in select(score(text, probabilities),
                                                    model.main_problem(text))]
            model_top[i] = max(probabilities, key=probabilities.get)

    # Main category: right when it is any of the text's labels; otherwise it is compared
    # with the first (main) label.
    tops = [p[0] for p in predicted]
    gold_top = [t if t in e.labels else e.labels[0] for t, e in zip(tops, examples, strict=True)]
    top_metrics, multi_metrics = [], []
    tp_all = fp_all = fn_all = 0
    for code in CODES:
        tp = sum(1 for t, g in zip(tops, gold_top, strict=True) if t == code and g == code)
        fp = sum(1 for t, g in zip(tops, gold_top, strict=True) if t == code and g != code)
        fn = sum(1 for t, g in zip(tops, gold_top, strict=True) if t != code and g == code)
        top_metrics.append(CategoryMetrics(code, *_prf(tp, fp, fn), support=gold_top.count(code)))
        tp = sum(1 for p, e in zip(predicted, examples, strict=True)
                 if code in p and code in e.labels)
        fp = sum(1 for p, e in zip(predicted, examples, strict=True)
                 if code in p and code not in e.labels)
        fn = sum(1 for p, e in zip(predicted, examples, strict=True)
                 if code not in p and code in e.labels)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        multi_metrics.append(CategoryMetrics(code, *_prf(tp, fp, fn),
                                             support=sum(code in e.labels for e in examples)))
    correct = sum(1 for t, e in zip(tops, examples, strict=True) if t in e.labels)
    micro = _prf(tp_all, fp_all, fn_all)
    model_correct = sum(1 for t, e in zip(model_top, examples, strict=True) if t in e.labels)
    return Evaluation(len(examples), folds, correct / len(examples), top_metrics,
                      multi_metrics, *micro, model_correct / len(examples))


def _table(rows: list[CategoryMetrics]) -> list[str]:
    lines = ["| category | precision | recall | F1 | support |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| `{m.code}` | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} | {m.support} |"
              for m in rows]
    return lines


def report(evaluation: Evaluation, generated: datetime | None = None,
           command: str = "linkwell advice evaluate --write docs/advice-triage-metrics.md") -> str:
    """The Markdown page published as docs/advice-triage-metrics.md."""
    generated = generated or datetime.now(UTC)
    verdict = "meets" if evaluation.meets_target() else "does NOT meet"
    lines = [
        "# Advice triage: issue-spotting metrics",
        "",
        f"Generated by `{command}` on {generated:%Y-%m-%d}. Do not edit by hand.",
        "",
        f"- Labelled set: {evaluation.examples} descriptions written by the project team "
        "(`src/linkwell/advice/data/labelled_descriptions.csv`), multi-label, including "
        "misspellings, slang, very short and long texts.",
        f"- Method: stratified {evaluation.folds}-fold cross-validation on the main label. In "
        "each fold the scikit-learn model is trained on the independently written enquiry "
        "sets and the other folds, as the shipped model is, never on the fold itself, so no "
        "text is scored by a model that saw it; the curated phrase rules are the same in "
        "every fold.",
        f"- Decision rule: of the categories with confidence >= {THRESHOLD}, the main one has "
        "the most evidence and is the likeliest to lead by the model of the main problem "
        f"(with none that confident, the highest confidence is shown as a guess, and `other` "
        f"below {GUESS_FLOOR}); further categories are reported at confidence >= "
        f"{SECONDARY_THRESHOLD}.",
        f"- Target: >= {TARGET} top-1 accuracy and >= {TARGET} precision and recall for the "
        f"main category in every category. Result: **{verdict} the target**.",
        "",
        "## Main category",
        "",
        f"Top-1 accuracy (the main category is one of the text's labels): "
        f"**{evaluation.top1_accuracy:.3f}**.",
        "",
        "A main category counts as right when it is any of the text's labels; otherwise it is "
        "compared with the first (main) label.",
        "",
        f"For comparison, the statistical model alone (no phrase rules, so free of any bias "
        f"from rules written after reading the set) has top-1 accuracy "
        f"{evaluation.model_only_top1:.3f}.",
        "",
        *_table(evaluation.top),
        "",
        "## Every category reported (multi-label)",
        "",
        f"Micro-averaged precision {evaluation.micro_precision:.3f}, recall "
        f"{evaluation.micro_recall:.3f}, F1 {evaluation.micro_f1:.3f}.",
        "",
        *_table(evaluation.multi),
        "",
        "## Caveats",
        "",
        "- The phrase rules were written by people who had read the labelled set, so the "
        "figures are likely to be optimistic for descriptions from real residents. Collect "
        "anonymised, consented real descriptions to build a truly held-out test set.",
        "- The labelled set was written by the team, not by residents; it over-represents "
        "clearly worded problems.",
        "- Non-English detection and urgency rules are tested separately (tests/unit/advice).",
        "",
    ]
    return "\n".join(lines)


# --- labelled enquiry sets (JSON Lines), scored on triage as a whole --------------------------

# Every folder named heldout* holds a frozen held-out set (heldout/ to heldout20/: retired;
# heldout21/: current; heldout22/: frozen for the round after): per-case
# results from any of them are never shown.
HELD_OUT_DIR = "heldout"


@dataclass(frozen=True)
class LabelledCase:
    """One labelled enquiry in the writers' JSON Lines format (docs/advice-triage-metrics.md)."""

    text: str
    primary: str
    secondary: tuple[str, ...]
    urgent: bool
    deadline: date | None
    deadline_exact: bool
    today: date

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.primary, *self.secondary)


def load_cases(path: Path) -> list[LabelledCase]:
    """Read a labelled set; any malformed line stops the run with its line number."""
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                labels = [row["primary"], *row.get("secondary", [])]
                if set(labels) - set(CODES):
                    raise ValueError("unknown category")
                cases.append(LabelledCase(
                    text=row["text"], primary=row["primary"],
                    secondary=tuple(s for s in row.get("secondary", []) if s != row["primary"]),
                    urgent=bool(row["urgent"]),
                    deadline=date.fromisoformat(row["deadline_date"])
                    if row.get("deadline_date") else None,
                    deadline_exact=bool(row.get("deadline_exact", True)),
                    today=date.fromisoformat(row["today"])))
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"{path.name} line {number}: {error}") from None
    return cases


def is_held_out(path: Path) -> bool:
    return any(part.startswith(HELD_OUT_DIR) for part in path.resolve().parts)


@dataclass(frozen=True)
class Prediction:
    """What triage said about one case: all the scoring needs, nothing of the text."""

    categories: tuple[str, ...]
    urgent: bool
    deadline: date | None
    deadlines: tuple[date, ...]


@dataclass(frozen=True)
class CaseSetEvaluation:
    """Aggregate figures only: safe to print for a held-out set."""

    name: str
    cases: int
    top1_accuracy: float
    secondary_recall: float
    secondary_support: int
    extra_categories: int  # categories reported that the labels do not have
    urgent_recall: float
    urgent_support: int
    false_alarm_rate: float
    not_urgent_support: int
    deadline_accuracy: float
    deadline_any_accuracy: float
    deadline_support: int
    deadline_found: int
    confusion: dict[str, dict[str, int]]  # labelled primary -> predicted primary -> count

    def targets(self) -> list[tuple[str, float, str, bool]]:
        top1, secondary, urgent, alarms, deadline = MEASURES
        return [
            (top1, self.top1_accuracy, ">= 0.93", self.top1_accuracy >= 0.93),
            (secondary, self.secondary_recall, ">= 0.8", self.secondary_recall >= 0.8),
            (urgent, self.urgent_recall, ">= 0.95", self.urgent_recall >= 0.95),
            (alarms, self.false_alarm_rate, "<= 0.15", self.false_alarm_rate <= 0.15),
            (deadline, self.deadline_accuracy, ">= 0.9", self.deadline_accuracy >= 0.9),
        ]


def predict(case: LabelledCase, model) -> Prediction:
    from linkwell.advice.triage import triage

    result = triage(case.text, today=case.today, model=model)
    dates = tuple(d.date for d in result.deadlines)
    return Prediction(tuple(result.codes), result.urgent, dates[0] if dates else None, dates)


def score_cases(name: str, cases: list[LabelledCase],
                predictions: list[Prediction]) -> CaseSetEvaluation:
    """The aggregate figures for a labelled set, given triage's answer for each case."""
    pairs = list(zip(cases, predictions, strict=True))
    top1 = sum(1 for c, p in pairs if p.categories and p.categories[0] == c.primary)
    secondary = [(s, p) for c, p in pairs for s in c.secondary]
    recalled = sum(1 for s, p in secondary if s in p.categories)
    extra = sum(1 for c, p in pairs for code in p.categories if code not in c.labels)
    urgent = [p for c, p in pairs if c.urgent]
    calm = [p for c, p in pairs if not c.urgent]
    dated = [(c, p) for c, p in pairs if c.deadline is not None]
    confusion = {code: dict.fromkeys((*CODES, "none"), 0) for code in CODES}
    for c, p in pairs:
        confusion[c.primary][p.categories[0] if p.categories else "none"] += 1

    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    return CaseSetEvaluation(
        name=name, cases=len(pairs), top1_accuracy=share(top1, len(pairs)),
        secondary_recall=share(recalled, len(secondary)), secondary_support=len(secondary),
        extra_categories=extra,
        urgent_recall=share(sum(p.urgent for p in urgent), len(urgent)),
        urgent_support=len(urgent),
        false_alarm_rate=share(sum(p.urgent for p in calm), len(calm)),
        not_urgent_support=len(calm),
        deadline_accuracy=share(sum(1 for c, p in dated if p.deadline == c.deadline), len(dated)),
        deadline_any_accuracy=share(sum(1 for c, p in dated if c.deadline in p.deadlines),
                                    len(dated)),
        deadline_support=len(dated),
        deadline_found=sum(1 for c, p in dated if p.deadline is not None),
        confusion=confusion)


def evaluate_cases(path: Path, name: str | None = None) -> CaseSetEvaluation:
    """Triage every case with the shipped model (trained without this set) and score it."""
    from linkwell.advice.classifier import default_model

    cases = load_cases(path)
    model = default_model()
    trained_on = {e.text for e in load_training()}
    if any(c.text in trained_on for c in cases):  # a development set: never self-scored
        return cross_validate_cases(path, name)
    return score_cases(name or path.name, cases, [predict(c, model) for c in cases])


def cross_validate_cases(path: Path, name: str | None = None,
                         folds: int = FOLDS) -> CaseSetEvaluation:
    """For a development set the model also trains on: each fold scored by a model that
    trained on everything else it learns from and the other folds only."""
    cases = load_cases(path)
    texts = {c.text for c in cases}
    base = [e for e in load_training() if e.text not in texts]
    predictions: list[Prediction | None] = [None] * len(cases)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(cases, [c.primary for c in cases]):
        model = train(base + [LabelledDescription(cases[i].text, cases[i].labels,
                                                  cases[i].urgent) for i in train_idx])
        for i in test_idx:
            predictions[i] = predict(cases[i], model)
    return score_cases(name or path.name, cases, predictions)


def mistakes(path: Path) -> list[str]:
    """Per-case differences, for tuning on a development set; refused for a held-out set."""
    if is_held_out(path):
        raise ValueError("per-case results of a held-out set are never shown")
    from linkwell.advice.classifier import default_model

    model = default_model()
    lines = []
    for number, case in enumerate(load_cases(path), 1):
        p = predict(case, model)
        wrong = []
        if not p.categories or p.categories[0] != case.primary:
            wrong.append(f"primary {case.primary} -> {p.categories[:1]}")
        missed = [s for s in case.secondary if s not in p.categories]
        if missed:
            wrong.append(f"secondary missed {missed}")
        if p.urgent != case.urgent:
            wrong.append(f"urgent {case.urgent} -> {p.urgent}")
        if case.deadline is not None and p.deadline != case.deadline:
            given = ", ".join(map(str, p.deadlines))
            wrong.append(f"deadline {case.deadline} -> {p.deadline} (all: {given})")
        if wrong:
            lines.append(f"{number}: {'; '.join(wrong)}\n    {case.text}")
    return lines


def case_set_report(evaluation: CaseSetEvaluation, heading: str, description: str,
                    development: bool = False) -> list[str]:
    """Markdown for one labelled set: targets, then the primary-category confusion matrix."""
    e = evaluation
    lines = [f"## {heading}", "", description, "",
             f"{e.cases} descriptions; {e.urgent_support} labelled urgent, "
             f"{e.not_urgent_support} not urgent; {e.secondary_support} secondary problems; "
             f"{e.deadline_support} with a deadline date.", "",
             "| measure | value | target | "
             + ("reached here (tuned on: not evidence) |" if development else "met |"),
             "| --- | ---: | --- | --- |"]
    lines += [f"| {label} | {value:.3f} | {target} | {'yes' if ok else '**no**'} |"
              for label, value, target, ok in e.targets()]
    lines += [
        "",
        f"Also: some deadline found in {e.deadline_found} of the {e.deadline_support} dated "
        f"cases; the labelled date is among all the deadlines given in "
        f"{e.deadline_any_accuracy:.3f} of them; {e.extra_categories} categories were "
        "reported that the labels do not have.",
        "",
        "Confusion matrix of the primary category (rows: labelled; columns: what triage "
        "put first; `none`: nothing, when the text could not be read):",
        "",
    ]
    columns = [*CODES, "none"]
    short = {c: c.replace("welfare_benefits", "benefits").replace("community_care", "care")
             .replace("discrimination", "discrim.").replace("immigration", "immig.")
             .replace("employment", "employ.") for c in columns}
    lines.append("| labelled \\ triage | " + " | ".join(short[c] for c in columns) + " |")
    lines.append("| --- |" + " ---: |" * len(columns))
    for code in CODES:
        lines.append(f"| `{code}` | " + " | ".join(str(e.confusion[code][c]) for c in columns)
                     + " |")
    lines.append("")
    return lines


def held_out_number(path: Path) -> int:
    """Which held-out set a path is: heldout/ is the first, heldoutN/ the Nth."""
    for part in reversed(path.parts):
        if part.startswith(HELD_OUT_DIR) and not part.endswith(".jsonl"):
            digits = part[len(HELD_OUT_DIR):]
            return int(digits) if digits.isdigit() else 1
    return 0


def is_retired(path: Path) -> bool:
    """Whether the model trains on this set's texts: then it cannot be scored as held out."""
    trained_on = {e.text for e in load_training()}
    return any(c.text in trained_on for c in load_cases(path))


def enquiry_report(development: CaseSetEvaluation, retired: list[CaseSetEvaluation],
                   held_out: CaseSetEvaluation | None, held_out_path: Path | None) -> str:
    """The Markdown for the independently written enquiry sets: the development sets
    (cross-validated, tuned on), then the frozen held-out set (aggregates only)."""
    lines = [
        "# Triage on independently written enquiries",
        "",
        "Writers who never saw the rules, the model or the labelled set wrote enquiries from "
        "one-line case briefs (each case gives its 'today': Friday 4 December 2026 for the "
        "first three held-out sets), in mixed styles (short, "
        "misspelt, run-on, non-native English, several problems at once, formal, third "
        "party), and labelled each: primary category, secondary categories, urgent (yes/no) "
        "and the most pressing deadline date. Triage is scored as a whole (phrase rules, "
        "model, urgency triggers and date reading): top-1 is the primary label exactly; "
        "secondary recall counts labelled secondary problems that triage reports at all; "
        "the deadline is right when triage's most pressing date equals the labelled one.",
        "",
        f"The {1 + len(retired)} development sets below were read case by case and the rules "
        "were tuned on them: their figures are **development figures, optimistic**, not "
        "evidence of how triage does on new text. Only the frozen held-out set at the end is "
        "that.",
        "",
    ]
    lines += case_set_report(
        development, "Development set 1 (writer C; tuned on: optimistic)",
        "`src/linkwell/advice/data/enquiries_dev.jsonl`, writer C. The phrase and urgency "
        "rules were tuned after reading these enquiries, and the model trains on them: here "
        f"the model is cross-validated ({FOLDS} folds, each scored by a model trained on "
        "everything else it learns from and the other folds), the rules are not.",
        development=True)
    for info, scored in zip(RETIRED_SETS, retired, strict=True):
        ordinal = (ORDINALS[info.number - 1] if info.number <= len(ORDINALS)
                   else f"number {info.number}")
        lines += case_set_report(
            scored, f"Development set {info.number + 1}: the retired {ordinal} held-out set "
            f"({info.writers}; tuned on after it was scored: optimistic)",
            f"`{info.path}` (copied unchanged to `src/linkwell/advice/data/{info.copy}`), "
            f"{scored.cases} enquiries frozen before the rule changes it measured and scored "
            f"as a held-out set. It was then retired into development data on "
            f"{info.retired_on} (see its `README.md`): the rules were tuned on it after it "
            "was scored and the model now trains on it. The model is cross-validated as "
            "above; the rules are not, so these figures are optimistic.", development=True)
        names = [name for name, _values in info.runs]
        lines += ["Its scored runs while it was still held out, then now (tuned on):", "",
                  "| measure | " + " | ".join(names) + " | now, tuned on |",
                  "| --- |" + " ---: |" * (len(names) + 1)]
        for label, value, _target, _ok in scored.targets():
            before = " | ".join(f"{values[label]:.3f}" for _name, values in info.runs)
            lines.append(f"| {label} | {before} | {value:.3f} |")
        lines.append("")
    if held_out is None:
        lines += [f"## HELD-OUT set {len(RETIRED_SETS) + 1}", "",
                  "Not scored in this run: the next frozen held-out set is not in this "
                  "checkout, or the `current` path in "
                  "`src/linkwell/advice/data/held_out_sets.json` still names a set that has "
                  "been retired into development data (the model trains on it). The frozen "
                  "set is scored once, by the lead, with `linkwell advice evaluate "
                  "--held-out PATH --write docs/advice-triage-metrics.md`.", ""]
    else:
        lines += case_set_report(
            held_out, f"HELD-OUT set {held_out_number(held_out_path or HELD_OUT_PATH)} "
            "(frozen, never seen or tuned on)",
            f"`{held_out_path}`, written by new independent writers while the rules were "
            "tuned on the sets above, and never read by the people tuning them; never "
            "trained or tuned on, and only these aggregate figures are read from it. Scored "
            "with the shipped model.")
        if HELD_OUT_EARLIER_RUNS:
            names = [name for name, _values in HELD_OUT_EARLIER_RUNS]
            lines += ["Its earlier scored runs, then this one:", "",
                      "| measure | " + " | ".join(names) + " | this run |",
                      "| --- |" + " ---: |" * (len(names) + 1)]
            for label, value, _target, _ok in held_out.targets():
                before = " | ".join(f"{values[label]:.3f}"
                                    for _n, values in HELD_OUT_EARLIER_RUNS)
                lines.append(f"| {label} | {before} | {value:.3f} |")
            lines.append("")
    return "\n".join(lines)
