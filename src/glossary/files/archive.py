"""ZIP packages (DOCX, ODT, EPUB...) opened with limits, and written back member for member.

Word and OpenDocument files are ZIP archives of XML parts. A file from
outside may be damaged (a truncated download), password-protected, or
hostile: a "zip bomb" whose few kilobytes unpack to gigabytes, thousands of
members, two members of one name. `open_package` checks the archive's
directory before anything is unpacked, and `Package.read` unpacks one
member at a time with a hard cap (the declared sizes of a ZIP file are not
trusted: reading stops when a member gives more than it declared). Nothing
is ever extracted to disk, and nothing in a package is ever run (macros of a
.docm stay inert bytes that are copied as they are).

`rewrite` writes the package again with some members replaced: every other
member keeps its bytes, name, order, date and compression, so what glossary
does not understand is left untouched.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from glossary.errors import InputError
from glossary.files.inputs import read_at_most

# Limits for one package; far beyond any real document, far below what hurts.
MAX_MEMBERS: Final = 20_000
MAX_MEMBER_BYTES: Final = 256 * 1024 * 1024  # one unpacked part
MAX_TOTAL_BYTES: Final = 1024 * 1024 * 1024  # all parts unpacked
MAX_RATIO: Final = 200  # unpacked / packed, for members over 1 MB unpacked
_RATIO_FLOOR: Final = 1024 * 1024


def _damaged(name: str, what: str, detail: str) -> InputError:
    return InputError(
        f"{name} is damaged: {what} ({detail}). Open it in its program and save it "
        "again, or ask for a new copy."
    )


@dataclass(frozen=True)
class Package:
    """A ZIP package whose directory passed the checks; members are read on demand."""

    name: str  # how messages name the file
    label: str  # "a Word document (DOCX)"
    data: bytes
    infos: tuple[zipfile.ZipInfo, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(info.filename for info in self.infos)

    def has(self, member: str) -> bool:
        return any(info.filename == member for info in self.infos)

    def read(self, member: str) -> bytes:
        """The bytes of `member`, unpacked with a cap; `InputError` when missing or broken."""
        info = next((i for i in self.infos if i.filename == member), None)
        if info is None:
            raise InputError(
                f"{self.name} is not a complete {self.label}: it has no part {member}. "
                "Open it in its program and save it again."
            )
        limit = min(info.file_size, MAX_MEMBER_BYTES)
        try:
            with (
                zipfile.ZipFile(io.BytesIO(self.data)) as archive,
                archive.open(info) as stream,
            ):
                data = read_at_most(stream, limit)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            ValueError,  # "negative seek value": a local header that lies (fuzzer, issue 20)
            OSError,
        ) as exc:
            raise _damaged(self.name, f"its part {member} cannot be unpacked", str(exc)) from None
        if len(data) > limit:
            raise InputError(
                f"{self.name} was not read: its part {member} unpacks to more "
                "than its declared size (a forged archive, a 'zip bomb')."
            )
        return data


def open_package(data: bytes, name: str, label: str) -> Package:
    """Check a ZIP package's directory (see the module doc) and return it unopened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = tuple(archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _damaged(name, f"it is not a complete {label} (a ZIP package)", str(exc)) from None
    except (zlib.error, EOFError, ValueError, OSError, NotImplementedError) as exc:
        # NotImplementedError: "zip file version 13.3" and other forms zipfile refuses.
        raise _damaged(name, f"its ZIP directory cannot be read as a {label}", str(exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"{name} was not read: {len(infos):,} parts in one package (at most "
            f"{MAX_MEMBERS:,}); this is not a normal {label}."
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(
                f"{name} is password-protected (its parts are encrypted); glossary cannot "
                "read it. Remove the password in its program (save a copy without "
                "protection) and give that file."
            )
        if info.filename in seen:
            raise InputError(
                f"{name} was not read: the part {info.filename} occurs twice in the package "
                "(a damaged or forged archive). Save it again in its program."
            )
        seen.add(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                f"{name} was not read: its part {info.filename} unpacks to "
                f"{info.file_size / 1024 / 1024:,.0f} MB (at most "
                f"{MAX_MEMBER_BYTES // 1024 // 1024} MB per part). Split the document."
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                f"{name} was not read: its part {info.filename} would unpack from "
                f"{info.compress_size:,} to {info.file_size:,} bytes, a ratio no document "
                "has (a 'zip bomb')."
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"{name} was not read: it unpacks to {total / 1024 / 1024:,.0f} MB (at most "
            f"{MAX_TOTAL_BYTES // 1024 // 1024} MB). Split the document."
        )
    return Package(name, label, data, infos)


def rewrite(package: Package, replaced: Mapping[str, bytes]) -> bytes:
    """The package with the members in `replaced` given new bytes; every other member
    is copied as it was (same order, names, dates, compression, extra fields)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package.data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in package.infos:
            if info.filename in replaced:
                data = replaced[info.filename]
            else:
                data = package.read(info.filename)
            clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            clone.create_system = info.create_system
            clone.comment = info.comment
            target.writestr(clone, data)
        target.comment = source.comment
    return out.getvalue()
