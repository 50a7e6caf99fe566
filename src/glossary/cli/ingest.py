"""`glossary segment`: show how documents are read, cleaned and split."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import click

from . import CONTEXT_SETTINGS, main
from .common import (
    dump_json,
    format_option,
    info,
    output_stream,
    quiet_option,
    show_notes,
    source_side_option,
)

if TYPE_CHECKING:
    from glossary.document import Document


@main.command("segment", context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, metavar="FILE...")
@format_option(["text", "json"], "text")
@click.option(
    "--no-repair",
    is_flag=True,
    help="Do not repair OCR diacritics (keep 'Armenié' as it is).",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Write to this file instead of stdout ('-').",
)
@source_side_option
@quiet_option
def segment(
    inputs: tuple[str, ...], fmt: str, no_repair: bool, output: str, source_side: bool, quiet: bool
) -> None:
    """Split documents into paragraphs and sentences, as translation sees them.

    FILE may be a .txt, .md or .html file, a folder (read recursively; every
    file that is not read is named with the reason) or '-' for stdin. A
    bilingual file (PO, XLIFF, TMX) is refused with a hint, or read as its
    source side with --source-side. Text output has one line per segment:
    FILE:LINE, the paragraph number, the kind (text, heading, item,
    footnote, furniture) and the text, with a blank line between
    paragraphs. Every clean-up (hyphen joined or kept, footnote marker
    removed, OCR repair, paragraph joined across a page break) is listed on
    stderr, or under "repairs" in JSON.

    \b
    Examples:
        glossary segment seeds/004_2e6791538f2596e0.txt
        glossary segment seeds/ --format json -o segments.json
        glossary segment --no-repair scan.txt
        pdftotext -layout brief.pdf - | glossary segment -
        glossary segment job.xlf --source-side
    """
    from glossary.reading import ingest
    from glossary.reading.sources import gather

    found = gather(inputs, source_side=source_side)
    for skipped in found.skipped:
        info(f"Skipped {skipped}", quiet)
    documents: list[dict[str, Any]] = []
    with output_stream(output) as out:
        first = True
        for doc in ingest.read_documents(
            found.files, repair=not no_repair, source_side=source_side
        ):
            show_notes(doc, quiet)
            if fmt == "json":
                documents.append(_document_json(doc))
            else:
                if doc.paragraphs and not first:
                    out.write("\n")
                first = first and not doc.paragraphs
                _write_text(doc, out)
                if not quiet:
                    for r in doc.repairs:
                        detail = f" ({r.detail})" if r.detail else ""
                        click.echo(
                            f"{doc.path}:{r.line}: {r.reason}: {r.original} → {r.repaired}{detail}",
                            err=True,
                        )
            info(
                f"{doc.path}: {len(doc.paragraphs)} paragraphs, {len(doc.segments)} segments, "
                f"{len(doc.repairs)} repairs",
                quiet,
            )
        if fmt == "json":
            out.write(dump_json(documents) + "\n")


def _write_text(doc: Document, out: IO[str]) -> None:
    for i, paragraph in enumerate(doc.paragraphs):
        if i:
            out.write("\n")
        for seg in paragraph.segments:
            text = seg.text.replace("\t", " ").replace("\n", " ")
            kind = f"{seg.kind} ({seg.location})" if seg.location else seg.kind
            out.write(f"{seg.ref}\t¶{paragraph.index}\t{kind}\t{text}\n")


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "format": doc.format or "text",
        "warnings": list(doc.warnings),
        "notes": list(doc.notes),
        "repairs": [
            {
                "line": r.line,
                "reason": r.reason,
                "original": r.original,
                "repaired": r.repaired,
                "detail": r.detail,
            }
            for r in doc.repairs
        ],
        "paragraphs": [
            {
                "index": p.index,
                "kind": p.kind,
                "line": p.line,
                "segments": [
                    {
                        "index": s.index,
                        "kind": s.kind,
                        "ref": s.ref,
                        "location": s.location,
                        "line": s.line,
                        "end_line": s.end_line,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    }
                    for s in p.segments
                ],
            }
            for p in doc.paragraphs
        ],
    }
