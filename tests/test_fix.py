"""`glossary fix` and the one edit engine: repairs without damage.

- Regression cases from the benchmark set (tests/data/fix/nl_en_fix.tsv,
  written for benchmarks/fix_quality.py): the fix of a sentence equals the
  careful post-edit, and a sentence that needs no change is never changed.
- The edit engine on its own: the rendering replaced (no synonym left),
  grammar carried over (plural, possessive, verb form, a/an, capitals),
  names never overwritten, what cannot be placed left and flagged.
- Damage patterns (what `glossary check` reports next to terms).
- The command on real formats: PO (read back by polib, checked by
  `msgfmt --check`), XLIFF (read back by translate-toolkit), TSV and two
  text files; with the tiny Argos package, the forced alignment.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.enforcement.damage import find_damage
from glossary.enforcement.fix import Segment, fix_segment, model_links
from glossary.matching.verify import Glossary, verify
from glossary.termbase.store import read_termbase

ROOT = Path(__file__).resolve().parent.parent
TERMBASE = ROOT / "glossary" / "termbase.tsv"
DATA = ROOT / "tests" / "data" / "fix" / "nl_en_fix.tsv"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(read_termbase(TERMBASE).concepts)


def benchmark_rows() -> dict[str, tuple[str, str, str]]:
    lines = [ln for ln in DATA.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return {r["id"]: (r["nl"], r["mt"], r["reference"]) for r in reader}


ROWS = benchmark_rows()
# A subset of the benchmark, one or more per kind of repair, as fast regression tests.
REGRESSION = [
    "forbidden-01", "forbidden-03", "forbidden-09", "forbidden-14", "forbidden-19",
    "forbidden-24", "forbidden-27", "forbidden-38", "forbidden-46", "forbidden-53",
    "copied-04", "copied-05", "copied-06", "related-01", "related-03", "related-04",
    "related-07", "related-10", "related-12", "similar-01", "similar-04", "gap-01",
    "gap-03", "verb-01", "verb-02", "plural-01", "plural-04", "possessive-01",
    "possessive-03", "article-01", "capital-01", "capital-03", "capital-05", "name-01",
    "name-02", "name-03", "compound-01", "unchanged-02", "unchanged-03", "unchanged-04",
    "unchanged-06", "unchanged-23", "unchanged-26", "unchanged-41",
]  # fmt: skip


def test_the_benchmark_set_is_large_enough_and_well_formed(glossary: Glossary) -> None:
    assert len(ROWS) >= 150
    needing = [k for k, (_, mt, ref) in ROWS.items() if mt != ref]
    assert len(needing) >= 100
    for key, (nl, _, reference) in ROWS.items():
        if key.startswith(("name-", "compound-")):
            continue  # their terms are in names or compounds, not occurrences
        assert verify(reference, glossary.occurrences(nl)).ok, key


@pytest.mark.parametrize("key", REGRESSION)
def test_fix_gives_the_careful_post_edit(glossary: Glossary, key: str) -> None:
    nl, mt, reference = ROWS[key]
    fixed = fix_segment(Segment(key, nl, mt), glossary)
    assert fixed.fixed == reference
    assert fixed.changed == (mt != reference)
    assert verify(fixed.fixed, glossary.occurrences(nl)).ok


def test_sentences_that_need_no_change_are_never_changed(glossary: Glossary) -> None:
    changed = [
        key
        for key, (nl, mt, reference) in ROWS.items()
        if mt == reference and fix_segment(Segment(key, nl, mt), glossary).changed
    ]
    assert changed == []


# ------------------------------------------------------------ the edit engine


@pytest.mark.parametrize(
    ("nl", "mt", "expected"),
    [
        # The rendering goes; nothing is left beside the term.
        ("Beide staakt-het-vurens werden geschonden.", "Both truces were broken.",
         "Both ceasefires were broken."),
        # a/an agrees with the new first sound.
        ("Er was een inval in Armenië.", "There was a raid in Armenia.",
         "There was an incursion in Armenia."),
        ("Een OVSE-missie werd gestuurd.", "A OVSE mission was sent.", "An OSCE mission was sent."),
        # Possessive and verb forms carried over.
        ("Het mandaat van de OVSE.", "The OVSE's mandate.", "The OSCE's mandate."),
        ("Nederland heeft de genocide erkend.", "The Netherlands has acknowledged the genocide.",
         "The Netherlands has recognised the genocide."),
        ("Nederland erkent de genocide.", "Holland acknowledges the genocide.",
         "The Netherlands recognises the genocide."),
        # Capitals: after an opening quote at a sentence start, not after "U.S.".
        ("“Staakt-het-vuren nu”, riepen zij.", "“Truce now”, they shouted.",
         "“Ceasefire now”, they shouted."),
        ("De Amerikaanse vredestroepen bleven.", "The U.S. peace troops stayed.",
         "The U.S. peacekeepers stayed."),
        # A forbidden rendering that is an ordinary word elsewhere: only the one.
        ("Betreft: zorgen over de wapenstilstand", "Concerns: Concerns about the truce",
         "Subject: Concerns about the truce"),
        # The full form for a full form, the acronym for the acronym.
        ("De Organisatie voor Veiligheid en Samenwerking in Europa (OVSE) is actief.",
         "The Organisation for Security and Co-operation in Europe (OVSE) is active.",
         "The Organization for Security and Co-operation in Europe (OSCE) is active."),
        # Names are never overwritten by a homograph concept.
        ("Frans Timmermans sprak met de Franse minister.",
         "Frans Timmermans spoke with the French minister.",
         "Frans Timmermans spoke with the French minister."),
        # A derived adjective renders the country: "Azerbaijani" stays.
        ("De troepen van Azerbeidzjan rukten op.", "The Azerbaijani troops advanced.",
         "The Azerbaijani troops advanced."),
    ],
    ids=[
        "no-synonym-left", "a-an", "a-an-acronym", "possessive", "verb-participle",
        "verb-third-person", "capital-after-quote", "no-capital-after-US", "forbidden-homograph",
        "full-form", "name-homograph", "derived-adjective",
    ],
)  # fmt: skip
def test_edits_carry_the_grammar_over(glossary: Glossary, nl: str, mt: str, expected: str) -> None:
    assert fix_segment(Segment("t", nl, mt), glossary).fixed == expected


def test_what_cannot_be_placed_safely_is_left_and_flagged(glossary: Glossary) -> None:
    nl = "De beschietingen op Stepanakert gingen door."
    mt = "The shelling of Khankendi continued."
    fixed = fix_segment(Segment("t", nl, mt), glossary)
    assert fixed.fixed == mt  # "continued" is never taken for the name
    (left,) = fixed.left
    assert (left.concept_id, left.status, left.step) == ("stepanakert", "failed", "")
    assert left.detail.startswith("left as it was")


def test_edits_are_listed_with_before_and_after(glossary: Glossary) -> None:
    fixed = fix_segment(
        Segment("t", "Nederland erkent de genocide.", "Holland acknowledges the genocide."),
        glossary,
    )
    assert [(a.before, a.after, a.edit.how) for a in fixed.edits] == [
        ("Holland", "The Netherlands", "forbidden"),
        ("acknowledges", "recognises", "gap"),
    ]
    assert [(u.step, u.edit, u.replaced) for u in fixed.terms] == [
        ("fix", "replaced", "Holland"),
        ("fix", "replaced", "acknowledges"),
        ("given", "", ""),
    ]


def test_terms_in_compounds_and_names_are_reported(glossary: Glossary) -> None:
    fixed = fix_segment(
        Segment(
            "t",
            "De vredesakkoordonderhandelingen met Frans Timmermans liepen vast.",
            "The peace agreement negotiations with Frans Timmermans stalled.",
        ),
        glossary,
    )
    assert not fixed.changed
    assert fixed.notes == (
        "'vredesakkoord' is inside the compound 'vredesakkoordonderhandelingen': "
        "not enforced, check by hand",
        "'Frans' is part of the name 'Frans Timmermans': not enforced",
    )
    # The compound's head is a term: it is an occurrence, and it is rendered.
    assert [(u.concept_id, u.step) for u in fixed.terms] == [("onderhandelingen", "given")]


# ------------------------------------------------------------ damage


@pytest.mark.parametrize(
    ("nl", "en", "kinds"),
    [
        ("Beide staakt-het-vurens werden geschonden.",
         "Both ceasefires stop-the-fires were broken.", ["beside"]),
        ("Een staakt-het-vuren werd afgekondigd.", "An ceasefire was declared.", ["article"]),
        ("Er was een inval.", "There was a incursion.", ["article"]),
        ("Het is een OVSE-missie.", "It is a OSCE mission.", ["article"]),
        ("Nederland heeft de genocide erkend.", "The Netherlands has recognise the genocide.",
         ["verb-form"]),
        ("Staakt-het-vuren nu.", "ceasefire now.", ["capital"]),
        ("De Europese Raad vergaderde.", "The european council met.", ["capital"]),
        ("Een staakt-het-vuren werd afgekondigd.", "A ceasefire was declared.", []),
        ("Nederland heeft de genocide erkend.", "The Netherlands has recognised the genocide.", []),
    ],
    ids=["beside", "an-before-consonant", "a-before-vowel", "a-before-acronym", "has-recognise",
         "lower-case-start", "name-in-lower-case", "clean-article", "clean-verb"],
)  # fmt: skip
def test_damage_next_to_terms(glossary: Glossary, nl: str, en: str, kinds: list[str]) -> None:
    occurrences = glossary.occurrences(nl)
    found = find_damage(en, occurrences, verify(en, occurrences))
    assert [d.kind for d in found] == kinds


def test_check_reports_damage(glossary: Glossary, tmp_path: Path) -> None:
    source = tmp_path / "nl.txt"
    target = tmp_path / "en.txt"
    source.write_text("Er was een inval in Armenië.\n", encoding="utf-8")
    target.write_text("There was a incursion in Armenia.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(source), str(target), "--termbase", str(TERMBASE)]
    )
    assert "article" in result.output + result.stderr
    assert "'a incursion'" in result.output + result.stderr


# ------------------------------------------------------------ the command


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fix", *args, "--termbase", str(TERMBASE)])
    return result.exit_code, result.stdout, result.stderr


def test_fix_two_text_files_line_by_line(tmp_path: Path) -> None:
    source = tmp_path / "nl.txt"
    target = tmp_path / "en.txt"
    source.write_text(
        "Beide staakt-het-vurens werden geschonden.\n\nHet leger is groot.\n", encoding="utf-8"
    )
    target.write_text("Both truces were broken.\n\n  The army is big.  \n", encoding="utf-8")
    out = tmp_path / "fixed.txt"
    code, _, err = run(str(source), str(target), "-o", str(out), "--engine", "none")
    assert code == 0, err
    # Changed lines replaced, everything else (blank lines, spaces) kept.
    assert out.read_text(encoding="utf-8") == (
        "Both ceasefires were broken.\n\n  The army is big.  \n"
    )
    assert "'truces' → 'ceasefires'" in err
    assert "1 fixed, 0 left" in err


def test_fix_paragraphs_as_translate_writes_them(tmp_path: Path) -> None:
    source = tmp_path / "brief.txt"
    source.write_text(
        "Het staakt-het-vuren werd\ngeschonden door beide partijen.\n\n"
        "De minister sprak met de pers.\nHij was kort.\n",
        encoding="utf-8",
    )
    target = tmp_path / "brief.en.txt"
    target.write_text(
        "The truce was violated by both parties.\n\nThe minister spoke to the press.\n"
        "He was brief.\n",
        encoding="utf-8",
    )
    code, out, err = run(str(source), str(target), "--engine", "none")
    assert code == 0, err
    assert out == (
        "The ceasefire was violated by both parties.\n\nThe minister spoke to the press.\n"
        "He was brief.\n"
    )


def test_fix_po_updates_targets_in_place(tmp_path: Path) -> None:
    import polib

    po = tmp_path / "deepl.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        "# translator comment kept\n#: brief.txt:3\n#, fuzzy\n"
        'msgid "Beide staakt-het-vurens werden geschonden."\n'
        'msgstr "Both truces were broken."\n\n'
        '#: brief.txt:5\nmsgid "Het leger is groot."\nmsgstr "The army is big."\n',
        encoding="utf-8",
    )
    out = tmp_path / "fixed.po"
    report = tmp_path / "fix.json"
    code, _, err = run(str(po), "-o", str(out), "--report", str(report), "--engine", "none")
    assert code == 0, err
    entries = {e.msgid: e for e in polib.pofile(str(out))}
    first = entries["Beide staakt-het-vurens werden geschonden."]
    assert first.msgstr == "Both ceasefires were broken."
    assert first.fuzzy and first.tcomment == "translator comment kept"
    assert first.occurrences == [("brief.txt", "3")]
    assert entries["Het leger is groot."].msgstr == "The army is big."
    if shutil.which("msgfmt"):
        subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(out)], check=True, capture_output=True
        )
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["fixed"], data["left"], data["changed"]) == (1, 0, 1)
    assert data["edits"][0]["before"] == "truces" and data["edits"][0]["after"] == "ceasefires"


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <!-- exported by a CAT tool -->
  <file original="brief.txt" source-language="nl" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="1">
        <source>Beide staakt-het-vurens werden geschonden.</source>
        <target state="translated">Both truces were broken.</target>
        <note>keep me</note>
      </trans-unit>
      <trans-unit id="2">
        <source>De OVSE sprak.</source>
        <target state="translated">The <g id="1">OVSE</g> spoke.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_fix_xliff_updates_targets_in_place(tmp_path: Path) -> None:
    from translate.storage.xliff import xlifffile

    xlf = tmp_path / "brief.xlf"
    xlf.write_text(XLIFF, encoding="utf-8")
    out = tmp_path / "fixed.xlf"
    code, _, err = run(str(xlf), "-o", str(out), "--engine", "none")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "<!-- exported by a CAT tool -->" in text and "<note>keep me</note>" in text
    store = xlifffile(out.read_bytes())
    targets = {u.source: u.target for u in store.units if u.source}
    assert targets["Beide staakt-het-vurens werden geschonden."] == "Both ceasefires were broken."
    # A target with inline markup is fixed around its codes, which are kept.
    assert '<g id="1">OSCE</g>' in text and "OVSE" not in text.split("<target")[2]
    assert 'state="translated"' in text  # marked as it was


def test_fix_tsv(tmp_path: Path) -> None:
    tsv = tmp_path / "segments.tsv"
    tsv.write_text(
        "Het staakt-het-vuren hield geen stand.\tThe armistice did not hold.\n"
        "Het leger is groot.\tThe army is big.\n",
        encoding="utf-8",
    )
    code, out, err = run(str(tsv), "--engine", "none")
    assert code == 0, err
    assert out == (
        "Het staakt-het-vuren hield geen stand.\tThe ceasefire did not hold.\n"
        "Het leger is groot.\tThe army is big.\n"
    )


def test_fix_strict_and_usage_errors(tmp_path: Path) -> None:
    source = tmp_path / "nl.txt"
    target = tmp_path / "en.txt"
    source.write_text("De beschietingen op Stepanakert gingen door.\n", encoding="utf-8")
    target.write_text("The shelling of Khankendi continued.\n", encoding="utf-8")
    code, out, err = run(str(source), str(target), "--engine", "none", "--strict")
    assert code == 1 and "could not be placed safely" in err
    assert out == "The shelling of Khankendi continued.\n"  # written first, unchanged
    code, _, err = run(str(source), str(target), "-o", str(target), "--engine", "none")
    assert code == 2 and "Refusing to overwrite the input" in err
    tmx = tmp_path / "memory.tmx"
    tmx.write_text("<tmx/>", encoding="utf-8")
    code, _, err = run(str(tmx), "--engine", "none")
    assert code == 1 and "PO, XLIFF or TSV" in err


def test_fix_without_a_model_says_so(tmp_path: Path) -> None:
    source = tmp_path / "nl.txt"
    target = tmp_path / "en.txt"
    source.write_text("Het leger is groot.\n", encoding="utf-8")
    target.write_text("The army is big.\n", encoding="utf-8")
    code, out, err = run(str(source), str(target))
    assert code == 0 and out == "The army is big.\n"
    assert "aligning from the termbase alone" in err
    code, _, err = run(str(source), str(target), "--engine", "argos")
    assert code == 1 and "No nl→en Argos model is installed" in err


@pytest.mark.slow
def test_forced_alignment_with_the_tiny_argos_model(
    tiny_package: object, glossary: Glossary, tmp_path: Path
) -> None:
    from glossary.engines.argos.engine import ArgosEngine

    engine = ArgosEngine(tiny_package, beam_size=1, threads=1)  # type: ignore[arg-type]
    pairs = [
        ("Beide staakt-het-vurens werden geschonden.", "  Both truces were broken."),
        ("Het leger is groot.", "The army is big."),
    ]
    links = model_links(engine, pairs)
    assert len(links) == 2 and links[0]
    for (source, target), found in zip(pairs, links, strict=True):
        for link in found:  # every link is inside the given translation and its source
            assert len(target) - len(target.lstrip()) <= link.target_start < link.target_end
            assert link.target_end <= len(target)
            assert 0 <= link.source_start < link.source_end <= len(source)
    # The command finds the installed model and uses it; guarantees hold whatever it says.
    source = tmp_path / "nl.txt"
    target = tmp_path / "en.txt"
    source.write_text(pairs[0][0] + "\n" + pairs[1][0] + "\n", encoding="utf-8")
    target.write_text("Both truces were broken.\nThe army is big.\n", encoding="utf-8")
    code, out, err = run(str(source), str(target), "--report", str(tmp_path / "r.json"))
    assert code == 0, err
    assert "alignment: model attention" in err
    assert out.splitlines()[1] == "The army is big."
    assert "truces" not in out.splitlines()[0] and "ceasefire" in out.splitlines()[0]


def test_the_demo_example_is_fixed_and_checked(tmp_path: Path) -> None:
    """`make demo`: fix then check on the MT-like translation of seed 001."""
    source = ROOT / "seeds" / "001_aab24cd63284c81b.txt"
    target = ROOT / "examples" / "001_aab24cd63284c81b.en-mt.txt"
    out = tmp_path / "fixed.txt"
    code, _, err = run(str(source), str(target), "-o", str(out), "--engine", "none")
    assert code == 0, err
    assert "13 fixed, 1 left" in err
    fixed = out.read_text(encoding="utf-8")
    given = target.read_text(encoding="utf-8")
    assert fixed.count("\n\n") == given.count("\n\n")  # the layout is kept
    for wrong in ("truce", "prime minister", "Genève", "Bakoe", "peace deal", "Flemish Cabinet"):
        assert wrong in given and wrong not in fixed
    result = CliRunner().invoke(main, ["check", str(source), str(out), "--termbase", str(TERMBASE)])
    assert result.exit_code == 1  # the one term left for the translator
    assert "76 of 77 term occurrences" in result.stderr


@pytest.mark.parametrize(
    ("before", "after", "offsets", "expected"),
    [
        # Codes around the replaced word wrap the new one; later ones shift.
        ("The OVSE spoke.", "The OSCE spoke.", [4, 8, 15], [4, 8, 15]),
        ("Both truces were broken.", "Both ceasefires were broken.", [5, 11, 16], [5, 15, 20]),
        ("A OVSE mission.", "An OSCE mission.", [0, 2, 6, 15], [0, 3, 7, 16]),
    ],
    ids=["same-length", "longer", "article-changed-too"],
)
def test_inline_codes_move_with_the_text(
    before: str, after: str, offsets: list[int], expected: list[int]
) -> None:
    from glossary.translation.fixing import moved

    assert [moved(before, after, o) for o in offsets] == expected
