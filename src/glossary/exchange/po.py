"""gettext PO: the termbase as a PO glossary, and translations for post-editing.

Termbase (`write_termbase`, `read_termbase`): one entry per concept, msgid
the Dutch term, msgstr the English (the Dutch name itself for
do-not-translate concepts). Status uses PO's own means: approved concepts
are translated entries, proposed ones are `#, fuzzy` (or untranslated when
there is no English yet), rejected ones are obsolete (`#~`). Everything
else is an extracted comment (`#.`) of "Key: value" lines, one per field,
which `read_termbase` reads back::

    #. Id: staakt-het-vuren
    #. Part of speech: noun
    #. Status: approved
    #. Dutch variants: staakt het vuren
    #. Forbidden: stop-the-fire
    #. Definition: A halt to fighting agreed by the parties.
    msgid "staakt-het-vuren"
    msgstr "ceasefire"

(obsolete entries keep their lines as translator comments `# `, the only
comments gettext keeps there). `msgctxt` is used only for homographs.

Documents (`write_translations`, `read_units`): one entry per translated
segment for post-editing, msgid the Dutch segment, msgstr the machine
translation marked `#, fuzzy`, `#:` pointing at file and line, term hints
and the model signature as `#.` comments, and a msgctxt ("file.txt#12", see
`glossary.exchange.registry.segment_key`) only where the same Dutch segment occurs
more than once, so each occurrence is post-edited in its own context.

Lines are never wrapped (wrapping would split hyphenated terms in
comments); every file passes `msgfmt --check` (documents with
`--use-fuzzy`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Final

from glossary.document import TranslatedDocument
from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange.languages import code, content_problem, label
from glossary.exchange.registry import (
    TARGET_LANG,
    BilingualUnit,
    ExportOptions,
    ImportOptions,
    ReadResult,
    decode_text,
    segment_key,
    term_hints,
)
from glossary.termbase.model import SEP, Concept, make_concept

if TYPE_CHECKING:
    import polib

LIST_SEP: Final = SEP
# Comment keys, in the order they are written.
KEY_ID: Final = "Id"
KEY_POS: Final = "Part of speech"
KEY_STATUS: Final = "Status"
KEY_VARIANTS: Final = "Dutch variants"
KEY_ALTERNATIVES: Final = "English alternatives"
KEY_FORBIDDEN: Final = "Forbidden"
KEY_SUBJECT: Final = "Subject"
KEY_DEFINITION: Final = "Definition"
KEY_NOTE: Final = "Note"
KEY_CONTEXT: Final = "Context"
KEY_SOURCES: Final = "Sources"
FLAG_DNT: Final = "Do not translate"
FLAG_DNT_FROM_DUTCH: Final = "Do not translate (no English given: the Dutch name is used)"
FLAG_CASE: Final = "Case-sensitive"
_KEYS: Final = (
    KEY_ID,
    KEY_POS,
    KEY_STATUS,
    KEY_VARIANTS,
    KEY_ALTERNATIVES,
    KEY_FORBIDDEN,
    KEY_SUBJECT,
    KEY_DEFINITION,
    KEY_NOTE,
    KEY_CONTEXT,
    KEY_SOURCES,
)
_KEY_RE = re.compile(r"^(" + "|".join(re.escape(k) for k in _KEYS) + r"): ?(.*)$")


def _new_file(project: str, date: str, extra: dict[str, str] | None = None) -> polib.POFile:
    import polib

    po = polib.POFile(wrapwidth=0)
    po.header = f"{project}, written by glossary."
    po.metadata = {
        "Project-Id-Version": project,
        "PO-Revision-Date": date,
        "Last-Translator": "glossary",
        "Language-Team": "English",
        "Language": TARGET_LANG,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        **(extra or {}),
    }
    return po


def _write(po: polib.POFile, stream: IO[str]) -> None:
    stream.write(str(po))
    stream.write("\n")


# ----------------------------------------------------------------- termbase


def concept_comment(concept: Concept) -> str:
    """The "Key: value" lines that carry a concept's fields."""
    lines = [f"{KEY_ID}: {concept.id}"]
    if concept.pos:
        lines.append(f"{KEY_POS}: {concept.pos}")
    lines.append(f"{KEY_STATUS}: {concept.status}")
    if concept.nl_variants:
        lines.append(f"{KEY_VARIANTS}: {LIST_SEP.join(concept.nl_variants)}")
    if concept.en_alternatives:
        lines.append(f"{KEY_ALTERNATIVES}: {LIST_SEP.join(concept.en_alternatives)}")
    if concept.en_forbidden:
        lines.append(f"{KEY_FORBIDDEN}: {LIST_SEP.join(concept.en_forbidden)}")
    if concept.dnt:
        lines.append(FLAG_DNT if concept.en else FLAG_DNT_FROM_DUTCH)
    if concept.case_sensitive:
        lines.append(FLAG_CASE)
    for key, value in (
        (KEY_SUBJECT, concept.subject),
        (KEY_DEFINITION, concept.definition),
        (KEY_NOTE, concept.note),
        (KEY_CONTEXT, concept.context),
    ):
        if value:
            lines.append(f"{key}: {value}")
    if concept.sources:
        lines.append(f"{KEY_SOURCES}: {LIST_SEP.join(concept.sources)}")
    return "\n".join(lines)


def termbase_po(concepts: Sequence[Concept], options: ExportOptions) -> polib.POFile:
    import polib

    po = _new_file(options.title, options.date)
    counts = Counter(c.nl for c in concepts)
    for concept in concepts:
        # Not `concept.target`: an admitted alternative is not the English term.
        target = concept.en or (concept.nl if concept.dnt else "")
        comment = concept_comment(concept)
        entry = polib.POEntry(
            msgid=concept.nl,
            msgstr=target,
            msgctxt=concept.id if counts[concept.nl] > 1 else None,
        )
        if concept.status == "rejected":
            entry.obsolete = True
            entry.tcomment = comment  # gettext keeps only these on obsolete entries
        else:
            entry.comment = comment
            if concept.status == "proposed" and target:
                entry.flags.append("fuzzy")
        po.append(entry)
    return po


def write_termbase(concepts: Sequence[Concept], stream: IO[str], options: ExportOptions) -> None:
    """The termbase as a PO glossary."""
    _write(termbase_po(concepts, options), stream)


class _Text:
    """Decoded PO text for polib. polib takes any *string* that names an
    existing file for a file name and opens that file instead (a 27-byte
    `.po` file holding a path made it read 297 MB, past every size limit),
    so it never gets a string: only this object, whose lines it reads. Lines
    are split at "\n" only, as gettext does (not at U+2028 or form feeds)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def splitlines(self) -> list[str]:
        return self._text.split("\n")


# A keyword line (msgid, msgstr[n]...) or a continuation line: its string must
# be closed; `#~ ` (obsolete) and `#| ` (previous) lines are checked the same way.
_STRING_LINE = re.compile(
    r'^(?:#[~|]\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*)?"'
)
_CLOSED = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')


def _check_strings(text: str, path: str) -> None:
    """Refuse a string that is never closed, and a msgid without its msgstr:
    polib would cut `msgstr "pea` at the end of a truncated file to "pe" and
    import it as approved, or import a msgid whose msgstr was cut off as a
    term without English."""
    lines = text.split("\n")
    last = len(text.rstrip("\n").split("\n"))
    pending = 0  # line of a msgid still waiting for its msgstr

    def refuse(lineno: int, message: str, truncated: bool) -> None:
        raise UnreadableFile(
            f"{path} is not a valid PO file; nothing was read.",
            [
                Problem(
                    path,
                    lineno,
                    message,
                    hint="the file looks truncated; export or download it again"
                    if truncated
                    else "check the file with: msgfmt --check FILE",
                )
            ],
        )

    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = _STRING_LINE.match(stripped)
        if match is None:
            continue
        rest = stripped[match.end() - 1 :]
        if _CLOSED.fullmatch(rest) is None:
            refuse(lineno, f"a string is not closed: {stripped[:60]!r}", lineno >= last)
        keyword = stripped.removeprefix("#~").strip().split('"', 1)[0].strip()
        if stripped.startswith("#|"):
            continue
        if keyword.startswith("msgstr"):
            pending = 0
        elif keyword in ("msgid", "msgctxt"):
            if pending:
                refuse(pending, "a msgid without its msgstr", False)
            if keyword == "msgid":
                pending = lineno
    if pending:
        refuse(pending, "the last msgid has no msgstr", True)


def _charset(data: bytes) -> str:
    """The charset the header declares (UTF-8 when none)."""
    head = data[:4096].decode("ascii", "replace")
    match = re.search(r"charset=([A-Za-z0-9_.:-]+)", head)
    return match.group(1) if match and match.group(1).upper() != "CHARSET" else "utf-8"


def _load(data: bytes, path: str) -> polib.POFile:
    import polib

    encoding = _charset(data)
    try:
        text = decode_text(data, path, encoding)
    except LookupError:
        raise UnreadableFile(
            f"{path} was not read.",
            [
                Problem(
                    path,
                    None,
                    f"unknown charset {encoding!r} in the header",
                    hint="use charset=UTF-8",
                )
            ],
        ) from None
    try:
        # `encoding` given, so polib does not look for a charset (or a file) itself.
        parsed: polib.POFile = polib.pofile(
            _Text(text),  # type: ignore[call-overload]
            wrapwidth=0,
            encoding="utf-8",
        )
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise UnreadableFile(
            f"{path} is not a valid PO file; nothing was read.",
            [
                Problem(
                    path,
                    int(found.group(1)) if found else None,
                    str(exc).split(" (line")[0],
                    hint="check the file with: msgfmt --check FILE",
                )
            ],
        ) from None
    _check_strings(text, path)  # what polib lets through
    return parsed


def _declared_language(po: polib.POFile) -> str:
    """The target language a PO header declares: `Language`, else the
    language `Language-Team` names ("Afrikaans <af@li.org>"), else ""."""
    language = po.metadata.get("Language", "").strip()
    if language:
        return code(language) or language
    team = po.metadata.get("Language-Team", "").split("<")[0].strip()
    return code(team) if team and team.upper() != "LANGUAGE" else ""


def _check_language(po: polib.POFile, path: str, options: ImportOptions) -> None:
    declared = _declared_language(po)
    hint = (
        "import a Dutch→English PO file (Language: en); to read this one anyway, name "
        f"its languages: --source-lang nl --target-lang {declared or 'en'}"
    )
    if declared:
        if declared != options.target_lang:
            raise UnreadableFile(
                f"{path} was not read: it holds another language pair than the termbase.",
                [
                    Problem(
                        path,
                        None,
                        f"the file's language is {declared!r}, not {label(options.target_lang)}",
                        hint=hint,
                    )
                ],
            )
        return
    if options.languages_given:
        return
    entries = [e for e in po if e.msgid and not e.obsolete]
    problem = content_problem(
        [e.msgid for e in entries],
        [e.msgstr or (e.msgstr_plural.get(0, "") if e.msgstr_plural else "") for e in entries],
        "msgid and msgstr",
    )
    if problem:
        raise UnreadableFile(
            f"{path} was not read: it declares no Language and does not look like "
            "Dutch terms with English renderings.",
            [Problem(path, None, problem, hint=hint)],
        )


def parse_comment(text: str) -> dict[str, str]:
    """The fields of `concept_comment` lines; other lines are collected as a note."""
    fields: dict[str, str] = {}
    loose: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        match = _KEY_RE.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
        elif line in (FLAG_DNT, FLAG_DNT_FROM_DUTCH, FLAG_CASE):
            fields[line] = "yes"
        elif line:
            loose.append(line)
    if loose:
        fields[KEY_NOTE] = "; ".join([*([fields[KEY_NOTE]] if KEY_NOTE in fields else []), *loose])
    return fields


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def read_termbase(data: bytes, path: str, options: ImportOptions | None = None) -> ReadResult:
    """Concepts from a PO glossary: msgid Dutch, msgstr English, fields from comments.

    A plural entry gives its singular as the term, the Dutch plural as a
    variant and the English plural forms as alternatives.
    """
    options = options or ImportOptions()
    po = _load(data, path)
    _check_language(po, path, options)
    concepts: list[Concept] = []
    skipped: list[Problem] = []
    dropped: Counter[tuple[str, str]] = Counter()
    for entry in po:
        if not entry.msgid:
            continue
        fields = parse_comment("\n".join(c for c in (entry.comment, entry.tcomment) if c))
        plurals = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        en = entry.msgstr or (plurals[0] if plurals else "")
        if entry.obsolete:
            status = "rejected"
        elif entry.fuzzy or not en:
            status = "proposed"
        else:
            status = "approved"
        if FLAG_DNT_FROM_DUTCH in fields and en == entry.msgid:
            en = ""  # written as the Dutch name; the termbase stores no English
        if entry.msgctxt and KEY_ID not in fields:
            dropped[("ids", "msgctxt")] += 1
        if entry.occurrences:
            dropped[("references", "#: locations")] += 1
        try:
            concepts.append(
                make_concept(
                    entry.msgid,
                    en,
                    concept_id=fields.get(KEY_ID, ""),
                    nl_variants=[
                        *_list(fields.get(KEY_VARIANTS, "")),
                        *([entry.msgid_plural] if entry.msgid_plural else []),
                    ],
                    en_alternatives=[*_list(fields.get(KEY_ALTERNATIVES, "")), *plurals[1:]],
                    en_forbidden=_list(fields.get(KEY_FORBIDDEN, "")),
                    status=status,
                    pos=fields.get(KEY_POS, ""),
                    dnt=FLAG_DNT in fields or FLAG_DNT_FROM_DUTCH in fields,
                    case_sensitive=FLAG_CASE in fields,
                    subject=fields.get(KEY_SUBJECT, ""),
                    definition=fields.get(KEY_DEFINITION, ""),
                    note=fields.get(KEY_NOTE, ""),
                    context=fields.get(KEY_CONTEXT, ""),
                    sources=_list(fields.get(KEY_SOURCES, "")),
                )
            )
        except InvalidValue as exc:
            skipped.append(Problem(path, entry.linenum, str(exc)))
    return ReadResult(
        tuple(concepts),
        tuple(skipped),
        dropped=tuple((kind, name, n) for (kind, name), n in sorted(dropped.items())),
    )


# ---------------------------------------------------------------- documents


def _same_newlines(msgid: str, msgstr: str) -> str:
    """msgfmt --check wants msgid and msgstr to agree on a leading/trailing newline."""
    if not msgstr:
        return msgstr
    msgstr = msgstr.strip("\n")
    if msgid.startswith("\n"):
        msgstr = "\n" + msgstr
    if msgid.endswith("\n"):
        msgstr += "\n"
    return msgstr


def translations_po(docs: Sequence[TranslatedDocument]) -> polib.POFile:
    import polib

    signatures = sorted({d.signature for d in docs if d.signature})
    names = ", ".join(d.document.path for d in docs) or "no documents"
    extra = {"X-Glossary-Signature": signatures[0]} if len(signatures) == 1 else {}
    po = _new_file(f"Translation of {names}", "", extra)
    segments = [(d, ts) for d in docs for ts in d.segments if ts.segment.translate]
    counts = Counter(ts.segment.text for _, ts in segments)
    used: set[tuple[str, str]] = set()
    for doc, ts in segments:
        seg = ts.segment
        if not seg.text:
            continue
        context = None
        if counts[seg.text] > 1:
            context = segment_key(seg.doc, seg.index)
            if (context, seg.text) in used:  # same file name in two folders
                context = f"{seg.doc}#{seg.index}"
            used.add((context, seg.text))
        comments = term_hints(ts.terms)
        if doc.signature:
            comments.append(f"Model: {doc.signature}")
        entry = polib.POEntry(
            msgid=seg.text,
            msgstr=_same_newlines(seg.text, ts.target),
            msgctxt=context,
            occurrences=[(seg.doc, str(seg.line))],
            comment="\n".join(comments),
        )
        if ts.target:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def write_translations(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """Translated documents as PO for post-editing (machine translation is fuzzy)."""
    _write(translations_po(docs), stream)


def read_units(data: bytes, path: str) -> list[BilingualUnit]:
    """The segments of a PO file (obsolete entries and the header left out)."""
    po = _load(data, path)
    lines = decode_text(data, path, _charset(data)).split("\n")
    units: list[BilingualUnit] = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        file, line = entry.occurrences[0] if entry.occurrences else ("", "")
        msgid_line = _keyword_line(lines, entry.linenum or 1, "msgid")
        units.append(
            BilingualUnit(
                entry.msgid,
                entry.msgstr,
                ref=f"{file}:{line}" if file else f"{path}:{msgid_line}",
                key=entry.msgctxt or "",
                reviewed=not entry.fuzzy,
                line=msgid_line,
                notes=tuple(entry.comment.splitlines()) if entry.comment else (),
                number=len(units) + 1,
            )
        )
    return units


def _keyword_line(lines: Sequence[str], first: int, keyword: str) -> int:
    """The 1-based line of an entry's `keyword` ("msgid"), the entry starting at
    line `first` (polib's `linenum` is the entry's first line, its comments)."""
    for number in range(max(first, 1), len(lines) + 1):
        if lines[number - 1].startswith(keyword + " "):
            return number
    return first
