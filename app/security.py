"""Secret key, browser session id, CSRF tokens, security headers and the body-size cap."""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import API_PREFIX
from app.importing import too_large_message

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def load_secret(configured: str, instance_dir: Path) -> bytes:
    """Return the configured key, or one made at first run and kept with mode 0600."""
    if configured:
        return configured.encode()
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_bytes().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def csrf_token(secret: bytes, sid: str) -> str:
    """Bind a CSRF token to one browser session (the signed double-submit pattern)."""
    return hmac.new(secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()


def cookie_name(scope: Scope) -> str:
    # The __Host- prefix needs Secure, so it is only used when served over HTTPS.
    return "__Host-whosaid" if scope.get("scheme") == "https" else "whosaid"


def session_cookie(scope: Scope, value: str, *, expire: bool = False) -> str:
    """A Set-Cookie value for the browser's session id: HttpOnly, SameSite=Lax, Path=/."""
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    gone = "; Max-Age=0" if expire else ""
    return f"{cookie_name(scope)}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{gone}"


class BrowserSessionMiddleware:
    """Give every browser a random session id cookie and expose its CSRF token."""

    def __init__(self, app: ASGIApp, secret: bytes) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(API_PREFIX + "/"):
            await self.app(scope, receive, send)  # the API authenticates by token, not cookie
            return
        name = cookie_name(scope)
        sid = _read_cookie(scope, name)
        fresh = sid is None
        if sid is None:
            sid = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["sid"] = None if fresh else sid
        state["csrf"] = csrf_token(self.secret, sid)

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                if not any(k.lower() == b"set-cookie" for k, _ in headers):
                    headers.append((b"set-cookie", session_cookie(scope, sid).encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookie
                return None
            if name in jar and len(jar[name].value) <= 128:
                return jar[name].value
    return None


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request that is cross-site or lacks this session's token."""
    if request.method in SAFE_METHODS:
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise HTTPException(403, "Cross-site request refused.")
    origin = request.headers.get("origin")
    if site is None and origin and origin != _own_origin(request):
        raise HTTPException(403, "Request from another origin refused.")
    sid = request.state.sid
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if sid is None or not sent or not hmac.compare_digest(sent, request.state.csrf):
        raise HTTPException(403, "Your session has expired or the form is stale: reload the page.")


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def security_headers(scheme: str) -> dict[str, str]:
    """The hardening headers every response carries (HSTS only over HTTPS)."""
    headers = {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "cross-origin-opener-policy": "same-origin",
        "x-frame-options": "DENY",
    }
    if scheme == "https":
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return headers


class SecurityHeadersMiddleware:
    """Put the CSP and the other hardening headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {k.lower() for k, _ in headers}
                extra = security_headers(scope.get("scheme", "http"))
                headers.extend(
                    (k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Answer 413 as soon as a request body is known to be over the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # FastAPI passes an HTTPException raised while reading the body on to
                    # the app's error handler, which answers with the message.
                    # "Connection: close" makes the server hang up instead of reading the
                    # rest of a body it has refused (uvicorn drains it for keep-alive)
                    raise HTTPException(
                        413, too_large_message(self.limit), headers={"Connection": "close"}
                    )
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = f'<p class="error" role="alert">{html.escape(too_large_message(self.limit))}</p>'
        headers: list[Any] = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body.encode())).encode()),
            (b"connection", b"close"),
        ]
        if _header(scope, b"hx-request"):
            headers += [(b"hx-retarget", b"#flash"), (b"hx-reswap", b"innerHTML")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None
