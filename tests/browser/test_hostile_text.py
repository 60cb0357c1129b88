"""An article full of script and htmx payloads shows as text and runs nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

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
