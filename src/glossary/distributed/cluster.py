"""Connecting to Ray: a local Ray started in this process, or an existing cluster.

`Cluster(settings)` is a context manager. Inside it Ray is connected; on
leaving, a Ray this process started is shut down (a cluster it joined keeps
running). If Ray is already initialised in this process (a caller's own
session, the tests' shared one), it is used as it is and left running.

Errors are `BackendError`s that say what to do: Ray not installed (`pip
install 'glossary[ray]'`), an address that is not HOST:PORT, nothing
listening there (checked with a plain TCP connection first, so a wrong
address fails in seconds rather than after Ray's minutes of retries), a
Ray Client address (`ray://`, not supported), no cluster on this node for
"auto".

Nothing leaves the cluster: usage statistics are off
(RAY_USAGE_STATS_ENABLED=0 unless the environment says otherwise) and no
dashboard is started.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, TypeVar

from glossary.errors import BackendError, InvalidValue

PROBE_TIMEOUT: Final = 5.0  # seconds for the TCP check of --ray-address
CONNECT_TIMEOUT: Final = (
    "10"  # seconds Ray waits for the cluster's GCS (RAY_py_gcs_connect_timeout_s)
)
CONNECT_RETRIES: Final = "1"
_T = TypeVar("_T")
INSTALL_HINT: Final = (
    "Install it with: pip install 'glossary[ray]' (on this machine and every node of the "
    "cluster), or run with --backend local."
)


@dataclass(frozen=True)
class RaySettings:
    """Where and how wide to run.

    - `address`: None starts a Ray on this machine for the run; "auto" joins
      the cluster this node belongs to (`ray start` was run here);
      "HOST:PORT" joins the cluster whose head is there (what `ray start
      --head` prints, port 6379 by default).
    - `workers`: worker processes (actors or tasks at once); default one per
      CPU of the cluster.
    - `ship_model`: send the translation model to the workers through Ray's
      object store instead of expecting it installed on every node.
    """

    address: str | None = None
    workers: int | None = None
    ship_model: bool = False

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise InvalidValue(f"--ray-workers must be at least 1, not {self.workers}.")


def import_ray() -> Any:
    """The `ray` module, or `BackendError` saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise BackendError(
            f"The ray backend needs Ray, which cannot be imported here ({exc}). {INSTALL_HINT}"
        ) from None


def parse_address(address: str) -> tuple[str, int]:
    """(host, port) of a HOST:PORT address; `BackendError` for anything else."""
    if address.startswith("ray://"):
        raise BackendError(
            f"--ray-address {address}: Ray Client addresses (ray://) are not supported. Run "
            "glossary on a node of the cluster with --ray-address auto, or give the head's "
            "HOST:PORT (what 'ray start --head' printed, port 6379 by default)."
        )
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BackendError(
            f"--ray-address {address!r} is not HOST:PORT (e.g. 10.0.0.5:6379) or 'auto'."
        )
    return host, int(port)


def probe(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """`BackendError` unless something accepts TCP connections at HOST:PORT."""
    host, port = parse_address(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise BackendError(
            f"Cannot reach a Ray cluster at {address}: {reason}. Start one with "
            "'ray start --head' on that machine (it prints the address to use), or check the "
            "address with 'ray status' on a node of the cluster."
        ) from None


class Cluster:
    """Ray, connected for the length of a `with` block (see the module doc)."""

    def __init__(self, settings: RaySettings | None = None) -> None:
        self.settings = settings or RaySettings()
        self.started = False
        self._ray: Any = None

    @property
    def ray(self) -> Any:
        """The `ray` module (connected inside the `with` block)."""
        if self._ray is None:
            raise RuntimeError("Cluster is used outside its with block")
        return self._ray

    def __enter__(self) -> Cluster:
        ray = import_ray()
        if not ray.is_initialized():
            self._connect(ray)
        self._ray = ray
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.started:
            self._ray.shutdown()
            self.started = False

    def _connect(self, ray: Any) -> None:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        address = self.settings.address
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": logging.ERROR,
            "configure_logging": True,
        }
        if address is None:
            # A Ray for this run on this machine (all its cores), stopped at the end.
            options["num_cpus"] = os.cpu_count() or 1
        else:
            if address != "auto":
                probe(address)
            # Fail in seconds, not minutes, when something else answers there.
            os.environ.setdefault("RAY_py_gcs_connect_timeout_s", CONNECT_TIMEOUT)
            os.environ.setdefault("RAY_gcs_server_port_wait_time_s", CONNECT_RETRIES)
            options["address"] = address
        try:
            ray.init(**options)
        except ray.exceptions.AuthenticationError as exc:
            raise BackendError(
                f"The Ray cluster at {address} wants its authentication token: "
                f"{_first_line(exc)}. Copy the token to ~/.ray/auth_token here ('ray "
                "get-auth-token' on the head node prints it) or set RAY_AUTH_TOKEN."
            ) from None
        except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as exc:
            where = "on this node" if address == "auto" else f"at {address}"
            raise BackendError(
                f"Cannot connect to a Ray cluster {where}: {_first_line(exc)}. Start one with "
                "'ray start --head' (then 'ray start --address HEAD:6379' on the other nodes), "
                "or run with --backend local."
            ) from None
        self.started = True

    def cpus(self) -> int:
        """CPUs of the whole cluster (as Ray counts them)."""
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def nodes(self) -> int:
        """Live nodes of the cluster."""
        return sum(1 for node in self.ray.nodes() if node.get("Alive"))

    def largest_node(self) -> int:
        """CPUs of the largest live node (an actor needing more never starts)."""
        sizes = [
            int(node.get("Resources", {}).get("CPU", 0))
            for node in self.ray.nodes()
            if node.get("Alive")
        ]
        return max(sizes, default=0)

    def slots(self, cpus: int) -> int:
        """How many workers of `cpus` CPUs each the live nodes can hold at once."""
        return sum(
            int(node.get("Resources", {}).get("CPU", 0)) // cpus
            for node in self.ray.nodes()
            if node.get("Alive")
        )

    def workers(self) -> int:
        """Worker processes to use at once: the settings', else one per CPU."""
        return self.settings.workers or self.cpus()

    def describe(self) -> str:
        """One line for the user: where the work runs."""
        where = (
            "a Ray started on this machine"
            if self.settings.address is None
            else f"the Ray cluster at {self.settings.address}"
        )
        return f"{where}: {self.nodes()} node(s), {self.cpus()} CPU(s), {self.workers()} worker(s)"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].rstrip(".")


def remote_error(exc: BaseException) -> BaseException:
    """What to raise for an error from a Ray worker: a `GlossaryError` raised
    there as it is (its message is for the user), anything else as a
    `BackendError` naming it."""
    from glossary.errors import GlossaryError

    cause = getattr(exc, "cause", None)
    if isinstance(cause, GlossaryError):
        return cause
    kind = type(exc).__name__
    if kind in ("ActorDiedError", "RayActorError", "WorkerCrashedError", "ObjectLostError"):
        return BackendError(
            f"A Ray worker died and could not be replaced ({_first_line(exc)}). The Ray logs "
            "(/tmp/ray/session_latest/logs on each node) say why; out-of-memory kills are the "
            "usual cause: run with fewer --ray-workers per node."
        )
    return BackendError(f"A Ray worker failed: {_first_line(exc)}")


def ordered(ray: Any, submit: Callable[[_T], Any], items: Iterable[_T], limit: int) -> list[Any]:
    """The results of `submit(item)` (a task's ObjectRef) for every item, in
    item order, with at most `limit` tasks at once (so `--ray-workers` holds
    on a larger cluster). Errors come as Ray raises them; the tasks still
    running are cancelled then (and on Ctrl-C)."""
    results: dict[int, Any] = {}
    running: dict[Any, int] = {}
    try:
        for number, item in enumerate(items):
            while len(running) >= limit:
                _collect(ray, running, results)
            running[submit(item)] = number
        while running:
            _collect(ray, running, results)
    except BaseException:
        cancel(ray, running)
        raise
    return [results[n] for n in range(len(results))]


def _collect(ray: Any, running: dict[Any, int], results: dict[int, Any]) -> None:
    ready, _ = ray.wait(list(running), num_returns=1)
    for future in ready:
        results[running.pop(future)] = ray.get(future)


def cancel(ray: Any, futures: Iterable[Any]) -> None:
    """Cancel tasks that have not finished, after an error or an interrupt.

    Only for unfinished tasks: cancelling one whose result came back can
    crash Ray's driver (ray 2.60: "Tried to complete task that was not
    pending"), so callers cancel on their failure paths, never after success.
    """
    for future in futures:
        with contextlib.suppress(Exception):  # finished meanwhile or gone: nothing to stop
            ray.cancel(future)
