"""Dutch language knowledge (glossary.lang.nl): inflection, and the lexicon
(wordfreq's list plus curated extras)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glossary.lang import nl
from glossary.lang.nl import noun_forms, term_forms


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
    assert low <= nl.zipf(word) <= high


@pytest.mark.parametrize(
    "word",
    ["Armenié", "beéindigen", "repatriéren", "olieen", "nongouvernementele", "", "   "],
)
def test_zipf_of_unknown_words_is_zero(word: str) -> None:
    assert nl.zipf(word) == 0.0


def test_zipf_folds_case_and_normalises() -> None:
    decomposed = "Armenie\u0308"  # e + combining diaeresis
    assert nl.zipf("ARMENIË") == nl.zipf("armenië") == nl.zipf(decomposed) > 0


@pytest.mark.parametrize(
    ("word", "expected"),
    [("gaspijpleidingen", True), ("zaken", True), ("Armenié", False), ("", False)],
)
def test_is_word(word: str, expected: bool) -> None:
    assert nl.is_word(word) is expected


def test_is_word_threshold() -> None:
    # "financiéle" is OCR noise in wordfreq's list, just above the floor.
    assert nl.is_word("financiéle")
    assert not nl.is_word("financiéle", min_zipf=1.5)
    assert nl.is_word("financiële", min_zipf=4.0)


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
    assert nl.is_hyphenated_word(word) is expected


def test_importing_does_not_load_wordfreq() -> None:
    # The lexicon loads lazily: `glossary --help` must stay fast.
    code = "import sys, glossary.lang.nl, glossary.reading.ingest; print('wordfreq' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------ inflection


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("vredesakkoord", {"vredesakkoorden", "vredesakkoords"}),
        ("staat", {"staten"}),
        ("bom", {"bommen"}),
        ("huis", {"huizen"}),
        ("brief", {"brieven"}),
        ("veiligheid", {"veiligheden"}),
        ("resolutie", {"resoluties"}),
        ("covoorzitters", {"covoorzitter"}),
        ("leden", {"lid"}),
        ("partij", {"partijen"}),
        ("auto", {"auto's"}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_noun_forms(word: str, expected: set[str]) -> None:
    assert expected <= set(noun_forms(word))


def test_term_forms_modifiers_and_acronyms() -> None:
    assert "gewapende conflicten" in term_forms("gewapend conflict")
    assert "Hoog Vertegenwoordiger" in term_forms("Hoge Vertegenwoordiger")
    assert "territoriaal integriteit" not in term_forms("territoriale integriteit")
    assert term_forms("OVSE", case_sensitive=True) == ["OVSE", "OVSE's", "OVSEs"]
    assert "partijjen" not in term_forms("partij")
