"""`glossary fix`: apply the termbase to a translation made elsewhere.

A translation from DeepL, a colleague or a translation memory renders the
approved terms its own way. `fix_segment` applies the termbase to one
segment the way a careful post-editor would: every occurrence that the
translation misses (by the one verification rule, `glossary.matching.verify`)
is put in the place of the words that render it, through the same edit
engine the cascade's replace step uses (`glossary.enforcement.edits`: the
rendering goes, plural, possessive, verb form, article and capitals carried
over). Where the translation renders it is found by `align.place`: with a
model, also from the attention of the model forced through the given
translation (`model_links`); without one, from what the termbase knows and
the two texts share. Only placements that are at least strong
(`align.STRONG`) are made: what cannot be placed safely is left as it was
and flagged, never guessed. A segment whose terms are all rendered is never
changed.

`fix_segments` runs it over many segments and counts; `FixReport` is the
report (`to_table`, `to_dict`, `summary`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from glossary.document import TermUse
from glossary.enforcement.align import STRONG, place
from glossary.enforcement.damage import Damage, find_damage
from glossary.enforcement.edits import Applied, apply, plan_edits
from glossary.engines.base import Engine, Link, Request
from glossary.matching.verify import Glossary, verify

FIX_FORMAT_VERSION = 1
Aligner = Callable[[Sequence[tuple[str, str]]], list[tuple[Link, ...]]]


@dataclass(frozen=True)
class Segment:
    """One segment to fix: where it is, its Dutch source and its English."""

    ref: str
    source: str
    target: str


@dataclass(frozen=True)
class FixedSegment:
    """A segment after `fix_segment`: the English as given and as fixed,
    each term occurrence (`TermUse`: step "given" when the translation had
    it, "fix" when an edit put it there, status "failed" when it was left),
    the edits as made, and notes (terms in compounds or names, damage)."""

    ref: str
    source: str
    target: str
    fixed: str
    terms: tuple[TermUse, ...] = ()
    edits: tuple[Applied, ...] = ()
    notes: tuple[str, ...] = ()
    damage: tuple[Damage, ...] = ()

    @property
    def changed(self) -> bool:
        return self.fixed != self.target

    @property
    def left(self) -> tuple[TermUse, ...]:
        return tuple(u for u in self.terms if u.status == "failed")


def fix_segment(
    segment: Segment,
    glossary: Glossary,
    links: Sequence[Link] = (),
    *,
    min_score: int = STRONG,
) -> FixedSegment:
    """The segment with the termbase applied (see the module doc)."""
    source, target = segment.source, segment.target
    scan = glossary.scan(source)
    occurrences = scan.occurrences
    notes = [c.describe() for c in scan.compounds if not c.head]
    notes += [f"'{m.surface}' is part of the name '{name}': not enforced" for m, name in scan.names]
    if not target.strip() or not occurrences:
        return FixedSegment(segment.ref, source, target, target, notes=tuple(notes))
    before = verify(target, occurrences)
    edits = plan_edits(
        target,
        source,
        occurrences,
        before,
        links,
        glossary=glossary,
        insert=False,
        min_score=min_score,
    )
    fixed, applied = apply(target, edits)
    pins = {a.edit.occurrence: (a.start, a.end) for a in applied}
    after = verify(fixed, occurrences, pins)
    if after.satisfied < before.satisfied:
        # An edit must never lose a term that was there: then nothing is changed.
        fixed, applied, after = target, [], before
    made = {a.edit.occurrence: a for a in applied}
    suggestions = {
        p.occurrence: p
        for p in place(target, source, occurrences, before, glossary, links)
        if p.occurrence not in made
    }
    terms: list[TermUse] = []
    for i, occ in enumerate(occurrences):
        span = after.spans[i]
        details = [occ.note] if occ.note else []
        a = made.get(i)
        if a is not None and span is not None:
            status, step = "enforced", "fix"
            details.append(a.edit.describe(a.after))
            edit, replaced = "replaced", a.before
        elif span is not None:
            status, step, edit, replaced = "enforced", "given", "", ""
        else:
            status, step, edit, replaced = "failed", "", "", ""
            hint = suggestions.get(i)
            if hint is not None:
                found = target[hint.start : hint.end]
                details.append(
                    f"left as it was: '{found}' may render it ({hint.how}; not sure enough)"
                )
            else:
                details.append("left as it was: no rendering found to replace")
        terms.append(
            TermUse(
                occ.concept.id,
                occ.match.surface,
                occ.match.start,
                occ.match.end,
                fixed[span[0] : span[1]] if span else occ.english,
                status,  # type: ignore[arg-type]
                step,
                span[0] if span else -1,
                span[1] if span else -1,
                occ.concept.dnt,
                "; ".join(details),
                edit=edit,  # type: ignore[arg-type]
                replaced=replaced,
            )
        )
    damage = find_damage(fixed, occurrences, after)
    return FixedSegment(
        segment.ref,
        source,
        target,
        fixed,
        tuple(terms),
        tuple(applied),
        tuple(notes),
        tuple(damage),
    )


def model_links(engine: Engine, pairs: Sequence[tuple[str, str]]) -> list[tuple[Link, ...]]:
    """The attention of `engine` over each given translation: the translation
    is forced as a target prefix and the model decodes one token more
    (`Request(prefix=..., alignment=True, max_new_tokens=1)`); the links of
    the prefix pieces are the alignment. Empty for an engine that cannot
    force a prefix or align."""
    caps = engine.capabilities
    if not (caps.prefix and caps.alignment) or not pairs:
        return [() for _ in pairs]
    requests = [
        Request(source, prefix=target.strip(), alignment=True, max_new_tokens=1)
        for source, target in pairs
    ]
    out: list[tuple[Link, ...]] = []
    for (_, target), hyps in zip(pairs, engine.translate_batch(requests), strict=True):
        lead = len(target) - len(target.lstrip())
        end = len(target.strip())
        links = hyps[0].alignment if hyps else ()
        out.append(
            tuple(
                Link(
                    k.source_start,
                    k.source_end,
                    k.target_start + lead,
                    k.target_end + lead,
                    k.weight,
                )
                for k in links
                if k.target_end <= end
            )
        )
    return out


def fix_segments(
    segments: Sequence[Segment],
    glossary: Glossary,
    aligner: Aligner | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 64,
) -> FixReport:
    """Fix every segment; `aligner` (e.g. `model_links` with an engine) gives
    the model's alignment of the segments that need a fix."""
    fixed: list[FixedSegment] = []
    for start in range(0, len(segments), chunk):
        part = segments[start : start + chunk]
        links: list[tuple[Link, ...]] = [() for _ in part]
        if aligner is not None:
            needy = [
                k
                for k, s in enumerate(part)
                if s.target.strip() and not verify(s.target, glossary.occurrences(s.source)).ok
            ]
            found = aligner([(part[k].source, part[k].target) for k in needy]) if needy else []
            for k, ls in zip(needy, found, strict=True):
                links[k] = ls
        fixed.extend(fix_segment(s, glossary, ls) for s, ls in zip(part, links, strict=True))
        if progress is not None:
            progress(len(fixed), len(segments))
    return FixReport(tuple(fixed), "model attention" if aligner else "termbase")


# ------------------------------------------------------------ the report


@dataclass(frozen=True)
class FixReport:
    """What `glossary fix` did: per segment, and counted."""

    segments: tuple[FixedSegment, ...]
    alignment: str = "termbase"  # "model attention" when a model aligned the segments
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def occurrences(self) -> int:
        return sum(len(s.terms) for s in self.segments)

    def count(self, step: str) -> int:
        return sum(1 for s in self.segments for u in s.terms if u.step == step)

    @property
    def left(self) -> int:
        return sum(len(s.left) for s in self.segments)

    @property
    def changed(self) -> int:
        return sum(1 for s in self.segments if s.changed)

    @property
    def damage(self) -> int:
        return sum(len(s.damage) for s in self.segments)

    def summary(self) -> str:
        translated = sum(1 for s in self.segments if s.target.strip())
        if not self.occurrences:
            return f"Fix: no approved term occurs in {translated} translated segments"
        text = (
            f"Fix: {self.occurrences} term occurrences in {translated} segments: "
            f"{self.count('given')} already right, {self.count('fix')} fixed, {self.left} left "
            f"(flagged); {self.changed} segments changed (alignment: {self.alignment})"
        )
        notes = sum(len(s.notes) for s in self.segments)
        if notes:
            text += f"; {notes} notes (terms in compounds or names)"
        if self.damage:
            text += f"; {self.damage} possible damage"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "glossary-fix-report",
            "version": FIX_FORMAT_VERSION,
            "alignment": self.alignment,
            "segments": len(self.segments),
            "changed": self.changed,
            "occurrences": self.occurrences,
            "given": self.count("given"),
            "fixed": self.count("fix"),
            "left": self.left,
            "edits": [
                {
                    "ref": s.ref,
                    "concept_id": s.terms[a.edit.occurrence].concept_id,
                    "how": a.edit.how,
                    "before": a.before,
                    "after": a.after,
                    "source": s.source,
                    "target": s.target,
                    "fixed": s.fixed,
                }
                for s in self.segments
                for a in s.edits
            ],
            "left_terms": [
                {
                    "ref": s.ref,
                    "concept_id": u.concept_id,
                    "term": u.source_text,
                    "english": u.target,
                    "detail": u.detail,
                    "source": s.source,
                    "target": s.target,
                }
                for s in self.segments
                for u in s.left
            ],
            "notes": [{"ref": s.ref, "note": n} for s in self.segments for n in s.notes],
            "damage": [
                {"ref": s.ref, **d.to_dict(), "target": s.fixed}
                for s in self.segments
                for d in s.damage
            ],
        }

    def to_table(self) -> str:
        """Every edit (before → after, with the segment), every term left, every note."""
        parts: list[str] = []
        edited = [s for s in self.segments if s.edits]
        if edited:
            lines = ["Edits (review these):"]
            for s in edited:
                lines.append(f"  {s.ref}")
                for a in s.edits:
                    use = s.terms[a.edit.occurrence]
                    lines.append(
                        f"    {use.concept_id}: '{a.before}' → '{a.after}'  ({a.edit.how})"
                    )
                lines.append(f"    nl:     {s.source}")
                lines.append(f"    before: {s.target}")
                lines.append(f"    after:  {s.fixed}")
            parts.append("\n".join(lines))
        left = [(s, u) for s in self.segments for u in s.left]
        if left:
            lines = ["Left as they were (fix by hand):"]
            for s, u in left:
                lines.append(f"  {s.ref}  {u.concept_id}  {u.source_text} → {u.target}")
                lines.append(f"    nl: {s.source}")
                lines.append(f"    en: {s.target}")
                lines.append(f"    ({u.detail})")
            parts.append("\n".join(lines))
        notes = [(s, n) for s in self.segments for n in s.notes]
        if notes:
            parts.append("\n".join(["Notes:", *(f"  {s.ref}  {n}" for s, n in notes)]))
        damage = [(s, d) for s in self.segments for d in s.damage]
        if damage:
            parts.append(
                "\n".join(
                    ["Possible damage (check):", *(f"  {s.ref}  {d.describe()}" for s, d in damage)]
                )
            )
        parts.append(self.summary())
        return "\n\n".join(parts) + "\n"
