"""The engine interface and the Argos engine, on the tiny random-weight package.

The tiny model's output is junk, so these tests check what the engine
guarantees (order, counts, prefixes, suppression, spans, determinism), never
what the model says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest

from argos_tiny import seed_lines
from glossary.engines import registry
from glossary.engines.argos import engine as eng
from glossary.engines.argos.engine import ArgosEngine, DecodeOptions
from glossary.engines.argos.packages import Package
from glossary.engines.base import Capabilities, Engine, Hypothesis, Request, parse_signature
from glossary.engines.none import NoneEngine
from glossary.engines.registry import load_engine
from glossary.errors import InvalidValue, ModelError, ModelNotInstalled

SENTENCES = [
    "De wapenstilstand uit 1994 is al verschillende malen zeer broos gebleken.",
    "Het leger van Azerbeidzjan.",
    "Inleiding",
    "Verschillende landen zoals Rusland, Frankrijk en de Verenigde Staten hebben reeds "
    "opgeroepen tot een staakt-het-vuren, net zoals ook de Europese Unie en de Verenigde Naties.",
    "De OVSE-missie blijft ter plaatse.",
]


@pytest.fixture
def argos(tiny_package: Package) -> ArgosEngine:
    return ArgosEngine(tiny_package, threads=1)


def texts(results: list[list[Hypothesis]]) -> list[str]:
    return [hyps[0].text for hyps in results]


def test_signature_names_package_beam_and_compute_type(argos: ArgosEngine) -> None:
    fields = parse_signature(argos.signature)
    assert fields["engine"] == "argos"
    assert fields["package"] == "translate-nl_en-0_1"
    assert fields["version"] == "0.1"
    assert fields["beam"] == "4"
    assert fields["compute_type"] == "int8"
    assert "ctranslate2" in fields


def test_engines_satisfy_the_protocol(argos: ArgosEngine) -> None:
    engines: list[Engine] = [argos, NoneEngine()]
    for engine in engines:
        out = engine.translate_batch([Request("Het leger.")])
        assert len(out) == 1 and isinstance(out[0][0], Hypothesis)
    assert argos.capabilities == Capabilities(
        n_best=4,
        free_n_best=True,
        prefix=True,
        suppress=True,
        alignment=True,
        repair=True,
        scoring=True,
    )
    assert NoneEngine().capabilities == Capabilities()


def test_one_result_list_per_request_in_order(argos: ArgosEngine) -> None:
    out = argos.translate_batch([Request(s) for s in SENTENCES])
    assert len(out) == len(SENTENCES)
    assert all(len(hyps) == 1 for hyps in out)
    assert all(h.text and h.score is not None and h.score < 0 for hyps in out for h in hyps)
    # Order is restored after sorting by length: each result is what the
    # sentence gets on its own.
    for sentence, hyps in zip(SENTENCES, out, strict=True):
        assert argos.translate_batch([Request(sentence)])[0] == hyps


def test_batching_does_not_change_results(tiny_package: Package) -> None:
    lines = seed_lines()[:30]
    requests = [Request(line) for line in lines]
    big = ArgosEngine(tiny_package, threads=1).translate_batch(requests)
    small = ArgosEngine(tiny_package, threads=1, max_batch_tokens=64).translate_batch(requests)
    reversed_order = ArgosEngine(tiny_package, threads=1).translate_batch(requests[::-1])[::-1]
    assert texts(big) == texts(small) == texts(reversed_order)
    one_by_one = ArgosEngine(tiny_package, threads=1)
    assert [one_by_one.translate_batch([r])[0] for r in requests] == big


def test_repair_decodes_are_greedy_and_cut_at_their_own_cap(
    argos: ArgosEngine, tiny_package: Package
) -> None:
    # The random model never stops by itself, so it runs to every cap.
    greedy = ArgosEngine(tiny_package, threads=1, beam_size=1)
    for source, prefix in [(SENTENCES[0], ""), (SENTENCES[3], "The ceasefire")]:
        prepared = greedy._prepare(Request(source, prefix=prefix))
        (pending,) = greedy._submit([prepared], 1, [], False)
        tokens = list(pending.result().hypotheses[0])[len(prepared.prefix) :]
        assert len(tokens) > 9
        for cap in (1, 4, 9):
            (hyps,) = argos.translate_batch([Request(source, prefix=prefix, max_new_tokens=cap)])
            body = greedy._sp.decode(greedy._ids_of(tokens[:cap])).strip()
            assert hyps[0].text == eng._join(prepared, tokens[:cap], body)[0]
            assert hyps[0].score is None  # cut at the cap: no score


def test_repair_results_depend_on_their_own_request_only(argos: ArgosEngine) -> None:
    lines = seed_lines()[:12]
    requests = [
        Request(line, prefix="The" if n % 3 == 0 else "", max_new_tokens=2 + n % 7)
        for n, line in enumerate(lines)
    ]
    together = argos.translate_batch(requests)
    assert [argos.translate_batch([r])[0] for r in requests] == together
    assert argos.translate_batch(requests[::-1])[::-1] == together


def test_empty_input(argos: ArgosEngine) -> None:
    assert argos.translate_batch([]) == []
    (hyps,) = argos.translate_batch([Request("")])
    assert hyps[0].text == ""


def test_n_best_is_sorted_best_first(argos: ArgosEngine) -> None:
    (hyps,) = argos.translate_batch([Request(SENTENCES[0], n_best=4)])
    assert len(hyps) == 4
    scores = [h.score for h in hyps]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert len({h.text for h in hyps}) > 1


def test_n_best_wider_than_beam(tiny_package: Package) -> None:
    engine = ArgosEngine(tiny_package, threads=1, beam_size=2)
    (hyps,) = engine.translate_batch([Request(SENTENCES[1], n_best=5)])
    assert len(hyps) == 5


@pytest.mark.parametrize(
    "prefix",
    ["The ceasefire", "TERM_1 was", "€ ĳs", "OSCE"],
    ids=["words", "underscore", "unknown-chars", "acronym"],
)
def test_prefix_starts_every_hypothesis_verbatim(argos: ArgosEngine, prefix: str) -> None:
    (hyps,) = argos.translate_batch([Request(SENTENCES[0], prefix=prefix, n_best=3)])
    assert len(hyps) == 3
    for hyp in hyps:
        assert hyp.text.startswith(prefix)
        assert len(hyp.text) > len(prefix)  # the model went on


def test_prefix_with_trailing_space_keeps_a_word_boundary(argos: ArgosEngine) -> None:
    (hyps,) = argos.translate_batch([Request(SENTENCES[1], prefix="The army ")])
    assert hyps[0].text.startswith("The army ")


def test_underscore_survives_decoding(argos: ArgosEngine) -> None:
    # argostranslate turns every "_" into a space; we decode with SentencePiece.
    tokens = argos._encode("TERM_1 en TERM_2")
    assert "_" in tokens
    output = SimpleNamespace(hypotheses=[tokens], scores=[-1.0], attention=None)
    prepared = argos._prepare(Request("x"))
    (hyp,) = argos._hypotheses(prepared, output, alignment=False)
    assert hyp.text == "TERM_1 en TERM_2"


def test_junk_output_decodes_without_crashing(argos: ArgosEngine) -> None:
    junk = ["<unk>", "<s>", "</s>", "not-a-piece", "\u2581", "_"]
    output = SimpleNamespace(hypotheses=[junk, []], scores=[-9.0, -1.0], attention=None)
    prepared = argos._prepare(Request("x"))
    first, empty = argos._hypotheses(prepared, output, alignment=False)
    assert "⁇" in first.text and "_" in first.text and "<s>" not in first.text
    assert empty.text == ""


def test_junk_output_with_alignment(argos: ArgosEngine) -> None:
    prepared = argos._prepare(Request("Het leger.", alignment=True))
    junk = ["<unk>", "<s>", "\u2581leger"]
    rows = [[0.1] * len(prepared.source) for _ in junk]
    output = SimpleNamespace(hypotheses=[junk], scores=[-1.0], attention=[rows])
    (hyp,) = argos._hypotheses(prepared, output, alignment=True)
    assert hyp.text.endswith("leger")
    assert all(0 <= link.target_start < link.target_end <= len(hyp.text) for link in hyp.alignment)


def test_suppressed_words_do_not_appear(argos: ArgosEngine) -> None:
    (plain,) = argos.translate_batch([Request(SENTENCES[0])])
    # Words the model produced as one piece ("▁word"): suppressing them bans that piece.
    words = [w for w in plain[0].text.split() if argos._encode(w) == ["\u2581" + w]]
    assert words, plain[0].text
    banned = words[0]
    (hyps,) = argos.translate_batch([Request(SENTENCES[0], suppress=(banned,))])
    assert banned not in hyps[0].text.split()
    assert hyps[0].text != plain[0].text


def test_suppressing_unknown_text_is_harmless(argos: ArgosEngine) -> None:
    (plain,) = argos.translate_batch([Request(SENTENCES[1])])
    (hyps,) = argos.translate_batch([Request(SENTENCES[1], suppress=("ĳĳ€", ""))])
    assert hyps == plain


def test_alignment_spans_point_into_source_and_target(argos: ArgosEngine) -> None:
    source = "De OVSE-missie blijft ter plaatse in Nagorno-Karabach."
    (hyps,) = argos.translate_batch([Request(source, alignment=True, n_best=2)])
    for hyp in hyps:
        assert hyp.alignment
        for link in hyp.alignment:
            piece = source[link.source_start : link.source_end]
            target = hyp.text[link.target_start : link.target_end]
            assert piece and piece == piece.strip() and piece in source
            assert target and target == target.strip()
            assert 0.0 <= link.weight <= 1.0
        ends = [link.target_end for link in hyp.alignment]
        assert ends == sorted(ends)


def test_alignment_covers_the_prefix(argos: ArgosEngine) -> None:
    source = "Het leger van Azerbeidzjan."
    (hyps,) = argos.translate_batch([Request(source, prefix="The army", alignment=True)])
    text = hyps[0].text
    assert text.startswith("The army")
    first = hyps[0].alignment[0]
    assert first.target_start == 0 and text[first.target_start : first.target_end] in "The army"


def test_alignment_does_not_depend_on_batch_mates(argos: ArgosEngine) -> None:
    # Beam search gives every sentence of a batch the first step's attention
    # of the first sentence (CTranslate2); that step gets no link.
    requests = [Request(line, n_best=2, alignment=True) for line in seed_lines()[:60]]
    together = argos.translate_batch(requests)
    assert [argos.translate_batch([r])[0] for r in requests] == together
    greedy = [Request(r.source, alignment=True, max_new_tokens=8) for r in requests]
    assert argos.translate_batch(greedy) == [argos.translate_batch([r])[0] for r in greedy]


def test_alignment_with_multibyte_text(argos: ArgosEngine) -> None:
    source = "Armenië en Azerbeidzjan: één ‘staakt-het-vuren’ €"
    (hyps,) = argos.translate_batch([Request(source, alignment=True)])
    pieces = {source[link.source_start : link.source_end] for link in hyps[0].alignment}
    assert all(piece in source for piece in pieces)


def test_mixed_options_in_one_call_match_separate_calls(argos: ArgosEngine) -> None:
    requests = [
        Request(SENTENCES[0]),
        Request(SENTENCES[1], n_best=3),
        Request(SENTENCES[2], alignment=True),
        Request(SENTENCES[3], prefix="The"),
        Request(SENTENCES[4], suppress=("OSCE",)),
        Request(SENTENCES[1]),
    ]
    together = argos.translate_batch(requests)
    assert [len(h) for h in together] == [1, 3, 1, 1, 1, 1]
    for request, hyps in zip(requests, together, strict=True):
        assert argos.translate_batch([request])[0] == hyps
    assert together[2][0].alignment and not together[0][0].alignment


def test_decoding_length_is_capped_per_sentence(argos: ArgosEngine) -> None:
    # A random model never emits </s>, so it runs to the cap: short sources
    # get short outputs whatever their batch mates.
    short = argos._prepare(Request("Inleiding"))
    long = argos._prepare(Request(SENTENCES[3]))
    for prepared in (short, long):
        (pending,) = argos._submit([prepared], 1, [], False)
        output = pending.result()
        assert len(output.hypotheses[0]) <= DecodeOptions().max_length(len(prepared.source), 0)
    alone = argos.translate_batch([Request("Inleiding")])
    assert argos.translate_batch([Request("Inleiding"), Request(SENTENCES[3])])[:1] == alone


@pytest.mark.parametrize(
    ("bucket", "source", "prefix", "expected"),
    [
        (1, 1, 0, 12),
        (1, 9, 0, 28),
        (1, 30, 3, 73),
        (1, 1000, 0, 512),
        (8, 1, 0, 26),
        (8, 8, 0, 26),
        (8, 9, 0, 42),
        (8, 30, 3, 82),
    ],
    ids=["one", "nine", "with-prefix", "capped", "b8-one", "b8-edge", "b8-next", "b8-prefix"],
)
def test_max_length(bucket: int, source: int, prefix: int, expected: int) -> None:
    assert DecodeOptions(length_bucket=bucket).max_length(source, prefix) == expected


def test_batches_hold_one_length_bucket(tiny_package: Package) -> None:
    lengths = [3, 9, 9, 10, 17, 3]
    prepared = [eng._Prepared(["x"] * n, []) for n in lengths]
    for bucket, expected in [(1, [[0, 5], [1, 2], [3], [4]]), (8, [[0, 5], [1, 2, 3], [4]])]:
        engine = ArgosEngine(tiny_package, threads=1, decode=DecodeOptions(length_bucket=bucket))
        order = sorted(range(len(lengths)), key=lambda i: engine._length_key(prepared[i]))
        assert engine._chunks(order, prepared) == expected
    fits = ArgosEngine(tiny_package, threads=1, max_batch_tokens=18)
    assert fits._chunks([1, 2], prepared) == [[1, 2]]  # 2 x 9 padded tokens
    too_small = ArgosEngine(tiny_package, threads=1, max_batch_tokens=17)
    assert too_small._chunks([1, 2], prepared) == [[1], [2]]


def test_score_batch(argos: ArgosEngine) -> None:
    pairs = [(SENTENCES[1], "The army of Azerbaijan."), (SENTENCES[2], "Introduction"), ("", "")]
    scores = argos.score_batch(pairs)
    assert len(scores) == 3 and all(math.isfinite(s) for s in scores)
    assert scores[:2] == argos.score_batch(pairs[:2])
    assert argos.score_batch([]) == []


def test_results_are_deterministic(tiny_package: Package) -> None:
    requests = [Request(s, n_best=2) for s in SENTENCES]
    assert ArgosEngine(tiny_package, threads=1).translate_batch(requests) == ArgosEngine(
        tiny_package
    ).translate_batch(requests)


def test_threads_default_to_all_cores(argos: ArgosEngine, tiny_package: Package) -> None:
    assert ArgosEngine(tiny_package).threads == eng.available_cores()
    assert argos.threads == 1


def test_results_do_not_depend_on_threads(argos: ArgosEngine, tiny_package: Package) -> None:
    requests = [Request(line) for line in seed_lines()[:40]]
    workers = ArgosEngine(tiny_package, threads=3)
    assert workers.translate_batch(requests) == argos.translate_batch(requests)


def test_none_engine() -> None:
    engine = NoneEngine()
    out = engine.translate_batch([Request("Het leger.", n_best=3), Request("")])
    assert out == [[Hypothesis("")], [Hypothesis("")]]
    assert parse_signature(engine.signature) == {"engine": "none"}


def test_load_engine(tiny_package: Package) -> None:
    assert isinstance(load_engine("none", beam_size=2, threads=1), NoneEngine)
    engine = load_engine("argos", beam_size=2, threads=1)
    assert isinstance(engine, ArgosEngine)
    assert parse_signature(engine.signature)["beam"] == "2"
    assert engine.capabilities.n_best == 2
    with pytest.raises(InvalidValue, match=r"Unknown engine 'deepl'\. Choose one of: argos, none"):
        load_engine("deepl")


def test_a_new_engine_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    # The scripted engine of tests/test_enforce.py, registered by name.
    monkeypatch.setitem(registry.ENGINES, "scripted", "test_enforce:scripted_engine")
    engine = load_engine("scripted", beam_size=4, threads=1)
    assert engine.signature == "engine:scripted"
    assert engine.capabilities == Capabilities()
    assert engine.translate_batch([Request("Het leger is groot.")]) == [
        [Hypothesis("The army is big.", -1.0)]
    ]


def test_load_engine_without_a_model() -> None:
    with pytest.raises(ModelNotInstalled, match="No nl→en Argos model is installed"):
        load_engine("argos")


def test_invalid_requests_and_options(tiny_package: Package) -> None:
    with pytest.raises(InvalidValue, match="n_best"):
        Request("x", n_best=0)
    with pytest.raises(InvalidValue, match="max_new_tokens"):
        Request("x", max_new_tokens=0)
    with pytest.raises(InvalidValue, match="beam size"):
        ArgosEngine(tiny_package, beam_size=0)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("model/model.bin", "Cannot load the CTranslate2 model"),
        ("sentencepiece.model", "tokenizer"),
    ],
    ids=["model", "tokenizer"],
)
def test_corrupt_files_give_a_model_error(tiny_package: Package, file: str, message: str) -> None:
    (tiny_package.path / file).write_bytes(b"garbage" * 10)
    with pytest.raises(ModelError, match=message):
        ArgosEngine(tiny_package, threads=1)


def test_unusable_package_is_refused(tmp_path: Path) -> None:
    broken = Package("x", tmp_path, "nl", "en", problem="no tokenizer model")
    with pytest.raises(ModelError, match="cannot be used: no tokenizer model"):
        ArgosEngine(broken)


def test_engine_protocol_accepts_a_plain_class() -> None:
    class Echo:
        signature = "engine:echo"
        capabilities = Capabilities()

        def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
            return [[Hypothesis(r.source.upper(), 0.0)] for r in requests]

    engine: Engine = Echo()
    assert engine.translate_batch([Request("a")]) == [[Hypothesis("A", 0.0)]]
