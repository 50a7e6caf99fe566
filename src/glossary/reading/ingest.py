"""Reading documents: files, folders and stdin into `Document`s.

The inputs users give are mostly text extracted from PDFs of parliamentary
questions and letters. Reading turns such a file into paragraphs of
sentences that translation, mining and exports can trust:

1. Decode: UTF-8 (with or without BOM), UTF-16 with a BOM; other bytes fall
   back to Windows-1252 or Latin-1 with a warning. Binary files (NUL bytes,
   control characters, PDF/ZIP/image signatures) are refused with a message
   that says what to do. `.md` and `.html` become plain lines with the markup
   dropped and their line numbers kept.
2. Blocks: blank lines separate blocks; so do a numbered item (" 1. De ..."),
   a line indented after a finished sentence, an all-capitals heading
   ("ANTWOORD") and page furniture ("Onze Referentie", reference codes,
   page numbers). Two or more blank lines, or a form feed, are a page break.
3. Footnotes: a block "1 Publicatie ..." whose number is the next footnote
   number, or "*De OVSE-groep ...", starts a footnote; the blocks after it
   belong to it until a page break, an indented or lower-case line, or an
   item. Footnotes and furniture leave the running text.
4. Paragraphs: a paragraph that a page break, footnotes or furniture cut in
   two ("In 1993 nam" ... "de VN Veiligheidsraad") is joined again.
5. Clean-up of each paragraph: lines are joined; a line-end hyphen is
   resolved by `_Hyphenation` (joined: "vredes-"+"akkoord"; kept:
   "staakt-"+"het-vuren", "Nagorno-"+"Karabach", URLs; elision kept:
   "olie- en"); footnote reference markers glued to words by OCR
   ("Azerbeidzjan.!", "c.s.#", "conflict.2", "Minskgroep*") are removed and
   each footnote is placed after the paragraph that refers to it; OCR
   diacritics are repaired ("Armenié" -> "Armenië") unless `repair=False`.
6. Each paragraph is classified (heading, item, text, footnote, furniture)
   and split into sentences by `glossary.reading.segment`.

Every change is listed as a `Repair` (line, original, repaired, reason,
detail) so users can check it. Segment offsets and lines point into the
decoded original text (NFC-normalised), character-exact for plain text and
line-exact for `.md`/`.html`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from glossary.document import Document, Kind, Paragraph, Repair, Segment
from glossary.files.inputs import decode_bytes
from glossary.lang import nl as lexicon
from glossary.reading import sources
from glossary.reading.segment import ends_sentence, split_sentences

# Larger files are refused (see `glossary.reading.sources.MAX_BYTES`).
MAX_BYTES = sources.MAX_BYTES
# Lines longer than this get a warning: PDF text has short lines.
LONG_LINE = 100_000

# Reasons recorded in `Repair.reason`.
HYPHEN_JOINED = "hyphen-joined"
HYPHEN_KEPT = "hyphen-kept"
HYPHEN_ELISION = "hyphen-elision"
URL_JOINED = "url-joined"
OCR_DIACRITIC = "ocr-diacritic"
FOOTNOTE_MARKER = "footnote-marker"
PAGE_JOIN = "page-join"


# ----------------------------------------------------------------------- inputs


def read_documents(
    paths: Iterable[str], *, repair: bool = True, source_side: bool = False
) -> Iterator[Document]:
    """Read each input in turn (a generator, for progress bars). Folders are expanded
    by `glossary.reading.sources.gather`; the files it skips are left out here, so
    commands call `gather` themselves and name them."""
    for path in sources.gather(paths, source_side=source_side).files:
        yield read_document(path, repair=repair, source_side=source_side)


def read_document(
    path: str, *, repair: bool = True, text: str | None = None, source_side: bool = False
) -> Document:
    """Read one document: "-" is stdin; `text`, when given, is used instead of the file.

    The format comes from the content and the name (`glossary.files.formats`):
    plain text, Markdown and HTML are read here; a bilingual file, a
    termbase or a format without a reader is refused with a hint (a
    bilingual file is read as its source side with `source_side=True`).
    `repair=False` turns off OCR diacritic repair; hyphenation, footnotes
    and furniture are always handled.
    """
    data = None if text is None else text.encode("utf-8")
    return sources.load(path, repair=repair, source_side=source_side, data=data, limit=MAX_BYTES)


# ---------------------------------------------------------------------- readers
# Registered in glossary.files.formats: read(data, name, *, repair) -> Document.

_BINARY_HINT = "Give a .txt, .md or .html file; extract the text of PDF or Word files first."


def read_text(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A plain-text document (text extracted from a PDF, or saved from a word processor).

    A file without blank lines whose lines are whole paragraphs (what Word's
    "Plain Text" saves) is read one paragraph per line, with a note.
    """
    decoded = decode_bytes(data, name, hint=_BINARY_HINT)
    warnings = list(decoded.warnings)
    if not decoded.text.strip():
        return _empty(name, warnings)
    lines = _text_lines(decoded.text)
    notes: tuple[str, ...] = ()
    if _one_paragraph_per_line(lines):
        lines = _paragraph_per_line(lines)
        notes = (
            f"{name}: no blank lines and a whole paragraph on each line (as Word saves plain "
            "text): each line is read as a paragraph.",
        )
    document = _Reader(name, decoded.text, lines, repair, warnings).document()
    return replace(document, notes=notes) if notes else document


def read_markdown(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A Markdown document: markup dropped, headings, items and footnotes kept as such."""
    decoded = decode_bytes(data, name, hint=_BINARY_HINT)
    warnings = list(decoded.warnings)
    if not decoded.text.strip():
        return _empty(name, warnings)
    document = _Reader(name, decoded.text, _markdown_lines(decoded.text), repair, warnings)
    return replace(document.document(), format="markdown", original=data)


def read_laid_out(
    name: str,
    text: str,
    hints: dict[int, str],
    *,
    repair: bool = True,
    warnings: list[str] | None = None,
) -> Document:
    """Text whose layout a reader already knows (a PDF's lines, in reading order):
    `text` has one line per line of the page, blank lines between blocks and a
    form feed at each page break, as `pdftotext` writes it; `hints` gives the
    role of a line by its number ("furniture": page furniture; "footnote": the
    first line of a footnote; "heading"). The same clean-up as for plain text
    follows (hyphens, page joins, footnote markers, OCR diacritics)."""
    lines = _text_lines(text)
    for line in lines:
        if line.text:
            line.hint = hints.get(line.no, "")
    return _Reader(name, text, lines, repair, list(warnings or [])).document()


def _empty(name: str, warnings: list[str]) -> Document:
    warnings.append(f"{name}: the file is empty; nothing to read.")
    return Document(path=name, paragraphs=(), warnings=tuple(warnings))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ------------------------------------------------------------------------ lines


@dataclass(slots=True)
class _Line:
    """One non-blank source line, stripped; offsets into the original text."""

    text: str
    no: int
    offset: int  # original offset of text[0]
    end: int  # original offset after the line's text
    lead: bool = False  # indented in the source
    trail: bool = False  # trailing whitespace in the source
    page: bool = False  # a form feed (page break) on this line
    exact: bool = True  # text maps character by character onto the original
    # From markup or layout: "heading", "item", "footnote", "furniture", or "body"
    # (a block of running text whose kind the layout decided: not a heading by shape).
    hint: str = ""


def _text_lines(text: str) -> list[_Line]:
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    lines: list[_Line] = []
    offset = 0
    for no, raw in enumerate(text.split(sep), 1):
        content = raw[:-1] if raw.endswith("\r") else raw
        page = "\f" in content
        if page:
            content = content.replace("\f", " ")
        stripped = content.strip()
        if stripped:
            lead = len(content) - len(content.lstrip())
            lines.append(
                _Line(
                    stripped,
                    no,
                    offset + lead,
                    offset + lead + len(stripped),
                    lead=lead > 0,
                    trail=content[-1].isspace(),
                    page=page,
                )
            )
        else:
            lines.append(_Line("", no, offset, offset, page=page))
        offset += len(raw) + 1
    return lines


# A line this long is a paragraph, not a line of wrapped text.
_PARAGRAPH_LINE = 120
_WRAP_HYPHEN = re.compile(r"\w-$")


def _one_paragraph_per_line(lines: list[_Line]) -> bool:
    """Is this text one paragraph per line with no blank lines (Word's "Plain Text")?

    Wrapped text (PDF extraction) has short lines that mostly end inside a
    sentence, or blank lines between paragraphs; here at least one line is
    longer than any wrapped line and nearly every line ends a sentence or is
    a short heading before a new paragraph.
    """
    content = [i for i, line in enumerate(lines) if line.text]
    if len(content) < 2 or content[-1] - content[0] + 1 != len(content):
        return False
    texts = [lines[i].text for i in content]
    if any(lines[i].page for i in content) or max(map(len, texts)) <= _PARAGRAPH_LINE:
        return False
    complete = 0
    for k, text in enumerate(texts):
        if _WRAP_HYPHEN.search(text):
            return False  # a word broken at the line end: wrapped text
        following = texts[k + 1] if k + 1 < len(texts) else ""
        ends = bool(_TERMINAL.search(text)) or text.endswith(";")
        heading = len(text.split()) <= _HEADING_MAX_WORDS and (
            not following or following[:1].isupper() or following[:1].isdigit()
        )
        complete += ends or heading
    return complete >= 0.75 * len(texts)


def _paragraph_per_line(lines: list[_Line]) -> list[_Line]:
    """The lines with a blank line after each, so every line is a block of its own."""
    out: list[_Line] = []
    for line in lines:
        out.append(line)
        if line.text:
            out.append(_Line("", line.no, line.end, line.end))
    return out


# Markdown: line-based, so line numbers stay right.
_MD_FENCE = re.compile(r"^(```|~~~)")
_MD_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_SETEXT = re.compile(r"^(?:=+|-+)$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
_MD_LINKDEF = re.compile(r"^\[[^\]^]+\]:\s+\S")
_MD_NOTEDEF = re.compile(r"^\[\^(\d+)\]:\s*(.*)$")
_MD_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_MD_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+\S")
_MD_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[\^(\d+)\]"), r"[^\1]"),  # footnote refs, handled below
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),
)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MD_NOTEREF = re.compile(r"\[\^(\d+)\]")


def _md_inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        if pattern.pattern.startswith(r"\[\^"):
            continue
        text = pattern.sub(repl, text)
    # Footnote references become superscripts, which the marker rules remove.
    return _MD_NOTEREF.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)


def _markdown_lines(text: str) -> list[_Line]:
    lines = _text_lines(text)
    fence = False
    for i, line in enumerate(lines):
        t = line.text
        if not t:
            continue
        if _MD_FENCE.match(t):
            fence = not fence
            line.text = ""
            continue
        if fence or _MD_RULE.match(t) or _MD_LINKDEF.match(t):
            if (
                _MD_SETEXT.match(t)
                and i > 0
                and lines[i - 1].text
                and (i < 2 or not lines[i - 2].text)
            ):
                lines[i - 1].hint = "heading"
            line.text = ""
            continue
        if _MD_SETEXT.match(t) and i > 0 and lines[i - 1].text:
            lines[i - 1].hint = "heading"
            line.text = ""
            continue
        while t.startswith(">"):
            t = t[1:].lstrip()
        if m := _MD_HEADING.match(t):
            t, line.hint = m.group(1), "heading"
        elif m := _MD_NOTEDEF.match(t):
            t, line.hint = f"{m.group(1)} {m.group(2)}", "footnote"
        elif m := _MD_BULLET.match(t):
            t, line.hint = m.group(1), "item"
        elif _MD_NUMBERED.match(t):
            line.hint = "item"
        t = _md_inline(t).strip()
        if t != line.text:
            line.text, line.exact, line.lead = t, False, False
    return lines


# ----------------------------------------------------------------------- blocks


@dataclass(slots=True)
class _Block:
    lines: list[_Line]
    gap: int  # blank lines before it
    page: bool  # a page break before it
    kind: str = "main"  # "main", "footnote", "furniture"
    note: str = ""  # footnote label ("1", "*") of the footnote it belongs to
    starts_note: bool = False


_TERMINAL = re.compile(r"[.?!:][\"'”’»)\]]*$")
_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-•–▪●◦*]|\([a-z0-9]\)|[a-z]\))\s+\S")
_ALLCAPS = re.compile(r"^[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,5}$")
_NOTE_START = re.compile(
    r"^(?:(?P<num>\d{1,3})\s+(?=[A-ZÀ-ÖØ-Þ]|https?://|www\.)"
    r"|(?P<sym>\*(?=\S)|[†‡](?=\s*\S))"  # "*De OVSE-groep"; "* punt" is a bullet
    r"|(?P<sup>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(?=\S))"
)
_FURNITURE_LINE = re.compile(
    r"^(?:onze referentie|uw referentie|referentie|ons kenmerk|uw kenmerk|kenmerk|"
    r"datum|bijlage\(?n?\)?|contactpersoon|doorkiesnummer|onze ref\.?)\s*:?$"
    r"|^(?:pagina|blad|page)\s+\d+(?:\s*(?:van|/|of)\s*\d+)?$"
    r"|^[-–—]\s*\d{1,4}\s*[-–—]$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$",
    re.IGNORECASE,
)
# A footnote's label where the layout (a PDF's small print at the foot of a page)
# already says it is a footnote.
_LAID_NOTE = re.compile(r"^(\d{1,3}|[*†‡]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)[.)]?\s*(?=\S)")
_REFERENCE_CODE = re.compile(r"^[A-Z0-9]{2,}(?:[-/.][A-Z0-9]+)+$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _is_furniture_line(text: str) -> bool:
    if len(text) > 40:
        return False
    if _FURNITURE_LINE.match(text):
        return True
    if len(text) >= 10 and _REFERENCE_CODE.match(text):
        digits = sum(c.isdigit() for c in text)
        letters = sum(c.isalpha() for c in text)
        return digits >= 3 and letters >= 3
    return False


def _is_allcaps_heading(text: str) -> bool:
    return (
        len(text) <= 80
        and text.isupper()
        and bool(_ALLCAPS.match(text))
        and sum(c.isalpha() for c in text) >= 5
    )


def _is_item_start(line: _Line) -> bool:
    text = line.text
    m = _ITEM.match(text)
    if not m:
        return False
    rest = text[m.end() - 1 :]
    return rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in "\"'“‘„("


def _starts_block(block: _Block, line: _Line) -> bool:
    """Does `line` start a new block although no blank line precedes it?"""
    prev = block.lines[-1]
    if line.page or line.hint or prev.hint == "heading":
        return True
    if _is_furniture_line(line.text) != _is_furniture_line(prev.text):
        return True
    if _is_allcaps_heading(line.text) or _is_allcaps_heading(prev.text):
        return True
    if line.lead:
        if block.lines[0].exact and _NOTE_START.match(block.lines[0].text):
            return True  # text resumes after a footnote (seed 004, line 156)
        if _TERMINAL.search(prev.text):
            return True
    if not _is_item_start(line):
        return False
    # A list without blank lines: each item starts a block.
    return line.lead or ends_sentence(prev.text) or _is_item_start(block.lines[0])


def _split_blocks(lines: list[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    gap = 0
    page = False
    for line in lines:
        if line.page:
            page = True
        if not line.text:
            gap += 1
            current = None
            continue
        if current is not None and not _starts_block(current, line):
            current.lines.append(line)
            continue
        current = _Block([line], gap, page or gap >= 2)
        blocks.append(current)
        gap = 0
        page = False
    return blocks


@dataclass(slots=True)
class _NoteRun:
    """The footnotes of one numbering run; concatenated documents restart at 1."""

    numbers: set[int] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    last_line: int = 0


def _classify_blocks(blocks: list[_Block]) -> list[_NoteRun]:
    """Mark footnote and furniture blocks; return the footnote numbering runs.

    A block's `note` is "<run>:<label>", so footnote 1 of a second letter in
    the same file is not footnote 1 of the first.
    """
    runs: list[_NoteRun] = []
    expected = 1
    note = ""
    for i, block in enumerate(blocks):
        first = block.lines[0]
        if (
            first.hint == "furniture"
            or all(_is_furniture_line(line.text) for line in block.lines)
            or (len(block.lines) == 1 and _PAGE_NUMBER.match(first.text) and first.exact)
        ):
            block.kind = "furniture"
            continue
        label = ""
        m = _NOTE_START.match(first.text) if first.exact or first.hint == "footnote" else None
        laid = _LAID_NOTE.match(first.text) if first.hint == "footnote" else None
        if first.hint == "footnote" and m and m.group("num"):
            label = m.group("num")
        elif laid:  # the layout says it is a footnote (a PDF): any label will do
            label = laid.group(1).translate(_FROM_SUPERSCRIPT)
        elif m and i > 0 and not first.hint:
            if m.group("num"):
                number = int(m.group("num"))
                # 1 again after other footnotes: a new document in the same file.
                if number in (expected, expected + 1) or number == 1:
                    label = str(number)
            elif m.group("sup"):
                label = m.group("sup").translate(_FROM_SUPERSCRIPT)
            else:
                label = m.group("sym")
        if label:
            if not runs or (label == "1" and expected > 1):
                runs.append(_NoteRun())
                expected = 1
            run = runs[-1]
            if label.isdigit():
                run.numbers.add(int(label))
                expected = int(label) + 1
            run.labels.add(label)
            run.last_line = first.no
            block.kind, block.starts_note = "footnote", True
            block.note = f"{len(runs) - 1}:{label}"
            # Numbered footnotes of PDF text may run on into more blocks (seed 004,
            # footnote 3); an asterisk note or a Markdown footnote is one block.
            note = block.note if label.isdigit() and not first.hint else ""
            continue
        if (
            note
            and not block.page
            and not first.lead
            and not first.hint
            and not first.text[:1].islower()
            and not _is_item_start(first)
        ):
            block.kind, block.note = "footnote", note  # the footnote goes on
            continue
        note = ""
    return runs


# ---------------------------------------------------------------------- units


@dataclass(eq=False)
class _Unit:
    """A paragraph in the making: its lines, and what interrupted it."""

    kind: str
    lines: list[_Line]
    note: str = ""
    starts_note: bool = False
    joins: list[int] = field(default_factory=list)  # line indices after a page join
    side: list[_Unit] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    text: str = ""
    pieces: _Pieces | None = None


def _without_trailing_marker(text: str) -> str:
    return re.sub(r"(?<=[.!?])[\d!#°®*&€†‡¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}$", "", text)


def _continues(unit: _Unit, block: _Block) -> bool:
    """Does `block` continue `unit` across a page break, footnotes or furniture?"""
    first = block.lines[0]
    if first.hint not in ("", "body") or _is_item_start(first):
        return False
    last = _without_trailing_marker(unit.lines[-1].text)
    if ends_sentence(last):
        return False
    if first.text[:1].islower():
        return True
    # A long unfinished paragraph goes on after a page break even before a capital
    # ("... gesprek met" / "Minister Hoekstra"); short ones are headings.
    words = sum(len(line.text.split()) for line in unit.lines)
    interrupted = block.page or bool(unit.side)
    return interrupted and words > _HEADING_MAX_WORDS


# ----------------------------------------------------------------- text pieces


class _Pieces:
    """Cleaned text built from pieces that remember where they came from."""

    __slots__ = ("c_start", "exact", "length", "line", "o_end", "o_start", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.c_start: list[int] = []
        self.o_start: list[int] = []
        self.o_end: list[int] = []
        self.exact: list[bool] = []
        self.line: list[int] = []
        self.length = 0

    def add(self, text: str, o_start: int, o_end: int, line: int, exact: bool) -> None:
        if not text:
            return
        self.parts.append(text)
        self.c_start.append(self.length)
        self.o_start.append(o_start)
        self.o_end.append(o_end)
        self.exact.append(exact and len(text) == o_end - o_start)
        self.line.append(line)
        self.length += len(text)

    def drop_last_char(self) -> None:
        last = self.parts[-1]
        self.parts[-1] = last[:-1]
        self.length -= 1
        if self.exact[-1]:
            self.o_end[-1] -= 1
        if not self.parts[-1]:
            for column in (
                self.parts,
                self.c_start,
                self.o_start,
                self.o_end,
                self.exact,
                self.line,
            ):
                column.pop()

    def text(self) -> str:
        return "".join(self.parts)

    def _at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.c_start, pos) - 1)

    def origin(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(original start, original end, first line, last line) of text[start:end]."""
        i = self._at(start)
        j = self._at(end - 1)
        o_start = self.o_start[i] + (start - self.c_start[i] if self.exact[i] else 0)
        o_end = self.o_start[j] + (end - self.c_start[j]) if self.exact[j] else self.o_end[j]
        return o_start, o_end, self.line[i], self.line[j]


# ------------------------------------------------------------ markers and OCR

# Symbols OCR makes of superscript footnote numbers.
_MARKER_SYMBOLS = "!#°®©*&€†‡§"
_SPECIAL = re.compile(
    r"(?P<ws>\s{2,}|[^\S ])"
    r"|(?P<soft>\u00ad)"
    r"|(?P<lig>[\ufb00-\ufb06])"
    r"|(?P<dash>[\u2010\u2011])"
    r"|(?P<dot>(?<=\.)[!#°®©*&€†‡§]{1,2}(?=[\s\"'”’)]|$))"
    r"|(?P<num>(?<=[^\W\d_]\.)\d{1,3}(?=\s|$)|(?<=\d\d\.)\d{1,3}(?=\s*$|\s+[A-Z]))"
    r"|(?P<sym>(?<=[^\W\d_])[*&€°†‡]{1,2}(?=[\s.,;:!?\"'”’)]|$))"
    r"|(?P<sup>(?<=\S)[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})"
)
# Cheap test for lines that need `_SPECIAL` at all (most lines do not).
_SPECIAL_HINT = re.compile(
    r"[^\S ]| {2}|[\u00ad\ufb00-\ufb06\u2010\u2011!#°®©*&€†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]|\.\d"
)
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_OCR_SWAPS = {
    "é": "ë", "è": "ë", "ê": "ë", "í": "ï", "ì": "ï", "ó": "ö", "ò": "ö", "ú": "ü", "ù": "ü",
    "É": "Ë", "È": "Ë", "Í": "Ï", "Ó": "Ö", "Ú": "Ü",
}  # fmt: skip
_OCR_CHARS = re.compile("[" + "".join(_OCR_SWAPS) + "]")
_OCR_TOKEN = re.compile(r"[^\W\d_]*[" + "".join(_OCR_SWAPS) + r"][^\W\d_]*")
# Repair when the original is unknown or this many Zipf points rarer (100x).
_OCR_MARGIN = 2.0


@lru_cache(maxsize=65536)
def repair_word(word: str) -> str | None:
    """The OCR diacritic repair of one token, or None when it needs none.

    "Armenié" -> "Armenië", "beéindigen" -> "beëindigen"; "één", "Genève"
    and "café" are known words and stay. A candidate replaces acute, grave
    or circumflex accents by a diaeresis (é/è/ê -> ë, í -> ï, ó -> ö, ú -> ü);
    the most frequent known candidate wins when the original is unknown or
    at least 100 times rarer. Case is kept.
    """
    positions = [i for i, c in enumerate(word) if c in _OCR_SWAPS]
    if not positions or len(word) < 3:
        return None
    original = lexicon.zipf(word)
    best: str | None = None
    best_zipf = 0.0
    combos = 1 << min(len(positions), 4)
    for mask in range(1, combos):
        chars = list(word)
        for bit, pos in enumerate(positions[:4]):
            if mask >> bit & 1:
                chars[pos] = _OCR_SWAPS[chars[pos]]
        candidate = "".join(chars)
        z = lexicon.zipf(candidate)
        if z > best_zipf:
            best, best_zipf = candidate, z
    if best is None or best_zipf < lexicon.MIN_ZIPF:
        return None
    if original and best_zipf - original < _OCR_MARGIN:
        return None
    return best


# ------------------------------------------------------------------ hyphenation

_CONJUNCTIONS = frozenset({"en", "of", "tot", "als", "noch", "en/of"})
_DIGRAPHS = _words("aa ai au ee ei eu ie ii ij oe oi oo ou ui uu")
_TREMA = {"a": "ä", "e": "ë", "i": "ï", "o": "ö", "u": "ü"}
# Prefixes written with a hyphen in Dutch ("non-gouvernementeel", "oud-minister").
_HYPHEN_PREFIXES = frozenset({"non", "ex", "oud", "niet"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_OPEN_PUNCT = "\"'“‘„«([{"
_CLOSE_PUNCT = "\"'”’»)]}.,;:!?"
_URL_START = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_URL_PART = re.compile(r"^[\w\-./?=&%#~+:;@]+$")


def _is_acronym(part: str) -> bool:
    letters = [c for c in part if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class _Decision:
    action: str  # "join", "keep", "elision"
    rule: str
    first: str = ""  # replacement for the first character of the next line


class _Hyphenation:
    """Decides what a line-end hyphen is, with the document's own usage as evidence."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower: set[str] | None = None
        self._cased: set[str] | None = None
        self._cache: dict[tuple[str, str, str], _Decision] = {}

    def _evidence(self) -> tuple[set[str], set[str]]:
        if self._lower is None or self._cased is None:
            tokens = set(_WORD.findall(self._text))
            self._lower = {t.lower() for t in tokens}
            self._cased = {part for t in tokens for part in t.split("-")}
        return self._lower, self._cased

    def decide(self, left_full: str, right_full: str, next_word: str) -> _Decision:
        key = (left_full, right_full, next_word if right_full in _CONJUNCTIONS else "")
        decision = self._cache.get(key)
        if decision is None:
            decision = self._decide(left_full, right_full, next_word)
            self._cache[key] = decision
        return decision

    def _decide(self, left_full: str, right_full: str, next_word: str) -> _Decision:
        left = left_full.rsplit("-", 1)[-1]
        right = right_full.split("-", 1)[0]
        if _URL_START.search(left_full):
            return _Decision("keep", "inside a URL")
        if not left or not right or not right[0].isalnum():
            return _Decision("keep", "not a word break")
        joined = left + right
        if right_full in _CONJUNCTIONS and (
            not lexicon.is_word(joined)
            or (lexicon.is_word(left) and next_word.islower() and len(next_word) >= 8)
        ):
            return _Decision("elision", "'X- en Y': the parts share a last word")
        if left[-1].isdigit() or right[0].isdigit():
            return _Decision("keep", "a digit next to the hyphen")
        if _is_acronym(left) or _is_acronym(right):
            return _Decision("keep", "an acronym next to the hyphen")
        if right[0].isupper():
            return _Decision("keep", "a capital after the hyphen (a name)")
        if "-" in left_full or "-" in right_full:
            if lexicon.is_word(joined):
                return _Decision("join", "the joined part is a word")
            return _Decision("keep", "part of a hyphenated compound")
        lower, cased = self._evidence()
        if f"{left}-{right}".lower() in lower:
            return _Decision("keep", "written with a hyphen elsewhere in the document")
        if joined.lower() in lower:
            return _Decision("join", "written as one word elsewhere in the document")
        if lexicon.is_hyphenated_word(f"{left}-{right}"):
            return _Decision("keep", "a hyphenated word in the lexicon")
        first = right[0]
        if (left[-1] + first).lower() in _DIGRAPHS:
            trema = _TREMA.get(first)
            if trema and lexicon.is_word(left + trema + right[1:]):
                return _Decision("join", "the joined form takes a diaeresis", first=trema)
            if lexicon.zipf(joined) >= 3.0 and not left[0].isupper():
                return _Decision("join", "the joined form is a common word")
            return _Decision("keep", "a vowel clash (de-escalatie)")
        if lexicon.is_word(joined):
            return _Decision("join", "the joined form is a word")
        if left.lower() in _HYPHEN_PREFIXES:
            return _Decision("keep", f"the prefix '{left.lower()}-' keeps its hyphen")
        if left[0].isupper() and left in cased and left.lower() not in cased:
            return _Decision("keep", "a name before the hyphen")
        return _Decision("join", "a line-break hyphen (joined form not in the lexicon)")


def _first_tokens(text: str) -> tuple[str, str]:
    words = text.split(None, 2)
    first = words[0].strip(_CLOSE_PUNCT) if words else ""
    second = words[1].strip(_CLOSE_PUNCT + _OPEN_PUNCT) if len(words) > 1 else ""
    return first, second


def _last_token(text: str) -> str:
    words = text.rsplit(None, 1)
    return words[-1].lstrip(_OPEN_PUNCT) if words else ""


# ----------------------------------------------------------------------- reader

_HEADING_MAX_WORDS = 15
_TITLE_MAX_WORDS = 30


class _Reader:
    """One document's reading; `document()` runs the steps in order."""

    def __init__(
        self, name: str, text: str, lines: list[_Line], repair: bool, warnings: list[str]
    ) -> None:
        self.name = name
        self.text = text
        self.lines = lines
        self.repair = repair
        self.warnings = warnings
        self.repairs: list[Repair] = []
        self.hyphenation = _Hyphenation(text)
        self.note_runs: list[_NoteRun] = []
        self.run = 0  # the footnote numbering run the running text is in
        self.next_note = 1

    def document(self) -> Document:
        for line in self.lines:
            if line.end - line.offset > LONG_LINE:
                self.warnings.append(
                    f"{self.name}:{line.no}: a line of {line.end - line.offset:,} characters; "
                    "text extracted from PDFs has short lines, so check that this is prose."
                )
                break
        blocks = _split_blocks(self.lines)
        self.note_runs = _classify_blocks(blocks)
        prelude, units = self._units(blocks)
        for unit in units:
            self._clean(unit)
            for side in unit.side:
                self._clean(side)
        for side in prelude:
            self._clean(side)
        for i, unit in enumerate(units):
            unit.kind = self._main_kind(unit, first=i == 0 and not prelude)
        paragraphs = self._paragraphs(self._ordered(prelude, units))
        self.repairs.sort(key=lambda r: r.line)
        return Document(
            path=self.name,
            paragraphs=tuple(paragraphs),
            repairs=tuple(self.repairs),
            warnings=tuple(self.warnings),
        )

    # -- structure

    def _units(self, blocks: list[_Block]) -> tuple[list[_Unit], list[_Unit]]:
        prelude: list[_Unit] = []
        units: list[_Unit] = []
        pending: _Unit | None = None
        for block in blocks:
            if block.kind != "main":
                side = _Unit(
                    block.kind, block.lines, note=block.note, starts_note=block.starts_note
                )
                (pending.side if pending else prelude).append(side)
                continue
            if pending is not None and _continues(pending, block):
                pending.joins.append(len(pending.lines))
                pending.lines.extend(block.lines)
                continue
            pending = _Unit("text", list(block.lines))
            units.append(pending)
        return prelude, units

    def _main_kind(self, unit: _Unit, first: bool) -> str:
        line = unit.lines[0]
        if line.hint in ("heading", "item"):
            return line.hint
        if line.hint == "body":
            return "text"
        if _is_item_start(line):
            return "item"
        text = unit.text
        words = len(text.split())
        if _is_allcaps_heading(text):
            return "heading"
        if not text[:1].isupper() and not text[:1].isdigit():
            return "text"
        unfinished = not text.rstrip().endswith((".", "?", "!", ":", ";", ","))
        if first and len(unit.lines) == 1 and words <= _TITLE_MAX_WORDS and unfinished:
            return "heading"
        if len(unit.lines) <= 2 and words <= _HEADING_MAX_WORDS and unfinished:
            return "heading"
        if len(unit.lines) == 1 and words <= 2 and text.endswith(".") and not unit.side:
            return "heading"  # "Weloverwogen aanval."
        return "text"

    def _ordered(self, prelude: list[_Unit], units: list[_Unit]) -> list[_Unit]:
        """Main units in order, each followed by the footnotes it refers to."""
        groups: dict[str, list[_Unit]] = {}
        for unit in [*prelude, *(s for u in units for s in u.side)]:
            if unit.note:
                groups.setdefault(unit.note, []).append(unit)
        first_ref: dict[str, int] = {}
        for i, unit in enumerate(units):
            for label in unit.refs:
                first_ref.setdefault(label, i)
        out: list[_Unit] = []
        done: set[int] = set()

        def place(side: _Unit, at: int) -> None:
            if id(side) in done:
                return
            if side.note and first_ref.get(side.note, at) > at:
                return  # goes after the later paragraph that refers to it
            out.append(side)
            done.add(id(side))

        for side in prelude:
            place(side, -1)
        for i, unit in enumerate(units):
            out.append(unit)
            for label in unit.refs:
                for side in groups.get(label, []):
                    if id(side) not in done:
                        out.append(side)
                        done.add(id(side))
            for side in unit.side:
                place(side, i)
        return out

    def _paragraphs(self, units: list[_Unit]) -> list[Paragraph]:
        paragraphs: list[Paragraph] = []
        index = 0
        for unit in units:
            text, pieces = unit.text, unit.pieces
            if pieces is None or not text.strip():
                continue
            kind: Kind = _KINDS[unit.kind]
            if kind in ("heading", "furniture"):
                spans = [(len(text) - len(text.lstrip()), len(text.rstrip()))]
            else:
                spans = split_sentences(text)
            segments = []
            for start, end in spans:
                o_start, o_end, line, end_line = pieces.origin(start, end)
                segments.append(
                    Segment(
                        doc=self.name,
                        index=index,
                        paragraph=len(paragraphs),
                        text=text[start:end],
                        line=line,
                        end_line=end_line,
                        start=o_start,
                        end=o_end,
                        kind=kind,
                    )
                )
                index += 1
            paragraphs.append(
                Paragraph(
                    index=len(paragraphs),
                    kind=kind,
                    segments=tuple(segments),
                    line=segments[0].line,
                )
            )
        return paragraphs

    # -- clean-up

    def _clean(self, unit: _Unit) -> None:
        pieces = _Pieces()
        markers = unit.kind == "text"
        prev: _Line | None = None
        prev_text = ""
        soft_end = False
        for i, line in enumerate(unit.lines):
            parts, soft = self._line_parts(line, markers, unit)
            line_text = "".join(p[0] for p in parts)
            if prev is not None and line_text:
                if i in unit.joins:
                    self.repairs.append(
                        Repair(
                            prev.no,
                            f"{_last_token(prev_text)} | {_first_tokens(line_text)[0]}",
                            f"{_last_token(prev_text)} {_first_tokens(line_text)[0]}",
                            PAGE_JOIN,
                            f"the paragraph goes on at line {line.no} after a page break, "
                            "footnotes or page furniture",
                        )
                    )
                sep, first = self._junction(pieces, prev, prev_text, soft_end, line, line_text)
                if sep:
                    pieces.add(sep, prev.end, line.offset, prev.no, False)
                if first:
                    text0, o0, o1, exact0 = parts[0]
                    parts[0] = (first + text0[1:], o0, o1, exact0)
            for text, o_start, o_end, exact in parts:
                pieces.add(text, o_start, o_end, line.no, exact)
            if line_text:
                prev, prev_text, soft_end = line, line_text, soft
        unit.pieces = pieces
        unit.text = pieces.text()

    def _junction(
        self,
        pieces: _Pieces,
        prev: _Line,
        prev_text: str,
        soft_end: bool,
        line: _Line,
        line_text: str,
    ) -> tuple[str, str]:
        """How to join `line` to the text so far: (separator, new first character)."""
        if soft_end:
            self._note_hyphen(prev, _last_token(prev_text), line_text, HYPHEN_JOINED, "soft hyphen")
            return "", ""
        last = prev_text[-2:]
        if len(last) == 2 and last[1] == "-" and last[0].isalnum() and not prev.trail:
            left_full = _last_token(prev_text)[:-1]
            right_full, next_word = _first_tokens(line_text)
            decision = self.hyphenation.decide(left_full, right_full, next_word)
            if decision.action == "join":
                pieces.drop_last_char()
                reason, sep = HYPHEN_JOINED, ""
                right_shown = decision.first + right_full[1:] if decision.first else right_full
                result = f"{left_full}{right_shown}"
            elif decision.action == "elision":
                reason, sep, result = HYPHEN_ELISION, " ", f"{left_full}- {right_full}"
            else:
                reason, sep, result = HYPHEN_KEPT, "", f"{left_full}-{right_full}"
            self.repairs.append(
                Repair(prev.no, f"{left_full}-|{right_full}", result, reason, decision.rule)
            )
            return sep, decision.first
        token = _last_token(prev_text)
        if _URL_START.search(token) and not prev.trail:
            first, _ = _first_tokens(line_text)
            head = line_text.split(None, 1)[0] if line_text.split() else ""
            if token[-1] in "/_.=&?#%~" or (
                _URL_PART.match(head) and any(c in head for c in "/=&?") and head[:1].islower()
            ):
                self.repairs.append(
                    Repair(prev.no, f"{token}|{first}", f"{token}{first}", URL_JOINED, "URL")
                )
                return "", ""
        return " ", ""

    def _note_hyphen(self, prev: _Line, left: str, line_text: str, reason: str, rule: str) -> None:
        right, _ = _first_tokens(line_text)
        self.repairs.append(Repair(prev.no, f"{left}|{right}", f"{left}{right}", reason, rule))

    def _line_parts(
        self, line: _Line, markers: bool, unit: _Unit
    ) -> tuple[list[tuple[str, int, int, bool]], bool]:
        """The cleaned pieces of one line, and whether it ended in a soft hyphen."""
        text = line.text
        soft = text.endswith("\u00ad")
        if not line.exact:
            cleaned, _ = self._line_parts(_Line(text, line.no, 0, len(text)), markers, unit)
            flat = "".join(p[0] for p in cleaned)
            return ([(flat, line.offset, line.end, False)] if flat else []), soft
        base = line.offset
        parts: list[tuple[str, int, int, bool]] = []
        if _SPECIAL_HINT.search(text) and _SPECIAL.search(text):
            pos = 0
            for m in _SPECIAL.finditer(text):
                kind = m.lastgroup
                value = m.group()
                replacement: str | None
                if kind == "ws":
                    replacement = " "
                elif kind in ("soft",):
                    replacement = ""
                elif kind == "lig":
                    replacement = _LIGATURES.get(value, value)
                elif kind == "dash":
                    replacement = "-"
                else:
                    replacement = self._marker(
                        kind or "", value, text, m.start(), line, markers, unit
                    )
                if replacement is None:
                    continue
                if m.start() > pos:
                    parts.append((text[pos : m.start()], base + pos, base + m.start(), True))
                if replacement:
                    parts.append((replacement, base + m.start(), base + m.end(), False))
                pos = m.end()
            if pos < len(text):
                parts.append((text[pos:], base + pos, base + len(text), True))
        else:
            parts.append((text, base, base + len(text), True))
        if self.repair and _OCR_CHARS.search(text):
            parts = [(self._ocr(p[0], line), p[1], p[2], p[3]) for p in parts]
        return parts, soft

    def _marker(
        self, kind: str, value: str, text: str, at: int, line: _Line, markers: bool, unit: _Unit
    ) -> str | None:
        """ "" to remove a footnote marker, None to keep the text as it is."""
        if not markers:
            return None
        runs = self.note_runs
        while self.run < len(runs) - 1 and line.no > runs[self.run].last_line:
            self.run += 1  # past the last footnote of this run: the next one starts
            self.next_note = 1
        numbers = runs[self.run].numbers if runs else set()
        labels = runs[self.run].labels if runs else set()
        label = ""
        if kind == "num":
            number = int(value)
            if number not in numbers or number < self.next_note:
                return None
            label = value
            self.next_note = number + 1
        elif kind == "sup":
            number = int(value.translate(_FROM_SUPERSCRIPT))
            if number not in numbers:
                return None
            label = str(number)
            self.next_note = max(self.next_note, number + 1)
        elif kind == "dot":
            if self.next_note in numbers:
                label = str(self.next_note)
                self.next_note += 1
        elif kind == "sym" and value[0] in "*†‡" and value[0] in labels:
            label = value[0]
        if label:
            unit.refs.append(f"{self.run}:{label}")
        start = text.rfind(" ", 0, at) + 1
        end = text.find(" ", at)
        end = len(text) if end < 0 else end
        token = text[start:end]
        self.repairs.append(
            Repair(
                line.no,
                token,
                token[: at - start] + token[at - start + len(value) :],
                FOOTNOTE_MARKER,
                f"reference to footnote {label}" if label else "stray symbol after a word",
            )
        )
        return ""

    def _ocr(self, text: str, line: _Line) -> str:
        def fix(m: re.Match[str]) -> str:
            word = m.group()
            repaired = repair_word(word)
            if repaired is None:
                return word
            self.repairs.append(
                Repair(line.no, word, repaired, OCR_DIACRITIC, "known word with a diaeresis")
            )
            return repaired

        return _OCR_TOKEN.sub(fix, text)


_KINDS: dict[str, Kind] = {
    "text": "text",
    "heading": "heading",
    "item": "item",
    "footnote": "footnote",
    "furniture": "furniture",
}
