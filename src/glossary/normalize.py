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
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_JOINERS = re.compile(r"[\s\-]+")


def clean_value(text: str) -> str:
    """Normalise a stored value: NFC, plain hyphens and apostrophes, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_DASH_TABLE).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Remove combining marks: "Armenië" -> "Armenie"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold_key(term: str, case_sensitive: bool = False) -> str:
    """The identity of a term: hyphen/space/joined spellings and case folded."""
    text = _JOINERS.sub("", clean_value(term))
    return text if case_sensitive else text.casefold()


def search_key(text: str) -> str:
    """Loose key for searching: case, accents, hyphens and spaces ignored."""
    return _JOINERS.sub("", strip_accents(clean_value(text)).casefold())


def slug(text: str) -> str:
    """An ASCII identifier made from a term: "Staakt-het-vuren" -> "staakt-het-vuren"."""
    ascii_text = strip_accents(clean_value(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "term"
