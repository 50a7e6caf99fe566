"""The terminology check on a Ray cluster: the local report, exactly.

`check_units(units, concepts, cluster)` cuts the units into chunks, checks
each with `glossary.qa.check_units` in a task (the termbase goes into Ray's
object store once; each worker process builds its glossary once), and adds
the chunk reports up in unit order (`merge_reports`): counts are sums and
violations keep their order, so the report is the one a local run gives.
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


def _check(key: str, wrapped: Sequence[Any], units: Sequence[BilingualUnit]) -> qa.QAReport:
    """Task: check one chunk of units."""
    concepts = _CONCEPTS.get(key)
    if concepts is None:
        concepts = import_ray().get(wrapped[0])
        _CONCEPTS.clear()
        _CONCEPTS[key] = concepts
    return qa.check_units(units, concepts)


def merge_reports(reports: Iterable[qa.QAReport]) -> qa.QAReport:
    """The report of consecutive chunks, as one run over all their units gives it."""
    parts = list(reports)
    return qa.QAReport(
        segments=sum(r.segments for r in parts),
        untranslated=sum(r.untranslated for r in parts),
        occurrences=sum(r.occurrences for r in parts),
        correct=sum(r.correct for r in parts),
        violations=tuple(v for r in parts for v in r.violations),
    )


def check_units(
    units: Iterable[BilingualUnit],
    concepts: Sequence[Concept],
    cluster: Cluster,
    *,
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
            ray, lambda part: task.remote(key, wrapped, part), chunks, cluster.workers()
        )
    except ray.exceptions.RayError as exc:
        raise remote_error(exc) from None
    return merge_reports(reports)
