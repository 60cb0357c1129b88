"""Accounts, for admins: add users (by one-time link), change roles, disable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app import users
from app.db import ReadDB, WriteDB
from app.models import ROLES
from app.routes import Admin, UserId
from app.web import render

router = APIRouter()
Field = Annotated[str, Form(max_length=300)]


@router.get("/users", response_class=HTMLResponse)
def list_users(request: Request, db: ReadDB, user: Admin) -> HTMLResponse:
    """List the accounts, with a form to add one."""
    return render(request, "users/index.html", _context(db, user, {}, None, None))


@router.post("/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    db: WriteDB,
    user: Admin,
    email: Field = "",
    name: Field = "",
    role: Field = "editor",
) -> Response:
    """Add an account and show the one-time link that sets its password."""
    try:
        created = users.create_user(
            db, email=email, name=name, role=role, ph=request.app.state.hasher, actor=user.email
        )
    except users.UserProblem as problem:
        db.rollback()
        return render(
            request,
            "users/index.html",
            _context(db, user, {"email": email, "name": name, "role": role}, str(problem), None),
            status_code=422,
        )
    token = users.create_invite(db, role=created.role, user=created)
    db.commit()
    link = str(request.base_url).rstrip("/") + f"/setup/{token}"
    return render(request, "users/index.html", _context(db, user, {}, None, (created.email, link)))


@router.post("/users/{user_id}", response_class=HTMLResponse)
def change_user(
    request: Request,
    db: WriteDB,
    user: Admin,
    user_id: UserId,
    role: Field = "",
    active: Field = "",
) -> Response:
    """Change a role, or disable or enable an account (disabling signs it out at once)."""
    account = db.get(users.User, user_id)
    if account is None:
        raise HTTPException(404)
    if account.id == user.id and (active == "0" or (role and role != "admin")):
        raise HTTPException(409, "You cannot disable or demote your own account.")
    try:
        users.change_user(
            db,
            account,
            role=role or None,
            active=None if active == "" else active == "1",
            actor=user.email,
        )
    except users.UserProblem as problem:
        raise HTTPException(422, str(problem)) from problem
    db.commit()
    return render(request, "users/index.html", _context(db, user, {}, None, None))


@router.post("/users/{user_id}/link", response_class=HTMLResponse)
def new_link(request: Request, db: WriteDB, user: Admin, user_id: UserId) -> Response:
    """Make a new one-time link for an account to set its password."""
    account = db.get(users.User, user_id)
    if account is None:
        raise HTTPException(404)
    token = users.create_invite(db, role=account.role, user=account)
    db.commit()
    link = str(request.base_url).rstrip("/") + f"/setup/{token}"
    return render(request, "users/index.html", _context(db, user, {}, None, (account.email, link)))


def _context(
    db: ReadDB,
    user: users.User,
    form: dict[str, str],
    error: str | None,
    link: tuple[str, str] | None,
) -> dict[str, object]:
    return {
        "accounts": users.all_users(db),
        "roles": ROLES,
        "form": form,
        "error": error,
        "link": link,
        "user": user,
    }
