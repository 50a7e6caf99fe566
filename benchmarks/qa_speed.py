"""Speed of terminology QA and of the concordance.

- `glossary check` on a large post-edited PO file: tests/data/qa/postedit-004.po's
  13 translated entries repeated until the file holds N entries (default 20,000,
  a year of a busy translator's letters), with the shipped termbase snapshot:
  reading (polib), checking (`qa.check_units`) and the whole command with its
  table, in its own process.
- `glossary concordance` of a concept over the seeds repeated as M documents
  (default 200 files, about 211,000 words): the whole command, JSON output.

Baselines: `check` should keep up with reading the file (its cost a few times
the reading's), and a concordance should cost little beyond reading the
documents, which may take 20 s per million words (benchmarks/segment_speed.py).

Run: .venv/bin/python benchmarks/qa_speed.py [--entries 20000] [--documents 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "qa"
GLOSSARY = [sys.executable, "-m", "glossary"]


def median_time(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_po(path: Path, entries: int) -> int:
    import polib

    source = polib.pofile(str(DATA / "postedit-004.po"), wrapwidth=0)
    translated = [e for e in source if e.msgstr]
    out = polib.POFile(wrapwidth=0)
    out.metadata = source.metadata
    for n in range(entries):
        entry = translated[n % len(translated)]
        out.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                msgctxt=f"brief-{n // len(translated)}.txt#{n}",
                occurrences=entry.occurrences,
                comment=entry.comment,
            )
        )
    out.save(str(path))
    return len(out)


def run(args: list[str]) -> None:
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from glossary import concordance as cc
    from glossary import qa
    from glossary.exchange.importing import read_units
    from glossary.termbase.store import read_termbase

    termbase = read_termbase(DATA / "termbase.tsv")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        po = folder / "big.po"
        count = big_po(po, args.entries)
        size = po.stat().st_size / 1e6
        print(f"check: {count:,} PO entries ({size:.1f} MB), {len(termbase.concepts)} concepts")
        reading = median_time(lambda: read_units(po), args.repeat)
        units = read_units(po)
        report = qa.check_units(units, termbase.concepts, file="big.po")
        checking = median_time(
            lambda: qa.check_units(units, termbase.concepts, file="big.po"), args.repeat
        )
        command = median_time(
            lambda: run([*GLOSSARY, "check", str(po), "--termbase", str(DATA / "termbase.tsv")]),
            args.repeat,
        )
        print(f"  read_units      {reading:6.2f} s")
        print(
            f"  check_units     {checking:6.2f} s  ({count / checking:,.0f} segments/s; "
            f"{report.occurrences:,} term occurrences, {len(report.violations):,} violations)"
        )
        print(f"  glossary check  {command:6.2f} s  (process, reading, checking, the table)")
        print(f"  checking / reading: {checking / reading:.2f}")

        docs = folder / "docs"
        docs.mkdir()
        seeds = sorted((ROOT / "seeds").glob("*.txt"))
        for n in range(args.documents):
            seed = seeds[n % len(seeds)]
            (docs / f"{n:04d}_{seed.name}").write_bytes(seed.read_bytes())
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in docs.iterdir())
        query = cc.resolve("Minskgroep", termbase.concepts)
        print(f"concordance: {args.documents} documents, {words:,} words, concept minskgroep")
        library = median_time(lambda: cc.search_files([str(docs)], query), args.repeat)
        found = cc.search_files([str(docs)], query)
        command = median_time(
            lambda: run(
                [
                    *GLOSSARY,
                    "concordance",
                    "Minskgroep",
                    str(docs),
                    "--termbase",
                    str(DATA / "termbase.tsv"),
                    "--format",
                    "json",
                ]
            ),
            args.repeat,
        )
        print(f"  search_files          {library:6.2f} s  ({len(found.hits):,} occurrences)")
        print(f"  glossary concordance  {command:6.2f} s  ({words / command:,.0f} words/s)")
        share = command / (20 * words / 1_000_000)
        print(f"  against the reading budget (20 s per million words): {share:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
