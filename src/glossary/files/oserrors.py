"""The one place that turns operating-system errors into messages for people.

A read-only mount, a folder without write permission, a full disk or a lock
path that is a folder are not bugs: the user can fix them, so they must
never end in a traceback. Library code that touches the file system wraps
the call in `mapped(...)` (or calls `describe`), which raises the given
`GlossaryError` subclass with a message that names the file, says what
went wrong and how to fix it; the command line maps any `OSError` that
still escapes through `describe` too.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator

from glossary.errors import GlossaryError, OutputError

# errno -> (what happened, how to fix it)
_REASONS: dict[int, tuple[str, str]] = {
    errno.EROFS: (
        "the file system is read-only",
        "Write to a folder on a writable disk, or remount it read-write.",
    ),
    errno.EACCES: (
        "permission denied",
        "Check the permissions of the file and of its folder (ls -ld FOLDER).",
    ),
    errno.EPERM: (
        "operation not permitted",
        "Check the permissions and attributes of the file and of its folder.",
    ),
    errno.ENOSPC: (
        "the disk is full",
        "Free some space on that disk and try again.",
    ),
    errno.EDQUOT: (
        "the disk quota is exceeded",
        "Free some space (or ask for a larger quota) and try again.",
    ),
    errno.EFBIG: (
        "the file would be larger than this system allows (a file size limit: ulimit -f)",
        "Raise the limit, or write to another disk.",
    ),
    errno.EISDIR: ("it is a folder", "Give the path of a file."),
    errno.ENOTDIR: (
        "a part of the path is a file, not a folder",
        "Check the path.",
    ),
    errno.ENOENT: ("it does not exist", "Check the path."),
    errno.ENAMETOOLONG: ("the name is too long", "Use a shorter file name."),
    errno.ELOOP: ("it is a loop of symbolic links", "Fix the links."),
    errno.EMFILE: ("too many files are open", "Close other programs and try again."),
    errno.ENFILE: ("too many files are open", "Close other programs and try again."),
    errno.EIO: (
        "an input/output error (a failing disk or network file system)",
        "Check the disk or the network mount.",
    ),
    errno.ETXTBSY: ("the file is busy", "Close the program using it and try again."),
    errno.EBUSY: ("the file is busy", "Close the program using it and try again."),
}


def reason(exc: OSError) -> tuple[str, str]:
    """(what happened, how to fix it) for an OS error."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or str(exc) or type(exc).__name__), ""


def describe(exc: OSError, action: str = "", path: str | os.PathLike[str] | None = None) -> str:
    """A message for people: "Cannot write out.tbx: the disk is full. Free some space...".

    `action` is a verb phrase ("write", "read", "create the lock file");
    `path` defaults to the file the error names.
    """
    what, fix = reason(exc)
    where = path if path is not None else exc.filename
    target = f" {display(where)}" if where not in (None, "") else ""
    head = f"Cannot {action}{target}" if action else (f"{display(where)}" if target else "Error")
    return f"{head}: {what}." + (f" {fix}" if fix else "")


def display(path: object) -> str:
    """A path as text that can always be printed: undecodable bytes in a file
    name (surrogate escapes) are shown as \\xNN."""
    text = os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@contextlib.contextmanager
def mapped(
    action: str,
    path: str | os.PathLike[str] | None = None,
    error: type[GlossaryError] = OutputError,
) -> Iterator[None]:
    """Raise `error` with a `describe` message for any `OSError` in the block."""
    try:
        yield
    except OSError as exc:
        raise error(describe(exc, action, path)) from None
