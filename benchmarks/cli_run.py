"""One `glossary` command in its own process, with its wall time, CPU time and
peak resident memory (shared by the benchmarks that time whole commands)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNNER = """
import resource, sys
from glossary.cli import main
try:
    main(sys.argv[1:], standalone_mode=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"PEAK {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.2f}", file=sys.stderr)
sys.exit(code)
"""


@dataclass(frozen=True)
class CliRun:
    wall: float  # seconds
    cpu: float  # seconds (what to compare on a busy shared machine)
    peak_mb: float
    stderr: str


def run_cli(args: Sequence[str], *, ok: Sequence[int] = (0,)) -> CliRun:
    """Run `glossary ARGS` from the project folder; exit with its stderr when its
    exit status is not in `ok`."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - started
    if done.returncode not in ok:
        sys.exit(f"glossary {' '.join(args)} failed:\n{done.stderr}")
    peak = next(line for line in done.stderr.splitlines() if line.startswith("PEAK "))
    _, rss_kb, cpu = peak.split()
    return CliRun(wall, float(cpu), int(rss_kb) / 1024, done.stderr)
