"""Test doubles that run inside Ray workers (tests/ is on their PYTHONPATH, see
the `ray_cluster` fixture): a fast enforcing strategy on the word engine of
tests/test_enforce.py (also one whose engine keeps inline-code placeholders),
and wrappers that record the worker's process id and kill the worker once, or
that make a mining step die once."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from glossary.document import Document, SegmentResult, SegmentTranslator
from glossary.enforcement.cascade import EnforceOptions, Enforcer
from glossary.matching.verify import Glossary
from glossary.translation import job
from test_determinism import LEXICON
from test_enforce import WordEngine


def word_strategy(plan: job.JobPlan) -> SegmentTranslator:
    """The enforcer on the word engine (every cascade step happens on the seeds)."""
    assert plan.concepts is not None
    return Enforcer(
        WordEngine(LEXICON),
        Glossary(plan.concepts),
        EnforceOptions(redecode_budget=plan.request.redecode_budget),
    )


def placeholder_strategy(plan: job.JobPlan) -> SegmentTranslator:
    """The enforcer on the word engine declaring that it keeps inline-code
    placeholders: segments with codes go to it as text with placeholders."""
    assert plan.concepts is not None
    engine = WordEngine(LEXICON)
    engine.signature = "engine:words-placeholders"
    engine.capabilities = dataclasses.replace(engine.capabilities, placeholders=True)
    return Enforcer(
        engine,
        Glossary(plan.concepts),
        EnforceOptions(redecode_budget=plan.request.redecode_budget),
    )


class _DiesOnce:
    """Translates as `inner`, but the first call in the whole test kills its process."""

    def __init__(self, inner: SegmentTranslator, flag: Path) -> None:
        self.inner = inner
        self.flag = flag

    @property
    def signature(self) -> str:
        return self.inner.signature

    def notes(self) -> Any:
        return job.strategy_notes(self.inner)

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        try:
            fd = os.open(self.flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return self.inner.translate_texts(texts)
        os.close(fd)
        os._exit(1)  # the worker dies in the middle of a parcel


def recorded(
    plan: job.JobPlan,
    *,
    pids: Path,
    inner: Callable[[job.JobPlan], SegmentTranslator] = word_strategy,
    die_once: Path | None = None,
    slow: float = 0.0,
) -> SegmentTranslator:
    """`inner(plan)`, after writing this worker's process id into the folder `pids`;
    with `die_once`, the first translation of the test kills the worker."""
    (pids / str(os.getpid())).touch()
    strategy = inner(plan)
    if slow:
        strategy = _Slow(strategy, slow)
    return _DiesOnce(strategy, die_once) if die_once is not None else strategy


class _Slow:
    """Translates as `inner`, `seconds` later (so an interrupt finds work in flight)."""

    def __init__(self, inner: SegmentTranslator, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds

    @property
    def signature(self) -> str:
        return self.inner.signature

    def notes(self) -> Any:
        return job.strategy_notes(self.inner)

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        import time

        time.sleep(self.seconds)
        return self.inner.translate_texts(texts)


class DyingStep:
    """A mining map step that kills its worker process the first time it runs."""

    def __init__(self, inner: Callable[[Sequence[Document], int], Any], flag: Path) -> None:
        self.inner = inner
        self.flag = flag

    def __call__(self, documents: Sequence[Document], first: int) -> Any:
        try:
            fd = os.open(self.flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return self.inner(documents, first)
        os.close(fd)
        os._exit(1)
