"""Term mining commands: `mine`, `review` and `term import`."""

from __future__ import annotations

import functools
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
    render_table,
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
) -> tuple[list[Candidate], Path | None]:
    from glossary.matching.matcher import Matcher
    from glossary.mining import candidates as mining

    path, termbase = _known(termbase_path, quiet)
    known = Matcher.build(termbase.concepts) if termbase is not None else None
    read = words = 0

    def keep(document: Document) -> None:
        nonlocal read, words
        read += 1
        words += sum(len(s.text.split()) for s in document.segments)
        show_notes(document, quiet)

    options = mining.Options(top=top, min_freq=min_freq, contexts=contexts)
    if settings is None:
        documents = _documents(paths, quiet, source_side)
        candidates = mining.mine(documents, known=known, options=options, progress=keep)
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
    return candidates, path


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
        from glossary.termbase.store import check_writable

        check_writable(Path(output))
    settings = ray_settings(backend, ray_address, ray_workers)
    candidates, _ = _run_mining(
        paths,
        top,
        min_freq,
        suggest,
        termbase_path,
        quiet,
        source_side=source_side,
        settings=settings,
    )
    with output_stream(output) as stream:
        stream.write(_render(candidates, fmt))


def _render(candidates: Sequence[Candidate], fmt: str) -> str:
    from glossary.mining.candidates import SCHEMA_VERSION
    from glossary.mining.review import CANDIDATE_COLUMNS, candidate_row

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
    rows = [
        [
            str(rank),
            c.term,
            c.kind,
            str(c.frequency),
            str(c.doc_frequency),
            f"{c.score:.2f}",
            c.status,
            ", ".join(f"{v.form} ({v.count})" for v in c.variants[:4])
            + (", …" if len(c.variants) > 4 else ""),
            " ".join(x.ref for x in c.contexts),
        ]
        for rank, c in enumerate(candidates, start=1)
    ]
    headers = ["#", "TERM", "KIND", "FREQ", "DOCS", "SCORE", "STATUS", "VARIANTS", "CONTEXTS"]
    return render_table(headers, rows, max_width=60) + "\n"


# ------------------------------------------------------------------ review


def _show(candidate: Candidate, position: int, total: int) -> None:
    def say(text: str) -> None:
        click.echo(text, err=True)

    say("")
    extra = f", also {candidate.expansion}" if candidate.expansion else ""
    say(
        f"[{position}/{total}] {candidate.term}  ({candidate.kind}; {candidate.frequency}× in "
        f"{candidate.doc_frequency} document{'s' if candidate.doc_frequency != 1 else ''}; "
        f"score {candidate.score:.2f}{extra})"
    )
    if len(candidate.variants) > 1:
        say("  variants: " + ", ".join(f"{v.form} ({v.count})" for v in candidate.variants))
    for context in candidate.contexts:
        text = context.text if len(context.text) <= 160 else context.text[:159] + "…"
        say(f"  {context.ref}: {text}")
    for suggestion in candidate.suggestions:
        say(f"  machine suggestion ({suggestion.source}): {suggestion.text}")


@main.command(context_settings=CONTEXT_SETTINGS)
@_mining_options
@click.option("--restart", is_flag=True, help="Forget skipped candidates and start afresh.")
def review(
    paths: tuple[str, ...],
    top: int,
    min_freq: int,
    suggest: bool | None,
    termbase_path: Path | None,
    source_side: bool,
    quiet: bool,
    restart: bool,
) -> None:
    """Walk the new candidates of documents and decide on each.

    For each candidate: [a]ccept with an English term (the first machine
    suggestion is the default), [e]dit the Dutch term, variants and English
    before accepting, [r]eject (it never comes back), [s]kip (shown again
    at the end of the next review), [q]uit (resume later with the same
    command). Decisions are written to the termbase at once.

    \b
    Example:
        glossary review seeds/ --top 50
    """
    from glossary.errors import DuplicateTerm, InvalidValue
    from glossary.mining import review as rv
    from glossary.termbase.store import atomic_write, resolve_termbase, update_termbase

    path = resolve_termbase(termbase_path)
    candidates, _ = _run_mining(paths, top, min_freq, suggest, path, quiet, source_side=source_side)
    state_file = rv.state_path(path)
    state = rv.ReviewState() if restart else rv.load_state(state_file)
    todo = rv.queue(candidates, state)
    if not todo:
        info("Nothing to review: every candidate is already in the termbase.")
        return
    decided = {"accepted": 0, "rejected": 0, "skipped": 0}

    def save() -> None:
        atomic_write(state_file, rv.dump_state(state))

    for position, candidate in enumerate(todo, start=1):
        _show(candidate, position, len(todo))
        while True:
            try:
                choice = click.prompt(
                    "[a]ccept [e]dit [r]eject [s]kip [q]uit",
                    type=click.Choice(["a", "e", "r", "s", "q"]),
                    show_choices=False,
                    err=True,
                )
                if choice == "q":
                    save()
                    _summary(decided, len(todo) - position + 1)
                    return
                if choice == "s":
                    state = state.skip(candidate)
                    decided["skipped"] += 1
                    save()
                    break
                if choice == "r":
                    concept = rv.reject(candidate)
                else:
                    concept = _accepted_concept(candidate, edit=choice == "e")
                added = update_termbase(path, functools.partial(rv.add_concept, concept=concept))
            except click.Abort:
                save()
                click.echo("", err=True)
                _summary(decided, len(todo) - position + 1)
                return
            except (DuplicateTerm, InvalidValue) as exc:
                click.echo(f"Error: {exc}", err=True)
                continue
            decided["accepted" if added.status == "approved" else "rejected"] += 1
            info(f"  → {added.id}: {added.nl} → {added.en or '-'} ({added.status})")
            if rv.candidate_key(candidate) in state.skipped:
                state = state.forget(candidate)
                save()
            break
    save()
    _summary(decided, 0)


def _accepted_concept(candidate: Candidate, *, edit: bool) -> Any:
    from glossary.mining import review as rv

    default_en = candidate.suggestions[0].text if candidate.suggestions else None
    nl = candidate.term
    variants = rv.variant_forms(candidate)
    if edit:
        nl = click.prompt("Dutch term", default=candidate.term, err=True)
        raw = click.prompt(
            "Dutch variants (separate with |, - for none)",
            default=" | ".join(variants),
            show_default=bool(variants),
            err=True,
        )
        variants = [v.strip() for v in raw.split("|") if v.strip() not in ("", "-")]
    en = click.prompt("English", default=default_en, err=True)
    return rv.accept(candidate, en, nl=nl, variants=variants)


def _summary(decided: dict[str, int], left: int) -> None:
    text = ", ".join(f"{n} {what}" for what, n in decided.items())
    if left:
        text += f"; {left} left (run the same command to resume)"
    info(text)


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
