"""XLIFF 1.2: translated documents for CAT tools, and reading them back.

`write_translations` writes one `<file>` per document (`original` = its
path, nl -> en, datatype plaintext) and one `<trans-unit>` per translated
segment: `id` is the segment's index in the document, the `<target>`
carries the machine translation with `state="needs-review-translation"
state-qualifier="leveraged-mt"` (left out when there is none, e.g. with
`--engine none`), a `<context-group purpose="location" name="source-N">`
(names unique in a file, as the 1.2 schema wants) gives source file
and line, and each term found in the segment is a `<note annotates="source">`
hint. The model signature is a note in the file header. Segments that are
not translated (page numbers, reference codes) are left out.

`read_units` reads XLIFF 1.2 back (any tool's; inline markup is flattened to
its text) for `glossary merge` and `glossary check`; a unit counts as
reviewed once its state is translated, final or signed-off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Final, cast

from glossary import __version__
from glossary.document import TranslatedDocument
from glossary.errors import Problem, UnreadableFile
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    BilingualUnit,
    norm_space,
    segment_key,
    term_hints,
)
from glossary.files import safexml

if TYPE_CHECKING:
    from lxml import etree

NS: Final = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE: Final = "{http://www.w3.org/XML/1998/namespace}space"
MT_STATE: Final = "needs-review-translation"
MT_QUALIFIER: Final = "leveraged-mt"
REVIEWED_STATES: Final = frozenset({"translated", "final", "signed-off"})


def to_xliff(docs: Sequence[TranslatedDocument]) -> str:
    """The XLIFF document text (deterministic)."""
    from lxml import etree

    q = f"{{{NS}}}"
    root = etree.Element(f"{q}xliff", {"version": "1.2"}, nsmap=cast(Any, {None: NS}))
    for doc in docs:
        file = etree.SubElement(
            root,
            f"{q}file",
            {
                "original": doc.document.path,
                "source-language": SOURCE_LANG,
                "target-language": TARGET_LANG,
                "datatype": "plaintext",
            },
        )
        header = etree.SubElement(file, f"{q}header")
        etree.SubElement(
            header,
            f"{q}tool",
            {"tool-id": "glossary", "tool-name": "glossary", "tool-version": __version__},
        )
        if doc.signature:
            note = etree.SubElement(header, f"{q}note", {"from": "glossary"})
            note.text = f"Model: {doc.signature}"
        body = etree.SubElement(file, f"{q}body")
        for ts in doc.segments:
            seg = ts.segment
            if not seg.translate or not seg.text:
                continue
            unit = etree.SubElement(
                body, f"{q}trans-unit", {"id": str(seg.index), XML_SPACE: "preserve"}
            )
            etree.SubElement(unit, f"{q}source").text = seg.text
            if ts.target:
                target = etree.SubElement(
                    unit, f"{q}target", {"state": MT_STATE, "state-qualifier": MT_QUALIFIER}
                )
                target.text = ts.target
            group = etree.SubElement(
                unit,
                f"{q}context-group",
                # names are unique in a <file> (the 1.2 schema's U_context-group_name)
                {"purpose": "location", "name": f"source-{seg.index}"},
            )
            etree.SubElement(group, f"{q}context", {"context-type": "sourcefile"}).text = seg.doc
            etree.SubElement(group, f"{q}context", {"context-type": "linenumber"}).text = str(
                seg.line
            )
            for line in term_hints(ts.terms):
                hint = etree.SubElement(
                    unit, f"{q}note", {"from": "glossary", "annotates": "source"}
                )
                hint.text = line
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return data.decode("utf-8")


def write_translations(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Translated documents as XLIFF 1.2 for post-editing in a CAT tool."""
    stream.write(to_xliff(docs))


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def read_units(data: bytes, path: str) -> list[BilingualUnit]:
    """Every trans-unit with its source, target and review state."""
    tree = safexml.parse(data, path)
    root = tree.getroot()
    if _local(root.tag) != "xliff":
        raise UnreadableFile(
            f"{path} is not an XLIFF file.",
            [Problem(path, None, f"the root element is <{_local(root.tag)}>, not <xliff>")],
        )
    version = root.get("version", "")
    if not version.startswith("1."):
        raise UnreadableFile(
            f"{path} was not read.",
            [
                Problem(
                    path,
                    None,
                    f"XLIFF version {version or '?'} is not supported",
                    hint="export XLIFF 1.2 from the CAT tool",
                )
            ],
        )
    units: list[BilingualUnit] = []
    for file in root.iter("{*}file"):
        original = file.get("original", "")
        for unit in file.iter("{*}trans-unit"):
            source = unit.find("{*}source")
            if source is None:
                continue
            target = unit.find("{*}target")
            unit_id = unit.get("id", "")
            line = cast("int | None", unit.sourceline)
            state = target.get("state", "") if target is not None else ""
            units.append(
                BilingualUnit(
                    _flat(source),
                    _flat(target) if target is not None else "",
                    ref=f"{original}#{unit_id}" if original else f"{path}:{line}",
                    key=segment_key(original, int(unit_id)) if unit_id.isdigit() else "",
                    reviewed=target is not None and (not state or state in REVIEWED_STATES),
                    line=line,
                    notes=tuple(
                        norm_space("".join(str(t) for t in n.itertext()))
                        for n in unit.iter("{*}note")
                    ),
                    unit_id=unit_id,
                    number=len(units) + 1,
                )
            )
    return units


def _flat(element: etree._Element) -> str:
    text = "".join(str(t) for t in element.itertext())
    if element.get(XML_SPACE) == "preserve":
        return text
    parent = element.getparent()
    if parent is not None and parent.get(XML_SPACE) == "preserve":
        return text
    return norm_space(text)
