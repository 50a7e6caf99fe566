"""Writers of translated documents (text, tsv, json) and the format registry."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from glossary.cli import translate as cli_translate
from glossary.document import (
    Document,
    Kind,
    Paragraph,
    Segment,
    TermUse,
    TranslatedDocument,
    TranslatedSegment,
)
from glossary.engines.registry import ENGINES
from glossary.errors import UnknownFormat
from glossary.files import formats
from glossary.translation import writers as docwriters

SIGNATURE = (
    "engine:argos|package:translate-nl_en-1_9|version:1.9|beam:4|compute_type:int8"
    "|ctranslate2:4.8.5"
)


def make_doc(path: str, paragraphs: Sequence[tuple[Kind, Sequence[str]]]) -> Document:
    """A document whose segments are the given sentences, one line each."""
    built = []
    index = offset = 0
    line = 1
    for p_index, (kind, sentences) in enumerate(paragraphs):
        segments = []
        for sentence in sentences:
            segments.append(
                Segment(
                    path, index, p_index, sentence, line, line, offset, offset + len(sentence), kind
                )
            )
            index += 1
            line += 1
            offset += len(sentence) + 1
        built.append(Paragraph(p_index, kind, tuple(segments), segments[0].line))
        line += 1
        offset += 1
    return Document(path, tuple(built))


def translate_upper(doc: Document, signature: str = SIGNATURE) -> TranslatedDocument:
    """A stand-in translation: targets are the upper-cased sources."""
    segments = tuple(
        TranslatedSegment(s, s.text.upper(), -0.25) if s.translate else TranslatedSegment(s, "")
        for s in doc.segments
    )
    return TranslatedDocument(doc, segments, signature)


@pytest.fixture
def doc() -> TranslatedDocument:
    source = make_doc(
        "seeds/a.txt",
        [
            ("heading", ["Inleiding"]),
            ("text", ["Eerste zin.", "Tweede zin."]),
            ("furniture", ["Pagina 2 van 7"]),
            ("item", ["1. Een punt."]),
            ("footnote", ["1 Kamerstuk 21501."]),
        ],
    )
    return translate_upper(source)


def render(fmt: str, docs: Sequence[TranslatedDocument]) -> str:
    stream = io.StringIO()
    docwriters.write_documents(docs, stream, fmt)
    return stream.getvalue()


# ------------------------------------------------------------------ text


def test_text_keeps_paragraphs_and_furniture(doc: TranslatedDocument) -> None:
    assert render("text", [doc]) == (
        "INLEIDING\n\nEERSTE ZIN. TWEEDE ZIN.\n\nPagina 2 van 7\n\n1. EEN PUNT.\n\n"
        "1 KAMERSTUK 21501.\n"
    )


def test_text_with_several_documents_has_headers(doc: TranslatedDocument) -> None:
    other = translate_upper(make_doc("b.txt", [("text", ["Derde zin."])]))
    assert render("text", [doc, other]).endswith("\n\n==> b.txt <==\n\nDERDE ZIN.\n")
    assert render("text", [doc, other]).startswith("==> seeds/a.txt <==\n\nINLEIDING\n")


def test_text_with_empty_targets_keeps_the_layout(doc: TranslatedDocument) -> None:
    empty = TranslatedDocument(
        doc.document, tuple(TranslatedSegment(ts.segment, "") for ts in doc.segments)
    )
    assert render("text", [empty]) == "\n\n\n\nPagina 2 van 7\n\n\n\n\n"


def test_text_of_an_empty_document() -> None:
    assert render("text", [TranslatedDocument(Document("e.txt", ()), ())]) == "\n"


# ------------------------------------------------------------------- tsv


def test_tsv_is_a_bilingual_segment_table(doc: TranslatedDocument) -> None:
    rows = list(
        csv.reader(io.StringIO(render("tsv", [doc])), delimiter="\t", quoting=csv.QUOTE_NONE)
    )
    assert rows[0] == ["doc", "line", "kind", "source", "target", "score"]
    assert rows[1] == ["seeds/a.txt", "1", "heading", "Inleiding", "INLEIDING", "-0.2500"]
    assert rows[4] == ["seeds/a.txt", "6", "furniture", "Pagina 2 van 7", "", ""]
    assert len(rows) == 1 + len(doc.segments)


def test_tsv_cells_never_break_the_table() -> None:
    source = make_doc("t.txt", [("text", ["Tab\there\nand newline."])])
    out = render("tsv", [translate_upper(source)])
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1].split("\t")[3] == "Tab here and newline."


# ------------------------------------------------------------------ json


def test_json_has_segments_offsets_scores_and_model(doc: TranslatedDocument) -> None:
    data = json.loads(render("json", [doc]))
    assert data["format"] == "glossary-translation" and data["version"] == 1
    assert data["signature"] == SIGNATURE
    assert data["model"] == {
        "engine": "argos",
        "package": "translate-nl_en-1_9",
        "version": "1.9",
        "beam": 4,
        "compute_type": "int8",
        "ctranslate2": "4.8.5",
    }
    (document,) = data["documents"]
    assert document["path"] == "seeds/a.txt"
    first, second = document["segments"][:2]
    assert first == {
        "index": 0,
        "paragraph": 0,
        "kind": "heading",
        "translated": True,
        "line": 1,
        "end_line": 1,
        "start": 0,
        "end": 9,
        "source": "Inleiding",
        "target": "INLEIDING",
        "score": -0.25,
        "terms": [],
    }
    assert (second["start"], second["end"], second["paragraph"]) == (11, 22, 1)
    furniture = document["segments"][3]
    assert furniture["translated"] is False and furniture["target"] == ""


def test_json_keeps_terms_and_non_ascii(doc: TranslatedDocument) -> None:
    term = TermUse("ovse", "OVSE", 0, 4, "OSCE", status="enforced", step="nbest")
    seg = doc.segments[0]
    with_term = TranslatedDocument(
        doc.document,
        (TranslatedSegment(seg.segment, "Één OSCE", None, (term,)),),
        doc.signature,
    )
    text = render("json", [with_term])
    assert "Één OSCE" in text  # ensure_ascii=False
    (segment,) = json.loads(text)["documents"][0]["segments"]
    assert segment["score"] is None
    assert segment["terms"][0]["concept_id"] == "ovse"
    assert segment["terms"][0]["step"] == "nbest"


def test_json_of_the_none_engine() -> None:
    source = make_doc("n.txt", [("text", ["Zin."])])
    data = json.loads(render("json", [translate_upper(source, "engine:none")]))
    assert data["model"] == {"engine": "none"}


# -------------------------------------------------------------- registry


def test_builtin_writers_resolve() -> None:
    assert docwriters.get_writer("text") is docwriters.write_text
    assert docwriters.get_writer("tsv") is docwriters.write_tsv
    assert docwriters.get_writer("json") is docwriters.write_json


def test_exchange_formats_map_to_their_modules() -> None:
    for name in ("po", "xliff", "tmx"):
        target = formats.get(name).bilingual_writer
        assert target == f"glossary.exchange.{name}:write_translations"
        assert docwriters.get_writer(name) is formats.get(name).function("bilingual-writer")


def test_unknown_format() -> None:
    with pytest.raises(UnknownFormat, match=r"Unknown output format 'rtf'.*text, .*po, xliff"):
        docwriters.get_writer("rtf")


def use_writer(monkeypatch: pytest.MonkeyPatch, name: str, target: str) -> None:
    """Point the registry's writer of format `name` at `target` ("module:function")."""
    fmt = formats.get(name)
    field = "document_writer" if fmt.document_writer else "bilingual_writer"
    monkeypatch.setitem(formats.FORMATS, name, dataclasses.replace(fmt, **{field: target}))


def test_missing_writer_module_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    use_writer(monkeypatch, "xliff", "glossary.no_such_module:write_translations")
    with pytest.raises(
        UnknownFormat,
        match=r"xliff bilingual writer is not available: module glossary\.no_such_module",
    ):
        docwriters.get_writer("xliff")


def test_writer_module_without_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    use_writer(monkeypatch, "po", "glossary.lang.text:write_translations")
    with pytest.raises(UnknownFormat, match=r"glossary\.lang\.text has no write_translations"):
        docwriters.get_writer("po")


def test_writer_needing_a_missing_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "needs_dep.py").write_text("import not_installed_dep_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "needs_dep", raising=False)
    use_writer(monkeypatch, "tmx", "needs_dep:write_translations")
    with pytest.raises(UnknownFormat, match="pip install not_installed_dep_xyz"):
        docwriters.get_writer("tmx")


def test_lazy_writer_is_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: TranslatedDocument
) -> None:
    (tmp_path / "fake_po.py").write_text(
        "def write_translations(docs, stream):\n"
        "    stream.write(str(sum(len(d.segments) for d in docs)))\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    use_writer(monkeypatch, "po", "fake_po:write_translations")
    assert render("po", [doc]) == "6"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.txt", "text"),
        ("out.TSV", "tsv"),
        ("dir/out.json", "json"),
        ("x.po", "po"),
        ("x.xlf", "xliff"),
        ("x.xliff", "xliff"),
        ("x.tmx", "tmx"),
        ("x.pot", "po"),
        ("x.sdlxliff", "xliff"),
    ],
    ids=["txt", "upper-case", "folder", "po", "xlf", "xliff", "tmx", "pot", "sdlxliff"],
)
def test_format_for_path(name: str, fmt: str) -> None:
    assert docwriters.format_for_path(name) == fmt


@pytest.mark.parametrize("name", ["out.rtf", "out", "out.txt.bak"], ids=["rtf", "none", "bak"])
def test_format_for_unknown_suffix(name: str) -> None:
    with pytest.raises(UnknownFormat, match="Pass --format"):
        docwriters.format_for_path(name)


def test_every_format_has_an_extension_and_a_cli_choice() -> None:
    assert docwriters.FORMATS == (
        "text",
        "markdown",
        "html",
        "docx",
        "odt",
        "srt",
        "vtt",
        "po",
        "xliff",
        "tmx",
        "tsv",
        "json",
    )
    for name in docwriters.FORMATS:
        assert docwriters.format_for_path("x" + docwriters.extension(name)) == name
    assert cli_translate.FORMAT_CHOICES == docwriters.FORMATS
    assert cli_translate.ENGINE_CHOICES[:-1] == tuple(ENGINES)
    assert cli_translate.ENGINE_CHOICES[-1] == "auto"
