"""Determinism: a document's translation is the same bytes whatever else is in the run.

Each seed document translated alone gives the same JSON (targets, scores,
every term use with its step and detail) as when the five are translated
together, with strategy chunks of 1, 7 or 256 texts, and with 1 or 2 engine
threads; enforcement included (re-decode allowances and the probe of step 2
are functions of the segment and of the termbase). Checked with the word
engine of tests/test_enforce.py and with the tiny random Argos package.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from glossary.document import Document, SegmentTranslator, TranslatedDocument
from glossary.enforcement.cascade import EnforceOptions, Enforcer
from glossary.enforcement.report import build_report
from glossary.engines.argos.engine import ArgosEngine
from glossary.engines.argos.packages import Package
from glossary.engines.base import Engine
from glossary.matching.verify import Glossary
from glossary.reading import ingest
from glossary.termbase.store import read_termbase
from glossary.translation import writers
from glossary.translation.pipeline import translate_documents
from test_enforce import WordEngine

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# A lexicon that makes every step of the cascade happen on the seeds: the
# word engine copies unknown words, so most terms come out Dutch.
LEXICON = {
    "staakt-het-vuren": ["truce"],
    "ovse": ["Osce", "OSCE"],
    "armenië": ["Armenie"],
    "azerbeidzjan": ["Azerbaijan"],
    "minsk groep": ["Minsk Groep"],
    "nederland": ["Holland"],
    "vredesakkoord": ["peace deal"],
}
# Half the segments may re-decode once: allowances of 0 and 1 both occur.
OPTIONS = EnforceOptions(redecode_budget=0.5)

Strategy = Callable[[Engine], SegmentTranslator]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(read_termbase(ROOT / "glossary" / "termbase.tsv").concepts)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return list(ingest.read_documents([str(SEEDS)]))


def as_bytes(doc: TranslatedDocument) -> bytes:
    stream = io.StringIO()
    writers.write_json([doc], stream)
    return stream.getvalue().encode("utf-8")


def run(
    documents: Sequence[Document], strategy: SegmentTranslator, chunk_size: int = 256
) -> dict[str, bytes]:
    return {doc.document.path: as_bytes(doc) for doc in translated(documents, strategy, chunk_size)}


def translated(
    documents: Sequence[Document], strategy: SegmentTranslator, chunk_size: int = 256
) -> list[TranslatedDocument]:
    return translate_documents(documents, strategy, chunk_size=chunk_size)


def check_determinism(
    make_engine: Callable[[int], Engine],
    glossary: Glossary,
    documents: Sequence[Document],
) -> None:
    def enforcer(threads: int = 1) -> Enforcer:
        return Enforcer(make_engine(threads), glossary, OPTIONS)

    together_strategy = enforcer()
    together_docs = translated(documents, together_strategy)
    together = {doc.document.path: as_bytes(doc) for doc in together_docs}
    assert len(together) == len(documents) == 5
    alone: dict[str, bytes] = {}
    for document in documents:
        alone.update(run([document], enforcer()))
    assert alone == together
    for size in (1, 7):
        assert run(documents, enforcer(), chunk_size=size) == together, size
    assert run(documents, enforcer(threads=2)) == together
    # The run did exercise the cascade: re-decodes, budget skips, the probe.
    report = build_report(together_docs, glossary, together_strategy.notes())
    notes = {n.step: n for n in together_strategy.notes()}
    assert report.failed == 0 and report.occurrences > 700
    assert notes["prefix"].attempted + notes["mask"].attempted > 0
    assert notes["prefix"].skipped.get("budget", 0) + notes["mask"].skipped.get("budget", 0) > 0


def test_word_engine_translations_do_not_depend_on_the_run(
    glossary: Glossary, documents: list[Document]
) -> None:
    check_determinism(lambda threads: WordEngine(LEXICON), glossary, documents)


@pytest.mark.slow
def test_argos_translations_do_not_depend_on_the_run(
    tiny_package: Package, glossary: Glossary, documents: list[Document]
) -> None:
    check_determinism(
        lambda threads: ArgosEngine(tiny_package, threads=threads), glossary, documents
    )
