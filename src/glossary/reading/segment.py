"""Dutch sentence segmentation of one cleaned paragraph.

`split_sentences` returns (start, end) spans, so callers keep offsets. A
sentence ends at ".", "?", "!", "..." or "…" (with any closing quotes or
brackets that follow) when whitespace and a plausible sentence start come
next. It does not end:

- before a lower-case letter (Dutch sentences start with a capital; "'s" and
  "'t" start with a quote and are allowed);
- after an abbreviation that does not end sentences ("o.a.", "bijv.", "nr.",
  "m.b.t.", "mevr.", ... see `ABBREVIATIONS`); "etc.", "enz.", "e.d.",
  "e.a." and "c.s." may end one (`FINAL_ABBREVIATIONS`);
- after an initial ("J. Borrell", "J.F. Kennedy") or a dotted lower-case
  abbreviation that is not in the lists ("z.s.m.");
- after the label of a numbered item at the start of a sentence ("1. Wat");
- inside parentheses or brackets that close within the paragraph.

Numbers and dates need no rule: "16.9", "30.000" and "13 en 14 september
2022" have no whitespace after their dots, and "882, 853" has no dot.

Hand-written rather than pysbd or segtok: pysbd has no Dutch "c.s.",
"m.b.t." or "t.a.v." and is about ten times too slow for the 1M-words budget;
segtok is built for English and German abbreviations.
"""

from __future__ import annotations

import bisect
import re

# Abbreviations that do not end a sentence even before a capital
# ("o.a. Frankrijk", "mevr. Ploumen", "nr. 1630"). Lower case, with dots.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ABBREVIATIONS: frozenset[str] = _words(
    """
    a.d.h.v. a.i. a.s. afd. alg. apr. art. artt. aug. b.v. bijv. blz. bv. c.q. ca. cf.
    chr. dec. dhr. di. dir. div. do. dr. drs. ds. e.e.a. evt. excl. feb. febr. fig.
    gem. i.c.m. i.h.a. i.h.b. i.o.m. i.p.v. i.s.m. i.t.t. i.v.m. ibid. incl. ing. ir.
    jan. jhr. jl. jr. jul. jun. ma. m.a.w. m.b.t. m.b.v. m.i. m.m.v. m.n. m.u.v. max.
    min. mld. mln. mr. mrd. mrt. mw. mevr. n.a.v. n.chr. nl. nov. nr. nrs. o.a.
    o.b.v. o.l.v. o.m. okt. ong. p. pag. plv. p.m. prof. red. resp. secr. sep. sept.
    sr. st. t.a.v. t.b.v. t.o.v. t.w. tel. v.chr. v.d. v.w.b. vert. vgl. vnl. voorz.
    vr. vs. wo. z.g. z.o.z. za. zgn. zg.
    """
)

# Abbreviations that often end a sentence: a capital after them starts a new one.
FINAL_ABBREVIATIONS: frozenset[str] = _words("c.s. e.a. e.d. e.v. enz. etc.")

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘„«(["
_TERMINALS = ".?!…"
# A candidate end: terminal punctuation with any closing quotes/brackets. One
# character class, not "(?:\.\.\.|…|[.?!])+": that alternation splits a run of
# dots (a table of contents' leaders) in exponentially many ways when the
# match fails; a class matches the same strings in linear time.
_CANDIDATE = re.compile(r"[.?!…]+[\"'”’»)\]]*")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")
_DOTTED_LOWER = re.compile(r"(?:[^\W\d_]{1,4}\.){2,}")
_BRACKET = re.compile(r"[()\[\]]")


def _token_before(text: str, dot: int) -> str:
    """The whitespace-delimited token ending with the '.' at `dot`, openers stripped."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start : dot + 1].lstrip(_OPENERS)


def is_abbreviation(token: str) -> bool:
    """True when `token` (ending in '.') is an abbreviation or initial that ends no sentence."""
    low = token.lower()
    if low in ABBREVIATIONS:
        return True
    if low in FINAL_ABBREVIATIONS:
        return False
    if _INITIALS.fullmatch(token) and all(c.isupper() for c in token if c != "."):
        return True  # "J.", "J.F.", "V.S."
    if len(token) == 2 and token[0].isalpha():
        return True  # any single letter: "p.", "a."
    return bool(_DOTTED_LOWER.fullmatch(token) and token == low)


def _bracket_spans(text: str, reach: int = 500) -> list[tuple[int, int]]:
    """Merged (open, close) spans of brackets that close within `reach` characters."""
    if "(" not in text and "[" not in text:
        return []
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "["}
    for m in _BRACKET.finditer(text):
        ch, i = m.group(), m.start()
        if ch in "([":
            stack.append((ch, i))
        else:
            while stack and stack[-1][0] != pairs[ch]:
                stack.pop()
            if stack:
                _, start = stack.pop()
                if i - start <= reach:
                    spans.append((start, i))
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within `text`, whitespace trimmed, in order.

    >>> t = "Dit is o.a. bekend. Het werkt."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Dit is o.a. bekend.', 'Het werkt.']
    """
    n = len(text)
    start = 0
    while start < n and text[start].isspace():
        start += 1
    if start >= n:
        return []
    spans: list[tuple[int, int]] = []
    brackets: list[tuple[int, int]] | None = None
    for m in _CANDIDATE.finditer(text, start):
        end = m.end()
        if end >= n or not text[end].isspace():
            continue  # "16.9", "c.s.", a URL, or the end of the text
        nxt = end + 1
        while nxt < n and text[nxt].isspace():
            nxt += 1
        if nxt >= n:
            break
        first = text[nxt]
        if first.islower() or first in ",;:":
            continue
        punct = m.group()
        if punct[0] == "." and not punct.startswith("..."):
            token = _token_before(text, m.start())
            if is_abbreviation(token):
                continue
            number = token[:-1]
            # The label of a numbered item: "1. Wat is ..." (compared in place, not
            # by slicing from `start`, which is quadratic in a long sentence).
            if (
                number.isdigit()
                and m.start() - start == len(number)
                and text.startswith(number, start)
            ):
                continue
        if brackets is None:
            brackets = _bracket_spans(text)
        if brackets:
            i = bisect.bisect_right(brackets, (m.start(), n)) - 1
            if i >= 0 and brackets[i][0] < m.start() < brackets[i][1]:
                continue
        spans.append((start, end))
        start = nxt
    stop = n
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    spans.append((start, stop))
    return spans


def ends_sentence(text: str) -> bool:
    """True when `text` ends a sentence: terminal punctuation, not after an abbreviation.

    Used to tell a paragraph that a page break cut in two ("... is o.a." +
    "uiteengezet ...") from one that is complete.
    """
    # By hand, from the end: a regular expression searched for "punctuation at
    # the end" retries at every dot of a long run, which is quadratic.
    text = text.rstrip()
    stop = len(text)
    while stop > 0 and text[stop - 1] in _CLOSERS:
        stop -= 1
    start = stop
    while start > 0 and text[start - 1] in _TERMINALS:
        start -= 1
    if start == stop:
        return False
    if text[start] == "." and not text.startswith("...", start):
        return not is_abbreviation(_token_before(text, start))
    return True
