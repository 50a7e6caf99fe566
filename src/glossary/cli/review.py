"""The `review` command: decide on mined candidates one by one, at the terminal.

Everything interactive goes to stderr (stdout stays free for data); colour
is dropped when stderr is not a terminal. Each decision is written to the
termbase at once (`glossary.termbase.store.update_termbase`); `u` takes the
last one back.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import CONTEXT_SETTINGS, main
from .mine import _mining_options, _run_mining
from .table import output_width, paint, style, wrap

if TYPE_CHECKING:
    from glossary.document import Document
    from glossary.mining.candidates import Candidate
    from glossary.mining.hints import Hint
    from glossary.mining.review import ReviewState
    from glossary.termbase.model import Concept

KEYS = (
    ("a", "accept", "accept with an English term (a number picks a suggestion)"),
    ("e", "edit", "edit the Dutch term and its variants, then accept"),
    ("r", "reject", "reject: no spelling of it is proposed again"),
    ("s", "skip", "skip: shown again at the end of the next review"),
    ("c", "contexts", "every occurrence in the documents (concordance)"),
    ("u", "undo", "undo the last decision and go back to it (b does the same)"),
    ("?", "help", "explain the keys"),
    ("q", "quit", "quit; run the same command to resume"),
)
CHOICES = [k for k, _, _ in KEYS] + ["b"]


def say(text: str = "") -> None:
    click.echo(text, err=True)


@dataclass
class Typed:
    """What the reviewer typed for a candidate, kept when writing it failed."""

    nl: str | None = None
    variants: list[str] | None = None
    en: str | None = None


@dataclass(frozen=True)
class Step:
    """One decision, for undo: where it was taken, and what it changed."""

    position: int
    action: str  # "accepted", "rejected", "skipped"
    concept: Concept | None = None  # the concept it added
    was_skipped: bool = False  # the candidate was in the skipped list before


@dataclass
class Session:
    path: Path
    candidates: list[Candidate]
    documents: list[Document]
    concepts: list[Concept]
    state: ReviewState
    width: int | None
    history: list[Step] = field(default_factory=list)
    typed: dict[str, Typed] = field(default_factory=dict)

    def save(self) -> None:
        from glossary.mining import review as rv
        from glossary.termbase.store import atomic_write

        atomic_write(rv.state_path(self.path), rv.dump_state(self.state))


# ------------------------------------------------------------------ showing


def _wrapped(prefix: str, text: str, spans: Sequence[tuple[int, int]], width: int | None) -> str:
    """`prefix` then `text` wrapped under itself, `spans` highlighted."""
    from .table import Text

    indent = len(click.unstyle(prefix))
    body = Text(text, tuple((a, b, "term") for a, b in spans))
    lines = wrap(text, None if width is None else max(20, width - indent))
    return "\n".join(
        (prefix if n == 0 else " " * indent) + paint(body, a, b) for n, (a, b) in enumerate(lines)
    )


def _suggestions(session: Session, candidate: Candidate) -> tuple[list[str], list[Hint]]:
    """Numbered English suggestions (termbase composition, then machine), and
    related concepts of the termbase."""
    from glossary.mining import hints

    related = hints.suggest(candidate.term, session.concepts)
    numbered = [h.text for h in related if h.source == "termbase"]
    numbered += [s.text for s in candidate.suggestions if s.text not in numbered]
    return numbered, [h for h in related if h.source == "similar"]


def show(session: Session, candidate: Candidate, position: int) -> list[str]:
    """Print the candidate; returns the numbered suggestions."""
    from glossary.concordance import candidate_query, search_text

    total = len(session.candidates)
    width = session.width
    say("")
    say(style(f"── {position}/{total} " + "─" * max(0, min(width or 60, 72) - 8), "dim"))
    docs = f"{candidate.doc_frequency} document{'s' if candidate.doc_frequency != 1 else ''}"
    facts = f"{candidate.kind} · {candidate.frequency}× in {docs} · score {candidate.score:.2f}"
    say(f"{style(candidate.term, 'term')}  {facts}")
    if candidate.expansion:
        say(f"  expansion: {candidate.expansion}")
    if len(candidate.variants) > 1:
        spellings = ", ".join(f"{v.form} ({v.count})" for v in candidate.variants)
        say(_wrapped("  spellings: ", spellings, (), width))
    query = candidate_query(candidate.term, candidate.forms, acronym=candidate.kind == "acronym")
    if candidate.contexts:
        say("  in context:")
        for context in candidate.contexts:
            prefix = "    " + style(context.ref, "ref") + "  "
            say(_wrapped(prefix, context.text, search_text(context.text, query), width))
    numbered, related = _suggestions(session, candidate)
    if numbered:
        say("  English suggestions:")
        machine = {s.text: s.source for s in candidate.suggestions}
        for n, text in enumerate(numbered, 1):
            origin = f"machine ({machine[text]})" if text in machine else "from the termbase"
            say(f"    {style(str(n), 'key')}. {style(text, 'good')}  {style(origin, 'dim')}")
    if related:
        say("  related in the termbase:")
        for hint in related:
            say(f"    {hint.concept_id}: {hint.detail}")
    keys = "  ".join(f"{style(k, 'key')} {name}" for k, name, _ in KEYS)
    say("  " + keys)
    return numbered


def show_help() -> None:
    for key, name, what in KEYS:
        say(f"  {style(key, 'key')}  {name}: {what}")


def show_concordance(session: Session, candidate: Candidate) -> None:
    from glossary.concordance import candidate_query, search

    from .views import kwic_lines

    query = candidate_query(candidate.term, candidate.forms, acronym=candidate.kind == "acronym")
    result = search(session.documents, query)
    say(f"  every occurrence ({result.summary()}):")
    for line in kwic_lines(result, (session.width or 120) - 2):
        say("  " + line)


# ------------------------------------------------------------------ deciding


def _ask_concept(
    candidate: Candidate, typed: Typed, numbered: Sequence[str], *, edit: bool
) -> Concept:
    """Prompt for what an accepted concept needs; `typed` keeps every answer."""
    from glossary.mining import review as rv

    if edit:
        typed.nl = click.prompt("Dutch term", default=typed.nl or candidate.term, err=True)
        variants = typed.variants if typed.variants is not None else rv.variant_forms(candidate)
        raw = click.prompt(
            "Dutch variants (separate with |, - for none)",
            default=" | ".join(variants) or "-",
            err=True,
        )
        typed.variants = [v.strip() for v in raw.split("|") if v.strip() not in ("", "-")]
    default = typed.en or (numbered[0] if numbered else None)
    label = "English" + (f" (or 1-{len(numbered)} for a suggestion)" if numbered else "")
    while True:
        answer = click.prompt(label, default=default, err=True).strip()
        if not answer.isdigit():
            break
        if 1 <= int(answer) <= len(numbered):
            answer = numbered[int(answer) - 1]
            break
        say(f"  There is no suggestion {answer}; type the English term.")
    typed.en = answer
    return rv.accept(candidate, answer, nl=typed.nl, variants=typed.variants)


def _decide(
    session: Session, candidate: Candidate, position: int, choice: str, numbered: Sequence[str]
) -> Step:
    """Accept (a, e) or reject (r) the candidate and write the concept."""
    from glossary.mining import review as rv
    from glossary.termbase.store import update_termbase

    key = rv.candidate_key(candidate)
    if choice == "r":
        concept = rv.reject(candidate)
    else:
        typed = session.typed.setdefault(key, Typed())
        concept = _ask_concept(candidate, typed, numbered, edit=choice == "e")
    added = update_termbase(session.path, functools.partial(rv.add_concept, concept=concept))
    session.typed.pop(key, None)
    session.concepts.append(added)
    was_skipped = key in session.state.skipped
    if was_skipped:
        session.state = session.state.forget(candidate)
        session.save()
    action = "accepted" if added.status == "approved" else "rejected"
    say(f"  → {added.id}: {added.nl} → {added.en or '-'} ({added.status})")
    return Step(position, action, added, was_skipped)


def _undo(session: Session) -> int | None:
    """Take back the last decision; the position to go back to (None: nothing done)."""
    from glossary.errors import InvalidValue
    from glossary.mining import review as rv
    from glossary.termbase.store import update_termbase

    if not session.history:
        say("  Nothing to undo.")
        return None
    step = session.history[-1]
    candidate = session.candidates[step.position]
    if step.concept is not None:
        try:
            update_termbase(session.path, functools.partial(rv.undo, added=step.concept))
        except InvalidValue as exc:
            say(f"Error: {exc}")
            return None
        session.concepts = [c for c in session.concepts if c.id != step.concept.id]
        say(f"  Undone: {step.concept.id} removed from the termbase.")
    else:
        say(f"  Undone: {candidate.term} is no longer skipped.")
    if step.was_skipped:
        session.state = session.state.skip(candidate)
    elif step.action == "skipped":
        session.state = session.state.forget(candidate)
    session.save()
    session.history.pop()
    return step.position


def run(session: Session) -> dict[str, int]:
    """The review loop; returns how many candidates were accepted, rejected, skipped."""
    from glossary.errors import DuplicateTerm, InvalidValue

    position = 0
    while position < len(session.candidates):
        candidate = session.candidates[position]
        numbered = show(session, candidate, position + 1)
        while True:
            try:
                choice = click.prompt(
                    "Choice",
                    type=click.Choice(CHOICES),
                    show_choices=False,
                    err=True,
                )
                if choice == "q":
                    return _finish(session, position)
                if choice == "?":
                    show_help()
                    continue
                if choice == "c":
                    show_concordance(session, candidate)
                    continue
                if choice in ("u", "b"):
                    back = _undo(session)
                    if back is None:
                        continue
                    position = back
                    break
                if choice == "s":
                    was = _skipped(session, candidate)
                    session.state = session.state.skip(candidate)
                    session.save()
                    session.history.append(Step(position, "skipped", None, was))
                    position += 1
                    break
                session.history.append(_decide(session, candidate, position, choice, numbered))
                position += 1
                break
            except click.Abort:
                say("")
                return _finish(session, position)
            except (DuplicateTerm, InvalidValue) as exc:
                say(f"Error: {exc}")
                say("  What you typed is kept: press a or e to change it, or choose another key.")
    return _finish(session, position)


def _skipped(session: Session, candidate: Candidate) -> bool:
    from glossary.mining import review as rv

    return rv.candidate_key(candidate) in session.state.skipped


def _finish(session: Session, position: int) -> dict[str, int]:
    session.save()
    counts = {"accepted": 0, "rejected": 0, "skipped": 0}
    for step in session.history:
        counts[step.action] += 1
    left = len(session.candidates) - position
    text = ", ".join(f"{n} {what}" for what, n in counts.items())
    if left:
        text += f"; {left} left (run the same command to resume)"
    say(text)
    return counts


@main.command(context_settings=CONTEXT_SETTINGS)
@_mining_options
@click.option("--restart", is_flag=True, help="Forget skipped candidates and start afresh.")
def review(
    paths: tuple[str, ...],
    top: int,
    min_freq: int,
    suggest: bool | None,
    termbase_path: Path | None,
    source_side: bool,
    quiet: bool,
    restart: bool,
) -> None:
    """Walk the new candidates of documents and decide on each.

    Each candidate is shown with its spellings, its contexts in full (the
    term highlighted) and English suggestions: composed from the
    termbase's terms ("covoorzitters van de Minsk Groep": "co-chairs of the
    OSCE Minsk Group") and, with a model installed, machine suggestions;
    related concepts of the termbase are listed for consistency. Keys (then
    Enter): a accept, e edit then accept, r reject, s skip, c every
    occurrence in the documents, u undo the last decision (and go back),
    ? help, q quit. Decisions are written to the termbase at once; when
    writing fails (a variant another concept has), what you typed is kept.

    \b
    Example:
        glossary review seeds/ --top 50
    """
    from glossary.mining import review as rv
    from glossary.termbase.store import read_termbase, resolve_termbase

    path = resolve_termbase(termbase_path)
    candidates, _, documents = _run_mining(
        paths, top, min_freq, suggest, path, quiet, source_side=source_side
    )
    state = rv.ReviewState() if restart else rv.load_state(rv.state_path(path))
    todo = rv.queue(candidates, state)
    if not todo:
        say("Nothing to review: every candidate is already in the termbase.")
        return
    session = Session(
        path,
        todo,
        documents,
        list(read_termbase(path).concepts),
        state,
        output_width(err=True),
    )
    run(session)
