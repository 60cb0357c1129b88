"""The whosaid command against a real database file."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli import main
from app.config import Settings
from app.models import Article, Source
from tests.conftest import SAMPLE, fresh


@pytest.fixture
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("WHOSAID_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WHOSAID_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("WHOSAID_EDITOR", "cli-editor")
    return CliRunner()


def test_seed_is_idempotent(runner: CliRunner, session: Session) -> None:
    first = runner.invoke(main, ["seed"])
    assert first.exit_code == 0, first.output
    assert "seeded 7 source(s), 1 article(s)" in first.output
    second = runner.invoke(main, ["seed"])
    assert "already loaded" in second.output
    assert fresh(session).scalar(select(func.count(Article.id))) == 1
    assert fresh(session).scalar(select(func.count(Source.id))) == 8


def test_import_then_export_csv_and_json(
    runner: CliRunner, session: Session, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["import", str(SAMPLE), "--outlet", "NYT", "--date", "2022-03-26"])
    assert result.exit_code == 0, result.output
    assert "imported 1, already in the library 0, refused 0" in result.output
    article_id = fresh(session).scalar(select(Article.id))
    out = tmp_path / "t.csv"
    assert (
        runner.invoke(main, ["export", "--article", str(article_id), "-o", str(out)]).exit_code == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == 21 and rows[0]["outlet"] == "NYT"
    as_json = runner.invoke(main, ["export", "--article", str(article_id), "--format", "json"])
    assert json.loads(as_json.output)["article"]["published_at"] == "2022-03-26"


def test_import_refuses_a_non_utf8_file_and_says_why(
    runner: CliRunner, tmp_path: Path, session: Session
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Caf\xe9".encode("latin-1"))
    result = runner.invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output
    assert fresh(session).scalar(select(func.count(Article.id))) == 0


def test_export_of_a_missing_article_fails_cleanly(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--article", "42"])
    assert result.exit_code == 1 and "no article 42" in result.output


def test_help_lists_the_commands(runner: CliRunner) -> None:
    output = runner.invoke(main, ["--help"]).output
    for command in ("serve", "import", "export", "seed", "db"):
        assert command in output


def test_import_folders_and_zip_archives_with_a_summary(
    runner: CliRunner, session: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    (folder / "inner").mkdir(parents=True)
    (folder / "one.txt").write_text("Officials said the dam held. Engineers agreed.")
    (folder / "inner" / "two.md").write_text("The mayor said the road would reopen.")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    (folder / ".hidden.txt").write_text("Not me.")
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("three.txt", "Police said two people were hurt.")
        zf.writestr("again.txt", "Officials said the dam held. Engineers agreed.")
        zf.writestr("setup.exe", b"MZ")
    result = runner.invoke(main, ["import", str(folder), str(archive), "--outlet", "Wire"])
    assert result.exit_code == 0, result.output
    assert "imported 3, already in the library 1, refused 2" in result.output
    assert "notes.pdf" in result.output and "setup.exe" in result.output
    assert fresh(session).scalar(select(func.count(Article.id))) == 3


def test_export_every_format_from_the_command_line(
    runner: CliRunner, session: Session, tmp_path: Path
) -> None:
    runner.invoke(main, ["import", str(SAMPLE)])
    article_id = fresh(session).scalar(select(Article.id))
    for fmt in ("csv", "xlsx", "json", "jsonl", "md", "jsonld"):
        out = tmp_path / f"t.{fmt}"
        result = runner.invoke(
            main, ["export", "--article", str(article_id), "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, (fmt, result.output)
        assert out.stat().st_size > 100, fmt
    rows = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text().splitlines()]
    assert len(rows) == 21


def test_backup_and_restore(
    runner: CliRunner, settings: Settings, session: Session, tmp_path: Path
) -> None:
    if not settings.database_url.startswith("sqlite"):
        result = runner.invoke(main, ["backup", str(tmp_path / "x.db")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    runner.invoke(main, ["import", str(SAMPLE)])
    copy = tmp_path / "backup.db"
    result = runner.invoke(main, ["backup", str(copy)])
    assert result.exit_code == 0 and "integrity ok" in result.output, result.output
    runner.invoke(main, ["import", str(SAMPLE), "--again"])
    assert fresh(session).scalar(select(func.count(Article.id))) == 2
    session.close()
    restored = runner.invoke(main, ["restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert fresh(session).scalar(select(func.count(Article.id))) == 1
    bogus = tmp_path / "not.db"
    bogus.write_bytes(b"nope")
    assert runner.invoke(main, ["restore", str(bogus), "--yes"]).exit_code != 0


def test_token_commands(runner: CliRunner, accounts: None) -> None:
    made = runner.invoke(main, ["token", "create", "editor@example.org", "--name", "scripts"])
    assert made.exit_code == 0 and "ws_" in made.output
    listed = runner.invoke(main, ["token", "list", "editor@example.org"])
    assert "active" in listed.output and "scripts" in listed.output
    number = listed.output.split()[0]
    assert runner.invoke(main, ["token", "revoke", number]).exit_code == 0
    assert "revoked" in runner.invoke(main, ["token", "list", "editor@example.org"]).output


@pytest.mark.parametrize(
    "command", ["serve", "import", "export", "suggest", "user", "token", "backup", "restore", "db"]
)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
