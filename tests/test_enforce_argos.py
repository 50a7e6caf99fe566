"""Glossary enforcement with the tiny random-weight Argos package, and on the seeds.

The model's output is junk, so these tests check only what enforcement
guarantees: every approved term is in the translation (the terminology QA
agrees), forbidden renderings are not, segments without terms are the plain
translation, and the report counts what the QA counts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import qa
from glossary.cli import main
from glossary.document import SegmentResult, TermUse, TranslatedDocument
from glossary.enforcement import cascade as enforce
from glossary.enforcement.cascade import EnforceOptions, Enforcer
from glossary.enforcement.report import build_report
from glossary.engines.argos.engine import ArgosEngine
from glossary.engines.argos.packages import Package
from glossary.engines.base import Request
from glossary.exchange.importing import read_units
from glossary.matching.verify import Glossary
from glossary.reading import ingest
from glossary.termbase.store import read_termbase
from glossary.translation import pipeline as tr
from glossary.translation import writers as docwriters
from test_enforce import CASES, GLOSSARY, Case, check_guarantees

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TERMBASE = ROOT / "glossary" / "termbase.tsv"
# Whole-seed runs through the real model: seconds each (`make test-fast` skips them).
pytestmark = pytest.mark.slow


@pytest.fixture
def engine(tiny_package: Package) -> ArgosEngine:
    return ArgosEngine(tiny_package, beam_size=4, threads=1)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary(read_termbase(TERMBASE).concepts)


@pytest.fixture(scope="module")
def documents() -> list[ingest.Document]:
    return list(ingest.read_documents([str(SEEDS)]))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("budget", [0.0, 1.0], ids=["replace-only", "every-step"])
def test_enforcement_cases_with_the_tiny_argos_model(
    case: Case, budget: float, engine: ArgosEngine
) -> None:
    options = EnforceOptions(redecode_budget=budget, **case.options)
    enforcer = Enforcer(engine, GLOSSARY, options)
    result = enforcer.translate_texts([case.source])[0]
    check_guarantees(case, result)
    assert all(u.step in enforce.STEPS for u in result.terms)
    if not budget:
        assert all(u.step in ("nbest", "replace") for u in result.terms)


def test_segments_without_terms_are_the_plain_translation(
    engine: ArgosEngine, documents: list[ingest.Document], shipped: Glossary
) -> None:
    texts = list(tr.plan(documents).counts)
    plain = [h[0].text for h in engine.translate_batch([Request(t) for t in texts])]
    # The first pass asks for n-best lists and the alignment; the best
    # hypothesis must not change.
    first = engine.translate_batch([Request(t, n_best=4, alignment=True) for t in texts])
    assert [h[0].text for h in first] == plain
    results = Enforcer(engine, shipped).translate_texts(texts)
    free = [(p, r) for p, r in zip(plain, results, strict=True) if not r.terms]
    assert len(free) == 28
    assert all(r.target == p for p, r in free)


def to_units(docs: Sequence[TranslatedDocument], tmp_path: Path) -> list[qa.BilingualUnit]:
    """The translation as `glossary translate --format tsv` writes it, read back."""
    path = tmp_path / "seeds.tsv"
    with path.open("w", encoding="utf-8") as stream:
        docwriters.write_tsv(docs, stream)
    return read_units(path)


@pytest.mark.parametrize(
    "options",
    [
        EnforceOptions(),
        EnforceOptions(redecode_budget=2.0, min_success=0.0),
        EnforceOptions(redecode_budget=2.0, mask="placeholder", min_success=0.0),
    ],
    ids=["defaults", "every-step", "placeholders"],
)
def test_seeds_end_to_end_report_and_qa_agree(
    options: EnforceOptions,
    engine: ArgosEngine,
    documents: list[ingest.Document],
    shipped: Glossary,
    tmp_path: Path,
) -> None:
    enforcer = Enforcer(engine, shipped, options)
    docs = tr.translate_documents(documents, enforcer)
    report = build_report(docs, shipped, enforcer.notes())
    independent = qa.check_units(to_units(docs, tmp_path), shipped.concepts)
    assert report.occurrences == independent.occurrences > 700
    assert report.enforced == independent.correct == independent.occurrences
    assert report.failed == 0 and report.accuracy == 1.0
    assert not independent.violations, independent.violations[:3]
    uses = [u for d in docs for s in d.segments for u in s.terms]
    assert len(uses) == report.occurrences
    for d in docs:
        for s in d.segments:
            for u in s.terms:
                assert s.target[u.target_start : u.target_end] == u.target
    steps = report.steps()
    assert sum(steps.values()) == report.occurrences
    notes = {n.step: n for n in enforcer.notes()}
    if options.redecode_budget == 2.0:
        # Every step ran on the real engine; the random model never passes
        # step 2, and a forced prefix always holds its terms.
        assert notes["mask"].attempted > 200 and notes["prefix"].attempted > 150
        assert steps["prefix"] > 400
        assert notes["prefix"].succeeded == notes["prefix"].attempted
    else:
        assert notes["mask"].dropped.startswith("0 of 8 probe re-decodes succeeded")
        assert notes["prefix"].skipped["budget"] > 100
    assert report.summary().startswith(
        f"Terms: {report.occurrences} occurrences, 100.0% enforced (nbest "
    )


def test_mask_forms_survive_the_tokenizer(tiny_package: Package) -> None:
    """Which masks reach the model intact: the English term and TERM_1 round
    trip through the package's SentencePiece model; brackets and other
    symbols it never saw become unknown pieces."""
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(tiny_package.tokenizer_path))

    def survives(mask: str) -> bool:
        text = f"De {mask} riep op."
        ids = sp.encode(text)
        return sp.unk_id() not in ids and sp.decode(ids) == text

    assert all(map(survives, ["ceasefire", "OSCE", "Eastern Partnership", "TERM_1", "TERM_12"]))
    assert not any(map(survives, ["[1]", "⟨1⟩", "§1", "<t1>"]))


# ----------------------------------------------------------------- CLI


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_translate_enforces_by_default_and_check_agrees(
    tiny_package: Package, shipped: Glossary, tmp_path: Path
) -> None:
    out, report_path = tmp_path / "seeds.tsv", tmp_path / "terms.json"
    args = ["-o", str(out), "--report", str(report_path), "--strict", "--threads", "1"]
    code, stdout, err = run("translate", str(SEEDS), *args)
    assert code == 0, err
    assert stdout == ""
    summary = [line for line in err.splitlines() if line.startswith("Terms: ")]
    assert summary and summary[0].startswith("Terms: 745 occurrences, 100.0% enforced (nbest ")
    assert summary[0].split("), ")[1].startswith("0 failed")
    assert f"Wrote the term report to {report_path}" in err
    report = json.loads(report_path.read_text("utf-8"))
    assert report["format"] == "glossary-enforcement-report" and report["version"] == 1
    assert (report["occurrences"], report["enforced"], report["failed"]) == (745, 745, 0)
    assert report["signature"].endswith(f"|glossary:enforce|termbase:{shipped.digest}")
    assert sum(report["steps"].values()) == 745
    assert sum(c["occurrences"] for c in report["concepts"]) == 745
    assert [r["step"] for r in report["repairs"]] == ["mask", "prefix"]
    # A term inside a closed compound is reported, not enforced.
    assert [(u["concept_id"], u["term"]) for u in report["unenforced"]] == [
        ("burger", "burgerdoelwitten")
    ]
    # Every edit not made by the model is listed for review, with what it replaced.
    assert report["review"] and all(r["edit"] in ("replaced", "inserted") for r in report["review"])
    assert all(r["before"] for r in report["review"] if r["edit"] == "replaced")
    # The independent count: 'glossary check' on the translation.
    code, stdout, err = run("check", str(out), "--termbase", str(TERMBASE), "--format", "json")
    assert code == 0, stdout
    checked = json.loads(stdout)
    assert checked["term_occurrences"] == report["occurrences"]
    assert checked["correct"] == report["enforced"] and checked["violations"] == []
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8")), delimiter="\t"))
    assert len(rows) == 1 + sum(len(d.segments) for d in ingest.read_documents([str(SEEDS)]))


def test_report_as_a_table_and_forced_json(tiny_package: Package, tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[4]
    table = tmp_path / "terms.txt"
    code, _, err = run(
        "translate", str(seed), "-o", str(tmp_path / "x.txt"), "--report", str(table)
    )
    assert code == 0, err
    text = table.read_text("utf-8")
    assert text.splitlines()[0].split()[:4] == ["ID", "NL", "EN", "OCC"]
    assert "Re-decoding steps:\n  mask: " in text
    assert text.endswith("0 failed\n") or "listed in the report" in text.splitlines()[-1]
    forced = tmp_path / "terms.log"
    args = ["--report", str(forced), "--report-format", "json", "-q"]
    code, _, err = run("translate", str(seed), "-o", str(tmp_path / "y.txt"), *args)
    assert (code, err) == (0, "")
    assert json.loads(forced.read_text("utf-8"))["failed"] == 0


def test_no_glossary_is_the_plain_translation(tiny_package: Package, tmp_path: Path) -> None:
    seed = str(sorted(SEEDS.glob("*.txt"))[1])
    code, plain, err = run("translate", seed, "--no-glossary", "--threads", "1")
    assert code == 0 and "Terms:" not in err
    code, enforced, err = run("translate", seed, "--threads", "1")
    assert code == 0 and "Terms: " in err
    assert plain != enforced
    # A termbase named by the environment is not an explicit --termbase.
    runner = CliRunner(env={"GLOSSARY_TERMBASE": str(TERMBASE)})
    result = runner.invoke(main, ["translate", seed, "--no-glossary", "--threads", "1"])
    assert result.exit_code == 0 and result.stdout == plain


def test_engine_none_gives_term_hints(tmp_path: Path) -> None:
    target = tmp_path / "seeds.po"
    report_path = tmp_path / "terms.json"
    args = ["--engine", "none", "-o", str(target), "--report", str(report_path)]
    code, _, err = run("translate", str(SEEDS), *args)
    assert code == 0, err
    assert "Terms: 745 occurrences in 241 segments, given as hints" in err
    po_text = target.read_text("utf-8")
    assert (
        "#. Term: staakt-het-vuren → ceasefire (also: cease-fire; not: stop-the-fire, " in po_text
    )
    terms = [line for line in po_text.splitlines() if line.startswith("#. Term: ")]
    entries = po_text.split("\n\n")
    for entry in entries:  # one hint per concept per segment
        heads = [
            line.split(" → ")[0] for line in entry.splitlines() if line.startswith("#. Term: ")
        ]
        assert len(heads) == len(set(heads)), entry
    assert len(terms) < 744
    report = json.loads(report_path.read_text("utf-8"))
    assert (report["hints"], report["enforced"], report["term_accuracy"]) == (745, 0, None)


def test_strict_exits_1_when_a_term_could_not_be_enforced(
    tiny_package: Package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Enforcer.translate_texts

    def losing(self: Enforcer, texts: Sequence[str]) -> list[SegmentResult]:
        results = real(self, texts)
        lost = TermUse("ovse", "OVSE", 0, 4, "OSCE", "failed", detail="lost on purpose")
        return [
            SegmentResult(r.target, r.score, (lost,)) if "OVSE" in t else r
            for t, r in zip(texts, results, strict=True)
        ]

    monkeypatch.setattr(Enforcer, "translate_texts", losing)
    out, report_path = tmp_path / "seeds.txt", tmp_path / "terms.txt"
    args = ["-o", str(out), "--report", str(report_path), "--threads", "1"]
    code, _, err = run("translate", str(SEEDS), *args)
    assert code == 0, err  # without --strict, failures are reported only
    code, _, err = run("translate", str(SEEDS), *args, "--strict")
    assert code == 1
    assert err.splitlines()[-1].startswith("Error: ") and "could not be enforced" in err
    assert out.exists() and "Failures:" in report_path.read_text("utf-8")
    assert "lost on purpose" in report_path.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-glossary", "--strict"], "--no-glossary turns term enforcement off"),
        (["--no-glossary", "--report", "r.json"], "--no-glossary turns term enforcement off"),
        (["--no-glossary", "--termbase", "t.tsv"], "--no-glossary turns term enforcement off"),
        (["--report", "-"], "write the report to a file"),
        (["--redecode-budget", "201"], "Invalid value for '--redecode-budget'"),
        (["--report-format", "xml"], "Invalid value for '--report-format'"),
    ],
    ids=["strict", "report", "termbase", "report-to-stdout", "budget", "report-format"],
)
def test_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    code, out, err = run("translate", str(SEEDS), "--engine", "none", *args)
    assert (code, out) == (2, "")
    assert message in err


def test_missing_termbase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "doc.txt"
    source.write_text("De OVSE riep op tot een staakt-het-vuren.\n", "utf-8")
    code, _, err = run("translate", str(source), "--engine", "none")
    assert code == 0
    assert err.startswith("Warning: No termbase found") and "--no-glossary" in err
    assert "Terms:" not in err
    code, _, err = run("translate", str(source), "--engine", "none", "--strict")
    assert code == 1 and err.startswith("Error: No termbase found")
    code, _, err = run("translate", str(source), "--engine", "none", "--termbase", "no.tsv")
    assert code == 1 and err.startswith("Error: Termbase no.tsv does not exist")
