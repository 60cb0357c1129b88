"""Updated versions of an article: import over the old text, list, compare side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app import versions
from app.db import ReadDB, WriteDB
from app.extract import extract_file
from app.importing import ImportProblem, check_text
from app.models import Article, ArticleVersion
from app.routes import ArticleId, Editor, SettingsDep, Viewer, article_or_404, checked_layer
from app.sources import all_sources
from app.web import render

router = APIRouter()
VersionNumber = Annotated[int, Path(ge=1, le=100_000)]


@router.get("/articles/{article_id}/versions", response_class=HTMLResponse)
def list_versions(request: Request, db: ReadDB, user: Viewer, article_id: ArticleId) -> Response:
    """Every version of the article, with links to compare them, and the update form."""
    article = article_or_404(db, article_id)
    return render(
        request,
        "articles/versions.html",
        {
            "article": article,
            "versions": versions.versions(db, article),
            "error": None,
            "outcome": None,
        },
    )


@router.post("/articles/{article_id}/versions", response_class=HTMLResponse)
def import_version(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Editor,
    article_id: ArticleId,
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store an updated text; unchanged sentences keep their tags, edited ones are flagged."""
    article = article_or_404(db, article_id, lock=True)
    checked_layer(db, article, user)
    try:
        if file is not None and file.filename:
            body = extract_file(
                file.filename,
                file.file.read(settings.max_upload_bytes + 1),
                limit=settings.max_upload_bytes,
            ).text
        else:
            body = check_text(text, limit=settings.max_upload_bytes)
        if versions.text_hash(body) == article.text_hash:
            raise ImportProblem("This text is the same as the current version.")
    except ImportProblem as problem:
        return render(
            request,
            "articles/versions.html",
            {
                "article": article,
                "versions": versions.versions(db, article),
                "error": str(problem),
                "outcome": None,
            },
            status_code=problem.status,
        )
    outcome = versions.update_article(db, article, body, actor=user.email)
    db.commit()
    names = {s.id: s.name for s in all_sources(db)}
    return render(
        request,
        "articles/versions.html",
        {
            "article": article,
            "versions": versions.versions(db, article),
            "error": None,
            "outcome": outcome,
            "names": names,
        },
    )


@router.get("/articles/{article_id}/versions/{number}/compare", response_class=HTMLResponse)
def compare_version(
    request: Request, db: ReadDB, user: Viewer, article_id: ArticleId, number: VersionNumber
) -> Response:
    """Version ``number`` beside the one that followed it."""
    article = article_or_404(db, article_id)
    stored = {v.number: v for v in versions.versions(db, article)}
    if number not in stored:
        raise HTTPException(404, "There is no such version of this article.")
    old = _sentences(stored[number])
    following = stored.get(number + 1)
    new = _sentences(following) if following else _current(article)
    rows = versions.compare(old, new)
    return render(
        request,
        "articles/compare.html",
        {
            "article": article,
            "number": number,
            "next_label": f"version {number + 1}" + ("" if following else " (current)"),
            "rows": rows,
        },
    )


def _sentences(version: ArticleVersion) -> list[str]:
    return [s["text"] for s in version.snapshot.get("sentences", [])]


def _current(article: Article) -> list[str]:
    return [article.text[s.start : s.end] for s in article.sentences]
