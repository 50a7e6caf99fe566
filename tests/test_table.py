"""Terminal tables: wrapping at spaces, fitting a width, never cutting, colour spans."""

from __future__ import annotations

import click
import pytest

from glossary.cli.table import Text, column_widths, output_width, paint, render, wrap


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (
            "De Minsk Groep vraagt een staakt-het-vuren.",
            15,
            ["De Minsk Groep", "vraagt een", "staakt-het-vure", "n."],
        ),
        ("kort", 10, ["kort"]),
        ("een\ntwee drie", 5, ["een", "twee", "drie"]),
        ("a  b", None, ["a  b"]),
        ("", 5, [""]),
    ],
    ids=["words-and-a-long-word", "short", "line-breaks", "no-width", "empty"],
)
def test_wrap(text: str, width: int | None, lines: list[str]) -> None:
    assert [text[a:b] for a, b in wrap(text, width)] == lines


def test_paint_styles_the_marked_spans_of_a_slice() -> None:
    text = Text("A stop-the-fire was reached.", ((2, 15, "wrong"),))
    assert click.unstyle(paint(text)) == text.text
    assert paint(text) == "A " + click.style("stop-the-fire", fg="red", bold=True) + " was reached."
    assert paint(text, 7, 20) == click.style("the-fire", fg="red", bold=True) + " was "


ROWS = [
    ["line 1", "a term", "Een lange Nederlandse zin met een term erin en nog meer woorden."],
    ["line 22", "another term here", "Kort."],
]


def test_widths_fit_and_give_long_columns_the_most() -> None:
    headers = ["WHERE", "PROBLEM", "SOURCE"]
    assert column_widths(headers, ROWS, None) == [7, 17, 64]
    widths = column_widths(headers, ROWS, 60, min_width=8)
    assert sum(widths) + 4 == 60
    assert widths[2] > widths[1] > widths[0] >= 7
    preferred = column_widths(headers, ROWS, 60, min_width=8, prefer=(1,))
    assert preferred[1] == 17  # its whole width first


def test_render_never_cuts_and_drops_columns_only_when_it_must() -> None:
    headers = ["WHERE", "PROBLEM", "SOURCE"]
    for width in (30, 40, 80, 200):
        table = render(headers, ROWS, width=width, min_width=8, drop=(1,))
        lines = table.splitlines()
        assert max(len(click.unstyle(line)) for line in lines) <= width
        body = " ".join(click.unstyle(table).split())
        for word in ROWS[0][2].split():
            assert word in body
    narrow = click.unstyle(render(headers, ROWS, width=30, min_width=12, drop=(1,)))
    assert "PROBLEM" not in narrow and "WHERE" in narrow
    wide = click.unstyle(render(headers, ROWS, width=200, drop=(1,)))
    assert wide.splitlines()[2].endswith(ROWS[0][2]) and "PROBLEM" in wide


def test_rows_of_several_lines_are_set_apart() -> None:
    table = click.unstyle(render(["A", "B"], [["x", "one two three"], ["y", "z"]], width=9))
    assert table.splitlines() == ["A  B", "-  ------", "x  one", "   two", "   three", "", "y  z"]


def test_output_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "77")
    assert output_width() == 77
    monkeypatch.delenv("COLUMNS")
    assert output_width() is None  # pytest's stdout is no terminal
