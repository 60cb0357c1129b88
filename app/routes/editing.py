"""Fix the segmentation from the desk (split, merge) and undo."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app import tagging
from app.db import ReadDB, WriteDB
from app.models import FINAL_LAYER
from app.routes import (
    ArticleId,
    Editor,
    SentenceId,
    SettingsDep,
    article_or_404,
    checked_layer,
    sentence_or_404,
)
from app.routes.desk_view import TEMPLATE, cut_points, list_response, to_desk
from app.routes.forms import FormInt
from app.web import is_htmx, render

router = APIRouter()


@router.get("/articles/{article_id}/sentences/{sentence_id}/split", response_class=HTMLResponse)
def show_split(
    request: Request, db: ReadDB, user: Editor, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """Show the sentence with a cut point between every two words."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if not is_htmx(request):
        return to_desk(article, sentence.position)
    checked_layer(db, article, user)
    context = {
        "article": article,
        "text": article.text,
        "s": sentence,
        "cuts": cut_points(article, sentence),
    }
    return render(request, TEMPLATE, context, blocks=["split_row"])


def _structure_layer(db: ReadDB, article: object, user: object) -> int:
    """Splitting and merging change every layer: only who may write the final layer may."""
    layer = checked_layer(db, article, user)  # type: ignore[arg-type]
    if layer != FINAL_LAYER:
        raise HTTPException(
            403, "Sentences of a blind article can only be split or merged by a reviewer."
        )
    return layer


@router.post("/articles/{article_id}/sentences/{sentence_id}/split", response_class=HTMLResponse)
def split_sentence(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: SentenceId,
    at: FormInt = None,
) -> Response:
    """Cut the sentence in two at offset ``at``; both parts keep its sources."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = _structure_layer(db, article, user)
    if at is None:
        raise HTTPException(422, "Say where to split the sentence.")
    try:
        tagging.split(db, sentence, at, editor=user.email)
    except tagging.EditProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return list_response(
        request, db, article, sentence.position, settings.page_size, user=user, layer=layer
    )


@router.post("/articles/{article_id}/sentences/{sentence_id}/merge", response_class=HTMLResponse)
def merge_sentence(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: SentenceId,
) -> Response:
    """Join the sentence with the next one, keeping the sources of both."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = _structure_layer(db, article, user)
    try:
        tagging.merge(db, sentence, editor=user.email)
    except tagging.EditProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return list_response(
        request, db, article, sentence.position, settings.page_size, user=user, layer=layer
    )


@router.post("/articles/{article_id}/undo", response_class=HTMLResponse)
def undo_change(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    position: FormInt = None,
) -> Response:
    """Reverse your latest change in this article (as new events; history stays)."""
    article = article_or_404(db, article_id, lock=True)
    layer = checked_layer(db, article, user)
    action = tagging.undo_last(db, article_id, editor=user.email)
    db.commit()
    if action is None:
        raise HTTPException(409, "Nothing of yours left to undo in this article.")
    return list_response(
        request, db, article, position or 1, settings.page_size, user=user, layer=layer
    )
