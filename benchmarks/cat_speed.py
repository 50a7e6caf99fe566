"""CAT job speed and memory: a 1 MB memoQ XLIFF and a 5,000-entry PO (issue 14).

Both files are generated with the structure of the real files in
tests/data/cat (the memoQ XLIFF of Supervertaler: `mq:` attributes,
`xml:space="preserve"`, `<bpt>`/`<ept>` codes, context groups; a Poedit PO
with `#:` references, `Plural-Forms`, fuzzy entries and plural entries) and
the sentences of seeds/ as their Dutch. Half the units already have an
English target (a translator's), so `check` has work.

Each step runs `glossary` in its own process (start-up included), so the
peak memory (max RSS) is that step's alone:

1. `glossary translate FILE --engine none -o OUT`: the job read, the shipped
   termbase's hints found for every segment, written in place as notes;
2. `glossary check OUT`: every target checked against the termbase;
3. the library with a copying strategy (every empty target filled, so the
   writer rewrites every second unit), in this process, without start-up.

Baseline: translate-toolkit (`translate.storage.xliff` / `pypo`) parsing the
same file once, in this process; the ratio ("x parse": CPU seconds of the
step over the parse's seconds) says how many such parses one whole run
costs. Goal of the issue: a few seconds for each step (wall time, which a
busy machine inflates; CPU time is printed beside it).

Run: .venv/bin/python benchmarks/cat_speed.py [--entries 5000] [--xliff-mb 1]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from cli_run import run_cli

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 5.0


def sentences() -> list[str]:
    """The segments of the seed documents (Dutch policy text)."""
    from glossary.reading.ingest import read_document

    out: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.extend(s.text for s in read_document(str(path)).segments if s.translate)
    return [s for s in out if len(s) > 3]


def make_xliff(path: Path, size: int, seeds: Sequence[str]) -> int:
    rng = random.Random(14)
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" '
        'xmlns:mq="MQXliff">\n'
        '<file original="beleidsbrief.docx" source-language="nl-nl" target-language="en-gb" '
        'datatype="x-docx" mq:document-guid="0f7d4d3e-2c1b-4b6e-9a51-7f0e3c1d2b4a">\n'
        '<header><tool tool-id="MemoQ" tool-name="MemoQ" tool-version="12.0"/></header>\n'
        "<body>\n"
    )
    parts = [head]
    total = len(head)
    n = 0
    while total < size:
        n += 1
        text = rng.choice(seeds)
        words = [escape(w) for w in text.split(" ")]
        if len(words) > 4 and rng.random() < 0.3:  # a bold run: <bpt>/<ept>
            a = rng.randrange(1, len(words) - 2)
            words[a] = f'<bpt id="1" ctype="bold">{{}}</bpt>{words[a]}'
            words[a + 1] = f'{words[a + 1]}<ept id="1">{{}}</ept>'
        source = " ".join(words)
        translated = n % 2 == 0
        status = "ManuallyConfirmed" if translated else "NotStarted"
        target = source if translated else ""
        unit = (
            f'<trans-unit id="{n}" mq:status="{status}" '
            f'mq:segmentguid="{rng.getrandbits(64):016x}" '
            f'mq:percent="{100 if translated else 0}" xml:space="preserve">\n'
            f'<source xml:space="preserve">{source}</source>\n'
            f'<target xml:space="preserve">{target}</target>\n'
            '<context-group name="x-mq-context" purpose="information">'
            f'<context context-type="x-mq-context-segid">{n}</context></context-group>\n'
            '<mq:insertedmatch matchtype="0" source="" target=""/>\n'
            "</trans-unit>\n"
        )
        parts.append(unit)
        total += len(unit.encode("utf-8"))
    parts.append("</body>\n</file>\n</xliff>\n")
    path.write_text("".join(parts), encoding="utf-8")
    return n


def po_string(keyword: str, text: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'{keyword} "{quoted}"\n'


def make_po(path: Path, entries: int, seeds: Sequence[str]) -> None:
    rng = random.Random(14)
    out = [
        'msgid ""\nmsgstr ""\n',
        '"Project-Id-Version: beleid\\n"\n',
        '"Language: en\\n"\n',
        '"X-Source-Language: nl\\n"\n',
        '"MIME-Version: 1.0\\n"\n',
        '"Content-Type: text/plain; charset=UTF-8\\n"\n',
        '"Content-Transfer-Encoding: 8bit\\n"\n',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        '"X-Generator: Poedit 3.6\\n"\n\n',
    ]
    for n in range(entries):
        text = f"{rng.choice(seeds)} ({n})"  # distinct msgids
        out.append(f"#: brief_{n // 100}.txt:{n % 100 + 1}\n")
        if n % 50 == 0:  # a plural entry
            out.append(po_string("msgid", f"{n} dossier"))
            out.append(po_string("msgid_plural", f"{n} dossiers"))
            out.append('msgstr[0] ""\nmsgstr[1] ""\n\n')
            continue
        if n % 7 == 0:
            out.append("#, fuzzy\n")
        out.append(po_string("msgid", text))
        out.append(po_string("msgstr", text if n % 2 == 0 else ""))
        out.append("\n")
    path.write_text("".join(out), encoding="utf-8")


def run(*args: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one `glossary` run."""
    done = run_cli(args, ok=(0, 1))
    return done.wall, done.cpu, int(done.peak_mb)


def library_fill(path: Path, out: Path) -> tuple[float, int]:
    """Every empty target filled by the library (a copying strategy): seconds, targets."""
    from glossary.document import SegmentResult
    from glossary.translation import job

    class Copy:
        signature = "engine:copy"

        def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
            return [SegmentResult(t) for t in texts]

    started = time.perf_counter()
    request = job.JobRequest(inputs=(str(path),), output=str(out), engine="none", glossary=False)
    plan = job.plan_job(request)
    result = job.run_job(plan, strategy=Copy())
    job.write_outputs(plan, result)
    filled = sum(1 for d in result.documents for ts in d.segments if ts.target)
    return time.perf_counter() - started, filled


def baseline(path: Path) -> float:
    """translate-toolkit parsing the file once (seconds)."""
    from translate.storage import pypo, xliff

    data = path.read_bytes()
    started = time.perf_counter()
    if path.suffix == ".po":
        pypo.pofile.parsestring(data)
    else:
        xliff.xlifffile.parsestring(data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000, help="PO entries")
    parser.add_argument("--xliff-mb", type=float, default=1.0, help="XLIFF size in MB")
    args = parser.parse_args()
    seeds = sentences()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        xlf, po = folder / "job.mqxliff", folder / "job.po"
        units = make_xliff(xlf, int(args.xliff_mb * 1024 * 1024), seeds)
        make_po(po, args.entries, seeds)
        print(f"seeds: {len(seeds)} sentences; termbase: glossary/termbase.tsv (shipped)")
        print(
            f"{'file':<34} {'step':<26} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} "
            f"{'x parse':>8} {'goal':>5}"
        )
        for path, what in (
            (xlf, f"memoQ XLIFF {xlf.stat().st_size / 1e6:.2f} MB, {units} units"),
            (po, f"PO {args.entries} entries, {po.stat().st_size / 1e6:.2f} MB"),
        ):
            parse_s = baseline(path)
            out = folder / f"out{path.suffix}"
            translate = ("translate", str(path), "--engine", "none", "-o", str(out), "--quiet")
            steps = {
                "translate --engine none": translate,
                "check (the output)": ("check", str(out), "--quiet", "--format", "json"),
            }
            for step, argv in steps.items():
                wall, cpu, rss = run(*argv)
                print(
                    f"{what:<34} {step:<26} {wall:>7.2f} {cpu:>6.2f} {rss:>8} "
                    f"{cpu / parse_s:>8.1f} {'ok' if wall <= GOAL_S else 'SLOW':>5}"
                )
            seconds, filled = library_fill(path, folder / f"filled{path.suffix}")
            print(
                f"{what:<34} {f'library: {filled} targets':<26} {seconds:>7.2f} {'':>6} "
                f"{'':>8} {seconds / parse_s:>8.1f} {'ok' if seconds <= GOAL_S else 'SLOW':>5}"
            )
            print(f"{'':<34} {'baseline: translate-toolkit parse':<26} {parse_s:>7.2f}")


if __name__ == "__main__":
    main()
