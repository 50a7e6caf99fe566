"""Hostile input: the regression tests of the hostile-input audit (issue 20).

Finding 1: no pattern takes more than linear time. Each case is a line an
attacker (or an unlucky PDF extraction) can produce, at a size where the
old exponential or quadratic patterns took minutes to hours; the fixed
reader needs well under a second. The deadline (`deadline.within`) fails
the test instead of hanging the suite.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

from deadline import within
from glossary.cli import main
from glossary.reading import ingest, segment

N = 100_000
# (id, file name deciding the reader, text)
PATHOLOGICAL: list[tuple[str, str, str]] = [
    # A table of contents: exponential in the dot run (36 dots took 6 s, 44 dots 51 s).
    ("toc-leaders", "toc.txt", "Inhoud\n\n1. Inleiding " + "." * 60 + " 3\n2. Doel " + "." * 60),
    ("dot-run", "dots.txt", "Tekst " + "." * N + "a 3\n"),
    ("html-br-run", "br.html", "<p>Tekst" + "<br>" * N + "einde.</p>"),
    ("md-nested-links", "links.md", "Tekst " + "[" * N + "a" + "](b)" * N + "\n"),
    ("md-open-brackets", "open.md", "Tekst " + "[a" * N + "\n"),
    ("md-open-links", "openlinks.md", "Tekst " + "[a](" * N + "\n"),
    ("md-open-images", "img.md", "Tekst " + "![" * N + "\n"),
    ("md-open-tags", "tags.md", "Tekst " + "<a " * N + "\n"),
    ("md-open-autolinks", "auto.md", "Tekst " + "<http://a" * N + "\n"),
    ("md-bold-run", "bold.md", "Tekst " + "**a " * N + "\n"),
    ("md-underline-run", "under.md", "Tekst " + "__a " * N + "\n"),
    ("md-heading-spaces", "head.md", "# a" + " " * N + "x\n"),
    ("srt-open-tags", "tags.srt", "1\n00:00:01,000 --> 00:00:02,000\nTekst " + "<i>a " * N),
    ("srt-overrides", "ass.srt", "1\n00:00:01,000 --> 00:00:02,000\nTekst " + "{\\an8}" * N),
    ("vtt-timestamps", "t.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nTekst " + "<00:01.000>a " * N),
    ("vtt-open-brackets", "b.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nTekst " + "<c.a" * N),
    ("ocr-long-word", "ocr.txt", "Woord " + "a" * N + " Armenié.\n"),
    ("url-run", "url.txt", "Tekst " + "www." * N + "-\nvolgende regel\n"),
]


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for _, n, t in PATHOLOGICAL], ids=[i for i, _, _ in PATHOLOGICAL]
)
def test_reading_hostile_lines_takes_linear_time(name: str, text: str) -> None:
    document = within(20, functools.partial(ingest.read_document, name, text=text))
    assert document.path == name


@pytest.mark.parametrize("dots", [40, 60, 1000], ids=["40", "60", "1000"])
def test_sentence_end_after_a_dot_run_is_linear(dots: int) -> None:
    text = "Inleiding " + "." * dots + " 3"
    assert within(10, segment.ends_sentence, text) is False
    assert within(10, segment.ends_sentence, text + ".") is True
    spans = within(10, segment.split_sentences, text + " Daarna volgt tekst.")
    assert spans[0][0] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dat is zo.", True),
        ("Dat is zo...", True),
        ("Dat is zo…", True),
        ("Hij zei: 'ja.'", True),
        ("Dat is o.a.", False),
        ("Zie blz.", False),
        ("Dat is zo", False),
        ("Wat nu?!", True),
        ("", False),
    ],
    ids=["dot", "ellipsis", "unicode", "closer", "abbreviation", "blz", "none", "?!", "empty"],
)
def test_ends_sentence_keeps_its_meaning(text: str, expected: bool) -> None:
    assert segment.ends_sentence(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Titel ##", "Titel"),
        ("# Titel", "Titel"),
        ("## C#", "C#"),
        ("# ###", ""),  # CommonMark: an empty heading with its closing sequence
        ("Zie [de brief](https://example.org/a) en ![logo](x.png).", "Zie de brief en logo."),
        ("**Vet *schuin* vet** en __ook__.", "Vet schuin vet en ook."),
        # An autolink and HTML tags are points: no URL reaches mining or the engine.
        ("<https://example.org> en <b>vet</b>.", "en vet."),
    ],
    ids=["closing-hashes", "plain", "hash-in-word", "only-hashes", "links", "bold", "autolink"],
)
def test_markdown_inline_markup_goes_from_the_text(text: str, expected: str) -> None:
    doc = ingest.read_document("x.md", text=text + "\n")
    assert " ".join(s.text for s in doc.segments) == expected


# ------------------------------------------- finding 10: values and round trips

CONTROL_VALUES = [
    ("nul", "vrede\x00akkoord"),
    ("soh", "vrede\x01"),
    ("escape", "\x1b[31mvrede"),
    ("delete", "vrede\x7f"),
    ("c1", "vrede\x9b"),
    ("unit-separator", "vrede\x1f"),
    ("noncharacter", "vrede\uffff"),
    ("surrogate-escape", "vrede\udcff"),
]


@pytest.mark.parametrize(
    "value", [v for _, v in CONTROL_VALUES], ids=[i for i, _ in CONTROL_VALUES]
)
def test_control_characters_are_refused_in_every_value(value: str) -> None:
    from glossary.errors import InvalidValue
    from glossary.termbase import model as tbm

    for field in ("nl", "en", "note", "nl_variants", "concept_id"):
        kwargs: dict[str, object] = {}
        nl, en = "vrede", "peace"
        if field == "nl":
            nl = value
        elif field == "en":
            en = value
        elif field == "nl_variants":
            kwargs[field] = [value]
        else:
            kwargs[field] = value
        with pytest.raises(InvalidValue, match=r"control character|not UTF-8|non-character"):
            tbm.make_concept(nl, en, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("vrede\u2028akkoord", "vrede akkoord"),
        ("vrede\u0085akkoord", "vrede akkoord"),
        ("vrede\u2029akkoord", "vrede akkoord"),
        ("vrede\u3000akkoord", "vrede akkoord"),
        ("vrede\x0cakkoord", "vrede akkoord"),
        ("vrede\u00a0 akkoord", "vrede akkoord"),
    ],
    ids=["line-separator", "next-line", "paragraph-separator", "ideographic", "ff", "nbsp"],
)
def test_other_whitespace_becomes_a_space(value: str, stored: str) -> None:
    from glossary.termbase import model as tbm

    assert tbm.make_concept(value, value).nl == stored


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    return tmp_path / "glossary" / "termbase.tsv"


def test_term_add_and_edit_refuse_controls_with_a_clear_message(project: Path) -> None:
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["term", "add", "vrede\x1b", "peace"])
    assert result.exit_code == 1 and "U+001B" in result.stderr, result.stderr
    assert project.read_bytes() == before
    assert CliRunner().invoke(main, ["term", "add", "vrede", "peace"]).exit_code == 0
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["term", "edit", "vrede", "--note", "a\x00b"])
    assert result.exit_code == 1 and "U+0000" in result.stderr, result.stderr
    assert project.read_bytes() == before


IMPORTS_WITH_CONTROLS = [
    ("tsv", "x.tsv", b"vrede\x01\tpeace\n"),
    ("csv", "x.csv", b"vrede,peace\x1b\n"),
    (
        "po",
        "x.po",
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgid "vrede\x1b"\nmsgstr "peace"\n',
    ),
    (
        "tbx",
        "x.tbx",
        b'<?xml version="1.0"?><martif type="TBX"><text><body><termEntry id="c1">'
        b'<langSet xml:lang="nl"><tig><term>vrede&#x9B;</term></tig></langSet>'
        b'<langSet xml:lang="en"><tig><term>peace</term></tig></langSet>'
        b"</termEntry></body></text></martif>",
    ),
]


@pytest.mark.parametrize(
    ("name", "data"),
    [(n, d) for _, n, d in IMPORTS_WITH_CONTROLS],
    ids=[i for i, _, _ in IMPORTS_WITH_CONTROLS],
)
def test_imports_refuse_controls_and_leave_the_termbase(
    project: Path, name: str, data: bytes
) -> None:
    (project.parent.parent / name).write_bytes(data)
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["import", name])
    assert result.exit_code == 1, result.output
    assert "control character" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert project.read_bytes() == before


def test_termbase_file_with_a_control_character_is_located(project: Path) -> None:
    from glossary.errors import TermbaseFormatError
    from glossary.termbase.model import parse_tsv

    row = "vrede\tvrede\t\tpeace\x1b\t\t\tapproved" + "\t" * 8
    data = (project.read_text() + row + "\n").encode()
    with pytest.raises(TermbaseFormatError) as info:
        parse_tsv(data, "tb.tsv")
    [problem] = info.value.problems
    assert (problem.line, problem.column, problem.column_name) == (2, 4, "en")
    assert "U+001B" in problem.message


ROUND_TRIP_FORMATS = ["tbx", "tbx3", "po"]


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_pasted_separators_survive_the_round_trip_byte_for_byte(
    project: Path, tmp_path: Path, fmt: str
) -> None:
    """Values pasted from a word processor (U+2028, U+0085, no-break spaces)
    are stored with plain spaces, so termbase -> export -> import into an
    empty termbase gives the same bytes, as docs/exchange.md promises."""
    for nl, en in [
        ("staakt\u2028het vuren", "cease\u0085fire"),
        ("Minsk\u00a0Groep", "Minsk\u2029Group"),
    ]:
        result = CliRunner().invoke(main, ["term", "add", nl, en, "--note", f"a\u2028b {nl}"])
        assert result.exit_code == 0, result.stderr
    original = project.read_bytes()
    assert b"\xe2\x80\xa8" not in original and b"\xc2\x85" not in original
    out = tmp_path / f"out.{fmt}"
    args = ["export", "--format", fmt, "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    fresh = tmp_path / "fresh" / "termbase.tsv"
    result = CliRunner().invoke(
        main,
        ["import", str(out), "--format", "po" if fmt == "po" else "tbx", "--termbase", str(fresh)],
    )
    assert result.exit_code == 0, result.stderr
    assert fresh.read_bytes() == original


@pytest.mark.parametrize(
    ("value", "back"),
    [
        ("_xFFFFFFFF_", "_xFFFFFFFF_"),
        ("_xD800_", "_xD800_"),
        ("_x0031_e", "1e"),
        ("3539013", "3539013"),
    ],
    ids=["beyond-unicode", "surrogate", "escaped-digit", "iate"],
)
def test_tbx_ids_that_name_no_character_stay_as_they_are(value: str, back: str) -> None:
    from glossary.exchange.tbx import from_xml_id

    assert from_xml_id(value) == back


def test_tbx_import_of_an_impossible_id_escape(project: Path) -> None:
    data = (
        b'<?xml version="1.0"?><martif type="TBX"><text><body>'
        b'<termEntry id="_xFFFFFFFF_"><langSet xml:lang="nl"><tig><term>vrede</term></tig>'
        b'</langSet><langSet xml:lang="en"><tig><term>peace</term></tig></langSet></termEntry>'
        b"</body></text></martif>"
    )
    (project.parent.parent / "ids.tbx").write_bytes(data)
    result = CliRunner().invoke(main, ["import", "ids.tbx"])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_csv_formulas_are_kept_warned_about_and_escaped_on_request(
    project: Path, tmp_path: Path
) -> None:
    for nl, en in [('=HYPERLINK("x")', "formula"), ("-achtig", "-like"), ("@vrede", "peace")]:
        assert CliRunner().invoke(main, ["term", "add", "--", nl, en]).exit_code == 0
    plain = tmp_path / "plain.csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(plain)])
    assert result.exit_code == 0
    assert "spreadsheet" in result.stderr and "--escape-formulas" in result.stderr
    assert '"=HYPERLINK(""x"")",formula' in plain.read_text()
    safe = tmp_path / "safe.csv"
    args = ["export", "--format", "csv", "--escape-formulas", "-o", str(safe)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Warning" not in result.stderr
    rows = safe.read_text().splitlines()
    assert "'-achtig,'-like" in rows and "'@vrede,peace" in rows
    assert all(not row.startswith(("=", "+", "-", "@")) for row in rows)


def _workbook() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nederlands", "Engels"])
    sheet.append(["vrede", "peace"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, member: str, content: bytes | None, damage: bool = False) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        items = [(i, archive.read(i)) for i in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, payload in items:
            replace = info.filename == member and content is not None
            archive.writestr(info.filename, content if replace else payload)
    raw = bytearray(out.getvalue())
    if damage:  # break the deflate stream of `member`, keeping the headers
        with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
            info = archive.getinfo(member)
        start = info.header_offset + 30 + len(member.encode())
        for offset in range(start, start + min(info.compress_size, 12)):
            raw[offset] ^= 0xFF
    return bytes(raw)


@pytest.mark.parametrize(
    "case",
    ["damaged-deflate", "not-xml", "bad-char-reference", "bad-number", "unknown-encoding"],
    ids=str,
)
def test_damaged_workbooks_are_refused_not_crashed(project: Path, case: str) -> None:
    """Found by the fuzzer (issue 20): openpyxl lets zlib, XML and type errors
    out of a damaged workbook; the import must refuse it with a message."""
    good = _workbook()
    if case == "damaged-deflate":
        data = _rezip(good, "xl/workbook.xml", None, damage=True)
    elif case == "not-xml":
        data = _rezip(good, "xl/worksheets/sheet1.xml", b"not xml at all")
    elif case == "unknown-encoding":  # a real workbook with shared strings
        real = Path(__file__).parent / "data" / "termbases" / "termate-solvency2_termbase.xlsx"
        declaration = b'<?xml version="1.0" encoding="OVSE"?><sst/>'
        data = _rezip(real.read_bytes(), "xl/sharedStrings.xml", declaration)
    elif case == "bad-char-reference":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(good)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml")
        data = _rezip(good, "xl/worksheets/sheet1.xml", sheet.replace(b"<t>vrede", b"<t>&#1;", 1))
    else:
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(good)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml")
        data = _rezip(good, "xl/worksheets/sheet1.xml", sheet.replace(b'r="1"', b'r="x"', 1))
    (project.parent.parent / "glossary.xlsx").write_bytes(data)
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["import", "glossary.xlsx"])
    assert result.exit_code == 1, result.output
    assert "cannot be read" in result.stderr or "not read" in result.stderr, result.stderr
    assert project.read_bytes() == before


@pytest.mark.parametrize("name", ["big.csv", "big.tsv"])
def test_a_quoted_field_over_the_csv_limit_is_no_crash(project: Path, name: str) -> None:
    """Found by the fuzzer (issue 20): the delimiter sniffing let csv.Error
    ("field larger than field limit") out of a line with a huge quoted field."""
    data = 'vrede,peace\n"' + "x" * 200_000 + ",oorlog\nwapen,weapon\n"
    (project.parent.parent / name).write_text(data, encoding="utf-8")
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["import", name])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 1:
        assert project.read_bytes() == before


def _package(*members: tuple[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_packages_that_lie_are_refused() -> None:
    """Found by the fuzzer (issue 20): a ZIP whose directory lies about where
    a part starts made zipfile raise ValueError ("negative seek value"), and
    one claiming version 13.3 NotImplementedError; both are damaged files."""
    import struct

    from glossary.errors import InputError
    from glossary.files import archive

    data = _package(("a.xml", b"<a>" + b"x" * 100 + b"</a>"), ("b.xml", b"<b/>"))
    shifted = data[:40] + data[44:]  # 4 bytes gone before the directory
    package = archive.open_package(shifted, "t.docx", "Word document (DOCX)")
    with pytest.raises(InputError, match="negative seek value"):
        package.read("a.xml")
    versioned = bytearray(data)
    struct.pack_into("<H", versioned, versioned.find(b"PK\x01\x02") + 6, 133)
    with pytest.raises(InputError, match=r"zip file version 13\.3"):
        archive.open_package(bytes(versioned), "t.odt", "OpenDocument text (ODT)")


def test_po_job_with_a_byte_order_mark_is_written_in_its_encoding() -> None:
    """Found by the fuzzer (issue 20): a UTF-16 PO read fine as a job, then the
    job writer decoded it as UTF-8 and crashed."""
    from glossary.exchange.jobs import TargetUpdate, read_job, write_job

    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        'msgid "De vrede."\nmsgstr ""\n'
    )
    data = b"\xff\xfe" + text.encode("utf-16-le")
    job = read_job(data, "job.po", "po")
    updates = [TargetUpdate(s.key, "The peace.") for s in job.segments]
    written = write_job(data, "job.po", updates, fmt="po")
    assert written.startswith(b"\xff\xfe")
    assert [s.target for s in read_job(written, "job.po", "po").segments] == ["The peace."]


def test_po_job_that_would_be_written_broken_is_refused() -> None:
    """Found by the fuzzer (issue 20): blank lines inside PO entries (polib
    reads them) made the in-place writer put msgstr lines in the wrong place;
    a written job must read back with the same segments, else nothing is written."""
    from glossary.errors import UnreadableFile
    from glossary.exchange.jobs import TargetUpdate, read_job, write_job

    text = (
        'msgid ""\n\nmsgstr ""\n\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '"Language: en\\n"\n\n\n\n#. Term: vrede → peace\n\n#: doc.txt:1\n\n'
        'msgid "De vrede."\n\nmsgstr "Peace."\n\n'
    )
    data = text.encode()
    job = read_job(data, "job.po", "po")
    updates = [TargetUpdate(s.key, "The peace.") for s in job.segments]
    try:
        written = write_job(data, "job.po", updates, fmt="po")
    except UnreadableFile as exc:
        assert "nothing was written" in str(exc)
    else:
        assert [s.target for s in read_job(written, "job.po", "po").segments] == ["The peace."]
