"""Extracting article text from uploaded files: web pages, Word documents, zip archives."""

from __future__ import annotations

import codecs
import datetime
import html
import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.extract import SUPPORTED, Skipped, extract_file, iter_archive
from app.importing import ImportProblem
from app.segment import paragraphs

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


# --- web pages ---------------------------------------------------------------------------


def test_html_keeps_article_paragraphs_in_order_as_blocks() -> None:
    result = extract_file("talks.html", news_page().encode(), limit=LIMIT)
    blocks = result.text.split("\n\n")
    assert blocks[-len(ARTICLE) :] == ARTICLE
    assert result.kind == "html"


def test_html_blocks_are_the_segmenter_paragraphs() -> None:
    text = extract_file("talks.html", news_page().encode(), limit=LIMIT).text
    assert [text[s:e] for s, e in paragraphs(text)] == text.split("\n\n")


@pytest.mark.parametrize("leak", FURNITURE)
def test_html_drops_page_furniture(leak: str) -> None:
    assert leak not in extract_file("talks.html", news_page().encode(), limit=LIMIT).text


def test_html_output_is_plain_text() -> None:
    text = extract_file("talks.html", news_page().encode(), limit=LIMIT).text
    assert "<" not in text and "href" not in text and "&" not in text


def test_html_title_and_date_come_from_metadata() -> None:
    result = extract_file("talks.html", news_page().encode(), limit=LIMIT)
    assert result.title == "Ceasefire talks resume in Geneva"
    assert result.published == datetime.date(2024, 3, 14)


def test_html_title_falls_back_to_title_element_and_date_to_none() -> None:
    page = simple_page("".join(f"<p>{p}</p>" for p in ARTICLE), "<title>Talks in Geneva</title>")
    result = extract_file("talks.htm", page.encode(), limit=LIMIT)
    assert (result.title, result.published) == ("Talks in Geneva", None)


def test_html_windows_1252_page_decoded_by_its_meta_charset() -> None:
    paragraph = "“The café stays open,” said the mayor of the little town, “whatever happens.”"
    page = simple_page(
        f"<p>{paragraph}</p>" + "".join(f"<p>{p}</p>" for p in ARTICLE[:3]),
        '<meta charset="windows-1252"><title>Café</title>',
    )
    result = extract_file("cafe.html", page.encode("windows-1252"), limit=LIMIT)
    assert result.text.split("\n\n")[0] == paragraph
    assert result.title == "Café"


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=latin1">',
    ],
)
def test_html_latin1_label_read_as_windows_1252(head: str) -> None:
    page = simple_page("".join(f"<p>{p} Déjà.</p>" for p in ARTICLE), head)
    text = extract_file("quotes.html", page.encode("windows-1252"), limit=LIMIT).text
    assert "“We are here to listen" in text and "Déjà." in text


def test_html_valid_utf8_wins_over_a_stale_meta_charset() -> None:
    page = simple_page(
        "".join(f"<p>{p} Déjà.</p>" for p in ARTICLE), '<meta charset="windows-1252">'
    )
    text = extract_file("stale.html", page.encode("utf-8"), limit=LIMIT).text
    assert "Déjà." in text and "Ã" not in text


@pytest.mark.parametrize(
    "bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]
)
def test_html_byte_order_mark_decides_the_encoding(bom: bytes, encoding: str) -> None:
    page = simple_page("".join(f"<p>{p} Déjà.</p>" for p in ARTICLE))
    text = extract_file("bom.html", bom + page.encode(encoding), limit=LIMIT).text
    assert text.startswith(ARTICLE[0]) and "Déjà." in text and "\ufeff" not in text


def test_html_without_a_declared_charset_is_guessed() -> None:
    french = (
        "Le ministère a précisé que la délégation, arrivée à Genève très tôt, était prête à "
        "négocier « sans préalable » et qu'elle resterait jusqu'à vendredi soir."
    )
    page = simple_page("".join(f"<p>{french} {i}</p>" for i in range(4)))
    text = extract_file("fr.html", page.encode("windows-1252"), limit=LIMIT).text
    assert text.split("\n\n")[0] == f"{french} 0"


def test_html_escaped_markup_is_kept_as_the_authors_words() -> None:
    quoted = "The attack hid &lt;script&gt;alert(1)&lt;/script&gt; inside a comment field."
    page = simple_page("".join(f"<p>{p}</p>" for p in [*ARTICLE, quoted]))
    text = extract_file("xss.html", page.encode(), limit=LIMIT).text
    assert text.endswith("The attack hid <script>alert(1)</script> inside a comment field.")


def test_html_inline_script_inside_a_paragraph_is_dropped() -> None:
    raw = "<p>The minister <script>var LEAK = 1;</script>spoke for an hour about the budget.</p>"
    page = simple_page("".join(f"<p>{p}</p>" for p in ARTICLE) + raw)
    assert "LEAK" not in extract_file("inline.html", page.encode(), limit=LIMIT).text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Home</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a><a href='/a'>About</a></nav></body></html>",
        "<html><body><script>document.write('x')</script></body></html>",
        "",
        "not a web page at all",
    ],
)
def test_html_without_an_article_is_refused(page: str) -> None:
    with pytest.raises(ImportProblem, match="no article text found"):
        extract_file("empty.html", page.encode(), limit=LIMIT)


def test_html_larger_than_the_limit_is_refused() -> None:
    with pytest.raises(ImportProblem) as caught:
        extract_file("big.html", news_page().encode(), limit=1000)
    assert caught.value.status == 413


PRINTABLE_WORDS = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
    min_size=1,
    max_size=30,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(PRINTABLE_WORDS, min_size=1, max_size=6))
@example(["<script>alert(1)</script>", "A sentence long enough to be an article paragraph."])
@example(["</p><script>", "&amp; &lt;b&gt;"])
def test_html_any_printable_paragraphs_give_plain_text_or_a_refusal(texts: list[str]) -> None:
    page = simple_page(
        "".join(f"<p>{html.escape(t)}</p>" for t in texts),
        "<title>T</title><script>window.x = 'SCRIPT-MARKER';</script>",
    )
    try:
        result = extract_file("page.html", page.encode(), limit=LIMIT)
    except ImportProblem:
        return
    assert "SCRIPT-MARKER" not in result.text
    quoted = any("<script" in t.lower() for t in texts)
    assert quoted or "<script" not in result.text.lower()
    assert all(block and block == block.strip() for block in result.text.split("\n\n"))


# --- Word documents ----------------------------------------------------------------------


def test_docx_body_paragraphs_and_core_title() -> None:
    data = build_docx(
        [
            ("Talks resume in Geneva", "Heading 1"),
            (ARTICLE[0], None),
            ("", None),
            ("   ", None),
            (ARTICLE[1], None),
            (ARTICLE[2], None),
        ],
        title="Ceasefire talks",
    )
    result = extract_file("talks.docx", data, limit=LIMIT)
    assert result.text == "\n\n".join(["Talks resume in Geneva", *ARTICLE[:3]])
    assert (result.title, result.published, result.kind) == ("Ceasefire talks", None, "docx")


def test_docx_skips_tables() -> None:
    data = build_docx([(ARTICLE[0], None)], table=True)
    assert "TABLE-CELL" not in extract_file("t.docx", data, limit=LIMIT).text


def test_docx_title_falls_back_to_first_heading() -> None:
    data = build_docx([(ARTICLE[0], None), ("Talks resume", "Title"), ("Later", "Heading 2")])
    assert extract_file("talks.docx", data, limit=LIMIT).title == "Talks resume"


def test_docx_without_title_or_heading_has_no_title() -> None:
    data = build_docx([(ARTICLE[0], None)])
    assert extract_file("talks.docx", data, limit=LIMIT).title is None


def test_docx_without_core_properties_has_no_invented_title() -> None:
    source = zipfile.ZipFile(io.BytesIO(build_docx([(ARTICLE[0], None)])))
    members = {n: source.read(n) for n in source.namelist() if n != "docProps/core.xml"}
    rels = members["_rels/.rels"].decode()
    rels = re.sub(r"<Relationship [^>]*core-properties[^>]*/>", "", rels)
    members["_rels/.rels"] = rels.encode()
    result = extract_file("bare.docx", build_zip(members), limit=LIMIT)
    assert (result.text, result.title) == (ARTICLE[0], None)


def _with_doctype(data: bytes, doctype: str, marker: str) -> bytes:
    """The .docx with a DOCTYPE before its body and ``marker`` in place of its first word."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {n: source.read(n) for n in source.namelist()}
    body = members["word/document.xml"].decode()
    head, rest = body.split("?>", 1)
    first_word = ARTICLE[0].split()[0]
    rest = rest.replace(f"<w:t>{first_word} ", f"<w:t>{marker} ", 1)
    assert marker in rest
    members["word/document.xml"] = (head + "?>" + doctype + rest).encode()
    return build_zip(members)


LAUGHS = "".join(
    ['<!ENTITY lol0 "lollollollollollollollollollol">']
    + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
)


@pytest.mark.parametrize(
    ("entities", "marker"),
    [
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),  # a local file (XXE)
        (LAUGHS, "&lol9;"),  # billion laughs: 10^9 "lol"s
    ],
)
def test_docx_declaring_entities_is_refused_saying_why(entities: str, marker: str) -> None:
    """TESTPLAN C5: Word never writes a DOCTYPE; one that does is refused, unparsed."""
    doctype = f"<!DOCTYPE w:document [{entities}]>"
    data = _with_doctype(build_docx([(ARTICLE[0], None)]), doctype, marker)
    tracemalloc.start()
    try:
        with pytest.raises(ImportProblem, match="declares XML entities"):
            extract_file("entities.docx", data, limit=LIMIT)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 20 * 2**20


@pytest.mark.parametrize("kind", ["file", "laughs"])
def test_the_docx_parser_itself_resolves_no_entities(kind: str, tmp_path: Path) -> None:
    """Defence in depth behind that refusal: python-docx's parser leaves entities alone."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    entities, use = (
        (f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;")
        if kind == "file"
        else (LAUGHS, "&lol9;")
    )
    xml = (
        f"<!DOCTYPE w:p [{entities}]>"
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:r><w:t>before {use} after</w:t></w:r></w:p>"
    )
    try:
        parsed = etree.tostring(parse_xml(xml), method="text", encoding="unicode")
    except etree.XMLSyntaxError as refused:  # libxml2's own amplification limit
        assert kind == "laughs" and "amplification" in str(refused)
        return
    assert "before" in parsed
    assert "TOP-SECRET-CANARY" not in parsed and "lollol" not in parsed


def test_docx_reads_tracked_changes_as_accepted() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("The minister said ")
    paragraph._p.append(_tracked("w:del", "w:delText", "on Monday "))
    paragraph._p.append(_tracked("w:ins", "w:t", "on Tuesday "))
    paragraph.add_run("that talks would resume.")
    result = extract_file("tracked.docx", _saved(document), limit=LIMIT)
    assert result.text == "The minister said on Tuesday that talks would resume."


def test_docx_keeps_hyperlink_text_and_line_breaks() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Read the ")
    link = OxmlElement("w:hyperlink")
    link.set(
        qn("r:id"),
        document.part.relate_to("https://example.org", RELATIONSHIP_TYPE.HYPERLINK, True),
    )
    link.append(_run("w:t", "full statement"))
    paragraph._p.append(link)
    paragraph.add_run(" online.\nSecond line.")
    result = extract_file("link.docx", _saved(document), limit=LIMIT)
    assert result.text == "Read the full statement online.\nSecond line."


def _tracked(tag: str, text_tag: str, text: str) -> BaseOxmlElement:
    change = OxmlElement(tag, {qn("w:id"): "1", qn("w:author"): "Desk"})
    change.append(_run(text_tag, text))
    return change


def _run(text_tag: str, text: str) -> BaseOxmlElement:
    run, node = OxmlElement("w:r"), OxmlElement(text_tag)
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(node)
    return run


def _saved(document: WordDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Enough of a package for python-docx to go on and unpack word/document.xml (133 MB peak).
CONTENT_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELATIONSHIPS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats'
    b'.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    """Return a Word package whose 50 MB of document.xml spaces deflate to a few dozen KB."""
    out = io.BytesIO()
    chunk = b" " * MB
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(50):
                member.write(chunk)
    return out.getvalue()


def test_docx_bomb_is_refused_without_unpacking(docx_bomb: bytes) -> None:
    assert len(docx_bomb) < MB
    raised, peak = measure(extract_file, "bomb.docx", docx_bomb, limit=LIMIT)
    assert isinstance(raised, ImportProblem) and raised.status == 413
    assert "not opened" in str(raised)
    assert peak < 2 * MB  # 50 MB were never unpacked


@pytest.mark.parametrize(
    "sizes,why",
    [
        ({"word/document.xml": 2 * MB}, "compressed"),  # under the size caps, but ratio > 200
        ({f"word/media/p{i}.xml": 1000 * 1000 for i in range(41)}, "unpacks to"),  # > 40x
    ],
)
def test_docx_unpacking_to_too_much_is_refused(sizes: dict[str, int], why: str) -> None:
    with pytest.raises(ImportProblem, match=why) as caught:
        extract_file("big.docx", zip_of_zeros(sizes), limit=LIMIT)
    assert caught.value.status == 413


def test_docx_with_too_many_parts_is_refused() -> None:
    data = build_zip({f"word/p{i}.xml": b"" for i in range(5001)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(ImportProblem, match="5,001 parts") as caught:
        extract_file("parts.docx", data, limit=LIMIT)
    assert caught.value.status == 413


def _truncated_docx() -> bytes:
    data = build_docx([(ARTICLE[0], None)])
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 this is not really a zip",
        b"%PDF-1.7 renamed to .docx",
        _truncated_docx(),
        build_zip({"hello.txt": b"a zip, but not a Word document"}),
        build_zip({"[Content_Types].xml": b"<not xml", "word/document.xml": b"<w:document"}),
        build_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b""}),
        build_zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELATIONSHIPS}),
    ],
)
def test_unreadable_docx_is_refused(data: bytes) -> None:
    with pytest.raises(ImportProblem, match="is not a readable Word document"):
        extract_file("broken.docx", data, limit=LIMIT)


def test_docx_with_only_empty_paragraphs_is_refused() -> None:
    with pytest.raises(ImportProblem, match="no text"):
        extract_file("blank.docx", build_docx([("", None), (" ", None)]), limit=LIMIT)


# --- plain text and dispatch -------------------------------------------------------------


@pytest.mark.parametrize("name,kind", [("a.txt", "txt"), ("a.TEXT", "txt"), ("a.md", "md")])
def test_text_files_are_stored_exactly_but_for_the_bom(name: str, kind: str) -> None:
    body = "Title\r\n\r\n  “Quote,” she said.\tTabbed.\n\n# Heading\n"
    result = extract_file(name, codecs.BOM_UTF8 + body.encode(), limit=LIMIT)
    assert result == extract_file(name, body.encode(), limit=LIMIT)
    assert (result.text, result.title, result.published, result.kind) == (body, None, None, kind)


def test_text_file_problems_are_the_shared_ones() -> None:
    with pytest.raises(ImportProblem, match="not UTF-8"):
        extract_file("a.txt", "café".encode("latin-1"), limit=LIMIT)


@pytest.mark.parametrize("name", ["report.pdf", "old.doc", "noextension", "", "page.html.exe"])
def test_unsupported_kinds_are_refused_naming_the_supported_ones(name: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        extract_file(name, b"%PDF-1.7", limit=LIMIT)
    assert all(suffix in str(caught.value) for suffix in SUPPORTED)


def test_suffix_case_does_not_matter() -> None:
    assert extract_file("TALKS.HTML", news_page().encode(), limit=LIMIT).kind == "html"


# --- zip archives ------------------------------------------------------------------------


def test_archive_yields_supported_members_in_name_order() -> None:
    word = build_docx([(ARTICLE[0], None)])
    data = build_zip(
        {
            "b.txt": b"second",
            "a.txt": b"first",
            "folder/": b"",
            "folder/nested/c.docx": word,
            "folder/d.HTML": b"<html></html>",
            "__MACOSX/._a.txt": b"resource fork",
            ".hidden.txt": b"dotfile",
            "folder/.DS_Store": b"finder",
            "setup.exe": b"MZ",
            "more.zip": build_zip({"x.txt": b"x"}),
        }
    )
    skipped: list[Skipped] = []
    got = list(iter_archive("batch.zip", data, limit=LIMIT, skipped=skipped))
    assert got == [
        ("a.txt", b"first"),
        ("b.txt", b"second"),
        ("folder/d.HTML", b"<html></html>"),
        ("folder/nested/c.docx", word),
    ]
    assert [s.name for s in skipped] == ["more.zip", "setup.exe"]
    assert "nested archive" in skipped[0].reason and "WhoSaid can import" in skipped[1].reason


def test_archive_members_can_be_extracted() -> None:
    word = build_docx([(ARTICLE[1], None)])
    data = build_zip({"a.txt": ARTICLE[0].encode(), "b.docx": word})
    texts = [
        extract_file(n, b, limit=LIMIT).text for n, b in iter_archive("x.zip", data, limit=LIMIT)
    ]
    assert texts == ARTICLE[:2]


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "a\\..\\evil.txt"]
)
def test_archive_with_a_member_escaping_it_is_refused(name: str) -> None:
    data = build_zip({"good.txt": b"fine", name: b"evil"})
    with pytest.raises(ImportProblem, match="points outside the archive"):
        iter_archive("batch.zip", data, limit=LIMIT)


def test_archive_member_larger_than_the_limit_is_skipped() -> None:
    data = build_zip({"big.txt": b"x" * 2000, "small.txt": b"ok"})
    skipped: list[Skipped] = []
    got = list(iter_archive("batch.zip", data, limit=1000, skipped=skipped))
    assert got == [("small.txt", b"ok")]
    assert skipped == [Skipped("big.txt", "larger than the 1 KB limit")]


def test_archive_damaged_member_is_skipped() -> None:
    data = bytearray(build_zip({"a.txt": b"AAAAAAAA", "b.txt": b"fine"}, compression=0))
    data[data.index(b"AAAAAAAA")] = ord("Z")  # the stored bytes no longer match their CRC
    skipped: list[Skipped] = []
    got = list(iter_archive("batch.zip", bytes(data), limit=LIMIT, skipped=skipped))
    assert got == [("b.txt", b"fine")]
    assert [s.name for s in skipped] == ["a.txt"] and "damaged" in skipped[0].reason


def test_archive_unpacking_to_too_much_is_refused_before_reading() -> None:
    data = zip_of_zeros({f"p{i}.txt": 1_500_000 for i in range(3)})
    raised, peak = measure(iter_archive, "huge.zip", data, limit=100_000)
    assert isinstance(raised, ImportProblem) and raised.status == 413
    assert "unpacks to 4.3 MB" in str(raised)
    assert peak < MB  # 4.3 MB were never unpacked


def test_archive_with_too_many_articles_is_refused() -> None:
    data = build_zip({f"{i}.txt": b"x" for i in range(4)} | {"x.exe": b"", "d/": b""})
    assert len(list(iter_archive("ok.zip", data, limit=LIMIT, max_members=4))) == 4
    with pytest.raises(ImportProblem, match="holds 4 articles") as caught:
        iter_archive("batch.zip", data, limit=LIMIT, max_members=3)
    assert caught.value.status == 413


@pytest.mark.parametrize(
    "name,data", [("batch.zip", b"not a zip"), ("batch.tar", build_zip({"a.txt": b"a"}))]
)
def test_archive_that_is_not_a_zip_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(ImportProblem):
        iter_archive(name, data, limit=LIMIT)
