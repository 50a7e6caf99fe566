"""PO: the termbase as a glossary and documents for post-editing; polib and msgfmt."""

from __future__ import annotations

import io
from pathlib import Path

import polib
import pytest

from exchange_samples import msgfmt, rich_termbase, translated_docs
from glossary.errors import UnreadableFile
from glossary.exchange import po, po_job
from glossary.exchange.registry import ExportOptions
from glossary.termbase.model import Concept, Termbase, make_concept, serialize_tsv


def termbase_po_text(termbase: Termbase | None = None) -> str:
    stream = io.StringIO()
    po.write_termbase((termbase or rich_termbase()).concepts, stream, ExportOptions())
    return stream.getvalue()


def documents_po_text() -> str:
    stream = io.StringIO()
    po.write_translations(translated_docs(), stream)
    return stream.getvalue()


def write(tmp_path: Path, text: str, name: str = "out.po") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- termbase


def test_termbase_po_passes_msgfmt_check(tmp_path: Path) -> None:
    run = msgfmt(write(tmp_path, termbase_po_text()))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_termbase_po_maps_status_to_po_means() -> None:
    parsed = polib.pofile(termbase_po_text())
    by_id = {po.parse_comment(e.comment or e.tcomment)["Id"]: e for e in parsed}
    approved, proposed, empty, rejected = (
        by_id["staakt-het-vuren"],
        by_id["vredesakkoord"],
        by_id["vredesplan"],
        by_id["1e-lid"],
    )
    assert (approved.msgstr, approved.fuzzy, approved.obsolete) == ("ceasefire", False, False)
    assert (proposed.msgstr, proposed.fuzzy) == ("peace agreement", True)
    assert (empty.msgstr, empty.fuzzy, empty.translated()) == ("", False, False)
    assert rejected.obsolete and "Status: rejected" in rejected.tcomment
    assert by_id["stepanakert"].msgstr == "Stepanakert"  # do-not-translate: the name itself
    comment = approved.comment.splitlines()
    assert "Part of speech: noun" in comment and "Status: approved" in comment
    assert "Forbidden: stop-the-fire" in comment
    assert "Definition: A halt to fighting agreed by the parties." in comment
    assert all(e.msgctxt is None for e in parsed)


def test_homographs_get_a_msgctxt(tmp_path: Path) -> None:
    # Two concepts with one Dutch spelling: the termbase forbids this, but a
    # writer must still produce a valid file.
    twins = Termbase(
        (
            Concept(id="bank-money", nl="bank", en="bank"),
            Concept(id="bank-seat", nl="bank", en="bench"),
        )
    )
    text = termbase_po_text(twins)
    assert [e.msgctxt for e in polib.pofile(text)] == ["bank-money", "bank-seat"]
    assert msgfmt(write(tmp_path, text)).returncode == 0


def test_termbase_round_trip_through_po() -> None:
    result = po.read_termbase(termbase_po_text().encode(), "t.po")
    assert result.skipped == ()
    assert serialize_tsv(Termbase(result.concepts)) == serialize_tsv(rich_termbase())


def test_po_edited_in_a_po_editor_changes_status() -> None:
    """Removing the fuzzy flag approves; other tools' comments become the note."""
    parsed = polib.pofile(termbase_po_text())
    for entry in parsed:
        if entry.msgid == "vredesakkoord":
            entry.flags.remove("fuzzy")
            entry.comment += "\nchecked by the client"
    (concept,) = [
        c
        for c in po.read_termbase(str(parsed).encode(), "t.po").concepts
        if c.nl == "vredesakkoord"
    ]
    assert concept.status == "approved" and concept.note == "checked by the client"


def test_foreign_po_glossary() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: en_GB\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. a Weblate glossary term\nmsgid "vrede"\nmsgstr "peace"\n\nmsgid "oorlog"\nmsgstr ""\n'
    )
    concepts = po.read_termbase(text.encode(), "weblate.po").concepts
    assert [(c.nl, c.en, c.status, c.note) for c in concepts] == [
        ("vrede", "peace", "approved", "a Weblate glossary term"),
        ("oorlog", "", "proposed", ""),
    ]


HEAD_UTF8 = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
BROKEN = [
    ("syntax", b'msgid "a"\nmsgstr "b"\nmsgid "c"\nbogus line\n', "in.po:4:", "msgfmt --check"),
    (
        "latin1-as-utf8",
        (HEAD_UTF8 + 'msgid "café"\nmsgstr "x"\n').encode("latin-1"),
        ":4:",
        "save the file as UTF-8",
    ),
    (
        "unknown-charset",
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NOPE-9\\n"\n',
        "unknown charset 'NOPE-9'",
        "charset=UTF-8",
    ),
    (
        "french",
        b'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid "vrede"\nmsgstr "paix"\n',
        "language is 'fr', not English",
        "English PO",
    ),
]


@pytest.mark.parametrize(("name", "data", "where", "hint"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_po_is_refused(name: str, data: bytes, where: str, hint: str) -> None:
    with pytest.raises(UnreadableFile) as info:
        po.read_termbase(data, "in.po")
    assert where in str(info.value) and hint in str(info.value)


def test_declared_latin1_is_decoded() -> None:
    data = HEAD_UTF8.replace("UTF-8", "ISO-8859-1") + 'msgid "café"\nmsgstr "coffee shop"\n'
    (concept,) = po.read_termbase(data.encode("latin-1"), "l.po").concepts
    assert concept.nl == "café"


# ---------------------------------------------------------------- documents


def test_documents_po_passes_msgfmt_check_with_fuzzy(tmp_path: Path) -> None:
    path = write(tmp_path, documents_po_text())
    for flags in ((), ("--use-fuzzy",)):
        run = msgfmt(path, *flags)
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""


def test_documents_po_entries() -> None:
    parsed = polib.pofile(documents_po_text())
    assert parsed.metadata["X-Glossary-Signature"].startswith("engine:test")
    # Both languages declared, so checking the file later needs no --source-lang.
    assert (parsed.metadata["X-Source-Language"], parsed.metadata["Language"]) == ("nl", "en")
    entries = {(e.msgctxt, e.msgid): e for e in parsed}
    ovse = entries[(None, "De OVSE meldt een staakt-het-vuren.")]
    assert ovse.msgstr == "The OSCE reports a ceasefire." and ovse.fuzzy
    assert ovse.occurrences == [("docs/brief.txt", "3")]
    assert ovse.comment.splitlines() == [
        "Term: OVSE → OSCE",
        "Term: staakt-het-vuren → ceasefire",
        "Model: engine:test|package:nl_en-1.0|beam:4",
    ]
    # The segment repeated in both documents: one entry per occurrence.
    repeated = sorted(k for k in entries if k[1] == "Dat is goed nieuws.")
    assert repeated == [
        ("brief.txt#2", "Dat is goed nieuws."),
        ("brief.txt#4", "Dat is goed nieuws."),
        ("notes.txt#0", "Dat is goed nieuws."),
    ]
    untranslated = entries[(None, 'Stepanakert blijft "rustig" & stil.')]
    assert untranslated.msgstr == "" and not untranslated.fuzzy
    assert "Term: Stepanakert → Stepanakert (do not translate) [not enforced: no hypothesis]" in (
        untranslated.comment
    )
    assert "- 2 -" not in {e.msgid for e in parsed}  # furniture is not for translation


def test_read_units_gives_keys_refs_and_review_state() -> None:
    units = po_job.read_units(documents_po_text().encode(), "d.po")
    by_source = {(u.key, u.source): u for u in units}
    unit = by_source[("brief.txt#4", "Dat is goed nieuws.")]
    assert (unit.target, unit.ref, unit.reviewed) == (
        "That is good news!",
        "docs/brief.txt:7",
        False,
    )
    assert len(units) == 6


def test_write_translations_of_nothing_is_a_valid_po(tmp_path: Path) -> None:
    stream = io.StringIO()
    po.write_translations([], stream)
    assert msgfmt(write(tmp_path, stream.getvalue())).returncode == 0


def test_newlines_agree_for_msgfmt() -> None:
    assert po._same_newlines("a\n", "b") == "b\n"
    assert po._same_newlines("a", "b\n") == "b"
    assert po._same_newlines("a", "") == ""


def test_concept_comment_is_parsed_back() -> None:
    concept = make_concept("x", "y", pos="verb", en_alternatives=["z", "w"], sources=["a", "b"])
    fields = po.parse_comment(po.concept_comment(concept))
    assert fields == {
        "Id": "x",
        "Part of speech": "verb",
        "Status": "approved",
        "English alternatives": "z | w",
        "Sources": "a | b",
    }


# ------------------------------------------------------- hostile input (issue 20)


def test_a_po_file_whose_content_is_a_path_is_not_followed(tmp_path: Path) -> None:
    """Finding 5: polib opened the file a PO text named, past the size limit."""
    other = write(tmp_path, termbase_po_text(), "other.po")
    assert po.read_termbase(other.read_bytes(), "other.po").concepts  # a real glossary
    for content in (str(other), str(other) + "\n", f"{other}\r\n"):
        with pytest.raises(UnreadableFile, match="not a valid PO file"):
            po.read_termbase(content.encode(), "a.po")


def test_a_po_path_file_cannot_pass_the_size_limit(tmp_path: Path) -> None:
    from glossary.errors import ImportFormatError
    from glossary.exchange.importing import import_file

    big = write(tmp_path, termbase_po_text() + "#. padding\n" * 200_000, "big.po")
    assert big.stat().st_size > 1024 * 1024
    small = write(tmp_path, str(big), "small.po")
    with pytest.raises(ImportFormatError, match="not a valid PO file"):
        import_file(tmp_path / "tb.tsv", small, create=True, max_bytes=1024 * 1024)
    assert not (tmp_path / "tb.tsv").exists()


TRUNCATED = [
    ("msgstr-cut", HEAD_UTF8 + 'msgid "erwt"\nmsgstr "pea', 5, "truncated"),
    ("msgid-cut", HEAD_UTF8 + 'msgid "vrede"\nmsgstr "peace"\n\nmsgid "oorl', 7, "truncated"),
    (
        "msgstr-missing",
        HEAD_UTF8 + 'msgid "vrede"\nmsgstr "peace"\n\nmsgid "oorlog"\n',
        7,
        "no msgstr",
    ),
    ("continuation-cut", HEAD_UTF8 + 'msgid "vrede"\nmsgstr ""\n"pea', 6, "truncated"),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"), TRUNCATED, ids=[t[0] for t in TRUNCATED]
)
def test_truncated_po_files_are_refused(name: str, text: str, line: int, message: str) -> None:
    """Finding 9: `msgstr "pea` at the end of a file was imported as "pe", approved."""
    with pytest.raises(UnreadableFile) as info:
        po.read_termbase(text.encode(), "cut.po")
    assert f"cut.po:{line}:" in str(info.value) and message in str(info.value)


def test_plural_entries_are_imported() -> None:
    """Finding 9: PO plural entries were dropped (imported without English)."""
    text = (
        HEAD_UTF8
        + 'msgid "lidstaat"\nmsgid_plural "lidstaten"\n'
        + 'msgstr[0] "Member State"\nmsgstr[1] "Member States"\n'
    )
    (concept,) = po.read_termbase(text.encode(), "plural.po").concepts
    assert (concept.nl, concept.nl_variants, concept.en, concept.en_alternatives) == (
        "lidstaat",
        ("lidstaten",),
        "Member State",
        ("Member States",),
    )
    assert concept.status == "approved"
