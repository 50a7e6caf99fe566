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

from glossary.document import (
    Document,
    InlineCode,
    Kind,
    Paragraph,
    Segment,
    TranslatedDocument,
    TranslatedSegment,
    code_pieces,
)
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
    """One paragraph as a structured reader found it (with its runs, when the
    reader knows its inline formatting: then `text` is their text)."""

    text: str
    kind: Kind = "text"
    anchor: str = ""
    where: str = ""
    runs: tuple[Run, ...] = ()
    line: int = 0  # the line in the file, when the format has lines (HTML)


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
        line = block.line or number
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
                    line=line,
                    end_line=line,
                    start=offset + start,
                    end=offset + end,
                    kind=kind,
                    location=block.where,
                    codes=segment_codes(block.runs, start, end) if block.runs else (),
                )
            )
            index += 1
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                kind=kind,
                segments=tuple(segments),
                line=line,
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


# ------------------------------------------------------------ inline formatting
# A reader that knows a paragraph's runs (Word runs, OpenDocument spans, HTML
# inline elements) gives them as `Run`s: text with a formatting key, separators
# (tabs, line breaks) and atoms (a footnote reference, an image, a field). Runs
# of one key in a row make a stretch. In each piece between separators the key
# with the most letters is the plain text; every other stretch becomes a pair
# of inline codes around its text (bold, italic, a link, a tracked insertion),
# every atom a standalone code, so translation keeps the formatting on the
# right words (`glossary.translation.inline` places the codes). `distribute`
# puts a translated paragraph back into the same stretches: the writer then
# changes the text of runs only, never their structure.


@dataclass
class Run:
    """One piece of a paragraph as a format's reader sees it."""

    kind: str  # "text", "sep" (a tab or line break, in `text`), "atom"
    text: str = ""
    key: str = ""  # the formatting of a text run ("" for plain)
    label: str = ""  # the formatting for people: "bold", "italic", "link"
    holds: bool = True  # a text run that can take new text (not a spacer element)


@dataclass
class _Stretch:
    start: int
    end: int
    key: str
    label: str
    runs: list[int]
    chunk: int


def _stretches(runs: Sequence[Run]) -> tuple[list[_Stretch], list[tuple[int, int]], list[str]]:
    """The stretches of a paragraph's runs, its atoms (offset, run index), and the
    plain key of each piece between separators."""
    stretches: list[_Stretch] = []
    atoms: list[tuple[int, int]] = []
    offset = 0
    chunk = 0
    for index, run in enumerate(runs):
        if run.kind == "sep":
            offset += len(run.text)
            chunk += 1
            continue
        if run.kind == "atom":
            atoms.append((offset, index))
            continue
        last = stretches[-1] if stretches else None
        if (
            last is not None
            and last.key == run.key
            and last.end == offset
            and last.chunk == chunk
            and not (atoms and atoms[-1][0] == offset and atoms[-1][1] > last.runs[-1])
        ):
            last.end += len(run.text)
            last.runs.append(index)
        else:
            stretches.append(
                _Stretch(offset, offset + len(run.text), run.key, run.label, [index], chunk)
            )
        offset += len(run.text)
    letters: dict[int, dict[str, int]] = {}
    for stretch in stretches:
        text = "".join(runs[i].text for i in stretch.runs)
        count = sum(1 for c in text if c.isalpha())
        by_key = letters.setdefault(stretch.chunk, {})
        by_key[stretch.key] = by_key.get(stretch.key, 0) + count
    # The plain text of a piece: text without formatting of its own when there is
    # some (HTML, OpenDocument), else the formatting with the most letters (Word
    # runs always carry properties).
    plain = [
        ""
        if c in letters and "" in letters[c]
        else max(letters[c].items(), key=lambda kv: kv[1])[0]
        if c in letters
        else ""
        for c in range(chunk + 1)
    ]
    return stretches, atoms, plain


def segment_codes(runs: Sequence[Run], start: int, end: int) -> tuple[InlineCode, ...]:
    """The inline codes of the segment at [start, end) of the paragraph's runs."""
    stretches, atoms, plain = _stretches(runs)
    marks: list[tuple[int, int, InlineCode]] = []  # (offset, order, code)
    for number, stretch in enumerate(stretches):
        if stretch.key == plain[stretch.chunk]:
            continue
        lo, hi = max(stretch.start, start), min(stretch.end, end)
        if lo >= hi:
            continue
        label = stretch.label or "format"
        marks.append(
            (lo - start, 1, InlineCode(f"s{number}", "open", lo - start, f"s{number}", label))
        )
        marks.append(
            (hi - start, 0, InlineCode(f"s{number}", "close", hi - start, f"s{number}", label))
        )
    for number, (offset, index) in enumerate(atoms):
        if start < offset < end or (offset == end and offset > start):
            label = runs[index].label or "code"
            marks.append(
                (
                    offset - start,
                    0,
                    InlineCode(f"a{number}", "standalone", offset - start, f"a{number}", label),
                )
            )
    marks.sort(key=lambda m: (m[0], m[1]))
    return tuple(m[2] for m in marks)


def runs_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs if r.kind in ("text", "sep"))


def distribute(
    runs: Sequence[Run],
    paragraph: Paragraph,
    translated: Mapping[int, TranslatedSegment],
) -> dict[int, str] | None:
    """The new text of each text run (by index) for a translated paragraph, or
    None when nothing changes. Each stretch's translation goes into its first run
    that holds text; its other text runs get ""."""
    stretches, atoms, plain = _stretches(runs)
    if not stretches:
        return None
    source = runs_text(runs)
    owner = [-1] * len(source)  # stretch of each character of the source
    for number, stretch in enumerate(stretches):
        for pos in range(stretch.start, stretch.end):
            owner[pos] = number
    collected: list[list[str]] = [[] for _ in stretches]
    atom_offsets = {f"a{n}": off for n, (off, _) in enumerate(atoms)}

    def by_source(lo: int, hi: int) -> None:
        for pos in range(lo, hi):
            if owner[pos] >= 0:
                collected[owner[pos]].append(source[pos])

    def plain_stretch(after: int, chunk: int) -> int:
        """The plain stretch of `chunk` at or after source offset `after`."""
        candidates = [
            n for n, s in enumerate(stretches) if s.chunk == chunk and s.key == plain[chunk]
        ]
        if not candidates:
            candidates = [n for n, s in enumerate(stretches) if s.chunk == chunk]
        later = [n for n in candidates if stretches[n].end > after]
        return later[0] if later else candidates[-1]

    changed = False
    pos = 0
    for segment in paragraph.segments:
        lo = segment.start - paragraph.offset
        hi = segment.end - paragraph.offset
        by_source(pos, lo)
        pos = hi
        done = translated.get(segment.index)
        target = done.target if done is not None and segment.translate else ""
        if not target.strip() or lo < 0 or hi > len(source) or owner[lo] < 0:
            by_source(lo, hi)
            continue
        changed = True
        chunk = stretches[owner[lo]].chunk
        inside: int | None = None
        after = lo
        codes = done.codes if done is not None else ()
        target = clean_target(target) if not codes else target.replace("\t", " ").replace("\n", " ")
        for piece in code_pieces(target, codes):
            if isinstance(piece, str):
                number = inside if inside is not None else plain_stretch(after, chunk)
                collected[number].append(piece)
            elif piece.kind == "open" and piece.data.startswith("s"):
                inside = int(piece.data[1:])
                after = stretches[inside].start
            elif piece.kind == "close" and piece.data.startswith("s"):
                after = stretches[int(piece.data[1:])].end
                inside = None
            elif piece.kind == "standalone":
                after = atom_offsets.get(piece.data, after) + 1
    by_source(pos, len(source))
    if not changed:
        return None
    out: dict[int, str] = {}
    for number, stretch in enumerate(stretches):
        text = "".join(collected[number])
        holders = [i for i in stretch.runs if runs[i].holds]
        first = holders[0] if holders else None
        for i in stretch.runs:
            out[i] = text if i == first else ""
        if first is None and text:  # only spacers: the text goes to a neighbour
            neighbour = next(
                (i for s in stretches if s.chunk == stretch.chunk for i in s.runs if runs[i].holds),
                None,
            )
            if neighbour is not None:
                out[neighbour] = out.get(neighbour, "") + text
    return out
