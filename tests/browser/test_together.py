"""Two editors in two browsers: changes appear within 3 s; a stale write offers both choices."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Browsers

pytestmark = pytest.mark.browser
FOCUSED = re.compile(r"\bfocused\b")


def _open(page: Page, position: int) -> None:
    page.goto(f"/articles/1#s-{position}")
    expect(page.locator(f"#s-{position}")).to_have_class(FOCUSED)


def test_a_tag_made_in_one_desk_appears_in_the_other(people: Browsers) -> None:
    alice = people.open("editor@example.org")
    bob = people.open("reviewer@example.org")
    _open(alice, 7)
    _open(bob, 7)
    expect(bob.locator("#presence")).to_contain_text("Editor", timeout=3000)
    alice.keyboard.press("1")
    expect(alice.locator("#s-7")).to_have_class(re.compile(r"\btagged\b"))
    expect(bob.locator("#s-7 .chip")).to_have_text("Russian Ministry of Defence", timeout=3000)
    expect(bob.locator("#tally strong")).to_have_text("1", timeout=3000)
    expect(bob.locator("#s-7")).to_have_class(FOCUSED)


def test_a_stale_edit_shows_both_choices_and_both_work(people: Browsers) -> None:
    alice = people.open("editor@example.org")
    bob = people.open("reviewer@example.org")
    # Bob's desk stops hearing about others' changes, so his view goes stale
    bob.route("**/articles/1/live", lambda route: route.abort())
    _open(alice, 8)
    _open(bob, 8)
    alice.keyboard.press("1")
    expect(alice.locator("#s-8")).to_have_class(re.compile(r"\btagged\b"))
    bob.keyboard.press("2")
    conflict = bob.locator("#s-8.conflict")
    expect(conflict).to_contain_text("editor@example.org changed this meanwhile")
    expect(conflict.locator(".chip")).to_have_text("Russian Ministry of Defence")
    conflict.get_by_role("button", name="Take theirs").click()
    expect(bob.locator("#s-8 .chip")).to_have_text("Russian Ministry of Defence")
    expect(bob.locator("#s-8.conflict")).to_have_count(0)

    alice.keyboard.press("3")
    expect(alice.locator("#s-8 .chip")).to_have_text("US State Department")
    bob.keyboard.press("2")
    expect(bob.locator("#s-8.conflict .chip")).to_have_text("US State Department")
    bob.locator("#s-8.conflict").get_by_role("button", name="Keep mine").click()
    expect(bob.locator("#s-8 .chip")).to_have_text("Azerbaijani Ministry of Defence")
    expect(alice.locator("#s-8 .chip")).to_have_text(
        "Azerbaijani Ministry of Defence", timeout=3000
    )
