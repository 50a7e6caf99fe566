"""HTML pages: read by their elements, written back with their markup.

The page is parsed with lxml's HTML parser. Every block element (`p`,
`h1`–`h6`, `li`, `td`, `th`, `dt`, `dd`, `blockquote`, `caption`,
`figcaption`, `div`, `body`...) with text of its own is a paragraph: its
text and the text of its inline elements, a nested block or `<br>` being a
break between pieces that are translated apart. `head`, `script`, `style`
and comments are not read (`<title>` is). Inline elements (`b`, `strong`,
`i`, `em`, `a`, `span`, `code`...) become inline codes, so bold, italic and
links stay on the right words; an image or an input is a point in the text.

The writer parses the page again, puts each paragraph's translation into the
same text nodes (stretch by stretch, as for Word files), sets `lang="en"`
where the page said Dutch, declares UTF-8, and serialises the page with
lxml: the markup is kept; its spelling (quotes, entities, self-closing tags)
is lxml's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Final

from glossary.document import Document, Kind, Paragraph, TranslatedDocument, TranslatedSegment
from glossary.documents.structure import Block, Run, build_document, distribute, runs_text
from glossary.errors import OutputError
from glossary.files.inputs import decode_bytes

if TYPE_CHECKING:
    from lxml import etree

BLOCKS: Final = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "body",
        "html",
        "title",
    ]
)
HEADINGS: Final = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "title"])
SKIP: Final = frozenset(
    ["head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object"]
)
ATOMS: Final = frozenset(
    ["img", "input", "button", "select", "textarea", "video", "audio", "canvas", "embed", "wbr"]
)
LABELS: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "a": "link",
    "u": "underline",
    "code": "code",
    "sup": "superscript",
    "sub": "subscript",
}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?[\w-]+", re.IGNORECASE)


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _parse(text: str) -> etree._Element:
    from lxml import etree, html

    try:
        return html.document_fromstring(_XML_DECL.sub("", text) or "<html></html>")
    except (etree.ParserError, etree.XMLSyntaxError):  # nothing but comments, say
        return html.document_fromstring("<html></html>")


def _blocks(root: etree._Element) -> list[etree._Element]:
    """Block elements in document order (outside head, except the title)."""
    out = []
    for element in root.iter():
        tag = _tag(element)
        if tag not in BLOCKS:
            continue
        if any(_tag(a) in SKIP for a in element.iterancestors()) and tag != "title":
            continue
        out.append(element)
    return out


@dataclass
class _Slot:
    element: etree._Element
    where: str  # "text", "tail", "sep", "atom"
    text: str
    key: str = ""
    label: str = ""


def _slots(block: etree._Element) -> list[_Slot]:
    slots: list[_Slot] = [_Slot(block, "text", block.text or "")]
    _walk(block, block, (), slots)
    return slots


def _walk(
    element: etree._Element, block: etree._Element, chain: tuple[str, ...], slots: list[_Slot]
) -> None:
    key = "|".join(chain)
    for child in element:
        tag = _tag(child)
        if not tag:  # a comment or processing instruction: its tail is text
            slots.append(_Slot(child, "tail", child.tail or "", key))
            continue
        if tag in SKIP:
            slots.append(_Slot(child, "tail", child.tail or "", key))
            continue
        if tag in BLOCKS or tag == "br":
            slots.append(_Slot(child, "sep", "\n"))
        elif tag in ATOMS:
            slots.append(_Slot(child, "atom", "", label=tag))
        else:
            name = (
                f"{tag}:{child.get('href', '')}"
                if tag == "a"
                else f"{tag}.{child.get('class', '')}"
            )
            inner = (*chain, name)
            slots.append(_Slot(child, "text", child.text or "", "|".join(inner)))
            _walk(child, block, inner, slots)
        slots.append(_Slot(child, "tail", child.tail or "", key))


def _label(key: str) -> str:
    names = []
    for part in key.split("|"):
        label = LABELS.get(part.split(":", 1)[0].split(".", 1)[0], "")
        if label and label not in names:
            names.append(label)
    return "+".join(names) or "format"


def _runs(slots: Sequence[_Slot], pre: bool) -> tuple[Run, ...]:
    """The slots as runs, white space collapsed as a browser shows it."""
    runs: list[Run] = []
    last = " "
    for slot in slots:
        if slot.where == "sep":
            runs.append(Run("sep", "\n"))
            last = " "
            continue
        if slot.where == "atom":
            runs.append(Run("atom", label=slot.label))
            continue
        text = slot.text if pre else _SPACE.sub(" ", slot.text)
        if not pre and last == " " and text.startswith(" "):
            text = text[1:]
        runs.append(Run("text", text, slot.key, _label(slot.key) if slot.key else ""))
        if text:
            last = text[-1]
    return tuple(runs)


def _kind(block: etree._Element) -> Kind:
    tag = _tag(block)
    if tag in HEADINGS:
        return "heading"
    if tag in ("li", "dt", "dd"):
        return "item"
    return "text"


def read(data: bytes, name: str, *, repair: bool = True) -> Document:
    """An HTML page as paragraphs of segments (see the module doc)."""
    decoded = decode_bytes(data, name, hint="Give a .html file.")
    warnings = list(decoded.warnings)
    blocks: list[Block] = []
    if decoded.text.strip():
        root = _parse(decoded.text)
        order = {element: i for i, element in enumerate(root.iter())}
        found: list[tuple[float, Block]] = []
        for number, block in enumerate(_blocks(root)):
            slots = _slots(block)
            runs = _runs(slots, _tag(block) == "pre")
            text = runs_text(runs)
            if not text.strip():
                continue
            # A block goes where its first words are (a body's own text after
            # its paragraphs comes after them).
            first = next(s for s in slots if s.where in ("text", "tail") and s.text.strip())
            at = order.get(first.element, 0) + (0.5 if first.where == "tail" else 0.0)
            line = int(getattr(first.element, "sourceline", 0) or 0)
            found.append((at, Block(text, _kind(block), f"html#{number}", "", runs, line)))
        blocks.extend(b for _, b in sorted(found, key=lambda f: f[0]))
    if not blocks:
        warnings.append(f"{name}: the page has no text; nothing to read.")
    return build_document(name, blocks, format="html", original=data, warnings=warnings)


def _put(
    block: etree._Element,
    paragraph: Paragraph,
    translated: Mapping[int, TranslatedSegment],
) -> bool:
    slots = _slots(block)
    runs = _runs(slots, _tag(block) == "pre")
    if runs_text(runs) != paragraph.source:
        return False
    texts = distribute(runs, paragraph, translated)
    if texts is None:
        return False
    for index, text in texts.items():
        slot = slots[index]
        if slot.where == "text":
            slot.element.text = text or None
        elif slot.where == "tail":
            slot.element.tail = text or None
    return True


def translated_text(document: TranslatedDocument) -> str:
    """The page with its paragraphs translated (see the module doc)."""
    from lxml import html

    source = document.document
    if source.format != "html" or not source.original:
        raise OutputError(
            f"{source.path}: an HTML translation is written from an HTML page only; "
            "choose another output format."
        )
    decoded = decode_bytes(source.original, source.path)
    root = _parse(decoded.text)
    elements = _blocks(root)
    translated = {ts.segment.index: ts for ts in document.segments}
    for paragraph in source.paragraphs:
        number = paragraph.anchor.removeprefix("html#")
        if number.isdigit() and int(number) < len(elements):
            _put(elements[int(number)], paragraph, translated)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        lang = element.get("lang")
        if lang is not None and lang.lower().startswith("nl"):
            element.set("lang", "en")
        if _tag(element) == "meta":
            content = element.get("content")
            if element.get("charset") is not None:
                element.set("charset", "utf-8")
            elif content is not None and _CHARSET.search(content):
                element.set("content", _CHARSET.sub("charset=utf-8", content))
    doctype = str(getattr(root.getroottree().docinfo, "doctype", "") or "")
    body = str(html.tostring(root, encoding="unicode", method="html"))
    return (doctype + "\n" if doctype else "") + body + "\n"


def write(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Write one translated HTML page."""
    if len(docs) != 1:
        raise OutputError("An HTML page holds one document: use --out-dir for several.")
    stream.write(translated_text(docs[0]))
