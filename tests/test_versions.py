"""Article versions: tags follow unchanged sentences, edited ones are flagged, removed listed."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Article, ArticleVersion, Attribution, Sentence, Source
from app.versions import align
from tests.conftest import SAMPLE, Client, fresh


def _tags(session: Session, article_id: int) -> dict[int, list[tuple[str, bool]]]:
    rows = fresh(session).execute(
        select(Sentence.position, Source.name, Attribution.needs_review)
        .join(Attribution, Attribution.sentence_id == Sentence.id)
        .join(Source, Source.id == Attribution.source_id)
        .where(Sentence.article_id == article_id)
    )
    out: dict[int, list[tuple[str, bool]]] = {}
    for position, name, flag in rows:
        out.setdefault(position, []).append((name, flag))
    return out


def test_updated_version_carries_tags_flags_edits_and_lists_removals(
    client: Client, seeded: int, session: Session
) -> None:
    base = f"/articles/{seeded}/sentences"
    for position, key in ((7, "1"), (8, "1"), (10, "1"), (13, "0"), (14, "7")):
        client.hx_post(f"{base}/{position}/tag", {"key": key})
    original = SAMPLE.read_text("utf-8")
    edited = original.replace(
        "The ministry said the events had occurred on Thursday and Friday.",
        "The ministry said the events had occurred on Thursday night.",
    )
    edited = edited.replace(
        "He also sent about 2,000 peacekeeping troops to the area, "
        "demonstrating Russia’s role as a potent arbiter in the Caucasus "
        "region, which has been plagued by conflicts and volatility.",
        "",
    )
    page = client.form_post(f"/articles/{seeded}/versions", {"text": edited})
    assert page.status_code == 200, page.text
    summary = BeautifulSoup(page.text, "html.parser").select_one(".notice").get_text(" ")
    assert "Version 2 stored" in summary and "needs review" in summary
    tags = _tags(session, seeded)
    assert tags[7] == [("Russian Ministry of Defence", False)]
    assert tags[8] == [("Russian Ministry of Defence", False)]
    assert tags[10] == [("Russian Ministry of Defence", True)]  # edited: kept, flagged
    assert tags[13] == [("Foreign policy experts", False)]  # moved up: sentence 13 was removed
    article = fresh(session).get(Article, seeded)
    assert article is not None and article.text == edited and article.version_number == 2
    version = fresh(session).scalars(select(ArticleVersion)).one()
    assert version.number == 1 and version.text == original
    assert "Removed" in summary and "He also sent about 2,000" in summary
    compare = client.get(f"/articles/{seeded}/versions/1/compare")
    rows = BeautifulSoup(compare.text, "html.parser").select("table.compare tbody tr")
    states = [r["class"][0] for r in rows]
    assert states.count("cmp-changed") == 1 and states.count("cmp-removed") == 1
    desk = client.get(f"/articles/{seeded}")
    assert (
        "needs review" in BeautifulSoup(desk.text, "html.parser").select_one("li#s-10").get_text()
    )


def test_a_removed_tagged_sentence_is_listed(client: Client, seeded: int) -> None:
    client.hx_post(f"/articles/{seeded}/sentences/12/tag", {"key": "0"})
    text = SAMPLE.read_text("utf-8").replace(
        "Russia did not take sides in that fight, but President Vladimir V. Putin of Russia "
        "brokered an agreement to end the conflict.",
        "",
    )
    page = client.form_post(f"/articles/{seeded}/versions", {"text": text})
    removed = BeautifulSoup(page.text, "html.parser").select("ul.removed li")
    assert len(removed) == 1 and "Reporter's own voice" in removed[0].get_text()


def test_same_text_again_is_refused(client: Client, seeded: int) -> None:
    page = client.form_post(f"/articles/{seeded}/versions", {"text": SAMPLE.read_text("utf-8")})
    assert page.status_code == 422 and "same as the current version" in page.text


def test_align_prefers_exact_then_near_matches() -> None:
    old = ["a b c d", "the ministry said x happened today", "gone"]
    new = ["a b c d", "the ministry said y happened today", "new one"]
    assert align(old, new) == {0: (0, True), 1: (1, False)}
