"""Text normalisation shared by the phrase rules, the language check and the model.

People write "s21", "Section-21", "carer's", "cant"; all of these must meet the same rule.
"""

import re
import unicodedata

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`']")
_SECTION = re.compile(r"\b(?:s|sec|section)\s*[.\-]?\s*(\d{1,3})\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)?")


def normalise(text: str) -> str:
    """Lower-case, drop apostrophes and write section numbers one way ("s.21" -> "section 21")."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    return _SECTION.sub(r"section \1", text)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def latin_share(text: str) -> float:
    """Share of letters that are Latin script; other scripts (Arabic, Bengali, ...) score 0."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)
