"""CAT bilingual files as jobs: read their segments, write targets back in place.

A job is a bilingual file a CAT tool exported (XLIFF 1.2 from Trados,
memoQ, OmegaT, Okapi, WorldServer; XLIFF 2.0/2.1; PO/POT from Poedit or
Weblate). `glossary translate`, `check` and `merge` all see it the same
way:

- `read_job(data, name) -> Job`: every segment with its unit id, segment
  number, source and target (plain text and `InlineCode`s), the file's own
  status value and a normalised `Status`, whether it may be translated
  (`translate="no"`, locked), and the file's declared languages;
- `write_job(data, name, updates) -> bytes`: the same file with new targets
  (and the format's own marks: machine translation to review, or
  translated), everything else kept: untouched units are the same bytes.

Format modules: `glossary.exchange.xliff_job` (XLIFF 1.2 and its flavours,
XLIFF 2.x), `glossary.exchange.po_job` (PO/POT); the registry's roles
`job-reader` and `job-writer` name them.

`check_languages(job, ...)` refuses a file of another language pair than
Dutch → English (regional variants accepted) with a message that names the
pair found and the options to override.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from glossary.document import BilingualUnit, InlineCode
from glossary.errors import Problem, UnreadableFile

# Where a segment is in its life, from the file's own status values:
# "new": no translation; "draft": a translation nobody accepted yet (machine
# translation, a fuzzy match, Trados Draft, PO fuzzy, needs-review);
# "translated": the translator accepted it; "reviewed": confirmed by a
# reviewer or final (XLIFF final/signed-off, Trados ApprovedTranslation,
# memoQ Reviewer1Confirmed, XLIFF 2.0 reviewed/final).
Status = Literal["new", "draft", "translated", "reviewed"]
STATUSES: Final[tuple[Status, ...]] = ("new", "draft", "translated", "reviewed")
RANK: Final[dict[str, int]] = {s: i for i, s in enumerate(STATUSES)}

# What a new target is marked as: machine translation to review ("mt"), or a
# translation to keep as translated ("translated": a correction a person made).
Mark = Literal["mt", "translated"]


@dataclass(frozen=True)
class JobSegment:
    """One segment of a bilingual file.

    `key` identifies it in the file (unit path and segment id); `unit_id` and
    `number` (1-based, within the unit) are what a translator finds in the
    CAT tool; `line` is its line in the file. `source`/`target` are plain
    text with their inline codes at offsets. `state` is the file's own status
    value as written ("needs-review-translation", "Draft", "fuzzy", "") and
    `status` its meaning. PO plural entries give one segment per `msgstr[n]`
    (`plural` = n), the source being `msgid` for n = 0 and `msgid_plural`
    for the others.
    """

    key: str
    unit_id: str
    number: int
    source: str
    target: str = ""
    source_codes: tuple[InlineCode, ...] = ()
    target_codes: tuple[InlineCode, ...] = ()
    has_target: bool = False
    state: str = ""
    status: Status = "new"
    translate: bool = True
    locked: bool = False
    line: int | None = None
    file: str = ""  # XLIFF <file original="...">, "" for PO
    segmented: bool = False  # the unit has several segments (seg-source, <segment>s)
    plural: int | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)
    # The identity `glossary merge` matches segments of a document by: the
    # `segment_key` ("brief.txt#12") of files `glossary translate` wrote.
    merge_key: str = ""
    # Where the source segment came from, when the file says: PO `#:`
    # references, XLIFF location contexts ("brief.txt:12").
    origin: str = ""

    @property
    def ref(self) -> str:
        """Where a translator finds it: "unit 12", "unit 12, segment 2", "line 40"."""
        if self.plural is not None or not self.unit_id:
            where = f"line {self.line}" if self.line else f"entry {self.key}"
            return where + (f", msgstr[{self.plural}]" if self.plural is not None else "")
        text = f"unit {self.unit_id}"
        if self.segmented:
            text += f", segment {self.number}"
        return text

    @property
    def editable(self) -> bool:
        """May be translated at all: not translate="no", not locked."""
        return self.translate and not self.locked


@dataclass(frozen=True)
class Job:
    """A bilingual file as read: its segments and declared languages."""

    path: str
    format: str  # "xliff" or "po"
    flavour: str  # "xliff-1.2", "sdlxliff", "memoq", "xliff-2.0", "po", "pot", ...
    segments: tuple[JobSegment, ...]
    source_lang: str = ""  # as declared ("nl-NL"), "" when the file says nothing
    target_lang: str = ""
    warnings: tuple[str, ...] = ()

    def units(self, min_status: Status = "draft") -> list[BilingualUnit]:
        """The segments as `BilingualUnit`s for `check` and `merge`: those that
        may be translated, with a target only when its status is at least
        `min_status` (others count as untranslated)."""
        units = []
        # 1-based position of each unit (PO: entry) in the file, as CAT tools
        # number them: the segments of a unit and the forms of a plural share it.
        positions: dict[str, int] = {}
        for seg in self.segments:
            positions.setdefault(_unit_key(seg.key), len(positions) + 1)
        for seg in self.segments:
            if not seg.translate:
                continue
            counted = seg.status != "new" and RANK[seg.status] >= RANK[min_status]
            units.append(
                BilingualUnit(
                    seg.source,
                    seg.target if counted else "",
                    ref=seg.origin,
                    key=seg.merge_key,
                    reviewed=RANK[seg.status] >= RANK["translated"],
                    line=seg.line,
                    notes=seg.notes,
                    # a PO msgctxt is no id a translator sees: PO is found by line
                    unit_id=seg.unit_id if self.format != "po" else "",
                    number=positions[_unit_key(seg.key)],
                    segment=seg.number if seg.segmented else 0,
                    status=seg.status,
                    plural=seg.plural,
                )
            )
        return units


def _unit_key(key: str) -> str:
    """The unit part of a segment key: "u12" of "u12s2", "e7" of "e7p1"."""
    return key.split("s", 1)[0].split("p", 1)[0]


@dataclass(frozen=True)
class TargetUpdate:
    """A new target for the segment `key`, with its inline codes, and how to mark it."""

    key: str
    target: str
    codes: tuple[InlineCode, ...] = ()
    mark: Mark = "mt"


# ------------------------------------------------------------------ languages

SOURCE: Final = "nl"
TARGET: Final = "en"


def _primary(tag: str) -> str:
    from glossary.exchange.languages import code

    return code(tag) if tag else ""


@dataclass(frozen=True)
class LanguageChoice:
    """Which of a file's languages to read as Dutch and English (`--source-lang`,
    `--target-lang`); given, the file's own declaration is not checked."""

    source: str = ""
    target: str = ""

    @property
    def given(self) -> bool:
        return bool(self.source or self.target)


def check_languages(
    job: Job, choice: LanguageChoice | None = None, *, texts: bool = True
) -> list[str]:
    """Refuse (`UnreadableFile`) a job whose declared pair is not Dutch → English
    (nl, nl-BE, nl-NL... → en, en-GB, en-US...). A file that declares nothing
    is checked by its text (`texts`), on clear evidence only; a note says so.
    `choice` overrides: the languages named are the ones to read (the file's
    declaration must then match them, when it declares anything). Returns
    notes for the user."""
    choice = choice or LanguageChoice()
    declared_source = _primary(job.source_lang)
    declared_target = _primary(job.target_lang)
    want_source = _primary(choice.source) if choice.source else SOURCE
    want_target = _primary(choice.target) if choice.target else TARGET
    pair = f"{job.source_lang or '?'} → {job.target_lang or '?'}"
    override = (
        f"--source-lang {job.source_lang or 'CODE'} --target-lang {job.target_lang or 'CODE'}"
    )
    problems: list[str] = []
    if declared_source and declared_source != want_source:
        problems.append(f"its source language is {job.source_lang}, not {want_source}")
    if declared_target and declared_target != want_target:
        problems.append(f"its target language is {job.target_lang}, not {want_target}")
    if problems:
        raise UnreadableFile(
            f"{job.path} declares the language pair {pair}; glossary translates and "
            "checks Dutch (nl) → English (en) files.",
            [
                Problem(
                    job.path,
                    None,
                    "; ".join(problems),
                    hint="give a Dutch → English file, or, to use this one anyway, name "
                    f"its languages: {override}",
                )
            ],
        )
    notes: list[str] = []
    if declared_source and declared_target:
        return notes
    if choice.given:
        return notes
    if texts:
        from glossary.exchange.languages import content_problem

        sources = [s.source for s in job.segments if s.translate and s.source.strip()]
        targets = [s.target for s in job.segments if s.target.strip()]
        what = "msgid and msgstr" if job.format == "po" else "source and target"
        problem = content_problem(sources, targets, what)
        if problem:
            raise UnreadableFile(
                f"{job.path} declares no language pair ({pair}) and its text does not "
                "look like Dutch → English.",
                [
                    Problem(
                        job.path,
                        None,
                        problem,
                        hint="give a Dutch → English file, or name its languages: "
                        "--source-lang CODE --target-lang CODE",
                    )
                ],
            )
    missing = " and ".join(
        what
        for what, value in (("source", declared_source), ("target", declared_target))
        if not value
    )
    notes.append(
        f"{job.path} declares no {missing} language; read as Dutch → English "
        "(name them with --source-lang/--target-lang)."
    )
    return notes


def language_counts(job: Job) -> Counter[str]:
    """The declared languages, for messages."""
    return Counter(x for x in (_primary(job.source_lang), _primary(job.target_lang)) if x)


# ------------------------------------------------------------------ dispatch


def read_job(data: bytes, name: str, fmt: str | None = None) -> Job:
    """The job in `data` (a file called `name`), by the registry's job reader."""
    from glossary.files import formats

    chosen = formats.get(fmt) if fmt else formats.detect(name, data, "job-reader").format
    if chosen is None or not chosen.offers("job-reader"):
        what = formats.detect(name, data).describe()
        raise UnreadableFile(
            f"{name} is not a bilingual job glossary can translate in place.",
            [Problem(name, None, what, hint="give an XLIFF (1.2, 2.0) or PO file")],
        )
    job: Job = chosen.function("job-reader")(data, name)
    return job


def write_job(
    data: bytes,
    name: str,
    updates: Sequence[TargetUpdate],
    *,
    hints: Mapping[str, Sequence[str]] | None = None,
    fmt: str | None = None,
) -> bytes:
    """`data` with the targets of `updates` written in place (the registry's job
    writer). `hints` (segment key -> lines) become the unit's glossary notes
    (XLIFF `<note from="glossary">`, PO `#.` comments), replacing the ones a
    previous run wrote."""
    from glossary.files import formats

    chosen = formats.get(fmt) if fmt else formats.detect(name, data, "job-writer").format
    if chosen is None or not chosen.offers("job-writer"):
        raise UnreadableFile(
            f"{name} cannot be written as a job.",
            [Problem(name, None, "not an XLIFF or PO file")],
        )
    out: bytes = chosen.function("job-writer")(data, name, updates, hints=hints or {})
    return out
