"""The one guarded read and the one decoding policy (glossary.files.inputs)."""

from __future__ import annotations

import io
import os
import socket
import threading
from pathlib import Path

import pytest

from glossary.errors import InputError
from glossary.files.inputs import decode_bytes, read_bytes, read_text


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"De Minsk Groep.\n")
    assert read_bytes(path) == b"De Minsk Groep.\n"


def test_stdin_is_read_with_the_limit() -> None:
    assert read_bytes("-", stdin=lambda: io.BytesIO(b"abc")) == b"abc"
    with pytest.raises(InputError, match=r"<stdin> is larger than that; the limit .* is 2 bytes"):
        read_bytes("-", limit=2, stdin=lambda: io.BytesIO(b"abc"))


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match=r"big.txt is 2.0 KB; the limit for this input is 1.0 KB"):
        read_bytes(path, limit=1024)


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: os.mkfifo(p), r"is a named pipe \(FIFO\)"),
    ],
    ids=["folder", "fifo"],
)
def test_special_files_are_refused_without_blocking(tmp_path: Path, make, what: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "special"
    make(path)
    with pytest.raises(InputError, match=what):
        read_bytes(path)


def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="is a device"):
        read_bytes("/dev/zero")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(InputError, match="is a socket"):
            read_bytes(path)
    finally:
        server.close()


def test_missing_and_unreadable_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope.txt: no such file"):
        read_bytes(tmp_path / "nope.txt")
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything
        path.chmod(0o644)
        return
    with pytest.raises(InputError, match=r"secret.txt: permission denied"):
        read_bytes(path)


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("ok")
    link = tmp_path / "l.txt"
    link.symlink_to(target)
    assert read_bytes(link) == b"ok"


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    done = threading.Event()

    def read() -> None:
        with pytest.raises(InputError):
            read_bytes(path)
        done.set()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(5)
    assert done.is_set()


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"caf\xc3\xa9", "café", "utf-8"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café", "utf-8"),
        ("café".encode("utf-16"), "café", "utf-16"),
        ("café".encode("utf-32"), "café", "utf-32"),
        (b"cafe\xcc\x81", "café", "utf-8"),  # NFD becomes NFC
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-32-bom", "nfd"],
)
def test_decoding(data: bytes, text: str, encoding: str) -> None:
    decoded = decode_bytes(data, "f.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (text, encoding, ())


def test_cp1252_is_read_with_a_warning_naming_the_line() -> None:
    decoded = decode_bytes(b"regel een\nbe\x93invloed\n", "f.txt")
    assert decoded.text == "regel een\nbe\u201cinvloed\n" and decoded.encoding == "cp1252"
    (warning,) = decoded.warnings
    assert warning.startswith("f.txt:2: not valid UTF-8 (byte 0x93); read as Windows-1252")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n...", r"f.bin is a PDF file, not text. Give text."),
        (b"PK\x03\x04rest", r"a ZIP archive \(a .docx"),
        (b"abc\x00def", r"a NUL byte at offset 3"),
        (b"\xff\xfe\x00\xd8", r"UTF-16 byte order mark but is not valid"),
        (bytes(range(1, 9)) * 20, r"control characters"),
    ],
    ids=["pdf", "zip", "nul", "bad-utf16", "controls"],
)
def test_binary_data_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data, "f.bin", hint="Give text.")


def test_read_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("één".encode("utf-16"))
    assert read_text(path).text == "één"
