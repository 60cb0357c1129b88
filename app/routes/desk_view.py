"""What the desk template needs, and the htmx answers that desk writes share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import articles, review, sources
from app.auth import can
from app.db import Database
from app.models import FINAL_LAYER, SOURCE_KINDS, Article, Event, Sentence, User
from app.suggest import Suggestion
from app.suggesting import article_suggestions, suggestions_at
from app.web import is_htmx, render, render_parts

TEMPLATE = "articles/show.html"
_TOKEN = re.compile(r"\S+")
# Inside a token, a cut may also fall after sentence punctuation glued to a word.
_GLUED = re.compile(r"[.!?;:,”’\")]+(?=[^\W\d_“‘\"(])")


# after a change, the suggestions of this many following rows are checked for moves
AFTER = 10


@dataclass
class Page:
    """One page of the desk: its rows, and the suggestions for them."""

    number: int
    count: int
    size: int
    rows: list[Sentence]
    suggestions: dict[int, Suggestion]
    layer: int


def load_page(
    db: Session,
    article: Article,
    size: int,
    position: int = 1,
    number: int | None = None,
    *,
    layer: int = FINAL_LAYER,
) -> Page:
    """Load the page holding sentence ``position`` (or page ``number``)."""
    count = max(1, -(-articles.sentence_count(db, article.id) // size))
    if number is None:
        number = (max(1, position) - 1) // size + 1
    number = min(max(1, number), count)
    first = (number - 1) * size
    rows = articles.sentences(db, article.id, offset=first, limit=size)
    suggestions = suggestions_at(db, article, range(first, first + size), layer)
    return Page(number, count, size, rows, suggestions, layer)


def partial_page(
    db: Session, article: Article, rows: list[Sentence], size: int, *, layer: int, number: int
) -> Page:
    """Page ``number`` holding only ``rows`` (the ones an answer re-sends), with their
    suggestions: one window over them instead of the whole page."""
    suggestions: dict[int, Suggestion] = {}
    if rows:
        first = min(r.position for r in rows) - 1
        last = max(r.position for r in rows)
        suggestions = suggestions_at(db, article, range(first, last), layer)
    return Page(number, 0, size, rows, suggestions, layer)


def suggestion_before(
    request: Request, article_id: int, sentence_id: int, user: User
) -> Suggestion | None:
    """The sentence's suggestion, read in a read session of its own before a change: the
    engine's few milliseconds are then spent before the write lock is taken, not while
    every other editor's write waits for it."""
    database: Database = request.app.state.db
    with database.read_session() as db:
        article = db.get(Article, article_id)
        sentence = articles.get_sentence(db, article_id, sentence_id)
        if article is None or sentence is None:
            return None  # the write path answers 404
        try:
            layer = review.writing_layer(db, article, user)
        except review.ReviewProblem:
            return None  # the write path refuses it
        at = sentence.position - 1
        return suggestions_at(db, article, range(at, at + 1), layer).get(sentence.id)


def following_page(
    db: Session, article: Article, sentence: Sentence, layer: int, size: int
) -> Page:
    """The untagged rows among the AFTER following ``sentence`` on its page, with their
    suggestions now: what a change to ``sentence`` can have moved ("the ministry" in the
    next paragraph follows the source just tagged)."""
    at = sentence.position  # the index of the next row
    end = min(at + AFTER, ((sentence.position - 1) // size + 1) * size)
    rows = [
        row
        for row in articles.sentences(db, article.id, offset=at, limit=max(0, end - at))
        if not any(a.layer == layer for a in row.attributions)
    ]
    return partial_page(db, article, rows, size, layer=layer, number=(at - 1) // size + 1)


def page_context(db: Session, article: Article, page: Page, user: User) -> dict[str, Any]:
    return panel_context(db, article, user, page.layer) | {
        "sentences": page.rows,
        "page": page.number,
        "pages": page.count,
        "page_size": page.size,
        "suggestions": page.suggestions,
    }


def row_context(db: Session, article: Article, page: Page) -> dict[str, Any]:
    """What the ``row`` block alone needs (no panel, tally or presence)."""
    return {
        "article": article,
        "text": article.text,
        "layer": page.layer,
        "suggestions": page.suggestions,
        # the colour of a suggestion's chip (a tagged row needs no registry)
        "source_ids": {s.name: s.id for s in sources.all_sources(db)} if page.suggestions else {},
    }


def panel_context(
    db: Session, article: Article, user: User, layer: int = FINAL_LAYER
) -> dict[str, Any]:
    registry = sources.all_sources(db)
    progress, counts = articles.tally(db, article.id, layer)
    panel = [s for s in registry if s.hotkey is not None or counts.get(s.id)]
    try:
        writable = can(user.role, "editor") and review.writing_layer(db, article, user) == layer
    except review.ReviewProblem:
        writable = False
    return {
        "article": article,
        "user": user,
        "layer": layer,
        "writable": writable,
        "blind_taggers": review.assignees(db, article) if article.blind else [],
        "text": article.text,
        "panel": panel,
        "counts": counts,
        "progress": progress,
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
    *,
    user: User,
    layer: int,
    extra_blocks: tuple[str, ...] = (),
    events: dict[str, object] | None = None,
) -> Response:
    """The changed row and the tally; with ``extra_blocks`` (a new source: its form, the
    colour stylesheet) the panel too. The rest of what a change moves (the panel's counts,
    the suggestions of the rows after it) is not computed here: the answer's
    ``whosaid:changed`` event makes the desk fetch it (``show_following``) once this answer
    is painted, so an editor waits for the engine only on a cleared row's own suggestion."""
    if not is_htmx(request):
        return to_desk(article, sentence.position)
    row = sentence  # as this session just wrote it (nothing expires at commit)
    tagged = any(a.layer == layer for a in row.attributions)
    at = row.position - 1
    suggestions = {} if tagged else suggestions_at(db, article, range(at, at + 1), layer)
    page = Page(at // size + 1, 0, size, [row], suggestions, layer)
    if extra_blocks:
        context = page_context(db, article, page, user) | {"oob": True}
        blocks = (*extra_blocks, "row", "tally", "panel")
    else:
        progress = articles.progress(db, article.id, layer)
        context = row_context(db, article, page) | {"oob": True, "progress": progress}
        blocks = ("row", "tally")
    # the row is the answer's target, unless the new-source dialog's form is; what is sent
    # out of band is swapped by id, and the desk may leave an identical row alone
    row_oob = "new_source_form" in extra_blocks
    parts = [(block, context | {"s": row, "row_oob": row_oob}) for block in blocks]
    trigger = {"whosaid:changed": {"sid": row.id}, **(events or {})}
    return render_parts(request, TEMPLATE, parts, headers={"HX-Trigger": json.dumps(trigger)})


def list_response(
    request: Request,
    db: Session,
    article: Article,
    position: int,
    size: int,
    *,
    user: User,
    layer: int,
) -> Response:
    """Answer a change that renumbers sentences: the whole page of rows is swapped."""
    if not is_htmx(request):
        return to_desk(article, position)
    db.expire_all()
    page = load_page(db, article, size, position, layer=layer)
    context = page_context(db, article, page, user) | {"oob": True}
    return render(request, TEMPLATE, context, blocks=["sentences", "tally", "panel"])


def current_suggestions(db: Session, article: Article, layer: int) -> dict[int, Suggestion]:
    """Every sentence's suggestion (one pass over the whole article)."""
    return article_suggestions(db, article, layer)


def conflict_response(
    request: Request,
    db: Session,
    article: Article,
    sentence: Sentence,
    *,
    user: User,
    layer: int,
    action: str,
    values: dict[str, str],
) -> Response:
    """409: someone changed the sentence since this editor loaded it; show theirs, offer both."""
    db.expire_all()
    fresh = db.get(Sentence, sentence.id)
    last = db.scalars(
        select(Event).where(Event.sentence_id == sentence.id).order_by(Event.id.desc())
    ).first()
    context = panel_context(db, article, user, layer) | {
        "s": fresh,
        "changed_by": last.actor if last else "another editor",
        "retry_action": action,
        "retry_values": json.dumps(values),
    }
    return render(request, TEMPLATE, context, blocks=["conflict_row"], status_code=409)


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
