"""The Python porter stemmer agrees with SQLite FTS5's ``porter`` tokenizer, word for word."""

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.directory.search_query import relevance_of
from linkwell.directory.stemming import stem, stems

WORD_TEXT = (
    "caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated "
    "troubled sized hopping tanned falling hissing fizzed failing filing happy sky relational "
    "conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli "
    "analogousli vietnamization predication operator feudalism decisiveness hopefulness "
    "callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti "
    "electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable "
    "defensible irritant replacement adjustment dependent adoption homologou communism "
    "activate angulariti homologous effective bowdlerize probate rate cease controll roll "
    "generalizations oscillators lonely loneliness befriending befriend benefits benefit "
    "advice advise library family activities community counselling volunteers universal "
    "credit archaeology archaeological walking walks gardening dementia carers bailiffs "
    "tribunal reconsideration immigration asylum eviction disrepair budgeting swimming yoga "
    "choir is as by go agreement eed aed ied oed skies dying lying tying sleepy"
)


WORDS = WORD_TEXT.split(" ")


def fts5_stems(words: list[str]) -> list[str]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(w, tokenize='porter unicode61')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", list(enumerate(words, 1)))
    found = dict(db.execute("SELECT doc, term FROM v"))
    return [found[i] for i in range(1, len(words) + 1)]


def test_stem_matches_sqlite_porter_on_known_words():
    assert [stem(w) for w in WORDS] == fts5_stems(WORDS)


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14),
                min_size=1, max_size=30))
def test_stem_matches_sqlite_porter_on_any_ascii_word(words):
    assert [stem(w) for w in words] == fts5_stems(words)


@pytest.mark.parametrize(("word", "expected"), [("befriending", "befriend"),
                                                ("benefits", "benefit"), ("advice", "advic")])
def test_stem_examples(word, expected):
    assert stem(word) == expected


def test_stems_of_text_are_distinct_lower_case():
    assert stems("Benefits ADVICE, benefit advice!") == {"benefit", "advic"}
    assert stems(None) == set()


def test_relevance_weighs_the_name_most():
    indexed = "n:befriend n:scheme t:loneli d:tea d:befriend"
    assert relevance_of(["befriend"])(indexed) == 11.0
    assert relevance_of(["tea"])(indexed) == 1.0
    assert relevance_of(["debt"])(indexed) == 0.0


def test_relevance_counts_whole_stems_only():
    assert relevance_of(["tea"])("d:teacher d:steam n:tea") == 10.0
    assert relevance_of(["tea"])("d:teacher") == 0.0
    assert relevance_of(["tea"])(None) == 0.0
