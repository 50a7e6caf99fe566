"""Damage around a term: what a careless edit (or a translator) leaves behind.

`find_damage(text, occurrences, verification)` is pure and looks only next
to the spans that render the segment's terms, where it can be sure:

- **beside**: another rendering of the same concept right next to the term
  ("Both ceasefires truces were broken", "the OSCE OVSE mission"): a
  forbidden rendering, the Dutch term copied, or the term twice;
- **article**: "a"/"an" before the term that does not fit its first sound
  ("an ceasefire", "a incursion"; acronyms by their letters: "an OSCE");
- **verb form**: a verb term in its base form after "has", "have", "had",
  "been" or "being" ("has recognise"), or with -s/-ed after "to" or a
  modal ("to recognises");
- **capital**: a name in lower case ("the european council"), a term at a
  sentence start in lower case, or capitalised
  right after an abbreviation that does not end a sentence ("the U.S.
  Ceasefire").

A forbidden rendering of a concept whose occurrences are all rendered
(`Verification.stray`) is not repeated here: `glossary check` reports it as
a "forbidden" violation.

A lost possessive ("The OSCE Minsk Group mandate") cannot be told from a
noun used as a modifier, so it is not reported.

`glossary check` reports these besides its violations; `glossary fix`
reports them on its output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from glossary.lang import en
from glossary.lang.text import fold_words
from glossary.matching.matcher import find_english
from glossary.matching.verify import Occurrence, Verification

_AUXILIARIES = frozenset(("has", "have", "had", "having", "been", "being"))
_MODALS = frozenset(("to", "will", "would", "shall", "should", "can", "could", "may", "might"))
_MODALS |= frozenset(("must",))
_BETWEEN = re.compile(r"^[\s/]*$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


@dataclass(frozen=True)
class Damage:
    """One damage pattern next to a term: where, what kind and what it says."""

    kind: str  # beside, article, verb-form, capital
    start: int
    end: int
    concept_id: str
    found: str
    message: str

    def describe(self) -> str:
        return f"{self.kind}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "concept_id": self.concept_id,
            "found": self.found,
            "message": self.message,
        }


def _renderings(text: str, occ: Occurrence) -> list[tuple[int, int]]:
    """Spans of what else renders the concept: forbidden renderings, the
    Dutch term copied, and its accepted English (a second time)."""
    concept = occ.concept
    spans: set[tuple[int, int]] = set()
    for other in (*concept.en_forbidden, occ.match.surface, *concept.nl_terms, *occ.accepted):
        spans.update(find_english(text, other, verb=occ.verb))
    return sorted(spans)


def find_damage(text: str, occurrences: Sequence[Occurrence], result: Verification) -> list[Damage]:
    """The damage patterns next to the rendered terms of a segment (see the module doc)."""
    found: list[Damage] = []
    seen: set[tuple[str, int, int]] = set()

    def add(kind: str, start: int, end: int, occ: Occurrence, message: str) -> None:
        if (kind, start, end) in seen:
            return
        seen.add((kind, start, end))
        found.append(Damage(kind, start, end, occ.concept.id, text[start:end], message))

    spans = [s for s in result.spans if s is not None]
    for occ, span in zip(occurrences, result.spans, strict=True):
        if span is None:
            continue
        start, end = span
        term = text[start:end]
        # A second rendering right beside the term.
        for s, e in _renderings(text, occ):
            if (s, e) == span or (s < end and start < e):
                continue
            if (s, e) in spans and fold_words(text[s:e]) != fold_words(term):
                continue  # another occurrence's own term
            between = text[end:s] if s >= end else text[e:start]
            if _BETWEEN.match(between) and len(between) <= 3:
                add(
                    "beside",
                    min(start, s),
                    max(end, e),
                    occ,
                    f"'{text[s:e]}' is left beside the term '{term}'",
                )
        left = text[:start]
        # a/an before the term.
        article = re.search(r"(?<![\w'’])([Aa]n?)\s+$", left)
        if article is not None:
            wanted = en.article_for(term)
            if wanted and article.group(1).lower() != wanted:
                add(
                    "article",
                    article.start(1),
                    end,
                    occ,
                    f"'{article.group(1)} {term}': the term wants '{wanted}'",
                )
        # The verb form after an auxiliary or a modal.
        if occ.verb:
            before = _WORD_BEFORE.search(left)
            word = before.group(1).lower() if before else ""
            first = term.split()[0]
            base = occ.english.split()[0]
            if word in _AUXILIARIES and first.lower() == base.lower():
                add(
                    "verb-form",
                    before.start(1) if before else start,
                    end,
                    occ,
                    f"'{word} {first}': the verb wants its past participle",
                )
            elif word in _MODALS and (
                first.lower() in (base.lower() + "s", base.lower() + "es")
                if word == "to"
                else first.lower() != base.lower()
            ):
                add(
                    "verb-form",
                    before.start(1) if before else start,
                    end,
                    occ,
                    f"'{word} {first}': the verb wants its base form",
                )
        # A name in lower case ("the european council").
        if (
            occ.concept.pos == "properNoun"
            and not occ.exact_case
            and term.islower()
            and not any(t.islower() for t in occ.accepted)
        ):
            add("capital", start, end, occ, f"'{term}' is a name: '{occ.english}'")
            continue
        # Capitals.
        if not occ.keeps_case and term[:1].isalpha():
            at_start = en.is_sentence_start(left)
            written = occ.english
            if at_start and term[:1].islower():
                add("capital", start, end, occ, f"'{term}' starts a sentence in lower case")
            elif (
                not at_start
                and term[:1].isupper()
                and written[:1].islower()
                and re.search(r"[.]\s+$", left)
            ):
                add(
                    "capital",
                    start,
                    end,
                    occ,
                    f"'{term}' is capitalised after an abbreviation mid-sentence",
                )
    return found
