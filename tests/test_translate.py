"""The translation pipeline and the `glossary translate` command."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.document import TermUse, TranslatedDocument
from glossary.engines.argos.engine import ArgosEngine
from glossary.engines.argos.packages import Package
from glossary.engines.base import Hypothesis, Request, parse_signature
from glossary.engines.none import NoneEngine
from glossary.files import formats
from glossary.reading import ingest
from glossary.translation import pipeline as tr
from glossary.translation import writers as docwriters
from test_docwriters import make_doc

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NO_MODEL = (
    "Error: No nl→en Argos model is installed. Run: glossary model install --from "
    "FILE.argosmodel (or 'glossary model install nl en' when online)\n"
)


class Recorder:
    """A deterministic engine that records what it was asked."""

    signature = "engine:recorder"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        self.calls.append([r.source for r in requests])
        return [[Hypothesis(f"EN[{r.source}]", -float(len(r.source)))] for r in requests]


DOCS = [
    make_doc(
        "a.txt",
        [
            ("heading", ["Inleiding"]),
            ("text", ["Het leger.", "De OVSE.", "Het leger."]),
            ("furniture", ["Pagina 1 van 2"]),
        ],
    ),
    make_doc("b.txt", [("text", ["De OVSE.", "Een nieuwe zin."]), ("footnote", ["1 Bron."])]),
]


# ------------------------------------------------------------ pipeline


def test_identical_texts_are_translated_once_and_furniture_never() -> None:
    engine = Recorder()
    out = tr.translate_documents(DOCS, tr.PlainTranslator(engine))
    sent = [text for call in engine.calls for text in call]
    assert sorted(sent) == sorted(
        ["Inleiding", "Het leger.", "De OVSE.", "Een nieuwe zin.", "1 Bron."]
    )
    assert "Pagina 1 van 2" not in sent
    first = out[0]
    assert [ts.target for ts in first.segments] == [
        "EN[Inleiding]",
        "EN[Het leger.]",
        "EN[De OVSE.]",
        "EN[Het leger.]",
        "",
    ]
    assert first.segments[1].score == -10.0
    assert first.segments[4].score is None
    assert [ts.segment for ts in first.segments] == list(DOCS[0].segments)
    assert [ts.target for ts in out[1].segments] == [
        "EN[De OVSE.]",
        "EN[Een nieuwe zin.]",
        "EN[1 Bron.]",
    ]
    assert first.signature == out[1].signature == "engine:recorder"


def test_texts_go_out_sorted_by_length_in_chunks_with_progress() -> None:
    engine = Recorder()
    progress: list[tuple[int, int]] = []
    tr.translate_documents(
        DOCS,
        tr.PlainTranslator(engine),
        progress=lambda d, t: progress.append((d, t)),
        chunk_size=2,
    )
    assert [len(call) for call in engine.calls] == [2, 2, 1]
    lengths = [len(text) for call in engine.calls for text in call]
    assert lengths == sorted(lengths)
    # Segment counts, duplicates included: 7 translatable segments in all.
    assert progress[0] == (0, 7) and progress[-1] == (7, 7)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert len(progress) == 4


def test_plan_counts_translatable_segments() -> None:
    work = tr.plan(DOCS)
    assert (work.total, work.unique) == (7, 5)
    assert work.counts["De OVSE."] == 2


def test_blank_segments_are_not_sent() -> None:
    engine = Recorder()
    doc = make_doc("c.txt", [("text", ["  ", "Zin."])])
    out = tr.translate_documents([doc], tr.PlainTranslator(engine))
    assert engine.calls == [["Zin."]]
    assert [ts.target for ts in out[0].segments] == ["", "EN[Zin.]"]


def test_no_documents() -> None:
    engine = Recorder()
    assert tr.translate_documents([], tr.PlainTranslator(engine)) == []
    assert engine.calls == []


def test_a_strategy_can_add_terms() -> None:
    class Upper:
        signature = "engine:upper|glossary:yes"

        def translate_texts(self, texts: Sequence[str]) -> list[tr.SegmentResult]:
            return [
                tr.SegmentResult(t.upper(), 0.0, (TermUse("ovse", "OVSE", 3, 7, "OSCE"),))
                if "OVSE" in t
                else tr.SegmentResult(t.upper())
                for t in texts
            ]

    out = tr.translate_documents(DOCS, Upper())
    ovse = out[0].segments[2]
    assert ovse.target == "DE OVSE." and ovse.terms[0].target == "OSCE"
    assert out[0].segments[1].terms == ()
    assert out[0].signature == "engine:upper|glossary:yes"


def test_a_strategy_returning_too_few_results_is_a_bug() -> None:
    class Broken:
        signature = "x"

        def translate_texts(self, texts: Sequence[str]) -> list[tr.SegmentResult]:
            return []

    with pytest.raises(RuntimeError, match="Broken returned 0 results"):
        tr.translate_documents(DOCS, Broken())


def test_none_engine_gives_empty_targets() -> None:
    out = tr.translate_documents(DOCS, tr.PlainTranslator(NoneEngine()))
    assert all(ts.target == "" and ts.score is None for doc in out for ts in doc.segments)
    assert out[0].signature == "engine:none"


def test_seeds_end_to_end_through_the_argos_engine(tiny_package: Package) -> None:
    documents = list(ingest.read_documents([str(SEEDS)]))
    assert len(documents) == 5
    engine = ArgosEngine(tiny_package, beam_size=1, threads=1)
    out = tr.translate_documents(documents, tr.PlainTranslator(engine))
    targets: dict[str, str] = {}
    for doc in out:
        for ts in doc.segments:
            if not ts.segment.translate:
                assert ts.target == ""
                continue
            assert ts.target.strip() and ts.score is not None
            # Identical texts share one translation.
            assert targets.setdefault(ts.segment.text, ts.target) == ts.target
    assert parse_signature(out[0].signature)["package"] == tiny_package.name


# ----------------------------------------------------------------- CLI


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def install_with_cli(archive: Path) -> None:
    code, out, err = run("model", "install", "--from", str(archive), "-q")
    assert code == 0, err
    assert out == "translate-nl_en-0_1\n"


def test_translate_without_a_model_stops_with_one_line(tmp_path: Path) -> None:
    code, out, err = run("translate", str(SEEDS), "-o", str(tmp_path / "x.txt"))
    assert (code, out, err) == (1, "", NO_MODEL)
    assert list(tmp_path.iterdir()) == []


def test_translate_the_seeds_to_a_folder(tiny_argosmodel: Path, tmp_path: Path) -> None:
    install_with_cli(tiny_argosmodel)
    out_dir = tmp_path / "out" / "en"
    args = ["--out-dir", str(out_dir), "--beam", "2"]
    code, out, err = run("translate", str(SEEDS), *args)
    assert code == 0, err
    assert out == ""
    work = tr.plan(ingest.read_documents([str(SEEDS)]))
    assert f"Translating {work.total} segments ({work.unique} distinct)" in err
    assert f"Translated {work.total} segments" in err and "beam:2" in err
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted(p.stem + ".txt" for p in SEEDS.glob("*.txt"))
    for source in sorted(SEEDS.glob("*.txt")):
        doc = ingest.read_document(str(source))
        text = (out_dir / (source.stem + ".txt")).read_text("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n\n")
        assert len(text.rstrip("\n").split("\n\n")) == len(doc.paragraphs)


def test_translate_to_json_with_the_model_signature(tiny_package: Package, tmp_path: Path) -> None:
    target = tmp_path / "seeds.json"
    # Without the glossary: every target is the model's own hypothesis, with its score.
    args = ["-o", str(target), "--threads", "1", "-q", "--no-glossary"]
    code, out, err = run("translate", str(SEEDS), *args)
    assert (code, out, err) == (0, "", "")
    data = json.loads(target.read_text("utf-8"))
    assert data["model"]["package"] == "translate-nl_en-0_1"
    assert data["model"]["version"] == "0.1"
    assert data["model"]["beam"] == 4 and data["model"]["compute_type"] == "int8"
    assert len(data["documents"]) == 5
    segments = [s for d in data["documents"] for s in d["segments"]]
    assert len(segments) == sum(len(d.segments) for d in ingest.read_documents([str(SEEDS)]))
    assert all(s["target"] and s["score"] < 0 for s in segments if s["translated"])


def test_translate_tsv_to_stdout(tiny_package: Package) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[1]
    code, out, err = run("translate", str(seed), "--format", "tsv", "--beam", "1", "--threads", "1")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == list(docwriters.TSV_COLUMNS)
    assert len(rows) == 1 + len(ingest.read_document(str(seed)).segments)
    assert all(row[0] == str(seed) and row[4] for row in rows[1:])


def test_engine_none_gives_the_same_outputs_with_empty_targets(tmp_path: Path) -> None:
    code, out, err = run("translate", str(SEEDS), "--engine", "none", "-o", str(tmp_path / "s.tsv"))
    assert (code, out) == (0, ""), err
    rows = (tmp_path / "s.tsv").read_text("utf-8").splitlines()
    assert len(rows) == 1 + sum(len(d.segments) for d in ingest.read_documents([str(SEEDS)]))
    assert all(row.split("\t")[4:] == ["", ""] for row in rows[1:])
    assert "engine:none" in err


def test_engine_auto_without_a_model_falls_back_to_hints_with_a_note(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    target = tmp_path / "s.po"
    code, out, err = run("translate", str(seed), "--engine", "auto", "-o", str(target))
    assert (code, out) == (0, ""), err
    note = [line for line in err.splitlines() if line.startswith("Note: ")]
    assert note == [
        "Note: No nl→en Argos model is installed. Run: glossary model install --from "
        "FILE.argosmodel (or 'glossary model install nl en' when online); translating "
        "with --engine none (term hints only)."
    ]
    assert "engine:none" in err and "given as hints" in err
    assert 'msgstr ""' in target.read_text("utf-8")


def test_engine_auto_with_a_model_translates(tiny_package: Package, tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    target = tmp_path / "s.json"
    args = ["--engine", "auto", "-o", str(target), "--beam", "1", "--threads", "1"]
    code, out, err = run("translate", str(seed), *args)
    assert (code, out) == (0, ""), err
    assert "Note: " not in err
    data = json.loads(target.read_text("utf-8"))
    assert data["model"]["package"] == "translate-nl_en-0_1"


def test_stdin_to_stdout(tiny_package: Package) -> None:
    args = ["--beam", "1", "--threads", "1"]
    code, out, err = run("translate", "-", *args, input="Het leger.\n\nDe OVSE.\n")
    assert code == 0, err
    paragraphs = out.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 2 and all(paragraphs)


def test_stdin_to_a_folder_is_named_stdin(tmp_path: Path) -> None:
    code, _, err = run(
        "translate",
        "-",
        "--engine",
        "none",
        "--out-dir",
        str(tmp_path),
        "--format",
        "json",
        input="Het leger.\n",
    )
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["stdin.json"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-o", "x.txt", "--out-dir", "d"], 2, "either -o/--output or --out-dir"),
        (["-o", "missing/folder/x.txt"], 1, "folder missing/folder does not exist"),
        (["-o", "x.rtf"], 1, "Cannot tell the output format from 'x.rtf'"),
        (["-o", "x.docx"], 1, "A docx file holds one document; 5 inputs were given"),
        (["--format", "rtf"], 2, "Invalid value for '--format'"),
        (["--beam", "0"], 2, "Invalid value for '--beam'"),
        (["--engine", "deepl"], 2, "Invalid value for '--engine'"),
    ],
    ids=[
        "both-outputs",
        "missing-folder",
        "unknown-suffix",
        "docx-of-five",
        "bad-format",
        "bad-beam",
        "bad-engine",
    ],
)
def test_bad_options(
    args: list[str], code: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    got, out, err = run("translate", str(SEEDS), "--engine", "none", *args)
    assert got == code
    assert message in err and out == ""
    assert list(tmp_path.iterdir()) == []


def test_output_to_a_folder_is_refused_before_translating(
    tiny_package: Package, tmp_path: Path
) -> None:
    folder = tmp_path / "out.txt"
    folder.mkdir()
    code, out, err = run("translate", str(SEEDS), "-o", str(folder))
    assert (code, out) == (1, "")
    assert err == f"Error: Cannot write {folder}: it is a folder. Give a file name.\n"
    assert list(folder.iterdir()) == []


def test_report_into_the_new_out_dir(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    args = ["--engine", "none", "--out-dir", str(out_dir), "--report", str(out_dir / "t.txt")]
    code, out, err = run("translate", str(SEEDS), "--format", "po", *args)
    assert (code, out) == (0, ""), err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted([p.stem + ".po" for p in SEEDS.glob("*.txt")] + ["t.txt"])
    assert "ID" in (out_dir / "t.txt").read_text("utf-8")


def test_report_into_a_missing_folder_is_refused_before_translating(tmp_path: Path) -> None:
    target = tmp_path / "seeds.tsv"
    report = tmp_path / "missing" / "terms.txt"
    code, out, err = run(
        "translate", str(SEEDS), "--engine", "none", "-o", str(target), "--report", str(report)
    )
    assert (code, out) == (1, "")
    assert err == (
        f"Error: Cannot write the report {report}: folder {report.parent} does not exist. "
        "Create it first.\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "nope.txt", "no such file or folder"),
        (
            lambda d: (d / "x.pdf").write_bytes(b"%PDF-1.4\n\x00\x01") and d / "x.pdf",
            "cannot be read as a PDF",
        ),
        (lambda d: (d / "empty").mkdir() or d / "empty", "the folder has no"),
    ],
    ids=["missing", "pdf", "empty-folder"],
)
def test_unreadable_input(make: object, message: str, tmp_path: Path) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    code, out, err = run("translate", str(path), "--engine", "none", "-o", str(tmp_path / "o.txt"))
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and message in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "o.txt").exists()


def test_missing_writer_module_is_reported_before_translating(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_writer(monkeypatch, "po", "glossary.no_such_po:write_translations")
    code, out, err = run("translate", str(SEEDS), "-o", str(tmp_path / "x.po"))
    assert (code, out) == (1, "")
    assert err == (
        "Error: The po bilingual writer is not available: module glossary.no_such_po is "
        "missing from this installation. Choose another format.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_inputs(tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("Het leger.\n", "utf-8")
    code, _, err = run("translate", str(source), "--engine", "none", "--out-dir", str(tmp_path))
    assert code == 1 and "Refusing to overwrite the input" in err
    assert source.read_text("utf-8") == "Het leger.\n"
    code, _, err = run("translate", str(source), "--engine", "none", "-o", str(source))
    assert code == 1 and source.read_text("utf-8") == "Het leger.\n"


def test_same_names_in_one_folder_are_refused(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "doc.txt").write_text("Zin.\n", "utf-8")
    code, _, err = run(
        "translate",
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--engine",
        "none",
        "--out-dir",
        str(tmp_path / "out"),
    )
    assert code == 1 and "same file" in err and "doc.txt" in err
    assert not (tmp_path / "out").exists()


def use_writer(monkeypatch: pytest.MonkeyPatch, name: str, target: str) -> None:
    """Point the registry's writer of format `name` at `target` ("module:function")."""
    fmt = formats.get(name)
    field = "document_writer" if fmt.document_writer else "bilingual_writer"
    monkeypatch.setitem(formats.FORMATS, name, dataclasses.replace(fmt, **{field: target}))


def explode_after_partial_write(docs: Sequence[TranslatedDocument], stream: IO[str]) -> None:
    stream.write('{"half": ')
    stream.flush()
    raise KeyboardInterrupt


def test_ctrl_c_while_writing_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_writer(monkeypatch, "json", "test_translate:explode_after_partial_write")
    target = tmp_path / "out.json"
    target_dir = tmp_path / "dir"
    code, out, err = run("translate", str(SEEDS), "--engine", "none", "-o", str(target))
    assert (code, out) == (1, "") and "Aborted!" in err
    code, _, _ = run(
        "translate",
        str(SEEDS),
        "--engine",
        "none",
        "--out-dir",
        str(target_dir),
        "--format",
        "json",
    )
    assert code == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dir"]  # no file, no temp file


def test_ctrl_c_while_translating_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def interrupted(self: object, texts: Sequence[str]) -> list[tr.SegmentResult]:
        raise KeyboardInterrupt

    monkeypatch.setattr(tr.PlainTranslator, "translate_texts", interrupted)
    args = ["--engine", "none", "--no-glossary", "--out-dir", str(tmp_path / "o")]
    code, _, err = run("translate", str(SEEDS), *args)
    assert code == 1 and "Aborted!" in err
    assert not (tmp_path / "o").exists()


def test_an_existing_output_survives_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n", "utf-8")
    use_writer(monkeypatch, "json", "test_translate:explode_after_partial_write")
    code, _, _ = run("translate", str(SEEDS), "--engine", "none", "-o", str(target))
    assert code == 1
    assert target.read_text("utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from glossary.cli import main\n"
        "for args in (['--help'], ['translate', '--help'], ['model', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = {'ctranslate2', 'argostranslate', 'torch', 'sentencepiece', 'stanza'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "Translate Dutch documents into English" in done.stdout


# ------------------------------------------------------------------ no termbase, term hints


def test_a_missing_termbase_is_never_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enforcement off is said even with -q; --strict makes it an error."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Er is een staakt-het-vuren.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["translate", "a.txt", "--engine", "none", "-q"])
    assert result.exit_code == 0, result.stderr
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("Warning: No termbase found")
    assert "Term enforcement is OFF" in warning and "--strict" in warning
    result = runner.invoke(main, ["translate", "a.txt", "--engine", "none", "-q", "--strict"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("Error: No termbase found")
    # Saying so with --no-glossary is quiet.
    result = runner.invoke(main, ["translate", "a.txt", "--engine", "none", "-q", "--no-glossary"])
    assert result.exit_code == 0 and result.stderr == ""


def test_po_hints_one_per_concept_with_alternatives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import polib
    from lxml import etree

    from glossary.termbase.model import Termbase, make_concept
    from glossary.termbase.store import write_termbase

    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary").mkdir()
    concepts = (
        make_concept(
            "staakt-het-vuren",
            "ceasefire",
            nl_variants=["staakt het vuren"],
            en_alternatives=["cease-fire"],
            en_forbidden=["stop-the-fire"],
        ),
        make_concept("OVSE", "OSCE", case_sensitive=True),
    )
    write_termbase(tmp_path / "glossary" / "termbase.tsv", Termbase(concepts))
    (tmp_path / "a.txt").write_text(
        "Een staakt-het-vuren, nog een staakt het vuren en de OVSE, de OVSE.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["translate", "a.txt", "--engine", "none", "-o", "a.po"])
    assert result.exit_code == 0, result.stderr
    assert "4 occurrences" in result.stderr  # the report still counts each occurrence
    (entry,) = polib.pofile(str(tmp_path / "a.po"))
    assert entry.comment.splitlines()[:2] == [
        "Term: staakt-het-vuren, staakt het vuren → ceasefire (also: cease-fire; not: "
        "stop-the-fire)",
        "Term: OVSE → OSCE",
    ]
    result = CliRunner().invoke(main, ["translate", "a.txt", "--engine", "none", "-o", "a.xlf"])
    assert result.exit_code == 0, result.stderr
    notes = [n.text for n in etree.parse(str(tmp_path / "a.xlf")).iter("{*}note")]
    assert notes[-2:] == [
        "Term: staakt-het-vuren, staakt het vuren → ceasefire (also: cease-fire; not: "
        "stop-the-fire)",
        "Term: OVSE → OSCE",
    ]
