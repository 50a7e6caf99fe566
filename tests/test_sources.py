"""Where documents come from (glossary.reading.sources): gathering, refusing, source sides.

Real files other tools made (tests/data/formats) given where a document is
expected: each is refused with what it is and the command that handles it,
or read as its source side when asked; a folder names every file it skips.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from glossary.document import Document
from glossary.errors import InputError
from glossary.exchange import tmx
from glossary.reading import ingest, sources
from glossary.reading.ingest import read_document
from test_docwriters import make_doc, translate_upper

DATA = ROOT / "tests" / "data" / "formats"

# (id, real file, the name it is given, what the refusal must say)
REFUSED = [
    (
        "xliff",
        "NSTest01.xlf",
        "job.xlf",
        [
            "job.xlf is an XLIFF file (bilingual: source and target segments), not a document",
            "'glossary check job.xlf'",
            "'glossary merge job.xlf SOURCE'",
            "--source-side",
            "pre-translate it in place with 'glossary translate job.xlf'",
        ],
    ),
    (
        "xliff-as-xml",
        "NSTest01.xlf",
        "job.xml",
        ["job.xml is an XLIFF file", "by its content (its name ends in .xml)"],
    ),
    ("po-as-txt", "pocount_fuzzy.po", "nl.txt", ["nl.txt is a gettext PO file", "by its content"]),
    ("tmx-named-txt", "sampleTMX2.txt", "memory.txt", ["a TMX translation memory"]),
    ("tbx", "test01.tbx", "terms.tbx", ["a TBX 2008 (v2) termbase", "'glossary import terms.tbx'"]),
    ("rtf", "Test02.rtf", "brief.rtf", ["an RTF document", "cannot read yet", "plain text"]),
    ("xlsx", "sample.xlsx", "terms.xlsx", ["an Excel workbook", "'glossary import terms.xlsx'"]),
]


@pytest.mark.parametrize(
    ("source", "name", "says"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_non_documents_are_refused_with_the_right_command(
    tmp_path: Path, source: str, name: str, says: list[str]
) -> None:
    path = tmp_path / name
    shutil.copy(DATA / source, path)
    with pytest.raises(InputError) as info:
        read_document(str(path))
    message = str(info.value)
    for part in says:
        assert part in message, message
    assert "\n" not in message


def test_a_table_and_unknown_xml_are_refused(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text("vrede\tpeace\n", "utf-8")
    with pytest.raises(InputError, match=r"t\.tsv is a tab-separated file .* 'glossary import"):
        read_document(str(tmp_path / "t.tsv"))
    (tmp_path / "c.xml").write_text("<?xml version='1.0'?><catalog/>", "utf-8")
    with pytest.raises(InputError, match=r"c\.xml is an XML file of a kind glossary does not"):
        read_document(str(tmp_path / "c.xml"))


def test_stdin_is_recognised_by_its_content(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO((DATA / "pocount_fuzzy.po").read_bytes())

    monkeypatch.setattr("sys.stdin", FakeStdin())
    with pytest.raises(InputError, match=r"<stdin> is a gettext PO file"):
        read_document("-")


# ------------------------------------------------------------- source side


def test_source_side_of_a_real_po_file(tmp_path: Path) -> None:
    path = tmp_path / "nl.txt"  # a PO file under a text name
    shutil.copy(DATA / "pocount_fuzzy.po", path)
    doc = read_document(str(path), source_side=True)
    assert [s.text for s in doc.segments] == ["Translated string", "Fuzzy string"]
    assert [s.line for s in doc.segments] == [1, 5]  # the msgid lines
    (note,) = doc.notes
    assert note.startswith(f"{path} is a gettext PO file") and "source side of its 2 units" in note


def test_source_side_of_a_real_xliff_file(tmp_path: Path) -> None:
    path = tmp_path / "job.xlf"
    shutil.copy(DATA / "NSTest01.xlf", path)
    doc = read_document(str(path), source_side=True)
    assert [s.text for s in doc.segments] == ["Text number 1"]  # not the translate="no" unit
    assert doc.segments[0].doc == str(path)


def test_source_side_of_a_tmx_the_tool_wrote(tmp_path: Path) -> None:
    source = make_doc(
        "brief.txt", [("text", ["De OVSE meldt iets. Het is goed."]), ("text", ["Nu."])]
    )
    path = tmp_path / "memory.tmx"
    with path.open("w", encoding="utf-8") as stream:
        tmx.write_translations([translate_upper(source)], stream)
    doc = read_document(str(path), source_side=True)
    assert [p.text for p in doc.paragraphs] == ["De OVSE meldt iets. Het is goed.", "Nu."]
    assert [s.text for s in doc.segments] == ["De OVSE meldt iets.", "Het is goed.", "Nu."]
    assert [s.start for s in doc.segments] == [0, 20, 34]  # sources joined by blank lines


def test_source_side_of_a_segment_table(tmp_path: Path) -> None:
    path = tmp_path / "s.tsv"
    path.write_text("source\ttarget\nEen zin. Nog een.\tA sentence.\n", "utf-8")
    doc = read_document(str(path), source_side=True)
    assert [s.text for s in doc.segments] == ["Een zin.", "Nog een."]


def test_source_side_does_not_read_termbases_or_rtf(tmp_path: Path) -> None:
    for source in ("test01.tbx", "Test02.rtf"):
        shutil.copy(DATA / source, tmp_path / source)
        with pytest.raises(InputError):
            read_document(str(tmp_path / source), source_side=True)


# ------------------------------------------------------------------ folders


def test_a_folder_names_every_file_it_skips(tmp_path: Path) -> None:
    for name in ("NSTest01.xlf", "pocount_fuzzy.po", "Test02.rtf", "sampleTMX2.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "brief.txt").write_text("Een brief.\n", "utf-8")
    (tmp_path / "scan.txt").write_bytes(b"abc\x00\x01def")
    (tmp_path / "data.json").write_text("[]", "utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref", "utf-8")
    found = sources.gather([str(tmp_path)])
    assert found.files == (str(tmp_path / "brief.txt"),)
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert sorted(reasons) == [
        ".DS_Store",
        ".git",
        "NSTest01.xlf",
        "Test02.rtf",
        "data.json",
        "pocount_fuzzy.po",
        "sampleTMX2.txt",
        "scan.txt",
    ]
    assert reasons[".git"] == "a hidden folder; not read"
    assert reasons["NSTest01.xlf"].startswith("an XLIFF file (bilingual")
    assert "'glossary check NSTest01.xlf'" in reasons["NSTest01.xlf"]
    assert reasons["sampleTMX2.txt"].startswith("a TMX translation memory")
    assert "by its content (its name ends in .txt)" in reasons["sampleTMX2.txt"]
    assert reasons["Test02.rtf"].startswith("an RTF document, which glossary cannot read yet")
    assert reasons["scan.txt"] == "binary data (a NUL byte at offset 3), not text"
    assert reasons["data.json"].startswith("a JSON file, not a document")


def test_a_folder_with_source_side_reads_the_bilingual_files(tmp_path: Path) -> None:
    for name in ("NSTest01.xlf", "pocount_fuzzy.po", "Test02.rtf"):
        shutil.copy(DATA / name, tmp_path / name)
    found = sources.gather([str(tmp_path)], source_side=True)
    assert [Path(f).name for f in found.files] == ["NSTest01.xlf", "pocount_fuzzy.po"]
    assert [Path(s.path).name for s in found.skipped] == ["Test02.rtf"]


def test_a_folder_of_nothing_readable_says_what_it_holds(tmp_path: Path) -> None:
    shutil.copy(DATA / "NSTest01.xlf", tmp_path / "job.xlf")
    with pytest.raises(InputError) as info:
        sources.gather([str(tmp_path)])
    assert "has no documents to read (1 file skipped: job.xlf (an XLIFF file" in str(info.value)


# ------------------------------------------------- how a text file is read


def word_plain_text(document: Document) -> str:
    """What Word's "Save as Plain Text" makes: one paragraph per line, CRLF, no blanks."""
    return "\r\n".join(p.text for p in document.paragraphs) + "\r\n"


def test_one_paragraph_per_line_keeps_its_paragraphs() -> None:
    original = read_document(str(SEEDS / "004_2e6791538f2596e0.txt"))
    doc = read_document("brief.txt", text=word_plain_text(original))
    assert [p.text for p in doc.paragraphs] == [p.text for p in original.paragraphs]
    assert doc.notes == (
        "brief.txt: no blank lines and a whole paragraph on each line (as Word saves plain "
        "text): each line is read as a paragraph.",
    )


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_wrapped_text_is_not_taken_for_one_paragraph_per_line(seed: Path) -> None:
    assert read_document(str(seed)).notes == ()
    # The same text without its blank lines is still wrapped text, not paragraphs.
    squeezed = "\n".join(line for line in seed.read_text("utf-8").splitlines() if line.strip())
    assert read_document("x.txt", text=squeezed).notes == ()


def test_html_named_txt_is_read_as_html_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "pagina.txt"
    shutil.copy(DATA / "simpleTest.html", path)
    doc = read_document(str(path))
    assert "Text of item 1" in [s.text for s in doc.segments]
    assert not any("<" in s.text for s in doc.segments)
    assert doc.notes == (
        f"{path} is an HTML page, by its content (its name ends in .txt); read as an HTML page.",
    )


def test_readers_are_the_registered_functions() -> None:
    from glossary.documents import docx, html, odt, pdf, subtitles
    from glossary.files import formats

    for name, reader in (
        ("text", ingest.read_text),
        ("markdown", ingest.read_markdown),
        ("html", html.read),
        ("docx", docx.read),
        ("odt", odt.read),
        ("pdf", pdf.read),
        ("srt", subtitles.read_srt),
        ("vtt", subtitles.read_vtt),
    ):
        assert formats.get(name).function("document-reader") is reader


def test_an_unreadable_subfolder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk reports a folder it cannot list through onerror (here as root, so the
    error is made: root can list anything)."""
    (tmp_path / "brief.txt").write_text("Een brief.\n", "utf-8")
    locked = tmp_path / "geheim"
    locked.mkdir()
    real_walk = os.walk

    def walk(top: Path, onerror: object = None, **kw: object):  # type: ignore[no-untyped-def]
        for dirpath, dirnames, filenames in real_walk(top, **kw):  # type: ignore[call-overload]
            if Path(dirpath) == locked:
                onerror(PermissionError(13, "Permission denied", str(locked)))  # type: ignore[operator]
                dirnames.clear()
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(os, "walk", walk)
    found = sources.gather([str(tmp_path)])
    assert found.files == (str(tmp_path / "brief.txt"),)
    assert [(s.path, s.reason) for s in found.skipped] == [
        (str(locked), "a folder that cannot be read (Permission denied)")
    ]
