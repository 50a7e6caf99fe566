"""Reading documents (glossary.reading.ingest): clean-up of PDF-extracted text.

The table of cases is taken from the five seed documents; the whole-seed
tests check properties that must hold everywhere in them (no sentence split
inside an abbreviation, no line-wrapped word left, offsets that point back
to the right place, no text lost or duplicated).
"""

from __future__ import annotations

import io
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from conftest import SEEDS
from glossary.document import Document, Segment
from glossary.errors import InputError
from glossary.reading import ingest
from glossary.reading.ingest import (
    FOOTNOTE_MARKER,
    HYPHEN_ELISION,
    HYPHEN_JOINED,
    HYPHEN_KEPT,
    OCR_DIACRITIC,
    PAGE_JOIN,
    read_document,
    read_documents,
    repair_word,
)
from glossary.reading.segment import ABBREVIATIONS
from glossary.reading.sources import gather

SEED = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
_DOCS: dict[str, Document] = {}


def seed_doc(key: str) -> Document:
    if key not in _DOCS:
        _DOCS[key] = read_document(str(SEED[key]))
    return _DOCS[key]


def segments_with(doc: Document, text: str) -> list[Segment]:
    return [s for s in doc.segments if text in s.text]


def fold(text: str) -> str:
    """Letters only, accents stripped, lower case: what must survive reading."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isalpha()).lower()


# --------------------------------------------------------------- seed cases

# (id, seed, text that must be (part of) exactly one segment, its kind, whole segment?)
SEED_CASES = [
    # title lines and headings
    (
        "title-000",
        "000",
        "Spanningen in Nagorno-Karabach - Diplomatieke initiatieven",
        "heading",
        True,
    ),
    (
        "title-003",
        "003",
        "Achtergrondinformatie over de gevechten in Nagorno-Karabakh",
        "heading",
        True,
    ),
    (
        "title-004-ocr",
        "004",
        "Betreft verzoek tot kamerbrief over het conflict tussen Azerbeidzjan en Armenië",
        "heading",
        True,
    ),
    ("heading-antwoord", "001", "ANTWOORD", "heading", True),
    ("heading-with-period", "003", "Weloverwogen aanval.", "heading", True),
    ("heading-glued-indented", "003", "Turkije neemt actief deel aan deze oorlog", "heading", True),
    (
        "heading-two-lines",
        "003",
        "Deze aanval wil Nagorno-Karabakh overmeesteren en de bevolking verwijderen",
        "heading",
        True,
    ),
    (
        "heading-two-lines-b",
        "003",
        "Er grijpen oorlogsmisdaden en andere inbreuken op de rechten van de mens plaats",
        "heading",
        True,
    ),
    # numbered questions and answers
    (
        "item-question",
        "000",
        "1. Wat is de reactive van de minister-president op de militaire agressie van "
        "Azerbeidzjan?",
        "item",
        True,
    ),
    (
        "item-glued-after-question",
        "000",
        "1. De betrekkingen tussen de twee voormalige Sovjetnaties zijn gespannen",
        "item",
        False,
    ),
    (
        "item-after-antwoord",
        "001",
        "1. De vijandigheden die plaatsvonden op 13 en 14 september zijn uiteraard ten zeerste "
        "te betreuren.",
        "item",
        True,
    ),
    ("item-two-questions", "001", "Hebben die onderhandelingen een kans van slagen?", "item", True),
    (
        "item-after-page-break",
        "002",
        "3. Hoe zijn de relaties tussen Vlaanderen en beide landen in dit conflict?",
        "item",
        True,
    ),
    ("item-indented-answer", "002", "1. Zoals u aangeeft in uw inleiding", "item", False),
    # line-end hyphens
    (
        "hyphen-kept-name",
        "000",
        "De geschiedenis van oorlog in en over Nagorno-Karabach is er een van meer dan "
        "30.000 doden.",
        "text",
        True,
    ),
    (
        "hyphen-kept-compound",
        "000",
        "riep op tot een onmiddellijk staakt-het-vuren en het begin van besprekingen",
        "text",
        False,
    ),
    (
        "hyphen-kept-name-footnote",
        "000",
        "conflict tussen Azerbeidzjan en Armenië over Nagorno-Karabach aan te moedigen.",
        "footnote",
        False,
    ),
    (
        "hyphen-kept-vowel-clash-english",
        "002",
        "via de Organization for Security and Co-operation in Europe (OSCE) Minsk Group.",
        "item",
        False,
    ),
    (
        "hyphen-kept-name-004",
        "004",
        "Er is nog geen definitieve oplossing voor de toekomst van Nagorno-Karabach.",
        "text",
        True,
    ),
    ("hyphen-kept-people-to-people", "004", "people-to-people contacten", "footnote", False),
    ("hyphen-kept-prefix-non", "004", "non-gouvernementele organisaties", "text", False),
    (
        "hyphen-kept-name-compound",
        "004",
        "gewijd aan de tweede Karabach-oorlog in Azerbeidzjan.",
        "text",
        False,
    ),
    (
        "url-hyphen-kept",
        "004",
        "https://www.unhcr.org/publications/refugeemag/3b5583fd4/unhcr-publication-cis-conference-"
        "displacement-cis-conflicts-caucasus.htm",
        "footnote",
        False,
    ),
    (
        "url-two-lines",
        "004",
        "https://www.consilium.europa.eu/nl/press/press-releases/2020/11/19/nagorno-karabakh-"
        "declaration-by-the-high-representative-on-behalf-of-the-european-union/",
        "footnote",
        False,
    ),
    # elisions and dashes that are not line-end hyphens
    ("elision-olie-en", "000", "ligt dicht bij de olie- en gaspijpleidingen", "text", False),
    (
        "elision-transport-en",
        "004",
        "het openen van transport- en communicatiekanalen.",
        "footnote",
        False,
    ),
    (
        "elision-eu-en",
        "004",
        "Dit sluit volledig aan bij het huidige EU- en Nederlandse beleid.",
        "text",
        True,
    ),
    (
        "dash-with-space",
        "003",
        "djihadisten huurlingen - meer dan 1000- vanuit Syrië",
        "text",
        False,
    ),
    # paragraphs cut by a page break, footnotes and page furniture
    (
        "page-join-plain",
        "000",
        "De drie landen roepen de strijdende partijen op om te onderhandelen over een duurzame "
        "oplossing van het conflict.",
        "text",
        True,
    ),
    (
        "page-join-over-footnote",
        "004",
        "In 1993 nam de VN Veiligheidsraad vier resoluties aan over dit conflict.",
        "text",
        True,
    ),
    (
        "page-join-after-abbreviation",
        "004",
        "Dit EU-beleid ten aanzien van het conflict is o.a. uiteengezet in de verklaring van Hoge "
        "Vertegenwoordiger Borrell van 19 november 2020.",
        "text",
        True,
    ),
    (
        "page-join-indented-after-url",
        "004",
        "In deze rapporten worden zowel Azerbeidzjan als Armenië beschuldigd van mogelijke "
        "oorlogsmisdaden.",
        "text",
        True,
    ),
    (
        "indented-continuation",
        "003",
        "Amnesty International klaagt het systematisch gebruik aan van clusterbommen",
        "text",
        False,
    ),
    # footnotes and furniture kept out of the running text
    ("footnote-1", "004", "1 Publicatie UNHCR 1996,", "footnote", False),
    ("footnote-2", "004", "2 Resoluties 882, 853, 874 en 884", "footnote", True),
    (
        "footnote-3",
        "004",
        "3 Verklaring: https://www.osce.org/minsk-group/483416;",
        "footnote",
        True,
    ),
    (
        "footnote-3-continued",
        "004",
        "In deze Minsk Groep verklaring wordt met voldoening gesproken",
        "footnote",
        False,
    ),
    ("footnote-4", "004", "4 Motie 21 501-20, Nr. 1630", "footnote", True),
    ("footnote-6-last-line", "004", "6 Motie 33570 V, nr. 42", "footnote", True),
    (
        "footnote-asterisk",
        "000",
        "*De OVSE-groep van Minsk is in 1992 opgericht",
        "footnote",
        False,
    ),
    ("furniture", "004", "Onze Referentie STPS5HHCFWEY-7-88383", "furniture", True),
    # footnote reference markers removed from the running text
    (
        "marker-exclamation",
        "004",
        "waaronder ruim 680.000 mensen die zich noodgedwongen elders vestigden in Azerbeidzjan.",
        "text",
        False,
    ),
    (
        "marker-digit",
        "004",
        "Sinds 1995 wordt de OVSE Minsk Groep geleid door de drie covoorzitters: de VS, Rusland en "
        "Frankrijk.",
        "text",
        True,
    ),
    (
        "marker-digit-after-year",
        "004",
        "uit de trilaterale verklaring van november 2020.",
        "text",
        False,
    ),
    (
        "marker-hash-after-abbreviation",
        "004",
        "in motie Van der Graaf c.s. zich uitgesproken",
        "text",
        False,
    ),
    ("marker-registered", "004", "ook conform motie Ploumen.", "text", False),
    (
        "marker-ampersand",
        "004",
        "verklaring tussen Armenië, Azerbeidzjan en Rusland",
        "text",
        False,
    ),
    ("marker-euro", "004", "overdroeg aan Armenië, en Armenië ontmijningskaarten", "text", False),
    (
        "marker-asterisk",
        "000",
        "De Minskgroep van de Organisatie voor Veiligheid en Samenwerking in Europa (OVSE)",
        "text",
        False,
    ),
    # OCR diacritics
    ("ocr-beeindigen", "004", "te bevriezen of te beëindigen, zolang er geen", "text", False),
    ("ocr-financiele", "004", "hoe meer er qua financiële en inhoudelijke steun", "text", False),
    ("ocr-repatrieren", "004", "in vrijheid te stellen en te repatriëren.", "text", False),
    ("correct-diaeresis-kept", "000", "duizenden mensenlevens geëist tot de", "text", False),
    ("correct-acute-kept", "003", "beschoten vanaf dag één.", "text", False),
    # abbreviations, numbers and dates inside sentences
    ("abbr-o.a.", "004", "voor o.a. internationale humanitaire organisaties", "footnote", False),
    ("abbr-m.n.", "004", "binnen m.n. EU en OVSE actief participeren", "text", False),
    ("abbr-bijv.", "004", "maar bijv. ook met familieleden", "text", False),
    (
        "abbr-m.b.t.",
        "002",
        "wat zijn de belangrijke feiten m.b.t. het recente conflict?",
        "item",
        False,
    ),
    ("abbr-nr.", "004", "(21501-02, nr. 2228) pleiten voor internationaal", "text", False),
    ("decimal", "004", "een bedrag van 16.9 miljoen Euro beschikbaar gesteld", "text", False),
    (
        "date",
        "001",
        "Op 13 en 14 september 2022 vond een grootschalige Azerbeidzjaanse inval op het "
        "grondgebied van Armenië plaats.",
        "text",
        True,
    ),
    ("year-range", "002", "In de beleidsnota 2019-2024 Buitenlands Beleid", "text", False),
    ("thousands", "003", "Het gaat om ruim 75.000 mensen.", "text", True),
    # quotes and brackets
    (
        "closing-quote",
        "001",
        "Het Armeense Ministerie van Buitenlandse Zaken houdt het vager en spreekt van “de "
        "uitwisseling van ideeën over het vredesakkoord”.",
        "text",
        True,
    ),
    ("curly-quote-end", "001", "“de agressie tegen Azerbeidzjan te staken”.", "text", False),
    (
        "single-quotes",
        "003",
        "In tegenstelling tot wat veel nieuwsmedia verspreiden is dit conflict niet "
        "'onbegrijpelijk gecompliceerd'.",
        "text",
        True,
    ),
    (
        "double-space-split",
        "003",
        "Op de morgen van 27 september startte Azerbeidzjan met de beschietingen van de regio.",
        "text",
        True,
    ),
    (
        "brackets",
        "000",
        "Zo dreigt het conflict alleen nog verder te escaleren (bron: CNN).",
        "text",
        True,
    ),
]


@pytest.mark.parametrize(
    ("seed", "text", "kind", "whole"),
    [c[1:] for c in SEED_CASES],
    ids=[c[0] for c in SEED_CASES],
)
def test_seed_case(seed: str, text: str, kind: str, whole: bool) -> None:
    found = segments_with(seed_doc(seed), text)
    assert len(found) == 1, [s.text for s in found] or "not found"
    assert found[0].kind == kind
    if whole:
        assert found[0].text == text


# (id, seed, text that must appear in no segment)
ABSENT_CASES = [
    ("ocr-armenie", "004", "Armenié"),
    ("ocr-beeindigen", "004", "beéindigen"),
    ("marker-exclamation", "004", ".!"),
    ("marker-hash", "004", "c.s.#"),
    ("marker-digit", "004", "conflict.2"),
    ("marker-degree", "004", "°"),
    ("marker-registered", "004", "®"),
    ("marker-ampersand", "004", "&,"),
    ("marker-euro", "004", "€"),
    ("marker-asterisk", "000", "Minskgroep*"),
    ("broken-hyphen-004", "004", "Nagorno- Karabach"),
    ("broken-hyphen-000", "000", "staakt- het"),
    ("broken-url", "004", "publication- cis"),
    ("furniture-in-text", "004", "o.a. Onze Referentie"),
    ("footnote-in-sentence", "004", "nam 1 Publicatie"),
    ("page-break-split", "000", "De drie landen roepen"),  # present, but not as "De" + "drie..."
]


@pytest.mark.parametrize(
    ("seed", "text"), [c[1:] for c in ABSENT_CASES[:-1]], ids=[c[0] for c in ABSENT_CASES[:-1]]
)
def test_seed_text_absent(seed: str, text: str) -> None:
    assert not segments_with(seed_doc(seed), text)


def test_footnotes_follow_the_paragraph_that_refers_to_them() -> None:
    paragraphs = seed_doc("004").paragraphs
    texts = [p.text for p in paragraphs]

    def index(start: str) -> int:
        return next(i for i, t in enumerate(texts) if t.startswith(start))

    # Footnote 3 is printed a page later, after other paragraphs.
    assert index("3 Verklaring") == index("Ook vandaag blijven") + 1
    assert index("In deze Minsk Groep verklaring") == index("3 Verklaring") + 1
    assert index("4 Motie") == index("Gedurende het gehele conflict") + 1
    assert index("5 Nagorno-Karabach") == index("4 Motie") + 1
    assert index("6 Motie") == index("U vroeg mij naar") + 1
    assert index("1 Publicatie") < index("2 Resoluties") < index("Ook vandaag blijven")
    paragraphs0 = [p.text for p in seed_doc("000").paragraphs]
    star = next(i for i, t in enumerate(paragraphs0) if t.startswith("*De OVSE"))
    assert paragraphs0[star - 1].startswith("De Minskgroep van de Organisatie")


@pytest.mark.parametrize(
    ("seed", "reason", "original", "repaired"),
    [
        ("004", OCR_DIACRITIC, "Armenié", "Armenië"),
        ("004", OCR_DIACRITIC, "financiéle", "financiële"),
        ("004", FOOTNOTE_MARKER, "Azerbeidzjan.!", "Azerbeidzjan."),
        ("004", FOOTNOTE_MARKER, "c.s.#", "c.s."),
        ("004", HYPHEN_KEPT, "people-to-|people", "people-to-people"),
        ("004", PAGE_JOIN, "nam | de", "nam de"),
        ("000", HYPHEN_KEPT, "staakt-|het-vuren", "staakt-het-vuren"),
        ("002", HYPHEN_KEPT, "Co-|operation", "Co-operation"),
    ],
    ids=["ocr", "ocr-2", "marker", "marker-2", "hyphen-kept", "page-join", "compound", "co-op"],
)
def test_seed_repairs_are_listed(seed: str, reason: str, original: str, repaired: str) -> None:
    repairs = seed_doc(seed).repairs
    match = [r for r in repairs if r.reason == reason and r.original == original]
    assert match
    assert all(r.repaired == repaired and r.detail for r in match)


def test_footnote_markers_name_their_footnote() -> None:
    details = [r.detail for r in seed_doc("004").repairs if r.reason == FOOTNOTE_MARKER]
    assert details == [
        "reference to footnote 1",
        "reference to footnote 2",
        "stray symbol after a word",
        "reference to footnote 3",
        "reference to footnote 4",
        "reference to footnote 5",
        "stray symbol after a word",
        "reference to footnote 6",
    ]


# ----------------------------------------------------------- whole seeds


@pytest.fixture(scope="module", params=sorted(SEED), ids=lambda k: f"seed-{k}")
def seed_pair(request: pytest.FixtureRequest) -> tuple[str, Document]:
    key: str = request.param
    path = SEED[key]
    return path.read_text(encoding="utf-8"), seed_doc(key)


def test_no_split_after_an_abbreviation(seed_pair: tuple[str, Document]) -> None:
    _, doc = seed_pair
    for paragraph in doc.paragraphs:
        for seg in paragraph.segments[:-1]:
            last = seg.text.split()[-1].lower()
            assert last not in ABBREVIATIONS, seg.text
            assert not re.fullmatch(r"(?:[^\W\d_]\.)+", last), seg.text


def test_no_segment_starts_mid_sentence(seed_pair: tuple[str, Document]) -> None:
    _, doc = seed_pair
    for seg in doc.segments:
        assert not seg.text[0].islower(), seg.text


def test_every_line_end_hyphen_is_resolved(seed_pair: tuple[str, Document]) -> None:
    original, doc = seed_pair
    breaks = [
        i + 1
        for i, line in enumerate(original.split("\n"))
        if re.search(r"[^\W\d_]-$", line) and not line.startswith("http")
    ]
    decided = {
        r.line for r in doc.repairs if r.reason in (HYPHEN_JOINED, HYPHEN_KEPT, HYPHEN_ELISION)
    }
    assert set(breaks) <= decided
    full = " ".join(s.text for s in doc.segments)
    for r in doc.repairs:
        if r.reason in (HYPHEN_JOINED, HYPHEN_KEPT):
            assert r.repaired in full
            assert r.original.replace("|", " ") not in full


def test_no_marker_symbols_left_in_running_text(seed_pair: tuple[str, Document]) -> None:
    _, doc = seed_pair
    for seg in doc.segments:
        if seg.kind in ("text", "item", "heading"):
            assert not re.search(r"\.[!#°®*&€]|[^\W\d_]\.\d|[^\W\d_][*&€#°®]", seg.text), seg.text


def test_no_text_is_lost_or_duplicated(seed_pair: tuple[str, Document]) -> None:
    original, doc = seed_pair
    assert Counter(fold(original)) == Counter(fold(" ".join(s.text for s in doc.segments)))


def test_offsets_and_lines_point_into_the_original(seed_pair: tuple[str, Document]) -> None:
    original, doc = seed_pair
    for seg in doc.segments:
        span = original[seg.start : seg.end]
        assert fold(span[:1]) == fold(seg.text[:1]), seg
        assert fold(span[-1:]) == fold(seg.text[-1:]) or not fold(seg.text[-1:]), seg
        assert original.count("\n", 0, seg.start) + 1 == seg.line
        assert original.count("\n", 0, seg.end - 1) + 1 == seg.end_line
        first_word = fold(seg.text.split()[0])
        if first_word:
            assert first_word in fold(original.split("\n")[seg.line - 1])


def test_indices_are_consistent(seed_pair: tuple[str, Document]) -> None:
    _, doc = seed_pair
    assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))
    assert [s.index for s in doc.segments] == list(range(len(doc.segments)))
    for p in doc.paragraphs:
        assert p.segments
        assert all(s.paragraph == p.index and s.kind == p.kind for s in p.segments)
        assert p.line == p.segments[0].line
    assert all(s.doc == doc.path for s in doc.segments)


def test_no_repair_keeps_ocr_text() -> None:
    doc = read_document(str(SEED["004"]), repair=False)
    assert segments_with(doc, "Armenié")
    assert not [r for r in doc.repairs if r.reason == OCR_DIACRITIC]
    # Hyphenation, markers and footnotes are handled regardless.
    assert [r for r in doc.repairs if r.reason == FOOTNOTE_MARKER]
    assert any(p.kind == "footnote" for p in doc.paragraphs)


# ----------------------------------------------------- clean-up, small cases

# (id, text, expected paragraph texts)
CLEANUP_CASES = [
    (
        "join-word",
        "Er kwam een vredes-\nakkoord tot stand.",
        ["Er kwam een vredesakkoord tot stand."],
    ),
    (
        "join-fragment",
        "Bij Buitenlandse Za-\nken werkt men.",
        ["Bij Buitenlandse Zaken werkt men."],
    ),
    ("join-diaeresis", "Dat is re-\neel gebleken.", ["Dat is reëel gebleken."]),
    (
        "join-unknown-compound",
        "De sabotage-\nteams werden gestuurd.",
        ["De sabotageteams werden gestuurd."],
    ),
    (
        "join-inside-compound",
        "Een staakt-het-vu-\nren werd bereikt.",
        ["Een staakt-het-vuren werd bereikt."],
    ),
    ("keep-curated", "De minister-\npresident sprak.", ["De minister-president sprak."]),
    ("keep-vowel-clash", "Er is de-\nescalatie nodig.", ["Er is de-escalatie nodig."]),
    ("keep-capital", "Na de Sovjet-\nUnie kwam het.", ["Na de Sovjet-Unie kwam het."]),
    ("keep-acronym", "De OVSE-\ngroep bemiddelt.", ["De OVSE-groep bemiddelt."]),
    (
        "keep-digits",
        "In de periode 2019-\n2024 gebeurde het.",
        ["In de periode 2019-2024 gebeurde het."],
    ),
    ("keep-prefix", "De ex-\nvoorzitter sprak.", ["De ex-voorzitter sprak."]),
    ("join-closed-prefix", "Een oud-\ngediende sprak.", ["Een oudgediende sprak."]),
    ("keep-evidence", "De kamer-\nleden en de kamer-leden.", ["De kamer-leden en de kamer-leden."]),
    ("join-evidence", "De kamer-\nleden en de kamerleden.", ["De kamerleden en de kamerleden."]),
    ("elision-line-end", "Zowel olie-\nen gaspijpleidingen.", ["Zowel olie- en gaspijpleidingen."]),
    ("plural-not-elision", "Alle transport-\nen zijn gestopt.", ["Alle transporten zijn gestopt."]),
    ("dash-trailing-space", "Meer dan 1000- \nvanuit Syrië.", ["Meer dan 1000- vanuit Syrië."]),
    ("soft-hyphen", "Het vredes\u00ad\nakkoord is er.", ["Het vredesakkoord is er."]),
    (
        "url-slash",
        "Zie https://www.osce.org/minsk/\ngroup/1.html voor meer.",
        ["Zie https://www.osce.org/minsk/group/1.html voor meer."],
    ),
    (
        "url-then-word",
        "Zie https://www.osce.org\nvoor meer.",
        ["Zie https://www.osce.org voor meer."],
    ),
    ("spaces", "Een  zin\tmet\u00a0ruimte.", ["Een zin met ruimte."]),
    ("ligature", "Een ofﬁciële tekst.", ["Een officiële tekst."]),
    (
        "crlf",
        "Een zin\r\nover twee regels.\r\n\r\nTweede alinea.",
        ["Een zin over twee regels.", "Tweede alinea."],
    ),
    (
        "form-feed-page",
        "Dit is een zin die door\n\fgaat op de volgende pagina.",
        ["Dit is een zin die door gaat op de volgende pagina."],
    ),
    (
        "page-number",
        "Eerste deel van de zin\n\n- 2 -\n\nen het tweede deel.",
        ["Eerste deel van de zin en het tweede deel.", "- 2 -"],
    ),
    (
        "long-unfinished-before-capital",
        "Dit is een lange zin die over meer dan vijftien woorden doorloopt en op deze pagina\n"
        "eindigt zonder punt met\n\n\n\nMinister Hoekstra als laatste woord.",
        [
            "Dit is een lange zin die over meer dan vijftien woorden doorloopt en op deze pagina "
            "eindigt zonder punt met Minister Hoekstra als laatste woord."
        ],
    ),
    (
        "superscript-marker",
        "Dat is bekend.¹ Het klopt.\n\n¹ Bron: de VN.",
        ["Dat is bekend. Het klopt.", "¹ Bron: de VN."],
    ),
    (
        "digit-not-a-footnote",
        "Er is 16.9 miljoen.\n\n2 Resoluties.",
        ["Er is 16.9 miljoen.", "2 Resoluties."],
    ),
    ("km2-kept", "Het gebied is 4400 km² groot.", ["Het gebied is 4400 km² groot."]),
    ("exclamation-kept", "Dat is genoeg! Echt.", ["Dat is genoeg! Echt."]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CLEANUP_CASES], ids=[c[0] for c in CLEANUP_CASES]
)
def test_cleanup(text: str, expected: list[str]) -> None:
    doc = read_document("case.txt", text=text)
    assert [p.text for p in doc.paragraphs] == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Armenié", "Armenië"),
        ("ARMENIÉ", "ARMENIË"),
        ("beéindigen", "beëindigen"),
        ("financiéle", "financiële"),
        ("repatriéren", "repatriëren"),
        ("één", None),
        ("Genève", None),
        ("café", None),
        ("Armenië", None),
        ("xyzé", None),
    ],
)
def test_repair_word(word: str, expected: str | None) -> None:
    assert repair_word(word) == expected


# (id, text, expected kinds of the paragraphs)
KIND_CASES = [
    ("title", "Titel van de brief\n\nIk schrijf u.", ["heading", "text"]),
    ("short-heading-with-period", "Weloverwogen aanval.\n\nIk schrijf u.", ["heading", "text"]),
    ("allcaps", "VRAAG\nWat is er gebeurd?", ["heading", "text"]),
    ("numbered", "1. Wat is er gebeurd?\n2. Wat nu?", ["item", "item"]),
    ("bullets", "Dit is tekst.\n\n- Eerste punt\n- Tweede punt", ["text", "item", "item"]),
    ("salutation-is-text", "Geachte voorzitter,\n\nIk schrijf u.", ["text", "text"]),
    (
        "furniture-code",
        "Dit is een zin.\n\nOnze Referentie\nSTPS5HHCFWEY-7-88383",
        ["text", "furniture"],
    ),
    ("lone-page-number", "Dit is een zin.\n\n12\n\nNog een zin.", ["text", "furniture", "text"]),
    ("asterisk-bullets", "Dit is tekst.\n\n* Eerste punt\n* Tweede punt", ["text", "item", "item"]),
    (
        "markdown-style-note-in-text",
        "Dit is tekst.*\n\n*Zie de bijlage.\n\nNieuwe alinea hier.",
        ["text", "footnote", "text"],
    ),
    ("footnote-needs-sequence", "Dit is een zin.\n\n5 Dingen zijn waar.", ["text", "text"]),
]


@pytest.mark.parametrize(
    ("text", "kinds"), [c[1:] for c in KIND_CASES], ids=[c[0] for c in KIND_CASES]
)
def test_paragraph_kinds(text: str, kinds: list[str]) -> None:
    assert [p.kind for p in read_document("case.txt", text=text).paragraphs] == kinds


def test_concatenated_documents_restart_footnotes() -> None:
    one = SEED["004"].read_text(encoding="utf-8")
    single = read_document("one.txt", text=one)
    triple = read_document("three.txt", text="\n\n\n".join([one] * 3))
    assert len(triple.segments) == 3 * len(single.segments)
    assert Counter(r.reason for r in triple.repairs) == Counter(
        {k: 3 * v for k, v in Counter(r.reason for r in single.repairs).items()}
    )


# ------------------------------------------------------------ markdown, html


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text(
        "# Conflict in de regio\n\n"
        "Dit is **vet** en *schuin* met een [link](https://x.nl) en `code`.\n"
        "Het gaat o.a. over Armenié[^1] en de OVSE.\n\n"
        "- Eerste punt\n- Tweede punt\n\n"
        "Titel met onderstreping\n-----------------------\n\n"
        "```\ncode blok\n```\n\n"
        "[^1]: Zie de publicatie van de VN.\n\n"
        "Een alinea na de voetnoot.\n",
        encoding="utf-8",
    )
    doc = read_document(str(path))
    assert [(p.kind, p.text, p.line) for p in doc.paragraphs] == [
        ("heading", "Conflict in de regio", 1),
        (
            "text",
            "Dit is vet en schuin met een link en code. Het gaat o.a. over Armenië en de OVSE.",
            3,
        ),
        ("footnote", "1 Zie de publicatie van de VN.", 16),
        ("item", "Eerste punt", 6),
        ("item", "Tweede punt", 7),
        ("heading", "Titel met onderstreping", 9),
        ("text", "Een alinea na de voetnoot.", 18),
    ]


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "brief.html"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<html><head><title>T</title><style>p { color: red }</style></head>\n"
        "<body>\n"
        "<h1>Spanningen in Nagorno-Karabach</h1>\n"
        "<p>De spanningen lopen op.\nHet betwiste <b>gebied</b> is een bron van conflict.</p>\n"
        "<p>Een regel<br>en nog een &amp; meer.</p><!-- weg --> staart.\n"
        "<ul><li>Punt een</li><li>Punt twee</li></ul>\n"
        "<script>var x = 'geen tekst';</script>\n"
        "</body></html>\n",
        encoding="utf-8",
    )
    doc = read_document(str(path))
    assert [(p.kind, p.text, p.line) for p in doc.paragraphs] == [
        ("heading", "T", 2),
        ("heading", "Spanningen in Nagorno-Karabach", 4),
        ("text", "De spanningen lopen op. Het betwiste gebied is een bron van conflict.", 5),
        ("text", "Een regel en nog een & meer.", 7),
        ("text", "staart.", 7),
        ("item", "Punt een", 8),
        ("item", "Punt twee", 8),
    ]
    assert [s.text for s in doc.paragraphs[2].segments] == [
        "De spanningen lopen op.",
        "Het betwiste gebied is een bron van conflict.",
    ]
    # <br> separates pieces that are translated apart; <b> is an inline code.
    assert [s.text for s in doc.paragraphs[3].segments] == ["Een regel", "en nog een & meer."]
    (bold,) = {c.label for c in doc.paragraphs[2].segments[1].codes}
    assert bold == "bold"


@pytest.mark.parametrize("markup", ["", "<html></html>", "<!-- alleen commentaar -->"])
def test_html_without_text(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "leeg.html"
    path.write_text(markup, encoding="utf-8")
    doc = read_document(str(path))
    assert doc.paragraphs == ()
    assert doc.warnings


def test_html_tail_does_not_go_back_a_line(tmp_path: Path) -> None:
    path = tmp_path / "staart.html"
    path.write_text("<p>\n\n\n<b>\nvet</p>staart\n\nmeer tekst", encoding="utf-8")
    for seg in read_document(str(path)).segments:
        assert seg.start <= seg.end and seg.line <= seg.end_line


# ------------------------------------------------ random documents (fuzz)

_FUZZ_PIECES = [
    "vredes-", "akkoord", "Nagorno-", "Karabach", "de", "het", "Armenié", "o.a.", "c.s.#",
    "conflict.2", "2020.3", "Minskgroep*", "1", "2", "Publicatie", "*De", "ANTWOORD", "1.", "-",
    "en", "olie-", "(", ")", "“", "”", "'", "https://x.org/a-", "b/", ".", "?", "!", "...",
    "\u00ad", "Onze Referentie", "STPS5HHCFWEY-7-88383", "é", "16.9", "- 2 -", "Za-", "ken",
    "1000-", "¹", "km²", ";", ",", "# Kop", "**vet**", "[^1]", "[^1]: noot", "<p>", "</p>",
    "<br>", "<!--", "-->", "<li>", "&amp;", "```", "[link](x)",
]  # fmt: skip
_FUZZ_SEPARATORS = [" ", " ", "\n", "\n\n", "\n\n\n\n", "\n ", "\f", "  ", "\t", "\r\n", ""]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_random_documents_never_fail(suffix: str) -> None:
    rng = random.Random(suffix)
    for _ in range(300):
        n = rng.randint(0, 50)
        text = "".join(rng.choice(_FUZZ_PIECES) + rng.choice(_FUZZ_SEPARATORS) for _ in range(n))
        doc = read_document(f"random{suffix}", text=text)
        for seg in doc.segments:
            assert seg.text and seg.text == seg.text.strip()
            assert 0 <= seg.start <= seg.end <= len(text)
            assert seg.line <= seg.end_line
        if suffix == ".txt":  # markup is dropped in .md/.html, so only here
            out = " ".join(s.text for s in doc.segments)
            assert Counter(fold(text)) == Counter(fold(out)), text


# ---------------------------------------------------------------- inputs


def test_gather(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["a.txt", "b/c.md", "b/d.HTML", "e.pdf", "f.htm", ".hidden/g.txt", "b/h.markdown"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    single = str(tmp_path / "e.pdf")
    found = gather([str(tmp_path), single, "-"])
    assert found.files == (
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "c.md"),
        str(tmp_path / "b" / "d.HTML"),
        str(tmp_path / "b" / "h.markdown"),
        str(tmp_path / "f.htm"),
        single,  # a file named explicitly is taken as given (and refused when read)
        "-",
    )
    assert [s.path for s in found.skipped] == [str(tmp_path / ".hidden"), single]
    assert found.skipped[0].reason == "a hidden folder; not read"
    assert found.skipped[1].reason == "named .pdf but not a PDF file by its content; not read"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file or folder"),
        (lambda p: (p / "empty").mkdir() or p / "empty", r"has no documents to read \(it is"),
    ],
    ids=["missing", "empty-folder"],
)
def test_gather_errors(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(InputError, match=message):
        gather([str(path)])


def test_gather_needs_something() -> None:
    with pytest.raises(InputError, match="No input"):
        gather([])


def test_read_documents_is_a_generator(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Een.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Twee.", encoding="utf-8")
    docs = read_documents([str(tmp_path)])
    assert next(docs).path.endswith("a.txt")
    assert [d.segments[0].text for d in docs] == ["Twee."]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO("Een zin uit Armenié.\n".encode())

    monkeypatch.setattr("sys.stdin", FakeStdin())
    doc = read_document("-")
    assert doc.path == "<stdin>"
    assert doc.segments[0].text == "Een zin uit Armenië."
    assert doc.segments[0].ref == "<stdin>:1"


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"], ids=["empty", "whitespace"])
def test_empty_file_reads_with_a_warning(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leeg.txt"
    path.write_bytes(content)
    doc = read_document(str(path))
    assert doc.paragraphs == ()
    assert doc.warnings == (f"{path}: the file is empty; nothing to read.",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"abc\x00def" * 100, "binary file \\(a NUL byte at offset 3\\)"),
        (bytes(range(256)) * 40, "binary file"),
        (bytes([7, 8, 27, 1, 2, 3, 4, 5, 6] * 500), "control characters"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "data.txt is damaged: it cannot be read as a PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xfe\x41", "UTF-16.*not valid"),
    ],
    ids=["nul", "all-bytes", "controls", "pdf", "zip", "png", "bad-utf16"],
)
def test_binary_input_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(str(path))


@pytest.mark.parametrize(
    ("content", "codec", "expected"),
    [
        (
            "Armenië en “Azerbeidzjan” – € 5.".encode("cp1252"),
            "Windows-1252",
            "Armenië en “Azerbeidzjan” – € 5.",
        ),
        (b"Caf\xe9 \x81 open.", "Latin-1", "Café \x81 open."),
    ],
    ids=["cp1252", "latin-1"],
)
def test_wrong_encoding_falls_back_with_a_warning(
    tmp_path: Path, content: bytes, codec: str, expected: str
) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes(b"Eerste regel.\n" + content)
    doc = read_document(str(path))
    assert doc.paragraphs[0].text == "Eerste regel. " + expected
    (warning,) = doc.warnings
    assert f"{path}:2: not valid UTF-8" in warning and f"read as {codec}" in warning


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (b"\xef\xbb\xbf" + "Armenië.".encode(), "utf-8-bom"),
        ("\ufeffArmenië.".encode("utf-16-le"), "utf-16-le"),
        ("\ufeffArmenië.".encode("utf-16-be"), "utf-16-be"),
        ("Armenie\u0308.".encode(), "nfd"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_unicode_variants(tmp_path: Path, encoded: bytes, name: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(encoded)
    doc = read_document(str(path))
    assert doc.segments[0].text == "Armenië."
    assert not doc.warnings


def test_folder_given_to_read_document(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_document(str(tmp_path))


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "groot.txt"
    path.write_bytes(b"Een zin. " * 200)
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    message = r"is 1.8 KB; the limit .* is 1000 bytes\. Split it"
    with pytest.raises(InputError, match=message) as info:
        read_document(str(path))
    assert "--max-size" not in str(info.value)  # no such option for documents


def test_too_much_stdin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"Een zin. " * 200)

    monkeypatch.setattr("sys.stdin", FakeStdin())
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    with pytest.raises(InputError, match="<stdin> is larger than that; the limit"):
        read_document("-")


def test_one_10mb_line(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    sentence = b"Dit is een zin over Armenie. "
    path.write_bytes(sentence * (10_000_000 // len(sentence)))
    doc = read_document(str(path))
    assert len(doc.paragraphs) == 1
    assert len(doc.segments) == 10_000_000 // len(sentence)
    assert doc.segments[-1].end == path.stat().st_size - 1
    assert "1:" in doc.warnings[0] and "characters" in doc.warnings[0]


def test_one_10mb_line_without_punctuation(tmp_path: Path) -> None:
    path = tmp_path / "woorden.txt"
    path.write_bytes(b"woord " * 1_700_000)
    (segment,) = read_document(str(path)).segments
    assert segment.start == 0 and segment.end == 1_700_000 * 6 - 1


@pytest.mark.slow
def test_50mb_file(tmp_path: Path) -> None:
    one = "\n\n\n".join(p.read_text(encoding="utf-8") for p in SEED.values())
    single = read_document("one.txt", text=one)
    copies = 50_000_000 // len(one.encode()) + 1
    path = tmp_path / "groot.txt"
    path.write_text("\n\n\n".join([one] * copies), encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    doc = read_document(str(path))
    assert len(doc.segments) == copies * len(single.segments)
    assert len(doc.repairs) == copies * len(single.repairs)
