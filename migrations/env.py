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


def run_migrations_online() -> None:
    db = open_database(url)
    try:
        with db.write_engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        db.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
