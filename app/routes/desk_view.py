"""What the desk template needs, and the htmx answers that desk writes share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app import articles, sources
from app.models import SOURCE_KINDS, Article, Sentence
from app.suggest import Suggestion
from app.suggesting import article_suggestions
from app.web import is_htmx, render, render_parts

TEMPLATE = "articles/show.html"
_TOKEN = re.compile(r"\S+")
# Inside a token, a cut may also fall after sentence punctuation glued to a word.
_GLUED = re.compile(r"[.!?;:,”’\")]+(?=[^\W\d_“‘\"(])")


@dataclass
class Page:
    """One page of the desk: its rows, and the suggestions for the whole article."""

    number: int
    count: int
    size: int
    rows: list[Sentence]
    suggestions: dict[int, Suggestion]


def load_page(
    db: Session, article: Article, size: int, position: int = 1, number: int | None = None
) -> Page:
    """Load the page holding sentence ``position`` (or page ``number``)."""
    everything = articles.sentences(db, article.id)
    count = max(1, -(-len(everything) // size))
    if number is None:
        number = (max(1, position) - 1) // size + 1
    number = min(max(1, number), count)
    rows = everything[(number - 1) * size : number * size]
    return Page(number, count, size, rows, article_suggestions(db, article, everything))


def page_context(db: Session, article: Article, page: Page) -> dict[str, Any]:
    return panel_context(db, article) | {
        "sentences": page.rows,
        "page": page.number,
        "pages": page.count,
        "page_size": page.size,
        "suggestions": page.suggestions,
    }


def panel_context(db: Session, article: Article) -> dict[str, Any]:
    registry = sources.all_sources(db)
    counts = articles.source_counts(db, article.id)
    panel = [s for s in registry if s.hotkey is not None or counts.get(s.id)]
    return {
        "article": article,
        "text": article.text,
        "panel": panel,
        "counts": counts,
        "progress": articles.progress(db, article.id),
        "kinds": [k for k in SOURCE_KINDS if k != "reporter"],
        "styles_version": sources.colour_version(registry),
        "source_ids": {s.name: s.id for s in registry},
        "form": {},
        "error": None,
        "suggestions": {},
    }


def to_desk(article: Article, position: int) -> RedirectResponse:
    return RedirectResponse(f"/articles/{article.id}?at={position}#s-{position}", status_code=303)


def row_response(
    request: Request,
    db: Session,
    article: Article,
    sentence: Sentence,
    size: int,
    before: dict[int, Suggestion],
    *,
    extra_blocks: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """The changed row, the tally and the panel, and every later row whose suggestion moved."""
    if not is_htmx(request):
        return to_desk(article, sentence.position)
    db.expire_all()
    page = load_page(db, article, size, sentence.position)
    context = page_context(db, article, page) | {"oob": True}
    current = next(r for r in page.rows if r.id == sentence.id)
    main_blocks = (*extra_blocks, "row", "tally", "panel")
    parts: list[tuple[str, dict[str, Any]]] = [
        (block, context | {"s": current, "row_oob": bool(extra_blocks)}) for block in main_blocks
    ]
    for row in page.rows:
        if (
            row.id != sentence.id
            and not row.attributions
            and _moved(before.get(row.id), page.suggestions.get(row.id))
        ):
            parts.append(("row", context | {"s": row, "row_oob": True}))
    return render_parts(request, TEMPLATE, parts, headers=headers)


def list_response(
    request: Request, db: Session, article: Article, position: int, size: int
) -> Response:
    """Answer a change that renumbers sentences: the whole page of rows is swapped."""
    if not is_htmx(request):
        return to_desk(article, position)
    db.expire_all()
    page = load_page(db, article, size, position)
    context = page_context(db, article, page) | {"oob": True}
    return render(request, TEMPLATE, context, blocks=["sentences", "tally", "panel"])


def current_suggestions(db: Session, article: Article) -> dict[int, Suggestion]:
    return article_suggestions(db, article, articles.sentences(db, article.id))


def _moved(before: Suggestion | None, after: Suggestion | None) -> bool:
    def key(s: Suggestion | None) -> tuple[object, ...]:
        return (s.source, s.new_source, s.confidence, s.reason) if s else ()

    return key(before) != key(after)


def cut_points(article: Article, sentence: Sentence) -> list[tuple[int, str]]:
    """Return (offset, word) pairs: a split may happen before each word but the first."""
    words: list[tuple[int, str]] = []
    for token in _TOKEN.finditer(article.text, sentence.start, sentence.end):
        word = token.group()
        cuts = [0] + [m.end() for m in _GLUED.finditer(word)] + [len(word)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                words.append((token.start() + a, word[a:b]))
    return words
