"""Inline codes through translation: placeholders for engines, codes placed in the target.

A segment's text is plain; its `InlineCode`s (`glossary.document`) sit at
offsets of that text. Translation gives a plain target, and this module puts
each code at the right place in it:

1. The engine kept the placeholders (an engine whose `Capabilities`
   declare `placeholders` gets `placeholder_text`: `<g1>`…`</g1>` around a
   paired code's text, `<x2/>` for a standalone code): each code goes where
   its placeholder came back ("kept"). A placeholder the engine lost, gave
   twice, put out of order or inside out is put back as below and
   *reported* (`CodePlacement.problem`); a placeholder it made up is
   removed and reported. Nothing of the text is lost.
2. Otherwise, and for those codes:
   - "edge": a code before the first word or after the last word of the
     source goes before the first or after the last word of the target;
   - "term": a pair of codes around an enforced term (a bold "OVSE")
     wraps the term's English in the target ("an enforced term takes the
     formatting of the source term's run"); a standalone code right before
     or after a term goes right before or after its English;
   - "alignment": the engine's word alignment of this very target, when it
     gives one: a pair wraps the target words aligned with the source words
     inside it; a point goes before the target word aligned with the next
     source word (after the previous one when the code is glued to it, as a
     footnote reference is);
   - "position": the proportional position, snapped to the nearest word
     boundary (a pair wraps at least one word).
3. The pairs are made consistent with the source: a pair inside another
   stays inside it, pairs one after the other stay so, an open code never
   follows its close; so every writer can nest them (XML elements, Word
   runs).

Everything here is deterministic: the result depends on the segment, its
codes and its translation only.

Writers turn a target and its codes back into their markup with
`glossary.document.code_pieces(text, codes)`, which interleaves the text
and the codes in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from glossary.document import (
    AlignmentLink,
    CodePlacement,
    InlineCode,
    PlacementMethod,
    Segment,
    SegmentResult,
    TermUse,
    TranslatedSegment,
)
from glossary.errors import InvalidValue

# <g1>, </g1>, <x2/>; tolerant of the spaces and case an engine may add.
PLACEHOLDER: Final = re.compile(r"<\s*(/?)\s*([gx])\s*(\d{1,4})\s*(/?)\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Placed:
    """The codes of a segment at offsets of its translation, and how each was placed."""

    codes: tuple[InlineCode, ...]
    placements: tuple[CodePlacement, ...]

    @property
    def problems(self) -> tuple[CodePlacement, ...]:
        return tuple(p for p in self.placements if p.problem)


# ------------------------------------------------------------------ checks


def check_codes(text: str, codes: Sequence[InlineCode]) -> None:
    """`InvalidValue` unless every offset lies in `text`, offsets never go down,
    and every open code has one close code after it (and the other way round)."""
    last = 0
    opened: dict[str, int] = {}
    closed: set[str] = set()
    standalone: set[str] = set()
    for code in codes:
        if not 0 <= code.offset <= len(text):
            raise InvalidValue(
                f"Inline code {code.id!r} is at offset {code.offset}, outside the text "
                f"({len(text)} characters)."
            )
        if code.offset < last:
            raise InvalidValue(f"Inline codes are not in text order at code {code.id!r}.")
        last = code.offset
        if code.kind == "open":
            if code.id in opened:
                raise InvalidValue(f"Inline code {code.id!r} is opened twice.")
            opened[code.id] = code.offset
        elif code.kind == "close":
            if code.id not in opened or code.id in closed:
                raise InvalidValue(f"Inline code {code.id!r} is closed without being opened.")
            closed.add(code.id)
        else:
            if code.id in standalone:
                raise InvalidValue(f"Standalone inline code {code.id!r} occurs twice.")
            standalone.add(code.id)
    unclosed = sorted(set(opened) - closed)
    if unclosed:
        raise InvalidValue(f"Inline code {unclosed[0]!r} is opened and never closed.")


# ------------------------------------------------------------ placeholders


def _numbers(codes: Sequence[InlineCode]) -> list[int]:
    """The placeholder number of each code: opens and standalones numbered 1, 2, ...
    in order; a close gets its open's number."""
    numbers: list[int] = []
    by_id: dict[str, int] = {}
    count = 0
    for code in codes:
        if code.kind == "close":
            numbers.append(by_id.get(code.id, 0))
            continue
        count += 1
        numbers.append(count)
        if code.kind == "open":
            by_id[code.id] = count
    return numbers


def _token(code: InlineCode, number: int) -> str:
    if code.kind == "open":
        return f"<g{number}>"
    if code.kind == "close":
        return f"</g{number}>"
    return f"<x{number}/>"


def placeholder_text(text: str, codes: Sequence[InlineCode]) -> str:
    """The text with each code as a placeholder (`<g1>`…`</g1>`, `<x2/>`), for engines
    that keep them (`Capabilities.placeholders`)."""
    numbers = _numbers(codes)
    out: list[str] = []
    pos = 0
    for code, number in sorted(zip(codes, numbers, strict=True), key=lambda p: p[0].offset):
        out.append(text[pos : code.offset])
        out.append(_token(code, number))
        pos = code.offset
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Found:
    """A placeholder found in an engine's output: "open", "close" or "standalone",
    its number, and its offset in the plain text."""

    kind: str
    number: int
    offset: int


def read_placeholders(text: str) -> tuple[str, list[Found], list[int]]:
    """The plain text of a translation with placeholders, the placeholders found
    (in order), and the offset map: `mapping[i]` is where offset `i` of `text`
    lands in the plain text (`len(mapping) == len(text) + 1`).

    A placeholder between two spaces takes one of them with it ("the <g1> OSCE"
    → "the OSCE"), so removing placeholders never doubles spaces.
    """
    out: list[str] = []
    found: list[Found] = []
    mapping: list[int] = []
    pos = length = 0
    last = ""  # the last character kept
    for match in PLACEHOLDER.finditer(text):
        start, end = match.span()
        chunk = text[pos:start]
        mapping.extend(range(length, length + len(chunk)))
        length += len(chunk)
        out.append(chunk)
        last = chunk[-1:] or last
        closing, letter, number, selfclosing = match.groups()
        if letter.lower() == "x" or selfclosing:
            kind = "standalone"
        else:
            kind = "close" if closing else "open"
        offset, skip = length, 0
        after = text[end : end + 1]
        spaced = length == 0 or last.isspace()
        if spaced and after == " ":
            skip = 1  # "a <g1> b" → "a b", the code before "b"
        if kind == "close" and spaced and length > 0:
            offset = length - 1  # "OSCE </g1> group": the code right after "OSCE"
        elif kind == "open" and not spaced and after.isspace():
            offset = length + 1  # "the<g1> OSCE": the code right before "OSCE"
        found.append(Found(kind, int(number), offset))
        mapping.extend([length] * (end - start + skip))
        pos = end + skip
    chunk = text[pos:]
    mapping.extend(range(length, length + len(chunk)))
    length += len(chunk)
    out.append(chunk)
    mapping.append(length)
    return "".join(out), found, mapping


def _source_map(text: str, codes: Sequence[InlineCode]) -> list[int]:
    """For the placeholder text of `text`: where each of its offsets lands in `text`."""
    _, _, mapping = read_placeholders(placeholder_text(text, codes))
    return mapping


# -------------------------------------------------------------- word edges


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _starts(text: str) -> list[int]:
    """Offsets where a word starts, plus the ends of the text."""
    out = [0]
    for i in range(1, len(text)):
        if _is_word(text[i]) and not _is_word(text[i - 1]):
            out.append(i)
    out.append(len(text))
    return out


def _ends(text: str) -> list[int]:
    """Offsets where a word ends, plus the ends of the text."""
    out = [0]
    for i in range(1, len(text)):
        if _is_word(text[i - 1]) and not _is_word(text[i]):
            out.append(i)
    out.append(len(text))
    return out


def _nearest(candidates: Sequence[int], target: float) -> int:
    return min(candidates, key=lambda c: (abs(c - target), c))


def _first_word(text: str) -> int:
    for i, ch in enumerate(text):
        if _is_word(ch):
            return i
    return 0


def _last_word_end(text: str) -> int:
    for i in range(len(text), 0, -1):
        if _is_word(text[i - 1]):
            return i
    return len(text)


# ----------------------------------------------------------------- placing


@dataclass
class _Pair:
    open: int  # index of the open code in the source codes
    close: int  # index of the close code
    start: int  # target offsets
    end: int
    method: PlacementMethod
    problem: str = ""


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces and punctuation at its edges."""
    while start < end and not _is_word(text[start]):
        start += 1
    while end > start and not _is_word(text[end - 1]):
        end -= 1
    return start, end


def _term_for_pair(source: str, start: int, end: int, terms: Sequence[TermUse]) -> TermUse | None:
    """An enforced term whose source is all the words the pair wraps."""
    inner = _trimmed(source, start, end)
    if inner[0] >= inner[1]:
        return None
    for use in terms:
        if use.target_start < 0 or use.status != "enforced":
            continue
        if (use.source_start, use.source_end) == inner:
            return use
    return None


def _edge_open(source: str, offset: int, target: str) -> int | None:
    if offset == 0:
        return 0
    if not any(_is_word(c) for c in source[:offset]):
        return _first_word(target)
    return None


def _edge_close(source: str, offset: int, target: str) -> int | None:
    if offset == len(source):
        return len(target)
    if not any(_is_word(c) for c in source[offset:]):
        return _last_word_end(target)
    return None


def _scale(offset: int, source: str, target: str) -> float:
    return offset * len(target) / len(source) if source else 0.0


def _place_pair(
    source: str,
    start: int,
    end: int,
    target: str,
    terms: Sequence[TermUse],
    alignment: Sequence[AlignmentLink],
) -> tuple[int, int, PlacementMethod]:
    """Target offsets for a pair of codes around source[start:end]."""
    edge_a, edge_b = _edge_open(source, start, target), _edge_close(source, end, target)
    if edge_a is not None and edge_b is not None:
        return edge_a, max(edge_a, edge_b), "edge"
    use = _term_for_pair(source, start, end, terms)
    if use is not None:
        return use.target_start, use.target_end, "term"
    if alignment and start < end:
        linked = [link for link in alignment if link[0] < end and link[1] > start]
        if linked:
            a = min(link[2] for link in linked)
            b = max(link[3] for link in linked)
            a = edge_a if edge_a is not None else _nearest(_starts(target), a)
            b = edge_b if edge_b is not None else _nearest(_ends(target), b)
            if b > a:
                return a, b, "alignment"
    a = edge_a if edge_a is not None else _nearest(_starts(target), _scale(start, source, target))
    b = edge_b if edge_b is not None else _nearest(_ends(target), _scale(end, source, target))
    if start < end and b <= a:  # wrap at least the word that starts at a
        b = next((e for e in _ends(target) if e > a), len(target))
    return a, max(a, b), "edge" if edge_a is not None and edge_b is not None else "position"


def _place_point(
    source: str,
    offset: int,
    target: str,
    terms: Sequence[TermUse],
    alignment: Sequence[AlignmentLink],
) -> tuple[int, PlacementMethod]:
    """The target offset for a standalone code at `offset` of the source."""
    if offset == 0:
        return 0, "edge"
    if offset == len(source):
        return len(target), "edge"
    glued = _is_word(source[offset - 1])  # "conflict<x1/>": a footnote reference
    for use in terms:
        if use.target_start < 0 or use.status != "enforced":
            continue
        if offset == use.source_end:
            return use.target_end, "term"
        if offset == use.source_start:
            return use.target_start, "term"
    if not any(_is_word(c) for c in source[offset:]):
        return _last_word_end(target), "edge"
    if not any(_is_word(c) for c in source[:offset]):
        return _first_word(target), "edge"
    if alignment:
        if glued:
            before = [link for link in alignment if link[1] <= offset]
            if before:
                last = max(link[1] for link in before)
                return max(link[3] for link in before if link[1] == last), "alignment"
        else:
            after = [link for link in alignment if link[0] >= offset]
            if after:
                first = min(link[0] for link in after)
                return min(link[2] for link in after if link[0] == first), "alignment"
    scaled = _scale(offset, source, target)
    return _nearest(_ends(target) if glued else _starts(target), scaled), "position"


def place(
    source: str,
    codes: Sequence[InlineCode],
    target: str,
    *,
    terms: Sequence[TermUse] = (),
    alignment: Sequence[AlignmentLink] = (),
    found: Sequence[Found] | None = None,
) -> Placed:
    """Put the inline codes of `source` into `target` (see the module doc).

    `terms` are the segment's `TermUse`s (spans in `source` and `target`);
    `alignment` links target pieces to source pieces; `found` are the
    placeholders the engine gave back (`read_placeholders`), when it was
    sent `placeholder_text`. The result's codes are in target order.
    """
    check_codes(source, codes)
    if not codes:
        return Placed((), ())
    numbers = _numbers(codes)
    close_of: dict[str, int] = {c.id: i for i, c in enumerate(codes) if c.kind == "close"}
    kept, problems = _kept(codes, numbers, found) if found is not None else ({}, {})
    offsets: dict[int, int] = {}
    methods: dict[int, PlacementMethod] = {}
    pairs: list[_Pair] = []
    for i, code in enumerate(codes):
        if code.kind == "open":
            j = close_of[code.id]
            if i in kept and j in kept:
                pairs.append(_Pair(i, j, kept[i], kept[j], "kept"))
            else:
                a, b, how = _place_pair(
                    source, code.offset, codes[j].offset, target, terms, alignment
                )
                pairs.append(_Pair(i, j, a, b, how))
        elif code.kind == "standalone":
            if i in kept:
                offsets[i], methods[i] = kept[i], "kept"
            else:
                offsets[i], methods[i] = _place_point(source, code.offset, target, terms, alignment)
    _make_consistent(pairs, problems, found is not None)
    for pair in pairs:
        offsets[pair.open], offsets[pair.close] = pair.start, pair.end
        methods[pair.open] = methods[pair.close] = pair.method
    _keep_inside(codes, pairs, offsets)
    order = sorted(range(len(codes)), key=lambda k: (offsets[k], k))
    placed = tuple(replace(codes[k], offset=offsets[k]) for k in order)
    placements = tuple(
        CodePlacement(codes[k].id, codes[k].kind, methods[k], offsets[k], problems.get(k, ""))
        for k in order
    )
    if found is not None:
        extra = _made_up(numbers, found)
        if extra:
            first = placements[0] if placements else None
            note = f"the engine made up placeholder(s) {extra}; removed"
            if first is not None:
                placements = (
                    replace(first, problem="; ".join(filter(None, [first.problem, note]))),
                    *placements[1:],
                )
    return Placed(placed, placements)


def _describe(method: PlacementMethod) -> str:
    return {
        "term": "around its term",
        "alignment": "by the alignment",
        "edge": "at the edge of the segment",
        "position": "by position",
        "kept": "where the engine put it",
    }[method]


def _kept(
    codes: Sequence[InlineCode], numbers: Sequence[int], found: Sequence[Found]
) -> tuple[dict[int, int], dict[int, str]]:
    """Target offsets of the codes whose placeholders came back once and in
    order, and a problem for each code whose placeholder did not."""
    seen: dict[tuple[str, int], list[int]] = {}
    for f in found:
        seen.setdefault((f.kind, f.number), []).append(f.offset)
    kept: dict[int, int] = {}
    problems: dict[int, str] = {}
    for i, (code, number) in enumerate(zip(codes, numbers, strict=True)):
        at = seen.get((code.kind, number), [])
        if not at:
            problems[i] = "lost by the engine"
            continue
        if len(at) > 1:
            problems[i] = "given twice by the engine; the first kept"
        kept[i] = at[0]
    for i, code in enumerate(codes):
        if code.kind != "open":
            continue
        j = next(k for k, c in enumerate(codes) if c.kind == "close" and c.id == code.id)
        if i in kept and j in kept and kept[i] > kept[j]:
            problems[i] = problems[j] = "put inside out by the engine"
            del kept[i], kept[j]
        elif (i in kept) != (j in kept):  # half a pair: place the pair again
            lost = j if i in kept else i
            problems.setdefault(lost, "lost by the engine")
            problems.setdefault(i if lost == j else j, "its partner was lost by the engine")
            kept.pop(i, None)
            kept.pop(j, None)
    return kept, problems


def _made_up(numbers: Sequence[int], found: Sequence[Found]) -> str:
    known = set(numbers)
    extra = sorted({f.number for f in found if f.number not in known})
    return ", ".join(str(n) for n in extra)


def _make_consistent(pairs: list[_Pair], problems: dict[int, str], reporting: bool) -> None:
    """Clamp each pair so the pairs nest in the target as they do in the source."""
    for q_index, q in enumerate(pairs):
        before = pairs[:q_index]
        start, end = q.start, q.end
        for p in before:
            if p.close < q.open:  # p before q in the source
                start = max(start, p.end)
        end = max(end, start)
        for p in before:
            if p.open < q.open and q.close < p.close:  # q inside p
                start = min(max(start, p.start), p.end)
                end = min(max(end, start), p.end)
        if (start, end) != (q.start, q.end):
            if q.method == "kept" and reporting:
                note = "put out of order by the engine; moved to keep the nesting"
                problems[q.open] = problems[q.close] = note
            q.start, q.end = start, end


def _keep_inside(
    codes: Sequence[InlineCode], pairs: Sequence[_Pair], offsets: dict[int, int]
) -> None:
    """A standalone code inside a pair in the source stays inside it."""
    for i, code in enumerate(codes):
        if code.kind != "standalone":
            continue
        inside = [p for p in pairs if p.open < i < p.close]
        if inside:
            innermost = max(inside, key=lambda p: p.open)
            offsets[i] = min(max(offsets[i], innermost.start), innermost.end)


# -------------------------------------------------------------- segments


def _remap_terms(
    terms: Sequence[TermUse], source_map: Sequence[int], target_map: Sequence[int]
) -> tuple[TermUse, ...]:
    def at(mapping: Sequence[int], offset: int) -> int:
        return mapping[offset] if 0 <= offset < len(mapping) else offset

    out = []
    for use in terms:
        has_target = use.target_start >= 0
        out.append(
            replace(
                use,
                source_start=at(source_map, use.source_start),
                source_end=at(source_map, use.source_end),
                target_start=at(target_map, use.target_start) if has_target else -1,
                target_end=at(target_map, use.target_end) if has_target else -1,
            )
        )
    return tuple(out)


def engine_text(segment: Segment, placeholders: bool) -> str:
    """What the translation strategy is given for a segment: its text, with its
    codes as placeholders when the engine keeps them."""
    if placeholders and segment.codes:
        return placeholder_text(segment.text, segment.codes)
    return segment.text


def translate_segment(
    segment: Segment, result: SegmentResult, *, placeholders: bool = False
) -> TranslatedSegment:
    """The translated segment, its inline codes placed in the target.

    With `placeholders`, `result` is the translation of
    `engine_text(segment, True)`: the placeholders are taken out of the
    target, the term spans mapped back to the plain source and target.
    """
    if not segment.codes:
        return TranslatedSegment(segment, result.target, result.score, result.terms)
    if not result.target:
        return TranslatedSegment(segment, "", result.score, result.terms)
    if placeholders:
        plain, found, target_map = read_placeholders(result.target)
        source_map = _source_map(segment.text, segment.codes)
        terms = _remap_terms(result.terms, source_map, target_map)
        placed = place(segment.text, segment.codes, plain, terms=terms, found=found)
        return TranslatedSegment(
            segment, plain, result.score, terms, placed.codes, _explained(placed)
        )
    placed = place(
        segment.text,
        segment.codes,
        result.target,
        terms=result.terms,
        alignment=result.alignment,
    )
    return TranslatedSegment(
        segment, result.target, result.score, result.terms, placed.codes, placed.placements
    )


def _explained(placed: Placed) -> tuple[CodePlacement, ...]:
    """Problems completed with where the code was put back."""
    return tuple(
        replace(p, problem=f"{p.problem}; put back {_describe(p.method)}")
        if p.problem and p.method != "kept" and "put back" not in p.problem
        else p
        for p in placed.placements
    )
