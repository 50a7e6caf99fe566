"""Hostile and broken Argos packages (issue 20, finding 8; finding 7's model
folders; finding 11's install leftovers), with real packages built by
`argos_tiny` and the real install, list and engine-loading code."""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from argos_tiny import build_package_dir, members, zip_package
from glossary.cli import main
from glossary.engines.argos import packages as models
from glossary.errors import ModelError

ROOT = Path(__file__).resolve().parent.parent
TOP = "translate-nl_en-0_1"
Member = tuple[zipfile.ZipInfo, bytes]


def rebuild(source: Path, dest: Path, change: Callable[[bytes, str], bytes]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members(source):
            zf.writestr(info, change(data, info.filename))
    return dest


def metadata_bytes(text: bytes) -> Callable[[bytes, str], bytes]:
    return lambda data, name: text if name.endswith("/metadata.json") else data


HUGE_INT = b'{"from_code": "nl", "to_code": "en", "package_version": ' + b"9" * 20_000 + b"}"
DEEP = b'{"from_code": "nl", "to_code": "en", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


@pytest.mark.parametrize(
    ("text", "message"),
    [(HUGE_INT, "number too long"), (DEEP, "nested too deeply")],
    ids=["huge-integer", "deep-nesting"],
)
def test_hostile_metadata_in_an_archive_is_refused(
    tiny_argosmodel: Path, tmp_path: Path, text: bytes, message: str
) -> None:
    archive = rebuild(tiny_argosmodel, tmp_path / "bad.argosmodel", metadata_bytes(text))
    with pytest.raises(ModelError, match=message):
        models.install_from_file(archive)
    result = CliRunner().invoke(main, ["model", "install", "--from", str(archive)])
    assert result.exit_code == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["huge-integer", "deep-nesting", "fifo", "huge-file"], ids=str)
def test_one_broken_package_does_not_break_the_others(
    tiny_package: models.Package, kind: str
) -> None:
    broken = tiny_package.path.parent / "broken-package"
    broken.mkdir()
    meta = broken / "metadata.json"
    if kind == "huge-integer":
        meta.write_bytes(HUGE_INT)
    elif kind == "deep-nesting":
        meta.write_bytes(DEEP)
    elif kind == "fifo":
        os.mkfifo(meta)
    else:
        with open(meta, "wb") as handle:
            handle.truncate(models.MAX_METADATA_BYTES + 1)
    listed = {p.name: p for p in models.list_packages()}
    assert listed["broken-package"].problem.startswith("metadata.json cannot be read")
    assert models.find_package().name == TOP
    result = CliRunner().invoke(main, ["model", "list"])
    assert result.exit_code == 0 and "unusable" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"ARGOS_PACKAGES_DIR": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
        (b'{"ARGOS_PACKAGES_DIR": {"a": {"b": 1}}}', "must be a text value"),
        (b'{"ARGOS_PACKAGES_DIR": 1' + b"0" * 9000 + b"}", "number too long"),
    ],
    ids=["deep", "object", "huge-number"],
)
def test_hostile_settings_json_is_a_clear_error(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    settings = models.settings_file()
    settings.parent.mkdir(parents=True)
    settings.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        models.packages_dir()
    result = CliRunner().invoke(main, ["model", "list"])
    assert result.exit_code == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def short_vocabulary(tmp_path: Path, keep: int) -> Path:
    folder = build_package_dir(tmp_path / "pkg" / TOP)
    vocabulary = folder / "model" / "shared_vocabulary.json"
    vocabulary.write_text(json.dumps(json.loads(vocabulary.read_text())[:keep]))
    return zip_package(folder, tmp_path / "short.argosmodel")


def test_vocabulary_shorter_than_the_model_is_refused(tmp_path: Path, isolated_env: Path) -> None:
    """It used to install, load, and fail on the first sentence with
    "Invalid token ID 155: valid IDs are between 0 and 99"."""
    archive = short_vocabulary(tmp_path, 100)
    with pytest.raises(ModelError, match="vocabulary has 100 entries but the model has 500"):
        models.install_from_file(archive)
    assert not (isolated_env / "argos-packages" / TOP).exists()


def test_vocabulary_check_on_an_installed_package(tiny_package: models.Package) -> None:
    assert tiny_package.usable
    vocabulary = tiny_package.model_dir / "shared_vocabulary.json"
    vocabulary.write_text(json.dumps([*json.loads(vocabulary.read_text()), "extra"]))
    package = models.read_package(tiny_package.path)
    assert "has 501 entries but the model has 500" in package.problem
    from glossary.engines.registry import load_engine

    with pytest.raises(ModelError, match="501 entries"):
        load_engine("argos")


def test_model_header_reader_knows_the_tiny_model(tiny_package: models.Package) -> None:
    rows = models._model_rows(tiny_package.model_dir / "model.bin")
    assert rows["encoder/embeddings_0/weight"] == 500
    assert rows["decoder/projection/weight"] == 500
    # A model.bin we cannot read is not judged (no false refusal).
    garbage = tiny_package.path.parent / "garbage.bin"
    garbage.write_bytes(struct.pack("<I", 99) + b"\x00" * 64)
    assert models._model_rows(garbage) == {}


def claim_size(archive: Path, member: str, size: int) -> None:
    """Make the zip's directories claim that `member` unpacks to `size` bytes
    (what a zip bomb's headers say), without writing gigabytes."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    name = member.encode()
    # Central directory entry: signature, then the uncompressed size at +24.
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    archive.write_bytes(bytes(data))


def test_zip_bomb_is_refused_before_unpacking(
    tiny_argosmodel: Path, tmp_path: Path, isolated_env: Path
) -> None:
    archive = tmp_path / "bomb.argosmodel"
    shutil.copy(tiny_argosmodel, archive)
    claim_size(archive, f"{TOP}/model/model.bin", 3 * 1024**3)
    with pytest.raises(ModelError, match=r"unpacks to 3072 MB from .* \(more than 100:1"):
        models.install_from_file(archive)
    assert not (isolated_env / "argos-packages").exists() or not list(
        (isolated_env / "argos-packages").iterdir()
    )


def test_real_high_ratio_member_is_refused(
    tiny_argosmodel: Path, tmp_path: Path, isolated_env: Path
) -> None:
    zeros = b"\0" * (models.MAX_RATIO_FLOOR + 1024**2)

    def bomb(data: bytes, name: str) -> bytes:
        return zeros if name.endswith("model/model.bin") else data

    archive = rebuild(tiny_argosmodel, tmp_path / "bomb.argosmodel", bomb)
    with pytest.raises(ModelError, match="a zip bomb"):
        models.check_archive(archive)


def test_install_refused_when_the_disk_cannot_hold_it(
    tiny_argosmodel: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.disk_usage

    def tiny_disk(path: object) -> object:
        usage = real(path)  # type: ignore[arg-type]
        return type(usage)(usage.total, usage.total, 1024)

    monkeypatch.setattr(models.shutil, "disk_usage", tiny_disk)
    with pytest.raises(ModelError, match="MB free"):
        models.install_from_file(tiny_argosmodel)


# ------------------------------------------- unwritable folders, leftovers


@pytest.fixture
def no_overrides() -> Callable[[], None]:
    """Run a command as if not root (root ignores permissions otherwise)."""
    from test_faults import IS_ROOT, drop_permission_override

    return drop_permission_override if IS_ROOT else (lambda: None)


@pytest.mark.parametrize(
    "case", ["packages-folder", "parent-folder", "remove", "force-reinstall"], ids=str
)
def test_unwritable_model_folders(
    tiny_argosmodel: Path,
    isolated_env: Path,
    no_overrides: Callable[[], None],
    case: str,
) -> None:
    root = isolated_env / "argos-packages"
    install = ["model", "install", "--from", str(tiny_argosmodel)]
    if case == "packages-folder":  # the packages folder is read-only
        args = install
        root.mkdir()
        root.chmod(0o555)
    elif case == "parent-folder":  # the folder that would hold it is read-only
        args = install
        isolated_env.chmod(0o555)
    else:  # an installed package in read-only folders
        models.install_from_file(tiny_argosmodel)
        args = ["model", "remove", TOP] if case == "remove" else [*install, "--force"]
        root.chmod(0o555)
        isolated_env.chmod(0o555)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "glossary", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=no_overrides,
        )
    finally:
        isolated_env.chmod(0o755)
        if root.exists():
            root.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "permission denied" in result.stderr, result.stderr


KILLED_INSTALL = """
import os, signal, sys
from pathlib import Path
from glossary.engines.argos import packages as models

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

models.read_package = die  # killed after unpacking, before the rename
models.install_from_file(Path(sys.argv[1]))
"""


def test_killed_install_leaves_a_scratch_folder_the_next_one_removes(
    tiny_argosmodel: Path, isolated_env: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", KILLED_INSTALL, str(tiny_argosmodel)], env=env, timeout=120
    )
    assert done.returncode == -signal.SIGKILL
    scratch = [p for p in isolated_env.iterdir() if p.name.startswith(".glossary-install-")]
    assert len(scratch) == 1 and (scratch[0] / TOP / "model" / "model.bin").is_file()
    models.install_from_file(tiny_argosmodel)
    assert not [p for p in isolated_env.iterdir() if p.name.startswith(".glossary-")]
    assert models.find_package().name == TOP
