"""API tokens: personal, stored hashed, revocable, with their user's permissions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import events
from app.auth import digest, new_token
from app.models import ApiToken, User, utcnow

PREFIX = "ws_"


def create_token(session: Session, user: User, *, name: str, actor: str) -> tuple[str, ApiToken]:
    """Make a token; the secret is returned once and only its SHA-256 is kept."""
    secret = PREFIX + new_token()
    row = ApiToken(user_id=user.id, name=" ".join(name.split())[:100], token_hash=digest(secret))
    session.add(row)
    session.flush()
    events.record(
        session,
        actor=actor,
        action="token.create",
        detail={"email": user.email, "token": row.id, "name": row.name},
    )
    return secret, row


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def revoke_token(session: Session, number: int, *, actor: str, owner: User | None = None) -> bool:
    """Revoke a token (only the owner's own, when ``owner`` is given)."""
    row = session.get(ApiToken, number)
    if row is None or row.revoked_at is not None or (owner and row.user_id != owner.id):
        return False
    row.revoked_at = utcnow()
    events.record(session, actor=actor, action="token.revoke", detail={"token": row.id})
    return True


def user_for_api_token(session: Session, secret: str) -> User | None:
    """The active user a bearer token belongs to, if it is valid and not revoked."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None
