"""Accept what the suggester proposes: one sentence (Enter) or all confident ones (A)."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app import articles, events, tagging
from app.db import WriteDB
from app.routes import (
    ArticleId,
    Editor,
    SentenceId,
    SettingsDep,
    article_or_404,
    checked_layer,
    sentence_or_404,
)
from app.routes.desk_view import (
    conflict_response,
    current_suggestions,
    list_response,
    row_response,
    suggestion_before,
)
from app.routes.forms import FormInt

router = APIRouter()


@router.post("/articles/{article_id}/sentences/{sentence_id}/accept", response_class=HTMLResponse)
def accept_suggestion(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    sentence_id: SentenceId,
    version: FormInt = None,
) -> Response:
    """Tag the sentence with its suggested source (origin "suggested")."""
    suggestion = suggestion_before(request, article_id, sentence_id, user)
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = checked_layer(db, article, user)
    if version is not None and version != sentence.version:
        return conflict_response(
            request, db, article, sentence, user=user, layer=layer, action="accept", values={}
        )
    if suggestion is None:
        raise HTTPException(404, "There is no suggestion for this sentence.")
    try:
        tagging.accept_suggestion(db, sentence, suggestion, editor=user.email, layer=layer)
    except (tagging.EditProblem, ValueError) as problem:
        db.rollback()
        raise HTTPException(409, str(problem)) from problem
    db.commit()
    return row_response(
        request,
        db,
        article,
        sentence,
        settings.page_size,
        user=user,
        layer=layer,
        extra_blocks=("source_styles",),
    )


@router.post("/articles/{article_id}/accept-all", response_class=HTMLResponse)
def accept_all(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    position: FormInt = None,
) -> Response:
    """Accept every suggestion at or above the threshold for untagged sentences, as one step."""
    article = article_or_404(db, article_id, lock=True)
    layer = checked_layer(db, article, user)
    threshold = settings.accept_threshold
    batch = events.new_batch()
    accepted = 0
    # One pass of the engine already reads each sentence as if the suggestions before it
    # were accepted ("he" after a suggested speaker), so one computation serves them all.
    suggestions = current_suggestions(db, article, layer)
    for sentence in articles.sentences(db, article.id):
        if any(a.layer == layer for a in sentence.attributions):
            continue
        suggestion = suggestions.get(sentence.id)
        if suggestion is None or suggestion.confidence < threshold:
            continue
        try:
            if tagging.accept_suggestion(
                db, sentence, suggestion, editor=user.email, layer=layer, batch=batch
            ):
                accepted += 1
        except (tagging.EditProblem, ValueError):
            continue
    db.commit()
    response = list_response(
        request, db, article, position or 1, settings.page_size, user=user, layer=layer
    )
    response.headers["HX-Trigger"] = json.dumps({"whosaid:accepted": accepted})
    return response
