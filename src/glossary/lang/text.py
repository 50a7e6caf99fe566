"""Text normalisation shared by the termbase, the matcher, mining and QA.

Three levels, from strict to loose:

- `clean_value`: what is stored (NFC, typographic dashes and spaces unified,
  outer whitespace trimmed).
- `fold_key`: the identity of a term. Case-folded (unless the term is case
  sensitive) and with hyphens and spaces removed, so "Minsk Groep",
  "Minsk-groep" and "Minskgroep" are one term. Two concepts may not claim
  the same key.
- `search_key`: for finding things by hand; also drops accents, so
  "armenie" finds "Armenië" (with `case_sensitive`, the key of a
  case-sensitive term as the matcher compares it).

Words and folding for matching:

- `split_words`, `spaced`, `fold_words`: a term's words, split at spaces and
  hyphens ("Minsk-groep" is "Minsk groep"), joined by single spaces, and
  case-folded; how enforcement compares English terms.
- `fold_text`: a text as the term matcher scans it (case, accents, dashes and
  white space folded 1:1, so offsets carry over), with a position map when
  folding changes the length.
- `head_index`: where a multiword term's head noun is, given the language's
  function words ("Raad van Europa", "prisoner of war").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Sequence

# Hyphen-like characters PDFs and word processors produce for "-".
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\u00ad"
_DASH_TABLE = str.maketrans({c: "-" for c in DASHES if c != "\u00ad"} | {"\u00ad": ""})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# Any run of whitespace: Python's \s covers every Unicode space and line break
# (no-break and figure spaces, U+0085, U+2028, U+2029, vertical tab, form feed).
_SPACES = re.compile(r"\s+")
# Every character Python counts as whitespace except the space and the tab,
# spelled out: one character class is much faster to search than "[^\\S \\t]".
OTHER_SPACES = (
    "\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
_JOINERS = re.compile(r"[\s\-]+")
# Anything clean_value would change, except NFC (checked separately): a dash or
# apostrophe to unify, whitespace other than a single plain space, or
# whitespace at either end.
_UNCLEAN = re.compile("[" + DASHES + "\u2019\u2018\u02bc`" + OTHER_SPACES + "\t]|  |^\\s|\\s$")


# Characters no clean value holds (tabs separate the cells of a TSV line).
_UNCLEAN_CHARS = re.compile("[" + DASHES + "\u2019\u2018\u02bc`" + OTHER_SPACES + "]")


def is_clean_line(line: str) -> bool:
    """True if every tab-separated cell of `line` is already `clean_value`-clean.

    The ASCII fast path does not look for the control characters U+001C to
    U+001F (whitespace to Python): no termbase value may hold them, and the
    termbase reader checks for them before it asks.
    """
    if (
        "  " in line
        or " \t" in line
        or "\t " in line
        or (line[:1].isspace() and line[0] != "\t")
        or (line[-1:].isspace() and line[-1] != "\t")
    ):
        return False
    if line.isascii():
        return not ("`" in line or "\r" in line or "\x0b" in line or "\x0c" in line)
    return _UNCLEAN_CHARS.search(line) is None and unicodedata.is_normalized("NFC", line)


def clean_value(text: str) -> str:
    """Normalise a stored value: NFC, plain hyphens and apostrophes, single spaces.

    Every kind of whitespace (no-break spaces, U+2028 from a word processor's
    manual line break...) becomes one plain space, so a value survives the
    round trips through TBX, PO and CSV, whose readers split on them.
    """
    if not text or (_UNCLEAN.search(text) is None and unicodedata.is_normalized("NFC", text)):
        return text  # the common case, at C speed
    text = unicodedata.normalize("NFC", text).translate(_DASH_TABLE).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_accents(text: str) -> str:
    """Remove combining marks: "Armenië" -> "Armenie"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", text)))


def fold_key(term: str, case_sensitive: bool = False) -> str:
    """The identity of a term: hyphen/space/joined spellings and case folded."""
    text = _JOINERS.sub("", clean_value(term))
    return text if case_sensitive else text.casefold()


def fold_clean(term: str) -> str:
    """`fold_key(term, case_sensitive=True)` for a term already `clean_value`-clean.

    Clean values hold no whitespace but single spaces, so removing spaces and
    hyphens is what `_JOINERS` does, at C speed.
    """
    return term.replace(" ", "").replace("-", "")


def search_key(text: str, case_sensitive: bool = False) -> str:
    """Loose key for searching: accents, hyphens and spaces ignored, and case
    unless `case_sensitive`."""
    key = strip_accents(clean_value(text))
    return _JOINERS.sub("", key if case_sensitive else key.casefold())


def search_key_clean(text: str) -> str:
    """`search_key(text)` for text already `clean_value`-clean (single spaces only)."""
    return strip_accents(text).casefold().replace(" ", "").replace("-", "")


def slug(text: str) -> str:
    """An ASCII identifier made from a term: "Staakt-het-vuren" -> "staakt-het-vuren"."""
    ascii_text = strip_accents(clean_value(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "term"


# ------------------------------------------------------------ words

# What separates the words of a term: white space, hyphens and the two
# Unicode hyphens ("Minsk-groep", "Minsk groep").
_WORD_BREAK = re.compile(r"[\s\-\u2010\u2011]+")


def split_words(text: str) -> list[str]:
    """The words of `text`, split at white space and hyphens."""
    return [w for w in _WORD_BREAK.split(text) if w]


def spaced(text: str) -> str:
    """`text`'s words joined by single spaces: "Minsk-groep " -> "Minsk groep"."""
    return " ".join(split_words(text))


def fold_words(text: str) -> str:
    """`spaced(text)` case-folded: how two spellings of one English term compare."""
    return spaced(text.casefold())


def head_index(words: Sequence[str], function_words: Collection[str]) -> int:
    """Index of a term's head noun: the word before the first function word
    after the first word ("Raad van Europa", "prisoner of war"), else the last."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in function_words:
            return i - 1
    return len(words) - 1


# ------------------------------------------------------------ folding for the matcher


@functools.cache
def _char_table() -> dict[int, str]:
    """1:1 character folding: accents off, every dash, space and joiner to " ".

    Applied after `str.casefold`. Only single characters map to single
    characters, so offsets in the folded text are offsets in the original.
    """
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != char:
            table[code] = base
    for char in DASHES + "-\u00ad\u200b\u2060":
        table[ord(char)] = " "
    for char in "\u2019\u2018\u02bc`":
        table[ord(char)] = "'"
    for code in range(0x3100):
        if chr(code).isspace():
            table[code] = " "
    for char in "\u3000\u2028\u2029\u202f\u205f":
        table[ord(char)] = " "
    return table


_COMBINING_OR_EXPANDING = re.compile("[\u0300-\u036f\u00df\u0130\ufb00-\ufb06\u0149\u01f0]")
_PARAGRAPH_BREAK = re.compile(r"\n(?=[ \t\r\f\v\u00a0]*\n)")
_SPACED_DASH = re.compile("(?<=\\s)[-" + DASHES + "](?=\\s)")


def fold_text(text: str) -> tuple[str, list[int] | None]:
    """The text as the matcher sees it, and a position map when lengths differ.

    The folded text is case-folded, accent-folded, with dashes and all white
    space as " " (ignored inside a match) and paragraph breaks and spaced
    dashes as "|" (which stop one). When folding keeps every character in
    place (almost always) the map is None; otherwise `map[i]` is the
    original offset of folded character i (with one extra entry for the end).
    """
    text = _PARAGRAPH_BREAK.sub("|", text)
    text = _SPACED_DASH.sub("|", text)
    table = _char_table()
    if _COMBINING_OR_EXPANDING.search(text) is None:
        folded = text.casefold()
        if len(folded) == len(text):
            return folded.translate(table), None
    parts: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        if unicodedata.combining(char):
            continue
        piece = "".join(
            c for c in unicodedata.normalize("NFD", char.casefold()) if not unicodedata.combining(c)
        ).translate(table)
        parts.append(piece)
        positions.extend([i] * len(piece))
    positions.append(len(text))
    return "".join(parts), positions
