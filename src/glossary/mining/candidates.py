"""Term mining: the recurring domain terms of a document set, ranked.

`mine(documents)` returns `Candidate`s, best first. How (details and the
reasons in the README, "Term mining and review"):

1. Candidates. Each segment is split into tokens (words, hyphenated
   compounds such as "staakt-het-vuren", acronyms) and clauses (any
   punctuation ends one; numbers break too). Every span of 1-6 tokens inside
   a clause that starts and ends with a content word (not in
   `data/nl_function_words.txt`) and holds only content words and a few
   linking words ("Raad van Europa", "recht op zelfbeschikking") is counted.
2. Variants. Surface forms are grouped into one candidate when their keys
   agree: case (except acronyms), accents (OCR "Armenié"), hyphen, space and
   joined spelling ("Minsk-groep", "Minsk Groep", "Minskgroep"), inflection
   (the matcher's Dutch forms and simplemma lemmas, checked against the
   word: "gewapende" is not "wapenen"); then by rules over the pool: an
   acronym and its expansion found in "... (OVSE)" patterns, a leading
   acronym ("OVSE Minsk Groep", "OVSE-groep van Minsk"), "groep van Minsk"
   as the compound "Minskgroep", and a one-vowel difference in long forms
   ("Minsk Group" / "Minsk Groep", OCR slips).
3. Scores. Termhood (how much more often the words occur here than in
   general Dutch, wordfreq), unithood and nesting (C-value), frequency and
   document frequency combine into one score (see `_score`).
4. Nesting by position. A candidate none of whose occurrences is its own
   (a multiword one inside a recurring longer candidate; any one inside,
   across or between the termbase's terms) is not proposed: "Organisatie
   voor Veiligheid", "Armeense Ministerie", "Turkse F16" (see
   `_without_own_occurrences`).
5. Known terms. With a `known` matcher (the termbase, every status), each
   candidate gets the status of the concept whose term it is.
6. Contexts: up to three segments per candidate, with `file:line`.

The functions are pure: documents in, candidates out.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeVar

from glossary.document import Document, Segment

if TYPE_CHECKING:
    from glossary.engines.base import Engine, Link
from glossary.errors import InvalidValue
from glossary.lang import nl
from glossary.lang.text import clean_value, split_words, strip_accents
from glossary.matching.matcher import Match, Matcher
from glossary.termbase.model import Concept

CandidateStatus = Literal["new", "approved", "proposed", "rejected"]
Kind = Literal["word", "multiword", "acronym", "name"]
MAX_WORDS: Final = 6
CONTEXTS: Final = 3
SCHEMA_VERSION: Final = 1

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?(?:-[^\W_]+(?:['’][^\W\d_]+)?)*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:['’]s)?")
_HAS_LETTER = re.compile(r"[^\W\d_]")


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Variant:
    """One surface form of a candidate and how often it occurred."""

    form: str
    count: int


@dataclass(frozen=True)
class Context:
    """A segment where the candidate occurs, with its `file:line`."""

    ref: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    """A machine-suggested English rendering (never approved by itself)."""

    text: str
    source: str  # "term" (translated alone) or "context" (inside a context sentence)
    engine: str  # the engine's signature


@dataclass(frozen=True)
class Candidate:
    """A mined term: canonical form, variants, statistics, status and contexts."""

    term: str
    variants: tuple[Variant, ...]
    frequency: int
    doc_frequency: int
    score: float
    kind: Kind = "word"
    expansion: str = ""
    contexts: tuple[Context, ...] = ()
    status: CandidateStatus = "new"
    concept_id: str = ""
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every distinct surface form, the canonical one first."""
        return tuple(dict.fromkeys((self.term, *(v.form for v in self.variants))))

    def to_dict(self) -> dict[str, object]:
        """The JSON object of `glossary mine --format json` (see the README, "JSON schema")."""
        return {
            "term": self.term,
            "kind": self.kind,
            "score": round(self.score, 4),
            "frequency": self.frequency,
            "doc_frequency": self.doc_frequency,
            "variants": [{"form": v.form, "count": v.count} for v in self.variants],
            "expansion": self.expansion,
            "status": self.status,
            "concept_id": self.concept_id,
            "contexts": [{"ref": c.ref, "text": c.text} for c in self.contexts],
            "suggestions": [
                {"text": s.text, "source": s.source, "engine": s.engine, "machine": True}
                for s in self.suggestions
            ],
        }


@dataclass(frozen=True)
class Options:
    """Tuning knobs of `mine`; the defaults are the documented method."""

    top: int | None = None
    min_freq: int = 1
    max_words: int = MAX_WORDS
    contexts: int = CONTEXTS


# ------------------------------------------------------------------ counting


@dataclass
class _Surface:
    """Counts of one surface form (mutable only while counting)."""

    count: int = 0
    initial: int = 0  # occurrences at the start of a segment
    docs: int = 0  # bit set of document numbers
    ntokens: int = 1


@dataclass
class Counts:
    """What the first pass counts (mutable only while counting and merging)."""

    surfaces: dict[str, _Surface] = field(default_factory=dict)
    words: Counter[str] = field(default_factory=Counter)
    acronym_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    tokens: int = 0
    documents: int = 0


def _is_acronym(token: str) -> bool:
    return len(token) <= 8 and _ACRONYM.fullmatch(token) is not None


def _content(token: str, stop: frozenset[str]) -> bool:
    """Can this token start or end a candidate?"""
    lower = token.lower()
    if lower in stop or _HAS_LETTER.search(token) is None:
        return False
    if len(token) < 2 or (len(token) == 2 and not token.isupper()):
        return False
    return not (len(token) == 2 and token.isupper() and lower in stop)


def _inner_ok(run: list[str], ok_edge: list[bool]) -> list[bool]:
    """Which tokens may sit inside a candidate: content words, linking
    prepositions, and an article right after one ("covoorzitters van de
    Minsk Groep")."""
    out: list[bool] = []
    for i, (token, edge) in enumerate(zip(run, ok_edge, strict=True)):
        if edge:
            out.append(True)
            continue
        lower = token.lower()
        if lower in nl.ARTICLES:
            previous = run[i - 1].lower() if i else ""
            out.append(previous in nl.LINKING_WORDS and previous not in nl.ARTICLES)
        else:
            out.append(lower in nl.LINKING_WORDS)
    return out


_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_DIGIT = re.compile(r"\d")


def _is_break(token: str) -> bool:
    """Numbers and codes ("3b5583fd4", "STPS5HHCFWEY-7-88383") end a candidate;
    short letter-digit names ("F16", "CO2", "G20") do not."""
    return _DIGIT.search(token) is not None and (token.isdigit() or len(token) > 6)


_SENTENCE_END = re.compile(r"[.!?:;•·*\u2022]|^\s*[-–]\s")
# An acronym in brackets inside a name, before a linking word: "de OVSE-groep
# (OSCE) van Minsk". It glosses the word before it; the name runs on.
_INNER_GLOSS = re.compile(
    r"\s*\(\s*([A-Z][A-Z0-9]*[A-Z])\s*\)(?=\s+(?:van|voor|op|ter|ten|tot|tegen|inzake)\s)"
)


def unglossed(text: str) -> tuple[str, list[str]]:
    """`text` with inner acronym glosses blanked (offsets kept), and the glosses."""
    if "(" not in text:
        return text, []
    glosses: list[str] = []

    def blank(match: re.Match[str]) -> str:
        glosses.append(match.group(1))
        return " " * len(match.group())

    return _INNER_GLOSS.sub(blank, text), glosses


def clauses(text: str) -> list[tuple[list[str], bool]]:
    """Token runs of `text` between punctuation (and numbers), each with
    whether it starts a sentence (where a capital says nothing). An acronym
    glossing a name from inside it ("OVSE-groep (OSCE) van Minsk") is a run
    of its own and does not cut the name."""
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    starts = True
    previous_end = 0
    if "/" in text or "@" in text:
        text = _URL.sub(" | ", text)
    text, glosses = unglossed(text)
    for match in _TOKEN.finditer(text):
        gap = text[previous_end : match.start()]
        token = match.group()
        if (gap and not gap.isspace()) or _is_break(token):
            if current:
                runs.append((current, starts))
            current = []
            starts = (
                previous_end == 0 or _SENTENCE_END.search(gap) is not None or (starts and not runs)
            )
        if not _is_break(token):
            if not current and previous_end == 0:
                starts = True
            current.append(token)
        previous_end = match.end()
    if current:
        runs.append((current, starts))
    runs.extend(([gloss], False) for gloss in glosses)
    return runs


def _count_segment(
    text: str, doc_bit: int, counts: Counts, stop: frozenset[str], max_words: int
) -> None:
    surfaces = counts.surfaces
    for run, starts in clauses(clean_value(text)):
        counts.tokens += len(run)
        counts.words.update(run)
        ok_edge = [_content(t, stop) for t in run]
        ok_inner = _inner_ok(run, ok_edge)
        size = len(run)
        for i in range(size):
            if not ok_edge[i]:
                continue
            initial = starts and i == 0
            for j in range(i, min(size, i + max_words)):
                if not ok_inner[j]:
                    break
                if not ok_edge[j]:
                    continue
                form = run[i] if i == j else " ".join(run[i : j + 1])
                entry = surfaces.get(form)
                if entry is None:
                    entry = surfaces[form] = _Surface(ntokens=j - i + 1)
                entry.count += 1
                entry.docs |= doc_bit
                if initial:
                    entry.initial += 1
    _acronym_pairs(text, counts)


_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z]*[A-Z]\w*)\s*\)")


def _acronym_pairs(text: str, counts: Counts) -> None:
    """Record "expansion (ACR)" pairs whose initials spell the acronym."""
    if "(" not in text:
        return
    for match in _PAREN_ACRONYM.finditer(text):
        acronym = match.group(1)
        if not _is_acronym(acronym):
            continue
        before = [m.group() for m in _TOKEN.finditer(text[: match.start()])][-3 * len(acronym) :]
        expansion = _expansion(acronym, before)
        if expansion:
            counts.acronym_pairs[(acronym, expansion)] += 1


def _expansion(acronym: str, words: Sequence[str]) -> str:
    """The shortest tail of `words` whose initials (function words skipped,
    hyphenated parts counted) spell `acronym`."""
    letters = acronym.upper()
    stop = nl.function_words()
    for start in range(len(words) - 1, -1, -1):
        if words[start].lower() in stop:
            continue
        initials = ""
        for word in words[start:]:
            if word.lower() in stop:
                continue
            initials += "".join(part[0].upper() for part in word.split("-") if part)
        if initials == letters:
            return " ".join(words[start:])
        if len(initials) > len(letters) + 2:
            break
    return ""


def count(
    documents: Iterable[Document],
    max_words: int = MAX_WORDS,
    progress: Callable[[Document], None] | None = None,
) -> tuple[Counts, list[Document]]:
    """First pass: count every candidate surface form; keep the documents."""
    counts = Counts()
    stop = nl.function_words()
    kept: list[Document] = []
    for number, document in enumerate(documents):
        bit = 1 << number
        for segment in document.segments:
            if segment.kind == "furniture":
                continue
            _count_segment(segment.text, bit, counts, stop, max_words)
        counts.documents += 1
        kept.append(document)
        if progress is not None:
            progress(document)
    return counts, kept


def count_part(documents: Sequence[Document], max_words: int = MAX_WORDS) -> Counts:
    """The map step of the first pass: the counts of a part of the documents,
    document bits numbered from the part's first document."""
    return count(documents, max_words)[0]


def merge_counts(parts: Iterable[tuple[int, Counts]]) -> Counts:
    """The counts of consecutive parts, as `count` gives them for all documents.

    `parts` are (number of the part's first document, its counts) in
    document order. Forms and acronym pairs keep the order in which a run
    over all documents first meets them (ties are broken by that order), so
    the result is exactly the single run's, whatever machines counted the parts.
    """
    merged: Counts | None = None
    for first, part in parts:
        if merged is None and first == 0:
            merged = part
            continue
        if merged is None:
            merged = Counts()
        surfaces = merged.surfaces
        for form, surface in part.surfaces.items():
            entry = surfaces.get(form)
            if entry is None:
                surfaces[form] = replace(surface, docs=surface.docs << first)
            else:
                entry.count += surface.count
                entry.initial += surface.initial
                entry.docs |= surface.docs << first
        merged.words.update(part.words)
        merged.acronym_pairs.update(part.acronym_pairs)
        merged.tokens += part.tokens
        merged.documents += part.documents
    return merged if merged is not None else Counts()


_R = TypeVar("_R")
Step = Callable[[Sequence[Document], int], _R]
"""A map step: (the documents of a part, the number of its first document) -> partial result."""


class DocumentParts(Protocol):
    """The documents of a mining run, in consecutive parts (one part locally;
    many, on other machines, with `glossary.distributed`)."""

    def map(self, step: Callable[[Sequence[Document], int], _R]) -> list[tuple[int, _R]]:
        """`step` run on every part: (number of the part's first document, result), in order."""
        ...


@dataclass(frozen=True)
class LocalParts:
    """All documents in one part, in this process."""

    documents: Sequence[Document]

    def map(self, step: Callable[[Sequence[Document], int], _R]) -> list[tuple[int, _R]]:
        return [(0, step(self.documents, 0))]


@dataclass(frozen=True)
class ExpansionStep:
    """Map step: where the acronym expansions occur, {expansion: (count, document bits)}
    in the order met (bits numbered from the part's first document)."""

    expansions: tuple[str, ...]

    def __call__(self, documents: Sequence[Document], first: int) -> dict[str, tuple[int, int]]:
        patterns = {
            e: re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, e.split(" "))) + r"(?!\w)")
            for e in self.expansions
        }
        found: dict[str, tuple[int, int]] = {}
        for number, document in enumerate(documents):
            for segment in document.segments:
                text = segment.text
                for expansion, pattern in patterns.items():
                    if expansion.split(" ", 1)[0] not in text:
                        continue
                    hits = len(pattern.findall(text))
                    if hits:
                        n, docs = found.get(expansion, (0, 0))
                        found[expansion] = (n + hits, docs | 1 << number)
        return found


def _count_expansions(counts: Counts, parts: DocumentParts) -> None:
    """Count the acronym expansions found in "... (OVSE)" patterns wherever
    they occur (they may hold words a candidate cannot: "Veiligheid en
    Samenwerking")."""
    expansions = sorted({e for _, e in counts.acronym_pairs if e not in counts.surfaces})
    if not expansions:
        return
    for first, found in parts.map(ExpansionStep(tuple(expansions))):
        for expansion, (hits, docs) in found.items():
            entry = counts.surfaces.setdefault(
                expansion, _Surface(ntokens=len(expansion.split(" ")))
            )
            entry.count += hits
            entry.docs |= docs << first


# ------------------------------------------------------------------ grouping


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent == item:
            return item
        root = self.find(parent)
        self.parent[item] = root
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller key becomes the root, so results do not depend on order.
            if root_b < root_a:
                root_a, root_b = root_b, root_a
            self.parent[root_b] = root_a


def _word_key(token: str) -> str:
    """A word's identity before inflection: case (except acronyms) and accents folded."""
    if _is_acronym(token):
        return strip_accents(token).replace("’", "'")
    return strip_accents(token.casefold()).replace("’", "'")


def _lemma_ok(word: str, lemma: str) -> bool:
    """Is simplemma's lemma a plausible de-inflection of `word`?"""
    if not lemma or "_" in lemma or " " in lemma or lemma == word:
        return False
    common = 0
    for a, b in zip(word, lemma, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(2, len(lemma) - 2) and len(word) - common <= 4


def _word_classes(words: Iterable[str]) -> dict[str, str]:
    """Map each word key to its inflection class representative."""
    import simplemma

    keys = {_word_key(w) for w in words}
    uf = _UnionFind()
    for key in keys:
        uf.find(key)
        if _is_acronym(key):
            for form in nl.term_forms(key, case_sensitive=True)[1:]:
                if form in keys:
                    uf.union(key, form)
            continue
        forms = nl.term_forms(key)[1:] + nl.adjective_forms(key)
        for form in forms:
            folded = strip_accents(form.casefold())
            if folded in keys:
                uf.union(key, folded)
        if "-" not in key and len(key) > 3:
            lemma = strip_accents(simplemma.lemmatize(key, lang="nl").casefold())
            if _lemma_ok(key, lemma):
                uf.union(key, lemma)
    return {key: uf.find(key) for key in keys}


def _split_words(form: str) -> list[str]:
    return form.split(" ")


def _group_key(form: str, classes: dict[str, str]) -> str:
    """Hyphen/space/joined spellings and inflected forms share this key."""
    parts: list[str] = []
    for word in _split_words(form):
        key = _word_key(word)
        rep = classes.get(key, key)
        parts.append(rep)
    return "".join(parts).replace("-", "")


# ------------------------------------------------------------------ scoring


@dataclass
class _Group:
    key: str
    forms: dict[str, _Surface] = field(default_factory=dict)
    frequency: int = 0
    docs: int = 0
    initial: int = 0
    ntokens: int = 1
    containers: dict[int, int] = field(default_factory=dict)  # longer candidate -> count
    # Occurrences inside recurring longer candidates (any extension), and those candidates.
    held: int = 0
    holders: list[_Group] = field(default_factory=list)
    expansion: str = ""
    score: float = 0.0
    kind: Kind = "word"

    def add(self, form: str, surface: _Surface) -> None:
        self.forms[form] = surface
        self.frequency += surface.count
        self.docs |= surface.docs
        self.initial += surface.initial
        self.ntokens = max(self.ntokens, surface.ntokens)


def _canonical(group: _Group) -> str:
    """The form to show: the most frequent, not counting capitals only due to
    sentence starts."""

    def weight(item: tuple[str, _Surface]) -> tuple[int, int, str]:
        form, surface = item
        mid_sentence = surface.count - surface.initial
        return (-mid_sentence, -surface.count, form)

    return min(group.forms.items(), key=weight)[0]


def _kind(group: _Group, canonical: str) -> Kind:
    """acronym, name (every content word capitalised, not just at sentence
    starts), multiword or word."""
    words = _split_words(canonical)
    if len(words) == 1 and _is_acronym(canonical.split("-")[0]):
        return "acronym"
    stop = nl.function_words()
    content = [w for w in words if w.lower() not in stop]
    mid = group.frequency - group.initial
    if mid > 0 and content and all(w[:1].isupper() for w in content):
        capitalised = sum(s.count - s.initial for f, s in group.forms.items() if f[:1].isupper())
        if capitalised * 2 > mid:
            return "name"
    return "word" if len(words) == 1 else "multiword"


# ------------------------------------------------------------------ main entry


def mine(
    documents: Iterable[Document],
    *,
    known: Matcher | None = None,
    options: Options | None = None,
    progress: Callable[[Document], None] | None = None,
) -> list[Candidate]:
    """Mine candidate terms from `documents`, best first.

    `known`: a matcher over termbase concepts of every status; a candidate
    whose form is one of their terms gets the concept's status and id, and
    one whose every occurrence the approved and proposed terms account for
    (inside a longer term, cutting through one, made of several) is left
    out, as are candidates only ever seen inside a recurring longer one.
    """
    options = check_options(options)
    counts, kept = count(documents, options.max_words, progress)
    return rank(counts, LocalParts(kept), known=known, options=options)


def check_options(options: Options | None) -> Options:
    """The options, checked (`InvalidValue` for a bad --min-freq or --top)."""
    options = options or Options()
    if options.min_freq < 1:
        raise InvalidValue(f"--min-freq must be at least 1, not {options.min_freq}.")
    if options.top is not None and options.top < 1:
        raise InvalidValue(f"--top must be at least 1, not {options.top}.")
    return options


def rank(
    counts: Counts,
    parts: DocumentParts,
    *,
    known: Matcher | None = None,
    options: Options | None = None,
) -> list[Candidate]:
    """The second half of `mine`: group, score and rank the counted forms.

    `counts` are those of all documents (`count`, or `merge_counts` of the
    parts' `count_part`); the passes over the documents (expansions, own
    occurrences, contexts) are map steps that `parts` runs on every part,
    and their results are merged here in document order, so the candidates
    are the same however the documents are split and wherever the steps run.
    """
    options = check_options(options)
    _count_expansions(counts, parts)
    groups = _group(counts)
    _nest(groups, nl.function_words())
    _score(groups, counts)
    _boost_domain_compounds(groups)
    eligible = [g for g in groups if g.frequency >= options.min_freq]
    nested = _without_own_occurrences(eligible, parts, known)
    ranked = sorted(
        (g for g in eligible if id(g) not in nested),
        key=lambda g: (-g.score, -g.frequency, g.key),
    )
    if options.top is not None:
        ranked = ranked[: options.top]
    candidates = [_candidate(g) for g in ranked]
    if known is not None and len(known):
        candidates = with_status(candidates, known)
    if options.contexts:
        candidates = _attach_contexts(candidates, parts, options.contexts)
    return candidates


def _group(counts: Counts) -> list[_Group]:
    surfaces = counts.surfaces
    words = {w for form in surfaces for w in _split_words(form)}
    classes = _word_classes(words)
    by_key: dict[str, _Group] = {}
    for form, surface in surfaces.items():
        key = _group_key(form, classes)
        group = by_key.get(key)
        if group is None:
            group = by_key[key] = _Group(key=key, ntokens=surface.ntokens)
        group.add(form, surface)
    _merge_rules(by_key, counts, classes)
    groups = list(by_key.values())
    for group in groups:
        if len(group.forms) > 1:
            _discount_nested_forms(group)
    return groups


def _discount_nested_forms(group: _Group) -> None:
    """Count each occurrence once when one form of a group holds another:
    every "OVSE Minsk Groep" is also counted as "Minsk Groep", and "EU
    lidstaten steunen" as "lidstaten steunen". The shorter form keeps only
    the occurrences outside the longer ones (and goes when none are left)."""
    words = {form: form.split(" ") for form in group.forms}
    inside: dict[str, list[str]] = {}
    for short in group.forms:
        for long in group.forms:
            if len(words[long]) > len(words[short]) and _holds(words[long], words[short]):
                inside.setdefault(short, []).append(long)
    if not inside:
        return
    counts = {form: surface.count for form, surface in group.forms.items()}
    for short, longer in inside.items():
        # Only the outermost holders: "OVSE Minsk Groep" already holds the
        # "Minsk Groep" of "de OVSE Minsk Groep"-like nestings once.
        outer = [
            f for f in longer if not any(f != g and _holds(words[g], words[f]) for g in longer)
        ]
        counts[short] -= sum(group.forms[f].count for f in outer)
    forms = group.forms
    group.forms, group.frequency, group.docs, group.initial = {}, 0, 0, 0
    for form, surface in forms.items():
        if counts[form] > 0:
            group.add(
                form,
                replace(surface, count=counts[form], initial=min(surface.initial, counts[form])),
            )


def _holds(outer: Sequence[str], inner: Sequence[str]) -> bool:
    """Is `inner` a run of consecutive words of `outer`?"""
    size = len(inner)
    return any(outer[i : i + size] == inner for i in range(len(outer) - size + 1))


def _merge(by_key: dict[str, _Group], into: str, other: str) -> None:
    if into == other or into not in by_key or other not in by_key:
        return
    target, source = by_key[into], by_key.pop(other)
    for form, surface in source.forms.items():
        target.add(form, surface)
    target.expansion = target.expansion or source.expansion


def _merge_rules(by_key: dict[str, _Group], counts: Counts, classes: dict[str, str]) -> None:
    """Group variants that keys alone cannot: expansions, acronym prefixes,
    "groep van Minsk", one-vowel spellings."""
    uf = _UnionFind()
    # An acronym and its expansion: "Organisatie voor ... Europa (OVSE)".
    expansions: dict[str, tuple[str, int]] = {}
    for (acronym, expansion), n in counts.acronym_pairs.items():
        if n > expansions.get(acronym, ("", 0))[1]:
            expansions[acronym] = (expansion, n)
    for acronym, (expansion, _) in expansions.items():
        a_key = _group_key(acronym, classes)
        e_key = _group_key(expansion, classes)
        if a_key in by_key:
            by_key[a_key].expansion = expansion
            if e_key in by_key:
                uf.union(a_key, e_key)
    for key, group in list(by_key.items()):
        for form in group.forms:
            for other, compound in _alternative_keys(form, classes):
                if other in by_key and other != key:
                    if compound and not any(map(_compound_like, by_key[other].forms)):
                        continue
                    uf.union(other, key)
    # One vowel apart in long keys ("minskgroup" / "minskgroep", OCR slips);
    # one letter apart in long names ("Nagorno-Karabach" / "Nagorno-Karabakh").
    buckets: dict[str, str] = {}
    for key, group in by_key.items():
        if len(key) < 8 or not key.islower():
            continue
        name = len(key) >= 10 and all(f[:1].isupper() for f in group.forms)
        for i, char in enumerate(key):
            if char in "aeiou" or name:
                probe = ("N" if name and char not in "aeiou" else "") + key[:i] + "*" + key[i + 1 :]
                other = buckets.setdefault(probe, key)
                if other != key:
                    uf.union(other, key)
    roots: dict[str, list[str]] = {}
    for key in list(by_key):
        roots.setdefault(uf.find(key), []).append(key)
    for members in roots.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda k: (-by_key[k].frequency, k))
        for other in members[1:]:
            _merge(by_key, members[0], other)


def _alternative_keys(form: str, classes: dict[str, str]) -> list[tuple[str, bool]]:
    """Other keys under which `form` is the same term, each with whether it
    only holds for a compound (see `_compound_like`)."""
    words = _split_words(form)
    out: list[tuple[str, bool]] = []
    # A leading acronym: "OVSE Minsk Groep", "OVSE-groep van Minsk".
    first = words[0]
    if len(words) > 2 and _is_acronym(first) and not _is_acronym(words[1]):
        out.append((_group_key(" ".join(words[1:]), classes), False))
    elif len(words) > 1 and "-" in first and _is_acronym(first.split("-", 1)[0]):
        rest = [first.split("-", 1)[1], *words[1:]]
        words = rest
        out.append((_group_key(" ".join(rest), classes), False))
    # "groep van Minsk" is the compound "Minskgroep" (not the phrase
    # "Azerbeidzjan deel" of "dat Azerbeidzjan deel uitmaakt").
    if len(words) == 3 and words[1].lower() == "van":
        out.append((_group_key(words[2] + words[0], classes), True))
    return out


def _compound_like(form: str) -> bool:
    """One word ("Minskgroep", "Minsk-groep") or a name ("Minsk Groep")."""
    words = _split_words(form)
    return len(words) == 1 or all(w[:1].isupper() for w in words)


def _nest(groups: list[_Group], stop: frozenset[str]) -> None:
    """C-value bookkeeping: for each candidate, how often longer candidates
    contain it. A container that only adds a prepositional phrase ("X in het
    Oostelijk Partnerschap") does not count: the inner term is still a unit
    of its own there."""
    by_form: dict[str, _Group] = {}
    for group in groups:
        for form in group.forms:
            by_form[form] = group
    for group in groups:
        recurring = group.frequency >= RECURRING
        for form, surface in group.forms.items():
            words = _split_words(form)
            size = len(words)
            if size < 2:
                continue
            content = [w.lower() not in stop for w in words]
            seen: set[int] = set()
            held: set[int] = set()
            for length in range(1, size):
                for start in range(size - length + 1):
                    end = start + length
                    adjacent = (start > 0 and content[start - 1]) or (end < size and content[end])
                    if not (adjacent or recurring):
                        continue
                    inner = by_form.get(" ".join(words[start:end]))
                    if inner is None or inner is group:
                        continue
                    if recurring and id(inner) not in held:
                        held.add(id(inner))
                        inner.held += surface.count
                        if not inner.holders or inner.holders[-1] is not group:
                            inner.holders.append(group)
                    if adjacent and id(inner) not in seen:
                        seen.add(id(inner))
                        inner.containers[id(group)] = (
                            inner.containers.get(id(group), 0) + surface.count
                        )


# Scoring parameters (the README, "How it works", says how they were chosen).
TERMHOOD_POWER: float = 0.5
FREQUENCY_POWER: float = 0.5
SPREAD_POWER: float = 1.0
LINK_PENALTY: float = 0.6
UNKNOWN_ZIPF: float = 0.5
NAME_BOOST: float = 1.3
# How much likelier than chance the words of a name are together in general
# Dutch (log10): the general frequency of "Raad van Europa" is estimated as
# that of its words multiplied, times 10**ASSOCIATION per join.
ASSOCIATION: float = 3.0
MAX_NAME_WORDS: int = 2
NEST_MAX: bool = True


def _score(groups: list[_Group], counts: Counts) -> None:
    """Score = termhood^a x log2(1 + C-value frequency)^b x spread^c x link penalty.

    - termhood: how much more frequent the candidate is in the documents than
      its words are in general Dutch, in Zipf units: log10 of the
      candidate's frequency per billion words minus the (mean) Zipf
      frequency of its content words in wordfreq's Dutch list (unknown
      words count as `UNKNOWN_ZIPF`); for a single word, the general
      frequencies of all its variants are added up;
    - C-value frequency: frequency minus the mean frequency of the longer
      candidates containing it, times log2(words + 1) (Frantzi et al.), so
      "Hoge Vertegenwoordiger" and "Hoge Vertegenwoordiger voor Buitenlands
      Beleid" are each judged on their own occurrences;
    - spread: 1 + log2(1 + documents) / log2(1 + all documents);
    - link penalty: `LINK_PENALTY` per linking word inside ("van", "de").
    """
    zipf = nl.zipf
    total = max(1, counts.tokens)
    stop = nl.function_words()
    ndocs = max(1, counts.documents)

    @functools.cache
    def general(word: str) -> float:
        return max(zipf(word), UNKNOWN_ZIPF)

    for group in groups:
        canonical = _canonical(group)
        group.kind = _kind(group, canonical)
        words = _split_words(canonical)
        content = [w for w in words if w.lower() not in stop]
        if not content:
            group.score = 0.0
            continue
        here = math.log10(group.frequency / total * 1e9)
        if len(words) == 1:
            shares = {v.lower(): 10 ** general(v) for v in group.forms}
            termhood = here - math.log10(sum(shares.values()))
        else:
            termhood = here - sum(general(w) for w in content) / len(content)
            if group.kind == "name" and len(content) <= MAX_NAME_WORDS:
                joint = 9 + sum(general(w) - 9 for w in content) + ASSOCIATION * (len(content) - 1)
                termhood = max(termhood, here - max(joint, UNKNOWN_ZIPF))
        frequency = float(group.frequency)
        if group.containers:
            frequency -= (
                max(group.containers.values())
                if NEST_MAX
                else (sum(group.containers.values()) / len(group.containers))
            )
        cvalue = math.log2(len(words) + 1) * max(frequency, 0.5)
        spread = 1.0 + math.log2(1 + bin(group.docs).count("1")) / math.log2(1 + ndocs)
        links = len(words) - len(content)
        boost = 1.0
        if group.kind == "name" and len(words) > 1:
            boost, links = NAME_BOOST, 0
        group.score = boost * (
            max(termhood, 0.1) ** TERMHOOD_POWER
            * math.log2(1 + cvalue) ** FREQUENCY_POWER
            * spread**SPREAD_POWER
            * LINK_PENALTY**links
        )


DOMAIN_STEMS: float = 0.05  # share of single-word candidates taken as domain stems
COMPOUND_BOOST: float = 1.0
MIN_STEM: int = 4


def _boost_domain_compounds(groups: list[_Group]) -> None:
    """Raise compounds built on the documents' own best words.

    The best-scoring single words (`DOMAIN_STEMS` of them, "corruptie",
    "windturbine", "teugel") are the domain's stems; a one-word candidate
    that starts or ends with one ("corruptiepreventie",
    "anticorruptiestrategie", "buitenteugel") is a domain compound even when
    it occurs once, so its score is multiplied by 1 + `COMPOUND_BOOST`.
    """
    singles = sorted(
        (g for g in groups if g.ntokens == 1 and g.kind in ("word", "name")),
        key=lambda g: -g.score,
    )
    take = max(1, int(len(singles) * DOMAIN_STEMS))
    stems = {
        form.casefold()
        for g in singles[:take]
        for form in g.forms
        if len(form) >= MIN_STEM and "-" not in form
    }
    if not stems:
        return
    for group in singles:
        if any(_compound_of(form.casefold(), stems) for form in group.forms):
            group.score *= 1 + COMPOUND_BOOST


def _compound_of(word: str, stems: set[str]) -> bool:
    """Does `word` start or end with a stem, leaving at least `MIN_STEM` letters?"""
    size = len(word)
    if size < 2 * MIN_STEM:
        return False
    for cut in range(MIN_STEM, size - MIN_STEM + 1):
        head, tail = word[:cut], word[cut:]
        if (head in stems and word not in stems) or tail in stems:
            return True
    return False


def _candidate(group: _Group) -> Candidate:
    canonical = _canonical(group)
    variants = sorted(group.forms.items(), key=lambda item: (-item[1].count, item[0]))
    merged: dict[str, int] = {}
    for form, surface in variants:
        merged[form] = merged.get(form, 0) + surface.count
    return Candidate(
        term=canonical,
        variants=tuple(Variant(f, n) for f, n in merged.items()),
        frequency=group.frequency,
        doc_frequency=bin(group.docs).count("1"),
        score=group.score,
        kind=group.kind,
        expansion=group.expansion,
    )


# ------------------------------------------------------------------ nested candidates

RECURRING: Final = 2  # a longer candidate seen this often is a unit that can hold others


def _without_own_occurrences(
    groups: Sequence[_Group], parts: DocumentParts, known: Matcher | None
) -> set[int]:
    """Ids of the groups none of whose occurrences is their own.

    An occurrence is not the candidate's own (C-value's nesting, counted by
    position) when the candidate has several words and the occurrence lies
    inside an occurrence of a longer candidate seen at least `RECURRING`
    times ("Organisatie voor Veiligheid" inside "Organisatie voor Veiligheid
    en Samenwerking in Europa"), or, with `known`, when the termbase's terms
    (approved or proposed; rejected ones are not terms) account for it: it
    lies inside a longer term ("Minsk" inside "Minsk Groep"), cuts through
    one ("Armeense Ministerie" of "Armeense Ministerie van Defensie"), or is
    made of two or more of them ("Turkse F16": Turks + F-16). A candidate
    whose every occurrence is accounted for that way has C-value frequency
    0 and is not proposed. An occurrence that is exactly a known term is
    its own. A single word is a unit of its own: only known terms account
    for it (in ACTER, "springproef" is a term although every occurrence is
    in "volledige springproef").

    Only suspects are checked by position: groups whose count inside
    recurring longer candidates reaches their frequency, and groups sharing
    a word with a known term.
    """
    suspects = [g for g in groups if g.ntokens > 1 and g.holders and g.held >= g.frequency]
    live: list[Concept] = []
    if known is not None:
        live = [c for c in known.concepts if c.status != "rejected"]
    if live:
        words = _known_words(live)
        suspects += [
            g
            for g in groups
            if not (g.ntokens > 1 and g.holders and g.held >= g.frequency)
            and any(
                w in words for form in g.forms for w in split_words(strip_accents(form.casefold()))
            )
        ]
    if not suspects:
        return set()
    watched: dict[int, _Group] = {id(g): g for g in suspects}
    for group in suspects:
        for holder in group.holders:
            watched.setdefault(id(holder), holder)
    order = list(watched.values())
    step = OwnOccurrenceStep(
        concepts=tuple(
            Concept(
                id=str(n),
                nl=next(iter(g.forms)),
                nl_variants=tuple(list(g.forms)[1:]),
                case_sensitive=g.kind == "acronym",
            )
            for n, g in enumerate(order)
        ),
        sizes=tuple((g.ntokens, g.frequency) for g in order),
        suspects=len(suspects),
        known=known if live else None,
        live=frozenset(c.id for c in live),
    )
    seen: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for _, (part_seen, part_own) in parts.map(step):
        seen.update(part_seen)
        own.update(part_own)
    return {id(order[int(n)]) for n in seen if not own[n]}


@dataclass(frozen=True)
class OwnOccurrenceStep:
    """Map step of `_without_own_occurrences`: per watched group (by number),
    its occurrences and those that are its own, in a part of the documents."""

    concepts: tuple[Concept, ...]  # the watched groups as concepts "0", "1"...; suspects first
    sizes: tuple[tuple[int, int], ...]  # (tokens, frequency) of each watched group
    suspects: int
    known: Matcher | None  # the termbase, when it has live terms
    live: frozenset[str]  # ids of its approved and proposed concepts

    @functools.cached_property
    def matcher(self) -> Matcher:
        return Matcher.build(self.concepts, inflect=False)

    def __call__(
        self, documents: Sequence[Document], first: int
    ) -> tuple[Counter[str], Counter[str]]:
        matcher, known, sizes = self.matcher, self.known, self.sizes
        suspect_ids = {str(n) for n in range(self.suspects)}
        seen: Counter[str] = Counter()
        own: Counter[str] = Counter()
        for document in documents:
            for segment in document.segments:
                if segment.kind == "furniture":
                    continue
                text = unglossed(clean_value(segment.text))[0]
                found = matcher.find(text, overlapping=True)
                if not any(m.concept_id in suspect_ids for m in found):
                    continue
                terms = (
                    [m for m in known.find(text, overlapping=True) if m.concept_id in self.live]
                    if known is not None
                    else []
                )
                for match in found:
                    if match.concept_id not in suspect_ids or _in_compound(text, match):
                        continue
                    seen[match.concept_id] += 1
                    if not _accounted_for(match, found, sizes, terms, text):
                        own[match.concept_id] += 1
        return seen, own


def _accounted_for(
    match: Match,
    found: Sequence[Match],
    sizes: Sequence[tuple[int, int]],
    terms: Sequence[Match],
    text: str,
) -> bool:
    """Is this occurrence inside a longer recurring candidate, or explained by known terms?"""
    start, end = match.start, match.end
    if any(t.start == start and t.end == end for t in terms):
        return False  # exactly a known term
    for other in found if sizes[int(match.concept_id)][0] > 1 else ():
        if (
            other.concept_id != match.concept_id
            and other.start <= start
            and end <= other.end
            and other.end - other.start > end - start
            and sizes[int(other.concept_id)][1] >= RECURRING
        ):
            return True
    inside: list[Match] = []
    for term in terms:
        if term.end <= start or end <= term.start:
            continue
        if start <= term.start and term.end <= end:
            inside.append(term)
        else:
            return True  # inside a longer term, or cutting through one
    if len(inside) < 2:
        return False
    covered = bytearray(end - start)
    for term in inside:
        covered[term.start - start : term.end - start] = b"\x01" * (term.end - term.start)
    return all(covered[i] or not text[start + i].isalnum() for i in range(end - start))


def _in_compound(text: str, match: Match) -> bool:
    """A match that is one part of a hyphenated word ("Minsk" of "Minsk-groep")
    is not an occurrence of a candidate: mining counts whole words."""
    return text[match.start - 1 : match.start] == "-" or text[match.end : match.end + 1] == "-"


def _known_words(concepts: Iterable[Concept]) -> set[str]:
    """The words of the concepts' Dutch terms and their inflected forms, folded."""
    words: set[str] = set()
    for concept in concepts:
        for term in concept.nl_terms:
            for form in nl.term_forms(term, concept.case_sensitive):
                words.update(split_words(strip_accents(form.casefold())))
    return words


# ------------------------------------------------------------------ termbase, contexts


def with_status(candidates: Iterable[Candidate], known: Matcher) -> list[Candidate]:
    """Each candidate with the status and id of the termbase concept that
    covers one of its forms ("new" when none does), as `mine` sets them: also
    for a review that outlives changes to the termbase."""
    by_id = {c.id: c for c in known.concepts}
    return [_with_status(c, known, by_id) for c in candidates]


def _with_status(candidate: Candidate, known: Matcher, by_id: dict[str, Concept]) -> Candidate:
    """Status of the termbase concept that covers one of the candidate's forms."""
    for form in candidate.forms:
        matches = known.find(form)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(form):
            concept = by_id[matches[0].concept_id]
            return replace(candidate, status=concept.status, concept_id=concept.id)
    if candidate.status != "new" or candidate.concept_id:
        return replace(candidate, status="new", concept_id="")
    return candidate


def attach_contexts(
    candidates: Sequence[Candidate], documents: Sequence[Document], limit: int = CONTEXTS
) -> list[Candidate]:
    """Up to `limit` segments per candidate where one of its forms occurs."""
    return _attach_contexts(candidates, LocalParts(documents), limit)


def _attach_contexts(
    candidates: Sequence[Candidate], parts: DocumentParts, limit: int
) -> list[Candidate]:
    if not candidates:
        return []
    step = ContextStep(tuple((c.term, c.forms[1:]) for c in candidates), limit)
    found: dict[int, list[Context]] = {}
    for _, part in parts.map(step):
        for n, contexts in part.items():
            _add_contexts(found.setdefault(n, []), contexts, limit)
    return [replace(c, contexts=tuple(found.get(n, ()))) for n, c in enumerate(candidates)]


def _add_contexts(bucket: list[Context], contexts: Iterable[Context], limit: int) -> None:
    """The first `limit` contexts, one per segment, in document order. The
    first `limit` of a part's own list are all a later merge can take, so
    parts merged in order give exactly the single pass's list."""
    for context in contexts:
        if len(bucket) < limit and all(c.ref != context.ref for c in bucket):
            bucket.append(context)


@dataclass(frozen=True)
class ContextStep:
    """Map step of the contexts: up to `limit` per candidate (by number) in a part."""

    terms: tuple[tuple[str, tuple[str, ...]], ...]  # each candidate's term and other forms
    limit: int

    def __call__(self, documents: Sequence[Document], first: int) -> dict[int, list[Context]]:
        concepts = [
            Concept(id=str(n), nl=term, nl_variants=forms)
            for n, (term, forms) in enumerate(self.terms)
        ]
        matcher = Matcher.build(concepts, inflect=False)
        limit = self.limit
        found: dict[int, list[Context]] = {}
        missing = set(range(len(concepts)))
        for document in documents:
            for segment in document.segments:
                for match in matcher.find(segment.text, overlapping=True):
                    n = int(match.concept_id)
                    bucket = found.setdefault(n, [])
                    if len(bucket) < limit and all(c.ref != segment.ref for c in bucket):
                        bucket.append(_context(segment))
                        if len(bucket) == limit:
                            missing.discard(n)
                if not missing:
                    return found
        return found


def _context(segment: Segment) -> Context:
    text = " ".join(segment.text.split())
    return Context(ref=segment.ref, text=text)


# ------------------------------------------------------------------ machine suggestions


def suggest(
    candidates: Sequence[Candidate], engine: Engine, *, only_new: bool = True
) -> list[Candidate]:
    """Add machine-suggested English to candidates: the term translated alone,
    and the term's share of the translation of its first context (from the
    engine's alignment; the whole sentence when the engine gives none).

    Suggestions are marked as machine output and never approve anything.
    """
    from glossary.engines.base import Request

    chosen = [n for n, c in enumerate(candidates) if c.status == "new" or not only_new]
    if not chosen:
        return list(candidates)
    aligned = engine.capabilities.alignment
    requests: list[Request] = []
    plan: list[tuple[int, str, tuple[int, int] | None]] = []
    for n in chosen:
        candidate = candidates[n]
        requests.append(Request(candidate.term))
        plan.append((n, "term", None))
        if candidate.contexts:
            sentence = candidate.contexts[0].text
            span = _span_of(candidate, sentence)
            if span is not None:
                requests.append(Request(sentence, alignment=aligned))
                plan.append((n, "context", span))
    results = engine.translate_batch(requests)
    signature = engine.signature
    found: dict[int, list[Suggestion]] = {}
    for (n, source, span), hypotheses in zip(plan, results, strict=True):
        if not hypotheses or not hypotheses[0].text.strip():
            continue
        best = hypotheses[0]
        text = best.text.strip()
        if span is not None:
            text = _aligned_text(best.text, best.alignment, span) or text
        bucket = found.setdefault(n, [])
        if all(s.text != text for s in bucket):
            bucket.append(Suggestion(text=text, source=source, engine=signature))
    return [
        replace(c, suggestions=tuple(found[n])) if n in found else c
        for n, c in enumerate(candidates)
    ]


def _span_of(candidate: Candidate, sentence: str) -> tuple[int, int] | None:
    matcher = Matcher.build(
        [Concept(id="c", nl=candidate.term, nl_variants=tuple(candidate.forms[1:]))]
    )
    matches = matcher.find(sentence)
    return (matches[0].start, matches[0].end) if matches else None


def _aligned_text(target: str, links: Sequence[Link], span: tuple[int, int]) -> str:
    """The target words linked to the source `span` (contiguous cover)."""
    starts: list[int] = []
    ends: list[int] = []
    for link in links:
        if link.source_start < span[1] and span[0] < link.source_end:
            starts.append(link.target_start)
            ends.append(link.target_end)
    if not starts:
        return ""
    return target[min(starts) : max(ends)].strip(" ,.;:")
