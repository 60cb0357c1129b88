"""Sign in, sign out, and the one-time links that set a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import update

from app import users
from app.auth import PasswordProblem, check_password
from app.db import Database, ReadDB, WriteDB
from app.security import session_cookie
from app.web import render

router = APIRouter()
Field = Annotated[str, Form(max_length=1024)]


@router.get("/login", response_class=HTMLResponse)
def show_login(request: Request, next: str = "/") -> HTMLResponse:
    """Show the sign-in form."""
    return render(request, "auth/login.html", {"form": {"next": _local(next)}, "error": None})


@router.post("/login", response_class=HTMLResponse)
def log_in(
    request: Request, db: ReadDB, email: Field = "", password: Field = "", next: Field = "/"
) -> Response:
    """Sign in; the same answer for an unknown e-mail and a wrong password. The password
    check (argon2: most of a second, by design) runs in a read transaction; only recording
    its outcome takes the write lock, so a sign-in never holds up everyone's tags."""
    state = request.app.state
    address = request.client.host if request.client else "unknown"
    form = {"email": email, "next": _local(next)}
    wait = users.retry_after(db, email, address)
    if wait:
        return render(
            request,
            "auth/login.html",
            {"form": form, "error": f"Too many attempts: try again in {wait} seconds."},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    matched = users.check_sign_in(db, email, password, ph=state.hasher, dummy_hash=state.dummy_hash)
    db.rollback()  # the read is over before the write starts
    database: Database = state.db
    with database.write_session() as write:
        if matched is None:
            users.record_failure(write, email, address)
            write.commit()
            return render(
                request,
                "auth/login.html",
                {"form": form, "error": "That e-mail and password do not match an account."},
                status_code=401,
            )
        users.clear_failures(write, email)
        if matched.rehashed:
            write.execute(
                update(users.User)
                .where(users.User.id == matched.user_id)
                .values(password_hash=matched.rehashed)
            )
        token = users.start_session(write, matched.user_id, hours=state.settings.session_hours)
        write.commit()
    return _signed_in(request, token, form["next"])


@router.post("/logout")
def log_out(request: Request, db: WriteDB) -> Response:
    """End this browser's session."""
    if request.state.sid:
        users.end_session(db, request.state.sid)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.headers["set-cookie"] = session_cookie(request.scope, "", expire=True)
    return response


@router.get("/setup/{token}", response_class=HTMLResponse)
def show_setup(request: Request, db: ReadDB, token: str) -> HTMLResponse:
    """Show the form behind a one-time link: the first admin's account, or a new password."""
    invite = users.open_invite(db, token)
    if invite is None:
        raise HTTPException(404, "This link is not valid any more: ask an admin for a new one.")
    return render(request, "auth/setup.html", _setup_context(db, invite, token, {}, None))


@router.post("/setup/{token}", response_class=HTMLResponse)
def finish_setup(
    request: Request,
    db: WriteDB,
    token: str,
    email: Field = "",
    name: Field = "",
    password: Field = "",
    confirm: Field = "",
) -> Response:
    """Set the password (and, for the first admin, create the account), then sign in. The
    password is checked and hashed (argon2: most of a second) before the write transaction
    begins, so no one else's write waits for it."""
    database: Database = request.app.state.db
    ph = request.app.state.hasher
    form = {"email": email, "name": name}
    with database.read_session() as read:
        invite = users.open_invite(read, token)
        if invite is None:
            raise HTTPException(404, "This link is not valid any more: ask an admin for a new one.")
        account = read.get(users.User, invite.user_id) if invite.user_id else None
        try:
            if password != confirm:
                raise PasswordProblem("The two passwords differ.")
            owner = account.email if account else users.normalise_email(email)
            hashed = ph.hash(check_password(password, email=owner))
        except PasswordProblem as problem:
            context = _setup_context(read, invite, token, form, str(problem))
            return render(request, "auth/setup.html", context, status_code=422)
    invite = users.open_invite(db, token)  # again, under the write lock: used meanwhile?
    if invite is None:
        raise HTTPException(404, "This link is not valid any more: ask an admin for a new one.")
    try:
        if invite.user_id is None:
            user = users.create_user(
                db,
                email=email,
                name=name,
                role=invite.role,
                ph=ph,
                password_hash=hashed,
                actor=users.normalise_email(email),
            )
        else:
            found = db.get(users.User, invite.user_id)
            if found is None:
                raise HTTPException(404)
            user = found
            users.set_password(db, user, None, ph=ph, actor=user.email, password_hash=hashed)
    except users.UserProblem as problem:
        db.rollback()
        invite = users.open_invite(db, token)
        if invite is None:
            raise HTTPException(404) from problem
        return render(
            request,
            "auth/setup.html",
            _setup_context(db, invite, token, form, str(problem)),
            status_code=422,
        )
    users.use_invite(db, invite)
    session_token = users.start_session(db, user, hours=request.app.state.settings.session_hours)
    db.commit()
    return _signed_in(request, session_token, "/")


def _setup_context(
    db: ReadDB, invite: users.Invite, token: str, form: dict[str, str], error: str | None
) -> dict[str, object]:
    user = db.get(users.User, invite.user_id) if invite.user_id else None
    return {"invite": invite, "token": token, "account": user, "form": form, "error": error}


def _signed_in(request: Request, token: str, target: str) -> Response:
    # a new cookie value at sign-in: a session id known before it is worth nothing after
    response = RedirectResponse(target, status_code=303)
    response.headers["set-cookie"] = session_cookie(request.scope, token)
    return response


def _local(target: str) -> str:
    """Only follow "next" to a path on this site."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]
