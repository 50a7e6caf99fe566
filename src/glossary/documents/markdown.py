"""Markdown written back with its block markup.

Markdown is read by `glossary.reading.ingest.read_markdown` (headings, list
items, footnote definitions; the lines of each paragraph are known). The
writer replaces the lines of each translated paragraph with the
translation, on one line, after the block's own markup taken from its first
line (`## `, `- `, `1. `, `> `, `[^1]: `, indentation). Everything else is
copied as it was: blank lines, fenced code, link definitions, HTML blocks,
tables' separator rows, setext underlines. Inline emphasis and links inside
a translated paragraph are not carried over (their text is translated).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Final

from glossary.document import TranslatedDocument
from glossary.documents.structure import clean_target
from glossary.errors import OutputError
from glossary.files.inputs import decode_bytes

_PREFIX: Final = re.compile(
    r"^(?:[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]?|\[\^[^\]]+\]:[ \t]*))*[ \t]*"
)
_CLOSING_HASHES: Final = re.compile(r"[ \t]+#+[ \t]*$")


def translated_text(document: TranslatedDocument) -> str:
    """The Markdown file with each translated paragraph's lines replaced."""
    source = document.document
    if source.format != "markdown" or not source.original:
        raise OutputError(
            f"{source.path}: a Markdown translation is written from a Markdown file only; "
            "choose another output format."
        )
    text = decode_bytes(source.original, source.path).text
    lines = text.splitlines(keepends=True)
    targets = {
        ts.segment.index: ts.target
        for ts in document.segments
        if ts.segment.translate and ts.target.strip()
    }
    replaced: dict[int, tuple[int, str]] = {}  # first line index -> (last index, new text)
    taken: set[int] = set()
    for paragraph in sorted(source.paragraphs, key=lambda p: p.line):
        if not paragraph.segments or not any(s.index in targets for s in paragraph.segments):
            continue
        first = min(s.line for s in paragraph.segments) - 1
        last = max(s.end_line for s in paragraph.segments) - 1
        span = set(range(first, last + 1))
        if span & taken or last >= len(lines):
            continue  # a paragraph joined across others: leave it as it is
        taken |= span
        body = " ".join(
            clean_target(targets.get(s.index, s.text)) if s.translate else s.text
            for s in paragraph.segments
        )
        head = lines[first].rstrip("\r\n")
        prefix = _PREFIX.match(head)
        mark = prefix.group() if prefix else ""
        if paragraph.kind == "footnote" and "[^" in mark:
            body = re.sub(r"^\d+\s+", "", body)  # the reader shows the label as "1 "
        closing = _CLOSING_HASHES.search(head) if mark.lstrip().startswith("#") else None
        replaced[first] = (last, mark + body + (closing.group() if closing else ""))
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replaced:
            last, new = replaced[i]
            ending = lines[last][len(lines[last].rstrip("\r\n")) :]
            out.append(new + ending)
            i = last + 1
            continue
        out.append(lines[i])
        i += 1
    return "".join(out)


def write(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Write one translated Markdown file."""
    if len(docs) != 1:
        raise OutputError("A Markdown file holds one document: use --out-dir for several.")
    stream.write(translated_text(docs[0]))
