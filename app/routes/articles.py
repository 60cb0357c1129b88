"""Import articles (paste, or .txt .md .html .docx files, one or many), show the table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.articles import ArticleInput, create_article, find_duplicate
from app.db import ReadDB, WriteDB
from app.extract import SUPPORTED, Extracted, extract_file
from app.importing import ImportProblem, check_text, default_title, file_label
from app.models import Article
from app.routes import ArticleId, Editor, SettingsDep, Viewer, article_or_404
from app.table import table_rows
from app.web import is_htmx, render

router = APIRouter()
Text = Annotated[str, Form(max_length=500)]


@router.get("/articles/new", response_class=HTMLResponse)
def new_article(request: Request, user: Editor) -> HTMLResponse:
    """Show the import form."""
    return render(
        request, "articles/new.html", {"form": {}, "error": None, "accept": ",".join(SUPPORTED)}
    )


@router.post("/articles", response_class=HTMLResponse)
def import_article(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    title: Text = "",
    outlet: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    published_at: Annotated[str, Form(max_length=40)] = "",
    text: Annotated[str, Form()] = "",
    again: Annotated[str, Form(max_length=5)] = "",
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
        extracted = _article_text(file, text, limit=settings.max_upload_bytes)
        data = _input(extracted, title, outlet, url, published_at)
        duplicate = None if again else find_duplicate(db, data.text)
        if duplicate is not None:
            raise ImportProblem(
                f"This text is already in the library as “{duplicate.title}” "
                f"(article {duplicate.id}). Tick “import it again” to keep "
                "a second copy.",
                status=409,
            )
    except ImportProblem as problem:
        return render(
            request,
            "articles/new.html",
            {
                "form": form,
                "error": str(problem),
                "accept": ",".join(SUPPORTED),
                "offer_again": problem.status == 409,
            },
            blocks=["import_form"] if is_htmx(request) else (),
            status_code=problem.status,
        )
    article = create_article(db, data, actor=user.email)
    db.commit()
    target = f"/articles/{article.id}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/articles/upload")
def upload_article(
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    file: Annotated[UploadFile, File()],
    outlet: Annotated[str, Form(max_length=200)] = "",
    published_at: Annotated[str, Form(max_length=40)] = "",
) -> JSONResponse:
    """Import one file of a multi-file upload; answer in JSON for the progress list."""
    filename = file.filename or "file"
    name = file_label(filename)  # what the answer calls it; the full name decides its kind
    try:
        extracted = extract_file(
            filename, file.file.read(settings.max_upload_bytes + 1), limit=settings.max_upload_bytes
        )
        data = _input(extracted, "", outlet, "", published_at)
    except ImportProblem as problem:
        return JSONResponse(
            {"file": name, "status": "refused", "message": str(problem)}, status_code=problem.status
        )
    duplicate = find_duplicate(db, data.text)
    if duplicate is not None:
        return JSONResponse(
            {
                "file": name,
                "status": "duplicate",
                "id": duplicate.id,
                "message": f"already in the library as “{duplicate.title}”",
            },
            status_code=409,
        )
    article = create_article(db, data, actor=user.email)
    db.commit()
    return JSONResponse(
        {
            "file": name,
            "status": "imported",
            "id": article.id,
            "title": article.title,
            "sentences": _count(article),
        }
    )


@router.get("/articles/{article_id}/table", response_class=HTMLResponse)
def show_table(request: Request, db: ReadDB, user: Viewer, article_id: ArticleId) -> HTMLResponse:
    """Show the article's attribution table, the rows the exports carry."""
    article = article_or_404(db, article_id)
    return render(
        request, "articles/table.html", {"article": article, "rows": table_rows(db, article)}
    )


def _input(
    extracted: Extracted, title: str, outlet: str, url: str, published_at: str
) -> ArticleInput:
    return ArticleInput(
        title=" ".join(title.split()) or extracted.title or default_title(extracted.text),
        text=extracted.text,
        outlet=" ".join(outlet.split()),
        url=_check_url(url),
        published_at=_check_date(published_at) or extracted.published,
    )


def _article_text(file: UploadFile | None, text: str, *, limit: int) -> Extracted:
    if file is not None and file.filename:
        if text.strip():
            raise ImportProblem("Paste the text or choose a file, not both.")
        data = file.file.read(limit + 1)
        if not data:
            raise ImportProblem(f"“{file_label(file.filename)}” is empty.")
        return extract_file(file.filename, data, limit=limit)
    return Extracted(text=check_text(text, limit=limit), title=None, published=None, kind="txt")


def _count(article: Article) -> int:
    return len(article.sentences)


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
