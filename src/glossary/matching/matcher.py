"""Finding termbase terms in text: Dutch source side and English target side.

`Matcher` is the one source-side matcher that mining (known terms),
enforcement and QA share. It compiles every Dutch term of the given concepts,
with their inflected forms, into one Aho-Corasick automaton (pyahocorasick)
and scans a folded copy of the text:

- case is folded, except for case-sensitive concepts (acronyms such as
  "OVSE", "OP"), whose matches are checked against the exact spelling;
- accents are folded ("Armenie", "Armenië" and the OCR error "Armenié" are
  one word);
- hyphens and spaces inside a term are ignored, so "Minskgroep",
  "Minsk-groep" and "Minsk Groep" are one term (the `fold_key` identity of
  the termbase), while punctuation ("Raad. Europa") stops a match;
- Dutch inflection (`glossary.lang.nl.inflect`): plural -en/-s/'s, genitive
  -s, adjectival -e on the modifiers of a multiword term ("gewapende
  conflicten" for "gewapend conflict"), with the usual spelling changes
  (staat/staten, brief/brieven, bom/bommen, -heid/-heden) and a small table
  of irregular plurals;
- matches cover whole tokens only, but a term may be one part of a
  hyphenated compound ("OVSE-missie" contains "OVSE");
- overlapping candidates are resolved longest match first, then leftmost;
  matches never overlap.

Offsets in `Match` are character offsets into the original text.

The English side (`find_english`) is a small regex matcher
for the terms QA and enforcement look for in a translation: case-insensitive,
whole tokens, hyphen or space between words, and English plural and
possessive forms of the last word ("ceasefires", "Minsk Group's";
`glossary.lang.en.plural_forms`). Whether a term is rendered in a
translation is decided by `glossary.matching.verify`, built on it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from glossary.lang import en, nl
from glossary.lang.text import DASHES, clean_value, fold_text, search_key
from glossary.termbase.model import Concept


def _fold_term(term: str) -> str:
    """The automaton key of a term: folded like text, with joiners removed."""
    folded, _ = fold_text(clean_value(term))
    return folded.replace(" ", "")


# ------------------------------------------------------------------- matcher


@dataclass(frozen=True)
class Match:
    """One occurrence of a concept's Dutch term in a text.

    `start`/`end` are offsets into the original text (`text[start:end] ==
    surface`); `term` is the concept's Dutch term (preferred or variant)
    whose form matched; `inflected` tells whether the surface is an
    inflected form of it rather than the term itself (case, accents and
    hyphenation aside).
    """

    concept_id: str
    start: int
    end: int
    surface: str
    term: str
    inflected: bool = False


# One way a key can be a concept's term: (rank, concept index, term, exact
# spelling for case-sensitive concepts or "", inflected, attached ending
# length). Lower rank wins.
_Entry = tuple[int, int, str, str, bool, int]


class Matcher:
    """Aho-Corasick matcher for the Dutch terms of a set of concepts.

    Build it once (`Matcher.build(termbase.concepts)`), then call `find` on
    as many texts as needed; it is not changed by finding.
    """

    __slots__ = ("_automaton", "_concepts")

    def __init__(self, automaton: Any, concepts: Sequence[Concept]) -> None:
        self._automaton = automaton
        self._concepts = tuple(concepts)

    @classmethod
    def build(cls, concepts: Iterable[Concept], *, inflect: bool = True) -> Matcher:
        """Compile the Dutch terms (and, with `inflect`, their forms) of `concepts`."""
        import ahocorasick

        kept = tuple(concepts)
        entries: dict[str, list[_Entry]] = {}
        for index, concept in enumerate(kept):
            sensitive = concept.case_sensitive
            for term in concept.nl_terms:
                if not term:
                    continue
                forms = nl.inflect(term, sensitive) if inflect else [(clean_value(term), 0)]
                if inflect and concept.pos == "verb":
                    forms += [(f, 0) for f in nl.verb_forms(term)]
                for n, (form, tail) in enumerate(forms):
                    key = _fold_term(form)
                    if not key:
                        continue
                    inflected = n > 0
                    rank = (2 if inflected else 0) + (0 if sensitive else 1)
                    exact = search_key(form, case_sensitive=True) if sensitive else ""
                    entry = (rank, index, term, exact, inflected, tail)
                    bucket = entries.setdefault(key, [])
                    if not any(e[1] == index and e[3] == exact for e in bucket):
                        bucket.append(entry)
        automaton = ahocorasick.Automaton()
        for key, bucket in entries.items():
            bucket.sort()
            automaton.add_word(key, (len(key), tuple(bucket)))
        if entries:
            automaton.make_automaton()
        return cls(automaton, kept)

    def __len__(self) -> int:
        return len(self._concepts)

    @property
    def concepts(self) -> tuple[Concept, ...]:
        return self._concepts

    def find(self, text: str, *, overlapping: bool = False) -> list[Match]:
        """Every term occurrence in `text`, longest first, no overlaps, by position.

        With `overlapping`, every occurrence is returned, also those inside or
        across a longer one ("Hoge Vertegenwoordiger" inside "Hoge
        Vertegenwoordiger voor Buitenlands Beleid"), ordered by start, longest first.
        """
        if not self._concepts or not text or len(self._automaton) == 0:
            return []
        folded, positions = fold_text(text)
        size = len(folded)
        candidates: list[tuple[int, int, int, _Entry]] = []
        append = candidates.append
        isalnum = str.isalnum
        count = folded.count
        for last, (length, bucket) in self._automaton.iter(folded, ignore_white_space=True):
            end = last + 1
            if end < size and isalnum(folded[end]):
                continue
            start = end - length
            spaced = count(" ", start, end)
            if spaced:
                start = _start_skipping_spaces(folded, start, spaced)
            if start > 0 and isalnum(folded[start - 1]):
                continue
            entry = bucket[0]
            if spaced or entry[3]:
                picked = _pick(bucket, text, folded, start, end, positions)
                if picked is None:
                    continue
                entry = picked
            append((start - end, start, end, entry))
        candidates.sort()
        taken = bytearray(size)
        chosen: list[Match] = []
        for _, start, end, entry in candidates:
            if not overlapping:
                if taken.find(1, start, end) != -1:
                    continue
                taken[start:end] = b"\x01" * (end - start)
            o_start, o_end = (
                (start, end) if positions is None else (positions[start], positions[end])
            )
            concept = self._concepts[entry[1]]
            chosen.append(
                Match(concept.id, o_start, o_end, text[o_start:o_end], entry[2], entry[4])
            )
        chosen.sort(key=lambda m: (m.start, -m.end))
        return chosen


def _start_skipping_spaces(folded: str, start: int, spaces: int) -> int:
    """Move `start` left until the span holds its key's letters: each space
    inside the span (ignored by the automaton) pushes the start one further."""
    while spaces:
        earlier = start - spaces
        spaces = folded.count(" ", earlier, start)
        start = earlier
    return start


# An article then a space at the start of a match: the article is a word of
# its own there, so a term that joins it ("de-escalatie") does not match.
_ARTICLE_LEAD = re.compile(r"(de|het|een|De|Het|Een)[ \t\n]+")


def _pick(
    bucket: tuple[_Entry, ...],
    text: str,
    folded: str,
    start: int,
    end: int,
    positions: list[int] | None,
) -> _Entry | None:
    """The best entry whose conditions hold: an inflectional ending attached to
    its word, and a case-sensitive term's exact spelling."""
    exact: str | None = None
    o_start = start if positions is None else positions[start]
    lead = _ARTICLE_LEAD.match(text, o_start)
    for entry in bucket:
        tail = entry[5]
        if tail and " " in folded[end - tail : end]:
            continue
        if lead is not None and not entry[2].lower().startswith(lead.group(1).lower() + " "):
            continue  # "de escalatie" is the article and a noun, not "de-escalatie"
        if entry[3]:
            if exact is None:
                o_start, o_end = (
                    (start, end) if positions is None else (positions[start], positions[end])
                )
                exact = search_key(text[o_start:o_end], case_sensitive=True)
            if entry[3] != exact:
                continue
        return entry
    return None


# ------------------------------------------------------------- English side

_APOSTROPHE = "['\u2019]"


@functools.lru_cache(maxsize=4096)
def _english_pattern(term: str, verb: bool = False) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"[\s\-" + DASHES + "]+", clean_value(term)) if w]
    if not words:
        return None
    if verb:  # the verb is the first word ("recognise", "refrain from")
        first = words[0]
        options = sorted({first, *en.verb_forms(first)}, key=len, reverse=True)
        head = "(?:" + "|".join(re.escape(w) for w in options) + ")"
        rest = "".join(r"[\s\-]+" + re.escape(w) for w in words[1:])
        return re.compile(r"(?<![\w])" + head + rest + r"(?![\w])", re.IGNORECASE)
    last = words[-1]
    if len(words) == 1 and 2 <= len(last) <= 5 and last.isalpha() and last.isupper():
        # An acronym also with full stops ("U.S." for "US").
        dotted = r"\.".join(re.escape(c) for c in last) + r"\."
        return re.compile(
            r"(?<![\w.])(?:" + dotted + "|" + re.escape(last) + r"(?:['\u2019]?s)?)(?![\w])",
            re.IGNORECASE,
        )
    last_options = sorted({last, *en.plural_forms(last)}, key=len, reverse=True)
    body = r"[\s\-]+".join(re.escape(w) for w in words[:-1])
    tail = "(?:" + "|".join(re.escape(w) for w in last_options) + ")"
    pattern = (body + r"[\s\-]+" if body else "") + tail
    return re.compile(
        r"(?<![\w])" + pattern + "(?:" + _APOSTROPHE + "s?)?" + r"(?![\w])", re.IGNORECASE
    )


def find_english(text: str, term: str, *, verb: bool = False) -> list[tuple[int, int]]:
    """Spans of `term` in English `text`: case-insensitive, whole tokens,
    hyphen or space between words, plural and possessive forms accepted
    (with `verb`, the forms of its first word instead: "recognised",
    "recognises", "recognising").

    Spans do not overlap and are in text order, so a caller can use each once.
    """
    pattern = _english_pattern(term, verb)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text)]
