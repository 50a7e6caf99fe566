"""The document commands given what is not a document, through the command line.

`segment`, `mine`, `review`, `translate` and `check` never read a bilingual
file, a termbase or a Word file as Dutch prose: they refuse it with the
command that handles it, or read its source side with --source-side; a
folder names every file it skips. And every command that reads a file
reads it through the one guarded read and decoding policy (a FIFO is
refused at once, a Windows-1252 file read with a warning).
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import ROOT, SEEDS
from glossary.cli import main

DATA = ROOT / "tests" / "data" / "formats"
SEED = SEEDS / "004_2e6791538f2596e0.txt"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the shipped termbase and a client folder of mixed files."""
    (tmp_path / "glossary").mkdir()
    shutil.copy(ROOT / "glossary" / "termbase.tsv", tmp_path / "glossary" / "termbase.tsv")
    client = tmp_path / "client"
    client.mkdir()
    shutil.copy(SEED, client / "brief.txt")
    shutil.copy(DATA / "NSTest01.xlf", client / "job.xlf")
    shutil.copy(DATA / "Test02.rtf", client / "brief.rtf")
    shutil.copy(DATA / "pocount_fuzzy.po", client / "nl.txt")  # a PO file named .txt
    monkeypatch.chdir(tmp_path)
    return client


SKIPPED = [
    "Skipped client/brief.rtf: an RTF document, which glossary cannot read yet",
    "Skipped client/job.xlf: an XLIFF file (bilingual: source and target segments), "
    "not a document; check its terms with 'glossary check job.xlf', or add --source-side",
    "Skipped client/nl.txt: a gettext PO file (bilingual: source and target segments), by its "
    "content (its name ends in .txt)",
]


@pytest.mark.parametrize(
    "command",
    [
        ["segment", "client"],
        ["mine", "client", "--no-suggest"],
        ["translate", "client", "--engine", "none", "-o", "out.txt"],
    ],
    ids=["segment", "mine", "translate"],
)
def test_a_folder_names_what_it_skips(folder: Path, command: list[str]) -> None:
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Skipped ")]
    assert len(lines) == 3
    for line, start in zip(lines, SKIPPED, strict=True):
        assert line.startswith(start), line


@pytest.mark.parametrize(
    ("command", "file"),
    [
        (["segment"], "job.xlf"),
        (["mine", "--no-suggest"], "job.xlf"),
        (["review", "--no-suggest"], "job.xlf"),
        (["segment"], "nl.txt"),
        (["translate", "--engine", "none"], "brief.rtf"),
    ],
    ids=["segment", "mine", "review", "po-as-txt", "rtf"],
)
def test_document_commands_refuse_non_documents(
    folder: Path, command: list[str], file: str
) -> None:
    result = run(*command, f"client/{file}")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: client/{file} is ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_translate_takes_an_xliff_file_as_a_job_and_checks_its_languages(folder: Path) -> None:
    """An XLIFF file is no longer refused as a document: it is a CAT job, and this
    one (en → fr) is refused for its language pair, naming the override."""
    result = run("translate", "--engine", "none", "client/job.xlf")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: client/job.xlf declares the language pair en → fr")
    assert "--source-lang en --target-lang fr" in result.stderr


def test_check_refuses_a_bilingual_file_as_the_source_of_a_pair(folder: Path) -> None:
    result = run("check", "client/job.xlf", "client/brief.txt")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: client/job.xlf is an XLIFF file")
    assert "'glossary check job.xlf'" in result.stderr


def test_source_side_reads_the_dutch_of_a_bilingual_file(folder: Path) -> None:
    result = run("segment", "client/nl.txt", "--source-side")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "client/nl.txt:1\t¶0\ttext\tTranslated string",
        "",
        "client/nl.txt:5\t¶1\ttext\tFuzzy string",  # the msgid line
    ]
    assert "Note: client/nl.txt is a gettext PO file" in result.stderr
    assert "read the source side of its 2 units as the document (--source-side)" in result.stderr


def test_translate_the_source_side(folder: Path) -> None:
    result = run("translate", "client/job.xlf", "--source-side", "--engine", "none", "-o", "j.tsv")
    assert result.exit_code == 0, result.stderr
    rows = Path("j.tsv").read_text("utf-8").splitlines()
    # the unit marked translate="no" ("Do not translate this.") is not read
    assert [r.split("\t")[3] for r in rows[1:]] == ["Text number 1"]


def test_translate_refuses_a_report_over_an_input(folder: Path) -> None:
    before = (folder / "brief.txt").read_bytes()
    result = run(
        "translate", "client/brief.txt", "--engine", "none", "-o", "o.txt",
        "--report", "client/brief.txt",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Refusing to write the report to client/brief.txt: it is an input of this run.\n"
    )
    assert (folder / "brief.txt").read_bytes() == before and not Path("o.txt").exists()


# ------------------------------------------------- the one read, every reader

READERS = [
    ("segment", ["segment", "{fifo}"]),
    ("mine", ["mine", "{fifo}", "--no-suggest"]),
    ("translate", ["translate", "{fifo}", "--engine", "none"]),
    ("check-bilingual", ["check", "{fifo}"]),
    ("check-pair", ["check", "{fifo}", "{text}"]),
    ("check-pair-target", ["check", "{text}", "{fifo}"]),
    ("import", ["import", "{fifo}", "--format", "tsv"]),
    ("term-import", ["term", "import", "{fifo}"]),
    ("merge", ["merge", "{fifo}", "{text}", "--format", "po"]),
    ("merge-source", ["merge", "{po}", "{fifo}"]),
]


@pytest.mark.parametrize("args", [r[1] for r in READERS], ids=[r[0] for r in READERS])
def test_every_reader_uses_the_guarded_read(folder: Path, args: list[str]) -> None:
    """A named pipe would hang a plain open(); the one guarded read refuses it at once."""
    fifo = folder.parent / "pipe.txt"
    os.mkfifo(fifo)
    po = folder.parent / "x.po"
    po.write_text('msgid "a"\nmsgstr "b"\n', "utf-8")
    values = {"fifo": str(fifo), "text": str(folder / "brief.txt"), "po": str(po)}
    result = run(*[a.format(**values) for a in args])
    assert result.exit_code == 1, result.output
    assert "is a named pipe (FIFO)" in result.stderr and "Traceback" not in result.stderr


def test_windows_1252_is_read_with_a_warning_in_documents_and_pairs(folder: Path) -> None:
    (folder / "oud.txt").write_bytes("De OVSE in Armenië.\n".encode("cp1252"))
    (folder / "oud.en.txt").write_bytes("The OSCE in Armenia.\n".encode("cp1252"))
    result = run("segment", "client/oud.txt")
    assert result.exit_code == 0
    assert "Warning: client/oud.txt:1: not valid UTF-8 (byte 0xeb); read as Windows-1252" in (
        result.stderr
    )
    result = run("check", "client/oud.txt", "client/oud.en.txt")
    assert "Warning: client/oud.txt:1: not valid UTF-8" in result.stderr
    assert "Term accuracy: 100.0%" in result.stderr


# Modules that may open files themselves: the guarded read itself, and files that
# are not user inputs (installed model packages, state the tool wrote). The termbase
# store reads the termbase through its own parser. The package's own data
# (importlib.resources) is never a user input either.
ALLOWED = {
    "glossary/files/inputs.py",
    "glossary/termbase/store.py",
    "glossary/engines/base.py",
    "glossary/engines/argos/engine.py",
    "glossary/engines/argos/packages.py",
    "glossary/mining/review.py",
}


def _package_data(call: ast.expr) -> bool:
    """Is this a read of the package's own data: resources.files(...)...read_text()?"""
    return any(isinstance(node, ast.Attribute) and node.attr == "files" for node in ast.walk(call))


def test_no_other_module_reads_files_itself() -> None:
    src = ROOT / "src"
    offenders = []
    for path in sorted((src / "glossary").rglob("*.py")):
        name = str(path.relative_to(src))
        if name in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            attr = called.attr if isinstance(called, ast.Attribute) else ""
            func = called.id if isinstance(called, ast.Name) else ""
            # Path.read_bytes() / .read_text(encoding=...): no positional argument
            # (the guarded inputs.read_bytes(path) and the readers take one).
            own_data = attr and _package_data(called.value)  # type: ignore[union-attr]
            if attr in ("read_bytes", "read_text") and not node.args and not own_data:  # type: ignore[union-attr]
                offenders.append(f"{name}:{node.lineno} .{attr}()")
            if func == "open" or attr == "stdin":
                offenders.append(f"{name}:{node.lineno} {func or attr}")
            if isinstance(node, ast.Attribute) and node.attr == "stdin":
                offenders.append(f"{name}:{node.lineno} sys.stdin")
    assert offenders == []


def test_check_recognises_a_bilingual_file_by_its_content(folder: Path) -> None:
    """An XLIFF file named .xml and a TMX file named .txt are read as what they are
    (so their language pairs, en → fr, are refused; named, they are checked)."""
    shutil.copy(DATA / "NSTest01.xlf", "job.xml")
    result = run("check", "job.xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: job.xml declares the language pair en → fr")
    result = run("check", "job.xml", "--source-lang", "en", "--target-lang", "fr")
    assert result.exit_code == 0, result.stderr
    assert "No translated segment to check" in result.stderr
    # the unit marked translate="no" is left out
    assert "1 untranslated segment not checked" in result.stderr
    assert 'job.xml: 1 segment(s) marked translate="no" left out' in result.stderr
    shutil.copy(DATA / "sampleTMX2.txt", "memory.txt")  # an en/fr memory: no Dutch units
    result = run("check", "memory.txt")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: memory.txt holds en (2), fr (2): no Dutch (nl).")
    assert "--source-lang en --target-lang fr" in result.stderr
