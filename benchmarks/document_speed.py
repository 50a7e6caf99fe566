"""Reading and writing documents in their own format: a 100-page DOCX and a 100-page PDF.

The letter of tests/data/documents/source/kamerbrief.fodt is repeated to
about 100 pages and LibreOffice (headless) makes a .docx and a .pdf of it.
Then, for each, with --engine none (no model: the figures are glossary's own
work):

- read: `read_document` (Word: the XML parts; PDF: PDFium and the layout);
- translate: the whole `glossary translate FILE -o OUT --engine none` job
  (read, plan, enforce nothing, write the Word file back in place or, for
  the PDF, a new Word file), in-process;
- peak memory: tracemalloc's peak of each step (Python allocations) and the
  process's maximum resident size at the end.

Baselines, when installed: python-docx reading the paragraphs' text of the
same DOCX; pdfminer.six (with its layout analysis) and pypdf (text with
positions, through a visitor) reading the same PDF, the two libraries the
issue named for the choice of PDF reader.

Run: .venv/bin/python benchmarks/document_speed.py [--pages 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "documents" / "source" / "kamerbrief.fodt"


def make_documents(folder: Path, pages: int) -> tuple[Path, Path]:
    """A long letter as .docx and .pdf, made by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit(
            "LibreOffice (soffice) is needed to make the documents: apt-get install "
            "libreoffice-writer-nogui"
        )
    text = SOURCE.read_text("utf-8")
    start = text.index('<text:p text:style-name="Text_20_body">Het conflict tussen')
    end = text.index('<text:p text:style-name="Text_20_body">De Minister van')
    body = text[start:end]
    copies = max(1, round(pages * 1.07))  # about 0.93 pages per copy
    text = (
        text[:start] + "".join(body.replace("ftn2", f"ftn{i}x") for i in range(copies)) + text[end:]
    )
    fodt = folder / "lang.fodt"
    fodt.write_text(text, "utf-8")
    for target in ("docx:MS Word 2007 XML", "pdf"):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo",
             "--convert-to", target, "--outdir", str(folder), str(fodt)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    return folder / "lang.docx", folder / "lang.pdf"


def measure(call: Callable[[], object], rounds: int) -> tuple[float, float, object]:
    """(median seconds, tracemalloc peak MB of one run, the last result)."""
    times = []
    result: object = None
    for _ in range(rounds):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return sorted(times)[len(times) // 2], peak / 1024 / 1024, result


def translate_job(path: Path, out: Path) -> None:
    from glossary.translation import job

    plan = job.plan_job(
        job.JobRequest(inputs=(str(path),), output=str(out), engine="none", glossary=False)
    )
    job.execute(plan)


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from glossary.reading.ingest import read_document

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        docx_path, pdf_path = make_documents(folder, args.pages)
        print(f"made by LibreOffice in {time.perf_counter() - started:.1f} s: "
              f"{docx_path.name} {docx_path.stat().st_size / 1024:.0f} KB, "
              f"{pdf_path.name} {pdf_path.stat().st_size / 1024:.0f} KB, "
              f"{pages_of(pdf_path)} PDF pages")  # fmt: skip
        rows: list[tuple[str, float, float, str]] = []

        seconds, peak, doc = measure(lambda: read_document(str(docx_path)), args.rounds)
        segments = len(doc.segments)  # type: ignore[attr-defined]
        rows.append(("DOCX read (glossary)", seconds, peak, f"{segments:,} segments"))
        docx_read = seconds
        seconds, peak, _ = measure(
            lambda: translate_job(docx_path, folder / "lang.en.docx"), args.rounds
        )
        rows.append(("DOCX translate --engine none -o .docx", seconds, peak, "read + write"))
        try:
            import docx

            def python_docx() -> int:
                document = docx.Document(str(docx_path))
                return sum(len(p.text) for p in document.paragraphs)

            seconds, peak, _ = measure(python_docx, args.rounds)
            rows.append(("DOCX baseline: python-docx paragraph text", seconds, peak,
                         f"glossary/python-docx {docx_read / seconds:.2f}x"))  # fmt: skip
        except ImportError:
            rows.append(("DOCX baseline: python-docx", 0.0, 0.0, "not installed"))

        seconds, peak, doc = measure(lambda: read_document(str(pdf_path)), args.rounds)
        segments = len(doc.segments)  # type: ignore[attr-defined]
        rows.append(
            ("PDF read (glossary, PDFium + layout)", seconds, peak, f"{segments:,} segments")
        )
        pdf_read = seconds
        seconds, peak, _ = measure(
            lambda: translate_job(pdf_path, folder / "lang.pdf.en.docx"), args.rounds
        )
        rows.append(("PDF translate --engine none -o .docx", seconds, peak, "read + new Word file"))
        try:
            from pdfminer.high_level import extract_pages
            from pdfminer.layout import LAParams

            def pdfminer_read() -> int:
                return sum(
                    1 for page in extract_pages(str(pdf_path), laparams=LAParams()) for _ in page
                )

            seconds, peak, _ = measure(pdfminer_read, 1)
            rows.append(("PDF baseline: pdfminer.six with layout", seconds, peak,
                         f"pdfminer/glossary {seconds / pdf_read:.1f}x"))  # fmt: skip
        except ImportError:
            rows.append(("PDF baseline: pdfminer.six", 0.0, 0.0, "not installed"))
        try:
            import pypdf

            def pypdf_read() -> int:
                found: list[tuple[str, float]] = []
                for page in pypdf.PdfReader(str(pdf_path)).pages:
                    page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: found.append((t, fs)))
                return len(found)

            seconds, peak, _ = measure(pypdf_read, 1)
            rows.append(("PDF baseline: pypdf with positions", seconds, peak,
                         f"pypdf/glossary {seconds / pdf_read:.1f}x"))  # fmt: skip
        except ImportError:
            rows.append(("PDF baseline: pypdf", 0.0, 0.0, "not installed"))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'median s':>9}  {'peak MB':>8}  note")
    for name, seconds, peak, note in rows:
        print(f"{name:<{width}}  {seconds:9.2f}  {peak:8.1f}  {note}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process maximum resident size: {rss:.0f} MB")


if __name__ == "__main__":
    main()
