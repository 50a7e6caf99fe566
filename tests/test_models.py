"""Argos package management: finding the folder, checking archives, install/list/remove."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import urllib.error
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from argos_tiny import members, metadata
from glossary.cli import main
from glossary.engines.argos import packages as models
from glossary.errors import ModelError, ModelNotInstalled

NO_MODEL = (
    "No nl→en Argos model is installed. Run: glossary model install --from FILE.argosmodel "
    "(or 'glossary model install nl en' when online)"
)
TOP = "translate-nl_en-0_1"
Member = tuple[zipfile.ZipInfo, bytes]


def packages_dir(home: Path) -> Path:
    return home / "argos-packages"


def leftovers(home: Path) -> list[str]:
    """Everything in the packages folder and scratch folders beside it."""
    root = packages_dir(home)
    found = [p.name for p in root.iterdir()] if root.exists() else []
    found += [p.name for p in root.parent.iterdir() if p.name.startswith(".glossary-")]
    return found


# ------------------------------------------------------------ settings


def test_packages_dir_follows_argos_packages_dir(isolated_env: Path) -> None:
    assert models.packages_dir() == isolated_env / "argos-packages"


def test_packages_dir_from_settings_json(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    settings = isolated_env / ".config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(isolated_env / "elsewhere")}))
    assert models.packages_dir() == isolated_env / "elsewhere"


def test_packages_dir_defaults_to_xdg_data_home(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    expected = isolated_env / ".local" / "share" / "argos-translate" / "packages"
    assert models.packages_dir() == expected
    monkeypatch.delenv("XDG_DATA_HOME")
    assert models.packages_dir() == expected  # ~/.local/share without XDG_DATA_HOME


@pytest.mark.parametrize("use_env", [True, False], ids=["env", "xdg-default"])
def test_packages_dir_agrees_with_argostranslate(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, use_env: bool
) -> None:
    if not use_env:
        monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    code = "import argostranslate.settings as s; print(s.package_data_dir)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert Path(done.stdout.strip()) == models.packages_dir()


def test_broken_settings_json_is_reported(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    settings = isolated_env / ".config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{not json")
    with pytest.raises(ModelError, match=r"settings file .*settings\.json"):
        models.packages_dir()


def test_index_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert models.package_index_url() == models.DEFAULT_INDEX + "index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "file:///srv/index")
    assert models.package_index_url() == "file:///srv/index/index.json"


# ------------------------------------------------------ install and list


def test_install_list_find_remove(tiny_argosmodel: Path, isolated_env: Path) -> None:
    assert models.list_packages() == []
    installed = models.install_from_file(tiny_argosmodel)
    assert installed.name == TOP
    assert installed.usable and installed.pair == "nl→en"
    assert installed.package_version == "0.1"
    assert installed.path == packages_dir(isolated_env) / TOP
    assert (installed.model_dir / "model.bin").is_file()
    assert installed.tokenizer_path.is_file()
    assert models.list_packages() == [installed]
    assert models.find_package("nl", "en") == installed
    assert leftovers(isolated_env) == [TOP]

    removed = models.remove_package(TOP)
    assert removed == installed
    assert leftovers(isolated_env) == []
    with pytest.raises(ModelNotInstalled) as excinfo:
        models.find_package("nl", "en")
    assert str(excinfo.value) == NO_MODEL


def test_reinstall_needs_replace(tiny_argosmodel: Path, isolated_env: Path) -> None:
    models.install_from_file(tiny_argosmodel)
    marker = packages_dir(isolated_env) / TOP / "marker"
    marker.write_text("old")
    with pytest.raises(ModelError, match=r"already installed.*--force"):
        models.install_from_file(tiny_argosmodel)
    assert marker.exists()
    again = models.install_from_file(tiny_argosmodel, replace=True)
    assert again.usable and not marker.exists()
    assert leftovers(isolated_env) == [TOP]


def test_newest_of_two_versions_is_used(tiny_argosmodel: Path, isolated_env: Path) -> None:
    models.install_from_file(tiny_argosmodel)
    newer = rebuild(tiny_argosmodel, isolated_env / "new.argosmodel", rename_top("nl_en_1_10"))
    newer = rebuild(newer, isolated_env / "newer.argosmodel", set_metadata(package_version="1.10"))
    models.install_from_file(newer)
    assert models.find_package().name == "nl_en_1_10"
    assert [p.name for p in models.list_packages()] == ["nl_en_1_10", TOP]


def test_package_unpacked_like_argospm_is_found(tiny_argosmodel: Path, isolated_env: Path) -> None:
    # argostranslate.package.install_from_path is a plain extractall into the folder.
    root = packages_dir(isolated_env)
    root.mkdir()
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        zf.extractall(root)
    assert models.find_package().name == TOP


def test_argostranslate_sees_our_install(tiny_argosmodel: Path, isolated_env: Path) -> None:
    models.install_from_file(tiny_argosmodel)
    code = (
        "import argostranslate.package as p\n"
        "for pkg in p.get_installed_packages(): print(pkg.package_path, pkg.from_code, pkg.to_code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.split() == [str(packages_dir(isolated_env) / TOP), "nl", "en"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda p: (p / "metadata.json").unlink(), "no metadata.json"),
        (lambda p: (p / "metadata.json").write_text("[]"), "not hold a JSON object"),
        (lambda p: (p / "model" / "model.bin").unlink(), "no CTranslate2 model"),
        (lambda p: (p / "sentencepiece.model").unlink(), "no tokenizer model"),
        (
            lambda p: (p / "sentencepiece.model").rename(p / "bpe.model"),
            "BPE tokenizer",
        ),
    ],
    ids=["no-metadata", "bad-metadata", "no-model", "no-tokenizer", "bpe"],
)
def test_broken_installed_package_is_listed_and_explained(
    tiny_package: models.Package, damage: Callable[[Path], None], problem: str
) -> None:
    damage(tiny_package.path)
    (listed,) = models.list_packages()
    assert not listed.usable
    assert problem in listed.problem
    with pytest.raises(ModelNotInstalled):
        models.find_package()


def test_find_package_names_a_broken_nl_en_package(tiny_package: models.Package) -> None:
    (tiny_package.path / "sentencepiece.model").unlink()
    with pytest.raises(ModelNotInstalled, match=f"cannot be used: no tokenizer.*remove {TOP}"):
        models.find_package()


def test_remove_unknown_package(tiny_package: models.Package) -> None:
    with pytest.raises(ModelError, match=f"No package named 'nl-en'.*installed: {TOP}"):
        models.remove_package("nl-en")
    with pytest.raises(ModelError, match=r"No package named '\.\.'"):
        models.remove_package("..")
    assert tiny_package.path.is_dir()


# ------------------------------------------------------- hostile archives


def rebuild(source: Path, dest: Path, change: Callable[[list[Member]], list[Member]]) -> Path:
    """A copy of the `source` zip with its members passed through `change`."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # on purpose
        for info, data in change(list(members(source))):
            zf.writestr(info, data)
    return dest


def add(
    name: str, data: bytes = b"x", mode: int | None = None
) -> Callable[[list[Member]], list[Member]]:
    def change(items: list[Member]) -> list[Member]:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        return [*items, (info, data)]

    return change


def drop(prefix: str) -> Callable[[list[Member]], list[Member]]:
    return lambda items: [(i, d) for i, d in items if not i.filename.startswith(f"{TOP}/{prefix}")]


def rename_member(old: str, new: str) -> Callable[[list[Member]], list[Member]]:
    def change(items: list[Member]) -> list[Member]:
        out = []
        for info, data in items:
            if info.filename == f"{TOP}/{old}":
                info = zipfile.ZipInfo(f"{TOP}/{new}")
            out.append((info, data))
        return out

    return change


def rename_top(top: str) -> Callable[[list[Member]], list[Member]]:
    def change(items: list[Member]) -> list[Member]:
        out = []
        for info, data in items:
            renamed = zipfile.ZipInfo(top + info.filename[len(TOP) :])
            renamed.external_attr = info.external_attr
            out.append((renamed, data))
        return out

    return change


def set_metadata(**fields: object) -> Callable[[list[Member]], list[Member]]:
    def change(items: list[Member]) -> list[Member]:
        out = []
        for info, data in items:
            if info.filename.endswith("/metadata.json"):
                meta = {**json.loads(data), **fields}
                data = json.dumps({k: v for k, v in meta.items() if v is not None}).encode()
            out.append((info, data))
        return out

    return change


def raw_metadata(text: bytes) -> Callable[[list[Member]], list[Member]]:
    return lambda items: [
        (i, text if i.filename.endswith("/metadata.json") else d) for i, d in items
    ]


HOSTILE = [
    ("zip-slip", add("../evil.txt"), "points outside the package"),
    ("zip-slip-nested", add(f"{TOP}/model/../../evil.txt"), "points outside the package"),
    ("absolute-path", add("/tmp/evil.txt"), "absolute path"),
    ("windows-drive", add("C:/evil.txt"), "absolute path"),
    ("symlink", add(f"{TOP}/link", b"/etc/passwd", stat.S_IFLNK | 0o777), "symbolic link"),
    ("fifo", add(f"{TOP}/pipe", b"", stat.S_IFIFO | 0o644), "not a regular file"),
    ("two-top-folders", add("other/readme.txt"), "exactly one top folder"),
    ("file-at-top", add("README.md"), "outside the package's top folder"),
    ("duplicate-member", add(f"{TOP}/metadata.json", b"{}"), "appears twice"),
    ("missing-model", drop("model/"), "no CTranslate2 model"),
    ("missing-tokenizer", drop("sentencepiece.model"), "no tokenizer model"),
    ("bpe-tokenizer", rename_member("sentencepiece.model", "bpe.model"), "BPE tokenizer"),
    ("missing-metadata", drop("metadata.json"), "no translate-nl_en-0_1/metadata.json"),
    ("metadata-not-json", raw_metadata(b"{nope"), "not valid JSON"),
    ("metadata-not-object", raw_metadata(b"[1, 2]"), "does not hold a JSON object"),
    ("no-from-code", set_metadata(from_code=None), "has no from_code"),
    ("wrong-pair", set_metadata(from_code="en", to_code="nl"), "translates en→nl"),
    ("wrong-target", set_metadata(to_code="de"), "translates nl→de"),
    ("not-translate", set_metadata(type="sbd"), "not a translation package"),
    ("hidden-top", rename_top(".hidden"), "hidden name"),
]


@pytest.mark.parametrize(
    ("change", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_archive_is_refused_and_leaves_nothing(
    tiny_argosmodel: Path,
    isolated_env: Path,
    tmp_path: Path,
    change: Callable[[list[Member]], list[Member]],
    message: str,
) -> None:
    archive = rebuild(tiny_argosmodel, tmp_path / "bad.argosmodel", change)
    with pytest.raises(ModelError, match=f"Refusing .*bad.argosmodel: .*{message}") as excinfo:
        models.install_from_file(archive)
    assert str(excinfo.value).endswith("Nothing was installed.")
    assert leftovers(isolated_env) == []
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists()


def test_not_a_zip(tmp_path: Path, isolated_env: Path) -> None:
    archive = tmp_path / "x.argosmodel"
    archive.write_bytes(b"\x7fELF not a zip at all" * 100)
    with pytest.raises(ModelError, match="not a zip archive"):
        models.install_from_file(archive)
    assert leftovers(isolated_env) == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        models.install_from_file(tmp_path / "nope.argosmodel")


def test_empty_zip(tmp_path: Path, isolated_env: Path) -> None:
    archive = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(archive, "w"):
        pass
    with pytest.raises(ModelError, match="empty"):
        models.install_from_file(archive)
    assert leftovers(isolated_env) == []


def test_damaged_member_fails_during_unpacking_and_leaves_nothing(
    tiny_argosmodel: Path, isolated_env: Path, tmp_path: Path
) -> None:
    # The directory is intact (so the checks pass) but the model's bytes are
    # corrupt: unpacking hits a CRC error half way through.
    archive = tmp_path / "crc.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for info, data in members(tiny_argosmodel):
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, data)
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        bin_info = zf.getinfo(f"{TOP}/model/model.bin")
    middle = bin_info.header_offset + 200 + bin_info.file_size // 2
    raw[middle] ^= 0xFF
    archive.write_bytes(bytes(raw))
    models.check_archive(archive)  # the directory still looks fine
    with pytest.raises(ModelError, match="damaged"):
        models.install_from_file(archive)
    assert leftovers(isolated_env) == []


def test_any_pair_when_asked(tiny_argosmodel: Path, tmp_path: Path) -> None:
    archive = rebuild(
        tiny_argosmodel, tmp_path / "ende.argosmodel", set_metadata(from_code="en", to_code="de")
    )
    info = models.check_archive(archive, from_code=None, to_code=None)
    assert (info.from_code, info.to_code, info.top) == ("en", "de", TOP)


# ----------------------------------------------------------- online


def publish(tmp_path: Path, archive: Path, **fields: object) -> str:
    """A file:// package index listing `archive` (no network needed)."""
    index = tmp_path / "index"
    index.mkdir(exist_ok=True)
    entry = {**metadata(), "package_version": "0.1", "links": [archive.as_uri()], **fields}
    (index / "index.json").write_text(json.dumps([entry]))
    return index.as_uri() + "/"


def test_install_online_from_an_index(
    tiny_argosmodel: Path, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", publish(tmp_path, tiny_argosmodel))
    installed = models.install_online("nl", "en")
    assert installed.name == TOP and installed.usable
    assert leftovers(isolated_env) == [TOP]


def test_install_online_offline_says_what_to_do(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(url: str, timeout: float) -> None:
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(models, "_open_url", no_network)
    with pytest.raises(ModelError) as excinfo:
        models.install_online("nl", "en")
    text = str(excinfo.value)
    assert "offline" in text
    assert "glossary model install --from FILE.argosmodel" in text
    assert "\n" not in text
    assert leftovers(isolated_env) == []


def test_install_online_without_the_pair(
    tiny_argosmodel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", publish(tmp_path, tiny_argosmodel, to_code="de"))
    with pytest.raises(ModelError, match="has no nl→en translation package"):
        models.install_online("nl", "en")


def test_install_online_dead_link(
    tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", publish(tmp_path, tmp_path / "gone.argosmodel"))
    with pytest.raises(ModelError, match=r"Cannot download the package.*--from FILE"):
        models.install_online("nl", "en")
    assert leftovers(isolated_env) == []


def test_install_online_hostile_download_is_checked(
    tiny_argosmodel: Path, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = rebuild(tiny_argosmodel, tmp_path / "bad.argosmodel", add("../evil.txt"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", publish(tmp_path, bad))
    with pytest.raises(ModelError, match="outside the package"):
        models.install_online("nl", "en")
    assert leftovers(isolated_env) == []


# ---------------------------------------------------------------- CLI


def test_cli_install_list_remove(tiny_argosmodel: Path, isolated_env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["model", "install", "--from", str(tiny_argosmodel)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{TOP}\n"
    assert "Installed translate-nl_en-0_1 (nl→en, version 0.1)" in result.stderr

    result = runner.invoke(main, ["model", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "pair", "version", "status"]
    assert lines[2].split() == [TOP, "nl→en", "0.1", "ok"]
    assert "1 package(s) in" in result.stderr

    result = runner.invoke(main, ["model", "list", "--format", "json"])
    (entry,) = json.loads(result.stdout)
    assert entry["name"] == TOP and entry["usable"] is True and entry["from_code"] == "nl"

    result = runner.invoke(main, ["model", "install", "--from", str(tiny_argosmodel)])
    assert result.exit_code == 1
    assert "already installed" in result.stderr
    result = runner.invoke(main, ["model", "install", "--from", str(tiny_argosmodel), "--force"])
    assert result.exit_code == 0

    result = runner.invoke(main, ["model", "remove", TOP])
    assert result.exit_code == 0 and result.stdout == ""
    assert f"Removed {TOP}" in result.stderr
    result = runner.invoke(main, ["model", "list"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "No Argos packages installed" in result.stderr
    assert json.loads(runner.invoke(main, ["model", "list", "--format", "json"]).stdout) == []


def test_cli_refuses_hostile_archive_with_one_line(
    tiny_argosmodel: Path, isolated_env: Path, tmp_path: Path
) -> None:
    archive = rebuild(tiny_argosmodel, tmp_path / "slip.argosmodel", add("../evil.txt"))
    result = CliRunner().invoke(main, ["model", "install", "--from", str(archive)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Refusing ")
    assert len(result.stderr.splitlines()) == 1
    assert leftovers(isolated_env) == []


def test_cli_online_install_offline(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An index that cannot be reached, through the real urllib code path.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "file:///nonexistent/argos-index/")
    result = CliRunner().invoke(main, ["model", "install", "nl", "en", "-q"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: Cannot read the Argos package index")
    assert "glossary model install --from FILE.argosmodel" in result.stderr


def test_cli_online_install(
    tiny_argosmodel: Path, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", publish(tmp_path, tiny_argosmodel))
    result = CliRunner().invoke(main, ["model", "install", "nl", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{TOP}\n"
    assert "Downloading" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["model", "install"], "Give --from FILE.argosmodel"),
        (["model", "install", "en", "nl"], "use 'nl en'"),
        (["model", "install", "nl", "en", "--from", "x.argosmodel"], "not both"),
    ],
    ids=["nothing", "wrong-pair", "both"],
)
def test_cli_install_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_remove_unknown(isolated_env: Path) -> None:
    result = CliRunner().invoke(main, ["model", "remove", "nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No package named 'nope'")
