"""Reading speed: decoding + clean-up + segmentation of 1 million words (issue 3).

Baseline named in the issue: segmenting 1 million words takes under 20 s.
The input is the five seed documents repeated until they hold 1M words,
timed three ways:

- one 1M-word file through `glossary.reading.ingest.read_document`;
- the same words as separate seed-sized files through `read_documents`
  (a folder of documents, as `glossary segment seeds/` reads them), and of
  that the folder scan alone (`sources.gather`: each file's format told from
  its first bytes);
- `glossary segment FILE --format json -o /dev/null` end to end (process
  start, lexicon load, JSON output included).

Run: .venv/bin/python benchmarks/segment_speed.py [--words 1000000] [--repeat 3]
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
BUDGET = 20.0


def median_time(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, seconds: float, words: int) -> None:
    scaled = seconds * 1_000_000 / words
    print(
        f"{label:<44} {seconds:7.2f} s  {words / seconds:>10,.0f} words/s  "
        f"{scaled:6.2f} s per 1M words = {scaled / BUDGET:5.2f}x of the {BUDGET:.0f} s budget"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from glossary.lang import nl
    from glossary.reading import ingest

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    seed_words = sum(len(s.split()) for s in seeds)
    copies = -(-args.words // seed_words)
    start = time.perf_counter()
    nl.load_lexicon()
    print(f"lexicon load (once per process)              {time.perf_counter() - start:7.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_text("\n\n\n".join(["\n\n\n".join(seeds)] * copies), encoding="utf-8")
        words = len(big.read_text(encoding="utf-8").split())
        print(f"input: {copies} copies of the 5 seeds = {words:,} words, "
              f"{big.stat().st_size / 1e6:.1f} MB")  # fmt: skip

        docs = []
        t = median_time(lambda: docs.append(ingest.read_document(str(big))), args.repeat)
        doc = docs[-1]
        print(
            f"  {len(doc.paragraphs):,} paragraphs, {len(doc.segments):,} segments, "
            f"{len(doc.repairs):,} repairs"
        )
        report("read_document, one 1M-word file", t, words)

        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i in range(copies):
            for j, text in enumerate(seeds):
                (folder / f"{i:05d}_{j}.txt").write_text(text, encoding="utf-8")
        t = median_time(lambda: list(ingest.read_documents([str(folder)])), args.repeat)
        report(f"read_documents, {copies * len(seeds):,} seed files", t, words)
        # Of which: finding the files and telling each one's format from its first bytes.
        from glossary.reading import sources

        t = median_time(lambda: sources.gather([str(folder)]), args.repeat)
        files = copies * len(seeds)
        print(
            f"  of which gather (folder scan, format of each file) {t:5.2f} s = "
            f"{t / files * 1000:.2f} ms per file"
        )

        cmd = [sys.executable, "-m", "glossary", "segment", str(big), "--format", "json",
               "-o", "/dev/null", "-q"]  # fmt: skip
        t = median_time(
            lambda: subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL),
            max(1, args.repeat - 1),
        )
        report("glossary segment --format json (CLI)", t, words)


if __name__ == "__main__":
    main()
