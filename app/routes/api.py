"""The JSON API under /api/v1: bearer tokens with their user's permissions, an OpenAPI schema.

It calls the same store functions as the pages. Browser cookies play no part here, so
there is no CSRF to check: a request without a valid token is 401.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import articles, review, sources, tagging, tokens
from app.auth import can
from app.config import API_PREFIX
from app.db import Database, ReadDB, WriteDB, unavailable
from app.importing import ImportProblem, check_text, default_title
from app.library import LibraryQuery, library
from app.models import Attribution, Sentence, Source, User
from app.routes import (
    ArticleId,
    SentenceId,
    article_or_404,
    checked_layer,
    sentence_or_404,
)
from app.routes.api_schemas import (
    ArticleDetail,
    ArticleIn,
    ArticlePage,
    ArticleSummary,
    RowsPage,
    SentenceOut,
    SourceIn,
    SourceOut,
    SuggestionOut,
    TagsIn,
    sentence_out,
    source_out,
    summary_out,
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
    items = [summary_out(a, p.tagged, p.total) for a, p, _ in result.rows]
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
    return summary_out(article, progress.tagged, progress.total)


@router.get("/articles/{article_id}", response_model=ArticleDetail)
def get_article(db: ReadDB, user: ApiViewer, article_id: ArticleId) -> Any:
    """One article with its sentences and their attributions."""
    article = article_or_404(db, article_id)
    layer = review.viewing_layer(db, article, user)
    rows = articles.sentences(db, article.id)
    progress = articles.progress(db, article.id, layer)
    detail = summary_out(article, progress.tagged, progress.total).model_dump()
    return ArticleDetail(**detail, sentences_list=[sentence_out(article, s, layer) for s in rows])


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
    return sentence_out(article, sentence, layer)


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
    return sentence_out(article, sentence, layer)


@router.get("/sources", response_model=list[SourceOut])
def list_sources(db: ReadDB, user: ApiViewer) -> Any:
    """The source registry."""
    return [source_out(s) for s in sources.all_sources(db)]


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
    return source_out(created)


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
