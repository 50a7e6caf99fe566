"""English for a mined candidate without a model: what the termbase already says.

Two sources, both from the termbase's own decisions, so a reviewer stays
consistent with them:

- `compose`: the candidate built from approved concepts and a few function
  words. "covoorzitters van de Minsk Groep" is "covoorzitters" (co-chair,
  plural) + "van de" + "Minsk Groep" (OSCE Minsk Group): "co-chairs of the
  OSCE Minsk Group". Only when every content word of the candidate is part
  of a known term; the words keep their Dutch order (right for the
  "X van Y" and adjective + noun patterns of terms, said so in the hint).
- `similar`: concepts that share a word, a compound part or most of their
  spelling with the candidate ("OVSE-voorzitterschap" → "covoorzitter:
  co-chair"; "vredesmissie" → "vredesonderhandelingen: peace negotiations"),
  for the reviewer to see how related terms were rendered.

No offline bilingual dictionary is used: the one installable here (FreeDict
nld-eng, Debian dict-freedict-nld-eng, GPL-2+) proved unsound for policy
texts (see docs/mining.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from glossary.lang import nl
from glossary.lang.text import fold_key, split_words, strip_accents
from glossary.matching.verify import Glossary, english_plural
from glossary.termbase.model import Concept

# Dutch function words inside terms, and their English in "X van de Y" patterns.
FUNCTION_WORDS: Final[dict[str, str]] = {
    "van": "of",
    "de": "the",
    "het": "the",
    "der": "of the",
    "des": "of the",
    "voor": "for",
    "op": "on",
    "in": "in",
    "met": "with",
    "tegen": "against",
    "tussen": "between",
    "en": "and",
    "tot": "to",
    "uit": "from",
    "over": "on",
    "onder": "under",
    "zonder": "without",
    "bij": "at",
    "naar": "to",
    "door": "by",
    "inzake": "on",
}
MIN_PART: Final = 5  # shortest compound part counted as shared ("vredes", "voorzitter")


@dataclass(frozen=True)
class Hint:
    """One piece of English the termbase suggests for a candidate.

    `source` is "termbase" (composed from approved concepts; `text` is a
    suggestion) or "similar" (a related concept; `text` is that concept's
    English, shown for consistency, not as the candidate's English).
    """

    text: str
    source: str
    detail: str
    concept_id: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "text": self.text,
            "source": self.source,
            "detail": self.detail,
            "concept_id": self.concept_id,
        }


def compose(term: str, glossary: Glossary) -> Hint | None:
    """The candidate's English from the approved concepts inside it, or None when
    a content word is not part of any of them (or the whole term is one)."""
    occurrences = [o for o in glossary.occurrences(term) if not o.concept.dnt or o.concept.en]
    if not occurrences or (
        len(occurrences) == 1 and occurrences[0].match.end - occurrences[0].match.start == len(term)
    ):
        return None
    parts: list[str] = []
    used: list[str] = []
    pos = 0
    for occ in occurrences:
        gap = term[pos : occ.match.start]
        words = _gap_words(gap)
        if words is None:
            return None
        parts.extend(words)
        english = occ.english
        if not occ.plural and _plural_variant(occ.match.surface, occ.concept.nl):
            english = english_plural(english) or english  # "covoorzitters": co-chairs
        parts.append(english)
        used.append(f"{occ.match.surface} → {english}")
        pos = occ.match.end
    tail = _gap_words(term[pos:])
    if tail is None:
        return None
    parts.extend(tail)
    text = " ".join(parts)
    return Hint(text, "termbase", "from " + "; ".join(used) + " (Dutch word order kept)")


def _plural_variant(surface: str, term: str) -> bool:
    """Whether a one-word surface is the Dutch plural of the concept's one-word term
    (a plural stored as a variant, "covoorzitters" of "covoorzitter")."""
    words, base = surface.split(), term.split()
    if len(words) != 1 or len(base) != 1:
        return False
    return nl.is_plural_form(words[0].casefold(), base[0].casefold())


def _gap_words(gap: str) -> list[str] | None:
    """The English of the function words between known terms ("van de": "of the"),
    or None when the gap holds a content word."""
    out = []
    for word in split_words(gap):
        english = FUNCTION_WORDS.get(word.casefold())
        if english is None:
            return None
        out.append(english)
    return out


def _words(text: str) -> list[str]:
    """The content words of a term, folded (function words and single letters left out)."""
    stop = nl.function_words()
    return [
        w
        for w in (strip_accents(w).casefold() for w in split_words(text))
        if len(w) > 1 and w not in stop
    ]


def _likeness(a: str, b: str) -> float:
    """How alike two words are: 1 the same; 0.9 when one is a compound part of
    the other (a shared head or modifier of at least `MIN_PART` letters:
    "voorzitterschap" and "covoorzitter" share "voorzitter"); 0.85 when they
    start alike ("vredesmissie" and "vredesonderhandelingen": "vredes"); their
    spelling ratio when both are long and it is 0.85 or more; else 0."""
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if len(short) >= MIN_PART and short in long:
        return 0.9
    common = 0
    while common < len(short) and a[common] == b[common]:
        common += 1
    if common > MIN_PART:
        return 0.85
    if len(short) >= 6:
        ratio = difflib.SequenceMatcher(None, a, b).ratio()
        if ratio >= 0.85:
            return ratio
    return 0.0


def similar(term: str, concepts: Sequence[Concept], limit: int = 4) -> list[Hint]:
    """Concepts with English whose Dutch shares a word, a compound part or most of
    its spelling with `term`, best first (the concept that is `term` left out).

    A concept scores the sum, over the candidate's content words, of how alike
    its most alike word is (`_likeness`); ties go to approved concepts, then
    to the shorter term."""
    wanted = _words(term)
    key = fold_key(term)
    scored: list[tuple[float, int, int, Concept]] = []
    for concept in concepts:
        if not concept.target or concept.status == "rejected":
            continue
        if any(fold_key(t) == key for t in concept.nl_terms):
            continue
        best = 0.0
        for nl_term in concept.nl_terms:
            words = _words(nl_term)
            if words:
                score = sum(max(_likeness(w, v) for v in words) for w in wanted)
                best = max(best, score)
        if best:
            scored.append((best, concept.status != "approved", len(concept.nl), concept))
    scored.sort(key=lambda item: item[:3])
    scored.sort(key=lambda item: -item[0])
    return [
        Hint(
            c.target,
            "similar",
            f"{c.nl} → {c.target}" + ("" if c.status == "approved" else f" ({c.status})"),
            c.id,
        )
        for _, _, _, c in scored[:limit]
    ]


def suggest(term: str, concepts: Sequence[Concept], glossary: Glossary | None = None) -> list[Hint]:
    """The composed English (if any) and the similar concepts of a candidate term."""
    hints: list[Hint] = []
    composed = compose(term, glossary or Glossary(concepts))
    if composed is not None:
        hints.append(composed)
    hints.extend(similar(term, concepts))
    return hints
