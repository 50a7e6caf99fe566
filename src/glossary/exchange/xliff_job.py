"""XLIFF files as translation jobs: segments read, targets written back in place.

XLIFF 1.2 (the OASIS standard and the flavours of Trados SDLXLIFF, memoQ,
Okapi, OmegaT, WorldServer, Angular) and XLIFF 2.0/2.1.

Reading (`read_job`): every `<trans-unit>` (1.2) or `<unit>` (2.x), in
document order, also inside `<group>`s. A 1.2 unit is one segment, or one
per `<mrk mtype="seg">` of its `<seg-source>` (Trados, memoQ, Okapi
segmentation); a 2.x unit has its `<segment>`s. Inline codes become
`InlineCode`s of the plain text (1.2: `g`, `mrk` wrap text; `bpt`/`ept`,
`bx`/`ex` pair up by `rid` or `id`; `x`, `ph`, `it` and anything else are
points; 2.x: `pc`, `mrk` wrap; `sc`/`ec`, `sm`/`em` pair up; `ph`, `cp`
are points); a code's data is its element as XML, so it comes back
exactly. Whitespace follows `xml:space`: collapsed unless "preserve",
where the text's leading and trailing white space is kept around the
translation. Statuses: 1.2 `target@state` and `approved`, SDLXLIFF
`sdl:seg@conf` and `locked`, memoQ `mq:status` and `mq:locked`, 2.x
`segment@state` (and our `subState="glossary:mt"`), WorldServer
`iws:status` (`translation_status="finished"`, `translation_type`,
`lock_status`); `translate="no"`
(inherited from groups and files) marks segments nobody translates.

Writing (`write_job`): the file is parsed again and each target written in
its place: 1.2 `<target>` after `<source>`/`<seg-source>` (for a segmented
unit a copy of the `<seg-source>` structure with the segment's `<mrk>`
filled), 2.x `<target>` after `<source>`; inline codes rebuilt from their
data in the target. Marks for machine translation: 1.2
`state="needs-review-translation" state-qualifier="leveraged-mt"`;
SDLXLIFF `sdl:seg conf="Draft" origin="mt"`; memoQ `mq:status="Pretranslated"`;
WorldServer `iws:status translation_type="machine_translation_mt"` (with the
1.2 state);
2.x `state="translated" subState="glossary:mt"` (the spec's state for a
target nobody reviewed; the sub-state says it is machine translation).
Glossary notes (`<note from="glossary">` in 1.2, `<note category="glossary">`
in 2.x) replace the ones a previous run wrote. Only the units that changed
are serialised again; every other byte of the file (declaration, header,
skeleton, untouched units, white space) is the original's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, cast

from glossary.document import BilingualUnit, InlineCode, code_pieces
from glossary.errors import Problem, UnreadableFile
from glossary.exchange.jobs import Job, JobSegment, Status, TargetUpdate
from glossary.exchange.registry import segment_key
from glossary.files import safexml

if TYPE_CHECKING:
    from lxml import etree

NS12: Final = "urn:oasis:names:tc:xliff:document:1.2"
NS20: Final = "urn:oasis:names:tc:xliff:document:2.0"
SDL: Final = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ: Final = "MQXliff"
IWS: Final = "http://www.idiominc.com/ws/asset"  # WorldServer
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
XML_SPACE: Final = f"{{{XML_NS}}}space"

MT_STATE: Final = "needs-review-translation"
MT_QUALIFIER: Final = "leveraged-mt"
MT_SUBSTATE: Final = "glossary:mt"
NOTE_FROM: Final = "glossary"

# Elements that wrap text (pairs of codes around it); those that come in
# pairs as separate markers; the rest are points.
_WRAP: Final = frozenset({"g", "mrk", "pc"})
_START: Final = frozenset({"bpt", "bx", "sc", "sm"})
_END: Final = frozenset({"ept", "ex", "ec", "em"})

_STATES_12: Final[dict[str, Status]] = {
    "new": "new",
    "needs-translation": "new",
    "needs-adaptation": "draft",
    "needs-l10n": "draft",
    "needs-review-translation": "draft",
    "needs-review-adaptation": "draft",
    "needs-review-l10n": "draft",
    "translated": "translated",
    "final": "reviewed",
    "signed-off": "reviewed",
}
_SDL_CONF: Final[dict[str, Status]] = {
    "draft": "draft",
    "translated": "translated",
    "approvedtranslation": "reviewed",
    "approvedsignoff": "reviewed",
    "rejectedtranslation": "draft",
    "rejectedsignoff": "draft",
}
_MQ_STATUS: Final[dict[str, Status]] = {
    "notstarted": "new",
    "editing": "draft",
    "partiallyedited": "draft",
    "pretranslated": "draft",
    "machinetranslated": "draft",
    "assembledfromfragments": "draft",
    "rejected": "draft",
    "manuallyconfirmed": "translated",
    "confirmed": "translated",
    "translatorconfirmed": "translated",
    "reviewer1confirmed": "reviewed",
    "reviewer2confirmed": "reviewed",
    "proofread": "reviewed",
}
_STATES_20: Final[dict[str, Status]] = {
    "initial": "draft",  # (a target in the initial state: nobody accepted it yet)
    "translated": "translated",
    "reviewed": "reviewed",
    "final": "reviewed",
}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag: object) -> str:
    text = str(tag)
    return text[1:].split("}", 1)[0] if text.startswith("{") else ""


# ------------------------------------------------------------------ inline


@dataclass
class _Content:
    """Plain text and codes of an element, built while walking it."""

    parts: list[str] = field(default_factory=list)
    codes: list[InlineCode] = field(default_factory=list)
    length: int = 0
    count: int = 0

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value)
            self.length += len(value)

    def code(self, kind: str, element: etree._Element, data: str, pair: str = "") -> None:
        self.count += 1
        ident = element.get("id") or element.get("mid") or element.get("rid") or ""
        label = f"<{_local(element.tag)}" + (f" id={ident}" if ident else "") + ">"
        self.codes.append(
            InlineCode(pair or f"c{self.count}", kind, self.length, data, label)  # type: ignore[arg-type]
        )


def _shallow(element: etree._Element) -> str:
    """The element without its content, as XML (for codes that wrap text)."""
    from lxml import etree

    copy = etree.Element(
        element.tag,
        {str(k): str(v) for k, v in element.attrib.items()},
        nsmap=cast(Any, element.nsmap),
    )
    return etree.tostring(copy, encoding="unicode")


def _whole(element: etree._Element) -> str:
    """The element with its content but without its tail, as XML."""
    from lxml import etree

    return etree.tostring(element, encoding="unicode", with_tail=False)


def _walk(element: etree._Element, out: _Content, *, segments: bool = False) -> None:
    out.text(element.text)
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            out.code("standalone", child, _whole(child))
        else:
            name = _local(child.tag)
            if name == "mrk" and segments and child.get("mtype") == "seg":
                _walk(child, out, segments=segments)
            elif name in _WRAP:
                pair = f"w{out.count + 1}"
                out.code("open", child, _shallow(child), pair)
                _walk(child, out, segments=segments)
                out.codes.append(
                    InlineCode(pair, "close", out.length, "", f"</{name}>"),
                )
            elif name in _START:
                out.code("open", child, _whole(child), _pair_key(child, start=True))
            elif name in _END:
                out.code("close", child, _whole(child), _pair_key(child, start=False))
            else:
                out.code("standalone", child, _whole(child))
        out.text(child.tail)


def _pair_key(element: etree._Element, *, start: bool) -> str:
    if element.get("isolated") == "yes":
        return ""
    ref = element.get("rid") or (element.get("id") if start else element.get("startRef"))
    ref = ref or element.get("id") or ""
    return f"p:{ref}" if ref else ""


def _fix_pairs(codes: list[InlineCode]) -> list[InlineCode]:
    """Marker pairs (bpt/ept...) that do not pair up in the segment become points,
    and every pair gets a unique id."""
    from dataclasses import replace

    opens: dict[str, int] = {}
    matched: dict[int, int] = {}
    for i, code in enumerate(codes):
        if code.kind == "open":
            if code.id in opens or not code.id:
                continue
            opens[code.id] = i
        elif code.kind == "close" and code.id in opens:
            matched[opens.pop(code.id)] = i
    closers = set(matched.values())
    out: list[InlineCode] = []
    for i, code in enumerate(codes):
        if code.kind == "open" and i in matched:
            out.append(replace(code, id=f"{code.id}#{i}"))
        elif code.kind == "close" and i in closers:
            j = next(k for k, v in matched.items() if v == i)
            out.append(replace(code, id=f"{codes[j].id}#{j}"))
        elif code.kind in ("open", "close"):
            out.append(replace(code, kind="standalone", id=f"s{i}"))
        else:
            out.append(replace(code, id=code.id if code.id else f"s{i}"))
    return out


def _preserve(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        value = node.get(XML_SPACE)
        if value is not None:
            return value == "preserve"
        node = node.getparent()
    return False


_SPACE = re.compile(r"\s+")


def content(
    element: etree._Element, *, segments: bool = False
) -> tuple[str, tuple[InlineCode, ...]]:
    """The plain text of an XLIFF element and its inline codes at offsets of it.

    White space is collapsed and stripped unless `xml:space="preserve"`
    applies, where only the leading and trailing white space is left out
    (the writer puts it back around the translation)."""
    out = _Content()
    _walk(element, out, segments=segments)
    raw = "".join(out.parts)
    collapse = not _preserve(element)
    if not out.codes:  # the common case, without the offset mapping
        return (" ".join(raw.split()) if collapse else raw.strip()), ()
    codes = _fix_pairs(out.codes)
    text, mapping = _normalise(raw, collapse=collapse)
    from dataclasses import replace

    return text, tuple(replace(c, offset=mapping[c.offset]) for c in codes)


def _normalise(raw: str, *, collapse: bool) -> tuple[str, list[int]]:
    """The text without leading/trailing white space (and with runs collapsed
    when `collapse`), and where each offset of `raw` lands in it."""
    start = len(raw) - len(raw.lstrip())
    end = len(raw.rstrip())
    mapping: list[int] = []
    out: list[str] = []
    length = 0
    i = 0
    while i <= len(raw):
        if i < start:
            mapping.append(0)
            i += 1
            continue
        if i >= end:
            mapping.extend([length] * (len(raw) + 1 - i))
            break
        ch = raw[i]
        if collapse and ch.isspace():
            j = i
            while j < end and raw[j].isspace():
                j += 1
            mapping.extend([length] * (j - i))
            out.append(" ")
            length += 1
            i = j
            continue
        mapping.append(length)
        out.append(ch)
        length += 1
        i += 1
    return "".join(out), mapping


def _edges(element: etree._Element) -> tuple[str, str]:
    """The leading and trailing white space of an element's text, kept under
    xml:space="preserve"."""
    if not _preserve(element):
        return "", ""
    raw = "".join(str(t) for t in element.itertext())
    return raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]


# ------------------------------------------------------------------ scanning


@dataclass
class _Seg:
    key: str
    number: int
    seg_id: str
    source: etree._Element  # <source>, or the <mrk mtype="seg"> of <seg-source>
    target: etree._Element | None  # <target>, or its <mrk>; None when absent
    container: etree._Element  # where a new <target> goes (trans-unit / segment)
    translate: bool
    segmented: bool
    sdl_seg: etree._Element | None = None


@dataclass
class _Unit:
    index: int
    element: etree._Element
    unit_id: str
    file: str
    segments: list[_Seg]


def _translatable(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        value = node.get("translate")
        if value is not None:
            return value != "no"
        node = node.getparent()
    return True


def _parse(data: bytes, name: str) -> tuple[etree._ElementTree, str]:
    tree = safexml.parse(data, name, keep=True)
    root = tree.getroot()
    if _local(root.tag) != "xliff":
        raise UnreadableFile(
            f"{name} is not an XLIFF file.",
            [Problem(name, None, f"the root element is <{_local(root.tag)}>, not <xliff>")],
        )
    version = root.get("version", "")
    if not version:
        version = "2.0" if _ns(root.tag) == NS20 else "1.2"
    if not (version.startswith("1.") or version.startswith("2.")):
        raise UnreadableFile(
            f"{name} was not read.",
            [
                Problem(
                    name,
                    None,
                    f"XLIFF version {version} is not supported",
                    hint="export XLIFF 1.2 or 2.0 from the CAT tool",
                )
            ],
        )
    return tree, version


def _units(tree: etree._ElementTree, version: str) -> Iterator[_Unit]:
    root = tree.getroot()
    index = 0
    v2 = version.startswith("2.")
    for file in root.iter("{*}file"):
        original = file.get("original", "") or file.get("id", "")
        for unit in file.iter("{*}unit" if v2 else "{*}trans-unit"):
            if _local(unit.tag) not in ("unit", "trans-unit"):
                continue
            yield _Unit(
                index,
                unit,
                unit.get("id", ""),
                original,
                _segments_20(unit, index) if v2 else _segments_12(unit, index),
            )
            index += 1


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            return child
    return None


def _segments_12(unit: etree._Element, index: int) -> list[_Seg]:
    source = _child(unit, "source")
    if source is None:
        return []
    target = _child(unit, "target")
    translate = _translatable(unit)
    seg_source = _child(unit, "seg-source")
    marks = (
        [m for m in seg_source.iter("{*}mrk") if m.get("mtype") == "seg"]
        if seg_source is not None
        else []
    )
    defs: dict[str, etree._Element] = {}
    for seg_defs in unit.iter(f"{{{SDL}}}seg-defs"):
        defs.update({s.get("id", ""): s for s in seg_defs if _local(s.tag) == "seg"})
    if not marks:
        return [_Seg(f"u{index}", 1, "", source, target, unit, translate, False, defs.get("1"))]
    targets: dict[str, etree._Element] = {}
    if target is not None:
        targets = {m.get("mid", ""): m for m in target.iter("{*}mrk") if m.get("mtype") == "seg"}
    return [
        _Seg(
            f"u{index}s{n}",
            n,
            m.get("mid", ""),
            m,
            targets.get(m.get("mid", "")),
            unit,
            translate,
            True,
            defs.get(m.get("mid", "")),
        )
        for n, m in enumerate(marks, 1)
    ]


def _segments_20(unit: etree._Element, index: int) -> list[_Seg]:
    translate = _translatable(unit)
    segs = [c for c in unit if isinstance(c.tag, str) and _local(c.tag) == "segment"]
    out = []
    for n, seg in enumerate(segs, 1):
        source = _child(seg, "source")
        if source is None:
            continue
        out.append(
            _Seg(
                f"u{index}s{n}",
                n,
                seg.get("id", ""),
                source,
                _child(seg, "target"),
                seg,
                translate,
                len(segs) > 1,
            )
        )
    return out


# ------------------------------------------------------------------ statuses


def _flavour(root: etree._Element, version: str) -> str:
    if version.startswith("2."):
        return f"xliff-{version}"
    spaces = {str(v) for v in root.nsmap.values()}
    if SDL in spaces:
        return "sdlxliff"
    if MQ in spaces:
        return "memoq"
    if IWS in spaces:
        return "worldserver"
    return "xliff-1.2"


def _iws_status(unit: etree._Element) -> etree._Element | None:
    """WorldServer's `<iws:segment-metadata><iws:status .../>` of a unit."""
    metadata = unit.find(f"{{{IWS}}}segment-metadata")
    return metadata.find(f"{{{IWS}}}status") if metadata is not None else None


def _status_12(seg: _Seg, unit: etree._Element, has_text: bool) -> tuple[str, Status, bool]:
    """(the file's own status value, its meaning, locked)."""
    locked = False
    if seg.sdl_seg is not None:
        conf = seg.sdl_seg.get("conf", "")
        locked = seg.sdl_seg.get("locked", "") == "true"
        status = _SDL_CONF.get(conf.lower(), "draft" if has_text else "new")
        return conf, (status if has_text else "new"), locked
    mq_status = unit.get(f"{{{MQ}}}status")
    if mq_status is not None:
        locked = unit.get(f"{{{MQ}}}locked", "") in ("locked", "true", "yes")
        status = _MQ_STATUS.get(mq_status.lower(), "draft")
        return mq_status, (status if has_text else "new"), locked
    iws = _iws_status(unit)
    if iws is not None:
        locked = iws.get("lock_status", "") == "locked"
        kind = iws.get("translation_type", "")
        finished = iws.get("translation_status", "") == "finished"
        if has_text and kind.startswith("machine_translation"):
            return kind, "draft", locked
        if has_text and finished:
            return "finished", "translated", locked
        if has_text and iws.get("match-quality", "") == "fuzzy":
            return "fuzzy", "draft", locked
        if not has_text:
            return kind, "new", locked
    state = ""
    target = _child(unit, "target")
    if target is not None:
        state = target.get("state", "")
    if not has_text:
        return state, "new", locked
    if unit.get("approved") == "yes":
        return state or "approved", "reviewed", locked
    return state, _STATES_12.get(state, "translated" if not state else "draft"), locked


def _status_20(seg: _Seg, has_text: bool) -> tuple[str, Status, bool]:
    state = seg.container.get("state", "")
    if not has_text:
        return state, "new", False
    if seg.container.get("subState") == MT_SUBSTATE:
        return state, "draft", False
    return state, _STATES_20.get(state, "translated"), False


# ------------------------------------------------------------------ reading


def read_job(data: bytes, name: str) -> Job:
    """The segments of an XLIFF file (see the module doc)."""
    tree, version = _parse(data, name)
    root = tree.getroot()
    v2 = version.startswith("2.")
    flavour = _flavour(root, version)
    segments: list[JobSegment] = []
    warnings: list[str] = []
    pairs: list[tuple[str, str]] = []
    if v2:
        pairs.append((root.get("srcLang", ""), root.get("trgLang", "")))
    else:
        for file in root.iter("{*}file"):
            pair = (file.get("source-language", ""), file.get("target-language", ""))
            if pair not in pairs:
                pairs.append(pair)
    if len(pairs) > 1:
        warnings.append(
            f"{name} declares several language pairs ({', '.join(f'{s}→{t}' for s, t in pairs)}); "
            "the first is checked."
        )
    for unit in _units(tree, version):
        for seg in unit.segments:
            text, codes = content(seg.source, segments=True)
            target_text: str = ""
            target_codes: tuple[InlineCode, ...] = ()
            if seg.target is not None:
                target_text, target_codes = content(seg.target, segments=True)
            has_text = bool(target_text.strip())
            state, status, locked = (
                _status_20(seg, has_text) if v2 else _status_12(seg, unit.element, has_text)
            )
            notes = tuple(
                " ".join("".join(str(t) for t in n.itertext()).split())
                for n in unit.element.iter("{*}note")
            )
            origin = _origin(unit.element)
            segments.append(
                JobSegment(
                    key=seg.key,
                    unit_id=unit.unit_id,
                    number=seg.number,
                    source=text,
                    target=target_text,
                    source_codes=codes,
                    target_codes=target_codes,
                    has_target=seg.target is not None,
                    state=state,
                    status=status,
                    translate=seg.translate,
                    locked=locked,
                    # The unit's line for a unit of one segment (what `check`
                    # points at), the segment's own source line otherwise.
                    line=cast(
                        "int | None",
                        seg.source.sourceline if seg.segmented else unit.element.sourceline,
                    ),
                    file=unit.file,
                    segmented=seg.segmented,
                    notes=notes,
                    origin=origin,
                    merge_key=segment_key(unit.file, int(unit.unit_id))
                    if unit.file and unit.unit_id.isdigit() and not seg.segmented
                    else "",
                )
            )
    source_lang, target_lang = pairs[0] if pairs else ("", "")
    return Job(name, "xliff", flavour, tuple(segments), source_lang, target_lang, tuple(warnings))


def _origin(unit: etree._Element) -> str:
    """The source file and line a unit's location gives ("brief.txt:12"): a
    1.2 `<context-group purpose="location">`, a 2.x `<note category="location">`
    (Angular), "" when it has none."""
    for note in unit.iter("{*}note"):
        if note.get("category") == "location" and (note.text or "").strip():
            return (note.text or "").strip()
    for group in unit.iter("{*}context-group"):
        if group.get("purpose") != "location":
            continue
        found = {c.get("context-type"): (c.text or "").strip() for c in group.iter("{*}context")}
        if found.get("sourcefile"):
            line = found.get("linenumber", "")
            return found["sourcefile"] + (f":{line}" if line else "")
    return ""


def read_units(data: bytes, name: str) -> list[BilingualUnit]:
    """The segments as units for `check` and `merge` (every status counted)."""
    return read_job(data, name).units()


# ------------------------------------------------------------------ writing


def _rebuild(parent: etree._Element, xml: str, *, empty: bool = False) -> etree._Element:
    """A copy of the element in `xml` appended to `parent` (namespaces from the
    parent's scope, so no declarations are repeated); `empty`: without content."""
    from lxml import etree

    fragment = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))

    def copy(into: etree._Element, node: etree._Element) -> etree._Element:
        if not isinstance(node.tag, str):
            made = etree.Comment(node.text) if isinstance(node, etree._Comment) else node
            into.append(made)
            return made
        made = etree.SubElement(into, node.tag, {str(k): str(v) for k, v in node.attrib.items()})
        if not empty or node is not fragment:
            made.text = node.text
            for child in node:
                copy(made, child).tail = child.tail
        return made

    return copy(parent, fragment)


def _fill(element: etree._Element, text: str, codes: Sequence[InlineCode]) -> None:
    """Replace the content of `element` with `text` and its codes."""
    for child in list(element):
        element.remove(child)
    element.text = None
    stack: list[etree._Element] = [element]
    last: etree._Element | None = None  # the last node written into stack[-1]

    def put_text(value: str) -> None:
        nonlocal last
        if last is None:
            stack[-1].text = (stack[-1].text or "") + value
        else:
            last.tail = (last.tail or "") + value

    for piece in code_pieces(text, codes):
        if isinstance(piece, str):
            put_text(piece)
            continue
        if piece.kind == "open" and piece.data and not piece.data.startswith("<!--"):
            wraps = _local(_tag_of(piece.data)) in _WRAP
            made = _rebuild(stack[-1], piece.data, empty=wraps)
            if wraps:
                stack.append(made)
                last = None
            else:
                last = made
        elif piece.kind == "close" and not piece.data:
            if len(stack) > 1:
                last = stack.pop()
        elif piece.data:
            last = _rebuild(stack[-1], piece.data)


def _code_key(xml: str) -> tuple[str, str]:
    from lxml import etree

    if not xml or xml.startswith("<!--") or xml.startswith("<?"):
        return ("", "")
    element = etree.fromstring(xml)
    return (_local(element.tag), element.get("id", ""))


def _outside_codes(mark: etree._Element) -> set[tuple[str, str]]:
    """Codes of a segmented target that sit outside its segments (Trados moves
    a segment's leading placeholders there): not written again inside."""
    whole = mark.getparent()
    while whole is not None and _local(whole.tag) != "target":
        whole = whole.getparent()
    if whole is None:
        return set()
    found: set[tuple[str, str]] = set()
    for element in whole.iter():
        if not isinstance(element.tag, str) or element is whole:
            continue
        inside = False
        node = element.getparent()
        while node is not None and node is not whole:
            if _local(node.tag) == "mrk" and node.get("mtype") == "seg":
                inside = True
                break
            node = node.getparent()
        if not inside and not (_local(element.tag) == "mrk" and element.get("mtype") == "seg"):
            found.add((_local(element.tag), element.get("id", "")))
    return found


def _tag_of(xml: str) -> str:
    from lxml import etree

    return str(etree.fromstring(xml).tag)


def _insert_after(container: etree._Element, new: etree._Element, *after: str) -> None:
    """Put `new` right after the last child named one of `after`."""
    position = 0
    for i, child in enumerate(container):
        if isinstance(child.tag, str) and _local(child.tag) in after:
            position = i + 1
    anchor = container[position - 1] if position else None
    container.insert(position, new)
    if anchor is not None and anchor.tail is not None and not anchor.tail.strip():
        # keep the layout: the anchor's indentation before the new element, and
        # what followed the anchor after it
        before = anchor.getprevious()
        indent = before.tail if before is not None else container.text
        new.tail = anchor.tail
        anchor.tail = indent if indent is not None and not indent.strip() else anchor.tail


def _target_for(seg: _Seg, unit: etree._Element, v2: bool) -> etree._Element:
    """The element to write the segment's translation into (created when missing)."""
    from lxml import etree

    if seg.target is not None:
        return seg.target
    ns = _ns(seg.container.tag)
    q = f"{{{ns}}}" if ns else ""
    if v2:
        target = etree.Element(f"{q}target")
        _insert_after(seg.container, target, "source")
        seg.target = target
        return target
    whole = _child(unit, "target")
    if not seg.segmented:
        target = etree.Element(f"{q}target")
        _insert_after(unit, target, "source", "seg-source")
        seg.target = target
        return target
    if whole is None:
        seg_source = _child(unit, "seg-source")
        assert seg_source is not None
        whole = etree.Element(f"{q}target")
        whole.text = seg_source.text
        for child in seg_source:
            _rebuild(whole, _whole(child)).tail = child.tail
        for mark in whole.iter("{*}mrk"):
            if mark.get("mtype") == "seg":
                for sub in list(mark):
                    mark.remove(sub)
                mark.text = None
        _insert_after(unit, whole, "source", "seg-source")
    for mark in whole.iter("{*}mrk"):
        if mark.get("mtype") == "seg" and mark.get("mid") == seg.seg_id:
            seg.target = mark
            return mark
    from lxml import etree as _etree

    mark = _etree.SubElement(whole, f"{q}mrk", {"mtype": "seg", "mid": seg.seg_id})
    seg.target = mark
    return mark


def _mark(seg: _Seg, unit: etree._Element, flavour: str, mark: str) -> None:
    from lxml import etree

    if flavour.startswith("xliff-2"):
        if mark == "mt":
            seg.container.set("state", "translated")
            seg.container.set("subState", MT_SUBSTATE)
        else:
            seg.container.set("state", "translated")
            if seg.container.get("subState") == MT_SUBSTATE:
                del seg.container.attrib["subState"]
        return
    if flavour == "sdlxliff":
        sdl_seg = seg.sdl_seg
        if sdl_seg is None:
            defs = next(iter(unit.iter(f"{{{SDL}}}seg-defs")), None)
            if defs is None:
                defs = etree.SubElement(unit, f"{{{SDL}}}seg-defs")
            sdl_seg = etree.SubElement(defs, f"{{{SDL}}}seg", {"id": seg.seg_id or "1"})
            seg.sdl_seg = sdl_seg
        if mark == "mt":
            sdl_seg.set("conf", "Draft")
            sdl_seg.set("origin", "mt")
            sdl_seg.set("origin-system", "glossary")
            for stale in ("percent", "text-match"):
                if stale in sdl_seg.attrib:
                    del sdl_seg.attrib[stale]
        else:
            sdl_seg.set("conf", "Translated")
        return
    target = _child(unit, "target")
    if flavour == "memoq":
        unit.set(f"{{{MQ}}}status", "Pretranslated" if mark == "mt" else "ManuallyConfirmed")
    iws = _iws_status(unit) if flavour == "worldserver" else None
    if iws is not None:
        if mark == "mt":
            iws.set("translation_type", "machine_translation_mt")
            for stale in ("translation_status", "target_content", "match-quality"):
                if stale in iws.attrib:
                    del iws.attrib[stale]
        else:
            iws.set("translation_type", "manual_translation")
            iws.set("translation_status", "finished")
    if target is not None and not seg.segmented:
        if mark == "mt":
            target.set("state", MT_STATE)
            target.set("state-qualifier", MT_QUALIFIER)
        else:
            target.set("state", "translated")
            if "state-qualifier" in target.attrib:
                del target.attrib["state-qualifier"]
    elif target is not None and mark == "mt" and flavour == "xliff-1.2":
        target.set("state", MT_STATE)
        target.set("state-qualifier", MT_QUALIFIER)


def _set_notes(unit: etree._Element, lines: Sequence[str], v2: bool) -> bool:
    """Replace the glossary notes of a unit; True when anything changed."""
    from lxml import etree

    ns = _ns(unit.tag)
    q = f"{{{ns}}}" if ns else ""
    if v2:
        notes = _child(unit, "notes")
        old = (
            [n for n in notes if _local(n.tag) == "note" and n.get("category") == NOTE_FROM]
            if notes is not None
            else []
        )
    else:
        old = [n for n in unit if _local(n.tag) == "note" and n.get("from") == NOTE_FROM]
    if [n.text or "" for n in old] == list(lines):
        return False
    for n in old:
        parent = n.getparent()
        if parent is not None:
            parent.remove(n)
    if not lines:
        return True
    if v2:
        if notes is None:
            notes = etree.Element(f"{q}notes")
            unit.insert(0, notes)
            if unit.text is not None and not unit.text.strip():
                notes.tail = unit.text
        for line in lines:
            etree.SubElement(notes, f"{q}note", {"category": NOTE_FROM}).text = line
    else:
        for line in lines:
            note = etree.Element(f"{q}note", {"from": NOTE_FROM, "annotates": "source"})
            note.text = line
            _insert_after(unit, note, "source", "seg-source", "target", "context-group", "note")
    return True


def write_job(
    data: bytes,
    name: str,
    updates: Sequence[TargetUpdate],
    *,
    hints: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """The XLIFF file `data` with the targets of `updates` in place (see the module doc)."""
    tree, version = _parse(data, name)
    root = tree.getroot()
    v2 = version.startswith("2.")
    flavour = _flavour(root, version)
    wanted = {u.key: u for u in updates}
    hints = hints or {}
    changed: set[int] = set()
    units = list(_units(tree, version))
    for unit in units:
        unit_hints: list[str] = []
        for seg in unit.segments:
            for line in hints.get(seg.key, ()):
                if line not in unit_hints:
                    unit_hints.append(line)
            update = wanted.get(seg.key)
            if update is None:
                continue
            element = _target_for(seg, unit.element, v2)
            lead, trail = _edges(seg.source)
            text = lead + update.target + trail if update.target else ""
            outside = _outside_codes(element) if seg.segmented else set()
            codes = tuple(
                c.__class__(c.id, c.kind, c.offset + len(lead), c.data, c.label)
                for c in update.codes
                if not (c.kind == "standalone" and _code_key(c.data) in outside)
            )
            _fill(element, text, codes)
            _mark(seg, unit.element, flavour, update.mark)
            changed.add(unit.index)
        if (unit_hints or any(s.key in hints for s in unit.segments)) and _set_notes(
            unit.element, unit_hints, v2
        ):
            changed.add(unit.index)
    if not changed:
        return data
    return _splice(data, tree, [u for u in units if u.index in changed], units, v2)


# ------------------------------------------------------------------ splicing

_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _encoding(data: bytes, tree: etree._ElementTree) -> tuple[bytes, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return bom, codec
    declared = tree.docinfo.encoding or "utf-8"
    return b"", declared


def _unit_spans(text: str, local: str) -> list[tuple[int, int]]:
    """Start and end of every unit element in the text of a file, in order."""
    start = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?" + local + r"(?=[\s/>])")
    end = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?" + local + r"\s*>")
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        s = start.search(text, pos)
        if s is None:
            return spans
        e = end.search(text, s.end())
        if e is None:
            return spans
        spans.append((s.start(), e.end()))
        pos = e.end()


def _splice(
    data: bytes,
    tree: etree._ElementTree,
    changed: Sequence[_Unit],
    units: Sequence[_Unit],
    v2: bool,
) -> bytes:
    """The original bytes with only the changed units serialised again (the whole
    tree serialised when the units cannot be found safely in the text)."""
    from lxml import etree

    bom, codec = _encoding(data, tree)
    body = data[len(bom) :]
    try:
        original = body.decode(codec)
        new = cast(bytes, etree.tostring(tree.getroot(), encoding=codec)).decode(codec)
    except (LookupError, UnicodeDecodeError):
        encoding = tree.docinfo.encoding or "UTF-8"
        return cast(bytes, etree.tostring(tree, encoding=encoding, xml_declaration=True))
    if new.startswith("<?xml"):
        new = new[new.index("?>") + 2 :].lstrip("\r\n")
    local = "unit" if v2 else "trans-unit"
    old_spans = _unit_spans(original, local)
    new_spans = _unit_spans(new, local)
    lines_ok = len(old_spans) == len(new_spans) == len(units) and _lines_agree(
        original, old_spans, units
    )
    if not lines_ok:
        head = original[: _root_start(original)]
        return bom + (head + new + _tail(original)).encode(codec, "xmlcharrefreplace")
    pieces: list[str] = []
    pos = 0
    for unit in changed:
        a, b = old_spans[unit.index]
        c, d = new_spans[unit.index]
        pieces.append(original[pos:a])
        pieces.append(new[c:d])
        pos = b
    pieces.append(original[pos:])
    return bom + "".join(pieces).encode(codec, "xmlcharrefreplace")


def _lines_agree(text: str, spans: Sequence[tuple[int, int]], units: Sequence[_Unit]) -> bool:
    """Each unit found in the text starts on or before the line the parser saw it
    on (a check that the text search found the same units), counted in one pass."""
    line, pos = 1, 0
    for (start, _), unit in zip(spans, units, strict=True):
        line += text.count("\n", pos, start)
        pos = start
        if line > (cast("int | None", unit.element.sourceline) or 0):
            return False
    return True


def _root_start(text: str) -> int:
    from glossary.files.formats import _skip_prolog

    pos, _ = _skip_prolog(text)
    return max(pos, 0)


def _tail(text: str) -> str:
    stripped = text.rstrip()
    return text[len(stripped) :]
