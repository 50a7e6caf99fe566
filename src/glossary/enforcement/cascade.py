"""Glossary enforcement: every approved term in every translation, and how it got there.

`Enforcer` is a translation strategy (`glossary.document.SegmentTranslator`)
that makes each translated segment contain the approved English of every
approved concept found in its Dutch source, keeps do-not-translate names,
keeps forbidden renderings out, and records for each occurrence which step
of a verify-then-repair cascade put the term there (`TermUse.step`):

1. "nbest": the first pass is the plain translation with an n-best list
   and the attention alignment (as far as the engine gives them); the best
   hypothesis that already has every term and no forbidden rendering wins.
2. "mask": re-decode with the Dutch terms replaced by their English in the
   source (code-switching) or by placeholders, then verify.
3. "prefix": force the terms with a target prefix (the hypothesis up to
   where the last term belongs, every term in its place) and let the model
   finish the sentence, then verify.
4. "replace": put each missing term where it belongs in the hypothesis
   (`glossary.enforcement.edits`): over a wrong-case or forbidden
   rendering, a copied Dutch term, or the span the attention aligns with
   the source term; else insert it next to the neighbouring words'
   translation or at the proportional position (said so in
   `TermUse.detail`). This step cannot fail.

Verification is the one rule of `glossary.matching.verify`, which the
terminology QA uses too. Segments without terms come out identical to the
plain translation (see `Enforcer._first_requests`).

The engine is used through its interface only: the cascade asks for what
the engine's `Capabilities` declare (n-best lists, alignment, suppression of
forbidden renderings, forced prefixes, cheap capped "repair" decodes) and
skips what it cannot do: without forced prefixes step 3 is skipped (the
report says so), without an alignment step 4 places terms by the
neighbouring words or the position.

Deterministic: what a segment becomes depends on its text only, never on
the other segments of the call, the documents of the run, chunk sizes,
threads or the backend. Steps 2 and 3 re-decode whole sentences, which
costs about three first-pass sentences each, so each segment may re-decode
`EnforceOptions.redecode_budget` times on average: the budget rounded up or
down by a hash of the segment's text (`redecode_allowance`; 0.10: one
segment in ten, 2.0: every failing segment gets both steps). Step 2 is
dropped when a probe shows it does not work on this model; the probe
decodes sentences built from the glossary itself (`probe_sentences`), so its
verdict is the same in every run with this engine and termbase. Cheap cases
skip step 3 (the terms end the sentence; a copied Dutch term, a wrong-case
term or a forbidden rendering swapped like for like). `Enforcer.notes()`
says what was skipped and why (sums over the run, so notes from several
workers add up); see docs/enforcement.md, "Speed: the re-decode budget".
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from glossary.document import SegmentResult, TermStatus, TermUse
from glossary.enforcement.edits import (
    Applied,
    Edit,
    apply,
    at_sentence_start,
    capitalised,
    plan_edits,
)
from glossary.engines.base import (
    Capabilities,
    Engine,
    Hypothesis,
    Request,
    links,
    make_signature,
)
from glossary.errors import InvalidValue
from glossary.lang.text import fold_words
from glossary.matching.verify import Glossary, Occurrence, Verification, verify

STEPS: tuple[str, ...] = ("nbest", "mask", "prefix", "replace")
MaskForm = Literal["term", "placeholder", "off"]


@dataclass(frozen=True)
class EnforceOptions:
    """How hard the enforcer tries before it replaces.

    - `n_best`: hypotheses asked for in the first pass (at most what the
      engine gives with its best hypothesis unchanged, `Capabilities.n_best`).
    - `mask`: step 2's source form: "term" (the English term code-switched
      into the Dutch), "placeholder" (`TERM_1`, restored after decoding) or
      "off".
    - `prefix`: run step 3.
    - `redecode_budget`: how many re-decodes (steps 2 and 3 together) a
      failing segment gets on average, each the cost of its own source: the
      share of the source text that is re-decoded (0.10: one segment in
      ten, at random but the same for the same text; 2.0: every failing
      segment gets both steps).
    - `probe`, `min_success`: step 2 is dropped when fewer than
      `min_success` of `probe` sentences built from the glossary come out
      right when decoded masked.
    - `suppress_first_pass`: also pass each term segment's forbidden
      renderings to the first pass. Off by default: the first pass then is
      the plain translation (term segments share batches with the others;
      with suppression lists they split into more, smaller batches, 10-15 %
      slower on the seeds), a forbidden rendering it contains marks exactly
      where the term goes, and every re-decode suppresses them anyway.
    """

    n_best: int = 4
    mask: MaskForm = "term"
    prefix: bool = True
    redecode_budget: float = 0.10
    probe: int = 8
    min_success: float = 0.25
    suppress_first_pass: bool = False

    def __post_init__(self) -> None:
        if self.n_best < 1:
            raise InvalidValue(f"n_best must be at least 1, not {self.n_best}.")
        if self.mask not in ("term", "placeholder", "off"):
            raise InvalidValue(f"mask must be term, placeholder or off, not {self.mask!r}.")
        if self.redecode_budget < 0.0:
            raise InvalidValue("The re-decode budget cannot be negative.")
        if self.probe < 1 or not 0.0 <= self.min_success <= 1.0:
            raise InvalidValue("probe must be at least 1 and min_success between 0 and 1.")


def redecode_allowance(text: str, budget: float) -> int:
    """How many re-decodes the segment `text` may have: `budget` rounded down
    or up, up with probability equal to its fraction, where the chance is a
    hash of the text (so the same text always gets the same allowance, and
    over many segments the average is `budget`)."""
    chance = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") / 2**64
    return math.floor(budget + chance)


# ------------------------------------------------------------ probing step 2

# Dutch sentences around a term, for the probe of step 2: plain words that
# name no concept of a policy termbase.
_PROBE_FRAMES = (
    "Gisteren werd uitgebreid gesproken over {} en over de gevolgen daarvan.",
    "Volgens het verslag blijft {} van groot belang voor alle betrokkenen.",
    "In deze passage gaat het vooral om {} en niet om iets anders.",
    "Daarna kwam {} opnieuw ter sprake tijdens het overleg.",
)


def probe_sentences(glossary: Glossary, count: int) -> list[str]:
    """Up to `count` Dutch sentences that each hold a term of `glossary`:
    concepts in the order of a hash of their id (a pure function of the
    termbase), skipping names and terms whose English is the Dutch."""

    def order(concept_id: str) -> bytes:
        return hashlib.sha256(concept_id.encode("utf-8")).digest()

    sentences: list[str] = []
    for concept in sorted(glossary.concepts, key=lambda c: order(c.id)):
        if len(sentences) == count:
            break
        if concept.dnt or fold_words(concept.target) == fold_words(concept.nl):
            continue
        text = _PROBE_FRAMES[len(sentences) % len(_PROBE_FRAMES)].format(concept.nl)
        if any(o.concept.id == concept.id for o in glossary.occurrences(text)):
            sentences.append(text)
    return sentences


# ------------------------------------------------------------ statistics


@dataclass(frozen=True)
class StepNote:
    """How a repair step fared over a run: attempts, successes, and why
    segments did not get it. Counts are sums over segments, so the notes of
    several runs (or workers) add up."""

    step: str
    attempted: int = 0
    succeeded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> segments
    dropped: str = ""  # why the step was turned off for the run ("" if it was not)

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "attempted": self.attempted,
            "succeeded": self.succeeded,
            "skipped": dict(self.skipped),
            "dropped": self.dropped,
        }


@dataclass(eq=False)  # compared by identity
class _Work:
    """One term segment on its way through the cascade (private, mutable)."""

    text: str
    occurrences: tuple[Occurrence, ...]
    suppress: tuple[str, ...]
    base: Hypothesis
    base_check: Verification
    allowance: int = 0  # re-decodes left
    final: str | None = None
    score: float | None = None
    steps: dict[int, str] = field(default_factory=dict)
    details: dict[int, list[str]] = field(default_factory=dict)
    edits: list[Edit] | None = None
    edited: str = ""
    applied: list[Applied] = field(default_factory=list)  # the edits of step 4 as made
    # Why each re-decode step did not repair it (step -> reason).
    why_not: dict[str, str] = field(default_factory=dict)

    def note(self, i: int, text: str) -> None:
        self.details.setdefault(i, []).append(text)

    @property
    def tokens(self) -> int:
        """The base hypothesis's length in tokens (its aligned pieces) or a guess."""
        return len(self.base.alignment) or _token_guess(self.base.text)


def _token_guess(text: str) -> int:
    return max(1, len(text) // 4)


class _Stats:
    def __init__(self) -> None:
        self.attempted = 0
        self.succeeded = 0
        self.skipped: dict[str, int] = {}
        self.dropped = ""

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


# ------------------------------------------------------------ the cascade


class Enforcer:
    """The enforcing translation strategy (see the module doc).

    Safe to call from several threads at once; `notes()` sums over every
    call.
    """

    def __init__(
        self,
        engine: Engine,
        glossary: Glossary,
        options: EnforceOptions | None = None,
    ) -> None:
        self.engine = engine
        self.glossary = glossary
        self.options = options or EnforceOptions()
        self.capabilities: Capabilities = engine.capabilities
        self._stats = {step: _Stats() for step in ("mask", "prefix")}
        self._lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._mask_dropped: str | None = None  # the probe's verdict, once made

    @property
    def signature(self) -> str:
        glossary = make_signature(glossary="enforce", termbase=self.glossary.digest)
        return f"{self.engine.signature}|{glossary}"

    def notes(self) -> tuple[StepNote, ...]:
        with self._lock:
            return tuple(
                StepNote(step, s.attempted, s.succeeded, dict(s.skipped), s.dropped)
                for step, s in self._stats.items()
            )

    # -- the strategy

    def translate_texts(self, texts: Sequence[str]) -> list[SegmentResult]:
        found = [self.glossary.occurrences(t) for t in texts]
        suppressing = self.capabilities.suppress
        suppress = [self.glossary.suppress(occ) if occ and suppressing else () for occ in found]
        first = self.engine.translate_batch(self._first_requests(texts, found, suppress))
        results: list[SegmentResult | None] = [None] * len(texts)
        work: list[tuple[int, _Work]] = []
        budget = self.options.redecode_budget
        for i, (text, occ, sup, hyps) in enumerate(zip(texts, found, suppress, first, strict=True)):
            if not occ:
                results[i] = (
                    SegmentResult(hyps[0].text, hyps[0].score, alignment=links(hyps[0]))
                    if hyps
                    else SegmentResult("")
                )
            else:
                w = self._nbest(text, occ, sup, hyps or [Hypothesis("")])
                w.allowance = redecode_allowance(text, budget)
                work.append((i, w))
        pending = [w for _, w in work if w.final is None]
        for w in pending:
            self._plan(w)  # the edits tell which segments are sure swaps
        pending = self._mask(pending)
        pending = self._prefix(pending)
        for w in pending:
            self._replace(w)
        for i, w in work:
            results[i] = self._result(w)
        return [r if r is not None else SegmentResult("") for r in results]

    def _first_requests(
        self,
        texts: Sequence[str],
        found: Sequence[tuple[Occurrence, ...]],
        suppress: Sequence[tuple[str, ...]],
    ) -> list[Request]:
        """The first pass: the plain translation, with an n-best list and the
        alignment (as far as the engine gives them) for the segments that
        have terms.

        When the engine declares n-best lists and alignment free
        (`Capabilities.free_n_best`: they leave the best hypothesis as it
        is), every segment gets the same request shape, so they share
        batches (separate plain requests for term-free segments split the
        batches and cost 10-15 % on the seeds with Argos); else term-free
        segments get exactly the plain request.
        """
        caps = self.capabilities
        suppressing = self.options.suppress_first_pass and caps.suppress
        shared = caps.free_n_best and not suppressing
        n_best = max(1, min(self.options.n_best, caps.n_best))
        return [
            Request(
                text,
                n_best=n_best,
                suppress=sup if suppressing else (),
                alignment=caps.alignment,
            )
            if occ or shared
            else Request(text)
            for text, occ, sup in zip(texts, found, suppress, strict=True)
        ]

    # -- step 1

    def _nbest(
        self,
        text: str,
        occurrences: tuple[Occurrence, ...],
        suppress: tuple[str, ...],
        hypotheses: Sequence[Hypothesis],
    ) -> _Work:
        checks = [verify(h.text, occurrences) for h in hypotheses]
        best = max(
            range(len(hypotheses)),
            key=lambda k: (checks[k].ok, checks[k].satisfied, -len(checks[k].forbidden), -k),
        )
        work = _Work(text, occurrences, suppress, hypotheses[best], checks[best])
        for i, span in enumerate(checks[best].spans):
            if span is not None:
                work.steps[i] = "nbest"
                if best:
                    work.note(i, f"hypothesis {best + 1} of {len(hypotheses)}")
        if checks[best].ok:
            work.final, work.score = hypotheses[best].text, hypotheses[best].score
        return work

    # -- steps 2 and 3: re-decodes within each segment's allowance

    def _skip(self, step: str, batch: Sequence[_Work], reason: str, why: str) -> None:
        with self._lock:
            self._stats[step].skip(reason, len(batch))
        for w in batch:
            w.why_not[step] = why

    def _attempt(
        self, step: str, batch: list[_Work], decode: Callable[[list[_Work]], list[bool]]
    ) -> list[_Work]:
        """Re-decode `batch` (one unit of each allowance); returns those still failing."""
        if not batch:
            return []
        for w in batch:
            w.allowance -= 1
        oks = decode(batch)
        with self._lock:
            self._stats[step].attempted += len(batch)
            self._stats[step].succeeded += sum(oks)
        failing = [w for w, ok in zip(batch, oks, strict=True) if not ok]
        for w in failing:
            w.why_not[step] = "tried, terms still missing"
        return failing

    def _repair_request(
        self, source: str, prefix: str, suppress: tuple[str, ...], cap: int
    ) -> Request:
        """A re-decode: greedy and capped at `cap` tokens after the prefix when
        the engine has the repair mode, else a plain decode."""
        return Request(
            source,
            prefix=prefix,
            suppress=suppress,
            max_new_tokens=cap if self.capabilities.repair else None,
        )

    def _redecode(self, requests: list[Request]) -> list[Hypothesis]:
        out = self.engine.translate_batch(requests)
        return [hyps[0] if hyps else Hypothesis("") for hyps in out]

    def _mask(self, pending: list[_Work]) -> list[_Work]:
        form = self.options.mask
        if form == "off":
            self._skip("mask", pending, "turned off", "turned off")
            return pending
        # Like-for-like swaps (a forbidden rendering, the wrong case, the
        # copied Dutch) are what the edit engine does surely, grammar and all:
        # the re-decodes go to the segments where it would have to guess.
        sure = [w for w in pending if _sure(w)]
        self._skip("mask", sure, "cheap", "cheap case: a like-for-like swap")
        unsure = [w for w in pending if not _sure(w)]
        poor = [w for w in unsure if w.allowance < 1]
        self._skip("mask", poor, "budget", "re-decode budget used up")
        rich = [w for w in unsure if w.allowance >= 1]
        dropped = self._mask_probe() if rich else ""
        if dropped:
            self._skip("mask", rich, "dropped", f"dropped: {dropped}")
            return pending

        def decode(batch: list[_Work]) -> list[bool]:
            requests, holders = [], []
            for w in batch:
                masked, holder = _masked_source(w.text, w.occurrences, form)
                cap = math.ceil(1.25 * w.tokens) + 3
                requests.append(self._repair_request(masked, "", w.suppress, cap))
                holders.append(holder)
            oks = []
            for w, hyp, holder in zip(batch, self._redecode(requests), holders, strict=True):
                text = _restore(hyp.text, holder, w.occurrences)
                ok = verify(text, w.occurrences).ok
                if ok:
                    w.final, w.score = text, None
                    how = (
                        "decoded with the English term in the source"
                        if form == "term"
                        else "decoded with a placeholder in the source"
                    )
                    for i in range(len(w.occurrences)):
                        if i not in w.steps:
                            w.steps[i] = "mask"
                            w.note(i, how)
                oks.append(ok)
            return oks

        self._attempt("mask", rich, decode)
        return [w for w in pending if w.final is None]

    def _mask_probe(self) -> str:
        """Why step 2 is dropped ("" when it is not): the probe's verdict,
        made once per enforcer (a pure function of the engine, the termbase
        and the options)."""
        with self._probe_lock:
            if self._mask_dropped is None:
                self._mask_dropped = self._run_mask_probe()
                with self._lock:
                    self._stats["mask"].dropped = self._mask_dropped
            return self._mask_dropped

    def _run_mask_probe(self) -> str:
        sentences = probe_sentences(self.glossary, self.options.probe)
        if not sentences:
            return ""
        requests, holders, found = [], [], []
        for text in sentences:
            occ = self.glossary.occurrences(text)
            masked, holder = _masked_source(text, occ, self.options.mask)
            sup = self.glossary.suppress(occ) if self.capabilities.suppress else ()
            cap = math.ceil(1.25 * _token_guess(text)) + 3
            requests.append(self._repair_request(masked, "", sup, cap))
            holders.append(holder)
            found.append(occ)
        hyps = self._redecode(requests)
        succeeded = sum(
            verify(_restore(h.text, holder, occ), occ).ok
            for h, holder, occ in zip(hyps, holders, found, strict=True)
        )
        if succeeded < self.options.min_success * len(sentences):
            return (
                f"{succeeded} of {len(sentences)} probe re-decodes succeeded "
                f"(needs {self.options.min_success:.0%})"
            )
        return ""

    def _plan(self, w: _Work) -> None:
        """Step 4's edits of the base hypothesis (step 3 builds its prefix from them)."""
        edits = plan_edits(
            w.base.text,
            w.text,
            w.occurrences,
            w.base_check,
            w.base.alignment,
            glossary=self.glossary,
        )
        w.edits = edits
        w.edited, w.applied = apply(w.base.text, edits)

    def _prefix(self, pending: list[_Work]) -> list[_Work]:
        if not self.options.prefix:
            self._skip("prefix", pending, "turned off", "turned off")
            return pending
        if not self.capabilities.prefix:
            with self._lock:
                self._stats["prefix"].dropped = "not supported by the engine (no forced prefix)"
            self._skip("prefix", pending, "not supported", "not supported by the engine")
            return pending
        candidates: list[_Work] = []
        prefixes: dict[int, tuple[str, int]] = {}
        for w in pending:
            result = verify(w.edited, w.occurrences)
            ends = [s[1] for s in result.spans if s is not None]
            if not result.ok or not ends:
                continue  # step 4 will need more than these edits
            end = max(ends)
            if not re.search(r"\w", w.edited[end:]):
                self._skip("prefix", [w], "cheap", "cheap case: the terms end the sentence")
            elif _sure(w):
                self._skip("prefix", [w], "cheap", "cheap case: a like-for-like swap")
            elif w.allowance < 1:
                self._skip("prefix", [w], "budget", "re-decode budget used up")
            else:
                candidates.append(w)
                prefixes[id(w)] = (w.edited[:end], end)

        def decode(batch: list[_Work]) -> list[bool]:
            requests = []
            for w in batch:
                prefix, end = prefixes[id(w)]
                per_token = max(1.0, len(w.base.text) / w.tokens)
                tail_tokens = (len(w.edited) - end) / per_token
                cap = math.ceil(1.25 * tail_tokens) + 3
                requests.append(self._repair_request(w.text, prefix, w.suppress, cap))
            oks = []
            for w, hyp in zip(batch, self._redecode(requests), strict=True):
                prefix, _ = prefixes[id(w)]
                text = _unglue(hyp.text, prefix, w.occurrences)
                ok = verify(text, w.occurrences).ok
                if ok:
                    w.final, w.score = text, hyp.score
                    for e in w.edits or []:
                        if e.occurrence >= 0 and e.occurrence not in w.steps:
                            w.steps[e.occurrence] = "prefix"
                            w.note(e.occurrence, "forced in the prefix: " + e.describe())
                        elif e.occurrence < 0:
                            _note_concept(w, e)
                oks.append(ok)
            return oks

        self._attempt("prefix", candidates, decode)
        return [w for w in pending if w.final is None]

    # -- step 4

    def _replace(self, w: _Work) -> None:
        if w.edits is None:
            self._plan(w)
        text = w.edited
        applied = list(w.applied)
        result = verify(text, w.occurrences, _pins(applied))
        # Placing one term can take a span another was counted on (a longer
        # English term built around it); place what is still missing again.
        for _ in range(3):
            if result.ok:
                break
            more = plan_edits(text, w.text, w.occurrences, result, (), glossary=self.glossary)
            text, again = apply(text, more)
            applied = _shifted(applied, again) + again
            result = verify(text, w.occurrences, _pins(applied))
        w.final, w.score, w.applied = text, None, applied
        for a in applied:
            e = a.edit
            if e.occurrence < 0:
                _note_concept(w, e)
            elif e.occurrence not in w.steps and result.spans[e.occurrence] is not None:
                w.steps[e.occurrence] = "replace"
                w.note(e.occurrence, e.describe(a.after))
        if w.why_not:
            why = "; ".join(f"{step} {reason}" for step, reason in w.why_not.items())
            for i, step in w.steps.items():
                if step == "replace":
                    w.note(i, f"not re-decoded: {why}")

    def _result(self, w: _Work) -> SegmentResult:
        text = w.final if w.final is not None else w.base.text
        replaced = text == w.final and any(s == "replace" for s in w.steps.values())
        edits = {a.edit.occurrence: a for a in w.applied} if replaced else {}
        result = verify(text, w.occurrences, _pins(w.applied) if replaced else None)
        uses = []
        for i, occ in enumerate(w.occurrences):
            span = result.spans[i]
            details = [occ.note] if occ.note and w.steps.get(i) in ("prefix", "replace") else []
            details += w.details.get(i, [])
            status: TermStatus
            if span is None:
                status, step = "failed", ""
                details.append("not found in the translation after every step")
            else:
                status, step = "enforced", w.steps.get(i, "nbest")
            made = edits.get(i) if step == "replace" else None
            uses.append(
                TermUse(
                    occ.concept.id,
                    occ.match.surface,
                    occ.match.start,
                    occ.match.end,
                    text[span[0] : span[1]] if span else occ.english,
                    status,
                    step,
                    span[0] if span else -1,
                    span[1] if span else -1,
                    occ.concept.dnt,
                    "; ".join(details),
                    edit=("inserted" if made.edit.inserted else "replaced") if made else "",
                    replaced=made.before if made else "",
                )
            )
        if result.forbidden and uses:
            bad = ", ".join(repr(text[s:e]) for s, e, _ in result.forbidden)
            first = uses[0]
            uses[0] = dataclasses.replace(
                first, detail="; ".join(filter(None, [first.detail, f"forbidden left: {bad}"]))
            )
        if result.stray and uses:
            # Beside a rendered term: replacing it would double the term.
            bad = ", ".join(repr(text[s:e]) for s, e, _ in result.stray)
            first = uses[0]
            note = f"forbidden rendering beside the term, left for review: {bad}"
            uses[0] = dataclasses.replace(
                first, detail="; ".join(filter(None, [first.detail, note]))
            )
        alignment = links(w.base) if text == w.base.text else ()
        return SegmentResult(text, w.score, tuple(uses), alignment)


def _sure(w: _Work) -> bool:
    """Whether step 4's edits of a segment are all like-for-like swaps."""
    return bool(w.edits) and all(e.how in _SWAPS for e in w.edits or [])


_SWAPS = frozenset(("wrong-case", "forbidden", "copied"))


def _pins(applied: Sequence[Applied]) -> dict[int, tuple[int, int]]:
    """The span each edit put its occurrence's term in (to verify with)."""
    return {a.edit.occurrence: (a.start, a.end) for a in applied if a.edit.occurrence >= 0}


def _shifted(applied: Sequence[Applied], later: Sequence[Applied]) -> list[Applied]:
    """Earlier edits' positions after the `later` edits were made in the same text."""
    out = []
    for a in applied:
        shift = sum(
            len(b.after) - len(b.before) for b in later if b.start + len(b.before) <= a.start
        )
        out.append(dataclasses.replace(a, start=a.start + shift, end=a.end + shift))
    return out


def _note_concept(w: _Work, edit: Edit) -> None:
    """Note a forbidden rendering replaced outside any occurrence on the
    concept's first occurrence."""
    for i, occ in enumerate(w.occurrences):
        if occ.concept.id == edit.concept_id:
            w.note(i, edit.describe())
            return


def _masked_source(
    text: str, occurrences: Sequence[Occurrence], form: MaskForm
) -> tuple[str, dict[str, int]]:
    """The source with each term replaced by its English (or a placeholder)."""
    holders: dict[str, int] = {}
    for i in sorted(range(len(occurrences)), key=lambda k: -occurrences[k].match.start):
        occ = occurrences[i]
        left = text[: occ.match.start]
        if form == "placeholder":
            mask = f"TERM_{i + 1}"
            holders[mask] = i
        else:
            mask = occ.english
            if not occ.keeps_case and at_sentence_start(left):
                mask = capitalised(mask)
        text = left + mask + text[occ.match.end :]
    return text, holders


def _restore(text: str, holders: dict[str, int], occurrences: Sequence[Occurrence]) -> str:
    """Placeholders in a translation replaced by their English terms."""
    for mask, i in holders.items():
        occ = occurrences[i]
        pattern = re.compile(re.escape(mask).replace("_", "[_ ]?"), re.IGNORECASE)
        while (found := pattern.search(text)) is not None:
            left = text[: found.start()]
            english = occ.english
            if not occ.keeps_case and at_sentence_start(left):
                english = capitalised(english)
            text = left + english + text[found.end() :]
    return text


def _unglue(text: str, prefix: str, occurrences: Sequence[Occurrence]) -> str:
    """Separate the model's continuation from the last forced term when it
    glued a word onto it that the term matcher does not read as the term."""
    cut = len(prefix)
    glued = cut < len(text) and text[cut].isalnum() and not prefix[-1:].isspace()
    if glued and not verify(text, occurrences).ok:
        return text[:cut] + " " + text[cut:]
    return text
