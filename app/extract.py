"""Turn an uploaded file (plain text, web page, Word document, zip of them) into article text.

Every kind ends in the same shape: plain text whose paragraphs are separated by one blank
line, checked by ``app.importing.check_text``. Nothing here touches the network or the disk.
"""

from __future__ import annotations

import codecs
import datetime
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

import charset_normalizer
from lxml import etree

from app.importing import (
    ImportProblem,
    check_text,
    decode_upload,
    file_label,
    too_large_message,
)

if TYPE_CHECKING:  # trafilatura and python-docx load on first use (~40 MB a server need
    # not carry until someone imports a web page or a Word file)
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph
    from trafilatura.settings import Document as WebDocument

SUPPORTED = (".txt", ".md", ".markdown", ".text", ".html", ".htm", ".docx")
_TEXT_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_HTML_SUFFIXES = (".html", ".htm")
# Fewer words than this is menu or caption debris from a page without an article.
_MIN_ARTICLE_WORDS = 15
_ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst"})

# Zip-bomb guards: a Word file may unpack to 20x the article limit per part and 40x in
# all (embedded photos are big), but not to a highly compressed giant of nothing.
_MEMBER_FACTOR = 20
_TOTAL_FACTOR = 40
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_MAX_ENTRIES = 5_000

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)|<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Python codecs a page may name but no browser would honour.
_UNTRUSTED_CODECS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "utf-7"}
)
# Browsers read pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding).
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Visible text of a paragraph with tracked changes accepted: inserted runs count, deleted
# and moved-away runs do not; text boxes and compatibility fallbacks would repeat text.
_VISIBLE_TEXT = etree.XPath(
    "(.//w:t | .//w:tab | .//w:br | .//w:cr | .//w:noBreakHyphen | .//w:ptab)"
    "[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent"
    " or ancestor::mc:Fallback)]",
    namespaces={"w": _W, "mc": _MC},
)


@dataclass(frozen=True)
class Extracted:
    text: str  # paragraphs separated by one blank line
    title: str | None
    published: datetime.date | None
    kind: str  # "txt", "md", "html", "docx"


@dataclass(frozen=True)
class Skipped:
    """An archive member that ``iter_archive`` did not yield, and why."""

    name: str
    reason: str


def extract_file(filename: str, data: bytes, *, limit: int) -> Extracted:
    """Return the article text, title and date found in one uploaded file."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in _TEXT_KINDS:
        text = decode_upload(data, filename, limit=limit)
        return Extracted(text, None, None, _TEXT_KINDS[suffix])
    if suffix in _HTML_SUFFIXES:
        return _extract_html(data, limit=limit)
    if suffix == ".docx":
        return _extract_docx(filename, data, limit=limit)
    raise ImportProblem(
        f"“{file_label(filename)}” is not a kind of file WhoSaid can import. Upload plain text "
        "(.txt, .md, .markdown, .text), a saved web page (.html, .htm) or a Word document "
        "(.docx), or paste the text."
    )


# --- web pages ---------------------------------------------------------------------------


def _extract_html(data: bytes, *, limit: int) -> Extracted:
    """Return the main article of a saved web page, without its page furniture."""
    if len(data) > limit:
        raise ImportProblem(too_large_message(limit), status=413)
    found = _main_content(decode_html(data))
    text = blocks(found.text or "") if found else ""
    if found is None or len(text.split()) < _MIN_ARTICLE_WORDS:
        raise ImportProblem(
            "The web page has no article text found in it: it may be an index page, or its "
            "text may be loaded by a script. Copy the article text and paste it instead."
        )
    return Extracted(check_text(text, limit=limit), _title(found.title), _date(found.date), "html")


def _main_content(page: str) -> WebDocument | None:
    """Run trafilatura on a decoded page, keeping the article body and its metadata."""
    import trafilatura
    from trafilatura.settings import Document as WebDocument

    found = trafilatura.bare_extraction(
        _XML_DECLARATION.sub("", page, count=1),  # lxml refuses str with an encoding label
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    return found if isinstance(found, WebDocument) else None


def decode_html(data: bytes) -> str:
    """Decode a saved web page: BOM, then valid UTF-8, then its declared charset, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    # Valid UTF-8 with non-ASCII bytes is almost never meant as anything else, even when a
    # stale <meta> says otherwise (a page saved from a server that sent UTF-8 in a header).
    candidates = dict.fromkeys(["utf-8", *_declared_charset(data[:4096])])
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    guess = charset_normalizer.from_bytes(data).best()
    return str(guess) if guess is not None else data.decode("cp1252", errors="replace")


def _declared_charset(head: bytes) -> list[str]:
    """Return the codec named by an XML declaration or <meta> charset, if Python knows it."""
    match = _DECLARED_CHARSET.search(head)
    if not match:
        return []
    label = (match.group(1) or match.group(2)).decode("ascii", errors="replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return []
    if name in _UNTRUSTED_CODECS or name.startswith(("utf-16", "utf-32")):
        return []  # a page readable enough to declare this in ASCII is not UTF-16
    return [_WHATWG_ALIASES.get(name, name)]


def blocks(text: str) -> str:
    """Put each non-blank line of extracted text in a paragraph of its own."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _title(title: str | None) -> str | None:
    """Return a title on one line, or None when there is none."""
    line = " ".join((title or "").split())
    return line or None


def _date(value: str | None) -> datetime.date | None:
    """Read a YYYY-MM-DD date from page metadata."""
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --- Word documents ----------------------------------------------------------------------


def _extract_docx(filename: str, data: bytes, *, limit: int) -> Extracted:
    """Return the body paragraphs of a Word document, refusing zip bombs before opening."""
    with _open_zip(filename, data, what="a readable Word document (.docx)") as archive:
        _refuse_bomb(filename, archive.infolist(), limit=limit)
        _refuse_doctype(filename, archive)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [(_paragraph_text(p), _style_name(p)) for p in document.paragraphs]
        core_title = _core_title(document)
    except Exception as exc:  # a malformed package fails with whatever its bad part causes
        raise _unreadable(filename, "a readable Word document (.docx)") from exc
    kept = [(text, style) for text, style in paragraphs if text]
    if not kept:
        raise ImportProblem(
            f"“{file_label(filename)}” has no text in its paragraphs (text in tables and text "
            "boxes is not imported). Paste the article text instead."
        )
    text = check_text("\n\n".join(text for text, _ in kept), limit=limit)
    heading = next((t for t, style in kept if style.startswith(("Heading", "Title"))), None)
    return Extracted(text, _title(core_title) or _title(heading), None, "docx")


def _refuse_doctype(filename: str, archive: zipfile.ZipFile) -> None:
    """Refuse XML parts that declare a DOCTYPE: Word never writes one, and its entities are
    how a file reads local files or expands into gigabytes (XXE, billion laughs). The parser
    would not resolve them either; this says so plainly instead of "no text"."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, info):
            raise ImportProblem(
                f"“{file_label(filename)}” declares XML entities (a DOCTYPE in "
                f"{file_label(info.filename)}), which Word documents never need; WhoSaid "
                "does not read it. Save it again from Word, or paste the text."
            )


def _declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part holds "<!DOCTYPE" anywhere (read in chunks; sizes are checked)."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(65536):
            if b"<!DOCTYPE" in tail + chunk:
                return True
            tail = chunk[-8:]
    return False


def _refuse_bomb(filename: str, members: list[zipfile.ZipInfo], *, limit: int) -> None:
    """Refuse a .docx whose declared sizes show it would unpack to far more than an article."""
    if len(members) > _MAX_ENTRIES:
        raise _bomb(filename, f"it holds {len(members):,} parts")
    for info in members:
        if info.file_size > _MEMBER_FACTOR * limit:
            raise _bomb(filename, f"one part unpacks to {_mb(info.file_size)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
            raise _bomb(filename, f"one part is compressed {ratio:,.0f} to 1")
    total = sum(info.file_size for info in members)
    if total > _TOTAL_FACTOR * limit:
        raise _bomb(filename, f"it unpacks to {_mb(total)}")


def _paragraph_text(paragraph: Paragraph) -> str:
    """Return what a reader sees in a paragraph once tracked changes are accepted."""
    # python-docx's oxml classes render w:tab as "\t" and a line break as "\n".
    return "".join(str(node) for node in _VISIBLE_TEXT(paragraph._p)).strip()


def _style_name(paragraph: Paragraph) -> str:
    """Return the paragraph's style name, or "" when it has none."""
    style = paragraph.style
    return (style.name or "") if style is not None else ""


def _core_title(document: WordDocument) -> str | None:
    """Return the title in the file's properties, without inventing one when there are none."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return None  # python-docx would make up "Word Document"
    return document.core_properties.title


# --- zip archives ------------------------------------------------------------------------


def iter_archive(
    filename: str,
    data: bytes,
    *,
    limit: int,
    max_members: int = 500,
    skipped: list[Skipped] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) for each importable file of a .zip archive, in name order.

    The whole archive is refused (ImportProblem, raised by this call, before any member is
    read) when it is not a zip, when a member name is absolute or climbs out with "..",
    when it unpacks to more than 40x ``limit`` in all, or when it holds more than
    ``max_members`` importable files. Directories, hidden files and __MACOSX/ are ignored.
    Other members that are not yielded (unsupported kind, nested archive, link, encrypted,
    larger than ``limit``, damaged) are appended to ``skipped`` with the reason; that list
    is complete once the iterator is exhausted. Nothing is written to disk.
    """
    if PurePath(filename or "").suffix.lower() != ".zip":
        raise ImportProblem(f"“{file_label(filename)}” is not a .zip archive.")
    with _open_zip(filename, data, what="a readable .zip archive") as archive:
        members = sorted(archive.infolist(), key=lambda info: info.filename)
    _refuse_archive(filename, members, limit=limit)
    wanted = _plan(members, limit=limit, skipped=skipped)
    if len(wanted) > max_members:
        raise ImportProblem(
            f"“{file_label(filename)}” holds {len(wanted):,} articles; one import takes at most "
            f"{max_members:,}. Split the archive and import the parts one by one.",
            status=413,
        )
    return _read_members(data, wanted, skipped=skipped)


def _refuse_archive(filename: str, members: list[zipfile.ZipInfo], *, limit: int) -> None:
    """Refuse an archive with unsafe member names or a total size fit for a zip bomb."""
    for info in members:
        if _unsafe_name(info.filename):
            raise ImportProblem(
                f"“{file_label(filename)}” contains a file named “{info.filename}”, which points "
                "outside the archive; the archive was refused. Re-create it from a folder."
            )
    total = sum(info.file_size for info in members)
    if total > _TOTAL_FACTOR * limit:
        raise ImportProblem(
            f"“{file_label(filename)}” unpacks to {_mb(total)}, more than an import allows "
            f"({_mb(_TOTAL_FACTOR * limit)}). Split it into smaller archives.",
            status=413,
        )


def _plan(
    members: list[zipfile.ZipInfo], *, limit: int, skipped: list[Skipped] | None
) -> list[zipfile.ZipInfo]:
    """Return the members to read, noting in ``skipped`` the files left out and why."""
    wanted = []
    for info in members:
        reason = _skip_reason(info, limit=limit)
        if reason is None:
            wanted.append(info)
        elif reason and skipped is not None:
            skipped.append(Skipped(info.filename, reason))
    return wanted


def _skip_reason(info: zipfile.ZipInfo, *, limit: int) -> str | None:
    """Say why a member is not read: None to read it, "" to ignore it without a word."""
    path = PurePosixPath(info.filename)
    if (
        info.is_dir()
        or path.parts[:1] == ("__MACOSX",)
        or any(p.startswith(".") for p in path.parts)
    ):
        return ""
    suffix = path.suffix.lower()
    if suffix in _ARCHIVE_SUFFIXES:
        return "nested archive: unpack it and import its files"
    if suffix not in SUPPORTED:
        return "not a kind of file WhoSaid can import"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > limit:
        return f"larger than the {_mb(limit)} limit"
    return None


def _read_members(
    data: bytes, wanted: list[zipfile.ZipInfo], *, skipped: list[Skipped] | None
) -> Iterator[tuple[str, bytes]]:
    """Read the planned members one at a time, skipping any that fail to unpack."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in wanted:
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                if skipped is not None:
                    skipped.append(Skipped(info.filename, f"damaged: {exc}"))
                continue
            yield info.filename, content


def _unsafe_name(name: str) -> bool:
    """Tell whether a member name is absolute or climbs out of the archive."""
    path = PureWindowsPath(name)  # splits on "/" and "\\" alike
    return name.startswith(("/", "\\")) or bool(path.drive) or ".." in path.parts


# --- shared ------------------------------------------------------------------------------


def _open_zip(filename: str, data: bytes, *, what: str) -> zipfile.ZipFile:
    """Open zip bytes for reading their directory, or say the file is not readable."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(filename, what) from exc


def _unreadable(filename: str, what: str) -> ImportProblem:
    return ImportProblem(
        f"“{file_label(filename)}” is not {what}: it may be damaged, or another kind of file "
        "renamed. Open it and save it again, or paste the text."
    )


def _bomb(filename: str, why: str) -> ImportProblem:
    return ImportProblem(
        f"“{file_label(filename)}” was not opened: {why}, far more than any article needs, so it "
        "looks damaged or malicious. Save the article again as .docx, or paste its text.",
        status=413,
    )


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"
