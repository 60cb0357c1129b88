"""Size bombs are refused early with a clear status, and nothing is stored: a 100 MB body
over real HTTP, a 10 MB single line, and hundreds of thousands of tiny sentences."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.importing import MAX_SENTENCES
from app.models import Article
from tests.conftest import Client, fresh
from tests.servers import Editor, uvicorn_server

MB = 1024 * 1024


def _articles(session: Session) -> int:
    return int(fresh(session).scalar(select(func.count(Article.id))) or 0)


def test_a_100_mb_body_is_refused_after_the_limit_not_read_to_the_end(
    seeded: int, accounts: None, database: Database, tmp_path: Path, session: Session
) -> None:
    sent = 0

    def hundred_megabytes() -> Iterator[bytes]:
        nonlocal sent
        chunk = b"text=" + b"x" * (MB - 5)
        for _ in range(100):
            sent += len(chunk)
            yield chunk

    with uvicorn_server(database.url, tmp_path / "instance") as url:
        editor = Editor(url, "editor@example.org")
        host, port = url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        status = None
        try:
            conn.request(
                "POST",
                "/articles",
                body=hundred_megabytes(),
                headers={
                    "Cookie": editor.cookie,
                    "X-CSRF-Token": editor.token,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Transfer-Encoding": "chunked",
                },
                encode_chunked=True,
            )
            status = conn.getresponse().status
        except (BrokenPipeError, ConnectionResetError):
            # the server answered 413 and closed while we were still sending
            status = 413
        finally:
            conn.close()
    assert status == 413
    assert sent < 100 * MB  # it stopped reading long before the end
    assert _articles(session) == 1  # the sample only


def test_a_10_mb_single_line_is_413(client: Client, session: Session) -> None:
    response = client.form_post("/articles", {"text": "word" * (10 * MB // 4)})
    assert response.status_code == 413
    assert "too large" in response.text
    assert _articles(session) == 0


def test_half_a_million_tiny_sentences_are_refused_before_segmenting(
    client: Client, session: Session
) -> None:
    text = "Go. " * 500_000  # 2,000,000 bytes, and as much form-encoded: under the limit
    response = client.form_post("/articles", {"text": text})
    assert response.status_code == 413
    assert f"at most {MAX_SENTENCES:,}" in response.text
    assert _articles(session) == 0


def test_too_many_sentences_found_by_the_segmenter_are_refused(
    client: Client, session: Session
) -> None:
    text = "It rained. " * (MAX_SENTENCES + 100)  # passes the quick count, not the real one
    response = client.form_post("/articles", {"text": text})
    assert response.status_code == 413
    assert f"at most {MAX_SENTENCES:,}" in response.text
    assert _articles(session) == 0
    api = client.post(
        "/articles/upload",
        files={"file": ("long.txt", text.encode())},
        headers={"X-CSRF-Token": client.token},
    )
    assert api.status_code == 413 and _articles(session) == 0
