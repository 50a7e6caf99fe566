"""Excel workbooks (.xlsx): a glossary table read with openpyxl.

Terminologists keep glossaries in Excel: a sheet with a header row
("Nederlands", "Engels", "Definitie"...) or just two columns. The first
sheet that holds data is read, row by row, with openpyxl in read-only mode
(it streams the sheet, so memory stays flat on large workbooks), values
rather than formulas. The rows then go through the same header
recognition, column mapping and language checks as CSV files
(`glossary.exchange.tabular.rows_to_concepts`); other sheets with data are
counted in the report, never silently left out.

An .xlsx file is a ZIP archive: one whose parts would unpack to far more
than the file itself (a "ZIP bomb") is refused before openpyxl opens it.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from typing import Final

from glossary.errors import Problem, UnreadableFile
from glossary.exchange.registry import ImportOptions, ReadResult
from glossary.exchange.tabular import rows_to_concepts

# Refuse archives that unpack to more than this many times their size (plus a margin).
MAX_RATIO: Final = 100
MARGIN: Final = 64 * 1024 * 1024


def _refuse(path: str, message: str, hint: str) -> UnreadableFile:
    return UnreadableFile(f"{path} was not read.", [Problem(path, None, message, hint=hint)])


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_termbase(data: bytes, path: str, options: ImportOptions | None = None) -> ReadResult:
    """Concepts from the first sheet with data of an Excel workbook."""
    options = options or ImportOptions()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise _refuse(
            path,
            "not an Excel workbook (.xlsx is a ZIP archive; this is not one)",
            "save it from Excel as 'Excel Workbook (*.xlsx)', or as CSV",
        ) from None
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_RATIO * len(data) + MARGIN:
            raise _refuse(
                path,
                f"the workbook would unpack to {unpacked / 1024 / 1024:.0f} MB from "
                f"{len(data) / 1024 / 1024:.1f} MB (a ZIP bomb?)",
                "save the glossary again from Excel, or as CSV",
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise _refuse(
                path,
                "a ZIP archive without an Excel workbook in it (a .docx or .ods file?)",
                "save it from the spreadsheet program as .xlsx or as CSV",
            )
    return _read_workbook(data, path, options)


def _broken_workbook() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged or hostile workbook: its own errors, a
    damaged deflate stream (zlib.error, EOFError), XML that does not parse
    (lxml's and ElementTree's errors, an unknown encoding: LookupError), and
    values of the wrong type in the XML (TypeError, ValueError). Found by the
    fuzzer of issue 20."""
    import xml.etree.ElementTree
    import zlib

    from lxml import etree
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        InvalidFileException,
        KeyError,
        LookupError,
        ValueError,
        TypeError,
        OSError,
        EOFError,
        NotImplementedError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
        xml.etree.ElementTree.ParseError,
    )


def _read_workbook(data: bytes, path: str, options: ImportOptions) -> ReadResult:
    import warnings

    broken = _broken_workbook()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns on odd parts; the errors say enough
        try:
            rows, sheet_name, other_sheets = _read_sheets(data)
        except broken as exc:
            raise _refuse(
                path,
                f"Excel workbook that cannot be read ({type(exc).__name__}: {exc})"[:300],
                "open and save it again in Excel, or save it as CSV",
            ) from None
    result = rows_to_concepts(rows, f"{path} [{sheet_name}]" if sheet_name else path, options)
    dropped = (*result.dropped, *(("other sheets", name, n) for name, n in other_sheets))
    return dataclasses.replace(result, dropped=dropped)


def _read_sheets(
    data: bytes,
) -> tuple[list[tuple[int, list[str]]], str, list[tuple[str, int]]]:
    """(rows of the first sheet with data, its name, (name, rows) of the others)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows: list[tuple[int, list[str]]] = []
        sheet_name = ""
        other_sheets: list[tuple[str, int]] = []
        for sheet in workbook.worksheets:
            # The sheet's declared size ("A1:XFD1048576") is not trusted: rows are
            # read as stored, not padded out to it.
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            sheet_rows = [
                (number, [_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(v is not None and str(v).strip() for v in values)
            ]
            if not sheet_rows:
                continue
            if not sheet_name:
                sheet_name, rows = sheet.title, sheet_rows
            else:
                other_sheets.append((sheet.title, len(sheet_rows)))
    finally:
        workbook.close()
    return rows, sheet_name, other_sheets
