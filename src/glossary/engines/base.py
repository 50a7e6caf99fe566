"""Translation engines behind one small interface.

An `Engine` has one batch method, `translate_batch(requests)`, a
`signature` string that says which model and settings produced a result
(like sacrebleu's signatures), and `capabilities`: what it can do beyond the
plain translation. Everything a caller such as the glossary enforcement
asks of an engine is a field of `Request`: n-best lists with scores, a
forced target prefix, sequences to suppress, an alignment signal and a
cheap "repair" decode (greedy, at most so many tokens). An engine declares
which of these it honours in its `Capabilities`; callers choose what to ask
from them and never look at an engine's type or its options.

A request's hypotheses must depend on that request only, never on the
other requests of the batch, the batch size or the number of threads: a
document then translates to the same bytes alone or with others, in any
chunks, on any backend.

Engines: `glossary.engines.argos` (an installed Argos package through
CTranslate2), `glossary.engines.none` (no translation); they are found by
name through `glossary.engines.registry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from glossary.errors import InvalidValue


@dataclass(frozen=True)
class Request:
    """One source sentence and what to ask the engine about it.

    - `prefix`: text every hypothesis must start with; the model finishes
      the sentence. `Hypothesis.text` starts with `prefix.strip()` verbatim
      (even characters the tokenizer does not know); the continuation
      follows after a space when the model starts a new word or the prefix
      ends with whitespace, glued on otherwise ("ceasefire" + "s").
    - `n_best`: how many hypotheses to return, best first.
    - `suppress`: target strings the model must not produce. Each is
      tokenized as a word of its own (with a leading space); pass every
      casing you want banned.
    - `alignment`: fill `Hypothesis.alignment` from the attention of the
      model (a weak signal: Argos models were not trained to align).
    - `max_new_tokens`: the repair mode: decode cheaply (greedily) and stop
      after this many target tokens after the prefix. A hypothesis cut there
      has no score. The result still depends on this request only.
    """

    source: str
    prefix: str = ""
    n_best: int = 1
    suppress: tuple[str, ...] = ()
    alignment: bool = False
    max_new_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.n_best < 1:
            raise InvalidValue(f"n_best must be at least 1, not {self.n_best}.")
        if self.max_new_tokens is not None and self.max_new_tokens < 1:
            raise InvalidValue(f"max_new_tokens must be at least 1, not {self.max_new_tokens}.")


@dataclass(frozen=True)
class Link:
    """A target piece and the source piece it attends to most, as character
    spans in `Request.source` and `Hypothesis.text` (end exclusive)."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    weight: float


@dataclass(frozen=True)
class Hypothesis:
    """One translation. `score` is the model's length-normalised log
    probability (higher is better; None when the engine has none)."""

    text: str
    score: float | None = None
    alignment: tuple[Link, ...] = ()


def links(hypothesis: Hypothesis) -> tuple[tuple[int, int, int, int], ...]:
    """The hypothesis's alignment as (source_start, source_end, target_start,
    target_end) spans (`glossary.document.AlignmentLink`), for placing inline codes."""
    return tuple(
        (k.source_start, k.source_end, k.target_start, k.target_end) for k in hypothesis.alignment
    )


@dataclass(frozen=True)
class Capabilities:
    """What an engine does beyond the plain translation of a request.

    An engine that does not declare a capability may ignore the request
    field: callers do not ask for it.

    - `n_best`: the most hypotheses a request gets while the best one stays
      the plain translation (1: the best only).
    - `free_n_best`: asking for up to `n_best` hypotheses and the alignment
      costs (next to) nothing and leaves the best hypothesis unchanged, so a
      caller may ask every request for them and keep one request shape
      (which batches better).
    - `prefix`: honours `Request.prefix` (forced target prefix).
    - `suppress`: honours `Request.suppress`.
    - `alignment`: fills `Hypothesis.alignment` when asked.
    - `repair`: honours `Request.max_new_tokens` (greedy, capped re-decodes,
      much cheaper than a plain decode).
    - `scoring`: has `score_batch` (see `Scorer`).
    - `placeholders`: keeps inline-code placeholders of the source
      (`<g1>`…`</g1>`, `<x2/>`, see `glossary.translation.inline`) in its
      translation, around the words they belong to; callers then send
      segments with inline codes as text with placeholders. Without it they
      get the plain text and the codes are placed afterwards.
    """

    n_best: int = 1
    free_n_best: bool = False
    prefix: bool = False
    suppress: bool = False
    alignment: bool = False
    repair: bool = False
    scoring: bool = False
    placeholders: bool = False


class Engine(Protocol):
    """Anything that turns requests into n-best lists of hypotheses."""

    @property
    def signature(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        """One list of hypotheses per request, in request order, best first."""
        ...


class Scorer(Protocol):
    """An engine that declares `Capabilities.scoring`."""

    def score_batch(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """Score (source, target) pairs like `Hypothesis.score`."""
        ...


# ------------------------------------------------------------- signatures


def make_signature(**fields: str) -> str:
    """`key:value|key:value`, in the order given."""
    return "|".join(f"{k}:{v}" for k, v in fields.items())


def parse_signature(signature: str) -> dict[str, str]:
    """The fields of a signature made by `make_signature` (unknown parts are skipped)."""
    fields: dict[str, str] = {}
    for part in signature.split("|"):
        key, sep, value = part.partition(":")
        if sep and key:
            fields[key] = value
    return fields
