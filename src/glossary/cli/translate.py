"""The `translate` command: documents in, English out, offline."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import CONTEXT_SETTINGS, main
from .common import dump_json, info, output_stream, quiet_option, termbase_option

if TYPE_CHECKING:
    from glossary.matching.verify import Glossary

# Kept here (not imported from the library) so `glossary --help` loads nothing heavy;
# tests check they match glossary.translation.writers.FORMATS and glossary.engines.registry.ENGINES.
FORMAT_CHOICES = ("text", "tsv", "json", "po", "xliff", "tmx")
ENGINE_CHOICES = ("argos", "none", "auto")
REPORT_FORMATS = ("table", "json")


def _stem(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem


@main.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", help="Output file ('-' for stdout, the default).")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one file per input document into this folder (created if missing).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    help="Output format. Default: from the -o suffix, else text.",
)
@click.option("--beam", type=click.IntRange(1, 32), default=4, show_default=True, help="Beam size.")
@click.option("--threads", type=click.IntRange(1, 1024), help="CPU threads. Default: all cores.")
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(ENGINE_CHOICES),
    default="argos",
    show_default=True,
    help="'argos': the installed nl→en model; 'none': empty targets, to translate by "
    "hand; 'auto': argos when an nl→en model is installed, else none (with a note).",
)
@termbase_option
@click.option(
    "--no-glossary",
    is_flag=True,
    help="Translate without enforcing the termbase's approved terms.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the term enforcement report to this file ('-' for stdout).",
)
@click.option(
    "--report-format",
    type=click.Choice(REPORT_FORMATS),
    help="Report format. Default: json for a .json file, else table.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when an approved term could not be enforced.",
)
@click.option(
    "--redecode-budget",
    type=click.FloatRange(0, 200),
    default=5.0,
    show_default=True,
    metavar="PERCENT",
    help="Share of the source text that term repairs may re-decode with the model; "
    "the rest is repaired by replacement (200: every failing segment gets both "
    "re-decoding steps).",
)
@quiet_option
def translate(
    inputs: tuple[str, ...],
    output: str | None,
    out_dir: Path | None,
    fmt: str | None,
    beam: int,
    threads: int | None,
    engine_name: str,
    termbase_path: Path | None,
    no_glossary: bool,
    report_path: Path | None,
    report_format: str | None,
    strict: bool,
    redecode_budget: float,
    quiet: bool,
) -> None:
    """Translate Dutch documents into English with the installed Argos model.

    INPUT is a file, a folder (its .txt, .md and .html files) or '-' for stdin. Every
    sentence is translated once, in token batches, on this machine; the
    output keeps the paragraphs of the source. Formats: text (the English),
    tsv (bilingual segment table), json (segments, offsets, scores, model
    signature), po, xliff, tmx (for CAT tools). Output files appear only
    when complete: an error or Ctrl-C leaves none half written.

    Approved terms of the termbase are enforced: each occurrence comes out
    as its approved English (names marked do-not-translate as they are),
    forbidden renderings never appear, and --report says how each was
    handled. With --engine none, segments carry the terms as hints.

    \b
    Examples:
        glossary translate report.txt
        glossary translate seeds/ --out-dir out/
        glossary translate seeds/ -o seeds.tsv
        glossary translate report.txt -o report.json --beam 2 --threads 4
        glossary translate report.txt --engine none --format xliff -o report.xlf
        glossary translate seeds/ -o seeds.tsv --report terms.json --strict
        glossary translate report.txt --no-glossary
        glossary translate seeds/ --engine auto --format po --out-dir out/
    """
    from glossary.document import SegmentTranslator
    from glossary.enforcement.cascade import EnforceOptions, Enforcer
    from glossary.enforcement.hints import Hinter
    from glossary.engines.argos import packages as models
    from glossary.engines.registry import load_engine
    from glossary.errors import ModelNotInstalled, OutputError
    from glossary.reading import ingest
    from glossary.termbase.store import check_writable
    from glossary.translation import writers as docwriters
    from glossary.translation.pipeline import PlainTranslator, plan, translate_documents

    if output is not None and out_dir is not None:
        raise click.UsageError("Give either -o/--output or --out-dir, not both.")
    termbase_given = (
        click.get_current_context().get_parameter_source("termbase_path")
        == click.core.ParameterSource.COMMANDLINE
    )
    if no_glossary and (report_path or strict or termbase_given or report_format):
        raise click.UsageError(
            "--no-glossary turns term enforcement off; --termbase, --report, "
            "--report-format and --strict need it on."
        )
    report_to_stdout = report_path is not None and str(report_path) == "-"
    if report_to_stdout and output in (None, "-") and out_dir is None:
        raise click.UsageError("The translation goes to stdout; write the report to a file.")
    to_file = output not in (None, "-")
    if fmt is None:
        fmt = docwriters.format_for_path(output) if to_file and output else "text"
    writer = docwriters.get_writer(fmt)
    if to_file and output:
        check_writable(Path(output))
    report_in_out_dir = (
        out_dir is not None
        and report_path is not None
        and report_path.parent.resolve() == out_dir.resolve()
    )
    if report_path is not None and not report_to_stdout and not report_in_out_dir:
        check_writable(report_path, "the report")  # --out-dir is created when writing
    package = None
    if engine_name == "auto":
        try:
            package = models.find_package("nl", "en")
            engine_name = "argos"
        except ModelNotInstalled as exc:
            engine_name = "none"
            info(f"Note: {exc}; translating with --engine none (term hints only).", quiet)
    elif engine_name == "argos":
        package = models.find_package("nl", "en")

    paths = ingest.expand_inputs(list(inputs))
    documents = [ingest.read_document(path) for path in paths]
    for document in documents:
        for warning in document.warnings:
            info(f"Warning: {warning}", quiet)
    inputs_resolved = {Path(p).resolve() for p in paths if p != "-"}
    targets: list[Path] = []
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError(f"--out-dir {out_dir} is a file, not a folder.")
        names = [_stem(path) + docwriters.EXTENSIONS[fmt] for path in paths]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise OutputError(
                f"Several inputs would be written to the same file in {out_dir}: "
                f"{', '.join(clashes)}. Translate them in separate runs."
            )
        targets = [out_dir / name for name in names]
    elif to_file and output:
        targets = [Path(output)]
    for target in targets:
        if target.resolve() in inputs_resolved:
            raise OutputError(f"Refusing to overwrite the input {target} with its translation.")

    glossary = None if no_glossary else _load_glossary(termbase_path, report_path, strict, quiet)
    engine = load_engine(engine_name, beam_size=beam, threads=threads, package=package)
    strategy: SegmentTranslator = PlainTranslator(engine)
    enforcer = None
    if glossary is not None and engine_name == "none":
        strategy = Hinter(engine, glossary)
    elif glossary is not None:
        options = EnforceOptions(redecode_budget=redecode_budget / 100)
        strategy = enforcer = Enforcer(engine, glossary, options)
    work = plan(documents)
    started = time.perf_counter()
    with click.progressbar(
        length=work.total,
        label=f"Translating {work.total} segments ({work.unique} distinct)",
        file=sys.stderr,
        hidden=quiet,
        show_pos=True,
    ) as bar:
        seen = 0

        def progress(done: int, total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        translated = translate_documents(documents, strategy, progress=progress)
    elapsed = time.perf_counter() - started

    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"Cannot create --out-dir {out_dir}: {exc}.") from None
        for doc, target in zip(translated, targets, strict=True):
            with output_stream(str(target)) as stream:
                writer([doc], stream)
    else:
        with output_stream(output) as stream:
            writer(translated, stream)

    rate = work.total / elapsed if elapsed > 0 else 0.0
    info(
        f"Translated {work.total} segments ({work.unique} distinct) of {len(documents)} "
        f"document(s) in {elapsed:.1f} s ({rate:.1f} segments/s) with {engine.signature}",
        quiet,
    )
    if out_dir is not None:
        info(f"Wrote {len(targets)} {fmt} file(s) to {out_dir}", quiet)
    elif to_file:
        info(f"Wrote {output}", quiet)
    if glossary is None:
        return
    from glossary.enforcement.report import build_report

    report = build_report(translated, glossary, enforcer.notes() if enforcer else ())
    if report_path is not None:
        as_json = report_format == "json" or (
            report_format is None and report_path.suffix.lower() == ".json"
        )
        with output_stream(str(report_path)) as stream:
            stream.write(dump_json(report.to_dict()) + "\n" if as_json else report.to_table())
        if str(report_path) != "-":
            info(f"Wrote the term report to {report_path}", quiet)
    info(report.summary(), quiet)
    if strict and report.failed:
        raise click.ClickException(
            f"{report.failed} approved term occurrence(s) could not be enforced "
            "(--strict); see --report FILE for the segments."
        )


def _load_glossary(
    termbase_path: Path | None, report_path: Path | None, strict: bool, quiet: bool
) -> Glossary | None:
    """The approved concepts to enforce; None (with a warning) when no
    termbase was given and none is found, unless the report or --strict
    need one."""
    from glossary.errors import TermbaseNotFound
    from glossary.matching.verify import Glossary
    from glossary.termbase.store import find_termbase, read_termbase

    if termbase_path is None:
        try:
            termbase_path = find_termbase()
        except TermbaseNotFound as exc:
            if report_path is not None or strict:
                raise
            info(f"Warning: {exc} Translating without the glossary (--no-glossary).", quiet)
            return None
    return Glossary(read_termbase(termbase_path).concepts)
