"""PDF files with a text layer: read with their layout, written back as Word (or text).

The text and the position and size of every character come from PDFium
(pypdfium2: fast, and it handles the PDFs of Word, LibreOffice, XPP, scanners'
OCR layers). The layout decides what is what before the text is read as
prose:

- lines: PDFium's text lines, split where a wide gap separates two columns
  on one baseline (the address column of a letter beside its text);
- page furniture: a line in the top or bottom band of a page that repeats on
  other pages (digits aside: "Pagina 2 van 5", "Tweede Kamer, vergaderjaar
  2019–2020, 35 538, nr. 4  2"), or a lone page number there. It is kept
  (not translated) and left out of a Word output;
- footnotes: lines at the foot of a page in a smaller font than the body
  text, starting with a label (a separate superscript label line is joined
  to its note); superscript digits in the body are footnote references;
- blocks: a new block starts where the vertical gap, the left edge, the
  column or the font size changes.

The lines then go through the same clean-up as extracted text
(`glossary.reading.ingest.read_laid_out`): hyphens at line ends, a
paragraph that a page break cuts (with furniture and footnotes between) is
joined again, footnote markers removed and each footnote placed after the
paragraph that refers to it, OCR diacritics repaired. Each segment says its
page ("p. 3").

A PDF without a text layer (a scan) is refused: OCR is not included. A
password-protected PDF is refused; one that opens without a password (only
editing restricted) is read.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Final

from glossary.document import Document
from glossary.documents.structure import PAGE_FURNITURE
from glossary.errors import InputError
from glossary.reading.segment import ends_sentence

# Furniture is looked for in these bands of the page height.
BAND: Final = 0.12
# A gap this many font sizes wide inside a line separates two columns.
COLUMN_GAP: Final = 3.0
# Footnote text is at most this share of the body text's font size.
SMALL: Final = 0.88

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$|^(?:pagina|blad|page)\s+\d+(?:\s*(?:van|/|of)\s*\d+)?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?:\d{1,3}|[*†‡]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?:[.)]|\s|$|(?=[^\W\d_]))")
_GLUED_LABEL = re.compile(r"^(\d{1,3})(?=[^\W\d_])")
_BULLET = re.compile(r"^(?:[•▪●◦■□–-]|\d{1,2}[.)]|\([a-z0-9]\)|[a-z][.)])\s+\S")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass
class Line:
    """One line (or one column's part of a line) of a page, in page coordinates
    (points, y up)."""

    page: int
    text: str
    x0: float
    x1: float
    y0: float  # bottom
    y1: float  # top
    size: float  # font size of its letters
    role: str = ""  # "furniture", "footnote", "footnote-more"
    bold: bool = False


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


# ------------------------------------------------------------------ extraction


def _open(data: bytes, name: str) -> object:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise InputError(
                f"{name} is password-protected; glossary cannot read it. Open it with its "
                "password and save (print to PDF) a copy without one, and give that file."
            ) from None
        raise InputError(
            f"{name} is damaged: it cannot be read as a PDF ({str(exc).rstrip('.')}). Ask "
            "for a new copy, or open it in a PDF reader and save it again."
        ) from None


def _page_lines(textpage: object, number: int, height: float) -> list[Line]:
    """The lines of one page: PDFium's text in its order, split at line breaks and
    at wide gaps; superscript digits become superscript characters."""
    import pypdfium2.raw as raw

    tp = textpage.raw  # type: ignore[attr-defined]
    count = raw.FPDFText_CountChars(tp)
    if count <= 0:
        return []
    text: str = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    if len(text) != count:  # characters outside the BMP: one call per character
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(count))
    left, right, bottom, top = (raw.c_double() for _ in range(4))
    lines: list[Line] = []
    chars: list[tuple[str, float, float, float, float, float]] = []

    def flush() -> None:
        if not chars:
            return
        sizes = Counter(round(c[5], 1) for c in chars if c[0].isalpha())
        if not sizes:
            sizes = Counter(round(c[5], 1) for c in chars if c[0].isalnum())
        size = sizes.most_common(1)[0][0] if sizes else max(c[5] for c in chars)
        # The baseline: where most letters stand (descenders and overshoots aside).
        bottoms = Counter(round(c[3], 0) for c in chars if c[0].isalpha())
        base = bottoms.most_common(1)[0][0] if bottoms else 0.0
        out: list[str] = []
        for ch, _x0, _x1, y0, _y1, char_size in chars:
            if ch.isdigit() and size and char_size < 0.8 * size and y0 > base + 0.15 * size:
                out.append(ch.translate(_SUPERSCRIPT))  # a footnote reference
            else:
                out.append(ch)
        visible = [c for c in chars if c[0].strip()]
        if visible:
            lines.append(
                Line(
                    number,
                    "".join(out).strip(),
                    min(c[1] for c in visible),
                    max(c[2] for c in visible),
                    min(c[3] for c in visible),
                    max(c[4] for c in visible),
                    float(size),
                    bold=first_weight[0] >= 600,
                )
            )
        chars.clear()
        first_weight[0] = 0
        scale[2] = 1.0

    last_x1 = None
    last_size = 0.0
    first_weight = [0]  # the font weight of the line's first letter
    # The last font size read, the text matrix's scale for it, and whether a new
    # line needs the matrix read again (1.0).
    scale = [0.0, 1.0, 1.0]
    matrix = raw.FS_MATRIX()
    for index in range(count):
        ch = text[index]
        if ch == "\ufffe" or ch == "\x02":
            ch = "-"  # PDFium's mark for a hyphen at the end of a line
        if ch in "\r\n":
            flush()
            last_x1 = None
            continue
        generated = raw.FPDFText_IsGenerated(tp, index) == 1
        if generated:
            if ch == " " and chars:
                chars.append((" ", 0.0, 0.0, 0.0, 0.0, 0.0))
            continue
        raw.FPDFText_GetCharBox(tp, index, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        font_size = raw.FPDFText_GetFontSize(tp, index)
        if font_size != scale[0] or scale[2] or ch.isdigit():
            # The text matrix scales the font (XPP sets every font to 1 point and
            # scales it); read it where the size may change: cheap enough.
            raw.FPDFText_GetMatrix(tp, index, matrix)
            factor = (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5 or 1.0
            if not ch.isdigit():
                scale[0], scale[1], scale[2] = font_size, factor, 0.0
        else:
            factor = scale[1]
        size = font_size * factor
        if ch.strip() and last_x1 is not None and chars:
            gap = x0 - last_x1
            if gap > COLUMN_GAP * max(size, last_size, 4.0) or gap < -5 * max(size, 4.0):
                flush()
        chars.append((ch, x0, x1, y0, y1, size))
        if ch.strip():
            last_x1, last_size = x1, size
            if not first_weight[0] and ch.isalpha():
                first_weight[0] = raw.FPDFText_GetFontWeight(tp, index) or 400
    flush()
    return lines


def _merge_baselines(lines: list[Line]) -> list[Line]:
    """Join pieces that PDFium broke off one line: a superscript footnote reference,
    or text after it, on the same baseline and close by."""
    merged: list[Line] = []
    for line in lines:
        if merged:
            last = merged[-1]
            size = max(last.size, line.size, 1.0)
            near = -0.5 * size < line.x0 - last.x1 < COLUMN_GAP * size
            raised = line.text.isdigit() and line.size < 0.8 * last.size
            same = abs(line.y0 - last.y0) < 0.35 * size
            overlap = line.y0 < last.y1 and line.y1 > last.y0
            if near and (same or (raised and overlap)):
                text = line.text.translate(_SUPERSCRIPT) if raised else line.text
                glue = "" if raised or text[:1] in "⁰¹²³⁴⁵⁶⁷⁸⁹.,;:)" else " "
                merged[-1] = Line(
                    last.page,
                    last.text + glue + text,
                    last.x0,
                    max(last.x1, line.x1),
                    min(last.y0, line.y0) if not raised else last.y0,
                    max(last.y1, line.y1) if not raised else last.y1,
                    last.size,
                    bold=last.bold,
                )
                continue
        merged.append(line)
    return merged


def extract(data: bytes, name: str) -> list[Page]:
    """The lines of every page (see `_page_lines`)."""
    import pypdfium2 as pdfium

    document = _open(data, name)
    pages: list[Page] = []
    try:
        for index in range(len(document)):  # type: ignore[arg-type]
            page = document[index]  # type: ignore[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    lines = _merge_baselines(_page_lines(textpage, index + 1, height))
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(Page(index + 1, width, height, lines))
    except pdfium.PdfiumError as exc:
        raise InputError(f"{name} is damaged: a page cannot be read ({exc}).") from None
    finally:
        document.close()  # type: ignore[attr-defined]
    return pages


# ----------------------------------------------------------------- layout


def _shape(text: str) -> str:
    """A line's text with digits and spacing made alike, to find repeats across pages."""
    return _SPACES.sub(" ", _DIGITS.sub("#", text)).strip().lower()


def _body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def mark_furniture(pages: list[Page]) -> None:
    """Lines in the top or bottom band that repeat on other pages, page numbers, and
    lines there beside the column of the running text (a colophon in the margin)."""
    in_band: dict[str, set[int]] = {}
    starts: Counter[int] = Counter()
    for page in pages:
        for line in page.lines:
            if _in_band(line, page):
                in_band.setdefault(_shape(line.text), set()).add(page.number)
            else:
                starts[round(line.x0)] += len(line.text)
    column = starts.most_common(1)[0][0] if starts else 0
    several = len(pages) > 1
    for page in pages:
        for line in page.lines:
            if not _in_band(line, page):
                continue
            text = line.text.strip()
            repeated = several and len(in_band.get(_shape(text), ())) > 1
            beside = line.x1 < column - 2  # wholly left of the running text's column
            if repeated or beside or _PAGE_NUMBER.match(text):
                line.role = "furniture"


def _in_band(line: Line, page: Page) -> bool:
    return line.y0 > page.height * (1 - BAND) or line.y1 < page.height * BAND


def mark_footnotes(pages: list[Page], body: float) -> None:
    """Small print at the foot of a page that starts with a label: footnotes."""
    for page in pages:
        lines = [line for line in page.lines if line.role != "furniture"]
        if not lines:
            continue
        body_lines = [line for line in lines if line.size >= SMALL * body]
        notes = False
        for i, line in enumerate(lines):
            below = any(
                b.y1 <= line.y0 and b.x0 < line.x1 and b.x1 > line.x0 for b in body_lines
            )  # running text below it in its column: not the foot of the page
            if line.size >= SMALL * body or below or line.y0 > page.height / 2:
                notes = False
                continue
            text = line.text
            starts = _LABEL.match(text) or (
                text.translate(_FROM_SUP).isdigit() and i + 1 < len(lines)
            )
            if starts:
                line.role = "footnote"
                notes = True
            elif notes:
                line.role = "footnote-more"


_FROM_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _pitch(lines: list[Line]) -> float:
    """The usual distance between two lines of running text on these pages."""
    pitches: Counter[float] = Counter()
    for a, b in itertools.pairwise(lines):
        gap = a.y0 - b.y0
        if abs(a.size - b.size) < 0.1 and 0.8 * a.size < gap < 2.5 * a.size:
            pitches[round(gap, 0)] += 1
    return pitches.most_common(1)[0][0] if pitches else 0.0


def _blocks(main: list[Line], pitch: float, ocr: bool) -> list[tuple[list[Line], str]]:
    """The running text of a page in blocks, each with its hint."""
    blocks: list[tuple[list[Line], str]] = []
    left = min((ln.x0 for ln in main), default=0.0)
    previous: Line | None = None
    for i, line in enumerate(main):
        # A line that shares its baseline with a neighbour is a table cell or a
        # column of its own: a block by itself.
        cell = any(
            _beside(line, other) for other in main[max(0, i - 3) : i + 4] if other is not line
        )
        bullet = bool(_BULLET.match(line.text))
        if previous is None or cell or bullet or _new_block(previous, line, left, pitch, ocr):
            blocks.append(([line], "item" if bullet else ""))
        else:
            blocks[-1][0].append(line)
        previous = None if cell else line
    return blocks


def _hint(lines: list[Line], hint: str, body: float, ocr: bool) -> str:
    if hint:
        return hint
    if ocr:
        return "body"  # an OCR layer's sizes and weights say nothing
    first = lines[0]
    text = " ".join(ln.text for ln in lines)
    short = len(text.split()) <= 15 and len(lines) <= 2 and not text.rstrip().endswith(".")
    if first.size > 1.15 * body and len(text.split()) <= 30:
        return "heading"
    if first.bold and all(ln.bold for ln in lines) and short:
        return "heading"
    return "body"


def _layout_text(pages: list[Page], body: float) -> tuple[str, dict[int, str], dict[int, int]]:
    """The lines as text for `read_laid_out`: blocks separated by blank lines, pages
    by form feeds; the hints by line number, and the page of each line number."""
    out: list[str] = []
    hints: dict[int, str] = {}
    page_of: dict[int, int] = {}

    def emit(text: str, page: int, hint: str = "") -> None:
        out.append(text)
        number = len(out)
        page_of[number] = page
        if hint:
            hints[number] = hint

    def blank() -> None:
        if out and out[-1] not in ("", "\f"):
            out.append("")

    every = [ln for p in pages for ln in p.lines if not ln.role]
    pitch = _pitch(every)
    # An OCR layer (invisible text over a scan) has flat boxes and sizes scaled to
    # fit each line: its sizes and weights are not read as layout.
    flat = sum(1 for ln in every if ln.y1 - ln.y0 < 0.3 * max(ln.size, 1.0))
    ocr = bool(every) and flat > 0.6 * len(every)
    for index, page in enumerate(pages):
        if index:
            out.append("\f")
        top = [ln for ln in page.lines if ln.role == "furniture" and ln.y0 > page.height / 2]
        bottom = [ln for ln in page.lines if ln.role == "furniture" and ln.y0 <= page.height / 2]
        notes = [ln for ln in page.lines if ln.role.startswith("footnote")]
        main = [ln for ln in page.lines if not ln.role]
        for line in top:
            blank()
            emit(line.text, page.number, "furniture")
        blank()
        left = min((ln.x0 for ln in main), default=0.0)
        for lines, hint in _blocks(main, pitch, ocr):
            blank()
            for k, line in enumerate(lines):
                indent = line.x0 - left > 0.8 * max(line.size, 1.0)
                emit(
                    ("  " if indent else "") + line.text,
                    page.number,
                    _hint(lines, hint, body, ocr) if k == 0 else "",
                )
        pending_label = ""
        for line in notes:
            text = line.text
            if line.role == "footnote" or pending_label:
                if text.translate(_FROM_SUP).isdigit():
                    pending_label = text.translate(_FROM_SUP)
                    continue
                blank()
                label = pending_label
                pending_label = ""
                if label:
                    text = f"{label} {text}"
                elif text[:1] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
                    digits = re.match(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)
                    assert digits is not None
                    text = f"{digits.group().translate(_FROM_SUP)} {text[digits.end() :]}"
                text = _GLUED_LABEL.sub(r"\1 ", text)
                emit(text, page.number, "footnote")
            else:
                emit(text, page.number)
        for line in bottom:
            blank()
            emit(line.text, page.number, "furniture")
        blank()
    return "\n".join(out) + "\n", hints, page_of


def _beside(line: Line, other: Line) -> bool:
    """Two lines on one baseline, side by side (columns, table cells)."""
    size = max(line.size, other.size, 1.0)
    return abs(line.y0 - other.y0) < 0.35 * size and (other.x0 >= line.x1 or line.x0 >= other.x1)


def _new_block(previous: Line, line: Line, left: float, usual: float, ocr: bool = False) -> bool:
    size = max(previous.size, line.size, 1.0)
    pitch = previous.y0 - line.y0
    if ocr and not ends_sentence(previous.text) and -0.5 * size < pitch < 2.5 * size:
        return False  # an OCR layer's sizes and gaps are rough: a sentence goes on
    if not ocr and (abs(previous.size - line.size) > 0.15 * size or previous.bold != line.bold):
        return True  # a heading, or back from one
    limit = 1.3 * usual if usual and abs(previous.size - size) < 0.1 else 1.75 * size
    if pitch < -0.5 * size or pitch > limit:
        return True  # a paragraph gap, or a jump up (a new column)
    if abs(line.x0 - previous.x0) > 0.6 * size and line.x0 - left > 8 * size:
        return True  # another column
    return line.x0 > previous.x1  # beside the previous line: a column of its own


# ------------------------------------------------------------------ reading


def read(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A PDF's text layer as paragraphs of segments (see the module doc)."""
    from glossary.reading.ingest import read_laid_out

    pages = extract(data, name)
    letters = sum(1 for p in pages for ln in p.lines for c in ln.text if c.isalpha())
    if not pages or letters == 0:
        raise InputError(
            f"{name} has no text layer (a scanned document?): there is no text to read. "
            "OCR is not included in glossary; run a tool such as ocrmypdf on it first and "
            "give the result."
        )
    warnings: list[str] = []
    empty = [p.number for p in pages if not any(ln.text.strip() for ln in p.lines)]
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        warnings.append(
            f"{name}: page(s) {shown} have no text layer (scanned?); their text is missing. "
            "OCR is not included in glossary."
        )
    body = _body_size(pages)
    mark_furniture(pages)
    mark_footnotes(pages, body)
    text, hints, page_of = _layout_text(pages, body)
    document = read_laid_out(name, text, hints, repair=repair, warnings=warnings)
    paragraphs = []
    repeated = {
        n for n, hint in hints.items() if hint == "furniture"
    }  # line numbers of page furniture
    for paragraph in document.paragraphs:
        segments = tuple(
            replace(s, location=f"p. {page_of.get(s.line, 1)}") for s in paragraph.segments
        )
        anchor = (
            PAGE_FURNITURE
            if paragraph.kind == "furniture" and all(s.line in repeated for s in segments)
            else ""
        )
        paragraphs.append(replace(paragraph, segments=segments, anchor=anchor))
    return replace(
        document,
        paragraphs=tuple(paragraphs),
        format="pdf",
        notes=(
            *document.notes,
            f"{name}: read from its text layer with its layout ({len(pages)} page"
            f"{'s' if len(pages) != 1 else ''}); page headers, footers and numbers are kept "
            "out of the sentences.",
        ),
    )
