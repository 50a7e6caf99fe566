"""Term mining: candidates, variant grouping, scoring, statuses, contexts, seeds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from glossary.document import Document
from glossary.engines.base import Capabilities, Hypothesis, Link, Request
from glossary.errors import InvalidValue
from glossary.lang import nl
from glossary.matching.matcher import Matcher
from glossary.mining.candidates import Candidate, Options, clauses, count, mine, suggest
from glossary.reading import ingest
from glossary.termbase.model import make_concept

ROOT = Path(__file__).resolve().parent.parent


def doc(text: str, name: str = "doc.txt") -> Document:
    return ingest.read_document(name, text=text)


def forms_counted(text: str) -> set[str]:
    counts, _ = count([doc(text)])
    return set(counts.surfaces)


def by_term(candidates: Sequence[Candidate], term: str) -> Candidate:
    for candidate in candidates:
        if term in candidate.forms:
            return candidate
    raise AssertionError(f"{term!r} not among {[c.term for c in candidates][:50]}")


CANDIDATE_CASES = [
    # (text, forms that must be candidates, forms that must not)
    (
        "Wij steunen de territoriale integriteit van staten.",
        {"territoriale integriteit", "territoriale integriteit van staten", "staten"},
        {"de territoriale integriteit", "integriteit van", "Wij", "steunen de"},
    ),
    (
        "Het recht op zelfbeschikking van volkeren.",
        {"recht op zelfbeschikking", "zelfbeschikking"},
        {"Het recht", "op zelfbeschikking"},
    ),
    (
        "De covoorzitters van de Minsk Groep spraken.",
        {"covoorzitters van de Minsk Groep", "Minsk Groep"},
        {"van de Minsk"},
    ),
    ("Armenië en Azerbeidzjan vochten.", {"Armenië", "Azerbeidzjan"}, {"Armenië en Azerbeidzjan"}),
    ("Een gesprek in de Raad. Europa wacht.", {"Raad", "Europa"}, {"Raad Europa"}),
    (
        "Er waren gevechten, burgerslachtoffers vielen.",
        {"gevechten"},
        {"gevechten burgerslachtoffers"},
    ),
    ("Zij vroegen een staakt-het-vuren.", {"staakt-het-vuren"}, {"staakt", "vuren"}),
    ("Een OVSE-missie vertrok.", {"OVSE-missie"}, {"OVSE"}),
    ("Een Turkse F16 en code 3b5583fd4 hier.", {"Turkse F16"}, {"3b5583fd4", "code 3b5583fd4"}),
    (
        "Zie https://www.unhcr.org/publications/refugeemag voor meer.",
        set(),
        {"www", "unhcr", "org"},
    ),
    ("In 1994 kwam de wapenstilstand 1994 vredesakkoord.", {"wapenstilstand"}, {"1994"}),
]


@pytest.mark.parametrize(
    ("text", "present", "absent"), CANDIDATE_CASES, ids=[c[0][:40] for c in CANDIDATE_CASES]
)
def test_candidate_boundaries(text: str, present: set[str], absent: set[str]) -> None:
    found = forms_counted(text)
    assert present <= found
    assert not (absent & found)


def test_clauses_mark_sentence_starts() -> None:
    assert clauses("Dit is een test. De Raad, van Europa (OVSE)") == [
        (["Dit", "is", "een", "test"], True),
        (["De", "Raad"], True),
        (["van", "Europa"], False),
        (["OVSE"], False),
    ]


GROUP_CASES = [
    # (text, canonical form expected, forms grouped with it)
    (
        "De Minskgroep, de Minsk-groep en de Minsk Groep. De OVSE Minsk Groep. "
        "De OSCE Minsk Group. De Minsk Group. De OVSE-groep van Minsk.",
        "Minsk Groep",
        {
            "Minskgroep",
            "Minsk-groep",
            "OVSE Minsk Groep",
            "OSCE Minsk Group",
            "Minsk Group",
            "OVSE-groep van Minsk",
        },
    ),
    (
        "Eén vredesakkoord. Twee vredesakkoorden. Het vredesakkoord.",
        "vredesakkoord",
        {"vredesakkoorden"},
    ),
    (
        "Een gewapend conflict. Gewapende conflicten. Het gewapend conflict.",
        "gewapend conflict",
        {"Gewapende conflicten"},
    ),
    (
        "De krijgsgevangenen. Een krijgsgevangene. De krijgsgevangenen.",
        "krijgsgevangenen",
        {"krijgsgevangene"},
    ),
    (
        "In Nagorno-Karabach. In Nagorno-Karabakh. In Nagorno Karabagh. In Nagorno-Karabach.",
        "Nagorno-Karabach",
        {"Nagorno-Karabakh", "Nagorno Karabagh"},
    ),
    (
        "De Hoge Vertegenwoordiger. De hoge vertegenwoordiger.",
        "Hoge Vertegenwoordiger",
        {"hoge vertegenwoordiger"},
    ),
    ("Armenië en Armenie en Armenië.", "Armenië", {"Armenie"}),
]


@pytest.mark.parametrize(
    ("text", "canonical", "grouped"), GROUP_CASES, ids=[c[1] for c in GROUP_CASES]
)
def test_variants_are_grouped(text: str, canonical: str, grouped: set[str]) -> None:
    candidate = by_term(mine([doc(text)]), canonical)
    assert candidate.term == canonical
    assert grouped <= set(candidate.forms)
    assert candidate.frequency == sum(v.count for v in candidate.variants)


def test_lemmatiser_mistakes_do_not_merge_words() -> None:
    # simplemma: krijgsgevangenen -> "krijg_vangen", gewapende -> "wapenen".
    candidates = mine([doc("De krijgsgevangenen en de vangen. Gewapende mannen wapenen zich.")])
    assert "vangen" not in by_term(candidates, "krijgsgevangenen").forms
    assert "wapenen" not in by_term(candidates, "Gewapende mannen").forms


def test_acronym_with_its_expansion() -> None:
    text = (
        "De Organisatie voor Veiligheid en Samenwerking in Europa (OVSE) bemiddelt. "
        "De OVSE is actief. De OVSE's rol groeit. Organisatie voor Veiligheid en "
        "Samenwerking in Europa blijft."
    )
    candidate = by_term(mine([doc(text)]), "OVSE")
    assert candidate.kind == "acronym"
    assert candidate.expansion == "Organisatie voor Veiligheid en Samenwerking in Europa"
    assert {"OVSE's", candidate.expansion} <= set(candidate.forms)


def test_nested_candidates_are_each_judged() -> None:
    text = (
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid sprak. "
        "De Hoge Vertegenwoordiger reisde. De Hoge Vertegenwoordiger schreef. "
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid antwoordde."
    )
    candidates = mine([doc(text)])
    short = by_term(candidates, "Hoge Vertegenwoordiger")
    long = by_term(candidates, "Hoge Vertegenwoordiger voor Buitenlands Beleid")
    assert (short.frequency, long.frequency) == (4, 2)
    assert short.score > 0 and long.score > 0


def test_clauses_keep_a_name_around_an_acronym_gloss() -> None:
    assert clauses("de OVSE-groep (OSCE) van Minsk, voorgezeten door Frankrijk") == [
        (["de", "OVSE-groep", "van", "Minsk"], True),
        (["voorgezeten", "door", "Frankrijk"], False),
        (["OSCE"], False),
    ]
    # Not a gloss inside a name: the acronym ends the expansion before a verb.
    assert clauses("De Organisatie voor Europa (OVE) werkt")[1:] == [
        (["OVE"], False),
        (["werkt"], False),
    ]


def test_a_form_inside_another_form_of_its_group_is_counted_once() -> None:
    # "OVSE Minsk Groep" also holds a "Minsk Groep"; "EU lidstaten steunen"
    # holds "lidstaten steunen": one occurrence each, not two.
    text = "De OVSE Minsk Groep vergaderde. De Minsk Groep sprak. Alle EU lidstaten steunen dit."
    candidates = mine([doc(text)])
    minsk = by_term(candidates, "Minsk Groep")
    assert {v.form: v.count for v in minsk.variants} == {"Minsk Groep": 1, "OVSE Minsk Groep": 1}
    assert minsk.frequency == 2
    steunen = by_term(candidates, "EU lidstaten steunen")
    assert steunen.frequency == 1 and steunen.forms == ("EU lidstaten steunen",)


def test_x_van_y_is_the_compound_yx_only_for_compounds_and_names() -> None:
    text = (
        "De groep van Minsk. De Minskgroep. Het gebied waarvan Azerbeidzjan deel uitmaakt. "
        "Het deel van Azerbeidzjan."
    )
    candidates = mine([doc(text)])
    assert "groep van Minsk" in by_term(candidates, "Minskgroep").forms
    assert "deel van Azerbeidzjan" not in by_term(candidates, "Azerbeidzjan deel").forms


NESTED_CASES = [
    # (text, termbase concepts as (nl, variants, status), not proposed, still proposed)
    (
        "De Organisatie voor Veiligheid en Samenwerking in Europa (OVSE) bemiddelt. "
        "De Organisatie voor Veiligheid en Samenwerking in Europa is actief.",
        [],
        {"Organisatie voor Veiligheid", "Samenwerking in Europa"},
        {"OVSE"},
    ),
    (
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid sprak. "
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid schreef.",
        [],
        {"Vertegenwoordiger voor Buitenlands", "Buitenlands Beleid"},
        {"Hoge Vertegenwoordiger voor Buitenlands Beleid"},
    ),
    # One word is a unit of its own: never dropped for a longer candidate.
    (
        "Een volledige springproef duurt lang. Een volledige springproef is zwaar.",
        [],
        set(),
        {"springproef", "volledige springproef"},
    ),
    # A longer candidate seen once does not swallow a recurring one.
    (
        "De Turkse luchtmacht vloog. De Turkse luchtmacht landde nooit meer.",
        [],
        set(),
        {"Turkse luchtmacht"},
    ),
    (
        "Volgens het Armeense Ministerie van Defensie vloog een Turkse F16 neergeschoten. "
        "Het Armeense Ministerie van Buitenlandse Zaken sprak. Turkse F-16 straaljagers vlogen.",
        [
            ("Ministerie van Defensie", (), "approved"),
            ("Ministerie van Buitenlandse Zaken", (), "approved"),
            ("Turks", ("Turkse",), "approved"),
            ("F-16", ("F16",), "approved"),
            ("straaljager", (), "approved"),
        ],
        {"Armeense Ministerie", "Turkse F16"},
        set(),
    ),
    (
        "De Minsk Groep vergaderde. De OVSE Minsk Groep en de Minsk-groep spraken in Minsk.",
        [("Minskgroep", ("Minsk Groep", "OVSE Minsk Groep"), "approved")],
        set(),
        {"Minsk Groep", "Minsk"},
    ),
    (
        "De Minsk Groep vergaderde. De OVSE Minsk Groep en de Minsk-groep spraken.",
        [("Minskgroep", ("Minsk Groep", "OVSE Minsk Groep"), "approved")],
        {"Minsk", "OVSE Minsk"},
        {"Minsk Groep"},
    ),
    # Rejected concepts are not terms: they account for nothing.
    (
        "De Armeense regering sprak. De Armeense regering zweeg.",
        [("Armeense regering", (), "rejected")],
        set(),
        {"regering", "Armeense regering"},
    ),
]


@pytest.mark.parametrize(
    ("text", "concepts", "absent", "present"),
    NESTED_CASES,
    ids=[
        "expansion",
        "nested-name",
        "single-word",
        "hapax-holder",
        "known-cut-and-tiled",
        "known-free-occurrence",
        "known-inside",
        "rejected",
    ],
)
def test_candidates_without_own_occurrences_are_not_proposed(
    text: str, concepts: list[tuple[str, tuple[str, ...], str]], absent: set[str], present: set[str]
) -> None:
    known = (
        Matcher.build(
            [
                make_concept(
                    nl, nl if status == "approved" else "", nl_variants=variants, status=status
                )
                for nl, variants, status in concepts
            ]
        )
        if concepts
        else None
    )
    forms = {f for c in mine([doc(text)], known=known) for f in c.forms}
    assert not absent & forms
    assert present <= forms


def test_known_term_candidates_keep_their_status_when_nested() -> None:
    # Every "Hoge Vertegenwoordiger" is inside a longer known term, but it is
    # itself a known term, so it stays and shows its concept.
    known = Matcher.build(
        [
            make_concept("Hoge Vertegenwoordiger", "High Representative"),
            make_concept("Hoge Vertegenwoordiger voor Buitenlands Beleid", "HR/VP"),
        ]
    )
    text = (
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid sprak. "
        "De Hoge Vertegenwoordiger voor Buitenlands Beleid schreef."
    )
    candidate = by_term(mine([doc(text)], known=known), "Hoge Vertegenwoordiger")
    assert (candidate.status, candidate.concept_id) == ("approved", "hoge-vertegenwoordiger")


def test_domain_terms_outrank_ordinary_words() -> None:
    text = " ".join(
        f"In het jaar {n} vroeg de regering om een staakt-het-vuren en een vredesakkoord."
        for n in range(5)
    )
    ranked = [c.term for c in mine([doc(text)])]
    assert ranked.index("staakt-het-vuren") < ranked.index("jaar")
    assert ranked.index("vredesakkoord") < ranked.index("regering")


def test_document_frequency_and_spread() -> None:
    docs = [doc(f"Het vredesakkoord werd besproken. Tekst {n}.", f"d{n}.txt") for n in range(3)]
    docs.append(
        doc(
            "Het wapenbestand werd besproken. Het wapenbestand werd besproken. "
            "Het wapenbestand werd besproken.",
            "x.txt",
        )
    )
    candidates = mine(docs)
    assert by_term(candidates, "vredesakkoord").doc_frequency == 3
    assert by_term(candidates, "wapenbestand").doc_frequency == 1
    ranked = [c.term for c in candidates]
    assert ranked.index("vredesakkoord") < ranked.index("wapenbestand")


def test_status_from_the_termbase_and_contexts() -> None:
    known = Matcher.build(
        [
            make_concept("staakt-het-vuren", "ceasefire"),
            make_concept("vredesakkoord", "", status="proposed"),
            make_concept("wapenstilstand", "", status="rejected"),
        ]
    )
    text = (
        "Een staakt-het-vuren werd gevraagd.\n\nHet vredesakkoord kwam er.\n\n"
        "De wapenstilstand hield. Een staakt het vuren. Het nieuwe verdrag."
    )
    candidates = mine([doc(text, "brief.txt")], known=known)
    assert by_term(candidates, "staakt-het-vuren").status == "approved"
    assert by_term(candidates, "staakt-het-vuren").concept_id == "staakt-het-vuren"
    assert by_term(candidates, "vredesakkoord").status == "proposed"
    assert by_term(candidates, "wapenstilstand").status == "rejected"
    assert by_term(candidates, "verdrag").status == "new"
    contexts = by_term(candidates, "staakt-het-vuren").contexts
    assert [c.ref for c in contexts] == ["brief.txt:1", "brief.txt:5"]
    assert contexts[0].text == "Een staakt-het-vuren werd gevraagd."


def test_options_top_min_freq_and_errors() -> None:
    text = "Het vredesakkoord. Het vredesakkoord. De wapenstilstand."
    assert [c.term for c in mine([doc(text)], options=Options(min_freq=2))] == ["vredesakkoord"]
    assert len(mine([doc(text)], options=Options(top=1))) == 1
    with pytest.raises(InvalidValue, match="min-freq"):
        mine([doc(text)], options=Options(min_freq=0))
    with pytest.raises(InvalidValue, match="top"):
        mine([doc(text)], options=Options(top=0))
    assert mine([]) == []


def test_json_dict_schema() -> None:
    candidate = mine([doc("Het vredesakkoord. Het vredesakkoord.")])[0]
    data = candidate.to_dict()
    assert list(data) == [
        "term",
        "kind",
        "score",
        "frequency",
        "doc_frequency",
        "variants",
        "expansion",
        "status",
        "concept_id",
        "contexts",
        "suggestions",
    ]
    assert data["variants"] == [{"form": "vredesakkoord", "count": 2}]


class FakeEngine:
    """Alone: title case. With alignment: upper case, each word linked to itself."""

    signature = "engine:fake"
    capabilities = Capabilities(alignment=True)

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        self.requests.extend(requests)
        out = []
        for request in requests:
            if not request.alignment:
                out.append([Hypothesis(request.source.title(), -0.1)])
                continue
            links = tuple(
                Link(m.start(), m.end(), m.start(), m.end(), 1.0)
                for m in re.finditer(r"\S+", request.source)
            )
            out.append([Hypothesis(request.source.upper(), -0.1, links)])
        return out


def test_machine_suggestions_alone_and_in_context() -> None:
    known = Matcher.build([make_concept("vredesakkoord", "peace agreement")])
    candidates = mine(
        [doc("Het vredesakkoord werd getekend. Het wapenbestand hield stand.")], known=known
    )
    engine = FakeEngine()
    suggested = suggest(candidates, engine)
    fresh = by_term(suggested, "wapenbestand")
    assert [(s.text, s.source, s.engine) for s in fresh.suggestions] == [
        ("Wapenbestand", "term", "engine:fake"),
        ("WAPENBESTAND", "context", "engine:fake"),
    ]
    assert by_term(suggested, "vredesakkoord").suggestions == ()  # approved: not asked
    assert "vredesakkoord" not in {r.source for r in engine.requests}
    assert fresh.to_dict()["suggestions"][0] == {
        "text": "Wapenbestand",
        "source": "term",
        "engine": "engine:fake",
        "machine": True,
    }
    assert suggest([], engine) == []


def test_an_engine_without_alignment_suggests_the_whole_context() -> None:
    candidates = mine([doc("Het wapenbestand hield stand. Het wapenbestand hield.")])
    engine = FakeEngine()
    engine.capabilities = Capabilities()  # no alignment: the engine is not asked for one
    fresh = by_term(suggest(candidates, engine), "wapenbestand")
    assert not any(r.alignment for r in engine.requests)
    assert [(s.text, s.source) for s in fresh.suggestions] == [
        ("Wapenbestand", "term"),
        ("Het Wapenbestand Hield Stand.", "context"),
    ]


# ------------------------------------------------------------------ seeds (done-when)


@pytest.fixture(scope="module")
def seed_candidates() -> list[Candidate]:
    documents = list(ingest.read_documents([str(ROOT / "seeds")]))
    return mine(documents, options=Options(min_freq=2, top=100, contexts=0))


@pytest.mark.parametrize("term", ["Minsk Groep", "staakt-het-vuren", "Oostelijk Partnerschap"])
def test_seeds_top_20(seed_candidates: list[Candidate], term: str) -> None:
    top = [c.term for c in seed_candidates[:20]]
    assert term in top, top


def test_seeds_minsk_group_is_one_candidate(seed_candidates: list[Candidate]) -> None:
    minsk = by_term(seed_candidates, "Minsk Groep")
    assert {
        "Minskgroep",
        "Minsk-groep",
        "Minsk Groep",
        "OVSE Minsk Groep",
        "Minsk Group",
        "OSCE Minsk Group",
        "OVSE-groep van Minsk",
    } <= set(minsk.forms)
    others = [c for c in seed_candidates if c is not minsk]
    assert not any(f.replace(" ", "").lower() == "minskgroep" for c in others for f in c.forms)


@pytest.mark.parametrize(
    "term",
    [
        "territoriale integriteit",
        "zelfbeschikking",
        "vredesakkoord",
        "covoorzitters",
        "Hoge Vertegenwoordiger",
        "Raad van Europa",
        "OVSE",
        "wapenstilstand",
        "internationale gemeenschap",
    ],
)
def test_seeds_top_100_domain_terms(seed_candidates: list[Candidate], term: str) -> None:
    assert term in [c.term for c in seed_candidates]


def test_seeds_top_100_has_few_ordinary_words(seed_candidates: list[Candidate]) -> None:
    ordinary = [c.term for c in seed_candidates if c.kind == "word" and nl.zipf(c.term) >= 5.0]
    assert len(ordinary) <= 10, ordinary
