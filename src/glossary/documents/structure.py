"""Paragraphs of a structured document into a `Document`, and translations back into them.

Readers of formats with real paragraphs (DOCX, ODT, subtitles, HTML,
Markdown) know where each paragraph starts and ends; they need no guessing
from line breaks. Each gives a list of `Block`s: the paragraph's text as it
reads (a tab, a line break or a cue break inside it written as `\\t` or
`\\n`), its kind, where the writer finds it again (`anchor`) and where it is
for people (`where`: "p. 2", "footnote 3", "header").

`build_document` splits each block into segments: pieces between tabs and
line breaks are translated apart (an address block, "Datum<tab>12 mei"),
each piece split into sentences (a heading is one segment per piece);
pieces without a letter (list labels typed by hand, "12", "–") stay as they
are. Segment `line` is the paragraph's number in the document (1-based);
`start`/`end` are offsets into the paragraphs' texts joined by newlines.

`target_text(paragraph, targets)` is the inverse: the paragraph's text with
each segment replaced by its translation and everything between them (tabs,
line breaks, labels, spaces) kept, so a writer can split it at the same
separators as the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from glossary.document import Document, Kind, Paragraph, Segment, TranslatedDocument
from glossary.reading.segment import split_sentences

# The anchor of a paragraph that is page furniture repeated on the pages of a PDF
# (running headers and footers, page numbers): a new Word document leaves it out.
PAGE_FURNITURE = "page-furniture"
# Separators inside a paragraph: what lies between them is translated apart.
SEPARATORS = "\t\n"
_PIECE = re.compile(r"[^\t\n]+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Block:
    """One paragraph as a structured reader found it."""

    text: str
    kind: Kind = "text"
    anchor: str = ""
    where: str = ""


def has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


def _spans(text: str, kind: Kind) -> list[tuple[int, int]]:
    """The segments of one paragraph text, as (start, end) offsets."""
    spans: list[tuple[int, int]] = []
    for piece in _PIECE.finditer(text):
        chunk = piece.group()
        if not has_letters(chunk):
            continue
        base = piece.start()
        if kind == "heading":
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((base + lead, base + len(chunk.rstrip())))
            continue
        for start, end in split_sentences(chunk):
            spans.append((base + start, base + end))
    return spans


def build_document(
    name: str,
    blocks: Iterable[Block],
    *,
    format: str,
    original: bytes = b"",
    warnings: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Document:
    """A `Document` of the blocks (see the module doc). Blank blocks are left out;
    a block without any letter is one furniture segment (kept, not translated)."""
    paragraphs: list[Paragraph] = []
    offset = 0
    index = 0
    number = 0
    for block in blocks:
        text = block.text
        number += 1
        if not text.strip():
            offset += len(text) + 1
            continue
        kind: Kind = block.kind
        spans = _spans(text, kind) if kind != "furniture" else []
        if not spans:
            kind = "furniture"
            lead = len(text) - len(text.lstrip())
            spans = [(lead, len(text.rstrip()))]
        segments = []
        for start, end in spans:
            segments.append(
                Segment(
                    doc=name,
                    index=index,
                    paragraph=len(paragraphs),
                    text=text[start:end],
                    line=number,
                    end_line=number,
                    start=offset + start,
                    end=offset + end,
                    kind=kind,
                    location=block.where,
                )
            )
            index += 1
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                kind=kind,
                segments=tuple(segments),
                line=number,
                anchor=block.anchor,
                source=text,
                offset=offset,
            )
        )
        offset += len(text) + 1
    return Document(
        path=name,
        paragraphs=tuple(paragraphs),
        warnings=tuple(warnings),
        notes=tuple(notes),
        format=format,
        original=original,
    )


def clean_target(text: str) -> str:
    """A translation as it may go into a paragraph: no separators, no runs of spaces."""
    return " ".join(text.split())


def target_text(paragraph: Paragraph, targets: Mapping[int, str]) -> str:
    """The paragraph's source text with each segment (by index) replaced by its
    translation; a segment without one keeps its source text."""
    source = paragraph.source
    if not source:
        return " ".join(clean_target(targets.get(s.index, s.text)) for s in paragraph.segments)
    out: list[str] = []
    pos = 0
    for segment in paragraph.segments:
        start = segment.start - paragraph.offset
        end = segment.end - paragraph.offset
        out.append(source[pos:start])
        target = targets.get(segment.index)
        out.append(clean_target(target) if target and segment.translate else segment.text)
        pos = end
    out.append(source[pos:])
    return "".join(out)


def targets_of(document: TranslatedDocument) -> dict[int, str]:
    """Segment index → translation, for the segments that were translated."""
    return {
        ts.segment.index: ts.target
        for ts in document.segments
        if ts.segment.translate and ts.target.strip()
    }


def by_anchor(document: TranslatedDocument) -> dict[str, str]:
    """Anchor → translated paragraph text, for every paragraph that has an anchor."""
    targets = targets_of(document)
    return {p.anchor: target_text(p, targets) for p in document.document.paragraphs if p.anchor}
