"""Glossary enforcement: every approved term in every translation, and how it got there.

`Enforcer` is a translation strategy (`glossary.document.SegmentTranslator`)
that makes each translated segment contain the approved English of every
approved concept found in its Dutch source, keeps do-not-translate names,
keeps forbidden renderings out, and records for each occurrence which step
of a verify-then-repair cascade put the term there (`TermUse.step`):

1. "nbest": the first pass is the plain translation with an n-best list
   and the attention alignment; the best hypothesis that already has every
   term and no forbidden rendering wins.
2. "mask": re-decode with the Dutch terms replaced by their English in the
   source (code-switching) or by placeholders, then verify.
3. "prefix": force the terms with a target prefix (the hypothesis up to
   where the last term belongs, every term in its place) and let the model
   finish the sentence, then verify.
4. "replace": put each missing term where it belongs in the hypothesis: over
   a wrong-case or forbidden rendering, a copied Dutch term, or the span the
   attention aligns with the source term; else insert it next to the
   neighbouring words' translation or at the proportional position (said
   so in `TermUse.detail`). This step cannot fail.

Every re-decode suppresses the segment's forbidden renderings. Verification
is the terminology QA's own rule (`glossary.qa`): the English matcher,
case-insensitive (exact case for case-sensitive concepts), longest English
first, each target span used once. Segments without terms come out
identical to the plain translation (see `Enforcer._first_requests`).

Steps 2 and 3 re-decode whole sentences (CTranslate2 decodes a forced
prefix token by token), greedily, which costs about three first-pass
sentences each on 2 cores. They are limited to a share of each batch's
source text (`EnforceOptions.redecode_budget`), dropped for the run once a
probe shows they do not work on this model, and skipped for cheap cases (the
terms end the sentence; a copied Dutch term, a wrong-case term or a
forbidden rendering swapped like for like). `Enforcer.notes()` says what was
skipped and why; see the README, "Speed: the re-decode budget", for the measured trade-off.

`Hinter` is the strategy for `--engine none`: no translation, and each
occurrence as a hint ("OVSE → OSCE").
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from glossary.document import SegmentResult, TermStatus, TermUse
from glossary.engines.base import ArgosEngine, Engine, Hypothesis, Link, Request, make_signature
from glossary.errors import InvalidValue
from glossary.matching.matcher import Match, Matcher, find_english, head_index
from glossary.matching.verify import accepted_terms
from glossary.termbase.model import Concept

STEPS: tuple[str, ...] = ("nbest", "mask", "prefix", "replace")
_ANY_LENGTH = 1 << 16  # a length bucket that holds every sentence
# How `TermUse.detail` starts when a term was inserted rather than put in
# the place of a rendering (the report lists these for review); "inserted
# blindly" when nothing in the alignment said where it belongs.
INSERTED = "inserted"
BLIND = "inserted blindly"
MaskForm = Literal["term", "placeholder", "off"]
Span = tuple[int, int]


@dataclass(frozen=True)
class EnforceOptions:
    """How hard the enforcer tries before it replaces.

    - `n_best`: hypotheses asked for in the first pass (at most the beam
      size on an Argos engine, so the best one stays the plain translation).
    - `mask`: step 2's source form: "term" (the English term code-switched
      into the Dutch), "placeholder" (`TERM_1`, restored after decoding) or
      "off".
    - `prefix`: run step 3.
    - `redecode_budget`: steps 2 and 3 together re-decode at most this share
      of each batch's source characters (2.0: every failing segment gets
      both steps).
    - `probe`, `min_success`: a step is dropped for the rest of the run
      when fewer than `min_success` of its first `probe` attempts succeed.
    - `suppress_first_pass`: also pass each term segment's forbidden
      renderings to the first pass. Off by default: the first pass then is
      the plain translation (term segments share batches with the others;
      with suppression lists they split into more, smaller batches, 10-15 %
      slower on the seeds), a forbidden rendering it contains marks exactly
      where the term goes, and every re-decode suppresses them anyway.
    - `repair_beam`, `repair_bucket`: beam size of the re-decodes on an
      Argos engine (greedy), and the length bucket (tokens) that step 3's
      prefixes are batched by; step 2 batches any lengths together. A
      re-decode may thus depend on its batch mates (padding); the first
      pass never does.
    """

    n_best: int = 4
    mask: MaskForm = "term"
    prefix: bool = True
    redecode_budget: float = 0.05
    probe: int = 8
    min_success: float = 0.25
    suppress_first_pass: bool = False
    repair_beam: int = 1
    repair_bucket: int = 8

    def __post_init__(self) -> None:
        if self.n_best < 1:
            raise InvalidValue(f"n_best must be at least 1, not {self.n_best}.")
        if self.mask not in ("term", "placeholder", "off"):
            raise InvalidValue(f"mask must be term, placeholder or off, not {self.mask!r}.")
        if self.redecode_budget < 0.0:
            raise InvalidValue("The re-decode budget cannot be negative.")
        if self.probe < 1 or not 0.0 <= self.min_success <= 1.0:
            raise InvalidValue("probe must be at least 1 and min_success between 0 and 1.")
        if self.repair_beam < 1 or self.repair_bucket < 1:
            raise InvalidValue("repair_beam and repair_bucket must be at least 1.")


# ------------------------------------------------------------ occurrences


@dataclass(frozen=True)
class Occurrence:
    """One approved concept found in a source segment, and the English it needs.

    `english` is what enforcement writes: the concept's preferred English
    (`Concept.target`; for a do-not-translate name, the name as the termbase
    writes it), the English term itself when the Dutch source already uses
    it ("EU"), and the English plural when the Dutch is a plural.
    `accepted` is what counts as correct when verifying: every English term
    of the concept, and for a name the name as the source writes it, but
    never a forbidden rendering.
    """

    concept: Concept
    match: Match
    english: str
    accepted: tuple[str, ...]
    plural: bool = False
    note: str = ""  # e.g. why the plural could not be used

    @property
    def exact_case(self) -> bool:
        return self.concept.case_sensitive

    @property
    def keeps_case(self) -> bool:
        """Never capitalised at a sentence start (acronyms, names as written)."""
        return self.concept.case_sensitive or self.concept.dnt


_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")
_DUTCH_PLURAL_ENDINGS = ("en", "s", "'s", "\u2019s", "ën", "eren")
# English words that end the head of a multiword term ("prisoner of war").
_ENGLISH_PREPOSITIONS = frozenset(
    ("of", "for", "on", "in", "to", "with", "at", "from", "between", "against", "by", "under")
)
_VES = {
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "leaf": "leaves",
    "half": "halves",
    "self": "selves",
    "shelf": "shelves",
    "thief": "thieves",
    "wolf": "wolves",
    "calf": "calves",
}
_O_ES = frozenset(("hero", "potato", "tomato", "veto", "echo", "embargo", "torpedo"))
_NOT_MEN = frozenset(("human", "german", "roman", "shaman", "talisman", "caiman", "ottoman"))


def _fold(text: str) -> str:
    return " ".join(_WORD_SPLIT.split(text.casefold())).strip()


def english_plural_word(word: str) -> str | None:
    """The plural of an English noun, in the forms the term matcher reads
    (-s, -es, -ies, -ves, -men); the word itself when it already is one;
    None when unsure (acronyms, Latin and Greek plurals such as "crises")."""
    lower = word.lower()
    if not lower.isalpha() or not any(c.islower() for c in word):
        return None
    if lower.endswith(("is", "us", "ss")) and not lower.endswith("ss"):
        return None  # crisis/crises, status: not forms the matcher accepts
    if lower.endswith("s") and not lower.endswith("ss"):
        return word  # already plural: remains, measures, negotiations
    if lower in _VES:
        return word[0] + _VES[lower][1:]
    if lower.endswith("man") and lower not in _NOT_MEN and len(lower) > 4:
        return word[:-3] + word[-3] + "en"
    if lower.endswith(("ss", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower in _O_ES:
        return word + "es"
    return word + "s"


def english_plural(term: str) -> str | None:
    """The plural of an English term (its head noun), or None when the term
    matcher would not read the plural as the term.

    The head is the word before the first preposition ("prisoner of war"),
    else the last word. The matcher only reads plurals of the last word, so
    a head before a preposition gives None and the singular is kept.
    """
    words = term.split(" ")
    head = head_index(words, _ENGLISH_PREPOSITIONS)
    parts = re.split(r"(-)", words[head])
    plural = english_plural_word(parts[-1])
    if plural is None:
        return None
    words[head] = "".join(parts[:-1]) + plural
    result = " ".join(words)
    spans = find_english(result, term)
    return result if spans == [(0, len(result))] else None


def is_dutch_plural(concept: Concept, match: Match) -> bool:
    """Whether the source's inflected form of a noun term is its plural.

    Names, acronyms and non-nouns are never pluralised (an -s there is a
    genitive or an adjective ending). A word of the surface is the plural of
    the term's word when it is longer and ends in -en, -s, -'s, -ën, -eren
    ("vredesakkoorden", "covoorzitters", "staten"); adjectival -e on a
    modifier ("gewapende conflict") is not.
    """
    if not match.inflected or concept.dnt or concept.case_sensitive or concept.pos != "noun":
        return False
    surface = [w for w in _WORD_SPLIT.split(match.surface.casefold()) if w]
    term = [w for w in _WORD_SPLIT.split(match.term.casefold()) if w]
    if len(surface) == len(term):
        pairs = list(zip(surface, term, strict=True))
    else:  # joined vs spaced spellings: compare the ends
        pairs = [("".join(surface), "".join(term))]
    return any(s != t and len(s) > len(t) and s.endswith(_DUTCH_PLURAL_ENDINGS) for s, t in pairs)


def _same(a: str, b: str, exact: bool) -> bool:
    if exact:
        return " ".join(_WORD_SPLIT.split(a)) == " ".join(_WORD_SPLIT.split(b))
    return _fold(a) == _fold(b)


def occurrence(concept: Concept, match: Match) -> Occurrence:
    """What enforcement needs for one match of an approved concept."""
    forbidden = {_fold(f) for f in concept.en_forbidden}
    accepted = tuple(
        t for t in accepted_terms(concept, match.surface) if _fold(t) not in forbidden
    ) or (concept.target,)
    for term in concept.en_terms:
        if _same(term, match.surface, concept.case_sensitive):
            return Occurrence(concept, match, term, accepted)
    english = concept.target
    if is_dutch_plural(concept, match):
        plural = english_plural(english)
        if plural is not None:
            return Occurrence(concept, match, plural, accepted, plural=True)
        note = f"plural source, singular '{english}' kept (no plural the term matcher reads)"
        return Occurrence(concept, match, english, accepted, note=note)
    return Occurrence(concept, match, english, accepted)


def _forbidden_variants(text: str) -> list[str]:
    variants = [text, text.lower(), text[:1].upper() + text[1:]]
    return list(dict.fromkeys(v for v in variants if v.strip()))


def _inside_any(needle: str, haystacks: Iterable[str]) -> bool:
    """Whether `needle` is, or is a word sequence inside, any of `haystacks`."""
    folded = _fold(needle)
    pattern = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
    return any(pattern.search(_fold(h)) for h in haystacks)


class Glossary:
    """The approved concepts enforcement works with, compiled once."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = tuple(c for c in concepts if c.status == "approved" and c.en_terms)
        self.matcher = Matcher.build(self.concepts)
        self._by_id = {c.id: c for c in self.concepts}
        digest = hashlib.sha256()
        for c in self.concepts:
            digest.update(repr((c.id, c.nl_terms, c.en_terms, c.en_forbidden, c.dnt)).encode())
        self.digest = digest.hexdigest()[:8]

    def __len__(self) -> int:
        return len(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    def occurrences(self, text: str) -> tuple[Occurrence, ...]:
        """The approved terms of a source text, in text order."""
        return tuple(occurrence(self._by_id[m.concept_id], m) for m in self.matcher.find(text))

    def suppress(self, occurrences: Sequence[Occurrence]) -> tuple[str, ...]:
        """What the engine must not write for a segment with these
        occurrences: the forbidden renderings of its concepts as written, in
        lower case and capitalised, except what one of its concepts accepts
        ("European Council" is forbidden for "Raad van Europa" but is the
        English of "Europese Raad")."""
        accepted = tuple(sorted({t for o in occurrences for t in o.accepted}))
        concepts = tuple(sorted({o.concept.id for o in occurrences}))
        return self._suppress(concepts, accepted)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (few glossaries per process)
    def _suppress(self, concepts: tuple[str, ...], accepted: tuple[str, ...]) -> tuple[str, ...]:
        wanted = {
            variant
            for concept_id in concepts
            for bad in self._by_id[concept_id].en_forbidden
            for variant in _forbidden_variants(bad)
        }
        return tuple(sorted(w for w in wanted if not _inside_any(w, accepted)))


# ------------------------------------------------------------ verification


@dataclass(frozen=True)
class Check:
    """Which target span satisfies each occurrence, and forbidden renderings found.

    `spans[i]` is the span used for occurrence i (None if missing);
    `forbidden` holds (start, end, concept id) of renderings a concept of
    the segment forbids, outside every correct term.
    """

    spans: tuple[Span | None, ...]
    forbidden: tuple[tuple[int, int, str], ...] = ()
    wrong_case: tuple[tuple[int, int, int], ...] = ()  # (start, end, occurrence)

    @property
    def ok(self) -> bool:
        return all(s is not None for s in self.spans) and not self.forbidden

    @property
    def satisfied(self) -> int:
        return sum(s is not None for s in self.spans)

    @property
    def missing(self) -> list[int]:
        return [i for i, s in enumerate(self.spans) if s is None]


def _overlaps(span: Span, taken: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _case_ok(text: str, span: Span, terms: Sequence[str]) -> bool:
    found = " ".join(_WORD_SPLIT.split(text[span[0] : span[1]]))
    return any(found.startswith(" ".join(_WORD_SPLIT.split(t))) for t in terms)


def check(text: str, occurrences: Sequence[Occurrence]) -> Check:
    """Verify `text` as the terminology QA does (`glossary.qa.check_units`).

    Occurrences with the longest English first each take the longest, then
    leftmost, unused span of one of their accepted terms; a case-sensitive
    concept's span must have the term's exact case. Forbidden renderings of
    the segment's concepts count where they do not overlap a correct term.
    """
    order = sorted(range(len(occurrences)), key=lambda i: -max(map(len, occurrences[i].accepted)))
    spans: list[Span | None] = [None] * len(occurrences)
    taken: list[Span] = []
    allowed: list[Span] = []
    wrong_case: list[tuple[int, int, int]] = []
    for i in order:
        occ = occurrences[i]
        found = sorted(
            {s for term in occ.accepted for s in find_english(text, term)},
            key=lambda s: (s[0] - s[1], s[0]),
        )
        allowed.extend(found)
        for span in found:
            if _overlaps(span, taken):
                continue
            if occ.exact_case and not _case_ok(text, span, occ.accepted):
                wrong_case.append((span[0], span[1], i))
                continue
            spans[i] = span
            taken.append(span)
            break
    forbidden: list[tuple[int, int, str]] = []
    for concept in dict.fromkeys(o.concept for o in occurrences):
        for bad in concept.en_forbidden:
            for start, end in find_english(text, bad):
                if not _overlaps((start, end), allowed):
                    forbidden.append((start, end, concept.id))
    return Check(tuple(spans), tuple(sorted(set(forbidden))), tuple(wrong_case))


# ------------------------------------------------------------ placing terms


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


def _at_sentence_start(left: str) -> bool:
    return bool(_SENTENCE_END.search(left)) if left.strip() else True


def _capitalised(term: str) -> str:
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
    result: Check,
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
        if i in missing and i not in placed and not _overlaps((start, end), taken):
            take(i, (start, end), "wrong-case")
            placed.add(i)
    forbidden = list(result.forbidden)
    for i in missing:
        if i in placed:
            continue
        for start, end, concept_id in forbidden:
            if concept_id == occurrences[i].concept.id and not _overlaps((start, end), taken):
                take(i, (start, end), "forbidden")
                placed.add(i)
                break
    for i in missing:
        if i in placed:
            continue
        match = occurrences[i].match
        for dutch in dict.fromkeys((match.surface, match.term)):
            span = next(
                (s for s in find_english(text, dutch) if not _overlaps(s, taken)),
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
            if _overlaps(span, taken) or not any(c.isalnum() for c in text[span[0] : span[1]]):
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
        if (start, end) in used or _overlaps((start, end), [(e.start, e.end) for e in edits]):
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
        if english.lower().startswith("the ") and re.search(r"(?i)(?<!\w)the\s+$", left):
            left = re.sub(r"(?i)(?<!\w)the\s+$", "", left)
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
        if not edit.keeps_case and _at_sentence_start(left):
            english = _capitalised(english)
        text = left + english + right
    return text


# ------------------------------------------------------------ the cascade


@dataclass(frozen=True)
class StepNote:
    """How a repair step fared over a run: attempts, successes, and why
    segments did not get it."""

    step: str
    attempted: int = 0
    succeeded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> segments
    dropped: str = ""  # why the step was turned off for the run ("" if it was not)

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "attempted": self.attempted,
            "succeeded": self.succeeded,
            "skipped": dict(self.skipped),
            "dropped": self.dropped,
        }


@dataclass(eq=False)  # compared by identity
class _Work:
    """One term segment on its way through the cascade (private, mutable)."""

    text: str
    occurrences: tuple[Occurrence, ...]
    suppress: tuple[str, ...]
    base: Hypothesis
    base_check: Check
    final: str | None = None
    score: float | None = None
    steps: dict[int, str] = field(default_factory=dict)
    details: dict[int, list[str]] = field(default_factory=dict)
    edits: list[Edit] | None = None
    edited: str = ""
    # Why each re-decode step did not repair it (step -> reason).
    why_not: dict[str, str] = field(default_factory=dict)

    def note(self, i: int, text: str) -> None:
        self.details.setdefault(i, []).append(text)

    @property
    def tokens(self) -> int:
        """The base hypothesis's length in tokens (its aligned pieces) or a guess."""
        return len(self.base.alignment) or max(1, len(self.base.text) // 4)


class _Stats:
    def __init__(self) -> None:
        self.attempted = 0
        self.succeeded = 0
        self.skipped: dict[str, int] = {}
        self.dropped = ""

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


class Enforcer:
    """The enforcing translation strategy (see the module doc).

    Keeps statistics over the whole run (`notes()`): a step that its probe
    shows useless on this model is dropped for the following batches too.
    """

    def __init__(
        self,
        engine: Engine,
        glossary: Glossary,
        options: EnforceOptions | None = None,
    ) -> None:
        self.engine = engine
        self.glossary = glossary
        self.options = options or EnforceOptions()
        self._stats = {step: _Stats() for step in ("mask", "prefix")}

    @property
    def signature(self) -> str:
        glossary = make_signature(glossary="enforce", termbase=self.glossary.digest)
        return f"{self.engine.signature}|{glossary}"

    def notes(self) -> tuple[StepNote, ...]:
        return tuple(
            StepNote(step, s.attempted, s.succeeded, dict(s.skipped), s.dropped)
            for step, s in self._stats.items()
        )

    # -- the strategy

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        found = [self.glossary.occurrences(t) for t in texts]
        suppress = [self.glossary.suppress(occ) if occ else () for occ in found]
        first = self.engine.translate_batch(self._first_requests(texts, found, suppress))
        results: list[SegmentResult | None] = [None] * len(texts)
        work: list[tuple[int, _Work]] = []
        for i, (text, occ, sup, hyps) in enumerate(zip(texts, found, suppress, first, strict=True)):
            if not occ:
                results[i] = (
                    SegmentResult(hyps[0].text, hyps[0].score) if hyps else SegmentResult("")
                )
            else:
                work.append((i, self._nbest(text, occ, sup, hyps or [Hypothesis("")])))
        pending = [w for _, w in work if w.final is None]
        budget = self.options.redecode_budget * sum(len(t) for t in texts)
        if self.options.mask != "off":
            pending, budget = self._mask(pending, budget)
        else:
            self._stats["mask"].skip("turned off", len(pending))
            for w in pending:
                w.why_not["mask"] = "turned off"
        for w in pending:
            self._plan(w)
        if self.options.prefix:
            pending = self._prefix(pending, budget)
        else:
            self._stats["prefix"].skip("turned off", len(pending))
            for w in pending:
                w.why_not["prefix"] = "turned off"
        for w in pending:
            self._replace(w)
        for i, w in work:
            results[i] = self._result(w)
        return [r if r is not None else SegmentResult("") for r in results]

    def _first_requests(
        self,
        texts: Sequence[str],
        found: Sequence[tuple[Occurrence, ...]],
        suppress: Sequence[tuple[str, ...]],
    ) -> list[Request]:
        """The first pass: the plain translation, with an n-best list and the
        alignment for the segments that have terms.

        On an Argos engine every segment gets the same request shape, so
        they share batches: CTranslate2's beam search with a length penalty
        runs until `beam` hypotheses are finished whatever `num_hypotheses`
        is, and attention is only read out, so the best hypothesis is the
        plain translation. (Separate requests for term-free segments split
        the batches and cost 10-15 % on the seeds.) On other engines,
        term-free segments get exactly the plain request.
        """
        argos = self.engine if isinstance(self.engine, ArgosEngine) else None
        suppressing = self.options.suppress_first_pass
        shared = argos is not None and argos.options.length_penalty != 0 and not suppressing
        n_best = self.options.n_best
        if shared and argos is not None:
            n_best = min(n_best, argos.options.beam_size)
        return [
            Request(text, n_best=n_best, suppress=sup if suppressing else (), alignment=True)
            if occ or shared
            else Request(text)
            for text, occ, sup in zip(texts, found, suppress, strict=True)
        ]

    # -- step 1

    def _nbest(
        self,
        text: str,
        occurrences: tuple[Occurrence, ...],
        suppress: tuple[str, ...],
        hypotheses: Sequence[Hypothesis],
    ) -> _Work:
        checks = [check(h.text, occurrences) for h in hypotheses]
        best = max(
            range(len(hypotheses)),
            key=lambda k: (checks[k].ok, checks[k].satisfied, -len(checks[k].forbidden), -k),
        )
        work = _Work(text, occurrences, suppress, hypotheses[best], checks[best])
        for i, span in enumerate(checks[best].spans):
            if span is not None:
                work.steps[i] = "nbest"
                if best:
                    work.note(i, f"hypothesis {best + 1} of {len(hypotheses)}")
        if checks[best].ok:
            work.final, work.score = hypotheses[best].text, hypotheses[best].score
        return work

    # -- steps 2 and 3: budgeted, probed re-decodes

    def _run_probed(
        self,
        step: str,
        candidates: list[_Work],
        budget: float,
        decode: Callable[[list[_Work]], list[bool]],
    ) -> tuple[list[_Work], float]:
        """Re-decode candidates within the budget (each costs its source
        length), a probe first while the step is on probation; returns those
        still failing and the budget left. A step whose attempts succeed less
        often than `min_success` once `probe` were made is dropped."""
        stats = self._stats[step]
        failing: list[_Work] = []
        todo = list(candidates)

        def run(batch: list[_Work]) -> None:
            oks = decode(batch)
            stats.attempted += len(batch)
            stats.succeeded += sum(oks)
            failing.extend(w for w, ok in zip(batch, oks, strict=True) if not ok)
            if (
                not stats.dropped
                and stats.attempted >= self.options.probe
                and stats.succeeded < self.options.min_success * stats.attempted
            ):
                stats.dropped = (
                    f"{stats.succeeded} of {stats.attempted} re-decodes succeeded "
                    f"(needs {self.options.min_success:.0%})"
                )

        if not stats.dropped and stats.attempted < self.options.probe and todo:
            # Probe segments that share a suppression list: they share batches.
            groups: dict[tuple[str, ...], list[_Work]] = {}
            for w in todo:
                groups.setdefault(w.suppress, []).append(w)
            pool = max(groups.values(), key=len)
            picks = _spread(len(pool), self.options.probe - stats.attempted)
            probe, budget = _afford([pool[k] for k in picks], budget)
            todo = [w for w in todo if w not in probe]
            if probe:
                run(probe)
        if stats.dropped:
            stats.skip("dropped", len(todo))
            for w in todo:
                w.why_not[step] = f"dropped: {stats.dropped}"
            return failing + todo, budget
        chosen, budget = _afford(todo, budget)
        over = [w for w in todo if w not in chosen]
        stats.skip("budget", len(over))
        for w in over:
            w.why_not[step] = "re-decode budget used up"
        if chosen:
            run(chosen)
        for w in failing:
            w.why_not[step] = "tried, terms still missing"
        return failing + over, budget

    def _redecode(self, requests: list[Request], caps: list[int], bucket: int) -> list[Hypothesis]:
        """Decode repair requests: greedy and length-capped on an Argos engine,
        in batches of `bucket`-token length classes."""
        out: list[Hypothesis] = [Hypothesis("")] * len(requests)
        if not isinstance(self.engine, ArgosEngine):
            for k, hyps in enumerate(self.engine.translate_batch(requests)):
                out[k] = hyps[0] if hyps else Hypothesis("")
            return out
        # Caps in classes of 16 tokens, each class decoded with its longest
        # cap: a batch runs as long as its longest cap, and batching several
        # sentences costs little more than one (one class for all: +20 % on
        # step 3 of the benchmark; exact caps: many more, smaller batches).
        groups: dict[int, list[int]] = {}
        for k, cap in enumerate(caps):
            groups.setdefault(-(-cap // 16), []).append(k)
        for _, members in sorted(groups.items()):
            cap = max(caps[k] for k in members)
            view = _repair_view(self.engine, self.options, cap, bucket)
            decoded = view.translate_batch([requests[k] for k in members])
            for k, h in zip(members, decoded, strict=True):
                out[k] = h[0] if h else Hypothesis("")
        return out

    def _mask(self, pending: list[_Work], budget: float) -> tuple[list[_Work], float]:
        form = self.options.mask

        def decode(batch: list[_Work]) -> list[bool]:
            requests, caps, holders = [], [], []
            for w in batch:
                masked, holder = _masked_source(w.text, w.occurrences, form)
                requests.append(Request(masked, suppress=w.suppress))
                caps.append(math.ceil(1.25 * w.tokens) + 3)
                holders.append(holder)
            oks = []
            decoded = self._redecode(requests, caps, _ANY_LENGTH)
            for w, hyp, holder in zip(batch, decoded, holders, strict=True):
                text = _restore(hyp.text, holder, w.occurrences)
                result = check(text, w.occurrences)
                if result.ok:
                    w.final, w.score = text, None
                    how = (
                        "decoded with the English term in the source"
                        if form == "term"
                        else "decoded with a placeholder in the source"
                    )
                    for i in range(len(w.occurrences)):
                        if i not in w.steps:
                            w.steps[i] = "mask"
                            w.note(i, how)
                oks.append(result.ok)
            return oks

        return self._run_probed("mask", pending, budget, decode)

    def _plan(self, w: _Work) -> None:
        """Step 4's edits of the base hypothesis (step 3 builds its prefix from them)."""
        edits = plan_edits(w.base.text, w.text, w.occurrences, w.base_check, w.base.alignment)
        w.edits = edits
        w.edited = apply_edits(w.base.text, edits)

    def _prefix(self, pending: list[_Work], budget: float) -> list[_Work]:
        stats = self._stats["prefix"]
        candidates: list[tuple[_Work, str, int]] = []
        rest: list[_Work] = []
        for w in pending:
            result = check(w.edited, w.occurrences)
            ends = [s[1] for s in result.spans if s is not None]
            edits = w.edits or []
            if not result.ok or not ends:
                rest.append(w)  # step 4 will need more than these edits
                continue
            end = max(ends)
            tail = w.edited[end:]
            if not re.search(r"\w", tail):
                w.why_not["prefix"] = "cheap case: the terms end the sentence"
                stats.skip("cheap", 1)
                rest.append(w)
            elif edits and all(e.how in ("wrong-case", "forbidden", "copied") for e in edits):
                w.why_not["prefix"] = "cheap case: a like-for-like swap"
                stats.skip("cheap", 1)
                rest.append(w)
            else:
                candidates.append((w, w.edited[:end], end))
        # Blind insertions gain most from the model finishing the sentence.
        candidates.sort(key=lambda c: not any(e.inserted for e in c[0].edits or []))
        prefixes = {id(w): (prefix, end) for w, prefix, end in candidates}

        def decode(batch: list[_Work]) -> list[bool]:
            requests, caps = [], []
            for w in batch:
                prefix, end = prefixes[id(w)]
                requests.append(Request(w.text, prefix=prefix, suppress=w.suppress))
                per_token = max(1.0, len(w.base.text) / w.tokens)
                tail_tokens = (len(w.edited) - end) / per_token
                caps.append(math.ceil(1.25 * tail_tokens) + 3)
            oks = []
            decoded = self._redecode(requests, caps, self.options.repair_bucket)
            for w, hyp in zip(batch, decoded, strict=True):
                prefix, _ = prefixes[id(w)]
                text = _unglue(hyp.text, prefix, w.occurrences)
                result = check(text, w.occurrences)
                if result.ok:
                    w.final, w.score = text, hyp.score
                    for e in w.edits or []:
                        if e.occurrence >= 0 and e.occurrence not in w.steps:
                            w.steps[e.occurrence] = "prefix"
                            w.note(e.occurrence, "forced in the prefix: " + e.describe())
                        elif e.occurrence < 0:
                            _note_concept(w, e)
                oks.append(result.ok)
            return oks

        failing, _ = self._run_probed("prefix", [c[0] for c in candidates], budget, decode)
        return rest + failing

    # -- step 4

    def _replace(self, w: _Work) -> None:
        if w.edits is None:
            self._plan(w)
        text = w.edited
        edits = list(w.edits or [])
        result = check(text, w.occurrences)
        # Placing one term can take a span another was counted on (a longer
        # English term built around it); place what is still missing again.
        for _ in range(3):
            if result.ok:
                break
            more = plan_edits(text, w.text, w.occurrences, result, ())
            edits += more
            text = apply_edits(text, more)
            result = check(text, w.occurrences)
        w.final, w.score = text, None
        for e in edits:
            if e.occurrence < 0:
                _note_concept(w, e)
            elif e.occurrence not in w.steps and result.spans[e.occurrence] is not None:
                w.steps[e.occurrence] = "replace"
                w.note(e.occurrence, e.describe())
        if w.why_not:
            why = "; ".join(f"{step} {reason}" for step, reason in w.why_not.items())
            for i, step in w.steps.items():
                if step == "replace":
                    w.note(i, f"not re-decoded: {why}")

    def _result(self, w: _Work) -> SegmentResult:
        text = w.final if w.final is not None else w.base.text
        result = check(text, w.occurrences)
        uses = []
        for i, occ in enumerate(w.occurrences):
            span = result.spans[i]
            details = [occ.note] if occ.note and w.steps.get(i) in ("prefix", "replace") else []
            details += w.details.get(i, [])
            status: TermStatus
            if span is None:
                status, step = "failed", ""
                details.append("not found in the translation after every step")
            else:
                status, step = "enforced", w.steps.get(i, "nbest")
            uses.append(
                TermUse(
                    occ.concept.id,
                    occ.match.surface,
                    occ.match.start,
                    occ.match.end,
                    text[span[0] : span[1]] if span else occ.english,
                    status,
                    step,
                    span[0] if span else -1,
                    span[1] if span else -1,
                    occ.concept.dnt,
                    "; ".join(details),
                )
            )
        if result.forbidden and uses:
            bad = ", ".join(repr(text[s:e]) for s, e, _ in result.forbidden)
            first = uses[0]
            uses[0] = dataclasses.replace(
                first, detail="; ".join(filter(None, [first.detail, f"forbidden left: {bad}"]))
            )
        return SegmentResult(text, w.score, tuple(uses))


def _note_concept(w: _Work, edit: Edit) -> None:
    """Note a forbidden rendering replaced outside any occurrence on the
    concept's first occurrence."""
    for i, occ in enumerate(w.occurrences):
        if occ.concept.id == edit.concept_id:
            w.note(i, edit.describe())
            return


def _afford(candidates: list[_Work], budget: float) -> tuple[list[_Work], float]:
    """The candidates that fit the budget, in order, and the budget left."""
    chosen = []
    for w in candidates:
        if len(w.text) <= budget:
            chosen.append(w)
            budget -= len(w.text)
    return chosen, budget


def _spread(count: int, want: int) -> list[int]:
    """`want` indices spread evenly over range(count)."""
    if want >= count:
        return list(range(count))
    if want == 1:
        return [0]
    return sorted({round(k * (count - 1) / (want - 1)) for k in range(want)})


def _repair_view(
    engine: ArgosEngine, options: EnforceOptions, cap: int, bucket: int
) -> ArgosEngine:
    """The same loaded model, decoding with `options.repair_beam` and at most
    `cap` tokens after the prefix (the prefix rounded up to `bucket`).

    The engine takes its decoding options per engine, not per request;
    `ArgosEngine.with_options` gives a view that shares the loaded model.
    With a length ratio of 0 the cap does not
    depend on the source, so requests without a prefix can share batches
    whatever their length.
    """
    return engine.with_options(
        beam_size=options.repair_beam,
        length_bucket=max(engine.options.length_bucket, bucket),
        max_length_ratio=0.0,
        max_length_extra=cap,
    )


def _masked_source(
    text: str, occurrences: Sequence[Occurrence], form: MaskForm
) -> tuple[str, dict[str, int]]:
    """The source with each term replaced by its English (or a placeholder)."""
    holders: dict[str, int] = {}
    for i in sorted(range(len(occurrences)), key=lambda k: -occurrences[k].match.start):
        occ = occurrences[i]
        left = text[: occ.match.start]
        if form == "placeholder":
            mask = f"TERM_{i + 1}"
            holders[mask] = i
        else:
            mask = occ.english
            if not occ.keeps_case and _at_sentence_start(left):
                mask = _capitalised(mask)
        text = left + mask + text[occ.match.end :]
    return text, holders


def _restore(text: str, holders: dict[str, int], occurrences: Sequence[Occurrence]) -> str:
    """Placeholders in a translation replaced by their English terms."""
    for mask, i in holders.items():
        occ = occurrences[i]
        pattern = re.compile(re.escape(mask).replace("_", "[_ ]?"), re.IGNORECASE)
        while (found := pattern.search(text)) is not None:
            left = text[: found.start()]
            english = occ.english
            if not occ.keeps_case and _at_sentence_start(left):
                english = _capitalised(english)
            text = left + english + text[found.end() :]
    return text


def _unglue(text: str, prefix: str, occurrences: Sequence[Occurrence]) -> str:
    """Separate the model's continuation from the last forced term when it
    glued a word onto it that the term matcher does not read as the term."""
    cut = len(prefix)
    glued = cut < len(text) and text[cut].isalnum() and not prefix[-1:].isspace()
    if glued and not check(text, occurrences).ok:
        return text[:cut] + " " + text[cut:]
    return text


# ------------------------------------------------------------ hints only


class Hinter:
    """No enforcement: the engine's translation with each occurrence as a hint.

    For `--engine none`, where translators work by hand: every segment
    carries its approved terms (`TermUse` status "hint").
    """

    def __init__(self, engine: Engine, glossary: Glossary) -> None:
        self.engine = engine
        self.glossary = glossary

    @property
    def signature(self) -> str:
        glossary = make_signature(glossary="hints", termbase=self.glossary.digest)
        return f"{self.engine.signature}|{glossary}"

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        out = self.engine.translate_batch([Request(t) for t in texts])
        results = []
        for text, hyps in zip(texts, out, strict=True):
            best = hyps[0] if hyps else Hypothesis("")
            hints = tuple(
                TermUse(
                    o.concept.id,
                    o.match.surface,
                    o.match.start,
                    o.match.end,
                    o.english,
                    "hint",
                    dnt=o.concept.dnt,
                    detail=o.note,
                )
                for o in self.glossary.occurrences(text)
            )
            results.append(SegmentResult(best.text, best.score, hints))
        return results
