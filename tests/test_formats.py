"""The one format registry (glossary.files.formats): suffixes, content sniffing, roles.

The sniffing table runs on real files other tools made (tests/data/formats,
see tests/data/PROVENANCE.md), under their own names and renamed the way
users rename them (an XLIFF file named .xml, a PO file named .txt, a Word
file saved as .txt, subtitles named .txt, a TBX file named .xml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, SHARED
from glossary.cli import exchange as cli_exchange
from glossary.cli import translate as cli_translate
from glossary.errors import InputError, UnknownFormat, UnreadableFile
from glossary.exchange import registry as exchange
from glossary.files import formats
from glossary.translation import writers as docwriters

DATA = ROOT / "tests" / "data" / "formats"
# LTAC's TBX v3 sample, read in place (see tests/data/PROVENANCE.md).
ASTRONOMY = SHARED / "tbx" / "v3" / "TBX-Core" / "Example_Astronomy_DCA_VALID.tbx"

# (id, file in tests/data/formats, name it is given, format detected, by what)
SNIFFED = [
    ("xliff", "NSTest01.xlf", "NSTest01.xlf", "xliff", "content"),
    ("xliff-as-xml", "NSTest01.xlf", "job.xml", "xliff", "content"),
    ("xliff-1.1-as-txt", "states.xlf", "states.txt", "xliff", "content"),
    ("po-utf16", "Test01.po", "Test01.po", "po", "content"),
    ("po-as-txt", "pocount_fuzzy.po", "nl.txt", "po", "content"),
    ("po-utf16-as-txt", "Test01.po", "messages.txt", "po", "content"),
    ("tmx-named-txt", "sampleTMX2.txt", "sampleTMX2.txt", "tmx", "content"),
    ("tbx-bom-doctype", "test01.tbx", "test01.tbx", "tbx", "content"),
    ("tbx-as-xml", "test01.tbx", "terms.xml", "tbx", "content"),
    ("tbx3-as-tbx", ASTRONOMY, "astro.tbx", "tbx3", "content"),
    ("tbx3-as-xml", ASTRONOMY, "astro.xml", "tbx3", "content"),
    ("docx", "BoldWorld.docx", "BoldWorld.docx", "docx", "content"),
    ("docx-as-txt", "BoldWorld.docx", "brief.txt", "docx", "content"),
    ("xlsx-as-csv", "sample.xlsx", "terms.csv", "xlsx", "content"),
    ("odt-as-txt", "TestDocument02.odt", "brief.txt", "odt", "content"),
    ("pdf-as-txt", "crazyones.pdf", "crazyones.txt", "pdf", "content"),
    ("rtf-as-txt", "Test02.rtf", "brief.txt", "rtf", "content"),
    ("srt", "Test01_srt_en.srt", "Test01_srt_en.srt", "srt", "content"),
    ("srt-as-txt", "Test01_srt_en.srt", "ondertitels.txt", "srt", "content"),
    ("vtt-as-txt", "spec-example.vtt", "ondertitels.txt", "vtt", "content"),
    ("html-doctype", "simpleTest.html", "simpleTest.html", "html", "content"),
    ("html-utf16-as-txt", "FFFEBOM.html", "page.txt", "html", "content"),
    ("seed-text", SEEDS / "004_2e6791538f2596e0.txt", "brief.txt", "text", "name"),
    ("seed-as-md", SEEDS / "004_2e6791538f2596e0.txt", "brief.md", "markdown", "name"),
]


@pytest.mark.parametrize(
    ("source", "name", "expected", "by"),
    [case[1:] for case in SNIFFED],
    ids=[case[0] for case in SNIFFED],
)
def test_detect_real_files(source: str | Path, name: str, expected: str, by: str) -> None:
    data = (DATA / source).read_bytes()
    found = formats.detect(name, data[: formats.HEAD], "document-reader")
    assert found.format is not None
    assert (found.format.name, found.by) == (expected, by)


# Minimal files of formats with no real sample here yet (issue 14 collects them).
MADE = [
    (
        "xliff2",
        b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        b'version="2.0" srcLang="nl" trgLang="en"><file id="f"/></xliff>',
        "xliff",
    ),
    (
        "sdlxliff",
        b'<?xml version="1.0" encoding="utf-8"?><xliff xmlns:sdl="http://sdl.com/FileTypes/'
        b'SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>',
        "xliff",
    ),
    ("xml-comment-first", b"<!-- export -->\n<?pi x?>\n<tmx version='1.4'/>", "tmx"),
    ("doctype-subset", b"<!DOCTYPE martif [<!ENTITY a 'b'>]><martif/>", "tbx"),
    ("po-comments-first", b'# Dutch\n#, fuzzy\nmsgid ""\nmsgstr ""\n', "po"),
    ("po-plural", b'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n', "po"),
    ("srt-no-number", b"00:00:01,000 --> 00:00:02,000\nHallo.\n", "srt"),
    ("unknown-xml", b"<?xml version='1.0'?><catalog/>", "xml"),
    ("namespaced-xml", b"<w:document xmlns:w='urn:x'><w:body/></w:document>", "xml"),
    ("translation-json", b'{\n  "format": "glossary-translation",\n  "version": 1}', "json"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 30, "zip"),
    ("old-office", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30, "doc"),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in MADE], ids=[c[0] for c in MADE])
def test_sniff_made_files(data: bytes, expected: str) -> None:
    found = formats.sniff(data)
    assert found is not None and found.name == expected


# Text that mentions formats, or starts like markup, is not taken for them.
NOT_SNIFFED = [
    ("dutch-prose", "De OVSE meldt een staakt-het-vuren.\n"),
    ("po-lines-later", 'Een handleiding.\n\nmsgid "a"\nmsgstr "b"\n'),
    ("timecode-later", "Zie hieronder.\n1\n00:00:01,000 --> 00:00:02,000\n"),
    ("html-fragment", "<p>Een alinea.</p>"),
    ("br-first", "<br> Onze Referentie"),
    ("webvtt-word", "WEBVTTX is geen bestand."),
    ("unclosed-comment", "<!-- nooit gesloten"),
    ("angle-bracket-title", "<Vertrouwelijk>\nDe OVSE meldt iets.\n"),
    ("empty", ""),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_SNIFFED], ids=[c[0] for c in NOT_SNIFFED])
def test_prose_is_not_sniffed_as_a_format(text: str) -> None:
    assert formats.sniff(text.encode()) is None


def test_no_seed_and_no_doc_chapter_is_sniffed() -> None:
    for path in [*SEEDS.glob("*.txt"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        assert formats.sniff(path.read_bytes()) is None, path


def test_sniffing_a_long_prolog_is_linear() -> None:
    import time

    data = b"<!--" + b"-" * 60_000  # never closed: str.find, not backtracking
    started = time.perf_counter()
    for _ in range(20):
        formats.xml_root.cache_clear()
        formats.head_text.cache_clear()
        assert formats.xml_root(data) == ""
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        ("exports/termbase.tbx", "termbase-writer", "tbx"),
        ("CLIENT.TBX", "termbase-reader", "tbx"),
        ("termbase.tbx3.tbx", "termbase-writer", "tbx3"),
        ("x.tbx3", "termbase-writer", "tbx3"),
        ("termbase.po", "termbase-writer", "po"),
        ("brief.pot", "bilingual-reader", "po"),
        ("termbase.utf8", "termbase-writer", "tsv"),
        ("glossary.txt", "termbase-reader", "tsv"),
        ("brief.txt", "document-reader", "text"),
        ("brief.txt", None, "text"),
        ("segments.tsv", "bilingual-reader", "tsv"),
        ("deepl.csv", "termbase-writer", "csv"),
        ("brief.xlf", "bilingual-reader", "xliff"),
        ("job.sdlxliff", "bilingual-reader", "xliff"),
        ("brief.xliff", "bilingual-writer", "xliff"),
        ("memory.tmx", "bilingual-reader", "tmx"),
        ("notes.MD", "document-reader", "markdown"),
        ("page.htm", "document-reader", "html"),
    ],
    ids=lambda v: str(v),
)
def test_format_from_suffix(name: str, role: str | None, expected: str) -> None:
    found = formats.by_suffix(name, *([role] if role else []))
    assert found is not None and found.name == expected


def test_txt_is_plain_text_for_documents_and_omegat_for_termbases() -> None:
    """The one suffix two formats share, decided by the role in one place."""
    assert formats.detect("g.txt", b"vrede\tpeace\n", "document-reader").format == formats.get(
        "text"
    )
    assert formats.detect("g.txt", b"vrede\tpeace\n", "termbase-reader").format == formats.get(
        "tsv"
    )


@pytest.mark.parametrize(
    ("name", "role"),
    [("notes.docx", "termbase-writer"), ("brief.xlf", "termbase-writer"), ("deepl.csv", "units")],
    ids=["unknown-suffix", "xliff-is-not-a-termbase", "csv-has-no-segments"],
)
def test_unknown_or_unfit_suffix(name: str, role: str) -> None:
    with pytest.raises(UnknownFormat, match="pass --format"):
        exchange.infer(name, role)


def test_choose_by_content_then_name(tmp_path: Path) -> None:
    xliff = (DATA / "NSTest01.xlf").read_bytes()
    assert exchange.choose("job.xml", xliff, "bilingual-reader").name == "xliff"
    po = (DATA / "pocount_fuzzy.po").read_bytes()
    assert exchange.choose("glossary.txt", po, "termbase-reader").name == "po"
    # The name's format reads strictly: a .tbx holding HTML goes to the TBX reader,
    # which refuses it with its own message.
    assert exchange.choose("a.tbx", b"<html><body/></html>", "termbase-reader").name == "tbx"
    # A name that says nothing usable and content that cannot serve: refused, saying what.
    docx = (DATA / "BoldWorld.docx").read_bytes()
    with pytest.raises(UnknownFormat, match=r"x\.bin is a Word document \(DOCX\), which cannot"):
        exchange.choose("x.bin", docx, "termbase-reader")
    rtf = (DATA / "Test02.rtf").read_bytes()
    with pytest.raises(UnknownFormat, match=r"x\.bin is an RTF document, which cannot"):
        exchange.choose("x.bin", rtf, "termbase-reader")


def test_describe_says_what_and_how_it_was_decided() -> None:
    data = (DATA / "sampleTMX2.txt").read_bytes()
    found = formats.detect("memory.txt", data, "document-reader")
    assert found.renamed and found.named == formats.get("text")
    assert found.describe() == (
        "memory.txt is a TMX translation memory (bilingual: source and target segments), "
        "by its content (its name ends in .txt)"
    )


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="text, markdown, html, docx"):
        formats.get("nope")


def test_every_registered_function_exists_and_is_callable() -> None:
    for fmt in formats.FORMATS.values():
        for role in formats.ROLES:
            if fmt.offers(role):
                assert callable(fmt.function(role)), (fmt.name, role)
            else:
                with pytest.raises(UnknownFormat, match="does not exist"):
                    fmt.function(role)


def test_every_format_has_a_suffix_and_binary_ones_a_sniffer() -> None:
    for fmt in formats.FORMATS.values():
        assert fmt.suffixes or fmt.name == "encrypted"  # known by its content only
        assert all(s.startswith(".") and s == s.lower() for s in fmt.suffixes)
        assert fmt.label and fmt.kind
        if fmt.binary:  # recognised by content; written as bytes, never as text
            assert fmt.sniff is not None, fmt.name
            assert not (fmt.bilingual_writer or fmt.termbase_writer)
        if fmt.offers("document-writer") or fmt.offers("bilingual-writer"):
            assert fmt.extension in fmt.suffixes, fmt.name


def test_cli_choices_match_the_registry() -> None:
    """The CLI keeps literal choices (fast --help); they must not drift."""
    assert formats.names("termbase-writer") == cli_exchange.EXPORT_FORMATS
    assert formats.names("termbase-reader") == cli_exchange.IMPORT_FORMATS
    assert set(cli_exchange.UNIT_FORMATS) == set(formats.names("bilingual-reader"))
    assert cli_translate.FORMAT_CHOICES == docwriters.FORMATS


def test_older_purpose_names_still_work() -> None:
    assert exchange.infer("x.tbx", "termbase").name == "tbx"
    assert formats.get("po").function("units") is formats.get("po").function("bilingual-reader")


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Armenië".encode(), "Armenië"),
        (b"\xef\xbb\xbf" + "Armenië".encode(), "Armenië"),
        (b"\xff\xfe" + "Armenië".encode("utf-16-le"), "Armenië"),
        (b"\xfe\xff" + "Armenië".encode("utf-16-be"), "Armenië"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_decode_text(data: bytes, text: str) -> None:
    assert exchange.decode_text(data, "f.txt") == text


def test_decode_text_names_line_and_column_of_bad_bytes() -> None:
    """Exchange files must be UTF-8: the one policy in its strict form."""
    with pytest.raises(UnreadableFile) as info:
        exchange.decode_text(b"vrede\tpeace\ncaf\xe9\tcafe\n", "g.txt")
    message = str(info.value)
    assert "g.txt:2:4:" in message and "b'\\xe9'" in message and "UTF-8" in message


def test_decode_text_refuses_binary() -> None:
    with pytest.raises(InputError, match=r"g\.csv is a PDF file, not text"):
        exchange.decode_text(b"%PDF-1.4\n", "g.csv")


def test_segment_key_uses_the_file_name_only() -> None:
    assert exchange.segment_key("/data/seeds/a.txt", 12) == "a.txt#12"
    assert exchange.segment_key("a.txt", 0) == exchange.segment_key("elsewhere/a.txt", 0)
