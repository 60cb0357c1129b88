"""Tell headlines, captions, credit lines and page furniture apart from body sentences."""

from __future__ import annotations

import re

_CREDIT = re.compile(
    r"^(?:credit|credits|photo(?:graph)?(?:\s+by)?|image|picture|video|illustration)"
    r"\s*(?:\.\.\.|…|:|\s+by\b|-)"
    r"|^\(?(?:photo|image)s?\s*(?:by|:)"
    r"|/(?:reuters|ap|afp|getty images|epa|bloomberg|associated press|shutterstock)\)?\s*$",
    re.IGNORECASE,
)
_FURNITURE = frozenset(
    """image images photo photos video advertisement advertising ad share share this article
    listen listen to this article supported by continue reading the main story skip to content
    read more related related articles subscribe sign up comments print email
    follow us""".split("\n")
)
_FURNITURE_WORDS = frozenset(w.strip().lower() for w in _FURNITURE if w.strip())
_BYLINE = re.compile(r"^(?:by|updated|published|posted)\b", re.IGNORECASE)
_DATELINE_ONLY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"(?:[\s,]+\d{1,2}:\d{2}\s*(?:a\.m\.|p\.m\.|am|pm)?.*)?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_PAST_SAID = re.compile(r"\bsaid\b", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’]+(?:\([^)]*\))?\s*[—–-]+\s")
_TERMINAL = re.compile(r"[.!?][\"'”’)]*$")

Span = tuple[int, int, int]


def classify(text: str, spans: list[Span]) -> list[str]:
    """Return the kind of each (start, end, paragraph) span: body, headline, caption, credit..."""
    kinds = ["body"] * len(spans)
    by_paragraph: dict[int, list[int]] = {}
    for index, (_s, _e, paragraph) in enumerate(spans):
        by_paragraph.setdefault(paragraph, []).append(index)
    paragraphs = sorted(by_paragraph)

    after_picture = False
    # a one-paragraph text has no headline: its first line is the story
    headline_open = len(paragraphs) > 1
    for number in paragraphs:
        members = by_paragraph[number]
        texts = [text[spans[i][0] : spans[i][1]] for i in members]
        whole = " ".join(texts)
        if len(members) == 1 and is_furniture(whole):
            kinds[members[0]] = "other"
            after_picture = after_picture or _is_picture_label(whole)
            continue
        credit_at = [j for j, t in enumerate(texts) if _CREDIT.search(t.strip())]
        if credit_at or after_picture:
            last_credit = credit_at[-1] if credit_at else -1
            for j, i in enumerate(members):
                if j in credit_at:
                    kinds[i] = "credit"
                elif j < last_credit or (after_picture and not credit_at):
                    kinds[i] = "caption"
            after_picture = False
            if credit_at:
                continue
        after_picture = False
        if headline_open and len(members) == 1 and _looks_like_headline(whole):
            kinds[members[0]] = "headline"
        headline_open = False
    return kinds


def is_furniture(text: str) -> bool:
    """Say whether a one-line paragraph is page furniture rather than prose."""
    stripped = text.strip()
    words = _WORD.findall(stripped)
    lowered = " ".join(w.lower() for w in words)
    if not words or lowered in _FURNITURE_WORDS:
        return True
    if _BYLINE.match(stripped) and len(words) <= 8 and not _TERMINAL.search(stripped):
        return True
    if _DATELINE_ONLY.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    shouting = sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return len(words) <= 6 and (shouting or (len(words) <= 3 and not stripped.endswith(".")))


def _is_picture_label(text: str) -> bool:
    return text.strip().lower().rstrip(".:") in {"image", "images", "photo", "photos", "picture"}


def _looks_like_headline(text: str) -> bool:
    words = _WORD.findall(text)
    if not 3 <= len(words) <= 20:
        return False
    return not (_PAST_SAID.search(text) or _DATELINE.match(text))
