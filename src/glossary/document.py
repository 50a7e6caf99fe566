"""The document model shared by reading, mining, translation and exchange.

`glossary.reading.ingest` turns a file into a `Document` of `Paragraph`s of
`Segment`s; a bilingual file (PO, XLIFF, TMX) is a list of `BilingualUnit`s.
Translation turns each segment into a `TranslatedSegment` with
the `TermUse`s found in it; exporters (PO, XLIFF, TMX, text) and QA read these.
Everything is frozen: stages build new values, never mutate old ones.

Inline codes (bold, links, fields, XLIFF `<g>`/`<ph>`/`<bpt>`, HTML tags) are
kept out of segment text: a segment's text is plain, and its `InlineCode`s
sit at offsets of that text, so matching, mining and translation see plain
text, and writers restore the codes from their opaque `data`.
`glossary.translation.inline` places them in the translation.
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

# ------------------------------------------------------------ inline codes

# "open" and "close" codes come in pairs (the same `id`) around a stretch of
# text (a bold run, a link, XLIFF <g>, <bpt>/<ept>, <pc>, <sc>/<ec>);
# "standalone" codes are points (a line break, a field, a footnote
# reference, XLIFF <x/>, <ph>).
CodeKind = Literal["open", "close", "standalone"]


@dataclass(frozen=True)
class InlineCode:
    """A piece of formatting or markup inside a segment, kept out of its text.

    `offset` is where the code sits in the plain text of its segment
    (0..len(text)); codes at the same offset keep their order in the tuple,
    which is document order. `id` pairs an "open" code with its "close"
    (unique among the segment's pairs; standalone codes have their own).
    `data` is opaque: what the format's writer needs to restore the code
    exactly (XLIFF: the element's XML; a Word run: its properties); engines
    and reports never see it. `label` names the code for people ("bold",
    "<g id=1>", "link").
    """

    id: str
    kind: CodeKind
    offset: int
    data: str = ""
    label: str = ""


# How a code's place in the translation was found (`CodePlacement.method`):
# "kept" (the engine kept its placeholder), "term" (around or beside an
# enforced term), "alignment" (the engine's word alignment), "edge" (the
# start or end of the segment), "position" (the proportional position,
# snapped to a word boundary).
PlacementMethod = Literal["kept", "term", "alignment", "edge", "position"]


def code_pieces(text: str, codes: Sequence[InlineCode]) -> list[str | InlineCode]:
    """The text and its codes interleaved in order (empty strings left out), for
    writers. Sorting is stable: codes at the same offset keep their order."""
    out: list[str | InlineCode] = []
    pos = 0
    for code in sorted(codes, key=lambda c: c.offset):
        if code.offset > pos:
            out.append(text[pos : code.offset])
            pos = code.offset
        out.append(code)
    if pos < len(text):
        out.append(text[pos:])
    return out


@dataclass(frozen=True)
class CodePlacement:
    """Where one code of a segment went in its translation, and any problem.

    `problem` is "" when the placement is routine; otherwise it says what
    went wrong and what was done ("lost by the engine; put back by
    position"), so reports can point at the segment.
    """

    code_id: str
    kind: CodeKind
    method: PlacementMethod
    offset: int
    problem: str = ""


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
    codes: tuple[InlineCode, ...] = ()  # inline codes at offsets of `text`
    # Where a translator finds it when a line is not the way (a CAT job:
    # "job.xlf: unit 12, segment 2"); "" for documents.
    where: str = ""
    # Where the segment is inside a document with structure, for people: "p. 2",
    # "footnote 3", "header", "table 1", "cue 14" ("" for plain text).
    location: str = ""

    @property
    def translate(self) -> bool:
        return self.kind in TRANSLATED_KINDS

    @property
    def ref(self) -> str:
        """`file:line`, as in PO references (or `where` when set)."""
        return self.where or f"{self.doc}:{self.line}"

    @property
    def place(self) -> str:
        """`ref`, with where in the document when it has structure:
        "brief.docx:12 (footnote 3)", "brief.pdf:40 (p. 2)"."""
        return f"{self.ref} ({self.location})" if self.location else self.ref


@dataclass(frozen=True)
class Paragraph:
    """A unit of layout: the translation keeps one output paragraph per paragraph."""

    index: int
    kind: Kind
    segments: tuple[Segment, ...]
    line: int
    # Where the paragraph's writer puts the translation back in the original file
    # (a DOCX part and paragraph number, a subtitle cue...); "" for plain text.
    anchor: str = ""
    # The paragraph's text as read, for documents with structure: what lies between
    # and around its segments (tabs, line breaks, labels) is kept from here when the
    # translation is put back. `offset` is where `source` starts in the document's
    # text (segment offsets minus `offset` index into `source`).
    source: str = ""
    offset: int = 0

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
    # The registry name of the format it was read from ("docx", "srt"...; "" for
    # plain text), and the original bytes its writer edits (structured formats only).
    format: str = ""
    original: bytes = field(default=b"", repr=False, compare=False)

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
    cascade of `glossary.enforcement.cascade`), "fix" (`glossary fix`), or
    "" for hints without translation.
    `target_start`/`target_end` locate the term in the target (-1 if absent).
    `edit` says whether a text edit (not the model) put the term there:
    "replaced" (`replaced` is the text it replaced) or "inserted"; "" when
    the model wrote it.
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
    edit: Literal["", "replaced", "inserted"] = ""
    replaced: str = ""


@dataclass(frozen=True)
class TranslatedSegment:
    """A segment and its translation. `codes` are the segment's inline codes at
    offsets of `target` (empty when the segment has none); `placements` say
    how each was placed and what went wrong (`glossary.translation.inline`)."""

    segment: Segment
    target: str
    score: float | None = None
    terms: tuple[TermUse, ...] = ()
    codes: tuple[InlineCode, ...] = ()
    placements: tuple[CodePlacement, ...] = ()

    @property
    def code_problems(self) -> tuple[CodePlacement, ...]:
        """The placements that went wrong (a code the engine lost or moved)."""
        return tuple(p for p in self.placements if p.problem)


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
    # CAT jobs (glossary.exchange.jobs): the segment's number inside its unit
    # (XLIFF 2.0 segments, 1.2 seg-source marks; 0 when the unit is one
    # segment), its status ("new", "draft", "translated", "reviewed"; "" when
    # the file has none) and the PO plural form.
    segment: int = field(default=0, compare=False)
    status: str = field(default="", compare=False)
    plural: int | None = field(default=None, compare=False)


# ------------------------------------------------------------ translation strategies


# A word alignment link: (source_start, source_end, target_start, target_end),
# character spans of the source text and of the target.
AlignmentLink = tuple[int, int, int, int]


@dataclass(frozen=True)
class SegmentResult:
    """What a strategy made of one segment text.

    `alignment` links pieces of the target to source pieces, when the engine
    gives an alignment of this very target (used to place inline codes).
    """

    target: str
    score: float | None = None
    terms: tuple[TermUse, ...] = ()
    alignment: tuple[AlignmentLink, ...] = field(default=(), compare=False)


class SegmentTranslator(Protocol):
    """A translation strategy: distinct segment texts in, one result each out."""

    @property
    def signature(self) -> str: ...

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        """One result per text, in order."""
        ...
