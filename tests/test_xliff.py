"""XLIFF 1.2: structure the 1.2 schema requires, CAT state, reading back.

No XLIFF 1.2 XSD ships in any package we install (translate-toolkit has
none), so the schema's rules that matter here are checked one by one, and
translate-toolkit's XLIFF store reads the file as an independent reader.
"""

from __future__ import annotations

import pytest

from exchange_samples import translated_docs
from glossary.errors import UnreadableFile
from glossary.exchange import xliff, xliff_job

NS = {"x": xliff.NS}


def export() -> bytes:
    return xliff.to_xliff(translated_docs()).encode("utf-8")


def test_structure_follows_the_xliff_1_2_schema() -> None:
    from lxml import etree

    root = etree.fromstring(export())
    assert root.tag == f"{{{xliff.NS}}}xliff" and root.get("version") == "1.2"
    files = root.findall("x:file", NS)
    assert [f.get("original") for f in files] == ["docs/brief.txt", "other/notes.txt"]
    for file in files:
        # Required attributes of <file>, and header before body.
        assert {"original", "source-language", "datatype"} <= set(file.attrib)
        assert (file.get("source-language"), file.get("target-language")) == ("nl", "en")
        assert [etree.QName(c).localname for c in file] == ["header", "body"]
        tool = file.find("x:header/x:tool", NS)
        assert tool.get("tool-id") and tool.get("tool-name")
        ids = [u.get("id") for u in file.iterfind("x:body/x:trans-unit", NS)]
        assert len(ids) == len(set(ids)) and all(ids)
        for unit in file.iterfind("x:body/x:trans-unit", NS):
            children = [etree.QName(c).localname for c in unit]
            # source, then target (optional), then notes and context groups.
            assert children[0] == "source"
            assert "source" not in children[1:]
            if "target" in children:
                assert children.index("target") == 1
            for group in unit.iterfind("x:context-group", NS):
                assert all(c.get("context-type") for c in group)


def test_machine_translation_state_and_term_notes() -> None:
    from lxml import etree

    root = etree.fromstring(export())
    units = {u.get("id"): u for u in root.find("x:file", NS).iterfind("x:body/x:trans-unit", NS)}
    assert "3" not in units  # furniture
    target = units["1"].find("x:target", NS)
    assert target.text == "The OSCE reports a ceasefire."
    assert target.get("state") == "needs-review-translation"
    assert target.get("state-qualifier") == "leveraged-mt"
    notes = [n.text for n in units["1"].findall("x:note", NS)]
    assert notes == ["Term: OVSE → OSCE", "Term: staakt-het-vuren → ceasefire"]
    assert units["1"].findall("x:note", NS)[0].get("annotates") == "source"
    assert units["5"].find("x:target", NS) is None  # no machine translation
    assert units["5"].findtext("x:source", namespaces=NS) == 'Stepanakert blijft "rustig" & stil.'
    context = {c.get("context-type"): c.text for c in units["1"].iterfind(".//x:context", NS)}
    assert context == {"sourcefile": "docs/brief.txt", "linenumber": "3"}
    header_note = root.find("x:file/x:header/x:note", NS)
    assert header_note.text == "Model: engine:test|package:nl_en-1.0|beam:4"


def test_export_is_deterministic() -> None:
    assert export() == export()


def test_translate_toolkit_reads_it() -> None:
    from translate.storage import xliff as ttk_xliff

    store = ttk_xliff.xlifffile.parsestring(export())
    pairs = [(u.source, u.target) for u in store.units]
    assert ("De OVSE meldt een staakt-het-vuren.", "The OSCE reports a ceasefire.") in pairs
    assert len(pairs) == 6


def test_read_units_round_trip() -> None:
    units = xliff_job.read_units(export(), "d.xlf")
    by_key = {u.key: u for u in units}
    assert set(by_key) == {
        "brief.txt#0",
        "brief.txt#1",
        "brief.txt#2",
        "brief.txt#4",
        "brief.txt#5",
        "notes.txt#0",
    }
    unit = by_key["brief.txt#4"]
    assert (unit.source, unit.target, unit.reviewed) == (
        "Dat is goed nieuws.",
        "That is good news!",
        False,
    )
    assert by_key["brief.txt#5"].target == ""


def test_reviewed_states_and_inline_markup() -> None:
    data = b"""<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="nl" datatype="plaintext"><body>
  <trans-unit id="1"><source>De <g id="b">OVSE</g>
    meldt</source><target state="final">The <g id="b">OSCE</g> reports</target></trans-unit>
  <trans-unit id="2"><source>x</source><target>y</target></trans-unit>
  <trans-unit id="3"><source>x</source>
    <target state="needs-review-translation">y</target></trans-unit>
 </body></file></xliff>"""
    units = xliff_job.read_units(data, "a.xlf")
    assert [(u.source, u.target, u.reviewed) for u in units] == [
        ("De OVSE meldt", "The OSCE reports", True),
        ("x", "y", True),
        ("x", "y", False),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<xliff version="3.0"/>', "XLIFF version 3.0 is not supported"),
        (b"<tmx/>", "not an XLIFF file"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff>&e;</xliff>',
            "declares XML entities",
        ),
        (b'<xliff version="1.2"><file>', "looks truncated"),
    ],
    ids=["xliff-3", "wrong-root", "xxe", "truncated"],
)
def test_refused_files(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        xliff_job.read_units(data, "x.xlf")
