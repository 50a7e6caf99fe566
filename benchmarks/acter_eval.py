"""ACTER Dutch term-extraction benchmark, by the protocol of ../shared/acter/README.md.

For each domain (corruption, dressage, wind energy): read the domain's
`annotated/texts/` with glossary.reading.ingest, mine it with glossary.mining.candidates
(default options), walk the candidates in rank order collecting their
surface strings (every variant counts as its own string, lowercased,
duplicates dropped) until K strings are collected, K being the size of the
gold list, and score them by exact match against the gold list, with and
without named entities. Precision = recall = F1 under this protocol.

The data is read where it lies and never copied. The baselines are the
figures the README lists for this protocol.

Usage: .venv/bin/python benchmarks/acter_eval.py [ACTER_PATH] [--domain corp] [--show N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from glossary.mining import candidates as mining
from glossary.reading import ingest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("corp", "equi", "wind")
# (C-value, termhood vs wordfreq, C-value x termhood) F1, with NEs / without,
# from ../shared/acter/README.md.
BASELINES = {
    "corp": ((19.6, 15.5), (16.6, 15.9), (17.9, 18.3)),
    "equi": ((26.4, 27.4), (25.1, 26.1), (26.4, 28.0)),
    "wind": ((15.2, 13.7), (20.6, 20.9), (18.3, 21.1)),
}


def gold(folder: Path, domain: str, with_ne: bool) -> set[str]:
    name = f"{domain}_nl_terms_nes.tsv" if with_ne else f"{domain}_nl_terms.tsv"
    path = folder / domain / "annotated" / "annotations" / "unique_annotation_lists" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0].strip().lower() for line in lines if line.strip()}


def ranked_strings(candidates: list[mining.Candidate], k: int) -> list[str]:
    strings: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        for form in candidate.forms:
            key = form.lower()
            if key in seen:
                continue
            seen.add(key)
            strings.append(key)
            if len(strings) == k:
                return strings
    return strings


def score(strings: list[str], terms: set[str]) -> tuple[float, float, float]:
    hits = sum(1 for s in strings if s in terms)
    precision = 100 * hits / len(strings) if strings else 0.0
    recall = 100 * hits / len(terms)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("acter", nargs="?", default=str(ROOT.parent / "shared" / "acter"))
    parser.add_argument("--domain", choices=DOMAINS, action="append")
    parser.add_argument("--show", type=int, default=0, help="Print the top N candidates.")
    args = parser.parse_args()
    folder = Path(args.acter) / "nl"
    if not folder.is_dir():
        sys.exit(f"No ACTER data at {folder}: give the ACTER folder as the first argument.")

    print("ACTER 1.5 Dutch, protocol of shared/acter/README.md (K = gold list size)")
    print(
        f"{'domain':<6} {'gold':>10} {'K':>5} {'P':>6} {'R':>6} {'F1':>6}  "
        f"{'best baseline':>13} {'margin':>7}"
    )
    margins: list[float] = []
    for domain in args.domain or DOMAINS:
        start = time.perf_counter()
        texts = folder / domain / "annotated" / "texts"
        documents = list(ingest.read_documents([str(texts)]))
        candidates = mining.mine(documents, options=mining.Options(contexts=0))
        seconds = time.perf_counter() - start
        for with_ne, label in ((True, "with NEs"), (False, "no NEs")):
            terms = gold(folder, domain, with_ne)
            strings = ranked_strings(candidates, len(terms))
            p, r, f1 = score(strings, terms)
            best = max(b[0 if with_ne else 1] for b in BASELINES[domain])
            margins.append(f1 - best)
            print(
                f"{domain:<6} {label:>10} {len(terms):>5} {p:6.1f} {r:6.1f} {f1:6.1f}  "
                f"{best:13.1f} {f1 - best:+7.1f}"
            )
        print(
            f"{'':<6} ({len(documents)} documents, {len(candidates):,} candidates, {seconds:.1f} s)"
        )
        if args.show:
            terms = gold(folder, domain, True)
            for n, c in enumerate(candidates[: args.show], 1):
                mark = "+" if c.term.lower() in terms else " "
                print(f"    {n:4d} {mark} {c.term} ({c.kind}, {c.frequency})")
    print()
    print("Baselines (README, same protocol): C-value, termhood vs wordfreq, C-value x termhood.")
    print(
        f"Smallest margin over the best baseline: {min(margins):+.1f} F1 points "
        "(target: +10 in every domain, with and without NEs)."
    )


if __name__ == "__main__":
    main()
