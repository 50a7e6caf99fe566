"""The terminology check on a Ray cluster: the local report, exactly.

`check_units(units, concepts, cluster)` cuts the units into chunks, checks
each with `glossary.qa.check_units` in a task (the termbase goes into Ray's
object store once; each worker process keeps it for its next chunk), and
puts the chunk reports together in unit order with `glossary.qa.merge_reports`:
counts add up, violations keep their order, the per-concept rows add up and
are ranked again, so the report is the one a local run gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Final

from glossary import qa
from glossary.distributed.cluster import Cluster, import_ray, ordered, remote_error
from glossary.document import BilingualUnit
from glossary.termbase.model import Concept

CHUNK: Final = 5_000  # units per task
RETRIES: Final = 3

_CONCEPTS: dict[str, tuple[Concept, ...]] = {}  # this worker process's termbase, by key


def _check(
    key: str, wrapped: Sequence[Any], units: Sequence[BilingualUnit], file: str
) -> qa.QAReport:
    """Task: check one chunk of units."""
    concepts = _CONCEPTS.get(key)
    if concepts is None:
        concepts = import_ray().get(wrapped[0])
        _CONCEPTS.clear()
        _CONCEPTS[key] = concepts
    return qa.check_units(units, concepts, file=file)


def check_units(
    units: Iterable[BilingualUnit],
    concepts: Sequence[Concept],
    cluster: Cluster,
    *,
    file: str = "",
    chunk: int = CHUNK,
) -> qa.QAReport:
    """`glossary.qa.check_units` on the cluster (see the module doc)."""
    ray = cluster.ray
    task = ray.remote(num_cpus=1, max_retries=RETRIES)(_check)
    wrapped = [ray.put(tuple(concepts))]
    key = uuid.uuid4().hex
    items = list(units)
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    try:
        reports = ordered(
            ray, lambda part: task.remote(key, wrapped, part, file), chunks, cluster.workers()
        )
    except ray.exceptions.RayError as exc:
        raise remote_error(exc) from None
    return qa.merge_reports(reports, file=file)
