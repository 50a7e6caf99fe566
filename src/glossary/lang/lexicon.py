"""A small Dutch lexicon: word frequencies from wordfreq plus curated extras.

Reading documents asks it whether a joined line-end fragment is a word
("vredes-" + "akkoord" -> "vredesakkoord") and whether an OCR-damaged token
has a known repaired form ("Armenié" -> "Armenië"); term mining reuses it to
tell common words from rare ones.

Frequencies are Zipf values (log10 of occurrences per billion words; 1 is
one in a hundred million, 7 is "de"); 0.0 means unknown. Lookups fold case.
wordfreq's Dutch list ("best", about 310,000 words) is loaded on first use,
not at import, so importing this module costs nothing. The list has a tail
of OCR and typing noise around Zipf 1.0-1.5 ("financiéle" is 1.09), which
is why callers compare frequencies rather than trust mere presence.

wordfreq never stores hyphenated words (its tokenizer splits on hyphens);
`src/glossary/data/nl_extra.txt` lists the hyphenated words the reader must
know ("minister-president", "staakt-het-vuren") and can add missing words.
"""

from __future__ import annotations

import math
import unicodedata
from functools import cache
from importlib import resources

# Below this a word is not considered known (wordfreq's list starts at 1.0).
MIN_ZIPF = 1.0
EXTRA_DEFAULT_ZIPF = 3.0
EXTRA_FILE = "nl_extra.txt"


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).strip().lower()


@cache
def _extras() -> dict[str, float]:
    """The curated words of `data/nl_extra.txt` with their Zipf values."""
    text = resources.files("glossary").joinpath("data", EXTRA_FILE).read_text(encoding="utf-8")
    extras: dict[str, float] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, value = line.partition(" ")
        extras[_key(word)] = float(value) if value.strip() else EXTRA_DEFAULT_ZIPF
    return extras


@cache
def _frequencies() -> dict[str, float]:
    """wordfreq's Dutch frequencies (word -> share of all words), loaded once."""
    import wordfreq

    return dict(wordfreq.get_frequency_dict("nl", wordlist="best"))


def load() -> None:
    """Load the word lists now (e.g. before timing something); later calls are free."""
    _frequencies()
    _extras()


def zipf(word: str) -> float:
    """Zipf frequency of a Dutch word, 0.0 when unknown; case-insensitive.

    >>> zipf("vredesakkoord") > 3
    True
    """
    key = _key(word)
    extra = _extras().get(key)
    if extra is not None:
        return extra
    share = _frequencies().get(key)
    if not share:
        return 0.0
    return round(math.log10(share) + 9.0, 2)


def is_word(word: str, min_zipf: float = MIN_ZIPF) -> bool:
    """True when `word` is a known Dutch word at least as frequent as `min_zipf`."""
    return zipf(word) >= min_zipf if word else False


def is_hyphenated_word(word: str) -> bool:
    """True when `word` is a curated word written with a hyphen ("minister-president")."""
    key = _key(word)
    return "-" in key and key in _extras()


def hyphenated_words() -> frozenset[str]:
    """All curated hyphenated words, lower case."""
    return frozenset(w for w in _extras() if "-" in w)
