"""Alembic environment: the URL comes from the caller or from Settings, never from alembic.ini."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from app import models  # noqa: F401 - registers the tables on Base.metadata
from app.config import Settings
from app.db import Base, open_database

config = context.config
if config.config_file_name is not None and not config.attributes.get("quiet"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

url = config.attributes.get("url") or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave out what the models cannot describe: the FTS5 table and the search index."""
    return not (name or "").startswith(("article_fts", "ix_article_search"))


def run_migrations_online() -> None:
    db = open_database(url)
    try:
        with db.write_engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw = connection.connection.dbapi_connection
            if sqlite and raw is not None:
                # Batch mode on SQLite copies a table and drops the old one; with foreign keys
                # on, that drop would cascade to the rows that point at it. The pragma only
                # works outside a transaction, so it goes to the driver connection directly.
                raw.execute("PRAGMA foreign_keys=OFF")
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_object=include_object,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite and raw is not None:
                problems = raw.execute("PRAGMA foreign_key_check").fetchall()
                raw.execute("PRAGMA foreign_keys=ON")
                if problems:
                    raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
    finally:
        db.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
