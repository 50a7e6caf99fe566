"""The Dutch lexicon (glossary.lang.lexicon): wordfreq's list plus curated extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glossary.lang import lexicon


@pytest.mark.parametrize(
    ("word", "low", "high"),
    [
        ("de", 7.0, 8.0),
        ("vredesakkoord", 2.5, 4.5),
        ("Armenië", 3.0, 5.0),
        ("beëindigen", 3.5, 5.0),
        ("repatriëren", 1.5, 3.0),
        ("staakt-het-vuren", 3.0, 3.0),  # curated, default value
    ],
)
def test_zipf_of_known_words(word: str, low: float, high: float) -> None:
    assert low <= lexicon.zipf(word) <= high


@pytest.mark.parametrize(
    "word",
    ["Armenié", "beéindigen", "repatriéren", "olieen", "nongouvernementele", "", "   "],
)
def test_zipf_of_unknown_words_is_zero(word: str) -> None:
    assert lexicon.zipf(word) == 0.0


def test_zipf_folds_case_and_normalises() -> None:
    decomposed = "Armenie\u0308"  # e + combining diaeresis
    assert lexicon.zipf("ARMENIË") == lexicon.zipf("armenië") == lexicon.zipf(decomposed) > 0


@pytest.mark.parametrize(
    ("word", "expected"),
    [("gaspijpleidingen", True), ("zaken", True), ("Armenié", False), ("", False)],
)
def test_is_word(word: str, expected: bool) -> None:
    assert lexicon.is_word(word) is expected


def test_is_word_threshold() -> None:
    # "financiéle" is OCR noise in wordfreq's list, just above the floor.
    assert lexicon.is_word("financiéle")
    assert not lexicon.is_word("financiéle", min_zipf=1.5)
    assert lexicon.is_word("financiële", min_zipf=4.0)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("minister-president", True),
        ("Minister-President", True),
        ("staakt-het-vuren", True),
        ("de-escalatie", True),
        ("people-to-people", True),
        ("non-gouvernementele", True),
        ("vredes-akkoord", False),
        ("ministerpresident", False),  # not hyphenated
    ],
)
def test_is_hyphenated_word(word: str, expected: bool) -> None:
    assert lexicon.is_hyphenated_word(word) is expected


def test_hyphenated_words_all_contain_a_hyphen() -> None:
    words = lexicon.hyphenated_words()
    assert "secretaris-generaal" in words
    assert all("-" in w and w == w.lower() for w in words)


def test_importing_does_not_load_wordfreq() -> None:
    # The lexicon loads lazily: `glossary --help` must stay fast.
    code = (
        "import sys, glossary.lang.lexicon, glossary.reading.ingest; "
        "print('wordfreq' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
