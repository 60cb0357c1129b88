"""The desk: read an article sentence by sentence and tag each one from the keyboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import live, review, sources, tagging
from app.db import ReadDB, WriteDB
from app.routes import (
    ArticleId,
    Editor,
    SentenceId,
    SettingsDep,
    Viewer,
    article_or_404,
    checked_layer,
    sentence_or_404,
)
from app.routes.desk_view import (
    TEMPLATE,
    conflict_response,
    following_page,
    load_page,
    page_context,
    panel_context,
    partial_page,
    row_context,
    row_response,
    to_desk,
)
from app.routes.forms import FormInt, FormKey
from app.suggesting import sentence_reading
from app.web import is_htmx, render, render_parts

router = APIRouter()


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def show_article(
    request: Request,
    db: ReadDB,
    settings: SettingsDep,
    user: Viewer,
    article_id: ArticleId,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    at: Annotated[int | None, Query(ge=1, le=10_000_000)] = None,
) -> HTMLResponse:
    """Show the desk for one article (one page of it for very long articles)."""
    article = article_or_404(db, article_id)
    layer = review.viewing_layer(db, article, user)
    loaded = load_page(db, article, settings.page_size, at or 1, None if at else page, layer=layer)
    context = page_context(db, article, loaded, user) | {"last_event": live.last_event_id(db)}
    return render(request, TEMPLATE, context)


@router.get("/articles/{article_id}/sentences/{sentence_id}", response_class=HTMLResponse)
def show_sentence(
    request: Request,
    db: ReadDB,
    settings: SettingsDep,
    user: Viewer,
    article_id: ArticleId,
    sentence_id: SentenceId,
) -> Response:
    """Return one sentence row (htmx), or send a browser to it in the desk."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if not is_htmx(request):
        return to_desk(article, sentence.position)
    layer = review.viewing_layer(db, article, user)
    size = settings.page_size
    number = (sentence.position - 1) // size + 1
    page = partial_page(db, article, [sentence], size, layer=layer, number=number)
    context = row_context(db, article, page) | {"s": sentence}
    return render(request, TEMPLATE, context, blocks=["row"])


@router.get("/articles/{article_id}/sentences/{sentence_id}/following", response_class=HTMLResponse)
def show_following(
    request: Request,
    db: ReadDB,
    settings: SettingsDep,
    user: Viewer,
    article_id: ArticleId,
    sentence_id: SentenceId,
) -> Response:
    """The untagged rows after a sentence, out of band, with their suggestions now, and the
    panel's counts: the desk asks for them after each change to the sentence and swaps in
    the rows that moved."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if not is_htmx(request):
        return to_desk(article, sentence.position)
    layer = review.viewing_layer(db, article, user)
    page = following_page(db, article, sentence, layer, settings.page_size)
    context = page_context(db, article, page, user) | {"oob": True}
    parts = [("row", context | {"s": row, "row_oob": True}) for row in page.rows]
    return render_parts(request, TEMPLATE, [*parts, ("panel", context)])


@router.post("/articles/{article_id}/sentences/{sentence_id}/tag", response_class=HTMLResponse)
def tag_sentence(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: SentenceId,
    key: FormKey = None,
    source_id: FormInt = None,
    add: FormKey = None,
    version: FormInt = None,
) -> Response:
    """Set the sentence's source by hotkey (0 = reporter's own voice) or by id."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = checked_layer(db, article, user)
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
    if version is not None and version != sentence.version:
        values = {"key": str(key)} if source_id is None else {"source_id": str(source_id)}
        if add:
            values["add"] = "1"
        return conflict_response(
            request, db, article, sentence, user=user, layer=layer, action="tag", values=values
        )
    cue, mode = sentence_reading(db, article, sentence.position)
    tagging.tag(
        db, sentence, source, editor=user.email, layer=layer, add=bool(add), cue=cue, mode=mode
    )
    db.commit()
    return row_response(request, db, article, sentence, settings.page_size, user=user, layer=layer)


@router.post("/articles/{article_id}/sources", response_class=HTMLResponse)
def create_source_and_tag(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: FormInt = None,
    name: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "other",
) -> Response:
    """Add a new source to the registry (next free hotkey) and tag the sentence with it."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id or 0)
    layer = checked_layer(db, article, user)
    try:
        source = sources.create_source(
            db, sources.SourceInput(name=name, kind=kind), actor=user.email
        )
    except sources.SourceProblem as problem:
        db.rollback()
        context = panel_context(db, article, user, layer) | {
            "form": {"name": name, "kind": kind},
            "error": str(problem),
            "s": sentence,
        }
        return render(request, TEMPLATE, context, blocks=["new_source_form"], status_code=422)
    tagging.tag(db, sentence, source, editor=user.email, layer=layer)
    db.commit()
    return row_response(
        request,
        db,
        article,
        sentence,
        settings.page_size,
        user=user,
        layer=layer,
        extra_blocks=("new_source_form", "source_styles"),
        events={"whosaid:source-created": True},
    )


@router.post("/articles/{article_id}/sentences/{sentence_id}/clear", response_class=HTMLResponse)
def clear_sentence(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: SentenceId,
    version: FormInt = None,
) -> Response:
    """Remove every attribution from the sentence (back to untagged)."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = checked_layer(db, article, user)
    if version is not None and version != sentence.version:
        return conflict_response(
            request, db, article, sentence, user=user, layer=layer, action="clear", values={}
        )
    tagging.clear(db, sentence, editor=user.email, layer=layer)
    db.commit()
    return row_response(request, db, article, sentence, settings.page_size, user=user, layer=layer)
