"""The JSON API: bearer tokens with their user's role, the same store as the pages."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import Database
from app.models import ApiToken, Attribution, Event
from tests.conftest import SAMPLE, Client

TokenFor = Callable[[str], str]


@pytest.fixture
def token_for(client_as: Callable[[str], Client]) -> TokenFor:
    """Make a token on the Tokens page as a role, the way a user would, and return it."""

    def make(role: str) -> str:
        page = client_as(role).form_post("/tokens", {"name": f"{role} script"})
        assert page.status_code == 200, page.text
        match = re.search(r'id="new-token">(ws_[^<]+)<', page.text)
        assert match, "the new token is not shown"
        return match.group(1)

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_no_token_or_a_wrong_one_is_401(anonymous: Client, seeded: int) -> None:
    for headers in ({}, bearer("ws_not-a-token"), {"Authorization": "Basic abc"}):
        response = anonymous.get("/api/v1/articles", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["detail"].startswith("Send a valid API token")


def test_a_browser_session_is_not_enough(client: Client, seeded: int) -> None:
    # the API is not a cookie-authenticated surface, so it needs no CSRF protection
    assert client.get("/api/v1/articles").status_code == 401


def test_viewer_token_reads_but_cannot_write(
    anonymous: Client, seeded: int, token_for: TokenFor, database: Database
) -> None:
    headers = bearer(token_for("viewer"))
    listing = anonymous.get("/api/v1/articles", headers=headers)
    assert listing.status_code == 200
    assert [a["id"] for a in listing.json()["items"]] == [seeded]
    assert "set-cookie" not in listing.headers
    article = anonymous.get(f"/api/v1/articles/{seeded}", headers=headers).json()
    sentence = article["sentences_list"][6]
    response = anonymous.put(
        f"/api/v1/articles/{seeded}/sentences/{sentence['id']}/attributions",
        json={"source_ids": [1]},
        headers=headers,
    )
    assert response.status_code == 403
    with database.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Attribution)) == 0


def test_editor_sets_attributions_and_a_stale_version_is_409(
    anonymous: Client, seeded: int, token_for: TokenFor, database: Database
) -> None:
    headers = bearer(token_for("editor"))
    article = anonymous.get(f"/api/v1/articles/{seeded}", headers=headers).json()
    sentence = article["sentences_list"][6]
    stored = SAMPLE.read_text(encoding="utf-8")
    assert stored[sentence["start"] : sentence["end"]] == sentence["text"]
    sources = {s["name"]: s["id"] for s in anonymous.get("/api/v1/sources", headers=headers).json()}
    russia = sources["Russian Ministry of Defence"]
    url = f"/api/v1/articles/{seeded}/sentences/{sentence['id']}/attributions"
    version = sentence["version"]
    first = anonymous.put(url, json={"source_ids": [russia], "version": version}, headers=headers)
    assert first.status_code == 200, first.text
    assert [a["source"] for a in first.json()["attributions"]] == ["Russian Ministry of Defence"]
    assert first.json()["version"] == version + 1
    stale = anonymous.put(url, json={"source_ids": [], "version": version}, headers=headers)
    assert stale.status_code == 409
    assert f"now version {version + 1}" in stale.json()["detail"]
    with database.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Attribution)) == 1
        actions = list(s.scalars(select(Event.action).where(Event.actor == "editor@example.org")))
        assert "tag.set" in actions
    unknown = anonymous.put(url, json={"source_ids": [999999]}, headers=headers)
    assert unknown.status_code == 422


def test_suggestions_accept_and_export(anonymous: Client, seeded: int, token_for: TokenFor) -> None:
    headers = bearer(token_for("editor"))
    suggestions = anonymous.get(f"/api/v1/articles/{seeded}/suggestions", headers=headers).json()
    with_source = [s for s in suggestions if s["source"]]
    assert with_source and all(s["reason"] for s in with_source)
    target = with_source[0]
    accepted = anonymous.post(
        f"/api/v1/articles/{seeded}/sentences/{target['sentence_id']}/accept", headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["attributions"][0]["origin"] == "suggested"
    export = anonymous.get(f"/api/v1/articles/{seeded}/export.csv", headers=headers)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["source"] for r in rows if r["source"]] == [target["source"]]
    claims = anonymous.get("/api/v1/attributions", headers=headers).json()
    assert claims["total"] == 1 and claims["items"][0]["source"] == target["source"]
    jsonld = anonymous.get("/api/v1/attributions/export.jsonld", headers=headers).text
    assert f'"http://testserver/articles/{seeded}/sentences/' in jsonld and "/api/v1" not in jsonld


def test_create_article_and_source(anonymous: Client, accounts: None, token_for: TokenFor) -> None:
    headers = bearer(token_for("editor"))
    text = "Prices rose, the bank said.\n\nThe union disputed that.  Twice."
    made = anonymous.post("/api/v1/articles", json={"text": text, "title": ""}, headers=headers)
    assert made.status_code == 201, made.text
    detail = anonymous.get(f"/api/v1/articles/{made.json()['id']}", headers=headers).json()
    assert [text[s["start"] : s["end"]] for s in detail["sentences_list"]] == [
        s["text"] for s in detail["sentences_list"]
    ]
    again = anonymous.post("/api/v1/articles", json={"text": text}, headers=headers)
    assert again.status_code == 409
    source = anonymous.post("/api/v1/sources", json={"name": "Central Bank"}, headers=headers)
    assert source.status_code == 201
    twin = anonymous.post("/api/v1/sources", json={"name": "central  bank"}, headers=headers)
    assert twin.status_code == 422


def test_revoked_token_stops_working(
    client_as: Callable[[str], Client], anonymous: Client, accounts: None, database: Database
) -> None:
    browser = client_as("editor")
    page = browser.form_post("/tokens", {"name": "notebook"}).text
    secret = re.search(r'id="new-token">(ws_[^<]+)<', page)
    assert secret
    assert anonymous.get("/api/v1/sources", headers=bearer(secret.group(1))).status_code == 200
    with database.read_session() as s:
        number = s.scalar(select(ApiToken.id))
        assert s.scalar(select(ApiToken.token_hash)) != secret.group(1)  # stored hashed
    listing = browser.get("/tokens").text
    assert secret.group(1) not in listing  # shown once only
    assert browser.form_post(f"/tokens/{number}/revoke").status_code == 200
    assert anonymous.get("/api/v1/sources", headers=bearer(secret.group(1))).status_code == 401


def test_someone_elses_token_cannot_be_revoked(
    client_as: Callable[[str], Client], accounts: None, database: Database
) -> None:
    client_as("editor").form_post("/tokens", {"name": "mine"})
    with database.read_session() as s:
        number = s.scalar(select(ApiToken.id))
    assert client_as("viewer").form_post(f"/tokens/{number}/revoke").status_code == 404
    with database.read_session() as s:
        assert s.scalar(select(ApiToken.revoked_at)) is None


def test_tokens_page_lists_the_operations(client: Client) -> None:
    page = client.get("/tokens").text
    for path in ("/api/v1/articles", "/api/v1/sources", "/api/v1/attributions"):
        assert f"<code>{path}</code>" in page


def test_openapi_schema_is_valid(app, anonymous: Client) -> None:  # type: ignore[no-untyped-def]
    from openapi_spec_validator import validate

    schema = anonymous.get("/api/v1/openapi.json").json()
    validate(schema)
    assert {"/articles", "/sources", "/attributions"} <= set(schema["paths"])
    assert isinstance(TestClient, type)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/articles/{a}/sentences/{s}/attributions", {"source_ids": [], "editor": "x"}),
        ("PUT", "/articles/{a}/sentences/{s}/attributions", {"source_ids": [], "is_admin": True}),
        ("POST", "/sources", {"name": "Extra", "hotkey": 3}),
        ("POST", "/sources", {"name": "Extra", "id": 1, "is_reporter": True}),
        ("POST", "/articles", {"text": "A said B.", "status": "approved", "approved_by": "me"}),
        ("POST", "/articles", {"text": "A said B.", "article_id": 1, "created_by": "me"}),
    ],
)
def test_fields_a_client_may_not_set_are_refused(
    method: str,
    path: str,
    body: dict[str, object],
    anonymous: Client,
    seeded: int,
    token_for: TokenFor,
    database: Database,
) -> None:
    """Mass assignment (TESTPLAN D3): an unknown field is a 422 naming it; nothing changes."""
    headers = bearer(token_for("admin"))
    url = "/api/v1" + path.format(a=seeded, s=7)
    with database.read_session() as s:
        before = s.scalar(select(func.count()).select_from(Event))
    answer = anonymous.request(method, url, json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    extra = next(k for k in body if k not in ("source_ids", "name", "text"))
    assert extra in answer.text
    with database.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == before
