"""Term mining on a Ray cluster: exactly the candidates of the local run.

`mine_files(paths, cluster)` (what `glossary mine --backend ray` runs) and
`mine(documents, cluster)` are `glossary.mining.candidates.mine` with its
passes over the documents run on the cluster:

1. The inputs are cut into parts of about `PART_CHARS` characters (bytes).
   `mine_files` reads only the files' bytes here and sends them; a task
   decodes and segments them (the costly part of reading) and counts them
   (`candidates.count_part`: forms, their counts and documents, acronym
   pairs), and the documents it read stay in Ray's object store, on its
   node. `mine` puts documents read by the caller into the object store and
   a task counts them. One part per worker is in flight, so reading waits
   for the cluster rather than filling memory.
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
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from glossary.distributed.cluster import Cluster, cancel, import_ray, ordered, remote_error
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
from glossary.reading.ingest import MAX_BYTES

PART_CHARS: Final = 600_000  # characters of text per part (about 100,000 words)
RETRIES: Final = 3  # retries of a task whose worker died

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
        try:
            results = ordered(
                ray,
                lambda part: self._task.remote(key, wrapped, part[1], part[0]),
                self.parts,
                self.cluster.workers(),
            )
        except ray.exceptions.RayError as exc:
            raise remote_error(exc) from None
        return [(first, result) for (first, _), result in zip(self.parts, results, strict=True)]


class _Counting:
    """The first pass: parts sent as they are made, their counts merged in
    document order as they come back, one part per worker at once (so
    reading waits for the cluster rather than filling memory)."""

    def __init__(self, cluster: Cluster) -> None:
        self.ray = cluster.ray
        self.limit = cluster.workers()
        self.parts: list[tuple[int, Any]] = []  # (first document, ObjectRef of the documents)
        self.pending: dict[Any, int] = {}  # counts ObjectRef -> part number
        self.extras: dict[int, Any] = {}  # part number -> ObjectRef of what else it returned
        self.arrived: dict[int, tuple[Counts, Any]] = {}
        self.merged = Counts()
        self.merged_parts = 0
        self.on_part: Callable[[Any], None] | None = None  # given each part's extra, in order

    def add(self, first: int, documents: Any, counts: Any, extra: Any = None) -> None:
        """A part sent: its first document, its documents' and its counts' ObjectRefs."""
        self.parts.append((first, documents))
        self.pending[counts] = len(self.parts) - 1
        if extra is not None:
            self.extras[len(self.parts) - 1] = extra
        while len(self.pending) >= self.limit:
            self._take()

    def finish(self) -> Counts:
        while self.pending:
            self._take()
        return self.merged

    def _take(self) -> None:
        ray = self.ray
        ready, _ = ray.wait(list(self.pending), num_returns=1)
        for future in ready:
            number = self.pending.pop(future)
            extra = self.extras.pop(number, None)
            self.arrived[number] = (ray.get(future), None if extra is None else ray.get(extra))
        while self.merged_parts in self.arrived:
            counts, extra = self.arrived.pop(self.merged_parts)
            first = self.parts[self.merged_parts][0]
            self.merged = merge_counts([(0, self.merged), (first, counts)])
            if extra is not None and self.on_part is not None:
                self.on_part(extra)
            self.merged_parts += 1

    def cancel(self) -> None:
        cancel(self.ray, self.pending)


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

    The documents are read here (by the caller's iterator); `mine_files`
    reads them on the workers. `progress(document)` is called as each
    document is sent.
    """
    options = check_options(options)
    ray = cluster.ray
    task = ray.remote(num_cpus=1, max_retries=RETRIES)(_count)
    counting = _Counting(cluster)
    try:
        batch: list[Document] = []
        size = first = 0
        for number, document in enumerate(documents):
            batch.append(document)
            size += sum(len(s.text) for s in document.segments)
            if progress is not None:
                progress(document)
            if size >= part_chars:
                ref = ray.put(batch)
                counting.add(first, ref, task.remote(ref, options.max_words))
                batch, size, first = [], 0, number + 1
        if batch:
            ref = ray.put(batch)
            counting.add(first, ref, task.remote(ref, options.max_words))
        merged = counting.finish()
    except ray.exceptions.RayError as exc:
        counting.cancel()
        raise remote_error(exc) from None
    except BaseException:  # Ctrl-C: stop the cluster's work
        counting.cancel()
        raise
    return rank(merged, RayParts(cluster, counting.parts), known=known, options=options)


@dataclass(frozen=True)
class Read:
    """What reading one file on a worker said: for the user's notes and summary."""

    path: str
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    words: int


def _read_count(
    files: Sequence[tuple[str, bytes]], max_words: int, repair: bool, source_side: bool
) -> tuple[Counts, list[Document], list[Read]]:
    """Task: read (decode, segment) the files of one part and count them."""
    from glossary.reading import sources

    documents = [
        sources.load(path, repair=repair, source_side=source_side, data=data, limit=MAX_BYTES)
        for path, data in files
    ]
    reads = [
        Read(d.path, d.warnings, d.notes, sum(len(s.text.split()) for s in d.segments))
        for d in documents
    ]
    return count_part(documents, max_words), documents, reads


def mine_files(
    paths: Sequence[str],
    cluster: Cluster,
    *,
    known: Matcher | None = None,
    options: Options | None = None,
    progress: Callable[[Read], None] | None = None,
    repair: bool = True,
    source_side: bool = False,
    part_bytes: int = PART_CHARS,
) -> list[Candidate]:
    """Mine the files `paths` (as `glossary.reading.sources.gather` lists them)
    on the cluster; the same candidates as reading them here and `candidates.mine`.

    Only the files' bytes are read here (the guarded read of
    `glossary.files.inputs`); decoding and segmenting, the costly part of
    reading, run on the workers, and the documents stay in the object store
    where they were read. `progress(read)` is called for each file, in
    order, once its part is counted: its warnings and notes, its words.
    """
    from glossary.files.inputs import read_bytes

    options = check_options(options)
    ray = cluster.ray
    task = ray.remote(num_cpus=1, max_retries=RETRIES, num_returns=3)(_read_count)
    counting = _Counting(cluster)
    if progress is not None:
        report = progress

        def each(reads: list[Read]) -> None:
            for read in reads:
                report(read)

        counting.on_part = each
    try:
        batch: list[tuple[str, bytes]] = []
        size = first = 0
        for number, path in enumerate(paths):
            data = read_bytes(path, limit=MAX_BYTES, limit_option="")
            batch.append((path, data))
            size += len(data)
            if size >= part_bytes or number == len(paths) - 1:
                counts, documents, reads = task.remote(
                    batch, options.max_words, repair, source_side
                )
                counting.add(first, documents, counts, reads)
                batch, size, first = [], 0, number + 1
        merged = counting.finish()
    except ray.exceptions.RayError as exc:
        counting.cancel()
        raise remote_error(exc) from None
    except BaseException:  # Ctrl-C: stop the cluster's work
        counting.cancel()
        raise
    return rank(merged, RayParts(cluster, counting.parts), known=known, options=options)
