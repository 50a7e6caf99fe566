"""Import speed and memory: a 100,000-entry TBX and a 100,000-row CSV (issue 15).

Generates files as other tools write them: a TBX v2 with `c1…cN` ids,
term status on every term, a third language and history (all counted as
dropped), and a Dutch-Excel-style CSV (semicolons, Windows-1252, header
"Nederlands;Engels;Opmerking"). Each is imported with `glossary import`
into an empty termbase (dry run, then for real) and then again into the
filled termbase (every entry unchanged), each run in its own process so the
peak memory (max RSS) is that run's alone.

Baseline: the importer before issue 15, measured on the same kind of machine
and printed in docs/exchange.md: 100,000 TBX concepts parsed and mapped in
14.6 s plus 4.8 s to plan the import into an empty termbase (19.4 s, in one
process, without start-up). The ratio printed compares this run's CPU time
(the whole command: start-up, reading, checks, planning, writing) with it.

Run: .venv/bin/python benchmarks/import_speed.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from cli_run import run_cli

ROOT = Path(__file__).resolve().parent.parent
BASELINE_TBX_S = 14.6 + 4.8


def words(rng: random.Random, n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyzëé"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 11))) for _ in range(n)
    )


def make_tbx(path: Path, n: int) -> None:
    rng = random.Random(15)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">\n')
        out.write("<martifHeader><fileDesc><sourceDesc><p>MultiTerm-style export</p>")
        out.write("</sourceDesc></fileDesc></martifHeader>\n<text><body>\n")
        for i in range(1, n + 1):
            nl, en = f"{words(rng, 2)} {i}", f"{words(rng, 2)} {i}"
            out.write(f'<termEntry id="c{i}">\n')
            out.write('<descrip type="subjectField">generated</descrip>\n')
            out.write('<transacGrp><transac type="transactionType">origination</transac>')
            out.write("<date>2024-01-01</date></transacGrp>\n")
            out.write('<langSet xml:lang="nl-NL">')
            out.write(f"<tig><term>{escape(nl)}</term>")
            out.write('<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>')
            out.write('<termNote type="partOfSpeech">noun</termNote></tig>')
            out.write(f"<tig><term>{escape(nl)}-x</term></tig></langSet>\n")
            out.write('<langSet xml:lang="en-GB">')
            out.write('<descrip type="definition">A generated concept for timing.</descrip>')
            out.write(f"<tig><term>{escape(en)}</term>")
            out.write('<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>')
            out.write("</tig>")
            out.write(f"<tig><term>{escape(en)} old</term>")
            out.write('<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>')
            out.write("</tig></langSet>\n")
            out.write(f'<langSet xml:lang="de"><tig><term>{escape(en)} de</term></tig></langSet>\n')
            out.write("</termEntry>\n")
        out.write("</body></text></martif>\n")


def make_csv(path: Path, n: int) -> None:
    rng = random.Random(16)
    lines = ["Nederlands;Engels;Opmerking"]
    for i in range(1, n + 1):
        lines.append(f"{words(rng, 2)} {i};{words(rng, 2)} {i};opmerking {i}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def run(args: list[str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak MB, summary line) of one `glossary import` in its
    own process. CPU time is what to compare on a busy shared machine."""
    done = run_cli(args)
    summary = next(
        (line for line in done.stderr.splitlines() if line.startswith(("Imported", "Dry run"))),
        "",
    )
    return done.wall, done.cpu, done.peak_mb, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    n = args.entries
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tbx, csv = folder / "big.tbx", folder / "big.csv"
        make_tbx(tbx, n)
        make_csv(csv, n)
        sizes = f"TBX {tbx.stat().st_size / 1e6:.0f} MB, CSV {csv.stat().st_size / 1e6:.1f} MB"
        print(f"{n:,} entries: {sizes}")
        print(f"{'case':<44} {'time':>8} {'CPU':>8} {'peak RSS':>10}")
        for label, source in (("TBX", tbx), ("CSV", csv)):
            termbase = folder / f"{label.lower()}-termbase.tsv"
            base = ["import", str(source), "--termbase", str(termbase), "--max-size", "1024"]
            for case, extra in (
                ("dry run into an empty termbase", ["--dry-run"]),
                ("import into an empty termbase", []),
                ("again: every entry unchanged", []),
            ):
                seconds, cpu, peak, summary = run([*base, *extra])
                ratio = (
                    f"   {cpu / BASELINE_TBX_S:4.2f}x the old TBX import (CPU)"
                    if label == "TBX" and "empty" in case and n == 100_000
                    else ""
                )
                print(
                    f"{label + ' ' + case:<44} {seconds:7.1f} s {cpu:6.1f} s {peak:8.0f} MB{ratio}"
                )
                print(f"    {summary.splitlines()[0] if summary else ''}")


if __name__ == "__main__":
    main()
