"""TBX: the termbase as TermBase eXchange, versions 2 (2008) and 3 (2019).

Export writes the TBX-Basic dialect, the one CAT tools read:

- `write_tbx2`: TBX 2008, no namespace, `<martif type="TBX-Basic">` with
  `termEntry` / `langSet xml:lang` / `tig` (term, then termNotes, then
  descrip/note); valid by the TBX-Basic v2 DTD, RNG and Schematron rules.
  OmegaT, translate-toolkit (Weblate, Pootle), Okapi and memoQ read it.
- `write_tbx3`: TBX v3 (ISO 30042:2019), TBX-Basic in DCA style
  (`urn:iso:std:iso:30042:ed-2`, `conceptEntry` / `langSec` / `termSec`);
  valid by the core RNG and the TBX-Basic DCA Schematron.

How a concept maps (the same in both versions)::

    id                 termEntry/@id (made a valid XML ID: "1e" -> "_x0031_e")
    subject            descrip type="subjectField" on the entry
    sources            admin type="source" on the entry, one per source
    note               note on the entry
    nl, nl_variants    Dutch tigs: preferredTerm-admn-sts, then admittedTerm-admn-sts
    context            descrip type="context" on the Dutch preferred tig
    en                 first English tig; administrativeStatus preferredTerm for
                       approved, admittedTerm for proposed, deprecatedTerm for
                       rejected concepts
    en_alternatives    English tigs, admittedTerm-admn-sts
    en_forbidden       English tigs, deprecatedTerm-admn-sts
    pos                termNote partOfSpeech on every tig (v3 has no properNoun:
                       "noun" plus the note "Part of speech: proper noun.")
    definition         descrip type="definition" on the English langSet (the Dutch
                       one when the concept has no English term)
    status, dnt, case_sensitive, empty en
                       one fixed English sentence each as a note on the entry
                       (`FLAG_NOTES`), which translators read in their CAT tool
                       and the importer turns back into the field

so termbase -> TBX -> import gives the same termbase, field for field.

Import (`read_termbase`) reads both versions, namespaced or not, including
TBX files from IATE (whose numeric ids are not XML IDs, and whose entries
carry many languages: only Dutch and English are read; entries without a
Dutch term are counted as ignored). Files from other tools map the other way
round: the preferred (else first usable) English term becomes `en`, other
admitted terms alternatives, deprecated and superseded terms forbidden
renderings; other notes become the concept's note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Final, cast

from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    ExportOptions,
    ReadResult,
    norm_space,
)
from glossary.files import safexml
from glossary.termbase.model import PARTS_OF_SPEECH, Concept, make_concept

if TYPE_CHECKING:
    from lxml import etree

NS3: Final = "urn:iso:std:iso:30042:ed-2"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE_V2: Final = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'

PREFERRED: Final = "preferredTerm-admn-sts"
ADMITTED: Final = "admittedTerm-admn-sts"
DEPRECATED: Final = "deprecatedTerm-admn-sts"
SUPERSEDED: Final = "supersededTerm-admn-sts"
_EN_STATUS: Final = {"approved": PREFERRED, "proposed": ADMITTED, "rejected": DEPRECATED}
# TBX v3 TBX-Basic's partOfSpeech picklist lacks properNoun.
V3_PARTS_OF_SPEECH: Final = ("adjective", "noun", "other", "verb", "adverb")

# Fixed sentences for what TBX-Basic has no data category for. The importer
# recognises them exactly (whitespace aside); any other note is a note.
NOTE_PROPOSED: Final = "Status: proposed (not yet approved)."
NOTE_REJECTED: Final = "Status: rejected (not a term to use)."
NOTE_DNT: Final = "Do not translate: copy this name unchanged."
NOTE_DNT_FROM_DUTCH: Final = "Do not translate: copy the Dutch name unchanged."
NOTE_CASE: Final = "Case-sensitive: match only this capitalisation."
NOTE_NO_EN: Final = "No English rendering yet."
NOTE_PROPER_NOUN: Final = "Part of speech: proper noun."
FLAG_NOTES: Final = frozenset(
    {
        NOTE_PROPOSED,
        NOTE_REJECTED,
        NOTE_DNT,
        NOTE_DNT_FROM_DUTCH,
        NOTE_CASE,
        NOTE_NO_EN,
        NOTE_PROPER_NOUN,
    }
)


# ------------------------------------------------------------------ XML ids

_ID_START = re.compile(r"[A-Za-z_]")
_ID_CHAR = re.compile(r"[A-Za-z0-9._\-]")
_ID_ESCAPE = re.compile(r"_x([0-9A-F]{4}|[0-9A-F]{8})_")


def xml_id(value: str) -> str:
    """`value` as an XML ID (NCName), reversibly: characters an ID cannot hold
    are written `_xHHHH_` (the XmlConvert.EncodeName convention), so "1e-kamer"
    becomes "_x0031_e-kamer" and `from_xml_id` gives "1e-kamer" back."""
    out: list[str] = []
    for i, ch in enumerate(value):
        ok = (_ID_START if i == 0 else _ID_CHAR).fullmatch(ch) is not None
        if ch == "_" and _ID_ESCAPE.match(value, i):
            ok = False  # a literal "_x0041_" must not read back as "A"
        if ok:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"_x{code:04X}_" if code <= 0xFFFF else f"_x{code:08X}_")
    return "".join(out) or "_"


def from_xml_id(value: str) -> str:
    """The id `xml_id` encoded; other ids (IATE's "3539013") come back unchanged.

    An escape that names no character (`_xFFFFFFFF_`, a surrogate) is not one
    `xml_id` writes; it stays as it is.
    """
    return _ID_ESCAPE.sub(_unescape, value)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group()
    return chr(code)


# ------------------------------------------------------------------- export


@dataclass(frozen=True)
class _Names:
    """Element names of one TBX version."""

    version: int
    root: str
    header: str
    entry: str
    lang: str
    term: str


_V2 = _Names(2, "martif", "martifHeader", "termEntry", "langSet", "tig")
_V3 = _Names(3, "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec")


def write_tbx2(concepts: Iterable[Concept], stream: IO[str], options: ExportOptions) -> None:
    """Write TBX 2008 (TBX-Basic v2) to a text stream, one entry at a time."""
    write_tbx(concepts, 2, stream, options)


def write_tbx3(concepts: Iterable[Concept], stream: IO[str], options: ExportOptions) -> None:
    """Write TBX v3 (TBX-Basic, DCA style) to a text stream, one entry at a time."""
    write_tbx(concepts, 3, stream, options)


def to_tbx(concepts: Iterable[Concept], version: int, options: ExportOptions) -> str:
    """The TBX document text; deterministic: the same concepts give the same bytes."""
    import io

    buffer = io.StringIO()
    write_tbx(concepts, version, buffer, options)
    return buffer.getvalue()


_PLACEHOLDER: Final = "glossary-entries-go-here"


def write_tbx(
    concepts: Iterable[Concept], version: int, stream: IO[str], options: ExportOptions
) -> None:
    """Stream a TBX document: the header, then each entry as it comes, then the end.

    Memory stays flat however many concepts there are (a 1,000,000-concept
    export never holds more than one entry as text). The bytes are those
    lxml's pretty printer gives the whole document: the skeleton (header and
    root) is built with lxml and serialised once around a placeholder
    entry; each entry is written by `_entry_xml`.
    """
    names = _V2 if version == 2 else _V3
    head, tail = _skeleton(names, options)
    written = 0
    for concept in concepts:
        if not written:
            stream.write(head)
        stream.write(_entry_xml(concept, names))
        written += 1
    if written:
        stream.write(tail)
    elif version == 2:
        raise InvalidValue(
            "TBX 2008 needs at least one entry and there is no concept to export "
            "(check --status, or add concepts first)."
        )
    else:
        stream.write(_document(names, options, with_placeholder=False))


def _document(names: _Names, options: ExportOptions, *, with_placeholder: bool) -> str:
    """The whole document, empty or with one placeholder entry in its body."""
    from lxml import etree

    version = names.version
    ns = "" if version == 2 else f"{{{NS3}}}"
    if version == 2:
        root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: TARGET_LANG})
    else:
        root = etree.Element(
            f"{ns}{names.root}",
            {"type": "TBX-Basic", "style": "dca", XML_LANG: TARGET_LANG},
            nsmap=cast(Any, {None: NS3}),
        )
    _header(root, names, ns, options)
    text = etree.SubElement(root, f"{ns}text")
    if with_placeholder:
        body = etree.SubElement(text, f"{ns}body")
        etree.SubElement(body, f"{ns}{names.entry}", id=_PLACEHOLDER)
    extra: dict[str, Any] = {"doctype": DOCTYPE_V2} if version == 2 else {}
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True, **extra)
    return cast(bytes, data).decode("utf-8")


def _skeleton(names: _Names, options: ExportOptions) -> tuple[str, str]:
    """The document text before and after the entries."""
    document = _document(names, options, with_placeholder=True)
    line = f'      <{names.entry} id="{_PLACEHOLDER}"/>\n'
    head, found, tail = document.partition(line)
    if not found:  # lxml changed how it prints; never write a broken file
        raise AssertionError("TBX skeleton without its placeholder entry")
    return head, tail


def _sub(parent: etree._Element, tag: str, text: str = "", **attrib: str) -> etree._Element:
    from lxml import etree

    names = {"xml_lang": XML_LANG}
    element = etree.SubElement(parent, tag, {names.get(k, k): v for k, v in attrib.items()})
    if text:
        element.text = text
    return element


def _header(root: etree._Element, names: _Names, ns: str, options: ExportOptions) -> None:
    header = _sub(root, f"{ns}{names.header}")
    file_desc = _sub(header, f"{ns}fileDesc")
    source = "Exported by glossary, a Dutch-English terminology toolkit"
    source += f", on {options.date}." if options.date else "."
    if names.version == 2:
        title_stmt = _sub(file_desc, "titleStmt")
        _sub(title_stmt, "title", options.title)
        _sub(_sub(file_desc, "sourceDesc"), "p", source)
        _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    else:
        title_stmt = _sub(file_desc, f"{ns}titleStmt")
        _sub(title_stmt, f"{ns}title", options.title)
        _sub(_sub(file_desc, f"{ns}sourceDesc"), f"{ns}p", source)


def _check_xml(concept: Concept) -> None:
    values = concept.to_dict()
    text = "\x01".join(str(v) for v in values.values())  # one scan in the common case
    if _NOT_XML.search(text.replace("\x01", "")) is None:
        return
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _NOT_XML.search(item):
                raise InvalidValue(
                    f"Concept {concept.id!r}: {name} contains a control character that XML "
                    f"cannot hold ({item!r}). Fix it: glossary term edit {concept.id}"
                )


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    """Character data as libxml2 writes it (quotes stay as they are)."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("\r", "&#13;")
    return text


def _entry_xml(concept: Concept, names: _Names) -> str:
    """One entry as lxml's pretty printer writes it inside the document's body.

    Written as text, not built as elements and serialised: an entry is a
    fixed shape (containers hold only elements, leaves only text, attribute
    values need no escaping), and text is ten times faster, which matters for
    a 1,000,000-concept export. `tests/test_tbx.py` re-prints exports with
    lxml and compares the bytes.
    """
    _check_xml(concept)
    lines = [f'      <{names.entry} id="{xml_id(concept.id)}">']
    add = lines.append
    if concept.subject:
        add(f'        <descrip type="subjectField">{_escape(concept.subject)}</descrip>')
    for source in concept.sources:
        add(f'        <admin type="source">{_escape(source)}</admin>')
    if concept.note:
        add(f"        <note>{_escape(concept.note)}</note>")
    pos = concept.pos
    v3_proper = names.version == 3 and pos == "properNoun"
    for flag_note in _flag_notes(concept, v3_proper):
        add(f"        <note>{flag_note}</note>")
    if v3_proper:
        pos = "noun"
    english = _english_terms(concept)
    lang, tig = names.lang, names.term
    add(f'        <{lang} xml:lang="{SOURCE_LANG}">')
    if concept.definition and not english:
        add(f'          <descrip type="definition">{_escape(concept.definition)}</descrip>')
    for n, term in enumerate(concept.nl_terms):
        add(f"          <{tig}>")
        _term_lines(add, term, pos, PREFERRED if n == 0 else ADMITTED)
        if n == 0 and concept.context:
            add(f'            <descrip type="context">{_escape(concept.context)}</descrip>')
        add(f"          </{tig}>")
    add(f"        </{lang}>")
    if english:
        add(f'        <{lang} xml:lang="{TARGET_LANG}">')
        if concept.definition:
            add(f'          <descrip type="definition">{_escape(concept.definition)}</descrip>')
        for term, status in english:
            add(f"          <{tig}>")
            _term_lines(add, term, pos, status)
            add(f"          </{tig}>")
        add(f"        </{lang}>")
    add(f"      </{names.entry}>\n")
    return "\n".join(lines)


def _term_lines(add: Callable[[str], None], term: str, pos: str, status: str) -> None:
    add(f"            <term>{_escape(term)}</term>")
    if pos:
        add(f'            <termNote type="partOfSpeech">{pos}</termNote>')
    add(f'            <termNote type="administrativeStatus">{status}</termNote>')


def _flag_notes(concept: Concept, v3_proper: bool) -> list[str]:
    notes: list[str] = []
    if concept.status == "proposed":
        notes.append(NOTE_PROPOSED)
    elif concept.status == "rejected":
        notes.append(NOTE_REJECTED)
    if concept.dnt:
        notes.append(NOTE_DNT if concept.en else NOTE_DNT_FROM_DUTCH)
    elif not concept.en and (concept.en_alternatives or concept.en_forbidden):
        notes.append(NOTE_NO_EN)
    if concept.case_sensitive:
        notes.append(NOTE_CASE)
    if v3_proper:
        notes.append(NOTE_PROPER_NOUN)
    return notes


def _english_terms(concept: Concept) -> list[tuple[str, str]]:
    """(term, administrativeStatus) of the English tigs, preferred first."""
    terms: list[tuple[str, str]] = []
    preferred = concept.en or (concept.nl if concept.dnt else "")
    if preferred:
        terms.append((preferred, _EN_STATUS[concept.status]))
    terms.extend((t, ADMITTED) for t in concept.en_alternatives)
    terms.extend((t, DEPRECATED) for t in concept.en_forbidden)
    return terms


# ------------------------------------------------------------------- import


@dataclass
class _Tig:
    term: str
    status: str = ""
    pos: str = ""
    context: str = ""
    line: int | None = None


@dataclass
class _Entry:
    id: str = ""
    line: int | None = None
    subject: str = ""
    definitions: dict[str, str] = field(default_factory=dict)  # lang ("" = entry) -> text
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    terms: dict[str, list[_Tig]] = field(default_factory=dict)  # "nl" / "en" -> tigs


def read_termbase(data: bytes, path: str) -> ReadResult:
    """Concepts from a TBX v2 or v3 file (TBX-Basic, IATE and other dialects)."""
    tree = safexml.parse(data, path)
    root = tree.getroot()
    kind = _local(root.tag)
    if kind not in ("martif", "tbx"):
        raise UnreadableFile(
            f"{path} is not a TBX file.",
            [
                Problem(
                    path,
                    _line(root),
                    f"the root element is <{kind}>, not <martif> (TBX 2008) or <tbx> (TBX v3)",
                    hint="check the file, or pass the right --format",
                )
            ],
        )
    concepts: list[Concept] = []
    skipped: list[Problem] = []
    ignored = 0
    for element in root.iter("{*}termEntry", "{*}conceptEntry"):
        entry = _read_entry(element)
        if not entry.terms.get(SOURCE_LANG):
            ignored += 1
            continue
        try:
            concepts.append(_to_concept(entry))
        except InvalidValue as exc:
            skipped.append(Problem(path, entry.line, str(exc), column_name=entry.id))
    return ReadResult(tuple(concepts), tuple(skipped), ignored)


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _text(element: etree._Element) -> str:
    return norm_space("".join(str(t) for t in element.itertext()))


def _line(element: etree._Element) -> int | None:
    return cast("int | None", element.sourceline)


def _children(element: etree._Element) -> Iterable[tuple[str, etree._Element]]:
    for child in element:
        if isinstance(child.tag, str):
            yield _local(child.tag), child


def _lang(element: etree._Element) -> str:
    value = element.get(XML_LANG) or element.get("lang") or ""
    return value.split("-")[0].split("_")[0].lower()


def _read_entry(element: etree._Element) -> _Entry:
    entry = _Entry(id=from_xml_id(element.get("id") or ""), line=_line(element))
    _read_aux(element, entry, "")
    for name, child in _children(element):
        if name in ("langSet", "langSec"):
            lang = _lang(child)
            _read_aux(child, entry, lang)
            if lang not in (SOURCE_LANG, TARGET_LANG):
                continue
            tigs = entry.terms.setdefault(lang, [])
            for tig_name, tig in _children(child):
                if tig_name in ("tig", "termSec", "ntig"):
                    found = _read_tig(tig, entry)
                    if found is not None:
                        tigs.append(found)
    return entry


def _read_aux(element: etree._Element, entry: _Entry, lang: str) -> None:
    """Entry- or langSet-level descrip, descripGrp, note and admin children."""
    for name, child in _children(element):
        if name == "descripGrp":
            for inner_name, inner in _children(child):
                if inner_name == "descrip":
                    _read_descrip(inner, entry, lang)
        elif name == "descrip":
            _read_descrip(child, entry, lang)
        elif name == "note":
            note = _text(child)
            if note and note not in entry.notes:
                entry.notes.append(note)
        elif name == "admin" and child.get("type") == "source" and not lang:
            source = _text(child)
            if source and source not in entry.sources:
                entry.sources.append(source)


def _read_descrip(element: etree._Element, entry: _Entry, lang: str) -> None:
    kind = element.get("type", "")
    value = _text(element)
    if not value:
        return
    if kind == "subjectField" and not entry.subject:
        entry.subject = value
    elif kind == "definition":
        entry.definitions.setdefault(lang, value)


def _read_tig(element: etree._Element, entry: _Entry) -> _Tig | None:
    holder = element
    if _local(element.tag) == "ntig":  # full TBX: ntig/termGrp/term
        for name, child in _children(element):
            if name == "termGrp":
                holder = child
    tig: _Tig | None = None
    for name, child in _children(holder):
        if name == "term":
            tig = _Tig(_text(child), line=_line(child))
    if tig is None or not tig.term:
        return None
    notes = [c for n, c in _children(holder) if n == "termNote"]
    for name, child in _children(holder):
        if name == "termNoteGrp":
            notes.extend(c for n, c in _children(child) if n == "termNote")
    for note in notes:
        kind, value = note.get("type", ""), _text(note)
        if kind == "administrativeStatus":
            tig.status = value
        elif kind == "partOfSpeech":
            tig.pos = value
    for name, child in _children(element):
        if name in ("descrip", "descripGrp"):
            descrips = (
                [child] if name == "descrip" else [c for n, c in _children(child) if n == "descrip"]
            )
            for descrip in descrips:
                if descrip.get("type") == "context" and not tig.context:
                    tig.context = _text(descrip)
        elif name == "note":
            note_text = _text(child)
            if note_text and note_text not in entry.notes:
                entry.notes.append(note_text)
    return tig


def _is_deprecated(status: str) -> bool:
    return status.startswith(("deprecated", "superseded")) or status in (
        "notRecommended",
        "obsolete",
        "forbidden",
    )


def _pos(value: str) -> str:
    if not value:
        return ""
    for known in PARTS_OF_SPEECH:
        if value.lower() == known.lower():
            return known
    return ""


def _to_concept(entry: _Entry) -> Concept:
    flags = {n for n in entry.notes if n in FLAG_NOTES}
    notes = [n for n in entry.notes if n not in FLAG_NOTES]
    nl_tigs = entry.terms.get(SOURCE_LANG, [])
    en_tigs = list(entry.terms.get(TARGET_LANG, []))

    preferred_nl = next((t for t in nl_tigs if t.status == PREFERRED), nl_tigs[0])
    nl_variants = [t.term for t in nl_tigs if t is not preferred_nl]

    status = "approved"
    if NOTE_PROPOSED in flags:
        status = "proposed"
    elif NOTE_REJECTED in flags:
        status = "rejected"
    dnt = NOTE_DNT in flags or NOTE_DNT_FROM_DUTCH in flags

    en = ""
    if NOTE_DNT_FROM_DUTCH in flags and en_tigs:
        en_tigs = en_tigs[1:]  # the Dutch name written as English, not a stored value
    elif NOTE_NO_EN in flags:
        pass
    elif en_tigs and (flags & {NOTE_PROPOSED, NOTE_REJECTED, NOTE_DNT}):
        en = en_tigs.pop(0).term  # our own export: the first English tig is `en`
    else:
        chosen = next((t for t in en_tigs if t.status == PREFERRED), None) or next(
            (t for t in en_tigs if not _is_deprecated(t.status)), None
        )
        if chosen is not None:
            en = chosen.term
            en_tigs.remove(chosen)
    alternatives = [t.term for t in en_tigs if not _is_deprecated(t.status)]
    forbidden = [t.term for t in en_tigs if _is_deprecated(t.status)]
    if not (flags & {NOTE_PROPOSED, NOTE_REJECTED}) and not en and not dnt:
        status = "proposed"  # nothing approved to enforce

    pos = _pos(preferred_nl.pos) or next(
        (_pos(t.pos) for t in entry.terms.get(TARGET_LANG, []) if _pos(t.pos)), ""
    )
    if NOTE_PROPER_NOUN in flags:
        pos = "properNoun"
    context = preferred_nl.context or next(
        (t.context for tigs in entry.terms.values() for t in tigs if t.context), ""
    )
    definition = (
        entry.definitions.get(TARGET_LANG)
        or entry.definitions.get(SOURCE_LANG)
        or entry.definitions.get("")
        or next(iter(entry.definitions.values()), "")
    )
    return make_concept(
        preferred_nl.term,
        en,
        concept_id=entry.id,
        nl_variants=nl_variants,
        en_alternatives=alternatives,
        en_forbidden=forbidden,
        status=status,
        pos=pos,
        dnt=dnt,
        case_sensitive=NOTE_CASE in flags,
        subject=entry.subject,
        definition=definition,
        note="; ".join(notes),
        context=context,
        sources=entry.sources,
    )
