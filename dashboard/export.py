"""CSV and Excel exports of a filtered list, safe to open in a spreadsheet.

Scraped text is untrusted: a cell that starts with = + - @ (or a tab/CR), also after
leading spaces, could run as a formula in a spreadsheet (CSV injection). In CSV such a cell
gets a leading apostrophe (CSV has no types). In .xlsx every text cell is written as a text
cell with the text number format ('@'), so nothing is evaluated and no apostrophe shows.
Control characters that openpyxl refuses (and that make Excel call the file corrupt) are
dropped.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32_000
"""Excel holds at most 32,767 characters per cell."""


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet could read `value` as a formula (leading blanks ignored)."""
    return value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START)


def clean_cell(value: Any) -> Any:
    """Illegal characters dropped, size capped, aware datetimes naive UTC (Excel has no
    time zones); formulas are left to the writer (see safe_cell and to_xlsx_bytes)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    if not isinstance(value, str):
        return value
    return _ILLEGAL_XML.sub("", value)[:MAX_CELL_CHARS]


def safe_cell(value: Any) -> Any:
    """One cell made safe for CSV or a screen table: `clean_cell`, and an apostrophe before
    anything a spreadsheet could read as a formula."""
    value = clean_cell(value)
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def _cleaned(frame: pd.DataFrame, cell: Any) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC").dt.tz_localize(None)
            continue
        if out[column].dtype == object or str(out[column].dtype).startswith("str"):
            out[column] = out[column].map(cell)
    return out


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell made safe; list cells become joined text."""
    return _cleaned(frame, safe_cell)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel shows é and ë correctly."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "newsroom") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet; every text cell is a text cell.

    openpyxl would store a string starting with '=' as a formula, so text cells get their
    type set explicitly after the value, plus the '@' (text) number format that keeps Excel
    from re-reading them when a user edits the cell.
    """
    cleaned = _cleaned(frame, clean_cell)
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append([str(column) for column in cleaned.columns])
    for row in cleaned.itertuples(index=False):
        worksheet.append([None if _is_missing(value) else value for value in row])
    for cells in worksheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
