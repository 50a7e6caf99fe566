"""Rendering helpers of the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from glossary.cli.common import dump_json, render_table


@pytest.mark.parametrize(
    "data",
    [
        [],
        [{}],
        [{"a": []}],
        [{"a": {"nested": 1}}],
        [{"x": 1.5}],
        {"a": 1},
        [{"nl": 'Armenië "quoted"\n\u2028\x00', "flags": [True, None], "n": 3}],
        [{"id": "a", "variants": ["b", "c"]}, {"id": "d", "variants": []}],
    ],
    ids=["empty", "empty-record", "empty-list", "nested", "float", "dict", "escapes", "records"],
)
def test_dump_json_equals_json_dumps(data: Any) -> None:
    assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_render_table_aligns_and_cuts() -> None:
    text = render_table(["ID", "NL"], [["a", "x" * 60], ["bb", "y"]], max_width=10)
    lines = text.splitlines()
    assert lines[0] == "ID  NL"
    assert lines[2] == "a   xxxxxxxxx…"
    assert lines[3] == "bb  y"


def test_render_table_fits_a_terminal_without_cutting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    long = "Organization for Security and Co-operation in Europe"
    text = render_table(["ID", "EN"], [["ovse", long], ["bb", "y"]], max_width=10)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 30 and "…" not in text
    assert " ".join(line[6:].strip() for line in lines[2:-2]) == long


def test_term_list_fits_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from glossary.cli import main

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    long = "Organization for Security and Co-operation in Europe"
    assert runner.invoke(main, ["term", "add", "OVSE", long]).exit_code == 0
    result = runner.invoke(main, ["term", "list"], env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 40
    assert "…" not in result.stdout
    en = "".join(line[12:22].replace(" ", "") for line in result.stdout.splitlines()[2:])
    assert en == "".join(long.split())
    piped = runner.invoke(main, ["term", "list"])
    assert "…" in piped.stdout and len(piped.stdout.splitlines()) == 3
