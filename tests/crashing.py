"""Crash consistency: `kill -9` at random moments of termbase writes and exports.

Each iteration starts a writer process that adds concepts to a termbase one
`update_termbase` at a time and acknowledges each on stdout after it
returns, or (every fifth iteration) a `glossary export --all`, and kills it
with SIGKILL after a random delay. Then it checks:

- the termbase loads and validates;
- no acknowledged concept is missing, nothing unattempted is there, and
  every concept of earlier iterations is still there (nothing lost);
- after a later command in the exports folder, the export set is whole:
  every file byte for byte the old export, or every file the new one;
- temporary files left behind by the kill are counted; after the last
  iteration one ordinary command in each folder must leave none.

Used by tests/test_crash.py (a short run) and benchmarks/crash.py (500+).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

WRITER = """
import sys
from pathlib import Path
from glossary.termbase import model as tbm
from glossary.termbase.store import update_termbase

path, prefix = Path(sys.argv[1]), sys.argv[2]
n = 0
while True:
    concept = tbm.make_concept(f"{prefix}x{n}", f"en {prefix}x{n}")
    update_termbase(path, lambda tb: tbm.add(tb, concept))
    print(f"{prefix}x{n}", flush=True)
    n += 1
"""


@dataclass
class CrashReport:
    iterations: int = 0
    acknowledged: int = 0
    lost: int = 0
    unexpected: int = 0
    corrupt: int = 0
    torn_exports: int = 0
    # Distinct temporary files seen after kills, by folder.
    leftovers_after_kills: dict[str, set[str]] = field(default_factory=dict)
    leftovers_at_end: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.unexpected
            or self.corrupt
            or self.torn_exports
            or self.leftovers_at_end
        )


def _temporaries(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _seed_termbase(path: Path, concepts: int) -> None:
    from glossary.termbase.model import Termbase, make_concept
    from glossary.termbase.store import write_termbase

    made = [
        make_concept(f"bestaand {n}", f"existing {n}", definition="Een bestaand begrip.")
        for n in range(concepts)
    ]
    write_termbase(path, Termbase(tuple(made)))


def _names(path: Path) -> set[str]:
    from glossary.termbase.store import read_termbase

    return {c.nl for c in read_termbase(path)}


def run(
    iterations: int,
    *,
    seed: int = 1,
    concepts: int = 3000,
    max_delay: float = 0.8,
    export_every: int = 5,
    progress: bool = False,
) -> CrashReport:
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="glossary-crash-"))
    report = CrashReport()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    termbase = work / "glossary" / "termbase.tsv"
    exports = work / "exports"
    termbase.parent.mkdir()
    _seed_termbase(termbase, concepts)
    expected = _names(termbase)
    try:
        subprocess.run(
            [sys.executable, "-m", "glossary", "export", "--all", "-q"],
            cwd=work,
            env=env,
            check=True,
        )
        for iteration in range(iterations):
            report.iterations += 1
            delay = rng.uniform(0.0, max_delay)
            if export_every and iteration % export_every == export_every - 1:
                _export_iteration(work, exports, env, delay, report)
            else:
                expected = _write_iteration(termbase, env, iteration, delay, expected, report)
            for label, folder in (("termbase folder", termbase.parent), ("exports", exports)):
                seen = report.leftovers_after_kills.setdefault(label, set())
                seen.update(_temporaries(folder))
            if progress and (iteration + 1) % 50 == 0:
                print(f"  {iteration + 1} iterations", file=sys.stderr, flush=True)
        # One ordinary command in each folder cleans what the kills left.
        for args in (["term", "add", "slot", "end"], ["export", "--all", "-q"]):
            done = subprocess.run(
                [sys.executable, "-m", "glossary", *args],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                report.problems.append(f"later command {args} failed: {done.stderr[-500:]}")
                report.corrupt += 1
        report.leftovers_at_end = _temporaries(termbase.parent) + _temporaries(exports)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _write_iteration(
    termbase: Path,
    env: dict[str, str],
    iteration: int,
    delay: float,
    expected: set[str],
    report: CrashReport,
) -> set[str]:
    prefix = f"w{iteration}"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(termbase), prefix],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    out, err = process.communicate()
    if process.returncode != -signal.SIGKILL:
        report.problems.append(f"writer {iteration} ended by itself: {err[-500:]}")
    acknowledged = set(out.split("\n")) - {""}
    report.acknowledged += len(acknowledged)
    try:
        present = _names(termbase)
    except Exception as exc:  # a corrupt termbase is what this test looks for
        report.corrupt += 1
        report.problems.append(f"iteration {iteration}: termbase does not load: {exc}")
        return expected
    lost = (expected | acknowledged) - present
    new = present - expected
    unexpected = {n for n in new if not n.startswith(prefix + "x")}
    report.lost += len(lost)
    report.unexpected += len(unexpected)
    if lost or unexpected:
        report.problems.append(
            f"iteration {iteration}: lost {sorted(lost)[:5]}, unexpected {sorted(unexpected)[:5]}"
        )
    return present


def _export_iteration(
    work: Path, exports: Path, env: dict[str, str], delay: float, report: CrashReport
) -> None:
    old = {p.name: p.read_bytes() for p in exports.iterdir() if not p.name.startswith(".")}
    process = subprocess.Popen(
        [sys.executable, "-m", "glossary", "export", "--all", "-q"],
        cwd=work,
        env=env,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    report.leftovers_after_kills.setdefault("exports", set()).update(_temporaries(exports))
    commits = [p.name for p in exports.iterdir() if p.name.startswith(".glossary-commit-")]
    report.leftovers_after_kills.setdefault("exports (commit records)", set()).update(commits)
    # A later command that writes in the folder (not the five files) completes
    # what the kill interrupted, as any later write there does.
    later = exports / "later.csv"
    subprocess.run(
        [sys.executable, "-m", "glossary", "export", "--format", "csv", "-o", str(later), "-q"],
        cwd=work,
        env=env,
        check=True,
    )
    later.unlink()
    now = {p.name: p.read_bytes() for p in exports.iterdir() if not p.name.startswith(".")}
    fresh = Path(tempfile.mkdtemp(prefix="glossary-crash-export-"))
    try:
        subprocess.run(
            [sys.executable, "-m", "glossary", "export", "--all", "-q", "--out-dir", str(fresh)],
            cwd=work,
            env=env,
            check=True,
        )
        new = {p.name: p.read_bytes() for p in fresh.iterdir() if not p.name.startswith(".")}
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    if set(now) != set(old):
        report.torn_exports += 1
        report.problems.append(f"export files changed: {sorted(set(now) ^ set(old))}")
        return
    states = {"old" if now[n] == old[n] else "new" if now[n] == new[n] else "torn" for n in now}
    if "torn" in states or len(states) > 1:
        report.torn_exports += 1
        report.problems.append(f"exports after a kill: {sorted(states)}")
