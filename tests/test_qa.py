"""Terminology QA: the WMT term accuracy and the violations, on every input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exchange_samples import translated_docs
from glossary import qa
from glossary.cli import main
from glossary.errors import InputError
from glossary.exchange import po, tmx, xliff
from glossary.exchange.registry import BilingualUnit
from glossary.termbase.model import Termbase, make_concept
from glossary.termbase.store import write_termbase

CONCEPTS = [
    make_concept(
        "staakt-het-vuren",
        "ceasefire",
        nl_variants=["staakt het vuren"],
        en_alternatives=["truce"],
        en_forbidden=["stop-the-fire", "cease"],
    ),
    make_concept("OVSE", "OSCE", case_sensitive=True),
    make_concept("Stepanakert", "Stepanakert", dnt=True),
    make_concept("vredesakkoord", "peace agreement", en_forbidden=["agreement"]),
    make_concept("conflict", "conflict"),
    make_concept("wapenstilstand", "armistice", status="proposed"),
]


def check(source: str, target: str) -> qa.QAReport:
    return qa.check_units([BilingualUnit(source, target, ref="s:1")], CONCEPTS)


CASES = [
    ("term-present", "Er is een staakt-het-vuren.", "There is a ceasefire.", 1, 1, []),
    ("inflected-source", "Twee staakt-het-vurens faalden.", "Two ceasefires failed.", 1, 1, []),
    ("variant-and-case", "Het Staakt Het Vuren hield.", "The CEASEFIRE held.", 1, 1, []),
    ("admitted-alternative", "Een staakt-het-vuren.", "A truce.", 1, 1, []),
    ("missing", "Een staakt-het-vuren.", "A pause in fighting.", 1, 0, ["missing"]),
    ("acronym-case-sensitive-source", "De ovse zegt niets.", "The ovse says nothing.", 0, 0, []),
    ("acronym", "De OVSE-missie.", "The OSCE mission.", 1, 1, []),
    ("dnt-copied", "In Stepanakert.", "In Stepanakert.", 1, 1, []),
    ("dnt-translated", "In Stepanakert.", "In Khankendi.", 1, 0, ["dnt"]),
    # A forbidden rendering beside a rendered term is no wrong rendering of
    # the occurrence (it is reported as damage: tests/test_fix.py).
    (
        "forbidden-rendering-besides-the-term",
        "Een staakt-het-vuren.",
        "A ceasefire, a stop-the-fire.",
        1,
        1,
        [],
    ),
    (
        "forbidden-rendering",
        "Een staakt-het-vuren.",
        "A stop-the-fire.",
        1,
        0,
        ["missing", "forbidden"],
    ),
    ("forbidden-inside-correct-term", "Het vredesakkoord.", "The peace agreement.", 1, 1, []),
    ("forbidden-alone", "Het vredesakkoord.", "The agreement.", 1, 0, ["missing", "forbidden"]),
    (
        "each-target-span-once",
        "Een conflict na een conflict.",
        "One conflict after another.",
        2,
        1,
        ["missing"],
    ),
    (
        "two-terms",
        "De OVSE en het vredesakkoord.",
        "The OSCE and the peace agreements.",
        2,
        2,
        [],
    ),
    ("proposed-not-required", "Een wapenstilstand.", "A truce.", 0, 0, []),
    ("possessive", "Het vredesakkoord.", "The peace agreement's terms.", 1, 1, []),
]


@pytest.mark.parametrize(
    ("name", "source", "target", "required", "correct", "kinds"), CASES, ids=[c[0] for c in CASES]
)
def test_term_accuracy_the_wmt_way(
    name: str, source: str, target: str, required: int, correct: int, kinds: list[str]
) -> None:
    report = check(source, target)
    assert (report.occurrences, report.correct) == (required, correct)
    assert sorted(v.kind for v in report.violations) == sorted(kinds)


def test_violation_fields_and_report() -> None:
    units = [
        BilingualUnit("Een staakt-het-vuren.", "A stop-the-fire.", ref="a.txt:3"),
        BilingualUnit("De OVSE.", "The OSCE.", ref="a.txt:4"),
        BilingualUnit("Nog niet vertaald.", "", ref="a.txt:5"),
    ]
    report = qa.check_units(units, CONCEPTS)
    assert (report.segments, report.untranslated, report.occurrences, report.correct) == (
        2,
        1,
        2,
        1,
    )
    assert report.accuracy == 0.5
    missing, forbidden = report.violations
    assert (missing.ref, missing.kind, missing.concept_id, missing.term) == (
        "a.txt:3",
        "missing",
        "staakt-het-vuren",
        "staakt-het-vuren",
    )
    assert missing.expected == ("ceasefire", "truce")
    assert (forbidden.kind, forbidden.found) == ("forbidden", "stop-the-fire")
    data = report.to_dict()
    assert data["term_accuracy"] == 0.5 and data["violations"][0]["expected"] == [
        "ceasefire",
        "truce",
    ]
    assert report.summary() == (
        "Term accuracy: 50.0% (1 of 2 term occurrences) in 2 segments; 2 violations "
        "(1 missing, 0 dnt, 1 forbidden); 1 untranslated segments not checked"
    )


def test_no_term_at_all() -> None:
    report = check("Goedemorgen.", "Good morning.")
    assert report.accuracy is None and report.violations == ()
    assert report.summary().startswith("No approved term occurs in 1 segments")


def test_nothing_translated_says_so() -> None:
    units = [BilingualUnit("De OVSE.", "", ref="a.txt:1")]
    report = qa.check_units(units, CONCEPTS)
    assert (report.segments, report.untranslated, report.accuracy) == (0, 1, None)
    assert report.summary() == (
        "No translated segment to check; 0 violations (0 missing, 0 dnt, 0 forbidden); "
        "1 untranslated segments not checked"
    )


# ------------------------------------------------------------ aligned files


def test_line_aligned_files(tmp_path: Path) -> None:
    (tmp_path / "src.txt").write_text("Een staakt-het-vuren.\n\nDe OVSE.\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("A ceasefire.\nThe OSCE.\n", encoding="utf-8")
    units = qa.align_files(tmp_path / "src.txt", tmp_path / "hyp.txt").units
    assert [(u.source, u.target, u.ref.rsplit(":")[-1]) for u in units] == [
        ("Een staakt-het-vuren.", "A ceasefire.", "1"),
        ("De OVSE.", "The OSCE.", "3"),
    ]


def test_paragraph_aligned_document_and_translation(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(
        "De OVSE meldt een staakt-\nhet-vuren. Dat is goed\nnieuws.\n\n- 2 -\n\nVerder niets.\n",
        encoding="utf-8",
    )
    (tmp_path / "brief.en.txt").write_text(
        "The OSCE reports a ceasefire. That is good news.\n\n- 2 -\n\nNothing else.\n",
        encoding="utf-8",
    )
    units = qa.align_files(tmp_path / "brief.txt", tmp_path / "brief.en.txt").units
    assert [u.target for u in units] == [
        "The OSCE reports a ceasefire. That is good news.",
        "Nothing else.",
    ]
    assert units[0].source == "De OVSE meldt een staakt-het-vuren. Dat is goed nieuws."
    report = qa.check_units(units, CONCEPTS)
    assert (report.occurrences, report.correct) == (2, 2)


def test_files_that_do_not_align(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Een.\n\nTwee.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One. Two. Three.\n", encoding="utf-8")
    with pytest.raises(InputError, match="Cannot align"):
        qa.align_files(tmp_path / "a.txt", tmp_path / "b.txt")


# ------------------------------------------------------------ command line


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "glossary" / "termbase.tsv"
    path.parent.mkdir()
    write_termbase(path, Termbase(tuple(CONCEPTS)))
    return tmp_path


def _write(path: Path, writer) -> Path:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    writer(translated_docs(), stream)
    path.write_text(stream.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("brief.po", po.write_translations),
        ("brief.xlf", xliff.write_translations),
        ("brief.tmx", tmx.write_translations),
    ],
    ids=["po", "xliff", "tmx"],
)
def test_check_bilingual_files(project: Path, name: str, writer) -> None:  # type: ignore[no-untyped-def]
    """The samples: OVSE and staakt-het-vuren right, Stepanakert untranslated."""
    path = _write(project / name, writer)
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["term_occurrences"], data["correct"], data["violations"]) == (2, 2, [])
    assert "Term accuracy: 100.0% (2 of 2" in result.stderr


def test_check_exits_1_with_a_table_of_violations(project: Path) -> None:
    (project / "seg.tsv").write_text(
        "De OVSE meldt een staakt-het-vuren.\tThe OSCE reports a stop-the-fire.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "seg.tsv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SEGMENT", "KIND", "TERM", "EXPECTED", "FOUND"]
    assert "missing" in lines[2] and "ceasefire | truce" in lines[2]
    assert "forbidden" in lines[3] and "stop-the-fire" in lines[3]
    assert "Term accuracy: 50.0%" in result.stderr


def test_check_a_pair_of_files(project: Path) -> None:
    (project / "src.txt").write_text("In Stepanakert.\n", encoding="utf-8")
    (project / "hyp.txt").write_text("In Khankendi.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "src.txt", "hyp.txt", "--format", "json"])
    assert result.exit_code == 1
    (violation,) = json.loads(result.stdout)["violations"]
    assert violation["kind"] == "dnt" and violation["expected"] == ["Stepanakert"]
    result = CliRunner().invoke(main, ["check", "src.txt", "hyp.txt", "--input-format", "po"])
    assert result.exit_code == 2


def test_check_refuses_hostile_input(project: Path) -> None:
    (project / "x.xlf").write_bytes(b'<!DOCTYPE x [<!ENTITY e "e">]><xliff>&e;</xliff>')
    result = CliRunner().invoke(main, ["check", "x.xlf"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "declares XML entities" in result.stderr
