"""The one edit engine: putting terms into a translation without damaging it.

`glossary fix` and the cascade's replace step (`glossary.enforcement.cascade`)
both use it:

- `plan_edits` decides, for each occurrence a translation misses, which
  target span it replaces (`glossary.enforcement.align.place`: the term in
  the wrong case, a forbidden rendering, the copied Dutch, another
  concept's English, shared words, similar spelling, the gap between
  anchors, the model's attention). With `insert=True` (the cascade, which
  must place every term) an occurrence without any candidate is inserted
  next to its neighbour's translation or at the proportional position;
  with `insert=False` (`glossary fix`) it is left out and reported.
  `min_score` sets how sure a placement must be (`align.STRONG` for fix).
- `apply_edits` makes them, right to left, and carries the grammar of what
  it replaces over to the term: plural ("truces" -> "ceasefires"),
  possessive ("Minsk Groep's" -> "OSCE Minsk Group's"), verb form
  ("acknowledged" -> "recognised", with lemminflect), the article before it
  ("a incursion" -> "an incursion"), a capital at a sentence start or after
  an opening quote there (not after "U.S." or "Mr."), the termbase's
  capitals elsewhere, "the Netherlands" after "the" not doubled. The
  rendering replaced goes, so no synonym is left beside the term; words
  outside the span are never touched (except the article before it).

Both are pure: a text, the occurrences and their verification
(`glossary.matching.verify`) in, edits or text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.enforcement.align import (
    CERTAIN,
    STRONG,
    WEAK,
    Placement,
    after_determiners,
    anchored_insertion,
    place,
)
from glossary.engines.base import Link
from glossary.lang import en
from glossary.lang.text import fold_words, split_words
from glossary.matching.matcher import Match, find_english
from glossary.matching.verify import Glossary, Occurrence, Span, Verification, overlaps

# How `TermUse.detail` starts when a term was inserted rather than put in
# the place of a rendering; "inserted blindly" when nothing in the alignment
# said where it belongs.
INSERTED = "inserted"
BLIND = "inserted blindly"
_ARTICLE_BEFORE = re.compile(r"(?i)(?<!\w)" + en.ARTICLE + r"\s+$")
_INDEFINITE_BEFORE = re.compile(r"(?<![\w'’])([Aa]n?)(\s+)$")
_POSSESSIVE = re.compile(r"(['’]s?)$")

# Placement methods (align.place) and insertions, as `Edit.how` says them.
_DESCRIBE = {
    "wrong-case": "replaced the wrong-case '{found}'",
    "forbidden": "replaced the forbidden rendering '{found}'",
    "copied": "replaced the copied Dutch '{found}'",
    "related": "replaced '{found}' (the English of a related concept)",
    "unrelated": "replaced '{found}' (the English of another concept; weak evidence)",
    "overlap": "replaced '{found}' (shares words with the term)",
    "similar": "replaced '{found}' (spelled like the term)",
    "gap": "replaced '{found}' (between the translations of its neighbours)",
    "leftover": "replaced '{found}' (the one word both sides leave unexplained)",
    "aligned": "replaced the aligned '{found}'",
    "aligned-insert": INSERTED + " where the attention points (a punctuation mark or "
    "another term's span)",
    "neighbour": INSERTED + " after the translation of the neighbouring source word "
    "(no target word aligned with the term itself)",
    "proportional": BLIND + " at the proportional position (no alignment)",
    "appended": BLIND + " at the end (no free position)",
}


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (an insertion when equal) with an English term."""

    start: int
    end: int
    english: str
    keeps_case: bool
    occurrence: int  # -1 for a forbidden rendering replaced outside an occurrence
    how: str  # a placement method of align.place, or an insertion (see `inserted`)
    found: str = ""
    concept_id: str = ""
    pos: str = ""  # the concept's part of speech: how to carry the grammar over
    score: int = CERTAIN
    accepted: tuple[str, ...] = ()  # the English that counts (the closest one is written)
    surface: str = ""  # the Dutch as the source writes it
    variant: bool = False  # the source writes a variant, not the preferred Dutch

    @property
    def inserted(self) -> bool:
        return self.how in ("aligned-insert", "neighbour", "proportional", "appended")

    def describe(self, written: str = "") -> str:
        text = _DESCRIBE[self.how].format(found=self.found)
        if written and not self.inserted:
            text += f" with '{written}'"
        return text


@dataclass(frozen=True)
class Applied:
    """An edit as made: the text it replaced and what it wrote, and where that is now."""

    edit: Edit
    before: str  # the replaced text ("" for an insertion)
    after: str  # what was written (with the grammar carried over)
    start: int  # where `after` is in the edited text
    end: int


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_NEAR = 12  # characters a span may grow to reach a word boundary


def at_sentence_start(left: str) -> bool:
    """Whether a word written after `left` starts a sentence (see `en.is_sentence_start`)."""
    return en.is_sentence_start(left)


def capitalised(term: str) -> str:
    return term[:1].upper() + term[1:]


# ------------------------------------------------------------ planning


def plan_edits(
    text: str,
    source: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    links: Sequence[Link],
    *,
    glossary: Glossary | None = None,
    insert: bool = True,
    min_score: int = WEAK,
) -> list[Edit]:
    """Where each missing occurrence goes in `text` (see the module doc).

    Spans already used by present terms are never touched. With `insert`,
    every missing occurrence gets an edit; else only those placed with at
    least `min_score`.
    """
    taken: list[Span] = [s for s in result.spans if s is not None]
    edits: list[Edit] = []
    placements = place(text, source, occurrences, result, glossary, links)
    placed: set[int] = set()
    for p in placements:
        if p.score < min_score:
            continue
        occ = occurrences[p.occurrence]
        span = _absorb(text, (p.start, p.end), occ.english, taken)
        edits.append(_edit(occ, p.occurrence, span, p.how, text, p.score))
        taken.append(span)
        placed.add(p.occurrence)
    if insert:
        for i in result.missing:
            if i in placed:
                continue
            occ = occurrences[i]
            position, how = _insertion_point(text, source, occ.match, links, taken)
            anchored = anchored_insertion(source, text, occurrences, result, i)
            if how != "neighbour" and anchored is not None:
                position, how = anchored, "neighbour"
            linked = [
                k
                for k in links
                if k.source_start < occ.match.end and occ.match.start < k.source_end
            ]
            if linked and how != "neighbour":
                best = max(linked, key=lambda k: k.weight)
                position = _aligned_insertion(text, best, taken)
                how = "aligned-insert"
            edits.append(_edit(occ, i, (position, position), how, text, 0))
            taken.append((position, position))
    return edits


_WORD_AT_START = re.compile(r"\s*([\w][\w'’-]*)")
_WORD_AT_END = re.compile(r"([\w][\w'’-]*)\s*$")


def _absorb(text: str, span: Span, english: str, taken: Sequence[Span]) -> Span:
    """Grow a span over the words right beside it that the term brings
    itself, so none is doubled ("fighting parties" with "warring parties"
    replacing "fighting": the span takes "parties" too)."""
    words = [w.lower() for w in split_words(english)]
    if len(words) < 2:
        return span
    start, end = span
    inside = {w.lower() for w in split_words(text[start:end])}
    after = _WORD_AT_START.match(text, end)
    if (
        after
        and words[-1] not in inside
        and _alike(after.group(1), words[-1])
        and not overlaps((after.start(1), after.end(1)), taken)
    ):
        end = after.end(1)
    before = _WORD_AT_END.search(text[:start])
    if (
        before
        and words[0] not in inside
        and _alike(before.group(1), words[0])
        and not overlaps((before.start(1), before.end(1)), taken)
    ):
        start = before.start(1)
    return start, end


def _alike(word: str, term_word: str) -> bool:
    word = word.lower()
    return word == term_word or word in en.plural_forms(term_word)


def _edit(occ: Occurrence, i: int, span: Span, how: str, text: str, score: int) -> Edit:
    return Edit(
        span[0],
        span[1],
        occ.english,
        occ.keeps_case,
        i,
        how,
        text[span[0] : span[1]],
        occ.concept.id,
        occ.concept.pos,
        score,
        tuple(t for t in occ.concept.en_terms if t in occ.accepted),
        occ.match.surface,
        fold_words(occ.match.surface) != fold_words(occ.concept.nl),
    )


def _aligned_insertion(text: str, link: Link, taken: Sequence[Span]) -> int:
    """Before an aligned punctuation mark; after an aligned span already used."""
    for start, end in taken:
        if start <= link.target_start < end or (start < link.target_end <= end):
            return end
    return _boundary_near(text, link.target_start)


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
        position = after_determiners(text, _snap(text, anchor.target_start, anchor.target_end)[1])
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
        first = re.search(r"\w[\w'’-]*", text)
        if position == 0 and first is not None:  # not before the capital of the first word
            position = first.end()
        if free(position):
            return position, "proportional"
    return len(text.rstrip(".!?;:\"' ")), "appended"


# ------------------------------------------------------------ writing


def _closest(edit: Edit) -> str:
    """The English to write.

    In place of a forbidden rendering, a wrong case or the copied Dutch, the
    occurrence's English (the preferred term), or its plural among the
    accepted terms when what it replaces is plural and the term cannot be
    made plural by rule ("prisoners of war", "Helsinki Accords"). In place
    of another rendering (a related concept's English, shared words...),
    the accepted term sharing most words with it, at the same length
    ("fighter aircraft" for "fighter planes"), else the preferred term.
    """
    english = edit.english
    if edit.inserted or not edit.found or not edit.accepted:
        return english
    found = [_bare_word(w) for w in edit.found.split()]
    content = [w for w in found if len(w) > 3]

    def shared(term: str) -> int:
        return sum(1 for w in term.split() if any(_alike(f, _bare_word(w)) for f in content))

    if edit.how not in ("forbidden", "wrong-case", "copied"):
        best = max(edit.accepted, key=shared)
        if shared(best) > shared(english) and len(best.split()) == len(found):
            return best
    dutch = len(split_words(edit.surface))
    if edit.variant and edit.pos == "properNoun" and len(english.split()) != dutch:
        # A name as short as the Dutch variant wrote it ("Minsk Groep" -> "Minsk Group").
        same = [t for t in edit.accepted if len(t.split()) == dutch and shared(t)]
        if same:
            return same[0]
    plural = bool(found) and found[-1].endswith("s") and not found[-1].endswith("ss")
    if plural and not _reads_plural(english):
        for term in edit.accepted:
            if term != english and _plural_of(term, english):
                return term
        if edit.pos == "properNoun":
            for term in edit.accepted:
                if term != english and term.endswith("s") and shared(term):
                    return term
    return english


def _bare_word(word: str) -> str:
    return word.lower().strip(".,;:!?\"'()").removesuffix("'s").removesuffix("’s")


def _plural_of(term: str, english: str) -> bool:
    """Whether `term` is `english` with one word in the plural ("prisoners of war")."""
    a, b = term.lower().split(), english.lower().split()
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and diff[0][0] in en.plural_forms(diff[0][1])


def inflected(edit: Edit) -> str:
    """The English of an edit with the grammar of what it replaces: plural,
    possessive and verb form (see the module doc)."""
    english = _closest(edit)
    if edit.inserted or not edit.found or edit.how in ("copied",):
        return english
    found = edit.found
    possessive = (
        _POSSESSIVE.search(found) if found[-2:] in ("'s", "’s") or found[-1:] in "'’" else None
    )
    core = found[: possessive.start()] if possessive else found
    words = split_words(core)
    if not words:
        return english
    if edit.pos == "verb":
        tag = en.verb_tag(words[0])
        if tag != "VB":
            first, _, rest = english.partition(" ")
            english = en.inflect_verb(first, tag) + (" " + rest if rest else "")
    elif edit.pos in ("noun", "") and not edit.keeps_case:
        plural = en.is_plural_noun(words[-1])
        if plural and not _reads_plural(english):
            from glossary.matching.verify import english_plural

            english = english_plural(english) or english
    if possessive:
        mark = possessive.group(1)
        apostrophe = mark[0]
        english += apostrophe if english.endswith("s") else apostrophe + "s"
    return english


def _reads_plural(english: str) -> bool:
    last = split_words(english)[-1] if split_words(english) else ""
    return last.lower().endswith("s") and en.is_plural_noun(last)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with every edit made (see `apply`)."""
    return apply(text, edits)[0]


def apply(text: str, edits: Sequence[Edit]) -> tuple[str, list[Applied]]:
    """`text` with every edit made, right to left, and each edit as made.

    Words are spaced, the article before the term agrees with it, the term
    is capitalised at a sentence start (except names and acronyms) and takes
    the plural, possessive or verb form of what it replaces.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end, e.occurrence), reverse=True)
    made: list[tuple[Edit, str, str, int, int]] = []
    for edit in ordered:
        left, right = text[: edit.start], text[edit.end :]
        before = text[edit.start : edit.end]
        english = inflected(edit)
        if english.lower().startswith(en.ARTICLE + " ") and _ARTICLE_BEFORE.search(left):
            left = _ARTICLE_BEFORE.sub("", left)
        if edit.start == edit.end:
            left, right = left.rstrip(), right.lstrip()
            if left and not left.endswith(("(", "\u201c", '"', "'", "\u2018")):
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
        article = _INDEFINITE_BEFORE.search(left)
        if article is not None:
            wanted = en.article_for(english)
            if wanted and article.group(1).lower() != wanted:
                written = wanted if article.group(1)[0].islower() else capitalised(wanted)
                left = left[: article.start(1)] + written + article.group(2)
        new = left + english + right
        shift = len(new) - len(text)  # edits made already lie to the right
        made = [(e, b, a, s + shift, t + shift) for e, b, a, s, t in made]
        text = new
        made.append((edit, before, english, len(left), len(left) + len(english)))
    applied = [Applied(e, b, a, s, t) for e, b, a, s, t in made]
    applied.sort(key=lambda a: a.start)
    return text, applied


def rendered(text: str, english: str, *, verb: bool = False) -> bool:
    """Whether `english` occurs in `text` (as the term matcher reads it)."""
    return bool(find_english(text, english, verb=verb))


def is_strong(edit: Edit) -> bool:
    return edit.score >= STRONG


__all__ = [
    "BLIND",
    "INSERTED",
    "Applied",
    "Edit",
    "Placement",
    "apply",
    "apply_edits",
    "at_sentence_start",
    "capitalised",
    "inflected",
    "plan_edits",
]
