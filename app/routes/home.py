"""The library: every article with its tagging progress, filtered and searched."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.db import ReadDB
from app.library import LibraryQuery, library
from app.models import STATUSES
from app.routes import Viewer
from app.routes.forms import QueryId, QueryPage, QueryText, parse_date
from app.sources import all_sources
from app.web import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def show_library(
    request: Request,
    db: ReadDB,
    user: Viewer,
    q: QueryText = "",
    status: QueryText = "",
    outlet: QueryText = "",
    date_from: QueryText = "",
    date_to: QueryText = "",
    source: QueryId = None,
    page: QueryPage = 1,
) -> HTMLResponse:
    """List the articles with progress, newest first; filter, search and page through them."""
    query = LibraryQuery(
        q=q,
        status=status if status in STATUSES else "",
        outlet=outlet,
        date_from=parse_date(date_from, "first date"),
        date_to=parse_date(date_to, "last date"),
        source_id=source,
        page=page,
    )
    result = library(db, query)
    kept = {
        k: v
        for k, v in {
            "q": q,
            "status": query.status,
            "outlet": outlet,
            "date_from": date_from,
            "date_to": date_to,
            "source": source or "",
        }.items()
        if v
    }
    return render(
        request,
        "articles/index.html",
        {
            "result": result,
            "query": query,
            "statuses": STATUSES,
            "sources": all_sources(db),
            "page_link": lambda n: "/?" + urlencode({**kept, "page": n}),
            "filtered": bool(kept),
        },
    )
