"""OpenDocument texts (ODT): read paragraph by paragraph, translated in place at the XML level.

An .odt is a ZIP package (`glossary.files.archive`); the text is in
`content.xml`, headers and footers in the master pages of `styles.xml`.
Every `text:p` and `text:h` is a paragraph: body text, headings, list
items, table cells, text boxes (`draw:text-box`), footnotes and endnotes
(`text:note-body`, read after the paragraph that cites them), headers and
footers. A paragraph's text is the text of its spans and links with ODF's
white-space rule (runs of spaces collapse; `text:s` stands for spaces,
`text:tab` for a tab, `text:line-break` for a line break: pieces between
tabs and breaks are translated apart). Fields (page numbers, dates,
references), notes, frames and bookmarks inside a paragraph are not its
text and stay where they are. Comments (`office:annotation`) and the
deleted text of tracked changes (`text:tracked-changes`) are not read and
stay as they are. Pages: LibreOffice marks where it broke the pages
(`text:soft-page-break`), so segments say "p. 3" when the file has them.

The writer puts each paragraph's translation into the first text of each
piece that has letters (keeping its span's style), empties the others,
sets the language of the styles that say Dutch to English (en-GB) and
copies every other part of the package unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Final

from glossary.document import Document, Kind, Paragraph, TranslatedDocument, TranslatedSegment
from glossary.documents.structure import Block, Run, build_document, distribute, runs_text
from glossary.errors import InputError, OutputError
from glossary.files.archive import Package, open_package, rewrite
from glossary.files.safexml import parse

if TYPE_CHECKING:
    from lxml import etree

LABEL: Final = "OpenDocument text (ODT)"
TEXT: Final = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE: Final = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
DRAW: Final = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FO: Final = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
MANIFEST: Final = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
TARGET_LANGUAGE: Final = ("en", "GB")


def _t(tag: str) -> str:
    return f"{{{TEXT}}}{tag}"


_P: Final = _t("p")
_H: Final = _t("h")
_SPACE = re.compile(r"[ \t\n\r]+")

# Inline containers whose text is the paragraph's text.
_DESCEND: Final = frozenset(
    _t(t) for t in ("span", "a", "meta", "ruby", "ruby-base", "change-start", "change-end")
)
# Inline elements that are not even a place in the text.
_IGNORED: Final = frozenset(
    _t(t)
    for t in (
        "bookmark",
        "bookmark-start",
        "bookmark-end",
        "reference-mark",
        "reference-mark-start",
        "reference-mark-end",
        "soft-page-break",
        "alphabetical-index-mark",
        "toc-mark",
    )
)
_SKIP_ANCESTORS: Final = (
    f"{{{OFFICE}}}annotation",
    _t("tracked-changes"),
)


# ---------------------------------------------------------------- the package


@dataclass
class _Part:
    name: str
    root: etree._Element


def _xml(package: Package, member: str) -> etree._Element:
    return parse(package.read(member), f"{package.name} (part {member})", keep=True).getroot()


def _open(data: bytes, name: str) -> tuple[Package, list[_Part]]:
    package = open_package(data, name, LABEL)
    if package.has("META-INF/manifest.xml"):
        manifest = package.read("META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise InputError(
                f"{name} is password-protected (its parts are encrypted); glossary cannot "
                "read it. Open it in LibreOffice, save a copy without a password "
                "(File › Properties › Security), and give that file."
            )
    if not package.has("content.xml"):
        raise InputError(
            f"{name} is not a complete {LABEL}: it has no content.xml. Open it in its "
            "program and save it again."
        )
    parts = [_Part("content.xml", _xml(package, "content.xml"))]
    if parts[0].root.tag != f"{{{OFFICE}}}document-content":
        raise InputError(
            f"{name}: content.xml is not OpenDocument content (root {parts[0].root.tag}). "
            "Save the file again as .odt."
        )
    if package.has("styles.xml"):
        parts.append(_Part("styles.xml", _xml(package, "styles.xml")))
    return package, parts


# ------------------------------------------------------------------ reading


@dataclass
class _Slot:
    """A place that holds text: an element's `text` or its `tail`, or a spacer."""

    element: etree._Element
    where: str  # "text", "tail", "space" (a text:s element), "sep"
    text: str


def _slots(p: etree._Element) -> list[_Slot]:
    slots: list[_Slot] = []
    _walk(p, slots)
    return slots


def _walk(element: etree._Element, slots: list[_Slot]) -> None:
    slots.append(_Slot(element, "text", element.text or ""))
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            if tag in _DESCEND:
                _walk(child, slots)
            elif tag == _t("s"):
                count = child.get(_t("c"), "1")
                slots.append(_Slot(child, "space", " " * (int(count) if count.isdigit() else 1)))
            elif tag == _t("tab"):
                slots.append(_Slot(child, "sep", "\t"))
            elif tag == _t("line-break"):
                slots.append(_Slot(child, "sep", "\n"))
            elif tag not in _IGNORED:
                # notes, frames, fields, comments: not the paragraph's text, but a
                # place in it (an inline code)
                slots.append(_Slot(child, "atom", ""))
        slots.append(_Slot(child, "tail", child.tail or ""))


def _key(slot: _Slot, paragraph: etree._Element, bold: dict[str, str]) -> tuple[str, str]:
    """The formatting of a text slot: the spans and links it is in, and a label."""
    container = slot.element if slot.where in ("text", "space") else slot.element.getparent()
    chain: list[etree._Element] = []
    node = container
    while node is not None and node is not paragraph:
        chain.append(node)
        node = node.getparent()
    parts: list[str] = []
    labels: list[str] = []
    for element in reversed(chain):
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "a":
            parts.append(f"a:{element.get('{http://www.w3.org/1999/xlink}href', '')}")
            labels.append("link")
        elif tag == "span":
            style = element.get(_t("style-name"), "")
            parts.append(f"span:{style}")
            if bold.get(style):
                labels.append(bold[style])
        elif tag:
            parts.append(tag)
    return "|".join(parts), "+".join(labels)


def _text_styles(parts: Sequence[_Part]) -> dict[str, str]:
    """Text style name -> "bold", "italic", "bold+italic" (for labels)."""
    found: dict[str, str] = {}
    for part in parts:
        for style in part.root.iter(f"{{{STYLE}}}style"):
            if style.get(f"{{{STYLE}}}family") != "text":
                continue
            props = style.find(f"{{{STYLE}}}text-properties")
            if props is None:
                continue
            labels = []
            if props.get(f"{{{FO}}}font-weight") == "bold":
                labels.append("bold")
            if props.get(f"{{{FO}}}font-style") == "italic":
                labels.append("italic")
            if props.get(f"{{{STYLE}}}text-underline-style") not in (None, "none"):
                labels.append("underline")
            found[style.get(f"{{{STYLE}}}name", "")] = "+".join(labels)
    return found


def _runs(
    slots: Sequence[_Slot], paragraph: etree._Element, styles: dict[str, str]
) -> tuple[Run, ...]:
    """The slots as runs, white space collapsed as ODF displays it."""
    runs: list[Run] = []
    last = " "  # the paragraph start drops leading spaces
    for slot in slots:
        if slot.where == "sep":
            runs.append(Run("sep", slot.text))
            last = slot.text
            continue
        if slot.where == "atom":
            tag = slot.element.tag
            local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "code"
            runs.append(Run("atom", label="footnote" if local == "note" else local))
            continue
        if slot.where == "space":
            key, label = _key(slot, paragraph, styles)
            runs.append(Run("text", slot.text, key, label, holds=False))
            last = " " if slot.text else last
            continue
        text = _SPACE.sub(" ", slot.text)
        if last == " " and text.startswith(" "):
            text = text[1:]
        key, label = _key(slot, paragraph, styles)
        runs.append(Run("text", text, key, label))
        if text:
            last = text[-1]
    return tuple(runs)


def _collapse(slots: Sequence[_Slot]) -> str:
    """The paragraph text by ODF's white-space rule: runs of white space in the
    text are one space, leading ones dropped; text:s, tabs and breaks are kept."""
    out: list[str] = []
    for slot in slots:
        if slot.where == "atom":
            continue
        if slot.where in ("space", "sep"):
            out.append(slot.text)
        else:
            out.append(_SPACE.sub(" ", slot.text))
    return "".join(out)


def _text(slots: Sequence[_Slot]) -> str:
    return _collapse(slots).lstrip(" ")


def _styles(parts: Sequence[_Part]) -> dict[str, str]:
    """Paragraph style name -> its parent style name (automatic and named styles)."""
    parents: dict[str, str] = {}
    for part in parts:
        for style in part.root.iter(f"{{{STYLE}}}style"):
            if style.get(f"{{{STYLE}}}family") == "paragraph":
                parents[style.get(f"{{{STYLE}}}name", "")] = style.get(
                    f"{{{STYLE}}}parent-style-name", ""
                )
    return parents


_HEADING_STYLE = re.compile(r"^(?:heading(?:[ _]\d+)?|title|subtitle)$", re.IGNORECASE)


def _is_heading_style(name: str, parents: dict[str, str]) -> bool:
    seen: set[str] = set()
    while name and name not in seen:
        if _HEADING_STYLE.match(name.replace("_20_", " ")):
            return True
        seen.add(name)
        name = parents.get(name, "")
    return False


def _skipped(p: etree._Element) -> bool:
    return any(True for _ in p.iterancestors(*_SKIP_ANCESTORS))


def _paragraphs(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(_P, _H))


def _blocks(parts: Sequence[_Part], parents: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    styles = _text_styles(parts)
    content = parts[0]
    pages = any(True for _ in content.root.iter(_t("soft-page-break")))
    body = content.root.find(f"{{{OFFICE}}}body")
    page = 1
    tables: dict[etree._Element, int] = {}
    header_blocks: list[Block] = []
    footer_blocks: list[Block] = []
    for part in parts[1:]:
        for number, p in enumerate(_paragraphs(part.root)):
            section = next(
                (
                    a.tag.rsplit("}", 1)[-1]
                    for a in p.iterancestors()
                    if a.tag
                    in (
                        f"{{{STYLE}}}header",
                        f"{{{STYLE}}}footer",
                        f"{{{STYLE}}}header-left",
                        f"{{{STYLE}}}footer-left",
                        f"{{{STYLE}}}header-first",
                        f"{{{STYLE}}}footer-first",
                    )
                ),
                "",
            )
            if not section or _skipped(p):
                continue
            block = Block(_text(_slots(p)), "text", f"{part.name}#{number}", section.split("-")[0])
            (header_blocks if section.startswith("header") else footer_blocks).append(block)
    blocks.extend(header_blocks)
    for number, p in enumerate(_paragraphs(content.root)):
        if body is None or _skipped(p) or not any(a is body for a in p.iterancestors()):
            continue
        # A soft page break before the paragraph, or as its first child, starts a page.
        previous = p.getprevious()
        if previous is not None and previous.tag == _t("soft-page-break"):
            page += 1
        first = next(iter(p), None)
        if first is not None and first.tag == _t("soft-page-break") and not (p.text or "").strip():
            page += 1
        kind: Kind = "text"
        places: list[str] = []
        note = next(p.iterancestors(_t("note")), None)
        if p.tag == _H or _is_heading_style(p.get(_t("style-name"), ""), parents):
            kind = "heading"
        elif any(True for _ in p.iterancestors(_t("list-item"), _t("list-header"))):
            kind = "item"
        if note is not None:
            kind = "footnote"
            cls = note.get(_t("note-class"), "footnote")
            citation = note.find(_t("note-citation"))
            label = (citation.text or "").strip() if citation is not None else ""
            places.append(f"{cls} {label}".strip())
        if pages:
            places.insert(0, f"p. {page}")
        outer = None
        for table in p.iterancestors(f"{{{TABLE}}}table"):
            outer = table
        if outer is not None:
            tables.setdefault(outer, len(tables) + 1)
            places.append(f"table {tables[outer]}")
        if any(True for _ in p.iterancestors(f"{{{DRAW}}}text-box")):
            places.append("text box")
        runs = _runs(_slots(p), p, styles)
        blocks.append(
            Block(runs_text(runs), kind, f"content.xml#{number}", ", ".join(places), runs)
        )
    blocks.extend(footer_blocks)
    return blocks


def read(data: bytes, name: str, *, repair: bool = True) -> Document:
    """An OpenDocument text as paragraphs of segments (see the module doc)."""
    package, parts = _open(data, name)
    notes: list[str] = []
    content = parts[0].root
    if any(True for _ in content.iter(_t("tracked-changes"))):
        notes.append(
            f"{name} has tracked changes: inserted text is translated as part of its "
            "paragraph; deleted text is not read and stays as it is."
        )
    if any(True for _ in content.iter(f"{{{OFFICE}}}annotation")):
        notes.append(f"{name} has comments: they are not translated and stay as they are.")
    if any(n.startswith("Basic/") or n.startswith("Scripts/") for n in package.names):
        notes.append(f"{name} contains macros: they are never run, and copied unchanged.")
    return build_document(
        name, _blocks(parts, _styles(parts)), format="odt", original=data, notes=notes
    )


# ------------------------------------------------------------------ writing


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _put(
    p: etree._Element,
    paragraph: Paragraph,
    translated: Mapping[int, TranslatedSegment],
    styles: dict[str, str],
) -> bool:
    slots = _slots(p)
    runs = _runs(slots, p, styles)
    if runs_text(runs) != paragraph.source:
        return False  # not the paragraph that was read: leave it
    texts = distribute(runs, paragraph, translated)
    if texts is None:
        return False
    removals: list[etree._Element] = []
    for index, text in texts.items():
        slot = slots[index]
        if slot.where == "space":
            if not text:
                removals.append(slot.element)
        elif slot.where == "text":
            slot.element.text = text or None
        elif slot.where == "tail":
            slot.element.tail = text or None
    for element in removals:
        _remove_keeping_tail(element)
    return True


def _set_language(root: etree._Element) -> bool:
    changed = False
    for element in root.iter():
        language = element.get(f"{{{FO}}}language")
        if language is not None and language.lower() == "nl":
            element.set(f"{{{FO}}}language", TARGET_LANGUAGE[0])
            if element.get(f"{{{FO}}}country") is not None:
                element.set(f"{{{FO}}}country", TARGET_LANGUAGE[1])
            changed = True
    return changed


def translated_package(document: TranslatedDocument) -> bytes:
    """The bytes of the translated .odt."""
    from lxml import etree

    source = document.document
    if source.format != "odt" or not source.original:
        raise OutputError(
            f"{source.path}: an OpenDocument (ODT) translation is written from an ODT file "
            "only; choose another output format (docx or text)."
        )
    package, parts = _open(source.original, source.path)
    styles = _text_styles(parts)
    translated = {ts.segment.index: ts for ts in document.segments}
    wanted: dict[str, dict[int, Paragraph]] = {}
    for paragraph in source.paragraphs:
        part_name, _, ordinal = paragraph.anchor.rpartition("#")
        if part_name and ordinal.isdigit():
            wanted.setdefault(part_name, {})[int(ordinal)] = paragraph
    replaced: dict[str, bytes] = {}
    for part in parts:
        elements = _paragraphs(part.root)
        changed = False
        for number, paragraph in sorted(wanted.get(part.name, {}).items()):
            if number < len(elements):
                changed = _put(elements[number], paragraph, translated, styles) or changed
        changed = _set_language(part.root) or changed
        if changed:
            replaced[part.name] = etree.tostring(part.root, xml_declaration=True, encoding="UTF-8")
    return rewrite(package, replaced)


def write(docs: Sequence[TranslatedDocument], stream: IO[bytes]) -> None:
    """Write one translated OpenDocument text as an .odt (binary stream)."""
    if len(docs) != 1:
        raise OutputError("An ODT file holds one document: use --out-dir for several inputs.")
    stream.write(translated_package(docs[0]))
