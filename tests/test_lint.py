"""Termbase warnings: a Dutch term hiding another approved name whose English is lost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from glossary.cli import main
from glossary.termbase.lint import lint
from glossary.termbase.model import Termbase, make_concept
from glossary.termbase.store import read_termbase, write_termbase

OVSE = make_concept("OVSE", "OSCE", case_sensitive=True, pos="properNoun")
EU = make_concept("Europese Unie", "European Union", en_alternatives=["EU"], nl_variants=["EU"])
MINSK = make_concept(
    "covoorzitters van de Minsk Groep",
    "Minsk Group Co-Chairs",
    nl_variants=["covoorzitters van de OVSE Minsk Groep"],
    concept_id="minsk-group-co-chairs",
)

CASES = [
    (
        "issue-example",
        (OVSE, MINSK),
        ["Dutch 'covoorzitters van de OVSE Minsk Groep' contains 'OVSE'"],
    ),
    (
        "english-carries-it",
        (OVSE, make_concept("covoorzitters van de OVSE Minsk Groep", "OSCE Minsk Group Co-Chairs")),
        [],
    ),
    ("possessive-counts", (OVSE, make_concept("OVSE-voorzitter", "OSCE's Chairperson")), []),
    ("an-alternative-of-the-name-counts", (EU, make_concept("EU-lidstaat", "EU Member State")), []),
    (
        "lost-name",
        (dataclasses.replace(EU, pos="properNoun"), make_concept("EU-lidstaat", "Member State")),
        ["Dutch 'EU-lidstaat' contains 'EU'"],
    ),
    ("acronym-english-abbreviates", (OVSE, make_concept("OVSE-missie", "OSCE-SMM")), []),
    (
        "case-sensitive-name-needs-its-case",
        (OVSE, make_concept("ovse-achtig overleg", "consultation")),
        [],
    ),
    (
        "common-nouns-are-not-checked",
        (
            make_concept("veiligheid", "security"),
            make_concept("veiligheidsraad", "Security Council"),
        ),
        [],
    ),
    (
        "proposed-concepts-are-not-checked",
        (OVSE, make_concept("OVSE Minsk Groep", "Minsk Group", status="proposed")),
        [],
    ),
]


@pytest.mark.parametrize(("name", "concepts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_contained_names(name: str, concepts: tuple, expected: list[str]) -> None:  # type: ignore[type-arg]
    warnings = lint(Termbase(concepts))
    assert [w.message.split(" (")[0] for w in warnings] == expected


def test_the_shipped_termbase_has_no_warnings() -> None:
    assert list(lint(read_termbase(ROOT / "glossary" / "termbase.tsv"))) == []


def test_validate_prints_warnings_and_problems(tmp_path: Path) -> None:
    path = tmp_path / "termbase.tsv"
    write_termbase(path, Termbase((OVSE, MINSK)))
    result = CliRunner().invoke(main, ["validate", "--termbase", str(path)])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith(
        "valid, 2 concepts (2 approved, 0 proposed, 0 rejected), 1 warning"
    )
    assert "warning:" in result.stderr and "lacks 'OSCE'" in result.stderr
    assert "line 2 [minsk-group-co-chairs]" in result.stderr
    # A term both allowed and forbidden is a problem: exit 1, line and column.
    text = path.read_text(encoding="utf-8").replace("\tOSCE\t\t\t", "\tOSCE\t\tosce\t")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--termbase", str(path)])
    assert result.exit_code == 1
    assert ":3:6: [en_forbidden] 'OSCE' is both allowed" in result.stderr
