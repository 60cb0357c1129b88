"""A write that cannot get the database's write lock in time is a 503 with Retry-After,
never a 500, and changes nothing; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bs4 import BeautifulSoup
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.main import create_app
from app.models import Attribution
from tests.conftest import EDITOR, Client, add_accounts, fresh


@contextmanager
def write_lock_held(url: str, article_id: int) -> Iterator[None]:
    """Another process holds what a tag needs: SQLite's write lock, or the article's row."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.execute(
                text("SELECT id FROM article WHERE id = :id FOR UPDATE"), {"id": article_id}
            )
        try:
            yield
        finally:
            conn.exec_driver_sql("ROLLBACK")
    engine.dispose()


def test_tag_waiting_too_long_for_the_lock_is_503(
    settings: Settings, seeded: int, session: Session
) -> None:
    app = create_app(settings.model_copy(update={"lock_timeout": 0.3}))
    add_accounts(app.state.db)
    try:
        with Client(app) as client:
            client.login(EDITOR)
            desk = BeautifulSoup(client.get(f"/articles/{seeded}").text, "html.parser")
            sid = desk.select_one("li#s-7")["data-sid"]
            url = f"/articles/{seeded}/sentences/{sid}/tag"
            with write_lock_held(settings.database_url, seeded):
                page = client.form_post(url, {"key": "1"})
                fragment = client.hx_post(url, {"key": "1"})
            assert page.status_code == 503 and page.headers["retry-after"] == "1"
            assert "database is busy" in page.text
            assert fragment.status_code == 503 and fragment.headers["hx-retarget"] == "#flash"
            assert fresh(session).scalar(select(func.count()).select_from(Attribution)) == 0
            # once the lock is free the same request goes through
            assert client.hx_post(url, {"key": "1"}).status_code == 200
    finally:
        app.state.db.dispose()


def test_reads_go_on_while_a_writer_holds_the_lock(
    settings: Settings, seeded: int, session: Session
) -> None:
    """Writers never starve readers (TESTPLAN E3): with the write lock held elsewhere, and
    a lock timeout short enough that a read waiting for it would fail, every page, export
    and API read still answers from the last committed state."""
    app = create_app(settings.model_copy(update={"lock_timeout": 0.3}))
    add_accounts(app.state.db)
    try:
        with Client(app) as client:
            client.login(EDITOR)
            sid = BeautifulSoup(client.get(f"/articles/{seeded}").text, "html.parser").select_one(
                "li#s-7"
            )["data-sid"]
            tagged = client.hx_post(f"/articles/{seeded}/sentences/{sid}/tag", {"key": "1"})
            assert tagged.status_code == 200
            reads = [
                f"/articles/{seeded}",
                f"/articles/{seeded}/table",
                f"/articles/{seeded}/export.csv",
                f"/articles/{seeded}/sentences/{sid}/following",
                "/",
                "/claims",
                "/sources",
                f"/articles/{seeded}/balance",
            ]
            with write_lock_held(settings.database_url, seeded):
                answers = {path: client.get(path, headers={"HX-Request": "true"}) for path in reads}
                blocked = client.hx_post(f"/articles/{seeded}/sentences/{sid}/tag", {"key": "2"})
            assert {p: r.status_code for p, r in answers.items()} == dict.fromkeys(reads, 200)
            assert "Russian Ministry of Defence" in answers[f"/articles/{seeded}/export.csv"].text
            assert blocked.status_code == 503  # the write did wait, and gave up
    finally:
        app.state.db.dispose()
