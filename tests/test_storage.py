"""Atomic writes, the termbase lock, and finding the termbase."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.errors import InvalidValue, OutputError, TermbaseFormatError, TermbaseNotFound
from glossary.termbase import model as tbm
from glossary.termbase import store as storage
from glossary.termbase.model import Termbase, serialize_tsv


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    target.chmod(0o640)
    storage.atomic_write(target, "new ë")
    assert target.read_text(encoding="utf-8") == "new ë"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_open_leaves_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), storage.atomic_open(target) as handle:
        handle.write(b"half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        storage.atomic_write(tmp_path / "nope" / "f.txt", "x")


def test_find_termbase_walks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "glossary").mkdir()
    tb_path = tmp_path / "glossary" / "termbase.tsv"
    tb_path.write_text(serialize_tsv(Termbase()))
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert storage.find_termbase(deep) == tb_path
    monkeypatch.chdir(deep)
    assert storage.resolve_termbase(None) == tb_path
    assert storage.resolve_termbase("x.tsv") == Path("x.tsv")


def test_find_termbase_reports_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(TermbaseNotFound, match="glossary init"):
        storage.find_termbase(tmp_path)


def test_update_never_writes_a_broken_termbase(tmp_path: Path) -> None:
    path = tmp_path / "tb.tsv"
    broken = serialize_tsv(Termbase()) + "only\tthree\tcells\n"
    path.write_text(broken)
    with pytest.raises(TermbaseFormatError):
        storage.update_termbase(path, lambda tb: tbm.add(tb, tbm.make_concept("a", "b")))
    assert path.read_text() == broken


def test_update_does_not_write_when_change_fails(tmp_path: Path) -> None:
    path = tmp_path / "tb.tsv"
    storage.create_termbase(path)
    before = path.stat().st_mtime_ns

    def fail(tb: Termbase) -> tuple[Termbase, None]:
        raise InvalidValue("no")

    with pytest.raises(InvalidValue):
        storage.update_termbase(path, fail)
    assert path.stat().st_mtime_ns == before


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "glossary" / "termbase.tsv"
    storage.create_termbase(path)
    assert path.read_text() == tbm.HEADER + "\n"
    with pytest.raises(OutputError, match="already exists"):
        storage.create_termbase(path)


ADDER = """
import sys
from pathlib import Path
from glossary.termbase import store as storage
from glossary.termbase import model as tbm
path = Path(sys.argv[1])
for n in range(int(sys.argv[3])):
    concept = tbm.make_concept(f"{sys.argv[2]}term{n}", f"{sys.argv[2]}en{n}")
    storage.update_termbase(path, lambda tb: tbm.add(tb, concept))
"""


def test_concurrent_processes_all_land(tmp_path: Path) -> None:
    """Real processes racing on read-modify-write: the lock serialises them."""
    path = tmp_path / "tb.tsv"
    storage.create_termbase(path)
    script = tmp_path / "adder.py"
    script.write_text(ADDER)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
    procs = [
        subprocess.Popen([sys.executable, str(script), str(path), prefix, "15"], env=env)
        for prefix in "abcd"
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    tb = storage.read_termbase(path)
    assert len(tb) == 60
    assert {c.nl for c in tb} == {f"{p}term{n}" for p in "abcd" for n in range(15)}
    assert not list(tmp_path.glob(".tb.tsv.*.tmp"))
