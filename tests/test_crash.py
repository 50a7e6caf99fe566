"""Crash consistency, short form (benchmarks/crash.py runs 500+ iterations):
`kill -9` at random moments of termbase writes and of `export --all`."""

from __future__ import annotations

import pytest

import crashing


@pytest.mark.slow
def test_kill_9_during_writes_loses_nothing_and_leaves_nothing() -> None:
    report = crashing.run(12, seed=3, concepts=1500, max_delay=0.6, export_every=4)
    assert report.iterations == 12
    assert report.acknowledged > 0, "no write was acknowledged: the kills came too early"
    assert report.ok, report.problems
