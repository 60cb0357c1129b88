"""The application factory; the whole URL map is readable from the routers listed here."""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.auth import hasher
from app.config import API_PREFIX, STATIC_DIR, Settings
from app.db import StorageError, open_database, unavailable
from app.importing import ImportProblem
from app.routes import (
    NotSignedIn,
    api,
    articles,
    auth,
    balance,
    claims,
    desk,
    editing,
    exports,
    home,
    live,
    review,
    sources,
    suggestions,
    tokens,
    users,
    versions,
)
from app.security import (
    BodyLimitMiddleware,
    BrowserSessionMiddleware,
    SecurityHeadersMiddleware,
    csrf_protect,
    load_secret,
    security_headers,
)
from app.tcp import keep_nodelay
from app.web import is_htmx, render

log = logging.getLogger("whosaid")
# Room for the form fields around an uploaded file of the maximum size.
FORM_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when omitted)."""
    settings = settings or Settings()
    keep_nodelay()
    db = open_database(settings.database_url, lock_timeout=settings.lock_timeout)
    db.check()
    app = FastAPI(
        title="WhoSaid",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
        # a pasted article is one form field: let it be as large as an uploaded file
        form_limits={"max_part_size": settings.max_upload_bytes + FORM_OVERHEAD},
    )
    app.state.settings = settings
    app.state.db = db

    app.state.hasher = hasher(settings.argon2_memory_kib, settings.argon2_time_cost)
    # checked against when an e-mail is unknown, so both answers take the same time
    app.state.dummy_hash = app.state.hasher.hash("no account has this password")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(API_PREFIX, api.build_api(app.state), name="api")
    routers = (
        auth,
        users,
        home,
        articles,
        desk,
        editing,
        suggestions,
        review,
        live,
        sources,
        claims,
        balance,
        versions,
        exports,
        tokens,
    )
    for module in routers:
        app.include_router(module.router)

    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ImportProblem, _refused_input)
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(PoolTimeout, _database_busy)
    app.add_exception_handler(IntegrityError, _conflicting_write)
    app.add_exception_handler(Exception, _unexpected_error)

    secret = load_secret(settings.secret_key, settings.instance_dir)
    app.add_middleware(BrowserSessionMiddleware, secret=secret)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes + FORM_OVERHEAD)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    headers = dict(headers or {})
    if request.url.path.startswith(API_PREFIX + "/"):  # the API's callers read JSON
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    if is_htmx(request):
        # Show the message in the page's flash area instead of replacing the target.
        headers.update({"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
        return render(
            request,
            "error.html",
            {"status": status, "message": message},
            blocks=["message"],
            status_code=status,
            headers=headers,
        )
    return render(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    default = HTTPStatus(exc.status_code).phrase
    message = str(exc.detail)
    if message == default:
        message = _PLAIN_MESSAGES.get(exc.status_code, default)
    return _error_page(request, exc.status_code, message, dict(exc.headers or {}))


_PLAIN_MESSAGES = {
    404: "There is nothing here: the page or item does not exist (any more).",
    405: "That action is not available here.",
}


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    """Send anonymous visitors to the sign-in page; htmx gets a 401 and a redirect."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = "/login?" + urlencode({"next": target})
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": login})
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(login, status_code=303)
    return _error_page(request, 401, "Sign in first.")


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = sorted({str(err["loc"][-1]) for err in exc.errors() if err.get("loc")})
    message = "Some values were missing or not valid: " + ", ".join(fields) + "."
    return _error_page(request, 422, message)


async def _refused_input(request: Request, exc: Exception) -> Response:
    """Text refused after the route's own checks (too many sentences, found by the
    segmenter): nothing was stored, the transaction is rolled back."""
    assert isinstance(exc, ImportProblem)
    return _error_page(request, exc.status, str(exc))


async def _database_busy(request: Request, exc: Exception) -> Response:
    """The database could not take a write (busy, disk full, read-only): 503, not a bug."""
    message = unavailable(exc)
    if message is None:
        return await _unexpected_error(request, exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return _error_page(request, 503, message, {"Retry-After": "1"})


async def _conflicting_write(request: Request, exc: Exception) -> Response:
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return _error_page(
        request,
        409,
        "Someone else changed this at the same moment; nothing "
        "of yours was saved. Reload and try again.",
    )


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    # this answer leaves through Starlette's outermost middleware, past ours: add the headers
    headers = security_headers(request.url.scheme)
    try:
        return _error_page(
            request, 500, "Something went wrong on our side; nothing was changed.", headers
        )
    except Exception:  # the error page itself failed: answer plainly
        return HTMLResponse("<h1>Internal error</h1>", status_code=500, headers=headers)


__all__ = ["create_app", "StorageError"]
