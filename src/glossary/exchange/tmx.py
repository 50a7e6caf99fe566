"""TMX 1.4b: translated segments as a translation memory, and reading TMX.

`write_translations` writes one `<tu>` per distinct (Dutch, English) pair of
the translated segments, in document order: `tuid` is the segment's key
("file.txt#12", see `glossary.exchange.registry.segment_key`), a `<prop
type="x-ref">` points at file and line, a `<note>` says that the English is
unreviewed machine translation and which model made it, and the two `<tuv
xml:lang="nl|en">` hold the segments. Segments without a translation (e.g.
`--engine none`) are left out: a memory holds translations only. The file
is valid by the TMX 1.4b DTD (`<!DOCTYPE tmx SYSTEM "tmx14.dtd">`) and has
no dates, so it is deterministic.

`read_units` reads any TMX (1.1 to 1.4) for `glossary check`: Dutch and
English variants of each unit (region subtags ignored; other languages when
named), inline markup flattened to its text. `languages` says which
languages a file holds, so a memory without Dutch or English is refused
rather than read as empty (`glossary.exchange.importing.read_bilingual`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Final, cast

from glossary import __version__
from glossary.document import TranslatedDocument
from glossary.errors import Problem, UnreadableFile
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    BilingualUnit,
    norm_space,
    segment_key,
)
from glossary.files import safexml

if TYPE_CHECKING:
    from lxml import etree

XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE: Final = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def to_tmx(docs: Sequence[TranslatedDocument]) -> str:
    """The TMX document text (deterministic)."""
    from lxml import etree

    root = etree.Element("tmx", {"version": "1.4"})
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "glossary",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "glossary",
            "adminlang": "en",
            "srclang": SOURCE_LANG,
            "datatype": "plaintext",
        },
    )
    body = etree.SubElement(root, "body")
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        note_text = "Machine translation, not reviewed" + (
            f". Model: {doc.signature}" if doc.signature else "."
        )
        for ts in doc.segments:
            seg = ts.segment
            pair = (seg.text, ts.target)
            if not seg.translate or not seg.text or not ts.target or pair in seen:
                continue
            seen.add(pair)
            unit = etree.SubElement(body, "tu", {"tuid": segment_key(seg.doc, seg.index)})
            etree.SubElement(unit, "note").text = note_text
            etree.SubElement(unit, "prop", {"type": "x-ref"}).text = seg.ref
            for lang, text in ((SOURCE_LANG, seg.text), (TARGET_LANG, ts.target)):
                variant = etree.SubElement(unit, "tuv", {XML_LANG: lang})
                etree.SubElement(variant, "seg").text = text
    data = etree.tostring(
        root, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=DOCTYPE
    )
    return data.decode("utf-8")


def write_translations(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Translated documents as a TMX 1.4b translation memory."""
    stream.write(to_tmx(docs))


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _lang(element: etree._Element) -> str:
    value = element.get(XML_LANG) or element.get("lang") or ""
    return value.replace("_", "-").split("-")[0].lower()


def _root(data: bytes, path: str) -> etree._Element:
    tree = safexml.parse(data, path)
    root = tree.getroot()
    if _local(root.tag) != "tmx":
        raise UnreadableFile(
            f"{path} is not a TMX file.",
            [Problem(path, None, f"the root element is <{_local(root.tag)}>, not <tmx>")],
        )
    return root


def languages(data: bytes, path: str) -> tuple[str, Counter[str]]:
    """The header's `srclang` (primary code, "" for none or `*all*`) and how many
    units have a variant in each language."""
    root = _root(data, path)
    header = root.find("{*}header")
    declared = header.get("srclang", "") if header is not None else ""
    declared = "" if declared.strip().lower() in ("", "*all*") else _code(declared)
    counts: Counter[str] = Counter()
    for unit in root.iter("{*}tu"):
        counts.update({_lang(v) for v in unit.iter("{*}tuv") if _lang(v)})
    return declared, counts


def _code(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def read_units(
    data: bytes, path: str, *, source: str = SOURCE_LANG, target: str = TARGET_LANG
) -> list[BilingualUnit]:
    """The units with a `source` and a `target` variant (primary codes: region
    subtags ignored); Dutch and English unless told otherwise."""
    root = _root(data, path)
    units: list[BilingualUnit] = []
    for unit in root.iter("{*}tu"):
        texts: dict[str, str] = {}
        for variant in unit.iter("{*}tuv"):
            seg = variant.find("{*}seg")
            if seg is not None:
                texts.setdefault(
                    _lang(variant), norm_space("".join(str(t) for t in seg.itertext()))
                )
        if source not in texts or target not in texts:
            continue
        line = cast("int | None", unit.sourceline)
        ref = next(
            (norm_space(p.text) for p in unit.iter("{*}prop") if p.get("type") == "x-ref"), ""
        )
        units.append(
            BilingualUnit(
                texts[source],
                texts[target],
                ref=ref or unit.get("tuid", "") or f"{path}:{line}",
                key=unit.get("tuid", ""),
                line=line,
                unit_id=unit.get("tuid", ""),
                number=len(units) + 1,
            )
        )
    return units
