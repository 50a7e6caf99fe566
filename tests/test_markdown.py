"""Markdown in, Markdown out: inline formatting as codes, markup back on the right words.

The outputs are parsed again with markdown-it-py's own HTML renderer (not
glossary's reading of it) and compared with the source's: the same blocks,
link targets, images and code; bold and italic on the translated words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from deadline import within
from glossary.document import SegmentResult, TranslatedDocument
from glossary.documents import markdown
from glossary.enforcement.cascade import Enforcer
from glossary.engines.base import Capabilities
from glossary.matching.verify import Glossary
from glossary.reading.ingest import read_document
from glossary.translation.pipeline import translate_documents
from test_documents import DATA, Upper
from test_enforce import CONCEPTS, WordEngine


def html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def translate(path: Path, strategy: object) -> TranslatedDocument:
    (done,) = translate_documents([read_document(str(path))], strategy)  # type: ignore[arg-type]
    return done


class Scripted:
    """An engine that keeps placeholders and answers from a script (placeholder
    text in, placeholder text out), so dropped and reordered codes can be made."""

    def __init__(self, script: dict[str, str]) -> None:
        self.script = script
        self.sent: list[str] = []
        self.engine = self
        self.capabilities = Capabilities(placeholders=True)
        self.signature = "engine:scripted"

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        self.sent.extend(texts)
        return [SegmentResult(self.script.get(text, text)) for text in texts]


def test_markup_goes_back_around_the_right_english_words(tmp_path: Path) -> None:
    source = tmp_path / "brief.md"
    source.write_text(
        "# De **OVSE**\n\n"
        "De **OVSE** sprak gisteren met [Armenië](https://nl.wikipedia.org/wiki/Armeni%C3%AB "
        '"Armenië") over `glossary mine --top 5` en ![de kaart](kaart.png).\n',
        encoding="utf-8",
    )
    doc = read_document(str(source))
    assert doc.format == "markdown"
    texts = [s.text for s in doc.segments]
    assert texts == ["De OVSE", "De OVSE sprak gisteren met Armenië over  en de kaart."]
    assert not any(c in t for t in texts for c in "*[]()`")  # mining sees plain text
    labels = [(c.kind, c.label) for c in doc.segments[1].codes]
    assert labels == [
        ("open", "bold"),
        ("close", "bold"),
        ("open", "link"),
        ("close", "link"),
        ("standalone", "code"),
        ("open", "image"),
        ("close", "image"),
    ]
    done = translate(source, Enforcer(WordEngine({"kaart": ["map"]}), Glossary(CONCEPTS)))
    assert all(u.status == "enforced" for ts in done.segments for u in ts.terms)
    out = markdown.translated_text(done)
    # The enforced term inside bold stays bold; the link, its title and the code are kept.
    assert out.startswith("# The **OSCE**\n\n")
    assert '[Armenia](https://nl.wikipedia.org/wiki/Armeni%C3%AB "Armenië")' in out
    assert "`glossary mine --top 5`" in out
    assert "](kaart.png)" in out
    rendered = html(out)
    assert "<strong>OSCE</strong>" in rendered
    link = r'<a href="https://nl.wikipedia.org/wiki/Armeni%C3%AB" [^>]*>Armenia</a>'
    assert re.search(link, rendered)
    assert "<code>glossary mine --top 5</code>" in rendered
    assert re.search(r'<img src="kaart.png" alt="[^"]*map"', rendered)


def test_reference_links_emphasis_styles_escapes_and_breaks_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text(
        "- Zie [de brief][kb] en [de site] en <https://x.nl/a_b>.\n"
        "- Dit is __vet__ en _schuin_, \\*niet\\* vet &amp; 5 \\< 6.\n\n"
        "> Eerste regel\\\n> tweede regel met <b>html</b>.\n\n"
        "| Naam | Functie |\n|---|---|\n| Piet | *voorzitter* |\n\n"
        "[kb]: https://x.nl/kb\n[de site]: https://x.nl\n",
        encoding="utf-8",
    )
    doc = read_document(str(source))
    assert [s.text for s in doc.segments][:4] == [
        "Zie de brief en de site en .",
        "Dit is vet en schuin, *niet* vet & 5 < 6.",
        "Eerste regel",
        "tweede regel met html.",
    ]
    assert [s.location for s in doc.segments][-4:] == ["table 1"] * 4
    out = markdown.translated_text(translate(source, Upper()))
    lines = out.splitlines()
    assert lines[0].startswith("- ZIE [DE BRIEF][kb] EN [DE SITE] EN")
    assert "<https://x.nl/a_b>" in lines[0]  # a point: placed by position, kept whole
    assert lines[1].startswith("- DIT IS __VET__ EN _SCHUIN_, \\*NIET\\* VET")
    assert lines[3:5] == ["> EERSTE REGEL\\", "> TWEEDE REGEL MET <b>HTML</b>."]
    assert lines[6:9] == ["| NAAM | FUNCTIE |", "|---|---|", "| PIET | *VOORZITTER* |"]
    assert lines[-2:] == ["[kb]: https://x.nl/kb", "[de site]: https://x.nl"]
    rendered = html(out)
    assert '<a href="https://x.nl/kb">DE BRIEF</a>' in rendered
    assert "<strong>VET</strong>" in rendered and "<em>SCHUIN</em>" in rendered
    assert "*NIET* VET &amp; 5 &lt; 6" in rendered  # escapes stay text
    assert "<br />" in rendered and "<em>VOORZITTER</em>" in rendered


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("<g2>Italic</g2> and <g1>bold</g1> this is.", "order"),
        ("This is <g1>bold</g1> and italic.", "lost"),
        ("This is bold and italic.", "lost"),
    ],
    ids=["reordered", "one-dropped", "all-dropped"],
)
def test_a_dropped_or_reordered_placeholder_is_placed_reported_and_no_text_is_lost(
    tmp_path: Path, answer: str, problem: str
) -> None:
    source = tmp_path / "x.md"
    source.write_text("Dit is **vet** en *schuin*.\n", encoding="utf-8")
    engine = Scripted({"Dit is <g1>vet</g1> en <g2>schuin</g2>.": answer})
    done = translate(source, engine)
    assert engine.sent == ["Dit is <g1>vet</g1> en <g2>schuin</g2>."]
    (segment,) = done.segments
    assert any(problem in (p.problem or "") for p in segment.placements), segment.placements
    out = markdown.translated_text(done)
    words = re.sub(r"<[^>]+>", "", answer).replace(".", "").split()
    plain = re.sub(r"[*_]", "", out)
    assert sorted(plain.replace(".", "").split()) == sorted(words)  # every word, once
    rendered = html(out)
    assert "<strong>bold</strong>" in rendered or problem == "lost"
    assert rendered.count("<strong>") == 1
    # An italic the engine put out of order is moved to keep the nesting (reported):
    # when that leaves it around nothing, the writer leaves its "*" out.
    assert rendered.count("<em>") == (0 if problem == "order" else 1)
    assert "**" not in re.sub(r"\*\*[^*\s][^*]*\*\*", "", out)  # no stray markup


def test_a_real_dutch_markdown_file_keeps_its_structure_links_and_formatting() -> None:
    """gereedschapskist.md (MinVWS, see PROVENANCE.md): front matter, a style block,
    quotes, lists, bold items, links, a badge image in a link, inline HTML."""
    path = DATA / "gereedschapskist.md"
    source = path.read_text("utf-8")
    done = translate(path, Upper())
    out = markdown.translated_text(done)
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    before, after = md.parse(source), md.parse(out)

    def blocks(tokens: list) -> list[str]:  # type: ignore[type-arg]
        return [t.type for t in tokens if t.type != "inline"]

    def inline(tokens: list, kind: str) -> list:  # type: ignore[type-arg]
        found = []
        for t in tokens:
            for c in t.children or []:
                if c.type == kind:
                    found.append(c)
        return found

    assert blocks(after) == blocks(before)
    hrefs = [t.attrs.get("href") for t in inline(before, "link_open")]
    assert [t.attrs.get("href") for t in inline(after, "link_open")] == hrefs and len(hrefs) > 5
    assert [t.attrs.get("src") for t in inline(after, "image")] == [
        t.attrs.get("src") for t in inline(before, "image")
    ]
    assert [t.content for t in inline(after, "html_inline")] == [
        t.content for t in inline(before, "html_inline")
    ]

    def bold(tokens: list) -> list[str]:  # type: ignore[type-arg]
        out = []
        for t in tokens:
            children = t.children or []
            for i, c in enumerate(children):
                if c.type == "strong_open" and children[i + 1].type == "text":
                    out.append(children[i + 1].content)
        return out

    def letters(texts: list[str]) -> list[str]:
        return [re.sub(r"\W", "", t) for t in texts]

    # Codes placed by position may leave a bracket outside the bold: compare words.
    assert letters(bold(after)) == letters([b.upper() for b in bold(before)])
    assert len(bold(before)) > 10
    # Front matter and the style block are not prose: kept byte for byte.
    assert out.split("</style>")[0] == source.split("</style>")[0]
    assert "HET DOEL VAN DIT DOCUMENT" in out
    assert not any("](" in s.text or "**" in s.text for s in done.document.segments)


@pytest.mark.parametrize(
    "name", ["gereedschapskist.md", "ambitieladder.md"], ids=["gereedschapskist", "ambitieladder"]
)
def test_python_markdown_reads_the_same_markup_in_a_real_file_and_its_translation(
    name: str,
) -> None:
    """Two real MinVWS documents (PROVENANCE.md): the translation re-read by
    Python-Markdown, a parser other than the one glossary reads with, has the
    same links, images, bold, italics and blocks as the source."""
    import markdown as python_markdown
    from lxml import html as lxml_html

    def seen(text: str) -> tuple[list[str], list[str], int, int, int]:
        page = lxml_html.fromstring(python_markdown.markdown(text, extensions=["tables"]))
        count = lambda *tags: sum(1 for _ in page.iter(*tags))  # noqa: E731
        return (
            [a.get("href", "") for a in page.iter("a")],
            [i.get("src", "") for i in page.iter("img")],
            count("strong"),
            count("em"),
            count("p", "li", "h1", "h2", "h3", "h4", "blockquote", "table", "tr"),
        )

    path = DATA / name
    source = path.read_text("utf-8")
    out = markdown.translated_text(translate(path, Upper()))
    before = seen(source)
    assert seen(out) == before
    assert len(before[0]) > 5 and before[2] > 10 and before[3] > 0 and before[4] > 100
    assert out != source


@pytest.mark.parametrize(
    "text",
    [
        "Tekst " + "**a " * 20_000,
        "Tekst " + "[a](" * 20_000,
        "Tekst " + "[" * 20_000 + "a" + "](b)" * 20_000,
    ],
    ids=["bold-run", "open-links", "nested-links"],
)
def test_hostile_lines_are_written_back_in_linear_time(tmp_path: Path, text: str) -> None:
    source = tmp_path / "x.md"
    source.write_text(text + "\n", encoding="utf-8")
    done = within(20, functools.partial(translate, source, Upper()))
    out = within(20, markdown.translated_text, done)
    assert out.startswith("TEKST")
