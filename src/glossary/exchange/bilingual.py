"""Bilingual files for `glossary check` and `glossary merge`: their segments, the
statuses that count, and the language pair.

`read_bilingual(path, ...)` reads a PO, XLIFF (1.2 and its flavours, 2.x),
TMX or TSV file into `BilingualUnit`s:

- CAT jobs (PO, XLIFF) are read by `glossary.exchange.jobs.read_job`: units
  marked `translate="no"` are left out; a target counts only when its
  status is at least `min_status` ("draft": every target, machine
  translation and fuzzy included; "translated": those a translator
  accepted; "reviewed": confirmed by a reviewer or final), the others are
  counted as not translated; each unit refers to the unit id and segment
  number (XLIFF) or the line (PO) a translator finds in the CAT tool; PO
  plural entries give one unit per `msgstr[n]`.
- The language pair is checked: the file's declaration (XLIFF
  `source-language`/`target-language`, `srcLang`/`trgLang`, PO `Language`,
  TMX `srclang` and the languages of its variants) must be Dutch → English
  (regional variants accepted), else the file is refused with a message
  naming the pair found and the options that override
  (`LanguageChoice`: the languages to read as Dutch and English).

The result says what was left out and why, so a report never shows
"0 violations" for a file that was not really checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from glossary.document import BilingualUnit
from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange import registry as formats
from glossary.exchange.jobs import (
    RANK,
    STATUSES,
    LanguageChoice,
    Status,
    check_languages,
    read_job,
)
from glossary.exchange.registry import DEFAULT_MAX_BYTES, SOURCE_LANG, TARGET_LANG
from glossary.files.inputs import display_name, read_bytes

# The default of --min-status: every target counts (machine translation too),
# so check sees what a CAT tool shows, and merge keeps what is there.
DEFAULT_MIN_STATUS: Final[Status] = "draft"
MIN_STATUSES: Final[tuple[Status, ...]] = STATUSES[1:]  # draft, translated, reviewed


@dataclass(frozen=True)
class BilingualFile:
    """The units of a bilingual file to check or merge, and what was left out.

    `statuses` counts the segments by status ("new", "draft", "translated",
    "reviewed"; files without statuses, TMX and TSV, count every target as
    translated); `below` is the number of targets not counted because their
    status is below `min_status`; `not_translatable` the segments marked
    translate="no"."""

    path: str
    format: str
    flavour: str
    units: tuple[BilingualUnit, ...]
    min_status: Status = DEFAULT_MIN_STATUS
    statuses: tuple[tuple[str, int], ...] = ()
    below: int = 0
    not_translatable: int = 0
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """What was read, for the user ("" when there is nothing to say)."""
        parts = []
        if self.below:
            parts.append(
                f"{self.below} target(s) below --min-status {self.min_status} counted as "
                "not translated"
            )
        if self.not_translatable:
            parts.append(f'{self.not_translatable} segment(s) marked translate="no" left out')
        return f"{self.path}: " + "; ".join(parts) if parts else ""


def _min_status(value: str) -> Status:
    for status in MIN_STATUSES:
        if status == value:
            return status
    raise InvalidValue(
        f"Unknown status {value!r} for --min-status; use one of: {', '.join(MIN_STATUSES)}."
    )


def read_bilingual(
    path: Path,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    min_status: str = DEFAULT_MIN_STATUS,
    languages: LanguageChoice | None = None,
    formats_allowed: tuple[str, ...] = (),
) -> BilingualFile:
    """The units of a PO, XLIFF, TMX or TSV file ("-" for stdin), its language pair
    checked (see the module doc). The format is `fmt`, else what the content
    shows, else what the suffix says; `formats_allowed` limits it (merge)."""
    status = _min_status(min_status)
    choice = languages or LanguageChoice()
    data = read_bytes(path, limit=max_bytes)
    name = display_name(path)
    chosen = _choose(path, data, fmt)
    if formats_allowed and chosen.name not in formats_allowed:
        raise InvalidValue(
            f"{name} is {chosen.label}; this command reads "
            f"{' or '.join(f.upper() for f in formats_allowed)} files (pass --format "
            f"{'|'.join(formats_allowed)} if it is one)."
        )
    if chosen.offers("job-reader"):
        job = read_job(data, name, chosen.name)
        notes = check_languages(job, choice)
        counts = Counter(s.status for s in job.segments if s.translate)
        below = sum(
            1
            for s in job.segments
            if s.translate and s.status != "new" and RANK[s.status] < RANK[status]
        )
        return BilingualFile(
            name,
            chosen.name,
            job.flavour,
            tuple(job.units(status)),
            status,
            tuple((s, counts[s]) for s in STATUSES if counts[s]),
            below,
            sum(1 for s in job.segments if not s.translate),
            tuple(notes),
            job.warnings,
        )
    if chosen.name == "tmx":
        units = _read_tmx(data, name, choice)
    else:
        units = chosen.function("bilingual-reader")(data, name)
    translated = sum(1 for u in units if u.target.strip())
    return BilingualFile(
        name,
        chosen.name,
        chosen.name,
        tuple(units),
        status,
        (("translated", translated),) if translated else (),
    )


def _choose(path: Path, data: bytes, fmt: str | None) -> formats.Format:
    role = "bilingual-reader"
    if fmt:
        chosen = formats.get(fmt)
        if not chosen.offers(role):
            raise InvalidValue(
                f"The {chosen.name} format holds terms, not translated segments; use one "
                f"of: {', '.join(formats.names(role))}."
            )
        return chosen
    return formats.choose(path, data, role)


def _read_tmx(data: bytes, name: str, choice: LanguageChoice) -> list[BilingualUnit]:
    """The units of a TMX file in the pair asked for (Dutch → English unless named);
    a memory without both languages is refused, naming those it holds."""
    from glossary.exchange import tmx
    from glossary.exchange.languages import code, counts_text, label

    declared, counts = tmx.languages(data, name)
    source = code(choice.source) if choice.source else SOURCE_LANG
    target = code(choice.target) if choice.target else TARGET_LANG
    missing = [lang for lang in (source, target) if not counts[lang]]
    if missing:
        held = sorted(counts, key=lambda lang: (lang != declared, -counts[lang], lang))
        suggestion = (
            f"--source-lang {held[0]} --target-lang {held[1]}"
            if len(held) > 1
            else "--source-lang CODE --target-lang CODE"
        )
        raise UnreadableFile(
            f"{name} holds {counts_text((lang, counts[lang]) for lang in held) or 'no variants'}: "
            f"no {' and no '.join(label(lang) for lang in missing)}. glossary checks "
            "Dutch (nl) → English (en) translations.",
            [
                Problem(
                    name,
                    None,
                    f'no <tuv xml:lang="{missing[0]}"> in any unit',
                    hint="give a Dutch → English memory, or name the two languages to read: "
                    + suggestion,
                )
            ],
        )
    return tmx.read_units(data, name, source=source, target=target)
