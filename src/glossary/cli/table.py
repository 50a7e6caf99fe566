"""Tables and highlighted text for the terminal: fit the width, wrap, never cut.

A cell is a `str` or a `Text`: text with marked spans (start, end, style)
that are shown in colour. Colour is written with Click styles; `click.echo`
drops it when the output is not a terminal, so piped output is plain.

Width: the terminal's when the output is one, else `$COLUMNS` when set,
else none (piped output keeps each row on one line, so grep finds it whole).
Columns wider than their share are wrapped at spaces (a word longer than the
column is split); nothing is ever cut off. A column listed in `keep` is
never narrower than its longest line, so a term in it is never broken.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import click

# Style names the commands use, and how they look.
STYLES: dict[str, dict[str, Any]] = {
    "term": {"fg": "yellow", "bold": True},  # the term searched or checked, in a source
    "wrong": {"fg": "red", "bold": True},  # what is wrong in a translation
    "good": {"fg": "green", "bold": True},  # the correct English
    "key": {"fg": "cyan", "bold": True},  # a key to press
    "ref": {"fg": "blue"},  # file:line
    "dim": {"dim": True},
    "header": {"bold": True},
}
GAP = 2  # spaces between columns
WORD = 16  # words up to this long are never split when a column shrinks


@dataclass(frozen=True)
class Text:
    """Text with spans to show in a style: (start, end, style name)."""

    text: str
    marks: tuple[tuple[int, int, str], ...] = ()

    def __str__(self) -> str:
        return self.text


Cell = str | Text


def as_text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def style(text: str, name: str) -> str:
    return click.style(text, **STYLES[name]) if text else text


def paint(text: Text, start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` with its marks styled."""
    end = len(text.text) if end is None else end
    out: list[str] = []
    pos = start
    for m_start, m_end, name in sorted(text.marks):
        a, b = max(m_start, pos), min(m_end, end)
        if a >= b:
            continue
        out.append(text.text[pos:a])
        out.append(style(text.text[a:b], name))
        pos = b
    out.append(text.text[pos:end])
    return "".join(out)


def output_width(err: bool = False) -> int | None:
    """Columns to fit: `$COLUMNS`, else the terminal's, else None (not a terminal)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    stream: TextIO = sys.stderr if err else sys.stdout
    try:
        if stream.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


_WORD = re.compile(r"\S+")


def wrap(text: str, width: int | None) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped at spaces to `width`
    (a word longer than `width` is split); explicit line breaks are kept."""
    lines: list[tuple[int, int]] = []
    offset = 0
    for part in text.split("\n"):
        base = offset
        offset += len(part) + 1
        if width is None or len(part) <= width:
            lines.append((base, base + len(part)))
            continue
        start: int | None = None
        end = 0
        for word in _WORD.finditer(part):
            w_start, w_end = word.span()
            if start is not None and w_end - start <= width:
                end = w_end
                continue
            if start is not None:
                lines.append((base + start, base + end))
            while w_end - w_start > width:
                lines.append((base + w_start, base + w_start + width))
                w_start += width
            start, end = w_start, w_end
        lines.append((base + start, base + end) if start is not None else (base, base))
    return lines


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _natural_and_floor(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    keep: Sequence[int],
    mins: Sequence[int],
) -> tuple[list[int], list[int]]:
    """Each column's natural width (its longest line) and its floor: its header,
    and its `mins` entry or its longest word up to `WORD` letters, whichever is
    larger (never more than the natural width); a `keep` column's longest line."""
    natural = [len(h) for h in headers]
    words = [0] * len(headers)
    for row in rows:
        for i, cell in enumerate(row):
            text = str(cell)
            natural[i] = max(natural[i], _longest_line(text))
            words[i] = max(words[i], _longest_word(text))
    floor = []
    for i, header in enumerate(headers):
        if i in keep:
            floor.append(natural[i])
        else:
            floor.append(max(len(header), min(natural[i], max(mins[i], min(words[i], WORD)))))
    return natural, floor


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    width: int | None,
    *,
    keep: Sequence[int] = (),
    min_width: int | Sequence[int] = 12,
    prefer: Sequence[int] = (),
) -> list[int]:
    """Each column's width: its longest line, or, to fit `width`, its floor (see
    `_natural_and_floor`), then for `prefer` columns what they need, then a
    share of the room left in proportion to what more it would take. When even
    the floors do not fit, the widest floors give way (words are split), down
    to the headers."""
    mins = [min_width] * len(headers) if isinstance(min_width, int) else list(min_width)
    natural, floor = _natural_and_floor(headers, rows, keep, mins)
    if width is None:
        return natural
    available = width - GAP * (len(headers) - 1)
    if sum(natural) <= available:
        return natural
    extra = available - sum(floor)
    if extra < 0:  # even the floors do not fit: the widest give way, down to their headers
        least = [min(n, max(len(h), 3)) for n, h in zip(natural, headers, strict=True)]
        while sum(floor) > available:
            giving = [i for i in range(len(floor)) if floor[i] > least[i]]
            if not giving:
                return floor
            floor[max(giving, key=lambda i: floor[i])] -= 1
        return floor
    # Preferred columns first get what they need, as far as the room goes; then
    # each column gets the room left in proportion to how much more it would
    # take: long sentences get the most.
    for i in prefer:
        give = min(natural[i] - floor[i], extra)
        floor[i] += give
        extra -= give
    want = [n - f for n, f in zip(natural, floor, strict=True)]
    total = sum(want)
    if not total:
        return floor
    shares = [extra * w / total for w in want]
    widths = [f + int(share) for f, share in zip(floor, shares, strict=True)]
    left = available - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: int(shares[i]) - shares[i])[:left]:
        widths[i] += 1
    return widths


def _floors_fit(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    shown: Sequence[int],
    mins: Sequence[int],
    keep: Sequence[int],
    width: int,
) -> bool:
    _, floor = _natural_and_floor(
        [headers[i] for i in shown],
        [[row[i] for i in shown] for row in rows],
        [shown.index(i) for i in keep if i in shown],
        [mins[i] for i in shown],
    )
    return sum(floor) + GAP * (len(shown) - 1) <= width


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int | None = None,
    keep: Sequence[int] = (),
    min_width: int | Sequence[int] = 12,
    drop: Sequence[int] = (),
    prefer: Sequence[int] = (),
) -> str:
    """Aligned columns under a header, fitted to `width` (None: as wide as needed).

    When the columns do not fit even at their floors, the columns in `drop`
    are left out, in that order, until they do. Columns in `prefer` get their
    whole width first when there is room for it. Rows that take several
    lines are separated by a blank line.
    """
    mins = [min_width] * len(headers) if isinstance(min_width, int) else list(min_width)
    shown = list(range(len(headers)))
    for column in drop:
        if width is None or _floors_fit(headers, rows, shown, mins, keep, width):
            break
        shown.remove(column)
    if len(shown) < len(headers):
        headers = [headers[i] for i in shown]
        rows = [[row[i] for i in shown] for row in rows]
        keep = [shown.index(i) for i in keep if i in shown]
        prefer = [shown.index(i) for i in prefer if i in shown]
        mins = [mins[i] for i in shown]
    widths = column_widths(headers, rows, width, keep=keep, min_width=mins, prefer=prefer)
    rendered: list[list[str]] = []
    tall = False
    for row in rows:
        columns: list[list[str]] = []
        for i, cell in enumerate(row):
            text = as_text(cell)
            lines = wrap(text.text, widths[i])
            columns.append(
                [paint(text, a, b) + " " * (widths[i] - (b - a)) for a, b in lines] or [""]
            )
        height = max(len(c) for c in columns)
        tall = tall or height > 1
        for n in range(height):
            parts = [c[n] if n < len(c) else " " * widths[i] for i, c in enumerate(columns)]
            rendered.append([(" " * GAP).join(parts).rstrip()])
        rendered.append([])
    head = (" " * GAP).join(
        style(h, "header") + " " * (w - len(h)) for h, w in zip(headers, widths, strict=True)
    )
    rule = (" " * GAP).join("-" * w for w in widths)
    out = [head.rstrip(), rule]
    for line in rendered:
        if line:
            out.append(line[0])
        elif tall:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
