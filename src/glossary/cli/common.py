"""Options and rendering helpers shared by the command modules."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from glossary.termbase.store import ENV_VAR

if TYPE_CHECKING:
    from glossary.distributed.cluster import RaySettings
    from glossary.document import Document

F = TypeVar("F", bound=Callable[..., Any])


def termbase_option(func: F) -> F:
    """`--termbase PATH` (env GLOSSARY_TERMBASE); default: the project's termbase."""
    return click.option(
        "--termbase",
        "termbase_path",
        envvar=ENV_VAR,
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Termbase TSV file. Default: glossary/termbase.tsv in this folder or a "
        f"parent (or ${ENV_VAR}).",
    )(func)


def format_option(choices: Sequence[str], default: str) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorator


def quiet_option(func: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")(
        func
    )


def source_side_option(func: F) -> F:
    """`--source-side`: read bilingual inputs (PO, XLIFF, TMX, TSV) as their source side."""
    return click.option(
        "--source-side",
        is_flag=True,
        help="Read bilingual files (PO, XLIFF, TMX, segment TSV) as the document of their "
        "Dutch source segments instead of refusing them.",
    )(func)


BACKEND_CHOICES = ("local", "ray")  # tests check it against glossary.distributed.BACKENDS


def backend_options(func: F) -> F:
    """`--backend local|ray`, `--ray-address`, `--ray-workers`: where the work runs."""
    options = [
        click.option(
            "--backend",
            type=click.Choice(BACKEND_CHOICES),
            default="local",
            show_default=True,
            help="Where the work runs: 'local' (this process) or 'ray' (a Ray cluster, "
            "same output; needs pip install 'glossary[ray]', see docs/cluster.md).",
        ),
        click.option(
            "--ray-address",
            metavar="HOST:PORT|auto",
            help="The Ray cluster to use with --backend ray: its head's HOST:PORT (what "
            "'ray start --head' prints) or 'auto' (the cluster of this node). "
            "Default: start Ray on this machine for the run.",
        ),
        click.option(
            "--ray-workers",
            type=click.IntRange(1, None),
            help="Worker processes on the cluster. Default: one per CPU.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def ray_settings(
    backend: str, address: str | None, workers: int | None, *, ship_model: bool = False
) -> RaySettings | None:
    """The Ray settings of the --backend options (None for the local backend), checked
    before any work: Ray importable, the address well-formed and reachable."""
    if backend == "local":
        given = [
            name
            for name, value in (
                ("--ray-address", address),
                ("--ray-workers", workers),
                ("--ray-ship-model", ship_model or None),
            )
            if value is not None
        ]
        if given:
            raise click.UsageError(f"{', '.join(given)} need(s) --backend ray.")
        return None
    from glossary.distributed.cluster import RaySettings, import_ray, probe

    import_ray()
    if address not in (None, "auto"):
        probe(address)
    return RaySettings(address=address, workers=workers, ship_model=ship_model)


def info(message: str, quiet: bool = False) -> None:
    """A summary or note for the user: stderr, so stdout stays data."""
    if not quiet:
        click.echo(message, err=True)


def show_notes(document: Document, quiet: bool) -> None:
    """A document's warnings (always) and notes on how it was read (unless quiet), on stderr."""
    for warning in document.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for note in document.notes:
        info(f"Note: {note}", quiet)


def dump_json(data: Any) -> str:
    """JSON as the project writes it: indent=2, UTF-8 characters kept.

    A list of flat records (the common, large case: `term list` of 100k
    concepts) is written by a fast path with the same bytes, because
    `json.dumps` with an indent falls back to its pure-Python encoder.
    """
    if isinstance(data, list) and data and all(type(r) is dict for r in data):
        try:
            return "[\n" + ",\n".join(_record(r) for r in data) + "\n]"
        except _NotFlat:
            pass
    return json.dumps(data, indent=2, ensure_ascii=False)


class _NotFlat(Exception):
    pass


_CONSTANTS = {True: "true", False: "false", None: "null"}


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _encode_str(value)
    if type(value) is bool or value is None:
        return _CONSTANTS[value]
    if type(value) is int:
        return str(value)
    raise _NotFlat


_encode_str: Callable[[str], str] = json.encoder.encode_basestring


def _record(record: dict[str, Any]) -> str:
    if not record:
        return "  {}"
    parts = []
    for key, value in record.items():
        if type(value) is list:
            text = (
                "[\n" + ",\n".join("      " + _scalar(v) for v in value) + "\n    ]"
                if value
                else "[]"
            )
        else:
            text = _scalar(value)
        parts.append(f"    {_scalar(key)}: {text}")
    return "  {\n" + ",\n".join(parts) + "\n  }"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 48) -> str:
    """Aligned columns. On a terminal (or with $COLUMNS) they fit its width, long
    cells wrapped, never cut (`glossary.cli.table`); piped, each row is one line
    and long cells are cut with an ellipsis at `max_width`."""
    from .table import output_width, render

    width = output_width()
    if width is not None:
        return render(headers, rows, width=width)

    def cut(text: str) -> str:
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + ("  {}" if len(widths) > 1 else "{}")
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
    lines.extend(fmt.format(*row).rstrip() for row in cells)
    return "\n".join(lines)


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """A text stream for `-o PATH`: stdout for None or '-', else an atomic file.

    The file appears only when the block completes, so an error or Ctrl-C
    leaves no partial output behind.
    """
    if path in (None, "-"):
        yield sys.stdout
        return
    import io

    from glossary.termbase.store import atomic_open

    assert path is not None
    with atomic_open(Path(path)) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        yield text
        text.flush()
        text.detach()
