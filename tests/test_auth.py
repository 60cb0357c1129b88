"""Accounts: sign-in, sessions, throttling, CSRF on the login form, passwords, first admin."""

from __future__ import annotations

import os
import re
import sqlite3

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import PasswordProblem, check_password, hasher
from app.cli import main
from app.config import Settings
from app.models import User, UserSession
from app.users import MAX_FAILURES_PER_EMAIL
from tests.conftest import PASSWORD, Client, fresh


def _login(client: Client, email: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    token = client.token or client.fetch_token()
    return client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
        headers=headers,
        follow_redirects=False,
    )


def test_sign_in_and_out(anonymous: Client, session: Session) -> None:
    assert _login(anonymous, "Editor@Example.org ", PASSWORD).status_code == 303
    anonymous.fetch_token()
    assert anonymous.get("/").status_code == 200
    out = anonymous.post("/logout", data={"csrf_token": anonymous.token}, follow_redirects=False)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    assert fresh(session).scalar(select(func.count(UserSession.id))) == 0


def test_unknown_user_and_wrong_password_get_the_same_answer(anonymous: Client) -> None:
    unknown = _login(anonymous, "nobody@example.org", PASSWORD)
    wrong = _login(anonymous, "editor@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    strip = re.compile(r'value="[^"]*"|"X-CSRF-Token": "[^"]*"')
    assert strip.sub("", unknown.text) == strip.sub("", wrong.text)


def test_session_id_changes_at_sign_in(anonymous: Client) -> None:
    anonymous.get("/login")
    before = anonymous.cookies.get("whosaid")
    response = _login(anonymous, "editor@example.org", PASSWORD)
    after = re.search(r"whosaid=([^;]+)", response.headers["set-cookie"]).group(1)  # type: ignore[union-attr]
    assert before and after and before != after


def test_old_cookie_is_worthless_after_sign_out(app, accounts) -> None:  # type: ignore[no-untyped-def]
    with Client(app) as first:
        first.login("editor@example.org")
        cookie = first.cookies.get("whosaid")
        first.post("/logout", data={"csrf_token": first.token})
    with Client(app, cookies={"whosaid": cookie}) as replay:
        assert replay.get("/", follow_redirects=False).status_code == 303


def test_disabling_a_user_ends_their_sessions(client_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    admin = client_as("admin")
    user_id = fresh(session).scalar(select(User.id).where(User.email == "editor@example.org"))
    assert admin.form_post(f"/users/{user_id}", {"active": "0"}).status_code == 200
    assert editor.get("/", follow_redirects=False).status_code == 303
    assert _login(Client(editor.app), "editor@example.org", PASSWORD).status_code == 401


def test_throttled_after_repeated_failures_then_open_again(
    anonymous: Client, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(MAX_FAILURES_PER_EMAIL):
        assert _login(anonymous, "editor@example.org", "wrong wrong wrong").status_code == 401
    blocked = _login(anonymous, "editor@example.org", PASSWORD)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    # the legitimate user is not locked out for good: once the window passes, sign-in works
    import app.users as users_module

    later = users_module.utcnow() + users_module.THROTTLE_WINDOW
    monkeypatch.setattr(users_module, "utcnow", lambda: later)
    assert _login(anonymous, "editor@example.org", PASSWORD).status_code == 303


def test_login_form_needs_its_csrf_token(anonymous: Client) -> None:
    anonymous.get("/login")
    response = anonymous.post(
        "/login", data={"email": "editor@example.org", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    cross = _login(anonymous, "editor@example.org", PASSWORD, **{"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_next_only_follows_local_paths(anonymous: Client) -> None:
    token = anonymous.fetch_token()
    response = anonymous.post(
        "/login",
        data={
            "csrf_token": token,
            "email": "editor@example.org",
            "password": PASSWORD,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_password_hash_is_argon2id_with_safe_parameters() -> None:
    stored = hasher().hash("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
    assert Settings().argon2_memory_kib >= 19456


@pytest.mark.parametrize("password", ["Zürich-Straße-東京-🔑-ñandú-42", "x1y2z3w4" * 8])
def test_long_and_unicode_passwords_work_untruncated(password: str) -> None:
    ph: PasswordHasher = hasher(19456, 2)
    stored = ph.hash(check_password(password))
    assert ph.verify(stored, password)
    with pytest.raises(Exception):  # noqa: B017 - argon2 raises its own mismatch error
        ph.verify(stored, password[:-1])


@pytest.mark.parametrize("password", ["password1234", "123456789012", "short", "aaaaaaaaaaaaaa"])
def test_common_short_and_trivial_passwords_are_refused(password: str) -> None:
    with pytest.raises(PasswordProblem):
        check_password(password)


def test_first_admin_comes_from_a_one_time_link(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, app, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from app.cli.serving import _announce_first_admin

    lines: list[str] = []
    monkeypatch.setattr("click.secho", lambda message, **_: lines.append(message))
    _announce_first_admin(settings, "127.0.0.1", 8000)
    token = re.search(r"/setup/(\S+)", lines[0]).group(1)  # type: ignore[union-attr]
    with Client(app) as browser:
        csrf = browser.fetch_token()
        assert browser.get(f"/setup/{token}").status_code == 200
        done = browser.post(
            f"/setup/{token}",
            data={
                "csrf_token": csrf,
                "email": "chief@example.org",
                "name": "Chief",
                "password": "first admin passphrase",
                "confirm": "first admin passphrase",
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
        again = browser.get(f"/setup/{token}")
        assert again.status_code == 404
    admin = fresh(session).scalars(select(User)).one()
    assert (admin.email, admin.role) == ("chief@example.org", "admin")


def test_cli_user_add_reads_the_password_from_stdin(
    settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHOSAID_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WHOSAID_ARGON2_MEMORY_KIB", "19456")
    monkeypatch.setenv("WHOSAID_ARGON2_TIME_COST", "2")
    result = CliRunner().invoke(
        main,
        ["user", "add", "desk@example.org", "--role", "reviewer", "--password-stdin"],
        input="a reviewer passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = fresh(session).scalars(select(User).where(User.email == "desk@example.org")).one()
    assert user.role == "reviewer" and user.password_hash.startswith("$argon2id$")
    weak = CliRunner().invoke(
        main, ["user", "add", "weak@example.org", "--password-stdin"], input="password\n"
    )
    assert weak.exit_code != 0 and "characters" in weak.output


def _lock_spy(ph: PasswordHasher, database_url: str, seen: list[str]) -> PasswordHasher:
    """A hasher like ``ph`` that notes, each time it works, whether SQLite's write lock is
    free at that moment (argon2 takes most of a second, by design)."""

    def note() -> None:
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            seen.append("free")
        except sqlite3.OperationalError:
            seen.append("held")
        finally:
            conn.close()

    class Spy(type(ph)):  # type: ignore[misc]
        def verify(self, stored: str, given: str) -> bool:
            note()
            return bool(super().verify(stored, given))

        def hash(self, password: str, *, salt: bytes | None = None) -> str:
            note()
            return str(super().hash(password, salt=salt))

    return Spy(memory_cost=ph.memory_cost, time_cost=ph.time_cost)


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's write lock")
@pytest.mark.parametrize("password", [PASSWORD, "not the password"])
def test_the_password_check_holds_no_write_lock(
    password: str,
    app,
    anonymous: Client,
    settings: Settings,  # type: ignore[no-untyped-def]
) -> None:
    """While a sign-in's password is checked, other editors' writes go on."""
    seen: list[str] = []
    app.state.hasher = _lock_spy(app.state.hasher, settings.database_url, seen)
    answer = _login(anonymous, "editor@example.org", password)
    assert answer.status_code == (303 if password == PASSWORD else 401)
    assert seen and set(seen) == {"free"}


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's write lock")
def test_setting_a_password_holds_no_write_lock(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    app,  # type: ignore[no-untyped-def]
) -> None:
    """Nor while the password set through a one-time link is hashed."""
    from app.cli.serving import _announce_first_admin

    lines: list[str] = []
    monkeypatch.setattr("click.secho", lambda message, **_: lines.append(message))
    _announce_first_admin(settings, "127.0.0.1", 8000)
    token = re.search(r"/setup/(\S+)", lines[0]).group(1)  # type: ignore[union-attr]
    seen: list[str] = []
    app.state.hasher = _lock_spy(app.state.hasher, settings.database_url, seen)
    with Client(app) as browser:
        done = browser.post(
            f"/setup/{token}",
            data={
                "csrf_token": browser.fetch_token(),
                "email": "chief@example.org",
                "password": "first admin passphrase",
                "confirm": "first admin passphrase",
            },
            follow_redirects=False,
        )
    assert done.status_code == 303
    assert seen and set(seen) == {"free"}
