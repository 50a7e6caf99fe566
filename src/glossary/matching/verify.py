"""Is a term rendered here? The verification rule every part of glossary shares.

Enforcement (`glossary.enforcement`) and terminology QA (`glossary.qa`) ask
the same question of a translation: which English counts as correct for a
concept found in the source, and where is it in the target.
"""

from __future__ import annotations

from glossary.termbase.model import Concept


def accepted_terms(concept: Concept, surface: str = "") -> tuple[str, ...]:
    """The English that counts as correct for a concept found as `surface`."""
    terms = list(concept.en_terms)
    if concept.dnt and surface and surface not in terms:
        terms.append(surface)  # the name copied exactly as the source wrote it
    return tuple(terms)
