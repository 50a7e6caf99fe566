"""The one registry of file formats: what each is, how to recognise it, what reads and writes it.

Every kind of file the tool reads or writes has one `Format` here: documents
(plain text, Markdown, HTML; Word, OpenDocument, PDF and subtitles are known
so they can be named, and get readers in later work), bilingual files (PO,
XLIFF, TMX, the segment table), termbases (TBX, TBX v3, PO, TSV/OmegaT,
CSV) and the files that are none of these (spreadsheets, archives, unknown
XML). A format declares:

- `suffixes`: the file names it goes by (the longest matching suffix wins;
  at equal length the earlier entry, so `.txt` is plain text for documents
  and an OmegaT glossary for a termbase import, since only `tsv` reads
  termbases);
- `sniff`: a test over the first bytes (`HEAD` bytes are enough), so an
  XLIFF file named `.xml`, a PO file named `.txt`, a Word file saved as
  `.txt`, subtitles named `.txt` or a TBX file named `.xml` are recognised
  by what they contain;
- its roles, as "module:function" strings imported only when used (so
  `glossary --help` never pays for lxml or polib): `document_reader`
  (`read(data, name, *, repair) -> Document`), `document_writer` and
  `bilingual_writer` (`write(docs, stream)`), `bilingual_reader`
  (`read(data, name) -> list[BilingualUnit]`), `termbase_reader`
  (`read(data, name) -> ReadResult`), `termbase_writer`
  (`write(concepts, stream, options)`), `job_reader` and `job_writer` (a CAT
  bilingual file as a translation job, its targets written in place:
  `glossary.exchange.jobs`).

`detect(path, data, role)` decides: content first (every sniffer looks for
what a file of that kind starts with, so a match is strong evidence), then
the name. Adding a format is one module with its functions and one entry
in `FORMATS`.

This module holds data and sniffers only: no I/O, no imports of the layers
that implement the roles, so every layer can use it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import Any, Final, Literal

from glossary.errors import UnknownFormat

Role = Literal[
    "document-reader",
    "document-writer",
    "bilingual-reader",
    "bilingual-writer",
    "termbase-reader",
    "termbase-writer",
    "job-reader",
    "job-writer",
]
ROLES: Final[tuple[Role, ...]] = (
    "document-reader",
    "document-writer",
    "bilingual-reader",
    "bilingual-writer",
    "termbase-reader",
    "termbase-writer",
    "job-reader",
    "job-writer",
)
# What a file is, which decides what a command may do with it.
Kind = Literal["document", "bilingual", "termbase", "table", "data", "other"]
# Older purpose names (exchange.registry before the registry moved here).
_ROLE_ALIASES: Final[dict[str, Role]] = {
    "termbase": "termbase-writer",
    "termbase-read": "termbase-reader",
    "units": "bilingual-reader",
    "documents": "bilingual-writer",
}
# How many leading bytes the sniffers need.
HEAD: Final = 64 * 1024

Sniffer = Callable[[bytes], bool]


@dataclass(frozen=True)
class Format:
    """One file format, how to recognise it, and where its functions live."""

    name: str
    label: str
    kind: Kind
    suffixes: tuple[str, ...] = ()
    sniff: Sniffer | None = None
    document_reader: str = ""
    document_writer: str = ""
    bilingual_reader: str = ""
    bilingual_writer: str = ""
    termbase_reader: str = ""
    termbase_writer: str = ""
    job_reader: str = ""  # read(data, name) -> glossary.exchange.jobs.Job
    job_writer: str = ""  # write(data, name, updates, *, hints) -> bytes (in place)
    extension: str = ""  # suffix of translation outputs written in this format
    export_name: str = ""  # file name of a termbase export in exports/
    default_statuses: tuple[str, ...] = ("approved", "proposed", "rejected")
    advice: str = ""  # what to do with such a file where it cannot be used
    binary: bool = False  # never text: decoding refuses it (PDF, ZIP, Office...)
    # The format a translation of such a document is written in by default ("" for
    # the format itself when it has a document writer, else text): a PDF comes
    # back as a Word document.
    output_format: str = ""
    # The formats of the documents its writer can write a translation of (empty: any):
    # a document edited in place needs its own original.
    writes_from: tuple[str, ...] = ()

    def target(self, role: str) -> str:
        """The "module:function" string for `role` ("" when not offered)."""
        role = _ROLE_ALIASES.get(role, role)
        if role not in ROLES:
            return ""
        value: str = getattr(self, role.replace("-", "_"))
        return value

    def offers(self, role: str) -> bool:
        return bool(self.target(role))

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(r for r in ROLES if self.target(r))

    def function(self, role: str) -> Callable[..., Any]:
        """The function for `role`, imported now; `UnknownFormat` when not offered or
        its module (or a package it needs) is missing from this installation."""
        target = self.target(role)
        what = f"The {self.name} {_ROLE_ALIASES.get(role, role).replace('-', ' ')}"
        if not target:
            raise UnknownFormat(f"{what} does not exist: {self.label} cannot be used for this.")
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                raise UnknownFormat(
                    f"{what} is not available: module {module_name} is missing from this "
                    "installation. Choose another format."
                ) from None
            raise UnknownFormat(
                f"{what} needs the Python package '{exc.name}', which is not installed: "
                f"pip install {exc.name}"
            ) from None
        func = getattr(module, attribute, None)
        if not callable(func):
            raise UnknownFormat(
                f"{what} is not available: {module_name} has no {attribute}(). "
                "Choose another format."
            )
        result: Callable[..., Any] = func
        return result


# ------------------------------------------------------------------ sniffers
# Each looks at how a file of its kind starts, never at words inside it, so a
# document that merely talks about PO files or XML is not taken for one.

_UTF16_XML = re.compile(rb"\A(?:<\x00[?!a-zA-Z]\x00|\x00<\x00[?!a-zA-Z])")


@lru_cache(maxsize=8)
def head_text(data: bytes) -> str:
    """The first `HEAD` bytes as text, for sniffing only: the byte-order mark
    decides (UTF-8, UTF-16, UTF-32), else UTF-8 with bad bytes replaced."""
    head = data[:HEAD]
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(codec, "replace").lstrip("\ufeff")
    if _UTF16_XML.match(head):  # UTF-16 XML without a byte-order mark
        return head.decode("utf-16-le" if head[1] == 0 else "utf-16-be", "replace")
    return head.decode("utf-8", "replace")


def _skip_prolog(text: str) -> tuple[int, bool]:
    """Where the first element starts after an XML/HTML prolog (declaration,
    comments, processing instructions, DOCTYPE), and whether the DOCTYPE said html.
    -1 when the text does not start like markup. Linear: str.find only."""
    pos, n, html = 0, len(text), False
    while pos < n:
        while pos < n and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            html = html or text[pos + 9 : pos + 15].strip().lower().startswith("html")
            close = text.find(">", pos)
            bracket = text.find("[", pos, close if close >= 0 else n)
            if bracket >= 0:  # an internal subset: up to "]>"
                end_subset = text.find("]", bracket)
                close = text.find(">", end_subset) if end_subset >= 0 else -1
            end = close
        else:
            return (pos if text.startswith("<", pos) else -1), html
        if end < 0:
            return -1, html
        pos = text.find(">", end) + 1 if text[end] != ">" else end + 1
    return -1, html


_NAME = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


@lru_cache(maxsize=8)
def xml_root(data: bytes) -> str:
    """The local name of the root element, lower case ("" when the data is not markup)."""
    text = head_text(data)
    pos, html = _skip_prolog(text)
    if html:
        return "html"
    if pos < 0:
        return ""
    match = _NAME.match(text, pos)
    return match.group(1).lower() if match else ""


def _root_is(*names: str) -> Sniffer:
    def sniff(data: bytes) -> bool:
        return xml_root(data) in names

    return sniff


# Elements an HTML page or fragment may start with: such a file is never taken
# for an XML format ("<p>Tekst</p>" named .html is HTML).
_HTML_ROOTS: Final = frozenset(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "link",
        "base",
        "style",
        "script",
        "noscript",
        "p",
        "div",
        "span",
        "a",
        "b",
        "i",
        "u",
        "em",
        "strong",
        "small",
        "br",
        "hr",
        "img",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "aside",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "code",
        "form",
        "label",
        "input",
        "button",
        "select",
        "textarea",
        "font",
        "center",
    ]
)


def _is_html(data: bytes) -> bool:
    """A whole page: a DOCTYPE html or an <html>, <head> or <body> first element.
    (A fragment starting "<p>" is HTML by its .html name; in a .txt it stays text.)"""
    return xml_root(data) in ("html", "head", "body")


def _is_xml(data: bytes) -> bool:
    """XML of another kind: an XML declaration, or a namespaced first element. (Text
    that merely starts with "<Vertrouwelijk>" is not taken for XML.)"""
    root = xml_root(data)
    if not root or root in _HTML_ROOTS:
        return False
    text = head_text(data)
    if text.lstrip().startswith("<?xml"):
        return True
    pos, _ = _skip_prolog(text)
    end = text.find(">", pos)
    return "xmlns" in text[pos : end if end >= 0 else pos + 1000]


def _starts(*magics: bytes) -> Sniffer:
    def sniff(data: bytes) -> bool:
        return data.startswith(magics)

    return sniff


def _zip_with(*markers: bytes) -> Sniffer:
    """A ZIP archive whose first entries (local headers, stored names) carry a marker:
    `word/` for a .docx, the `mimetype` entry for OpenDocument and EPUB."""

    def sniff(data: bytes) -> bool:
        return data.startswith(b"PK\x03\x04") and any(m in data[:HEAD] for m in markers)

    return sniff


_PO_START = re.compile(r'\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:msgctxt|msgid)[ \t]+"')
_PO_MSGSTR = re.compile(r'^[ \t]*msgstr(?:\[\d+\])?[ \t]+"', re.MULTILINE)


def _is_po(data: bytes) -> bool:
    text = head_text(data)
    return bool(_PO_START.match(text)) and bool(_PO_MSGSTR.search(text))


_TIMECODE = re.compile(
    r"\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}"
)


def _is_srt(data: bytes) -> bool:
    lines = [line.strip() for line in head_text(data).splitlines()[:12]]
    lines = [line for line in lines if line][:2]
    if not lines:
        return False
    if lines[0].isdigit() and len(lines) > 1:
        return bool(_TIMECODE.match(lines[1]))
    return bool(_TIMECODE.match(lines[0]))


def _is_vtt(data: bytes) -> bool:
    text = head_text(data)
    return text.startswith("WEBVTT") and text[6:7] in ("", " ", "\t", "\n", "\r")


def _is_translation_json(data: bytes) -> bool:
    text = head_text(data).lstrip()
    return text.startswith("{") and bool(
        re.search(r'"format"\s*:\s*"glossary-translation"', text[:4096])
    )


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _encrypted_office(data: bytes) -> bool:
    """A password-protected Word, Excel or PowerPoint file: an OLE container with an
    EncryptedPackage stream (its directory is in the first sectors of small files)."""
    return data.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in data[:HEAD]


# ------------------------------------------------------------------ registry

_OFFICE_ADVICE = "Save it as plain text (.txt) in its program and give that file"

FORMATS: Final[dict[str, Format]] = {
    f.name: f
    for f in (
        # documents
        Format(
            "text",
            "plain text",
            "document",
            (".txt", ".text"),
            document_reader="glossary.reading.ingest:read_text",
            document_writer="glossary.translation.writers:write_text",
            extension=".txt",
        ),
        Format(
            "markdown",
            "Markdown text",
            "document",
            (".md", ".markdown"),
            document_reader="glossary.reading.ingest:read_markdown",
            document_writer="glossary.documents.markdown:write",
            extension=".md",
            writes_from=("markdown",),
        ),
        Format(
            "html",
            "an HTML page",
            "document",
            (".html", ".htm", ".xhtml"),
            sniff=_is_html,
            document_reader="glossary.documents.html:read",
            document_writer="glossary.documents.html:write",
            extension=".html",
            writes_from=("html",),
        ),
        Format(
            "docx",
            "a Word document (DOCX)",
            "document",
            (".docx", ".docm", ".dotx"),
            sniff=_zip_with(b"word/"),
            document_reader="glossary.documents.docx:read",
            document_writer="glossary.documents.docx:write",
            extension=".docx",
            binary=True,
        ),
        Format(
            "odt",
            "an OpenDocument text (ODT)",
            "document",
            (".odt", ".ott"),
            sniff=_zip_with(b"mimetypeapplication/vnd.oasis.opendocument.text"),
            document_reader="glossary.documents.odt:read",
            document_writer="glossary.documents.odt:write",
            extension=".odt",
            binary=True,
            writes_from=("odt",),
        ),
        Format(
            "pdf",
            "a PDF file",
            "document",
            (".pdf",),
            sniff=_starts(b"%PDF-"),
            document_reader="glossary.documents.pdf:read",
            binary=True,
            output_format="docx",
        ),
        Format(
            "srt",
            "SubRip subtitles (SRT)",
            "document",
            (".srt",),
            sniff=_is_srt,
            document_reader="glossary.documents.subtitles:read_srt",
            document_writer="glossary.documents.subtitles:write",
            extension=".srt",
            writes_from=("srt",),
        ),
        Format(
            "vtt",
            "WebVTT subtitles",
            "document",
            (".vtt",),
            sniff=_is_vtt,
            document_reader="glossary.documents.subtitles:read_vtt",
            document_writer="glossary.documents.subtitles:write",
            extension=".vtt",
            writes_from=("vtt",),
        ),
        Format(
            "rtf",
            "an RTF document",
            "document",
            (".rtf",),
            sniff=_starts(b"{\\rtf"),
            advice=_OFFICE_ADVICE,
            binary=True,
        ),
        Format(
            "encrypted",
            "a password-protected (encrypted) Office document",
            "other",
            (),
            sniff=_encrypted_office,
            advice="Remove its password in its program (in Word: File › Info › Protect "
            "Document › Encrypt with Password, and clear it), save a copy and give that file",
            binary=True,
        ),
        Format(
            "doc",
            "an old Office file (.doc, .xls or .ppt) or an encrypted one",
            "document",
            (".doc", ".dot"),
            sniff=_starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            advice=_OFFICE_ADVICE,
            binary=True,
        ),
        Format(
            "pptx",
            "a PowerPoint presentation (PPTX)",
            "document",
            (".pptx",),
            sniff=_zip_with(b"ppt/"),
            advice=_OFFICE_ADVICE,
            binary=True,
        ),
        Format(
            "odp",
            "an OpenDocument presentation (ODP)",
            "document",
            (".odp",),
            sniff=_zip_with(b"mimetypeapplication/vnd.oasis.opendocument.presentation"),
            advice=_OFFICE_ADVICE,
            binary=True,
        ),
        Format(
            "epub",
            "an EPUB e-book",
            "document",
            (".epub",),
            sniff=_zip_with(b"mimetypeapplication/epub+zip"),
            advice="Convert it to plain text (.txt) first",
            binary=True,
        ),
        # termbases
        Format(
            "tbx",
            "a TBX 2008 (v2) termbase",
            "termbase",
            (".tbx",),
            sniff=_root_is("martif"),
            termbase_reader="glossary.exchange.tbx:read_termbase",
            termbase_writer="glossary.exchange.tbx:write_tbx2",
            export_name="termbase.tbx",
        ),
        Format(
            "tbx3",
            "a TBX v3 (ISO 30042:2019) termbase",
            "termbase",
            (".tbx3.tbx", ".tbx3"),
            sniff=_root_is("tbx"),
            termbase_reader="glossary.exchange.tbx:read_termbase",
            termbase_writer="glossary.exchange.tbx:write_tbx3",
            export_name="termbase.tbx3.tbx",
        ),
        # bilingual files
        Format(
            "po",
            "a gettext PO file",
            "bilingual",
            (".po", ".pot"),
            sniff=_is_po,
            bilingual_reader="glossary.exchange.po_job:read_units",
            bilingual_writer="glossary.exchange.po:write_translations",
            job_reader="glossary.exchange.po_job:read_job",
            job_writer="glossary.exchange.po_job:write_job",
            termbase_reader="glossary.exchange.po:read_termbase",
            termbase_writer="glossary.exchange.po:write_termbase",
            extension=".po",
            export_name="termbase.po",
        ),
        Format(
            "xliff",
            "an XLIFF file",
            "bilingual",
            (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff"),
            sniff=_root_is("xliff"),
            bilingual_reader="glossary.exchange.xliff_job:read_units",
            bilingual_writer="glossary.exchange.xliff:write_translations",
            job_reader="glossary.exchange.xliff_job:read_job",
            job_writer="glossary.exchange.xliff_job:write_job",
            extension=".xlf",
        ),
        Format(
            "tmx",
            "a TMX translation memory",
            "bilingual",
            (".tmx",),
            sniff=_root_is("tmx"),
            bilingual_reader="glossary.exchange.tmx:read_units",
            bilingual_writer="glossary.exchange.tmx:write_translations",
            extension=".tmx",
        ),
        # tables
        Format(
            "tsv",
            "a tab-separated file (OmegaT glossary, termbase or segment table)",
            "table",
            (".tsv", ".tab", ".utf8", ".txt"),
            bilingual_reader="glossary.exchange.tabular:read_units_tsv",
            bilingual_writer="glossary.translation.writers:write_tsv",
            termbase_reader="glossary.exchange.tabular:read_tsv",
            termbase_writer="glossary.exchange.tabular:write_tsv",
            extension=".tsv",
            export_name="termbase.utf8",
            default_statuses=("approved",),
        ),
        Format(
            "csv",
            "a comma-separated nl,en glossary (DeepL, Amazon Translate)",
            "termbase",
            (".csv",),
            termbase_reader="glossary.exchange.tabular:read_csv",
            termbase_writer="glossary.exchange.tabular:write_csv",
            export_name="termbase.csv",
            default_statuses=("approved",),
        ),
        # other data
        Format(
            "json",
            "a JSON file",
            "data",
            (".json",),
            sniff=_is_translation_json,
            bilingual_writer="glossary.translation.writers:write_json",
            extension=".json",
            advice="JSON is what 'glossary translate --format json' writes, not an input",
        ),
        Format(
            "xlsx",
            "an Excel workbook (XLSX)",
            "termbase",
            (".xlsx", ".xlsm"),
            sniff=_zip_with(b"xl/"),
            termbase_reader="glossary.exchange.xlsx:read_termbase",
            binary=True,
        ),
        Format(
            "ods",
            "an OpenDocument spreadsheet (ODS)",
            "other",
            (".ods",),
            sniff=_zip_with(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            advice="Save the sheet as CSV or TSV to import terms from it",
            binary=True,
        ),
        Format(
            "zip",
            "a ZIP archive (a .docx, .odt, .xlsx or .epub file?)",
            "other",
            (".zip",),
            sniff=_starts(b"PK\x03\x04"),
            advice="Unpack it and give the files in it",
            binary=True,
        ),
        Format(
            "xml",
            "an XML file of a kind glossary does not read",
            "other",
            (".xml",),
            sniff=_is_xml,
            advice="glossary reads XLIFF, TMX and TBX files (XML) and HTML documents",
        ),
    )
}


def get(name: str) -> Format:
    """The format called `name` (`UnknownFormat` listing the known ones)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(f"Unknown format {name!r}; use one of: {', '.join(FORMATS)}.") from None


def offering(*roles: str) -> tuple[Format, ...]:
    """The formats that offer any of `roles`, in registry order."""
    return tuple(f for f in FORMATS.values() if any(f.offers(r) for r in roles))


def names(*roles: str) -> tuple[str, ...]:
    """The names of the formats that offer any of `roles`, in registry order."""
    return tuple(f.name for f in offering(*roles))


def by_suffix(path: str | PurePath, *roles: str) -> Format | None:
    """The format a file name implies (among those offering one of `roles`, when given).

    The longest matching suffix wins, so "x.tbx3.tbx" is TBX v3 and "x.tbx" TBX v2;
    at equal length the earlier entry of `FORMATS`.
    """
    name = PurePath(path).name.lower()
    best: Format | None = None
    best_len = 0
    for fmt in FORMATS.values():
        if roles and not any(fmt.offers(r) for r in roles):
            continue
        for suffix in fmt.suffixes:
            if len(suffix) > best_len and name.endswith(suffix):
                best, best_len = fmt, len(suffix)
    return best


def sniff(data: bytes) -> Format | None:
    """The format the content shows (`None` when no sniffer recognises it)."""
    data = data[:HEAD]  # sniffers read the head only, and cache on it
    for fmt in FORMATS.values():
        if fmt.sniff is not None and fmt.sniff(data):
            return fmt
    return None


Evidence = Literal["content", "name", "none"]


@dataclass(frozen=True)
class Detection:
    """What a file is, and how that was decided."""

    format: Format | None
    by: Evidence
    named: Format | None = None  # what the file name alone says
    path: str = ""

    @property
    def renamed(self) -> bool:
        """The content says one thing, the file name another (a PO file named .txt)."""
        return (
            self.by == "content"
            and self.format is not None
            and self.named is not None
            and self.named.name != self.format.name
        )

    def describe(self) -> str:
        """ "job.txt is an XLIFF file (bilingual: ...), by its content (its name ends in .txt)"."""
        fmt = self.format
        if fmt is None:
            return f"{self.path}: the format is unknown"
        text = f"{self.path} is {fmt.label}"
        if fmt.kind == "bilingual":
            text += " (bilingual: source and target segments)"
        if self.renamed:
            suffix = PurePath(self.path).suffix or "its name"
            text += f", by its content (its name ends in {suffix})"
        return text


def detect(path: str | PurePath, data: bytes, role: str | None = None) -> Detection:
    """What the file at `path` with content `data` (its first bytes are enough) is.

    The content decides when a sniffer recognises it; else the suffix, among
    the formats offering `role` when one does (".txt" is plain text for
    "document-reader", an OmegaT TSV glossary for "termbase-reader"), else
    among all formats. `format` is None when neither tells.
    """
    named = (by_suffix(path, role) if role else None) or by_suffix(path)
    found = sniff(data)
    if found is not None:
        return Detection(found, "content", named, str(path))
    if named is not None:
        return Detection(named, "name", named, str(path))
    return Detection(None, "none", None, str(path))


def suffixes(*roles: str) -> tuple[str, ...]:
    """Every suffix of the formats offering `roles`, sorted (for messages)."""
    return tuple(sorted({s for f in offering(*roles) for s in f.suffixes}))
