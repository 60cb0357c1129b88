"""The whosaid command against a real database file."""

from __future__ import annotations

import csv
import io
import json
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
    assert "21 sentences" in result.output
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
