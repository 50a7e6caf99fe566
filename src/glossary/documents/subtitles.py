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

Everything else is kept byte for byte: numbering, timecodes and cue
settings, the WEBVTT header, NOTE, STYLE and REGION blocks, blank lines and
line ends. A tag around a whole cue (`<i>…</i>`, a WebVTT voice `<v Anna>`)
is kept around its translation; tags inside a cue's text are dropped from
the translation (the text is kept). Each segment says its cue ("cue 14,
00:01:02,000"); its line is the line of the cue's text in the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Final

from glossary.document import Document, Paragraph, Segment, TranslatedDocument
from glossary.documents.structure import clean_target, targets_of
from glossary.errors import InputError, OutputError
from glossary.files.inputs import decode_bytes
from glossary.reading.segment import ends_sentence, split_sentences

LINE_LIMIT: Final = 42
_TIMECODE = re.compile(
    r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}"
)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|\{\\[^{}]*\}")  # <i>, </font>, <v Anna>, {\an8}
_LEAD_TAG = re.compile(
    r"^(?:<(?:i|b|u|v(?:\.[\w.-]+)?(?:\s[^<>]*)?|c(?:\.[\w.-]+)*|font[^<>]*)>|\{\\[^{}]*\})+"
)
_TRAIL_TAG = re.compile(r"(?:</(?:i|b|u|v|c|font)>)+$")


@dataclass(frozen=True)
class Cue:
    """One cue: where its text lines are in the file, and its text."""

    number: int  # 1-based position in the file
    label: str  # the SRT number or WebVTT identifier ("" when none)
    start: str  # the start timecode as written
    first: int  # index of its first text line among the file's lines
    last: int  # index after its last text line
    lines: tuple[str, ...]  # the text lines, line ends removed

    @property
    def raw(self) -> str:
        return " ".join(line.strip() for line in self.lines if line.strip())

    @property
    def text(self) -> str:
        """The cue's text without tags."""
        return " ".join(_TAG.sub("", self.raw).split())


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
        cues.append(Cue(len(cues) + 1, label, start, timing + 1, i, text_lines))
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
    offset = 0
    fmt = "vtt" if vtt else "srt"
    for group in _groups(cues):
        joined = " ".join(cue.text for cue in group)
        bounds: list[int] = []  # where each cue starts in `joined`
        pos = 0
        for cue in group:
            bounds.append(pos)
            pos += len(cue.text) + 1
        segments = []
        for start, end in split_sentences(joined) or [(0, len(joined))]:
            at = max(k for k, b in enumerate(bounds) if b <= start)
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
        offset += len(joined) + 1
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


def split_back(paragraph: Paragraph, targets: dict[int, str], sizes: Sequence[int]) -> list[str]:
    """The translation of a paragraph split over its cues (`sizes`: the length of
    each cue's Dutch text): at sentence boundaries where the cues had them, else
    in proportion, at a word boundary."""
    source = paragraph.source
    bounds: list[int] = []
    pos = 0
    for size in sizes:
        bounds.append(pos)
        pos += size + 1
    pieces: list[str] = [""] * len(sizes)
    segments = paragraph.segments
    spans = split_sentences(source) or [(0, len(source))]
    if len(spans) != len(segments):  # cannot happen for a file read here; be safe
        spans = [(0, len(source))]
        texts = [" ".join(clean_target(targets.get(s.index, s.text)) for s in segments)]
    else:
        texts = [clean_target(targets.get(s.index, s.text)) for s in segments]
    for (start, end), target in zip(spans, texts, strict=True):
        first = max(k for k, b in enumerate(bounds) if b <= start)
        cues = [first, *(k for k, b in enumerate(bounds) if start < b < end)]
        if len(cues) == 1:
            pieces[first] = f"{pieces[first]} {target}".strip()
            continue
        # The sentence runs over several cues: cut its translation in proportion.
        total = max(end - start, 1)
        cut_at = 0
        for n, k in enumerate(cues):
            if n == len(cues) - 1:
                part = target[cut_at:]
            else:
                share = (bounds[cues[n + 1]] - start) / total
                cut = max(_word_cut(target, round(share * len(target))), cut_at)
                part = target[cut_at:cut]
                cut_at = cut
            pieces[k] = f"{pieces[k]} {part.strip()}".strip()
    return pieces


def _two_lines(text: str) -> list[str]:
    """A cue's text on one line, or on two near the middle when it is long."""
    if len(text) <= LINE_LIMIT or " " not in text:
        return [text]
    cut = _word_cut(text, len(text) // 2)
    return [text[:cut].strip(), text[cut:].strip()]


def _rewrap(cue: Cue, text: str) -> list[str]:
    raw = cue.raw
    lead = _LEAD_TAG.match(raw)
    trail = _TRAIL_TAG.search(raw)
    # Only a tag around the whole cue is kept (an opening one without its closing
    # tag at the end would leave the next cues in italics).
    both = lead is not None and trail is not None
    prefix = lead.group() if both and lead else ""
    suffix = trail.group() if both and trail else ""
    if lead is not None and lead.group().startswith("<v") and not trail:
        prefix = lead.group()  # a WebVTT voice needs no closing tag
    lines = _two_lines(text) if len(cue.lines) > 1 or len(text) > LINE_LIMIT else [text]
    if prefix:
        lines[0] = prefix + lines[0]
    if suffix:
        lines[-1] = lines[-1] + suffix
    return lines


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
    targets = targets_of(document)
    replaced: dict[int, list[str]] = {}  # cue number -> new text lines
    for paragraph in source.paragraphs:
        numbers = [int(n) for n in paragraph.anchor.removeprefix("cues ").split(",") if n]
        group = [cues[n - 1] for n in numbers]
        if not any(s.index in targets for s in paragraph.segments):
            continue
        pieces = split_back(paragraph, targets, [len(c.text) for c in group])
        for cue, piece in zip(group, pieces, strict=True):
            replaced[cue.number] = _rewrap(cue, piece) if piece else [""]
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
