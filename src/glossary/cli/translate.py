"""The `translate` command: documents in, English out, offline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import CONTEXT_SETTINGS, main
from .common import (
    backend_options,
    info,
    quiet_option,
    ray_settings,
    source_side_option,
    termbase_option,
)

if TYPE_CHECKING:
    from glossary.distributed.cluster import Cluster
    from glossary.translation import job

# Kept here (not imported from the library) so `glossary --help` loads nothing heavy;
# tests check they match glossary.translation.writers.FORMATS and glossary.translation.job.
FORMAT_CHOICES = (
    "text",
    "markdown",
    "html",
    "docx",
    "odt",
    "srt",
    "vtt",
    "po",
    "xliff",
    "tmx",
    "tsv",
    "json",
)
ENGINE_CHOICES = ("argos", "none", "auto")
REPORT_FORMATS = ("table", "json")


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
@click.option(
    "--threads",
    type=click.IntRange(1, 1024),
    help="CPU threads. Default: all cores (with --backend ray: per worker, default 1).",
)
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
    help="Exit 1 when an approved term could not be enforced, or when no termbase is "
    "found (without --strict that is a warning, shown even with -q).",
)
@click.option(
    "--redecode-budget",
    type=click.FloatRange(0, 200),
    default=10.0,
    show_default=True,
    metavar="PERCENT",
    help="Share of the source text that term repairs may re-decode with the model; "
    "the rest is repaired by replacement (200: every failing segment gets both "
    "re-decoding steps).",
)
@click.option(
    "--overwrite",
    type=click.Choice(("drafts", "all")),
    help="CAT files: translate again the targets nobody accepted yet (drafts: machine "
    "translation, fuzzy, needs-review, Trados Draft) or every target that is not locked "
    "(all). Default: only empty targets are filled.",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="CAT files: write each translated file over itself (all or none).",
)
@click.option(
    "--source-lang",
    metavar="CODE",
    help="CAT files: the file's language to read as Dutch (when it declares another or none).",
)
@click.option(
    "--target-lang",
    metavar="CODE",
    help="CAT files: the file's language to read as English.",
)
@source_side_option
@backend_options
@click.option(
    "--ray-ship-model",
    is_flag=True,
    help="With --backend ray: send the model to the workers through Ray instead of "
    "expecting it installed on every node.",
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
    overwrite: str | None,
    in_place: bool,
    source_lang: str | None,
    target_lang: str | None,
    source_side: bool,
    backend: str,
    ray_address: str | None,
    ray_workers: int | None,
    ray_ship_model: bool,
    quiet: bool,
) -> None:
    """Translate Dutch documents into English with the installed Argos model.

    INPUT is a file, a folder (its documents; every other file is named
    with the reason it is skipped) or '-' for stdin. Documents: plain text,
    Markdown, HTML, Word (.docx), OpenDocument (.odt), PDF with a text
    layer, SRT and WebVTT subtitles. Each comes back in its own format with
    its structure and formatting (-o FILE or --out-dir DIR; a PDF as an
    editable .docx); on the terminal as text. A bilingual file (PO, XLIFF,
    TMX) is translated in place, or read as its Dutch source side with
    --source-side. Every sentence is translated once, in token batches, on
    this machine. Other formats: text (the English), tsv (bilingual segment
    table), json (segments, offsets, scores, model signature), po, xliff,
    tmx (for CAT tools). Output files appear only when all are complete: an
    error or Ctrl-C leaves none half written and no mix of old and new files.
    With --backend ray the documents are translated on a Ray cluster
    (docs/cluster.md), with the same output bytes.

    Approved terms of the termbase are enforced: each occurrence comes out
    as its approved English (names marked do-not-translate as they are),
    forbidden renderings never appear, and --report says how each was
    handled. With --engine none, segments carry the terms as hints.

    \b
    Examples:
        glossary translate report.txt
        glossary translate report.docx -o report.en.docx
        glossary translate brief.pdf ondertitels.srt --out-dir out/
        glossary translate seeds/ --out-dir out/
        glossary translate seeds/ -o seeds.tsv
        glossary translate report.txt -o report.json --beam 2 --threads 4
        glossary translate report.txt --engine none --format xliff -o report.xlf
        glossary translate seeds/ -o seeds.tsv --report terms.json --strict
        glossary translate report.txt --no-glossary
        glossary translate seeds/ --engine auto --format po --out-dir out/
        glossary translate memory.tmx --source-side -o memory.en.txt
        glossary translate job.sdlxliff -o job.mt.sdlxliff --report terms.txt
        glossary translate nl.po --engine none --in-place
        glossary translate export/*.xlf --out-dir pretranslated/ --overwrite drafts
        glossary translate archive/ --out-dir out/ --backend ray --ray-address 10.0.0.5:6379
    """
    from glossary.errors import OptionConflict
    from glossary.translation import job

    termbase_given = (
        click.get_current_context().get_parameter_source("termbase_path")
        == click.core.ParameterSource.COMMANDLINE
    )
    # The environment's termbase is no conflict with --no-glossary; a given one is.
    keep_termbase = termbase_path is not None and (termbase_given or not no_glossary)
    request = job.JobRequest(
        inputs=inputs,
        output=output,
        out_dir=None if out_dir is None else str(out_dir),
        format=fmt,
        engine=engine_name,
        beam=beam,
        threads=threads,
        glossary=not no_glossary,
        termbase=str(termbase_path) if keep_termbase else None,
        report=None if report_path is None else str(report_path),
        report_format=report_format,  # type: ignore[arg-type]
        strict=strict,
        redecode_budget=redecode_budget / 100,
        source_side=source_side,
        overwrite=overwrite or "",
        in_place=in_place,
        source_lang=source_lang or "",
        target_lang=target_lang or "",
    )
    settings = ray_settings(backend, ray_address, ray_workers, ship_model=ray_ship_model)
    try:
        plan = job.plan_job(request)
    except OptionConflict as exc:
        raise click.UsageError(str(exc)) from None
    for skipped in plan.skipped:
        info(f"Skipped {skipped}", quiet)
    for note in plan.notes:
        info(f"Note: {note}", quiet)
    for warning in plan.warnings:  # never hidden by -q: enforcement off must not be silent
        click.echo(f"Warning: {warning}", err=True)

    if settings is None:
        result = _execute(plan, None, quiet)
    else:
        from glossary.distributed.cluster import Cluster

        with Cluster(settings) as cluster:
            info(f"Running on {cluster.describe()}", quiet)
            result = _execute(plan, cluster, quiet)

    outputs = plan.outputs
    rate = plan.segments / result.seconds if result.seconds > 0 else 0.0
    info(
        f"Translated {plan.segments} segments ({plan.distinct} distinct) of "
        f"{len(plan.documents)} document(s) in {result.seconds:.1f} s ({rate:.1f} segments/s) "
        f"with {result.signature}",
        quiet,
    )
    for cat, done in zip(plan.cat, result.documents if plan.cat else (), strict=True):
        left = ", ".join(f"{n} {why}" for why, n in sorted(cat.skipped.items()))
        filled = sum(1 for ts in done.segments if ts.target.strip())
        problems = sum(len(ts.code_problems) for ts in done.segments)
        info(
            f"{cat.path} ({cat.job.flavour}): {filled} of {len(cat.job.segments)} segments "
            f"given a machine translation to review"
            + (f"; left as they were: {left}" if left else ""),
            quiet,
        )
        if problems:
            info(f"  {problems} inline code(s) put back; see the notes in the file", quiet)
    if outputs.out_dir is not None:
        info(f"Wrote {len(outputs.files)} {outputs.format} file(s) to {outputs.out_dir}", quiet)
    elif outputs.files:
        info(f"Wrote {outputs.files[0]}", quiet)
    if result.report is None:
        return
    if outputs.report is not None:
        info(f"Wrote the term report to {outputs.report}", quiet)
    info(result.report.summary(), quiet)
    if strict and result.failed:
        raise click.ClickException(
            f"{result.failed} approved term occurrence(s) could not be enforced "
            "(--strict); see --report FILE for the segments."
        )


def _execute(plan: job.JobPlan, cluster: Cluster | None, quiet: bool) -> job.JobResult:
    """Run the job with a progress bar (segments locally, documents on Ray) and write it."""
    from glossary.translation import job

    runner = None
    if cluster is None:
        total = plan.segments
        label = f"Translating {plan.segments} segments ({plan.distinct} distinct)"
    else:
        from glossary.distributed import translation

        runner = translation.runner(cluster)
        total = len(plan.documents)
        label = (
            f"Translating {total} documents ({plan.segments} segments, {plan.distinct} distinct)"
        )
    with click.progressbar(
        length=total, label=label, file=sys.stderr, hidden=quiet, show_pos=True
    ) as bar:
        seen = 0

        def progress(done: int, total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        return job.execute(plan, progress=progress, stdout=sys.stdout, runner=runner)
