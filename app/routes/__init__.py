"""HTTP routes, one module per resource; shared parameter types live here."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from app.articles import get_article, get_sentence
from app.config import Settings
from app.models import Article, Sentence

# ids are 32-bit INTEGER columns on PostgreSQL: a larger number is a 422, never a 500
MAX_ID = 2**31 - 1
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
SentenceId = Annotated[int, Path(ge=1, le=MAX_ID)]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID)]


# These two are async so FastAPI calls them on the event loop, not through the threadpool.
async def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


async def editor(request: Request) -> str:
    """Name the person making a change (the local user until accounts exist)."""
    value: str = request.app.state.settings.editor
    return value


SettingsDep = Annotated[Settings, Depends(settings)]
EditorDep = Annotated[str, Depends(editor)]


def article_or_404(session: Session, article_id: int) -> Article:
    article = get_article(session, article_id)
    if article is None:
        raise HTTPException(404)
    return article


def sentence_or_404(session: Session, article_id: int, sentence_id: int) -> Sentence:
    sentence = get_sentence(session, article_id, sentence_id)
    if sentence is None:
        raise HTTPException(404, "That sentence no longer exists; reload the article.")
    return sentence
