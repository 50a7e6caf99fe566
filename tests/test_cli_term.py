"""Wiring of the termbase commands: exit codes, stdout, stderr, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.termbase.model import HEADER
from glossary.termbase.store import read_termbase


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    return tmp_path / "glossary" / "termbase.tsv"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_creates_an_empty_termbase(project: Path) -> None:
    assert project.read_text() == HEADER + "\n"
    code, _, err = run("init")
    assert code == 1 and "already exists" in err


def test_add_list_show_search(project: Path) -> None:
    code, out, err = run(
        "term",
        "add",
        "staakt-het-vuren",
        "ceasefire",
        "--pos",
        "noun",
        "--variant",
        "staakt het vuren",
        "--forbid",
        "stop-the-fire",
        "--context",
        "Inmiddels werd een staakt-het-vuren bereikt.",
    )
    assert (code, out.strip()) == (0, "staakt-het-vuren")
    assert "Added staakt-het-vuren" in err
    assert run("term", "add", "OVSE", "OSCE", "--case-sensitive")[0] == 0
    assert run("term", "add", "Stepanakert", "--dnt")[0] == 0

    code, out, _ = run("term", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "NL", "EN", "STATUS", "VARIANTS"]
    assert "staakt-het-vuren  ceasefire" in out

    code, out, _ = run("term", "list", "--format", "json")
    data = json.loads(out)
    assert [d["id"] for d in data] == ["ovse", "staakt-het-vuren", "stepanakert"]
    assert data[2]["en"] == "Stepanakert" and data[2]["dnt"] is True

    code, out, _ = run("term", "show", "staakt het vuren", "--format", "json")
    assert json.loads(out)["en_forbidden"] == ["stop-the-fire"]

    code, out, _ = run("term", "search", "STAAKT HET")
    assert code == 0 and "staakt-het-vuren" in out
    code, out, err = run("term", "search", "zzz")
    assert code == 1 and out == "" and "No concept matches" in err


def test_list_tsv_is_the_file_format(project: Path) -> None:
    run("term", "add", "motie", "motion")
    code, out, _ = run("term", "list", "--format", "tsv")
    assert code == 0 and out == project.read_text()


def test_edit_approve_reject_remove(project: Path) -> None:
    run("term", "add", "Minskgroep", "Minsk Group", "--status", "proposed")
    code, _, err = run(
        "term",
        "edit",
        "minskgroep",
        "--add-variant",
        "Minsk Groep",
        "--add-variant",
        "Minsk-groep",
        "--en",
        "OSCE Minsk Group",
        "--add-en-variant",
        "Minsk Group",
    )
    assert code == 0, err
    concept = read_termbase(project).get("minskgroep")
    assert concept is not None
    assert concept.nl_variants == ("Minsk Groep", "Minsk-groep")
    assert concept.en_alternatives == ("Minsk Group",)
    assert concept.status == "proposed"

    assert run("term", "approve", "Minsk Groep")[0] == 0
    assert read_termbase(project).concepts[0].status == "approved"
    assert run("term", "reject", "minskgroep")[0] == 0
    assert read_termbase(project).concepts[0].status == "rejected"

    code, _, err = run("term", "edit", "minskgroep", "--remove-variant", "Nope")
    assert code == 1 and "cannot remove" in err
    code, _, err = run("term", "edit", "minskgroep")
    assert code == 1 and "Nothing to change" in err

    assert run("term", "remove", "minskgroep")[0] == 0
    assert len(read_termbase(project)) == 0


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["term", "add", "x"], 1, "needs an English term"),
        (["term", "add", "a\tb", "c"], 1, "tab or line break"),
        (["term", "add", "a", "b", "--status", "final"], 2, "Invalid value for '--status'"),
        (["term", "show", "nothing"], 1, "No concept with id or Dutch term 'nothing'"),
        (["term", "remove", "nothing"], 1, "No concept with id 'nothing'"),
        (["term", "approve", "nothing"], 1, "No concept"),
        (["term", "add"], 2, "Missing argument"),
    ],
    ids=[
        "no-english",
        "tab",
        "bad-status",
        "show-unknown",
        "remove-unknown",
        "approve-unknown",
        "missing-arg",
    ],
)
def test_user_errors_are_one_line(project: Path, args: list[str], code: int, fragment: str) -> None:
    before = project.read_bytes()
    exit_code, out, err = run(*args)
    assert exit_code == code
    assert fragment in err
    assert "Traceback" not in err and out == ""
    if code == 1:
        assert err.startswith("Error: ")
    assert project.read_bytes() == before


def test_duplicate_add_leaves_termbase_untouched(project: Path) -> None:
    run("term", "add", "Minskgroep", "Minsk Group")
    before = project.read_bytes()
    code, _, err = run("term", "add", "Minsk-Groep", "x")
    assert code == 1 and "already a term of concept 'minskgroep'" in err
    assert project.read_bytes() == before


def test_broken_termbase_is_reported_with_lines(project: Path) -> None:
    project.write_text(HEADER + "\nbroken line\n\x00\tx\n")
    before = project.read_bytes()
    code, out, err = run("validate")
    assert code == 1 and out == ""
    assert "termbase.tsv:2:" in err and "termbase.tsv:3:" in err
    code, _, err = run("term", "add", "a", "b")
    assert code == 1 and "was not changed" in err
    assert project.read_bytes() == before


def test_validate_summary(project: Path) -> None:
    run("term", "add", "a", "b")
    run("term", "add", "c", "--status", "rejected")
    code, out, _ = run("validate")
    assert code == 0
    assert "valid, 2 concepts (1 approved, 0 proposed, 1 rejected)" in out


def test_no_termbase_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("term", "list")
    assert code == 1 and "No termbase found" in err and "glossary init" in err


def test_termbase_option_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "other.tsv"
    assert run("term", "add", "a", "b", "--termbase", str(other))[0] == 0  # created on first add
    monkeypatch.setenv("GLOSSARY_TERMBASE", str(other))
    code, out, _ = run("term", "list", "--format", "json")
    assert code == 0 and json.loads(out)[0]["nl"] == "a"


def test_two_cli_processes_at_the_same_moment_both_land(project: Path) -> None:
    env = {**os.environ, "GLOSSARY_TERMBASE": str(project)}
    cmd = [sys.executable, "-m", "glossary", "term", "add"]
    procs = [
        subprocess.Popen([*cmd, f"term{n}", f"en{n}"], env=env, stderr=subprocess.PIPE)
        for n in range(6)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    assert {c.nl for c in read_termbase(project)} == {f"term{n}" for n in range(6)}


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from glossary.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "CliRunner().invoke(main, ['term', 'list', '--help']);"
        "heavy = {'argostranslate', 'ctranslate2', 'torch', 'stanza', 'lxml', 'wordfreq', "
        "'simplemma', 'sentencepiece', 'spacy', 'numpy', 'flask', 'werkzeug', 'jinja2'} "
        "& set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
