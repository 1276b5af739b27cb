"""The Porter stemmer, as SQLite's FTS5 ``porter`` tokenizer applies it: pure, no I/O.

Search near a postcode narrows the directory to a few hundred services; matching their words
in Python (against stems stored at index time) is then faster than asking FTS5 for every
service that mentions a common word. Using the same algorithm as the ``porter`` tokenizer
keeps both paths finding the same services. It follows M. F. Porter (1980) with the two
changes of his reference C code that FTS5 also makes (``bli`` -> ``ble``, ``logi`` -> ``log``).
"""

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MIN, _MAX = 3, 64


def _consonant(word: str, i: int) -> bool:
    ch = word[i]
    if ch in "aeiou":
        return False
    if ch == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]: how many vowel-consonant sequences the stem has."""
    m, previous_vowel = 0, False
    for i in range(len(stem)):
        vowel = not _consonant(stem, i)
        if previous_vowel and not vowel:
            m += 1
        previous_vowel = vowel
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (e.g. -wil, -hop)."""
    if len(word) < 3:
        return False
    return (_consonant(word, len(word) - 3) and not _consonant(word, len(word) - 2)
            and _consonant(word, len(word) - 1) and word[-1] not in "wxy")


def _ends(word: str, suffix: str) -> bool:
    """A suffix rule applies only when something is left before it (as in FTS5's C code)."""
    return len(word) > len(suffix) and word.endswith(suffix)


def _replace(word: str, rules, condition) -> str:
    for suffix, replacement in rules:
        if _ends(word, suffix):
            stem = word[: -len(suffix)]
            return stem + replacement if condition(stem) else word
    return word


_STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
          ("izer", "ize"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
          ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
          ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
          ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"))
_STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
          ("ful", ""), ("ness", ""))
_STEP4 = ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
          "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize")


def _step1(word: str) -> str:
    if _ends(word, "sses") or _ends(word, "ies"):
        word = word[:-2]
    elif _ends(word, "ss"):
        pass
    elif _ends(word, "s"):
        word = word[:-1]

    if _ends(word, "eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if _ends(word, suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break

    if _ends(word, "y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _step4(word: str) -> str:
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if _ends(word, suffix):
            stem = word[: -len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem.endswith(("s", "t"))):
                return stem
            return word
    return word


def _step5(word: str) -> str:
    if _ends(word, "e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The porter stem of one lower-case word; very short or long words stay as they are."""
    if not _MIN <= len(word) <= _MAX or not word.isascii() or not word.isalpha():
        return word
    word = _step1(word)
    word = _replace(word, _STEP2, lambda s: _measure(s) > 0)
    word = _replace(word, _STEP3, lambda s: _measure(s) > 0)
    word = _step4(word)
    return _step5(word)


def stems(text: str | None) -> set[str]:
    """The distinct stems of a text, tokenised like FTS5's ``unicode61`` (letters and digits)."""
    return {stem(w) for w in _WORD.findall((text or "").lower())}
