"""Is a term rendered here? The verification rule every part of glossary shares.

Enforcement (`glossary.enforcement`), terminology QA (`glossary.qa`) and
anything else that asks whether a translation renders the approved terms of
its source use this module, so they always agree:

1. `Glossary(concepts).occurrences(source)`: the approved concepts found in
   a Dutch source by the one matcher (`glossary.matching.matcher`), each an
   `Occurrence` with the English that counts as correct (`accepted`: every
   English term of the concept, for a do-not-translate name also the name
   as the source writes it, never a forbidden rendering) and the English to
   write when it must be put in (`english`: the preferred term, the English
   plural for a Dutch plural, the English term itself when the Dutch source
   already uses it).
2. `verify(target, occurrences)`: which span of the target renders each
   occurrence.
   - Accepted English is found by `matcher.find_english`: whole tokens,
     hyphen or space between words, English plural and possessive forms,
     case-insensitive, except that a case-sensitive concept ("OSCE") needs
     its exact case ("osce" is a wrong-case rendering, not the term).
   - Each target span serves one occurrence. Spans are handed out longest
     first, then leftmost, so a term swallowed inside another concept's
     longer English is not counted again: for "De Minsk Groep en de OVSE"
     the "OSCE" inside "OSCE Minsk Group" belongs to the Minsk Group, and
     the OSCE is missing. (When two occurrences want the same span, the one
     with fewer places to go gets it, then the first in the source.)
   - A forbidden rendering of a concept of the segment is reported where it
     is not inside some accepted English ("agreement" inside "peace
     agreement" is fine); accepted English inside a longer forbidden
     rendering does not count ("remains" inside "material remains" is no
     rendering of "stoffelijk overschot": the longer span wins either way).

`Verification` gives, per occurrence (`TermCheck`), the span used, the
wrong-case renderings found where the term is missing, and the forbidden
renderings of its concept; and for the segment the forbidden renderings
with their concept.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from glossary.lang import en, nl
from glossary.lang.text import fold_words, head_index, spaced, split_words
from glossary.matching.matcher import Match, Matcher, find_english
from glossary.termbase.model import Concept

Span = tuple[int, int]


def accepted_terms(concept: Concept, surface: str = "") -> tuple[str, ...]:
    """The English that counts as correct for a concept found as `surface`,
    forbidden renderings included (see `Occurrence.accepted` for the rule)."""
    terms = list(concept.en_terms)
    if concept.dnt and surface and surface not in terms:
        terms.append(surface)  # the name copied exactly as the source writes it
    return tuple(terms)


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


def english_plural(term: str) -> str | None:
    """The plural of an English term (its head noun), or None when the term
    matcher would not read the plural as the term.

    The head is the word before the first preposition ("prisoner of war"),
    else the last word. The matcher only reads plurals of the last word, so
    a head before a preposition gives None and the singular is kept.
    """
    words = term.split(" ")
    head = head_index(words, en.PREPOSITIONS)
    parts = re.split(r"(-)", words[head])
    plural = en.plural(parts[-1])
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
    surface = split_words(match.surface.casefold())
    term = split_words(match.term.casefold())
    if len(surface) == len(term):
        pairs = list(zip(surface, term, strict=True))
    else:  # joined vs spaced spellings: compare the ends
        pairs = [("".join(surface), "".join(term))]
    return any(nl.is_plural_form(s, t) for s, t in pairs)


def _same(a: str, b: str, exact: bool) -> bool:
    return spaced(a) == spaced(b) if exact else fold_words(a) == fold_words(b)


def occurrence(concept: Concept, match: Match) -> Occurrence:
    """What verification and enforcement need for one match of an approved concept."""
    forbidden = {fold_words(f) for f in concept.en_forbidden}
    accepted = tuple(
        t for t in accepted_terms(concept, match.surface) if fold_words(t) not in forbidden
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
    folded = fold_words(needle)
    pattern = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
    return any(pattern.search(fold_words(h)) for h in haystacks)


class Glossary:
    """The approved concepts (with English) that translations must render, compiled once."""

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
        """What a translation engine must not write for a segment with these
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
class TermCheck:
    """How one occurrence is rendered in a translation.

    `span`: the target span that renders it (None: missing).
    `wrong_case`: for a missing case-sensitive term, its English found in
    another case ("Osce" for "OSCE").
    `forbidden`: forbidden renderings of its concept in the target, outside
    every accepted English of the segment.
    """

    span: Span | None
    wrong_case: tuple[Span, ...] = ()
    forbidden: tuple[Span, ...] = ()

    @property
    def found(self) -> bool:
        return self.span is not None


@dataclass(frozen=True)
class Verification:
    """The verdict on one translated segment: a `TermCheck` per occurrence,
    and the forbidden renderings found as (start, end, concept id), once each."""

    terms: tuple[TermCheck, ...]
    forbidden: tuple[tuple[int, int, str], ...] = ()

    @property
    def spans(self) -> tuple[Span | None, ...]:
        return tuple(t.span for t in self.terms)

    @property
    def ok(self) -> bool:
        """Every occurrence rendered and no forbidden rendering."""
        return all(t.span is not None for t in self.terms) and not self.forbidden

    @property
    def satisfied(self) -> int:
        return sum(t.span is not None for t in self.terms)

    @property
    def missing(self) -> list[int]:
        return [i for i, t in enumerate(self.terms) if t.span is None]

    @property
    def wrong_case(self) -> tuple[tuple[int, int, int], ...]:
        """(start, end, occurrence index) of every wrong-case rendering."""
        return tuple((s, e, i) for i, t in enumerate(self.terms) for s, e in t.wrong_case)


def overlaps(span: Span, taken: Iterable[Span]) -> bool:
    """Whether `span` shares a character with any of `taken`."""
    return any(span[0] < end and start < span[1] for start, end in taken)


def _case_ok(text: str, span: Span, terms: Sequence[str]) -> bool:
    found = spaced(text[span[0] : span[1]])
    return any(found.startswith(spaced(t)) for t in terms)


def _inside_longer(span: Span, spans: Iterable[tuple[int, int, str]]) -> bool:
    """Whether `span` lies inside a strictly longer one of `spans`."""
    return any(
        start <= span[0] and span[1] <= end and end - start > span[1] - span[0]
        for start, end, _ in spans
    )


def verify(text: str, occurrences: Sequence[Occurrence]) -> Verification:
    """Which span of `text` renders each occurrence, and the forbidden renderings.

    Every span of every occurrence's accepted English is a candidate; they
    are handed out longest first, then leftmost, each to one occurrence that
    has none yet, never overlapping one already handed out. A case-sensitive
    concept's span must have the term's exact case (else it is noted as
    wrong case). Forbidden renderings of the segment's concepts count where
    they do not overlap any accepted English. Between the two, the longer
    span wins: "agreement" inside the accepted "peace agreement" is no
    forbidden rendering, and "remains" inside the forbidden "material
    remains" renders nothing.
    """
    bad = [
        (start, end, concept.id)
        for concept in dict.fromkeys(o.concept for o in occurrences)
        for term in concept.en_forbidden
        for start, end in find_english(text, term)
    ]
    candidates: list[tuple[Span, int]] = []
    allowed: list[Span] = []
    for i, occ in enumerate(occurrences):
        found = {
            s
            for term in occ.accepted
            for s in find_english(text, term)
            if not _inside_longer(s, bad)  # "remains" in the forbidden "material remains"
        }
        allowed.extend(found)
        candidates.extend((span, i) for span in found)
    places = Counter(i for _, i in candidates)
    candidates.sort(key=lambda c: (c[0][0] - c[0][1], c[0][0], places[c[1]], c[1]))
    spans: list[Span | None] = [None] * len(occurrences)
    wrong: dict[int, list[Span]] = {}
    taken: list[Span] = []
    for span, i in candidates:
        if spans[i] is not None or overlaps(span, taken):
            continue
        occ = occurrences[i]
        if occ.exact_case and not _case_ok(text, span, occ.accepted):
            wrong.setdefault(i, []).append(span)
            continue
        spans[i] = span
        taken.append(span)
    forbidden = {
        (start, end, cid) for start, end, cid in bad if not overlaps((start, end), allowed)
    }
    found_forbidden = tuple(sorted(forbidden))
    terms = tuple(
        TermCheck(
            span,
            tuple(sorted(wrong.get(i, ()))) if span is None else (),
            tuple((s, e) for s, e, c in found_forbidden if c == occ.concept.id),
        )
        for i, (occ, span) in enumerate(zip(occurrences, spans, strict=True))
    )
    return Verification(terms, found_forbidden)
