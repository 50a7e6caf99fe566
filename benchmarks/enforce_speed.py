"""Glossary enforcement speed: translating the seeds with and without enforcement.

Baseline: `glossary.translation.pipeline.PlainTranslator` (the engine's best hypothesis,
what `glossary translate --no-glossary` does). Contender: `glossary.enforcement.cascade.
Enforcer` with the shipped termbase (glossary/termbase.tsv) and the options
given (default: those of `glossary translate`). Both translate every
translatable segment of seeds/ through `translate_documents`, in --rounds
rounds whose order alternates, so load changes on a shared machine hit both.

The model is the Argos-size random stand-in of benchmarks/translate_speed.py
(6+6 layers, d=512, 8 heads, FFN 2048, 32k vocabulary, int8; built once per
--workdir), with the same decoding cap (1.1 x the source tokens + 1) so the
random model, which never stops by itself, decodes a real model's amount.
Beam 4, all cores. Sockets are blocked: nothing is downloaded.

Printed: both times and the overhead (target: at most 25 %), the same in
CPU time of all the process's threads (steadier on a machine shared with
other jobs, whose load moves wall times by tens of percent), where the
enforcer's engine time went (first pass, step 2, step 3), the enforcement
report's summary and repair notes, whether segments without terms came out
identical to the baseline, and the independent term accuracy
(`glossary.qa.check_units`). With --budgets 0,5,20 the enforcer runs once
per re-decode budget (percent of the source text) to show the trade-off.

Usage: .venv/bin/python benchmarks/enforce_speed.py [--rounds N] [--budgets LIST]
       [--threads N] [--beam N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from translate_speed import block_sockets, decode_options, install_bench_package  # noqa: E402

TIMES: collections.Counter[str] = collections.Counter()
COUNTING = [False]  # only the enforcer's runs are attributed


def time_engine_calls() -> None:
    """Attribute the engine's decoding time to first pass, step 2 and step 3
    (re-decodes are the requests in the repair mode, step 3's with a prefix;
    step 2's include its probe)."""
    from glossary.engines.argos.engine import ArgosEngine

    original = ArgosEngine.translate_batch

    def timed(self: ArgosEngine, requests: Sequence[Any]) -> Any:
        if not requests or requests[0].max_new_tokens is None:
            kind = "first pass"
        else:
            kind = "step 3 (prefix)" if requests[0].prefix else "step 2 (mask)"
        started = time.perf_counter()
        out = original(self, requests)
        if COUNTING[0]:
            TIMES[kind] += time.perf_counter() - started
        return out

    ArgosEngine.translate_batch = timed  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    from glossary.engines.argos.engine import available_cores

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--budgets",
        default="",
        help="comma-separated re-decode budgets in percent (default: the CLI default only)",
    )
    parser.add_argument("--threads", type=int, default=available_cores())
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--workdir", type=Path, help="keep the built model here between runs")
    args = parser.parse_args(argv)

    block_sockets()
    with tempfile.TemporaryDirectory(prefix="glossary-enforce-bench-") as scratch:
        return run(install_bench_package(Path(scratch), args.workdir), args)


def run(package: Any, args: argparse.Namespace) -> int:
    from glossary import qa
    from glossary.enforcement.cascade import EnforceOptions, Enforcer
    from glossary.enforcement.report import build_report
    from glossary.engines.argos.engine import ArgosEngine
    from glossary.exchange.registry import BilingualUnit
    from glossary.matching.verify import Glossary
    from glossary.reading import ingest
    from glossary.termbase.store import read_termbase
    from glossary.translation import pipeline as tr

    engine = ArgosEngine(
        package, beam_size=args.beam, threads=args.threads, decode=decode_options()
    )
    termbase = read_termbase(ROOT / "glossary" / "termbase.tsv")
    glossary = Glossary(termbase.concepts)
    documents = list(ingest.read_documents([str(ROOT / "seeds")]))
    work = tr.plan(documents)
    default = EnforceOptions()
    budgets = [float(b) / 100 for b in args.budgets.split(",") if b.strip()] or [
        default.redecode_budget
    ]
    print(
        f"model: random, 6+6 layers, d=512, 8 heads, FFN 2048, 32k vocabulary, int8; "
        f"beam {args.beam}, {args.threads} thread(s), decoding capped at ~1.15 x source"
    )
    print(
        f"input: seeds/, {work.total} segments ({work.unique} distinct); termbase: "
        f"{len(glossary)} approved concepts"
    )
    tr.translate_documents(documents[:1], tr.PlainTranslator(engine))  # warm up
    time_engine_calls()

    for budget in budgets:
        options = EnforceOptions(redecode_budget=budget)
        plain_seconds = enforce_seconds = plain_cpu = enforce_cpu = 0.0
        plain_docs: list[Any] = []
        enforced_docs: list[Any] = []
        enforcer = Enforcer(engine, glossary, options)
        TIMES.clear()
        for number in range(args.rounds):
            order = ["plain", "enforce"] if number % 2 == 0 else ["enforce", "plain"]
            for which in order:
                started = time.perf_counter()
                cpu = time.process_time()
                if which == "plain":
                    plain_docs = tr.translate_documents(documents, tr.PlainTranslator(engine))
                    plain_seconds += time.perf_counter() - started
                    plain_cpu += time.process_time() - cpu
                else:
                    enforcer = Enforcer(engine, glossary, options)  # fresh notes each round
                    COUNTING[0] = True
                    enforced_docs = tr.translate_documents(documents, enforcer)
                    COUNTING[0] = False
                    enforce_seconds += time.perf_counter() - started
                    enforce_cpu += time.process_time() - cpu
            print(f"  round {number + 1}/{args.rounds} done", file=sys.stderr)
        overhead = enforce_seconds / plain_seconds - 1
        print()
        print(f"re-decode budget {budget:.0%} of the source text, {args.rounds} rounds:")
        print(f"  plain translation      {plain_seconds / args.rounds:7.1f} s per run")
        print(f"  with enforcement       {enforce_seconds / args.rounds:7.1f} s per run")
        print(f"  overhead               {overhead:+7.1%}   (target <= +25%)")
        cpu_overhead = enforce_cpu / plain_cpu - 1 if plain_cpu else 0.0
        print(
            f"  CPU time (all threads) {plain_cpu / args.rounds:7.1f} s plain, "
            f"{enforce_cpu / args.rounds:.1f} s enforced: {cpu_overhead:+.1%} "
            "(steadier than wall time on a shared machine)"
        )
        per_run = {k: v / args.rounds for k, v in TIMES.items()}
        plain_run = plain_seconds / args.rounds
        rest = enforce_seconds / args.rounds - sum(per_run.values())
        shares = {
            "first pass": per_run.get("first pass", 0.0) - plain_run,
            "step 2 (mask)": per_run.get("step 2 (mask)", 0.0),
            "step 3 (prefix)": per_run.get("step 3 (prefix)", 0.0),
            "matching, verifying, editing": rest,
        }
        print(
            "  where the overhead goes: "
            + ", ".join(f"{k} {v / plain_run:+.1%}" for k, v in shares.items())
            + " (first pass: its time minus the whole plain run)"
        )
        report = build_report(enforced_docs, glossary, enforcer.notes())
        print("  " + report.summary())
        for note in enforcer.notes():
            skipped = ", ".join(f"{n} {why}" for why, n in sorted(note.skipped.items()))
            print(
                f"  {note.step}: {note.attempted} attempted, {note.succeeded} succeeded"
                + (f"; not tried: {skipped}" if skipped else "")
                + (f"; dropped: {note.dropped}" if note.dropped else "")
            )
        same = total = 0
        units = []
        for plain_doc, doc in zip(plain_docs, enforced_docs, strict=True):
            for p, s in zip(plain_doc.segments, doc.segments, strict=True):
                if not s.segment.translate:
                    continue
                units.append(BilingualUnit(s.segment.text, s.target, ref=s.segment.ref))
                if not s.terms:
                    total += 1
                    same += p.target == s.target
        independent = qa.check_units(units, termbase.concepts)
        print(f"  segments without terms identical to the plain translation: {same}/{total}")
        print(f"  independent QA: {independent.summary()}")
        met = overhead <= 0.25 and same == total and independent.accuracy == 1.0
        print("  targets met" if met else "  TARGETS MISSED (a busy machine? run again)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
