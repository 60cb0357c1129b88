"""A very long article (TESTPLAN G2): 30,000 sentences import, open page by page, take a
tag in the middle and export whole. How long each step takes is measured by
bench/large.py, not asserted here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.main import create_app
from app.models import Sentence
from tests.conftest import EDITOR, Client, add_accounts, fresh

SENTENCES = 30_000
LINES = (
    "The ministry said the strikes had hit two depots near the border on Friday.",
    "“We will not accept this,” said Maria Lopez, a spokeswoman for the agency.",
    "Officials, who spoke on condition of anonymity, said talks would resume.",
)


@pytest.fixture
def big_client(settings: Settings) -> Iterator[Client]:
    app = create_app(settings.model_copy(update={"max_upload_bytes": 8 * 1024 * 1024}))
    add_accounts(app.state.db)
    try:
        with Client(app) as client:
            client.login(EDITOR)
            yield client
    finally:
        app.state.db.dispose()


def test_a_30000_sentence_article_is_usable_page_by_page(
    big_client: Client, session: Session
) -> None:
    paragraphs = [" ".join(LINES) for _ in range(SENTENCES // len(LINES))]
    text = "\n\n".join(paragraphs)
    created = big_client.form_post("/articles", {"text": text, "title": "Very long"})
    assert created.status_code == 303, created.text[:300]
    desk = created.headers["location"]
    article_id = int(re.search(r"/articles/(\d+)", desk)[1])  # type: ignore[index]
    count = fresh(session).scalar(
        select(func.count(Sentence.id)).where(Sentence.article_id == article_id)
    )
    assert count == SENTENCES
    first = BeautifulSoup(big_client.get(desk).text, "html.parser")
    assert len(first.select("#sentences > li.row")) == 1000  # paged, not a 30,000-row DOM
    pager = first.select_one(".pager")
    assert pager.select_one("strong").get_text() == "1" and len(pager.select("a")) == 29
    middle = BeautifulSoup(big_client.get(f"/articles/{article_id}?at=14501").text, "html.parser")
    row = middle.select_one("li#s-14501")
    assert row is not None and "Maria Lopez" in row.select_one(".chip").get_text()
    tagged = big_client.hx_post(
        f"/articles/{article_id}/sentences/{row['data-sid']}/tag", {"key": "0"}
    )
    assert tagged.status_code == 200 and "Reporter" in tagged.text
    following = big_client.get(
        f"/articles/{article_id}/sentences/{row['data-sid']}/following",
        headers={"HX-Request": "true"},
    )
    assert following.status_code == 200 and 'id="s-14502"' in following.text
    exported = big_client.get(f"/articles/{article_id}/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == SENTENCES
    assert rows[14500]["source"] == "Reporter's own voice"
