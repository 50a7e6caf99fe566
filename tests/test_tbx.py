"""TBX v2 and v3: validity by the official schemas, round trip, foreign files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from exchange_samples import (
    dtd_errors,
    need_shared,
    rich_termbase,
    rng_errors,
    schematron_errors,
)
from glossary.errors import InvalidValue, UnreadableFile
from glossary.exchange import tbx
from glossary.exchange.registry import ExportOptions
from glossary.termbase.model import Termbase, make_concept, serialize_tsv

OPTIONS = ExportOptions()


def export(version: int, termbase: Termbase | None = None) -> bytes:
    tb = rich_termbase() if termbase is None else termbase
    return tbx.to_tbx(tb.concepts, version, OPTIONS).encode("utf-8")


# ------------------------------------------------------------ validity

V2_VALIDATORS = [
    ("dtd-basic", dtd_errors, ("tbx", "v2", "TBX-Basic", "TBXBasiccoreStructV02.dtd")),
    ("dtd-core", dtd_errors, ("tbx", "v2", "core", "TBXcoreStructV02.dtd")),
    ("rng-basic", rng_errors, ("tbx", "v2", "TBX-Basic", "TBXBasicRNGV02.rng")),
    ("rng-core", rng_errors, ("tbx", "v2", "core", "TBXcoreStructV02.rng")),
    ("schematron", schematron_errors, ("tbx", "derived", "TBXBasicV02_embedded.iso.sch")),
]
V3_VALIDATORS = [
    ("rng-core", rng_errors, ("tbx", "v3", "core", "TBXcoreStructV03.rng")),
    ("schematron-dca", schematron_errors, ("tbx", "derived", "TBX-Basic_DCA.xpath1.sch")),
]


@pytest.mark.parametrize(
    ("name", "check", "schema"), V2_VALIDATORS, ids=[v[0] for v in V2_VALIDATORS]
)
def test_v2_export_is_valid(name: str, check, schema: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert check(export(2), *schema) == []


@pytest.mark.parametrize(
    ("name", "check", "schema"), V3_VALIDATORS, ids=[v[0] for v in V3_VALIDATORS]
)
def test_v3_export_is_valid(name: str, check, schema: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert check(export(3), *schema) == []


@pytest.mark.parametrize(
    ("name", "check", "schema"), V3_VALIDATORS, ids=[v[0] for v in V3_VALIDATORS]
)
def test_v3_export_of_an_empty_termbase_is_valid(name: str, check, schema: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert check(export(3, Termbase()), *schema) == []


def test_validators_catch_a_broken_file() -> None:
    """The validators are live: a wrong picklist value and a bad order fail."""
    broken = export(2).replace(b">noun<", b">Noun<", 1)
    assert schematron_errors(broken, "tbx", "derived", "TBXBasicV02_embedded.iso.sch")
    reordered = export(2).replace(b"<langSet", b"<note>late</note><langSet", 1)
    reordered = reordered.replace(b"</termEntry>", b"<note>after langSet</note></termEntry>", 1)
    assert dtd_errors(reordered, "tbx", "v2", "TBX-Basic", "TBXBasiccoreStructV02.dtd")
    v3 = export(3).replace(b'type="partOfSpeech">noun', b'type="partOfSpeech">properNoun', 1)
    assert schematron_errors(v3, "tbx", "derived", "TBX-Basic_DCA.xpath1.sch")


def test_official_sample_passes_our_validators() -> None:
    sample = need_shared("tbx", "v2", "TBX-Basic", "TBX-basic-sample.tbx").read_bytes()
    assert dtd_errors(sample, "tbx", "v2", "TBX-Basic", "TBXBasiccoreStructV02.dtd") == []
    assert schematron_errors(sample, "tbx", "derived", "TBXBasicV02_embedded.iso.sch") == []


# ------------------------------------------------------------ structure


def test_v2_structure_follows_tbx_basic() -> None:
    from lxml import etree

    root = etree.fromstring(export(2))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entry = root.find(".//termEntry[@id='staakt-het-vuren']")
    assert entry is not None
    assert entry.findtext("descrip[@type='subjectField']") == "armed conflict"
    assert [a.text for a in entry.findall("admin[@type='source']")] == [
        "seeds/000.txt",
        "seeds/003.txt",
    ]
    nl, en = entry.findall("langSet")
    assert nl.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    first = nl.find("tig")
    assert [c.tag for c in first] == ["term", "termNote", "termNote", "descrip"]
    assert first.findtext("termNote[@type='administrativeStatus']") == tbx.PREFERRED
    assert en.findtext("descrip[@type='definition']").startswith("A halt")
    statuses = [t.findtext("termNote[@type='administrativeStatus']") for t in en.findall("tig")]
    assert statuses == [tbx.PREFERRED, tbx.ADMITTED, tbx.DEPRECATED]
    proposed = root.find(".//termEntry[@id='vredesakkoord']")
    assert proposed.findtext("note") == tbx.NOTE_PROPOSED
    assert (
        proposed.findall("langSet")[1].findtext("tig/termNote[@type='administrativeStatus']")
        == tbx.ADMITTED
    )


def test_v3_has_no_proper_noun_and_says_so_in_a_note() -> None:
    from lxml import etree

    root = etree.fromstring(export(3))
    ns = {"t": tbx.NS3}
    entry = root.find(".//t:conceptEntry[@id='ovse']", ns)
    assert (
        entry.xpath("string(t:langSec/t:termSec/t:termNote[@type='partOfSpeech'])", namespaces=ns)
        == "noun"
    )
    assert tbx.NOTE_PROPER_NOUN in [n.text for n in entry.findall("t:note", ns)]


def test_exports_are_deterministic_and_dated_only_on_request() -> None:
    assert export(2) == export(2)
    assert export(3) == export(3)
    dated = tbx.to_tbx(rich_termbase().concepts, 2, ExportOptions(date="2026-11-24"))
    assert "on 2026-11-24." in dated and "2026" not in export(2).decode()


def test_v2_needs_a_concept() -> None:
    with pytest.raises(InvalidValue, match="at least one entry"):
        export(2, Termbase())


def test_control_characters_are_refused_with_the_concept_id() -> None:
    bad = make_concept("x", "y", note="bell")
    bad = type(bad)(**{**bad.__dict__, "note": "a\x07b"})
    with pytest.raises(InvalidValue, match=r"'x'.*control character"):
        export(2, Termbase((bad,)))


# ------------------------------------------------------------ round trip


@pytest.mark.parametrize("version", [2, 3], ids=["v2", "v3"])
def test_round_trip_gives_the_same_termbase(version: int) -> None:
    result = tbx.read_termbase(export(version), "x.tbx")
    assert result.skipped == () and result.ignored == 0
    assert serialize_tsv(Termbase(result.concepts)) == serialize_tsv(rich_termbase())


@pytest.mark.parametrize(
    "value",
    ["staakt-het-vuren", "1e-lid", "armenië", "a b:c", "_x0041_", "x_y", "3539013", "🙂"],
    ids=[
        "slug",
        "digit-start",
        "accent",
        "space-colon",
        "escape-lookalike",
        "underscore",
        "numeric",
        "astral",
    ],
)
def test_xml_ids_are_names_and_reversible(value: str) -> None:
    import re

    encoded = tbx.xml_id(value)
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9._\-]*", encoded)
    assert tbx.from_xml_id(encoded) == value


# ------------------------------------------------------------ foreign files

IATE_V2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>IATE export</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="3539013">
  <descripGrp><descrip type="subjectField">international affairs</descrip></descripGrp>
  <langSet xml:lang="de"><tig><term>Waffenstillstand</term></tig></langSet>
  <langSet xml:lang="nl">
    <tig><term>wapenstilstand</term><termNote type="termType">fullForm</termNote>
      <descrip type="reliabilityCode">3</descrip></tig>
    <tig><term>wapenbestand</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
  <langSet xml:lang="en-GB">
    <tig><term>truce</term>
      <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>armistice</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>cessation of arms</term>
      <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>
<termEntry id="1001">
  <langSet xml:lang="fr"><tig><term>paix</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>peace</term></tig></langSet>
</termEntry>
<termEntry id="1002">
  <langSet xml:lang="NL"><ntig><termGrp><term>Eurogroep</term></termGrp></ntig></langSet>
</termEntry>
</body></text></martif>
"""

IATE_V3 = b"""<?xml version="1.0" encoding="UTF-8"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>IATE</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="882541">
  <descrip type="subjectField">EU institution</descrip>
  <langSec xml:lang="nl">
    <descripGrp><descrip type="definition">orgaan van de EU</descrip></descripGrp>
    <termSec><term>Europese Raad</term><termNote type="partOfSpeech">noun</termNote>
      <descripGrp><descrip type="context">De Europese Raad kwam bijeen.</descrip></descripGrp>
    </termSec>
  </langSec>
  <langSec xml:lang="en"><termSec><term>European Council</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""


def test_iate_v2_download_with_numeric_ids() -> None:
    result = tbx.read_termbase(IATE_V2, "IATE_export.tbx")
    assert result.ignored == 1  # the entry without Dutch
    by_id = {c.id: c for c in result.concepts}
    # The file's ids ("3539013") never become concept ids: they are made from
    # the Dutch term, and what is left out is counted.
    assert set(by_id) == {"wapenstilstand", "eurogroep"}
    assert dict(((k, n), c) for k, n, c in result.dropped) == {
        ("ids", "entry ids (made from the Dutch term instead)"): 2,
        ("other languages", "de"): 1,
        ("other languages", "fr"): 1,
        ("other fields", "reliabilityCode"): 1,
        ("other fields", "termType"): 1,
    }
    truce = by_id["wapenstilstand"]
    assert (truce.nl, truce.nl_variants) == ("wapenstilstand", ("wapenbestand",))
    assert (truce.en, truce.en_alternatives, truce.en_forbidden) == (
        "armistice",
        ("truce",),
        ("cessation of arms",),
    )
    assert (truce.subject, truce.status) == ("international affairs", "approved")
    euro = by_id["eurogroep"]
    assert (euro.nl, euro.en, euro.status) == ("Eurogroep", "", "proposed")


def test_iate_v3_with_namespace() -> None:
    (concept,) = tbx.read_termbase(IATE_V3, "iate3.tbx").concepts
    assert (concept.id, concept.nl, concept.en, concept.pos) == (
        "europese-raad",
        "Europese Raad",
        "European Council",
        "noun",
    )
    # The definition field is English (exports put it on the English language
    # section); a Dutch one of a concept with English terms is kept, labelled, in the note.
    assert (concept.definition, concept.note) == ("", "Definition (nl): orgaan van de EU")
    assert concept.context == "De Europese Raad kwam bijeen."


@pytest.mark.parametrize("version", [2, 3], ids=["v2", "v3"])
def test_imported_iate_concepts_survive_our_own_round_trip(version: int) -> None:
    imported = Termbase(tbx.read_termbase(IATE_V2, "i.tbx").concepts)
    again = tbx.read_termbase(export(version, imported), "again.tbx")
    assert serialize_tsv(Termbase(again.concepts)) == serialize_tsv(imported)


def test_invalid_entries_are_reported_with_their_line() -> None:
    data = IATE_V2.replace(b"<term>truce</term>", b"<term>tru|ce</term>")
    result = tbx.read_termbase(data, "bad.tbx")
    (problem,) = result.skipped
    assert problem.line == 6 and "|" in problem.message


def test_a_file_that_is_not_tbx_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not a TBX file") as info:
        tbx.read_termbase(b"<xliff version='1.2'/>", "x.tbx")
    assert "<xliff>" in str(info.value)


def test_translate_toolkit_reads_our_v2_export() -> None:
    """translate-toolkit's TBX store (used by Weblate and Pootle) as an independent reader."""
    from translate.storage import tbx as ttk_tbx

    store = ttk_tbx.tbxfile.parsestring(export(2))
    pairs = {(u.source, u.target) for u in store.units}
    assert ("staakt-het-vuren", "ceasefire") in pairs
    assert ("OVSE", "OSCE") in pairs
    assert len(store.units) == len(rich_termbase())


# ------------------------------------------------------------ OmegaT

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("java") is None or not OMEGAT_JAR.exists(),
    reason="optional: needs Java and OmegaT (apt-get install omegat)",
)
def test_omegat_reads_our_tbx_and_tsv(tmp_path: Path) -> None:
    """OmegaT's own GlossaryReaderTBX and GlossaryReaderTSV load the exports."""
    from glossary.exchange import tabular

    script = need_shared("tools", "omegat_dump_glossary.groovy")
    project = tmp_path / "project"
    for folder in ("omegat", "source", "target", "tm", "glossary", "dictionary"):
        (project / folder).mkdir(parents=True)
    shutil.copy(need_shared("tools", "omegat.project.example"), project / "omegat.project")
    glossaries = tmp_path / "glossaries"
    glossaries.mkdir()
    (glossaries / "termbase.tbx").write_bytes(export(2))
    with (glossaries / "termbase.utf8").open("w", encoding="utf-8") as stream:
        tabular.write_tsv(rich_termbase().with_status("approved"), stream, OPTIONS)
    run = subprocess.run(
        [
            "java",
            "-Djava.awt.headless=true",
            "-jar",
            str(OMEGAT_JAR),
            str(project),
            "--mode=console-translate",
            "--disable-project-locking",
            f"--script={script}",
        ],
        env={**os.environ, "GLOSSARY_DIR": str(glossaries), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = run.stdout
    assert "FAILED" not in out, out[-2000:]
    assert "GLOSSARY termbase.tbx:" in out and "GLOSSARY termbase.utf8:" in out
    tbx_part = out.split("GLOSSARY termbase.tbx:")[1].split("GLOSSARY ")[0]
    tsv_part = out.split("GLOSSARY termbase.utf8:")[1].split("GLOSSARY ")[0]
    assert "[staakt-het-vuren] -> [ceasefire]" in tbx_part
    assert "[staakt het vuren] -> [ceasefire]" in tbx_part
    assert "[OVSE] -> [OSCE]" in tbx_part
    assert "definition: A halt to fighting" in tbx_part
    assert "[Armenië] -> [Armenia]" in tsv_part
    assert (
        "[staakt het vuren] -> [ceasefire] comment=[Variant of: staakt-het-vuren; noun" in tsv_part
    )
    assert "Forbidden: stop-the-fire" in tsv_part
