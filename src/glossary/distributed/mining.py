"""Term mining on a Ray cluster: exactly the candidates of the local run.

`mine(documents, cluster)` is `glossary.mining.candidates.mine` with its
passes over the documents run on the cluster:

1. The documents are read here (one at a time, from the iterator) and cut
   into parts of about `PART_CHARS` characters; each part goes into Ray's
   object store once and a task counts it (`candidates.count_part`: forms,
   their counts and documents, acronym pairs). At most two parts per
   worker are in flight, so reading waits for the cluster rather than
   filling memory.
2. The parts' counts are merged here in document order as they arrive
   (`candidates.merge_counts`: the same forms, in the order a single pass
   meets them, so ties break alike).
3. Grouping variants and scoring run here on the merged counts (they need
   all of them); the later passes over the documents (acronym expansions,
   occurrences inside longer candidates, contexts) are map steps
   (`candidates.rank` with `RayParts`) run as tasks on the stored parts and
   merged in document order.

A worker holds one part and one step's state at a time, so its memory is
bounded by the part size, not by the archive; the merged counts live in
this process (as in a local run, without the documents). Tasks on a worker
that dies are retried elsewhere (`max_retries`); Ctrl-C cancels them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar

from glossary.distributed.cluster import Cluster, cancel, import_ray, remote_error
from glossary.document import Document
from glossary.matching.matcher import Matcher
from glossary.mining.candidates import (
    Candidate,
    Counts,
    Options,
    check_options,
    count_part,
    merge_counts,
    rank,
)

PART_CHARS: Final = 600_000  # characters of text per part (about 100,000 words)
RETRIES: Final = 3  # retries of a task whose worker died
IN_FLIGHT: Final = 2  # count tasks per worker at once

_R = TypeVar("_R")


def _count(documents: Sequence[Document], max_words: int) -> Counts:
    """Task: count one part."""
    return count_part(documents, max_words)


_STEPS: dict[str, Any] = {}  # the current map step of this worker process, by key


def _run_step(key: str, wrapped: Sequence[Any], documents: Sequence[Document], first: int) -> Any:
    """Task: run a map step on one part. The step (and what it builds, such
    as a matcher) is kept for the next part this process gets."""
    step = _STEPS.get(key)
    if step is None:
        step = import_ray().get(wrapped[0])
        _STEPS.clear()
        _STEPS[key] = step
    return step(documents, first)


class RayParts:
    """`candidates.DocumentParts` whose parts are in Ray's object store."""

    def __init__(self, cluster: Cluster, parts: Sequence[tuple[int, Any]]) -> None:
        self.cluster = cluster
        self.parts = list(parts)  # (number of the first document, ObjectRef of the documents)
        self._task = cluster.ray.remote(num_cpus=1, max_retries=RETRIES)(_run_step)

    def map(self, step: Callable[[Sequence[Document], int], _R]) -> list[tuple[int, _R]]:
        ray = self.cluster.ray
        wrapped = [ray.put(step)]
        key = uuid.uuid4().hex
        futures = [self._task.remote(key, wrapped, ref, first) for first, ref in self.parts]
        try:
            results = ray.get(futures)
        except ray.exceptions.RayError as exc:
            cancel(ray, futures)
            raise remote_error(exc) from None
        except BaseException:  # Ctrl-C: stop the cluster's work
            cancel(ray, futures)
            raise
        return [(first, result) for (first, _), result in zip(self.parts, results, strict=True)]


def mine(
    documents: Iterable[Document],
    cluster: Cluster,
    *,
    known: Matcher | None = None,
    options: Options | None = None,
    progress: Callable[[Document], None] | None = None,
    part_chars: int = PART_CHARS,
) -> list[Candidate]:
    """Mine candidate terms on the cluster; the same list as `candidates.mine`.

    `progress(document)` is called as each document is read and sent.
    """
    options = check_options(options)
    ray = cluster.ray
    task = ray.remote(num_cpus=1, max_retries=RETRIES)(_count)
    limit = IN_FLIGHT * cluster.workers()
    parts: list[tuple[int, Any]] = []
    pending: dict[Any, int] = {}  # count task -> part number
    arrived: dict[int, Counts] = {}
    merged = Counts()
    next_part = 0

    def take(timeout: float | None) -> None:
        nonlocal merged, next_part
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=timeout)
        for future in ready:
            arrived[pending.pop(future)] = ray.get(future)
        while next_part in arrived:
            first = parts[next_part][0]
            merged = merge_counts([(0, merged), (first, arrived.pop(next_part))])
            next_part += 1

    def send(batch: list[Document], first: int) -> None:
        ref = ray.put(batch)
        parts.append((first, ref))
        pending[task.remote(ref, options.max_words)] = len(parts) - 1
        while len(pending) >= limit:
            take(None)

    try:
        batch: list[Document] = []
        size = first = number = 0
        for number, document in enumerate(documents):
            batch.append(document)
            size += sum(len(s.text) for s in document.segments)
            if progress is not None:
                progress(document)
            if size >= part_chars:
                send(batch, first)
                batch, size, first = [], 0, number + 1
        if batch:
            send(batch, first)
        while pending:
            take(None)
    except ray.exceptions.RayError as exc:
        cancel(ray, pending)
        raise remote_error(exc) from None
    except BaseException:  # Ctrl-C: stop the cluster's work
        cancel(ray, pending)
        raise
    return rank(merged, RayParts(cluster, parts), known=known, options=options)
