"""The document translation pipeline: documents in, translated documents out.

`translate_documents` collects the segments to translate (those whose
`Segment.translate` is true), translates each distinct text once through a
`SegmentTranslator` strategy and puts the results back in document order.
Furniture (page numbers, reference codes) is carried along untranslated,
with an empty target.

Segments with inline codes (`Segment.codes`) are translated as plain text,
or as text with placeholders when the engine keeps them
(`Capabilities.placeholders`), and their codes are placed in the target by
`glossary.translation.inline`.

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
from glossary.engines.base import Engine, Request, links
from glossary.translation import inline

Progress = Callable[[int, int], None]
"""Called with (segments done, segments in total) as the translation advances."""

CHUNK = 256  # distinct texts per strategy call: big enough to batch well, small for progress


class PlainTranslator:
    """The engine's best hypothesis for each text, with its score (and its
    alignment, with `alignment=True` when the engine gives one: for inline codes)."""

    def __init__(self, engine: Engine, *, alignment: bool = False) -> None:
        self.engine = engine
        self.alignment = alignment and engine.capabilities.alignment

    @property
    def signature(self) -> str:
        return self.engine.signature

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        requests = [Request(text, alignment=self.alignment) for text in texts]
        hypotheses = self.engine.translate_batch(requests)
        return [
            SegmentResult(best[0].text, best[0].score, alignment=links(best[0]))
            if best
            else SegmentResult("")
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


def plan(documents: Sequence[Document], *, placeholders: bool = False) -> Plan:
    """Count the translatable segment texts of `documents` (blank ones are skipped),
    in the order first met; with `placeholders`, a segment with inline codes
    counts as its text with them (`inline.engine_text`: the text the engine gets)."""
    counts: dict[str, int] = {}
    for document in documents:
        for segment in document.segments:
            if translatable(segment):
                key = inline.engine_text(segment, placeholders)
                counts[key] = counts.get(key, 0) + 1
    return Plan(counts)


def keeps_placeholders(translator: SegmentTranslator) -> bool:
    """Whether the strategy's engine declares `Capabilities.placeholders`."""
    engine = getattr(translator, "engine", None)
    capabilities = getattr(engine, "capabilities", None)
    return bool(getattr(capabilities, "placeholders", False))


def translate_documents(
    documents: Iterable[Document],
    translator: SegmentTranslator,
    *,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
    placeholders: bool | None = None,
) -> list[TranslatedDocument]:
    """Translate every translatable segment of `documents`; identical texts once.

    Texts go to the strategy sorted by length (so batches pad little), in
    chunks of `chunk_size`; `progress(done, total)` counts segments,
    duplicates included. Inline codes are sent as placeholders when
    `placeholders` (default: what the strategy's engine declares).
    """
    docs = list(documents)
    if placeholders is None:
        placeholders = keeps_placeholders(translator)
    work = plan(docs, placeholders=placeholders)
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
    return [assemble(document, results, signature, placeholders=placeholders) for document in docs]


def assemble(
    document: Document,
    results: Mapping[str, SegmentResult],
    signature: str,
    *,
    placeholders: bool = False,
) -> TranslatedDocument:
    """A document's translation from the results of its engine texts (keyed by
    `inline.engine_text`): every segment in order, its inline codes placed
    (`inline.translate_segment`); furniture (and any text without a result)
    with an empty target. The local run and the Ray backend both build each
    document with it, so they give the same documents."""
    segments = []
    for segment in document.segments:
        key = inline.engine_text(segment, placeholders)
        result = results.get(key) if segment.translate else None
        if result is None:
            segments.append(TranslatedSegment(segment, ""))
        else:
            segments.append(inline.translate_segment(segment, result, placeholders=placeholders))
    return TranslatedDocument(document, tuple(segments), signature)
