"""The library: every article with its tagging progress."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.articles import list_articles
from app.db import ReadDB
from app.routes import Viewer
from app.web import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def show_library(request: Request, db: ReadDB, user: Viewer) -> HTMLResponse:
    """List the articles with progress, newest first."""
    return render(request, "articles/index.html", {"rows": list_articles(db)})
