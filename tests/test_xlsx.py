"""Excel workbooks: read with openpyxl; broken and hostile archives refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from glossary.errors import UnreadableFile
from glossary.exchange import xlsx

DATA = ROOT / "tests" / "data" / "termbases"


def test_a_csv_named_xlsx_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not an Excel workbook"):
        xlsx.read_termbase(b"vrede,peace\n", "g.xlsx")


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnreadableFile, match="without an Excel workbook"):
        xlsx.read_termbase(buffer.getvalue(), "g.xlsx")


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MARGIN", 0)
    data = (DATA / "made-nederlands-engels.xlsx").read_bytes()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info, source.read(info.filename))
        bomb.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="ZIP bomb"):
        xlsx.read_termbase(buffer.getvalue(), "bomb.xlsx")
    assert xlsx.read_termbase(data, "ok.xlsx").concepts  # the same workbook without padding


def test_a_truncated_workbook_is_refused(tmp_path: Path) -> None:
    data = (DATA / "made-nederlands-engels.xlsx").read_bytes()
    with pytest.raises(UnreadableFile, match="xlsx"):
        xlsx.read_termbase(data[: len(data) // 2], "cut.xlsx")


def test_a_declared_sheet_size_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet claiming A1:XFD1048576 would make openpyxl pad every row to
    16,384 cells; rows are read as stored."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Nederlands", "Engels"])
    workbook.active.append(["vrede", "peace"])
    plain = io.BytesIO()
    workbook.save(plain)
    hostile = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')
                assert b"XFD1048576" in data
            target.writestr(info, data)
    widths: list[int] = []
    real = xlsx.rows_to_concepts

    def spy(rows, path, options):  # type: ignore[no-untyped-def]
        widths.extend(len(cells) for _, cells in rows)
        return real(rows, path, options)

    monkeypatch.setattr(xlsx, "rows_to_concepts", spy)
    result = xlsx.read_termbase(hostile.getvalue(), "hostile.xlsx")
    assert [(c.nl, c.en) for c in result.concepts] == [("vrede", "peace")]
    assert max(widths) == 2
