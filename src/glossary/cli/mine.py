"""Term mining commands: `mine`, `review` and `term import`."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import CONTEXT_SETTINGS, main
from .common import (
    backend_options,
    dump_json,
    format_option,
    info,
    output_stream,
    quiet_option,
    ray_settings,
    show_notes,
    source_side_option,
    termbase_option,
)
from .term import term

if TYPE_CHECKING:
    from glossary.distributed.cluster import RaySettings
    from glossary.document import Document
    from glossary.mining.candidates import Candidate
    from glossary.termbase.model import Termbase

# Progress bars appear from this many input files or bytes on.
PROGRESS_FILES = 20
PROGRESS_BYTES = 2_000_000


def _mining_options(func: Any) -> Any:
    options = [
        click.argument("paths", nargs=-1, required=True, metavar="PATH..."),
        click.option(
            "--top",
            type=click.IntRange(min=1),
            default=100,
            show_default=True,
            help="How many candidates (best first).",
        ),
        click.option(
            "--min-freq",
            type=click.IntRange(min=1),
            default=2,
            show_default=True,
            help="Leave out candidates seen fewer times than this.",
        ),
        click.option(
            "--suggest/--no-suggest",
            default=None,
            help="Machine-suggested English for new candidates from the installed nl→en "
            "model. Default: on when one is installed.",
        ),
        termbase_option,
        source_side_option,
        quiet_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _documents(paths: Sequence[str], quiet: bool, source_side: bool) -> Iterator[Document]:
    """Read the inputs, with a progress bar on stderr for large inputs; the files of
    folders that are not read are named first."""
    from glossary.reading.ingest import read_document
    from glossary.reading.sources import gather

    found = gather(paths, source_side=source_side)
    for skipped in found.skipped:
        info(f"Skipped {skipped}", quiet)
    files = found.files
    size = sum(Path(f).stat().st_size for f in files if f != "-")
    if quiet or (len(files) < PROGRESS_FILES and size < PROGRESS_BYTES):
        for name in files:
            yield read_document(name, source_side=source_side)
        return
    with click.progressbar(files, label="Reading", file=sys.stderr) as bar:
        for name in bar:
            yield read_document(name, source_side=source_side)


def _known(termbase_path: Path | None, quiet: bool) -> tuple[Path | None, Termbase | None]:
    """The termbase (every status) to mark known candidates, if there is one."""
    from glossary.errors import TermbaseNotFound
    from glossary.termbase.store import read_termbase, resolve_termbase

    try:
        path = resolve_termbase(termbase_path)
    except TermbaseNotFound:
        info("No termbase found: every candidate is marked new.", quiet)
        return None, None
    return path, read_termbase(path)


def _run_mining(
    paths: Sequence[str],
    top: int,
    min_freq: int,
    suggest: bool | None,
    termbase_path: Path | None,
    quiet: bool,
    *,
    source_side: bool = False,
    contexts: int = 3,
    settings: RaySettings | None = None,
    keep_documents: bool = True,
) -> tuple[list[Candidate], Path | None, list[Document]]:
    """Candidates, the termbase's path, and the documents read (kept only with
    `keep_documents`, and never from Ray, where they stay on the cluster)."""
    from glossary.matching.matcher import Matcher
    from glossary.mining import candidates as mining

    path, termbase = _known(termbase_path, quiet)
    known = Matcher.build(termbase.concepts) if termbase is not None else None
    documents: list[Document] = []
    read = words = 0

    def keep(document: Document) -> None:
        nonlocal read, words
        read += 1
        words += sum(len(s.text.split()) for s in document.segments)
        if keep_documents:
            documents.append(document)
        show_notes(document, quiet)

    options = mining.Options(top=top, min_freq=min_freq, contexts=contexts)
    if settings is None:
        candidates = mining.mine(
            _documents(paths, quiet, source_side), known=known, options=options, progress=keep
        )
    else:
        candidates, read, words = _mine_on_ray(paths, known, options, settings, quiet, source_side)
    info(
        f"{len(candidates)} candidates from {read} document"
        f"{'s' if read != 1 else ''} ({words:,} words)",
        quiet,
    )
    if _suggestions_wanted(suggest):
        from glossary.engines.registry import load_engine

        info("Suggesting English with the installed model...", quiet)
        candidates = mining.suggest(candidates, load_engine("argos"))
    return candidates, path, documents


def _mine_on_ray(
    paths: Sequence[str],
    known: Any,
    options: Any,
    settings: RaySettings,
    quiet: bool,
    source_side: bool,
) -> tuple[list[Candidate], int, int]:
    """Mine on Ray (files read and counted on the workers): candidates, documents, words."""
    from glossary.distributed import mining as on_ray
    from glossary.distributed.cluster import Cluster
    from glossary.reading.sources import gather

    found = gather(paths, source_side=source_side)
    for skipped in found.skipped:
        info(f"Skipped {skipped}", quiet)
    files = found.files
    size = sum(Path(f).stat().st_size for f in files if f != "-")
    read = words = 0
    with Cluster(settings) as cluster:
        info(f"Mining on {cluster.describe()}", quiet)
        hidden = quiet or (len(files) < PROGRESS_FILES and size < PROGRESS_BYTES)
        with click.progressbar(
            length=len(files), label="Reading and counting", file=sys.stderr, hidden=hidden
        ) as bar:

            def each(done: on_ray.Read) -> None:
                nonlocal read, words
                read += 1
                words += done.words
                for warning in done.warnings:
                    click.echo(f"Warning: {warning}", err=True)
                for note in done.notes:
                    info(f"Note: {note}", quiet)
                bar.update(1)

            candidates = on_ray.mine_files(
                files, cluster, known=known, options=options, progress=each, source_side=source_side
            )
    return candidates, read, words


def _suggestions_wanted(flag: bool | None) -> bool:
    """--suggest: yes (an error if no model); default: when a model is installed."""
    if flag is not None:
        if flag:
            from glossary.engines.argos.packages import find_package

            find_package("nl", "en")  # raises ModelNotInstalled with the fix
        return flag
    from glossary.engines.argos.packages import find_package
    from glossary.errors import ModelError

    try:
        find_package("nl", "en")
    except ModelError:
        return False
    return True


@main.command(context_settings=CONTEXT_SETTINGS)
@_mining_options
@format_option(["table", "json", "tsv"], "table")
@click.option("-o", "--output", default="-", help="Output file ('-' for stdout, the default).")
@backend_options
def mine(
    paths: tuple[str, ...],
    top: int,
    min_freq: int,
    suggest: bool | None,
    termbase_path: Path | None,
    source_side: bool,
    quiet: bool,
    fmt: str,
    output: str,
    backend: str,
    ray_address: str | None,
    ray_workers: int | None,
) -> None:
    """Find the recurring domain terms of Dutch documents, best first.

    Each candidate groups its spellings and inflected forms, with
    frequency, number of documents, score, up to three contexts
    (file:line) and its status in the termbase (new, approved, proposed,
    rejected). PATH may be files, folders (every file that is not read is
    named with the reason) or '-' for stdin; --source-side reads bilingual
    files (PO, XLIFF, TMX) as their Dutch source side. With --backend ray
    the counting runs on a Ray cluster (docs/cluster.md), same candidates.

    \b
    Examples:
        glossary mine seeds/ --top 30
        glossary mine seeds/ --format json -o candidates.json
        glossary mine seeds/ --format tsv -o candidates.tsv
            (fill in 'decision' and 'en', then: glossary term import candidates.tsv)
        glossary mine memory.tmx --source-side
        glossary mine archive/ --backend ray --ray-address auto -o candidates.tsv
    """
    if output != "-":
        from glossary.reading.sources import gather
        from glossary.termbase.store import check_output, project_termbase

        check_output(
            Path(output),
            termbase=project_termbase(termbase_path),
            inputs=[*paths, *gather(paths, source_side=source_side).files],
        )
    settings = ray_settings(backend, ray_address, ray_workers)
    candidates, _, _ = _run_mining(
        paths,
        top,
        min_freq,
        suggest,
        termbase_path,
        quiet,
        source_side=source_side,
        settings=settings,
        keep_documents=False,
    )
    from .table import output_width

    to_stdout = output == "-"
    text = _render(candidates, fmt, output_width() if to_stdout else None)
    with output_stream(output) as stream:
        # click.echo drops the table's colours unless stdout is a terminal
        click.echo(text, file=stream, nl=False, color=None if to_stdout else False)


def _render(candidates: Sequence[Candidate], fmt: str, width: int | None = None) -> str:
    """The candidates as JSON, TSV, or a table fitted to `width` (with Click styles)."""
    from glossary.mining.candidates import SCHEMA_VERSION
    from glossary.mining.review import CANDIDATE_COLUMNS, candidate_row

    from .views import candidate_table

    if fmt == "json":
        data = {
            "version": SCHEMA_VERSION,
            "candidates": [c.to_dict() for c in candidates],
        }
        return dump_json(data) + "\n"
    if fmt == "tsv":
        lines = ["\t".join(CANDIDATE_COLUMNS)]
        lines.extend("\t".join(candidate_row(c)) for c in candidates)
        return "\n".join(lines) + "\n"
    if not candidates:
        return ""
    return candidate_table(candidates, width) + "\n"


# ------------------------------------------------------------------ term import


@term.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@termbase_option
def term_import(file: Path, termbase_path: Path | None) -> None:
    """Add the decided rows of a candidates file to the termbase.

    The file is what 'glossary mine --format tsv' writes, edited in a
    spreadsheet: 'accept' (or yes, a) in the decision column adds an
    approved concept with the English of the 'en' column (or the machine
    suggestion when 'en' is empty); 'reject' (or no, r) adds a rejected
    concept that mining never proposes again; an empty decision is skipped.
    All or nothing: any problem is reported with its line and nothing is
    imported. Importing the same file twice changes nothing.

    \b
    Example:
        glossary mine seeds/ --format tsv -o candidates.tsv
        glossary term import candidates.tsv
    """
    from glossary.files.inputs import display_name, read_bytes
    from glossary.mining import review as rv
    from glossary.termbase.store import resolve_termbase, update_termbase

    data = read_bytes(file)
    rows = rv.parse_candidates_tsv(data, display_name(file))
    path = resolve_termbase(termbase_path)
    result = update_termbase(path, lambda tb: rv.import_decisions(tb, rows, str(file)))
    approved = sum(1 for c in result.added if c.status == "approved")
    rejected = len(result.added) - approved
    info(
        f"Imported {len(result.added)} concepts ({approved} approved, {rejected} rejected)"
        + (f"; {len(result.unchanged)} already in the termbase" if result.unchanged else "")
    )
