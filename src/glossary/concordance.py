"""Concordance: every occurrence of a term in documents, in its context.

A query is one of three things (`resolve`):

- a termbase concept, named by any Dutch spelling or variant, its id, or
  an inflected form ("covoorzitters"); or the concepts whose English it is
  ("ceasefire": staakt-het-vuren and wapenstilstand). Every Dutch term of
  the concept is searched with the one matcher
  (`glossary.matching.matcher`): inflection, hyphen, space and joined
  spellings, case-sensitive acronyms. The matcher is built from these
  concepts alone, so a term inside another concept's longer term is found
  too ("OVSE" inside "OVSE Minsk Groep");
- a term that is not in the termbase: its forms are found the same way
  (plurals, hyphen/space spellings), as if it were a concept;
- a literal string (`literal=True`): found as written, ignoring case, any
  run of white space matching any other, inside words too.

`search(documents, query)` is pure: it returns a `Concordance` with one
`Hit` per occurrence (file, line where the sentence starts, the sentence and
its paragraph, the match offsets in both) and the counts per spelling.
`search_files` reads the documents first, by the one reader of documents
(`glossary.reading.sources`), so it reads every format `glossary segment`
and `glossary translate` read.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from glossary.document import Document
from glossary.errors import InvalidValue
from glossary.lang.text import clean_value, fold_key, fold_words
from glossary.matching.matcher import Matcher
from glossary.termbase.model import Concept

QueryKind = Literal["concept", "term", "literal"]


@dataclass(frozen=True)
class Query:
    """What to look for: the Dutch terms of concepts, an ad-hoc term, or a literal string."""

    text: str  # as the user wrote it
    kind: QueryKind
    # The termbase concepts searched ("concept"; several when `text` is the English
    # of several), or one ad-hoc concept holding the term and its forms ("term").
    concepts: tuple[Concept, ...] = ()
    how: str = ""  # how `text` was resolved, in words ("'ceasefire' is their English")

    @property
    def terms(self) -> tuple[str, ...]:
        """The Dutch terms searched (their forms are found too), or the literal string."""
        if not self.concepts:
            return (self.text,)
        return tuple(dict.fromkeys(t for c in self.concepts for t in c.nl_terms))

    def describe(self) -> str:
        """One line for the user: what is searched and why."""
        if self.kind == "literal":
            return f"Searching the literal text {self.text!r} (case ignored, inside words too)."
        if self.kind == "term":
            return (
                f"{self.text!r} is not in the termbase; searching its forms (inflection, "
                "hyphen and space spellings). Use --literal to search it as written."
            )
        parts = []
        for concept in self.concepts:
            english = concept.en or ("(do not translate)" if concept.dnt else "-")
            count = len(concept.nl_terms)
            parts.append(
                f"{concept.id}: {concept.nl} → {english} ({concept.status}; {count} Dutch "
                f"spelling{'s' if count != 1 else ''} and their forms)"
            )
        label = "Concept" if len(parts) == 1 else "Concepts"
        return f"{label} " + "; ".join(parts) + (f"; {self.how}" if self.how else "") + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "concept_ids": [c.id for c in self.concepts] if self.kind == "concept" else [],
            "terms": list(self.terms),
        }


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in text.strip()


def resolve(text: str, concepts: Sequence[Concept], *, literal: bool = False) -> Query:
    """The query `text` stands for, against the termbase's `concepts` (every status).

    In order: a literal string when `literal`; a concept by any Dutch spelling
    (hyphens, spaces, case and accents aside) or by its id; a concept whose
    Dutch term the whole text is a form of ("covoorzitters"); the concepts
    with this English term ("ceasefire": staakt-het-vuren and
    wapenstilstand); else the text as a term of its own.
    """
    wanted = clean_value(text)
    if not wanted:
        raise InvalidValue("Give a term to search for (an empty one matches nothing).")
    if literal:
        return Query(wanted, "literal")
    key = fold_key(wanted)
    for concept in concepts:
        if any(fold_key(t) == key for t in concept.nl_terms):
            return Query(wanted, "concept", (concept,))
    for concept in concepts:
        if concept.id == wanted:
            return Query(wanted, "concept", (concept,), "found by its id")
    for match in Matcher.build(concepts).find(wanted):
        if match.start == 0 and match.end == len(wanted):
            concept = next(c for c in concepts if c.id == match.concept_id)
            return Query(wanted, "concept", (concept,), f"{wanted!r} is a form of {match.term!r}")
    english = fold_words(wanted)
    owners = tuple(c for c in concepts if any(fold_words(t) == english for t in c.en_terms))
    if owners:
        whose = "its" if len(owners) == 1 else "their"
        return Query(wanted, "concept", owners, f"{wanted!r} is {whose} English")
    return Query(wanted, "term", (Concept(id="", nl=wanted, case_sensitive=_is_acronym(wanted)),))


def candidate_query(term: str, forms: Iterable[str], *, acronym: bool = False) -> Query:
    """A query for a mined candidate: its term and every surface form seen."""
    term = clean_value(term)
    key = fold_key(term, acronym)
    variants = tuple(
        dict.fromkeys(
            f for f in (clean_value(f) for f in forms) if f and fold_key(f, acronym) != key
        )
    )
    adhoc = Concept(id="", nl=term, nl_variants=variants, case_sensitive=acronym)
    return Query(term, "term", (adhoc,))


# ------------------------------------------------------------------ search


@dataclass(frozen=True)
class Hit:
    """One occurrence of the query in a document.

    `start`/`end` locate the match in `sentence` (the segment), and
    `context_start`/`context_end` in `context` (the whole paragraph). `line`
    is the line of the file where the sentence starts. `term` is the Dutch
    term (preferred or variant) whose form matched ("" for a literal string).
    """

    doc: str
    line: int
    segment: int  # the segment's index in the document (0-based, as `glossary segment`)
    sentence: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int
    term: str = ""
    inflected: bool = False
    concept_id: str = ""  # the concept whose term matched ("" for a term or literal string)

    @property
    def surface(self) -> str:
        """The match as written."""
        return self.sentence[self.start : self.end]

    @property
    def spelling(self) -> str:
        """The match with its white space made single (line breaks in PDFs)."""
        return " ".join(self.surface.split())

    @property
    def ref(self) -> str:
        """`file:line`, as compilers and grep write it."""
        return f"{self.doc}:{self.line}"

    def kwic(self, width: int) -> tuple[str, str, str]:
        """(left, match, right): the match with at most `width` characters of
        paragraph on each side, cut at the far ends with "…", line breaks made spaces."""
        left = " ".join(self.context[: self.context_start].split())
        right = " ".join(self.context[self.context_end :].split())
        if self.context[: self.context_start][-1:].isspace():
            left += " "
        if self.context[self.context_end :][:1].isspace():
            right = " " + right
        if len(left) > width:
            left = "…" + left[len(left) - width + 1 :] if width > 1 else left[len(left) - width :]
        if len(right) > width:
            right = right[: width - 1] + "…" if width > 1 else right[:width]
        return left, self.context[self.context_start : self.context_end], right

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "file": self.doc,
            "line": self.line,
            "segment": self.segment,
            "match": self.surface,
            "term": self.term,
            "inflected": self.inflected,
            "concept_id": self.concept_id,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "context": self.context,
            "context_start": self.context_start,
            "context_end": self.context_end,
        }


@dataclass(frozen=True)
class Spelling:
    """How often one spelling of the query occurs, and in how many documents."""

    spelling: str
    count: int
    documents: int
    term: str = ""  # the Dutch term it is a form of
    inflected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "spelling": self.spelling,
            "count": self.count,
            "documents": self.documents,
            "term": self.term,
            "inflected": self.inflected,
        }


@dataclass(frozen=True)
class Concordance:
    """Every hit of a query in some documents, in document order."""

    query: Query
    hits: tuple[Hit, ...]
    documents: int  # documents searched
    segments: int  # segments searched
    skipped: tuple[str, ...] = field(default=())  # files of folders not read, with why
    warnings: tuple[str, ...] = field(default=())  # how documents were read ("as Windows-1252")

    @property
    def spellings(self) -> tuple[Spelling, ...]:
        """Counts per spelling, most frequent first (then alphabetical)."""
        counts: Counter[str] = Counter()
        docs: dict[str, set[str]] = {}
        first: dict[str, Hit] = {}
        for hit in self.hits:
            counts[hit.spelling] += 1
            docs.setdefault(hit.spelling, set()).add(hit.doc)
            first.setdefault(hit.spelling, hit)
        return tuple(
            Spelling(s, n, len(docs[s]), first[s].term, first[s].inflected)
            for s, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )

    @property
    def documents_with_hits(self) -> int:
        return len({h.doc for h in self.hits})

    def summary(self) -> str:
        hits = len(self.hits)
        spellings = len(self.spellings)
        return (
            f"{hits} occurrence{'s' if hits != 1 else ''} in {self.documents_with_hits} of "
            f"{self.documents} document{'s' if self.documents != 1 else ''}"
            + (f", {spellings} spelling{'s' if spellings != 1 else ''}" if hits else "")
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.to_dict(),
            "documents": self.documents,
            "segments": self.segments,
            "occurrences": len(self.hits),
            "spellings": [s.to_dict() for s in self.spellings],
            "hits": [h.to_dict() for h in self.hits],
            "skipped": list(self.skipped),
            "warnings": list(self.warnings),
        }


Finder = Callable[[str], list[tuple[int, int, str, bool, str]]]


def _finder(query: Query) -> Finder:
    """A function giving (start, end, term, inflected, concept id) of each match in a text."""
    if query.kind == "literal":
        words = query.text.split()
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        return lambda text: [(m.start(), m.end(), "", False, "") for m in pattern.finditer(text)]
    matcher = Matcher.build(query.concepts)
    return lambda text: [
        (m.start, m.end, m.term, m.inflected, m.concept_id) for m in matcher.find(text)
    ]


def search_text(text: str, query: Query) -> list[tuple[int, int]]:
    """(start, end) of every match of `query` in one text."""
    return [(start, end) for start, end, *_ in _finder(query)(text)]


def search(documents: Iterable[Document], query: Query) -> Concordance:
    """Every occurrence of `query` in the segments of `documents`, in document order."""
    find = _finder(query)
    hits: list[Hit] = []
    count = segments = 0
    for document in documents:
        count += 1
        for paragraph in document.paragraphs:
            offset = 0
            context = paragraph.text
            for segment in paragraph.segments:
                segments += 1
                for start, end, term, inflected, concept_id in find(segment.text):
                    hits.append(
                        Hit(
                            document.path,
                            segment.line,
                            segment.index,
                            segment.text,
                            start,
                            end,
                            context,
                            offset + start,
                            offset + end,
                            term,
                            inflected,
                            concept_id,
                        )
                    )
                offset += len(segment.text) + 1
    # Document order, then by line: footnotes, kept as their own paragraphs
    # after the paragraph that cites them, come where the file has them.
    order = {doc: n for n, doc in enumerate(dict.fromkeys(h.doc for h in hits))}
    hits.sort(key=lambda h: (order[h.doc], h.line, h.segment, h.start))
    return Concordance(query, tuple(hits), count, segments)


def search_files(
    paths: Iterable[str],
    query: Query,
    *,
    source_side: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Concordance:
    """`search` over files and folders, read as every document command reads them
    (`glossary.reading.sources`: plain text, Markdown, HTML and the other document
    formats; bilingual files as their source side with `source_side`). The files of
    folders that are not documents are listed in `skipped`; `progress(done, total)`
    is called as documents are read."""
    from glossary.reading import sources

    found = sources.gather(list(paths), source_side=source_side)
    warnings: list[str] = []

    def documents() -> Iterable[Document]:
        total = len(found.files)
        for done, path in enumerate(found.files, 1):
            document = sources.load(path, source_side=source_side)
            warnings.extend(document.warnings)
            yield document
            if progress is not None:
                progress(done, total)

    result = search(documents(), query)
    return dataclasses.replace(
        result, skipped=tuple(str(s) for s in found.skipped), warnings=tuple(warnings)
    )
