"""Rendering helpers of the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from glossary.cli.common import dump_json, render_table


@pytest.mark.parametrize(
    "data",
    [
        [],
        [{}],
        [{"a": []}],
        [{"a": {"nested": 1}}],
        [{"x": 1.5}],
        {"a": 1},
        [{"nl": 'Armenië "quoted"\n\u2028\x00', "flags": [True, None], "n": 3}],
        [{"id": "a", "variants": ["b", "c"]}, {"id": "d", "variants": []}],
    ],
    ids=["empty", "empty-record", "empty-list", "nested", "float", "dict", "escapes", "records"],
)
def test_dump_json_equals_json_dumps(data: Any) -> None:
    assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_render_table_aligns_and_cuts() -> None:
    text = render_table(["ID", "NL"], [["a", "x" * 60], ["bb", "y"]], max_width=10)
    lines = text.splitlines()
    assert lines[0] == "ID  NL"
    assert lines[2] == "a   xxxxxxxxx…"
    assert lines[3] == "bb  y"
