"""Terminology QA: does each translated segment use the termbase's English?

For every segment of a bilingual file (or a pair of aligned files):

- every approved concept found in the Dutch source (by `glossary.matching.matcher`,
  the one matcher mining and enforcement use too: inflection, variants,
  hyphen/space folding, case-sensitive acronyms) must have one of its
  correct English terms in the target: the preferred term or an admitted
  alternative, and for a do-not-translate name the name itself;
- a forbidden rendering of a concept found in the source is a violation;
- term accuracy is counted the WMT way: of all required term occurrences,
  the share whose English appears in the target, matched at token
  boundaries with English plural and possessive forms accepted
  (`matcher.find_english`), case-insensitively except for case-sensitive
  concepts ("OSCE", not "osce"), each target span used for one occurrence
  only (the "OSCE" inside "OSCE Minsk Group" does not count for the OSCE).

The rule is the one enforcement verifies with: `glossary.matching.verify`.

`check_units` is pure; `align_files` turns a document and its translation into units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from glossary.document import BilingualUnit
from glossary.enforcement.damage import Damage, find_damage
from glossary.errors import InputError
from glossary.files.formats import detect
from glossary.files.inputs import DEFAULT_LIMIT, decode_bytes, display_name, read_bytes
from glossary.matching.verify import Glossary, Occurrence, verify
from glossary.termbase.model import Concept

Kind = Literal["missing", "dnt", "forbidden"]


@dataclass(frozen=True)
class Violation:
    """One terminology problem in one segment."""

    ref: str
    kind: Kind  # missing English term, do-not-translate name not copied, forbidden rendering
    concept_id: str
    term: str  # the Dutch text in the source
    expected: tuple[str, ...]  # correct English
    found: str  # the forbidden rendering found ("" otherwise)
    source: str
    target: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["expected"] = list(self.expected)
        return data


@dataclass(frozen=True)
class QAReport:
    segments: int  # segments checked (with a translation)
    untranslated: int  # units without a target, not checked
    occurrences: int  # required term occurrences in the sources
    correct: int  # of those, found in the targets
    violations: tuple[Violation, ...]
    # Damage next to terms (glossary.enforcement.damage), with the unit's ref.
    damage: tuple[tuple[str, Damage], ...] = ()

    @property
    def accuracy(self) -> float | None:
        """Term accuracy (0..1), None when no approved term occurs."""
        return self.correct / self.occurrences if self.occurrences else None

    def count(self, kind: str) -> int:
        return sum(1 for v in self.violations if v.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "segments": self.segments,
            "untranslated": self.untranslated,
            "term_occurrences": self.occurrences,
            "correct": self.correct,
            "term_accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "violations": [v.to_dict() for v in self.violations],
            "damage": [{"ref": ref, **d.to_dict()} for ref, d in self.damage],
        }

    def summary(self) -> str:
        if self.accuracy is None and not self.segments:
            text = "No translated segment to check"
        elif self.accuracy is None:
            text = f"No approved term occurs in {self.segments} segments"
        else:
            text = (
                f"Term accuracy: {self.accuracy:.1%} ({self.correct} of {self.occurrences} "
                f"term occurrences) in {self.segments} segments"
            )
        kinds = ", ".join(f"{self.count(k)} {k}" for k in ("missing", "dnt", "forbidden"))
        count = len(self.violations)
        text += f"; {count} violation{'' if count == 1 else 's'} ({kinds})"
        if self.untranslated:
            text += f"; {self.untranslated} untranslated segments not checked"
        if self.damage:
            text += f"; {len(self.damage)} possible damage next to terms"
        return text


def check_units(units: Iterable[BilingualUnit], concepts: Sequence[Concept]) -> QAReport:
    """Check each unit's target against the approved concepts of the termbase.

    The rule is `glossary.matching.verify`, the one enforcement uses: a
    missing occurrence is a "missing" violation ("dnt" for a do-not-translate
    name), each forbidden rendering found a "forbidden" one.
    """
    glossary = Glossary(concepts)
    violations: list[Violation] = []
    damage: list[tuple[str, Damage]] = []
    segments = untranslated = occurrences = correct = 0
    for unit in units:
        if not unit.target.strip():
            untranslated += 1
            continue
        segments += 1
        found = glossary.occurrences(unit.source)
        result = verify(unit.target, found)
        occurrences += len(found)
        correct += result.satisfied
        damage.extend((unit.ref, d) for d in find_damage(unit.target, found, result))
        first: dict[str, Occurrence] = {}
        for occ, term in zip(found, result.terms, strict=True):
            first.setdefault(occ.concept.id, occ)
            if term.found:
                continue
            violations.append(
                Violation(
                    unit.ref,
                    "dnt" if occ.concept.dnt else "missing",
                    occ.concept.id,
                    occ.match.surface,
                    occ.accepted,
                    "",
                    unit.source,
                    unit.target,
                )
            )
        for start, end, concept_id in result.forbidden:
            occ = first[concept_id]
            violations.append(
                Violation(
                    unit.ref,
                    "forbidden",
                    concept_id,
                    occ.match.surface,
                    occ.accepted,
                    unit.target[start:end],
                    unit.source,
                    unit.target,
                )
            )
    return QAReport(segments, untranslated, occurrences, correct, tuple(violations), tuple(damage))


# ------------------------------------------------------------ aligned files


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _blocks(text: str) -> list[str]:
    return [" ".join(b.split()) for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]


@dataclass(frozen=True)
class Aligned:
    """Units aligned from a source document and its translation, and input warnings."""

    units: tuple[BilingualUnit, ...]
    warnings: tuple[str, ...] = ()


def align_files(source: Path, target: Path, *, limit: int = DEFAULT_LIMIT) -> Aligned:
    """Units from a source document and its translation.

    Line by line when both have the same number of non-empty lines (test
    sets, one segment per line); else paragraph by paragraph, the source
    read as a document (PDF line breaks and hyphenation repaired) and the
    target split at blank lines, as `glossary translate` writes it. Both
    are read by the one guarded read and decoding policy (a file that is
    not UTF-8 is read as Windows-1252 with a warning); a bilingual file, a
    termbase or a document format without a reader is refused.
    """
    from glossary.reading import sources

    texts: list[str] = []
    warnings: list[str] = []
    raw: list[bytes] = []
    for path in (source, target):
        data = read_bytes(path, limit=limit)
        found = detect(path, data, sources.ROLE)
        if found.format is not None and not found.format.offers(sources.ROLE):
            raise sources.refusal(found)
        decoded = decode_bytes(data, display_name(path))
        texts.append(decoded.text)
        warnings.extend(decoded.warnings)
        raw.append(data)
    source_text, target_text = texts
    source_lines, target_lines = _lines(source_text), _lines(target_text)
    if len(source_lines) == len(target_lines):
        units = [
            BilingualUnit(s, t, ref=f"{source}:{n}", line=n)
            for (n, s), (_, t) in zip(source_lines, target_lines, strict=True)
        ]
        return Aligned(tuple(units), tuple(warnings))
    document = sources.load(str(source), data=raw[0], limit=limit)
    blocks = _blocks(target_text)
    if len(document.paragraphs) != len(blocks):
        raise InputError(
            f"Cannot align {source} and {target}: {len(source_lines)} and "
            f"{len(target_lines)} non-empty lines, {len(document.paragraphs)} and "
            f"{len(blocks)} paragraphs. Give files with one segment per line, or the "
            "translation 'glossary translate' wrote for this source."
        )
    units = [
        BilingualUnit(paragraph.text, block, ref=f"{source}:{paragraph.line}", line=paragraph.line)
        for paragraph, block in zip(document.paragraphs, blocks, strict=True)
        if paragraph.kind != "furniture"
    ]
    return Aligned(tuple(units), tuple(warnings))
