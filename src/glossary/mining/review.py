"""Reviewing mined candidates: decisions, the resumable session, the TSV route.

A decision on a candidate becomes a termbase concept, so nothing is
proposed twice: an accepted candidate becomes an approved concept (with its
variants, a context sentence and its source documents), a rejected one a
concept with status "rejected" (with its variants, so no spelling of it
comes back). Both are pure changes for `glossary.termbase.store.update_termbase`.

Skipped candidates are remembered in a small state file beside the termbase
(`.review-state.json`), so a review that was quit resumes with the
candidates not yet seen, and shows the skipped ones last.

The batch route: `glossary mine --format tsv` writes `CANDIDATE_COLUMNS`;
a terminologist fills in `decision` (accept / reject / empty) and `en` in a
spreadsheet; `parse_candidates_tsv` reads the file back and
`import_decisions` applies it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

from glossary.errors import (
    DuplicateTerm,
    ImportFormatError,
    InvalidValue,
    Problem,
    UnknownTerm,
    UnreadableFile,
)
from glossary.files.inputs import decode_bytes
from glossary.lang.nl import term_forms
from glossary.lang.text import clean_value, fold_key
from glossary.mining.candidates import Candidate
from glossary.termbase import model as tbm
from glossary.termbase.model import Concept, Termbase

Decision = Literal["accept", "reject", "skip"]
STATE_FILE: Final = ".review-state.json"
CANDIDATE_COLUMNS: Final = (
    "decision",
    "term",
    "en",
    "kind",
    "score",
    "frequency",
    "doc_frequency",
    "status",
    "variants",
    "expansion",
    "suggestion",
    "context",
    "ref",
)
_ACCEPT: Final = frozenset(("accept", "accepted", "a", "yes", "y", "approve", "approved", "ok"))
_REJECT: Final = frozenset(("reject", "rejected", "r", "no", "n"))
_SKIP: Final = frozenset(("", "skip", "s", "-", "?"))
_COUNT_SUFFIX: Final = re.compile(r"\s*\(\d+\)$")


# ------------------------------------------------------------------ concepts


def variant_forms(candidate: Candidate, nl: str | None = None) -> list[str]:
    """The candidate's forms worth storing as variants of `nl`: those the
    matcher would not find from `nl` itself (other spellings, not mere
    case, hyphenation or inflection)."""
    nl = nl or candidate.term
    acronym = candidate.kind == "acronym"
    covered = {fold_key(f, acronym) for f in term_forms(nl, acronym)}
    out: list[str] = []
    for form in (*candidate.forms, candidate.expansion):
        key = fold_key(form, acronym) if form else ""
        if key and key not in covered:
            covered.add(key)
            out.append(form)
    return out


def concept_for(
    candidate: Candidate,
    en: str,
    *,
    status: str = "approved",
    nl: str | None = None,
    variants: Iterable[str] | None = None,
    note: str = "",
) -> Concept:
    """The concept a decision on `candidate` creates."""
    term = clean_value(nl or candidate.term)
    forms = list(variants) if variants is not None else variant_forms(candidate, term)
    sources = tuple(dict.fromkeys(c.ref.rsplit(":", 1)[0] for c in candidate.contexts))
    return tbm.make_concept(
        term,
        en,
        nl_variants=[v for v in forms if fold_key(v) != fold_key(term)],
        status=status,
        pos="properNoun" if candidate.kind in ("acronym", "name") else "",
        case_sensitive=candidate.kind == "acronym",
        context=candidate.contexts[0].text if candidate.contexts else "",
        sources=sources,
        note=note,
    )


def accept(
    candidate: Candidate,
    en: str,
    *,
    nl: str | None = None,
    variants: Iterable[str] | None = None,
    note: str = "",
) -> Concept:
    """An approved concept for `candidate` with English `en` (required)."""
    if not en.strip():
        raise InvalidValue(f"Accepting {candidate.term!r} needs an English term.")
    return concept_for(candidate, en, nl=nl, variants=variants, note=note)


def reject(candidate: Candidate) -> Concept:
    """A rejected concept: the candidate and its variants are never proposed again."""
    return concept_for(candidate, "", status="rejected")


def add_concept(termbase: Termbase, concept: Concept) -> tuple[Termbase, Concept]:
    """`termbase.add` for `update_termbase` (a fresh id when the slug is taken)."""
    return tbm.add(termbase, concept)


def undo(termbase: Termbase, added: Concept) -> tuple[Termbase, Concept]:
    """Take back a decision: remove the concept it added, for `update_termbase`.

    Refused (`InvalidValue`) when the concept is gone or was changed since (by
    another command or person), so no one else's edit is lost.
    """
    current = termbase.get(added.id)
    if current is None:
        raise InvalidValue(f"Cannot undo: concept {added.id!r} is no longer in the termbase.")
    if current != added:
        raise InvalidValue(
            f"Cannot undo: concept {added.id!r} was changed since it was added; change it "
            f"with 'glossary term edit {added.id}' or remove it with "
            f"'glossary term remove {added.id}'."
        )
    return tbm.remove(termbase, added.id)


# ------------------------------------------------------------------ session state


@dataclass(frozen=True)
class ReviewState:
    """What a review remembers between runs: the candidates skipped so far."""

    skipped: frozenset[str] = field(default_factory=frozenset)

    def skip(self, candidate: Candidate) -> ReviewState:
        return ReviewState(self.skipped | {candidate_key(candidate)})

    def forget(self, candidate: Candidate) -> ReviewState:
        return ReviewState(self.skipped - {candidate_key(candidate)})


def candidate_key(candidate: Candidate) -> str:
    return fold_key(candidate.term, candidate.kind == "acronym")


def state_path(termbase_path: Path) -> Path:
    return termbase_path.with_name(STATE_FILE)


def load_state(path: Path) -> ReviewState:
    """The saved state, or an empty one when there is none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ReviewState()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidValue(
            f"{path} is not a review state file; delete it to start the review afresh."
        ) from None
    skipped = data.get("skipped", []) if isinstance(data, dict) else None
    if not isinstance(skipped, list) or not all(isinstance(s, str) for s in skipped):
        raise InvalidValue(
            f"{path} is not a review state file; delete it to start the review afresh."
        )
    return ReviewState(frozenset(skipped))


def dump_state(state: ReviewState) -> str:
    return json.dumps({"skipped": sorted(state.skipped)}, indent=2, ensure_ascii=False) + "\n"


def queue(candidates: Sequence[Candidate], state: ReviewState) -> list[Candidate]:
    """New candidates to review: not yet seen first, skipped ones last (rank order kept)."""
    new = [c for c in candidates if c.status == "new"]
    unseen = [c for c in new if candidate_key(c) not in state.skipped]
    skipped = [c for c in new if candidate_key(c) in state.skipped]
    return unseen + skipped


# ------------------------------------------------------------------ TSV route


def candidate_row(candidate: Candidate) -> list[str]:
    """One row of `CANDIDATE_COLUMNS` (the decision and English left for the reviewer)."""

    def cell(text: str) -> str:
        return " ".join(text.split())

    suggestion = candidate.suggestions[0].text if candidate.suggestions else ""
    context = candidate.contexts[0] if candidate.contexts else None
    return [
        "",
        candidate.term,
        "",
        candidate.kind,
        f"{candidate.score:.4f}",
        str(candidate.frequency),
        str(candidate.doc_frequency),
        candidate.status,
        " | ".join(f"{v.form} ({v.count})" for v in candidate.variants),
        candidate.expansion,
        cell(suggestion),
        cell(context.text) if context else "",
        context.ref if context else "",
    ]


@dataclass(frozen=True)
class ImportRow:
    """One decided row of a candidates file."""

    line: int
    decision: Decision
    concept: Concept


def parse_candidates_tsv(data: bytes, path: str = "candidates.tsv") -> list[ImportRow]:
    """Read a candidates file edited by a reviewer; every problem is reported
    with its line, and nothing is returned unless the whole file is good."""
    problems: list[Problem] = []
    try:
        # The one decoding policy, strict: a file to import must be UTF-8.
        text = decode_bytes(data, path, strict=True, strict_hint="save the file as UTF-8 text").text
    except UnreadableFile as exc:
        raise ImportFormatError(
            f"{path} is not UTF-8; nothing was imported.",
            [replace(p, message=f"invalid UTF-8: {p.message}") for p in exc.problems],
        ) from None
    lines = text.replace("\r\n", "\n").split("\n")
    header = [h.strip().lower() for h in lines[0].split("\t")] if lines else []
    missing = [c for c in ("decision", "term", "en") if c not in header]
    if missing:
        raise ImportFormatError(
            f"{path} is not a candidates file; nothing was imported.",
            [
                Problem(
                    path,
                    1,
                    f"missing column(s): {', '.join(missing)}",
                    hint="write it with 'glossary mine ... --format tsv -o FILE' and keep "
                    "the header row",
                )
            ],
        )
    column = {name: i for i, name in enumerate(header)}
    rows: list[ImportRow] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))

        def get(name: str, cells: list[str] = cells) -> str:
            index = column.get(name)
            return clean_value(cells[index]) if index is not None else ""

        decision_text = get("decision").lower()
        if decision_text in _SKIP:
            continue
        if decision_text in _ACCEPT:
            decision: Decision = "accept"
        elif decision_text in _REJECT:
            decision = "reject"
        else:
            problems.append(
                Problem(
                    path,
                    lineno,
                    f"unknown decision {get('decision')!r}",
                    column=column["decision"] + 1,
                    column_name="decision",
                    hint="write accept, reject or leave it empty",
                )
            )
            continue
        term = get("term")
        en = get("en") or (get("suggestion") if decision == "accept" else "")
        if not term:
            problems.append(
                Problem(
                    path,
                    lineno,
                    "empty term",
                    column=column["term"] + 1,
                    column_name="term",
                    hint="fill in the Dutch term",
                )
            )
            continue
        if decision == "accept" and not en:
            problems.append(
                Problem(
                    path,
                    lineno,
                    f"{term!r} is accepted without English",
                    column=column["en"] + 1,
                    column_name="en",
                    hint="fill in the English term or leave the decision empty",
                )
            )
            continue
        kind = get("kind")
        variants = [
            _COUNT_SUFFIX.sub("", v.strip()) for v in get("variants").split("|") if v.strip()
        ]
        expansion = get("expansion")
        if expansion:
            variants.append(expansion)
        acronym = kind == "acronym"
        covered = {fold_key(f, acronym) for f in term_forms(term, acronym)}
        kept: list[str] = []
        for variant in variants:
            key = fold_key(variant, acronym)
            if key not in covered:
                covered.add(key)
                kept.append(variant)
        ref = get("ref")
        try:
            concept = tbm.make_concept(
                term,
                en if decision == "accept" else get("en"),
                nl_variants=kept,
                status="approved" if decision == "accept" else "rejected",
                pos="properNoun" if kind in ("acronym", "name") else "",
                case_sensitive=acronym,
                context=get("context"),
                sources=[ref.rsplit(":", 1)[0]] if ref else [],
            )
        except InvalidValue as exc:
            problems.append(Problem(path, lineno, str(exc)))
            continue
        rows.append(ImportRow(lineno, decision, concept))
    if problems:
        raise ImportFormatError(
            f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
            "nothing was imported.",
            problems,
        )
    return rows


@dataclass(frozen=True)
class ImportResult:
    added: tuple[Concept, ...]
    unchanged: tuple[Concept, ...]  # already in the termbase with the same status


def import_decisions(
    termbase: Termbase, rows: Sequence[ImportRow], path: str = "candidates.tsv"
) -> tuple[Termbase, ImportResult]:
    """Add the decided rows to `termbase` (all or nothing).

    A row whose Dutch term is already a concept with the same status is left
    alone (importing a file twice changes nothing); one whose term belongs to
    a concept with another status, or that clashes with another concept's
    variants, is a problem.
    """
    added: list[Concept] = []
    unchanged: list[Concept] = []
    problems: list[Problem] = []
    current = termbase
    for row in rows:
        existing = _existing(current, row.concept)
        if existing is not None:
            if existing.status == row.concept.status:
                unchanged.append(existing)
            else:
                problems.append(
                    Problem(
                        path,
                        row.line,
                        f"{row.concept.nl!r} is already concept {existing.id!r} "
                        f"({existing.status})",
                        hint=f"change it with 'glossary term edit {existing.id}' or "
                        "leave the decision empty",
                    )
                )
            continue
        try:
            current, concept = tbm.add(current, row.concept)
        except DuplicateTerm as exc:
            problems.append(Problem(path, row.line, str(exc)))
            continue
        added.append(concept)
    if problems:
        raise ImportFormatError(
            f"{path}: {len(problems)} row{'s' if len(problems) != 1 else ''} cannot be "
            "imported; nothing was imported.",
            problems,
        )
    return current, ImportResult(tuple(added), tuple(unchanged))


def _existing(termbase: Termbase, concept: Concept) -> Concept | None:
    try:
        return tbm.find(termbase, concept.nl)
    except UnknownTerm:
        return None
