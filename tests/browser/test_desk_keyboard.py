"""A journalist tags the sample from the keyboard alone, reloads, and downloads the CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _open_sample(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="With Russia Distracted").click()
    expect(page.locator("#s-1")).to_have_class("row kind-other focused")


def _chip(page: Page, n: int):  # type: ignore[no-untyped-def]
    return page.locator(f"#s-{n} .chips .chip")


def test_tag_with_keyboard_reload_and_download_csv(page: Page, tmp_path: Path) -> None:
    _open_sample(page)
    for _ in range(6):
        page.keyboard.press("j")
    expect(page.locator("#s-7")).to_have_class("row kind-body focused")
    plan = {7: "1", 8: "1", 9: "1", 10: "1", 11: "0", 12: "0", 13: "0"}
    names = {"1": "Russian Ministry of Defence", "0": "Reporter's own voice"}
    for n, key in plan.items():
        page.keyboard.press(key)
        expect(_chip(page, n)).to_have_text(names[key])
        expect(page.locator(f"#s-{n}")).to_have_class("row kind-body tagged focused")
        page.keyboard.press("j")
    expect(page.locator("#s-14")).to_have_class("row kind-body focused")
    page.keyboard.press("n")
    dialog = page.locator("#new-source-dialog")
    expect(dialog).to_be_visible()
    page.keyboard.type("Policy analysts")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(_chip(page, 14)).to_have_text("Policy analysts")
    expect(page.locator("#panel")).to_contain_text("Policy analysts")
    expect(page.locator("#tally strong")).to_have_text("8")
    # the new source is on key 8: use it on the next sentence
    page.keyboard.press("j")
    page.keyboard.press("8")
    expect(page.locator("#s-15")).to_have_class("row kind-body tagged focused")
    expect(_chip(page, 15)).to_have_text("Policy analysts")
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("x")
    expect(page.locator("#s-13")).to_have_class("row kind-body focused")
    expect(page.locator("#s-13 .chip.suggestion")).to_be_visible()
    expect(page.locator("#tally strong")).to_have_text("8")
    page.keyboard.press("u")
    expect(page.locator("#s-13")).to_have_class("row kind-body tagged focused")
    expect(_chip(page, 13)).to_have_text("Reporter's own voice")

    page.reload()
    expect(page.locator("#tally strong")).to_have_text("9")
    expect(_chip(page, 7)).to_have_text("Russian Ministry of Defence")
    expect(_chip(page, 15)).to_have_text("Policy analysts")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = tmp_path / "table.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    tagged = {int(r["sentence"]): r["source"] for r in rows if r["source"]}
    assert tagged == {
        **{n: names[k] for n, k in plan.items()},
        14: "Policy analysts",
        15: "Policy analysts",
    }


def test_colour_chips_come_from_the_stylesheet(page: Page) -> None:
    _open_sample(page)
    page.keyboard.press("1")
    expect(page.locator("#s-1")).to_have_class("row kind-other tagged focused")
    chip = _chip(page, 1)
    expect(chip).to_have_text("Russian Ministry of Defence")
    colour = chip.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(78, 121, 167)"


def test_split_and_merge_from_the_keyboard(page: Page) -> None:
    _open_sample(page)
    rows = page.locator("#sentences > li.row")
    expect(rows).to_have_count(21)
    for _ in range(8):
        page.keyboard.press("j")
    page.keyboard.press("1")
    expect(page.locator("#s-9")).to_have_class("row kind-body tagged focused")
    page.keyboard.press("s")
    expect(page.locator("#s-9.splitting .cut").first).to_be_visible()
    for _ in range(7):  # cuts sit before each word: the 7th is before "the"
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(22)
    expect(page.locator("#s-9 .text")).to_have_text(
        "The Azerbaijani forces installed a surveillance post,"
    )
    expect(_chip(page, 10)).to_have_text("Russian Ministry of Defence")
    expect(page.locator("#s-9")).to_have_class("row kind-body tagged focused")
    page.keyboard.press("m")
    expect(rows).to_have_count(21)
    expect(page.locator("#s-9 .text")).to_contain_text("adding that it had called")


def test_deep_link_focuses_the_sentence(page: Page) -> None:
    page.goto("/articles/1#s-15")
    expect(page.locator("#s-15")).to_have_class("row kind-body focused")
    page.keyboard.press("j")
    expect(page.locator("#s-16")).to_have_class("row kind-body focused")
    assert page.evaluate("location.hash") == "#s-16"


def test_help_lists_the_keys(page: Page) -> None:
    _open_sample(page)
    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    expect(page.locator("#help-dialog")).to_contain_text("reporter's own voice")
    page.keyboard.press("Escape")
    expect(page.locator("#help-dialog")).to_be_hidden()


def test_keys_typed_faster_than_answers_apply_in_order(page: Page) -> None:
    _open_sample(page)
    for _ in range(6):
        page.keyboard.press("j")
    for key in ("1", "j", "1", "j", "2", "k", "3", "s"):
        page.keyboard.press(key)
    expect(page.locator("#s-8.splitting .cut").first).to_be_visible()
    expect(_chip(page, 7)).to_have_text("Russian Ministry of Defence")
    expect(_chip(page, 9)).to_have_text("Azerbaijani Ministry of Defence")
    page.keyboard.press("Escape")
    expect(_chip(page, 8)).to_have_text("US State Department")


def test_a_tag_updates_the_suggestions_after_it_and_never_undoes_a_newer_tag(
    page: Page,
) -> None:
    # Row 16 reads "The ministry said…": once row 15 is Moscow's ministry, so is row 16's
    # suggestion; the desk fetches the rows after a change once the change is painted.
    page.goto("/articles/1#s-15")
    expect(page.locator("#s-15")).to_have_class("row kind-body focused")
    suggestion = page.locator("#s-16 .chip.suggestion")
    count = page.locator('#panel .source-btn[data-source-id="2"] .count')
    expect(suggestion).not_to_have_text("Russian Ministry of Defence")
    expect(count).to_have_text("0")
    page.keyboard.press("1")
    expect(_chip(page, 15)).to_have_text("Russian Ministry of Defence")
    expect(page.locator("#tally strong")).to_have_text("1")
    expect(suggestion).to_have_text("Russian Ministry of Defence")
    expect(count).to_have_text("1")  # the panel comes with the rows after the change
    # Change row 15 again and tag row 16 at once: when the rows after 15 come back, the
    # older row 16 among them must not replace the tagged one.
    with page.expect_response(lambda r: "/sentences/15/following" in r.url):
        for key in ("0", "j", "0"):
            page.keyboard.press(key)
    expect(_chip(page, 15)).to_have_text("Reporter's own voice")
    expect(_chip(page, 16)).to_have_text("Reporter's own voice")
    expect(page.locator("#s-16.tagged")).to_have_count(1)
