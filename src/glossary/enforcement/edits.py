"""Placing terms in a translation: the edits of the cascade's last step.

`plan_edits` decides, for each occurrence a translation misses, where its
English goes, from the strongest evidence available (a wrong-case or
forbidden rendering, the Dutch term copied, the attention's alignment, a
neighbour's translation, the proportional position), and which forbidden
renderings to replace; `apply_edits` makes the edits, spacing the words and
capitalising at a sentence start. Both are pure: a text, the occurrences and
their verification (`glossary.matching.verify`) in, edits or text out.

The cascade (`glossary.enforcement.cascade`) uses them for step 4 and to
build step 3's forced prefix. This is the seam for a different edit engine:
anything that turns (text, source, occurrences, verification, links) into
`Edit`s plugs in here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.engines.base import Link
from glossary.lang import en
from glossary.matching.matcher import Match, find_english
from glossary.matching.verify import Occurrence, Span, Verification, overlaps

# How `TermUse.detail` starts when a term was inserted rather than put in
# the place of a rendering (the report lists these for review); "inserted
# blindly" when nothing in the alignment said where it belongs.
INSERTED = "inserted"
BLIND = "inserted blindly"
_ARTICLE_BEFORE = re.compile(r"(?i)(?<!\w)" + en.ARTICLE + r"\s+$")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (an insertion when equal) with an English term."""

    start: int
    end: int
    english: str
    keeps_case: bool
    occurrence: int  # -1 for a forbidden rendering replaced outside an occurrence
    # wrong-case, forbidden, copied, aligned, aligned-insert, neighbour, proportional, appended
    how: str
    found: str = ""
    concept_id: str = ""

    @property
    def inserted(self) -> bool:
        return self.how in ("aligned-insert", "neighbour", "proportional", "appended")

    def describe(self) -> str:
        return {
            "wrong-case": f"replaced the wrong-case '{self.found}'",
            "forbidden": f"replaced the forbidden rendering '{self.found}'",
            "copied": f"replaced the copied Dutch '{self.found}'",
            "aligned": f"replaced the aligned '{self.found}'",
            "aligned-insert": f"{INSERTED} where the attention points (a punctuation mark "
            "or another term's span)",
            "neighbour": f"{INSERTED} after the translation of the neighbouring source "
            "word (no target word aligned with the term itself)",
            "proportional": f"{BLIND} at the proportional position (no alignment)",
            "appended": f"{BLIND} at the end (no free position)",
        }[self.how]


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_NEAR = 12  # characters a span may grow to reach a word boundary


def at_sentence_start(left: str) -> bool:
    return bool(_SENTENCE_END.search(left)) if left.strip() else True


def capitalised(term: str) -> str:
    return term[:1].upper() + term[1:]


def _snap(text: str, start: int, end: int) -> Span:
    """Grow a span to whole words when that adds at most `_NEAR` characters a
    side; a piece of a longer run of glued letters stays as it is."""
    s = start
    while s > 0 and text[s - 1].isalnum() and start - s < _NEAR:
        s -= 1
    e = end
    while e < len(text) and text[e].isalnum() and e - end < _NEAR:
        e += 1
    if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
        return start, end
    return s, e


def _boundary_near(text: str, position: int) -> int:
    """The nearest word boundary to `position` (within 15 characters, else it)."""
    for distance in range(16):
        for p in (position - distance, position + distance):
            if 0 <= p <= len(text) and (
                p in (0, len(text)) or text[p - 1].isspace() or text[p].isspace()
            ):
                return p
    return position


def _clusters(links: Sequence[Link], text: str) -> list[tuple[float, Span]]:
    """Runs of adjacent target words aligned with a source term, with their
    summed attention weight. Punctuation ends a run and is never part of one."""
    runs: list[tuple[float, Span]] = []
    for link in sorted(links, key=lambda k: k.target_start):
        piece = text[link.target_start : link.target_end]
        if not any(c.isalnum() for c in piece):
            if runs:
                runs.append((0.0, (link.target_end, link.target_end)))  # a barrier
            continue
        if runs:
            weight, (start, end) = runs[-1]
            gap = text[end : link.target_start]
            if link.target_start < end or (weight and gap.strip() in ("", "-")):
                runs[-1] = (weight + link.weight, (start, max(end, link.target_end)))
                continue
        runs.append((link.weight, (link.target_start, link.target_end)))
    return [run for run in runs if run[0] > 0 and run[1][0] < run[1][1]]


def _best_part(links: Sequence[Link], span: Span, words: int) -> Span:
    """A run longer than `words` words shrinks to its most attended piece."""
    start, end = span
    inside = [k for k in links if start <= k.target_start and k.target_end <= end]
    if len(inside) <= words or not inside:
        return span
    best = max(inside, key=lambda k: k.weight)
    return best.target_start, best.target_end


def plan_edits(
    text: str,
    source: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    links: Sequence[Link],
) -> list[Edit]:
    """Where each missing occurrence goes in `text`, and forbidden renderings to replace.

    In order of evidence: a wrong-case rendering of the term, a forbidden
    rendering of its concept, the Dutch term copied into the English, the
    span the attention aligns with the source term (`Link`s); else an
    insertion after the translation of the nearest source words that have
    one, or at the proportional position. Spans already used by present
    terms are never touched.
    """
    taken: list[Span] = [s for s in result.spans if s is not None]
    edits: list[Edit] = []
    missing = result.missing

    def take(i: int, span: Span, how: str) -> None:
        occ = occurrences[i]
        found = text[span[0] : span[1]]
        edits.append(Edit(span[0], span[1], occ.english, occ.keeps_case, i, how, found))
        taken.append(span)

    placed: set[int] = set()
    # 1. Like-for-like: the term in the wrong case, a forbidden rendering, a copy of the Dutch.
    for start, end, i in result.wrong_case:
        if i in missing and i not in placed and not overlaps((start, end), taken):
            take(i, (start, end), "wrong-case")
            placed.add(i)
    forbidden = list(result.forbidden)
    for i in missing:
        if i in placed:
            continue
        for start, end, concept_id in forbidden:
            if concept_id == occurrences[i].concept.id and not overlaps((start, end), taken):
                take(i, (start, end), "forbidden")
                placed.add(i)
                break
    for i in missing:
        if i in placed:
            continue
        match = occurrences[i].match
        for dutch in dict.fromkeys((match.surface, match.term)):
            span = next(
                (s for s in find_english(text, dutch) if not overlaps(s, taken)),
                None,
            )
            if span is not None:
                take(i, span, "copied")
                placed.add(i)
                break
    # 2. The attention's choice.
    for i in missing:
        if i in placed:
            continue
        match = occurrences[i].match
        linked = [k for k in links if k.source_start < match.end and match.start < k.source_end]
        words = max(3, 2 * len(occurrences[i].english.split()))
        for _, run in sorted(_clusters(linked, text), key=lambda c: -c[0]):
            span = _snap(text, *_best_part(linked, run, words))
            if overlaps(span, taken) or not any(c.isalnum() for c in text[span[0] : span[1]]):
                continue
            take(i, span, "aligned")
            placed.add(i)
            break
    # 3. Insertions.
    for i in missing:
        if i in placed:
            continue
        occ = occurrences[i]
        position, how = _insertion_point(text, source, occ.match, links, taken)
        linked = [
            k for k in links if k.source_start < occ.match.end and occ.match.start < k.source_end
        ]
        if linked:
            # The attention points at punctuation or at a present term: put it there.
            best = max(linked, key=lambda k: k.weight)
            position = _aligned_insertion(text, best, taken)
            how = "aligned-insert"
        edits.append(Edit(position, position, occ.english, occ.keeps_case, i, how))
        taken.append((position, position))
    # Forbidden renderings not used for a missing occurrence are replaced too.
    used = {(e.start, e.end) for e in edits}
    first_of: dict[str, int] = {}
    for i, occ in enumerate(occurrences):
        first_of.setdefault(occ.concept.id, i)
    for start, end, concept_id in forbidden:
        if (start, end) in used or overlaps((start, end), [(e.start, e.end) for e in edits]):
            continue
        occ = occurrences[first_of[concept_id]]
        edits.append(
            Edit(
                start,
                end,
                occ.english,
                occ.keeps_case,
                -1,
                "forbidden",
                text[start:end],
                concept_id,
            )
        )
    return edits


def _aligned_insertion(text: str, link: Link, taken: Sequence[Span]) -> int:
    """Before an aligned punctuation mark; after an aligned span already used."""
    for start, end in taken:
        if start <= link.target_start < end or (start < link.target_end <= end):
            return end
    return link.target_start


def _insertion_point(
    text: str, source: str, match: Match, links: Sequence[Link], taken: Sequence[Span]
) -> tuple[int, str]:
    def free(position: int) -> bool:
        return not any(start < position < end for start, end in taken)

    before = [k for k in links if k.source_end <= match.start]
    after = [k for k in links if k.source_start >= match.end]
    if before:
        nearest = max(k.source_end for k in before)
        anchor = max((k for k in before if k.source_end == nearest), key=lambda k: k.weight)
        position = _snap(text, anchor.target_start, anchor.target_end)[1]
        if free(position):
            return position, "neighbour"
    if after:
        nearest = min(k.source_start for k in after)
        anchor = max((k for k in after if k.source_start == nearest), key=lambda k: k.weight)
        position = _snap(text, anchor.target_start, anchor.target_end)[0]
        if free(position):
            return position, "neighbour"
    if source and text:
        position = _boundary_near(text, round(match.start / len(source) * len(text)))
        if free(position):
            return position, "proportional"
    return len(text.rstrip(".!?;:\"' ")), "appended"


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with every edit made (right to left), spaced as words and
    capitalised at a sentence start (except names and acronyms)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end, e.occurrence), reverse=True)
    for edit in ordered:
        left, right = text[: edit.start], text[edit.end :]
        english = edit.english
        if english.lower().startswith(en.ARTICLE + " ") and _ARTICLE_BEFORE.search(left):
            left = _ARTICLE_BEFORE.sub("", left)
        if edit.start == edit.end:
            left, right = left.rstrip(), right.lstrip()
            if left and not left.endswith(("(", "\u201c", '"', "'")):
                left += " "
            if right and right[0] not in ".,;:!?)\u201d\u2019'\"":
                right = " " + right
        else:
            if left and not left[-1].isspace() and left[-1] not in "([{\"'\u201c\u2018-/":
                left += " "
            if right and right[0].isalnum():
                right = " " + right
        if not edit.keeps_case and at_sentence_start(left):
            english = capitalised(english)
        text = left + english + right
    return text
