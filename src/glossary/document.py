"""The document model shared by reading, mining, translation and exchange.

`glossary.reading.ingest` turns a file into a `Document` of `Paragraph`s of
`Segment`s; a bilingual file (PO, XLIFF, TMX) is a list of `BilingualUnit`s.
Translation turns each segment into a `TranslatedSegment` with
the `TermUse`s found in it; exporters (PO, XLIFF, TMX, text) and QA read these.
Everything is frozen: stages build new values, never mutate old ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

# What a unit of text is. Only "text", "heading" and "item" are running text
# that gets translated; "footnote" is translated as its own unit (never in the
# middle of a sentence); "furniture" (page numbers, reference codes, running
# headers) is kept for reference and not translated.
Kind = Literal["text", "heading", "item", "footnote", "furniture"]
TRANSLATED_KINDS: frozenset[str] = frozenset({"text", "heading", "item", "footnote"})


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading, item, footnote) of a document.

    `start`/`end` are character offsets into the document's decoded original
    text (before clean-up) covering the lines the segment came from; `line`
    and `end_line` are 1-based line numbers there, so exports can point back
    (`#: file:line` in PO).
    """

    doc: str
    index: int
    paragraph: int
    text: str
    line: int
    end_line: int
    start: int
    end: int
    kind: Kind = "text"

    @property
    def translate(self) -> bool:
        return self.kind in TRANSLATED_KINDS

    @property
    def ref(self) -> str:
        """`file:line`, as in PO references."""
        return f"{self.doc}:{self.line}"


@dataclass(frozen=True)
class Paragraph:
    """A unit of layout: the translation keeps one output paragraph per paragraph."""

    index: int
    kind: Kind
    segments: tuple[Segment, ...]
    line: int

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Repair:
    """One change made while reading: OCR diacritic repair or hyphen join."""

    line: int
    original: str
    repaired: str
    reason: str  # "ocr-diacritic", "hyphen-joined", "hyphen-kept", ...
    # Why, in words ("a capital after the hyphen (a name)"); see glossary.reading.ingest.
    detail: str = ""


@dataclass(frozen=True)
class Document:
    """A document as read: its paragraphs, the clean-up repairs, warnings about the
    input (encoding, empty file...) and notes on how it was read (a file recognised
    by its content, the source side of a bilingual file, one paragraph per line)."""

    path: str
    paragraphs: tuple[Paragraph, ...]
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for p in self.paragraphs for s in p.segments)


# ------------------------------------------------------------ translation results

TermStatus = Literal["enforced", "failed", "hint"]


@dataclass(frozen=True)
class TermUse:
    """An approved concept found in a source segment, and what became of it.

    `step` says how the target came to contain the term: "nbest" (a
    hypothesis already had it), "mask", "prefix", "replace" (the repair
    cascade of `glossary.enforcement.cascade`), or "" for hints without translation.
    `target_start`/`target_end` locate the term in the target (-1 if absent).
    """

    concept_id: str
    source_text: str
    source_start: int
    source_end: int
    target: str
    status: TermStatus = "hint"
    step: str = ""
    target_start: int = -1
    target_end: int = -1
    dnt: bool = False
    detail: str = ""
    # For hints: the concept's other correct English and its forbidden renderings.
    alternatives: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class TranslatedSegment:
    segment: Segment
    target: str
    score: float | None = None
    terms: tuple[TermUse, ...] = ()


@dataclass(frozen=True)
class TranslatedDocument:
    document: Document
    segments: tuple[TranslatedSegment, ...]
    signature: str = ""
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    def paragraphs(self) -> list[tuple[Paragraph, list[TranslatedSegment]]]:
        """Translated segments grouped by the source paragraph they belong to."""
        by_index = {ts.segment.index: ts for ts in self.segments}
        return [
            (p, [by_index[s.index] for s in p.segments if s.index in by_index])
            for p in self.document.paragraphs
        ]


# ------------------------------------------------------------ bilingual files


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


# ------------------------------------------------------------ translation strategies


@dataclass(frozen=True)
class SegmentResult:
    """What a strategy made of one segment text."""

    target: str
    score: float | None = None
    terms: tuple[TermUse, ...] = ()


class SegmentTranslator(Protocol):
    """A translation strategy: distinct segment texts in, one result each out."""

    @property
    def signature(self) -> str: ...

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        """One result per text, in order."""
        ...
