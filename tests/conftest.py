"""Fixtures: a real database file per test (or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app.auth import hasher
from app.config import SEEDS_DIR, Settings
from app.db import Database, open_database
from app.main import create_app
from app.migrate import upgrade
from app.seed import load_seeds
from app.users import create_user

SAMPLE = SEEDS_DIR / "nagorno-karabakh-2022-03.txt"
PASSWORD = "correct horse battery staple 42"
ROLES = ("viewer", "editor", "reviewer", "admin")
EDITOR = "editor@example.org"
# The weakest argon2id parameters the app accepts (OWASP's floor), so tests stay quick.
FAST_HASH = {"argon2_memory_kib": 19456, "argon2_time_cost": 2}


def _postgres_url(base: str) -> Iterator[str]:
    """Create a throwaway database on the server named by TEST_DATABASE_URL."""
    name = f"whosaid_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        yield from _postgres_url(base)
    else:
        yield f"sqlite:///{tmp_path / 'whosaid.db'}"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    upgrade(database_url, quiet=True)
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=database_url,
        editor=EDITOR,
        secret_key="test-secret-" + uuid.uuid4().hex,
        **FAST_HASH,
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = open_database(settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A read session for inspecting stored rows; call ``fresh`` after the app writes."""
    with database.read_session() as s:
        yield s


def fresh(session: Session) -> Session:
    """End the session's snapshot so the next query sees what the app committed since."""
    session.rollback()
    return session


def add_accounts(db: Database) -> None:
    """One account per role: viewer@, editor@, reviewer@, admin@example.org."""
    ph = hasher(FAST_HASH["argon2_memory_kib"], FAST_HASH["argon2_time_cost"])
    with db.write_session() as s:
        for role in ROLES:
            create_user(
                s,
                email=f"{role}@example.org",
                role=role,
                ph=ph,
                password=PASSWORD,
                actor="test",
                name=role.title(),
            )
        s.commit()


@pytest.fixture
def accounts(database: Database) -> None:
    add_accounts(database)


@pytest.fixture
def seeded(database: Database) -> int:
    """Load seeds/ and return the sample article's id."""
    with database.write_session() as s:
        load_seeds(s, SEEDS_DIR, actor=EDITOR)
        s.commit()
        return int(s.scalar(text("SELECT id FROM article ORDER BY id LIMIT 1")))


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    yield application
    application.state.db.dispose()


class Client(TestClient):
    """A TestClient that knows its CSRF token, can sign in and can speak htmx."""

    token: str = ""

    def fetch_token(self) -> str:
        page = self.get("/login")
        match = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page.text)
        assert match, "no CSRF token on the page"
        self.token = match.group(1)
        return self.token

    def login(self, email: str, password: str = PASSWORD) -> None:
        response = self.post(
            "/login",
            data={"csrf_token": self.fetch_token(), "email": email, "password": password},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        self.fetch_token()  # the session, and so the token, changed at sign-in

    def hx_post(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        headers = {"HX-Request": "true", "X-CSRF-Token": self.token or self.fetch_token()}
        headers.update(kwargs.pop("headers", {}))
        return self.post(url, data=data, headers=headers, **kwargs)

    def form_post(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        """Post like a browser without JavaScript: the token in a hidden field."""
        fields = {"csrf_token": self.token or self.fetch_token(), **(data or {})}
        return self.post(url, data=fields, follow_redirects=False, **kwargs)


@pytest.fixture
def client(app, accounts) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    """A browser signed in as an editor."""
    with Client(app) as c:
        c.login(EDITOR)
        yield c


@pytest.fixture
def anonymous(app, accounts) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    with Client(app) as c:
        yield c


@pytest.fixture
def client_as(app, accounts) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    """Sign in a fresh client as any role: client_as("reviewer")."""
    opened: list[Client] = []

    def make(role: str) -> Client:
        c = Client(app)
        c.__enter__()
        c.login(f"{role}@example.org")
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)
