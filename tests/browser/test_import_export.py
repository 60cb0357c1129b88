"""Three files of three kinds imported in one go, tagged, filtered across articles, and the
filtered table downloaded as Excel holds exactly the rows on screen."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RUSSIA = "Russian Ministry of Defence"

HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Border shelling | Web</title>
<script>document.title = "tampered"</script><style>p { color: red }</style></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Shelling reported near the border</h1>
<p>The Russian defense ministry said on Sunday that its peacekeepers had recorded shelling
overnight near the village of Farukh.</p>
<p>Residents described hearing explosions for several hours before dawn, and schools in two
districts stayed closed on Monday.</p>
<p>Local officials said repairs to the damaged road would take at least a week.</p>
</article><footer>Subscribe to our newsletter. All rights reserved.</footer></body></html>
"""

TXT = """Talks resume in Moscow

The Russian defence ministry said
peacekeepers would stay on the
Lachin road until the talks ended.

Diplomats from both countries arrived in the
capital on Tuesday for a third round.
"""

DOCX_PARAGRAPHS = [
    "Ceasefire holds for a second week",
    "Azerbaijan's defense ministry said it had not violated the truce.",
    "The Russian Ministry of Defence said its patrols had seen no fighting since Friday.",
]


def _files(folder: Path) -> list[Path]:
    html = folder / "border.html"
    html.write_text(HTML, encoding="utf-8")
    txt = folder / "talks.txt"
    txt.write_text(TXT, encoding="utf-8")
    document = docx.Document()
    for text in DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    word = folder / "ceasefire.docx"
    document.save(str(word))
    return [html, word, txt]


def _tag_sentence_containing(page: Page, article_link: str, words: str, key: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=article_link).click()
    row = page.locator("li.row", has_text=words)
    row.click()
    expect(row).to_have_class("row kind-body focused")
    page.keyboard.press(key)
    expect(row.locator(".chips .chip")).to_have_text(
        RUSSIA if key == "1" else "Reporter's own voice"
    )


def test_import_three_kinds_filter_and_download_excel(page: Page, tmp_path: Path) -> None:
    page.goto("/articles/new")
    page.locator("input[type=file]").set_input_files(_files(tmp_path))
    page.get_by_role("button", name="Import", exact=True).click()
    uploads = page.locator("#upload-list")
    expect(uploads).to_contain_text("3 of 3 files imported.")
    expect(uploads.locator("li.imported")).to_have_count(3)
    # the HTML page's navigation, script and footer are gone; the wrapped lines are joined
    page.get_by_role("link", name="Shelling reported near the border").click()
    expect(page.locator("#sentences")).not_to_contain_text("Subscribe")
    expect(page.locator("#sentences")).not_to_contain_text("tampered")

    _tag_sentence_containing(page, "Shelling reported near the border", "peacekeepers had", "1")
    _tag_sentence_containing(page, "Shelling reported near the border", "Residents", "0")
    _tag_sentence_containing(page, "Talks resume in Moscow", "Lachin road", "1")
    _tag_sentence_containing(page, "Ceasefire holds for a second week", "patrols", "1")
    _tag_sentence_containing(page, "Ceasefire holds for a second week", "not violated", "0")

    page.goto("/claims")
    page.get_by_label("Source").select_option(label=RUSSIA)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.attributions tbody tr")).to_have_count(3)
    on_screen = sorted(page.locator("table.attributions td.sentence-text").all_inner_texts())

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel", exact=True).click()
    path = tmp_path / "claims.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert {r["source"] for r in records} == {RUSSIA}
    # the page flows a hard-wrapped sentence onto one line; the file keeps the stored text
    assert sorted(" ".join(r["text"].split()) for r in records) == on_screen
    assert {r["article_title"] for r in records} == {
        "Shelling reported near the border",
        "Talks resume in Moscow",
        "Ceasefire holds for a second week",
    }
    wrapped = next(r["text"] for r in records if "Lachin" in r["text"])
    assert wrapped == TXT.split("\n\n")[1].strip()
