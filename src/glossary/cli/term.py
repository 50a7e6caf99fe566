"""Termbase commands: `init`, `validate` and the `term` group."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from glossary.errors import InvalidValue
from glossary.termbase import model as tbm
from glossary.termbase.model import PARTS_OF_SPEECH, STATUSES, Concept, Termbase
from glossary.termbase.store import (
    create_termbase,
    read_termbase,
    resolve_termbase,
    update_termbase,
)

from . import CONTEXT_SETTINGS, main
from .common import dump_json, format_option, info, render_table, termbase_option


@main.command(context_settings=CONTEXT_SETTINGS)
@termbase_option
def init(termbase_path: Path | None) -> None:
    """Create an empty termbase (glossary/termbase.tsv in this folder).

    \b
    Example:
        glossary init
        glossary init --termbase client-x/termbase.tsv
    """
    path = termbase_path or Path("glossary") / "termbase.tsv"
    create_termbase(path)
    info(f"Created an empty termbase: {path}")


@main.command(context_settings=CONTEXT_SETTINGS)
@termbase_option
def validate(termbase_path: Path | None) -> None:
    """Check the termbase file and report every problem with line and column.

    Problems (exit status 1): anything that stops the file from loading, such
    as a term that is both allowed and forbidden. Warnings (exit status 0,
    on stderr): a Dutch term that contains another approved concept's name
    while its English lacks that name's English ("covoorzitters van de
    OVSE Minsk Groep" -> "Minsk Group Co-Chairs" loses OSCE). The file is
    never changed by this command.

    \b
    Example:
        glossary validate
        glossary validate --termbase other/termbase.tsv
    """
    from glossary.termbase.lint import lint

    path = resolve_termbase(termbase_path)
    tb = _load(path)
    counts = {s: len(tb.with_status(s)) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    warnings = lint(tb)
    for warning in warnings:
        info(f"warning: {path}:{warning}")
    tail = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    click.echo(f"{path}: valid, {len(tb)} concepts ({summary}){tail}")


@main.group(context_settings=CONTEXT_SETTINGS)
def term() -> None:
    """Add, edit, list and search termbase concepts.

    \b
    Examples:
        glossary term add staakt-het-vuren ceasefire --pos noun
        glossary term add OVSE OSCE --case-sensitive --variant "Organisatie voor
            Veiligheid en Samenwerking in Europa"
        glossary term list --status approved
        glossary term search minsk
        glossary term show staakt-het-vuren
    """


def _concept_options(func: Any) -> Any:
    options = [
        click.option("--pos", type=click.Choice(PARTS_OF_SPEECH), help="Part of speech."),
        click.option("--subject", help="Subject field, e.g. 'international relations'."),
        click.option("--definition", help="One-line definition."),
        click.option("--note", help="Free note (usage, source of the translation...)."),
        click.option("--context", help="One context sentence, ideally from a source document."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@term.command("add", context_settings=CONTEXT_SETTINGS)
@click.argument("nl")
@click.argument("en", required=False, default="")
@click.option("--variant", "variants", multiple=True, help="Dutch variant (repeatable).")
@click.option(
    "--en-variant", "en_variants", multiple=True, help="Admitted English alternative (repeatable)."
)
@click.option(
    "--forbid", "forbidden", multiple=True, help="Forbidden English rendering (repeatable)."
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="approved",
    show_default=True,
    help="Review status.",
)
@click.option("--dnt", is_flag=True, help="Do not translate: the name stays as it is.")
@click.option("--case-sensitive", is_flag=True, help="Match case exactly (acronyms: OVSE, OP).")
@click.option("--source", "sources", multiple=True, help="Source document (repeatable).")
@click.option("--id", "concept_id", default="", help="Id to use (default: made from NL).")
@_concept_options
@termbase_option
def term_add(
    nl: str,
    en: str,
    variants: tuple[str, ...],
    en_variants: tuple[str, ...],
    forbidden: tuple[str, ...],
    status: str,
    dnt: bool,
    case_sensitive: bool,
    sources: tuple[str, ...],
    concept_id: str,
    pos: str | None,
    subject: str | None,
    definition: str | None,
    note: str | None,
    context: str | None,
    termbase_path: Path | None,
) -> None:
    """Add a concept: Dutch term NL with English EN.

    EN may be left out for a do-not-translate name (--dnt) or a proposed
    concept. Prints the new concept's id.

    \b
    Examples:
        glossary term add staakt-het-vuren ceasefire --pos noun \\
            --variant "staakt het vuren" --forbid "stop-the-fire"
        glossary term add OVSE OSCE --case-sensitive --pos properNoun
        glossary term add Stepanakert --dnt --pos properNoun
    """
    concept = tbm.make_concept(
        nl,
        en or (nl if dnt else ""),
        concept_id=concept_id,
        nl_variants=variants,
        en_alternatives=en_variants,
        en_forbidden=forbidden,
        status=status,
        pos=pos or "",
        dnt=dnt,
        case_sensitive=case_sensitive,
        subject=subject or "",
        definition=definition or "",
        note=note or "",
        context=context or "",
        sources=sources,
    )
    path = resolve_termbase(termbase_path)
    added = update_termbase(path, lambda tb: tbm.add(tb, concept), create=termbase_path is not None)
    click.echo(added.id)
    info(f"Added {added.id}: {added.nl} → {added.en or '-'} ({added.status})")


def _list_edit(
    current: Sequence[str], replace_with: Sequence[str], plus: Sequence[str], minus: Sequence[str]
) -> tuple[str, ...]:
    values = list(replace_with) if replace_with else list(current)
    values.extend(v for v in plus if v not in values)
    missing = [v for v in minus if v not in values]
    if missing:
        raise InvalidValue(f"Not present, cannot remove: {', '.join(missing)}")
    return tuple(v for v in values if v not in minus)


@term.command("edit", context_settings=CONTEXT_SETTINGS)
@click.argument("concept_id", metavar="ID")
@click.option("--nl", help="New preferred Dutch term.")
@click.option("--en", help="New preferred English term.")
@click.option("--variant", "variants", multiple=True, help="Replace the Dutch variants.")
@click.option("--add-variant", multiple=True, help="Add a Dutch variant.")
@click.option("--remove-variant", multiple=True, help="Remove a Dutch variant.")
@click.option("--en-variant", "en_variants", multiple=True, help="Replace English alternatives.")
@click.option("--add-en-variant", multiple=True, help="Add an English alternative.")
@click.option("--remove-en-variant", multiple=True, help="Remove an English alternative.")
@click.option("--forbid", "forbidden", multiple=True, help="Replace forbidden renderings.")
@click.option("--add-forbid", multiple=True, help="Add a forbidden rendering.")
@click.option("--remove-forbid", multiple=True, help="Remove a forbidden rendering.")
@click.option("--status", type=click.Choice(STATUSES), help="Review status.")
@click.option("--dnt/--no-dnt", default=None, help="Do-not-translate flag.")
@click.option("--case-sensitive/--no-case-sensitive", default=None, help="Exact-case flag.")
@click.option("--source", "sources", multiple=True, help="Replace the source documents.")
@click.option("--add-source", multiple=True, help="Add a source document.")
@_concept_options
@termbase_option
def term_edit(concept_id: str, termbase_path: Path | None, **opts: Any) -> None:
    """Change fields of the concept ID; fields not given stay as they are.

    \b
    Examples:
        glossary term edit minsk-groep --add-variant "Minsk Groep"
        glossary term edit ovse --en OSCE --no-dnt --note "EU usage"
        glossary term edit vredesakkoord --definition ""
    """
    path = resolve_termbase(termbase_path)

    def change(tb: Termbase) -> tuple[Termbase, Concept]:
        old = tb.get(concept_id) or tbm.find(tb, concept_id)
        changes: dict[str, Any] = {}
        for field in (
            "nl",
            "en",
            "status",
            "pos",
            "dnt",
            "case_sensitive",
            "subject",
            "definition",
            "note",
            "context",
        ):
            if opts.get(field) is not None:
                changes[field] = opts[field]
        for field, whole, plus, minus in (
            ("nl_variants", "variants", "add_variant", "remove_variant"),
            ("en_alternatives", "en_variants", "add_en_variant", "remove_en_variant"),
            ("en_forbidden", "forbidden", "add_forbid", "remove_forbid"),
            ("sources", "sources", "add_source", None),
        ):
            if opts.get(whole) or opts.get(plus) or (minus and opts.get(minus)):
                changes[field] = _list_edit(
                    getattr(old, field),
                    opts.get(whole) or (),
                    opts.get(plus) or (),
                    opts.get(minus) or () if minus else (),
                )
        if not changes:
            raise InvalidValue("Nothing to change; give at least one option (see --help).")
        return tbm.edit(tb, old.id, **changes)

    new = update_termbase(path, change)
    info(f"Edited {new.id}: {new.nl} → {new.en or '-'} ({new.status})")


@term.command("remove", context_settings=CONTEXT_SETTINGS)
@click.argument("concept_ids", metavar="ID...", nargs=-1, required=True)
@termbase_option
def term_remove(concept_ids: tuple[str, ...], termbase_path: Path | None) -> None:
    """Remove concepts by id (all or none: an unknown id changes nothing).

    \b
    Example:
        glossary term remove vredestroepen-2
    """
    path = resolve_termbase(termbase_path)

    def change(tb: Termbase) -> tuple[Termbase, list[Concept]]:
        removed = []
        for cid in concept_ids:
            tb, old = tbm.remove(tb, cid)
            removed.append(old)
        return tb, removed

    for old in update_termbase(path, change):
        info(f"Removed {old.id}: {old.nl} → {old.en or '-'}")


def _set_status_command(status: str) -> Any:
    def command(concept_ids: tuple[str, ...], termbase_path: Path | None) -> None:
        path = resolve_termbase(termbase_path)

        def change(tb: Termbase) -> tuple[Termbase, list[Concept]]:
            done = []
            for cid in concept_ids:
                found = tb.get(cid) or tbm.find(tb, cid)
                tb, new = tbm.set_status(tb, found.id, status)
                done.append(new)
            return tb, done

        for new in update_termbase(path, change):
            info(f"{new.id}: {new.nl} → {new.en or '-'} is now {status}")

    return command


for _status, _verb, _doc in (
    ("approved", "approve", "Approve concepts (by id or Dutch term) so they are enforced."),
    (
        "rejected",
        "reject",
        "Reject concepts (by id or Dutch term); mining will not propose them again.",
    ),
):
    term.command(
        _verb,
        context_settings=CONTEXT_SETTINGS,
        help=_doc + (f"\n\n\b\nExample:\n    glossary term {_verb} vredesakkoord"),
    )(
        click.argument("concept_ids", metavar="ID...", nargs=-1, required=True)(
            termbase_option(_set_status_command(_status))
        )
    )


def _load(path: Path) -> Termbase:
    """Read the termbase for a read-only command, then freeze it for the collector.

    `gc.freeze()` moves the loaded concepts out of the cyclic collector's
    reach, so the rows and strings a command builds next do not make it scan
    the whole termbase again and again (a tenth of `term list` on 100,000
    concepts). Fine for a short-lived command; the library never does this.
    """
    import gc

    termbase = read_termbase(path)
    gc.freeze()
    return termbase


def _concept_rows(concepts: Sequence[Concept]) -> list[list[str]]:
    return [[c.id, c.nl, c.en, c.status, tbm.SEP.join(c.nl_variants)] for c in concepts]


def _emit_concepts(concepts: Sequence[Concept], fmt: str) -> None:
    if fmt == "json":
        click.echo(dump_json([c.to_dict() for c in concepts]))
    elif fmt == "tsv":
        click.echo(tbm.serialize_tsv(Termbase(tuple(concepts))), nl=False)
    elif concepts:
        click.echo(render_table(["ID", "NL", "EN", "STATUS", "VARIANTS"], _concept_rows(concepts)))


@term.command("list", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--status",
    "statuses",
    type=click.Choice(STATUSES),
    multiple=True,
    help="Only concepts with this status (repeatable).",
)
@format_option(["table", "json", "tsv"], "table")
@termbase_option
def term_list(statuses: tuple[str, ...], fmt: str, termbase_path: Path | None) -> None:
    """List concepts in file order (by Dutch term).

    \b
    Examples:
        glossary term list
        glossary term list --status proposed --format json
        glossary term list --format tsv > approved.tsv
    """
    tb = _load(resolve_termbase(termbase_path))
    concepts = tb.with_status(*statuses) if statuses else tb.concepts
    _emit_concepts(concepts, fmt)
    info(f"{len(concepts)} concepts")


@term.command("search", context_settings=CONTEXT_SETTINGS)
@click.argument("text")
@format_option(["table", "json", "tsv"], "table")
@termbase_option
def term_search(text: str, fmt: str, termbase_path: Path | None) -> None:
    """Find concepts whose Dutch or English terms contain TEXT.

    Case, accents, hyphens and spaces are ignored: "armenie" finds
    "Armenië", "minsk groep" finds "Minskgroep". Exact matches come first.

    \b
    Example:
        glossary term search minsk
    """
    tb = _load(resolve_termbase(termbase_path))
    found = tbm.search(tb, text)
    if not found:
        info(f"No concept matches {text!r}.")
        raise SystemExit(1)
    _emit_concepts(found, fmt)


@term.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("id_or_term", metavar="ID|TERM")
@format_option(["table", "json"], "table")
@termbase_option
def term_show(id_or_term: str, fmt: str, termbase_path: Path | None) -> None:
    """Show every field of one concept, by id or by any of its Dutch terms.

    \b
    Example:
        glossary term show "Minsk Groep"
    """
    tb = _load(resolve_termbase(termbase_path))
    concept = tbm.find(tb, id_or_term)
    data = concept.to_dict()
    if fmt == "json":
        click.echo(dump_json(data))
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, list):
            value = tbm.SEP.join(value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        click.echo(f"{key:<{width}}  {value}")
