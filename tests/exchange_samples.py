"""Shared samples for the exchange-format tests: a termbase with every edge
case, translated documents built by hand, and the official validators.

The schemas are read from ../shared (never copied into this repository);
`need_shared()` skips only the schema validations when it is absent."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from glossary.document import (
    Document,
    Paragraph,
    Segment,
    TermUse,
    TranslatedDocument,
    TranslatedSegment,
)
from glossary.termbase.model import Concept, Termbase, make_concept

TBX = SHARED / "tbx"
TMX_DTD = SHARED / "tmx" / "tmx14.dtd"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def rich_concepts() -> list[Concept]:
    """Every field and flag, every status, ids that are not XML names."""
    return [
        make_concept(
            "staakt-het-vuren",
            "ceasefire",
            nl_variants=["staakt het vuren", "staakthetvuren"],
            en_alternatives=["truce"],
            en_forbidden=["stop-the-fire"],
            pos="noun",
            subject="armed conflict",
            definition="A halt to fighting agreed by the parties.",
            note="EU usage; 'truce' is admitted",
            context="Inmiddels werd een staakt-het-vuren bereikt.",
            sources=["seeds/000.txt", "seeds/003.txt"],
        ),
        make_concept("OVSE", "OSCE", case_sensitive=True, pos="properNoun", subject="orgs"),
        make_concept("Stepanakert", "", dnt=True, pos="properNoun"),
        make_concept("Toivo Klaar", "Toivo Klaar", dnt=True, pos="properNoun"),
        make_concept(
            "vredesplan",
            "",
            status="proposed",
            en_alternatives=["peace plan"],
            en_forbidden=["peace-plan"],
        ),
        make_concept("vredesakkoord", "peace agreement", status="proposed", pos="noun"),
        make_concept("lid", "member", status="rejected", concept_id="1e-lid"),
        make_concept("kaal", status="proposed", definition="Only a Dutch definition."),
        make_concept("Armenië", "Armenia", concept_id="armenië", nl_variants=["Armenie"]),
        make_concept("Raad van Europa", "Council of Europe", concept_id="_x0041_literal"),
        make_concept("motie", "motion", note='a note with "quotes" & <angle> brackets'),
    ]


def rich_termbase() -> Termbase:
    return Termbase(tuple(rich_concepts()))


def _segment(
    doc: str, index: int, paragraph: int, text: str, line: int, kind: str = "text"
) -> Segment:
    return Segment(doc, index, paragraph, text, line, line, 0, len(text), kind)  # type: ignore[arg-type]


def translated_docs(
    signature: str = "engine:test|package:nl_en-1.0|beam:4",
) -> list[TranslatedDocument]:
    """Two small documents: terms, a repeated segment, furniture, an untranslated segment."""
    doc = "docs/brief.txt"
    segs = [
        _segment(doc, 0, 0, "Vrede in de Kaukasus", 1, "heading"),
        _segment(doc, 1, 1, "De OVSE meldt een staakt-het-vuren.", 3),
        _segment(doc, 2, 1, "Dat is goed nieuws.", 3),
        _segment(doc, 3, 2, "- 2 -", 5, "furniture"),
        _segment(doc, 4, 3, "Dat is goed nieuws.", 7),
        _segment(doc, 5, 3, 'Stepanakert blijft "rustig" & stil.', 7),
    ]
    targets = [
        "Peace in the Caucasus",
        "The OSCE reports a ceasefire.",
        "That is good news.",
        "- 2 -",
        "That is good news!",
        "",
    ]
    terms: dict[int, tuple[TermUse, ...]] = {
        1: (
            TermUse("ovse", "OVSE", 3, 7, "OSCE", "enforced", "nbest", 4, 8),
            TermUse(
                "staakt-het-vuren",
                "staakt-het-vuren",
                18,
                34,
                "ceasefire",
                "enforced",
                "mask",
                18,
                27,
            ),
        ),
        5: (
            TermUse(
                "stepanakert",
                "Stepanakert",
                0,
                11,
                "Stepanakert",
                "failed",
                "",
                -1,
                -1,
                True,
                "no hypothesis",
            ),
        ),
    }
    paragraphs = (
        Paragraph(0, "heading", (segs[0],), 1),
        Paragraph(1, "text", (segs[1], segs[2]), 3),
        Paragraph(2, "furniture", (segs[3],), 5),
        Paragraph(3, "text", (segs[4], segs[5]), 7),
    )
    first = TranslatedDocument(
        Document(doc, paragraphs),
        tuple(
            TranslatedSegment(s, t, None, terms.get(s.index, ()))
            for s, t in zip(segs, targets, strict=True)
        ),
        signature,
    )
    other_seg = _segment("other/notes.txt", 0, 0, "Dat is goed nieuws.", 1)
    second = TranslatedDocument(
        Document("other/notes.txt", (Paragraph(0, "text", (other_seg,), 1),)),
        (TranslatedSegment(other_seg, "That is good news."),),
        signature,
    )
    return [first, second]


# --------------------------------------------------------------- validators


def need_shared(*parts: str) -> Path:
    """A file under ../shared, or skip (only schema validations may skip)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared holds the official schemas)")
    return path


def _parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser).getroottree()


@cache
def _dtd(path: Path) -> Any:
    from lxml import etree

    return etree.DTD(str(path))


@cache
def _rng(path: Path) -> Any:
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(path)))


@cache
def _schematron(path: Path) -> Any:
    from lxml import etree, isoschematron

    return isoschematron.Schematron(etree.parse(str(path)), store_report=True)


def dtd_errors(data: bytes, *parts: str) -> list[str]:
    validator = _dtd(need_shared(*parts))
    ok = validator.validate(_parse(data))
    return [] if ok else [str(e) for e in validator.error_log]


def rng_errors(data: bytes, *parts: str) -> list[str]:
    validator = _rng(need_shared(*parts))
    ok = validator.validate(_parse(data))
    return [] if ok else [str(e) for e in validator.error_log]


def schematron_errors(data: bytes, *parts: str) -> list[str]:
    validator = _schematron(need_shared(*parts))
    if validator.validate(_parse(data)):
        return []
    return [
        " ".join("".join(f.itertext()).split()) + f" at {f.get('location')}"
        for f in validator.validation_report.iter(f"{SVRL}failed-assert")
    ]


def msgfmt(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """Run gettext's msgfmt --check (the Makefile installs gettext for the tests)."""
    exe = shutil.which("msgfmt")
    if exe is None:
        pytest.fail("msgfmt is missing: install gettext (make test does: apt-get install gettext)")
    return subprocess.run(
        [exe, "--check", *flags, "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
