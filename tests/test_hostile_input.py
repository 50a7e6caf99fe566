"""Hostile input: the regression tests of the hostile-input audit (issue 20).

Finding 1: no pattern takes more than linear time. Each case is a line an
attacker (or an unlucky PDF extraction) can produce, at a size where the
old exponential or quadratic patterns took minutes to hours; the fixed
reader needs well under a second. The deadline (`deadline.within`) fails
the test instead of hanging the suite.
"""

from __future__ import annotations

import functools

import pytest

from deadline import within
from glossary.reading import ingest, segment

N = 100_000
# (id, file name deciding the reader, text)
PATHOLOGICAL: list[tuple[str, str, str]] = [
    # A table of contents: exponential in the dot run (36 dots took 6 s, 44 dots 51 s).
    ("toc-leaders", "toc.txt", "Inhoud\n\n1. Inleiding " + "." * 60 + " 3\n2. Doel " + "." * 60),
    ("dot-run", "dots.txt", "Tekst " + "." * N + "a 3\n"),
    ("html-br-run", "br.html", "<p>Tekst" + "<br>" * N + "einde.</p>"),
    ("md-nested-links", "links.md", "Tekst " + "[" * N + "a" + "](b)" * N + "\n"),
    ("md-open-brackets", "open.md", "Tekst " + "[a" * N + "\n"),
    ("md-open-links", "openlinks.md", "Tekst " + "[a](" * N + "\n"),
    ("md-open-images", "img.md", "Tekst " + "![" * N + "\n"),
    ("md-open-tags", "tags.md", "Tekst " + "<a " * N + "\n"),
    ("md-open-autolinks", "auto.md", "Tekst " + "<http://a" * N + "\n"),
    ("md-bold-run", "bold.md", "Tekst " + "**a " * N + "\n"),
    ("md-underline-run", "under.md", "Tekst " + "__a " * N + "\n"),
    ("md-heading-spaces", "head.md", "# a" + " " * N + "x\n"),
    ("ocr-long-word", "ocr.txt", "Woord " + "a" * N + " Armenié.\n"),
    ("url-run", "url.txt", "Tekst " + "www." * N + "-\nvolgende regel\n"),
]


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for _, n, t in PATHOLOGICAL], ids=[i for i, _, _ in PATHOLOGICAL]
)
def test_reading_hostile_lines_takes_linear_time(name: str, text: str) -> None:
    document = within(20, functools.partial(ingest.read_document, name, text=text))
    assert document.path == name


@pytest.mark.parametrize("dots", [40, 60, 1000], ids=["40", "60", "1000"])
def test_sentence_end_after_a_dot_run_is_linear(dots: int) -> None:
    text = "Inleiding " + "." * dots + " 3"
    assert within(10, segment.ends_sentence, text) is False
    assert within(10, segment.ends_sentence, text + ".") is True
    spans = within(10, segment.split_sentences, text + " Daarna volgt tekst.")
    assert spans[0][0] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dat is zo.", True),
        ("Dat is zo...", True),
        ("Dat is zo…", True),
        ("Hij zei: 'ja.'", True),
        ("Dat is o.a.", False),
        ("Zie blz.", False),
        ("Dat is zo", False),
        ("Wat nu?!", True),
        ("", False),
    ],
    ids=["dot", "ellipsis", "unicode", "closer", "abbreviation", "blz", "none", "?!", "empty"],
)
def test_ends_sentence_keeps_its_meaning(text: str, expected: bool) -> None:
    assert segment.ends_sentence(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Titel ##", "Titel"),
        ("# Titel", "Titel"),
        ("## C#", "C#"),
        ("# ###", "###"),
        ("Zie [de brief](https://example.org/a) en ![logo](x.png).", "Zie de brief en logo."),
        ("**Vet *schuin* vet** en __ook__.", "Vet schuin vet en ook."),
        ("<https://example.org> en <b>vet</b>.", "https://example.org en vet."),
    ],
    ids=["closing-hashes", "plain", "hash-in-word", "only-hashes", "links", "bold", "autolink"],
)
def test_markdown_inline_markup_still_goes(text: str, expected: str) -> None:
    doc = ingest.read_document("x.md", text=text + "\n")
    assert " ".join(s.text for s in doc.segments) == expected
