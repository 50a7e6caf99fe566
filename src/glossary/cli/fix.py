"""The `fix` command: apply the termbase to a translation made elsewhere."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import CONTEXT_SETTINGS, main
from .common import dump_json, info, output_stream, quiet_option, termbase_option
from .exchange import MB, _max_size_option

# Kept here so `glossary --help` imports nothing; a test checks them against
# glossary.translation.fixing.FIX_FORMATS.
FIX_FORMATS = ("po", "xliff", "tsv")


@main.command("fix", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-': stdout).")
@click.option(
    "--input-format",
    type=click.Choice(FIX_FORMATS),
    help="Format of FILE. Default: from its suffix. Not used for a pair of files.",
)
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(("auto", "argos", "none")),
    default="auto",
    show_default=True,
    help="'argos': align with the installed nl→en model (forced through the given "
    "translation); 'none': align from the termbase alone; 'auto': argos when a model "
    "is installed.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report (every edit with before and after, every term left) to this "
    "file ('-' for stdout when the translation goes to a file).",
)
@click.option(
    "--report-format",
    type=click.Choice(("table", "json")),
    help="Report format. Default: json for a .json file, else table.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a term had to be left as it was.")
@_max_size_option
@termbase_option
@quiet_option
def fix_command(
    file: Path,
    target: Path | None,
    output: str,
    input_format: str | None,
    engine_name: str,
    report_path: Path | None,
    report_format: str | None,
    strict: bool,
    max_size: int,
    termbase_path: Path | None,
    quiet: bool,
) -> None:
    """Apply the termbase to a translation made elsewhere (DeepL, a colleague, a TM).

    FILE is a bilingual PO, XLIFF or TSV file, or give SOURCE TARGET: a
    Dutch document and its English translation (one segment per line, or
    the paragraphs 'glossary translate' writes). Every approved term the
    translation misses is put in the place of the words that render it
    (a forbidden rendering, the copied Dutch, a related concept's English,
    words shared with the term, the model's alignment...), with plural,
    possessive, verb form, article and capitals carried over. What cannot
    be placed safely is left as it was and flagged. The output has the
    input's format: PO and XLIFF targets are updated in place, everything
    else is kept; segments whose terms are right are never changed.

    \b
    Examples:
        glossary fix deepl.po -o deepl.fixed.po --report fix.txt
        glossary fix report.xlf -o report.fixed.xlf
        glossary fix brief.nl.txt brief.en.txt -o brief.fixed.en.txt
        glossary fix segments.tsv --engine none --report fix.json -o fixed.tsv
    """
    from glossary.enforcement.fix import model_links
    from glossary.matching.verify import Glossary
    from glossary.termbase.store import (
        atomic_open,
        check_writable,
        read_termbase,
        resolve_termbase,
    )
    from glossary.translation.fixing import fix_file

    if target is not None and input_format is not None:
        raise click.UsageError("--input-format is for one bilingual FILE, not a pair of files.")
    to_file = output not in ("-", "")
    report_to_stdout = report_path is not None and str(report_path) == "-"
    if report_to_stdout and not to_file:
        raise click.UsageError("The translation goes to stdout; write the report to a file.")
    if to_file:
        out = Path(output)
        if out.resolve() in {p.resolve() for p in (file, target) if p is not None}:
            raise click.UsageError(
                f"Refusing to overwrite the input {output}; write to another file."
            )
        check_writable(out)
    if report_path is not None and not report_to_stdout:
        check_writable(report_path, "the report")
    glossary = Glossary(read_termbase(resolve_termbase(termbase_path)).concepts)
    aligner = None
    if engine_name != "none":
        from glossary.engines.argos import packages as models
        from glossary.engines.registry import load_engine
        from glossary.errors import ModelNotInstalled

        try:
            package = models.find_package("nl", "en")
        except ModelNotInstalled as exc:
            if engine_name == "argos":
                raise
            info(f"Note: {exc}; aligning from the termbase alone (--engine none).", quiet)
        else:
            engine = load_engine("argos", package=package, beam_size=1)
            aligner = functools.partial(model_links, engine)

    result = fix_file(
        file, target, glossary, fmt=input_format, aligner=aligner, max_bytes=max_size * MB
    )
    if to_file:
        with atomic_open(Path(output)) as handle:
            handle.write(result.content)
    else:
        sys.stdout.buffer.write(result.content)
        sys.stdout.flush()
    report = result.report
    if report_path is not None:
        as_json = report_format == "json" or (
            report_format is None and report_path.suffix.lower() == ".json"
        )
        with output_stream(str(report_path)) as stream:
            stream.write(dump_json(report.to_dict()) + "\n" if as_json else report.to_table())
        if not report_to_stdout:
            info(f"Wrote the fix report to {report_path}", quiet)
    elif not quiet:
        for segment in report.segments:
            for a in segment.edits:
                info(f"  {segment.ref}: '{a.before}' → '{a.after}'")
            for use in segment.left:
                info(f"  {segment.ref}: left {use.source_text} → {use.target} ({use.detail})")
    for warning in result.warnings:
        info(f"Warning: {warning}", quiet)
    if to_file:
        info(f"Wrote {output}", quiet)
    info(report.summary(), quiet)
    if strict and report.left:
        raise click.ClickException(
            f"{report.left} term occurrence(s) could not be placed safely and were left "
            "(--strict); see --report FILE."
        )
