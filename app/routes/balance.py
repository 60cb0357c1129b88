"""Source balance: who speaks how much, per article or across a filtered set of articles."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.balance import Balance, balance
from app.charts import bar_chart, timeline
from app.db import ReadDB
from app.models import STATUSES
from app.routes import ArticleId, Viewer, article_or_404
from app.routes.claims import claim_filters
from app.sources import all_sources
from app.table import Filters
from app.web import render

router = APIRouter()


@router.get("/balance", response_class=HTMLResponse)
def show_balance(request: Request, db: ReadDB, user: Viewer) -> HTMLResponse:
    """Who speaks how much across the articles the filters select."""
    filters = claim_filters(db, request.query_params)
    return render(
        request, "balance/show.html", _context(db, balance(db, filters), filters, None, request)
    )


@router.get("/articles/{article_id}/balance", response_class=HTMLResponse)
def show_article_balance(
    request: Request, db: ReadDB, user: Viewer, article_id: ArticleId
) -> HTMLResponse:
    """Who speaks how much in one article."""
    article = article_or_404(db, article_id)
    filters = Filters(article_id=article.id)
    return render(
        request, "balance/show.html", _context(db, balance(db, filters), filters, article, request)
    )


def _context(
    db: ReadDB, result: Balance, filters: Filters, article: object, request: Request
) -> dict[str, object]:
    by_sentences = bar_chart([(s.name, s.sentences, s.colour) for s in result.sources])
    by_words = bar_chart([(s.name, s.words, s.colour) for s in result.sources])
    by_kind = bar_chart([(k.name, k.sentences, k.colour) for k in result.kinds])
    colours = {s.source_id: (s.name, s.colour) for s in result.sources}
    series = [
        (colours[sid][0], colours[sid][1], counts)
        for sid, counts in result.timeline.items()
        if sid in colours
    ]
    return {
        "result": result,
        "article": article,
        "filters": filters,
        "by_sentences": by_sentences,
        "by_words": by_words,
        "by_kind": by_kind,
        "timeline": timeline(series, result.periods) if result.periods else None,
        "sources": all_sources(db),
        "statuses": STATUSES,
        "selected_source": request.query_params.get("source", ""),
        "total_sentences": sum(s.sentences for s in result.sources) + result.untagged.sentences,
    }
