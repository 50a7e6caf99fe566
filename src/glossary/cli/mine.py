"""Commands of this area register on `main` here (filled in by its issue)."""

from __future__ import annotations
