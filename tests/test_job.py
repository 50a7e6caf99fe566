"""The translation job (glossary.translation.job), called as a library: no Click.

Planned, run and written the way a web UI or a distributed runner would:
plan (inputs, engine, outputs checked), strategy, one document at a time or
all, and outputs written all or none.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pytest

from conftest import ROOT, SEEDS
from glossary.document import TranslatedDocument
from glossary.engines.argos.packages import Package
from glossary.errors import (
    OptionConflict,
    OutputError,
    TermbaseNotFound,
    UnreadableFile,
)
from glossary.files import formats
from glossary.translation import job

TERMBASE = ROOT / "glossary" / "termbase.tsv"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the cwd) with the shipped termbase and two seed documents."""
    (tmp_path / "glossary").mkdir()
    shutil.copy(TERMBASE, tmp_path / "glossary" / "termbase.tsv")
    (tmp_path / "in").mkdir()
    for seed in SEED_FILES[:2]:
        shutil.copy(seed, tmp_path / "in" / seed.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def request(**changes: object) -> job.JobRequest:
    return dataclasses.replace(job.JobRequest(inputs=("in",), engine="none"), **changes)  # type: ignore[arg-type]


def test_plan_run_and_write_from_the_library(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = job.plan_job(request(out_dir="out", format="po", report="out/terms.json"))
    assert [Path(d.path).name for d in plan.documents] == [p.name for p in SEED_FILES[:2]]
    assert plan.engine == "none" and plan.package is None
    assert plan.termbase == Path("glossary/termbase.tsv").resolve() or plan.termbase is not None
    assert plan.concepts and all(c.status for c in plan.concepts)
    assert plan.outputs.files == tuple(Path("out") / (p.stem + ".po") for p in SEED_FILES[:2])
    assert plan.outputs.report == Path("out/terms.json") and plan.outputs.report_json
    assert not Path("out").exists()  # planning writes nothing
    seen: list[tuple[int, int]] = []
    result = job.execute(plan, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, plan.segments) and seen[-1] == (plan.segments, plan.segments)
    assert sorted(p.name for p in Path("out").iterdir()) == sorted(
        [p.stem + ".po" for p in SEED_FILES[:2]] + ["terms.json"]
    )
    assert result.written == (*plan.outputs.files, Path("out/terms.json"))
    assert result.report is not None and result.report.hints > 0
    assert capsys.readouterr() == ("", "")  # the library prints nothing


def test_warnings_and_notes_are_returned_not_printed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "in" / "oud.txt").write_bytes("Armenië en de OVSE.\n".encode("cp1252"))
    (project / "in" / "job.xlf").write_bytes(
        (ROOT / "tests/data/formats/NSTest01.xlf").read_bytes()
    )
    (project / "glossary" / "termbase.tsv").unlink()
    plan = job.plan_job(request(engine="auto"))
    assert [Path(s.path).name for s in plan.skipped] == ["job.xlf"]
    assert any("oud.txt:1: not valid UTF-8" in w for w in plan.warnings)
    assert any(w.startswith("No termbase found") for w in plan.warnings)
    assert plan.notes == (
        "No nl→en Argos model is installed. Run: glossary model install --from "
        "FILE.argosmodel (or 'glossary model install nl en' when online); translating "
        "with --engine none (term hints only).",
    )
    assert plan.engine == "none" and plan.concepts is None
    assert capsys.readouterr() == ("", "")


def test_stdout_is_a_stream_the_caller_gives(project: Path) -> None:
    plan = job.plan_job(request(inputs=("in/" + SEED_FILES[0].name,), format="tsv"))
    out = io.StringIO()
    result = job.execute(plan, stdout=out)
    assert result.written == ()
    assert out.getvalue().startswith("doc\tline\tkind\tsource\ttarget\tscore\n")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"report": "in/" + SEED_FILES[0].name}, "report to in/.*: it is an input of this run"),
        (
            {"report": "glossary/termbase.tsv"},
            "report to glossary/termbase.tsv: it is the termbase",
        ),
        ({"output": "glossary/termbase.tsv"}, "overwrite the termbase glossary/termbase.tsv"),
        ({"output": "in/" + SEED_FILES[1].name}, "overwrite the input"),
        ({"output": "o.txt", "report": "o.txt"}, "report to o.txt: the translation goes there"),
        (
            {"out_dir": "out", "report": f"out/{SEED_FILES[0].stem}.txt"},
            "the translation goes there",
        ),
        ({"glossary": False, "output": "glossary/termbase.tsv"}, "overwrite the termbase"),
    ],
    ids=[
        "report-is-an-input",
        "report-is-the-termbase",
        "output-is-the-termbase",
        "output-is-an-input",
        "report-is-the-output",
        "report-is-an-output-in-the-folder",
        "termbase-protected-without-glossary",
    ],
)
def test_outputs_never_overwrite_inputs_or_the_termbase(
    project: Path, changes: dict[str, object], message: str
) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    with pytest.raises(OutputError, match=message):
        job.plan_job(request(**changes))
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_a_hard_link_to_an_input_is_the_input(project: Path) -> None:
    source = project / "in" / SEED_FILES[0].name
    os.link(source, project / "alias.txt")
    with pytest.raises(OutputError, match=r"overwrite the input alias\.txt"):
        job.plan_job(request(output="alias.txt"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"output": "a.txt", "out_dir": "d"}, "either -o/--output or --out-dir"),
        ({"glossary": False, "report": "r.txt"}, "--no-glossary turns term enforcement off"),
        ({"report": "-"}, "write the report to a file"),
    ],
    ids=["output-and-out-dir", "no-glossary-with-report", "both-to-stdout"],
)
def test_conflicting_options(project: Path, changes: dict[str, object], message: str) -> None:
    with pytest.raises(OptionConflict, match=message):
        job.plan_job(request(**changes))


def test_a_required_termbase_that_is_missing(project: Path) -> None:
    (project / "glossary" / "termbase.tsv").unlink()
    with pytest.raises(TermbaseNotFound):
        job.plan_job(request(strict=True))


def test_bilingual_input_is_refused_or_read_as_its_source_side(project: Path) -> None:
    shutil.copy(ROOT / "tests/data/formats/NSTest01.xlf", project / "job.xlf")
    # A CAT job now (issue 14), refused for its language pair (en → fr).
    with pytest.raises(UnreadableFile, match=r"job\.xlf declares the language pair en → fr"):
        job.plan_job(request(inputs=("job.xlf",)))
    plan = job.plan_job(request(inputs=("job.xlf",), source_side=True, output="job.en.txt"))
    # translate="no" units are not read
    assert [s.text for s in plan.documents[0].segments] == ["Text number 1"]
    assert plan.notes and "read the source side of its 1 unit " in plan.notes[0]


# ------------------------------------------------------ all outputs or none


def explode_on_second(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    """A writer that fails on the second document it is asked for."""
    explode_on_second.calls += 1  # type: ignore[attr-defined]
    stream.write("half")
    if explode_on_second.calls == 2:  # type: ignore[attr-defined]
        raise RuntimeError("disk trouble")


def use_writer(monkeypatch: pytest.MonkeyPatch, name: str, target: str) -> None:
    fmt = formats.get(name)
    field = "document_writer" if fmt.document_writer else "bilingual_writer"
    monkeypatch.setitem(formats.FORMATS, name, dataclasses.replace(fmt, **{field: target}))


def old_outputs(project: Path) -> dict[str, bytes]:
    out = project / "out"
    out.mkdir()
    for seed in SEED_FILES[:2]:
        (out / (seed.stem + ".txt")).write_bytes(b"old " + seed.name.encode())
    (out / "terms.txt").write_bytes(b"old report")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_an_error_while_writing_leaves_the_old_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_outputs(project)
    explode_on_second.calls = 0  # type: ignore[attr-defined]
    use_writer(monkeypatch, "text", "test_job:explode_on_second")
    plan = job.plan_job(request(out_dir="out", report="out/terms.txt"))
    with pytest.raises(RuntimeError, match="disk trouble"):
        job.execute(plan)
    assert {p.name: p.read_bytes() for p in (project / "out").iterdir()} == before


def test_an_error_while_putting_files_in_place_restores_the_old_ones(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_outputs(project)
    plan = job.plan_job(request(out_dir="out", report="out/terms.txt"))
    real_replace = Path.replace
    calls = {"n": 0}

    def replace(self: Path, target: str | Path) -> Path:
        if str(self).endswith(".tmp"):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt  # Ctrl-C between the first and second rename
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        job.execute(plan)
    assert {p.name: p.read_bytes() for p in (project / "out").iterdir()} == before


def test_ctrl_c_while_translating_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glossary.enforcement.hints import Hinter

    def interrupted(self: object, texts: Sequence[str]) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(Hinter, "translate_texts", interrupted)
    plan = job.plan_job(request(out_dir="out"))
    with pytest.raises(KeyboardInterrupt):
        job.execute(plan)
    assert not (project / "out").exists()


# ------------------------------------------------ separable: one document


def test_one_document_at_a_time_gives_the_same_results(project: Path) -> None:
    plan = job.plan_job(request())
    strategy = job.make_strategy(plan)
    together = job.run_job(plan, strategy=strategy).documents
    alone = tuple(job.translate_one(strategy, d) for d in plan.documents)
    assert alone == together


@pytest.mark.parametrize("glossary", [False, True], ids=["plain", "enforced"])
def test_one_document_at_a_time_with_a_model(
    tiny_package: Package, project: Path, glossary: bool
) -> None:
    """What a distributed runner relies on: each document translated on its own (as
    a remote worker would) gives what the whole run gives, enforcement included."""
    plan = job.plan_job(request(engine="argos", glossary=glossary, beam=1, threads=1))
    strategy = job.make_strategy(plan)
    together = job.run_job(plan, strategy=strategy).documents
    alone = tuple(job.translate_one(job.make_strategy(plan), d) for d in plan.documents)
    assert [[(s.target, s.terms) for s in d.segments] for d in alone] == [
        [(s.target, s.terms) for s in d.segments] for d in together
    ]
    assert all(s.target for d in together for s in d.segments if s.segment.translate)
    if glossary:
        uses = [t for d in together for s in d.segments for t in s.terms]
        assert any(t.status == "enforced" for t in uses)


def test_cli_choices_match_the_job() -> None:
    """The CLI keeps literal choices (fast --help); they must not drift."""
    from glossary.cli import translate as cli_translate

    assert cli_translate.ENGINE_CHOICES == job.ENGINES
    assert cli_translate.REPORT_FORMATS == job.REPORT_FORMATS
