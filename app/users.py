"""Accounts, sign-in sessions, invites and sign-in throttling."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import events
from app.auth import check_password, digest, new_token, verify
from app.models import ROLES, Invite, LoginFailure, User, UserSession, utcnow

__all__ = ["Invite", "User"]

THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 30
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}$")


class UserProblem(ValueError):
    """An account change we refuse, with the reason."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def any_users(session: Session) -> bool:
    return session.scalar(select(func.count(User.id))) != 0


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalise_email(email))).first()


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    ph: PasswordHasher,
    actor: str,
    name: str = "",
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Add an account; without a password (or its ready ``password_hash``) it can only be
    entered through an invite."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise UserProblem("That is not an e-mail address.")
    if role not in ROLES:
        raise UserProblem(f"Unknown role “{role}”.")
    if find_user(session, email) is not None:
        raise UserProblem(f"An account for {email} already exists.")
    user = User(email=email, role=role, name=" ".join(name.split())[:200])
    if password is not None:
        user.password_hash = ph.hash(check_password(password, email=email))
    elif password_hash is not None:
        user.password_hash = password_hash
    session.add(user)
    session.flush()
    events.record(session, actor=actor, action="user.create", detail={"email": email, "role": role})
    return user


def set_password(
    session: Session,
    user: User,
    password: str | None,
    *,
    ph: PasswordHasher,
    actor: str,
    password_hash: str | None = None,
) -> None:
    """Give the account a new password (or its ready ``password_hash``); its sessions end."""
    if password is not None:
        user.password_hash = ph.hash(check_password(password, email=user.email))
    elif password_hash is not None:
        user.password_hash = password_hash
    else:
        raise ValueError("a password or its hash is needed")
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    events.record(session, actor=actor, action="user.password", detail={"email": user.email})


def change_user(
    session: Session, user: User, *, role: str | None, active: bool | None, actor: str
) -> None:
    """Change a role or disable an account; disabling ends its sessions at once."""
    before = {"role": user.role, "active": user.is_active}
    if role is not None:
        if role not in ROLES:
            raise UserProblem(f"Unknown role “{role}”.")
        user.role = role
    if active is not None:
        user.is_active = active
        if not active:
            session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()
    events.record(
        session,
        actor=actor,
        action="user.change",
        detail={
            "email": user.email,
            "before": before,
            "after": {"role": user.role, "active": user.is_active},
        },
    )


@dataclass(frozen=True)
class SignIn:
    """A password that matched: whose it is, and its new hash when the settings changed."""

    user_id: int
    rehashed: str | None


def check_sign_in(
    session: Session, email: str, password: str, *, ph: PasswordHasher, dummy_hash: str
) -> SignIn | None:
    """Whether this is an active user's password; the same work either way. Only reads:
    argon2 takes its second here, before any write transaction is opened."""
    user = find_user(session, email)
    if user is None or not user.is_active or not user.password_hash:
        verify(ph, dummy_hash, password)  # keep the timing of a real check
        return None
    if not verify(ph, user.password_hash, password):
        return None
    rehashed = ph.hash(password) if ph.check_needs_rehash(user.password_hash) else None
    return SignIn(user.id, rehashed)


def start_session(session: Session, user: User | int, *, hours: int) -> str:
    token = new_token()
    user_id = user if isinstance(user, int) else user.id
    session.add(
        UserSession(
            id=digest(token), user_id=user_id, expires_at=utcnow() + dt.timedelta(hours=hours)
        )
    )
    return token


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id == digest(token)))


def user_for_token(session: Session, token: str | None) -> User | None:
    """The active user signed in with this cookie value, if any."""
    if not token:
        return None
    found = session.execute(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.id == digest(token),
            UserSession.expires_at >= utcnow(),
            User.is_active.is_(True),
        )
    ).first()
    return found[0] if found else None


def retry_after(session: Session, email: str, address: str) -> int:
    """Seconds to wait before trying again, 0 when sign-in is open."""
    since = utcnow() - THROTTLE_WINDOW
    waits = []
    for key, limit in (
        (f"email:{normalise_email(email)}", MAX_FAILURES_PER_EMAIL),
        (f"address:{address}", MAX_FAILURES_PER_ADDRESS),
    ):
        times = list(
            session.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.key == key, LoginFailure.at > since)
                .order_by(LoginFailure.at)
            )
        )
        if len(times) >= limit:
            waits.append(int((times[-limit] + THROTTLE_WINDOW - utcnow()).total_seconds()) + 1)
    return max(waits, default=0)


def record_failure(session: Session, email: str, address: str) -> None:
    session.add(LoginFailure(key=f"email:{normalise_email(email)}"))
    session.add(LoginFailure(key=f"address:{address}"))
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - THROTTLE_WINDOW))


def clear_failures(session: Session, email: str) -> None:
    session.execute(
        delete(LoginFailure).where(LoginFailure.key == f"email:{normalise_email(email)}")
    )


def create_invite(session: Session, *, role: str, user: User | None = None, hours: int = 72) -> str:
    """A one-time link token: for the first admin (no user yet) or to set a password."""
    token = new_token()
    session.add(
        Invite(
            id=digest(token),
            user_id=user.id if user else None,
            role=role,
            expires_at=utcnow() + dt.timedelta(hours=hours),
        )
    )
    return token


def open_invite(session: Session, token: str) -> Invite | None:
    invite = session.get(Invite, digest(token))
    if invite is None or invite.used_at is not None or invite.expires_at < utcnow():
        return None
    if invite.user_id is None and any_users(session):
        return None  # a first-admin link is void once anyone has an account
    return invite


def use_invite(session: Session, invite: Invite) -> None:
    invite.used_at = utcnow()
