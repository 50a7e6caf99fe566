"""Every command has help with an example and is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from glossary.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(commands(command, path))
    return found


def lookup(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


ALL = commands()
LEAVES = [p for p in ALL if not isinstance(lookup(p), click.Group)]


def test_there_are_commands() -> None:
    assert ("term", "add") in ALL and ("translate",) in ALL and len(LEAVES) >= 20


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_command_has_help_starting_with_one_line(path: tuple[str, ...]) -> None:
    command = lookup(path)
    assert command.help, f"glossary {' '.join(path)} has no help"
    first = command.help.strip().splitlines()[0]
    assert first[:1].isupper() and first.endswith("."), first


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(p) for p in LEAVES])
def test_command_help_has_an_example(path: tuple[str, ...]) -> None:
    help_text = lookup(path).help or ""
    assert "\b" in help_text and f"glossary {' '.join(path)}" in help_text, (
        f"glossary {' '.join(path)}: add a \\b example block"
    )


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    name = "glossary " + " ".join(path)
    assert re.search(re.escape(name) + r"\b", README), f"{name} is not documented in README.md"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and "make test" in ci
    assert "make demo" in README
