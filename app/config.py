"""Settings read from the environment (prefix WHOSAID_), with paths built from this file."""

from __future__ import annotations

import getpass
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
# where the JSON API (app/routes/api.py) is mounted
API_PREFIX = "/api/v1"
MIGRATIONS_DIR = ROOT / "migrations"
SEEDS_DIR = ROOT / "seeds"
INSTANCE_DIR = ROOT / "instance"


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "editor"


class Settings(BaseSettings):
    """Every knob WhoSaid reads; the README lists them all."""

    model_config = SettingsConfigDict(env_prefix="WHOSAID_", extra="ignore")

    instance_dir: Path = INSTANCE_DIR
    database_url: str = ""
    # Signs the CSRF tokens. Left empty, a random key is made once and kept in
    # instance_dir/secret_key (mode 0600); never a default written in the code.
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "WHOSAID_PORT"))
    editor: str = Field(default_factory=_local_user)
    max_upload_bytes: int = 2 * 1024 * 1024
    # Desk pages render this many sentences at once; longer articles are paged.
    page_size: int = 1000
    # Suggestions at or above this confidence are taken by "accept all" (key A).
    accept_threshold: float = 0.8
    # Sign-in sessions end after this many hours.
    session_hours: int = 12
    # argon2id cost; the defaults are RFC 9106's second profile. Never below 19 MiB, t=2.
    argon2_memory_kib: int = Field(default=65536, ge=19456)
    argon2_time_cost: int = Field(default=3, ge=2)
    # A write waits this many seconds for the database's write lock, then gets 503.
    lock_timeout: float = Field(default=5.0, gt=0, le=60)

    def model_post_init(self, _context: object) -> None:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.instance_dir / 'whosaid.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
