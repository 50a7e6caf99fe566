"""`glossary review` driven as a reviewer would: an input script, and a real terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.termbase.store import read_termbase

TEXT = (
    "De covoorzitters van de Minsk Groep kwamen bijeen over een humanitaire corridor. "
    "Zij spraken met beide partijen.\n\n"
    "De Minsk Groep vraagt een staakt-het-vuren. Ook de OVSE Minsk Groep wil een "
    "staakt-het-vuren.\n\n"
    "De covoorzitters van de Minsk Groep en de OVSE vragen een humanitaire corridor. "
    "Een humanitaire corridor is nodig.\n"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "brief.txt").write_text(TEXT, encoding="utf-8")
    for args in (
        ["init"],
        ["term", "add", "covoorzitter", "co-chair", "--variant", "covoorzitters"],
        ["term", "add", "Minsk Groep", "OSCE Minsk Group", "--variant", "OVSE Minsk Groep"],
        ["term", "add", "vredesakkoord", "peace agreement"],
    ):
        assert CliRunner().invoke(main, args).exit_code == 0
    return tmp_path / "glossary" / "termbase.tsv"


def review(*answers: str, args: tuple[str, ...] = ()) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["review", "docs", "--min-freq", "2", "--no-suggest", *args],
        input="".join(f"{a}\n" for a in answers),
        env={"COLUMNS": "100"},
    )
    return result.exit_code, result.stderr


def test_the_candidate_is_shown_with_full_contexts_and_keys(project: Path) -> None:
    code, err = review("q")
    assert code == 0, err
    first = err.split("Choice:")[0]
    assert "── 1/6 " in first and "humanitaire corridor  multiword · 3× in 1 document" in first
    # Contexts in full (not cut), wrapped under their file:line.
    assert "docs/brief.txt:1  De covoorzitters van de Minsk Groep kwamen bijeen over een" in first
    assert "…" not in first
    assert "a accept  e edit  r reject  s skip  c contexts  u undo  ? help  q quit" in first
    assert all(len(line) <= 100 for line in first.splitlines())


def test_english_from_the_termbase_without_a_model(project: Path) -> None:
    code, err = review("s", "s", "s", "s", "s", "a", "1")
    assert code == 0, err
    last = err.split("── 6/6")[1]
    assert "covoorzitters van de Minsk Groep  multiword" in last
    assert "1. co-chairs of the OSCE Minsk Group  from the termbase" in last
    assert "minsk-groep: Minsk Groep → OSCE Minsk Group" in last  # a related concept
    assert "English (or 1-1 for a suggestion) [co-chairs of the OSCE Minsk Group]: " in last
    concept = read_termbase(project).get("covoorzitters-van-de-minsk-groep")
    assert concept is not None and concept.en == "co-chairs of the OSCE Minsk Group"
    assert "0 accepted" not in err and "1 accepted, 0 rejected, 5 skipped" in err


def test_review_with_undo_and_an_error_followed_by_a_correction(project: Path) -> None:
    code, err = review(
        "?",  # help
        "c",  # every occurrence in the documents
        "a",
        "humanitarian corridor",
        "s",  # skip staakt-het-vuren
        "u",  # undo the skip: back to staakt-het-vuren
        "e",
        "staakt-het-vuren",
        "staakt het vuren | vredesakkoord",  # a variant another concept has
        "ceasefire",
        "e",  # what was typed is offered again; fix the variants only
        "",
        "staakt het vuren",
        "",
        "u",  # undo the acceptance: the concept is removed, back to it
        "r",  # and reject it instead
        "q",
    )
    assert code == 0, err
    assert "explain the keys" in err  # the help
    assert "every occurrence (3 occurrences in 1 of 1 document, 1 spelling)" in err
    assert "→ humanitaire-corridor: humanitaire corridor → humanitarian corridor (approved)" in err
    assert "Undone: staakt-het-vuren is no longer skipped." in err
    assert "Error: 'vredesakkoord' is already a term of concept 'vredesakkoord'" in err
    assert "What you typed is kept" in err
    # The second edit offers what was typed the first time.
    assert "Dutch term [staakt-het-vuren]: " in err
    assert (
        "Dutch variants (separate with |, - for none) [staakt het vuren | vredesakkoord]: " in err
    )
    assert "English [ceasefire]: " in err
    assert "→ staakt-het-vuren: staakt-het-vuren → ceasefire (approved)" in err
    assert "Undone: staakt-het-vuren removed from the termbase." in err
    assert "1 accepted, 1 rejected, 0 skipped; 4 left" in err
    termbase = read_termbase(project)
    corridor = termbase.get("humanitaire-corridor")
    assert corridor is not None and (corridor.en, corridor.status) == (
        "humanitarian corridor",
        "approved",
    )
    ceasefire = [c for c in termbase if c.nl == "staakt-het-vuren"]
    assert [(c.status, c.en) for c in ceasefire] == [("rejected", "")]
    state = json.loads((project.parent / ".review-state.json").read_text(encoding="utf-8"))
    assert state == {"skipped": []}


def test_undo_of_nothing_and_of_an_accept(project: Path) -> None:
    code, err = review("u", "q")
    assert code == 0 and "Nothing to undo." in err
    code, err = review("a", "humanitarian corridor", "u", "q")
    assert "Undone: humanitaire-corridor removed" in err
    assert read_termbase(project).get("humanitaire-corridor") is None


def test_undo_refuses_when_the_concept_changed(project: Path) -> None:
    from glossary.errors import InvalidValue
    from glossary.mining import review as rv
    from glossary.termbase.model import edit

    termbase = read_termbase(project)
    added = termbase.get("vredesakkoord")
    assert added is not None
    changed, _ = edit(termbase, "vredesakkoord", en="peace accord")
    with pytest.raises(InvalidValue, match="was changed since it was added"):
        rv.undo(changed, added)
    gone, _ = rv.undo(termbase, added)
    assert gone.get("vredesakkoord") is None
    with pytest.raises(InvalidValue, match="no longer in the termbase"):
        rv.undo(gone, added)


def test_a_number_without_a_suggestion_is_asked_again(project: Path) -> None:
    code, err = review("a", "7", "humanitarian corridor", "q")
    assert code == 0, err
    assert "There is no suggestion 7; type the English term." in err
    concept = read_termbase(project).get("humanitaire-corridor")
    assert concept is not None and concept.en == "humanitarian corridor"


# ------------------------------------------------------------------ a real terminal


class Terminal:
    """`glossary review` in a pseudo-terminal of a given size, driven line by line."""

    def __init__(self, cwd: Path, args: list[str], columns: int = 90) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        env["TERM"] = "xterm-256color"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "glossary", *args],
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.output = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while text not in self.output:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} not seen; output so far:\n{self.output}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"{text!r} not seen before the end:\n{self.output}")
                self.output += data.decode("utf-8", "replace")
        return self.output

    def send(self, line: str) -> None:
        os.write(self.master, line.encode("utf-8") + b"\r")

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


@pytest.mark.slow
def test_review_in_a_real_terminal(project: Path) -> None:
    """Colour, the width of the terminal (no $COLUMNS), undo, and quitting."""
    terminal = Terminal(
        project.parent.parent, ["review", "docs", "--min-freq", "2", "--no-suggest"]
    )
    try:
        terminal.expect("Choice: ")
        screen = terminal.output
        assert "\x1b[33m\x1b[1mhumanitaire corridor\x1b[0m" in screen  # the candidate
        assert "\x1b[36m\x1b[1ma\x1b[0m accept" in screen  # the keys
        plain = ANSI.sub("", screen).replace("\r", "")
        assert max(len(line) for line in plain.splitlines()) <= 90
        terminal.send("a")
        terminal.expect("English: ")
        terminal.send("humanitarian corridor")
        terminal.expect("(approved)")
        terminal.expect("Choice: ")
        terminal.send("u")
        terminal.expect("Undone: humanitaire-corridor removed from the termbase.")
        terminal.expect("── 1/6")
        terminal.send("q")
        terminal.expect("0 accepted, 0 rejected, 0 skipped; 6 left")
    finally:
        code = terminal.close()
    assert code == 0
    assert read_termbase(project).get("humanitaire-corridor") is None
