"""The JSON API under /api/v1: bearer tokens with their user's permissions, an OpenAPI schema.

It calls the same store functions as the pages. Browser cookies play no part here, so
there is no CSRF to check: a request without a valid token is 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import articles, review, sources, tagging, tokens
from app.auth import can
from app.config import API_PREFIX
from app.db import Database, ReadDB, WriteDB, unavailable
from app.importing import ImportProblem, check_text, default_title
from app.library import LibraryQuery, library
from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source, User
from app.routes import (
    MAX_ID,
    ArticleId,
    SentenceId,
    article_or_404,
    checked_layer,
    sentence_or_404,
)
from app.routes.claims import claim_filters
from app.routes.exports import Format, article_meta, download
from app.suggesting import article_suggestions, suggestions_at
from app.table import Filters, count_rows, ordered, page_of_rows, rows_query

# ---- who is asking ---------------------------------------------------------------------


def token_user(request: Request) -> User | None:
    """The user of the bearer token, read in a session of its own (see current_user)."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    database: Database = request.app.state.db
    with database.read_session() as session:
        return tokens.user_for_api_token(session, secret.strip())


class ApiPermission:
    """An API route's least role; the user is the token's."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, user: Annotated[User | None, Depends(token_user)]) -> User:
        if user is None:
            raise HTTPException(
                401,
                "Send a valid API token: Authorization: Bearer ws_…",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not can(user.role, self.role):
            raise HTTPException(403, f"This needs the {self.role} role; you are {user.role}.")
        return user


ApiViewer = Annotated[User, Depends(ApiPermission("viewer"))]
ApiEditor = Annotated[User, Depends(ApiPermission("editor"))]

# ---- what goes in and out ---------------------------------------------------------------


# what a client sends is exactly what it may set: an unknown field (an id, an editor, a
# status, "is_admin") is refused with 422, not silently dropped (mass assignment, D3)
STRICT_INPUT = ConfigDict(extra="forbid")


class ArticleSummary(BaseModel):
    id: int
    title: str
    outlet: str
    url: str
    published_at: dt.date | None
    status: str
    version: int
    tagged: int
    sentences: int


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    page: int
    pages: int


class ArticleIn(BaseModel):
    model_config = STRICT_INPUT
    text: str = Field(min_length=1)
    title: str = Field(default="", max_length=500)
    outlet: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=2000)
    published_at: dt.date | None = None


class AttributionOut(BaseModel):
    source_id: int
    source: str
    cue: str
    mode: str
    origin: str
    editor: str
    needs_review: bool


class SentenceOut(BaseModel):
    id: int
    position: int
    paragraph: int
    start: int
    end: int
    kind: str
    text: str
    version: int
    attributions: list[AttributionOut]


class ArticleDetail(ArticleSummary):
    sentences_list: list[SentenceOut]


class TagsIn(BaseModel):
    model_config = STRICT_INPUT
    source_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=20)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class SuggestionOut(BaseModel):
    sentence_id: int
    kind: str
    source: str | None
    new_source: bool
    mention: list[int] | None
    cue: str | None
    mode: str | None
    confidence: float
    reason: str


class SourceOut(BaseModel):
    id: int
    name: str
    kind: str
    aliases: list[str]
    affiliation_id: int | None
    country: str
    hotkey: int | None


class SourceIn(BaseModel):
    model_config = STRICT_INPUT
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="other", max_length=20)
    aliases: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    affiliation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    country: str = Field(default="", max_length=100)


class RowsPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    page: int
    pages: int


# ---- the routes -------------------------------------------------------------------------

router = APIRouter()


def build_api(state: Any) -> FastAPI:
    """The API as its own app, mounted at /api/v1: its own schema, JSON errors, no cookies."""
    api = FastAPI(
        title="WhoSaid API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        servers=[{"url": API_PREFIX}],
        description="Articles, sentences, sources, attributions, suggestions and exports. "
        "Authenticate with a personal token, `Authorization: Bearer ws_…`, made on your "
        "Tokens page; it carries your account's role.",
    )
    for key in ("settings", "db", "hasher"):
        setattr(api.state, key, getattr(state, key))
    api.include_router(router)
    api.add_exception_handler(ImportProblem, _refused)
    api.add_exception_handler(OperationalError, _busy)
    api.add_exception_handler(PoolTimeout, _busy)
    api.add_exception_handler(IntegrityError, _conflict)
    return api


@router.get("/articles", response_model=ArticlePage)
def list_articles(
    db: ReadDB,
    user: ApiViewer,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> ArticlePage:
    """List articles with their tagging progress, newest first."""
    result = library(db, LibraryQuery(q=q, page=page))
    items = [_summary(a, p.tagged, p.total) for a, p, _ in result.rows]
    return ArticlePage(items=items, total=result.total, page=result.page, pages=result.pages)


@router.post("/articles", response_model=ArticleSummary, status_code=201)
def create_article(body: ArticleIn, db: WriteDB, user: ApiEditor, request: Request) -> Any:
    """Import an article from its text (stored exactly as sent)."""
    limit = request.app.state.settings.max_upload_bytes
    try:
        text = check_text(body.text, limit=limit)
    except ImportProblem as problem:
        raise HTTPException(problem.status, str(problem)) from problem
    duplicate = articles.find_duplicate(db, text)
    if duplicate is not None:
        raise HTTPException(409, f"This text is already article {duplicate.id}.")
    article = articles.create_article(
        db,
        articles.ArticleInput(
            title=body.title or default_title(text),
            text=text,
            outlet=body.outlet,
            url=body.url,
            published_at=body.published_at,
        ),
        actor=user.email,
    )
    db.commit()
    progress = articles.progress(db, article.id)
    return _summary(article, progress.tagged, progress.total)


@router.get("/articles/{article_id}", response_model=ArticleDetail)
def get_article(db: ReadDB, user: ApiViewer, article_id: ArticleId) -> Any:
    """One article with its sentences and their attributions."""
    article = article_or_404(db, article_id)
    layer = review.viewing_layer(db, article, user)
    rows = articles.sentences(db, article.id)
    progress = articles.progress(db, article.id, layer)
    detail = _summary(article, progress.tagged, progress.total).model_dump()
    return ArticleDetail(**detail, sentences_list=[_sentence(article, s, layer) for s in rows])


@router.get("/articles/{article_id}/suggestions", response_model=list[SuggestionOut])
def get_suggestions(db: ReadDB, user: ApiViewer, article_id: ArticleId) -> Any:
    """The suggester's proposal for every sentence, with its reason."""
    article = article_or_404(db, article_id)
    rows = articles.sentences(db, article.id)
    found = article_suggestions(db, article, review.viewing_layer(db, article, user))
    return [
        SuggestionOut(
            sentence_id=s.id,
            kind=g.kind,
            source=g.source,
            new_source=g.new_source,
            mention=list(g.mention) if g.mention else None,
            cue=g.cue,
            mode=g.mode,
            confidence=g.confidence,
            reason=g.reason,
        )
        for s in rows
        if (g := found.get(s.id)) is not None
    ]


@router.put(
    "/articles/{article_id}/sentences/{sentence_id}/attributions", response_model=SentenceOut
)
def set_attributions(
    body: TagsIn, db: WriteDB, user: ApiEditor, article_id: ArticleId, sentence_id: SentenceId
) -> Any:
    """Make these sources the sentence's attributions; a stale ``version`` is 409."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = checked_layer(db, article, user)
    if body.version is not None and body.version != sentence.version:
        raise HTTPException(
            409,
            f"The sentence changed since version {body.version}; it is "
            f"now version {sentence.version}.",
        )
    found = {s.id for s in db.scalars(select(Source).where(Source.id.in_(body.source_ids)))}
    missing = set(body.source_ids) - found
    if missing:
        raise HTTPException(422, f"No source {sorted(missing)[0]}.")
    tagging.set_tags(
        db,
        sentence,
        [tagging.Tag(i) for i in dict.fromkeys(body.source_ids)],
        editor=user.email,
        layer=layer,
    )
    db.commit()
    db.refresh(sentence)
    return _sentence(article, sentence, layer)


@router.post("/articles/{article_id}/sentences/{sentence_id}/accept", response_model=SentenceOut)
def accept(db: WriteDB, user: ApiEditor, article_id: ArticleId, sentence_id: SentenceId) -> Any:
    """Accept the suggestion for a sentence (creating a proposed source if needed)."""
    article = article_or_404(db, article_id, lock=True)
    sentence = sentence_or_404(db, article_id, sentence_id)
    layer = checked_layer(db, article, user)
    at = sentence.position - 1
    suggestion = suggestions_at(db, article, range(at, at + 1), layer).get(sentence.id)
    if suggestion is None:
        raise HTTPException(404, "There is no suggestion for this sentence.")
    try:
        tagging.accept_suggestion(db, sentence, suggestion, editor=user.email, layer=layer)
    except (tagging.EditProblem, ValueError) as problem:
        raise HTTPException(409, str(problem)) from problem
    db.commit()
    db.refresh(sentence)
    return _sentence(article, sentence, layer)


@router.get("/sources", response_model=list[SourceOut])
def list_sources(db: ReadDB, user: ApiViewer) -> Any:
    """The source registry."""
    return [_source(s) for s in sources.all_sources(db)]


@router.post("/sources", response_model=SourceOut, status_code=201)
def create_source(body: SourceIn, db: WriteDB, user: ApiEditor) -> Any:
    """Add a source (names are unique whatever their case)."""
    try:
        created = sources.create_source(
            db,
            sources.SourceInput(
                name=body.name,
                kind=body.kind,
                aliases=tuple(body.aliases),
                affiliation_id=body.affiliation_id,
                country=body.country,
            ),
            actor=user.email,
        )
    except sources.SourceProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return _source(created)


@router.get("/attributions", response_model=RowsPage)
def list_attributions(
    request: Request,
    db: ReadDB,
    user: ApiViewer,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Any:
    """Every attribution across articles; the same filters as the /claims page
    (source, kind, outlet, from, to, status, cue, mode, sort, order)."""
    filters = claim_filters(db, request.query_params)
    total = count_rows(db, filters)
    pages = max(1, -(-total // 100))
    return RowsPage(
        items=page_of_rows(db, filters, page=min(page, pages), per_page=100),
        total=total,
        page=min(page, pages),
        pages=pages,
    )


@router.get("/articles/{article_id}/export.{fmt}", response_class=StreamingResponse)
def export_article(
    request: Request, db: ReadDB, user: ApiViewer, article_id: ArticleId, fmt: Format
) -> StreamingResponse:
    """One article's table in csv, xlsx, json, jsonl, md or jsonld."""
    article = article_or_404(db, article_id)
    query = rows_query(Filters(article_id=article.id), include_untagged=True)
    query = query.order_by(Sentence.position, Attribution.id)
    return download(
        request, query, fmt, f"whosaid-{article.id}", {"article": article_meta(article)}, bom=False
    )


@router.get("/attributions/export.{fmt}", response_class=StreamingResponse)
def export_attributions(
    request: Request, db: ReadDB, user: ApiViewer, fmt: Format
) -> StreamingResponse:
    """The filtered cross-article table in any export format."""
    filters = claim_filters(db, request.query_params)
    return download(
        request, ordered(rows_query(filters), filters), fmt, "whosaid-claims", {}, bom=False
    )


# ---- helpers ----------------------------------------------------------------------------


def _summary(article: Article, tagged: int, total: int) -> ArticleSummary:
    return ArticleSummary(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published_at=article.published_at,
        status=article.status,
        version=article.version_number,
        tagged=tagged,
        sentences=total,
    )


def _sentence(article: Article, s: Sentence, layer: int = FINAL_LAYER) -> SentenceOut:
    return SentenceOut(
        id=s.id,
        position=s.position,
        paragraph=s.paragraph,
        start=s.start,
        end=s.end,
        kind=s.kind,
        text=article.text[s.start : s.end],
        version=s.version,
        attributions=[
            AttributionOut(
                source_id=a.source_id,
                source=a.source.name,
                cue=a.cue,
                mode=a.mode,
                origin=a.origin,
                editor=a.editor,
                needs_review=a.needs_review,
            )
            for a in s.attributions
            if a.layer == layer
        ],
    )


def _source(s: Source) -> SourceOut:
    return SourceOut(
        id=s.id,
        name=s.name,
        kind=s.kind,
        aliases=list(s.aliases or []),
        affiliation_id=s.affiliation_id,
        country=s.country,
        hotkey=s.hotkey,
    )


async def _refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ImportProblem)
    return JSONResponse({"detail": str(exc)}, status_code=exc.status)


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    message = unavailable(exc)
    if message is None:
        raise exc  # not busy, full or read-only: a bug, answered 500 and logged
    return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "1"})


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "A conflicting change was made at the same moment."}, status_code=409
    )
