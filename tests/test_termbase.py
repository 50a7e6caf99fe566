"""The termbase model and its TSV format."""

from __future__ import annotations

import pytest

from glossary.errors import DuplicateTerm, InvalidValue, TermbaseFormatError, UnknownTerm
from glossary.termbase import model as tbm
from glossary.termbase.model import COLUMNS, HEADER, Concept, Termbase, parse_tsv, serialize_tsv


def row(**cells: str) -> str:
    values = {name: "" for name in COLUMNS}
    values.update({"status": "approved"}, **cells)
    return "\t".join(values[name] for name in COLUMNS)


def tsv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


SAMPLE = Termbase(
    (
        tbm.make_concept(
            "staakt-het-vuren",
            "ceasefire",
            nl_variants=["staakt het vuren"],
            en_forbidden=["stop-the-fire"],
            pos="noun",
            subject="international relations",
            definition="Agreement to stop fighting.",
            context="Inmiddels werd een staakt-het-vuren bereikt.",
            sources=["001.txt", "000.txt"],
        ),
        tbm.make_concept(
            "OVSE",
            "OSCE",
            case_sensitive=True,
            pos="properNoun",
            nl_variants=["Organisatie voor Veiligheid en Samenwerking in Europa"],
        ),
        tbm.make_concept("Armenië", "Armenia", pos="properNoun"),
        tbm.make_concept("Stepanakert", "Stepanakert", dnt=True),
        tbm.make_concept("akkoord", "", status="rejected"),
        tbm.make_concept(
            "Minskgroep",
            "Minsk Group",
            status="proposed",
            nl_variants=["Minsk-groep", "Minsk Groep"],
            en_alternatives=["OSCE Minsk Group"],
        ),
    )
)


def test_round_trip_is_byte_identical() -> None:
    text = serialize_tsv(SAMPLE)
    assert parse_tsv(text.encode()) == SAMPLE
    assert serialize_tsv(parse_tsv(text.encode())) == text


def test_file_layout() -> None:
    text = serialize_tsv(SAMPLE)
    lines = text.split("\n")
    assert lines[0] == HEADER
    assert text.endswith("\n") and not text.endswith("\n\n")
    # Sorted by Dutch term, case-insensitively.
    assert [line.split("\t")[1] for line in lines[1:-1]] == [
        "akkoord",
        "Armenië",
        "Minskgroep",
        "OVSE",
        "staakt-het-vuren",
        "Stepanakert",
    ]
    # Multi-valued cells joined by " | ", flags as "yes", no escaping of ë.
    assert "Minsk-groep | Minsk Groep" in text
    assert "\tyes\t" in text
    assert "Armenië" in text
    assert all(line.count("\t") == len(COLUMNS) - 1 for line in lines[:-1])


def test_crlf_and_bom_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + serialize_tsv(SAMPLE).replace("\n", "\r\n").encode()
    assert parse_tsv(data) == SAMPLE


def test_flags_accept_spreadsheet_spellings() -> None:
    tb = parse_tsv(tsv(row(id="a", nl="VN", en="UN", case_sensitive="TRUE", dnt="no")))
    concept = tb.concepts[0]
    assert concept.case_sensitive and not concept.dnt


@pytest.mark.parametrize(
    ("data", "line", "column", "fragment"),
    [
        (tsv(row(id="a", nl="x", en="y") + "\textra"), 2, None, "16 columns instead of 15"),
        (tsv("a\tb"), 2, None, "2 columns"),
        (tsv(row(id="a", nl="x", en="y", status="done")), 2, 7, "unknown status 'done'"),
        (tsv(row(id="a", nl="x", en="y", status="")), 2, 7, "empty status"),
        (tsv(row(id="", nl="x", en="y")), 2, 1, "empty id"),
        (tsv(row(id="a", nl="", en="y")), 2, 2, "empty Dutch term"),
        (tsv(row(id="a", nl="x", en="")), 2, 4, "approved concept without English"),
        (tsv(row(id="a", nl="x", en="y", pos="noun phrase")), 2, 8, "unknown part of speech"),
        (tsv(row(id="a", nl="x", en="y", dnt="maybe")), 2, 9, "flag value 'maybe'"),
        (
            tsv(row(id="a", nl="x", en="y"), row(id="a", nl="z", en="w")),
            3,
            1,
            "also used on line 2",
        ),
        (
            tsv(row(id="a", nl="Minskgroep", en="y"), row(id="b", nl="Minsk-Groep", en="w")),
            3,
            2,
            "already claimed by 'a'",
        ),
        (
            tsv(
                row(id="a", nl="x", en="y", nl_variants="OVSE"),
                row(id="b", nl="z", en="w", nl_variants="ovse"),
            ),
            3,
            3,
            "already claimed by 'a'",
        ),
        (
            tsv(row(id="a", nl="ca\xe9", en="y")).replace("é".encode(), b"\xe9"),
            2,
            2,
            "invalid UTF-8",
        ),
        (tsv(row(id="a", nl="x", en="y\rz")), 2, 4, "carriage return"),
        (tsv(row(id="a", nl="x", en="ceasefire", en_forbidden="Ceasefire")), 2, 6, "both allowed"),
        (
            tsv(row(id="a", nl="x", en="y", en_alternatives="truce", en_forbidden="z | truce")),
            2,
            6,
            "'truce' is both allowed",
        ),
        (b"id\tnl\n", 1, None, "unexpected header"),
        (b"", 1, None, "missing header"),
    ],
    ids=[
        "too-many-columns",
        "too-few-columns",
        "unknown-status",
        "empty-status",
        "empty-id",
        "empty-nl",
        "approved-without-en",
        "bad-pos",
        "bad-flag",
        "duplicate-id",
        "duplicate-term-folded",
        "duplicate-variant-case",
        "invalid-utf8",
        "carriage-return",
        "preferred-and-forbidden",
        "admitted-and-forbidden",
        "bad-header",
        "empty-file",
    ],
)
def test_problems_are_located(data: bytes, line: int, column: int | None, fragment: str) -> None:
    with pytest.raises(TermbaseFormatError) as info:
        parse_tsv(data, "tb.tsv")
    problems = info.value.problems
    assert any(p.line == line and p.column == column and fragment in p.message for p in problems), (
        problems
    )
    assert all(p.path == "tb.tsv" for p in problems)
    assert all(p.hint for p in problems)
    assert f"tb.tsv:{line}" in str(info.value)


def test_every_problem_is_reported_not_just_the_first() -> None:
    data = tsv(
        row(id="a", nl="x", en="y", status="nope"),
        "broken",
        row(id="c", nl="z", en="", status="approved"),
    )
    with pytest.raises(TermbaseFormatError) as info:
        parse_tsv(data)
    assert [p.line for p in info.value.problems] == [2, 3, 4]


def test_case_sensitive_acronym_and_lowercase_word_conflict() -> None:
    # "op" (case-insensitive) would also match "OP", so both cannot be claimed.
    acronym = tbm.make_concept("OP", "EaP", case_sensitive=True)
    word = tbm.make_concept("op", "", status="rejected")
    assert tbm.conflicts([acronym, word])
    # Two case-sensitive spellings are different terms.
    other = tbm.make_concept("Op", "Op", case_sensitive=True, concept_id="op2")
    assert not tbm.conflicts([acronym, other])


def test_make_concept_rejects_what_the_file_cannot_hold() -> None:
    with pytest.raises(InvalidValue, match="tab or line break"):
        tbm.make_concept("a\tb", "x")
    with pytest.raises(InvalidValue, match=r"contains '\|'"):
        tbm.make_concept("a", "x", nl_variants=["b | c"])
    with pytest.raises(InvalidValue, match="Unknown status"):
        tbm.make_concept("a", "x", status="final")
    with pytest.raises(InvalidValue, match="needs an English term"):
        tbm.make_concept("a", "")
    with pytest.raises(InvalidValue, match="empty"):
        tbm.make_concept("  ", "x")
    with pytest.raises(InvalidValue, match="both an allowed English term and a forbidden"):
        tbm.make_concept("a", "x", en_alternatives=["y"], en_forbidden=["Y"])


def test_make_concept_cleans_values() -> None:
    concept = tbm.make_concept(
        "  staakt\u2013het\u2013vuren ",
        "cease\u00a0fire",
        nl_variants=["staakt het vuren", "staakt het vuren", ""],
    )
    assert concept.nl == "staakt-het-vuren"
    assert concept.en == "cease fire"
    assert concept.nl_variants == ("staakt het vuren",)
    assert concept.id == "staakt-het-vuren"


def test_add_picks_a_free_id_and_refuses_duplicates() -> None:
    tb, first = tbm.add(Termbase(), tbm.make_concept("Armenië", "Armenia"))
    # A different term (accents count) whose slug is taken gets a numbered id.
    tb, second = tbm.add(tb, tbm.make_concept("Armenie", "Armenia"))
    assert (first.id, second.id) == ("armenie", "armenie-2")
    with pytest.raises(DuplicateTerm, match="glossary term edit armenie"):
        tbm.add(tb, tbm.make_concept("ARMENIË", "x"))


def test_add_generates_numbered_ids() -> None:
    tb, a = tbm.add(Termbase(), tbm.make_concept("EU", "EU", case_sensitive=True))
    tb, b = tbm.add(tb, tbm.make_concept("Eu", "Eu", case_sensitive=True))
    assert (a.id, b.id) == ("eu", "eu-2")


def test_edit_remove_and_status() -> None:
    tb, concept = tbm.edit(
        SAMPLE,
        "minskgroep",
        status="approved",
        en="OSCE Minsk Group",
        en_alternatives=["Minsk Group"],
    )
    assert concept.status == "approved" and concept.en_alternatives == ("Minsk Group",)
    assert tb.get("minskgroep") == concept
    tb, removed = tbm.remove(tb, "ovse")
    assert removed.nl == "OVSE" and tb.get("ovse") is None
    with pytest.raises(UnknownTerm):
        tbm.remove(tb, "ovse")
    with pytest.raises(DuplicateTerm):
        tbm.edit(tb, "armenie", nl_variants=["Minsk Groep"])
    with pytest.raises(InvalidValue):
        tbm.edit(tb, "armenie", colour="red")


def test_find_by_id_or_any_spelling() -> None:
    assert tbm.find(SAMPLE, "ovse").nl == "OVSE"
    assert tbm.find(SAMPLE, "Minsk Groep").id == "minskgroep"
    assert tbm.find(SAMPLE, "staakt het vuren").id == "staakt-het-vuren"
    with pytest.raises(UnknownTerm, match="glossary term search"):
        tbm.find(SAMPLE, "vredesakkoord")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("armenie", ["armenie"]),
        ("ARMENIË", ["armenie"]),
        ("minsk groep", ["minskgroep"]),
        ("minsk", ["minskgroep"]),
        ("cease", ["staakt-het-vuren"]),
        ("OSCE", ["ovse", "minskgroep"]),
        ("veiligheid", ["ovse"]),
        ("nothing-like-this", []),
    ],
)
def test_search_ignores_case_accents_and_hyphens(query: str, expected: list[str]) -> None:
    assert [c.id for c in tbm.search(SAMPLE, query)] == expected


def test_en_terms_of_dnt_and_rejected() -> None:
    dnt = SAMPLE.get("stepanakert")
    assert dnt is not None and dnt.en_terms == ("Stepanakert",) and dnt.target == "Stepanakert"
    rejected = SAMPLE.get("akkoord")
    assert rejected is not None and rejected.en_terms == () and rejected.target == ""


def test_to_dict_uses_column_names() -> None:
    concept = SAMPLE.get("ovse")
    assert isinstance(concept, Concept)
    data = concept.to_dict()
    assert list(data) == list(COLUMNS)
    assert data["nl_variants"] == ["Organisatie voor Veiligheid en Samenwerking in Europa"]
    assert data["case_sensitive"] is True


# ---------------------------------------------------------------- fast paths

LINES = [
    "a\tb c\td-e",
    "Armenië\tArmenia\t",
    "a  b\tc",
    "a \tb",
    "a\t b",
    " a\tb",
    "a\tb ",
    "a\u2013b\tc",
    "d\u2019a\tb",
    "Arme\u0308nie\tx",
    "a\u00a0b\tc",
    "a`b",
    "a\rb",
    "a\x0bb",
    "ë\x0cb",
    "Türkiye\tTurkey | Türkiye",
    "",
]


@pytest.mark.parametrize("line", LINES)
def test_is_clean_line_agrees_with_clean_value(line: str) -> None:
    from glossary.lang.text import clean_value, is_clean_line

    cells_clean = all(clean_value(cell) == cell for cell in line.split("\t"))
    assert is_clean_line(line) == cells_clean


def test_search_ranks_without_rekeying_and_survives_odd_terms() -> None:
    concepts = tuple(
        Concept(id=f"c{i}", nl=nl, en=en, nl_variants=variants)
        for i, (nl, en, variants) in enumerate(
            [
                ("Armenië", "Armenia", ()),
                ("Armeense", "Armenian", ("Armeens",)),
                ("vredesakkoord", "peace agreement", ("vredes-akkoord",)),
                ("Minskgroep", "Minsk Group", ("Minsk Groep",)),
            ]
        )
    )
    tb = Termbase(concepts)
    assert [c.id for c in tbm.search(tb, "ARMENIE")] == ["c0"]
    assert [c.id for c in tbm.search(tb, "armen")] == ["c1", "c0"]  # prefix, by file order
    assert [c.id for c in tbm.search(tb, "minsk-groep")] == ["c3"]
    assert [c.id for c in tbm.search(tb, "akkoord peace")] == []  # never across two terms
    assert [c.id for c in tbm.search(tb, "agreement")] == ["c2"]
