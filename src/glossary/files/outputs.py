"""Writing several output files as one: all appear, or none changes.

A translation run with `--out-dir` writes one file per document, and a
report beside them. `write_all` writes every file to a temporary file
beside its target first (fsync'd); only when all are complete does it put
them in place, and if anything fails or is interrupted (Ctrl-C) while it
does, the files already replaced get their old content back. So an error
or an interrupt never leaves a partial file, nor a mix of old and new
outputs. (A power cut during the final renames is the one case it cannot
undo.)

This is the multi-file form of `glossary.termbase.store.atomic_write`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from glossary.errors import OutputError
from glossary.files.oserrors import display

Render = Callable[[IO[bytes]], None]


@dataclass(frozen=True)
class OutputFile:
    """A file to write: its path and a function that writes its bytes to a stream."""

    path: Path
    render: Render


def check_target(path: Path, what: str = "") -> None:
    """`OutputError` when `path` cannot be written as a file: its folder is
    missing or it is a folder. Commands call it before long work, so a wrong
    `-o` fails at once rather than after the work is done."""
    name = f"{what} {display(path)}" if what else display(path)
    if not path.parent.is_dir():
        raise OutputError(
            f"Cannot write {name}: folder {display(path.parent)} does not exist. Create it first."
        )
    if path.is_dir():
        raise OutputError(f"Cannot write {name}: it is a folder. Give a file name.")


def _temporary(path: Path, tag: str) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=tag, dir=path.parent)
    except PermissionError:
        raise OutputError(f"Cannot write {path}: permission denied in {path.parent}.") from None
    os.close(fd)
    return Path(name)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777  # keep the permissions of the file replaced
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_all(files: Sequence[OutputFile]) -> None:
    """Write every file in `files`, all or nothing (see the module doc)."""
    seen: set[Path] = set()
    for file in files:
        check_target(file.path)
        key = file.path.resolve()
        if key in seen:
            raise OutputError(f"{file.path} would be written twice in one run.")
        seen.add(key)
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    try:
        for file in files:
            tmp = _temporary(file.path, ".tmp")
            staged.append((tmp, file.path))
            with tmp.open("wb") as handle:
                file.render(handle)
                handle.flush()
                os.fsync(handle.fileno())
            tmp.chmod(_mode_for(file.path))
        _commit(staged)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    for folder in {target.parent for _, target in staged}:
        fsync_dir(folder)


def _commit(staged: list[tuple[Path, Path]]) -> None:
    """Put each temporary file in place; on any failure, restore what was replaced."""
    done: list[tuple[Path, Path | None]] = []  # (target, backup of its old content)
    try:
        for tmp, target in staged:
            backup: Path | None = None
            if target.exists():
                backup = _temporary(target, ".old")
                try:
                    backup.unlink()
                    os.link(target, backup)  # the old content stays reachable for an undo
                except OSError:  # no hard links on this file system: a copy will do
                    shutil.copyfile(target, backup)
            done.append((target, backup))
            try:
                tmp.replace(target)
            except IsADirectoryError:
                raise OutputError(f"Cannot write {target}: it is a folder.") from None
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    target.unlink(missing_ok=True)
                elif target.exists() and backup.samefile(target):
                    backup.unlink()  # never replaced (renaming a link onto itself does nothing)
                else:
                    backup.replace(target)
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
