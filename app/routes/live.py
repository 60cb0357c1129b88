"""Editing together: the desk asks every two seconds what others changed, and says it is here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import articles, live, review
from app.db import WriteDB
from app.routes import ArticleId, SettingsDep, Viewer, article_or_404
from app.routes.desk_view import TEMPLATE, load_page, page_context, partial_page
from app.routes.forms import FormInt
from app.web import render_parts

router = APIRouter()


@router.post("/articles/{article_id}/live", response_class=HTMLResponse)
def refresh_desk(
    request: Request,
    db: WriteDB,
    settings: SettingsDep,
    user: Viewer,
    article_id: ArticleId,
    since: FormInt = None,
    position: FormInt = None,
) -> Response:
    """Record presence; send back the rows others changed since event ``since``."""
    article = article_or_404(db, article_id)
    live.touch(db, article.id, user.id)
    db.commit()
    layer = review.viewing_layer(db, article, user)
    newest = live.last_event_id(db)
    changed, structural = live.changed_since(
        db, article.id, since or newest, {layer}, reader=user.email
    )
    others = live.present(db, article.id, besides=user.id)
    size = settings.page_size
    number = (max(1, position or 1) - 1) // size + 1
    if not (changed or structural):  # the usual answer, every 2 s per open desk: keep it cheap
        quiet = {
            "article": article,
            "oob": True,
            "since": newest,
            "others": others,
            "page": number,
            "page_size": size,
        }
        return render_parts(request, TEMPLATE, [("live", quiet), ("presence", quiet)])
    if structural:
        page = load_page(db, article, size, position or 1, layer=layer)
    else:  # only the changed rows on this page are re-sent: suggestions for them alone
        first = (number - 1) * size
        shown = [
            row
            for row in articles.sentences_by_id(db, list(changed))
            if first < row.position <= first + size
        ]
        page = partial_page(db, article, shown, size, layer=layer, number=number)
    context = page_context(db, article, page, user) | {
        "oob": True,
        "since": newest,
        "others": others,
    }
    parts: list[tuple[str, dict[str, Any]]] = [("live", context), ("presence", context)]
    if changed or structural:
        parts += [("tally", context), ("panel", context), ("status_bar", context)]
        if structural:
            parts.append(("sentences", context | {"oob_list": True}))
        else:
            parts += [("row", context | {"s": row, "row_oob": True}) for row in page.rows]
    return render_parts(request, TEMPLATE, parts)
