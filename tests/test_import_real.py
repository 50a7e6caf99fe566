"""Importing termbases that other tools and people made (tests/data/termbases,
see tests/data/PROVENANCE.md, and the LTAC samples in ../shared/tbx):
identity by Dutch term, term status, what is dropped, Dutch Excel, header
rows, language pairs, round trips."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import ROOT, SHARED
from glossary.cli import main
from glossary.errors import ImportFormatError
from glossary.exchange import registry as formats
from glossary.exchange.importing import import_file, read_concepts
from glossary.exchange.registry import ExportOptions, ImportOptions
from glossary.lang.text import clean_value
from glossary.termbase.model import Termbase, serialize_tsv
from glossary.termbase.store import read_termbase

DATA = ROOT / "tests" / "data" / "termbases"
LTAC = SHARED / "tbx"
BASIC_GOOD = LTAC / "v3" / "test_files" / "basic_good.tbx"
MIN_GOOD = LTAC / "v3" / "test_files" / "min_good.tbx"
CORE_GOOD = LTAC / "v3" / "test_files" / "core_structure_good.tbx"
DCA = LTAC / "v3" / "TBX-Basic" / "DCA" / "Example_Astronomy_DCA_VALID.tbx"
DCT = LTAC / "v3" / "TBX-Basic" / "DCT" / "Example_Astronomy_DCT_VALID.tbx"
V2_SAMPLE = LTAC / "v2" / "TBX-Basic" / "TBX-basic-sample.tbx"
SPANISH = ImportOptions(source_lang="es", target_lang="en", languages_given=True)
GERMAN = ImportOptions(source_lang="de", target_lang="en", languages_given=True)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def termbase(tmp_path: Path) -> Path:
    return tmp_path / "glossary" / "termbase.tsv"


def load(path: Path) -> Termbase:
    return read_termbase(path)


# ------------------------------------------------------- identity by Dutch term


def test_c1_to_cn_files_in_a_row_fuse_nothing(termbase: Path) -> None:
    """De Nederlandsche Bank's Solvency II termbase numbers its entries c0…c4288,
    the LTAC astronomy samples c1…c45 and the TBX-Basic sample c5…c7: imported
    one after the other, every entry stays its own concept."""
    first = import_file(termbase, DATA / "termate-solvency2_termbase-first40.tbx", create=True)
    second = import_file(termbase, BASIC_GOOD, options=SPANISH)
    third = import_file(termbase, V2_SAMPLE, options=GERMAN)
    for report in (first, second, third):
        assert report.count("merged") == report.count("replaced") == report.count("conflict") == 0
    tb = load(termbase)
    assert len(tb) == first.count("added") + second.count("added") + third.count("added")
    # No concept holds terms of two files: c1 of the Solvency file ("verordening")
    # kept its own Dutch term, no Spanish astronomy term came in as its variant.
    verordening = next(c for c in tb if c.nl == "verordening")
    assert verordening.nl_variants == () and verordening.id == "verordening"
    assert not any(c.id.startswith("c") and c.id[1:].isdigit() for c in tb)


def test_the_same_file_twice_is_unchanged_not_doubled(termbase: Path) -> None:
    path = DATA / "termate-solvency2_termbase-first40.tbx"
    first = import_file(termbase, path, create=True)
    again = import_file(termbase, path)
    assert again.count("unchanged") == first.count("added") == 40
    assert len(load(termbase)) == 40


# -------------------------------------------------------------- term status


def _deprecated_english(path: Path) -> set[str]:
    """English terms the file marks deprecated or superseded, read independently."""
    tree = etree.parse(str(path))
    found: set[str] = set()
    for lang_sec in tree.iter("{*}langSec", "{*}langSet"):
        if lang_sec.get("{http://www.w3.org/XML/1998/namespace}lang", "").split("-")[0] != "en":
            continue
        for term_sec in lang_sec:
            statuses = [
                (e.text or "").strip()
                for e in term_sec.iter()
                if isinstance(e.tag, str)
                and (
                    e.get("type") in ("administrativeStatus", "usageStatus")
                    or e.tag.endswith("}administrativeStatus")
                )
            ]
            if any(s.startswith(("deprecated", "superseded")) for s in statuses):
                found.update(t.text.strip() for t in term_sec.iter("{*}term") if t.text)
    return found


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (BASIC_GOOD, SPANISH),
        (MIN_GOOD, SPANISH),
        (DCA, SPANISH),
        (DCT, SPANISH),
        (V2_SAMPLE, ImportOptions(source_lang="fr", target_lang="en", languages_given=True)),
    ],
    ids=["v3-basic-usageStatus", "v3-min", "v3-dca-adminStatus", "v3-dct-elements", "v2-basic"],
)
def test_deprecated_terms_come_out_forbidden(path: Path, options: ImportOptions) -> None:
    _, result = read_concepts(path, options=options)
    expected = _deprecated_english(path)
    forbidden = {t for c in result.concepts for t in c.en_forbidden}
    allowed = {t for c in result.concepts for t in (c.en, *c.en_alternatives)}
    assert expected, "the sample marks some English terms deprecated"
    # Terms of entries with a source-language term; all of them are forbidden, none allowed.
    assert forbidden <= expected and not (expected & allowed)
    assert len(forbidden) >= len(expected) - 1  # one deprecated term sits in an entry without es


def _contexts(path: Path, lang: str, with_lang: str) -> set[str]:
    """Contexts in `lang` of the entries that have a `with_lang` section."""
    tree = etree.parse(str(path))
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return {
        " ".join("".join(d.itertext()).split())
        for entry in tree.iter("{*}conceptEntry")
        if any(sec.get(xml_lang) == with_lang for sec in entry.iter("{*}langSec"))
        for sec in entry.iter("{*}langSec")
        if sec.get(xml_lang) == lang
        for d in sec.iter("{*}descrip")
        if d.get("type") == "context"
    }


def test_v3_basic_sample_maps_fields_to_the_right_language() -> None:
    _, result = read_concepts(BASIC_GOOD, options=SPANISH)
    assert len(result.concepts) == 39 and result.ignored == 6  # 6 entries have no Spanish
    spanish, english = _contexts(BASIC_GOOD, "es", "es"), _contexts(BASIC_GOOD, "en", "es")
    assert spanish and english and not (spanish & english)
    contexts = {c.context for c in result.concepts if c.context}
    # The source-language context is the context; English ones never are: they
    # are kept in the note, labelled.
    assert contexts and contexts <= spanish
    notes = " ".join(c.note for c in result.concepts)
    assert all(f"Context (en): {clean_value(e)}" in notes for e in english)
    # Entry-level and term-level sources (admin type="source") become sources.
    assert sum(len(c.sources) for c in result.concepts) > 39


def test_the_summary_names_what_was_dropped(termbase: Path) -> None:
    code, out, err = run(
        "import",
        str(BASIC_GOOD),
        "--source-lang",
        "es",
        "--target-lang",
        "en",
        "--termbase",
        str(termbase),
        "--report",
        "json",
    )
    assert code == 0, err
    report = json.loads(out)
    dropped = {(d["kind"], d["name"]): d["count"] for d in report["dropped"]}
    assert dropped[("other languages", "zu")] == 6
    # Every transacGrp of the file but the 12 inside the Zulu sections, left out with them.
    assert dropped[("history", "transactions")] == 316 - 12
    assert dropped[("graphics", "xGraphic")] == 34
    assert dropped[("other fields", "termType")] == 25
    assert "Not imported (the termbase has no place for them):" in err
    assert "history: 304 (transactions)" in err and "other languages: 6 (zu)" in err


# ---------------------------------------------------- tabular: Excel, headers


def test_dutch_excel_csv_imports_the_right_rows_only(termbase: Path) -> None:
    code, _, err = run(
        "import", str(DATA / "made-dutch-excel.csv"), "--termbase", str(termbase), "--dry-run"
    )
    assert code == 0, err
    assert "Windows-1252" in err and "semicolon-separated" in err
    _, result = read_concepts(DATA / "made-dutch-excel.csv")
    pairs = [(c.nl, c.en) for c in result.concepts]
    assert pairs == [
        ("staakt-het-vuren", "ceasefire"),
        ("Armenië", "Armenia"),
        ("financiële steun", "financial support"),
        ("één China-beleid", "one-China policy"),
        ("Hoge Vertegenwoordiger", "High Representative"),
        ("vredesakkoord", "peace agreement; peace accord"),
        ("OVSE", "OSCE"),
    ]
    assert result.concepts[2].note == "ook: financiële hulp"
    assert not any(c.nl in ("Nederlands", "Engels") for c in result.concepts)


def test_weblate_csv_with_a_source_target_header() -> None:
    path = DATA / "weblate-fr-multi.csv"
    with pytest.raises(ImportFormatError, match="looks English, not Dutch"):
        import_file(Path("unused.tsv"), path, dry_run=True, create=True)
    options = ImportOptions(source_lang="en", target_lang="fr", languages_given=True)
    _, result = read_concepts(path, options=options)
    assert [(c.nl, c.en, c.en_alternatives) for c in result.concepts] == [
        (
            "Myocardial infarction (disorder)",
            "Infarctus myocardique",
            ("Infarctus du myocarde", "Infarctus cardiaque"),
        ),
        ("Stomach ache (finding)", "douleur à l'estomac", ("douleur gastrique",)),
    ]
    assert result.dropped == (("ids", "context", 5),)  # Weblate's context is a msgctxt


def test_omegat_utf16_tab_glossary_with_comments() -> None:
    options = ImportOptions(source_lang="en", target_lang="en", languages_given=True)
    _, result = read_concepts(DATA / "omegat-testUTF16LE.txt", options=options)
    assert [(c.nl, c.en, c.note) for c in result.concepts] == [
        ("UTF", "Unicode Transformation Format", "Comment #1"),
        ("LE", "Little Endian", "Comment #2"),
    ]


def test_xlsx_made_in_excel_style() -> None:
    _, result = read_concepts(DATA / "made-nederlands-engels.xlsx")
    assert [(c.nl, c.en, c.pos) for c in result.concepts] == [
        ("staakt-het-vuren", "ceasefire", "noun"),
        ("Armenië", "Armenia", ""),
        ("vredesakkoord", "peace agreement", "noun"),
        ("artikel 5", "Article 5", ""),
        ("2020", "2020", ""),
    ]
    assert result.concepts[0].definition.startswith("Een door partijen")
    assert ("other sheets", "Notities", 1) in result.dropped


def test_xlsx_termbase_with_one_row_per_term() -> None:
    """De Nederlandsche Bank's Solvency II termbase as a spreadsheet:
    id, language, term, termType, partOfSpeech, grammaticalNumber, xref."""
    _, result = read_concepts(DATA / "termate-solvency2_termbase.xlsx")
    by_nl = {c.nl: c for c in result.concepts}
    assert len(by_nl) == 4275  # 4,289 entries, 14 of them repeat a Dutch term
    assert (by_nl["verordening"].en, by_nl["verordening"].pos) == ("ordinance", "noun")
    assert by_nl["niet-wetgevingshandelingen"].status == "proposed"  # no English
    dropped = {(k, n): c for k, n, c in result.dropped}
    assert dropped[("cross-references", "xref")] == 1410
    assert dropped[("columns", "termType")] == 5619


# ---------------------------------------------------------- language pairs

WRONG_PAIRS = [
    (
        "weblate-cs.tbx",
        DATA / "weblate-cs.tbx",
        "no Dutch (nl) terms; its languages are en (4), cs (4)",
    ),
    ("ltac-en-es-zu.tbx", BASIC_GOOD, "its languages are en (39), es (39), zu (6)"),
    ("omegat-en-hu.tbx", DATA / "omegat-sampleTBXfile.tbx", "en (1), hu (1)"),
    ("omegat-en-ja.txt", DATA / "omegat-project-glossary.txt", "so it is not English"),
    ("omegat-zh-ja.txt", DATA / "omegat-project_CN_JP-glossary.txt", "script other than Latin"),
    ("tbx-en-only.tbx", DATA / "termate-test.tbx", "no Dutch (nl) terms; its languages are en (1)"),
]


@pytest.mark.parametrize(("name", "path", "message"), WRONG_PAIRS, ids=[w[0] for w in WRONG_PAIRS])
def test_wrong_language_pairs_are_refused(
    termbase: Path, name: str, path: Path, message: str
) -> None:
    code, out, err = run("import", str(path), "--termbase", str(termbase))
    assert (code, out) == (1, "")
    assert message in err and "--source-lang" in err and "Traceback" not in err
    assert not termbase.exists()


PO_PAIRS = [
    ("language-af", 'msgid ""\nmsgstr "Language: af\\n"\n\nmsgid "file"\nmsgstr "lêer"\n', "'af'"),
    (
        "team-afrikaans",
        'msgid ""\nmsgstr "Language-Team: Afrikaans <af@li.org>\\n"\n\n'
        'msgid "file"\nmsgstr "lêer"\n',
        "'af'",
    ),
    (
        "no-header-english-msgids",
        "".join(
            f'msgid "{en}"\nmsgstr "{af}"\n\n'
            for en, af in [
                ("Open the file", "Maak die lêer oop"),
                ("Save the file", "Stoor die lêer"),
                ("You have no permission", "Jy het geen toestemming nie"),
                ("Close the window", "Maak die venster toe"),
                ("Print this page", "Druk hierdie bladsy"),
            ]
        ),
        "looks English, not Dutch",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), PO_PAIRS, ids=[p[0] for p in PO_PAIRS])
def test_po_files_of_another_pair_are_refused(
    tmp_path: Path, termbase: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / "af.po"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("import", str(path), "--termbase", str(termbase))
    assert code == 1 and message in err and "--source-lang nl --target-lang" in err
    # The override: name the languages and the file is read as given.
    code, _, err = run(
        "import",
        str(path),
        "--termbase",
        str(termbase),
        "--source-lang",
        "en",
        "--target-lang",
        "af",
    )
    assert code == 0, err


def test_the_override_reads_other_languages_as_dutch_and_english(termbase: Path) -> None:
    code, _, err = run(
        "import",
        str(DATA / "weblate-cs.tbx"),
        "--termbase",
        str(termbase),
        "--source-lang",
        "cs",
        "--target-lang",
        "en",
    )
    assert code == 0, err
    assert [(c.nl, c.en) for c in load(termbase)][:2] == [
        ("adresní řádek", "address bar"),
        ("spravovat", "administrate"),
    ]


def test_weblate_status_and_translation_flags() -> None:
    options = ImportOptions(source_lang="fr", target_lang="en", languages_given=True)
    _, result = read_concepts(DATA / "weblate-fr-extended-metadata.tbx", options=options)
    bus, code = result.concepts
    # "obsolete" English term: a forbidden rendering, so no English to enforce.
    assert (bus.nl, bus.en, bus.en_forbidden, bus.status) == (
        "bus de données",
        "",
        ("data bus",),
        "proposed",
    )
    assert "Avoid using this term" in bus.note
    # <descrip type="Translation needed">No</descrip>: do not translate.
    assert (code.nl, code.en, code.dnt) == ("SYS_ERR_406", "SYS_ERR_406", True)
    assert code.note == "Do not translate error codes."


# ------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "po"])
@pytest.mark.parametrize(
    ("path", "options"),
    [
        (DATA / "termate-solvency2_termbase.xlsx", ImportOptions()),
        (BASIC_GOOD, SPANISH),
        (DATA / "made-dutch-excel.csv", ImportOptions()),
    ],
    ids=["dnb-xlsx", "ltac-basic", "dutch-excel"],
)
def test_import_export_import_keeps_everything(
    path: Path, options: ImportOptions, fmt: str
) -> None:
    _, result = read_concepts(path, options=options)
    imported = Termbase(result.concepts)
    stream = io.StringIO()
    formats.get(fmt).function("termbase")(imported.concepts, stream, ExportOptions())
    again = formats.get(fmt).function("termbase-read")(stream.getvalue().encode(), f"again.{fmt}")
    assert again.dropped == () and again.skipped == ()
    assert serialize_tsv(Termbase(again.concepts)) == serialize_tsv(imported)


def test_table_options_reach_the_reader(tmp_path: Path, termbase: Path) -> None:
    path = tmp_path / "lijst.txt"
    path.write_text("nl;en;x\nvrede;peace;a, b\noorlog;war;c\n", encoding="utf-8")
    code, out, err = run(
        "import",
        str(path),
        "--termbase",
        str(termbase),
        "--format",
        "csv",
        "--delimiter",
        "semicolon",
        "--no-header",
        "--columns",
        "nl,en,note",
        "--report",
        "json",
    )
    assert code == 0, err
    assert [a["nl"] for a in json.loads(out)["actions"]] == ["nl", "vrede", "oorlog"]
    assert load(termbase).get("vrede").note == "a, b"
    code, _, err = run("import", str(path), "--termbase", str(termbase), "--source-lang", "xx-1")
    assert code == 2 and "not a language code" in err
