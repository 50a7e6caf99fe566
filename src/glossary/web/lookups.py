"""The concordance and the QA check the workbench shows, one function each.

`concordance` finds every occurrence of a termbase concept (any spelling,
variant or inflection, by the one term matcher) or of a literal string in the
documents; `check` runs `glossary check`'s QA (`qa.check_units` over the
units `read_units` or `align_files` give). Each is a single function so the
pages can move to a richer library function with a one-line change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glossary.document import Document
from glossary.errors import InvalidValue, UnknownTerm
from glossary.matching.matcher import Matcher
from glossary.qa import QAReport
from glossary.termbase import model as tbm
from glossary.termbase.model import Concept, Termbase


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: the segment it is in, where in it, and the spelling found."""

    ref: str  # file:line
    text: str  # the segment
    start: int
    end: int

    @property
    def surface(self) -> str:
        return self.text[self.start : self.end]


@dataclass(frozen=True)
class Concordance:
    query: str
    concept: Concept | None  # the termbase concept searched for, None for a literal string
    occurrences: tuple[Occurrence, ...]
    documents: int  # documents searched

    def spellings(self) -> list[tuple[str, int]]:
        """How often each spelling occurs, most frequent first."""
        return Counter(o.surface for o in self.occurrences).most_common()


def concordance(query: str, documents: Sequence[Document], termbase: Termbase) -> Concordance:
    """Every occurrence in `documents` of the concept `query` names (by id or
    any Dutch term; every spelling, variant and inflection), or else of
    `query` as a literal string (case, accents and hyphenation aside)."""
    query = " ".join(query.split())
    if not query:
        raise InvalidValue("Give a term to look for.")
    try:
        concept: Concept | None = termbase.get(query) or tbm.find(termbase, query)
    except UnknownTerm:
        concept = None
    matcher = (
        Matcher.build([concept])
        if concept is not None
        else Matcher.build([Concept(id="literal", nl=query)], inflect=False)
    )
    found: list[Occurrence] = []
    for document in documents:
        for segment in document.segments:
            for match in matcher.find(segment.text):
                found.append(Occurrence(segment.ref, segment.text, match.start, match.end))
    return Concordance(query, concept, tuple(found), len(documents))


def check(source: Path, target: Path | None, termbase: Termbase, *, max_bytes: int) -> QAReport:
    """`glossary check FILE` (or `check SOURCE TARGET`): the terminology QA report."""
    from glossary.exchange.importing import read_units
    from glossary.qa import align_files, check_units

    if target is None:
        units = read_units(source, None, max_bytes)
    else:
        units = list(align_files(source, target, limit=max_bytes).units)
    # The file the locations point into: the bilingual file, or the translation.
    return check_units(units, termbase.concepts, file=str(target or source))
