"""Review decisions, the resumable session, the TSV route, and the mining commands."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.errors import ImportFormatError, InvalidValue
from glossary.mining.candidates import Candidate, Context, Variant
from glossary.mining.review import (
    CANDIDATE_COLUMNS,
    ReviewState,
    accept,
    candidate_row,
    dump_state,
    import_decisions,
    load_state,
    parse_candidates_tsv,
    queue,
    reject,
    variant_forms,
)
from glossary.termbase.model import Termbase
from glossary.termbase.store import read_termbase

TEXT = (
    "De Minskgroep bemiddelt. De Minsk-groep vergadert. De Minsk Groep vraagt een "
    "staakt-het-vuren.\n\nOok de OVSE Minsk Groep wil een staakt-het-vuren. Het "
    "vredesakkoord en het vredesakkoord.\n\nDe Organisatie voor Veiligheid en "
    "Samenwerking in Europa (OVSE) en de OVSE.\n"
)


def candidate(term: str = "Minsk Groep", kind: str = "name", **kw: object) -> Candidate:
    values: dict[str, object] = {
        "variants": (
            Variant(term, 3),
            Variant("Minskgroep", 2),
            Variant("Minsk-groep", 1),
            Variant("OVSE Minsk Groep", 1),
        ),
        "frequency": 7,
        "doc_frequency": 2,
        "score": 3.5,
        "kind": kind,
        "contexts": (
            Context("a.txt:3", "De Minsk Groep vraagt een staakt-het-vuren."),
            Context("b.txt:1", "Ook de Minsk Groep."),
        ),
    }
    values.update(kw)
    return Candidate(term=term, **values)  # type: ignore[arg-type]


def test_accept_makes_an_approved_concept_with_variants_context_and_sources() -> None:
    concept = accept(candidate(), "Minsk Group")
    assert (concept.nl, concept.en, concept.status) == ("Minsk Groep", "Minsk Group", "approved")
    assert concept.nl_variants == ("OVSE Minsk Groep",)  # joined/hyphenated spellings fold
    assert concept.context == "De Minsk Groep vraagt een staakt-het-vuren."
    assert concept.sources == ("a.txt", "b.txt")
    assert concept.pos == "properNoun"
    with pytest.raises(InvalidValue, match="English"):
        accept(candidate(), " ")


def test_reject_and_acronyms() -> None:
    rejected = reject(candidate("vredesakkoord", "word", variants=(Variant("vredesakkoord", 2),)))
    assert (rejected.status, rejected.en, rejected.pos) == ("rejected", "", "")
    acronym = accept(
        candidate(
            "OVSE",
            "acronym",
            variants=(Variant("OVSE", 4), Variant("OVSE's", 1)),
            expansion="Organisatie voor Veiligheid en Samenwerking in Europa",
        ),
        "OSCE",
    )
    assert acronym.case_sensitive
    assert acronym.nl_variants == ("Organisatie voor Veiligheid en Samenwerking in Europa",)


def test_variant_forms_drop_inflection_and_spelling_variants() -> None:
    c = candidate(
        "vredesakkoord",
        "word",
        variants=(
            Variant("vredesakkoord", 2),
            Variant("vredesakkoorden", 1),
            Variant("vredes-akkoord", 1),
            Variant("vredesverdrag", 1),
        ),
    )
    assert variant_forms(c) == ["vredesverdrag"]


def test_queue_and_state(tmp_path: Path) -> None:
    a, b, c = candidate("a"), candidate("b"), candidate("c", status="approved")
    state = ReviewState().skip(a)
    assert queue([a, b, c], state) == [b, a]
    path = tmp_path / ".review-state.json"
    path.write_text(dump_state(state))
    assert load_state(path) == state
    assert load_state(tmp_path / "missing.json") == ReviewState()
    assert state.forget(a) == ReviewState()
    path.write_text("{not json")
    with pytest.raises(InvalidValue, match="delete it"):
        load_state(path)


def tsv(*rows: list[str]) -> bytes:
    lines = ["\t".join(CANDIDATE_COLUMNS)] + ["\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def row(decision: str, term: str, en: str = "", **cells: str) -> list[str]:
    values = dict.fromkeys(CANDIDATE_COLUMNS, "")
    values.update(decision=decision, term=term, en=en, **cells)
    return [values[c] for c in CANDIDATE_COLUMNS]


def test_candidate_row_round_trips_through_import() -> None:
    cells = candidate_row(candidate())
    assert len(cells) == len(CANDIDATE_COLUMNS)
    cells[0], cells[2] = "accept", "Minsk Group"
    (parsed,) = parse_candidates_tsv(tsv(cells))
    assert parsed.decision == "accept"
    assert parsed.concept.nl_variants == ("OVSE Minsk Groep",)
    assert parsed.concept.sources == ("a.txt",)


IMPORT_PROBLEMS = [
    (tsv(row("maybe", "x")), "unknown decision 'maybe'"),
    (tsv(row("accept", "vredesakkoord")), "accepted without English"),
    (tsv(row("accept", "", "x")), "empty term"),
    (b"term\ten\nx\ty\n", "missing column(s): decision"),
    (b"decision\tterm\ten\naccept\t\xff\tx\n", "invalid UTF-8"),
]


@pytest.mark.parametrize(("data", "message"), IMPORT_PROBLEMS, ids=[m for _, m in IMPORT_PROBLEMS])
def test_import_problems_are_located(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match="nothing was imported") as info:
        parse_candidates_tsv(data, "c.tsv")
    assert message in str(info.value) and "c.tsv:" in str(info.value)


def test_import_decisions_all_or_nothing_and_idempotent() -> None:
    rows = parse_candidates_tsv(
        tsv(
            row("accept", "vredesakkoord", "peace agreement"),
            row("yes", "wapenstilstand", "", suggestion="armistice"),
            row("reject", "regering"),
            row("", "skip me"),
            row("a", "OVSE", "OSCE", kind="acronym", variants="OVSE (3) | OVSE's (1)"),
        )
    )
    assert [r.decision for r in rows] == ["accept", "accept", "reject", "accept"]
    tb, result = import_decisions(Termbase(), rows)
    assert [(c.nl, c.en, c.status) for c in result.added] == [
        ("vredesakkoord", "peace agreement", "approved"),
        ("wapenstilstand", "armistice", "approved"),
        ("regering", "", "rejected"),
        ("OVSE", "OSCE", "approved"),
    ]
    assert tb.get("ovse") is not None and tb.get("ovse").case_sensitive  # type: ignore[union-attr]
    again, second = import_decisions(tb, rows)
    assert again is tb and len(second.unchanged) == 4 and not second.added
    conflict = parse_candidates_tsv(tsv(row("reject", "vredesakkoord")))
    with pytest.raises(ImportFormatError, match="already concept 'vredesakkoord'"):
        import_decisions(tb, conflict)


# ------------------------------------------------------------------ CLI


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "brief.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "docs" / "tweede.txt").write_text(
        "De Minsk Groep en het staakt-het-vuren.\n", encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    assert (
        CliRunner().invoke(main, ["term", "add", "vredesakkoord", "peace agreement"]).exit_code == 0
    )
    return tmp_path / "glossary" / "termbase.tsv"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_mine_table_json_tsv(project: Path, tmp_path: Path) -> None:
    code, out, err = run("mine", "docs", "--top", "5")
    assert code == 0, err
    assert out.splitlines()[0].split()[:4] == ["#", "TERM", "KIND", "FREQ"]
    assert "Minsk Groep" in out and "candidates from 2 documents" in err

    code, out, err = run("mine", "docs", "--format", "json", "--min-freq", "1")
    data = json.loads(out)
    assert data["version"] == 1
    terms = {c["term"]: c for c in data["candidates"]}
    assert terms["vredesakkoord"]["status"] == "approved"
    minsk = terms["Minsk Groep"]
    assert {v["form"] for v in minsk["variants"]} >= {
        "Minskgroep",
        "Minsk-groep",
        "OVSE Minsk Groep",
    }
    assert minsk["status"] == "new" and minsk["doc_frequency"] == 2
    assert minsk["contexts"][0]["ref"].endswith("brief.txt:1")
    assert terms["OVSE"]["expansion"] == "Organisatie voor Veiligheid en Samenwerking in Europa"

    code, _, err = run("mine", "docs", "--format", "tsv", "-o", str(tmp_path / "c.tsv"))
    assert code == 0, err
    lines = (tmp_path / "c.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(CANDIDATE_COLUMNS)


def test_mine_errors(project: Path) -> None:
    code, out, err = run("mine", "nothing-here")
    assert code == 1 and out == "" and "no such file or folder" in err
    code, _, err = run("mine", "docs", "--top", "0")
    assert code == 2
    code, _, err = run("mine", "docs", "--suggest")
    assert code == 1 and "No nl→en Argos model is installed" in err
    # A wrong -o fails before mining: no "candidates from" summary.
    code, out, err = run("mine", "docs", "-o", "missing/c.tsv")
    assert (code, out) == (1, "")
    assert err == (
        "Error: Cannot write missing/c.tsv: folder missing does not exist. Create it first.\n"
    )
    code, _, err = run("mine", "docs", "-o", "docs")
    assert code == 1 and err == "Error: Cannot write docs: it is a folder. Give a file name.\n"


def test_mine_without_termbase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    code, out, err = run("mine", "a.txt", "--format", "json")
    assert code == 0 and "No termbase found" in err
    assert {c["status"] for c in json.loads(out)["candidates"]} == {"new"}


def test_tsv_route_mine_edit_import(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "c.tsv"
    assert run("mine", "docs", "--format", "tsv", "-o", str(target))[0] == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    edited = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        if cells[1] == "Minsk Groep":
            cells[0], cells[2] = "accept", "Minsk Group"
        elif cells[1] == "OVSE":
            cells[0] = "reject"
        edited.append("\t".join(cells))
    target.write_text("\r\n".join(edited) + "\r\n", encoding="utf-8")
    code, out, err = run("term", "import", str(target))
    assert code == 0, err
    assert out == "" and "Imported 2 concepts (1 approved, 1 rejected)" in err
    tb = read_termbase(project)
    minsk = tb.get("minsk-groep")
    assert minsk is not None and minsk.en == "Minsk Group" and minsk.status == "approved"
    assert tb.get("ovse") is not None and tb.get("ovse").status == "rejected"  # type: ignore[union-attr]
    code, _, err = run("term", "import", str(target))
    assert code == 0 and "2 already in the termbase" in err
    code, out, _ = run("mine", "docs", "--format", "json", "--min-freq", "1")
    statuses = {c["term"]: c["status"] for c in json.loads(out)["candidates"]}
    assert statuses["Minsk Groep"] == "approved" and statuses["OVSE"] == "rejected"


def test_term_import_errors(project: Path, tmp_path: Path) -> None:
    code, _, err = run("term", "import", str(tmp_path / "missing.tsv"))
    assert code == 1 and "no such file" in err
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(tsv(row("accept", "wapenstilstand")))
    before = project.read_bytes()
    code, _, err = run("term", "import", str(bad))
    assert code == 1 and "bad.tsv:2" in err
    assert "accepted without English" in err and project.read_bytes() == before


def test_review_accept_edit_reject_skip_quit_and_resume(project: Path) -> None:
    code, _, err = run(
        "review", "docs", "--min-freq", "1", "--top", "6", input="a\nMinsk Group\ns\nq\n"
    )
    assert code == 0, err
    assert "── 1/" in err and "→ minsk-groep: Minsk Groep → Minsk Group (approved)" in err
    assert "1 accepted, 0 rejected, 1 skipped" in err and "left" in err
    state = json.loads((project.parent / ".review-state.json").read_text())
    assert len(state["skipped"]) == 1
    skipped = state["skipped"][0]

    # Resume: the accepted one is gone, the skipped one comes last.
    code, _, err = run("review", "docs", "--min-freq", "1", "--top", "6", input="r\nq\n")
    assert code == 0, err
    tb = read_termbase(project)
    rejected = [c for c in tb if c.status == "rejected"]
    assert len(rejected) == 1 and rejected[0].nl.replace(" ", "").casefold() != skipped

    # Edit: the reviewer rewrites the Dutch term and variants before accepting
    # ("-" clears the variants).
    code, _, err = run(
        "review",
        "docs",
        "--min-freq",
        "1",
        "--top",
        "6",
        input="e\nwapenbestand\nwapenvoorraad\narms cache\nq\n",
    )
    assert code == 0, err
    edited = read_termbase(project).get("wapenbestand")
    assert edited is not None
    assert (edited.en, edited.nl_variants, edited.status) == (
        "arms cache",
        ("wapenvoorraad",),
        "approved",
    )


def test_review_end_of_input_saves_and_nothing_left(project: Path) -> None:
    code, _, err = run("review", "docs", "--min-freq", "2", "--top", "2", input="s\n")
    assert code == 0 and "left" in err
    answers = "".join("r\n" for _ in range(10))
    code, _, err = run(
        "review", "docs", "--min-freq", "2", "--top", "2", "--restart", input=answers
    )
    assert code == 0
    code, _, err = run("review", "docs", "--min-freq", "2", "--top", "2")
    assert code == 0 and "Nothing to review" in err


def test_review_needs_a_termbase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    code, _, err = run("review", "a.txt")
    assert code == 1 and "No termbase found" in err


def test_mine_suggests_english_when_a_model_is_installed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glossary.engines import registry as engine
    from glossary.engines.argos import packages as models
    from test_mining import FakeEngine

    fake = FakeEngine()
    monkeypatch.setattr(models, "find_package", lambda *a, **k: object())
    monkeypatch.setattr(engine, "load_engine", lambda *a, **k: fake)
    code, out, err = run("mine", "docs", "--format", "json", "--top", "3")
    assert code == 0, err
    first = json.loads(out)["candidates"][0]
    assert first["term"] == "Minsk Groep"
    assert first["suggestions"][0] == {
        "text": "Minsk Groep",
        "source": "term",
        "engine": "engine:fake",
        "machine": True,
    }
    code, out, _ = run("mine", "docs", "--format", "json", "--top", "3", "--no-suggest")
    assert json.loads(out)["candidates"][0]["suggestions"] == []


def test_mine_shows_progress_for_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for n in range(20):
        (tmp_path / f"d{n:02d}.txt").write_text(TEXT, encoding="utf-8")
    code, out, err = run("mine", ".", "--top", "3")
    assert code == 0 and "Reading" in err and "Reading" not in out
    code, _, err = run("mine", ".", "--top", "3", "--quiet")
    assert code == 0 and err == ""


def test_review_edit_can_clear_variants(project: Path) -> None:
    code, _, err = run(
        "review", "docs", "--min-freq", "1", "--top", "1", input="e\nMinskgroep\n-\nMinsk Group\n"
    )
    assert code == 0, err
    concept = read_termbase(project).get("minskgroep")
    assert concept is not None and concept.nl_variants == () and concept.en == "Minsk Group"


def test_mine_table_shows_context_sentences_and_fits_the_terminal(project: Path) -> None:
    for width in (70, 100, 160):
        result = CliRunner().invoke(
            main, ["mine", "docs", "--top", "5"], env={"COLUMNS": str(width)}, color=True
        )
        assert result.exit_code == 0, result.stderr
        plain = click.unstyle(result.stdout)
        assert max(len(line) for line in plain.splitlines()) <= width
        assert "CONTEXT" in plain.splitlines()[0] and "TERM" in plain.splitlines()[0]
        start = plain.splitlines()[0].index("CONTEXT")
        context = " ".join(line[start:].strip() for line in plain.splitlines()[2:7])
        assert "".join(context.split()).startswith("docs/brief.txt:1:DeMinskgroepbemiddelt.")
    # The candidate is highlighted in its context sentence.
    assert "\x1b[33m\x1b[1mMinskgroep\x1b[0m bemiddelt." in result.stdout
    # Piped: plain, each row on one line.
    result = CliRunner().invoke(main, ["mine", "docs", "--top", "5"])
    lines = result.stdout.splitlines()
    assert "\x1b[" not in result.stdout and len(lines) == 2 + 5
    assert "docs/brief.txt:1: De Minskgroep bemiddelt. (+2 more)" in lines[2]
