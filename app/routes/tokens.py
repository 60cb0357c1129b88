"""Personal API tokens and the API's reference page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app import tokens
from app.config import API_PREFIX
from app.db import ReadDB, WriteDB
from app.models import User
from app.routes import TokenId, Viewer
from app.web import render

router = APIRouter()
MAX_TOKENS = 20


@router.get("/tokens", response_class=HTMLResponse)
def list_tokens(request: Request, db: ReadDB, user: Viewer) -> HTMLResponse:
    """Your API tokens and the operations the API offers."""
    return render(request, "tokens/index.html", _context(request, db, user, None, None))


@router.post("/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, db: WriteDB, user: Viewer, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Make a token; its secret is shown this once."""
    if not name.strip():
        page = _context(request, db, user, "Give the token a name, e.g. the script using it.", None)
        return render(request, "tokens/index.html", page, status_code=422)
    if sum(t.revoked_at is None for t in tokens.tokens_of(db, user)) >= MAX_TOKENS:
        raise HTTPException(409, f"You have {MAX_TOKENS} active tokens; revoke one first.")
    secret, _ = tokens.create_token(db, user, name=name, actor=user.email)
    db.commit()
    return render(request, "tokens/index.html", _context(request, db, user, None, secret))


@router.post("/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, db: WriteDB, user: Viewer, token_id: TokenId) -> Response:
    """Revoke one of your tokens; requests with it are refused from now on."""
    if not tokens.revoke_token(db, token_id, actor=user.email, owner=user):
        raise HTTPException(404, "You have no active token with that number.")
    db.commit()
    return render(request, "tokens/index.html", _context(request, db, user, None, None))


def operations(request: Request) -> list[dict[str, Any]]:
    """The API's operations, read from its own OpenAPI schema."""
    api = next(r.app for r in request.app.routes if getattr(r, "path", "") == API_PREFIX)
    found = []
    for path, methods in api.openapi()["paths"].items():
        for method, op in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": API_PREFIX + path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [p["name"] for p in op.get("parameters", [])],
                }
            )
    return found


def _context(
    request: Request, db: ReadDB, user: User, error: str | None, secret: str | None
) -> dict[str, object]:
    return {
        "tokens": tokens.tokens_of(db, user),
        "error": error,
        "secret": secret,
        "operations": operations(request),
        "schema_url": API_PREFIX + "/openapi.json",
        "site": str(request.base_url).rstrip("/"),
    }
