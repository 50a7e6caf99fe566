"""The "none" engine: no machine translation.

For translators who work by hand and want the segment tables and term hints
(`glossary translate --engine none`): one empty hypothesis per request.
"""

from __future__ import annotations

from collections.abc import Sequence

from glossary.engines.base import Capabilities, Hypothesis, Request, make_signature


class NoneEngine:
    """No machine translation: one empty hypothesis per request."""

    @property
    def signature(self) -> str:
        return make_signature(engine="none")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        return [[Hypothesis("")] for _ in requests]


def load(**_: object) -> NoneEngine:
    """The registry's factory (`glossary.engines.registry`); takes no settings."""
    return NoneEngine()
