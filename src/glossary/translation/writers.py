"""Writers for translated documents.

A writer is `write(docs, stream)`: it renders `TranslatedDocument`s as text
on an open text stream. The format registry (`glossary.files.formats`)
names each format's writer as "module:function": text, tsv and json are
here; the exchange formats ("po", "xliff", "tmx") live in their own modules
and are imported only when asked for, so a missing module is a clear
error, not a crash at start-up.

- `text`: the English, one paragraph per source paragraph, separated by a
  blank line. Furniture (page numbers, reference codes, running headers) is
  kept as it was in the source, so the layout and references survive.
- `tsv`: a bilingual table of every segment (furniture too, with an empty
  target): doc, line, kind, source, target, score.
- `json`: every segment with offsets, score and terms, plus the model
  signature (engine, package and version, beam, compute type).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from glossary.document import Document, TranslatedDocument, TranslatedSegment
from glossary.engines.base import parse_signature
from glossary.errors import UnknownFormat
from glossary.files import formats

# A writer renders documents on a text stream; a binary format's writer (DOCX,
# ODT: `Format.binary`) on a binary one.
Writer = Callable[[Sequence[TranslatedDocument], IO[Any]], None]

JSON_FORMAT_VERSION = 1


def _target_or_kept(ts: TranslatedSegment) -> str:
    return ts.target if ts.segment.translate else ts.segment.text


def write_text(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """The translation with the paragraph layout of the source.

    With several documents on one stream, each starts with a `==> path <==`
    line (as `head` does).
    """
    for number, doc in enumerate(docs):
        if len(docs) > 1:
            if number:
                stream.write("\n")
            stream.write(f"==> {doc.document.path} <==\n\n")
        paragraphs = [
            " ".join(text for text in map(_target_or_kept, segments) if text)
            for _, segments in doc.paragraphs()
        ]
        stream.write("\n\n".join(paragraphs))
        stream.write("\n")


TSV_COLUMNS = ("doc", "line", "kind", "source", "target", "score")


def _cell(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _score(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def write_tsv(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """One row per segment, with a header; tabs and newlines in text become spaces."""
    stream.write("\t".join(TSV_COLUMNS) + "\n")
    for doc in docs:
        for ts in doc.segments:
            seg = ts.segment
            row = (seg.doc, str(seg.line), seg.kind, seg.text, ts.target, _score(ts.score))
            stream.write("\t".join(_cell(c) for c in row) + "\n")


def model_info(signature: str) -> dict[str, Any]:
    """The signature's fields for JSON: engine, package, version, beam, compute_type..."""
    info: dict[str, Any] = dict(parse_signature(signature))
    if info.get("beam", "").isdigit():
        info["beam"] = int(info["beam"])
    return info


def _segment_json(ts: TranslatedSegment) -> dict[str, Any]:
    seg = ts.segment
    return {
        "index": seg.index,
        "paragraph": seg.paragraph,
        "kind": seg.kind,
        "translated": seg.translate,
        "line": seg.line,
        "end_line": seg.end_line,
        "start": seg.start,
        "end": seg.end,
        "source": seg.text,
        "target": ts.target,
        "score": ts.score,
        "terms": [asdict(term) for term in ts.terms],
    }


def to_json(docs: Sequence[TranslatedDocument]) -> dict[str, Any]:
    signature = docs[0].signature if docs else ""
    return {
        "format": "glossary-translation",
        "version": JSON_FORMAT_VERSION,
        "signature": signature,
        "model": model_info(signature),
        "documents": [
            {
                "path": doc.document.path,
                "signature": doc.signature,
                "warnings": list(doc.document.warnings),
                "segments": [_segment_json(ts) for ts in doc.segments],
            }
            for doc in docs
        ],
    }


def write_json(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    json.dump(to_json(docs), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


# ----------------------------------------------------------------- registry
# Which formats write translations, their suffixes and where their writers live
# is data in the one format registry, glossary.files.formats.

WRITER_ROLES: tuple[str, ...] = ("document-writer", "bilingual-writer")
FORMATS: tuple[str, ...] = formats.names(*WRITER_ROLES)


def writer_format(name: str) -> formats.Format:
    """The format `name` when it writes translations; `UnknownFormat` otherwise."""
    fmt = formats.FORMATS.get(name)
    if fmt is None or not any(fmt.offers(r) for r in WRITER_ROLES):
        raise UnknownFormat(f"Unknown output format '{name}'. Choose one of: {', '.join(FORMATS)}.")
    return fmt


def get_writer(name: str) -> Writer:
    """The writer for a format name; `UnknownFormat` if unknown or not installed."""
    fmt = writer_format(name)
    role = next(r for r in WRITER_ROLES if fmt.offers(r))
    writer: Writer = fmt.function(role)
    return writer


def extension(name: str) -> str:
    """The suffix of a file written in format `name` (".txt", ".po", ...)."""
    return writer_format(name).extension


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for, from its suffix."""
    found = formats.by_suffix(path, *WRITER_ROLES)
    if found is None:
        known = ", ".join(formats.suffixes(*WRITER_ROLES))
        raise UnknownFormat(
            f"Cannot tell the output format from '{path}' (known suffixes: {known}). Pass --format."
        )
    return found.name


def write_documents(docs: Sequence[TranslatedDocument], stream: IO[Any], fmt: str) -> None:
    """Render `docs` in format `fmt` on `stream` (a binary stream for binary formats)."""
    get_writer(fmt)(docs, stream)


def is_binary(name: str) -> bool:
    """Whether format `name` is written as bytes (DOCX, ODT), not text."""
    return writer_format(name).binary


def natural_format(document: Document) -> str:
    """The format a translation of `document` is written in by default: its own when
    that format has a document writer (DOCX, ODT, subtitles, HTML, Markdown, text),
    the one the registry names for it (a PDF comes back as DOCX), else text."""
    fmt = formats.FORMATS.get(document.format or "text")
    if fmt is None:
        return "text"
    if fmt.output_format:
        return fmt.output_format
    return fmt.name if fmt.offers("document-writer") else "text"


def check_writable(name: str, document: Document) -> None:
    """`UnknownFormat` when format `name` cannot hold a translation of `document`
    (a subtitle file from a Word document, an ODT from a PDF...)."""
    fmt = writer_format(name)
    source = document.format or "text"
    if fmt.writes_from and source not in fmt.writes_from:
        what = formats.FORMATS[source].label if source in formats.FORMATS else source
        allowed = " or ".join(formats.FORMATS[f].label for f in fmt.writes_from)
        raise UnknownFormat(
            f"{document.path} is {what}; a {name} translation is written from {allowed} "
            f"only (the file is edited in place). Choose another output format, e.g. "
            f"{natural_format(document)}."
        )
