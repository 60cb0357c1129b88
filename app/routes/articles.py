"""Import an article, and show its attribution table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.articles import ArticleInput, create_article
from app.db import ReadDB, WriteDB
from app.importing import ImportProblem, check_text, decode_upload, default_title
from app.routes import ArticleId, Editor, SettingsDep, Viewer, article_or_404
from app.table import table_rows
from app.web import is_htmx, render

router = APIRouter()


@router.get("/articles/new", response_class=HTMLResponse)
def new_article(request: Request, user: Editor) -> HTMLResponse:
    """Show the import form."""
    return render(request, "articles/new.html", {"form": {}, "error": None})


@router.post("/articles", response_class=HTMLResponse)
def import_article(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    title: Annotated[str, Form(max_length=500)] = "",
    outlet: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    published_at: Annotated[str, Form(max_length=40)] = "",
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store a pasted or uploaded article and open it in the desk."""
    form = {
        "title": title,
        "outlet": outlet,
        "url": url,
        "published_at": published_at,
        "text": text,
    }
    try:
        body = _article_text(file, text, limit=settings.max_upload_bytes)
        data = ArticleInput(
            title=" ".join(title.split()) or default_title(body),
            text=body,
            outlet=" ".join(outlet.split()),
            url=_check_url(url),
            published_at=_check_date(published_at),
        )
    except ImportProblem as problem:
        return render(
            request,
            "articles/new.html",
            {"form": form, "error": str(problem)},
            blocks=["import_form"] if is_htmx(request) else (),
            status_code=problem.status,
        )
    article = create_article(db, data, actor=user.email)
    db.commit()
    target = f"/articles/{article.id}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/articles/{article_id}/table", response_class=HTMLResponse)
def show_table(request: Request, db: ReadDB, user: Viewer, article_id: ArticleId) -> HTMLResponse:
    """Show the article's attribution table, the rows the exports carry."""
    article = article_or_404(db, article_id)
    return render(
        request, "articles/table.html", {"article": article, "rows": table_rows(db, article)}
    )


def _article_text(file: UploadFile | None, text: str, *, limit: int) -> str:
    if file is not None and file.filename:
        if text.strip():
            raise ImportProblem("Paste the text or choose a file, not both.")
        data = file.file.read(limit + 1)
        if not data:
            raise ImportProblem(f"“{file.filename}” is empty.")
        return decode_upload(data, file.filename, limit=limit)
    return check_text(text, limit=limit)


def _check_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImportProblem("The URL must start with http:// or https://.")
    return url


def _check_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ImportProblem("The publication date must be a date like 2022-03-26.") from exc
