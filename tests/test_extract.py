"""Extracting article text from uploaded files: web pages, plain text, zip archives."""

from __future__ import annotations

import codecs
import datetime
import html

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.extract import SUPPORTED, Skipped, extract_file, iter_archive
from app.importing import ImportProblem
from app.segment import paragraphs
from tests.extracting import (
    ARTICLE,
    FURNITURE,
    LIMIT,
    MB,
    build_docx,
    build_zip,
    measure,
    news_page,
    simple_page,
    zip_of_zeros,
)

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
