"""Importing into the termbase, and merging post-edited translations back.

Import (`import_file`, pure core `plan_import`): concepts read by a format
module are matched to the termbase by their Dutch terms only: an incoming
concept is the same concept as an existing one when they share a Dutch term
or variant (`fold_key`, the rule that forbids two concepts one term). Ids in
the file never match anything: TBX files from MultiTerm, SDL and the TBX
samples all number their entries c1…cN, so ids would fuse unrelated
concepts. Each incoming concept gets one action:

- added: no concept has any of its Dutch terms (its id is made from its
  Dutch term, as `glossary term add` makes it, unless the file is one of
  this tool's own exports);
- unchanged: it says nothing the termbase does not already say;
- merged: it adds to the concept (Dutch spellings as variants, English
  alternatives, forbidden renderings, sources, empty fields filled, a
  dnt/case-sensitive flag turned on); where it says something else about a
  field (status, part of speech, definition...), the termbase's value stays
  and the detail says so;
- conflict: a real contradiction: the same Dutch term with another English
  term, a term the file allows and the termbase forbids (or the other way
  round), or Dutch terms that belong to two concepts. `on_conflict`
  decides: "skip" keeps the concept as it was, "replace" takes the file's
  values (an old English term stays as an alternative), "fail" stops the
  import. Dutch terms are only ever added, as variants.

The change runs through `storage.update_termbase`, so a broken file, a
failed import or an invalid result leaves the termbase file as it was.

Merge (`merge_units`, `merge_file`): the units of a post-edited PO or XLIFF
file are matched to the segments of the source document (read again with
`glossary.reading.ingest`) by segment key, else by source text, and the English is
written with the source's paragraph layout (`glossary.translation.writers.write_text`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final, Literal

from glossary.document import Document, TranslatedDocument, TranslatedSegment
from glossary.errors import (
    FileProblems,
    ImportConflict,
    ImportFormatError,
    InputError,
    InvalidValue,
    Problem,
)
from glossary.exchange import registry as formats
from glossary.exchange.jobs import LanguageChoice
from glossary.exchange.registry import (
    DEFAULT_MAX_BYTES,
    BilingualUnit,
    ImportOptions,
    ReadResult,
    segment_key,
)
from glossary.files.inputs import display_name, read_bytes
from glossary.lang.text import fold_key
from glossary.termbase.model import (
    STATUSES,
    Concept,
    Termbase,
    conflicts,
    make_concept,
    no_gc,
)
from glossary.termbase.store import read_termbase, update_termbase

OnConflict = Literal["skip", "replace", "fail"]
ON_CONFLICT: Final = ("skip", "replace", "fail")
Action = Literal["added", "merged", "unchanged", "conflict", "replaced"]
ACTIONS: Final = ("added", "merged", "replaced", "unchanged", "conflict")


@dataclass(frozen=True)
class ImportAction:
    """What happened to one imported concept."""

    action: Action
    concept_id: str
    nl: str
    en: str
    detail: str = ""


@dataclass(frozen=True)
class ImportReport:
    path: str
    format: str
    actions: tuple[ImportAction, ...]
    ignored: int = 0  # entries without a Dutch term (other languages only)
    skipped: tuple[Problem, ...] = ()  # invalid entries left out (skip_invalid)
    written: bool = False
    # What the file holds that the termbase has no place for: (kind, name, count).
    dropped: tuple[tuple[str, str, int], ...] = ()
    warnings: tuple[str, ...] = ()

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)

    def dropped_by_kind(self) -> list[tuple[str, int, list[str]]]:
        """(kind, total count, names) of what was left out, biggest first."""
        kinds: dict[str, tuple[int, list[str]]] = {}
        for kind, name, n in self.dropped:
            total, names = kinds.get(kind, (0, []))
            kinds[kind] = (total + n, [*names, name])
        return sorted(
            ((k, total, names) for k, (total, names) in kinds.items()), key=lambda x: (-x[1], x[0])
        )

    def summary(self) -> str:
        parts = [
            f"{self.count(name)} {name}"
            + ("s" if name == "conflict" and self.count(name) != 1 else "")
            for name in ACTIONS
            if self.count(name) or name in ("added", "conflict")
        ]
        text = f"{self.path} ({self.format}): " + ", ".join(parts)
        if self.skipped:
            text += f", {len(self.skipped)} invalid skipped"
        if self.ignored:
            text += f", {self.ignored} entries without Dutch ignored"
        if not self.written:
            text += "; the termbase was not changed"
        kinds = self.dropped_by_kind()
        if kinds:
            text += "\nNot imported (the termbase has no place for them): " + "; ".join(
                f"{kind}: {total} ({', '.join(_shorten(names))})" for kind, total, names in kinds
            )
        return text


def _shorten(names: Sequence[str], most: int = 6) -> list[str]:
    return [*names[:most], f"{len(names) - most} more"] if len(names) > most else list(names)


# --------------------------------------------------------------- reading


def read_concepts(
    path: Path,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ImportOptions | None = None,
) -> tuple[str, ReadResult]:
    """(format name, concepts) from a file ("-" for stdin); the format is `fmt`, else
    what the content shows (TBX, PO), else what the suffix says."""
    data = read_bytes(path, limit=max_bytes)
    chosen = _choose(path, data, "termbase-reader", fmt, "holds translations, not terms")
    reader = chosen.function("termbase-reader")
    result: ReadResult = reader(data, display_name(path), options or ImportOptions())
    return chosen.name, result


def _choose(path: Path, data: bytes, role: str, fmt: str | None, other: str) -> formats.Format:
    if fmt:
        chosen = formats.get(fmt)
        if not chosen.offers(role):
            raise InvalidValue(
                f"The {chosen.name} format {other}; use one of: {', '.join(formats.names(role))}."
            )
        return chosen
    return formats.choose(path, data, role)


# ------------------------------------------------------------ the plan


class _Index:
    """Dutch term keys -> concept ids, with the case rule of `termbase.conflicts`."""

    def __init__(self) -> None:
        self._keys: dict[str, list[tuple[str, str, bool]]] = {}

    @staticmethod
    def _entries(concept: Concept) -> Iterable[tuple[str, str, bool]]:
        for term in concept.nl_terms:
            exact = fold_key(term, case_sensitive=True)
            yield exact.casefold(), exact, concept.case_sensitive

    def add(self, concept: Concept) -> None:
        for folded, exact, sensitive in self._entries(concept):
            self._keys.setdefault(folded, []).append((concept.id, exact, sensitive))

    def remove(self, concept: Concept) -> None:
        for folded, _, _ in self._entries(concept):
            bucket = self._keys.get(folded, [])
            bucket[:] = [e for e in bucket if e[0] != concept.id]

    def owners(self, concept: Concept) -> list[str]:
        """Ids of the indexed concepts that claim any Dutch term of `concept`."""
        found: list[str] = []
        for folded, exact, sensitive in self._entries(concept):
            for owner, other_exact, other_sensitive in self._keys.get(folded, []):
                if sensitive and other_sensitive and exact != other_exact:
                    continue
                if owner not in found:
                    found.append(owner)
        return found


def _union(
    first: Sequence[str], second: Sequence[str], drop: Iterable[str] = ()
) -> tuple[str, ...]:
    dropped = {t.casefold() for t in drop}
    return tuple(v for v in dict.fromkeys((*first, *second)) if v and v.casefold() not in dropped)


def _merge(old: Concept, new: Concept, replace: bool) -> tuple[Concept, list[str], list[str]]:
    """The merged concept, the conflicts found and the other differences
    (`replace`: the file's values win both)."""
    found: list[str] = []
    differences: list[str] = []
    fields: dict[str, object] = {}

    # Dutch terms are only ever added (a spelling the termbase already has,
    # by `fold_key`, is not added again): the termbase's preferred term stays.
    dutch = list(old.nl_terms)
    keys = {fold_key(t, old.case_sensitive) for t in dutch}
    for term in new.nl_terms:
        if fold_key(term, old.case_sensitive) not in keys:
            keys.add(fold_key(term, old.case_sensitive))
            dutch.append(term)
    fields["nl"], fields["nl_variants"] = dutch[0], tuple(dutch[1:])

    en = old.en
    alternatives = list(old.en_alternatives)
    if new.en and old.en and new.en != old.en:
        found.append(f"English {old.en!r} vs {new.en!r}")
        if replace:
            en = new.en
            alternatives.insert(0, old.en)
    elif new.en and not old.en:
        en = new.en
    old_forbidden = {t.casefold() for t in old.en_forbidden}
    old_allowed = {t.casefold() for t in (old.en, *old.en_alternatives) if t}
    clash = [t for t in (new.en, *new.en_alternatives) if t and t.casefold() in old_forbidden]
    clash += [t for t in new.en_forbidden if t.casefold() in old_allowed]
    if clash:
        found.append("allowed and forbidden at once: " + ", ".join(dict.fromkeys(clash)))
    if replace:
        allowed_new = (new.en, *new.en_alternatives)
        forbidden = _union(
            [
                t
                for t in old.en_forbidden
                if t.casefold() not in {a.casefold() for a in allowed_new}
            ],
            new.en_forbidden,
        )
        alternatives_t = _union(alternatives, new.en_alternatives, (en, *forbidden))
    else:
        forbidden = _union(old.en_forbidden, new.en_forbidden, (en, *alternatives))
        alternatives_t = _union(alternatives, new.en_alternatives, (en, *forbidden))
    fields["en"], fields["en_alternatives"], fields["en_forbidden"] = en, alternatives_t, forbidden

    if new.status != old.status:
        differences.append(f"status {old.status} (file: {new.status})")
    fields["status"] = new.status if replace else old.status
    for name in ("pos", "subject", "definition", "note", "context"):
        mine, theirs = getattr(old, name), getattr(new, name)
        if mine and theirs and mine != theirs:
            differences.append(f"{name} {_cut(mine)!r} (file: {_cut(theirs)!r})")
            fields[name] = theirs if replace else mine
        else:
            fields[name] = mine or theirs
    fields["dnt"] = old.dnt or new.dnt
    fields["case_sensitive"] = old.case_sensitive or new.case_sensitive
    fields["sources"] = _union(old.sources, new.sources)
    merged = dataclasses.replace(old, **fields)  # type: ignore[arg-type]
    return merged, found, differences


def _cut(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _valid(concept: Concept) -> Concept:
    """Check a merged concept like user input (approved needs English...)."""
    return make_concept(
        concept.nl,
        concept.en,
        concept_id=concept.id,
        nl_variants=concept.nl_variants,
        en_alternatives=concept.en_alternatives,
        en_forbidden=concept.en_forbidden,
        status=concept.status,
        pos=concept.pos,
        dnt=concept.dnt,
        case_sensitive=concept.case_sensitive,
        subject=concept.subject,
        definition=concept.definition,
        note=concept.note,
        context=concept.context,
        sources=concept.sources,
    )


def plan_import(
    termbase: Termbase, concepts: Iterable[Concept], on_conflict: OnConflict = "skip"
) -> tuple[Termbase, list[ImportAction]]:
    """The termbase after importing `concepts`, and one action per concept.

    Pure: nothing is read or written. Concepts match by Dutch terms only,
    never by id. With "fail", the actions list the conflicts and the
    termbase is returned unchanged.
    """
    replace = on_conflict == "replace"
    by_id: dict[str, Concept] = {c.id: c for c in termbase.concepts}
    index = _Index()
    for concept in termbase.concepts:
        index.add(concept)
    actions: list[ImportAction] = []

    for new in concepts:
        owners = index.owners(new)
        if not owners:
            new_concept = dataclasses.replace(new, id=_free_id(by_id, new.id))
            by_id[new_concept.id] = new_concept
            index.add(new_concept)
            actions.append(ImportAction("added", new_concept.id, new.nl, new.en))
            continue
        if len(owners) > 1:
            names = ", ".join(f"{o} ({by_id[o].nl})" for o in owners)
            detail = f"its Dutch terms belong to {names}"
            actions.append(ImportAction("conflict", owners[0], new.nl, new.en, detail))
            continue
        old = by_id[owners[0]]
        merged, found, differences = _merge(old, dataclasses.replace(new, id=old.id), replace)
        if merged == old and not found:  # nothing to add: no need to check or re-index
            detail = "; ".join(f"kept {d}" for d in differences)
            actions.append(ImportAction("unchanged", old.id, old.nl, old.en, detail))
            continue
        index.remove(old)
        invalid = False
        try:
            merged = _valid(merged)
        except InvalidValue as exc:  # e.g. approved without English
            found.append(str(exc))
            invalid = True
        if found and (invalid or not replace):
            index.add(old)
            actions.append(ImportAction("conflict", old.id, new.nl, new.en, "; ".join(found)))
            continue
        index.add(merged)
        by_id[old.id] = merged
        if found or (replace and differences):
            action: Action = "replaced"
            detail = "; ".join([*found, *differences])
        else:
            action = "unchanged" if merged == old else "merged"
            detail = "; ".join(f"kept {d}" for d in differences)
        actions.append(ImportAction(action, old.id, merged.nl, merged.en, detail))

    if on_conflict == "fail" and any(a.action == "conflict" for a in actions):
        return termbase, actions
    result = Termbase(tuple(by_id.values()))
    clashes = conflicts(result.concepts)
    if clashes:  # the index should make this impossible; never write a broken termbase
        raise ImportConflict(
            "The import would give a termbase with shared Dutch terms; nothing was changed.",
            [Problem("", None, f"{t!r}: {a.id} and {b.id}") for t, a, b in clashes],
        )
    return result, actions


def _free_id(by_id: dict[str, Concept], wanted: str) -> str:
    candidate, n = wanted, 2
    while candidate in by_id:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def import_file(
    termbase_path: Path,
    path: Path,
    *,
    fmt: str | None = None,
    on_conflict: OnConflict = "skip",
    status: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    create: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import a file into the termbase at `termbase_path` (see the module doc).

    The file is read and checked before the termbase is touched; any error
    leaves the termbase file exactly as it was.
    """
    if on_conflict not in ON_CONFLICT:
        raise InvalidValue(f"on_conflict must be one of {', '.join(ON_CONFLICT)}.")
    if status is not None and status not in STATUSES:
        raise InvalidValue(f"Unknown status {status!r}; use one of: {', '.join(STATUSES)}.")
    try:
        name, result = read_concepts(path, fmt, max_bytes, options)
    except FileProblems as exc:
        raise ImportFormatError(
            f"{exc.summary} Nothing was imported; the termbase is unchanged.", exc.problems
        ) from None
    except InputError as exc:  # missing, too large, binary: the one guarded read said why
        raise ImportFormatError(
            f"{exc} Nothing was imported; the termbase is unchanged.", []
        ) from None
    concepts = list(result.concepts)
    skipped = list(result.skipped)
    if status is not None:
        concepts, more = _with_status(concepts, status, str(path))
        skipped.extend(more)
    if skipped and not skip_invalid:
        raise ImportFormatError(
            f"{path}: {len(skipped)} entr{'y is' if len(skipped) == 1 else 'ies are'} not "
            "valid; nothing was imported and the termbase is unchanged (pass --skip-invalid "
            "to import the rest).",
            skipped,
        )

    def change(termbase: Termbase) -> tuple[Termbase, list[ImportAction]]:
        with no_gc():  # many small acyclic objects; see termbase.model.no_gc
            new, actions = plan_import(termbase, concepts, on_conflict)
        if on_conflict == "fail" and any(a.action == "conflict" for a in actions):
            problems = [
                Problem(
                    str(path), None, f"{a.nl} → {a.en or '-'}: {a.detail}", column_name=a.concept_id
                )
                for a in actions
                if a.action == "conflict"
            ]
            raise ImportConflict(
                f"{path}: {len(problems)} conflict{'s' if len(problems) != 1 else ''} with "
                "the termbase; nothing was imported (--on-conflict skip keeps the termbase's "
                "values, replace takes the file's).",
                problems,
            )
        return (termbase if dry_run else new), actions

    if dry_run:
        current = (
            Termbase() if create and not termbase_path.exists() else read_termbase(termbase_path)
        )
        _, actions = change(current)
        written = False
    else:
        if create:
            termbase_path.parent.mkdir(parents=True, exist_ok=True)
        actions = update_termbase(termbase_path, change, create=create)
        written = any(a.action in ("added", "merged", "replaced") for a in actions)
    return ImportReport(
        str(path),
        name,
        tuple(actions),
        result.ignored,
        tuple(skipped),
        written,
        result.dropped,
        result.warnings,
    )


def _with_status(
    concepts: Sequence[Concept], status: str, path: str
) -> tuple[list[Concept], list[Problem]]:
    kept: list[Concept] = []
    problems: list[Problem] = []
    for concept in concepts:
        if status == "approved" and not concept.en and not concept.dnt:
            problems.append(
                Problem(path, None, f"{concept.nl!r} has no English term and cannot be approved")
            )
            continue
        kept.append(dataclasses.replace(concept, status=status))  # type: ignore[arg-type]
    return kept, problems


# ----------------------------------------------------------------- merge


@dataclass(frozen=True)
class MergeResult:
    """A source document with the post-edited English in place of each segment."""

    translated: TranslatedDocument
    matched: int
    missing: tuple[str, ...]  # refs of segments with no translation (kept in Dutch)
    unreviewed: int  # matched units still fuzzy / needs-review
    unused: int  # units that matched no segment of the document


def _unit_doc(unit: BilingualUnit) -> str:
    """The file name of the document a unit came from, as far as it says."""
    where = unit.key.rsplit("#", 1)[0] if unit.key else unit.ref.rsplit(":", 1)[0]
    return PurePath(where).name


def merge_units(
    document: Document, units: Sequence[BilingualUnit], *, bilingual: str = ""
) -> MergeResult:
    """Put each unit's target on the segment it belongs to (pure).

    `InputError` when there are units and segments but no unit belongs to
    any segment (by segment key or Dutch text): the file was made from
    another document (`bilingual` names it in the message)."""
    name = PurePath(document.path).name
    by_key: dict[str, BilingualUnit] = {u.key: u for u in units if u.key}
    by_text: dict[str, list[BilingualUnit]] = {}
    for unit in units:
        by_text.setdefault(unit.source, []).append(unit)
    used: set[int] = set()
    segments: list[TranslatedSegment] = []
    missing: list[str] = []
    unreviewed = matched = belonging = 0
    for seg in document.segments:
        if not seg.translate:
            segments.append(TranslatedSegment(seg, seg.text))
            continue
        found = by_key.get(segment_key(seg.doc, seg.index))
        belonging += found is not None  # the same document, even if it changed since
        if found is not None and found.source != seg.text:
            found = None  # the document changed since the export
        if found is None:
            candidates = by_text.get(seg.text, [])
            same_doc = [u for u in candidates if _unit_doc(u) == name]
            fresh = [u for u in same_doc or candidates if id(u) not in used]
            found = next(iter(fresh or same_doc or candidates), None)
            belonging += found is not None
        if found is None or not found.target:
            missing.append(seg.ref)
            segments.append(TranslatedSegment(seg, seg.text))
            continue
        used.add(id(found))
        matched += 1
        unreviewed += not found.reviewed
        segments.append(TranslatedSegment(seg, found.target))
    if units and not belonging and any(s.translate and s.text.strip() for s in document.segments):
        raise _not_this_document(document, units, bilingual)
    unused = sum(1 for u in units if id(u) not in used and u.target)
    translated = TranslatedDocument(document, tuple(segments), signature="post-edited")
    return MergeResult(translated, matched, tuple(missing), unreviewed, unused)


def _not_this_document(
    document: Document, units: Sequence[BilingualUnit], bilingual: str
) -> InputError:
    """The error for a bilingual file that was made from another document."""
    what = bilingual or "The bilingual file"
    docs = sorted({d for d in (_unit_doc(u) for u in units if u.key) if d})
    made_from = f" Its segments name {', '.join(docs[:3])}." if docs else ""
    return InputError(
        f"{what} does not belong to {document.path}: none of its {len(units)} segment(s) "
        f"is a segment of {document.path} (by segment key or Dutch text).{made_from} "
        "Merge it into the document it was made from (the source file you translated "
        "or exported)."
    )


def merge_file(
    bilingual: Path,
    source: Path,
    *,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    min_status: str = "draft",
    languages: LanguageChoice | None = None,
) -> MergeResult:
    """Read a post-edited PO/XLIFF file and the source document, and merge them.

    The file's language pair is checked and its targets below `min_status`
    are left out (`glossary.exchange.bilingual.read_bilingual`); a file none
    of whose segments belongs to the document is refused (`InputError`)."""
    from glossary.exchange.bilingual import read_bilingual
    from glossary.reading.ingest import read_document

    read = read_bilingual(
        bilingual,
        fmt,
        max_bytes,
        min_status=min_status,
        languages=languages,
        formats_allowed=("po", "xliff"),
    )
    document = read_document(str(source))
    return merge_units(document, read.units, bilingual=read.path)


def read_units(
    path: Path,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    languages: LanguageChoice | None = None,
) -> list[BilingualUnit]:
    """The bilingual units of a PO, XLIFF, TMX or TSV file ("-" for stdin); the format
    is `fmt`, else what the content shows, else what the suffix says. Every target
    counts; the language pair must be Dutch → English unless `languages` names
    the file's (`glossary.exchange.bilingual.read_bilingual` says more)."""
    from glossary.exchange.bilingual import read_bilingual

    return list(read_bilingual(path, fmt, max_bytes, languages=languages).units)
