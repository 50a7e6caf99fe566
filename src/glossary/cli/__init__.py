"""The `glossary` command line: parse, call the library, render.

This package is the only place that imports Click. It is a package rather
than one `cli.py` because the command groups (termbase, mining, models,
translation, exchange formats) would make one file of several thousand
lines; each module here stays a thin layer over one library module.

Errors: the library raises `GlossaryError`; `GlossaryGroup.invoke` is the one
place that turns it into `Error: ...` on stderr and exit status 1. An
`OSError` that escapes the library (a disk that fills up while writing to
stdout, a file system that fails) is an environment problem, not a bug: it
gets the message `glossary.files.oserrors.describe` gives it, never a
traceback. Ctrl-C ends with Click's "Aborted!" and status 1 (also while the
command line is still being imported: see `glossary.__main__`).
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
        _prepare_streams()
        from glossary.termbase import store

        store.set_lock_notice(lambda message: click.echo(message, err=True))
        try:
            return super().invoke(ctx)
        except GlossaryError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # `glossary term list | head`: the reader went away; that is fine.
            sys.stderr.close()
            raise SystemExit(0) from None
        except OSError as exc:
            from glossary.files.oserrors import describe

            raise click.ClickException(describe(exc)) from None


def _prepare_streams() -> None:
    """File names that are not valid UTF-8 reach Python as surrogate escapes;
    stdout writes them back as the bytes they were (as `ls` does) instead of
    failing with UnicodeEncodeError. (stderr already shows them as \\xNN.)"""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    encoding = str(getattr(sys.stdout, "encoding", "")).lower().replace("-", "")
    if reconfigure is not None and encoding == "utf8":
        reconfigure(errors="surrogateescape")


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
