"""The Ray backend (glossary.distributed): the local backend's bytes, on a real Ray.

A local Ray cluster (the session's `ray_cluster`: 2 CPUs, loopback only)
runs the translation job on actors, mining and the check as tasks. Checked:

- translate: the files and the term report are the local run's bytes (the
  enforcing word engine, every cascade step, parcels of a few texts; and
  the tiny Argos package through the command line), for text, Word,
  OpenDocument, WebVTT and Markdown documents with their inline codes
  (also with an engine that keeps placeholders) and for CAT files
  translated in place (memoQ XLIFF, PO); a worker killed in the
  middle of a parcel is restarted and its parcel retried, with the same
  bytes; an interrupt kills the workers and writes nothing;
- mine: the candidates of the local run (command line, and one part per
  document through the library); a mining task whose worker dies is retried;
- check: the local report;
- clean errors: a wrong or malformed address, Ray not installed (hidden from
  the import system), --ray-* options without --backend ray;
- Ray is imported only when asked for (`glossary --help`, local runs).

The merge logic itself (parts counted apart and merged in order) is also
checked without Ray, on many splits.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.distributed import BACKENDS
from glossary.distributed import mining as ray_mining
from glossary.distributed import qa as ray_qa
from glossary.distributed import translation as ray_translation
from glossary.distributed.cluster import Cluster, RaySettings
from glossary.document import BilingualUnit, Document
from glossary.enforcement.cascade import StepNote
from glossary.errors import BackendError, InputError, ModelNotInstalled
from glossary.matching.matcher import Matcher
from glossary.mining import candidates as mining
from glossary.qa import check_units, merge_reports
from glossary.reading import ingest
from glossary.termbase.store import read_termbase
from glossary.translation import job
from ray_helpers import DyingStep, placeholder_strategy, recorded, word_strategy

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT / "tests" / "data" / "documents"
CAT = ROOT / "tests" / "data" / "cat"
TERMBASE = ROOT / "glossary" / "termbase.tsv"
LOOPBACK = pytest.mark.allow_hosts(["127.0.0.1"])


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def request(out: Path, **options: Any) -> job.JobRequest:
    defaults: dict[str, Any] = {
        "inputs": (str(SEEDS),),
        "out_dir": str(out),
        "format": "json",
        "engine": "none",  # the strategy comes from ray_helpers.word_strategy
        "termbase": str(TERMBASE),
        "report": str(out / "terms.json"),
        "redecode_budget": 0.5,
    }
    return job.JobRequest(**{**defaults, **options})


@pytest.fixture(scope="module")
def local_words(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seeds translated locally with the enforcing word engine: files and report."""
    out = tmp_path_factory.mktemp("local-words")
    plan = job.plan_job(request(out))
    job.write_outputs(plan, job.run_job(plan, strategy=word_strategy(plan)))
    return files(out)


@pytest.fixture
def cluster(ray_cluster: Any) -> Iterator[Cluster]:
    with Cluster(RaySettings(workers=2)) as connected:
        assert not connected.started  # the session's Ray, reused and left running
        yield connected


def gone(pids: Sequence[int], within: float = 15.0) -> bool:
    """Have all these processes ended (within `within` seconds)?"""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            return True
        time.sleep(0.2)
    return False


# ------------------------------------------------------------------ translate


@LOOPBACK
def test_translate_on_ray_writes_the_local_bytes(
    cluster: Cluster, local_words: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "ray"
    plan = job.plan_job(request(out))
    seen: list[tuple[int, int]] = []
    run = ray_translation.runner(cluster, make_strategy=word_strategy, parcel_texts=40)
    job.execute(plan, runner=run, progress=lambda done, total: seen.append((done, total)))
    assert files(out) == local_words
    assert len(ray_translation.split(plan.documents, 40)) == 7  # 269 texts, two workers
    assert seen[-1] == (5, 5) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    report = json.loads(local_words["terms.json"])
    repairs = {r["step"]: r for r in report["repairs"]}
    # The notes that were merged from the parcels are not empty.
    assert repairs["mask"]["attempted"] + repairs["prefix"]["attempted"] > 0
    assert repairs["mask"]["skipped"]


@LOOPBACK
def test_a_killed_worker_is_restarted_and_its_parcel_retried(
    cluster: Cluster, local_words: dict[str, bytes], tmp_path: Path
) -> None:
    out, pids, flag = tmp_path / "ray", tmp_path / "pids", tmp_path / "died"
    pids.mkdir()
    plan = job.plan_job(request(out))
    make = functools.partial(recorded, pids=pids, die_once=flag)
    job.execute(plan, runner=ray_translation.runner(cluster, make_strategy=make, parcel_texts=40))
    assert flag.exists()  # a worker did die in the middle of a parcel...
    assert len(list(pids.iterdir())) >= 3  # ...and a new process took its place
    assert files(out) == local_words


# Jobs of other formats: documents written back in their own format (Word with
# inline formatting, OpenDocument, WebVTT, Markdown) and CAT files translated in
# place (a memoQ XLIFF with bold codes; a Poedit PO, its targets replaced).
FORMAT_JOBS: dict[str, dict[str, Any]] = {
    "documents": {
        "inputs": tuple(
            str(DOCUMENTS / name)
            for name in (
                "kamerbrief.docx",
                "crypto-raamwerk.docx",
                "woo-16103.odt",
                "persconferentie.vtt",
                "gereedschapskist.md",
            )
        ),
    },
    "memoq-xliff": {"inputs": (str(CAT / "supervertaler-test_document-memoQ-bilingual.mqxliff"),)},
    "po": {
        "inputs": (str(CAT / "gradia-poedit-nl.po"),),
        "overwrite": "all",
        "source_lang": "en",
        "target_lang": "nl",
    },
}
STRATEGIES = {"words": word_strategy, "placeholders": placeholder_strategy}
# Inline codes sent as placeholders (documents, memoQ) or placed after (memoQ;
# the Word document without them: the Argos test below); the PO has no codes.
FORMAT_CASES = [
    ("documents", "placeholders"),
    ("memoq-xliff", "words"),
    ("memoq-xliff", "placeholders"),
    ("po", "words"),
]


@pytest.mark.slow
@LOOPBACK
@pytest.mark.parametrize(
    ("name", "strategy"), FORMAT_CASES, ids=[f"{n}-{s}" for n, s in FORMAT_CASES]
)
def test_documents_and_cat_files_on_ray_are_the_local_bytes(
    cluster: Cluster, name: str, strategy: str, tmp_path: Path
) -> None:
    make = STRATEGIES[strategy]
    written: dict[str, dict[str, bytes]] = {}
    for backend in ("local", "ray"):
        out = tmp_path / backend
        plan = job.plan_job(request(out, format=None, **FORMAT_JOBS[name]))
        if backend == "local":
            job.write_outputs(plan, job.run_job(plan, strategy=make(plan)))
        else:
            run = ray_translation.runner(cluster, make_strategy=make, parcel_texts=40)
            job.execute(plan, runner=run)
        written[backend] = files(out)
    assert written["ray"] == written["local"]
    inputs = {Path(p).name: Path(p).read_bytes() for p in FORMAT_JOBS[name]["inputs"]}
    assert set(written["local"]) == {*inputs, "terms.json"}  # each in its own format
    assert all(written["local"][n] != data for n, data in inputs.items())  # translated
    # inline codes placed (Word formatting, memoQ bold; the PO has none)
    assert any(s.codes for d in plan.documents for s in d.segments) == (name != "po")
    assert len(plan.documents) == len(inputs) and plan.distinct > 20


@LOOPBACK
def test_an_interrupt_stops_the_workers_and_writes_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    out, pids = tmp_path / "ray", tmp_path / "pids"
    pids.mkdir()
    out.mkdir()
    (out / "000_957990745c6b37f0.json").write_text("old\n", "utf-8")
    plan = job.plan_job(request(out))
    make = functools.partial(recorded, pids=pids, slow=0.3)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:  # after the first parcel: Ctrl-C
            raise KeyboardInterrupt

    run = ray_translation.runner(cluster, make_strategy=make, parcel_texts=10)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        job.execute(plan, runner=run, progress=progress)
    assert time.monotonic() - started < 30
    assert files(out) == {"000_957990745c6b37f0.json": b"old\n"}  # nothing written
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    assert gone(workers)  # the cluster's work was stopped


@LOOPBACK
def test_more_threads_than_a_node_has_is_one_clean_error(cluster: Cluster, tmp_path: Path) -> None:
    plan = job.plan_job(request(tmp_path / "out", threads=3))  # the session's Ray has 2 CPUs
    with pytest.raises(BackendError, match="--threads 3 is more CPUs than any node"):
        ray_translation.run_job(plan, cluster, make_strategy=word_strategy)


# The command with the real Argos engine (the tiny package): text documents with
# the termbase enforced, written as PO; a Word document without the termbase (the
# plain translator asks the model for word alignments to place the formatting);
# a memoQ XLIFF translated in place.
ARGOS_JOBS = {
    "seeds-po": (
        [str(SEEDS / "001_aab24cd63284c81b.txt"), str(SEEDS / "002_b72e1fcdd8c72ceb.txt")],
        ["--format", "po", "--termbase", str(TERMBASE)],
    ),
    "docx-plain": ([str(DOCUMENTS / "kamerbrief.docx")], ["--no-glossary"]),
    "memoq-xliff": (
        [str(CAT / "supervertaler-test_document-memoQ-bilingual.mqxliff")],
        ["--termbase", str(TERMBASE)],
    ),
}


@pytest.mark.slow
@LOOPBACK
@pytest.mark.parametrize("name", list(ARGOS_JOBS), ids=list(ARGOS_JOBS))
def test_translate_command_with_the_argos_model_on_ray(
    ray_cluster: Any, tiny_package: Any, tmp_path: Path, name: str
) -> None:
    inputs, options = ARGOS_JOBS[name]
    common = ["translate", *inputs, *options, "-q"]
    runner = CliRunner()
    for backend, extra in (
        ("local", ["--threads", "2"]),
        ("ray", ["--backend", "ray", "--ray-workers", "2", "--ray-ship-model"]),
    ):
        out = tmp_path / backend
        report = ["--report", str(out / "terms.json")] if "--termbase" in options else []
        args = [*common, "--out-dir", str(out), *report, *extra]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    assert files(tmp_path / "ray") == files(tmp_path / "local")
    assert len(files(tmp_path / "local")) == len(inputs) + bool("--termbase" in options)


def test_parcels_hold_each_text_once_in_document_order() -> None:
    documents = list(ingest.read_documents([str(SEEDS)]))
    parcels = ray_translation.split(documents, 25)
    texts = [t for p in parcels for t in p.texts]
    assert texts == list(translate_documents_order(documents))
    assert len(texts) == len(set(texts)) == job.plan_job(request(Path("x"))).distinct
    assert [len(p.texts) for p in parcels[:-1]] == [25] * (len(parcels) - 1)
    waiting = ray_translation._waiting(documents, parcels)
    assert waiting[0] == {0, 1, 2}  # the first seed's 58 texts: three parcels


def translate_documents_order(documents: Sequence[Document]) -> Iterator[str]:
    seen: set[str] = set()
    for document in documents:
        for segment in document.segments:
            if segment.translate and segment.text.strip() and segment.text not in seen:
                seen.add(segment.text)
                yield segment.text


def test_notes_of_parcels_add_up_in_any_order() -> None:
    a = (StepNote("mask", 3, 1, {"budget": 2, "dropped": 1}), StepNote("prefix", 1, 1, {}))
    b = (StepNote("mask", 1, 0, {"turned off": 4, "budget": 1}, "probe failed"),)
    merged = job.merge_notes([a, b])
    assert merged == job.merge_notes([b, a])
    assert [note.to_dict() for note in merged] == [
        {
            "step": "mask",
            "attempted": 4,
            "succeeded": 1,
            "skipped": {"budget": 3, "dropped": 1, "turned off": 4},
            "dropped": "probe failed",
        },
        {"step": "prefix", "attempted": 1, "succeeded": 1, "skipped": {}, "dropped": ""},
    ]
    assert list(merged[0].skipped) == sorted(merged[0].skipped)
    before = (StepNote("mask", 1, 0, {"budget": 1}),)
    after = (StepNote("mask", 4, 1, {"budget": 3, "dropped": 2}, "x"),)
    assert ray_translation.since(after, before) == (
        StepNote("mask", 3, 1, {"budget": 2, "dropped": 2}, "x"),
    )


def test_workers_that_would_translate_differently_are_refused() -> None:
    infos = [
        {"error": "", "signature": s, "version": v, "node": "n", "pid": 1}
        for s, v in (("engine:a", "0.1.0"), ("engine:b", "0.1.0"))
    ]
    with pytest.raises(BackendError, match="engines differ: engine:a; engine:b"):
        ray_translation._check_workers(infos)
    infos[1].update(signature="engine:a", version="0.0.9")
    with pytest.raises(BackendError, match="different glossary versions"):
        ray_translation._check_workers(infos)
    infos[1].update(version=infos[0]["version"], error="No nl→en Argos model is installed.")
    with pytest.raises(BackendError, match="worker on n cannot start: No nl→en"):
        ray_translation._check_workers(infos)


# ------------------------------------------------------------------ the model on a node


def test_a_node_without_the_model_unpacks_the_shipped_copy(
    tiny_package: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "node-tmp"))
    (tmp_path / "node-tmp").mkdir()
    assert ray_translation.node_package(tiny_package) == tiny_package  # at the same path
    shipped = ray_translation.pack_package(tiny_package)
    elsewhere = tiny_package.__class__(**{**vars(tiny_package), "path": tmp_path / "gone"})
    # Installed on the node under another folder: found by name and version.
    assert ray_translation.node_package(elsewhere).path == tiny_package.path
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    with pytest.raises(
        ModelNotInstalled, match=r"not installed on the Ray node .*--ray-ship-model"
    ):
        ray_translation.node_package(elsewhere)
    unpacked = ray_translation.node_package(elsewhere, [shipped])
    assert unpacked.usable and unpacked.path.parent == tmp_path / "node-tmp" / "glossary-ray-models"
    assert (unpacked.name, unpacked.package_version) == (
        tiny_package.name,
        tiny_package.package_version,
    )
    assert (unpacked.path / "model" / "model.bin").read_bytes() == (
        tiny_package.path / "model" / "model.bin"
    ).read_bytes()
    assert ray_translation.node_package(elsewhere, [b"not used again"]) == unpacked


# ------------------------------------------------------------------ mine


class SplitParts:
    """The documents in parts of `size` (what the Ray backend stores), run here."""

    def __init__(self, documents: Sequence[Document], size: int) -> None:
        self.documents = list(documents)
        self.size = size

    def map(self, step: Callable[[Sequence[Document], int], Any]) -> list[tuple[int, Any]]:
        return [
            (first, step(self.documents[first : first + self.size], first))
            for first in range(0, len(self.documents), self.size)
        ]


def candidates_json(candidates: Sequence[mining.Candidate]) -> str:
    return json.dumps([c.to_dict() for c in candidates], ensure_ascii=False)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    """The seeds and three ACTER texts (wind energy), when ../shared has them."""
    acter = ROOT.parent / "shared" / "acter" / "nl" / "wind" / "annotated" / "texts"
    more = sorted(acter.glob("*.txt"))[:3]
    return list(ingest.read_documents([str(SEEDS), *map(str, more)]))


@pytest.fixture(scope="module")
def known() -> Matcher:
    return Matcher.build(read_termbase(TERMBASE).concepts)


OPTIONS = mining.Options(min_freq=1, top=500)  # many candidates, contexts for 500 of them


@pytest.fixture(scope="module")
def local_candidates(documents: list[Document], known: Matcher) -> str:
    return candidates_json(mining.mine(documents, known=known, options=OPTIONS))


@pytest.mark.parametrize("size", [1, 3], ids=["one-document-parts", "threes"])
def test_parts_counted_apart_and_merged_in_order_give_the_local_candidates(
    documents: list[Document], known: Matcher, local_candidates: str, size: int
) -> None:
    parts = SplitParts(documents, size)
    counts = mining.merge_counts(
        parts.map(lambda docs, first: mining.count_part(docs, OPTIONS.max_words))
    )
    split = mining.rank(counts, parts, known=known, options=OPTIONS)
    assert candidates_json(split) == local_candidates
    assert len(split) == 500 and all(c.contexts for c in split)


@LOOPBACK
def test_mine_on_ray_gives_the_local_candidates(
    cluster: Cluster, documents: list[Document], known: Matcher, local_candidates: str
) -> None:
    seen: list[str] = []
    on_ray = ray_mining.mine(
        documents,
        cluster,
        known=known,
        options=OPTIONS,
        part_chars=20_000,
        progress=lambda d: seen.append(d.path),
    )
    assert candidates_json(on_ray) == local_candidates
    assert seen == [d.path for d in documents]
    assert sum(len(s.text) for d in documents for s in d.segments) > 4 * 20_000  # several parts


@LOOPBACK
def test_files_read_and_counted_on_the_workers_give_the_local_candidates(
    cluster: Cluster, known: Matcher, tmp_path: Path
) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    text = seeds[2].read_text("utf-8")
    (tmp_path / "zz-windows.txt").write_bytes(text.encode("cp1252"))  # read with a warning
    paths = [str(p) for p in sorted(tmp_path.glob("*.txt"))]
    local_documents = list(ingest.read_documents(paths))
    local = mining.mine(local_documents, known=known, options=OPTIONS)
    reads: list[ray_mining.Read] = []
    on_ray = ray_mining.mine_files(
        paths, cluster, known=known, options=OPTIONS, progress=reads.append, part_bytes=5_000
    )
    assert candidates_json(on_ray) == candidates_json(local)
    assert [r.path for r in reads] == paths  # in order, every file
    assert [(r.warnings, r.notes) for r in reads] == [
        (d.warnings, d.notes) for d in local_documents
    ]
    assert reads[-1].warnings and "Windows-1252" in reads[-1].warnings[0]
    assert [r.words for r in reads] == [
        sum(len(s.text.split()) for s in d.segments) for d in local_documents
    ]


class Refuses:
    """A map step that raises a user's error on the worker."""

    def __call__(self, documents: Sequence[Document], first: int) -> None:
        raise InputError(f"{documents[0].path}: cannot be read (a test).")


@LOOPBACK
def test_a_user_error_on_a_worker_is_raised_as_itself(
    cluster: Cluster, documents: list[Document]
) -> None:
    parts = [(0, cluster.ray.put(documents[:2]))]
    with pytest.raises(
        InputError, match=r"^/.*000_957990745c6b37f0.txt: cannot be read \(a test\)\.$"
    ):
        ray_mining.RayParts(cluster, parts).map(Refuses())


MINE_INPUTS = {
    "seeds": [str(SEEDS)],
    # Word (with comments), OpenDocument, a Kamerstuk PDF read with its layout,
    # Markdown and subtitles: read on the workers by the readers used locally.
    "documents": [
        str(DOCUMENTS / name)
        for name in (
            "kamerbrief.docx",
            "woo-16103.odt",
            "kst-35538-4.pdf",
            "gereedschapskist.md",
            "persconferentie.srt",
        )
    ],
}


@LOOPBACK
@pytest.mark.parametrize("inputs", list(MINE_INPUTS), ids=list(MINE_INPUTS))
def test_mine_command_on_ray_prints_the_local_candidates(ray_cluster: Any, inputs: str) -> None:
    runner = CliRunner()
    common = ["mine", *MINE_INPUTS[inputs], "--termbase", str(TERMBASE), "--no-suggest"]
    common += ["--format", "json"]
    local = runner.invoke(main, common)
    on_ray = runner.invoke(main, [*common, "--backend", "ray", "--ray-workers", "2"])
    assert local.exit_code == on_ray.exit_code == 0, on_ray.output
    assert on_ray.stdout == local.stdout
    assert len(json.loads(local.stdout)["candidates"]) == 100
    assert "Mining on a Ray started on this machine" in on_ray.stderr
    # the same summary and notes (the PDF's layout, the Word comments)
    assert on_ray.stderr.splitlines()[-1] == local.stderr.splitlines()[-1]
    notes = [n for n in local.stderr.splitlines() if n.startswith("Note:")]
    assert [n for n in on_ray.stderr.splitlines() if n.startswith("Note:")] == notes
    assert len(notes) == (2 if inputs == "documents" else 0)


@LOOPBACK
def test_a_mining_task_whose_worker_dies_is_retried(
    cluster: Cluster, documents: list[Document], tmp_path: Path
) -> None:
    step = mining.ExpansionStep(("Organisatie voor Veiligheid en Samenwerking in Europa",))
    parts = [(first, cluster.ray.put(documents[first : first + 3])) for first in (0, 3, 6)]
    on_ray = ray_mining.RayParts(cluster, parts).map(DyingStep(step, tmp_path / "died"))
    assert (tmp_path / "died").exists()
    assert on_ray == SplitParts(documents[:9], 3).map(step)
    assert any(found for _, found in on_ray)


# ------------------------------------------------------------------ check


@pytest.fixture(scope="module")
def units(documents: list[Document]) -> list[BilingualUnit]:
    """Seed segments with their Dutch copied as the 'translation' (terms missing,
    names kept) and every fifth one empty."""
    segments = [s for d in documents[:5] for s in d.segments if s.translate]
    return [
        BilingualUnit(s.text, "" if n % 5 == 0 else s.text, ref=s.ref, line=s.line)
        for n, s in enumerate(segments)
    ]


@pytest.mark.parametrize("size", [25, 100], ids=["twenty-fives", "hundreds"])
def test_chunk_reports_add_up_to_the_whole_report(units: list[BilingualUnit], size: int) -> None:
    concepts = read_termbase(TERMBASE).concepts
    whole = check_units(units, concepts, file="f.tsv")
    chunks = [units[n : n + size] for n in range(0, len(units), size)]
    merged = merge_reports([check_units(c, concepts, file="f.tsv") for c in chunks])
    assert merged == whole
    assert len(whole.concepts) > 20 and any(c.violations for c in whole.concepts)


@LOOPBACK
def test_check_on_ray_gives_the_local_report(cluster: Cluster, units: list[BilingualUnit]) -> None:
    concepts = read_termbase(TERMBASE).concepts
    local = check_units(units, concepts)
    on_ray = ray_qa.check_units(units, concepts, cluster, chunk=25)
    assert on_ray == local
    assert local.violations and local.correct and local.untranslated


@LOOPBACK
def test_check_command_on_ray(ray_cluster: Any, units: list[BilingualUnit], tmp_path: Path) -> None:
    source, target = tmp_path / "source.nl.txt", tmp_path / "target.en.txt"
    kept = [u for u in units if u.target][:120]
    source.write_text("".join(u.source.replace("\n", " ") + "\n" for u in kept), "utf-8")
    target.write_text("".join(u.target.replace("\n", " ") + "\n" for u in kept), "utf-8")
    runner = CliRunner()
    common = ["check", str(source), str(target), "--termbase", str(TERMBASE), "--format", "json"]
    local = runner.invoke(main, common)
    on_ray = runner.invoke(main, [*common, "--backend", "ray"])
    assert local.exit_code == on_ray.exit_code == 1  # violations
    assert on_ray.stdout == local.stdout
    assert json.loads(local.stdout)["violations"]


@LOOPBACK
def test_check_command_on_ray_reads_a_cat_file_with_its_options(ray_cluster: Any) -> None:
    xliff = CAT / "kadaster-sensrnet-messages.en.xlf"  # XLIFF 2.0, nl → en, 362 segments
    common = ["check", str(xliff), "--termbase", str(TERMBASE), "--format", "json"]
    common += ["--min-status", "reviewed"]
    runner = CliRunner()
    local = runner.invoke(main, common)
    on_ray = runner.invoke(main, [*common, "--backend", "ray"])
    assert local.exit_code == on_ray.exit_code == 0, on_ray.output
    assert on_ray.stdout == local.stdout
    report = json.loads(local.stdout)
    assert report["segments"] == 333 and report["untranslated"] == 32  # the rest not reviewed
    assert on_ray.stderr.splitlines()[-1] == local.stderr.splitlines()[-1]


# ------------------------------------------------------------------ errors


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


COMMANDS = {
    "translate": ["translate", str(SEEDS), "--engine", "none", "-q"],
    "mine": ["mine", str(SEEDS), "--no-suggest", "-q"],
    "check": [
        "check",
        str(SEEDS / "000_957990745c6b37f0.txt"),
        str(SEEDS / "001_aab24cd63284c81b.txt"),
    ],
}


@LOOPBACK
@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_a_wrong_address_is_one_clean_error_before_any_work(command: str, tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    out = tmp_path / "out.tsv"
    extra = ["-o", str(out)] if command != "check" else []
    args = [*COMMANDS[command], *extra, "--backend", "ray", "--ray-address", address]
    started = time.monotonic()
    result = CliRunner().invoke(main, [*args, "--termbase", str(TERMBASE)])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: Cannot reach a Ray cluster at {address}: ")
    assert "ray start --head" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("headnode", "is not HOST:PORT"),
        ("headnode:99999", "is not HOST:PORT"),
        ("ray://headnode:10001", "Ray Client addresses (ray://) are not supported"),
    ],
    ids=["no-port", "bad-port", "ray-client"],
)
def test_a_malformed_address_is_one_clean_error(address: str, message: str) -> None:
    args = [*COMMANDS["mine"], "--backend", "ray", "--ray-address", address]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def without_ray_settings() -> dict[str, str]:
    """This process's environment without what the session's Ray put there."""
    return {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}


def glossary_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


class RefusingRay:
    """A stand-in for the `ray` module whose init fails as Ray's does when
    something that is not Ray answers at the address (after its retries)."""

    def __init__(self) -> None:
        import ray

        self.exceptions = ray.exceptions
        self.options: dict[str, Any] = {}

    def init(self, **options: Any) -> None:
        self.options = options
        raise ConnectionError("Failed to connect to Ray cluster at 192.0.2.2:6379")


@LOOPBACK
def test_an_address_where_something_else_answers_is_one_clean_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    monkeypatch.setattr(os, "environ", env)  # what connecting sets stays in this test
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        address = f"127.0.0.1:{server.getsockname()[1]}"
        fake = RefusingRay()
        with pytest.raises(BackendError) as caught:
            Cluster(RaySettings(address=address))._connect(fake)
    assert str(caught.value).startswith(
        f"Cannot connect to a Ray cluster at {address}: Failed to connect to Ray cluster at "
    )
    assert "'ray start --head'" in str(caught.value)
    assert fake.options["address"] == address and fake.options["include_dashboard"] is False
    assert env["RAY_py_gcs_connect_timeout_s"] == "10"  # seconds, not minutes
    assert env["RAY_USAGE_STATS_ENABLED"] == "0"


@LOOPBACK
def test_a_cluster_that_wants_a_token_is_one_clean_error() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        address = f"127.0.0.1:{server.getsockname()[1]}"
        env = {**without_ray_settings(), "RAY_AUTH_MODE": "token"}  # and no token anywhere
        done = glossary_command(
            *COMMANDS["mine"], "--backend", "ray", "--ray-address", address, env=env
        )
    assert done.returncode == 1, done.stderr
    assert f"Error: The Ray cluster at {address} wants its authentication token" in done.stderr
    assert "ray get-auth-token" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_without_ray_installed_the_ray_backend_is_one_clean_error(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    out = tmp_path / "out.tsv"
    extra = ["-o", str(out)] if command != "check" else []
    args = [*COMMANDS[command], *extra, "--backend", "ray", "--termbase", str(TERMBASE)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The ray backend needs Ray, which cannot be imported")
    assert "pip install 'glossary[ray]'" in result.stderr
    assert not out.exists()
    with pytest.raises(BackendError, match="needs Ray"), Cluster():
        pass


@pytest.mark.parametrize(
    "option",
    [["--ray-address", "auto"], ["--ray-workers", "2"]],
    ids=["address", "workers"],
)
def test_ray_options_need_the_ray_backend(option: list[str]) -> None:
    result = CliRunner().invoke(main, [*COMMANDS["mine"], *option])
    assert result.exit_code == 2
    assert "need(s) --backend ray" in result.stderr


def test_the_backend_choices_are_the_library_s() -> None:
    from glossary.cli.common import BACKEND_CHOICES

    assert BACKEND_CHOICES == BACKENDS


def test_ray_is_imported_only_when_asked_for() -> None:
    code = (
        "import sys\n"
        "from glossary.cli import main\n"
        "for args in (['--help'], ['translate', '--help'], ['mine', '--help'],\n"
        "             ['check', '--help'], ['mine', 'seeds', '--no-suggest', '-q']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('ray' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "False"
