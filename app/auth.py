"""Passwords, tokens and roles: the pure part of accounts."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.models import ROLES

MIN_PASSWORD_LENGTH = 12


@cache
def _common() -> frozenset[str]:
    """The 3,000 most used passwords (zxcvbn's list, from leaked password sets). zxcvbn
    loads on first use: its word lists are ~13 MB an idle server need not hold."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:3000])


class PasswordProblem(ValueError):
    """A password we refuse, with the reason for the person choosing it."""


def hasher(memory_kib: int = 65536, time_cost: int = 3) -> PasswordHasher:
    """argon2id; the defaults are RFC 9106's second recommended profile (64 MiB, t=3)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def check_password(password: str, *, email: str = "") -> str:
    """Return the password if it is acceptable, or say why not."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordProblem(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > 1024:
        raise PasswordProblem("Use at most 1,024 characters.")
    lowered = password.lower()
    if lowered in _common() or (email and lowered == email.lower()):
        raise PasswordProblem("That password is among the most common ones: choose another.")
    if len(set(password)) < 5:
        raise PasswordProblem("That password repeats too few characters: choose another.")
    from zxcvbn import zxcvbn

    if zxcvbn(password[:100], user_inputs=[email] if email else [])["score"] < 3:
        raise PasswordProblem(
            "That password is too easy to guess (a common word, a sequence, "
            "a date…): try a few unrelated words."
        )
    return password


def verify(ph: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return bool(stored) and ph.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What the database keeps of a session or invite token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def can(role: str, needed: str) -> bool:
    """Say whether ``role`` includes ``needed`` (admin > reviewer > editor > viewer)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)
