"""The translation job on a Ray cluster: the same files and report as locally.

`run_job(plan, cluster)` is the Ray backend's `glossary.translation.job.run_job`:

- The distinct texts the engine is given (`pipeline.plan`: with inline
  codes as placeholders when the workers' engine keeps them), in the order
  first met, are cut into parcels of `PARCEL_TEXTS`: every distinct text
  of the run is translated once, as locally (a letterhead repeated in
  10,000 letters is decoded once, and the enforcer's counts are the local
  run's); short documents share a parcel, a long one spans several.
- A pool of Ray actors (`ray.util.ActorPool`), one per worker process,
  each builds the strategy once (loads the model; `job.make_strategy`) and
  translates parcels as they come. Results stream back as parcels finish;
  the progress callback counts documents whose every text is translated.
- A worker that dies (killed, out of memory, node lost) is restarted by
  Ray and its parcels are retried there (`max_restarts`,
  `max_task_retries`), possibly on another node.
- Ctrl-C (or any error) kills the actors, which stops the cluster's work;
  nothing has been written then, as outputs are written only after the
  last parcel (by `glossary.translation.job.write_outputs`, all files or none).
- The driver puts each document back together with the function the
  local run uses (`pipeline.assemble`: inline codes placed), builds the
  report with `job.finish_job`, and `job.execute` writes everything with
  `job.write_outputs` (documents in their format, CAT files in place); each parcel
  returns the enforcer's notes for its texts, merged with `job.merge_notes`.
  A text's translation depends on the text only (per-segment determinism),
  so the files are the local backend's bytes.

The model: each worker uses the plan's package folder if its node has it at
the same path (one machine, or shared storage), else the node's installed
package of the same name and version, else the copy the driver shipped
through the object store (`RaySettings.ship_model`), else it stops with an
error naming the node. All workers must report the same engine signature
(model, version, beam, CTranslate2 version) and glossary version.
"""

from __future__ import annotations

import dataclasses
import io
import os
import socket
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import glossary
from glossary.distributed.cluster import Cluster, remote_error
from glossary.document import Document, SegmentResult, SegmentTranslator
from glossary.errors import BackendError, GlossaryError, ModelError, ModelNotInstalled
from glossary.translation import job
from glossary.translation.pipeline import CHUNK, Progress, assemble, keeps_placeholders
from glossary.translation.pipeline import plan as plan_texts

if TYPE_CHECKING:
    from glossary.enforcement.cascade import StepNote
    from glossary.engines.argos.packages import Package

PARCEL_TEXTS: Final = 512  # distinct texts per parcel at most: about half a minute for one core
MIN_PARCEL: Final = 32  # and at least (batches stay large enough to be efficient)
PARCELS_PER_WORKER: Final = 4  # smaller parcels for small jobs, so all workers finish together
RETRIES: Final = 3  # restarts of a dead worker, retries of its parcels
MODEL_CACHE: Final = "glossary-ray-models"  # under the node's temp folder, for shipped models

MakeStrategy = Callable[[job.JobPlan], SegmentTranslator]


@dataclass(frozen=True)
class Parcel:
    """Texts to translate: the next distinct texts of the documents, in order."""

    index: int
    texts: tuple[str, ...]


def split(
    documents: Sequence[Document], size: int = PARCEL_TEXTS, *, placeholders: bool = False
) -> list[Parcel]:
    """The distinct engine texts of the documents (in the order first met; with
    inline codes as placeholders when the engine keeps them, as the local run
    sends them) in parcels of `size`. A long document spans several parcels;
    short ones share one."""
    texts = list(plan_texts(documents, placeholders=placeholders).counts)
    return [
        Parcel(index, tuple(texts[start : start + size]))
        for index, start in enumerate(range(0, len(texts), size))
    ]


def _waiting(
    documents: Sequence[Document], parcels: Sequence[Parcel], *, placeholders: bool = False
) -> list[set[int]]:
    """For each document, the parcels holding its texts."""
    owner: dict[str, int] = {}
    for parcel in parcels:
        for text in parcel.texts:
            owner[text] = parcel.index
    return [
        {owner[text] for text in plan_texts([document], placeholders=placeholders).counts}
        for document in documents
    ]


# ------------------------------------------------------------------ the worker


class TranslationWorker:
    """A Ray actor: builds the strategy once (on its first call), then translates parcels.

    The plan comes with each call as a reference into the object store
    (`[ObjectRef]`, which Ray passes as it is), not with the constructor:
    an actor that Ray restarts after its process died builds the strategy
    again on the retried call. A user's problem (the model missing on this
    node) is reported by `ready()` as a message, not raised, so the driver
    can show it.
    """

    def __init__(self, make_strategy: MakeStrategy) -> None:
        self.make_strategy = make_strategy
        self.error = ""
        self.signature = ""
        self.strategy: SegmentTranslator | None = None

    def _setup(self, plan: list[Any], shipped: list[Any]) -> None:
        if self.strategy is not None or self.error:
            return
        try:
            found = plan[0]
            if not isinstance(found, job.JobPlan):  # an ObjectRef
                from glossary.distributed.cluster import import_ray

                found = import_ray().get(found)
            self.strategy = self.make_strategy(node_plan(found, shipped))
            self.signature = self.strategy.signature
        except GlossaryError as exc:
            self.error = str(exc)

    def ready(self, plan: list[Any], shipped: list[Any]) -> dict[str, Any]:
        """Load the engine; who and where this worker is, its engine
        signature, or why it cannot work."""
        self._setup(plan, shipped)
        return {
            "error": self.error,
            "signature": self.signature,
            "placeholders": self.strategy is not None and keeps_placeholders(self.strategy),
            "version": glossary.__version__,
            "node": socket.gethostname(),
            "pid": os.getpid(),
        }

    def translate(
        self, plan: list[Any], shipped: list[Any], index: int, texts: Sequence[str]
    ) -> tuple[int, list[SegmentResult], tuple[StepNote, ...], str]:
        """The results of `texts` (in order), the strategy's notes for them and
        its signature (a restarted worker may be on a node with another engine)."""
        self._setup(plan, shipped)
        strategy = self.strategy
        if strategy is None:
            raise BackendError(self.error or "This worker has no translation strategy.")
        before = job.strategy_notes(strategy)
        results: dict[str, SegmentResult] = {}
        order = sorted(texts, key=len)
        for start in range(0, len(order), CHUNK):
            chunk = order[start : start + CHUNK]
            results.update(zip(chunk, strategy.translate_texts(chunk), strict=True))
        notes = since(job.strategy_notes(strategy), before)
        return index, [results[text] for text in texts], notes, self.signature


def since(after: Sequence[StepNote], before: Sequence[StepNote]) -> tuple[StepNote, ...]:
    """The notes of the work done between two readings of a strategy's notes."""
    earlier = {note.step: note for note in before}
    out = []
    for note in after:
        old = earlier.get(note.step)
        if old is None:
            out.append(note)
            continue
        skipped = {
            reason: n - old.skipped.get(reason, 0)
            for reason, n in note.skipped.items()
            if n != old.skipped.get(reason, 0)
        }
        out.append(
            dataclasses.replace(
                note,
                attempted=note.attempted - old.attempted,
                succeeded=note.succeeded - old.succeeded,
                skipped=skipped,
            )
        )
    return tuple(out)


# ------------------------------------------------------------------ the model on a node


def _same(a: Package, b: Package) -> bool:
    return (a.name, a.package_version, a.from_code, a.to_code) == (
        b.name,
        b.package_version,
        b.from_code,
        b.to_code,
    )


def node_plan(plan: job.JobPlan, shipped: Sequence[Any] = ()) -> job.JobPlan:
    """The plan with its model package as found on this node (see the module doc)."""
    if plan.package is None:
        return plan
    return dataclasses.replace(plan, package=node_package(plan.package, shipped))


def node_package(package: Package, shipped: Sequence[Any] = ()) -> Package:
    """This node's copy of `package`: at the same path, installed, or unpacked from
    the shipped archive (`shipped`: [bytes or an ObjectRef of them], or empty)."""
    from glossary.engines.argos.packages import find_package, read_package

    if package.path.is_dir():
        here = read_package(package.path)
        if here.usable and _same(here, package):
            return here
    try:
        installed: Package | None = find_package(package.from_code, package.to_code)
    except ModelError:
        installed = None
    if installed is not None and _same(installed, package):
        return installed
    if shipped:
        data = shipped[0]
        if not isinstance(data, bytes):
            from glossary.distributed.cluster import import_ray

            data = import_ray().get(data)
        return unpack_package(data, package)
    has = (
        f"; it has {installed.name} (version {installed.package_version})"
        if installed is not None
        else ""
    )
    raise ModelNotInstalled(
        f"The model {package.name} (version {package.package_version}) is not installed on "
        f"the Ray node {socket.gethostname()}{has}. Install it on every node (glossary model "
        "install --from FILE.argosmodel), keep the Argos packages folder on storage all nodes "
        "see (ARGOS_PACKAGES_DIR), or run with --ray-ship-model."
    )


def pack_package(package: Package) -> bytes:
    """The package folder as an `.argosmodel` archive (stored, not compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(package.path.rglob("*")):
            if path.is_file():
                archive.write(path, Path(package.name) / path.relative_to(package.path))
    return buffer.getvalue()


def unpack_package(data: bytes, package: Package) -> Package:
    """Install a shipped archive in this node's model cache (once per node;
    through `install_from_file`, with all its checks)."""
    from glossary.engines.argos.packages import install_from_file, read_package

    cache = Path(tempfile.gettempdir()) / MODEL_CACHE
    cache.mkdir(parents=True, exist_ok=True)
    final = read_package(cache / package.name)
    if final.usable and _same(final, package):
        return final
    fd, name = tempfile.mkstemp(prefix=".shipped-", suffix=".argosmodel", dir=cache)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            return install_from_file(
                Path(name),
                directory=cache,
                from_code=package.from_code,
                to_code=package.to_code,
                replace=final.path.exists() and not _same(final, package),
            )
        except ModelError:
            final = read_package(cache / package.name)  # another worker of this node was first
            if final.usable and _same(final, package):
                return final
            raise
    finally:
        Path(name).unlink(missing_ok=True)


# ------------------------------------------------------------------ the driver


def _with_codes(documents: Sequence[Document]) -> tuple[Document, ...]:
    """What the workers' plan keeps of the documents: one with inline codes, if
    any, so `job.make_strategy` asks the engine for word alignments exactly
    when the local run does (the codes are placed with them); the texts go
    in parcels."""
    for document in documents:
        if any(segment.codes for segment in document.segments):
            return (document,)
    return ()


def run_job(
    plan: job.JobPlan,
    cluster: Cluster,
    progress: Progress | None = None,
    *,
    make_strategy: MakeStrategy | None = None,
    parcel_texts: int | None = None,
) -> job.JobResult:
    """Translate the plan's documents on the cluster (see the module doc).

    `progress(done, total)` counts documents whose every text is translated.
    `make_strategy` (default `job.make_strategy`) runs on the workers.
    `parcel_texts`: texts per parcel; default: `PARCEL_TEXTS`, or fewer so
    that each worker gets `PARCELS_PER_WORKER` (never under `MIN_PARCEL`).
    """
    ray = cluster.ray
    started = time.perf_counter()
    documents = plan.documents
    threads = plan.request.threads or 1
    if cluster.largest_node() < threads:
        raise BackendError(
            f"--threads {threads} is more CPUs than any node of the Ray cluster has "
            f"({cluster.largest_node()}); give fewer threads per worker."
        )
    wanted = max(1, cluster.settings.workers or cluster.cpus() // threads)
    if parcel_texts is None:
        share = -(-plan.distinct // (PARCELS_PER_WORKER * wanted))
        parcel_texts = max(MIN_PARCEL, min(PARCEL_TEXTS, share))
    light = dataclasses.replace(
        plan,
        documents=_with_codes(documents),
        cat=(),
        request=dataclasses.replace(plan.request, threads=threads),
    )
    distinct = len(plan_texts(documents).counts)
    count = max(1, min(wanted, cluster.slots(threads), -(-distinct // parcel_texts)))
    shipped = (
        [ray.put(pack_package(plan.package))]
        if cluster.settings.ship_model and plan.package is not None
        else []
    )
    remote = ray.remote(num_cpus=threads, max_restarts=RETRIES, max_task_retries=RETRIES)(
        TranslationWorker
    )
    plan_ref = [ray.put(light)]
    actors = [remote.remote(make_strategy or job.make_strategy) for _ in range(count)]
    results: dict[str, SegmentResult] = {}
    notes: list[tuple[StepNote, ...]] = []
    try:
        infos = ray.get([a.ready.remote(plan_ref, shipped) for a in actors])
        signature = _check_workers(infos)
        placeholders = bool(infos[0]["placeholders"])
        parcels = split(documents, parcel_texts, placeholders=placeholders)
        waiting = _waiting(documents, parcels, placeholders=placeholders)
        by_parcel: dict[int, list[int]] = {}
        for number, needs in enumerate(waiting):
            for index in needs:
                by_parcel.setdefault(index, []).append(number)
        done = sum(1 for needs in waiting if not needs)
        if progress:
            progress(done, len(documents))
        pool = ray.util.ActorPool(actors)
        for parcel in parcels:
            pool.submit(
                lambda actor, p: actor.translate.remote(plan_ref, shipped, p.index, p.texts), parcel
            )
        while pool.has_next():
            index, parcel_results, parcel_notes, used = pool.get_next_unordered()
            if used != signature:
                _check_workers([{**infos[0], "signature": used}, infos[0]])
            results.update(zip(parcels[index].texts, parcel_results, strict=True))
            notes.append(parcel_notes)
            for number in by_parcel.get(index, ()):
                waiting[number].discard(index)
                done += not waiting[number]
            if progress:
                progress(done, len(documents))
    except ray.exceptions.RayError as exc:
        raise remote_error(exc) from None
    finally:
        for actor in actors:
            ray.kill(actor, no_restart=True)
    translated = [
        assemble(document, results, signature, placeholders=placeholders) for document in documents
    ]
    seconds = time.perf_counter() - started
    return job.finish_job(plan, translated, signature, seconds, job.merge_notes(notes))


def _check_workers(infos: Sequence[dict[str, Any]]) -> str:
    """The workers' common engine signature; `BackendError` if one cannot work
    or they differ (different outputs would follow)."""
    for info in infos:
        if info["error"]:
            raise BackendError(f"A Ray worker on {info['node']} cannot start: {info['error']}")
    versions = sorted({info["version"] for info in infos} | {glossary.__version__})
    if len(versions) > 1:
        raise BackendError(
            f"The Ray nodes run different glossary versions ({', '.join(versions)}); install "
            f"glossary {glossary.__version__} on every node so they give the same output."
        )
    signatures = sorted({info["signature"] for info in infos})
    if len(signatures) == 1 and len({info["placeholders"] for info in infos}) > 1:
        signatures = [f"{signatures[0]} keeping inline-code placeholders", "one not keeping them"]
    if len(signatures) > 1:
        raise BackendError(
            "The Ray workers would not translate alike; their engines differ: "
            + "; ".join(signatures)
            + ". Install the same model and CTranslate2 version on every node."
        )
    return str(signatures[0])


def runner(cluster: Cluster, **options: Any) -> job.Runner:
    """A `job.execute` runner on this cluster."""

    def run(plan: job.JobPlan, progress: Progress | None) -> job.JobResult:
        return run_job(plan, cluster, progress, **options)

    return run
