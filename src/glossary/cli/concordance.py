"""The `concordance` command: every occurrence of a term in documents, in context."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import CONTEXT_SETTINGS, main
from .common import (
    dump_json,
    info,
    output_stream,
    quiet_option,
    source_side_option,
    termbase_option,
)

if TYPE_CHECKING:
    from glossary.termbase.model import Concept

PROGRESS_FILES = 20  # a progress bar from this many files on


@main.command(context_settings=CONTEXT_SETTINGS)
@click.argument("term")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--literal",
    is_flag=True,
    help="Search TERM as written (case ignored, inside words too) instead of as a "
    "termbase concept or a term with its forms.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("kwic", "json", "tsv")),
    default="kwic",
    show_default=True,
    help="kwic: one line per occurrence (file:line, the match highlighted in its "
    "context), then the counts per spelling; json: every occurrence with its sentence "
    "and paragraph; tsv: one row per occurrence.",
)
@click.option("-o", "--output", default="-", help="Output file ('-' for stdout, the default).")
@source_side_option
@termbase_option
@quiet_option
def concordance(
    term: str,
    paths: tuple[str, ...],
    literal: bool,
    fmt: str,
    output: str,
    source_side: bool,
    termbase_path: Path | None,
    quiet: bool,
) -> None:
    """Show every occurrence of a term in documents, in context.

    TERM is looked up in the termbase: a concept's id, any Dutch spelling
    or variant, an inflected form, or its English. Then every Dutch
    spelling of the concept is found in any inflection, with hyphens or
    spaces ("Minskgroep", "Minsk-groep", "OVSE Minsk Groep"...). A term
    not in the termbase is found with its forms the same way; --literal
    finds the text as written. PATH may be files, folders (every file that
    is not read is named) or '-' for stdin, in every format the document
    commands read. Exit status 1 when nothing is found.

    \b
    Examples:
        glossary concordance Minskgroep seeds/
        glossary concordance staakt-het-vuren seeds/ --format json
        glossary concordance ceasefire seeds/       # the concepts whose English it is
        glossary concordance "groep van" seeds/ --literal
        glossary concordance OVSE job.xlf --source-side
    """
    from glossary import concordance as cc

    from .table import output_width
    from .views import kwic_lines, spelling_table

    if output != "-":
        from glossary.termbase.store import check_writable

        check_writable(Path(output))
    query = cc.resolve(term, () if literal else _concepts(termbase_path, quiet), literal=literal)
    info(query.describe(), quiet)
    with click.progressbar(length=0, label="Reading", file=sys.stderr, hidden=True) as bar:

        def progress(done: int, total: int) -> None:
            if quiet or total < PROGRESS_FILES:
                return
            bar.length = total
            bar.hidden = False
            bar.update(done - bar.pos)

        result = cc.search_files(paths, query, source_side=source_side, progress=progress)
    for skipped in result.skipped:
        info(f"Skipped {skipped}", quiet)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    with output_stream(output) as stream:
        if fmt == "json":
            stream.write(dump_json(result.to_dict()) + "\n")
        elif fmt == "tsv":
            stream.write(_tsv(result))
        elif result.hits:
            width = output_width() if output == "-" else None
            text = "\n".join(kwic_lines(result, width))
            text += "\n\n" + spelling_table(result, width) + "\n"
            click.echo(text, file=stream, nl=False, color=None if output == "-" else False)
    info(result.summary(), quiet)
    if not result.hits:
        raise SystemExit(1)


def _concepts(termbase_path: Path | None, quiet: bool) -> tuple[Concept, ...]:
    """The termbase's concepts (every status), or none when there is no termbase."""
    from glossary.errors import TermbaseNotFound
    from glossary.termbase.store import read_termbase, resolve_termbase

    try:
        path = resolve_termbase(termbase_path)
    except TermbaseNotFound:
        if termbase_path is not None:
            raise
        info("No termbase found: TERM is searched with its forms only.", quiet)
        return ()
    return read_termbase(path).concepts


def _tsv(result: object) -> str:
    from glossary.concordance import Concordance

    assert isinstance(result, Concordance)
    lines = ["ref\tfile\tline\tleft\tmatch\tright\tterm\tconcept_id"]
    for hit in result.hits:
        left, match, right = hit.kwic(60)
        cells = [hit.ref, hit.doc, str(hit.line), left, match, right, hit.term, hit.concept_id]
        lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    return "\n".join(lines) + "\n"
