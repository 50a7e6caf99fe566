"""Term hints without enforcement: the strategy for `--engine none`."""

from __future__ import annotations

from collections.abc import Sequence

from glossary.document import SegmentResult, TermUse
from glossary.engines.base import Engine, Hypothesis, Request, make_signature
from glossary.matching.verify import Glossary


class Hinter:
    """No enforcement: the engine's translation with each occurrence as a hint.

    For `--engine none`, where translators work by hand: every segment
    carries its approved terms (`TermUse` status "hint", "OVSE → OSCE"),
    one per occurrence (the report counts them), each with the concept's
    admitted alternatives and forbidden renderings; the PO and XLIFF writers
    show one hint per concept per segment (`exchange.registry.term_hints`).
    """

    def __init__(self, engine: Engine, glossary: Glossary) -> None:
        self.engine = engine
        self.glossary = glossary

    @property
    def signature(self) -> str:
        glossary = make_signature(glossary="hints", termbase=self.glossary.digest)
        return f"{self.engine.signature}|{glossary}"

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        out = self.engine.translate_batch([Request(t) for t in texts])
        results = []
        for text, hyps in zip(texts, out, strict=True):
            best = hyps[0] if hyps else Hypothesis("")
            hints = tuple(
                TermUse(
                    o.concept.id,
                    o.match.surface,
                    o.match.start,
                    o.match.end,
                    o.english,
                    "hint",
                    dnt=o.concept.dnt,
                    detail=o.note,
                    alternatives=tuple(t for t in o.accepted if t != o.english),
                    forbidden=o.concept.en_forbidden,
                )
                for o in self.glossary.occurrences(text)
            )
            results.append(SegmentResult(best.text, best.score, hints))
        return results
