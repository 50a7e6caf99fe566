"""The short form of the fuzz run (benchmarks/fuzz.py is the long one, 25,000+
cases): a fixed seed, every target from the registries, zero tracebacks,
hangs, termbase changes after refusals and failing exports."""

from __future__ import annotations

import pytest

import fuzzing

CASES_PER_TARGET = 30


def test_every_reader_is_a_target() -> None:
    from glossary.files.formats import names as readers

    names = {t.name for t in fuzzing.targets()}
    assert {f"import:{n}" for n in readers("termbase-reader")} <= names
    assert {f"units:{n}" for n in readers("bilingual-reader")} <= names
    assert {f"source-side:{n}" for n in readers("bilingual-reader")} <= names
    assert {f"document:{n}" for n in readers("document-reader")} <= names
    assert "termbase" in names


def test_cases_are_reproducible() -> None:
    target = fuzzing.targets()[0]
    corpus = fuzzing.seeds(target)
    assert fuzzing.case(target, corpus, 7, 3) == fuzzing.case(target, corpus, 7, 3)
    assert fuzzing.case(target, corpus, 7, 3) != fuzzing.case(target, corpus, 7, 4)


def test_the_runner_counts_hangs_and_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself: a hang is killed and counted, a bug is a traceback."""
    import time

    def slow(path: object, termbase: object) -> None:
        time.sleep(30)

    def buggy(path: object, termbase: object) -> None:
        raise KeyError("bug")

    monkeypatch.setitem(fuzzing.EXTRA_TARGETS, "slow", (".txt", slow))
    monkeypatch.setitem(fuzzing.EXTRA_TARGETS, "buggy", (".txt", buggy))
    runner = fuzzing.Runner(hang_limit=1.0)
    try:
        slow_target = fuzzing.Target("extra:slow", "extra", ".txt")
        buggy_target = fuzzing.Target("extra:buggy", "extra", ".txt")
        assert runner.run(slow_target, b"x")[0] == "hang"
        outcome, detail, _ = runner.run(buggy_target, b"x")
        assert outcome == "traceback" and "KeyError" in detail
    finally:
        runner.close()


@pytest.mark.slow
def test_short_fuzz_run_finds_nothing() -> None:
    tallies = fuzzing.fuzz(CASES_PER_TARGET, seed=20)
    total = fuzzing.totals(tallies)
    findings = {
        name: [(outcome, index, detail[-600:]) for outcome, index, detail, _ in t.findings[:3]]
        for name, t in tallies.items()
        if t.findings
    }
    assert total["cases"] == CASES_PER_TARGET * len(tallies)
    assert all(total[kind] == 0 for kind in fuzzing.BAD), findings
    # The mutations reach past the parsers: most targets accept some cases.
    accepting = [n for n, t in tallies.items() if t.outcomes["accepted"]]
    assert len(accepting) >= 0.8 * len(tallies), {n: dict(t.outcomes) for n, t in tallies.items()}
