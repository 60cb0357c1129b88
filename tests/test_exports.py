"""The attribution table and its CSV/JSON downloads carry the same rows."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from app.exporting import neutralise, to_csv
from app.table import COLUMNS
from tests.conftest import Client


def _tag(client: Client, article_id: int, position: int, key: str, add: bool = False) -> None:
    desk = BeautifulSoup(client.get(f"/articles/{article_id}").text, "html.parser")
    sid = desk.select_one(f"li#s-{position}")["data-sid"]
    data = {"key": key, **({"add": "1"} if add else {})}
    assert client.hx_post(f"/articles/{article_id}/sentences/{sid}/tag", data).status_code == 200


def test_csv_has_one_row_per_sentence_or_attribution(client: Client, seeded: int) -> None:
    _tag(client, seeded, 7, "1")
    _tag(client, seeded, 20, "3")
    _tag(client, seeded, 20, "4", add=True)
    _tag(client, seeded, 11, "0")
    response = client.get(f"/articles/{seeded}/export.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "\r\n" in response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 22
    by_number: dict[str, list[str]] = {}
    for row in rows:
        by_number.setdefault(row["sentence"], []).append(row["source"])
    assert by_number["7"] == ["Russian Ministry of Defence"]
    assert sorted(by_number["20"]) == [
        "Azerbaijani Ministry of Foreign Affairs",
        "US State Department",
    ]
    assert by_number["11"] == ["Reporter's own voice"]
    assert by_number["1"] == [""]
    seventh = next(r for r in rows if r["sentence"] == "7")
    text = client.get(f"/articles/{seeded}/export.json").json()
    assert seventh["text"].startswith("As the grinding war")
    assert seventh["source_kind"] == "government" and seventh["editor"] == "editor@example.org"
    assert int(seventh["end"]) - int(seventh["start"]) == len(seventh["text"])
    assert text["article"]["outlet"] == "The New York Times"


def test_json_rows_match_the_csv_rows(client: Client, seeded: int) -> None:
    _tag(client, seeded, 8, "1")
    from_csv = list(csv.DictReader(io.StringIO(client.get(f"/articles/{seeded}/export.csv").text)))
    from_json = client.get(f"/articles/{seeded}/export.json").json()["rows"]
    assert [r["text"] for r in from_csv] == [r["text"] for r in from_json]
    assert [r["source"] for r in from_csv] == [r["source"] for r in from_json]


def test_csv_bom_variant_for_excel(client: Client, seeded: int) -> None:
    assert client.get(f"/articles/{seeded}/export.csv?bom=1").content.startswith(b"\xef\xbb\xbf")
    assert not client.get(f"/articles/{seeded}/export.csv").content.startswith(b"\xef\xbb\xbf")


def test_table_page_shows_the_same_rows(client: Client, seeded: int) -> None:
    _tag(client, seeded, 7, "1")
    soup = BeautifulSoup(client.get(f"/articles/{seeded}/table").text, "html.parser")
    rows = soup.select("table.attributions tbody tr")
    assert len(rows) == 21
    assert "Russian Ministry of Defence" in rows[6].get_text()
    assert rows[6].select_one("a")["href"] == f"/articles/{seeded}?at=7#s-7"


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "@SUM(A1)", "+1", "-1", "\t=1", "\r=1"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@given(st.text(max_size=50))
def test_no_csv_cell_can_start_a_formula(text: str) -> None:
    body = to_csv([{"text": text, "source": text, "start": 0}], ["text", "source", "start"])
    for row in list(csv.reader(io.StringIO(body, newline="")))[1:]:
        for cell in row[:2]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\0"))
            assert cell.removeprefix("'") == text or cell == text
