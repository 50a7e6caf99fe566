"""Which languages a file to import holds, by its declarations and by its content.

The termbase is Dutch→English. Files from other tools declare their
languages in several ways: TBX `xml:lang` on each language section, PO's
`Language` (and `Language-Team`) header, a spreadsheet's header row
("Nederlands;Engels", "source,target", "nl-NL,en-GB"). This module turns
those declarations into language codes (`code`, `header_cell`) and, for
files that declare nothing (a CSV without a header, a PO file without a
`Language`), looks at the text itself (`content_problem`): a column in a
script other than Latin is not Dutch or English, and a column whose words
are far more frequent in English than in Dutch is not Dutch (wordfreq's
frequency lists for both languages). Importing reports another pair as an
error the user can override by naming the languages to read
(`--source-lang`, `--target-lang`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Final

from glossary.errors import Problem, UnreadableFile

# ISO 639-2/3 codes some tools write instead of the two-letter ones.
_THREE: Final = {
    "nld": "nl",
    "dut": "nl",
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "afr": "af",
    "uig": "ug",
    "zho": "zh",
    "chi": "zh",
    "rus": "ru",
    "pol": "pl",
    "ces": "cs",
    "cze": "cs",
}
# ISO 639-1 codes: a header cell of two letters is a language only if it is one.
_TWO_CODES: Final = """
aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he
hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko
kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd
ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se
sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty
ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
_TWO: Final = frozenset(_TWO_CODES.split())
# Language names in Dutch, English and the language itself (lower case).
NAMES: Final = {
    "nederlands": "nl",
    "dutch": "nl",
    "vlaams": "nl",
    "flemish": "nl",
    "engels": "en",
    "english": "en",
    "duits": "de",
    "german": "de",
    "deutsch": "de",
    "frans": "fr",
    "french": "fr",
    "français": "fr",
    "spaans": "es",
    "spanish": "es",
    "español": "es",
    "italiaans": "it",
    "italian": "it",
    "italiano": "it",
    "portugees": "pt",
    "portuguese": "pt",
    "português": "pt",
    "afrikaans": "af",
    "oeigoers": "ug",
    "uyghur": "ug",
    "uighur": "ug",
    "chinees": "zh",
    "chinese": "zh",
    "russisch": "ru",
    "russian": "ru",
    "pools": "pl",
    "polish": "pl",
    "tsjechisch": "cs",
    "czech": "cs",
    "zweeds": "sv",
    "swedish": "sv",
    "deens": "da",
    "danish": "da",
    "fries": "fy",
    "frisian": "fy",
    "turks": "tr",
    "turkish": "tr",
    "arabisch": "ar",
    "arabic": "ar",
    "japans": "ja",
    "japanese": "ja",
}
LABELS: Final = {"nl": "Dutch", "en": "English"}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def code(tag: str) -> str:
    """The primary language of a tag or name ("nl-BE" -> "nl", "NLD" -> "nl",
    "Nederlands" -> "nl"), or "" when it names no language."""
    text = tag.strip()
    match = _TAG.match(text)
    if match:
        primary = match.group(1).lower()
        if len(primary) == 3:
            return _THREE.get(primary, "")
        return primary if primary in _TWO else ""
    return NAMES.get(text.casefold(), "")


def label(lang: str) -> str:
    """How messages name a language: "Dutch (nl)", "es"."""
    return f"{LABELS[lang]} ({lang})" if lang in LABELS else lang


def counts_text(counts: Iterable[tuple[str, int]]) -> str:
    """ "en (40), es (39)" """
    return ", ".join(f"{lang or '?'} ({n})" for lang, n in counts)


def check_pair(languages: Counter[str], path: str, source: str, target: str) -> None:
    """Refuse a file whose terms (counted by language) are another pair than
    source→target. Dutch with English is fine, and so is Dutch alone (a
    monolingual termbase to translate); other languages beside the pair are
    left out and counted by the reader."""
    if not languages:
        return
    others = [lang for lang, _ in languages.most_common() if lang not in (source, target)]
    if source in languages and (target in languages or not others):
        return
    found = counts_text(languages.most_common())
    if source not in languages:
        what = f"it has no {label(source)} terms; its languages are {found}"
    else:
        what = f"it is {source}→{others[0]}: its languages are {found}, no {label(target)}"
    raise UnreadableFile(
        f"{path} was not read: it holds another language pair than the termbase "
        f"({label(source)} → {label(target)}).",
        [
            Problem(
                path,
                None,
                what,
                hint="import a Dutch-English termbase, or name the languages to read as "
                f"Dutch and English: --source-lang {others[0] if others else source} "
                f"--target-lang {target}",
            )
        ],
    )


# ------------------------------------------------------------------ headers

# Header words for the roles of a column (lower case, spaces single).
SOURCE_WORDS: Final = frozenset(
    {"source", "bron", "brontekst", "brontaal", "term", "source term", "bronterm", "lemma"}
)
TARGET_WORDS: Final = frozenset(
    {
        "target",
        "doel",
        "doeltaal",
        "doeltekst",
        "translation",
        "vertaling",
        "target term",
        "doelterm",
        "equivalent",
    }
)
FIELD_WORDS: Final = {
    "definition": "definition",
    "definitie": "definition",
    "omschrijving": "definition",
    "beschrijving": "definition",
    "description": "definition",
    "note": "note",
    "notes": "note",
    "notitie": "note",
    "notities": "note",
    "opmerking": "note",
    "opmerkingen": "note",
    "comment": "note",
    "comments": "note",
    "commentaar": "note",
    "remark": "note",
    "remarks": "note",
    "toelichting": "note",
    "explanation": "note",
    "uitleg": "note",
    "translator_comments": "note",
    "developer_comments": "note",
    "context": "context",
    "voorbeeld": "context",
    "voorbeeldzin": "context",
    "example": "context",
    "subject": "subject",
    "subject field": "subject",
    "domain": "subject",
    "domein": "subject",
    "onderwerp": "subject",
    "vakgebied": "subject",
    "category": "subject",
    "categorie": "subject",
    "pos": "pos",
    "part of speech": "pos",
    "woordsoort": "pos",
    "abbreviation": "nl_variants",
    "afkorting": "nl_variants",
    "acronym": "nl_variants",
    "acroniem": "nl_variants",
    "variants": "nl_variants",
    "varianten": "nl_variants",
    "synonyms": "nl_variants",
    "synoniemen": "nl_variants",
    "nl_variants": "nl_variants",
    "alternatives": "en_alternatives",
    "alternatieven": "en_alternatives",
    "en_alternatives": "en_alternatives",
    "forbidden": "en_forbidden",
    "verboden": "en_forbidden",
    "en_forbidden": "en_forbidden",
    "do not use": "en_forbidden",
    "status": "status",
    "sources": "sources",
    "bronnen": "sources",
    "reference": "sources",
    "referentie": "sources",
    "dnt": "dnt",
    "do not translate": "dnt",
    "niet vertalen": "dnt",
    "case_sensitive": "case_sensitive",
    "case-sensitive": "case_sensitive",
    "hoofdlettergevoelig": "case_sensitive",
    "fuzzy": "fuzzy",
    "language": "language",
    "taal": "language",
    "lang": "language",
    "locale": "language",
    "xml:lang": "language",
    "xref": "xref",
    "cross-reference": "xref",
    "crossreference": "xref",
    "partofspeech": "pos",
    "id": "id",
    "key": "id",
    "location": "id",
}
_PAREN = re.compile(r"^(.*?)\s*[(\[]\s*([^)\]]*)\s*[)\]]$")
_TERM_SUFFIX = re.compile(r"^(.+?)\s+(term|termen|terms)$")


def header_cell(cell: str) -> tuple[str, str]:
    """(role, language) of a header cell; role "" when it is no header word.

    Roles: "source", "target", "lang" (names a language only), or a field
    name from `FIELD_WORDS`. "Nederlands", "nl-NL", "Dutch term", "Source
    (nl)" and "Term [nl]" all give a language.
    """
    if len(cell) > 80:  # no header word is this long (and the patterns stay linear)
        return "", ""
    text = " ".join(cell.strip().strip('"').replace("_", " ").split()).casefold()
    raw = cell.strip().strip('"').casefold()
    if not text:
        return "", ""
    if raw in FIELD_WORDS:  # "translator_comments", "nl_variants" keep their underscore
        return FIELD_WORDS[raw], ""
    lang = ""
    match = _PAREN.match(text)
    if match and code(match.group(2)):
        text, lang = match.group(1).strip(), code(match.group(2))
        if not text:
            return "lang", lang
    suffix = _TERM_SUFFIX.match(text)
    if suffix and code(suffix.group(1)):
        return "lang", code(suffix.group(1))
    if text in SOURCE_WORDS:
        return "source", lang
    if text in TARGET_WORDS:
        return "target", lang
    if text in FIELD_WORDS:
        return FIELD_WORDS[text], lang
    found = code(cell.strip().strip('"')) or NAMES.get(text, "")
    if found:
        return "lang", found
    return "", ""


# ------------------------------------------------------------------ content

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _script_not_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    other = sum(1 for ch in letters if "LATIN" not in unicodedata.name(ch, "LATIN"))
    return other * 2 > len(letters)


@cache
def _zipf(lang: str) -> dict[str, float]:
    import math

    import wordfreq

    # "small" lists (about 30,000 words each) tell the two apart and load fast.
    return {
        word: math.log10(share) + 9.0
        for word, share in wordfreq.get_frequency_dict(lang, wordlist="small").items()
    }


def _leaning(text: str) -> str:
    """ "en" or "nl" when the words of `text` are clearly more frequent in one
    language than in the other, else ""."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return ""
    nl, en = _zipf("nl"), _zipf("en")
    score = sum(en.get(w, 0.0) - nl.get(w, 0.0) for w in words) / len(words)
    if score > 1.0:
        return "en"
    if score < -1.0:
        return "nl"
    return ""


def _sample(values: Iterable[str], size: int = 300) -> list[str]:
    out: list[str] = []
    for value in values:
        if value.strip():
            out.append(value)
            if len(out) >= size:
                break
    return out


def content_problem(sources: Sequence[str], targets: Sequence[str], what: str) -> str:
    """Why the text of a file without declared languages does not look like
    Dutch terms with English renderings ("" when it may well be).

    `what` names the two sides for the message ("the first column and the
    second", "msgid and msgstr"). Only clear evidence counts: a side mostly
    in another script, or at least 5 values of which 60 % lean to the
    other language.
    """
    source_sample, target_sample = _sample(sources), _sample(targets)
    for side, sample, lang in (
        ("source", source_sample, "Dutch"),
        ("target", target_sample, "English"),
    ):
        odd = [v for v in sample if _script_not_latin(v)]
        if sample and len(odd) * 2 > len(sample):
            names = what.split(" and ")[0 if side == "source" else 1]
            return (
                f"the {side} side ({names}) is mostly in a script other than Latin "
                f"(e.g. {odd[0]!r}), so it is not {lang}"
            )
    english_sources = _lean_share(source_sample, "en")
    if english_sources:
        return (
            f"the source side ({what.split(' and ')[0]}) looks English, not Dutch "
            f"(e.g. {english_sources!r})"
        )
    dutch_targets = _lean_share(target_sample, "nl")
    if dutch_targets:
        return (
            f"the target side ({what.split(' and ')[1]}) looks Dutch, not English "
            f"(e.g. {dutch_targets!r})"
        )
    return ""


def _lean_share(sample: Sequence[str], lang: str) -> str:
    """An example value when most decided values lean to `lang`, else ""."""
    leanings = [(_leaning(v), v) for v in sample]
    decided = [(lean, v) for lean, v in leanings if lean]
    hits = [v for lean, v in decided if lean == lang]
    if len(decided) >= 3 and len(hits) >= 0.6 * len(decided):
        return hits[0]
    return ""
