"""A project for the workbench tests: a small termbase, the seeds mined, a PO file to check.

The seeds are read and mined once per session with the real reader and
miner; each test gets its own project folder and termbase.
"""

from __future__ import annotations

import functools
from pathlib import Path

from glossary.document import Document
from glossary.mining import candidates as mining
from glossary.mining.candidates import Candidate
from glossary.reading.ingest import read_documents
from glossary.termbase import model as tbm
from glossary.termbase.model import Termbase
from glossary.termbase.store import write_termbase
from glossary.web.workbench import Workbench

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TOKEN = "test-token-0123456789"

CONCEPTS = (
    tbm.make_concept(
        "staakt-het-vuren",
        "ceasefire",
        nl_variants=["staakt het vuren"],
        en_forbidden=["stop-the-fire"],
        pos="noun",
    ),
    tbm.make_concept("OVSE", "OSCE", case_sensitive=True, pos="properNoun"),
    tbm.make_concept("aandacht", status="rejected"),
    tbm.make_concept("vredesakkoord", "peace agreement", status="proposed"),
)

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: seeds/001.txt:3
msgid "Er werd een staakt-het-vuren afgekondigd."
msgstr "A stop-the-fire was announced."

#: seeds/001.txt:5
msgid "De OVSE bemiddelt."
msgstr "The OSCE mediates."
"""


@functools.cache
def mined() -> tuple[tuple[Document, ...], tuple[Candidate, ...]]:
    """The seeds, read and mined (the 80 best candidates seen at least twice)."""
    documents = tuple(read_documents([str(SEEDS)]))
    candidates = mining.mine(documents, options=mining.Options(top=80, min_freq=2))
    return documents, tuple(candidates)


def make_project(folder: Path) -> Path:
    """A project folder with glossary/termbase.tsv and out/report.po; the termbase path."""
    path = folder / "glossary" / "termbase.tsv"
    path.parent.mkdir(parents=True)
    write_termbase(path, Termbase(CONCEPTS))
    (folder / "out").mkdir()
    (folder / "out" / "report.po").write_text(PO, encoding="utf-8")
    return path


def make_bench(folder: Path) -> Workbench:
    path = make_project(folder)
    documents, candidates = mined()
    return Workbench(path, folder, documents=documents, candidates=candidates, inputs=[str(SEEDS)])
