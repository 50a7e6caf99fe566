"""The termbase: concepts, their validation, and the TSV file format.

A termbase is an immutable `Termbase` holding `Concept`s. Every change is a
pure function returning a new termbase (`add`, `edit`, `remove`,
`set_status`), so a command can validate the whole result before anything is
written. Reading and writing files lives in `glossary.termbase.store`.

File format (`glossary/termbase.tsv`): UTF-8, a header row with `COLUMNS` in
this order, one concept per line, multi-valued cells joined by " | ", flags
as "yes" or empty, rows sorted by Dutch term (case-insensitive) then id, and a
final newline. `parse_tsv(serialize_tsv(tb)) == tb` and
`serialize_tsv(parse_tsv(text)) == text` for any file this module wrote.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Generic, Literal, TypeVar, cast, get_args

from glossary.errors import DuplicateTerm, InvalidValue, Problem, TermbaseFormatError, UnknownTerm
from glossary.lang.text import (
    clean_value,
    fold_key,
    is_clean_line,
    search_key,
    search_key_clean,
    slug,
)

V = TypeVar("V")
Status = Literal["approved", "proposed", "rejected"]
STATUSES: Final[tuple[str, ...]] = get_args(Status)
# TBX-Basic partOfSpeech picklist, so exports need no mapping.
PARTS_OF_SPEECH: Final[tuple[str, ...]] = (
    "noun",
    "verb",
    "adjective",
    "adverb",
    "properNoun",
    "other",
)
SEP: Final = " | "

# (column name, Concept attribute, kind). Kinds: str, list, flag.
_SCHEMA: Final[tuple[tuple[str, str, str], ...]] = (
    ("id", "id", "str"),
    ("nl", "nl", "str"),
    ("nl_variants", "nl_variants", "list"),
    ("en", "en", "str"),
    ("en_alternatives", "en_alternatives", "list"),
    ("en_forbidden", "en_forbidden", "list"),
    ("status", "status", "str"),
    ("pos", "pos", "str"),
    ("dnt", "dnt", "flag"),
    ("case_sensitive", "case_sensitive", "flag"),
    ("subject", "subject", "str"),
    ("definition", "definition", "str"),
    ("note", "note", "str"),
    ("context", "context", "str"),
    ("sources", "sources", "list"),
)
COLUMNS: Final[tuple[str, ...]] = tuple(name for name, _, _ in _SCHEMA)
HEADER: Final = "\t".join(COLUMNS)
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}


@dataclass(frozen=True)
class Concept:
    """One concept: a Dutch term, its variants and its English rendering."""

    id: str
    nl: str
    en: str = ""
    nl_variants: tuple[str, ...] = ()
    en_alternatives: tuple[str, ...] = ()
    en_forbidden: tuple[str, ...] = ()
    status: Status = "approved"
    pos: str = ""
    dnt: bool = False
    case_sensitive: bool = False
    subject: str = ""
    definition: str = ""
    note: str = ""
    context: str = ""
    sources: tuple[str, ...] = ()

    @property
    def nl_terms(self) -> tuple[str, ...]:
        """The preferred Dutch term followed by its variants."""
        return (self.nl, *self.nl_variants)

    @property
    def en_terms(self) -> tuple[str, ...]:
        """English renderings that are correct: preferred first, then admitted.

        A do-not-translate concept's only correct rendering is itself.
        """
        if self.dnt:
            return (self.en or self.nl,)
        return tuple(t for t in (self.en, *self.en_alternatives) if t)

    @property
    def target(self) -> str:
        """The English a translation must contain."""
        return self.en_terms[0] if self.en_terms else ""

    def keys(self) -> tuple[str, ...]:
        """Identity keys of every Dutch term of the concept (see `fold_key`)."""
        return tuple(dict.fromkeys(fold_key(t, self.case_sensitive) for t in self.nl_terms if t))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the TSV column names."""
        return {name: _json_value(getattr(self, attr)) for name, attr, _ in _SCHEMA}


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class Termbase:
    """An ordered, validated collection of concepts."""

    concepts: tuple[Concept, ...] = ()
    _by_id: dict[str, Concept] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concepts", tuple(sorted(self.concepts, key=sort_key)))
        self._by_id.update((c.id, c) for c in self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    def with_status(self, *statuses: str) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.status in statuses)


def sort_key(concept: Concept) -> tuple[str, str, str]:
    """File order: Dutch term case-insensitively, then exact form, then id."""
    return (concept.nl.casefold(), concept.nl, concept.id)


# ---------------------------------------------------------------- validation


def _flag_text(value: bool) -> str:
    return "yes" if value else ""


# Characters no value may hold. Control characters are invisible, most cannot
# be written in XML (a TBX export would fail) and terminals act on some (ESC);
# surrogates are bytes that were not UTF-8 (a command-line argument or file
# name in another encoding); U+FFFE and U+FFFF are not characters. Tabs and
# line breaks (\t \n \r) get their own message; other whitespace (vertical tab,
# form feed, U+0085, U+2028, no-break spaces...) is not refused but becomes a
# plain space (`clean_value`). See docs/safety.md.
FORBIDDEN_CHARACTERS: Final = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
# The bytes that start those characters in UTF-8 (surrogates cannot be valid
# UTF-8; \xc2 and \xef also start harmless characters): a cheap test of a whole
# block of a termbase file, which then gets the exact test per value.
_SUSPECT_BYTES: Final = re.compile(b"[\x00-\x08\x0e-\x1f\x7f\xc2\xef]")


def forbidden_character(value: str) -> str:
    """What is wrong with `value` when it holds a character no value may hold
    ("the control character U+001B"), else ""."""
    found = FORBIDDEN_CHARACTERS.search(value)
    if found is None:
        return ""
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"a byte that is not UTF-8 (\\x{code - 0xDC00:02x})"
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X})"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    return f"the control character U+{code:04X}"


def _check_text(value: str, what: str) -> str:
    if "\t" in value or "\n" in value or "\r" in value:
        raise InvalidValue(f"{what} contains a tab or line break: {value!r}. Use one line.")
    problem = forbidden_character(value)
    if problem:
        shown = repr(value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
        raise InvalidValue(
            f"{what} {shown} contains {problem}. Values may not hold control characters "
            "(invisible, and XML exports cannot hold them) or bytes that are not UTF-8; "
            "remove it or retype the value."
        )
    return clean_value(value)


def _check_list(values: Iterable[str], what: str) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        text = _check_text(value, what)
        if "|" in text:
            raise InvalidValue(
                f"{what} {text!r} contains '|', which separates values in the termbase; "
                "give each value separately."
            )
        if text and text not in out:
            out.append(text)
    return tuple(out)


def make_concept(
    nl: str,
    en: str = "",
    *,
    concept_id: str = "",
    nl_variants: Iterable[str] = (),
    en_alternatives: Iterable[str] = (),
    en_forbidden: Iterable[str] = (),
    status: str = "approved",
    pos: str = "",
    dnt: bool = False,
    case_sensitive: bool = False,
    subject: str = "",
    definition: str = "",
    note: str = "",
    context: str = "",
    sources: Iterable[str] = (),
) -> Concept:
    """Build a concept from user input, cleaning and checking every value.

    Raises `InvalidValue` with a fix hint for anything the file could not hold.
    """
    nl_clean = _check_text(nl, "Dutch term")
    if not nl_clean:
        raise InvalidValue("The Dutch term is empty.")
    if status not in STATUSES:
        raise InvalidValue(f"Unknown status {status!r}; use one of: {', '.join(STATUSES)}.")
    if pos and pos not in PARTS_OF_SPEECH:
        raise InvalidValue(
            f"Unknown part of speech {pos!r}; use one of: {', '.join(PARTS_OF_SPEECH)}."
        )
    en_clean = _check_text(en, "English term")
    if "|" in nl_clean or "|" in en_clean:
        raise InvalidValue("A term may not contain '|' (it separates values in the file).")
    if status == "approved" and not en_clean and not dnt:
        raise InvalidValue(
            f"Approved concept {nl_clean!r} needs an English term "
            "(or --dnt for a name that stays as it is)."
        )
    variants = tuple(v for v in _check_list(nl_variants, "Dutch variant") if v != nl_clean)
    alternatives = tuple(
        v for v in _check_list(en_alternatives, "English alternative") if v != en_clean
    )
    forbidden = _check_list(en_forbidden, "forbidden rendering")
    both = allowed_and_forbidden((en_clean, *alternatives), forbidden)
    if both:
        raise InvalidValue(
            f"{both[0]!r} is both an allowed English term and a forbidden rendering of "
            f"{nl_clean!r}; keep it in one of the two."
        )
    return Concept(
        id=_check_text(concept_id, "id") or slug(nl_clean),
        nl=nl_clean,
        en=en_clean,
        nl_variants=variants,
        en_alternatives=alternatives,
        en_forbidden=forbidden,
        status=cast(Status, status),
        pos=pos,
        dnt=dnt,
        case_sensitive=case_sensitive,
        subject=_check_text(subject, "subject"),
        definition=_check_text(definition, "definition"),
        note=_check_text(note, "note"),
        context=_check_text(context, "context"),
        sources=_check_list(sources, "source"),
    )


def allowed_and_forbidden(allowed: Iterable[str], forbidden: Iterable[str]) -> list[str]:
    """English terms both allowed (preferred or admitted) and forbidden,
    compared as the checker compares them (case-insensitively)."""
    banned = {t.casefold() for t in forbidden if t}
    return [t for t in dict.fromkeys(allowed) if t and t.casefold() in banned]


class Claims(Generic[V]):
    """The Dutch term keys claimed so far, each with its owner, checked one
    concept at a time (the rule of `conflicts`). Owners are whatever the
    caller needs to name the first claimant: a `Concept`, or a small record
    when a whole file is streamed and concepts are not kept."""

    __slots__ = ("insensitive", "sensitive", "sensitive_folded")

    def __init__(self) -> None:
        self.insensitive: dict[str, V] = {}
        self.sensitive: dict[str, V] = {}
        self.sensitive_folded: dict[str, V] = {}

    def claim(self, concept: Concept, owner: V) -> list[tuple[str, V]] | None:
        """Claim the Dutch terms of `concept` for `owner`; return (term, earlier owner)
        for each term another owner already claims (None when none is)."""
        found: list[tuple[str, V]] | None = None
        insensitive, sensitive = self.insensitive, self.sensitive
        terms = (concept.nl, *concept.nl_variants) if concept.nl_variants else (concept.nl,)
        for term in terms:
            # Concept values are clean by construction: `fold_clean` inlined.
            exact = term.replace(" ", "").replace("-", "")
            folded = exact.casefold()
            if concept.case_sensitive:
                other = sensitive.get(exact) or insensitive.get(folded)
            else:
                other = insensitive.get(folded) or self.sensitive_folded.get(folded)
            if other is not None and other is not owner:
                if found is None:
                    found = []
                found.append((term, other))
                continue
            if concept.case_sensitive:
                sensitive[exact] = owner
                self.sensitive_folded.setdefault(folded, owner)
            else:
                insensitive[folded] = owner
        return found


def conflicts(concepts: Iterable[Concept]) -> list[tuple[str, Concept, Concept]]:
    """(term, first claimant, second claimant) for Dutch terms claimed twice.

    Terms are compared by `fold_key`. A case-sensitive term ("OP") and a
    case-insensitive one ("op") conflict, because the case-insensitive one
    also matches "OP"; two case-sensitive terms conflict only when identical.
    """
    claims: Claims[Concept] = Claims()
    found: list[tuple[str, Concept, Concept]] = []
    for concept in concepts:
        clashes = claims.claim(concept, concept)
        if clashes:
            found.extend((term, other, concept) for term, other in clashes)
    return found


# ---------------------------------------------------------------- operations


def new_id(termbase: Termbase, concept: Concept) -> str:
    """A free id for `concept`: its own, or its slug with a number appended."""
    base = concept.id or slug(concept.nl)
    candidate, n = base, 2
    while termbase.get(candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def add(termbase: Termbase, concept: Concept) -> tuple[Termbase, Concept]:
    """Add a concept (a fresh id is chosen if its id is taken)."""
    concept = dataclasses.replace(concept, id=new_id(termbase, concept))
    _ensure_no_conflict(termbase, concept)
    return Termbase((*termbase.concepts, concept)), concept


def _ensure_no_conflict(termbase: Termbase, concept: Concept) -> None:
    for term, first, second in conflicts((*termbase.concepts, concept)):
        if concept in (first, second):
            other = first if second is concept else second
            raise DuplicateTerm(
                f"{term!r} is already a term of concept {other.id!r} ({other.nl} → "
                f"{other.en or '-'}). Edit that concept (glossary term edit {other.id}) "
                "or remove the variant."
            )


def find(termbase: Termbase, id_or_term: str) -> Concept:
    """The concept with this id, or whose Dutch term or variant this is."""
    exact = termbase.get(id_or_term)
    if exact is not None:
        return exact
    wanted = fold_key(id_or_term)
    for concept in termbase.concepts:
        if wanted in {fold_key(t) for t in concept.nl_terms}:
            return concept
    raise UnknownTerm(
        f"No concept with id or Dutch term {id_or_term!r}. Try: glossary term search {id_or_term!r}"
    )


def replace(termbase: Termbase, concept: Concept) -> Termbase:
    """Replace the concept with the same id, checking term conflicts."""
    if termbase.get(concept.id) is None:
        raise UnknownTerm(f"No concept with id {concept.id!r}. See: glossary term list")
    rest = tuple(c for c in termbase.concepts if c.id != concept.id)
    _ensure_no_conflict(Termbase(rest), concept)
    return Termbase((*rest, concept))


def edit(termbase: Termbase, concept_id: str, **changes: Any) -> tuple[Termbase, Concept]:
    """Change fields of a concept; values are checked like `make_concept`'s."""
    old = termbase.get(concept_id)
    if old is None:
        raise UnknownTerm(f"No concept with id {concept_id!r}. See: glossary term list")
    unknown = set(changes) - {f.name for f in dataclasses.fields(Concept)} - {"id"}
    if unknown:
        raise InvalidValue(f"Unknown field(s): {', '.join(sorted(unknown))}")
    merged = {f.name: getattr(old, f.name) for f in dataclasses.fields(Concept)}
    merged.update(changes)
    new = make_concept(
        merged["nl"],
        merged["en"],
        concept_id=old.id,
        nl_variants=merged["nl_variants"],
        en_alternatives=merged["en_alternatives"],
        en_forbidden=merged["en_forbidden"],
        status=merged["status"],
        pos=merged["pos"],
        dnt=merged["dnt"],
        case_sensitive=merged["case_sensitive"],
        subject=merged["subject"],
        definition=merged["definition"],
        note=merged["note"],
        context=merged["context"],
        sources=merged["sources"],
    )
    return replace(termbase, new), new


def remove(termbase: Termbase, concept_id: str) -> tuple[Termbase, Concept]:
    old = termbase.get(concept_id)
    if old is None:
        raise UnknownTerm(f"No concept with id {concept_id!r}. See: glossary term list")
    return Termbase(tuple(c for c in termbase.concepts if c.id != concept_id)), old


def set_status(termbase: Termbase, concept_id: str, status: str) -> tuple[Termbase, Concept]:
    return edit(termbase, concept_id, status=status)


def search(termbase: Termbase, text: str) -> list[Concept]:
    """Concepts whose Dutch or English terms contain `text`, ignoring case and accents.

    Exact matches come first, then prefix matches, then other substrings.
    """
    wanted = search_key(text)
    if not wanted:
        return []
    concepts = termbase.concepts
    # One search key for the whole termbase (concepts separated by \x01, terms
    # by \x00, which no key contains), made and scanned at C speed; only the
    # concepts it hits are ranked term by term. Concept values are clean by
    # construction, so the cheaper `search_key_clean` gives the same keys.
    blocks = ["\x00".join((*c.nl_terms, *c.en_terms, *c.en_alternatives)) for c in concepts]
    keys = search_key_clean("\x01".join(blocks)).split("\x01")
    if len(keys) != len(concepts):  # a term holds a \x01 (no valid termbase has one)
        keys = [search_key(block) for block in blocks]
    hits = [n for n, key in enumerate(keys) if wanted in key]
    ranked: list[tuple[int, int, Concept]] = []
    for n in hits:
        best = 3
        for key in keys[n].split("\x00"):  # the block's terms, keyed
            if wanted in key:
                best = min(best, 0 if key == wanted else 1 if key.startswith(wanted) else 2)
        if best < 3:
            ranked.append((best, n, concepts[n]))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [c for _, _, c in ranked]


# ---------------------------------------------------------------- TSV format


def serialize_tsv(termbase: Termbase) -> str:
    """The file text: header, one line per concept in file order, final newline."""
    lines = [HEADER]
    for concept in termbase.concepts:
        cells: list[str] = []
        for _, attr, kind in _SCHEMA:
            value = getattr(concept, attr)
            if kind == "list":
                cells.append(SEP.join(value))
            elif kind == "flag":
                cells.append(_flag_text(value))
            else:
                cells.append(value)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    A 100,000-concept termbase creates about a million tuples and strings;
    the collector would scan them again and again (about 15 % of the parse).
    Nothing built here forms a cycle, so pausing loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_no_gc = no_gc  # the old private name, for code that still uses it


def parse_tsv(data: bytes, path: str = "termbase.tsv") -> Termbase:
    """Parse and validate termbase bytes; raise `TermbaseFormatError` listing every problem."""
    with no_gc():
        scanner = TsvScanner(path)
        concepts = [c for c in scanner.scan([data]) if c is not None]
        scanner.finish()
        return Termbase(tuple(concepts))


class TsvScanner:
    """Validates a termbase file line by line and yields its concepts.

    `parse_tsv` feeds it a whole file; `glossary.termbase.store.stream_termbase`
    feeds it lines from disk, so an export of a 1,000,000-concept termbase
    never holds the termbase in memory. Problems are collected (every one,
    with line and column); `finish` raises them. A bad header raises at once.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._ids: dict[str, int] = {}
        # Owners are concept ids (strings `_ids` holds anyway, so a streamed
        # 1,000,000-concept file costs no more than its keys).
        self._claims: Claims[str] = Claims()

    def scan(self, chunks: Iterable[bytes]) -> Iterator[Concept | None]:
        """Concepts of the lines after the header, in file order (None for a blank
        or broken line); the first line must be the header.

        `chunks` are blocks of whole lines (the last may lack its final line
        break); each is searched once for forbidden characters, which costs
        far less than a search per line.
        """
        # Written for speed (a 100,000-line termbase loads in about a second):
        # locals, no call per line on the common path.
        path, problems = self.path, self.problems
        ids = self._ids
        claim = self._claims.claim
        lineno = 0
        for chunk in chunks:
            suspect = _SUSPECT_BYTES.search(chunk) is not None
            raw_lines = chunk.split(b"\n")
            if raw_lines and raw_lines[-1] == b"":
                raw_lines.pop()
            for raw in raw_lines:
                lineno += 1
                if raw.endswith(b"\r"):
                    raw = raw[:-1]
                try:
                    line: str | None = raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = _decode_line(raw, lineno, path, problems)
                if lineno == 1:
                    self._header(line.removeprefix("\ufeff") if line else line)
                    continue
                if not line or line.isspace():
                    yield None
                    continue
                concept = _parse_row(line, lineno, path, problems, suspect)
                if concept is None:
                    yield None
                    continue
                cid = concept.id
                if cid in ids:
                    self._duplicate_id(cid, lineno)
                    yield None
                    continue
                ids[cid] = lineno
                clashes = claim(concept, cid)
                if clashes:
                    self._conflicts(concept, lineno, clashes)
                yield concept
        if lineno == 0:
            self._header(None)

    def _header(self, first: str | None) -> None:
        path, problems = self.path, self.problems
        if first is None or not first.strip():
            if not problems:
                problems.append(
                    Problem(path, 1, "missing header row", hint=f"the first line must be: {HEADER}")
                )
            raise TermbaseFormatError(f"{path}: the termbase does not load.", problems)
        if [h.strip() for h in first.split("\t")] != list(COLUMNS):
            problems.append(
                Problem(
                    path,
                    1,
                    f"unexpected header {_preview(first)}",
                    hint=f"the header must be the {len(COLUMNS)} columns: {' '.join(COLUMNS)}",
                )
            )
            raise TermbaseFormatError(f"{path}: the termbase does not load.", problems)

    def _duplicate_id(self, cid: str, lineno: int) -> None:
        self.problems.append(
            Problem(
                self.path,
                lineno,
                f"id {cid!r} is also used on line {self._ids[cid]}",
                column=1,
                column_name="id",
                hint="give every concept its own id",
            )
        )

    def _conflicts(self, concept: Concept, lineno: int, clashes: list[tuple[str, str]]) -> None:
        for dup, first_id in clashes:
            column = 2 if fold_key(dup) == fold_key(concept.nl) else 3
            self.problems.append(
                Problem(
                    self.path,
                    lineno,
                    f"Dutch term {dup!r} of {concept.id!r} is already claimed by {first_id!r} "
                    f"on line {self._ids[first_id]}",
                    column=column,
                    column_name=COLUMNS[column - 1],
                    hint="keep the term in one concept only, or merge the two concepts",
                )
            )

    def finish(self) -> None:
        """Raise `TermbaseFormatError` with every problem found, if any."""
        problems = self.problems
        if problems:
            problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise TermbaseFormatError(
                f"{self.path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
                "it was not changed.",
                problems,
            )


def _preview(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[:width] + "...")


def _decode_line(raw: bytes, lineno: int, path: str, problems: list[Problem]) -> str | None:
    """One line as text; bad UTF-8 becomes a located problem (and None)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = raw[: exc.start].decode("utf-8", "replace").count("\t") + 1
        problems.append(
            Problem(
                path,
                lineno,
                f"invalid UTF-8 byte {raw[exc.start : exc.start + 1]!r} at byte {exc.start + 1}",
                column=column,
                column_name=COLUMNS[column - 1] if column <= len(COLUMNS) else "",
                hint="save the file as UTF-8 (in a spreadsheet: 'Unicode (UTF-8)' text)",
            )
        )
        return None


def _split_list(cell: str, clean: bool = False) -> tuple[str, ...]:
    if not cell:
        return ()
    if clean and "|" not in cell:
        return (cell,)
    if clean and cell.count("|") == cell.count(SEP):
        return tuple(cell.split(SEP))
    return tuple(v for v in (clean_value(x) for x in cell.split("|")) if v)


def _same(text: str) -> str:
    return text


def _parse_flag(cell: str, lineno: int, column: int, path: str, problems: list[Problem]) -> bool:
    flag = cell.strip().lower()
    if flag in _TRUE:
        return True
    if flag not in _FALSE:
        problems.append(
            Problem(
                path,
                lineno,
                f"flag value {cell!r} is not yes or empty",
                column,
                COLUMNS[column - 1],
                "write 'yes' or leave empty",
            )
        )
    return False


def _parse_row(
    line: str, lineno: int, path: str, problems: list[Problem], suspect: bool = True
) -> Concept | None:
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        problems.append(
            Problem(
                path,
                lineno,
                f"{len(cells)} columns instead of {len(COLUMNS)}",
                hint="a tab or line break inside a value splits it; every row needs "
                f"exactly {len(COLUMNS) - 1} tabs",
            )
        )
        return None
    before = len(problems)
    if "\r" in line:
        for column, cell in enumerate(cells, 1):
            if "\r" in cell:
                problems.append(
                    Problem(
                        path,
                        lineno,
                        "carriage return inside a value",
                        column,
                        COLUMNS[column - 1],
                        "remove the line break from the value",
                    )
                )
    if suspect:
        for column, cell in enumerate(cells, 1):
            problem = forbidden_character(cell)
            if problem:
                problems.append(
                    Problem(
                        path,
                        lineno,
                        f"the value holds {problem}",
                        column,
                        COLUMNS[column - 1],
                        "remove the character (control characters are invisible; "
                        "an XML export cannot hold them)",
                    )
                )
    (
        cid,
        nl,
        nl_variants,
        en,
        en_alternatives,
        en_forbidden,
        status,
        pos,
        dnt,
        case_sensitive,
        subject,
        definition,
        note,
        context,
        sources,
    ) = cells
    clean = not suspect and is_clean_line(line)
    fix = _same if clean else clean_value
    cid, nl, en, status, pos = fix(cid), fix(nl), fix(en), fix(status), fix(pos)
    dnt_flag = _parse_flag(dnt, lineno, 9, path, problems)
    cs_flag = _parse_flag(case_sensitive, lineno, 10, path, problems)
    if not cid:
        problems.append(Problem(path, lineno, "empty id", 1, "id", "give a unique short id"))
    if not nl:
        problems.append(Problem(path, lineno, "empty Dutch term", 2, "nl", "fill in the term"))
    if status not in STATUSES:
        problems.append(
            Problem(
                path,
                lineno,
                f"unknown status {status!r}" if status else "empty status",
                7,
                "status",
                f"use one of: {', '.join(STATUSES)}",
            )
        )
    elif status == "approved" and not en and not dnt_flag:
        problems.append(
            Problem(
                path,
                lineno,
                "approved concept without English term",
                4,
                "en",
                "fill in the English term, mark it dnt=yes, or set status to proposed",
            )
        )
    if pos and pos not in PARTS_OF_SPEECH:
        problems.append(
            Problem(
                path,
                lineno,
                f"unknown part of speech {pos!r}",
                8,
                "pos",
                f"use one of: {', '.join(PARTS_OF_SPEECH)}",
            )
        )
    if en_forbidden:
        both = allowed_and_forbidden(
            (en, *_split_list(en_alternatives, clean)), _split_list(en_forbidden, clean)
        )
        if both:
            problems.append(
                Problem(
                    path,
                    lineno,
                    f"{both[0]!r} is both allowed (en or en_alternatives) and forbidden",
                    6,
                    "en_forbidden",
                    "a term is either a correct rendering or a forbidden one: remove it "
                    "from one of the two columns",
                )
            )
    if len(problems) > before:
        return None
    return Concept(
        id=cid,
        nl=nl,
        en=en,
        nl_variants=_split_list(nl_variants, clean),
        en_alternatives=_split_list(en_alternatives, clean),
        en_forbidden=_split_list(en_forbidden, clean),
        status=cast(Status, status),
        pos=pos,
        dnt=dnt_flag,
        case_sensitive=cs_flag,
        subject=fix(subject),
        definition=fix(definition),
        note=fix(note),
        context=fix(context),
        sources=_split_list(sources, clean),
    )
