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
- `read_tsv` / `read_csv`: glossaries from other tools and people: OmegaT
  TSV, DeepL and Amazon CSV, Weblate and translate-toolkit CSV
  (`"source","target"`), Excel's CSV with Dutch settings (semicolons,
  Windows-1252), a whole termbase file (`glossary/termbase.tsv` of another
  project). The delimiter is sniffed (comma, semicolon, tab), the text
  decoded by the one policy of `glossary.files.inputs.decode_bytes` (BOM,
  UTF-8, UTF-16, Windows-1252 with a warning), a header row recognised by
  its words (`glossary.exchange.languages.header_cell`) and mapped to
  fields, and rows with one Dutch term made one concept. `rows_to_concepts`
  does this for any table, so `glossary.exchange.xlsx` shares it.
- `read_units_tsv`: bilingual segments (source, target) for `glossary check`,
  including `glossary translate --format tsv` output.

Unterminated quotes and line breaks inside a cell are reported with their
line, never guessed at; what the termbase has no place for (columns nobody
named, other languages) is counted in the `ReadResult`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Final

from glossary.errors import InvalidValue, Problem, UnreadableFile
from glossary.exchange.languages import check_pair, code, content_problem, header_cell, label
from glossary.exchange.registry import (
    SOURCE_LANG,
    TARGET_LANG,
    BilingualUnit,
    ExportOptions,
    ImportOptions,
    ReadResult,
    decode_text,
)
from glossary.files.inputs import decode_bytes
from glossary.lang.text import fold_key
from glossary.termbase.model import HEADER, PARTS_OF_SPEECH, Concept, make_concept, parse_tsv

CODING_LINE: Final = "# -*- coding: utf-8 -*-"
_LIST_SEP: Final = ", "


# ------------------------------------------------------------------- export


def _rows(concepts: Sequence[Concept]) -> list[tuple[str, str, Concept, bool]]:
    """(Dutch term, English target, concept, is variant) for concepts with a target."""
    rows: list[tuple[str, str, Concept, bool]] = []
    seen: set[str] = set()
    for concept in concepts:
        target = concept.target
        if not target:
            continue
        for n, term in enumerate(concept.nl_terms):
            if term in seen:
                continue
            seen.add(term)
            rows.append((term, target, concept, n > 0))
    return rows


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


def write_tsv(concepts: Sequence[Concept], stream: IO[str], options: ExportOptions) -> None:
    """OmegaT glossary lines: Dutch term, English, comment."""
    stream.write(CODING_LINE + "\n")
    for term, target, concept, variant in _rows(concepts):
        stream.write(f"{term}\t{target}\t{tsv_comment(concept, variant)}".rstrip("\t") + "\n")


def write_csv(concepts: Sequence[Concept], stream: IO[str], options: ExportOptions) -> None:
    """Two-column CSV (DeepL); with `options.header` a first row "nl,en" (Amazon)."""
    writer = csv.writer(stream, lineterminator="\n")
    if options.header:
        writer.writerow([SOURCE_LANG, TARGET_LANG])
    for term, target, _, _ in _rows(concepts):
        writer.writerow([term, target])


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


def read_tsv(data: bytes, path: str, options: ImportOptions | None = None) -> ReadResult:
    """Concepts from a tab-separated glossary (OmegaT), or from a whole termbase file."""
    return _read_delimited(data, path, options or ImportOptions(), "\t")


def read_csv(data: bytes, path: str, options: ImportOptions | None = None) -> ReadResult:
    """Concepts from a comma-, semicolon- or tab-separated glossary (DeepL, Amazon,
    Excel, Weblate, translate-toolkit)."""
    return _read_delimited(data, path, options or ImportOptions(), ",")


DELIMITERS: Final = {"\t": "tab", ";": "semicolon", ",": "comma"}


def _read_delimited(data: bytes, path: str, options: ImportOptions, preferred: str) -> ReadResult:
    decoded = decode_bytes(data, path, hint="Give a CSV or tab-separated text file.")
    text = decoded.text
    if text.split("\n", 1)[0].rstrip("\r") == HEADER:  # a whole termbase file: ours
        return ReadResult(parse_tsv(text.encode("utf-8"), path).concepts, warnings=decoded.warnings)
    delimiter = options.delimiter or sniff_delimiter(text, preferred)
    if delimiter not in DELIMITERS:
        raise InvalidValue(f"Unknown delimiter {delimiter!r}; use a comma, semicolon or tab.")
    rows = _split_rows(text, path, delimiter)
    result = rows_to_concepts(rows, path, options)
    notes = list(decoded.warnings)
    if delimiter != preferred and not options.delimiter:
        notes.append(f"{path}: read as {DELIMITERS[delimiter]}-separated (sniffed).")
    return dataclasses.replace(result, warnings=(*notes, *result.warnings))


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    """The delimiter that splits most of the first lines into two or more
    columns, then most often into the same number; ties go to `preferred`,
    then tab, semicolon, comma. Quotes are respected, so "a, b";c is two
    columns by semicolon."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            lines.append(line)
            if len(lines) >= 50:
                break
    best, best_score = preferred, (-1.0, -1.0, -1)
    order = [preferred, *(d for d in ("\t", ";", ",") if d != preferred)]
    for rank, delimiter in enumerate(order):
        if not lines:
            break
        counts = [len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines]
        multi = [c for c in counts if c >= 2]
        if not multi:
            continue
        mode = Counter(multi).most_common(1)[0][0]
        # First: how many lines it splits at all; then how many alike.
        split = len(multi) / len(counts)
        score = (split, sum(1 for c in counts if c == mode) / len(counts), -rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_rows(text: str, path: str, delimiter: str) -> list[tuple[int, list[str]]]:
    if delimiter != "\t":
        return _csv_rows(text, path, delimiter)
    rows: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):  # OmegaT: "#" starts a comment
            continue
        rows.append((lineno, line.split("\t")))
    return rows


# Fields a column can map to (`--columns`); "comment" is OmegaT's third column
# with the "Key: value" parts `tsv_comment` writes.
FIELDS: Final = (
    "nl",
    "en",
    "nl_variants",
    "en_alternatives",
    "en_forbidden",
    "status",
    "pos",
    "dnt",
    "case_sensitive",
    "subject",
    "definition",
    "note",
    "context",
    "sources",
    "comment",
)
_LIST_FIELDS: Final = frozenset({"nl_variants", "en_alternatives", "en_forbidden", "sources"})
_STATUS_WORDS: Final = {
    "approved": "approved",
    "goedgekeurd": "approved",
    "vastgesteld": "approved",
    "proposed": "proposed",
    "voorgesteld": "proposed",
    "draft": "proposed",
    "concept": "proposed",
    "rejected": "rejected",
    "afgewezen": "rejected",
}
_TRUTHY: Final = frozenset({"yes", "y", "true", "1", "x", "ja", "j", "wahr"})


@dataclass(frozen=True)
class _Column:
    field: str  # a name from FIELDS, "fuzzy", "lang" (DeepL's language code columns) or ""
    drop_kind: str = ""  # why a column is left out: "other languages", "columns"
    drop_name: str = ""


@dataclass
class _Layout:
    columns: list[_Column]
    declared: list[str]  # languages the header names
    has_header: bool


def _header_layout(cells: Sequence[str], source: str, target: str) -> _Layout | None:
    """The columns a first row names, or None when it is not a header row."""
    classes = [header_cell(c) for c in cells]
    named = [(role, lang) for (role, lang), cell in zip(classes, cells, strict=True) if cell]
    known = sum(1 for role, _ in named if role)
    if known < 2 or known <= len(named) - known:
        return None
    if not any(role in ("source", "target", "lang", "language") for role, _ in named):
        return None
    toolkit = any(role in ("source", "target") and not lang for role, lang in classes)
    columns: list[_Column] = []
    used: set[str] = set()
    declared: list[str] = []

    def take(field: str, spare: str = "") -> _Column:
        if field in used:
            if spare and spare not in used:
                field = spare
            else:
                return _Column("", "columns", cell.strip())
        used.add(field)
        return _Column(field)

    for (role, lang), cell in zip(classes, cells, strict=True):
        if not cell.strip():
            columns.append(_Column(""))
            continue
        if lang and role in ("lang", "source", "target"):
            declared.append(lang)
            if lang == source:
                columns.append(take("nl", "nl_variants"))
            elif lang == target:
                columns.append(take("en", "en_alternatives"))
            else:
                columns.append(_Column("", "other languages", lang))
        elif role == "source":
            columns.append(take("nl"))
        elif role == "target":
            columns.append(take("en"))
        elif role == "id" or (role == "context" and toolkit):
            columns.append(_Column("", "ids", cell.strip()))  # Weblate's context is a msgctxt
        elif role == "xref":
            columns.append(_Column("", "cross-references", cell.strip()))
        elif not role or role == "lang":
            columns.append(_Column("", "columns", cell.strip()))
        else:
            columns.append(take(role))
    return _Layout(columns, declared, True)


def _positional_layout(rows: Sequence[tuple[int, list[str]]], width: int) -> _Layout:
    """nl, en, comment, then DeepL's language codes or columns left out."""
    columns = [_Column("nl"), _Column("en"), _Column("comment")]
    deepl = width >= 4 and all(
        len(cells) >= 4 and code(cells[2]) and code(cells[3]) for _, cells in rows
    )
    if deepl:  # DeepL's multilingual glossary rows: source, target, source lang, target lang
        columns[2:] = [_Column("lang"), _Column("lang")]
    for index in range(len(columns), width):
        columns.append(_Column("", "columns", f"column {index + 1}"))
    return _Layout(columns, [], False)


def _columns_option(names: Sequence[str], width: int) -> _Layout:
    columns: list[_Column] = []
    for index, name in enumerate(names):
        name = name.strip()
        if name in ("", "-"):
            columns.append(_Column("", "columns", f"column {index + 1}"))
        elif name in FIELDS:
            columns.append(_Column(name))
        else:
            raise InvalidValue(
                f"Unknown column name {name!r} in --columns; use {', '.join(FIELDS)} or - "
                "to leave a column out."
            )
    if "nl" not in names:
        raise InvalidValue("--columns must name the Dutch column: nl (e.g. --columns nl,en,note).")
    for index in range(len(columns), width):
        columns.append(_Column("", "columns", f"column {index + 1}"))
    return _Layout(columns, [], False)


def rows_to_concepts(
    rows: Sequence[tuple[int, list[str]]], path: str, options: ImportOptions
) -> ReadResult:
    """Concepts from table rows (line or row number, cells): header row
    recognised (or forced with `options.header`), columns mapped, languages
    checked, rows with the same Dutch term made one concept."""
    source, target = options.source_lang, options.target_lang
    rows = [(n, [c.strip() for c in cells]) for n, cells in rows if any(c.strip() for c in cells)]
    width = max((len(cells) for _, cells in rows), default=0)
    layout: _Layout | None = None
    header_row: list[str] | None = None
    if rows and options.header is not False:
        layout = _header_layout(rows[0][1], source, target)
        if layout is not None or options.header:
            header_row = rows[0][1]
            rows = rows[1:]
    if options.columns:
        layout = _columns_option(options.columns, width)
    elif layout is None and header_row is not None:  # --header, but not one we know
        layout = _positional_layout([], 2)
        layout.columns += [
            _Column("", "columns", cell or f"column {i + 1}")
            for i, cell in enumerate(header_row[2:], start=2)
        ]
        layout.has_header = True
    elif layout is None:
        layout = _positional_layout(rows, width)
    fields = [c.field for c in layout.columns]
    if "language" in fields and "nl" in fields:
        return _long_table(rows, layout, path, options)
    _check_declared(layout, path, source, target, header_row)
    if "nl" not in fields:
        raise UnreadableFile(
            f"{path} was not read.",
            [Problem(path, 1, "no column holds the Dutch terms", hint="name it: --columns nl,en")],
        )
    nl_col = fields.index("nl")
    en_col = fields.index("en") if "en" in fields else None
    if not layout.declared and not options.languages_given:
        problem = content_problem(
            [cells[nl_col] for _, cells in rows if len(cells) > nl_col],
            [cells[en_col] for _, cells in rows if en_col is not None and len(cells) > en_col],
            _side_names(header_row, nl_col, en_col),
        )
        if problem:
            raise UnreadableFile(
                f"{path} was not read: it does not look like Dutch terms with English renderings.",
                [Problem(path, None, problem, hint=_LANG_HINT)],
            )

    dropped: Counter[tuple[str, str]] = Counter()
    concepts: list[Concept] = []
    by_key: dict[str, int] = {}
    skipped: list[Problem] = []
    needed = max(i for i, f in enumerate(fields) if f in ("nl", "en")) + 1
    for lineno, cells in rows:
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            column = layout.columns[index] if index < len(layout.columns) else None
            if column is None or not column.field:
                if cell:
                    name = column.drop_name if column else f"column {index + 1}"
                    dropped[(column.drop_kind if column else "columns", name)] += 1
                continue
            if column.field == "lang":
                continue
            values[column.field] = cell
        if layout.columns and len(cells) > 3 and fields[2:4] == ["lang", "lang"]:
            pair = (code(cells[2]), code(cells[3]))
            if pair != (source, target):
                skipped.append(
                    Problem(
                        path,
                        lineno,
                        f"the row is {cells[2]}→{cells[3]}, not {source}→{target}",
                        hint=_LANG_HINT,
                    )
                )
                continue
        if len(cells) < needed and not layout.has_header and not options.columns:
            skipped.append(
                Problem(
                    path,
                    lineno,
                    f"{len(cells)} column{'s' if len(cells) != 1 else ''}; a glossary row "
                    "needs the Dutch and the English term",
                    hint="write: Dutch,English (quote a value that contains the separator: "
                    '"a, b"); for a tab-separated file: Dutch<TAB>English<TAB>comment',
                )
            )
            continue
        concept = _row_concept(values, path, lineno, skipped)
        if concept is None:
            continue
        comment = parse_comment(values["comment"]) if values.get("comment") else {}
        parent = comment.get("Variant of", "")
        if parent and fold_key(parent) in by_key:  # our TSV export: one row per spelling
            index = by_key[fold_key(parent)]
            concepts[index] = _with_more(concepts[index], nl_variants=(concept.nl,))
            by_key.setdefault(fold_key(concept.nl), index)
            continue
        key = fold_key(concept.nl)
        if key in by_key:  # the same Dutch term on several rows: one concept
            index = by_key[key]
            concepts[index] = _merge_rows(concepts[index], concept)
            continue
        by_key[key] = len(concepts)
        for variant in concept.nl_variants:
            by_key.setdefault(fold_key(variant), len(concepts))
        concepts.append(concept)
    return ReadResult(
        tuple(concepts),
        tuple(skipped),
        dropped=tuple((kind, name, n) for (kind, name), n in sorted(dropped.items())),
    )


def _long_table(
    rows: Sequence[tuple[int, list[str]]], layout: _Layout, path: str, options: ImportOptions
) -> ReadResult:
    """A table with one row per term: entry id, language, term and fields
    (a termbase flattened into a spreadsheet, e.g. "id, language, term,
    partOfSpeech"). Rows with the same id are one concept; the id only
    groups them."""
    source, target = options.source_lang, options.target_lang
    fields = [c.field for c in layout.columns]
    lang_col, term_col = fields.index("language"), fields.index("nl")
    id_col = next((i for i, c in enumerate(layout.columns) if c.drop_kind == "ids"), None)
    status_col = fields.index("status") if "status" in fields else None
    groups: dict[str, list[tuple[int, str, list[str]]]] = {}
    languages: Counter[str] = Counter()
    for lineno, cells in rows:
        cells = cells + [""] * (len(layout.columns) - len(cells))
        lang = code(cells[lang_col]) or cells[lang_col].casefold()
        if not cells[term_col]:
            continue
        languages[lang] += 1
        key = cells[id_col] if id_col is not None and cells[id_col] else f"row {lineno}"
        groups.setdefault(key, []).append((lineno, lang, cells))
    check_pair(languages, path, source, target)
    dropped: Counter[tuple[str, str]] = Counter()
    concepts: list[Concept] = []
    skipped: list[Problem] = []
    by_key: dict[str, int] = {}
    ignored = 0
    for key, members in groups.items():
        if id_col is not None and not key.startswith("row "):
            dropped[("ids", "entry ids (made from the Dutch term instead)")] += 1
        dutch = [m for m in members if m[1] == source]
        english = [m for m in members if m[1] == target]
        for _, lang, _ in members:
            if lang not in (source, target):
                dropped[("other languages", lang)] += 1
        if not dutch:
            ignored += 1
            continue

        nl_terms = _ranked(dutch, term_col, status_col)
        en_terms = _ranked(english, term_col, status_col)
        allowed = [t for t, status in en_terms if status != "deprecated"]
        values: dict[str, str] = {
            "nl": nl_terms[0][0],
            "nl_variants": "|".join(t for t, _ in nl_terms[1:]),
            "en": allowed[0] if allowed else "",
            "en_alternatives": "|".join(allowed[1:]),
            "en_forbidden": "|".join(t for t, status in en_terms if status == "deprecated"),
        }
        for index, column in enumerate(layout.columns):
            if index in (lang_col, term_col, status_col):
                continue
            for _, _, cells in dutch + english:
                if not cells[index]:
                    continue
                if column.field and column.field not in values:
                    values[column.field] = cells[index]
                elif not column.field and column.drop_kind != "ids":
                    dropped[(column.drop_kind or "columns", column.drop_name)] += 1
        concept = _row_concept(values, path, dutch[0][0], skipped)
        if concept is None:
            continue
        nl_key = fold_key(concept.nl)
        if nl_key in by_key:
            concepts[by_key[nl_key]] = _merge_rows(concepts[by_key[nl_key]], concept)
            continue
        by_key[nl_key] = len(concepts)
        concepts.append(concept)
    return ReadResult(
        tuple(concepts),
        tuple(skipped),
        ignored,
        dropped=tuple((kind, name, n) for (kind, name), n in sorted(dropped.items())),
    )


def _ranked(
    found: list[tuple[int, str, list[str]]], term_col: int, status_col: int | None
) -> list[tuple[str, str]]:
    """(term, status) of the rows of one language, preferred first, deprecated last."""
    terms = [
        (m[2][term_col], _term_status(m[2][status_col]) if status_col is not None else "")
        for m in found
    ]
    return sorted(terms, key=lambda t: {"preferred": 0, "deprecated": 2}.get(t[1], 1))


def _term_status(value: str) -> str:
    folded = re.sub(r"[^a-z]", "", value.casefold().removesuffix("-admn-sts"))
    folded = folded.removesuffix("term")
    if folded in ("preferred", "standardized", "legal", "regulated", "approved"):
        return "preferred"
    if folded in ("deprecated", "superseded", "notrecommended", "obsolete", "forbidden"):
        return "deprecated"
    return "admitted" if folded else ""


_LANG_HINT: Final = (
    "import a Dutch→English file; if this one is Dutch→English after all, or to read "
    "other languages as Dutch and English anyway, name them: --source-lang nl --target-lang en"
)


def _side_names(header: Sequence[str] | None, nl_col: int, en_col: int | None) -> str:
    if header is not None and nl_col < len(header):
        target = header[en_col] if en_col is not None and en_col < len(header) else "none"
        return f"column {header[nl_col]!r} and column {target!r}"
    return f"column {nl_col + 1} and column {(en_col or 0) + 1}"


def _check_declared(
    layout: _Layout, path: str, source: str, target: str, header: Sequence[str] | None
) -> None:
    """Refuse a header that names another language pair."""
    declared = list(dict.fromkeys(layout.declared))
    if not declared:
        return
    fields = [c.field for c in layout.columns]
    others = [lang for lang in declared if lang not in (source, target)]
    wrong = ""
    if "nl" not in fields:
        wrong = f"the header names {', '.join(declared)}, not {label(source)}"
    elif "en" not in fields and others:
        wrong = (
            f"the header names {', '.join(declared)}: {source}→{others[0]}, not {source}→{target}"
        )
    if wrong:
        raise UnreadableFile(
            f"{path} was not read: it holds another language pair than the termbase "
            f"({label(source)} → {label(target)}).",
            [
                Problem(
                    path, 1, wrong + (f" ({', '.join(header)})" if header else ""), hint=_LANG_HINT
                )
            ],
        )


def _cell_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[|;]", value) if v.strip()] if value else []


def _row_concept(
    values: dict[str, str], path: str, lineno: int, skipped: list[Problem]
) -> Concept | None:
    nl, en = values.get("nl", ""), values.get("en", "")
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
        return None
    if not nl:
        if en or any(values.values()):
            skipped.append(Problem(path, lineno, "no Dutch term", hint="fill in the Dutch column"))
        return None
    fields = parse_comment(values["comment"]) if values.get("comment") else {}
    dnt = fields.get("dnt") == "yes" or values.get("dnt", "").casefold() in _TRUTHY
    status = values.get("status", "").casefold()
    if status:
        if status not in _STATUS_WORDS:
            skipped.append(
                Problem(
                    path,
                    lineno,
                    f"unknown status {values['status']!r}",
                    hint="use approved, proposed or rejected",
                )
            )
            return None
        status = _STATUS_WORDS[status]
    else:
        status = fields.get("Status", "")
    if not status:
        fuzzy = values.get("fuzzy", "").casefold() in _TRUTHY
        status = "approved" if (en or dnt) and not fuzzy else "proposed"
    pos = _pos(values.get("pos", "")) or fields.get("pos", "")
    unknown_pos = values.get("pos", "") if not pos else ""  # kept, not lost
    note = "; ".join(
        v
        for v in (
            values.get("note", ""),
            fields.get("Note", ""),
            f"Part of speech: {unknown_pos}" if unknown_pos else "",
        )
        if v
    )
    try:
        return make_concept(
            nl,
            en,
            nl_variants=_cell_list(values.get("nl_variants", "")),
            en_alternatives=[
                *_cell_list(values.get("en_alternatives", "")),
                *_split_list(fields.get("Alternatives", "")),
            ],
            en_forbidden=[
                *_cell_list(values.get("en_forbidden", "")),
                *_split_list(fields.get("Forbidden", "")),
            ],
            status=status,
            pos=pos,
            dnt=dnt,
            case_sensitive=fields.get("case_sensitive") == "yes"
            or values.get("case_sensitive", "").casefold() in _TRUTHY,
            subject=values.get("subject", "") or fields.get("Subject", ""),
            definition=values.get("definition", "") or fields.get("Definition", ""),
            note=note,
            context=values.get("context", ""),
            sources=_cell_list(values.get("sources", "")),
        )
    except InvalidValue as exc:
        skipped.append(Problem(path, lineno, str(exc)))
        return None


_POS_WORDS: Final = {
    "n": "noun",
    "v": "verb",
    "adj": "adjective",
    "adv": "adverb",
    "zelfstandignaamwoord": "noun",
    "znw": "noun",
    "zn": "noun",
    "werkwoord": "verb",
    "ww": "verb",
    "bijvoeglijknaamwoord": "adjective",
    "bn": "adjective",
    "bijwoord": "adverb",
    "bw": "adverb",
    "eigennaam": "properNoun",
    "propernoun": "properNoun",
}


def _pos(value: str) -> str:
    wanted = re.sub(r"[\s_.\-]", "", value.casefold())
    for known in PARTS_OF_SPEECH:
        if wanted == known.casefold():
            return known
    return _POS_WORDS.get(wanted, "")


def _with_more(concept: Concept, **more: tuple[str, ...]) -> Concept:
    fields = {name: (*getattr(concept, name), *values) for name, values in more.items()}
    return dataclasses.replace(concept, **_deduped(concept, fields))  # type: ignore[arg-type]


def _deduped(concept: Concept, fields: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for name, values in fields.items():
        seen = {concept.nl} if name == "nl_variants" else {concept.en}
        out[name] = tuple(v for v in dict.fromkeys(values) if v and v not in seen)
    return out


def _merge_rows(first: Concept, later: Concept) -> Concept:
    """Two rows with one Dutch term: the first row's English is the term, the
    others' are alternatives; lists are joined and empty fields filled."""
    alternatives = [*first.en_alternatives]
    if later.en and later.en != first.en:
        alternatives.append(later.en)
    alternatives += later.en_alternatives
    forbidden = (*first.en_forbidden, *later.en_forbidden)
    fields = _deduped(
        first,
        {
            "nl_variants": (*first.nl_variants, *later.nl_variants, later.nl),
            "en_alternatives": tuple(a for a in alternatives if a not in forbidden),
            "en_forbidden": forbidden,
            "sources": (*first.sources, *later.sources),
        },
    )
    filled = {
        name: getattr(first, name) or getattr(later, name)
        for name in ("en", "pos", "subject", "definition", "note", "context")
    }
    return dataclasses.replace(first, **fields, **filled)  # type: ignore[arg-type]


def _csv_rows(text: str, path: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """(starting line, cells) of each record; CSV syntax errors name their line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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
        units.append(
            BilingualUnit(get("source"), get("target"), ref=ref, line=lineno, number=len(units) + 1)
        )
    return units
