"""Concordance: resolving a query, finding every occurrence, and the command on the seeds."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import concordance as cc
from glossary.cli import main
from glossary.reading.ingest import read_document
from glossary.termbase.model import Termbase, make_concept
from glossary.termbase.store import read_termbase, write_termbase

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The shipped termbase as these counts were made (tests/data/qa/termbase.tsv).
TERMBASE = Path(__file__).parent / "data" / "qa" / "termbase.tsv"

CONCEPTS = (
    make_concept(
        "Minskgroep",
        "OSCE Minsk Group",
        nl_variants=["Minsk Groep", "OVSE Minsk Groep"],
        en_alternatives=["Minsk Group"],
    ),
    make_concept("OVSE", "OSCE", case_sensitive=True),
    make_concept("staakt-het-vuren", "ceasefire", nl_variants=["staakt het vuren"]),
    make_concept("wapenstilstand", "ceasefire", en_alternatives=["truce"]),
    make_concept("vredesakkoord", "peace agreement", status="rejected"),
)
TEXT = (
    "De Minsk-groep en de OVSE Minsk Groep spraken over een staakt het vuren.\n"
    "\n"
    "Twee vredesakkoorden en een wapenstilstand. De ovse zweeg.\n"
)


@pytest.mark.parametrize(
    ("text", "literal", "kind", "ids", "how"),
    [
        ("Minsk-groep", False, "concept", ["minskgroep"], ""),
        ("ovse", False, "concept", ["ovse"], ""),  # the concept; its search keeps the case
        ("OVSE", False, "concept", ["ovse"], ""),
        ("staakt-het-vuren", False, "concept", ["staakt-het-vuren"], ""),
        ("vredesakkoorden", False, "concept", ["vredesakkoord"], "a form of"),
        ("ceasefire", False, "concept", ["staakt-het-vuren", "wapenstilstand"], "their English"),
        ("truce", False, "concept", ["wapenstilstand"], "its English"),
        ("vredesmissie", False, "term", [""], ""),
        ("Minsk", True, "literal", [], ""),
    ],
    ids=[
        "dutch-spelling",
        "acronym-case",
        "acronym",
        "term",
        "inflected-rejected",
        "english-of-two",
        "english-of-one",
        "unknown",
        "literal",
    ],
)
def test_resolve(text: str, literal: bool, kind: str, ids: list[str], how: str) -> None:
    query = cc.resolve(text, CONCEPTS, literal=literal)
    assert query.kind == kind
    assert [c.id for c in query.concepts] == ids
    assert how in query.how
    assert query.describe()


def test_search_finds_every_spelling_and_the_term_inside_a_longer_one(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(TEXT, encoding="utf-8")
    document = read_document(str(tmp_path / "brief.txt"))
    minsk = cc.search([document], cc.resolve("Minskgroep", CONCEPTS))
    assert [h.spelling for h in minsk.hits] == ["Minsk-groep", "OVSE Minsk Groep"]
    assert [(s.spelling, s.count, s.term) for s in minsk.spellings] == [
        ("Minsk-groep", 1, "Minskgroep"),
        ("OVSE Minsk Groep", 1, "OVSE Minsk Groep"),
    ]
    # The matcher is built from the concept alone: the OVSE inside "OVSE Minsk
    # Groep" is found; "ovse" in lower case is not the acronym.
    ovse = cc.search([document], cc.resolve("OVSE", CONCEPTS))
    assert [(h.spelling, h.line, h.segment) for h in ovse.hits] == [("OVSE", 1, 0)]
    hit = ovse.hits[0]
    assert hit.sentence[hit.start : hit.end] == "OVSE"
    assert hit.context[hit.context_start : hit.context_end] == "OVSE"
    assert hit.ref.endswith("brief.txt:1")
    forms = cc.search([document], cc.resolve("vredesakkoord", CONCEPTS))
    assert [(h.spelling, h.inflected) for h in forms.hits] == [("vredesakkoorden", True)]
    both = cc.search([document], cc.resolve("ceasefire", CONCEPTS))
    assert [(h.spelling, h.concept_id) for h in both.hits] == [
        ("staakt het vuren", "staakt-het-vuren"),
        ("wapenstilstand", "wapenstilstand"),
    ]
    literal = cc.search([document], cc.resolve("minsk", CONCEPTS, literal=True))
    assert [h.spelling for h in literal.hits] == ["Minsk", "Minsk"]
    assert literal.summary() == "2 occurrences in 1 of 1 document, 1 spelling"


def test_kwic_cuts_the_context_not_the_match() -> None:
    hit = cc.Hit("a.txt", 3, 0, "x", 0, 1, "abcdefghij MATCH klmnopqrst", 11, 16)
    assert hit.kwic(5) == ("…hij ", "MATCH", " klm…")
    assert hit.kwic(40) == ("abcdefghij ", "MATCH", " klmnopqrst")


def test_an_empty_term_is_an_error() -> None:
    with pytest.raises(Exception, match="Give a term"):
        cc.resolve("  ", CONCEPTS)


# ------------------------------------------------------------------ the command on the seeds


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_staakt_het_vuren_of_the_seeds() -> None:
    code, out, err = run(
        "concordance",
        "staakt-het-vuren",
        str(SEEDS),
        "--termbase",
        str(TERMBASE),
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    # Counted independently in the raw files: the term, also split over a line end.
    pattern = re.compile(r"staakt[-\s]+het[-\s]+vuren", re.IGNORECASE)
    expected = {p.name: len(pattern.findall(raw(p))) for p in sorted(SEEDS.glob("*.txt"))}
    found = Counter(Path(h["file"]).name for h in data["hits"])
    assert {name: found[name] for name in expected} == expected
    assert sum(expected.values()) == data["occurrences"] == 9
    assert [(s["spelling"], s["count"]) for s in data["spellings"]] == [("staakt-het-vuren", 9)]
    # Each hit points at the line where its sentence starts, at or before the term.
    for hit in data["hits"]:
        lines = raw(Path(hit["file"])).splitlines()
        text = " ".join(lines[hit["line"] - 1 : hit["line"] + 3])
        assert pattern.search(text), hit
        assert hit["sentence"][hit["start"] : hit["end"]] == "staakt-het-vuren"
    assert data["documents"] == 5 and data["query"]["concept_ids"] == ["staakt-het-vuren"]


def test_all_spellings_of_the_minsk_group() -> None:
    code, out, err = run(
        "concordance", "Minsk Groep", str(SEEDS), "--termbase", str(TERMBASE), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(s["spelling"], s["count"]) for s in data["spellings"]] == [
        ("Minsk Groep", 9),
        ("Minsk Group", 2),
        ("Minsk-groep", 2),
        ("OVSE Minsk Groep", 2),
        ("Minskgroep", 1),
        ("OSCE Minsk Group", 1),
        ("OVSE Minsk Group", 1),
        ("OVSE-groep van Minsk", 1),
        ("minsk-group", 1),  # in a URL of seed 004: osce.org/minsk-group/
    ]
    # Every "Minsk" of the seeds is one of them, but for seed 003's
    # "OVSE-groep (OSCE) van Minsk", which a parenthesis splits: no spelling of
    # the termbase covers it, and the literal search shows it.
    minsk = {p.name: raw(p).casefold().count("minsk") for p in sorted(SEEDS.glob("*.txt"))}
    found = Counter(Path(h["file"]).name for h in data["hits"])
    assert {n: found[n] for n in minsk} == {**minsk, "003_464b92916cb041e0.txt": 0}
    code, out, _ = run("concordance", "Minsk", str(SEEDS), "--literal", "--format", "json")
    literal = json.loads(out)
    assert literal["occurrences"] == sum(minsk.values()) == 21
    (split,) = [h for h in literal["hits"] if "003_" in h["file"]]
    assert "OVSE-groep (OSCE) van Minsk" in split["sentence"] and split["line"] <= 103


def test_concordance_table_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main,
        ["concordance", "staakt-het-vuren", "seeds", "--termbase", str(TERMBASE)],
        env={"COLUMNS": "100"},
        color=True,
    )
    assert result.exit_code == 0, result.stderr
    kwic, spellings = result.stdout.split("\n\n")
    lines = kwic.splitlines()
    assert len(lines) == 9
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert max(len(line) for line in plain) <= 100
    assert all("\x1b[33m\x1b[1mstaakt-het-vuren\x1b[0m" in line for line in lines)
    # The matches start in one column, after file:line.
    assert len({line.index("staakt-het-vuren") for line in plain}) == 1
    assert plain[0].startswith("seeds/000_957990745c6b37f0.txt:17 ")
    assert re.sub(r"\x1b\[[0-9;]*m", "", spellings).splitlines()[2].split() == [
        "staakt-het-vuren",
        "9",
        "4",
    ]
    assert "Concept staakt-het-vuren: staakt-het-vuren → ceasefire" in result.stderr
    assert "9 occurrences in 4 of 5 documents, 1 spelling" in result.stderr


def test_concordance_tsv_nothing_found_and_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary").mkdir()
    write_termbase(tmp_path / "glossary" / "termbase.tsv", Termbase(CONCEPTS))
    (tmp_path / "brief.txt").write_text(TEXT, encoding="utf-8")
    code, out, err = run("concordance", "OVSE", "brief.txt", "--format", "tsv")
    assert code == 0, err
    header, row = out.splitlines()
    assert header.split("\t") == [
        "ref",
        "file",
        "line",
        "left",
        "match",
        "right",
        "term",
        "concept_id",
    ]
    assert row.split("\t")[:5] == ["brief.txt:1", "brief.txt", "1", "De Minsk-groep en de ", "OVSE"]
    code, out, err = run("concordance", "Kaukasus", "brief.txt")
    assert (code, out) == (1, "") and "0 occurrences in 0 of 1 document" in err
    code, _, err = run("concordance", "OVSE", "missing.txt")
    assert code == 1 and "Error: missing.txt: no such file" in err
    code, _, err = run("concordance", "OVSE")
    assert code == 2
    code, _, err = run("concordance", "OVSE", "brief.txt", "-o", "nowhere/x.tsv")
    assert code == 1 and "nowhere" in err


def test_concordance_without_a_termbase_reads_other_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brief.md").write_text(
        "# De OVSE\n\nDe OVSE-missie en de OVSE.\n", encoding="utf-8"
    )
    (tmp_path / "brief.html").write_text(
        "<html><body><p>Een OVSE-rapport.</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "job.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        'msgid "De OVSE zwijgt."\nmsgstr "The OSCE is silent."\n',
        encoding="utf-8",
    )
    code, out, err = run("concordance", "OVSE", ".", "--format", "json")
    assert code == 0, err
    assert "No termbase found" in err and "Skipped job.po" in err
    data = json.loads(out)
    assert Counter(Path(h["file"]).name for h in data["hits"]) == {"brief.md": 3, "brief.html": 1}
    assert data["skipped"] and data["query"]["kind"] == "term"
    code, out, err = run("concordance", "OVSE", ".", "--source-side", "--format", "json")
    assert code == 0, err
    names = Counter(Path(h["file"]).name for h in json.loads(out)["hits"])
    assert names["job.po"] == 1


def test_concordance_help_teaches() -> None:
    code, out, _ = run("concordance", "--help")
    assert code == 0 and out.splitlines()[0].startswith("Usage: main concordance")
    assert "Show every occurrence of a term in documents, in context." in out
    assert "glossary concordance Minskgroep seeds/" in out


def test_the_shipped_termbase_is_the_snapshot_or_newer() -> None:
    """The snapshot keeps the counts above stable; it is the shipped termbase of its day."""
    snapshot = {c.id for c in read_termbase(TERMBASE).concepts}
    assert {"minskgroep", "staakt-het-vuren", "ovse"} <= snapshot
