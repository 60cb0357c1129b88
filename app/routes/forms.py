"""Bounded form field types, so no number from a client can overflow the database."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form

MAX_INT = 2**31 - 1
FormInt = Annotated[int | None, Form(ge=0, le=MAX_INT)]
FormKey = Annotated[int | None, Form(ge=0, le=9)]
