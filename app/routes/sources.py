"""The source registry pages, and the stylesheet that gives each source its colour."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app import sources
from app.db import ReadDB, WriteDB
from app.models import SOURCE_KINDS, Source
from app.routes import Admin, Editor, Reviewer, SourceId, Viewer
from app.routes.forms import FormInt, QueryId, QueryPage
from app.table import Filters, count_rows, page_of_rows, with_affiliates
from app.web import is_htmx, render

router = APIRouter()
KINDS = [k for k in SOURCE_KINDS if k != "reporter"]


def parse_source_form(
    name: str, kind: str, aliases: str, affiliation_id: str, country: str, colour: str, hotkey: str
) -> sources.SourceInput:
    """Turn the registry form's strings into a SourceInput, or raise SourceProblem."""

    def number(value: str, what: str) -> int | None:
        value = value.strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 18:
            raise sources.SourceProblem(f"The {what} must be a number.")
        return int(value)

    return sources.SourceInput(
        name=name,
        kind=kind,
        aliases=tuple(a for line in aliases.splitlines() for a in line.split(";")),
        affiliation_id=number(affiliation_id, "affiliation"),
        country=country,
        colour=colour,
        hotkey=number(hotkey, "hotkey"),
    )


SourceField = Annotated[str, Form(max_length=2000)]


@router.get("/sources", response_class=HTMLResponse)
def list_sources(request: Request, db: ReadDB, user: Viewer) -> HTMLResponse:
    """List the registry with usage, and a form to add a source."""
    return render(request, "sources/index.html", _index_context(db, form={}, error=None))


@router.post("/sources", response_class=HTMLResponse)
def create_source(
    request: Request,
    db: WriteDB,
    user: Editor,
    name: SourceField = "",
    kind: SourceField = "other",
    aliases: SourceField = "",
    affiliation_id: SourceField = "",
    country: SourceField = "",
    colour: SourceField = "",
    hotkey: SourceField = "",
) -> Response:
    """Add a source to the registry."""
    form = {
        "name": name,
        "kind": kind,
        "aliases": aliases,
        "affiliation_id": affiliation_id,
        "country": country,
        "colour": colour,
        "hotkey": hotkey,
    }
    try:
        data = parse_source_form(name, kind, aliases, affiliation_id, country, colour, hotkey)
        sources.create_source(db, data, actor=user.email)
    except sources.SourceProblem as problem:
        db.rollback()
        return render(
            request,
            "sources/index.html",
            _index_context(db, form, str(problem)),
            blocks=["source_form"] if is_htmx(request) else (),
            status_code=422,
        )
    db.commit()
    return _back_to_list(request)


@router.get("/sources/{source_id}/edit", response_class=HTMLResponse)
def edit_source(request: Request, db: ReadDB, user: Editor, source_id: SourceId) -> HTMLResponse:
    """Show the form to rename or re-describe a source."""
    source = _source_or_404(db, source_id)
    return render(request, "sources/edit.html", _edit_context(db, source, _as_form(source), None))


@router.post("/sources/{source_id}", response_class=HTMLResponse)
def update_source(
    request: Request,
    db: WriteDB,
    user: Editor,
    source_id: SourceId,
    name: SourceField = "",
    kind: SourceField = "other",
    aliases: SourceField = "",
    affiliation_id: SourceField = "",
    country: SourceField = "",
    colour: SourceField = "",
    hotkey: SourceField = "",
) -> Response:
    """Save a source's name, kind, aliases, affiliation, country, colour and hotkey."""
    source = _source_or_404(db, source_id)
    form = {
        "name": name,
        "kind": kind,
        "aliases": aliases,
        "affiliation_id": affiliation_id,
        "country": country,
        "colour": colour,
        "hotkey": hotkey,
    }
    try:
        data = parse_source_form(name, kind, aliases, affiliation_id, country, colour, hotkey)
        sources.update_source(db, source, data, actor=user.email)
    except sources.SourceProblem as problem:
        db.rollback()
        source = _source_or_404(db, source_id)
        return render(
            request,
            "sources/edit.html",
            _edit_context(db, source, form, str(problem)),
            blocks=["source_form"] if is_htmx(request) else (),
            status_code=422,
        )
    db.commit()
    return _back_to_list(request)


@router.post("/sources/{source_id}/delete", response_class=HTMLResponse)
def delete_source(request: Request, db: WriteDB, user: Admin, source_id: SourceId) -> Response:
    """Delete a source that no sentence uses."""
    source = _source_or_404(db, source_id)
    try:
        sources.delete_source(db, source, actor=user.email)
    except sources.SourceProblem as problem:
        raise HTTPException(409, str(problem)) from problem
    db.commit()
    return _back_to_list(request)


@router.get("/sources.css")
def source_styles(db: ReadDB, user: Viewer) -> Response:
    """Serve one CSS class per source colour, so no inline style is ever needed."""
    rules = []
    for source in sources.all_sources(db):
        rules.append(f".src-{source.id}{{--src:{source.colour};--src-ink:{_ink(source.colour)}}}")
    body = "\n".join(rules) + "\n"
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
    return Response(
        body, media_type="text/css", headers={"ETag": etag, "Cache-Control": "no-cache"}
    )


def _ink(colour: str) -> str:
    """Pick black or white text for the best contrast on ``colour``."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "#111111" if luminance > 0.179 else "#ffffff"


def _source_or_404(db: Session, source_id: int) -> Source:
    source = db.get(Source, source_id)
    if source is None:
        raise HTTPException(404)
    return source


def _index_context(db: Session, form: dict[str, str], error: str | None) -> dict[str, Any]:
    registry = sources.all_sources(db)
    return {
        "registry": registry,
        "usage": sources.usage(db),
        "kinds": KINDS,
        "form": form,
        "error": error,
        "by_id": {s.id: s for s in registry},
    }


def _edit_context(
    db: Session, source: Source, form: dict[str, str], error: str | None
) -> dict[str, Any]:
    others = [s for s in sources.all_sources(db) if s.id != source.id and not s.is_reporter]
    return {"source": source, "form": form, "error": error, "kinds": KINDS, "others": others}


def _as_form(source: Source) -> dict[str, str]:
    return {
        "name": source.name,
        "kind": source.kind,
        "aliases": "\n".join(source.aliases or []),
        "affiliation_id": str(source.affiliation_id or ""),
        "country": source.country,
        "colour": source.colour,
        "hotkey": "" if source.hotkey is None else str(source.hotkey),
    }


def _back_to_list(request: Request) -> Response:
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": "/sources"})
    return RedirectResponse("/sources", status_code=303)


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def show_source(
    request: Request, db: ReadDB, user: Viewer, source_id: SourceId, page: QueryPage = 1
) -> HTMLResponse:
    """Everything a source (and its affiliates) has said across articles, newest first."""
    source = _source_or_404(db, source_id)
    filters = Filters(source_ids=with_affiliates(db, source.id), sort="date")
    total = count_rows(db, filters)
    pages = max(1, -(-total // 50))
    page = min(page, pages)
    others = [s for s in sources.all_sources(db) if s.id != source.id and not s.is_reporter]
    return render(
        request,
        "sources/show.html",
        {
            "source": source,
            "rows": page_of_rows(db, filters, page=page, per_page=50),
            "total": total,
            "page": page,
            "pages": pages,
            "others": others,
            "affiliates": [s for s in sources.all_sources(db) if s.affiliation_id == source.id],
        },
    )


@router.get("/sources/{source_id}/merge", response_class=HTMLResponse)
def preview_merge(
    request: Request, db: ReadDB, user: Reviewer, source_id: SourceId, into: QueryId = None
) -> HTMLResponse:
    """Show what merging this source into another would move, before doing it."""
    source = _source_or_404(db, source_id)
    target = _source_or_404(db, into or 0)
    try:
        plan = sources.merge_plan(db, source, target)
    except sources.SourceProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    return render(request, "sources/merge.html", {"plan": plan})


@router.post("/sources/{source_id}/merge", response_class=HTMLResponse)
def merge_source(
    request: Request, db: WriteDB, user: Reviewer, source_id: SourceId, into: FormInt = None
) -> Response:
    """Merge this source into another: attributions move, names join the aliases."""
    source = _source_or_404(db, source_id)
    target = _source_or_404(db, into or 0)
    try:
        sources.merge_sources(db, source, target, actor=user.email)
    except sources.SourceProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return RedirectResponse(f"/sources/{target.id}", status_code=303)
