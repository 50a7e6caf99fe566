"""Markdown: read with its inline formatting as codes, written back with its markup.

The file is parsed with markdown-it-py (CommonMark, with GFM tables, the
footnotes and front matter of mdit-py-plugins). Every paragraph, heading
(ATX or setext), table cell and footnote definition with text is a
paragraph of the document; a list item's paragraphs are items, a footnote
follows the paragraph that first refers to it. Front matter, fenced and
indented code, HTML blocks, link definitions and rules are not read.

Inline markup is kept out of the text, as inline codes (the `Run`s of
`glossary.documents.structure`, as for HTML, Word and OpenDocument):
emphasis (`*x*`, `_x_`, `**x**`, `__x__`), links (`[text](url "title")`,
`[text][ref]`, `[text]`) and images (`![alt](src)`: the alt text is
translated) are pairs of codes around their words; inline code, autolinks
(`<https://…>`), inline HTML tags and footnote references (`[^1]`) are
points, so code is never translated and no URL reaches the engine, the
miner or a concordance. A hard line break separates pieces that are
translated apart; escaped characters (`\\*`) and entities are text.

markdown-it-py gives no source positions inside a paragraph, so each
inline rule is wrapped to record where its tokens start and end (the
rules themselves are unchanged): every piece of markup is then copied from
the source byte for byte. markdown-it-py runs in linear time on hostile
input (long runs of `[`, `*`, `_`, backticks, unclosed links).

The writer parses the file again, puts each paragraph's translation into
the same stretches (`structure.distribute`, as every writer does, so
reordering by the engine moves words, never markup), and writes the
paragraph on one line after its own block markup taken from its first
line (`## `, `- `, `1. `, `> `, `[^1]: `, indentation; closing `#`s and a
setext underline kept); a hard break goes on as the next line with that
line's own prefix. Changed text is escaped where it could read as markup.
Emphasis around nothing is dropped; spaces at its edges go outside it.
Everything else is copied as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, Final

from glossary.document import Document, Kind, Paragraph, Repair, TranslatedDocument
from glossary.document import TranslatedSegment as _Translated
from glossary.documents.structure import Block, Run, build_document, distribute, runs_text
from glossary.errors import OutputError
from glossary.files.inputs import decode_bytes

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

_HINT: Final = "Give a .md file."
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_HEADING_MARK: Final = re.compile(r"^[^#]*?#{1,6}(?:[ \t]+|$)")
_PREFIX: Final = re.compile(
    r"^(?:[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]?|\[\^[^\]]+\]:[ \t]*))*[ \t]*"
)
_SOFT: Final = re.compile(r"[ \t]*\n[ \t]*")
_OCR_WORD: Final = re.compile(r"[^\W\d_]+")
EMPHASIS: Final = {"em": "italic", "strong": "bold"}
ATOM_LABELS: Final = {
    "code_inline": "code",
    "html_inline": "html",
    "footnote_ref": "footnote",
    "autolink": "link",
}


# ------------------------------------------------------------------ the parser


def _positioned(name: str, rule: Callable[[StateInline, bool], bool]) -> Any:
    """The inline rule `rule`, recording in each token it makes where its markup
    lies in the paragraph's source (`meta["at"] = (start, end)`)."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        if not rule(state, silent):
            return False
        if silent:
            return True
        new = state.tokens[count:]
        end = state.pos
        if name == "emphasis":
            width = end - start
            for k, token in enumerate(new[-width:]):
                token.meta["at"] = (start + k, start + k + 1)
        elif name in ("link", "image") and new:
            opener = next((t for t in new if t.type in ("link_open", "image")), None)
            if opener is not None and "at" not in opener.meta:
                label = state.md.helpers.parseLinkLabel(
                    state, start + (1 if name == "image" else 0), name == "link"
                )
                inner = start + (2 if name == "image" else 1)
                opener.meta["at"] = (start, end)
                opener.meta["inner"] = (inner, label if label >= 0 else inner)
                closer = new[-1]
                if name == "link" and closer.type == "link_close":
                    closer.meta["at"] = (label if label >= 0 else end, end)
                    opener.meta["at"] = (start, inner)
        else:
            for token in new:
                if token.type != "text" and "at" not in token.meta:
                    token.meta["at"] = (start, end)
            opener = next((t for t in new if t.type == "link_open"), None)
            if name == "autolink" and opener is not None:
                opener.meta["autolink"] = True
        return True

    return wrapped


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The markdown-it-py parser the reader and the writer share."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")
    md.use(front_matter_plugin).use(footnote_plugin, inline=False)
    md.core.ruler.disable("text_join")  # escapes and entities stay tokens of their own
    for rule in md.inline.ruler.__rules__:
        md.inline.ruler.at(rule.name, _positioned(rule.name, rule.fn))
        if not rule.enabled:
            md.inline.ruler.disable(rule.name)
    return md


# ------------------------------------------------------------------- the runs


@dataclass
class _Mark:
    """Markup between runs: copied from the source, dropped with an empty emphasis."""

    text: str
    pair: int = -1  # the emphasis it opens or closes
    side: str = ""  # "open", "close"


@dataclass
class _Inline:
    """One paragraph's runs and the markup between them, in source order."""

    runs: list[Run] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # each run's source text
    breaks: dict[int, int] = field(default_factory=dict)  # sep run -> its line in the content
    order: list[int | _Mark] = field(default_factory=list)  # run indexes and marks
    notes: list[str] = field(default_factory=list)  # footnote labels referred to


def _inline(content: str, children: Sequence[Token]) -> _Inline:
    out = _Inline()
    chain: list[tuple[str, str]] = []  # (key, label) of the open formatting
    pairs: list[int] = []
    cursor = 0
    shown: list[str] = []
    skip_until = -1

    def key() -> tuple[str, str]:
        names: list[str] = []
        for _, label in chain:
            if label not in names:
                names.append(label)
        return "|".join(k for k, _ in chain), "+".join(names)

    def flush(until: int) -> None:
        nonlocal cursor
        source = content[cursor:until]
        if source or shown:
            k, label = key()
            out.order.append(len(out.runs))
            out.runs.append(Run("text", "".join(shown).replace("\t", " "), k, label))
            out.sources.append(source)
        shown.clear()
        cursor = max(cursor, until)

    def mark(start: int, end: int, pair: int = -1, side: str = "") -> None:
        nonlocal cursor
        flush(start)
        out.order.append(_Mark(content[start:end], pair, side))
        cursor = end

    for index, token in enumerate(children):
        if index <= skip_until:
            continue
        at = token.meta.get("at")
        kind = token.type
        if kind in ("text", "text_special"):
            shown.append(token.content)
        elif kind == "softbreak":
            shown.append(" ")
        elif at is None:
            shown.append(token.content)
        elif kind == "hardbreak":
            flush(at[0])
            out.breaks[len(out.runs)] = content.count("\n", 0, at[1])
            out.order.append(len(out.runs))
            out.runs.append(Run("sep", "\n"))
            out.sources.append(content[at[0] : at[1]])
            cursor = at[1]
        elif kind in ("em_open", "strong_open"):
            start = at[0] - (1 if kind == "strong_open" else 0)
            pairs.append(index)
            mark(start, at[1], index, "open")
            chain.append((f"{token.tag}#{index}", EMPHASIS[token.tag]))
        elif kind in ("em_close", "strong_close"):
            end = at[1] + (1 if kind == "strong_close" else 0)
            pair = pairs.pop() if pairs else -1
            mark(at[0], end, pair, "close")
            if chain:
                chain.pop()
        elif kind == "link_open" and token.meta.get("autolink"):
            depth = 0
            for j in range(index, len(children)):
                depth += children[j].nesting
                if depth == 0:
                    skip_until = j
                    break
            _atom(out, content, at, "link", flush, shown)
            cursor = at[1]
        elif kind == "link_open":
            mark(at[0], at[1])
            chain.append((f"link#{index}", "link"))
        elif kind == "link_close":
            mark(at[0], at[1])
            if chain:
                chain.pop()
        elif kind == "image":
            inner = token.meta.get("inner", (at[1], at[1]))
            mark(at[0], inner[0])
            chain.append((f"image#{index}", "image"))
            shown.append(token.content)
            flush(inner[1])
            chain.pop()
            mark(inner[1], at[1])
        else:  # code, HTML, a footnote reference: a point
            if kind == "footnote_ref":
                out.notes.append(str(token.meta.get("label", "")))
            _atom(out, content, at, ATOM_LABELS.get(kind, "code"), flush, shown)
            cursor = at[1]
    flush(len(content))
    return out


def _atom(
    out: _Inline,
    content: str,
    at: tuple[int, int],
    label: str,
    flush: Callable[[int], None],
    shown: list[str],
) -> None:
    flush(at[0])
    out.order.append(len(out.runs))
    out.runs.append(Run("atom", label=label))
    out.sources.append(content[at[0] : at[1]])


# ------------------------------------------------------------------ the blocks


@dataclass
class _Found:
    """A paragraph of the file: where it is, its runs."""

    kind: Kind
    lines: tuple[int, int]  # 0-based first line and number of content lines
    inline: _Inline
    content: str
    heading: str = ""  # "atx", "setext"
    cell: int = -1  # the cell's number in its table row
    where: str = ""
    note: str = ""  # the footnote label it defines


def _found(text: str) -> list[_Found]:
    """Every paragraph with inline content, in the order of the token stream."""
    tokens = parser().parse(text, {})
    out: list[_Found] = []
    items = 0
    note = ""
    heading = ""
    table = 0
    cell = -1
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            items += 1
        elif kind == "list_item_close":
            items -= 1
        elif kind == "footnote_open":
            note = str(token.meta.get("label", ""))
        elif kind == "footnote_close":
            note = ""
        elif kind == "heading_open":
            heading = "atx" if token.markup.startswith("#") else "setext"
        elif kind == "heading_close":
            heading = ""
        elif kind == "table_open":
            table += 1
        elif kind == "tr_open":
            cell = -1
        elif kind in ("th_open", "td_open"):
            cell += 1
        elif kind in ("th_close", "td_close"):
            pass
        elif kind == "table_close":
            cell = -1
        elif kind == "inline" and token.map is not None:
            first, last = token.map
            in_cell = tokens[i - 1].type in ("th_open", "td_open")
            count = (last - first - (1 if heading == "setext" else 0)) if not in_cell else 1
            found_kind: Kind = (
                "heading" if heading else "footnote" if note else "item" if items else "text"
            )
            where = f"footnote {note}" if note else f"table {table}" if in_cell else ""
            out.append(
                _Found(
                    found_kind,
                    (first, max(count, 1)),
                    _inline(token.content, token.children or []),
                    token.content,
                    heading,
                    cell if in_cell else -1,
                    where,
                    note,
                )
            )
    return out


def _repair(found: list[_Found]) -> list[Repair]:
    """The OCR diacritic repair of reading (`glossary.reading.ingest.repair_word`)
    on the text runs ("Armenié" -> "Armenië"); the same length, so the runs'
    sources still line up."""
    from glossary.reading.ingest import OCR_DIACRITIC, repair_word

    repairs: list[Repair] = []
    for f in found:
        for run in f.inline.runs:
            if run.kind != "text" or not run.text:
                continue

            def fix(m: re.Match[str], line: int = f.lines[0] + 1) -> str:
                word = m.group()
                repaired = repair_word(word)
                if repaired is None or len(repaired) != len(word):
                    return word
                repairs.append(
                    Repair(line, word, repaired, OCR_DIACRITIC, "known word with a diaeresis")
                )
                return repaired

            run.text = _OCR_WORD.sub(fix, run.text)
    return repairs


def read(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A Markdown file as paragraphs of segments with inline codes (see the module doc)."""
    decoded = decode_bytes(data, name, hint=_HINT)
    warnings = list(decoded.warnings)
    if not decoded.text.strip():
        warnings.append(f"{name}: the file is empty; nothing to read.")
        return Document(path=name, paragraphs=(), warnings=tuple(warnings), format="markdown")
    found = _found(decoded.text)
    repairs = _repair(found) if repair else []
    blocks = [
        Block(
            runs_text(f.inline.runs),
            f.kind,
            f"md#{n}",
            f.where,
            tuple(f.inline.runs),
            f.lines[0] + 1,
        )
        for n, f in enumerate(found)
    ]
    # A footnote goes right after the paragraph that first refers to it.
    notes: dict[str, list[int]] = {}
    for n, f in enumerate(found):
        if f.note:
            notes.setdefault(f.note, []).append(n)
    order: list[int] = []
    placed: set[int] = set()

    def place(n: int) -> None:
        if n in placed:
            return
        placed.add(n)
        order.append(n)
        for label in found[n].inline.notes:
            for m in notes.get(label, []):
                place(m)

    for n, f in enumerate(found):
        if not f.note:
            place(n)
    for n in range(len(found)):
        place(n)
    document = build_document(
        name, [blocks[n] for n in order], format="markdown", original=data, warnings=warnings
    )
    return replace(document, repairs=tuple(repairs)) if repairs else document


# ------------------------------------------------------------------ the writer

_ESCAPE: Final = re.compile(r"[\\`*\[\]]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_LINE_START: Final = re.compile(r"^(?:[#>+=-]|\d{1,9}(?=[.)]))")


def _escape(text: str, cell: bool) -> str:
    text = _ESCAPE.sub(lambda m: "\\" + m.group(), text)
    return text.replace("|", "\\|") if cell else text


def _line_start(text: str) -> str:
    """A line's text that cannot be read as block markup."""
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    m = _LINE_START.match(body)
    if m is None:
        return text
    if body[:1].isdigit():
        end = m.end()
        return text[:lead] + body[:end] + "\\" + body[end:]
    return text[:lead] + "\\" + body


def _render(inline: _Inline, texts: Mapping[int, str], prefixes: Sequence[str], cell: bool) -> str:
    """The paragraph's markup with the new text of its runs."""
    pieces: list[tuple[str, _Mark | None]] = []
    for item in inline.order:
        if isinstance(item, _Mark):
            pieces.append((item.text, item))
            continue
        run = inline.runs[item]
        source = inline.sources[item]
        if run.kind == "sep":
            line = inline.breaks.get(item, 0)
            prefix = prefixes[line] if line < len(prefixes) else ""
            style = "\\" if source.startswith("\\") else "  "
            pieces.append((style + "\n" + prefix, None))
        elif run.kind == "atom":
            pieces.append((_SOFT.sub(" ", source), None))
        else:
            new = texts.get(item, run.text)
            pieces.append((_SOFT.sub(" ", source) if new == run.text else _escape(new, cell), None))
    # An emphasis around nothing goes; spaces at its edges go outside it.
    inner: dict[int, str] = {}
    open_at: dict[int, int] = {}
    for k, (_text, m) in enumerate(pieces):
        if m is not None and m.side == "open":
            open_at[m.pair] = k
        elif m is not None and m.side == "close" and m.pair in open_at:
            inner[m.pair] = "".join(t for t, _ in pieces[open_at[m.pair] + 1 : k])
    out: list[str] = []
    for k, (text, m) in enumerate(pieces):
        if m is None or m.pair < 0 or m.pair not in inner:
            out.append(text)
            continue
        if not inner[m.pair].strip():
            continue
        if m.side == "open":
            nxt = k + 1
            if nxt < len(pieces) and pieces[nxt][1] is None:
                body = pieces[nxt][0]
                lead = body[: len(body) - len(body.lstrip(" "))]
                pieces[nxt] = (body[len(lead) :], None)
                out.append(lead)
            out.append(text)
        else:
            if out and k > 0 and pieces[k - 1][1] is None:
                body = out[-1]
                trail = body[len(body.rstrip(" ")) :]
                out[-1] = body[: len(body) - len(trail)]
                out.append(text + trail)
            else:
                out.append(text)
    return _line_start("".join(out))


def _prefixes(lines: Sequence[str], first: int, content: str) -> list[str]:
    """The block markup before each content line of a paragraph, from its source lines."""
    out: list[str] = []
    for k, part in enumerate(content.split("\n")):
        if first + k >= len(lines):
            break
        line = lines[first + k].rstrip("\r\n").rstrip()
        part = part.strip()
        if part and line.endswith(part):
            out.append(line[: len(line) - len(part)])
        else:
            m = _PREFIX.match(line)
            out.append(m.group() if m else "")
    return out


def _cells(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell's text in a table row (between unescaped pipes)."""
    bounds = [-1]
    escaped = False
    for i, c in enumerate(line):
        if c == "|" and not escaped:
            bounds.append(i)
        escaped = c == "\\" and not escaped
    bounds.append(len(line))
    pieces = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
    if line.lstrip(" \t>").startswith("|"):
        pieces = pieces[1:]
    return pieces


def _put(
    f: _Found,
    paragraph: Paragraph,
    translated: Mapping[int, _Translated],
    lines: list[str],
    replaced: dict[int, tuple[int, str]],
    cells: dict[int, dict[int, str]],
) -> None:
    runs = f.inline.runs
    if runs_text(runs) != paragraph.source:
        _repair([f])
        if runs_text(runs) != paragraph.source:
            return  # the file changed since it was read: leave the paragraph
    texts = distribute(runs, paragraph, translated)
    if texts is None:
        return
    first, count = f.lines
    if first in replaced or first + count > len(lines):
        return
    prefixes = _prefixes(lines, first, f.content)
    body = _render(f.inline, texts, prefixes, f.cell >= 0)
    if f.cell >= 0:
        cells.setdefault(first, {})[f.cell] = body
        return
    head = lines[first].rstrip("\r\n")
    tail = ""
    if f.heading == "atx":
        m = _HEADING_MARK.match(head)
        start = m.end() if m else 0
        at = head.find(f.content.strip(), start) if f.content.strip() else -1
        mark = head[:start]
        if at >= 0:
            mark, tail = head[:at], head[at + len(f.content.strip()) :]
    else:
        mark = prefixes[0] if prefixes else ""
    end = lines[first + count - 1]
    ending = end[len(end.rstrip("\r\n")) :]
    replaced[first] = (first + count - 1, mark + body + tail + ending)


def translated_text(document: TranslatedDocument) -> str:
    """The Markdown file with each translated paragraph written back (see the module doc)."""
    source = document.document
    if source.format != "markdown" or not source.original:
        raise OutputError(
            f"{source.path}: a Markdown translation is written from a Markdown file only; "
            "choose another output format."
        )
    text = decode_bytes(source.original, source.path).text
    lines = _LINE.findall(text)
    found = _found(text)
    translated = {ts.segment.index: ts for ts in document.segments}
    replaced: dict[int, tuple[int, str]] = {}
    cells: dict[int, dict[int, str]] = {}
    for paragraph in source.paragraphs:
        number = paragraph.anchor.removeprefix("md#")
        if number.isdigit() and int(number) < len(found):
            _put(found[int(number)], paragraph, translated, lines, replaced, cells)
    for row, new in cells.items():
        line = lines[row]
        body = line.rstrip("\r\n")
        bounds = _cells(body)
        for k in sorted(new, reverse=True):
            if k >= len(bounds):
                continue
            start, end = bounds[k]
            old = body[start:end]
            lead = old[: len(old) - len(old.lstrip())] or " "
            trail = old[len(old.rstrip()) :] or " "
            body = body[:start] + lead + new[k] + trail + body[end:]
        replaced[row] = (row, body + line[len(line.rstrip("\r\n")) :])
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replaced:
            last, new_line = replaced[i]
            out.append(new_line)
            i = last + 1
            continue
        out.append(lines[i])
        i += 1
    return "".join(out)


def write(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Write one translated Markdown file."""
    if len(docs) != 1:
        raise OutputError("A Markdown file holds one document: use --out-dir for several.")
    stream.write(translated_text(docs[0]))
