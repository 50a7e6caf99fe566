"""Terminology QA: the WMT term accuracy and the violations, on every input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from exchange_samples import translated_docs
from glossary import qa
from glossary.cli import main
from glossary.errors import InputError
from glossary.exchange import po, tmx, xliff
from glossary.exchange.jobs import LanguageChoice
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
    make_concept(
        "OVSE",
        "OSCE",
        case_sensitive=True,
        en_alternatives=["Organization for Security and Co-operation in Europe"],
    ),
    make_concept("Stepanakert", "Stepanakert", dnt=True),
    make_concept("vredesakkoord", "peace agreement", en_forbidden=["agreement"]),
    make_concept("conflict", "conflict"),
    make_concept("wapenstilstand", "armistice", status="proposed"),
    make_concept(
        "Minskgroep",
        "OSCE Minsk Group",
        nl_variants=["Minsk Groep", "OVSE Minsk Groep"],
        en_alternatives=["Minsk Group"],
    ),
    make_concept(
        "stoffelijk overschot",
        "remains",
        nl_variants=["stoffelijke overschotten"],
        en_alternatives=["mortal remains"],
        en_forbidden=["material remains"],
    ),
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
    ("acronym-wrong-case", "De OVSE zegt niets.", "The Osce says nothing.", 1, 0, ["wrong"]),
    ("dnt-copied", "In Stepanakert.", "In Stepanakert.", 1, 1, []),
    ("dnt-translated", "In Stepanakert.", "In Khankendi.", 1, 0, ["dnt"]),
    (
        "forbidden-beside-the-term",
        "Een staakt-het-vuren.",
        "A ceasefire, a stop-the-fire.",
        1,
        1,
        ["forbidden"],
    ),
    ("forbidden-inside-correct-term", "Het vredesakkoord.", "The peace agreement.", 1, 1, []),
    ("forbidden-instead-of-the-term", "Het vredesakkoord.", "The agreement.", 1, 0, ["wrong"]),
    # Two forbidden spellings of one error are one finding: one span, one violation.
    ("two-spellings-of-one-error", "Een staakt-het-vuren.", "A stop the fire.", 1, 0, ["wrong"]),
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
    (
        "two-wrong-occurrences",
        "Een staakt-het-vuren en nog een staakt-het-vuren.",
        "A stop-the-fire and another stop the fire.",
        2,
        0,
        ["wrong", "wrong"],
    ),
    (
        "one-right-one-wrong",
        "Een staakt-het-vuren en nog een staakt-het-vuren.",
        "A ceasefire and another stop-the-fire.",
        2,
        1,
        ["wrong"],
    ),
    ("proposed-not-required", "Een wapenstilstand.", "A truce.", 0, 0, []),
    ("possessive", "Het vredesakkoord.", "The peace agreement's terms.", 1, 1, []),
    # The nested term: the OSCE inside "OSCE Minsk Group" renders the Minsk Group.
    (
        "swallowed-inside-another-term",
        "De Minsk Groep en de OVSE zwijgen.",
        "The OSCE Minsk Group is silent.",
        2,
        1,
        ["missing"],
    ),
    ("both-there", "De Minsk Groep en de OVSE.", "The Minsk Group and the OSCE.", 2, 2, []),
    # The longer span wins: "remains" inside the forbidden "material remains" is no rendering.
    (
        "accepted-inside-a-longer-forbidden-rendering",
        "De stoffelijke overschotten.",
        "The material remains.",
        1,
        0,
        ["wrong"],
    ),
]


@pytest.mark.parametrize(
    ("name", "source", "target", "required", "correct", "kinds"), CASES, ids=[c[0] for c in CASES]
)
def test_one_violation_per_wrong_occurrence(
    name: str, source: str, target: str, required: int, correct: int, kinds: list[str]
) -> None:
    report = check(source, target)
    assert (report.occurrences, report.correct) == (required, correct)
    assert [v.kind for v in report.violations] == kinds


def test_a_wrong_term_names_what_was_found_and_what_is_expected() -> None:
    (v,) = check("Er is een staakt-het-vuren bereikt.", "A stop the fire was reached.").violations
    assert (v.kind, v.concept_id, v.term, v.found, v.detail) == (
        "wrong",
        "staakt-het-vuren",
        "staakt-het-vuren",
        "stop the fire",
        "forbidden rendering",
    )
    assert v.expected == ("ceasefire", "truce")
    assert v.source[slice(*v.source_span)] == "staakt-het-vuren"  # type: ignore[misc]
    assert v.target[slice(*v.target_span)] == "stop the fire"  # type: ignore[misc]
    assert v.message() == (
        "wrong term: found 'stop the fire' (forbidden rendering), expected 'ceasefire'"
    )
    (case,) = check("De OVSE zegt niets.", "The Osce says nothing.").violations
    assert (case.found, case.detail, case.target_span) == ("Osce", "wrong case", (4, 8))


def test_the_swallowed_term_is_the_one_reported_missing() -> None:
    (v,) = check("De Minsk Groep en de OVSE zwijgen.", "The OSCE Minsk Group is silent.").violations
    assert (v.kind, v.concept_id, v.term, v.source_span) == ("missing", "ovse", "OVSE", (21, 25))


def test_violation_fields_and_report() -> None:
    units = [
        BilingualUnit("Een staakt-het-vuren.", "A stop-the-fire.", ref="a.txt:3", line=7, number=1),
        BilingualUnit("De OVSE.", "The OSCE.", ref="a.txt:4", line=11, number=2),
        BilingualUnit("Nog niet vertaald.", "", ref="a.txt:5", line=15, number=3),
    ]
    report = qa.check_units(units, CONCEPTS, file="a.po")
    assert (report.segments, report.untranslated, report.occurrences, report.correct) == (
        2,
        1,
        2,
        1,
    )
    assert report.accuracy == 0.5
    (wrong,) = report.violations
    assert (wrong.ref, wrong.kind, wrong.concept_id, wrong.term, wrong.found) == (
        "a.po:7",
        "wrong",
        "staakt-het-vuren",
        "staakt-het-vuren",
        "stop-the-fire",
    )
    assert wrong.location == qa.Location("a.po", 7, 1, "", "a.txt:3")
    data = report.to_dict()
    assert data["term_accuracy"] == 0.5 and data["counts"] == {
        "wrong": 1,
        "missing": 0,
        "dnt": 0,
        "forbidden": 0,
    }
    assert data["violations"][0]["expected"] == ["ceasefire", "truce"]
    assert data["violations"][0]["location"] == {
        "file": "a.po",
        "line": 7,
        "segment": 1,
        "unit_id": "",
        "part": None,
        "origin": "a.txt:3",
    }
    assert data["violations"][0]["target_span"] == [2, 15]
    assert report.summary() == (
        "Term accuracy: 50.0% (1 of 2 term occurrences) in 2 segments; 1 violation: "
        "1 wrong term; 1 untranslated segment not checked"
    )


def test_summary_per_concept() -> None:
    units = [
        BilingualUnit("Een staakt-het-vuren.", "A stop-the-fire."),
        BilingualUnit("Een staakt-het-vuren.", "A stop-the-fire."),
        BilingualUnit("Een staakt-het-vuren.", "A ceasefire."),
        BilingualUnit("Het vredesakkoord.", "The treaty."),
        BilingualUnit("De OVSE.", "The OSCE."),
    ]
    report = qa.check_units(units, CONCEPTS)
    rows = [(c.concept_id, c.occurrences, c.correct, c.counts, c.found) for c in report.concepts]
    assert rows == [
        ("staakt-het-vuren", 3, 1, (("wrong", 2),), (("stop-the-fire", 2),)),
        ("vredesakkoord", 1, 0, (("missing", 1),), ()),
        ("ovse", 1, 1, (), ()),
    ]
    assert report.to_dict()["concepts"][0] == {
        "concept_id": "staakt-het-vuren",
        "term": "staakt-het-vuren",
        "english": "ceasefire",
        "occurrences": 3,
        "correct": 1,
        "violations": {"wrong": 2},
        "found": [{"text": "stop-the-fire", "count": 2}],
    }


@pytest.mark.parametrize(
    ("location", "text", "short"),
    [
        (qa.Location("brief.po", 23, 4, "", "seeds/004.txt:40"), "brief.po:23", "line 23"),
        (
            qa.Location("brief.xlf", 88, 16, "15"),
            "brief.xlf segment 16 (id 15)",
            "segment 16 (id 15)",
        ),
        (
            qa.Location("job.sdlxliff", 90, 5, "5b10", part=2),
            "job.sdlxliff segment 5 (id 5b10, part 2)",
            "segment 5 (id 5b10, part 2)",
        ),
        (qa.Location("memory.tmx", None, 3), "memory.tmx segment 3", "segment 3"),
        (qa.Location("", None, None, "", "src.txt:4"), "src.txt:4", "src.txt:4"),
    ],
    ids=["po", "xliff", "xliff-segment-of-a-unit", "tmx-without-tuid", "origin-only"],
)
def test_locations_a_translator_can_find(location: qa.Location, text: str, short: str) -> None:
    assert (str(location), location.short()) == (text, short)


def test_no_term_at_all() -> None:
    report = check("Goedemorgen.", "Good morning.")
    assert report.accuracy is None and report.violations == ()
    assert report.summary().startswith("No approved term occurs in 1 segment;")


def test_nothing_translated_says_so() -> None:
    units = [BilingualUnit("De OVSE.", "", ref="a.txt:1")]
    report = qa.check_units(units, CONCEPTS)
    assert (report.segments, report.untranslated, report.accuracy) == (0, 1, None)
    assert report.summary() == (
        "No translated segment to check; 0 violations; 1 untranslated segment not checked"
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


def cells(table: list[str], start: int) -> list[list[str]]:
    """The non-empty lines of each column of the row starting at `table[start]`, by the
    column positions of the rule under the header (`table[1]`)."""
    spans = [m.span() for m in re.finditer(r"-+", table[1])]
    rows = []
    for line in table[start:]:
        if not line.strip():
            break
        rows.append(line)
    return [
        [row[a : b if n < len(spans) - 1 else None].strip() for row in rows if row[a:b].strip()]
        for n, (a, b) in enumerate(spans)
    ]


def test_check_table_shows_where_the_problem_source_and_target(project: Path) -> None:
    (project / "seg.tsv").write_text(
        "De OVSE meldt een staakt-het-vuren.\tThe OSCE reports a stop-the-fire.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "seg.tsv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "seg.tsv:"
    assert lines[1].split() == ["WHERE", "PROBLEM", "SOURCE", "TARGET"]
    # Piped (no terminal, no $COLUMNS): plain text, each cell's lines whole.
    assert "\x1b[" not in result.stdout
    where, problem, source, target = cells(lines[1:], 2)
    assert (where, source, target) == (
        ["line 1"],
        ["De OVSE meldt een staakt-het-vuren."],
        ["The OSCE reports a stop-the-fire."],
    )
    assert problem == [
        "wrong term",
        "staakt-het-vuren",
        "→ ceasefire",
        "or truce",
        "found: stop-the-fire",
        "(forbidden rendering)",
    ]
    concepts = result.stdout.split("\n\n")[-1].splitlines()
    assert concepts[0].split() == ["CONCEPT", "TERM", "RIGHT", "PROBLEMS"]
    assert concepts[2].split()[:5] == [
        "staakt-het-vuren",
        "staakt-het-vuren",
        "→",
        "ceasefire",
        "0/1",
    ]
    assert "found 'stop-the-fire'" in concepts[2]
    assert concepts[3] == "(1 other concept: every occurrence right)"
    assert "Term accuracy: 50.0%" in result.stderr


def test_check_table_fits_the_terminal_and_never_cuts_a_term(project: Path) -> None:
    long = "Organization for Security and Co-operation in Europe"
    source = "Volgens de OVSE is er in de hele regio nog steeds geen duurzaam staakt-het-vuren."
    target = "According to the Osce there is still no lasting truce in the whole region."
    (project / "seg.tsv").write_text(f"{source}\t{target}\n", encoding="utf-8")

    def bare(text: str) -> str:
        return "".join(text.split())

    for width in (50, 60, 80, 120, 260):
        result = CliRunner().invoke(main, ["check", "seg.tsv"], env={"COLUMNS": str(width)})
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= width, (width, result.stdout)
        where, problem, src, tgt = cells(lines[1:], 2)
        assert bare(" ".join(src)) == bare(source) and bare(" ".join(tgt)) == bare(target)
        assert bare("or " + long) in bare(" ".join(problem)), (width, problem)
        assert bare(" ".join(where)) == "line1"
    # Wide enough, no line of a cell is broken.
    assert "or " + long in result.stdout and source in result.stdout and target in result.stdout


def test_check_colours_the_terms_on_a_terminal(project: Path) -> None:
    (project / "seg.tsv").write_text(
        "De OVSE meldt een staakt-het-vuren.\tThe OSCE reports a stop-the-fire.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "seg.tsv"], color=True)
    assert "\x1b[33m\x1b[1mstaakt-het-vuren\x1b[0m" in result.stdout  # the term in the source
    assert "\x1b[31m\x1b[1mstop-the-fire\x1b[0m" in result.stdout  # what is wrong in the target
    assert "\x1b[32m\x1b[1mceasefire\x1b[0m" in result.stdout  # the expected English


@pytest.mark.parametrize(
    ("target", "fail_on", "code"),
    [
        ("The OSCE reports a ceasefire.", "violation", 0),
        ("The OSCE reports a pause.", "violation", 1),
        ("The OSCE reports a pause.", "wrong", 0),
        ("The OSCE reports a stop-the-fire.", "wrong", 1),
        ("The OSCE reports a stop-the-fire.", "never", 0),
    ],
    ids=["clean", "missing", "missing-passes-fail-on-wrong", "wrong", "never"],
)
def test_check_exit_status_for_ci(project: Path, target: str, fail_on: str, code: int) -> None:
    (project / "seg.tsv").write_text(f"De OVSE meldt een staakt-het-vuren.\t{target}\n")
    result = CliRunner().invoke(main, ["check", "seg.tsv", "--fail-on", fail_on])
    assert result.exit_code == code, result.output
    result = CliRunner().invoke(main, ["check", "missing.po"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    result = CliRunner().invoke(main, ["check", "seg.tsv", "--fail-on", "sometimes"])
    assert result.exit_code == 2


def test_check_a_pair_of_files(project: Path) -> None:
    (project / "src.txt").write_text("In Stepanakert.\n", encoding="utf-8")
    (project / "hyp.txt").write_text("In Khankendi.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "src.txt", "hyp.txt", "--format", "json"])
    assert result.exit_code == 1
    (violation,) = json.loads(result.stdout)["violations"]
    assert violation["kind"] == "dnt" and violation["expected"] == ["Stepanakert"]
    # The file to fix is the translation; the source's line is the origin.
    assert violation["ref"] == "hyp.txt:1"
    assert violation["location"]["origin"].endswith("src.txt:1")
    result = CliRunner().invoke(main, ["check", "src.txt", "hyp.txt", "--input-format", "po"])
    assert result.exit_code == 2


def test_check_refuses_hostile_input(project: Path) -> None:
    (project / "x.xlf").write_bytes(b'<!DOCTYPE x [<!ENTITY e "e">]><xliff>&e;</xliff>')
    result = CliRunner().invoke(main, ["check", "x.xlf"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "declares XML entities" in result.stderr


# ------------------------------------------------------------ post-edited files

DATA = Path(__file__).parent / "data" / "qa"
# tests/data/qa/termbase.tsv is the shipped termbase as the post-edits were checked
# against it, so later termbase edits do not move these counts.
POSTEDITS = [
    (
        "postedit-004.po",
        (13, 1, 53, 46),
        [
            ("line 23", "wrong", "covoorzitter", "co-presidents"),
            ("line 36", "forbidden", "staakt-het-vuren", "stop-the-fire"),
            ("line 63", "wrong", "stoffelijk-overschot", "material remains"),
            ("line 87", "dnt", "borrell", ""),
            ("line 100", "wrong", "ovse-voorzitterschap", "OSCE Presidency"),
            ("line 111", "wrong", "nederland", "Holland"),
            ("line 111", "wrong", "ovse", "Osce"),
            ("line 129", "missing", "minsk-group-co-chairs", ""),
        ],
    ),
    (
        "postedit-000.xlf",
        # 49 and 43: the verb form "bemiddelt" (bemiddelen) is an occurrence, rendered.
        (12, 39, 49, 43),
        [
            ("segment 16 (id 15)", "wrong", "staakt-het-vuren", "stop-the-fire"),
            (
                "segment 26 (id 25)",
                "wrong",
                "ovse",
                "Organisation for Security and Co-operation in Europe",
            ),
            (
                "segment 28 (id 27)",
                "wrong",
                "voorzitter-van-de-europese-raad",
                "European President",
            ),
            ("segment 36 (id 35)", "missing", "staakt-het-vuren", ""),
            # The nested term: "binnen de OVSE" is left out, only "OSCE Minsk Group" is there.
            ("segment 38 (id 37)", "missing", "ovse", ""),
            ("segment 39 (id 38)", "wrong", "gebruik-van-geweld", "use of violence"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "counts", "expected"), POSTEDITS, ids=[p[0] for p in POSTEDITS])
def test_post_edited_files_with_known_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    counts: tuple[int, int, int, int],
    expected: list[tuple[str, str, str, str]],
) -> None:
    """Real-looking post-edits of seeds/004 (PO, Poedit) and seeds/000 (XLIFF, a CAT
    tool): every term error made on purpose is one violation, nothing else is."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes())
    args = ["check", name, "--termbase", str(DATA / "termbase.tsv")]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert (
        data["segments"],
        data["untranslated"],
        data["term_occurrences"],
        data["correct"],
    ) == counts
    found = [
        (
            f"line {v['location']['line']}"
            if not v["location"]["unit_id"]
            else f"segment {v['location']['segment']} (id {v['location']['unit_id']})",
            v["kind"],
            v["concept_id"],
            v["found"],
        )
        for v in data["violations"]
    ]
    assert found == expected
    assert [v["ref"] for v in data["violations"]] == [f"{name}{_ref(e[0])}" for e in expected]
    # The table names the same places, and the summary the same counts.
    table = CliRunner().invoke(main, args, env={"COLUMNS": "120"})
    assert table.exit_code == 1
    assert table.stdout.splitlines()[0] == f"{name}:"
    places = [line.split("  ")[0] for line in table.stdout.splitlines()]
    assert [p for p in places if p.startswith(("line ", "segment "))] == [e[0] for e in expected]
    assert f"; {len(expected)} violations: " in table.stderr


def _ref(short: str) -> str:
    return ":" + short.split()[1] if short.startswith("line") else " " + short


def test_post_edited_files_read_as_translate_toolkit_reads_them() -> None:
    """Our readers and translate-toolkit agree on every source and target."""
    from translate.storage import po as ttk_po
    from translate.storage import xliff as ttk_xliff

    from glossary.exchange.importing import read_units

    for name, store in (
        ("postedit-004.po", ttk_po.pofile),
        ("postedit-000.xlf", ttk_xliff.xlifffile),
    ):
        theirs = store.parsefile(str(DATA / name))
        pairs = [(str(u.source), str(u.target or "")) for u in theirs.units if not u.isheader()]
        ours = [(u.source, u.target) for u in read_units(DATA / name)]
        assert ours == pairs, name


def test_locations_in_files_other_tools_wrote(project: Path) -> None:
    """translate-toolkit's XLIFF test file (ids 1-8) and Okapi's UTF-16 PO file: the
    segment number, the unit id and the msgid line a translator looks for."""
    formats = Path(__file__).parent / "data" / "formats"
    # an en-US XLIFF and a French PO: read as the pair they are
    units = read_units_of(formats / "states.xlf", LanguageChoice("en-US", "fr"))
    assert [(u.number, u.unit_id, u.line) for u in units][:3] == [
        (1, "1", 5),
        (2, "2", 9),
        (3, "3", 13),
    ]
    report = qa.check_units(units, [make_concept("Seven", "Septième")], file="states.xlf")
    (v,) = report.violations
    assert (v.ref, v.location.line, v.kind) == ("states.xlf segment 7 (id 7)", 29, "missing")
    units = read_units_of(formats / "Test01.po", LanguageChoice("en", "fr"))
    assert [(u.number, u.line, u.source) for u in units][:3] == [
        (1, 3, "Could not find folder %s"),
        (2, 6, "Second entry"),
        (3, 11, "Folder %s"),
    ]
    report = qa.check_units(units, [make_concept("Trash", "Corbeille")], file="Test01.po")
    assert [v.ref for v in report.violations] == ["Test01.po:19"]


def read_units_of(path: Path, languages: LanguageChoice | None = None) -> list[BilingualUnit]:
    from glossary.exchange.importing import read_units

    return read_units(path, languages=languages)
