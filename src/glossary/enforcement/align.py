"""Where does a translation render a term it gets wrong? Alignment without trusting the model.

For each occurrence a translation misses (`glossary.matching.verify`),
`place` finds the target span that renders it, from what the termbase and
the two texts show, strongest evidence first:

- **certain**: the term in the wrong case ("Osce"), a forbidden rendering
  of its concept ("truce" is forbidden? then it is the term's place), the
  Dutch term copied into the English ("OVSE");
- **strong**: the English of another concept of the termbase that the
  source does not hold and that is related to this one (they share an
  English term or word: "truce" is wapenstilstand's English, and
  wapenstilstand shares "ceasefire" with staakt-het-vuren); a run of target
  words sharing a content word with the term's English ("peace deal" for
  "peace agreement", "human rights abuses" for "human rights violations");
  a word spelled almost like the Dutch term or its English ("Azerbaidjan",
  "land mines" for "landmine"); the gap between two anchors (words both
  sides share, other terms' renderings, numbers, punctuation) when it holds
  the term alone on the Dutch side and as many content words on the English
  side; the model's attention over the target (`Link`s), trimmed to words
  no anchor explains;
- **weak**: the English of an unrelated concept the source does not hold,
  or a gap that holds other words too (the order of content words decides).

Each method gives candidate spans with a score; spans that several methods
agree on add up. Occurrences are placed strongest first, never on a span
another term already has, never on part of a capitalised name ("Frans
Timmermans") unless the concept is a name. `glossary fix` applies what is
at least strong and flags the rest; the cascade's replace step applies
everything and inserts what has no candidate at all.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.engines.base import Link
from glossary.lang import en
from glossary.lang.text import fold_words, split_words, strip_accents
from glossary.matching.matcher import Match, find_english
from glossary.matching.verify import Glossary, Occurrence, Span, Verification, overlaps
from glossary.termbase.model import Concept

_GLUED = 12  # a linked piece of a token longer than this by more stays a piece

CERTAIN = 100
STRONG = 50
WEAK = 20

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*")
# English words that never start or end a rendering of a term on their own.
FUNCTION_WORDS: frozenset[str] = frozenset(
    (
        *("the", "a", "an", "of", "in", "on", "at", "to", "for", "with", "by", "from", "and"),
        *("or", "but", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had"),
        *("will", "would", "shall", "should", "can", "could", "may", "might", "must", "that"),
        *("this", "these", "those", "it", "its", "their", "his", "her", "as", "not", "no"),
        *("which", "who", "whom", "whose", "also", "than", "into", "over", "between", "after"),
        *("before", "about", "against", "under", "during", "since", "both", "all", "any"),
        *("some", "there", "they", "we", "he", "she", "our", "your", "them", "us", "i", "you"),
        *("do", "does", "did", "so", "such", "very", "more", "most", "only", "then", "if"),
        *("while", "when", "where", "what", "how", "why", "up", "out", "off", "because"),
        *("through", "within", "without", "upon", "per", "via", "each", "other", "another"),
    )
)
# Dutch words with one usual English counterpart: anchors for the gap method.
_DUTCH_ANCHORS: dict[str, tuple[str, ...]] = {
    "de": ("the",),
    "het": ("the", "it"),
    "en": ("and",),
    "of": ("or",),
    "van": ("of", "from"),
    "in": ("in",),
    "op": ("on",),
    "met": ("with",),
    "voor": ("for",),
    "door": ("by", "through"),
    "tegen": ("against",),
    "tussen": ("between",),
    "na": ("after",),
    "tijdens": ("during",),
    "sinds": ("since",),
    "over": ("on", "about", "over"),
    "is": ("is",),
    "zijn": ("are", "be", "his"),
    "was": ("was",),
    "waren": ("were",),
    "werd": ("was",),
    "werden": ("were",),
    "heeft": ("has",),
    "hebben": ("have",),
    "had": ("had",),
    "niet": ("not",),
    "ook": ("also",),
    "zal": ("will",),
    "zullen": ("will",),
    "kan": ("can",),
    "moet": ("must", "should"),
    "alle": ("all",),
    "beide": ("both",),
    "twee": ("two",),
    "drie": ("three",),
    "vier": ("four",),
    "vijf": ("five",),
    "zes": ("six",),
    "zeven": ("seven",),
    "tien": ("ten",),
}


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def function(self) -> bool:
        return self.lower in FUNCTION_WORDS


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Candidate:
    """A target span that may render occurrence `occurrence`, and why."""

    occurrence: int
    start: int
    end: int
    score: int
    how: str  # wrong-case, forbidden, copied, related, overlap, similar, gap, aligned, unrelated

    @property
    def span(self) -> Span:
        return self.start, self.end


@dataclass(frozen=True)
class Placement:
    """Where a missing occurrence goes: a span to replace, with its evidence."""

    occurrence: int
    start: int
    end: int
    how: str
    score: int
    others: tuple[str, ...] = ()  # other methods that agreed

    @property
    def certain(self) -> bool:
        return self.score >= CERTAIN

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


# ------------------------------------------------------------ the methods


def _like_for_like(
    text: str, occurrences: Sequence[Occurrence], result: Verification
) -> list[Candidate]:
    found: list[Candidate] = []
    missing = set(result.missing)
    for start, end, i in result.wrong_case:
        if i in missing:
            found.append(Candidate(i, start, end, CERTAIN + 20, "wrong-case"))
    for i in missing:
        concept = occurrences[i].concept
        for start, end, concept_id in result.forbidden:
            if concept_id == concept.id:
                found.append(Candidate(i, start, end, CERTAIN + 10, "forbidden"))
        match = occurrences[i].match
        dutch = dict.fromkeys((match.surface, match.term, *concept.nl_terms))
        for term in dutch:
            if fold_words(term) in {fold_words(t) for t in occurrences[i].accepted}:
                continue
            for start, end in find_english(text, term):
                found.append(Candidate(i, start, end, CERTAIN, "copied"))
    return found


def _content_words(term: str) -> list[str]:
    return [w.lower() for w in split_words(term) if w.lower() not in FUNCTION_WORDS]


def _same_word(a: str, b: str) -> bool:
    """Two English words alike up to a plural or possessive ending."""
    a, b = _bare(a), _bare(b)
    if a == b:
        return True
    return b in en.plural_forms(a) or a in en.plural_forms(b)


def _bare(word: str) -> str:
    word = word.lower()
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def related(a: Concept, b: Concept) -> bool:
    """Two concepts whose English overlaps: a shared term or content word
    ("ceasefire" for staakt-het-vuren and wapenstilstand; "talks")."""
    a_terms = {fold_words(t) for t in a.en_terms}
    b_terms = {fold_words(t) for t in b.en_terms}
    if a_terms & b_terms:
        return True
    a_words = {_bare(w) for t in a.en_terms for w in _content_words(t) if len(w) > 3}
    b_words = {_bare(w) for t in b.en_terms for w in _content_words(t) if len(w) > 3}
    return any(_same_word(x, y) for x in a_words for y in b_words)


def _other_concepts(
    text: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    glossary: Glossary,
) -> list[Candidate]:
    """English of concepts the source does not hold: a rendering of a missing term."""
    present = {o.concept.id for o in occurrences}
    missing = result.missing
    found: list[Candidate] = []
    index = _english_index(glossary)
    # Only the terms whose first word (or its stem) is a word of the text.
    heads = {w.casefold() for w in re.findall(r"\w+", text)}
    heads |= {w[:-3] + "y" for w in heads if w.endswith(("ies", "ied"))}  # allies, ally
    seen: set[tuple[str, str]] = set()
    for word in {w[:5] for w in heads}:
        for other, term in index.get(word, ()):
            if other.id in present or (other.id, term) in seen:
                continue
            seen.add((other.id, term))
            for start, end in find_english(text, term, verb=other.pos == "verb"):
                for i in missing:
                    concept = occurrences[i].concept
                    if any(fold_words(term) == fold_words(t) for t in occurrences[i].accepted):
                        continue
                    if any(_inside(term, t) for t in occurrences[i].accepted):
                        continue  # part of the term's own English ("human rights")
                    if related(concept, other):
                        found.append(Candidate(i, start, end, STRONG + 15, "related"))
                    elif other.pos == concept.pos and len(missing) == 1:
                        found.append(Candidate(i, start, end, WEAK + 5, "unrelated"))
    return found


_INDEXES: dict[int, tuple[Glossary, dict[str, list[tuple[Concept, str]]]]] = {}


def _english_index(glossary: Glossary) -> dict[str, list[tuple[Concept, str]]]:
    """The English terms of a glossary by the first 5 letters of their first
    word (plural and verb forms share them), built once per glossary: with
    100,000 concepts only the few that can occur in a text are tried."""
    held = _INDEXES.get(id(glossary))
    if held is not None and held[0] is glossary:
        return held[1]
    index: dict[str, list[tuple[Concept, str]]] = {}
    for concept in glossary.concepts:
        for term in concept.en_terms:
            words = split_words(term.casefold())
            if words:
                index.setdefault(words[0][:5], []).append((concept, term))
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[id(glossary)] = (glossary, index)
    return index


def _inside(part: str, whole: str) -> bool:
    """Whether the words of `part` are a run of the words of `whole`."""
    a, b = fold_words(part).split(), fold_words(whole).split()
    return len(a) < len(b) and any(b[k : k + len(a)] == a for k in range(len(b) - len(a) + 1))


def _overlap(
    text: str, toks: Sequence[Token], occurrences: Sequence[Occurrence], missing: Sequence[int]
) -> list[Candidate]:
    """Runs of target words around a content word of the term's English."""
    found: list[Candidate] = []
    for i in missing:
        occ = occurrences[i]
        for term in dict.fromkeys((occ.english, *occ.accepted)):
            words = split_words(term)
            if len(words) < 2:
                continue
            for k, tok in enumerate(toks):
                if tok.function or len(tok.text) < 4:
                    continue
                positions = [p for p, w in enumerate(words) if _same_word(w, tok.text)]
                if not positions:
                    continue
                p = positions[0]
                first = max(0, k - p)
                last = min(len(toks) - 1, k + (len(words) - 1 - p))
                # Do not run over function words at the edges or across punctuation.
                while first < k and (toks[first].function or _gap_has_stop(text, toks, first, k)):
                    first += 1
                while last > k and (toks[last].function or _gap_has_stop(text, toks, k, last)):
                    last -= 1
                if first == last == k and p not in (len(words) - 1, 0):
                    continue
                if first == last and len(words) >= 2 and p != len(words) - 1:
                    continue  # a modifier alone ("peace") is no rendering of the term
                shared = sum(
                    1 for t in toks[first : last + 1] if any(_same_word(w, t.text) for w in words)
                )
                score = STRONG + 5 + 5 * min(shared, 3) if last > first else STRONG
                found.append(Candidate(i, toks[first].start, toks[last].end, score, "overlap"))
    return found


def _gap_has_stop(text: str, toks: Sequence[Token], a: int, b: int) -> bool:
    between = text[toks[a].end : toks[b].start]
    return bool(re.search(r"[,.;:!?()\[\]\"“”]", between))


def _similar(
    toks: Sequence[Token], occurrences: Sequence[Occurrence], missing: Sequence[int]
) -> list[Candidate]:
    """Target words spelled almost like the Dutch term or its English
    ("Azerbaidjan", "land mines" for "landmine")."""
    found: list[Candidate] = []
    squashed = [_squash(t.text) for t in toks]
    for i in missing:
        occ = occurrences[i]
        wanted = {_squash(occ.match.surface), *(_squash(t) for t in occ.accepted)}
        lengths = [len(w) for w in wanted]
        shortest, longest = 0.8 * min(lengths), max(lengths) / 0.8
        size = max(len(split_words(t)) for t in (occ.match.surface, *occ.accepted))
        for k in range(len(toks)):
            if toks[k].function:
                continue
            for n in range(1, min(size + 1, 4) + 1):
                if k + n > len(toks):
                    break
                joined = "".join(squashed[k : k + n])
                if len(joined) > longest:
                    break
                if len(joined) < max(4, shortest) or toks[k + n - 1].function:
                    continue
                best = max((_similarity(joined, w) for w in wanted), default=0.0)
                if best >= 0.8:
                    score = STRONG + int(20 * best) - 10
                    found.append(Candidate(i, toks[k].start, toks[k + n - 1].end, score, "similar"))
    return found


def _similarity(a: str, b: str) -> float:
    """difflib's ratio for words of similar length (0.0 otherwise), checked cheaply first."""
    if min(len(a), len(b)) < 0.8 * max(len(a), len(b)):
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
        return 0.0
    return matcher.ratio()


def _squash(text: str) -> str:
    return re.sub(r"[\s\-'’]+", "", strip_accents(text.casefold()))


def _cognate(a: str, b: str) -> bool:
    """Two words spelled almost alike (difflib ratio >= 0.8), checked cheaply first."""
    if len(b) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > max(len(a), len(b)) // 4:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


# Anchors of the last texts asked for (a pure function of them: place() asks
# several times for the same).
_ANCHOR_CACHE: dict[
    tuple[str, str, tuple[Span | None, ...]], tuple[tuple[int, int, int, int], ...]
] = {}


def _anchors(
    source: str,
    text: str,
    toks: Sequence[Token],
    occurrences: Sequence[Occurrence],
    result: Verification,
) -> list[tuple[int, int, int, int]]:
    """(source start, source end, target start, target end) pairs both sides
    agree on (see `_find_anchors`); remembered for the last texts."""
    key = (source, text, result.spans)
    cached = _ANCHOR_CACHE.get(key)
    if cached is None:
        cached = _find_anchors(source, text, toks, occurrences, result)
        if len(_ANCHOR_CACHE) > 256:
            _ANCHOR_CACHE.clear()
        _ANCHOR_CACHE[key] = cached
    return list(cached)


def _find_anchors(
    source: str,
    text: str,
    toks: Sequence[Token],
    occurrences: Sequence[Occurrence],
    result: Verification,
) -> tuple[tuple[int, int, int, int], ...]:
    """(source start, source end, target start, target end) pairs both sides
    agree on: rendered terms, words copied as they are (names, numbers),
    Dutch words with one usual English counterpart, and end punctuation."""
    pairs: list[tuple[int, int, int, int]] = []
    for occ, span in zip(occurrences, result.spans, strict=True):
        if span is not None:
            pairs.append((occ.match.start, occ.match.end, span[0], span[1]))
    taken = [(p[0], p[1]) for p in pairs]
    source_tokens = [m for m in _TOKEN.finditer(source)]
    target_by_word: dict[str, list[Token]] = {}
    for tok in toks:
        target_by_word.setdefault(tok.lower, []).append(tok)
    source_count: dict[str, int] = {}
    for m in source_tokens:
        source_count[m.group(0).lower()] = source_count.get(m.group(0).lower(), 0) + 1
    for m in source_tokens:
        if overlaps(m.span(), taken):
            continue
        word = m.group(0).lower()
        if source_count[word] > 1:
            continue  # only words that occur once on each side
        options = [word] if (m.group(0)[:1].isupper() or word.isdigit()) else []
        options += list(_DUTCH_ANCHORS.get(word, ()))
        hits = [t for w in options for t in target_by_word.get(w, [])]
        if not hits and len(word) >= 5 and word not in _DUTCH_ANCHORS:
            # A cognate spelled almost alike ("parlement", "parliament").
            hits = [t for t in toks if _cognate(word, t.lower)]
        if len(hits) == 1:  # only unambiguous anchors
            pairs.append((m.start(), m.end(), hits[0].start, hits[0].end))
    end_s = re.search(r"[.!?]\W*$", source)
    end_t = re.search(r"[.!?]\W*$", text)
    if end_s and end_t:
        pairs.append((end_s.start(), end_s.end(), end_t.start(), end_t.end()))
    pairs.append((0, 0, 0, 0))
    return tuple(sorted(pairs))


def _gap(
    source: str,
    text: str,
    toks: Sequence[Token],
    occurrences: Sequence[Occurrence],
    result: Verification,
    missing: Sequence[int],
) -> list[Candidate]:
    """The target words between the translations of a term's neighbours."""
    anchors = _anchors(source, text, toks, occurrences, result)
    found: list[Candidate] = []
    taken = [s for s in result.spans if s is not None]
    for i in missing:
        match = occurrences[i].match
        left = [a for a in anchors if a[1] <= match.start]
        right = [a for a in anchors if a[0] >= match.end]
        if not left or not right:
            continue
        lft = max(left, key=lambda a: a[1])
        rgt = min(right, key=lambda a: a[0])
        if lft[3] > rgt[2]:
            continue  # crossing anchors: no gap to read
        source_gap = [
            m
            for m in _TOKEN.finditer(source, lft[1], rgt[0])
            if m.group(0).lower() not in _DUTCH_ANCHORS
        ]

        def is_term(m: re.Match[str], match: Match = match) -> bool:
            return m.start() < match.end and match.start < m.end()

        others = [m for m in source_gap if not is_term(m) and not _dutch_function(m.group(0))]
        gap = [
            t
            for t in toks
            if lft[3] <= t.start and t.end <= rgt[2] and not overlaps((t.start, t.end), taken)
        ]
        while gap and gap[0].function:
            gap.pop(0)
        while gap and gap[-1].function:
            gap.pop()
        content = [t for t in gap if not t.function]
        if not content:
            continue
        words = len(_content_words(occurrences[i].english)) or 1
        if not others and len(content) <= words:
            if len(gap) == 1 or not _gap_has_stop(text, gap, 0, len(gap) - 1):
                found.append(Candidate(i, gap[0].start, gap[-1].end, STRONG + 5, "gap"))
        elif others and len(content) == len(others) + 1 and len(content) <= 4:
            # As many content words on both sides: the order decides.
            position = [m for m in source_gap if not _dutch_function(m.group(0)) or is_term(m)]
            k = next((n for n, m in enumerate(position) if is_term(m)), -1)
            if 0 <= k < len(content):
                tok = content[k]
                found.append(Candidate(i, tok.start, tok.end, WEAK + 10, "gap"))
        elif not others and occurrences[i].keeps_case:
            # A name: the one capitalised word of the gap.
            names = [t for t in content if t.text[:1].isupper()]
            if len(names) == 1:
                found.append(Candidate(i, names[0].start, names[0].end, WEAK + 5, "gap"))
    return found


def _leftover(
    source: str,
    text: str,
    toks: Sequence[Token],
    occurrences: Sequence[Occurrence],
    result: Verification,
    missing: Sequence[int],
) -> list[Candidate]:
    """When the term is the one Dutch content word no anchor explains and one
    run of English content words is all that no anchor explains, they are
    each other's translation, whatever the word order ("Nederland heeft de
    genocide erkend" / "... has acknowledged the genocide")."""
    if len(missing) != 1:
        return []
    i = missing[0]
    match = occurrences[i].match
    anchors = _anchors(source, text, toks, occurrences, result)
    explained_s = [(a[0], a[1]) for a in anchors]
    explained_t = [(a[2], a[3]) for a in anchors]
    source_left = [
        m
        for m in _TOKEN.finditer(source)
        if not overlaps(m.span(), explained_s)
        and not (m.start() < match.end and match.start < m.end())
        and not _dutch_function(m.group(0))
        and not m.group(0).isdigit()
    ]
    if source_left:
        return []
    left = [t for t in toks if not t.function and not overlaps((t.start, t.end), explained_t)]
    if not left or len(left) > len(_content_words(occurrences[i].english)):
        return []
    first, last = toks.index(left[0]), toks.index(left[-1])
    if last - first + 1 != len(left) or _gap_has_stop(text, toks, first, last):
        return []  # not one run
    return [Candidate(i, left[0].start, left[-1].end, STRONG + 5, "leftover")]


def _dutch_function(word: str) -> bool:
    from glossary.lang import nl

    return word.lower() in nl.function_words()


def _aligned(
    text: str,
    toks: Sequence[Token],
    occurrences: Sequence[Occurrence],
    missing: Sequence[int],
    links: Sequence[Link],
    explained: Sequence[Span],
) -> list[Candidate]:
    """The target words the model's attention links to the term, trimmed to
    words nothing else explains (no function word at the edges)."""
    found: list[Candidate] = []
    for i in missing:
        match = occurrences[i].match
        linked = [k for k in links if k.source_start < match.end and match.start < k.source_end]
        hit = []
        for t in toks:
            covered = [k for k in linked if k.target_start < t.end and t.start < k.target_end]
            if not covered or overlaps((t.start, t.end), explained):
                continue
            start = max(t.start, min(k.target_start for k in covered))
            end = min(t.end, max(k.target_end for k in covered))
            if (t.end - t.start) - (end - start) > _GLUED:
                t = Token(start, end, text[start:end])  # a piece of a long glued run
            hit.append(t)
        while hit and hit[0].function:
            hit.pop(0)
        while hit and hit[-1].function:
            hit.pop()
        if not hit:
            continue
        # One run of adjacent words: the longest, at most the term's size + 1.
        runs: list[list[Token]] = [[hit[0]]]
        for tok in hit[1:]:
            prev = runs[-1][-1]
            between = text[prev.end : tok.start]
            if between.strip() in ("", "-") and prev.end <= tok.start:
                runs[-1].append(tok)
            else:
                runs.append([tok])
        size = len(split_words(occurrences[i].english)) + 1
        for run in runs:
            run = run[:size]
            found.append(Candidate(i, run[0].start, run[-1].end, STRONG, "aligned"))
    return found


# ------------------------------------------------------------ choosing


def _name_part(text: str, span: Span, toks: Sequence[Token], concept: Concept) -> bool:
    """A capitalised word in the middle of a capitalised name ("Frans
    Timmermans", "Azerbaijan Airlines") is no rendering of a common term."""
    if concept.pos == "properNoun" or concept.dnt:
        return False
    inside = [t for t in toks if span[0] <= t.start and t.end <= span[1]]
    if not inside or not inside[0].text[:1].isupper():
        return False
    index = toks.index(inside[0])
    last = toks.index(inside[-1])
    nxt = toks[last + 1] if last + 1 < len(toks) else None
    prev = toks[index - 1] if index > 0 else None
    if nxt is not None and nxt.text[:1].isupper() and text[inside[-1].end : nxt.start] == " ":
        return True
    if prev is not None and prev.text[:1].isupper() and text[prev.end : inside[0].start] == " ":
        return not en.is_sentence_start(text[: prev.start])
    return False


def place(
    text: str,
    source: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    glossary: Glossary | None = None,
    links: Sequence[Link] = (),
) -> list[Placement]:
    """Where each missing occurrence is rendered in `text`, best evidence first;
    occurrences without a candidate are not in the list.

    In rounds: what is placed for certain (a forbidden rendering, the copied
    Dutch) becomes an anchor for the others ("Holland acknowledges the
    genocide": once "Holland" is Nederland's, "acknowledges" is the one word
    left for erkent).
    """
    placements = _place_once(text, source, occurrences, result, glossary, links)
    sure = {p.occurrence: p for p in placements if p.certain}
    if not sure or len(sure) == len(result.missing):
        return placements
    terms = tuple(
        dataclasses.replace(t, span=(sure[i].start, sure[i].end)) if i in sure else t
        for i, t in enumerate(result.terms)
    )
    again = _place_once(text, source, occurrences, Verification(terms, ()), glossary, links)
    return sorted([*sure.values(), *again], key=lambda p: p.occurrence)


def _place_once(
    text: str,
    source: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    glossary: Glossary | None = None,
    links: Sequence[Link] = (),
) -> list[Placement]:
    missing = result.missing
    if not missing:
        return []
    toks = tokens(text)
    taken: list[Span] = [s for s in result.spans if s is not None]
    candidates = _like_for_like(text, occurrences, result)
    if glossary is not None:
        candidates += _other_concepts(text, occurrences, result, glossary)
    candidates += _overlap(text, toks, occurrences, missing)
    candidates += _similar(toks, occurrences, missing)
    candidates += _gap(source, text, toks, occurrences, result, missing)
    candidates += _leftover(source, text, toks, occurrences, result, missing)
    if links:
        copied = [(t.start, t.end) for t in toks if t.text in source and len(t.text) > 1]
        candidates += _aligned(text, toks, occurrences, missing, links, [*taken, *copied])
    # Agreeing methods add up (on the same span or one inside the other).
    scored: dict[tuple[int, Span], tuple[int, str, list[str]]] = {}
    for c in candidates:
        if overlaps(c.span, taken) or not text[c.start : c.end].strip():
            continue
        concept = occurrences[c.occurrence].concept
        if c.score < CERTAIN and _name_part(text, c.span, toks, concept):
            continue
        if c.score < CERTAIN and not _class_fits(text[c.start : c.end], concept.pos):
            continue
        key = (c.occurrence, c.span)
        score, how, others = scored.get(key, (0, "", []))
        if c.score > score:
            scored[key] = (c.score, c.how, [*others, how] if how else others)
        elif c.how not in others and c.how != how:
            scored[key] = (score, how, [*others, c.how])
    totals: list[tuple[int, int, Span, str, tuple[str, ...]]] = []
    for (i, span), (score, how, others) in scored.items():
        # A span inside another method's (larger) candidate: both say "here".
        bonus = sum(
            10
            for (j, other), (_, h, _) in scored.items()
            if j == i and other != span and h != how and other[0] <= span[0] and span[1] <= other[1]
        )
        distinct = tuple(dict.fromkeys(o for o in others if o != how))
        # Word order is not evidence for the leftover word (Dutch puts verbs last).
        penalty = 0 if how == "leftover" else _distance_penalty(text, source, span, occurrences[i])
        if score >= CERTAIN:  # certain anywhere; the distance only orders them
            total = score - min(penalty, 5)
        else:
            total = score + bonus + 10 * len(distinct) - penalty
        totals.append((total, i, span, how, distinct))
    totals.sort(key=lambda t: (-t[0], t[2][0], t[1]))
    placements: list[Placement] = []
    placed: set[int] = set()
    for total, i, span, how, agreed in totals:
        if i in placed or overlaps(span, taken) or total < WEAK:
            continue
        placements.append(Placement(i, span[0], span[1], how, total, agreed))
        placed.add(i)
        taken.append(span)
    placements.sort(key=lambda p: p.occurrence)
    return placements


def _class_fits(found: str, pos: str) -> bool:
    """Whether a one-word rendering can be of the term's part of speech: a
    noun term is no word that is only a verb ("lasted"), a verb term no word
    that is only a noun or adjective. Unknown words and longer spans fit."""
    words = found.split()
    if len(words) != 1 or pos not in ("noun", "verb") or words[0][:1].isupper():
        return True
    classes = en.word_classes(words[0].strip("'’"))
    if not classes:
        return True
    if pos == "noun":
        return bool(classes & {"NOUN", "PROPN"})
    return "VERB" in classes


def _distance_penalty(text: str, source: str, span: Span, occ: Occurrence) -> int:
    """Candidates far from where the term sits in the source lose points."""
    if not source or not text:
        return 0
    where = occ.match.start / len(source)
    there = span[0] / len(text)
    distance = abs(where - there)
    return 0 if distance < 0.3 else int(40 * (distance - 0.3))


# Words that stay before an inserted term ("a", "the", "its"): insert after them.
DETERMINERS: frozenset[str] = frozenset(
    ("a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our")
)


def after_determiners(text: str, position: int) -> int:
    """`position` moved past the determiners that follow it ("is| a" -> "is a|")."""
    for m in _TOKEN.finditer(text, position):
        if text[position : m.start()].strip() or m.group(0).lower() not in DETERMINERS:
            break
        position = m.end()
    return position


def anchored_insertion(
    source: str,
    text: str,
    occurrences: Sequence[Occurrence],
    result: Verification,
    i: int,
) -> int | None:
    """Where to insert occurrence `i` when nothing renders it: after the
    translation of its nearest left anchor (and its determiners), when the
    anchors on both sides are in order; None when there are none."""
    toks = tokens(text)
    anchors = _anchors(source, text, toks, occurrences, result)
    match = occurrences[i].match
    left = [a for a in anchors if a[1] <= match.start and a != (0, 0, 0, 0)]
    right = [a for a in anchors if a[0] >= match.end]
    if not left:
        return None
    lft = max(left, key=lambda a: a[1])
    if right and min(right, key=lambda a: a[0])[2] < lft[3]:
        return None
    return after_determiners(text, lft[3])
