"""The shipped termbase glossary/termbase.tsv (issue 5): valid, curated, and
reconciled with what `glossary mine seeds/` proposes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.document import Document
from glossary.matching.matcher import Matcher
from glossary.mining import candidates as mining
from glossary.reading import ingest
from glossary.termbase.model import Concept, Termbase, find, serialize_tsv
from glossary.termbase.store import read_termbase

ROOT = Path(__file__).resolve().parent.parent
TERMBASE = ROOT / "glossary" / "termbase.tsv"
SEEDS = ROOT / "seeds"
# Approved concepts added for the parliamentary domain that the seeds do not
# name (README, "The shipped termbase"): no context sentence, no source.
NOT_IN_SEEDS = {
    "ovse-minsk-group-co-chairs",
    "schriftelijke-vraag",
    "tweede-kamer",
    "vlaams-parlement",
}
# OCR damage in the seeds; the reader repairs it, so it is never a variant.
OCR_FORMS = ("Armenié", "beéindigen", "repatriéren", "financiéle", "Azerbeidzjan.!")


@pytest.fixture(scope="module")
def termbase() -> Termbase:
    return read_termbase(TERMBASE)


@pytest.fixture(scope="module")
def approved(termbase: Termbase) -> tuple[Concept, ...]:
    return termbase.with_status("approved")


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {Path(d.path).name: d for d in ingest.read_documents([str(SEEDS)])}


@pytest.fixture(scope="module")
def found_in(approved: tuple[Concept, ...], documents: dict[str, Document]) -> dict[str, set[str]]:
    """Seed file name -> ids of the approved concepts the matcher finds in it."""
    matcher = Matcher.build(approved)
    return {
        name: {m.concept_id for s in d.segments for m in matcher.find(s.text, overlapping=True)}
        for name, d in documents.items()
    }


def test_file_is_valid_and_as_the_tool_writes_it(termbase: Termbase) -> None:
    assert serialize_tsv(termbase).encode("utf-8") == TERMBASE.read_bytes()
    assert {c.status for c in termbase} <= {"approved", "rejected"}


def test_at_least_150_approved_concepts(approved: tuple[Concept, ...]) -> None:
    assert len(approved) >= 150


def test_mining_the_seeds_proposes_no_new_recurring_candidate(
    termbase: Termbase, documents: dict[str, Document]
) -> None:
    candidates = mining.mine(
        documents.values(),
        known=Matcher.build(termbase.concepts),
        options=mining.Options(min_freq=2, contexts=0),
    )
    assert len(candidates) > 300  # every recurring candidate, not just a top list
    new = [(c.term, c.frequency) for c in candidates if c.status == "new"]
    assert new == []
    statuses = {c.status for c in candidates}
    assert statuses == {"approved", "rejected"}


def test_every_approved_concept_is_documented(approved: tuple[Concept, ...]) -> None:
    missing = [c.id for c in approved if not c.pos or not (c.definition or c.note)]
    assert missing == []


def test_every_approved_concept_has_a_context_from_its_sources(
    approved: tuple[Concept, ...], found_in: dict[str, set[str]]
) -> None:
    matcher = Matcher.build(approved)
    problems: list[str] = []
    for concept in approved:
        if concept.id in NOT_IN_SEEDS:
            if concept.context or concept.sources:
                problems.append(f"{concept.id}: listed as not in the seeds")
            continue
        if not concept.context or not concept.sources:
            problems.append(f"{concept.id}: no context or no source")
            continue
        in_context = {m.concept_id for m in matcher.find(concept.context, overlapping=True)}
        if concept.id not in in_context:
            problems.append(f"{concept.id}: its term is not in its context")
        for source in concept.sources:
            if source not in found_in:
                problems.append(f"{concept.id}: {source} is not a seed")
            elif concept.id not in found_in[source]:
                problems.append(f"{concept.id}: no term of it in {source}")
    assert problems == []


def test_not_in_seeds_list_is_true(termbase: Termbase, found_in: dict[str, set[str]]) -> None:
    for concept_id in NOT_IN_SEEDS:
        assert termbase.get(concept_id) is not None
        assert not any(concept_id in ids for ids in found_in.values())


def test_no_ocr_forms_among_the_dutch_terms(termbase: Termbase) -> None:
    terms = {t for c in termbase for t in c.nl_terms}
    assert not terms & set(OCR_FORMS)
    damaged = [
        (t, w)
        for t in terms
        for w in re.findall(r"[^\W\d_]+", t)
        if ingest.repair_word(w) is not None
    ]
    assert damaged == []


EXAMPLES = [
    # (Dutch term as the issue names it, English, variants it must have, dnt)
    ("staakt-het-vuren", "ceasefire", (), False),
    ("OVSE", "OSCE", ("Organisatie voor Veiligheid en Samenwerking in Europa",), False),
    ("Oostelijk Partnerschap", "Eastern Partnership", (), False),
    (
        "Minskgroep",
        "OSCE Minsk Group",
        ("Minsk-groep", "Minsk Groep", "OVSE Minsk Groep"),
        False,
    ),
    ("Nagorno-Karabach", "Nagorno-Karabakh", ("Nagorno-Karabakh", "Nagorno Karabagh"), False),
    ("Stepanakert", "Stepanakert", (), True),
    ("Toivo Klaar", "Toivo Klaar", (), True),
    ("Azerbeidzjan", "Azerbaijan", (), False),
    ("minister-president", "Minister-President", (), False),
    (
        "Hoge Vertegenwoordiger",
        "High Representative for Foreign Affairs and Security Policy",
        (),
        False,
    ),
    ("Raad van Europa", "Council of Europe", (), False),
    ("Europese Raad", "European Council", (), False),
    ("Vlaamse Regering", "Flemish Government", (), False),
]


@pytest.mark.parametrize(("nl", "en", "variants", "dnt"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_issues_examples(
    termbase: Termbase, nl: str, en: str, variants: tuple[str, ...], dnt: bool
) -> None:
    concept = find(termbase, nl)
    assert concept.status == "approved"
    assert concept.en == en
    assert set(variants) <= set(concept.nl_variants)
    assert concept.dnt is dnt


DOMAIN_TERMS = [
    "wapenstilstand", "vredesakkoord", "vredestroepen", "krijgsgevangenen", "contactzone",
    "covoorzitters", "Veiligheidsraad", "CSTO", "territoriale integriteit", "zelfbeschikking",
    "Helsinki Akkoorden", "oorlogsmisdaden", "Geneefse Conventie", "kamerbrief", "motie",
    "vaste commissie", "beleidsnota", "schriftelijke vraag",
]  # fmt: skip


@pytest.mark.parametrize("nl", DOMAIN_TERMS)
def test_the_issues_domain_terms_are_approved(termbase: Termbase, nl: str) -> None:
    concept = find(termbase, nl)
    assert concept.status == "approved"
    assert concept.en


@pytest.mark.parametrize(
    "nl", ["conflict", "oplossing", "internationale", "vreedzame", "regio Nagorno-Karabach"]
)
def test_ordinary_words_and_phrases_are_rejected(termbase: Termbase, nl: str) -> None:
    concept = find(termbase, nl)
    assert concept.status == "rejected"
    assert concept.note.startswith("Rejected in the mining review")
