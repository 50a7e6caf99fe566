"""Translation engines by name.

`ENGINES` maps a name to its factory as a "module:function" string; the
module is imported only when the engine is loaded, so listing the names
costs nothing. A factory takes keyword settings and returns an `Engine`
(`glossary.engines.base`); it accepts `beam_size` and `threads` (every
engine does, using what applies) and ignores settings it does not know, so
one call loads any engine.

A new engine is one module with a factory and one entry here.
"""

from __future__ import annotations

import importlib
from typing import cast

from glossary.engines.base import Engine
from glossary.errors import InvalidValue

ENGINES: dict[str, str] = {
    "argos": "glossary.engines.argos.engine:load",
    "none": "glossary.engines.none:load",
}


def load_engine(name: str = "argos", **settings: object) -> Engine:
    """The engine called `name`, made by its factory with `settings`.

    Settings every factory accepts: `beam_size` (default 4) and `threads`
    (default: all cores); "argos" also takes `package` (default: the
    installed nl→en package).
    """
    target = ENGINES.get(name)
    if target is None:
        raise InvalidValue(f"Unknown engine '{name}'. Choose one of: {', '.join(ENGINES)}.")
    module, _, function = target.partition(":")
    factory = getattr(importlib.import_module(module), function)
    return cast(Engine, factory(**settings))
