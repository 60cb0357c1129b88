"""Bounded form and query field types, so no value from a client can overflow the database."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Form, HTTPException, Query

MAX_INT = 2**31 - 1
FormInt = Annotated[int | None, Form(ge=0, le=MAX_INT)]
FormKey = Annotated[int | None, Form(ge=0, le=9)]
QueryText = Annotated[str, Query(max_length=200)]
QueryPage = Annotated[int, Query(ge=1, le=1_000_000)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


def parse_date(value: str, what: str = "date") -> dt.date | None:
    """A YYYY-MM-DD query value, or None when empty; a bad one is a clear 422."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(422, f"The {what} must look like 2022-03-26.") from exc
