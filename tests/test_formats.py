"""The format registry: names, suffixes, lazily imported functions, input files."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.cli import exchange as cli_exchange
from glossary.errors import InputError, UnknownFormat, UnreadableFile
from glossary.exchange import registry as formats


@pytest.mark.parametrize(
    ("name", "purpose", "expected"),
    [
        ("exports/termbase.tbx", "termbase", "tbx"),
        ("CLIENT.TBX", "termbase-read", "tbx"),
        ("termbase.tbx3.tbx", "termbase", "tbx3"),
        ("x.tbx3", "termbase", "tbx3"),
        ("termbase.po", "termbase", "po"),
        ("brief.pot", "units", "po"),
        ("termbase.utf8", "termbase", "tsv"),
        ("glossary.txt", "termbase-read", "tsv"),
        ("segments.tsv", "units", "tsv"),
        ("deepl.csv", "termbase", "csv"),
        ("brief.xlf", "units", "xliff"),
        ("brief.xliff", "documents", "xliff"),
        ("memory.tmx", "units", "tmx"),
    ],
    ids=lambda v: str(v),
)
def test_format_from_suffix(name: str, purpose: str, expected: str) -> None:
    assert formats.infer(name, purpose).name == expected


@pytest.mark.parametrize(
    ("name", "purpose"),
    [("notes.docx", "termbase"), ("brief.xlf", "termbase"), ("deepl.csv", "units")],
    ids=["unknown-suffix", "xliff-is-not-a-termbase", "csv-has-no-segments"],
)
def test_unknown_or_unfit_suffix(name: str, purpose: str) -> None:
    with pytest.raises(UnknownFormat, match="pass --format") as info:
        formats.infer(name, purpose)
    if name != "notes.docx":
        assert "cannot be used here" in str(info.value)


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="tbx, tbx3, po, tsv, csv, xlsx, xliff, tmx"):
        formats.get("docx")


def test_every_registered_function_exists_and_is_callable() -> None:
    for fmt in formats.FORMATS.values():
        for purpose in ("termbase", "termbase-read", "units", "documents"):
            if fmt._function_name(purpose):
                assert callable(fmt.function(purpose)), (fmt.name, purpose)
            else:
                with pytest.raises(UnknownFormat):
                    fmt.function(purpose)


def test_cli_choices_match_the_registry() -> None:
    """The CLI keeps literal choices (fast --help); they must not drift."""
    assert cli_exchange.EXPORT_FORMATS == formats.TERMBASE_EXPORTS
    assert cli_exchange.IMPORT_FORMATS == formats.TERMBASE_IMPORTS
    assert set(cli_exchange.UNIT_FORMATS) == set(formats.UNIT_READERS)


def test_document_writers_are_the_ones_translate_uses() -> None:
    from glossary.translation import writers as docwriters

    for name in ("po", "xliff", "tmx"):
        assert docwriters.get_writer(name) is formats.get(name).function("documents")


def test_read_limited(tmp_path: Path) -> None:
    path = tmp_path / "big.tbx"
    path.write_bytes(b"x" * 2048)
    assert formats.read_limited(path, 4096) == b"x" * 2048
    with pytest.raises(UnreadableFile, match=r"is 2\.0 KB, more than the 1\.0 KB limit") as info:
        formats.read_limited(path, 1024)
    assert "--max-size" in str(info.value)
    with pytest.raises(InputError, match="does not exist"):
        formats.read_limited(tmp_path / "missing.tbx")
    with pytest.raises(InputError, match="is a folder"):
        formats.read_limited(tmp_path)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Armenië".encode(), "Armenië"),
        (b"\xef\xbb\xbf" + "Armenië".encode(), "Armenië"),
        (b"\xff\xfe" + "Armenië".encode("utf-16-le"), "Armenië"),
        (b"\xfe\xff" + "Armenië".encode("utf-16-be"), "Armenië"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_decode_text(data: bytes, text: str) -> None:
    assert formats.decode_text(data, "f.txt") == text


def test_decode_text_names_line_and_column_of_bad_bytes() -> None:
    with pytest.raises(UnreadableFile) as info:
        formats.decode_text(b"vrede\tpeace\ncaf\xe9\tcafe\n", "g.txt")
    message = str(info.value)
    assert "g.txt:2:4:" in message and "b'\\xe9'" in message and "UTF-8" in message


def test_segment_key_uses_the_file_name_only() -> None:
    assert formats.segment_key("/data/seeds/a.txt", 12) == "a.txt#12"
    assert formats.segment_key("a.txt", 0) == formats.segment_key("elsewhere/a.txt", 0)
