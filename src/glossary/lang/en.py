"""English: the language knowledge the English term matcher and enforcement share.

- Plurals: `plural_forms(word)` lists the forms the English term matcher
  accepts for a term's last word (-s, -es, -ies, -ves, -men and back to the
  singular); `plural(word)` is the one plural enforcement writes, by rule, or
  None when unsure (acronyms, Latin and Greek plurals such as "crises").
- `PREPOSITIONS`: the words that end the head of a multiword term ("prisoner
  of war": the head is "prisoner").
- Articles: `ARTICLE` ("the"), which an inserted "the Netherlands" must not
  double.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# English words that end the head of a multiword term ("prisoner of war").
PREPOSITIONS: frozenset[str] = frozenset(
    ("of", "for", "on", "in", "to", "with", "at", "from", "between", "against", "by", "under")
)
ARTICLE = "the"
# Nouns whose plural is the word itself (or that have none).
INVARIANT: frozenset[str] = frozenset(
    (
        *("aircraft", "personnel", "equipment", "staff", "military", "police", "news", "law"),
        *("information", "aid", "assistance", "security", "governance", "heritage", "genocide"),
    )
)

_VES = {
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "leaf": "leaves",
    "half": "halves",
    "self": "selves",
    "shelf": "shelves",
    "thief": "thieves",
    "wolf": "wolves",
    "calf": "calves",
}
_O_ES = frozenset(("hero", "potato", "tomato", "veto", "echo", "embargo", "torpedo"))
_NOT_MEN = frozenset(("human", "german", "roman", "shaman", "talisman", "caiman", "ottoman"))


def plural_forms(word: str) -> list[str]:
    """English plural forms of a word and, for a plural, its singular: what
    the term matcher accepts for the last word of a term (generous: it also
    lists forms that are not words, which never occur in a text)."""
    lower = word.lower()
    forms = [word + "s", word + "es"]
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    if lower.endswith("fe"):
        forms.append(word[:-2] + "ves")
    elif lower.endswith("f"):
        forms.append(word[:-1] + "ves")
    if lower.endswith("man"):
        forms.append(word[:-3] + "men")
    if lower.endswith("ies") and len(lower) > 4:
        forms.append(word[:-3] + "y")
    if lower.endswith("es") and len(lower) > 4:
        forms.append(word[:-2])
    if lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        forms.append(word[:-1])
    return forms


def plural(word: str) -> str | None:
    """The plural of an English noun, in the forms the term matcher reads
    (-s, -es, -ies, -ves, -men); the word itself when it already is one;
    None when unsure (acronyms, Latin and Greek plurals such as "crises")."""
    lower = word.lower()
    if not lower.isalpha() or not any(c.islower() for c in word):
        return None
    if lower in INVARIANT or lower.endswith("ing"):
        return word  # aircraft, personnel; fighting, shelling
    if lower.endswith(("is", "us", "ss")) and not lower.endswith("ss"):
        return None  # crisis/crises, status: not forms the matcher accepts
    if lower.endswith("s") and not lower.endswith("ss"):
        return word  # already plural: remains, measures, negotiations
    if lower in _VES:
        return word[0] + _VES[lower][1:]
    if lower.endswith("man") and lower not in _NOT_MEN and len(lower) > 4:
        return word[:-3] + word[-3] + "en"
    if lower.endswith(("ss", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower in _O_ES:
        return word + "es"
    return word + "s"


# ------------------------------------------------------------ verb forms


def verb_forms(word: str) -> list[str]:
    """Regular forms of an English verb, generously (the term matcher accepts
    them for the last word of a verb term): -s/-es, -d/-ed, -ing, with the
    final e dropped, y to i and a doubled final consonant. Irregular forms
    come from `inflect_verb`."""
    lower = word.lower()
    forms = [word + "s", word + "es", word + "d", word + "ed", word + "ing"]
    if lower.endswith("e") and len(lower) > 2:
        forms.append(word[:-1] + "ing")
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in "aeiou":
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    if len(lower) > 2 and lower[-1] not in "aeiouwxy" and lower[-2] in "aeiou":
        forms += [word + word[-1] + "ed", word + word[-1] + "ing"]
    return forms


# ------------------------------------------------------------ inflection (lemminflect)


class _NoSpacy:
    """Keeps lemminflect from importing spaCy (2 s) just to register an extension."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "spacy" or name.startswith("spacy."):
            raise ModuleNotFoundError(name)


@functools.cache
def _lemminflect() -> Any:
    """lemminflect, imported on first use without its spaCy hook."""
    import sys

    if "spacy" in sys.modules:
        import lemminflect

        return lemminflect
    blocker = _NoSpacy()
    sys.meta_path.insert(0, blocker)
    try:
        import lemminflect
    finally:
        sys.meta_path.remove(blocker)
    return lemminflect


VERB_TAGS = ("VBD", "VBN", "VBZ", "VBG")


def verb_tag(word: str) -> str:
    """The form of an English verb as written: "VBD"/"VBN" (past, "acknowledged"),
    "VBZ" ("acknowledges"), "VBG" ("acknowledging"), else "VB"."""
    lib = _lemminflect()
    lower = word.lower()
    lemmas = lib.getAllLemmas(lower, "VERB").get("VERB") or lib.getAllLemmasOOV(lower, "VERB").get(
        "VERB", ()
    )
    for lemma in lemmas:
        if lemma == lower:
            return "VB"
        for tag in VERB_TAGS:
            if lib.getInflection(lemma, tag) and lower in lib.getInflection(lemma, tag):
                return tag
    return "VB"


def inflect_verb(word: str, tag: str) -> str:
    """`word` (a verb's base form) in the form `tag` ("VBD", "VBN", "VBZ", "VBG")."""
    if tag not in VERB_TAGS:
        return word
    forms = _lemminflect().getInflection(word.lower(), tag)
    if not forms:
        return word
    form: str = forms[0]
    return word[:1] + form[1:] if word[:1].isupper() else form


def word_classes(word: str) -> frozenset[str]:
    """The parts of speech an English word can have (lemminflect's lexicon:
    "NOUN", "VERB", "ADJ", "ADV", ...); empty when it does not know the word."""
    lemmas: dict[str, tuple[str, ...]] = _lemminflect().getAllLemmas(word.lower())
    return frozenset(lemmas)


def is_plural_noun(word: str) -> bool:
    """Whether an English noun as written is a plural ("truces", "casualties")."""
    lower = word.lower()
    if not lower.isalpha() or len(lower) < 3 or not lower.endswith("s") or lower.endswith("ss"):
        return lower in _IRREGULAR_PLURALS
    lemmas = _lemminflect().getAllLemmas(lower, "NOUN").get("NOUN", ())
    return bool(lemmas) and lower not in lemmas


_IRREGULAR_PLURALS = frozenset(("men", "women", "people", "children", "crises", "criteria"))


# ------------------------------------------------------------ articles


# Acronyms said as a word, not letter by letter ("a NATO summit", "a UNESCO site").
WORD_ACRONYMS: frozenset[str] = frozenset(
    ("NATO", "UNESCO", "UNICEF", "OPEC", "NASA", "ASEAN", "UNIFIL", "FRONTEX", "EULEX", "SALT")
)
# Letters whose name starts with a vowel sound ("an MP", "an OSCE mission").
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# Words starting with a vowel letter and a consonant sound ("a union", "a European").
_A_BEFORE: tuple[str, ...] = ("uni", "unan", "use", "usu", "uti", "ura", "ure", "uro", "eu")
_A_BEFORE += ("ewe", "one", "once", "ukr", "ubiq", "u-", "uk")
# Words starting with a silent h ("an hour").
_AN_BEFORE = ("hour", "honest", "honour", "honor", "heir")


def article_for(word: str) -> str:
    """ "a" or "an" before `word`, by its first sound: letters of an acronym
    ("an MP", "an EU", "a UN"), acronyms said as words ("a NATO"), numbers
    ("an 8", "an 11"), silent h and "you"/"one" sounds. "" when unsure."""
    word = word.lstrip("\"'\u201c\u2018([")
    if not word:
        return ""
    token = re.match(r"[\w/.-]+", word)
    if token is None:
        return ""
    text = token.group(0)
    if text[0].isdigit():
        digits = re.match(r"\d+", text)
        number = digits.group(0) if digits else ""
        if (
            number.startswith("8")
            or number in ("11", "18")
            or re.match(r"1[18](?:[.,]\d{3})+$", text)
        ):
            return "an"
        return "a"
    letters = re.match(r"[A-Za-z]+", text)
    if letters is None:
        return ""
    first = letters.group(0)
    if first in WORD_ACRONYMS:
        return "a" if first[0] == "U" else ("an" if first[0] in "AEIO" else "a")
    if len(first) >= 2 and first.isupper() and first not in WORD_ACRONYMS:
        return "an" if first[0] in _VOWEL_LETTERS else "a"
    if len(first) == 1 and first.isupper() and (len(text) == 1 or not text[1].isalpha()):
        return "an" if first in _VOWEL_LETTERS else "a"
    lower = text.lower()
    if lower.startswith(_AN_BEFORE):
        return "an"
    if lower.startswith(_A_BEFORE):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


# ------------------------------------------------------------ sentence starts

# Abbreviations after which a capital does not start a sentence ("Mr.", "No.").
ABBREVIATIONS: frozenset[str] = frozenset(
    (
        *("mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "nos", "art", "arts", "para"),
        *("cf", "e.g", "i.e", "vs", "approx", "gen", "col", "lt", "rev", "jr", "sr", "dept"),
        *("fig", "vol", "ed", "al", "ca", "resp", "incl", "excl", "p", "pp", "sec", "ch"),
    )
)
_OPENERS = "\"'\u201c\u2018\u00ab([{"
_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_ENDER = re.compile(r"([\w.]*?)([.!?]+)[" + re.escape(_CLOSERS) + r"]*$")


def is_sentence_start(left: str) -> bool:
    """Whether a word written right after `left` starts a sentence: at the
    start of the text or of a line, after an opening quote or bracket there,
    or after a full stop, ! or ?, but not after an abbreviation ("Mr.",
    "e.g.") or an initialism ("U.S.", "J.")."""
    stripped = left.rstrip(" \t\u00a0")
    if not stripped or stripped.endswith("\n"):
        return True
    core = stripped.rstrip(_OPENERS + " \t\u00a0")
    if not core or core.endswith("\n"):
        return True
    if core != stripped and core[-1] not in ".!?:" + _CLOSERS:
        return False  # an opening quote inside a sentence
    found = _ENDER.search(core)
    if found is None:
        return False
    if found.group(2) != ".":
        return True
    word = found.group(1)
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):
        return False  # "U.S.", "J."
    return word.lower() not in ABBREVIATIONS
