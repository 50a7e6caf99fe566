"""Warnings about a valid termbase: things that load fine but translate wrongly.

`contained_terms`: a Dutch term (or variant) that contains another approved
concept's Dutch term, while its own English lacks that concept's English.
"covoorzitters van de OVSE Minsk Groep" → "Minsk Group Co-Chairs" contains
"OVSE" (→ "OSCE"): the longer term wins when a document is translated, so
"OSCE" is lost from the translation. Either the English should carry it
("OSCE Minsk Group Co-Chairs") or the variant belongs to another concept.

Only approved concepts with English count, on both sides, and only names
are looked for inside longer terms (case-sensitive, proper-noun or
do-not-translate concepts: "OVSE", "Europese Unie"), because common nouns
inside official titles are often rendered freely ("Hoge Vertegenwoordiger
voor Buitenlands Beleid" → "High Representative for Foreign Affairs and
Security Policy"). An English acronym ("OSCE" for "Organisatie voor
Veiligheid en Samenwerking in Europa") abbreviates what it contains and is
not checked. Any correct English of the contained name counts ("EU" for
"Europese Unie"). Terms are compared
as the matcher sees them: case-insensitively (case-sensitive terms exactly),
hyphens as spaces, at word boundaries; the English is found at a word start,
plural and possessive endings allowed. One pass of an Aho-Corasick automaton
over all Dutch terms, so 100,000 concepts take seconds, not hours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.termbase.model import Concept, Termbase


@dataclass(frozen=True)
class Warning:
    """One warning about a concept, with the line of the termbase file."""

    concept_id: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"line {self.line} [{self.concept_id}]: {self.message}"
        return text + (f" (fix: {self.hint})" if self.hint else "")


_SEPARATORS = re.compile(r"[\s\-\u2010\u2011]+")


def _norm(text: str, case_sensitive: bool = False) -> str:
    spaced = _SEPARATORS.sub(" ", text).strip()
    return spaced if case_sensitive else spaced.casefold()


def _has_english(haystack: str, needle: str) -> bool:
    pattern = r"(?<![\w])" + re.escape(_norm(needle)) + r"(?:s|es|'s|’s)?(?![\w])"
    return re.search(pattern, _norm(haystack)) is not None


def _targets(concept: Concept) -> tuple[str, ...]:
    return concept.en_terms


def _is_name(concept: Concept) -> bool:
    return concept.case_sensitive or concept.dnt or concept.pos == "properNoun"


_ACRONYM = re.compile(r"[A-Z][A-Z0-9&/.\-]{1,9}")


def _is_acronym(text: str) -> bool:
    return _ACRONYM.fullmatch(text) is not None


def contained_terms(termbase: Termbase) -> list[Warning]:
    """Warnings for Dutch terms that hide another approved concept's term (see the module doc)."""
    import ahocorasick

    approved = [c for c in termbase.concepts if c.status == "approved" and c.target]
    automaton = ahocorasick.Automaton()
    keys: dict[str, list[tuple[Concept, str]]] = {}
    for concept in filter(_is_name, approved):
        for term in concept.nl_terms:
            # Case-sensitive terms ("OVSE") are found case-folded and checked exactly below.
            keys.setdefault(_norm(term), []).append((concept, term))
    for key, owners in keys.items():
        automaton.add_word(f" {key} ", (key, owners))
    if not keys:
        return []
    automaton.make_automaton()
    line_of = {c.id: n for n, c in enumerate(termbase.concepts, start=2)}
    warnings: list[Warning] = []
    for concept in approved:
        if _is_acronym(concept.target):
            continue
        seen: set[str] = set()
        for term in concept.nl_terms:
            haystack = f" {_norm(term)} "
            for end, (key, owners) in automaton.iter(haystack):
                for other, other_term in owners:
                    if other.id == concept.id or other.id in seen or key == _norm(term):
                        continue
                    start = end - len(key)
                    found = _norm(term, True)[start - 1 : end - 1]
                    if other.case_sensitive and found != _norm(other_term, True):
                        continue
                    if any(_has_english(concept.target, t) for t in _targets(other)):
                        continue
                    seen.add(other.id)
                    warnings.append(
                        Warning(
                            concept.id,
                            line_of[concept.id],
                            f"Dutch {term!r} contains {other_term!r} ({other.id}: → "
                            f"{other.target!r}), but its English {concept.target!r} lacks "
                            f"{other.target!r}",
                            hint=f"let the English carry {other.target!r}, or make {term!r} "
                            "a concept of its own",
                        )
                    )
    return warnings


def lint(termbase: Termbase) -> Sequence[Warning]:
    """Every warning about `termbase`, in file order."""
    return sorted(contained_terms(termbase), key=lambda w: (w.line, w.message))
