"""Subtitles (SubRip .srt and WebVTT .vtt): cues kept, sentences translated whole.

A subtitle file is a list of cues: a number (SRT) or an optional identifier
(WebVTT), a timecode line, and one or two lines of text. A sentence often
runs over two or more cues ("Het kabinet heeft besloten" | "de maatregelen
te verlengen."), and translating each cue alone gives broken English. So
consecutive cues are read as one paragraph until a cue ends a sentence; the
paragraph is split into sentences and translated, and the translation is
split back over the same cues: at the sentence boundaries that fell on cue
boundaries, and inside a sentence in proportion to the length of each cue's
Dutch, at a word boundary. A cue's text is put on two lines when it is
longer than 42 characters (the usual limit of a subtitle line).

Tags are kept. A tag that belongs to the whole cue stays around its
translation: a pair around all of the cue's text (`<i>…</i>`), a voice or
class opened at its start and never closed (`<v Anna>`), a point at its
start or end (an ASS position `{\\an8}`). Every other tag is an inline code
of the sentence (`glossary.document.InlineCode`, as in HTML, Word and
Markdown), so the engine, the miner and the concordance see plain text and
the formatting goes back on the right words: a tag pair (`<i>`, `<b>`,
`<u>`, `<font color=…>`, WebVTT `<c.class>`, `<v Speaker>` mid-cue,
`<lang>`, `<ruby>`) matched in the paragraph (over cues too) is a pair of
codes around its words; a timestamp (`<00:00:01.000>`), an ASS override,
a lone or unmatched tag is a point. A pair that the split puts over two
cues is closed at the end of the first and opened again at the start of
the next, so each cue is balanced as a player needs; a pair left around
nothing is dropped. Over 100 inner tags in a paragraph (hostile input)
are all points, at most 100 codes a sentence (tags at one place go as one),
so reading and writing stay linear.

Everything else is kept byte for byte: numbering, timecodes and cue
settings, the WEBVTT header, NOTE, STYLE and REGION blocks, blank lines and
line ends. Each segment says its cue ("cue 14, 00:01:02,000"); its line is
the line of the cue's text in the file.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Final

from glossary.document import (
    Document,
    InlineCode,
    Paragraph,
    Segment,
    TranslatedDocument,
    TranslatedSegment,
    code_pieces,
)
from glossary.errors import InputError, OutputError
from glossary.files.inputs import decode_bytes
from glossary.reading.segment import ends_sentence, split_sentences

LINE_LIMIT: Final = 42
MAX_TAGS: Final = 100  # inner tags of a paragraph kept as pairs; codes of a sentence
_TIMECODE = re.compile(
    r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}"
)
# <i>, </font>, <v Anna>, <c.loud>, <00:00:01.000>, {\an8}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")
_NAME = re.compile(r"</?([A-Za-z][\w-]*)")
_SPACE = re.compile(r"\s+")
LABELS: Final = {
    "i": "italic",
    "b": "bold",
    "u": "underline",
    "s": "strikethrough",
    "font": "font",
    "c": "class",
    "v": "voice",
    "lang": "language",
    "ruby": "ruby",
    "rt": "ruby text",
}


@dataclass(frozen=True)
class Tag:
    """A tag of a cue's text: as written, its name, its kind ("open", "close",
    "point") and its offset in the cue's plain text."""

    text: str
    name: str
    kind: str
    offset: int

    @property
    def label(self) -> str:
        if self.text.startswith("{"):
            return "override"
        if self.text[1:2].isdigit():
            return "timestamp"
        return LABELS.get(self.name, self.name or "tag")


def _classify(text: str) -> tuple[str, str]:
    if text.startswith("{") or text[1:2].isdigit() or text.endswith("/>"):
        return "", "point"
    m = _NAME.match(text)
    name = m.group(1).lower() if m else ""
    return name, "close" if text.startswith("</") else "open"


def tokens(raw: str) -> tuple[str, tuple[Tag, ...]]:
    """A cue's plain text (tags out, white space collapsed) and its tags. An
    opening tag or a point goes before the space that precedes it, a closing
    tag after the word it follows."""
    out: list[str] = []
    tags: list[Tag] = []
    length = 0
    pending = False  # white space seen and not yet written
    spaced = False  # the text written ends with a space

    def add(chunk: str) -> None:
        nonlocal length, pending, spaced
        words = chunk.split()
        if not words:
            pending = pending or bool(chunk and length)
            return
        if length and (pending or chunk[0].isspace()) and not spaced:
            out.append(" ")
            length += 1
        body = " ".join(words)
        out.append(body)
        length += len(body)
        pending = chunk[-1].isspace()
        spaced = False

    pos = 0
    for m in _TAG.finditer(raw):
        add(raw[pos : m.start()])
        name, kind = _classify(m.group())
        if kind != "close" and pending and length and not spaced:
            out.append(" ")
            length += 1
            spaced = True
            pending = False
        tags.append(Tag(m.group(), name, kind, length))
        pos = m.end()
    add(raw[pos:])
    text = "".join(out)
    if text.endswith(" "):
        text = text[:-1]
        tags = [
            t if t.offset <= len(text) else Tag(t.text, t.name, t.kind, len(text)) for t in tags
        ]
    return text, tuple(tags)


@dataclass(frozen=True)
class Cue:
    """One cue: where its text lines are in the file, its text and its tags."""

    number: int  # 1-based position in the file
    label: str  # the SRT number or WebVTT identifier ("" when none)
    start: str  # the start timecode as written
    first: int  # index of its first text line among the file's lines
    last: int  # index after its last text line
    lines: tuple[str, ...]  # the text lines, line ends removed
    text: str = ""  # the text without tags, white space collapsed
    tags: tuple[Tag, ...] = ()

    @property
    def raw(self) -> str:
        return " ".join(line.strip() for line in self.lines if line.strip())


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _strip_end(line: str) -> str:
    return line.rstrip("\r\n")


def parse(text: str, name: str, vtt: bool) -> list[Cue]:
    """The cues of a subtitle file's text (see the module doc)."""
    lines = [_strip_end(line) for line in _lines(text)]
    cues: list[Cue] = []
    i = 0
    n = len(lines)
    if vtt and (not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT")):
        raise InputError(f"{name} is not a WebVTT file: it does not start with WEBVTT.")
    while i < n:
        while i < n and not lines[i].strip():
            i += 1
        if i >= n:
            break
        block_start = i
        while i < n and lines[i].strip():
            i += 1
        block = list(range(block_start, i))
        timing = next((k for k in block if _TIMECODE.match(lines[k])), None)
        if timing is None:
            first = lines[block[0]].strip()
            if vtt and (
                first.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) or block_start == 0
            ):
                continue  # header, comments, styles: kept as they are
            if not vtt and all(lines[k].strip().isdigit() for k in block):
                continue  # a stray number
            raise InputError(
                f"{name}:{block[0] + 1}: a block without a timecode "
                f"({first[:40]!r}); this is not a well-formed "
                f"{'WebVTT' if vtt else 'SRT'} file. Fix the file in a subtitle editor."
            )
        label = " ".join(lines[k].strip() for k in block if k < timing)
        start = lines[timing].split("-->")[0].strip()
        text_lines = tuple(lines[k] for k in block if k > timing)
        raw = " ".join(line.strip() for line in text_lines if line.strip())
        plain, tags = tokens(raw)
        cues.append(Cue(len(cues) + 1, label, start, timing + 1, i, text_lines, plain, tags))
    return cues


def _groups(cues: Sequence[Cue]) -> list[list[Cue]]:
    """Consecutive cues that one sentence or more runs over, as paragraphs."""
    groups: list[list[Cue]] = []
    current: list[Cue] = []
    for cue in cues:
        if not cue.text:
            continue
        current.append(cue)
        if ends_sentence(cue.text) or len(current) >= 8:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


# ------------------------------------------------------------------ the tags


@dataclass(frozen=True)
class _Mark:
    tag: Tag
    cue: int  # its cue's place in the group
    at: int  # its offset in the paragraph's text


@dataclass
class _Tags:
    """A paragraph's text and tags: the cues' own tags (prefix and suffix of
    each cue) and the inner ones, as pairs and points."""

    text: str
    marks: list[_Mark]
    partner: dict[int, int]  # open mark <-> close mark of each inner pair
    points: list[int]  # inner marks that are points, in order
    prefix: list[str] = field(default_factory=list)
    suffix: list[str] = field(default_factory=list)


def _analyse(group: Sequence[Cue]) -> _Tags:
    texts = [cue.text for cue in group]
    marks: list[_Mark] = []
    base = 0
    for k, cue in enumerate(group):
        marks.extend(_Mark(tag, k, base + tag.offset) for tag in cue.tags)
        base += len(cue.text) + 1
    text = " ".join(texts)
    partner: dict[int, int] = {}
    stacks: dict[str, list[int]] = {}
    for i, mark in enumerate(marks):
        if mark.tag.kind == "open":
            stacks.setdefault(mark.tag.name, []).append(i)
        elif mark.tag.kind == "close" and stacks.get(mark.tag.name):
            j = stacks[mark.tag.name].pop()
            partner[j], partner[i] = i, j
    # The cue's own tags: points at its edges, pairs around all of its text.
    own: set[int] = set()
    prefix: list[str] = []
    suffix: list[str] = []
    start = 0
    for cue in group:
        count = len(cue.tags)
        ids = range(start, start + count)
        start += count
        lead = [i for i in ids if marks[i].tag.offset == 0]
        trail = [i for i in ids if marks[i].tag.offset == len(cue.text)]
        a, b = 0, len(trail) - 1
        pre: list[int] = []
        suf: list[int] = []
        while True:
            if a < len(lead) and lead[a] not in partner:
                pre.append(lead[a])
                a += 1
            elif b >= 0 and trail[b] not in partner:
                suf.append(trail[b])
                b -= 1
            elif (
                a < len(lead)
                and b >= 0
                and marks[lead[a]].tag.kind == "open"
                and partner.get(lead[a]) == trail[b]
            ):
                pre.append(lead[a])
                suf.append(trail[b])
                a += 1
                b -= 1
            else:
                break
        own.update(pre)
        own.update(suf)
        prefix.append("".join(marks[i].tag.text for i in pre))
        suffix.append("".join(marks[i].tag.text for i in reversed(suf)))
    inner = [i for i in range(len(marks)) if i not in own]
    pairs = {i: partner[i] for i in inner if i in partner}
    if len(inner) > MAX_TAGS:
        pairs = {}
    for i, j in list(pairs.items()):
        if i < j and not text[marks[i].at : marks[j].at].strip():
            del pairs[i], pairs[j]  # a pair around nothing: two points
    points = [i for i in inner if i not in pairs]
    return _Tags(text, marks, pairs, points, prefix, suffix)


def _sentence_codes(tags: _Tags, spans: Sequence[tuple[int, int]]) -> list[tuple[InlineCode, ...]]:
    """The inline codes of each sentence (`spans` of the paragraph's text)."""
    found: list[list[tuple[int, float, InlineCode]]] = [[] for _ in spans]
    starts = [s for s, _ in spans]
    marks = tags.marks
    for i, j in tags.partner.items():
        if i > j:
            continue
        a, b = marks[i].at, marks[j].at
        label = marks[i].tag.label
        first = max(bisect_right(starts, a) - 1, 0)
        for n in range(first, len(spans)):
            start, end = spans[n]
            if start >= b:
                break
            lo, hi = max(a, start), min(b, end)
            if lo >= hi or not tags.text[lo:hi].strip():
                continue
            opening = InlineCode(f"p{i}", "open", lo - start, str(i), label)
            closing = InlineCode(f"p{i}", "close", hi - start, str(j), label)
            found[n].append((lo - start, i if lo == a else -1, opening))
            found[n].append((hi - start, j if hi == b else float(len(marks)), closing))
    # Points: in the sentence they touch (else the next one); tags at one place are one code.
    placed: list[dict[int, list[int]]] = [{} for _ in spans]
    for i in tags.points:
        at = marks[i].at
        n = max(bisect_right(starts, at) - 1, 0)
        if at > spans[n][1] and n + 1 < len(spans):
            n += 1
        offset = min(max(at - spans[n][0], 0), spans[n][1] - spans[n][0])
        placed[n].setdefault(offset, []).append(i)
    for n, by_offset in enumerate(placed):
        groups = sorted(by_offset.items())
        room = max(MAX_TAGS - len(found[n]), 1)
        if len(groups) > room:  # hostile input: fewer codes, each holding more tags
            size = -(-len(groups) // room)
            groups = [
                (groups[k][0], [i for _, ids in groups[k : k + size] for i in ids])
                for k in range(0, len(groups), size)
            ]
        for offset, ids in groups:
            label = "+".join(dict.fromkeys(marks[i].tag.label for i in ids))
            data = ",".join(str(i) for i in ids)
            code = InlineCode(f"t{ids[0]}", "standalone", offset, data, label)
            found[n].append((offset, ids[0], code))
    return [tuple(c for _, _, c in sorted(codes, key=lambda f: (f[0], f[1]))) for codes in found]


def _read(data: bytes, name: str, vtt: bool) -> Document:
    decoded = decode_bytes(data, name, hint="Give a well-formed .srt or .vtt file.")
    text = decoded.text
    cues = parse(text, name, vtt)
    file_lines = _lines(text)
    line_start = [0]
    for line in file_lines:
        line_start.append(line_start[-1] + len(line))
    paragraphs: list[Paragraph] = []
    index = 0
    fmt = "vtt" if vtt else "srt"
    for group in _groups(cues):
        tags = _analyse(group)
        joined = tags.text
        bounds: list[int] = []  # where each cue starts in `joined`
        pos = 0
        for cue in group:
            bounds.append(pos)
            pos += len(cue.text) + 1
        spans = split_sentences(joined) or [(0, len(joined))]
        codes = _sentence_codes(tags, spans)
        segments = []
        for (start, end), own in zip(spans, codes, strict=True):
            at = bisect_right(bounds, start) - 1
            cue = group[at]
            label = cue.label or str(cue.number)
            segments.append(
                Segment(
                    doc=name,
                    index=index,
                    paragraph=len(paragraphs),
                    text=joined[start:end],
                    line=cue.first + 1,
                    end_line=group[-1].last,
                    start=line_start[cue.first],
                    end=line_start[group[-1].last],
                    kind="text",
                    location=f"cue {label}, {cue.start}",
                    codes=own,
                )
            )
            index += 1
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                kind="text",
                segments=tuple(segments),
                line=group[0].first + 1,
                anchor="cues " + ",".join(str(c.number) for c in group),
                source=joined,
                offset=0,
            )
        )
    warnings = list(decoded.warnings)
    if not cues:
        warnings.append(f"{name}: no cues; nothing to translate.")
    return Document(
        path=name,
        paragraphs=tuple(paragraphs),
        warnings=tuple(warnings),
        format=fmt,
        original=data,
    )


def read_srt(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A SubRip file: its cues as paragraphs of sentences (see the module doc)."""
    return _read(data, name, vtt=False)


def read_vtt(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A WebVTT file: its cues as paragraphs of sentences (see the module doc)."""
    return _read(data, name, vtt=True)


# ------------------------------------------------------------------ writing

Item = str | InlineCode  # a cue's new content: text and codes in order


def _word_cut(text: str, at: int) -> int:
    """The word boundary of `text` nearest to `at`."""
    if at <= 0:
        return 0
    if at >= len(text):
        return len(text)
    spaces = [m.start() for m in re.finditer(r" ", text)]
    if not spaces:
        return at if 0 < at < len(text) else len(text)
    return min(spaces, key=lambda s: abs(s - at))


def _clean(text: str, codes: Sequence[InlineCode]) -> tuple[str, list[InlineCode]]:
    """A translation on one line with single spaces, its codes moved along."""
    out: list[str] = []
    mapping: list[int] = []
    length = 0
    for m in re.finditer(r"\s+|\S+", text):
        piece = m.group()
        if piece[0].isspace():
            mapping.extend([length] * len(piece))
            piece = " " if length else ""
        else:
            mapping.extend(range(length, length + len(piece)))
        out.append(piece)
        length += len(piece)
    mapping.append(length)
    clean = "".join(out).removesuffix(" ")
    moved = [
        InlineCode(
            c.id,
            c.kind,
            min(mapping[min(max(c.offset, 0), len(text))], len(clean)),
            c.data,
            c.label,
        )
        for c in codes
    ]
    return clean, moved


def _split_sentence(
    text: str, codes: Sequence[InlineCode], cuts: Sequence[int]
) -> list[list[Item]]:
    """`text` and its codes cut at `cuts`: an opening code or a point at a cut
    goes to the next piece, a closing code to the previous one."""
    bounds = [0, *cuts, len(text)]
    placed: list[list[InlineCode]] = [[] for _ in range(len(cuts) + 1)]
    for code in codes:
        if code.kind == "close":
            placed[bisect_left(cuts, code.offset)].append(code)
        else:
            placed[bisect_right(cuts, code.offset)].append(code)
    out: list[list[Item]] = []
    for n, own in enumerate(placed):
        lo, hi = bounds[n], max(bounds[n + 1], bounds[n])
        moved = [
            InlineCode(c.id, c.kind, min(max(c.offset - lo, 0), hi - lo), c.data, c.label)
            for c in own
        ]
        out.append(code_pieces(text[lo:hi], moved))
    return out


def _sentences(
    paragraph: Paragraph, translated: Mapping[int, TranslatedSegment]
) -> list[tuple[str, list[InlineCode]]]:
    """Each segment's translation (or its text when it has none) and its codes."""
    out: list[tuple[str, list[InlineCode]]] = []
    for segment in paragraph.segments:
        done = translated.get(segment.index)
        if done is not None and segment.translate and done.target.strip():
            out.append(_clean(done.target, done.codes if segment.codes else ()))
        else:
            out.append((segment.text, list(segment.codes)))
    return out


def _split(
    paragraph: Paragraph,
    sentences: Sequence[tuple[str, Sequence[InlineCode]]],
    sizes: Sequence[int],
) -> list[list[Item]]:
    """The translation of a paragraph split over its cues (`sizes`: the length of
    each cue's Dutch text): at sentence boundaries where the cues had them, else
    in proportion, at a word boundary."""
    source = paragraph.source
    bounds: list[int] = []
    pos = 0
    for size in sizes:
        bounds.append(pos)
        pos += size + 1
    pieces: list[list[Item]] = [[] for _ in sizes]
    spans = split_sentences(source) or [(0, len(source))]
    texts = list(sentences)
    if len(spans) != len(texts):  # cannot happen for a file read here; be safe
        spans = [(0, len(source))]
        joined: list[Item] = []
        for text, codes in texts:
            joined.extend([" ", *code_pieces(text, codes)] if joined else code_pieces(text, codes))
        flat = "".join(i for i in joined if isinstance(i, str))
        offsets: list[InlineCode] = []
        length = 0
        for item in joined:
            if isinstance(item, str):
                length += len(item)
            else:
                offsets.append(InlineCode(item.id, item.kind, length, item.data, item.label))
        texts = [(flat, offsets)]
    for (start, end), (target, codes) in zip(spans, texts, strict=True):
        first = bisect_right(bounds, start) - 1
        cues = [first, *(k for k, b in enumerate(bounds) if start < b < end)]
        cuts: list[int] = []
        if len(cues) > 1:
            # The sentence runs over several cues: cut its translation in proportion.
            total = max(end - start, 1)
            cut_at = 0
            for n in range(len(cues) - 1):
                share = (bounds[cues[n + 1]] - start) / total
                cut_at = max(_word_cut(target, round(share * len(target))), cut_at)
                cuts.append(cut_at)
        for k, part in zip(cues, _split_sentence(target, codes, cuts), strict=True):
            if _visible(pieces[k]) or any(isinstance(i, InlineCode) for i in pieces[k]):
                pieces[k].append(" ")
            pieces[k].extend(part)
    return [_strip(piece) for piece in pieces]


def _visible(items: Sequence[Item]) -> str:
    return "".join(i for i in items if isinstance(i, str))


def _strip(items: list[Item]) -> list[Item]:
    """The items without white space at either end of their text."""
    out = list(items)
    for k, item in enumerate(out):
        if isinstance(item, str):
            out[k] = item.lstrip()
            if out[k]:
                break
    for k in range(len(out) - 1, -1, -1):
        item = out[k]
        if isinstance(item, str):
            out[k] = item.rstrip()
            if out[k]:
                break
    return [i for i in out if not isinstance(i, str) or i]


def split_back(paragraph: Paragraph, targets: dict[int, str], sizes: Sequence[int]) -> list[str]:
    """The translation of a paragraph split over its cues, without its codes (see `_split`)."""
    sentences: list[tuple[str, Sequence[InlineCode]]] = [
        (" ".join(targets[s.index].split()) if s.index in targets else s.text, [])
        for s in paragraph.segments
    ]
    return [_visible(items) for items in _split(paragraph, sentences, sizes)]


def _render(
    items: Sequence[Item], carried: list[int], tags: _Tags
) -> tuple[list[tuple[str, bool]], list[int]]:
    """A cue's text with its tags, balanced: the pairs still open from the cue
    before (`carried`) opened again at its start, the pairs open at its end
    closed there (and returned, to open again in the next cue). Chunks are
    (text, is a tag)."""
    marks = tags.marks
    sequence: list[Item | int] = [*carried, *items]  # an int: a pair opened again
    # A pair around nothing goes.
    keep = [True] * len(sequence)
    last_open: dict[int, int] = {}
    for k, item in enumerate(sequence):
        pair = _pair_of(item, tags)
        if pair is None:
            if (isinstance(item, str) and item.strip()) or isinstance(item, InlineCode):
                last_open.clear()
            continue
        if _opens(item):
            last_open[pair] = k
        elif pair in last_open:
            keep[last_open.pop(pair)] = False
            keep[k] = False
            last_open.clear()
        else:
            last_open.clear()
    out: list[tuple[str, bool]] = []
    opened: list[int] = []
    for k, item in enumerate(sequence):
        if not keep[k]:
            continue
        if isinstance(item, str):
            out.append((item, False))
            continue
        pair = _pair_of(item, tags)
        if pair is None:  # a point: its tags as they were
            assert isinstance(item, InlineCode)
            out.append(("".join(marks[int(i)].tag.text for i in item.data.split(",")), True))
        elif _opens(item):
            if pair in opened:
                continue
            opened.append(pair)
            out.append((marks[pair].tag.text, True))
        elif pair in opened:
            opened.remove(pair)
            out.append((marks[tags.partner[pair]].tag.text, True))
    for pair in reversed(opened):
        out.append((marks[tags.partner[pair]].tag.text, True))
    return _spaces_outside(out), opened


def _pair_of(item: Item | int, tags: _Tags) -> int | None:
    if isinstance(item, int):
        return item
    if isinstance(item, str) or item.kind == "standalone":
        return None
    at = int(item.data)
    pair = at if item.kind == "open" else tags.partner.get(at)
    return pair if pair is not None and pair in tags.partner else None


def _opens(item: Item | int) -> bool:
    return isinstance(item, int) or (isinstance(item, InlineCode) and item.kind == "open")


def _spaces_outside(chunks: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Spaces at the inner edges of a pair go outside it ("a<i> b </i>c" is
    "a <i>b</i> c")."""
    out: list[tuple[str, bool]] = []
    for text, is_tag in chunks:
        if is_tag and text.startswith("</") and out and not out[-1][1] and out[-1][0].endswith(" "):
            out[-1] = (out[-1][0][:-1], False)
            out.append((text, True))
            out.append((" ", False))
            continue
        if not is_tag and text.startswith(" ") and out and out[-1][1] and _opening(out[-1][0]):
            tag = out.pop()
            if not (out and not out[-1][1] and out[-1][0].endswith(" ")):
                out.append((" ", False))
            out.append(tag)
            text = text[1:]
        if not is_tag and out and not out[-1][1]:
            joined = out[-1][0] + text
            out[-1] = (joined.replace("  ", " "), False)
            continue
        out.append((text, is_tag))
    return [(t, tag) for t, tag in out if t]


def _opening(tag: str) -> bool:
    return tag.startswith("<") and not tag.startswith("</") and not tag[1:2].isdigit()


def _lines_of(chunks: Sequence[tuple[str, bool]]) -> list[str]:
    """A cue's text on one line, or on two at the space nearest the middle of
    what is shown when that is longer than a subtitle line."""
    text = ""
    shown = 0
    spaces: list[tuple[int, int]] = []  # (offset in what is shown, offset in text)
    for piece, tag in chunks:
        if not tag:
            spaces.extend(
                (shown + m.start(), len(text) + m.start()) for m in re.finditer(" ", piece)
            )
            shown += len(piece)
        text += piece
    if shown <= LINE_LIMIT or not spaces:
        return [text.strip()]
    _, cut = min(spaces, key=lambda s: (abs(s[0] - shown // 2), s[0]))
    lines = [text[:cut].strip(), text[cut:].strip()]
    return lines if all(lines) else [text.strip()]


def translated_text(document: TranslatedDocument) -> str:
    """The subtitle file with each cue's text replaced by its translation."""
    source = document.document
    if source.format not in ("srt", "vtt") or not source.original:
        raise OutputError(
            f"{source.path}: a subtitle translation is written from a subtitle file only; "
            "choose another output format."
        )
    text = decode_bytes(source.original, source.path).text
    cues = parse(text, source.path, source.format == "vtt")
    file_lines = _lines(text)
    newline = "\r\n" if file_lines and file_lines[0].endswith("\r\n") else "\n"
    translated = {
        ts.segment.index: ts
        for ts in document.segments
        if ts.segment.translate and ts.target.strip()
    }
    replaced: dict[int, list[str]] = {}  # cue number -> new text lines
    for paragraph in source.paragraphs:
        numbers = [int(n) for n in paragraph.anchor.removeprefix("cues ").split(",") if n]
        if not numbers or max(numbers) > len(cues):
            continue
        group = [cues[n - 1] for n in numbers]
        if not any(s.index in translated for s in paragraph.segments):
            continue
        tags = _analyse(group)
        if tags.text != paragraph.source:
            continue  # the file changed since it was read: leave these cues
        pieces = _split(paragraph, _sentences(paragraph, translated), [len(c.text) for c in group])
        carried: list[int] = []
        for k, (cue, piece) in enumerate(zip(group, pieces, strict=True)):
            chunks, carried = _render(piece, carried, tags)
            if not any(t.strip() for t, tag in chunks if not tag):
                replaced[cue.number] = [""]
                continue
            lines = _lines_of(chunks)
            lines[0] = tags.prefix[k] + lines[0]
            lines[-1] = lines[-1] + tags.suffix[k]
            replaced[cue.number] = lines
    out: list[str] = []
    by_first = {cue.first: cue for cue in cues}
    i = 0
    while i < len(file_lines):
        at = by_first.get(i)
        if at is not None and at.number in replaced:
            end = file_lines[at.last - 1][len(_strip_end(file_lines[at.last - 1])) :]
            new = replaced[at.number]
            for k, line in enumerate(new):
                out.append(line + (newline if k < len(new) - 1 else end or newline))
            i = at.last
            continue
        out.append(file_lines[i])
        i += 1
    return "".join(out)


def write(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Write one translated subtitle file (SRT or WebVTT, as its source)."""
    if len(docs) != 1:
        raise OutputError("A subtitle file holds one document: use --out-dir for several.")
    stream.write(translated_text(docs[0]))
