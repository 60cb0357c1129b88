"""Across articles: the library, the cross-article table, source pages, merge, balance."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Attribution, Event, Source
from tests.conftest import Client, fresh


def _import(client: Client, text: str, **fields: str) -> int:
    response = client.form_post("/articles", {"text": text, **fields})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _tag(client: Client, article_id: int, position: int, key: str) -> None:
    soup = BeautifulSoup(client.get(f"/articles/{article_id}").text, "html.parser")
    sid = soup.select_one(f"li#s-{position}")["data-sid"]
    assert (
        client.hx_post(f"/articles/{article_id}/sentences/{sid}/tag", {"key": key}).status_code
        == 200
    )


def _library_titles(client: Client, query: str = "") -> list[str]:
    soup = BeautifulSoup(client.get("/" + query).text, "html.parser")
    return [a.get_text() for a in soup.select("table.library td:first-child a")]


def test_library_search_filters_and_progress(client: Client, seeded: int) -> None:
    other = _import(
        client,
        "Flood waters rose in Dhaka, officials said.\n\nRescue teams arrived.",
        title="Dhaka floods",
        outlet="Wire",
        published_at="2024-07-02",
    )
    _tag(client, other, 1, "0")
    assert set(_library_titles(client)) == {
        "Dhaka floods",
        "With Russia Distracted, Azerbaijan Moves Troops Into Disputed Region",
    }
    assert _library_titles(client, "?q=dhaka") == ["Dhaka floods"]
    assert _library_titles(client, "?q=peacekeepers") != ["Dhaka floods"]
    assert _library_titles(client, '?q="unbalanced OR quote*') == []  # search syntax is inert
    assert _library_titles(client, "?q=%00dhaka") == ["Dhaka floods"]  # NUL cannot break FTS5
    assert _library_titles(client, "?outlet=Wire") == ["Dhaka floods"]
    assert _library_titles(client, "?date_from=2024-01-01") == ["Dhaka floods"]
    assert _library_titles(client, "?status=approved") == []
    soup = BeautifulSoup(client.get("/?q=dhaka").text, "html.parser")
    assert "1 / 2" in soup.select_one("td.progress-cell").get_text(" ", strip=True)
    assert client.get("/?date_from=yesterday").status_code == 422


def test_library_source_filter_includes_affiliates(
    client: Client, seeded: int, session: Session
) -> None:
    client.form_post(
        "/sources",
        {
            "name": "Jalina Porter",
            "kind": "official",
            "affiliation_id": str(
                fresh(session).scalar(select(Source.id).where(Source.name == "US State Department"))
            ),
        },
    )
    porter = fresh(session).scalar(select(Source.id).where(Source.name == "Jalina Porter"))
    state = fresh(session).scalar(select(Source.id).where(Source.name == "US State Department"))
    client.hx_post(f"/articles/{seeded}/sentences/20/tag", {"source_id": str(porter)})
    assert len(_library_titles(client, f"?source={state}")) == 1
    claims = BeautifulSoup(client.get(f"/claims?source={state}").text, "html.parser")
    assert "Jalina Porter" in claims.select_one("table.attributions tbody").get_text()


def test_claims_table_filters_sorts_and_pages(client: Client, seeded: int) -> None:
    for position in (7, 8, 9, 10):
        _tag(client, seeded, position, "1")
    _tag(client, seeded, 15, "2")
    soup = BeautifulSoup(client.get("/claims?sort=sentence&order=asc").text, "html.parser")
    rows = soup.select("table.attributions tbody tr")
    assert [r.select("td")[2].get_text(strip=True) for r in rows] == ["7", "8", "9", "10", "15"]
    assert rows[0].select_one("a")["href"] == f"/articles/{seeded}?at=7#s-7"
    kinds = BeautifulSoup(client.get("/claims?kind=military").text, "html.parser")
    assert "No attribution matches" in kinds.get_text()
    assert client.get("/claims?sort=password").status_code == 422
    assert client.get("/claims?kind=<script>").status_code == 422
    assert "&lt;script&gt;" in client.get("/claims?kind=<script>").text


def test_source_page_lists_claims_newest_first(
    client: Client, seeded: int, session: Session
) -> None:
    _tag(client, seeded, 7, "1")
    moscow = fresh(session).scalar(select(Source.id).where(Source.name.like("Russian%")))
    page = BeautifulSoup(client.get(f"/sources/{moscow}").text, "html.parser")
    assert "1 claim" in page.get_text()
    assert "As the grinding war" in page.select_one("ol.claims").get_text()


def test_merge_moves_attributions_joins_aliases_and_is_logged(
    client: Client,
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    _tag(client, seeded, 7, "1")
    _tag(client, seeded, 8, "7")
    experts = fresh(session).scalar(
        select(Source.id).where(Source.name == "Foreign policy experts")
    )
    moscow = fresh(session).scalar(select(Source.id).where(Source.name.like("Russian%")))
    reviewer = client_as("reviewer")
    assert client.get(f"/sources/{experts}/merge?into={moscow}").status_code == 403
    preview = reviewer.get(f"/sources/{experts}/merge?into={moscow}")
    assert "1 attribution move" in preview.text
    assert reviewer.form_post(f"/sources/{experts}/merge", {"into": str(moscow)}).status_code == 303
    assert fresh(session).get(Source, experts) is None
    merged = fresh(session).get(Source, moscow)
    assert merged is not None and "Foreign policy experts" in merged.aliases
    assert (
        fresh(session).scalar(
            select(func.count(Attribution.id)).where(Attribution.source_id == moscow)
        )
        == 2
    )
    assert fresh(session).scalar(select(Event.action).order_by(Event.id.desc())) == "source.merge"


def test_balance_counts_sentences_and_words_with_the_reporter(client: Client, seeded: int) -> None:
    _tag(client, seeded, 7, "1")
    _tag(client, seeded, 8, "1")
    _tag(client, seeded, 11, "0")
    page = BeautifulSoup(client.get(f"/articles/{seeded}/balance").text, "html.parser")
    table = {
        r.select("td")[0].get_text(strip=True): [td.get_text() for td in r.select("td")[1:]]
        for r in page.select("table.balance-table tbody tr")
    }
    assert table["Russian Ministry of Defence"][:2] == ["government", "2"]
    assert table["Reporter's own voice"][1] == "1"
    assert table["untagged"][1] == "18"
    rows = client.get(f"/articles/{seeded}/export.json").json()["rows"]
    words = sum(len(r["text"].split()) for r in rows if r["sentence"] in (7, 8))
    assert int(table["Russian Ministry of Defence"][2]) == words
    svg = page.select("figure.chart svg")
    assert svg and svg[0].select("rect")
    cross = client.get("/balance?from=2022-01-01")
    assert cross.status_code == 200 and "Claims per month" in cross.text
