"""An article full of script and htmx payloads shows as text and runs nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app import articles, sources, tagging
from app.articles import ArticleInput, create_article
from app.db import open_database
from tests.browser.conftest import Browsers, LiveServer

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    '"><iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
    "<a href=\"javascript:window.__pwned='link'\">click</a>",
    '<div hx-get="/sources" hx-trigger="load" hx-target="body">htmx</div>',
    "<button hx-on:click=\"window.__pwned='hxon'\">b</button>",
    '<form data-hx-post="/articles" data-hx-trigger="load"></form>',
]


def test_payload_article_renders_inert(page: Page) -> None:
    text = "Officials said the following was posted.\n\n" + "\n\n".join(
        f"Payload {i} said {p} today." for i, p in enumerate(PAYLOADS)
    )
    page.goto("/articles/new")
    page.locator("textarea[name=text]").fill(text)
    page.locator("input[name=title]").fill(PAYLOADS[0] + PAYLOADS[1])
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#desk")).to_be_visible()
    expect(page.locator("#s-2 .text")).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(page.locator("h1")).to_contain_text("<img src=x onerror")
    page.keyboard.press("j")
    page.keyboard.press("0")
    expect(page.locator("#s-2 .chip")).to_have_text("Reporter's own voice")
    for path in (page.url.split("#")[0] + "/table", "/"):
        page.goto(path)
        expect(page.locator("main")).to_contain_text("window.__pwned")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img, main iframe, main svg").count() == 0


def test_payloads_in_every_field_render_inert_in_every_view(
    people: Browsers, live_server: LiveServer
) -> None:
    """Payloads in an article's text and title, and in source names, aliases and country,
    shown by every page: nothing runs (the CSP check happens when the pages close)."""
    db = open_database(live_server.database_url)
    with db.write_session() as s:
        text = "\n\n".join(f"{p} said the ministry. It denied {p}." for p in PAYLOADS)
        article = create_article(
            s, ArticleInput(title=PAYLOADS[3], text=text, outlet=PAYLOADS[1]), actor="test"
        )
        made = [
            sources.create_source(
                s,
                sources.SourceInput(
                    name=f"{p} #{i}", aliases=(PAYLOADS[-1 - i],), country=PAYLOADS[2]
                ),
                actor="test",
            )
            for i, p in enumerate(PAYLOADS)
        ]
        s.flush()
        rows = articles.sentences(s, article.id)
        for sentence, source in zip(rows, made, strict=False):
            tagging.tag(s, sentence, source, editor="test")
        s.commit()
        article_id, source_id = article.id, made[0].id
    db.dispose()
    page = people.open("admin@example.org")
    views = [
        "/",
        "/?q=said",
        f"/articles/{article_id}",
        f"/articles/{article_id}/table",
        f"/articles/{article_id}/activity",
        f"/articles/{article_id}/review",
        f"/articles/{article_id}/balance",
        f"/articles/{article_id}/versions",
        "/claims",
        f"/claims?source={source_id}",
        "/balance",
        "/sources",
        f"/sources/{source_id}",
        f"/sources/{source_id}/edit",
        f"/sources/{source_id}/merge?into={made[1].id}",
        "/tokens",
        "/users",
    ]
    for view in views:
        response = page.goto(view)
        assert response is not None and response.status == 200, view
        if view not in ("/tokens", "/users"):  # pages without article or source text
            expect(page.locator("main")).to_contain_text("__pwned")
        assert page.evaluate("window.__pwned") is None, view
        assert page.locator("main img, main iframe, main script, main [onerror]").count() == 0
    page.goto(f"/articles/{article_id}#s-1")
    page.keyboard.press("h")  # the sentence's history fragment
    expect(page.locator("main")).to_contain_text("__pwned")
    assert page.evaluate("window.__pwned") is None
