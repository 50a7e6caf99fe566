"""`glossary serve`: the local web workbench (parse, mine, bind, serve)."""

from __future__ import annotations

from pathlib import Path

import click

from . import CONTEXT_SETTINGS, main
from .common import info, quiet_option, source_side_option, termbase_option
from .mine import _documents, _suggestions_wanted

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@main.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port to serve on. Default: 8765, or the next free one (0: any free port).",
)
@click.option(
    "--host",
    default=None,
    help="Address to serve on. Default: 127.0.0.1, this machine only. Another address "
    "lets other machines reach the workbench (with the token); a warning says so.",
)
@click.option("--no-browser", is_flag=True, help="Only print the address; open no browser.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="How many mined candidates to review (best first).",
)
@click.option(
    "--min-freq",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Leave out candidates seen fewer times than this.",
)
@click.option(
    "--suggest/--no-suggest",
    default=None,
    help="Machine-suggested English from the installed nl→en model. "
    "Default: on when one is installed.",
)
@source_side_option
@termbase_option
@quiet_option
def serve(
    paths: tuple[str, ...],
    port: int | None,
    host: str | None,
    no_browser: bool,
    top: int,
    min_freq: int,
    suggest: bool | None,
    source_side: bool,
    termbase_path: Path | None,
    quiet: bool,
) -> None:
    """Open the local web workbench: review candidates and curate the termbase.

    Mines PATH... (files or folders) as 'glossary review' does, then serves
    four pages on this machine: Review (the candidates with their
    contexts; keys a approve, r reject, e edit the English, v variants,
    m merge with another candidate, s skip, j/k move), Termbase (search as
    'term search', edit a concept with the messages of 'validate'),
    Concordance (every occurrence of a term in PATH...) and QA ('check' of a
    bilingual file in this folder). Every change is written to the
    termbase as the commands write it. The address printed holds a random
    token; without it the workbench shows nothing. Ctrl-C stops it.

    \b
    Examples:
        glossary serve seeds/
        glossary serve seeds/ --top 500 --port 9000 --no-browser
        glossary serve        (termbase and QA pages only)
    """
    from glossary.matching.matcher import Matcher
    from glossary.mining import candidates as mining
    from glossary.termbase.store import read_termbase, resolve_termbase
    from glossary.web.server import bind
    from glossary.web.workbench import Workbench

    path = resolve_termbase(termbase_path)
    termbase = read_termbase(path)
    documents = []
    for document in _documents(paths, quiet, source_side) if paths else ():
        documents.append(document)
        for warning in document.warnings:
            info(f"warning: {warning}", quiet)
    candidates = []
    if documents:
        candidates = mining.mine(
            documents,
            known=Matcher.build(termbase.concepts),
            options=mining.Options(top=top, min_freq=min_freq),
        )
        new = sum(1 for c in candidates if c.status == "new")
        plural = "s" if len(documents) != 1 else ""
        info(
            f"{len(candidates)} candidates from {len(documents)} document{plural}, {new} new", quiet
        )
        if new and _suggestions_wanted(suggest):
            from glossary.engines.registry import load_engine

            info("Suggesting English with the installed model...", quiet)
            candidates = mining.suggest(candidates, load_engine("argos"))
    bench = Workbench(path, Path.cwd(), documents=documents, candidates=candidates, inputs=paths)
    chosen = host or "127.0.0.1"
    running = bind(bench, host=chosen, port=port)
    if chosen not in LOCAL_HOSTS:
        click.echo(
            f"Warning: serving on {chosen}, not only on this machine: anyone who can reach "
            "it and has the address below can read and change your termbase.",
            err=True,
        )
    click.echo(running.url)
    info(f"Glossary workbench for {path}: open the address above. Ctrl-C stops it.")
    if not no_browser:
        import webbrowser

        if not webbrowser.open(running.url):
            info("No browser found here: open the address above in one.")
    try:
        running.serve_forever()  # returns on Ctrl-C (Werkzeug catches it)
    except KeyboardInterrupt:
        pass
    finally:
        running.server.server_close()
    info("Stopped.")
