"""Every route x every role: the expected status, and a denied write changes no rows."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session
from starlette.routing import Mount

from app import tokens
from app.auth import can
from app.config import API_PREFIX, Settings
from app.db import Database
from app.main import create_app
from app.models import Event, User
from app.routes import Permission
from app.routes.api import ApiPermission
from tests.conftest import ROLES, Client, fresh

PUBLIC = {"/login", "/logout", "/setup/{token}"}
TABLES = ("article", "sentence", "source", "attribution", "event", "user", "assignment")


def _permission(route: APIRoute) -> str | None:
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Permission | ApiPermission):
            return dep.call.role
        stack.extend(dep.dependencies)
    return None


def _routes(api: bool = False) -> list[tuple[str, str, str | None]]:
    """The app's own route table (routers included from app/main.py, no prefixes), or with
    ``api`` the JSON API's, mounted below API_PREFIX."""
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        Settings(
            database_url=f"sqlite:///{folder / 'routes.db'}",
            instance_dir=folder,
            secret_key="route-listing",
            argon2_memory_kib=19456,
            argon2_time_cost=2,
        )
    )
    routes: list[APIRoute] = []
    prefix = ""
    table = app.routes
    if api:
        prefix = API_PREFIX
        table = next(r for r in app.routes if isinstance(r, Mount) and r.path == API_PREFIX).routes
    for route in table:
        if isinstance(route, APIRoute):
            routes.append(route)
        for inner in getattr(getattr(route, "original_router", None), "routes", []):
            if isinstance(inner, APIRoute):
                routes.append(inner)
    app.state.db.dispose()
    return [(m, prefix + r.path, _permission(r)) for r in routes for m in sorted(r.methods)]


ROUTES = _routes()
API_ROUTES = _routes(api=True)


def test_every_route_declares_a_permission_or_is_public() -> None:
    assert len(ROUTES) > 30
    for method, path, role in ROUTES:
        assert role is not None or path in PUBLIC, f"{method} {path} has no permission"


def test_roles_are_what_the_issue_asks() -> None:
    table = {(m, p): r for m, p, r in ROUTES}
    assert table[("GET", "/")] == "viewer"
    assert table[("GET", "/articles/{article_id}/export.{fmt}")] == "viewer"
    assert table[("GET", "/claims/export.{fmt}")] == "viewer"
    assert table[("POST", "/sources/{source_id}/merge")] == "reviewer"
    assert table[("POST", "/articles")] == "editor"
    assert table[("POST", "/articles/{article_id}/sentences/{sentence_id}/tag")] == "editor"
    assert table[("POST", "/articles/{article_id}/submit")] == "editor"
    assert table[("POST", "/articles/{article_id}/approve")] == "reviewer"
    assert table[("POST", "/articles/{article_id}/reopen")] == "admin"
    assert table[("GET", "/users")] == "admin"
    assert table[("POST", "/sources/{source_id}/delete")] == "admin"


def _counts(session: Session) -> dict[str, int]:
    fresh(session)
    return {t: int(session.scalar(text(f'SELECT COUNT(*) FROM "{t}"'))) for t in TABLES}


def _url(path: str, article_id: int) -> str:
    values = {
        "article_id": str(article_id),
        "sentence_id": "7",
        "source_id": "3",
        "user_id": "2",
        "token": "x" * 43,
        "fmt": "csv",
        "number": "1",
        "token_id": "1",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _answered_as_allowed(
    who: str, role: str, status: int, where: tuple[str, str], *, signed_out: tuple[int, ...]
) -> bool:
    """Check one answer of the matrix (``where``: method and URL); return whether ``who``
    may call a route that needs ``role``."""
    allowed = who != "anonymous" and can(who, role)
    if who == "anonymous":
        assert status in signed_out, (*where, status)
    elif not allowed:
        assert status == 403, (who, *where, status)
    else:
        assert status not in (401, 403) and status < 500, (who, *where, status)
    return allowed


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_permission_matrix(
    who: str,
    anonymous: Client,
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    client = anonymous if who == "anonymous" else client_as(who)
    token = client.token or client.fetch_token()
    for method, path, role in ROUTES:
        if role is None:
            continue
        url = _url(path, seeded)
        before = _counts(session) if method == "POST" else None
        headers = {"X-CSRF-Token": token}
        response = client.request(method, url, headers=headers, follow_redirects=False)
        allowed = _answered_as_allowed(
            who, role, response.status_code, (method, url), signed_out=(303, 401)
        )
        if before is not None and not allowed:
            assert _counts(session) == before, (who, method, url)


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_api_permission_matrix(
    who: str, anonymous: Client, seeded: int, session: Session, database: Database
) -> None:
    headers = {}
    if who != "anonymous":
        with database.write_session() as s:
            user = s.scalars(select(User).where(User.email == f"{who}@example.org")).one()
            secret, _ = tokens.create_token(s, user, name="matrix", actor="test")
            s.commit()
        headers = {"Authorization": f"Bearer {secret}"}
    assert len(API_ROUTES) >= 10
    for method, path, role in API_ROUTES:
        assert role is not None, f"{method} {path} has no permission"
        url = _url(path, seeded)
        before = _counts(session) if method != "GET" else None
        response = anonymous.request(method, url, headers=headers, json={})
        allowed = _answered_as_allowed(
            who, role, response.status_code, (method, url), signed_out=(401,)
        )
        if before is not None and not allowed:
            assert _counts(session) == before, (who, method, url)


def test_anonymous_page_request_goes_to_sign_in(anonymous: Client, seeded: int) -> None:
    response = anonymous.get(f"/articles/{seeded}?at=3", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Farticles%2F1%3Fat%3D3"
    htmx = anonymous.get(f"/articles/{seeded}", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"].startswith("/login")


def test_static_files_and_login_are_public(anonymous: Client) -> None:
    assert anonymous.get("/static/app.css").status_code == 200
    assert anonymous.get("/login").status_code == 200


def test_viewer_sees_a_read_only_desk(client_as, seeded: int, session: Session) -> None:  # type: ignore[no-untyped-def]
    viewer = client_as("viewer")
    page = viewer.get(f"/articles/{seeded}")
    assert 'data-writable="no"' in page.text
    response = viewer.hx_post(f"/articles/{seeded}/sentences/7/tag", {"key": "1"})
    assert response.status_code == 403
    assert fresh(session).scalar(select(func.count(Event.id)).where(Event.action == "tag.set")) == 0


def test_no_get_route_opens_a_write_transaction(
    app,
    client_as,
    seeded: int,  # type: ignore[no-untyped-def]
) -> None:
    """GET never changes state: no GET handler, for any role, begins a write transaction."""
    if not app.state.db.is_sqlite:
        pytest.skip("on PostgreSQL reads and writes share one engine: nothing to tell apart")
    writes: list[str] = []
    engine = app.state.db.write_engine

    def count(conn) -> None:  # type: ignore[no-untyped-def]
        writes.append(current)

    admin = client_as("admin")
    event.listen(engine, "begin", count)
    try:
        for method, path, _role in ROUTES:
            if method != "GET":
                continue
            current = _url(path, seeded)
            response = admin.get(current, headers={"HX-Request": "true"})
            assert response.status_code < 500, current
    finally:
        event.remove(engine, "begin", count)
    assert writes == []
