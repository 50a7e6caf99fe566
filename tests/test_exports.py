"""The shipped exports/ folder is what `make demo` regenerates from the shipped termbase."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "exports"
NAMES = ["termbase.csv", "termbase.po", "termbase.tbx", "termbase.tbx3.tbx", "termbase.utf8"]


def test_exports_folder_holds_every_format() -> None:
    assert sorted(p.name for p in EXPORTS.iterdir() if not p.name.startswith(".")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_exports_are_not_stale(tmp_path: Path, name: str) -> None:
    """Regenerate with the README's command; the committed file must be byte-identical."""
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--all",
            "--status",
            "approved",
            "--out-dir",
            str(tmp_path),
            "--termbase",
            str(ROOT / "glossary" / "termbase.tsv"),
        ],
    )
    assert result.exit_code == 0, result.output
    fresh = (tmp_path / name).read_bytes()
    assert fresh == (EXPORTS / name).read_bytes(), (
        f"exports/{name} is stale: run 'make demo' (or 'glossary export --all --status approved') "
        "and commit exports/"
    )


# The shipped files themselves, read by independent readers.

V2 = [
    ("dtd-basic", "dtd", ("tbx", "v2", "TBX-Basic", "TBXBasiccoreStructV02.dtd")),
    ("rng-basic", "rng", ("tbx", "v2", "TBX-Basic", "TBXBasicRNGV02.rng")),
    ("schematron", "sch", ("tbx", "derived", "TBXBasicV02_embedded.iso.sch")),
]
V3 = [
    ("rng-core", "rng", ("tbx", "v3", "core", "TBXcoreStructV03.rng")),
    ("schematron-dca", "sch", ("tbx", "derived", "TBX-Basic_DCA.xpath1.sch")),
]


def _check(kind: str, data: bytes, schema: tuple[str, ...]) -> list[str]:
    from exchange_samples import dtd_errors, rng_errors, schematron_errors

    return {"dtd": dtd_errors, "rng": rng_errors, "sch": schematron_errors}[kind](data, *schema)


@pytest.mark.parametrize(("name", "kind", "schema"), V2, ids=[v[0] for v in V2])
def test_shipped_tbx_is_valid(name: str, kind: str, schema: tuple[str, ...]) -> None:
    assert _check(kind, (EXPORTS / "termbase.tbx").read_bytes(), schema) == []


@pytest.mark.parametrize(("name", "kind", "schema"), V3, ids=[v[0] for v in V3])
def test_shipped_tbx3_is_valid(name: str, kind: str, schema: tuple[str, ...]) -> None:
    assert _check(kind, (EXPORTS / "termbase.tbx3.tbx").read_bytes(), schema) == []


def test_shipped_po_passes_msgfmt_and_polib() -> None:
    import polib

    from exchange_samples import msgfmt

    run = msgfmt(EXPORTS / "termbase.po")
    assert run.returncode == 0, run.stderr
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(EXPORTS / "termbase.po"))}
    assert entries["staakt-het-vuren"] == "ceasefire"
    assert entries["Oostelijk Partnerschap"] == "Eastern Partnership"


@pytest.mark.parametrize("name", ["termbase.tbx", "termbase.tbx3.tbx"])
def test_shipped_tbx_imports_back_to_the_approved_termbase(tmp_path: Path, name: str) -> None:
    from glossary.termbase.model import Termbase, serialize_tsv
    from glossary.termbase.store import read_termbase

    target = tmp_path / "tb.tsv"
    result = CliRunner().invoke(main, ["import", str(EXPORTS / name), "--termbase", str(target)])
    assert result.exit_code == 0, result.output
    approved = read_termbase(ROOT / "glossary" / "termbase.tsv").with_status("approved")
    assert target.read_text(encoding="utf-8") == serialize_tsv(Termbase(approved))
