"""Download an article's attribution table as CSV or JSON."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.db import ReadDB
from app.exporting import to_csv, to_json
from app.models import Article
from app.routes import ArticleId, Viewer, article_or_404
from app.table import COLUMNS, table_rows

router = APIRouter()


@router.get("/articles/{article_id}/export.csv")
def export_csv(
    db: ReadDB, user: Viewer, article_id: ArticleId, bom: Annotated[bool, Query()] = False
) -> Response:
    """Download the attribution table as CSV (add ?bom=1 for Excel on Windows)."""
    article = article_or_404(db, article_id)
    body = to_csv(table_rows(db, article), COLUMNS)
    if bom:
        body = "\ufeff" + body
    return _download(body, article, "csv", "text/csv; charset=utf-8")


@router.get("/articles/{article_id}/export.json")
def export_json(db: ReadDB, user: Viewer, article_id: ArticleId) -> Response:
    """Download the attribution table as JSON."""
    article = article_or_404(db, article_id)
    return _download(
        to_json(table_rows(db, article), COLUMNS, article_meta(article)),
        article,
        "json",
        "application/json",
    )


def article_meta(article: Article) -> dict[str, object]:
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "outlet": article.outlet,
            "url": article.url,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "status": article.status,
        }
    }


def _download(body: str, article: Article, suffix: str, media_type: str) -> Response:
    stem = re.sub(r"[^\w-]+", "-", article.title.lower(), flags=re.UNICODE).strip("-")[:60]
    name = f"whosaid-{article.id}-{stem or 'article'}.{suffix}"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        body.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )
