"""Review and sign-off, blind double tagging, adjudication, the audit trail views."""

from __future__ import annotations

import csv
import io
import re

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import hasher
from app.db import Database
from app.models import Attribution, Event, Source, User
from app.users import create_user
from tests.conftest import FAST_HASH, PASSWORD, Client, fresh


def test_status_moves_and_approved_is_read_only(client_as, seeded: int, session: Session) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, admin = client_as("editor"), client_as("reviewer"), client_as("admin")
    base = f"/articles/{seeded}"
    assert editor.hx_post(f"{base}/sentences/7/tag", {"key": "1"}).status_code == 200
    assert editor.form_post(f"{base}/approve").status_code == 403
    assert editor.form_post(f"{base}/submit").status_code == 303
    assert editor.hx_post(f"{base}/sentences/8/tag", {"key": "1"}).status_code == 409
    assert reviewer.form_post(f"{base}/return", {"note": "Check 8"}).status_code == 303
    page = editor.get(base).text
    assert "Returned: “Check 8”" in page
    editor.form_post(f"{base}/submit")
    assert reviewer.form_post(f"{base}/approve").status_code == 303
    desk = BeautifulSoup(editor.get(base).text, "html.parser")
    assert "approved by Reviewer" in desk.select_one("#status-bar").get_text()
    refused = reviewer.hx_post(f"{base}/sentences/9/tag", {"key": "1"})
    assert refused.status_code == 409 and "read-only" in refused.text
    rows = list(csv.DictReader(io.StringIO(editor.get(f"{base}/export.csv").text)))
    assert {r["approved_by"] for r in rows} == {"Reviewer"} and rows[0]["approved_at"]
    assert reviewer.form_post(f"{base}/reopen").status_code == 403
    assert admin.form_post(f"{base}/reopen").status_code == 303
    assert editor.hx_post(f"{base}/sentences/9/tag", {"key": "1"}).status_code == 200
    moves = (
        fresh(session)
        .scalars(select(Event.detail).where(Event.action == "article.status").order_by(Event.id))
        .all()
    )
    assert [m["after"] for m in moves] == [
        "in_review",
        "returned",
        "in_review",
        "approved",
        "draft",
    ]


def _second_editor(database: Database) -> None:
    with database.write_session() as s:
        create_user(
            s,
            email="editor2@example.org",
            name="Editor Two",
            role="editor",
            password=PASSWORD,
            actor="test",
            ph=hasher(
                **{
                    "memory_kib": FAST_HASH["argon2_memory_kib"],
                    "time_cost": FAST_HASH["argon2_time_cost"],
                }
            ),
        )
        s.commit()


def test_blind_tagging_agreement_and_adjudication(
    app,
    client_as,
    seeded: int,
    session: Session,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    _second_editor(database)
    reviewer = client_as("reviewer")
    made = reviewer.form_post(
        f"/articles/{seeded}/blind",
        {"first": "editor@example.org", "second": "editor2@example.org"},
    )
    assert made.status_code == 303
    a = client_as("editor")
    with Client(app) as b:
        b.login("editor2@example.org")
        base = f"/articles/{seeded}/sentences"
        for position, key_a, key_b in ((7, "1", "1"), (8, "1", "2"), (11, "0", "0")):
            assert a.hx_post(f"{base}/{position}/tag", {"key": key_a}).status_code == 200
            assert b.hx_post(f"{base}/{position}/tag", {"key": key_b}).status_code == 200
        # each tagger sees only their own layer
        soup_b = BeautifulSoup(b.get(f"/articles/{seeded}").text, "html.parser")
        assert soup_b.select_one("li#s-8 .chip").get_text(strip=True) == (
            "Azerbaijani Ministry of Defence"
        )
        history = b.get(f"{base}/8/history", headers={"HX-Request": "true"}).text
        assert "Russian Ministry of Defence" not in history
        outsider = client_as("viewer")
        assert outsider.hx_post(f"{base}/9/tag", {"key": "1"}).status_code == 403
    final = fresh(session).scalar(select(func.count(Attribution.id)).where(Attribution.layer == 0))
    assert final == 0
    review = BeautifulSoup(reviewer.get(f"/articles/{seeded}/review").text, "html.parser")
    figures = {
        d.select_one("dt").get_text(): d.select_one("dd").get_text()
        for d in review.select("#figures div")
    }
    assert figures["Sentences both tagged"] == "3"
    assert figures["Raw agreement"] == "0.667"
    assert len(review.select("tr.review-row.differs")) == 1
    picked = reviewer.hx_post(f"{base}/8/adjudicate", {"pick": "b"})
    assert picked.status_code == 200
    assert (
        "Azerbaijani Ministry of Defence"
        in BeautifulSoup(picked.text, "html.parser").select_one("tr#r-8 td.final").get_text()
    )
    final_names = (
        fresh(session).execute(select(Attribution.source_id).where(Attribution.layer == 0)).all()
    )
    assert len(final_names) == 1


def test_activity_feed_and_sentence_history(client: Client, seeded: int) -> None:
    client.hx_post(f"/articles/{seeded}/sentences/7/tag", {"key": "1"})
    client.hx_post(f"/articles/{seeded}/sentences/7/tag", {"key": "2"})
    feed = BeautifulSoup(client.get(f"/articles/{seeded}/activity").text, "html.parser")
    entries = [li.get_text(" ", strip=True) for li in feed.select("#feed li")]
    assert "Russian Ministry of Defence → Azerbaijani Ministry of Defence" in entries[0]
    assert "editor@example.org" in entries[0]
    history = client.get(f"/articles/{seeded}/sentences/7/history", headers={"HX-Request": "true"})
    assert history.text.count("<li>") == 2


def test_user_admin_makes_a_one_time_link(client_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    page = admin.form_post("/users", {"email": "new@example.org", "name": "New", "role": "viewer"})
    link = BeautifulSoup(page.text, "html.parser").select_one("code.link").get_text()
    assert "/setup/" in link
    user = fresh(session).scalars(select(User).where(User.email == "new@example.org")).one()
    assert user.role == "viewer" and user.password_hash == ""
    assert client_as("editor").get("/users").status_code == 403


def test_a_blind_taggers_choices_reach_the_other_by_no_route(
    app,
    client_as,
    seeded: int,
    session: Session,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    """Data isolation (TESTPLAN D1, for the one boundary a single newsroom has): what one
    blind tagger chose is in none of the other's pages, fragments, exports or API answers."""
    _second_editor(database)
    reviewer = client_as("reviewer")
    reviewer.form_post(
        f"/articles/{seeded}/blind",
        {"first": "editor@example.org", "second": "editor2@example.org"},
    )
    a = client_as("editor")
    created = a.hx_post(
        f"/articles/{seeded}/sources",
        {"sentence_id": "9", "name": "Quillfeather Bureau", "kind": "official"},
    )
    assert created.status_code == 200
    marker = "Quillfeather Bureau"
    source_id = fresh(session).scalar(select(Source.id).where(Source.name == marker))
    with Client(app) as b:
        b.login("editor2@example.org")
        token = b.form_post("/tokens", {"name": "b"})
        secret = re.search(r'id="new-token">(ws_[^<]+)<', token.text)[1]  # type: ignore[index]
        hx = {"HX-Request": "true"}
        desk = BeautifulSoup(b.get(f"/articles/{seeded}").text, "html.parser")
        assert "tagged" not in desk.select_one("li#s-9")["class"]
        following = b.get(f"/articles/{seeded}/sentences/8/following", headers=hx).text
        row = BeautifulSoup(following, "html.parser").select_one("li#s-9")
        assert row is not None and "tagged" not in row["class"]
        pages = [
            f"/articles/{seeded}/sentences/9/history",
            f"/articles/{seeded}/activity",
            f"/articles/{seeded}/table",
            f"/articles/{seeded}/balance",
            f"/sources/{source_id}",
            "/claims",
            "/balance",
            *(f"/articles/{seeded}/export.{fmt}" for fmt in ("csv", "json", "jsonl", "md")),
        ]
        for path in pages:
            answer = b.get(path, headers=hx if "history" in path else {})
            assert answer.status_code == 200, path
            soup = BeautifulSoup(answer.text, "html.parser")
            for shared in soup.select("select"):  # filter menus list the shared registry
                shared.decompose()
            body = answer.text if "export" in path else str(soup)
            if path.startswith("/sources/"):  # its own page names it, and lists no claim
                assert "No claims" in body or "s-9" not in body, path
            else:
                assert marker not in body, path
        api = {"Authorization": f"Bearer {secret}"}
        for path in (
            f"/api/v1/articles/{seeded}",
            "/api/v1/attributions",
            f"/api/v1/articles/{seeded}/export.json",
        ):
            answer = b.get(path, headers=api)
            assert answer.status_code == 200 and marker not in answer.text, path
