"""Import into the termbase (added/merged/conflicts, never a half change),
export from the command line, and merging post-edited files back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import ROOT
from exchange_samples import rich_termbase
from glossary.cli import main
from glossary.document import Document, Paragraph, Segment
from glossary.errors import ImportConflict, ImportFormatError
from glossary.exchange import importing as exchange
from glossary.exchange import tbx
from glossary.exchange.registry import BilingualUnit, ExportOptions
from glossary.termbase.model import Concept, Termbase, make_concept, serialize_tsv
from glossary.termbase.store import read_termbase, write_termbase

CEASEFIRE = make_concept(
    "staakt-het-vuren",
    "ceasefire",
    nl_variants=["staakt het vuren"],
    en_forbidden=["stop-the-fire"],
    pos="noun",
)
OVSE = make_concept("OVSE", "OSCE", case_sensitive=True)
PEACE = make_concept("vredesakkoord", "", status="proposed", context="Het vredesakkoord.")
BASE = Termbase((CEASEFIRE, OVSE, PEACE))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# ----------------------------------------------------------------- planning

Check = Callable[[Termbase], bool]

PLAN_CASES: list[tuple[str, Concept, str, str, Check]] = [
    (
        "new-term",
        make_concept("wapenstilstand", "armistice"),
        "skip",
        "added",
        lambda tb: tb.get("wapenstilstand") is not None,
    ),
    (
        "same-concept",
        CEASEFIRE,
        "skip",
        "unchanged",
        lambda tb: tb.get("staakt-het-vuren") == CEASEFIRE,
    ),
    (
        "known-spelling",
        make_concept("Staakt Het Vuren", "ceasefire", pos="noun"),
        "skip",
        "unchanged",
        lambda tb: tb.get("staakt-het-vuren") == CEASEFIRE,
    ),
    (
        "adds-alternative-and-variant",
        make_concept(
            "staakt-het-vuren", "ceasefire", en_alternatives=["truce"], nl_variants=["bestand"]
        ),
        "skip",
        "merged",
        lambda tb: (
            tb.get("staakt-het-vuren").en_alternatives == ("truce",)
            and tb.get("staakt-het-vuren").nl_variants == ("staakt het vuren", "bestand")
        ),
    ),
    (
        "fills-empty-fields",
        make_concept(
            "staakt-het-vuren", "ceasefire", definition="A halt.", dnt=False, sources=["a.txt"]
        ),
        "skip",
        "merged",
        lambda tb: (
            tb.get("staakt-het-vuren").definition == "A halt."
            and tb.get("staakt-het-vuren").sources == ("a.txt",)
        ),
    ),
    (
        "other-english-skip",
        make_concept("staakt-het-vuren", "armistice"),
        "skip",
        "conflict",
        lambda tb: tb.get("staakt-het-vuren") == CEASEFIRE,
    ),
    (
        "other-english-replace",
        make_concept("staakt-het-vuren", "armistice"),
        "replace",
        "replaced",
        lambda tb: (
            tb.get("staakt-het-vuren").en == "armistice"
            and tb.get("staakt-het-vuren").en_alternatives == ("ceasefire",)
        ),
    ),
    (
        "allowed-and-forbidden-skip",
        make_concept("staakt-het-vuren", "ceasefire", en_alternatives=["stop-the-fire"]),
        "skip",
        "conflict",
        lambda tb: tb.get("staakt-het-vuren").en_forbidden == ("stop-the-fire",),
    ),
    (
        "allowed-and-forbidden-replace",
        make_concept("staakt-het-vuren", "ceasefire", en_alternatives=["stop-the-fire"]),
        "replace",
        "replaced",
        lambda tb: (
            tb.get("staakt-het-vuren").en_forbidden == ()
            and tb.get("staakt-het-vuren").en_alternatives == ("stop-the-fire",)
        ),
    ),
    (
        "other-pos-is-no-conflict",
        make_concept("staakt-het-vuren", "ceasefire", pos="verb"),
        "skip",
        "unchanged",
        lambda tb: tb.get("staakt-het-vuren").pos == "noun",
    ),
    (
        "other-pos-replace",
        make_concept("staakt-het-vuren", "ceasefire", pos="verb"),
        "replace",
        "replaced",
        lambda tb: tb.get("staakt-het-vuren").pos == "verb",
    ),
    (
        "approves-a-proposed-concept-skip",
        make_concept("vredesakkoord", "peace agreement"),
        "skip",
        "merged",
        lambda tb: (
            tb.get("vredesakkoord").en == "peace agreement"
            and tb.get("vredesakkoord").status == "proposed"
        ),
    ),
    (
        "approves-a-proposed-concept-replace",
        make_concept("vredesakkoord", "peace agreement"),
        "replace",
        "replaced",
        lambda tb: (
            tb.get("vredesakkoord").status == "approved"
            and tb.get("vredesakkoord").context == "Het vredesakkoord."
        ),
    ),
    (
        "english-for-a-proposed-concept",
        make_concept("vredesakkoord", "peace agreement", status="proposed"),
        "skip",
        "merged",
        lambda tb: tb.get("vredesakkoord").en == "peace agreement",
    ),
    (
        "terms-of-two-concepts",
        make_concept("OVSE", "OSCE", nl_variants=["staakt-het-vuren"]),
        "replace",
        "conflict",
        lambda tb: tb.get("ovse") == OVSE and tb.get("staakt-het-vuren") == CEASEFIRE,
    ),
    (
        "same-id-other-term-is-another-concept",
        Concept(id="staakt-het-vuren", nl="wapenbestand", en="truce"),
        "skip",
        "added",
        lambda tb: (
            tb.get("staakt-het-vuren") == CEASEFIRE
            and tb.get("staakt-het-vuren-2").nl == "wapenbestand"
        ),
    ),
    (
        "turns-a-flag-on",
        make_concept("OVSE", "OSCE", dnt=True),
        "skip",
        "merged",
        lambda tb: tb.get("ovse").dnt and tb.get("ovse").case_sensitive,
    ),
]


@pytest.mark.parametrize(
    ("name", "concept", "on_conflict", "action", "check"),
    PLAN_CASES,
    ids=[c[0] for c in PLAN_CASES],
)
def test_plan_import(
    name: str, concept: Concept, on_conflict: str, action: str, check: Check
) -> None:
    result, actions = exchange.plan_import(BASE, [concept], on_conflict)  # type: ignore[arg-type]
    assert [a.action for a in actions] == [action], actions
    assert check(result)
    assert len(result) == len(BASE) + (action == "added")


def test_ids_never_fuse_concepts() -> None:
    """MultiTerm, SDL and the TBX samples all number entries c1…cN."""
    first = [
        Concept(id=f"c{n}", nl=nl, en=en)
        for n, (nl, en) in enumerate(
            [("verordening", "regulation"), ("richtlijn", "directive")], start=1
        )
    ]
    second = [
        Concept(id=f"c{n}", nl=nl, en=en)
        for n, (nl, en) in enumerate(
            [("sterrenhoop", "star cluster"), ("komeet", "comet")], start=1
        )
    ]
    tb, actions = exchange.plan_import(Termbase(), first)
    tb, more = exchange.plan_import(tb, second)
    assert [a.action for a in (*actions, *more)] == ["added"] * 4
    assert sorted(c.nl for c in tb) == ["komeet", "richtlijn", "sterrenhoop", "verordening"]


def test_plan_import_fail_returns_the_termbase_unchanged() -> None:
    concepts = [make_concept("wapenstilstand", "armistice"), make_concept("OVSE", "OVSE")]
    result, actions = exchange.plan_import(BASE, concepts, "fail")
    assert result is BASE
    assert [a.action for a in actions] == ["added", "conflict"]
    assert "English 'OSCE' vs 'OVSE'" in actions[1].detail


def test_homographs_within_one_file_are_conflicts() -> None:
    """IATE has one Dutch term in several concepts; the termbase keeps one."""
    concepts = [make_concept("lid", "member"), make_concept("lid", "limb", concept_id="lid-2")]
    result, actions = exchange.plan_import(Termbase(), concepts, "skip")
    assert [a.action for a in actions] == ["added", "conflict"]
    assert [c.en for c in result] == ["member"]


# ------------------------------------------------------------ import files


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "glossary" / "termbase.tsv"
    path.parent.mkdir()
    write_termbase(path, rich_termbase())
    return path


BILLION = b"""<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="nl"><tig><term>&c;</term>
</tig></langSet></termEntry></body></text></martif>"""

HOSTILE: list[tuple[str, str, bytes, str]] = [
    ("tbx-billion-laughs", "a.tbx", BILLION, "billion laughs"),
    (
        "tbx-xxe",
        "a.tbx",
        b'<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
        "XXE",
    ),
    (
        "tbx-truncated",
        "a.tbx",
        b'<?xml version="1.0"?>\n<martif type="TBX-Basic">\n<text><body>',
        "truncated",
    ),
    (
        "tbx-wrong-encoding",
        "a.tbx",
        '<?xml version="1.0" encoding="UTF-8"?><martif><note>café</note></martif>'.encode("cp1252"),
        "save it as UTF-8",
    ),
    ("tbx3-not-tbx", "a.tbx3.tbx", b"<html><body/></html>", "not a TBX file"),
    (
        "tbx-huge",
        "huge.tbx",
        b"<martif>" + b" " * (2 * 1024 * 1024) + b"</martif>",
        "the limit for this input is 1.0 MB",
    ),
    ("po-syntax", "a.po", b'msgid "a"\nmsgstr "b"\nnonsense\n', "not a valid PO file"),
    ("po-wrong-encoding", "a.po", 'msgid "café"\nmsgstr "x"\n'.encode("cp1252"), "not valid UTF-8"),
    ("tsv-binary", "a.utf8", b"PK\x03\x04" + b"\x00" * 40, "ZIP archive"),
    ("csv-open-quote", "a.csv", b'vrede,peace\n"oorlog,war\n', "never closed"),
    ("csv-newline-in-cell", "a.csv", b'"vrede\nen rust",peace\n', "spans several lines"),
    ("csv-bar-in-term", "a.csv", b"a|b,c\n", "not valid"),
]


@pytest.mark.parametrize(
    ("name", "filename", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_or_broken_files_leave_the_termbase_untouched(
    project: Path, tmp_path: Path, name: str, filename: str, data: bytes, message: str
) -> None:
    before = project.read_bytes()
    stamp = project.stat().st_mtime_ns
    source = tmp_path / filename
    source.write_bytes(data)
    with pytest.raises(ImportFormatError) as info:
        exchange.import_file(project, source, max_bytes=1024 * 1024)
    text = str(info.value)
    assert message in text and "unchanged" in text
    assert project.read_bytes() == before and project.stat().st_mtime_ns == stamp
    # And the same through the command line: one clean error, no traceback.
    code, out, err = run("import", str(source), "--max-size", "1")
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and message in err and "Traceback" not in err
    assert project.read_bytes() == before


def test_conflicts_with_fail_leave_the_termbase_untouched(project: Path, tmp_path: Path) -> None:
    before = project.read_bytes()
    source = tmp_path / "client.csv"
    source.write_text("wapenstilstand,armistice\nstaakt-het-vuren,armistice\n", encoding="utf-8")
    with pytest.raises(ImportConflict, match="1 conflict with the termbase") as info:
        exchange.import_file(project, source, on_conflict="fail")
    assert "English 'ceasefire' vs 'armistice'" in str(info.value)
    assert project.read_bytes() == before
    code, _, err = run("import", str(source), "--on-conflict", "fail")
    assert code == 1 and "nothing was imported" in err


def test_import_report_and_skip_invalid(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "client.csv"
    source.write_text(
        "wapenstilstand,armistice\nstaakt-het-vuren,armistice\nOVSE,OSCE\nx|y,z\n", encoding="utf-8"
    )
    code, out, err = run("import", str(source), "--skip-invalid", "--report", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["counts"] == {
        "added": 1,
        "merged": 0,
        "replaced": 0,
        "unchanged": 1,
        "conflict": 1,
    }
    assert [a["action"] for a in report["actions"]] == ["added", "conflict"]
    assert report["written"] is True and len(report["skipped"]) == 1
    assert "client.csv (csv): 1 added, 1 unchanged, 1 conflict, 1 invalid skipped" in err
    assert read_termbase(project).get("wapenstilstand").en == "armistice"


def test_dry_run_and_status_override(project: Path, tmp_path: Path) -> None:
    before = project.read_bytes()
    source = tmp_path / "new.csv"
    source.write_text("wapenstilstand,armistice\n", encoding="utf-8")
    code, out, err = run("import", str(source), "--dry-run", "--status", "proposed")
    assert code == 0 and "added" in out and err.startswith("Dry run:")
    assert "the termbase was not changed" in err
    assert project.read_bytes() == before
    assert run("import", str(source), "--status", "proposed")[0] == 0
    assert read_termbase(project).get("wapenstilstand").status == "proposed"


def test_import_of_terms_from_a_translation_file_is_refused(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "brief.xlf"
    source.write_text("<xliff/>", encoding="utf-8")
    code, _, err = run("import", str(source))
    assert code != 0
    assert "xliff" in err.lower()


# ------------------------------------------------------------------ export


def test_export_all_writes_every_format_into_exports(project: Path, tmp_path: Path) -> None:
    code, out, err = run("export", "--all")
    assert (code, out) == (0, "")
    folder = tmp_path / "exports"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        ["termbase.tbx", "termbase.tbx3.tbx", "termbase.po", "termbase.utf8", "termbase.csv"]
    )
    assert "Wrote exports/termbase.tbx: tbx, 11 concepts" in err
    assert "Wrote exports/termbase.csv: csv, 7 concepts" in err  # approved only
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert run("export", "--all", "-q") == (0, "", "")
    assert first == {p.name: p.read_bytes() for p in folder.iterdir()}


def test_export_options(project: Path, tmp_path: Path) -> None:
    code, out, _ = run("export", "--format", "tsv", "-o", "-")
    assert code == 0 and out.startswith("# -*- coding: utf-8 -*-\n")
    assert run("export", "-o", str(tmp_path / "client.tbx3.tbx"))[0] == 0
    assert (tmp_path / "client.tbx3.tbx").read_text().count("urn:iso:std:iso:30042:ed-2") == 1
    assert run("export", "--format", "csv", "--header", "-o", "a.csv")[0] == 0
    assert (tmp_path / "a.csv").read_text().startswith("nl,en\n")
    assert run("export", "--status", "proposed", "-o", "p.po")[0] == 0
    assert len(polib.pofile(str(tmp_path / "p.po"))) == 3
    code, _, err = run("export", "--all", "-o", "x.tbx")
    assert code == 2 and "--all" in err
    code, _, err = run("export", "-o", "notes.docx")
    assert code == 1 and "pass --format" in err


@pytest.mark.parametrize("fmt", ["tbx", "tbx3"])
def test_cli_round_trip_gives_an_identical_termbase(
    project: Path, tmp_path: Path, fmt: str
) -> None:
    assert run("export", "--format", fmt, "-o", f"out.{fmt}")[0] == 0
    fresh = tmp_path / "fresh" / "termbase.tsv"
    code, _, err = run("import", f"out.{fmt}", "--format", fmt, "--termbase", str(fresh))
    assert code == 0, err
    assert fresh.read_bytes() == project.read_bytes()


@pytest.mark.parametrize("version", [2, 3], ids=["tbx", "tbx3"])
def test_shipped_termbase_round_trips(version: int) -> None:
    shipped = ROOT / "glossary" / "termbase.tsv"
    termbase = read_termbase(shipped)
    data = tbx.to_tbx(termbase.concepts, version, ExportOptions()).encode()
    again = Termbase(tbx.read_termbase(data, "shipped.tbx").concepts)
    assert serialize_tsv(again) == shipped.read_text(encoding="utf-8")


# ------------------------------------------------------------------- merge


def _document() -> Document:
    segs = [
        Segment("in/brief.txt", 0, 0, "Titel", 1, 1, 0, 5, "heading"),
        Segment("in/brief.txt", 1, 1, "Eerste zin.", 3, 3, 7, 18),
        Segment("in/brief.txt", 2, 1, "Tweede zin.", 3, 3, 19, 30),
        Segment("in/brief.txt", 3, 2, "- 2 -", 5, 5, 32, 37, "furniture"),
        Segment("in/brief.txt", 4, 3, "Tweede zin.", 7, 7, 39, 50),
        Segment("in/brief.txt", 5, 3, "Derde zin.", 7, 7, 51, 61),
    ]
    paragraphs = (
        Paragraph(0, "heading", segs[:1], 1),
        Paragraph(1, "text", segs[1:3], 3),
        Paragraph(2, "furniture", segs[3:4], 5),
        Paragraph(3, "text", segs[4:], 7),
    )
    return Document("in/brief.txt", paragraphs)


def test_merge_units_by_key_then_by_text() -> None:
    units = [
        BilingualUnit("Titel", "Title", ref="brief.txt:1"),
        BilingualUnit("Eerste zin.", "First sentence.", ref="brief.txt:3", reviewed=False),
        BilingualUnit("Tweede zin.", "Second sentence.", key="brief.txt#2"),
        BilingualUnit("Tweede zin.", "Second sentence, again.", key="brief.txt#4"),
        BilingualUnit("Weg.", "Gone.", key="brief.txt#9"),
    ]
    result = exchange.merge_units(_document(), units)
    targets = [ts.target for ts in result.translated.segments]
    assert targets == [
        "Title",
        "First sentence.",
        "Second sentence.",
        "- 2 -",
        "Second sentence, again.",
        "Derde zin.",
    ]
    assert (result.matched, result.unreviewed, result.unused) == (4, 1, 1)
    assert result.missing == ("in/brief.txt:7",)


def test_merge_ignores_a_key_whose_source_changed() -> None:
    units = [BilingualUnit("Eerste zin, oud.", "Old.", key="brief.txt#1")]
    result = exchange.merge_units(_document(), units)
    assert result.translated.segments[1].target == "Eerste zin."
    assert "in/brief.txt:3" in result.missing


@pytest.mark.parametrize("fmt", ["po", "xlf"])
def test_end_to_end_translate_post_edit_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """glossary translate --engine none --format po|xliff, fill in, merge back."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "brief.txt"
    source.write_text(
        "Vrede in de Kaukasus\n\nDe OVSE meldt een staakt-het-vuren. Dat is goed nieuws.\n\n"
        "Dat is goed nieuws.\n",
        encoding="utf-8",
    )
    code, _, err = run(
        "translate",
        "brief.txt",
        "--engine",
        "none",
        "--format",
        "xliff" if fmt == "xlf" else "po",
        "-o",
        f"brief.{fmt}",
    )
    assert code == 0, err
    english = {
        "Vrede in de Kaukasus": "Peace in the Caucasus",
        "De OVSE meldt een staakt-het-vuren.": "The OSCE reports a ceasefire.",
        "Dat is goed nieuws.": "That is good news.",
    }
    if fmt == "po":
        catalog = polib.pofile(str(tmp_path / "brief.po"))
        assert msgfmt_ok(tmp_path / "brief.po")
        assert sum(1 for e in catalog if e.msgctxt) == 2  # the repeated segment
        for entry in catalog:
            entry.msgstr = english[entry.msgid]
        catalog.save(str(tmp_path / "brief.po"))
    else:
        from lxml import etree

        tree = etree.parse(str(tmp_path / "brief.xlf"))
        ns = "{urn:oasis:names:tc:xliff:document:1.2}"
        for unit in tree.iter(f"{ns}trans-unit"):
            target = etree.SubElement(unit, f"{ns}target", state="translated")
            target.text = english[unit.findtext(f"{ns}source")]
            unit.remove(target)
            unit.insert(1, target)
        tree.write(str(tmp_path / "brief.xlf"), encoding="UTF-8", xml_declaration=True)
    code, out, err = run("merge", f"brief.{fmt}", "brief.txt", "--strict")
    assert code == 0, err
    assert out == (
        "Peace in the Caucasus\n\nThe OSCE reports a ceasefire. That is good news.\n\n"
        "That is good news.\n"
    )
    assert "Merged 4 segments; 0 without translation" in err


def msgfmt_ok(path: Path) -> bool:
    from exchange_samples import msgfmt

    return msgfmt(path, "--use-fuzzy").returncode == 0


def test_merge_reports_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brief.txt").write_text("Eerste zin. Tweede zin.\n", encoding="utf-8")
    (tmp_path / "brief.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Eerste zin."\nmsgstr "First sentence."\n',
        encoding="utf-8",
    )
    code, out, err = run("merge", "brief.po", "brief.txt", "-o", "out.txt", "--strict")
    assert code == 1 and out == ""
    assert (tmp_path / "out.txt").read_text() == "First sentence. Tweede zin.\n"
    assert "1 without translation (kept in Dutch); 1 still marked for review" in err
    assert "no translation: brief.txt:1" in err
    code, _, err = run("merge", "brief.po", "brief.txt", "--format", "xliff")
    assert code == 1 and "Error:" in err


def test_merge_refuses_tmx(tmp_path: Path) -> None:
    (tmp_path / "m.tmx").write_text("<tmx/>")
    (tmp_path / "s.txt").write_text("x\n")
    code, _, err = run("merge", str(tmp_path / "m.tmx"), str(tmp_path / "s.txt"))
    assert code == 1 and "PO or XLIFF" in err
