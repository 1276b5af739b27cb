"""Issue spotting: phrase rules and the model combined into one confidence per category.

The combination is a noisy-OR, so each source of evidence can only add confidence and the
reason for a score can always be read back: ``1 - (1 - rules) * (1 - model)``, where
``rules`` is itself the noisy-OR of the weights of the phrases that matched.
"""

import re
from dataclasses import dataclass, field

from linkwell.advice.categories import BY_CODE, CODES
from linkwell.advice.classifier import ProblemModel
from linkwell.advice.rules import Hit, match

# Thresholds chosen by cross-validation on the labelled set (docs/advice-triage-metrics.md):
# below THRESHOLD the main category is shown as a guess, below GUESS_FLOOR as "other".
THRESHOLD = 0.5
GUESS_FLOOR = 0.25
SECONDARY_THRESHOLD = 0.8
# One "other" phrase this strong names a matter outside social-welfare law on its own.
NAMED_ELSEWHERE = 0.8


@dataclass
class Evidence:
    """Why a category was suggested: a phrase found, the model's words, or an answer given."""

    source: str  # "phrase" | "model" | "answer"
    text: str
    weight: float | None = None
    sub_issue: str | None = None
    note: str | None = None

    def as_dict(self) -> dict:
        out = {"source": self.source, "text": self.text}
        if self.weight is not None:
            out["weight"] = round(self.weight, 2)
        if self.sub_issue:
            out["sub_issue"] = self.sub_issue
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class CategoryScore:
    code: str
    confidence: float
    rules: float
    model: float
    sub_issues: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # The person said this is the problem that matters most ("the bigger worry is ...").
    stressed: bool = False

    @property
    def label(self) -> str:
        return BY_CODE[self.code].label


def noisy_or(weights: list[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return 1.0 - remaining


def _phrase_evidence(hit: Hit) -> Evidence:
    note = f'read as "{hit.phrase.rstrip("*")}"' if hit.fuzzy else None
    return Evidence("phrase", hit.found, hit.weight, hit.sub_issue, note)


# Words by which a person says which problem matters most: the words after them ("the bigger
# worry is my son, who was excluded", "the bigger worry: my son", "and this is the one really
# worrying me, the council ..."), or the words before them ("the school one is the most
# important").
_WHAT_MATTERS = (r"(?:bigger|biggest|main|real|more pressing|most pressing|most urgent|"
                 r"most important|most worrying) (?:thing|problem|issue|worry|concern|one)")
_STRESS_AHEAD = re.compile(
    rf"\bthe {_WHAT_MATTERS}(?:\W+(?:is|was)\b| ?[:\-\u2013])|"
    r"\bthe one (?:that|which)?\W*(?:s|is)? ?(?:really )?worr(?:ying|ies) me(?: most)?\b|"
    r"\bwhat worries me (?:most|more)\b|"
    # Problems numbered by the person: the one they ask about first ("first question is ...").
    r"\b(?:the |my )?first (?:question|thing|problem|issue) (?:is|was)\b")
_STRESS_BEHIND = re.compile(
    rf"\b(?:is|are) (?:the|our|my) (?:priority|{_WHAT_MATTERS})\b|"
    r"\b(?:is|are) what worries me most\b")
_SENTENCE_END = re.compile(r"[.!?\n]")


def _stressed(text: str) -> str | None:
    """The category whose words the person marked as mattering most, if any."""
    lowered = text.lower().replace("\u2019", "'").replace("'", "")
    spans = []
    for found in _STRESS_AHEAD.finditer(lowered):
        end = _SENTENCE_END.search(lowered, found.end())
        spans.append(lowered[found.end():end.start() if end else len(lowered)])
    for found in _STRESS_BEHIND.finditer(lowered):
        starts = [m.end() for m in _SENTENCE_END.finditer(lowered, 0, found.start())]
        spans.append(lowered[starts[-1] if starts else 0:found.start()])
    for span in spans:
        hits = [h for h in match(span) if h.category != "other"]
        if hits:
            return max(hits, key=lambda h: h.weight).category
    return None


def score(text: str, probabilities: dict[str, float],
          extra: list[tuple[str, Evidence]] = ()) -> list[CategoryScore]:
    """Every category's score for ``text``, highest first.

    ``probabilities`` are the model's for ``text``; ``extra`` carries evidence from
    questionnaire answers as (category, Evidence) pairs.
    """
    hits = match(text)
    scores: list[CategoryScore] = []
    for code in CODES:
        own = [h for h in hits if h.category == code]
        answers = [ev for cat, ev in extra if cat == code]
        rules = noisy_or([h.weight for h in own] + [ev.weight or 0.0 for ev in answers])
        model_p = probabilities[code]
        confidence = noisy_or([rules, model_p])
        sub_issues: list[str] = []
        for sub in [h.sub_issue for h in own] + [ev.sub_issue for ev in answers]:
            if sub and sub not in sub_issues:
                sub_issues.append(sub)
        evidence = [_phrase_evidence(h) for h in sorted(own, key=lambda h: -h.weight)]
        evidence += answers
        scores.append(CategoryScore(code, confidence, rules, model_p, sub_issues, evidence))
    stressed = _stressed(text)
    for category in scores:
        category.stressed = category.code == stressed
    scores.sort(key=lambda s: (-s.confidence, CODES.index(s.code)))
    return scores


def explain_model(text: str, model: ProblemModel, category: CategoryScore) -> None:
    """Add the model's own evidence (its strongest words) to a reported category."""
    words = model.explain(text, category.code)
    if words:
        category.evidence.append(Evidence(
            "model", ", ".join(words), category.model,
            note="words the statistical model weighed most for this category"))


def select(scores: list[CategoryScore], main: dict[str, float]) -> list[CategoryScore]:
    """The categories to report, the main problem first.

    Of the categories the evidence supports (from ``THRESHOLD``), the main problem is the one
    with the most evidence and the likeliest to lead (``main``, from
    ``ProblemModel.main_problem``): which of several problems leads is learned from the
    independent writers' labels, and that put the right one first more often than the
    ordering rules it replaced (docs/advice.md). The person's own words come before it ("the
    bigger worry is ..."), and a home at risk before the debts behind it. Further problems
    need ``SECONDARY_THRESHOLD``, because a second label next to a clear first one must be
    well supported; ``other`` is never a second label: "something else" next to "housing"
    only adds noise.
    """
    other = next(s for s in scores if s.code == "other")
    first = next((s for s in scores if s.stressed), None)
    if first is None and scores[0].confidence < THRESHOLD:
        # The text supports no category well: the likeliest leads, as a guess, and below
        # GUESS_FLOOR the problem is "other".
        first = scores[0] if scores[0].confidence >= GUESS_FLOOR else other
    if first is None and not any(s.rules for s in scores if s is not other) and any(
            e.source == "phrase" and e.weight >= NAMED_ELSEWHERE for e in other.evidence):
        # The person named a matter for somewhere else ("an NHS complaint", "arrested") and
        # no phrase points to a social-welfare problem: the model's guess from single words
        # ("complain" is mostly discrimination in its data) does not overrule that.
        first = other
    if first is None:
        # What the person answered about a problem ("a section 8 notice") says more than
        # what the model reads in their words.
        supported = [s for s in scores if any(e.source == "answer" for e in s.evidence)] \
            or [s for s in scores if s.confidence >= THRESHOLD or s is other]
        first = max(supported, key=lambda s: main[s.code] + s.confidence)
    return _home_first([first] + [s for s in scores if s is not first and s.code != "other"
                                  and s.confidence >= SECONDARY_THRESHOLD])


# Losing the home: possession, eviction or homelessness leads before the debts behind it
# ("a hearing to evict us tomorrow and bailiffs about council tax"), because it cannot wait.
_HOME_AT_RISK = frozenset({"possession_eviction", "section_21", "section_8", "illegal_eviction",
                           "homelessness"})


def _home_first(chosen: list[CategoryScore]) -> list[CategoryScore]:
    if chosen[0].code != "debt":
        return chosen
    home = next((c for c in chosen if c.code == "housing"
                 and set(c.sub_issues) & _HOME_AT_RISK), None)
    return [home] + [c for c in chosen if c is not home] if home else chosen
