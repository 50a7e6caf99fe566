"""Shared fixtures. Every test runs with data and model folders in tmp_path,
so no test touches the user's home, termbase or installed Argos packages.
Sockets are blocked for the whole suite (pytest-socket, see pyproject)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from glossary.engines.argos.packages import Package

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
    monkeypatch.delenv("GLOSSARY_TERMBASE", raising=False)
    # Tables fit $COLUMNS when it is set; tests set it themselves.
    monkeypatch.delenv("COLUMNS", raising=False)
    return home


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


# ----------------------------------------------------- tiny Argos package
# A random-weight Argos package (2-layer d=64 Transformer, SentencePiece
# trained on seeds/) built once per session; see tests/argos_tiny.py.


@pytest.fixture(scope="session")
def tiny_argosmodel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ready `.argosmodel` file (nl→en, version 0.1). Never modify it."""
    from argos_tiny import build_package

    folder = tmp_path_factory.mktemp("argos-tiny")
    return build_package(folder / "translate-nl_en-0_1.argosmodel")


@pytest.fixture
def tiny_package(tiny_argosmodel: Path, isolated_env: Path) -> Package:
    """The tiny package installed in this test's isolated ARGOS_PACKAGES_DIR."""
    from glossary.engines.argos.packages import install_from_file

    return install_from_file(tiny_argosmodel)


# ----------------------------------------------------- a local Ray cluster
# One Ray for the whole session, as Ray's testing guide advises (starting one
# takes seconds): 2 CPUs, no dashboard, no usage statistics, everything on
# the loopback address. Its workers find tests/ (ray_helpers) on their path.
# Tests that use it need sockets: mark them allow_hosts(["127.0.0.1"]).


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import logging
    import os

    import ray

    tests = Path(__file__).resolve().parent
    before = dict(os.environ)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        patch.setenv("HOME", str(tmp_path_factory.mktemp("ray-home")))  # Ray's ~/.ray token
        patch.setenv("PYTHONPATH", os.pathsep.join([str(tests), str(ROOT / "src")]))
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
            _node_ip_address="127.0.0.1",
        )
    try:
        yield ray
    finally:
        ray.shutdown()
        os.environ.clear()  # Ray leaves RAY_AUTH_MODE and PYTHONBREAKPOINT set
        os.environ.update(before)
