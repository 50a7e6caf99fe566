"""What the workbench's pages show and do, as the command line's library calls.

A `Workbench` holds what `glossary serve` was started with (the termbase
path, the project folder, the documents and their mined candidates) and
reads everything else from disk when asked, so a change made with the
command line while a page is open is seen on the next request:

- The termbase is read again whenever its file changed (inode, size and
  modification time), and every write is `update_termbase`, the locked,
  atomic read-modify-write of every termbase command.
- Review decisions are `glossary.mining.review`'s: `accept`/`reject` make the
  concept, `add_concept` adds it, skips go to the same `.review-state.json`
  as `glossary review`'s, so both resume each other's sessions.
- A concept edit carries the version of the concept it was made on (a hash of
  its TSV row); when the row changed in between, nothing is written and
  `ConcurrentEdit` is raised, so two edits never lose one silently.
- Validation of a concept form gives the problems `glossary validate` gives
  for its row (the same rules, messages and fix hints: the row is checked by
  `termbase.model.parse_tsv`) and the Dutch terms another concept claims.

Nothing here imports a web framework; `glossary.web.app` calls these methods.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

from glossary.document import Document
from glossary.errors import (
    ConcurrentEdit,
    InputError,
    InvalidValue,
    TermbaseFormatError,
    UnknownTerm,
)
from glossary.lang import nl as nl_lang
from glossary.lang.text import fold_clean, fold_key, strip_accents
from glossary.matching.matcher import Matcher
from glossary.mining import candidates as mining
from glossary.mining import review as rv
from glossary.mining.candidates import Candidate
from glossary.termbase import model as tbm
from glossary.termbase.model import COLUMNS, HEADER, Concept, Termbase
from glossary.termbase.store import atomic_write, read_termbase, update_termbase

PAGE_SIZE: Final = 50
LIST_FIELDS: Final = ("nl_variants", "en_alternatives", "en_forbidden", "sources")
FLAG_FIELDS: Final = ("dnt", "case_sensitive")
FORM_FIELDS: Final = COLUMNS[1:]  # every column but the id, which never changes
_TRUE: Final = frozenset(("yes", "on", "true", "1", "y"))

Decision = Literal["accept", "reject", "skip"]


# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Snapshot:
    """The termbase as read from disk, with the file signature it was read at."""

    termbase: Termbase
    signature: tuple[int, int, int]


@dataclass(frozen=True)
class SearchPage:
    """One page of a termbase search (or of the whole termbase when `query` is empty)."""

    query: str
    status: str
    page: int
    pages: int
    total: int
    concepts: tuple[Concept, ...]


@dataclass(frozen=True)
class Decided:
    """What a review decision did: the concept added (None for a skip)."""

    decision: Decision
    key: str
    concept: Concept | None
    left: int  # candidates still waiting
    next_key: str  # the candidate to show next ("" when none is left)


@dataclass(frozen=True)
class FieldProblem:
    """A validation problem of one form field ("" for the whole concept)."""

    field: str
    message: str
    hint: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "hint": self.hint}


def concept_version(concept: Concept) -> str:
    """The version of a concept: a hash of its TSV row (any change of any field changes it)."""
    row = tbm.serialize_tsv(Termbase((concept,))).split("\n", 1)[1]
    return hashlib.sha256(row.encode("utf-8")).hexdigest()[:16]


def form_values(concept: Concept) -> dict[str, str]:
    """A concept as form fields: lists joined with ' | ', flags 'yes' or ''."""
    values: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = getattr(concept, name)
        if name in LIST_FIELDS:
            values[name] = tbm.SEP.join(value)
        elif name in FLAG_FIELDS:
            values[name] = "yes" if value else ""
        else:
            values[name] = str(value)
    return values


def split_list(text: str) -> tuple[str, ...]:
    """A list field as typed: values separated by '|' (or one per line)."""
    parts = text.replace("\r", "\n").replace("\n", "|").split("|")
    return tuple(p.strip() for p in parts if p.strip())


def _flag(text: str) -> bool:
    return text.strip().lower() in _TRUE


def _changes(fields: Mapping[str, str]) -> dict[str, Any]:
    """Form fields as `termbase.model.edit` changes (only the fields given)."""
    changes: dict[str, Any] = {}
    for name in FORM_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in FLAG_FIELDS:
            changes[name] = _flag(value)
        else:
            changes[name] = split_list(value) if name in LIST_FIELDS else value
    return changes


def normalized(fields: Mapping[str, str]) -> dict[str, str]:
    """Every form field as the form shows it (a missing flag is an unticked box)."""
    out: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = fields.get(name, "")
        if name in FLAG_FIELDS:
            out[name] = "yes" if _flag(value) else ""
        elif name in LIST_FIELDS:
            out[name] = tbm.SEP.join(split_list(value))
        else:
            out[name] = " ".join(value.split())
    return out


def rebase(
    was: Mapping[str, str], mine: Mapping[str, str], now: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Three-way merge of a form after a concurrent change.

    `was`: the fields when the page was opened; `mine`: as the user left them;
    `now`: the concept in the termbase now. A field only the user changed
    keeps the user's value, one only changed elsewhere takes the new value,
    and one changed on both sides to different values is a clash: it keeps
    the user's value and is named, so the page can show both.
    """
    was, mine, now = normalized(was), normalized(mine), normalized(now)
    merged: dict[str, str] = {}
    clashes: list[str] = []
    for name in FORM_FIELDS:
        if mine[name] == was[name]:
            merged[name] = now[name]
        else:
            merged[name] = mine[name]
            if now[name] != was[name] and now[name] != mine[name]:
                clashes.append(name)
    return merged, clashes


def highlight(text: str, forms: Sequence[str], *, inflect: bool = False) -> list[tuple[str, bool]]:
    """`text` cut into pieces, True for the pieces where one of `forms` occurs
    (found by the term matcher: case, accents and hyphenation aside)."""
    forms = [f for f in forms if f.strip()]
    if not forms or not text:
        return [(text, False)]
    matcher = Matcher.build(
        [Concept(id="c", nl=forms[0], nl_variants=tuple(forms[1:]))], inflect=inflect
    )
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in matcher.find(text):
        if match.start > at:
            pieces.append((text[at : match.start], False))
        pieces.append((text[match.start : match.end], True))
        at = match.end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


# ------------------------------------------------------------------ the workbench


class Workbench:
    """The state of one `glossary serve`: paths, documents, candidates, caches.

    Thread-safe: the server answers requests from several threads.
    """

    def __init__(
        self,
        termbase_path: Path,
        root: Path,
        *,
        documents: Sequence[Document] = (),
        candidates: Sequence[Candidate] = (),
        inputs: Sequence[str] = (),
        max_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        self.termbase_path = termbase_path
        self.root = root.resolve()
        self.documents = tuple(documents)
        self.candidates = tuple(candidates)
        self.inputs = tuple(inputs)
        self.max_bytes = max_bytes
        self._lock = threading.RLock()
        self._state_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._statuses: tuple[tuple[int, int, int], tuple[Candidate, ...]] | None = None
        self._keys: tuple[tuple[int, int, int], dict[str, list[Concept]]] | None = None
        self._searches: OrderedDict[tuple[Any, ...], list[Concept]] = OrderedDict()

    # -------------------------------------------------------------- termbase

    def snapshot(self) -> Snapshot:
        """The termbase as it is on disk now (read again only when the file changed)."""
        try:
            st = self.termbase_path.stat()
            signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            read_termbase(self.termbase_path)  # raises the library's message
            raise
        with self._lock:
            if self._snapshot is None or self._snapshot.signature != signature:
                self._snapshot = Snapshot(read_termbase(self.termbase_path), signature)
                self._searches.clear()
            return self._snapshot

    def search(self, query: str = "", status: str = "", page: int = 1) -> SearchPage:
        """Concepts matching `query` as `glossary term search` finds them (all when
        empty), optionally of one status, one page of `PAGE_SIZE` at a time."""
        query = query.strip()
        if status and status not in tbm.STATUSES:
            raise InvalidValue(f"Unknown status {status!r}; use one of: {', '.join(tbm.STATUSES)}.")
        snap = self.snapshot()
        key = (snap.signature, query, status)
        with self._lock:
            found = self._searches.get(key)
        if found is None:
            concepts: Sequence[Concept] = (
                tbm.search(snap.termbase, query) if query else snap.termbase.concepts
            )
            found = [c for c in concepts if c.status == status] if status else list(concepts)
            with self._lock:
                self._searches[key] = found
                while len(self._searches) > 8:
                    self._searches.popitem(last=False)
        pages = max(1, -(-len(found) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        start = (page - 1) * PAGE_SIZE
        return SearchPage(
            query, status, page, pages, len(found), tuple(found[start : start + PAGE_SIZE])
        )

    def concept(self, concept_id: str) -> Concept:
        """One concept by id (or by any of its Dutch terms, as `term show` finds it)."""
        termbase = self.snapshot().termbase
        return termbase.get(concept_id) or tbm.find(termbase, concept_id)

    def validate(self, concept_id: str, fields: Mapping[str, str]) -> list[FieldProblem]:
        """The problems `glossary validate` would report for the concept with
        these field values, and the Dutch terms another concept claims."""
        snap = self.snapshot()
        old = snap.termbase.get(concept_id)
        if old is None:
            raise UnknownTerm(
                f"No concept with id {concept_id!r}: it was removed or renamed since the page "
                "was opened. Search the termbase again."
            )
        values = {**form_values(old), **{k: v for k, v in fields.items() if k in FORM_FIELDS}}
        for name in FLAG_FIELDS:  # a ticked box says "on"; other values are judged as in the file
            values[name] = "yes" if values[name].strip().lower() == "on" else values[name]
        problems: list[FieldProblem] = []
        for name in FORM_FIELDS:
            if any(ch in values[name] for ch in "\t\r\n") and name not in LIST_FIELDS:
                problems.append(
                    FieldProblem(name, "a tab or line break inside the value", "use one line")
                )
        if problems:
            return problems
        for name in LIST_FIELDS:
            values[name] = tbm.SEP.join(split_list(values[name]))
        row = "\t".join([concept_id, *(values[name] for name in FORM_FIELDS)])
        try:
            tbm.parse_tsv(f"{HEADER}\n{row}\n".encode(), self.termbase_path.name)
        except TermbaseFormatError as exc:
            return [FieldProblem(p.column_name, p.message, p.hint) for p in exc.problems]
        try:
            _, new = tbm.edit(Termbase((old,)), concept_id, **_changes(values))
        except InvalidValue as exc:
            return [FieldProblem("", str(exc))]
        return self._claimed(snap, new)

    def _claimed(self, snap: Snapshot, new: Concept) -> list[FieldProblem]:
        """Dutch terms of `new` that another concept claims (validate's rule, `conflicts`)."""
        with self._lock:
            if self._keys is None or self._keys[0] != snap.signature:
                index: dict[str, list[Concept]] = {}
                for concept in snap.termbase.concepts:
                    for term in concept.nl_terms:
                        index.setdefault(fold_clean(term).casefold(), []).append(concept)
                self._keys = (snap.signature, index)
            index = self._keys[1]
        near: dict[str, Concept] = {}
        for term in new.nl_terms:
            for other in index.get(fold_clean(term).casefold(), ()):
                if other.id != new.id:
                    near[other.id] = other
        problems = []
        for term, other, concept in tbm.conflicts((*near.values(), new)):
            if concept is not new:
                continue
            field = "nl" if term == new.nl else "nl_variants"
            problems.append(
                FieldProblem(
                    field,
                    f"Dutch term {term!r} is already claimed by {other.id!r} "
                    f"({other.nl} → {other.en or '-'})",
                    "keep the term in one concept only, or merge the two concepts",
                )
            )
        return problems

    def save(self, concept_id: str, version: str, fields: Mapping[str, str]) -> Concept:
        """Write the edited fields of a concept, if it is still at `version`.

        Raises `ConcurrentEdit` (nothing written) when the concept changed since
        the page read it, `UnknownTerm` when it is gone, `InvalidValue` or
        `DuplicateTerm` as `glossary term edit` does.
        """
        changes = _changes(fields)

        def change(termbase: Termbase) -> tuple[Termbase, Concept]:
            current = termbase.get(concept_id)
            if current is None:
                raise UnknownTerm(
                    f"Concept {concept_id!r} is no longer in the termbase: it was removed "
                    "(perhaps with the command line) after the page was opened. Nothing was saved."
                )
            if concept_version(current) != version:
                raise ConcurrentEdit(
                    f"Concept {concept_id!r} was changed elsewhere (the command line or another "
                    "page) after you opened it; nothing was saved. Compare the two versions "
                    "and save again."
                )
            return tbm.edit(termbase, concept_id, **changes)

        return update_termbase(self.termbase_path, change)

    # -------------------------------------------------------------- review

    def statuses(self) -> tuple[Candidate, ...]:
        """The mined candidates with their status in the termbase as it is now."""
        snap = self.snapshot()
        with self._lock:
            if self._statuses is None or self._statuses[0] != snap.signature:
                known = Matcher.build(snap.termbase.concepts)
                marked = mining.with_status(self.candidates, known)
                self._statuses = (snap.signature, tuple(marked))
            return self._statuses[1]

    def state(self) -> rv.ReviewState:
        return rv.load_state(rv.state_path(self.termbase_path))

    def queue(self) -> list[Candidate]:
        """New candidates to decide on, as `glossary review` orders them (skipped ones last)."""
        return rv.queue(self.statuses(), self.state())

    def candidate(self, key: str) -> Candidate:
        """A candidate waiting for review, by its key (`review.candidate_key`)."""
        for candidate in self.queue():
            if rv.candidate_key(candidate) == key:
                return candidate
        known = [c for c in self.statuses() if rv.candidate_key(c) == key]
        if known:
            raise UnknownTerm(
                f"{known[0].term!r} is no longer waiting for review: it is {known[0].status} "
                f"in the termbase ({known[0].concept_id}). Decided with the command line or "
                "another page? Go on with the next candidate."
            )
        raise UnknownTerm(f"No mined candidate {key!r}. Reload the review page.")

    def waiting(self, key_or_term: str) -> Candidate:
        """A waiting candidate by key, or by one of its spellings as typed."""
        queue = self.queue()
        for candidate in queue:
            if rv.candidate_key(candidate) == key_or_term:
                return candidate
        wanted = fold_key(key_or_term)
        for candidate in queue:
            if any(fold_key(form) == wanted for form in candidate.forms):
                return candidate
        return self.candidate(key_or_term)  # raises with the reason

    def similar(self, candidate: Candidate, limit: int = 6) -> list[Candidate]:
        """Other waiting candidates that may be the same term: they share a
        word with it (accents, case and hyphens aside), most frequent first."""
        stop = nl_lang.function_words()

        def words(c: Candidate) -> set[str]:
            found = set()
            for form in c.forms:
                found.update(strip_accents(form.casefold()).replace("-", " ").split())
            return {w for w in found if len(w) > 2 and w not in stop}

        mine = words(candidate)
        key = rv.candidate_key(candidate)
        near = [c for c in self.queue() if rv.candidate_key(c) != key and mine & words(c)]
        near.sort(key=lambda c: -c.frequency)
        return near[:limit]

    def decide(
        self,
        key: str,
        decision: str,
        *,
        en: str = "",
        nl: str = "",
        variants: str | None = None,
        merge: Iterable[str] = (),
    ) -> Decided:
        """Accept, reject or skip one candidate, as `glossary review` does.

        `variants` (the Dutch variants as typed, separated by '|') replaces the
        candidate's own; `merge` names other waiting candidates whose forms
        become variants of this one (their spellings are one term).
        """
        if decision not in ("accept", "reject", "skip"):
            raise InvalidValue(f"Unknown decision {decision!r}; use accept, reject or skip.")
        before = self.queue()
        candidate = self.candidate(key)
        if decision == "skip":
            with self._state_lock:
                state = self.state().skip(candidate)
                atomic_write(rv.state_path(self.termbase_path), rv.dump_state(state))
            return self._decided("skip", key, None, before)
        term = nl.strip() or candidate.term
        forms = list(split_list(variants)) if variants is not None else None
        merged = [self.waiting(k) for k in dict.fromkeys(m.strip() for m in merge) if k]
        merged = [c for c in merged if rv.candidate_key(c) != key]
        if merged:
            forms = forms if forms is not None else rv.variant_forms(candidate, term)
            for other in merged:
                forms.extend(f for f in rv.variant_forms(other, term) if f not in forms)
        if decision == "accept":
            concept = rv.accept(candidate, en, nl=term, variants=forms)
        elif forms is None and term == candidate.term:
            concept = rv.reject(candidate)
        else:
            concept = rv.concept_for(candidate, "", status="rejected", nl=term, variants=forms)
        added = update_termbase(
            self.termbase_path, functools.partial(rv.add_concept, concept=concept)
        )
        if rv.candidate_key(candidate) in self.state().skipped:
            with self._state_lock:
                state = self.state().forget(candidate)
                atomic_write(rv.state_path(self.termbase_path), rv.dump_state(state))
        return self._decided(cast(Decision, decision), key, added, before)

    def _decided(
        self, decision: Decision, key: str, concept: Concept | None, before: list[Candidate]
    ) -> Decided:
        keys = [rv.candidate_key(c) for c in before]
        waiting = {rv.candidate_key(c) for c in self.queue()}
        after = keys[keys.index(key) + 1 :] + keys[: keys.index(key)] if key in keys else keys
        next_key = next((k for k in after if k in waiting), "")
        return Decided(decision, key, concept, len(waiting), next_key)

    # -------------------------------------------------------------- files

    def inside(self, text: str) -> Path:
        """A file named in a request, refused unless it is a file under the project folder.

        Symbolic links are resolved first, so a link that points outside is refused too.
        """
        if not text.strip():
            raise InvalidValue("Give the path of a file in the project folder.")
        if "\x00" in text:
            raise InvalidValue("A file name cannot contain a NUL character.")
        path = (self.root / text.strip()).resolve()
        if not path.is_relative_to(self.root):
            raise InputError(
                f"{text}: outside the project folder {self.root}. The workbench opens files "
                "under the folder 'glossary serve' was started in, nothing else."
            )
        if not path.is_file():
            raise InputError(f"{text}: no such file in {self.root}. Check the path.")
        return path

    def files(
        self, suffixes: Iterable[str], limit: int = 500, depth: int = 4, folders: int = 2000
    ) -> list[str]:
        """Files under the project folder with these suffixes, relative paths, sorted:
        offered on the QA page. Hidden folders and virtual environments are
        skipped, and the walk stops `depth` folders down and after `folders`
        folders, so a workbench started in a home folder answers at once."""
        wanted = tuple(s.lower() for s in suffixes)
        found: list[str] = []
        for folder, dirs, names in os.walk(self.root):
            folders -= 1
            if folders < 0:
                break
            level = len(Path(folder).relative_to(self.root).parts)
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".")
                and d not in ("node_modules", "__pycache__", "venv")
                and level < depth
            )
            for name in sorted(names):
                if name.lower().endswith(wanted) and not name.startswith("."):
                    found.append(str((Path(folder) / name).relative_to(self.root)))
                    if len(found) >= limit:
                        return found
        return found
