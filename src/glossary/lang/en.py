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

# English words that end the head of a multiword term ("prisoner of war").
PREPOSITIONS: frozenset[str] = frozenset(
    ("of", "for", "on", "in", "to", "with", "at", "from", "between", "against", "by", "under")
)
ARTICLE = "the"

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
