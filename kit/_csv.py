"""The one way the kit writes CSV: every text cell is made safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (OWASP "CSV injection"), so such a cell gets
a leading apostrophe, which spreadsheets show as plain text. A lone carriage return inside a
cell is turned into a line feed, because some readers take it for the end of a row.

Every CSV the kit writes goes through :func:`write_csv` (rows of dicts, for ``kit export``) or
:func:`frame_csv_bytes` (pandas tables, for the group CSVs). Only :mod:`csv` is imported here;
pandas is imported when a table is written.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["FORMULA_STARTS", "safe_cell", "write_csv", "csv_text", "frame_csv_bytes"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` made safe for a spreadsheet; anything but text is returned unchanged.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2 since March"), safe_cell(-2)
    ('\\'=HYPERLINK("http://x")', "'-2 since March", -2)
    >>> safe_cell("line one\\rline two")
    'line one\\nline two'
    """
    if not isinstance(value, str):
        return value
    if value[:1] in FORMULA_STARTS:
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _rows(header: list[str], rows: Iterable[Mapping]) -> Iterable[dict]:
    for row in rows:
        yield {key: safe_cell(row.get(key)) for key in header}


def csv_text(header: list[str], rows: Iterable[Mapping]) -> str:
    """CSV text with ``header`` and one line per row (keys not in ``header`` are left out)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[safe_cell(h) for h in header], lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(header, rows):
        writer.writerow({safe_cell(k): v for k, v in row.items()})
    return buf.getvalue()


def write_csv(path: str | os.PathLike, header: list[str], rows: Iterable[Mapping]) -> Path:
    """Write rows of dicts to ``path`` as UTF-8 CSV, every text cell made safe; returns the path."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(csv_text(header, rows))
    return path


def frame_csv_bytes(frame, *, float_format: str | None = "%.2f") -> bytes:
    """A pandas table as UTF-8 CSV bytes, every text cell (and column name) made safe."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out.to_csv(index=False, float_format=float_format).encode("utf-8")
