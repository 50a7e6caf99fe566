"""Documents in their own format: Word, OpenDocument, PDF, subtitles, HTML, Markdown.

Real files (tests/data/documents, see PROVENANCE.md): a letter made by
LibreOffice from tests/data/documents/source/kamerbrief.fodt (as .odt, .docx
and .pdf), a Word report of the Dutch government, a Kamerstuk PDF typeset by
XPP, a Woo release with an OCR text layer, a scanned page, password-protected
files. Outputs are read back by independent readers: python-docx, odfpy,
`srt`, webvtt-py, lxml, and LibreOffice headless and poppler's pdftotext
where installed (`make test` installs them).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.document import Document, SegmentResult, TranslatedDocument
from glossary.documents import docx as docx_format
from glossary.documents import structure, subtitles
from glossary.errors import InputError
from glossary.reading.ingest import read_document
from glossary.translation import job, writers
from glossary.translation.pipeline import translate_documents

DATA = Path(__file__).parent / "data" / "documents"
ROOT = Path(__file__).resolve().parent.parent
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


class Upper:
    """A strategy that "translates" by upper-casing: every word stays where it was,
    so formatting can be checked word by word."""

    signature = "engine:upper"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        self.texts.extend(texts)
        return [SegmentResult(text.upper()) for text in texts]


def translate(path: Path) -> TranslatedDocument:
    (done,) = translate_documents([read_document(str(path))], Upper())
    return done


def render(done: TranslatedDocument, fmt: str | None = None) -> bytes:
    fmt = fmt or writers.natural_format(done.document)
    stream: io.BytesIO = io.BytesIO()
    writer = writers.get_writer(fmt)
    if writers.is_binary(fmt):
        writer([done], stream)
        return stream.getvalue()
    text = io.StringIO()
    writer([done], text)
    return text.getvalue().encode("utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------- Word (DOCX)


def test_a_libreoffice_docx_is_read_with_its_structure() -> None:
    doc = read_document(str(DATA / "kamerbrief.docx"))
    assert doc.format == "docx"
    kinds = [(p.kind, p.text) for p in doc.paragraphs]
    assert kinds[0] == ("text", "Ministerie van Buitenlandse Zaken")  # the header
    assert ("heading", "Betreft: het conflict tussen Azerbeidzjan en Armenië") in kinds
    items = [t for k, t in kinds if k == "item"]
    assert items == [
        "steun aan de bemiddeling door de Minsk Groep;",
        "humanitaire hulp aan de burgerbevolking;",
        "aandacht voor het cultureel erfgoed in de regio.",
    ]
    # A footnote follows the paragraph that refers to it.
    texts = [p.text for p in doc.paragraphs]
    note = texts.index("Zie de verklaring van de covoorzitters van 13 april 2021.")
    assert texts[note - 1].startswith("Hierbij informeer ik uw Kamer")
    assert doc.paragraphs[note].kind == "footnote"
    assert doc.paragraphs[note].segments[0].location == "footnote 1"
    cells = [s.location for s in doc.segments if s.text in ("Ambassade", "Bakoe", "Jerevan")]
    assert cells == ["table 1"] * 3
    assert doc.paragraphs[-1].segments[0].location == "footer"
    # Inline formatting is kept out of the text, as codes.
    first = next(s for s in doc.segments if s.text.startswith("Hierbij"))
    assert [(c.kind, c.label) for c in first.codes] == [
        ("open", "bold"),
        ("close", "bold"),
        ("standalone", "footnote"),
    ]
    assert first.text[first.codes[0].offset : first.codes[1].offset] == "bemiddeling"
    assert any("comments" in n for n in doc.notes)


def test_a_word_report_of_the_government_is_read() -> None:
    """Word's own file (the RijksRapport template): headers, tables, numbered
    headings in Dutch style names, a table of contents, footnotes."""
    doc = read_document(str(DATA / "crypto-raamwerk.docx"))
    headings = [p.text for p in doc.paragraphs if p.kind == "heading"]
    assert "Inleiding" in headings and "Achtergrond" in headings  # style "Kop 1"/"Kop 2"
    assert any(s.location.startswith("header") for s in doc.segments)
    assert any("table" in s.location for s in doc.segments)
    assert {s.location.split(",")[0] for s in doc.segments if s.location.startswith("p.")} >= {
        "p. 2",
        "p. 5",
    }  # pages as Word last laid them out


def test_docx_translated_in_place_keeps_structure_and_formatting(tmp_path: Path) -> None:
    import docx

    out = tmp_path / "kamerbrief.en.docx"
    out.write_bytes(render(translate(DATA / "kamerbrief.docx")))
    source, target = docx.Document(str(DATA / "kamerbrief.docx")), docx.Document(str(out))
    assert len(target.paragraphs) == len(source.paragraphs)
    assert len(target.tables) == len(source.tables) == 1
    assert [c.text for c in target.tables[0].rows[1].cells] == ["BAKOE", "2009"]
    for before, after in zip(source.paragraphs, target.paragraphs, strict=True):
        assert after.style.name == before.style.name
        assert " ".join(after.text.split()) == " ".join(before.text.upper().split())
    letter = next(p for p in target.paragraphs if p.text.startswith("HIERBIJ"))
    bold = [r.text for r in letter.runs if r.bold]
    italic = [r.text for r in letter.runs if r.italic]
    assert bold == ["BEMIDDELING"] and italic == ["NAUWGEZET"]
    (link,) = letter.hyperlinks
    assert link.url == "https://www.rijksoverheid.nl/"
    assert link.text == "DE WEBSITE VAN DE RIJKSOVERHEID"
    section = target.sections[0]
    assert section.header.paragraphs[0].text == "MINISTERIE VAN BUITENLANDSE ZAKEN"
    with zipfile.ZipFile(out) as package:
        notes = package.read("word/footnotes.xml").decode()
        assert "ZIE DE VERKLARING VAN DE COVOORZITTERS" in notes
        body = package.read("word/document.xml").decode()
        assert body.count("<w:footnoteReference") == 2
        assert 'w:val="nl' not in package.read("word/styles.xml").decode()
        comments = package.read("word/comments.xml")
    with zipfile.ZipFile(DATA / "kamerbrief.docx") as original:
        assert comments == original.read("word/comments.xml")  # left as it was
        assert sorted(original.namelist()) == sorted(zipfile.ZipFile(out).namelist())


def test_a_word_report_translated_keeps_every_part(tmp_path: Path) -> None:
    import docx

    out = tmp_path / "crypto.en.docx"
    out.write_bytes(render(translate(DATA / "crypto-raamwerk.docx")))
    source = docx.Document(str(DATA / "crypto-raamwerk.docx"))
    target = docx.Document(str(out))
    assert len(target.paragraphs) == len(source.paragraphs)
    assert len(target.tables) == len(source.tables)
    # (Spaces at the edge of a formatted stretch may move by one: compared without.)
    changed = [
        (a.text, b.text)
        for a, b in zip(source.paragraphs, target.paragraphs, strict=True)
        if "".join(a.text.upper().split()) != "".join(b.text.split())
    ]
    # Only field results stay as they were: the table of contents (whole paragraphs)
    # and cross-references ("zie Bijlage A", where "Bijlage A ..." is the field).
    assert changed
    assert all(b == a or ("Bijlage" in b and b.split("Bijlage")[0].isupper()) for a, b in changed)
    with zipfile.ZipFile(DATA / "crypto-raamwerk.docx") as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name.startswith(("word/media/", "customXml/", "docProps/")) or name.endswith(
                ".rels"
            ):
                assert a.read(name) == b.read(name), name


@pytest.mark.parametrize("name", ["woo-16101.docx", "woo-16103.odt"])
def test_small_files_made_by_word_are_read_and_written(tmp_path: Path, name: str) -> None:
    doc = read_document(str(DATA / name))
    assert [p.text for p in doc.paragraphs] == ["App nut mice", f"Search text: {name[4:]}"]
    out = render(translate(DATA / name))
    path = tmp_path / f"out{Path(name).suffix}"
    path.write_bytes(out)
    assert [p.text for p in read_document(str(path)).paragraphs] == [
        "APP NUT MICE",
        f"SEARCH TEXT: {name[4:].upper()}",
    ]


# ---------------------------------------------------------- OpenDocument (ODT)


def test_odt_is_read_and_translated_in_place(tmp_path: Path) -> None:
    from odf import teletype, text
    from odf.opendocument import load

    doc = read_document(str(DATA / "kamerbrief.odt"))
    assert doc.format == "odt"
    assert [p.kind for p in doc.paragraphs].count("item") == 3
    note = next(p for p in doc.paragraphs if p.kind == "footnote")
    assert note.text == "Zie de verklaring van de covoorzitters van 13 april 2021."
    assert note.segments[0].location.endswith("footnote 1")
    out = tmp_path / "kamerbrief.en.odt"
    out.write_bytes(render(translate(DATA / "kamerbrief.odt")))
    with zipfile.ZipFile(out) as package:
        assert package.namelist()[0] == "mimetype"  # first and stored, as ODF requires
        assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
    source, target = load(str(DATA / "kamerbrief.odt")), load(str(out))
    before = [teletype.extractText(p) for p in source.getElementsByType(text.P)]
    after = [teletype.extractText(p) for p in target.getElementsByType(text.P)]
    assert len(after) == len(before)
    spans = {
        s.getAttribute("stylename"): teletype.extractText(s)
        for s in target.getElementsByType(text.Span)
    }
    assert spans == {"T1": "BEMIDDELING", "T2": "NAUWGEZET"}
    (link,) = target.getElementsByType(text.A)
    assert link.getAttribute("href") == "https://www.rijksoverheid.nl/"
    assert teletype.extractText(link) == "DE WEBSITE VAN DE RIJKSOVERHEID"
    letter = next(p for p in after if p.startswith("HIERBIJ"))
    # The footnote citation (its label and text, as odfpy reads a note) stays right
    # after the sentence that cites it, before the next sentence.
    cited = letter.index("ARMENIË.") + len("ARMENIË.")
    assert letter[cited:].startswith("1ZIE DE VERKLARING")
    assert letter.index("HET KABINET") > cited


# ------------------------------------------------------------------------ PDF


def test_a_pdf_letter_with_header_footer_footnotes_and_a_page_break() -> None:
    doc = read_document(str(DATA / "kamerbrief.pdf"))
    furniture = [p.text for p in doc.paragraphs if p.kind == "furniture"]
    assert furniture.count("Ministerie van Buitenlandse Zaken") == 2  # the running header
    assert "Pagina 1 van 2" in furniture and "Pagina 2 van 2" in furniture
    texts = [s.text for s in doc.segments if s.kind != "furniture"]
    # The sentence that crosses the page break is one sentence again.
    assert "Alleen een diplomatieke oplossing is een duurzame oplossing." in texts
    joined = " ".join(texts)
    assert "Pagina" not in joined and "Ministerie van Buitenlandse Zaken" not in joined
    notes = [p for p in doc.paragraphs if p.kind == "footnote"]
    assert [p.text for p in notes] == [
        "1 Zie de verklaring van de covoorzitters van 13 april 2021.",
        "2 Resoluties 822, 853, 874 en 884 van de VN Veiligheidsraad.",
    ]
    # Each footnote follows the paragraph that refers to it; the markers are gone.
    paragraphs = [p.text for p in doc.paragraphs]
    first = paragraphs.index(notes[0].text)
    assert "Armenië." in paragraphs[first - 1] and "¹" not in paragraphs[first - 1]
    pages = {s.location for s in doc.segments}
    assert pages == {"p. 1", "p. 2"}
    joins = [r for r in doc.repairs if r.reason == "page-join"]
    assert [r.repaired for r in joins] == ["Alleen een"]


def test_a_kamerstuk_typeset_by_xpp() -> None:
    """A real Kamerstuk: page footers with the document's reference and page
    number, footnotes in small print, hyphenated lines, margin labels."""
    doc = read_document(str(DATA / "kst-35538-4.pdf"))
    texts = [s.text for s in doc.segments if s.kind != "furniture"]
    joined = " ".join(texts)
    assert "Tweede Kamer, vergaderjaar 2019–2020, 35 538, nr. 4" not in joined
    furniture = [p.text for p in doc.paragraphs if p.kind == "furniture"]
    assert furniture.count("Tweede Kamer, vergaderjaar 2019–2020, 35 538, nr. 4") >= 15
    # A sentence cut by the page break (with a footnote and the footer between).
    assert any(
        t.endswith(
            "regels voor de inrichting, het beheer en de beveiliging, de bewaartermijn "
            "van bijzondere persoonsgegevens en de uitoefening van de rechten van betrokkene."
        )
        for t in texts
    )
    assert "samenhangende gegevensverwerking" in joined  # "samenhan-" + "gende"
    notes = [p.text for p in doc.paragraphs if p.kind == "footnote"]
    assert notes[0].startswith("1 De oorspronkelijke tekst van het voorstel van wet")
    assert any(n.startswith("2 Artikel 6, eerste lid, onder c, Wpg.") for n in notes)
    assert len(notes) >= 20


def test_a_woo_release_with_an_ocr_layer_is_read() -> None:
    doc = read_document(str(DATA / "woo-8003-afvalwater.pdf"))
    texts = [s.text for s in doc.segments if s.kind != "furniture"]
    assert any("Nationale Afvalwater Surveillance" in t for t in texts)
    assert doc.segments[0].text == "195394"  # the document number at the top of the page
    assert all(s.location == "p. 1" for s in doc.segments)


def test_a_scan_without_text_layer_says_ocr_is_not_included(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no text layer .* OCR is not included"):
        read_document(str(DATA / "woo-besluitbrief-scan.pdf"))
    out = tmp_path / "out.docx"
    code, stdout, stderr = run(
        "translate", str(DATA / "woo-besluitbrief-scan.pdf"), "--engine", "none", "-o", str(out)
    )
    assert code == 1 and stdout == "" and "OCR is not included" in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_a_pdf_comes_back_as_an_editable_word_document(tmp_path: Path) -> None:
    import docx

    done = translate(DATA / "kamerbrief.pdf")
    assert writers.natural_format(done.document) == "docx"
    out = tmp_path / "kamerbrief.en.docx"
    out.write_bytes(render(done))
    target = docx.Document(str(out))
    texts = [p.text for p in target.paragraphs]
    assert "PAGINA 1 VAN 2" not in texts  # page furniture is left out
    assert "ALLEEN EEN DIPLOMATIEKE OPLOSSING IS EEN DUURZAME OPLOSSING." in " ".join(texts)
    assert target.paragraphs[0].style.name == "Heading 1"
    with zipfile.ZipFile(out) as package:
        notes = package.read("word/footnotes.xml").decode()
        assert "ZIE DE VERKLARING VAN DE COVOORZITTERS" in notes  # a real Word footnote
        assert package.read("word/document.xml").decode().count("<w:footnoteReference") == 2


# ------------------------------------------------------------------ subtitles


def test_srt_sentence_over_two_cues_is_translated_whole_and_split_back() -> None:
    import srt

    strategy = Upper()
    doc = read_document(str(DATA / "persconferentie.srt"))
    (done,) = translate_documents([doc], strategy)
    assert (
        "Het kabinet heeft vandaag besloten de steun aan de bemiddeling door de OVSE Minsk "
        "Groep voort te zetten." in strategy.texts
    )
    out = render(done).decode()
    before = list(srt.parse((DATA / "persconferentie.srt").read_text("utf-8")))
    after = list(srt.parse(out))
    assert [(c.index, c.start, c.end) for c in after] == [(c.index, c.start, c.end) for c in before]
    assert after[1].content == "HET KABINET HEEFT VANDAAG BESLOTEN"
    assert after[2].content.replace("\n", " ") == (
        "DE STEUN AAN DE BEMIDDELING DOOR DE OVSE MINSK GROEP VOORT TE ZETTEN."
    )
    assert after[3].content.startswith("<i>") and after[3].content.endswith("</i>")


def test_split_back_follows_the_length_of_each_cue() -> None:
    doc = read_document(str(DATA / "persconferentie.srt"))
    paragraph = doc.paragraphs[1]
    (segment,) = paragraph.segments
    pieces = subtitles.split_back(
        paragraph,
        {segment.index: "Today the cabinet decided to continue supporting the mediation."},
        [34, 68],
    )
    # 34 of 103 characters: a third of the English, cut at the nearest space.
    assert pieces == ["Today the cabinet", "decided to continue supporting the mediation."]


def test_webvtt_keeps_header_notes_styles_identifiers_and_settings() -> None:
    import webvtt

    out = render(translate(DATA / "persconferentie.vtt")).decode()
    source = (DATA / "persconferentie.vtt").read_text("utf-8")
    kept = [line for line in source.splitlines() if "-->" in line or line.isupper() is False]
    for line in source.splitlines():
        if "-->" in line or line.startswith(("WEBVTT", "NOTE", "STYLE", "::cue", "intro")):
            assert line in out.splitlines()
    assert kept
    captions = webvtt.from_buffer(io.StringIO(out)).captions
    assert len(captions) == 3
    assert captions[0].raw_text.startswith("<v Minister>GOEDEMIDDAG")


# ------------------------------------------------------------ HTML, Markdown


def test_html_keeps_its_markup(tmp_path: Path) -> None:
    from lxml import html

    page = tmp_path / "brief.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="windows-1252">'
        "<title>Kamerbrief</title></head>\n<body>\n<h1>Het <em>conflict</em></h1>\n"
        '<p>Zie <a href="https://x.nl/a">de website</a> van de <b>Rijksoverheid</b>.</p>\n'
        "<ul><li>Punt een</li><li>Punt <strong>twee</strong></li></ul>\n</body></html>\n",
        encoding="utf-8",
    )
    out = render(translate(page)).decode()
    root = html.document_fromstring(out)
    assert root.get("lang") == "en"
    assert root.find(".//h1/em").text == "CONFLICT"
    link = root.find(".//p/a")
    assert link.get("href") == "https://x.nl/a" and link.text == "DE WEBSITE"
    assert root.find(".//p/b").text == "RIJKSOVERHEID"
    assert [li.text_content() for li in root.findall(".//li")] == ["PUNT EEN", "PUNT TWEE"]
    assert 'charset="utf-8"' in out


def test_markdown_keeps_its_block_markup() -> None:
    source = (DATA / "gereedschapskist.md").read_text("utf-8")
    out = render(translate(DATA / "gereedschapskist.md")).decode()
    before, after = source.splitlines(), out.splitlines()

    def headings(lines: list[str]) -> list[str]:
        return [line.split(" ", 1)[0] for line in lines if re.match(r"#{1,6} ", line)]

    def items(lines: list[str]) -> int:
        return sum(1 for line in lines if re.match(r"\s*(?:[-*+]|\d+\.) \S", line))

    assert headings(after) == headings(before) and len(headings(before)) > 5
    assert items(after) == items(before) > 5
    assert sum(1 for line in after if line.startswith(">")) > 0
    fences = [line for line in before if line.startswith("```")]
    assert [line for line in after if line.startswith("```")] == fences
    assert "Het doel van dit document" not in out  # the quote was translated
    assert "HET DOEL VAN DIT DOCUMENT" in out


# ------------------------------------------------------------------ the job


def test_translate_a_folder_into_each_documents_own_format(tmp_path: Path) -> None:
    client = tmp_path / "client"
    client.mkdir()
    for name in ("kamerbrief.docx", "kamerbrief.odt", "persconferentie.srt"):
        shutil.copy(DATA / name, client / name)
    shutil.copy(DATA / "kamerbrief.pdf", client / "brief.pdf")
    out = tmp_path / "out"
    code, _stdout, stderr = run(
        "translate", str(client), "--engine", "none", "--out-dir", str(out), "--no-glossary"
    )
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "brief.docx",
        "kamerbrief.docx",
        "kamerbrief.odt",
        "persconferentie.srt",
    ]


def test_a_document_on_the_terminal_is_text_and_binary_formats_need_a_file(
    tmp_path: Path,
) -> None:
    code, _, stderr = run(
        "translate", str(DATA / "kamerbrief.docx"), "--engine", "none", "--no-glossary"
    )
    assert code == 0, stderr
    assert "--out-dir DIR for a docx file" in stderr
    code, _stdout, stderr = run(
        "translate", str(DATA / "kamerbrief.odt"), "--engine", "none", "--format", "docx"
    )
    assert code == 1 and "is a file, not text for the terminal" in stderr
    code, _, stderr = run(
        "translate",
        str(DATA / "persconferentie.srt"),
        "--engine",
        "none",
        "-o",
        str(tmp_path / "x.odt"),
    )
    assert code == 1 and "written from an OpenDocument text (ODT) only" in stderr


def test_approved_terms_are_enforced_in_a_word_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real enforcement cascade on a Word document, with the word engine double of
    the enforcement tests: every approved term of the letter comes out approved."""
    import docx

    from glossary.enforcement.cascade import Enforcer
    from glossary.matching.verify import Glossary
    from test_enforce import WordEngine

    monkeypatch.chdir(ROOT)
    out = tmp_path / "kamerbrief.en.docx"
    plan = job.plan_job(
        job.JobRequest(
            inputs=(str(DATA / "kamerbrief.docx"),),
            output=str(out),
            engine="none",
            termbase=str(ROOT / "glossary" / "termbase.tsv"),
            report=str(tmp_path / "terms.json"),
        )
    )
    assert plan.concepts
    strategy = Enforcer(WordEngine({}), Glossary(plan.concepts))
    result = job.run_job(plan, strategy=strategy)
    job.write_outputs(plan, result)
    assert result.report is not None and result.report.occurrences > 10
    assert result.report.failed == 0
    uses = [u for ts in result.documents[0].segments for u in ts.terms]
    del docx
    with zipfile.ZipFile(out) as package:
        xml = " ".join(
            package.read(n).decode() for n in package.namelist() if n.startswith("word/")
        )
    text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    for use in uses:
        assert use.status == "enforced"
        assert use.target in text, use
    refs = [
        o["ref"] for o in __import__("json").loads((tmp_path / "terms.json").read_text())["review"]
    ]
    assert all("kamerbrief.docx:" in r for r in refs)


def test_every_document_command_reads_word_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, stdout, stderr = run("segment", str(DATA / "kamerbrief.docx"))
    assert code == 0, stderr
    assert "\tfootnote (footnote 1)\tZie de verklaring" in stdout
    code, stdout, stderr = run("mine", str(DATA / "kamerbrief.odt"), "--no-suggest", "--top", "5")
    assert code == 0, stderr and stdout
    out = tmp_path / "kamerbrief.en.docx"
    assert (
        run("translate", str(DATA / "kamerbrief.docx"), "--engine", "none", "-o", str(out))[0] == 0
    )
    code, stdout, stderr = run("check", str(DATA / "kamerbrief.docx"), str(out))
    assert "Traceback" not in stderr
    # Read as two Word documents, paragraph by paragraph: the Dutch copy (--engine
    # none) misses every approved English term.
    assert code == 1 and "Term accuracy: 0.0%" in stdout + stderr


# --------------------------------------------------------------- bad input


def _zip(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "encrypted.pdf",
            lambda: (DATA / "kamerbrief-wachtwoord.pdf").read_bytes(),
            "password-protected",
        ),
        (
            "encrypted.docx",
            lambda: (DATA / "kamerbrief-wachtwoord.docx").read_bytes(),
            "password-protected",
        ),
        ("truncated.docx", lambda: (DATA / "kamerbrief.docx").read_bytes()[:4000], "is damaged"),
        (
            "bomb.docx",
            lambda: _zip({"word/document.xml": b"<a/>" + b" " * (20 * 1024 * 1024)}),
            "zip bomb",
        ),
        (
            "many.docx",
            lambda: _zip(
                {f"word/p{i}.xml": b"" for i in range(20_001)}, compress=zipfile.ZIP_STORED
            ),
            "parts in one package",
        ),
        (
            "empty.odt",
            lambda: _zip(
                {"mimetype": b"application/vnd.oasis.opendocument.text"},
                compress=zipfile.ZIP_STORED,
            ),
            "has no content.xml",
        ),
        ("nomain.docx", lambda: _zip({"word/styles.xml": b"<x/>"}), "no main document part"),
        (
            "entities.docx",
            lambda: _zip({"word/document.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}),
            "entities",
        ),
        (
            "bad.srt",
            lambda: b"1\n00:00:01,000 --> 00:00:02,000\nTekst\n\nGeen tijd\n",
            "without a timecode",
        ),
    ],
    ids=[
        "encrypted-pdf",
        "encrypted-docx",
        "truncated",
        "zip-bomb",
        "members",
        "odt-without-content",
        "docx-without-main",
        "xml-entities",
        "srt-without-timecode",
    ],
)
def test_bad_input_is_one_clear_error_and_no_output(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    out = tmp_path / "out.txt"
    code, stdout, stderr = run(
        "translate", str(path), "--engine", "none", "--no-glossary", "-o", str(out)
    )
    assert code == 1, stderr
    assert stderr.startswith("Error: ") and message in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists()


def test_macros_are_never_run_and_copied_unchanged(tmp_path: Path) -> None:
    with zipfile.ZipFile(DATA / "kamerbrief.docx") as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not run"
    path = tmp_path / "macro.docm"
    path.write_bytes(_zip(members))
    doc = read_document(str(path))
    assert any("macros" in n and "never run" in n for n in doc.notes)
    out = render(translate(path))
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        assert package.read("word/vbaProject.bin") == b"\xd0\xcf\x11\xe0 not run"


# ------------------------------------------------- LibreOffice and poppler


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)")
@pytest.mark.parametrize(
    "name", ["kamerbrief.docx", "kamerbrief.odt", "crypto-raamwerk.docx", "kamerbrief.pdf"]
)
def test_libreoffice_opens_every_translation(tmp_path: Path, name: str) -> None:
    done = translate(DATA / name)
    fmt = writers.natural_format(done.document)
    out = tmp_path / f"translated{writers.extension(fmt)}"
    out.write_bytes(render(done))
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "translated.txt").read_text("utf-8-sig")
    words = [
        w
        for s in done.segments
        if s.segment.translate and not s.segment.location.startswith(("header", "footer"))
        for w in s.target.split()
    ]
    assert words and sum(1 for w in words[:200] if w in text) > 0.95 * min(200, len(words))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_round_trip_of_the_letter(tmp_path: Path) -> None:
    """LibreOffice makes the letter again from its Flat ODT source, as .docx and .pdf;
    glossary reads what it made as it reads the files kept in tests/data."""
    source = tmp_path / "kamerbrief.fodt"
    shutil.copy(DATA / "source" / "kamerbrief.fodt", source)
    for target in ("docx:MS Word 2007 XML", "pdf"):
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    fresh = read_document(str(tmp_path / "kamerbrief.docx"))
    kept = read_document(str(DATA / "kamerbrief.docx"))
    assert [p.text for p in fresh.paragraphs] == [p.text for p in kept.paragraphs]
    pdf = read_document(str(tmp_path / "kamerbrief.pdf"))
    assert "Alleen een diplomatieke oplossing is een duurzame oplossing." in [
        s.text for s in pdf.segments
    ]


@pytest.mark.skipif(
    PDFTOTEXT is None, reason="poppler-utils is not installed (make test installs it)"
)
def test_pdf_words_match_pdftotext() -> None:
    """poppler's pdftotext as an independent reader: every word it finds in the
    Kamerstuk is in what glossary read (furniture included), hyphenation aside."""
    text = subprocess.run(
        [PDFTOTEXT, str(DATA / "kst-35538-4.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    doc = read_document(str(DATA / "kst-35538-4.pdf"))
    ours = " ".join(s.text for s in doc.segments)
    theirs = [w for w in re.findall(r"[^\W\d_]{4,}", text) if not text.count(w + "-")]
    ours_words = set(re.findall(r"[^\W\d_]{4,}", ours))
    missing = [w for w in theirs if w not in ours_words]
    assert len(missing) < 0.02 * len(theirs), missing[:20]


# ---------------------------------------------------------------- the model


def test_target_text_keeps_what_lies_between_segments() -> None:
    doc = structure.build_document(
        "x.docx",
        [structure.Block("1.\tInleiding", "heading"), structure.Block("Datum\t12 mei.\nTot slot.")],
        format="docx",
    )
    first, second = doc.paragraphs
    assert [s.text for s in first.segments] == ["Inleiding"]
    assert [s.text for s in second.segments] == ["Datum", "12 mei.", "Tot slot."]
    targets = {s.index: s.text.upper() for s in doc.segments}
    assert structure.target_text(first, targets) == "1.\tINLEIDING"
    assert structure.target_text(second, targets) == "DATUM\t12 MEI.\nTOT SLOT."


def test_documents_keep_their_original_and_format() -> None:
    doc: Document = read_document(str(DATA / "kamerbrief.docx"))
    assert doc.original == (DATA / "kamerbrief.docx").read_bytes()
    assert docx_format.LABEL in "Word document (DOCX)"


@pytest.mark.slow
def test_the_argos_engine_translates_a_word_document(
    tiny_package: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real engine (the tiny Argos model: its English is junk) through the whole
    command: the Word file comes back with its paragraphs, table, header and notes."""
    import docx

    monkeypatch.chdir(ROOT)
    out = tmp_path / "kamerbrief.en.docx"
    code, _, stderr = run("translate", str(DATA / "kamerbrief.docx"), "-o", str(out), "-q")
    assert code == 0, stderr
    source, target = docx.Document(str(DATA / "kamerbrief.docx")), docx.Document(str(out))
    assert len(target.paragraphs) == len(source.paragraphs)
    assert len(target.tables) == 1 and target.sections[0].header.paragraphs[0].text
    pairs = zip(source.paragraphs, target.paragraphs, strict=True)
    changed = sum(1 for a, b in pairs if a.text != b.text)
    assert changed > 10
    with zipfile.ZipFile(out) as package:
        assert package.read("word/document.xml").decode().count("<w:footnoteReference") == 2
