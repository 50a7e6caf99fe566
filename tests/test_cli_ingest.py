"""`glossary segment`: wiring, output formats and error handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import SEEDS
from glossary.cli import main

SEED_004 = str(SEEDS / "004_2e6791538f2596e0.txt")


def run(*args: str, input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def assert_clean(result: Result) -> None:
    """No traceback, whatever happened."""
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_text_output() -> None:
    result = run("segment", SEED_004)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{SEED_004}:1\t¶0\theading\t"
        "Betreft verzoek tot kamerbrief over het conflict tussen Azerbeidzjan en Armenië"
    )
    assert lines[1] == ""
    assert f"{SEED_004}:96\t¶10\tfootnote\t4 Motie 21 501-20, Nr. 1630" in lines
    assert f"{SEED_004}:98\t¶12\tfurniture\tOnze Referentie STPS5HHCFWEY-7-88383" in lines
    # Repairs and the summary go to stderr, never stdout.
    assert f"{SEED_004}:21: footnote-marker: Azerbeidzjan.! → Azerbeidzjan." in result.stderr
    assert f"{SEED_004}:1: ocr-diacritic: Armenié → Armenië" in result.stderr
    assert f"{SEED_004}: 21 paragraphs, " in result.stderr
    assert "ocr-diacritic" not in result.stdout


def test_json_output() -> None:
    result = run("segment", SEED_004, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (doc,) = json.loads(result.stdout)
    assert doc["path"] == SEED_004
    assert doc["warnings"] == []
    assert {
        "line": 10,
        "reason": "ocr-diacritic",
        "original": "beéindigen",
        "repaired": "beëindigen",
        "detail": "known word with a diaeresis",
    } in doc["repairs"]
    first = doc["paragraphs"][0]
    assert first["kind"] == "heading" and first["line"] == 1
    segment = doc["paragraphs"][3]["segments"][0]
    assert set(segment) == {
        "index",
        "kind",
        "ref",
        "location",
        "line",
        "end_line",
        "start",
        "end",
        "text",
    }
    assert segment["ref"] == f"{SEED_004}:{segment['line']}"
    # Repairs are in the JSON, not listed on stderr.
    assert "ocr-diacritic" not in result.stderr
    assert "21 paragraphs" in result.stderr


def test_no_repair() -> None:
    result = run("segment", SEED_004, "--no-repair", "-q")
    assert result.exit_code == 0
    assert "Armenié" in result.stdout
    assert result.stderr == ""


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "segments.json"
    result = run("segment", str(SEEDS), "--format", "json", "-o", str(out), "-q")
    assert result.exit_code == 0
    assert result.stdout == ""
    docs = json.loads(out.read_text(encoding="utf-8"))
    assert [Path(d["path"]).name[:3] for d in docs] == ["000", "001", "002", "003", "004"]


def test_stdin() -> None:
    result = run("segment", "-", input="Een zin. Nog een over Armenié.\n".encode())
    assert result.exit_code == 0
    assert result.stdout == (
        "<stdin>:1\t¶0\ttext\tEen zin.\n<stdin>:1\t¶0\ttext\tNog een over Armenië.\n"
    )


def test_several_files_are_separated_by_a_blank_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Dit is een.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Dit is twee.", encoding="utf-8")
    result = run("segment", str(tmp_path), "-q")
    assert result.stdout == (
        f"{tmp_path / 'a.txt'}:1\t¶0\ttext\tDit is een.\n\n"
        f"{tmp_path / 'b.txt'}:1\t¶0\ttext\tDit is twee.\n"
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p / "nope.txt", "nope.txt: no such file or folder"),
        (lambda p: (p / "leeg").mkdir() or p / "leeg", "the folder has no documents"),
        (lambda p: (p / "x.txt").write_bytes(b"\x00\x01bin") and p / "x.txt", "binary file"),
        (lambda p: (p / "x.pdf").write_bytes(b"%PDF-1.4 ...") and p / "x.pdf", "is damaged"),
    ],
    ids=["missing", "empty-folder", "binary", "pdf"],
)
def test_errors_are_one_line(tmp_path: Path, setup: object, message: str) -> None:
    path = setup(tmp_path)  # type: ignore[operator]
    result = run("segment", str(path))
    assert_clean(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_error_without_input() -> None:
    result = run("segment")
    assert result.exit_code == 2
    assert "Missing argument 'FILE...'" in result.stderr


def test_empty_file_warns(tmp_path: Path) -> None:
    path = tmp_path / "leeg.txt"
    path.write_bytes(b"")
    result = run("segment", str(path))
    assert_clean(result)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Warning: {path}: the file is empty" in result.stderr


def test_wrong_encoding_warns(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes("De ideeën van Armenië.".encode("cp1252"))
    result = run("segment", str(path), "-q")
    assert_clean(result)
    assert result.exit_code == 0
    assert result.stdout.endswith("\tDe ideeën van Armenië.\n")
    assert "Warning:" in result.stderr and "read as Windows-1252" in result.stderr


def test_one_10mb_line(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_bytes(b"woord " * 1_700_000 + b"einde.")
    out = tmp_path / "out.json"
    result = run("segment", str(path), "--format", "json", "-o", str(out))
    assert_clean(result)
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "10,200,006 characters" in result.stderr
    (doc,) = json.loads(out.read_text(encoding="utf-8"))
    assert doc["paragraphs"][0]["segments"][0]["end"] == 10_200_006


def test_help_has_examples() -> None:
    result = run("segment", "--help")
    assert result.exit_code == 0
    assert "Split documents into paragraphs and sentences" in result.stdout
    assert "glossary segment seeds/" in result.stdout
    for option in ("--format", "--no-repair", "--output", "--quiet"):
        assert option in result.stdout
