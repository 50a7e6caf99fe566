"""Start-up and termbase command speed (issue: foundation).

Baselines named in the issue: `glossary --help` and `glossary term list` on the
shipped termbase start in under 0.3 s; `term list`, `term search` and
`validate` on a generated 100,000-concept termbase finish in under 2 s each.
Also prints the cost of bare `python -c pass` as the floor nobody can beat.

Run: .venv/bin/python benchmarks/termbase_speed.py [--concepts 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = [sys.executable, "-m", "glossary"]


def timed(cmd: list[str], repeat: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generate(path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from glossary.termbase.model import Concept, Termbase
    from glossary.termbase.store import write_termbase

    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyzëé"
    concepts = []
    for i in range(n):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(5, 14)))
        concepts.append(
            Concept(
                id=f"c{i}",
                nl=f"{word} {i}",
                en=f"term {i}",
                nl_variants=(f"{word}-{i}x",),
                en_alternatives=(f"alt {i}",),
                status=rng.choice(["approved", "approved", "proposed", "rejected"]),
                pos="noun",
                definition="A generated concept for timing.",
                context=f"Een zin met {word} {i} erin.",
                sources=("gen.txt",),
            )
        )
    write_termbase(path, Termbase(tuple(concepts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    floor = timed([sys.executable, "-c", "pass"], args.repeat)
    print(f"python -c pass (floor)                 {floor:6.3f} s")
    budget = 0.3
    shipped = (ROOT / "glossary" / "termbase.tsv").is_file()
    for label, cmd in [
        ("glossary --help", [*GLOSSARY, "--help"]),
        ("glossary term list (shipped)", [*GLOSSARY, "term", "list"]),
        ("glossary validate (shipped)", [*GLOSSARY, "validate"]),
    ]:
        if "shipped" in label and not shipped:
            print(f"{label:<38} skipped: no glossary/termbase.tsv")
            continue
        t = timed(cmd, args.repeat)
        print(f"{label:<38} {t:6.3f} s   {t / budget:5.2f}x of the {budget} s budget")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.tsv"
        generate(path, args.concepts)
        size = path.stat().st_size / 1e6
        print(f"\ngenerated {args.concepts:,} concepts ({size:.1f} MB)")
        budget = 2.0
        for label, sub in [
            ("term list", ["term", "list"]),
            ("term list --format json", ["term", "list", "--format", "json"]),
            ("term search ëé", ["term", "search", "ëé"]),
            ("validate", ["validate"]),
        ]:
            t = timed([*GLOSSARY, *sub, "--termbase", str(path)], max(1, args.repeat // 2))
            note = "  (JSON: not one of the issue's targets)" if "json" in label else ""
            print(f"{label:<38} {t:6.3f} s   {t / budget:5.2f}x of the {budget} s budget{note}")


if __name__ == "__main__":
    main()
