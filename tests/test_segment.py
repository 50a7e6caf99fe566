"""Dutch sentence segmentation (glossary.reading.segment)."""

from __future__ import annotations

import pytest

from glossary.reading.segment import (
    ABBREVIATIONS,
    ends_sentence,
    is_abbreviation,
    split_sentences,
)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# (id, paragraph, expected sentences)
CASES = [
    ("two-plain", "Dit is een zin. Dit is er nog een.", ["Dit is een zin.", "Dit is er nog een."]),
    ("question", "Wat vindt u? Het is duidelijk!", ["Wat vindt u?", "Het is duidelijk!"]),
    ("exclamation", "Stop! Nu meteen.", ["Stop!", "Nu meteen."]),
    ("ellipsis", "Het was stil... Toen kwam het.", ["Het was stil...", "Toen kwam het."]),
    ("ellipsis-char", "Het was stil… Toen kwam het.", ["Het was stil…", "Toen kwam het."]),
    ("lowercase-after-dot", "Het is o.a. bekend. Ook dat.", ["Het is o.a. bekend.", "Ook dat."]),
    ("o.a.-before-capital", "Dat geldt voor o.a. Frankrijk en Duitsland.", None),
    ("m.n.", "Zij werkt binnen m.n. EU en OVSE samen.", None),
    ("bijv.", "Er is contact met o.a. NGO's, maar bijv. Ook familieleden.", None),
    ("nr.", "Motie 33570 V, nr. 42 werd aangenomen.", None),
    ("Nr.-capital", "Zie Motie 21 501-20, Nr. 1630 en verder.", None),
    ("c.s.-lowercase", "In motie Van der Graaf c.s. zich uitgesproken.", None),
    (
        "c.s.-ends",
        "Dat zei Van der Graaf c.s. Daarna volgde de stemming.",
        ["Dat zei Van der Graaf c.s.", "Daarna volgde de stemming."],
    ),
    ("m.b.t.", "De feiten m.b.t. Het recente conflict zijn bekend.", None),
    ("d.w.z.", "Een staakt-het-vuren, d.w.z. Een wapenstilstand, is nodig.", None),
    ("i.p.v.", "Dialoog i.p.v. Sancties is het beleid.", None),
    ("e.d.-lowercase", "Mijnen, granaten e.d. worden geruimd.", None),
    (
        "e.d.-ends",
        "Mijnen, granaten e.d. Alles moet weg.",
        ["Mijnen, granaten e.d.", "Alles moet weg."],
    ),
    ("art.", "Zie art. 5 van het verdrag.", None),
    ("blz.", "Zie blz. 12 van het rapport.", None),
    ("dhr.", "Volgens dhr. Borrell is dat zo.", None),
    ("mevr.", "Conform de motie van mevr. Ploumen is dat zo.", None),
    ("ca.", "Er vielen ca. 6.500 doden.", None),
    ("resp.", "In 1990 resp. 1991 werden zij onafhankelijk.", None),
    ("t.a.v.", "Het beleid t.a.v. Azerbeidzjan blijft gelijk.", None),
    ("vs.", "Het ging om Armenië vs. Azerbeidzjan in de strijd.", None),
    ("initial", "Volgens J. Borrell is dat zo.", None),
    ("initials", "Zoals J.F. Kennedy zei.", None),
    ("decimal", "Er is 16.9 miljoen Euro beschikbaar.", None),
    (
        "thousands",
        "Er vielen meer dan 30.000 doden. Dat is veel.",
        ["Er vielen meer dan 30.000 doden.", "Dat is veel."],
    ),
    (
        "dates",
        "Op 13 en 14 september 2022 vond een inval plaats. Er vielen doden.",
        ["Op 13 en 14 september 2022 vond een inval plaats.", "Er vielen doden."],
    ),
    ("resolutions", "2 Resoluties 882, 853, 874 en 884", None),
    (
        "year-ends",
        "Het werd uitgesteld naar mei 2021. De actie volgt.",
        ["Het werd uitgesteld naar mei 2021.", "De actie volgt."],
    ),
    ("item-label", "1. Wat is de reactie van de minister-president?", None),
    (
        "item-label-then-two",
        "2. Kan de minister dit toelichten? Hebben die een kans?",
        ["2. Kan de minister dit toelichten?", "Hebben die een kans?"],
    ),
    (
        "closing-quote",
        "Men sprak van “het vredesakkoord”. De convergentie is positief.",
        ["Men sprak van “het vredesakkoord”.", "De convergentie is positief."],
    ),
    (
        "quote-after-dot",
        "Hij zei: “Het is klaar.” Daarna ging hij.",
        ["Hij zei: “Het is klaar.”", "Daarna ging hij."],
    ),
    (
        "single-quotes",
        "Hij wil 'met alle middelen' steunen. Turkije steunt ook.",
        ["Hij wil 'met alle middelen' steunen.", "Turkije steunt ook."],
    ),
    (
        "opening-quote-start",
        "Dat is zo. “Nooit meer,” zei hij.",
        ["Dat is zo.", "“Nooit meer,” zei hij."],
    ),
    (
        "brackets",
        "De OVSE (zie art. 3. Het verdrag) werkt. Dat is goed.",
        ["De OVSE (zie art. 3. Het verdrag) werkt.", "Dat is goed."],
    ),
    ("bracket-sentence-inside", "Er is een deal (De EU bemiddelde. Rusland ook.) gesloten.", None),
    ("unclosed-bracket", "Een (open haakje. Dan een zin.", ["Een (open haakje.", "Dan een zin."]),
    (
        "bracket-close-dot",
        "Het orgaan is de Minskgroep (OVSE). Die bemiddelt.",
        ["Het orgaan is de Minskgroep (OVSE).", "Die bemiddelt."],
    ),
    (
        "url",
        "Zie https://www.osce.org/minsk-group/483416. Daar staat het.",
        ["Zie https://www.osce.org/minsk-group/483416.", "Daar staat het."],
    ),
    ("url-inner-dots", "Zie www.osce.org/minsk voor meer.", None),
    (
        "apostrophe-s",
        "Het werd laat. 's Avonds kwam het bericht.",
        ["Het werd laat.", "'s Avonds kwam het bericht."],
    ),
    ("whitespace", "  Een zin.   Twee zinnen.  ", ["Een zin.", "Twee zinnen."]),
    ("no-final-punct", "Turkije neemt actief deel aan deze oorlog", None),
    ("colon-no-split", "Het beleid heeft als kern: dit conflict moet stoppen.", None),
    ("newline-in-text", "Een zin.\nTwee.", ["Een zin.", "Twee."]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_split_sentences(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected if expected is not None else [text.strip()])


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_no_abbreviation_ends_a_sentence(abbreviation: str) -> None:
    text = f"Dit geldt {abbreviation} Frankrijk en de rest."
    assert sentences(text) == [text]


def test_spans_are_offsets_into_the_text() -> None:
    text = "  Eerste zin.  Tweede zin?\tDerde."
    spans = split_sentences(text)
    assert spans == [(2, 13), (15, 26), (27, 33)]
    assert [text[s:e] for s, e in spans] == ["Eerste zin.", "Tweede zin?", "Derde."]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_empty_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_long_text_without_punctuation_is_one_sentence() -> None:
    text = "woord " * 200_000
    assert split_sentences(text) == [(0, len(text) - 1)]


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("o.a.", True),
        ("O.a.", True),
        ("bijv.", True),
        ("J.", True),
        ("J.F.", True),
        ("z.s.m.", True),  # dotted lower case, not listed
        ("c.s.", False),  # may end a sentence
        ("etc.", False),
        ("Azerbeidzjan.", False),
        ("2021.", False),
    ],
)
def test_is_abbreviation(token: str, expected: bool) -> None:
    assert is_abbreviation(token) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het is klaar.", True),
        ("Is het klaar?", True),
        ("Hij zei “klaar.”", True),
        ("In 1993 nam", False),
        ("Dit EU-beleid is o.a.", False),
        ("De", False),
        ("Geachte voorzitter,", False),
        ("", False),
    ],
    ids=["period", "question", "quote", "mid-sentence", "abbreviation", "word", "comma", "empty"],
)
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected
