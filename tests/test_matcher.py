"""The source-side matcher (Dutch), its text folding, and the target-side helper (English)."""

from __future__ import annotations

import pytest

from glossary.lang.text import fold_text
from glossary.matching.matcher import Match, Matcher, find_english
from glossary.termbase.model import Concept, make_concept

CONCEPTS = (
    make_concept("staakt-het-vuren", "ceasefire"),
    make_concept("Minskgroep", "Minsk Group", nl_variants=["OVSE Minsk Groep"]),
    make_concept("OVSE", "OSCE", case_sensitive=True),
    make_concept("OP", "EaP", case_sensitive=True, concept_id="op-acronym"),
    make_concept("Oostelijk Partnerschap", "Eastern Partnership"),
    make_concept("territoriale integriteit", "territorial integrity"),
    make_concept("gewapend conflict", "armed conflict"),
    make_concept("conflict", "conflict"),
    make_concept("Hoge Vertegenwoordiger", "High Representative"),
    make_concept(
        "Hoge Vertegenwoordiger voor Buitenlands Beleid",
        "High Representative for Foreign Affairs",
    ),
    make_concept("Raad van Europa", "Council of Europe"),
    make_concept("recht op zelfbeschikking", "right to self-determination"),
    make_concept("zelfbeschikking", "self-determination"),
    make_concept("Armenië", "Armenia"),
    make_concept("vredesakkoord", "peace agreement"),
    make_concept("covoorzitter", "co-chair"),
    make_concept("staat", "state"),
    make_concept("brief", "letter"),
    make_concept("lid", "member"),
    make_concept("veiligheid", "security"),
    make_concept("resolutie", "resolution"),
    make_concept("de-escalatie", "de-escalation"),
    make_concept("coöperatie", "cooperation"),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(CONCEPTS)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.concept_id) for m in matcher.find(text)]


CASES = [
    # (text, expected (surface, concept id) in order)
    ("een staakt-het-vuren", [("staakt-het-vuren", "staakt-het-vuren")]),
    ("Staakt-Het-Vuren!", [("Staakt-Het-Vuren", "staakt-het-vuren")]),
    ("een staakt het vuren", [("staakt het vuren", "staakt-het-vuren")]),
    ("twee staakt-het-vurens", [("staakt-het-vurens", "staakt-het-vuren")]),
    ("een onmiddellijk staakt-\nhet-vuren", [("staakt-\nhet-vuren", "staakt-het-vuren")]),
    ("de Minskgroep", [("Minskgroep", "minskgroep")]),
    ("de Minsk-groep", [("Minsk-groep", "minskgroep")]),
    ("de Minsk Groep", [("Minsk Groep", "minskgroep")]),
    ("de OVSE Minsk Groep", [("OVSE Minsk Groep", "minskgroep")]),
    ("de OVSE-Minskgroep", [("OVSE-Minskgroep", "minskgroep")]),
    ("de Minsk Groep en de rest", [("Minsk Groep", "minskgroep")]),
    ("de OVSE", [("OVSE", "ovse")]),
    ("de ovse", []),
    ("de Ovse", []),
    ("de OVSE's rol", [("OVSE's", "ovse")]),
    ("een OVSE-missie", [("OVSE", "ovse")]),
    ("de OVSEmissie", []),
    ("op het OP", [("OP", "op-acronym")]),
    ("Op het Oostelijk Partnerschap", [("Oostelijk Partnerschap", "oostelijk-partnerschap")]),
    ("het Oostelijke Partnerschap", [("Oostelijke Partnerschap", "oostelijk-partnerschap")]),
    ("de territoriale integriteit", [("territoriale integriteit", "territoriale-integriteit")]),
    ("gewapende conflicten", [("gewapende conflicten", "gewapend-conflict")]),
    ("een gewapend conflict", [("gewapend conflict", "gewapend-conflict")]),
    ("het conflict", [("conflict", "conflict")]),
    ("de conflicten", [("conflicten", "conflict")]),
    ("conflictpreventie", []),
    ("een zelfbeschikkingsrecht", []),
    ("de Hoge Vertegenwoordiger", [("Hoge Vertegenwoordiger", "hoge-vertegenwoordiger")]),
    (
        "de Hoge Vertegenwoordiger voor Buitenlands Beleid",
        [
            (
                "Hoge Vertegenwoordiger voor Buitenlands Beleid",
                "hoge-vertegenwoordiger-voor-buitenlands-beleid",
            )
        ],
    ),
    ("de Hoge Vertegenwoordigers", [("Hoge Vertegenwoordigers", "hoge-vertegenwoordiger")]),
    ("de Raad van Europa", [("Raad van Europa", "raad-van-europa")]),
    ("de Raad. Van Europa", []),
    ("het recht op zelfbeschikking", [("recht op zelfbeschikking", "recht-op-zelfbeschikking")]),
    ("rechten op zelfbeschikking", [("rechten op zelfbeschikking", "recht-op-zelfbeschikking")]),
    ("zelfbeschikking van volkeren", [("zelfbeschikking", "zelfbeschikking")]),
    ("in Armenië", [("Armenië", "armenie")]),
    ("in Armenie", [("Armenie", "armenie")]),
    ("in Armenié", [("Armenié", "armenie")]),
    ("in Armenie\u0308 en", [("Armenie\u0308", "armenie")]),
    ("Armeniës grens", [("Armeniës", "armenie")]),
    ("Armenië en Azerbeidzjan", [("Armenië", "armenie")]),
    ("twee vredesakkoorden", [("vredesakkoorden", "vredesakkoord")]),
    ("de covoorzitters", [("covoorzitters", "covoorzitter")]),
    ("de staten", [("staten", "staat")]),
    ("de brieven", [("brieven", "brief")]),
    ("de leden", [("leden", "lid")]),
    ("veiligheden", [("veiligheden", "veiligheid")]),
    ("resoluties", [("resoluties", "resolutie")]),
    ("de-escalatie", [("de-escalatie", "de-escalatie")]),
    # An article and a space: "the escalation", not the term "de-escalatie".
    ("de escalatie", []),  # no escalatie concept in this matcher
    ("Deëscalatie", [("Deëscalatie", "de-escalatie")]),
    ("coöperatie en cooperatie", [("coöperatie", "cooperatie"), ("cooperatie", "cooperatie")]),
    ("lidstaat", []),
    ("brief, staat", [("brief", "brief"), ("staat", "staat")]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_matching_cases(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


def test_offsets_point_into_the_original_text(matcher: Matcher) -> None:
    text = "Straße: de OVSE Minsk-groep\u00a0en\u2011 Armenie\u0308, staakt\u2013het\u2013vuren."
    matches = matcher.find(text)
    assert [m.concept_id for m in matches] == ["minskgroep", "armenie", "staakt-het-vuren"]
    for m in matches:
        assert text[m.start : m.end] == m.surface


def test_match_records_term_and_inflection(matcher: Matcher) -> None:
    exact, inflected = matcher.find("de OVSE Minsk Groep en de Minskgroepen")
    assert exact == Match("minskgroep", 3, 19, "OVSE Minsk Groep", "OVSE Minsk Groep", False)
    assert (inflected.term, inflected.inflected) == ("Minskgroep", True)


def test_longest_match_wins_and_matches_never_overlap() -> None:
    m = Matcher.build(
        [
            make_concept("Hoge Vertegenwoordiger", "High Representative"),
            make_concept("Vertegenwoordiger voor Buitenlands Beleid", "x"),
            make_concept("Buitenlands Beleid", "foreign policy"),
        ]
    )
    result = m.find("de Hoge Vertegenwoordiger voor Buitenlands Beleid en Buitenlands Beleid")
    assert [x.surface for x in result] == [
        "Vertegenwoordiger voor Buitenlands Beleid",
        "Buitenlands Beleid",
    ]


def test_exact_term_beats_another_concepts_inflected_form() -> None:
    m = Matcher.build([make_concept("staat", "state"), make_concept("staten", "States")])
    assert [x.concept_id for x in m.find("staten")] == ["staten"]


def test_inflection_can_be_switched_off() -> None:
    m = Matcher.build([make_concept("conflict", "conflict")], inflect=False)
    assert [x.surface for x in m.find("conflict conflicten")] == ["conflict"]


def test_len_and_empty_matcher() -> None:
    assert len(Matcher.build(CONCEPTS)) == len(CONCEPTS)
    empty = Matcher.build([])
    assert len(empty) == 0 and empty.find("staakt-het-vuren") == []
    assert Matcher.build([Concept(id="x", nl="-", en="x")]).find("a - b") == []


def test_fold_text_keeps_offsets() -> None:
    folded, positions = fold_text("Armenië – OVSE\nMinsk")
    assert positions is None and folded == "armenie | ovse minsk"
    folded, positions = fold_text("Straße")
    assert folded == "strasse" and positions == [0, 1, 2, 3, 4, 4, 5, 6]


ENGLISH = [
    ("A ceasefire was agreed.", "ceasefire", ["ceasefire"]),
    ("Two ceasefires held.", "ceasefire", ["ceasefires"]),
    ("CEASEFIRE now", "ceasefire", ["CEASEFIRE"]),
    ("the Minsk Group's chairs", "Minsk Group", ["Minsk Group's"]),
    ("the Minsk Group’s chairs", "Minsk Group", ["Minsk Group’s"]),
    ("the Minsk-Group and Minsk\nGroup", "Minsk Group", ["Minsk-Group", "Minsk\nGroup"]),
    ("the Minsk Groups", "Minsk Group", ["Minsk Groups"]),
    ("ceasefireless", "ceasefire", []),
    ("preceasefire", "ceasefire", []),
    ("policies and a policy", "policy", ["policies", "policy"]),
    ("the OSCE and OSCE's role", "OSCE", ["OSCE", "OSCE's"]),
    ("one co-chair, two co-chairs", "co-chair", ["co-chair", "co-chairs"]),
    ("peace talks and a peace talk", "peace talks", ["peace talks", "peace talk"]),
    ("", "ceasefire", []),
]


@pytest.mark.parametrize(("text", "term", "expected"), ENGLISH, ids=[c[0] for c in ENGLISH])
def test_find_english(text: str, term: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_english(text, term)] == expected


def test_overlapping_finds_every_occurrence() -> None:
    m = Matcher.build(
        [
            make_concept("Hoge Vertegenwoordiger", "High Representative"),
            make_concept("Hoge Vertegenwoordiger voor Buitenlands Beleid", "HR/VP"),
            make_concept("Buitenlands Beleid", "foreign policy"),
        ]
    )
    text = "de Hoge Vertegenwoordiger voor Buitenlands Beleid"
    assert [x.surface for x in m.find(text, overlapping=True)] == [
        "Hoge Vertegenwoordiger voor Buitenlands Beleid",
        "Hoge Vertegenwoordiger",
        "Buitenlands Beleid",
    ]
    assert len(m.find(text)) == 1
