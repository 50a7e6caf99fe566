"""Terminology QA: does each translated segment use the termbase's English?

For every segment of a bilingual file (or a pair of aligned files):

- every approved concept found in the Dutch source (by `glossary.matching.matcher`,
  the one matcher mining and enforcement use too: inflection, variants,
  hyphen/space folding, case-sensitive acronyms) must have one of its
  correct English terms in the target: the preferred term or an admitted
  alternative, and for a do-not-translate name the name itself;
- term accuracy is counted the WMT way: of all required term occurrences,
  the share whose English appears in the target, matched at token
  boundaries with English plural and possessive forms accepted
  (`matcher.find_english`), case-insensitively except for case-sensitive
  concepts ("OSCE", not "osce"), each target span used for one occurrence
  only (the "OSCE" inside "OSCE Minsk Group" does not count for the OSCE).

The rule is the one enforcement verifies with: `glossary.matching.verify`.

Each wrong occurrence is one violation (`Violation`), never two:

- `wrong`: the approved term is missing and a forbidden rendering of its
  concept, or its English in the wrong case, stands in the target
  instead: found "stop-the-fire", expected "ceasefire". Forbidden spans
  serve one occurrence each, handed out longest first like the accepted
  English, so two forbidden spellings of one error ("stop-the-fire",
  "stop the fire") are one finding;
- `missing` (`dnt` for a do-not-translate name): the term is not there and
  nothing recognisable stands in for it;
- `forbidden`: a forbidden rendering of a concept of the segment left in
  the target beside its correct term (more forbidden renderings than
  missing occurrences).

Every violation has a `Location` a translator finds in the CAT tool: the
file, the line (PO: the msgid line), the segment number (1-based, as CAT
tools number segments) and the unit id (XLIFF trans-unit id, TMX tuid).
`QAReport.concepts` sums up per concept.

`check_units` is pure; `align_files` turns a document and its translation into units.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

from glossary.document import BilingualUnit
from glossary.enforcement.damage import Damage, find_damage
from glossary.errors import InputError
from glossary.files.formats import detect
from glossary.files.inputs import DEFAULT_LIMIT, decode_bytes, display_name, read_bytes
from glossary.matching.verify import Glossary, Occurrence, Span, Verification, overlaps, verify
from glossary.termbase.model import Concept

Kind = Literal["wrong", "missing", "dnt", "forbidden"]
# Every kind, in the order reports list them, and how people read it.
KINDS: Final[tuple[Kind, ...]] = ("wrong", "missing", "dnt", "forbidden")
LABELS: Final[dict[str, str]] = {
    "wrong": "wrong term",
    "missing": "missing term",
    "dnt": "name not kept",
    "forbidden": "forbidden term",
}
PLURALS: Final[dict[str, str]] = {
    "wrong": "wrong terms",
    "missing": "missing terms",
    "dnt": "names not kept",
    "forbidden": "forbidden terms",
}


def label(kind: str, count: int = 1) -> str:
    """How people read a kind: "wrong term", "2 wrong terms" (with a count)."""
    if count == 1:
        return LABELS.get(kind, kind)
    return PLURALS.get(kind, kind)


@dataclass(frozen=True)
class Location:
    """Where a translator finds a segment.

    `file` is the file to open (the bilingual file, or the translation of
    a pair of files); `line` its line (PO: the msgid line, or msgstr[n]'s
    for a plural form; XLIFF: the trans-unit; TSV and text: the line);
    `segment` the 1-based number of the unit in the file, as CAT tools
    number segments; `unit_id` the XLIFF trans-unit id or TMX tuid; `part`
    the segment's number inside a unit of several (XLIFF 2.0 `<segment>`s,
    Trados and memoQ `<mrk mtype="seg">`); `origin` where the source
    segment came from when the file says ("seeds/004.txt:12", PO `#:`
    references, XLIFF location contexts).
    """

    file: str = ""
    line: int | None = None
    segment: int | None = None
    unit_id: str = ""
    origin: str = ""
    part: int | None = None

    def _id(self) -> str:
        return f"(id {self.unit_id}" + (f", part {self.part}" if self.part else "") + ")"

    def short(self) -> str:
        """Without the file name: "line 23", "segment 3 (id 2)", "segment 3 (id 2, part 1)"."""
        if self.unit_id:
            number = f"segment {self.segment} " if self.segment else ""
            return f"{number}{self._id()}"
        if self.line is not None:
            return f"line {self.line}"
        if self.segment:
            return f"segment {self.segment}"
        return self.origin or "?"

    def __str__(self) -> str:
        if not self.file and self.origin:
            return self.origin  # no file named: where the source segment came from
        name = self.file or "?"
        if self.unit_id:
            number = f" segment {self.segment}" if self.segment else ""
            return f"{name}{number} {self._id()}"
        if self.line is not None and self.file:
            return f"{name}:{self.line}"
        if self.segment:
            return f"{name} segment {self.segment}"
        return name

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "segment": self.segment,
            "unit_id": self.unit_id,
            "part": self.part,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Violation:
    """One wrong term occurrence (or one forbidden rendering) in one segment.

    `term` is the Dutch as the source writes it, at `source_span`;
    `expected` the correct English, preferred first; `found` what the
    target has instead (`wrong`) or besides (`forbidden`), at `target_span`
    ("" and None for a missing term); `detail` says why `found` is wrong
    ("forbidden rendering", "wrong case").
    """

    location: Location
    kind: Kind
    concept_id: str
    term: str
    expected: tuple[str, ...]
    found: str = ""
    source: str = ""
    target: str = ""
    source_span: Span | None = None
    target_span: Span | None = None
    detail: str = ""

    @property
    def ref(self) -> str:
        return str(self.location)

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)

    def message(self) -> str:
        """One line: "wrong term: found 'stop-the-fire', expected 'ceasefire'"."""
        expected = self.expected[0] if self.expected else "?"
        if self.kind == "wrong":
            return f"{self.label}: found {self.found!r} ({self.detail}), expected {expected!r}"
        if self.kind == "forbidden":
            return f"{self.label}: {self.found!r} is forbidden for {self.term!r} ({expected!r})"
        if self.kind == "dnt":
            return f"{self.label}: {self.term!r} must stay {expected!r}"
        return f"{self.label}: {self.term!r} needs {expected!r}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "location": self.location.to_dict(),
            "kind": self.kind,
            "label": self.label,
            "concept_id": self.concept_id,
            "term": self.term,
            "expected": list(self.expected),
            "found": self.found,
            "detail": self.detail,
            "message": self.message(),
            "source": self.source,
            "target": self.target,
            "source_span": list(self.source_span) if self.source_span else None,
            "target_span": list(self.target_span) if self.target_span else None,
        }


@dataclass(frozen=True)
class ConceptSummary:
    """How one concept fared across the file."""

    concept_id: str
    term: str  # the concept's Dutch term
    english: str  # its preferred English
    occurrences: int
    correct: int
    counts: tuple[tuple[str, int], ...] = ()  # violations per kind (kinds with none left out)
    found: tuple[tuple[str, int], ...] = ()  # wrong renderings found, most frequent first

    @property
    def violations(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def accuracy(self) -> float:
        return self.correct / self.occurrences if self.occurrences else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept_id": self.concept_id,
            "term": self.term,
            "english": self.english,
            "occurrences": self.occurrences,
            "correct": self.correct,
            "violations": dict(self.counts),
            "found": [{"text": t, "count": n} for t, n in self.found],
        }


@dataclass(frozen=True)
class QAReport:
    segments: int  # segments checked (with a translation)
    untranslated: int  # units without a target, not checked
    occurrences: int  # required term occurrences in the sources
    correct: int  # of those, found in the targets
    violations: tuple[Violation, ...]
    concepts: tuple[ConceptSummary, ...] = ()  # per concept, most violations first
    file: str = ""
    # Damage next to terms (glossary.enforcement.damage), with the unit's location.
    damage: tuple[tuple[Location, Damage], ...] = ()

    @property
    def accuracy(self) -> float | None:
        """Term accuracy (0..1), None when no approved term occurs."""
        return self.correct / self.occurrences if self.occurrences else None

    def count(self, kind: str) -> int:
        return sum(1 for v in self.violations if v.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "segments": self.segments,
            "untranslated": self.untranslated,
            "term_occurrences": self.occurrences,
            "correct": self.correct,
            "term_accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "counts": {kind: self.count(kind) for kind in KINDS},
            "violations": [v.to_dict() for v in self.violations],
            "concepts": [c.to_dict() for c in self.concepts],
            "damage": [{"location": w.to_dict(), **d.to_dict()} for w, d in self.damage],
        }

    def summary(self) -> str:
        if self.accuracy is None and not self.segments:
            text = "No translated segment to check"
        elif self.accuracy is None:
            text = f"No approved term occurs in {_plural(self.segments, 'segment')}"
        else:
            text = (
                f"Term accuracy: {self.accuracy:.1%} ({self.correct} of {self.occurrences} "
                f"term occurrences) in {_plural(self.segments, 'segment')}"
            )
        count = len(self.violations)
        text += f"; {_plural(count, 'violation')}"
        if count:
            text += ": " + ", ".join(
                f"{self.count(k)} {label(k, self.count(k))}" for k in KINDS if self.count(k)
            )
        if self.untranslated:
            text += f"; {_plural(self.untranslated, 'untranslated segment')} not checked"
        if self.damage:
            text += f"; {len(self.damage)} possible damage next to terms"
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def location(unit: BilingualUnit, file: str = "") -> Location:
    """Where a translator finds `unit` of `file`."""
    return Location(
        file=file,
        line=unit.line,
        segment=unit.number or None,
        unit_id=unit.unit_id,
        origin=unit.ref if unit.ref != file else "",
        part=unit.segment or None,
    )


def unit_violations(
    unit: BilingualUnit,
    where: Location,
    occurrences: Sequence[Occurrence],
    result: Verification,
) -> list[Violation]:
    """The violations of one verified segment: one per wrong occurrence, then
    each forbidden rendering left beside its correct term.

    Forbidden renderings are handed out like accepted English: longest first,
    each target span once, never inside a span that renders a term. A missing
    occurrence takes the first free forbidden rendering of its concept, else
    its English in the wrong case ("wrong"), else it is "missing" ("dnt").
    """
    taken: list[Span] = [t.span for t in result.terms if t.span is not None]
    free: dict[str, list[Span]] = {}
    # Every forbidden rendering: those that stand for a missing occurrence and
    # those beside a rendered term (verify lists them apart, as `stray`).
    every_bad = (*result.forbidden, *result.stray)
    for start, end, concept_id in sorted(every_bad, key=lambda f: (f[0] - f[1], f[0])):
        if not overlaps((start, end), taken):
            taken.append((start, end))
            free.setdefault(concept_id, []).append((start, end))
    for spans in free.values():
        spans.sort()

    def violation(occ: Occurrence, kind: Kind, span: Span | None, detail: str) -> Violation:
        return Violation(
            where,
            kind,
            occ.concept.id,
            occ.match.surface,
            occ.accepted,
            unit.target[span[0] : span[1]] if span else "",
            unit.source,
            unit.target,
            (occ.match.start, occ.match.end),
            span,
            detail,
        )

    out: list[Violation] = []
    first: dict[str, Occurrence] = {}
    for occ, check in zip(occurrences, result.terms, strict=True):
        first.setdefault(occ.concept.id, occ)
        if check.found:
            continue
        standing_in = free.get(occ.concept.id)
        if standing_in:
            out.append(violation(occ, "wrong", standing_in.pop(0), "forbidden rendering"))
            continue
        case = next((s for s in check.wrong_case if not overlaps(s, taken)), None)
        if case is not None:
            taken.append(case)
            out.append(violation(occ, "wrong", case, "wrong case"))
            continue
        out.append(violation(occ, "dnt" if occ.concept.dnt else "missing", None, ""))
    for concept_id, spans in free.items():
        for span in spans:
            out.append(violation(first[concept_id], "forbidden", span, "forbidden rendering"))
    return out


def summarise(
    occurrences: Iterable[Occurrence], correct: Counter[str], violations: Sequence[Violation]
) -> tuple[ConceptSummary, ...]:
    """Per concept: occurrences, correct ones, violations per kind and what was found."""
    seen: dict[str, Concept] = {}
    total: Counter[str] = Counter()
    for occ in occurrences:
        seen.setdefault(occ.concept.id, occ.concept)
        total[occ.concept.id] += 1
    kinds: dict[str, Counter[str]] = {}
    found: dict[str, Counter[str]] = {}
    for v in violations:
        kinds.setdefault(v.concept_id, Counter())[v.kind] += 1
        if v.found:
            found.setdefault(v.concept_id, Counter())[v.found] += 1
    rows = [
        ConceptSummary(
            cid,
            concept.nl,
            concept.target,
            total[cid],
            correct[cid],
            tuple((k, kinds[cid][k]) for k in KINDS if cid in kinds and kinds[cid][k]),
            tuple(sorted(found.get(cid, Counter()).items(), key=lambda i: (-i[1], i[0]))),
        )
        for cid, concept in seen.items()
    ]
    return _ranked(rows)


def _ranked(rows: Iterable[ConceptSummary]) -> tuple[ConceptSummary, ...]:
    """Most violations first, then the lowest accuracy, then by term (and id, so
    the order depends on the rows only, not on where they were counted)."""
    return tuple(
        sorted(rows, key=lambda r: (-r.violations, r.accuracy, r.term.casefold(), r.concept_id))
    )


def merge_reports(reports: Iterable[QAReport], *, file: str | None = None) -> QAReport:
    """One report for consecutive chunks of units, as `check_units` over all
    of them gives it: counts add up, violations keep their order, the
    concepts' rows add up and are ranked again. (How the Ray backend,
    `glossary.distributed.qa`, puts its chunks together.)"""
    parts = list(reports)
    rows: dict[str, ConceptSummary] = {}
    kinds: dict[str, Counter[str]] = {}
    found: dict[str, Counter[str]] = {}
    for report in parts:
        for row in report.concepts:
            old = rows.get(row.concept_id)
            rows[row.concept_id] = (
                row
                if old is None
                else replace(
                    old,
                    occurrences=old.occurrences + row.occurrences,
                    correct=old.correct + row.correct,
                )
            )
            kinds.setdefault(row.concept_id, Counter()).update(dict(row.counts))
            found.setdefault(row.concept_id, Counter()).update(dict(row.found))
    merged = [
        replace(
            row,
            counts=tuple((k, kinds[cid][k]) for k in KINDS if kinds[cid][k]),
            found=tuple(sorted(found[cid].items(), key=lambda i: (-i[1], i[0]))),
        )
        for cid, row in rows.items()
    ]
    return QAReport(
        segments=sum(r.segments for r in parts),
        untranslated=sum(r.untranslated for r in parts),
        occurrences=sum(r.occurrences for r in parts),
        correct=sum(r.correct for r in parts),
        violations=tuple(v for r in parts for v in r.violations),
        concepts=_ranked(merged),
        file=file if file is not None else (parts[0].file if parts else ""),
        damage=tuple(d for r in parts for d in r.damage),
    )


def check_units(
    units: Iterable[BilingualUnit], concepts: Sequence[Concept], *, file: str = ""
) -> QAReport:
    """Check each unit's target against the approved concepts of the termbase.

    The rule is `glossary.matching.verify`, the one enforcement uses;
    `unit_violations` turns its verdict into one violation per wrong
    occurrence. `file` names the file the units came from (for `Location`).
    """
    glossary = Glossary(concepts)
    violations: list[Violation] = []
    every: list[Occurrence] = []
    correct_by: Counter[str] = Counter()
    damage: list[tuple[Location, Damage]] = []
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
        every.extend(found)
        for occ, term in zip(found, result.terms, strict=True):
            correct_by[occ.concept.id] += term.found
        where = location(unit, file)
        violations.extend(unit_violations(unit, where, found, result))
        damage.extend((where, d) for d in find_damage(unit.target, found, result))
    return QAReport(
        segments,
        untranslated,
        occurrences,
        correct,
        tuple(violations),
        summarise(every, correct_by, violations),
        file,
        tuple(damage),
    )


# ------------------------------------------------------------ aligned files


def _lines(text: str) -> list[tuple[int, int, int, str]]:
    """(line number, start, end, text) of each non-empty line, the offsets those
    of its text without the surrounding white space."""
    found: list[tuple[int, int, int, str]] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.strip()
        if body:
            start = offset + line.index(body)
            found.append((number, start, start + len(body), body))
        offset += len(line)
    return found


def _blocks(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, start, end, text) of each blank-line separated block, the text
    with single spaces, the offsets those of the block without its surrounding
    white space."""
    found: list[tuple[int, int, int, str]] = []
    for m in re.finditer(r"\S(?:.|\n(?![ \t\r\f\v]*\n))*", text):
        body = m.group(0).rstrip()
        line = text.count("\n", 0, m.start()) + 1
        found.append((line, m.start(), m.start() + len(body), " ".join(body.split())))
    return found


@dataclass(frozen=True)
class TextPair:
    """A source segment and where its translation stands in the target text."""

    ref: str  # the source's "file:line"
    source: str
    target: str  # white space made single in a paragraph
    line: int  # its (first) line in the target
    start: int  # its offsets in the target text
    end: int


def pair_texts(
    source: Path, target: Path, source_data: bytes, source_text: str, target_text: str, limit: int
) -> list[TextPair]:
    """A plain-text source and its translation paired: line by line when both
    have the same number of non-empty lines (test sets, one segment per line);
    else paragraph by paragraph, the source read as a document (PDF line
    breaks and hyphenation repaired) and the target split at blank lines, as
    `glossary translate` writes it. Shared by `check` and `fix` (which writes
    the fixed segments back at their offsets)."""
    from glossary.reading import sources

    source_lines, target_lines = _lines(source_text), _lines(target_text)
    if len(source_lines) == len(target_lines):
        return [
            TextPair(f"{source}:{n}", s, t, m, start, end)
            for (n, _, _, s), (m, start, end, t) in zip(source_lines, target_lines, strict=True)
        ]
    document = sources.load(str(source), data=source_data, limit=limit)
    blocks = _blocks(target_text)
    if len(document.paragraphs) != len(blocks):
        raise InputError(
            f"Cannot align {source} and {target}: {len(source_lines)} and "
            f"{len(target_lines)} non-empty lines, {len(document.paragraphs)} and "
            f"{len(blocks)} paragraphs. Give files with one segment per line, or the "
            "translation 'glossary translate' wrote for this source."
        )
    return [
        TextPair(f"{source}:{paragraph.line}", paragraph.text, block, line, start, end)
        for paragraph, (line, start, end, block) in zip(document.paragraphs, blocks, strict=True)
        if paragraph.kind != "furniture"
    ]


@dataclass(frozen=True)
class Aligned:
    """Units aligned from a source document and its translation, and input warnings."""

    units: tuple[BilingualUnit, ...]
    warnings: tuple[str, ...] = ()


def _align_documents(source: Path, target: Path, raw: list[bytes], limit: int) -> Aligned:
    """Units from two documents with structure (a Word file and its translation, an
    HTML page and its translation): read both as documents, paragraph by paragraph."""
    from glossary.reading import sources

    documents = [
        sources.load(str(path), data=data, limit=limit)
        for path, data in zip((source, target), raw, strict=True)
    ]
    first, second = documents
    if len(first.paragraphs) != len(second.paragraphs):
        raise InputError(
            f"Cannot align {source} and {target}: {len(first.paragraphs)} and "
            f"{len(second.paragraphs)} paragraphs. Give the translation 'glossary translate' "
            "wrote for this source (the same format, the same paragraphs)."
        )
    units = [
        BilingualUnit(
            a.text,
            b.text,
            ref=a.segments[0].place if a.segments else f"{source}:{a.line}",
            line=a.line,
        )
        for a, b in zip(first.paragraphs, second.paragraphs, strict=True)
        if a.kind != "furniture"
    ]
    warnings = tuple(w for d in documents for w in d.warnings)
    return Aligned(tuple(units), warnings)


def align_files(source: Path, target: Path, *, limit: int = DEFAULT_LIMIT) -> Aligned:
    """Units from a source document and its translation.

    Line by line when both have the same number of non-empty lines (test
    sets, one segment per line); else paragraph by paragraph, the source
    read as a document (PDF line breaks and hyphenation repaired) and the
    target split at blank lines, as `glossary translate` writes it. Both
    are read by the one guarded read and decoding policy (a file that is
    not UTF-8 is read as Windows-1252 with a warning); a bilingual file, a
    termbase or a document format without a reader is refused. Each
    unit's `line` is its line in the translation (the file a translator
    fixes), its `ref` the source's "file:line".
    """
    from glossary.reading import sources

    texts: list[str] = []
    warnings: list[str] = []
    raw: list[bytes] = []
    structured: list[bool] = []
    for path in (source, target):
        data = read_bytes(path, limit=limit)
        found = detect(path, data, sources.ROLE)
        if found.format is not None and not found.format.offers(sources.ROLE):
            raise sources.refusal(found)
        raw.append(data)
        structured.append(found.format is not None and found.format.name not in ("text",))
    if any(structured):
        return _align_documents(source, target, raw, limit)
    for path, data in zip((source, target), raw, strict=True):
        decoded = decode_bytes(data, display_name(path))
        texts.append(decoded.text)
        warnings.extend(decoded.warnings)
    source_text, target_text = texts
    pairs = pair_texts(source, target, raw[0], source_text, target_text, limit)
    units = [
        BilingualUnit(p.source, p.target, ref=p.ref, line=p.line, number=i)
        for i, p in enumerate(pairs, 1)
    ]
    return Aligned(tuple(units), tuple(warnings))
