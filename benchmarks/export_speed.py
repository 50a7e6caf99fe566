"""Export speed and memory on large termbases, and two writers on one (issue 20).

Exports stream: the termbase file is read, validated and written out concept
by concept, so memory stays bounded and time grows linearly with the
termbase. Prints, per size and format, the wall time and the peak memory
(maximum resident set of the `glossary export` process), the ratio of time
to the smallest size, and then the time two `glossary term add` commands
started together on the largest termbase take (the second waits for the
lock, GLOSSARY_LOCK_TIMEOUT, default 120 s).

Baseline (the audit of issue 20): a TBX export of 1,000,000 concepts took
259 s and 12.7 GB, and a second writer on 1,000,000 concepts always failed
(fixed 30 s lock wait).

Run: .venv/bin/python benchmarks/export_speed.py [--sizes 100000 1000000] [--formats tbx po]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
GLOSSARY = [sys.executable, "-m", "glossary"]


def generate(path: Path, n: int) -> None:
    """A valid termbase of `n` concepts, written line by line (as glossary would)."""
    from glossary.termbase.model import HEADER, Concept, serialize_tsv, sort_key

    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyzëé"
    rows = []
    for i in range(n):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(5, 14)))
        concept = Concept(
            id=f"c{i}",
            nl=f"{word} {i}",
            en=f"term {i}",
            nl_variants=(f"{word}-{i}x",),
            en_alternatives=(f"alt {i}",),
            status=rng.choice(["approved", "approved", "proposed", "rejected"]),  # type: ignore[arg-type]
            pos="noun",
            definition="A generated concept for timing.",
            context=f"Een zin met {word} {i} erin.",
            sources=("gen.txt",),
        )
        rows.append((sort_key(concept), concept))
    rows.sort(key=lambda row: row[0])
    from glossary.termbase.model import Termbase

    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        for _, concept in rows:
            handle.write(serialize_tsv(Termbase((concept,))).split("\n", 1)[1])


def measured(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak resident memory in MB, exit status) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    assert process.stderr is not None
    process.stderr.close()
    return elapsed, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=["tbx", "tbx3", "po", "tsv", "csv"])
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[0]), int(args.generate[1]))
        return
    with tempfile.TemporaryDirectory(prefix="glossary-export-") as tmp:
        work = Path(tmp)
        base: dict[str, float] = {}
        print(f"{'concepts':>10} {'format':<6} {'time':>8} {'peak MB':>8} {'time/size':>10}")
        for size in args.sizes:
            termbase = work / f"tb{size}.tsv"
            started = time.perf_counter()
            # In a child process: a fork of a parent that still holds a million
            # concepts would count them in every later child's peak memory.
            subprocess.run(
                [sys.executable, __file__, "--generate", str(termbase), str(size)], check=True
            )
            print(
                f"# generated {size:,} concepts ({termbase.stat().st_size / 1e6:.0f} MB) in "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
            for fmt in args.formats:
                out = work / f"out.{fmt}"
                seconds, peak, status = measured(
                    [
                        *GLOSSARY,
                        "export",
                        "--termbase",
                        str(termbase),
                        "--format",
                        fmt,
                        "-o",
                        str(out),
                        "-q",
                    ],
                    work,
                )
                assert status == 0, f"export {fmt} failed"
                out.unlink()
                per = seconds / size
                base.setdefault(fmt, per)
                print(
                    f"{size:>10,} {fmt:<6} {seconds:>7.1f}s {peak:>8} {per / base[fmt]:>9.2f}x",
                    flush=True,
                )
        largest = work / f"tb{max(args.sizes)}.tsv"
        started = time.perf_counter()
        writers = [
            subprocess.Popen(
                [
                    *GLOSSARY,
                    "term",
                    "add",
                    f"schrijver {n}",
                    f"writer {n}",
                    "--termbase",
                    str(largest),
                ],
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        results = [(w.wait(), time.perf_counter() - started) for w in writers]
        print(
            f"two writers on {max(args.sizes):,} concepts: exit {[r for r, _ in results]}, "
            f"done after {', '.join(f'{t:.0f} s' for _, t in results)}"
        )


if __name__ == "__main__":
    main()
