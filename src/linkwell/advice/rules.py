"""Curated phrase rules: the transparent half of issue spotting.

Each rule says "these words suggest this category (and sub-issue) with this weight". Phrases
are matched on normalised tokens; a word ending in ``*`` matches as a prefix; words of five
letters or more also match common misspellings (one or two letters out, see ``fuzzy_canonical``),
and the evidence says so ("bailifs" read as "bailiff").
"""

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from linkwell.advice.language import COMMON_WORDS
from linkwell.advice.rule_table import RULE_TABLE
from linkwell.advice.text import tokens


@dataclass(frozen=True)
class Rule:
    category: str
    sub_issue: str | None
    weight: float
    phrase: str


def _phrase_words(phrase: str) -> tuple[str, ...]:
    """Tokens of a rule phrase, keeping a trailing ``*`` as the prefix marker."""
    out = []
    for part in phrase.split():
        star = part.endswith("*")
        words = tokens(part.rstrip("*"))
        if star and words:
            words[-1] += "*"
        out.extend(words)
    return tuple(out)


@dataclass(frozen=True)
class Hit:
    """One rule that matched: what it suggests and the words that made it match."""

    category: str
    sub_issue: str | None
    weight: float
    phrase: str
    found: str
    fuzzy: bool



# Places a person is put out of that are not their home: "kicked out of the gym class".
_NOT_A_HOME = frozenset({"gym", "class", "club", "shop", "school", "college", "course", "pub",
                         "bar", "restaurant", "job", "group", "team", "meeting", "lesson",
                         "library", "store", "cinema", "supermarket", "cafe", "café", "park",
                         "office", "hospital", "ward", "centre", "center",
                         "nightclub", "match", "game", "bus", "train", "taxi"})
_LINKS = frozenset({"of", "the", "my", "a", "an", "our", "his", "her", "from"})
# Phrases that do not count when the next words (after "of the" and the like) name one of
# these.
_NOT_BEFORE: dict[str, frozenset[str]] = {
    phrase: _NOT_A_HOME for phrase in (
        "kicked out", "thrown out", "chucked out", "kick me out", "throw me out",
        *(f"{verb} {who} out" for verb in ("threw", "thrown", "throw", "kicked", "chucked", "put")
          for who in ("me", "us", "him", "her", "them")))}
# "Universal" alone is Universal Credit; before "credit" the full name already counts.
_NOT_BEFORE["universal"] = frozenset({"credit", "credits", "credt", "cred"})


# Phrases that mean something else after these words: "the old girl" is an age remark, "a
# 17-year-old girl" a child's age.
_NOT_AFTER: dict[str, frozenset[str]] = {
    phrase: frozenset({"year", "years", "yr", "yrs", "month", "months"})
    for phrase in ("old girl", "old boy")}


# "Education, Health and Care needs assessment" or "... plan" names the school's plan: its
# "care needs assessment", "needs assessment" and "care plan" are not social care's.
_EHC_NAME = ["health", "and", "care"]


def _ehc_words(words: list[str]) -> set[int]:
    """Where the words "care", "needs" and "plan" belong to an EHC plan's full name."""
    return {i + k for i in range(len(words)) if words[i:i + 3] == _EHC_NAME for k in (2, 3)}


# Phrases that name a problem at work only when the text is about work: "told him not to come
# back" is a dismissal from a boss, and a teenager put out of home from a parent.
_AT_WORK_WORDS = frozenset({"work", "working", "job", "boss", "manager", "shift", "shifts",
                            "employer", "supervisor", "agency", "hr", "workplace", "rota",
                            "role", "depot"})
_ONLY_AT_WORK = frozenset({"dont come back", "not to come back", "not paid me", "hasnt paid me",
                           "havent been paid", "wasnt paid", "not been paid", "hasnt been paid",
                           "has not been paid", "havent paid me", "not paid for", "not pay me",
                           "not paying me", "no longer needed", "wasnt needed", "isnt needed",
                           "not needed any more", "not needed anymore"})


# "The appeal was dismissed", "the judge dismissed our case": a court's or tribunal's
# decision, not a dismissal from work (the noun "dismissal" is always the job).
_DISMISSED_THINGS = frozenset({"appeal", "appeals", "case", "application", "applications"})
_DISMISS_VERB = frozenset({"dismiss", "dismissed", "dismisses", "dismissing"})


def _a_case_dismissed(words: list[str], start: int) -> bool:
    if words[start] not in _DISMISS_VERB:
        return False
    return bool(_DISMISSED_THINGS & {*words[max(0, start - 3):start],
                                     *words[start + 1:start + 3]})


# Phrases that mean something else when these words are anywhere in the text: someone the
# police "let go" was released, not dismissed.
_POLICE = frozenset({"police", "arrested", "custody", "station", "bail", "charge", "charged"})
_NOT_WITH: dict[str, frozenset[str]] = {
    f"{be} let go": _POLICE for be in ("was", "were", "been", "got", "being", "get")}


# Phrases that mean something else with these words just before (up to three) or just after
# (up to three): governors, a school, a court or a panel "reconsider" their own decision, and
# a council reconsiders a care placement or an exclusion, not a benefit.
_NOT_BESIDE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "reconsider": (frozenset({"governors", "governing", "school", "court", "panel", "judge",
                              "head", "headteacher", "academy"}),
                   frozenset({"placement", "exclusion", "order", "move", "transfer"})),
}
# "On ESA because of my mental health", "PIP because of my disability": why a benefit is paid
# (or someone is off sick), not how they were treated.
_BENEFIT_NAMES = frozenset({"esa", "pip", "dla", "uc", "benefit", "benefits", "allowance",
                            "credit", "sick"})
_NOT_BESIDE.update({phrase: (_BENEFIT_NAMES, frozenset()) for phrase in (
    "because of my mental health", "because of my condition", "because of my disability")})


def _beside(words: list[str], start: int, end: int,
            names: tuple[frozenset[str], frozenset[str]]) -> bool:
    before, after = names
    return bool(before.intersection(words[max(0, start - 3):start])
                or after.intersection(words[end:end + 3]))


def _named_after(words: list[str], end: int, names: frozenset[str]) -> bool:
    for word in words[end:end + 4]:
        if word in names:
            return True
        if word not in _LINKS:
            return False
    return False


RULES: tuple[Rule, ...] = tuple(
    Rule(category, sub, weight, phrase)
    for category, sub, weight, phrases in RULE_TABLE
    for phrase in phrases
)
_COMPILED: tuple[tuple[Rule, tuple[str, ...]], ...] = tuple((r, _phrase_words(r.phrase))
                                                           for r in RULES)


def _vocabulary() -> frozenset[str]:
    words = set()
    for _rule, parts in _COMPILED:
        words.update(p.rstrip("*") for p in parts)
    return frozenset(words)


RULE_VOCABULARY = _vocabulary()
# Company names are matched as written, never as misspellings ("Bristol" is not "Bristow").
_NAMES = frozenset({"marston", "equita", "bristow", "newlyn", "rossendales"})
_FUZZY_TARGETS = tuple(sorted(w for w in RULE_VOCABULARY if len(w) >= 5 and w.isalpha()))


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance (a swap of two letters counts once), capped at
    ``limit + 1`` (rapidfuzz)."""
    return OSA.distance(a, b, score_cutoff=limit)


@lru_cache(maxsize=50_000)
def fuzzy_canonical(word: str) -> str | None:
    """The rule word a misspelt ``word`` stands for, or None.

    Only words of five letters or more that are not ordinary English words are corrected:
    one letter out for five to seven letters, two for longer words, and the first letter must
    agree (people rarely get the first letter wrong, and it keeps "count" from being "court").
    """
    if len(word) < 5 or not word.isalpha() or word in RULE_VOCABULARY or word in COMMON_WORDS:
        return None
    limit = 1 if len(word) < 8 else 2
    best: tuple[int, str] | None = None
    for target in _FUZZY_TARGETS:
        if target in _NAMES:
            continue
        if target[0] != word[0] or abs(len(target) - len(word)) > limit:
            continue
        distance = _osa_distance(word, target, limit)
        if distance == 2 and target[:3] != word[:3]:
            continue  # two letters out only when the start agrees: not "compensation"
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, target)
    return best[1] if best else None


_PATTERNS: frozenset[str] = frozenset(p for _rule, parts in _COMPILED for p in parts)
_BY_FIRST: dict[str, tuple[tuple[Rule, tuple[str, ...]], ...]] = {}
for _rule, _parts in _COMPILED:
    _BY_FIRST[_parts[0]] = (*_BY_FIRST.get(_parts[0], ()), (_rule, _parts))


@lru_cache(maxsize=50_000)
def word_patterns(word: str) -> dict[str, bool]:
    """Every phrase word (or ``stem*``) that ``word`` matches, mapped to "only by fuzziness"."""
    found: dict[str, bool] = {}
    if word in _PATTERNS:
        found[word] = False
    canonical = fuzzy_canonical(word)
    if canonical is not None and canonical in _PATTERNS:
        found.setdefault(canonical, True)
    for pattern in _PATTERNS:
        if not pattern.endswith("*"):
            continue
        stem = pattern[:-1]
        if word.startswith(stem):
            found[pattern] = False
        elif canonical is not None and canonical.startswith(stem):
            found.setdefault(pattern, True)
        elif (len(stem) >= 5 and len(word) >= len(stem) and word[0] == stem[0]
              and word not in COMMON_WORDS and _osa_distance(word[: len(stem)], stem, 1) <= 1):
            # A misspelt longer form: "bailifs" for "bailiff*".
            found.setdefault(pattern, True)
    return found


# Words that suggest a category when written near each other, in any order and wording
# ("the bank has started court action" over a mortgage; "names about my colour"; "doesn't take
# DSS"): (category, sub-issue, weight, words, other words, how many words apart at most;
# negative: the other words must come after the first ones).
# A word ending in ``*`` is a stem; longer words also match when one letter out.
_NEAR_TABLE: list[tuple[str, str | None, float, tuple[str, ...], tuple[str, ...], int]] = [
    # A mortgage lender in court is a possession claim on the home.
    ("housing", "possession_eviction", 0.85, ("mortgage*", "lender*"),
     ("court", "proceedings", "possession", "hearing", "repossess*", "claim"), 12),
    # A mortgage fallen behind in other words ("the mortgage is 3 months behind", "missed the
    # January mortgage payment"): the home is at risk, housing beside the debt (the
    # development sets label every such case so).
    ("housing", None, 0.85, ("mortgage*",),
     ("behind", "missed", "arrears", "cant pay", "cannot pay", "struggl*"), 8),
    # Remarks about who someone is: colour, country, religion, age, sexuality.
    ("discrimination", None, 0.9,
     ("names", "jokes", "joke", "joking", "comments", "comment", "remarks", "called",
      "calling", "calls", "mocks", "mocking", "insult*"),
     ("colour", "color", "country", "race", "accent", "religion", "skin", "monkey*",
      "nationality", "lifestyle", "retiring", "retirement", "younger", "older", "gay",
      "disabled", "disability", "pregnan*", "hijab", "headscarf"), 5),
    # Landlords and agents who will not take people on benefits (said a sentence apart: "I
    # said I'm on universal credit with the kids, they said the landlord won't accept").
    ("discrimination", None, 0.9, ("not accept", "dont accept", "doesnt accept", "wont accept",
                                   "not take", "dont take", "doesnt take", "wont take",
                                   "not rent to", "wont rent to"),
     ("dss", "benefits", "universal"), 12),
    # The Mental Health Act and its tribunal (filed under community care by the writers).
    ("community_care", "mental_health_aftercare", 0.9, ("mental",), ("act", "tribunal"), 3),
    ("community_care", "mental_health_aftercare", 0.9, ("detained", "detention"),
     ("section",), 3),
    # Bills that cannot be paid are a debt problem beside whatever stopped the money.
    ("debt", None, 0.8, ("cant", "cannot", "unable", "struggling"),
     ("electric*", "gas", "bills", "bill", "catalogue*"), 3),
    # A care bill run up ("arrears of £1,800 have accrued", "an invoice for that support") is
    # a debt beside the council's charge for care.
    ("debt", None, 0.8, ("arrears", "owing", "accrued", "invoice"),
     ("care", "carers", "carer", "support", "contribute", "contribution"), 20),
    # Money taken for the carers or paid towards them ("taking money off his benefits for his
    # carers", "she has carers and pays towards it"): the council's charge for care.
    ("community_care", "care_charges", 0.9,
     ("money off", "money from", "money out", "pays towards", "paying towards",
      "pays toward", "paying toward", "contribution"), ("carers", "carer"), 12),
    # An overpayment to be paid back is a debt as well as a benefit decision: asked back,
    # taken off the person's money in deductions, or a sum they are told they owe.
    ("debt", None, 0.8, ("overpa*",),
     ("back", "repay*", "recover*", "deduct*", "owe", "owes", "owing", "take it", "takes it",
      "taking it", "off my", "from my", "off every", "from every", "off each", "from each"), 40),
    # Hours or visits "of care" are the care package, not someone's job (a care worker's
    # "care agency ... hours" is: the words must come in this order).
    ("community_care", "care_assessment", 0.9, ("hours", "visits", "visit"), ("care",), -4),
    # Put off a course: the college's or university's decision.
    ("education", None, 0.85, ("kicked", "thrown", "removed", "withdrawn", "excluded",
                               "dropped", "chucked"),
     ("course", "college", "apprenticeship", "uni", "university"), 4),
    # A disabled child the school failed ("autistic ... never put the support in place",
    # "excluded after a meltdown", "cos of her behaviour, she's got autism"): the writers list
    # disability discrimination beside the school problem. Below DISCRIMINATION_NAMED, so the
    # school problem stays first.
    # (The school's failure first: "never put ... in place" is what it did not do.)
    ("discrimination", None, 0.8,
     ("meltdown*", "in place", "cos of", "because of it", "because of his", "because of her",
      "never give", "never gave", "never did", "never done", "didnt do"), ("autis*", "adhd"),
     30),
    # Staying with someone who wants them gone ("staying with a lady from church but she
    # cannot keep me long"): a home about to be lost, listed beside the main problem.
    ("housing", None, 0.85, ("staying", "stay", "stayed", "sofa"),
     ("wants us out", "wants me out", "cannot keep", "cant keep", "few more days",
      "asked me to leave", "asked us to leave", "asked her to leave", "asked him to leave",
      "asked me to go", "asked us to go", "asked her to go", "asked him to go",
      "told me to leave", "told us to leave", "has to go", "have to go", "must go"), 15),
    # "The agent" beside a flat, a landlord or rent is a letting agent: the home is part of
    # the problem (a travel or enforcement agent is not next to these words).
    ("housing", None, 0.85, ("agent", "agents"),
     ("flat", "flats", "studio", "room", "rent", "renting", "landlord*", "rightmove", "property",
      "properties", "viewing", "tenant*", "owner"), 10),
    # A child whose age the council disputes is owed children's services' help.
    ("community_care", None, 0.85, ("age",),
     ("assessment", "assessed", "dispute*", "disputed"), 2),
]


_NEAR_DENIED = frozenset({"no", "not", "nothing", "without", "never", "nobody", "isnt", "arent"})


@dataclass(frozen=True)
class _WordGroup:
    """Words of a near rule, ready to test: whole words, stems and short phrases."""

    exact: frozenset[str]
    stems: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, patterns: tuple[str, ...]) -> "_WordGroup":
        single = [p for p in patterns if " " not in p]
        return cls(frozenset(p for p in single if not p.endswith("*")),
                   tuple(p[:-1] for p in single if p.endswith("*")),
                   tuple(tuple(p.split()) for p in patterns if " " in p))

    def _word(self, word: str, canonical: str | None) -> bool:
        return word in self.exact or canonical in self.exact or word.startswith(self.stems)

    def at(self, words: list[str], canon: list[str | None], i: int) -> bool:
        if self._word(words[i], canon[i]):
            return True
        return any(i + len(ph) <= len(words) and all(
            words[i + k] == part or canon[i + k] == part for k, part in enumerate(ph))
            for ph in self.phrases)


_NEAR: tuple[tuple[str, str | None, float, _WordGroup, _WordGroup, int, str], ...] = tuple(
    (category, sub, weight, _WordGroup.of(left), _WordGroup.of(right), window,
     f"{left[0]} near {right[0]} (or like words)")
    for category, sub, weight, left, right, window in _NEAR_TABLE)


# "A mortgage" is how a home was bought, or a loan being applied for ("I own it with a
# mortgage", "applying for a mortgage"): beside a court, it is no lender's possession claim.
_NEAR_LEFT_NOT_AFTER: dict[tuple[str, str | None], frozenset[str]] = {
    ("housing", "possession_eviction"): frozenset({"a"})}


def _near(words: list[str]) -> list[Hit]:
    hits: list[Hit] = []
    canon = [fuzzy_canonical(w) for w in words]
    for category, sub, weight, left, right, window, phrase in _NEAR:
        not_after = _NEAR_LEFT_NOT_AFTER.get((category, sub), frozenset())
        at = [i for i in range(len(words)) if left.at(words, canon, i)
              and not (i and words[i - 1] in not_after)]
        if not at:
            continue
        other = [j for j in range(len(words)) if right.at(words, canon, j)
                 and not _NEAR_DENIED & set(words[max(0, j - 2):j])]
        pair = next(((i, j) for i in at for j in other
                     if (0 < j - i <= -window if window < 0 else i != j and abs(i - j) <= window)),
                    None)
        if pair is None:
            continue
        lo, hi = sorted(pair)
        found = " ".join(words[lo:hi + 1]) if hi - lo < 6 else f"{words[lo]} ... {words[hi]}"
        hits.append(Hit(category, sub, weight, phrase, found, False))
    return hits


def match(text: str) -> list[Hit]:
    """Every rule that matches ``text``; a rule is reported once, at its first occurrence."""
    words = tokens(text)
    ehc = _ehc_words(words)
    seen: set[Rule] = set()
    hits: list[Hit] = []
    for start, word in enumerate(words):
        for first, first_fuzzy in word_patterns(word).items():
            for rule, parts in _BY_FIRST.get(first, ()):
                if rule in seen or start + len(parts) > len(words):
                    continue
                fuzzy = first_fuzzy
                for offset, pattern in enumerate(parts[1:], 1):
                    by = word_patterns(words[start + offset]).get(pattern)
                    if by is None:
                        break
                    fuzzy = fuzzy or by
                else:
                    if rule.phrase in _NOT_BEFORE and _named_after(
                            words, start + len(parts), _NOT_BEFORE[rule.phrase]):
                        continue
                    if start and words[start - 1] in _NOT_AFTER.get(rule.phrase, ()):
                        continue
                    if rule.category == "community_care" and start in ehc:
                        continue
                    if rule.phrase in _ONLY_AT_WORK and not _AT_WORK_WORDS.intersection(words):
                        continue
                    if rule.phrase == "dismiss*" and _a_case_dismissed(words, start):
                        continue
                    if rule.phrase in _NOT_WITH and _NOT_WITH[rule.phrase].intersection(words):
                        continue
                    if rule.phrase in _NOT_BESIDE and _beside(
                            words, start, start + len(parts), _NOT_BESIDE[rule.phrase]):
                        continue
                    seen.add(rule)
                    hits.append(Hit(rule.category, rule.sub_issue, rule.weight, rule.phrase,
                                    " ".join(words[start:start + len(parts)]), fuzzy))
    return hits + _near(words)
