"""Check and decode what a journalist pastes or uploads, before anything is stored."""

from __future__ import annotations

import codecs
import re
from itertools import islice
from pathlib import PurePath

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
_CONTROL_OK = frozenset("\t\n\r\f")
# Far beyond any news article (a long one has a few hundred sentences; the benchmarks use
# 20,000): text that would make more is refused before it is segmented and stored.
MAX_SENTENCES = 50_000
# places where a sentence can end: counted first, a cheap upper bound on the sentences
_POSSIBLE_ENDS = re.compile(r"[.!?…]+(?=\s)|\n[ \t]*\n")


class ImportProblem(ValueError):
    """Input we refuse, with a message written for the person who sent it."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def decode_upload(data: bytes, filename: str, *, limit: int) -> str:
    """Return the text of an uploaded .txt/.md file, or say clearly why not."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise ImportProblem(
            f"“{file_label(filename)}” is not a .txt or .md file. Save the article as plain text "
            "(UTF-8) and upload that, or paste the text."
        )
    if len(data) > limit:
        raise ImportProblem(too_large_message(limit), status=413)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:8192] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(
            f"“{file_label(filename)}” looks like a binary or UTF-16 file, not UTF-8 text. "
            "Open it in an editor and save it as UTF-8 text."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportProblem(
            f"“{file_label(filename)}” is not UTF-8 text (first bad byte on line {line}). "
            "Save it as UTF-8 and upload it again; nothing was stored."
        ) from exc
    return check_text(text, limit=limit)


def check_text(text: str, *, limit: int) -> str:
    """Return pasted or decoded text unchanged if it can be stored as an article."""
    if not text.strip():
        raise ImportProblem("The article is empty: paste its text or choose a file.")
    if len(text.encode("utf-8")) > limit:
        raise ImportProblem(too_large_message(limit), status=413)
    controls = sum(1 for c in text if ord(c) < 32 and c not in _CONTROL_OK)
    if "\x00" in text or controls > max(3, len(text) // 1000):
        raise ImportProblem(
            "The text contains binary control characters; it does not look like an article."
        )
    # refused before the segmenter spends seconds on it: even at half of these real ends
    possible = sum(1 for _ in islice(_POSSIBLE_ENDS.finditer(text), 2 * MAX_SENTENCES + 1))
    if possible > 2 * MAX_SENTENCES:
        check_sentence_count(possible)
    return text


def check_sentence_count(count: int) -> None:
    """Refuse an article of more than MAX_SENTENCES sentences."""
    if count > MAX_SENTENCES:
        raise ImportProblem(
            f"The text has more than {MAX_SENTENCES:,} sentences; an article can have at most "
            f"{MAX_SENTENCES:,}. Split it into parts and import each one.",
            status=413,
        )


def too_large_message(limit: int) -> str:
    return (
        f"The file or text is too large: the limit is {limit / (1024 * 1024):.1f} MB. "
        "Split the article, or ask an administrator to raise WHOSAID_MAX_UPLOAD_BYTES."
    )


def default_title(text: str, limit: int = 300) -> str:
    """Use the first line with words on it as the title."""
    for line in text.splitlines():
        if line.strip():
            title = " ".join(line.split())
            return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return "Untitled article"


def file_label(name: str) -> str:
    """A file's name as WhoSaid repeats it: the last part of any path, at most 80 characters
    (it is only ever a label: nothing is stored under it)."""
    name = PurePath(name or "file").name
    return name if len(name) <= 80 else name[:77] + "…"
