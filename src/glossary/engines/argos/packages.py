"""Argos Translate packages on disk: find, list, check, install and remove.

An Argos package (`.argosmodel`) is a zip with one top folder holding
`metadata.json`, a CTranslate2 model in `model/` and a `sentencepiece.model`.
Packages live in the folder argostranslate uses, so packages installed with
`argospm` are found here and ours are found by argospm:
`$ARGOS_PACKAGES_DIR`, else `ARGOS_PACKAGES_DIR` in
`$XDG_CONFIG_HOME/argos-translate/settings.json`, else
`$XDG_DATA_HOME/argos-translate/packages` (`~/.local/share/...`).

This module reads those settings itself instead of importing
`argostranslate.settings`, which creates folders as a side effect and
freezes the environment at import time.

Installing checks the archive before anything is unpacked (one top folder,
no absolute or `..` paths, no links, a metadata.json with the expected
language pair, a model and a tokenizer), unpacks into a staging folder
beside the packages folder and renames it into place, so a refused or
interrupted install leaves nothing in the packages folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from glossary.errors import ModelError, ModelNotInstalled
from glossary.files.oserrors import describe, mapped

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
ARGOS_DOWNLOAD_PAGE = "https://www.argosopentech.com/argospm/index/"
TOKENIZER = "sentencepiece.model"
MODEL_FILE = "model/model.bin"
# A real nl→en package unpacks to about 200 MB (the largest Argos packages to
# about 500 MB); anything far beyond is not a translation package, or is a zip
# bomb.
MAX_UNPACKED_BYTES = 1024**3
MAX_MEMBERS = 10_000
MAX_METADATA_BYTES = 1024**2
# Model weights hardly compress; a member that unpacks to more than this many
# times its compressed size (and to more than MAX_RATIO_FLOOR bytes) is a bomb.
MAX_RATIO = 100
MAX_RATIO_FLOOR = 10 * 1024**2
# The scratch folders of install, remove and download, beside the packages folder.
SCRATCH_PREFIXES = (".glossary-install-", ".glossary-remove-", ".glossary-download-")
SCRATCH_LOCK = ".lock"
# A scratch folder without its lock file is a crash right after it was made.
SCRATCH_STALE_SECONDS = 3600
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Package:
    """An installed package folder, usable or not (`problem` says why not)."""

    name: str
    path: Path
    from_code: str = ""
    to_code: str = ""
    package_version: str = ""
    argos_version: str = ""
    from_name: str = ""
    to_name: str = ""
    type: str = "translate"
    target_prefix: str = ""
    problem: str = ""

    @property
    def usable(self) -> bool:
        return not self.problem

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def tokenizer_path(self) -> Path:
        return self.path / TOKENIZER

    @property
    def pair(self) -> str:
        return f"{self.from_code or '?'}→{self.to_code or '?'}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "package_version": self.package_version,
            "argos_version": self.argos_version,
            "type": self.type,
            "path": str(self.path),
            "usable": self.usable,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class ArchiveInfo:
    """What `check_archive` learned about an `.argosmodel` that passed every check."""

    path: Path
    top: str
    metadata: Mapping[str, Any]
    members: int
    unpacked_bytes: int

    @property
    def from_code(self) -> str:
        return str(self.metadata["from_code"])

    @property
    def to_code(self) -> str:
        return str(self.metadata["to_code"])


# --------------------------------------------------------------- settings


def _home() -> Path:
    # argostranslate uses the snap's data folder as home inside a snap.
    snap_home = os.environ.get("SNAP_USER_DATA") if "SNAP" in os.environ else None
    return Path(snap_home) if snap_home else Path.home()


def _xdg(variable: str, fallback: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else fallback


def settings_file() -> Path:
    """argostranslate's settings.json (it may not exist)."""
    return _xdg("XDG_CONFIG_HOME", _home() / ".config") / "argos-translate" / "settings.json"


def argos_setting(key: str) -> str | None:
    """A setting the way argostranslate reads it: environment first, then settings.json."""
    value = os.environ.get(key)
    if value:
        return value
    path = settings_file()
    if not path.exists():
        return None
    data, problem = _read_json(path)
    if problem:
        raise ModelError(
            f"Cannot read the Argos settings file {path}: {problem}. Fix or delete it."
        )
    if not isinstance(data, dict):
        raise ModelError(f"The Argos settings file {path} must hold a JSON object. Fix it.")
    found = data.get(key)
    if found in (None, ""):
        return None
    if not isinstance(found, str | int | float) or isinstance(found, bool):
        raise ModelError(
            f"{key} in the Argos settings file {path} must be a text value, not "
            f"{type(found).__name__}. Fix it."
        )
    return str(found)


def _read_json(path: Path, limit: int = MAX_METADATA_BYTES) -> tuple[Any, str]:
    """(value, "") for a small JSON file, or (None, what is wrong with it).

    Never raises for what the file holds: a FIFO or a huge file is not read,
    and JSON that Python cannot turn into values (integers of thousands of
    digits, nesting thousands deep) is a problem like any syntax error.
    """
    from glossary.errors import InputError
    from glossary.files.inputs import read_bytes

    try:
        data = read_bytes(path, limit=limit)
    except InputError as exc:
        return None, str(exc)
    return _parse_json(data)


def _parse_json(data: bytes) -> tuple[Any, str]:
    try:
        return json.loads(data.decode("utf-8")), ""
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
    except RecursionError:
        return None, "not valid JSON (nested too deeply)"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc})"
    except ValueError:  # an integer of thousands of digits
        return None, "not valid JSON (a number too long to read)"


def packages_dir() -> Path:
    """The folder holding installed packages, as argostranslate finds it."""
    configured = argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = _xdg("XDG_DATA_HOME", _home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def package_index_url() -> str:
    """The URL of the public package index (index.json)."""
    base = argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


# ---------------------------------------------------------------- listing


def read_package(folder: Path) -> Package:
    """Describe one package folder; problems are reported in `Package.problem`."""
    name = folder.name
    meta_path = folder / "metadata.json"
    if not meta_path.exists():
        return Package(name, folder, problem="no metadata.json")
    meta, meta_problem = _read_json(meta_path)
    if meta_problem:
        return Package(name, folder, problem=f"metadata.json cannot be read: {meta_problem}")
    if not isinstance(meta, dict):
        return Package(name, folder, problem="metadata.json does not hold a JSON object")
    package = Package(
        name,
        folder,
        from_code=_text(meta.get("from_code")),
        to_code=_text(meta.get("to_code")),
        package_version=_text(meta.get("package_version")),
        argos_version=_text(meta.get("argos_version")),
        from_name=_text(meta.get("from_name")),
        to_name=_text(meta.get("to_name")),
        type=_text(meta.get("type")) or "translate",
        target_prefix=_text(meta.get("target_prefix")),
    )
    problem = ""
    if not package.from_code or not package.to_code:
        problem = "metadata.json has no from_code/to_code"
    elif not (folder / MODEL_FILE).is_file():
        problem = f"no CTranslate2 model ({MODEL_FILE})"
    elif not (folder / TOKENIZER).is_file():
        problem = (
            "uses a BPE tokenizer (bpe.model), which glossary does not support"
            if (folder / "bpe.model").is_file()
            else f"no tokenizer model ({TOKENIZER})"
        )
    else:
        problem = vocabulary_problem(folder / "model")
    if problem:
        return dataclasses.replace(package, problem=problem)
    return package


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value)
        return text if len(text) <= 40 else ""
    return ""


# CTranslate2's model.bin starts with the names and shapes of its variables
# (see ctranslate2/specs/model_spec.py, `_serialize`); the rows of the
# embeddings and of the output projection are the vocabulary sizes the model
# was trained with.
_SOURCE_ROWS = ("encoder/embeddings_0/weight", "encoder/embeddings/weight")
_TARGET_ROWS = ("decoder/projection/weight", "decoder/embeddings/weight")


def _model_rows(model_bin: Path) -> dict[str, int]:
    """First dimension of each embedding/projection variable of a CTranslate2
    model.bin (binary versions 4 to 6); {} when the header is not one we know."""
    import struct

    rows: dict[str, int] = {}
    wanted = set(_SOURCE_ROWS + _TARGET_ROWS)
    try:
        with open(model_bin, "rb") as handle:

            def number(fmt: str) -> int:
                size = struct.calcsize(fmt)
                raw = handle.read(size)
                if len(raw) != size:
                    raise EOFError
                value: int = struct.unpack("<" + fmt, raw)[0]
                return value

            def string() -> str:
                raw = handle.read(number("H"))
                return raw[:-1].decode("utf-8")

            version = number("I")
            if not 4 <= version <= 6:
                return {}
            string()  # spec name
            number("I")  # spec revision
            count = number("I")
            for _ in range(min(count, 100_000)):
                name = string()
                dims = [number("I") for _ in range(number("B"))]
                number("B")  # dtype
                handle.seek(number("I"), os.SEEK_CUR)
                if name in wanted and dims:
                    rows[name] = dims[0]
    except (OSError, EOFError, UnicodeDecodeError, struct.error):
        return {}
    return rows


def _vocabulary_size(model_dir: Path, side: str) -> int | None:
    """Entries in the model's source or target vocabulary file (shared or own)."""
    for name in ("shared_vocabulary", f"{side}_vocabulary"):
        json_path = model_dir / f"{name}.json"
        if json_path.is_file():
            data, problem = _read_json(json_path, limit=256 * 1024**2)
            return len(data) if not problem and isinstance(data, list) else None
        txt_path = model_dir / f"{name}.txt"
        if txt_path.is_file():
            try:
                with open(txt_path, "rb") as handle:
                    return sum(1 for _ in handle)
            except OSError:
                return None
    return None


def vocabulary_problem(model_dir: Path) -> str:
    """Why the model's vocabulary files do not fit its weights ("" when they do, or
    when the model file is not one whose header we can read).

    A vocabulary shorter than the output layer installs and loads, then fails
    on the first sentence ("Invalid token ID"); one longer than the
    embeddings fails the same way on input.
    """
    rows = _model_rows(model_dir / "model.bin")
    if not rows:
        return ""
    for side, names in (("source", _SOURCE_ROWS), ("target", _TARGET_ROWS)):
        expected = next((rows[n] for n in names if n in rows), None)
        if expected is None:
            continue
        size = _vocabulary_size(model_dir, side)
        if size is None:
            return f"the {side} vocabulary of the model cannot be read"
        if size != expected:
            return (
                f"the {side} vocabulary has {size} entries but the model has {expected}; "
                "the package is damaged or mixed from two models"
            )
    return ""


def list_packages(directory: Path | None = None) -> list[Package]:
    """Every package folder in the packages folder, sorted by name."""
    root = directory or packages_dir()
    try:
        children = sorted(root.iterdir())
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise ModelError(f"The Argos packages folder {root} is a file. Move it away.") from None
    except PermissionError:
        raise ModelError(
            f"Cannot read the Argos packages folder {root}: permission denied."
        ) from None
    return [read_package(p) for p in children if not p.name.startswith(".") and p.is_dir()]


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"[._-]", version)
    )


def find_package(
    from_code: str = "nl", to_code: str = "en", directory: Path | None = None
) -> Package:
    """The installed package for the pair (the newest if several); `ModelNotInstalled` if none."""
    matching = [
        p
        for p in list_packages(directory)
        if p.from_code == from_code and p.to_code == to_code and p.type == "translate"
    ]
    usable = [p for p in matching if p.usable]
    if usable:
        return max(usable, key=lambda p: (_version_key(p.package_version), p.name))
    if matching:
        broken = matching[0]
        raise ModelNotInstalled(
            f"The {from_code}→{to_code} Argos package {broken.path} cannot be used: "
            f"{broken.problem}. Remove it (glossary model remove {broken.name}) and "
            "install a good one: glossary model install --from FILE.argosmodel"
        )
    raise ModelNotInstalled(
        f"No {from_code}→{to_code} Argos model is installed. Run: glossary model install "
        f"--from FILE.argosmodel (or 'glossary model install {from_code} {to_code}' when online)"
    )


# ----------------------------------------------------------- archive checks


def _refuse(archive: Path, reason: str) -> ModelError:
    return ModelError(f"Refusing {archive}: {reason}. Nothing was installed.")


def _member_parts(archive: Path, info: zipfile.ZipInfo) -> tuple[str, ...]:
    name = info.filename
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise _refuse(archive, f"member '{name}' has an absolute path")
    parts = tuple(p for p in re.split(r"[/\\]", name) if p not in ("", "."))
    if ".." in parts:
        raise _refuse(archive, f"member '{name}' points outside the package ('..')")
    if not parts:
        raise _refuse(archive, f"member '{name}' has an empty path")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise _refuse(archive, f"member '{name}' is a symbolic link")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise _refuse(archive, f"member '{name}' is not a regular file or folder")
    if info.flag_bits & 0x1:
        raise _refuse(archive, f"member '{name}' is encrypted")
    return parts


def check_archive(
    archive: Path, *, from_code: str | None = "nl", to_code: str | None = "en"
) -> ArchiveInfo:
    """Check an `.argosmodel` without unpacking it; `ModelError` says what is wrong.

    `from_code`/`to_code` (None: any) is the language pair the package must have.
    """
    if not archive.is_file():
        raise ModelError(f"{archive} does not exist or is not a file.")
    if not zipfile.is_zipfile(archive):
        raise _refuse(archive, "it is not a zip archive (an .argosmodel is a zip)")
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _refuse(archive, f"it has {len(infos)} members (more than {MAX_MEMBERS})")
            seen: set[tuple[str, ...]] = set()
            files: dict[tuple[str, ...], zipfile.ZipInfo] = {}
            tops: set[str] = set()
            total = 0
            for info in infos:
                parts = _member_parts(archive, info)
                if parts in seen:
                    raise _refuse(archive, f"member '{info.filename}' appears twice")
                seen.add(parts)
                tops.add(parts[0])
                if len(parts) == 1 and not info.is_dir():
                    raise _refuse(
                        archive, f"file '{info.filename}' is outside the package's top folder"
                    )
                if not info.is_dir():
                    files[parts] = info
                    total += info.file_size
                    if info.file_size > MAX_RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                        info.compress_size, 1
                    ):
                        raise _refuse(
                            archive,
                            f"member '{info.filename}' unpacks to {info.file_size / 1024**2:.0f} "
                            f"MB from {info.compress_size / 1024**2:.1f} MB (more than "
                            f"{MAX_RATIO}:1; a zip bomb?)",
                        )
            if not tops:
                raise _refuse(archive, "the zip is empty")
            if len(tops) != 1:
                raise _refuse(
                    archive,
                    "it must hold exactly one top folder, found " + ", ".join(sorted(tops)[:5]),
                )
            top = tops.pop()
            if top.startswith("."):
                raise _refuse(archive, f"its top folder '{top}' is a hidden name")
            if total > MAX_UNPACKED_BYTES:
                raise _refuse(
                    archive,
                    f"it would unpack to {total / 1024**3:.1f} GiB, far beyond a package "
                    f"(the limit is {MAX_UNPACKED_BYTES / 1024**3:.0f} GiB)",
                )
            meta_info = files.get((top, "metadata.json"))
            if meta_info is None:
                raise _refuse(archive, f"it has no {top}/metadata.json")
            if meta_info.file_size > MAX_METADATA_BYTES:
                raise _refuse(archive, "its metadata.json is implausibly large")
            metadata = _parse_metadata(archive, zf.read(meta_info))
            if (top, *MODEL_FILE.split("/")) not in files:
                raise _refuse(archive, f"it has no CTranslate2 model ({top}/{MODEL_FILE})")
            if (top, TOKENIZER) not in files:
                if (top, "bpe.model") in files:
                    raise _refuse(
                        archive,
                        "it uses a BPE tokenizer (bpe.model); glossary needs a "
                        f"SentencePiece package ({TOKENIZER})",
                    )
                raise _refuse(archive, f"it has no tokenizer model ({top}/{TOKENIZER})")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise _refuse(archive, f"the zip is damaged ({exc})") from None
    got_from, got_to = str(metadata["from_code"]), str(metadata["to_code"])
    if (from_code and got_from != from_code) or (to_code and got_to != to_code):
        raise _refuse(
            archive,
            f"it translates {got_from}→{got_to}, but a {from_code or got_from}→"
            f"{to_code or got_to} package is needed",
        )
    return ArchiveInfo(archive, top, metadata, len(infos), total)


def _parse_metadata(archive: Path, data: bytes) -> dict[str, Any]:
    meta, problem = _parse_json(data)
    if problem:
        raise _refuse(archive, f"its metadata.json is {problem}")
    if not isinstance(meta, dict):
        raise _refuse(archive, "its metadata.json does not hold a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise _refuse(archive, f"its metadata.json has no {key}")
    kind = meta.get("type", "translate")
    if kind != "translate":
        raise _refuse(archive, f"it is a '{kind}' package, not a translation package")
    return meta


# ------------------------------------------------------- install / remove


@contextlib.contextmanager
def _staging(root: Path, prefix: str) -> Iterator[Path]:
    """A scratch folder beside the packages folder (same file system, so
    renames are atomic), never inside it: argospm chokes on folders without
    metadata.json. Removed on the way out, whatever happens; one that a
    killed process left behind is removed by the next install or remove
    (`sweep_scratch`): its lock file is held while it is in use."""
    import fcntl

    parent = root.parent
    with mapped("create the folder", parent, ModelError):
        parent.mkdir(parents=True, exist_ok=True)
    sweep_scratch(parent)
    with mapped("create a scratch folder in", parent, ModelError):
        scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    lock = -1
    try:
        with mapped("create a file in", scratch, ModelError):
            lock = os.open(scratch / SCRATCH_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if lock >= 0:
            os.close(lock)


def sweep_scratch(parent: Path) -> list[Path]:
    """Remove scratch folders of installs and removals that were killed; return them.

    A live one has its lock file locked; one without a lock file is a crash
    right after `mkdtemp` when it is older than an hour.
    """
    import fcntl

    removed: list[Path] = []
    try:
        names = [p.name for p in parent.iterdir() if p.name.startswith(SCRATCH_PREFIXES)]
    except OSError:
        return removed
    for name in names:
        folder = parent / name
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            fd = os.open(folder / SCRATCH_LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > SCRATCH_STALE_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed


def _extract(archive: Path, info: ArchiveInfo, dest: Path) -> None:
    """Unpack member by member to checked paths (never `extractall`)."""
    base = dest.resolve()
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            parts = _member_parts(archive, member)
            target = base.joinpath(*parts)
            if not target.resolve().is_relative_to(base):  # belt and braces
                raise _refuse(archive, f"member '{member.filename}' points outside the package")
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as source, open(target, "xb") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)


def install_from_file(
    archive: Path,
    *,
    directory: Path | None = None,
    from_code: str | None = "nl",
    to_code: str | None = "en",
    replace: bool = False,
) -> Package:
    """Check and install an `.argosmodel`; return the installed package.

    Refuses (with `ModelError`, leaving nothing behind) anything that fails
    `check_archive`, and a package folder that already exists unless
    `replace` is true.
    """
    info = check_archive(archive, from_code=from_code, to_code=to_code)
    root = directory or packages_dir()
    final = root / info.top
    if final.exists() and not replace:
        raise ModelError(
            f"Package {info.top} is already installed in {root}. Remove it first "
            f"(glossary model remove {info.top}) or install with --force."
        )
    with mapped("create the Argos packages folder", root, ModelError):
        root.mkdir(parents=True, exist_ok=True)
    _check_space(archive, root, info.unpacked_bytes)
    with _staging(root, ".glossary-install-") as scratch:
        try:
            _extract(archive, info, scratch)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
            raise _refuse(archive, f"the zip is damaged ({exc})") from None
        except OSError as exc:
            raise ModelError(
                describe(exc, f"unpack {archive} into", scratch) + " Nothing was installed."
            ) from None
        unpacked = scratch / info.top
        checked = read_package(unpacked)
        if checked.problem:
            raise _refuse(archive, checked.problem)
        with mapped("install the package into", root, ModelError):
            if final.exists():
                old = scratch / ".replaced"
                final.replace(old)
                try:
                    unpacked.replace(final)
                except OSError:
                    old.replace(final)
                    raise
            else:
                unpacked.replace(final)
    return read_package(final)


def _check_space(archive: Path, root: Path, needed: int) -> None:
    """Refuse an install the disk cannot hold, before unpacking anything."""
    try:
        free = shutil.disk_usage(root).free
    except OSError:
        return
    if needed > free:
        raise _refuse(
            archive,
            f"it unpacks to {needed / 1024**2:.0f} MB and the disk holding {root} has "
            f"{free / 1024**2:.0f} MB free",
        )


def remove_package(name: str, *, directory: Path | None = None) -> Package:
    """Remove an installed package folder by its name (as `list_packages` shows it)."""
    root = directory or packages_dir()
    installed = {p.name: p for p in list_packages(root)}
    package = installed.get(name)
    if package is None:
        known = ", ".join(sorted(installed)) or "none"
        raise ModelError(
            f"No package named '{name}' in {root} (installed: {known}). See: glossary model list"
        )
    with (
        _staging(root, ".glossary-remove-") as scratch,
        mapped("remove the package from", root, ModelError),
    ):
        # Rename first: the package disappears at once, even if deleting is slow.
        package.path.replace(scratch / name)
    return package


# ---------------------------------------------------------- online install


def _offline_message(what: str, exc: BaseException, from_code: str, to_code: str) -> str:
    return (
        f"Cannot {what} ({exc}); this machine seems to be offline. Download the "
        f"{from_code}→{to_code} .argosmodel on a machine with internet access "
        f"({ARGOS_DOWNLOAD_PAGE}) and run: glossary model install --from FILE.argosmodel"
    )


def _open_url(url: str, timeout: float) -> IO[bytes]:
    import urllib.request

    response: IO[bytes] = urllib.request.urlopen(url, timeout=timeout)
    return response


def available_packages(
    timeout: float = 30.0, *, from_code: str = "nl", to_code: str = "en"
) -> list[dict[str, Any]]:
    """The entries of the public package index (needs the network).

    The codes only shape the message when the index cannot be reached.
    """
    import urllib.error

    url = package_index_url()
    try:
        with _open_url(url, timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        what = f"read the Argos package index {url}"
        raise ModelError(_offline_message(what, exc, from_code, to_code)) from None
    try:
        entries = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"The Argos package index {url} is not valid JSON ({exc}).") from None
    if not isinstance(entries, list):
        raise ModelError(f"The Argos package index {url} is not a list of packages.")
    return [e for e in entries if isinstance(e, dict)]


def install_online(
    from_code: str = "nl",
    to_code: str = "en",
    *,
    directory: Path | None = None,
    replace: bool = False,
    timeout: float = 60.0,
) -> Package:
    """Download the newest package for the pair from the public index and install it."""
    import urllib.error

    candidates = [
        e
        for e in available_packages(timeout, from_code=from_code, to_code=to_code)
        if e.get("from_code") == from_code
        and e.get("to_code") == to_code
        and e.get("type", "translate") == "translate"
        and isinstance(e.get("links"), list)
    ]
    if not candidates:
        raise ModelError(
            f"The Argos package index has no {from_code}→{to_code} translation package."
        )
    entry = max(candidates, key=lambda e: _version_key(_text(e.get("package_version"))))
    root = directory or packages_dir()
    with _staging(root, ".glossary-download-") as scratch:
        download = scratch / "package.argosmodel"
        errors: list[str] = []
        for link in entry["links"]:
            try:
                with _open_url(str(link), timeout) as response, open(download, "wb") as sink:
                    shutil.copyfileobj(response, sink, 1024 * 1024)
                break
            except (urllib.error.URLError, OSError, ValueError) as exc:
                errors.append(f"{link}: {exc}")
        else:
            reason = "; ".join(errors) or "the index lists no download link"
            raise ModelError(
                _offline_message("download the package", ModelError(reason), from_code, to_code)
            )
        return install_from_file(
            download, directory=root, from_code=from_code, to_code=to_code, replace=replace
        )
