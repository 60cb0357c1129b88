"""Stream attribution rows as CSV, JSON, JSON Lines, Markdown, W3C Web Annotations or XLSX.

Every writer takes an iterable of rows (possibly a generator over a whole archive) and yields
the file in pieces, so memory stays bounded however many rows there are.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any
from urllib.parse import quote

Row = Mapping[str, Any]

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")

# Rows (or other pieces) joined into one chunk: big enough to keep per-chunk overhead low.
_CHUNK_PIECES = 500

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

# XML 1.0 cannot carry these characters, so an XLSX cell cannot either.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MARKDOWN_NEWLINE = re.compile(r"\r\n|\r|\n")

_XLSX_SPOOL_BYTES = 8 * 1024 * 1024
_XLSX_CHUNK_BYTES = 64 * 1024
_XLSX_WIDTHS = {
    "article_title": 40,
    "outlet": 20,
    "published_at": 12,
    "approved_by": 24,
    "approved_at": 21,
    "text": 80,
    "source": 30,
    "source_kind": 14,
    "affiliation": 30,
    "cue": 16,
    "editor": 24,
    "updated_at": 21,
}
_XLSX_DEFAULT_WIDTH = 11


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _chunked(pieces: Iterable[str], size: int = _CHUNK_PIECES) -> Iterator[str]:
    """Join consecutive pieces into chunks of about `size` pieces each."""
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def _dumps(value: Any) -> str:
    """Serialise one value as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False)


def _pick(row: Row, columns: Sequence[str]) -> dict[str, Any]:
    """Return the row's values for the given columns, "" where one is missing."""
    return {column: row.get(column, "") for column in columns}


# CSV


def csv_chunks(rows: Iterable[Row], columns: Sequence[str], *, bom: bool = False) -> Iterator[str]:
    """Yield RFC 4180 CSV (CRLF line ends, header row) with formula-safe text cells."""
    lines = _csv_lines(rows, columns)
    return _chunked(itertools.chain(["\ufeff"], lines) if bom else lines)


def _csv_lines(rows: Iterable[Row], columns: Sequence[str]) -> Iterator[str]:
    """Yield the header line, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    records = ([neutralise(row.get(column, "")) for column in columns] for row in rows)
    for cells in itertools.chain([columns], records):
        writer.writerow(cells)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def to_csv(rows: Iterable[Row], columns: Sequence[str]) -> str:
    """Return RFC 4180 CSV (CRLF line ends) with a header row."""
    return "".join(csv_chunks(rows, columns))


# JSON and JSON Lines


def json_chunks(rows: Iterable[Row], columns: Sequence[str], meta: dict[str, Any]) -> Iterator[str]:
    """Yield one JSON document: the metadata, the column names and the rows."""
    return _chunked(_json_pieces(rows, columns, meta))


def _json_pieces(
    rows: Iterable[Row], columns: Sequence[str], meta: dict[str, Any]
) -> Iterator[str]:
    """Yield the document's opening, each row, then its closing."""
    head = {**meta, "columns": list(columns)}
    head.pop("rows", None)
    # head is never empty, so its JSON ends with "}": reopen it to append the rows.
    yield _dumps(head)[:-1] + ', "rows": ['
    separator = "\n"
    for row in rows:
        yield separator + _dumps(_pick(row, columns))
        separator = ",\n"
    yield "\n]}\n"


def to_json(rows: Iterable[Row], columns: Sequence[str], meta: dict[str, Any]) -> str:
    """Return the article's metadata and its rows as one JSON document."""
    return "".join(json_chunks(rows, columns, meta))


def jsonl_chunks(rows: Iterable[Row], columns: Sequence[str]) -> Iterator[str]:
    """Yield JSON Lines: one object per row."""
    return _chunked(_dumps(_pick(row, columns)) + "\n" for row in rows)


# Markdown


def markdown_chunks(rows: Iterable[Row], columns: Sequence[str]) -> Iterator[str]:
    """Yield a GitHub-flavoured Markdown table with a header and a separator row."""
    return _chunked(_markdown_lines(rows, columns))


def _markdown_lines(rows: Iterable[Row], columns: Sequence[str]) -> Iterator[str]:
    """Yield the header line, the separator line, then one line per row."""
    yield _markdown_line(columns)
    yield _markdown_line(["---"] * len(columns))
    for row in rows:
        yield _markdown_line([_markdown_cell(row.get(column, "")) for column in columns])


def _markdown_line(cells: Sequence[str]) -> str:
    """Join escaped cells into one table line."""
    return "| " + " | ".join(cells) + " |\n"


def _markdown_cell(value: Any) -> str:
    """Escape a value so it stays inside its table cell on one line."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return _MARKDOWN_NEWLINE.sub(" ", text)


# W3C Web Annotation (JSON-LD)


def jsonld_chunks(rows: Iterable[Row], *, base_url: str) -> Iterator[str]:
    """Yield a W3C Web Annotation collection with one annotation per tagged row."""
    base = base_url.rstrip("/")
    # A list can be counted up front for free; a generator cannot without reading it twice.
    total = sum(1 for row in rows if row.get("source")) if isinstance(rows, Sequence) else None
    return _chunked(_jsonld_pieces(rows, base, total))


def _jsonld_pieces(rows: Iterable[Row], base: str, total: int | None) -> Iterator[str]:
    """Yield the collection's opening, each annotation on its first page, then its closing."""
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"{base}/annotations",
        "type": "AnnotationCollection",
        "label": "WhoSaid attributions",
    }
    if total is not None:
        collection["total"] = total
    annotations = (_annotation(row, base) for row in rows if row.get("source"))
    first = next(annotations, None)
    if first is None:
        # The model gives an empty collection no pages.
        yield _dumps(collection) + "\n"
        return
    page_id = f"{base}/annotations?page=0"
    collection["last"] = page_id
    page = {"id": page_id, "type": "AnnotationPage", "startIndex": 0}
    yield _dumps(collection)[:-1] + ', "first": ' + _dumps(page)[:-1] + ', "items": [\n'
    yield _dumps(first)
    for item in annotations:
        yield ",\n" + _dumps(item)
    yield "\n]}}\n"


def _annotation(row: Row, base: str) -> dict[str, Any]:
    """Return the Web Annotation that says who is the source of a sentence."""
    article = f"{base}/articles/{row['article_id']}"
    source_key = row.get("source_id")
    if source_key in ("", None):
        source_key = quote(str(row["source"]), safe="")
    item: dict[str, Any] = {
        "id": f"{article}/sentences/{row['sentence_id']}#source-{source_key}",
        "type": "Annotation",
        "motivation": "tagging",
    }
    if row.get("editor"):
        item["creator"] = {"type": "Person", "name": row["editor"]}
    if row.get("updated_at"):
        # Only the last change is stored, so there is no honest "created" time to give.
        item["modified"] = row["updated_at"]
    item["body"] = _bodies(row)
    item["target"] = {"source": row.get("article_url") or article, "selector": _selectors(row)}
    return item


def _bodies(row: Row) -> list[dict[str, str]]:
    """Return the source as an identifying body, its kind and the cue as further bodies."""
    purposes = (("source", "identifying"), ("source_kind", "classifying"), ("cue", "tagging"))
    return [
        {"type": "TextualBody", "purpose": purpose, "value": str(row[key]), "format": "text/plain"}
        for key, purpose in purposes
        if row.get(key)
    ]


def _selectors(row: Row) -> list[dict[str, Any]]:
    """Return a quote selector and, as an alternative, a position selector for the sentence."""
    quote_selector = {"type": "TextQuoteSelector", "exact": row["text"]}
    for key in ("prefix", "suffix"):
        if row.get(key):
            quote_selector[key] = row[key]
    position = {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]}
    return [quote_selector, position]


# XLSX


def xlsx_stream(
    rows: Iterable[Row], columns: Sequence[str], *, sheet_title: str = "Attributions"
) -> Iterator[bytes]:
    """Yield an XLSX workbook with a frozen bold header and every text cell stored as text."""
    spool = tempfile.SpooledTemporaryFile(max_size=_XLSX_SPOOL_BYTES)
    try:
        _write_workbook(spool, rows, columns, sheet_title)
        spool.seek(0)
        while chunk := spool.read(_XLSX_CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()


def _write_workbook(
    target: IO[bytes], rows: Iterable[Row], columns: Sequence[str], sheet_title: str
) -> None:
    """Write the rows to `target` as a one-sheet workbook, a row at a time."""
    # openpyxl is imported on first use: it costs ~30 MB a server would carry idle otherwise
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    # A write-only sheet takes its layout before its first row.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        width = _XLSX_WIDTHS.get(column, _XLSX_DEFAULT_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    try:
        sheet.append([_header_cell(sheet, column) for column in columns])
        for row in rows:
            sheet.append([_xlsx_value(sheet, row.get(column)) for column in columns])
        workbook.save(target)
    finally:
        _discard_spill(sheet)


def _header_cell(sheet: Any, name: str) -> Any:
    """Return a bold header cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, name)
    cell.font = Font(bold=True)
    return cell


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """Return what to append for one value: nothing when empty, a text cell for a string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _text_cell(sheet, value)
    return value


def _text_cell(sheet: Any, value: str) -> Any:
    """Return a cell that holds `value` as text, never as a formula or an error code."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, neutralise(_XML_ILLEGAL.sub("\ufffd", value)))
    cell.data_type = "s"
    return cell


def _discard_spill(sheet: Any) -> None:
    """Remove the file a write-only sheet spills its rows into, if saving did not."""
    # openpyxl deletes it after a successful save, and otherwise only when the process exits.
    from openpyxl.worksheet import _writer as _openpyxl_writer

    writer = getattr(sheet, "_writer", None)
    if writer is None or writer.out not in _openpyxl_writer.ALL_TEMP_FILES:
        return
    with contextlib.suppress(Exception):  # best effort: the original error matters more
        sheet.close()
    writer.cleanup()
