"""The enforcement report: how every approved term of a translation was handled.

`build_report` reads the `TermUse`s that `glossary.enforcement.cascade` left on the
translated segments and counts, per concept, the source occurrences, the
cascade step that enforced each (nbest, mask, prefix, replace), the failures
with their segment (file:line and text), and the occurrences that had to be
inserted rather than put in the place of the model's rendering (worth a look
when post-editing). With the repair steps'
notes (`Enforcer.notes()`) it also says which re-decodes were skipped and
why. Occurrences are counted per segment of the documents, duplicates
included, as `glossary check` counts them.

`to_dict` is the JSON form (`glossary translate --report FILE.json`),
`to_table` the text form, `summary` the one line printed on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from glossary.document import TranslatedDocument
from glossary.enforcement.cascade import STEPS, StepNote
from glossary.matching.verify import Glossary

REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class ConceptCount:
    """One concept's occurrences and what became of them."""

    concept_id: str
    nl: str
    en: str
    dnt: bool
    occurrences: int = 0
    steps: dict[str, int] = field(default_factory=dict)  # step -> enforced occurrences
    failed: int = 0
    hints: int = 0
    inserted: int = 0

    @property
    def enforced(self) -> int:
        return sum(self.steps.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.concept_id,
            "nl": self.nl,
            "en": self.en,
            "dnt": self.dnt,
            "occurrences": self.occurrences,
            "enforced": self.enforced,
            "failed": self.failed,
            "hints": self.hints,
            "steps": {step: self.steps.get(step, 0) for step in STEPS},
            "inserted": self.inserted,
        }


@dataclass(frozen=True)
class Occurrence:
    """One occurrence worth listing: a failure, or an insertion to review."""

    concept_id: str
    term: str  # the Dutch as the source writes it
    ref: str  # file:line, with where in a structured document: "brief.docx:12 (p. 2)"
    segment: str  # the Dutch segment
    target: str  # the English segment
    english: str  # the English term (placed, or required)
    detail: str
    edit: str = ""  # "replaced" or "inserted" (an edit, not the model), "" otherwise
    before: str = ""  # the text the edit replaced ("" for an insertion)

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept_id": self.concept_id,
            "term": self.term,
            "ref": self.ref,
            "segment": self.segment,
            "target": self.target,
            "english": self.english,
            "detail": self.detail,
            "edit": self.edit,
            "before": self.before,
        }


@dataclass(frozen=True)
class EnforcementReport:
    signature: str
    segments: int  # translated segments
    term_segments: int  # of those, with at least one approved term
    concepts: tuple[ConceptCount, ...]
    failures: tuple[Occurrence, ...] = ()
    review: tuple[Occurrence, ...] = ()  # every edit not made by the model
    notes: tuple[StepNote, ...] = ()
    # Terms in the sources not enforced, with why: inside a closed compound, part of a name.
    unenforced: tuple[Occurrence, ...] = ()

    @property
    def occurrences(self) -> int:
        return sum(c.occurrences for c in self.concepts)

    @property
    def enforced(self) -> int:
        return sum(c.enforced for c in self.concepts)

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.concepts)

    @property
    def hints(self) -> int:
        return sum(c.hints for c in self.concepts)

    def steps(self) -> dict[str, int]:
        return {s: sum(c.steps.get(s, 0) for c in self.concepts) for s in STEPS}

    @property
    def accuracy(self) -> float | None:
        """Share of occurrences enforced (None without enforced or failed ones)."""
        counted = self.enforced + self.failed
        return self.enforced / counted if counted else None

    def summary(self) -> str:
        """One line: "Terms: 744 occurrences, 100.0 % enforced (nbest 3, ...), 0 failed"."""
        if self.hints and not (self.enforced or self.failed):
            return (
                f"Terms: {self.occurrences} occurrences in {self.term_segments} segments, "
                "given as hints (no translation to enforce them in)"
            )
        if self.accuracy is None:
            return f"Terms: no approved term occurs in {self.segments} segments"
        steps = ", ".join(f"{step} {count}" for step, count in self.steps().items())
        text = (
            f"Terms: {self.occurrences} occurrences, {self.accuracy:.1%} enforced "
            f"({steps}), {self.failed} failed"
        )
        inserted = sum(c.inserted for c in self.concepts)
        replaced = sum(1 for r in self.review if r.edit == "replaced")
        if replaced or inserted:
            text += f"; edited by glossary, not the model: {replaced} replaced, {inserted} inserted"
            text += " (listed in the report for review)"
        if self.unenforced:
            text += f"; {len(self.unenforced)} left (in a compound or a name; see the report)"
        return text

    def to_dict(self) -> dict[str, Any]:
        accuracy = self.accuracy
        return {
            "format": "glossary-enforcement-report",
            "version": REPORT_FORMAT_VERSION,
            "signature": self.signature,
            "segments": self.segments,
            "term_segments": self.term_segments,
            "occurrences": self.occurrences,
            "enforced": self.enforced,
            "failed": self.failed,
            "hints": self.hints,
            "term_accuracy": None if accuracy is None else round(accuracy, 4),
            "steps": self.steps(),
            "inserted": sum(c.inserted for c in self.concepts),
            "repairs": [note.to_dict() for note in self.notes],
            "concepts": [c.to_dict() for c in self.concepts],
            "failures": [f.to_dict() for f in self.failures],
            "review": [r.to_dict() for r in self.review],
            "unenforced": [u.to_dict() for u in self.unenforced],
        }

    def to_table(self) -> str:
        """The report as plain text: a table of concepts, then the repairs,
        failures and insertions, then the summary line."""
        headers = ["ID", "NL", "EN", "OCC", *(s.upper() for s in STEPS), "FAILED", "INSERTED"]
        rows = [
            [
                c.concept_id,
                c.nl,
                c.en,
                str(c.occurrences),
                *(str(c.steps.get(s, 0)) for s in STEPS),
                str(c.failed),
                str(c.inserted),
            ]
            for c in self.concepts
        ]
        parts = [_table(headers, rows)]
        if self.notes:
            lines = ["Re-decoding steps:"]
            for note in self.notes:
                line = f"  {note.step}: {note.attempted} attempted, {note.succeeded} succeeded"
                if note.skipped:
                    skipped = ", ".join(f"{n} {why}" for why, n in sorted(note.skipped.items()))
                    line += f"; segments not tried: {skipped}"
                if note.dropped:
                    line += f"; dropped for the run: {note.dropped}"
                lines.append(line)
            parts.append("\n".join(lines))
        for title, items in (
            ("Failures", self.failures),
            ("Edited by glossary, not by the model (review these)", self.review),
            ("Not enforced (check by hand)", self.unenforced),
        ):
            if items:
                lines = [f"{title}:"]
                for item in items:
                    lines.append(f"  {item.ref}  {item.concept_id}  {item.term} → {item.english}")
                    if item.edit == "replaced":
                        lines.append(f"    '{item.before}' → '{item.english}'")
                    elif item.edit == "inserted":
                        lines.append(f"    inserted '{item.english}'")
                    lines.append(f"    nl: {item.segment}")
                    if item.target:
                        lines.append(f"    en: {item.target}")
                    if item.detail:
                        lines.append(f"    ({item.detail})")
                parts.append("\n".join(lines))
        parts.append(self.summary())
        return "\n\n".join(parts) + "\n"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> str:
    def cut(text: str) -> str:
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [i >= 3 for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, cells)])


def _unenforced(glossary: Glossary, ts: Any) -> list[Occurrence]:
    """Terms of a segment's source that are not enforced, and why: a term
    inside a closed compound, a term that is part of a name."""
    scan = glossary.scan(ts.segment.text)
    out = [
        Occurrence(
            c.concept.id, c.surface, ts.segment.ref, ts.segment.text, ts.target, "", c.describe()
        )
        for c in scan.compounds
        if not c.head
    ]
    out += [
        Occurrence(
            m.concept_id,
            m.surface,
            ts.segment.ref,
            ts.segment.text,
            ts.target,
            "",
            f"part of the name '{name}': not enforced",
        )
        for m, name in scan.names
    ]
    return out


def build_report(
    documents: Iterable[TranslatedDocument],
    glossary: Glossary,
    notes: Sequence[StepNote] = (),
) -> EnforcementReport:
    """Count the term uses of translated documents, per concept."""
    counts: dict[str, dict[str, Any]] = {}
    failures: list[Occurrence] = []
    review: list[Occurrence] = []
    unenforced: list[Occurrence] = []
    segments = term_segments = 0
    signature = ""
    for document in documents:
        signature = signature or document.signature
        for ts in document.segments:
            if not ts.segment.translate or not ts.segment.text.strip():
                continue
            segments += 1
            if ts.terms:
                term_segments += 1
            unenforced.extend(_unenforced(glossary, ts))
            for use in ts.terms:
                entry = counts.setdefault(
                    use.concept_id,
                    {"occurrences": 0, "steps": {}, "failed": 0, "hints": 0, "inserted": 0},
                )
                entry["occurrences"] += 1
                listed = Occurrence(
                    use.concept_id,
                    use.source_text,
                    ts.segment.place,
                    ts.segment.text,
                    ts.target,
                    use.target,
                    use.detail,
                    use.edit,
                    use.replaced,
                )
                if use.status == "failed":
                    entry["failed"] += 1
                    failures.append(listed)
                elif use.status == "hint":
                    entry["hints"] += 1
                else:
                    entry["steps"][use.step] = entry["steps"].get(use.step, 0) + 1
                    if use.edit == "inserted":
                        entry["inserted"] += 1
                    if use.edit:
                        review.append(listed)
    concepts = []
    for concept_id, entry in counts.items():
        concept = glossary.get(concept_id)
        concepts.append(
            ConceptCount(
                concept_id,
                concept.nl if concept else "",
                concept.target if concept else "",
                bool(concept and concept.dnt),
                entry["occurrences"],
                dict(entry["steps"]),
                entry["failed"],
                entry["hints"],
                entry["inserted"],
            )
        )
    concepts.sort(key=lambda c: (-c.occurrences, c.concept_id))
    return EnforcementReport(
        signature,
        segments,
        term_segments,
        tuple(concepts),
        tuple(failures),
        tuple(review),
        tuple(notes),
        tuple(unenforced),
    )
