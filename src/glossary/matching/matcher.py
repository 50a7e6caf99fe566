"""Finding termbase terms in text: Dutch source side and English target side.

`Matcher` is the one source-side matcher that mining (known terms),
enforcement and QA share. It compiles every Dutch term of the given concepts,
with their inflected forms, into one Aho-Corasick automaton (pyahocorasick)
and scans a folded copy of the text:

- case is folded, except for case-sensitive concepts (acronyms such as
  "OVSE", "OP"), whose matches are checked against the exact spelling;
- accents are folded ("Armenie", "Armenië" and the OCR error "Armenié" are
  one word);
- hyphens and spaces inside a term are ignored, so "Minskgroep",
  "Minsk-groep" and "Minsk Groep" are one term (the `fold_key` identity of
  the termbase), while punctuation ("Raad. Europa") stops a match;
- Dutch inflection: plural -en/-s/'s, genitive -s, adjectival -e on the
  modifiers of a multiword term ("gewapende conflicten" for "gewapend
  conflict"), with the usual spelling changes (staat/staten, brief/brieven,
  bom/bommen, -heid/-heden) and a small table of irregular plurals;
- matches cover whole tokens only, but a term may be one part of a
  hyphenated compound ("OVSE-missie" contains "OVSE");
- overlapping candidates are resolved longest match first, then leftmost;
  matches never overlap.

Offsets in `Match` are character offsets into the original text.

The English side (`find_english`, `EnglishMatcher`) is a small regex matcher
for the terms QA and enforcement look for in a translation: case-insensitive,
whole tokens, hyphen or space between words, and English plural and
possessive forms of the last word ("ceasefires", "Minsk Group's").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from glossary.lang.text import DASHES, clean_value
from glossary.termbase.model import Concept

# ------------------------------------------------------------------ folding

# Dutch function words that can sit inside a multiword term ("recht op
# zelfbeschikking", "Raad van Europa"); the word before the first of them is
# the head that takes the plural.
_INNER_FUNCTION_WORDS = frozenset(
    (
        *("van", "voor", "op", "in", "met", "tot", "tegen", "over", "uit", "aan", "bij"),
        *("door", "om", "naar", "onder", "tussen", "zonder", "de", "het", "een", "der"),
        *("des", "en", "of"),
    )
)
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


def _fold_term(term: str) -> str:
    """The automaton key of a term: folded like text, with joiners removed."""
    folded, _ = fold_text(clean_value(term))
    return folded.replace(" ", "")


def _exact_key(term: str) -> str:
    """A case-sensitive term's key: accents and joiners off, case kept."""
    text = clean_value(term)
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return re.sub(r"[\s\-]+", "", stripped)


# ---------------------------------------------------------------- inflection


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


def dutch_forms(term: str, case_sensitive: bool = False) -> list[str]:
    """`term` followed by its inflected forms (plural/genitive of the head,
    adjectival -e or its absence on modifiers). Acronyms get -s and 's only."""
    return [form for form, _ in _inflect(term, case_sensitive)]


def _changed_tail(base: str, form: str) -> int:
    """How many final characters of `form` differ from `base`, plus one: the
    ending that must be attached to its word in a text (never "groep en")."""
    common = 0
    for a, b in zip(base, form, strict=False):
        if a != b:
            break
        common += 1
    return len(form) - common + 1 if len(form) > common else 0


def head_index(words: Sequence[str], function_words: Collection[str]) -> int:
    """Index of a term's head noun: the word before the first function word
    after the first word ("Raad van Europa", "prisoner of war"), else the last."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in function_words:
            return i - 1
    return len(words) - 1


def _inflect(term: str, case_sensitive: bool) -> list[tuple[str, int]]:
    """Forms of `term` with the length of their attached ending (see `_changed_tail`)."""
    term = clean_value(term)
    if case_sensitive:
        return [(term, 0), (term + "'s", 3), (term + "s", 2)]
    words = term.split(" ")
    head = head_index(words, _INNER_FUNCTION_WORDS)
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
        if i >= head - 2 and word.lower() not in _INNER_FUNCTION_WORDS:
            options += adjective_forms(word)
        prefixes = [p + o + " " for p in prefixes for o in options]
    rest = " ".join(words[head + 1 :])
    forms: dict[str, int] = {term: 0}
    for prefix in prefixes:
        for head_form, tail in heads:
            form = prefix + head_form + (" " + rest if rest else "")
            forms.setdefault(form, tail)
    return list(forms.items())


# ------------------------------------------------------------------- matcher


@dataclass(frozen=True)
class Match:
    """One occurrence of a concept's Dutch term in a text.

    `start`/`end` are offsets into the original text (`text[start:end] ==
    surface`); `term` is the concept's Dutch term (preferred or variant)
    whose form matched; `inflected` tells whether the surface is an
    inflected form of it rather than the term itself (case, accents and
    hyphenation aside).
    """

    concept_id: str
    start: int
    end: int
    surface: str
    term: str
    inflected: bool = False


# One way a key can be a concept's term: (rank, concept index, term, exact
# spelling for case-sensitive concepts or "", inflected, attached ending
# length). Lower rank wins.
_Entry = tuple[int, int, str, str, bool, int]


class Matcher:
    """Aho-Corasick matcher for the Dutch terms of a set of concepts.

    Build it once (`Matcher.build(termbase.concepts)`), then call `find` on
    as many texts as needed; it is not changed by finding.
    """

    __slots__ = ("_automaton", "_concepts")

    def __init__(self, automaton: Any, concepts: Sequence[Concept]) -> None:
        self._automaton = automaton
        self._concepts = tuple(concepts)

    @classmethod
    def build(cls, concepts: Iterable[Concept], *, inflect: bool = True) -> Matcher:
        """Compile the Dutch terms (and, with `inflect`, their forms) of `concepts`."""
        import ahocorasick

        kept = tuple(concepts)
        entries: dict[str, list[_Entry]] = {}
        for index, concept in enumerate(kept):
            sensitive = concept.case_sensitive
            for term in concept.nl_terms:
                if not term:
                    continue
                forms = _inflect(term, sensitive) if inflect else [(clean_value(term), 0)]
                for n, (form, tail) in enumerate(forms):
                    key = _fold_term(form)
                    if not key:
                        continue
                    inflected = n > 0
                    rank = (2 if inflected else 0) + (0 if sensitive else 1)
                    exact = _exact_key(form) if sensitive else ""
                    entry = (rank, index, term, exact, inflected, tail)
                    bucket = entries.setdefault(key, [])
                    if not any(e[1] == index and e[3] == exact for e in bucket):
                        bucket.append(entry)
        automaton = ahocorasick.Automaton()
        for key, bucket in entries.items():
            bucket.sort()
            automaton.add_word(key, (len(key), tuple(bucket)))
        if entries:
            automaton.make_automaton()
        return cls(automaton, kept)

    def __len__(self) -> int:
        return len(self._concepts)

    @property
    def concepts(self) -> tuple[Concept, ...]:
        return self._concepts

    def find(self, text: str, *, overlapping: bool = False) -> list[Match]:
        """Every term occurrence in `text`, longest first, no overlaps, by position.

        With `overlapping`, every occurrence is returned, also those inside or
        across a longer one ("Hoge Vertegenwoordiger" inside "Hoge
        Vertegenwoordiger voor Buitenlands Beleid"), ordered by start, longest first.
        """
        if not self._concepts or not text or len(self._automaton) == 0:
            return []
        folded, positions = fold_text(text)
        size = len(folded)
        candidates: list[tuple[int, int, int, _Entry]] = []
        append = candidates.append
        isalnum = str.isalnum
        count = folded.count
        for last, (length, bucket) in self._automaton.iter(folded, ignore_white_space=True):
            end = last + 1
            if end < size and isalnum(folded[end]):
                continue
            start = end - length
            spaced = count(" ", start, end)
            if spaced:
                start = _start_skipping_spaces(folded, start, spaced)
            if start > 0 and isalnum(folded[start - 1]):
                continue
            entry = bucket[0]
            if spaced or entry[3]:
                picked = _pick(bucket, text, folded, start, end, positions)
                if picked is None:
                    continue
                entry = picked
            append((start - end, start, end, entry))
        candidates.sort()
        taken = bytearray(size)
        chosen: list[Match] = []
        for _, start, end, entry in candidates:
            if not overlapping:
                if taken.find(1, start, end) != -1:
                    continue
                taken[start:end] = b"\x01" * (end - start)
            o_start, o_end = (
                (start, end) if positions is None else (positions[start], positions[end])
            )
            concept = self._concepts[entry[1]]
            chosen.append(
                Match(concept.id, o_start, o_end, text[o_start:o_end], entry[2], entry[4])
            )
        chosen.sort(key=lambda m: (m.start, -m.end))
        return chosen


def _start_skipping_spaces(folded: str, start: int, spaces: int) -> int:
    """Move `start` left until the span holds its key's letters: each space
    inside the span (ignored by the automaton) pushes the start one further."""
    while spaces:
        earlier = start - spaces
        spaces = folded.count(" ", earlier, start)
        start = earlier
    return start


def _pick(
    bucket: tuple[_Entry, ...],
    text: str,
    folded: str,
    start: int,
    end: int,
    positions: list[int] | None,
) -> _Entry | None:
    """The best entry whose conditions hold: an inflectional ending attached to
    its word, and a case-sensitive term's exact spelling."""
    exact: str | None = None
    for entry in bucket:
        tail = entry[5]
        if tail and " " in folded[end - tail : end]:
            continue
        if entry[3]:
            if exact is None:
                o_start, o_end = (
                    (start, end) if positions is None else (positions[start], positions[end])
                )
                exact = _exact_key(text[o_start:o_end])
            if entry[3] != exact:
                continue
        return entry
    return None


# ------------------------------------------------------------- English side

_APOSTROPHE = "['\u2019]"


def english_forms(word: str) -> list[str]:
    """English plural forms of a word and, for a plural, its singular."""
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


@functools.lru_cache(maxsize=4096)
def _english_pattern(term: str) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"[\s\-" + DASHES + "]+", clean_value(term)) if w]
    if not words:
        return None
    last = words[-1]
    last_options = sorted({last, *english_forms(last)}, key=len, reverse=True)
    body = r"[\s\-]+".join(re.escape(w) for w in words[:-1])
    tail = "(?:" + "|".join(re.escape(w) for w in last_options) + ")"
    pattern = (body + r"[\s\-]+" if body else "") + tail
    return re.compile(
        r"(?<![\w])" + pattern + "(?:" + _APOSTROPHE + "s?)?" + r"(?![\w])", re.IGNORECASE
    )


def find_english(text: str, term: str) -> list[tuple[int, int]]:
    """Spans of `term` in English `text`: case-insensitive, whole tokens,
    hyphen or space between words, plural and possessive forms accepted.

    Spans do not overlap and are in text order, so a caller can use each once.
    """
    pattern = _english_pattern(term)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text)]


class EnglishMatcher:
    """`find_english` for many terms at once, longest match first, no overlaps."""

    __slots__ = ("_terms",)

    def __init__(self, terms: Iterable[str]) -> None:
        self._terms = tuple(dict.fromkeys(t for t in terms if t.strip()))

    def __len__(self) -> int:
        return len(self._terms)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) for every occurrence of any term, in text order."""
        found: list[tuple[int, int, str]] = []
        for term in self._terms:
            found.extend((s, e, term) for s, e in find_english(text, term))
        found.sort(key=lambda f: (f[0] - f[1], f[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str]] = []
        for start, end, term in found:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, end, term))
        chosen.sort()
        return chosen
