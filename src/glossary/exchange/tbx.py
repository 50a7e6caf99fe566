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

Import (`read_termbase`) reads both versions, namespaced or not, DCA or DCT
style, from any tool (IATE, MultiTerm, SDL, memoQ, Microsoft, Weblate, the
LTAC samples). Only the file's Dutch and English are read (the languages
are checked first: another pair is refused); each term's status, of any
flavour, decides where it goes: preferred → the term, admitted →
alternatives (Dutch: variants), deprecated, superseded, not recommended,
obsolete → forbidden renderings (Dutch: variants, as source texts use
them). Definitions, contexts, notes and sources go to the field of their
language (others become labelled notes); what the termbase has no place for
(other languages, history, cross-references, graphics, other fields,
foreign ids) is counted in the `ReadResult`. Ids are kept only from our own
exports.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Final, cast

from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange.languages import check_pair, code
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    ExportOptions,
    ImportOptions,
    ReadResult,
    norm_space,
)
from glossary.files import safexml
from glossary.termbase.model import PARTS_OF_SPEECH, Concept, make_concept, no_gc

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

# Term statuses of every flavour (administrativeStatus, TBX v3 usageStatus,
# normativeAuthorization, Weblate's "forbidden"/"obsolete"), folded by `_status_key`.
_PREFERRED_KEYS: Final = frozenset({"preferred", "standardized", "legal", "regulated"})
_DEPRECATED_KEYS: Final = frozenset(
    {"deprecated", "superseded", "notrecommended", "obsolete", "forbidden", "rejected"}
)
_STATUS_TYPES: Final = frozenset(
    {"administrativestatus", "usagestatus", "normativeauthorization", "termstatus", "status"}
)
_DNT_TYPES: Final = {  # field -> value that means "do not translate"
    "translationnote": "no",
    "translationneeded": "no",
    "translatable": "no",
    "donottranslate": "yes",
    "dnt": "yes",
}
_CASE_TYPES: Final = frozenset({"casesensitivity", "casesensitive", "matchcase"})
_NOTE_TYPES: Final = frozenset({"note", "usagenote", "comment", "explanation", "remark"})
_XREF_TYPES: Final = frozenset(
    {"xref", "ref", "crossreference", "externalcrossreference", "relatedconcept", "seealso"}
)
_GRAPHIC_TYPES: Final = frozenset({"xgraphic", "graphic", "image"})
_HISTORY_TYPES: Final = frozenset(
    {"transacgrp", "transac", "transacnote", "date", "transactiontype", "responsibility"}
)
# Group elements whose children are read as if they stood in their place.
_GROUPS: Final = frozenset({"descripGrp", "adminGrp", "termNoteGrp", "noteGrp"})
_TRUE_WORDS: Final = frozenset({"yes", "true", "1", "y", "sensitive", "strict", "on"})


@functools.cache
def _fold(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.casefold())


def _status_key(value: str) -> str:
    """ "preferred", "admitted" or "deprecated" for any flavour of term status."""
    folded = _fold(value.removesuffix("-admn-sts")).removesuffix("term")
    if folded in _PREFERRED_KEYS:
        return "preferred"
    if folded in _DEPRECATED_KEYS:
        return "deprecated"
    return "admitted"


@dataclass
class _Tig:
    term: str
    status: str = ""  # "preferred", "admitted", "deprecated", "" when the file says nothing
    pos: str = ""
    contexts: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class _Entry:
    id: str = ""
    line: int | None = None
    subjects: list[str] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)  # (lang or "", text)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    terms: dict[str, list[_Tig]] = field(default_factory=dict)  # "nl" / "en" -> tigs
    dnt: bool = False
    case_sensitive: bool = False


class _Drops:
    """Counts of what the termbase has no place for, by (kind, name)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, kind: str, name: str, n: int = 1) -> None:
        self.counts[(kind, name)] += n

    def result(self) -> tuple[tuple[str, str, int], ...]:
        return tuple((kind, name, n) for (kind, name), n in sorted(self.counts.items()))


def read_termbase(data: bytes, path: str, options: ImportOptions | None = None) -> ReadResult:
    """Concepts from a TBX v2 or v3 file (TBX-Basic, -Min, -Core, DCA or DCT style,
    IATE, MultiTerm, SDL, memoQ, Microsoft, Weblate and other flavours)."""
    # Millions of small acyclic objects: the cyclic collector would scan them
    # again and again (a third of the time on 100,000 entries).
    with no_gc():
        return _read_termbase(data, path, options or ImportOptions())


def _read_termbase(data: bytes, path: str, options: ImportOptions) -> ReadResult:
    source, target = options.source_lang, options.target_lang
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
    ours = any(
        _text(p).startswith("Exported by glossary")
        for p in root.iterfind("{*}martifHeader/{*}fileDesc/{*}sourceDesc/{*}p")
    ) or any(
        _text(p).startswith("Exported by glossary")
        for p in root.iterfind("{*}tbxHeader/{*}fileDesc/{*}sourceDesc/{*}p")
    )
    drops = _Drops()
    languages: Counter[str] = Counter()
    entries: list[_Entry] = []
    for element in root.iter("{*}termEntry", "{*}conceptEntry"):
        entry = _read_entry(element, source, target, drops, languages)
        entries.append(entry)
    check_pair(languages, path, source, target)
    concepts: list[Concept] = []
    skipped: list[Problem] = []
    ignored = 0
    for entry in entries:
        if not entry.terms.get(SOURCE_LANG):
            ignored += 1
            continue
        try:
            concepts.append(_to_concept(entry, ours, drops))
        except InvalidValue as exc:
            skipped.append(Problem(path, entry.line, str(exc), column_name=entry.id))
    return ReadResult(tuple(concepts), tuple(skipped), ignored, drops.result())


@functools.cache
def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _text(element: etree._Element) -> str:
    if len(element) == 0:  # no child elements: the common case, without itertext
        text = element.text or ""
        return (
            text
            if text.isprintable() and text.strip() == text and "  " not in text
            else (norm_space(text))
        )
    return norm_space("".join(str(t) for t in element.itertext()))


def _line(element: etree._Element) -> int | None:
    return cast("int | None", element.sourceline)


def _children(element: etree._Element) -> Iterable[tuple[str, etree._Element]]:
    for child in element:
        if isinstance(child.tag, str):
            yield _local(child.tag), child


def _lang(element: etree._Element) -> str:
    value = element.get(XML_LANG) or element.get("lang") or ""
    return code(value) or value.split("-")[0].split("_")[0].lower()


def _read_entry(
    element: etree._Element,
    source: str,
    target: str,
    drops: _Drops,
    languages: Counter[str],
) -> _Entry:
    entry = _Entry(id=from_xml_id(element.get("id") or ""), line=_line(element))
    for name, child in _children(element):
        if name not in ("langSet", "langSec"):
            _read_info(name, child, entry, "", None, drops)
            continue
        found = _lang(child)
        tigs = [tig for tig_name, tig in _children(child) if tig_name in ("tig", "termSec", "ntig")]
        languages[found] += 1
        lang = SOURCE_LANG if found == source else TARGET_LANG if found == target else ""
        if not lang:
            drops.add("other languages", found or "?", len(tigs))
            continue
        for info_name, info in _children(child):
            if info_name in ("tig", "termSec", "ntig"):
                tig = _read_tig(info, entry, lang, drops)
                if tig is not None:
                    entry.terms.setdefault(lang, []).append(tig)
            else:
                _read_info(info_name, info, entry, lang, None, drops)
    return entry


def _read_tig(element: etree._Element, entry: _Entry, lang: str, drops: _Drops) -> _Tig | None:
    holders = [element]
    if _local(element.tag) == "ntig":  # full TBX and Microsoft: ntig/termGrp/term
        holders += [child for name, child in _children(element) if name == "termGrp"]
    tig: _Tig | None = None
    for holder in holders:
        for name, child in _children(holder):
            if name == "term":
                tig = _Tig(_text(child), line=_line(child))
    if tig is None or not tig.term:
        return None
    for holder in holders:
        for name, child in _children(holder):
            if name not in ("term", "termGrp"):
                _read_info(name, child, entry, lang, tig, drops)
    return tig


def _read_info(
    name: str,
    element: etree._Element,
    entry: _Entry,
    lang: str,
    tig: _Tig | None,
    drops: _Drops,
) -> None:
    """One piece of information at entry, language or term level, by its data
    category: `<descrip type="definition">` (DCA) and `<basic:definition>`
    (DCT) alike. What has no place in the termbase is counted in `drops`."""
    if name in _GROUPS:
        for inner_name, inner in _children(element):
            _read_info(inner_name, inner, entry, lang, tig, drops)
        return
    if name == "transacGrp":
        drops.add("history", "transactions")
        return
    typed = name in ("descrip", "admin", "termNote", "xref", "ref")
    category = (element.get("type", "") or name) if typed else name
    folded = _fold(category)
    value = _text(element)
    if name in ("xref", "ref") and folded not in _GRAPHIC_TYPES:
        drops.add("cross-references", category)
    elif folded in _NOTE_TYPES:
        if value and value not in entry.notes:
            entry.notes.append(value)
    elif folded == "definition":
        if value:
            entry.definitions.append((lang, value))
    elif folded == "subjectfield":
        if value and value not in entry.subjects:
            entry.subjects.append(value)
    elif folded == "context":
        if value and tig is not None:
            tig.contexts.append(value)
        elif value:
            entry.notes.append(f"Context ({lang or '?'}): {value}")
    elif folded == "source":
        if value and value not in entry.sources:
            entry.sources.append(value)
    elif folded in _STATUS_TYPES and tig is not None:
        tig.status = _status_key(value)
    elif folded == "partofspeech" and tig is not None:
        tig.pos = value
    elif folded in _DNT_TYPES:
        entry.dnt = entry.dnt or value.casefold() == _DNT_TYPES[folded]
    elif folded in _CASE_TYPES:
        entry.case_sensitive = entry.case_sensitive or value.casefold() in _TRUE_WORDS
    elif folded in _XREF_TYPES:
        drops.add("cross-references", category)
    elif folded in _GRAPHIC_TYPES:
        drops.add("graphics", category)
    elif folded in _HISTORY_TYPES:
        drops.add("history", category)
    else:
        drops.add("other fields", category or name)


def _pos(value: str) -> str:
    folded = _fold(value)
    for known in PARTS_OF_SPEECH:
        if folded == known.casefold():
            return known
    return {"adj": "adjective", "adv": "adverb", "n": "noun", "v": "verb"}.get(folded, "")


def _first(tigs: Sequence[_Tig], *statuses: str) -> _Tig | None:
    return next((t for t in tigs if t.status in statuses), None)


def _to_concept(entry: _Entry, ours: bool, drops: _Drops) -> Concept:
    flags = {n for n in entry.notes if n in FLAG_NOTES}
    notes = [n for n in entry.notes if n not in FLAG_NOTES]
    nl_tigs = entry.terms.get(SOURCE_LANG, [])
    en_tigs = list(entry.terms.get(TARGET_LANG, []))

    # Dutch: the preferred term, else the first that is not deprecated. Other
    # Dutch terms, deprecated ones too, are variants: source texts use them.
    preferred_nl = _first(nl_tigs, "preferred") or _first(nl_tigs, "admitted", "") or nl_tigs[0]
    nl_variants = [t.term for t in nl_tigs if t is not preferred_nl]

    status = "approved"
    if NOTE_PROPOSED in flags:
        status = "proposed"
    elif NOTE_REJECTED in flags:
        status = "rejected"
    dnt = NOTE_DNT in flags or NOTE_DNT_FROM_DUTCH in flags or entry.dnt

    en = ""
    if NOTE_DNT_FROM_DUTCH in flags and en_tigs:
        en_tigs = en_tigs[1:]  # the Dutch name written as English, not a stored value
    elif NOTE_NO_EN in flags:
        pass
    elif en_tigs and (flags & {NOTE_PROPOSED, NOTE_REJECTED, NOTE_DNT}):
        en = en_tigs.pop(0).term  # our own export: the first English tig is `en`
    else:
        forbidden_terms = {t.term for t in en_tigs if t.status == "deprecated"}
        usable = [t for t in en_tigs if t.term not in forbidden_terms]
        chosen = _first(usable, "preferred") or _first(usable, "admitted", "")
        if chosen is not None:
            en = chosen.term
            en_tigs.remove(chosen)
    forbidden = [t.term for t in en_tigs if t.status == "deprecated"]
    alternatives = [t.term for t in en_tigs if t.status != "deprecated" and t.term not in forbidden]
    if not (flags & {NOTE_PROPOSED, NOTE_REJECTED}) and not en and not dnt:
        status = "proposed"  # nothing approved to enforce

    pos = _pos(preferred_nl.pos) or next(
        (_pos(t.pos) for t in entry.terms.get(TARGET_LANG, []) if _pos(t.pos)), ""
    )
    unknown_pos = {
        t.pos for tigs in entry.terms.values() for t in tigs if t.pos and not _pos(t.pos)
    }
    for value in sorted(unknown_pos):
        drops.add("parts of speech", value)
    if NOTE_PROPER_NOUN in flags:
        pos = "properNoun"

    # Context: the Dutch one (of the preferred term first); English contexts
    # and further Dutch ones become labelled notes, never the Dutch context.
    dutch_contexts = [*preferred_nl.contexts, *(c for t in nl_tigs for c in t.contexts)]
    dutch_contexts = list(dict.fromkeys(dutch_contexts))
    context = dutch_contexts[0] if dutch_contexts else ""
    notes += [f"Context (nl): {c}" for c in dutch_contexts[1:]]
    english_contexts = dict.fromkeys(
        c for t in entry.terms.get(TARGET_LANG, []) for c in t.contexts
    )
    notes += [f"Context (en): {c}" for c in english_contexts]

    # Definition: the English one, else one without a language, else (for a
    # concept without English) the Dutch one; the others become labelled notes.
    has_english = bool(en or alternatives or forbidden)
    ranked = sorted(
        entry.definitions,
        key=lambda d: {TARGET_LANG: 0, "": 1}.get(d[0], 2 if not has_english else 1),
    )
    definition = ""
    if ranked and (ranked[0][0] != SOURCE_LANG or not has_english):
        definition = ranked.pop(0)[1]
    notes += [f"Definition ({lang or '?'}): {text}" for lang, text in ranked if text != definition]

    if entry.id and not ours:
        drops.add("ids", "entry ids (made from the Dutch term instead)")
    return make_concept(
        preferred_nl.term,
        en,
        concept_id=entry.id if ours else "",
        nl_variants=nl_variants,
        en_alternatives=alternatives,
        en_forbidden=forbidden,
        status=status,
        pos=pos,
        dnt=dnt,
        case_sensitive=NOTE_CASE in flags or entry.case_sensitive,
        subject="; ".join(entry.subjects),
        definition=definition,
        note="; ".join(dict.fromkeys(notes)),
        context=context,
        sources=entry.sources,
    )
