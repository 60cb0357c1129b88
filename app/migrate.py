"""Run the Alembic migrations from code (the CLI and the tests call this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.config import ROOT


def alembic_config(url: str, *, quiet: bool = False) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    config.attributes["quiet"] = quiet
    return config


def upgrade(url: str, revision: str = "head", *, quiet: bool = False) -> None:
    """Bring the database at ``url`` to ``revision``."""
    command.upgrade(alembic_config(url, quiet=quiet), revision)


def downgrade(url: str, revision: str, *, quiet: bool = False) -> None:
    command.downgrade(alembic_config(url, quiet=quiet), revision)
