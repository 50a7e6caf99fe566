"""TMX 1.4b: valid by the DTD, deterministic, read back and by translate-toolkit."""

from __future__ import annotations

import pytest

from exchange_samples import dtd_errors, translated_docs
from glossary.errors import UnreadableFile
from glossary.exchange import tmx


def export() -> bytes:
    return tmx.to_tmx(translated_docs()).encode("utf-8")


def test_valid_by_the_tmx_1_4b_dtd() -> None:
    assert dtd_errors(export(), "tmx", "tmx14.dtd") == []


def test_dtd_catches_a_broken_file() -> None:
    broken = export().replace(b' srclang="nl"', b"", 1)
    assert dtd_errors(broken, "tmx", "tmx14.dtd")


def test_units_are_distinct_translated_pairs() -> None:
    from lxml import etree

    root = etree.fromstring(export())
    header = root.find("header")
    assert (header.get("srclang"), header.get("segtype"), header.get("datatype")) == (
        "nl",
        "sentence",
        "plaintext",
    )
    units = root.findall("body/tu")
    pairs = [tuple(tuv.findtext("seg") for tuv in tu.findall("tuv")) for tu in units]
    assert pairs == [
        ("Vrede in de Kaukasus", "Peace in the Caucasus"),
        ("De OVSE meldt een staakt-het-vuren.", "The OSCE reports a ceasefire."),
        ("Dat is goed nieuws.", "That is good news."),
        ("Dat is goed nieuws.", "That is good news!"),
    ]  # furniture, the untranslated segment and the repeated pair left out
    first = units[1]
    assert first.get("tuid") == "brief.txt#1"
    assert first.findtext("prop[@type='x-ref']") == "docs/brief.txt:3"
    assert "Model: engine:test" in first.findtext("note")
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in first.findall("tuv")]
    assert langs == ["nl", "en"]


def test_export_is_deterministic() -> None:
    assert export() == export()
    assert b"creationdate" not in export()


def test_translate_toolkit_reads_it() -> None:
    from translate.storage import tmx as ttk_tmx

    store = ttk_tmx.tmxfile.parsestring(export())
    assert ("Dat is goed nieuws.", "That is good news!") in [
        (u.source, u.target) for u in store.units
    ]


def test_read_units_from_other_tools() -> None:
    data = b"""<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="nl-NL" datatype="plaintext"/><body>
 <tu tuid="7"><tuv xml:lang="nl-NL">
   <seg>De <bpt i="1">&lt;b&gt;</bpt>OVSE<ept i="1">&lt;/b&gt;</ept></seg></tuv>
   <tuv xml:lang="EN-GB"><seg>The OSCE</seg></tuv></tu>
 <tu><tuv lang="nl"><seg>alleen Nederlands</seg></tuv></tu>
</body></tmx>"""
    (unit,) = tmx.read_units(data, "m.tmx")
    assert (unit.source, unit.target, unit.ref) == ("De <b>OVSE</b>", "The OSCE", "7")


def test_round_trip_of_our_own_tmx() -> None:
    units = tmx.read_units(export(), "ours.tmx")
    assert [u.key for u in units] == ["brief.txt#0", "brief.txt#1", "brief.txt#2", "brief.txt#4"]
    assert units[1].ref == "docs/brief.txt:3"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xliff/>", "not a TMX file"),
        (b'<!DOCTYPE tmx [<!ENTITY a "b">]><tmx>&a;</tmx>', "declares XML entities"),
    ],
    ids=["wrong-root", "entity"],
)
def test_refused_files(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        tmx.read_units(data, "x.tmx")
