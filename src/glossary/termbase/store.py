"""Files on disk: finding the termbase, atomic writes, and the termbase lock.

`atomic_open` / `atomic_write` are the only way this package writes a file
the user keeps: a temporary file beside the target, fsync, rename. A reader
sees the old file or the new one, never half of one, and an interrupted
write leaves the old file in place. A target that is a symbolic link is
written through to the file it points to (the link stays a link). The
temporary file is locked while it is written, so one that a killed process
left behind is recognised and removed by the next write in that folder.

`update_termbase` is the read-modify-write of every termbase command: it
takes an exclusive lock (a `.lock` file beside the termbase, `fcntl.flock`),
loads and validates, applies a pure change, and saves atomically, so
concurrent `glossary term add` runs all land. It also guards against
programs that do not take the lock (an editor, a sync tool, a spreadsheet):
a termbase that changes while it is read, or between the read and the
rename, is read again and the change applied again; one that looks
half-written (no final line break) is refused and never written back.

The lock waits `lock_timeout()` seconds (`GLOSSARY_LOCK_TIMEOUT`, default
120) and says which process holds it.

`check_output` is the one check that an output path is never the termbase,
its lock file or an input of the same command.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, TypeVar

from glossary.errors import (
    InvalidValue,
    LockTimeout,
    OutputError,
    Problem,
    TermbaseChanged,
    TermbaseFormatError,
    TermbaseNotFound,
)
from glossary.files.oserrors import describe, display, mapped
from glossary.files.outputs import check_target, fsync_dir
from glossary.lang.text import clean_value
from glossary.termbase.model import (
    Concept,
    Termbase,
    TsvScanner,
    parse_tsv,
    serialize_tsv,
)

DEFAULT_RELATIVE: Final = Path("glossary") / "termbase.tsv"
ENV_VAR: Final = "GLOSSARY_TERMBASE"
LOCK_TIMEOUT_VAR: Final = "GLOSSARY_LOCK_TIMEOUT"
# Seconds a writer waits for the lock. A write of a 1,000,000-concept termbase
# holds it for about a minute on a slow machine; a writer queued behind one
# such write should not fail.
DEFAULT_LOCK_TIMEOUT: Final = 120.0
# Temporary files are ".NAME.glossary-XXXXXXXX.tmp": recognisable, hidden.
TMP_MARK: Final = ".glossary-"
TMP_SUFFIX: Final = ".tmp"
# How often a termbase that other programs keep changing is read again.
RETRIES: Final = 3
T = TypeVar("T")


# ------------------------------------------------------------------ finding


def find_termbase(start: Path | None = None) -> Path:
    """The project's termbase: `glossary/termbase.tsv` here or in a parent folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_RELATIVE
        if candidate.is_file():
            return candidate
    raise TermbaseNotFound(
        f"No termbase found: {DEFAULT_RELATIVE} does not exist in {display(here)} or its "
        f"parents. Create one with 'glossary init', or pass --termbase PATH (or set {ENV_VAR})."
    )


def resolve_termbase(path: str | os.PathLike[str] | None) -> Path:
    """An explicit path as given, else the project's termbase."""
    if path:
        return Path(path)
    return find_termbase()


def project_termbase(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The termbase a command would use (explicit, else found), or None when there
    is none; for commands that do not need one but must never overwrite it."""
    try:
        return resolve_termbase(path or os.environ.get(ENV_VAR) or None)
    except TermbaseNotFound:
        return None


def real_target(path: Path) -> Path:
    """The file a write to `path` must replace: symbolic links followed, so a
    termbase that is a link to a shared file updates that file."""
    return Path(os.path.realpath(path))


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a file and the identity of the file they were read from."""

    data: bytes
    identity: tuple[int, ...]


def _identity(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def current_identity(path: Path) -> tuple[int, ...] | None:
    """The identity (device, inode, size, times) of the file at `path`; None if absent."""
    try:
        return _identity(path.stat())
    except FileNotFoundError:
        return None


def read_snapshot(path: Path) -> Snapshot:
    """Read a termbase file through one open file, refusing anything but a regular
    file, and read it again (up to `RETRIES` times) while it changes under us."""
    for attempt in range(RETRIES + 1):
        with _open_regular(path) as handle:
            before = os.fstat(handle.fileno())
            try:
                data = handle.read()
            except OSError as exc:
                raise TermbaseNotFound(describe(exc, "read the termbase", path)) from None
            after = os.fstat(handle.fileno())
        if _identity(before) == _identity(after) and len(data) == after.st_size:
            return Snapshot(data, _identity(after))
        if attempt < RETRIES:
            time.sleep(0.05 * (attempt + 1))  # another program is writing it
    raise TermbaseChanged(
        f"Termbase {display(path)} kept changing while it was read: another program is "
        "writing it. Wait until it has finished, then try again."
    )


def read_termbase(path: Path) -> Termbase:
    """Load and validate a termbase file (raises `TermbaseFormatError` with every problem)."""
    return parse_tsv(read_snapshot(path).data, str(path))


_CHUNK: Final = 1 << 20


def _open_regular(path: Path) -> IO[bytes]:
    """The termbase file opened for reading, refusing anything but a regular file
    (a FIFO would block, a device never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise TermbaseNotFound(
            f"Termbase {display(path)} does not exist. Create it with "
            f"'glossary init --termbase {display(path)}'."
        ) from None
    except IsADirectoryError:
        raise TermbaseNotFound(f"Termbase {display(path)} is a folder, not a TSV file.") from None
    except OSError as exc:
        raise TermbaseNotFound(describe(exc, "read the termbase", path)) from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise TermbaseNotFound(
            f"Termbase {display(path)} is not a regular file (a pipe or device?). "
            "Give the path of the TSV file."
        )
    return handle


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    """Blocks of whole lines (about 1 MB each)."""
    rest = b""
    while True:
        block = handle.read(_CHUNK)
        if not block:
            break
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut:
            rest = block[cut:]
            yield block[:cut]
        else:
            rest = block
    if rest:
        yield rest


def _in_file_order(handle: IO[bytes]) -> bool:
    """Whether the rows are in the order glossary writes them (`sort_key`), by a
    quick pass over the id and Dutch cells; broken rows are left to the parser."""
    previous: tuple[str, str, str] | None = None
    first = True
    for chunk in _chunks(handle):
        for raw in chunk.split(b"\n"):
            if first:
                first = False
                continue
            cells = raw.split(b"\t", 2)
            if len(cells) < 3:
                continue
            try:
                cid, nl = clean_value(cells[0].decode()), clean_value(cells[1].decode())
            except UnicodeDecodeError:
                continue
            key = (nl.casefold(), nl, cid)
            if previous is not None and key < previous:
                return False
            previous = key
    return True


def termbase_concepts(path: Path) -> Iterable[Concept]:
    """The concepts of a termbase in file order, for an export: streamed from
    the file, validated as they are read, when its rows are in glossary's order
    (they always are when glossary wrote it); else loaded whole and sorted.

    Streamed, a 1,000,000-concept termbase costs a few hundred MB (the ids and
    term keys the validation needs), not the 2 GB of a loaded `Termbase`. The
    problems of a broken file are raised when the iteration reaches the end,
    so the export must be written atomically (it is: `atomic_open`).
    """
    with _open_regular(path) as handle:
        ordered = _in_file_order(handle)
    if not ordered:
        return read_termbase(path).concepts
    return _streamed(path)


def _streamed(path: Path) -> Iterator[Concept]:
    with _open_regular(path) as handle:
        before = _identity(os.fstat(handle.fileno()))
        scanner = TsvScanner(str(path))
        for concept in scanner.scan(_chunks(handle)):
            if concept is not None:
                yield concept
        scanner.finish()
        if _identity(os.fstat(handle.fileno())) != before:
            raise TermbaseChanged(
                f"Termbase {display(path)} was changed by another program while it was "
                "exported; nothing was written. Run the export again."
            )


# ------------------------------------------------------------------ writing


def create_termbase(path: Path) -> None:
    """Create an empty termbase file (and its folder); refuse to overwrite one."""
    if path.exists() or path.is_symlink():
        raise OutputError(f"{display(path)} already exists; nothing was changed.")
    with mapped("create the folder", path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    with termbase_lock(path):
        if path.exists():
            raise OutputError(f"{display(path)} already exists; nothing was changed.")
        write_termbase(path, Termbase())


def write_termbase(path: Path, termbase: Termbase) -> None:
    atomic_write(path, serialize_tsv(termbase).encode("utf-8"))


def atomic_write(
    path: Path, data: bytes | str, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Write `data` to `path` through a temporary file, fsync and rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_open(path, before_replace=before_replace) as handle, mapped("write", path):
        handle.write(payload)


check_writable = check_target  # the one rule, in glossary.files.outputs


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def check_output(
    path: Path,
    *,
    termbase: Path | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    what: str = "",
) -> None:
    """Refuse an output path that resolves to the termbase, its lock file or one of
    the command's inputs (symbolic and hard links included), or that cannot be
    written (see `check_writable`). "-" (stdout) is always fine.

    Every command that writes files calls it before its work, so `export -o
    glossary/termbase.tsv` or a report named like the document it reports on
    fails at once and changes nothing.
    """
    if str(path) == "-":
        return
    check_writable(path, what)
    name = f"{what} {display(path)}" if what else display(path)
    protected: list[tuple[Path, str]] = []
    if termbase is not None:
        protected.append((Path(termbase), "the termbase"))
        protected.append((lock_path(Path(termbase)), "the termbase's lock file"))
    protected.extend((Path(p), "an input of this command") for p in inputs if str(p) != "-")
    for other, role in protected:
        if _same_file(path, other):
            raise OutputError(
                f"Refusing to write {name}: it is {role} ({display(other)}), which the output "
                "would overwrite. Give another output file name."
            )


# Folders whose leftover temporary files this process has already looked at.
_swept: set[str] = set()
# The record of a group of renames in progress (see `AtomicGroup.commit`).
COMMIT_PREFIX: Final = ".glossary-commit-"


def _finish_commits(folder: str) -> None:
    """Complete the renames of commit records whose process died mid-way."""
    import fcntl
    import json

    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(COMMIT_PREFIX)]
    except OSError:
        return
    for name in names:
        record = Path(folder) / name
        try:
            fd = os.open(record, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its process is still renaming
            try:
                renames = json.loads(os.read(fd, 1 << 20) or b"[]")
            except ValueError:
                renames = []  # killed while writing the record: nothing was renamed yet
            for pair in renames if isinstance(renames, list) else []:
                if isinstance(pair, list) and len(pair) == 2:
                    with contextlib.suppress(OSError):
                        Path(pair[0]).replace(pair[1])
            fsync_dir(Path(folder))
            with contextlib.suppress(OSError):
                record.unlink()
        finally:
            os.close(fd)


def _is_temp_name(name: str) -> bool:
    return name.startswith(".") and TMP_MARK in name and name.endswith(TMP_SUFFIX)


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files of writes that were killed (kill -9, power loss)
    in `folder`; return what was removed.

    A writer holds an exclusive `flock` on its temporary file until the
    rename, so a temporary file that can be locked belongs to no live
    process. A group of renames a killed process left half done (a commit
    record) is completed first. Runs once per folder per process (the first
    write there).
    """
    import fcntl

    key = os.path.realpath(folder)
    if key in _swept:
        return []
    _swept.add(key)
    _finish_commits(key)
    removed: list[Path] = []
    try:
        entries = [e.name for e in os.scandir(key) if _is_temp_name(e.name)]
    except OSError:
        return []
    for name in entries:
        candidate = Path(key) / name
        try:
            fd = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer holds it
            opened = os.fstat(fd)
            try:
                now = os.lstat(candidate)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(now.st_mode) and (now.st_dev, now.st_ino) == (
                opened.st_dev,
                opened.st_ino,
            ):
                with contextlib.suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
        finally:
            os.close(fd)
    return removed


def _locked_temp(target: Path) -> tuple[int, int, Path]:
    """A new temporary file beside `target`, locked: (fd, lock fd, path)."""
    import fcntl

    folder = target.parent
    while True:
        with mapped("create a file in", folder):
            fd, name = tempfile.mkstemp(
                prefix=f".{target.name}{TMP_MARK}", suffix=TMP_SUFFIX, dir=folder
            )
        tmp = Path(name)
        lock_fd = os.dup(fd)  # the lock lives until this is closed, after the rename
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        try:
            same = tmp.stat().st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False  # swept by another process before we locked it: try again
        if same:
            return fd, lock_fd, tmp
        os.close(fd)
        os.close(lock_fd)


@contextlib.contextmanager
def atomic_open(
    path: Path, *, before_replace: Callable[[], None] | None = None
) -> Iterator[IO[bytes]]:
    """A binary file handle whose content replaces `path` only if the block succeeds.

    On any exception (including KeyboardInterrupt) the temporary file is
    removed and `path` is left as it was. A symbolic link at `path` is
    written through to its target. `before_replace` is called after the
    data is on disk and just before the rename; it may raise to cancel.
    """
    check_writable(path)
    target = real_target(path)
    sweep_leftovers(target.parent)
    fd, lock_fd, tmp = _locked_temp(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            with _write_errors(path):
                yield handle
            with mapped("write", path):
                handle.flush()
                os.fsync(handle.fileno())
        _copy_mode(target, tmp)
        if before_replace is not None:
            before_replace()
        try:
            tmp.replace(target)
        except IsADirectoryError:
            raise OutputError(f"Cannot write {display(path)}: it is a folder.") from None
        except OSError as exc:
            raise OutputError(describe(exc, "write", path)) from None
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        os.close(lock_fd)


# Errors of the block writing a file that are about the writing (a full disk);
# others (an input that cannot be read) pass through unchanged.
_WRITE_ERRNOS: Final = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


@contextlib.contextmanager
def _write_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS and not exc.filename:
            raise OutputError(describe(exc, "write", path) + " Nothing was written.") from None
        raise


def _copy_mode(target: Path, tmp: Path) -> None:
    """Give the new file the permissions of the one it replaces (else the umask's)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        tmp.chmod(mode)


class AtomicGroup:
    """Several files that replace their targets together, or not at all.

    `export --all` writes each format with `group.open(path)`; nothing
    replaces an old file until every new one is complete and on disk, so an
    error or Ctrl-C while writing leaves every old file as it was. The
    renames at the end run with Ctrl-C held back until they are done.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path, int]] = []  # (target, tmp, lock fd)

    @contextlib.contextmanager
    def open(self, path: Path) -> Iterator[IO[bytes]]:
        check_writable(path)
        target = real_target(path)
        sweep_leftovers(target.parent)
        fd, lock_fd, tmp = _locked_temp(target)
        self._pending.append((target, tmp, lock_fd))
        with os.fdopen(fd, "wb") as handle:
            with _write_errors(path):
                yield handle
            with mapped("write", path):
                handle.flush()
                os.fsync(handle.fileno())
        _copy_mode(target, tmp)

    def commit(self) -> None:
        """Rename every file into place. With more than one, a commit record
        listing the renames is written first (and locked while they run), so
        a process killed half-way (kill -9 cannot be held back) leaves a
        record that the next write in that folder completes: the set is
        never left half old, half new."""
        import fcntl
        import json

        with _interrupts_deferred():
            record: Path | None = None
            record_fd = -1
            pending = self._pending
            if len(pending) > 1:
                folder = pending[0][0].parent
                with mapped("write in", folder):
                    fd, name = tempfile.mkstemp(prefix=COMMIT_PREFIX, suffix=".json", dir=folder)
                record, record_fd = Path(name), fd
                fcntl.flock(record_fd, fcntl.LOCK_EX)
                renames = [[str(tmp), str(target)] for target, tmp, _ in pending]
                with mapped("write in", folder):
                    os.write(record_fd, json.dumps(renames).encode())
                    os.fsync(record_fd)
                    fsync_dir(folder)
            for target, tmp, _ in pending:
                with mapped("write", target):
                    tmp.replace(target)
            for folder in {target.parent for target, _, _ in pending}:
                fsync_dir(folder)
            if record is not None:
                with contextlib.suppress(OSError):
                    record.unlink()
                os.close(record_fd)
            self._release()

    def abort(self) -> None:
        for _, tmp, _ in self._pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._release()

    def _release(self) -> None:
        for _, _, lock_fd in self._pending:
            with contextlib.suppress(OSError):
                os.close(lock_fd)
        self._pending.clear()


@contextlib.contextmanager
def atomic_group() -> Iterator[AtomicGroup]:
    """An `AtomicGroup` committed when the block succeeds, else rolled back."""
    group = AtomicGroup()
    try:
        yield group
    except BaseException:
        group.abort()
        raise
    group.commit()


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C back during a few renames that belong together."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[Any] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


# --------------------------------------------------------------------- lock


def lock_path(path: Path) -> Path:
    """The lock file of the termbase at `path` (beside the real file, so two
    links to one termbase share one lock)."""
    target = real_target(path)
    return target.with_name(f".{target.name}.lock")


def lock_timeout() -> float:
    """Seconds to wait for the termbase lock: `GLOSSARY_LOCK_TIMEOUT`, else 120.

    "0" fails at once when another command holds the lock; "inf" waits for ever.
    """
    raw = os.environ.get(LOCK_TIMEOUT_VAR, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if math.isnan(value) or value < 0:
        raise InvalidValue(
            f"{LOCK_TIMEOUT_VAR}={raw!r} is not a number of seconds; give e.g. 300, "
            "0 (do not wait) or inf (wait for ever)."
        )
    return value


# Called with a message when a command starts waiting for the lock (the CLI
# prints it on stderr); the library itself never prints.
_lock_notice: Callable[[str], None] | None = None
NOTICE_AFTER: Final = 1.0  # seconds of waiting before the notice


def set_lock_notice(callback: Callable[[str], None] | None) -> None:
    """Have `callback(message)` called when a command has to wait for the lock."""
    global _lock_notice
    _lock_notice = callback


def _open_lock(path: Path, lock: Path) -> int:
    flags = os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except PermissionError:
        # A lock file we may not write (another user's, in a shared folder):
        # flock works on a read-only descriptor too.
        with contextlib.suppress(OSError):
            return os.open(lock, os.O_RDONLY | flags)
        raise OutputError(
            describe(PermissionError(errno.EACCES, "", str(lock)), "create the lock file", lock)
            + f" The termbase {display(path)} can only be changed by someone who may write "
            "in its folder."
        ) from None
    except FileNotFoundError:
        raise TermbaseNotFound(
            f"Folder {display(path.parent)} of the termbase does not exist."
        ) from None
    except IsADirectoryError:
        raise OutputError(
            f"The termbase lock {display(lock)} is a folder. Remove that folder "
            f"(rmdir {display(lock)}), then try again."
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"The termbase lock {display(lock)} is a symbolic link; glossary does not "
                "follow links for its lock file. Remove the link, then try again."
            ) from None
        raise OutputError(describe(exc, "create the lock file", lock)) from None


def _seconds(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _holder(fd: int) -> str:
    """Who holds the lock, as the holder wrote it into the lock file."""
    with contextlib.suppress(OSError):
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if text:
            return f" (held by {text})"
    return ""


@contextlib.contextmanager
def termbase_lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Exclusive advisory lock for read-modify-write of the termbase at `path`.

    Waits up to `timeout` seconds (default `lock_timeout()`); the holder's
    process id and start time are written into the lock file, so a waiting
    command can say who holds it.
    """
    import fcntl

    wait = lock_timeout() if timeout is None else timeout
    lock = lock_path(path)
    fd = _open_lock(path, lock)
    try:
        started = time.monotonic()
        noticed = False
        pause = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise OutputError(describe(exc, "lock", lock)) from None
            waited = time.monotonic() - started
            if waited >= wait:
                raise LockTimeout(
                    f"Waited {_seconds(waited)} s for the termbase lock {display(lock)}"
                    f"{_holder(fd)}; another command is still changing the termbase. "
                    f"Try again when it has finished, or wait longer: set {LOCK_TIMEOUT_VAR} "
                    "to a number of seconds (or inf)."
                ) from None
            if not noticed and waited >= NOTICE_AFTER and _lock_notice is not None:
                noticed = True
                _lock_notice(
                    f"Waiting for the termbase lock {display(lock)}{_holder(fd)}; "
                    f"giving up after {_seconds(wait)} s ({LOCK_TIMEOUT_VAR})."
                )
            time.sleep(min(pause, max(0.0, wait - waited)))
            pause = min(pause * 1.5, 0.2)
        with contextlib.suppress(OSError):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            note = f"process {os.getpid()} since {stamp}\n".encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, note, 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# ---------------------------------------------------------- read-modify-write


def _refuse_half_written(snapshot: Snapshot, path: Path) -> None:
    data = snapshot.data
    if data and not data.endswith(b"\n"):
        lines = data.count(b"\n") + 1
        raise TermbaseFormatError(
            f"{display(path)} does not end with a line break, so it may be half-written "
            "(another program still saving it?); it was not changed.",
            [
                Problem(
                    str(path),
                    lines,
                    "the last line has no line break at its end",
                    hint="if the file is complete (edited by hand), add a line break at the "
                    "end and run the command again",
                )
            ],
        )


def update_termbase(
    path: Path,
    change: Callable[[Termbase], tuple[Termbase, T]],
    *,
    create: bool = False,
) -> T:
    """Lock, load, apply `change`, save atomically; return what `change` returned.

    Nothing is written when loading or `change` raises. With `create`, a
    missing file counts as an empty termbase. If another program replaces or
    edits the file between the read and the rename, the new file is read and
    `change` (a pure function) applied to it again, up to `RETRIES` times;
    a file that looks half-written is refused.
    """
    target = real_target(path)
    with termbase_lock(target):
        sweep_leftovers(target.parent)
        for _attempt in range(RETRIES + 1):
            if create and current_identity(target) is None:
                snapshot: Snapshot | None = None
                current = Termbase()
            else:
                snapshot = read_snapshot(target)
                current = parse_tsv(snapshot.data, str(path))
                _refuse_half_written(snapshot, path)
            new, result = change(current)
            if new is current:
                return result
            seen = snapshot.identity if snapshot is not None else None

            def unchanged(seen: tuple[int, ...] | None = seen) -> None:
                if current_identity(target) != seen:
                    raise _Changed

            try:
                atomic_write(target, serialize_tsv(new), before_replace=unchanged)
            except _Changed:
                time.sleep(0.05)
                continue
            return result
    raise TermbaseChanged(
        f"Termbase {display(path)} was changed by another program each time this command "
        f"tried to save ({RETRIES + 1} times); nothing was written. Close the program that "
        "edits it, then run the command again."
    )


class _Changed(Exception):
    """The termbase changed between our read and our rename."""
