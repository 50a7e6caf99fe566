"""Tab- and comma-separated glossaries: OmegaT TSV, DeepL and Amazon CSV.

- `write_tsv`: OmegaT's glossary format, one line per Dutch term (preferred
  and variants): `nl<TAB>en<TAB>comment`, UTF-8. Save it as `.utf8` (or
  `.txt`), the suffixes OmegaT reads as UTF-8; the first line is a `#`
  coding comment, which OmegaT skips as a comment. The comment column says
  what the target format cannot: part of speech, alternatives, forbidden
  renderings, do-not-translate, status, definition, note ("; "-separated
  "Key: value" parts, which `read_tsv` reads back).
- `write_csv`: two columns `nl,en` per Dutch term, UTF-8, no comment column:
  a DeepL glossary; with `ExportOptions(header=True)` the first row is
  `nl,en`, the language-code header of Amazon Translate custom terminology.
- `read_tsv` / `read_csv`: the other way; `read_tsv` also takes a whole
  termbase file (`glossary/termbase.tsv` of another project).
- `read_units_tsv`: bilingual segments (source, target) for `glossary check`,
  including `glossary translate --format tsv` output.

Files must be UTF-8 (a BOM is fine) or UTF-16 with a BOM; bad bytes,
unterminated quotes and line breaks inside a cell are reported with their
line, never guessed at.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Final

from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    BilingualUnit,
    ExportOptions,
    ReadResult,
    decode_text,
)
from glossary.termbase.model import HEADER, PARTS_OF_SPEECH, Concept, make_concept, parse_tsv

CODING_LINE: Final = "# -*- coding: utf-8 -*-"
_LIST_SEP: Final = ", "


# ------------------------------------------------------------------- export


def _rows(concepts: Iterable[Concept]) -> Iterator[tuple[str, str, Concept, bool]]:
    """(Dutch term, English target, concept, is variant) for concepts with a target.

    A term is written once. A list is checked across concepts; a stream (an
    export straight from the termbase file, where no two concepts share a
    term) within each concept, so memory stays flat.
    """
    across = isinstance(concepts, Sequence)
    seen: set[str] = set()
    for concept in concepts:
        target = concept.target
        if not target:
            continue
        if not across:
            seen = set()
        for n, term in enumerate(concept.nl_terms):
            if term in seen:
                continue
            seen.add(term)
            yield term, target, concept, n > 0


# A spreadsheet runs a cell that starts with one of these as a formula
# ("=HYPERLINK(...)", "@SUM(...)", "+cmd|..."); see `formula_like`.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: str) -> bool:
    """True when a spreadsheet opening a CSV or TSV file would take `value` for a
    formula: it starts with "=", "+", "-" or "@"."""
    return value.startswith(FORMULA_STARTS)


def _cell(value: str, options: ExportOptions) -> str:
    """A value as written: verbatim (DeepL, Amazon and OmegaT read values
    literally), or with a leading apostrophe when it looks like a formula and
    the export is meant for a spreadsheet (`ExportOptions.escape_formulas`)."""
    if options.escape_formulas and formula_like(value):
        return "'" + value
    return value


def formula_values(concepts: Iterable[Concept]) -> Iterator[tuple[Concept, str]]:
    """(concept, value) for the Dutch and English terms a CSV or TSV export
    writes that a spreadsheet would run as formulas, for a warning."""
    for concept in concepts:
        target = concept.target
        if not target:
            continue
        for value in (*concept.nl_terms, target):
            if formula_like(value):
                yield concept, value


def tsv_comment(concept: Concept, variant: bool) -> str:
    """The comment column for a concept (a variant row starts with "Variant of")."""
    parts: list[str] = []
    if variant:
        parts.append(f"Variant of: {concept.nl}")
    if concept.pos:
        parts.append(concept.pos)
    if concept.status != "approved":
        parts.append(f"Status: {concept.status}")
    if concept.dnt:
        parts.append("Do not translate")
    if concept.case_sensitive:
        parts.append("Case-sensitive")
    if concept.en_alternatives and not concept.dnt:
        parts.append("Alternatives: " + _LIST_SEP.join(concept.en_alternatives))
    if concept.en_forbidden:
        parts.append("Forbidden: " + _LIST_SEP.join(concept.en_forbidden))
    if concept.subject:
        parts.append(f"Subject: {concept.subject}")
    if concept.definition:
        parts.append(f"Definition: {concept.definition}")
    if concept.note:
        parts.append(f"Note: {concept.note}")
    return "; ".join(parts)


def write_tsv(concepts: Iterable[Concept], stream: IO[str], options: ExportOptions) -> None:
    """OmegaT glossary lines: Dutch term, English, comment."""
    stream.write(CODING_LINE + "\n")
    for term, target, concept, variant in _rows(concepts):
        line = f"{_cell(term, options)}\t{_cell(target, options)}\t{tsv_comment(concept, variant)}"
        stream.write(line.rstrip("\t") + "\n")


def write_csv(concepts: Iterable[Concept], stream: IO[str], options: ExportOptions) -> None:
    """Two-column CSV (DeepL); with `options.header` a first row "nl,en" (Amazon)."""
    writer = csv.writer(stream, lineterminator="\n")
    if options.header:
        writer.writerow([SOURCE_LANG, TARGET_LANG])
    for term, target, _, _ in _rows(concepts):
        writer.writerow([_cell(term, options), _cell(target, options)])


# ------------------------------------------------------------------- import

_KEYS: Final = (
    "Variant of",
    "Status",
    "Alternatives",
    "Forbidden",
    "Subject",
    "Definition",
    "Note",
)
_FLAGS: Final = {"Do not translate": "dnt", "Case-sensitive": "case_sensitive"}
_KEY_RE = re.compile(r"^(" + "|".join(re.escape(k) for k in _KEYS) + r"): ?(.*)$")


def parse_comment(comment: str) -> dict[str, str]:
    """Fields of a `tsv_comment`; text it does not recognise becomes the note."""
    fields: dict[str, str] = {}
    last = ""
    loose: list[str] = []
    for part in comment.split("; "):
        match = _KEY_RE.match(part)
        if match:
            last = match.group(1)
            fields[last] = match.group(2)
        elif part in _FLAGS:
            fields[_FLAGS[part]] = "yes"
            last = ""
        elif part in PARTS_OF_SPEECH and "pos" not in fields:
            fields["pos"] = part
            last = ""
        elif last in ("Definition", "Note", "Subject"):
            fields[last] += "; " + part  # the value itself contained "; "
        elif part.strip():
            loose.append(part.strip())
    if loose:
        fields["Note"] = "; ".join([*loose, *([fields["Note"]] if "Note" in fields else [])])
    return fields


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _concept_from_row(nl: str, en: str, comment: str) -> Concept:
    fields = parse_comment(comment) if comment else {}
    dnt = fields.get("dnt") == "yes"
    status = fields.get("Status", "approved" if (en or dnt) else "proposed")
    return make_concept(
        nl,
        en,
        en_alternatives=_split_list(fields.get("Alternatives", "")),
        en_forbidden=_split_list(fields.get("Forbidden", "")),
        status=status,
        pos=fields.get("pos", ""),
        dnt=dnt,
        case_sensitive=fields.get("case_sensitive") == "yes",
        subject=fields.get("Subject", ""),
        definition=fields.get("Definition", ""),
        note=fields.get("Note", ""),
    )


def read_tsv(data: bytes, path: str) -> ReadResult:
    """Concepts from an OmegaT-style TSV glossary, or from a whole termbase file."""
    text = decode_text(data, path)
    first = text.split("\n", 1)[0].rstrip("\r").lstrip("\ufeff")
    if first == HEADER:
        return ReadResult(parse_tsv(text.encode("utf-8"), path).concepts)
    concepts: list[Concept] = []
    by_nl: dict[str, int] = {}
    skipped: list[Problem] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            skipped.append(
                Problem(
                    path, lineno, "only one column", hint="write: Dutch<TAB>English<TAB>comment"
                )
            )
            continue
        nl, en = cells[0].strip(), cells[1].strip()
        comment = "\t".join(cells[2:]).strip()
        fields = parse_comment(comment) if comment else {}
        parent = fields.get("Variant of", "")
        if parent and parent in by_nl:
            index = by_nl[parent]
            old = concepts[index]
            concepts[index] = make_concept(
                old.nl,
                old.en,
                nl_variants=[*old.nl_variants, nl],
                en_alternatives=old.en_alternatives,
                en_forbidden=old.en_forbidden,
                status=old.status,
                pos=old.pos,
                dnt=old.dnt,
                case_sensitive=old.case_sensitive,
                subject=old.subject,
                definition=old.definition,
                note=old.note,
            )
            continue
        try:
            concept = _concept_from_row(nl, en, comment)
        except InvalidValue as exc:
            skipped.append(Problem(path, lineno, str(exc)))
            continue
        by_nl[concept.nl] = len(concepts)
        concepts.append(concept)
    return ReadResult(tuple(concepts), tuple(skipped))


_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def _language(cell: str) -> str:
    """The primary language subtag of a header cell ("en-GB" -> "en"), or ""."""
    cell = cell.strip()
    return re.split("[-_]", cell)[0].lower() if _LANG_CODE.match(cell) else ""


def read_csv(data: bytes, path: str) -> ReadResult:
    """Concepts from a DeepL-style (nl,en rows) or Amazon-style (header nl,en) CSV."""
    text = decode_text(data, path)
    rows = _csv_rows(text, path)
    source_col, target_col = 0, 1
    if rows:
        header = [_language(cell) for cell in rows[0][1]]
        # Only a first row of language codes naming both is a header: "VN,UN"
        # and DeepL's "vrede,peace,nl,en" are data.
        if SOURCE_LANG in header and TARGET_LANG in header and all(header):
            source_col, target_col = header.index(SOURCE_LANG), header.index(TARGET_LANG)
            rows = rows[1:]
    concepts: list[Concept] = []
    skipped: list[Problem] = []
    for lineno, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) <= max(source_col, target_col):
            skipped.append(
                Problem(
                    path,
                    lineno,
                    f"{len(cells)} column{'s' if len(cells) != 1 else ''}; a glossary row "
                    "needs the Dutch and the English term",
                    hint='write: Dutch,English (quote a value that contains a comma: "a, b")',
                )
            )
            continue
        nl, en = cells[source_col].strip(), cells[target_col].strip()
        broken = next((v for v in (nl, en) if "\n" in v or "\r" in v), None)
        if broken is not None:
            skipped.append(
                Problem(
                    path,
                    lineno,
                    f"a quoted value spans several lines: {broken[:40]!r}",
                    hint="put each term on one line (check for a missing closing quote)",
                )
            )
            continue
        try:
            concepts.append(make_concept(nl, en, status="approved" if en else "proposed"))
        except InvalidValue as exc:
            skipped.append(Problem(path, lineno, str(exc)))
    return ReadResult(tuple(concepts), tuple(skipped))


def _csv_rows(text: str, path: str) -> list[tuple[int, list[str]]]:
    """(starting line, cells) of each record; CSV syntax errors name their line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = str(exc)
        if "unexpected end of data" in message or "EOF" in message:
            message = 'a quoted value is never closed (a " without its closing ")'
        raise UnreadableFile(
            f"{path} is not valid CSV; nothing was read.",
            [
                Problem(
                    path,
                    start,
                    message,
                    hint='quote values with "..." and double a quote inside them: "say ""yes"""',
                )
            ],
        ) from None
    return rows


# ---------------------------------------------------------------- segments


def read_units_tsv(data: bytes, path: str) -> list[BilingualUnit]:
    """Bilingual segments: `source<TAB>target` lines, or the table of
    `glossary translate --format tsv` (doc, line, kind, source, target, score)."""
    text = decode_text(data, path)
    lines = text.splitlines()
    columns: dict[str, int] = {"source": 0, "target": 1}
    start = 0
    if lines:
        header = lines[0].split("\t")
        if "source" in header and "target" in header:
            columns = {name: i for i, name in enumerate(header)}
            start = 1
    units: list[BilingualUnit] = []
    for lineno, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")

        def get(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name, len(cells))
            return cells[index] if index < len(cells) else ""

        if len(cells) < 2:
            raise UnreadableFile(
                f"{path} is not a bilingual TSV file.",
                [
                    Problem(
                        path,
                        lineno,
                        "only one column",
                        hint="write source<TAB>target lines, or give two aligned files: "
                        "glossary check SOURCE TARGET",
                    )
                ],
            )
        if get("kind") == "furniture":
            continue
        ref = f"{get('doc')}:{get('line')}" if get("doc") else f"{path}:{lineno}"
        units.append(BilingualUnit(get("source"), get("target"), ref=ref, line=lineno))
    return units
