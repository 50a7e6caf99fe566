"""Word documents (DOCX): read paragraph by paragraph, translated in place at the XML level.

A .docx is a ZIP package of XML parts (`glossary.files.archive` opens it
with limits). The reader walks every `w:p` of the main document, the
headers and footers, the footnotes and endnotes, in document order, with
tables, lists, content controls, hyperlinks and text boxes (inside
`mc:Choice`; the `mc:Fallback` copy of a text box gets the same translation
when written). A paragraph's text is the text of its runs (`w:t`), with
`w:tab` as a tab and `w:br`/`w:cr` as a line break: pieces between them are
translated apart. Deleted text of tracked changes (`w:del`, `w:moveFrom`)
and field codes are not read; inserted text is. Comments
(`word/comments.xml`) are not read and stay as they are; macros are never
run and their part is copied unchanged.

Kinds: headings by their style (`heading N`, `Title`, `Subtitle`, whatever
the style's id in the user's language, e.g. "Kop1") or outline level; list
items by their numbering (`w:numPr`, also through the style); footnotes and
endnotes; a paragraph without letters (a page number field, "–") is kept as
it is. Each segment says where it is: "p. 3" (the page where Word last laid
it out, from `w:lastRenderedPageBreak`, when the file has them), "table 2",
"footnote 1", "header", "text box". A footnote follows the paragraph that
refers to it.

The writer opens the original package again, puts each paragraph's
translation into the paragraph's runs and copies every other part byte for
byte: styles, numbering, images, comments, settings, relationships. In a
paragraph, the translation of each piece goes into the first run of the
piece that has letters (so it keeps that run's formatting), the other text
runs of the piece are emptied; tabs, breaks, footnote references, images,
bookmarks and fields stay where they are. The language marks (`w:lang`)
that say Dutch are set to English (en-GB), so Word checks the spelling in
English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Final

from glossary.document import Document, Kind, Paragraph, TranslatedDocument, TranslatedSegment
from glossary.documents.structure import (
    PAGE_FURNITURE,
    Block,
    Run,
    build_document,
    distribute,
)
from glossary.errors import InputError, OutputError
from glossary.files.archive import Package, open_package, rewrite
from glossary.files.safexml import parse

if TYPE_CHECKING:
    from lxml import etree

LABEL: Final = "Word document (DOCX)"
W_MAIN: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT: Final = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
PKG_REL: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TARGET_LANGUAGE: Final = "en-GB"

# Relationship types (the last part of the type URI) of the parts that are read.
_PART_TYPES: Final = ("header", "footer", "footnotes", "endnotes")


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


# ---------------------------------------------------------------- the package


@dataclass
class _Part:
    """One XML part that holds paragraphs."""

    name: str  # "word/document.xml"
    role: str  # "body", "header", "footer", "footnotes", "endnotes"
    root: etree._Element
    ns: str


@dataclass
class _Word:
    """A Word package opened: the parts with paragraphs, and the style table."""

    package: Package
    main: str
    parts: list[_Part] = field(default_factory=list)
    styles: dict[str, _Style] = field(default_factory=dict)
    ns: str = W_MAIN


def _xml(package: Package, member: str) -> etree._Element:
    tree = parse(package.read(member), f"{package.name} (part {member})", keep=True)
    return tree.getroot()


def _relationships(package: Package, owner: str) -> list[tuple[str, str]]:
    """(type suffix, target member) of the internal relationships of part `owner`."""
    folder = PurePosixPath(owner).parent
    rels = str(folder / "_rels" / (PurePosixPath(owner).name + ".rels"))
    if not package.has(rels):
        return []
    found: list[tuple[str, str]] = []
    for rel in _xml(package, rels).iter(_q(PKG_REL, "Relationship")):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        member = target.lstrip("/") if target.startswith("/") else str(folder / target)
        found.append((kind, _normalise(member)))
    return found


def _normalise(member: str) -> str:
    parts: list[str] = []
    for part in member.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _open(data: bytes, name: str) -> _Word:
    package = open_package(data, name, LABEL)
    main = next(
        (target for kind, target in _relationships(package, "") if kind == "officeDocument"),
        "word/document.xml",
    )
    if not package.has(main):
        raise InputError(
            f"{name} is not a complete {LABEL}: it has no main document part ({main}). "
            "Open it in Word and save it again."
        )
    word = _Word(package, main)
    root = _xml(package, main)
    ns = etree_ns(root)
    if ns not in (W_MAIN, W_STRICT):
        raise InputError(
            f"{name}: its main part is not WordprocessingML (root element {root.tag}); "
            "it is not a Word document. Open it in its program and save it as .docx."
        )
    word.ns = ns
    word.parts.append(_Part(main, "body", root, ns))
    for kind, target in sorted(set(_relationships(package, main)), key=lambda r: r[1]):
        if kind in _PART_TYPES and package.has(target):
            part_root = _xml(package, target)
            word.parts.append(_Part(target, kind, part_root, etree_ns(part_root)))
        elif kind == "styles" and package.has(target):
            word.styles = _read_styles(_xml(package, target), ns)
    return word


def etree_ns(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


# ------------------------------------------------------------------ styles


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str
    outline: int | None
    numbered: bool


_HEADING_NAME = re.compile(r"^(?:heading \d|title|subtitle)$", re.IGNORECASE)


def _read_styles(root: etree._Element, ns: str) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    for style in root.iter(_q(ns, "style")):
        if style.get(_q(ns, "type")) != "paragraph":
            continue
        style_id = style.get(_q(ns, "styleId"), "")
        name_el = style.find(_q(ns, "name"))
        based = style.find(_q(ns, "basedOn"))
        ppr = style.find(_q(ns, "pPr"))
        outline = None
        numbered = False
        if ppr is not None:
            level = ppr.find(_q(ns, "outlineLvl"))
            if level is not None and (level.get(_q(ns, "val")) or "").isdigit():
                outline = int(level.get(_q(ns, "val"), "9"))
            num = ppr.find(_q(ns, "numPr"))
            if num is not None:
                num_id = num.find(_q(ns, "numId"))
                numbered = num_id is None or num_id.get(_q(ns, "val")) != "0"
        styles[style_id] = _Style(
            name_el.get(_q(ns, "val"), "") if name_el is not None else "",
            based.get(_q(ns, "val"), "") if based is not None else "",
            outline,
            numbered,
        )
    return styles


def _style_chain(styles: dict[str, _Style], style_id: str) -> Iterator[_Style]:
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        style_id = style.based_on


def _kind(p: etree._Element, word: _Word, role: str) -> Kind:
    if role in ("footnotes", "endnotes"):
        return "footnote"
    ns = word.ns
    ppr = p.find(_q(ns, "pPr"))
    style_id = ""
    if ppr is not None:
        level = ppr.find(_q(ns, "outlineLvl"))
        value = level.get(_q(ns, "val"), "9") if level is not None else "9"
        if value.isdigit() and int(value) < 9:
            return "heading"
        style = ppr.find(_q(ns, "pStyle"))
        style_id = style.get(_q(ns, "val"), "") if style is not None else ""
    chain = list(_style_chain(word.styles, style_id))
    if any(_HEADING_NAME.match(s.name) or (s.outline is not None and s.outline < 9) for s in chain):
        return "heading"
    if ppr is not None:
        num = ppr.find(_q(ns, "numPr"))
        if num is not None:
            num_id = num.find(_q(ns, "numId"))
            if num_id is None or num_id.get(_q(ns, "val")) != "0":
                return "item"
    if chain and chain[0].numbered:
        return "item"
    return "text"


# ------------------------------------------------------------- paragraphs


@dataclass
class _Item:
    """What a paragraph is made of, in order: text, a separator, or something else."""

    kind: str  # "text", "sep", "note", "page", "atom"
    element: etree._Element
    text: str = ""
    key: str = ""  # the formatting of a text item
    label: str = ""
    holds: bool = True  # a w:t, which can take new text


# Containers whose content is part of the paragraph's text.
_DESCEND: Final = frozenset(("r", "smartTag", "customXml", "sdt", "sdtContent", "bdo", "dir"))
# Containers that are part of the text and of its formatting (a link, an insertion).
_MARKED: Final = {"hyperlink": "link", "ins": "insertion", "moveTo": "insertion"}
# Content that is never the paragraph's text: deleted text, field codes, math,
# properties (text boxes inside drawings are paragraphs of their own).
_SKIP: Final = frozenset(
    (
        "pPr",
        "rPr",
        "sdtPr",
        "sdtEndPr",
        "del",
        "moveFrom",
        "instrText",
        "delText",
        "delInstrText",
        "fldData",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
        "permStart",
        "permEnd",
    )
)
# Run properties that do not make a difference a reader sees (proofing language,
# spelling marks, font hints), left out when runs are compared.
_NOISE: Final = frozenset(("lang", "noProof", "rPrChange", "webHidden", "specVanish"))
_LABELS: Final = (
    ("b", "bold"),
    ("i", "italic"),
    ("u", "underline"),
    ("strike", "strike-through"),
    ("caps", "capitals"),
    ("smallCaps", "small capitals"),
    ("highlight", "highlight"),
    ("color", "colour"),
)


@dataclass
class _Fields:
    """The w:t elements that are the results of fields (page numbers, references,
    a table of contents): atoms, not text to translate."""

    results: set[etree._Element] = field(default_factory=set)


def _field_results(root: etree._Element, ns: str) -> _Fields:
    found = _Fields()
    stack: list[str] = []  # per open field: "code" until its separator, then "result"
    for element in root.iter(_q(ns, "fldChar"), _q(ns, "t"), _q(ns, "fldSimple")):
        tag = element.tag
        if tag == _q(ns, "fldChar"):
            kind = element.get(_q(ns, "fldCharType"))
            if kind == "begin":
                stack.append("code")
            elif kind == "separate" and stack:
                stack[-1] = "result"
            elif kind == "end" and stack:
                stack.pop()
        elif tag == _q(ns, "fldSimple"):
            found.results.update(element.iter(_q(ns, "t")))
        elif stack and stack[-1] == "result":
            found.results.add(element)
    return found


def _run_key(run: etree._Element, ns: str, marks: tuple[str, ...]) -> tuple[str, str]:
    """The formatting key of a run (its properties without noise, and the links and
    insertions it is in), and a label for people."""
    from lxml import etree

    rpr = run.find(_q(ns, "rPr"))
    parts: list[str] = list(marks)
    labels: list[str] = [m.split(":", 1)[0] for m in marks]
    if rpr is not None:
        for child in rpr:
            if not isinstance(child.tag, str):
                continue
            local = child.tag.rsplit("}", 1)[-1]
            if local in _NOISE:
                continue
            parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
            value = child.get(_q(ns, "val"))
            if value in ("0", "false", "none"):
                continue
            for tag, label in _LABELS:
                if local == tag and label not in labels:
                    labels.append(label)
            if local == "vertAlign" and value in ("superscript", "subscript"):
                labels.append(value)
    return "|".join(parts), "+".join(labels)


def _items(p: etree._Element, ns: str, fields: _Fields | None = None) -> list[_Item]:
    items: list[_Item] = []
    _walk(p, ns, items, (), fields or _Fields())
    return items


def _walk(
    element: etree._Element,
    ns: str,
    items: list[_Item],
    marks: tuple[str, ...],
    fields: _Fields,
) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        if tag == _q(MC, "AlternateContent"):
            choice = child.find(_q(MC, "Choice"))
            if choice is not None:
                _walk(choice, ns, items, marks, fields)
            continue
        if not tag.startswith(f"{{{ns}}}"):
            continue  # math, drawing markup, extensions: not text
        local = tag.rsplit("}", 1)[-1]
        if local in _SKIP:
            continue
        if local in _MARKED:
            ident = (
                child.get(_q(R_NS, "id"))
                or child.get(_q(ns, "anchor"))
                or child.get(_q(ns, "id"))
                or str(len(items))
            )
            _walk(child, ns, items, (*marks, f"{_MARKED[local]}:{ident}"), fields)
        elif local in _DESCEND or local == "fldSimple":
            _walk(child, ns, items, marks, fields)
        elif local == "t":
            if child in fields.results:
                items.append(_Item("atom", child, label="field"))
                continue
            run = child.getparent()
            key, label = _run_key(run, ns, marks) if run is not None else ("", "")
            items.append(_Item("text", child, child.text or "", key, label))
        elif local in ("tab", "ptab"):
            items.append(_Item("sep", child, "\t"))
        elif local in ("br", "cr"):
            items.append(_Item("sep", child, "\n"))
        elif local == "noBreakHyphen":
            run = child.getparent()
            key, label = _run_key(run, ns, marks) if run is not None else ("", "")
            items.append(_Item("text", child, "\u2011", key, label, holds=False))
        elif local == "softHyphen":
            items.append(_Item("text", child, "", "", "", holds=False))
        elif local in ("footnoteReference", "endnoteReference"):
            items.append(_Item("note", child, child.get(_q(ns, "id"), ""), label="footnote"))
        elif local == "lastRenderedPageBreak":
            items.append(_Item("page", child))
        elif local == "fldChar":
            items.append(_Item("atom", child, label="field"))
        elif local not in ("p", "txbxContent"):
            items.append(_Item("atom", child, label=local))


def _runs(items: Sequence[_Item]) -> tuple[Run, ...]:
    """The items as runs for `glossary.documents.structure`."""
    out: list[Run] = []
    for item in items:
        if item.kind == "text":
            out.append(Run("text", item.text, item.key, item.label, item.holds))
        elif item.kind == "sep":
            out.append(Run("sep", item.text))
        elif item.kind in ("note", "atom"):
            out.append(Run("atom", label=item.label))
    return tuple(out)


def _text(items: Sequence[_Item]) -> str:
    return "".join(i.text for i in items if i.kind in ("text", "sep"))


def _in_fallback(p: etree._Element) -> bool:
    return any(True for _ in p.iterancestors(_q(MC, "Fallback")))


# ------------------------------------------------------------------ reading


@dataclass
class _Para:
    anchor: str
    text: str
    kind: Kind
    where: str
    notes: list[str]
    runs: tuple[Run, ...] = ()


def _part_paragraphs(part: _Part, word: _Word, pages: bool) -> list[_Para]:
    ns = part.ns
    out: list[_Para] = []
    page = 1
    tables: dict[etree._Element, int] = {}  # a top-level table -> its number
    fields = _field_results(part.root, ns)
    for number, p in enumerate(part.root.iter(_q(ns, "p"))):
        if _in_fallback(p):
            continue
        items = _items(p, ns, fields)
        start_page = page
        if pages and part.role == "body":
            # Word marks where it last broke the pages with w:lastRenderedPageBreak;
            # one before the paragraph's first text means the paragraph starts a page.
            started = False
            for item in items:
                if item.kind == "text" and item.text.strip():
                    started = True
                elif item.kind == "page":
                    page += 1
                    if not started:
                        start_page = page
        places: list[str] = []
        if part.role == "body" and pages:
            places.append(f"p. {start_page}")
        outer = None
        for table in p.iterancestors(_q(ns, "tbl")):
            outer = table
        if outer is not None:
            tables.setdefault(outer, len(tables) + 1)
            places.append(f"table {tables[outer]}")
        if any(True for _ in p.iterancestors(_q(ns, "txbxContent"))):
            places.append("text box")
        if part.role in ("header", "footer"):
            places.insert(0, part.role)
        notes = [i.text for i in items if i.kind == "note"]
        out.append(
            _Para(
                f"{part.name}#{number}",
                _text(items),
                _kind(p, word, part.role),
                ", ".join(places),
                notes,
                _runs(items),
            )
        )
    return out


def _notes(part: _Part, word: _Word) -> dict[str, list[_Para]]:
    """Footnote or endnote id -> its paragraphs (separators left out)."""
    ns = part.ns
    tag = "footnote" if part.role == "footnotes" else "endnote"
    numbers = {p: n for n, p in enumerate(list(part.root.iter(_q(ns, "p"))))}
    fields = _field_results(part.root, ns)
    found: dict[str, list[_Para]] = {}
    for note in part.root.iter(_q(ns, tag)):
        if note.get(_q(ns, "type")) not in (None, "normal"):
            continue
        paras = []
        for p in note.iter(_q(ns, "p")):
            if _in_fallback(p):
                continue
            items = _items(p, ns, fields)
            paras.append(
                _Para(
                    f"{part.name}#{numbers[p]}",
                    _text(items),
                    "footnote",
                    "",
                    [],
                    _runs(items),
                )
            )
        found[note.get(_q(ns, "id"), "")] = paras
    return found


def read(data: bytes, name: str, *, repair: bool = True) -> Document:
    """A Word document as paragraphs of segments (see the module doc)."""
    word = _open(data, name)
    body = word.parts[0]
    pages = any(True for _ in body.root.iter(_q(word.ns, "lastRenderedPageBreak")))
    by_role: dict[str, list[_Part]] = {}
    for part in word.parts:
        by_role.setdefault(part.role, []).append(part)
    footnotes: dict[str, list[_Para]] = {}
    endnotes: dict[str, list[_Para]] = {}
    for part in by_role.get("footnotes", []):
        footnotes.update(_notes(part, word))
    for part in by_role.get("endnotes", []):
        endnotes.update(_notes(part, word))
    blocks: list[Block] = []

    def add(para: _Para) -> None:
        blocks.append(Block(para.text, para.kind, para.anchor, para.where, para.runs))

    for part in by_role.get("header", []):
        for para in _part_paragraphs(part, word, pages):
            add(para)
    placed: set[str] = set()
    end_order: list[str] = []
    note_number = 0
    for para in _part_paragraphs(body, word, pages):
        add(para)
        for note_id in para.notes:
            if note_id in footnotes and note_id not in placed:
                placed.add(note_id)
                note_number += 1
                where = f"footnote {note_number}" + (f", {para.where}" if para.where else "")
                for note_para in footnotes[note_id]:
                    note_para.where = where
                    add(note_para)
            elif note_id in endnotes and note_id not in end_order:
                end_order.append(note_id)
    for number, note_id in enumerate(end_order, 1):
        for note_para in endnotes[note_id]:
            note_para.where = f"endnote {number}"
            add(note_para)
    for part in by_role.get("footer", []):
        for para in _part_paragraphs(part, word, pages):
            add(para)
    return build_document(name, blocks, format="docx", original=data, notes=_notes_on(word))


def _notes_on(word: _Word) -> list[str]:
    """What a translator should know about the file: tracked changes, comments, macros."""
    name = word.package.name
    notes: list[str] = []
    body = word.parts[0].root
    ns = word.ns
    if any(True for _ in body.iter(_q(ns, "ins"), _q(ns, "del"))):
        notes.append(
            f"{name} has tracked changes: inserted text is translated as part of its "
            "paragraph; deleted text is not read and stays as it is."
        )
    if any(n.endswith("comments.xml") for n in word.package.names):
        notes.append(f"{name} has comments: they are not translated and stay as they are.")
    if any(n.lower().endswith("vbaproject.bin") for n in word.package.names):
        notes.append(f"{name} contains macros: they are never run, and copied unchanged.")
    return notes


# ------------------------------------------------------------------ writing


def _put(
    p: etree._Element,
    ns: str,
    paragraph: Paragraph,
    translated: Mapping[int, TranslatedSegment],
    fields: _Fields,
) -> bool:
    """Put a paragraph's translation into its runs (`structure.distribute`): each
    stretch of one formatting gets its words, the runs' structure stays."""
    items = [i for i in _items(p, ns, fields) if i.kind in ("text", "sep", "note", "atom")]
    runs = _runs(items)
    if _text(items) != paragraph.source:
        return False  # not the paragraph that was read: leave it
    texts = distribute(runs, paragraph, translated)
    if texts is None:
        return False
    for index, text in texts.items():
        item = items[index]
        if item.holds and text:
            item.element.text = text
            if text != text.strip() or "  " in text:
                item.element.set(_q(XML_NS, "space"), "preserve")
        elif not text:
            _empty(item.element, ns)
    return True


def _empty(element: etree._Element, ns: str) -> None:
    """Remove a text element; its run too when nothing but properties is left."""
    run = element.getparent()
    if run is None:
        return
    run.remove(element)
    if run.tag == _q(ns, "r") and all(
        isinstance(c.tag, str) and c.tag == _q(ns, "rPr") for c in run
    ):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def _fallback_copies(root: etree._Element, ns: str) -> list[tuple[int, int]]:
    """(choice paragraph number, fallback paragraph number) pairs: the same text box
    in `mc:Choice` and `mc:Fallback`, paired in order when both have as many paragraphs."""
    numbers = {p: n for n, p in enumerate(list(root.iter(_q(ns, "p"))))}
    pairs: list[tuple[int, int]] = []
    for alternate in root.iter(_q(MC, "AlternateContent")):
        choice = alternate.find(_q(MC, "Choice"))
        fallback = alternate.find(_q(MC, "Fallback"))
        if choice is None or fallback is None:
            continue
        first = [p for p in choice.iter(_q(ns, "p"))]
        second = [p for p in fallback.iter(_q(ns, "p"))]
        if len(first) == len(second):
            pairs.extend((numbers[a], numbers[b]) for a, b in zip(first, second, strict=True))
    return pairs


def _copy_text(choice: etree._Element, fallback: etree._Element, ns: str) -> bool:
    """Give the fallback copy of a text box paragraph the translated text of its
    choice (the same paragraph for older Word versions)."""
    texts = [i for i in _items(choice, ns) if i.kind == "text" and i.holds]
    targets = [i for i in _items(fallback, ns) if i.kind == "text" and i.holds]
    if not texts or not targets:
        return False
    if len(texts) == len(targets):
        for source, target in zip(texts, targets, strict=True):
            target.element.text = source.element.text
    else:
        targets[0].element.text = "".join(i.element.text or "" for i in texts)
        for target in targets[1:]:
            _empty(target.element, ns)
    return True


def _set_language(root: etree._Element, ns: str) -> bool:
    changed = False
    for lang in root.iter(_q(ns, "lang")):
        for attribute in ("val", "eastAsia", "bidi"):
            key = _q(ns, attribute)
            value = lang.get(key)
            if value is not None and value.lower().startswith("nl"):
                lang.set(key, TARGET_LANGUAGE)
                changed = True
    return changed


def _serialise(root: etree._Element) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def translated_package(document: TranslatedDocument) -> bytes:
    """The bytes of the translated .docx: the original edited in place (see the module
    doc), or a new Word document when the source was not one (a PDF, plain text)."""
    source = document.document
    if source.format != "docx" or not source.original:
        return new_package(document)
    word = _open(source.original, source.path)
    translated = {ts.segment.index: ts for ts in document.segments}
    by_part: dict[str, dict[int, Paragraph]] = {}
    for paragraph in source.paragraphs:
        part_name, _, ordinal = paragraph.anchor.rpartition("#")
        if part_name and ordinal.isdigit():
            by_part.setdefault(part_name, {})[int(ordinal)] = paragraph
    replaced: dict[str, bytes] = {}
    for part in word.parts:
        wanted = by_part.get(part.name, {})
        elements = list(part.root.iter(_q(part.ns, "p")))
        fields = _field_results(part.root, part.ns)
        changed = False
        for number, paragraph in sorted(wanted.items()):
            if number < len(elements):
                changed = _put(elements[number], part.ns, paragraph, translated, fields) or changed
        for choice, fallback in _fallback_copies(part.root, part.ns):
            if choice in wanted and fallback < len(elements) and choice < len(elements):
                changed = _copy_text(elements[choice], elements[fallback], part.ns) or changed
        changed = _set_language(part.root, part.ns) or changed
        if changed:
            replaced[part.name] = _serialise(part.root)
    for kind, target in _relationships(word.package, word.main):
        if kind == "styles" and word.package.has(target):
            styles = _xml(word.package, target)
            if _set_language(styles, etree_ns(styles)):
                replaced[target] = _serialise(styles)
    return rewrite(word.package, replaced)


def write(docs: Sequence[TranslatedDocument], stream: IO[bytes]) -> None:
    """Write one translated Word document as a .docx (binary stream)."""
    if len(docs) != 1:
        raise OutputError(
            "A Word document is written one per file: use --out-dir for several inputs."
        )
    stream.write(translated_package(docs[0]))


# ---------------------------------------------------------- a new document
# A translation of a document that was not a Word file (a PDF, plain text) is
# written as a new, plain Word document: one paragraph per paragraph, headings
# in "Heading 1", list items in "List Paragraph", footnotes as real Word
# footnotes at the end of the paragraph before them, and the page furniture of
# a PDF (running headers and footers, page numbers) left out.

_NS_DECL: Final = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_CONTENT_TYPES: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footnotes" Target="footnotes.xml"/>'
    "</Relationships>"
)
_SETTINGS: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:settings {_NS_DECL}>"
    '<w:defaultTabStop w:val="720"/>'
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>"
)


def _style(style_id: str, name: str, body: str, kind: str = "paragraph") -> str:
    default = ' w:default="1"' if style_id == "Normal" else ""
    return (
        f'<w:style w:type="{kind}"{default} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{body}</w:style>"
    )


_STYLES: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:styles {_NS_DECL}>"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>'
    f'<w:sz w:val="22"/><w:lang w:val="{TARGET_LANGUAGE}"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" '
    'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    + _style("Normal", "Normal", "<w:qFormat/>")
    + _style(
        "Heading1",
        "heading 1",
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>'
        '</w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr>',
    )
    + _style(
        "ListParagraph",
        "List Paragraph",
        '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720" w:hanging="360"/>'
        "</w:pPr>",
    )
    + _style(
        "FootnoteText",
        "footnote text",
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr>',
    )
    + _style(
        "FootnoteReference",
        "footnote reference",
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>',
        "character",
    )
    + "</w:styles>"
)
_CORE: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>{title}</dc:title><dc:language>{language}</dc:language>"
    "</cp:coreProperties>"
)
_NOTE_LABEL = re.compile(r"^\s*(?:\d{1,3}|[*†‡]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)[.)]?\s+(?=\S)")


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    # Characters XML 1.0 cannot hold (control characters) are dropped.
    clean = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
    return escape(clean)


def _new_runs(text: str) -> str:
    """Runs for a paragraph text; tabs and line breaks become w:tab and w:br."""
    out: list[str] = []
    for part in re.split(r"(\t|\n)", text):
        if part == "\t":
            out.append("<w:r><w:tab/></w:r>")
        elif part == "\n":
            out.append("<w:r><w:br/></w:r>")
        elif part:
            out.append(f'<w:r><w:t xml:space="preserve">{_escape(part)}</w:t></w:r>')
    return "".join(out)


def _paragraph(text: str, style: str = "", extra: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{_new_runs(text)}{extra}</w:p>"


def new_package(document: TranslatedDocument) -> bytes:
    """A new Word document holding the translation of `document` (see above)."""
    import io
    import zipfile

    from glossary.documents.structure import target_text, targets_of

    targets = targets_of(document)
    body: list[str] = []  # paragraphs, each open until the next one starts
    notes: list[str] = []
    pending: list[str] = []  # footnote references for the last main paragraph
    for paragraph in document.document.paragraphs:
        if paragraph.anchor == PAGE_FURNITURE:
            continue
        text = target_text(paragraph, targets)
        if paragraph.kind == "footnote" and body:
            note_id = len(notes) + 1
            content = _NOTE_LABEL.sub("", text, count=1)
            notes.append(
                f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
                '</w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                '<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
                f"{_new_runs(content)}</w:p></w:footnote>"
            )
            pending.append(
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{note_id}"/></w:r>'
            )
            continue
        if pending:
            body[-1] = body[-1].replace("</w:p>", "".join(pending) + "</w:p>")
            pending = []
        style = {"heading": "Heading1", "item": "ListParagraph"}.get(paragraph.kind, "")
        body.append(_paragraph(text, style))
    if pending and body:
        body[-1] = body[-1].replace("</w:p>", "".join(pending) + "</w:p>")
    document_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {_NS_DECL}><w:body>{''.join(body) or '<w:p/>'}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
        'w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    )
    footnotes_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:footnotes {_NS_DECL}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{''.join(notes)}</w:footnotes>"
    )
    title = PurePosixPath(document.document.path.replace("\\", "/")).name
    members = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _CORE.format(title=_escape(title), language=TARGET_LANGUAGE)),
        ("word/document.xml", document_xml),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("word/settings.xml", _SETTINGS),
        ("word/footnotes.xml", footnotes_xml),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in members:
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
