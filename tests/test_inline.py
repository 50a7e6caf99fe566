"""Inline codes through translation (glossary.translation.inline and the pipeline).

The word engine double of tests/test_enforce.py translates word by word, so
where a code belongs is known; a subclass declares `placeholders` and keeps
them (with the spacing noise a real engine adds), and scripted outputs
lose, repeat, reorder and invent placeholders. The tiny Argos model places
codes by its real attention alignment.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from glossary.document import (
    Document,
    InlineCode,
    Paragraph,
    Segment,
    SegmentResult,
    TermUse,
    code_pieces,
)
from glossary.enforcement.cascade import Enforcer
from glossary.engines.base import Capabilities, Hypothesis, Request
from glossary.errors import InvalidValue
from glossary.matching.verify import Glossary
from glossary.translation import inline
from glossary.translation.pipeline import PlainTranslator, translate_documents
from test_enforce import CONCEPTS, WordEngine


def op(id_: str, offset: int, label: str = "b") -> InlineCode:
    return InlineCode(id_, "open", offset, data=f"<{label}>", label=label)


def cl(id_: str, offset: int, label: str = "b") -> InlineCode:
    return InlineCode(id_, "close", offset, data=f"</{label}>", label=label)


def pt(id_: str, offset: int) -> InlineCode:
    return InlineCode(id_, "standalone", offset, data="<br/>", label="br")


def render(text: str, codes: Sequence[InlineCode]) -> str:
    """Codes written as their data, for readable expectations."""
    return "".join(p if isinstance(p, str) else p.data for p in code_pieces(text, codes))


def plain(text: str) -> str:
    """`render` backwards: the text without the test markup."""
    for tag in ("<b>", "</b>", "<i>", "</i>", "<br/>"):
        text = text.replace(tag, "")
    return text


def well_nested(codes: Sequence[InlineCode]) -> bool:
    stack: list[str] = []
    for code in codes:
        if code.kind == "open":
            stack.append(code.id)
        elif code.kind == "close" and (not stack or stack.pop() != code.id):
            return False
    return not stack


# ------------------------------------------------------------------ basics


def test_placeholder_text_numbers_pairs_and_points_in_order() -> None:
    codes = [op("a", 0), cl("a", 4), pt("7", 10), op("z", 11, "i"), cl("z", 15, "i")]
    text = "OVSE sprak met Rome"
    assert inline.placeholder_text(text, codes) == "<g1>OVSE</g1> sprak<x2/> <g3>met </g3>Rome"


def test_reading_placeholders_back_maps_offsets_and_keeps_single_spaces() -> None:
    text, found, mapping = inline.read_placeholders("the <g1> OSCE </g1> group<x2/>.")
    assert text == "the OSCE group."
    assert [(f.kind, f.number, f.offset) for f in found] == [
        ("open", 1, 4),
        ("close", 1, 8),
        ("standalone", 2, 14),
    ]
    assert len(mapping) == len("the <g1> OSCE </g1> group<x2/>.") + 1
    assert mapping[-1] == len(text)


@pytest.mark.parametrize(
    "codes",
    [
        [op("1", 9)],
        [cl("1", 0)],
        [op("1", 3), cl("1", 1)],
        [op("1", 0), op("1", 1), cl("1", 2)],
        [pt("1", 1), pt("1", 2)],
    ],
    ids=["outside", "close-without-open", "not-in-order", "opened-twice", "point-twice"],
)
def test_bad_codes_are_refused(codes: list[InlineCode]) -> None:
    with pytest.raises(InvalidValue):
        inline.check_codes("abcd", codes)


# ------------------------------------------------------- placing by rules


TERM = TermUse("c1", "OVSE", 3, 7, "OSCE", "enforced", "nbest", 4, 8)


@pytest.mark.parametrize(
    ("source", "codes", "target", "terms", "alignment", "expected", "method"),
    [
        (
            "De <b>OVSE</b> sprak.",
            [op("1", 3), cl("1", 7)],
            "The OSCE spoke.",
            [TERM],
            [],
            "The <b>OSCE</b> spoke.",
            "term",
        ),
        (
            "<b>Heel de tekst.</b>",
            [op("1", 0), cl("1", 14)],
            "The whole text.",
            [],
            [],
            "<b>The whole text.</b>",
            "edge",
        ),
        (
            "<b>Hallo wereld</b>.",
            [op("1", 0), cl("1", 12)],
            "Hello world!",
            [],
            [],
            "<b>Hello world</b>!",
            "edge",
        ),
        (
            "Zij sprak <b>gisteren</b> met hem.",
            [op("1", 10), cl("1", 18)],
            "She spoke with him yesterday.",
            [],
            [(10, 18, 19, 28)],
            "She spoke with him <b>yesterday</b>.",
            "alignment",
        ),
        (
            "Zij sprak <b>gisteren</b> met hem.",
            [op("1", 10), cl("1", 18)],
            "She spoke yesterday with him.",
            [],
            [],
            "She spoke <b>yesterday</b> with him.",
            "position",
        ),
        (
            "Het conflict<br/> duurt.",
            [pt("1", 12)],
            "The conflict lasts.",
            [],
            [(4, 12, 4, 12)],
            "The conflict<br/> lasts.",
            "alignment",
        ),
        (
            "De OVSE<br/> sprak.",
            [pt("1", 7)],
            "The OSCE spoke.",
            [TERM],
            [],
            "The OSCE<br/> spoke.",
            "term",
        ),
        (
            "Een lange zin<br/> over niets in het bijzonder.",
            [pt("1", 13)],
            "A long sentence about nothing in particular.",
            [],
            [],
            "A long sentence<br/> about nothing in particular.",
            "position",
        ),
    ],
    ids=[
        "pair-around-term",
        "pair-around-all",
        "pair-before-final-punctuation",
        "pair-by-alignment",
        "pair-by-position",
        "point-glued-by-alignment",
        "point-after-term",
        "point-by-position",
    ],
)
def test_codes_are_placed_by_the_first_rule_that_applies(
    source: str,
    codes: list[InlineCode],
    target: str,
    terms: list[TermUse],
    alignment: list[tuple[int, int, int, int]],
    expected: str,
    method: str,
) -> None:
    text = plain(source)
    assert render(text, codes) == source  # the case is written right
    placed = inline.place(text, codes, target, terms=terms, alignment=alignment)
    assert render(target, placed.codes) == expected
    assert {p.method for p in placed.placements} == {method}
    assert not placed.problems


def test_pairs_keep_their_nesting_and_order_whatever_the_positions() -> None:
    # Alignment that would cross the pairs: <i> after <b> in the source, but
    # aligned before it; and a point inside <b> aligned outside it.
    source = "<b>een twee<br/></b> <i>drie</i>"
    codes = [op("1", 0), pt("2", 8), cl("1", 8), op("3", 9, "i"), cl("3", 13, "i")]
    text = plain(source)
    assert render(text, codes) == source
    target = "three one two"
    alignment = [(0, 3, 6, 9), (4, 8, 10, 13), (9, 13, 0, 5)]
    placed = inline.place(text, codes, target, alignment=alignment)
    assert well_nested(placed.codes)
    out = render(target, placed.codes)
    assert plain(out) == target
    # <i> comes after </b>, as in the source; the point stays inside <b>.
    assert out.index("</b>") <= out.index("<i>")
    assert out.index("<b>") <= out.index("<br/>") <= out.index("</b>")


def test_no_text_is_lost_and_every_code_comes_back_once() -> None:
    source = "<b>Het <i>conflict</i></b> tussen<br/> Armenië en <b>Azerbeidzjan</b>."
    codes: list[InlineCode] = []
    text = ""
    pos = 0
    import re

    for m in re.finditer(r"</?[bi]>|<br/>", source):
        text += source[pos : m.start()]
        tag = m.group()
        label = tag.strip("</>")
        if tag == "<br/>":
            codes.append(pt(f"p{len(codes)}", len(text)))
        elif tag.startswith("</"):
            opened = [c for c in codes if c.kind == "open" and c.label == label]
            closed = {c.id for c in codes if c.kind == "close"}
            codes.append(cl([c for c in opened if c.id not in closed][-1].id, len(text), label))
        else:
            codes.append(op(f"o{len(codes)}", len(text), label))
        pos = m.end()
    text += source[pos:]
    assert render(text, codes) == source
    for target in ("", "x", "The conflict between Armenia and Azerbaijan.", "Anders."):
        placed = inline.place(text, codes, target)
        assert plain(render(target, placed.codes)) == target
        assert sorted(c.id for c in placed.codes) == sorted(c.id for c in codes)
        assert well_nested(placed.codes)


# ------------------------------------------------- placeholders kept or lost


@pytest.mark.parametrize(
    ("output", "expected", "problems"),
    [
        ("The <g1>OSCE</g1> spoke<x2/>.", "The <b>OSCE</b> spoke<br/>.", []),
        ("The < g1 > OSCE </ g1 > spoke< x2/>.", "The <b>OSCE</b> spoke<br/>.", []),
        ("The OSCE spoke<x2/>.", "The <b>OSCE</b> spoke<br/>.", ["1:lost", "1:lost"]),
        ("The <g1>OSCE</g1> spoke.", "The <b>OSCE</b> spoke<br/>.", ["2:lost"]),
        (
            "The </g1>OSCE<g1> spoke<x2/>.",
            "The <b>OSCE</b> spoke<br/>.",
            ["1:inside out", "1:inside out"],
        ),
        (
            "The <g1>OSCE</g1> <x2/>spoke<x2/>.",
            "The <b>OSCE</b> <br/>spoke.",
            ["2:given twice"],
        ),
        ("The <g1>OSCE</g1> spoke<x2/><x9/>.", "The <b>OSCE</b> spoke<br/>.", ["1:made up"]),
    ],
    ids=["kept", "kept-with-spaces", "pair-lost", "point-lost", "inside-out", "twice", "made-up"],
)
def test_placeholders_the_engine_kept_lost_or_mangled(
    output: str, expected: str, problems: list[str]
) -> None:
    source = "De <b>OVSE</b> sprak<br/>."
    text = plain(source)
    codes = [op("1", 3), cl("1", 7), pt("2", 13)]
    assert render(text, codes) == source
    assert inline.placeholder_text(text, codes) == "De <g1>OVSE</g1> sprak<x2/>."
    segment = Segment("d", 0, 0, text, 1, 1, 0, len(text), codes=tuple(codes))
    result = SegmentResult(output, terms=(TermUse("c1", "OVSE", 7, 11, "OSCE", "enforced"),))
    translated = inline.translate_segment(segment, result, placeholders=True)
    assert render(translated.target, translated.codes) == expected
    found = [f"{p.code_id}:{p.problem}" for p in translated.code_problems]
    for want in problems:
        code_id, what = want.split(":")
        assert any(f.startswith(code_id + ":") and what in f for f in found)
    assert len(found) == len(problems)
    for p in translated.code_problems:
        assert "put back" in p.problem or "kept" in p.problem or "removed" in p.problem


def test_term_spans_are_mapped_back_to_the_plain_texts() -> None:
    text = "De OVSE sprak."
    codes = (op("1", 3), cl("1", 7))
    segment = Segment("d", 0, 0, text, 1, 1, 0, len(text), codes=codes)
    ph = inline.engine_text(segment, True)
    assert ph == "De <g1>OVSE</g1> sprak."
    out = "The <g1>OSCE</g1> spoke."
    use = TermUse("c1", "OVSE", ph.index("OVSE"), ph.index("OVSE") + 4, "OSCE", "enforced")
    use = TermUse(
        "c1", "OVSE", use.source_start, use.source_end, "OSCE", "enforced", "nbest", 8, 12
    )
    result = SegmentResult(out, terms=(use,))
    translated = inline.translate_segment(segment, result, placeholders=True)
    (term,) = translated.terms
    assert text[term.source_start : term.source_end] == "OVSE"
    assert translated.target[term.target_start : term.target_end] == "OSCE"


# ------------------------------------------------------------ the pipeline


class PlaceholderEngine(WordEngine):
    """The word engine declaring that it keeps placeholders (it copies unknown
    tokens, so "<g1>" comes back as "< g1>" next to its word)."""

    signature = "engine:words-placeholders"

    def __init__(self) -> None:
        super().__init__({"ovse": ["OSCE"]})
        self.capabilities = Capabilities(
            n_best=4, prefix=True, suppress=True, alignment=True, placeholders=True
        )


def document(*segments: tuple[str, tuple[InlineCode, ...]]) -> Document:
    segs = tuple(
        Segment("brief.docx", i, i, text, i + 1, i + 1, 0, len(text), codes=codes)
        for i, (text, codes) in enumerate(segments)
    )
    return Document("brief.docx", tuple(Paragraph(s.index, "text", (s,), s.line) for s in segs))


BOLD_OVSE = ("De OVSE sprak gisteren met Armenië.", (op("1", 3), cl("1", 7)))
BREAK = ("Er werd gisteren afgesproken.", (pt("1", 28),))


def test_the_enforcer_gives_the_bold_term_its_english_in_bold() -> None:
    doc = document(BOLD_OVSE, BREAK, ("Geen codes hier.", ()))
    strategy = Enforcer(WordEngine(), Glossary(CONCEPTS))
    (out,) = translate_documents([doc], strategy)
    first, second, third = out.segments
    assert render(first.target, first.codes) == "The <b>OSCE</b> spoke yesterday with Armenia."
    assert {p.method for p in first.placements} == {"term"}
    assert render(second.target, second.codes) == "There was yesterday agreed<br/>."
    assert third.codes == () and third.placements == ()


def test_an_engine_that_keeps_placeholders_gets_them_and_the_terms_still_hold() -> None:
    engine = PlaceholderEngine()
    doc = document(BOLD_OVSE, BREAK)
    (out,) = translate_documents([doc], Enforcer(engine, Glossary(CONCEPTS)))
    sent = [r.source for r in engine.requests]
    assert "De <g1>OVSE</g1> sprak gisteren met Armenië." in sent
    first, second = out.segments
    assert render(first.target, first.codes) == "The <b>OSCE</b> spoke yesterday with Armenia."
    assert {p.method for p in first.placements} == {"kept"}
    assert [t.status for t in first.terms] == ["enforced", "enforced"]
    for t in first.terms:
        assert first.target[t.target_start : t.target_end] in ("OSCE", "Armenia")
        assert first.segment.text[t.source_start : t.source_end] in ("OVSE", "Armenië")
    assert "<" not in first.target and "<" not in second.target
    assert render(second.target, second.codes) == "There was yesterday agreed<br/>."


def test_identical_texts_with_other_codes_are_translated_once_and_placed_each() -> None:
    engine = WordEngine()
    doc = document(
        ("De OVSE sprak.", (op("1", 3), cl("1", 7))),
        ("De OVSE sprak.", (op("9", 0), cl("9", 14))),
        ("De OVSE sprak.", ()),
    )
    (out,) = translate_documents([doc], PlainTranslator(engine))
    assert len(engine.requests) == 1
    rendered = [render(s.target, s.codes) for s in out.segments]
    assert rendered == ["The <b>OVSE</b> spoke.", "<b>The OVSE spoke.</b>", "The OVSE spoke."]


class LosingEngine(PlaceholderEngine):
    """Keeps placeholders, but drops every standalone one."""

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        out = super().translate_batch(requests)
        return [
            [Hypothesis(inline.PLACEHOLDER.sub(_drop_points, h.text), h.score) for h in hyps]
            for hyps in out
        ]


def _drop_points(match: object) -> str:
    import re

    assert isinstance(match, re.Match)
    return "" if match.group(2).lower() == "x" else match.group(0)


def test_a_code_the_engine_loses_is_put_back_and_reported() -> None:
    doc = document(BREAK)
    (out,) = translate_documents([doc], PlainTranslator(LosingEngine()))
    (seg,) = out.segments
    assert render(seg.target, seg.codes) == "There was yesterday agreed<br/>."
    (problem,) = seg.code_problems
    assert problem.problem.startswith("lost by the engine; put back")


@pytest.mark.slow
def test_codes_placed_by_the_tiny_argos_model_s_alignment(tiny_package: object) -> None:
    from glossary.engines.registry import load_engine

    engine = load_engine("argos", beam_size=2, threads=1, package=tiny_package)
    texts = [
        "De <b>OVSE</b> sprak gisteren met Armenië en Azerbeidzjan.",
        "Het conflict<br/> duurt al jaren.",
    ]
    segs = []
    for source in texts:
        text = plain(source)
        codes: tuple[InlineCode, ...]
        if "<br/>" in source:
            codes = (pt("p", source.index("<br/>")),)
        else:
            codes = (op("1", source.index("<b>")), cl("1", source.index("</b>") - 3))
        assert render(text, codes) == source
        segs.append((text, codes))
    doc = document(*segs)
    with_alignment = translate_documents([doc], PlainTranslator(engine, alignment=True))
    without = translate_documents([doc], PlainTranslator(engine))
    for a, b in zip(with_alignment[0].segments, without[0].segments, strict=True):
        assert a.target == b.target  # asking for the alignment changes nothing
        assert sorted(c.id for c in a.codes) == sorted(c.id for c in a.segment.codes)
        assert well_nested(a.codes)
        assert plain(render(a.target, a.codes)) == a.target
        if a.target:
            assert {p.method for p in a.placements} <= {"alignment", "edge", "position"}
    assert any(p.method == "alignment" for s in with_alignment[0].segments for p in s.placements)
