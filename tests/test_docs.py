"""Every command has help with an example and is documented; the docs' links and imports hold.

The README is the front door; the chapters live in `docs/`. Both are checked:
every command is in the README's table, every relative link points at a file
and heading that exist, and every `from glossary... import ...` line in a
Python example imports.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import click
import pytest

from glossary.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]


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


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors of a Markdown file (code blocks skipped)."""
    anchors: set[str] = set()
    fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#+ (.*)", line)):
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            anchors.add(slug)
    return anchors


def test_the_chapters_exist() -> None:
    assert {p.name for p in DOCS} >= {"reading.md", "translation.md", "enforcement.md"}
    assert len(README.splitlines()) < 500, "the README is the front door: move chapters to docs/"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # http:, mailto:
        file_part, _, anchor = target.partition("#")
        path = (page.parent / file_part).resolve() if file_part else page
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in _anchors(path)):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_python_examples_import(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    for block in blocks:
        for module, names in re.findall(r"^from (glossary[\w.]*) import ([\w, ]+)$", block, re.M):
            loaded = importlib.import_module(module)
            for name in (n.strip().split(" as ")[0] for n in names.split(",")):
                assert hasattr(loaded, name) or importlib.util.find_spec(f"{module}.{name}"), (
                    f"{page.name}: from {module} import {name} fails"
                )
