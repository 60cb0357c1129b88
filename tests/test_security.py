"""Escaping, security headers, error pages and the secret key."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Article
from app.security import CSP, load_secret
from app.web import env
from tests.conftest import Client, fresh

PAYLOAD = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    '<div hx-get="/sources" hx-trigger="load">x</div><a href="javascript:alert(1)">y</a>'
)


def test_article_html_is_shown_as_text(client: Client, session: Session) -> None:
    client.form_post(
        "/articles", {"text": f"Headline {PAYLOAD}. Officials said {PAYLOAD}.", "title": PAYLOAD}
    )
    article_id = fresh(session).scalar(select(Article.id))
    for path in (f"/articles/{article_id}", f"/articles/{article_id}/table", "/"):
        page = client.get(path).text
        assert "<script>window" not in page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
        soup = BeautifulSoup(page, "html.parser")
        assert not soup.select('main img, main [hx-trigger="load"], main a[href^=javascript]')


def test_every_template_forces_autoescape() -> None:
    for name in env.list_templates():
        assert env.autoescape is True or env.autoescape(name) is True, name  # type: ignore[operator]
    assert env.from_string("{{ x }}").render(x="<b>\"'&") == "&lt;b&gt;&#34;&#39;&amp;"


def test_security_headers_on_pages_errors_and_static(client: Client, seeded: int) -> None:
    for path in ("/", f"/articles/{seeded}", "/nope", "/static/app.js", "/sources.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert "frame-ancestors 'none'" in CSP and "object-src 'none'" in CSP


def test_pages_have_no_inline_script_or_style(client: Client, seeded: int) -> None:
    for path in (
        "/",
        f"/articles/{seeded}",
        "/sources",
        "/articles/new",
        f"/articles/{seeded}/table",
    ):
        soup = BeautifulSoup(client.get(path).text, "html.parser")
        assert all(tag.get("src") for tag in soup.find_all("script")), path
        assert not soup.find_all("style"), path
        assert not soup.select("[style]"), path
        assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)], (
            path
        )


def test_htmx_is_vendored_pinned_and_hardened(client: Client) -> None:
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    src = [s["src"] for s in soup.find_all("script")]
    assert "/static/htmx-2.0.11.min.js" in src
    assert client.get("/static/htmx-2.0.11.min.js").status_code == 200
    config = soup.select_one("meta[name=htmx-config]")["content"]
    for setting in (
        '"allowEval": false',
        '"allowScriptTags": false',
        '"includeIndicatorStyles": false',
        '"selfRequestsOnly": true',
        '"historyCacheSize": 0',
    ):
        assert setting in config


def test_session_cookie_is_httponly_and_samesite(anonymous: Client) -> None:
    cookie = anonymous.get("/login").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_error_page_is_generic(client: Client) -> None:
    response = client.get("/articles/999999")
    assert response.status_code == 404
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()


def test_api_docs_are_not_served(client: Client) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404


def test_secret_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_secret("", tmp_path)
    assert load_secret("", tmp_path) == first and len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert load_secret("configured", tmp_path) == b"configured"


def test_no_secret_literal_in_the_code() -> None:
    root = Path(__file__).resolve().parent.parent
    literal = re.compile(r"secret[_a-z]*\s*(?::\s*str\s*)?=\s*[\"'][^\"']+[\"']", re.IGNORECASE)
    for folder in ("app", "migrations", "seeds", "templates"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".json", ".html", ".ini"}:
                assert not literal.search(path.read_text("utf-8")), path
    assert not (root / "instance" / "secret_key").exists() or not _tracked("instance/secret_key")


def _tracked(path: str) -> bool:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(["git", "ls-files", path], cwd=root, capture_output=True, text=True)
    return bool(result.stdout.strip())


def test_hsts_only_over_https(app, accounts) -> None:  # type: ignore[no-untyped-def]
    with Client(app, base_url="https://testserver") as secure:
        response = secure.get("/login")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "__Host-whosaid=" in response.headers["set-cookie"]
        assert "Secure" in response.headers["set-cookie"]
    with Client(app) as plain:
        assert "strict-transport-security" not in plain.get("/login").headers


def test_unexpected_error_is_a_generic_page_with_the_headers(
    app,
    client: Client,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    def explode(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals: SELECT password FROM user")

    monkeypatch.setattr("app.routes.home.library", explode)
    with Client(app, raise_server_exceptions=False) as broken:
        broken.login("viewer@example.org")
        response = broken.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"] == CSP
