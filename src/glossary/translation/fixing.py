"""`glossary fix` on files: read a translation, apply the termbase, write it back the same way.

Inputs are what `glossary check` takes:

- two text files, a Dutch source and its English translation, aligned line
  by line (the same number of non-empty lines) or paragraph by paragraph
  (the source read as a document, the translation split at blank lines, as
  `glossary translate` writes it); the output is the translation with the
  changed lines or paragraphs replaced and everything else byte for byte;
- a bilingual PO or XLIFF file (1.2 and its Trados, memoQ, Okapi flavours,
  2.x), read and written by the CAT job reader and writer
  (`glossary.exchange.jobs`): the changed targets are written in place,
  their inline codes moved with the text, the segment marked as it was;
  every other byte is the original's; or TSV
  (`source<TAB>target` or `glossary translate --format tsv`: the target
  cell of changed rows replaced).

`fix_file` is the library call: it reads, fixes every segment
(`glossary.enforcement.fix`) and returns the report and the new file
content; the caller writes it (atomically).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from glossary.document import BilingualUnit
from glossary.enforcement.fix import Aligner, FixReport, Segment, fix_segments
from glossary.errors import InvalidValue
from glossary.exchange import registry as formats
from glossary.files.inputs import DEFAULT_LIMIT, decode_bytes, display_name, read_bytes
from glossary.matching.verify import Glossary

FIX_FORMATS = ("po", "xliff", "tsv")


@dataclass(frozen=True)
class FixResult:
    """The fixed file's content (text, in the input's encoding rules), its
    format ("text", "po", "xliff", "tsv") and the report."""

    report: FixReport
    content: bytes
    format: str
    warnings: tuple[str, ...] = ()  # e.g. "read as Windows-1252"


def fix_file(
    file: Path,
    target: Path | None,
    glossary: Glossary,
    *,
    fmt: str | None = None,
    aligner: Aligner | None = None,
    max_bytes: int = DEFAULT_LIMIT,
) -> FixResult:
    """Apply the termbase to a translation (see the module doc)."""
    if target is not None:
        return _fix_pair(file, target, glossary, aligner, max_bytes)
    data = read_bytes(file, limit=max_bytes)
    chosen = formats.choose(file, data, "bilingual-reader", fmt)
    if chosen.name not in FIX_FORMATS:
        raise InvalidValue(
            f"glossary fix reads PO, XLIFF or TSV files (or two text files), not "
            f"{chosen.name}; pass --input-format po|xliff|tsv, or SOURCE TARGET."
        )
    if chosen.name in ("po", "xliff"):
        return _fix_job(data, display_name(file), chosen.name, glossary, aligner)
    units: list[BilingualUnit] = chosen.function("bilingual-reader")(data, display_name(file))
    report = fix_segments([Segment(u.ref, u.source, u.target) for u in units], glossary, aligner)
    changed = {
        u.line: s.fixed
        for u, s in zip(units, report.segments, strict=True)
        if s.changed and u.line is not None
    }
    content = _update_tsv(data, display_name(file), changed) if changed else data
    return FixResult(report, content, "tsv")


def _fix_job(
    data: bytes, name: str, fmt: str, glossary: Glossary, aligner: Aligner | None
) -> FixResult:
    """A PO or XLIFF file through the CAT job reader and writer
    (`glossary.exchange.jobs`): every segment that may be edited and has a
    target is fixed; the changed targets are written in place with their
    inline codes moved with the text, marked as they were (a draft stays a
    draft, a translated segment stays translated); every other byte is the
    original's."""
    from glossary.exchange.jobs import TargetUpdate, read_job, write_job

    job = read_job(data, name, fmt)
    segments = [
        seg for seg in job.segments if seg.editable and seg.has_target and seg.target.strip()
    ]
    report = fix_segments(
        [Segment(seg.origin or f"{name}:{seg.line}", seg.source, seg.target) for seg in segments],
        glossary,
        aligner,
    )
    updates = [
        TargetUpdate(
            seg.key,
            fixed.fixed,
            tuple(
                replace(c, offset=moved(seg.target, fixed.fixed, c.offset))
                for c in seg.target_codes
            ),
            "mt" if seg.status in ("new", "draft") else "translated",
        )
        for seg, fixed in zip(segments, report.segments, strict=True)
        if fixed.changed
    ]
    content = write_job(data, name, updates, fmt=fmt) if updates else data
    return FixResult(report, content, fmt, warnings=job.warnings)


def moved(before: str, after: str, offset: int) -> int:
    """Where a position of `before` is in `after` (an edited copy): shifted
    with the text around it; a position inside replaced text goes to the
    start of what replaced it."""
    import difflib

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, a1, a2, b1, _ in matcher.get_opcodes():
        if tag == "equal" and a1 <= offset <= a2:
            return b1 + offset - a1
        if tag != "equal" and a1 < offset < a2:
            return b1
    return len(after)


def _update_tsv(data: bytes, path: str, changed: dict[int, str]) -> bytes:
    text = decode_bytes(data, path).text
    lines = text.splitlines(keepends=True)
    column = 1
    if lines:
        header = lines[0].rstrip("\r\n").split("\t")
        if "source" in header and "target" in header:
            column = header.index("target")
    for number, fixed in changed.items():
        raw = lines[number - 1]
        body = raw.rstrip("\r\n")
        cells = body.split("\t")
        cells[column] = re.sub(r"[\t\r\n]+", " ", fixed)
        lines[number - 1] = "\t".join(cells) + raw[len(body) :]
    return "".join(lines).encode("utf-8")


# ------------------------------------------------------------ two text files


def _fix_pair(
    source: Path, target: Path, glossary: Glossary, aligner: Aligner | None, max_bytes: int
) -> FixResult:
    from glossary.files.formats import detect
    from glossary.qa import pair_texts
    from glossary.reading import sources

    raw: list[bytes] = []
    texts: list[str] = []
    warnings: list[str] = []
    for path in (source, target):
        data = read_bytes(path, limit=max_bytes)
        found = detect(path, data, sources.ROLE)
        if found.format is not None and not found.format.offers(sources.ROLE):
            raise sources.refusal(found)
        decoded = decode_bytes(data, display_name(path))
        raw.append(data)
        texts.append(decoded.text)
        warnings.extend(decoded.warnings)
    source_text, target_text = texts
    pairs = pair_texts(source, target, raw[0], source_text, target_text, max_bytes)
    segments = [Segment(p.ref, p.source, p.target) for p in pairs]
    report = fix_segments(segments, glossary, aligner)
    out = target_text
    for pair, seg in sorted(zip(pairs, report.segments, strict=True), key=lambda x: -x[0].start):
        if seg.changed:
            out = out[: pair.start] + seg.fixed + out[pair.end :]
    return FixResult(report, out.encode("utf-8"), "text", warnings=tuple(warnings))
