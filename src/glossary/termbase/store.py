"""Files on disk: finding the termbase, atomic writes, and the termbase lock.

`atomic_write` is the only way this package writes a file the user keeps: a
temporary file beside the target, fsync, rename. A reader sees the old file
or the new one, never half of one, and an interrupted write leaves the old
file in place.

`update_termbase` is the read-modify-write of every termbase command: it
takes an exclusive lock (a `.lock` file beside the termbase, `fcntl.flock`),
loads and validates, applies a pure change, and saves atomically, so
concurrent `glossary term add` runs all land.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from glossary.errors import LockTimeout, OutputError, TermbaseNotFound
from glossary.termbase.model import Termbase, parse_tsv, serialize_tsv

DEFAULT_RELATIVE = Path("glossary") / "termbase.tsv"
ENV_VAR = "GLOSSARY_TERMBASE"
T = TypeVar("T")


def find_termbase(start: Path | None = None) -> Path:
    """The project's termbase: `glossary/termbase.tsv` here or in a parent folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_RELATIVE
        if candidate.is_file():
            return candidate
    raise TermbaseNotFound(
        f"No termbase found: {DEFAULT_RELATIVE} does not exist in {here} or its parents. "
        f"Create one with 'glossary init', or pass --termbase PATH (or set {ENV_VAR})."
    )


def resolve_termbase(path: str | os.PathLike[str] | None) -> Path:
    """An explicit path as given, else the project's termbase."""
    if path:
        return Path(path)
    return find_termbase()


def read_termbase(path: Path) -> Termbase:
    """Load and validate a termbase file (raises `TermbaseFormatError` with every problem)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TermbaseNotFound(
            f"Termbase {path} does not exist. Create it with 'glossary init --termbase {path}'."
        ) from None
    except IsADirectoryError:
        raise TermbaseNotFound(f"Termbase {path} is a folder, not a TSV file.") from None
    except PermissionError:
        raise TermbaseNotFound(f"Termbase {path} cannot be read: permission denied.") from None
    return parse_tsv(data, str(path))


def create_termbase(path: Path) -> None:
    """Create an empty termbase file (and its folder); refuse to overwrite one."""
    if path.exists():
        raise OutputError(f"{path} already exists; nothing was changed.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with termbase_lock(path):
        write_termbase(path, Termbase())


def write_termbase(path: Path, termbase: Termbase) -> None:
    atomic_write(path, serialize_tsv(termbase).encode("utf-8"))


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file, fsync and rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_open(path) as handle:
        handle.write(payload)


def check_writable(path: Path, what: str = "") -> None:
    """Raise `OutputError` if `path` cannot be written as a file: its folder
    is missing or it is a folder. Commands call it before long work, so a
    wrong `-o` fails at once rather than after the work is done."""
    name = f"{what} {path}" if what else str(path)
    if not path.parent.is_dir():
        raise OutputError(
            f"Cannot write {name}: folder {path.parent} does not exist. Create it first."
        )
    if path.is_dir():
        raise OutputError(f"Cannot write {name}: it is a folder. Give a file name.")


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """A binary file handle whose content replaces `path` only if the block succeeds.

    On any exception (including KeyboardInterrupt) the temporary file is
    removed and `path` is left as it was.
    """
    check_writable(path)
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise OutputError(f"Cannot write {path}: permission denied in {folder}.") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            # Keep the permissions of the file we replace.
            tmp.chmod(path.stat().st_mode & 0o7777)
        if not path.exists():
            umask = os.umask(0)
            os.umask(umask)
            tmp.chmod(0o666 & ~umask)
        try:
            tmp.replace(path)
        except IsADirectoryError:
            raise OutputError(f"Cannot write {path}: it is a folder.") from None
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def termbase_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Exclusive advisory lock for read-modify-write of the termbase at `path`."""
    import fcntl

    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except FileNotFoundError:
        raise TermbaseNotFound(f"Folder {path.parent} of the termbase does not exist.") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"Another glossary command has held {lock_path} for {timeout:.0f} s. "
                        "Wait for it to finish, then try again."
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def update_termbase(
    path: Path,
    change: Callable[[Termbase], tuple[Termbase, T]],
    *,
    create: bool = False,
) -> T:
    """Lock, load, apply `change`, save atomically; return what `change` returned.

    Nothing is written when loading or `change` raises. With `create`, a
    missing file counts as an empty termbase.
    """
    with termbase_lock(path):
        current = Termbase() if create and not path.exists() else read_termbase(path)
        new, result = change(current)
        if new is not current:
            write_termbase(path, new)
        return result
