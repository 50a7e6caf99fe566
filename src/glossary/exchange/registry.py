"""The registry of exchange formats, and the values every format module shares.

One module per format (`glossary.exchange.tbx`, `glossary.exchange.po`, `glossary.exchange.tabular`,
`glossary.exchange.xliff`, `glossary.exchange.tmx`), as translate-toolkit's storage classes
are organised. The registry maps a format name to "module:function" strings
that are imported only when used, so `glossary --help` never pays for lxml
or polib. A format is inferred from the file suffix when not given.

What a format module offers (each optional):

- `write_termbase(concepts, stream, options)`: a termbase export.
- `read_termbase(data, path)`: concepts from a file -> `ReadResult`.
- `read_units(data, path)`: bilingual segments -> list of `BilingualUnit`
  (for `glossary check` and `glossary merge`).
- `write_translations(docs, stream)`: translated documents for post-editing
  or translation memories (called by `glossary translate --format`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Final, Literal

from glossary.document import TermUse
from glossary.errors import InputError, Problem, UnknownFormat, UnreadableFile
from glossary.termbase.model import Concept

SOURCE_LANG: Final = "nl"
TARGET_LANG: Final = "en"
# Imports larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES: Final = 256 * 1024 * 1024

Purpose = Literal["termbase", "units", "documents"]


@dataclass(frozen=True)
class Format:
    """One exchange format and where its functions live."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    module: str
    termbase_writer: str = ""  # function names in `module`, "" when not offered
    termbase_reader: str = ""
    units_reader: str = ""
    documents_writer: str = ""
    export_name: str = ""  # file name in exports/
    default_statuses: tuple[str, ...] = ("approved", "proposed", "rejected")

    def offers(self, purpose: Purpose) -> bool:
        return bool(self._function_name(purpose))

    def _function_name(self, purpose: str) -> str:
        return {
            "termbase": self.termbase_writer,
            "termbase-read": self.termbase_reader,
            "units": self.units_reader,
            "documents": self.documents_writer,
        }.get(purpose, "")

    def function(self, purpose: str) -> Callable[..., Any]:
        """The function for `purpose` ("termbase", "termbase-read", "units", "documents")."""
        name = self._function_name(purpose)
        if not name:
            raise UnknownFormat(f"The {self.name} format cannot be used for this ({purpose}).")
        module = importlib.import_module(self.module)
        func: Callable[..., Any] = getattr(module, name)
        return func


FORMATS: Final[dict[str, Format]] = {
    f.name: f
    for f in (
        Format(
            "tbx",
            "TBX 2008 (v2), TBX-Basic: OmegaT, translate-toolkit, Okapi, memoQ, Trados",
            (".tbx",),
            "glossary.exchange.tbx",
            termbase_writer="write_tbx2",
            termbase_reader="read_termbase",
            export_name="termbase.tbx",
        ),
        Format(
            "tbx3",
            "TBX v3 (ISO 30042:2019), TBX-Basic dialect, DCA style",
            (".tbx3.tbx", ".tbx3"),
            "glossary.exchange.tbx",
            termbase_writer="write_tbx3",
            termbase_reader="read_termbase",
            export_name="termbase.tbx3.tbx",
        ),
        Format(
            "po",
            "gettext PO: termbase for Weblate/Pootle/Poedit, documents for post-editing",
            (".po", ".pot"),
            "glossary.exchange.po",
            termbase_writer="write_termbase",
            termbase_reader="read_termbase",
            units_reader="read_units",
            documents_writer="write_translations",
            export_name="termbase.po",
        ),
        Format(
            "tsv",
            "tab-separated nl, en, comment (OmegaT glossary; UTF-8)",
            (".utf8", ".tsv", ".tab", ".txt"),
            "glossary.exchange.tabular",
            termbase_writer="write_tsv",
            termbase_reader="read_tsv",
            units_reader="read_units_tsv",
            export_name="termbase.utf8",
            default_statuses=("approved",),
        ),
        Format(
            "csv",
            "comma-separated nl,en (DeepL glossary; with --header: Amazon Translate)",
            (".csv",),
            "glossary.exchange.tabular",
            termbase_writer="write_csv",
            termbase_reader="read_csv",
            export_name="termbase.csv",
            default_statuses=("approved",),
        ),
        Format(
            "xlsx",
            "Excel workbook (.xlsx): a glossary table, header row recognised",
            (".xlsx",),
            "glossary.exchange.xlsx",
            termbase_reader="read_termbase",
        ),
        Format(
            "xliff",
            "XLIFF 1.2 for CAT tools (post-editing machine translation)",
            (".xlf", ".xliff"),
            "glossary.exchange.xliff",
            units_reader="read_units",
            documents_writer="write_translations",
        ),
        Format(
            "tmx",
            "TMX 1.4b translation memory",
            (".tmx",),
            "glossary.exchange.tmx",
            units_reader="read_units",
            documents_writer="write_translations",
        ),
    )
}

TERMBASE_EXPORTS: Final[tuple[str, ...]] = tuple(
    f.name for f in FORMATS.values() if f.termbase_writer
)
TERMBASE_IMPORTS: Final[tuple[str, ...]] = tuple(
    f.name for f in FORMATS.values() if f.termbase_reader
)
UNIT_READERS: Final[tuple[str, ...]] = tuple(f.name for f in FORMATS.values() if f.units_reader)


def get(name: str) -> Format:
    """The format called `name` (raises `UnknownFormat` listing the known ones)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(f"Unknown format {name!r}; use one of: {', '.join(FORMATS)}.") from None


def infer(path: str | PurePath, purpose: str = "termbase") -> Format:
    """The format a file name implies by its suffix, for a purpose.

    `purpose` is "termbase" (export), "termbase-read" (import), "units"
    (bilingual reading) or "documents". The longest matching suffix wins,
    so "x.tbx3.tbx" is TBX v3 and "x.tbx" TBX v2.
    """
    name = PurePath(path).name.lower()
    best: Format | None = None
    best_len = 0
    for fmt in FORMATS.values():
        if not fmt._function_name(purpose):
            continue
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and len(suffix) > best_len:
                best, best_len = fmt, len(suffix)
    if best is None:
        other = next(
            (f for f in FORMATS.values() if any(name.endswith(x) for x in f.suffixes)), None
        )
        usable = [f.name for f in FORMATS.values() if f._function_name(purpose)]
        if other is not None:
            raise UnknownFormat(
                f"{str(path)!r} is a {other.name} file ({other.label}), which cannot be used "
                f"here; this needs one of: {', '.join(usable)} (or pass --format)."
            )
        known = sorted(
            {s for f in FORMATS.values() if f._function_name(purpose) for s in f.suffixes}
        )
        raise UnknownFormat(
            f"Cannot tell the format of {str(path)!r} from its name; pass --format "
            f"(suffixes known here: {', '.join(known)})."
        )
    return best


# ------------------------------------------------------------ shared values


@dataclass(frozen=True)
class ExportOptions:
    """Options a termbase writer may use; each writer ignores what it cannot express."""

    date: str = ""  # ISO date for headers; empty = none, so exports are deterministic
    header: bool = False  # CSV: a first row "nl,en" (Amazon Translate)
    title: str = "glossary termbase"


@dataclass(frozen=True)
class ImportOptions:
    """How a termbase reader reads a file (`glossary import` options).

    `source_lang` / `target_lang`: which of the file's languages to read as
    the termbase's Dutch and English; given explicitly (`languages_given`),
    the file's declared or apparent languages are not checked. `delimiter`
    ("" = sniff), `header` (None = recognise), `columns` (field names by
    position, "" or "-" to leave a column out) are for tabular files.
    """

    source_lang: str = SOURCE_LANG
    target_lang: str = TARGET_LANG
    languages_given: bool = False
    delimiter: str = ""
    header: bool | None = None
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadResult:
    """Concepts read from a file, and entries that were left out (with why)."""

    concepts: tuple[Concept, ...]
    skipped: tuple[Problem, ...] = ()
    # Entries not about Dutch and English (e.g. IATE entries in other languages).
    ignored: int = 0
    # What the termbase has no place for: (kind, name, count), e.g.
    # ("other languages", "es", 39) or ("history", "transactions", 316).
    dropped: tuple[tuple[str, str, int], ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "read as Windows-1252"


@dataclass(frozen=True)
class BilingualUnit:
    """One source segment and its translation, from a PO, XLIFF, TMX or TSV file."""

    source: str
    target: str
    ref: str = ""  # where to look: "file:line" of the source document, or the unit id
    key: str = ""  # identity for merging: `segment_key` of the segment it came from
    reviewed: bool = True  # False while still fuzzy / needs-review
    line: int | None = None  # line in the bilingual file itself (PO: the msgid line)
    notes: tuple[str, ...] = field(default=(), compare=False)
    unit_id: str = ""  # the unit's id in the file (XLIFF trans-unit id, TMX tuid)
    number: int = 0  # 1-based position among the file's units, as CAT tools number segments


def term_hint(use: TermUse) -> str:
    """A one-line hint for a term found in a segment: "Term: OVSE → OSCE"."""
    text = f"Term: {use.source_text} → {use.target}"
    if use.dnt:
        text += " (do not translate)"
    if use.status == "failed":
        text += " [not enforced" + (f": {use.detail}" if use.detail else "") + "]"
    return text


def segment_key(doc: str, index: int) -> str:
    """The identity of a segment across exports and merging: "file.txt#12".

    Only the file name counts, so a document re-read from another folder
    still finds its units.
    """
    return f"{PurePath(doc).name}#{index}"


# ------------------------------------------------------------- input files


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input file, refusing files above `max_bytes`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(
                f"{path} was not read.",
                [
                    Problem(
                        str(path),
                        None,
                        f"the file is {_mb(size)}, more than the {_mb(max_bytes)} limit",
                        hint="pass --max-size with a larger number of MB if you trust the file",
                    )
                ],
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; give a file.") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read: permission denied.") from None
    if len(data) > max_bytes:  # grew while reading, or a pipe / special file
        raise UnreadableFile(
            f"{path} was not read.",
            [Problem(str(path), None, f"more than the {_mb(max_bytes)} limit")],
        )
    return data


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"
    return f"{size / 1024 / 1024:.1f} MB"


BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes, path: str, encoding: str = "utf-8") -> str:
    """Text of a line-based file: UTF-8 (a BOM is dropped), or UTF-16 with a BOM
    (what spreadsheets save as "Unicode text"). Bad bytes are an error with
    the line and column, never silently replaced."""
    for bom, name in BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableFile(
            f"{path} is not valid {encoding.upper()}; nothing was read.",
            [
                Problem(
                    path,
                    line,
                    f"byte {data[exc.start : exc.start + 1]!r} cannot be decoded as "
                    f"{encoding.upper()}",
                    column=column,
                    hint="save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8' or "
                    "'Unicode (UTF-8)')",
                )
            ],
        ) from None


def norm_space(text: str | None) -> str:
    """Collapse runs of whitespace (XML pretty-printing, wrapped lines) to one space."""
    return " ".join(text.split()) if text else ""
