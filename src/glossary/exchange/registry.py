"""Exchange formats: choosing one for a file, and the values every format module shares.

One module per format (`glossary.exchange.tbx`, `glossary.exchange.po`,
`glossary.exchange.tabular`, `glossary.exchange.xliff`, `glossary.exchange.tmx`), as
translate-toolkit's storage classes are organised. Which format a file is,
and which function of which module reads or writes it, is data in the one
registry of every file format, `glossary.files.formats`; this module picks
from it for a role and says clearly when a file cannot serve:

- `termbase-writer`: `write_termbase(concepts, stream, options)`, a termbase export;
- `termbase-reader`: `read_termbase(data, path) -> ReadResult`, an import;
- `bilingual-reader`: `read_units(data, path) -> list[BilingualUnit]`
  (for `glossary check` and `glossary merge`);
- `bilingual-writer`: `write_translations(docs, stream)`, translated
  documents for post-editing or translation memories.

`choose(path, data, role, fmt)` decides by the content first (an XLIFF file
named `.xml`, a PO file named `.txt`), then the suffix; `infer` by the name
alone (for files still to be written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from glossary.document import BilingualUnit, TermUse
from glossary.errors import Problem, UnknownFormat
from glossary.files.formats import FORMATS, Format, by_suffix, detect, get, names
from glossary.files.inputs import decode_bytes
from glossary.termbase.model import Concept

__all__ = [
    "FORMATS",
    "BilingualUnit",
    "Format",
    "choose",
    "get",
    "infer",
    "names",
]

SOURCE_LANG: Final = "nl"
TARGET_LANG: Final = "en"
# Imports larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES: Final = 256 * 1024 * 1024

TERMBASE_EXPORTS: Final[tuple[str, ...]] = names("termbase-writer")
TERMBASE_IMPORTS: Final[tuple[str, ...]] = names("termbase-reader")
UNIT_READERS: Final[tuple[str, ...]] = names("bilingual-reader")
_ALIASES: Final = {
    "termbase": "termbase-writer",
    "termbase-read": "termbase-reader",
    "units": "bilingual-reader",
    "documents": "bilingual-writer",
}


def infer(path: str | PurePath, role: str = "termbase-writer") -> Format:
    """The format a file name implies by its suffix, for a role.

    The longest matching suffix wins, so "x.tbx3.tbx" is TBX v3 and "x.tbx"
    TBX v2. (The older purpose names "termbase", "termbase-read", "units"
    and "documents" are accepted too.)
    """
    role = _ALIASES.get(role, role)
    best = by_suffix(path, role)
    if best is not None:
        return best
    usable = names(role)
    other = by_suffix(path)
    if other is not None:
        raise UnknownFormat(
            f"{str(path)!r} is {other.label}, which cannot be used here; this needs one "
            f"of: {', '.join(usable)} (or pass --format)."
        )
    known = sorted({s for f in FORMATS.values() if f.offers(role) for s in f.suffixes})
    raise UnknownFormat(
        f"Cannot tell the format of {str(path)!r} from its name; pass --format "
        f"(suffixes known here: {', '.join(known)})."
    )


def choose(path: str | PurePath, data: bytes, role: str, fmt: str | None = None) -> Format:
    """The format to read `data` (the content of `path`) with, for `role`.

    `fmt` (from --format) wins when given; else the content decides when it
    shows a format that serves the role (an XLIFF file named .xml), else the
    suffix (whose reader refuses content of another kind). A file whose name
    says nothing usable and whose content is something this role cannot use
    is refused with what it is and what to use instead.
    """
    role = _ALIASES.get(role, role)
    if fmt:
        chosen = get(fmt)
        if not chosen.offers(role):
            raise UnknownFormat(
                f"The {chosen.name} format cannot be used here; use one of: "
                f"{', '.join(names(role))}."
            )
        return chosen
    found = detect(path, data, role)
    if found.format is not None and found.format.offers(role):
        return found.format
    named = by_suffix(path, role)
    if found.format is None or named is not None:
        # The name's format reads strictly and refuses content of another kind
        # with its own located message ("the root element is <html>, not <martif>").
        return named if named is not None else infer(path, role)
    advice = f" {found.format.advice}." if found.format.advice else ""
    raise UnknownFormat(
        f"{found.describe()}, which cannot be used here; this needs one of: "
        f"{', '.join(names(role))} (or pass --format).{advice}"
    )


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


def term_hint(use: TermUse, others: Sequence[TermUse] = ()) -> str:
    """A one-line hint for a term found in a segment: "Term: OVSE → OSCE", with
    the admitted alternatives and forbidden renderings a hint carries ("also:
    cease-fire; not: stop-the-fire"). `others` are further occurrences of the
    same concept in the segment: their other spellings are named too."""
    surfaces = dict.fromkeys([use.source_text, *(o.source_text for o in others)])
    text = f"Term: {', '.join(surfaces)} → {use.target}"
    if use.dnt:
        text += " (do not translate)"
    extras = []
    if use.alternatives:
        extras.append("also: " + ", ".join(use.alternatives))
    if use.forbidden:
        extras.append("not: " + ", ".join(use.forbidden))
    if extras:
        text += " (" + "; ".join(extras) + ")"
    failed = [u for u in (use, *others) if u.status == "failed"]
    if failed:
        detail = failed[0].detail
        text += " [not enforced" + (f": {detail}" if detail else "") + "]"
    return text


def term_hints(uses: Sequence[TermUse]) -> list[str]:
    """One hint line per concept of a segment (`term_hint`), in source order."""
    by_concept: dict[str, list[TermUse]] = {}
    for use in uses:
        by_concept.setdefault(use.concept_id, []).append(use)
    return [term_hint(first, rest) for first, *rest in by_concept.values()]


def segment_key(doc: str, index: int) -> str:
    """The identity of a segment across exports and merging: "file.txt#12".

    Only the file name counts, so a document re-read from another folder
    still finds its units.
    """
    return f"{PurePath(doc).name}#{index}"


def decode_text(data: bytes, path: str, encoding: str = "utf-8") -> str:
    """Text of a line-based exchange file (TSV, CSV, PO) by the one decoding policy
    (`glossary.files.inputs.decode_bytes`), in its strict form: these files must be
    UTF-8 (a byte-order mark may say UTF-16, as spreadsheets save "Unicode text")
    or the encoding they declare, so bad bytes are an error with the line and
    column, never silently replaced or guessed."""
    return decode_bytes(
        data,
        path,
        encoding=None if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding,
        strict=True,
        strict_hint="save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8' or 'Unicode (UTF-8)')",
    ).text


def norm_space(text: str | None) -> str:
    """Collapse runs of whitespace (XML pretty-printing, wrapped lines) to one space."""
    return " ".join(text.split()) if text else ""
