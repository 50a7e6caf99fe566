"""Where documents come from: inputs gathered, each file recognised and read, or refused.

Every command that reads documents (`segment`, `mine`, `review`,
`translate`, `check` of two files, `merge`) goes through here:

- `gather(paths)`: files as given, folders expanded recursively (sorted),
  "-" for stdin. A folder contributes the files the format registry
  (`glossary.files.formats`) recognises as documents it can read; every
  other file is listed in `Inputs.skipped` with the reason (a PO or XLIFF
  file, a Word document, a hidden file...), never dropped silently.
- `load(path)`: the bytes through the one guarded read
  (`glossary.files.inputs.read_bytes`), the format from the content and the
  name (`formats.detect`), then the document reader the registry names
  ("module:function", imported when used). A bilingual file, a termbase or
  a format without a reader yet is refused with what it is and the command
  that handles it; with `source_side=True` a bilingual file (PO, XLIFF,
  TMX, TSV) is read as the document of its source segments, and the
  document's notes say so.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Final

from glossary.document import BilingualUnit, Document, Paragraph, Segment
from glossary.errors import InputError
from glossary.files import formats
from glossary.files.formats import Detection, Format
from glossary.files.inputs import BOMS, STDIN, display_name, read_bytes, read_head

ROLE: Final = "document-reader"
# Larger files are refused: reading takes about 20 times the file size in memory
# (1 GB for a 50 MB file), and 128 MB of text is some 19 million words.
MAX_BYTES: Final = 128 * 1024 * 1024


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that is not read, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Inputs:
    """The documents to read, and the files of the folders given that are not."""

    files: tuple[str, ...]
    skipped: tuple[Skipped, ...] = ()


def document_suffixes() -> tuple[str, ...]:
    """The suffixes of the formats that have a document reader (".txt", ".md", ...)."""
    return formats.suffixes(ROLE)


def gather(paths: Iterable[str], *, source_side: bool = False) -> Inputs:
    """The files to read: as given, folders expanded recursively (sorted), "-" for stdin.

    `InputError` for a path that does not exist, a folder without any
    document (naming what it holds instead), or no input at all.
    """
    files: list[str] = []
    skipped: list[Skipped] = []
    for raw in paths:
        if raw == STDIN:
            files.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            found, passed = _scan(path, source_side)
            skipped.extend(passed)
            if not found:
                raise InputError(
                    f"{raw}: the folder has no documents to read ({_skipped_summary(passed)}). "
                    f"Give a folder with {', '.join(document_suffixes())} files, or the "
                    "files themselves."
                )
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(raw)
        else:
            raise InputError(f"{raw}: no such file or folder. Check the path.")
    if not files:
        raise InputError("No input given. Name files or folders, or '-' for stdin.")
    return Inputs(tuple(files), tuple(skipped))


def _skipped_summary(skipped: Sequence[Skipped]) -> str:
    """ "it is empty", or "3 files skipped: a.po (a gettext PO file), ..." """
    if not skipped:
        return "it is empty"
    shown = [
        f"{PurePath(s.path).name} ({s.reason.split(',')[0].split(';')[0]})" for s in skipped[:6]
    ]
    more = f" and {len(skipped) - 6} more" if len(skipped) > 6 else ""
    count = len(skipped)
    return f"{count} file{'s' if count != 1 else ''} skipped: {', '.join(shown)}{more}"


def _scan(folder: Path, source_side: bool) -> tuple[list[str], list[Skipped]]:
    found: list[str] = []
    skipped: list[Skipped] = []

    def unreadable(error: OSError) -> None:
        if error.filename is not None and Path(error.filename) != folder:
            reason = f"a folder that cannot be read ({error.strerror or error})"
            skipped.append(Skipped(str(error.filename), reason))
        else:
            raise InputError(f"{folder}: cannot be read ({error.strerror or error}).")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if name.startswith("."):
                skipped.append(Skipped(str(here / name), "a hidden folder; not read"))
                dirnames.remove(name)
            elif (here / name).is_symlink():
                skipped.append(Skipped(str(here / name), "a link to a folder; not followed"))
        for name in filenames:
            path = here / name
            reason = "a hidden file" if name.startswith(".") else _why_not(path, source_side)
            if reason:
                skipped.append(Skipped(str(path), reason))
            else:
                found.append(str(path))
    return sorted(found), sorted(skipped, key=lambda s: s.path)


def _why_not(path: Path, source_side: bool) -> str:
    """Why a file in a folder is not read as a document ("" when it is)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return "not a regular file"
        head = read_head(path, formats.HEAD)
    except (OSError, InputError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    found = formats.detect(path, head, ROLE)
    fmt = found.format
    if fmt is None:
        suffix = path.suffix or "no suffix"
        return (
            f"not a document format glossary reads ({suffix}; it reads "
            f"{', '.join(document_suffixes())})"
        )
    if fmt.offers(ROLE):
        if fmt.binary:
            if found.by != "content":
                return f"named {path.suffix} but not {fmt.label} by its content; not read"
            return ""  # read by its own reader (Word, OpenDocument, PDF)
        binary = _binary(head)
        return f"{binary}, not text" if binary else ""
    if source_side and _has_source_side(fmt):
        return ""
    return _reason(found, short=True)


def _binary(head: bytes) -> str:
    """What binary data that has a text suffix looks like ("" when it is text)."""
    from glossary.files.inputs import sniff_binary

    what = sniff_binary(head)
    if what:
        return what
    if not head.startswith(tuple(bom for bom, _ in BOMS)):
        nul = head.find(b"\x00")
        if nul >= 0:
            return f"binary data (a NUL byte at offset {nul})"
    return ""


def _has_source_side(fmt: Format) -> bool:
    return fmt.kind in ("bilingual", "table") and fmt.offers("bilingual-reader")


def _reason(found: Detection, *, short: bool) -> str:
    """What the file is and which command handles it; `short` (for a folder listing)
    leaves out the path and the longer advice."""
    fmt = found.format
    assert fmt is not None
    what = found.describe()
    if short:
        what = what.removeprefix(f"{found.path} is ")
    name = PurePath(found.path).name or "FILE"
    advice = fmt.advice[:1].lower() + fmt.advice[1:]
    if fmt.kind == "bilingual":
        todo = []
        if fmt.offers("job-reader") and not short:
            todo.append(f"pre-translate it in place with 'glossary translate {name}'")
        todo.append(f"check its terms with 'glossary check {name}'")
        if fmt.name in ("po", "xliff") and not short:
            todo.append(
                f"merge a post-edited copy into its document with 'glossary merge {name} SOURCE'"
            )
        todo.append("add --source-side to read its source side as the document")
        text = f"{what}, not a document; {_either(todo)}"
    elif fmt.kind == "table":
        todo = [
            f"import a glossary with 'glossary import {name}'",
            f"check a segment table with 'glossary check {name}'",
            "add --source-side to read its source column as the document",
        ]
        text = f"{what}, not a document; {_either(todo)}"
    elif fmt.name == "encrypted":
        text = f"{what}; {advice}"
    elif fmt.kind == "termbase":
        text = f"{what}, not a document; import its terms with 'glossary import {name}'"
    elif fmt.kind == "document":
        text = f"{what}, which glossary cannot read yet" + (f"; {advice}" if advice else "")
    else:
        text = f"{what}, not a document" + (f"; {advice}" if advice else "")
    return text if short else text + "."


def _either(options: Sequence[str]) -> str:
    return options[0] if len(options) == 1 else ", ".join(options[:-1]) + ", or " + options[-1]


def refusal(found: Detection) -> InputError:
    """The error for a file that is not a document this tool reads."""
    return InputError(_reason(found, short=False))


def load(
    path: str,
    *,
    repair: bool = True,
    source_side: bool = False,
    data: bytes | None = None,
    limit: int = MAX_BYTES,
) -> Document:
    """Read one document: "-" is stdin; `data`, when given, is used instead of the file.

    The format comes from the content and then the name; a name the
    registry does not know (or stdin) is read as plain text, and decoding
    refuses binary data. Refused with `InputError`: bilingual files (unless
    `source_side`), termbases, and formats without a document reader yet.
    """
    name = display_name(path)
    if data is None:
        data = read_bytes(path, limit=limit, limit_option="")
    found = formats.detect("" if path == STDIN else path, data, ROLE)
    found = Detection(found.format, found.by, found.named, name)
    fmt = found.format or formats.get("text")
    notes: list[str] = []
    if fmt.offers(ROLE):
        if found.renamed:
            notes.append(f"{found.describe()}; read as {fmt.label}.")
        reader = fmt.function(ROLE)
        document: Document = reader(data, name, repair=repair)
    elif source_side and _has_source_side(fmt):
        units: list[BilingualUnit] = fmt.function("bilingual-reader")(data, name)
        document = source_document(name, units)
        notes.append(
            f"{found.describe()}; read the source side of its {len(units)} "
            f"unit{'s' if len(units) != 1 else ''} as the document (--source-side)."
        )
    else:
        raise refusal(found)
    if notes:
        document = replace(document, notes=(*notes, *document.notes))
    return document


def source_document(name: str, units: Sequence[BilingualUnit]) -> Document:
    """The source side of bilingual units as a document: one paragraph per unit, split
    into sentences. Offsets point into the unit sources joined by blank lines; a
    segment's line is the unit's line in the file (else its number)."""
    from glossary.reading.segment import split_sentences

    paragraphs: list[Paragraph] = []
    offset = index = 0
    for number, unit in enumerate(units, 1):
        text = unit.source
        if not text.strip():
            offset += len(text) + 2
            continue
        line = unit.line or number
        segments = []
        for start, end in split_sentences(text) or [(0, len(text))]:
            segments.append(
                Segment(
                    doc=name,
                    index=index,
                    paragraph=len(paragraphs),
                    text=text[start:end],
                    line=line,
                    end_line=line,
                    start=offset + start,
                    end=offset + end,
                )
            )
            index += 1
        paragraphs.append(Paragraph(len(paragraphs), "text", tuple(segments), line))
        offset += len(text) + 2
    return Document(name, tuple(paragraphs))
