"""HTTP routes, one module per resource; shared parameter types and permissions live here."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from app.articles import get_sentence
from app.auth import can
from app.config import Settings
from app.db import Database
from app.models import Article, Sentence, User

# not "from app import review": that name here is the routes module app.routes.review
from app.review import ReviewProblem, writing_layer
from app.users import user_for_token

# ids are 32-bit INTEGER columns on PostgreSQL: a larger number is a 422, never a 500
MAX_ID = 2**31 - 1
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
SentenceId = Annotated[int, Path(ge=1, le=MAX_ID)]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID)]


class NotSignedIn(Exception):
    """The request needs a signed-in user and has none."""


# These two are async so FastAPI calls them on the event loop, not through the threadpool.
async def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


SettingsDep = Annotated[Settings, Depends(settings)]


def current_user(request: Request) -> User | None:
    """The signed-in user of this browser, if any. Read in a session of its own, closed at
    once: a request then holds one database connection at a time, so a burst of requests
    waits for connections instead of each holding one while it waits for another."""
    database: Database = request.app.state.db
    with database.read_session() as session:
        user = user_for_token(session, request.state.sid)
    request.state.user = user
    return user


class Permission:
    """A route's explicit permission: the least role that may call it."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, user: Annotated[User | None, Depends(current_user)]) -> User:
        if user is None:
            raise NotSignedIn
        if not can(user.role, self.role):
            raise HTTPException(403, f"This needs the {self.role} role; you are {user.role}.")
        return user


Viewer = Annotated[User, Depends(Permission("viewer"))]
Editor = Annotated[User, Depends(Permission("editor"))]
Reviewer = Annotated[User, Depends(Permission("reviewer"))]
Admin = Annotated[User, Depends(Permission("admin"))]


def article_or_404(session: Session, article_id: int, *, lock: bool = False) -> Article:
    """The article, or 404. ``lock`` takes its row lock (PostgreSQL: SELECT … FOR UPDATE) so
    concurrent writes to one article run one after another, as SQLite's write lock makes
    them; without it two toggles could both see "absent" and both insert."""
    article = session.get(Article, article_id, with_for_update=lock or None)
    if article is None:
        raise HTTPException(404)
    return article


def sentence_or_404(session: Session, article_id: int, sentence_id: int) -> Sentence:
    sentence = get_sentence(session, article_id, sentence_id)
    if sentence is None:
        raise HTTPException(404, "That sentence no longer exists; reload the article.")
    return sentence


def checked_layer(db: Session, article: Article, user: User) -> int:
    """The layer this user writes to, or an HTTP error saying why they cannot write."""
    try:
        return writing_layer(db, article, user)
    except ReviewProblem as problem:
        raise HTTPException(problem.status, str(problem)) from problem
