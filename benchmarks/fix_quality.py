"""How well does the termbase get applied to MT-like English? `glossary fix` and `translate`.

Data: tests/data/fix/nl_en_fix.tsv (written for this benchmark; see
tests/data/PROVENANCE.md): Dutch sentences in the seeds' domain, an MT-like
English translation with typical term errors, and a reference post-edit
(the termbase applied by a careful translator). The termbase is the
shipped one (glossary/termbase.tsv).

Reported, for `glossary fix` (termbase alignment; no model):
- unchanged sentences changed: of the sentences whose MT needs no change,
  how many came back changed (goal 0);
- exact match: of the sentences that need a change, the share whose output
  equals the reference (goal >= 90 %);
- chrF (sacrebleu, corpus level) of the outputs against the references
  (goal >= 98), with the MT itself as the baseline;
- term accuracy: the share of term occurrences the output renders, by the
  one verification rule (goal 100 %);
- lost: words of the MT that the reference keeps but the output dropped
  (an unrelated word deleted; goal 0), and beside: renderings left right
  beside a term (`glossary.enforcement.damage`, goal 0).

Then the same figures through `translate`: a scripted engine replays the
MT-like English as its translation, with a perfect alignment (the target
words that the reference changes are linked to the source term), a noisy
one (half of those links, chosen by a hash of the sentence, point at the
next word instead) and none; re-decoding is off (budget 0), so what is
measured is the cascade's replace step, which must place every term.

Baseline: with --baseline-src DIR the translate rows are also run by the
code of another checkout (e.g. main before this edit engine:
--baseline-src /work/main/src after checking out the commit), scored the
same way.

Run: .venv/bin/python benchmarks/fix_quality.py [--show] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "fix" / "nl_en_fix.tsv"
TERMBASE = ROOT / "glossary" / "termbase.tsv"


@dataclass(frozen=True)
class Row:
    id: str
    case: str
    nl: str
    mt: str
    reference: str


def read_rows(path: Path = DATA) -> list[Row]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Row(r["id"], r["case"], r["nl"], r["mt"], r["reference"]) for r in reader]


def score(rows: Sequence[Row], outputs: Sequence[str], glossary: object) -> dict[str, float]:
    import sacrebleu

    from glossary.enforcement.damage import find_damage
    from glossary.matching.verify import Glossary, verify

    assert isinstance(glossary, Glossary)
    unchanged = [(r, o) for r, o in zip(rows, outputs, strict=True) if r.mt == r.reference]
    needed = [(r, o) for r, o in zip(rows, outputs, strict=True) if r.mt != r.reference]
    occurrences = satisfied = 0
    for r, o in zip(rows, outputs, strict=True):
        occ = glossary.occurrences(r.nl)
        occurrences += len(occ)
        satisfied += verify(o, occ).satisfied
    chrf = sacrebleu.corpus_chrf(list(outputs), [[r.reference for r in rows]]).score
    lost = beside = 0
    for r, o in zip(rows, outputs, strict=True):
        kept = Counter(_words(r.mt)) & Counter(_words(r.reference))  # what the reference keeps
        lost += sum((kept - Counter(_words(o))).values())
        occ = glossary.occurrences(r.nl)
        beside += sum(1 for d in find_damage(o, occ, verify(o, occ)) if d.kind == "beside")
    return {
        "unchanged": len(unchanged),
        "unchanged_changed": sum(1 for r, o in unchanged if o != r.mt),
        "needed": len(needed),
        "exact": sum(1 for r, o in needed if o == r.reference),
        "chrf": chrf,
        "occurrences": occurrences,
        "satisfied": satisfied,
        "lost": lost,
        "beside": beside,
    }


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", text)]


def line(name: str, s: dict[str, float]) -> str:
    exact = s["exact"] / s["needed"] if s["needed"] else 0.0
    accuracy = s["satisfied"] / s["occurrences"] if s["occurrences"] else 0.0
    return (
        f"{name:<34} {int(s['unchanged_changed']):>3}/{int(s['unchanged']):<3} "
        f"{int(s['exact']):>4}/{int(s['needed']):<4} {exact:6.1%}  {s['chrf']:6.2f}  "
        f"{int(s['satisfied']):>4}/{int(s['occurrences']):<4} {accuracy:6.1%}  "
        f"{int(s['lost']):>4} {int(s['beside']):>6}"
    )


# ------------------------------------------------------------ the scripted engine

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


def changed_spans(mt: str, reference: str) -> list[tuple[int, int]]:
    """Character spans of the MT that the reference replaces (token diff)."""
    a = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(mt)]
    b = [m.group(0) for m in _TOKEN.finditer(reference)]
    spans = []
    matcher = difflib.SequenceMatcher(None, [t[2] for t in a], b, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete") and i2 > i1:
            spans.append((a[i1][0], a[i2 - 1][1]))
    return spans


def alignment(row: Row, glossary: object, quality: str) -> tuple[object, ...]:
    """Links from the source terms the MT misses to the MT words the reference changes."""
    from glossary.engines.base import Link
    from glossary.matching.verify import Glossary, verify

    assert isinstance(glossary, Glossary)
    if quality == "none":
        return ()
    occ = glossary.occurrences(row.nl)
    missing = [occ[i] for i in verify(row.mt, occ).missing]
    spans = changed_spans(row.mt, row.reference)
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\w+", row.mt)]
    links = []
    for n, (o, (start, end)) in enumerate(zip(missing, spans, strict=False)):
        if quality == "noisy":
            digest = hashlib.sha256(f"{row.id}:{n}".encode()).digest()[0]
            if digest % 2:  # half of the links point at the next word instead
                after = [t for t in tokens if t[0] >= end]
                if after:
                    start, end = after[0]
        links.append(Link(o.match.start, o.match.end, start, end, 1.0))
    return tuple(links)


class ReplayEngine:
    """Replays the MT of each row as its translation, with the chosen alignment."""

    def __init__(self, rows: Sequence[Row], glossary: object, quality: str) -> None:
        from glossary.engines.base import Capabilities

        self.rows = {r.nl: r for r in rows}
        self.links = {r.nl: alignment(r, glossary, quality) for r in rows}
        self.capabilities = Capabilities(alignment=quality != "none")
        self.signature = f"engine:replay-{quality}"

    def translate_batch(self, requests: Sequence[object]) -> list[list[object]]:
        from glossary.engines.base import Hypothesis, Request

        out: list[list[object]] = []
        for request in requests:
            assert isinstance(request, Request)
            row = self.rows.get(request.source)
            text = row.mt if row else request.source
            links = self.links.get(request.source, ()) if request.alignment else ()
            out.append([Hypothesis(text, -1.0, links)])  # type: ignore[arg-type]
        return out


def replay_outputs(data: Path, termbase: Path, quality: str) -> list[str]:
    """The cascade's outputs with the replay engine (also run against another source tree)."""
    from glossary.enforcement.cascade import EnforceOptions, Enforcer
    from glossary.matching.verify import Glossary
    from glossary.termbase.store import read_termbase

    rows = read_rows(data)
    glossary = Glossary(read_termbase(termbase).concepts)
    engine = ReplayEngine(rows, glossary, quality)
    enforcer = Enforcer(engine, glossary, EnforceOptions(redecode_budget=0.0))  # type: ignore[arg-type]
    return [r.target for r in enforcer.translate_texts([r.nl for r in rows])]


def baseline_outputs(src: Path, data: Path, termbase: Path, quality: str) -> list[str]:
    """`replay_outputs` run by the code of another checkout (`src` = its src/ folder)."""
    import json
    import os
    import subprocess

    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import fix_quality as f; "
        "from pathlib import Path; "
        "print(json.dumps(f.replay_outputs(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])))"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(data), str(termbase), quality],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    outputs: list[str] = json.loads(done.stdout)
    return outputs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--termbase", type=Path, default=TERMBASE)
    parser.add_argument("--show", action="store_true", help="Print every output that differs.")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="also run the translate rows with the code of another checkout (its src/ "
        "folder, e.g. main before this edit engine), scored the same way",
    )
    args = parser.parse_args(argv)

    from glossary.enforcement.fix import Segment, fix_segment
    from glossary.matching.verify import Glossary
    from glossary.termbase.store import read_termbase

    rows = read_rows(args.data)
    glossary = Glossary(read_termbase(args.termbase).concepts)
    print(
        f"{len(rows)} sentences ({args.data.name}); termbase {args.termbase} "
        f"({len(glossary)} approved concepts)"
    )
    print(
        f"{'':<34} {'unch.chg':>7} {'exact match':>16}  {'chrF':>6}  {'term accuracy':>15}  "
        "lost beside"
    )
    print(line("MT as given (baseline)", score(rows, [r.mt for r in rows], glossary)))
    started = time.perf_counter()
    fixed = [fix_segment(Segment(r.id, r.nl, r.mt), glossary) for r in rows]
    elapsed = time.perf_counter() - started
    print(
        line("glossary fix (termbase alignment)", score(rows, [f.fixed for f in fixed], glossary))
    )
    left = sum(len(f.left) for f in fixed)
    print(f"  {left} term occurrences left and flagged; {elapsed:.2f} s for {len(rows)} sentences")
    results: dict[str, list[str]] = {"fix": [f.fixed for f in fixed]}
    for quality in ("perfect", "noisy", "none"):
        outputs = replay_outputs(args.data, args.termbase, quality)
        results[quality] = outputs
        print(line(f"translate, {quality} alignment", score(rows, outputs, glossary)))
    if args.baseline_src:
        print(f"baseline: the code in {args.baseline_src}, scored with this one's rule")
        for quality in ("perfect", "noisy", "none"):
            outputs = baseline_outputs(args.baseline_src, args.data, args.termbase, quality)
            results[f"baseline {quality}"] = outputs
            print(line(f"  baseline, {quality} alignment", score(rows, outputs, glossary)))
    if args.show:
        for name, outputs in results.items():
            print(f"\n== {name}: outputs that differ from the reference")
            for r, o in zip(rows, outputs, strict=True):
                if o != r.reference:
                    print(f"  {r.id}\n    mt:  {r.mt}\n    out: {o}\n    ref: {r.reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
