"""A backup taken while editors write finishes, verifies, and restores into a server that
works; it holds every tag acknowledged before it started."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from app.articles import ArticleInput, create_article
from app.config import ROOT
from app.db import Database
from app.models import Attribution, Sentence
from tests.servers import Editor, uvicorn_server

TEXT = "\n\n".join(
    f"The council said item {n} would be debated. Opponents called item {n} a distraction."
    for n in range(1, 201)
)


def whosaid(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WHOSAID_DATABASE_URL": database_url}
    return subprocess.run(
        [str(Path(sys.executable).with_name("whosaid")), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_under_load_restores_into_a_working_server(
    seeded: int, accounts: None, database: Database, tmp_path: Path
) -> None:
    if not database.is_sqlite:
        pytest.skip("PostgreSQL is backed up with pg_dump (README); this is SQLite's backup")
    with database.write_session() as s:
        article_id = create_article(s, ArticleInput(title="Load", text=TEXT), actor="test").id
        s.commit()
        sentences = list(s.scalars(select(Sentence.id).where(Sentence.article_id == article_id)))
    acknowledged: list[int] = []
    lock = threading.Lock()
    warmed = threading.Event()
    stop = threading.Event()
    failures: list[int] = []

    with uvicorn_server(database.url, tmp_path / "instance") as url:

        def editor(share: list[int]) -> None:
            person = Editor(url, "editor@example.org")
            for sid in share:
                if stop.is_set():
                    return
                status, _, _ = person.post(
                    f"/articles/{article_id}/sentences/{sid}/tag", {"key": "2"}
                )
                with lock:
                    if status == 200:
                        acknowledged.append(sid)
                    else:
                        failures.append(status)
                    if len(acknowledged) >= 30:
                        warmed.set()

        threads = [threading.Thread(target=editor, args=(sentences[i::3],)) for i in range(3)]
        for t in threads:
            t.start()
        assert warmed.wait(timeout=60)
        with lock:
            before_backup = set(acknowledged)
        copy = tmp_path / "backup.db"
        backup = whosaid(database.url, "backup", str(copy))
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert backup.returncode == 0 and "integrity ok" in backup.stdout, backup.stderr
    assert failures == []

    restored_url = f"sqlite:///{tmp_path / 'restored' / 'whosaid.db'}"
    restore = whosaid(restored_url, "restore", str(copy), "--yes")
    assert restore.returncode == 0, restore.stderr
    engine = create_engine(restored_url)
    with engine.connect() as conn:
        in_copy = set(
            conn.scalars(
                select(Attribution.sentence_id)
                .join(Sentence)
                .where(Sentence.article_id == article_id)
            )
        )
    engine.dispose()
    assert before_backup <= in_copy
    with uvicorn_server(restored_url, tmp_path / "instance-restored") as url:
        person = Editor(url, "editor@example.org")  # accounts came back too
        status, _, page = person.request("GET", f"/articles/{article_id}")
        assert status == 200 and b"Opponents called item 1 " in page
        untagged = next(iter(set(sentences) - in_copy))
        status, _, _ = person.post(f"/articles/{article_id}/sentences/{untagged}/tag", {"key": "1"})
        assert status == 200
