"""The desk: read an article sentence by sentence and tag each one from the keyboard."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app import articles, sources, tagging
from app.db import ReadDB, WriteDB
from app.models import SOURCE_KINDS, Article, Sentence
from app.routes import (
    ArticleId,
    EditorDep,
    SentenceId,
    SettingsDep,
    article_or_404,
    sentence_or_404,
)
from app.routes.forms import FormInt, FormKey
from app.web import is_htmx, render

router = APIRouter()
_TOKEN = re.compile(r"\S+")
# Inside a token, a cut may also fall after sentence punctuation glued to a word.
_GLUED = re.compile(r"[.!?;:,”’\")]+(?=[^\W\d_“‘\"(])")
TEMPLATE = "articles/show.html"


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def show_article(
    request: Request,
    db: ReadDB,
    settings: SettingsDep,
    article_id: ArticleId,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    at: Annotated[int | None, Query(ge=1, le=10_000_000)] = None,
) -> HTMLResponse:
    """Show the desk for one article (one page of it for very long articles)."""
    article = article_or_404(db, article_id)
    total = articles.sentence_count(db, article_id)
    size = settings.page_size
    pages = max(1, -(-total // size))
    if at is not None:
        page = (at - 1) // size + 1
    page = min(page, pages)
    rows = articles.sentences(db, article_id, offset=(page - 1) * size, limit=size)
    context = _panel_context(db, article) | {
        "sentences": rows,
        "page": page,
        "pages": pages,
        "page_size": size,
    }
    return render(request, TEMPLATE, context)


@router.get("/articles/{article_id}/sentences/{sentence_id}", response_class=HTMLResponse)
def show_sentence(
    request: Request, db: ReadDB, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """Return one sentence row (htmx), or send a browser to it in the desk."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if not is_htmx(request):
        return _to_desk(article, sentence)
    return render(request, TEMPLATE, _row_context(db, article, sentence), blocks=["row"])


@router.post("/articles/{article_id}/sentences/{sentence_id}/tag", response_class=HTMLResponse)
def tag_sentence(
    request: Request,
    db: WriteDB,
    editor: EditorDep,
    article_id: ArticleId,
    sentence_id: SentenceId,
    key: FormKey = None,
    source_id: FormInt = None,
    add: FormKey = None,
) -> Response:
    """Set the sentence's source by hotkey (0 = reporter's own voice) or by id."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if source_id is not None:
        source = db.get(sources.Source, source_id)
    elif key is not None:
        source = sources.reporter(db) if key == 0 else sources.by_hotkey(db, key)
    else:
        raise HTTPException(422, "Say which source: a hotkey or a source.")
    if source is None:
        raise HTTPException(
            404,
            f"No source is on key {key}." if key is not None else "That source no longer exists.",
        )
    tagging.tag(db, sentence, source, editor=editor, add=bool(add))
    db.commit()
    return _row_response(request, db, article, sentence)


@router.post("/articles/{article_id}/sources", response_class=HTMLResponse)
def create_source_and_tag(
    request: Request,
    db: WriteDB,
    editor: EditorDep,
    article_id: ArticleId,
    sentence_id: FormInt = None,
    name: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "other",
) -> Response:
    """Add a new source to the registry (next free hotkey) and tag the sentence with it."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id or 0)
    try:
        source = sources.create_source(db, sources.SourceInput(name=name, kind=kind), actor=editor)
    except sources.SourceProblem as problem:
        db.rollback()
        context = _panel_context(db, article) | {
            "form": {"name": name, "kind": kind},
            "error": str(problem),
            "s": sentence,
        }
        return render(request, TEMPLATE, context, blocks=["new_source_form"], status_code=422)
    tagging.tag(db, sentence, source, editor=editor)
    db.commit()
    if not is_htmx(request):
        return _to_desk(article, sentence)
    db.refresh(sentence)
    context = _panel_context(db, article) | {"s": sentence, "oob": True, "row_oob": True}
    return render(
        request,
        TEMPLATE,
        context,
        blocks=["new_source_form", "row", "tally", "panel", "source_styles"],
        headers={"HX-Trigger": "whosaid:source-created"},
    )


@router.post("/articles/{article_id}/sentences/{sentence_id}/clear", response_class=HTMLResponse)
def clear_sentence(
    request: Request, db: WriteDB, editor: EditorDep, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """Remove every attribution from the sentence (back to untagged)."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    tagging.clear(db, sentence, editor=editor)
    db.commit()
    return _row_response(request, db, article, sentence)


@router.get("/articles/{article_id}/sentences/{sentence_id}/split", response_class=HTMLResponse)
def show_split(
    request: Request, db: ReadDB, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """Show the sentence with a cut point between every two words."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if not is_htmx(request):
        return _to_desk(article, sentence)
    context = _row_context(db, article, sentence) | {"cuts": _cut_points(article, sentence)}
    return render(request, TEMPLATE, context, blocks=["split_row"])


@router.post("/articles/{article_id}/sentences/{sentence_id}/split", response_class=HTMLResponse)
def split_sentence(
    request: Request,
    db: WriteDB,
    editor: EditorDep,
    article_id: ArticleId,
    sentence_id: SentenceId,
    at: FormInt = None,
) -> Response:
    """Cut the sentence in two at offset ``at``; both parts keep its sources."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if at is None:
        raise HTTPException(422, "Say where to split the sentence.")
    try:
        tagging.split(db, sentence, at, editor=editor)
    except tagging.EditProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return _list_response(request, db, article, sentence)


@router.post("/articles/{article_id}/sentences/{sentence_id}/merge", response_class=HTMLResponse)
def merge_sentence(
    request: Request, db: WriteDB, editor: EditorDep, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """Join the sentence with the next one, keeping the sources of both."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    try:
        tagging.merge(db, sentence, editor=editor)
    except tagging.EditProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return _list_response(request, db, article, sentence)


@router.post("/articles/{article_id}/undo", response_class=HTMLResponse)
def undo_change(
    request: Request,
    db: WriteDB,
    editor: EditorDep,
    article_id: ArticleId,
    position: FormInt = None,
) -> Response:
    """Reverse your latest change in this article."""
    article = article_or_404(db, article_id)
    action = tagging.undo_last(db, article_id, editor=editor)
    db.commit()
    if action is None:
        raise HTTPException(409, "Nothing of yours left to undo in this article.")
    return _list_response(request, db, article, None, near=position)


def _to_desk(article: Article, sentence: Sentence) -> RedirectResponse:
    return RedirectResponse(
        f"/articles/{article.id}?at={sentence.position}#s-{sentence.position}", status_code=303
    )


def _panel_context(db: Session, article: Article) -> dict[str, Any]:
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
        "form": {},
        "error": None,
    }


def _row_context(db: Session, article: Article, sentence: Sentence) -> dict[str, Any]:
    return {"article": article, "text": article.text, "s": sentence}


def _row_response(request: Request, db: Session, article: Article, sentence: Sentence) -> Response:
    if not is_htmx(request):
        return _to_desk(article, sentence)
    db.refresh(sentence)
    context = _panel_context(db, article) | {"s": sentence, "oob": True}
    return render(request, TEMPLATE, context, blocks=["row", "tally", "panel"])


def _list_response(
    request: Request,
    db: Session,
    article: Article,
    sentence: Sentence | None,
    near: int | None = None,
) -> Response:
    """Answer a change that renumbers sentences: the whole page of rows is swapped."""
    position = sentence.position if sentence is not None else (near or 1)
    if not is_htmx(request):
        return RedirectResponse(f"/articles/{article.id}?at={position}#s-{position}", 303)
    size = request.app.state.settings.page_size
    page = (position - 1) // size + 1
    total = articles.sentence_count(db, article.id)
    context = _panel_context(db, article) | {
        "sentences": articles.sentences(db, article.id, offset=(page - 1) * size, limit=size),
        "page": page,
        "pages": max(1, -(-total // size)),
        "page_size": size,
        "oob": True,
    }
    return render(request, TEMPLATE, context, blocks=["sentences", "tally", "panel"])


def _cut_points(article: Article, sentence: Sentence) -> list[tuple[int, str]]:
    """Return (offset, word) pairs: a split may happen before each word but the first."""
    words: list[tuple[int, str]] = []
    for token in _TOKEN.finditer(article.text, sentence.start, sentence.end):
        word = token.group()
        cuts = [0] + [m.end() for m in _GLUED.finditer(word)] + [len(word)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                words.append((token.start() + a, word[a:b]))
    return words
