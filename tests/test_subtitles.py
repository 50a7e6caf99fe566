"""Subtitles keep their tags: inline tags as codes, balanced in every cue.

Real files made by others (tests/data/formats, see PROVENANCE.md): the
SubRip capability tester of pysrt (nested fonts, ASS positions, invalid and
unclosed tags), a WebVTT talk of mozilla/vtt.js (voices mid-cue, bold and
underline inside cues), Okapi's SRT and the WebVTT spec example. Outputs are
parsed again by `srt` and webvtt-py (not by glossary): the same cues and
timecodes, and the tags of every cue balanced as in the source.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest

from deadline import within
from glossary.document import TranslatedDocument
from glossary.documents import subtitles
from glossary.enforcement.cascade import Enforcer
from glossary.matching.verify import Glossary
from glossary.reading.ingest import read_document
from glossary.translation.pipeline import translate_documents
from test_documents import Upper
from test_enforce import CONCEPTS, WordEngine
from test_markdown import Scripted

FORMATS = Path(__file__).parent / "data" / "formats"
TAG = re.compile(r"</?([A-Za-z][\w-]*)[^<>]*>")


def translate(path: Path, strategy: object) -> TranslatedDocument:
    (done,) = translate_documents([read_document(str(path))], strategy)  # type: ignore[arg-type]
    return done


def srt_file(tmp_path: Path, *cues: str) -> Path:
    path = tmp_path / "x.srt"
    blocks = [
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n" for n, text in enumerate(cues, 1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def srt_cues(text: str) -> list[str]:
    import srt

    return [c.content for c in srt.parse(text)]


def balanced(text: str) -> bool:
    """Every tag of a cue's text closed in it, in order (an independent check)."""
    stack: list[str] = []
    for m in TAG.finditer(text):
        name = m.group(1).lower()
        if m.group().startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def tags(text: str) -> list[str]:
    return [m.group() for m in TAG.finditer(text)]


def test_an_enforced_term_in_italics_inside_a_cue_stays_italic(tmp_path: Path) -> None:
    path = srt_file(
        tmp_path,
        "{\\an8}De <i>OVSE</i> sprak met <b>Armenië</b>",
        "over het <u>vredesakkoord</u>.",
    )
    doc = read_document(str(path))
    (segment,) = doc.segments
    assert segment.text == "De OVSE sprak met Armenië over het vredesakkoord."
    assert [(c.kind, c.label) for c in segment.codes] == [
        ("open", "italic"),
        ("close", "italic"),
        ("open", "bold"),
        ("close", "bold"),
        ("open", "underline"),
        ("close", "underline"),
    ]
    done = translate(path, Enforcer(WordEngine(), Glossary(CONCEPTS)))
    (ts,) = done.segments
    assert {u.status for u in ts.terms} == {"enforced"} and len(ts.terms) == 3
    out = subtitles.translated_text(done)
    first, second = srt_cues(out)
    assert first.startswith("{\\an8}")  # the position of the cue stays at its start
    assert "<i>OSCE</i>" in first and "<b>Armenia</b>" in first
    assert "<u>peace agreement</u>" in second
    assert balanced(first) and balanced(second)


def test_a_tag_over_the_two_cues_of_a_sentence_is_balanced_in_each(tmp_path: Path) -> None:
    path = srt_file(
        tmp_path,
        "Het kabinet heeft <i>vandaag besloten",
        "de steun</i> aan de OVSE te verlengen.",
        "<i>Een hele cue</i>",
        "<i>en nog een.</i>",
    )
    strategy = Upper()
    done = translate(path, strategy)
    assert "Het kabinet heeft vandaag besloten de steun aan de OVSE te verlengen." in strategy.texts
    out = subtitles.translated_text(done)
    cues = srt_cues(out)
    assert cues == [
        "HET KABINET HEEFT <i>VANDAAG BESLOTEN</i>",
        "<i>DE STEUN</i> AAN DE OVSE TE VERLENGEN.",
        "<i>EEN HELE CUE</i>",  # tags around a whole cue stay the cue's own
        "<i>EN NOG EEN.</i>",
    ]


def test_an_engine_that_moves_a_pair_over_the_cue_break_gets_it_closed_and_reopened(
    tmp_path: Path,
) -> None:
    path = srt_file(
        tmp_path, "Het kabinet heeft besloten", "de steun <i>aan de OVSE</i> te verlengen."
    )
    sent = "Het kabinet heeft besloten de steun <g1>aan de OVSE</g1> te verlengen."
    engine = Scripted({sent: "The <g1>cabinet has decided to extend the support</g1> to the OSCE."})
    done = translate(path, engine)
    assert engine.sent == [sent]
    first, second = srt_cues(subtitles.translated_text(done))
    assert first.endswith("</i>") and second.startswith("<i>")
    assert balanced(first) and balanced(second)
    words = re.sub(r"<[^>]+>", "", first + " " + second)
    assert words == "The cabinet has decided to extend the support to the OSCE."


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("<g2>Italic</g2> and <g1>bold</g1> this is.", "order"),
        ("This is <g1>bold</g1> and italic.", "lost"),
        ("This is bold and italic.", "lost"),
        ("This <g3>is</g3> bold and <g2>italic</g2>.", "made up"),
    ],
    ids=["reordered", "one-dropped", "all-dropped", "made-up"],
)
def test_a_dropped_or_reordered_placeholder_is_placed_reported_and_no_text_is_lost(
    tmp_path: Path, answer: str, problem: str
) -> None:
    path = srt_file(tmp_path, "Dit is <b>vet</b> en <i>schuin</i>.")
    engine = Scripted({"Dit is <g1>vet</g1> en <g2>schuin</g2>.": answer})
    done = translate(path, engine)
    (ts,) = done.segments
    assert any(problem in p.problem for p in ts.placements), ts.placements
    (cue,) = srt_cues(subtitles.translated_text(done))
    assert balanced(cue)
    assert re.sub(r"<[^>]+>", "", cue).split() == re.sub(r"<[^>]+>", "", answer).split()
    assert sorted(tags(cue)) == ["</b>", "</i>", "<b>", "<i>"] or problem == "order"


def test_points_and_voices_are_kept_in_place(tmp_path: Path) -> None:
    path = tmp_path / "x.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE <i>niet vertalen</i>\n\nSTYLE\n::cue(.luid) { color: red }\n\n"
        "een\n00:00:01.000 --> 00:00:04.000 line:10%\n"
        "<v Anna>Goedemiddag.</v> <v Piet>Dag <c.luid>Anna</c>, <00:00:02.500>welkom "
        "<lang en>today</lang> in <ruby>Den Haag<rt>hoofdstad</rt></ruby>.</v>\n",
        encoding="utf-8",
    )
    doc = read_document(str(path))
    assert [s.text for s in doc.segments] == [
        "Goedemiddag.",
        "Dag Anna, welkom today in Den Haaghoofdstad.",
    ]
    assert "timestamp" in [c.label for c in doc.segments[1].codes]
    out = subtitles.translated_text(translate(path, Upper()))
    assert out.startswith("WEBVTT\n\nNOTE <i>niet vertalen</i>\n\nSTYLE\n::cue(.luid)")
    import webvtt

    (caption,) = webvtt.from_buffer(io.StringIO(out)).captions
    assert caption.identifier == "een" and caption.start == "00:00:01.000"
    text = caption.raw_text.replace("\n", " ")
    assert text.startswith(
        "<v Anna>GOEDEMIDDAG.</v> <v Piet>DAG <c.luid>ANNA</c>, <00:00:02.500>WELKOM "
        "<lang en>TODAY</lang> IN <ruby>"
    )
    assert balanced(text)
    assert tags(text) == tags(
        "<v Anna></v> <v Piet><c.luid></c><lang en></lang><ruby><rt></rt></ruby></v>"
    )


def srt_pairs(path: Path, out: str) -> list[tuple[object, ...]]:
    import srt

    before = list(srt.parse(path.read_text("utf-8")))
    after = list(srt.parse(out))
    assert len(after) == len(before)
    assert [(c.index, c.start, c.end, c.proprietary) for c in after] == [
        (c.index, c.start, c.end, c.proprietary) for c in before
    ]
    return [(b.content, a.content) for b, a in zip(before, after, strict=True)]


@pytest.mark.parametrize("name", ["capability_tester.srt", "Test01_srt_en.srt"])
def test_real_srt_files_keep_cues_timecodes_and_every_tag(name: str) -> None:
    path = FORMATS / name
    done = translate(path, Upper())
    assert not any(TAG.search(s.text) or "{\\" in s.text for s in done.document.segments)
    out = subtitles.translated_text(done)
    pairs = srt_pairs(path, out)
    for source, target in pairs:
        # No cross-cue pairs in these files: each cue has its own tags, in order.
        assert tags(target) == tags(source), (source, target)
        assert balanced(target) == balanced(source)
        assert shown(target).split() == shown(source).upper().split()


def shown(text: str) -> str:
    return re.sub(r"\{\\[^}]*\}|<\d[\d:.]*>", "", TAG.sub("", text))


@pytest.mark.parametrize("name", ["cycle-collector-talk.vtt", "spec-example.vtt"])
def test_real_webvtt_files_keep_cues_timecodes_and_every_tag(name: str) -> None:
    import webvtt

    path = FORMATS / name
    out = subtitles.translated_text(translate(path, Upper()))
    before = webvtt.from_buffer(io.StringIO(path.read_text("utf-8"))).captions
    after = webvtt.from_buffer(io.StringIO(out)).captions
    assert [(c.start, c.end) for c in after] == [(c.start, c.end) for c in before]
    for b, a in zip(before, after, strict=True):
        assert tags(a.raw_text) == tags(b.raw_text)
        assert a.text.split() == b.text.upper().split()


HOSTILE = [
    ("open-tags", "Tekst " + "<i>" * 10_000 + "einde."),
    ("pairs", "Tekst " + "<i>a</i> " * 10_000 + "einde."),
    ("nested", "Tekst " + "<b>" * 10_000 + "a. " * 5_000 + "</b>" * 10_000),
    ("whole", "<b>" * 10_000 + "Tekst. " * 5_000 + "</b>" * 10_000),
    ("overrides", "Tekst " + "{\\an8}a " * 10_000),
    ("timestamps", "Tekst " + "<00:00:01.000>a " * 10_000),
    ("brackets", "Tekst " + "<a" * 10_000 + "{\\" * 10_000),
]


@pytest.mark.parametrize("text", [t for _, t in HOSTILE], ids=[i for i, _ in HOSTILE])
def test_hostile_cues_are_read_and_written_in_linear_time(tmp_path: Path, text: str) -> None:
    path = srt_file(tmp_path, text, "Tweede " + text)
    done = within(20, functools.partial(translate, path, Upper()))
    out = within(20, subtitles.translated_text, done)
    assert len(srt_cues(out)) == 2
    shown = re.sub(r"<[^<>]*>|\{\\[^{}]*\}", "", out)
    assert shown.count("TEKST") == 2 * text.count("Tekst") and "TWEEDE" in shown


PIECES = ["Het", "kabinet", "besloot", "de", "OVSE.", "steun", "<i>", "</i>", "<b>", "</b>"]
PIECES += ["<v Anna>", "</v>", "{\\an8}", "<00:00:01.500>", "<font color=red>", "</font>", "<", ">"]


@pytest.mark.parametrize("seed", range(3))
def test_random_tags_over_cues_keep_every_cue_word_and_tag(tmp_path: Path, seed: int) -> None:
    """Seeded random cues of words and tags (balanced or not, over cues or not):
    the writer keeps cues, timecodes and every word, and balances what it splits."""
    import random

    rng = random.Random(seed)
    for case in range(60):
        cues = [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 9))) for _ in range(4)]
        cues = [c if shown(c).strip() else c + " tekst" for c in cues]
        path = srt_file(tmp_path, *cues)
        out = subtitles.translated_text(translate(path, Upper()))
        pairs = srt_pairs(path, out)
        source_words = " ".join(shown(s) for s, _ in pairs).upper().split()
        assert " ".join(shown(t) for _, t in pairs).split() == source_words, (case, cues, out)
        if all(balanced(s) for s, _ in pairs):
            assert all(balanced(t) for _, t in pairs), (case, cues, out)
