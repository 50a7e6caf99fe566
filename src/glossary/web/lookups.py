"""The QA check the workbench shows, as one function.

`check` runs `glossary check`'s QA (`qa.check_units` over the units
`read_units` or `align_files` give). The Concordance page calls
`glossary.concordance` itself, as `glossary concordance` does.
"""

from __future__ import annotations

from pathlib import Path

from glossary.qa import QAReport
from glossary.termbase.model import Termbase


def check(source: Path, target: Path | None, termbase: Termbase, *, max_bytes: int) -> QAReport:
    """`glossary check FILE` (or `check SOURCE TARGET`): the terminology QA report."""
    from glossary.exchange.importing import read_units
    from glossary.qa import align_files, check_units

    if target is None:
        units = read_units(source, None, max_bytes)
    else:
        units = list(align_files(source, target, limit=max_bytes).units)
    # The file the locations point into: the bilingual file, or the translation.
    return check_units(units, termbase.concepts, file=str(target or source))
