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

import dataclasses
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from glossary.lang import en, nl
from glossary.lang.text import fold_words, head_index, spaced, split_words, strip_accents
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
    compound: bool = False  # the term is the head of a closed Dutch compound

    @property
    def verb(self) -> bool:
        """A verb term: its English is found in every verb form ("recognised")."""
        return self.concept.pos == "verb"

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


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and " " not in text.strip() and all(c.isupper() for c in letters)


def _shaped(concept: Concept, surface: str, english: str) -> str:
    """The English in the shape of the Dutch as written: an acronym for an
    acronym ("VN" -> "UN"), a full form for a full form ("Organisatie voor
    Veiligheid en Samenwerking in Europa" -> "Organization for Security and
    Co-operation in Europe" rather than "OSCE")."""
    words = len(split_words(surface))
    if _is_acronym(surface) and not _is_acronym(english):
        return next((t for t in concept.en_terms if _is_acronym(t)), english)
    if words >= 3 and _is_acronym(english):
        full = [t for t in concept.en_terms if len(split_words(t)) >= 3]
        if full:
            return full[0]
    if concept.pos == "properNoun" and words == 1 and len(split_words(english)) != words:
        # A surname alone as the Dutch wrote it ("Poetin" -> "Putin").
        same = [t for t in concept.en_terms if len(split_words(t)) == words and not _is_acronym(t)]
        if same and surface != concept.nl:
            return same[0]
    return english


def occurrence(
    concept: Concept, match: Match, derived: Sequence[str] = (), *, compound: bool = False
) -> Occurrence:
    """What verification and enforcement need for one match of an approved concept.

    `derived`: the English of adjectives derived from the concept's name
    ("Armenian" for "Armenia"), accepted too: "the Armenian government"
    renders "de regering van Armenië".
    """
    forbidden = {fold_words(f) for f in concept.en_forbidden}
    accepted = tuple(
        t for t in accepted_terms(concept, match.surface) if fold_words(t) not in forbidden
    ) or (concept.target,)
    accepted += tuple(d for d in derived if d not in accepted)
    for term in concept.en_terms:
        if _same(term, match.surface, concept.case_sensitive):
            return Occurrence(concept, match, term, accepted, compound=compound)
    english = _shaped(concept, match.surface, concept.target)
    if is_dutch_plural(concept, match):
        plural = english_plural(english)
        if plural is not None:
            return Occurrence(concept, match, plural, accepted, plural=True, compound=compound)
        note = f"plural source, singular '{english}' kept (no plural the term matcher reads)"
        return Occurrence(concept, match, english, accepted, note=note, compound=compound)
    return Occurrence(concept, match, english, accepted, compound=compound)


def _forbidden_variants(text: str) -> list[str]:
    variants = [text, text.lower(), text[:1].upper() + text[1:]]
    return list(dict.fromkeys(v for v in variants if v.strip()))


def _inside_any(needle: str, haystacks: Iterable[str]) -> bool:
    """Whether `needle` is, or is a word sequence inside, any of `haystacks`."""
    folded = fold_words(needle)
    pattern = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
    return any(pattern.search(fold_words(h)) for h in haystacks)


@dataclass(frozen=True)
class Compound:
    """A term inside a closed Dutch compound ("vredesakkoordonderhandelingen").

    `head`: the term is the compound's last part ("artilleriebeschietingen"),
    so the English must have it too (enforced and checked as an occurrence);
    else the term is a modifier, not enforced: check it by hand.
    """

    concept: Concept
    start: int
    end: int
    surface: str
    term: str
    head: bool

    def describe(self) -> str:
        where = "the head of" if self.head else "inside"
        return f"'{self.term}' is {where} the compound '{self.surface}'" + (
            "" if self.head else ": not enforced, check by hand"
        )


@dataclass(frozen=True)
class Scan:
    """What a source segment holds: the occurrences to render, the matches
    left out because they are part of a name ("Frans" in "Frans
    Timmermans"), and terms inside closed compounds."""

    occurrences: tuple[Occurrence, ...]
    names: tuple[tuple[Match, str], ...] = ()  # (match, the name it is part of)
    compounds: tuple[Compound, ...] = ()


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_COMPOUND_MIN = 9  # a closed compound holding a term is at least this long
_PART_MIN = 3  # the other part of a compound: at least this many letters
_PART_ZIPF = 2.0  # ... and a Dutch word at least this frequent
_HEAD_MIN = 7  # a term as a compound's head: at least this long ("hamburger" is no burger)


class Glossary:
    """The approved concepts (with English) that translations must render, compiled once."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = tuple(c for c in concepts if c.status == "approved" and c.en_terms)
        self.matcher = Matcher.build(self.concepts)
        self._by_id = {c.id: c for c in self.concepts}
        self._derived = _derived_adjectives(self.concepts)
        digest = hashlib.sha256()
        for c in self.concepts:
            digest.update(repr((c.id, c.nl_terms, c.en_terms, c.en_forbidden, c.dnt)).encode())
        self.digest = digest.hexdigest()[:8]

    def __len__(self) -> int:
        return len(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    def occurrences(self, text: str) -> tuple[Occurrence, ...]:
        """The approved terms of a source text that a translation must render,
        in text order (see `scan`)."""
        return self.scan(text).occurrences

    @functools.lru_cache(maxsize=8192)  # noqa: B019 (few glossaries per process)
    def scan(self, text: str) -> Scan:
        """The approved terms of a source text, in text order: the matcher's
        occurrences, less those that are part of a capitalised name ("Frans"
        in "Frans Timmermans" is no adjective), plus the heads of closed
        compounds; and the names and compounds left out."""
        matches = self.matcher.find(text)
        kept: list[Occurrence] = []
        names: list[tuple[Match, str]] = []
        for m in matches:
            name = _name_around(text, m, matches, self._by_id[m.concept_id])
            if name:
                names.append((m, name))
                continue
            kept.append(
                occurrence(self._by_id[m.concept_id], m, self._derived.get(m.concept_id, ()))
            )
        compounds = self._compounds(text, matches)
        for c in compounds:
            if c.head:
                match = Match(c.concept.id, c.start, c.end, c.surface, c.term, inflected=True)
                occ = occurrence(
                    c.concept, match, self._derived.get(c.concept.id, ()), compound=True
                )
                kept.append(dataclasses.replace(occ, note=c.describe()))
        kept.sort(key=lambda o: (o.match.start, -o.match.end))
        return Scan(tuple(kept), tuple(names), tuple(compounds))

    @functools.cached_property
    def _compound_forms(self) -> dict[str, tuple[Concept, str]]:
        """Folded one-word Dutch forms (inflected too) -> (concept, term), for
        finding terms inside closed compounds: no names, acronyms or short terms."""
        forms: dict[str, tuple[Concept, str]] = {}
        for concept in self.concepts:
            if concept.dnt or concept.case_sensitive:
                continue
            for term in concept.nl_terms:
                if " " in term or "-" in term or len(term) < 5:
                    continue
                for form in nl.term_forms(term):
                    forms.setdefault(strip_accents(form.casefold()), (concept, term))
        return forms

    def _compounds(self, text: str, matches: Sequence[Match]) -> tuple[Compound, ...]:
        forms = self._compound_forms
        if not forms:
            return ()
        found: list[Compound] = []
        for word in _WORD.finditer(text):
            surface = word.group(0)
            if len(surface) < _COMPOUND_MIN or "-" in surface:
                continue
            if any(m.start < word.end() and word.start() < m.end for m in matches):
                continue
            for concept, term, head in _split_compound(strip_accents(surface.casefold()), forms):
                found.append(Compound(concept, word.start(), word.end(), surface, term, head))
        return tuple(found)

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


def _derived_adjectives(concepts: Sequence[Concept]) -> dict[str, tuple[str, ...]]:
    """For each proper noun, the English of the adjectives derived from it in
    the termbase ("Armenia" -> "Armenian", "Azerbaijan" -> "Azerbaijani"):
    an adjective concept whose English starts with the noun's English (less
    a final vowel) and whose Dutch starts like the noun's Dutch."""
    adjectives = [c for c in concepts if c.pos == "adjective"]
    derived: dict[str, tuple[str, ...]] = {}
    for concept in concepts:
        if concept.pos != "properNoun" or " " in concept.target or len(concept.target) < 4:
            continue
        stem = concept.target.rstrip("aeiou") if len(concept.target) > 5 else concept.target
        dutch = strip_accents(concept.nl.casefold())[:4]
        found = tuple(
            term
            for adjective in adjectives
            if strip_accents(adjective.nl.casefold()).startswith(dutch)
            for term in adjective.en_terms
            if term != concept.target and term.startswith(stem)
        )
        if found:
            derived[concept.id] = found
    return derived


_CAPITALISED = re.compile(r"[A-Z\u00c0-\u00de][\w'’-]*")


def _name_around(text: str, match: Match, matches: Sequence[Match], concept: Concept) -> str:
    """The capitalised name a match is part of ("Frans Timmermans"), or "".

    Only for a one-word term of a concept that is not itself a name (an
    adjective, a noun): written with a capital and directly followed or
    preceded (after one space, not at a sentence start) by a capitalised
    word that is no term.
    """
    if concept.dnt or concept.pos == "properNoun" or " " in match.surface:
        return ""
    if not match.surface[:1].isupper() or concept.case_sensitive:
        return ""
    taken = [(m.start, m.end) for m in matches if m is not match]
    after = (
        _CAPITALISED.match(text, match.end + 1) if text[match.end : match.end + 1] == " " else None
    )
    if after is not None and not any(s <= after.start() < e for s, e in taken):
        return text[match.start : after.end()]
    if match.start >= 2 and text[match.start - 1] == " ":
        before = re.search(r"([A-Z\u00c0-\u00de][\w'’-]*)$", text[: match.start - 1])
        if before is not None and not any(s <= before.start() < e for s, e in taken):
            left = text[: before.start()].rstrip()
            if left and left[-1] not in '.!?:;"\u201c(':
                return text[before.start() : match.end]
    return ""


def _split_compound(
    word: str, forms: dict[str, tuple[Concept, str]]
) -> list[tuple[Concept, str, bool]]:
    """Terms at the end (the head) and at the start (a modifier) of a closed
    compound whose other part is a known Dutch word (a linking s or e
    allowed), the longest of each: "vredesakkoordonderhandelingen" has the
    head "onderhandelingen" and the modifier "vredesakkoord"."""
    found: list[tuple[Concept, str, bool]] = []
    for size in range(len(word) - _PART_MIN, _HEAD_MIN - 1, -1):
        head = forms.get(word[-size:])
        if head is not None:
            rest = word[:-size]
            if _is_part(rest) or (rest[-1:] in "se" and _is_part(rest[:-1])):
                found.append((head[0], head[1], True))
                break
    for size in range(len(word) - _PART_MIN, 4, -1):
        modifier = forms.get(word[:size])
        if modifier is not None:
            rest = word[size:]
            if any(rest.startswith(k) and _is_part(rest[len(k) :]) for k in ("", "s", "e", "en")):
                if not found or found[0][0] is not modifier[0]:
                    found.append((modifier[0], modifier[1], False))
                break
    return found


def _is_part(word: str) -> bool:
    return len(word) >= _PART_MIN and nl.zipf(word) >= _PART_ZIPF


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
    # Forbidden renderings beyond the concept's missing occurrences: ordinary words.
    stray: tuple[tuple[int, int, str], ...] = ()

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
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", found):
        found = found.replace(".", "")  # "U.S." is "US"
    return any(found.startswith(spaced(t)) for t in terms)


def _inside_longer(span: Span, spans: Iterable[tuple[int, int, str]]) -> bool:
    """Whether `span` lies inside a strictly longer one of `spans`."""
    return any(
        start <= span[0] and span[1] <= end and end - start > span[1] - span[0]
        for start, end, _ in spans
    )


def _forbidden_spans(text: str, concept: Concept) -> list[Span]:
    """Forbidden renderings of a concept in `text`; with their exact case for a
    case-sensitive concept ("Concerns" for "Betreft", not the word "concerns")."""
    spans: set[Span] = set()
    for bad in concept.en_forbidden:
        for start, end in find_english(text, bad):
            if concept.case_sensitive and not spaced(text[start:end]).startswith(spaced(bad)):
                continue
            spans.add((start, end))
    return sorted(spans)


def verify(
    text: str,
    occurrences: Sequence[Occurrence],
    pinned: Mapping[int, Span] | None = None,
) -> Verification:
    """Which span of `text` renders each occurrence, and the forbidden renderings.

    Every span of every occurrence's accepted English is a candidate; they
    are handed out longest first, then leftmost, each to one occurrence that
    has none yet, never overlapping one already handed out. A case-sensitive
    concept's span must have the term's exact case (else it is noted as
    wrong case). `pinned` gives some occurrences their span beforehand (an
    edit that put the term there), so two occurrences with the same English
    never swap spans.

    A forbidden rendering of a concept of the segment counts where it does
    not overlap any accepted English and where it can be the rendering of an
    occurrence the target misses: as many as the concept has missing
    occurrences, the first ones in the text. The others are ordinary words
    ("the Netherlands ... Holland" with one Nederland in the source) and are
    listed as `stray`. Between an accepted and a forbidden span, the longer wins: "agreement"
    inside the accepted "peace agreement" is no forbidden rendering, and
    "remains" inside the forbidden "material remains" renders nothing.
    """
    bad_spans = {
        c.id: _forbidden_spans(text, c) for c in dict.fromkeys(o.concept for o in occurrences)
    }
    bad = [(start, end, cid) for cid, found in bad_spans.items() for start, end in found]
    candidates: list[tuple[Span, int]] = []
    allowed: list[Span] = []
    for i, occ in enumerate(occurrences):
        found = {
            s
            for term in occ.accepted
            for s in find_english(text, term, verb=occ.verb)
            if not _inside_longer(s, bad)  # "remains" in the forbidden "material remains"
        }
        allowed.extend(found)
        candidates.extend((span, i) for span in found)
    places = Counter(i for _, i in candidates)
    candidates.sort(key=lambda c: (c[0][0] - c[0][1], c[0][0], places[c[1]], c[1]))
    spans: list[Span | None] = [None] * len(occurrences)
    wrong: dict[int, list[Span]] = {}
    taken: list[Span] = []
    for i, span in (pinned or {}).items():
        if 0 <= i < len(spans) and not overlaps(span, taken):
            spans[i] = span
            taken.append(span)
    for span, i in candidates:
        if spans[i] is not None or overlaps(span, taken):
            continue
        occ = occurrences[i]
        if occ.exact_case and not _case_ok(text, span, occ.accepted):
            wrong.setdefault(i, []).append(span)
            continue
        spans[i] = span
        taken.append(span)
    forbidden: list[tuple[int, int, str]] = []
    stray: list[tuple[int, int, str]] = []
    for concept in dict.fromkeys(o.concept for o in occurrences):
        missing = sum(
            1
            for o, span in zip(occurrences, spans, strict=True)
            if o.concept is concept and span is None
        )
        found_bad = [s for s in bad_spans[concept.id] if not overlaps(s, allowed)]
        for n, (start, end) in enumerate(found_bad):
            (forbidden if n < missing else stray).append((start, end, concept.id))
    found_forbidden = tuple(sorted(forbidden))
    terms = tuple(
        TermCheck(
            span,
            tuple(sorted(wrong.get(i, ()))) if span is None else (),
            tuple((s, e) for s, e, c in found_forbidden if c == occ.concept.id),
        )
        for i, (occ, span) in enumerate(zip(occurrences, spans, strict=True))
    )
    return Verification(terms, found_forbidden, tuple(sorted(stray)))
