"""Extracting article text from Word documents, and refusing the hostile ones."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from app.extract import extract_file
from app.importing import ImportProblem
from tests.extracting import (
    ARTICLE,
    LIMIT,
    MB,
    build_docx,
    build_zip,
    measure,
    zip_of_zeros,
)

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
