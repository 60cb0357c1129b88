"""Files to extract from, built in memory: news pages, Word documents, zip archives."""

from __future__ import annotations

import html
import io
import tracemalloc
import zipfile
from collections.abc import Callable

import docx

LIMIT = 1_000_000
MB = 1024 * 1024

ARTICLE = [
    "Negotiators from both sides returned to Geneva on Thursday for a third round of talks, "
    "officials said, after a week in which shelling along the front line intensified sharply.",
    "“We are here to listen, not to lecture,” the mediator, Anna Keller, told reporters "
    "outside the United Nations building, adding that the first session would run late.",
    "The foreign ministry said in a statement that its delegation had “a clear mandate” and "
    "would not discuss territorial questions before a ceasefire held for seven days.",
    "Analysts cautioned that previous rounds had collapsed within hours. “Nobody expects a "
    "breakthrough this week,” said Marc Rossi, a researcher who has followed the conflict.",
    "The talks are expected to continue on Friday morning, with a joint statement possible "
    "by the weekend if the two delegations agree on a monitoring mechanism.",
]
# Text from the page around the article, none of which may reach the stored text.
FURNITURE = [
    "World news menu",
    "Sport section link",
    "We use cookies to improve your experience",
    "SCRIPT-LEAK",
    "tracking",
    "STYLE-LEAK",
    "Related",
    "Sidebar story about fishing quotas",
    "Footer copyright",
    "Share this article",
]


def news_page() -> str:
    """Return a news page with an article inside the usual page furniture."""
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in ARTICLE)
    body = body.replace(
        "United Nations building", '<a href="https://example.org/un">United Nations building</a>'
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ceasefire talks resume in Geneva | The Daily Ledger</title>
<meta property="og:title" content="Ceasefire talks resume in Geneva">
<meta property="article:published_time" content="2024-03-14T09:30:00Z">
<style>.nav {{ color: red; }} body::after {{ content: "STYLE-LEAK"; }}</style>
<script>window.x = "SCRIPT-LEAK"; var tracking = {{id: 42}};</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World news menu</a>
<a href="/sport">Sport section link</a></nav></header>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience.
Accept all cookies?</p><button>Accept</button></div>
<main><article>
<h1>Ceasefire talks resume in Geneva</h1>
<p class="byline">By Jane Doe, diplomatic correspondent</p>
{body}
<div class="share"><a href="#">Share this article</a></div>
</article>
<aside class="sidebar"><h2>Related</h2><ul>
<li><a href="/a">Sidebar story about fishing quotas</a></li>
<li><a href="/b">Sidebar story about rail strikes</a></li></ul></aside>
</main>
<footer><p>Footer copyright 2024 The Daily Ledger. All rights reserved.</p></footer>
<script>document.write("SCRIPT-LEAK-2")</script>
</body></html>"""


def simple_page(paragraph_html: str, head: str = "") -> str:
    """Return a bare page around some paragraphs."""
    return f"<html><head>{head}</head><body><article>{paragraph_html}</article></body></html>"


def build_docx(
    paragraphs: list[tuple[str, str | None]], *, title: str = "", table: bool = False
) -> bytes:
    """Return a .docx with these (text, style) paragraphs."""
    document = docx.Document()
    document.core_properties.title = title
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        document.add_table(rows=1, cols=1).cell(0, 0).text = "TABLE-CELL"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Return a zip archive holding these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_of_zeros(sizes: dict[str, int]) -> bytes:
    """Return a zip whose members are this many zero bytes each, written in 1 MB chunks."""
    out = io.BytesIO()
    chunk = b"\0" * MB
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, size in sizes.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for start in range(0, size, MB):
                    member.write(chunk[: min(MB, size - start)])
    return out.getvalue()


def measure(
    function: Callable[..., object], *args: object, **kwargs: object
) -> tuple[Exception | None, int]:
    """Run a call; return what it raised and the most memory it held, in bytes."""
    tracemalloc.start()
    try:
        function(*args, **kwargs)
        raised = None
    except Exception as exc:  # reported to the test, which says what it expected
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return raised, peak
