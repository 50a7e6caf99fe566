"""Faults and other programs: the regression tests of the audit's findings 2, 3,
4, 7 and 11 (issue 20), on the real file system.

- 2: a termbase that is a symbolic link is written through to its target.
- 3: an output is never the termbase, its lock or an input.
- 4: a change by another program between our read and our rename is not
  overwritten; a half-written termbase is refused and never written back.
- 7: OS errors (read-only mount, permissions, full disk, a lock path that is a
  folder, a file size limit), Ctrl-C at start-up and file names or arguments
  that are not UTF-8 give a message, never a traceback.
- 11: what a killed write leaves behind is swept by the next one; `export
  --all` replaces all its files or none; the lock wait is configurable and
  says who holds the lock; exports stream from the termbase file.

Permission tests run the command without the capabilities that let root
ignore permissions when the suite runs as root; mount tests need root.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.errors import (
    InvalidValue,
    LockTimeout,
    OutputError,
    TermbaseFormatError,
)
from glossary.termbase import model as tbm
from glossary.termbase import store
from glossary.termbase.model import HEADER, Termbase, serialize_tsv

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
IS_ROOT = os.geteuid() == 0
# Capabilities that let root ignore file permissions: CAP_DAC_OVERRIDE,
# CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h).
PERMISSION_OVERRIDES = (1, 2, 3)
PR_CAPBSET_DROP = 24


def drop_permission_override() -> None:
    """In a child about to exec: drop the capabilities that let root ignore
    permissions from the bounding set, so the command meets the permission
    bits as any user would (root stays the owner)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in PERMISSION_OVERRIDES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def cli(
    *args: str, cwd: Path, as_other: bool = False, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """The real `glossary` in a subprocess (`as_other`: meeting permission bits
    even when the suite runs as root)."""

    def drop() -> None:
        if as_other and IS_ROOT:
            drop_permission_override()

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=drop,
        **kwargs,  # type: ignore[arg-type]
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run("init")[0] == 0
    assert run("term", "add", "vredesakkoord", "peace agreement")[0] == 0
    return tmp_path / "glossary" / "termbase.tsv"


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user may enter (tmp_path is private to the test runner)."""
    folder = Path(tempfile.mkdtemp(prefix="glossary-faults-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------- 2: symlinks


def test_termbase_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "termbase.tsv"
    shared.parent.mkdir()
    store.create_termbase(shared)
    project = tmp_path / "project" / "glossary"
    project.mkdir(parents=True)
    link = project / "termbase.tsv"
    link.symlink_to(shared)
    code, _, err = run("term", "add", "vrede", "peace", "--termbase", str(link))
    assert code == 0, err
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert [c.nl for c in store.read_termbase(shared)] == ["vrede"]
    # One lock for every link to the termbase: beside the real file.
    assert store.lock_path(link) == shared.with_name(".termbase.tsv.lock")
    assert not list(project.iterdir())[1:]


def test_atomic_write_through_a_relative_symlink_chain(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "b").symlink_to("real.txt")
    (tmp_path / "a").symlink_to("b")
    store.atomic_write(tmp_path / "a", "new")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


# ------------------------------------------------ 3: outputs never clobber


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "tsv", "-o", "glossary/termbase.tsv"],
        ["export", "--format", "tbx", "-o", "glossary/.termbase.tsv.lock"],
        ["export", "--format", "tsv", "-o", "hardlink.tsv"],
        ["export", "--format", "tsv", "-o", "symlink.tsv"],
        ["export", "--all", "--out-dir", "glossary", "--termbase", "glossary/termbase.utf8"],
        ["merge", "doc.po", "doc.txt", "-o", "doc.txt"],
        ["merge", "doc.po", "doc.txt", "-o", "glossary/termbase.tsv"],
        ["segment", "doc.txt", "-o", "doc.txt"],
        ["segment", "doc.txt", "-o", "glossary/termbase.tsv"],
        ["mine", "doc.txt", "-o", "doc.txt"],
        ["mine", ".", "-o", "doc.txt"],
        ["concordance", "vrede", "doc.txt", "-o", "glossary/termbase.tsv"],
        ["fix", "doc.txt", "doc.en.txt", "--engine", "none", "-o", "hardlink.tsv"],
        ["fix", "doc.txt", "doc.en.txt", "--engine", "none", "-o", "x.txt", "--report", "doc.txt"],
    ],
    ids=[
        "export-over-termbase",
        "export-over-lock",
        "export-over-hard-link",
        "export-over-symlink",
        "export-all-over-termbase",
        "merge-over-source",
        "merge-over-termbase",
        "segment-over-input",
        "segment-over-termbase",
        "mine-over-input",
        "mine-over-file-in-input-folder",
        "concordance-over-termbase",
        "fix-over-termbase-hard-link",
        "fix-report-over-input",
    ],
)
def test_outputs_never_overwrite_the_termbase_or_an_input(project: Path, args: list[str]) -> None:
    folder = project.parent.parent
    (folder / "doc.txt").write_text("Het vredesakkoord is getekend.\n", encoding="utf-8")
    (folder / "doc.en.txt").write_text("The peace deal was signed.\n", encoding="utf-8")
    code, _, _ = run("translate", "doc.txt", "--engine", "none", "--format", "po", "-o", "doc.po")
    assert code == 0
    os.link(project, folder / "hardlink.tsv")
    (folder / "symlink.tsv").symlink_to(project)
    if "glossary/termbase.utf8" in args:
        (folder / "glossary" / "termbase.utf8").write_bytes(project.read_bytes())
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, _, err = run(*args)
    assert code == 1 and "Refusing to write" in err, err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_check_output_is_the_library_check(tmp_path: Path) -> None:
    termbase = tmp_path / "tb.tsv"
    store.create_termbase(termbase)
    doc = tmp_path / "doc.txt"
    doc.write_text("x")
    with pytest.raises(OutputError, match="the termbase"):
        store.check_output(termbase, termbase=termbase)
    with pytest.raises(OutputError, match="lock file"):
        store.check_output(store.lock_path(termbase), termbase=termbase)
    with pytest.raises(OutputError, match="an input"):
        store.check_output(tmp_path / "." / "doc.txt", inputs=[doc])
    store.check_output(tmp_path / "out.txt", termbase=termbase, inputs=[doc, "-"])
    store.check_output(Path("-"), termbase=termbase)


# ------------------------------------------- 4: other programs, half files


def test_editor_replace_between_read_and_rename_is_not_overwritten(project: Path) -> None:
    """An editor saves (write a temporary file, rename it over the termbase)
    while `term add` holds its copy: the add is applied again to the editor's
    file, and both changes are in the result."""
    editor_line = "vrede\tvrede\t\tpeace\t\t\tapproved\t\t\t\t\t\t\t\t"
    calls = []

    def change(tb: Termbase) -> tuple[Termbase, None]:
        calls.append(len(tb))
        if len(calls) == 1:  # the editor saves now, once
            text = project.read_text(encoding="utf-8") + editor_line + "\n"
            tmp = project.with_name("termbase.tsv~")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(project)
        new, _ = tbm.add(tb, tbm.make_concept("oorlog", "war"))
        return new, None

    store.update_termbase(project, change)
    assert calls == [1, 2], "the change was not applied again to the editor's file"
    assert {c.nl for c in store.read_termbase(project)} == {"vredesakkoord", "vrede", "oorlog"}


def test_half_written_termbase_is_refused_and_not_written_back(project: Path) -> None:
    """Another program is still writing: the file ends in the middle of a row
    whose last cell was cut, so it parses; it must not be written back."""
    concepts = [tbm.make_concept(f"term{n}", f"en{n}", sources=["bron.txt"]) for n in range(200)]
    project.write_text(serialize_tsv(Termbase(tuple(concepts))), encoding="utf-8")
    full = project.read_bytes()
    half = full[: full.rindex(b"bron.txt", 0, len(full) // 2) + 4]
    project.write_bytes(half)
    code, _, err = run("term", "add", "vrede", "peace")
    assert code == 1 and "half-written" in err and "line break" in err, err
    assert project.read_bytes() == half


def test_termbase_that_keeps_changing_is_not_written(project: Path) -> None:
    def change(tb: Termbase) -> tuple[Termbase, None]:
        # Another program rewrites the file every time we are about to save.
        project.write_bytes(project.read_bytes().replace(b"peace agreement", b"peace deal"))
        project.write_bytes(project.read_bytes().replace(b"peace deal", b"peace agreement"))
        return tbm.add(tb, tbm.make_concept(f"oorlog{time.monotonic_ns()}", "war"))[0], None

    from glossary.errors import TermbaseChanged

    with pytest.raises(TermbaseChanged, match="changed by another program"):
        store.update_termbase(project, change)
    assert [c.nl for c in store.read_termbase(project)] == ["vredesakkoord"]


EDITOR = """
import os, sys, time
path, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    # A careful editor: read, change, write a temporary file, and rename it
    # over the file only when the file is still the one it read.
    while True:
        before = os.stat(path)
        text = open(path, encoding="utf-8").read()
        line = f"editor{i}\\teditor{i}\\t\\teditor en {i}\\t\\t\\tapproved" + "\\t" * 8 + "\\n"
        tmp = path + ".editor-tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text + line)
        now = os.stat(path)
        if (now.st_ino, now.st_mtime_ns, now.st_size) == (
            before.st_ino, before.st_mtime_ns, before.st_size
        ):
            os.replace(tmp, path)
            break
    time.sleep(0.003)
"""


@pytest.mark.slow
def test_term_add_beside_an_editor_loses_nothing(project: Path) -> None:
    """Concurrency with another program that replaces the file (not taking our
    lock): every editor save and every `term add` is in the final file."""
    script = project.parent.parent / "editor.py"
    script.write_text(EDITOR)
    editor = subprocess.Popen([sys.executable, str(script), str(project), "40"])
    adds = [
        cli("term", "add", f"woord{n}", f"word{n}", cwd=project.parent.parent) for n in range(12)
    ]
    assert editor.wait(timeout=120) == 0
    assert all(r.returncode == 0 for r in adds), [r.stderr for r in adds]
    # The editor re-sorts nothing: the file must still load, and hold everything.
    names = {c.nl for c in store.read_termbase(project)}
    assert {f"editor{i}" for i in range(40)} <= names
    assert {f"woord{n}" for n in range(12)} <= names


# ------------------------------------------------------------ 7: OS errors


def test_lock_path_that_is_a_folder(project: Path) -> None:
    lock = store.lock_path(project)
    lock.unlink()
    lock.mkdir()
    code, _, err = run("term", "add", "vrede", "peace")
    assert code == 1 and "is a folder" in err and "rmdir" in err, err


def test_folder_without_write_permission(open_folder: Path) -> None:
    assert cli("init", cwd=open_folder).returncode == 0
    folder = open_folder / "glossary"
    (folder / ".termbase.tsv.lock").unlink()
    folder.chmod(0o555)
    result = cli("term", "add", "vrede", "peace", cwd=open_folder, as_other=True)
    no_traceback(result)
    assert "permission denied" in result.stderr


def test_lock_file_without_permission(open_folder: Path) -> None:
    assert cli("init", cwd=open_folder).returncode == 0
    folder = open_folder / "glossary"
    folder.chmod(0o777)
    (folder / "termbase.tsv").chmod(0o666)
    (folder / ".termbase.tsv.lock").chmod(0o000)
    result = cli("term", "add", "vrede", "peace", cwd=open_folder, as_other=True)
    no_traceback(result)
    assert "lock file" in result.stderr and "permission denied" in result.stderr


def test_read_only_lock_file_is_enough(open_folder: Path) -> None:
    """A lock file we may read but not write (another user's) still locks."""
    assert cli("init", cwd=open_folder).returncode == 0
    folder = open_folder / "glossary"
    folder.chmod(0o777)
    (folder / "termbase.tsv").chmod(0o666)
    (folder / ".termbase.tsv.lock").chmod(0o444)
    result = cli("term", "add", "vrede", "peace", cwd=open_folder, as_other=True)
    assert result.returncode == 0, result.stderr


def test_file_size_limit_while_saving(project: Path) -> None:
    """A real OS refusal in the middle of a write (RLIMIT_FSIZE: EFBIG)."""
    concepts = [tbm.make_concept(f"term{n}", f"en{n}") for n in range(300)]
    project.write_text(serialize_tsv(Termbase(tuple(concepts))), encoding="utf-8")
    before = project.read_bytes()
    limit = len(before) // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for args in (["term", "add", "vrede", "peace"], ["export", "--format", "tbx", "-o", "x.tsv"]):
        result = subprocess.run(
            [sys.executable, "-m", "glossary", *args],
            cwd=project.parent.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=small_files,
        )
        no_traceback(result)
        assert "file size limit" in result.stderr
    assert project.read_bytes() == before
    assert leftovers(project.parent) == [] and not (project.parent.parent / "x.tsv").exists()


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_and_read_only_mount(tmpfs: Path) -> None:
    assert cli("init", cwd=tmpfs).returncode == 0
    assert cli("term", "add", "vrede", "peace", cwd=tmpfs).returncode == 0
    termbase = tmpfs / "glossary" / "termbase.tsv"
    before = termbase.read_bytes()
    filler = tmpfs / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as sink:
        while True:
            sink.write(b"\0" * 4096)
    for args in (["term", "add", "oorlog", "war", "--note", "x" * 3000], ["export", "--all"]):
        result = cli(*args, cwd=tmpfs)
        no_traceback(result)
        assert "disk is full" in result.stderr
    assert termbase.read_bytes() == before
    assert leftovers(termbase.parent) == []
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for args in (["term", "add", "oorlog", "war"], ["export"], ["init", "--termbase", "x.tsv"]):
        result = cli(*args, cwd=tmpfs)
        no_traceback(result)
        assert "read-only" in result.stderr
    assert termbase.read_bytes() == before


def test_ctrl_c_at_start_up_never_shows_a_traceback(tmp_path: Path) -> None:
    """SIGINT at moments spread over the first half second (import of Click and
    the command modules, then the command)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for delay in (0.0, 0.02, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "glossary", "segment", str(ROOT / "seeds")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        # Python's own start-up (before any glossary code runs) may still show
        # one; no traceback may pass through glossary's code.
        frames = [line for line in err.splitlines() if line.lstrip().startswith('File "')]
        assert not [f for f in frames if "glossary" in f], (delay, err)


def test_interrupt_while_importing_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import glossary.__main__ as entry

    class Interrupting:
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "glossary.cli", Interrupting())
    with pytest.raises(SystemExit) as info:
        entry.run()
    assert info.value.code == 1
    assert "Aborted!" in capsys.readouterr().err


def test_arguments_and_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def glossary(*args: bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable.encode(), b"-m", b"glossary", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )

    assert glossary(b"init").returncode == 0
    added = glossary(b"term", b"add", b"vrede\xff", b"peace")
    assert added.returncode == 1 and b"Traceback" not in added.stderr
    assert b"not UTF-8" in added.stderr and b"\\xff" in added.stderr
    name = b"brief\xe9.txt"
    (tmp_path / os.fsdecode(name)).write_text("De vrede is getekend.\n", encoding="utf-8")
    for args in (
        [b"segment", name],
        [b"mine", name],
        [b"segment", name, b"--format", b"json"],
        [b"translate", name, b"--engine", b"none", b"--format", b"po"],
        [b"export", b"--format", b"tsv", b"-o", b"uit\xe9.tsv"],
        [b"segment", b"nope\xe9.txt"],
    ):
        result = glossary(*args)
        assert b"Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode in (0, 1), (args, result.stderr)
    assert (tmp_path / os.fsdecode(b"uit\xe9.tsv")).is_file()


# ------------------------------------------ 11: leftovers, groups, the lock

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from glossary.termbase import store
with store.atomic_open(Path(sys.argv[1])) as handle:
    handle.write(b"half of a file")
    handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_temporary_files_of_a_killed_write_are_swept(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    seen = []
    for target in (project, project.parent / "other.txt"):
        done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(target)], env=env)
        assert done.returncode == -signal.SIGKILL
        seen.append(leftovers(project.parent))
    # Each write sweeps what an earlier killed one left: one leftover at a time.
    assert [len(names) for names in seen] == [1, 1] and seen[0] != seen[1]
    before = project.read_bytes()
    assert cli("term", "add", "vrede", "peace", cwd=project.parent.parent).returncode == 0
    assert leftovers(project.parent) == []
    assert project.read_bytes() != before


def test_a_live_writers_temporary_file_is_not_swept(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with store.atomic_open(target) as handle:
        handle.write(b"in progress")
        store._swept.clear()
        assert store.sweep_leftovers(tmp_path) == []
        assert len(leftovers(tmp_path)) == 1
    assert target.read_bytes() == b"in progress"
    assert leftovers(tmp_path) == []


def test_export_all_replaces_every_file_or_none(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("export", "--all")[0] == 0
    exports = project.parent.parent / "exports"
    before = {p.name: p.read_bytes() for p in exports.iterdir()}
    assert len(before) == 5
    assert run("term", "add", "oorlog", "war")[0] == 0

    from glossary.exchange import tabular

    def interrupted(concepts: object, stream: object, options: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tabular, "write_csv", interrupted)  # the last of the five
    code, _, _ = run("export", "--all")
    assert code == 1
    assert {p.name: p.read_bytes() for p in exports.iterdir()} == before


def test_group_commit_holds_ctrl_c_until_every_rename_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [tmp_path / f"f{n}.txt" for n in range(3)]
    for target in targets:
        target.write_text("old")
    original = Path.replace

    def replace_then_interrupt(self: Path, other: Path) -> Path:
        result = original(self, other)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first rename
        return result

    with pytest.raises(KeyboardInterrupt), store.atomic_group() as group:
        for target in targets:
            with group.open(target) as handle:
                handle.write(b"new")
        monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    monkeypatch.undo()
    assert [t.read_text() for t in targets] == ["new", "new", "new"]
    assert leftovers(tmp_path) == []


KILLED_COMMIT = """
import os, signal, sys
from pathlib import Path
from glossary.termbase import store

original = Path.replace
count = [0]

def replace_then_die(self, other):
    result = original(self, other)
    count[0] += 1
    if count[0] == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # killed between two renames
    return result

folder = Path(sys.argv[1])
with store.atomic_group() as group:
    for n in range(4):
        with group.open(folder / f"f{n}.txt") as handle:
            handle.write(b"new")
    Path.replace = replace_then_die
"""


def test_a_group_killed_between_renames_is_completed_by_the_next_write(tmp_path: Path) -> None:
    targets = [tmp_path / f"f{n}.txt" for n in range(4)]
    for target in targets:
        target.write_text("old")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", KILLED_COMMIT, str(tmp_path)], env=env)
    assert done.returncode == -signal.SIGKILL
    assert sorted(t.read_text() for t in targets) == ["new", "new", "old", "old"]
    store._swept.discard(os.path.realpath(tmp_path))
    store.atomic_write(tmp_path / "other.txt", "a later write in the folder")
    assert [t.read_text() for t in targets] == ["new"] * 4
    assert leftovers(tmp_path) == [] and not list(tmp_path.glob(".glossary-commit-*"))


HOLDER = """
import sys, time
from pathlib import Path
from glossary.termbase import store
with store.termbase_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(30)
"""


def test_lock_wait_is_configurable_and_names_the_holder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("GLOSSARY_LOCK_TIMEOUT", "0.3")
        started = time.monotonic()
        with pytest.raises(LockTimeout) as info:
            store.update_termbase(project, lambda tb: (tb, None))
        assert time.monotonic() - started < 10
        message = str(info.value)
        assert f"process {holder.pid}" in message and "GLOSSARY_LOCK_TIMEOUT" in message
        monkeypatch.setenv("GLOSSARY_LOCK_TIMEOUT", "1.5")
        code, _, err = run("term", "add", "vrede", "peace")
        assert code == 1 and "Waiting for the termbase lock" in err and "Waited 1.5 s" in err
    finally:
        holder.kill()
        holder.wait()
    monkeypatch.setenv("GLOSSARY_LOCK_TIMEOUT", "soon")
    with pytest.raises(InvalidValue, match="GLOSSARY_LOCK_TIMEOUT"):
        store.lock_timeout()
    monkeypatch.setenv("GLOSSARY_LOCK_TIMEOUT", "inf")
    assert store.lock_timeout() == float("inf")


def test_streamed_export_equals_the_loaded_one_and_fails_whole(
    project: Path, tmp_path: Path
) -> None:
    concepts = [
        tbm.make_concept(f"term {n:03d}", f"en {n}", status=("approved", "proposed")[n % 2])
        for n in range(50)
    ]
    project.write_text(serialize_tsv(Termbase(tuple(concepts))), encoding="utf-8")
    streamed = store.termbase_concepts(project)
    assert not isinstance(streamed, tuple)  # in file order: streamed
    assert list(streamed) == list(store.read_termbase(project).concepts)
    # Rows out of order (edited by hand): loaded and sorted instead.
    lines = project.read_text(encoding="utf-8").splitlines(keepends=True)
    project.write_text(lines[0] + "".join(reversed(lines[1:])), encoding="utf-8")
    assert store.termbase_concepts(project) == store.read_termbase(project).concepts
    # A broken last row: the export fails and writes nothing.
    project.write_text("".join(lines) + "broken\trow\n", encoding="utf-8")
    target = tmp_path / "out.tbx"
    code, out, err = run("export", "-o", str(target))
    assert code == 1 and "52" in err and not target.exists() and out == ""
    assert leftovers(tmp_path) == []
    code, out, err = run("export", "--format", "tsv", "-o", "-")
    assert code == 1 and out == "", "stdout cannot be rolled back: validated first"


def test_unreadable_termbase_kinds(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.tsv"
    os.mkfifo(fifo)
    for args in (["term", "list"], ["term", "add", "a", "b"], ["export", "-o", "-"]):
        code, _, err = run(*args, "--termbase", str(fifo))
        assert code == 1 and "not a regular file" in err, err


def test_errno_messages_name_the_file_and_the_fix() -> None:
    from glossary.files.oserrors import describe

    cases = {
        errno.EROFS: "read-only",
        errno.EACCES: "permission denied",
        errno.ENOSPC: "disk is full",
        errno.EDQUOT: "quota",
        errno.EISDIR: "folder",
        errno.EFBIG: "size limit",
    }
    for code, words in cases.items():
        text = describe(OSError(code, os.strerror(code)), "write", "out/x.tbx")
        assert text.startswith("Cannot write out/x.tbx: ") and words in text, text
    assert "\\xff" in describe(OSError(errno.EACCES, "x"), "read", os.fsdecode(b"a\xff"))


def test_header_only_and_empty_lines_still_load(tmp_path: Path) -> None:
    path = tmp_path / "tb.tsv"
    path.write_text(HEADER + "\n\n", encoding="utf-8")
    assert len(store.read_termbase(path)) == 0
    path.write_text(HEADER, encoding="utf-8")  # no final line break: readable...
    assert len(store.read_termbase(path)) == 0
    with pytest.raises(TermbaseFormatError, match="half-written"):  # ...but not rewritten
        store.update_termbase(path, lambda tb: tbm.add(tb, tbm.make_concept("a", "b")))
