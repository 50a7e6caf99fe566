"""The package layout is layered: no import runs up from a lower layer to a higher one.

Layers, low to high (a package may import its own modules and lower layers,
at module level or inside functions, never a higher layer):

0. `glossary` itself, `errors`, `document`: the error hierarchy and the data model
1. `lang` (Dutch and English language knowledge), `files` (reading inputs, safe XML)
2. `termbase`: the concept model and its storage
3. `reading`, `matching`, `engines`: documents in, terms found, models run
4. `mining`, `enforcement`, `exchange`, `concordance`, `documents`: what is built on them
   (`documents`: readers and writers of Word, OpenDocument, PDF, subtitles, HTML and Markdown)
5. `qa`: terminology checks of bilingual files
6. `translation`: the pipeline, writers and the translation job
7. `distributed`: the Ray backend, which runs translation jobs, mining and the check on a cluster
8. `cli`, `web`: the command line and the local web workbench (parse, call the library, render)

Format registries name their modules as strings and import them when used;
those are data, not imports, and may point anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "glossary"
LAYERS: dict[str, int] = {
    "glossary": 0,
    "errors": 0,
    "document": 0,
    "lang": 1,
    "files": 1,
    "termbase": 2,
    "reading": 3,
    "matching": 3,
    "engines": 3,
    "mining": 4,
    "enforcement": 4,
    "exchange": 4,
    "concordance": 4,
    "documents": 4,
    "qa": 5,
    "translation": 6,
    # Runs the translation job, mining and the check elsewhere: above all three, below the CLI.
    "distributed": 7,
    "cli": 8,
    "web": 8,
    "__main__": 8,
}
MODULES = sorted(p for p in SRC.rglob("*.py"))


def unit(module: str) -> str:
    """The top-level unit of a dotted module name under glossary ("glossary" for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "glossary"


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every glossary import in the file, at any depth."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("glossary")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("glossary"):
                if target == "glossary" or (node.level and not node.module):
                    found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
                else:
                    found.append((node.lineno, target))
    return found


def test_every_unit_has_a_layer() -> None:
    units = {unit(module_name(p)) for p in MODULES}
    assert units <= set(LAYERS), (
        f"give these a layer in tests/test_layers.py: {units - set(LAYERS)}"
    )


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_no_import_runs_up(path: Path) -> None:
    own = unit(module_name(path))
    wrong = [
        f"line {line}: {target} (layer {LAYERS[unit(target)]})"
        for line, target in imports(path)
        if unit(target) in LAYERS and LAYERS[unit(target)] > LAYERS[own]
    ]
    assert not wrong, f"{module_name(path)} (layer {LAYERS[own]}) imports upwards: {wrong}"
