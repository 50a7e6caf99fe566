"""How library results look on a terminal: check reports, concordances, candidates.

Each function takes a library value and the width to fit (None: no limit)
and returns text with Click styles; `click.echo` drops the styles when the
output is not a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .table import Text, paint, render, style

if TYPE_CHECKING:
    from glossary.concordance import Concordance, Hit
    from glossary.mining.candidates import Candidate
    from glossary.qa import QAReport, Violation


# ------------------------------------------------------------------ check


def _problem(v: Violation) -> Text:
    """The PROBLEM cell: kind, the Dutch term, what is expected, what was found."""
    lines = [v.label, v.term]
    marks: list[tuple[int, int, str]] = [(0, len(v.label), "wrong")]
    offset = len(v.label) + 1 + len(v.term) + 1
    for n, english in enumerate(v.expected):
        line = f"{'→' if n == 0 else 'or'} {english}"
        marks.append((offset + 2 if n == 0 else offset + 3, offset + len(line), "good"))
        lines.append(line)
        offset += len(line) + 1
    if v.found:
        line = f"found: {v.found}"
        marks.append((offset + 7, offset + len(line), "wrong"))
        lines.append(line)
        offset += len(line) + 1
        if v.detail and v.kind == "wrong":
            lines.append(f"({v.detail})")
    return Text("\n".join(lines), tuple(marks))


def violation_rows(violations: Sequence[Violation], short: bool) -> list[list[Text | str]]:
    rows: list[list[Text | str]] = []
    for v in violations:
        source_marks = ((*v.source_span, "term"),) if v.source_span else ()
        target_marks = ((*v.target_span, "wrong"),) if v.target_span else ()
        rows.append(
            [
                Text(v.location.short() if short else v.ref),
                _problem(v),
                Text(" ".join(v.source.split("\n")), source_marks),
                Text(" ".join(v.target.split("\n")), target_marks),
            ]
        )
    return rows


def check_table(report: QAReport, width: int | None) -> str:
    """The violations (where, the problem, source and target with the term
    highlighted), then the concepts with problems; "" when there is none."""
    if not report.violations:
        return ""
    files = {v.location.file for v in report.violations}
    short = len(files) == 1 and "" not in files
    parts = [f"{style(files.pop(), 'ref')}:\n" if short else ""]
    parts[0] += render(
        ["WHERE", "PROBLEM", "SOURCE", "TARGET"],
        violation_rows(report.violations, short),
        width=width,
        min_width=(12, 22, 20, 20),
        prefer=(0, 1),
    )
    rows: list[list[Text | str]] = []
    for c in report.concepts:
        if not c.counts:
            continue
        problems = ", ".join(f"{n} {_label(kind, n)}" for kind, n in c.counts)
        if c.found:
            problems += "; found " + ", ".join(
                f"{text!r}" + (f" ×{n}" if n > 1 else "") for text, n in c.found
            )
        term = f"{c.term} → {c.english}"
        rows.append(
            [
                c.concept_id,
                Text(term, ((len(c.term) + 3, len(term), "good"),)),
                f"{c.correct}/{c.occurrences}",
                Text(problems, ((0, len(problems), "wrong"),)),
            ]
        )
    table = render(
        ["CONCEPT", "TERM", "RIGHT", "PROBLEMS"],
        rows,
        width=width,
        min_width=(22, 20, 5, 24),
    )
    right = len(report.concepts) - len(rows)
    if right:
        table += f"\n({right} other concept{'s' if right != 1 else ''}: every occurrence right)"
    parts.append(table)
    return "\n\n".join(parts)


def _label(kind: str, count: int = 1) -> str:
    from glossary.qa import label

    return label(kind, count)


# ------------------------------------------------------------------ concordance


def kwic_lines(concordance: Concordance, width: int | None) -> list[str]:
    """One keyword-in-context line per hit: file:line, left context, the match
    highlighted, right context; the matches start in one column, and each line
    fits `width` (120 columns when there is no width to fit)."""
    hits = concordance.hits
    if not hits:
        return []
    ref_width = max(len(h.ref) for h in hits)
    match_width = max(len(h.spelling) for h in hits)
    total = width or 120
    side = max(10, (total - ref_width - 2 - match_width) // 2)
    lines = []
    for hit in hits:
        match = hit.spelling
        right_width = max(10, total - ref_width - 2 - side - len(match))
        left, _, _ = hit.kwic(side)
        _, _, right = hit.kwic(right_width)
        lines.append(
            f"{style(hit.ref.ljust(ref_width), 'ref')}  {left.rjust(side)}"
            f"{style(match, 'term')}{right}".rstrip()
        )
    return lines


def spelling_table(concordance: Concordance, width: int | None) -> str:
    rows: list[list[Text | str]] = []
    for s in concordance.spellings:
        note = ""
        if s.term and s.term != s.spelling:
            note = f"form of {s.term}" if s.inflected else f"spelling of {s.term}"
        rows.append(
            [
                Text(s.spelling, ((0, len(s.spelling), "term"),)),
                str(s.count),
                str(s.documents),
                note,
            ]
        )
    return render(["SPELLING", "COUNT", "DOCS", "NOTE"], rows, width=width)


def highlight(text: str, spans: Sequence[tuple[int, int]], name: str = "term") -> str:
    """`text` with `spans` styled."""
    return paint(Text(text, tuple((a, b, name) for a, b in spans)))


def hit_block(hit: Hit) -> str:
    """A hit with its whole paragraph, the match highlighted."""
    return f"{style(hit.ref, 'ref')}  " + highlight(
        hit.context, [(hit.context_start, hit.context_end)]
    )


# ------------------------------------------------------------------ mining


def candidate_rows(candidates: Sequence[Candidate]) -> list[list[Text | str]]:
    from glossary.concordance import candidate_query, search_text

    rows: list[list[Text | str]] = []
    for rank, c in enumerate(candidates, start=1):
        variants = ", ".join(f"{v.form} ({v.count})" for v in c.variants[:4]) + (
            ", …" if len(c.variants) > 4 else ""
        )
        context: Text | str = ""
        if c.contexts:
            first = c.contexts[0]
            query = candidate_query(c.term, c.forms, acronym=c.kind == "acronym")
            prefix = f"{first.ref}: "
            spans = [(a + len(prefix), b + len(prefix)) for a, b in search_text(first.text, query)]
            more = f" (+{len(c.contexts) - 1} more)" if len(c.contexts) > 1 else ""
            text = prefix + first.text + more
            context = Text(text, ((0, len(first.ref), "ref"), *((a, b, "term") for a, b in spans)))
        rows.append(
            [
                str(rank),
                Text(c.term, ((0, len(c.term), "term"),)),
                c.kind,
                str(c.frequency),
                str(c.doc_frequency),
                f"{c.score:.2f}",
                c.status,
                variants,
                context,
            ]
        )
    return rows


def candidate_table(candidates: Sequence[Candidate], width: int | None) -> str:
    headers = ["#", "TERM", "KIND", "FREQ", "DOCS", "SCORE", "STATUS", "VARIANTS", "CONTEXT"]
    return render(
        headers,
        candidate_rows(candidates),
        width=width,
        min_width=(3, 14, 4, 4, 4, 5, 6, 16, 30),
        prefer=(1,),
        drop=(5, 4, 2, 3, 7),  # on narrow terminals: score, docs, kind, freq, variants
    )
