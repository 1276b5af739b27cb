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
# A category whose phrases name a specific problem is preferred from this confidence up.
NAMED_PROBLEM_FLOOR = 0.8
# Phrase evidence for discrimination this strong names a protected characteristic or the act.
DISCRIMINATION_NAMED = 0.85


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


def select(scores: list[CategoryScore]) -> list[CategoryScore]:
    """The categories to report, most confident first.

    The main problem is the best-scoring category when it reaches ``THRESHOLD`` (below
    ``GUESS_FLOOR`` it is reported as ``other``); further problems need ``SECONDARY_THRESHOLD``,
    because a second label next to a clear first one must be well supported. ``other`` is
    never a second label: "something else" next to "housing" only adds noise.
    """
    best = scores[0]
    if best.confidence < GUESS_FLOOR:
        best = next(s for s in scores if s.code == "other")
    elif not best.sub_issues:
        # Words that only place the problem ("my flat", "at work") give way to a category
        # whose words name a problem ("occupational therapist", "sanctioned").
        named = next((s for s in scores if s.sub_issues and s.code != "other"
                      and s.confidence >= NAMED_PROBLEM_FLOOR), None)
        best = named or best
    chosen = [best]
    chosen += [s for s in scores if s is not best and s.code != "other"
               and s.confidence >= SECONDARY_THRESHOLD]
    return _stressed_first(_school_first(_home_first(_discrimination_first(chosen))))


# A home that is only temporary or in disrepair (not at risk) beside a child waiting for a
# school place: the schooling is what the person asks about ("moved to temporary accommodation
# in another borough ... applied for schools here, still no place").
_HOME_NOT_AT_RISK = frozenset({"temporary_accommodation", "disrepair"})


def _school_first(chosen: list[CategoryScore]) -> list[CategoryScore]:
    if chosen[0].code != "housing" or not set(chosen[0].sub_issues) <= _HOME_NOT_AT_RISK:
        return chosen
    school = next((c for c in chosen if c.code == "education"
                   and "admissions" in c.sub_issues), None)
    return [school] + [c for c in chosen if c is not school] if school else chosen


def _stressed_first(chosen: list[CategoryScore]) -> list[CategoryScore]:
    """The problem the person said matters most is the main one, when it was found at all."""
    stressed = next((c for c in chosen if c.stressed), None)
    if stressed is None or stressed is chosen[0]:
        return chosen
    return [stressed] + [c for c in chosen if c is not stressed]


# Losing the home: possession, eviction or homelessness is the main problem, before the debts
# behind it ("the lender has started repossession proceedings ... we also owe on cards").
_HOME_AT_RISK = frozenset({"possession_eviction", "section_21", "section_8", "illegal_eviction",
                           "homelessness"})


# A job lost: the benefit claimed because of it ("sacked yesterday, can I get Universal Credit")
# is the consequence, when no decision on the benefit is in question.
_JOB_LOST = frozenset({"dismissal", "redundancy"})
_CLAIM_ONLY = frozenset({"universal_credit"})


def _home_first(chosen: list[CategoryScore]) -> list[CategoryScore]:
    if chosen[0].code == "welfare_benefits" and set(chosen[0].sub_issues) <= _CLAIM_ONLY:
        # ... and the model reads the text as about the job too: a job lost months ago in the
        # background of a benefit stopped ("on UC since April because I lost my job") is not.
        job = next((c for c in chosen if c.code == "employment"
                    and set(c.sub_issues) & _JOB_LOST and c.model >= 0.5), None)
        if job is not None:
            return [job] + [c for c in chosen if c is not job]
    if chosen[0].code == "welfare_benefits":
        # The council's charge for care is the problem; the benefits are the income it is
        # worked out from.
        care = next((c for c in chosen if c.code == "community_care"
                     and "care_charges" in c.sub_issues), None)
        return [care] + [c for c in chosen if c is not care] if care else chosen
    if chosen[0].code != "debt":
        return chosen
    home = next((c for c in chosen if c.code == "housing"
                 and set(c.sub_issues) & _HOME_AT_RISK), None)
    if home is None:
        return chosen
    return [home] + [c for c in chosen if c is not home]


# What the person lost because of the discrimination: then that loss is the main problem.
# Bullying at school is the school's problem first, even when the bullies' words are racist.
_LOSS_SUB_ISSUES = frozenset({"dismissal", "redundancy", "exclusion", "possession_eviction",
                              "bullying"})


def _discrimination_first(chosen: list[CategoryScore]) -> list[CategoryScore]:
    """Discrimination named in the person's words is the main problem, unless it cost them a
    job, a school place or a home: then that is ("sacked because I'm pregnant" is employment
    with discrimination beside it; "called a racist name at work" is discrimination)."""
    found = next((c for c in chosen if c.code == "discrimination"), None)
    if found is None or found.rules < DISCRIMINATION_NAMED:
        return chosen
    loss = next((c for c in chosen if set(c.sub_issues) & _LOSS_SUB_ISSUES), None)
    first = loss or found
    return [first] + [c for c in chosen if c is not first]
