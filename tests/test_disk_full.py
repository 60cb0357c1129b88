"""A full disk (TESTPLAN F6): writes get a clear 503, nothing is half-stored, reads go on,
and once space is freed writing works again. The database lives on a real 6 MB tmpfs;
the test needs root (it mounts one) and is skipped where mounting is not allowed."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import Article
from tests.conftest import EDITOR, FAST_HASH, Client, add_accounts

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's own file on a small disk"
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Take all but ``leave`` bytes of the disk with a file."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as out:
        out.truncate(0)
        remaining = max(0, free - leave)
        while remaining:
            chunk = min(remaining, 1 << 20)
            out.write(b"\0" * chunk)
            remaining -= chunk
    return filler


def _articles(url: str) -> tuple[int, str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count(Article.id)))
        check = conn.scalar(text("PRAGMA integrity_check"))
    engine.dispose()
    return int(count or 0), str(check)


def test_a_full_disk_is_a_clear_503_and_writing_resumes_once_freed(
    small_disk: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{small_disk / 'whosaid.db'}"
    upgrade(url, quiet=True)
    settings = Settings(
        instance_dir=tmp_path / "instance",
        database_url=url,
        editor=EDITOR,
        secret_key="disk-full-test-secret",
        **FAST_HASH,
    )
    app = create_app(settings)
    add_accounts(app.state.db)
    statuses: list[int] = []
    try:
        with Client(app) as client:
            client.login(EDITOR)
            filler = _fill(small_disk, leave=400_000)
            refused = None
            for n in range(40):  # ~40 KB each: the disk fills within a few
                body = " ".join(f"Officials said item {n}-{i} was ready." for i in range(900))
                before = _articles(url)[0]
                answer = client.form_post("/articles", {"text": body, "title": f"Filler {n}"})
                statuses.append(answer.status_code)
                if answer.status_code == 503:
                    refused = answer
                    assert _articles(url)[0] == before  # nothing half-stored
                    break
            assert refused is not None, f"the disk never filled: {statuses}"
            assert "disk is full" in refused.text and refused.headers["retry-after"] == "1"
            assert set(statuses) <= {303, 503}, statuses
            assert client.get("/").status_code == 200  # reading goes on
            filler.unlink()
            again = client.form_post("/articles", {"text": "The mayor said it was over."})
            assert again.status_code == 303
    finally:
        app.state.db.dispose()
    count, check = _articles(url)
    assert check == "ok" and count == statuses.count(303) + 1
