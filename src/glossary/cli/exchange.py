"""Exchange with CAT tools: `export`, `import`, `check` and `merge`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import CONTEXT_SETTINGS, main
from .common import (
    backend_options,
    dump_json,
    info,
    output_stream,
    quiet_option,
    ray_settings,
    render_table,
    termbase_option,
)

if TYPE_CHECKING:
    from glossary.termbase.model import Concept

# Literal here so `glossary --help` imports nothing; tests check them against
# glossary.exchange.registry.
EXPORT_FORMATS = ("tbx", "tbx3", "po", "tsv", "csv")
IMPORT_FORMATS = ("tbx", "tbx3", "po", "tsv", "csv", "xlsx")
UNIT_FORMATS = ("po", "xliff", "tmx", "tsv")
STATUS_CHOICES = ("approved", "proposed", "rejected")
MB = 1024 * 1024


def _max_size_option(func: Any) -> Any:
    return click.option(
        "--max-size",
        type=click.IntRange(1, None),
        default=256,
        show_default=True,
        help="Refuse input files larger than this many MB.",
    )(func)


def exports_folder(termbase: Path) -> Path:
    """`exports/` of the project: beside the `glossary/` folder holding the termbase."""
    folder = termbase.resolve().parent
    if folder.name == "glossary":
        folder = folder.parent
    return folder / "exports"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ export


@main.command("export", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="tbx (TBX 2008, TBX-Basic), tbx3 (TBX v3, TBX-Basic DCA), po, tsv (OmegaT), csv "
    "(DeepL; --header for Amazon). Default: from the -o suffix, else tbx.",
)
@click.option("-o", "--output", help="Output file ('-' for stdout). Default: exports/termbase.*")
@click.option(
    "--all",
    "all_formats",
    is_flag=True,
    help="Write every format into the exports folder (termbase.tbx, termbase.tbx3.tbx, "
    "termbase.po, termbase.utf8, termbase.csv).",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the default file names (created if missing). Default: exports/ "
    "beside the glossary/ folder.",
)
@click.option(
    "--status",
    "statuses",
    type=click.Choice(STATUS_CHOICES),
    multiple=True,
    help="Export concepts with this status (repeatable). Default: all for tbx, tbx3 and "
    "po (each status mapped to the format's means); approved only for tsv and csv.",
)
@click.option("--header", is_flag=True, help="csv: first row 'nl,en' (Amazon Translate).")
@click.option(
    "--escape-formulas",
    is_flag=True,
    help="csv, tsv: put an apostrophe before values a spreadsheet would run as formulas "
    "(starting with = + - @), for files you will open in a spreadsheet. Not for DeepL, "
    "Amazon or OmegaT, which take the apostrophe as part of the term.",
)
@click.option("--date", default="", help="Date to write into file headers (none by default).")
@termbase_option
@quiet_option
def export_command(
    fmt: str | None,
    output: str | None,
    all_formats: bool,
    out_dir: Path | None,
    statuses: tuple[str, ...],
    header: bool,
    escape_formulas: bool,
    date: str,
    termbase_path: Path | None,
    quiet: bool,
) -> None:
    """Export the termbase for CAT tools and MT glossaries.

    Exports are deterministic: the same termbase gives the same bytes.
    Statuses, variants, forbidden renderings and do-not-translate names map
    to each format's own means (see the README's exchange section). Files
    are written whole or not at all; with --all, every file is replaced
    only when all of them are complete. A termbase is read as it is
    written out, so a million concepts export in bounded memory.

    \b
    Examples:
        glossary export                       # exports/termbase.tbx
        glossary export --all                 # every format into exports/
        glossary export --format tbx3 -o client.tbx
        glossary export --format csv --header -o amazon.csv
        glossary export --format tsv -o - | head
    """
    import io
    import sys

    from glossary.exchange import registry as formats
    from glossary.exchange.tabular import formula_like
    from glossary.files.oserrors import mapped
    from glossary.termbase.store import (
        atomic_group,
        check_output,
        resolve_termbase,
        termbase_concepts,
    )

    if all_formats and (fmt or output):
        raise click.UsageError("--all writes every format; leave out --format and -o.")
    if output and out_dir:
        raise click.UsageError("Give either -o/--output or --out-dir, not both.")
    path = resolve_termbase(termbase_path)
    options = formats.ExportOptions(date=date, header=header, escape_formulas=escape_formulas)
    folder = out_dir or exports_folder(path)

    jobs: list[tuple[formats.Format, str]] = []
    if all_formats:
        jobs = [
            (formats.get(name), str(folder / formats.get(name).export_name))
            for name in EXPORT_FORMATS
        ]
    else:
        if fmt is None:
            fmt = formats.infer(output, "termbase").name if output and output != "-" else "tbx"
        chosen = formats.get(fmt)
        jobs = [(chosen, output or str(folder / chosen.export_name))]
    if not output:
        with mapped("create the folder", folder):
            folder.mkdir(parents=True, exist_ok=True)
    for chosen, target in jobs:
        check_output(Path(target), termbase=path, what=f"the {chosen.name} export")
    if any(target == "-" for _, target in jobs):
        for _ in termbase_concepts(path):  # stdout cannot be rolled back: validate first
            pass

    counts: dict[str, int] = {}
    formulas: list[str] = []

    def selected(wanted: tuple[str, ...], name: str) -> Iterator[Concept]:
        counts[name] = 0
        check = name in ("csv", "tsv") and not escape_formulas
        for concept in termbase_concepts(path):
            if concept.status not in wanted:
                continue
            counts[name] += 1
            if check and concept.target:
                formulas.extend(v for v in (*concept.nl_terms, concept.target) if formula_like(v))
            yield concept

    with atomic_group() as group:
        for chosen, target in jobs:
            wanted = statuses or chosen.default_statuses
            write_format: Callable[..., Any] = chosen.function("termbase")
            concepts = selected(tuple(wanted), chosen.name)
            if target == "-":
                write_format(concepts, sys.stdout, options)
                continue
            with group.open(Path(target)) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                write_format(concepts, text, options)
                text.flush()
                text.detach()
    for chosen, target in jobs:
        where = "stdout" if target == "-" else _display(Path(target))
        info(f"Wrote {where}: {chosen.name}, {counts.get(chosen.name, 0)} concepts", quiet)
    if formulas:
        distinct = list(dict.fromkeys(formulas))
        shown = ", ".join(repr(v) for v in distinct[:5]) + (", ..." if len(distinct) > 5 else "")
        info(
            f"Warning: {len(formulas)} value(s) start with = + - or @ ({shown}); a spreadsheet "
            "opening the CSV/TSV file would run them as formulas. DeepL, Amazon and OmegaT "
            "read them as text. To open the file in a spreadsheet, export with "
            "--escape-formulas.",
            quiet,
        )


# ------------------------------------------------------------------ import


@main.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    help="Format of FILE (tbx reads TBX v2 and v3; csv also reads semicolon- and "
    "tab-separated files). Default: from its suffix.",
)
@click.option(
    "--on-conflict",
    type=click.Choice(("skip", "replace", "fail")),
    default="skip",
    show_default=True,
    help="When an entry gives a Dutch term other English: keep the termbase's values "
    "(skip), take the file's (replace), or import nothing (fail).",
)
@click.option(
    "--status",
    type=click.Choice(STATUS_CHOICES),
    help="Give every imported concept this status (e.g. proposed, to review them).",
)
@click.option(
    "--source-lang",
    metavar="CODE",
    help="The file's language to read as Dutch (e.g. nl-BE, or es to import another "
    "pair anyway). Given with --target-lang, the file's languages are not checked.",
)
@click.option(
    "--target-lang",
    metavar="CODE",
    help="The file's language to read as English (default: en).",
)
@click.option(
    "--delimiter",
    type=click.Choice(("comma", "semicolon", "tab")),
    help="csv/tsv: the column separator. Default: sniffed from the first lines.",
)
@click.option(
    "--header/--no-header",
    "header",
    default=None,
    help="csv/tsv/xlsx: the first row is (not) a header. Default: recognised by its "
    "words (Nederlands, Engels, nl, en, source, target, definition...).",
)
@click.option(
    "--columns",
    metavar="NAMES",
    help="csv/tsv/xlsx: what each column holds, comma-separated: nl, en, nl_variants, "
    "en_alternatives, en_forbidden, status, pos, subject, definition, note, context, "
    "sources, dnt, case_sensitive, comment; - leaves a column out. E.g. nl,-,en,note",
)
@click.option("--skip-invalid", is_flag=True, help="Leave out invalid entries instead of failing.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option(
    "--report",
    "report_format",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="How to print the actions on stdout (unchanged concepts are left out unless "
    "the file differs from them).",
)
@_max_size_option
@termbase_option
@quiet_option
def import_command(
    file: Path,
    fmt: str | None,
    on_conflict: str,
    status: str | None,
    source_lang: str | None,
    target_lang: str | None,
    delimiter: str | None,
    header: bool | None,
    columns: str | None,
    skip_invalid: bool,
    dry_run: bool,
    report_format: str,
    max_size: int,
    termbase_path: Path | None,
    quiet: bool,
) -> None:
    """Import terms from a TBX, PO, CSV, TSV or Excel file into the termbase.

    Entries are matched to concepts by their Dutch terms only (never by the
    file's ids): new ones are added, ones that add information are merged,
    and the same Dutch term with other English is a conflict, handled by
    --on-conflict. Term status is honoured (deprecated terms become
    forbidden renderings). The file's languages are checked: another pair
    is refused unless you name the languages to read. The summary names
    what the termbase has no place for (other languages, history...).
    A broken, hostile or conflicting file (with --on-conflict fail) leaves
    the termbase untouched.

    \b
    Examples:
        glossary import client.tbx --dry-run
        glossary import IATE_export.tbx --status proposed --skip-invalid
        glossary import termen.csv              # Excel: Nederlands;Engels
        glossary import glossary.xlsx --columns nl,en,definition
        glossary import weblate.po --on-conflict replace --report json
        glossary import flemish.tbx --source-lang nl-BE --target-lang en
    """
    from glossary.exchange.importing import import_file
    from glossary.exchange.registry import ImportOptions
    from glossary.termbase.store import resolve_termbase

    path = resolve_termbase(termbase_path)
    options = ImportOptions(
        source_lang=_lang_option(source_lang, "nl"),
        target_lang=_lang_option(target_lang, "en"),
        languages_given=source_lang is not None or target_lang is not None,
        delimiter={"comma": ",", "semicolon": ";", "tab": "\t"}.get(delimiter or "", ""),
        header=header,
        columns=tuple(c.strip() for c in columns.split(",")) if columns else (),
    )
    report = import_file(
        path,
        file,
        fmt=fmt,
        on_conflict=on_conflict,  # type: ignore[arg-type]
        status=status,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        create=termbase_path is not None,
        max_bytes=max_size * MB,
        options=options,
    )
    # Unchanged concepts are left out, unless the file said something else
    # about them (the detail names what the termbase kept).
    shown = [a for a in report.actions if a.action != "unchanged" or a.detail]
    if report_format == "json":
        click.echo(
            dump_json(
                {
                    "file": report.path,
                    "format": report.format,
                    "written": report.written,
                    "counts": {
                        name: report.count(name)
                        for name in ("added", "merged", "replaced", "unchanged", "conflict")
                    },
                    "ignored": report.ignored,
                    "skipped": [str(p) for p in report.skipped],
                    "dropped": [
                        {"kind": kind, "name": name, "count": n} for kind, name, n in report.dropped
                    ],
                    "warnings": list(report.warnings),
                    "actions": [a.__dict__ for a in shown],
                }
            )
        )
    elif shown:
        rows = [[a.action, a.concept_id, a.nl, a.en, a.detail] for a in shown]
        click.echo(render_table(["ACTION", "ID", "NL", "EN", "DETAIL"], rows, max_width=60))
    for warning in report.warnings:
        info(f"warning: {warning}", quiet)
    for problem in report.skipped:
        info(f"skipped: {problem}", quiet)
    info(("Dry run: " if dry_run else "Imported ") + report.summary(), quiet)


def _lang_option(value: str | None, default: str) -> str:
    if value is None:
        return default
    from glossary.exchange.languages import code

    found = code(value)
    if not found:
        raise click.BadParameter(
            f"{value!r} is not a language code (e.g. nl, nl-BE, en, en-GB, es)."
        )
    return found


# ------------------------------------------------------------------- check

# Literal here so `glossary --help` imports nothing (tests compare them with
# glossary.exchange.bilingual.MIN_STATUSES).
MIN_STATUSES = ("draft", "translated", "reviewed")


def _job_options(func: Any) -> Any:
    """--min-status, --source-lang and --target-lang of check and merge."""
    func = click.option(
        "--target-lang",
        metavar="CODE",
        help="The file's language to read as English, when it declares another or none.",
    )(func)
    func = click.option(
        "--source-lang",
        metavar="CODE",
        help="The file's language to read as Dutch, when it declares another or none "
        "(e.g. --source-lang en --target-lang es to use a file of another pair anyway).",
    )(func)
    return click.option(
        "--min-status",
        type=click.Choice(MIN_STATUSES),
        default="draft",
        show_default=True,
        help="PO/XLIFF: the least status a target needs to count as translated: draft "
        "(every target: machine translation, fuzzy, needs-review, Trados Draft, memoQ "
        "Pretranslated), translated (accepted by the translator: Trados Translated, "
        "memoQ Confirmed, PO without fuzzy, XLIFF translated), or reviewed (final, "
        "signed-off, Trados ApprovedTranslation, memoQ Reviewer1Confirmed). Targets "
        "below it count as untranslated.",
    )(func)


def _languages(source_lang: str | None, target_lang: str | None) -> Any:
    from glossary.exchange.jobs import LanguageChoice

    return LanguageChoice(
        _lang_option(source_lang, "") if source_lang else "",
        _lang_option(target_lang, "") if target_lang else "",
    )


@main.command("check", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--input-format",
    type=click.Choice(UNIT_FORMATS),
    help="Format of FILE. Default: from its suffix. Not used for a pair of files.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="table: the violations with source and target, then the concepts with problems; "
    "json: the same as data.",
)
@click.option(
    "--fail-on",
    type=click.Choice(("violation", "wrong", "never")),
    default="violation",
    show_default=True,
    help="When to exit 1: at any violation; only for wrong or forbidden terms (missing "
    "terms are reported but pass); never (report only).",
)
@_job_options
@_max_size_option
@termbase_option
@backend_options
@quiet_option
def check_command(
    file: Path,
    target: Path | None,
    input_format: str | None,
    fmt: str,
    fail_on: str,
    min_status: str,
    source_lang: str | None,
    target_lang: str | None,
    max_size: int,
    termbase_path: Path | None,
    backend: str,
    ray_address: str | None,
    ray_workers: int | None,
    quiet: bool,
) -> None:
    """Check that translations use the termbase's English terms.

    FILE is a bilingual file (PO, XLIFF 1.2 or 2.x from any CAT tool, TMX,
    or TSV with source and target columns; recognised by its content, else
    its suffix), or give SOURCE TARGET: two aligned documents, one segment
    per line or the paragraphs 'glossary translate' writes. For each
    segment, every approved term in the Dutch must have its approved or
    admitted English, and do-not-translate names must be copied. Each wrong
    term occurrence is one violation: a wrong term (a forbidden rendering or
    the wrong case where the approved term belongs: found X, expected Y), a
    missing term, or a forbidden rendering left beside the right one.

    The table shows where (PO: file:line of the msgid, or of msgstr[n] for a
    plural form; XLIFF: the segment number and trans-unit id, and the part of
    a unit of several segments), the problem, and the source and target with
    the term highlighted; then the concepts with problems. Term accuracy (WMT
    way: whole tokens, English plurals accepted, each target span counted
    once) goes to stderr. A PO, XLIFF or TMX file must be Dutch → English
    (else it is refused, naming the pair and --source-lang/--target-lang);
    units marked translate="no" are left out, and --min-status says which
    targets count as translated. With --backend ray the segments are checked
    on a Ray cluster (docs/cluster.md), with the same report.

    \b
    Exit status (for CI):
        0  no violation (or --fail-on never)
        1  violations (see --fail-on), or the file could not be read
        2  wrong usage (unknown option, conflicting arguments)

    \b
    Examples:
        glossary check report.po
        glossary check report.xlf --format json
        glossary check job.sdlxliff --min-status translated
        glossary check memory.tmx --source-lang nl-BE --target-lang en-GB
        glossary check source.nl.txt translation.en.txt
        glossary check report.po --fail-on wrong
        glossary check memory.tmx --backend ray --ray-address auto
    """
    from glossary.exchange.bilingual import read_bilingual
    from glossary.qa import align_files, check_units
    from glossary.termbase.store import read_termbase, resolve_termbase

    from .table import output_width
    from .views import check_table

    if target is not None and (
        input_format is not None or source_lang or target_lang or min_status != "draft"
    ):
        raise click.UsageError(
            "--input-format, --min-status, --source-lang and --target-lang are for one "
            "bilingual FILE, not a pair of files."
        )
    languages = _languages(source_lang, target_lang)
    settings = ray_settings(backend, ray_address, ray_workers)
    termbase = read_termbase(resolve_termbase(termbase_path))
    if target is None:
        read = read_bilingual(
            file, input_format, max_size * MB, min_status=min_status, languages=languages
        )
        for warning in read.warnings:
            info(f"Warning: {warning}", quiet)
        for note in read.notes:
            info(note, quiet)
        if read.summary():
            info(read.summary(), quiet)
        units = list(read.units)
        where = _display(file)
    else:
        aligned = align_files(file, target, limit=max_size * MB)
        for warning in aligned.warnings:
            info(f"Warning: {warning}", quiet)
        units = list(aligned.units)
        where = _display(target)
    if settings is None:
        report = check_units(units, termbase.concepts, file=where)
    else:
        from glossary.distributed import qa as on_ray
        from glossary.distributed.cluster import Cluster

        with Cluster(settings) as cluster:
            info(f"Checking on {cluster.describe()}", quiet)
            report = on_ray.check_units(units, termbase.concepts, cluster, file=where)
    if fmt == "json":
        click.echo(dump_json(report.to_dict()))
    elif report.violations:
        click.echo(check_table(report, output_width()))
    if fmt != "json" and report.damage:
        rows = [[w.short(), d.kind, d.concept_id, d.message] for w, d in report.damage]
        click.echo("\nPossible damage next to terms (check these):")
        click.echo(render_table(["WHERE", "KIND", "CONCEPT", "WHAT"], rows, max_width=70))
    info(report.summary(), quiet)
    failing = {
        "violation": len(report.violations),
        "wrong": report.count("wrong") + report.count("forbidden"),
        "never": 0,
    }[fail_on]
    if failing:
        raise SystemExit(1)


# ------------------------------------------------------------------- merge


@main.command("merge", context_settings=CONTEXT_SETTINGS)
@click.argument("bilingual", metavar="PO_OR_XLIFF", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", default="-", show_default=True, help="Output text file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("po", "xliff")),
    help="Format of PO_OR_XLIFF. Default: from its suffix.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a segment has no translation or is still below 'translated' "
    "(fuzzy, needs review, Trados Draft, machine translation).",
)
@_job_options
@_max_size_option
@quiet_option
def merge_command(
    bilingual: Path,
    source: Path,
    output: str,
    fmt: str | None,
    strict: bool,
    min_status: str,
    source_lang: str | None,
    target_lang: str | None,
    max_size: int,
    quiet: bool,
) -> None:
    """Write a post-edited PO or XLIFF file back as a text document.

    The source document is read again and each of its segments gets the
    translation of its unit (by segment key, else by source text), with the
    source's paragraph layout. Segments without a translation (or with one
    below --min-status) stay in Dutch and are reported. A file of another
    language pair, or one that does not belong to the document (none of its
    segments is one of the document's), is refused with exit status 1.

    \b
    Examples:
        glossary translate report.txt --format po -o report.po
        (post-edit report.po in Poedit, Lokalize, Weblate...)
        glossary merge report.po report.txt -o report.en.txt
        glossary merge report.xlf report.txt --min-status translated -o report.en.txt
    """
    from glossary.exchange.importing import merge_file
    from glossary.termbase.store import check_output, project_termbase
    from glossary.translation.writers import write_text

    check_output(
        Path(output),
        termbase=project_termbase(),
        inputs=[bilingual, source],
        what="the merged document",
    )
    result = merge_file(
        bilingual,
        source,
        fmt=fmt,
        max_bytes=max_size * MB,
        min_status=min_status,
        languages=_languages(source_lang, target_lang),
    )
    with output_stream(output) as stream:
        write_text([result.translated], stream)
    info(
        f"Merged {result.matched} segments; {len(result.missing)} without translation "
        f"(kept in Dutch); {result.unreviewed} still marked for review; "
        f"{result.unused} units of the file not used.",
        quiet,
    )
    for ref in result.missing[:20]:
        info(f"  no translation: {ref}", quiet)
    if strict and (result.missing or result.unreviewed):
        raise SystemExit(1)
