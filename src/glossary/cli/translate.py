"""The `translate` command: documents in, English out, offline."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import CONTEXT_SETTINGS, main
from .common import info, output_stream, quiet_option

# Kept here (not imported from the library) so `glossary --help` loads nothing heavy;
# tests check they match glossary.docwriters.FORMATS and glossary.engine.ENGINES.
FORMAT_CHOICES = ("text", "tsv", "json", "po", "xliff", "tmx")
ENGINE_CHOICES = ("argos", "none")


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
    help="'argos': the installed nl→en model; 'none': empty targets, to translate by hand.",
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
    quiet: bool,
) -> None:
    """Translate Dutch documents into English with the installed Argos model.

    INPUT is a file, a folder (its .txt, .md and .html files) or '-' for stdin. Every
    sentence is translated once, in token batches, on this machine; the
    output keeps the paragraphs of the source. Formats: text (the English),
    tsv (bilingual segment table), json (segments, offsets, scores, model
    signature), po, xliff, tmx (for CAT tools). Output files appear only
    when complete: an error or Ctrl-C leaves none half written.

    \b
    Examples:
        glossary translate report.txt
        glossary translate seeds/ --out-dir out/
        glossary translate seeds/ -o seeds.tsv
        glossary translate report.txt -o report.json --beam 2 --threads 4
        glossary translate report.txt --engine none --format xliff -o report.xlf
    """
    from .. import docwriters, ingest, models
    from ..engine import load_engine
    from ..errors import OutputError
    from ..translate import PlainTranslator, plan, translate_documents

    if output is not None and out_dir is not None:
        raise click.UsageError("Give either -o/--output or --out-dir, not both.")
    to_file = output not in (None, "-")
    if fmt is None:
        fmt = docwriters.format_for_path(output) if to_file and output else "text"
    writer = docwriters.get_writer(fmt)
    if to_file and output:
        folder = Path(output).parent
        if not folder.is_dir():
            raise OutputError(
                f"Cannot write {output}: folder {folder} does not exist. Create it first."
            )
    package = models.find_package("nl", "en") if engine_name == "argos" else None

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

    engine = load_engine(engine_name, beam_size=beam, threads=threads, package=package)
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

        translated = translate_documents(documents, PlainTranslator(engine), progress=progress)
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
