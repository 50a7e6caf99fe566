"""English for mined candidates from the termbase, without a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.matching.verify import Glossary
from glossary.mining.hints import compose, similar, suggest
from glossary.termbase.model import make_concept
from glossary.termbase.store import read_termbase

SHIPPED = read_termbase(Path(__file__).parent / "data" / "qa" / "termbase.tsv").concepts
CONCEPTS = [
    make_concept("covoorzitter", "co-chair", nl_variants=["covoorzitters"], pos="noun"),
    make_concept("Minsk Groep", "OSCE Minsk Group", pos="properNoun"),
    make_concept("Raad", "Council", case_sensitive=True),
    make_concept("Europa", "Europe"),
    make_concept("vredesonderhandelingen", "peace negotiations"),
    make_concept("vredesakkoord", "peace agreement", status="rejected"),
    make_concept("OVSE-voorzitterschap", "OSCE Chairmanship"),
    make_concept("Josep Borrell", "", dnt=True),
]


@pytest.mark.parametrize(
    ("term", "english"),
    [
        ("covoorzitters van de Minsk Groep", "co-chairs of the OSCE Minsk Group"),
        ("covoorzitter van de Minsk Groep", "co-chair of the OSCE Minsk Group"),
        ("Raad van Europa", "Council of Europe"),
        ("Raad voor Europa", "Council for Europe"),
        ("Minsk Groep", None),  # the whole term is a concept already
        ("Raad van State", None),  # "State" is no known term
        ("vredesmissie", None),
    ],
    ids=["plural-variant", "singular", "van", "voor", "whole-term", "unknown-word", "one-word"],
)
def test_compose(term: str, english: str | None) -> None:
    hint = compose(term, Glossary(CONCEPTS))
    assert (hint.text if hint else None) == english
    if hint:
        assert hint.source == "termbase" and hint.detail.startswith("from ")


def test_compose_says_what_it_was_made_of() -> None:
    hint = compose("covoorzitters van de Minsk Groep", Glossary(CONCEPTS))
    assert hint is not None
    assert hint.detail == (
        "from covoorzitters → co-chairs; Minsk Groep → OSCE Minsk Group (Dutch word order kept)"
    )


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("vredesmissie", "vredesonderhandelingen"),  # shared modifier "vredes"
        ("voorzitterschap", "ovse-voorzitterschap"),  # a compound part
        ("covoorzitterschap", "covoorzitter"),
        ("Minsk", "minsk-groep"),  # a shared word
    ],
)
def test_similar(term: str, first: str) -> None:
    hints = similar(term, CONCEPTS)
    assert hints and hints[0].concept_id == first
    assert all(h.source == "similar" for h in hints)
    assert "vredesakkoord" not in [h.concept_id for h in hints]  # rejected: not a model


def test_similar_leaves_out_function_words_and_the_term_itself() -> None:
    assert similar("van de", CONCEPTS) == []
    assert "minsk-groep" not in [h.concept_id for h in similar("Minsk Groep", CONCEPTS)]


def test_on_the_shipped_termbase() -> None:
    glossary = Glossary(SHIPPED)
    concepts = [c for c in SHIPPED if not c.id.endswith("co-chairs")]
    hints = suggest("covoorzitters van de Minsk Groep", concepts, Glossary(concepts))
    assert hints[0].text == "co-chairs of the OSCE Minsk Group"
    related = [h.concept_id for h in suggest("vredesmissie", SHIPPED, glossary)]
    assert {"vredesakkoord", "vredestroepen"} <= set(related)
