"""Suggestions in the desk: shown on untagged rows, accepted one by one or all at once."""

from __future__ import annotations

import json

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


def _chip(html: str, position: int) -> str:
    chip = BeautifulSoup(html, "html.parser").select_one(f"li#s-{position} .chip")
    return chip.get_text(strip=True) if chip else ""


def test_tagging_a_sentence_updates_later_suggestions(
    client: Client, seeded: int, session: Session
) -> None:
    # Sentence 16 reads "The ministry said…": tagging sentence 15 with Moscow's ministry
    # makes that the ministry meant. The answer carries row 15 and tells the desk to fetch
    # the rows after it, where row 16 comes back out of band with the new chip.
    sid = _sid(session, seeded, 15)
    following = f"/articles/{seeded}/sentences/{sid}/following"
    hx = {"HX-Request": "true"}
    before = client.get(following, headers=hx).text
    assert "Russian Ministry of Defence" not in _chip(before, 16)
    response = client.hx_post(f"/articles/{seeded}/sentences/{sid}/tag", {"key": "1"})
    assert json.loads(response.headers["HX-Trigger"])["whosaid:changed"] == {"sid": sid}
    assert [li["id"] for li in BeautifulSoup(response.text, "html.parser").select("li.row")] == [
        "s-15"
    ]
    after = client.get(following, headers=hx).text
    rows = BeautifulSoup(after, "html.parser").select("li.row[hx-swap-oob]")
    assert rows and all(16 <= int(li["id"][2:]) <= 25 for li in rows)
    assert "Russian Ministry of Defence" in _chip(after, 16)


def test_following_rows_leave_out_tagged_ones_and_stop_at_the_page(
    client: Client, seeded: int, session: Session
) -> None:
    sid16 = _sid(session, seeded, 16)
    client.hx_post(f"/articles/{seeded}/sentences/{sid16}/tag", {"key": "0"})
    url = f"/articles/{seeded}/sentences/{_sid(session, seeded, 15)}/following"
    ids = [
        li["id"]
        for li in BeautifulSoup(
            client.get(url, headers={"HX-Request": "true"}).text, "html.parser"
        ).select("li.row")
    ]
    assert ids == ["s-17", "s-18", "s-19", "s-20", "s-21"]  # 16 is tagged; 21 is the last
    plain = client.get(url, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"].endswith("#s-15")


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
