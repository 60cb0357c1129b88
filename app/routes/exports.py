"""Downloads of the attribution table, one article or a filtered set, in every format.

Exports stream: rows come from the database a batch at a time and leave as they are
written, so memory stays flat however large the table is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from app import exporting
from app.config import API_PREFIX
from app.db import Database, ReadDB
from app.models import Article, Attribution, Sentence
from app.routes import ArticleId, Viewer, article_or_404
from app.routes.claims import claim_filters
from app.table import COLUMNS, Filters, Row, ordered, rows_query, stream_rows

router = APIRouter()
Format = Annotated[str, Path(pattern="^(csv|xlsx|json|jsonl|md|jsonld)$")]
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "md": "text/markdown; charset=utf-8",
    "jsonld": "application/ld+json",
}


@router.get("/articles/{article_id}/export.{fmt}")
def export_article(
    request: Request,
    db: ReadDB,
    user: Viewer,
    article_id: ArticleId,
    fmt: Format,
    bom: Annotated[bool, Query()] = False,
) -> StreamingResponse:
    """Download one article's table: every sentence, tagged or not (?bom=1: CSV for Excel)."""
    article = article_or_404(db, article_id)
    query = rows_query(Filters(article_id=article.id), include_untagged=True)
    query = query.order_by(Sentence.position, Attribution.id)
    name = f"whosaid-{article.id}-{_slug(article.title)}"
    meta = {"article": article_meta(article)}
    return download(request, query, fmt, name, meta, bom=bom)


@router.get("/claims/export.{fmt}")
def export_claims(
    request: Request,
    db: ReadDB,
    user: Viewer,
    fmt: Format,
    bom: Annotated[bool, Query()] = False,
) -> StreamingResponse:
    """Download the cross-article table as filtered and sorted on the claims page."""
    filters = claim_filters(db, request.query_params)
    meta = {"filters": {k: v for k, v in request.query_params.items() if k != "bom"}}
    return download(
        request, ordered(rows_query(filters), filters), fmt, "whosaid-claims", meta, bom=bom
    )


def article_meta(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "status": article.status,
        "approved_by": article.approved_by,
    }


def writer(
    fmt: str, *, meta: dict[str, Any], bom: bool, base_url: str
) -> Callable[[Iterable[Row]], Iterator[str] | Iterator[bytes]]:
    """The streaming writer for a format, given the rows."""
    writers: dict[str, Callable[[Iterable[Row]], Iterator[str] | Iterator[bytes]]] = {
        "csv": lambda rows: exporting.csv_chunks(rows, COLUMNS, bom=bom),
        "xlsx": lambda rows: exporting.xlsx_stream(rows, COLUMNS),
        "json": lambda rows: exporting.json_chunks(rows, COLUMNS, meta),
        "jsonl": lambda rows: exporting.jsonl_chunks(rows, COLUMNS),
        "md": lambda rows: exporting.markdown_chunks(rows, COLUMNS),
        "jsonld": lambda rows: exporting.jsonld_chunks(rows, base_url=base_url),
    }
    if fmt not in writers:
        raise HTTPException(404)
    return writers[fmt]


def download(
    request: Request, query: Any, fmt: str, name: str, meta: dict[str, Any], *, bom: bool
) -> StreamingResponse:
    database: Database = request.app.state.db
    write = writer(fmt, meta=meta, bom=bom, base_url=site_url(request))

    def body() -> Iterator[bytes]:
        # its own session: the request's closes when the handler returns, the stream goes on
        with database.read_session() as session:
            for chunk in write(stream_rows(session, query)):
                yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk

    filename = f"{name}.{fmt}"
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return StreamingResponse(
        body(),
        media_type=TYPES[fmt],
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


def site_url(request: Request) -> str:
    """The site's address, also from inside the API app mounted below it."""
    base = str(request.base_url).rstrip("/")
    return base.removesuffix(API_PREFIX)


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return slug or "article"
