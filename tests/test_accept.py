"""Suggestions in the desk: shown on untagged rows, accepted one by one or all at once."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Attribution, Event, Sentence, Source
from tests.conftest import Client, fresh


def _sid(session: Session, article_id: int, position: int) -> int:
    return int(
        fresh(session).scalar(
            select(Sentence.id).where(
                Sentence.article_id == article_id, Sentence.position == position
            )
        )
    )


def _tags(session: Session, sentence_id: int) -> list[tuple[str, str, str]]:
    rows = fresh(session).execute(
        select(Source.name, Attribution.origin, Attribution.cue)
        .join(Attribution, Attribution.source_id == Source.id)
        .where(Attribution.sentence_id == sentence_id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_untagged_rows_show_a_dashed_suggestion(client: Client, seeded: int) -> None:
    soup = BeautifulSoup(client.get(f"/articles/{seeded}").text, "html.parser")
    chip = soup.select_one("li#s-8 .chip.suggestion")
    assert chip is not None and chip.get_text(strip=True) == "Russian Ministry of Defence"
    assert "said" in chip["title"]
    assert "Enter" in soup.select_one("li#s-8 .reason").get_text()
    assert soup.select_one("li#s-2 .chip.suggestion").get_text(strip=True) == "Reporter's own voice"


def test_enter_accepts_with_origin_suggested_and_the_cue(
    client: Client, seeded: int, session: Session
) -> None:
    sid = _sid(session, seeded, 8)
    response = client.hx_post(f"/articles/{seeded}/sentences/{sid}/accept")
    assert response.status_code == 200
    assert _tags(session, sid) == [("Russian Ministry of Defence", "suggested", "said")]
    action = fresh(session).scalars(select(Event.action).order_by(Event.id.desc())).first()
    assert action == "suggestion.accept"


def test_accepting_a_proposed_source_creates_it(
    client: Client, seeded: int, session: Session
) -> None:
    client.form_post(
        "/articles",
        {
            "text": "Officials said the dam held.\n\nMaria Diaz, an "
            "engineer at Acme Dams, disagreed.",
            "title": "Dam",
        },
    )
    article_id = int(fresh(session).scalar(select(func.max(Sentence.article_id))))
    sid = _sid(session, article_id, 2)
    assert client.hx_post(f"/articles/{article_id}/sentences/{sid}/accept").status_code == 200
    assert _tags(session, sid) == [("Maria Diaz", "suggested", "disagreed")]
    created = fresh(session).scalars(select(Source).where(Source.name == "Maria Diaz")).one()
    assert created.kind == "person" and created.hotkey == 8


def test_tagging_a_sentence_updates_later_suggestions(
    client: Client, seeded: int, session: Session
) -> None:
    # Sentence 16 reads "The ministry said…": tagging sentence 15 with Moscow's ministry
    # makes that the ministry meant, so row 16 comes back out of band with a new chip.
    sid = _sid(session, seeded, 15)
    response = client.hx_post(f"/articles/{seeded}/sentences/{sid}/tag", {"key": "1"})
    soup = BeautifulSoup(response.text, "html.parser")
    later = soup.select("li.row[hx-swap-oob]")
    assert any(li["id"] == "s-16" for li in later)
    assert "Russian Ministry of Defence" in soup.select_one("li#s-16[hx-swap-oob] .chip").get_text()


def test_accept_all_is_one_undoable_step(client: Client, seeded: int, session: Session) -> None:
    response = client.hx_post(f"/articles/{seeded}/accept-all")
    assert response.status_code == 200
    assert '"whosaid:accepted"' in response.headers["hx-trigger"]
    tagged = fresh(session).scalar(select(func.count(func.distinct(Attribution.sentence_id))))
    assert tagged >= 18
    batches = (
        fresh(session)
        .scalars(
            select(func.count(func.distinct(Event.batch))).where(
                Event.action == "suggestion.accept"
            )
        )
        .one()
    )
    assert batches == 1
    client.hx_post(f"/articles/{seeded}/undo")
    assert fresh(session).scalar(select(func.count(Attribution.id))) == 0


def test_accept_without_htmx_redirects(client: Client, seeded: int, session: Session) -> None:
    sid = _sid(session, seeded, 9)
    response = client.form_post(f"/articles/{seeded}/sentences/{sid}/accept")
    assert response.status_code == 303
    assert _tags(session, sid)[0][0] == "Russian Ministry of Defence"
