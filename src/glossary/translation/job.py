"""A translation job: documents in, translated files and a term report out.

What `glossary translate` does, as a library that a command line, a web UI
or a distributed runner call alike. Four separable steps:

1. `plan_job(request) -> JobPlan`: everything that can fail before the long
   work, fails there: the options, the output format and its writer, the
   engine ("auto" resolved to an installed model or to "none", with a
   note), the inputs (folders expanded, skipped files named, every
   document read), the termbase, and every output path (one file, or one
   per document in an output folder; the report). An output can never be
   an input or the termbase, two outputs never the same file.
2. `make_strategy(plan)`: the engine and the enforcement strategy (loading
   the model is the slow part). A remote worker builds its own from the
   same plan.
3. `translate_one(strategy, document)` translates one document;
   `run_job(plan)` translates them all (identical texts across documents
   once) and builds the term report. A document's translation does not
   depend on the other documents of the run, so per-document results
   computed elsewhere are the same bytes.
4. `write_outputs(plan, result)` renders every output and writes them all
   or none (`glossary.files.outputs.write_all`): an error or Ctrl-C leaves
   no partial file and no mix of old and new files.

Warnings and notes are returned in the plan and the result, never printed.
"""

from __future__ import annotations

import dataclasses
import io
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal

from glossary.document import Document, SegmentTranslator, TranslatedDocument
from glossary.errors import (
    InvalidValue,
    ModelNotInstalled,
    OptionConflict,
    OutputError,
    TermbaseNotFound,
)
from glossary.files.inputs import STDIN
from glossary.files.outputs import OutputFile, Render, check_target, write_all
from glossary.reading import ingest
from glossary.reading.sources import Skipped, gather
from glossary.translation import writers
from glossary.translation.pipeline import Progress, plan, translate_documents

if TYPE_CHECKING:
    from glossary.enforcement.cascade import StepNote
    from glossary.enforcement.report import EnforcementReport
    from glossary.engines.argos.packages import Package
    from glossary.exchange.jobs import Job as CatJob
    from glossary.exchange.jobs import TargetUpdate
    from glossary.termbase.model import Concept

ENGINES: Final = ("argos", "none", "auto")
REPORT_FORMATS: Final = ("table", "json")
ReportFormat = Literal["table", "json"]


@dataclass(frozen=True)
class JobRequest:
    """What to translate and where to put it (the options of `glossary translate`)."""

    inputs: tuple[str, ...]
    output: str | None = None  # one file for everything; "-" (or None) is stdout
    out_dir: str | None = None  # one file per document in this folder
    format: str | None = None  # default: from the output's suffix, else "text"
    engine: str = "argos"  # "argos", "none", or "auto" (argos when installed, else none)
    beam: int = 4
    threads: int | None = None
    glossary: bool = True  # enforce the termbase's approved terms
    termbase: str | None = None  # default: the project's glossary/termbase.tsv
    report: str | None = None  # the term report; "-" is stdout
    report_format: ReportFormat | None = None  # default: json for a .json report, else table
    strict: bool = False  # a failed term is an error (the report must exist)
    redecode_budget: float = 0.10  # share of the source text repairs may re-decode
    repair: bool = True  # OCR diacritic repair while reading
    source_side: bool = False  # read bilingual inputs as their source side
    # CAT jobs (XLIFF, PO given as inputs): which existing targets to translate
    # again ("": none; "drafts": those nobody accepted; "all": every one that
    # is not locked), the languages to read as Dutch and English, and writing
    # the result over the input itself.
    overwrite: str = ""
    source_lang: str = ""
    target_lang: str = ""
    in_place: bool = False


@dataclass(frozen=True)
class Outputs:
    """Where every output goes."""

    format: str  # the output format; "document" when documents keep their own formats
    files: tuple[Path, ...] = ()  # one for -o, one per document for an output folder
    formats: tuple[str, ...] = ()  # the format of each document's translation
    out_dir: Path | None = None
    report: Path | None = None
    report_stdout: bool = False
    report_json: bool = False

    @property
    def stdout(self) -> bool:
        """The translation goes to stdout."""
        return not self.files


@dataclass(frozen=True)
class CatInput:
    """A CAT bilingual file given to translate in place: its bytes, its segments,
    and the document of the segments to translate (`Segment.index` is the
    position in `job.segments`)."""

    path: str
    data: bytes
    job: CatJob
    document: Document
    skipped: dict[str, int] = field(default_factory=dict)  # why segments were left


@dataclass(frozen=True)
class JobPlan:
    """A job ready to run: documents read, engine chosen, outputs checked."""

    request: JobRequest
    documents: tuple[Document, ...]
    outputs: Outputs
    engine: str  # "argos" or "none"
    package: Package | None = None
    concepts: tuple[Concept, ...] | None = None  # approved terms to enforce; None: none
    termbase: Path | None = None
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()  # how things were decided ("translating with --engine none")
    warnings: tuple[str, ...] = ()  # about the inputs and the termbase
    segments: int = 0  # segments to translate, duplicates included
    distinct: int = 0  # distinct segment texts to translate
    cat: tuple[CatInput, ...] = ()  # CAT files translated in place (then documents are theirs)


@dataclass(frozen=True)
class JobResult:
    """The translated documents, the term report, and how long it took."""

    documents: tuple[TranslatedDocument, ...]
    signature: str
    seconds: float
    report: EnforcementReport | None = None
    written: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def failed(self) -> int:
        """Approved term occurrences that could not be enforced."""
        return self.report.failed if self.report is not None else 0


# ---------------------------------------------------------------------- plan


def plan_job(request: JobRequest) -> JobPlan:
    """Check everything, read the inputs and plan the outputs (see the module doc)."""
    _check_options(request)
    notes: list[str] = []
    inputs = gather(request.inputs, source_side=request.source_side)
    cat = _cat_inputs(request, inputs.files, notes)
    fmt: str | None = None
    if not cat:  # a CAT file is written as what it is, whatever -o is called
        fmt = request.format or (
            writers.format_for_path(str(request.output)) if _to_file(request.output) else None
        )
    if fmt is not None:
        writers.get_writer(fmt)  # a missing writer module is an error now, not after the work
        if writers.is_binary(fmt) and not _to_file(request.output) and request.out_dir is None:
            raise InvalidValue(
                f"A {fmt} translation is a file, not text for the terminal: give "
                f"-o FILE{writers.extension(fmt)} or --out-dir DIR."
            )
    if _to_file(request.output):
        check_target(Path(str(request.output)))
    report = _report_path(request)
    if report is not None and not _inside(report, request.out_dir):
        check_target(report, "the report")  # --out-dir is created when writing
    engine, package = _choose_engine(request.engine, notes)
    warnings: list[str] = []
    if cat:
        documents = tuple(c.document for c in cat)
        warnings.extend(w for c in cat for w in c.job.warnings)
    else:
        if request.overwrite or request.in_place or request.source_lang or request.target_lang:
            raise OptionConflict(
                "--overwrite, --in-place, --source-lang and --target-lang are for CAT "
                "files (XLIFF, PO) translated in place, not for documents."
            )
        documents = tuple(
            ingest.read_document(path, repair=request.repair, source_side=request.source_side)
            for path in inputs.files
        )
    warnings.extend(w for d in documents for w in d.warnings)
    notes.extend(n for d in documents for n in d.notes)
    termbase, concepts = _termbase(request, report, warnings)
    if cat:
        outputs = _plan_cat_outputs(request, cat, report, termbase)
    else:
        chosen = _output_formats(request, fmt, documents, notes)
        outputs = _plan_outputs(request, chosen, inputs.files, report, termbase)
    work = plan(documents)
    return JobPlan(
        request=request,
        documents=documents,
        outputs=outputs,
        engine=engine,
        package=package,
        concepts=concepts,
        termbase=termbase,
        skipped=inputs.skipped,
        notes=tuple(notes),
        warnings=tuple(warnings),
        segments=work.total,
        distinct=work.unique,
        cat=cat,
    )


def _output_formats(
    request: JobRequest, fmt: str | None, documents: Sequence[Document], notes: list[str]
) -> tuple[str, ...]:
    """The format each document's translation is written in.

    Given (--format, or the -o suffix): that one, if it can hold every document.
    Else with --out-dir each document's own (a PDF as DOCX); on stdout one
    document's own when it is text (Markdown, HTML, subtitles), else text.
    """
    if fmt is not None:
        for document in documents:
            writers.check_writable(fmt, document)
        if writers.is_binary(fmt) and len(documents) > 1 and request.out_dir is None:
            raise InvalidValue(
                f"A {fmt} file holds one document; {len(documents)} inputs were given. "
                "Use --out-dir DIR to write one file per input."
            )
        return tuple(fmt for _ in documents)
    natural = [writers.natural_format(d) for d in documents]
    if request.out_dir is not None:
        return tuple(natural)
    if len(documents) == 1 and not writers.is_binary(natural[0]):
        return (natural[0],)
    for document, name in zip(documents, natural, strict=True):
        if writers.is_binary(name):
            notes.append(
                f"The translation of {document.path} is shown as text; give -o "
                f"FILE{writers.extension(name)} or --out-dir DIR for a {name} file."
            )
    return tuple("text" for _ in documents)


# ------------------------------------------------------------------ CAT jobs

OVERWRITE: Final = ("", "drafts", "all")


def _cat_inputs(
    request: JobRequest, files: Sequence[str], notes: list[str]
) -> tuple[CatInput, ...]:
    """The inputs that are CAT files to translate in place (all or none of them)."""
    from glossary.exchange.jobs import LanguageChoice, check_languages, read_job
    from glossary.files import formats
    from glossary.files.inputs import read_bytes, read_head

    if request.source_side:
        return ()
    found: list[tuple[str, bytes, formats.Format]] = []
    others: list[str] = []
    for path in files:
        if path == STDIN:
            others.append(path)
            continue
        head = read_head(Path(path), formats.HEAD) if Path(path).is_file() else b""
        fmt = formats.detect(path, head, "job-reader").format
        if fmt is not None and fmt.offers("job-reader"):
            found.append((path, read_bytes(path), fmt))
        else:
            others.append(path)
    if not found:
        return ()
    if others:
        raise OptionConflict(
            f"Translate CAT files ({', '.join(p for p, _, _ in found[:3])}) and documents "
            f"({', '.join(others[:3])}) in separate runs: a CAT file is translated in place."
        )
    if request.overwrite not in OVERWRITE:
        raise InvalidValue(f"--overwrite takes drafts or all, not {request.overwrite!r}.")
    choice = LanguageChoice(request.source_lang, request.target_lang)
    out = []
    for path, data, fmt in found:
        if request.format not in (None, fmt.name):
            raise OptionConflict(
                f"{path} is {fmt.label}; it is translated in place and written as "
                f"{fmt.name}, not {request.format}. Leave out --format."
            )
        job = read_job(data, path, fmt.name)
        notes.extend(check_languages(job, choice))
        document, skipped = _job_document(job, request.overwrite)
        out.append(CatInput(path, data, job, document, skipped))
    return tuple(out)


def _job_document(job: CatJob, overwrite: str) -> tuple[Document, dict[str, int]]:
    """The segments of a job to translate, as a document: every segment that may
    be translated and has no target (or one `overwrite` allows replacing)."""
    from glossary.document import Paragraph, Segment

    skipped: dict[str, int] = {}
    paragraphs: list[Paragraph] = []
    for index, seg in enumerate(job.segments):
        reason = ""
        if not seg.translate:
            reason = "translate=no"
        elif seg.locked:
            reason = "locked"
        elif not seg.source.strip():
            reason = "no text"
        elif seg.status != "new" and not (
            overwrite == "all" or (overwrite == "drafts" and seg.status == "draft")
        ):
            reason = f"already {seg.status}"
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        line = seg.line or 0
        segment = Segment(
            doc=job.path,
            index=index,
            paragraph=len(paragraphs),
            text=seg.source,
            line=line,
            end_line=line,
            start=0,
            end=len(seg.source),
            codes=seg.source_codes,
            where=f"{job.path}: {seg.ref}",
        )
        paragraphs.append(Paragraph(len(paragraphs), "text", (segment,), line))
    return Document(job.path, tuple(paragraphs)), skipped


def _plan_cat_outputs(
    request: JobRequest,
    cat: Sequence[CatInput],
    report: Path | None,
    termbase: Path | None,
) -> Outputs:
    """Where each CAT file goes: itself (--in-place), -o FILE (one input),
    --out-dir (same names), or stdout (one input)."""
    fmt = cat[0].job.format
    if len(cat) > 1 and not (request.in_place or request.out_dir is not None):
        raise OptionConflict(
            "Several CAT files: write them with --out-dir DIR (same names) or --in-place."
        )
    if request.in_place:
        files = tuple(Path(c.path) for c in cat)
        for target in files:
            if termbase is not None and _same_file(target, termbase):
                raise OutputError(f"Refusing to overwrite the termbase {target}.")
        return Outputs(
            format=fmt,
            files=files,
            report=report,
            report_stdout=request.report == STDIN,
            report_json=_report_json(request),
        )
    plain = JobRequest(
        inputs=request.inputs,
        output=request.output,
        out_dir=request.out_dir,
        report=request.report,
        report_format=request.report_format,
    )
    planned = _plan_outputs(
        plain, [fmt for _ in cat], [c.path for c in cat], report, termbase, keep_names=True
    )
    return planned


def _report_json(request: JobRequest) -> bool:
    return request.report_format == "json" or (
        request.report_format is None
        and request.report not in (None, STDIN)
        and Path(str(request.report)).suffix.lower() == ".json"
    )


def cat_updates(
    cat: CatInput, translated: TranslatedDocument
) -> tuple[list[TargetUpdate], dict[str, list[str]]]:
    """The new targets of a CAT file (machine translation marks) and the term hints
    of its segments, keyed by segment key."""
    from glossary.exchange.jobs import TargetUpdate
    from glossary.exchange.registry import term_hint

    updates: list[TargetUpdate] = []
    hints: dict[str, list[str]] = {}
    for ts in translated.segments:
        seg = cat.job.segments[ts.segment.index]
        if ts.target.strip():
            updates.append(TargetUpdate(seg.key, ts.target, ts.codes, "mt"))
        lines = [term_hint(use) for use in ts.terms]
        lines += [f"Inline code {p.code_id}: {p.problem}" for p in ts.code_problems]
        hints[seg.key] = lines
    return updates, hints


def _to_file(output: str | None) -> bool:
    return output not in (None, STDIN)


def _check_options(request: JobRequest) -> None:
    if request.output is not None and request.out_dir is not None:
        raise OptionConflict("Give either -o/--output or --out-dir, not both.")
    if request.in_place and (request.output is not None or request.out_dir is not None):
        raise OptionConflict("--in-place writes over the inputs; leave out -o and --out-dir.")
    if not request.glossary and (
        request.report or request.strict or request.termbase or request.report_format
    ):
        raise OptionConflict(
            "--no-glossary turns term enforcement off; --termbase, --report, "
            "--report-format and --strict need it on."
        )
    if request.report == STDIN and not _to_file(request.output) and request.out_dir is None:
        raise OptionConflict("The translation goes to stdout; write the report to a file.")
    if request.engine not in ENGINES:
        raise InvalidValue(f"Unknown engine {request.engine!r}; use one of: {', '.join(ENGINES)}.")
    if request.report_format not in (None, *REPORT_FORMATS):
        raise InvalidValue(
            f"Unknown report format {request.report_format!r}; use one of: "
            f"{', '.join(REPORT_FORMATS)}."
        )
    if not request.inputs:
        raise InvalidValue("No input given. Name files or folders, or '-' for stdin.")


def _report_path(request: JobRequest) -> Path | None:
    return Path(request.report) if request.report not in (None, STDIN) else None


def _inside(path: Path, folder: str | None) -> bool:
    return folder is not None and path.parent.resolve() == Path(folder).resolve()


def _choose_engine(name: str, notes: list[str]) -> tuple[str, Package | None]:
    """("argos", its package) or ("none", None); "auto" falls back to none with a note."""
    if name == "none":
        return "none", None
    from glossary.engines.argos.packages import find_package

    if name == "auto":
        try:
            return "argos", find_package("nl", "en")
        except ModelNotInstalled as exc:
            notes.append(f"{exc}; translating with --engine none (term hints only).")
            return "none", None
    return "argos", find_package("nl", "en")


def _termbase(
    request: JobRequest, report: Path | None, warnings: list[str]
) -> tuple[Path | None, tuple[Concept, ...] | None]:
    """The termbase (to protect from outputs) and its approved concepts to enforce."""
    from glossary.termbase.store import find_termbase, read_termbase

    if not request.glossary:
        try:
            return find_termbase(), None  # not used, but never overwritten either
        except TermbaseNotFound:
            return None, None
    if request.termbase:
        path = Path(request.termbase)
    else:
        try:
            path = find_termbase()
        except TermbaseNotFound as exc:
            if report is not None or request.report or request.strict:
                raise
            warnings.append(
                f"{exc} Term enforcement is OFF: approved terms are not enforced. Pass "
                "--no-glossary to say that is what you want, or --strict to make a missing "
                "termbase an error."
            )
            return None, None
    return path, tuple(read_termbase(path).concepts)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.samefile(b)
    except OSError:
        return False


def _plan_outputs(
    request: JobRequest,
    chosen: Sequence[str],
    inputs: Sequence[str],
    report: Path | None,
    termbase: Path | None,
    *,
    keep_names: bool = False,
) -> Outputs:
    files: list[Path] = []
    out_dir = Path(request.out_dir) if request.out_dir is not None else None
    fmt = chosen[0] if chosen and len(set(chosen)) == 1 else "document"
    if not chosen:
        fmt = request.format or "text"
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError(f"--out-dir {out_dir} is a file, not a folder.")
        stems = ["stdin" if p == STDIN else Path(p).stem for p in inputs]
        names = (
            [Path(p).name for p in inputs]
            if keep_names
            else [stem + writers.extension(f) for stem, f in zip(stems, chosen, strict=True)]
        )
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise OutputError(
                f"Several inputs would be written to the same file in {out_dir}: "
                f"{', '.join(clashes)}. Translate them in separate runs."
            )
        files = [out_dir / name for name in names]
    elif _to_file(request.output):
        files = [Path(str(request.output))]
    sources = [Path(p) for p in inputs if p != STDIN]
    for target in files:
        for source in sources:
            if _same_file(target, source):
                raise OutputError(f"Refusing to overwrite the input {target} with its translation.")
        if termbase is not None and _same_file(target, termbase):
            raise OutputError(f"Refusing to overwrite the termbase {target} with a translation.")
    if report is not None:
        for source in sources:
            if _same_file(report, source):
                raise OutputError(
                    f"Refusing to write the report to {report}: it is an input of this run."
                )
        if termbase is not None and _same_file(report, termbase):
            raise OutputError(f"Refusing to write the report to {report}: it is the termbase.")
        if any(_same_file(report, target) for target in files):
            raise OutputError(
                f"Refusing to write the report to {report}: the translation goes there."
            )
    report_json = request.report_format == "json" or (
        request.report_format is None
        and request.report not in (None, STDIN)
        and Path(str(request.report)).suffix.lower() == ".json"
    )
    return Outputs(
        format=fmt,
        files=tuple(files),
        formats=tuple(chosen),
        out_dir=out_dir,
        report=report,
        report_stdout=request.report == STDIN,
        report_json=report_json,
    )


# ----------------------------------------------------------------------- run


def make_strategy(plan: JobPlan) -> SegmentTranslator:
    """The translation strategy of a plan: the engine (loaded now: the slow part),
    and enforcement of the approved terms (or term hints with --engine none)."""
    from glossary.engines.registry import load_engine
    from glossary.translation.pipeline import PlainTranslator

    request = plan.request
    engine = load_engine(
        plan.engine, beam_size=request.beam, threads=request.threads, package=plan.package
    )
    if plan.concepts is None:
        # the engine's word alignment places inline codes (CAT jobs), when there are any
        codes = any(s.codes for d in plan.documents for s in d.segments)
        return PlainTranslator(engine, alignment=codes)
    from glossary.enforcement.cascade import EnforceOptions, Enforcer
    from glossary.enforcement.hints import Hinter
    from glossary.matching.verify import Glossary

    glossary = Glossary(plan.concepts)
    if plan.engine == "none":
        return Hinter(engine, glossary)
    return Enforcer(engine, glossary, EnforceOptions(redecode_budget=request.redecode_budget))


def translate_one(
    strategy: SegmentTranslator, document: Document, *, progress: Progress | None = None
) -> TranslatedDocument:
    """One document's translation, the same as in a run of many. (The Ray backend,
    `glossary.distributed.translation`, sends the run's distinct texts to its
    workers instead, and builds each document with `pipeline.assemble`.)"""
    (translated,) = translate_documents([document], strategy, progress=progress)
    return translated


def run_job(
    plan: JobPlan,
    *,
    strategy: SegmentTranslator | None = None,
    progress: Progress | None = None,
) -> JobResult:
    """Translate every document of the plan and build the term report.

    `progress(done, total)` counts segments; the strategy is made from the
    plan unless given.
    """
    strategy = strategy if strategy is not None else make_strategy(plan)
    started = time.perf_counter()
    translated = tuple(translate_documents(plan.documents, strategy, progress=progress))
    seconds = time.perf_counter() - started
    return finish_job(plan, translated, strategy.signature, seconds, strategy_notes(strategy))


Runner = Callable[[JobPlan, Progress | None], JobResult]
"""Runs a planned job (`run_job` here; a distributed backend elsewhere)."""


def strategy_notes(strategy: SegmentTranslator) -> tuple[StepNote, ...]:
    """What the strategy's repair steps did so far (the enforcer's notes; none otherwise)."""
    notes = getattr(strategy, "notes", None)
    return tuple(notes()) if callable(notes) else ()


def merge_notes(parts: Iterable[Sequence[StepNote]]) -> tuple[StepNote, ...]:
    """The notes of several strategies (workers) as one run's: counts are sums
    over segments, so they add up; the reasons are sorted, so the report is
    the same bytes whatever the order of the parts. A step dropped anywhere
    is dropped (the verdict is the same everywhere: it depends on the engine
    and the termbase only)."""
    from glossary.enforcement.cascade import StepNote

    merged: dict[str, StepNote] = {}
    for notes in parts:
        for note in notes:
            old = merged.get(note.step)
            if old is None:
                merged[note.step] = StepNote(
                    note.step, note.attempted, note.succeeded, dict(note.skipped), note.dropped
                )
                continue
            skipped = dict(old.skipped)
            for reason, n in note.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + n
            merged[note.step] = StepNote(
                note.step,
                old.attempted + note.attempted,
                old.succeeded + note.succeeded,
                skipped,
                old.dropped or note.dropped,
            )
    return tuple(
        dataclasses.replace(note, skipped=dict(sorted(note.skipped.items())))
        for note in merged.values()
    )


def finish_job(
    plan: JobPlan,
    translated: Sequence[TranslatedDocument],
    signature: str,
    seconds: float,
    notes: Sequence[StepNote] = (),
) -> JobResult:
    """The job's result from its translated documents (in plan order): the
    term report built from them and the strategy's notes."""
    report = None
    if plan.concepts is not None:
        from glossary.enforcement.report import build_report
        from glossary.matching.verify import Glossary

        report = build_report(translated, Glossary(plan.concepts), merge_notes([notes]))
    return JobResult(tuple(translated), signature, seconds, report)


# --------------------------------------------------------------------- write


def render_report(report: EnforcementReport, as_json: bool) -> str:
    """The report as written to --report: JSON (indent 2, UTF-8 kept) or a table."""
    if as_json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return report.to_table()


def write_outputs(
    plan: JobPlan, result: JobResult, *, stdout: IO[str] | None = None
) -> tuple[Path, ...]:
    """Write the translation and the report where the plan says, all files or none.

    What goes to stdout (the translation without -o/--out-dir, a report "-")
    is written on `stdout` after the files are in place.
    """
    outputs = plan.outputs
    if plan.cat:
        return _write_cat(plan, result, stdout=stdout)
    chosen = outputs.formats or tuple(outputs.format for _ in result.documents)
    files: list[OutputFile] = []
    if outputs.out_dir is not None:
        for document, path, fmt in zip(result.documents, outputs.files, chosen, strict=True):
            files.append(OutputFile(path, _render([document], fmt)))
    elif outputs.files:
        files.append(OutputFile(outputs.files[0], _render(result.documents, chosen[0])))
    report_text = _write_with_report(files, result, outputs)
    if stdout is not None:
        if outputs.stdout:
            writers.get_writer(chosen[0] if chosen else "text")(list(result.documents), stdout)
        if outputs.report_stdout and report_text:
            stdout.write(report_text)
    return tuple(f.path for f in files)


def _write_with_report(files: list[OutputFile], result: JobResult, outputs: Outputs) -> str:
    """Write `files` and the report file (appended to `files`), all or none,
    creating --out-dir first; the report's text, for stdout."""
    report_text = ""
    if result.report is not None and (outputs.report is not None or outputs.report_stdout):
        report_text = render_report(result.report, outputs.report_json)
        if outputs.report is not None:
            files.append(OutputFile(outputs.report, _bytes(report_text)))
    if outputs.out_dir is not None and files:
        try:
            outputs.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"Cannot create --out-dir {outputs.out_dir}: {exc}.") from None
    write_all(files)
    return report_text


def _write_cat(
    plan: JobPlan, result: JobResult, *, stdout: IO[str] | None = None
) -> tuple[Path, ...]:
    """Each CAT file with its new targets, written all or none (or to stdout)."""
    from glossary.exchange.jobs import write_job

    outputs = plan.outputs
    rendered: list[bytes] = []
    for cat, translated in zip(plan.cat, result.documents, strict=True):
        updates, hints = cat_updates(cat, translated)
        rendered.append(write_job(cat.data, cat.path, updates, hints=hints, fmt=cat.job.format))
    files = [
        OutputFile(path, _raw(data)) for path, data in zip(outputs.files, rendered, strict=False)
    ]
    report_text = _write_with_report(files, result, outputs)
    if stdout is not None:
        if outputs.stdout and rendered:
            buffer = getattr(stdout, "buffer", None)
            if buffer is not None:
                stdout.flush()
                buffer.write(rendered[0])
                buffer.flush()
            else:
                stdout.write(rendered[0].decode("utf-8", "replace"))
        if outputs.report_stdout and report_text:
            stdout.write(report_text)
    return tuple(f.path for f in files)


def _raw(data: bytes) -> Render:
    def render(handle: IO[bytes]) -> None:
        handle.write(data)

    return render


def _render(docs: Sequence[TranslatedDocument], fmt: str) -> Render:
    writer = writers.get_writer(fmt)
    if writers.is_binary(fmt):

        def render_bytes(handle: IO[bytes]) -> None:
            writer(list(docs), handle)

        return render_bytes

    def render(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        writer(list(docs), text)
        text.flush()
        text.detach()

    return render


def _bytes(text: str) -> Render:
    def render(handle: IO[bytes]) -> None:
        handle.write(text.encode("utf-8"))

    return render


def execute(
    plan: JobPlan,
    *,
    progress: Progress | None = None,
    stdout: IO[str] | None = None,
    runner: Runner | None = None,
) -> JobResult:
    """Run a planned job and write its outputs: `run_job` (or `runner`, a
    distributed backend's) then `write_outputs`."""
    result = runner(plan, progress) if runner is not None else run_job(plan, progress=progress)
    written = write_outputs(plan, result, stdout=stdout)
    return JobResult(result.documents, result.signature, result.seconds, result.report, written)
