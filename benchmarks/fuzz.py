"""Long fuzz run over every importer, document reader and bilingual reader (issue 20).

Runs the seeded mutation fuzzer of tests/fuzzing.py (the suite runs a short
form of it in tests/test_fuzz.py) and prints, per target and in total, the
cases run and the counts that must stay zero: tracebacks, hangs over the
limit, termbase changes after a refused import or update, and exports that
fail after an accepted one. The targets come from the format registry and
the document reader's suffixes, so new readers are fuzzed without changing
this script. Findings are saved (bytes and traceback) for --replay.

Baseline (the audit of issue 20): 25,000 mutated inputs gave 13 document
hangs (a dot run made sentence splitting exponential); the goal is zero of
everything over at least 25,000 cases.

Run: .venv/bin/python benchmarks/fuzz.py [--cases 25500] [--seed 1] [--hang-limit 10]
     .venv/bin/python benchmarks/fuzz.py --replay import:po:1234 [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=25_500, help="total cases (split evenly)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang-limit", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--only", default="", help="only targets whose name contains this")
    parser.add_argument("--save", type=Path, default=Path("/tmp/glossary-fuzz-findings"))
    parser.add_argument("--replay", default="", help="TARGET:INDEX: write that case and run it")
    args = parser.parse_args()

    if args.replay:
        name, _, index = args.replay.rpartition(":")
        data = fuzzing.replay(name, args.seed, int(index))
        target = next(t for t in fuzzing.targets() if t.name == name)
        args.save.mkdir(parents=True, exist_ok=True)
        out = args.save / f"replay{target.suffix}"
        out.write_bytes(data)
        runner = fuzzing.Runner(args.hang_limit)
        try:
            outcome, detail, took = runner.run(target, data)
        finally:
            runner.close()
        print(
            f"{name} case {index} ({len(data):,} bytes, saved as {out}): {outcome} in {took:.2f} s"
        )
        if detail:
            print(detail)
        return 0

    selected = [t for t in fuzzing.targets() if args.only in t.name]
    per_target = max(1, -(-args.cases // len(selected)))
    print(
        f"{len(selected)} targets x {per_target} cases, seed {args.seed}, "
        f"hang limit {args.hang_limit:.0f} s"
    )
    header = (
        f"{'target':<20} {'cases':>6} {'accepted':>8} {'refused':>8} {'traceback':>9} "
        f"{'hang':>5} {'changed':>7} {'export':>7} {'slowest':>8}"
    )
    print(header)
    print("-" * len(header))
    started = time.monotonic()

    def show(name: str, tally: fuzzing.Tally) -> None:
        o = tally.outcomes
        print(
            f"{name:<20} {tally.cases:>6} {o['accepted']:>8} {o['refused']:>8} "
            f"{o['traceback']:>9} {o['hang']:>5} {o['changed']:>7} {o['export-failed']:>7} "
            f"{tally.slowest:>7.2f}s",
            flush=True,
        )

    tallies = fuzzing.fuzz(
        per_target, seed=args.seed, hang_limit=args.hang_limit, only=args.only, progress=show
    )
    total = fuzzing.totals(tallies)
    elapsed = time.monotonic() - started
    print("-" * len(header))
    slowest = max(t.slowest for t in tallies.values())
    print(
        f"{'total':<20} {total['cases']:>6} {total['accepted']:>8} {total['refused']:>8} "
        f"{total['traceback']:>9} {total['hang']:>5} {total['changed']:>7} "
        f"{total['export-failed']:>7} {slowest:>7.2f}s"
    )
    print(
        f"{total['cases']:,} cases in {elapsed:.0f} s ({total['cases'] / elapsed:.0f} cases/s); "
        f"tracebacks {total['traceback']}, hangs over {args.hang_limit:.0f} s {total['hang']}, "
        f"termbase changes after refusals {total['changed']}, exports failing after accepted "
        f"imports {total['export-failed']}"
    )
    bad = sum(total[k] for k in fuzzing.BAD)
    if bad:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, tally in tallies.items():
            for outcome, index, detail, hexdata in tally.findings:
                stem = f"{name.replace(':', '_').replace('.', '')}-{index}-{outcome}"
                (args.save / f"{stem}.bin").write_bytes(bytes.fromhex(hexdata))
                (args.save / f"{stem}.txt").write_text(detail)
        print(f"findings saved in {args.save} (replay: --replay TARGET:INDEX --seed {args.seed})")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
