"""Text normalisation shared by the termbase, the matcher, mining and QA.

Three levels, from strict to loose:

- `clean_value`: what is stored (NFC, typographic dashes and spaces unified,
  outer whitespace trimmed).
- `fold_key`: the identity of a term. Case-folded (unless the term is case
  sensitive) and with hyphens and spaces removed, so "Minsk Groep",
  "Minsk-groep" and "Minskgroep" are one term. Two concepts may not claim
  the same key.
- `search_key`: for finding things by hand; also drops accents, so
  "armenie" finds "Armenië".
"""

from __future__ import annotations

import re
import unicodedata

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


def search_key(text: str) -> str:
    """Loose key for searching: case, accents, hyphens and spaces ignored."""
    return _JOINERS.sub("", strip_accents(clean_value(text)).casefold())


def search_key_clean(text: str) -> str:
    """`search_key(text)` for text already `clean_value`-clean (single spaces only)."""
    return strip_accents(text).casefold().replace(" ", "").replace("-", "")


def slug(text: str) -> str:
    """An ASCII identifier made from a term: "Staakt-het-vuren" -> "staakt-het-vuren"."""
    ascii_text = strip_accents(clean_value(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "term"
