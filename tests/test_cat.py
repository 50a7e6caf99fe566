"""CAT bilingual files as translation jobs, end to end, on real files (issue 14).

Real files from Okapi's test data (memoQ, Trados Studio SDLXLIFF,
WorldServer, Rainbow, Typo3, ITS), Supervertaler (memoQ nl → en, Trados en
→ nl), the OASIS XLIFF 2.0 test suite, the Dutch Kadaster (Angular XLIFF
2.0, nl → en) and Poedit/Okapi PO files (tests/data/cat, see PROVENANCE)
are translated with `glossary translate` (library and command line),
checked with `glossary check` and merged with `glossary merge`, and the
outputs are judged by independent means:

- lxml: every element and attribute outside the targets (and the marks a
  job sets) is the same as in the input; units nobody translates are the
  same XML; ids and order kept; the inline codes of each source are in its
  target; each flavour's machine-translation mark is set;
- the OASIS XLIFF 1.2 (transitional) and 2.0 schemas: an output validates
  wherever its input does;
- translate-toolkit (`translate.storage.xliff`, `.xliff2`, `.pypo`,
  `.poxliff`) re-reads every output, with our targets and states;
- gettext's `msgfmt --check` passes on every PO output.

OmegaT is not exercised: Debian's package pulls ~100 Java packages and has
no way to read a bilingual file without a project, so it is left out.

The fast tests translate with a deterministic double ("EN: " + the text);
the slow ones run the command line with the tiny Argos model of
tests/argos_tiny.py (random weights, so only the structure is judged).
"""

from __future__ import annotations

import copy
import functools
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import ROOT
from glossary.cli import main
from glossary.document import SegmentResult
from glossary.engines.argos.packages import Package
from glossary.errors import InputError, UnreadableFile
from glossary.exchange import bilingual, jobs
from glossary.exchange.importing import merge_file
from glossary.exchange.jobs import LanguageChoice, read_job
from glossary.termbase.model import Termbase, make_concept
from glossary.termbase.store import write_termbase
from glossary.translation import job as translation

CAT = ROOT / "tests" / "data" / "cat"
SCHEMAS = CAT / "schemas"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ = "MQXliff"
IWS = "http://www.idiominc.com/ws/asset"


# ------------------------------------------------------------------ the files


@dataclass(frozen=True)
class Case:
    """A real XLIFF file: its flavour and the languages to name (none for nl → en)."""

    name: str
    flavour: str
    source_lang: str = ""
    target_lang: str = ""

    @property
    def path(self) -> Path:
        return CAT / self.name

    @property
    def langs(self) -> LanguageChoice:
        return LanguageChoice(self.source_lang, self.target_lang)


XLIFF = [
    Case("supervertaler-test_document-memoQ-bilingual.mqxliff", "memoq"),
    Case("supervertaler-Advanced_Test_Document.docx.sdlxliff", "sdlxliff", "en-US", "nl-NL"),
    Case("okapi-MQ-12-Test01.xlf", "memoq", "en", "fr"),
    Case("okapi-TS09-12-Test01.xlf", "sdlxliff", "en", "de"),
    Case("okapi-test1_es.xlf", "worldserver", "en", "es"),
    Case("okapi-RB-12-Test02.xlf", "xliff-1.2", "en", "fr"),
    Case("okapi-Typo3Draft.xlf", "xliff-1.2", "en", "de"),
    Case("okapi-lqiTest.xlf", "xliff-1.2", "en", "fr"),
    Case("okapi-JMP-11-Test01.xlf", "xliff-1.2", "en", "fr"),
    Case("kadaster-sensrnet-messages.en.xlf", "xliff-2.0"),
    Case("oasis20-everything-core.xlf", "xliff-2.0", "en", "fr"),
    Case("oasis20-sample1.xlf", "xliff-2.0", "en", "de"),
    Case("oasis20-testTranslateWithTarget.xlf", "xliff-2.0", "en", "fr"),
    Case("oasis20-toSegment.xlf", "xliff-2.0", "en", "fr"),
    Case("oasis20-withNotes.xlf", "xliff-2.0", "en", "fr"),
    Case("oasis20-withReorderedCodes.xlf", "xliff-2.0", "en", "fr"),
    Case("oasis20-withXmlSpace.xlf", "xliff-2.0", "en", "fr"),
]
XLIFF_IDS = [c.name.split(".")[0] for c in XLIFF]
# Real files the OASIS schemas refuse: XLIFF 1.1's namespace; unit ids with "µ"
# (not NMTOKENs). Their outputs are judged by the other means.
INVALID_INPUTS = {"okapi-JMP-11-Test01.xlf", "kadaster-sensrnet-messages.en.xlf"}
PO = [
    Case("okapi-AllCasesTest.po", "po", "en", "fr"),
    Case("gradia-poedit-nl.po", "po", "en", "nl"),
]


# ------------------------------------------------------------------ helpers


class Marked:
    """A deterministic translation strategy: "EN: " before the text (so format
    specifiers, names and numbers are kept, as msgfmt --check wants)."""

    signature = "engine:marked"

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        return [SegmentResult(f"EN: {t}") for t in texts]


def translate(
    case: Case, out: Path, *, overwrite: str = "", source: Path | None = None
) -> translation.JobResult:
    """`case` translated by the library with the double, written to `out`."""
    request = translation.JobRequest(
        inputs=(str(source or case.path),),
        output=str(out),
        engine="none",
        glossary=False,
        overwrite=overwrite,
        source_lang=case.source_lang,
        target_lang=case.target_lang,
    )
    plan = translation.plan_job(request)
    result = translation.run_job(plan, strategy=Marked())
    translation.write_outputs(plan, result)
    return result


@functools.cache
def schema(version: str) -> etree.XMLSchema:
    """The OASIS schema ("1.2": transitional, "1.2-strict", "2.0"), its xml.xsd
    import made local."""
    name = {
        "2.0": "xliff_core_2.0.xsd",
        "1.2": "xliff-core-1.2-transitional.xsd",
        "1.2-strict": "xliff-core-1.2-strict.xsd",
    }[version]
    document = etree.parse(str(SCHEMAS / name))
    for node in document.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if node.get("namespace") == "http://www.w3.org/XML/1998/namespace":
            node.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())
    return etree.XMLSchema(document)


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def units(root: etree._Element) -> list[etree._Element]:
    """The units of an XLIFF file in document order (1.2 trans-unit, 2.x unit)."""
    return [e for e in root.iter() if local(e.tag) in ("trans-unit", "unit")]


# Attributes a job may set, by element: the marks of machine translation.
MARKS = {
    "trans-unit": {f"{{{MQ}}}status"},
    "seg": {"conf", "origin", "origin-system", "percent", "text-match"},
    "status": {"translation_type", "translation_status", "target_content", "match-quality"},
    "segment": {"state", "subState"},
}


Shape = tuple[object, ...]


def shape(element: etree._Element, *, spaces: bool = True) -> Shape:
    """An element as nested tuples: tag, sorted attributes, text, children, tail
    (comments and processing instructions included); `spaces=False` ignores
    white-space-only text between elements."""

    def text(value: str | None) -> str | None:
        if not spaces and value is not None and not value.strip():
            return None
        return value

    children = tuple(shape(c, spaces=spaces) for c in element)
    inner = element.text if not children else text(element.text)
    return (
        str(element.tag),
        tuple(sorted((str(k), str(v)) for k, v in element.attrib.items())),
        inner,
        children,
        text(element.tail),
    )


def skeleton(root: etree._Element) -> Shape:
    """The file without its targets, the glossary's notes and the marks a job
    sets, white space between elements ignored (canonical XML)."""
    tree = copy.deepcopy(root)
    for element in list(tree.iter()):
        name = local(element.tag)
        parent = element.getparent()
        glossary_note = name == "note" and NOTE_MARK in (
            element.get("from"),
            element.get("category"),
        )
        if parent is not None and (name == "target" or glossary_note):
            parent.remove(element)
            continue
        for attribute in MARKS.get(name, ()):
            element.attrib.pop(attribute, None)
    for element in list(tree.iter()):
        if local(element.tag) == "notes" and len(element) == 0:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    return shape(tree, spaces=False)


NOTE_MARK = "glossary"


def codes(element: etree._Element | None) -> Counter[tuple[str, str]]:
    """The inline code elements inside a source or target, as (name, id)."""
    if element is None:
        return Counter()
    found: Counter[tuple[str, str]] = Counter()
    for node in element.iter():
        if node is element or not isinstance(node.tag, str):
            continue
        if local(node.tag) == "mrk" and node.get("mtype") == "seg":
            continue
        found[(local(node.tag), node.get("id", "") or node.get("mid", ""))] += 1
    return found


def canonical(element: etree._Element) -> Shape:
    """The unit itself (its tail left out: the next unit's business)."""
    return shape(element)[:4]


def units_to_translate(job: jobs.Job, overwrite: str = "") -> dict[str, set[str]]:
    """unit id -> keys of the segments a run must translate (the rule of the issue:
    editable, with source text, no target unless --overwrite allows)."""
    out: dict[str, set[str]] = {}
    for seg in job.segments:
        replace = (
            seg.status == "new"
            or overwrite == "all"
            or (overwrite == "drafts" and seg.status == "draft")
        )
        if seg.editable and seg.source.strip() and replace:
            out.setdefault(seg.key.split("s")[0], set()).add(seg.key)
    return out


def unit_index(key: str) -> int:
    return int(re.match(r"u(\d+)", key).group(1))  # type: ignore[union-attr]


# ------------------------------------------------------------------ XLIFF


@pytest.mark.parametrize("case", XLIFF, ids=XLIFF_IDS)
def test_xliff_is_translated_in_place_with_everything_else_kept(case: Case, tmp_path: Path) -> None:
    data = case.path.read_bytes()
    job_in = read_job(data, case.name)
    assert job_in.flavour == case.flavour
    out = tmp_path / case.name
    translate(case, out)
    result = out.read_bytes()
    root_in, root_out = parse(data), parse(result)

    # the same file outside the targets and the marks: elements, attributes, notes
    assert skeleton(root_in) == skeleton(root_out)
    # ids and order
    assert [u.get("id") for u in units(root_in)] == [u.get("id") for u in units(root_out)]
    # the lines before the first changed unit are the same bytes (declaration, header...)
    todo = units_to_translate(job_in)
    first = min((unit_index(k) for k in todo), default=None)
    if first is None:
        assert result == data
    else:
        line = units(root_in)[first].sourceline or 1
        assert result.splitlines()[: line - 1] == data.splitlines()[: line - 1]

    job_out = read_job(result, case.name)
    before = {s.key: s for s in job_in.segments}
    wanted = {k for keys in todo.values() for k in keys}
    for index, (unit_in, unit_out) in enumerate(zip(units(root_in), units(root_out), strict=True)):
        if f"u{index}" not in {f"u{unit_index(k)}" for k in wanted}:
            # nobody translates it: the very same XML
            assert canonical(unit_in) == canonical(unit_out), unit_in.get("id")
    for seg in job_out.segments:
        old = before[seg.key]
        if seg.key in wanted:
            assert seg.target.startswith("EN: "), (seg.ref, seg.target)
            assert seg.status == "draft", seg.ref  # machine translation to review
            if not seg.segmented:  # (Trados keeps some codes of a segment outside it)
                assert Counter(c.kind for c in seg.target_codes) == Counter(
                    c.kind for c in old.source_codes
                ), seg.ref
        else:
            assert (seg.target, seg.status) == (old.target, old.status), seg.ref
    assert_marks(case, root_out, job_out, wanted)
    assert_codes_kept(root_in, root_out, job_in, todo)


def assert_marks(case: Case, root: etree._Element, job: jobs.Job, wanted: set[str]) -> None:
    """Each flavour's own machine-translation mark on every new target."""
    by_unit = units(root)
    for seg in job.segments:
        if seg.key not in wanted:
            continue
        unit = by_unit[unit_index(seg.key)]
        if case.flavour.startswith("xliff-2"):
            segment = [c for c in unit if local(c.tag) == "segment"][seg.number - 1]
            assert (segment.get("state"), segment.get("subState")) == ("translated", "glossary:mt")
            continue
        if case.flavour == "sdlxliff":
            marks = [m for m in unit.iter(f"{{{NS12}}}mrk") if m.get("mtype") == "seg"]
            mid = marks[seg.number - 1].get("mid") if seg.segmented else "1"
            sdl_segs = {s.get("id"): s for s in unit.iter(f"{{{SDL}}}seg")}
            assert (sdl_segs[mid].get("conf"), sdl_segs[mid].get("origin")) == ("Draft", "mt")
            continue
        if case.flavour == "memoq":
            assert unit.get(f"{{{MQ}}}status") == "Pretranslated"
        if case.flavour == "worldserver":
            status = unit.find(f"{{{IWS}}}segment-metadata/{{{IWS}}}status")
            assert status is not None and status.get("translation_type") == "machine_translation_mt"
        if not seg.segmented:
            target = unit.find(f"{{{NS12}}}target")
            assert target is not None
            assert (target.get("state"), target.get("state-qualifier")) == (
                "needs-review-translation",
                "leveraged-mt",
            )


def assert_codes_kept(
    root_in: etree._Element,
    root_out: etree._Element,
    job: jobs.Job,
    todo: dict[str, set[str]],
) -> None:
    """Every inline code of a source is in its target (units whose every segment
    was translated: their target is all ours)."""
    per_unit = Counter(unit_index(s.key) for s in job.segments)
    for key, keys in todo.items():
        index = unit_index(key)
        if len(keys) != per_unit[index]:
            continue
        unit_in, unit_out = units(root_in)[index], units(root_out)[index]
        if local(unit_in.tag) == "unit":  # 2.x: per segment
            sources = [s.find(f"{{{NS20}}}source") for s in unit_in.iter(f"{{{NS20}}}segment")]
            targets = [s.find(f"{{{NS20}}}target") for s in unit_out.iter(f"{{{NS20}}}segment")]
            for source, target in zip(sources, targets, strict=True):
                assert codes(source) == codes(target), unit_in.get("id")
            continue
        source = unit_in.find("{*}seg-source")
        if source is None:
            source = unit_in.find("{*}source")
        assert codes(source) == codes(unit_out.find("{*}target")), unit_in.get("id")


@pytest.mark.parametrize("case", XLIFF, ids=XLIFF_IDS)
def test_outputs_validate_and_translate_toolkit_reads_them(case: Case, tmp_path: Path) -> None:
    data = case.path.read_bytes()
    out = tmp_path / case.name
    translate(case, out)
    result = out.read_bytes()
    version = "2.0" if case.flavour.startswith("xliff-2") else "1.2"
    valid_input = schema(version).validate(etree.ElementTree(parse(data)))
    assert valid_input == (case.name not in INVALID_INPUTS)
    if valid_input:
        valid = schema(version).validate(etree.ElementTree(parse(result)))
        assert valid, schema(version).error_log.filter_from_errors()[:3]
    ours = read_job(result, case.name)
    if version == "2.0":
        from translate.storage import xliff2

        store = xliff2.Xliff2File.parsestring(result)
        theirs = [u for u in store.units if not u.isheader()]
        assert len(theirs) == len(ours.segments)  # one unit per segment, in order
        for seg, unit in zip(ours.segments, theirs, strict=True):
            assert unit.getid().split("::")[0] == seg.unit_id
            if seg.target.startswith("EN: "):
                assert "EN: " in str(unit.target), seg.ref
    else:
        from translate.storage import xliff

        store = xliff.xlifffile.parsestring(result)
        theirs = [u for u in store.units if not u.isheader()]
        ids = [u.get("id") for u in units(parse(result))]
        assert [u.getid().split("\x04")[-1] for u in theirs] == ids
        by_id = {u.getid().split("\x04")[-1]: u for u in theirs}
        for seg in ours.segments:
            if seg.target.startswith("EN: ") and not seg.segmented and seg.file:
                unit = by_id[seg.unit_id]
                assert "EN" in str(unit.target)  # (their text of inline codes may sit inside)
                assert unit.isfuzzy() or case.flavour == "sdlxliff"  # needs-review-translation


def test_translate_toolkit_reads_xliff_20_targets_and_states(tmp_path: Path) -> None:
    from translate.storage import xliff2

    case = XLIFF[XLIFF_IDS.index("oasis20-toSegment")]
    out = tmp_path / case.name
    translate(case, out)
    store = xliff2.Xliff2File.parsestring(out.read_bytes())
    targets = [str(u.target) for u in store.units if not u.isheader()]
    # the second segment had a target (a translator's): kept
    assert targets == [
        "EN: Sentence 1. Sentence 2. Sentence 3. Sentence 4.",
        "Phrase [  ] 5. Phrase [  ] 6. ",
        "EN: Sentence 7. Sentence 8.",
        "EN: Sentence 9. Sentence 10.",
    ]
    segments = list(parse(out.read_bytes()).iter(f"{{{NS20}}}segment"))
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("translated", "glossary:mt"),
        (None, None),
        ("translated", "glossary:mt"),
        ("translated", "glossary:mt"),
    ]


def test_our_own_xliff_export_validates_against_the_oasis_schemas(tmp_path: Path) -> None:
    """`glossary translate DOC --format xliff` (with and without targets) is valid
    XLIFF 1.2, strict and transitional."""
    doc = tmp_path / "brief.txt"
    doc.write_text("Vrede in de Kaukasus\n\nDe OVSE meldt een staakt-het-vuren.\n", "utf-8")
    for strategy, name in ((None, "none.xlf"), (Marked(), "mt.xlf")):
        request = translation.JobRequest(
            inputs=(str(doc),), output=str(tmp_path / name), engine="none", glossary=False
        )
        plan = translation.plan_job(request)
        translation.write_outputs(plan, translation.run_job(plan, strategy=strategy))
        tree = etree.ElementTree(parse((tmp_path / name).read_bytes()))
        for version in ("1.2-strict", "1.2"):
            assert schema(version).validate(tree), schema(version).error_log
    targets = list(parse((tmp_path / "mt.xlf").read_bytes()).iter(f"{{{NS12}}}target"))
    assert [t.text for t in targets] == [
        "EN: Vrede in de Kaukasus",
        "EN: De OVSE meldt een staakt-het-vuren.",
    ]


# ------------------------------------------------------------ statuses, overwrite


def test_confirmed_targets_stay_unless_overwrite(tmp_path: Path) -> None:
    """Trados Translated segments are kept; --overwrite drafts leaves them too;
    --overwrite all translates them again (as machine translation to review)."""
    case = XLIFF[XLIFF_IDS.index("supervertaler-Advanced_Test_Document")]
    job_in = read_job(case.path.read_bytes(), case.name)
    assert {s.status for s in job_in.segments} == {"translated"}
    for overwrite, changed in (("", 0), ("drafts", 0), ("all", len(job_in.segments))):
        out = tmp_path / f"{overwrite or 'none'}.sdlxliff"
        translate(case, out, overwrite=overwrite)
        job_out = read_job(out.read_bytes(), out.name)
        new = [s for s in job_out.segments if s.target.startswith("EN: ")]
        assert len(new) == changed, overwrite
        assert all(s.status == "draft" and s.state == "Draft" for s in new)
        if not changed:
            assert out.read_bytes() == case.path.read_bytes()


def test_drafts_are_translated_again_with_overwrite_drafts(tmp_path: Path) -> None:
    """Okapi's PO: fuzzy entries are drafts; --overwrite drafts replaces them and
    keeps the accepted ones."""
    case = PO[0]
    job_in = read_job(case.path.read_bytes(), case.name)
    out = tmp_path / "drafts.po"
    translate(case, out, overwrite="drafts")
    job_out = read_job(out.read_bytes(), out.name)
    for old, new in zip(job_in.segments, job_out.segments, strict=True):
        if old.status in ("new", "draft"):
            assert new.target == f"EN: {new.source}" and new.status == "draft", old.ref
        else:
            assert (new.target, new.status) == (old.target, old.status), old.ref


@pytest.mark.parametrize(
    ("name", "skipped_units", "skipped"),
    [
        ("okapi-TS09-12-Test01.xlf", 22, 22),
        ("oasis20-testTranslateWithTarget.xlf", 1, 3),
    ],
    ids=["sdlxliff", "xliff-2.0"],
)
def test_translate_no_units_are_left_alone(
    name: str, skipped_units: int, skipped: int, tmp_path: Path
) -> None:
    case = next(c for c in XLIFF if c.name == name)
    data = case.path.read_bytes()
    no = [u for u in units(parse(data)) if _not_translatable(u)]
    assert len(no) == skipped_units
    out = tmp_path / name
    translate(case, out)
    after = {u.get("id"): u for u in units(parse(out.read_bytes()))}
    for unit in no:
        assert canonical(unit) == canonical(after[unit.get("id")])
    job = read_job(data, name)
    assert sum(1 for s in job.segments if not s.translate) == skipped
    assert all(not u.source.startswith("EN: ") for u in job.units())


def _not_translatable(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node.get("translate") is not None:
            return node.get("translate") == "no"
        node = node.getparent()
    return False


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("supervertaler-Advanced_Test_Document.docx.sdlxliff", {"translated": 54}),
        ("supervertaler-test_document-memoQ-bilingual.mqxliff", {"new": 27}),
        ("kadaster-sensrnet-messages.en.xlf", {"reviewed": 333, "translated": 29, "new": 3}),
        ("okapi-AllCasesTest.po", {"translated": 6, "draft": 4, "new": 4}),
    ],
    ids=["trados", "memoq", "xliff-2.0", "po"],
)
def test_statuses_are_read_from_each_flavour(name: str, statuses: dict[str, int]) -> None:
    job = read_job((CAT / name).read_bytes(), name)
    assert Counter(s.status for s in job.segments if s.translate) == statuses


# ------------------------------------------------------------------ PO


@pytest.mark.parametrize("case", PO, ids=["okapi", "poedit"])
def test_po_is_translated_line_for_line_with_plurals_and_fuzzy(case: Case, tmp_path: Path) -> None:
    data = case.path.read_bytes()
    out = tmp_path / case.name
    translate(case, out)
    result = out.read_bytes()
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)]).returncode == 0
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    assert result.count(b"\r\n") == (result.count(b"\n") if newline == b"\r\n" else 0)
    # only the entries that got a translation changed (blocks of lines between blank lines)
    job_in = read_job(data, case.name)
    blocks_in, blocks_out = re.split(rb"\r?\n\r?\n", data), re.split(rb"\r?\n\r?\n", result)
    assert len(blocks_in) == len(blocks_out)
    new_msgids = {s.source for s in job_in.segments if s.status == "new" and s.plural in (None, 0)}
    changed = [b for b, a in zip(blocks_in, blocks_out, strict=True) if a != b]
    assert len(changed) == len(new_msgids)
    empty = re.compile(rb'^msgstr(\[\d\])? ""\r?$', re.MULTILINE)
    assert all(empty.search(block) for block in changed)
    # an independent reader: translate-toolkit
    from translate.storage import pypo

    store = pypo.pofile.parsestring(result)
    theirs = {u.source if not u.hasplural() else u.source.strings[0]: u for u in store.units}
    for seg in job_in.segments:
        unit = theirs[seg.source if seg.plural in (None, 0) else _singular(job_in, seg)]
        if seg.status == "new":
            strings = unit.target.strings if unit.hasplural() else [unit.target]
            text = strings[seg.plural or 0]
            assert text == f"EN: {seg.source}", seg.ref
            assert unit.isfuzzy(), seg.ref
        elif seg.status == "translated":
            assert not unit.isfuzzy(), seg.ref


def _singular(job: jobs.Job, seg: jobs.JobSegment) -> str:
    return next(s.source for s in job.segments if s.line and s.key == seg.key[:-1] + "0")


def test_po_plural_forms_follow_the_header(tmp_path: Path) -> None:
    """A header with nplurals=3 gets three msgstr[n] for a new plural entry."""
    source = tmp_path / "three.po"
    text = (CAT / "okapi-AllCasesTest.po").read_text("utf-8")
    source.write_text(
        text.replace("nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n%10==1 ? 0 : 1);")
    )
    out = tmp_path / "out.po"
    translate(PO[0], out, source=source)
    job = read_job(out.read_bytes(), out.name)
    forms = [s for s in job.segments if s.source.startswith("%d director")]
    assert [(s.plural, s.target) for s in forms] == [
        (0, "EN: %d directory left"),
        (1, "EN: %d directories left"),
        (2, "EN: %d directories left"),
    ]
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)]).returncode == 0


# ------------------------------------------------------------ language pairs


REFUSED = [
    (
        "worldserver-en-es",
        ["okapi-test1_es.xlf"],
        "declares the language pair en → es",
        "--source-lang en --target-lang es",
    ),
    (
        "poedit-en-nl",
        ["gradia-poedit-nl.po"],
        "declares the language pair ? → nl",
        "its target language is nl, not en",
    ),
    (
        "trados-en-nl",
        ["supervertaler-Advanced_Test_Document.docx.sdlxliff"],
        "declares the language pair en-US → nl-NL",
        "--source-lang en-US --target-lang nl-NL",
    ),
    (
        "po-without-language",
        ["okapi-AllCasesTest.po"],
        "declares no language pair",
        "the source side (msgid) looks English, not Dutch",
    ),
    (
        "oasis-2.0-en-fr",
        ["oasis20-sample1.xlf"],
        "declares the language pair en → de",
        "--source-lang en --target-lang de",
    ),
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def termbase(tmp_path: Path) -> Path:
    path = tmp_path / "termbase.tsv"
    write_termbase(path, Termbase((make_concept("translation", "traduction"),)))
    return path


@pytest.mark.parametrize("command", ["translate", "check", "merge"])
@pytest.mark.parametrize(
    ("files", "message", "hint"),
    [r[1:] for r in REFUSED],
    ids=[r[0] for r in REFUSED],
)
def test_other_language_pairs_are_refused_by_every_command(
    command: str, files: list[str], message: str, hint: str, termbase: Path, tmp_path: Path
) -> None:
    path = str(CAT / files[0])
    doc = tmp_path / "doc.txt"
    doc.write_text("Een zin.\n", encoding="utf-8")
    args = {
        "translate": ["translate", path, "--engine", "none", "-o", str(tmp_path / "x")],
        "check": ["check", path, "--termbase", str(termbase)],
        "merge": ["merge", path, str(doc)],
    }[command]
    code, out, err = run(*args)
    assert code == 1, err
    assert message in err and hint in err
    assert "violation" not in err and out == ""
    assert not (tmp_path / "x").exists()


def test_a_tmx_without_dutch_is_refused_by_check(termbase: Path, tmp_path: Path) -> None:
    memory = tmp_path / "memory.tmx"
    shutil.copy(ROOT / "tests" / "data" / "formats" / "sampleTMX2.txt", memory)
    code, _, err = run("check", str(memory), "--termbase", str(termbase))
    assert code == 1
    assert "memory.tmx holds en (2), fr (2): no Dutch (nl)." in err
    assert "--source-lang en --target-lang fr" in err
    code, _, err = run(
        "check",
        str(memory),
        "--termbase",
        str(termbase),
        "--source-lang",
        "en",
        "--target-lang",
        "fr",
    )
    assert code == 0 and "in 2 segments" in err


def test_regional_variants_are_accepted_and_the_override_reads_another_pair() -> None:
    case = XLIFF[0]  # memoQ, nl-nl → en-gb
    job = read_job(case.path.read_bytes(), case.name)
    assert (job.source_lang, job.target_lang) == ("nl-nl", "en-gb")
    assert jobs.check_languages(job) == []
    other = read_job((CAT / "okapi-test1_es.xlf").read_bytes(), "ws.xlf")
    with pytest.raises(UnreadableFile, match="en → es"):
        jobs.check_languages(other)
    assert jobs.check_languages(other, LanguageChoice("en", "es")) == []
    with pytest.raises(UnreadableFile, match="its target language is es, not fr"):
        jobs.check_languages(other, LanguageChoice("en", "fr"))


# ------------------------------------------------------------------ check


def test_check_points_at_units_segments_and_po_lines(tmp_path: Path) -> None:
    """Violations name the SDLXLIFF unit id and segment number, and the PO line
    (and msgstr[n]); fuzzy PO entries count as translated unless --min-status."""
    path = tmp_path / "tb.tsv"
    write_termbase(path, Termbase((make_concept("heading", "kop"),)))
    sdl = CAT / "supervertaler-Advanced_Test_Document.docx.sdlxliff"
    langs = ("--source-lang", "en-US", "--target-lang", "nl-NL")
    code, out, err = run("check", str(sdl), "--termbase", str(path), *langs, "--format", "json")
    assert code == 1, err
    import json

    report = json.loads(out)
    # "Multi-level heading structure" → "Kopstructuur met meerdere niveaus": no "kop"
    # token; the unit's second segment (Trados splits "2." from the heading)
    where = next(
        v["location"]
        for v in report["violations"]
        if v["location"]["unit_id"] == "5b10de20-cef2-4b8f-9389-a4b7df3a39e5"
    )
    assert (where["part"], where["segment"]) == (2, 5)  # the 5th unit of the file
    mark = parse(sdl.read_bytes()).xpath(
        "//*[@id='5b10de20-cef2-4b8f-9389-a4b7df3a39e5']/*[local-name()='seg-source']"
        "//*[local-name()='mrk'][2]"
    )[0]
    assert where["line"] == mark.sourceline  # the segment's own <mrk> in <seg-source>
    ref = "segment 5 (id 5b10de20-cef2-4b8f-9389-a4b7df3a39e5, part 2)"
    assert any(v["ref"].endswith(ref) for v in report["violations"])
    code, out, err = run("check", str(sdl), "--termbase", str(path), *langs)
    assert ref in out  # the table says so too

    write_termbase(path, Termbase((make_concept("translation", "traduction"),)))
    po = CAT / "okapi-AllCasesTest.po"
    args = ["check", str(po), "--termbase", str(path), "--source-lang", "en", "--target-lang", "fr"]
    code, out, err = run(*args, "--format", "json")
    report = json.loads(out)
    # the typo "traducion" on line 26 is the only violation; the fuzzy ones are right
    assert [v["location"]["line"] for v in report["violations"]] == [25]
    assert report["violations"][0]["ref"].endswith("okapi-AllCasesTest.po:25")
    # 8 entries with a translation, two of them plurals with both forms filled
    assert report["segments"] == 10
    code, out, err = run(*args, "--format", "json", "--min-status", "translated")
    assert json.loads(out)["segments"] == 6  # the 4 fuzzy forms are not counted
    assert "4 target(s) below --min-status translated counted as not translated" in err


def test_po_plural_forms_are_checked_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "tb.tsv"
    write_termbase(path, Termbase((make_concept("file", "fichier"),)))
    read = bilingual.read_bilingual(
        CAT / "okapi-AllCasesTest.po", languages=LanguageChoice("en", "fr")
    )
    forms = [u for u in read.units if u.plural is not None]
    assert [(u.source, u.target, u.plural) for u in forms[:2]] == [
        ("%d file", "%d fichier", 0),
        ("%d files", "%d fichiers", 1),
    ]
    assert [(u.line, u.number, u.unit_id) for u in forms[:2]] == [(52, 8, ""), (53, 8, "")]
    args = ("check", str(CAT / "okapi-AllCasesTest.po"), "--termbase", str(path))
    code, _, err = run(*args, "--source-lang", "en", "--target-lang", "fr")
    assert code == 0, err
    assert "Term accuracy: 100.0% (4 of 4 term occurrences)" in err


def test_check_reads_xliff_20_with_statuses(tmp_path: Path) -> None:
    """Kadaster's XLIFF 2.0: final targets count as reviewed, translated as translated."""
    read = bilingual.read_bilingual(CAT / "kadaster-sensrnet-messages.en.xlf")
    assert dict(read.statuses) == {"new": 3, "translated": 29, "reviewed": 333}
    reviewed = bilingual.read_bilingual(
        CAT / "kadaster-sensrnet-messages.en.xlf", min_status="reviewed"
    )
    assert reviewed.below == 29
    assert sum(1 for u in reviewed.units if u.target) == 333
    first = reviewed.units[0]
    assert (first.unit_id, first.number, first.line) == ("app.title", 1, 4)
    assert first.ref == "src/app/app.component.ts:6"  # Angular's location note: the origin


# ------------------------------------------------------------------ merge


def test_merge_takes_xliff_20_targets_by_status(tmp_path: Path) -> None:
    """A document made of sources of the Kadaster file gets their targets;
    with --min-status reviewed the merely translated ones stay as they were."""
    read = read_job((CAT / "kadaster-sensrnet-messages.en.xlf").read_bytes(), "k.xlf")
    final = next(s for s in read.segments if s.status == "reviewed" and len(s.source) > 20)
    merely = next(s for s in read.segments if s.status == "translated" and len(s.source) > 4)
    doc = tmp_path / "doc.txt"
    doc.write_text(f"{final.source}\n\n{merely.source}\n", encoding="utf-8")
    for status, second in (("draft", merely.target), ("reviewed", merely.source)):
        result = merge_file(CAT / "kadaster-sensrnet-messages.en.xlf", doc, min_status=status)
        targets = [ts.target for ts in result.translated.segments]
        assert targets == [final.target, second], status


def test_merge_refuses_a_file_of_another_document(tmp_path: Path) -> None:
    doc = tmp_path / "brief.txt"
    doc.write_text("De Minister schrijft een brief aan de Kamer.\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not belong to"):
        merge_file(CAT / "supervertaler-test_document-memoQ-bilingual.mqxliff", doc)
    code, out, err = run(
        "merge", str(CAT / "supervertaler-test_document-memoQ-bilingual.mqxliff"), str(doc)
    )
    assert code == 1 and out == ""
    assert "does not belong to" in err and "none of its 27 segment(s)" in err


def test_translate_then_merge_an_xliff_job_back(tmp_path: Path) -> None:
    """glossary's own XLIFF of a document, pre-translated in place as a job and
    merged: the job keeps the keys merge needs."""
    doc = tmp_path / "brief.txt"
    doc.write_text("Vrede in de Kaukasus\n\nDe OVSE meldt een staakt-het-vuren.\n", "utf-8")
    code, _, err = run(
        "translate", str(doc), "--engine", "none", "--no-glossary", "--format", "xliff",
        "-o", str(tmp_path / "brief.xlf"),
    )  # fmt: skip
    assert code == 0, err
    case = Case("brief.xlf", "xliff-1.2")
    translate(case, tmp_path / "mt.xlf", source=tmp_path / "brief.xlf")
    read = bilingual.read_bilingual(tmp_path / "mt.xlf")
    assert [u.ref for u in read.units] == [f"{doc}:1", f"{doc}:3"]  # the location contexts
    result = merge_file(tmp_path / "mt.xlf", doc)
    assert [ts.target for ts in result.translated.segments] == [
        "EN: Vrede in de Kaukasus",
        "EN: De OVSE meldt een staakt-het-vuren.",
    ]
    assert result.unreviewed == 2  # machine translation nobody accepted yet
    strict = merge_file(tmp_path / "mt.xlf", doc, min_status="translated")
    assert len(strict.missing) == 2


def test_translate_toolkit_poxliff_is_a_job_too(tmp_path: Path) -> None:
    """translate-toolkit's po2xliff output (plural groups) translated in place and
    read back by its own PO-XLIFF reader."""
    from translate.convert import po2xliff
    from translate.storage import poxliff

    xlf = tmp_path / "all.xlf"
    with (CAT / "okapi-AllCasesTest.po").open("rb") as source, xlf.open("wb") as target:
        po2xliff.convertpo(source, target, None)
    case = Case("all.xlf", "xliff-1.2", "en", "fr")
    out = tmp_path / "out.xlf"
    translate(case, out, source=xlf)
    store = poxliff.PoXliffFile.parsestring(out.read_bytes())
    plural = next(u for u in store.units if u.hasplural() and "directory" in str(u.source))
    assert [str(s) for s in plural.target.strings] == [
        "EN: %d directory left",
        "EN: %d directories left",
    ]


# ------------------------------------------------------------ the command line


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [c for c in XLIFF if c.name.startswith(("supervertaler", "okapi-TS09", "okapi-test1", "kad"))]
    + PO,
    ids=lambda c: c.name.split(".")[0],
)
def test_the_command_line_with_a_model(case: Case, tiny_package: Package, tmp_path: Path) -> None:
    """`glossary translate FILE -o OUT` with the tiny Argos model, then `check`:
    the same invariants as the library runs (structure kept, schema-valid,
    translate-toolkit reads it, msgfmt passes)."""
    out = tmp_path / case.name
    data = case.path.read_bytes()
    job_in = read_job(data, case.name)
    # a file translated already gets a new machine translation with --overwrite all
    overwrite = "" if units_to_translate(job_in) else "all"
    langs = ["--source-lang", case.source_lang, "--target-lang", case.target_lang]
    args = ["translate", str(case.path), "-o", str(out), "--beam", "1", "--no-glossary"]
    args += ["--overwrite", overwrite] if overwrite else []
    code, _, err = run(*args, *(langs if case.source_lang else []))
    assert code == 0, err
    assert f"({case.flavour})" in err and "given a machine translation to review" in err
    result = out.read_bytes()
    job_out = read_job(result, case.name)
    wanted = {k for keys in units_to_translate(job_in, overwrite).values() for k in keys}
    assert wanted
    for old, new in zip(job_in.segments, job_out.segments, strict=True):
        assert new.key == old.key and new.unit_id == old.unit_id
        if old.key in wanted:
            assert new.target.strip() and new.status == "draft", old.ref
        else:
            assert (new.target, new.status) == (old.target, old.status), old.ref
    if case.flavour == "po":
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)]).returncode == 0
        return
    root_in, root_out = parse(data), parse(result)
    assert skeleton(root_in) == skeleton(root_out)
    version = "2.0" if case.flavour.startswith("xliff-2") else "1.2"
    if schema(version).validate(etree.ElementTree(root_in)):
        assert schema(version).validate(etree.ElementTree(root_out))
    code, _, err = run(
        "check", str(out), "--min-status", "translated", *(langs if case.source_lang else [])
    )
    assert code == 0, err
    assert f"{len(wanted)} target(s) below --min-status translated" in err


def test_hints_without_a_model_are_notes_in_the_job(tmp_path: Path, termbase: Path) -> None:
    """--engine none: no targets, but the term hints as glossary notes."""
    path = tmp_path / "tb.tsv"
    write_termbase(path, Termbase((make_concept("Football", "voetbal"),)))
    case = XLIFF[0]
    out = tmp_path / "hints.mqxliff"
    code, _, err = run(
        "translate", str(case.path), "--engine", "none", "--termbase", str(path), "-o", str(out)
    )
    assert code == 0, err
    root = parse(out.read_bytes())
    notes = [n.text for n in root.iter(f"{{{NS12}}}note") if n.get("from") == "glossary"]
    assert notes and all(n.lower().startswith("term: football → voetbal") for n in notes)
    assert skeleton(parse(case.path.read_bytes())) == skeleton(root)
    assert not [t for t in root.iter(f"{{{NS12}}}target") if (t.text or "").strip()]


def test_cli_statuses_match_the_library() -> None:
    from glossary.cli import exchange

    assert exchange.MIN_STATUSES == bilingual.MIN_STATUSES


# ------------------------------------------------------------ outputs and bad input


def test_several_jobs_to_a_folder_in_place_or_stdout(tmp_path: Path) -> None:
    memoq = tmp_path / "job.mqxliff"
    shutil.copy(XLIFF[0].path, memoq)
    po = tmp_path / "nl.po"
    po.write_bytes(
        (CAT / "okapi-AllCasesTest.po")
        .read_bytes()
        .replace(
            b"Language-Team: LANGUAGE",
            b'Language: en\\n"\r\n"X-Source-Language: nl\\n"\r\n"Language-Team: LANGUAGE',
        )
    )
    original = memoq.read_bytes()
    # two jobs need a folder or --in-place
    code, _, err = run("translate", str(memoq), str(po), "--engine", "none")
    assert code == 2 and "--out-dir DIR (same names) or --in-place" in err
    code, _, err = run(
        "translate", str(memoq), str(po), "--engine", "none", "--out-dir", str(tmp_path / "out")
    )
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["job.mqxliff", "nl.po"]
    assert memoq.read_bytes() == original
    # stdout: the same bytes as a file
    code, out, err = run("translate", str(memoq), "--engine", "none", "-q")
    assert code == 0 and out.encode("utf-8") == (tmp_path / "out" / "job.mqxliff").read_bytes()
    # a document and a job are translated in separate runs; job options are for jobs
    doc = tmp_path / "brief.txt"
    doc.write_text("Een zin.\n", encoding="utf-8")
    code, _, err = run("translate", str(memoq), str(doc), "--engine", "none", "--out-dir", "o")
    assert code == 2 and "in separate runs" in err
    code, _, err = run("translate", str(doc), "--engine", "none", "--overwrite", "all")
    assert code == 2 and "are for CAT files" in err
    code, _, err = run("translate", str(memoq), "--in-place", "-o", str(tmp_path / "x.xlf"))
    assert code == 2 and "--in-place writes over the inputs" in err


def test_in_place_writes_over_the_job(tmp_path: Path) -> None:
    job = tmp_path / "job.xlf"
    shutil.copy(CAT / "okapi-RB-12-Test02.xlf", job)
    case = Case("job.xlf", "xliff-1.2", "en", "fr")
    request = translation.JobRequest(
        inputs=(str(job),), engine="none", glossary=False, in_place=True,
        source_lang="en", target_lang="fr",
    )  # fmt: skip
    plan = translation.plan_job(request)
    translation.write_outputs(plan, translation.run_job(plan, strategy=Marked()))
    before = read_job((CAT / "okapi-RB-12-Test02.xlf").read_bytes(), case.name)
    after = read_job(job.read_bytes(), case.name)
    assert sum(s.status == "new" for s in before.segments) == 4
    for old, new in zip(before.segments, after.segments, strict=True):
        assert new.target == (f"EN: {old.source}" if old.status == "new" else old.target)
    assert skeleton(parse(job.read_bytes())) == skeleton(
        parse((CAT / "okapi-RB-12-Test02.xlf").read_bytes())
    )


def test_locked_segments_are_not_translated(tmp_path: Path) -> None:
    """A Trados segment locked in the file (sdl:seg locked="true") keeps its target."""
    data = (CAT / "okapi-TS09-12-Test01.xlf").read_bytes()
    locked = data.replace(b'<sdl:seg id="8" />', b'<sdl:seg id="8" locked="true" />', 1)
    assert locked != data
    source = tmp_path / "locked.xlf"
    source.write_bytes(locked)
    case = XLIFF[XLIFF_IDS.index("okapi-TS09-12-Test01")]
    translate(case, tmp_path / "out.xlf", source=source, overwrite="all")
    job = read_job((tmp_path / "out.xlf").read_bytes(), "out.xlf")
    seg = next(s for s in job.segments if s.unit_id == "caee5c3e-4f82-414f-b10e-3edcaa7d64e5")
    assert seg.locked and seg.target == ""
    assert any(s.target.startswith("EN: ") for s in job.segments)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.xlf", (CAT / "okapi-lqiTest.xlf").read_bytes()[:400], "cut.xlf"),
        ("cut.po", b'msgid "a"\nmsgstr "pea', "cut.po"),
        ("v3.xlf", b'<xliff version="3.0"><file/></xliff>', "XLIFF version 3.0 is not supported"),
    ],
    ids=["truncated-xliff", "truncated-po", "unknown-version"],
)
def test_broken_jobs_are_refused_without_output(
    name: str, content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out" / name
    for args in (
        ("translate", str(path), "--engine", "none", "-o", str(out)),
        ("check", str(path)),
    ):
        code, stdout, err = run(*args)
        assert code == 1 and err.startswith("Error: ") and message in err, err
        assert "Traceback" not in err and stdout == ""
    assert not out.exists()
