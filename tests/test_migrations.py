"""Migrations: `alembic upgrade head` on an empty database gives exactly the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db import Base, Database, StorageError, open_database
from app.migrate import downgrade, upgrade


def test_upgrade_head_matches_the_models(database: Database) -> None:
    with database.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (name or "").startswith(("article_fts", "ix_article_search"))


def test_upgrade_creates_the_reporter_voice_on_key_zero(database: Database) -> None:
    with database.read_engine.connect() as conn:
        row = conn.execute(text("SELECT name, hotkey, is_reporter FROM source")).one()
    assert tuple(row) == ("Reporter's own voice", 0, True)


def test_downgrade_to_base_and_back(database: Database) -> None:
    downgrade(database.url, "base", quiet=True)
    assert set(inspect(database.write_engine).get_table_names()) <= {"alembic_version"}
    upgrade(database.url, quiet=True)
    assert {"article", "sentence", "source", "attribution", "event"} <= set(
        inspect(database.write_engine).get_table_names()
    )


def test_sqlite_runs_in_wal_with_foreign_keys(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("the SQLite profile")
    with database.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_refuses_to_start_where_wal_is_impossible() -> None:
    memory = open_database("sqlite://")
    with pytest.raises(StorageError, match="WAL"):
        memory.check()
