"""Dutch: the language knowledge the matcher, mining and reading share.

- Function words: the full list a term never starts or ends with
  (`function_words()`, from `data/nl_function_words.txt`), those that can
  sit inside a multiword term (`INNER_FUNCTION_WORDS`: the word before the
  first is the head noun) and the linking words mining allows inside a
  candidate (`LINKING_WORDS`, `ARTICLES`).
- Inflection: plural and genitive of nouns (`noun_forms`), attributive -e of
  adjectives (`adjective_forms`) and the forms of a whole term
  (`term_forms`, `inflect`), with the usual spelling changes (staat/staten,
  brief/brieven, bom/bommen, -heid/-heden) and a small table of irregular
  plurals; `is_plural_form` tells a plural ending from an adjectival one.
- The lexicon: word frequencies from wordfreq plus curated extras (`zipf`,
  `is_word`, `is_hyphenated_word`).

The lexicon: reading documents asks it whether a joined line-end fragment is
a word ("vredes-" + "akkoord" -> "vredesakkoord") and whether an OCR-damaged
token has a known repaired form ("Armenié" -> "Armenië"); term mining reuses
it to tell common words from rare ones. Frequencies are Zipf values (log10
of occurrences per billion words; 1 is one in a hundred million, 7 is "de");
0.0 means unknown. Lookups fold case. wordfreq's Dutch list ("best", about
310,000 words) is loaded on first use, not at import, so importing this
module costs nothing. The list has a tail of OCR and typing noise around
Zipf 1.0-1.5 ("financiéle" is 1.09), which is why callers compare
frequencies rather than trust mere presence. wordfreq never stores
hyphenated words (its tokenizer splits on hyphens);
`src/glossary/data/nl_extra.txt` lists the hyphenated words the reader must
know ("minister-president", "staakt-het-vuren") and can add missing words.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from importlib import resources

from glossary.lang.text import clean_value, head_index

# ------------------------------------------------------------ function words

# Dutch function words that can sit inside a multiword term ("recht op
# zelfbeschikking", "Raad van Europa"); the word before the first of them is
# the head that takes the plural.
INNER_FUNCTION_WORDS: frozenset[str] = frozenset(
    (
        *("van", "voor", "op", "in", "met", "tot", "tegen", "over", "uit", "aan", "bij"),
        *("door", "om", "naar", "onder", "tussen", "zonder", "de", "het", "een", "der"),
        *("des", "en", "of"),
    )
)
# Linking words that may sit inside a candidate ("Raad van Europa", "recht op
# zelfbeschikking"). "in", "met", "en"... mostly join two phrases
# ("Azerbeidzjan in het Oostelijk Partnerschap", "Armenië en Azerbeidzjan").
LINKING_WORDS: frozenset[str] = frozenset(
    ("van", "voor", "op", "ter", "ten", "tot", "tegen", "inzake", "de", "het", "der", "den", "des")
)
# Articles; inside a mining candidate only right after a linking word.
ARTICLES: frozenset[str] = frozenset(("de", "het", "der", "den", "des"))


@functools.cache
def function_words() -> frozenset[str]:
    """The Dutch function words of `data/nl_function_words.txt`."""
    text = (
        resources.files("glossary")
        .joinpath("data", "nl_function_words.txt")
        .read_text(encoding="utf-8")
    )
    words: set[str] = set()
    for line in text.splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


# ------------------------------------------------------------ inflection

# Irregular plurals (singular, plural) common in policy text.
_IRREGULAR = (
    ("lid", "leden"),
    ("stad", "steden"),
    ("schip", "schepen"),
    ("gebrek", "gebreken"),
    ("oorlog", "oorlogen"),
    ("weg", "wegen"),
    ("dag", "dagen"),
    ("god", "goden"),
    ("glas", "glazen"),
    ("blad", "bladeren"),
    ("kind", "kinderen"),
    ("volk", "volkeren"),
    ("lied", "liederen"),
    ("ei", "eieren"),
    ("rund", "runderen"),
    ("kalf", "kalveren"),
    ("been", "beenderen"),
    ("zakenman", "zakenlieden"),
    ("vakman", "vaklieden"),
    ("koopman", "kooplieden"),
    ("museum", "musea"),
    ("centrum", "centra"),
    ("criterium", "criteria"),
    ("medium", "media"),
    ("datum", "data"),
)
_IRREGULAR_PLURAL = dict(_IRREGULAR)
_IRREGULAR_SINGULAR = {p: s for s, p in _IRREGULAR}
_VOWELS = frozenset("aeiouy")
# Endings after which a final -s is the plural ("covoorzitters", "motors").
_PLURAL_S_AFTER = tuple(
    e + "s" for e in ("el", "em", "en", "er", "je", "ie", "ee", "oe", "or", "aar", "ier", "é")
)


def _double_vowel_before_final(stem: str) -> str | None:
    """'stat' -> 'staat', 'hog' -> 'hoog': open syllable lost its vowel letter."""
    if (
        len(stem) >= 3
        and stem[-1] not in _VOWELS
        and stem[-2] in "aeou"
        and stem[-3] not in _VOWELS
    ):
        return stem[:-1] + stem[-2] + stem[-1]
    return None


def _single_vowel_before_final(word: str) -> str | None:
    """'staat' -> 'stat' (before -en/-e the syllable is open: 'staten')."""
    if (
        len(word) >= 4
        and word[-1] not in _VOWELS
        and word[-2] == word[-3]
        and word[-2] in "aeou"
        and (len(word) < 5 or word[-4] not in _VOWELS)
    ):
        return word[:-3] + word[-2] + word[-1]
    return None


def _voiced(stem: str) -> str:
    """'brief' -> 'briev', 'huis' -> 'huiz' (before -en/-e)."""
    if stem.endswith("f"):
        return stem[:-1] + "v"
    if stem.endswith("s") and not stem.endswith(("ss", "ts")):
        return stem[:-1] + "z"
    return stem


def _with_e_ending(word: str, ending: str) -> list[str]:
    """`word` + "en" or "e", with the spelling changes Dutch makes."""
    lower = word.lower()
    out = [word + ending]
    if lower[-1] in _VOWELS:
        return out
    single = _single_vowel_before_final(lower)
    if single is not None:
        base = word[: len(single) - 1] + word[-1]
        out.append(base + ending)
        out.append(_voiced(base) + ending)
    elif (
        len(lower) >= 3
        and lower[-2] in _VOWELS
        and lower[-3] not in _VOWELS
        and lower[-1] not in "jwxy"
        and not lower.endswith(("ig", "lijk", "isch", "ing"))
    ):
        out.append(word + word[-1] + ending)  # bom -> bommen, wit -> witte
    voiced = _voiced(word)
    if voiced != word:
        out.append(voiced + ending)
    return out


def noun_forms(word: str) -> list[str]:
    """Inflected forms of a Dutch noun (plural, genitive), and its singular if plural."""
    lower = word.lower()
    if not lower or not lower[-1].isalpha():
        return []
    forms: list[str] = []
    irregular = _IRREGULAR_PLURAL.get(lower)
    if irregular is not None:
        forms.extend((word[0] + irregular[1:], word + "s"))
    elif lower.endswith("heid"):
        forms.extend((word[:-4] + "heden", word + "s"))
    elif lower[-1] in "aiouy" or lower.endswith(("ee", "oe")):
        forms.extend((word + "'s", word + "s"))
    elif lower.endswith("ie"):
        forms.extend((word + "s", word + "ën", word + "n"))
    elif lower.endswith("e"):
        forms.extend((word + "s", word + "n"))
    elif lower.endswith(("el", "em", "en", "er", "je")):
        forms.append(word + "s")
    elif lower.endswith("s"):
        if not lower[:-1].endswith(("el", "em", "en", "er", "je", "ie", "'")):
            forms.extend(_with_e_ending(word, "en"))  # kans -> kansen, prijs -> prijzen
    else:
        forms.append(word + "s")
        forms.extend(_with_e_ending(word, "en"))
    forms.extend(_singular_forms(word))
    return forms


def _singular_forms(word: str) -> list[str]:
    lower = word.lower()
    out: list[str] = []
    irregular = _IRREGULAR_SINGULAR.get(lower)
    if irregular is not None:
        out.append(word[0] + irregular[1:])
    if lower.endswith("'s") and len(lower) > 3:
        out.append(word[:-2])
    elif lower.endswith("heden") and len(lower) > 7:
        out.append(word[:-5] + "heid")
    elif lower.endswith("en") and len(lower) > 5 and lower[-3] not in _VOWELS:
        stem = word[:-2]
        low = stem.lower()
        out.append(stem)
        if low[-1] == low[-2] and low[-1] not in _VOWELS:
            out.append(stem[:-1])  # bommen -> bom
        doubled = _double_vowel_before_final(low)
        if doubled is not None:
            out.append(stem[:-1] + stem[-2] + stem[-1])  # staten -> staat
        if low.endswith("v"):
            out.append(stem[:-1] + "f")
        elif low.endswith("z"):
            out.append(stem[:-1] + "s")
    elif lower.endswith(_PLURAL_S_AFTER) and len(lower) > 4:
        out.append(word[:-1])
    return out


def adjective_forms(word: str) -> list[str]:
    """The other form of an attributive adjective: 'hoge' <-> 'hoog'."""
    lower = word.lower()
    if len(lower) < 3 or not lower.isalpha():
        return []
    if lower.endswith("e"):
        stem = word[:-1]
        out = [stem]
        low = stem.lower()
        if low[-1] == low[-2] and low[-1] not in _VOWELS:
            out.append(stem[:-1])  # witte -> wit
        elif _double_vowel_before_final(low) is not None and low[-2] != "e":
            out[0] = stem[:-1] + stem[-2] + stem[-1]  # hoge -> hoog, but andere -> ander
        if low.endswith("v"):
            out.append(stem[:-1] + "f")
        elif low.endswith("z"):
            out.append(stem[:-1] + "s")
        return out
    if lower.endswith(("en", "er")) and not lower.endswith("een"):
        return []  # "gesloten", "ander": no -e (or rare)
    return _with_e_ending(word, "e")


def term_forms(term: str, case_sensitive: bool = False) -> list[str]:
    """`term` followed by its inflected forms (plural/genitive of the head,
    adjectival -e or its absence on modifiers). Acronyms get -s and 's only."""
    return [form for form, _ in inflect(term, case_sensitive)]


def _changed_tail(base: str, form: str) -> int:
    """How many final characters of `form` differ from `base`, plus one: the
    ending that must be attached to its word in a text (never "groep en")."""
    common = 0
    for a, b in zip(base, form, strict=False):
        if a != b:
            break
        common += 1
    return len(form) - common + 1 if len(form) > common else 0


def inflect(term: str, case_sensitive: bool = False) -> list[tuple[str, int]]:
    """`term` and its inflected forms, each with the length of its attached
    ending (see `_changed_tail`): the matcher only accepts an ending attached
    to its word."""
    term = clean_value(term)
    if case_sensitive:
        return [(term, 0), (term + "'s", 3), (term + "s", 2)]
    words = term.split(" ")
    head = head_index(words, INNER_FUNCTION_WORDS)
    head_final = head == len(words) - 1
    last_part = words[head].rsplit("-", 1)
    heads: list[tuple[str, int]] = [(words[head], 0)]
    if last_part[-1]:
        prefix = last_part[0] + "-" if len(last_part) == 2 else ""
        for form in noun_forms(last_part[-1]):
            tail = _changed_tail(last_part[-1], form) if head_final else 0
            heads.append((prefix + form, tail))
    prefixes = [""]
    for i in range(head):
        word = words[i]
        options = [word]
        if i >= head - 2 and word.lower() not in INNER_FUNCTION_WORDS:
            options += adjective_forms(word)
        prefixes = [p + o + " " for p in prefixes for o in options]
    rest = " ".join(words[head + 1 :])
    forms: dict[str, int] = {term: 0}
    for prefix in prefixes:
        for head_form, tail in heads:
            form = prefix + head_form + (" " + rest if rest else "")
            forms.setdefault(form, tail)
    return list(forms.items())


_KOFSCHIP = frozenset("tkfsp")


def verb_forms(infinitive: str) -> list[str]:
    """Finite forms of a regular Dutch verb from its infinitive: present
    ("erkent"), past ("erkende", "erkenden") and participle ("erkend"), by the
    't kofschip rule. Only one-word infinitives in -en; irregular verbs get
    their forms wrong, which costs nothing (the matcher never sees them)."""
    word = clean_value(infinitive)
    if " " in word or not word.endswith("en") or len(word) < 5:
        return []
    stem = word[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]  # erkenn -> erken
    stem = (
        stem[:-1] + "f" if stem.endswith("v") else stem[:-1] + "s" if stem.endswith("z") else stem
    )
    voiceless = stem[-1:] in _KOFSCHIP or stem.endswith("ch")
    past = "te" if voiceless else "de"
    participle = stem if stem.endswith(("t", "d")) else stem + ("t" if voiceless else "d")
    forms = [stem, stem + "t", stem + past, stem + past + "n", participle]
    return list(dict.fromkeys(f for f in forms if f != word))


# Endings of a Dutch plural word ("vredesakkoorden", "covoorzitters",
# "staten", "ministeries", "kinderen").
PLURAL_ENDINGS = ("en", "s", "'s", "\u2019s", "ën", "eren")


def is_plural_form(surface_word: str, term_word: str) -> bool:
    """Whether `surface_word` is the plural of `term_word` (both folded):
    longer and ending in -en, -s, -'s, -ën or -eren. Adjectival -e on a
    modifier ("gewapende" for "gewapend") is not."""
    return (
        surface_word != term_word
        and len(surface_word) > len(term_word)
        and surface_word.endswith(PLURAL_ENDINGS)
    )


# ------------------------------------------------------------ the lexicon

# Below this a word is not considered known (wordfreq's list starts at 1.0).
MIN_ZIPF = 1.0
EXTRA_DEFAULT_ZIPF = 3.0
EXTRA_FILE = "nl_extra.txt"


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).strip().lower()


@functools.cache
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


@functools.cache
def _frequencies() -> dict[str, float]:
    """wordfreq's Dutch frequencies (word -> share of all words), loaded once."""
    import wordfreq

    return dict(wordfreq.get_frequency_dict("nl", wordlist="best"))


def load_lexicon() -> None:
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
