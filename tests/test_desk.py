"""The desk over HTTP: full page, htmx fragments (Vary: HX-Request) and stored rows."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Attribution, Event, Sentence, Source
from tests.conftest import EDITOR, Client, fresh


def _sentence(session: Session, article_id: int, position: int) -> Sentence:
    fresh(session)
    return session.scalars(
        select(Sentence).where(Sentence.article_id == article_id, Sentence.position == position)
    ).one()


def _sources_of(session: Session, sentence_id: int) -> list[str]:
    fresh(session)
    return list(
        session.scalars(
            select(Source.name)
            .join(Attribution, Attribution.source_id == Source.id)
            .where(Attribution.sentence_id == sentence_id)
            .order_by(Source.name)
        )
    )


def test_desk_page_shows_every_sentence_in_order_with_paragraph_breaks(
    client: Client, seeded: int
) -> None:
    page = client.get(f"/articles/{seeded}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    rows = soup.select("#sentences > li.row")
    assert len(rows) == 21
    assert [r["id"] for r in rows[:3]] == ["s-1", "s-2", "s-3"]
    assert rows[5].select_one(".text").get_text() == "Credit...Ivor Prickett for The New York Times"
    assert len(soup.select("#sentences > li.para-break")) == 13
    assert "0 of 21" in soup.select_one("#tally").get_text(" ", strip=True)


def test_desk_panel_lists_sources_with_hotkeys(client: Client, seeded: int) -> None:
    soup = BeautifulSoup(client.get(f"/articles/{seeded}").text, "html.parser")
    entries = [b.get_text(" ", strip=True) for b in soup.select("#panel .source-btn")]
    assert entries[0].startswith("0 Reporter's own voice")
    assert any(e.startswith("1 Russian Ministry of Defence") for e in entries)


def test_tag_by_hotkey_returns_row_and_out_of_band_tally(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 7)
    response = client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/tag", {"key": "1"})
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    soup = BeautifulSoup(response.text, "html.parser")
    row = soup.select_one("li#s-7")
    assert row is not None and "hx-swap-oob" not in row.attrs
    assert row.select_one(".chip").get_text(strip=True) == "Russian Ministry of Defence"
    assert soup.select_one("#tally")["hx-swap-oob"] == "true"
    assert "1 of 21" in soup.select_one("#tally").get_text(" ", strip=True)
    assert _sources_of(session, sentence.id) == ["Russian Ministry of Defence"]
    stored = (
        fresh(session)
        .scalars(select(Attribution).where(Attribution.sentence_id == sentence.id))
        .one()
    )
    assert (stored.origin, stored.editor) == ("manual", EDITOR)


def test_tag_without_htmx_redirects_to_the_sentence(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 8)
    response = client.form_post(f"/articles/{seeded}/sentences/{sentence.id}/tag", {"key": "1"})
    assert response.status_code == 303
    assert response.headers["location"].endswith("#s-8")
    assert _sources_of(session, sentence.id) == ["Russian Ministry of Defence"]


def test_zero_sets_reporters_own_voice_distinct_from_untagged(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 11)
    client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/tag", {"key": "0"})
    assert _sources_of(session, sentence.id) == ["Reporter's own voice"]
    client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/clear")
    assert _sources_of(session, sentence.id) == []


def test_new_key_replaces_and_shift_adds_a_second_source(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 20)
    url = f"/articles/{seeded}/sentences/{sentence.id}/tag"
    client.hx_post(url, {"key": "1"})
    client.hx_post(url, {"key": "3"})
    assert _sources_of(session, sentence.id) == ["US State Department"]
    client.hx_post(url, {"key": "4", "add": "1"})
    assert _sources_of(session, sentence.id) == [
        "Azerbaijani Ministry of Foreign Affairs",
        "US State Department",
    ]
    client.hx_post(url, {"key": "4", "add": "1"})
    assert _sources_of(session, sentence.id) == ["US State Department"]


def test_unknown_hotkey_is_a_clear_message_not_a_change(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 7)
    response = client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/tag", {"key": "9"})
    assert response.status_code == 404
    assert response.headers["hx-retarget"] == "#flash"
    assert "No source is on key 9" in response.text
    assert _sources_of(session, sentence.id) == []


def test_write_without_csrf_token_is_refused_and_changes_nothing(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 7)
    url = f"/articles/{seeded}/sentences/{sentence.id}/tag"
    client.get("/")
    assert client.post(url, data={"key": "1"}, headers={"HX-Request": "true"}).status_code == 403
    wrong = {"HX-Request": "true", "X-CSRF-Token": "0" * 64}
    assert client.post(url, data={"key": "1"}, headers=wrong).status_code == 403
    cross = client.hx_post(url, {"key": "1"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert _sources_of(session, sentence.id) == []
    assert fresh(session).scalar(select(func.count(Event.id)).where(Event.action == "tag.set")) == 0


def test_token_of_another_browser_session_is_refused(app, seeded: int, session: Session) -> None:  # type: ignore[no-untyped-def]
    sentence = _sentence(session, seeded, 7)
    with Client(app) as first, Client(app) as second:
        token = first.fetch_token()
        second.get("/")
        response = second.post(
            f"/articles/{seeded}/sentences/{sentence.id}/tag",
            data={"key": "1"},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
    assert response.status_code == 403
    assert _sources_of(session, sentence.id) == []


def test_sentence_fragment_and_full_page_redirect(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 9)
    url = f"/articles/{seeded}/sentences/{sentence.id}"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.headers["vary"] == "HX-Request"
    assert fragment.text.lstrip().startswith('<li id="s-9"')
    full = client.get(url, follow_redirects=False)
    assert full.status_code == 303 and full.headers["location"].endswith("?at=9#s-9")


def test_split_keeps_tags_on_both_halves_and_renumbers(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 9)
    start, end, text_length = sentence.start, sentence.end, len(sentence.article.text)
    client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/tag", {"key": "1"})
    text = client.get(f"/articles/{seeded}/export.json").json()["rows"][8]["text"]
    cut = start + text.index(" the Russian ministry said")
    response = client.hx_post(f"/articles/{seeded}/sentences/{sentence.id}/split", {"at": str(cut)})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert len(soup.select("#sentences > li.row")) == 22
    left, right = _sentence(session, seeded, 9), _sentence(session, seeded, 10)
    assert (left.start, left.end, right.start, right.end) == (start, cut, cut + 1, end)
    assert (
        _sources_of(session, left.id)
        == _sources_of(session, right.id)
        == ["Russian Ministry of Defence"]
    )
    assert _sentence(session, seeded, 22).end == text_length


def test_split_outside_the_sentence_is_refused(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 9)
    response = client.hx_post(
        f"/articles/{seeded}/sentences/{sentence.id}/split", {"at": str(sentence.start)}
    )
    assert response.status_code == 422
    assert "inside the sentence" in response.text


def test_merge_keeps_the_attributions_of_both(
    client: Client, seeded: int, session: Session
) -> None:
    first, second = _sentence(session, seeded, 4), _sentence(session, seeded, 5)
    first_start, second_end = first.start, second.end
    client.hx_post(f"/articles/{seeded}/sentences/{first.id}/tag", {"key": "0"})
    client.hx_post(f"/articles/{seeded}/sentences/{second.id}/tag", {"key": "7"})
    response = client.hx_post(f"/articles/{seeded}/sentences/{first.id}/merge")
    assert response.status_code == 200
    merged = _sentence(session, seeded, 4)
    assert (merged.start, merged.end) == (first_start, second_end)
    assert _sources_of(session, merged.id) == ["Foreign policy experts", "Reporter's own voice"]
    assert (
        fresh(session).scalar(select(func.count(Sentence.id)).where(Sentence.article_id == seeded))
        == 20
    )


def test_merging_the_last_sentence_is_refused(
    client: Client, seeded: int, session: Session
) -> None:
    last = _sentence(session, seeded, 21)
    response = client.hx_post(f"/articles/{seeded}/sentences/{last.id}/merge")
    assert response.status_code == 422


def test_undo_reverses_tags_then_a_split(client: Client, seeded: int, session: Session) -> None:
    sentence = _sentence(session, seeded, 9)
    sentence_id, start, end = sentence.id, sentence.start, sentence.end
    client.hx_post(f"/articles/{seeded}/sentences/{sentence_id}/tag", {"key": "1"})
    client.hx_post(f"/articles/{seeded}/sentences/{sentence_id}/tag", {"key": "2"})
    split = client.hx_post(
        f"/articles/{seeded}/sentences/{sentence_id}/split", {"at": str(start + 20)}
    )
    assert split.status_code == 200
    assert client.hx_post(f"/articles/{seeded}/undo").status_code == 200
    assert _sentence(session, seeded, 9).end == end
    assert (
        fresh(session).scalar(select(func.count(Sentence.id)).where(Sentence.article_id == seeded))
        == 21
    )
    client.hx_post(f"/articles/{seeded}/undo")
    assert _sources_of(session, sentence.id) == ["Russian Ministry of Defence"]
    client.hx_post(f"/articles/{seeded}/undo")
    assert _sources_of(session, sentence.id) == []
    nothing = client.hx_post(f"/articles/{seeded}/undo")
    assert nothing.status_code == 409


def test_undo_reverses_a_merge(client: Client, seeded: int, session: Session) -> None:
    first, second = _sentence(session, seeded, 4), _sentence(session, seeded, 5)
    span = (second.start, second.end)
    client.hx_post(f"/articles/{seeded}/sentences/{second.id}/tag", {"key": "7"})
    client.hx_post(f"/articles/{seeded}/sentences/{first.id}/merge")
    client.hx_post(f"/articles/{seeded}/undo")
    restored = _sentence(session, seeded, 5)
    assert (restored.start, restored.end) == span
    assert _sources_of(session, restored.id) == ["Foreign policy experts"]
    assert _sources_of(session, first.id) == []


def test_new_source_from_the_desk_gets_next_hotkey_and_tags(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 12)
    response = client.hx_post(
        f"/articles/{seeded}/sources",
        {"sentence_id": str(sentence.id), "name": "Kremlin spokesman", "kind": "official"},
    )
    assert response.status_code == 200
    assert "whosaid:source-created" in json.loads(response.headers["hx-trigger"])
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("li#s-12")["hx-swap-oob"] == "true"
    source = fresh(session).scalars(select(Source).where(Source.name == "Kremlin spokesman")).one()
    assert source.hotkey == 8
    assert _sources_of(session, sentence.id) == ["Kremlin spokesman"]


def test_new_source_with_a_taken_name_is_refused_on_the_form(
    client: Client, seeded: int, session: Session
) -> None:
    sentence = _sentence(session, seeded, 12)
    response = client.hx_post(
        f"/articles/{seeded}/sources",
        {"sentence_id": str(sentence.id), "name": "us state department", "kind": "official"},
    )
    assert response.status_code == 422
    assert "already exists" in response.text
    assert 'value="us state department"' in response.text
    assert _sources_of(session, sentence.id) == []


def test_huge_ids_are_404_or_422_never_500(client: Client, seeded: int) -> None:
    assert client.get(f"/articles/{2**31}").status_code == 422
    assert client.get(f"/articles/{2**31 - 1}").status_code == 404
    assert (
        client.hx_post(f"/articles/{seeded}/sentences/{2**70}/tag", {"key": "1"}).status_code == 422
    )
    response = client.hx_post(f"/articles/{seeded}/sentences/1/tag", {"source_id": str(2**64)})
    assert response.status_code == 422


def test_deep_link_page_parameter_finds_the_sentence(client: Client, seeded: int) -> None:
    page = client.get(f"/articles/{seeded}?at=15")
    assert page.status_code == 200
    assert 'id="s-15"' in page.text
