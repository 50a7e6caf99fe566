"""The one verification rule (glossary.matching.verify), and that enforcement,
the QA and `glossary check` all give its verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import qa
from glossary.cli import main
from glossary.enforcement.cascade import EnforceOptions, Enforcer
from glossary.engines.base import Hypothesis, Request
from glossary.exchange.registry import BilingualUnit
from glossary.matching.verify import Glossary, TermCheck, Verification, verify
from glossary.termbase.model import Termbase, make_concept
from glossary.termbase.store import write_termbase
from test_enforce import BY_ID, WordEngine

# As in the shipped termbase: the OSCE has a long English alternative, so an
# order by the longest accepted English would let it take the "OSCE" inside
# "OSCE Minsk Group" first.
CONCEPTS = [
    make_concept(
        "OVSE",
        "OSCE",
        en_alternatives=["Organization for Security and Co-operation in Europe"],
        en_forbidden=["OVSE"],
        case_sensitive=True,
        pos="properNoun",
    ),
    BY_ID["minskgroep"],  # "OSCE Minsk Group", admitted "Minsk Group"
    make_concept("vredesakkoord", "peace agreement", pos="noun", en_forbidden=["agreement"]),
    make_concept("akkoord", "agreement", pos="noun"),
    make_concept("conflict", "conflict", en_alternatives=["dispute", "strife"], pos="noun"),
    make_concept("geschil", "dispute", pos="noun"),
    make_concept(
        "stoffelijk overschot",
        "remains",
        nl_variants=["stoffelijke overschotten"],
        en_forbidden=["material remains"],
        pos="noun",
    ),
]
GLOSSARY = Glossary(CONCEPTS)


class Fixed(WordEngine):
    """An engine that writes the same text whatever it is asked."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def hypothesis(self, request: Request, k: int) -> Hypothesis:
        return Hypothesis(self.text, -1.0)


def spans(text: str, result: Verification) -> list[str | None]:
    return [text[s[0] : s[1]] if s else None for s in result.spans]


# (source, target, the English each occurrence is found as, wrong-case
# renderings, forbidden renderings)
CASES = {
    "exact-case": ("De OVSE riep op.", "The OSCE called.", ["OSCE"], [], []),
    "wrong-case-is-not-the-term": ("De OVSE riep op.", "The osce called.", [None], ["osce"], []),
    "possessive-keeps-the-case": ("De OVSE riep op.", "The OSCE's call.", ["OSCE's"], [], []),
    "swallowed-inside-a-longer-term": (
        "De Minsk Groep en de OVSE spraken.",
        "The OSCE Minsk Group spoke.",
        ["OSCE Minsk Group", None],
        [],
        [],
    ),
    "swallowed-whatever-the-source-order": (
        "De OVSE en de Minsk Groep spraken.",
        "The OSCE Minsk Group spoke.",
        [None, "OSCE Minsk Group"],
        [],
        [],
    ),
    "both-when-both-are-there": (
        "De Minsk Groep en de OVSE spraken.",
        "The OSCE Minsk Group and the OSCE spoke.",
        ["OSCE Minsk Group", "OSCE"],
        [],
        [],
    ),
    "shorter-alternative-of-the-longer-term": (
        "De Minsk Groep en de OVSE spraken.",
        "The Minsk Group and the OSCE spoke.",
        ["Minsk Group", "OSCE"],
        [],
        [],
    ),
    "each-span-once": ("De OVSE en de OVSE.", "The OSCE and the group.", ["OSCE", None], [], []),
    "forbidden-inside-a-correct-term": (
        "Het vredesakkoord.",
        "The peace agreement.",
        ["peace agreement"],
        [],
        [],
    ),
    "forbidden-alone": ("Het vredesakkoord.", "The agreement.", [None], [], ["agreement"]),
    # The longer span wins the other way too: the accepted "remains" inside the
    # forbidden "material remains" renders nothing.
    "accepted-inside-a-longer-forbidden-rendering": (
        "De stoffelijke overschotten.",
        "The material remains.",
        [None],
        [],
        ["material remains"],
    ),
    # A forbidden rendering beside the rendered term stands for nothing the
    # target misses: it is `stray` (the QA reports it; the enforcer leaves it).
    "accepted-beside-the-forbidden-rendering": (
        "De stoffelijke overschotten.",
        "The remains, not material remains.",
        ["remains"],
        [],
        [],
    ),
    "a-span-goes-where-it-is-needed": (
        # "dispute" is accepted for both; the conflict also has "conflict".
        "Het geschil en het conflict.",
        "The dispute and the conflict.",
        ["dispute", "conflict"],
        [],
        [],
    ),
    "fewer-places-first": (
        # Both want "dispute"; the geschil has nowhere else to go.
        "Het conflict en het geschil.",
        "The dispute and the strife.",
        ["strife", "dispute"],
        [],
        [],
    ),
}


@pytest.mark.parametrize(
    ("source", "target", "found", "wrong_case", "forbidden"), CASES.values(), ids=CASES.keys()
)
def test_the_rule(
    source: str, target: str, found: list[str | None], wrong_case: list[str], forbidden: list[str]
) -> None:
    occurrences = GLOSSARY.occurrences(source)
    result = verify(target, occurrences)
    assert spans(target, result) == found
    assert [target[s:e] for s, e, _ in result.wrong_case] == wrong_case
    assert [target[s:e] for s, e, _ in result.forbidden] == forbidden
    assert result.ok == (None not in found and not forbidden)
    assert result.missing == [i for i, f in enumerate(found) if f is None]


def test_per_occurrence_results() -> None:
    occurrences = GLOSSARY.occurrences("De OVSE en het vredesakkoord.")
    target = "The Osce and the agreement, an OVSE matter."
    result = verify(target, occurrences)
    assert result.terms == (
        TermCheck(None, wrong_case=((4, 8),), forbidden=((31, 35),)),
        TermCheck(None, forbidden=((17, 26),)),
    )
    assert result.forbidden == ((17, 26, "vredesakkoord"), (31, 35, "ovse"))
    assert (result.satisfied, result.ok) == (0, False)


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s, t, *_ in CASES.values()], ids=CASES.keys()
)
def test_the_qa_counts_what_the_rule_says(source: str, target: str) -> None:
    occurrences = GLOSSARY.occurrences(source)
    result = verify(target, occurrences)
    report = qa.check_units([BilingualUnit(source, target, ref="s:1")], CONCEPTS)
    assert (report.occurrences, report.correct) == (len(occurrences), result.satisfied)
    # One violation per missing occurrence (a wrong term where a forbidden
    # rendering or the wrong case stands in for it), then the forbidden
    # renderings left over: every forbidden span is reported once.
    wrong = [v for v in report.violations if v.kind in ("missing", "dnt", "wrong")]
    assert [v.concept_id for v in wrong] == [occurrences[i].concept.id for i in result.missing]
    forbidden = [v for v in report.violations if v.detail == "forbidden rendering"]
    every = sorted((*result.forbidden, *result.stray))
    assert sorted(v.target_span for v in forbidden) == [(s, e) for s, e, _ in every]


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s, t, *_ in CASES.values()], ids=CASES.keys()
)
def test_enforcement_keeps_what_the_rule_accepts_and_repairs_the_rest(
    source: str, target: str
) -> None:
    occurrences = GLOSSARY.occurrences(source)
    accepted = verify(target, occurrences).ok
    options = EnforceOptions(mask="off", prefix=False)
    (result,) = Enforcer(Fixed(target), GLOSSARY, options).translate_texts([source])
    assert (result.target == target) == accepted
    assert all(u.status == "enforced" for u in result.terms)
    assert verify(result.target, occurrences).ok
    report = qa.check_units([BilingualUnit(source, result.target)], CONCEPTS)
    assert report.correct == report.occurrences == len(occurrences)
    # Left: only forbidden renderings beside a rendered term (replacing them
    # would double the term), which the QA reports and the enforcer notes.
    stray = verify(result.target, occurrences).stray
    assert [v.target_span for v in report.violations] == [(s, e) for s, e, _ in stray]
    assert all(f"'{result.target[s:e]}'" in result.terms[0].detail for s, e, _ in stray)


def test_a_forbidden_rendering_beside_the_term_is_stray() -> None:
    occurrences = GLOSSARY.occurrences("De stoffelijke overschotten.")
    target = "The remains, not material remains."
    result = verify(target, occurrences)
    assert result.ok and result.forbidden == ()
    assert [target[s:e] for s, e, _ in result.stray] == ["material remains"]


def test_the_swallowed_osce_is_repaired() -> None:
    source = "De Minsk Groep en de OVSE spraken."
    engine = WordEngine({"minsk groep": ["OSCE Minsk Group"], "ovse": ["~"], "spraken": ["spoke"]})
    options = EnforceOptions(mask="off", redecode_budget=0)
    (result,) = Enforcer(engine, GLOSSARY, options).translate_texts([source])
    assert [(u.concept_id, u.step) for u in result.terms] == [
        ("minskgroep", "nbest"),
        ("ovse", "replace"),
    ]
    osce = result.terms[1]
    assert result.target[osce.target_start : osce.target_end] == "OSCE"
    assert not any(
        a.target_start < osce.target_end and osce.target_start < a.target_end
        for a in result.terms[:1]
    )


# ------------------------------------------------------------ glossary check


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "glossary" / "termbase.tsv"
    path.parent.mkdir()
    write_termbase(path, Termbase(tuple(CONCEPTS)))
    return tmp_path


@pytest.mark.parametrize(
    ("target", "correct"),
    [("The OSCE called.", 1), ("The osce called.", 0), ("The Osce called.", 0)],
    ids=["exact", "lower", "capitalised"],
)
def test_glossary_check_wants_the_exact_case(project: Path, target: str, correct: int) -> None:
    (project / "seg.tsv").write_text(f"De OVSE riep op.\t{target}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "seg.tsv", "--format", "json"])
    assert result.exit_code == (0 if correct else 1), result.stderr
    data = json.loads(result.stdout)
    assert (data["term_occurrences"], data["correct"]) == (1, correct)
    wrong = [("wrong", "wrong case", target.split()[1])]
    assert [(v["kind"], v["detail"], v["found"]) for v in data["violations"]] == (
        [] if correct else wrong
    )


def test_glossary_check_does_not_count_a_swallowed_term(project: Path) -> None:
    (project / "seg.tsv").write_text(
        "De Minsk Groep en de OVSE spraken.\tThe OSCE Minsk Group spoke.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "seg.tsv", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["term_occurrences"], data["correct"]) == (2, 1)
    (violation,) = data["violations"]
    assert (violation["kind"], violation["concept_id"], violation["term"]) == (
        "missing",
        "ovse",
        "OVSE",
    )
