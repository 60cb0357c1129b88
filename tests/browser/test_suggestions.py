"""Pressing A, then j and Enter down the sample, tags it exactly as the gold says."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.scoring import load_gold

pytestmark = pytest.mark.browser
FOCUSED = re.compile(r"\bfocused\b")


def test_accept_all_then_enter_walk_matches_the_gold(page: Page) -> None:
    page.goto("/articles/1")
    expect(page.locator("#s-1")).to_have_class("row kind-other focused")
    expect(page.locator("#s-8 .chip.suggestion")).to_have_text("Russian Ministry of Defence")
    page.keyboard.press("Shift+A")
    expect(page.locator("#s-8 .chip")).to_have_class("chip src-2")
    for n in range(1, 22):
        expect(page.locator(f"#s-{n}")).to_have_class(FOCUSED)
        page.keyboard.press("Enter")
        expect(page.locator(f"#s-{n}.tagged")).to_have_count(1)
        page.keyboard.press("j")
    expect(page.locator("#tally strong")).to_have_text("21")
    rows = json.loads(page.request.get("/articles/1/export.json").text())["rows"]
    expected = [g["source"] or "Reporter's own voice" for g in load_gold("sample")]
    assert [r["source"] for r in rows] == expected
    assert {r["origin"] for r in rows} == {"suggested"}
