"""A seeded mutation fuzzer over every reader of user files.

Targets come from the format registry (`glossary.files.formats`), so a new
format is fuzzed as soon as it is registered with a reader:

- `import:<format>`: every termbase reader (TBX, PO, TSV, CSV, XLSX...),
  through the whole `import_file` path into a real termbase;
- `units:<format>`: every bilingual reader (PO, XLIFF, TMX, TSV...), through
  `read_units` and then `qa.check_units` against the termbase;
- `document:<format>`: every document reader (text, Markdown, HTML...),
  through `read_document`;
- `job:<format>`: every CAT job reader (XLIFF, PO translated in place):
  read, a target written into every segment by the job writer, and the
  result read again (an unreadable result counts as a failing export);
- `source-side:<format>`: every bilingual reader read as a document (the
  `--source-side` path of `segment`, `mine` and `translate`);
- `termbase`: the termbase file itself, through `update_termbase`.

Extra targets can be added to `EXTRA_TARGETS` (a name and a function taking
the case's path and the worker's termbase).

Each case is a seed file (made by our own writers, real files from
../shared and tests/data when present, and hand-made hostile ones) with
one to four seeded mutations: bit flips, random or hostile bytes, deletions,
repeated ranges (long runs), splices of another seed, truncation, line
shuffles, re-encoding. Case `i` of a run with seed `s` is always the same
bytes, so a finding is reproduced with `--replay`.

A case runs in a worker process that the runner kills when it takes longer
than the hang limit. What is counted:

- traceback: an exception other than `GlossaryError` (a bug);
- hang: a case over the limit (default 10 s);
- changed: the termbase differs after a refused import or update;
- export failure: an accepted import or update whose termbase then fails
  to load or to export in any format.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import random
import re
import shutil
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = ROOT / "tests" / "data"
BAD = ("traceback", "hang", "changed", "export-failed")


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "import", "units", "document", "termbase", "extra"
    suffix: str
    fmt: str = ""


# name -> (suffix, function(path, termbase path)); for readers no registry lists.
EXTRA_TARGETS: dict[str, tuple[str, Callable[[Path, Path], object]]] = {}


def targets() -> list[Target]:
    """Every reader there is, from the format registry (and `EXTRA_TARGETS`)."""
    from glossary.files.formats import FORMATS

    found: list[Target] = []
    for role, kind in (
        ("termbase-reader", "import"),
        ("bilingual-reader", "units"),
        ("job-reader", "job"),
        ("document-reader", "document"),
    ):
        for fmt in FORMATS.values():
            if fmt.offers(role):
                found.append(Target(f"{kind}:{fmt.name}", kind, fmt.suffixes[0], fmt.name))
    # A bilingual file read as a document: its source side (`--source-side`).
    for fmt in FORMATS.values():
        if fmt.offers("bilingual-reader"):
            found.append(
                Target(f"source-side:{fmt.name}", "source-side", fmt.suffixes[0], fmt.name)
            )
    found.append(Target("termbase", "termbase", ".tsv"))
    for name, (suffix, _) in EXTRA_TARGETS.items():
        found.append(Target(f"extra:{name}", "extra", suffix))
    return found


# ------------------------------------------------------------------ seeds


def _base_termbase() -> Any:
    from glossary.termbase.model import Termbase, make_concept

    concepts = [
        make_concept(
            "staakt-het-vuren",
            "ceasefire",
            nl_variants=["staakt het vuren"],
            en_alternatives=["truce"],
            en_forbidden=["stop-the-fire"],
            pos="noun",
            definition="A halt to fighting.",
            note="Use in all documents.",
            context="Het staakt-het-vuren werd geschonden.",
            sources=["001.txt"],
        ),
        make_concept("OVSE", "OSCE", case_sensitive=True, pos="properNoun"),
        make_concept("Stepanakert", "", dnt=True, pos="properNoun"),
        make_concept("vredesakkoord", "peace agreement", status="proposed", subject="politics"),
        make_concept("wapenstilstand", "armistice", status="rejected"),
        make_concept("Nagorno-Karabach", "Nagorno-Karabakh", nl_variants=["Nagorno Karabach"]),
        make_concept("Armenië", "Armenia", en_alternatives=["Republic of Armenia"]),
        make_concept("Minskgroep", "Minsk Group", nl_variants=["Minsk Groep", "Minsk-groep"]),
    ]
    return Termbase(tuple(concepts))


def _seed_documents() -> list[tuple[str, str]]:
    """(name, text) of seed documents, cut to a few KB so cases stay fast."""
    docs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        docs.append((path.name, path.read_text("utf-8")[:4000]))
    return docs


def _translated(docs: list[tuple[str, str]]) -> list[Any]:
    from glossary.document import TranslatedDocument, TranslatedSegment
    from glossary.reading.ingest import read_document

    out = []
    for name, text in docs[:2]:
        document = read_document(name, text=text[:1500])
        segments = tuple(
            TranslatedSegment(seg, f"English of {seg.text[:30]}") for seg in document.segments
        )
        out.append(TranslatedDocument(document, segments, signature="engine=fuzz"))
    return out


def _real_files(*suffixes: str) -> list[bytes]:
    """Files other tools made: ../shared samples and tests/data, when present."""
    found: list[bytes] = []
    for folder in (SHARED / "tbx", DATA):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if (
                    path.is_file()
                    and path.name.lower().endswith(suffixes)
                    and path.stat().st_size <= 200_000
                ):
                    found.append(path.read_bytes())
    return found[:20]


def _written_document(fmt_name: str) -> list[bytes]:
    """A seed document written by the format's own document writer, when it
    has one that needs no original file (subtitles need their cues: none)."""
    from glossary.document import TranslatedDocument, TranslatedSegment
    from glossary.files.formats import get
    from glossary.reading.ingest import read_document

    fmt = get(fmt_name)
    if not fmt.offers("document-writer"):
        return []
    name, text = _seed_documents()[0]
    document = read_document(name, text=text[:1500])
    translated = TranslatedDocument(
        document, tuple(TranslatedSegment(s, s.text) for s in document.segments)
    )
    try:
        writer = fmt.function("document-writer")
        stream = io.BytesIO()
        writer(translated, stream)
    except Exception:  # a writer that needs its original file: no made seed
        return []
    return [stream.getvalue()]


HOSTILE_DOCUMENTS = [
    b"Inhoud\n\n1. Inleiding " + b"." * 60 + b" 3\n2. Doel " + b"." * 60 + b" 5\n",
    b"<p>Tekst" + b"<br>" * 3000 + b"einde.</p>",
    b"Tekst " + b"[" * 2000 + b"a" + b"](b)" * 2000 + b"\n",
    b"Woord " + b"a" * 20000 + " Armenié.\n".encode(),
    b"\xef\xbb\xbfDe OVSE-groep\xc2\xa0nam deel.\x0c\nPagina 2\n\n\n\nDe tekst gaat verder.\n",
    b"\xff\xfeD\x00e\x00 \x00t\x00e\x00k\x00s\x00t\x00.\x00",
]


def seeds(target: Target) -> list[bytes]:
    """The seed files of one target."""
    from glossary.exchange import registry
    from glossary.exchange.registry import ExportOptions
    from glossary.termbase.model import serialize_tsv

    termbase = _base_termbase()
    if target.kind in ("import", "termbase"):
        out = [serialize_tsv(termbase).encode()]
        fmt = registry.get(target.fmt) if target.kind == "import" else None
        if fmt is not None and fmt.offers("termbase-writer"):
            stream = io.StringIO()
            fmt.function("termbase-writer")(termbase.concepts, stream, ExportOptions(header=True))
            out = [stream.getvalue().encode()]
        if fmt is not None:
            out.extend(_real_files(*fmt.suffixes))
        return out
    if target.kind in ("units", "source-side", "job"):
        docs = _translated(_seed_documents())
        fmt = registry.get(target.fmt)
        stream = io.StringIO()
        if fmt.offers("bilingual-writer"):
            fmt.function("bilingual-writer")(docs, stream)
        else:
            from glossary.translation.writers import write_tsv

            write_tsv(docs, stream)
        return [stream.getvalue().encode(), *_real_files(*fmt.suffixes)]
    if target.kind == "document" and target.fmt not in ("text", "markdown", "html"):
        fmt = registry.get(target.fmt)
        real = _real_files(*fmt.suffixes)
        made = _written_document(target.fmt)
        return [*real, *made] or [b"no seed"]
    if target.kind == "document":
        fmt = registry.get(target.fmt)
        texts = [text.encode() for _, text in _seed_documents()[:3]]
        texts.extend(_real_files(*fmt.suffixes))
        if target.fmt == "markdown":
            texts.append(
                b"# Titel ##\n\n* punt [link](http://x.nl) en **vet**\n\n> citaat[^1]\n\n"
                b"[^1]: Noot.\n\n```\ncode\n```\n| a | b |\n"
            )
        if target.fmt == "html":
            texts.append(
                b"<html><head><script>x</script></head><body><h1>Titel</h1><p>Een <b>zin</b>."
                b"<br/>Nog een.</p><ul><li>punt</li></ul><!-- c --></body></html>"
            )
        return texts + HOSTILE_DOCUMENTS
    return [b"extra seed\n"]


# -------------------------------------------------------------- mutations

TOKENS: list[bytes] = [
    b"\x00",
    b"\x1b[31m",
    b"\r",
    b"\r\n",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xed\xa0\x80",
    b"\xff\xfe",
    b"\xf4\x90\x80\x80",
    b'"',
    b"'",
    b",",
    b";",
    b"|",
    b" | ",
    b'=HYPERLINK("x")',
    b"&amp;",
    b"&a;",
    b"&#0;",
    b"&#x1F;",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    b"<![CDATA[",
    b"]]>",
    b"<?xml version='1.0' encoding='latin-1'?>",
    b'xml:lang="nl"',
    b'xml:lang="en"',
    b'id="_xFFFFFFFF_"',
    b"_xD800_",
    b"<tig><term>",
    b"</term></tig>",
    b"<termEntry>",
    b'<trans-unit id="1"><source>',
    b'<tu><tuv xml:lang="nl"><seg>',
    b'msgid "',
    b'msgstr "',
    b'msgstr[0] "',
    b'msgid_plural "',
    b"#, fuzzy\n",
    b'msgctxt "',
    b"\\",
    b'\\"',
    b"/etc/passwd",
    b"[",
    b"](",
    b"**",
    b"__",
    b"#",
    b">",
    b"<br>",
    b"<p>",
    b"<script>",
    b"<!--",
    b"...",
    b"\x0c",
    b"-\n",
    b"\xc2\xad",
    b"\xef\xac\x81",
    "é".encode(),
    "Armenié".encode(),
    b"1.",
    b"9" * 5000,
    b"[" * 3000,
]


TEXT_VALUES: list[str] = [
    "",
    " ",
    "staakt-het-vuren",
    "OVSE",
    "a\u2028b",
    "a\u0085b",
    "x" * 5000,
    "=1+1",
    "-achtig",
    "a | b",
    "é" * 50,
    "😀",
    "\u202e",
    "&lt;b&gt;",
    "1e",
    "_x0041_",
    "deprecatedTerm-admn-sts",
    "preferredTerm-admn-sts",
    "nl",
    "en",
    "EN-GB",
    "NL-be",
    "Status: proposed (not yet approved).",
    "Do not translate: copy this name unchanged.",
]
_XML_TEXT = re.compile(rb">([^<>]{0,200})<")
_XML_ATTRIBUTE = re.compile(rb'="([^"]{0,200})"')
_XML_ELEMENT = re.compile(rb"<(\w+)[^<>]*>[^<]{0,200}</\1>")
_FIELD = re.compile(rb"[^\t,;\n\"]{1,80}")


def _xml_escape(text: str, rng: random.Random) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;")
    if rng.random() < 0.1:
        escaped += rng.choice(("&#1;", "&#xFFFE;", "&#x1F600;", "&#133;", "&#8232;"))
    return escaped.encode("utf-8", "surrogateescape")


def mutate_structure(data: bytes, rng: random.Random) -> bytes:
    """A mutation that keeps XML well-formed (or a row's shape), so the case
    reaches the code behind the parser."""
    xml = data.lstrip(b"\xef\xbb\xbf \n").startswith(b"<")
    pattern = rng.choice((_XML_TEXT, _XML_ATTRIBUTE, _XML_ELEMENT)) if xml else _FIELD
    found = list(pattern.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    if pattern is _XML_ELEMENT:
        start, end = match.span()
        chunk = data[start:end]
        if rng.random() < 0.4:
            return data[:start] + data[end:]  # drop the element
        return data[:start] + chunk * rng.choice((2, 3, 50)) + data[end:]
    value = rng.choice(TEXT_VALUES)
    if rng.random() < 0.3:
        value = value * rng.randint(2, 20)
    new = _xml_escape(value, rng) if xml else value.encode("utf-8", "surrogateescape")
    start, end = match.span(1) if pattern is not _FIELD else match.span()
    return data[:start] + new + data[end:]


def mutate_zip_member(data: bytes, rng: random.Random) -> bytes:
    """For a ZIP container (xlsx, docx...): mutate one member's content and zip
    it again, so the case reaches the XML inside rather than the deflate stream."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            items = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # not a readable zip (any more): mutate the bytes
        return data
    if not items:
        return data
    index = rng.randrange(len(items))
    info, content = items[index]
    items[index] = (info, mutate_structure(content, rng) if rng.random() < 0.7 else content[::-1])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, payload in items:
            archive.writestr(item, payload)
    return out.getvalue()


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One mutation of `data`."""
    if data.startswith(b"PK\x03\x04") and rng.random() < 0.6:
        return mutate_zip_member(data, rng)
    if rng.random() < 0.5:
        return mutate_structure(data, rng)
    n = len(data)
    pick = rng.randrange(12)
    at = rng.randint(0, n)
    if pick == 0 and n:  # flip bits
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
        return bytes(buf)
    if pick == 1:  # random bytes
        return data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
    if pick in (2, 3):  # a hostile token
        return data[:at] + rng.choice(TOKENS) + data[at:]
    if pick == 4 and n:  # delete a range
        end = min(n, at + rng.randint(1, max(1, n // 4)))
        return data[:at] + data[end:]
    if pick == 5 and n:  # repeat a range: long runs, deep nesting
        end = min(n, at + rng.randint(1, 16))
        return data[:at] + data[at:end] * rng.choice((2, 10, 100, 1000)) + data[end:]
    if pick == 6:  # truncate (a half-written file, a cut PO string)
        return data[: rng.randint(0, n)]
    if pick == 7 and others:  # splice another seed
        other = rng.choice(others)
        cut = rng.randint(0, len(other))
        return data[:at] + other[cut : cut + rng.randint(1, 400)] + data[at:]
    if pick == 8:  # shuffle or duplicate lines
        lines = data.split(b"\n")
        if len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, lines[j])
        return b"\n".join(lines)
    if pick == 9:  # re-encode
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        encoding = rng.choice(("utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"))
        return text.encode(encoding, "replace")
    if pick == 10:  # line endings
        return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b"\x85")))
    return data[:at] + rng.choice(TOKENS) * rng.randint(1, 50) + data[at:]


def case(target: Target, corpus: list[bytes], seed: int, index: int) -> bytes:
    """Case `index` of a run: always the same bytes for the same seed."""
    digest = hashlib.sha256(f"{seed}:{target.name}:{index}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    data = rng.choice(corpus)
    for _ in range(rng.randint(1, 4)):
        data = mutate(data, rng, corpus)
    return data[:2_000_000]


# ------------------------------------------------------------------ running


def _export_all(termbase_path: Path) -> None:
    """Load the termbase and run every export writer on it (exceptions propagate)."""
    from glossary.exchange import registry
    from glossary.exchange.registry import ExportOptions
    from glossary.termbase.store import read_termbase, termbase_concepts

    termbase = read_termbase(termbase_path)
    for name in registry.TERMBASE_EXPORTS:
        writer = registry.get(name).function("termbase-writer")
        concepts = [c for c in termbase_concepts(termbase_path)]
        if name == "tbx" and not concepts:
            continue  # TBX 2008 needs one entry; refused with a message
        writer(concepts, io.StringIO(), ExportOptions())
        writer(iter(termbase.concepts), io.StringIO(), ExportOptions(escape_formulas=True))


def run_case(target: Target, data: bytes, work: Path, base: bytes) -> tuple[str, str]:
    """(outcome, detail) of one case, in the worker: "accepted", "refused" or a BAD one."""
    from glossary.errors import GlossaryError

    termbase = work / "glossary" / "termbase.tsv"
    termbase.write_bytes(base)
    path = work / f"case{target.suffix}"
    path.write_bytes(data)
    before = termbase.read_bytes()
    try:
        if target.kind == "import":
            from glossary.exchange.importing import import_file

            report = import_file(termbase, path, fmt=target.fmt, skip_invalid=True)
            changed = report.written
        elif target.kind == "units":
            from glossary.exchange.importing import read_units
            from glossary.qa import check_units
            from glossary.termbase.store import read_termbase

            units = read_units(path, target.fmt)
            check_units(units, read_termbase(termbase).concepts)
            changed = False
        elif target.kind == "job":
            from glossary.exchange.jobs import TargetUpdate, read_job, write_job

            job = read_job(data, path.name, target.fmt)
            updates = [
                TargetUpdate(seg.key, f"English {n} & <b>")
                for n, seg in enumerate(job.segments)
                if seg.translate and not seg.locked
            ]
            written = write_job(data, path.name, updates, fmt=target.fmt)
            try:
                read_job(written, path.name, target.fmt)
            except GlossaryError:
                return "export-failed", "the job writer's output does not read back:\n" + (
                    traceback.format_exc()[-2000:]
                )
            changed = False
        elif target.kind in ("document", "source-side"):
            from glossary.reading.ingest import read_document

            document = read_document(str(path), source_side=target.kind == "source-side")
            for segment in document.segments:
                assert isinstance(segment.text, str)
            changed = False
        elif target.kind == "termbase":
            from glossary.termbase import model as tbm
            from glossary.termbase.store import update_termbase

            termbase.write_bytes(data)
            before = data
            update_termbase(
                termbase, lambda tb: tbm.add(tb, tbm.make_concept("fuzzterm", "fuzz term"))
            )
            changed = True
        else:
            EXTRA_TARGETS[target.name.split(":", 1)[1]][1](path, termbase)
            changed = termbase.read_bytes() != before
    except GlossaryError as exc:
        if termbase.read_bytes() != before:
            return "changed", f"{type(exc).__name__}: {exc}"[:2000]
        return "refused", type(exc).__name__
    except Exception:
        return "traceback", traceback.format_exc()[-3000:]
    if changed:
        try:
            _export_all(termbase)
        except Exception:
            return "export-failed", traceback.format_exc()[-3000:]
    return "accepted", ""


def _worker(conn: Any, work: str, base: bytes) -> None:
    folder = Path(work)
    (folder / "glossary").mkdir(parents=True, exist_ok=True)
    while True:
        message = conn.recv()
        if message is None:
            return
        target, data = message
        conn.send(run_case(target, data, folder, base))


@dataclass
class Tally:
    cases: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    findings: list[tuple[str, int, str, str]] = field(default_factory=list)


class Runner:
    """Runs cases in a worker process that is killed and replaced on a hang."""

    def __init__(self, hang_limit: float = 10.0) -> None:
        from glossary.termbase.model import serialize_tsv

        self.hang_limit = hang_limit
        self.base = serialize_tsv(_base_termbase()).encode()
        self.work = Path(tempfile.mkdtemp(prefix="glossary-fuzz-"))
        self._ctx = multiprocessing.get_context("fork")
        self._start()

    def _start(self) -> None:
        self.conn, child = self._ctx.Pipe()
        self.process = self._ctx.Process(
            target=_worker, args=(child, str(self.work), self.base), daemon=True
        )
        self.process.start()
        child.close()

    def run(self, target: Target, data: bytes) -> tuple[str, str, float]:
        started = time.monotonic()
        self.conn.send((target, data))
        if self.conn.poll(self.hang_limit):
            try:
                outcome, detail = self.conn.recv()
            except EOFError:  # the worker died (a crash in C code)
                outcome, detail = "traceback", f"worker died: exit {self.process.exitcode}"
                self._restart()
            return outcome, detail, time.monotonic() - started
        self._restart()
        return "hang", f"more than {self.hang_limit:.0f} s", time.monotonic() - started

    def _restart(self) -> None:
        self.process.kill()
        self.process.join()
        self._start()

    def close(self) -> None:
        if self.process.is_alive():
            self.conn.send(None)
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
        shutil.rmtree(self.work, ignore_errors=True)


def fuzz(
    cases_per_target: int,
    seed: int = 1,
    hang_limit: float = 10.0,
    only: str = "",
    progress: Callable[[str, Tally], None] | None = None,
) -> dict[str, Tally]:
    """Run `cases_per_target` cases on every target; the tallies by target."""
    tallies: dict[str, Tally] = {}
    runner = Runner(hang_limit)
    try:
        for target in targets():
            if only and only not in target.name:
                continue
            corpus = seeds(target)
            tally = tallies.setdefault(target.name, Tally())
            for index in range(cases_per_target):
                data = case(target, corpus, seed, index)
                outcome, detail, took = runner.run(target, data)
                tally.cases += 1
                tally.outcomes[outcome] += 1
                tally.slowest = max(tally.slowest, took)
                if outcome in BAD:
                    tally.findings.append((outcome, index, detail, data.hex()[:200_000]))
            if progress is not None:
                progress(target.name, tally)
    finally:
        runner.close()
    return tallies


def replay(target_name: str, seed: int, index: int) -> bytes:
    """The bytes of one case, to reproduce a finding."""
    target = next(t for t in targets() if t.name == target_name)
    return case(target, seeds(target), seed, index)


def totals(tallies: dict[str, Tally]) -> Counter[str]:
    total: Counter[str] = Counter()
    for tally in tallies.values():
        total["cases"] += tally.cases
        total.update(tally.outcomes)
    return total
