"""CSV and Excel exports of a filtered list, safe to open in a spreadsheet.

Scraped text is untrusted: a cell that starts with = + - @ (or a tab/CR) could run as a
formula in Excel (CSV injection), so it gets a leading apostrophe; control characters that
openpyxl refuses (and that make Excel call the file corrupt) are dropped.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32_000
"""Excel holds at most 32,767 characters per cell."""


def safe_cell(value: Any) -> Any:
    """One cell made safe for a spreadsheet: no formula, no illegal characters, capped size.

    Aware datetimes become naive UTC (Excel has no time zones).
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XML.sub("", value)[:MAX_CELL_CHARS]
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell made safe; list cells become joined text."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC").dt.tz_localize(None)
            continue
        if out[column].dtype == object or str(out[column].dtype).startswith("str"):
            out[column] = out[column].map(
                lambda v: safe_cell(", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
            )
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel shows é and ë correctly."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "newsroom") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
