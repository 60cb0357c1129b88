"""Template rendering: whole pages, or the named blocks htmx asked for."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block, render_blocks

from app.audit import describe
from app.config import TEMPLATES_DIR

HTMX_VERSION = "2.0.11"
HTMX_CONFIG = json.dumps(
    {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
        "selfRequestsOnly": True,
        "historyCacheSize": 0,
        "defaultSwapStyle": "outerHTML",
        # Swap error answers too: they carry the message (and 409 the current value).
        "responseHandling": [
            {"code": "204", "swap": False},
            {"code": "[23]..", "swap": True},
            {"code": "[45]..", "swap": True, "error": True},
        ],
    }
)

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    # Forced on for every template name: imported article text is hostile.
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(htmx_version=HTMX_VERSION, htmx_config=HTMX_CONFIG, describe=describe)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render_parts(
    request: Request,
    name: str,
    parts: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render several blocks of one template, each with its own context, as one answer."""
    base = {
        "request": request,
        "csrf": getattr(request.state, "csrf", ""),
        "me": getattr(request.state, "user", None),
    }
    content = "".join(render_block(env, name, block, {**base, **ctx}) for block, ctx in parts)
    response = HTMLResponse(content, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    blocks: Sequence[str] = (),
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page, or only ``blocks`` of it; the answer varies with HX-Request."""
    full = {
        "request": request,
        "csrf": getattr(request.state, "csrf", ""),
        "me": getattr(request.state, "user", None),
        **context,
    }
    if blocks:
        content = render_blocks(env, name, list(blocks), full)
    else:
        content = env.get_template(name).render(full)
    response = HTMLResponse(content, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response
