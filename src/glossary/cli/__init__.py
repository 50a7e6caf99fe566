"""The `glossary` command line: parse, call the library, render.

This package is the only place that imports Click. It is a package rather
than one `cli.py` because the command groups (termbase, mining, models,
translation, exchange formats) would make one file of several thousand
lines; each module here stays a thin layer over one library module.

Errors: the library raises `GlossaryError`; `GlossaryGroup.invoke` is the one
place that turns it into `Error: ...` on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from glossary import __version__
from glossary.errors import GlossaryError

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


class GlossaryGroup(click.Group):
    """A group that reports library errors as one clean message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GlossaryError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # `glossary term list | head`: the reader went away; that is fine.
            sys.stderr.close()
            raise SystemExit(0) from None


@click.group(cls=GlossaryGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="glossary")
def main() -> None:
    """Dutch→English terminology: mine terms, keep a termbase, translate
    offline with the termbase enforced, and exchange with CAT tools.

    \b
    Quick start, in a project folder with a glossary/termbase.tsv:
        glossary validate
        glossary term list
        glossary term add staakt-het-vuren ceasefire --pos noun
        glossary mine seeds/ --top 30
        glossary translate seeds/ --out-dir out/

    Run 'glossary COMMAND --help' for the options of each command.
    """


# Command modules register themselves on `main` when imported.
from . import (  # noqa: E402,F401
    concordance,
    exchange,
    fix,
    ingest,
    mine,
    model,
    review,
    serve,
    term,
    translate,
)
