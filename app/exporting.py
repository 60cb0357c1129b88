"""Write attribution rows as CSV (safe to open in Excel) or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """Return RFC 4180 CSV (CRLF line ends) with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(column, "")) for column in columns])
    return out.getvalue()


def to_json(rows: Iterable[dict[str, Any]], columns: Sequence[str], meta: dict[str, Any]) -> str:
    """Return the article's metadata and its rows as one JSON document."""
    document = {
        **meta,
        "columns": list(columns),
        "rows": [{column: row.get(column, "") for column in columns} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
