"""TSV (OmegaT) and CSV (DeepL, Amazon) glossaries: export, import, broken files."""

from __future__ import annotations

import csv
import io

import pytest

from exchange_samples import rich_termbase
from glossary.errors import InvalidValue, UnreadableFile
from glossary.exchange import tabular
from glossary.exchange.registry import ExportOptions, ImportOptions
from glossary.termbase.model import HEADER, Termbase, make_concept, serialize_tsv


def tsv_text(termbase: Termbase | None = None, statuses: tuple[str, ...] = ("approved",)) -> str:
    stream = io.StringIO()
    tb = termbase or rich_termbase()
    tabular.write_tsv(tb.with_status(*statuses), stream, ExportOptions())
    return stream.getvalue()


def csv_text(header: bool = False, termbase: Termbase | None = None) -> str:
    stream = io.StringIO()
    tb = termbase or rich_termbase()
    tabular.write_csv(tb.with_status("approved"), stream, ExportOptions(header=header))
    return stream.getvalue()


# ------------------------------------------------------------------- TSV


def test_tsv_is_omegat_shaped() -> None:
    lines = tsv_text().splitlines()
    assert lines[0] == tabular.CODING_LINE
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) in (2, 3) for row in rows)
    by_term = {row[0]: row for row in rows}
    assert by_term["staakt-het-vuren"][:2] == ["staakt-het-vuren", "ceasefire"]
    assert by_term["staakt het vuren"][2].startswith("Variant of: staakt-het-vuren; noun")
    assert "Forbidden: stop-the-fire" in by_term["staakt-het-vuren"][2]
    assert by_term["Stepanakert"][1] == "Stepanakert"  # do not translate: the name
    assert "Do not translate" in by_term["Stepanakert"][2]
    assert "vredesakkoord" not in by_term  # proposed: not by default


def test_tsv_round_trip_keeps_what_the_format_holds() -> None:
    source = rich_termbase().with_status("approved", "proposed")
    result = tabular.read_tsv(tsv_text(statuses=("approved", "proposed")).encode(), "g.utf8")
    assert result.skipped == ()
    got = {c.nl: c for c in result.concepts}
    for concept in source:
        if not concept.target:
            continue
        back = got[concept.nl]
        assert (back.en or back.nl if back.dnt else back.en) == concept.target
        assert back.nl_variants == concept.nl_variants
        assert back.en_forbidden == concept.en_forbidden
        assert (back.pos, back.status, back.dnt, back.case_sensitive) == (
            concept.pos,
            concept.status,
            concept.dnt,
            concept.case_sensitive,
        )
        assert (back.definition, back.note, back.subject) == (
            concept.definition,
            concept.note,
            concept.subject,
        )


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("noun", {"pos": "noun"}),
        ("Note: a; b; Definition: c", {"Note": "a; b", "Definition": "c"}),
        ("free text; verb", {"pos": "verb", "Note": "free text"}),
        ("Do not translate; Case-sensitive", {"dnt": "yes", "case_sensitive": "yes"}),
        ("", {}),
    ],
    ids=["pos", "semicolons-in-values", "foreign-comment", "flags", "empty"],
)
def test_comment_parsing(comment: str, expected: dict[str, str]) -> None:
    assert tabular.parse_comment(comment) == expected


def test_tsv_import_reads_a_whole_termbase_file() -> None:
    text = serialize_tsv(rich_termbase())
    assert text.startswith(HEADER)
    result = tabular.read_tsv(text.encode(), "termbase.tsv")
    assert serialize_tsv(Termbase(result.concepts)) == text


def test_tsv_import_reports_rows_with_one_column() -> None:
    result = tabular.read_tsv(b"# comment\nvrede\tpeace\noorlog\n\n", "g.txt")
    assert [c.nl for c in result.concepts] == ["vrede"]
    (problem,) = result.skipped
    assert problem.line == 3 and "1 column" in problem.message


def test_tsv_import_accepts_utf16_from_spreadsheets() -> None:
    data = "\ufeffArmenië\tArmenia\n".encode("utf-16-le")
    (concept,) = tabular.read_tsv(b"\xff\xfe" + data[2:], "g.txt").concepts
    assert concept.nl == "Armenië"


# ------------------------------------------------------------------- CSV


def test_csv_is_two_columns_and_quotes_what_needs_it() -> None:
    tb = Termbase(
        (
            make_concept("vrede, veiligheid", "peace, security"),
            make_concept('de "Raad"', 'the "Council"'),
            make_concept("motie", "motion", nl_variants=["moties"]),
        )
    )
    text = csv_text(termbase=tb)
    assert text.splitlines()[0] == '"de ""Raad""","the ""Council"""'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ['de "Raad"', 'the "Council"'],
        ["motie", "motion"],
        ["moties", "motion"],
        ["vrede, veiligheid", "peace, security"],
    ]


def test_csv_header_for_amazon() -> None:
    assert csv_text(header=True).splitlines()[0] == "nl,en"
    assert not csv_text().startswith("nl,en")


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("vrede,peace\noorlog,war\n", [("vrede", "peace"), ("oorlog", "war")]),
        ("nl,en\nvrede,peace\n", [("vrede", "peace")]),
        ("en-GB,nl-NL\npeace,vrede\n", [("vrede", "peace")]),
        ("VN,UN\nEU,EU\n", [("VN", "UN"), ("EU", "EU")]),
        ('"vrede, rust",peace\n', [("vrede, rust", "peace")]),
        ("\ufeffvrede,peace\r\n", [("vrede", "peace")]),
        ("vrede,peace,nl,en\n", [("vrede", "peace")]),
    ],
    ids=[
        "deepl",
        "amazon-header",
        "header-reversed",
        "acronyms-not-header",
        "quoted",
        "bom-crlf",
        "deepl-4-columns",
    ],
)
def test_csv_import(text: str, pairs: list[tuple[str, str]]) -> None:
    result = tabular.read_csv(text.encode("utf-8"), "g.csv")
    assert [(c.nl, c.en) for c in result.concepts] == pairs
    assert result.skipped == ()


def test_csv_round_trip() -> None:
    result = tabular.read_csv(csv_text(header=True).encode(), "g.csv")
    exported = {(row[0], row[1]) for row in csv.reader(io.StringIO(csv_text()))}
    # Rows whose Dutch terms fold to one key ("staakt het vuren", "staakthetvuren")
    # come back as one concept with variants.
    assert {(t, c.en) for c in result.concepts for t in c.nl_terms} == exported


HOSTILE_CSV = [
    (
        "unterminated-quote",
        b'vrede,peace\n"oorlog,war\nrust,calm\n',
        "g.csv:2:",
        "never closed",
    ),
    ("text-after-quote", b'vrede,peace\n"oorlog"x,war\n', "g.csv:2:", "double a quote"),
]


@pytest.mark.parametrize(
    ("name", "data", "where", "hint"), HOSTILE_CSV, ids=[h[0] for h in HOSTILE_CSV]
)
def test_broken_csv_is_refused(name: str, data: bytes, where: str, hint: str) -> None:
    with pytest.raises(UnreadableFile) as info:
        tabular.read_csv(data, "g.csv")
    assert where in str(info.value) and hint in str(info.value)


def test_cp1252_csv_is_read_with_a_warning() -> None:
    result = tabular.read_csv("vrede,peace\ncaf\u00e9,coffee\n".encode("cp1252"), "g.csv")
    assert [c.nl for c in result.concepts] == ["vrede", "café"]
    (warning,) = result.warnings
    assert "g.csv:2" in warning and "Windows-1252" in warning


def test_csv_problems_inside_rows_are_located() -> None:
    data = b'vrede,peace\n"oorlog\nin twee regels",war\nalleen\nx|y,z\n'
    result = tabular.read_csv(data, "g.csv")
    assert [c.nl for c in result.concepts] == ["vrede"]
    lines = [(p.line, p.message.split(":")[0]) for p in result.skipped]
    assert lines[0] == (2, "a quoted value spans several lines")
    assert lines[1][0] == 4 and "1 column" in lines[1][1]
    assert lines[2][0] == 5 and "|" in result.skipped[2].message


# -------------------------------------------------------------- segments


def test_units_from_plain_and_translate_tsv() -> None:
    plain = tabular.read_units_tsv(b"De OVSE.\tThe OSCE.\n# skip\n\nVrede.\tPeace.\n", "s.tsv")
    assert [(u.source, u.target, u.ref) for u in plain] == [
        ("De OVSE.", "The OSCE.", "s.tsv:1"),
        ("Vrede.", "Peace.", "s.tsv:4"),
    ]
    table = (
        "doc\tline\tkind\tsource\ttarget\tscore\n"
        "a.txt\t3\ttext\tDe OVSE.\tThe OSCE.\t-0.5\n"
        "a.txt\t4\tfurniture\t- 2 -\t\t\n"
    )
    (unit,) = tabular.read_units_tsv(table.encode(), "t.tsv")
    assert (unit.source, unit.target, unit.ref) == ("De OVSE.", "The OSCE.", "a.txt:3")
    with pytest.raises(UnreadableFile, match="only one column"):
        tabular.read_units_tsv(b"just text\n", "x.tsv")


# ------------------------------------------------- sniffing, headers, columns

SNIFF = [
    (
        "semicolon",
        "vrede;peace\noorlog;war\n",
        ImportOptions(),
        [("vrede", "peace"), ("oorlog", "war")],
    ),
    (
        "semicolon-with-commas-in-values",
        "vrede, veiligheid;peace, security\noorlog;war\n",
        ImportOptions(),
        [("vrede, veiligheid", "peace, security"), ("oorlog", "war")],
    ),
    (
        "comma-with-a-semicolon-in-a-value",
        "kde; question,comma\nvrede,peace\noorlog,war\n",
        ImportOptions(),
        [("kde; question", "comma"), ("vrede", "peace"), ("oorlog", "war")],
    ),
    (
        "tab-in-a-csv-file",
        "vrede\tpeace\noorlog\twar\n",
        ImportOptions(),
        [("vrede", "peace"), ("oorlog", "war")],
    ),
    (
        "delimiter-option",
        "vrede;peace,rest\n",
        ImportOptions(delimiter=","),
        [("vrede;peace", "rest")],
    ),
    (
        "header-engels-nederlands",
        "Engels;Nederlands\npeace;vrede\n",
        ImportOptions(),
        [("vrede", "peace")],
    ),
    (
        "header-with-fields",
        "Term (nl),Term (en),Definitie,Woordsoort\n"
        "vrede,peace,Geen oorlog.,zelfstandig naamwoord\n",
        ImportOptions(),
        [("vrede", "peace")],
    ),
    (
        "no-header-option",
        "nl,en\nvrede,peace\n",
        ImportOptions(header=False),
        [("nl", "en"), ("vrede", "peace")],
    ),
    (
        "columns-option",
        "1;peace;vrede;x\n2;war;oorlog;y\n",
        ImportOptions(columns=("-", "en", "nl", "note"), languages_given=True),
        [("vrede", "peace"), ("oorlog", "war")],
    ),
    (
        "same-dutch-term-on-two-rows",
        "vrede,peace\nvrede,quiet\n",
        ImportOptions(),
        [("vrede", "peace")],
    ),
]


@pytest.mark.parametrize(("name", "text", "options", "pairs"), SNIFF, ids=[s[0] for s in SNIFF])
def test_delimiters_headers_and_columns(
    name: str, text: str, options: ImportOptions, pairs: list[tuple[str, str]]
) -> None:
    result = tabular.read_csv(text.encode("utf-8"), "g.csv", options)
    assert [(c.nl, c.en) for c in result.concepts] == pairs
    assert result.skipped == ()


def test_header_fields_are_mapped() -> None:
    text = (
        "Nederlands;Engels;Definitie;Woordsoort;Afkorting;Verboden\n"
        "Organisatie voor Veiligheid en Samenwerking in Europa;"
        "Organization for Security and Co-operation in Europe;"
        "Een veiligheidsorganisatie.;eigennaam;OVSE;Organisation for Security\n"
    )
    (concept,) = tabular.read_csv(text.encode(), "g.csv").concepts
    assert (concept.definition, concept.pos, concept.nl_variants, concept.en_forbidden) == (
        "Een veiligheidsorganisatie.",
        "properNoun",
        ("OVSE",),
        ("Organisation for Security",),
    )


def test_two_rows_of_one_dutch_term_give_alternatives() -> None:
    (concept,) = tabular.read_csv(b"vrede,peace\nvrede,quiet\n", "g.csv").concepts
    assert (concept.en, concept.en_alternatives) == ("peace", ("quiet",))


def test_unknown_columns_option_is_refused() -> None:
    with pytest.raises(InvalidValue, match="Unknown column name 'dutch'"):
        tabular.read_csv(b"a,b\n", "g.csv", ImportOptions(columns=("dutch", "en")))
    with pytest.raises(InvalidValue, match="must name the Dutch column"):
        tabular.read_csv(b"a,b\n", "g.csv", ImportOptions(columns=("en", "note")))


def test_a_header_naming_another_pair_is_refused() -> None:
    with pytest.raises(UnreadableFile, match=r"the header names en, ug, not Dutch \(nl\)"):
        tabular.read_csv("English,Uyghur\nbook,كىتاب\n".encode(), "g.csv")
    with pytest.raises(UnreadableFile, match="nl→de, not nl→en"):
        tabular.read_csv(b"Nederlands;Duits\nvrede;Frieden\n", "g.csv")
    # Dutch and English with a third language: the third is left out and counted.
    result = tabular.read_csv(b"Nederlands;Engels;Duits\nvrede;peace;Frieden\n", "g.csv")
    assert [(c.nl, c.en) for c in result.concepts] == [("vrede", "peace")]
    assert result.dropped == (("other languages", "de", 1),)
