"""Mining speed and memory on 1 million words, and the ratio to YAKE.

Text: the ACTER Dutch texts (if the ACTER folder is given or found at
../shared/acter) and the seeds, cut into documents of about 5,000 words and
repeated until the total reaches the target. Reading (glossary.reading.ingest) is
timed apart from mining (glossary.mining.candidates.mine with the default options and
contexts). YAKE (the keyword extractor, n-grams up to 3, Dutch stopwords) is
timed on a slice and scaled up, as it takes minutes on the whole text.

Usage: .venv/bin/python benchmarks/mining_speed.py [ACTER_PATH] [--words N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from glossary.lang import nl
from glossary.mining import candidates as mining
from glossary.reading import ingest

ROOT = Path(__file__).resolve().parent.parent


def source_texts(acter: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    folder = acter / "nl"
    if folder.is_dir():
        texts += [
            p.read_text(encoding="utf-8") for p in sorted(folder.glob("*/annotated/texts/*.txt"))
        ]
    return texts


def chunks(texts: list[str], size: int = 5000) -> list[str]:
    out: list[str] = []
    for text in texts:
        lines = text.splitlines()
        current: list[str] = []
        words = 0
        for line in lines:
            current.append(line)
            words += len(line.split())
            if words >= size:
                out.append("\n".join(current))
                current, words = [], 0
        if current:
            out.append("\n".join(current))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("acter", nargs="?", default=str(ROOT.parent / "shared" / "acter"))
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--yake-words", type=int, default=50_000)
    args = parser.parse_args()

    pieces = chunks(source_texts(Path(args.acter)))
    texts: list[str] = []
    total = 0
    while total < args.words:
        for piece in pieces:
            texts.append(piece)
            total += len(piece.split())
            if total >= args.words:
                break
    print(f"{len(texts)} documents, {total:,} words")
    print("(figures from a shared machine: other jobs may be running)\n")

    nl.load_lexicon()  # word lists are loaded once per process; not part of mining
    start = time.perf_counter()
    documents = [ingest.read_document(f"doc{n:04d}.txt", text=t) for n, t in enumerate(texts)]
    read_s = time.perf_counter() - start
    print(f"reading (ingest):  {read_s:7.1f} s")

    start = time.perf_counter()
    candidates = mining.mine(documents)
    mine_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"mining:            {mine_s:7.1f} s  ({total / mine_s:,.0f} words/s, "
        f"{len(candidates):,} candidates)"
    )
    print(f"peak memory:       {peak_mb:7.0f} MB")

    import yake

    slice_words = 0
    sample: list[str] = []
    for text in texts:
        sample.append(text)
        slice_words += len(text.split())
        if slice_words >= args.yake_words:
            break
    extractor = yake.KeywordExtractor(lan="nl", n=3, top=100)
    start = time.perf_counter()
    extractor.extract_keywords("\n\n".join(sample))
    yake_slice_s = time.perf_counter() - start
    yake_s = yake_slice_s * total / slice_words
    print(
        f"YAKE:              {yake_slice_s:7.1f} s on {slice_words:,} words "
        f"≈ {yake_s:.0f} s for {total:,}"
    )
    print()
    print(f"mining 1M words: {mine_s:.1f} s (target < 60 s), {peak_mb:.0f} MB (target < 2048 MB)")
    print(f"ratio to YAKE: {mine_s / yake_s:.2f}x the time (lower is faster)")
    if mine_s > 60 or peak_mb > 2048:
        print("TARGET MISSED", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
