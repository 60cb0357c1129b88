"""Every attribution across the library: filtered, sorted, paged; each row links to its desk."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from app.db import ReadDB
from app.models import MODES, SOURCE_KINDS, STATUSES, Source
from app.routes import MAX_ID, Viewer
from app.routes.forms import parse_date
from app.sources import all_sources
from app.table import SORTS, Filters, count_rows, page_of_rows, with_affiliates
from app.web import render

router = APIRouter()
PER_PAGE = 50
FILTER_KEYS = ("source", "kind", "outlet", "from", "to", "status", "cue", "mode", "sort", "order")


def claim_filters(db: Session, params: QueryParams) -> Filters:
    """Read the table's filters from a query string; unknown values are refused, not guessed."""

    def value(key: str) -> str:
        raw = params.get(key, "")
        if len(raw) > 200:
            raise HTTPException(422, f"The {key} filter is too long.")
        return raw.strip()

    filters = Filters(
        kind=_allowed(value("kind"), SOURCE_KINDS, "kind"),
        outlet=value("outlet"),
        date_from=parse_date(value("from"), "first date"),
        date_to=parse_date(value("to"), "last date"),
        status=_allowed(value("status"), STATUSES, "status"),
        cue=value("cue"),
        mode=_allowed(value("mode"), MODES, "mode"),
        sort=_allowed(value("sort"), tuple(SORTS), "sort") or "date",
        descending=value("order") != "asc",
    )
    source = value("source")
    if source:
        if not source.isdigit() or not 1 <= int(source) <= MAX_ID:
            raise HTTPException(422, "The source filter must be a source id.")
        if db.get(Source, int(source)) is None:
            raise HTTPException(404, "That source no longer exists.")
        filters.source_ids = with_affiliates(db, int(source))
    return filters


def _allowed(value: str, choices: tuple[str, ...], what: str) -> str:
    if value and value not in choices:
        raise HTTPException(422, f"Unknown {what} “{value}”.")
    return value


@router.get("/claims", response_class=HTMLResponse)
def show_claims(request: Request, db: ReadDB, user: Viewer) -> HTMLResponse:
    """Show the attributions across articles, as filtered, sorted and paged."""
    filters = claim_filters(db, request.query_params)
    page_text = request.query_params.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) <= 1_000_000 else 1
    total = count_rows(db, filters)
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    kept = {k: request.query_params[k] for k in FILTER_KEYS if request.query_params.get(k)}

    def link(**changes: str | int) -> str:
        return "?" + urlencode({**kept, **{k: str(v) for k, v in changes.items()}})

    return render(
        request,
        "claims/index.html",
        {
            "rows": page_of_rows(db, filters, page=page, per_page=PER_PAGE),
            "total": total,
            "page": page,
            "pages": pages,
            "filters": filters,
            "kept": kept,
            "link": link,
            "export_query": urlencode(kept),
            "sources": all_sources(db),
            "kinds": [k for k in SOURCE_KINDS],
            "statuses": STATUSES,
            "modes": MODES,
            "selected_source": request.query_params.get("source", ""),
        },
    )
