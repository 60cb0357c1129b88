"""Each export writer streams rows that read back unchanged and open safely in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from app.exporting import (
    ANNO_CONTEXT,
    csv_chunks,
    json_chunks,
    jsonl_chunks,
    jsonld_chunks,
    markdown_chunks,
    neutralise,
    to_csv,
    to_json,
    xlsx_stream,
)
from app.table import COLUMNS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
BASE = "https://whosaid.example"
META = {"article": {"id": 3, "title": "Talks resume"}}
NUMBER_COLUMNS = ("article_id", "paragraph", "sentence", "start", "end")
PEAK_LIMIT = 10_000_000  # bytes: a fifth of what 50,000 long rows come to as text


def make_row(number: int = 1, **changes: Any) -> dict[str, Any]:
    """Return one tagged row as the table builds it, with `changes` applied."""
    text = f'Sentence {number}, as "quoted" by officials.'
    start = number * 100
    row: dict[str, Any] = {
        "article_id": 3,
        "article_title": "Talks resume",
        "outlet": "The Paper",
        "published_at": "2022-03-26",
        "status": "approved",
        "approved_by": "chief@example.org",
        "approved_at": "2022-03-27T10:00:00Z",
        "paragraph": number // 3,
        "sentence": number,
        "kind": "body",
        "text": text,
        "start": start,
        "end": start + len(text),
        "source": "Ministry of Defence",
        "source_kind": "government",
        "affiliation": "Russia",
        "cue": "said",
        "mode": "indirect",
        "origin": "manual",
        "editor": "editor@example.org",
        "updated_at": "2022-03-27T09:00:00Z",
        "article_url": "https://news.example/talks",
        "prefix": "before. ",
        "suffix": " After",
        "source_id": 7,
        "sentence_id": 100 + number,
    }
    row.update(changes)
    return row


def untagged(number: int) -> dict[str, Any]:
    """Return a row for a sentence nobody has attributed."""
    empty = dict.fromkeys(COLUMNS[COLUMNS.index("source") :], "")
    return make_row(number, **empty, source_id="")


def counted(total: int, seen: list[int]) -> Iterator[dict[str, Any]]:
    """Yield `total` fresh rows with long sentences, recording in seen[0] how many were read."""
    for number in range(total):
        seen[0] = number + 1
        yield make_row(number, text=f"{number} " + "word " * 80)


def parse_csv(body: str) -> list[dict[str, str]]:
    """Read CSV text back as RFC 4180 records keyed by the header."""
    return list(csv.DictReader(io.StringIO(body, newline="")))


def markdown_cells(line: str) -> list[str]:
    """Split one Markdown table line into unescaped cells."""
    assert line.startswith("| ") and line.endswith(" |")
    cells: list[str] = []
    current: list[str] = []
    characters = iter(line[1:-1])
    for character in characters:
        if character == "\\":
            current.append(next(characters))
        elif character == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(character)
    cells.append("".join(current))
    return [cell[1:-1] for cell in cells]


def load_sheet(rows: Iterable[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Any:
    """Write rows as XLSX and open the sheet again."""
    body = b"".join(xlsx_stream(rows, columns))
    return openpyxl.load_workbook(io.BytesIO(body))["Attributions"]


def jsonld(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Write rows as JSON-LD and parse the document."""
    document: dict[str, Any] = json.loads("".join(jsonld_chunks(rows, base_url=BASE + "/")))
    return document


# neutralise


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-1", "@SUM(A1)", "\t=1", "\r=1", "\0x"])
def test_neutralise_prefixes_formula_starts(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Ministry", "", "'=1", 42, None, -3])
def test_neutralise_leaves_other_values(value: Any) -> None:
    assert neutralise(value) == value


# CSV


def test_csv_round_trips_every_column() -> None:
    rows = [make_row(1), untagged(2), make_row(3, text='Commas, "quotes"\r\nand lines')]
    parsed = parse_csv("".join(csv_chunks(iter(rows), COLUMNS)))
    assert [list(record) for record in parsed] == [list(COLUMNS)] * 3
    assert parsed == [{column: str(row[column]) for column in COLUMNS} for row in rows]


def test_csv_uses_crlf_and_quotes_only_when_needed() -> None:
    body = to_csv([make_row(1, outlet="Plain", text="a, b")], ["outlet", "text", "start"])
    assert body == 'outlet,text,start\r\nPlain,"a, b",100\r\n'


def test_csv_bom_reads_back_with_utf8_sig() -> None:
    body = "".join(csv_chunks([make_row(1, source="Ministère")], COLUMNS, bom=True))
    assert body.startswith("\ufeffarticle_id,")
    decoded = body.encode("utf-8").decode("utf-8-sig")
    assert parse_csv(decoded)[0]["source"] == "Ministère"


def test_csv_has_no_bom_by_default() -> None:
    assert to_csv([make_row()], COLUMNS).startswith("article_id,")


def test_csv_neutralises_formula_cells() -> None:
    body = to_csv([make_row(1, text="=HYPERLINK(1)", source="+44 20", cue="-said")], COLUMNS)
    record = parse_csv(body)[0]
    cells = [record[column] for column in ("text", "source", "cue")]
    assert cells == ["'=HYPERLINK(1)", "'+44 20", "'-said"]


def test_csv_of_no_rows_is_the_header_alone() -> None:
    assert list(csv_chunks([], ["text", "source"])) == ["text,source\r\n"]


def test_csv_yields_chunks_of_hundreds_of_rows() -> None:
    chunks = list(csv_chunks((make_row(n) for n in range(1200)), COLUMNS))
    assert len(chunks) == 3
    assert len(parse_csv("".join(chunks))) == 1200


@settings(max_examples=200)
@given(st.text(), st.text(), st.text())
def test_no_csv_cell_can_start_a_formula(text: str, source: str, cue: str) -> None:
    originals = {"text": text, "source": source, "cue": cue}
    body = to_csv([make_row(1, **originals)], COLUMNS)
    record = parse_csv(body)[0]
    for column, original in originals.items():
        assert not record[column].startswith(FORMULA_START)
        expected = "'" + original if original.startswith(FORMULA_START) else original
        assert record[column] == expected


# JSON and JSON Lines


def test_json_round_trips_meta_columns_and_rows() -> None:
    rows = [make_row(1), untagged(2), make_row(3, text='Ünïcode ✓ "quoted"\n')]
    document = json.loads("".join(json_chunks(iter(rows), COLUMNS, META)))
    assert document["article"] == META["article"]
    assert document["columns"] == list(COLUMNS)
    assert document["rows"] == [{column: row[column] for column in COLUMNS} for row in rows]


def test_json_keeps_non_ascii_unescaped() -> None:
    assert "Ministère" in to_json([make_row(source="Ministère")], ["source"], META)


def test_json_of_no_rows_is_a_valid_document() -> None:
    assert json.loads(to_json([], ["text"], META)) == {**META, "columns": ["text"], "rows": []}


def test_json_rows_come_from_the_rows_not_the_meta() -> None:
    document = json.loads(to_json([make_row()], ["cue"], {"rows": "stale", "columns": "stale"}))
    assert document == {"columns": ["cue"], "rows": [{"cue": "said"}]}


def test_json_gives_missing_columns_as_empty_strings() -> None:
    assert json.loads(to_json([{"text": "x"}], ["text", "source"], {}))["rows"] == [
        {"text": "x", "source": ""}
    ]


def test_jsonl_writes_one_object_per_line() -> None:
    rows = [make_row(1), untagged(2), make_row(3, text="two\nlines")]
    lines = "".join(jsonl_chunks(iter(rows), COLUMNS)).split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == [
        {column: row[column] for column in COLUMNS} for row in rows
    ]


# Markdown


def test_markdown_table_round_trips() -> None:
    rows = [make_row(1), untagged(2)]
    lines = "".join(markdown_chunks(iter(rows), COLUMNS)).splitlines()
    assert markdown_cells(lines[0]) == list(COLUMNS)
    assert markdown_cells(lines[1]) == ["---"] * len(COLUMNS)
    assert [markdown_cells(line) for line in lines[2:]] == [
        [str(row[column]) for column in COLUMNS] for row in rows
    ]


def test_markdown_escapes_pipes_and_backslashes_and_flattens_newlines() -> None:
    body = "".join(markdown_chunks([{"text": "a|b\\c\nd\r\ne\rf", "start": 0}], ["text", "start"]))
    assert body == "| text | start |\n| --- | --- |\n| a\\|b\\\\c d e f | 0 |\n"


@given(st.text())
def test_any_markdown_cell_stays_in_its_column(text: str) -> None:
    body = "".join(markdown_chunks([{"text": text, "cue": "|"}], ["text", "cue"]))
    lines = body.split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    flat = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    assert markdown_cells(lines[2]) == [flat, "|"]


# XLSX


def test_xlsx_round_trips_values() -> None:
    rows = [make_row(1), untagged(2)]
    sheet = load_sheet(iter(rows))
    values = [list(record) for record in sheet.iter_rows(values_only=True)]
    assert values[0] == list(COLUMNS)
    assert values[1] == [make_row(1)[column] for column in COLUMNS]
    blank = untagged(2)
    assert values[2] == [blank[column] if blank[column] != "" else None for column in COLUMNS]


def test_xlsx_freezes_a_bold_header() -> None:
    sheet = load_sheet([make_row()])
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])


def test_xlsx_sets_column_widths() -> None:
    sheet = load_sheet([make_row()])
    widths = {
        column: sheet.column_dimensions[get_column_letter(index)].width
        for index, column in enumerate(COLUMNS, 1)
    }
    assert widths["text"] == 80
    assert all(10 <= width <= 40 for column, width in widths.items() if column != "text")


def test_xlsx_keeps_numbers_numeric_and_text_as_text() -> None:
    sheet = load_sheet([make_row(4)])
    cells = dict(zip(COLUMNS, sheet[2], strict=True))
    for column in NUMBER_COLUMNS:
        assert cells[column].data_type == "n" and isinstance(cells[column].value, int)
    for column in set(COLUMNS) - set(NUMBER_COLUMNS):
        assert cells[column].data_type == "s"


@pytest.mark.parametrize(
    ("value", "stored"),
    [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("@A1", "'@A1"), ("#N/A", "#N/A"), ("=", "'=")],
)
def test_xlsx_stores_formula_lookalikes_as_text(value: str, stored: str) -> None:
    cell = load_sheet([make_row(text=value)], ("text",))["A2"]
    assert (cell.value, cell.data_type) == (stored, "s")


def test_xlsx_replaces_characters_xml_cannot_carry() -> None:
    cell = load_sheet([make_row(text="a\x01b\x1f\ufffe")], ("text",))["A2"]
    assert cell.value == "a\ufffdb\ufffd\ufffd"


def test_xlsx_yields_chunks_of_at_most_64_kib() -> None:
    chunks = list(xlsx_stream((make_row(n) for n in range(3000)), COLUMNS))
    assert len(chunks) > 1
    assert all(len(chunk) <= 64 * 1024 for chunk in chunks)
    assert chunks[0].startswith(b"PK")


def test_xlsx_leaves_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert list(xlsx_stream([make_row()], COLUMNS))
    assert list(tmp_path.iterdir()) == []


def test_xlsx_cleans_up_when_the_rows_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    def failing() -> Iterator[dict[str, Any]]:
        yield make_row()
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="went away"):
        list(xlsx_stream(failing(), COLUMNS))
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=50, deadline=None)
@given(st.text(), st.text(), st.text())
def test_no_xlsx_cell_can_start_a_formula(text: str, source: str, cue: str) -> None:
    originals = {"text": text, "source": source, "cue": cue}
    sheet = load_sheet([make_row(1, **originals)], tuple(originals))
    for cell, original in zip(sheet[2], originals.values(), strict=True):
        if not original:
            assert cell.value is None
            continue
        assert cell.data_type == "s"
        assert not cell.value.startswith(FORMULA_START)
        # the same text (illegal XML characters shown as U+FFFD), or it with one apostrophe
        added = len(cell.value) - len(original)
        assert added == 0 or (added == 1 and cell.value[0] == "'")


# W3C Web Annotation (JSON-LD)


def test_jsonld_is_an_annotation_collection_with_one_embedded_page() -> None:
    document = jsonld([make_row(1), untagged(2), make_row(3)])
    assert document["@context"] == ANNO_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"] == f"{BASE}/annotations"
    assert document["total"] == 2
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    assert document["last"] == page["id"]
    assert [item["type"] for item in page["items"]] == ["Annotation", "Annotation"]


def test_jsonld_annotation_targets_the_sentence() -> None:
    row = make_row(5)
    item = jsonld([row])["first"]["items"][0]
    assert item["id"] == f"{BASE}/articles/3/sentences/105#source-7"
    assert item["motivation"] == "tagging"
    assert item["modified"] == "2022-03-27T09:00:00Z"
    assert item["creator"] == {"type": "Person", "name": "editor@example.org"}
    assert item["target"]["source"] == "https://news.example/talks"
    quote, position = item["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": row["text"],
        "prefix": "before. ",
        "suffix": " After",
    }
    assert position == {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]}
    assert position["end"] - position["start"] == len(quote["exact"])


def test_jsonld_bodies_name_the_source_its_kind_and_the_cue() -> None:
    item = jsonld([make_row()])["first"]["items"][0]
    assert [(body["type"], body["purpose"], body["value"]) for body in item["body"]] == [
        ("TextualBody", "identifying", "Ministry of Defence"),
        ("TextualBody", "classifying", "government"),
        ("TextualBody", "tagging", "said"),
    ]


def test_jsonld_leaves_out_empty_fields() -> None:
    row = make_row(cue="", source_kind="", editor="", prefix="", suffix="", article_url="")
    item = jsonld([row])["first"]["items"][0]
    assert [body["purpose"] for body in item["body"]] == ["identifying"]
    assert "creator" not in item
    assert item["target"]["source"] == f"{BASE}/articles/3"
    assert set(item["target"]["selector"][0]) == {"type", "exact"}


def test_jsonld_gives_each_attribution_its_own_id() -> None:
    rows = [make_row(1), make_row(1, source="Foreign Office", source_id=8)]
    ids = [item["id"] for item in jsonld(rows)["first"]["items"]]
    assert len(set(ids)) == 2


def test_jsonld_skips_untagged_rows() -> None:
    document = jsonld([untagged(1), make_row(2), untagged(3)])
    assert [item["target"]["selector"][0]["exact"] for item in document["first"]["items"]] == [
        make_row(2)["text"]
    ]


def test_jsonld_without_tagged_rows_has_no_pages() -> None:
    document = jsonld([untagged(1)])
    assert document["total"] == 0 and "first" not in document


def test_jsonld_omits_the_total_when_rows_are_a_generator() -> None:
    document = jsonld(make_row(n) for n in range(3))
    assert "total" not in document and len(document["first"]["items"]) == 3


# Streaming


STREAMS = {
    "csv": lambda rows: csv_chunks(rows, COLUMNS),
    "json": lambda rows: json_chunks(rows, COLUMNS, META),
    "jsonl": lambda rows: jsonl_chunks(rows, COLUMNS),
    "markdown": lambda rows: markdown_chunks(rows, COLUMNS),
    "jsonld": lambda rows: jsonld_chunks(rows, base_url=BASE),
}


@pytest.mark.parametrize("name", STREAMS)
def test_writers_start_before_reading_every_row(name: str) -> None:
    seen = [0]
    chunks = STREAMS[name](counted(50_000, seen))
    assert seen == [0]
    next(chunks)
    assert 0 < seen[0] <= 1_000


@pytest.mark.parametrize("name", ["csv", "json", "jsonl"])
def test_writers_stream_50000_rows_in_bounded_memory(name: str) -> None:
    seen = [0]
    tracemalloc.start()
    try:
        characters = sum(len(chunk) for chunk in STREAMS[name](counted(50_000, seen)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == [50_000]
    assert characters > 2 * PEAK_LIMIT
    assert peak < PEAK_LIMIT
