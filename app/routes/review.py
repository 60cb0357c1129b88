"""Review and sign-off, blind double tagging with agreement, and the audit trail views."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import articles, review, tagging
from app.agreement import agreement
from app.db import ReadDB, WriteDB
from app.models import FINAL_LAYER, Article, Event, Sentence, User
from app.routes import (
    Admin,
    ArticleId,
    Editor,
    Reviewer,
    SentenceId,
    Viewer,
    article_or_404,
    sentence_or_404,
)
from app.users import find_user
from app.web import is_htmx, render

router = APIRouter()
Note = Annotated[str, Form(max_length=2000)]


def _move(
    request: Request, db: Session, article_id: int, action: str, user: User, note: str = ""
) -> Response:
    article = article_or_404(db, article_id, lock=True)
    try:
        review.move(db, article, action, user=user, note=note)
    except review.ReviewProblem as problem:
        raise HTTPException(problem.status, str(problem)) from problem
    db.commit()
    target = f"/articles/{article.id}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/articles/{article_id}/submit")
def submit_article(request: Request, db: WriteDB, user: Editor, article_id: ArticleId) -> Response:
    """Send the article to review."""
    return _move(request, db, article_id, "submit", user)


@router.post("/articles/{article_id}/approve")
def approve_article(
    request: Request, db: WriteDB, user: Reviewer, article_id: ArticleId
) -> Response:
    """Sign the article off: it becomes read-only."""
    return _move(request, db, article_id, "approve", user)


@router.post("/articles/{article_id}/return")
def return_article(
    request: Request, db: WriteDB, user: Reviewer, article_id: ArticleId, note: Note = ""
) -> Response:
    """Send the article back to its editors with a note."""
    return _move(request, db, article_id, "return", user, note)


@router.post("/articles/{article_id}/reopen")
def reopen_article(request: Request, db: WriteDB, user: Admin, article_id: ArticleId) -> Response:
    """Make an approved (or reviewed) article a draft again."""
    return _move(request, db, article_id, "reopen", user)


@router.post("/articles/{article_id}/blind")
def make_blind(
    request: Request,
    db: WriteDB,
    user: Reviewer,
    article_id: ArticleId,
    first: Annotated[str, Form(max_length=254)] = "",
    second: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    """Have two editors tag this article blind, each in their own layer."""
    article = article_or_404(db, article_id, lock=True)
    taggers = [find_user(db, first), find_user(db, second)]
    if any(t is None for t in taggers):
        raise HTTPException(422, "Name two editors by the e-mail of their account.")
    try:
        review.make_blind(db, article, [t for t in taggers if t is not None], user=user)
    except review.ReviewProblem as problem:
        raise HTTPException(problem.status, str(problem)) from problem
    db.commit()
    return RedirectResponse(f"/articles/{article.id}/review", status_code=303)


@router.get("/articles/{article_id}/review", response_class=HTMLResponse)
def show_review(request: Request, db: ReadDB, user: Reviewer, article_id: ArticleId) -> Response:
    """Agreement between the two blind taggers, their disagreements, and adjudication."""
    article = article_or_404(db, article_id)
    return render(request, "articles/review.html", _review_context(db, article, user))


@router.post(
    "/articles/{article_id}/sentences/{sentence_id}/adjudicate", response_class=HTMLResponse
)
def adjudicate(
    request: Request,
    db: WriteDB,
    user: Reviewer,
    article_id: ArticleId,
    sentence_id: SentenceId,
    pick: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Make tagger A's or B's attribution the final one for this sentence."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    if article.status == "approved":
        raise HTTPException(409, "This article is approved and read-only.")
    taggers = review.assignees(db, article)
    if len(taggers) != 2 or pick not in ("a", "b"):
        raise HTTPException(422, "Pick a (the first tagger) or b (the second).")
    chosen = taggers[0] if pick == "a" else taggers[1]
    tags = [
        tagging.Tag(a.source_id, a.cue, a.mode, "manual")
        for a in sentence.attributions
        if a.layer == chosen.id
    ]
    tagging.set_tags(db, sentence, tags, editor=user.email, action="tag.adjudicate")
    db.commit()
    context = _review_context(db, article, user)
    if is_htmx(request):
        row = next(r for r in context["rows"] if r["sentence"].id == sentence.id)
        return render(
            request, "articles/review.html", context | {"r": row}, blocks=["review_row", "figures"]
        )
    return RedirectResponse(f"/articles/{article.id}/review#r-{sentence.position}", 303)


@router.get("/articles/{article_id}/activity", response_class=HTMLResponse)
def show_activity(request: Request, db: ReadDB, user: Viewer, article_id: ArticleId) -> Response:
    """Every change to the article, newest first: who, what, when."""
    article = article_or_404(db, article_id)
    feed = _visible_events(db, article, user, select(Event).where(Event.article_id == article.id))
    return render(
        request,
        "articles/activity.html",
        {"article": article, "events": feed[:500], "names": _source_names(db)},
    )


@router.get("/articles/{article_id}/sentences/{sentence_id}/history", response_class=HTMLResponse)
def show_history(
    request: Request, db: ReadDB, user: Viewer, article_id: ArticleId, sentence_id: SentenceId
) -> Response:
    """One sentence's history (for the desk's history dialog)."""
    article = article_or_404(db, article_id)
    sentence = sentence_or_404(db, article_id, sentence_id)
    feed = _visible_events(db, article, user, select(Event).where(Event.sentence_id == sentence.id))
    context = {"article": article, "events": feed, "names": _source_names(db), "sentence": sentence}
    return render(
        request, "articles/activity.html", context, blocks=["feed"] if is_htmx(request) else ()
    )


def _visible_events(db: Session, article: Article, user: User, query: Any) -> list[Event]:
    """A blind tagger must not see the other tagger's choices, even in the history."""
    layer = review.viewing_layer(db, article, user)
    feed = list(db.scalars(query.order_by(Event.id.desc()).limit(2000)))
    if not article.blind or layer == FINAL_LAYER and user.role in ("reviewer", "admin"):
        return feed
    return [e for e in feed if (e.detail or {}).get("layer", FINAL_LAYER) in (FINAL_LAYER, layer)]


def _source_names(db: Session) -> dict[int, str]:
    from app.sources import all_sources

    return {s.id: s.name for s in all_sources(db)}


def _review_context(db: Session, article: Article, user: User) -> dict[str, Any]:
    taggers = review.assignees(db, article)
    names = _source_names(db)
    rows = []
    pairs: list[tuple[str | None, str | None]] = []
    for sentence in articles.sentences(db, article.id):
        labels = [_label(sentence, t.id, names) for t in taggers] if len(taggers) == 2 else []
        final = _label(sentence, FINAL_LAYER, names)
        if labels:
            pairs.append((labels[0], labels[1]))
        rows.append(
            {
                "sentence": sentence,
                "a": labels[0] if labels else None,
                "b": labels[1] if labels else None,
                "final": final,
                "differs": bool(labels) and labels[0] != labels[1],
            }
        )
    return {
        "article": article,
        "taggers": taggers,
        "rows": rows,
        "figures": agreement(pairs),
        "user": user,
        "text": article.text,
        "editors": [u for u in _editors(db)],
    }


def _label(sentence: Sentence, layer: int, names: dict[int, str]) -> str | None:
    chosen = sorted(names.get(a.source_id, "?") for a in sentence.attributions if a.layer == layer)
    return " + ".join(chosen) if chosen else None


def _editors(db: Session) -> list[User]:
    return [
        u
        for u in db.scalars(select(User).order_by(User.email))
        if u.is_active and u.role in ("editor", "reviewer", "admin")
    ]
