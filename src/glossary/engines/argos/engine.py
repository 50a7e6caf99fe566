"""The Argos engine: an installed Argos package driven through CTranslate2 and SentencePiece.

`ArgosEngine` drives the package's CTranslate2 model and SentencePiece
tokenizer directly: token-based batches sorted by length, int8, beam 4, all
cores. It does not use `argostranslate.translate`, which downloads a
sentence splitter, decodes about one sentence per batch and turns every `_`
into a space (see docs/translation.md, "Design notes").

It honours every `Request` field and declares so in its `Capabilities`:
n-best lists (up to its beam, free with a length penalty), forced prefixes,
suppression, attention alignment, repair decodes (`max_new_tokens`: greedy,
capped) and `score_batch`.

A request's hypotheses depend on that request only: batches hold sentences
of one source and prefix length (no padding), the decoding length is capped
per sentence, and repair decodes run with the longest cap of their batch
and are cut back to each request's own cap (greedy decoding is the same
token by token whatever the cap).

ctranslate2 and sentencepiece are imported when an `ArgosEngine` is made,
never at import of this module, so the command line starts fast.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossary.engines.argos.packages import Package, find_package
from glossary.engines.base import Capabilities, Hypothesis, Link, Request, make_signature
from glossary.errors import InvalidValue, ModelError


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class _Prepared:
    source: list[str]
    prefix: list[str]  # the model's target prefix tokens (package prefix + request prefix)
    prefix_text: str = ""  # the request's prefix, stripped
    prefix_space: bool = False  # the request's prefix ended with whitespace
    source_spans: list[tuple[int, int]] = field(default_factory=list)
    prefix_spans: list[tuple[int, int]] = field(default_factory=list)


def _bucket(length: int, width: int) -> int:
    """`length` rounded up to a multiple of `width` (at least one bucket)."""
    return -(-max(1, length) // width) * width


@dataclass(frozen=True)
class DecodeOptions:
    """How the Argos engine decodes.

    The decoding length is capped at `ratio * source length + extra` tokens
    (at most `cap`), plus the prefix: a real model stops long before; a
    degenerate or random one would otherwise babble on to 256 tokens.

    A batch only holds sentences whose source (and prefix) lengths fall in
    the same bucket of `length_bucket` tokens; lengths are rounded up to the
    bucket for the cap. CTranslate2 takes one cap per call, so this makes a
    sentence's cap depend on that sentence only. With the default bucket of
    1 a batch holds equal lengths only, so there is no padding either, and a
    translation depends on nothing but its own request: padding changed 18
    of 400 outputs of the Argos-size random model (near-ties between beams),
    equal-length batches none. A bucket of 8 is about 7 % faster.
    """

    beam_size: int = 4
    length_penalty: float = 0.2  # as argostranslate
    max_batch_tokens: int = 2048
    max_length_ratio: float = 2.0
    max_length_extra: int = 10
    max_length_cap: int = 512
    length_bucket: int = 1

    def bucket(self, length: int) -> int:
        return _bucket(length, self.length_bucket)

    def max_length(self, source_length: int, prefix_length: int) -> int:
        body = math.ceil(self.max_length_ratio * self.bucket(source_length))
        body += self.max_length_extra
        prefix = self.bucket(prefix_length) if prefix_length else 0
        return min(self.max_length_cap, body) + prefix

    def length_key(self, source_length: int, prefix_length: int) -> tuple[int, int, int, int]:
        """Sort key of a sentence; batches never mix the first two fields."""
        prefix_bucket = self.bucket(prefix_length) if prefix_length else 0
        return (self.bucket(source_length), prefix_bucket, source_length, prefix_length)


class ArgosEngine:
    """An installed Argos package, driven through CTranslate2 and SentencePiece."""

    def __init__(
        self,
        package: Package,
        *,
        beam_size: int = 4,
        threads: int | None = None,
        compute_type: str = "int8",
        max_batch_tokens: int = 2048,
        decode: DecodeOptions | None = None,
    ) -> None:
        if not package.usable:
            raise ModelError(f"The Argos package {package.path} cannot be used: {package.problem}.")
        if beam_size < 1:
            raise InvalidValue(f"The beam size must be at least 1, not {beam_size}.")
        import ctranslate2
        import sentencepiece

        self.package = package
        self.compute_type = compute_type
        self.threads = threads or available_cores()
        self.options = dataclasses.replace(
            decode or DecodeOptions(), beam_size=beam_size, max_batch_tokens=max_batch_tokens
        )
        if self.options.length_bucket < 1:
            raise InvalidValue("The length bucket must be at least 1 token.")
        try:
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer_path))
        except (OSError, RuntimeError) as exc:
            raise ModelError(
                f"Cannot load the tokenizer {package.tokenizer_path}: {exc}. Reinstall the package."
            ) from None
        try:
            self._translator = ctranslate2.Translator(
                str(package.model_dir),
                device="cpu",
                compute_type=compute_type,
                # Workers share the weights: memory does not grow with threads.
                inter_threads=self.threads,
                intra_threads=1,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(
                f"Cannot load the CTranslate2 model in {package.model_dir}: {exc}. "
                "Reinstall the package."
            ) from None
        self._pieces = [self._sp.id_to_piece(i) for i in range(self._sp.get_piece_size())]
        self._ids = {piece: i for i, piece in enumerate(self._pieces)}
        self._unk_id = self._sp.unk_id()
        self._vocabulary, self._unk = _target_vocabulary(package.model_dir, self._pieces)
        self._signature = make_signature(
            engine="argos",
            package=package.name,
            version=package.package_version or "?",
            beam=str(beam_size),
            compute_type=compute_type,
            ctranslate2=str(ctranslate2.__version__),
        )

    @property
    def signature(self) -> str:
        return self._signature

    @property
    def capabilities(self) -> Capabilities:
        # With a length penalty CTranslate2's beam search runs until `beam`
        # hypotheses are finished whatever `num_hypotheses` is, and the
        # attention is only read out: n-best lists up to the beam and the
        # alignment leave the best hypothesis as it is.
        return Capabilities(
            n_best=self.options.beam_size,
            free_n_best=self.options.length_penalty != 0,
            prefix=True,
            suppress=True,
            alignment=True,
            repair=True,
            scoring=True,
        )

    # -- tokens

    def _encode(self, text: str) -> list[str]:
        return [self._pieces[i] for i in self._sp.encode(text)]

    def _encode_with_spans(self, text: str) -> tuple[list[str], list[tuple[int, int]]]:
        proto = self._sp.encode(text, return_type="proto")
        chars = _byte_to_char(text)
        pieces, spans = [], []
        for piece in proto.pieces:
            pieces.append(self._pieces[piece.id])
            spans.append(_trim(text, chars[piece.begin], chars[piece.end]))
        return pieces, spans

    def _target_tokens(self, text: str) -> list[str]:
        """Target-side pieces the model knows (unknown ones become its unk token)."""
        return [p if p in self._vocabulary else self._unk for p in self._encode(text)]

    def _prepare(self, request: Request) -> _Prepared:
        text = request.prefix.strip()
        prefix: list[str] = [self.package.target_prefix] if self.package.target_prefix else []
        prefix_spans: list[tuple[int, int]] = []
        if text and request.alignment:
            pieces, prefix_spans = self._encode_with_spans(text)
            prefix += [p if p in self._vocabulary else self._unk for p in pieces]
        elif text:
            prefix += self._target_tokens(text)
        space = bool(request.prefix) and request.prefix[-1].isspace()
        if request.alignment:
            source, spans = self._encode_with_spans(request.source)
            return _Prepared(source, prefix, text, space, spans, prefix_spans)
        return _Prepared(self._encode(request.source), prefix, text, space)

    def _suppress_tokens(self, suppress: tuple[str, ...]) -> list[list[str]]:
        sequences = []
        for text in suppress:
            tokens = self._encode(text)
            # A sequence with an unknown piece would ban the unk token instead.
            if tokens and all(t in self._vocabulary and t != self._unk for t in tokens):
                sequences.append(tokens)
        return sequences

    # -- batching

    def _length_key(self, prepared: _Prepared) -> tuple[int, int, int, int]:
        return self.options.length_key(len(prepared.source), len(prepared.prefix))

    def _chunks(self, order: list[int], prepared: list[_Prepared]) -> list[list[int]]:
        """Consecutive runs of `order` (sorted by `_length_key`) with one
        length bucket each and at most `max_batch_tokens` padded source tokens."""
        limit = self.options.max_batch_tokens
        chunks: list[list[int]] = []
        chunk: list[int] = []
        longest = 0
        bucket: tuple[int, int] | None = None
        for i in order:
            length = max(1, len(prepared[i].source))
            wider = max(longest, length)
            key = self._length_key(prepared[i])[:2]
            if chunk and (key != bucket or wider * (len(chunk) + 1) > limit):
                chunks.append(chunk)
                chunk, wider = [], length
            chunk.append(i)
            longest, bucket = wider, key
        if chunk:
            chunks.append(chunk)
        return chunks

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        prepared = [self._prepare(r) for r in requests]
        results: list[list[Hypothesis]] = [[] for _ in requests]
        # Options that CTranslate2 takes per call split the requests into
        # groups; each group is sorted by length and cut into token batches.
        groups: dict[tuple[int, tuple[str, ...], bool, bool], list[int]] = {}
        for i, request in enumerate(requests):
            repair = request.max_new_tokens is not None
            key = (request.n_best, request.suppress, request.alignment, repair)
            groups.setdefault(key, []).append(i)
        # Every batch is submitted at once; CTranslate2 runs them on `threads`
        # single-threaded workers. Batches hold one length each, so they are
        # often small, and small batches scale better across workers than
        # across the threads of one matrix product (measured: +20-25 %).
        jobs: list[tuple[list[int], bool, bool, list[Any]]] = []
        for (n_best, suppress, alignment, repair), members in groups.items():
            members.sort(key=lambda i: self._length_key(prepared[i]))
            sequences = self._suppress_tokens(suppress)
            beam = n_best if repair else max(self.options.beam_size, n_best)
            for chunk in self._chunks(members, prepared):
                batch = [prepared[i] for i in chunk]
                caps = [requests[i].max_new_tokens for i in chunk] if repair else None
                pending = self._submit(batch, n_best, sequences, alignment, caps)
                jobs.append((chunk, alignment, beam > 1, pending))
        for chunk, alignment, beam_search, pending in jobs:
            for i, output in zip(chunk, pending, strict=True):
                results[i] = self._hypotheses(
                    prepared[i],
                    output.result(),
                    alignment,
                    requests[i].max_new_tokens,
                    first_step_attention=not beam_search,
                )
        return results

    def _submit(
        self,
        batch: list[_Prepared],
        n_best: int,
        suppress: list[list[str]],
        alignment: bool,
        caps: list[int | None] | None = None,
    ) -> list[Any]:
        """Start translating one batch; returns CTranslate2's async results.

        With `caps` (repair requests) the batch is decoded greedily (beam
        `n_best`) up to the longest cap after the prefix; `_hypotheses` cuts
        each back to its own.
        """
        options = self.options
        has_prefix = any(p.prefix for p in batch)
        longest_prefix = max(len(p.prefix) for p in batch)
        if caps is None:
            beam = max(options.beam_size, n_best)
            length = options.max_length(max(len(p.source) for p in batch), longest_prefix)
        else:
            beam = n_best
            length = longest_prefix + min(options.max_length_cap, max(c or 1 for c in caps))
        return list(
            self._translator.translate_batch(
                [p.source for p in batch],
                [p.prefix or None for p in batch] if has_prefix else None,
                max_batch_size=options.max_batch_tokens,
                batch_type="tokens",
                beam_size=beam,
                num_hypotheses=n_best,
                length_penalty=options.length_penalty,
                return_scores=True,
                return_attention=alignment,
                suppress_sequences=suppress or None,
                replace_unknowns=True,
                max_decoding_length=length,
                asynchronous=True,
            )
        )

    # -- decoding

    def _hypotheses(
        self,
        prepared: _Prepared,
        output: Any,
        alignment: bool,
        cap: int | None = None,
        *,
        first_step_attention: bool = True,
    ) -> list[Hypothesis]:
        """Hypotheses from CTranslate2's output for one request.

        `cap`: cut the continuation at this many tokens (repair decodes).
        `first_step_attention=False` (beam search): CTranslate2's beam search
        returns, for the first decoding step, the attention of the batch's
        first sentence for every sentence of the batch (measured with
        ctranslate2 4.x; greedy decoding is right), so that step gets no
        link: an alignment then never depends on the batch mates.
        """
        hypotheses = []
        scores = list(output.scores or [])
        attention = list(output.attention or []) if alignment else []
        # The output starts with the prefix tokens (replace_unknowns may have
        # rewritten unk ones); the text of the prefix is taken verbatim.
        skip = len(prepared.prefix)
        user_prefix = skip - (1 if self.package.target_prefix else 0)
        for k, tokens in enumerate(output.hypotheses):
            continuation = list(tokens)[skip:]
            score = float(scores[k]) if k < len(scores) else None
            if cap is not None and len(continuation) >= min(cap, self.options.max_length_cap):
                # Cut at the request's own cap; its score was for another length.
                continuation, score = continuation[: min(cap, self.options.max_length_cap)], None
            if alignment:
                rows: list[Any] = list(attention[k]) if k < len(attention) else []
                if rows and not first_step_attention:
                    rows[0] = None
                prefix_rows = rows[skip - user_prefix : skip]
                rows = rows[skip : skip + len(continuation)]
                text, links = self._decode_aligned(prepared, continuation, prefix_rows, rows)
                hypotheses.append(Hypothesis(text, score, links))
            else:
                body = self._sp.decode(self._ids_of(continuation)).strip()
                text, _ = _join(prepared, continuation, body)
                hypotheses.append(Hypothesis(text, score))
        return hypotheses

    def _ids_of(self, tokens: list[str]) -> list[int]:
        # Pieces SentencePiece does not know (a model/tokenizer mismatch) decode as unk.
        return [self._ids.get(t, self._unk_id) for t in tokens]

    def _decode_aligned(
        self,
        prepared: _Prepared,
        continuation: list[str],
        prefix_rows: list[Any],
        rows: list[Any],
    ) -> tuple[str, tuple[Link, ...]]:
        proto = self._sp.decode(self._ids_of(continuation), return_type="proto")
        raw: str = proto.text
        chars = _byte_to_char(raw)
        lead = len(raw) - len(raw.lstrip())
        text, offset = _join(prepared, continuation, raw.strip())
        targets = list(zip(prepared.prefix_spans, prefix_rows, strict=False))
        for j, piece in enumerate(proto.pieces):
            start, end = _trim(raw, chars[piece.begin], chars[piece.end])
            if j < len(rows):
                targets.append(((start - lead + offset, end - lead + offset), rows[j]))
        links: list[Link] = []
        width = len(prepared.source_spans)
        for (start, end), row_values in targets:
            if start >= end or not width or row_values is None:
                continue
            row = list(row_values[:width])
            best = row.index(max(row))
            source_start, source_end = prepared.source_spans[best]
            if source_start < source_end:
                links.append(Link(source_start, source_end, start, end, float(row[best])))
        return text, tuple(links)

    # -- scoring

    def score_batch(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """Length-normalised log probability of each target given its source."""
        if not pairs:
            return []
        offset = 1 if self.package.target_prefix else 0
        sources = [self._encode(source) for source, _ in pairs]
        targets = [
            ([self.package.target_prefix] if offset else []) + self._target_tokens(target)
            for _, target in pairs
        ]
        outputs = self._translator.score_batch(
            sources,
            targets,
            max_batch_size=self.options.max_batch_tokens,
            batch_type="tokens",
            offset=offset,
        )
        penalty = self.options.length_penalty
        return [
            sum(o.log_probs) / (len(o.log_probs) ** penalty) if o.log_probs else 0.0
            for o in outputs
        ]


def _target_vocabulary(model_dir: Path, pieces: list[str]) -> tuple[frozenset[str], str]:
    """The model's target vocabulary and unk token (the tokenizer's pieces if unreadable)."""
    unk = "<unk>"
    try:
        config = json.loads((model_dir / "config.json").read_text("utf-8"))
        unk = str(config.get("unk_token") or unk)
    except (OSError, ValueError, AttributeError):
        pass
    for name in ("shared_vocabulary", "target_vocabulary"):
        path = model_dir / f"{name}.json"
        if path.is_file():
            try:
                return frozenset(json.loads(path.read_text("utf-8"))), unk
            except (OSError, ValueError, TypeError):
                break
        path = model_dir / f"{name}.txt"
        if path.is_file():
            try:
                return frozenset(path.read_text("utf-8").splitlines()), unk
            except (OSError, ValueError):
                break
    return frozenset(pieces), unk


def _join(prepared: _Prepared, continuation: list[str], body: str) -> tuple[str, int]:
    """The hypothesis text: the literal prefix, then the decoded continuation.

    Returns the text and where `body` starts in it.
    """
    prefix = prepared.prefix_text
    if not prefix:
        return body, 0
    if not body:
        return prefix, len(prefix)
    new_word = prepared.prefix_space or continuation[0].startswith("\u2581")
    joined = f"{prefix} " if new_word else prefix
    return joined + body, len(joined)


def _byte_to_char(text: str) -> Sequence[int]:
    """Map every UTF-8 byte offset of `text` (and its end) to a character offset."""
    if text.isascii():
        return range(len(text) + 1)  # one byte per character
    table: list[int] = []
    for index, char in enumerate(text):
        table.extend([index] * len(char.encode("utf-8")))
    table.append(len(text))
    return table


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ------------------------------------------------------------- factory


def load(
    *,
    beam_size: int = 4,
    threads: int | None = None,
    package: Package | None = None,
    **_: object,
) -> ArgosEngine:
    """The registry's factory: the given package, else the installed nl→en one."""
    return ArgosEngine(package or find_package("nl", "en"), beam_size=beam_size, threads=threads)
