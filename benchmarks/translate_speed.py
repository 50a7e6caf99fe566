"""Translation speed: our Argos engine against argostranslate and a bare CTranslate2 loop.

The model is a random-weight stand-in of Argos size (6+6 layers, d=512, 8
heads, FFN 2048, 32k vocabulary, int8), packaged as an .argosmodel and
installed in a scratch packages folder, so all three contenders load the
very same files:

  (a) ours: `glossary.engines.argos.engine.ArgosEngine.translate_batch` over a block of
      sentences (SentencePiece encode, length-sorted token batches of 2,048,
      decode);
  (b) argostranslate's own `translate()` on the installed package, with its
      sentence splitter replaced by an offline one (the input has one
      segment per line, so the splitter returns the line as it is);
  (c) a bare loop: encode, sort, cut into the same batches, call
      `ctranslate2.Translator.translate_batch` on each in turn (one worker,
      intra_threads = cores, as a straightforward caller writes it), decode.
      (a) sends the same batches but submits them all at once to one
      single-threaded worker per core; outputs are identical.

Vocabulary: the seeds are too small for 32k SentencePiece pieces, so the
tokenizer learns what it can from them (`hard_vocab_limit=False`, about
1,600 pieces) and is topped up to exactly 32,000 with filler pieces that
never occur in Dutch; the output layer therefore has the full 32k width.

Decoding length: a random model never emits </s>, so it would babble to
CTranslate2's default of 256 tokens. All three contenders get the same cap
per sentence, 1.1 x the source tokens + 1 (about 1.15 x for a seed
sentence), roughly what a real Dutch->English translation decodes, so the
random model does a real model's amount of work. (The engine's default cap,
2 x + 10, is only a guard against runaway output.) (b) gets the cap through a
thin wrapper around its own translator.

Sentences: the seed documents read by glossary.reading.ingest, every translatable
segment, repeated to --sentences (default 2,000). argostranslate is slow, so
(b) translates every 5th of them by default (--argos-every; 400 sentences,
the same length mix); all rates are per sentence. The contenders run in
--blocks rounds (default 4 blocks of 500), in rotating order, so load changes
on a shared machine hit all three alike. Beam 4, int8, all cores. Sockets are
blocked while it runs: nothing is downloaded. About 10-12 minutes on a busy
2-core machine; `--sentences 500` gives a rough figure in 2-3 minutes.

Usage: .venv/bin/python benchmarks/translate_speed.py [--sentences N]
       [--argos-every K] [--blocks N] [--threads N] [--beam N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

PACKAGE = "translate-nl_en-bench"
WARM_UP = "De wapenstilstand uit 1994 is al verschillende malen zeer broos gebleken."


def decode_options() -> Any:
    """The decoding settings all three contenders share (see the module doc)."""
    from glossary.engines.argos.engine import DecodeOptions

    return DecodeOptions(max_length_ratio=1.1, max_length_extra=1)


def block_sockets() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the benchmark must not use the network")

    socket.socket.connect = refuse  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def build(workdir: Path) -> Path:
    """The Argos-size .argosmodel (built once per workdir)."""
    from argos_tiny import ARGOS_SIZE, build_package, metadata

    archive = workdir / f"{PACKAGE}.argosmodel"
    if not archive.exists():
        started = time.perf_counter()
        build_package(archive, shape=ARGOS_SIZE, name=PACKAGE, meta=metadata(version="1.0"))
        print(f"built {archive.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return archive


def sentences(count: int) -> list[str]:
    from glossary.reading import ingest

    segments = [
        s.text
        for doc in ingest.read_documents([str(ROOT / "seeds")])
        for s in doc.segments
        if s.translate and s.text.strip()
    ]
    return list(itertools.islice(itertools.cycle(segments), count))


# ----------------------------------------------------------------- (a) ours


Runner = Callable[[Sequence[str]], list[str]]


def ours(package: Any, threads: int, beam: int) -> Runner:
    from glossary.engines.argos.engine import ArgosEngine
    from glossary.engines.base import Request

    engine = ArgosEngine(package, beam_size=beam, threads=threads, decode=decode_options())
    engine.translate_batch([Request(WARM_UP)])

    def run(texts: Sequence[str]) -> list[str]:
        return [hyps[0].text for hyps in engine.translate_batch([Request(t) for t in texts])]

    return run


# ------------------------------------------------------------- (c) bare loop


def bare(package: Any, threads: int, beam: int) -> Runner:
    import ctranslate2
    import sentencepiece

    options = decode_options()
    translator = ctranslate2.Translator(
        str(package.model_dir),
        device="cpu",
        compute_type="int8",
        inter_threads=1,
        intra_threads=threads,
    )
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer_path))

    def run(texts: Sequence[str]) -> list[str]:
        tokens = [sp.encode(t, out_type=str) for t in texts]
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        # The batches of (a): one length (bucket) each, at most 2,048 padded tokens.
        batches: list[list[int]] = []
        for i in order:
            last = batches[-1] if batches else []
            width = max(len(tokens[i]), 1)
            if (
                last
                and options.bucket(len(tokens[last[0]])) == options.bucket(width)
                and width * (len(last) + 1) <= options.max_batch_tokens
            ):
                last.append(i)
            else:
                batches.append([i])
        out = [""] * len(tokens)
        for batch in batches:
            results = translator.translate_batch(
                [tokens[i] for i in batch],
                max_batch_size=options.max_batch_tokens,
                batch_type="tokens",
                beam_size=beam,
                length_penalty=options.length_penalty,
                return_scores=True,
                replace_unknowns=True,
                max_decoding_length=options.max_length(len(tokens[batch[-1]]), 0),
            )
            for i, result in zip(batch, results, strict=True):
                out[i] = sp.decode_pieces(result.hypotheses[0])
        return out

    translator.translate_batch([sp.encode(WARM_UP, out_type=str)], beam_size=beam)
    return run


# ------------------------------------------------------- (b) argostranslate


def argos(threads: int, beam: int) -> Runner:
    # argostranslate reads its settings from the environment when imported.
    os.environ["ARGOS_INTRA_THREADS"] = str(threads)
    os.environ["ARGOS_INTER_THREADS"] = "1"
    os.environ["ARGOS_COMPUTE_TYPE"] = "int8"
    os.environ["ARGOS_BEAM_SIZE"] = str(beam)
    started = time.perf_counter()
    import argostranslate.sbd
    import argostranslate.translate as at

    print(
        f"import argostranslate.translate: {time.perf_counter() - started:.1f} s", file=sys.stderr
    )

    class OfflineSentencizer(argostranslate.sbd.ISentenceBoundaryDetectionModel):
        """One line in, one sentence out: the input is already segmented."""

        def __init__(self, pkg: Any) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [text] if text.strip() else []

    at.MiniSBDSentencizer = OfflineSentencizer  # type: ignore[misc]
    at.StanzaSentencizer = OfflineSentencizer  # type: ignore[misc]

    translation = at.get_translation_from_codes("nl", "en")
    translation.translate(WARM_UP)  # creates its CTranslate2 translator
    package_translation = translation.underlying
    options = decode_options()

    class Capped:
        """argostranslate's own translator, with our decoding-length cap added."""

        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def translate_batch(self, source: list[list[str]], *args: Any, **kwargs: Any) -> Any:
            longest = max((len(s) for s in source), default=1)
            kwargs.setdefault("max_decoding_length", options.max_length(longest, 0))
            return self.inner.translate_batch(source, *args, **kwargs)

    package_translation.translator = Capped(package_translation.translator)

    def run(texts: Sequence[str]) -> list[str]:
        # Fresh cache: CachedTranslation remembers the previous call's paragraphs.
        translation.cache = {}
        result: str = translation.translate("\n".join(texts))
        return result.split("\n")

    return run


# ----------------------------------------------------------------------- main


def install_bench_package(scratch: Path, workdir: Path | None) -> Any:
    """Build the benchmark model (or reuse it from `workdir`) and install it
    into a scratch packages folder, with scratch XDG folders, so nothing of
    the user's is read or written."""
    workdir = workdir or scratch
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(scratch / "packages")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(scratch / name.lower())
    from glossary.engines.argos.packages import install_from_file

    return install_from_file(build(workdir))


def main(argv: list[str] | None = None) -> int:
    from glossary.engines.argos.engine import available_cores

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument(
        "--argos-every",
        type=int,
        default=5,
        help="(b) translates every K-th sentence, as it is slow (default 5; 1: all)",
    )
    parser.add_argument("--blocks", type=int, default=4, help="interleaved rounds (default 4)")
    parser.add_argument("--threads", type=int, default=available_cores())
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--workdir", type=Path, help="keep the built model here between runs")
    args = parser.parse_args(argv)

    block_sockets()
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as scratch:
        package = install_bench_package(Path(scratch), args.workdir)
        texts = sentences(args.sentences)
        words = sum(len(t.split()) for t in texts)
        print(
            "model: random, 6+6 layers, d=512, 8 heads, FFN 2048, 32k vocabulary, int8; "
            f"beam {args.beam}, {args.threads} thread(s), decoding capped at ~1.15 x source"
        )
        print(f"input: {len(texts)} sentences ({words} words) from seeds/, repeated")

        runners = {
            "a": ours(package, args.threads, args.beam),
            "c": bare(package, args.threads, args.beam),
            "b": argos(args.threads, args.beam),
        }
        # The machine is shared: run the contenders block by block, in a
        # rotating order, so load changes hit all of them alike.
        size = -(-len(texts) // args.blocks)
        seconds = dict.fromkeys(runners, 0.0)
        counts = dict.fromkeys(runners, 0)
        outputs: dict[str, list[str]] = {key: [] for key in runners}
        for number, start in enumerate(range(0, len(texts), size)):
            block = texts[start : start + size]
            order = list(runners)[number % 3 :] + list(runners)[: number % 3]
            for key in order:
                work = block[:: args.argos_every] if key == "b" else block
                started = time.perf_counter()
                outputs[key].extend(runners[key](work))
                seconds[key] += time.perf_counter() - started
                counts[key] += len(work)
            print(f"  block {number + 1}: {start + len(block)}/{len(texts)}", file=sys.stderr)

    rates = {key: counts[key] / seconds[key] for key in runners}
    labels = {
        "a": "(a) glossary ArgosEngine",
        "b": "(b) argostranslate translate()",
        "c": "(c) bare ctranslate2 translate_batch loop",
    }
    print()
    for key in ("a", "b", "c"):
        print(
            f"{labels[key]:<44} {counts[key]:>6} sentences {seconds[key]:8.1f} s "
            f"{rates[key]:8.1f} sentences/s"
        )
    print()
    print(f"ours / argostranslate: {rates['a'] / rates['b']:5.2f}x   (target >= 4x)")
    print(f"ours / bare loop:      {rates['a'] / rates['c']:5.2f}x   (target >= 0.90)")
    same_c = sum(a == c for a, c in zip(outputs["a"], outputs["c"], strict=True))
    # Blocks of (b) are every K-th sentence of each block of (a).
    picked = [
        out
        for start in range(0, len(texts), size)
        for out in outputs["a"][start : start + size][:: args.argos_every]
    ]
    same_b = sum(a == b for a, b in zip(picked, outputs["b"], strict=True))
    print(
        f"identical outputs: ours vs bare {same_c}/{len(texts)}, ours vs argostranslate "
        f"{same_b}/{len(picked)}"
    )
    met = rates["a"] >= 4 * rates["b"] and rates["a"] >= 0.9 * rates["c"]
    print("targets met" if met else "TARGETS MISSED (a busy machine? run again)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
