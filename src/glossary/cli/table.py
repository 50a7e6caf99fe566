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


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    width: int | None,
    *,
    keep: Sequence[int] = (),
    min_width: int | Sequence[int] = 12,
) -> list[int]:
    """Each column's width: its longest line, shrunk (widest first) to fit `width`.

    A column shrinks down to its header, `min_width` (one for all columns,
    or one per column) or its longest word, whichever is smaller than its
    natural width; a `keep` column not below its longest line.
    """
    mins = [min_width] * len(headers) if isinstance(min_width, int) else list(min_width)
    natural = [len(h) for h in headers]
    floor = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            text = str(cell)
            natural[i] = max(natural[i], _longest_line(text))
            if i in keep:
                floor[i] = max(floor[i], _longest_line(text))
    if width is None:
        return natural
    for i in range(len(headers)):
        if i not in keep:
            words = max((_longest_word(str(row[i])) for row in rows), default=0)
            floor[i] = max(floor[i], min(natural[i], mins[i], max(words, 1)))
        floor[i] = min(floor[i], natural[i])
    widths = list(natural)
    available = width - GAP * (len(headers) - 1)
    while sum(widths) > available:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int | None = None,
    keep: Sequence[int] = (),
    min_width: int | Sequence[int] = 12,
) -> str:
    """Aligned columns under a header, fitted to `width` (None: as wide as needed).

    Rows that take several lines are separated by a blank line.
    """
    widths = column_widths(headers, rows, width, keep=keep, min_width=min_width)
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
    lines = [head.rstrip(), rule]
    for line in rendered:
        if line:
            lines.append(line[0])
        elif tall:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
