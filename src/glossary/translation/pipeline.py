"""The document translation pipeline: documents in, translated documents out.

`translate_documents` collects the segments to translate (those whose
`Segment.translate` is true), translates each distinct text once through a
`SegmentTranslator` strategy and puts the results back in document order.
Furniture (page numbers, reference codes) is carried along untranslated,
with an empty target.

The strategy is the seam for glossary enforcement: `PlainTranslator` takes
the engine's best hypothesis; an enforcing strategy (issue 7) can ask the
same engine for n-best lists, prefixes and suppressions and return the
`TermUse`s it found, without any change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from glossary.document import (
    Document,
    Segment,
    SegmentResult,
    SegmentTranslator,
    TranslatedDocument,
    TranslatedSegment,
)
from glossary.engines.base import Engine, Request

Progress = Callable[[int, int], None]
"""Called with (segments done, segments in total) as the translation advances."""

CHUNK = 256  # distinct texts per strategy call: big enough to batch well, small for progress


class PlainTranslator:
    """The engine's best hypothesis for each text, with its score."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def signature(self) -> str:
        return self.engine.signature

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        hypotheses = self.engine.translate_batch([Request(text) for text in texts])
        return [
            SegmentResult(best[0].text, best[0].score) if best else SegmentResult("")
            for best in hypotheses
        ]


@dataclass(frozen=True)
class Plan:
    """The distinct texts to translate and how often each occurs."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def unique(self) -> int:
        return len(self.counts)


def translatable(segment: Segment) -> bool:
    """Is the segment's text sent to the translator? (Its kind is translated
    and it is not blank.)"""
    return segment.translate and bool(segment.text.strip())


def plan(documents: Sequence[Document]) -> Plan:
    """Count the translatable segment texts of `documents` (blank ones are skipped)."""
    counts: dict[str, int] = {}
    for document in documents:
        for segment in document.segments:
            if translatable(segment):
                counts[segment.text] = counts.get(segment.text, 0) + 1
    return Plan(counts)


def translate_documents(
    documents: Iterable[Document],
    translator: SegmentTranslator,
    *,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> list[TranslatedDocument]:
    """Translate every translatable segment of `documents`; identical texts once.

    Texts go to the strategy sorted by length (so batches pad little), in
    chunks of `chunk_size`; `progress(done, total)` counts segments,
    duplicates included.
    """
    docs = list(documents)
    work = plan(docs)
    results: dict[str, SegmentResult] = {}
    done = 0
    if progress:
        progress(0, work.total)
    order = sorted(work.counts, key=len)
    for start in range(0, len(order), chunk_size):
        chunk = order[start : start + chunk_size]
        out = translator.translate_texts(chunk)
        if len(out) != len(chunk):
            raise RuntimeError(
                f"{type(translator).__name__} returned {len(out)} results for {len(chunk)} texts"
            )
        results.update(zip(chunk, out, strict=True))
        done += sum(work.counts[text] for text in chunk)
        if progress:
            progress(done, work.total)
    signature = translator.signature
    return [assemble(document, results, signature) for document in docs]


def assemble(
    document: Document, results: Mapping[str, SegmentResult], signature: str
) -> TranslatedDocument:
    """A document's translation from the results of its texts: every segment
    in order, furniture (and any text without a result) with an empty target."""
    segments = []
    for segment in document.segments:
        result = results.get(segment.text) if segment.translate else None
        if result is None:
            segments.append(TranslatedSegment(segment, ""))
        else:
            segments.append(TranslatedSegment(segment, result.target, result.score, result.terms))
    return TranslatedDocument(document, tuple(segments), signature)
