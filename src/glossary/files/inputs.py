"""Reading input files: one guarded read and one byte-decoding policy for every reader.

Every reader of user files (documents, bilingual files, termbases to import,
aligned translations) gets its bytes from `read_bytes` and, when the format
is text, its text from `decode`. So every input is treated alike:

- `read_bytes`: "-" is stdin; anything else must be a regular file (a
  folder, FIFO, socket or device is refused before it is opened, so
  `/dev/zero` or a named pipe never hangs or fills memory); the size limit
  is checked before reading and again while reading (a file that grows);
  OS errors become `InputError`s that name the file.
- `decode`: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-8;
  else Windows-1252 (Latin-1 where that fails) with a warning naming the
  first line that is not UTF-8. Binary data (NUL bytes; the signatures of
  PDF, ZIP, images...) is refused with a message saying what the file seems
  to be. The text is NFC-normalised.

XML formats (TBX, XLIFF, TMX) hand their bytes to the XML parser, which
follows the file's own encoding declaration (`glossary.files.safexml`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Final

from glossary.errors import InputError, Problem, UnreadableFile

STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"
# The default size limit of one input file; callers pass their own.
DEFAULT_LIMIT: Final = 256 * 1024 * 1024
_CHUNK = 1 << 20


def display_name(path: str | Path) -> str:
    """How messages name an input ("<stdin>" for "-")."""
    return STDIN_NAME if str(path) == STDIN else str(path)


def size_text(size: int) -> str:
    """A byte count for people: "512 bytes", "3.2 KB", "14.0 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _too_large(name: str, limit: int, size: int | None, option: str) -> InputError:
    found = f"is {size_text(size)}" if size is not None else "is larger than that"
    raise_it = f", or raise the limit ({option}) if you trust it" if option else ""
    return InputError(
        f"{name} {found}; the limit for this input is {size_text(limit)}. "
        f"Split it into smaller files{raise_it}."
    )


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` + 1 bytes of `stream`, read in chunks: more than `limit`
    means the stream is too large (never read whole into memory)."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _read_stream(stream: IO[bytes], name: str, limit: int, option: str) -> bytes:
    data = read_at_most(stream, limit)
    if len(data) > limit:
        raise _too_large(name, limit, None, option)
    return data


def check_regular(path: Path) -> os.stat_result:
    """The `stat` of `path` when it is a regular file (symlinks followed);
    an `InputError` saying what it is otherwise."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file. Check the path.") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied. Check the file's permissions.") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(
            f"{name} is a folder; give a file, or the folder to a command that reads folders."
        )
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise InputError(f"{name} is {kind}; give a regular file (or '-' to read stdin).")
    return info


def read_bytes(
    path: str | Path,
    *,
    limit: int = DEFAULT_LIMIT,
    stdin: Callable[[], BinaryIO] | None = None,
    limit_option: str = "--max-size",
) -> bytes:
    """The bytes of one input: a regular file, or stdin for "-", at most `limit` bytes.

    `limit_option` names the option that raises the limit in the message ("" when
    there is none)."""
    name = display_name(path)
    if str(path) == STDIN:
        stream = stdin() if stdin is not None else sys.stdin.buffer
        return _read_stream(stream, name, limit, limit_option)
    p = Path(path)
    info = check_regular(p)
    if info.st_size > limit:
        raise _too_large(name, limit, info.st_size, limit_option)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, open
        # does not wait for a writer; the fstat below then refuses it.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise InputError(f"{name}: permission denied. Check the file's permissions.") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{name} is not a regular file; give a regular file.")
        try:
            return _read_stream(handle, name, limit, limit_option)
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror or exc}).") from None


# ------------------------------------------------------------------ decoding

# Binary data that is no file format of the registry (`glossary.files.formats`
# names PDF, ZIP, Office and the others).
SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding it was read as, and what to warn about."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def sniff_binary(data: bytes) -> str:
    """What `data` seems to be when it is a known binary format ("" when not)."""
    from glossary.files.formats import sniff

    found = sniff(data)
    if found is not None and found.binary:
        return found.label
    for magic, what in SIGNATURES:
        if data.startswith(magic):
            return what
    return ""


def _bad_bytes(
    data: bytes, exc: UnicodeDecodeError, name: str, encoding: str, hint: str
) -> UnreadableFile:
    """A located error for bytes that are not valid in an encoding the format requires."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    label = encoding.upper()
    return UnreadableFile(
        f"{name} is not valid {label}; nothing was read.",
        [
            Problem(
                name,
                line,
                f"byte {data[exc.start : exc.start + 1]!r} cannot be decoded as {label}",
                column=column,
                hint=hint or "save the file as UTF-8",
            )
        ],
    )


def decode_bytes(
    data: bytes,
    name: str,
    *,
    hint: str = "",
    encoding: str | None = None,
    strict: bool = False,
    strict_hint: str = "",
) -> Decoded:
    """Decode the bytes of a text input by the one policy (see the module doc).

    `hint` ends the message when the data is binary ("Give a .txt file").
    `encoding` is one the file declares (a PO charset): a byte-order mark
    still wins, bytes not valid in it are a located error, and an unknown
    name raises `LookupError` (the caller knows where it was declared). `strict`:
    the format must be UTF-8 (the termbase, the glossaries an import
    reads), so bytes that are not are a located error (line and column,
    `strict_hint` says how to fix it) instead of the Windows-1252 fallback.
    """
    what = sniff_binary(data)
    tail = f" {hint}" if hint else ""
    if what:
        raise InputError(f"{name} is {what}, not text.{tail}")
    text: str | None = None
    warnings: list[str] = []
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {codec.upper()} byte order mark but is not valid "
                    f"{codec.upper()} (byte {exc.start}). Re-save the file as UTF-8."
                ) from None
            text = text.removeprefix("\ufeff")
            encoding = "utf-8" if codec == "utf-8-sig" else codec
            break
    if text is None:
        nul = data.find(b"\x00", 0, 1 << 16)
        if nul >= 0:
            raise InputError(
                f"{name} looks like a binary file (a NUL byte at offset {nul}), not text.{tail}"
            )
        declared = encoding or "utf-8"
        try:
            text = data.decode(declared)  # LookupError: the caller says where it was declared
            encoding = codecs.lookup(declared).name
        except UnicodeDecodeError as exc:
            if strict or encoding is not None:
                raise _bad_bytes(data, exc, name, declared, strict_hint) from None
            line = data.count(b"\n", 0, exc.start) + 1
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
            label = "Windows-1252" if encoding == "cp1252" else "Latin-1"
            warnings.append(
                f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); read as "
                f"{label}. If accents look wrong, convert the file to UTF-8 "
                f"(iconv -f {label.upper()} -t UTF-8)."
            )
    sample = text[:1_000_000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise InputError(
            f"{name} looks like a binary file ({controls} control characters in the first "
            f"{len(sample):,} characters), not text.{tail}"
        )
    return Decoded(nfc(text), encoding or "utf-8", tuple(warnings))


def nfc(text: str) -> str:
    """`text` in Unicode normal form C (cheap when it already is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def read_text(path: str | Path, *, limit: int = DEFAULT_LIMIT, hint: str = "") -> Decoded:
    """`read_bytes` then `decode_bytes`."""
    return decode_bytes(read_bytes(path, limit=limit), display_name(path), hint=hint)


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (to tell its format without reading it all)."""
    name = display_name(path)
    p = Path(path)
    check_regular(p)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{name} is not a regular file; give a regular file.")
        try:
            return handle.read(size)
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror or exc}).") from None
