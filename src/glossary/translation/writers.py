"""Writers for translated documents, and the registry of output formats.

A writer is `write(docs, stream)`: it renders `TranslatedDocument`s as text
on an open text stream. The registry maps a format name to a writer; the
exchange formats ("po", "xliff", "tmx") live in their own modules and are
imported only when asked for, so a missing module is a clear error, not a
crash at start-up.

- `text`: the English, one paragraph per source paragraph, separated by a
  blank line. Furniture (page numbers, reference codes, running headers) is
  kept as it was in the source, so the layout and references survive.
- `tsv`: a bilingual table of every segment (furniture too, with an empty
  target): doc, line, kind, source, target, score.
- `json`: every segment with offsets, score and terms, plus the model
  signature (engine, package and version, beam, compute type).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from glossary.document import TranslatedDocument, TranslatedSegment
from glossary.engines.base import parse_signature
from glossary.errors import UnknownFormat

Writer = Callable[[Sequence[TranslatedDocument], IO[str]], None]

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

# Name -> writer, or "module:function" imported when first asked for.
WRITERS: dict[str, Writer | str] = {
    "text": write_text,
    "tsv": write_tsv,
    "json": write_json,
    "po": "glossary.exchange.po:write_translations",
    "xliff": "glossary.exchange.xliff:write_translations",
    "tmx": "glossary.exchange.tmx:write_translations",
}
FORMATS: tuple[str, ...] = tuple(WRITERS)

SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".tsv": "tsv",
    ".json": "json",
    ".po": "po",
    ".pot": "po",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".tmx": "tmx",
}
EXTENSIONS: dict[str, str] = {
    "text": ".txt",
    "tsv": ".tsv",
    "json": ".json",
    "po": ".po",
    "xliff": ".xlf",
    "tmx": ".tmx",
}


def get_writer(name: str) -> Writer:
    """The writer for a format name; `UnknownFormat` if unknown or not installed."""
    target = WRITERS.get(name)
    if target is None:
        raise UnknownFormat(f"Unknown output format '{name}'. Choose one of: {', '.join(WRITERS)}.")
    if not isinstance(target, str):
        return target
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnknownFormat(
                f"The {name} writer is not available: module {module_name} is missing "
                "from this installation. Choose another --format."
            ) from None
        raise UnknownFormat(
            f"The {name} writer needs the Python package '{exc.name}', which is not "
            f"installed: pip install {exc.name}"
        ) from None
    writer = getattr(module, attribute, None)
    if not callable(writer):
        raise UnknownFormat(
            f"The {name} writer is not available: {module_name} has no {attribute}(). "
            "Choose another --format."
        )
    result: Writer = writer
    return result


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for, from its suffix."""
    suffix = Path(path).suffix.lower()
    found = SUFFIXES.get(suffix)
    if found is None:
        known = ", ".join(sorted(SUFFIXES))
        raise UnknownFormat(
            f"Cannot tell the output format from '{path}' (known suffixes: {known}). Pass --format."
        )
    return found


def write_documents(docs: Sequence[TranslatedDocument], stream: IO[str], fmt: str) -> None:
    """Render `docs` in format `fmt` on `stream`."""
    get_writer(fmt)(docs, stream)
